/**
 * When to restart a crashed language server: at most `maxRestarts` crashes within `windowMs`
 * are restarted, each after an exponential backoff (`baseDelayMs`, doubling, at most
 * `maxDelayMs`); one more crash in the window and the server stays stopped. Crashes older than
 * the window are forgotten, so a server that crashes once a day is always restarted.
 * Pure (no VS Code): crashHandler.ts applies it; test/client tests it.
 */

export interface RestartPolicyOptions {
  maxRestarts: number;
  windowMs: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicyOptions = { maxRestarts: 4, windowMs: 3 * 60_000, baseDelayMs: 1000, maxDelayMs: 8000 };

export type CrashDecision =
  /** Restart after `delayMs`; `attempt` counts the crashes in the window (1-based). */
  | { action: 'restart'; attempt: number; maxRestarts: number; delayMs: number }
  /** Give up: `crashes` crashes within the window. */
  | { action: 'stop'; crashes: number; windowMs: number };

export class RestartPolicy {
  private crashes: number[] = [];

  constructor(readonly options: RestartPolicyOptions = DEFAULT_RESTART_POLICY) {}

  /** A crash at `now` (ms): what to do about it. */
  onCrash(now: number): CrashDecision {
    const { maxRestarts, windowMs, baseDelayMs, maxDelayMs } = this.options;
    this.crashes = this.crashes.filter((t) => now - t < windowMs);
    this.crashes.push(now);
    const n = this.crashes.length;
    if (n > maxRestarts) return { action: 'stop', crashes: n, windowMs };
    return { action: 'restart', attempt: n, maxRestarts, delayMs: Math.min(maxDelayMs, baseDelayMs * 2 ** (n - 1)) };
  }

  /** The user started the server again (after a stop): a fresh budget. */
  reset(): void {
    this.crashes = [];
  }
}

/** "3 minutes", "90 seconds", "1 second". */
export function describeDuration(ms: number): string {
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  return ms % 60_000 === 0 ? plural(ms / 60_000, 'minute') : plural(Math.round(ms / 1000), 'second');
}
