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

/**
 * The edits taken so far, sorted by (start, end). No two of them overlap, so their ends are
 * sorted too, and the one edit that can overlap a new edit is the first ending after its start:
 * each look-up is a binary search (a file with 80,000 findings took 25 s when every new edit was
 * compared with every taken one).
 */
class TakenEdits {
  readonly list: TextEdit[] = [];
  private readonly keys = new Set<string>();

  has(e: TextEdit): boolean {
    return this.keys.has(key(e));
  }

  overlapsAny(e: TextEdit): boolean {
    const list = this.list;
    for (let i = firstNotBefore(list, (t) => t.end <= e.start); i < list.length && list[i].start < e.end; i++) {
      if (overlaps(list[i], e)) return true;
    }
    return false;
  }

  /** After the edits with the same range already taken, so equal ranges keep their order. */
  add(e: TextEdit): void {
    this.list.splice(firstNotBefore(this.list, (m) => m.start < e.start || (m.start === e.start && m.end <= e.end)), 0, e);
    this.keys.add(key(e));
  }
}

/** The first index whose edit is not `before` (those that are form a prefix of `list`). */
function firstNotBefore(list: readonly TextEdit[], before: (e: TextEdit) => boolean): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (before(list[mid])) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function key(e: TextEdit): string {
  return `${e.start}:${e.end}:${e.newText}`;
}

/** One pass: the non-overlapping preferred safe fixes of these findings, as one edit list. */
export function selectFixAllEdits(findings: readonly Finding[]): { edits: TextEdit[]; fixed: Finding[] } {
  const taken = new TakenEdits();
  const fixed: Finding[] = [];
  for (const finding of findings) {
    const fix = fixAllFixOf(finding);
    if (!fix) continue;
    const fresh = fix.edits.filter((e) => !taken.has(e));
    if (fresh.some((e) => taken.overlapsAny(e))) continue;
    if (fresh.some((e, i) => fresh.some((o, j) => i !== j && overlaps(o, e)))) continue;
    for (const e of fresh) taken.add(e);
    fixed.push(finding);
  }
  const edits = taken.list;
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
 * Applies fix-all passes until no safe fix is left (at most `maxPasses`). The result is analysed
 * again even when every fix was taken: a fix can make a new fixable finding (fuzz campaign seed
 * 20261206: 7 inputs in 42,000 where skipping that analysis left fix-all short of a fixed point). When one pass was
 * enough, `edits` are that pass's own small edits; otherwise one edit covering what changed.
 */
export interface FixAllInput extends AnalyzeInput {
  /** The findings of `text` as the caller analysed it (the editor has them): the first pass uses them. */
  findings?: readonly Finding[];
  /**
   * What the project model says about the file at each pass's text (its view: role, browser spans,
   * conventions; its parse): spans are offsets, so a later pass must not reuse the first one's.
   */
  inputFor?: (text: string) => Partial<Pick<AnalyzeInput, 'view' | 'sourceFile'>>;
}

export function fixAll(input: FixAllInput, maxPasses = 10): FixAllResult {
  const { findings: known, inputFor, ...rest } = input;
  const original = input.text;
  let text = original;
  let firstPass: TextEdit[] = [];
  let fixed = 0;
  let passes = 0;
  while (passes < maxPasses) {
    // the caller's findings of the input text (the editor has them) spare the first analysis
    const findings = passes === 0 && known ? known : analyze({ ...rest, text, ...inputFor?.(text) }).findings;
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
