/**
 * Engine configuration: the merge of user/workspace settings (and later `.failpath.json`).
 * Validation never throws: a bad value is reported as a problem and its default is used.
 */
import { SEVERITY_SETTINGS, type SeveritySetting } from './severity';
import { FLAG_PROVIDER, LOGGER_STYLE, type FlagProviderId } from '../knowledge';

/** The logger styles settings accept (knowledge/ LOGGER_STYLE), and plain console. */
export type LoggerStyle = typeof LOGGER_STYLE.pino | typeof LOGGER_STYLE.winston | typeof LOGGER_STYLE.bunyan | 'console';
export const LOGGER_STYLES: readonly LoggerStyle[] = [LOGGER_STYLE.pino, LOGGER_STYLE.winston, LOGGER_STYLE.bunyan, 'console'];

export interface LoggerSetting {
  /** Module to import the logger from, e.g. "./log" or "@acme/logger". Empty: already in scope. */
  import?: string;
  /** The binding name, e.g. "logger". */
  name: string;
  /** Argument order of the logger's methods. */
  style: LoggerStyle;
}

/** The flag SDKs of knowledge/ (FLAG_PROVIDER), or the project's own function (`custom`). */
export type FlagProvider = FlagProviderId | 'custom';
export const FLAG_PROVIDERS: readonly FlagProvider[] = [...Object.values(FLAG_PROVIDER), 'custom'];

export interface FlagsSetting {
  provider: FlagProvider;
  /** Module to import the client/function from (optional). */
  import?: string;
  /** Binding name of the flag client or of the custom function. */
  name?: string;
}

export interface RuleSetting {
  severity?: SeveritySetting;
  options?: Record<string, unknown>;
}

export interface EngineConfig {
  enable: boolean;
  rules: Record<string, RuleSetting>;
  timeoutMs: number;
  logger?: LoggerSetting;
  flags?: FlagsSetting;
  /** Extra module names whose calls count as external (DB/cache/SDK) calls. */
  externalModules: string[];
  cacheTtlSeconds: number;
  /** From .failpath.json: the flag registry (key → owner, expiry, removed). */
  flagRegistry?: Record<string, { owner?: string; expires?: string; removed?: boolean; description?: string }>;
  /** From .failpath.json: configured features for the readiness model. */
  features?: Record<string, { paths: string[]; flags?: string[]; owner?: string }>;
  /** From .failpath.json: globs (relative to the config file's folder) of files to skip. */
  ignore?: { base: string; patterns: string[] }[];
}

export const DEFAULT_CONFIG: EngineConfig = Object.freeze({
  enable: true,
  rules: {},
  timeoutMs: 10000,
  externalModules: [],
  cacheTtlSeconds: 300,
}) as EngineConfig;

export interface ConfigProblem {
  /** Dotted path of the offending setting, e.g. "failpath.timeoutMs". */
  path: string;
  message: string;
}

export interface NormalizedConfig {
  config: EngineConfig;
  problems: ConfigProblem[];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Keys that reach or replace an object's prototype. A `"__proto__"` key read by a JSON parser that
 * assigns properties (jsonc-parser does) becomes the object's prototype: its keys are invisible to
 * validation (Object.keys) yet read by `obj.ignore`. Wherever they appear, at any depth, they are
 * reported as invalid and dropped, never applied.
 */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** Beyond this depth a settings value is dropped (reported), so the copy below cannot overflow the stack. */
export const MAX_SETTINGS_DEPTH = 100;

export function forbiddenKeyMessage(key: string): string {
  return `"${key}" is not allowed as a key (it names an object's prototype); ignoring it and what it holds`;
}

/**
 * A copy of JSON-like `value` without forbidden keys at any depth (own keys: JSON.parse keeps
 * `"__proto__"` as an own key). `found` hears each dropped key's path and why.
 */
export function withoutForbiddenKeys(value: unknown, found?: (segments: string[], message: string) => void, at: string[] = []): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (at.length >= MAX_SETTINGS_DEPTH) {
    found?.(at, `nested more than ${MAX_SETTINGS_DEPTH} levels deep; ignoring it`);
    return undefined;
  }
  if (Array.isArray(value)) return value.map((v, i) => withoutForbiddenKeys(v, found, [...at, String(i)]));
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    if (FORBIDDEN_KEYS.has(key)) {
      found?.([...at, key], forbiddenKeyMessage(key));
      continue;
    }
    out[key] = withoutForbiddenKeys((value as Record<string, unknown>)[key], found, [...at, key]);
  }
  return out;
}

/**
 * Turns raw settings (the `failpath` section as the client sends it, or a parsed config file)
 * into an EngineConfig. Unknown rule ids are reported when `knownRules` is given.
 */
