/**
 * The Session: one project model per project root (a workspace folder, or a folder given to the
 * CLI), the same in the language server, the CLI and the scan worker, so the three give the same
 * findings for the same folder.
 *
 * It holds the module graph (TypeScript's resolver over project/tsconfig.ts and
 * project/workspaces.ts), every file's role (workspace/roles.ts, the one classifier), the learned
 * conventions (workspace/conventions) and the project-wide signals of the last scan, and answers
 * `viewFor(file)`: the ProjectView a rule reads as `ctx.view`.
 *
 * Incremental: `fileChanged(file, text)` updates the graph edges of that file; roles and
 * conventions are re-derived lazily, on the next question. `snapshot()` is plain data (structured
 * clone, JSON); `Session.fromSnapshot` turns it back into a Session on another thread without
 * reading a file.
 */
import * as path from 'node:path';
import type * as ts from 'typescript';
import { KNOWLEDGE, type LibraryRecord } from '../knowledge';
import type { FileRole, FunctionSummary, ProjectView } from '../engine/view';
import { classifyPath, parseGuarded } from '../engine/analyze';
import { ProjectLoader } from '../engine/project';
import { ConfigFileLoader } from '../engine/configFile';
import { MAX_MANIFEST_BYTES, MAX_SOURCE_BYTES, isInside, readWorkspaceText } from '../engine/readSource';
import { ModuleResolver } from './resolver';
import { buildModuleGraph, scanImports, targetOf, updateModuleGraph, type ModuleGraph } from './moduleGraph';
import { browserSpans, localRole, preloadTargets, projectRoles, sharedLibraryFiles, textFacts, type LocalRole, type TextFacts } from './roles';
import { learnConventions, PackageConventions, type Conventions } from './conventions';
import type { LoggerConvention } from '../engine/view';
import { applyDeclarations, type DeclaredTarget } from './conventions/declared';

/** Project-wide signals of a scan (process-health): `process.on` events handled anywhere, health routes. */
export interface ProjectSignals { processEvents: string[]; healthRoutes: number }

export interface SessionSnapshot {
  root: string;
  graph: ModuleGraph;
  local: Record<string, LocalRole>;
  preloads: string[];
  roles: Record<string, FileRole>;
  conventions: Conventions;
  signals?: ProjectSignals;
}

export interface SessionOptions {
  /** Folders nothing is read outside of, through links included (containmentRoots). Default: the root. */
  roots?: readonly string[];
  /** Where the package.json facts come from (default: a ProjectLoader within `roots`): the path a file is classified by, and its package's runtime. */
  projects?: Pick<ProjectLoader, 'forFile'>;
  /** Reads a project file (default: readWorkspaceText within `roots`, 8 MB cap). */
  read?(file: string): string | undefined;
  /**
   * The .failpath.json files that apply to a file, outermost first (default: a ConfigFileLoader
   * within `roots`). Their "knowledge" declarations are applied to the file's view.
   */
  configChain?(file: string): readonly { file: string; knowledge?: readonly LibraryRecord[] }[];
}

const JSX_EXT = /\.[cm]?[jt]sx$/i;

/** How a Session reads a project file: the host's reader or readWorkspaceText; a reader that throws refuses the file (never the Session). */
function reader(options: SessionOptions, root: string): (file: string) => string | undefined {
  const read = options.read ?? ((f: string) => readWorkspaceText(f, { maxBytes: MAX_SOURCE_BYTES, roots: options.roots ?? [root] }));
  return (file) => {
    try {
      return read(file);
    } catch {
      return undefined;
    }
  };
}

export class Session {
  readonly root: string;
  private graph: ModuleGraph;
  private readonly local: Record<string, LocalRole>;
  private preloads: string[];
  private roles?: Record<string, FileRole>;
  /** Files of isomorphic workspace libraries (roles.ts sharedLibraryFiles), derived with the roles. */
  private shared?: ReadonlySet<string>;
  private conventions?: Conventions;
  private resolverInstance?: ModuleResolver;
  private projectsInstance?: Pick<ProjectLoader, 'forFile'>;
  private fingerprint = '';
  private versionNumber = 0;
  private signalsValue?: ProjectSignals;
  /** What a package of a monorepo learns from its own files (its logger, its req.log), by package folder. */
  private packages = new Map<string, { files: number; learned: PackageConventions }>();
  /** Conventions with the declarations of a .failpath.json chain applied, by the chain's files (valid for `learned`). */
  private declared = new Map<string, { parts: readonly object[]; value: Conventions }>();
  private declaredFor?: Conventions;
  private configLoader?: ConfigFileLoader;

