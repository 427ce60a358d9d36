/**
 * What the engine knows about third-party modules: which ones do I/O, how their clients are
 * created, and which methods of their clients are local (no I/O) and must never be flagged.
 */

export type ModuleKind = 'http' | 'db' | 'cache' | 'sdk' | 'queue';

export interface ModuleInfo {
  kind: ModuleKind;
  /**
   * Member paths (from the module binding) that create a client, e.g. ['create'] for axios,
   * ['Pool'] for pg (`new Pool()`), ['default'] for a default-exported class (`new Redis()`).
   * `*` accepts any constructor (`new X()`) exported by the module.
   */
  factories: readonly string[];
  /** Methods on a client or the module that do no I/O (event wiring, builders, sync helpers). */
  local?: readonly string[];
}

const EVENTS = ['on', 'once', 'off', 'emit', 'addListener', 'removeListener', 'removeAllListeners', 'listeners', 'setMaxListeners'];

export const KNOWN_MODULES: Readonly<Record<string, ModuleInfo>> = {
  // HTTP clients
  axios: { kind: 'http', factories: ['create'], local: ['isAxiosError', 'isCancel', 'interceptors', 'defaults', 'getUri', 'CancelToken', 'all', 'spread', 'toFormData', 'formToJSON', 'mergeConfig'] },
  'node-fetch': { kind: 'http', factories: [] },
  undici: { kind: 'http', factories: ['Agent', 'Pool', 'Client'], local: ['setGlobalDispatcher', 'getGlobalDispatcher', 'MockAgent', 'Headers', 'Request', 'Response', 'FormData'] },
  got: { kind: 'http', factories: ['extend'], local: ['mergeOptions', 'HTTPError', 'RequestError', 'TimeoutError'] },
  ky: { kind: 'http', factories: ['create', 'extend'], local: ['HTTPError', 'TimeoutError', 'stop'] },
  superagent: { kind: 'http', factories: ['agent'] },
  http: { kind: 'http', factories: [], local: ['createServer', 'Agent', 'STATUS_CODES', 'METHODS', 'Server', 'IncomingMessage', 'ServerResponse', 'globalAgent', 'validateHeaderName', 'validateHeaderValue', 'OutgoingMessage', 'maxHeaderSize'] },
  https: { kind: 'http', factories: [], local: ['createServer', 'Agent', 'Server', 'globalAgent'] },
  // Databases
  pg: { kind: 'db', factories: ['Pool', 'Client', 'default.Pool', 'default.Client', '*.Pool', '*.Client'], local: [...EVENTS, 'escapeIdentifier', 'escapeLiteral', 'types', 'totalCount', 'idleCount', 'waitingCount'] },
  mysql2: { kind: 'db', factories: ['createPool', 'createConnection', 'createPoolCluster'], local: [...EVENTS, 'format', 'escape', 'escapeId', 'raw', 'promise'] },
  'mysql2/promise': { kind: 'db', factories: ['createPool', 'createConnection', 'createPoolCluster'], local: [...EVENTS, 'format', 'escape', 'escapeId', 'raw'] },
  mongodb: { kind: 'db', factories: ['MongoClient'], local: [...EVENTS, 'db', 'collection', 'ObjectId', 'startSession', 'watch'] },
  mongoose: { kind: 'db', factories: ['model', 'createConnection', 'default.model'], local: [...EVENTS, 'Schema', 'model', 'Types', 'set', 'plugin', 'isValidObjectId', 'startSession', 'where', 'lean', 'select', 'populate', 'sort', 'limit', 'skip'] },
  '@prisma/client': { kind: 'db', factories: ['PrismaClient'], local: [...EVENTS, '$on', '$use', '$extends'] },
  knex: { kind: 'db', factories: ['default', 'knex'], local: ['raw', 'ref', 'fn', 'schema'] },
  sequelize: { kind: 'db', factories: ['Sequelize'], local: ['define', 'literal', 'col', 'fn', 'where', 'Op'] },
  // Caches
  redis: { kind: 'cache', factories: ['createClient', 'createCluster'], local: [...EVENTS, 'multi', 'duplicate', 'isOpen', 'isReady'] },
  ioredis: { kind: 'cache', factories: ['default', 'Redis', 'Cluster', 'default.Cluster'], local: [...EVENTS, 'multi', 'pipeline', 'duplicate', 'status', 'defineCommand'] },
  // SDKs
  stripe: { kind: 'sdk', factories: ['default', 'Stripe'], local: ['webhooks'] },
  openai: { kind: 'sdk', factories: ['default', 'OpenAI'] },
  '@aws-sdk/*': { kind: 'sdk', factories: ['*'], local: ['middlewareStack', 'destroy', 'config'] },
  // Queues
  bullmq: { kind: 'queue', factories: ['Queue', 'Worker', 'QueueEvents', 'FlowProducer'], local: [...EVENTS, 'name'] },
};

/** Strips `node:` and maps `@aws-sdk/client-s3` to the `@aws-sdk/*` family entry. */
export function moduleKey(specifier: string): string {
  const s = specifier.startsWith('node:') ? specifier.slice(5) : specifier;
  if (s.startsWith('@aws-sdk/')) return '@aws-sdk/*';
  return s;
}

export function moduleInfo(specifier: string, extra?: readonly string[]): ModuleInfo | undefined {
  const key = moduleKey(specifier);
  const known = KNOWN_MODULES[key];
  if (known) return known;
  if (extra && extra.includes(specifier)) return { kind: 'sdk', factories: ['*'] };
  return undefined;
}

/** HTTP client modules the missing-timeout rule understands. */
export const HTTP_MODULES = new Set(['axios', 'node-fetch', 'undici', 'got', 'ky', 'superagent', 'http', 'https']);

export const LOGGER_MODULES: Readonly<Record<string, 'pino' | 'winston' | 'bunyan' | 'log4js' | 'nestjs'>> = {
  pino: 'pino',
  winston: 'winston',
  bunyan: 'bunyan',
  log4js: 'log4js',
  '@nestjs/common': 'nestjs',
};

export const FLAG_MODULES: Readonly<Record<string, 'openfeature' | 'launchdarkly' | 'unleash' | 'growthbook' | 'flagsmith' | 'configcat'>> = {
  '@openfeature/server-sdk': 'openfeature',
  '@openfeature/web-sdk': 'openfeature',
  '@openfeature/js-sdk': 'openfeature',
  '@launchdarkly/node-server-sdk': 'launchdarkly',
  'launchdarkly-node-server-sdk': 'launchdarkly',
  'unleash-client': 'unleash',
  '@growthbook/growthbook': 'growthbook',
  'flagsmith-nodejs': 'flagsmith',
  'configcat-node': 'configcat',
};
