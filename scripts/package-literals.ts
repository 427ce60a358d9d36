/**
 * Lists every package-name literal in the product's source outside server/src/knowledge/:
 * string literals, template literal parts and regular expressions that name a module of the
 * knowledge table (`'axios'`, `'node:http'`, `'@aws-sdk/client-s3'` through its family) or that
 * are shaped like a scoped package (`'@scope/name'`), and strings that embed an import of one
 * (`"import x from 'pino'"`). The product's own imports (import/export declarations,
 * `require('x')`, `import('x')`, `import x = require('x')`, `declare module 'x'`) are not
 * literals of this kind.
 *
 *   npx tsx scripts/package-literals.ts            per-file counts and the total
 *   npx tsx scripts/package-literals.ts --list     every literal, file:line:column
 *
 * Importable: `findPackageLiterals()` returns the list (test/engine/packageLiterals.test.ts requires it to be
 * empty). A word that only looks like a package name is marked on the line above it with
 * `// package-literals: not a package (why)`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { KNOWLEDGE } from '../server/src/knowledge';

export interface PackageLiteral {
  /** Path relative to the repository root, `/` separators. */
  file: string;
  line: number;
  column: number;
  /** The literal's text (for regexes, the source between the slashes). */
  text: string;
  /** The module it names. */
  module: string;
  kind: 'string' | 'template' | 'regex' | 'embedded';
  /** A literal type (`kind: 'http'`) rather than a value. */
  typePosition: boolean;
}

export interface FindOptions {
  /** Repository root (default: this script's parent folder). */
  root?: string;
  /** Folders to scan, relative to root. */
  dirs?: readonly string[];
  /** Folders to leave out, relative to root. */
  exclude?: readonly string[];
}

const DEFAULT_DIRS = ['server/src', 'client/src', 'shared'];
/** The comment that marks the next line's words as not package names: `// package-literals: not a package (why)`. */
const NOT_A_PACKAGE = /\/\/\s*package-literals: not a package \(.+\)/;
const DEFAULT_EXCLUDE = ['server/src/knowledge'];
const SCOPED = /^@[a-z0-9][\w.-]*\/[a-z0-9][\w.-]*(\/[\w./-]*)?$/;

/** The module names of the table: exact specifiers (and their `node:` forms) and family prefixes. */
function tableNames(): { exact: Set<string>; prefixes: string[] } {
  const exact = new Set<string>();
  const prefixes: string[] = [];
  for (const r of KNOWLEDGE.records) {
    for (const m of r.modules) {
      if (m.endsWith('*')) prefixes.push(m.slice(0, -1));
      else {
        exact.add(m);
        if (!m.startsWith('node:') && !m.startsWith('@') && NODE_BUILTINS.has(m)) exact.add(`node:${m}`);
      }
    }
  }
  return { exact, prefixes };
}

const NODE_BUILTINS = new Set(['http', 'https', 'test', 'assert', 'assert/strict']);

function moduleNamed(text: string, names: { exact: Set<string>; prefixes: string[] }): string | undefined {
  if (names.exact.has(text)) return text;
  for (const p of names.prefixes) if (text.startsWith(p) && text.length > p.length && /^[\w@./-]+$/.test(text)) return text;
  if (SCOPED.test(text)) return text;
  return undefined;
}

