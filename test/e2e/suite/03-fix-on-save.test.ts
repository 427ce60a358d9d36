/**
 * editor.codeActionsOnSave with source.fixAll.failpath: saving applies every safe fix. The setting
 * is in the session's user settings (test/e2e/lib/session.mjs) from the start.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { closeAll, codeOf, openFixture, waitForDiagnostics, waitForText } from './helpers';

const FIXED = `import { logger } from './lib/logger';

export async function checkout(cartId: string) {
  logger.info({ cartId }, 'checkout started');
  const res = await fetch(\`https://payments.internal/carts/\${cartId}/charge\`, { method: 'POST', signal: AbortSignal.timeout(10000) });
  logger.info({ cartId, status: res.status }, 'checkout done');
  return res.ok;
}
`;

describe('fix all on save', () => {
  after(closeAll);

  it('source.fixAll.failpath: "explicit" fixes the file when it is saved', async () => {
    assert.deepEqual(vscode.workspace.getConfiguration('editor').get('codeActionsOnSave'), { 'source.fixAll.failpath': 'explicit' });
    const { doc, editor } = await openFixture('src/checkout.ts');
    const codes = (ds: vscode.Diagnostic[]) => ds.map(codeOf).sort().join(',');
    await waitForDiagnostics(doc.uri, (ds) => codes(ds) === 'missing-timeout,unstructured-log', 'missing-timeout and unstructured-log');

    // the fix-all action itself, as VS Code asks for it
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider', doc.uri, new vscode.Range(0, 0, 0, 0), 'source.fixAll.failpath');
    assert.deepEqual(actions.map((a) => a.kind?.value), ['source.fixAll.failpath']);

    // a user edit, then Ctrl+S
    assert.ok(await editor.edit((b) => b.insert(new vscode.Position(1, 0), '// checkout flow\n')));
    assert.equal(doc.isDirty, true);
    await vscode.commands.executeCommand('workbench.action.files.save');

    const expected = FIXED.replace('\n\nexport', '\n// checkout flow\n\nexport');
    // the fixes reach this (the extension host's) copy of the document as change events, which
    // need not arrive before the save command's answer: wait for them, not for a time
    await waitForText(doc, (t) => t === expected, `the fixed text (dirty: ${doc.isDirty}; on disk:\n${fs.readFileSync(doc.uri.fsPath, 'utf8')})`);
    assert.equal(doc.isDirty, false, 'saved');
    assert.equal(fs.readFileSync(doc.uri.fsPath, 'utf8'), expected, 'the fixed text is what reached the disk');
    await waitForDiagnostics(doc.uri, (ds) => ds.length === 0, 'no Failpath diagnostics');
  });
});
