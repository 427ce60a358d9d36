/**
 * Break 8a of the security review at the CLI: the pnpm-lock.yaml line expression was quadratic
 * (a 293 KB line took `check` 63 s). A lockfile with 1 MiB lines next to valid entries is read
 * in one pass, and the versions it resolves decide the findings (test/harness/longLockfile.ts).
 * The test waits for the process to exit; the test's timeout only bounds a failure (the old
 * expression never finished on these lines).
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EXPRESS4_MESSAGE, writeLongLineLockfileWorkspace } from '../harness/longLockfile';

const repo = path.join(__dirname, '..', '..');
const cli = path.join(repo, 'dist', 'cli.js');

/** `failpath check --format json` in `cwd`, awaited to its exit. */
function check(cwd: string): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, 'check', '--format', 'json'], { cwd, env: { ...process.env, NO_COLOR: '1' } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => { out += String(d); });
    child.stderr.on('data', (d) => { err += String(d); });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

/** The report without its timing. */
function report(out: string): unknown {
  const r = JSON.parse(out) as { summary: Record<string, unknown> };
  delete r.summary.ms;
  return r;
}

describe('failpath check: a pnpm-lock.yaml with 1 MiB lines', () => {
  let dir: string;
  before(() => {
    if (!fs.existsSync(cli)) {
      const b = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: repo, encoding: 'utf8' });
      assert.equal(b.status, 0, b.stderr);
    }
    dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'failpath-longlock-')));
    writeLongLineLockfileWorkspace(dir);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('completes, and the Express versions it resolves around the long lines decide the findings (4.21.2: one, 5.1.0: none)', { timeout: 300_000 }, async () => {
    assert.ok(fs.statSync(path.join(dir, 'pnpm-lock.yaml')).size > 3 * (1 << 20));
    const r = await check(dir);
    assert.deepEqual({ code: r.code, err: r.err, report: report(r.out) }, {
      code: 0,
      err: '',
      report: {
        findings: [{
          rule: 'no-fallback', file: 'src/app.ts', line: 6, column: 19, endLine: 6, endColumn: 29, severity: 'warning',
          message: EXPRESS4_MESSAGE, checklist: 'recover', fixable: true,
        }],
        skipped: [],
        summary: { files: 2, findings: 1, skipped: 0 },
      },
    });
    // the control: without the lockfile, "express": "*" names no version and neither file has a finding
    fs.renameSync(path.join(dir, 'pnpm-lock.yaml'), path.join(dir, 'pnpm-lock.yaml.off'));
    const control = await check(dir);
    assert.deepEqual({ code: control.code, err: control.err, report: report(control.out) }, {
      code: 0, err: '', report: { findings: [], skipped: [], summary: { files: 2, findings: 0, skipped: 0 } },
    });
  });
});
