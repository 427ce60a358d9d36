/**
 * Where a project keeps its tests and which runner runs them: the input of "Generate failure
 * test". `detectRunner` and `testFileFor` are pure; `readTestLayout` is the one place here that
 * reads the disk (package.json as JSON, and a bounded walk for existing test file names; nothing
 * is executed), so that the server and the tests can share it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ProjectFacts } from '../project';
import { MAX_MANIFEST_BYTES, readWorkspaceFileOrThrow, containmentRoots } from '../readSource';
import { KNOWLEDGE, RUNNER, type RunnerId } from '../../knowledge';
import { isTestFileName } from '../../workspace/roles';

export type Runner = RunnerId;

export interface TestLayout {
  /** The project folder (where package.json is). */
  root: string;
  /** package.json `scripts`. */
  scripts: Readonly<Record<string, string>>;
  /** Existing test files, relative to root with `/` separators (bounded: the first 2000 found). */
  testFiles: readonly string[];
  /** package.json `type`. */
  moduleType: 'module' | 'commonjs';
  /** The lock file's package manager. */
  packageManager: 'npm' | 'pnpm' | 'yarn' | 'bun';
}

const SKIP_DIRS = new Set(['node_modules', 'dist', 'build', 'coverage', 'out', '.git', '.next', '.turbo', '.cache']);
const MAX_FILES = 2000;
const MAX_DIRS = 3000;

/** A file named the way the runner finds tests (workspace/roles.ts, the one classifier). */
export { isTestFileName };

/** Reads package.json scripts, the lock file and the names of existing test files under `root`. */
export function readTestLayout(root: string): TestLayout {
  // script names are the repository's keys: no prototype to find "constructor" on
  let scripts: Record<string, string> = Object.create(null);
  let moduleType: TestLayout['moduleType'] = 'commonjs';
  try {
    // size-checked, and not through a link out of the project folder (readSource.ts)
    const text = readWorkspaceFileOrThrow(path.join(root, 'package.json'), { maxBytes: MAX_MANIFEST_BYTES, roots: containmentRoots([root]) });
    const pkg = JSON.parse(text) as { scripts?: unknown; type?: unknown };
    if (pkg.type === 'module') moduleType = 'module';
    if (pkg.scripts && typeof pkg.scripts === 'object') {
      for (const [k, v] of Object.entries(pkg.scripts)) if (typeof v === 'string') scripts[k] = v;
    }
  } catch {
    scripts = Object.create(null);
  }
  const has = (f: string) => fs.existsSync(path.join(root, f));
  const packageManager = has('pnpm-lock.yaml') ? 'pnpm' : has('yarn.lock') ? 'yarn' : has('bun.lockb') || has('bun.lock') ? 'bun' : 'npm';
  const testFiles: string[] = [];
  const queue = [''];
  let dirs = 0;
  while (queue.length > 0 && testFiles.length < MAX_FILES && dirs++ < MAX_DIRS) {
    const rel = queue.shift()!;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(path.join(root, rel), { withFileTypes: true });
    } catch {
      continue;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const child = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name) && !e.name.startsWith('.')) queue.push(child);
      } else if (e.isFile() && isTestFileName(child)) testFiles.push(child);
    }
  }
  return { root, scripts, moduleType, testFiles, packageManager };
}

/** The project's test runner: a runner dependency (the one the test script names first when several), else node:test. */
export function detectRunner(project: ProjectFacts, layout: Pick<TestLayout, 'scripts'>): Runner {
  const candidates: Runner[] = KNOWLEDGE.runnersIn(project.dependencies);
  const script = layout.scripts.test ?? '';
  if (candidates.length > 1) {
    const named = candidates.find((r) => new RegExp(`\\b${r}\\b`).test(script));
    if (named) return named;
  }
  return candidates[0] ?? RUNNER.nodeTest;
}

/** The package manager's "add a dev dependency" command. */
export function installCommand(layout: Pick<TestLayout, 'packageManager'>, packages: readonly string[]): string {
  const list = packages.join(' ');
  switch (layout.packageManager) {
    case 'pnpm': return `pnpm add -D ${list}`;
    case 'yarn': return `yarn add -D ${list}`;
    case 'bun': return `bun add -d ${list}`;
    default: return `npm install --save-dev ${list}`;
  }
}

/**
 * Where the new test goes, relative to root: beside the source when the project keeps tests
 * beside their sources, else in the folder that holds most tests (mirroring the source's
 * folders below `src/`), else `test/`. The suffix (`.test`/`.spec`) follows the majority. A
 * name already taken gets `-2`, `-3`…
 */
export function testFileFor(layout: Pick<TestLayout, 'testFiles'>, sourceRel: string, slug: string): string {
  const name = testFileNamer(layout, sourceRel, slug);
  const taken = new Set(layout.testFiles);
  let n = 1;
  while (taken.has(name(n))) n++;
  return name(n);
}

/** The candidate names of the new test, relative to root: `name(1)` is the plain one, `name(n)` the `-n` variant. */
export function testFileNamer(layout: Pick<TestLayout, 'testFiles'>, sourceRel: string, slug: string): (n: number) => string {
  const src = sourceRel.split(path.sep).join('/');
  const ext = /\.[cm]?[jt]sx?$/.exec(src)?.[0].replace('x', '') ?? '.ts';
  const suffix = layout.testFiles.filter((f) => /\.spec\.[cm]?[jt]sx?$/.test(f)).length > layout.testFiles.length / 2 ? 'spec' : 'test';
  const srcDir = path.posix.dirname(src);
  const base = path.posix.basename(src).replace(/\.[cm]?[jt]sx?$/, '');
  let dir: string;
  const besideSources = layout.testFiles.filter((f) => !/^(tests?|__tests__|spec)\//.test(f) && !f.includes('/__tests__/')).length;
  if (layout.testFiles.length > 0 && besideSources > layout.testFiles.length / 2) dir = srcDir;
  else {
    const counts = new Map<string, number>();
    for (const f of layout.testFiles) {
      const top = f.split('/')[0];
      if (/^(tests?|__tests__|spec)$/.test(top)) counts.set(top, (counts.get(top) ?? 0) + 1);
    }
    const top = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0] ?? 'test';
    const below = srcDir === '.' ? '' : srcDir.replace(/^src(\/|$)/, '');
    // a top-level test folder with sub-folders mirrors the sources; a flat one stays flat
    const nested = layout.testFiles.some((f) => f.startsWith(`${top}/`) && f.split('/').length > 2);
    dir = nested && below ? `${top}/${below}` : top;
  }
  return (n) => `${dir === '.' ? '' : `${dir}/`}${base}.${slug}${n > 1 ? `-${n}` : ''}.failure.${suffix}${ext}`;
}
