/**
 * `.failpath.json` — the project's shared configuration, read by the editor and the CLI alike.
 * JSONC (comments and trailing commas allowed), parsed with jsonc-parser; never executed.
 * Every problem carries the offset range of the bad spot so the editor can underline it; bad
 * values fall back to defaults and nothing else breaks.
 *
 * Precedence: defaults < .failpath.json files from the outermost folder to the nearest one <
 * editor settings (`failpath.*`), so a developer can still silence a rule in their own editor.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseTree, findNodeAtLocation, printParseErrorCode, type ParseError, type Node as JsonNode } from 'jsonc-parser';
import { FORBIDDEN_KEYS, MAX_SETTINGS_DEPTH, forbiddenKeyMessage, normalizeConfig, withoutForbiddenKeys, type EngineConfig, type ConfigProblem } from './config';
import { globProblem } from './glob';
import { MAX_MANIFEST_BYTES, readWorkspaceFileOrThrow, rootsOf, type RootsSource } from './readSource';
import { formatPath, userKnowledge, type LibraryRecord } from '../knowledge';

export const CONFIG_FILE = '.failpath.json';

/** A feature declared in .failpath.json ("features"): its files, flags and owner. */
export interface FeatureConfig {
  paths: string[];
  flags?: string[];
  owner?: string;
  /** Absolute folder the `paths` globs are relative to (the .failpath.json's folder); default: the index root. */
  base?: string;
}

export interface FlagRegistryEntry {
  owner?: string;
  /** ISO date (YYYY-MM-DD) after which the flag should be gone. */
  expires?: string;
  /** The flag was removed from the flag service; code must not use it any more. */
  removed?: boolean;
  description?: string;
}

export interface ConfigFileProblem {
  message: string;
  start: number;
  end: number;
  severity: 'error' | 'warning';
}

export interface ParsedConfigFile {
  /** Settings in the shape of the `failpath` settings section (rules, timeoutMs, logger, …). */
  settings: Record<string, unknown>;
  features?: Record<string, FeatureConfig>;
  flags?: Record<string, FlagRegistryEntry>;
  ignore?: string[];
  /**
   * The project's own libraries ("knowledge": its HTTP client, logger, flag helper, limiter) as
   * table records; the Session applies them to the views of the files under this file's folder.
   */
  knowledge?: LibraryRecord[];
  problems: ConfigFileProblem[];
}

const SETTINGS_KEYS = new Set(['enable', 'rules', 'timeoutMs', 'cacheTtlSeconds', 'externalModules', 'logger']);
const TOP_KEYS = new Set([...SETTINGS_KEYS, '$schema', 'features', 'flags', 'flagProvider', 'ignore', 'knowledge']);
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A glob or path that stays inside the folder of the config file. */
export function isContainedPattern(p: string): boolean {
  if (p.length === 0 || path.isAbsolute(p) || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('~')) return false;
  return !p.split(/[\\/]+/).includes('..');
}

/**
 * The value of a parsed JSON tree, built here rather than by jsonc-parser's `parse`, which assigns
 * keys (`obj[key] = value`): a `"__proto__"` key then replaced the object's prototype, hiding its
 * keys from validation while `value.ignore` still read them. Forbidden keys are left out and
 * reported at the key.
 */
function plainValue(node: JsonNode, forbidden: (key: JsonNode, message: string) => void, depth = 0): unknown {
  if (depth >= MAX_SETTINGS_DEPTH && (node.type === 'object' || node.type === 'array')) {
    forbidden(node, `nested more than ${MAX_SETTINGS_DEPTH} levels deep; ignoring it`);
    return undefined;
  }
  if (node.type === 'array') return (node.children ?? []).map((c) => plainValue(c, forbidden, depth + 1));
  if (node.type !== 'object') return node.value;
  const out: Record<string, unknown> = {};
  for (const prop of node.children ?? []) {
    const [key, child] = prop.children ?? [];
    if (!key || typeof key.value !== 'string') continue;
    if (FORBIDDEN_KEYS.has(key.value)) {
      forbidden(key, forbiddenKeyMessage(key.value));
      continue;
    }
    if (child) out[key.value] = plainValue(child, forbidden, depth + 1);
  }
  return out;
}

