/**
 * The sidebar's data and the branch report, from the workspace index: the engine's readiness
 * report (engine/readiness/checklist.ts), computed once per index version (ReadinessCache, shared
 * with the code lenses), turned into the wire shapes of shared/protocol.ts —
 * file URIs, LSP ranges, labels already formatted so the client shows them as they are and
 * knows no rule.
 */
import * as path from 'node:path';
import { buildReadiness, relativeTo, type ChecklistAnswer, type FeatureReadiness } from '../engine/readiness/checklist';
import { describeRoutes, type ProjectIndex } from '../engine/readiness/projectIndex';
import { changesSince, createBranchReport } from '../engine/readiness/branch';
import { renderBranchMarkdown } from '../engine/readiness/report';
import {
  UNTRUSTED_GIT_MESSAGE, type BranchReportResult, type ReadinessFeature, type ReadinessItem, type ReadinessResult, type WireRange,
} from '../../../shared/protocol';
import type { WorkspaceIndex } from './workspace';
import { fileUri } from './convert';

function range(line: number, column: number, endLine = line, endColumn = column): WireRange {
  return { start: { line: line - 1, character: column - 1 }, end: { line: endLine - 1, character: endColumn - 1 } };
}

function toItem(root: string, a: ChecklistAnswer): ReadinessItem {
  return {
    id: a.item,
    question: a.question,
    status: a.status,
    why: a.why,
    findings: a.findings.map((f) => {
      const reachedFrom = describeRoutes(f.routes);
      return {
        label: `${f.ruleId}: ${relativeTo(root, f.file)}:${f.line}`,
        message: f.message,
        severity: f.severity,
        uri: fileUri(f.file),
        range: range(f.line, f.column, f.endLine, f.endColumn),
        reachedFrom,
      };
    }),
    evidence: a.evidence.map((e) => ({
      label: `${e.detail} — ${relativeTo(root, e.file)}:${e.line}`,
      uri: fileUri(e.file),
      range: range(e.line, e.column),
    })),
  };
}

export function toFeature(root: string, f: FeatureReadiness, changed?: ReadonlySet<string>): ReadinessFeature {
  return {
    name: f.name,
    root,
    owner: f.owner,
    source: f.source,
    score: f.score,
    files: f.files.length,
    routes: f.routes.map((r) => ({ label: `${r.method} ${r.path}`, uri: fileUri(r.file), line: r.line - 1 })),
    flags: f.flags,
    items: f.items.map((a) => toItem(root, a)),
    ...(changed ? { changed: f.files.some((x) => changed.has(x)) } : {}),
  };
}

/** Changed files per folder, cached briefly (the tree asks again on every edit). */
export class ChangedFilesCache {
  private readonly cache = new Map<string, { at: number; files?: Set<string>; error?: string }>();

  constructor(private readonly ttlMs = 5000) {}

  async get(root: string, base: string | undefined): Promise<{ files?: Set<string>; error?: string }> {
    const key = `${root}\0${base ?? ''}`;
    const hit = this.cache.get(key);
    if (hit && Date.now() - hit.at < this.ttlMs) return hit;
    let value: { at: number; files?: Set<string>; error?: string };
    try {
      const c = await changesSince(root, base);
      value = { at: Date.now(), files: new Set(c.changed.map((x) => x.file)) };
    } catch (err) {
      value = { at: Date.now(), error: (err as Error).message };
    }
    this.cache.set(key, value);
    return value;
  }

  clear(): void {
    this.cache.clear();
  }
}

/** Feature readiness per index, recomputed when the workspace index changes. */
export class ReadinessCache {
  private cached?: { version: number; byIndex: Map<ProjectIndex, { features: FeatureReadiness[]; featureOf: Map<string, FeatureReadiness> }> };

  constructor(private readonly workspace: WorkspaceIndex) {}

  forIndex(index: ProjectIndex): { features: FeatureReadiness[]; featureOf: Map<string, FeatureReadiness> } {
    if (!this.cached || this.cached.version !== this.workspace.version) this.cached = { version: this.workspace.version, byIndex: new Map() };
    let hit = this.cached.byIndex.get(index);
    if (!hit) {
      const features = buildReadiness(index, this.workspace.configuredFeatures(index)).features;
      const featureOf = new Map<string, FeatureReadiness>();
      for (const f of features) for (const file of f.files) featureOf.set(file, f);
      hit = { features, featureOf };
      this.cached.byIndex.set(index, hit);
    }
    return hit;
  }
}

/**
 * The sidebar's data: the engine's readiness of each folder (shared with the lenses through `cache`) on the wire.
 * `onlyChanged` needs git: in an untrusted workspace (`trusted: false`) all features are shown with a notice.
 */
export async function readinessResult(workspace: WorkspaceIndex, options: { onlyChanged?: boolean; base?: string; trusted?: boolean; changedFiles: ChangedFilesCache; cache: ReadinessCache }): Promise<ReadinessResult> {
  const features: ReadinessFeature[] = [];
  const notices: string[] = [];
  const useGit = options.onlyChanged && options.trusted !== false;
  if (options.onlyChanged && !useGit) notices.push(UNTRUSTED_GIT_MESSAGE);
  for (const index of workspace.all()) {
    let restrict: Set<string> | undefined;
    if (useGit) {
      const c = await options.changedFiles.get(index.root, options.base);
      if (c.files) restrict = c.files;
      else notices.push(`${path.basename(index.root)}: ${c.error}`);
    }
    const folderFeatures = restrict ? buildReadiness(index, workspace.configuredFeatures(index), restrict).features : options.cache.forIndex(index).features;
    for (const f of folderFeatures) features.push(toFeature(index.root, f, restrict));
  }
  const failing = features.reduce((n, f) => n + f.items.filter((i) => i.status === 'fail').length, 0);
  return {
    state: workspace.state,
    scanned: workspace.scanned,
    total: workspace.total,
    features,
    failing,
    ...(notices.length ? { notice: `Showing all features: ${notices.join('; ')}` } : {}),
  };
}

export async function branchReport(workspace: WorkspaceIndex, index: ProjectIndex, options: { base?: string; headText(file: string): string | undefined }): Promise<BranchReportResult> {
  await workspace.whenScanned();
  const report = await createBranchReport({
    index,
    configured: workspace.configuredFeatures(index),
    since: options.base,
    analyze: (file, text) => workspace.analyzeAs(file, text),
    headText: options.headText,
  });
  return { markdown: renderBranchMarkdown(report), report };
}
