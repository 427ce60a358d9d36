/**
 * What the convention learners share: one bounded reader over the project's files for one
 * learning pass (texts and ASTs cached, each file parsed at most once), the module graph's edges
 * as the learners need them, an iterative walk (no recursion: hostile nesting cannot overflow the
 * stack), the exports of a module and the barrels that re-export them.
 *
 * Nothing here throws on odd input: an unreadable, huge or unparsable file is simply absent.
 */
import ts = require('typescript');
import type { ModuleGraph, ModuleImport } from '../moduleGraph';
import { isTestPath } from '../roles';

/** Files larger than this are not parsed (generated bundles, vendored code). */
export const MAX_PARSE_CHARS = 1_000_000;
/** At most this many importers of one module are read to learn how it is used. */
export const MAX_IMPORTERS_READ = 40;

export interface LearnInput {
  root: string;
  files: readonly string[];
  graph: ModuleGraph;
  readText(file: string): string | undefined;
}

export class ProjectReader {
  readonly files: readonly string[];
  readonly graph: ModuleGraph;
  private readonly texts = new Map<string, string | null>();
  private readonly trees = new Map<string, ts.SourceFile | null>();
  private readonly fileSet: ReadonlySet<string>;
  /** How many files were parsed (for measurements). */
  parsed = 0;

  constructor(private readonly input: LearnInput) {
    // conventions are the service's own: a test helper's mock logger imported by 200 tests, the
    // routes a test registers, a stubbed HTTP client are not what a fix should follow
    this.files = [...new Set(Array.isArray(input.files) ? input.files.filter((f) => typeof f === 'string' && !isTestPath(this.relative(f))) : [])].sort();
    this.fileSet = new Set(this.files);
    this.graph = input.graph;
  }

  /** `file` relative to the project root, with forward slashes ('' prefix kept when outside). */
  relative(file: string): string {
    const root = typeof this.input.root === 'string' ? this.input.root.replace(/[/\\]+$/, '') : '';
    const f = root && (file.startsWith(`${root}/`) || file.startsWith(`${root}\\`)) ? file.slice(root.length + 1) : file;
    return f.replace(/\\/g, '/');
  }

  has(file: string): boolean {
    return this.fileSet.has(file);
  }

  text(file: string): string | undefined {
    const hit = this.texts.get(file);
    if (hit !== undefined) return hit ?? undefined;
    let t: string | undefined;
    try {
      const v = this.input.readText(file);
      t = typeof v === 'string' ? v : undefined;
    } catch {
      t = undefined;
    }
    this.texts.set(file, t ?? null);
    return t;
  }

  parse(file: string): ts.SourceFile | undefined {
    const hit = this.trees.get(file);
    if (hit !== undefined) return hit ?? undefined;
    const text = this.text(file);
    let sf: ts.SourceFile | undefined;
    if (text !== undefined && text.length <= MAX_PARSE_CHARS) {
      try {
        sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, scriptKind(file));
        this.parsed++;
      } catch {
        sf = undefined;
      }
    }
    this.trees.set(file, sf ?? null);
    return sf;
  }

  /** The file's runtime imports (type-only ones left out). */
  importsOf(file: string): readonly ModuleImport[] {
    const imports = this.graph?.imports;
    const list = imports && Object.hasOwn(imports, file) ? imports[file] : undefined;
    return Array.isArray(list) ? list.filter((m) => m && !m.typeOnly) : [];
  }

  /** The project files importing `file`, sorted; at most `cap` of them. */
  importersOf(file: string, cap = MAX_IMPORTERS_READ): string[] {
    const importers = this.graph?.importers;
    const list = importers && Object.hasOwn(importers, file) ? importers[file] : undefined;
    return Array.isArray(list) ? list.filter((f) => this.fileSet.has(f)).slice(0, cap) : [];
  }

  /** The project files importing the third-party package `name`, sorted; at most `cap`. */
  packageUsers(name: string, cap = MAX_IMPORTERS_READ): string[] {
    const users = this.graph?.packageUsers;
    const list = users && Object.hasOwn(users, name) ? users[name] : undefined;
    return Array.isArray(list) ? list.filter((f) => this.fileSet.has(f)).slice(0, cap) : [];
  }

  /** The third-party packages `file` imports. */
  packagesOf(file: string): readonly string[] {
    const p = this.graph?.packages;
    const list = p && Object.hasOwn(p, file) ? p[file] : undefined;
    return Array.isArray(list) ? list : [];
  }

  /** The project file `specifier` refers to from `from`, when the graph resolved it to one. */
  fileOf(from: string, specifier: string): string | undefined {
    for (const m of this.importsOf(from)) {
      if (m.specifier === specifier && m.to?.kind === 'file') return m.to.file;
    }
    return undefined;
  }

  /** The package `specifier` refers to from `from`, when the graph resolved it to a third-party one. */
  packageOf(from: string, specifier: string): string | undefined {
    for (const m of this.importsOf(from)) {
      if (m.specifier === specifier && m.to?.kind === 'package') return m.to.name;
    }
    return undefined;
  }
}

