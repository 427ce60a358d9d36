/**
 * The knowledge table: every library Failpath knows, and the lookups over it. The one place
 * that names a package; code names libraries through `LIB`, frameworks through `FRAMEWORK`,
 * logger styles through `LOGGER_STYLE`, flag providers through `FLAG_PROVIDER`.
 *
 * Specifiers are matched as the code writes them: `node:` builtins with or without the prefix,
 * subpaths (`hono/tiny` is listed; `express/lib/router` falls back to `express` in
 * `libraryOf`), and families (`@aws-sdk/*`, `@opentelemetry/*`, `expo-*`). Facet lookups that
 * engine code relies on for exact behaviour (`ioOf`, `loggerOf`, `flagsOf`, …) use the
 * specifier itself or its family, never a parent package: a subpath may export something else
 * (`mysql2/promise` is not `mysql2`).
 *
 * `Knowledge` holds a table; `KNOWLEDGE` is the built-in one, and the module-level functions
 * below read it. A project's own records (.failpath.json "knowledge", see user.ts) make a new
 * `Knowledge` with `KNOWLEDGE.extend(records)`.
 */
import { BROWSER_LIBRARIES } from './browser';
import { CACHES } from './caches';
import { DATABASES, GENERIC_FAILURES } from './databases';
import { FLAG_SDKS } from './flags';
import { FRAMEWORK_INFO, FRAMEWORKS } from './frameworks';
import { HTTP_CLIENTS, HTTP_STYLES } from './http';
import { LIMITERS } from './limiters';
import { LOGGER_SHAPES, LOGGERS } from './loggers';
import { PAYMENTS } from './payments';
import { QUEUES } from './queues';
import { RETRY_LIBRARIES } from './retry';
import { SCHEDULERS } from './schedulers';
import { SDKS } from './sdks';
import { PROCESSES } from './processes';
import { SHUTDOWN_LIBRARIES } from './shutdown';
import { TELEMETRY } from './telemetry';
import { TESTING } from './testing';
import { VALIDATORS } from './validators';
import type {
  AnyFrameworkId, CacheFacet, ClientFactoryDeadline, DriverFailures, FlagMethod, FlagProviderId, FlagsFacet, FrameworkFacet, FrameworkId,
  FrameworkInfo, HttpCall, HttpStyle, IoFacet, SchedulerFacet, LibraryRecord, LimiterMount, LoggerFacet, LoggerShape, LoggerStyle, MajorRange, Role, RunnerId,
  VersionSwitch,
} from './types';

export * from './types';
export { GLOBAL_MODULE, EVENT_METHODS, NON_PROMISE_METHODS, HTTP_READ_METHODS } from './io';
export { HTTP_STYLES } from './http';
export { SHARED_SQL_CLIENT, DB_RECEIVER, PRISMA_RECEIVER, REPOSITORY_RECEIVER, QUERY_BUILDER_RECEIVER, GENERIC_FAILURES } from './databases';
export { REDIS_COMMANDS, SHARED_CACHE_CLIENT, SUBSCRIBER_NAME } from './caches';
export { LOGGER_SHAPES, REQUEST_LOGGER } from './loggers';
export { FLAG_HELPER_FUNCTIONS, FLAG_CLIENT_NAMES, FLAG_RECEIVER } from './flags';
export { LIMITER_NAME } from './limiters';
export { VALIDATE_METHODS } from './validators';
export { FRAMEWORK_INFO, ROUTE_VERB_METHODS, RESPONSE_SEND_METHODS, RESPONSE_STATUS_METHODS, RESPONSE_HEADER_METHODS, APP_PARAMETER_NAMES } from './frameworks';
export { IDEMPOTENCY_HEADER } from './payments';
export { CLIENT_HOOKS } from './browser';
export { PAGE_OBJECTS } from './testing';
export { SHUTDOWN_EVENTS } from './shutdown';
export { userKnowledge, formatPath, type UserKnowledge, type UserKnowledgeProblem } from './user';
export { HEALTH_SEGMENTS, HEALTH_PATH, OPERATIONAL_SEGMENTS, TEST_PATH, SCRIPT_PATH, BROWSER_PATH, TEST_SETUP_FILE, BUILD_CONFIG_FILE } from './paths';

