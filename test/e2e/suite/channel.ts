/**
 * The suite's end of the channel to the runner: events appended as JSON lines to
 * <channelDir>/events.jsonl (a file, because the extension host's console does not reliably reach
 * the runner), and screenshot requests the runner acknowledges with <channelDir>/<id>.ack.
 * The runner writes run.json next to the bundled suite before starting VS Code.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface RunConfig {
  channelDir: string | null;
  grep: string | null;
  /** Whether the runner takes screenshots (code-server: yes; Electron: no). */
  screenshots: boolean;
  /** Set when the extension was installed from failpath.vsix (run-code-server.mjs --vsix). */
  vsix?: { extensionsDir: string; version: string } | null;
}

let config: RunConfig | undefined;
export function runConfig(): RunConfig {
  if (!config) {
    const file = path.join(__dirname, 'run.json');
    config = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : { channelDir: null, grep: null, screenshots: false };
  }
  return config!;
}

export function emit(event: Record<string, unknown>): void {
  const dir = runConfig().channelDir;
  if (dir) fs.appendFileSync(path.join(dir, 'events.jsonl'), `${JSON.stringify(event)}\n`);
}

let nextId = 0;
/**
 * Asks the runner for a screenshot of the whole workbench (saved as test-results/<name>.png),
 * after `waitFor` (a CSS selector) is visible; resolves with the file's path. Without a runner
 * that takes screenshots (the Electron runner), resolves undefined at once.
 */
export async function screenshot(name: string, waitFor?: string, timeoutMs = 10_000): Promise<string | undefined> {
  const dir = runConfig().channelDir;
  if (!dir || !runConfig().screenshots) return undefined;
  const id = `shot-${process.pid}-${nextId++}`;
  emit({ type: 'screenshot', id, name, waitFor, timeoutMs });
  const ack = path.join(dir, `${id}.ack`);
  const deadline = Date.now() + timeoutMs + 15_000;
  // the runner answers within timeoutMs (+ the time a screenshot takes)
  while (!fs.existsSync(ack)) {
    if (Date.now() > deadline) throw new Error(`the runner did not take screenshot ${name}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const body = JSON.parse(fs.readFileSync(ack, 'utf8')) as { ok: boolean; path?: string; error?: string };
  if (!body.ok) throw new Error(`screenshot ${name} failed: ${body.error}`);
  return body.path;
}
