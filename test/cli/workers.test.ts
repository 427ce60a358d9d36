/**
 * The CLI's scan gives the same answer on worker threads (FAILPATH_WORKER_THRESHOLD=1) as on the
 * main thread, for files nested too deeply to analyse (skipped with one reason: engine/nesting.ts)
 * and files just inside the limits (analysed on both). A worker that dies on a file is replaced:
 * the file is skipped with the reason, the others are analysed on workers (engine/scanPool.ts).
 * The death is a real heap exhaustion under a small cap, on a file named by a test-only variable
 * (FAILPATH_TEST_CRASH_ON) that workspace content cannot set.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TOO_DEEP } from '../../server/src/engine/nesting';

const repo = path.join(__dirname, '..', '..');
const cli = path.join(repo, 'dist', 'cli.js');
let dir: string;

const rep = (s: string, n: number) => s.repeat(n);
/** if / try / async arrow, in turn, `levels` deep, each level with a fetch and a console.log in its catch. */
function mix(levels: number): string {
  let open = '';
  let close = '';
  for (let i = 0; i < levels; i++) {
    if (i % 3 === 0) { open += 'if (a) { '; close = ' }' + close; }
    else if (i % 3 === 1) { open += 'try { '; close = ' } catch (e) { console.log(e); }' + close; }
    else { open += 'const g = async () => { await fetch("u"); '; close = ' };' + close; }
  }
  return `declare const a: boolean;\nexport async function h() { ${open}await fetch("z");${close} }\n`;
}

const DEEP: Record<string, string> = {
  'arrows3000.ts': `export const f = ${rep('async () => ', 3000)}1;\n`,
  'arrowsWithBodies3000.ts': `export const f = ${rep('async () => { await fetch("x"); return ', 3000)}1${rep('; }', 3000)};\n`,
  'parens10000.ts': `export const x = ${rep('(', 10000)}1${rep(')', 10000)};\n`,
  'mix1000.ts': mix(1000),
  'generics5000.ts': `export let x: ${rep('A<', 5000)}B${rep('>', 5000)};\n`,
};
const WITHIN: Record<string, string> = {
  'mix100.ts': mix(100),
  'arrows395.ts': `export const f = ${rep('async () => ', 395)}fetch("x");\n`,
  'calls255.ts': `export const o = ${rep('f(', 254)}fetch("x")${rep(')', 254)};\n`,
  'generics395.ts': `export let x: ${rep('A<', 395)}B${rep('>', 395)} = fetch("x");\n`,
  'plain.ts': 'export async function g() { try { await fetch("x"); } catch (e) { console.log(e); } }\n',
};

function check(cwd: string, env: Record<string, string>): { status: number | null; stderr: string; out: { findings: { file: string; line: number; column: number; rule: string }[]; skipped: { file: string; reason: string }[]; summary: { files: number; findings: number; skipped: number } } } {
  const r = spawnSync(process.execPath, [cli, 'check', '--format', 'json'], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env }, maxBuffer: 64 * 1024 * 1024 });
  return { status: r.status, stderr: r.stderr, out: JSON.parse(r.stdout) };
}
const located = (fs: { file: string; line: number; column: number; rule: string }[]) => fs.map((f) => `${f.file}:${f.line}:${f.column} ${f.rule}`);

before(() => {
  if (!fs.existsSync(cli)) {
    const b = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: repo, encoding: 'utf8' });
    assert.equal(b.status, 0, b.stderr);
  }
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'failpath-workers-')));
  fs.mkdirSync(path.join(dir, 'nested'));
  fs.mkdirSync(path.join(dir, 'dying'));
  for (const [name, text] of Object.entries({ ...DEEP, ...WITHIN })) fs.writeFileSync(path.join(dir, 'nested', name), text);
  for (const n of ['a', 'b', 'c', 'd', 'e', 'killer']) fs.writeFileSync(path.join(dir, 'dying', `${n}.ts`), `export const ${n} = () => fetch('https://${n}');\n`);
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('failpath check: deeply nested files on the main thread and on workers', () => {
  it('the same skipped files with the same reason, and the same findings for the rest', () => {
    const main = check(path.join(dir, 'nested'), {});
    const workers = check(path.join(dir, 'nested'), { FAILPATH_WORKER_THRESHOLD: '1' });
    assert.equal(main.stderr, '');
    assert.equal(workers.stderr, '');
    assert.deepEqual(main.out.skipped, Object.keys(DEEP).sort().map((file) => ({ file, reason: TOO_DEEP })));
    assert.deepEqual(workers.out.skipped, main.out.skipped);
    // every file within the limits has findings, identical on both
    assert.deepEqual([...new Set(main.out.findings.map((f) => f.file))].sort(), Object.keys(WITHIN).sort());
    assert.deepEqual(located(workers.out.findings), located(main.out.findings));
    assert.deepEqual(workers.out.findings, main.out.findings);
    assert.equal(TOO_DEEP, 'nested too deeply to analyse (more than 256 levels of brackets or 400 levels of syntax)');
  });
});

describe('failpath check: a scan worker that dies on a file', () => {
  it('is replaced; that file is skipped as out of memory, the others are analysed on workers', () => {
    const killer = path.join(dir, 'dying', 'killer.ts');
    const r = check(path.join(dir, 'dying'), { FAILPATH_WORKER_THRESHOLD: '1', FAILPATH_SCAN_HEAP_MB: '64', FAILPATH_TEST_CRASH_ON: killer });
    // one death on the batch, one on the file alone; nothing moved to the main thread
    assert.equal(r.stderr, 'failpath: a scan worker stopped (analysis ran out of memory); started a new one\n'.repeat(2));
    assert.equal(r.status, 0);
    assert.deepEqual(r.out.skipped, [{ file: 'killer.ts', reason: 'analysis ran out of memory' }]);
    assert.deepEqual(located(r.out.findings), ['a', 'b', 'c', 'd', 'e'].map((n) => `${n}.ts:1:${`export const ${n} = () => `.length + 1} missing-timeout`));
    assert.deepEqual(r.out.summary, { ...r.out.summary, files: 5, findings: 5, skipped: 1 });
    // the same files without the crash: the killer file is analysed like the others
    const calm = check(path.join(dir, 'dying'), { FAILPATH_WORKER_THRESHOLD: '1' });
    assert.deepEqual(calm.out.skipped, []);
    assert.equal(calm.out.findings.length, 6);
  });
});