/** Every built-in record. Order matters where a project is matched against several (flag SDKs, runners). */
export const LIBRARIES: readonly LibraryRecord[] = [
  ...HTTP_CLIENTS, ...DATABASES, ...CACHES, ...QUEUES, ...SCHEDULERS, ...SDKS, ...PAYMENTS,
  ...LOGGERS, ...FLAG_SDKS, ...LIMITERS, ...RETRY_LIBRARIES, ...VALIDATORS, ...FRAMEWORKS,
  ...TELEMETRY, ...SHUTDOWN_LIBRARIES, ...TESTING, ...BROWSER_LIBRARIES, ...PROCESSES,
];

/** Stable library ids (the `id` of each record), so that code never needs a package name to name one. */
export const LIB = {
  // http.ts
  fetch: 'fetch', nodeFetch: 'node-fetch', undici: 'undici', axios: 'axios', got: 'got', ky: 'ky', superagent: 'superagent', nodeHttp: 'node-http', nestjsAxios: 'nestjs-axios',
  // databases.ts
  pg: 'pg', pgPromise: 'pg-promise', mysql: 'mysql', mysql2: 'mysql2', mysql2Promise: 'mysql2-promise', mssql: 'mssql', oracledb: 'oracledb', postgres: 'postgres',
  mongodb: 'mongodb', mongoose: 'mongoose', nestjsMongoose: 'nestjs-mongoose', prisma: 'prisma', prismaCli: 'prisma-cli', knex: 'knex', sequelize: 'sequelize', typeorm: 'typeorm',
  // caches.ts
  ioredis: 'ioredis', redis: 'redis', lruCache: 'lru-cache', nodeCache: 'node-cache',
  // queues.ts, schedulers.ts, sdks.ts
  bullmq: 'bullmq', bull: 'bull', agenda: 'agenda', amqplib: 'amqplib', kafkajs: 'kafkajs', temporalWorker: 'temporal-worker',
  nodeCron: 'node-cron', cron: 'cron', nodeSchedule: 'node-schedule',
  awsSdk: 'aws-sdk', awsSqs: 'aws-sqs', openai: 'openai',
  // payments.ts
  stripe: 'stripe', nodemailer: 'nodemailer', expressIdempotency: 'express-idempotency', expressIdempotent: 'express-idempotent', idempotencyMiddleware: 'idempotency-middleware',
  nodeIdempotency: 'node-idempotency', fastifyIdempotency: 'fastify-idempotency', nestjsIdempotency: 'nestjs-idempotency', nestjsIdempotencyCore: 'nestjs-idempotency-core',
  // loggers.ts
  pino: 'pino', winston: 'winston', bunyan: 'bunyan', log4js: 'log4js', pinoHttp: 'pino-http', nestjsPino: 'nestjs-pino',
  // flags.ts
  openfeature: 'openfeature', launchdarkly: 'launchdarkly', unleash: 'unleash', growthbook: 'growthbook', flagsmith: 'flagsmith', configcat: 'configcat',
  // limiters.ts
  expressRateLimit: 'express-rate-limit', expressSlowDown: 'express-slow-down', expressBrute: 'express-brute', rateLimiterFlexible: 'rate-limiter-flexible',
  rateLimitRedis: 'rate-limit-redis', fastifyRateLimit: 'fastify-rate-limit', nestjsThrottler: 'nestjs-throttler', koaRatelimit: 'koa-ratelimit',
  koa2Ratelimit: 'koa2-ratelimit', honoRateLimiter: 'hono-rate-limiter', upstashRatelimit: 'upstash-ratelimit',
  // retry.ts
  pRetry: 'p-retry', asyncRetry: 'async-retry', retry: 'retry', axiosRetry: 'axios-retry', cockatiel: 'cockatiel', opossum: 'opossum', pLimit: 'p-limit',
  // validators.ts
  zod: 'zod', joi: 'joi', yup: 'yup', valibot: 'valibot', classValidator: 'class-validator', ajv: 'ajv', expressValidator: 'express-validator', celebrate: 'celebrate',
  typebox: 'typebox', superstruct: 'superstruct', ioTs: 'io-ts', runtypes: 'runtypes', arktype: 'arktype', typia: 'typia', vinejs: 'vinejs',
  fastestValidator: 'fastest-validator', effectSchema: 'effect-schema', honoValidators: 'hono-validators',
  // frameworks.ts
  express: 'express', fastify: 'fastify', fastifyPlugin: 'fastify-plugin', koa: 'koa', koaRouter: 'koa-router', hono: 'hono', honoZodOpenapi: 'hono-zod-openapi',
  nestjsCore: 'nestjs-core', nestjsCommon: 'nestjs-common', next: 'next', hapi: 'hapi', restify: 'restify', polka: 'polka', nuxt: 'nuxt', sveltekit: 'sveltekit',
  remixNode: 'remix-node', expressAsyncErrors: 'express-async-errors', expressPromiseRouter: 'express-promise-router', asyncRouter: 'async-router',
  graphql: 'graphql', apolloServer: 'apollo-server', apolloServerLegacy: 'apollo-server-legacy', graphqlYoga: 'graphql-yoga', mercurius: 'mercurius', socketIo: 'socket.io', ws: 'ws', telegraf: 'telegraf', grammy: 'grammy', slackBolt: 'slack-bolt',
  wrangler: 'wrangler', workersTypes: 'workers-types',
  // telemetry.ts
  promClient: 'prom-client', hotShots: 'hot-shots', statsdClient: 'statsd-client', otelMetrics: 'otel-metrics', opentelemetry: 'opentelemetry', otelPino: 'otel-pino',
  otelWinston: 'otel-winston', ddTrace: 'dd-trace', sentry: 'sentry', clsRtracer: 'cls-rtracer', expressRequestId: 'express-request-id', clsHooked: 'cls-hooked',
  expressHttpContext: 'express-http-context', expressRequestContext: 'express-request-context', nestjsCls: 'nestjs-cls', fastifyRequestContext: 'fastify-request-context',
  // shutdown.ts
  closeWithGrace: 'close-with-grace', terminus: 'terminus', lightship: 'lightship', httpTerminator: 'http-terminator', stoppable: 'stoppable', httpGracefulShutdown: 'http-graceful-shutdown',
  // testing.ts
  vitest: 'vitest', jest: 'jest', tsJest: 'ts-jest', mocha: 'mocha', nodeTest: 'node-test', nodeAssert: 'node-assert', tsx: 'tsx', tsNode: 'ts-node', swcNode: 'swc-node',
  nock: 'nock', msw: 'msw', supertest: 'supertest', nestjsTesting: 'nestjs-testing', playwright: 'playwright', puppeteer: 'puppeteer', patchright: 'patchright',
  rebrowserPlaywright: 'rebrowser-playwright', cypress: 'cypress',
  // browser.ts
  react: 'react', reactDom: 'react-dom', vue: 'vue', svelte: 'svelte', angular: 'angular', solid: 'solid', preact: 'preact', remixReact: 'remix-react',
  zustand: 'zustand', jotai: 'jotai', valtio: 'valtio', reactRouterDom: 'react-router-dom', vercelBlobClient: 'vercel-blob-client', reactNative: 'react-native',
  expo: 'expo', reactNavigation: 'react-navigation',
  // processes.ts
  childProcess: 'child-process',
} as const;
export type LibId = (typeof LIB)[keyof typeof LIB];

