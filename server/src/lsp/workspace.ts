/**
 * The server's view of the whole workspace: one ProjectIndex per workspace folder, filled by a
 * background scan on a worker thread (discovery and analysis both off the main thread, in
 * batches, so the open file's diagnostics never wait for it) and kept current incrementally:
 * an open document's entry comes from the editor's own analysis of its text, a file changed or
 * deleted on disk re-indexes that file only, a closed document falls back to its disk version.
 *
 * Knows nothing of LSP beyond paths: server.ts turns what it answers into LSP messages
 * (lsp/readiness.ts for the sidebar's data).
 */
import * as path from 'node:path';
import { ProjectIndex, type IndexedFile, type RouteRef } from '../engine/readiness/projectIndex';
import { configuredFeatures, type FeatureConfig } from '../engine/readiness/features';
import { Scanner, applyProjectSignals, projectSignals, type ScannedFile } from '../engine/scan';
import { ScanPool } from '../engine/scanPool';
import { MAX_SOURCE_BYTES, readWorkspaceText } from '../engine/readSource';
import { Sessions, buildSessions, type Session, type SessionSnapshot } from '../workspace/session';

export interface WorkspaceHost {
  /** dist/scan-worker.js (absent in unit tests run from sources: the scan then runs in-process). */
  workerScript?: string;
  /** Editor settings layered over .failpath.json for the scan (the folder's settings). */
  settingsFor(root: string): Promise<unknown>;
  log: { info(message: string): void; warn(message: string): void; error(message: string): void };
  /** Scan progress: begin → report* → end. */
  progress?(event: { kind: 'begin' | 'report' | 'end'; scanned: number; total: number }): void;
  /** The indexed data changed (debounce on the caller's side). */
  changed(reason: 'scan' | 'file' | 'editor'): void;
  /** Files per worker batch (default 50). */
  batchSize?: number;
  /** Cap on discovered files per folder (default 20,000; the rest is left out with a log line). */
  maxFiles?: number;
}

/** A changed file's text for the Session's graph (undefined: gone or unreadable). */
function readForSession(file: string, scanner: Scanner): string | undefined {
  return readWorkspaceText(file, { maxBytes: MAX_SOURCE_BYTES, roots: scanner.roots });
}

export type ScanState = 'idle' | 'scanning' | 'ready';

const SCAN_WORKER_HEAP_MB = Number(process.env.FAILPATH_SCAN_HEAP_MB) || 160;

interface Discovered { id: number; files: string[]; problems: { path: string; message: string }[] }
interface Batch { id: number; results: ScannedFile[] }
interface Built { id: number; sessions: SessionSnapshot[] }

export class WorkspaceIndex {
  private readonly indexes = new Map<string, ProjectIndex>();
  /** Files whose entry comes from an open editor (disk events do not override it). */
  private readonly openFiles = new Set<string>();
  private scanner = new Scanner();
  private pool?: ScanPool;
  private run = 0;
  private done: Promise<void> = Promise.resolve();
  state: ScanState = 'idle';
  scanned = 0;
  total = 0;
  /** Bumped whenever the index of some file changes in a way that can change other files' route impact. */
  epoch = 0;
  /** Bumped on every change of any entry (caches of derived data key on it). */
  version = 0;

  constructor(private readonly host: WorkspaceHost) {}

  get roots(): string[] {
    return [...this.indexes.keys()];
  }

  /**
   * The project model of a file's folder (workspace/session.ts): built by the scan (on the worker,
   * then handed over as plain data), kept current by editor and disk changes. Undefined before the
   * scan has built it.
   */
  sessionFor(file: string): Session | undefined {
    return this.scanner.sessions.forFile(file);
  }

  /** Resolves when the current scan has finished (immediately when none runs). */
  whenScanned(): Promise<void> {
    return this.done;
  }