export function parseConfigFile(text: string, knownRules?: ReadonlySet<string>): ParsedConfigFile {
  const problems: ConfigFileProblem[] = [];
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  for (const e of errors) problems.push({ message: `Invalid JSON: ${printParseErrorCode(e.error)}`, start: e.offset, end: e.offset + Math.max(e.length, 1), severity: 'error' });
  const value = tree && plainValue(tree, (node, message) => problems.push({ message, start: node.offset, end: node.offset + node.length, severity: 'error' }));
  const at = (segments: (string | number)[], preferKey = false): { start: number; end: number } => {
    // a missing value (a required field left out) is shown on the nearest value that is there
    let node = tree && findNodeAtLocation(tree, segments);
    for (let n = segments.length - 1; tree && !node && n > 0; n--) {
      node = findNodeAtLocation(tree, segments.slice(0, n));
      if (node) preferKey = false;
    }
    if (!node) return tree ? { start: tree.offset, end: tree.offset + 1 } : { start: 0, end: Math.min(1, text.length) };
    const target: JsonNode = preferKey && node.parent?.type === 'property' && node.parent.children?.[0] ? node.parent.children[0] : node;
    return { start: target.offset, end: target.offset + target.length };
  };
  const bad = (segments: (string | number)[], message: string, severity: 'error' | 'warning' = 'error', preferKey = false) =>
    problems.push({ message, severity, ...at(segments, preferKey) });

  const result: ParsedConfigFile = { settings: {}, problems };
  if (errors.length > 0 && !isObject(value)) return result;
  if (!isObject(value)) {
    if (value !== undefined) bad([], 'A .failpath.json file holds one JSON object');
    return result;
  }
  for (const key of Object.keys(value)) {
    if (!TOP_KEYS.has(key)) bad([key], `Unknown key "${key}"; expected one of ${[...TOP_KEYS].filter((k) => k !== '$schema').join(', ')}`, 'warning', true);
    else if (SETTINGS_KEYS.has(key)) result.settings[key] = value[key];
  }
  if (value.flagProvider !== undefined) result.settings.flags = value.flagProvider;

  // reuse the settings validator, then map its dotted paths to JSON locations
  const { problems: settingProblems } = normalizeConfig(result.settings, knownRules, '');
  for (const p of settingProblems) {
    const segs = p.path.replace(/^\./, '').split('.').filter(Boolean).map((s) => (s === 'flags' ? 'flagProvider' : s));
    bad(segs, p.message, segs[0] === 'rules' && /unknown rule id/.test(p.message) ? 'warning' : 'error', /unknown rule id/.test(p.message));
  }

  if (value.features !== undefined) {
    if (!isObject(value.features)) bad(['features'], 'expected an object mapping feature names to { "paths": [...] }');
    else {
      const features: Record<string, FeatureConfig> = Object.create(null);
      for (const [name, f] of Object.entries(value.features)) {
        if (!isObject(f) || !Array.isArray(f.paths) || f.paths.length === 0 || !f.paths.every((p) => typeof p === 'string')) {
          bad(['features', name], `feature "${name}" needs "paths": a non-empty array of globs relative to this file`);
          continue;
        }
        const escaping = (f.paths as string[]).findIndex((p) => !isContainedPattern(p));
        if (escaping !== -1) {
          bad(['features', name, 'paths', escaping], `"${(f.paths as string[])[escaping]}" must stay inside this folder (no absolute paths, no "..")`);
          continue;
        }
        const complex = (f.paths as string[]).findIndex((p) => globProblem(p) !== undefined);
        if (complex !== -1) {
          bad(['features', name, 'paths', complex], `"${(f.paths as string[])[complex]}" ${globProblem((f.paths as string[])[complex])}`);
          continue;
        }
        if (f.flags !== undefined && !(Array.isArray(f.flags) && f.flags.every((x) => typeof x === 'string'))) { bad(['features', name, 'flags'], 'expected an array of flag keys'); continue; }
        if (f.owner !== undefined && typeof f.owner !== 'string') { bad(['features', name, 'owner'], 'expected a team or person name'); continue; }
        features[name] = { paths: f.paths as string[], flags: f.flags as string[] | undefined, owner: f.owner as string | undefined };
      }
      result.features = features;
    }
  }
  if (value.flags !== undefined) {
    if (!isObject(value.flags)) bad(['flags'], 'expected an object mapping flag keys to { "owner", "expires" }');
    else {
      const flags: Record<string, FlagRegistryEntry> = Object.create(null);
      for (const [key, f] of Object.entries(value.flags)) {
        if (!isObject(f)) { bad(['flags', key], `flag "${key}" needs an object like { "owner": "team", "expires": "2027-01-31" }`); continue; }
        if (f.expires !== undefined && (typeof f.expires !== 'string' || !ISO_DATE.test(f.expires) || Number.isNaN(Date.parse(f.expires)))) {
          bad(['flags', key, 'expires'], 'expected a date as YYYY-MM-DD');
          continue;
        }
        if (f.removed !== undefined && typeof f.removed !== 'boolean') { bad(['flags', key, 'removed'], 'expected true or false'); continue; }
        if (f.owner !== undefined && typeof f.owner !== 'string') { bad(['flags', key, 'owner'], 'expected a team or person name'); continue; }
        flags[key] = { owner: f.owner as string | undefined, expires: f.expires as string | undefined, removed: f.removed as boolean | undefined, description: typeof f.description === 'string' ? f.description : undefined };
      }
      result.flags = flags;
    }
  }
  if (value.ignore !== undefined) {
    if (!Array.isArray(value.ignore) || !value.ignore.every((g) => typeof g === 'string')) bad(['ignore'], 'expected an array of globs');
    else {
      const ok: string[] = [];
      value.ignore.forEach((g: string, i: number) => {
        const problem = !isContainedPattern(g) ? 'must stay inside this folder (no absolute paths, no "..")' : globProblem(g);
        if (problem) bad(['ignore', i], `"${g}" ${problem}`);
        else ok.push(g);
      });
      result.ignore = ok;
    }
  }
  if (value.knowledge !== undefined) {
    const known = userKnowledge(value.knowledge);
    // paths start with "knowledge"; an unknown key is underlined at the key, as at the top level;
    // in the order of the file, as the CLI prints them
    const spots = known.problems.map((p) => {
      const unknownKey = p.message.startsWith('unknown key');
      return { message: `${formatPath(p.path)}: ${p.message}`, severity: unknownKey ? 'warning' as const : 'error' as const, ...at(p.path, unknownKey) };
    });
    problems.push(...spots.sort((a, b) => a.start - b.start));
    result.knowledge = known.records;
  }
  return result;
}

