/**
 * The branch report ("Failpath: Readiness Report for This Branch", `failpath report`): the files
 * a branch changes since its merge base, the features they touch, each feature's checklist (and
 * how the branch moved it), the findings the branch introduces versus those that were already
 * there, the ones it fixes, and the routes it adds with what they reach. Pure: the caller hands
 * in the project index of the working tree and the analysed merge-base versions of the changed
 * files (engine/readiness/branch.ts does the git and the reading). Rendered as markdown for a PR
 * description (every piece of file content escaped or put in a code span) or as JSON.
 *
 * New versus pre-existing: a finding is matched to the base version of its file by rule id and
 * the trimmed text of its line (the SARIF fingerprint idea), as a multiset, then what is left by
 * rule id and message; so moving code down a file or editing the flagged line keeps its findings
 * "pre-existing" and a new call on a new line is "new".
 */
import type { ChecklistItem, Severity } from '../types';
import type { ChangedFile } from '../git';
import { ProjectIndex, type IndexedFile, type IndexedFinding, type RouteRef } from './projectIndex';
import { buildReadiness, relativeTo, type ItemStatus } from './checklist';
import type { FeatureConfig } from './features';

export interface BranchInput {
  /** The project index of the working tree (HEAD plus uncommitted changes). */
  index: ProjectIndex;
  configured?: Record<string, FeatureConfig>;
  base: { ref: string; commit: string };
  head: { name?: string; commit?: string };
  /** Changed files under the index root (absolute paths). */
  changed: readonly ChangedFile[];
  /** The text each changed, indexed file's entry was computed from (absolute path → text). */
  headTexts: ReadonlyMap<string, string>;
  /** The merge-base version of each changed file that existed there, keyed by its path in the working tree. */
  baseVersions: ReadonlyMap<string, { text: string; entry: IndexedFile }>;
}

export interface ReportRoute {
  method: string;
  path: string;
  file: string;
  line: number;
}

export interface ReportFinding {
  ruleId: string;
  severity: Severity;
  item: ChecklistItem;
  message: string;
  /** Relative to the report root, '/'-separated. */
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  fixable: boolean;
  feature: string;
  routes: ReportRoute[];
}

export interface ReportItem {
  item: ChecklistItem;
  question: string;
  status: ItemStatus;
  why: string;
  /** The status on the merge base (undefined when the feature did not exist there). */
  baseStatus?: ItemStatus;
  findings: number;
  newFindings: number;
}

export interface ReportFeature {
  name: string;
  owner?: string;
  source: string;
  score: number;
  baseScore?: number;
  files: number;
  changedFiles: string[];
  routes: ReportRoute[];
  flags: string[];
  items: ReportItem[];
  newFindings: ReportFinding[];
  existingFindings: ReportFinding[];
}

export interface NewRoute extends ReportRoute {
  feature: string;
  /** Findings on the code this route reaches (its handler and what it calls in the project). */
  reaches: ReportFinding[];
}

export interface BranchReport {
  version: 1;
  root: string;
  base: { ref: string; commit: string };
  head: { name?: string; commit?: string };
  changedFiles: { file: string; status: ChangedFile['status']; oldFile?: string; feature?: string }[];
  features: ReportFeature[];
  newFindings: ReportFinding[];
  fixedFindings: Omit<ReportFinding, 'routes' | 'endLine' | 'endColumn'>[];
  newRoutes: NewRoute[];
  summary: {
    changedFiles: number;
    features: number;
    newFindings: Record<Severity, number>;
    existingFindings: number;
    fixedFindings: number;
  };
}

const SEVERITY_ORDER: Severity[] = ['error', 'warning', 'info', 'hint'];

/** The trimmed, space-collapsed text of a finding's line; each text is split into lines once. */
function lineTextOf(text: string): (f: IndexedFinding) => string {
  const lines = text.split('\n');
  return (f) => (lines[f.line - 1] ?? '').trim().replace(/\s+/g, ' ');
}

/** How alike two lines are: the length of their common prefix plus their common suffix. */
function alike(a: string, b: string): number {
  let p = 0;
  while (p < a.length && p < b.length && a[p] === b[p]) p++;
  let q = 0;
  while (q < a.length - p && q < b.length - p && a[a.length - 1 - q] === b[b.length - 1 - q]) q++;
  return p + q;
}

/**
 * Splits the findings of a file's working-tree version into new and pre-existing, matching
 * against its base version by rule and line text (as a multiset), then by rule and message on the
 * most alike line; base findings left unmatched were fixed.
 */