  /** (Re)starts the background scan of these folders; a running scan is abandoned. */
  start(roots: readonly string[]): void {
    const run = ++this.run;
    this.stopWorker();
    this.indexes.clear();
    this.version++;
    for (const r of [...new Set(roots.map((x) => path.resolve(x)))]) this.indexes.set(r, new ProjectIndex(r));
    // containment: nothing is read through a link leading out of the workspace folders
    this.scanner = new Scanner({ roots: this.roots });
    this.scanned = 0;
    this.total = 0;
    if (this.indexes.size === 0) {
      this.state = 'idle';
      this.done = Promise.resolve();
      return;
    }
    this.state = 'scanning';
    this.done = this.scan(run).catch((err: unknown) => {
      if (run !== this.run) return;
      this.host.log.error(`Workspace scan failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
    }).finally(() => {
      if (run !== this.run) return;
      this.state = 'ready';
      this.refreshSignals();
      this.stopWorker();
      this.host.progress?.({ kind: 'end', scanned: this.scanned, total: this.total });
      this.epoch++;
      this.version++;
      this.host.changed('scan');
    });
  }

  dispose(): void {
    this.run++;
    this.stopWorker();
  }

  /** The folder index containing `file` (the deepest folder when they nest). */
  indexFor(file: string): ProjectIndex | undefined {
    let best: ProjectIndex | undefined;
    for (const [root, index] of this.indexes) {
      const rel = path.relative(root, file);
      if (rel && !rel.startsWith('..') && !path.isAbsolute(rel) && (!best || root.length > best.root.length)) best = index;
    }
    return best;
  }

  all(): ProjectIndex[] {
    return [...this.indexes.values()];
  }

  /** Routes whose handlers reach `offset` in `file` (the entry must be of the same text). */
  routesReaching(file: string, offset: number): RouteRef[] {
    return this.indexFor(file)?.routesReaching(file, offset) ?? [];
  }

  /** An open document was analysed: its entry is the editor's text from now on. */
  updateFromEditor(entry: IndexedFile): void {
    const index = this.indexFor(entry.file);
    if (!index) return;
    this.openFiles.add(entry.file);
    if (index.set(entry)) this.epoch++;
    this.version++;
    this.refreshSignals();
    this.host.changed('editor');
  }

  /** The project-wide signals (process-health) from the index as it is now, into the Sessions: the editor then judges as the scan did. */
  private refreshSignals(): void {
    if (this.state !== 'ready') return;
    const signals = projectSignals(this.all().flatMap((i) => [...i.all()]));
    for (const s of this.scanner.sessions.all()) s.signals = signals;
  }

  /** The document was closed: back to the file on disk. */
  documentClosed(file: string): void {
    if (!this.openFiles.delete(file)) return;
    this.fileChanged(file);
  }

  /** A file changed or appeared on disk (not open in the editor). */
  fileChanged(file: string): void {
    const index = this.indexFor(file);
    if (!index || this.openFiles.has(file)) return;
    let entry: ScannedFile | undefined;
    try {
      this.sessionFor(file)?.fileChanged(file, readForSession(file, this.scanner));
      entry = this.scanner.scanFile(file);
    } catch (err) {
      this.host.log.warn(`Indexing ${file} failed: ${(err as Error).message}`);
      return;
    }
    if (!entry || entry.error || entry.skipped) index.delete(file);
    else index.set(entry);
    this.epoch++;
    this.version++;
    this.refreshSignals();
    this.host.changed('file');
  }

  fileDeleted(file: string): void {
    const index = this.indexFor(file);
    if (!index) return;
    this.openFiles.delete(file);
    this.sessionFor(file)?.fileChanged(file, undefined);
    index.delete(file);
    this.epoch++;
    this.version++;
    this.refreshSignals();
    this.host.changed('file');
  }

  /** Features from the .failpath.json files of the folder's indexed files (undefined: infer). */
  configuredFeatures(index: ProjectIndex): Record<string, FeatureConfig> | undefined {
    return configuredFeatures([...index.all()].map((e) => e.file), (p) => this.scanner.configs.load(p));
  }

  /** Analyses `text` as `file` the way the scan did (for the branch report's merge-base versions). */
  analyzeAs(file: string, text: string): IndexedFile | undefined {
    return this.scanner.analyzeText(file, text);
  }

  private stopWorker(): void {
    const p = this.pool;
    this.pool = undefined;
    if (p) void p.terminate();
  }

  private async scan(run: number): Promise<void> {
    const roots = this.roots;
    const settings = await this.host.settingsFor(roots[0]);
    if (run !== this.run) return;
    this.scanner = new Scanner({ settings, roots });
    const maxFiles = this.host.maxFiles ?? 20_000;
    const script = this.host.workerScript;
    // in-process: the same work on the main thread, yielding between batches (only for tests run
    // from sources, without the bundled worker: a worker that dies is replaced, never folded in here)
    const { discoverFiles } = await import('../engine/files');
    let call: <T>(job: object) => Promise<T> = async <T>(job: object): Promise<T> => {
      await new Promise((r) => setImmediate(r));
      const j = job as { discover?: string[]; files?: string[]; maxFiles?: number; sessions?: { roots: string[]; files: string[] } };
      if (j.sessions) {
        const built = buildSessions(j.sessions.roots, j.sessions.files, this.scanner.sessionOptions());
        return { id: 0, sessions: built.snapshots() } as T;
      }
      if (j.discover) return { id: 0, ...discoverFiles(j.discover, { maxFiles: j.maxFiles }) } as T;
      return { id: 0, results: (j.files ?? []).map((f) => this.scanner.scanFile(f)).filter((r): r is ScannedFile => !!r) } as T;
    };
    if (script) {
      // a capped old generation: the scan's garbage (syntax trees) is collected early instead of
      // growing the process (peak RSS on 5,000 files: 484 MB uncapped, 365 MB capped, same time).
      // A file that needs more kills the worker: it is replaced and the file skipped (scanPool.ts).
      const pool = new ScanPool({
        script, workerData: { settings, roots }, size: 1, heapMb: SCAN_WORKER_HEAP_MB, unref: true,
        onDeath: (reason, replaced) => {
          if (run === this.run) this.host.log.warn(`The workspace scan worker stopped (${reason}); ${replaced ? 'started a new one' : 'no more restarts: the files left are not indexed'}.`);
        },
      });
      this.pool = pool;
      call = async <T>(job: object): Promise<T> => {
        const j = job as { files?: string[] };
        if (j.files) return { id: 0, results: await pool.scan(j.files) } as T;
        // discovery: once more on the new worker if the first one died
        try {
          return await pool.run<T>(job);
        } catch (err) {
          if (run !== this.run) throw err;
          return await pool.run<T>(job);
        }
      };
    }

    let discovered: Discovered;
    try {
      discovered = await call<Discovered>({ discover: roots, maxFiles: maxFiles * roots.length });
    } catch (err) {
      if (run !== this.run || !script) throw err;
      // the worker cannot even list the files: nothing is indexed (the main thread stays free)
      this.host.log.error(`The workspace scan could not run: its worker stopped twice while listing the files (${(err as Error).message}); nothing is indexed.`);
      return;
    }
    if (run !== this.run) return;
    for (const p of discovered.problems.slice(0, 20)) this.host.log.info(`Workspace scan skipped ${p.path}: ${p.message}`);
    if (discovered.problems.length > 20) this.host.log.info(`Workspace scan skipped ${discovered.problems.length - 20} more unreadable paths.`);
    if (discovered.files.length >= maxFiles * roots.length) this.host.log.warn(`Workspace scan stopped at ${discovered.files.length} files (failpath indexes at most ${maxFiles} per folder).`);
    // the project model first (the worker keeps its own and answers with a copy for this thread)
    let built: Built | undefined;
    try {
      built = await call<Built>({ sessions: { roots, files: discovered.files } });
    } catch (err) {
      if (run !== this.run || !script) throw err;
      this.host.log.warn(`The workspace scan could not build the project model: its worker stopped twice (${(err as Error).message}); files are judged alone.`);
    }
    if (run !== this.run) return;
    if (built) {
      this.scanner.useSessions(Sessions.fromSnapshots(built.sessions, this.scanner.sessionOptions()));
      // a worker started after a death begins with the same model (the CLI's workers get it the same way)
      this.pool?.setWorkerData({ settings, roots, sessions: built.sessions });
    }
    const files = discovered.files.filter((f) => !this.openFiles.has(f));
    this.total = files.length;
    this.host.progress?.({ kind: 'begin', scanned: 0, total: this.total });
    const all: ScannedFile[] = [];
    const size = this.host.batchSize ?? 50;
    for (let i = 0; i < files.length; i += size) {
      const batch = await call<Batch>({ files: files.slice(i, i + size) });
      if (run !== this.run) return;
      for (const entry of batch.results) {
        if (entry.error || entry.skipped) {
          this.host.log.info(`Workspace scan skipped ${entry.file}: ${entry.error ?? entry.skipped}`);
          continue;
        }
        all.push(entry);
        if (this.openFiles.has(entry.file)) continue; // opened meanwhile: the editor's entry wins
        this.indexFor(entry.file)?.set(entry);
      }
      this.scanned = Math.min(this.total, i + size);
      this.version++;
      this.host.progress?.({ kind: 'report', scanned: this.scanned, total: this.total });
      this.host.changed('scan');
    }
    // process-health with the project-wide signals (handlers and health routes registered anywhere)
    applyProjectSignals(all, this.scanner);
    for (const entry of all) if (!this.openFiles.has(entry.file)) this.indexFor(entry.file)?.set(entry);
  }
}
