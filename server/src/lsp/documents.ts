/**
 * The document store's update function, hardened: a client that sends a change whose range lies
 * outside the document (line 999 of a 3-line file, a negative character) must not corrupt our
 * copy. Such ranges are clamped to the document — what the LSP specification asks of positions
 * beyond the end — before the change is applied. A change for a version not newer than ours is
 * ignored. Found by the language-server fuzz test: without this, one out-of-range change broke
 * every later validation of that document, and a stale change replaced the text. A change that
 * breaks the protocol (a version that is no whole number, a change without text, a range that is
 * no range) is refused whole, with a message in the client's log: `{ text: 42 }` used to empty
 * the document.
 */
import { TextDocument, type TextDocumentContentChangeEvent, type Position } from 'vscode-languageserver-textdocument';
import type { TextDocumentsConfiguration } from 'vscode-languageserver';

function clampPosition(doc: TextDocument, p: Position): Position {
  const line = Number.isFinite(p?.line) ? Math.max(0, Math.floor(p.line)) : 0;
  const character = Number.isFinite(p?.character) ? Math.max(0, Math.floor(p.character)) : 0;
  if (line >= doc.lineCount) return doc.positionAt(doc.getText().length);
  // positionAt(offsetAt(...)) clamps the character to the line's length
  return doc.positionAt(doc.offsetAt({ line, character }));
}

export function clampChanges(doc: TextDocument, changes: readonly TextDocumentContentChangeEvent[]): TextDocumentContentChangeEvent[] {
  // each change applies to the text left by the previous one: clamp against a running copy
  const copy = TextDocument.create(doc.uri, doc.languageId, doc.version, doc.getText());
  const out: TextDocumentContentChangeEvent[] = [];
  for (const c of changes) {
    if (!('range' in c) || !c.range) {
      out.push({ text: typeof c.text === 'string' ? c.text : '' });
      TextDocument.update(copy, [out[out.length - 1]], copy.version);
      continue;
    }
    let start = clampPosition(copy, c.range.start);
    let end = clampPosition(copy, c.range.end);
    if (copy.offsetAt(end) < copy.offsetAt(start)) [start, end] = [end, start];
    const change = { range: { start, end }, text: typeof c.text === 'string' ? c.text : '' };
    out.push(change);
    TextDocument.update(copy, [change], copy.version);
  }
  return out;
}

function isPosition(p: unknown): boolean {
  const q = p as { line?: unknown; character?: unknown } | null;
  return typeof q === 'object' && q !== null && Number.isFinite(q.line) && Number.isFinite(q.character);
}

/**
 * Why a didChange does not follow the protocol (a version that is not a whole number, a change
 * without text, a range that is no range), or undefined. Positions past the end or negative are
 * well-formed: they are clamped.
 */
export function malformedChange(changes: unknown, version: unknown): string | undefined {
  if (typeof version !== 'number' || !Number.isInteger(version)) return `its version ${JSON.stringify(version) ?? 'undefined'} is not a whole number`;
  if (!Array.isArray(changes)) return 'its contentChanges is not an array';
  for (let i = 0; i < changes.length; i++) {
    const c = changes[i] as { text?: unknown; range?: { start?: unknown; end?: unknown } } | null;
    if (typeof c !== 'object' || c === null) return `change ${i + 1} is not an object`;
    if (typeof c.text !== 'string') return `change ${i + 1} has no text`;
    if (c.range !== undefined && (typeof c.range !== 'object' || c.range === null || !isPosition(c.range.start) || !isPosition(c.range.end))) {
      return `change ${i + 1} has a malformed range`;
    }
  }
  return undefined;
}

export const hardenedTextDocument: TextDocumentsConfiguration<TextDocument> = {
  create: TextDocument.create,
  update: (doc, changes, version) => {
    // a change that breaks the protocol is refused whole (the thrown message goes to the client's
    // log): applying part of it would guess at text the client never sent
    const malformed = malformedChange(changes, version);
    if (malformed) throw new Error(`Ignored a change to ${doc.uri}: ${malformed}; the document stays at version ${doc.version}.`);
    // versions only grow: a change for an older version was meant for text we no longer have
    if (version <= doc.version) return doc;
    return TextDocument.update(doc, clampChanges(doc, changes), version);
  },
};
