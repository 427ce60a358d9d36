/**
 * The readiness checklist: for each feature, the five questions answered pass | warn | fail |
 * unknown, from the findings of the rules mapped to each question (severity-weighted) and from
 * positive evidence (a structured logger, flag checks on entry points, limiters, error
 * handlers…). Each answer carries a one-line reason.
 */
import * as path from 'node:path';
import type { ChecklistItem } from '../types';
import { CHECKLIST_ITEMS } from '../types';
import type { Evidence } from '../summary';
import { lineColumn, type IndexedFinding, type ProjectIndex, type RouteRef } from './projectIndex';
import { inferFeatures, isOperationalRoute, isTestFile, SHARED, type Feature, type FeatureConfig } from './features';

export type ItemStatus = 'pass' | 'warn' | 'fail' | 'unknown';

export const QUESTIONS: Record<ChecklistItem, string> = {
  monitor: 'Can I monitor it?',
  disable: 'Can I disable it?',
  recover: 'Can I recover from failure?',
  scale: 'Can I scale it?',
  understand: 'Can I understand what happens when it fails?',
};

export interface FindingRef extends IndexedFinding {
  file: string;
  routes: RouteRef[];
}

export interface EvidenceRef {
  kind: Evidence['kind'];
  file: string;
  line: number;
  column: number;
  detail: string;
}

export interface ChecklistAnswer {
  item: ChecklistItem;
  question: string;
  status: ItemStatus;
  why: string;
  findings: FindingRef[];
  evidence: EvidenceRef[];
}

export interface FeatureReadiness {
  name: string;
  owner?: string;
  source: Feature['source'];
  files: string[];
  routes: RouteRef[];
  flags: string[];
  items: ChecklistAnswer[];
  /** Items answered pass, out of 5. */
  score: number;
}

export interface ReadinessReport {
  root: string;
  features: FeatureReadiness[];
}

const WEIGHT = { error: 3, warning: 2, info: 0.5, hint: 0 } as const;

/** An item's status from its findings, severity-weighted: any error or a weight of 4 fails, any other finding warns. */
export function statusOfFindings(findings: readonly Pick<IndexedFinding, 'severity'>[]): ItemStatus {
  const weight = findings.reduce((n, f) => n + WEIGHT[f.severity], 0);
  return weight >= 4 || findings.some((f) => f.severity === 'error') ? 'fail' : weight > 0 ? 'warn' : 'pass';
}
const EVIDENCE_FOR: Record<ChecklistItem, Evidence['kind'][]> = {
  monitor: ['logger', 'metrics', 'tracing'],
  disable: ['flag'],
  recover: ['shutdown', 'health'],
  scale: ['limiter'],
  understand: ['errorHandler', 'correlation', 'tracing'],
};

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function buildReadiness(index: ProjectIndex, configured?: Record<string, FeatureConfig>, restrictTo?: ReadonlySet<string>): ReadinessReport {
  const features = inferFeatures(index, configured);
  const out: FeatureReadiness[] = [];
  for (const feature of features) {
    if (restrictTo && !feature.files.some((f) => restrictTo.has(f))) continue;
    const findings: FindingRef[] = [];
    const evidence: (EvidenceRef & { fnIndex: number })[] = [];
    const routes: RouteRef[] = [];
    const handlers: { route: RouteRef; file: string; fn: number }[] = [];
    for (const file of feature.files) {
      const entry = index.get(file);
      if (!entry) continue;
      for (const f of entry.findings) findings.push({ ...f, file, routes: index.routesReaching(file, f.start) });
      // a test that mounts pino-http or a limiter says nothing about production
      const evidenceOf = isTestFile(relativeTo(index.root, file)) ? [] : entry.summary.evidence;
      for (const e of evidenceOf) {
        const lc = lineColumn(entry.lineStarts, e.start);
        evidence.push({ kind: e.kind, file, line: lc.line, column: lc.column, detail: e.detail, fnIndex: e.fn });
      }
      for (const r of entry.summary.routes) {
        const ref = { file, method: r.method, path: r.path, line: lineColumn(entry.lineStarts, r.start).line };
        routes.push(ref);
        handlers.push({ route: ref, file, fn: r.handlerFn });
      }
    }
    // what its routes reach outside its own files (a shared client, a handler module) is part of
    // the feature's exposure: a missing timeout in lib/payments.ts counts for checkout
    const own = new Set(feature.files);
    const counted = new Set(findings.map((f) => `${f.file}\0${f.start}\0${f.ruleId}`));
    for (const file of feature.files) {
      const entry = index.get(file);
      for (const r of entry?.summary.routes ?? []) {
        const node = index.handlerNode(file, r);
        if (!node) continue;
        for (const { file: where, finding } of index.findingsReachedFrom(node.file, node.fn)) {
          const key = `${where}\0${finding.start}\0${finding.ruleId}`;
          if (own.has(where) || counted.has(key)) continue;
          counted.add(key);
          findings.push({ ...finding, file: where, routes: index.routesReaching(where, finding.start) });
        }
      }
    }
    const items = CHECKLIST_ITEMS.map((item) => answer(item, feature, findings, evidence, routes, handlers, index.root));
    out.push({
      name: feature.name,
      owner: feature.owner,
      source: feature.source,
      files: feature.files,
      routes,
      flags: feature.flags,
      items,
      score: items.filter((i) => i.status === 'pass').length,
    });
  }
  return { root: index.root, features: out };
}

