/**
 * engine/git.ts compares the working tree with the base in process (git's diff would run the
 * repository's clean filters): on a benign repository it must answer what `git diff -M <base>`
 * plus the untracked files answer — committed, staged and unstaged edits, deletions, exact and
 * edited renames, symlinks, CRLF checked out by core.autocrlf, skip-worktree entries, files with a
 * clean filter, ignored files, a restriction to a folder — and read blobs as stored.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { blobId, changedFiles, findGit, gitEnv, readBlobs, refProblem, resolveBase, type ChangedFile } from '../../server/src/engine/git';

const ENV = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' };
let dir: string;

function git(cwd: string, ...args: string[]): string {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8', env: ENV });
  assert.equal(r.status, 0, `git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}
function write(rel: string, text: string | Buffer) {
  fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  fs.writeFileSync(path.join(dir, rel), text);
}
const lines = (n: number, tag: string) => Array.from({ length: n }, (_, i) => `export const ${tag}${i} = ${i}; // line ${i}\n`).join('');

/** git's own answer (safe here: the filter is ours): `git diff -M --name-status <base>` and the untracked files. */
function gitAnswer(cwd: string, base: string, under?: string): string[] {
  const spec = under ? ['--', under] : [];
  const diff = git(cwd, 'diff', '--name-status', '-M', '-z', base, ...spec).split('\0');
  const out: string[] = [];
  for (let i = 0; i < diff.length;) {
    const status = diff[i++];
    if (!status) continue;
    if (status.startsWith('R')) { const from = diff[i++]; out.push(`renamed ${diff[i++]} <- ${from}`); } else {
      out.push(`${status === 'A' ? 'added' : status === 'D' ? 'deleted' : 'modified'} ${diff[i++]}`);
    }
  }
  for (const p of git(cwd, 'ls-files', '--others', '--exclude-standard', '-z', ...spec).split('\0')) if (p) out.push(`added ${p}`);
  return out.sort((a, b) => (a.split(' ')[1] < b.split(' ')[1] ? -1 : 1));
}
const show = (root: string, files: ChangedFile[]) => files.map((c) => `${c.status} ${path.relative(root, c.file)}${c.oldFile ? ` <- ${path.relative(root, c.oldFile)}` : ''}`);

before(() => {
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'failpath-git-')));
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'config', 'core.autocrlf', 'true');
  // a benign clean filter (upper-cases), so that git's answer can be computed with it
  git(dir, 'config', 'filter.upper.clean', 'tr a-z A-Z');
  write('.gitattributes', '*.up filter=upper\n');
  write('.gitignore', '*.log\n');
  for (const f of ['keep', 'edit-committed', 'edit-staged', 'edit-unstaged', 'remove', 'remove-committed', 'move', 'sparse']) write(`src/${f}.ts`, lines(5, f.replace(/-/g, '_')));
  write('src/move-edit.ts', lines(20, 'moved'));
  write('src/crlf.ts', lines(5, 'crlf'));
  write('src/same.up', 'untouched since added\n');
  write('src/edited.up', 'edited later\n');
  write('other/outside.ts', lines(3, 'outside'));
  fs.symlinkSync('keep.ts', path.join(dir, 'src/link.ts'));
  git(dir, 'add', '.');
  git(dir, 'commit', '-q', '-m', 'base');
  git(dir, 'checkout', '-q', '-b', 'feature');
  // committed: an edit, a deletion, an exact rename
  fs.appendFileSync(path.join(dir, 'src/edit-committed.ts'), 'export const more = 1;\n');
  git(dir, 'rm', '-q', 'src/remove-committed.ts');
  git(dir, 'mv', 'src/move.ts', 'src/moved.ts');
  git(dir, 'commit', '-q', '-am', 'work');
  // staged: an edit, a new file, a rename with an edit
  fs.appendFileSync(path.join(dir, 'src/edit-staged.ts'), 'export const staged = 1;\n');
  write('src/new-staged.ts', 'export const s = 1;\n');
  fs.mkdirSync(path.join(dir, 'lib'));
  fs.renameSync(path.join(dir, 'src/move-edit.ts'), path.join(dir, 'lib/moved-edit.ts'));
  fs.appendFileSync(path.join(dir, 'lib/moved-edit.ts'), 'export const edited = true;\n');
  git(dir, 'add', '-A', 'src/edit-staged.ts', 'src/new-staged.ts', 'src/move-edit.ts', 'lib/moved-edit.ts');
  // unstaged: an edit, a deletion, a retargeted symlink, a file only touched, a CRLF checkout,
  // a skip-worktree entry gone from the disk, an edited filtered file; untracked and ignored files
  fs.appendFileSync(path.join(dir, 'src/edit-unstaged.ts'), 'export const unstaged = 1;\n');
  fs.rmSync(path.join(dir, 'src/remove.ts'));
  fs.rmSync(path.join(dir, 'src/link.ts'));
  fs.symlinkSync('edit-unstaged.ts', path.join(dir, 'src/link.ts'));
  const later = new Date(Date.now() + 5000);
  fs.utimesSync(path.join(dir, 'src/keep.ts'), later, later);
  write('src/crlf.ts', lines(5, 'crlf').replace(/\n/g, '\r\n'));
  git(dir, 'update-index', '--skip-worktree', 'src/sparse.ts');
  fs.rmSync(path.join(dir, 'src/sparse.ts'));
  write('src/edited.up', 'edited later, and again\n');
  write('src/untracked.ts', 'export const u = 1;\n');
  write('src/debug.log', 'ignored\n');
  write('other/new.ts', 'export const o = 1;\n');
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('changedFiles: the working tree compared in process', () => {
  it('answers what git diff -M and the untracked files answer', async () => {
    const base = (await resolveBase(dir, 'main')).commit;
    const ours = show(dir, await changedFiles(dir, base));
    assert.deepEqual(ours, gitAnswer(dir, base));
    assert.deepEqual(ours, [
      'renamed lib/moved-edit.ts <- src/move-edit.ts',
      'added other/new.ts',
      'modified src/edit-committed.ts',
      'modified src/edit-staged.ts',
      'modified src/edit-unstaged.ts',
      'modified src/edited.up',
      'modified src/link.ts',
      'renamed src/moved.ts <- src/move.ts',
      'added src/new-staged.ts',
      'deleted src/remove-committed.ts',
      'deleted src/remove.ts',
      'added src/untracked.ts',
    ]);
  });

  it('keeps to the folder it is given', async () => {
    const base = (await resolveBase(dir, 'main')).commit;
    const ours = show(dir, await changedFiles(dir, base, { under: path.join(dir, 'other') }));
    assert.deepEqual(ours, gitAnswer(dir, base, 'other'));
    assert.deepEqual(ours, ['added other/new.ts']);
  });

  it('carries the base blob of what changed, and reads blobs as stored (the filter is not applied)', async () => {
    const base = (await resolveBase(dir, 'main')).commit;
    const files = await changedFiles(dir, base);
    const edited = files.find((c) => c.file === path.join(dir, 'src/edited.up'))!;
    const renamed = files.find((c) => c.file === path.join(dir, 'lib/moved-edit.ts'))!;
    const blobs = await readBlobs(dir, [edited.baseBlob!, renamed.baseBlob!, 'not-an-id', '0'.repeat(40)]);
    assert.equal(blobs.get(edited.baseBlob!)!.toString(), 'EDITED LATER\n'); // cleaned when committed, not smudged back
    assert.equal(blobs.get(renamed.baseBlob!)!.toString(), lines(20, 'moved'));
    assert.equal(blobs.size, 2);
  });

  it('computes git\'s blob ids', () => {
    assert.equal(blobId(Buffer.from('hello\n')), 'ce013625030ba8dba906f756967f9e9ca394464a');
    assert.equal(blobId(Buffer.from('')), 'e69de29bb2d1d6434b8b29ae775ad8c2e48c5391');
  });
});

