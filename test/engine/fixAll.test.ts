/**
 * Fix all (engine/fixAll.ts): the preferred safe fixes in one edit list, overlap resolution,
 * passes until a fixed point, and idempotence.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as ts from 'typescript';
import { fixAll, selectFixAllEdits, diffEdit } from '../../server/src/engine/fixAll';
import { applyEdits } from '../../server/src/fixes/edits';
import { defineRule, type Finding, type Fix } from '../../server/src/engine/types';
import { missingTimeout } from '../../server/src/rules/missing-timeout';
import { analyze } from '../../server/src/engine/analyze';

function finding(start: number, fixes: Fix[]): Finding {
  return { ruleId: 'r', start, end: start + 1, message: 'm', severity: 'warning', checklist: 'recover', fixes };
}
const edit = (start: number, end: number, newText: string) => ({ start, end, newText });

describe('selectFixAllEdits', () => {
  it('takes preferred safe quick fixes only', () => {
    const { edits, fixed } = selectFixAllEdits([
      finding(0, [{ title: 'a', edits: [edit(0, 1, 'A')], isPreferred: true, safe: true }]),
      finding(2, [{ title: 'not preferred', edits: [edit(2, 3, 'B')], safe: true }]),
      finding(4, [{ title: 'not safe', edits: [edit(4, 5, 'C')], isPreferred: true }]),
      finding(6, [{ title: 'refactor', edits: [edit(6, 7, 'D')], isPreferred: true, safe: true, kind: 'refactor.rewrite' }]),
      finding(8, [{ title: 'alt', edits: [edit(8, 9, 'x')], safe: true }, { title: 'main', edits: [edit(8, 9, 'E')], isPreferred: true, safe: true }]),
    ]);
    assert.deepEqual(edits, [edit(0, 1, 'A'), edit(8, 9, 'E')]);
    assert.equal(fixed.length, 2);
  });

  it('skips a fix overlapping one already taken, keeps the first', () => {
    const { edits } = selectFixAllEdits([
      finding(0, [{ title: 'outer', edits: [edit(0, 10, 'X')], isPreferred: true, safe: true }]),
      finding(3, [{ title: 'inner', edits: [edit(3, 5, 'Y')], isPreferred: true, safe: true }]),
      finding(12, [{ title: 'after', edits: [edit(12, 12, 'Z')], isPreferred: true, safe: true }]),
    ]);
    assert.deepEqual(edits, [edit(0, 10, 'X'), edit(12, 12, 'Z')]);
  });

  it('an insertion inside a taken replacement overlaps; one at its edge does not', () => {
    const inside = selectFixAllEdits([
      finding(0, [{ title: 'r', edits: [edit(2, 6, 'X')], isPreferred: true, safe: true }]),
      finding(4, [{ title: 'i', edits: [edit(4, 4, 'Y')], isPreferred: true, safe: true }]),
    ]);
    assert.deepEqual(inside.edits, [edit(2, 6, 'X')]);
    const edge = selectFixAllEdits([
      finding(0, [{ title: 'r', edits: [edit(2, 6, 'X')], isPreferred: true, safe: true }]),
      finding(6, [{ title: 'i', edits: [edit(6, 6, 'Y')], isPreferred: true, safe: true }]),
    ]);
    assert.deepEqual(edge.edits, [edit(2, 6, 'X'), edit(6, 6, 'Y')]);
  });

  it('the same import added by two fixes is added once', () => {
    const imp = edit(0, 0, "import { logger } from './log';\n");
    const { edits, fixed } = selectFixAllEdits([
      finding(10, [{ title: 'a', edits: [imp, edit(10, 11, 'A')], isPreferred: true, safe: true }]),
      finding(20, [{ title: 'b', edits: [{ ...imp }, edit(20, 21, 'B')], isPreferred: true, safe: true }]),
    ]);
    assert.deepEqual(edits, [imp, edit(10, 11, 'A'), edit(20, 21, 'B')]);
    assert.equal(fixed.length, 2);
  });
});

describe('selectFixAllEdits on many findings', () => {
  // found by the fuzz campaign (seed 1, input 168): 1.28 MB of `await fetch(u);\nconsole.log(x);`
  // lines, 80,214 findings; every new edit was compared with every edit taken (16,000 findings: 1 s)
  it('looks at each taken edit a bounded number of times (binary search), with the same result', () => {
    const n = 20_000;
    let reads = 0;
    const counted = (start: number, end: number, newText: string) => {
      const e = { newText } as { start: number; end: number; newText: string };
      Object.defineProperty(e, 'start', { get: () => { reads++; return start; }, enumerable: true });
      Object.defineProperty(e, 'end', { get: () => { reads++; return end; }, enumerable: true });
      return e;
    };
    const findings: Finding[] = [];
    for (let i = 0; i < n; i++) {
      // an insertion per finding, plus the same import at 0 from every other one
      const edits = [counted(10 + i * 10, 10 + i * 10, `a${i}`), ...(i % 2 ? [counted(0, 0, 'import x;')] : [])];
      findings.push(finding(10 + i * 10, [{ title: 't', edits, isPreferred: true, safe: true }]));
    }
    const { edits, fixed } = selectFixAllEdits(findings);
    assert.equal(fixed.length, n);
    assert.equal(edits.length, n + 1);
    assert.deepEqual(edits.slice(0, 3).map((e) => [e.start, e.end, e.newText]), [[0, 0, 'import x;'], [10, 10, 'a0'], [20, 20, 'a1']]);
    // the old loop read edit positions 1,200,180,224 times here (39 s); the binary search about 1,150,000
    assert.ok(reads < 40 * n * Math.log2(n), `${reads} reads of edit positions for ${n} findings`);
  });
});

describe('fixAll', () => {
  const code = `export async function sync(a: string, b: string) {
  const x = await fetch(a);
  const y = await fetch(b, { method: 'POST' });
  return [x, y];
}
`;
  const fixed = `export async function sync(a: string, b: string) {
  const x = await fetch(a, { signal: AbortSignal.timeout(10000) });
  const y = await fetch(b, { method: 'POST', signal: AbortSignal.timeout(10000) });
  return [x, y];
}
`;

  it('one pass: the fixes\' own small edits, exact output', () => {
    const result = fixAll({ text: code, fileName: 'src/sync.ts', rules: [missingTimeout] });
    assert.equal(result.text, fixed);
    assert.equal(result.passes, 1);
    assert.equal(result.fixed, 2);
    assert.equal(result.edits.length, 2);
    assert.equal(applyEdits(code, result.edits), fixed);
  });

  it('is idempotent: nothing left to do on its own output', () => {
    const again = fixAll({ text: fixed, fileName: 'src/sync.ts', rules: [missingTimeout] });
    assert.deepEqual(again, { text: fixed, edits: [], fixed: 0, passes: 0 });
  });

  it('the caller\'s findings of the input text replace the first analysis (the editor passes its own)', () => {
    const analyzed = analyze({ text: code, fileName: 'src/sync.ts', rules: [missingTimeout] }).findings;
    assert.deepEqual(fixAll({ text: code, fileName: 'src/sync.ts', rules: [missingTimeout], findings: analyzed }).text, fixed);
    // only the first of the two findings given: the first pass fixes it, the next pass (a real analysis) finds the other
    const one = fixAll({ text: code, fileName: 'src/sync.ts', rules: [missingTimeout], findings: analyzed.slice(0, 1) });
    assert.equal(one.text, fixed);
    assert.equal(one.passes, 2);
    // no findings given: nothing to fix on the first pass, so the text is left as it is
    assert.deepEqual(fixAll({ text: code, fileName: 'src/sync.ts', rules: [missingTimeout], findings: [] }), { text: code, edits: [], fixed: 0, passes: 0 });
  });

  // a rule whose fixes of nested calls overlap: old(old(1)) → neu(neu(1)) takes two passes
  const renameOld = defineRule({
    id: 'rename-old',
    checklist: 'understand',
    severity: 'warning',
    summary: 'test rule: old() is renamed neu()',
    fixable: true,
    visit: {
      CallExpression(call, ctx) {
        if (!ts.isIdentifier(call.expression) || call.expression.text !== 'old') return;
        const start = call.getStart(ctx.sourceFile);
        const args = ctx.text.slice(call.arguments.pos, call.arguments.end);
        ctx.report({ node: call, message: 'old', fixes: [{ title: 'rename', edits: [{ start, end: call.end, newText: `neu(${args})` }], isPreferred: true, safe: true }] });
      },
    },
  });

  it('overlapping fixes are applied in later passes, returned as one edit', () => {
    const text = 'const v = old(old(1));\nconst w = 2;\n';
    const result = fixAll({ text, fileName: 'src/a.ts', rules: [renameOld] });
    assert.equal(result.text, 'const v = neu(neu(1));\nconst w = 2;\n');
    assert.equal(result.passes, 2);
    assert.equal(result.fixed, 2);
    assert.deepEqual(result.edits, [{ start: 10, end: 17, newText: 'neu(neu' }]);
    assert.equal(applyEdits(text, result.edits), result.text);
  });

  it('a fix that makes a new fixable finding gets another pass, though nothing was left out', () => {
    // old() → mid(), and mid() → neu(): no two fixes overlap, yet the first pass leaves a finding
    const chain = defineRule({
      id: 'chain',
      checklist: 'understand',
      severity: 'warning',
      summary: 'test rule: old() → mid() → neu()',
      fixable: true,
      visit: {
        CallExpression(call, ctx) {
          if (!ts.isIdentifier(call.expression)) return;
          const next = ({ old: 'mid', mid: 'neu' } as Record<string, string>)[call.expression.text];
          if (!next) return;
          const start = call.expression.getStart(ctx.sourceFile);
          ctx.report({ node: call, message: 'rename', fixes: [{ title: 'rename', edits: [{ start, end: call.expression.end, newText: next }], isPreferred: true, safe: true }] });
        },
      },
    });
    const seen: string[] = [];
    const result = fixAll({ text: 'old(1);\n', fileName: 'src/a.ts', rules: [chain], inputFor: (text) => { seen.push(text); return {}; } });
    assert.equal(result.text, 'neu(1);\n');
    assert.equal(result.passes, 2);
    // each pass's text is handed to the project model (its view's spans are offsets into that text)
    assert.deepEqual(seen, ['old(1);\n', 'mid(1);\n', 'neu(1);\n']);
  });

  it('stops after maxPasses', () => {
    const result = fixAll({ text: 'old(old(old(1)));\n', fileName: 'src/a.ts', rules: [renameOld] }, 1);
    assert.equal(result.text, 'neu(old(old(1)));\n');
  });
});

describe('diffEdit', () => {
  it('replaces only what differs', () => {
    assert.deepEqual(diffEdit('abcdef', 'abXYef'), { start: 2, end: 4, newText: 'XY' });
    assert.deepEqual(diffEdit('abc', 'abc'), { start: 3, end: 3, newText: '' });
    assert.deepEqual(diffEdit('ab', 'aXb'), { start: 1, end: 1, newText: 'X' });
  });
  it('never splits a surrogate pair', () => {
    const a = 'x\u{1F600}y';
    const b = 'x\u{1F601}y';
    const e = diffEdit(a, b);
    assert.equal(applyEdits(a, [e]), b);
    assert.deepEqual(e, { start: 1, end: 3, newText: '\u{1F601}' });
  });
});