function scriptKind(file: string): ts.ScriptKind {
  if (/\.tsx$/i.test(file)) return ts.ScriptKind.TSX;
  if (/\.[cm]?jsx?$/i.test(file)) return /\.jsx$/i.test(file) ? ts.ScriptKind.JSX : ts.ScriptKind.JS;
  if (/\.json$/i.test(file)) return ts.ScriptKind.JSON;
  return ts.ScriptKind.TS;
}

/**
 * Visits `root` and its descendants depth-first in source order, without recursion. `visit`
 * returns false to skip a node's children.
 */
export function walk(root: ts.Node, visit: (node: ts.Node) => boolean | void): void {
  const stack: ts.Node[] = [root];
  while (stack.length) {
    const node = stack.pop()!;
    if (visit(node) === false) continue;
    const kids: ts.Node[] = [];
    ts.forEachChild(node, (c) => { kids.push(c); });
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]);
  }
}

/** Parentheses, `as`, `!`, `satisfies`, type assertions. */
export function unwrap(e: ts.Expression): ts.Expression {
  let x = e;
  for (let i = 0; i < 64; i++) {
    if (ts.isParenthesizedExpression(x) || ts.isAsExpression(x) || ts.isNonNullExpression(x) || ts.isSatisfiesExpression(x) || ts.isTypeAssertionExpression(x)) x = x.expression;
    else break;
  }
  return x;
}

export function nameText(n: ts.PropertyName | ts.BindingName | ts.MemberName | undefined): string | undefined {
  if (!n) return undefined;
  if (ts.isIdentifier(n) || ts.isPrivateIdentifier(n) || ts.isStringLiteralLike(n) || ts.isNumericLiteral(n)) return n.text;
  return undefined;
}

export function hasModifierKind(node: ts.Node, kind: ts.SyntaxKind): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node)?.some((m) => m.kind === kind) ?? false);
}

/** The `require('x')` specifier of an expression (also `require('x').member`). */
export function requiredSpecifier(e: ts.Expression): string | undefined {
  let x = unwrap(e);
  if (ts.isPropertyAccessExpression(x)) x = unwrap(x.expression);
  if (ts.isCallExpression(x) && ts.isIdentifier(x.expression) && x.expression.text === 'require' && x.arguments.length === 1 && ts.isStringLiteralLike(x.arguments[0])) {
    return x.arguments[0].text;
  }
  return undefined;
}

export interface ImportedName {
  specifier: string;
  /** 'default', '*' (namespace or a whole `require`), or the imported name. */
  imported: string;
}

const importedMemo = new WeakMap<ts.SourceFile, Map<string, ImportedName>>();
const exportsMemo = new WeakMap<ts.SourceFile, Map<string, ExportTarget>>();
const localsMemo = new WeakMap<ts.SourceFile, Map<string, ExportTarget>>();

function memo<V>(m: WeakMap<ts.SourceFile, V>, sf: ts.SourceFile, make: (sf: ts.SourceFile) => V): V {
  let v = m.get(sf);
  if (v === undefined) m.set(sf, (v = make(sf)));
  return v;
}

/** Module-level import and require bindings: local name → where it comes from (memoised per AST; do not mutate). */
export function importedNames(sf: ts.SourceFile): Map<string, ImportedName> {
  return memo(importedMemo, sf, readImportedNames);
}

