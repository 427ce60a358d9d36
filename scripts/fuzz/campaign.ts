/**
 * The fuzz campaign: `inputs` generated inputs (inputs.ts), each through the main-thread channel
 * (mainThread.ts); a share of them also through the CLI's scan worker and the main-thread scanner
 * side by side (workers.ts); then `serverSessions` of them through the language server (server.ts).
 * Writes summary.json and every failing input (with its context files and what failed) to `out`.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { Worker } from 'node:worker_threads';
import { execFileSync } from 'node:child_process';
import { projectFactsFromPackageJson } from '../../server/src/engine/project';
import type { ScanOptions, ScannedFile } from '../../server/src/engine/scan';
import { bundledEngine } from './engine';
import { loadSeeds, REPO } from '../../test/fuzz/generators';
import { ensureBuilt } from '../../test/lsp/helpers';
import { DEFAULT_GENERATE, InputGenerator, Rand, inputSeed, type FuzzInput, type GenerateOptions } from './inputs';
import { checkOnMain, confirmedOver, overBudget, twice, timed, type Problem } from './mainThread';
import { budgetMs, TimeList, type Times } from './timing';
import { ScanWorker } from './workers';
import { ServerChannel, writeWorkspace } from './server';

export interface CampaignOptions {
  seed: number;
  inputs: number;
  /** Share of the inputs that also go through the scan worker (0–1). */
  workerShare: number;
  serverSessions: number;
  out: string;
  /** A file slower than this on one thread is a hang. */
  hangMs: number;
  /** A worker job or server request unanswered after this is ended and recorded. */
  stuckMs: number;
  /** The whole main thread stuck on one input this long: recorded, then the process is killed. 0: no watchdog. */
  watchdogMs: number;
  restartServerEvery: number;
  generate: GenerateOptions;
  /** Only these input indexes (reproduction). */
  only?: number[];
  /** Shard `index` of `count` (1-based): the indexes i with i % count === index - 1, and the server sessions among them. */
  shard?: Shard;
  log?: (line: string) => void;
}

export const DEFAULT_CAMPAIGN: Omit<CampaignOptions, 'out'> = {
  seed: 1, inputs: 100_000, workerShare: 0.25, serverSessions: 3000, hangMs: 2000, stuckMs: 60_000, watchdogMs: 300_000,
  restartServerEvery: 250, generate: DEFAULT_GENERATE,
};

/** The dependencies of every generated project (so logger, HTTP, database and flag fixes apply). */
export const PACKAGE_JSON = JSON.stringify({ name: 'fuzz', dependencies: { pino: '^9.0.0', axios: '^1.7.0', express: '^4.21.0', pg: '^8.0.0', ioredis: '^5.0.0', stripe: '^16.0.0', '@openfeature/server-sdk': '^1.0.0', '@nestjs/common': '^10.0.0' } });

export interface Failure {
  kind: string;
  channel: 'main' | 'worker' | 'server';
  index: number;
  family: string;
  detail: string;
  fileName: string;
  message: string;
  ms?: Record<string, number>;
  /** Folder holding the input, relative to `out`. */
  saved?: string;
}

export interface Shard { index: number; count: number }

/** The three figures (issue 18, "Done when"), and the rest of the failures. */
export interface Verdict {
  /** Exceptions, rule errors, worker or server exits, unanswered requests, error answers. */
  crashes: number;
  /** Files over the budget (2 s of thread CPU per file, per MB above 1 MB), by thread. */
  hangs: { mainThread: number; worker: number; server: number };
  /** Fixes (one by one, and fix-all) that gave parseable code syntax errors. */
  fixesBreakingParseable: number;
  /** Other checks: edits out of range or overlapping, fix-all not a fixed point, worker ≠ main thread, server diagnostics ≠ analyze(). */
  other: Record<string, number>;
  pass: boolean;
}

