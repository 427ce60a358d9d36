/**
 * The server under bad input: files that do not parse, empty, 2 MB and binary-looking files;
 * malformed requests (unknown URIs, out-of-range or missing ranges, unknown methods, broken
 * notifications); cancellation of requests and of stale validation work. The server must answer
 * sensibly and keep serving.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CancellationTokenSource, ErrorCodes, LSPErrorCodes, type Range } from 'vscode-languageserver-protocol/node';
import { startServer, workspace, gate, titles, type TestClient } from './helpers';

const range = (l1: number, c1: number, l2 = l1, c2 = c1): Range => ({ start: { line: l1, character: c1 }, end: { line: l2, character: c2 } });

/** Expects `p` to reject with a JSON-RPC error of `code`. */
async function rejectsWith(p: Promise<unknown>, code: number): Promise<void> {
  await assert.rejects(p, (err: { code?: number }) => {
    assert.equal(err.code, code);
    return true;
  });
}

describe('language server: bad input', () => {
  let client: TestClient;
  const ws = workspace();
  before(async () => { client = await startServer(); });
  after(async () => { await client.shutdown(); });

  it('a file that does not parse: diagnostics for what did parse, code actions still answered', async () => {
    const uri = ws.uri('src/broken.ts');
    client.open(uri, 'export async function f(u: string) {\n  await fetch(u);\n  if (((\n');
    const { diagnostics } = await client.diagnosticsAt(uri, 1);
    assert.deepEqual(diagnostics.map((d) => [d.code, d.range]), [['missing-timeout', range(1, 8, 1, 13)]]);
    const actions = await client.codeActions(uri, range(2, 4));
    assert.ok(Array.isArray(actions));
  });

  it('an empty file: no diagnostics, no code actions', async () => {
    const uri = ws.uri('src/empty.ts');
    client.open(uri, '');
    assert.deepEqual((await client.diagnosticsAt(uri, 1)).diagnostics, []);
    assert.deepEqual(await client.codeActions(uri, range(0, 0)), []);
    assert.deepEqual(await client.codeActions(uri, range(0, 0), { only: ['source.fixAll'] }), []);
  });

  it('a 2 MB file: every finding is reported, with ranges deep in the file', async () => {
    const uri = ws.uri('src/big.ts');
    let text = '';
    let expected = 0;
    let lastLine = 0;
    for (let i = 0; text.length < 2 * 1024 * 1024; i++) {
      if (i % 300 === 0) {
        expected++;
        lastLine = text.split('\n').length; // the `return (await fetch(u))` line, 0-based
        text += `export async function f${i}(u: string) {\n  return (await fetch(u)).status;\n}\n`;
      } else {
        text += `export async function f${i}(u: string) {\n  return (await fetch(u, { signal: AbortSignal.timeout(1000) })).status;\n}\n`;
      }
    }
    client.open(uri, text);
    const { diagnostics } = await client.diagnosticsAt(uri, 1, 60_000);
    assert.equal(diagnostics.length, expected);
    assert.deepEqual(diagnostics[diagnostics.length - 1].range, range(lastLine, 16, lastLine, 21));
  });

  it('a binary-looking file (NUL bytes): no diagnostics, the reason logged once', async () => {
    const uri = ws.uri('src/blob.js');
    client.open(uri, 'await fetch(u);\u0000\u0000\u0001\u0002garbage', 'javascript');
    assert.deepEqual((await client.diagnosticsAt(uri, 1)).diagnostics, []);
    client.setText(uri, 2, 'await fetch(u);\u0000\u0000more');
    await client.diagnosticsAt(uri, 2);
    const logs = client.logs.items.filter((l) => l.message.includes(uri));
    assert.deepEqual(logs.map((l) => l.message), [`Not analysing ${uri}: file looks binary (NUL bytes).`]);
  });

  it('unknown URI, out-of-range and reversed ranges: answered, no error', async () => {
    assert.deepEqual(await client.codeActions(ws.uri('src/never-opened.ts'), range(0, 0)), []);
    const uri = ws.uri('src/range.ts');
    client.open(uri, 'await fetch(url);\n');
    await client.diagnosticsAt(uri, 1);
    assert.deepEqual(titles(await client.codeActions(uri, range(999, 999, 1200, 5))), []);
    assert.deepEqual(titles(await client.codeActions(uri, range(0, 500))), [], 'past the end of the line');
    const reversed = await client.codeActions(uri, { start: { line: 0, character: 10 }, end: { line: 0, character: 6 } }, { only: ['quickfix'] });
    assert.ok(titles(reversed).includes('Add signal: AbortSignal.timeout(10000)'));
  });

  it('malformed requests get JSON-RPC errors and the server keeps serving', async () => {
    const uri = ws.uri('src/range.ts');
    await rejectsWith(client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, context: { diagnostics: [] } }), ErrorCodes.InvalidParams);
    await rejectsWith(client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: { start: 'x' }, context: {} }), ErrorCodes.InvalidParams);
    await rejectsWith(client.connection.sendRequest('failpath/noSuchMethod', {}), ErrorCodes.MethodNotFound);
    await rejectsWith(client.connection.sendRequest('workspace/executeCommand', { command: 'failpath.server.openDocumentation', arguments: [{ ruleId: 'x', url: 'javascript:alert(1)' }] }), ErrorCodes.InvalidParams);
    // broken notifications: a change to a document never opened, an open without text
    void client.connection.sendNotification('textDocument/didChange', { textDocument: { uri: ws.uri('src/ghost.ts'), version: 2 }, contentChanges: [{ text: 'x' }] });
    void client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: ws.uri('src/notext.ts'), languageId: 'typescript', version: 1 } });
    void client.connection.sendNotification('workspace/didChangeConfiguration', {});
    const after = ws.uri('src/after.ts');
    client.open(after, 'await fetch(url);\n');
    assert.equal((await client.diagnosticsAt(after, 1)).diagnostics.length, 1);
    assert.equal(client.child.exitCode, null);
  });
});

