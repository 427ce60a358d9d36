/**
 * The little git the branch report needs, for the server and the CLI: the repository root, the
 * default branch, the merge base, the files changed since it (committed, staged, unstaged and
 * untracked) and the text of blobs at the base. Never runs repository code and never writes to
 * the repository:
 *
 * - every command goes through `runGit`: an absolute git found on PATH (never a relative PATH
 *   entry, the folder it runs in or a node_modules/.bin), an environment without any inherited
 *   `GIT_*` variable (GIT_DIR, GIT_INDEX_FILE, GIT_CONFIG_PARAMETERS… cannot redirect it), and `-c`
 *   overrides that switch off what the repository's config could make git run (GIT_CONFIG below);
 * - it only uses commands that never convert working-tree files: `ls-tree` and `ls-files` list
 *   trees and the index, `cat-file --batch` reads blobs as stored. A `git diff` or `git status`
 *   against the working tree runs the repository's clean filters (`filter.<x>.clean/process` with
 *   a `.gitattributes` naming it), which `-c` cannot turn off, so the working tree is compared in
 *   process, the way git does it: a file whose stat is the one the index recorded has the index's
 *   blob (that is also how a file with a filter is compared without running the filter); any
 *   other file's blob id is computed here (`blob <size>\0<bytes>`); symlinks are never followed;
 * - refs that look like options (`-…`) are refused before git sees them; after that only full
 *   object ids reach a command line.
 *
 * Failures become GitError with a worded message (git's own first line, or ours).
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

export class GitError extends Error {}

export interface ChangedFile {
  /** Absolute path in the working tree (for deletions: where it was). */
  file: string;
  status: 'added' | 'modified' | 'deleted' | 'renamed';
  /** Absolute path before a rename. */
  oldFile?: string;
  /** The blob id of the base version (modified, deleted, renamed: of `oldFile`). */
  baseBlob?: string;
}

const MAX_BUFFER = 64 * 1024 * 1024;

/**
 * Config that would make the commands below run a program, set to nothing (command-line config
 * wins over the repository's, its includes and the user's). fsmonitor is the one the commands
 * Failpath runs would otherwise start (ls-files refreshes it); the others are
 * belt and braces for keys that only other commands read. Filters and textconv cannot be switched
 * off this way (`filter.<any name>`): Failpath never runs a command that applies them.
 */
export const GIT_CONFIG: readonly string[] = [
  'core.fsmonitor=false',
  'core.hooksPath=/dev/null',
  'core.pager=cat',
  'core.askPass=',
  'credential.helper=',
  'protocol.allow=never',
  'diff.external=',
];

/** The environment git runs with: the user's, minus every GIT_* variable, plus ours. */
export function gitEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(env)) if (!/^GIT_/i.test(key)) out[key] = value;
  return {
    ...out,
    GIT_TERMINAL_PROMPT: '0', // never ask for credentials
    GIT_OPTIONAL_LOCKS: '0', // a report must not contend with the user's git
    GIT_LITERAL_PATHSPECS: '1', // a folder name with * or : is a name
    LC_ALL: 'C', // messages we recognise (safe.directory)
  };
}

const WINDOWS = process.platform === 'win32';

/**
 * The git executable: the first `git` in an absolute PATH entry that is not inside `cwd` and not a
 * node_modules/.bin (`npm run` puts the project's there; a repository can ship one). Undefined
 * when there is none.
 */
export function findGit(cwd: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const pathValue = env.PATH ?? env.Path ?? '';
  for (const dir of pathValue.split(path.delimiter)) {
    if (!dir || !path.isAbsolute(dir)) continue;
    const rel = path.relative(cwd, dir);
    if (!rel || (!rel.startsWith('..') && !path.isAbsolute(rel))) continue;
    if (dir.split(/[\\/]/).includes('node_modules')) continue;
    const candidate = path.join(dir, WINDOWS ? 'git.exe' : 'git');
    try {
      if (fs.statSync(candidate).isFile()) {
        fs.accessSync(candidate, fs.constants.X_OK);
        return candidate;
      }
    } catch {
      // not here
    }
  }
  return undefined;
}