/** What a project depends on, as the knowledge lookups need it (ProjectFacts adapts to this). */
export interface DependencyView {
  has(name: string): boolean;
  /** The major version the project uses, when known. */
  major(name: string): number | undefined;
}

/** Is `major` in `range` (`<7`, `<=4`, `>=10`, `>3`, `1`)? */
export function inRange(major: number, range: MajorRange): boolean {
  const m = /^(<=|>=|<|>)?(\d+)$/.exec(range);
  if (!m) return false;
  const n = Number(m[2]);
  switch (m[1]) {
    case '<': return major < n;
    case '<=': return major <= n;
    case '>': return major > n;
    case '>=': return major >= n;
    default: return major === n;
  }
}

/** Replaces `{name}` placeholders of a knowledge template. Unknown placeholders are left as written. */
export function fill(template: string, values: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{(\w+)\}/g, (all, k: string) => (k in values ? String(values[k]) : all));
}

/** `node:fs` → `fs`. */
function stripNode(specifier: string): string {
  return specifier.startsWith('node:') ? specifier.slice(5) : specifier;
}

/** A family pattern (`@aws-sdk/*`, `expo-*`) → its prefix; undefined for a plain specifier. */
function familyPrefix(module: string): string | undefined {
  return module.endsWith('*') ? module.slice(0, -1) : undefined;
}