  private constructor(snapshot: Omit<SessionSnapshot, 'roles' | 'conventions'> & Partial<SessionSnapshot>, private readonly options: SessionOptions) {
    this.root = snapshot.root;
    this.graph = snapshot.graph;
    this.local = snapshot.local;
    this.preloads = snapshot.preloads;
    this.roles = snapshot.roles;
    this.conventions = snapshot.conventions;
    this.signalsValue = snapshot.signals;
  }

  /** Project-wide signals of the last scan (process-health), set by the host that scanned. */
  get signals(): ProjectSignals | undefined {
    return this.signalsValue;
  }

  set signals(value: ProjectSignals | undefined) {
    if (JSON.stringify(value ?? null) !== JSON.stringify(this.signalsValue ?? null)) this.versionNumber++;
    this.signalsValue = value;
  }

  /** Builds the model of `files` (absolute paths under `root`): reads each once, no AST. */
  static create(root: string, files: readonly string[], options: SessionOptions = {}): Session {
    const abs = path.resolve(root);
    const resolver = new ModuleResolver(abs);
    // what the classifier needs from each text is kept, not the text (memory on a 4,000-file repository)
    const facts = new Map<string, TextFacts>();
    const read = reader(options, abs);
    const inRoot = files.filter((f) => isInside(f, abs));
    const graph = buildModuleGraph(abs, inRoot, (f) => {
      const t = read(f);
      if (t !== undefined) facts.set(f, textFacts(t));
      return t;
    }, resolver);
    const session = new Session({ root: abs, graph, local: Object.create(null) as Record<string, LocalRole>, preloads: [] }, options);
    session.resolverInstance = resolver;
    for (const f of graph.files) session.local[f] = session.classifyLocal(f, facts.get(f) ?? '');
    session.preloads = session.findPreloads();
    return session;
  }

  /** A Session from `snapshot()` data (another thread): nothing is read until a file changes. */
  static fromSnapshot(snapshot: SessionSnapshot, options: SessionOptions = {}): Session {
    return new Session(snapshot, options);
  }

  snapshot(): SessionSnapshot {
    this.derive();
    return { root: this.root, graph: this.graph, local: this.local, preloads: this.preloads, roles: this.roles!, conventions: this.conventions!, ...(this.signals ? { signals: this.signals } : {}) };
  }

  get files(): readonly string[] {
    return this.graph.files;
  }

  get moduleGraph(): ModuleGraph {
    return this.graph;
  }

  /** Bumped whenever something a view says changed (roles, conventions, signals). */
  get version(): number {
    this.derive();
    return this.versionNumber;
  }

  contains(file: string): boolean {
    return isInside(file, this.root);
  }

  private get resolver(): ModuleResolver {
    return (this.resolverInstance ??= new ModuleResolver(this.root));
  }

  /** The path a file is classified by (as analyze() does without a Session) and its package's runtime. */
  private get projects(): Pick<ProjectLoader, 'forFile'> {
    return (this.projectsInstance ??= this.options.projects ?? new ProjectLoader(undefined, this.options.roots ?? [this.root]));
  }

  /**
   * The logger a file's fixes should use: the learned one when it lives in the file's own package
   * (or its importers reach it by a package name or alias), else the one learned from that package's own files. A package of a
   * monorepo with its own logger must not get a relative import into a sibling package.
   */
  private loggerFor(file: string, conventions: Conventions): LoggerConvention | undefined {
    // a logger declared in .failpath.json ("knowledge") is the project's word: it wins
    if (conventions.logger !== this.conventions!.logger) return conventions.logger;
    const learned = conventions.logger;
    // a package import (`@acme/logger`, a workspace package) reaches it from any package
    if (!learned || learned.module.kind !== 'file' || learned.specifiers.some((s) => !s.specifier.startsWith('.'))) return learned;
    const pkg = this.projects.forFile(file).root;
    if (!pkg || this.projects.forFile(learned.module.file).root === pkg) return learned;
    return this.packageConventions(pkg).learned.learnedLogger;
  }

  private packageConventions(pkg: string): { files: number; learned: PackageConventions } {
    let hit = this.packages.get(pkg);
    if (!hit) {
      const files = this.graph.files.filter((f) => this.projects.forFile(f).root === pkg);
      hit = { files: files.length, learned: new PackageConventions({ root: pkg, files, graph: this.graph, readText: (f) => this.readText(f) }) };
      this.packages.set(pkg, hit);
    }
    return hit;
  }

