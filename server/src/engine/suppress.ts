/**
 * Inline suppressions, ESLint-style:
 *   // failpath-disable-next-line missing-timeout -- the SDK enforces its own deadline
 *   // failpath-disable-line no-fallback
 *   /* failpath-disable unstructured-log *\/ … /* failpath-enable unstructured-log *\/
 * No rule ids means every rule. Text after `--` is the reason and is ignored.
 */
import type * as ts from 'typescript';
import { lineIndexOf } from './lines';

interface Directive {
  kind: 'next-line' | 'line' | 'block';
  /** Empty: all rules. */
  ruleIds: string[];
  start: number;
  end: number;
  /** Offsets covered: [from, to). */
  from: number;
  to: number;
  used: boolean;
}

export interface Suppressions {
  suppresses(ruleId: string, offset: number): boolean;
  unused(): { start: number; end: number; ruleIds: string[] }[];
}

const MARK = 'failpath-disable';

export function parseSuppressions(sf: ts.SourceFile): Suppressions {
  const text = sf.text;
  const lineStarts = sf.getLineStarts();
  const lineOf = (offset: number): number => lineIndexOf(lineStarts, offset);
  const lineEnd = (line: number) => (line + 1 < lineStarts.length ? lineStarts[line + 1] : text.length + 1);
  const directives: Directive[] = [];
  const openBlocks: Directive[] = [];

  let at = text.indexOf(MARK);
  while (at !== -1) {
    const line = lineOf(at);
    const before = text.slice(lineStarts[line], at);
    const lineComment = before.lastIndexOf('//');
    const blockComment = before.lastIndexOf('/*');
    const inComment = lineComment !== -1 || blockComment !== -1;
    if (inComment) {
      const isBlock = blockComment > lineComment;
      const commentStart = lineStarts[line] + (isBlock ? blockComment : lineComment);
      const close = isBlock ? text.indexOf('*/', at) : -1;
      const commentEnd = isBlock ? (close === -1 ? text.length : close + 2) : Math.min(lineEnd(line) - 1, text.length);
      let body = text.slice(at + MARK.length, isBlock ? (close === -1 ? text.length : close) : commentEnd);
      let kind: Directive['kind'] = 'block';
      if (body.startsWith('-next-line')) { kind = 'next-line'; body = body.slice('-next-line'.length); }
      else if (body.startsWith('-line')) { kind = 'line'; body = body.slice('-line'.length); }
      if (body.length === 0 || /^\s/.test(body)) {
        const reasonAt = body.indexOf('--');
        const ids = (reasonAt === -1 ? body : body.slice(0, reasonAt)).split(/[\s,]+/).filter(Boolean);
        let from: number;
        let to: number;
        if (kind === 'next-line') { from = lineEnd(line); to = lineEnd(line + 1); }
        else if (kind === 'line') { from = lineStarts[line]; to = lineEnd(line); }
        else { from = commentEnd; to = text.length + 1; }
        const d: Directive = { kind, ruleIds: ids, start: commentStart, end: commentEnd, from, to, used: false };
        directives.push(d);
        if (kind === 'block') openBlocks.push(d);
      }
    }
    at = text.indexOf(MARK, at + MARK.length);
  }
  // close blocks at matching failpath-enable comments
  if (openBlocks.length) {
    let en = text.indexOf('failpath-enable');
    while (en !== -1) {
      const close = text.indexOf('*/', en);
      const ids = text.slice(en + 'failpath-enable'.length, close === -1 ? undefined : close).split(/[\s,]+/).filter(Boolean);
      for (const d of openBlocks) {
        if (d.to > en && d.from <= en && (ids.length === 0 || d.ruleIds.length === 0 || ids.some((i) => d.ruleIds.includes(i)))) d.to = en;
      }
      en = text.indexOf('failpath-enable', en + 1);
    }
  }
  return {
    suppresses(ruleId, offset) {
      let hit = false;
      for (const d of directives) {
        if (offset >= d.from && offset < d.to && (d.ruleIds.length === 0 || d.ruleIds.includes(ruleId))) {
          d.used = true;
          hit = true;
        }
      }
      return hit;
    },
    unused() {
      return directives.filter((d) => !d.used).map((d) => ({ start: d.start, end: d.end, ruleIds: d.ruleIds }));
    },
  };
}
