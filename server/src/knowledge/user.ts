/**
 * A project's own knowledge, from the `"knowledge"` key of .failpath.json: its HTTP client (and
 * the option that sets its deadline), its logger module (and the call shape it uses), its flag
 * helper, its limiter middleware. `userKnowledge()` validates the raw JSON value and turns it
 * into table records; `KNOWLEDGE.extend(records)` puts them in front of the built-in ones.
 * Nothing is thrown: every problem is reported with its JSON path and the entry is left out.
 *
 *   "knowledge": {
 *     "httpClients": [{ "module": "@acme/http", "factory": "createClient", "timeoutOption": "timeoutMs",
 *                       "defaultTimeoutMs": 5000, "calls": [{ "method": "get", "options": 1 }] }],
 *     "loggers":     [{ "module": "~/services/logger.server", "export": "logger", "style": "winston" }],
 *     "flagHelpers": [{ "module": "@/lib/flags", "export": "isOn", "async": false }],
 *     "limiters":    [{ "module": "./middleware/limits", "exports": ["apiLimiter", "authLimiter"] }]
 *   }
 *
 * Module specifiers are written as the project's code imports them (a package, or a tsconfig
 * alias); the Session resolves aliases and relative paths to files.
 */
import { LOGGER_STYLE, type HttpCall, type HttpVerb, type LibraryRecord, type LoggerStyle } from './types';

/** A problem in the "knowledge" value: its JSON path below the file's root, and what is wrong. */
export interface UserKnowledgeProblem {
  path: (string | number)[];
  message: string;
}

export interface UserKnowledge {
  records: LibraryRecord[];
  problems: UserKnowledgeProblem[];
}

