/**
 * Engine ⇄ LSP conversions: offsets to ranges, findings to diagnostics, engine edits to LSP
 * edits, document URIs to the file names the engine classifies by.
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as path from 'node:path';
import {
  Diagnostic, DiagnosticSeverity, Range, TextEdit as LspTextEdit, WorkspaceEdit, TextDocumentEdit,
  OptionalVersionedTextDocumentIdentifier,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { docUrl, type Finding, type Severity, type TextEdit } from '../engine/types';
import { SUPPORTED_EXTENSIONS } from '../engine/analyze';
import { DIAGNOSTIC_SOURCE, LANGUAGE_IDS } from '../../../shared/protocol';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toRange(doc: TextDocument, start: number, end: number): Range {
  return Range.create(doc.positionAt(start), doc.positionAt(end));
}

export function toDiagnostic(doc: TextDocument, finding: Finding): Diagnostic {
  return {
    range: toRange(doc, finding.start, finding.end),
    severity: SEVERITY[finding.severity],
    source: DIAGNOSTIC_SOURCE,
    code: finding.ruleId,
    codeDescription: { href: docUrl(finding.ruleId) },
    message: finding.message,
  };
}

export function toLspEdits(doc: TextDocument, edits: readonly TextEdit[]): LspTextEdit[] {
  return [...edits]
    .sort((a, b) => a.start - b.start || a.end - b.end)
    .map((e) => LspTextEdit.replace(toRange(doc, e.start, e.end), e.newText));
}

/** A WorkspaceEdit for one document: versioned `documentChanges` when the client supports them. */
export function workspaceEdit(doc: TextDocument, edits: readonly TextEdit[], documentChanges: boolean): WorkspaceEdit {
  const lsp = toLspEdits(doc, edits);
  if (documentChanges) {
    return { documentChanges: [TextDocumentEdit.create(OptionalVersionedTextDocumentIdentifier.create(doc.uri, doc.version), lsp)] };
  }
  return { changes: { [doc.uri]: lsp } };
}

/** True when [a1,a2] and [b1,b2] share a point (touching counts: a cursor at a range's end). */
export function touches(rangeStart: number, rangeEnd: number, start: number, end: number): boolean {
  return rangeStart <= end && start <= rangeEnd;
}

const LANGUAGE_EXTENSION: Record<string, string> = {
  typescript: '.ts',
  typescriptreact: '.tsx',
  javascript: '.js',
  javascriptreact: '.jsx',
};

/** The `file:` URI of a path (the inverse of fsPathOf). */
export function fileUri(file: string): string {
  return pathToFileURL(file).href;
}

/** The file system path of a `file:` URI, else undefined. */
export function fsPathOf(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

/**
 * The file name the engine analyses the document as: its path for files on disk, the URI's path
 * otherwise; with the language's extension added when the name has no supported one (untitled
 * documents, files without extension).
 */
export function fileNameFor(uri: string, languageId: string): string {
  let name = fsPathOf(uri);
  if (!name) {
    const colon = uri.indexOf(':');
    let rest = colon === -1 ? uri : uri.slice(colon + 1);
    rest = rest.replace(/^\/\/[^/]*/, '').replace(/[?#].*$/, '');
    try {
      name = decodeURIComponent(rest);
    } catch {
      name = rest;
    }
  }
  const ext = path.extname(name).toLowerCase();
  if (!SUPPORTED_EXTENSIONS.includes(ext)) name += LANGUAGE_EXTENSION[languageId] ?? '.ts';
  return name;
}

/** Whether the server validates this document (language id, or a supported file extension). */
export function isSupportedDocument(uri: string, languageId: string): boolean {
  if (LANGUAGE_IDS.includes(languageId)) return true;
  const p = fsPathOf(uri) ?? uri;
  const lower = p.toLowerCase();
  if (lower.endsWith('.d.ts')) return false;
  return SUPPORTED_EXTENSIONS.includes(path.extname(lower));
}
