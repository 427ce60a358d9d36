/**
 * The record types of the knowledge table: what Failpath knows about a library, as data.
 *
 * One `LibraryRecord` per library (a product that may ship under several package names or entry
 * points, e.g. `koa-router` and `@koa/router`); its facets say what it is for and how it is
 * called: `io` (it talks to another system), `http`, `clientDeadlines`, `cache`, `logger`,
 * `flags`, `limiter`, `retry`, `breaker`, `scheduler`, `validator`, `framework`, `payments`,
 * `testing`, `shutdown`, … Records never hold logic; the lookups over them live in index.ts.
 *
 * Version switches: a facet may carry `versions: [{ range: '<7', … }]` — the fields that differ
 * when the project's major version of the library is in that range. An unknown version takes
 * the base values (the latest behaviour). See `atVersion` in index.ts.
 */

// ---- ids --------------------------------------------------------------------------------------

/** Kinds of external I/O a call can do. */
export const IO = { http: 'http', db: 'db', cache: 'cache', sdk: 'sdk', queue: 'queue' } as const;
export type IoKind = (typeof IO)[keyof typeof IO];

/** Web frameworks the engine understands (handlers, routes, responses). */
export const FRAMEWORK = { express: 'express', fastify: 'fastify', koa: 'koa', hono: 'hono', nestjs: 'nestjs', next: 'next' } as const;
export type FrameworkId = (typeof FRAMEWORK)[keyof typeof FRAMEWORK];
/** Other servers recognised by name only (apps in the file summary; no handler model). */
export const OTHER_FRAMEWORK = { restify: 'restify', polka: 'polka', hapi: 'hapi' } as const;
export type AnyFrameworkId = FrameworkId | (typeof OTHER_FRAMEWORK)[keyof typeof OTHER_FRAMEWORK];

/** Argument orders of structured loggers (see LOGGER_SHAPES in loggers.ts). */
export const LOGGER_STYLE = { pino: 'pino', bunyan: 'bunyan', winston: 'winston', log4js: 'log4js', nestjs: 'nestjs' } as const;
export type LoggerStyle = (typeof LOGGER_STYLE)[keyof typeof LOGGER_STYLE];

/** Feature-flag providers (SDKs). */
export const FLAG_PROVIDER = {
  openfeature: 'openfeature', launchdarkly: 'launchdarkly', unleash: 'unleash', growthbook: 'growthbook', flagsmith: 'flagsmith', configcat: 'configcat',
} as const;
export type FlagProviderId = (typeof FLAG_PROVIDER)[keyof typeof FLAG_PROVIDER];

/** Test runners a generated test can be written for. */
export const RUNNER = { vitest: 'vitest', jest: 'jest', mocha: 'mocha', nodeTest: 'node:test' } as const;
export type RunnerId = (typeof RUNNER)[keyof typeof RUNNER];

/** What a library is for. A record may have several. */
export type Role =
  | IoKind
  | 'orm' | 'db-tooling'
  | 'logger' | 'request-logger'
  | 'flags'
  | 'limiter' | 'retry' | 'breaker' | 'concurrency'
  | 'scheduler' | 'worker'
  | 'validator' | 'schema'
  | 'framework' | 'router' | 'framework-plugin' | 'node-server'
  | 'payments' | 'email' | 'messaging' | 'realtime' | 'graphql' | 'workflow' | 'ai'
  | 'metrics' | 'tracing' | 'error-tracking' | 'correlation' | 'log-injector'
  | 'idempotency' | 'async-errors'
  | 'test-runner' | 'test-loader' | 'assertion' | 'http-mock' | 'http-test-client' | 'test-module' | 'browser-automation'
  | 'ui' | 'state-store' | 'browser-sdk' | 'mobile'
  | 'shutdown' | 'health' | 'process'
  | 'edge-runtime' | 'chat-bot';

/**
 * A major-version range: `<7`, `<=4`, `>=10`, or an exact major `1`. Compared with the major
 * version the project uses (lockfile, else the lowest version package.json admits).
 */
export type MajorRange = `<${number}` | `<=${number}` | `>=${number}` | `>${number}` | `${number}`;

