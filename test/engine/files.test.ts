/**
 * Workspace discovery and scanning under a changing, hostile file system: symlink loops, broken
 * links, folders deleted or renamed while the walk runs (simulated deterministically from the
 * `isIgnored` hook, which is called for every entry just before it is visited), huge folders, the
 * file limit, inputs that are not files or folders, and files that vanish between discovery and
 * analysis. Each is skipped with a problem (the CLI prints it as a log line); the walk completes.
 * (Unreadable files and folders: test/cli/faults.test.ts, which runs the CLI as an unprivileged user.)
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { discoverFiles, describeFsError } from '../../server/src/engine/files';
import { Scanner } from '../../server/src/engine/scan';

let root: string;
const rel = (files: readonly string[]) => files.map((f) => path.relative(root, f).split(path.sep).join('/'));
const problems = (ps: readonly { path: string; message: string }[]) => ps.map((p) => `${path.isAbsolute(p.path) ? rel([p.path])[0] : p.path}: ${p.message}`);
const write = (p: string, text = "export const x = fetch('https://x');\n") => {
  fs.mkdirSync(path.dirname(path.join(root, p)), { recursive: true });
  fs.writeFileSync(path.join(root, p), text);
};

before(() => { root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'failpath-files-'))); });
after(() => fs.rmSync(root, { recursive: true, force: true }));

describe('discoverFiles: faults', () => {
  it('symlink loops are followed once; broken links are skipped with a problem', () => {
    const base = path.join(root, 'loops');
    write('loops/a/one.ts');
    write('loops/b/two.ts');
    fs.symlinkSync('..', path.join(base, 'a', 'up'));          // a/up → loops (a loop)
    fs.symlinkSync(path.join(base, 'a'), path.join(base, 'b', 'again')); // b/again → a (seen already)
    fs.symlinkSync(path.join(base, 'self'), path.join(base, 'self'));     // a link to itself
    fs.symlinkSync(path.join(base, 'nowhere.ts'), path.join(base, 'gone.ts'));
    const r = discoverFiles([base]);
    assert.deepEqual(rel(r.files), ['loops/a/one.ts', 'loops/b/two.ts']);
    assert.deepEqual(problems(r.problems), ['loops/gone.ts: broken symbolic link', 'loops/self: symbolic link loop']);
  });

  it('a folder deleted or renamed during the walk is skipped with a problem; the walk completes', () => {
    write('race/a.ts');
    write('race/deleted/b.ts');
    write('race/renamed/c.ts');
    write('race/z.ts');
    const r = discoverFiles([path.join(root, 'race')], {
      isIgnored: (p) => {
        // the entry was listed; now it disappears before it is visited
        if (p.endsWith(`${path.sep}deleted`)) fs.rmSync(p, { recursive: true });
        if (p.endsWith(`${path.sep}renamed`)) fs.renameSync(p, `${p}-2`);
        return false;
      },
    });
    assert.deepEqual(rel(r.files), ['race/a.ts', 'race/z.ts']);
    assert.deepEqual(problems(r.problems), [
      'race/deleted: no longer exists (deleted or renamed during the scan)',
      'race/renamed: no longer exists (deleted or renamed during the scan)',
    ]);
  });

  it('a folder with more entries than the limit is skipped with a problem; its siblings are walked', () => {
    for (let i = 0; i < 120; i++) write(`huge/data/f${String(i).padStart(3, '0')}.ts`, '');
    write('huge/src/a.ts');
    const r = discoverFiles([path.join(root, 'huge')], { maxEntriesPerDir: 100 });
    assert.deepEqual(rel(r.files), ['huge/src/a.ts']);
    assert.deepEqual(problems(r.problems), ['huge/data: more than 100 entries; skipped (a generated or data folder? list it in .gitignore or .failpath.json "ignore")']);
    // at the default limit (50,000) the same folder is walked
    assert.equal(discoverFiles([path.join(root, 'huge')]).files.length, 121);
  });

  it('the file limit stops the walk (the caller says so: the workspace index warns)', () => {
    const r = discoverFiles([path.join(root, 'huge')], { maxFiles: 3 });
    assert.deepEqual(rel(r.files), ['huge/data/f000.ts', 'huge/data/f001.ts', 'huge/data/f002.ts']);
    assert.deepEqual(r.problems, []);
  });

  it('inputs: missing, below a file, not a file or folder', () => {
    write('plain.ts');
    const fifo = path.join(root, 'pipe.ts');
    assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
    const r = discoverFiles([path.join(root, 'missing'), path.join(root, 'plain.ts', 'sub'), fifo, path.join(root, 'plain.ts')]);
    assert.deepEqual(rel(r.files), ['plain.ts']);
    assert.deepEqual(problems(r.problems), ['missing: no such file or directory', 'plain.ts/sub: not a directory', 'pipe.ts: not a file or folder']);
  });

  it('a FIFO inside a folder is not opened (the walk would block on it)', () => {
    const r = discoverFiles([root], { maxEntriesPerDir: 1000 });
    assert.ok(!r.files.some((f) => f.endsWith('pipe.ts')));
  });
});

describe('discoverFiles: containment (symbolic links never lead out of the folders given)', () => {
  let outside: string;
  before(() => {
    outside = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'failpath-outside-')));
    fs.writeFileSync(path.join(outside, 'lib.ts'), "export const o = fetch('https://o');\n");
    write('jail/src/app.ts');
    write('jail/other/shared.ts');
    fs.symlinkSync(outside, path.join(root, 'jail/src/vendor'));                       // a folder outside
    fs.symlinkSync('/', path.join(root, 'jail/src/sysroot'));                          // the whole disk
    fs.symlinkSync(path.join(outside, 'lib.ts'), path.join(root, 'jail/src/linked.ts')); // a file outside
    fs.symlinkSync('../other', path.join(root, 'jail/src/inside'));                    // a folder inside
    fs.symlinkSync('../other/shared.ts', path.join(root, 'jail/src/alias.ts'));        // a file inside
    fs.symlinkSync('..', path.join(root, 'jail/src/up'));                              // a loop, inside
    fs.symlinkSync(outside, path.join(root, 'jail/src/node_modules'));                 // left out anyway: no problem
    fs.writeFileSync(path.join(root, 'jail/.gitignore'), 'ignored-link\n');
    fs.symlinkSync(outside, path.join(root, 'jail/ignored-link'));                     // .gitignore'd: no problem
  });
  after(() => fs.rmSync(outside, { recursive: true, force: true }));

  it('a link out (folder or file) is reported once and skipped; links inside and loops still work', () => {
    const r = discoverFiles([path.join(root, 'jail')]);
    assert.deepEqual(rel(r.files), ['jail/other/shared.ts', 'jail/src/alias.ts', 'jail/src/app.ts']);
    const jail = path.join(root, 'jail');
    assert.deepEqual(problems(r.problems), [
      `jail/src/linked.ts: symbolic link to ${outside}/lib.ts points outside ${jail}`,
      `jail/src/sysroot: symbolic link to / points outside ${jail}`,
      `jail/src/vendor: symbolic link to ${outside} points outside ${jail}`,
    ]);
  });

  it('the folders given are the roots: a link from one into another is inside; a file named is taken as given', () => {
    const r = discoverFiles([path.join(root, 'jail/src'), outside, path.join(root, 'jail/src/linked.ts')]);
    // `outside` is walked once: through the link first (the same real folder is not walked twice)
    assert.deepEqual(rel(r.files), ['jail/src/app.ts', 'jail/src/linked.ts', 'jail/src/vendor/lib.ts']);
    // jail/other is outside jail/src: the two links into it are reported; up → jail is outside too
    assert.deepEqual(problems(r.problems), [
      `jail/src/alias.ts: symbolic link to ${root}/jail/other/shared.ts points outside ${root}/jail/src`,
      `jail/src/inside: symbolic link to ${root}/jail/other points outside ${root}/jail/src`,
      `jail/src/sysroot: symbolic link to / points outside ${root}/jail/src`,
      `jail/src/up: symbolic link to ${root}/jail points outside ${root}/jail/src`,
    ].sort());
  });
});

describe('Scanner: files that change between discovery and analysis', () => {
  it('a deleted file is an error result, not an exception; the others are analysed', () => {
    write('scan/a.ts');
    write('scan/b.ts');
    const { files } = discoverFiles([path.join(root, 'scan')]);
    fs.rmSync(files[0]);
    const scanner = new Scanner();
    const results = files.map((f) => scanner.scanFile(f)!);
    assert.deepEqual(results.map((r) => `${rel([r.file])[0]} ${r.error ?? r.findings.map((x) => x.ruleId).join(',')}`), [
      'scan/a.ts no longer exists (deleted or renamed during the scan)',
      'scan/b.ts missing-timeout',
    ]);
    assert.deepEqual(scanner.fixFile(files[0], [root]), { error: 'no longer exists (deleted or renamed during the scan)' });
  });

  it('a file replaced by a folder is skipped with the reason (not opened as a file)', () => {
    write('scan2/x.ts');
    const [file] = discoverFiles([path.join(root, 'scan2')]).files;
    fs.rmSync(file);
    fs.mkdirSync(file);
    const r = new Scanner().scanFile(file)!;
    assert.deepEqual([r.error, r.skipped], [undefined, 'not a regular file']);
  });

  it('describeFsError names the common codes', () => {
    const err = (code: string) => Object.assign(new Error(`${code}: x`), { code });
    assert.deepEqual(['ENOENT', 'ENOTDIR', 'EACCES', 'EPERM', 'ELOOP', 'EMFILE', 'EIO'].map((c) => describeFsError(err(c))), [
      'no longer exists (deleted or renamed during the scan)', 'is no longer a folder', 'permission denied', 'permission denied',
      'symbolic link loop', 'too many open files', 'EIO: x',
    ]);
  });
});
