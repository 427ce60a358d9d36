/**
 * The workspace packages of a repository: the folders listed by the root package.json `workspaces`
 * (npm, yarn, bun: an array, or `{ packages }`), pnpm-workspace.yaml `packages:` and lerna.json
 * `packages`, each glob expanded over the folders with picomatch, and each package's package.json
 * (name, main, module, types, exports, imports, dependencies).
 *
 * The walk is bounded (depth, folder count), skips node_modules and dot-folders, and follows no
 * symbolic link whose real path leaves the root (RootFs). A file that cannot be read or parsed is a
 * problem in words; nothing throws, nothing is executed.
 */
import * as path from 'node:path';
import picomatch from 'picomatch';
import { RootFs, isRecord, parseJson } from './rootFs';

export type WorkspaceSource = 'package.json' | 'pnpm-workspace.yaml' | 'lerna.json';

/** The parts of a package.json the project model uses (values as written, JSON only). */
export interface PackageManifest {
  name?: string;
  version?: string;
  private?: boolean;
  /** "module" or "commonjs". */
  type?: string;
  main?: string;
  module?: string;
  /** `types`, else `typings`. */
  types?: string;
  exports?: unknown;
  imports?: unknown;
  typesVersions?: unknown;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  optionalDependencies: Record<string, string>;
}

export interface WorkspacePackage {
  name: string;
  /** Absolute folder of the package. */
  dir: string;
  manifest: PackageManifest;
}

export interface WorkspaceProblem {
  file: string;
  message: string;
}

export interface Workspaces {
  root: string;
  /** Where the patterns came from. */
  sources: WorkspaceSource[];
  /** The patterns, as written (negations with their `!`). */
  patterns: string[];
  /** Packages with a name, sorted by folder. */
  packages: WorkspacePackage[];
  problems: WorkspaceProblem[];
}

/** Folders walked at most while expanding the patterns. */
export const MAX_WORKSPACE_DIRS = 20_000;
/** How deep `**` goes below the pattern's fixed part. */
const GLOBSTAR_DEPTH = 6;

/** A package.json read as a manifest (undefined when it is not a JSON object). */
export function readManifest(fs: RootFs, file: string): { manifest: PackageManifest } | { problem: string } | undefined {
  const outcome = fs.read(file);
  if (!('text' in outcome)) {
    if ('error' in outcome && outcome.error === 'not found') return undefined;
    return { problem: `${fs.relative(file)} was not read: ${'error' in outcome ? outcome.error : outcome.skipped}.` };
  }
  const parsed = parseJson(outcome.text);
  if ('error' in parsed) return { problem: `${fs.relative(file)} is not valid JSON: ${parsed.error}` };
  if (!isRecord(parsed.value)) return { problem: `${fs.relative(file)} is not a JSON object.` };
  return { manifest: toManifest(parsed.value) };
}

export function toManifest(pkg: Record<string, unknown>): PackageManifest {
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const deps = (v: unknown): Record<string, string> => {
    const out: Record<string, string> = {};
    // no npm package is named __proto__; as a key it would set the record's prototype
    if (isRecord(v)) for (const [k, range] of Object.entries(v)) if (k !== '__proto__') out[k] = typeof range === 'string' ? range : '*';
    return out;
  };
  const m: PackageManifest = {
    dependencies: deps(pkg.dependencies),
    devDependencies: deps(pkg.devDependencies),
    peerDependencies: deps(pkg.peerDependencies),
    optionalDependencies: deps(pkg.optionalDependencies),
  };
  const name = str(pkg.name);
  if (name) m.name = name;
  const version = str(pkg.version);
  if (version) m.version = version;
  if (typeof pkg.private === 'boolean') m.private = pkg.private;
  const type = str(pkg.type);
  if (type) m.type = type;
  const main = str(pkg.main);
  if (main) m.main = main;
  const module = str(pkg.module);
  if (module) m.module = module;
  const types = str(pkg.types) ?? str(pkg.typings);
  if (types) m.types = types;
  if (pkg.exports !== undefined) m.exports = pkg.exports;
  if (pkg.imports !== undefined) m.imports = pkg.imports;
  if (pkg.typesVersions !== undefined) m.typesVersions = pkg.typesVersions;
  return m;
}