/** Fields of a facet that differ in a version range. `module` names which of the record's packages the range is about (default: the first one the project depends on). */
export type VersionSwitch<T> = { readonly range: MajorRange; readonly module?: string } & Partial<Omit<T, 'versions'>>;

/** A facet with version switches. */
export interface Versioned<T> {
  readonly versions?: readonly VersionSwitch<T>[];
}

/** How a fix imports a binding: `import name from 'm'` or `import { name } from 'm'`. */
export interface ImportSpec {
  readonly module: string;
  readonly binding: string;
  readonly kind: 'default' | 'named';
}

// ---- what depending on / importing a library says ---------------------------------------------

export interface ProjectSignal {
  /**
   * Depending on it says the package is: 'server' (a server, a database or cache driver, a
   * queue: it runs as a service and not in a browser), 'service' (a long-running service, but it
   * could also be a browser package) or 'ui' (a UI package: with no server dependency, its
   * files run in a browser).
   */
  readonly dependency?: 'server' | 'service' | 'ui';
  /**
   * Importing it says the file is: 'browser' (UI runtime, client-side state stores, browser-only
   * SDK entries) or 'server' (a server framework: a file that reads process.argv and imports
   * one is not a command-line script).
   */
  readonly import?: 'browser' | 'server';
}

// ---- I/O ------------------------------------------------------------------------------------------

/**
 * Whether a call's result is a promise: 'promise' (runs now, may reject), 'lazy' (a thenable
 * query that only runs when awaited or `.exec()`-ed).
 */
export interface PromiseFacet extends Versioned<PromiseFacet> {
  /** undefined: calls do not return promises (callbacks, builders). */
  readonly returns?: 'promise';
  /** Methods that never return a promise (`ioredis.disconnect()`). */
  readonly except?: readonly string[];
  /** When calls are lazy thenables instead. */
  readonly lazy?: {
    /** Lazy when the member path has at least this many names (`prisma.user.findMany` = 2). */
    readonly minPath?: number;
    /** Lazy on client instances (Mongoose models), except these methods. */
    readonly onInstance?: boolean;
    readonly except?: readonly string[];
  };
}

export interface IoFacet {
  readonly kind: IoKind;
  /**
   * Member paths (from the module binding) that create a client, e.g. ['create'] for axios,
   * ['Pool'] for pg (`new Pool()`), ['default'] for a default-exported class (`new Redis()`).
   * `*` accepts any constructor (`new X()`) exported by the module; `*.Pool` a `Pool` under any
   * namespace (`pg.native.Pool`); `default.Pool` under the default export.
   */
  readonly factories: readonly string[];
  /** Methods on a client or the module that do no I/O (event wiring, builders, sync helpers). */
  readonly local?: readonly string[];
  /** Factories (member paths, as in `factories`) whose client is one connection: its commands run one at a time, in order. */
  readonly singleConnection?: readonly string[];
  /** Module-level functions (not only clients) do I/O: `mongoose.connect()`, models made by `mongoose.model()`. */
  readonly moduleLevel?: boolean;
  readonly promise?: PromiseFacet;
  /**
   * Methods that only read (compared lower-case): running them earlier, later or twice changes
   * nothing in the other system.
   */
  readonly reads?: readonly string[];
  /** Methods whose first argument is SQL: read-only when it is a SELECT (not FOR UPDATE). */
  readonly sqlMethods?: readonly string[];
  /** Methods chained on a query or response that keep it the same external call (`.lean()`, `.json()`). */
  readonly chain?: readonly string[];
  /** AWS SDK v3: `client.send(new XCommand())` only reads when the command's name starts with one of these. */
  readonly readCommandPrefixes?: readonly string[];
  /** What a failing driver says, for generated failure tests (message and code per scenario). */
  readonly failures?: DriverFailures;
  /**
   * A receive returns at most `max` messages, as arrays of these exported types (SQS `Message[]`, at
   * most 10): a loop over such an array is over one small batch.
   */
  readonly receiveBatch?: { readonly types: readonly string[]; readonly max: number };
}

export interface DriverFailure {
  readonly message: string;
  readonly code: string;
}

export interface DriverFailures {
  readonly timeout: DriverFailure;
  readonly error: DriverFailure;
  readonly refused: DriverFailure;
}