export function classifyFindings(head: { findings: readonly IndexedFinding[]; text: string }, base?: { findings: readonly IndexedFinding[]; text: string }): {
  fresh: IndexedFinding[]; existing: IndexedFinding[]; fixed: IndexedFinding[];
} {
  if (!base) return { fresh: [...head.findings], existing: [], fixed: [] };
  const baseLine = lineTextOf(base.text);
  const headLine = lineTextOf(head.text);
  const pool = new Map<string, IndexedFinding[]>();
  for (const f of base.findings) {
    const k = `${f.ruleId}\0${baseLine(f)}`;
    const list = pool.get(k) ?? [];
    list.push(f);
    pool.set(k, list);
  }
  const existing: IndexedFinding[] = [];
  const unmatched: IndexedFinding[] = [];
  for (const f of head.findings) {
    const list = pool.get(`${f.ruleId}\0${headLine(f)}`);
    if (list && list.length) { list.shift(); existing.push(f); } else unmatched.push(f);
  }
  // second pass: a finding whose line was rewritten (an edited argument, a reformatted call) but
  // that says exactly the same thing as a base finding left over is the same finding; when several
  // could be, the one whose line text is most alike (a new call next to an edited one)
  const leftovers = [...pool.values()].flat();
  const taken = new Set<IndexedFinding>();
  const matchedBase = new Set<IndexedFinding>();
  for (const b of leftovers) {
    const bText = baseLine(b);
    let best: IndexedFinding | undefined;
    let bestScore = -1;
    for (const h of unmatched) {
      if (taken.has(h) || h.ruleId !== b.ruleId || h.message !== b.message) continue;
      const score = alike(bText, headLine(h));
      if (score > bestScore) { best = h; bestScore = score; }
    }
    if (best) { taken.add(best); matchedBase.add(b); existing.push(best); }
  }
  const fresh = unmatched.filter((f) => !taken.has(f));
  const fixed = leftovers.filter((b) => !matchedBase.has(b));
  existing.sort((a, b) => a.start - b.start);
  return { fresh, existing, fixed: fixed.sort((a, b) => a.start - b.start) };
}