function answer(item: ChecklistItem, feature: Feature, allFindings: FindingRef[], allEvidence: (EvidenceRef & { fnIndex: number })[],
  routes: RouteRef[], handlers: { route: RouteRef; file: string; fn: number }[], root: string): ChecklistAnswer {
  const findings = allFindings.filter((f) => f.checklist === item);
  const evidence = allEvidence.filter((e) => EVIDENCE_FOR[item].includes(e.kind)).map(({ fnIndex: _f, ...e }) => e);
  const base = { item, question: QUESTIONS[item], findings, evidence };
  const byRule = () => {
    const counts = new Map<string, number>();
    for (const f of findings) counts.set(f.ruleId, (counts.get(f.ruleId) ?? 0) + 1);
    return [...counts].map(([id, n]) => `${n} ${id}`).join(', ');
  };
  const fromFindings = (): ItemStatus => statusOfFindings(findings);
  const isShared = feature.name === SHARED;

  switch (item) {
    case 'disable': {
      // health probes and metrics endpoints are not switched off by a flag
      const operational = (r: RouteRef) => isOperationalRoute(r.path, relativeTo(root, r.file));
      routes = routes.filter((r) => !operational(r));
      handlers = handlers.filter((h) => !operational(h.route));
      const flagEvidence = allEvidence.filter((e) => e.kind === 'flag');
      const keys = [...new Set(flagEvidence.map((e) => e.detail))];
      if (routes.length > 0) {
        const guarded = handlers.filter((h) => flagEvidence.some((e) => e.file === h.file && (e.fnIndex === h.fn && h.fn >= 0)));
        const status: ItemStatus = findings.length ? fromFindings() : guarded.length === routes.length ? 'pass' : guarded.length > 0 ? 'warn' : 'fail';
        const why = guarded.length
          ? `${guarded.length} of ${plural(routes.length, 'route')} behind flag ${keys.join(', ')}`
          : feature.flags.length
            ? `flag ${feature.flags.join(', ')} is declared but none of its ${plural(routes.length, 'route')} checks it`
            : `none of its ${plural(routes.length, 'route')} is behind a feature flag`;
        return { ...base, status, why: findings.length ? `${why}; ${byRule()}` : why };
      }
      if (keys.length) return { ...base, status: findings.length ? fromFindings() : 'pass', why: `checks flag ${keys.join(', ')}` };
      if (feature.flags.length) return { ...base, status: 'warn', why: `flag ${feature.flags.join(', ')} is declared but never checked in its code` };
      return { ...base, status: isShared ? 'unknown' : 'fail', why: isShared ? 'shared code has no entry points of its own' : 'no flag check guards its entry points' };
    }
    case 'monitor': {
      const hasLogger = evidence.some((e) => e.kind === 'logger');
      const extras = [...new Set(evidence.filter((e) => e.kind !== 'logger').map((e) => e.detail))];
      if (findings.length) return { ...base, status: fromFindings(), why: `${byRule()}${hasLogger ? '' : '; no structured logger used'}` };
      if (hasLogger) return { ...base, status: 'pass', why: `structured logger used${extras.length ? `; ${extras.join(', ')}` : ''}` };
      return { ...base, status: feature.files.length ? 'warn' : 'unknown', why: 'no structured logging, metrics or tracing found' };
    }
    default: {
      if (findings.length) return { ...base, status: fromFindings(), why: byRule() };
      const ev = [...new Set(evidence.map((e) => (e.kind === 'errorHandler' ? 'error middleware' : e.kind === 'limiter' ? `rate limiter ${e.detail}` : e.detail)))];
      const clean = item === 'recover' ? 'no external call without a deadline or fallback found'
        : item === 'scale' ? 'no N+1, unbounded cache or missing limiter found'
          : 'no swallowed or leaked errors found';
      return { ...base, status: 'pass', why: ev.length ? `${clean}; ${ev.join(', ')}` : clean };
    }
  }
}

/** Plain-text rendering for logs and tests: one feature per block. */
export function renderReadinessText(report: ReadinessReport): string {
  const icon: Record<ItemStatus, string> = { pass: '✔', warn: '⚠', fail: '✖', unknown: '?' };
  return report.features.map((f) => {
    const head = `${f.name} (${f.score}/5 ready, ${plural(f.files.length, 'file')}${f.routes.length ? `, ${plural(f.routes.length, 'route')}` : ''})`;
    return [head, ...f.items.map((i) => `  ${icon[i.status]} ${i.question} ${i.status} — ${i.why}`)].join('\n');
  }).join('\n') + '\n';
}

export function relativeTo(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join('/');
}
