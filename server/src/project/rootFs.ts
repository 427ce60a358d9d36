/**
 * The project model's view of the disk: everything under one project root, and nothing outside it.
 *
 * - A path is seen only when it is inside the root by its path AND its real path is inside the
 *   root's real path: a `node_modules/x -> /elsewhere` link or a `src/lib -> ../..` link leading
 *   out is treated as absent (and remembered in `refused`), never read.
 * - Real paths are given back in the root's own spelling (the root as the caller named it, even
 *   when that name has a link on the way, e.g. macOS's /tmp → /private/tmp), so a file reached
 *   through a link inside the root and the same file listed by the walk have one name.
 * - Texts are read through readSource (size-checked before reading, regular files only).
 * - Existence and real paths are cached until `clear()`: module resolution asks about the same
 *   folders thousands of times. Modification times are never cached (config invalidation).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MAX_MANIFEST_BYTES, isInside, readWorkspaceFile, type ReadOutcome } from '../engine/readSource';

export interface Entry {
  kind: 'file' | 'dir';
  /** The real path, spelled under the root as given. */
  real: string;
}

export class RootFs {
  readonly root: string;
  readonly realRoot: string;
  /** Paths inside the root by name whose real path leads out of it (seen, never read). */
  readonly refused = new Set<string>();
  private readonly entries = new Map<string, Entry | null>();

  constructor(root: string) {
    this.root = path.resolve(root);
    let real = this.root;
    try {
      real = fs.realpathSync.native(this.root);
    } catch {
      // a missing root: nothing will be found under it
    }
    this.realRoot = real;
  }

  /** True when `p` is the root or below it by its path (nothing is looked up). */
  inside(p: string): boolean {
    return isInside(normal(p), this.root);
  }

  /** The root-relative path of `p` with `/` separators ('' for the root). */
  relative(p: string): string {
    return path.relative(this.root, p).split(path.sep).join('/');
  }

  /** What `p` is, when it exists inside the root by its path and by its real path. */
  entry(p: string): Entry | undefined {
    const abs = normal(p);
    return memoized(this.entries, abs, () => this.lookup(abs));
  }

  private lookup(abs: string): Entry | undefined {
    if (!isInside(abs, this.root)) return undefined;
    let st: fs.Stats | undefined;
    try {
      st = fs.statSync(abs, { throwIfNoEntry: false });
    } catch {
      return undefined; // permission denied, a loop: not there for us
    }
    if (!st || !(st.isFile() || st.isDirectory())) return undefined;
    let real: string;
    try {
      real = fs.realpathSync.native(abs);
    } catch {
      return undefined;
    }
    if (!isInside(real, this.realRoot)) {
      this.refused.add(abs);
      return undefined;
    }
    const rel = path.relative(this.realRoot, real);
    return { kind: st.isFile() ? 'file' : 'dir', real: rel ? path.join(this.root, rel) : this.root };
  }

  isFile(p: string): boolean {
    return this.entry(p)?.kind === 'file';
  }

  isDirectory(p: string): boolean {
    return this.entry(p)?.kind === 'dir';
  }

  /** The real path of an existing entry (in the root's spelling), else undefined. */
  realpath(p: string): string | undefined {
    return this.entry(p)?.real;
  }

  /** Modification time of a file inside the root, read now (never cached). */
  mtimeMs(p: string): number | undefined {
    if (!this.inside(p)) return undefined;
    try {
      return fs.statSync(p, { throwIfNoEntry: false })?.mtimeMs;
    } catch {
      return undefined;
    }
  }

  /** The text of a file inside the root (size-checked; refused outside the root). */
  read(p: string, maxBytes = MAX_MANIFEST_BYTES): ReadOutcome {
    const abs = path.resolve(p);
    if (!isInside(abs, this.root)) return { skipped: 'outside the project root' };
    if (!this.isFile(abs)) {
      return this.refused.has(abs) ? { skipped: 'symbolic link points outside the project root' } : { error: 'not found' };
    }
    return readWorkspaceFile(abs, { maxBytes, roots: [this.realRoot] });
  }

  readText(p: string, maxBytes = MAX_MANIFEST_BYTES): string | undefined {
    const r = this.read(p, maxBytes);
    return 'text' in r ? r.text : undefined;
  }

  /**
   * The names of the files and folders in `dir` (links resolved and contained), or undefined
   * when it is not a folder inside the root or has more than `max` entries.
   */
  list(dir: string, max = 10_000): { files: string[]; dirs: string[] } | undefined {
    if (!this.isDirectory(dir)) return undefined;
    let names: fs.Dirent[];
    try {
      names = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return undefined;
    }
    if (names.length > max) return undefined;
    const files: string[] = [];
    const dirs: string[] = [];
    for (const d of names) {
      const kind = d.isFile() ? 'file' : d.isDirectory() ? 'dir' : d.isSymbolicLink() ? this.entry(path.join(dir, d.name))?.kind : undefined;
      if (kind === 'file') files.push(d.name);
      else if (kind === 'dir') dirs.push(d.name);
    }
    return { files: files.sort(), dirs: dirs.sort() };
  }

  /** Forget what was seen (files were added, removed or moved). */
  clear(): void {
    this.entries.clear();
    this.refused.clear();
  }
}

/** JSON text to a value, or the parse error in words (package.json, lerna.json: strict JSON). */
export function parseJson(text: string): { value: unknown } | { error: string } {
  try {
    return { value: JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text) as unknown };
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  }
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `map`'s answer for `key`, computed once (an undefined answer is kept as null). */
export function memoized<V>(map: Map<string, V | null>, key: string, compute: () => V | undefined): V | undefined {
  const hit = map.get(key);
  if (hit !== undefined) return hit ?? undefined;
  const value = compute();
  map.set(key, value ?? null);
  return value;
}

/**
 * `p` as an absolute, normalised path: as is when it already is one (TypeScript's hosts are asked
 * about such paths hundreds of thousands of times), else path.resolve(p).
 */
export function normal(p: string): string {
  if (path.sep === '/' && p.startsWith('/') && !p.endsWith('/') && !p.includes('//') && !p.includes('/./') && !p.includes('/../') && !p.endsWith('/.') && !p.endsWith('/..')) return p;
  return path.resolve(p);
}
