/**
 * The CLI as users run it: the bundled dist/cli.js as a child process on a fixture project copied
 * to a temporary folder (with a node_modules folder and a .gitignore'd folder that must be skipped).
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import AjvDraft04 from 'ajv-draft-04';

const repo = path.join(__dirname, '..', '..');
const cli = path.join(repo, 'dist', 'cli.js');
let dir: string;

function run(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

before(() => {
  if (!fs.existsSync(cli)) {
    const b = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: repo, encoding: 'utf8' });
    assert.equal(b.status, 0, b.stderr);
  }
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'failpath-cli-')));
  fs.cpSync(path.join(repo, 'test/fixtures/cli/proj'), dir, { recursive: true });
  fs.mkdirSync(path.join(dir, 'node_modules/dep'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'node_modules/dep/index.ts'), "export const y = fetch('https://dep');\n");
  // listed in the fixture's .gitignore (created here: git would not keep it in the repository)
  fs.mkdirSync(path.join(dir, 'generated'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'generated/out.ts'), "export const x = fetch('https://ignored');\n");
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('failpath check', () => {
  it('prints exactly the documented JSON, skipping node_modules and .gitignore\'d files', () => {
    const r = run(['check', '--format', 'json']);
    assert.equal(r.code, 0, r.err);
    const out = JSON.parse(r.out);
    assert.deepEqual(Object.keys(out), ['findings', 'skipped', 'summary']);
    assert.deepEqual(Object.keys(out.summary), ['files', 'findings', 'skipped', 'ms']);
    assert.deepEqual([out.summary.files, out.summary.findings, out.summary.skipped, out.skipped], [3, 3, 0, []]);
    assert.equal(typeof out.summary.ms, 'number');
    assert.deepEqual(out.findings.map((f: Record<string, unknown>) => Object.keys(f)), out.findings.map(() => ['rule', 'file', 'line', 'column', 'endLine', 'endColumn', 'severity', 'message', 'checklist', 'fixable']));
    // missing-timeout ships at info (docs/precision.md)
    assert.deepEqual(out.findings.map((f: Record<string, unknown>) => `${f.file}:${f.line}:${f.column}-${f.endLine}:${f.endColumn} ${f.rule} ${f.severity} ${f.checklist} ${f.fixable}`), [
      'src/client.ts:4:21-4:26 missing-timeout info recover true',
      'src/client.ts:9:26-9:35 missing-timeout info recover true',
      'src/nested/crlf.ts:2:10-2:15 missing-timeout info recover true',
    ]);
  });

  it('exits 1 when a finding reaches --error-on, 0 otherwise', () => {
    // the fixture's findings are missing-timeout, at info by default: below warning, at info
    assert.equal(run(['check', 'src', '--format', 'json']).code, 0);
    assert.equal(run(['check', 'src', '--format', 'json', '--error-on', 'warning']).code, 0);
    assert.equal(run(['check', 'src', '--format', 'json', '--error-on', 'info']).code, 1);
    assert.equal(run(['check', 'src/nested/clean.ts', '--error-on', 'info']).code, 0);
    // a warning reaches --error-on warning: missing-timeout set to warning in this folder's .failpath.json
    const config = path.join(dir, '.failpath.json');
    fs.writeFileSync(config, '{"rules": {"missing-timeout": "warning"}}\n');
    try {
      assert.equal(run(['check', 'src', '--format', 'json', '--error-on', 'warning']).code, 1);
      assert.equal(run(['check', 'src', '--format', 'json', '--error-on', 'error']).code, 0);
      assert.equal(run(['check', 'src/nested/clean.ts', '--error-on', 'warning']).code, 0);
    } finally {
      fs.rmSync(config);
    }
  });

  it('filters with --rule and rejects unknown rules, options and paths with exit 2', () => {
    const only = JSON.parse(run(['check', '--format', 'json', '--rule', 'unstructured-log']).out);
    assert.deepEqual(only.findings, []);
    const bad = run(['check', '--rule', 'no-such-rule']);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /unknown rule "no-such-rule"/);
    const opt = run(['check', '--colour']);
    assert.equal(opt.code, 2);
    assert.match(opt.err, /Unknown option '--colour'/);
    const missing = run(['check', 'does/not/exist']);
    assert.equal(missing.code, 2);
    assert.match(missing.err, /no such file or directory: does\/not\/exist/);
    assert.equal(run(['frobnicate']).code, 2);
  });

  it('says so when there is nothing to check', () => {
    fs.mkdirSync(path.join(dir, 'empty'), { recursive: true });
    const r = run(['check', 'empty']);
    assert.equal(r.code, 0);
    assert.match(r.err, /no TypeScript or JavaScript files found in empty/);
    assert.match(r.out, /No failure paths found/);
  });

  it('prints text grouped by file with a summary line', () => {
    const r = run(['check', 'src']);
    const lines = r.out.split('\n');
    assert.equal(lines[0], 'src/client.ts');
    assert.match(lines[1], /^ {2}4:21 +info +fetch\(\) has no timeout: .*\[missing-timeout\]$/);
    assert.match(r.out, /\n3 findings \(0 errors, 0 warnings, 3 info\) in 3 files, \d+ ms\n/);
  });

  it('writes SARIF 2.1.0 with rule metadata, help URIs and stable fingerprints', () => {
    const r = run(['check', '--format', 'sarif']);
    const log = JSON.parse(r.out);
    assert.equal(log.version, '2.1.0');
    // the OASIS SARIF 2.1.0 schema as Microsoft's SARIF SDK ships it (draft-04, hence ajv-draft-04)
    const schema = JSON.parse(fs.readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'));
    const ajvValidate = new AjvDraft04({ allErrors: true, strict: false, unicodeRegExp: false }).compile(schema); // unicodeRegExp: the schema's language pattern is not valid in unicode mode
    const validate = (x: unknown): boolean => ajvValidate(x); // a boolean, not a type guard narrowing `log`
    assert.ok(validate(log), JSON.stringify(ajvValidate.errors, null, 2));
    // and the validator can fail: a result without a message is not SARIF
    const broken = structuredClone(log);
    delete broken.runs[0].results[0].message;
    assert.equal(validate(broken), false);
    const run0 = log.runs[0];
    assert.equal(run0.tool.driver.name, 'Failpath');
    const ids = run0.tool.driver.rules.map((x: { id: string }) => x.id);
    assert.ok(ids.includes('missing-timeout') && ids.includes('no-fallback'));
    for (const rule of run0.tool.driver.rules) assert.match(rule.helpUri, /docs\/rules\/[a-z-]+\.md$/);
    assert.equal(run0.results.length, 3);
    const first = run0.results[0];
    assert.equal(run0.tool.driver.rules[first.ruleIndex].id, first.ruleId);
    assert.deepEqual(first.locations[0].physicalLocation.artifactLocation, { uri: 'src/client.ts', uriBaseId: '%SRCROOT%' });
    assert.deepEqual(first.locations[0].physicalLocation.region, { startLine: 4, startColumn: 21, endLine: 4, endColumn: 26 });
    // inserting lines above keeps the fingerprint
    const before = first.partialFingerprints['failpath/v1'];
    const file = path.join(dir, 'src/client.ts');
    const original = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, `// a comment\n// another\n${original}`);
    const after = JSON.parse(run(['check', '--format', 'sarif']).out).runs[0].results[0];
    fs.writeFileSync(file, original);
    assert.equal(after.locations[0].physicalLocation.region.startLine, 6);
    assert.equal(after.partialFingerprints['failpath/v1'], before);
  });

  it('gives identical results on worker threads', () => {
    const inProcess = JSON.parse(run(['check', '--format', 'json']).out);
    const workers = JSON.parse(run(['check', '--format', 'json'], { FAILPATH_WORKER_THRESHOLD: '1' }).out);
    assert.deepEqual(workers.findings, inProcess.findings);
    assert.equal(workers.summary.files, inProcess.summary.files);
  });
});

describe('failpath check --report-unused-disables', () => {
  it('reports suppression comments that silence nothing, and only with the flag', () => {
    const file = path.join(dir, 'src/suppressed.ts');
    fs.writeFileSync(file, "// failpath-disable-next-line missing-timeout -- proxied\nexport const a = () => fetch('https://a');\n// failpath-disable-next-line unstructured-log\nexport const b = 1;\n");
    const plain = JSON.parse(run(['check', 'src/suppressed.ts', '--format', 'json']).out);
    assert.deepEqual(plain.findings, []);
    const r = run(['check', 'src/suppressed.ts', '--format', 'json', '--report-unused-disables']);
    const out = JSON.parse(r.out);
    fs.rmSync(file);
    assert.deepEqual(out.findings.map((f: { rule: string; line: number; column: number; message: string }) => [f.rule, f.line, f.column, f.message]),
      [['unused-disable', 3, 1, 'Unused failpath-disable for unstructured-log: nothing is reported here any more; remove the comment.']]);
  });
});

describe('failpath fix', () => {
  it('--dry-run prints a unified diff and changes nothing', () => {
    const before = fs.readFileSync(path.join(dir, 'src/client.ts'), 'utf8');
    const r = run(['fix', 'src/client.ts', '--dry-run']);
    assert.equal(r.code, 0, r.err);
    assert.equal(fs.readFileSync(path.join(dir, 'src/client.ts'), 'utf8'), before);
    assert.match(r.out, /^--- a\/src\/client\.ts\n\+\+\+ b\/src\/client\.ts\n/m);
    assert.match(r.out, /^-  const res = await fetch\('https:\/\/rates\.example\.com\/latest'\);$/m);
    assert.match(r.out, /^\+  const res = await fetch\('https:\/\/rates\.example\.com\/latest', \{ signal: AbortSignal\.timeout\(10000\) \}\);$/m);
    assert.match(r.err, /would fix 2 findings in 1 file/);
  });

  it('applies the safe fixes, keeps CRLF, and a second run changes nothing', () => {
    const r = run(['fix']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /fixed 3 findings in 2 files/);
    assert.equal(fs.readFileSync(path.join(dir, 'src/nested/crlf.ts'), 'utf8'),
      'export async function ok(): Promise<Response> {\r\n  return fetch("https://x.example.com", { method: "POST", signal: AbortSignal.timeout(10000) });\r\n}\r\n');
    assert.match(fs.readFileSync(path.join(dir, 'src/client.ts'), 'utf8'), /axios\.get\(`https:\/\/users\.example\.com\/\$\{id\}`, \{ timeout: 10000 \}\)/);
    assert.deepEqual(JSON.parse(run(['check', '--format', 'json']).out).findings, []);
    const again = run(['fix']);
    assert.match(again.err, /fixed 0 findings in 0 files/);
  });
});

describe('failpath rules / --help / --version', () => {
  it('lists every rule with its checklist item', () => {
    const r = run(['rules']);
    assert.equal(r.code, 0);
    assert.match(r.out, /^missing-timeout +recover +info +fixable +An outbound HTTP call/m);
    assert.ok(r.out.split('\n').filter(Boolean).length >= 18);
  });
  it('prints usage and version', () => {
    assert.match(run(['--help']).out, /^failpath \d+\.\d+\.\d+ — find and fix failure paths/);
    assert.match(run(['--version']).out, /^\d+\.\d+\.\d+\n$/);
  });
});
