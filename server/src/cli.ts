/**
 * failpath — the same engine as the editor, for the terminal and CI.
 *
 *   failpath check [paths…] [--format text|json|sarif] [--rule id…] [--error-on error|warning|info[,skipped]] [--quiet]
 *   failpath fix [paths…] [--rule id…] [--dry-run]
 *   failpath rules
 *   failpath report [path] [--since <ref>] [--format markdown|json] [--error-on <severity>]   (cli/report.ts)
 *   failpath readiness [path] [--format text|json]   (cli/readiness.ts)
 *
 * Exit codes: 0 no finding at the failing severity, 1 findings at it (default: error) or, with
 * `--error-on skipped`, a file or folder skipped unchecked; 2 usage error or crash (message on
 * stderr), 130 interrupted.
 * Arguments are parsed with Node's util.parseArgs (strict).
 */
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { createTwoFilesPatch } from 'diff';
import { discoverFiles } from './engine/files';
import { runScan, scannerWithSessions, workerThreshold, yieldToEvents } from './cli/runScan';
import { configProblemLines } from './cli/configProblems';
import { ConfigFileLoader } from './engine/configFile';
import { runReport } from './cli/report';
import { runReadiness } from './cli/readiness';
import { toJson, toSarif, toText, isRuleId, skippedEntries } from './cli/format';
import { MAX_SOURCE_BYTES, readWorkspaceText, containmentRoots } from './engine/readSource';
import { ALL_RULES, RULE_IDS } from './rules';
import { fixRefusal, fixRoots, replaceSource } from './engine/safeWrite';
import type { Severity } from './engine/types';

const VERSION = '0.1.0';

const USAGE = `failpath ${VERSION} — find and fix failure paths in TypeScript/JavaScript services

Usage:
  failpath check [paths…] [options]   report findings (default path: .)
  failpath fix [paths…] [options]     apply the safe preferred fixes (what the editor's fix-all does)
  failpath rules                      list the rules
  failpath report [path] [options]    readiness report for this branch (failpath report --help)
  failpath readiness [path] [--format text|json]   each feature's five-question checklist
  failpath --help | --version

Options:
  --format text|json|sarif   output format of check (default: text)
  --rule <id>                only this rule; repeat for several
  --error-on <severity>      lowest severity that makes check exit 1: error (default), warning, info
  --error-on skipped         also exit 1 when a file or folder was skipped unchecked (too large,
                             binary, unreadable, a link pointing out); combine: --error-on warning,skipped
  --quiet                    text format: only findings at or above --error-on
  --report-unused-disables   report failpath-disable comments that silence nothing (as warnings)
  --dry-run                  fix: print a unified diff instead of writing files
  --verbose                  say on stderr what runs: how many files, where, and each file fixed

Exit codes: 0 = nothing at the failing severity, 1 = findings at it (or skipped files under
--error-on skipped), 2 = usage error or crash, 130 = interrupted. Directories are walked honouring
.gitignore and .failpath.json "ignore"; node_modules, dist, build, coverage and minified bundles are
left out. Symbolic links are followed only while they stay inside the folders given; one that
points out is reported and skipped. Files not checked (above 8 MB, binary, unparseable,
unreadable) are listed with the reason in every format and counted in the summary. No matching
files is not an error (exit 0, with a note on stderr).
`;

const ORDER: Severity[] = ['hint', 'info', 'warning', 'error'];

class UsageError extends Error {}

function fail(message: string): never {
  throw new UsageError(message);
}