// ---- databases ---------------------------------------------------------------------------------------

export interface DbFacet {
  /** Model, repository or builder methods that take data or filters: where request input lands. */
  readonly ops?: readonly string[];
  /** Of those, the ones whose first argument (or `where`) is a filter, not data. */
  readonly filterOps?: readonly string[];
  /** Methods that run raw SQL text (unsafe with input concatenated in). */
  readonly rawSql?: readonly string[];
  /** Keys of an operation's argument object: data (`data`, `create`, `update`) and the filter (`where`). */
  readonly dataKeys?: readonly string[];
  readonly filterKey?: string;
  /** Filter operators whose value is not itself a filter object (Prisma `in`, `contains`, …). */
  readonly filterOperators?: readonly string[];
  /**
   * Methods called as `<client>.<model>.<method>()` (Prisma), for recognising a client by shape:
   * `distinct` ones no other library uses, `generic` ones shared with others.
   */
  readonly modelMethods?: { readonly distinct: readonly string[]; readonly generic: readonly string[] };
}

// ---- HTTP clients -----------------------------------------------------------------------------------

/** Call styles of HTTP clients: how a deadline is set and seen (see HTTP_STYLES in http.ts). */
export type HttpStyleId = 'fetch' | 'axios' | 'got' | 'ky' | 'superagent' | 'node-http' | 'undici-request' | 'custom';

export interface HttpStyle {
  readonly id: HttpStyleId;
  /** Options that set a deadline; any of them (seen in the call's options) means there is one. */
  readonly deadlineOptions: readonly string[];
  /** How a fix writes the deadline. `signal`: `signal: AbortSignal.timeout(ms)`; `timeout`: `timeout: ms`; `timeout-request`: `timeout: { request: ms }`; `chain`: `.timeout(ms)` chained on the request. */
  readonly write: 'signal' | 'timeout' | 'timeout-request' | 'chain';
  /** The option a fix writes (default: `signal` or `timeout` as `write` says). */
  readonly writeOption?: string;
  /** The library's default deadline in ms (ky: 10 s); `timeout: false` disables it. */
  readonly defaultMs?: number;
  /** The request object returned has `.setTimeout(ms)` / a `'timeout'` event (node:http). */
  readonly requestSetTimeout?: boolean;
  /** `x.defaults.timeout = ms` on the module or an instance sets a deadline for all its calls (axios). */
  readonly defaultsTimeout?: boolean;
}

export type HttpVerb = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS';

/** A request call of an HTTP client. */
export interface HttpCall {
  /** Member path below the module binding or client instance; [] calls the module/instance itself. */
  readonly path: readonly string[];
  /** Where it may be called: on the module, on instances (`axios.create()`), or both. */
  readonly on: 'module' | 'instance' | 'both';
  /**
   * Index of the options argument. 'url-or-config': 0 when the first argument is an object
   * literal, else 1 (`axios(config)` / `axios(url, config)`, `http.get(url, options)`). -1: none
   * (superagent: the deadline is chained).
   */
  readonly options: number | 'url-or-config';
  readonly style: HttpStyleId;
  /** The HTTP method it sends; 'from-options': the options' `method` (default GET). Absent: unknown. */
  readonly method?: HttpVerb | 'from-options';
  /** A label for messages (`undici fetch`). Default: the callee as written. */
  readonly label?: string;
}

export interface HttpFacet {
  readonly calls: readonly HttpCall[];
  /** The style of calls whose style is 'custom' (a project's own client: its timeout option). */
  readonly customStyle?: HttpStyle;
  /** Its requests go through fetch and undici's global dispatcher (undici's MockAgent intercepts them; nock only from v14). */
  readonly overFetch?: boolean;
  /** The client option holding a base URL (axios `baseURL`, got/ky `prefixUrl`). */
  readonly baseUrlOption?: string;
}

// ---- client deadlines (missing-client-timeout) ---------------------------------------------------------