export function normalizeConfig(raw: unknown, knownRules?: ReadonlySet<string>, prefix = 'failpath'): NormalizedConfig {
  const problems: ConfigProblem[] = [];
  // rule ids are user keys: a map without a prototype (rules['constructor'] is not Object)
  const config: EngineConfig = { ...DEFAULT_CONFIG, rules: Object.create(null) as Record<string, RuleSetting>, externalModules: [] };
  if (raw === undefined || raw === null) return { config, problems };
  raw = withoutForbiddenKeys(raw, (segments, message) => problems.push({ path: [prefix, ...segments].join('.'), message }));
  if (!isObject(raw)) {
    problems.push({ path: prefix, message: 'expected an object; using defaults' });
    return { config, problems };
  }
  const bad = (key: string, message: string) => problems.push({ path: `${prefix}.${key}`, message });

  if (raw.enable !== undefined) {
    if (typeof raw.enable === 'boolean') config.enable = raw.enable;
    else bad('enable', 'expected true or false; using true');
  }
  if (raw.timeoutMs !== undefined) {
    const v = raw.timeoutMs;
    if (typeof v === 'number' && Number.isInteger(v) && v > 0 && v <= 3_600_000) config.timeoutMs = v;
    else bad('timeoutMs', `expected a whole number of milliseconds between 1 and 3600000; using ${DEFAULT_CONFIG.timeoutMs}`);
  }
  if (raw.cacheTtlSeconds !== undefined) {
    const v = raw.cacheTtlSeconds;
    if (typeof v === 'number' && Number.isInteger(v) && v > 0) config.cacheTtlSeconds = v;
    else bad('cacheTtlSeconds', `expected a whole number of seconds above 0; using ${DEFAULT_CONFIG.cacheTtlSeconds}`);
  }
  if (raw.externalModules !== undefined) {
    const v = raw.externalModules;
    if (Array.isArray(v) && v.every((m) => typeof m === 'string' && m.length > 0)) config.externalModules = [...v];
    else bad('externalModules', 'expected an array of module names; ignoring');
  }
  if (raw.rules !== undefined) {
    if (!isObject(raw.rules)) bad('rules', 'expected an object mapping rule ids to off|hint|info|warning|error');
    else {
      for (const [id, value] of Object.entries(raw.rules)) {
        if (knownRules && !knownRules.has(id)) {
          bad(`rules.${id}`, `unknown rule id "${id}"; ignoring`);
          continue;
        }
        if (typeof value === 'string') {
          if ((SEVERITY_SETTINGS as readonly string[]).includes(value)) config.rules[id] = { severity: value as SeveritySetting };
          else bad(`rules.${id}`, `"${value}" is not one of ${SEVERITY_SETTINGS.join('|')}; using the rule's default`);
        } else if (isObject(value)) {
          const setting: RuleSetting = {};
          if (value.severity !== undefined) {
            if (typeof value.severity === 'string' && (SEVERITY_SETTINGS as readonly string[]).includes(value.severity)) {
              setting.severity = value.severity as SeveritySetting;
            } else bad(`rules.${id}.severity`, `expected one of ${SEVERITY_SETTINGS.join('|')}; using the rule's default`);
          }
          if (value.options !== undefined) {
            if (isObject(value.options)) setting.options = { ...value.options };
            else bad(`rules.${id}.options`, 'expected an object; ignoring');
          }
          config.rules[id] = setting;
        } else bad(`rules.${id}`, `expected off|hint|info|warning|error or { "severity", "options" }`);
      }
    }
  }
  if (raw.logger !== undefined && raw.logger !== null) {
    const v = raw.logger;
    if (!isObject(v) || typeof v.name !== 'string' || !/^[A-Za-z_$][\w$]*$/.test(v.name)) {
      bad('logger', 'expected { "import": "./log", "name": "logger", "style": "pino" }; ignoring');
    } else if (v.style !== undefined && !(LOGGER_STYLES as readonly unknown[]).includes(v.style)) {
      bad('logger.style', `expected one of ${LOGGER_STYLES.join('|')}; ignoring the logger setting`);
    } else if (v.import !== undefined && typeof v.import !== 'string') {
      bad('logger.import', 'expected a module path string; ignoring the logger setting');
    } else {
      config.logger = { name: v.name, style: (v.style as LoggerStyle) ?? LOGGER_STYLE.pino, import: (v.import as string) || undefined };
    }
  }
  if (raw.flags !== undefined && raw.flags !== null) {
    const v = raw.flags;
    if (!isObject(v) || !(FLAG_PROVIDERS as readonly unknown[]).includes(v.provider)) {
      bad('flags', `expected { "provider": ${FLAG_PROVIDERS.join('|')}, "import"?, "name"? }; ignoring`);
    } else if (v.name !== undefined && (typeof v.name !== 'string' || !/^[A-Za-z_$][\w$.]*$/.test(v.name))) {
      bad('flags.name', 'expected an identifier; ignoring the flags setting');
    } else if (v.import !== undefined && typeof v.import !== 'string') {
      bad('flags.import', 'expected a module path string; ignoring the flags setting');
    } else if (v.provider === 'custom' && typeof v.name !== 'string') {
      bad('flags.name', 'the custom provider needs the name of your flag function; ignoring the flags setting');
    } else {
      config.flags = { provider: v.provider as FlagProvider, import: (v.import as string) || undefined, name: v.name as string | undefined };
    }
  }
  return { config, problems };
}