/** Merges parsed files, outermost first: later files override keys; rules and maps merge per id. */
export function mergeConfigFiles(files: readonly ParsedConfigFile[]): Omit<ParsedConfigFile, 'problems'> {
  const out: Omit<ParsedConfigFile, 'problems'> = { settings: {} };
  for (const f of files) {
    const { rules, ...rest } = f.settings;
    Object.assign(out.settings, rest);
    if (isObject(rules)) out.settings.rules = { ...(isObject(out.settings.rules) ? out.settings.rules : {}), ...rules };
    // feature names and flag keys are user keys: maps without a prototype
    if (f.features) out.features = Object.assign(Object.create(null) as Record<string, FeatureConfig>, out.features, f.features);
    if (f.flags) out.flags = Object.assign(Object.create(null) as Record<string, FlagRegistryEntry>, out.flags, f.flags);
    if (f.ignore) out.ignore = [...(out.ignore ?? []), ...f.ignore];
  }
  return out;
}

/** Layers editor settings over file settings (editor wins, rules merge per id). */
export function layerSettings(fileSettings: Record<string, unknown>, rawEditorSettings: unknown): Record<string, unknown> {
  // `merged[k] = v` with k "__proto__" would replace the prototype (normalizeConfig reports these keys)
  const editorSettings = withoutForbiddenKeys(rawEditorSettings);
  if (!isObject(editorSettings)) return { ...fileSettings };
  const merged: Record<string, unknown> = { ...fileSettings };
  for (const [k, v] of Object.entries(editorSettings)) {
    if (v === undefined || v === null) continue;
    if (k === 'rules' && isObject(v)) merged.rules = { ...(isObject(fileSettings.rules) ? fileSettings.rules : {}), ...v };
    else merged[k] = v;
  }
  return merged;
}

