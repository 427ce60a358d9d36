/** failpath.* settings apply live, without a restart. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { closeAll, openFixture, setFailpathSetting, waitForCode, waitForDiagnostics, waitForNoCode, codeOf } from './helpers';

describe('settings', () => {
  after(async () => {
    await setFailpathSetting('rules', undefined);
    await closeAll();
  });

  it('failpath.rules turns a rule off and on again, and changes its severity, live', async () => {
    const { doc } = await openFixture('src/notify.ts');
    const before = await waitForCode(doc.uri, 'unstructured-log');
    assert.equal(before.severity, vscode.DiagnosticSeverity.Information); // its default (docs/precision.md)

    await setFailpathSetting('rules', { 'unstructured-log': 'off' });
    await waitForNoCode(doc.uri, 'unstructured-log');

    await setFailpathSetting('rules', { 'unstructured-log': 'error' });
    const [after] = await waitForDiagnostics(
      doc.uri,
      (ds) => ds.some((d) => codeOf(d) === 'unstructured-log' && d.severity === vscode.DiagnosticSeverity.Error),
      'unstructured-log as an error',
    );
    assert.equal(codeOf(after), 'unstructured-log');
  });
});
