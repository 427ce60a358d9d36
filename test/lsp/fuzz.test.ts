/**
 * Random message sequences against the bundled server (fast-check, fixed seed, bounded): opens,
 * incremental changes (in range, out of range, stale versions), closes, code actions, cancellations,
 * configuration changes, and the workspace index's requests (code lenses and their resolution, the
 * readiness tree, routes, who reaches a position) in a workspace folder the server indexes. The server answers every request, never crashes, and its final
 * diagnostics match a fresh analysis of the final text.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CancellationTokenSource, CodeLensRequest, CodeLensResolveRequest, type CodeLens, type Range } from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { startServer, workspace, withTimeout } from './helpers';
import { analyze } from '../../server/src/engine/analyze';
import { projectFactsFromPackageJson } from '../../server/src/engine/project';
import { clampChanges } from '../../server/src/lsp/documents';

const SEED = Number(process.env.FAILPATH_FUZZ_SEED ?? 20261123);
const RUNS = Number(process.env.FAILPATH_LSP_FUZZ_RUNS ?? 6);
const SNIPPETS = ["app.get('/x', async (req, res) => { res.json(await fetch(u)); });\n", 'await fetch(url);\n', 'console.log(x);\n', 'try { await fetch(u) } catch {}\n', '{', '}', '(', ')', '\n', 'export async function g() {\n', 'const a = 1;\n', '`', '/*', '*/', ''];
const BASE = 'export async function load(url: string) {\n  const res = await fetch(url);\n  console.log(res.status);\n  return res.json();\n}\n';

type Op =
  | { kind: 'edit'; doc: number; at: number; len: number; text: string }
  | { kind: 'outOfRange'; doc: number }
  | { kind: 'stale'; doc: number }
  | { kind: 'reopen'; doc: number }
  | { kind: 'actions'; doc: number; at: number; cancel: boolean }
  | { kind: 'config'; off: boolean }
  | { kind: 'index'; doc: number; at: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('edit' as const), doc: fc.nat(1), at: fc.double({ min: 0, max: 1, noNaN: true }).map((x) => x), len: fc.nat(12), text: fc.constantFrom(...SNIPPETS) }) as fc.Arbitrary<Op> },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('outOfRange' as const), doc: fc.nat(1) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('stale' as const), doc: fc.nat(1) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('reopen' as const), doc: fc.nat(1) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('actions' as const), doc: fc.nat(1), at: fc.double({ min: 0, max: 1, noNaN: true }), cancel: fc.boolean() }) as fc.Arbitrary<Op> },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('config' as const), off: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('index' as const), doc: fc.nat(1), at: fc.double({ min: 0, max: 1, noNaN: true }) }) as fc.Arbitrary<Op> },
);

