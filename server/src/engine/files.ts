/**
 * Workspace file discovery for the CLI and the server's workspace scan: walks directories,
 * honours every .gitignore on the way (the `ignore` package implements git's rules), skips
 * dependency and build folders, minified bundles and declaration files, follows no symlink into a
 * loop, and reports instead of failing: unreadable entries, broken links, entries deleted or
 * renamed while the walk runs, folders with more than `maxEntriesPerDir` entries (generated or
 * data folders) are each skipped with a problem, and the walk goes on; `maxFiles` bounds the walk.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { scriptKindFor } from './analyze';
import { boundGitignore } from './glob';

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

/** Why an entry could not be read, in words (the error code is kept for anything unusual). */
export function describeFsError(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  switch (e?.code) {
    case 'ENOENT': return 'no longer exists (deleted or renamed during the scan)';
    case 'ENOTDIR': return 'is no longer a folder';
    case 'EACCES':
    case 'EPERM': return 'permission denied';
    case 'ELOOP': return 'symbolic link loop';
    case 'EMFILE':
    case 'ENFILE': return 'too many open files';
    default: return e instanceof Error ? e.message : String(err);
  }
}

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

  const walk = (dir: string, rules: { base: string; ig: Ignore }[]) => {
    if (options.signal?.aborted || full()) return;
    let real: string;
    try {
      real = fs.realpathSync(dir);
    } catch (err) {
      problems.push({ path: dir, message: describeFsError(err) });
      return;
    }
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
      try {
        const bounded = boundGitignore(fs.readFileSync(path.join(dir, '.gitignore'), 'utf8'));
        if (bounded.problem) problems.push({ path: path.join(dir, '.gitignore'), message: bounded.problem });
        here = [...rules, { base: dir, ig: ignore().add(bounded.text) }];
      } catch (err) {
        problems.push({ path: path.join(dir, '.gitignore'), message: describeFsError(err) });
      }
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
      if (isDir) walk(p, here);
      else if (isFile && isSourceFile(e.name)) files.add(p);
    }
  };

  for (const input of paths) {
    const abs = path.resolve(input);
    let st: fs.Stats;
    try {
      st = fs.statSync(abs);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      problems.push({ path: input, message: code === 'ENOENT' ? 'no such file or directory' : code === 'ENOTDIR' ? 'not a directory' : describeFsError(err) });
      continue;
    }
    // a folder named explicitly is scanned even if a .gitignore above it lists it: naming it is the intent
    if (st.isDirectory()) walk(abs, []);
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
