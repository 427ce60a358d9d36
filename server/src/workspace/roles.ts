/**
 * THE file-role classifier: what a file is for (server / browser / test / script / build /
 * bootstrap), from path conventions, the file's own text and imports, and — with a Session — the
 * module graph. Every "is this a test file / browser code / a script" question in the product
 * goes through here (rules read the role as `ctx.view.role`, and as FileFacts.kind through
 * `kindOfRole`; the readiness summary and the failure-test generator ask `isTestPath`).
 *
 * Two levels:
 * - `localRole(file)`: one file alone (path, text, imports). Used as is without a Session (a lone
 *   file, unit tests) and as the starting point with one.
 * - `projectRoles(...)`: the graph refinements over every file of a project (a test helper that
 *   imports a test runner makes its importers test code; a module reached only from browser code
 *   is browser code; preload targets and what the logger module imports are bootstrap code).
 * Plus function level: `browserSpans(sf)`, the React components and `use*` hooks inside a server
 * module (a Remix route module's default export next to its loader).
 */
import ts = require('typescript');
import { BROWSER_PATH, BUILD_CONFIG_FILE, KNOWLEDGE, SCRIPT_PATH, TEST_PATH, TEST_SETUP_FILE } from '../knowledge';
import type { FileRole } from '../engine/view';
import type { FileKind } from '../engine/types';
import type { ModuleGraph } from './moduleGraph';

/** A file named as a test (`x.test.ts`, `x.spec.js`) or under `__tests__/`: what a test runner picks up by default. */
const TEST_NAME = /(^|[./\\])(test|spec)\.[cm]?[jt]sx?$|(^|[\\/])__tests__[\\/].+\.[cm]?[jt]sx?$/;


/** Telemetry preload modules by name (`tracing.ts`, `instrumentation.ts`, `otel.js`, `sentry.server.config.ts`). */
const TELEMETRY_NAME = /(^|[\\/])(instrumentation|tracing|tracer|otel|opentelemetry|telemetry|sentry\.(server|edge)\.config|newrelic)(\.node)?\.[cm]?[jt]s$/i;


/** Roles of packages imported for testing only (knowledge roles; an HTTP mock only when the library is not also a client, as undici is). */
const TEST_PACKAGE_ROLES = ['test-runner', 'test-module', 'http-test-client'] as const;

/** A test, fixture, mock, story or test-setup file by its path. */
export function isTestPath(path: string): boolean {
  const p = path.replace(/\\/g, '/');
  return TEST_PATH.test(p) || TEST_NAME.test(p) || TEST_SETUP_FILE.test(p);
}

/** A file named the way test runners find tests (`.test.`/`.spec.`, `__tests__/`): the layout new tests follow. Every such path is a test path. */
export function isTestFileName(path: string): boolean {
  return TEST_NAME.test(path.replace(/\\/g, '/'));
}

/** Whether importing this module (an engine module key or a specifier) is what test code does. */
export function isTestPackage(specifier: string): boolean {
  // the engine's module keys drop `node:` (node:test → test)
  const record = KNOWLEDGE.exactLibraryOf(specifier) ?? (/^[a-z]+$/.test(specifier) ? KNOWLEDGE.exactLibraryOf(`node:${specifier}`) : undefined);
  if (!record) return false;
  return TEST_PACKAGE_ROLES.some((r) => record.roles.includes(r)) || (record.roles.includes('http-mock') && !record.io);
}

/** FileKind (rules' `fileKinds`) of a role: build tooling and bootstrap code are scripts to the rules. */
export function kindOfRole(role: FileRole): FileKind {
  return role === 'build' || role === 'bootstrap' ? 'script' : role;
}

/** Why `localRole` said what it said: graph refinements may override weak reasons only. */
export type RoleReason = 'path' | 'shebang' | 'argv' | 'directive' | 'import' | 'dom' | 'extension' | 'runtime' | 'default';

export interface LocalRole {
  role: FileRole;
  reason: RoleReason;
  /** A `.tsx`/`.jsx` module that exports a `loader`/`action` (Remix route module): server code with browser spans. */
  routeModule?: true;
  /** Imports a test package (a runner, a mock, a test client): test code by content, and a test helper to its importers. */
  testContent?: true;
  /** Marked server-only (`'use server'`, a `.server.` name): never becomes browser code through the graph. */
  serverOnly?: true;
}

