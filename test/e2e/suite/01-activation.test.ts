/** The extension as users get it: activation on a .ts file, the server from the bundled dist/. */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { EXTENSION_ID, openFixture, waitForCode } from './helpers';

interface FailpathApi {
  client: { isRunning(): boolean; initializeResult?: { serverInfo?: { name: string } } };
  ready: Promise<void>;
}

describe('activation', () => {
  it('activates on opening a .ts file and starts the server from dist/server.js', async () => {
    const ext = vscode.extensions.getExtension<FailpathApi>(EXTENSION_ID);
    assert.ok(ext, `extension ${EXTENSION_ID} is loaded from the development path`);
    assert.equal(ext.packageJSON.main, './dist/client.js');
    assert.equal(ext.isActive, false, 'nothing activates Failpath before a TypeScript file is open');

    const activated = new Promise<void>((resolve) => {
      const sub = vscode.extensions.onDidChange(() => {
        if (ext.isActive) { sub.dispose(); resolve(); }
      });
    });
    const { doc } = await openFixture('src/users.ts');
    assert.equal(doc.languageId, 'typescript');
    // the first diagnostic can only come from a started server
    await waitForCode(doc.uri, 'missing-timeout');
    if (!ext.isActive) await activated;
    assert.equal(ext.isActive, true);

    const api = ext.exports;
    await api.ready;
    assert.equal(api.client.isRunning(), true);
    assert.equal(api.client.initializeResult?.serverInfo?.name, 'failpath');
    // the server process runs the bundle, not the sources
    const proc = (api.client as unknown as { _serverProcess?: { spawnargs: string[]; pid?: number } })._serverProcess;
    assert.ok(proc?.pid, 'the language server runs in a child process');
    assert.ok(
      proc.spawnargs.includes(path.join(ext.extensionPath, 'dist', 'server.js')),
      `server started from dist/server.js, got: ${proc.spawnargs.join(' ')}`,
    );
  });
});