/** A client factory whose options can set a deadline. */
export interface ClientFactoryDeadline {
  /**
   * Member path from the module binding: ['Pool'], ['MongoClient', 'connect'], [] for the module
   * itself. A segment `*Suffix` matches any member ending with Suffix (`*Client`: S3Client, SQSClient).
   */
  readonly path: readonly string[];
  readonly call: 'new' | 'call';
  /** Index of the options argument; 'last': the last argument when it is an object (ioredis). */
  readonly options: number | 'last';
  /** How many arguments the factory takes at most (more: the shape is not the one described). */
  readonly maxArgs?: number;
  /**
   * Options that set a deadline. `a.b`: option `b` inside the object (or the `new X({…})`) that
   * option `a` holds (`requestHandler.requestTimeout`); an `a` whose value cannot be seen counts.
   */
  readonly deadlineOptions: readonly string[];
  /** Parameters that set one in a connection string (`?connect_timeout=`). */
  readonly urlParams?: readonly string[];
  /** Options whose string value is a connection string (pg `connectionString`). */
  readonly connectionStringOptions?: readonly string[];
  /** A string argument in the options slot is a connection string; the fix wraps it as this option. */
  readonly stringArgumentAs?: string;
  /** Options a fix adds. `value: 'timeout'` is the configured timeout; `atLeastMs` raises it to a floor. */
  readonly write: readonly { readonly option: string; readonly atLeastMs?: number; readonly inner?: readonly string[] }[];
  /** The deadline options as findings name them, when not the options the fix writes. */
  readonly label?: string;
  /** A condition the fix needs (a library version): the fix is then offered, not preferred, and its title says so. */
  readonly fixNeeds?: string;
  /** The options slot may hold the completion callback instead (`exec(cmd, cb)`): options go before it. */
  readonly callback?: true;
  /** An optional array argument at this index (`execFile(file, args?, options?)`): without it, the options sit there. */
  readonly optionalArrayAt?: number;
  /** An option value that marks a connection where a deadline is wrong (ioredis `maxRetriesPerRequest: null`: BullMQ's blocking connection). */
  readonly exempt?: { readonly option: string; readonly value: null };
  /** Where the factory is also accepted as a module import without a call (Nest `imports: [HttpModule]`). */
  readonly bareImport?: string;
}

export interface ClientDeadlinesFacet {
  readonly factories: readonly ClientFactoryDeadline[];
  /**
   * The library's own default deadline, when it has one (mysql2 connectTimeout 10 s, node-redis
   * connectTimeout 5 s): its clients are not "waits forever".
   */
  readonly defaultDeadline?: { readonly option: string; readonly ms: number };
  /** Documents what happens without one. */
  readonly withoutDeadline?: string;
  /**
   * Judged on a request's path only: inside a request handler, or in a file that makes a web app.
   * Elsewhere it is mostly tooling (release and CI scripts), where a person waits and can stop it.
   */
  readonly requestPathOnly?: true;
}

// ---- caches ------------------------------------------------------------------------------------------

/** Commands of a Redis-protocol client (lower-case; node-redis v4 camelCase names compare lower-cased). */
export interface RedisCommands {
  /** Positional TTL tokens of SET: `set(k, v, 'EX', 300)`. */
  readonly ttlTokens: readonly string[];
  /** TTL keys of SET's options object: `set(k, v, { EX: 300 })` (node-redis v4+; lower-case forms are Upstash's). */
  readonly ttlOptions: readonly string[];
  readonly expire: readonly string[];
  readonly set: readonly string[];
  readonly setIfAbsent: readonly string[];
  readonly hashWrites: readonly string[];
  readonly multiWrites: readonly string[];
  /** Reads that, on the same key in the same function, make a write a read-through cache fill. */
  readonly fillReads: readonly string[];
  /** Common commands, for recognising a shared client by its calls. */
  readonly common: readonly string[];
}

export interface CacheFacet extends Versioned<CacheFacet> {
  /** A Redis-protocol client: its commands. */
  readonly redis?: RedisCommands;
  /** SET takes TTLs positionally ('EX', 300) or as an options object ({ EX: 300 }). */
  readonly setTtl?: 'positional' | 'options';
  /** In-process caches: the constructor paths that make one ([] = the module, ['LRUCache']). */
  readonly constructors?: readonly (readonly string[])[];
  /** Options that bound the cache (size or TTL); any of them means it is bounded. */
  readonly boundOptions?: readonly string[];
  /** The TTL option a fix writes, and its unit. */
  readonly ttlOption?: { readonly name: string; readonly unit: 's' | 'ms' };
  /** The size option a fix writes. */
  readonly sizeOption?: string;
  /** Option values that mean "no bound": `stdTTL: 0`, `maxKeys: -1`. */
  readonly unboundedValues?: Readonly<Record<string, string>>;
  /** Argument index of the per-entry TTL of `set(key, value, ttl)`. */
  readonly setTtlArgument?: number;
  /** How a fix imports the cache class. */
  readonly import?: ImportSpec;
}