  /**
   * The request-scoped loggers of a file's own package: `req.log` exists where that package mounts
   * pino-http, not where a sibling package of the monorepo does. One package: the learned list.
   */
  private requestLoggersFor(file: string, conventions: Conventions): string[] {
    // declared in .failpath.json ("knowledge"): the project's word
    if (conventions.requestLoggers !== this.conventions!.requestLoggers) return conventions.requestLoggers;
    const pkg = this.projects.forFile(file).root;
    if (!pkg) return conventions.requestLoggers;
    const own = this.packageConventions(pkg);
    return own.files === this.graph.files.length ? conventions.requestLoggers : own.learned.requestLoggers;
  }

  private classification(file: string): { path: string; runtime?: 'browser' | 'server' | 'cli'; packagePath?: string } {
    const facts = this.projects.forFile(file);
    // the package's folder inside the workspace: a package under the repository's scripts/ folder holds scripts
    const packagePath = facts.root && isInside(facts.root, this.root) && facts.root !== this.root ? path.relative(this.root, facts.root) : undefined;
    return { path: classifyPath(file, facts.root), runtime: facts.runtime, ...(packagePath ? { packagePath } : {}) };
  }

  private classifyLocal(file: string, text: string | TextFacts, imports = Object.hasOwn(this.graph.imports, file) ? this.graph.imports[file] : []): LocalRole {
    return localRole({ ...this.classification(file), text, imports: imports.map((m) => KNOWLEDGE.moduleKey(m.specifier)) });
  }

  /** `--require`/`--import` targets in the scripts of the root's and the workspace packages' package.json. */
  private findPreloads(): string[] {
    const dirs = [this.root, ...this.resolver.workspaces.packages.map((p) => p.dir)];
    const out = new Set<string>();
    for (const dir of dirs) {
      const text = readWorkspaceText(path.join(dir, 'package.json'), { maxBytes: MAX_MANIFEST_BYTES, roots: this.options.roots ?? [this.root] });
      if (!text) continue;
      let scripts: unknown;
      try {
        scripts = (JSON.parse(text) as { scripts?: unknown }).scripts;
      } catch {
        continue;
      }
      if (!scripts || typeof scripts !== 'object') continue;
      const commands = Object.fromEntries(Object.entries(scripts as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === 'string'));
      for (const target of preloadTargets(commands)) {
        const r = this.resolver.resolve(target.startsWith('.') ? target : `./${path.relative(dir, target)}`, path.join(dir, 'package.json'), 'require');
        if (r?.kind === 'file') out.add(r.file);
      }
    }
    return [...out].sort();
  }

  private readText(file: string): string | undefined {
    return reader(this.options, this.root)(file);
  }

  /** Roles and conventions, re-derived when a file changed since they were. */
  private derive(): void {
    if (this.conventions && this.roles) return;
    if (!this.conventions) {
      this.conventions = learnConventions({ root: this.root, files: this.graph.files, graph: this.graph, readText: (f) => this.readText(f) });
    }
    if (!this.roles) {
      const logger = this.conventions.logger?.module;
      this.roles = projectRoles({ graph: this.graph, local: this.local, preloads: this.preloads, loggerModule: logger?.kind === 'file' ? logger.file : undefined });
    }
    const key = JSON.stringify([this.roles, this.conventions]);
    if (key !== this.fingerprint) {
      if (this.fingerprint) this.versionNumber++;
      this.fingerprint = key;
    }
  }

  /**
   * A file changed (`text`), appeared, or was deleted (`text` undefined): its graph edges are
   * re-read now; roles on the next question. A file that appears or disappears also re-resolves
   * the imports that did not resolve (or resolved to it). Conventions are learned from the files
   * as saved: a change on disk re-learns them (on the next question), an editor's unsaved text
   * (`from: 'editor'`) does not.
   */
  fileChanged(file: string, text: string | undefined, from: 'disk' | 'editor' = 'disk'): void {
    const abs = path.resolve(file);
    if (!this.contains(abs)) return;
    const known = this.graph.files.includes(abs);
    if (from === 'disk') {
      this.conventions = undefined;
      this.packages.clear();
    }
    if (known && text !== undefined && this.local[abs] && this.sameImports(abs, text)) {
      const next = this.classifyLocal(abs, text);
      if (JSON.stringify(next) === JSON.stringify(this.local[abs])) return; // same edges, same local role
    }
    const appearing = !known || text === undefined;
    if (appearing) this.resolver.invalidate();
    updateModuleGraph(this.graph, abs, text, this.resolver);
    if (text === undefined) delete this.local[abs];
    else this.local[abs] = this.classifyLocal(abs, text);
    if (appearing) {
      for (const f of this.graph.files) {
        if (f === abs) continue;
        const imports = this.graph.imports[f] ?? [];
        if (imports.some((m) => !m.to || (m.to.kind === 'file' && m.to.file === abs))) {
          const t = this.readText(f);
          if (t !== undefined) updateModuleGraph(this.graph, f, t, this.resolver);
        }
      }
    }
    this.roles = undefined;
    this.shared = undefined;
  }