function readImportedNames(sf: ts.SourceFile): Map<string, ImportedName> {
  const out = new Map<string, ImportedName>();
  for (const st of sf.statements) {
    if (ts.isImportDeclaration(st) && ts.isStringLiteral(st.moduleSpecifier) && st.importClause && !st.importClause.isTypeOnly) {
      const specifier = st.moduleSpecifier.text;
      const clause = st.importClause;
      if (clause.name) out.set(clause.name.text, { specifier, imported: 'default' });
      const nb = clause.namedBindings;
      if (nb && ts.isNamespaceImport(nb)) out.set(nb.name.text, { specifier, imported: '*' });
      if (nb && ts.isNamedImports(nb)) for (const el of nb.elements) if (!el.isTypeOnly) out.set(el.name.text, { specifier, imported: (el.propertyName ?? el.name).text });
    } else if (ts.isImportEqualsDeclaration(st) && ts.isExternalModuleReference(st.moduleReference) && ts.isStringLiteral(st.moduleReference.expression)) {
      out.set(st.name.text, { specifier: st.moduleReference.expression.text, imported: '*' });
    } else if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) {
        if (!d.initializer) continue;
        const specifier = requiredSpecifier(d.initializer);
        if (specifier === undefined) continue;
        const init = unwrap(d.initializer);
        const member = ts.isPropertyAccessExpression(init) ? init.name.text : undefined;
        if (ts.isIdentifier(d.name)) out.set(d.name.text, { specifier, imported: member ?? '*' });
        else if (ts.isObjectBindingPattern(d.name) && !member) {
          for (const el of d.name.elements) {
            if (!ts.isIdentifier(el.name)) continue;
            out.set(el.name.text, { specifier, imported: nameText(el.propertyName) ?? el.name.text });
          }
        }
      }
    }
  }
  return out;
}

/**
 * What a module exports, by export name: the declaration (function, class, variable's
 * initializer, or the expression of `export default` / `module.exports`). `module.exports = x`
 * exports `x` as 'default' (and its members when it is an object literal); `exports.a = …` and
 * `module.exports.a = …` export `a`. Local declarations exported by name (`export { a as b }`)
 * are followed within the file.
 */
export type ExportTarget = ts.FunctionDeclaration | ts.ClassDeclaration | ts.Expression | ts.VariableDeclaration;

export function exportsOf(sf: ts.SourceFile): Map<string, ExportTarget> {
  return memo(exportsMemo, sf, readExports);
}

function readExports(sf: ts.SourceFile): Map<string, ExportTarget> {
  const locals = new Map<string, ExportTarget>();
  const out = new Map<string, ExportTarget>();
  for (const st of sf.statements) {
    const exported = hasModifierKind(st, ts.SyntaxKind.ExportKeyword);
    const isDefault = hasModifierKind(st, ts.SyntaxKind.DefaultKeyword);
    if (ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st)) {
      if (st.name) locals.set(st.name.text, st);
      if (exported) out.set(isDefault ? 'default' : st.name?.text ?? 'default', st);
    } else if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) {
        if (!ts.isIdentifier(d.name)) continue;
        const target = d.initializer ? unwrap(d.initializer) : d;
        locals.set(d.name.text, target);
        if (exported) out.set(d.name.text, target);
      }
    } else if (ts.isExportAssignment(st)) {
      const e = unwrap(st.expression);
      out.set('default', ts.isIdentifier(e) ? locals.get(e.text) ?? e : e);
    } else if (ts.isExportDeclaration(st) && !st.moduleSpecifier && st.exportClause && ts.isNamedExports(st.exportClause) && !st.isTypeOnly) {
      for (const el of st.exportClause.elements) {
        const local = locals.get((el.propertyName ?? el.name).text);
        if (local) out.set(el.name.text, local);
      }
    } else if (ts.isExpressionStatement(st) && ts.isBinaryExpression(st.expression) && st.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const left = st.expression.left;
      const right = unwrap(st.expression.right);
      const value = ts.isIdentifier(right) ? locals.get(right.text) ?? right : right;
      if (isModuleExports(left)) {
        out.set('default', value);
        if (ts.isObjectLiteralExpression(right)) {
          for (const p of right.properties) {
            if (ts.isShorthandPropertyAssignment(p)) { const l = locals.get(p.name.text); if (l) out.set(p.name.text, l); }
            else if (ts.isPropertyAssignment(p)) {
              const k = nameText(p.name);
              const v = unwrap(p.initializer);
              if (k) out.set(k, ts.isIdentifier(v) ? locals.get(v.text) ?? v : v);
            } else if (ts.isMethodDeclaration(p)) { const k = nameText(p.name); if (k) out.set(k, p as unknown as ts.Expression); }
          }
        }
      } else if (ts.isPropertyAccessExpression(left) && (isModuleExports(left.expression) || (ts.isIdentifier(left.expression) && left.expression.text === 'exports'))) {
        out.set(left.name.text, value);
      }
    }
  }
  return out;
}

