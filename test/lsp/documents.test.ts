/**
 * The server's document store applies a multi-edit (each change ending before the previous one
 * starts: what an editor sends for fix-all) in one pass. Change by change, the text was copied once
 * per change: the fuzz campaign (seed 7002, input 7166) applied a fix-all of 20,156 edits to a
 * 322 KB file and the server's main thread spent 9.8 s on that one didChange. These tests check
 * that the one-pass text is exactly the change-by-change text, that every other sequence still
 * goes change by change (and is clamped as before), and that the server ends in step.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { CodeAction, TextDocumentContentChangeEvent, TextEdit } from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { applyInOnePass, hardenedTextDocument } from '../../server/src/lsp/documents';
import { analyze } from '../../server/src/engine/analyze';
import { projectFactsFromPackageJson } from '../../server/src/engine/project';
import { FIX_ALL_KIND } from '../../shared/protocol';
import { startServer, workspace } from './helpers';

/** A small deterministic generator (the same edits on every run and machine). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 0x1_0000_0000;
  };
}

const INSERTS = ['', 'x', '\n', '\r\n', 'a\nb\nc', '{ AbortSignal.timeout(10000) }', 'é😀', '\r'];

/** `count` random changes, last first, none overlapping: ranges in the text before any of them. */
function descending(doc: TextDocument, count: number, seed: number): TextDocumentContentChangeEvent[] {
  const random = lcg(seed);
  const text = doc.getText();
  const cuts = Array.from({ length: count * 2 }, () => Math.floor(random() * (text.length + 1))).sort((a, b) => b - a);
  const out: TextDocumentContentChangeEvent[] = [];
  for (let i = 0; i < cuts.length; i += 2) {
    // a position inside a CRLF pair is one no editor sends: keep cuts on whole characters and lines
    const fix = (o: number) => (text[o - 1] === '\r' && text[o] === '\n' ? o - 1 : o);
    out.push({ range: { start: doc.positionAt(fix(cuts[i + 1])), end: doc.positionAt(fix(cuts[i])) }, text: INSERTS[Math.floor(random() * INSERTS.length)] });
  }
  return out;
}

/** The text the library makes, one change at a time. */
function oneByOne(doc: TextDocument, changes: TextDocumentContentChangeEvent[]): string {
  const copy = TextDocument.create(doc.uri, doc.languageId, doc.version, doc.getText());
  for (const c of changes) TextDocument.update(copy, [c], copy.version + 1);
  return copy.getText();
}

const SOURCE = Array.from({ length: 400 }, (_, i) => (i % 3 === 0 ? `await fetch(u${i});\r\n` : i % 3 === 1 ? `console.log(x${i});\n` : `const é${i} = '😀';\n`)).join('');

