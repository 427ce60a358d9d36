/**
 * Runs a scan over discovered files: in-process for small inputs, on up to four worker threads
 * above a threshold (FAILPATH_WORKER_THRESHOLD, default 200 files; FAILPATH_SCAN_HEAP_MB caps
 * each worker's heap). Output order never depends on
 * workers: results are sorted by path. Then the project-level pass (process-health with the
 * project-wide signals) re-checks only the files that start a server.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Scanner, applyProjectSignals, type ScanOptions, type ScannedFile } from '../engine/scan';
import { ScanPool } from '../engine/scanPool';
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

/**
 * The scan on worker threads (engine/scanPool.ts): batches of 50 files, a dying worker replaced
 * and its batch retried file by file; the file that kills a worker is skipped with the reason.
 */
async function onWorkers(files: string[], options: ScanOptions): Promise<ScannedFile[]> {
  const size = Math.max(1, Math.min(os.availableParallelism?.() ?? os.cpus().length, 4, Math.ceil(files.length / 50)));
  const heapMb = Number(process.env.FAILPATH_SCAN_HEAP_MB) || undefined;
  const pool = new ScanPool({
    script: path.join(__dirname, 'scan-worker.js'), workerData: options, size, heapMb,
    onDeath: (reason, replaced) => process.stderr.write(`failpath: a scan worker stopped (${reason}); ${replaced ? 'started a new one' : 'no more restarts: the files left are skipped'}\n`),
  });
  try {
    const batches: string[][] = [];
    for (let i = 0; i < files.length; i += 50) batches.push(files.slice(i, i + 50));
    return (await Promise.all(batches.map((b) => pool.scan(b)))).flat();
  } finally {
    await pool.terminate();
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
