/** The flag-guard refactor on a selection. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { applyCodeAction, closeAll, codeActions, openFixture, rangeOf } from './helpers';

describe('refactors', () => {
  after(closeAll);

  it('"Wrap in feature flag guard" is offered on a selected statement and wraps it', async () => {
    const { doc, editor } = await openFixture('src/receipts.ts');
    const stmt = rangeOf(doc, 'await mailer.send(order.email, `Receipt for order ${order.id}`);');
    editor.selection = new vscode.Selection(stmt.start, stmt.end);

    const actions = await codeActions(doc.uri, editor.selection, vscode.CodeActionKind.Refactor.value);
    const guard = actions.find((a) => a.title.startsWith('Wrap in feature flag guard'));
    assert.ok(guard, `flag guard offered; got ${JSON.stringify(actions.map((a) => a.title))}`);
    assert.equal(guard.kind?.value, 'refactor.rewrite');
    assert.equal(guard.title, 'Wrap in feature flag guard (env FF_SEND_RECEIPT=off disables it; no flag SDK found)');
    assert.notEqual(guard.isPreferred, true, 'a guard changes behaviour: never preferred');

    await applyCodeAction(guard);
    assert.equal(doc.getText(), `import { mailer } from './mailer';

export async function sendReceipt(order: { id: string; email: string }) {
  if (process.env.FF_SEND_RECEIPT !== 'off') {
    await mailer.send(order.email, \`Receipt for order \${order.id}\`);
  }
  return order.id;
}
`);

    // no selection, cursor in another function: not offered on an import
    const onImport = await codeActions(doc.uri, new vscode.Range(0, 3, 0, 3), vscode.CodeActionKind.Refactor.value);
    assert.equal(onImport.filter((a) => a.title.startsWith('Wrap in feature flag guard')).length, 0);
  });
});
