/** The extension's commands: restart the server, show its output, show a rule's documentation, copy an install command. */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { Commands, type DocumentationArgs, type InstallCommandArgs } from '../../shared/protocol';

export function registerCommands(context: vscode.ExtensionContext, client: LanguageClient, output: vscode.LogOutputChannel): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(Commands.restartServer, async () => {
      output.info('Restarting the Failpath server');
      await client.restart();
    }),
    vscode.commands.registerCommand(Commands.showOutput, () => output.show(true)),
    vscode.commands.registerCommand(Commands.showDocumentation, (args?: DocumentationArgs) => showDocumentation(context, output, args)),
    vscode.commands.registerCommand(Commands.copyInstallCommand, (args?: InstallCommandArgs) => copyInstallCommand(output, args)),
  ];
}

/** Opens the bundled docs/rules/<id>.md in the Markdown preview, else the documentation URL. */
async function showDocumentation(context: vscode.ExtensionContext, output: vscode.LogOutputChannel, args?: DocumentationArgs): Promise<void> {
  if (!args || typeof args.ruleId !== 'string' || !/^[a-z0-9-]+$/.test(args.ruleId)) {
    output.warn(`showDocumentation: unexpected arguments ${JSON.stringify(args)}`);
    return;
  }
  const bundled = vscode.Uri.joinPath(context.extensionUri, 'docs', 'rules', `${args.ruleId}.md`);
  try {
    await vscode.workspace.fs.stat(bundled);
    await vscode.commands.executeCommand('markdown.showPreview', bundled);
    return;
  } catch {
    // not bundled: open the web page
  }
  if (typeof args.url === 'string' && args.url.startsWith('https://')) await vscode.env.openExternal(vscode.Uri.parse(args.url));
}

/** "Generate failure test" when a package is missing: Failpath never installs anything; it copies the command. */
async function copyInstallCommand(output: vscode.LogOutputChannel, args?: InstallCommandArgs): Promise<void> {
  if (!args || typeof args.command !== 'string' || args.command.length === 0 || args.command.length > 500) {
    output.warn(`copyInstallCommand: unexpected arguments ${JSON.stringify(args)}`);
    return;
  }
  await vscode.env.clipboard.writeText(args.command);
  const reason = typeof args.reason === 'string' ? `${args.reason}. ` : '';
  void vscode.window.showInformationMessage(`${reason}Copied to the clipboard: ${args.command}`);
}
