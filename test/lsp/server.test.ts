/**
 * The language server over stdio (and IPC), driven by a scripted client: diagnostics, quick
 * fixes applied to the text, incremental changes, settings, fix-all, disable-next-line, the
 * flag-guard refactor, documentation commands, pull diagnostics. Robustness (bad input, malformed
 * requests, cancellation) is in robustness.test.ts.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  DiagnosticSeverity, DocumentDiagnosticRequest, ExecuteCommandRequest, DidChangeWatchedFilesNotification, FileChangeType,
  CancellationTokenSource, LSPErrorCodes,
  type CodeAction, type Range, type ClientCapabilities, type FullDocumentDiagnosticReport,
} from 'vscode-languageserver-protocol/node';
import { startServer, workspace, byTitle, titles, PUSH_CLIENT, type TestClient } from './helpers';

const range = (l1: number, c1: number, l2 = l1, c2 = c1): Range => ({ start: { line: l1, character: c1 }, end: { line: l2, character: c2 } });
const DOC_URL = 'https://github.com/failpath/failpath/blob/main/docs/rules/missing-timeout.md';

const LOAD = `export async function load(url: string) {
  const res = await fetch(url);
  return res.json();
}
`;

describe('language server: diagnostics and code actions (push)', () => {
  let client: TestClient;
  const ws = workspace({ '@openfeature/server-sdk': '^1.15.0' });
  before(async () => { client = await startServer({ rootUri: `file://${ws.root}` }); });
  after(async () => { await client.shutdown(); });

  it('initialize: incremental sync, code action kinds, no pull without the capability', () => {
    const caps = client.initializeResult.capabilities;
    assert.deepEqual(caps.textDocumentSync, { openClose: true, change: 2 });
    assert.deepEqual(caps.codeActionProvider, { codeActionKinds: ['quickfix', 'refactor', 'refactor.rewrite', 'source.fixAll.failpath'] });
    assert.equal(caps.diagnosticProvider, undefined);
  });

  it('didOpen publishes missing-timeout with its range, source, code, doc link and version', async () => {
    const uri = ws.uri('src/load.ts');
    client.open(uri, LOAD);
    const published = await client.waitForDiagnostics(uri);
    assert.equal(published.version, 1);
    assert.equal(published.diagnostics.length, 1);
    const [d] = published.diagnostics;
    assert.deepEqual(d.range, range(1, 20, 1, 25));
    assert.equal(d.source, 'failpath');
    assert.equal(d.code, 'missing-timeout');
    assert.deepEqual(d.codeDescription, { href: DOC_URL });
    assert.equal(d.severity, DiagnosticSeverity.Information); // missing-timeout ships at info
    assert.match(String(d.message), /fetch\(\) has no timeout/);
    assert.equal(d.tags, undefined);
  });

  it('codeAction: the quick fix (preferred), disable-for-line and documentation; the fix applies exactly', async () => {
    const uri = ws.uri('src/load.ts');
    const { diagnostics } = await client.diagnosticsAt(uri, 1);
    const actions = await client.codeActions(uri, diagnostics[0].range, { diagnostics });
    assert.deepEqual(titles(actions), [
      'Add signal: AbortSignal.timeout(10000)',
      'Disable missing-timeout for this line',
      'Show documentation for missing-timeout',
      // the refactor on the external call (this workspace has no mocking library: it offers the install command)
      'Generate failure test for fetch: needs undici, tsx (copy `npm install --save-dev undici tsx`)',
    ]);
    const fix = byTitle(actions, 'Add signal: AbortSignal.timeout(10000)');
    assert.equal(fix.kind, 'quickfix');
    assert.equal(fix.isPreferred, true);
    assert.deepEqual(fix.diagnostics, diagnostics);
    assert.equal(byTitle(actions, /^Disable/).isPreferred, undefined);
    // versioned edit: the client can refuse it if the document moved on
    assert.deepEqual((fix.edit!.documentChanges![0] as { textDocument: unknown }).textDocument, { uri, version: 1 });
    assert.equal(client.apply(uri, fix.edit), `export async function load(url: string) {
  const res = await fetch(url, { signal: AbortSignal.timeout(10000) });
  return res.json();
}
`);
  });

  it('a cursor on the finding without diagnostics in the context still gets its fixes', async () => {
    const uri = ws.uri('src/load.ts');
    const actions = await client.codeActions(uri, range(1, 22), { only: ['quickfix'] });
    assert.equal(byTitle(actions, 'Add signal: AbortSignal.timeout(10000)').isPreferred, true);
  });

  it('didChange (incremental) re-validates: fixed → no diagnostic; a new call → a new one', async () => {
    const uri = ws.uri('src/load.ts');
    client.change(uri, 2, [{ range: range(1, 29), text: ', { signal: AbortSignal.timeout(5000) }' }]);
    const fixed = await client.diagnosticsAt(uri, 2);
    assert.deepEqual(fixed.diagnostics, []);
    client.change(uri, 3, [{ range: range(2, 0), text: '  await fetch(`${url}/ping`);\n' }]);
    const again = await client.diagnosticsAt(uri, 3);
    // the second fetch right after the first is also a sequential-awaits hint; this test is about the timeout
    assert.deepEqual(again.diagnostics.filter((d) => d.code === 'missing-timeout').map((d) => d.range), [range(2, 8, 2, 13)]);
    assert.deepEqual(again.diagnostics.map((d) => d.code).sort(), ['missing-timeout', 'sequential-awaits']);
  });

  it('"Disable missing-timeout for this line" inserts the directive, and the finding goes away', async () => {
    const uri = ws.uri('src/disable.ts');
    client.open(uri, LOAD);
    const { diagnostics } = await client.diagnosticsAt(uri, 1);
    const actions = await client.codeActions(uri, diagnostics[0].range, { diagnostics });
    const text = client.apply(uri, byTitle(actions, 'Disable missing-timeout for this line').edit);
    assert.equal(text, `export async function load(url: string) {
  // failpath-disable-next-line missing-timeout
  const res = await fetch(url);
  return res.json();
}
`);
    client.setText(uri, 2, text);
    assert.deepEqual((await client.diagnosticsAt(uri, 2)).diagnostics, []);
  });

  it('source.fixAll.failpath: every safe fix in one edit; nothing left afterwards', async () => {
    const uri = ws.uri('src/sync.ts');
    client.open(uri, `export async function sync(a: string, b: string) {
  const x = await fetch(a);
  const y = await fetch(b, { method: 'POST' });
  return [x, y];
}
`);
    assert.equal((await client.diagnosticsAt(uri, 1)).diagnostics.length, 2);
    const quick = await client.codeActions(uri, range(0, 0), { only: ['quickfix'] });
    assert.deepEqual(titles(quick), [], 'fix-all is a source action, not a quick fix');
    const actions = await client.codeActions(uri, range(0, 0), { only: ['source.fixAll'] });
    assert.deepEqual(titles(actions), ['Fix all safe Failpath problems']);
    const action = actions![0] as CodeAction;
    assert.equal(action.kind, 'source.fixAll.failpath');
    const text = client.apply(uri, action.edit);
    assert.equal(text, `export async function sync(a: string, b: string) {
  const x = await fetch(a, { signal: AbortSignal.timeout(10000) });
  const y = await fetch(b, { method: 'POST', signal: AbortSignal.timeout(10000) });
  return [x, y];
}
`);
    client.setText(uri, 2, text);
    assert.deepEqual((await client.diagnosticsAt(uri, 2)).diagnostics, []);
    assert.deepEqual(titles(await client.codeActions(uri, range(0, 0), { only: ['source.fixAll.failpath'] })), []);
  });

  it('flag-guard refactor: refactor.rewrite at a statement, with the project\'s OpenFeature SDK', async () => {
    const uri = ws.uri('src/receipt.ts');
    client.open(uri, `import { mailer } from './mailer';

export async function sendReceipt(order: Order) {
  audit(order);
  await mailer.send(order.email);
  metrics.inc('receipt');
}
`);
    await client.diagnosticsAt(uri, 1);
    const actions = await client.codeActions(uri, range(4, 4), { only: ['refactor'] });
    assert.deepEqual(titles(actions), ['Wrap in feature flag guard (OpenFeature)']);
    const action = actions![0] as CodeAction;
    assert.equal(action.kind, 'refactor.rewrite');
    assert.equal(action.isPreferred, undefined);
    assert.equal(client.apply(uri, action.edit), `import { mailer } from './mailer';
import { OpenFeature } from '@openfeature/server-sdk';

export async function sendReceipt(order: Order) {
  audit(order);
  if (await OpenFeature.getClient().getBooleanValue('send-receipt', false)) {
    await mailer.send(order.email);
  }
  metrics.inc('receipt');
}
`);
  });

  it('the refactor is not pushed at every cursor move (automatic trigger), but offered on request or selection', async () => {
    const uri = ws.uri('src/receipt.ts');
    const automatic = await client.codeActions(uri, range(4, 4), { triggerKind: 2 });
    assert.deepEqual(titles(automatic), []);
    const selected = await client.codeActions(uri, range(3, 2, 4, 33), { triggerKind: 2 });
    assert.deepEqual(titles(selected), ['Wrap in feature flag guard (OpenFeature)']);
    const invoked = await client.codeActions(uri, range(4, 4), { triggerKind: 1 });
    assert.deepEqual(titles(invoked), ['Wrap in feature flag guard (OpenFeature)']);
    assert.deepEqual(titles(await client.codeActions(uri, range(4, 4), { only: ['quickfix'] })), []);
  });

  it('untitled documents and JavaScript (CommonJS) files are validated', async () => {
    client.open('untitled:Untitled-1', 'await fetch(url);\n');
    assert.deepEqual((await client.diagnosticsAt('untitled:Untitled-1', 1)).diagnostics.map((d) => d.code), ['missing-timeout']);
    const uri = ws.uri('lib/jobs.cjs');
    client.open(uri, `const axios = require('axios');\nmodule.exports = async (id) => axios.get('/jobs/' + id);\n`, 'javascript');
    const { diagnostics } = await client.diagnosticsAt(uri, 1);
    assert.deepEqual(diagnostics.map((d) => d.range), [range(1, 31, 1, 40)]);
    const actions = await client.codeActions(uri, diagnostics[0].range, { diagnostics });
    assert.equal(client.apply(uri, byTitle(actions, /timeout/).edit), `const axios = require('axios');\nmodule.exports = async (id) => axios.get('/jobs/' + id, { timeout: 10000 });\n`);
  });

  it('languages the server does not know are ignored; didClose clears diagnostics', async () => {
    const md = ws.uri('README.md');
    client.open(md, 'await fetch(url)', 'markdown');
    assert.deepEqual(await client.codeActions(md, range(0, 0)), []);
    const uri = ws.uri('src/close.ts');
    client.open(uri, 'await fetch(url);\n');
    await client.diagnosticsAt(uri, 1);
    const seen = client.diagnostics.items.length;
    client.close(uri);
    const cleared = await client.waitForDiagnostics(uri, (p) => p.diagnostics.length === 0, undefined, seen);
    assert.equal(cleared.version, undefined);
    assert.equal(client.diagnostics.items.some((p) => p.uri === md), false);
  });

  it('"Show documentation" uses the server command unless the client declares its own', async () => {
    const uri = ws.uri('src/load.ts');
    const actions = await client.codeActions(uri, range(2, 10), { only: ['quickfix'] });
    const doc = byTitle(actions, 'Show documentation for missing-timeout');
    assert.deepEqual(doc.command, {
      title: 'Show documentation for missing-timeout',
      command: 'failpath.server.openDocumentation',
      arguments: [{ ruleId: 'missing-timeout', url: DOC_URL }],
    });
    await client.connection.sendRequest(ExecuteCommandRequest.type, { command: doc.command!.command, arguments: doc.command!.arguments });
    const shown = await client.showDocuments.wait(() => true, 'window/showDocument');
    assert.deepEqual(shown, { uri: DOC_URL, external: true });
  });
});

describe('language server: settings', () => {
  let client: TestClient;
  const ws = workspace();
  let current: Record<string, unknown> = {};
  before(async () => {
    client = await startServer({
      settings: (scopeUri) => (scopeUri?.includes('/legacy/') ? { rules: { 'missing-timeout': 'off' } } : current),
      initializationOptions: { debounceMs: 20, clientCommands: ['failpath.showDocumentation'] },
    });
  });
  after(async () => { await client.shutdown(); });

  it('settings are pulled per resource (workspace/configuration with scopeUri)', async () => {
    const a = ws.uri('src/a.ts');
    const legacy = ws.uri('legacy/b.ts');
    client.open(a, 'await fetch(url);\n');
    client.open(legacy, 'await fetch(url);\n');
    assert.equal((await client.diagnosticsAt(a, 1)).diagnostics.length, 1);
    assert.deepEqual((await client.diagnosticsAt(legacy, 1)).diagnostics, []);
    assert.ok(client.configRequests.items.includes(a) && client.configRequests.items.includes(legacy));
  });

  it('a client-side documentation command is used when the client declares it', async () => {
    const a = ws.uri('src/a.ts');
    const actions = await client.codeActions(a, range(0, 8), { only: ['quickfix'] });
    assert.equal(byTitle(actions, /^Show documentation/).command!.command, 'failpath.showDocumentation');
  });

  it('didChangeConfiguration: severity error, then timeoutMs in the fix, then the rule off clears it', async () => {
    const a = ws.uri('src/a.ts');
    let seen = client.diagnostics.items.length;
    current = { rules: { 'missing-timeout': 'error' } };
    client.changeSettings(current);
    const asError = await client.waitForDiagnostics(a, (p) => p.diagnostics[0]?.severity === DiagnosticSeverity.Error, undefined, seen);
    assert.equal(asError.diagnostics.length, 1);

    current = { timeoutMs: 2500 };
    client.changeSettings(current);
    seen = client.diagnostics.items.length;
    // the rule is back at its default severity, info
    await client.waitForDiagnostics(a, (p) => p.diagnostics[0]?.severity === DiagnosticSeverity.Information, undefined, seen);
    const actions = await client.codeActions(a, range(0, 8), { only: ['quickfix'] });
    assert.equal(client.apply(a, byTitle(actions, 'Add signal: AbortSignal.timeout(2500)').edit), 'await fetch(url, { signal: AbortSignal.timeout(2500) });\n');

    seen = client.diagnostics.items.length;
    current = { rules: { 'missing-timeout': 'off' } };
    client.changeSettings(current);
    const off = await client.waitForDiagnostics(a, () => true, undefined, seen);
    assert.deepEqual(off.diagnostics, []);
  });

  it('failpath.enable false: no diagnostics and no refactor', async () => {
    const a = ws.uri('src/enable.ts');
    current = { enable: false };
    client.changeSettings(current);
    client.open(a, 'export async function f(u: string) {\n  await fetch(u);\n  done();\n}\n');
    assert.deepEqual((await client.diagnosticsAt(a, 1)).diagnostics, []);
    assert.deepEqual(await client.codeActions(a, range(1, 4), { only: ['refactor'] }), []);
  });

  it('a bad value is logged once (not per document) and its default is used', async () => {
    current = { timeoutMs: 'soon', rules: { 'no-such-rule': 'error' } };
    client.changeSettings(current);
    const b = ws.uri('src/bad1.ts');
    const c = ws.uri('src/bad2.ts');
    client.open(b, 'await fetch(url);\n');
    client.open(c, 'await fetch(url);\n');
    await client.diagnosticsAt(b, 1);
    await client.diagnosticsAt(c, 1);
    const actions = await client.codeActions(b, range(0, 8), { only: ['quickfix'] });
    assert.ok(byTitle(actions, 'Add signal: AbortSignal.timeout(10000)'));
    client.changeSettings(current);
    await client.waitForDiagnostics(c, () => true, undefined, client.diagnostics.items.length);
    const warnings = client.logs.items.filter((l) => l.type === 2).map((l) => l.message);
    assert.deepEqual(warnings.filter((m) => m.includes('failpath.timeoutMs')), [
      'Setting failpath.timeoutMs: expected a whole number of milliseconds between 1 and 3600000; using 10000',
    ]);
    assert.deepEqual(warnings.filter((m) => m.includes('no-such-rule')), ['Setting failpath.rules.no-such-rule: unknown rule id "no-such-rule"; ignoring']);
  });
});

describe('language server: project files (.failpath.json, package.json)', () => {
  let client: TestClient;
  const ws = workspace();
  let editor: Record<string, unknown> = {};
  const caps: ClientCapabilities = { ...PUSH_CLIENT, workspace: { ...PUSH_CLIENT.workspace, didChangeWatchedFiles: { dynamicRegistration: true } } };
  before(async () => {
    fs.writeFileSync(path.join(ws.root, '.failpath.json'), `{
  // shared by the team
  "rules": { "missing-timeout": "error" },
  "timeoutMs": 3000,
  "ignore": ["generated/**"],
}
`);
    client = await startServer({ capabilities: caps, settings: () => editor });
  });
  after(async () => { await client.shutdown(); });

  it('watches package.json and .failpath.json', async () => {
    await client.registrations.wait((m) => m === 'workspace/didChangeWatchedFiles', 'the file watcher registration');
  });

  it('.failpath.json applies (severity, timeoutMs, ignore) and editor settings win over it', async () => {
    const uri = ws.uri('src/a.ts');
    client.open(uri, 'await fetch(url);\n');
    const { diagnostics } = await client.diagnosticsAt(uri, 1);
    assert.equal(diagnostics[0].severity, DiagnosticSeverity.Error);
    let actions = await client.codeActions(uri, range(0, 8), { only: ['quickfix'] });
    assert.ok(byTitle(actions, 'Add signal: AbortSignal.timeout(3000)'));

    const generated = ws.uri('generated/client.ts');
    client.open(generated, 'await fetch(url);\n');
    assert.deepEqual((await client.diagnosticsAt(generated, 1)).diagnostics, []);

    editor = { timeoutMs: 2000 };
    const seen = client.diagnostics.items.length;
    client.changeSettings(editor);
    await client.waitForDiagnostics(uri, () => true, undefined, seen);
    actions = await client.codeActions(uri, range(0, 8), { only: ['quickfix'] });
    assert.ok(byTitle(actions, 'Add signal: AbortSignal.timeout(2000)'));
  });

  it('a changed package.json or .failpath.json re-validates with the new facts', async () => {
    const uri = ws.uri('src/flags.ts');
    client.open(uri, 'export async function checkout(cart: Cart) {\n  await charge(cart);\n  done();\n}\n');
    await client.diagnosticsAt(uri, 1);
    assert.deepEqual(titles(await client.codeActions(uri, range(1, 4), { only: ['refactor'] })),
      ['Wrap in feature flag guard (env FF_CHECKOUT=off disables it; no flag SDK found)']);
    fs.writeFileSync(path.join(ws.root, 'package.json'), JSON.stringify({ dependencies: { 'unleash-client': '^6.0.0' } }));
    fs.writeFileSync(path.join(ws.root, '.failpath.json'), '{ "rules": { "missing-timeout": "off" } }');
    const a = ws.uri('src/a.ts');
    const seen = client.diagnostics.items.length;
    void client.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [
      { uri: ws.uri('package.json'), type: FileChangeType.Changed },
      { uri: ws.uri('.failpath.json'), type: FileChangeType.Changed },
    ] });
    assert.deepEqual((await client.waitForDiagnostics(a, () => true, undefined, seen)).diagnostics, []);
    assert.deepEqual(titles(await client.codeActions(uri, range(1, 4), { only: ['refactor'] })), ['Wrap in feature flag guard (Unleash)']);
  });

  it('a broken .failpath.json is reported once in the log; defaults are used', async () => {
    fs.writeFileSync(path.join(ws.root, '.failpath.json'), '{ "timeoutMs": "soon" }');
    const seen = client.diagnostics.items.length;
    void client.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: ws.uri('.failpath.json'), type: FileChangeType.Changed }] });
    const uri = ws.uri('src/a.ts');
    await client.waitForDiagnostics(uri, () => true, undefined, seen);
    const warnings = client.logs.items.filter((l) => l.message.startsWith(path.join(ws.root, '.failpath.json')));
    assert.equal(warnings.length, 1);
    assert.match(warnings[0].message, /\.failpath\.json:1:16: expected a whole number of milliseconds/);
    editor = {};
    client.changeSettings(editor);
    const actions = await client.codeActions(uri, range(0, 8), { only: ['quickfix'] });
    assert.ok(byTitle(actions, 'Add signal: AbortSignal.timeout(10000)'));
  });
});

describe('language server: a client without workspace/configuration or documentChanges (Neovim 0.7 style)', () => {
  let client: TestClient;
  const ws = workspace();
  const caps: ClientCapabilities = { textDocument: { publishDiagnostics: {} } };
  before(async () => { client = await startServer({ capabilities: caps }); });
  after(async () => { await client.shutdown(); });

  it('uses pushed settings and plain `changes` edits', async () => {
    const uri = ws.uri('src/a.ts');
    client.open(uri, 'await fetch(url);\n');
    const first = await client.diagnosticsAt(uri, 1);
    assert.equal(first.diagnostics[0].severity, DiagnosticSeverity.Information); // missing-timeout's default, before any pushed setting
    assert.deepEqual(client.configRequests.items, []);
    const seen = client.diagnostics.items.length;
    client.changeSettings({ rules: { 'missing-timeout': 'error' } });
    await client.waitForDiagnostics(uri, (p) => p.diagnostics[0]?.severity === DiagnosticSeverity.Error, undefined, seen);
    const actions = await client.codeActions(uri, range(0, 8));
    const fix = byTitle(actions, /AbortSignal/);
    assert.equal(fix.edit!.documentChanges, undefined);
    assert.equal(client.apply(uri, fix.edit), 'await fetch(url, { signal: AbortSignal.timeout(10000) });\n');
  });

  it('without window/showDocument the documentation command shows the link in a message', async () => {
    const uri = ws.uri('src/a.ts');
    const doc = byTitle(await client.codeActions(uri, range(0, 8)), /^Show documentation/);
    await client.connection.sendRequest(ExecuteCommandRequest.type, { command: doc.command!.command, arguments: doc.command!.arguments });
    const message = await client.messages.wait(() => true, 'window/showMessage');
    assert.equal(message.message, `Failpath missing-timeout: ${DOC_URL}`);
  });
});

describe('language server: pull diagnostics', () => {
  let client: TestClient;
  const ws = workspace();
  before(async () => {
    client = await startServer({
      capabilities: { ...PUSH_CLIENT, textDocument: { ...PUSH_CLIENT.textDocument, diagnostic: { relatedDocumentSupport: false } } },
      initializationOptions: { debounceMs: 500 },
    });
  });
  after(async () => { await client.shutdown(); });

  it('answers textDocument/diagnostic, reports unchanged results, and does not push', async () => {
    assert.deepEqual(client.initializeResult.capabilities.diagnosticProvider, { identifier: 'failpath', interFileDependencies: false, workspaceDiagnostics: false });
    const uri = ws.uri('src/a.ts');
    client.open(uri, LOAD);
    const report = await client.connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri } }) as FullDocumentDiagnosticReport;
    assert.equal(report.kind, 'full');
    assert.deepEqual(report.items.map((d) => [d.code, d.range]), [['missing-timeout', range(1, 20, 1, 25)]]);
    const again = await client.connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri }, previousResultId: report.resultId });
    assert.deepEqual(again, { kind: 'unchanged', resultId: report.resultId });
    client.change(uri, 2, [{ range: range(1, 29), text: ', { signal: AbortSignal.timeout(5000) }' }]);
    const changed = await client.connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri }, previousResultId: report.resultId }) as FullDocumentDiagnosticReport;
    assert.equal(changed.kind, 'full');
    assert.deepEqual(changed.items, []);
    assert.notEqual(changed.resultId, report.resultId);
    // code actions work from the pulled analysis too
    const actions = await client.codeActions(uri, range(0, 0), { only: ['source.fixAll'] });
    assert.deepEqual(actions, []);
    assert.deepEqual(client.diagnostics.items, []);
  });

  it('a pull waiting for a pause in typing is cancelled with RequestCancelled', async () => {
    const uri = ws.uri('src/typing.ts');
    client.open(uri, 'await fetch(a);\n');
    await client.connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri } });
    client.setText(uri, 2, 'await fetch(b);\n');
    const source = new CancellationTokenSource();
    const pending = client.connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri } }, source.token);
    source.cancel();
    await assert.rejects(pending, (err: { code?: number }) => err.code === LSPErrorCodes.RequestCancelled);
    const report = await client.connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri } }) as FullDocumentDiagnosticReport;
    assert.deepEqual(report.items.map((d) => d.range), [range(0, 6, 0, 11)]);
  });
});

describe('language server over Node IPC', () => {
  it('publishes diagnostics and answers code actions', async () => {
    const ws = workspace();
    const client = await startServer({ transport: 'ipc' });
    try {
      const uri = ws.uri('src/a.ts');
      client.open(uri, LOAD);
      const { diagnostics } = await client.diagnosticsAt(uri, 1);
      assert.deepEqual(diagnostics.map((d) => d.code), ['missing-timeout']);
      const actions = await client.codeActions(uri, diagnostics[0].range, { diagnostics });
      assert.equal(byTitle(actions, /AbortSignal/).isPreferred, true);
    } finally {
      await client.shutdown();
    }
  });
});