const DUBIOUS = /detected dubious ownership in repository at '(.*)'/;

/** git's stderr as one worded line. */
function gitMessage(stderr: string, fallback: string): string {
  const dubious = DUBIOUS.exec(stderr);
  if (dubious) {
    return `git refuses the repository at ${dubious[1]}: it is owned by another user (git's safe.directory check). ` +
      `Failpath does not override that check; if you trust this repository, run: git config --global --add safe.directory ${dubious[1]}`;
  }
  const line = stderr.split('\n').map((l) => l.trim()).find((l) => l) ?? fallback;
  return line.replace(/^(fatal|error): /, '');
}

/** The one place Failpath runs git: see the file comment. Resolves to stdout as bytes. */
export function runGit(cwd: string, args: readonly string[], options: { signal?: AbortSignal; input?: string; maxBuffer?: number } = {}): Promise<Buffer> {
  const exe = findGit(cwd);
  if (!exe) return Promise.reject(new GitError('git is not installed (or not on PATH)'));
  const argv = [...GIT_CONFIG.flatMap((c) => ['-c', c]), '--no-pager', ...args];
  return new Promise((resolve, reject) => {
    const child = execFile(exe, argv, {
      cwd, maxBuffer: options.maxBuffer ?? MAX_BUFFER, signal: options.signal, encoding: 'buffer', windowsHide: true, env: gitEnv(),
    }, (err, stdout, stderr) => {
      if (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'ABORT_ERR') reject(err);
        else reject(new GitError(code === 'ENOENT' ? 'git is not installed (or not on PATH)' : gitMessage(stderr.toString('utf8'), err.message)));
      } else resolve(stdout);
    });
    child.stdin?.on('error', () => undefined); // git may exit before reading all of it: the callback reports why
    child.stdin?.end(options.input ?? '');
  });
}

export async function git(cwd: string, args: readonly string[], options: { signal?: AbortSignal; input?: string } = {}): Promise<string> {
  return (await runGit(cwd, args, options)).toString('utf8');
}

/**
 * What is wrong with `ref` as a revision to hand to git, or undefined when nothing is: a ref that
 * starts with "-" would be read as an option.
 */
export function refProblem(ref: string): string | undefined {
  if (!ref.trim()) return 'the base ref is empty';
  if (ref.startsWith('-')) return `invalid base ref "${ref}": a ref cannot start with "-"`;
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f]/.test(ref)) return `invalid base ref ${JSON.stringify(ref)}: it contains control characters`;
  if (ref.length > 1000) return 'invalid base ref: longer than 1,000 characters';
  return undefined;
}

/** The top folder of the work tree containing `dir`, or undefined outside a git repository. */
export async function repoRoot(dir: string, signal?: AbortSignal): Promise<string | undefined> {
  try {
    return path.resolve((await git(dir, ['rev-parse', '--show-toplevel'], { signal })).trim());
  } catch (err) {
    // "not a git repository" is an answer; a refused repository or a missing git is worth saying
    if (err instanceof GitError && /not a git repository/i.test(err.message)) return undefined;
    throw err;
  }
}

async function commitOf(root: string, ref: string, signal?: AbortSignal): Promise<string | undefined> {
  try {
    const out = (await git(root, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { signal })).trim();
    return /^[0-9a-f]{40,64}$/.test(out) ? out : undefined;
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    return undefined;
  }
}

