/**
 * Gathers what the branch report needs, for the server and the CLI alike: the merge base with the
 * default branch (or a named ref), the files changed since it under the project root, and the
 * merge-base version of each changed source file (its blob, read with `git cat-file --batch`)
 * analysed in memory the same way the working tree was. report.ts turns it into the report.
 * engine/git.ts runs git without running repository code.
 */
import * as path from 'node:path';
import { changedFiles, currentBranch, GitError, readBlobs, refProblem, repoRoot, resolveBase, type BaseRevision, type ChangedFile } from '../git';
import { isSourceFile } from '../files';
import { MAX_SOURCE_BYTES, readWorkspaceText, containmentRoots } from '../readSource';
import type { IndexedFile, ProjectIndex } from './projectIndex';
import type { FeatureConfig } from './features';
import { buildBranchReport, type BranchReport } from './report';

export interface BranchReportOptions {
  /** The working tree's project index; its root is the project root. */
  index: ProjectIndex;
  configured?: Record<string, FeatureConfig>;
  /** Base ref (default: the default branch); the report compares with its merge base. */
  since?: string;
  /** Analyses a text as `file` the way the index entries were made (config, project facts). */
  analyze(file: string, text: string): IndexedFile | undefined;
  /** The text the index entry of `file` came from (an open editor's text); default: the file on disk. */
  headText?(file: string): string | undefined;
  signal?: AbortSignal;
}

function inside(root: string, file: string): boolean {
  const rel = path.relative(root, file);
  return !!rel && !rel.startsWith('..') && !path.isAbsolute(rel);
}

export interface BranchChanges {
  repo: string;
  base: BaseRevision;
  head: { name?: string; commit?: string };
  /** Changed files under the project root. */
  changed: ChangedFile[];
}

/** The files changed under `root` since the merge base with `since` (default: the default branch). */
export async function changesSince(root: string, since?: string, signal?: AbortSignal): Promise<BranchChanges> {
  const problem = since === undefined ? undefined : refProblem(since);
  if (problem) throw new GitError(problem); // before any git runs
  const repo = await repoRoot(root, signal);
  if (!repo) throw new GitError(`${root} is not inside a git repository`);
  const [base, head] = await Promise.all([resolveBase(repo, since, signal), currentBranch(repo, signal)]);
  const all = await changedFiles(repo, base.commit, { under: root, signal });
  const changed = all.filter((c) => inside(root, c.file) || (c.oldFile !== undefined && inside(root, c.oldFile)));
  return { repo, base, head, changed };
}

export async function createBranchReport(options: BranchReportOptions): Promise<BranchReport> {
  const { index, signal } = options;
  const { repo, base, head, changed } = await changesSince(index.root, options.since, signal);
  const headTexts = new Map<string, string>();
  const baseVersions = new Map<string, { text: string; entry: IndexedFile }>();
  const sources = changed.filter((c) => isSourceFile(path.basename(c.file)));
  // the working-tree text, size-checked and never through a link out of the project (readSource.ts)
  const roots = containmentRoots([index.root]);
  const readText = (file: string) => readWorkspaceText(file, { maxBytes: MAX_SOURCE_BYTES, roots });
  for (const c of sources) {
    if (c.status === 'deleted' || !index.get(c.file)) continue;
    const text = options.headText?.(c.file) ?? readText(c.file);
    if (text !== undefined) headTexts.set(c.file, text);
  }
  // base blobs get the same size cap as working-tree files
  const blobs = await readBlobs(repo, sources.flatMap((c) => (c.status !== 'added' && c.baseBlob ? [c.baseBlob] : [])), { maxSize: MAX_SOURCE_BYTES, signal });
  for (const c of sources) {
    const blob = c.status !== 'added' && c.baseBlob ? blobs.get(c.baseBlob) : undefined;
    if (!blob) continue;
    const text = blob.toString('utf8');
    const entry = options.analyze(c.file, text);
    if (entry) baseVersions.set(c.file, { text, entry });
  }
  signal?.throwIfAborted();
  return buildBranchReport({ index, configured: options.configured, base, head, changed, headTexts, baseVersions });
}
