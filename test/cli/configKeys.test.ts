/**
 * `.failpath.json` keys that name an object's prototype (`__proto__`, `constructor`, `prototype`):
 * `{"__proto__": {"ignore": ["**"]}}` used to become the parsed object's prototype, invisible to
 * validation but read by the file walk, so `check` silently checked 0 files and exited 0. Now each
 * such key is printed as an error at its line:column and nothing under it applies: every file is
 * still checked.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const repo = path.join(__dirname, '..', '..');
const cli = path.join(repo, 'dist', 'cli.js');
const MSG = (k: string) => `"${k}" is not allowed as a key (it names an object's prototype); ignoring it and what it holds`;

describe('failpath check: prototype keys in .failpath.json are reported and never applied', () => {
  let dir: string;
  before(() => {
    if (!fs.existsSync(cli)) {
      const b = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: repo, encoding: 'utf8' });
      assert.equal(b.status, 0, b.stderr);
    }
    dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'failpath-protokeys-')));
    fs.mkdirSync(path.join(dir, 'src', 'orders'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'package.json'), '{ "name": "p" }\n');
    fs.writeFileSync(path.join(dir, 'src', 'a.ts'), 'export async function a(u: string) {\n  return fetch(u);\n}\n');
    fs.writeFileSync(path.join(dir, 'src', 'orders', 'b.ts'), 'export async function b(u: string) {\n  return fetch(u);\n}\n');
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  function check(config: string) {
    fs.writeFileSync(path.join(dir, '.failpath.json'), config);
    const r = spawnSync(process.execPath, [cli, 'check', '--format', 'json'], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    const out = JSON.parse(r.stdout) as { findings: { file: string; rule: string; severity: string }[]; summary: { files: number } };
    return { code: r.status, err: r.stderr, files: out.summary.files, findings: out.findings.map((f) => `${f.file} ${f.rule} ${f.severity}`) };
  }

  it('{"__proto__": {"ignore": ["**"]}}: the problem at its spot, and all files are still checked', () => {
    assert.deepEqual(check('{\n  "__proto__": { "ignore": ["**"] }\n}\n'), {
      code: 0,
      err: `failpath: .failpath.json:2:3: error: ${MSG('__proto__')}\n`,
      files: 2,
      findings: ['src/a.ts missing-timeout info', 'src/orders/b.ts missing-timeout info'],
    });
  });

  it('"rules": {"__proto__": …} and "features": {"constructor": …}: each printed at its line:column, neither applied', () => {
    const config = `{
  "rules": { "__proto__": { "severity": "off" }, "missing-timeout": "error" },
  "features": { "constructor": { "paths": ["**"] }, "orders": { "paths": ["src/orders/**"] } },
  "flags": { "prototype": { "removed": true } }
}
`;
    assert.deepEqual(check(config), {
      code: 1,
      err: [
        `failpath: .failpath.json:2:14: error: ${MSG('__proto__')}`,
        `failpath: .failpath.json:3:17: error: ${MSG('constructor')}`,
        `failpath: .failpath.json:4:14: error: ${MSG('prototype')}`,
        '',
      ].join('\n'),
      files: 2,
      findings: ['src/a.ts missing-timeout error', 'src/orders/b.ts missing-timeout error'],
    });
  });
});
