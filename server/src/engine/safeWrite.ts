/**
 * Reading and replacing source files for `failpath fix`, safely on repositories we did not write.
 *
 * Reading (`readSourceForFix`): the path is resolved with realpath and must stay inside the folders
 * being fixed (a symlinked source is read and written through to its real file only then); the
 * file is opened without following a last-moment link and without blocking on a FIFO, must be a
 * regular file of at most MAX_SOURCE_BYTES bytes, and is read as bytes. Its identity (device, inode,
 * link count, size, mtime, mode, owner) is kept with the bytes.
 *
 * Deciding (`fixRefusal`): fix leaves a file alone, with a reason, when its bytes are not valid
 * UTF-8 (re-encoding would replace them), when it has several hard links (replacing it would
 * split them), when it is read-only or this user cannot write it (root passes access checks, so
 * the owner's write bit is checked too), or when replacing it would change its owner or group.
 *
 * Writing (`replaceSource`): the new bytes go to a temporary file created next to the target with
 * O_CREAT|O_EXCL|O_NOFOLLOW and a random name (a planted file or link at that name makes the
 * creation fail, and another name is tried), given the target's owner, group and mode, fsync'd;
 * just before the rename the target is read again and compared, by identity and by bytes, with
 * what was analysed: a file changed meanwhile is not written. Any failure removes the temporary
 * file and comes back as a reason; nothing throws.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { isUtf8 } from 'node:buffer';
import { describeFsError } from './fsErrors';
import { isInside, MAX_SOURCE_BYTES, readOpenFile, tooLargeReason } from './readSource';

/** A source file as `fix` read it: the bytes and the identity of the file they came from. */
export interface SourceForFix {
  /** The path as discovered (shown in messages). */
  file: string;
  /** The real file that was read and that is replaced (differs from `file` behind a symlink). */
  target: string;
  bytes: Buffer;
  /** The bytes decoded as UTF-8 (leniently when they are not UTF-8: enough to analyse, not to write). */
  text: string;
  utf8: boolean;
  stat: fs.BigIntStats;
}

const { O_RDONLY, O_WRONLY, O_CREAT, O_EXCL, O_NOFOLLOW, O_NONBLOCK } = fs.constants;
/** Open flags that never follow a symlink and never wait on a FIFO (O_NONBLOCK is a no-op on regular files). */
const READ_FLAGS = O_RDONLY | (O_NOFOLLOW ?? 0) | (O_NONBLOCK ?? 0);
const CREATE_FLAGS = O_CREAT | O_EXCL | O_WRONLY | (O_NOFOLLOW ?? 0);
const TEMP_ATTEMPTS = 8;

/**
 * The folders `fix` may write in: each folder named on the command line, or the folder of each
 * file named, resolved with realpath. Paths that do not resolve are left out (discovery reports them).
 */
export function fixRoots(inputs: readonly string[], cwd: string): string[] {
  const roots: string[] = [];
  for (const input of inputs) {
    const abs = path.resolve(cwd, input);
    try {
      roots.push(fs.realpathSync(fs.statSync(abs).isDirectory() ? abs : path.dirname(abs)));
    } catch {
      // missing or unreadable: nothing under it is fixed
    }
  }
  return roots;
}

/** Reads a file for `fix`: its bytes and identity, or the reason it is left alone. */
export function readSourceForFix(file: string, roots: readonly string[]): SourceForFix | { error: string } {
  let target: string;
  try {
    target = fs.realpathSync(file);
  } catch (err) {
    return { error: describeFsError(err) };
  }
  if (!roots.some((r) => isInside(target, r))) {
    const link = (() => { try { return fs.lstatSync(file).isSymbolicLink(); } catch { return false; } })();
    return { error: `${link ? 'is a symbolic link to' : 'resolves to'} ${target}, outside the folders being fixed; fix leaves it untouched` };
  }
  const read = readIdentified(target);
  if ('error' in read) return read;
  const utf8 = isUtf8(read.bytes);
  return { file, target, bytes: read.bytes, text: read.bytes.toString('utf8'), utf8, stat: read.stat };
}

/** The bytes and identity of the regular file at `target` (no link followed), at most MAX_SOURCE_BYTES bytes. */
function readIdentified(target: string): { bytes: Buffer; stat: fs.BigIntStats } | { error: string } {
  let fd: number;
  try {
    fd = fs.openSync(target, READ_FLAGS);
  } catch (err) {
    return { error: (err as NodeJS.ErrnoException).code === 'ELOOP' ? 'became a symbolic link while failpath was reading it' : describeFsError(err) };
  }
  try {
    const stat = fs.fstatSync(fd, { bigint: true });
    if (!stat.isFile()) return { error: 'is not a regular file' };
    if (stat.size > BigInt(MAX_SOURCE_BYTES)) return { error: tooLargeReason(MAX_SOURCE_BYTES) };
    const read = readOpenFile(fd, Number(stat.size), MAX_SOURCE_BYTES);
    return 'bytes' in read ? { bytes: read.bytes, stat } : { error: read.skipped };
  } catch (err) {
    return { error: describeFsError(err) };
  } finally {
    fs.closeSync(fd);
  }
}

