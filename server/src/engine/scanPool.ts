/**
 * Scan worker threads that survive the files they analyse. The CLI (cli/runScan.ts, up to four
 * workers) and the language server (lsp/workspace.ts, one worker with a capped heap) both scan
 * through a ScanPool.
 *
 * A worker that dies (out of memory at its heap cap, or any other exit) is replaced by a new one;
 * the batch it was working on is run again file by file, so the file that kills a worker on its
 * own is found and given a skipped entry ("analysis ran out of memory") while the others of its
 * batch are analysed. The work never moves to the calling thread (whose event loop must stay
 * free: the editor's requests, Ctrl+C). Replacements are bounded (MAX_RESTARTS per pool): past
 * the bound, what is left is skipped with a reason instead of restarting forever.
 */
import { Worker, type WorkerOptions } from 'node:worker_threads';
import type { ScannedFile } from './scan';
import { emptyEntry } from './scan';
import { WORKER_STACK_MB } from './nesting';

export const OUT_OF_MEMORY = 'analysis ran out of memory';
export const MAX_RESTARTS = 20;

export interface ScanPoolOptions {
  /** dist/scan-worker.js */
  script: string;
  workerData: unknown;
  /** Workers (at least 1). */
  size: number;
  /** Old-generation cap of each worker in MB (none: V8's default). */
  heapMb?: number;
  /** Workers do not keep the process alive (the language server). */
  unref?: boolean;
  /** A worker died and was replaced (or could not be, past the bound). */
  onDeath?(reason: string, replaced: boolean): void;
}

/** How a scan worker is started (the fuzz campaign starts its workers the same way). */
export function scanWorkerOptions(workerData: unknown, heapMb?: number): WorkerOptions {
  return {
    workerData,
    // the main thread's stack, so a file nested deeper than anything measured overflows on both or on neither (nesting.ts)
    resourceLimits: { stackSizeMb: WORKER_STACK_MB, ...(heapMb ? { maxOldGenerationSizeMb: heapMb } : {}) },
  };
}

interface Slot { worker: Worker; busy: boolean; died?: Promise<string> }

/** Why a worker stopped: its heap cap, or the exit code. */
class WorkerDied extends Error {}

export class ScanPool {
  private readonly slots: Slot[] = [];
  private readonly waiting: ((s: Slot | undefined) => void)[] = [];
  private restarts = 0;
  private closed = false;
  private seq = 0;

  private workerData: unknown;

  constructor(private readonly options: ScanPoolOptions) {
    this.workerData = options.workerData;
    for (let i = 0; i < Math.max(1, options.size); i++) this.slots.push(this.spawn());
  }

  /** Worker deaths so far (each one replaced while under the bound). */
  get deaths(): number {
    return this.restarts;
  }

  /** Workers started from now on (replacements) get `data` instead of options.workerData: a replacement starts where the others stand (the language server's project model). */
  setWorkerData(data: unknown): void {
    this.workerData = data;
  }

  private spawn(): Slot {
    const { script, heapMb, unref } = this.options;
    const workerData = this.workerData;
    const worker = new Worker(script, scanWorkerOptions(workerData, heapMb));
    if (unref) worker.unref();
    const slot: Slot = { worker, busy: false };
    let error: Error | undefined;
    worker.on('error', (e) => { error ??= e; });
    slot.died = new Promise((resolve) => worker.once('exit', (code) => {
      resolve((error as { code?: string } | undefined)?.code === 'ERR_WORKER_OUT_OF_MEMORY' ? OUT_OF_MEMORY
        : error ? `the analysis stopped its worker (${error.message})` : `the analysis stopped its worker (exit code ${code})`);
    }));
    return slot;
  }

  /** A free worker; undefined when none is left (all retired past the bound). */
  private acquire(): Promise<Slot | undefined> {
    const free = this.slots.find((s) => !s.busy);
    if (free) {
      free.busy = true;
      return Promise.resolve(free);
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(slot: Slot): void {
    const next = this.waiting.shift();
    if (next) next(slot);
    else slot.busy = false;
  }

  /** Replaces a dead worker; false when the bound is reached (the slot is then retired). */
  private replace(slot: Slot, reason: string): boolean {
    const i = this.slots.indexOf(slot);
    const replaced = !this.closed && this.restarts < MAX_RESTARTS;
    this.restarts++;
    this.options.onDeath?.(reason, replaced);
    if (!replaced) {
      if (i >= 0) this.slots.splice(i, 1);
      if (this.slots.length === 0) for (const w of this.waiting.splice(0)) w(undefined);
      return false;
    }
    const fresh = this.spawn();
    fresh.busy = true;
    if (i >= 0) this.slots[i] = fresh;
    this.release(fresh);
    return true;
  }

  /** Runs one job on a worker: its answer, or WorkerDied when the worker died meanwhile (it is replaced). */
  async run<T>(job: object): Promise<T> {
    if (this.closed) throw new Error('the scan pool is closed');
    const slot = this.slots.length ? await this.acquire() : undefined;
    if (!slot) throw new WorkerDied(`not analysed: the scan workers stopped ${this.restarts} times`);
    const id = ++this.seq;
    const answer = new Promise<T>((resolve) => {
      const onMessage = (m: { id: number }) => {
        if (m.id !== id) return;
        slot.worker.off('message', onMessage);
        resolve(m as T);
      };
      slot.worker.on('message', onMessage);
    });
    slot.worker.postMessage({ ...job, id });
    const outcome = await Promise.race([answer.then((v) => ({ v })), slot.died!.then((reason) => ({ reason }))]);
    if ('v' in outcome) {
      this.release(slot);
      return outcome.v;
    }
    this.replace(slot, outcome.reason);
    throw new WorkerDied(outcome.reason);
  }

  /**
   * Scan results of `files` (extra job fields: signals, onlyRules). When a worker dies on the
   * batch, its files are run again one by one; a file whose own run kills a worker is skipped
   * with the reason.
   */
  async scan(files: string[], extra: object = {}): Promise<ScannedFile[]> {
    try {
      return (await this.run<{ results: ScannedFile[] }>({ ...extra, files })).results;
    } catch (err) {
      if (!(err instanceof WorkerDied)) throw err;
      if (files.length === 1) return [{ file: files[0], ...emptyEntry(), skipped: err.message }];
    }
    const parts = await Promise.all(files.map((f) => this.scan([f], extra)));
    return parts.flat();
  }

  async terminate(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
