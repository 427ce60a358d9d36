/**
 * Module resolution for the project model: what `(specifier, fromFile)` refers to, decided by
 * TypeScript's own resolver (`ts.resolveModuleName`) with the compilerOptions of the tsconfig that
 * applies to the file (paths, baseUrl, moduleResolution, rootDirs, customConditions…), so aliases,
 * package `exports`/`imports`/`typesVersions`, index files and `.js` → `.ts` work as in the editor.
 *
 * The host TypeScript resolves through:
 * - sees nothing outside the project root (RootFs: a link leading out is absent);
 * - presents every workspace package as if it were installed at `<root>/node_modules/<name>`, and a
 *   package linked into node_modules from the workspace as its workspace folder;
 * - maps build output that a workspace package's `exports`/`main`/`types` point at back to its
 *   source, as project references do: through the package tsconfig's `outDir`/`declarationDir`/
 *   `rootDir`, else `dist|build|out|lib/…` → `src/…` (`dist/index.d.ts` → `src/index.ts`).
 *
 * Results are plain data and memoised per (config, folder, mode, specifier) until invalidate().
 */
import * as path from 'node:path';
import { isBuiltin } from 'node:module';
import ts = require('typescript');
import { isInside } from '../engine/readSource';
import { RootFs, memoized, normal } from '../project/rootFs';
import { TsconfigLoader, type ProjectConfig } from '../project/tsconfig';
import { readWorkspaces, type WorkspacePackage, type Workspaces } from '../project/workspaces';

export type Resolution =
  /** A file of the project; `package` when it was reached through a workspace package's name. */
  | { kind: 'file'; file: string; package?: string }
  /** An installed (or missing) third-party package; `subpath` is '' for its root. */
  | { kind: 'package'; name: string; subpath: string }
  /** A Node.js builtin module, without `node:` (`fs`, `fs/promises`). */
  | { kind: 'builtin'; name: string };

/** How the module is loaded: `require()` takes the `require` condition of `exports`. */
export type ImportMode = 'import' | 'require';

export interface ResolverOptions {
  /** Shared with the other readers of the project (one cache of what exists). */
  fs?: RootFs;
  tsconfigs?: TsconfigLoader;
  /** Given, or read from the root on first use (and again after invalidate()). */
  workspaces?: Workspaces;
}

const NODE_MODULES = 'node_modules';
/** Options used where no tsconfig applies: how bundlers and Node's ESM resolve, JS and JSON included. */
const DEFAULT_OPTIONS: ts.CompilerOptions = {
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  target: ts.ScriptTarget.ESNext,
};
/** Folders build tools write to, mapped back to source when the output is missing. */
const OUTPUT_DIRS = new Set(['dist', 'build', 'out', 'lib']);
/** The same, when the output exists (lib/ is often the source itself). */
const BUILT_DIRS = new Set(['dist', 'build', 'out']);
/** Per-format subfolders of an output folder (dist/esm/index.js, dist/cjs/index.js). */
const FORMAT_DIRS = new Set(['esm', 'cjs', 'es', 'mjs', 'types', 'esnext', 'module', 'commonjs', 'node', 'browser', 'src']);
const MAX_SPECIFIER_LENGTH = 1_000;

/** `@scope/name/sub/path` → name `@scope/name`, subpath `sub/path`; undefined when not a package name. */
export function splitPackageSpecifier(specifier: string): { name: string; subpath: string } | undefined {
  const parts = specifier.split('/');
  const scoped = specifier.startsWith('@');
  const n = scoped ? 2 : 1;
  if (parts.length < n) return undefined;
  const name = parts.slice(0, n).join('/');
  const valid = scoped ? /^@[a-z0-9-][\w.-]*\/[a-z0-9-][\w.-]*$/i.test(name) : /^[a-z0-9-][\w.-]*$/i.test(name);
  if (!valid) return undefined;
  return { name, subpath: parts.slice(n).join('/') };
}

/** The builtin module a specifier names (`node:fs` → `fs`), if any. */
export function builtinName(specifier: string): string | undefined {
  if (specifier.startsWith('node:')) return specifier.slice(5) || undefined;
  return isBuiltin(specifier) ? specifier : undefined;
}

