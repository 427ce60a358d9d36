/**
 * The module graph of a project: for each file, what it imports, requires, imports dynamically and
 * re-exports, read with `ts.preProcessFile` (TypeScript's scanner, no AST: fast) and resolved with
 * the ModuleResolver; file → file edges, the reverse edges, and the packages each file uses.
 *
 * Plain data (records and arrays of strings and numbers), so a worker can build it and post it.
 * Records are keyed by absolute file path or package name and made without a prototype.
 */
import ts = require('typescript');
import type { ImportMode, Resolution } from './resolver';

export type ImportKind = 'import' | 'export' | 'require' | 'dynamic';

export interface ModuleImport {
  specifier: string;
  /** `import … from`/`import '…'`, `export … from`, `require()`/`import x = require()`, `import()`. */
  kind: ImportKind;
  /** `import type …` / `export type … from`: erased at runtime. */
  typeOnly?: true;
  /** Offset of the specifier's first character (after its quote) in the file's text. */
  pos: number;
  /** What it refers to; absent when it could not be resolved. */
  to?: Resolution;
}

export interface ModuleGraph {
  root: string;
  /** The files the graph was built from, sorted. */
  files: string[];
  /** file → its imports, in source order. */
  imports: Record<string, ModuleImport[]>;
  /** file (any resolved target, analysed or not: .json, .css, .d.ts) → the files importing it, sorted. */
  importers: Record<string, string[]>;
  /** file → the third-party packages it imports, sorted. */
  packages: Record<string, string[]>;
  /** package → the files importing it, sorted. */
  packageUsers: Record<string, string[]>;
  /** Files whose text could not be read (they have no imports). */
  unread: string[];
}

export interface ResolverLike {
  resolve(specifier: string, fromFile: string, mode?: ImportMode): Resolution | undefined;
}

/** Looks this far back from a specifier for the keyword of its statement. */
const KEYWORD_WINDOW = 4_000;

function record<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

function isIdentChar(c: string | undefined): boolean {
  return !!c && /[\w$]/.test(c);
}

/** The start of the last whole word `word` in text[from, to), or -1. */
function lastWord(text: string, word: string, from: number, to: number): number {
  for (let i = text.lastIndexOf(word, to - word.length); i >= from; i = text.lastIndexOf(word, i - 1)) {
    if (!isIdentChar(text[i - 1]) && !isIdentChar(text[i + word.length])) return i;
    if (i === 0) break;
  }
  return -1;
}

/** What kind of import the specifier whose opening quote is at `quote` belongs to, from the text before it. */
function classify(text: string, quote: number): { kind: ImportKind; typeOnly: boolean } | undefined {
  // what precedes the quote (spaces, `(`)
  let i = quote - 1;
  while (i >= 0 && /\s/.test(text[i])) i--;
  if (text[i] === '(') {
    let j = i - 1;
    while (j >= 0 && /\s/.test(text[j])) j--;
    const end = j + 1;
    if (text.slice(end - 7, end) === 'require' && !isIdentChar(text[end - 8])) return { kind: 'require', typeOnly: false };
    if (text.slice(end - 6, end) === 'import' && !isIdentChar(text[end - 7])) return { kind: 'dynamic', typeOnly: false };
    return { kind: 'require', typeOnly: false }; // a call preProcessFile took for one (require.resolve is not reported)
  }
  if (text.slice(i - 5, i + 1) === 'module' && /declare\s+$/.test(text.slice(Math.max(0, i - 20), i - 5))) return undefined; // `declare module 'x'`
  const from = Math.max(0, quote - KEYWORD_WINDOW);
  const imp = lastWord(text, 'import', from, quote);
  const exp = lastWord(text, 'export', from, quote);
  const at = Math.max(imp, exp);
  if (at < 0) return { kind: 'import', typeOnly: false };
  const after = text.slice(at + 6, at + 40);
  const typeOnly = /^\s+type\b(?!\s*(,|from\b|=))/.test(after);
  return { kind: at === exp ? 'export' : 'import', typeOnly };
}

/** The imports of one file's text, in source order, unresolved. */
export function scanImports(text: string): ModuleImport[] {
  let info: ts.PreProcessedFileInfo;
  try {
    info = ts.preProcessFile(text, true, true);
  } catch {
    return [];
  }
  const out: ModuleImport[] = [];
  for (const ref of [...info.importedFiles].sort((a, b) => a.pos - b.pos)) {
    const c = classify(text, ref.pos);
    if (!c) continue;
    // preProcessFile's pos is the opening quote's
    const m: ModuleImport = { specifier: ref.fileName, kind: c.kind, pos: ref.pos + 1 };
    if (c.typeOnly) m.typeOnly = true;
    out.push(m);
  }
  return out;
}

