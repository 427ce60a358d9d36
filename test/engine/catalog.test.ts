/**
 * The catalog's contract: every rule file is registered, and every registered rule has a doc
 * page, a test file with at least 25 cases, a checklist item, and — when fixable — tests that
 * check exact fix output.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { ALL_RULES } from '../../server/src/rules';
import { CHECKLIST_ITEMS } from '../../server/src/engine/types';

const repo = path.join(__dirname, '..', '..');

/** Counts `valid`/`invalid` cases and exact-output invalid cases in a runRuleTests(...) call. */
function countCases(file: string): { valid: number; invalid: number; withOutput: number } {
  const sf = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const counts = { valid: 0, invalid: 0, withOutput: 0 };
  const visit = (n: ts.Node): void => {
    if (ts.isCallExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === 'runRuleTests') {
      const cases = n.arguments[1];
      if (cases && ts.isObjectLiteralExpression(cases)) {
        for (const p of cases.properties) {
          if (!ts.isPropertyAssignment(p) || !ts.isIdentifier(p.name) || !ts.isArrayLiteralExpression(p.initializer)) continue;
          const els = p.initializer.elements;
          if (p.name.text === 'valid') counts.valid += els.length;
          if (p.name.text === 'invalid') {
            counts.invalid += els.length;
            for (const el of els) {
              if (ts.isObjectLiteralExpression(el) && el.properties.some((q) => ts.isPropertyAssignment(q) && q.name.getText() === 'output' && q.initializer.kind !== ts.SyntaxKind.NullKeyword)) counts.withOutput++;
            }
          }
        }
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return counts;
}

describe('rule catalog', () => {
  it('every rule file is registered', () => {
    const files = fs.readdirSync(path.join(repo, 'server/src/rules')).filter((f) => f.endsWith('.ts') && f !== 'index.ts');
    assert.deepEqual(files.map((f) => f.slice(0, -3)).sort(), ALL_RULES.map((r) => r.id).sort());
  });
  it('rule ids are unique', () => {
    assert.equal(new Set(ALL_RULES.map((r) => r.id)).size, ALL_RULES.length);
  });
  for (const rule of ALL_RULES) {
    describe(rule.id, () => {
      it('has a checklist item, a severity and a summary', () => {
        assert.ok(CHECKLIST_ITEMS.includes(rule.checklist));
        assert.ok(['error', 'warning', 'info', 'hint'].includes(rule.severity));
        assert.ok(rule.summary.length > 20);
      });
      it('has a doc page with the outage, bad/good examples and the fix', () => {
        const doc = fs.readFileSync(path.join(repo, 'docs/rules', `${rule.id}.md`), 'utf8');
        assert.match(doc, new RegExp(`^# ${rule.id}\\b`));
        // the doc states the default severity the rule ships with (issue 14: a rule below the bar ships at info and says why)
        assert.match(doc, new RegExp(`\\*\\*Default severity:\\*\\* ${rule.severity}\\b`));
        if (rule.severity === 'info' && /\(\[why\]\(#why-info\)\)/.test(doc)) assert.ok(doc.includes('## Why info'), 'the why link has its section');
        for (const heading of ['## The outage it prevents', '## Bad', '## Good']) assert.ok(doc.includes(heading), `missing "${heading}"`);
        if (rule.fixable) assert.ok(doc.includes('## Fix'), 'fixable rule documents its fix');
      });
      it('has at least 25 test cases, with exact-output fix tests when fixable', () => {
        const counts = countCases(path.join(repo, 'test/rules', `${rule.id}.test.ts`));
        assert.ok(counts.valid + counts.invalid >= 25, `${counts.valid} valid + ${counts.invalid} invalid`);
        assert.ok(counts.valid >= 5 && counts.invalid >= 5, 'both valid and invalid cases');
        if (rule.fixable) assert.ok(counts.withOutput >= 3, `only ${counts.withOutput} exact-output fix tests`);
      });
    });
  }
});
