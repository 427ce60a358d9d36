/**
 * `failpath readiness [path] [--format text|json]`: the Readiness view of the editor on the
 * command line — each feature with the five questions answered pass/warn/fail/unknown and why,
 * its routes, and (json) the findings and evidence behind each answer with the routes reaching
 * them. Exit 0 (it is a report; `check` and `report` are the gates), 2 on usage errors.
 */
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { buildReadiness, relativeTo, renderReadinessText, type ReadinessReport } from '../engine/readiness/checklist';
import { indexProject, type ReportIO } from './report';

export const READINESS_USAGE = `Usage: failpath readiness [path] [--format text|json]

Each feature of the project (from .failpath.json "features", else inferred from folders, modules
and routes) with the five questions: can I monitor it, disable it, recover from failure, scale it,
understand what happens when it fails? — pass, warn, fail or unknown, and why.
`;

export function readinessJson(report: ReadinessReport): string {
  const rel = (f: string) => relativeTo(report.root, f);
  return JSON.stringify({
    features: report.features.map((f) => ({
      name: f.name, owner: f.owner, source: f.source, score: f.score, files: f.files.map(rel), flags: f.flags,
      routes: f.routes.map((r) => ({ method: r.method, path: r.path, file: rel(r.file), line: r.line })),
      items: f.items.map((i) => ({
        item: i.item, question: i.question, status: i.status, why: i.why,
        findings: i.findings.map((x) => ({ rule: x.ruleId, severity: x.severity, file: rel(x.file), line: x.line, column: x.column, message: x.message, routes: x.routes.map((r) => `${r.method} ${r.path}`) })),
        evidence: i.evidence.map((e) => ({ kind: e.kind, detail: e.detail, file: rel(e.file), line: e.line })),
      })),
    })),
  }, null, 2) + '\n';
}

export async function runReadiness(argv: string[], io: ReportIO): Promise<number> {
  let values: { format?: string; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args: argv, allowPositionals: true, strict: true, options: { format: { type: 'string' }, help: { type: 'boolean', short: 'h' } } }));
  } catch (err) {
    io.stderr(`failpath readiness: ${(err as Error).message}\n\n${READINESS_USAGE}`);
    return 2;
  }
  if (values.help) { io.stdout(READINESS_USAGE); return 0; }
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json') { io.stderr(`failpath readiness: --format must be text or json (got "${format}")\n`); return 2; }
  if (positionals.length > 1) { io.stderr('failpath readiness: one project folder at most\n'); return 2; }
  const root = path.resolve(io.cwd, positionals[0] ?? '.');
  const project = await indexProject(root, io.cwd);
  if ('error' in project) { io.stderr(`failpath readiness: ${project.error}\n`); return 2; }
  const report = buildReadiness(project.index, project.configured);
  io.stdout(format === 'json' ? readinessJson(report) : renderReadinessText(report));
  return 0;
}