// ---- loggers ---------------------------------------------------------------------------------------

/** How a structured logger is called (see LOGGER_SHAPES). */
export interface LoggerShape {
  readonly style: LoggerStyle;
  /**
   * 'object-first': `logger.error({ err, ...fields }, 'msg')` (pino, bunyan);
   * 'message-first': `logger.error('msg', { error, ...fields })` (winston);
   * 'message-args': `logger.error('msg', err, { ...fields })` (log4js, console);
   * 'message-stack': `logger.error(message, stack)` with fields in an object message (NestJS).
   */
  readonly order: 'object-first' | 'message-first' | 'message-args' | 'message-stack';
  /** The key the error goes under in the fields object. */
  readonly errorKey?: string;
  /** Method names per level when they differ from the level (Nest: info → `log`). */
  readonly methods?: Readonly<Partial<Record<'error' | 'warn' | 'info' | 'debug', string>>>;
  /** Fields the library writes itself: a call that sets them overwrites or is overwritten. */
  readonly reserved: readonly string[];
}

export interface LoggerFacet {
  readonly style: LoggerStyle;
  /** The export that is the logger class, when not the module itself (Nest `Logger`). */
  readonly export?: string;
  /** The export that is a ready logger instance (a project's own logger module: `export const logger = pino()`). */
  readonly instance?: string;
  /**
   * How a fix creates a module logger: the import, then the declaration. `{name}` is the variable,
   * `{label}` the quoted module label, `{binding}` the imported binding.
   */
  readonly create?: { readonly import: Omit<ImportSpec, 'module'>; readonly declaration: string; readonly classMember?: string };
  /** Priority when a project depends on several logger libraries (lower first). */
  readonly priority?: number;
}

// ---- flags ------------------------------------------------------------------------------------------

export interface FlagMethod {
  readonly name: string;
  /** Returns a promise. */
  readonly async: boolean;
  /** Evaluates a flag by key (a check); false for fetchers (`getEnvironmentFlags()`). */
  readonly check: boolean;
}

export interface FlagsFacet extends Versioned<FlagsFacet> {
  /** The SDK, or 'custom' for a project's own helper. */
  readonly provider: FlagProviderId | 'custom';
  readonly label: string;
  /** Factories whose result is the provider's client, by the callee's last name. */
  readonly clientFactories: readonly string[];
  /** The name a guard calls when the file made no client (it must then be in scope). */
  readonly defaultClient?: string;
  readonly methods: readonly FlagMethod[];
  /**
   * The condition a guard evaluates on a client, `{client}` and `{key}` (quoted) replaced; `{context}`
   * is the evaluation context (see `context`).
   */
  readonly guard: { readonly condition: string; readonly async: boolean };
  /** A guard without a client: an import and a condition on it (OpenFeature's global API, Unleash's module function). */
  readonly moduleGuard?: { readonly import: ImportSpec; readonly condition: string; readonly async: boolean };
  /** LaunchDarkly's evaluation context (`{q}` is the quote): a context object, or a user before SDK 7. */
  readonly context?: string;
  /** The module itself is the client (flagsmith-nodejs 1.x). */
  readonly moduleIsClient?: boolean;
}

// ---- limiters, retries, breakers -----------------------------------------------------------------------

