/**
 * `failpath report [path] [--since <ref>] [--format markdown|json] [--error-on <severity>]`: the
 * readiness report for the current branch — what the editor's "Failpath: Readiness Report for
 * This Branch" shows — for a PR description or a CI job summary. Scans the project (same
 * discovery and analysis as `check`), compares with the merge base of HEAD and `--since` (default:
 * the default branch) and renders engine/readiness/report.ts. Exits 1 when the branch introduces
 * findings at or above --error-on (default: error), so CI fails on new errors only.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { discoverFiles } from '../engine/files';
import { ConfigFileLoader } from '../engine/configFile';
import { containmentRoots } from '../engine/readSource';
import { GitError, refProblem } from '../engine/git';
import { createBranchReport } from '../engine/readiness/branch';
import { configuredFeatures, type FeatureConfig } from '../engine/readiness/features';
import { ProjectIndex } from '../engine/readiness/projectIndex';
import { hasNewAtOrAbove, renderBranchJson, renderBranchMarkdown } from '../engine/readiness/report';
import { Scanner, projectSignals } from '../engine/scan';
import type { Severity } from '../engine/types';
import { RULE_IDS } from '../rules';
import { runScan, scannerWithSessions } from './runScan';

export interface ReportIO {
  stdout(text: string): void;
  stderr(text: string): void;
  cwd: string;
}

export const REPORT_USAGE = `Usage: failpath report [path] [options]

The readiness report for this branch: files changed since the merge base with the default branch
(or --since), the features they touch, each feature's checklist, and the findings the branch
introduces versus pre-existing ones.

Options:
  --since <ref>             compare with the merge base of HEAD and <ref> (default: origin/HEAD, main or master)
  --format markdown|json    output format (default: markdown)
  --error-on <severity>     exit 1 when the branch introduces findings at or above it: error (default), warning, info
  -h, --help                this help

Exit codes: 0 = no new finding at the failing severity, 1 = new findings at it, 2 = usage error,
not a git repository, unknown ref.
`;

const SEVERITIES: Severity[] = ['error', 'warning', 'info', 'hint'];

/** Scans a project folder into a project index (what `report` and `readiness` start from). */
export async function indexProject(root: string, cwd: string): Promise<{ index: ProjectIndex; signals: ReturnType<typeof projectSignals>; scanner: Scanner; configured?: Record<string, FeatureConfig> } | { error: string }> {
  const discovered = discoverFiles([root]);
  const bad = discovered.problems.find((p) => p.path === root || path.resolve(cwd, p.path) === root);
  if (bad) return { error: `${bad.message}: ${root}` };
  if (!fs.statSync(root).isDirectory()) return { error: `not a directory: ${root} (a project folder is expected)` };
  // containment: nothing is read through a link leading out of the project folder (readSource.ts)
  const roots = [root];
  const prepared = scannerWithSessions(discovered.files, { roots });
  const scanned = await runScan(discovered.files, { roots }, prepared);
  const index = new ProjectIndex(root);
  for (const f of scanned) if (!f.error) index.set(f);
  const configs = new ConfigFileLoader(RULE_IDS, containmentRoots(roots));
  const configured = configuredFeatures(scanned.map((f) => f.file), (p) => configs.load(p));
  return { index, signals: projectSignals(scanned), scanner: prepared.scanner, configured };
}

export async function runReport(argv: string[], io: ReportIO): Promise<number> {
  let values: { since?: string; format?: string; 'error-on'?: string; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        since: { type: 'string' },
        format: { type: 'string' },
        'error-on': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    io.stderr(`failpath report: ${(err as Error).message}\n\n${REPORT_USAGE}`);
    return 2;
  }
  if (values.help) { io.stdout(REPORT_USAGE); return 0; }
  const format = values.format ?? 'markdown';
  if (format !== 'markdown' && format !== 'json') { io.stderr(`failpath report: --format must be markdown or json (got "${format}")\n`); return 2; }
  const errorOn = (values['error-on'] ?? 'error') as Severity;
  if (!SEVERITIES.includes(errorOn)) { io.stderr(`failpath report: --error-on must be error, warning or info (got "${errorOn}")\n`); return 2; }
  if (positionals.length > 1) { io.stderr('failpath report: one project folder at most\n'); return 2; }
  // before any work: a ref that looks like an option never reaches git
  const refError = values.since === undefined ? undefined : refProblem(values.since);
  if (refError) { io.stderr(`failpath report: ${refError}\n`); return 2; }
  const root = path.resolve(io.cwd, positionals[0] ?? '.');

  const project = await indexProject(root, io.cwd);
  if ('error' in project) { io.stderr(`failpath report: ${project.error}\n`); return 2; }
  const { index, signals, scanner, configured } = project;
  try {
    const report = await createBranchReport({
      index,
      configured,
      since: values.since,
      analyze: (file, text) => scanner.analyzeText(file, text, signals),
    });
    io.stdout(format === 'json' ? renderBranchJson(report) : renderBranchMarkdown(report));
    return hasNewAtOrAbove(report, errorOn) ? 1 : 0;
  } catch (err) {
    if (err instanceof GitError) {
      io.stderr(`failpath report: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
}