export interface LoadedConfigFile extends ParsedConfigFile {
  file: string;
}

/**
 * Finds the `.failpath.json` files that apply to a path (from `stopAt` down to the file's folder),
 * parsing each once per modification time.
 */
export class ConfigFileLoader {
  private readonly cache = new Map<string, { mtimeMs: number; parsed: LoadedConfigFile } | null>();

  /** `roots` (containmentRoots): a config file is never read out of them through a link (readSource.ts). */
  constructor(private readonly knownRules?: ReadonlySet<string>, readonly roots?: RootsSource) {}

  /** Parsed config files for `filePath`, outermost first. */
  chainFor(filePath: string, stopAt?: string): LoadedConfigFile[] {
    const chain: LoadedConfigFile[] = [];
    let dir = path.dirname(path.resolve(filePath));
    const stop = stopAt ? path.resolve(stopAt) : undefined;
    for (;;) {
      const loaded = this.load(path.join(dir, CONFIG_FILE));
      if (loaded) chain.unshift(loaded);
      if (stop && dir === stop) break;
      const parent = path.dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
    return chain;
  }

  load(file: string): LoadedConfigFile | undefined {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(file);
      if (!stat.isFile()) return undefined;
    } catch {
      return undefined;
    }
    const hit = this.cache.get(file);
    if (hit && hit.mtimeMs === stat.mtimeMs) return hit.parsed;
    let parsed: LoadedConfigFile;
    try {
      const text = readWorkspaceFileOrThrow(file, { maxBytes: MAX_MANIFEST_BYTES, roots: rootsOf(this.roots) });
      parsed = { file, ...parseConfigFile(text, this.knownRules) };
    } catch (err) {
      parsed = { file, settings: {}, problems: [{ message: `Could not read ${CONFIG_FILE}: ${(err as Error).message}`, start: 0, end: 0, severity: 'error' }] };
    }
    this.cache.set(file, { mtimeMs: stat.mtimeMs, parsed });
    return parsed;
  }

  invalidate(file?: string): void {
    if (file) this.cache.delete(file);
    else this.cache.clear();
  }
}

/**
 * The effective configuration for a file: its .failpath.json chain merged, editor settings layered
 * on top, validated. Problems of the settings layer are returned; file problems stay on the files.
 */
export function resolveConfig(chain: readonly LoadedConfigFile[], editorSettings: unknown, knownRules?: ReadonlySet<string>): { config: EngineConfig; problems: ConfigProblem[] } {
  const merged = mergeConfigFiles(chain);
  // the files' own problems are reported on the files; here only the editor layer's problems are new
  const editorProblems = normalizeConfig(editorSettings, knownRules).problems;
  const layered = normalizeConfig(layerSettings(merged.settings, editorSettings), knownRules).config;
  if (merged.flags) layered.flagRegistry = merged.flags;
  if (merged.features) layered.features = merged.features;
  const ignore = chain.filter((c) => c.ignore && c.ignore.length).map((c) => ({ base: path.dirname(c.file), patterns: c.ignore! }));
  if (ignore.length) layered.ignore = ignore;
  return { config: layered, problems: editorProblems };
}