function isRelativeOrAbsolute(specifier: string): boolean {
  return specifier.startsWith('./') || specifier.startsWith('../') || specifier === '.' || specifier === '..' || path.isAbsolute(specifier);
}

/** Source files a build output file may come from, most likely first (`x.d.ts` → `x.ts`, `x.tsx`). */
function sourceNames(base: string): string[] {
  const strip = (ext: string) => base.slice(0, -ext.length);
  if (base.endsWith('.d.ts')) return [strip('.d.ts') + '.ts', strip('.d.ts') + '.tsx'];
  if (base.endsWith('.d.mts')) return [strip('.d.mts') + '.mts'];
  if (base.endsWith('.d.cts')) return [strip('.d.cts') + '.cts'];
  for (const [ext, to] of [['.js', ['.ts', '.tsx', '.js', '.jsx']], ['.jsx', ['.tsx', '.jsx']], ['.mjs', ['.mts', '.ts', '.mjs']], ['.cjs', ['.cts', '.ts', '.cjs']], ['.ts', ['.ts', '.tsx']], ['.tsx', ['.tsx']], ['.mts', ['.mts']], ['.cts', ['.cts']]] as const) {
    if (base.endsWith(ext)) return to.map((t) => strip(ext) + t);
  }
  return [];
}

/** Implementation files next to a declaration file of the project (`x.d.ts` beside `x.js`). */
function implementationNames(file: string): string[] {
  for (const [ext, to] of [['.d.ts', ['.ts', '.tsx', '.js', '.jsx']], ['.d.mts', ['.mts', '.mjs']], ['.d.cts', ['.cts', '.cjs']]] as const) {
    if (file.endsWith(ext)) return to.map((t) => file.slice(0, -ext.length) + t);
  }
  return [];
}

export class ModuleResolver {
  readonly fs: RootFs;
  readonly tsconfigs: TsconfigLoader;
  private given?: Workspaces;
  private ws?: Workspaces;
  private byName = new Map<string, WorkspacePackage>();
  private scopes = new Set<string>();
  private readonly memo = new Map<string, Resolution | null>();
  private readonly caches = new Map<string, ts.ModuleResolutionCache>();
  private readonly optionsFor = new Map<string, ts.CompilerOptions>();
  /** Missing build outputs TypeScript was told exist, and the source each stands for. */
  private readonly redirects = new Map<string, string>();
  private readonly packageOfDir = new Map<string, WorkspacePackage | null>();
  private readonly host: ts.ModuleResolutionHost;

  constructor(root: string, options: ResolverOptions = {}) {
    this.fs = options.fs ?? options.tsconfigs?.fs ?? new RootFs(root);
    this.tsconfigs = options.tsconfigs ?? new TsconfigLoader(this.fs);
    this.given = options.workspaces;
    this.host = {
      fileExists: (f) => this.fileExists(f),
      readFile: (f) => this.fs.readText(this.installed(normal(f))?.path ?? f),
      directoryExists: (d) => this.directoryExists(d),
      realpath: (f) => this.realpath(f),
      getDirectories: (d) => this.getDirectories(d),
      getCurrentDirectory: () => this.fs.root,
      useCaseSensitiveFileNames: ts.sys.useCaseSensitiveFileNames,
    };
  }

  get root(): string {
    return this.fs.root;
  }

  /** The workspace packages (read from the root on first use). */
  get workspaces(): Workspaces {
    if (!this.ws) {
      this.ws = this.given ?? readWorkspaces(this.fs);
      this.byName = new Map(this.ws.packages.map((p) => [p.name, p]));
      this.scopes = new Set(this.ws.packages.filter((p) => p.name.startsWith('@')).map((p) => p.name.split('/')[0]));
    }
    return this.ws;
  }

  /**
   * What `specifier`, imported (or required) by `fromFile`, refers to; undefined when it cannot be
   * known (a missing relative file, an alias that leads nowhere, a workspace package's subpath
   * that its `exports` do not offer, anything outside the project root).
   */
  resolve(specifier: string, fromFile: string, mode: ImportMode = 'import'): Resolution | undefined {
    if (!specifier || specifier.length > MAX_SPECIFIER_LENGTH || specifier.includes('\0')) return undefined;
    const builtin = builtinName(specifier);
    if (builtin) return { kind: 'builtin', name: builtin };
    const from = path.resolve(fromFile);
    if (!this.fs.inside(from)) return undefined;
    const config = this.tsconfigs.configFor(from);
    const key = `${config?.file ?? ''}\0${path.dirname(from)}\0${mode}\0${specifier}`;
    return memoized(this.memo, key, () => {
      try {
        return this.compute(specifier, from, config, mode);
      } catch {
        return undefined; // TypeScript should not throw on any input; if it does, unresolved
      }
    });
  }

