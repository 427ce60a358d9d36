/**
 * The little git the branch report needs, for the server and the CLI: the repository root, the
 * default branch, the merge base, the files changed since it (committed, staged, unstaged and
 * untracked) and a file's text at a commit. Runs `git` with execFile (no shell, arguments never
 * interpreted), never writes to the repository, and turns failures into GitError with git's own
 * message.
 */
import { execFile } from 'node:child_process';
import * as path from 'node:path';

export class GitError extends Error {}

export interface ChangedFile {
  /** Absolute path in the working tree (for deletions: where it was). */
  file: string;
  status: 'added' | 'modified' | 'deleted' | 'renamed';
  /** Absolute path before a rename. */
  oldFile?: string;
}

const MAX_BUFFER = 64 * 1024 * 1024;

export function git(cwd: string, args: readonly string[], options: { signal?: AbortSignal } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('git', [...args], {
      cwd, maxBuffer: MAX_BUFFER, signal: options.signal, encoding: 'utf8', windowsHide: true,
      // no pager, no prompts, no optional locks (a report must not contend with the user's git)
      env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0', LC_ALL: 'C', GIT_PAGER: 'cat' },
    }, (err, stdout, stderr) => {
      if (err) {
        const code = (err as NodeJS.ErrnoException).code;
        reject(new GitError(code === 'ENOENT' ? 'git is not installed (or not on PATH)' : (stderr || err.message).trim().split('\n')[0]));
      } else resolve(stdout);
    });
  });
}

/** The top folder of the work tree containing `dir`, or undefined outside a git repository. */
export async function repoRoot(dir: string, signal?: AbortSignal): Promise<string | undefined> {
  try {
    return path.resolve((await git(dir, ['rev-parse', '--show-toplevel'], { signal })).trim());
  } catch {
    return undefined;
  }
}

async function exists(root: string, ref: string, signal?: AbortSignal): Promise<boolean> {
  try {
    await git(root, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { signal });
    return true;
  } catch {
    return false;
  }
}

/** origin's HEAD (origin/main), else the first of origin/main, origin/master, main, master that exists. */
export async function defaultBranch(root: string, signal?: AbortSignal): Promise<string | undefined> {
  try {
    const ref = (await git(root, ['symbolic-ref', '--quiet', 'refs/remotes/origin/HEAD'], { signal })).trim();
    if (ref.startsWith('refs/remotes/')) return ref.slice('refs/remotes/'.length);
  } catch {
    // no origin/HEAD: guess
  }
  for (const candidate of ['origin/main', 'origin/master', 'main', 'master', 'origin/develop', 'develop']) {
    if (await exists(root, candidate, signal)) return candidate;
  }
  return undefined;
}

export interface BaseRevision {
  /** What the user named (or the default branch). */
  ref: string;
  /** The merge base of HEAD and `ref` (full hash). */
  commit: string;
}

/** The merge base of HEAD with `ref` (default: the default branch). */
export async function resolveBase(root: string, ref?: string, signal?: AbortSignal): Promise<BaseRevision> {
  const name = ref ?? await defaultBranch(root, signal);
  if (!name) throw new GitError('no default branch found (no origin/HEAD, main or master); name the base with --since <ref> or the failpath.readiness.baseBranch setting');
  if (!(await exists(root, name, signal))) throw new GitError(`unknown revision "${name}"`);
  let commit: string;
  try {
    commit = (await git(root, ['merge-base', 'HEAD', name], { signal })).trim();
  } catch (err) {
    throw new GitError(`no merge base between HEAD and ${name}: ${(err as Error).message}`);
  }
  return { ref: name, commit };
}

export async function currentBranch(root: string, signal?: AbortSignal): Promise<{ name?: string; commit?: string }> {
  try {
    const [name, commit] = await Promise.all([
      git(root, ['rev-parse', '--abbrev-ref', 'HEAD'], { signal }),
      git(root, ['rev-parse', 'HEAD'], { signal }),
    ]);
    const n = name.trim();
    return { name: n === 'HEAD' ? undefined : n, commit: commit.trim() };
  } catch {
    return {};
  }
}

/** Files that differ between `commit` and the working tree, plus untracked files (not ignored). */
export async function changedFiles(root: string, commit: string, signal?: AbortSignal): Promise<ChangedFile[]> {
  const [diff, untracked] = await Promise.all([
    git(root, ['diff', '--name-status', '-z', '-M', '--no-ext-diff', commit, '--'], { signal }),
    git(root, ['ls-files', '--others', '--exclude-standard', '-z'], { signal }),
  ]);
  const out: ChangedFile[] = [];
  const parts = diff.split('\0');
  for (let i = 0; i < parts.length;) {
    const status = parts[i++];
    if (!status) continue;
    const abs = (p: string) => path.join(root, p);
    if (status.startsWith('R') || status.startsWith('C')) {
      const from = parts[i++];
      const to = parts[i++];
      if (status.startsWith('R')) out.push({ file: abs(to), status: 'renamed', oldFile: abs(from) });
      else out.push({ file: abs(to), status: 'added' });
    } else {
      const p = parts[i++];
      out.push({ file: abs(p), status: status === 'A' ? 'added' : status === 'D' ? 'deleted' : 'modified' });
    }
  }
  for (const p of untracked.split('\0')) if (p) out.push({ file: path.join(root, p), status: 'added' });
  return out.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

/** The text of `file` (absolute, inside `root`) at `commit`, or undefined when it did not exist there. */
export async function showFile(root: string, commit: string, file: string, signal?: AbortSignal): Promise<string | undefined> {
  const rel = path.relative(root, file).split(path.sep).join('/');
  try {
    return await git(root, ['show', `${commit}:${rel}`], { signal });
  } catch {
    return undefined;
  }
}