/** Why `fix` must not replace this file, or undefined when it may. The same answer for --dry-run and a real run. */
export function fixRefusal(source: SourceForFix): string | undefined {
  const { stat } = source;
  if (!source.utf8) return 'not valid UTF-8; fix leaves it untouched';
  if (stat.nlink > 1n) return `has ${stat.nlink} hard links; fix leaves it untouched (replacing it would split them)`;
  if ((stat.mode & 0o200n) === 0n) return 'is read-only; fix leaves it untouched';
  try {
    fs.accessSync(source.target, fs.constants.W_OK);
  } catch {
    return 'is not writable by this user; fix leaves it untouched';
  }
  // root can give the new file any owner; another user only its own uid and its groups
  const uid = process.geteuid?.();
  if (uid === undefined || uid === 0) return undefined;
  if (stat.uid !== BigInt(uid)) return `is owned by another user (uid ${stat.uid}); fix would make it yours, so it leaves it untouched`;
  const groups = new Set([process.getegid?.(), ...(process.getgroups?.() ?? [])]);
  if (!groups.has(Number(stat.gid))) return `belongs to a group this user is not in (gid ${stat.gid}); fix would change it, so it leaves it untouched`;
  return undefined;
}

export interface ReplaceOptions {
  /** Called after the temporary file is written and before the target is compared (tests make a "save" here). */
  beforeCompare?: () => void;
  /** The temporary file's name (tests plant links at the names it will give). */
  tempName?: (base: string) => string;
}

function randomTempName(base: string): string {
  return `.${base}.failpath-${randomBytes(8).toString('hex')}.tmp`;
}

/**
 * Replaces `source.target` with `text`, keeping its owner, group and mode, when `fix` may and the
 * file is still what was read; undefined when written, else why not (the file is then untouched
 * and no temporary file is left).
 */
export function replaceSource(source: SourceForFix, text: string, options: ReplaceOptions = {}): string | undefined {
  const refusal = fixRefusal(source);
  if (refusal) return refusal;
  const { target, stat } = source;
  const dir = path.dirname(target);
  const name = options.tempName ?? randomTempName;
  let tmp: string | undefined;
  try {
    let fd: number | undefined;
    for (let attempt = 0; fd === undefined; attempt++) {
      const candidate = path.join(dir, name(path.basename(target)));
      try {
        fd = fs.openSync(candidate, CREATE_FLAGS, 0o600);
        tmp = candidate;
      } catch (err) {
        // something is already there (planted, or a collision): never touch it, try another name
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        if (attempt + 1 >= TEMP_ATTEMPTS) return `could not create a temporary file next to it (${TEMP_ATTEMPTS} names tried were all taken); left untouched`;
      }
    }
    try {
      const bytes = Buffer.from(text, 'utf8');
      for (let off = 0; off < bytes.length;) off += fs.writeSync(fd, bytes, off, bytes.length - off);
      const created = fs.fstatSync(fd);
      // chown before chmod: chown clears the set-id bits
      if (BigInt(created.uid) !== stat.uid || BigInt(created.gid) !== stat.gid) fs.fchownSync(fd, Number(stat.uid), Number(stat.gid));
      fs.fchmodSync(fd, Number(stat.mode & 0o7777n));
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    options.beforeCompare?.();
    const changed = changedSince(source);
    if (changed) {
      fs.rmSync(tmp!, { force: true });
      return changed;
    }
    fs.renameSync(tmp!, target);
    tmp = undefined;
    syncDir(dir);
    return undefined;
  } catch (err) {
    if (tmp) fs.rmSync(tmp, { force: true });
    return `could not write it (${describeFsError(err)}); left untouched`;
  }
}

/** Why the target is no longer what was read (another identity, other bytes), or undefined when it is the same. */
function changedSince(source: SourceForFix): string | undefined {
  const now = readIdentified(source.target);
  if ('error' in now) return `${now.error}; not written`;
  const a = source.stat;
  const b = now.stat;
  const same = a.dev === b.dev && a.ino === b.ino && a.nlink === b.nlink && a.size === b.size && a.mtimeNs === b.mtimeNs
    && a.mode === b.mode && a.uid === b.uid && a.gid === b.gid && now.bytes.equals(source.bytes);
  return same ? undefined : 'changed while failpath was fixing it; not written';
}

/** Makes the rename durable (best effort: not every platform can fsync a folder). */
function syncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, O_RDONLY);
    fs.fsyncSync(fd);
  } catch {
    // the rename is done; durability of the folder entry is all that is not guaranteed
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