  /** Files, configs or packages changed: forget every answer (configs are re-read when changed). */
  invalidate(): void {
    this.memo.clear();
    this.caches.clear();
    this.optionsFor.clear();
    this.redirects.clear();
    this.packageOfDir.clear();
    this.ws = undefined;
    this.tsconfigs.invalidate(); // clears the shared RootFs too
  }

  private compute(specifier: string, from: string, config: ProjectConfig | undefined, mode: ImportMode): Resolution | undefined {
    const options = this.options(config);
    let file = this.tsResolve(specifier, from, options, config?.file ?? '', mode);
    if (!file && options.moduleResolution !== ts.ModuleResolutionKind.Bundler) {
      // what a bundler, tsx or ts-node would find: Node10 ignores `exports` and `imports`, Node16/
      // NodeNext want extensions in ESM (`@/lib/logger` through paths); the module meant is the same
      file = this.tsResolve(specifier, from, { ...options, moduleResolution: ts.ModuleResolutionKind.Bundler, module: ts.ModuleKind.ESNext }, `${config?.file ?? ''}\0bundler`, mode);
    }
    if (file) return this.classify(specifier, file);
    return this.unresolved(specifier, from, options);
  }

  private options(config: ProjectConfig | undefined): ts.CompilerOptions {
    const key = config?.file ?? '';
    let options = this.optionsFor.get(key);
    if (!options) {
      // JavaScript and JSON files are modules of the project too, whatever the type checker is told
      options = { ...(config ? config.options : DEFAULT_OPTIONS), allowJs: true, resolveJsonModule: true, noEmit: true, traceResolution: false };
      this.optionsFor.set(key, options);
    }
    return options;
  }

  private tsResolve(specifier: string, from: string, options: ts.CompilerOptions, cacheKey: string, mode: ImportMode): string | undefined {
    void this.workspaces; // the virtual node_modules needs the packages
    let cache = this.caches.get(cacheKey);
    if (!cache) {
      cache = ts.createModuleResolutionCache(this.fs.root, (f) => f, options);
      this.caches.set(cacheKey, cache);
    }
    const resolutionMode = mode === 'require' ? ts.ModuleKind.CommonJS : ts.ModuleKind.ESNext;
    const r = ts.resolveModuleName(specifier, from, options, this.host, cache, undefined, resolutionMode);
    const file = r.resolvedModule?.resolvedFileName;
    return file ? path.resolve(file) : undefined;
  }

  private classify(specifier: string, resolved: string): Resolution | undefined {
    const bare = !isRelativeOrAbsolute(specifier) && !specifier.startsWith('#');
    let file = this.redirects.get(resolved) ?? resolved;
    if (!this.fs.inside(file)) return undefined;
    file = this.fs.realpath(file) ?? file; // one name per file: a folder linked inside the root gives its target
    const rel = this.fs.relative(file).split('/');
    const nm = rel.lastIndexOf(NODE_MODULES);
    if (nm >= 0) {
      // an installed package (a workspace package would have been given as its own folder)
      const pkg = bare ? splitPackageSpecifier(specifier) : splitPackageSpecifier(rel.slice(nm + 1).join('/'));
      return pkg ? { kind: 'package', ...pkg } : undefined;
    }
    const ws = this.packageAt(file);
    if (ws) file = this.builtOutputToSource(ws, file) ?? file;
    const impl = implementationNames(file).find((f) => this.fs.isFile(f));
    if (impl) file = impl;
    const name = bare ? splitPackageSpecifier(specifier)?.name : undefined;
    return name && ws && ws.name === name ? { kind: 'file', file, package: name } : { kind: 'file', file };
  }

