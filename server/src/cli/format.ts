/**
 * Output formats of `failpath check`: text (for people), json (the documented shape), sarif
 * (SARIF 2.1.0 for GitHub code scanning, typed with @types/sarif).
 */
import * as crypto from 'node:crypto';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Sarif from 'sarif';
import { ALL_RULES, RULES_BY_ID } from '../rules';
import { docUrl, type Severity } from '../engine/types';
import type { ScannedFile } from '../engine/scan';

export interface Report {
  files: ScannedFile[];
  cwd: string;
  ms: number;
  /**
   * What was not checked, with the reason: files that could not be read or were not analysed
   * (too large, binary, not parseable) and discovery problems (unreadable folders, links pointing
   * out of the folders checked). See skippedEntries.
   */
  skipped: SkippedEntry[];
  /** SARIF: the run failed on skipped files (`--error-on skipped`). */
  failedOnSkipped?: boolean;
}

export interface SkippedEntry {
  /** Absolute path. */
  file: string;
  reason: string;
}

/** The skipped list of a check: discovery problems and the files not read or not analysed, by path. */
export function skippedEntries(problems: readonly { path: string; message: string }[], files: readonly ScannedFile[]): SkippedEntry[] {
  const out: SkippedEntry[] = problems.map((p) => ({ file: path.resolve(p.path), reason: p.message }));
  for (const f of files) {
    const reason = f.error ?? f.skipped;
    if (reason !== undefined) out.push({ file: f.file, reason });
  }
  return out.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

/** Files that were read and analysed. */
const checkedCount = (r: Report) => r.files.filter((f) => f.error === undefined && f.skipped === undefined).length;

const rel = (cwd: string, file: string) => path.relative(cwd, file).split(path.sep).join('/') || path.basename(file);

export function toJson(r: Report): string {
  const findings = r.files.flatMap((f) => f.findings.map((x) => ({
    rule: x.ruleId,
    file: rel(r.cwd, f.file),
    line: x.line,
    column: x.column,
    endLine: x.endLine,
    endColumn: x.endColumn,
    severity: x.severity,
    message: x.message,
    checklist: x.checklist,
    fixable: x.fixable,
  })));
  const skipped = r.skipped.map((s) => ({ file: rel(r.cwd, s.file), reason: s.reason }));
  return JSON.stringify({ findings, skipped, summary: { files: checkedCount(r), findings: findings.length, skipped: skipped.length, ms: Math.round(r.ms) } }) + '\n';
}

export function toText(r: Report, color: boolean): string {
  const c = (code: string, s: string) => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const sev: Record<Severity, string> = { error: c('31', 'error'), warning: c('33', 'warning'), info: c('36', 'info'), hint: c('2', 'hint') };
  const lines: string[] = [];
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0, hint: 0 };
  let fixable = 0;
  for (const f of r.files) {
    if (f.error) lines.push(`${c('4', rel(r.cwd, f.file))}\n  ${c('31', 'could not read')}: ${f.error}\n`);
    else if (f.skipped) lines.push(`${c('4', rel(r.cwd, f.file))}\n  ${c('33', 'skipped')}: ${f.skipped}\n`);
    if (f.findings.length === 0) continue;
    lines.push(c('4', rel(r.cwd, f.file)));
    for (const x of f.findings) {
      counts[x.severity]++;
      if (x.fixable) fixable++;
      const pos = `${x.line}:${x.column}`.padEnd(8);
      lines.push(`  ${pos} ${sev[x.severity].padEnd(color ? 16 : 7)} ${x.message}  ${c('2', `[${x.ruleId}]`)}`);
    }
    lines.push('');
  }
  const total = counts.error + counts.warning + counts.info + counts.hint;
  const files = checkedCount(r);
  // skipped: the files listed above and the folders and links listed on stderr
  const skipped = r.skipped.length ? `, ${c('33', `${r.skipped.length} skipped`)}` : '';
  lines.push(`${total === 0 ? c('32', 'No failure paths found') : c('1', `${total} finding${total === 1 ? '' : 's'}`)} (${counts.error} error${counts.error === 1 ? '' : 's'}, ${counts.warning} warning${counts.warning === 1 ? '' : 's'}, ${counts.info} info) in ${files} file${files === 1 ? '' : 's'}${skipped}, ${Math.round(r.ms)} ms`);
  if (fixable > 0) lines.push(c('2', `${fixable} can be fixed with \`failpath fix\` or the editor's quick fixes.`));
  return lines.join('\n') + '\n';
}