describe('the git it runs and the environment it runs in', () => {
  it('drops every inherited GIT_* variable and sets its own', () => {
    const env = gitEnv({ PATH: '/usr/bin', HOME: '/home/u', GIT_DIR: '/x/.git', GIT_WORK_TREE: '/x', GIT_INDEX_FILE: '/x/i', GIT_CONFIG_PARAMETERS: "'core.fsmonitor'='/x/evil'", GIT_CONFIG_COUNT: '1', git_exec_path: '/x', GIT_EXTERNAL_DIFF: '/x/evil' });
    assert.deepEqual(env, { PATH: '/usr/bin', HOME: '/home/u', GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0', GIT_LITERAL_PATHSPECS: '1', LC_ALL: 'C' });
  });

  it('finds git only in absolute PATH entries outside the folder and outside node_modules', () => {
    const bin = (d: string) => {
      fs.mkdirSync(path.join(dir, d), { recursive: true });
      fs.writeFileSync(path.join(dir, d, 'git'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
      return path.join(dir, d);
    };
    const elsewhere = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'failpath-gitbin-')));
    fs.mkdirSync(path.join(elsewhere, 'node_modules/.bin'), { recursive: true });
    fs.writeFileSync(path.join(elsewhere, 'node_modules/.bin/git'), '#!/bin/sh\n', { mode: 0o755 });
    fs.writeFileSync(path.join(elsewhere, 'git'), '#!/bin/sh\n', { mode: 0o755 });
    try {
      const PATH = ['.', '', 'bin', bin('tools'), path.join(elsewhere, 'node_modules/.bin'), elsewhere].join(path.delimiter);
      bin('bin');
      assert.equal(findGit(dir, { PATH }), path.join(elsewhere, 'git'));
      assert.equal(findGit(dir, { PATH: ['.', bin('tools')].join(path.delimiter) }), undefined);
    } finally {
      fs.rmSync(elsewhere, { recursive: true, force: true });
      fs.rmSync(path.join(dir, 'tools'), { recursive: true, force: true });
      fs.rmSync(path.join(dir, 'bin'), { recursive: true, force: true });
    }
  });

  it('refuses refs that git would read as options', () => {
    assert.deepEqual(['--output=/tmp/x', '-c core.pager=x', '--exec=x', '-', '', ' ', 'a\nb', 'main', 'origin/main', 'HEAD~2', 'v1.0'].map((r) => refProblem(r) ?? 'ok'), [
      'invalid base ref "--output=/tmp/x": a ref cannot start with "-"',
      'invalid base ref "-c core.pager=x": a ref cannot start with "-"',
      'invalid base ref "--exec=x": a ref cannot start with "-"',
      'invalid base ref "-": a ref cannot start with "-"',
      'the base ref is empty',
      'the base ref is empty',
      'invalid base ref "a\\nb": it contains control characters',
      'ok', 'ok', 'ok', 'ok',
    ]);
  });
});