export function emptyModuleGraph(root: string): ModuleGraph {
  return { root, files: [], imports: record(), importers: record(), packages: record(), packageUsers: record(), unread: [] };
}

/** Builds the graph of `files` (absolute paths), reading each with `read` (undefined: unreadable). */
export function buildModuleGraph(root: string, files: readonly string[], read: (file: string) => string | undefined, resolver: ResolverLike): ModuleGraph {
  const graph = emptyModuleGraph(root);
  graph.files = [...new Set(files)].sort();
  for (const file of graph.files) {
    const text = read(file);
    if (text === undefined) {
      graph.unread.push(file);
      continue;
    }
    graph.imports[file] = resolveImports(text, file, resolver);
  }
  const importers = new Map<string, Set<string>>();
  const users = new Map<string, Set<string>>();
  for (const file of graph.files) {
    const pkgs = new Set<string>();
    for (const m of graph.imports[file] ?? []) {
      if (m.to?.kind === 'file') add(importers, m.to.file, file);
      else if (m.to?.kind === 'package') {
        pkgs.add(m.to.name);
        add(users, m.to.name, file);
      }
    }
    if (pkgs.size) graph.packages[file] = [...pkgs].sort();
  }
  for (const [k, v] of importers) graph.importers[k] = [...v].sort();
  for (const [k, v] of users) graph.packageUsers[k] = [...v].sort();
  return graph;
}

function resolveImports(text: string, file: string, resolver: ResolverLike): ModuleImport[] {
  const imports = scanImports(text);
  for (const m of imports) {
    const to = resolver.resolve(m.specifier, file, m.kind === 'require' ? 'require' : 'import');
    if (to) m.to = to;
  }
  return imports;
}

function add(map: Map<string, Set<string>>, key: string, value: string): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(value);
}

/** Re-reads one file (changed, added, or removed when `text` is undefined) into the graph, in place. */
export function updateModuleGraph(graph: ModuleGraph, file: string, text: string | undefined, resolver: ResolverLike): void {
  for (const m of graph.imports[file] ?? []) {
    if (m.to?.kind === 'file') removeFrom(graph.importers, m.to.file, file);
    else if (m.to?.kind === 'package') removeFrom(graph.packageUsers, m.to.name, file);
  }
  delete graph.imports[file];
  delete graph.packages[file];
  graph.unread = graph.unread.filter((f) => f !== file);
  if (text === undefined) {
    graph.files = graph.files.filter((f) => f !== file);
    return;
  }
  if (!graph.files.includes(file)) graph.files = [...graph.files, file].sort();
  const imports = resolveImports(text, file, resolver);
  graph.imports[file] = imports;
  const pkgs = new Set<string>();
  for (const m of imports) {
    if (m.to?.kind === 'file') insertInto(graph.importers, m.to.file, file);
    else if (m.to?.kind === 'package') {
      pkgs.add(m.to.name);
      insertInto(graph.packageUsers, m.to.name, file);
    }
  }
  if (pkgs.size) graph.packages[file] = [...pkgs].sort();
}

function removeFrom(rec: Record<string, string[]>, key: string, value: string): void {
  const list = rec[key];
  if (!list) return;
  const next = list.filter((v) => v !== value);
  if (next.length) rec[key] = next;
  else delete rec[key];
}

function insertInto(rec: Record<string, string[]>, key: string, value: string): void {
  const list = rec[key] ?? [];
  if (list.includes(value)) return;
  rec[key] = [...list, value].sort();
}

/** The files importing `file` (through any specifier: relative, alias, workspace package name). */
export function importersOf(graph: ModuleGraph, file: string): string[] {
  return Object.hasOwn(graph.importers, file) ? graph.importers[file] : [];
}

/**
 * How many files import a module: a file of the project (through any alias), a third-party package
 * (any subpath), or a workspace package (any of its files reached through its name).
 */
export function importerCount(graph: ModuleGraph, module: { file: string } | { package: string }): number {
  if ('file' in module) return importersOf(graph, module.file).length;
  const name = module.package;
  const files = new Set(Object.hasOwn(graph.packageUsers, name) ? graph.packageUsers[name] : []);
  for (const file of graph.files) {
    if ((graph.imports[file] ?? []).some((m) => m.to?.kind === 'file' && m.to.package === name)) files.add(file);
  }
  return files.size;
}

/** What `specifier` refers to in `fromFile`, as the graph resolved it. */
export function targetOf(graph: ModuleGraph, fromFile: string, specifier: string): Resolution | undefined {
  return (Object.hasOwn(graph.imports, fromFile) ? graph.imports[fromFile] : []).find((m) => m.specifier === specifier)?.to;
}