function isModuleExports(e: ts.Expression): boolean {
  return ts.isPropertyAccessExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === 'module' && e.name.text === 'exports';
}

/** The module-level declarations of a file by name (functions, classes, variable initializers); memoised per AST. */
export function localDeclarations(sf: ts.SourceFile): Map<string, ExportTarget> {
  return memo(localsMemo, sf, readLocals);
}

function readLocals(sf: ts.SourceFile): Map<string, ExportTarget> {
  const out = new Map<string, ExportTarget>();
  for (const st of sf.statements) {
    if ((ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st)) && st.name) out.set(st.name.text, st);
    else if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) if (ts.isIdentifier(d.name)) out.set(d.name.text, d.initializer ? unwrap(d.initializer) : d);
    }
  }
  return out;
}

/**
 * Names a barrel re-exports from `target`: `export * from` (every name but default), and
 * `export { a as b } from` (a → b). Read from the barrel's AST.
 */
function reExportsOf(barrel: ts.SourceFile, specifiers: ReadonlySet<string>): { star: boolean; names: Map<string, string[]> } {
  let star = false;
  const names = new Map<string, string[]>();
  for (const st of barrel.statements) {
    if (!ts.isExportDeclaration(st) || st.isTypeOnly || !st.moduleSpecifier || !ts.isStringLiteral(st.moduleSpecifier) || !specifiers.has(st.moduleSpecifier.text)) continue;
    if (!st.exportClause) { star = true; continue; }
    if (ts.isNamespaceExport(st.exportClause)) continue;
    for (const el of st.exportClause.elements) {
      if (el.isTypeOnly) continue;
      const from = (el.propertyName ?? el.name).text;
      names.set(from, [...(names.get(from) ?? []), el.name.text]);
    }
  }
  return { star, names };
}

/**
 * The same exports as seen through barrels: for each `{ file, name }`, the files re-exporting it
 * (`export * from`, `export { name as alias } from`), transitively up to `depth` levels, each
 * barrel read once. Returns only the new `{ file, name, from }` entries.
 */
export function throughBarrels(reader: ProjectReader, entries: readonly { file: string; name: string }[], depth = 4): { file: string; name: string; from: { file: string; name: string } }[] {
  const out: { file: string; name: string; from: { file: string; name: string } }[] = [];
  const seen = new Set(entries.map((e) => `${e.file}\0${e.name}`));
  let frontier = entries.map((e) => ({ file: e.file, name: e.name, origin: e }));
  for (let level = 0; level < depth && frontier.length; level++) {
    const next: typeof frontier = [];
    const byFile = new Map<string, typeof frontier>();
    for (const e of frontier) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
    for (const [file, list] of byFile) {
      for (const barrel of reader.importersOf(file, 200)) {
        const specs = new Set(reader.importsOf(barrel).filter((m) => m.kind === 'export' && m.to?.kind === 'file' && m.to.file === file).map((m) => m.specifier));
        if (!specs.size) continue;
        const sf = reader.parse(barrel);
        if (!sf) continue;
        const { star, names } = reExportsOf(sf, specs);
        for (const e of list) {
          const aliases = names.get(e.name) ?? (star && e.name !== 'default' ? [e.name] : []);
          for (const alias of aliases) {
            const key = `${barrel}\0${alias}`;
            if (seen.has(key)) continue;
            seen.add(key);
            out.push({ file: barrel, name: alias, from: { file: e.origin.file, name: e.origin.name } });
            next.push({ file: barrel, name: alias, origin: e.origin });
          }
        }
      }
    }
    frontier = next;
  }
  return out;
}

