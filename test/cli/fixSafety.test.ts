/**
 * `failpath fix` on hostile or unusual files (issue 18, breaks 1, 4, 5 and 6): planted symlinks at
 * temporary-file names, files that are not UTF-8 or carry a BOM, a save made while fix runs,
 * read-only files, symlinked and hard-linked sources, and the owner of a file root fixes. Each
 * case drives the bundled dist/cli.js as a child process (as uid 65534 too when the suite runs as
 * root, since root passes every permission check) and checks the exact bytes, inode, link count,
 * mode and owner afterwards.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const repo = path.join(__dirname, '..', '..');
const cli = path.join(repo, 'dist', 'cli.js');
const ROOT = process.getuid?.() === 0;
const NOBODY = ROOT ? { uid: 65534, gid: 65534 } : {};
let dir: string;

const FIXABLE = "export async function load(): Promise<Response> {\n  return fetch('https://x.example.com');\n}\n";
const FIXED = "export async function load(): Promise<Response> {\n  return fetch('https://x.example.com', { signal: AbortSignal.timeout(10000) });\n}\n";
const VICTIM = 'ssh-ed25519 AAAA-the-victim-key user@host\n';

function run(cwd: string, args: string[], options: { unprivileged?: boolean; node?: string[] } = {}) {
  const r = spawnSync(process.execPath, [...(options.node ?? []), cli, ...args], {
    cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, ...(options.unprivileged ? NOBODY : {}),
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** A fresh project folder `name` under the test folder with these files (string or bytes). */
function project(name: string, files: Record<string, string | Buffer>): string {
  const root = path.join(dir, name);
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), content);
  }
  return root;
}

/** Every entry under `root`, as sorted relative paths (a temporary file left behind shows up here). */
function entries(root: string): string[] {
  return (fs.readdirSync(root, { recursive: true }) as string[]).map((e) => e.split(path.sep).join('/')).sort();
}

before(() => {
  if (!fs.existsSync(cli)) {
    const b = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: repo, encoding: 'utf8' });
    assert.equal(b.status, 0, b.stderr);
  }
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'failpath-fix-safety-')));
  fs.chmodSync(dir, 0o755); // the unprivileged runs must reach it
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('failpath fix: temporary files cannot be redirected', () => {
  it('a symlink planted at the old predictable temp name (the process id) and at 2,000 random names: the victim is untouched, the source is a regular file with the fix', () => {
    const proj = project('planted', { 'src/app.ts': FIXABLE });
    const victim = path.join(dir, 'planted-victim');
    fs.writeFileSync(victim, VICTIM);
    const planted: string[] = [];
    for (let n = 0; n < 2000; n++) planted.push(`.app.ts.failpath-${randomBytes(8).toString('hex')}.tmp`);
    for (let n = 1; n < 300; n++) planted.push(`.app.ts.failpath-${n}.tmp`);
    for (const name of planted) fs.symlinkSync(victim, path.join(proj, 'src', name));
    // the shell plants one more link named after its own pid, then becomes the CLI with that same pid
    const r = spawnSync('/bin/sh', ['-c', 'ln -s "$0" "src/.app.ts.failpath-$$.tmp" && exec "$1" "$2" fix', victim, process.execPath, cli], {
      cwd: proj, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' },
    });
    assert.deepEqual([r.status, r.stdout, r.stderr], [0, '', 'fixed 1 finding in 1 file\n']);
    assert.equal(fs.readFileSync(victim, 'utf8'), VICTIM);
    assert.ok(fs.lstatSync(path.join(proj, 'src/app.ts')).isFile());
    assert.equal(fs.readFileSync(path.join(proj, 'src/app.ts'), 'utf8'), FIXED);
    // every planted link is still there and still a link; nothing else was left behind
    const links = fs.readdirSync(path.join(proj, 'src')).filter((n) => n !== 'app.ts');
    assert.equal(links.length, planted.length + 1);
    for (const n of links) assert.equal(fs.readlinkSync(path.join(proj, 'src', n)), victim);
  });
});

