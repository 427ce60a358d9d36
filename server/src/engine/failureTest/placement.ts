/**
 * Where "Generate failure test" may create its file: inside one of the allowed folders (the
 * workspace folders) after resolving every symbolic link on the way, and never over anything that
 * exists (a file, a folder, a link, a dangling link). The server sends the file as a CreateFile
 * that some clients (Neovim) honour by truncating what is there, so the name must be free on disk,
 * not just absent from the bounded walk of the test layout.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** How many numbered names (`-2`, `-3`…) are tried before giving up. */
export const MAX_NAME_TRIES = 100;

/** Whether anything is at `p` (lstat: a dangling link counts). An unreadable answer counts as taken. */
export function occupied(p: string): boolean {
  try {
    fs.lstatSync(p);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code !== 'ENOENT';
  }
}

export type Resolved = { ok: true; real: string; existing: string } | { ok: false; at: string; reason: string };

/**
 * `p` with every symbolic link resolved: the real path of its deepest existing ancestor (or of
 * itself) followed by the parts that do not exist yet. A dangling link, a loop or an unreadable
 * folder on the way cannot be resolved.
 */
export function resolveThroughLinks(p: string): Resolved {
  const abs = path.resolve(p);
  const missing: string[] = [];
  let existing = abs;
  for (;;) {
    if (occupied(existing)) break;
    const parent = path.dirname(existing);
    if (parent === existing) break;
    missing.unshift(path.basename(existing));
    existing = parent;
  }
  let real: string;
  try {
    real = fs.realpathSync.native(existing);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { ok: false, at: existing, reason: code === 'ENOENT' ? 'is a symbolic link to nothing' : code === 'ELOOP' ? 'is a symbolic link loop' : `cannot be resolved (${code ?? 'error'})` };
  }
  return { ok: true, real: path.join(real, ...missing), existing };
}

/** Whether `p` is `root` or below it (both already resolved). */
export function within(p: string, root: string): boolean {
  const rel = path.relative(root, p);
  return rel === '' || (!rel.startsWith(`..${path.sep}`) && rel !== '..' && !path.isAbsolute(rel));
}

/** The allowed root that holds `p` after resolving links on both sides, if any. */
export function allowedRootOf(p: string, allowedRoots: readonly string[]): string | undefined {
  const r = resolveThroughLinks(p);
  if (!r.ok) return undefined;
  for (const root of allowedRoots) {
    const rr = resolveThroughLinks(root);
    if (rr.ok && within(r.real, rr.real)) return root;
  }
  return undefined;
}

export type Placement = { ok: true; path: string } | { ok: false; reason: string };

/**
 * The first free name among `name(1)`, `name(2)`… (absolute paths in one folder) whose folder
 * resolves inside an allowed root, is a folder (or will be created as one), and that nothing
 * occupies (nor `alsoTaken`). `display` turns an absolute path into the words of a reason.
 */
export function placeTestFile(name: (n: number) => string, allowedRoots: readonly string[], display: (p: string) => string,
  alsoTaken: (p: string) => boolean = () => false): Placement {
  const first = name(1);
  const dir = path.dirname(first);
  const resolved = resolveThroughLinks(dir);
  if (!resolved.ok) return { ok: false, reason: `${display(resolved.at)} ${resolved.reason}.` };
  const roots = allowedRoots.map(resolveThroughLinks).filter((r): r is Extract<Resolved, { ok: true }> => r.ok);
  if (!roots.some((r) => within(resolved.real, r.real))) {
    const via = resolved.real !== path.resolve(dir) ? ` (through a symbolic link, it is ${resolved.real})` : '';
    return { ok: false, reason: `${display(dir)} is outside the workspace folder${via}.` };
  }
  // the deepest existing part must be a folder (a file named `test` cannot hold the test)
  try {
    if (!fs.statSync(resolved.existing).isDirectory()) return { ok: false, reason: `${display(resolved.existing)} is not a folder.` };
  } catch (err) {
    return { ok: false, reason: `${display(resolved.existing)} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'}).` };
  }
  for (let n = 1; n <= MAX_NAME_TRIES; n++) {
    const candidate = name(n);
    if (path.dirname(candidate) !== dir) return { ok: false, reason: `${display(candidate)} is not in ${display(dir)}.` };
    if (!alsoTaken(candidate) && !occupied(candidate)) return { ok: true, path: candidate };
  }
  return { ok: false, reason: `${display(first)} and its ${MAX_NAME_TRIES - 1} numbered variants already exist.` };
}
