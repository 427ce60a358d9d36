/**
 * A person's view: screenshots of the real workbench, taken by the runner (Playwright) when the
 * suite asks through the channel — the editor with Failpath's squiggles, the hover on a finding,
 * the quick-fix menu open. Saved as test-results/<name>.png. The runner waits for the given
 * selector to be visible before it shoots, so a screenshot is also an assertion that VS Code
 * rendered what the API reported. (Under the Electron runner no screenshots are taken.)
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { closeAll, codeOf, openFixture, rangeOf, waitForDiagnostics } from './helpers';
import { runConfig, screenshot } from './channel';

describe('screenshots', () => {
  after(closeAll);

  it('the editor with squiggles, the hover on a finding, the quick-fix menu', async function () {
    const { doc, editor } = await openFixture('src/orders.ts');
    const diags = await waitForDiagnostics(doc.uri, (ds) => ['missing-timeout', 'no-fallback', 'unstructured-log', 'swallowed-error']
      .every((c) => ds.some((d) => codeOf(d) === c)), 'the four core rules on orders.ts');
    assert.ok(diags.length >= 5);
    if (!runConfig().screenshots) this.skip();

    // the squiggles, and the Problems panel listing the findings
    const fetchCall = rangeOf(doc, 'fetch');
    editor.selection = new vscode.Selection(fetchCall.start, fetchCall.start);
    editor.revealRange(new vscode.Range(0, 0, doc.lineCount - 1, 0));
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    await screenshot('editor-squiggles', '.markers-panel :text("fetch() has no timeout")');
    await vscode.commands.executeCommand('workbench.action.focusActiveEditorGroup');

    // the hover on the fetch() finding
    await vscode.commands.executeCommand('editor.action.showHover');
    // (the hover's "Quick Fix..." link appears once the code actions have been computed)
    await screenshot('hover', '.monaco-hover:has-text("fetch() has no timeout"):has-text("Quick Fix...")');
    await vscode.commands.executeCommand('editor.action.hideHover');

    // the quick-fix menu on the same finding
    await vscode.commands.executeCommand('editor.action.quickFix');
    await screenshot('quickfix-menu', '.action-widget:has-text("Add signal: AbortSignal.timeout(10000)")');
    await vscode.commands.executeCommand('hideCodeActionWidget');
  });
});