describe('failpath fix: bytes that are not touched are kept', () => {
  it('a Latin-1 file with a fixable finding is left byte for byte, with the reason on stderr; check still reports it', () => {
    const bytes = Buffer.concat([Buffer.from("export const s = 'D"), Buffer.from([0xe9]), Buffer.from('j'), Buffer.from([0xe0]), Buffer.from(" vu';\n"), Buffer.from(FIXABLE)]);
    const proj = project('latin1', { 'src/old.ts': bytes });
    const file = path.join(proj, 'src/old.ts');
    const line = `failpath: skipped ${file}: not valid UTF-8; fix leaves it untouched\n`;
    const dry = run(proj, ['fix', '--dry-run']);
    assert.deepEqual([dry.code, dry.out, dry.err], [0, '', `${line}would fix 0 findings in 0 files\n`]);
    const r = run(proj, ['fix']);
    assert.deepEqual([r.code, r.out, r.err], [0, '', `${line}fixed 0 findings in 0 files\n`]);
    assert.deepEqual(fs.readFileSync(file), bytes);
    const check = run(proj, ['check', '--format', 'json', '--error-on', 'error']);
    assert.equal(check.code, 0, check.err);
    assert.deepEqual(JSON.parse(check.out).findings.map((f: { file: string; rule: string; line: number }) => `${f.file}:${f.line} ${f.rule}`), ['src/old.ts:3 missing-timeout']);
  });

  it('a UTF-8 file with a BOM and non-ASCII text away from the edit keeps every untouched byte', () => {
    const head = Buffer.from([0xef, 0xbb, 0xbf, ...Buffer.from("// café — ünïcödé 😀 \u2028 note\n")]);
    const tail = Buffer.from("export const z = '日本語 Déjà vu';\n");
    const proj = project('bom', { 'src/bom.ts': Buffer.concat([head, Buffer.from(FIXABLE), tail]) });
    const r = run(proj, ['fix']);
    assert.deepEqual([r.code, r.out, r.err], [0, '', 'fixed 1 finding in 1 file\n']);
    assert.deepEqual(fs.readFileSync(path.join(proj, 'src/bom.ts')), Buffer.concat([head, Buffer.from(FIXED), tail]));
  });
});

describe('failpath fix: a save made while fix runs is not lost', () => {
  it('a file changed after it was read and before it is replaced is skipped with a message and keeps the save', () => {
    const proj = project('save', { 'src/app.ts': FIXABLE });
    const file = path.join(proj, 'src/app.ts');
    const SAVE = '// saved by the user while fix ran\n';
    // a preload in the child stands for the user's editor: the moment fix creates its temporary
    // file (after reading and fixing, before replacing), the source gets a line appended
    const hook = path.join(dir, 'save-hook.cjs');
    fs.writeFileSync(hook, `
const fs = require('node:fs');
const path = require('node:path');
const open = fs.openSync;
let saved = false;
fs.openSync = function (p, ...rest) {
  const m = typeof p === 'string' && /^\\.(.+)\\.failpath-[^/]*\\.tmp$/.exec(path.basename(p));
  if (m && !saved) { saved = true; fs.appendFileSync(path.join(path.dirname(p), m[1]), ${JSON.stringify(SAVE)}); }
  return open.call(this, p, ...rest);
};
`);
    const r = run(proj, ['fix'], { node: ['--require', hook] });
    assert.deepEqual([r.code, r.out, r.err], [0, '', `failpath: skipped ${file}: changed while failpath was fixing it; not written\nfixed 0 findings in 0 files\n`]);
    assert.equal(fs.readFileSync(file, 'utf8'), FIXABLE + SAVE);
    assert.deepEqual(entries(path.join(proj, 'src')), ['app.ts']);
  });
});

