/**
 * "Failpath: Readiness Report for This Branch": asks the server for the branch report (files
 * changed since the merge base with the base branch, features touched, their checklists, new vs
 * pre-existing findings), opens it as a markdown preview and copies it to the clipboard for the
 * PR description. Git problems (not a repository, unknown base) come back as a clear message.
 * The report runs git: in an untrusted workspace it says so and offers to manage trust instead.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { Commands, Requests, UNTRUSTED_GIT_MESSAGE, type BranchReportParams, type BranchReportResult } from '../../../shared/protocol';

/** The last report's markdown (for the integration tests). */
export interface BranchReportOutcome {
  markdown?: string;
  error?: string;
  /** The markdown file the preview shows. */
  file?: vscode.Uri;
}

export async function showBranchReport(context: vscode.ExtensionContext, client: LanguageClient, output: vscode.LogOutputChannel): Promise<BranchReportOutcome> {
  const folder = pickFolder();
  if (!folder) {
    void vscode.window.showInformationMessage('Failpath: open a folder to get a readiness report for its branch.');
    return { error: 'no folder' };
  }
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showInformationMessage(UNTRUSTED_GIT_MESSAGE, 'Manage Workspace Trust').then((pick) => {
      if (pick) void vscode.commands.executeCommand('workbench.trust.manage');
    });
    return { error: UNTRUSTED_GIT_MESSAGE };
  }
  const base = vscode.workspace.getConfiguration('failpath', folder.uri).get<string>('readiness.baseBranch') || undefined;
  const params: BranchReportParams = { base, root: folder.uri.fsPath };
  let result: BranchReportResult;
  try {
    result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Failpath: readiness report for this branch…' },
      () => client.sendRequest<BranchReportResult>(Requests.branchReport, params),
    );
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    output.warn(`Branch report failed: ${message}`);
    void vscode.window.showErrorMessage(`Failpath could not make the branch report: ${message}`, 'Show Output').then((pick) => {
      if (pick) void vscode.commands.executeCommand(Commands.showOutput);
    });
    return { error: message };
  }
  // a file in the extension's storage (never in the workspace): the preview can watch it, unlike an untitled document
  const file = vscode.Uri.joinPath(context.globalStorageUri, 'readiness-report.md');
  await vscode.workspace.fs.createDirectory(context.globalStorageUri);
  await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(result.markdown));
  await vscode.commands.executeCommand('markdown.showPreview', file);
  await vscode.env.clipboard.writeText(result.markdown);
  void vscode.window.showInformationMessage('Failpath: the readiness report is in the clipboard, ready for the PR description.');
  return { markdown: result.markdown, file };
}

function pickFolder(): vscode.WorkspaceFolder | undefined {
  const active = vscode.window.activeTextEditor?.document.uri;
  return (active && vscode.workspace.getWorkspaceFolder(active)) || vscode.workspace.workspaceFolders?.[0];
}
