/**
 * tsconfig.json / jsconfig.json: which one applies to a file, and what it says once its `extends`
 * chain is followed (compilerOptions such as `paths`, `baseUrl`, `moduleResolution`, `module`,
 * `allowJs`, `rootDirs`, `outDir`; project `references`).
 *
 * TypeScript's own reader does the work (`ts.readJsonConfigFile` + `ts.parseJsonSourceFileConfigFileContent`):
 * JSONC (comments, trailing commas), `extends` as a relative path, a package path resolved from
 * node_modules (`@tsconfig/node20/tsconfig.json`) or an array (TS 5+), `${configDir}`. It reads through
 * a RootFs: JSON only, size-checked, nothing outside the project root, nothing ever required or run.
 * The file list is never walked: the host records the include/exclude specs TypeScript asks it to
 * expand, and `covers()` replays them for one file with TypeScript's own matcher.
 *
 * A config that cannot be read or parsed gives problems, never an exception. Parsed configs are cached
 * per config file and re-read when the modification time of any file of its chain changes.
 */
import * as path from 'node:path';
import ts = require('typescript');
import { RootFs, memoized } from './rootFs';
import { isInside, type ReadOutcome } from '../engine/readSource';

export const CONFIG_NAMES = ['tsconfig.json', 'jsconfig.json'] as const;

export interface TsconfigProblem {
  /** The config file the problem is in (a file of the extends chain, or the config itself). */
  file: string;
  message: string;
  /** Offsets of the bad spot in `file`, when TypeScript gave one. */
  start?: number;
  end?: number;
}

/** What TypeScript asked the host to expand (see covers()). */
interface IncludeSpec {
  basePath: string;
  extensions: string[];
  excludes: string[];
  includes: string[];
}

export interface ProjectConfig {
  /** The tsconfig.json / jsconfig.json (or referenced config) file. */
  file: string;
  /** Compiler options after `extends`, paths made absolute (plain data). */
  options: ts.CompilerOptions;
  /** The files read to build it: the config, then the configs and package.json files it extends through. */
  chain: string[];
  /** Referenced projects' config files (`references[].path`, a folder meaning its tsconfig.json). */
  references: string[];
  /** Files listed in `files` (absolute). */
  files: string[];
  /** The `include`/`exclude` expansion, when the config has one. */
  include?: IncludeSpec;
  problems: TsconfigProblem[];
}

interface CacheEntry {
  config: ProjectConfig;
  stamps: [file: string, mtime: number | undefined][];
  /** The generation in which the stamps were last compared with the disk. */
  checked: number;
}

/** TypeScript diagnostic codes that are not problems for us. */
const IGNORED_CODES = new Set([
  18003, // "No inputs were found": the host never lists files
]);
/** "Cannot read file '…'." (for an extends we refused, our message says why). */
const CANNOT_READ = 5083;
/** Referenced projects are followed this deep when looking for the config that covers a file. */
const MAX_REFERENCE_DEPTH = 4;

interface FileMatcherPatterns {
  includeFilePatterns?: readonly string[];
  includeDirectoryPattern?: string;
  excludePattern?: string;
  basePaths: readonly string[];
}

/**
 * TypeScript's include/exclude patterns, as its `matchFiles` walk uses them (internal, present since
 * TS 2; absent → a simpler rule, see covers()).
 */
const getFileMatcherPatterns = (ts as unknown as {
  getFileMatcherPatterns?: (path: string, excludes: readonly string[] | undefined, includes: readonly string[] | undefined, useCaseSensitiveFileNames: boolean, currentDirectory: string) => FileMatcherPatterns;
}).getFileMatcherPatterns;

export class TsconfigLoader {
  readonly fs: RootFs;
  private readonly cache = new Map<string, CacheEntry>();
  private readonly forFile = new Map<string, ProjectConfig | null>();
  /** Read outcomes by path and mtime: a base config extended by 40 packages is read once. */
  private readonly texts = new Map<string, { mtime: number | undefined; outcome: ReadOutcome }>();
  /** Bumped by invalidate(): configs are compared with the disk again, once each. */
  private generation = 0;

  constructor(rootOrFs: string | RootFs) {
    this.fs = typeof rootOrFs === 'string' ? new RootFs(rootOrFs) : rootOrFs;
  }

  /**
   * The config that applies to `file`: from the file's folder up to the project root, the first
   * tsconfig.json/jsconfig.json (or a project it references) whose `files`/`include`/`exclude`
   * cover the file; when none covers it, the nearest one. Undefined when there is none.
   */
  configFor(file: string): ProjectConfig | undefined {
    const abs = path.resolve(file);
    return memoized(this.forFile, abs, () => this.find(abs));
  }

