/**
 * Workspace Trust on the server: started with `workspaceTrusted: false` (VS Code's Restricted
 * Mode), it answers "only features changed on this branch" with every feature and a notice, and
 * the branch report with a RequestFailed error saying why — and starts no process at all (the
 * sandbox preload records every child_process call). After failpath/workspaceTrusted both work,
 * through the hardened git only; the repository's own fsmonitor and clean filter (which write a
 * marker when run) still never run.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LSPErrorCodes, type ResponseError } from 'vscode-languageserver-protocol/node';
import { ensureBuilt, gitBranch, PUSH_CLIENT, startServerIn, type TestClient } from './helpers';
import { HARDENED_GIT, hostileWorkspace, type Sandbox } from '../harness/sandbox';
import { Notifications, Requests, UNTRUSTED_GIT_MESSAGE, type BranchReportResult, type ReadinessResult } from '../../shared/protocol';

describe('language server in an untrusted workspace', () => {
  let sb: Sandbox;
  let client: TestClient;

  const readiness = (params: object): Promise<ReadinessResult> => client.connection.sendRequest(Requests.readiness, params);
  async function ready(): Promise<void> {
    for (let i = 0; i < 50; i++) {
      if ((await readiness({})).state === 'ready') return;
      const from = client.custom.items.length;
      await client.custom.wait((m) => m === Notifications.readinessChanged, 'readinessChanged', 10_000, from);
    }
    throw new Error('the scan never finished');
  }

  before(async () => {
    ensureBuilt();
    sb = hostileWorkspace();
    const git = gitBranch(sb.root);
    fs.appendFileSync(path.join(sb.root, 'src/app.ts'), "app.get('/health', (req, res) => res.end());\n");
    // the repository's own programs, if git ran them: a marker in the sandbox's marker folder
    const evil = path.join(sb.root, '..', 'evil.sh');
    fs.writeFileSync(evil, `#!/bin/sh\n: > "${path.join(sb.root, '..', 'markers')}/git-$1"\n[ "$1" = clean ] && exec cat\nexit 0\n`, { mode: 0o755 });
    git('config', 'core.fsmonitor', `${evil} fsmonitor`);
    git('config', 'filter.evil.clean', `${evil} clean`);
    fs.writeFileSync(path.join(sb.root, '.git/info/attributes'), '* filter=evil\n');

    client = await startServerIn(sb.root, { execArgv: sb.execArgv, env: { ...sb.env, FAILPATH_SANDBOX_ALLOW_SPAWN: 'git' }, capabilities: PUSH_CLIENT, initializationOptions: { workspaceTrusted: false }, name: 'untrusted' });
    await ready();
  });
  after(async () => {
    await client?.shutdown();
    sb?.dispose();
  });

  it('shows every feature with a notice instead of running git for "changed on this branch"', async () => {
    const r = await readiness({ onlyChanged: true });
    assert.equal(r.notice, `Showing all features: ${UNTRUSTED_GIT_MESSAGE}`);
    assert.deepEqual(r.features.map((f) => `${f.name} changed=${f.changed}`), ['orders changed=undefined', 'shared changed=undefined']);
  });

  it('refuses the branch report with the same message', async () => {
    const err = await client.connection.sendRequest<BranchReportResult>(Requests.branchReport, {}).then(() => undefined, (e: ResponseError) => e);
    assert.deepEqual(err && { code: err.code, message: err.message }, { code: LSPErrorCodes.RequestFailed, message: UNTRUSTED_GIT_MESSAGE });
  });

  it('started no process: no git at all', () => {
    assert.deepEqual(sb.attempts(), []);
    assert.ok(sb.records().some((r) => r.kind === 'preload' && r.detail === 'main'), 'the recorder ran');
  });

  it('once trusted, both work through the hardened git, and the repository\'s programs still never run', async () => {
    const from = client.custom.items.length;
    await client.connection.sendNotification(Notifications.workspaceTrusted);
    await client.custom.wait((m) => m === Notifications.readinessChanged, 'readinessChanged after trust', 10_000, from);
    const r = await readiness({ onlyChanged: true });
    assert.equal(r.notice, undefined);
    assert.deepEqual(r.features.map((f) => `${f.name} changed=${f.changed}`), ['orders changed=true']);
    const report = await client.connection.sendRequest<BranchReportResult>(Requests.branchReport, {});
    assert.match(report.markdown, /^## Failpath readiness: `feature` vs `main`\n\n1 changed file since `[0-9a-f]{10}`/);
    assert.ok(sb.attempts().length > 0, 'git ran');
    assert.deepEqual(sb.attempts().filter((a) => !HARDENED_GIT.test(a)), []);
    assert.deepEqual(sb.markers(), []);
  });

  it('refuses a base ref that looks like an option (the baseBranch setting) before running git, and writes nothing', async () => {
    const out = path.join(sb.root, '..', 'injected');
    const before = sb.attempts().length;
    const r = await readiness({ onlyChanged: true, base: `--output=${out}` });
    assert.equal(r.notice, `Showing all features: ws: invalid base ref "--output=${out}": a ref cannot start with "-"`);
    const err = await client.connection.sendRequest<BranchReportResult>(Requests.branchReport, { base: '-c core.pager=x' }).then(() => undefined, (e: ResponseError) => e.message);
    assert.equal(err, 'invalid base ref "-c core.pager=x": a ref cannot start with "-"');
    assert.deepEqual(sb.attempts().slice(before), []);
    assert.equal(fs.existsSync(out), false);
  });
});