export interface LimiterMount extends Versioned<LimiterMount> {
  readonly framework: FrameworkId;
  /** The import a fix adds (in a CommonJS file); `esmImport` in an ES module when it differs. */
  readonly import: Omit<ImportSpec, 'module'>;
  readonly esmImport?: Omit<ImportSpec, 'module'>;
  /**
   * The statement that mounts it, `{app}`, `{window}` (the window: ms, or a duration string when
   * `windowAsText`), `{limit}` and `{q}` (the quote) replaced. 'register' mounts must run before
   * the routes are declared, where `await` is allowed.
   */
  readonly statement: string;
  readonly via: 'use' | 'register';
  readonly windowAsText?: boolean;
  /** The option names for the limit and the window, as messages name them. */
  readonly limitOption: string;
  readonly windowOption: string;
  /** The example shown in messages. */
  readonly example: string;
}

export interface LimiterFacet {
  /** Named exports that are limiter middleware (a project's own `apiLimiter`); absent: any binding of the module. */
  readonly exports?: readonly string[];
  /** How a fix mounts it, per framework it serves. */
  readonly mount?: LimiterMount;
  /** Fastify: per-route `config: { rateLimit: {...} }` enables it on a route. */
  readonly routeConfigKey?: string;
}

export interface RetryEntry {
  /** Member path: [] or ['default'] for the module function, ['operation'] … */
  readonly path: readonly string[];
  /** Index of the options argument. */
  readonly options: number;
}

export interface RetryFacet extends Versioned<RetryFacet> {
  readonly entries: readonly RetryEntry[];
  /** The option that caps attempts (`retries`, `maxAttempts`); Infinity there retries forever. */
  readonly attemptsOption: string;
  /** An option that retries forever when true. */
  readonly foreverOption?: string;
  /** The delay option, when the default is no delay (axios-retry `retryDelay`, default 0), and the export that backs off with jitter. */
  readonly delay?: { readonly option: string; readonly defaultMs: number; readonly exponential: string };
  /** A backoff option taking a class instance: constant (no backoff) vs exponential. */
  readonly backoff?: { readonly option: string; readonly constant: string; readonly exponential: string };
  /**
   * How a fix replaces a hand-written retry loop: the imports and the statement (`{op}` the
   * operation, `{retries}`, `{attempts}`, `{baseMs}`, `{maxMs}`).
   */
  readonly replaceLoop?: { readonly imports: readonly Omit<ImportSpec, 'module'>[]; readonly statement: string };
  /** Only loadable as an ES module (`import`), not through `require`. */
  readonly esmOnly?: boolean;
}

export interface BreakerFacet {
  /** The constructor or function that wraps an action. */
  readonly create: readonly string[];
  /** Options: the per-call deadline, the failure threshold and the reset time. */
  readonly timeoutOption?: string;
  readonly defaultTimeoutMs?: number;
  readonly thresholdOption?: string;
  readonly resetOption?: string;
}

export interface ConcurrencyFacet extends Versioned<ConcurrencyFacet> {
  readonly import: Omit<ImportSpec, 'module'>;
  /** `const limit = pLimit(n); await Promise.all(items.map((x) => limit(() => work(x))))`. */
  readonly create: string;
  /** Only loadable as an ES module. */
  readonly esmOnly?: boolean;
}

// ---- schedulers --------------------------------------------------------------------------------------

export interface JobShape {
  /**
   * 'call': the member path called on the module (`cron.schedule`); 'new': constructed
   * (`new CronJob(…)`); 'method': a method called on a client created from the module
   * (`agenda.define(…)`, `queue.process(…)`).
   */
  readonly call: 'call' | 'new' | 'method';
  readonly path: readonly string[];
  /** Where the job's callback is: an argument index, the last argument, or an option of the first argument. */
  readonly callback: number | 'last' | { readonly option: string };
  /** Where its name is: an argument (a string literal), or an option of the options object at `argument`; only with at least `minArgs` arguments. */
  readonly name?: { readonly argument: number; readonly option?: string; readonly minArgs?: number };
  /** An option that installs the job's own error handler (its failures are then handled). */
  readonly errorHandlerOption?: string;
  /** A queue processor (errors are retried by the queue and must be rethrown) rather than a timer job. */
  readonly processor?: boolean;
  /** Fewest and most arguments this shape takes. */
  readonly minArgs?: number;
  readonly maxArgs?: number;
}

export interface SchedulerFacet {
  readonly jobs: readonly JobShape[];
  /** Events the library emits when a job fails (`failed`, `fail:<name>` as the prefix `fail:`). */
  readonly failureEvents: readonly string[];
  /** Constructors whose instances observe failures of the library's jobs (BullMQ QueueEvents). */
  readonly failureListeners?: readonly (readonly string[])[];
}

