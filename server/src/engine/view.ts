/**
 * What a rule may know about the project a file lives in: plain data computed by the Session
 * (workspace/session.ts) from the project's own code and `.failpath.json`, identical in the
 * language server, the CLI and the scan worker (each builds views from the same Session snapshot,
 * which crosses threads as structured-clone data).
 * Rules read it through `ctx.view`; without a Session (a lone file, unit tests) it is EMPTY_VIEW.
 */

/** One classifier's answer for a file (workspace/roles.ts). */
export type FileRole = 'server' | 'browser' | 'test' | 'script' | 'build' | 'bootstrap';

export type CallShape = 'object-first' | 'message-first';

export interface ErrorArgument {
  /** `log.error('msg', err)` → positional; `log.error('msg', { error: err })` → field 'error'. */
  kind: 'positional' | 'field';
  /** For 'field': the key the project puts the error under (`err`, `error`, `e`…). */
  key?: string;
  /** 'positional' only: the project passes the error's stack (`err.stack`), as Nest's `error(message, stack)` takes it. */
  stack?: boolean;
}

export interface LoggerConvention {
  /** The module the logger comes from: a project file (absolute path) or a package name. */
  module: { kind: 'file'; file: string } | { kind: 'package'; name: string };
  /** The export importers take (`logger`, `log`, `default`, or a factory such as `createLogger`). */
  exportName: string;
  /** The name most importers bind it to. */
  localName: string;
  /** A factory the project calls once per module (`const log = createLogger('orders')`). */
  factory?: { /** The binding the call result is stored in, most often. */ binding: string; /** 'module-name' when called with the module's name, 'none' when called without arguments. */ argument: 'module-name' | 'none' };
  /** The specifiers importers write, most used first (`~/services/logger.server`, `@acme/logger`). */
  specifiers: { specifier: string; count: number }[];
  /** How many project files import it. */
  importers: number;
  shape: CallShape;
  /** How an error is passed in message-first calls (object-first puts it under `errorKey`). */
  error: ErrorArgument;
  /** Object-first: the key of the error in the fields object (`err` for pino's serializer). */
  errorKey: string;
  /** The warning level's method (`warn`, or `warning` for some wrappers). */
  warnMethod: string;
  /** The info level's method when it is not `info` (Nest's Logger: `log`). */
  infoMethod?: string;
  /** Call sites read to learn the shape, and how many agreed. */
  evidence: { calls: number; agreeing: number; files: number };
  /** The logging library the module is built on, when it says (from knowledge). */
  library?: string;
}

/** A project function or instance that wraps an HTTP client (`api.get`, `fetchJson`). */
export interface HttpWrapper {
  /** Absolute path of the module that exports it. */
  file: string;
  exportName: string;
  /** Whether every call through it gets a deadline (the wrapper sets one). */
  setsDeadline: boolean;
  /** The client it wraps, as a knowledge library id. */
  library?: string;
  /** Declared in .failpath.json ("knowledge.httpClients"): how requests through it are made and which option is their deadline. */
  declared?: DeclaredHttpClient;
}

/**
 * An HTTP client a project declares in .failpath.json: a package or a module of its own whose
 * calls missing-timeout judges like a known library's. Matched by `file` of its HttpWrapper (an
 * absolute path, or a package name / specifier when it is not a project file).
 */
export interface DeclaredHttpClient {
  /** The module as .failpath.json names it. */
  specifier: string;
  /** The export that makes a client (`createClient`); absent: requests are made on the module's exports. */
  factory?: string;
  /** Request calls: the member path below the module (or the client), and the index of the options argument. */
  calls: readonly { path: readonly string[]; options: number }[];
  /** The option that sets a request's deadline (the fix writes it); `signal` counts too. */
  timeoutOption: string;
  /** The client's own default deadline, when it has one: calls without the option are then fine. */
  defaultTimeoutMs?: number;
}

/** A project's own kill-switch helper: `isOn('quotes-v2')`, `flag('x')`, `flags.isEnabled('x')`. */
export interface FlagHelper {
  /** Absolute path of the module that exports it, or a package name for an SDK client. */
  module: string;
  exportName: string;
  /** Method called on it, when it is an object (`isEnabled`); absent for a plain function. */
  method?: string;
  /** Flag keys seen in conditions. */
  keys: string[];
}

/** A rate limiter middleware the project holds in a binding (`const limiter = rateLimit(...)`, an array of middlewares). */
export interface LimiterBinding {
  /** Absolute path of the module; for a limiter declared in .failpath.json that is no project file, its package name. */
  file: string;
  /** Exported/local name of the binding (or array) that holds a limiter; `*`: every export of the module (declared without `exports`). */
  name: string;
}

/** Facts about a function in another file, read from its text (no type checker). */
export interface FunctionSummary {
  /** Does it (transitively, within its file) call an external I/O, and of which kind (knowledge IO id). */
  io?: string;
  /** Does every external call in it get a deadline. */
  setsDeadline: boolean;
  /** Does its body catch every error (top-level try/catch that does not rethrow). */
  catchesAll: boolean;
  /** Can the returned promise reject (async without catch-all). */
  canReject: boolean;
  /** Does it pass or read an idempotency key (an `idempotencyKey` option, an Idempotency-Key header). Absent when unknown. */
  idempotent?: boolean;
}

export interface ProjectView {
  /** This file's role. */
  readonly role: FileRole;
  /** Spans of browser code inside a server module (React components, `use*` hooks), by source position. */
  readonly browserSpans: readonly { pos: number; end: number }[];
  readonly logger?: LoggerConvention;
  /** Request-scoped logger expressions the project uses (`req.log`, `request.log`, `server.log`). */
  readonly requestLoggers: readonly string[];
  readonly httpWrappers: readonly HttpWrapper[];
  readonly flagHelpers: readonly FlagHelper[];
  readonly limiters: readonly LimiterBinding[];
  /** Health route paths the project registers (through constants and prefixes resolved). */
  readonly healthRoutes: readonly string[];
  /**
   * Functions of this file (by their declared name) that the project calls only inside
   * development-only branches (`if (NODE_ENV !== 'production') mountDebugRoutes(app)` in another
   * file): the routes they register are not production routes. Absent: none known.
   */
  readonly devOnly?: readonly string[];
  /**
   * The file belongs to an isomorphic workspace library: browser code and server code of other
   * packages both import it (a `commons` package shared by a React front end and the back end).
   * Its role stays what it is; the back end's logger cannot be used there. Absent: no.
   */
  readonly shared?: true;
  /** Summary of `name` as exported by the module `specifier` imports from this file; undefined when unknown. */
  summaryOf(specifier: string, name: string): FunctionSummary | undefined;
  /**
   * The project file `specifier` refers to when this file imports it (module graph: relative, alias or
   * workspace package name); undefined when it is no project file or is not known.
   */
  moduleFileOf?(specifier: string): string | undefined;
}

export const EMPTY_VIEW: ProjectView = {
  role: 'server', browserSpans: [], requestLoggers: [], httpWrappers: [], flagHelpers: [], limiters: [], healthRoutes: [],
  summaryOf: () => undefined,
};
