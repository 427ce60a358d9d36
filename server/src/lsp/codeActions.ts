/**
 * Code actions from the stored analysis of a document (never from a fresh guess): each finding's
 * fixes as quick fixes (the preferred one `isPreferred`), "Disable <rule> for this line", "Show
 * documentation for <rule>", `source.fixAll.failpath`, the flag-guard refactor and "Generate
 * failure test" (a new file: CreateFile + insert). Honours `context.only`; source actions are
 * computed only when asked for, and nothing here runs on the diagnostics path.
 */
import {
  CodeAction, CodeActionKind, CodeActionTriggerKind, Command, CreateFile, OptionalVersionedTextDocumentIdentifier, Position,
  TextDocumentEdit, TextEdit as LspTextEdit, type CodeActionParams, type Diagnostic, type WorkspaceEdit,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { docUrl, type Finding, type Fix, type TextEdit } from '../engine/types';
import { disableNextLineEdit, flagGuardRefactor } from '../engine/refactors';
import { fixAll, fixAllFixOf, type FixAllInput } from '../engine/fixAll';
import { failureTestFix, readTestLayout, type FailureTestFix, type TestLayout } from '../engine/failureTest';
import { Commands, DIAGNOSTIC_SOURCE, FIX_ALL_KIND, type DocumentationArgs } from '../../../shared/protocol';
import type { DocumentAnalysis } from './analysis';
import { fileUri, fsPathOf, touches, workspaceEdit } from './convert';
import type * as ts from 'typescript';

export interface CodeActionOptions {
  /** The client applies versioned `documentChanges`. */
  documentChanges: boolean;
  /** The command that shows a rule's documentation (client-side, or the server's fallback). */
  docCommand: string;
  /** The parsed document, for the refactor (cached by the caller). */
  sourceFile: () => ts.SourceFile;
  /** The workspace folders: new files (failure tests) are created only inside them. */
  roots: readonly string[];
  /** The client shows code actions with a `disabled` reason (else those are left out). */
  disabledSupport: boolean;
  /** The project model's view of the document at a given text (fix-all analyses each pass's text with it). */
  inputFor?: FixAllInput['inputFor'];
}

/** Whether an action of `kind` is wanted. Source actions only when `only` asks for them. */
export function wanted(only: readonly string[] | undefined, kind: string): boolean {
  if (!only || only.length === 0) return !kind.startsWith(CodeActionKind.Source);
  return only.some((o) => o === '' || kind === o || kind.startsWith(`${o}.`));
}

/**
 * At most this many findings get their fixes built for one request. A selection over thousands of
 * findings (a generated file, Select All) asked for 20,000 actions, 21 MB of JSON and 20 s of CPU;
 * no one picks from such a list, and fix-all is the action for the whole file.
 */
export const MAX_FINDINGS_PER_REQUEST = 50;

/**
 * The findings a request is about: those of its failpath diagnostics, then those at its range, in
 * document order, at most MAX_FINDINGS_PER_REQUEST.
 */
function findingsFor(doc: TextDocument, analysis: DocumentAnalysis, params: CodeActionParams): { finding: Finding; diagnostic: Diagnostic }[] {
  // the client's diagnostics by rule and range, read once: a selection can name thousands of them
  const rangeKey = (code: unknown, r: Diagnostic['range']) => `${String(code)}@${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;
  const ours = new Set((params.context?.diagnostics ?? []).filter((d) => d && d.source === DIAGNOSTIC_SOURCE && d.range?.start && d.range.end).map((d) => rangeKey(d.code, d.range)));
  const named: { finding: Finding; diagnostic: Diagnostic }[] = [];
  const atRange: { finding: Finding; diagnostic: Diagnostic }[] = [];
  const start = doc.offsetAt(params.range.start);
  const end = doc.offsetAt(params.range.end);
  analysis.findings.forEach((finding, i) => {
    if (named.length >= MAX_FINDINGS_PER_REQUEST) return;
    const diagnostic = analysis.diagnostics[i];
    if (ours.size > 0 && ours.has(rangeKey(finding.ruleId, diagnostic.range))) named.push({ finding, diagnostic });
    else if (atRange.length < MAX_FINDINGS_PER_REQUEST && touches(start, end, finding.start, finding.end)) atRange.push({ finding, diagnostic });
  });
  return [...named, ...atRange].slice(0, MAX_FINDINGS_PER_REQUEST);
}

export function buildCodeActions(doc: TextDocument, analysis: DocumentAnalysis, params: CodeActionParams, opts: CodeActionOptions): CodeAction[] {
  const only = params.context?.only;
  const actions: CodeAction[] = [];
  const edit = (edits: readonly TextEdit[]) => workspaceEdit(doc, edits, opts.documentChanges);

  // a finding's fixes carry their own kind: quick fixes, and refactors (Promise.all…) that a
  // client asking only for `refactor` must still receive
  const wantsFixes = wanted(only, CodeActionKind.QuickFix) || wanted(only, CodeActionKind.Refactor) || wanted(only, CodeActionKind.RefactorRewrite);
  const found = wantsFixes ? findingsFor(doc, analysis, params) : [];
  for (const { finding, diagnostic } of found) {
    for (const fix of finding.fixes) {
      const kind = fix.kind ?? 'quickfix';
      if (!wanted(only, kind)) continue;
      actions.push(fixAction(fix, kind, diagnostic, edit));
    }
  }

  if (wanted(only, CodeActionKind.QuickFix)) {
    const seen = new Set<string>();
    for (const { finding, diagnostic } of found) {
      const line = doc.positionAt(finding.start).line;
      if (seen.has(`${finding.ruleId}:${line}`)) continue;
      seen.add(`${finding.ruleId}:${line}`);
      const suppress = disableNextLineEdit({ text: doc.getText(), fileName: analysis.fileName, offset: finding.start, ruleId: finding.ruleId, sourceFile: opts.sourceFile() });
      if (suppress) {
        actions.push({ title: `Disable ${finding.ruleId} for this line`, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit: edit([suppress]) });
      }
    }
    for (const ruleId of new Set(found.map((f) => f.finding.ruleId))) {
      const args: DocumentationArgs = { ruleId, url: docUrl(ruleId) };
      actions.push({
        title: `Show documentation for ${ruleId}`,
        kind: CodeActionKind.QuickFix,
        diagnostics: found.filter((f) => f.finding.ruleId === ruleId).map((f) => f.diagnostic),
        command: Command.create(`Show documentation for ${ruleId}`, opts.docCommand, args),
      });
    }
  }

  if (wanted(only, CodeActionKind.RefactorRewrite) && analysis.config.enable && !analysis.skipped) {
    const start = doc.offsetAt(params.range.start);
    const end = doc.offsetAt(params.range.end);
    // an automatic request at a bare cursor (the editor moving) gets no refactor: no light bulb on every line
    const automatic = params.context?.triggerKind === CodeActionTriggerKind.Automatic && start === end;
    if (!automatic) {
      const fix = flagGuardRefactor({
        text: doc.getText(), fileName: analysis.fileName, project: analysis.project, config: analysis.config,
        start, end, sourceFile: opts.sourceFile(),
      });
      if (fix) actions.push({ title: fix.title, kind: CodeActionKind.RefactorRewrite, edit: edit(fix.edits) });
    }
  }

  if (wanted(only, CodeActionKind.Refactor) && analysis.config.enable && !analysis.skipped && fsPathOf(doc.uri)) {
    let fix: FailureTestFix | undefined;
    try {
      fix = failureTestFix({
        text: doc.getText(), fileName: analysis.fileName, project: analysis.project, config: analysis.config,
        start: doc.offsetAt(params.range.start), end: doc.offsetAt(params.range.end), sourceFile: opts.sourceFile(),
        findings: analysis.findings, layout: () => (analysis.project.root ? cachedLayout(analysis.project.root) : undefined),
        allowedRoots: opts.roots, copyInstallCommand: Commands.copyInstallCommand,
      });
    } catch {
      fix = undefined; // an unexpected shape of code: the other actions still reach the user
    }
    if (fix?.disabled !== undefined) {
      // no safe place for the new file: say why where the client can show it, else offer nothing
      if (opts.disabledSupport) actions.push({ title: fix.title, kind: CodeActionKind.Refactor, disabled: { reason: fix.disabled } });
    } else if (fix && (!fix.files || opts.documentChanges)) {
      // creating a file needs versioned documentChanges (resource operations); the install-command variant needs nothing
      const action: CodeAction = { title: fix.title, kind: CodeActionKind.Refactor };
      if (fix.files) action.edit = withNewFiles(fix.edits, fix.files, edit);
      if (fix.command) action.command = Command.create(fix.command.title, fix.command.command, ...(fix.command.arguments ?? []));
      actions.push(action);
    }
  }

  if (only && only.length > 0 && wanted(only, FIX_ALL_KIND) && analysis.findings.some((f) => fixAllFixOf(f))) {
    const result = fixAll({ text: doc.getText(), fileName: analysis.fileName, project: analysis.project, config: analysis.config, findings: analysis.findings, inputFor: opts.inputFor });
    if (result.edits.length > 0) {
      actions.push({ title: 'Fix all safe Failpath problems', kind: FIX_ALL_KIND, edit: edit(result.edits) });
    }
  }
  return actions;
}

function fixAction(fix: Fix, kind: string, diagnostic: Diagnostic, edit: (edits: readonly TextEdit[]) => CodeAction['edit']): CodeAction {
  const action: CodeAction = { title: fix.title, kind, diagnostics: [diagnostic] };
  if (fix.edits.length > 0) action.edit = edit(fix.edits);
  if (fix.isPreferred) action.isPreferred = true;
  if (fix.command) action.command = Command.create(fix.command.title, fix.command.command, ...(fix.command.arguments ?? []));
  return action;
}

/**
 * A WorkspaceEdit that creates each new file, fills it, and applies the document's own edits, if
 * any. The engine picked a name nothing occupies; should something appear there before the edit
 * is applied, `ignoreIfExists` keeps it: a client that honours `ignoreIfExists: false` by
 * truncating (Neovim's create_file opens the file for writing) would otherwise empty it.
 */
function withNewFiles(edits: readonly TextEdit[], files: readonly { path: string; text: string }[],
  edit: (edits: readonly TextEdit[]) => CodeAction['edit']): WorkspaceEdit {
  const changes: WorkspaceEdit['documentChanges'] = [];
  for (const f of files) {
    const uri = fileUri(f.path);
    changes.push(CreateFile.create(uri, { overwrite: false, ignoreIfExists: true }));
    changes.push(TextDocumentEdit.create(OptionalVersionedTextDocumentIdentifier.create(uri, null), [LspTextEdit.insert(Position.create(0, 0), f.text)]));
  }
  if (edits.length > 0) changes.push(...(edit(edits)?.documentChanges ?? []));
  return { documentChanges: changes };
}

/** Test layouts per project root, read at most every few seconds (a bounded walk of the project). */
const LAYOUT_TTL_MS = 3000;
const layouts = new Map<string, { at: number; layout: TestLayout }>();

function cachedLayout(root: string): TestLayout {
  const hit = layouts.get(root);
  const now = Date.now();
  if (hit && now - hit.at < LAYOUT_TTL_MS) return hit.layout;
  const layout = readTestLayout(root);
  layouts.set(root, { at: now, layout });
  return layout;
}