export class Knowledge {
  readonly records: readonly LibraryRecord[];
  private readonly byModule = new Map<string, LibraryRecord>();
  private readonly byId = new Map<string, LibraryRecord>();
  private readonly families: { prefix: string; module: string; record: LibraryRecord }[] = [];

  constructor(records: readonly LibraryRecord[]) {
    this.records = records;
    for (const r of records) {
      // the first record naming a module or an id wins (a project's records come first: see extend)
      if (!this.byId.has(r.id)) this.byId.set(r.id, r);
      for (const m of r.modules) {
        const prefix = familyPrefix(m);
        if (prefix !== undefined) this.families.push({ prefix, module: m, record: r });
        else if (!this.byModule.has(m)) this.byModule.set(m, r);
      }
    }
    // the longest family prefix first: `@opentelemetry/instrumentation-*` before `@opentelemetry/*`
    this.families.sort((a, b) => b.prefix.length - a.prefix.length);
  }

  /** A table with the project's own records in front of these (theirs win for the modules they name). */
  extend(records: readonly LibraryRecord[]): Knowledge {
    return records.length === 0 ? this : new Knowledge([...records, ...this.records]);
  }

  // ---- specifiers ------------------------------------------------------------------------------

  private family(specifier: string): { module: string; record: LibraryRecord } | undefined {
    for (const f of this.families) if (specifier.startsWith(f.prefix) && specifier.length > f.prefix.length) return f;
    return undefined;
  }

  /**
   * The key the engine stores a module under: `node:` stripped, and a member of a family whose
   * packages share one client API (a family record with an `io` facet) mapped to the family
   * (`@aws-sdk/client-s3` → `@aws-sdk/*`). Other specifiers are returned unchanged.
   */
  moduleKey(specifier: string): string {
    const s = stripNode(specifier);
    const f = this.family(s);
    return f && f.record.io ? f.module : s;
  }

  /**
   * The record for a specifier as written, or its family: `node:http` → node-http,
   * `@aws-sdk/client-s3` → aws-sdk, `@aws-sdk/*` → aws-sdk. No subpath fallback.
   */
  exactLibraryOf(specifier: string): LibraryRecord | undefined {
    const hit = this.byModule.get(specifier) ?? this.byModule.get(stripNode(specifier));
    if (hit) return hit;
    const s = stripNode(specifier);
    const fam = this.families.find((f) => f.module === s);
    return fam?.record ?? this.family(s)?.record;
  }

  /**
   * The library a specifier belongs to: exactly, then its parent packages (`hono/cors` → hono,
   * `@scope/name/sub` → `@scope/name`), then families.
   */
  libraryOf(specifier: string): LibraryRecord | undefined {
    const exact = this.byModule.get(specifier) ?? this.byModule.get(stripNode(specifier));
    if (exact) return exact;
    const s = stripNode(specifier);
    const parts = s.split('/');
    const min = s.startsWith('@') ? 2 : 1;
    for (let n = parts.length - 1; n >= min; n--) {
      const hit = this.byModule.get(parts.slice(0, n).join('/'));
      if (hit) return hit;
    }
    return this.exactLibraryOf(s);
  }

  /** The record with this id. */
  library(id: string): LibraryRecord | undefined {
    return this.byId.get(id);
  }

  /** The record with this id; throws for an unknown id (a programming error: ids come from `LIB`). */
  lib(id: LibId | string): LibraryRecord {
    const r = this.byId.get(id);
    if (!r) throw new Error(`knowledge: no library with id ${id}`);
    return r;
  }

  /** The main module (package name) of a library. */
  moduleOf(id: LibId | string): string {
    return this.lib(id).modules[0];
  }

  /** Does the library have this module (as written, `node:` stripped, or through its family)? */
  isModuleOf(id: LibId | string, specifier: string): boolean {
    return this.exactLibraryOf(specifier)?.id === id;
  }

  librariesWithRole(role: Role): LibraryRecord[] {
    return this.records.filter((r) => r.roles.includes(role));
  }

