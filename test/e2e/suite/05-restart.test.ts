/** "Failpath: Restart Server": a new server process, and the diagnostics come back. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { closeAll, EXTENSION_ID, openFixture, waitForCode, waitForDiagnostics } from './helpers';

interface Client { isRunning(): boolean }
const pidOf = (client: Client) => (client as unknown as { _serverProcess?: { pid?: number } })._serverProcess?.pid;

describe('restart', () => {
  after(closeAll);

  it('Failpath: Restart Server starts a new server and the diagnostics come back', async () => {
    const cmds = await vscode.commands.getCommands(true);
    assert.ok(cmds.includes('failpath.restartServer') && cmds.includes('failpath.showOutput'), 'commands are registered');
    const { doc } = await openFixture('src/users.ts');
    await waitForCode(doc.uri, 'missing-timeout');
    const client = vscode.extensions.getExtension<{ client: Client }>(EXTENSION_ID)!.exports.client;
    const pid = pidOf(client);
    assert.ok(pid);

    // stopping the server clears its diagnostics; the new one reports them again
    const cleared = waitForDiagnostics(doc.uri, (ds) => ds.length === 0, 'the diagnostics cleared by the stop');
    await vscode.commands.executeCommand('failpath.restartServer');
    await cleared;
    await waitForCode(doc.uri, 'missing-timeout');
    assert.equal(client.isRunning(), true);
    const newPid = pidOf(client);
    assert.ok(newPid && newPid !== pid, `a new server process (${pid} → ${newPid})`);
    assert.throws(() => process.kill(pid, 0), 'the old server process is gone');

    // the output channel command works too
    await vscode.commands.executeCommand('failpath.showOutput');
  });
});