  private find(file: string): ProjectConfig | undefined {
    if (!this.fs.inside(file)) return undefined;
    let nearest: ProjectConfig | undefined;
    for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
      for (const name of CONFIG_NAMES) {
        const config = this.load(path.join(dir, name));
        if (!config) continue;
        nearest ??= config;
        const covering = this.covering(config, file, new Set(), 0);
        if (covering) return covering;
        break; // tsconfig.json wins over jsconfig.json in one folder
      }
      if (dir === this.fs.root || !this.fs.inside(path.dirname(dir))) break;
    }
    return nearest;
  }

  private covering(config: ProjectConfig, file: string, seen: Set<string>, depth: number): ProjectConfig | undefined {
    if (seen.has(config.file)) return undefined;
    seen.add(config.file);
    if (covers(config, file)) return config;
    if (depth >= MAX_REFERENCE_DEPTH) return undefined;
    for (const ref of config.references) {
      const sub = this.load(ref);
      const found = sub && this.covering(sub, file, seen, depth + 1);
      if (found) return found;
    }
    return undefined;
  }

  /**
   * The parsed config file at `configPath`. Cached; after invalidate() it is compared with the
   * disk again (the modification time of every file of its chain) and re-read only if one changed.
   */
  load(configPath: string): ProjectConfig | undefined {
    const abs = path.resolve(configPath);
    const cached = this.cache.get(abs);
    if (cached && cached.checked === this.generation) return cached.config;
    if (!this.fs.isFile(abs)) {
      this.cache.delete(abs);
      return undefined;
    }
    if (cached && cached.stamps.every(([f, m]) => this.fs.mtimeMs(f) === m)) {
      cached.checked = this.generation;
      return cached.config;
    }
    const read: string[] = [];
    const config = this.parse(abs, read);
    this.cache.set(abs, { config, stamps: read.map((f) => [f, this.fs.mtimeMs(f)]), checked: this.generation });
    return config;
  }

  /**
   * Files changed: which config applies to which file is looked up again, and each config is
   * compared with the disk on its next use (an edited tsconfig is re-read, the others are kept).
   */
  invalidate(): void {
    this.generation++;
    this.forFile.clear();
    this.fs.clear();
  }

  /** The text of a file of a config chain (by mtime from the cache), or why it was not read. */
  private readOutcome(file: string): ReadOutcome {
    const mtime = this.fs.mtimeMs(file);
    const hit = this.texts.get(file);
    if (hit && hit.mtime === mtime) return hit.outcome;
    const outcome = this.fs.read(file);
    this.texts.set(file, { mtime, outcome });
    return outcome;
  }

  private parse(configPath: string, read: string[]): ProjectConfig {
    const problems: TsconfigProblem[] = [];
    const refused = new Map<string, string>();
    let include: IncludeSpec | undefined;
    const readFile = (f: string): string | undefined => {
      const abs = path.resolve(f);
      if (!read.includes(abs)) read.push(abs);
      const outcome = this.readOutcome(abs);
      if ('text' in outcome) return outcome.text;
      if (!('error' in outcome && outcome.error === 'not found')) refused.set(abs, 'error' in outcome ? outcome.error : outcome.skipped);
      return undefined;
    };
    const host: ts.ParseConfigHost = {
      useCaseSensitiveFileNames: ts.sys.useCaseSensitiveFileNames,
      readDirectory: (basePath, extensions, excludes, includes) => {
        include = { basePath: path.resolve(basePath), extensions: [...(extensions ?? [])], excludes: [...(excludes ?? [])], includes: [...(includes ?? [])] };
        return [];
      },
      fileExists: (f) => this.fs.isFile(f),
      readFile,
      // package paths in `extends` are resolved with TypeScript's module resolution over these
      directoryExists: (d) => this.fs.isDirectory(d),
      realpath: (f) => this.fs.realpath(f) ?? f,
      getDirectories: (d) => this.fs.list(d)?.dirs ?? [],
    } as ts.ParseConfigHost;
    const text = readFile(configPath);
    const source = ts.parseJsonText(configPath, text ?? '{}');
    if (text === undefined) {
      const why = refused.get(configPath) ?? 'cannot be read';
      return emptyConfig(configPath, [...read], [{ file: configPath, message: `${path.basename(configPath)} was not read: ${why}.` }]);
    }
    let parsed: ts.ParsedCommandLine;
    try {
      parsed = ts.parseJsonSourceFileConfigFileContent(source, host, path.dirname(configPath), undefined, configPath);
    } catch (err) {
      // TypeScript should not throw here; if it does, the config is a problem, not a crash
      return emptyConfig(configPath, [...read], [{ file: configPath, message: `${path.basename(configPath)} could not be read by TypeScript: ${err instanceof Error ? err.message : String(err)}` }]);
    }
    const diagnostics = [...((source as { parseDiagnostics?: readonly ts.Diagnostic[] }).parseDiagnostics ?? []), ...parsed.errors];
    for (const [file, why] of refused) {
      problems.push({ file: configPath, message: `${path.basename(configPath)}: ${this.fs.relative(file) || file} was not read (${why}).` });
    }
    const seen = new Set<string>();
    for (const d of diagnostics) {
      if (IGNORED_CODES.has(d.code)) continue;
      const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
      if (d.code === CANNOT_READ && [...refused.keys()].some((f) => message.includes(f))) continue;
      const key = `${d.file?.fileName}:${d.start}:${message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const file = d.file ? path.resolve(d.file.fileName) : configPath;
      problems.push({ file, message, ...(d.start !== undefined ? { start: d.start, end: d.start + (d.length ?? 0) } : {}) });
    }
    const options = { ...parsed.options };
    delete options.configFile; // the source file object: not plain data
    return {
      file: configPath,
      options,
      chain: [...read],
      references: (parsed.projectReferences ?? []).map((r) => path.resolve(ts.resolveProjectReferencePath(r))),
      files: parsed.fileNames.map((f) => path.resolve(f)),
      ...(include ? { include } : {}),
      problems,
    };
  }

  /** Problems of every config read so far (for the editor and `failpath check`). */
  problems(): TsconfigProblem[] {
    return [...this.cache.values()].flatMap((e) => e.config.problems);
  }
}

function emptyConfig(file: string, chain: string[], problems: TsconfigProblem[]): ProjectConfig {
  return { file, options: {}, chain, references: [], files: [], problems };
}

/** True when the config's `files`, or its `include` minus `exclude`, name `file`. */
export function covers(config: ProjectConfig, file: string): boolean {
  const abs = path.resolve(file);
  if (config.files.includes(abs)) return true;
  const spec = config.include;
  if (!spec) return false;
  let matcher = matchers.get(spec);
  if (!matcher) matchers.set(spec, (matcher = compileMatcher(spec)));
  return matcher(abs);
}

const matchers = new WeakMap<IncludeSpec, (file: string) => boolean>();

/**
 * What TypeScript's `matchFiles` walk would list, decided for one file: an included extension,
 * below a base path through folders the include and exclude patterns let the walk into, and the
 * file itself included and not excluded. Folder answers are kept per matcher.
 */
function compileMatcher(spec: IncludeSpec): (file: string) => boolean {
  const fallback = (file: string) => isInside(file, spec.basePath) && !file.split(path.sep).includes('node_modules');
  let patterns: FileMatcherPatterns;
  try {
    if (!getFileMatcherPatterns) return fallback; // no matcher in this TypeScript: inside the folder, out of node_modules
    patterns = getFileMatcherPatterns(toSlashes(spec.basePath), spec.excludes, spec.includes, ts.sys.useCaseSensitiveFileNames, toSlashes(spec.basePath));
  } catch {
    return fallback;
  }
  const flags = ts.sys.useCaseSensitiveFileNames ? '' : 'i';
  const includeFile = patterns.includeFilePatterns?.map((p) => new RegExp(p, flags));
  const includeDir = patterns.includeDirectoryPattern !== undefined ? new RegExp(patterns.includeDirectoryPattern, flags) : undefined;
  const exclude = patterns.excludePattern !== undefined ? new RegExp(patterns.excludePattern, flags) : undefined;
  // TypeScript lists a .json file only when an include pattern names .json files
  const jsonIncludes = spec.includes.filter((i) => i.endsWith('.json'));
  let includeJson: RegExp[] = [];
  try {
    if (jsonIncludes.length) includeJson = (getFileMatcherPatterns(toSlashes(spec.basePath), spec.excludes, jsonIncludes, ts.sys.useCaseSensitiveFileNames, toSlashes(spec.basePath)).includeFilePatterns ?? []).map((p) => new RegExp(p, flags));
  } catch {
    includeJson = [];
  }
  const bases = patterns.basePaths.map((b) => b.replace(/\/+$/, ''));
  const dirs = new Map<string, boolean>();
  const enters = (dir: string): boolean => {
    let ok = dirs.get(dir);
    if (ok === undefined) {
      ok = (!includeDir || includeDir.test(dir)) && !exclude?.test(dir);
      dirs.set(dir, ok);
    }
    return ok;
  };
  return (file: string) => {
    const f = toSlashes(file);
    if (!spec.extensions.some((e) => f.endsWith(e))) return false;
    if (exclude?.test(f)) return false;
    if (f.endsWith('.json') ? !includeJson.some((re) => re.test(f)) : includeFile && !includeFile.some((re) => re.test(f))) return false;
    const base = bases.find((b) => f.startsWith(b + '/'));
    if (base === undefined) return false;
    for (let i = f.indexOf('/', base.length + 1); i >= 0; i = f.indexOf('/', i + 1)) {
      if (!enters(f.slice(0, i))) return false;
    }
    return true;
  };
}

function toSlashes(p: string): string {
  return path.sep === '/' ? p : p.split(path.sep).join('/');
}

