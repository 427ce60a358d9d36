/**
 * HTTP clients: how requests are made (method → options slot), how a deadline is set and seen,
 * which members are local helpers, and the defaults that matter (ky: 10 s).
 */
import { GLOBAL_MODULE } from './io';
import type { HttpCall, HttpStyle, HttpStyleId, LibraryRecord } from './types';

/** How each call style takes a deadline. */
export const HTTP_STYLES: Readonly<Record<Exclude<HttpStyleId, 'custom'>, HttpStyle>> = {
  // `dispatcher` (an undici Agent with its own timeouts) also counts for fetch
  fetch: { id: 'fetch', deadlineOptions: ['signal', 'timeout', 'dispatcher'], write: 'signal' },
  axios: { id: 'axios', deadlineOptions: ['signal', 'timeout'], write: 'timeout', defaultsTimeout: true },
  got: { id: 'got', deadlineOptions: ['signal', 'timeout'], write: 'timeout-request' },
  ky: { id: 'ky', deadlineOptions: ['signal', 'timeout'], write: 'timeout', defaultMs: 10000 },
  superagent: { id: 'superagent', deadlineOptions: [], write: 'chain' },
  'node-http': { id: 'node-http', deadlineOptions: ['signal', 'timeout'], write: 'signal', requestSetTimeout: true },
  'undici-request': { id: 'undici-request', deadlineOptions: ['signal', 'timeout', 'headersTimeout', 'bodyTimeout', 'dispatcher'], write: 'signal' },
};

const verbs = (style: HttpStyleId, on: HttpCall['on'], slots: Readonly<Record<string, number>>, methods: Readonly<Record<string, HttpCall['method']>>): HttpCall[] =>
  Object.entries(slots).map(([m, options]) => ({ path: [m], on, options, style, ...(methods[m] ? { method: methods[m] } : {}) }));

const VERB: Readonly<Record<string, HttpCall['method']>> = {
  get: 'GET', delete: 'DELETE', head: 'HEAD', options: 'OPTIONS', post: 'POST', put: 'PUT', patch: 'PATCH',
  postForm: 'POST', putForm: 'PUT', patchForm: 'PATCH',
};