  /** Every module (and family pattern) of the libraries with this role, in table order. */
  modulesWithRole(role: Role): string[] {
    return this.librariesWithRole(role).flatMap((r) => r.modules);
  }

  hasRole(specifier: string, role: Role): boolean {
    return this.exactLibraryOf(specifier)?.roles.includes(role) ?? false;
  }

  /** The first module of a library the project depends on (its families cannot be matched against dependencies). */
  usedModule(record: LibraryRecord, deps: Pick<DependencyView, 'has'>): string | undefined {
    return record.modules.find((m) => !familyPrefix(m) && deps.has(m));
  }

  /**
   * A facet as it is at the project's version of the library: the base values with every
   * version switch whose range holds the major version merged in, in order. A switch naming a
   * module applies only when that module is the one the project uses (the first of the record's
   * modules it depends on). An unknown version takes the base values.
   */
  atVersion<F extends object>(facet: F & { readonly versions?: readonly VersionSwitch<F>[] }, record: LibraryRecord, deps: DependencyView): F {
    if (!facet.versions?.length) return facet;
    const used = this.usedModule(record, deps) ?? record.modules[0];
    let out: F = facet;
    for (const v of facet.versions) {
      const module = v.module ?? used;
      if (v.module && v.module !== used) continue;
      const major = deps.major(module);
      if (major === undefined || !inRange(major, v.range)) continue;
      const { range: _r, module: _m, ...fields } = v;
      out = { ...out, ...fields };
    }
    return out;
  }

  // ---- project signals ---------------------------------------------------------------------------

  /** Dependencies that say a package runs a server (frameworks, drivers, queues). */
  serverDependencies(): string[] {
    return this.records.filter((r) => r.signal?.dependency === 'server').flatMap((r) => r.modules);
  }

  /** Dependencies that say a package is a long-running service (including the server ones). */
  serviceDependencies(): string[] {
    return this.records.filter((r) => r.signal?.dependency === 'server' || r.signal?.dependency === 'service').flatMap((r) => r.modules);
  }

  /** Dependencies that say a package has a UI. */
  uiDependencies(): string[] {
    return this.records.filter((r) => r.signal?.dependency === 'ui').flatMap((r) => r.modules);
  }

  /** Importing it makes a file browser code / says the file serves requests. */
  importSignal(specifier: string): 'browser' | 'server' | undefined {
    return this.exactLibraryOf(specifier)?.signal?.import;
  }

  // ---- I/O -------------------------------------------------------------------------------------------

  /** What a module's calls do (the engine's module key: `node:` stripped, `@aws-sdk/*`). */
  ioOf(specifier: string): IoFacet | undefined {
    return this.exactLibraryOf(this.moduleKey(specifier))?.io;
  }

  /** Methods that only read, over every I/O library (compared lower-case). */
  readMethods(): Set<string> {
    return new Set(this.records.flatMap((r) => r.io?.reads ?? []));
  }

  /** Methods chained on a query or response that keep it the same external call. */
  chainModifiers(): Set<string> {
    return new Set(this.records.flatMap((r) => r.io?.chain ?? []));
  }

  /** What a failing driver of this module says (generic messages for anything else). */
  failuresOf(specifier: string): DriverFailures {
    return this.libraryOf(specifier)?.io?.failures ?? GENERIC_FAILURES;
  }

  // ---- HTTP --------------------------------------------------------------------------------------------

  /** The request shape of `path` on a module (`on` = called on a client instance or the module), with its style. */
  httpCallOf(specifier: string, path: readonly string[], onInstance: boolean): { call: HttpCall; style: HttpStyle } | undefined {
    const http = this.exactLibraryOf(this.moduleKey(specifier))?.http;
    const call = http?.calls.find((c) => c.path.length === path.length && c.path.every((p, i) => p === path[i]) &&
      (c.on === 'both' || (c.on === 'instance') === onInstance));
    if (!call) return undefined;
    const style = call.style === 'custom' ? http!.customStyle : HTTP_STYLES[call.style];
    return style ? { call, style } : undefined;
  }

  /** Any request shape of this module (either on the module or on instances). */
  httpCallsOf(specifier: string): readonly HttpCall[] {
    return this.exactLibraryOf(this.moduleKey(specifier))?.http?.calls ?? [];
  }

