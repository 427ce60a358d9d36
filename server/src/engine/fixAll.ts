/**
 * Fix all: the preferred safe fixes of a file, applied together. Used by the server's
 * `source.fixAll.failpath` and meant for `failpath fix`. Pure: text in, text and edits out.
 *
 * A pass takes, in finding order, each finding's preferred fix when it is `safe`, and skips a fix
 * whose edits overlap an edit already taken (identical edits — the same import added by two
 * fixes — are taken once). Skipped fixes get their turn in the next pass, on the re-analysed
 * text, so the result is a fixed point: running fix-all again changes nothing.
 */
import { analyze, type AnalyzeInput } from './analyze';
import { applyEdits } from '../fixes/edits';
import type { Finding, Fix, TextEdit } from './types';

/** The fix fix-all applies for a finding, if any: its preferred fix, when safe and non-empty. */
export function fixAllFixOf(finding: Finding): Fix | undefined {
  const fix = finding.fixes.find((f) => f.isPreferred);
  return fix && fix.safe && fix.edits.length > 0 && (fix.kind ?? 'quickfix') === 'quickfix' ? fix : undefined;
}

/** Strictly overlapping ranges; an insertion overlaps a replacement only strictly inside it. */
function overlaps(a: TextEdit, b: TextEdit): boolean {
  return a.start < b.end && b.start < a.end;
}

function sameEdit(a: TextEdit, b: TextEdit): boolean {
  return a.start === b.start && a.end === b.end && a.newText === b.newText;
}

/** One pass: the non-overlapping preferred safe fixes of these findings, as one edit list. */
export function selectFixAllEdits(findings: readonly Finding[]): { edits: TextEdit[]; fixed: Finding[] } {
  const edits: TextEdit[] = [];
  const fixed: Finding[] = [];
  for (const finding of findings) {
    const fix = fixAllFixOf(finding);
    if (!fix) continue;
    const fresh = fix.edits.filter((e) => !edits.some((t) => sameEdit(t, e)));
    if (fresh.some((e) => edits.some((t) => overlaps(t, e)))) continue;
    if (fresh.some((e, i) => fresh.some((o, j) => i !== j && overlaps(o, e)))) continue;
    edits.push(...fresh);
    fixed.push(finding);
  }
  edits.sort((a, b) => a.start - b.start || a.end - b.end);
  return { edits, fixed };
}

export interface FixAllResult {
  /** The text after every pass. */
  text: string;
  /** Edits against the input text that produce `text` (empty when nothing changed). */
  edits: TextEdit[];
  /** How many findings were fixed over all passes. */
  fixed: number;
  passes: number;
}

/**
 * Applies fix-all passes until no safe fix is left (at most `maxPasses`). When one pass was
 * enough, `edits` are that pass's own small edits; otherwise one edit covering what changed.
 */
export function fixAll(input: AnalyzeInput, maxPasses = 10): FixAllResult {
  const original = input.text;
  let text = original;
  let firstPass: TextEdit[] = [];
  let fixed = 0;
  let passes = 0;
  while (passes < maxPasses) {
    const { findings } = analyze({ ...input, text });
    const { edits, fixed: now } = selectFixAllEdits(findings);
    if (edits.length === 0) break;
    const next = applyEdits(text, edits);
    if (next === text) break;
    if (passes === 0) firstPass = edits;
    passes++;
    fixed += now.length;
    text = next;
  }
  if (passes === 0) return { text, edits: [], fixed: 0, passes: 0 };
  return { text, edits: passes === 1 ? firstPass : [diffEdit(original, text)], fixed, passes };
}

/** The single replacement turning `a` into `b`: everything between their common prefix and suffix. */
export function diffEdit(a: string, b: string): TextEdit {
  let p = 0;
  const max = Math.min(a.length, b.length);
  while (p < max && a.charCodeAt(p) === b.charCodeAt(p)) p++;
  // do not split a surrogate pair
  if (p > 0 && p < max && isHighSurrogate(a.charCodeAt(p - 1))) p--;
  let s = 0;
  while (s < max - p && a.charCodeAt(a.length - 1 - s) === b.charCodeAt(b.length - 1 - s)) s++;
  if (s > 0 && s < max - p && isLowSurrogate(a.charCodeAt(a.length - s))) s--;
  return { start: p, end: a.length - s, newText: b.slice(p, b.length - s) };
}

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}
