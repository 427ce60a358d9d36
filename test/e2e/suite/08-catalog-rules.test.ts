/**
 * One case per fixable catalog rule, in the real VS Code: the diagnostic appears (code, source,
 * severity, range), the rule's fix is offered by vscode.executeCodeActionProvider (the preferred
 * quick fix, or the named refactor for refactor-only rules), VS Code applies it, and the
 * diagnostic goes away. The expected texts in catalog-cases.json are the engine's own fix outputs
 * for these fixture files (each fix's exact output is unit-tested in test/rules/<id>.test.ts); this
 * suite checks that VS Code receives and applies exactly that, through the bundled server.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { applyCodeAction, assertRange, closeAll, codeActions, codeOf, openFixture, rangeOf, waitForCode, waitForNoCode, SOURCE } from './helpers';
import cases from './catalog-cases.json';

const SEVERITY: Record<string, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

describe('catalog rules in the editor', () => {
  afterEach(closeAll);

  for (const c of cases) {
    it(`${c.rule}: diagnostic, ${c.refactor ? 'refactor' : 'quick fix'}, exact fixed text, diagnostic gone`, async () => {
      const { doc } = await openFixture(c.file);
      const original = doc.getText();
      const diag = await waitForCode(doc.uri, c.rule);
      assert.equal(diag.source, SOURCE);
      assert.equal(codeOf(diag), c.rule);
      assert.equal(diag.severity, SEVERITY[c.severity]);
      assertRange(diag.range, rangeOf(doc, c.range, c.occurrence));

      const actions = await codeActions(doc.uri, diag.range, c.refactor ? vscode.CodeActionKind.Refactor.value : undefined);
      const fix = actions.find((a) => a.title === c.fixTitle);
      assert.ok(fix, `"${c.fixTitle}" offered; got: ${JSON.stringify(actions.map((a) => `${a.kind?.value} ${a.title}`))}`);
      if (!c.refactor) assert.equal(fix.isPreferred, true, 'the fix is the preferred one');
      else assert.notEqual(fix.isPreferred, true, 'a behaviour-changing refactor is never preferred');

      await applyCodeAction(fix);
      assert.equal(doc.getText(), c.expected);
      assert.notEqual(original, c.expected);
      await waitForNoCode(doc.uri, c.rule);
    });
  }
});