// ---- validators ------------------------------------------------------------------------------------------

export interface ValidatorFacet {
  /** How messages name it. */
  readonly label: string;
  /** Validates request input as route middleware (express-validator, celebrate, Hono validators). */
  readonly middleware?: boolean;
  /** Its schemas have a `.catch(fallback)` of their own (zod, valibot, Effect …): a `.catch()` there is no promise's. */
  readonly schemaCatch?: boolean;
}

// ---- frameworks ---------------------------------------------------------------------------------------

export type RequestRole = 'req' | 'res' | 'next' | 'ctx' | 'handler' | 'error-handler';

/** How an app or router is made from a module's export. */
export interface AppFactory {
  /** The export: '' (the module itself, `express()`), 'Router', 'Hono', 'default' … */
  readonly export: string;
  readonly call: 'call' | 'new';
  readonly role: 'app' | 'router';
}

/** A package's part of a framework: what it exports. */
export interface FrameworkFacet {
  readonly id: AnyFrameworkId;
  /** How apps and routers are made from its exports (`express()`, `Router()`, `new Hono()`). */
  readonly factories?: readonly AppFactory[];
  /** Type names it exports for apps and routers (`Express`, `FastifyInstance`). */
  readonly appTypes?: Readonly<Record<string, 'app' | 'router'>>;
  /** Type names it exports for handler parameters and handlers (`Request`, `RequestHandler`). */
  readonly handlerTypes?: Readonly<Record<string, RequestRole>>;
  /** Importing it tells which framework the file uses (for untyped `app`/`router` parameters). */
  readonly marksFile?: boolean;
  /** It exports the framework's decorators (Nest `@Controller`, `@Get`, `@Throttle`). */
  readonly decorators?: boolean;
  /** The app factory of an entry file (`NestFactory.create`): export and method. */
  readonly bootstrap?: { readonly export: string; readonly method: string };
  /** The web `Response` helper it exports (`NextResponse`). */
  readonly response?: string;
  /** It handles a promise a handler returns (a rejection reaches the error handler). Express < 5 does not. */
  readonly awaitsHandlers?: boolean;
  /** Its query-string parser builds nested objects (`?a[b]=1`): Express < 5 (qs "extended"). */
  readonly nestedQuery?: boolean;
  readonly versions?: readonly VersionSwitch<FrameworkFacet>[];
}

/** Framework-level facts (not tied to one package). */
export interface FrameworkInfo {
  readonly id: FrameworkId;
  readonly label: string;
  /** Dependencies that mean a project uses it (the first is its main package). */
  readonly packages: readonly string[];
  /** Untyped parameters named like apps (`app`, `router`, `fastify`) are its apps in a project that uses only it. */
  readonly untypedApps?: boolean;
  /** Methods that register routes or middleware on an app, and on a router when they differ. */
  readonly appMethods: readonly string[];
  readonly routerMethods?: readonly string[];
  /** `router.route('/x')` (Express) / `app.basePath('/api')` (Hono): a receiver with a path prefix. */
  readonly prefixMethod?: string;
  /** Fastify: `app.route({ method, url, handler })` and `app.register(plugin, opts)`. */
  readonly routeMethod?: string;
  readonly pluginMethod?: string;
  /** Route exports of a route module (Next.js app router: `export async function GET`). */
  readonly routeExports?: readonly string[];
  /** Decorators that declare routes, with their HTTP method (Nest `@Get` → GET). */
  readonly routeDecorators?: Readonly<Record<string, string>>;
  /** How a handler's parameters are laid out, and an error handler's. */
  readonly params: readonly ('req' | 'res' | 'next' | 'ctx')[];
  readonly errorParams?: readonly ('err' | 'req' | 'res' | 'next' | 'ctx')[];
  /** The method that installs an error handler on an app (`setErrorHandler`, `onError`). */
  readonly errorHandler?: string;
  /** Hooks a route's options may carry before its handler (Fastify). */
  readonly hooks?: readonly string[];
  /** Methods of the context that send a body (Hono `c.json`). */
  readonly contextSend?: readonly string[];
  /** Source text that answers 404 from a handler (`{res}`, `{ctx}` replaced); `notFoundWeb` for web-standard route handlers (Next app router). */
  readonly notFound?: string;
  readonly notFoundWeb?: string;
  /** Source text that reads a request header: `{req}`/`{ctx}`, `{header}` the quoted canonical name, `{lower}` the quoted lower-case one. */
  readonly readHeader?: string;
  readonly readHeaderWeb?: string;
  /** Source text of a health route on `{app}` (`{q}` quotes, `{s}` the semicolon, `{eol}`, `{indent}`, `{ind}` layout). */
  readonly healthRoute?: string;
  /** The request-scoped logger the framework gives a handler (`{req}.log`), built in. */
  readonly requestLogger?: string;
  /** Shutdown: close the app itself ('app', Fastify) or the server `listen` returned; Nest enables its shutdown hooks instead. */
  readonly close?: 'app' | 'server';
  readonly shutdownHooks?: string;
}

