/**
 * Break 3 of the security review: symbolic links followed out of the folder. A repository ships
 * `src/vendor → <a folder elsewhere>`, `src/sysroot → /` and `src/linked.ts → <a file elsewhere>`:
 * `check` used to report the files elsewhere (and walk the whole disk: 3 min 36 s, 20,770 files)
 * and `fix` rewrote them. Now each link that points out is reported once, as a problem line on
 * stderr and in the JSON `skipped` list, and skipped; nothing outside is read, reported or written.
 * Links that stay inside (a file, a folder, a loop) still work; a file named on the command line
 * is taken as given. `fix` runs unprivileged (uid 65534 when the suite runs as root) on a world-writable
 * outside file, so a regression could really write it; as root only with --dry-run or without
 * the `/` link (never risk the system's files).
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const repo = path.join(__dirname, '..', '..');
const cli = path.join(repo, 'dist', 'cli.js');
const NOBODY = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
let dir: string;
let outside: string;

function run(cwd: string, args: string[], options: { unprivileged?: boolean } = {}) {
  const r = spawnSync(process.execPath, [cli, ...args], {
    cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, ...(options.unprivileged ? NOBODY : {}),
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const FETCH = (name: string) => `export const ${name} = () => fetch('https://${name}.example');\n`;
const OUTSIDE_LIB = FETCH('lib');
const OUTSIDE_SECRET = FETCH('secret');

/** A project with the three links out, next to the outside folder they point at. */
function project(name: string, extra: (p: string) => void = () => {}): string {
  const p = path.join(dir, name);
  fs.mkdirSync(path.join(p, 'src'), { recursive: true });
  fs.writeFileSync(path.join(p, 'src/app.ts'), FETCH('app'));
  fs.symlinkSync(outside, path.join(p, 'src/vendor'));
  fs.symlinkSync('/', path.join(p, 'src/sysroot'));
  fs.symlinkSync(path.join(outside, 'lib.ts'), path.join(p, 'src/linked.ts'));
  extra(p);
  return p;
}

const problemLines = (p: string) => [
  `failpath: skipped ${p}/src/linked.ts: symbolic link to ${outside}/lib.ts points outside ${p}`,
  `failpath: skipped ${p}/src/sysroot: symbolic link to / points outside ${p}`,
  `failpath: skipped ${p}/src/vendor: symbolic link to ${outside} points outside ${p}`,
];

function outsideUntouched(): void {
  assert.equal(fs.readFileSync(path.join(outside, 'lib.ts'), 'utf8'), OUTSIDE_LIB);
  assert.equal(fs.readFileSync(path.join(outside, 'secret.ts'), 'utf8'), OUTSIDE_SECRET);
  assert.deepEqual(fs.readdirSync(outside).sort(), ['lib.ts', 'secret.ts']); // no temporary file left either
}