/** A string a constant expression stands for: a literal, a template without substitutions, `'a' + 'b'`. */
export function literalString(e: ts.Expression | undefined): string | undefined {
  if (!e) return undefined;
  const x = unwrap(e);
  if (ts.isStringLiteralLike(x)) return x.text;
  if (ts.isBinaryExpression(x) && x.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const l = literalString(x.left);
    const r = l === undefined ? undefined : literalString(x.right);
    return l !== undefined && r !== undefined ? l + r : undefined;
  }
  return undefined;
}

/** Counts into a map. */
export function bump<K>(m: Map<K, number>, k: K, by = 1): void {
  m.set(k, (m.get(k) ?? 0) + by);
}

/** The most counted key (ties: the smallest in string order), or undefined. */
export function top<K extends string>(m: ReadonlyMap<K, number>): K | undefined {
  let best: K | undefined;
  let n = -1;
  for (const [k, v] of m) if (v > n || (v === n && best !== undefined && k < best)) { best = k; n = v; }
  return best;
}

/** Is a declaration target a plain value (not a function/class/declaration without initializer)? */
function valueOf(t: ExportTarget | undefined): ts.Expression | undefined {
  return t && !ts.isVariableDeclaration(t) && !ts.isFunctionDeclaration(t) && !ts.isClassDeclaration(t) ? t : undefined;
}

/**
 * The string a constant expression stands for in `file`: a literal, `'a' + B`, a template whose
 * parts are constants, a module-level constant of the file, a constant imported from a project
 * module (`HEALTH_PATH`), or a property of a constant object (`PATHS.health`). Bounded depth.
 */
export function constantString(arg: ts.Expression | undefined, file: string, sf: ts.SourceFile, reader: ProjectReader, depth = 0): string | undefined {
  if (!arg || depth > 4) return undefined;
  const x = unwrap(arg);
  if (ts.isStringLiteralLike(x)) return x.text;
  if (ts.isTemplateExpression(x)) {
    let s = x.head.text;
    for (const span of x.templateSpans) {
      const v = constantString(span.expression, file, sf, reader, depth + 1);
      if (v === undefined) return undefined;
      s += v + span.literal.text;
    }
    return s;
  }
  if (ts.isBinaryExpression(x) && x.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const l = constantString(x.left, file, sf, reader, depth + 1);
    const r = l === undefined ? undefined : constantString(x.right, file, sf, reader, depth + 1);
    return l !== undefined && r !== undefined ? l + r : undefined;
  }
  const object = (e: ts.Expression): { value: ts.Expression; file: string; sf: ts.SourceFile } | undefined => {
    const found = declarationOf(e, file, sf, reader);
    return found && ts.isObjectLiteralExpression(unwrap(found.value)) ? found : undefined;
  };
  if (ts.isPropertyAccessExpression(x)) {
    const obj = object(x.expression);
    if (!obj) return undefined;
    for (const p of (unwrap(obj.value) as ts.ObjectLiteralExpression).properties) {
      if (ts.isPropertyAssignment(p) && nameText(p.name) === x.name.text) return constantString(p.initializer, obj.file, obj.sf, reader, depth + 1);
    }
    return undefined;
  }
  if (ts.isIdentifier(x)) {
    const found = declarationOf(x, file, sf, reader);
    return found ? constantString(found.value, found.file, found.sf, reader, depth + 1) : undefined;
  }
  return undefined;
}

/** The value a module-level name stands for: declared in the file, or imported by name from a project module. */
function declarationOf(e: ts.Expression, file: string, sf: ts.SourceFile, reader: ProjectReader): { value: ts.Expression; file: string; sf: ts.SourceFile } | undefined {
  const x = unwrap(e);
  if (!ts.isIdentifier(x)) return undefined;
  const local = valueOf(localDeclarations(sf).get(x.text));
  if (local) return { value: local, file, sf };
  const imported = importedNames(sf).get(x.text);
  if (!imported || imported.imported === '*') return undefined;
  const target = reader.fileOf(file, imported.specifier);
  const tsf = target ? reader.parse(target) : undefined;
  const value = tsf ? valueOf(exportsOf(tsf).get(imported.imported)) : undefined;
  return value && target && tsf ? { value, file: target, sf: tsf } : undefined;
}
