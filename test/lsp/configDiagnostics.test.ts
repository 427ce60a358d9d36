/**
 * An invalid .failpath.json gets diagnostics ON the config file, at the bad spot (bad JSON, wrong
 * types, unknown rule ids, globs leaving the folder, a bad "knowledge" entry), while the defaults
 * are used for the bad values and every other document keeps its diagnostics. Published for the file whether or not it is open:
 * at start-up for a workspace folder's own file, when a document under a nested one is analysed,
 * and again (or cleared) when the file watcher reports a change or a deletion.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DiagnosticSeverity, DidChangeWatchedFilesNotification, FileChangeType, type ClientCapabilities, type Diagnostic } from 'vscode-languageserver-protocol/node';
import { startServer, workspace, PUSH_CLIENT, type TestClient } from './helpers';

const caps: ClientCapabilities = { ...PUSH_CLIENT, workspace: { ...PUSH_CLIENT.workspace, didChangeWatchedFiles: { dynamicRegistration: true } } };

/** `line:col-line:col severity message` (0-based positions, E = error, W = warning). */
const show = (ds: Diagnostic[]) => ds.map((d) => `${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} ${d.severity === DiagnosticSeverity.Error ? 'E' : 'W'} ${d.source} ${d.message}`);

const BROKEN = `{
  // shared by the team
  "rules": { "missing-timeout": "loud", "no-such-rule": "error" },
  "timeoutMs": "soon",
  "ignore": ["../outside/**"],
  "colour": true,
  "knowledge": { "loggers": [{ "module": "./log", "style": "loud" }] }
}
`;

describe('language server: diagnostics on an invalid .failpath.json', () => {
  let client: TestClient;
  const ws = workspace();
  const config = path.join(ws.root, '.failpath.json');
  const configUri = ws.uri('.failpath.json');
  const changed = (uri: string, type: FileChangeType = FileChangeType.Changed) =>
    void client.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri, type }] });

  before(async () => {
    fs.writeFileSync(config, BROKEN);
    client = await startServer({ capabilities: caps, rootUri: `file://${ws.root}` });
  });
  after(async () => { await client.shutdown(); });

  it('at start-up, before any document is open: each problem at its spot', async () => {
    const { diagnostics } = await client.waitForDiagnostics(configUri);
    assert.deepEqual(show(diagnostics), [
      '5:2-5:10 W failpath Unknown key "colour"; expected one of enable, rules, timeoutMs, cacheTtlSeconds, externalModules, logger, features, flags, flagProvider, ignore, knowledge',
      '3:15-3:21 E failpath expected a whole number of milliseconds between 1 and 3600000; using 10000',
      `2:32-2:38 E failpath "loud" is not one of off|hint|info|warning|error; using the rule's default`,
      '2:40-2:54 W failpath unknown rule id "no-such-rule"; ignoring',
      '4:13-4:28 E failpath "../outside/**" must stay inside this folder (no absolute paths, no "..")',
      "6:59-6:65 E failpath knowledge.loggers[0].style: expected the call shape of its methods: one of pino, bunyan, winston, log4js, nestjs (pino/bunyan: logger.error({ err }, 'msg'); winston: logger.error('msg', { error }); log4js: logger.error('msg', err); nestjs: logger.error('msg', stack))",
    ]);
    const text = fs.readFileSync(config, 'utf8').split('\n');
    assert.equal(text[2].slice(32, 38), '"loud"');
    assert.equal(text[2].slice(40, 54), '"no-such-rule"');
    assert.equal(text[3].slice(15, 21), '"soon"');
    assert.equal(text[6].slice(59, 65), '"loud"');
  });

  it('the defaults are used and TypeScript documents keep their diagnostics', async () => {
    const uri = ws.uri('src/a.ts');
    client.open(uri, 'await fetch(url);\n');
    const { diagnostics } = await client.diagnosticsAt(uri, 1);
    // "loud" is ignored: missing-timeout keeps its default severity, info
    assert.deepEqual(diagnostics.map((d) => `${d.code} ${d.severity}`), [`missing-timeout ${DiagnosticSeverity.Information}`]);
    // the same problems are not published again for every document
    assert.equal(client.diagnostics.items.filter((p) => p.uri === configUri).length, 1);
  });

  it('bad JSON: the syntax error is underlined; fixing the file clears the diagnostics', async () => {
    fs.writeFileSync(config, '{\n  "rules": { "missing-timeout": "error" \n  "timeoutMs": 5000\n}\n');
    let seen = client.diagnostics.items.length;
    changed(configUri);
    let published = await client.waitForDiagnostics(configUri, undefined, undefined, seen);
    assert.deepEqual(show(published.diagnostics), [
      '2:2-2:13 E failpath Invalid JSON: CommaExpected',
      '4:0-4:0 E failpath Invalid JSON: CloseBraceExpected',
      // the parser's recovery reads "timeoutMs" as a key of "rules"
      '2:2-2:13 W failpath unknown rule id "timeoutMs"; ignoring',
    ]);

    fs.writeFileSync(config, '{ "rules": { "missing-timeout": "error" } }\n');
    seen = client.diagnostics.items.length;
    changed(configUri);
    published = await client.waitForDiagnostics(configUri, undefined, undefined, seen);
    assert.deepEqual(published.diagnostics, []);
    // and the now valid file applies
    const a = await client.waitForDiagnostics(ws.uri('src/a.ts'), (p) => p.diagnostics[0]?.severity === DiagnosticSeverity.Error, undefined, seen);
    assert.equal(a.diagnostics[0].code, 'missing-timeout');
  });

  it('a nested config file is checked when a document under it is analysed; deleting it clears them', async () => {
    const nested = path.join(ws.root, 'pkg', '.failpath.json');
    const nestedUri = ws.uri('pkg/.failpath.json');
    fs.mkdirSync(path.dirname(nested), { recursive: true });
    fs.writeFileSync(nested, '[1, 2]');
    const uri = ws.uri('pkg/b.ts');
    client.open(uri, 'await fetch(url);\n');
    const published = await client.waitForDiagnostics(nestedUri);
    assert.deepEqual(show(published.diagnostics), ['0:0-0:6 E failpath A .failpath.json file holds one JSON object']);
    assert.equal((await client.diagnosticsAt(uri, 1)).diagnostics.length, 1);

    fs.rmSync(nested);
    const seen = client.diagnostics.items.length;
    changed(nestedUri, FileChangeType.Deleted);
    assert.deepEqual((await client.waitForDiagnostics(nestedUri, undefined, undefined, seen)).diagnostics, []);
  });

  it('no diagnostics are published for a valid config file that never had problems', () => {
    assert.equal(client.diagnostics.items.filter((p) => p.uri.endsWith('.failpath.json') && p.uri !== configUri && !p.uri.includes('/pkg/')).length, 0);
  });
});
