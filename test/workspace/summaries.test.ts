/**
 * workspace/summaries.ts: per exported function, the kind of external I/O, whether every external
 * call carries a deadline, whether it catches everything, whether it can reject; calls within the
 * file followed; barrels; cached by file text.
 */
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import * as ts from 'typescript';
import { clearSummaryCache, fileSummaries, learnSummaries, summarizeFile } from '../../server/src/workspace/summaries';
import { ProjectReader } from '../../server/src/workspace/conventions/reader';
import { cleanupTemp } from './fixtures';
import { fixture, inline, relative } from './learn';

after(cleanupTemp);

function summaries(text: string, file = '/p/src/m.ts') {
  return { ...summarizeFile(file, ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS)) };
}

describe('function summaries', () => {
  it('I/O kind and deadline: fetch with and without a signal, axios instance with a timeout, a pg pool without one', () => {
    const got = summaries([
      "import axios from 'axios';",
      "import { Pool } from 'pg';",
      'const api = axios.create({ timeout: 2000 });',
      'const pool = new Pool();',
      'export async function a() { return fetch("http://x", { signal: AbortSignal.timeout(1000) }); }',
      'export async function b() { return fetch("http://x"); }',
      'export const c = async () => (await api.get("/c")).data;',
      'export async function d() { return pool.query("select 1"); }',
      'export function e(n: number) { return n + 1; }',
    ].join('\n'));
    assert.deepEqual(got, {
      a: { io: 'http', setsDeadline: true, catchesAll: false, canReject: true },
      b: { io: 'http', setsDeadline: false, catchesAll: false, canReject: true },
      c: { io: 'http', setsDeadline: true, catchesAll: false, canReject: true },
      d: { io: 'db', setsDeadline: false, catchesAll: false, canReject: true },
      e: { setsDeadline: false, catchesAll: false, canReject: false },
    });
  });

  it('follows calls to functions of the same file (also recursive ones, without looping)', () => {
    const got = summaries([
      'async function load(u: string) { return fetch(u, { signal: AbortSignal.timeout(5) }); }',
      'function again(n: number): number { return n ? again(n - 1) : 0; }',
      'export async function outer() { again(3); return load("http://x"); }',
      'export const viaArrow = () => load("http://y");',
    ].join('\n'));
    assert.deepEqual(got, {
      outer: { io: 'http', setsDeadline: true, catchesAll: false, canReject: true },
      viaArrow: { io: 'http', setsDeadline: true, catchesAll: false, canReject: true },
    });
  });

  it('catches everything: one try/catch that does not rethrow, `.catch(handler)`; not when the catch rethrows, rejects, or code runs outside the try', () => {
    const got = summaries([
      'export async function swallow() { try { await fetch("x"); } catch (e) { console.error(e); } }',
      'export async function rethrow() { try { await fetch("x"); } catch (e) { throw new Error("wrapped"); } }',
      'export function caught() { return fetch("x").catch(() => null); }',
      'export function caughtRethrow() { return fetch("x").catch((e) => { throw e; }); }',
      'export function rejects() { return new Promise((resolve, reject) => { try { resolve(1); } catch (e) { reject(e); } }); }',
      'export async function outside() { const r = await fetch("x"); try { return await r.json(); } catch { return null; } }',
      'export async function declaredFirst() { const fallback = null; try { return await fetch("x"); } catch { return fallback; } }',
      'export async function finallyThrows() { try { await fetch("x"); } catch {} finally { throw new Error("f"); } }',
    ].join('\n'));
    assert.deepEqual(Object.fromEntries(Object.entries(got).map(([k, v]) => [k, [v.catchesAll, v.canReject]])), {
      swallow: [true, false],
      rethrow: [false, true],
      caught: [true, false],
      caughtRethrow: [false, true],
      rejects: [false, true],
      outside: [false, true],
      declaredFirst: [true, false],
      finallyThrows: [false, true],
    });
  });

  it('can reject: async, a Promise annotation, a returned .then chain or an async local function; not a sync function', () => {
    const got = summaries([
      'async function inner() { return 1; }',
      'export function annotated(): Promise<number> { return Promise.resolve(1); }',
      'export function chained() { return inner().then((x) => x + 1); }',
      'export function viaLocal() { return inner(); }',
      'export function sync(): number { return 1; }',
      'export function* gen() { yield 1; }',
    ].join('\n'));
    assert.deepEqual(Object.fromEntries(Object.entries(got).map(([k, v]) => [k, v.canReject])), {
      annotated: true, chained: true, viaLocal: true, sync: false, gen: false,
    });
  });

  it('exported class methods as `Class.method`, CommonJS exports, default exports', () => {
    assert.deepEqual(Object.keys(summaries([
      'export class Orders { async place() { await fetch("x"); } private hidden() {} }',
      'export default async function main() {}',
    ].join('\n'))), ['Orders.place', 'default']);
    const cjs = summarizeFile('/p/a.js', ts.createSourceFile('/p/a.js', 'async function get() { return fetch("x"); }\nmodule.exports = { get };\nexports.other = () => 1;\n', ts.ScriptTarget.Latest, true, ts.ScriptKind.JS));
    assert.deepEqual({ ...cjs }, {
      get: { io: 'http', setsDeadline: false, catchesAll: false, canReject: true },
      other: { setsDeadline: false, catchesAll: false, canReject: false },
    });
  });
});

describe('summaries over a project', () => {
  it('only imported files; barrels carry what they re-export (monorepo @acme/http)', () => {
    const l = fixture('monorepo');
    const got = relative(learnSummaries(l.reader), l.root);
    assert.deepEqual(Object.keys(got), ['packages/flags/src/index.ts', 'packages/http/src/client.ts', 'packages/http/src/index.ts']);
    assert.deepEqual(got['packages/http/src/index.ts'], { createHttpClient: { io: 'http', setsDeadline: true, catchesAll: false, canReject: false } });
  });

  it('cached by file text: the same text is not parsed again; a changed text is', () => {
    clearSummaryCache();
    const l = inline({ 'src/a.ts': 'export async function a() { return fetch("x"); }\n', 'src/b.ts': "import { a } from './a';\nexport const b = a;\n" });
    const file = l.files.find((f) => f.endsWith('a.ts'))!;
    const first = fileSummaries(l.reader, file);
    assert.equal(l.reader.parsed, 1);
    // another pass (a new reader), same path and text: from the cache, nothing parsed
    const reader = new ProjectReader({ root: l.root, files: l.files, graph: l.graph, readText: l.readText });
    assert.equal(fileSummaries(reader, file), first);
    assert.equal(reader.parsed, 0);
    const changed = new ProjectReader({ root: l.root, files: l.files, graph: l.graph, readText: (f) => (f === file ? 'export function a() { return 1; }\n' : l.readText(f)) });
    assert.deepEqual({ ...fileSummaries(changed, file) }, { a: { setsDeadline: false, catchesAll: false, canReject: false } });
    assert.equal(changed.parsed, 1);
  });
});
