/**
 * The server process dies (SIGKILL): the client restarts it after a backoff, the diagnostics come
 * back; after one crash too many within the window it stays stopped (the "Show Output"
 * notification is shown then; a notification cannot be read from the extension API, its wording
 * is in crashHandler.ts), and "Failpath: Restart Server" starts it again with a fresh budget.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { closeAll, EXTENSION_ID, openFixture, waitForCode, waitForDiagnostics } from './helpers';

type CrashState = { kind: 'running' } | { kind: 'restarting'; attempt: number; maxRestarts: number; delayMs: number } | { kind: 'stopped'; crashes: number; windowMs: number };
interface Api {
  client: { isRunning(): boolean; onDidChangeState(l: (e: { newState: number }) => void): vscode.Disposable };
  crashes: { state: CrashState; history: { action: string }[]; onDidChange(l: (s: CrashState) => void): vscode.Disposable };
}
const pidOf = (client: Api['client']) => (client as unknown as { _serverProcess?: { pid?: number } })._serverProcess?.pid;

/** Resolves when `test` holds for the crash state (checked now and on every change). */
function crashState(api: Api, test: (s: CrashState) => boolean, what: string, timeoutMs = 30_000): Promise<CrashState> {
  return new Promise((resolve, reject) => {
    if (test(api.crashes.state)) return resolve(api.crashes.state);
    const timer = setTimeout(() => { sub.dispose(); reject(new Error(`timed out waiting for ${what}; state: ${JSON.stringify(api.crashes.state)}`)); }, timeoutMs);
    const sub = api.crashes.onDidChange((s) => {
      if (!test(s)) return;
      clearTimeout(timer);
      sub.dispose();
      resolve(s);
    });
  });
}

function kill(pid: number | undefined): void {
  assert.ok(pid, 'the server runs in a child process');
  process.kill(pid, 'SIGKILL');
}

describe('crash recovery', () => {
  after(closeAll);

  it('a killed server is restarted after a backoff and the diagnostics come back', async () => {
    const { doc } = await openFixture('src/users.ts');
    await waitForCode(doc.uri, 'missing-timeout');
    const api = vscode.extensions.getExtension<Api>(EXTENSION_ID)!.exports;
    const before = api.crashes.history.length;
    const pid = pidOf(api.client);

    const cleared = waitForDiagnostics(doc.uri, (ds) => ds.length === 0, 'the diagnostics of the dead server cleared');
    kill(pid);
    const restarting = await crashState(api, (s) => s.kind === 'restarting', 'the restart');
    assert.deepEqual(restarting, { kind: 'restarting', attempt: 1, maxRestarts: 4, delayMs: 1000 });
    await cleared;
    await crashState(api, (s) => s.kind === 'running', 'the server running again');
    await waitForCode(doc.uri, 'missing-timeout');
    const newPid = pidOf(api.client);
    assert.ok(newPid && newPid !== pid, `a new server process (${pid} → ${newPid})`);
    assert.deepEqual(api.crashes.history.slice(before).map((d) => d.action), ['restart']);
  });

  it('after 5 crashes within 3 minutes it stays stopped; Restart Server brings it back', async () => {
    const { doc } = await openFixture('src/users.ts');
    const api = vscode.extensions.getExtension<Api>(EXTENSION_ID)!.exports;
    // crash 1 was the previous test; crashes 2–4 are restarted (2 s, 4 s, 8 s backoff)
    for (const attempt of [2, 3, 4]) {
      await crashState(api, (s) => s.kind === 'running', 'the server running');
      await waitForCode(doc.uri, 'missing-timeout');
      kill(pidOf(api.client));
      const s = await crashState(api, (x) => x.kind === 'restarting', `restart ${attempt}`);
      assert.deepEqual(s, { kind: 'restarting', attempt, maxRestarts: 4, delayMs: 1000 * 2 ** (attempt - 1) });
    }
    await crashState(api, (s) => s.kind === 'running', 'the server running');
    await waitForCode(doc.uri, 'missing-timeout');
    kill(pidOf(api.client));
    const stopped = await crashState(api, (s) => s.kind === 'stopped', 'giving up');
    assert.deepEqual(stopped, { kind: 'stopped', crashes: 5, windowMs: 180_000 });
    await waitForDiagnostics(doc.uri, (ds) => ds.length === 0, 'no diagnostics from a stopped server');
    assert.equal(api.client.isRunning(), false);

    await vscode.commands.executeCommand('failpath.restartServer');
    await crashState(api, (s) => s.kind === 'running', 'the server started by hand');
    await waitForCode(doc.uri, 'missing-timeout');
    assert.equal(api.client.isRunning(), true);
    // a fresh budget: the next crash is restart 1 again
    kill(pidOf(api.client));
    assert.deepEqual(await crashState(api, (s) => s.kind === 'restarting', 'restart 1 of a fresh budget'), { kind: 'restarting', attempt: 1, maxRestarts: 4, delayMs: 1000 });
    await crashState(api, (s) => s.kind === 'running', 'the server running');
    await waitForCode(doc.uri, 'missing-timeout');
  });
});