/** A module imported inside a longer string: `from 'pino'`, `require("pino")`, `import('pino')`. */
function embeddedImport(text: string, names: { exact: Set<string>; prefixes: string[] }): string | undefined {
  const re = /(?:\bfrom\s*|\brequire\(\s*|\bimport\(\s*|\bimport\s+)['"]([^'"]+)['"]/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const hit = moduleNamed(m[1], names);
    if (hit) return hit;
  }
  return undefined;
}

/**
 * Package names that are also ordinary words of code (`next()`, a `cron` field, `retry`): inside a
 * regex they name a parameter or a word far more often than the package, so regexes are not
 * searched for them (string literals still are).
 */
const WORDS = new Set(['next', 'cron', 'retry', 'global', 'test', 'assert', 'effect', 'ws', 'http', 'https', 'got', 'ky', 'postgres', 'fetch']);

/** A module named as a whole alternative or literal token of a regex (`|playwright|`, `^(pg|db)$`). */
function regexModule(source: string, names: { exact: Set<string>; prefixes: string[] }): string | undefined {
  const escaped = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, (c) => (c === '/' ? '\\\\?/' : `\\${c}`));
  for (const name of names.exact) {
    if (WORDS.has(name)) continue;
    const re = new RegExp(`(^|[(|^:])${escaped(name)}(?=$|[)|$\\\\[])`);
    if (re.test(source)) return name;
  }
  for (const p of names.prefixes) if (source.includes(p.replace(/\//g, '\\/')) || source.includes(p)) return `${p}*`;
  return undefined;
}

function isImportSpecifier(node: ts.Node): boolean {
  const p = node.parent;
  if (!p) return false;
  if ((ts.isImportDeclaration(p) || ts.isExportDeclaration(p)) && p.moduleSpecifier === node) return true;
  if (ts.isExternalModuleReference(p)) return true;
  if (ts.isModuleDeclaration(p) && p.name === node) return true;
  if (ts.isImportTypeNode(p.parent ?? p)) return true;
  if (ts.isCallExpression(p) && p.arguments[0] === node &&
    (p.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(p.expression) && p.expression.text === 'require'))) return true;
  return false;
}

function inTypePosition(node: ts.Node): boolean {
  for (let p = node.parent; p; p = p.parent) {
    if (ts.isLiteralTypeNode(p)) return true;
    if (ts.isTypeNode(p)) return true;
    if (ts.isStatement(p) || ts.isExpression(p) && !ts.isLiteralExpression(p)) return false;
  }
  return false;
}

function walkFiles(dir: string, out: string[]): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walkFiles(p, out);
    else if (/\.(c|m)?tsx?$/.test(e.name) && !e.name.endsWith('.d.ts')) out.push(p);
  }
}

/** Every package-name literal under `dirs` (outside `exclude`), in file order. */
export function findPackageLiterals(options: FindOptions = {}): PackageLiteral[] {
  const root = options.root ?? path.resolve(__dirname, '..');
  const exclude = (options.exclude ?? DEFAULT_EXCLUDE).map((d) => path.join(root, d) + path.sep);
  const files: string[] = [];
  for (const d of options.dirs ?? DEFAULT_DIRS) walkFiles(path.join(root, d), files);
  const names = tableNames();
  const out: PackageLiteral[] = [];
  for (const file of files) {
    if (exclude.some((e) => (file + path.sep).startsWith(e) || file.startsWith(e))) continue;
    const sf = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const rel = path.relative(root, file).split(path.sep).join('/');
    const lines = sf.text.split('\n');
    const add = (node: ts.Node, text: string, module: string, kind: PackageLiteral['kind']) => {
      const { line, character } = sf.getLineAndCharacterOfPosition(node.getStart(sf));
      // a word that only looks like a package (a method `next`, a file stem `http`), said so on the line above
      if (line > 0 && NOT_A_PACKAGE.test(lines[line - 1])) return;
      out.push({ file: rel, line: line + 1, column: character + 1, text, module, kind, typePosition: inTypePosition(node) });
    };
    const visit = (node: ts.Node): void => {
      if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
        if (!isImportSpecifier(node)) {
          const m = moduleNamed(node.text, names);
          if (m) add(node, node.text, m, ts.isStringLiteral(node) ? 'string' : 'template');
          else {
            const e = embeddedImport(node.text, names);
            if (e) add(node, node.text, e, 'embedded');
          }
        }
      } else if (ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node)) {
        const m = moduleNamed(node.text, names);
        if (m) add(node, node.text, m, 'template');
        else {
          const e = embeddedImport(node.text, names);
          if (e) add(node, node.text, e, 'embedded');
        }
      } else if (ts.isRegularExpressionLiteral(node)) {
        const source = node.text.slice(1, node.text.lastIndexOf('/'));
        const m = regexModule(source, names);
        if (m) add(node, node.text, m, 'regex');
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return out;
}

/** Counts per file, most first. */
export function countByFile(list: readonly PackageLiteral[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const l of list) counts.set(l.file, (counts.get(l.file) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
}

if (require.main === module) {
  const list = findPackageLiterals();
  if (process.argv.includes('--list')) {
    for (const l of list) console.log(`${l.file}:${l.line}:${l.column}\t${l.kind}${l.typePosition ? ' (type)' : ''}\t${l.module}\t${JSON.stringify(l.text).slice(0, 100)}`);
  }
  const byFile = countByFile(list);
  for (const [f, n] of byFile) console.log(`${String(n).padStart(4)}  ${f}`);
  console.log(`${list.length} package-name literals in ${byFile.length} files`);
}