export interface Summary {
  seed: number;
  /** Inputs run (in this shard, when sharded). */
  inputs: number;
  /** The run's --inputs (all shards together). */
  totalInputs: number;
  shard?: Shard;
  /** Shards merged into this summary (--merge). */
  shards?: Shard[];
  verdict: Verdict;
  command: string;
  commit: string;
  node: string;
  cpus: number;
  startedAt: string;
  elapsedSeconds: number;
  hangMs: number;
  families: Record<string, number>;
  channels: {
    main: { inputs: number; analysed: number; skipped: Record<string, number>; findings: number; fixesOffered: number; fixesApplied: number; fixAllChanged: number; fixWorsenedBrokenInput: number; overBudgetOnce: number; analyze: Times; fixAll: Times; scanFile: Times };
    worker: { inputs: number; scanFile: Times; restarts: number; overBudgetOnce: number };
    server: { sessions: number; notifications: number; changes: number; codeActions: number; cancelled: number; fixAll: number; fixAllApplied: number; restarts: number; request: Times; diagnosticsAfterDebounce: Times };
  };
  failures: Record<string, number> & { total: number };
  /** Failures by kind and family (e.g. "hang/nesting": 12). */
  byFamily: Record<string, number>;
  list: Failure[];
}

/** A worker of its own that watches the main thread: stuck on one input for `limitMs`, it records the input and kills the process. */
function startWatchdog(limitMs: number, file: string): { mark(index: number, channel: number): void; stop(): void } {
  const shared = new Float64Array(new SharedArrayBuffer(24));
  shared[0] = -1;
  const w = new Worker(`
    const { workerData } = require('node:worker_threads');
    const fs = require('node:fs');
    const s = workerData.shared;
    setInterval(() => {
      if (s[0] < 0 || Date.now() - s[1] < workerData.limitMs) return;
      fs.writeFileSync(workerData.file, JSON.stringify({ index: s[0], channel: ['main', 'worker', 'server'][s[2]], stuckMs: Date.now() - s[1] }) + '\\n');
      process.kill(process.pid, 'SIGKILL');
    }, 1000);`, { eval: true, workerData: { shared, limitMs, file } });
  w.unref();
  return {
    mark(index, channel) { shared[1] = Date.now(); shared[2] = channel; shared[0] = index; },
    stop() { shared[0] = -1; void w.terminate(); },
  };
}

