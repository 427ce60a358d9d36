/**
 * What held under the security review, kept as a regression test: `check` on 50,000 files
 * completes with the right count of files and findings (on worker threads, as any input above
 * 200 files). The files are one line each, so the test costs the walk and the per-file overhead,
 * not parsing: 100 folders of 500 files (below the 50,000-entries-per-folder cap), one in every
 * 1,000 with a finding.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const repo = path.join(__dirname, '..', '..');
const cli = path.join(repo, 'dist', 'cli.js');
const FOLDERS = 100;
const PER_FOLDER = 500;
let dir: string;

const name = (n: number) => `d${String(Math.floor(n / PER_FOLDER)).padStart(3, '0')}/f${String(n % PER_FOLDER).padStart(3, '0')}.ts`;
const withFinding = (n: number) => n % 1000 === 0;

before(() => {
  if (!fs.existsSync(cli)) {
    const b = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: repo, encoding: 'utf8' });
    assert.equal(b.status, 0, b.stderr);
  }
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'failpath-50k-')));
  for (let d = 0; d < FOLDERS; d++) fs.mkdirSync(path.join(dir, `d${String(d).padStart(3, '0')}`));
  for (let n = 0; n < FOLDERS * PER_FOLDER; n++) {
    fs.writeFileSync(path.join(dir, name(n)), withFinding(n) ? `export const v${n} = fetch('https://x');\n` : `export const v${n} = ${n};\n`);
  }
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('failpath check: 50,000 files', () => {
  it('completes with every file counted and every finding reported', () => {
    const r = spawnSync(process.execPath, [cli, 'check', '--format', 'json'], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 64 * 1024 * 1024 });
    assert.equal(r.stderr, '');
    assert.equal(r.status, 0);
    const out = JSON.parse(r.stdout);
    assert.deepEqual([out.summary.files, out.summary.findings, out.summary.skipped], [50_000, 50, 0]);
    const expected = Array.from({ length: FOLDERS * PER_FOLDER }, (_, n) => n).filter(withFinding).map((n) => `${name(n)}:1:${`export const v${n} = `.length + 1} missing-timeout`);
    assert.deepEqual(out.findings.map((f: { file: string; line: number; column: number; rule: string }) => `${f.file}:${f.line}:${f.column} ${f.rule}`), expected);
  });
});
