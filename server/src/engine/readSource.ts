/**
 * The one way the engine, the CLI and the server read a file of the workspace by path (sources,
 * package.json, lockfiles, local modules, .failpath.json, .gitignore):
 *
 * - **Size-checked before it is read**: the file is `stat`ed, then opened (non-blocking) and
 *   `fstat`ed again, and refused without reading a byte when it is above the cap; the read stops
 *   at the cap even if the file grows meanwhile. A 3 GB sparse `.ts` costs nothing.
 * - **Regular files only**: a FIFO, socket, device or folder is refused, and never opened.
 * - **Contained**: with `roots` (the real paths of the folders being checked, or of the workspace
 *   folders, see containmentRoots), a file is read when its real path is inside a root. Outside
 *   them, only a file that is not itself a symbolic link, and that is either in a folder above a
 *   root by its path (the package.json of a monorepo above the folder, an existing and wanted
 *   behaviour, even with a link of the user's own such as macOS's /tmp → /private/tmp on the way)
 *   or reached with no link at all (a document opened outside the workspace). So a planted
 *   `package.json → /elsewhere/…`, `src/lib → /elsewhere` (then `src/lib/logger.ts`) or
 *   `src/lib → ../..` is refused, and a link that stays inside a root is followed.
 *
 * Outcomes are plain data: `text`, or `skipped` (a reason in words: too large, not a file, points
 * outside), or `error` (the file system's refusal, in words).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describeFsError } from './fsErrors';

/** Sources above this many bytes are skipped unread (bundles or generated data, not hand-written code). */
export const MAX_SOURCE_BYTES = 8 * 1024 * 1024;
/** package.json, .failpath.json, .gitignore: far above any real one, small enough to hold. */
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

export type ReadOutcome = { text: string } | { skipped: string } | { error: string };

export interface ReadOptions {
  /** Refuse (unread) files above this many bytes. */
  maxBytes: number;
  /** The folders reads must stay in (see containmentRoots); absent: no containment. */
  roots?: readonly string[];
}

/** Containment roots as loaders take them: fixed, or asked for on each read (workspace folders change). */
export type RootsSource = readonly string[] | (() => readonly string[] | undefined) | undefined;

export function rootsOf(source: RootsSource): readonly string[] | undefined {
  return typeof source === 'function' ? source() : source;
}

/** "8 MB", "200 KB": the cap in the words of a skip reason. */
export function formatBytes(n: number): string {
  const mb = n / (1024 * 1024);
  if (Number.isInteger(mb)) return `${mb} MB`;
  const kb = n / 1024;
  return Number.isInteger(kb) ? `${kb} KB` : `${n} bytes`;
}

export function tooLargeReason(maxBytes: number): string {
  return `file is larger than ${formatBytes(maxBytes)}`;
}

/** True when `p` is `root` or below it (both absolute, real paths). */
export function isInside(p: string, root: string): boolean {
  if (p === root) return true;
  return p.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
}

/**
 * The roots for `paths`: each one's real path and its absolute path as given (they differ when a
 * link is on the way, e.g. macOS's /tmp → /private/tmp; a real path can only fall inside the
 * latter when it has no link, so keeping both widens nothing).
 */
export function containmentRoots(paths: readonly string[]): string[] {
  const out = new Set<string>();
  for (const p of paths) {
    out.add(path.resolve(p));
    try {
      out.add(fs.realpathSync(p));
    } catch {
      // missing: its absolute path only
    }
  }
  return [...out];
}

/**
 * Why reading `file` would leave `roots` through a symbolic link, or no reason when it would not
 * (see the containment rule above). Throws what realpath and lstat throw.
 */
export function outsideReason(file: string, roots: readonly string[] | undefined): { real: string; reason?: string } {
  const real = fs.realpathSync(file);
  if (!roots || roots.some((r) => isInside(real, r))) return { real };
  const abs = path.resolve(file);
  if (!fs.lstatSync(file).isSymbolicLink()) {
    if (real === abs) return { real }; // no link on the way
    const dir = path.dirname(abs);
    // a folder above a root, named as such (not a link inside the root that leads up to it)
    if (roots.some((r) => isInside(r, dir))) return { real };
  }
  return { real, reason: `symbolic link to ${real} points outside ${roots.join(', ')}` };
}

const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0);

/** The bytes of a workspace file, checked as described above. */
export function readWorkspaceBytes(file: string, options: ReadOptions): { bytes: Buffer } | { skipped: string } | { error: string } {
  const { maxBytes, roots } = options;
  let target = file;
  let flags = OPEN_FLAGS;
  let fd: number;
  try {
    // stat first: a missing file costs one call, and a device or FIFO is never opened
    const st = fs.statSync(file);
    if (roots) {
      const o = outsideReason(file, roots);
      if (o.reason) return { skipped: o.reason };
      target = o.real; // read what was checked, and not through a link swapped in meanwhile
      flags |= fs.constants.O_NOFOLLOW ?? 0;
    }
    if (!st.isFile()) return { skipped: 'not a regular file' };
    if (st.size > maxBytes) return { skipped: tooLargeReason(maxBytes) };
    fd = fs.openSync(target, flags);
  } catch (err) {
    return { error: describeFsError(err) };
  }
  try {
    // again on what was opened (it may have been replaced since the stat)
    const st = fs.fstatSync(fd);
    if (!st.isFile()) return { skipped: 'not a regular file' };
    if (st.size > maxBytes) return { skipped: tooLargeReason(maxBytes) };
    return readOpenFile(fd, st.size, maxBytes);
  } catch (err) {
    return { error: describeFsError(err) };
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Reads an open regular file of (f)stat size `size` to its end, but at most `maxBytes` + 1 bytes:
 * a file that grew past the cap since it was stat'ed is refused too.
 */
export function readOpenFile(fd: number, size: number, maxBytes: number): { bytes: Buffer } | { skipped: string } {
  let buf = Buffer.allocUnsafe(Math.min(size, maxBytes) + 1);
  let n = 0;
  for (;;) {
    if (n === buf.length) {
      if (n > maxBytes) return { skipped: tooLargeReason(maxBytes) };
      const bigger = Buffer.allocUnsafe(Math.min(buf.length * 2, maxBytes + 1));
      buf.copy(bigger, 0, 0, n);
      buf = bigger;
    }
    const got = fs.readSync(fd, buf, n, buf.length - n, null);
    if (got === 0) break;
    n += got;
  }
  return { bytes: buf.subarray(0, n) };
}

/** The text (UTF-8) of a workspace file, checked as described above. */
export function readWorkspaceFile(file: string, options: ReadOptions): ReadOutcome {
  const r = readWorkspaceBytes(file, options);
  return 'bytes' in r ? { text: r.bytes.toString('utf8') } : r;
}

/** The text, or undefined for any refusal (callers that treat an unreadable file as absent). */
export function readWorkspaceText(file: string, options: ReadOptions): string | undefined {
  const r = readWorkspaceFile(file, options);
  return 'text' in r ? r.text : undefined;
}

/** The text, or an Error whose message is the refusal in words (callers that report it). */
export function readWorkspaceFileOrThrow(file: string, options: ReadOptions): string {
  const r = readWorkspaceFile(file, options);
  if ('text' in r) return r.text;
  throw new Error('error' in r ? r.error : r.skipped);
}
