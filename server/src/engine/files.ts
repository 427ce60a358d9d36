/**
 * Workspace file discovery for the CLI and the server's workspace scan: walks directories,
 * honours every .gitignore on the way (the `ignore` package implements git's rules), skips
 * dependency and build folders, minified bundles and declaration files, follows no symlink into a
 * loop, and reports unreadable entries instead of failing.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { scriptKindFor } from './analyze';

export const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'build', 'out', 'coverage', '.git', '.next', '.nuxt', '.output', '.turbo', '.cache', '.yarn', '.pnpm-store', 'bower_components', '.vscode-test', '.svelte-kit', 'storybook-static']);

export interface DiscoverResult {
  files: string[];
  /** Paths skipped because they could not be read, with the reason. */
  problems: { path: string; message: string }[];
}

export interface DiscoverOptions {
  /** Extra ignore predicate (e.g. .failpath.json `ignore` globs), given absolute paths. */
  isIgnored?: (absPath: string) => boolean;
  /** Stop after this many files (huge directories). */
  maxFiles?: number;
  signal?: AbortSignal;
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

  const walk = (dir: string, rules: { base: string; ig: Ignore }[]) => {
    if (options.signal?.aborted || files.size >= max) return;
    let real: string;
    try {
      real = fs.realpathSync(dir);
    } catch (err) {
      problems.push({ path: dir, message: (err as Error).message });
      return;
    }
    if (seenDirs.has(real)) return; // symlink loop or a second link to the same folder
    seenDirs.add(real);
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (err) {
      problems.push({ path: dir, message: (err as Error).message });
      return;
    }
    let here = rules;
    const gi = entries.find((e) => e.name === '.gitignore' && e.isFile());
    if (gi) {
      try {
        here = [...rules, { base: dir, ig: ignore().add(fs.readFileSync(path.join(dir, '.gitignore'), 'utf8')) }];
      } catch (err) {
        problems.push({ path: path.join(dir, '.gitignore'), message: (err as Error).message });
      }
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (files.size >= max) return;
      const p = path.join(dir, e.name);
      let isDir = e.isDirectory();
      let isFile = e.isFile();
      if (e.isSymbolicLink()) {
        try {
          const st = fs.statSync(p);
          isDir = st.isDirectory();
          isFile = st.isFile();
        } catch (err) {
          problems.push({ path: p, message: `broken link: ${(err as Error).message}` });
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
      problems.push({ path: input, message: (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (err as Error).message });
      continue;
    }
    // a folder named explicitly is scanned even if a .gitignore above it lists it: naming it is the intent
    if (st.isDirectory()) walk(abs, []);
    else if (st.isFile()) files.add(abs);
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