export interface LocalRoleInput {
  /** The path classified: relative to the project (with the package folder's own name in front), `/` or `\\` separators. */
  path: string;
  /** The file's text, or what localRole reads from it (textFacts: a Session keeps these, not the text). */
  text: string | TextFacts;
  /** Module specifiers the file imports (engine module keys or as written). */
  imports: Iterable<string>;
  /** 'browser'/'cli' when the file's package is a frontend package / a command-line tool (ProjectFacts.runtime). */
  runtime?: 'browser' | 'server' | 'cli';
  /**
   * With a Session: the folder of the file's package relative to the workspace root (`scripts/one-off/backfill`),
   * when the package is nested inside it. A package inside a scripts/tools folder of the repository (or a workspace
   * package that is itself the `scripts` folder, with a package per one-off) holds scripts, whatever its own
   * folder is called.
   */
  packagePath?: string;
}

const ROUTE_EXPORT = /\bexport\s+(?:async\s+)?function\s+(?:loader|action|clientLoader|clientAction)\b|\bexport\s+(?:const|let|var)\s+(?:loader|action)\b/;
const EXPORT_LIST = /\bexport\s*\{/g;
/** How far an `export { … }` list is read for a loader/action name. */
const EXPORT_LIST_WINDOW = 1_000;

/**
 * Whether a module exports a Remix `loader`/`action`. Linear in the text: an `export { … }` list
 * is read up to its `}` and at most EXPORT_LIST_WINDOW characters (a file of unclosed
 * `export {` is not read again from each of them).
 */
function exportsRouteData(text: string): boolean {
  if (ROUTE_EXPORT.test(text)) return true;
  EXPORT_LIST.lastIndex = 0;
  let brace = -1;
  for (let m = EXPORT_LIST.exec(text); m; m = EXPORT_LIST.exec(text)) {
    const from = EXPORT_LIST.lastIndex;
    if (brace !== -2 && brace < from) brace = text.indexOf('}', from) === -1 ? -2 : text.indexOf('}', from);
    const end = Math.min(brace < 0 ? text.length : brace, from + EXPORT_LIST_WINDOW);
    if (/\b(?:loader|action)\b/.test(text.slice(from, end))) return true;
  }
  return false;
}

/** What the classifier reads from a file's text (small: kept per file by a Session instead of the text). */
export interface TextFacts {
  shebang: boolean;
  /** Reads `process.argv`. */
  argv: boolean;
  /** The directive prologue (`use client`, `use server`). */
  directives: string[];
  /** Exports a Remix `loader`/`action`. */
  routeData: boolean;
  /** Uses the page's DOM (`window.location`, `document.querySelector`, `localStorage.getItem`) and never asks `typeof window`: browser code. */
  dom?: true;
}

/**
 * Uses of the page that only a browser has. Not when the module asks `typeof window` (it runs on
 * both sides), hands code to a headless browser (`page.evaluate(() => document…)`, `$eval`) or
 * builds a DOM on the server (`new JSDOM(…)`, `dom.window.document`).
 */
const DOM_USE = /\bwindow\.(?:location|open|navigator|screen|localStorage|sessionStorage|document|addEventListener|history|innerWidth|innerHeight|scrollTo|matchMedia)\b|\bdocument\.(?:getElementById|querySelector(?:All)?|createElement|cookie|body|documentElement|addEventListener)\b|\b(?:localStorage|sessionStorage)\.(?:getItem|setItem|removeItem)\b/;
const DOM_CHECK = /\btypeof\s+(?:window|document|localStorage)\b|\$?\$?eval(?:uate)?(?:Handle|All)?\s*\(|\bJSDOM\b|\.window\.document\b/;

export function textFacts(text: string): TextFacts {
  const dom = DOM_USE.test(text) && !DOM_CHECK.test(text);
  return { shebang: text.startsWith('#!'), argv: text.includes('process.argv'), directives: [...leadingDirectives(text)], routeData: exportsRouteData(text), ...(dom ? { dom: true as const } : {}) };
}

/** The role of one file from its path, text and imports (no graph). */
export function localRole(input: LocalRoleInput): LocalRole {
  const p = input.path.replace(/\\/g, '/');
  const text = typeof input.text === 'string' ? textFacts(input.text) : input.text;
  const imports = [...input.imports];
  const directive = new Set(text.directives);
  const serverOnly = directive.has('use server') || /\.server\.[cm]?[jt]sx?$|(^|\/)[\w.-]*\.server\//.test(p) ? { serverOnly: true as const } : {};
  const testContent = imports.some(isTestPackage) ? { testContent: true as const } : {};
  if (isTestPath(p)) return { role: 'test', reason: 'path', ...testContent };
  if (testContent.testContent) return { role: 'test', reason: 'import', ...testContent };
  if (BUILD_CONFIG_FILE.test(p)) return { role: 'build', reason: 'path' };
  if (TELEMETRY_NAME.test(p) && imports.some((m) => KNOWLEDGE.hasRole(m, 'tracing') || KNOWLEDGE.hasRole(m, 'error-tracking'))) return { role: 'bootstrap', reason: 'path' };
  if (text.shebang) return { role: 'script', reason: 'shebang' };
  if (SCRIPT_PATH.test(p)) return { role: 'script', reason: 'path' };
  if (input.packagePath && SCRIPT_PATH.test(`${input.packagePath.replace(/\\/g, '/')}/`)) return { role: 'script', reason: 'path' };
  // a command-line program: reads its arguments and serves nothing
  if (text.argv && !imports.some((m) => KNOWLEDGE.importSignal(m) === 'server')) return { role: 'script', reason: 'argv' };
  const withRuntime = (r: LocalRole): LocalRole =>
    r.role === 'server' && input.runtime === 'browser' && !directive.has('use server') ? { role: 'browser', reason: 'runtime' }
      : r.role === 'server' && input.runtime === 'cli' ? { role: 'script', reason: 'runtime' } : r;
  if (directive.has('use server')) return withRuntime({ role: 'server', reason: 'directive', ...serverOnly });
  if (directive.has('use client')) return { role: 'browser', reason: 'directive' };
  if (BROWSER_PATH.test(p)) return { role: 'browser', reason: 'path' };
  if (imports.some((m) => KNOWLEDGE.importSignal(m) === 'browser')) return { role: 'browser', reason: 'import' };
  if (text.dom && !serverOnly.serverOnly && !imports.some((m) => KNOWLEDGE.importSignal(m) === 'server')) return { role: 'browser', reason: 'dom' };
  if (/\.[jt]sx$/.test(p) && !/(^|\/)(api|server)\//.test(p) && !/(^|\/)route\.[jt]sx?$/.test(p)) {
    // a Remix route module: the loader/action are server code, the component is browser code (browserSpans)
    if (text.routeData) return withRuntime({ role: 'server', reason: 'default', routeModule: true, ...serverOnly });
    // `entry.server.tsx`, `page.server.tsx`: rendered on the server, by name
    if (serverOnly.serverOnly) return withRuntime({ role: 'server', reason: 'default', ...serverOnly });
    return { role: 'browser', reason: 'extension' };
  }
  return withRuntime({ role: 'server', reason: 'default', ...serverOnly });
}

/** The directive prologue of a module (`'use client'`, `'use server'`, `'use strict'`), read from its text. */
function leadingDirectives(text: string): Set<string> {
  const out = new Set<string>();
  const re = /\s*(?:\/\/[^\n]*\n|\/\*[\s\S]*?\*\/|(['"])(use [\w ]+)\1\s*;?)/y;
  let i = text.startsWith('#!') ? text.indexOf('\n') + 1 : 0;
  if (i === 0 && text.startsWith('#!')) return out;
  for (;;) {
    re.lastIndex = i;
    const m = re.exec(text);
    if (!m || m[0].length === 0) break;
    if (m[2]) out.add(m[2]);
    i = re.lastIndex;
  }
  return out;
}

// ---- the project level ---------------------------------------------------------------------------

export interface ProjectRolesInput {
  graph: ModuleGraph;
  /** localRole of every file of the graph. */
  local: Readonly<Record<string, LocalRole>>;
  /** Files that packages preload (`node --require ./tracing.js`, `--import`): bootstrap code. */
  preloads?: readonly string[];
  /** The project's logger module, when learned: what it imports runs before a logger exists. */
  loggerModule?: string;
}

/** Value imports of a file that reach project files. */
function fileImports(graph: ModuleGraph, file: string): string[] {
  const out: string[] = [];
  for (const m of (Object.hasOwn(graph.imports, file) ? graph.imports[file] : [])) {
    if (!m.typeOnly && m.to?.kind === 'file') out.push(m.to.file);
  }
  return out;
}

/**
 * Every file's role with the graph: starts from `local` and applies, in order,
 * 1. bootstrap: preload targets and the project files they import that nothing else imports, and
 *    the project files the logger module imports (transitively): they run before a logger exists;
 * 2. test: a file that imports a test helper (a file that imports a test package, or imports such a
 *    helper) is test code, whatever its name;
 * 3. browser: a module whose every importer is browser code (and that is not marked server-only,
 *    and has at least one importer) is browser code;
 * 4. a module browser by its DOM use alone that server code imports is server code.
 * Deterministic: depends only on the inputs, never on the order files were read.
 */
export function projectRoles(input: ProjectRolesInput): Record<string, FileRole> {
  const { graph, local } = input;
  const roles: Record<string, FileRole> = Object.create(null) as Record<string, FileRole>;
  for (const f of graph.files) roles[f] = local[f]?.role ?? 'server';
  const importersOf = (f: string) => (Object.hasOwn(graph.importers, f) ? graph.importers[f] : []).filter((i) => Object.hasOwn(roles, i) && fileImports(graph, i).includes(f));
  const weak = (f: string) => roles[f] === 'server' && (local[f]?.reason === 'default' || local[f]?.reason === 'directive' || local[f]?.reason === 'runtime');

  // 1. bootstrap
  const boot = new Set<string>();
  for (const f of input.preloads ?? []) if (Object.hasOwn(roles, f)) boot.add(f);
  for (const f of [...boot]) {
    const queue = [f];
    while (queue.length) {
      for (const dep of fileImports(graph, queue.pop()!)) {
        if (boot.has(dep) || !Object.hasOwn(roles, dep)) continue;
        if (importersOf(dep).every((i) => boot.has(i))) { boot.add(dep); queue.push(dep); }
      }
    }
  }
  if (input.loggerModule && Object.hasOwn(roles, input.loggerModule)) {
    const logger = input.loggerModule;
    const seen = new Set<string>([logger]);
    const queue = fileImports(graph, logger);
    while (queue.length) {
      const dep = queue.pop()!;
      if (seen.has(dep) || !Object.hasOwn(roles, dep)) continue;
      seen.add(dep);
      // a module that imports the logger itself runs with a logger: not bootstrap, and neither is what it leads to
      if (fileImports(graph, dep).includes(logger)) continue;
      boot.add(dep);
      queue.push(...fileImports(graph, dep));
    }
  }
  for (const f of boot) if (roles[f] === 'server') roles[f] = 'bootstrap';

  // 2. test helpers, to a fixed point (each round adds at least one file, or stops)
  const helpers = new Set(graph.files.filter((f) => local[f]?.testContent));
  for (let changed = true; changed;) {
    changed = false;
    for (const f of graph.files) {
      if (helpers.has(f)) continue;
      if (fileImports(graph, f).some((d) => helpers.has(d))) {
        helpers.add(f);
        roles[f] = 'test';
        changed = true;
      }
    }
  }

  // 3. browser: reached only from browser code
  for (let changed = true; changed;) {
    changed = false;
    for (const f of graph.files) {
      if (!weak(f) || local[f]?.serverOnly || local[f]?.routeModule) continue;
      const by = importersOf(f);
      if (by.length > 0 && by.every((i) => roles[i] === 'browser')) {
        roles[f] = 'browser';
        changed = true;
      }
    }
  }

  // 4. DOM use is weaker than the graph: a module server code imports runs on the server (a helper that also reads document.cookie)
  for (const f of graph.files) {
    if (local[f]?.reason === 'dom' && roles[f] === 'browser' && importersOf(f).some((i) => roles[i] === 'server' || roles[i] === 'bootstrap')) roles[f] = 'server';
  }
  return roles;
}

/**
 * The files of isomorphic workspace libraries: a package of the workspace (not the file's whole
 * project) whose files are imported (value imports) both by browser code and by server code of
 * other packages, and that depends on no server framework itself (a `commons`/`shared` package
 * used by a React front end and by the back end). Its code runs in both places, so it cannot use
 * the back end's logger; it keeps its role (a missing deadline there still hurts the server).
 * `packageOf` is the folder of a file's package (undefined: none); `serverPackage` says whether a
 * package depends on a server framework.
 */
export function sharedLibraryFiles(graph: ModuleGraph, roles: Readonly<Record<string, FileRole>>, packageOf: (file: string) => string | undefined, serverPackage: (dir: string) => boolean): string[] {
  const users = new Map<string, Set<FileRole>>();
  const pkgOf = new Map<string, string | undefined>();
  const pkg = (f: string) => {
    if (!pkgOf.has(f)) pkgOf.set(f, packageOf(f));
    return pkgOf.get(f);
  };
  for (const f of graph.files) {
    const from = pkg(f);
    const role = Object.hasOwn(roles, f) ? roles[f] : undefined;
    if (role !== 'browser' && role !== 'server') continue;
    for (const to of fileImports(graph, f)) {
      const target = pkg(to);
      if (!target || target === from) continue;
      if (!users.has(target)) users.set(target, new Set());
      users.get(target)!.add(role);
    }
  }
  const shared = new Set([...users].filter(([dir, r]) => r.has('browser') && r.has('server') && !serverPackage(dir)).map(([dir]) => dir));
  if (shared.size === 0) return [];
  return graph.files.filter((f) => shared.has(pkg(f)!) && roles[f] === 'server').sort();
}

/** Package.json scripts' preload targets: `node -r ./tracing.js`, `--require=…`, `--import ./otel.mjs`, in NODE_OPTIONS too. */
export function preloadTargets(scripts: Readonly<Record<string, string>>): string[] {
  const out = new Set<string>();
  const re = /(?:^|\s|["'=])(?:-r|--require|--import)(?:\s+|=)(["']?)([^\s"']+)\1/g;
  for (const cmd of Object.values(scripts)) {
    if (typeof cmd !== 'string') continue;
    for (const m of cmd.slice(0, 10_000).matchAll(re)) {
      const target = m[2];
      if (target.startsWith('.') || target.startsWith('/')) out.add(target);
    }
  }
  return [...out].sort();
}

// ---- the function level --------------------------------------------------------------------------

function containsJsx(node: ts.Node): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isJsxElement(n) || ts.isJsxSelfClosingElement(n) || ts.isJsxFragment(n)) { found = true; return; }
    ts.forEachChild(n, visit);
  };
  visit(node);
  return found;
}

/**
 * The browser code inside a server module: top-level React components (a capitalised function
 * returning JSX, the default export returning JSX) and `use*` hooks, as source spans.
 */
export function browserSpans(sf: ts.SourceFile): { pos: number; end: number }[] {
  const out: { pos: number; end: number }[] = [];
  const add = (n: ts.Node) => out.push({ pos: n.getStart(sf), end: n.getEnd() });
  const isHook = (name: string) => /^use[A-Z0-9]/.test(name);
  const isComponentName = (name: string) => /^[A-Z]/.test(name);
  for (const st of sf.statements) {
    if (ts.isFunctionDeclaration(st) && st.body) {
      const name = st.name?.text;
      const isDefault = !name && (ts.getModifiers(st) ?? []).some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
      if (name && isHook(name)) add(st);
      else if ((isDefault || (name && isComponentName(name))) && containsJsx(st.body)) add(st);
    } else if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) {
        if (!ts.isIdentifier(d.name) || !d.initializer) continue;
        const name = d.name.text;
        let init: ts.Expression = d.initializer;
        // memo(...)/forwardRef(...) wrappers
        while (ts.isCallExpression(init) && init.arguments.length > 0 && (ts.isArrowFunction(init.arguments[0]) || ts.isFunctionExpression(init.arguments[0]) || ts.isCallExpression(init.arguments[0]))) init = init.arguments[0];
        if (!ts.isArrowFunction(init) && !ts.isFunctionExpression(init)) continue;
        if (isHook(name) || (isComponentName(name) && containsJsx(init.body))) add(d);
      }
    } else if (ts.isExportAssignment(st) && (ts.isArrowFunction(st.expression) || ts.isFunctionExpression(st.expression)) && containsJsx(st.expression.body)) {
      add(st);
    }
  }
  return out;
}
