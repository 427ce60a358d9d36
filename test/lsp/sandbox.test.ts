/**
 * Security of the language server: in a hostile workspace (test/harness/sandbox.ts: JS config
 * files, package.json scripts, tsconfig plugins, dependencies and local modules that write a
 * marker file when executed), a realistic session — open files, code actions, fix-all, settings
 * and watched-file changes, documentation links, the readiness requests — executes nothing from
 * the workspace, loads no module from it, starts no process but git and makes no network attempt. The server runs with
 * sandbox-preload.cjs, which records (and refuses) every such attempt.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  DidChangeWatchedFilesNotification, ExecuteCommandRequest, FileChangeType, type ClientCapabilities, type CodeAction,
} from 'vscode-languageserver-protocol/node';
import { ensureBuilt, gitBranch, PUSH_CLIENT, startServerIn, type TestClient } from './helpers';
import { HARDENED_GIT, hostileWorkspace, type Sandbox } from '../harness/sandbox';

const caps: ClientCapabilities = { ...PUSH_CLIENT, workspace: { ...PUSH_CLIENT.workspace, didChangeWatchedFiles: { dynamicRegistration: true }, workspaceFolders: true } };

describe('language server: nothing in the workspace runs, nothing leaves the machine', () => {
  let sb: Sandbox;
  let client: TestClient;
  const uri = (rel: string) => pathToFileURL(path.join(sb.root, rel)).href;

  before(async () => {
    ensureBuilt();
    sb = hostileWorkspace();
    // a git repository with a branch, for the readiness requests (git is the one process allowed)
    gitBranch(sb.root);
    client = await startServerIn(sb.root, { execArgv: sb.execArgv, env: { ...sb.env, FAILPATH_SANDBOX_ALLOW_SPAWN: 'git' }, capabilities: caps, initializationOptions: { debounceMs: 20 }, name: 'hostile' });
  });
  after(async () => {
    await client?.shutdown();
    sb?.dispose();
  });

  it('a realistic session', async () => {
    const app = uri('src/app.ts');
    client.open(app, fs.readFileSync(path.join(sb.root, 'src/app.ts'), 'utf8'));
    const { diagnostics } = await client.diagnosticsAt(app, 1);
    assert.ok(diagnostics.length >= 4, `findings in the hostile app: ${diagnostics.map((d) => d.code).join(', ')}`);
    // every code action of every finding, and fix-all
    for (const d of diagnostics) {
      const actions = await client.codeActions(app, d.range, { diagnostics: [d] });
      assert.ok((actions ?? []).length > 0, `actions for ${d.code}`);
      const fix = (actions as CodeAction[]).find((a) => a.isPreferred);
      if (fix?.edit) client.apply(app, fix.edit);
    }
    const all = await client.codeActions(app, diagnostics[0].range, { only: ['source.fixAll.failpath'] });
    const fixAll = (all as CodeAction[])[0];
    assert.ok(fixAll?.edit, 'fix-all is offered');
    client.setText(app, 2, client.apply(app, fixAll.edit));
    await client.diagnosticsAt(app, 2);
    // the documentation command (the client opens the URL, the server fetches nothing)
    await client.connection.sendRequest(ExecuteCommandRequest.type, { command: 'failpath.server.openDocumentation', arguments: [{ ruleId: 'missing-timeout', url: 'https://github.com/failpath/failpath/blob/main/docs/rules/missing-timeout.md' }] });
    await client.showDocuments.wait(() => true, 'the showDocument request');

    // settings and project files change
    let seen = client.diagnostics.items.length;
    client.changeSettings({ rules: { 'unstructured-log': 'error' }, logger: { import: './src/lib/logger', name: 'logger', style: 'pino' } });
    await client.waitForDiagnostics(app, undefined, undefined, seen);
    seen = client.diagnostics.items.length;
    void client.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: ['package.json', '.failpath.json', 'tsconfig.json', 'failpath.config.js'].map((f) => ({ uri: uri(f), type: FileChangeType.Changed as FileChangeType })) });
    await client.waitForDiagnostics(app, undefined, undefined, seen);

    // more documents: ESM JavaScript, the config files themselves opened as code, an untitled file
    for (const [rel, lang] of [['src/worker.mjs', 'javascript'], ['failpath.config.js', 'javascript'], ['src/lib/logger.ts', 'typescript']] as const) {
      client.open(uri(rel), fs.readFileSync(path.join(sb.root, rel), 'utf8'), lang);
      await client.diagnosticsAt(uri(rel), 1);
    }
    client.open('untitled:Untitled-1', "import axios from 'axios';\nawait axios.get('https://x.example.com');\n");
    await client.diagnosticsAt('untitled:Untitled-1', 1);
 
    // the readiness sidebar's requests: the whole workspace, the branch's changes, the branch report
    await client.connection.sendRequest('failpath/readiness', {});
    await client.connection.sendRequest('failpath/readiness', { onlyChanged: true });
    await client.connection.sendRequest('failpath/branchReport', {}).catch(() => undefined);
  });

  it('executed nothing, loaded no workspace module, started no process, made no network attempt', () => {
    assert.deepEqual(sb.markers(), []);
    assert.deepEqual(sb.attempts().filter((a) => !HARDENED_GIT.test(a)), []);
    assert.ok(sb.attempts().some((a) => HARDENED_GIT.test(a)), 'the readiness requests ran git (and only git)');
    // the recorder was there, in the server and in its workspace-scan worker: without it the checks above prove nothing
    const preloads = sb.records().filter((r) => r.kind === 'preload').map((r) => r.detail);
    assert.equal(preloads.filter((d) => d === 'main').length, 1);
    assert.ok(preloads.includes('worker'), `the scan worker was recorded too: ${preloads.join(', ')}`);
  });
});

describe('the sandbox recorder catches what it should (so an empty record means something)', () => {
  it('records network, process and workspace-module attempts, and the marker of executed code', async () => {
    const sb = hostileWorkspace();
    try {
      const script = `
        const tryIt = (f) => { try { f(); } catch {} };
        tryIt(() => require('node:net').connect(9, '127.0.0.1'));
        tryIt(() => require('node:https').get('https://example.com'));
        tryIt(() => require('node:dns').lookup('example.com', () => {}));
        tryIt(() => fetch('https://example.com'));
        tryIt(() => require('node:child_process').execSync('true'));
        require(${JSON.stringify(path.join(sb.root, 'failpath.config.js'))});
      `;
      const r = await new Promise<number | null>((resolve) => {
        const child = spawn(process.execPath, [...sb.execArgv, '-e', script], { env: { ...process.env, ...sb.env }, stdio: 'ignore' });
        child.on('exit', resolve);
      });
      assert.equal(r, 0);
      assert.deepEqual(sb.attempts(), [
        'net.connect 127.0.0.1:9',
        'https.get https://example.com',
        'dns.lookup example.com',
        'fetch https://example.com',
        'child_process.execSync true',
        `require ${path.join(sb.root, 'failpath.config.js')}`,
      ]);
      assert.deepEqual(sb.markers(), ['failpath.config.js']);
    } finally {
      sb.dispose();
    }
  });
});