// ---- payments and other SDKs --------------------------------------------------------------------------

export interface PaymentsFacet {
  /** `resource.method` → index of the request-options argument that takes an idempotency key. */
  readonly moneyMovers: Readonly<Record<string, number>>;
  /** Option names of the idempotency key. */
  readonly idempotencyOptions: readonly string[];
  /** Money movers that act once on one existing object (paying one invoice twice fails): idempotent by construction. */
  readonly idempotentByConstruction?: readonly string[];
}

// ---- testing ----------------------------------------------------------------------------------------------

export interface TestingFacet {
  readonly runner?: RunnerId;
  /** The mock API object of a runner (`vi`, `jest`). */
  readonly mockApi?: string;
  /**
   * It mocks outgoing HTTP in tests: the module a test imports it from (`msw` also needs its
   * `server` entry for Node), and the major version from which it also intercepts global fetch.
   */
  readonly httpMock?: { readonly entry: string; readonly serverEntry?: string; readonly mocksFetchFrom?: number };
  /** A types package to install with it in TypeScript projects. */
  readonly types?: string;
}

// ---- shutdown ------------------------------------------------------------------------------------------------

export interface ShutdownFacet {
  /** Process events it handles for the app (`SIGTERM`, `unhandledRejection`). */
  readonly handles: readonly string[];
  /** It also serves health/readiness endpoints. */
  readonly health?: boolean;
}

// ---- middleware ----------------------------------------------------------------------------------------------

/** A middleware a generated app mounts: its import and the mount statement (`{app}` replaced). */
export interface MiddlewareFacet {
  readonly import: Omit<ImportSpec, 'module'>;
  readonly mount: string;
}

// ---- the record ---------------------------------------------------------------------------------------------

export interface LibraryRecord {
  /** Stable id; code names libraries through the exported constants (`LIB.axios`). */
  readonly id: string;
  /** How messages name it. */
  readonly label: string;
  /**
   * Its module specifiers: package names and entry points (`hono/tiny`). A trailing `/*` names a
   * family (`@aws-sdk/*`: every `@aws-sdk/…` package). `node:` builtins are listed without the
   * prefix unless they only exist with it (`node:test`).
   */
  readonly modules: readonly string[];
  readonly roles: readonly Role[];
  readonly signal?: ProjectSignal;
  readonly io?: IoFacet;
  readonly db?: DbFacet;
  readonly http?: HttpFacet;
  readonly clientDeadlines?: ClientDeadlinesFacet;
  readonly cache?: CacheFacet;
  readonly logger?: LoggerFacet;
  readonly flags?: FlagsFacet;
  readonly limiter?: LimiterFacet;
  readonly retry?: RetryFacet;
  readonly breaker?: BreakerFacet;
  readonly concurrency?: ConcurrencyFacet;
  readonly scheduler?: SchedulerFacet;
  readonly validator?: ValidatorFacet;
  readonly framework?: FrameworkFacet;
  readonly payments?: PaymentsFacet;
  readonly testing?: TestingFacet;
  readonly shutdown?: ShutdownFacet;
  readonly middleware?: MiddlewareFacet;
  /** A free note on a fact that needs one (why a value is what it is). */
  readonly note?: string;
}