export function buildBranchReport(input: BranchInput): BranchReport {
  const { index } = input;
  const root = index.root;
  const rel = (f: string) => relativeTo(root, f);
  const routeRef = (r: RouteRef): ReportRoute => ({ method: r.method, path: r.path, file: rel(r.file), line: r.line });

  // the merge-base view of the project: the working tree's entries with the changed files swapped back
  const baseIndex = new ProjectIndex(root);
  const changedPaths = new Set<string>();
  for (const c of input.changed) { changedPaths.add(c.file); if (c.oldFile) changedPaths.add(c.oldFile); }
  for (const e of index.all()) if (!changedPaths.has(e.file)) baseIndex.set(e);
  for (const c of input.changed) {
    const b = input.baseVersions.get(c.file);
    if (b) baseIndex.set({ ...b.entry, file: c.oldFile ?? c.file });
  }

  // new / pre-existing / fixed, per changed file
  const freshIds = new Set<string>();
  const id = (file: string, f: IndexedFinding) => `${file}\0${f.ruleId}\0${f.start}`;
  const fixedRaw: { file: string; finding: IndexedFinding }[] = [];
  for (const c of input.changed) {
    const entry = index.get(c.file);
    const base = input.baseVersions.get(c.file);
    const headText = input.headTexts.get(c.file);
    if (!entry || headText === undefined) {
      if (base) for (const f of base.entry.findings) fixedRaw.push({ file: c.oldFile ?? c.file, finding: f });
      continue;
    }
    const split = classifyFindings({ findings: entry.findings, text: headText }, base && { findings: base.entry.findings, text: base.text });
    for (const f of split.fresh) freshIds.add(id(c.file, f));
    for (const f of split.fixed) fixedRaw.push({ file: c.oldFile ?? c.file, finding: f });
  }

  const touched = new Set([...input.changed].filter((c) => index.get(c.file)).map((c) => c.file));
  const head = buildReadiness(index, input.configured, touched);
  const baseTouched = new Set<string>();
  for (const c of input.changed) if (baseIndex.get(c.oldFile ?? c.file)) baseTouched.add(c.oldFile ?? c.file);
  const baseReport = buildReadiness(baseIndex, input.configured, baseTouched);
  const baseByName = new Map(baseReport.features.map((f) => [f.name, f]));

  const featureOf = new Map<string, string>();
  const features: ReportFeature[] = [];
  const allNew: ReportFinding[] = [];
  const seenNew = new Set<string>();
  const seenExisting = new Set<string>();
  for (const f of head.features) {
    for (const file of f.files) featureOf.set(file, f.name);
    const before = baseByName.get(f.name);
    const newFindings: ReportFinding[] = [];
    const existingFindings: ReportFinding[] = [];
    const items: ReportItem[] = f.items.map((it) => {
      let fresh = 0;
      for (const x of it.findings) {
        const out: ReportFinding = {
          ruleId: x.ruleId, severity: x.severity, item: it.item, message: x.message, file: rel(x.file),
          line: x.line, column: x.column, endLine: x.endLine, endColumn: x.endColumn, fixable: x.fixable,
          feature: f.name, routes: x.routes.map(routeRef),
        };
        if (freshIds.has(id(x.file, x))) { fresh++; newFindings.push(out); } else existingFindings.push(out);
      }
      const was = before?.items.find((b) => b.item === it.item);
      return { item: it.item, question: it.question, status: it.status, why: it.why, baseStatus: was?.status, findings: it.findings.length, newFindings: fresh };
    });
    const order = (a: ReportFinding, b: ReportFinding) => SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) ||
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.line - b.line || a.column - b.column;
    newFindings.sort(order);
    existingFindings.sort(order);
    // a finding in shared code that several features reach is listed under each, counted once
    for (const x of newFindings) {
      const k = `${x.file}\0${x.line}\0${x.column}\0${x.ruleId}`;
      if (!seenNew.has(k)) { seenNew.add(k); allNew.push(x); }
    }
    for (const x of existingFindings) seenExisting.add(`${x.file}\0${x.line}\0${x.column}\0${x.ruleId}`);
    features.push({
      name: f.name, owner: f.owner, source: f.source, score: f.score, baseScore: before?.score, files: f.files.length,
      changedFiles: f.files.filter((x) => touched.has(x)).map(rel).sort(),
      routes: f.routes.map(routeRef), flags: f.flags, items, newFindings, existingFindings,
    });
  }

  // routes the branch adds, and the findings on the code they reach
  const baseRoutes = new Set([...baseIndex.routes()].map((r) => `${r.method} ${r.path}`));
  const newRoutes: NewRoute[] = [];
  const addedRoutes = index.routes().filter((r) => touched.has(r.file) && !baseRoutes.has(`${r.method} ${r.path}`));
  if (addedRoutes.length) {
    const reach = new Map<string, ReportFinding[]>();
    for (const entry of index.all()) {
      for (const x of entry.findings) {
        const routes = index.routesReaching(entry.file, x.start, 200);
        for (const r of routes) {
          const k = `${r.method} ${r.path}`;
          if (!addedRoutes.some((a) => `${a.method} ${a.path}` === k)) continue;
          const list = reach.get(k) ?? [];
          list.push({
            ruleId: x.ruleId, severity: x.severity, item: x.checklist, message: x.message, file: rel(entry.file), line: x.line, column: x.column,
            endLine: x.endLine, endColumn: x.endColumn, fixable: x.fixable, feature: featureOf.get(entry.file) ?? '', routes: routes.map(routeRef),
          });
          reach.set(k, list);
        }
      }
    }
    for (const r of addedRoutes) {
      const k = `${r.method} ${r.path}`;
      if (newRoutes.some((n) => `${n.method} ${n.path}` === k)) continue;
      newRoutes.push({ method: r.method, path: r.path, file: rel(r.file), line: r.line, feature: featureOf.get(r.file) ?? '', reaches: reach.get(k) ?? [] });
    }
  }

  const newCounts: Record<Severity, number> = { error: 0, warning: 0, info: 0, hint: 0 };
  for (const f of allNew) newCounts[f.severity]++;
  const fixedFindings = fixedRaw.map(({ file, finding: x }) => ({
    ruleId: x.ruleId, severity: x.severity, item: x.checklist, message: x.message, file: rel(file), line: x.line, column: x.column,
    fixable: x.fixable, feature: featureOf.get(file) ?? baseReport.features.find((f) => f.files.includes(file))?.name ?? '',
  }));
  const changedFiles = input.changed.map((c) => ({
    file: rel(c.file), status: c.status, ...(c.oldFile ? { oldFile: rel(c.oldFile) } : {}), ...(featureOf.has(c.file) ? { feature: featureOf.get(c.file) } : {}),
  }));
  return {
    version: 1,
    root,
    base: input.base,
    head: input.head,
    changedFiles,
    features,
    newFindings: allNew,
    fixedFindings,
    newRoutes,
    summary: {
      changedFiles: changedFiles.length,
      features: features.length,
      newFindings: newCounts,
      existingFindings: seenExisting.size,
      fixedFindings: fixedFindings.length,
    },
  };
}

