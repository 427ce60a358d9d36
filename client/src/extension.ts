/**
 * Failpath for VS Code: activate starts the language server and wires the output channel,
 * the status bar item and the commands; deactivate stops the server. Failpath never runs
 * workspace code, so it is enabled in untrusted workspaces; there it runs no git either (the
 * "changed on this branch" filter and the branch report wait for trust: the server is told when
 * it is granted).
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { createLanguageClient } from './languageClient';
import { registerCommands } from './commands';
import { FindingsStatusBar } from './statusBar';
import { ReadinessView, type ReadinessSnapshot } from './readiness/tree';
import { showBranchReport, type BranchReportOutcome } from './readiness/report';
import { findRouteHandler, whoReachesThisFunction } from './readiness/navigation';
import { Notifications, ReadinessCommands } from '../../shared/protocol';
import { CrashHandler } from './crashHandler';

/** What activate() returns, for the integration tests. */
export interface FailpathApi {
  client: LanguageClient;
  /** Resolves once the server has started (rejects if it could not). */
  ready: Promise<void>;
  /** The Readiness view as a user sees it. */
  readiness(): Promise<ReadinessSnapshot>;
  /** Expands a feature (and one of its items: monitor, disable, recover, scale, understand) in the view. */
  revealFeature(name: string, item?: string): Promise<boolean>;
  /** Runs the branch report command and returns what it produced. */
  branchReport(): Promise<BranchReportOutcome>;
  /** Restarts of a crashed server (state and decisions). */
  crashes: CrashHandler;
}

let client: LanguageClient | undefined;

export function activate(context: vscode.ExtensionContext): FailpathApi {
  const output = vscode.window.createOutputChannel('Failpath', { log: true });
  const crashes = new CrashHandler(output);
  client = createLanguageClient(context, output, crashes);
  crashes.attach(client);
  const view = new ReadinessView(client, output);
  const report = () => showBranchReport(context, client!, output);
  context.subscriptions.push(output, crashes, new FindingsStatusBar(client, crashes), view, ...registerCommands(context, client, output),
    vscode.commands.registerCommand(ReadinessCommands.branchReport, report),
    vscode.commands.registerCommand(ReadinessCommands.revealFeature, async (name?: string) => {
      await vscode.commands.executeCommand(ReadinessCommands.show);
      if (typeof name === 'string') await view.revealFeature(name);
    }),
    vscode.commands.registerCommand(ReadinessCommands.findRouteHandler, () => findRouteHandler(client!)),
    vscode.commands.registerCommand(ReadinessCommands.whoReaches, () => whoReachesThisFunction(client!)));
  const ready = client.start().catch((err: unknown) => {
    output.error(`Failpath could not start its server: ${err instanceof Error ? err.message : String(err)}`);
    throw err;
  });
  ready.catch(() => undefined); // reported above; callers that await `ready` still see the error
  context.subscriptions.push(vscode.workspace.onDidGrantWorkspaceTrust(() => {
    void ready.then(async () => {
      if (client?.isRunning()) await client.sendNotification(Notifications.workspaceTrusted);
      await view.refresh();
    }).catch(() => undefined);
  }));
  return { client, ready, crashes, readiness: () => view.snapshot(), revealFeature: (name, item) => view.revealFeature(name, item), branchReport: report };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
