/**
 * An invalid .failpath.json in the real VS Code: the server's diagnostics appear ON the config
 * file (which the TS/JS document selector does not cover: they are published for the file on
 * disk), at the bad spot, while TypeScript files keep their diagnostics; fixing the file clears them.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { closeAll, describeDiagnostic, fixtureUri, openFixture, waitForCode, waitForDiagnostics } from './helpers';

describe('.failpath.json problems', () => {
  const config = fixtureUri('.failpath.json');
  after(async () => {
    await closeAll();
    await vscode.workspace.fs.delete(config).then(undefined, () => undefined);
  });

  it('are shown on the config file at the bad spot, and cleared when it is fixed', async () => {
    const { doc } = await openFixture('src/users.ts');
    await waitForCode(doc.uri, 'missing-timeout');
    await vscode.workspace.fs.writeFile(config, Buffer.from('{\n  "timeoutMs": "soon",\n  "rules": { "no-such-rule": "off" }\n}\n'));
    const diags = await waitForDiagnostics(config, (ds) => ds.length === 2, 'two problems on .failpath.json');
    assert.deepEqual(diags.map(describeDiagnostic), [
      'undefined 1:15-1:21 expected a whole number of milliseconds between 1 and 360000',
      'undefined 2:13-2:27 unknown rule id "no-such-rule"; ignoring',
    ]);
    assert.deepEqual(diags.map((d) => d.severity), [vscode.DiagnosticSeverity.Error, vscode.DiagnosticSeverity.Warning]);
    // the TypeScript file still has its diagnostics (the bad value fell back to its default)
    await waitForCode(doc.uri, 'missing-timeout');

    await vscode.workspace.fs.writeFile(config, Buffer.from('{ "timeoutMs": 5000 }\n'));
    await waitForDiagnostics(config, (ds) => ds.length === 0, 'the problems cleared');
  });
});