// ---- markdown ------------------------------------------------------------------------------------

const ICON: Record<ItemStatus, string> = { pass: '✅', warn: '⚠️', fail: '❌', unknown: '❔' };
const SEVERITY_ICON: Record<Severity, string> = { error: '❌', warning: '⚠️', info: 'ℹ️', hint: '💡' };

/**
 * Text from files (route paths, flag keys, messages quoting code, file names) as inert markdown:
 * HTML is entity-escaped, the markdown punctuation that could format or link backslash-escaped,
 * line breaks flattened (a table cell or list item stays one line).
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/\r\n?|\n/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    // emphasis, code, links (with [ ] escaped no "(…)" can become a link target), headings, table cells
    .replace(/[\\`*_[\]#|~]/g, '\\$&')
    // a leading "1." or "-"/"+" would start a list
    .replace(/^(\d+)\./, '$1\\.')
    .replace(/^[-+]/, '\\$&');
}

/**
 * A code span holding `text` literally: a backtick fence longer than any backtick run inside,
 * padded when the text starts or ends with a backtick; `|` escaped for table cells (GFM splits
 * cells on it even inside code spans).
 */
export function codeSpan(text: string): string {
  const flat = text.replace(/\r\n?|\n/g, ' ');
  let longest = 0;
  for (const m of flat.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') || (flat.startsWith(' ') && flat.endsWith(' ') && flat.trim()) ? ' ' : '';
  return `${fence}${pad}${flat.replace(/\|/g, '\\|')}${pad}${fence}`;
}

/**
 * A rule message with its own `code` spans kept as code spans (their content literal) and the
 * rest escaped. An unpaired backtick is escaped text.
 */
export function messageMarkdown(message: string): string {
  const parts = message.split('`');
  if (parts.length % 2 === 0) return escapeMarkdown(message); // unbalanced
  return parts.map((p, i) => (i % 2 === 1 ? codeSpan(p) : escapeMarkdown(p))).join('');
}

const routeText = (r: { method: string; path: string }) => codeSpan(`${r.method} ${r.path}`);
const where = (f: { file: string; line: number }) => codeSpan(`${f.file}:${f.line}`);
const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;

function findingLine(f: ReportFinding, withFeature: boolean): string {
  const routes = f.routes.length ? ` — reached from ${f.routes.slice(0, 3).map(routeText).join(', ')}${f.routes.length > 3 ? ` and ${f.routes.length - 3} more` : ''}` : '';
  const feature = withFeature && f.feature ? ` · feature **${escapeMarkdown(f.feature)}**` : '';
  return `- ${SEVERITY_ICON[f.severity]} ${where(f)} **${escapeMarkdown(f.ruleId)}** (${f.item})${feature}: ${messageMarkdown(f.message)}${routes}`;
}

export interface MarkdownOptions {
  /** Pre-existing findings listed per feature (collapsed) up to this many; default 20. */
  maxExisting?: number;
}

export function renderBranchMarkdown(r: BranchReport, options: MarkdownOptions = {}): string {
  const maxExisting = options.maxExisting ?? 20;
  const out: string[] = [];
  const headName = r.head.name ?? (r.head.commit ? r.head.commit.slice(0, 10) : 'working tree');
  out.push(`## Failpath readiness: ${codeSpan(headName)} vs ${codeSpan(r.base.ref)}`);
  out.push('');
  const n = r.summary.newFindings;
  const newTotal = n.error + n.warning + n.info + n.hint;
  const sev = SEVERITY_ORDER.filter((s) => n[s] > 0).map((s) => (s === 'info' ? `${n[s]} info` : plural(n[s], s))).join(', ');
  out.push(`${plural(r.summary.changedFiles, 'changed file')} since ${codeSpan(r.base.commit.slice(0, 10))} (merge base with ${codeSpan(r.base.ref)}), ` +
    `${plural(r.summary.features, 'feature')} touched${r.features.length ? ` (${r.features.map((f) => `**${escapeMarkdown(f.name)}**`).join(', ')})` : ''}.`);
  out.push('');
  out.push(`**${plural(newTotal, 'new finding')}**${newTotal ? ` (${sev})` : ''} · ${r.summary.existingFindings} pre-existing in the touched features · ${r.summary.fixedFindings} fixed`);
  out.push('');

  if (r.newRoutes.length) {
    out.push('### New routes');
    out.push('');
    for (const route of r.newRoutes) {
      const feature = route.feature ? ` · feature **${escapeMarkdown(route.feature)}**` : '';
      const reaches = route.reaches.length
        ? ` — reaches ${route.reaches.map((f) => `${SEVERITY_ICON[f.severity]} **${escapeMarkdown(f.ruleId)}** (${f.item}) at ${where(f)}`).join(', ')}`
        : ' — no findings on the code it reaches';
      out.push(`- ${routeText(route)} at ${where(route)}${feature}${reaches}`);
    }
    out.push('');
  }

  if (r.newFindings.length) {
    out.push('### New findings');
    out.push('');
    for (const f of r.newFindings) out.push(findingLine(f, true));
    out.push('');
  }

  for (const f of r.features) {
    const owner = f.owner ? ` · owner ${escapeMarkdown(f.owner)}` : '';
    const moved = f.baseScore !== undefined && f.baseScore !== f.score ? ` (was ${f.baseScore}/5)` : f.baseScore === undefined ? ' (new feature)' : '';
    out.push(`### ${escapeMarkdown(f.name)} — ${f.score}/5 ready${moved}${owner}`);
    out.push('');
    const details = [plural(f.files, 'file'), plural(f.routes.length, 'route')];
    if (f.flags.length) details.push(`flags ${f.flags.map(codeSpan).join(', ')}`);
    out.push(`${details.join(' · ')}; changed: ${f.changedFiles.map(codeSpan).join(', ') || 'none'}`);
    out.push('');
    out.push('| | Question | Status | Why |');
    out.push('|---|---|---|---|');
    for (const it of f.items) {
      const was = it.baseStatus && it.baseStatus !== it.status ? ` (was ${ICON[it.baseStatus]} ${it.baseStatus})` : '';
      const fresh = it.newFindings ? `; **${it.newFindings} new on this branch**` : '';
      out.push(`| ${ICON[it.status]} | ${escapeMarkdown(it.question)} | ${it.status}${was} | ${escapeMarkdown(it.why)}${fresh} |`);
    }
    out.push('');
    if (f.existingFindings.length) {
      out.push(`<details><summary>${plural(f.existingFindings.length, 'pre-existing finding')}</summary>`);
      out.push('');
      for (const x of f.existingFindings.slice(0, maxExisting)) out.push(findingLine(x, false));
      if (f.existingFindings.length > maxExisting) out.push(`- … and ${f.existingFindings.length - maxExisting} more (\`failpath check\` lists them all)`);
      out.push('');
      out.push('</details>');
      out.push('');
    }
  }

  if (r.fixedFindings.length) {
    out.push(`<details><summary>${plural(r.fixedFindings.length, 'finding')} fixed on this branch</summary>`);
    out.push('');
    for (const f of r.fixedFindings) out.push(`- ${where(f)} (merge base) **${escapeMarkdown(f.ruleId)}** (${f.item}): ${messageMarkdown(f.message)}`);
    out.push('');
    out.push('</details>');
    out.push('');
  }

  if (r.changedFiles.length) {
    out.push(`<details><summary>${plural(r.changedFiles.length, 'changed file')}</summary>`);
    out.push('');
    for (const c of r.changedFiles) {
      const from = c.oldFile ? ` (from ${codeSpan(c.oldFile)})` : '';
      out.push(`- ${c.status} ${codeSpan(c.file)}${from}${c.feature ? ` · **${escapeMarkdown(c.feature)}**` : ''}`);
    }
    out.push('');
    out.push('</details>');
    out.push('');
  }
  out.push('<sub>Generated by Failpath. The five questions: can I monitor it, disable it, recover from its failures, scale it, understand what happens when it fails?</sub>');
  return out.join('\n') + '\n';
}

export function renderBranchJson(r: BranchReport): string {
  return JSON.stringify(r, null, 2) + '\n';
}

/** Whether the branch introduces findings at or above `severity` (the report's CI gate). */
export function hasNewAtOrAbove(r: BranchReport, severity: Severity): boolean {
  const limit = SEVERITY_ORDER.indexOf(severity);
  return r.newFindings.some((f) => SEVERITY_ORDER.indexOf(f.severity) <= limit);
}