/** origin's HEAD (origin/main), else the first of origin/main, origin/master, main, master that exists. */
export async function defaultBranch(root: string, signal?: AbortSignal): Promise<string | undefined> {
  try {
    const ref = (await git(root, ['symbolic-ref', '--quiet', 'refs/remotes/origin/HEAD'], { signal })).trim();
    if (ref.startsWith('refs/remotes/') && !refProblem(ref.slice('refs/remotes/'.length))) return ref.slice('refs/remotes/'.length);
  } catch {
    // no origin/HEAD: guess
  }
  for (const candidate of ['origin/main', 'origin/master', 'main', 'master', 'origin/develop', 'develop']) {
    if (await commitOf(root, candidate, signal)) return candidate;
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
  if (ref !== undefined) {
    const problem = refProblem(ref);
    if (problem) throw new GitError(problem);
  }
  const name = ref ?? await defaultBranch(root, signal);
  if (!name) throw new GitError('no default branch found (no origin/HEAD, main or master); name the base with --since <ref> or the failpath.readiness.baseBranch setting');
  const target = await commitOf(root, name, signal);
  if (!target) throw new GitError(`unknown revision "${name}"`);
  let commit: string;
  try {
    commit = (await git(root, ['merge-base', 'HEAD', target], { signal })).trim();
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

// ---- the working tree, compared in process ---------------------------------------------------------

const GITLINK = '160000';

/** Git's id of a blob holding `bytes`. */
export function blobId(bytes: Buffer, algorithm: 'sha1' | 'sha256' = 'sha1'): string {
  return createHash(algorithm).update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

function withoutCr(bytes: Buffer): Buffer {
  return Buffer.from(bytes.toString('latin1').replace(/\r\n/g, '\n'), 'latin1');
}

interface WorktreeBlob {
  /** The blob id of the bytes as they are. */
  id: string;
  /** The blob id with CRLF turned into LF (what core.autocrlf / `text` store), when the file has CRLF. */
  lf?: string;
}

/** Blob ids of working-tree files, by path and stat (the readiness view asks every few seconds). */
const hashCache = new Map<string, { key: string; blob: WorktreeBlob }>();
const HASH_CACHE_MAX = 200_000;
/** Files up to this size are read whole (and checked for CRLF); larger ones are hashed in chunks. */
const WHOLE_FILE_MAX = 16 * 1024 * 1024;

/** What one comparison of the working tree shares: the repository's real path and which folders lead out of it. */
interface Worktree {
  repo: string;
  algorithm: 'sha1' | 'sha256';
  /** When the index file was written (racy entries are compared by content). */
  indexMtimeMs?: number;
  realRepo?: string;
  /** folder → whether its real path is inside the repository */
  dirs: Map<string, boolean>;
}

async function insideRepo(wt: Worktree, dir: string): Promise<boolean> {
  let inside = wt.dirs.get(dir);
  if (inside === undefined) {
    try {
      wt.realRepo ??= await fs.promises.realpath(wt.repo);
      const rel = path.relative(wt.realRepo, await fs.promises.realpath(dir));
      inside = !rel.startsWith('..') && !path.isAbsolute(rel);
    } catch {
      inside = false;
    }
    wt.dirs.set(dir, inside);
  }
  return inside;
}

/**
 * The blob id of a working-tree path as git would store it without filters, or undefined when
 * there is no file (missing, a folder, a FIFO or device, or a path under a symlinked folder that
 * leads out of the repository). Symlinks are hashed as their target text, never followed.
 */
async function worktreeBlob(wt: Worktree, rel: string, stat?: fs.Stats): Promise<WorktreeBlob | undefined> {
  const file = path.join(wt.repo, rel);
  const st = stat ?? lstatQuiet(file);
  if (!st || (!st.isFile() && !st.isSymbolicLink()) || !(await insideRepo(wt, path.dirname(file)))) return undefined;
  const { algorithm } = wt;
  const key = `${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}:${st.mode}:${algorithm}`;
  const hit = hashCache.get(file);
  if (hit && hit.key === key) return hit.blob;
  let blob: WorktreeBlob;
  try {
    if (st.isSymbolicLink()) {
      blob = { id: blobId(await fs.promises.readlink(file, { encoding: 'buffer' }), algorithm) };
    } else if (st.size <= WHOLE_FILE_MAX) {
      const bytes = await readNoFollow(file);
      blob = { id: blobId(bytes, algorithm) };
      if (bytes.includes('\r\n')) blob.lf = blobId(withoutCr(bytes), algorithm);
    } else {
      blob = { id: await hashLarge(file, algorithm) };
    }
  } catch {
    return undefined;
  }
  if (hashCache.size >= HASH_CACHE_MAX) hashCache.clear();
  hashCache.set(file, { key, blob });
  return blob;
}

/** lstat, or undefined when there is nothing there. Synchronous: several times faster than the promise form for thousands of files (the caller yields between batches). */
function lstatQuiet(file: string): fs.Stats | undefined {
  try {
    return fs.lstatSync(file, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

/** Opens without following a symlink swapped in after the lstat, and only regular files. */
async function openRegular(file: string): Promise<fs.promises.FileHandle> {
  const handle = await fs.promises.open(file, fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0) | (fs.constants.O_NONBLOCK ?? 0));
  const st = await handle.stat();
  if (!st.isFile()) {
    await handle.close();
    throw new Error('not a regular file');
  }
  return handle;
}

async function readNoFollow(file: string): Promise<Buffer> {
  const handle = await openRegular(file);
  try {
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

async function hashLarge(file: string, algorithm: 'sha1' | 'sha256'): Promise<string> {
  const handle = await openRegular(file);
  try {
    const size = (await handle.stat()).size;
    const hash = createHash(algorithm).update(`blob ${size}\0`);
    const chunk = Buffer.alloc(1024 * 1024);
    let done = 0;
    while (done < size) {
      const { bytesRead } = await handle.read(chunk, 0, Math.min(chunk.length, size - done), done);
      if (bytesRead === 0) throw new Error('file shrank while hashed');
      hash.update(chunk.subarray(0, bytesRead));
      done += bytesRead;
    }
    return hash.digest('hex');
  } finally {
    await handle.close();
  }
}

/** Splits NUL-terminated git output. */
function records(out: string): string[] {
  const parts = out.split('\0');
  if (parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/** A path git printed that is safe to join to the repository root (no "..", no absolute, no .git). */
function safeRel(rel: string): boolean {
  return !!rel && !UNSAFE_REL.test(rel);
}
/** An absolute path, an empty, "." or ".." segment, or a .git segment. */
const UNSAFE_REL = /^\/|(?:^|\/)(?:\.{0,2}|\.git)(?:\/|$)/i;

interface Entry { mode: string; id: string }

/** `ls-tree -r` of a commit: path → mode and blob id. */
async function treeEntries(repo: string, commit: string, pathspec: string[], signal?: AbortSignal): Promise<Map<string, Entry>> {
  const out = await git(repo, ['ls-tree', '-r', '-z', '--full-tree', commit, ...pathspec], { signal });
  const entries = new Map<string, Entry>();
  for (const rec of records(out)) {
    // "<mode> <type> <id>\t<path>"
    const tab = rec.indexOf('\t');
    const [mode, type, id] = rec.slice(0, tab).split(' ');
    const p = rec.slice(tab + 1);
    if (tab > 0 && type === 'blob' && safeRel(p)) entries.set(p, { mode, id });
  }
  return entries;
}

interface IndexEntry extends Entry {
  /** skip-worktree or assume-unchanged: git takes the index's version, so do we. */
  trustIndex: boolean;
  /** The stat data git recorded when it last saw the file (`ls-files --debug`), 32 bits of each. */
  stat?: RecordedStat;
}

/** Seconds and nanoseconds of ctime and mtime, inode and size, as git recorded them. */
interface RecordedStat { ctime: [number, number]; mtime: [number, number]; ino: number; size: number }

/** `ls-files -s -v --debug` (the index as written, no refresh): path → mode, blob id, flags and recorded stat. */
async function indexEntries(repo: string, pathspec: string[], signal?: AbortSignal): Promise<Map<string, IndexEntry>> {
  const out = await git(repo, ['ls-files', '-s', '-v', '--debug', '-z', ...pathspec], { signal });
  const entries = new Map<string, IndexEntry>();
  // "<tag> <mode> <id> <stage>\t<path>\0" then "  ctime: s:ns\n  mtime: s:ns\n  dev: d\tino: i\n  uid: u\tgid: g\n  size: n\tflags: x\n";
  // tag S = skip-worktree, lowercase = assume-unchanged
  const re = /(\S) (\d+) ([0-9a-f]+) (\d)\t([^\0]*)\0(?:  ctime: (\d+):(\d+)\n  mtime: (\d+):(\d+)\n  dev: \d+\tino: (\d+)\n  uid: \d+\tgid: \d+\n  size: (\d+)\tflags: [0-9a-f]+\n)?/gy;
  for (let m = re.exec(out); m; m = re.exec(out)) {
    if (!safeRel(m[5]) || entries.has(m[5])) continue;
    const n = (i: number) => Number(m![i]);
    entries.set(m[5], {
      mode: m[2], id: m[3], trustIndex: m[1] === 'S' || m[1] !== m[1].toUpperCase(),
      ...(m[6] !== undefined ? { stat: { ctime: [n(6), n(7)], mtime: [n(8), n(9)], ino: n(10), size: n(11) } } : {}),
    });
  }
  return entries;
}

const U32 = 2 ** 32;
/** A time in milliseconds (a double: sub-microsecond precision is lost) against git's seconds and nanoseconds. */
const sameTime = (ms: number, [sec, nsec]: [number, number]) => Math.floor(ms / 1000) % U32 === sec && (nsec === 0 || Math.abs((ms % 1000) * 1e6 - nsec) < 1000);

/**
 * git's own "unchanged since the index saw it" test: the same ctime, mtime, inode and size (the
 * index keeps 32 bits of each; nanoseconds are 0 when git was built without them). Racy entries
 * (modified no earlier than the index was written) are not trusted: their content is compared.
 */
function statUnchanged(st: fs.Stats, recorded: RecordedStat | undefined, indexMtimeMs: number | undefined): boolean {
  if (!recorded || indexMtimeMs === undefined) return false;
  const [sec, nsec] = recorded.mtime;
  if (sec * 1000 + nsec / 1e6 >= indexMtimeMs) return false;
  return sameTime(st.mtimeMs, recorded.mtime) && sameTime(st.ctimeMs, recorded.ctime) &&
    (recorded.ino === 0 || st.ino % U32 === recorded.ino) && st.size % U32 === recorded.size;
}

/** Runs `fn` over `items` with at most `limit` at a time. */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  }));
  return out;
}

/**
 * Files that differ between `commit` and the working tree (what `git diff <commit>` lists, with
 * renames), plus untracked files that are not ignored; only under `under` (default: the whole
 * repository). See the file comment for how the working tree is compared without git.
 */
export async function changedFiles(repo: string, commit: string, options: { under?: string; signal?: AbortSignal } = {}): Promise<ChangedFile[]> {
  const { signal } = options;
  const relUnder = options.under ? path.relative(repo, options.under).split(path.sep).join('/') : '';
  if (relUnder.startsWith('..') || path.isAbsolute(relUnder)) return [];
  const pathspec = relUnder ? ['--', relUnder] : [];
  const [base, index, untrackedOut, indexFile] = await Promise.all([
    treeEntries(repo, commit, pathspec, signal),
    indexEntries(repo, pathspec, signal),
    git(repo, ['ls-files', '--others', '--exclude-standard', '-z', ...pathspec], { signal }),
    git(repo, ['rev-parse', '--git-path', 'index'], { signal }),
  ]);
  const wt: Worktree = { repo, algorithm: commit.length === 64 ? 'sha256' : 'sha1', dirs: new Map() };
  try {
    wt.indexMtimeMs = (await fs.promises.stat(path.resolve(repo, indexFile.trim()))).mtimeMs;
  } catch {
    // no index file: every file is compared by content
  }
  const abs = (p: string) => path.join(repo, p);

  const modified: string[] = [];
  const added = new Map<string, string | undefined>(); // path → its blob id (for exact renames)
  const deleted = new Map<string, string>(); // path → base blob id
  // what each tracked path holds now: the index's blob when git says so (skip-worktree,
  // assume-unchanged) or when the file is untouched since git recorded its stat — git's own
  // shortcut, and the only way to compare a file with a filter without running it — else its bytes
  const tracked = [...index].filter(([, e]) => e.mode !== GITLINK);
  const now = new Map<string, WorktreeBlob>();
  const toRead: [string, fs.Stats][] = [];
  for (const [i, [p, e]] of tracked.entries()) {
    if (i % 256 === 255) {
      await new Promise(setImmediate); // a large repository must not hold the server's event loop
      signal?.throwIfAborted();
    }
    const st = e.trustIndex ? undefined : lstatQuiet(abs(p));
    if (e.trustIndex || (st && statUnchanged(st, e.stat, wt.indexMtimeMs))) now.set(p, { id: e.id });
    else if (st && (st.isFile() || st.isSymbolicLink())) toRead.push([p, st]);
  }
  const read = await mapLimit(toRead, 8, ([p, st]) => {
    signal?.throwIfAborted();
    return worktreeBlob(wt, p, st);
  });
  toRead.forEach(([p], i) => { if (read[i]) now.set(p, read[i]!); });
  for (const [p] of tracked) {
    const blob = now.get(p);
    const b = base.get(p);
    if (!blob) {
      if (b && b.mode !== GITLINK) deleted.set(p, b.id);
    } else if (!b || b.mode === GITLINK) {
      added.set(p, blob.id);
    } else if (blob.id !== b.id && blob.lf !== b.id) {
      // (a file with a clean filter, touched since git saw it, lands here even if the filter would
      // give back the same blob: telling would take running the filter)
      modified.push(p);
    }
  }
  for (const [p, b] of base) if (b.mode !== GITLINK && !index.has(p)) deleted.set(p, b.id);
  for (const p of records(untrackedOut)) if (safeRel(p) && !index.has(p)) added.set(p, undefined);

  const out: ChangedFile[] = [];
  for (const p of modified) out.push({ file: abs(p), status: 'modified', baseBlob: base.get(p)!.id });
  const renames = await detectRenames(wt, deleted, added, signal);
  for (const [to, from] of renames) {
    out.push({ file: abs(to), status: 'renamed', oldFile: abs(from), baseBlob: deleted.get(from) });
    added.delete(to);
    deleted.delete(from);
  }
  for (const p of added.keys()) out.push({ file: abs(p), status: 'added' });
  for (const [p, id] of deleted) out.push({ file: abs(p), status: 'deleted', baseBlob: id });
  return out.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

/** Inexact rename detection compares at most this many pairs (git's diff.renameLimit is similar in spirit). */
const RENAME_PAIRS_MAX = 10_000;
/** Files larger than this are only matched exactly. */
const RENAME_SIZE_MAX = 1024 * 1024;
/** git's default: a rename when at least half of the content is the same. */
const RENAME_SCORE_MIN = 0.5;

/**
 * Pairs of (new path → old path): first identical content (the blob ids), then, like `git diff -M`,
 * the most similar pairs with at least 50 % of their bytes in common lines.
 */
async function detectRenames(wt: Worktree, deleted: Map<string, string>, added: Map<string, string | undefined>, signal?: AbortSignal): Promise<Map<string, string>> {
  const { repo } = wt;
  const renames = new Map<string, string>();
  if (!deleted.size || !added.size) return renames;
  const byId = new Map<string, string[]>();
  for (const [p, id] of deleted) byId.set(id, [...(byId.get(id) ?? []), p]);
  const used = new Set<string>();
  for (const [p, known] of added) {
    const id = known ?? (await worktreeBlob(wt, p))?.id;
    const from = id ? byId.get(id)?.find((d) => !used.has(d)) : undefined;
    if (from) {
      renames.set(p, from);
      used.add(from);
    }
  }
  const sources = [...deleted].filter(([p]) => !used.has(p));
  const targets = [...added.keys()].filter((p) => !renames.has(p));
  if (!sources.length || !targets.length || sources.length * targets.length > RENAME_PAIRS_MAX) return renames;
  const texts = await readBlobs(repo, sources.map(([, id]) => id), { maxSize: RENAME_SIZE_MAX, signal });
  const src = sources.map(([p, id]) => ({ p, bytes: texts.get(id) })).filter((s): s is { p: string; bytes: Buffer } => !!s.bytes);
  const dst: { p: string; bytes: Buffer }[] = [];
  for (const p of targets) {
    const file = path.join(repo, p);
    try {
      const st = await fs.promises.lstat(file);
      if (st.isFile() && st.size <= RENAME_SIZE_MAX && await insideRepo(wt, path.dirname(file))) dst.push({ p, bytes: await readNoFollow(file) });
    } catch {
      // gone since: not a rename target
    }
  }
  const lines = new Map<Buffer, Map<string, number>>();
  const linesOf = (b: Buffer) => {
    let m = lines.get(b);
    if (!m) lines.set(b, m = lineCounts(b));
    return m;
  };
  const scored: { score: number; from: string; to: string }[] = [];
  for (const s of src) {
    for (const d of dst) {
      const max = Math.max(s.bytes.length, d.bytes.length);
      if (!max || Math.min(s.bytes.length, d.bytes.length) < max * RENAME_SCORE_MIN) continue;
      const score = common(linesOf(s.bytes), linesOf(d.bytes)) / max;
      if (score >= RENAME_SCORE_MIN) scored.push({ score, from: s.p, to: d.p });
    }
  }
  scored.sort((a, b) => b.score - a.score || (a.to < b.to ? -1 : 1));
  for (const { from, to } of scored) {
    if (used.has(from) || renames.has(to)) continue;
    renames.set(to, from);
    used.add(from);
  }
  return renames;
}

function lineCounts(bytes: Buffer): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of bytes.toString('latin1').split(/(?<=\n)/)) counts.set(line, (counts.get(line) ?? 0) + 1);
  return counts;
}

/** Bytes of `a`'s lines also in `b` (each line counted as often as both have it). */
function common(a: Map<string, number>, b: Map<string, number>): number {
  let bytes = 0;
  for (const [line, n] of a) {
    const m = b.get(line);
    if (m) bytes += Math.min(n, m) * line.length;
  }
  return bytes;
}

/**
 * The content of blobs as stored (no filter, no textconv), by id, through `cat-file --batch`;
 * blobs larger than `maxSize` and ids that are not blobs are left out.
 */
export async function readBlobs(repo: string, ids: readonly string[], options: { maxSize?: number; signal?: AbortSignal } = {}): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  const wanted = [...new Set(ids.filter((id) => /^[0-9a-f]{40,64}$/.test(id)))];
  if (!wanted.length) return out;
  const maxSize = options.maxSize ?? Infinity;
  const check = (await git(repo, ['cat-file', '--batch-check'], { signal: options.signal, input: wanted.map((id) => `${id}\n`).join('') })).split('\n');
  const sized: { id: string; size: number }[] = [];
  for (const line of check) {
    const m = /^([0-9a-f]+) blob (\d+)$/.exec(line);
    if (m && Number(m[2]) <= maxSize) sized.push({ id: m[1], size: Number(m[2]) });
  }
  // in groups of at most MAX_BUFFER bytes
  for (let i = 0; i < sized.length;) {
    const group: typeof sized = [];
    let total = 0;
    while (i < sized.length && (group.length === 0 || total + sized[i].size + 128 <= MAX_BUFFER)) {
      total += sized[i].size + 128;
      group.push(sized[i++]);
    }
    const bytes = await runGit(repo, ['cat-file', '--batch'], { signal: options.signal, input: group.map((g) => `${g.id}\n`).join(''), maxBuffer: Math.max(MAX_BUFFER, total + 1024) });
    // "<id> blob <size>\n<content>\n" per id, in order
    for (let at = 0; at < bytes.length;) {
      const nl = bytes.indexOf(0x0a, at);
      if (nl < 0) break;
      const m = /^([0-9a-f]+) blob (\d+)$/.exec(bytes.subarray(at, nl).toString('latin1'));
      if (!m) break;
      const size = Number(m[2]);
      out.set(m[1], bytes.subarray(nl + 1, nl + 1 + size));
      at = nl + 1 + size + 1;
    }
  }
  return out;
}