  /** The default deadline (ms) of a client's requests, when the library has one (ky: 10 s; a project's client as configured). */
  httpDefaultDeadline(specifier: string): number | undefined {
    const http = this.exactLibraryOf(this.moduleKey(specifier))?.http;
    const style = http?.calls[0]?.style;
    if (!style) return undefined;
    return (style === 'custom' ? http!.customStyle : HTTP_STYLES[style])?.defaultMs;
  }

  /** Client factories of a module whose options set a deadline (missing-client-timeout). */
  clientDeadlineOf(specifier: string, path: readonly string[], call: 'new' | 'call'): ClientFactoryDeadline | undefined {
    return this.exactLibraryOf(this.moduleKey(specifier))?.clientDeadlines?.factories.find((f) =>
      f.call === call && f.path.length === path.length && f.path.every((p, i) => p === path[i] || (p.startsWith('*') && p.length > 1 && path[i].endsWith(p.slice(1)))));
  }

  // ---- caches --------------------------------------------------------------------------------------------

  cacheOf(specifier: string, deps?: DependencyView): CacheFacet | undefined {
    const r = this.exactLibraryOf(specifier);
    const c = r?.cache;
    return c && r && deps ? this.atVersion(c, r, deps) : c;
  }

  // ---- loggers -------------------------------------------------------------------------------------------

  loggerOf(specifier: string): LoggerFacet | undefined {
    return this.exactLibraryOf(specifier)?.logger;
  }

  /** Logger libraries in the order a project's logger is chosen when it depends on several. */
  loggerLibraries(): LibraryRecord[] {
    return this.records.filter((r) => r.logger).sort((a, b) => (a.logger!.priority ?? 99) - (b.logger!.priority ?? 99));
  }

  loggerShape(style: LoggerStyle): LoggerShape {
    return LOGGER_SHAPES[style];
  }

  /** Fields a logger style writes itself. */
  loggerReservedKeys(style: LoggerStyle): readonly string[] {
    return LOGGER_SHAPES[style].reserved;
  }

  /** The library that provides a logger style (for its creation template). */
  loggerLibraryOf(style: LoggerStyle): LibraryRecord | undefined {
    return this.loggerLibraries().find((r) => r.logger!.style === style);
  }

  // ---- flags -----------------------------------------------------------------------------------------------

  flagsOf(specifier: string): FlagsFacet | undefined {
    return this.exactLibraryOf(specifier)?.flags;
  }

  /** The flag provider a module belongs to. */
  flagProviderOf(specifier: string): FlagProviderId | undefined {
    const p = this.flagsOf(specifier)?.provider;
    return p === 'custom' ? undefined : p;
  }

  /** Flag SDK modules in the order a project's SDK is chosen (the first it depends on wins). */
  flagModules(): { module: string; provider: FlagProviderId }[] {
    return this.records.flatMap((r) => {
      const provider = r.flags?.provider;
      return provider && provider !== 'custom' ? r.modules.map((module) => ({ module, provider })) : [];
    });
  }

  flagProvider(provider: FlagProviderId | string): { record: LibraryRecord; flags: FlagsFacet } | undefined {
    const record = provider === 'custom' ? undefined : this.records.find((r) => r.flags?.provider === provider);
    return record ? { record, flags: record.flags! } : undefined;
  }

  /** Methods that evaluate a flag by key, over every SDK. */
  flagCheckMethods(): Set<string> {
    return new Set(this.flagMethods().filter((m) => m.check).map((m) => m.name));
  }

  /** SDK methods that return promises. */
  asyncFlagMethods(): Set<string> {
    return new Set(this.flagMethods().filter((m) => m.async).map((m) => m.name));
  }

  private flagMethods(): FlagMethod[] {
    return this.records.flatMap((r) => r.flags?.methods ?? []);
  }

  // ---- limiters, retries ---------------------------------------------------------------------------------------

  limiterModules(): string[] {
    return this.modulesWithRole('limiter');
  }

