/**
 * Runs a scan over discovered files: in-process for small inputs, on two worker threads above a
 * threshold (FAILPATH_WORKER_THRESHOLD, default 200 files). Output order never depends on
 * workers: results are sorted by path. Then the project-level pass (process-health with the
 * project-wide signals) re-checks only the files that start a server.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { Scanner, applyProjectSignals, type ScanOptions, type ScannedFile } from '../engine/scan';
import { buildSessions } from '../workspace/session';

/** The project roots of the paths given: a folder is one, a file's folder is one. */
export function sessionRoots(inputs: readonly string[]): string[] {
  return inputs.map((i) => {
    const abs = path.resolve(i);
    try {
      return fs.statSync(abs).isDirectory() ? abs : path.dirname(abs);
    } catch {
      return path.dirname(abs);
    }
  });
}

/**
 * A scanner with the Sessions (project model) of the folders given, built from the discovered
 * files; its options carry them as plain data for workers.
 */
export function scannerWithSessions(files: readonly string[], options: ScanOptions): { scanner: Scanner; options: ScanOptions } {
  const scanner = new Scanner(options);
  const sessions = buildSessions(sessionRoots(options.roots ?? []), files, scanner.sessionOptions());
  scanner.useSessions(sessions);
  return { scanner, options: { ...options, sessions: sessions.snapshots() } };
}

export function workerThreshold(): number {
  const v = Number(process.env.FAILPATH_WORKER_THRESHOLD);
  return Number.isInteger(v) && v > 0 ? v : 200;
}

async function onWorkers(files: string[], options: ScanOptions, signals?: { processEvents: string[]; healthRoutes: number }, onlyRules?: string[]): Promise<ScannedFile[]> {
  const count = Math.max(1, Math.min(os.availableParallelism?.() ?? os.cpus().length, 4, Math.ceil(files.length / 50)));
  const script = path.join(__dirname, 'scan-worker.js');
  const workers = Array.from({ length: count }, () => new Worker(script, { workerData: options }));
  // interleave so each worker gets a mix of folders (similar sizes)
  const batches: string[][] = Array.from({ length: count }, () => []);
  files.forEach((f, i) => batches[i % count].push(f));
  try {
    const parts = await Promise.all(workers.map((w, i) => new Promise<ScannedFile[]>((resolve, reject) => {
      w.once('message', (m: { results: ScannedFile[] }) => resolve(m.results));
      w.once('error', reject);
      w.once('exit', (code) => { if (code !== 0) reject(new Error(`scan worker exited with code ${code}`)); });
      w.postMessage({ id: i, files: batches[i], signals, onlyRules });
    })));
    return parts.flat();
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/** Scans on this thread, letting the event loop turn now and then (Ctrl+C is handled at once). */
async function inProcess(scanner: Scanner, files: string[]): Promise<ScannedFile[]> {
  const out: ScannedFile[] = [];
  for (let i = 0; i < files.length; i++) {
    if (i % 20 === 19) await yieldToEvents();
    const r = scanner.scanFile(files[i]);
    if (r) out.push(r);
  }
  return out;
}

/** One turn of the event loop (signal handlers run). */
export function yieldToEvents(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export async function runScan(files: string[], given: ScanOptions, prepared = scannerWithSessions(files, given)): Promise<ScannedFile[]> {
  const useWorkers = files.length >= workerThreshold();
  const { scanner, options } = prepared;
  const first = useWorkers ? await onWorkers(files, options) : await inProcess(scanner, files);
  // project-level pass: process-health sees handlers and health routes registered anywhere
  if (!options.only || options.only.includes('process-health')) applyProjectSignals(first, scanner);
  return first.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}