const SECTIONS = ['httpClients', 'loggers', 'flagHelpers', 'limiters'] as const;
/** Entries read per section: a project has a handful; a file with 100,000 is not read to the end (each is resolved for every view). */
export const MAX_ENTRIES = 500;
const LOGGER_STYLES: readonly LoggerStyle[] = Object.values(LOGGER_STYLE);
const HTTP_VERBS: readonly HttpVerb[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
/** A package (`@acme/http`), an alias (`~/lib/http`, `@/lib/http`, `#http`) or a relative path (`./lib/http`): no spaces, not absolute. */
const SPECIFIER = /^(?![/\\])[^\s\\]+$/;

/** `knowledge.httpClients[0].timeoutOption` — the path as messages and logs show it. */
export function formatPath(path: readonly (string | number)[]): string {
  return path.reduce<string>((out, seg) => (typeof seg === 'number' ? `${out}[${seg}]` : out ? `${out}.${seg}` : seg), '');
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Validates the raw `"knowledge"` value of a .failpath.json (undefined: none) and builds its
 * records. Paths start with "knowledge".
 */
export function userKnowledge(raw: unknown): UserKnowledge {
  const problems: UserKnowledgeProblem[] = [];
  const records: LibraryRecord[] = [];
  const ids = new Set<string>();
  const root = ['knowledge'];
  if (raw === undefined) return { records, problems };
  if (!isObject(raw)) {
    problems.push({ path: root, message: `expected an object with ${SECTIONS.join(', ')}` });
    return { records, problems };
  }
  for (const key of Object.keys(raw)) {
    if (!(SECTIONS as readonly string[]).includes(key)) problems.push({ path: [...root, key], message: `unknown key "${key}"; expected one of ${SECTIONS.join(', ')}` });
  }
  const section = (key: (typeof SECTIONS)[number], build: (entry: Record<string, unknown>, at: (string | number)[], bad: (field: string | (string | number)[], message: string) => void) => LibraryRecord | undefined) => {
    const list = raw[key];
    if (list === undefined) return;
    if (!Array.isArray(list)) { problems.push({ path: [...root, key], message: 'expected an array' }); return; }
    if (list.length > MAX_ENTRIES) problems.push({ path: [...root, key, MAX_ENTRIES], message: `more than ${MAX_ENTRIES} entries; this one and those after it are ignored` });
    list.slice(0, MAX_ENTRIES).forEach((entry, i) => {
      const at = [...root, key, i];
      if (!isObject(entry)) { problems.push({ path: at, message: 'expected an object' }); return; }
      let ok = true;
      const bad = (field: string | (string | number)[], message: string) => {
        ok = false;
        problems.push({ path: [...at, ...(Array.isArray(field) ? field : [field])], message });
      };
      const record = build(entry, at, bad);
      if (ok && record && ids.has(record.id)) bad('module', `${record.label} is already described above`);
      else if (ok && record) { records.push(record); ids.add(record.id); }
    });
  };
  const known = (entry: Record<string, unknown>, fields: readonly string[], bad: (field: string, message: string) => void) => {
    for (const k of Object.keys(entry)) if (!fields.includes(k)) bad(k, `unknown key "${k}"; expected one of ${fields.join(', ')}`);
  };
  const moduleOf = (entry: Record<string, unknown>, bad: (field: string, message: string) => void): string | undefined => {
    const m = entry.module;
    if (typeof m !== 'string' || !m) { bad('module', 'expected the module specifier the code imports, e.g. "@acme/http" or "~/lib/http"'); return undefined; }
    if (!SPECIFIER.test(m) || /^[a-z]:/i.test(m) && !m.startsWith('node:')) { bad('module', `"${m}" is not a module specifier (write it as the code imports it)`); return undefined; }
    return m;
  };
  const identifier = (entry: Record<string, unknown>, field: string, required: boolean, bad: (field: string, message: string) => void): string | undefined => {
    const v = entry[field];
    if (v === undefined) {
      if (required) bad(field, 'required: the name the code uses');
      return undefined;
    }
    if (typeof v !== 'string' || !IDENTIFIER.test(v)) { bad(field, 'expected an identifier'); return undefined; }
    return v;
  };

  section('httpClients', (e, _at, bad) => {
    known(e, ['module', 'factory', 'timeoutOption', 'defaultTimeoutMs', 'calls'], bad);
    const module = moduleOf(e, bad);
    const factory = identifier(e, 'factory', false, bad);
    const timeoutOption = identifier(e, 'timeoutOption', true, bad);
    const d = e.defaultTimeoutMs;
    if (d !== undefined && !(typeof d === 'number' && Number.isInteger(d) && d > 0)) bad('defaultTimeoutMs', 'expected a whole number of milliseconds above 0');
    const calls: HttpCall[] = [];
    const on = factory ? 'instance' : 'module';
    if (!Array.isArray(e.calls) || e.calls.length === 0) bad('calls', 'expected a non-empty array of { "method", "options" }: where each request call takes its options');
    else e.calls.forEach((c, j) => {
      if (!isObject(c)) { bad(['calls', j], 'expected an object'); return; }
      for (const k of Object.keys(c)) if (!['method', 'options', 'httpMethod'].includes(k)) bad(['calls', j, k], `unknown key "${k}"; expected one of method, options, httpMethod`);
      if (c.method !== undefined && (typeof c.method !== 'string' || !IDENTIFIER.test(c.method))) bad(['calls', j, 'method'], 'expected the member name called (get, request); omit it when the export itself is called');
      if (!(typeof c.options === 'number' && Number.isInteger(c.options) && c.options >= 0 && c.options <= 5)) bad(['calls', j, 'options'], 'expected the index (0-5) of the options argument');
      if (c.httpMethod !== undefined && !HTTP_VERBS.includes(c.httpMethod as HttpVerb)) bad(['calls', j, 'httpMethod'], `expected one of ${HTTP_VERBS.join(', ')}`);
      calls.push({
        path: typeof c.method === 'string' ? [c.method] : [], on, options: c.options as number, style: 'custom',
        ...(c.httpMethod !== undefined ? { method: c.httpMethod as HttpVerb } : {}),
      });
    });
    if (!module || !timeoutOption) return undefined;
    return {
      id: `user:http:${module}`,
      label: module,
      modules: [module],
      roles: ['http'],
      io: { kind: 'http', factories: factory ? [factory] : [], promise: { returns: 'promise' } },
      http: {
        calls,
        customStyle: { id: 'custom', deadlineOptions: [timeoutOption, 'signal'], write: 'timeout', writeOption: timeoutOption, ...(typeof d === 'number' ? { defaultMs: d } : {}) },
      },
    };
  });

  section('loggers', (e, _at, bad) => {
    known(e, ['module', 'export', 'style'], bad);
    const module = moduleOf(e, bad);
    const instance = e.export === undefined ? 'logger' : identifier(e, 'export', false, bad);
    const style = e.style;
    if (!LOGGER_STYLES.includes(style as LoggerStyle)) bad('style', `expected the call shape of its methods: one of ${LOGGER_STYLES.join(', ')} (pino/bunyan: logger.error({ err }, 'msg'); winston: logger.error('msg', { error }); log4js: logger.error('msg', err); nestjs: logger.error('msg', stack))`);
    if (!module || !instance || !LOGGER_STYLES.includes(style as LoggerStyle)) return undefined;
    return { id: `user:logger:${module}`, label: module, modules: [module], roles: ['logger'], logger: { style: style as LoggerStyle, instance, priority: -1 } };
  });

  section('flagHelpers', (e, _at, bad) => {
    known(e, ['module', 'export', 'kind', 'method', 'async'], bad);
    const module = moduleOf(e, bad);
    const name = identifier(e, 'export', true, bad);
    const kind = e.kind ?? 'function';
    if (kind !== 'function' && kind !== 'client') bad('kind', 'expected "function" (isOn(\'key\')) or "client" (flags.isEnabled(\'key\'))');
    const method = kind === 'client' ? identifier(e, 'method', true, bad) : undefined;
    if (kind === 'function' && e.method !== undefined) bad('method', 'only a "client" helper has a method');
    if (e.async !== undefined && typeof e.async !== 'boolean') bad('async', 'expected true when the check returns a promise');
    if (!module || !name || (kind === 'client' && !method)) return undefined;
    const isAsync = e.async === true;
    const call = kind === 'client' ? `{client}.${method}({key})` : '{client}({key})';
    return {
      id: `user:flags:${module}#${name}`,
      label: `${name} from ${module}`,
      modules: [module],
      roles: ['flags'],
      flags: {
        provider: 'custom',
        label: name,
        clientFactories: [],
        defaultClient: name,
        methods: [{ name: method ?? name, async: isAsync, check: true }],
        guard: { condition: `${isAsync ? 'await ' : ''}${call}`, async: isAsync },
      },
    };
  });

  section('limiters', (e, _at, bad) => {
    known(e, ['module', 'exports'], bad);
    const module = moduleOf(e, bad);
    const exports = e.exports;
    if (exports !== undefined && !(Array.isArray(exports) && exports.length > 0 && exports.every((x) => typeof x === 'string' && IDENTIFIER.test(x)))) {
      bad('exports', 'expected a non-empty array of the exported limiter names (omit it when every export is one)');
      return undefined;
    }
    if (!module) return undefined;
    return { id: `user:limiter:${module}`, label: module, modules: [module], roles: ['limiter'], limiter: exports ? { exports: exports as string[] } : {} };
  });

  return { records, problems };
}
