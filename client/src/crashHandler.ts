/**
 * What happens when the language server process dies: vscode-languageclient asks the
 * ErrorHandler's `closed()`. This one applies RestartPolicy (restartPolicy.ts): a bounded number of
 * restarts, each after a backoff, logged in the Failpath output and shown in the status bar
 * (`state`, `onDidChange`); after one crash too many it stops and offers "Show Output" (and
 * "Restart Server"). A manual restart afterwards starts a fresh budget.
 */
import * as vscode from 'vscode';
import { CloseAction, ErrorAction, State, type CloseHandlerResult, type ErrorHandler, type ErrorHandlerResult, type LanguageClient } from 'vscode-languageclient/node';
import { Commands } from '../../shared/protocol';
import { RestartPolicy, describeDuration, type CrashDecision } from './restartPolicy';

export type CrashState =
  | { kind: 'running' }
  | { kind: 'restarting'; attempt: number; maxRestarts: number; delayMs: number }
  | { kind: 'stopped'; crashes: number; windowMs: number };

export class CrashHandler implements ErrorHandler, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<CrashState>();
  readonly onDidChange = this.changed.event;
  private current: CrashState = { kind: 'running' };
  /** Every decision taken, in order (for the integration tests and the output). */
  readonly history: CrashDecision[] = [];
  private client?: LanguageClient;
  private disposed = false;
  private wake?: () => void;
  private readonly subscriptions: vscode.Disposable[] = [this.changed];

  constructor(
    private readonly output: vscode.LogOutputChannel,
    readonly policy = new RestartPolicy(),
    private readonly now: () => number = Date.now,
  ) {}

  get state(): CrashState {
    return this.current;
  }

  /** The client is created with this handler in its options; attach it once it exists. */
  attach(client: LanguageClient): void {
    this.client = client;
    this.subscriptions.push(client.onDidChangeState((e) => {
      if (e.newState !== State.Running) return;
      // running again: after a crash (restarted) or after giving up (the user restarted it)
      if (this.current.kind === 'stopped') this.policy.reset();
      if (this.current.kind !== 'running') this.output.info('The Failpath server is running again.');
      this.set({ kind: 'running' });
    }));
  }

  error(_error: Error, _message: unknown, count: number | undefined): ErrorHandlerResult {
    // the library's default: a few write/read errors are tolerated, then the connection is shut down
    return { action: count !== undefined && count <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown };
  }

  async closed(): Promise<CloseHandlerResult> {
    const decision = this.policy.onCrash(this.now());
    this.history.push(decision);
    if (decision.action === 'stop') {
      const message = `The Failpath server crashed ${decision.crashes} times in the last ${describeDuration(decision.windowMs)} and will not be restarted. Use "Failpath: Restart Server" once the cause is fixed.`;
      this.set({ kind: 'stopped', crashes: decision.crashes, windowMs: decision.windowMs });
      void this.offerOutput(message);
      return { action: CloseAction.DoNotRestart, message, handled: true };
    }
    const { attempt, maxRestarts, delayMs } = decision;
    this.output.warn(`The Failpath server stopped unexpectedly; restarting it in ${describeDuration(delayMs)} (restart ${attempt} of at most ${maxRestarts} in ${describeDuration(this.policy.options.windowMs)}).`);
    this.set({ kind: 'restarting', attempt, maxRestarts, delayMs });
    await this.sleep(delayMs);
    if (this.disposed || (this.client && this.client.state !== State.Running)) return { action: CloseAction.DoNotRestart, message: 'Failpath is shutting down; the server is not restarted.', handled: true };
    return { action: CloseAction.Restart, message: `Restarting the Failpath server (restart ${attempt} of ${maxRestarts}).`, handled: true };
  }

  private async offerOutput(message: string): Promise<void> {
    const choice = await vscode.window.showErrorMessage(message, 'Show Output', 'Restart Server');
    if (choice === 'Show Output') this.output.show(true);
    else if (choice === 'Restart Server') await vscode.commands.executeCommand(Commands.restartServer);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }

  private set(state: CrashState): void {
    this.current = state;
    this.changed.fire(state);
  }

  dispose(): void {
    this.disposed = true;
    this.wake?.();
    for (const s of this.subscriptions) s.dispose();
  }
}