describe('document store: a multi-edit in one pass', () => {
  it('1,000 random descending changes (CRLF, LF, multi-line, astral characters): the same text as change by change', () => {
    for (const seed of [1, 2, 3]) {
      const doc = TextDocument.create('file:///a.ts', 'typescript', 1, SOURCE);
      const changes = descending(doc, 1000, seed);
      const expected = oneByOne(doc, changes);
      assert.ok(applyInOnePass(doc, changes) === expected, `seed ${seed}: one pass makes the change-by-change text`);
      const updated = hardenedTextDocument.update(doc, changes, 2);
      assert.equal(updated, doc, 'the same document object');
      assert.ok(updated.getText() === expected, `seed ${seed}: the store holds the change-by-change text`);
      assert.equal(updated.version, 2);
      // line offsets are those of the new text
      const fresh = TextDocument.create('file:///b.ts', 'typescript', 2, expected);
      assert.equal(updated.lineCount, fresh.lineCount);
      for (const o of [0, 1, 500, 5000, expected.length]) assert.deepEqual(updated.positionAt(o), fresh.positionAt(o));
    }
  });

  it('other sequences go change by change: ascending, overlapping, past the end, a full-text change, a single change', () => {
    const doc = TextDocument.create('file:///a.ts', 'typescript', 1, 'one\ntwo\nthree\n');
    const at = (l1: number, c1: number, l2: number, c2: number, text: string): TextDocumentContentChangeEvent => ({ range: { start: { line: l1, character: c1 }, end: { line: l2, character: c2 } }, text });
    const cases: [string, TextDocumentContentChangeEvent[], string][] = [
      ['ascending', [at(0, 0, 0, 3, 'ONE'), at(1, 0, 1, 3, 'TWO')], 'ONE\nTWO\nthree\n'],
      ['overlapping', [at(1, 0, 1, 3, 'TWO'), at(0, 2, 1, 1, '-')], 'on-WO\nthree\n'],
      ['a line past the end (clamped to the end)', [at(9, 0, 9, 0, '!'), at(0, 0, 0, 0, '>')], '>one\ntwo\nthree\n!'],
      ['a character past the line (clamped to its end)', [at(1, 99, 1, 99, '!'), at(0, 0, 0, 1, '')], 'ne\ntwo!\nthree\n'],
      ['a full-text change', [{ text: 'new\n' }, at(0, 0, 0, 0, '>')], '>new\n'],
      ['a single change', [at(2, 0, 2, 5, 'THREE')], 'one\ntwo\nTHREE\n'],
    ];
    for (const [name, changes, expected] of cases) {
      const d = TextDocument.create(doc.uri, doc.languageId, 1, doc.getText());
      assert.equal(applyInOnePass(d, changes), undefined, name);
      assert.equal(hardenedTextDocument.update(d, changes, 2).getText(), expected, name);
    }
    // adjacent changes (one ends where the previous one starts) are still descending
    const d = TextDocument.create(doc.uri, doc.languageId, 1, doc.getText());
    assert.equal(applyInOnePass(d, [at(1, 0, 1, 3, 'B'), at(0, 0, 1, 0, 'A')]), 'AB\nthree\n');
  });

  it('the server: a fix-all of 4,000 edits applied in one didChange is published for its version and equals a fresh check', { timeout: 300_000 }, async () => {
    const ws = workspace({ pino: '^9.0.0' });
    const client = await startServer({ rootUri: pathToFileURL(ws.root).href });
    try {
      const uri = ws.uri('src/routes/orders.ts');
      client.open(uri, 'await fetch(u);\nconsole.log(x);\n'.repeat(2000));
      const first = await client.diagnosticsAt(uri, 1, 120_000);
      assert.equal(first.diagnostics.length, 4000);
      const doc = client.doc(uri);
      const actions = await client.codeActions(uri, { start: doc.positionAt(0), end: doc.positionAt(doc.getText().length) }, { only: [FIX_ALL_KIND] });
      const fixAll = (actions as CodeAction[]).find((a) => a.kind === FIX_ALL_KIND);
      const edits = (fixAll?.edit?.documentChanges?.flatMap((c) => ('edits' in c ? c.edits : [])) ?? fixAll?.edit?.changes?.[uri] ?? []) as TextEdit[];
      assert.ok(edits.length >= 4000, `fix-all offers an edit per finding (got ${edits.length})`);
      const expected = TextDocument.applyEdits(doc, edits);
      // as an editor sends it: the last edit first (of two inserts at one place, the later one first)
      const changes = edits.map((e, i) => ({ e, i, at: doc.offsetAt(e.range.start) })).sort((a, b) => b.at - a.at || b.i - a.i).map(({ e }) => ({ range: e.range, text: e.newText }));
      client.change(uri, 2, changes);
      // (assert.ok: a 160 KB diff helps nobody)
      assert.ok(client.doc(uri).getText() === expected, 'the changes make the fixed text');
      const { diagnostics } = await client.diagnosticsAt(uri, 2, 120_000);
      const project = projectFactsFromPackageJson({ name: 'ws', dependencies: { pino: '^9.0.0' } }, ws.root);
      const fresh = analyze({ text: expected, fileName: new URL(uri).pathname, project }).findings.map((f) => `${f.ruleId}@${f.start}`).sort();
      assert.deepEqual(diagnostics.map((d) => `${d.code}@${client.doc(uri).offsetAt(d.range.start)}`).sort(), fresh);
    } finally {
      await client.shutdown();
      fs.rmSync(ws.root, { recursive: true, force: true });
    }
  });
});