describe('language server: cancellation and stale work', () => {
  let client: TestClient;
  const ws = workspace();
  before(async () => { client = await startServer(); });
  after(async () => { await client.shutdown(); });

  it('a code action request cancelled while it waits is answered RequestCancelled', async () => {
    const held = gate();
    client.configGate = held.promise;
    const uri = ws.uri('src/cancel.ts');
    client.open(uri, 'await fetch(url);\n');
    await client.configRequests.wait((u) => u === uri, 'the configuration request');
    const source = new CancellationTokenSource();
    const request = client.codeActions(uri, range(0, 8), {}, source);
    source.cancel();
    held.open();
    client.configGate = undefined;
    await rejectsWith(request, LSPErrorCodes.RequestCancelled);
    // the validation that waited with it still completes, and later requests are served
    assert.equal((await client.diagnosticsAt(uri, 1)).diagnostics.length, 1);
    assert.ok(titles(await client.codeActions(uri, range(0, 8))).includes('Add signal: AbortSignal.timeout(10000)'));
  });

  it('a version superseded while it waits for settings: only the current version is published, once', async () => {
    const held = gate();
    client.configGate = held.promise;
    const uri = ws.uri('src/stale.ts');
    client.open(uri, 'await fetch(a);\n');
    await client.configRequests.wait((u) => u === uri, 'the configuration request');
    client.setText(uri, 2, 'await fetch(a);\nawait fetch(b);\n');
    held.open();
    client.configGate = undefined;
    const published = await client.waitForDiagnostics(uri);
    assert.equal(published.version, 2);
    assert.equal(published.diagnostics.length, 2);
    assert.deepEqual(client.diagnostics.items.filter((p) => p.uri === uri).map((p) => p.version), [2]);
  });

  it('rapid changes are debounced: only the last version is published', async () => {
    const uri = ws.uri('src/typing.ts');
    client.open(uri, '');
    await client.diagnosticsAt(uri, 1);
    const text = 'await fetch(url);\n';
    for (let i = 1; i <= text.length; i++) client.setText(uri, i + 1, text.slice(0, i));
    const last = text.length + 1;
    const published = await client.diagnosticsAt(uri, last);
    assert.equal(published.diagnostics.length, 1);
    const versions = client.diagnostics.items.filter((p) => p.uri === uri).map((p) => p.version);
    assert.ok(versions.length <= 3, `expected the burst to be debounced, got versions ${versions.join(',')}`);
  });
});

describe('language server: lifecycle', () => {
  it('shutdown then exit ends the process with code 0', async () => {
    const client = await startServer();
    await client.shutdown();
    assert.equal(client.child.exitCode, 0);
  });
});
