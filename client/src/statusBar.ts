/**
 * Status bar item: how many Failpath findings the active file has (diagnostics whose source is
 * "failpath"); a click opens the Problems view. Shows the server state while it is not running:
 * restarting after a crash (with the attempt), or stopped after too many crashes (a click shows
 * the output).
 */
import * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import { Commands, DIAGNOSTIC_SOURCE, LANGUAGE_IDS } from '../../shared/protocol';
import type { CrashHandler } from './crashHandler';

export class FindingsStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('failpath.findings', vscode.StatusBarAlignment.Right, 100);
  private readonly subscriptions: vscode.Disposable[] = [];
  private state: State = State.Starting;

  constructor(client: LanguageClient, private readonly crashes?: CrashHandler) {
    this.item.name = 'Failpath';
    this.item.command = 'workbench.actions.view.problems';
    this.subscriptions.push(
      this.item,
      vscode.window.onDidChangeActiveTextEditor(() => this.update()),
      vscode.languages.onDidChangeDiagnostics((e) => {
        const active = vscode.window.activeTextEditor?.document.uri.toString();
        if (active && e.uris.some((u) => u.toString() === active)) this.update();
      }),
      client.onDidChangeState((e) => {
        this.state = e.newState;
        this.update();
      }),
    );
    if (crashes) this.subscriptions.push(crashes.onDidChange(() => this.update()));
    this.update();
  }

  update(): void {
    const doc = vscode.window.activeTextEditor?.document;
    if (!doc || !LANGUAGE_IDS.includes(doc.languageId)) {
      this.item.hide();
      return;
    }
    const crash = this.crashes?.state;
    if (crash?.kind === 'restarting') {
      this.item.text = `$(sync~spin) Failpath: restarting (${crash.attempt}/${crash.maxRestarts})`;
      this.item.tooltip = `The Failpath server stopped unexpectedly and is being restarted (restart ${crash.attempt} of at most ${crash.maxRestarts}) — click to show the output`;
      this.item.command = Commands.showOutput;
      this.item.show();
      return;
    }
    if (crash?.kind === 'stopped') {
      this.item.text = '$(error) Failpath: stopped';
      this.item.tooltip = `The Failpath server crashed ${crash.crashes} times and was not restarted — click to show the output; "Failpath: Restart Server" starts it again`;
      this.item.command = Commands.showOutput;
      this.item.show();
      return;
    }
    if (this.state !== State.Running) {
      this.item.text = this.state === State.Starting ? '$(sync~spin) Failpath' : '$(error) Failpath';
      this.item.tooltip = this.state === State.Starting ? 'Failpath is starting' : 'The Failpath server is not running (Failpath: Restart Server)';
      this.item.command = this.state === State.Starting ? 'workbench.actions.view.problems' : 'failpath.restartServer';
      this.item.show();
      return;
    }
    const count = vscode.languages.getDiagnostics(doc.uri).filter((d) => d.source === DIAGNOSTIC_SOURCE).length;
    this.item.text = count === 0 ? '$(check) Failpath' : `$(warning) Failpath: ${count}`;
    this.item.tooltip = count === 0
      ? 'No Failpath findings in this file'
      : `${count} Failpath finding${count === 1 ? '' : 's'} in this file — click to open Problems`;
    this.item.command = 'workbench.actions.view.problems';
    this.item.show();
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}