/** A URI reference: a "#", "%", "?" or space in a file name must not cut or change the path. */
const uriOf = (name: string) => name.split('/').map(encodeURIComponent).join('/');

const LEVEL: Record<Severity, Sarif.Result.level> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

/** Stable across line shifts: rule + file + the trimmed source line + its occurrence index. */
function fingerprint(ruleId: string, file: string, lineText: string, occurrence: number): string {
  return crypto.createHash('sha256').update(`${ruleId}\0${file}\0${lineText.trim().replace(/\s+/g, ' ')}\0${occurrence}`).digest('hex').slice(0, 32);
}

export function toSarif(r: Report, texts: Map<string, string>, version: string): string {
  const rules: Sarif.ReportingDescriptor[] = ALL_RULES.map((rule) => ({
    id: rule.id,
    name: rule.id.replace(/(^|-)(\w)/g, (_m, _d, ch: string) => ch.toUpperCase()),
    shortDescription: { text: rule.summary },
    helpUri: docUrl(rule.id),
    help: { text: `${rule.summary} See ${docUrl(rule.id)}`, markdown: `${rule.summary}\n\n[Rule documentation](${docUrl(rule.id)})` },
    defaultConfiguration: { level: LEVEL[rule.severity] },
    properties: { tags: ['reliability', `checklist:${rule.checklist}`], precision: 'high' },
  }));
  const index = new Map(ALL_RULES.map((rule, i) => [rule.id, i]));
  const results: Sarif.Result[] = [];
  for (const f of r.files) {
    const name = rel(r.cwd, f.file);
    const uri = uriOf(name);
    const lines = (texts.get(f.file) ?? '').split('\n');
    const seen = new Map<string, number>();
    for (const x of f.findings) {
      const lineText = lines[x.line - 1] ?? '';
      const key = `${x.ruleId}\0${lineText.trim()}`;
      const occurrence = seen.get(key) ?? 0;
      seen.set(key, occurrence + 1);
      results.push({
        ruleId: x.ruleId,
        ruleIndex: index.get(x.ruleId),
        level: LEVEL[x.severity],
        message: { text: x.message },
        locations: [{
          physicalLocation: {
            artifactLocation: { uri, uriBaseId: '%SRCROOT%' },
            region: { startLine: x.line, startColumn: x.column, endLine: x.endLine, endColumn: x.endColumn },
          },
        }],
        partialFingerprints: { 'failpath/v1': fingerprint(x.ruleId, name, lineText, occurrence) },
        properties: { checklist: x.checklist, fixable: x.fixable },
      });
    }
  }
  const log: Sarif.Log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: { driver: { name: 'Failpath', informationUri: 'https://github.com/failpath/failpath', semanticVersion: version, version, rules } },
      originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileURL(r.cwd).href.replace(/\/?$/, '/') } },
      results,
      // what was not checked: GitHub shows these on the tool status page; a consumer knows the
      // results are incomplete (SARIF appendix I). The run failed only under --error-on skipped.
      invocations: [{
        executionSuccessful: !r.failedOnSkipped,
        toolExecutionNotifications: r.skipped.map((s): Sarif.Notification => ({
          level: 'warning',
          message: { text: `Skipped ${rel(r.cwd, s.file)}: ${s.reason}` },
          locations: [{ physicalLocation: { artifactLocation: { uri: uriOf(rel(r.cwd, s.file)), uriBaseId: '%SRCROOT%' } } }],
        })),
      }],
    }],
  };
  return JSON.stringify(log, null, 2) + '\n';
}

export function isRuleId(id: string): boolean {
  return RULES_BY_ID.has(id);
}