  /** Whether `text` imports what the graph has for `file` (same specifiers, kinds, in order). */
  private sameImports(file: string, text: string): boolean {
    const key = (list: readonly { kind: string; typeOnly?: true; specifier: string }[]) => list.map((m) => `${m.kind}:${m.typeOnly ? 't' : ''}:${m.specifier}`).join('\n');
    return key(this.graph.imports[file] ?? []) === key(scanImports(text));
  }

  roleOf(file: string): FileRole | undefined {
    this.derive();
    const abs = path.resolve(file);
    return Object.hasOwn(this.roles!, abs) ? this.roles![abs] : undefined;
  }

  /**
   * What the rules may know about `file`. `source` is the text being analysed (an editor's
   * unsaved text, or the file as read): a file the Session does not know is classified from it;
   * browser spans of a server module are read from its parse (the same parse the rules use: pass
   * it on to analyze() as `sourceFile`, see `analysisInput`).
   */
  viewFor(file: string, source?: { text: string; sourceFile?: ts.SourceFile }): ProjectView {
    this.derive();
    const abs = path.resolve(file);
    const conventions = this.conventionsFor(abs);
    let role: FileRole = Object.hasOwn(this.roles!, abs) ? this.roles![abs] : 'server';
    if (!Object.hasOwn(this.roles!, abs) && source) role = this.classifyLocal(abs, source.text, scanImports(source.text)).role;
    const spans = role === 'server' && source?.sourceFile && this.mayHoldBrowserCode(abs) ? browserSpans(source.sourceFile) : [];
    const graph = this.graph;
    const summaries = conventions.summaries;
    const logger = this.loggerFor(abs, conventions);
    return {
      role,
      browserSpans: spans,
      ...(logger ? { logger } : {}),
      requestLoggers: this.requestLoggersFor(abs, conventions),
      httpWrappers: conventions.httpWrappers,
      flagHelpers: conventions.flagHelpers,
      limiters: conventions.limiters,
      healthRoutes: conventions.healthRoutes,
      ...devOnlyOf(conventions, abs),
      ...(this.sharedFiles().has(abs) ? { shared: true as const } : {}),
      summaryOf(specifier: string, name: string): FunctionSummary | undefined {
        const to = targetOf(graph, abs, specifier);
        if (to?.kind !== 'file') return undefined;
        const byExport = Object.hasOwn(summaries, to.file) ? summaries[to.file] : undefined;
        return byExport && Object.hasOwn(byExport, name) ? byExport[name] : undefined;
      },
      moduleFileOf(specifier: string): string | undefined {
        const to = targetOf(graph, abs, specifier);
        return to?.kind === 'file' ? to.file : undefined;
      },
    };
  }

  /** Files of workspace libraries that browser and server code of other packages both import. */
  private sharedFiles(): ReadonlySet<string> {
    if (!this.shared) {
      const packageOf = (f: string) => {
        const root = this.projects.forFile(f).root;
        return root && root !== this.root && isInside(root, this.root) ? root : undefined;
      };
      const serverPackage = (dir: string) => {
        const deps = this.projects.forFile(path.join(dir, 'package.json')).dependencies;
        return SERVER_DEPENDENCIES.some((d) => deps.has(d));
      };
      this.shared = new Set(sharedLibraryFiles(this.graph, this.roles!, packageOf, serverPackage));
    }
    return this.shared;
  }

  /**
   * The conventions `file`'s view shows: the learned ones with the "knowledge" declarations of
   * the .failpath.json files above it applied (workspace/conventions/declared.ts).
   */
  private conventionsFor(file: string): Conventions {
    const learned = this.conventions!;
    let chain: readonly { file: string; knowledge?: readonly LibraryRecord[] }[];
    try {
      chain = this.options.configChain
        ? this.options.configChain(file)
        : (this.configLoader ??= new ConfigFileLoader(undefined, this.options.roots ?? [this.root])).chainFor(file);
    } catch {
      return learned;
    }
    const declaring = chain.filter((c) => c.knowledge && c.knowledge.length > 0);
    if (declaring.length === 0) return learned;
    if (this.declaredFor !== learned) {
      this.declared.clear();
      this.declaredFor = learned;
    }
    const key = declaring.map((c) => c.file).join('\0');
    const parts = declaring.map((c) => c.knowledge!);
    const hit = this.declared.get(key);
    if (hit && hit.parts.length === parts.length && hit.parts.every((p, i) => p === parts[i])) return hit.value;
    const value = applyDeclarations(learned, declaring.map((c) => ({ dir: path.dirname(c.file), records: c.knowledge! })), (specifier, dir) => this.resolveDeclared(specifier, dir));
    this.declared.set(key, { parts, value });
    return value;
  }

