/**
 * The RuleTester's `view` option: a case's partial ProjectView is merged over EMPTY_VIEW and
 * reaches the rule as ctx.view; without it the rule sees EMPTY_VIEW.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRule } from '../../server/src/engine/types';
import { EMPTY_VIEW, type ProjectView } from '../../server/src/engine/view';
import { runRule, runRuleTests, viewOf } from '../harness/ruleTester';

const seen: ProjectView[] = [];
const viewRule = createRule({
  meta: {
    id: 'view-probe', checklist: 'scale', severity: 'warning', fixable: false, summary: 'Reports every call to a known limiter.',
    messages: { limiter: '{{name}}() is a limiter ({{role}})' },
  },
  defaultOptions: {},
  create(ctx) {
    seen.push(ctx.view);
    const names = new Set(ctx.view.limiters.map((l) => l.name));
    return {
      CallExpression(node) {
        const name = node.expression.getText(ctx.sourceFile);
        if (names.has(name)) ctx.report({ node, messageId: 'limiter', data: { name, role: ctx.view.role } });
      },
    };
  },
});

describe('RuleTester view option', () => {
  it('viewOf merges the given fields over EMPTY_VIEW and returns EMPTY_VIEW itself without a view', () => {
    assert.equal(viewOf(undefined), EMPTY_VIEW);
    const v = viewOf({ role: 'script', limiters: [{ file: '/project/src/limits.ts', name: 'apiLimiter' }] });
    assert.deepEqual({ ...v, summaryOf: undefined }, { ...EMPTY_VIEW, summaryOf: undefined, role: 'script', limiters: [{ file: '/project/src/limits.ts', name: 'apiLimiter' }] });
    assert.equal(v.summaryOf, EMPTY_VIEW.summaryOf);
  });

  it('runRule hands the case view to the rule as ctx.view', () => {
    seen.length = 0;
    const findings = runRule(viewRule, { code: 'apiLimiter();\nother();\n', view: { limiters: [{ file: '/project/src/limits.ts', name: 'apiLimiter' }] } });
    assert.deepEqual(findings.map((f) => f.message), ['apiLimiter() is a limiter (server)']);
    assert.deepEqual(seen.map((v) => v.limiters.map((l) => l.name)), [['apiLimiter']]);
    seen.length = 0;
    assert.deepEqual(runRule(viewRule, { code: 'apiLimiter();\n' }), []);
    assert.equal(seen[0], EMPTY_VIEW);
  });
});

runRuleTests(viewRule, {
  valid: [{ code: 'apiLimiter();\n', name: 'without a view nothing is known' }],
  invalid: [{
    code: 'apiLimiter();\n',
    name: 'with a view the rule knows the limiter',
    view: { role: 'script', limiters: [{ file: '/project/src/limits.ts', name: 'apiLimiter' }] },
    errors: [{ line: 1, column: 1, endColumn: 13, message: 'apiLimiter() is a limiter (script)' }],
  }],
});
