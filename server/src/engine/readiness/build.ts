/**
 * Builds index entries from source text: one analyze() call per file collects findings and the
 * summary in the same walk. Used by the CLI (`failpath report`), the server's workspace scan and
 * its worker.
 */
import { analyze, type AnalyzeInput, type AnalyzeResult } from '../analyze';
import { emptySummary } from '../summary';
import type { IndexedFile, IndexedFinding } from './projectIndex';
import { lineColumn } from './projectIndex';

export function computeLineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

export function indexEntry(input: Omit<AnalyzeInput, 'summary'>): IndexedFile {
  return entryFromResult(input.fileName, input.text, analyze({ ...input, summary: true }));
}

/** The index entry of an analysis that collected the summary (the server analyses open documents so). */
export function entryFromResult(fileName: string, text: string, result: AnalyzeResult): IndexedFile {
  const lineStarts = computeLineStarts(text);
  const findings: IndexedFinding[] = result.findings.map((f) => {
    const s = lineColumn(lineStarts, f.start);
    const e = lineColumn(lineStarts, f.end);
    return {
      ruleId: f.ruleId, start: f.start, end: f.end, line: s.line, column: s.column, endLine: e.line, endColumn: e.column,
      severity: f.severity, checklist: f.checklist, message: f.message,
      fixable: f.fixes.some((x) => x.edits.length > 0), // a command-only action (configure a logger) changes no code
    };
  });
  const unusedSuppressions = result.unusedSuppressions.map((u) => ({ ...lineColumn(lineStarts, u.start), ruleIds: u.ruleIds }));
  return { file: fileName, summary: result.summary ?? emptySummary(), findings, lineStarts, unusedSuppressions };
}