  /** A specifier of a .failpath.json in `dir`, resolved as a module of that folder would import it. */
  private resolveDeclared(specifier: string, dir: string): DeclaredTarget {
    const r = this.resolver.resolve(specifier, path.join(dir, 'failpath-knowledge.ts'));
    if (r?.kind === 'file') return { kind: 'file', file: r.file };
    if (r?.kind === 'package') return { kind: 'package', name: r.subpath ? `${r.name}/${r.subpath}` : r.name };
    if (specifier.startsWith('.')) return { kind: 'file', file: path.resolve(dir, specifier) };
    return { kind: 'package', name: specifier };
  }

  /** A server module that can hold components or hooks: JSX by extension, a Remix route module, or one importing a UI library. */
  private mayHoldBrowserCode(file: string): boolean {
    if (JSX_EXT.test(file) || this.local[file]?.routeModule) return true;
    const pkgs = Object.hasOwn(this.graph.packages, file) ? this.graph.packages[file] : [];
    return pkgs.some((p) => KNOWLEDGE.importSignal(p) === 'browser' || KNOWLEDGE.hasRole(p, 'ui'));
  }

  /**
   * The view of `file` for analysing `text`, with the parse it was computed from when one was
   * needed (browser spans): pass both to analyze() so the file is parsed once.
   */
  analysisInput(file: string, text: string): { view: ProjectView; sourceFile?: ts.SourceFile } {
    this.derive();
    const abs = path.resolve(file);
    const known = Object.hasOwn(this.roles!, abs);
    const needsParse = (!known || this.roles![abs] === 'server') && this.mayHoldBrowserCode(abs);
    // the guarded parse analyze() would make (a file it would skip gets no spans and is skipped there)
    const parsed = needsParse ? parseGuarded(text, file) : undefined;
    const sourceFile = parsed && 'sf' in parsed ? parsed.sf : undefined;
    return { view: this.viewFor(abs, { text, sourceFile }), ...(sourceFile ? { sourceFile } : {}) };
  }
}

/** The Sessions of several roots (workspace folders, CLI inputs): a file belongs to the deepest root containing it. */
export class Sessions {
  private readonly list: Session[];

  constructor(sessions: readonly Session[]) {
    this.list = [...sessions].sort((a, b) => b.root.length - a.root.length);
  }

  static fromSnapshots(snapshots: readonly SessionSnapshot[], options: SessionOptions = {}): Sessions {
    return new Sessions(snapshots.map((s) => Session.fromSnapshot(s, options)));
  }

  forFile(file: string): Session | undefined {
    const abs = path.resolve(file);
    return this.list.find((s) => s.contains(abs));
  }

  all(): readonly Session[] {
    return this.list;
  }

  snapshots(): SessionSnapshot[] {
    return this.list.map((s) => s.snapshot());
  }
}

/**
 * The Sessions of discovered files: one per root (a folder given, or the folder of a file
 * given), each built from the files under it.
 */
export function buildSessions(roots: readonly string[], files: readonly string[], options: SessionOptions = {}): Sessions {
  const folders = [...new Set(roots.map((r) => path.resolve(r)))].sort((a, b) => b.length - a.length);
  const byRoot = new Map<string, string[]>(folders.map((r) => [r, []]));
  for (const f of files) {
    const root = folders.find((r) => isInside(path.resolve(f), r));
    if (root) byRoot.get(root)!.push(path.resolve(f));
  }
  return new Sessions(folders.filter((r) => byRoot.get(r)!.length > 0).map((r) => Session.create(r, byRoot.get(r)!, options)));
}

/** Packages whose presence makes a package a server (knowledge: `signal.dependency`). */
const SERVER_DEPENDENCIES = KNOWLEDGE.serverDependencies();

/** The functions of `file` the project calls only in development (view.devOnly), when there are any. */
function devOnlyOf(conventions: Conventions, file: string): { devOnly?: string[] } {
  const names = (conventions.devOnly ?? []).filter((d) => d.file === file).map((d) => d.name);
  return names.length > 0 ? { devOnly: names } : {};
}
