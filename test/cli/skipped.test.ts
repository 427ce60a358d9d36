/**
 * Break 7 of the security review: silent false negatives in CI. A file above 8 MB or with a NUL
 * byte was skipped, counted as checked and reported clean with exit 0, in text, JSON and SARIF
 * alike. Now every file not checked — too large, binary, unreadable — and every discovery problem
 * (an unreadable folder, a link pointing out) is listed with its reason: text (a block per file,
 * a count in the summary; folders and links on stderr as before), JSON (`skipped[]`, `summary.skipped`),
 * SARIF (`invocations[0].toolExecutionNotifications`, validated against the SARIF 2.1.0 schema);
 * `--error-on skipped` fails the run on them. And break 10c: a 1 GiB sparse file is skipped before a
 * byte is read (it used to be read whole: 1.2 GB peak RSS); the child reports its own peak RSS.
 * Unreadable entries need an unprivileged child (uid 65534 when the suite runs as root).
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
const NOBODY = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
let dir: string;
let proj: string;
let clean: string;
let outside: string;

function run(cwd: string, args: string[], options: { unprivileged?: boolean; node?: string[]; env?: Record<string, string> } = {}) {
  const r = spawnSync(process.execPath, [...(options.node ?? []), cli, ...args], {
    cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...options.env }, ...(options.unprivileged ? NOBODY : {}),
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const TIMEOUT_MESSAGE = 'fetch() has no timeout: if the remote service hangs, this call waits forever and holds the caller, its socket and memory. Give it a deadline (10000 ms by default, setting failpath.timeoutMs).';

before(() => {
  if (!fs.existsSync(cli)) {
    const b = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: repo, encoding: 'utf8' });
    assert.equal(b.status, 0, b.stderr);
  }
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'failpath-skipped-')));
  fs.chmodSync(dir, 0o755);
  outside = path.join(dir, 'elsewhere');
  fs.mkdirSync(outside);
  fs.writeFileSync(path.join(outside, 'lib.ts'), "export const lib = () => fetch('https://lib');\n");
  proj = path.join(dir, 'proj');
  fs.mkdirSync(path.join(proj, 'src/secret'), { recursive: true });
  fs.writeFileSync(path.join(proj, 'src/ok.ts'), "export const ok = () => fetch('https://ok');\n");
  fs.writeFileSync(path.join(proj, 'src/big.ts'), '');
  fs.truncateSync(path.join(proj, 'src/big.ts'), 1024 ** 3); // 1 GiB, sparse: no disk used
  fs.writeFileSync(path.join(proj, 'src/binary.ts'), "export const b = fetch('https://b');\0\n");
  fs.writeFileSync(path.join(proj, 'src/locked.ts'), "export const l = fetch('https://l');\n");
  fs.writeFileSync(path.join(proj, 'src/secret/c.ts'), "export const c = fetch('https://c');\n");
  fs.symlinkSync(outside, path.join(proj, 'src/vendor'));
  fs.chmodSync(path.join(proj, 'src/locked.ts'), 0o000);
  fs.chmodSync(path.join(proj, 'src/secret'), 0o000);
  clean = path.join(dir, 'clean');
  fs.mkdirSync(clean);
  fs.writeFileSync(path.join(clean, 'ok.ts'), "export const ok = () => fetch('https://ok');\n");
});
after(() => {
  fs.chmodSync(path.join(proj, 'src/secret'), 0o755);
  fs.rmSync(dir, { recursive: true, force: true });
});

const stderrLines = () => [
  `failpath: skipped ${proj}/src/secret: permission denied`,
  `failpath: skipped ${proj}/src/vendor: symbolic link to ${outside} points outside ${proj}`,
  `failpath: could not read ${proj}/src/locked.ts: permission denied`,
  '',
].join('\n');

const skippedList = () => [
  { file: 'src/big.ts', reason: 'file is larger than 8 MB' },
  { file: 'src/binary.ts', reason: 'file looks binary (NUL bytes)' },
  { file: 'src/locked.ts', reason: 'permission denied' },
  { file: 'src/secret', reason: 'permission denied' },
  { file: 'src/vendor', reason: `symbolic link to ${outside} points outside ${proj}` },
];

describe('failpath check: skipped files are listed, never counted clean', () => {
  it('text: a block per skipped file, the count in the summary; folders and links on stderr', () => {
    const r = run(proj, ['check'], { unprivileged: true });
    assert.equal(r.err, stderrLines());
    assert.equal(r.out.replace(/, \d+ ms\n/, ', N ms\n'), [
      'src/big.ts',
      '  skipped: file is larger than 8 MB',
      '',
      'src/binary.ts',
      '  skipped: file looks binary (NUL bytes)',
      '',
      'src/locked.ts',
      '  could not read: permission denied',
      '',
      'src/ok.ts',
      `  1:25     info    ${TIMEOUT_MESSAGE}  [missing-timeout]`, // missing-timeout ships at info (docs/precision.md)
      '',
      '1 finding (0 errors, 0 warnings, 1 info) in 1 file, 5 skipped, N ms',
      '1 can be fixed with `failpath fix` or the editor\'s quick fixes.',
      '',
    ].join('\n'));
    assert.equal(r.code, 0);
  });

  it('JSON: skipped[] with file and reason, and the count in the summary', () => {
    const r = run(proj, ['check', '--format', 'json'], { unprivileged: true });
    assert.equal(r.err, stderrLines());
    const out = JSON.parse(r.out);
    assert.equal(typeof out.summary.ms, 'number');
    delete out.summary.ms;
    assert.deepEqual(out, {
      findings: [{
        rule: 'missing-timeout', file: 'src/ok.ts', line: 1, column: 25, endLine: 1, endColumn: 30,
        severity: 'info', message: TIMEOUT_MESSAGE, checklist: 'recover', fixable: true,
      }],
      skipped: skippedList(),
      summary: { files: 1, findings: 1, skipped: 5 },
    });
    assert.equal(r.code, 0);
  });

  it('SARIF: a warning notification per skipped entry, with its location; valid SARIF 2.1.0', () => {
    const sarif = (args: string[]) => {
      const r = run(proj, ['check', '--format', 'sarif', ...args], { unprivileged: true });
      assert.equal(r.err, stderrLines());
      return { code: r.code, log: JSON.parse(r.out) };
    };
    const notifications = skippedList().map((s) => ({
      level: 'warning',
      message: { text: `Skipped ${s.file}: ${s.reason}` },
      locations: [{ physicalLocation: { artifactLocation: { uri: s.file, uriBaseId: '%SRCROOT%' } } }],
    }));
    const schema = JSON.parse(fs.readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'));
    const ajvValidate = new AjvDraft04({ allErrors: true, strict: false, unicodeRegExp: false }).compile(schema);
    const validate = (x: unknown): boolean => ajvValidate(x);

    const plain = sarif([]);
    assert.deepEqual(plain.log.runs[0].invocations, [{ executionSuccessful: true, toolExecutionNotifications: notifications }]);
    assert.deepEqual(plain.log.runs[0].results.map((x: { ruleId: string }) => x.ruleId), ['missing-timeout']);
    assert.ok(validate(plain.log), JSON.stringify(ajvValidate.errors, null, 2));
    assert.equal(plain.code, 0);
    // the run fails on them under --error-on skipped: executionSuccessful false, exit 1
    const failing = sarif(['--error-on', 'skipped']);
    assert.deepEqual(failing.log.runs[0].invocations, [{ executionSuccessful: false, toolExecutionNotifications: notifications }]);
    assert.ok(validate(failing.log), JSON.stringify(ajvValidate.errors, null, 2));
    assert.equal(failing.code, 1);
    // and the validator can fail: a notification without a message is not SARIF
    const broken = structuredClone(plain.log);
    delete broken.runs[0].invocations[0].toolExecutionNotifications[0].message;
    assert.equal(validate(broken), false);
  });

  it('a project with nothing skipped: empty list, no count in the text summary, executionSuccessful', () => {
    const json = JSON.parse(run(clean, ['check', '--format', 'json']).out);
    assert.deepEqual([json.skipped, json.summary.skipped, json.summary.files], [[], 0, 1]);
    assert.match(run(clean, ['check']).out, /\n1 finding \(0 errors, 0 warnings, 1 info\) in 1 file, \d+ ms\n/);
    assert.deepEqual(JSON.parse(run(clean, ['check', '--format', 'sarif']).out).runs[0].invocations, [{ executionSuccessful: true, toolExecutionNotifications: [] }]);
  });
});

describe('--error-on skipped', () => {
  it('exits 1 when anything was skipped, 0 otherwise; combines with a severity', () => {
    const code = (cwd: string, ...args: string[]) => run(cwd, ['check', '--format', 'json', ...args], { unprivileged: true }).code;
    assert.deepEqual([code(proj), code(proj, '--error-on', 'skipped'), code(proj, '--error-on', 'error,skipped')], [0, 1, 1]);
    // clean's one finding is missing-timeout, at info by default (docs/precision.md): below warning, at info
    assert.deepEqual([code(clean, '--error-on', 'skipped'), code(clean, '--error-on', 'warning,skipped'), code(clean, '--error-on', 'info,skipped'), code(clean, '--error-on', 'skipped', '--error-on', 'info')], [0, 0, 1, 1]);
    // a link out alone is enough (a discovery problem, not a file)
    const linkOnly = path.join(dir, 'link-only');
    fs.mkdirSync(linkOnly);
    fs.writeFileSync(path.join(linkOnly, 'a.ts'), 'export const a = 1;\n');
    fs.symlinkSync(outside, path.join(linkOnly, 'vendor'));
    assert.deepEqual([code(linkOnly), code(linkOnly, '--error-on', 'skipped')], [0, 1]);
  });

  it('bad values are usage errors (exit 2) with the reason', () => {
    const bogus = run(clean, ['check', '--error-on', 'skipped,bogus']);
    assert.equal(bogus.code, 2);
    assert.match(bogus.err, /^failpath: --error-on must be error, warning, info or skipped \(got "bogus"\)\n/);
    const two = run(clean, ['check', '--error-on', 'warning,error']);
    assert.equal(two.code, 2);
    assert.match(two.err, /^failpath: --error-on takes one severity \(got "warning" and "error"\)\n/);
  });
});

describe('a 1 GiB sparse file is skipped before it is read', () => {
  it('the reason is given and the CLI\'s peak RSS stays small (it was 1.2 GB: read whole, then refused)', () => {
    // the child writes its own peak RSS (process.resourceUsage().maxRSS, KB) when it exits
    const preload = path.join(dir, 'rss.js');
    const rssOut = path.join(dir, 'rss.txt');
    fs.writeFileSync(preload, "process.on('exit', () => require('fs').writeFileSync(process.env.FAILPATH_TEST_RSS_OUT, String(process.resourceUsage().maxRSS)));\n");
    const r = run(proj, ['check', 'src/big.ts', '--format', 'json'], { node: ['--require', preload], env: { FAILPATH_TEST_RSS_OUT: rssOut } });
    assert.equal(r.err, '');
    assert.deepEqual(JSON.parse(r.out).skipped, [{ file: 'src/big.ts', reason: 'file is larger than 8 MB' }]);
    const maxRssMb = Number(fs.readFileSync(rssOut, 'utf8')) / 1024;
    assert.ok(maxRssMb > 0 && maxRssMb < 300, `peak RSS ${maxRssMb.toFixed(0)} MB`);
  });
});