before(() => {
  if (!fs.existsSync(cli)) {
    const b = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: repo, encoding: 'utf8' });
    assert.equal(b.status, 0, b.stderr);
  }
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'failpath-contain-')));
  fs.chmodSync(dir, 0o755);
  // elsewhere on the disk: fixable findings, world-writable, so an unprivileged fix could write it
  outside = path.join(dir, 'elsewhere');
  fs.mkdirSync(outside);
  fs.writeFileSync(path.join(outside, 'lib.ts'), OUTSIDE_LIB);
  fs.writeFileSync(path.join(outside, 'secret.ts'), OUTSIDE_SECRET);
  fs.chmodSync(outside, 0o777);
  for (const f of ['lib.ts', 'secret.ts']) fs.chmodSync(path.join(outside, f), 0o666);
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('failpath check: links out of the folder', () => {
  let proj: string;
  before(() => {
    proj = project('proj', (p) => {
      // inside: a file link, a folder link (walked under its name: it sorts before its target), a loop
      fs.symlinkSync('app.ts', path.join(p, 'src/alias.ts'));
      fs.mkdirSync(path.join(p, 'z-real'));
      fs.writeFileSync(path.join(p, 'z-real/util.ts'), FETCH('util'));
      fs.symlinkSync('z-real', path.join(p, 'a-link'));
      fs.symlinkSync('..', path.join(p, 'src/up'));
    });
  });

  it('reports nothing outside, one problem line per link, and lists them as skipped; links inside are analysed', () => {
    const r = run(proj, ['check', '--format', 'json']);
    assert.equal(r.err, problemLines(proj).join('\n') + '\n');
    const out = JSON.parse(r.out);
    assert.deepEqual(out.findings.map((f: { file: string; rule: string }) => `${f.file} ${f.rule}`), [
      'a-link/util.ts missing-timeout',
      'src/alias.ts missing-timeout',
      'src/app.ts missing-timeout',
    ]);
    assert.deepEqual(out.skipped, [
      { file: 'src/linked.ts', reason: `symbolic link to ${outside}/lib.ts points outside ${proj}` },
      { file: 'src/sysroot', reason: `symbolic link to / points outside ${proj}` },
      { file: 'src/vendor', reason: `symbolic link to ${outside} points outside ${proj}` },
    ]);
    assert.deepEqual([out.summary.files, out.summary.findings, out.summary.skipped], [3, 3, 3]);
    assert.equal(r.code, 0);
    outsideUntouched();
  });

  it('the same, unprivileged, in text: the summary counts the links', () => {
    const r = run(proj, ['check'], { unprivileged: true });
    assert.equal(r.err, problemLines(proj).join('\n') + '\n');
    assert.match(r.out, /\n3 findings \(0 errors, 0 warnings, 3 info\) in 3 files, 3 skipped, \d+ ms\n/);
    assert.doesNotMatch(r.out, /elsewhere|lib\.ts|secret\.ts/);
  });

  it('a file named on the command line is taken as given, even through a link', () => {
    const r = run(proj, ['check', 'src/linked.ts', '--format', 'json']);
    assert.equal(r.err, '');
    assert.deepEqual(JSON.parse(r.out).findings.map((f: { file: string }) => f.file), ['src/linked.ts']);
  });

  it('a folder named through a link is the root: its own links inside still work', () => {
    fs.symlinkSync(proj, path.join(dir, 'proj-link'));
    const r = run(dir, ['check', 'proj-link', '--format', 'json']);
    const linkRoot = path.join(dir, 'proj-link');
    assert.equal(r.err, [
      `failpath: skipped ${linkRoot}/src/linked.ts: symbolic link to ${outside}/lib.ts points outside ${linkRoot}`,
      `failpath: skipped ${linkRoot}/src/sysroot: symbolic link to / points outside ${linkRoot}`,
      `failpath: skipped ${linkRoot}/src/vendor: symbolic link to ${outside} points outside ${linkRoot}`,
      '',
    ].join('\n'));
    assert.deepEqual(JSON.parse(r.out).findings.map((f: { file: string }) => f.file), ['proj-link/a-link/util.ts', 'proj-link/src/alias.ts', 'proj-link/src/app.ts']);
  });
});

describe('failpath fix: links out of the folder', () => {
  it('--dry-run (as the suite\'s user, root in CI): diffs only the file inside', () => {
    const proj = project('dry');
    const r = run(proj, ['fix', '--dry-run']);
    assert.equal(r.err, [...problemLines(proj), 'would fix 1 finding in 1 file', ''].join('\n'));
    assert.deepEqual(r.out.split('\n').filter((l) => l.startsWith('+++ ') || l.startsWith('--- ')), ['--- a/src/app.ts', '+++ b/src/app.ts']);
    assert.equal(r.code, 0);
    outsideUntouched();
  });

  it('unprivileged, with every link: fixes the file inside, leaves the world-writable file outside byte for byte', () => {
    const proj = project('fix-nobody');
    fs.chmodSync(proj, 0o777);
    fs.chmodSync(path.join(proj, 'src'), 0o777);
    fs.chmodSync(path.join(proj, 'src/app.ts'), 0o666);
    // the file is the unprivileged user's own (fix refuses to take over another user's file)
    if (process.getuid?.() === 0) fs.chownSync(path.join(proj, 'src/app.ts'), 65534, 65534);
    const r = run(proj, ['fix'], { unprivileged: true });
    assert.equal(r.err, [...problemLines(proj), 'fixed 1 finding in 1 file', ''].join('\n'));
    assert.equal(r.code, 0);
    assert.notEqual(fs.readFileSync(path.join(proj, 'src/app.ts'), 'utf8'), FETCH('app'));
    outsideUntouched();
  });

  it('as the suite\'s user (root in CI), without the "/" link: the file outside is not written', () => {
    const proj = project('fix-root');
    fs.rmSync(path.join(proj, 'src/sysroot'));
    const r = run(proj, ['fix']);
    assert.equal(r.err, [problemLines(proj)[0], problemLines(proj)[2], 'fixed 1 finding in 1 file', ''].join('\n'));
    assert.equal(r.code, 0);
    assert.notEqual(fs.readFileSync(path.join(proj, 'src/app.ts'), 'utf8'), FETCH('app'));
    outsideUntouched();
  });
});