  /** How to mount the usual limiter of a framework: the first installed library whose mount serves it. */
  limiterMount(framework: FrameworkId, deps: DependencyView): { record: LibraryRecord; module: string; mount: LimiterMount } | undefined {
    for (const r of this.records) {
      const mount = r.limiter?.mount;
      if (!mount || mount.framework !== framework) continue;
      const module = this.usedModule(r, deps);
      if (module) return { record: r, module, mount: this.atVersion(mount, r, deps) };
    }
    return undefined;
  }

  // ---- schedulers ------------------------------------------------------------------------------------------------

  schedulerOf(specifier: string): SchedulerFacet | undefined {
    return this.exactLibraryOf(specifier)?.scheduler;
  }

  /** Events that report a failed job, over every scheduler and queue (`fail:` is a prefix: `fail:<job>`). */
  jobFailureEvents(): string[] {
    return [...new Set(this.records.flatMap((r) => r.scheduler?.failureEvents ?? []))];
  }

  // ---- frameworks -----------------------------------------------------------------------------------------------

  frameworkOf(specifier: string): FrameworkFacet | undefined {
    return this.exactLibraryOf(specifier)?.framework;
  }

  frameworkInfo(id: FrameworkId): FrameworkInfo {
    return FRAMEWORK_INFO[id];
  }

  /** Is this id one of the frameworks the engine models (handlers, routes, responses)? */
  isModelledFramework(id: AnyFrameworkId | string): id is FrameworkId {
    return Object.prototype.hasOwnProperty.call(FRAMEWORK_INFO, id);
  }

  /** Modules whose exports make apps or routers, with their framework (the summary's quick route recognition). */
  appModules(): Map<string, AnyFrameworkId> {
    const out = new Map<string, AnyFrameworkId>();
    for (const r of this.records) if (r.framework?.factories?.length) for (const m of r.modules) out.set(m, r.framework.id);
    return out;
  }

  // ---- testing --------------------------------------------------------------------------------------------------

  /** Runner ids of the project's runner packages, in table order (vitest, jest, mocha). */
  runnersIn(deps: Pick<DependencyView, 'has'>): RunnerId[] {
    const out: RunnerId[] = [];
    for (const r of this.records) {
      const runner = r.testing?.runner;
      if (runner && runner !== 'node:test' && !out.includes(runner) && r.modules.some((m) => deps.has(m))) out.push(runner);
    }
    return out;
  }

  /** The record of a runner. */
  runnerLibrary(runner: RunnerId): LibraryRecord {
    return this.records.find((r) => r.testing?.runner === runner && r.roles.includes('test-runner'))!;
  }
}

export const KNOWLEDGE = new Knowledge(LIBRARIES);

// The built-in table's lookups, as functions.
export const moduleKey = (specifier: string): string => KNOWLEDGE.moduleKey(specifier);
export const libraryOf = (specifier: string): LibraryRecord | undefined => KNOWLEDGE.libraryOf(specifier);
export const exactLibraryOf = (specifier: string): LibraryRecord | undefined => KNOWLEDGE.exactLibraryOf(specifier);
export const lib = (id: LibId): LibraryRecord => KNOWLEDGE.lib(id);
export const moduleOf = (id: LibId): string => KNOWLEDGE.moduleOf(id);
export const isModuleOf = (id: LibId, specifier: string): boolean => KNOWLEDGE.isModuleOf(id, specifier);
export const modulesWithRole = (role: Role): string[] => KNOWLEDGE.modulesWithRole(role);
export const librariesWithRole = (role: Role): LibraryRecord[] => KNOWLEDGE.librariesWithRole(role);
export const hasRole = (specifier: string, role: Role): boolean => KNOWLEDGE.hasRole(specifier, role);
export const ioOf = (specifier: string): IoFacet | undefined => KNOWLEDGE.ioOf(specifier);
export const loggerOf = (specifier: string): LoggerFacet | undefined => KNOWLEDGE.loggerOf(specifier);
export const flagsOf = (specifier: string): FlagsFacet | undefined => KNOWLEDGE.flagsOf(specifier);
export const frameworkOf = (specifier: string): FrameworkFacet | undefined => KNOWLEDGE.frameworkOf(specifier);
export const atVersion = <F extends object>(facet: F & { readonly versions?: readonly VersionSwitch<F>[] }, record: LibraryRecord, deps: DependencyView): F =>
  KNOWLEDGE.atVersion(facet, record, deps);
