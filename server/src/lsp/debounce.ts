/**
 * Per-document scheduling, as vscode-stylelint does it: one task per key; scheduling again (a
 * newer version) clears the timer and aborts the task if it is already running, so stale work
 * stops at its next `signal.aborted` check and never publishes.
 */
export type Task = (signal: AbortSignal) => Promise<void> | void;

interface Entry {
  controller: AbortController;
  /** Set while waiting; cleared when the task starts. */
  timer?: NodeJS.Timeout;
}

export class Debouncer {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly onError: (key: string, err: unknown) => void = () => {}) {}

  schedule(key: string, delayMs: number, task: Task): void {
    this.cancel(key);
    const entry: Entry = { controller: new AbortController() };
    entry.timer = setTimeout(() => {
      entry.timer = undefined;
      const done = () => {
        if (this.entries.get(key) === entry) this.entries.delete(key);
      };
      Promise.resolve()
        .then(() => task(entry.controller.signal))
        .then(done, (err) => { done(); this.onError(key, err); });
    }, delayMs);
    this.entries.set(key, entry);
  }

  /** Clears the timer and aborts the running task of `key`. */
  cancel(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    if (entry.timer) clearTimeout(entry.timer);
    entry.controller.abort();
    this.entries.delete(key);
  }

  /** Whether a task for `key` is waiting or running. */
  has(key: string): boolean {
    return this.entries.has(key);
  }

  dispose(): void {
    for (const key of [...this.entries.keys()]) this.cancel(key);
  }
}
