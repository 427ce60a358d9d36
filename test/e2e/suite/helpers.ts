/**
 * Helpers of the integration suite: open fixture files, wait for Failpath's diagnostics on
 * vscode.languages.onDidChangeDiagnostics (with a timeout, never a fixed sleep), apply code
 * actions, change settings.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'failpath.failpath';
export const SOURCE = 'failpath';
const DEFAULT_TIMEOUT = 20_000;

export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the suite runs with the fixture workspace open');
  return folder.uri;
}

export function fixtureUri(rel: string): vscode.Uri {
  return vscode.Uri.joinPath(workspaceRoot(), ...rel.split('/'));
}

export async function openFixture(rel: string): Promise<{ doc: vscode.TextDocument; editor: vscode.TextEditor }> {
  const doc = await vscode.workspace.openTextDocument(fixtureUri(rel));
  const editor = await vscode.window.showTextDocument(doc, { preview: false });
  return { doc, editor };
}

export function failpathDiagnostics(uri: vscode.Uri, code?: string): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE && (code === undefined || codeOf(d) === code));
}

export function codeOf(d: vscode.Diagnostic): string | undefined {
  const c = d.code;
  if (c === undefined) return undefined;
  return typeof c === 'object' ? String(c.value) : String(c);
}

/**
 * Resolves with Failpath's diagnostics of `uri` as soon as `predicate` holds for them — checked
 * now and on every onDidChangeDiagnostics for the uri — or rejects after `timeoutMs` with what
 * was last seen.
 */
export function waitForDiagnostics(
  uri: vscode.Uri,
  predicate: (diags: vscode.Diagnostic[]) => boolean,
  what = 'the expected diagnostics',
  timeoutMs = DEFAULT_TIMEOUT,
): Promise<vscode.Diagnostic[]> {
  return new Promise((resolve, reject) => {
    const check = (): boolean => {
      const diags = failpathDiagnostics(uri);
      if (!predicate(diags)) return false;
      cleanup();
      resolve(diags);
      return true;
    };
    const sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === uri.toString())) check();
    });
    const timer = setTimeout(() => {
      cleanup();
      const seen = failpathDiagnostics(uri).map(describeDiagnostic);
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what} on ${path.basename(uri.path)}; Failpath diagnostics now: ${JSON.stringify(seen)}`));
    }, timeoutMs);
    function cleanup(): void {
      clearTimeout(timer);
      sub.dispose();
    }
    check();
  });
}

/** Waits until a diagnostic with `code` is present; returns it (the first one). */
export async function waitForCode(uri: vscode.Uri, code: string, timeoutMs?: number): Promise<vscode.Diagnostic> {
  const diags = await waitForDiagnostics(uri, (ds) => ds.some((d) => codeOf(d) === code), `a ${code} diagnostic`, timeoutMs);
  return diags.find((d) => codeOf(d) === code)!;
}

/** Waits until no diagnostic with `code` is left. */
export async function waitForNoCode(uri: vscode.Uri, code: string, timeoutMs?: number): Promise<vscode.Diagnostic[]> {
  return waitForDiagnostics(uri, (ds) => !ds.some((d) => codeOf(d) === code), `no ${code} diagnostic`, timeoutMs);
}

export function describeDiagnostic(d: vscode.Diagnostic): string {
  const r = d.range;
  return `${codeOf(d)} ${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character} ${d.message.slice(0, 60)}`;
}

/** The range of the `occurrence`-th (0-based) `needle` in the document. */
export function rangeOf(doc: vscode.TextDocument, needle: string, occurrence = 0): vscode.Range {
  const text = doc.getText();
  let at = -1;
  for (let i = 0; i <= occurrence; i++) {
    at = text.indexOf(needle, at + 1);
    assert.notEqual(at, -1, `"${needle}" (#${occurrence}) not in ${path.basename(doc.uri.path)}`);
  }
  return new vscode.Range(doc.positionAt(at), doc.positionAt(at + needle.length));
}

export function assertRange(actual: vscode.Range, expected: vscode.Range, label = 'range'): void {
  const fmt = (r: vscode.Range) => `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;
  assert.equal(fmt(actual), fmt(expected), label);
}

export async function codeActions(uri: vscode.Uri, range: vscode.Range | vscode.Selection, kind?: string): Promise<vscode.CodeAction[]> {
  const all = (await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
    'vscode.executeCodeActionProvider', uri, range, kind)) ?? [];
  return all.filter((a): a is vscode.CodeAction => 'title' in a && !('command' in a && typeof (a as vscode.Command).command === 'string'));
}

/** Applies a code action the way VS Code does: its edit, then its command. */
export async function applyCodeAction(action: vscode.CodeAction): Promise<void> {
  if (action.edit) assert.ok(await vscode.workspace.applyEdit(action.edit), `applyEdit of "${action.title}" failed`);
  if (action.command) await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
}

/** Waits for the document's text to satisfy `predicate` (edits arrive asynchronously). */
export function waitForText(doc: vscode.TextDocument, predicate: (text: string) => boolean, what: string, timeoutMs = DEFAULT_TIMEOUT): Promise<string> {
  return new Promise((resolve, reject) => {
    if (predicate(doc.getText())) return resolve(doc.getText());
    const sub = vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.document === doc && predicate(doc.getText())) {
        clearTimeout(timer);
        sub.dispose();
        resolve(doc.getText());
      }
    });
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`timed out waiting for ${what}; text now:\n${doc.getText()}`));
    }, timeoutMs);
  });
}

/** Updates a workspace setting of any section and waits for VS Code to report the change. */
export async function setWorkspaceSetting(section: string, key: string, value: unknown, languageScoped?: string): Promise<void> {
  const full = `${section}.${key}`;
  const changed = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => { sub.dispose(); reject(new Error(`${full} did not change`)); }, DEFAULT_TIMEOUT);
    const sub = vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(full)) {
        clearTimeout(timer);
        sub.dispose();
        resolve();
      }
    });
  });
  await vscode.workspace.getConfiguration(section).update(key, value, vscode.ConfigurationTarget.Workspace, languageScoped ? true : undefined);
  await changed;
}

/** Updates a `failpath` setting in the workspace and waits for VS Code to report the change. */
export async function setFailpathSetting(key: string, value: unknown): Promise<void> {
  const changed = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => { sub.dispose(); reject(new Error(`failpath.${key} did not change`)); }, DEFAULT_TIMEOUT);
    const sub = vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(`failpath.${key}`)) {
        clearTimeout(timer);
        sub.dispose();
        resolve();
      }
    });
  });
  await vscode.workspace.getConfiguration('failpath').update(key, value, vscode.ConfigurationTarget.Workspace);
  await changed;
}

/** Reverts and closes every editor, so that tests do not see each other's unsaved edits. */
export async function closeAll(): Promise<void> {
  for (let i = 0; i < 20 && vscode.window.activeTextEditor; i++) {
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}