function commitOf(): string {
  try {
    return execFileSync('git', ['-c', 'core.fsmonitor=false', 'rev-parse', '--short', 'HEAD'], { cwd: REPO, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

export async function runCampaign(opts: CampaignOptions): Promise<Summary> {
  const log = opts.log ?? (() => undefined);
  const startedAt = new Date();
  const t0 = performance.now();
  ensureBuilt();
  fs.mkdirSync(opts.out, { recursive: true });
  const failuresDir = path.join(opts.out, 'failures');
  fs.rmSync(failuresDir, { recursive: true, force: true });
  const work = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'failpath-campaign-')));
  const seeds = loadSeeds({ corpusFiles: 60, snippets: true, fixtures: true });
  const gen = new InputGenerator(seeds, opts.generate);
  const project = projectFactsFromPackageJson(JSON.parse(PACKAGE_JSON));
  const inShard = (i: number) => !opts.shard || i % opts.shard.count === opts.shard.index - 1;
  const indexes = opts.only ?? Array.from({ length: opts.inputs }, (_, i) => i).filter(inShard);
  log(`${seeds.length} seeds ready after ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const list: Failure[] = [];
  const savedPerKind = new Map<string, number>();
  const fail = (input: FuzzInput, channel: Failure['channel'], p: Problem) => {
    const f: Failure = { kind: p.kind, channel, index: input.index, family: input.family, detail: input.detail, fileName: input.fileName, message: p.message, ...(p.ms ? { ms: p.ms } : {}) };
    // every failing input is kept (up to 2,000 per kind and family, to bound the folder)
    const key = `${p.kind}/${input.family}`;
    const n = savedPerKind.get(key) ?? 0;
    savedPerKind.set(key, n + 1);
    if (n < 2000) {
      const dir = path.join(failuresDir, `${input.index}-${channel}-${p.kind}`);
      writeInput(dir, input);
      fs.writeFileSync(path.join(dir, 'failure.json'), JSON.stringify({ ...f, seed: opts.seed, reproduce: `npm run fuzz:campaign -- --seed ${opts.seed} --only ${input.index}` }, null, 2) + '\n');
      f.saved = path.relative(opts.out, dir);
    }
    list.push(f);
    log(`FAIL ${channel} ${p.kind} #${input.index} (${input.family}: ${input.detail.slice(0, 80)}): ${p.message.slice(0, 200)}`);
  };

  const watchdog = opts.watchdogMs > 0 ? startWatchdog(opts.watchdogMs, path.join(opts.out, 'stuck.json')) : undefined;
  const scanOptions: ScanOptions = { roots: [work] };
  const mainScanner = new (bundledEngine().Scanner)(scanOptions);
  const worker = new ScanWorker(scanOptions, opts.stuckMs);
  const families: Record<string, number> = {};
  const skipped: Record<string, number> = {};
  const mainTimes = { analyze: new TimeList(), fixAll: new TimeList(), scanFile: new TimeList() };
  const workerTimes = new TimeList();
  let analysed = 0, findings = 0, fixesOffered = 0, fixesApplied = 0, fixAllChanged = 0, worsened = 0, workerInputs = 0;
  const mainOnce = { overBudgetOnce: 0 }, workerOnce = { overBudgetOnce: 0 };
  const onWorker = (i: number) => opts.only !== undefined || inputSeed(opts.seed ^ 0x5bd1e995, i) / 2 ** 32 < opts.workerShare;

  let lastLog = performance.now();
  try {
    for (let n = 0; n < indexes.length; n++) {
      const input = gen.generate(opts.seed, indexes[n]);
      families[input.family] = (families[input.family] ?? 0) + 1;

      // the scan worker starts on the file while this thread does its own work
      let pendingWorker: ReturnType<ScanWorker['scan']> | undefined;
      let file: string | undefined;
      if (onWorker(input.index)) {
        // an input with files of its own gets a folder of its own; the others share one (its package.json is read once)
        const dir = input.context ? path.join(work, String(input.index)) : path.join(work, 'plain');
        writeInput(dir, input);
        file = path.join(dir, input.fileName);
        pendingWorker = worker.scan(file);
        workerInputs++;
      }

      watchdog?.mark(input.index, 0);
      const main = checkOnMain(input, project, opts.hangMs);
      if (main.analyze) mainTimes.analyze.add(main.analyze);
      if (main.fixAll) mainTimes.fixAll.add(main.fixAll);
      if (main.skipped) {
        const reason = main.skipped.replace(/\d+/g, 'N');
        skipped[reason] = (skipped[reason] ?? 0) + 1;
      } else analysed++;
      findings += main.findings;
      fixesApplied += main.fixesApplied;
      fixesOffered += main.fixesOffered;
      if (main.fixAllChanged) fixAllChanged++;
      worsened += main.fixWorsenedBroken;
      mainOnce.overBudgetOnce += main.overBudgetOnce;
      for (const p of main.problems) fail(input, 'main', p);

      if (pendingWorker && file) {
        const budget = budgetMs(opts.hangMs, input.text.length);
        let mainResult: ScannedFile | undefined;
        let mainT: { wallMs: number; cpuMs?: number } | undefined;
        try {
          const t = timed(() => mainScanner.scanFile(file));
          mainResult = t.value;
          mainT = t;
          mainTimes.scanFile.add(t);
          const over = confirmedOver(t, budget, () => timed(() => mainScanner.scanFile(file)), mainOnce);
          if (over) fail(input, 'main', { kind: 'hang', message: `scanFile took ${twice(over)} on the main thread`, ms: { wall: t.wallMs, cpu: t.cpuMs ?? -1 } });
        } catch (err) {
          fail(input, 'main', { kind: 'crash', message: `scanFile threw ${(err as Error).message}` });
        }
        watchdog?.mark(input.index, 1);
        const answer = await pendingWorker;
        if (answer.kind === 'result') {
          const t = { wallMs: answer.threadMs, cpuMs: answer.cpuMs ?? undefined };
          workerTimes.add(t);
          let over: { wallMs: number; cpuMs?: number }[] | undefined;
          if (overBudget(t, budget)) {
            // timed again on the worker (see confirmedOver)
            const again = await worker.scan(file);
            const t2 = again.kind === 'result' ? { wallMs: again.threadMs, cpuMs: again.cpuMs ?? undefined } : { wallMs: Infinity };
            if (overBudget(t2, budget)) over = [t, t2];
            else workerOnce.overBudgetOnce++;
          }
          if (over) {
            fail(input, 'worker', { kind: 'hang', message: `the scan worker took ${twice(over)}; the main thread ${mainT?.wallMs.toFixed(0)} ms (${mainT?.cpuMs ?? '?'} ms CPU)`, ms: { wall: t.wallMs, cpu: t.cpuMs ?? -1, mainWall: mainT?.wallMs ?? -1, mainCpu: mainT?.cpuMs ?? -1 } });
          }
          const w = answer.result;
          if (w?.error) fail(input, 'worker', { kind: 'crash', message: `the scan worker reported: ${w.error}` });
          if (mainResult && !isDeepStrictEqual(structuredClone(mainResult), w)) {
            fail(input, 'worker', { kind: 'mismatch', message: `worker and main thread differ: ${describeDifference(mainResult, w)}`, ms: { mainWall: mainT?.wallMs ?? -1, workerWall: t.wallMs } });
          }
        } else if (answer.kind === 'stuck') {
          fail(input, 'worker', { kind: 'hang', message: `the scan worker did not answer within ${answer.ms.toFixed(0)} ms and was ended`, ms: { wall: answer.ms, mainWall: mainT?.wallMs ?? -1 } });
        } else {
          fail(input, 'worker', { kind: 'crash', message: answer.message });
        }
        if (input.context) fs.rmSync(path.join(work, String(input.index)), { recursive: true, force: true });
      }

      if (performance.now() - lastLog > 30_000) {
        lastLog = performance.now();
        log(`${n + 1}/${indexes.length} inputs, ${workerInputs} on the worker, ${list.length} failures, ${((performance.now() - t0) / 1000).toFixed(0)} s`);
      }
    }
  } finally {
    await worker.close();
  }

  log(`${indexes.length} inputs done after ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  // the language server
  const serverRoot = path.join(work, 'server-workspace');
  writeWorkspace(serverRoot, PACKAGE_JSON);
  const server = new ServerChannel(serverRoot, { hangMs: opts.hangMs, stuckMs: opts.stuckMs, restartEvery: opts.restartServerEvery });
  // spread over all the inputs; a shard takes the sessions whose input is in it
  const sessionIndexes = opts.only ?? Array.from({ length: Math.min(opts.serverSessions, opts.inputs) }, (_, s) => Math.floor((s * opts.inputs) / Math.min(opts.serverSessions, opts.inputs))).filter(inShard);
  try {
    for (let s = 0; s < sessionIndexes.length; s++) {
      const input = gen.generate(opts.seed, sessionIndexes[s]);
      watchdog?.mark(input.index, 2);
      const problems = await server.session(input, new Rand(inputSeed(opts.seed ^ 0x27d4eb2f, input.index)), s);
      for (const p of problems) fail(input, 'server', p);
      if (performance.now() - lastLog > 30_000) {
        lastLog = performance.now();
        log(`${s + 1}/${sessionIndexes.length} server sessions, ${list.length} failures, ${((performance.now() - t0) / 1000).toFixed(0)} s`);
      }
    }
  } finally {
    await server.close();
    watchdog?.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }

  const st = server.stats;
  const times: RawTimes = {
    mainAnalyze: mainTimes.analyze, mainFixAll: mainTimes.fixAll, mainScanFile: mainTimes.scanFile, workerScanFile: workerTimes,
    serverRequest: st.request, serverDiagnostics: st.diagnostics,
  };
  const summary = summarize({
    seed: opts.seed,
    inputs: indexes.length,
    totalInputs: opts.only ? indexes.length : opts.inputs,
    ...(opts.shard ? { shard: opts.shard } : {}),
    command: commandOf(opts),
    commit: commitOf(),
    node: process.version,
    cpus: os.availableParallelism?.() ?? os.cpus().length,
    startedAt: startedAt.toISOString(),
    elapsedSeconds: Math.round((performance.now() - t0) / 100) / 10,
    hangMs: opts.hangMs,
    families,
    counts: {
      main: { inputs: indexes.length, analysed, skipped, findings, fixesOffered, fixesApplied, fixAllChanged, fixWorsenedBrokenInput: worsened, overBudgetOnce: mainOnce.overBudgetOnce },
      worker: { inputs: workerInputs, restarts: worker.restarts, overBudgetOnce: workerOnce.overBudgetOnce },
      server: { sessions: st.sessions, notifications: st.notifications, changes: st.changes, codeActions: st.codeActions, cancelled: st.cancelled, fixAll: st.fixAll, fixAllApplied: st.fixAllApplied, restarts: st.restarts },
    },
    list,
  }, times);
  fs.writeFileSync(path.join(opts.out, 'summary.json'), JSON.stringify(summary, null, 2) + '\n');
  // every per-file time, so shards' summaries can be merged with exact percentiles (--merge)
  fs.writeFileSync(path.join(opts.out, 'times.json'), JSON.stringify(Object.fromEntries(Object.entries(times).map(([k, t]) => [k, { wall: t.wall, cpu: t.cpu }]))) + '\n');
  return summary;
}

function commandOf(opts: CampaignOptions): string {
  const base = `npm run fuzz:campaign -- --inputs ${opts.inputs} --seed ${opts.seed}`;
  if (opts.only) return `${base} --only ${opts.only.join(',')}`;
  return opts.shard ? `${base} --shard ${opts.shard.index}/${opts.shard.count}` : base;
}

/** Per-file times of one run (or of merged shards), by thread and channel. */
export interface RawTimes {
  mainAnalyze: TimeList; mainFixAll: TimeList; mainScanFile: TimeList; workerScanFile: TimeList; serverRequest: TimeList; serverDiagnostics: TimeList;
}

type Counts = {
  main: Omit<Summary['channels']['main'], 'analyze' | 'fixAll' | 'scanFile'>;
  worker: Omit<Summary['channels']['worker'], 'scanFile'>;
  server: Omit<Summary['channels']['server'], 'request' | 'diagnosticsAfterDebounce'>;
};

export type SummaryParts = Omit<Summary, 'verdict' | 'channels' | 'failures' | 'byFamily'> & { counts: Counts };

export function verdictOf(list: readonly Failure[]): Verdict {
  const v: Verdict = { crashes: 0, hangs: { mainThread: 0, worker: 0, server: 0 }, fixesBreakingParseable: 0, other: {}, pass: false };
  for (const f of list) {
    if (f.kind === 'hang') v.hangs[f.channel === 'main' ? 'mainThread' : f.channel]++;
    else if (f.kind === 'fix-syntax') v.fixesBreakingParseable++;
    else if (['crash', 'server-exit', 'server-error', 'unanswered'].includes(f.kind)) v.crashes++;
    else v.other[f.kind] = (v.other[f.kind] ?? 0) + 1;
  }
  v.pass = list.length === 0;
  return v;
}

/** The summary from its counts, failures and per-file times (one run, or merged shards). */
export function summarize(parts: SummaryParts, times: RawTimes): Summary {
  const { counts: c, list, seed, inputs, totalInputs, families, ...rest } = parts;
  const counts: Record<string, number> = {};
  const byFamily: Record<string, number> = {};
  for (const f of list) {
    counts[f.kind] = (counts[f.kind] ?? 0) + 1;
    byFamily[`${f.kind}/${f.family}`] = (byFamily[`${f.kind}/${f.family}`] ?? 0) + 1;
  }
  return {
    // the verdict first: what a reader of summary.json looks for
    seed,
    inputs,
    totalInputs,
    verdict: verdictOf(list),
    ...rest,
    families: Object.fromEntries(Object.entries(families).sort(([a], [b]) => a.localeCompare(b))),
    channels: {
      main: { ...c.main, analyze: times.mainAnalyze.summary(), fixAll: times.mainFixAll.summary(), scanFile: times.mainScanFile.summary() },
      worker: { ...c.worker, scanFile: times.workerScanFile.summary() },
      server: { ...c.server, request: times.serverRequest.summary(), diagnosticsAfterDebounce: times.serverDiagnostics.summary() },
    },
    failures: { ...counts, total: list.length },
    byFamily,
    list,
  };
}

/** The input as files: package.json (its own or the campaign's), context files, the source. */
function writeInput(dir: string, input: FuzzInput): void {
  const file = path.join(dir, input.fileName);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const pkg = path.join(dir, 'package.json');
  const pkgText = input.context?.['package.json'] ?? PACKAGE_JSON;
  if (!fs.existsSync(pkg) || fs.readFileSync(pkg, 'utf8') !== pkgText) fs.writeFileSync(pkg, pkgText);
  for (const [name, text] of Object.entries(input.context ?? {})) fs.writeFileSync(path.join(dir, name), text);
  fs.writeFileSync(file, input.text);
}

function describeDifference(main: ScannedFile, worker: ScannedFile | undefined): string {
  if (!worker) return 'the worker returned nothing';
  const brief = (r: ScannedFile) => r.skipped ? `skipped (${r.skipped})` : r.error ? `error (${r.error})` : `${r.findings.length} findings [${[...new Set(r.findings.map((f) => f.ruleId))].join(', ')}]`;
  const a = brief(main);
  const b = brief(worker);
  return a === b ? `same outline (${a}), different details` : `main: ${a}; worker: ${b}`;
}
