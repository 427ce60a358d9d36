/** The extension's commands: restart the server, show its output, show a rule's documentation. */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { Commands, type DocumentationArgs } from '../../shared/protocol';

export function registerCommands(context: vscode.ExtensionContext, client: LanguageClient, output: vscode.LogOutputChannel): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(Commands.restartServer, async () => {
      output.info('Restarting the Failpath server');
      await client.restart();
    }),
    vscode.commands.registerCommand(Commands.showOutput, () => output.show(true)),
    vscode.commands.registerCommand(Commands.showDocumentation, (args?: DocumentationArgs) => showDocumentation(context, output, args)),
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