  /**
   * When TypeScript finds nothing: an asset with its own extension that exists (`./app.css`,
   * `~/app.css?url` through paths, `@acme/assets/logo.png` in a workspace package without
   * `exports`) is a file; a bare name that no alias and no workspace package claims is a
   * third-party package; anything else is unresolved.
   */
  private unresolved(specifier: string, from: string, options: ts.CompilerOptions): Resolution | undefined {
    const query = specifier.indexOf('?'); // bundler queries: ./app.css?url, ./icon.svg?raw
    const spec = query > 0 ? specifier.slice(0, query) : specifier;
    const asset = (p: string): Resolution | undefined => (this.fs.isFile(p) ? { kind: 'file', file: this.fs.realpath(p) ?? p } : undefined);
    if (isRelativeOrAbsolute(spec)) return asset(path.resolve(path.dirname(from), spec));
    if (spec.startsWith('#')) return undefined;
    const aliased = pathAliasTargets(spec, options);
    if (aliased) {
      for (const target of aliased) {
        const found = asset(target);
        if (found) return found;
      }
      return undefined;
    }
    const pkg = splitPackageSpecifier(spec);
    if (!pkg || pkg.name.startsWith('~')) return undefined;
    const ws = this.byName.get(pkg.name);
    if (ws) {
      // in the repository: a file of a package that does not restrict its subpaths, or nothing
      const found = pkg.subpath && ws.manifest.exports === undefined ? asset(path.join(ws.dir, pkg.subpath)) : undefined;
      return found?.kind === 'file' ? { ...found, package: pkg.name } : undefined;
    }
    return { kind: 'package', ...pkg };
  }

  // ---- the host TypeScript resolves through ----

  /**
   * A path inside `<folder>/node_modules/<name>/…` where `<name>` is a workspace package installed
   * there — at the root always (presented as installed), elsewhere when that entry is a link to the
   * package's folder — and the same path in the package's folder.
   */
  private installed(p: string): { pkg: WorkspacePackage; path: string } | undefined {
    if (this.byName.size === 0) return undefined;
    const marker = `${path.sep}${NODE_MODULES}${path.sep}`;
    const i = p.lastIndexOf(marker);
    if (i < 0) return undefined;
    const rest = p.slice(i + marker.length).split(path.sep);
    const n = rest[0].startsWith('@') ? 2 : 1;
    if (rest.length < n) return undefined;
    const pkg = this.byName.get(rest.slice(0, n).join('/'));
    if (!pkg) return undefined;
    if (p.slice(0, i) !== this.fs.root) {
      const entry = p.slice(0, i + marker.length) + rest.slice(0, n).join(path.sep);
      const real = this.fs.realpath(entry);
      if (!real || real !== this.fs.realpath(pkg.dir)) return undefined;
    }
    return { pkg, path: rest.length > n ? path.join(pkg.dir, ...rest.slice(n)) : pkg.dir };
  }

  private fileExists(f: string): boolean {
    const abs = normal(f);
    const inst = this.installed(abs);
    if (this.fs.isFile(inst?.path ?? abs)) return true;
    // a missing build output of a workspace package reached as installed: its source
    const src = inst && this.missingOutputToSource(inst.pkg, inst.path);
    if (!src) return false;
    this.redirects.set(abs, src);
    return true;
  }

  private directoryExists(d: string): boolean {
    const abs = normal(d);
    const inst = this.installed(abs);
    if (this.fs.isDirectory(inst?.path ?? abs)) return true;
    // a missing output folder of an installed workspace package: its files may map to source
    if (inst) return inst.path !== inst.pkg.dir;
    if (this.byName.size === 0) return false;
    const nm = path.join(this.fs.root, NODE_MODULES);
    return abs === nm || (path.dirname(abs) === nm && this.scopes.has(path.basename(abs)));
  }

  private realpath(f: string): string {
    const abs = normal(f);
    const redirected = this.redirects.get(abs);
    if (redirected) return redirected;
    const q = this.installed(abs)?.path ?? abs;
    return this.fs.realpath(q) ?? q;
  }

  private getDirectories(d: string): string[] {
    const abs = normal(d);
    const names = new Set(this.fs.list(this.installed(abs)?.path ?? abs)?.dirs ?? []);
    if (abs === path.join(this.fs.root, NODE_MODULES)) {
      for (const name of this.byName.keys()) names.add(name.split('/')[0]);
    }
    return [...names].sort();
  }

