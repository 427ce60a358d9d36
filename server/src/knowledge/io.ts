/**
 * Vocabulary shared by I/O libraries: event-emitter methods, methods that never return a
 * promise, the pseudo-module of runtime globals.
 */

/**
 * The module name the engine gives runtime globals: an unbound `fetch(…)` resolves to
 * `{ module: GLOBAL_MODULE, path: ['fetch'] }`.
 */
export const GLOBAL_MODULE = 'global';

/** EventEmitter methods: wiring, never I/O. */
export const EVENT_METHODS: readonly string[] = ['on', 'once', 'off', 'emit', 'addListener', 'removeListener', 'removeAllListeners', 'listeners', 'setMaxListeners'];

/** Methods of I/O clients that never return a promise (releasing, streaming, paginating iterators). */
export const NON_PROMISE_METHODS: readonly string[] = ['release', 'unref', 'ref', 'pipe', 'stream', 'createReadStream', 'createWriteStream', 'paginate', 'iterate'];

/** HTTP methods that only read, as client method names (`axios.get`). */
export const HTTP_READ_METHODS: readonly string[] = ['get', 'head', 'options'];