export const HTTP_CLIENTS: readonly LibraryRecord[] = [
  {
    id: 'fetch',
    label: 'fetch',
    modules: [GLOBAL_MODULE],
    roles: ['http'],
    note: 'The runtime global `fetch` (Node 18+, browsers): resolved to the pseudo-module GLOBAL_MODULE.',
    io: { kind: 'http', factories: [], promise: { returns: 'promise' }, chain: ['json', 'text'] },
    http: { calls: [{ path: ['fetch'], on: 'module', options: 1, style: 'fetch', method: 'from-options', label: 'fetch' }], overFetch: true },
  },
  {
    id: 'node-fetch',
    label: 'node-fetch',
    modules: ['node-fetch'],
    roles: ['http'],
    io: { kind: 'http', factories: [], promise: { returns: 'promise' } },
    http: {
      calls: [
        { path: [], on: 'module', options: 1, style: 'fetch', method: 'from-options', label: 'fetch' },
        { path: ['default'], on: 'module', options: 1, style: 'fetch', method: 'from-options', label: 'fetch' },
      ],
    },
  },
  {
    id: 'undici',
    label: 'undici',
    modules: ['undici'],
    roles: ['http', 'http-mock'],
    io: {
      kind: 'http',
      factories: ['Agent', 'Pool', 'Client'],
      local: ['setGlobalDispatcher', 'getGlobalDispatcher', 'MockAgent', 'Headers', 'Request', 'Response', 'FormData'],
      promise: { returns: 'promise' },
    },
    // Agent/Pool/Client instances configure their own timeouts: only the module functions are requests here
    http: {
      calls: [
        { path: ['fetch'], on: 'module', options: 1, style: 'fetch', method: 'from-options', label: 'undici fetch' },
        { path: ['request'], on: 'module', options: 1, style: 'undici-request', method: 'from-options', label: 'undici request' },
      ],
      overFetch: true,
    },
    testing: { httpMock: { entry: 'undici' } },
  },
  {
    id: 'axios',
    label: 'axios',
    modules: ['axios'],
    roles: ['http'],
    io: {
      kind: 'http',
      factories: ['create'],
      local: ['isAxiosError', 'isCancel', 'interceptors', 'defaults', 'getUri', 'CancelToken', 'all', 'spread', 'toFormData', 'formToJSON', 'mergeConfig'],
      promise: { returns: 'promise' },
    },
    http: {
      calls: [
        { path: [], on: 'both', options: 'url-or-config', style: 'axios', method: 'from-options' },
        { path: ['request'], on: 'both', options: 0, style: 'axios' },
        ...verbs('axios', 'both', { get: 1, delete: 1, head: 1, options: 1, post: 2, put: 2, patch: 2, postForm: 2, putForm: 2, patchForm: 2 }, VERB),
      ],
      baseUrlOption: 'baseURL',
    },
    clientDeadlines: {
      factories: [{ path: ['create'], call: 'call', options: 0, deadlineOptions: ['timeout', 'signal'], write: [{ option: 'timeout' }] }],
      withoutDeadline: 'timeout 0: no deadline',
    },
  },
  {
    id: 'got',
    label: 'got',
    modules: ['got'],
    roles: ['http'],
    io: { kind: 'http', factories: ['extend'], local: ['mergeOptions', 'HTTPError', 'RequestError', 'TimeoutError'], promise: { returns: 'promise' } },
    http: {
      calls: [
        { path: [], on: 'both', options: 'url-or-config', style: 'got', method: 'from-options' },
        ...verbs('got', 'both', { get: 1, post: 1, put: 1, patch: 1, delete: 1, head: 1 }, VERB),
      ],
      baseUrlOption: 'prefixUrl',
    },
  },
  {
    id: 'ky',
    label: 'ky',
    modules: ['ky'],
    roles: ['http'],
    io: { kind: 'http', factories: ['create', 'extend'], local: ['HTTPError', 'TimeoutError', 'stop'], promise: { returns: 'promise' } },
    http: {
      calls: [
        { path: [], on: 'both', options: 1, style: 'ky', method: 'from-options' },
        ...verbs('ky', 'both', { get: 1, post: 1, put: 1, patch: 1, delete: 1, head: 1 }, VERB),
      ],
      baseUrlOption: 'prefixUrl',
      // ky wraps fetch
      overFetch: true,
    },
  },
  {
    id: 'superagent',
    label: 'superagent',
    modules: ['superagent'],
    roles: ['http'],
    io: { kind: 'http', factories: ['agent'] },
    http: { calls: ['get', 'post', 'put', 'patch', 'del', 'delete', 'head', 'options'].map((m) => ({ path: [m], on: 'module' as const, options: -1, style: 'superagent' as const })) },
  },
  {
    id: 'node-http',
    label: 'node:http',
    modules: ['http', 'https'],
    roles: ['http', 'node-server'],
    signal: { import: 'server' },
    io: {
      kind: 'http',
      factories: [],
      local: ['createServer', 'Agent', 'STATUS_CODES', 'METHODS', 'Server', 'IncomingMessage', 'ServerResponse', 'globalAgent', 'validateHeaderName', 'validateHeaderValue', 'OutgoingMessage', 'maxHeaderSize'],
    },
    http: {
      calls: [
        { path: ['request'], on: 'module', options: 'url-or-config', style: 'node-http' },
        { path: ['get'], on: 'module', options: 'url-or-config', style: 'node-http' },
      ],
    },
    note: 'https shares http\'s facts (it exports only createServer, Agent, Server and globalAgent of the local members).',
  },
  {
    id: 'nestjs-axios',
    label: '@nestjs/axios',
    modules: ['@nestjs/axios'],
    roles: ['http', 'framework-plugin'],
    clientDeadlines: {
      factories: [{ path: ['HttpModule', 'register'], call: 'call', options: 0, deadlineOptions: ['timeout', 'signal'], write: [{ option: 'timeout' }], bareImport: 'HttpModule' }],
      withoutDeadline: 'axios underneath: timeout 0',
    },
  },
];