  /** The workspace package whose folder holds `file` (a real path), if any. */
  private packageAt(file: string): WorkspacePackage | undefined {
    const ws = this.workspaces;
    if (ws.packages.length === 0) return undefined;
    const dir = path.dirname(file);
    return memoized(this.packageOfDir, dir, () => {
      let found: WorkspacePackage | undefined;
      for (const p of ws.packages) if (isInside(dir, p.dir) && (!found || p.dir.length > found.dir.length)) found = p;
      return found;
    });
  }

  /** outDir/declarationDir → rootDir mappings of a workspace package's tsconfig(s). */
  private outputMappings(pkg: WorkspacePackage): { out: string; sources: string[] }[] {
    const out: { out: string; sources: string[] }[] = [];
    for (const name of ['tsconfig.json', 'tsconfig.build.json']) {
      const config = this.tsconfigs.load(path.join(pkg.dir, name));
      if (!config) continue;
      const o = config.options;
      const sources = o.rootDir ? [path.resolve(o.rootDir)] : [path.dirname(config.file), path.join(pkg.dir, 'src')];
      for (const dir of [o.outDir, o.declarationDir]) if (dir) out.push({ out: path.resolve(dir), sources });
    }
    return out;
  }

  /** The source of an output file named by the package's tsconfig (existing or not). */
  private configuredSource(pkg: WorkspacePackage, file: string): string | undefined {
    for (const m of this.outputMappings(pkg)) {
      if (!isInside(file, m.out) || file === m.out) continue;
      const rel = path.relative(m.out, file);
      const found = this.firstSource(m.sources.map((s) => path.join(s, rel)), m.out);
      if (found) return found;
    }
    return undefined;
  }

  /** The source of a missing file under a conventional output folder (dist/, build/, out/, lib/). */
  private missingOutputToSource(pkg: WorkspacePackage, file: string): string | undefined {
    return this.configuredSource(pkg, file) ?? this.conventionalSource(pkg, file, OUTPUT_DIRS);
  }

  /** The source of an existing output file (dist/, build/, out/, or the tsconfig's outDir). */
  private builtOutputToSource(pkg: WorkspacePackage, file: string): string | undefined {
    return this.configuredSource(pkg, file) ?? this.conventionalSource(pkg, file, BUILT_DIRS);
  }

  private conventionalSource(pkg: WorkspacePackage, file: string, dirs: ReadonlySet<string>): string | undefined {
    const parts = path.relative(pkg.dir, file).split(path.sep);
    if (parts.length < 2 || !dirs.has(parts[0])) return undefined;
    const rests = [parts.slice(1)];
    if (parts.length > 2 && FORMAT_DIRS.has(parts[1])) rests.push(parts.slice(2));
    const bases = rests.flatMap((r) => [path.join(pkg.dir, 'src', ...r), path.join(pkg.dir, ...r)]);
    return this.firstSource(bases, path.join(pkg.dir, parts[0]));
  }

  private firstSource(bases: string[], outDir: string): string | undefined {
    for (const base of bases) {
      for (const cand of sourceNames(base)) {
        if (!isInside(cand, outDir) && this.fs.isFile(cand)) return this.fs.realpath(cand) ?? cand;
      }
    }
    return undefined;
  }
}

/**
 * The files a tsconfig `paths` key other than a catch-all `*` maps the specifier to (absolute,
 * in order), or undefined when no such key matches.
 */
function pathAliasTargets(specifier: string, options: ts.CompilerOptions): string[] | undefined {
  const paths = options.paths;
  if (!paths) return undefined;
  const base = (options as { pathsBasePath?: string }).pathsBasePath ?? options.baseUrl;
  for (const [key, targets] of Object.entries(paths)) {
    if (key === '*') continue;
    const star = key.indexOf('*');
    let matched: string | undefined;
    if (star < 0) matched = specifier === key ? '' : undefined;
    else if (specifier.length >= key.length - 1 && specifier.startsWith(key.slice(0, star)) && specifier.endsWith(key.slice(star + 1))) {
      matched = specifier.slice(star, specifier.length - (key.length - star - 1));
    }
    if (matched === undefined) continue;
    return base && Array.isArray(targets) ? targets.filter((t) => typeof t === 'string').map((t) => path.resolve(base, t.replace('*', matched))) : [];
  }
  return undefined;
}
