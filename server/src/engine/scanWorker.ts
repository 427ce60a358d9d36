/**
 * Worker thread for large scans: receives a batch of file paths, answers with their scan results
 * (plain data). The CLI splits big inputs over both cores with it; the language server can use it
 * for its background workspace scan so the open file's diagnostics never wait.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Scanner, emptyEntry, type ScanOptions, type ScannedFile } from './scan';
import { discoverFiles } from './files';
import { Sessions, buildSessions } from '../workspace/session';

interface Job {
  id: number;
  files?: string[];
  /** Discover the analysable files under these folders instead (the server's workspace scan). */
  discover?: string[];
  maxFiles?: number;
  signals?: { processEvents: string[]; healthRoutes: number };
  onlyRules?: string[];
  /** Build the Sessions (project model) of these roots from these files; answered with their snapshots. */
  sessions?: { roots: string[]; files: string[] };
}

const scanner = new Scanner((workerData ?? {}) as ScanOptions);
/** Tests only: this file exhausts the worker's heap, the way a pathological file would (scanPool.ts). Workspace content cannot set it. */
const crashOn = process.env.FAILPATH_TEST_CRASH_ON;
parentPort?.on('message', (job: Job) => {
  if (job.sessions) {
    const snapshots = buildSessions(job.sessions.roots, job.sessions.files, scanner.sessionOptions()).snapshots();
    // keep the plain data only: the resolver's caches (TypeScript's resolution cache, the file
    // system memo) are not needed for the scan and do not fit next to it under the worker's heap cap
    scanner.useSessions(Sessions.fromSnapshots(snapshots, scanner.sessionOptions()));
    parentPort!.postMessage({ id: job.id, sessions: snapshots });
    return;
  }
  if (job.discover) {
    // .failpath.json `ignore` globs are applied per file by scanFile
    const found = discoverFiles(job.discover, { maxFiles: job.maxFiles });
    parentPort!.postMessage({ id: job.id, files: found.files, problems: found.problems });
    return;
  }
  const results: ScannedFile[] = [];
  for (const file of job.files ?? []) {
    if (crashOn && file === crashOn) exhaustHeap();
    try {
      const r = scanner.scanFile(file, job.signals, job.onlyRules);
      if (r) results.push(r);
    } catch (err) {
      results.push({ file, ...emptyEntry(), error: (err as Error).message });
    }
  }
  parentPort!.postMessage({ id: job.id, results });
});

function exhaustHeap(): never {
  const hog: number[][] = [];
  for (;;) hog.push(new Array(1 << 20).fill(hog.length));
}
