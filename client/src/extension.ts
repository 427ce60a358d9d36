/**
 * Failpath for VS Code: activate starts the language server and wires the output channel,
 * the status bar item and the commands; deactivate stops the server. Failpath never runs
 * workspace code, so it is enabled in untrusted workspaces.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { createLanguageClient } from './languageClient';
import { registerCommands } from './commands';
import { FindingsStatusBar } from './statusBar';

/** What activate() returns, for the integration tests. */
export interface FailpathApi {
  client: LanguageClient;
  /** Resolves once the server has started (rejects if it could not). */
  ready: Promise<void>;
}

let client: LanguageClient | undefined;

export function activate(context: vscode.ExtensionContext): FailpathApi {
  const output = vscode.window.createOutputChannel('Failpath', { log: true });
  client = createLanguageClient(context, output);
  context.subscriptions.push(output, new FindingsStatusBar(client), ...registerCommands(context, client, output));
  const ready = client.start().catch((err: unknown) => {
    output.error(`Failpath could not start its server: ${err instanceof Error ? err.message : String(err)}`);
    throw err;
  });
  ready.catch(() => undefined); // reported above; callers that await `ready` still see the error
  return { client, ready };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
