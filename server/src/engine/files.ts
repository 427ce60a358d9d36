/**
 * Workspace file discovery for the CLI and the server's workspace scan: walks directories,
 * honours every .gitignore on the way (the `ignore` package implements git's rules), skips
 * dependency and build folders, minified bundles and declaration files, follows no symlink into a
 * loop, and reports instead of failing: unreadable entries, broken links, entries deleted or
 * renamed while the walk runs, folders with more than `maxEntriesPerDir` entries (generated or
 * data folders) are each skipped with a problem, and the walk goes on; `maxFiles` bounds the walk.
 * Contained: the real paths of the inputs are the roots, and a symbolic link (to a folder or a
 * file) whose real path is outside every root is reported once and not followed (`src/sysroot → /`
 * used to walk the whole disk). A file named as an input is taken as given.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { scriptKindFor } from './ast';
import { boundGitignore } from './glob';
import { describeFsError } from './fsErrors';
import { isInside, MAX_MANIFEST_BYTES, readWorkspaceFile } from './readSource';

export { describeFsError };

export const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'build', 'out', 'coverage', '.git', '.next', '.nuxt', '.output', '.turbo', '.cache', '.yarn', '.pnpm-store', 'bower_components', '.vscode-test', '.svelte-kit', 'storybook-static']);

export interface DiscoverResult {
  files: string[];
  /** Paths skipped because they could not be read, with the reason. */
  problems: { path: string; message: string }[];
}

export interface DiscoverOptions {
  /** Extra ignore predicate (e.g. .failpath.json `ignore` globs), given absolute paths. */
  isIgnored?: (absPath: string) => boolean;
  /** Stop after this many files. */
  maxFiles?: number;
  /** Skip folders with more entries than this (default 50,000; reported as a problem). */
  maxEntriesPerDir?: number;
  signal?: AbortSignal;
}

export const MAX_ENTRIES_PER_DIR = 50_000;

/** The entries of a folder, or undefined when it has more than `max` (read no further than that). */
function readEntries(dir: string, max: number): fs.Dirent[] | undefined {
  const handle = fs.opendirSync(dir);
  try {
    const entries: fs.Dirent[] = [];
    for (let e = handle.readSync(); e; e = handle.readSync()) {
      if (entries.length >= max) return undefined;
      entries.push(e);
    }
    return entries;
  } finally {
    handle.closeSync();
  }
}

export function isSourceFile(name: string): boolean {
  if (name.endsWith('.min.js') || name.endsWith('.bundle.js')) return false;
  return scriptKindFor(name) !== undefined;
}

/** Discovers analysable files under each path (files are taken as given), sorted. */
export function discoverFiles(paths: readonly string[], options: DiscoverOptions = {}): DiscoverResult {
  const files = new Set<string>();
  const problems: DiscoverResult['problems'] = [];
  const seenDirs = new Set<string>();
  const max = options.maxFiles ?? Infinity;
  const maxEntries = options.maxEntriesPerDir ?? MAX_ENTRIES_PER_DIR;
  // the caller says how it handles the limit (the workspace index warns that it stopped)
  const full = (): boolean => files.size >= max;

  // containment: the real paths of the inputs; a link whose target is outside every one is
  // reported once and skipped (`src/vendor → /elsewhere`, `src/sysroot → /`)
  const roots: string[] = [];
  /** The real path of `p` when it is inside the roots; otherwise the problem is recorded. */
  const contained = (p: string, root: string): string | undefined => {
    let real: string;
    try {
      real = fs.realpathSync(p);
    } catch (err) {
      problems.push({ path: p, message: describeFsError(err) });
      return undefined;
    }
    if (roots.some((r) => isInside(real, r))) return real;
    problems.push({ path: p, message: `symbolic link to ${real} points outside ${root}` });
    return undefined;
  };

  const walk = (dir: string, rules: { base: string; ig: Ignore }[], root: string) => {
    if (options.signal?.aborted || full()) return;
    const real = contained(dir, root);
    if (real === undefined) return;
    if (seenDirs.has(real)) return; // symlink loop or a second link to the same folder
    seenDirs.add(real);
    let entries: fs.Dirent[] | undefined;
    try {
      entries = readEntries(dir, maxEntries);
    } catch (err) {
      problems.push({ path: dir, message: describeFsError(err) });
      return;
    }
    if (!entries) {
      problems.push({ path: dir, message: `more than ${maxEntries} entries; skipped (a generated or data folder? list it in .gitignore or .failpath.json "ignore")` });
      return;
    }
    let here = rules;
    const gi = entries.find((e) => e.name === '.gitignore' && e.isFile());
    if (gi) {
      const read = readWorkspaceFile(path.join(dir, '.gitignore'), { maxBytes: MAX_MANIFEST_BYTES });
      if ('text' in read) {
        const bounded = boundGitignore(read.text);
        if (bounded.problem) problems.push({ path: path.join(dir, '.gitignore'), message: bounded.problem });
        here = [...rules, { base: dir, ig: ignore().add(bounded.text) }];
      } else problems.push({ path: path.join(dir, '.gitignore'), message: 'error' in read ? read.error : read.skipped });
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (full()) return;
      const p = path.join(dir, e.name);
      let isDir = e.isDirectory();
      let isFile = e.isFile();
      if (e.isSymbolicLink()) {
        try {
          const st = fs.statSync(p);
          isDir = st.isDirectory();
          isFile = st.isFile();
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code;
          problems.push({ path: p, message: code === 'ENOENT' ? 'broken symbolic link' : describeFsError(err) });
          continue;
        }
      }
      if (isDir && SKIPPED_DIRS.has(e.name)) continue;
      if (ignoredBy(here, p, isDir)) continue;
      if (options.isIgnored?.(p)) continue;
      if (isDir) walk(p, here, root);
      else if (isFile && isSourceFile(e.name)) {
        if (e.isSymbolicLink() && contained(p, root) === undefined) continue;
        files.add(p);
      }
    }
  };

  const inputs: { input: string; abs: string; st: fs.Stats }[] = [];
  for (const input of paths) {
    const abs = path.resolve(input);
    let st: fs.Stats;
    try {
      st = fs.statSync(abs);
      roots.push(fs.realpathSync(abs));
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      problems.push({ path: input, message: code === 'ENOENT' ? 'no such file or directory' : code === 'ENOTDIR' ? 'not a directory' : describeFsError(err) });
      continue;
    }
    inputs.push({ input, abs, st });
  }
  for (const { input, abs, st } of inputs) {
    // a folder named explicitly is scanned even if a .gitignore above it lists it: naming it is the
    // intent; a file named explicitly is taken as given (even through a link)
    if (st.isDirectory()) walk(abs, [], abs);
    else if (st.isFile()) files.add(abs);
    else problems.push({ path: input, message: 'not a file or folder' });
  }
  return { files: [...files].sort(), problems };
}

function ignoredBy(rules: readonly { base: string; ig: Ignore }[], p: string, isDir: boolean): boolean {
  for (const { base, ig } of rules) {
    const rel = path.relative(base, p).split(path.sep).join('/');
    if (!rel || rel.startsWith('..')) continue;
    if (ig.ignores(isDir ? `${rel}/` : rel)) return true;
  }
  return false;
}