async function main(argv: string[]): Promise<number> {
  // `report` has options of its own
  const io = { stdout: (t: string) => process.stdout.write(t), stderr: (t: string) => process.stderr.write(t), cwd: process.cwd() };
  if (argv[0] === 'report') return runReport(argv.slice(1), io);
  if (argv[0] === 'readiness') return runReadiness(argv.slice(1), io);
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        format: { type: 'string' },
        rule: { type: 'string', multiple: true },
        'error-on': { type: 'string', multiple: true },
        quiet: { type: 'boolean' },
        'report-unused-disables': { type: 'boolean' },
        'dry-run': { type: 'boolean' },
        verbose: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
  } catch (err) {
    fail((err as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.version) { process.stdout.write(`${VERSION}\n`); return 0; }
  const [command, ...paths] = positionals;
  if (values.help || !command) { process.stdout.write(USAGE); return command || values.help ? 0 : 2; }

  const rules = values.rule ?? [];
  for (const r of rules) if (!isRuleId(r)) fail(`unknown rule "${r}"; run \`failpath rules\` for the list`);
  const only = rules.length ? rules : undefined;

  if (command === 'rules') {
    const w = Math.max(...ALL_RULES.map((r) => r.id.length));
    for (const r of ALL_RULES) process.stdout.write(`${r.id.padEnd(w)}  ${r.checklist.padEnd(10)}  ${r.severity.padEnd(7)}  ${r.fixable ? 'fixable' : '       '}  ${r.summary}\n`);
    return 0;
  }
  if (command !== 'check' && command !== 'fix') fail(`unknown command "${command}"`);

  const cwd = process.cwd();
  const inputs = paths.length ? paths : ['.'];
  const discovered = discoverFiles(inputs);
  // containment: no file is read through a link leading out of the paths given (readSource.ts)
  const roots = inputs;
  // a path named on the command line that cannot be read is a usage error, not a skipped entry
  const named = new Set(inputs.map((i) => path.resolve(i)));
  const missing = discovered.problems.filter((p) => named.has(path.resolve(p.path)));
  if (missing.length) fail(missing.map((p) => `${p.message}: ${inputs.find((i) => path.resolve(i) === path.resolve(p.path)) ?? p.path}`).join('\n'));
  for (const p of discovered.problems) process.stderr.write(`failpath: skipped ${p.path}: ${p.message}\n`);
  if (discovered.files.length === 0) process.stderr.write(`failpath: no TypeScript or JavaScript files found in ${inputs.join(', ')}\n`);
  for (const line of configProblemLines(discovered.files, new ConfigFileLoader(RULE_IDS, containmentRoots(roots)), cwd)) process.stderr.write(`failpath: ${line}\n`);

  if (command === 'fix') {
    if (values.format) fail('--format applies to check');
    const { scanner } = scannerWithSessions(discovered.files, { only, roots });
    const writeRoots = fixRoots(inputs, cwd);
    // a file reached under two names (a symlink and its real file) is fixed once
    const seen = new Set<string>();
    let changed = 0;
    let fixes = 0;
    if (values.verbose) process.stderr.write(`failpath: fixing ${plural(discovered.files.length, 'file')}\n`);
    for (const [i, file] of discovered.files.entries()) {
      // let Ctrl+C in between files (a file is always written whole: temporary file, then rename)
      if (i % 10 === 9) await yieldToEvents();
      const r = scanner.fixFile(file, writeRoots);
      if (r && 'error' in r) { process.stderr.write(`failpath: skipped ${file}: ${r.error}\n`); continue; }
      if (!r || seen.has(r.source.target)) continue;
      seen.add(r.source.target);
      if (r.fixed === r.source.text) continue;
      const refusal = values['dry-run'] ? fixRefusal(r.source) : replaceSource(r.source, r.fixed);
      if (refusal) { process.stderr.write(`failpath: skipped ${file}: ${refusal}\n`); continue; }
      changed++;
      fixes += r.count;
      const name = path.relative(cwd, file).split(path.sep).join('/');
      if (values.verbose) process.stderr.write(`failpath: ${values['dry-run'] ? 'would fix' : 'fixed'} ${name} (${plural(r.count, 'finding')})\n`);
      if (values['dry-run']) process.stdout.write(createTwoFilesPatch(`a/${name}`, `b/${name}`, r.source.text, r.fixed, undefined, undefined, { context: 3 }));
    }
    process.stderr.write(`${values['dry-run'] ? 'would fix' : 'fixed'} ${fixes} finding${fixes === 1 ? '' : 's'} in ${changed} file${changed === 1 ? '' : 's'}\n`);
    return 0;
  }

  const format = values.format ?? 'text';
  if (!['text', 'json', 'sarif'].includes(format)) fail(`--format must be text, json or sarif (got "${format}")`);
  const { errorOn, onSkipped } = parseErrorOn(values['error-on'] ?? []);
  const t0 = performance.now();
  if (values.verbose) process.stderr.write(`failpath: checking ${plural(discovered.files.length, 'file')} ${discovered.files.length >= workerThreshold() ? 'on worker threads' : 'in this process'}\n`);
  const files = await runScan(discovered.files, { only, roots });
  const ms = performance.now() - t0;
  const failing = (s: Severity) => ORDER.indexOf(s) >= ORDER.indexOf(errorOn);
  if (values['report-unused-disables']) {
    for (const f of files) {
      for (const u of f.unusedSuppressions ?? []) {
        f.findings.push({
          ruleId: 'unused-disable', start: 0, end: 0, line: u.line, column: u.column, endLine: u.line, endColumn: u.column,
          severity: 'warning', checklist: 'understand', fixable: false,
          message: `Unused failpath-disable${u.ruleIds.length ? ` for ${u.ruleIds.join(', ')}` : ''}: nothing is reported here any more; remove the comment.`,
        });
      }
      f.findings.sort((a, b) => a.line - b.line || a.column - b.column);
    }
  }
  if (values.quiet) for (const f of files) f.findings = f.findings.filter((x) => failing(x.severity));
  const skipped = skippedEntries(discovered.problems, files);
  const failedOnSkipped = onSkipped && skipped.length > 0;
  const report = { files, cwd, ms, skipped, failedOnSkipped };
  if (format === 'json') process.stdout.write(toJson(report));
  else if (format === 'sarif') {
    const texts = new Map<string, string>();
    const readRoots = containmentRoots(roots);
    for (const f of files) if (f.findings.length) texts.set(f.file, readWorkspaceText(f.file, { maxBytes: MAX_SOURCE_BYTES, roots: readRoots }) ?? '');
    process.stdout.write(toSarif(report, texts, VERSION));
  } else process.stdout.write(toText(report, !!process.stdout.isTTY && !process.env.NO_COLOR));
  for (const f of files) if (f.error) process.stderr.write(`failpath: could not read ${f.file}: ${f.error}\n`);
  return failedOnSkipped || files.some((f) => f.findings.some((x) => failing(x.severity))) ? 1 : 0;
}

/**
 * `--error-on`: one severity (default error) and/or `skipped`, repeated or comma-separated
 * (`--error-on warning --error-on skipped`, `--error-on warning,skipped`).
 */
function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function parseErrorOn(given: readonly string[]): { errorOn: Severity; onSkipped: boolean } {
  let errorOn: Severity | undefined;
  let onSkipped = false;
  for (const value of given.flatMap((v) => v.split(',')).map((v) => v.trim())) {
    if (value === 'skipped') onSkipped = true;
    else if (!['error', 'warning', 'info', 'hint'].includes(value)) fail(`--error-on must be error, warning, info or skipped (got "${value}")`);
    else if (errorOn && errorOn !== value) fail(`--error-on takes one severity (got "${errorOn}" and "${value}")`);
    else errorOn = value as Severity;
  }
  return { errorOn: errorOn ?? 'error', onSkipped };
}

process.on('SIGINT', () => {
  process.stderr.write('failpath: interrupted\n');
  process.exit(130);
});

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => {
    if (err instanceof UsageError) process.stderr.write(`failpath: ${err.message}\n\n${USAGE}`);
    else process.stderr.write(`failpath: internal error: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exitCode = 2;
  },
);