/**
 * The `packages:` list of a pnpm-workspace.yaml: a block sequence (`- 'apps/*'`, indented or not)
 * or a flow sequence (`packages: ['apps/*', "libs/*"]`). Read line by line, in linear time; other
 * keys (catalog, onlyBuiltDependencies) are passed over.
 */
export function pnpmWorkspacePatterns(text: string): string[] {
  const lines = text.split(/\r?\n/);
  const out: string[] = [];
  let i = lines.findIndex((l) => /^packages\s*:/.test(l));
  if (i < 0) return out;
  const rest = stripComment(lines[i].slice(lines[i].indexOf(':') + 1)).trim();
  if (rest.startsWith('[')) {
    const parts = [rest.slice(1)];
    let closed = rest.includes(']');
    while (!closed && i + 1 < lines.length) {
      const next = stripComment(lines[++i]).trim();
      parts.push(next);
      closed = next.includes(']');
    }
    const flow = parts.join(' ');
    const inner = closed ? flow.slice(0, flow.indexOf(']')) : flow;
    for (const item of inner.split(',')) {
      const v = unquote(item.trim());
      if (v) out.push(v);
    }
    return out;
  }
  for (i++; i < lines.length; i++) {
    const line = stripComment(lines[i]);
    const trimmed = line.trim();
    if (trimmed === '') continue;
    if (!trimmed.startsWith('-')) {
      if (!/^\s/.test(line)) break; // the next key
      continue;
    }
    const v = unquote(trimmed.slice(1).trim());
    if (v) out.push(v);
  }
  return out;
}

/** A YAML line without its ` # comment` (a `#` inside quotes stays). */
function stripComment(line: string): string {
  let quote = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || line[i - 1] === ' ' || line[i - 1] === '\t')) return line.slice(0, i);
  }
  return line;
}

function unquote(s: string): string {
  if (s.length >= 2 && (s[0] === '"' || s[0] === "'") && s[s.length - 1] === s[0]) return s.slice(1, -1);
  return s;
}

/** The workspace patterns of the repository at `root`, and the problems met reading them. */
export function workspacePatterns(fs: RootFs): { sources: WorkspaceSource[]; patterns: string[]; problems: WorkspaceProblem[] } {
  const sources: WorkspaceSource[] = [];
  const patterns: string[] = [];
  const problems: WorkspaceProblem[] = [];
  const add = (source: WorkspaceSource, list: unknown) => {
    if (!Array.isArray(list)) return;
    const strings = list.filter((p): p is string => typeof p === 'string' && p.trim() !== '');
    if (strings.length === 0) return;
    sources.push(source);
    for (const p of strings) if (!patterns.includes(p)) patterns.push(p);
  };
  const pkgFile = path.join(fs.root, 'package.json');
  const pkg = readJsonObject(fs, pkgFile, problems);
  if (pkg) add('package.json', isRecord(pkg.workspaces) ? pkg.workspaces.packages : pkg.workspaces);
  const pnpmFile = path.join(fs.root, 'pnpm-workspace.yaml');
  const pnpm = fs.read(pnpmFile);
  if ('text' in pnpm) add('pnpm-workspace.yaml', pnpmWorkspacePatterns(pnpm.text));
  else if (!('error' in pnpm && pnpm.error === 'not found')) problems.push({ file: pnpmFile, message: `pnpm-workspace.yaml was not read: ${'error' in pnpm ? pnpm.error : pnpm.skipped}.` });
  const lerna = readJsonObject(fs, path.join(fs.root, 'lerna.json'), problems);
  if (lerna) add('lerna.json', lerna.packages);
  return { sources, patterns, problems };
}

function readJsonObject(fs: RootFs, file: string, problems: WorkspaceProblem[]): Record<string, unknown> | undefined {
  const outcome = fs.read(file);
  if (!('text' in outcome)) {
    if (!('error' in outcome && outcome.error === 'not found')) problems.push({ file, message: `${path.basename(file)} was not read: ${'error' in outcome ? outcome.error : outcome.skipped}.` });
    return undefined;
  }
  const parsed = parseJson(outcome.text);
  if ('error' in parsed) {
    problems.push({ file, message: `${path.basename(file)} is not valid JSON: ${parsed.error}` });
    return undefined;
  }
  if (!isRecord(parsed.value)) {
    problems.push({ file, message: `${path.basename(file)} is not a JSON object.` });
    return undefined;
  }
  return parsed.value;
}

