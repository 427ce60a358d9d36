/**
 * Channel "worker": files through the CLI's scan worker (dist/scan-worker.js, started with the
 * CLI's own Worker options, so its stack and heap limits), one file per job, with a stopwatch on
 * the worker thread (timed-scan-worker.cjs) and a watchdog: a job unanswered after `stuckMs` ends
 * its worker, which is replaced. The same file is scanned on the main thread with the same
 * options, and the two results must be equal: one file, one answer.
 */
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { scanWorkerOptions } from '../../server/src/engine/scanPool';
import type { ScanOptions, ScannedFile } from '../../server/src/engine/scan';

const WRAPPER = path.join(__dirname, 'timed-scan-worker.cjs');

export type WorkerAnswer =
  | { kind: 'result'; result: ScannedFile | undefined; threadMs: number; cpuMs: number | null }
  | { kind: 'exit'; message: string }
  | { kind: 'stuck'; ms: number };

interface Pending {
  resolve(a: WorkerAnswer): void;
  timer: NodeJS.Timeout;
  started: number;
}

/** One scan worker; replaced when it dies or gets stuck. */
export class ScanWorker {
  private worker!: Worker;
  private nextId = 0;
  private pending = new Map<number, Pending>();
  restarts = 0;

  constructor(private readonly options: ScanOptions, private readonly stuckMs: number) {
    this.start();
  }

  private start(): void {
    const w = new Worker(WRAPPER, scanWorkerOptions(this.options));
    this.worker = w;
    w.on('message', (m: { id: number; results: ScannedFile[]; threadMs: number; cpuMs: number | null }) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      clearTimeout(p.timer);
      p.resolve({ kind: 'result', result: m.results[0], threadMs: m.threadMs, cpuMs: m.cpuMs });
    });
    const fail = (message: string) => {
      if (this.worker !== w) return;
      for (const p of this.pending.values()) {
        clearTimeout(p.timer);
        p.resolve({ kind: 'exit', message });
      }
      this.pending.clear();
      this.restarts++;
      this.start();
    };
    w.on('error', (err) => fail(`worker error: ${err.message}`));
    w.on('exit', (code) => fail(`worker exited with code ${code}`));
    w.unref();
  }

  scan(file: string): Promise<WorkerAnswer> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      const started = performance.now();
      const timer = setTimeout(() => {
        this.pending.delete(id);
        const stuck = this.worker;
        for (const p of this.pending.values()) { clearTimeout(p.timer); p.resolve({ kind: 'exit', message: 'worker ended by the watchdog' }); }
        this.pending.clear();
        this.restarts++;
        this.start();
        void stuck.terminate();
        resolve({ kind: 'stuck', ms: performance.now() - started });
      }, this.stuckMs);
      this.pending.set(id, { resolve, timer, started });
      this.worker.postMessage({ id, files: [file] });
    });
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = undefined as unknown as Worker;
    await w.terminate();
  }
}