describe('language server fuzz', () => {
  it(`random message sequences (${RUNS} runs × up to 40 messages, seed ${SEED})`, { timeout: 240_000 }, async () => {
    await fc.assert(fc.asyncProperty(fc.array(op, { minLength: 5, maxLength: 40 }), async (ops) => {
      const ws = workspace();
      let settings: Record<string, unknown> = {};
      fs.writeFileSync(path.join(ws.root, 'package.json'), JSON.stringify({ name: 'ws', dependencies: { express: '^4.21.0' } }));
      const client = await startServer({ settings: () => settings, rootUri: pathToFileURL(ws.root).href });
      try {
        const uris = [ws.uri('src/a.ts'), ws.uri('src/b.ts')];
        const versions = [1, 1];
        const docs: TextDocument[] = uris.map((u) => TextDocument.create(u, 'typescript', 1, BASE));
        uris.forEach((u) => client.open(u, BASE));
        for (const o of ops) {
          if (o.kind === 'config') {
            settings = o.off ? { rules: { 'unstructured-log': 'off' } } : {};
            client.changeSettings(settings);
            continue;
          }
          const i = o.doc;
          const doc = docs[i];
          const text = doc.getText();
          if (o.kind === 'edit') {
            const start = Math.floor(o.at * text.length);
            const end = Math.min(text.length, start + o.len);
            const range: Range = { start: doc.positionAt(start), end: doc.positionAt(end) };
            versions[i]++;
            client.change(uris[i], versions[i], [{ range, text: o.text }]);
            TextDocument.update(doc, [{ range, text: o.text }], versions[i]);
          } else if (o.kind === 'outOfRange') {
            // a range past the end: the protocol says clamp; both sides clamp the same way
            versions[i]++;
            const range: Range = { start: { line: 999, character: 5 }, end: { line: 1000, character: 0 } };
            client.change(uris[i], versions[i], [{ range, text: '\n' }]);
            // the protocol's rule for positions past the end: clamp (the server does the same)
            TextDocument.update(doc, clampChanges(doc, [{ range, text: '\n' }]), versions[i]);
          } else if (o.kind === 'stale') {
            // an old version number must not corrupt the document
            client.connection.sendNotification('textDocument/didChange', { textDocument: { uri: uris[i], version: 0 }, contentChanges: [{ text: 'garbage(' }] });
          } else if (o.kind === 'reopen') {
            client.close(uris[i]);
            versions[i] = 1;
            docs[i] = TextDocument.create(uris[i], 'typescript', 1, text);
            client.open(uris[i], text, 'typescript', 1);
          } else if (o.kind === 'index') {
            const at = doc.positionAt(Math.floor(o.at * text.length));
            const lenses: CodeLens[] = (await withTimeout(client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: uris[i] } }), 10_000, 'codeLens answered')) ?? [];
            for (const lens of lenses) await withTimeout(client.connection.sendRequest(CodeLensResolveRequest.type, lens), 10_000, 'codeLens/resolve answered');
            await withTimeout(client.connection.sendRequest('failpath/readiness', {}), 10_000, 'readiness answered');
            await withTimeout(client.connection.sendRequest('failpath/routes'), 10_000, 'routes answered');
            await withTimeout(client.connection.sendRequest('failpath/whoReaches', { uri: uris[i], position: at }), 10_000, 'whoReaches answered');
          } else {
            const at = doc.positionAt(Math.floor(o.at * text.length));
            const cts = new CancellationTokenSource();
            const p = client.codeActions(uris[i], { start: at, end: at }, {}, cts);
            if (o.cancel) cts.cancel();
            await withTimeout(p.catch(() => null), 10_000, 'codeAction answered');
          }
        }
        // the server is alive and its final diagnostics match a fresh analysis of the final text
        // (a last real edit guarantees a publication for a known version; only publications from
        // now on count: a document reopened earlier reused its version numbers)
        const from = client.diagnostics.items.length;
        for (let i = 0; i < 2; i++) {
          versions[i]++;
          const end = docs[i].positionAt(docs[i].getText().length);
          client.change(uris[i], versions[i], [{ range: { start: end, end }, text: '\n' }]);
          TextDocument.update(docs[i], [{ range: { start: end, end }, text: '\n' }], versions[i]);
        }
        for (let i = 0; i < 2; i++) {
          const text = docs[i].getText();
          const published = await client.waitForDiagnostics(uris[i], (p) => p.version === versions[i], 15_000, from);
          const project = projectFactsFromPackageJson({ name: 'ws', dependencies: { express: '^4.21.0' } }, ws.root);
          const cfg = settings.rules ? { enable: true, rules: { 'unstructured-log': { severity: 'off' as const } }, timeoutMs: 10000, externalModules: [], cacheTtlSeconds: 300 } : undefined;
          const fresh = analyze({ text, fileName: uris[i].replace('file://', ''), project, config: cfg }).findings;
          const expected = fresh.map((f) => `${f.ruleId}@${JSON.stringify(docs[i].positionAt(f.start))}`).sort();
          const actual = published.diagnostics.map((d) => `${d.code}@${JSON.stringify(d.range.start)}`).sort();
          assert.deepEqual(actual, expected, `final diagnostics differ for ${uris[i]}:\n${text}`);
        }
        assert.equal(client.child.exitCode, null, `server exited: ${client.stderr}`);
      } finally {
        await client.shutdown();
      }
    }), { seed: SEED, numRuns: RUNS, endOnFailure: true, interruptAfterTimeLimit: 150_000 });
  });
});
