/**
 * Inputs shared by the fuzz tests (engine.fuzz.test.ts) and the fuzz campaign (scripts/fuzz.ts):
 * real-looking seed files, the tokens that break code in interesting ways, the byte-level
 * mutations of a seed, and the fixed pathological cases.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ts from 'typescript';
import { generateCorpus } from '../../bench/corpus';

export const REPO = path.join(__dirname, '..', '..');

export interface Seed {
  name: string;
  text: string;
}

const SOURCE = /\.[cm]?[jt]sx?$/;

function walk(dir: string, out: Seed[], base = REPO): void {
  if (!fs.existsSync(dir)) return;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules') continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out, base);
    else if (SOURCE.test(e.name) && !/\.d\.[cm]?ts$/.test(e.name)) out.push({ name: path.relative(base, p), text: fs.readFileSync(p, 'utf8') });
  }
}

/**
 * The `code:` and `output:` strings of the rule tests (test/rules/*.test.ts) and the plain strings
 * of their `valid:` lists: small programs that trigger (or just miss) each rule, with fixes.
 */
export function ruleTestSnippets(): Seed[] {
  const dir = path.join(REPO, 'test', 'rules');
  const out: Seed[] = [];
  for (const name of fs.readdirSync(dir).filter((n) => n.endsWith('.test.ts')).sort()) {
    const sf = ts.createSourceFile(name, fs.readFileSync(path.join(dir, name), 'utf8'), ts.ScriptTarget.Latest, true);
    let n = 0;
    const visit = (node: ts.Node): void => {
      if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
        const parent = node.parent;
        const keyed = ts.isPropertyAssignment(parent) && ts.isIdentifier(parent.name) && (parent.name.text === 'code' || parent.name.text === 'output');
        const listed = ts.isArrayLiteralExpression(parent) && ts.isPropertyAssignment(parent.parent) && ts.isIdentifier(parent.parent.name) && parent.parent.name.text === 'valid';
        if ((keyed || listed) && node.text.length > 0) out.push({ name: `test/rules/${name}#${n++}`, text: node.text });
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return out;
}

/**
 * Seed files: the example service, the test fixtures, the end-to-end workspace, `corpusFiles`
 * generated service files (bench/corpus.ts) and, with `snippets`, the rule tests' code strings.
 * Sorted by name so an index means the same seed on every machine.
 */
export function loadSeeds(opts: { corpusFiles?: number; snippets?: boolean; fixtures?: boolean } = {}): Seed[] {
  const out: Seed[] = [];
  walk(path.join(REPO, 'examples/shop-api/src'), out);
  walk(path.join(REPO, 'test/fixtures/readiness'), out);
  if (opts.fixtures) {
    walk(path.join(REPO, 'test/fixtures/cli'), out);
    walk(path.join(REPO, 'test/e2e/fixtures'), out);
  }
  const corpus = fs.mkdtempSync(path.join(os.tmpdir(), 'failpath-fuzz-'));
  try {
    generateCorpus(corpus, opts.corpusFiles ?? 40, 7);
    walk(corpus, out, corpus);
  } finally {
    fs.rmSync(corpus, { recursive: true, force: true });
  }
  out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (opts.snippets) out.push(...ruleTestSnippets());
  return out;
}

export const TOKENS = ['{', '}', '(', ')', '[', ']', ';', ',', '=>', 'await ', 'async ', 'try {', '} catch (e) {', 'catch', 'fetch(', 'axios.get(', '`', '${', "'", '"', '/*', '*/', '//', '\n', '\r\n', '\uFEFF', '\u0000', '\uD800', '<div>', '</div>', '@Get()', '@Controller()', 'console.log(', 'new Pool(', 'import x from "y";', 'require("axios")', '#!/usr/bin/env node\n', '"use client";', '// failpath-disable-next-line', '/* failpath-disable */', 'class A { constructor(private x: Redis) {} }', '...', '?.', '!', 'as any'];

export type MutationKind = 'truncate' | 'splice' | 'insert' | 'delete' | 'crlf';
export const MUTATION_KINDS: readonly MutationKind[] = ['truncate', 'splice', 'insert', 'delete', 'crlf'];

export interface MutationOp {
  kind: MutationKind;
  /** Where, as a fraction of the current length. */
  at: number;
  len: number;
  token: string;
}

/** A mutation of a seed: truncate, splice with another seed, insert a token, delete a slice, CRLF. */
export function mutate(text: string, other: string, ops: readonly MutationOp[]): string {
  for (const op of ops) {
    const at = Math.floor(op.at * text.length);
    if (op.kind === 'truncate') text = text.slice(0, at);
    else if (op.kind === 'splice') text = text.slice(0, at) + other.slice(Math.floor(op.at * other.length));
    else if (op.kind === 'insert') text = text.slice(0, at) + op.token + text.slice(at);
    else if (op.kind === 'delete') text = text.slice(0, at) + text.slice(at + op.len);
    else text = text.replace(/\n/g, '\r\n');
  }
  return text;
}

/** Fixed pathological inputs: every engine fuzz run checks each of them. */
export const PATHOLOGICAL: readonly (readonly [string, string])[] = [
  ['deep parens', 'const x = ' + '('.repeat(10000) + '1' + ')'.repeat(10000) + ';'],
  ['deep arrays', 'const x = ' + '['.repeat(10000) + ']'.repeat(10000) + ';'],
  ['deep calls', 'fetch('.repeat(5000) + ')'.repeat(5000)],
  ['deep binary', 'const x = 1' + ' + 1'.repeat(20000) + ';'],
  ['unbalanced braces', '{'.repeat(3000) + 'await fetch(u);'],
  ['5 MB single line', 'export const data = [' + '{"a":1,"b":"x"},'.repeat(330000) + '];'],
  ['BOM + CRLF', '\uFEFFimport axios from "axios";\r\nawait axios.get(u);\r\n'],
  ['NUL bytes', 'const a = 1;\u0000\u0000await fetch(u);'],
  ['lone surrogates', 'const s = "\uD800"; console.log("\uDC00"); await fetch("\uD83D");'],
  ['JSX in .ts', 'const el = <div onClick={() => fetch(u)}>{await fetch(v)}</div>;'],
  ['decorators everywhere', '@A @B class C { @D() @E m(@F() p) { try { await fetch(u) } catch {} } @G x = 1 }'],
  ['only a catch', 'catch (e) {}'],
  // found by longer fuzz runs (seeds 7 and 99): an unclosed call followed by a line break or a comment
  ['unclosed call, CRLF', 'fetch(\r\n'],
  ['unclosed call, open comment', 'fetch(/*'],
  ['unclosed call, directive comment', 'fetch(/* failpath-disable */'],
  ['empty', ''],
  // found by the fuzz campaign: TypeScript's parser reads the expression after `async` twice per level
  ['nested async( calls', 'x = ' + 'async('.repeat(30) + ')'.repeat(30)],
  ['nested async function callbacks, unclosed', '(async function () { '.repeat(30)],
  // found by the fuzz campaign (seed 7001 #1543): a catch binding cut short at the end of the file
  ['catch binding cut short', "async function sync() {\r\n  try {\r\n    await fetch('/s');\r\n  } catch (er"],
];