describe('failpath fix: file identity is kept', () => {
  it('a read-only file (0444) is not rewritten, as root and as an unprivileged user', () => {
    const proj = project('readonly', { 'src/app.ts': FIXABLE });
    const file = path.join(proj, 'src/app.ts');
    fs.chmodSync(file, 0o444);
    if (ROOT) for (const p of [proj, path.join(proj, 'src'), file]) fs.chownSync(p, 65534, 65534); // nobody owns the folder: renaming over the file would be allowed
    const ino = fs.statSync(file).ino;
    const line = `failpath: skipped ${file}: is read-only; fix leaves it untouched\n`;
    for (const unprivileged of [false, true]) {
      const dry = run(proj, ['fix', '--dry-run'], { unprivileged });
      assert.deepEqual([dry.code, dry.out, dry.err], [0, '', `${line}would fix 0 findings in 0 files\n`]);
      const r = run(proj, ['fix'], { unprivileged });
      assert.deepEqual([r.code, r.out, r.err], [0, '', `${line}fixed 0 findings in 0 files\n`]);
      const st = fs.statSync(file);
      assert.deepEqual([st.ino, st.mode & 0o7777, fs.readFileSync(file, 'utf8')], [ino, 0o444, FIXABLE]);
      assert.deepEqual(entries(path.join(proj, 'src')), ['app.ts']);
    }
  });

  it('a file the user cannot write, in a folder it can write, is not replaced (and its owner not changed)', { skip: !ROOT && 'needs root to create a file another user owns' }, () => {
    const proj = project('notmine', { 'src/app.ts': FIXABLE, 'src/shared.ts': FIXABLE });
    const [file, shared] = ['src/app.ts', 'src/shared.ts'].map((f) => path.join(proj, f));
    for (const p of [proj, path.join(proj, 'src')]) fs.chownSync(p, 65534, 65534);
    fs.chmodSync(file, 0o644); // root's, not writable by nobody
    fs.chmodSync(shared, 0o666); // root's, writable by everyone: replacing it would make it nobody's
    const r = run(proj, ['fix'], { unprivileged: true });
    assert.deepEqual([r.code, r.out, r.err], [0, '', [
      `failpath: skipped ${file}: is not writable by this user; fix leaves it untouched`,
      `failpath: skipped ${shared}: is owned by another user (uid 0); fix would make it yours, so it leaves it untouched`,
      'fixed 0 findings in 0 files', ''].join('\n')]);
    for (const f of [file, shared]) assert.deepEqual([fs.statSync(f).uid, fs.readFileSync(f, 'utf8')], [0, FIXABLE]);
  });

  it('a symlinked source inside the folder is fixed through the link, which stays a link; a link out of the folder is refused', () => {
    const proj = project('symlink', { 'b/real.ts': FIXABLE });
    fs.mkdirSync(path.join(proj, 'a'));
    fs.symlinkSync('../b/real.ts', path.join(proj, 'a/link.ts'));
    const outside = project('symlink-outside', { 'victim.ts': FIXABLE });
    fs.symlinkSync(path.join(outside, 'victim.ts'), path.join(proj, 'a/out.ts'));
    // walking the folder, discovery reports the link and never hands it to fix
    const out = `failpath: skipped ${proj}/a/out.ts: symbolic link to ${outside}/victim.ts points outside ${proj}\n`;
    const dry = run(proj, ['fix', '--dry-run']);
    assert.equal(dry.err, `${out}would fix 1 finding in 1 file\n`);
    assert.match(dry.out, /^--- a\/a\/link\.ts\n\+\+\+ b\/a\/link\.ts\n/m);
    const r = run(proj, ['fix']);
    assert.deepEqual([r.code, r.out, r.err], [0, '', `${out}fixed 1 finding in 1 file\n`]);
    assert.ok(fs.lstatSync(path.join(proj, 'a/link.ts')).isSymbolicLink());
    assert.equal(fs.readlinkSync(path.join(proj, 'a/link.ts')), '../b/real.ts');
    assert.equal(fs.readFileSync(path.join(proj, 'b/real.ts'), 'utf8'), FIXED);
    assert.equal(fs.readlinkSync(path.join(proj, 'a/out.ts')), path.join(outside, 'victim.ts'));
    assert.equal(fs.readFileSync(path.join(outside, 'victim.ts'), 'utf8'), FIXABLE);
    // named on the command line, the link out of the folder is still refused
    const named = run(proj, ['fix', 'a/out.ts']);
    const refused = `failpath: skipped ${proj}/a/out.ts: is a symbolic link to ${outside}/victim.ts, outside the folders being fixed; fix leaves it untouched\n`;
    assert.deepEqual([named.code, named.err], [0, `${refused}fixed 0 findings in 0 files\n`]);
    assert.equal(fs.readFileSync(path.join(outside, 'victim.ts'), 'utf8'), FIXABLE);
  });

  it('a hard-linked file is not split: same inode, two links, bytes unchanged', () => {
    const proj = project('hardlink', { 'src/app.ts': FIXABLE });
    const file = path.join(proj, 'src/app.ts');
    fs.linkSync(file, path.join(dir, 'hardlink-elsewhere.ts'));
    const ino = fs.statSync(file).ino;
    const line = `failpath: skipped ${file}: has 2 hard links; fix leaves it untouched (replacing it would split them)\n`;
    const dry = run(proj, ['fix', '--dry-run']);
    assert.deepEqual([dry.code, dry.out, dry.err], [0, '', `${line}would fix 0 findings in 0 files\n`]);
    const r = run(proj, ['fix']);
    assert.deepEqual([r.code, r.out, r.err], [0, '', `${line}fixed 0 findings in 0 files\n`]);
    const st = fs.statSync(file);
    assert.deepEqual([st.ino, st.nlink, fs.readFileSync(file, 'utf8')], [ino, 2, FIXABLE]);
    assert.equal(fs.statSync(path.join(dir, 'hardlink-elsewhere.ts')).ino, ino);
  });

  it('root fixing a file owned by another user keeps its owner, group and mode', { skip: !ROOT && 'needs root' }, () => {
    const proj = project('owner', { 'src/app.ts': FIXABLE });
    const file = path.join(proj, 'src/app.ts');
    fs.chownSync(file, 65534, 65534);
    fs.chmodSync(file, 0o640);
    const r = run(proj, ['fix']);
    assert.deepEqual([r.code, r.out, r.err], [0, '', 'fixed 1 finding in 1 file\n']);
    const st = fs.statSync(file);
    assert.deepEqual([st.uid, st.gid, st.mode & 0o7777, fs.readFileSync(file, 'utf8')], [65534, 65534, 0o640, FIXED]);
  });
});
