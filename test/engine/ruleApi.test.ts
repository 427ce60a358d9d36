/**
 * Rule API v2 (createRule): create(ctx, options) once per file with its state in the closure,
 * message ids filled from data, fixes built only when read, the same failure containment as the
 * first API.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as ts from 'typescript';
import { analyze } from '../../server/src/engine/analyze';
import { createRule, formatMessage } from '../../server/src/engine/types';
import { DEFAULT_CONFIG } from '../../server/src/engine/config';

function countingRule(log: string[]) {
  return createRule({
    meta: {
      id: 'test-rule', checklist: 'recover', severity: 'warning', fixable: true, summary: 'A test rule.',
      messages: { call: '{{callee}}() is call number {{n}}', other: 'plain' },
    },
    defaultOptions: { prefix: 'x' },
    create(ctx, options) {
      let n = 0; // per-file state in the closure
      log.push(`create ${options.prefix}`);
      return {
        CallExpression(node) {
          n++;
          ctx.report({
            node: node.expression,
            messageId: 'call',
            data: { callee: node.expression.getText(ctx.sourceFile), n },
            fix: () => {
              log.push(`fix ${n}`);
              return [{ title: 'Rename', edits: [{ start: node.expression.getStart(ctx.sourceFile), end: node.expression.getEnd(), newText: `${options.prefix}Call` }], isPreferred: true, safe: true }];
            },
          });
        },
      };
    },
  });
}

describe('rule API v2', () => {
  it('the metadata is on the rule object, as for the first API', () => {
    const rule = countingRule([]);
    assert.deepEqual([rule.id, rule.checklist, rule.severity, rule.fixable, rule.summary], ['test-rule', 'recover', 'warning', true, 'A test rule.']);
  });

  it('create runs once per file with the options; messages are filled from data; state lives in the closure', () => {
    const log: string[] = [];
    const rule = countingRule(log);
    const config = { ...DEFAULT_CONFIG, rules: { 'test-rule': { options: { prefix: 'y' } } } };
    const r = analyze({ text: 'a();\nb.c();\n', fileName: 'src/x.ts', rules: [rule], config });
    assert.deepEqual(r.findings.map((f) => [f.message, f.messageId, f.fixable]), [['a() is call number 1', 'call', true], ['b.c() is call number 2', 'call', true]]);
    assert.deepEqual(log, ['create y']);
    const again = analyze({ text: 'd();\n', fileName: 'src/y.ts', rules: [rule] });
    assert.deepEqual(again.findings.map((f) => f.message), ['d() is call number 1']);
  });

  it('fixes are built when read, once, and not before', () => {
    const log: string[] = [];
    const r = analyze({ text: 'a();\nb();\n', fileName: 'src/x.ts', rules: [countingRule(log)] });
    assert.deepEqual(log, ['create x']);
    const second = r.findings[1];
    assert.deepEqual(second.fixes.map((f) => f.edits[0].newText), ['xCall']);
    second.fixes; // a second read does not build again
    assert.deepEqual(log, ['create x', 'fix 2']);
  });

  it('lazy fixes next to a syntax error are withheld when built; the finding stays', () => {
    const r = analyze({ text: 'a(;\n', fileName: 'src/x.ts', rules: [countingRule([])] });
    assert.equal(r.findings.length, 1);
    assert.deepEqual(r.findings[0].fixes, []);
  });

  it('a create that throws drops the rule for the file and reports it', () => {
    const broken = createRule({
      meta: { id: 'broken', checklist: 'recover', severity: 'warning', fixable: false, summary: 'Broken.', messages: { m: 'm' } },
      defaultOptions: {},
      create() { throw new Error('boom'); },
    });
    const r = analyze({ text: 'a();\n', fileName: 'src/x.ts', rules: [broken, countingRule([])] });
    assert.deepEqual(r.ruleErrors.map((e) => [e.ruleId, e.error.split('\n')[0]]), [['broken', 'boom']]);
    assert.equal(r.findings.length, 1);
  });

  it('formatMessage fills known placeholders and leaves unknown ones visible', () => {
    assert.equal(formatMessage('{{a}} and {{ b }} and {{c}}', { a: 1, b: 'two' }), '1 and two and {{c}}');
    assert.equal(formatMessage('{{constructor}}', {}), '{{constructor}}');
  });

  it('visitors receive typed nodes', () => {
    const seen: string[] = [];
    const rule = createRule({
      meta: { id: 'typed', checklist: 'recover', severity: 'warning', fixable: false, summary: 'Typed.', messages: { m: 'm' } },
      defaultOptions: {},
      create() {
        return { 'CatchClause:exit'(node) { seen.push(ts.SyntaxKind[node.kind]); } };
      },
    });
    analyze({ text: 'try { a(); } catch (e) {}\n', fileName: 'src/x.ts', rules: [rule] });
    assert.deepEqual(seen, ['CatchClause']);
  });
});