/** The workspace packages of the repository at `root` (none when it declares no workspaces). */
export function readWorkspaces(rootOrFs: string | RootFs): Workspaces {
  const fs = typeof rootOrFs === 'string' ? new RootFs(rootOrFs) : rootOrFs;
  const { sources, patterns, problems } = workspacePatterns(fs);
  const dirs = expandPatterns(fs, patterns, problems);
  const packages: WorkspacePackage[] = [];
  const byName = new Map<string, string>();
  for (const dir of dirs) {
    const file = path.join(dir, 'package.json');
    const read = readManifest(fs, file);
    if (!read) continue;
    if ('problem' in read) {
      problems.push({ file, message: read.problem });
      continue;
    }
    const name = read.manifest.name;
    if (!name) continue;
    const first = byName.get(name);
    if (first) {
      problems.push({ file, message: `The package name ${name} of ${fs.relative(dir)} is already used by ${fs.relative(first)}; this one is left out.` });
      continue;
    }
    byName.set(name, dir);
    packages.push({ name, dir, manifest: read.manifest });
  }
  return { root: fs.root, sources, patterns, packages, problems };
}

/** The folders (absolute, sorted) matched by the workspace patterns that hold a package.json. */
export function expandPatterns(fs: RootFs, patterns: readonly string[], problems: WorkspaceProblem[]): string[] {
  const include: string[] = [];
  const exclude: string[] = [];
  for (const raw of patterns) {
    const negated = raw.startsWith('!');
    const p = normalizePattern(negated ? raw.slice(1) : raw);
    if (p === undefined) {
      problems.push({ file: fs.root, message: `The workspace pattern ${raw} leaves the repository; it is not followed.` });
      continue;
    }
    (negated ? exclude : include).push(p);
  }
  if (include.length === 0) return [];
  const isIncluded = picomatch(include, { dot: false });
  const isExcluded = exclude.length ? picomatch(exclude, { dot: false }) : () => false;
  const found = new Set<string>();
  const seenReal = new Set<string>();
  let visited = 0;
  let stopped = false;
  for (const pattern of include) {
    const scan = picomatch.scan(pattern);
    const base = scan.isGlob ? scan.base : pattern;
    const depth = !scan.isGlob ? 0 : scan.glob.includes('**') ? GLOBSTAR_DEPTH : scan.glob.split('/').filter(Boolean).length;
    const queue: [rel: string, depth: number][] = [[base, 0]];
    for (let q = 0; q < queue.length; q++) {
      const [rel, d] = queue[q];
      const abs = rel ? path.join(fs.root, rel) : fs.root;
      const real = fs.realpath(abs);
      if (!real || !fs.isDirectory(abs) || seenReal.has(real + '\0' + pattern)) continue;
      seenReal.add(real + '\0' + pattern);
      if (++visited > MAX_WORKSPACE_DIRS) {
        stopped = true;
        break;
      }
      if (rel && isIncluded(rel) && !isExcluded(rel) && fs.isFile(path.join(abs, 'package.json'))) found.add(abs);
      if (d >= depth) continue;
      for (const name of fs.list(abs)?.dirs ?? []) {
        if (name === 'node_modules' || name.startsWith('.')) continue;
        queue.push([rel ? `${rel}/${name}` : name, d + 1]);
      }
    }
    if (stopped) break;
  }
  if (stopped) problems.push({ file: fs.root, message: `The workspace patterns reach more than ${MAX_WORKSPACE_DIRS} folders; the packages after that are not known.` });
  return [...found].sort();
}

/** `./packages/*\/` → `packages/*`; undefined for a pattern that leaves the root. */
function normalizePattern(p: string): string | undefined {
  let s = p.trim().replace(/\\/g, '/');
  while (s.startsWith('./')) s = s.slice(2);
  while (s.endsWith('/')) s = s.slice(0, -1);
  if (s === '' || s.startsWith('/') || /^[A-Za-z]:/.test(s) || s.split('/').includes('..')) return undefined;
  return s;
}

/** The workspace package named `name`, if any. */
export function workspacePackage(ws: Workspaces, name: string): WorkspacePackage | undefined {
  return ws.packages.find((p) => p.name === name);
}
