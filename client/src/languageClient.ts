/**
 * The language client: starts dist/server.js over Node IPC (with --inspect when debugging),
 * for TypeScript/JavaScript files and untitled documents, and hands it the `failpath` settings
 * and whether the workspace is trusted (the server runs git only then).
 * A crashed server is restarted by `errorHandler` (crashHandler.ts). Knows nothing of rules.
 */
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type ErrorHandler, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { Commands, LANGUAGE_IDS, SETTINGS_SECTION, type InitializationOptions } from '../../shared/protocol';

export function createLanguageClient(context: vscode.ExtensionContext, output: vscode.LogOutputChannel, errorHandler?: ErrorHandler): LanguageClient {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6011'] } },
  };
  // a function: a restarted server learns the trust granted since
  const initializationOptions = (): InitializationOptions => ({ clientCommands: [Commands.showDocumentation], workspaceTrusted: vscode.workspace.isTrusted });
  const clientOptions: LanguageClientOptions = {
    // .mts/.cts/.mjs/.cjs are typescript/javascript documents to VS Code
    documentSelector: LANGUAGE_IDS.flatMap((language) => [{ scheme: 'file', language }, { scheme: 'untitled', language }]),
    synchronize: { configurationSection: SETTINGS_SECTION },
    outputChannel: output,
    initializationOptions,
    errorHandler,
  };
  return new LanguageClient('failpath', 'Failpath', serverOptions, clientOptions);
}
