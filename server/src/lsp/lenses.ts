/**
 * Code lenses and the route navigation requests, from the workspace index:
 *   - above a route registration: the route's own checklist — what the code it reaches is exposed
 *     to ("GET /orders/:id · ✖ recover: missing-timeout · ⚠ monitor: unstructured-log"), or that
 *     no failure path was found there;
 *   - above a function that routes reach: "reached from POST /orders, GET /orders/:id · orders 3/5 ready".
 * Lenses are listed cheaply (positions and the reaching routes, from the file's summary) and
 * resolved lazily (codeLens/resolve): the feature readiness behind the title is computed once per
 * index version and shared by every lens.
 */
import type { CodeLens } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { statusOfFindings } from '../engine/readiness/checklist';
import { describeRoutes, type IndexedFinding } from '../engine/readiness/projectIndex';
import type { ChecklistItem } from '../engine/types';
import { ReadinessCommands, type LensData, type RouteListItem, type WhoReachesResult } from '../../../shared/protocol';
import { fileUri, fsPathOf } from './convert';
import type { ReadinessCache } from './readiness';
import type { WorkspaceIndex } from './workspace';

const ITEM_ORDER: ChecklistItem[] = ['recover', 'understand', 'scale', 'monitor', 'disable'];

/** The unresolved lenses of a document whose index entry is of its current text. */
export function codeLenses(doc: TextDocument, workspace: WorkspaceIndex): CodeLens[] {
  const file = fsPathOf(doc.uri);
  const index = file ? workspace.indexFor(file) : undefined;
  const entry = file && index?.get(file);
  if (!file || !index || !entry) return [];
  const lenses: CodeLens[] = [];
  const at = (offset: number) => {
    const p = doc.positionAt(offset);
    return { start: { line: p.line, character: 0 }, end: { line: p.line, character: 0 } };
  };
  entry.summary.routes.forEach((r, i) => {
    const data: LensData = { uri: doc.uri, kind: 'route', index: i, version: workspace.version };
    lenses.push({ range: at(r.start), data });
  });
  const handlers = new Set(entry.summary.routes.map((r) => r.handlerFn));
  entry.summary.functions.forEach((fn, i) => {
    // inline route handlers have the route's lens; nested callbacks are part of their function
    if (handlers.has(i) || fn.name.startsWith('<')) return;
    if (entry.summary.functions.some((o, j) => j !== i && o.start < fn.start && fn.end <= o.end)) return;
    if (index.routesReaching(file, fn.start, 1).length === 0) return;
    const data: LensData = { uri: doc.uri, kind: 'function', index: i, version: workspace.version };
    lenses.push({ range: at(fn.start), data });
  });
  return lenses;
}

/** Fills in a lens's title and command. */
export function resolveLens(lens: CodeLens, workspace: WorkspaceIndex, cache: ReadinessCache): CodeLens {
  const data = lens.data as LensData | undefined;
  const file = data && typeof data.uri === 'string' ? fsPathOf(data.uri) : undefined;
  const index = file ? workspace.indexFor(file) : undefined;
  const entry = file && index?.get(file);
  const stale = (): CodeLens => ({ ...lens, command: { title: 'Failpath: refreshing…', command: '' } });
  if (!file || !index || !entry || typeof data!.index !== 'number') return stale();
  const { featureOf } = cache.forIndex(index);
  const feature = featureOf.get(file);
  const reveal = (title: string) => ({ title, command: ReadinessCommands.revealFeature, arguments: feature ? [feature.name, index.root] : [] });

  if (data!.kind === 'route') {
    const route = entry.summary.routes[data!.index];
    if (!route) return stale();
    const handler = route.handlerFn >= 0 ? route.handlerFn : -1;
    const reached = handler >= 0 ? index.findingsReachedFrom(file, handler) : [];
    // a finding on the registration itself (missing-idempotency, missing-rate-limit on app.post)
    for (const f of entry.findings) {
      if (f.start >= route.start && f.start < route.end && !reached.some((r) => r.file === file && r.finding === f)) reached.push({ file, finding: f });
    }
    return { ...lens, command: reveal(routeTitle(`${route.method} ${route.path}`, reached.map((r) => r.finding))) };
  }
  const fn = entry.summary.functions[data!.index];
  if (!fn) return stale();
  const routes = index.routesReaching(file, fn.start);
  const parts = [routes.length ? describeRoutes(routes) : 'no route reaches it'];
  if (feature) parts.push(`${feature.name} ${feature.score}/5 ready`);
  return { ...lens, command: reveal(parts.join(' · ')) };
}

/** "GET /orders/:id · ✖ recover: missing-timeout · ⚠ monitor: unstructured-log" */
export function routeTitle(route: string, findings: readonly IndexedFinding[]): string {
  if (findings.length === 0) return `${route} · no failure path found in the code it reaches`;
  const byItem = new Map<ChecklistItem, IndexedFinding[]>();
  for (const f of findings) byItem.set(f.checklist, [...(byItem.get(f.checklist) ?? []), f]);
  const parts = ITEM_ORDER.filter((i) => byItem.has(i)).map((item) => {
    const list = byItem.get(item)!;
    const icon = statusOfFindings(list) === 'fail' ? '✖' : '⚠';
    return `${icon} ${item}: ${[...new Set(list.map((f) => f.ruleId))].join(', ')}`;
  });
  return [route, ...parts].join(' · ');
}

export function routeList(workspace: WorkspaceIndex, cache: ReadinessCache): RouteListItem[] {
  const out: RouteListItem[] = [];
  for (const index of workspace.all()) {
    const { featureOf } = cache.forIndex(index);
    for (const r of index.routes()) {
      out.push({ label: `${r.method} ${r.path}`, method: r.method, path: r.path, uri: fileUri(r.file), line: r.line - 1, feature: featureOf.get(r.file)?.name ?? '' });
    }
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.method < b.method ? -1 : a.method > b.method ? 1 : 0));
}

export function whoReaches(workspace: WorkspaceIndex, file: string, offset: number): WhoReachesResult {
  const index = workspace.indexFor(file);
  const at = index?.functionAt(file, offset);
  if (!index || !at) return { routes: [] };
  return {
    function: at.fn.name,
    routes: index.callChainsTo(file, offset).map(({ route, chain }) => ({
      label: `${route.method} ${route.path}`,
      uri: fileUri(route.file),
      line: route.line - 1,
      chain: chain.map((c) => ({ name: c.name, uri: fileUri(c.file), line: c.line - 1 })),
    })),
  };
}
