/**
 * Fuzz campaign runner (issue 18): generated inputs through the engine and every fix on the main
 * thread, through the CLI's scan worker (compared with the main thread), and through the language
 * server. Deterministic from the seed. Not a test: `test/integration/campaign.test.ts` runs it small.
 *
 *   npm run fuzz:campaign -- --inputs 100000 --seed 1 [--out .fuzz/seed-1] [--worker-share 0.25]
 *     [--server-sessions 3000] [--hang-ms 2000] [--max-depth 6000] [--only 17,42]
 *     [--parallel 2 | --shard 1/2]
 *   npm run fuzz:campaign -- --merge <shard out> <shard out> … --out <dir>
 *
 * --shard i/n runs the indexes i with i % n === i - 1 (and the server sessions among them), so n
 * shards of one seed run the same inputs as one run, disjoint. --parallel n starts the n shards as
 * child processes (out/shard-i) and merges them into out/summary.json; --merge does that for
 * shards run by hand (on other machines, say).
 *
 * Writes <out>/summary.json (inputs per channel, failures by kind and family, max / p99 / p50 time
 * per file on each thread) and <out>/failures/<index>-<channel>-<kind>/ (the input as files and
 * failure.json with the command that replays it). Exit code 1 when anything failed.
 */
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { DEFAULT_CAMPAIGN, runCampaign, type CampaignOptions, type Summary } from './fuzz/campaign';
import { DEFAULT_GENERATE } from './fuzz/inputs';
import { mergeShards } from './fuzz/merge';

interface Args { opts: CampaignOptions; parallel: number; merge?: string[]; outGiven: boolean }

function parseArgs(argv: string[]): Args {
  const opts: CampaignOptions = { ...DEFAULT_CAMPAIGN, generate: { ...DEFAULT_GENERATE }, out: '', log: (line) => console.error(line) };
  let sessionsGiven = false;
  let parallel = 1;
  let merge: string[] | undefined;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === '--merge') {
      merge = [];
      while (i + 1 < argv.length && !argv[i + 1].startsWith('--')) merge.push(argv[++i]);
      continue;
    }
    const value = argv[++i];
    const num = () => {
      const n = Number(value);
      if (value === undefined || !Number.isFinite(n) || n < 0) throw new Error(`${flag} needs a number, got ${value ?? 'nothing'}`);
      return n;
    };
    switch (flag) {
      case '--inputs': opts.inputs = Math.floor(num()); break;
      case '--seed': opts.seed = Math.floor(num()); break;
      case '--out': opts.out = value; break;
      case '--worker-share': opts.workerShare = num(); break;
      case '--server-sessions': opts.serverSessions = Math.floor(num()); sessionsGiven = true; break;
      case '--hang-ms': opts.hangMs = num(); break;
      case '--stuck-ms': opts.stuckMs = num(); break;
      case '--watchdog-ms': opts.watchdogMs = num(); break;
      case '--max-depth': opts.generate.maxNestingDepth = Math.max(1, Math.floor(num())); break;
      case '--max-long': opts.generate.maxLongChars = Math.max(1000, Math.floor(num())); break;
      case '--max-glob-segments': opts.generate.maxGlobSegments = Math.max(1, Math.floor(num())); break;
      case '--max-lock-line': opts.generate.maxLockLine = Math.max(100, Math.floor(num())); break;
      case '--only': opts.only = (value ?? '').split(',').map(Number).filter((n) => Number.isInteger(n) && n >= 0); break;
      case '--parallel': parallel = Math.max(1, Math.floor(num())); break;
      case '--shard': {
        const m = /^(\d+)\/(\d+)$/.exec(value ?? '');
        const index = Number(m?.[1]);
        const count = Number(m?.[2]);
        if (!m || count < 1 || index < 1 || index > count) throw new Error(`--shard needs i/n with 1 <= i <= n, got ${value ?? 'nothing'}`);
        opts.shard = { index, count };
        break;
      }
      default: throw new Error(`unknown option ${flag}`);
    }
  }
  if (parallel > 1 && (opts.shard || opts.only)) throw new Error('--parallel runs every shard itself: not with --shard or --only');
  if (!sessionsGiven) opts.serverSessions = Math.min(DEFAULT_CAMPAIGN.serverSessions, Math.ceil(opts.inputs * 0.03));
  const outGiven = opts.out !== '';
  if (!opts.out) opts.out = path.join(process.cwd(), '.fuzz', `seed-${opts.seed}${opts.shard ? `-shard-${opts.shard.index}-of-${opts.shard.count}` : ''}`);
  return { opts, parallel, merge, outGiven };
}

function report(s: Summary, out: string): void {
  const m = s.channels;
  console.log(JSON.stringify({ seed: s.seed, inputs: s.inputs, elapsedSeconds: s.elapsedSeconds, verdict: s.verdict, main: { analyze: m.main.analyze, fixAll: m.main.fixAll, scanFile: m.main.scanFile }, worker: { inputs: m.worker.inputs, scanFile: m.worker.scanFile }, server: { sessions: m.server.sessions, request: m.server.request }, failures: s.failures, byFamily: s.byFamily }, null, 2));
  console.error(`summary: ${path.join(out, 'summary.json')}`);
  process.exitCode = s.failures.total > 0 ? 1 : 0;
}

/** The n shards as child processes of this script (the same arguments, --shard i/n, out/shard-i), then merged. */
async function runParallel(argv: string[], opts: CampaignOptions, n: number): Promise<Summary> {
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--parallel' || argv[i] === '--out') i++;
    else rest.push(argv[i]);
  }
  const dirs = Array.from({ length: n }, (_, i) => path.join(opts.out, `shard-${i + 1}`));
  const codes = await Promise.all(dirs.map((dir, i) => new Promise<number>((resolve) => {
    const child = spawn(process.execPath, [...process.execArgv, __filename, ...rest, '--shard', `${i + 1}/${n}`, '--out', dir], { stdio: ['ignore', 'ignore', 'pipe'] });
    let buf = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d: string) => {
      buf += d;
      const lines = buf.split('\n');
      buf = lines.pop() ?? '';
      for (const line of lines) console.error(`[${i + 1}/${n}] ${line}`);
    });
    child.on('close', (code, signal) => {
      if (buf) console.error(`[${i + 1}/${n}] ${buf}`);
      if (signal) console.error(`[${i + 1}/${n}] ended by ${signal}`);
      resolve(code ?? 2);
    });
  })));
  // 0: no failure, 1: failures (summary written); anything else: the shard did not finish
  const broken = codes.map((c, i) => [c, i + 1]).filter(([c]) => c !== 0 && c !== 1);
  if (broken.length) throw new Error(`shards ${broken.map(([c, i]) => `${i}/${n} (exit ${c})`).join(', ')} did not finish; see ${opts.out}/shard-*/stuck.json`);
  return mergeShards(dirs, opts.out);
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const { opts, parallel, merge, outGiven } = parseArgs(argv);
  if (merge) {
    if (!outGiven) throw new Error('--merge needs --out <dir> for the merged summary');
    report(mergeShards(merge, opts.out), opts.out);
    return;
  }
  console.error(`fuzz campaign: ${opts.only ? `inputs ${opts.only.join(',')}` : `${opts.inputs} inputs`}${opts.shard ? ` (shard ${opts.shard.index}/${opts.shard.count})` : ''}${parallel > 1 ? ` in ${parallel} shards` : ''}, seed ${opts.seed}, ${Math.round(opts.workerShare * 100)}% on the scan worker, ${opts.only ? opts.only.length : opts.serverSessions} server sessions → ${opts.out}`);
  const s = parallel > 1 ? await runParallel(argv, opts, parallel) : await runCampaign(opts);
  report(s, opts.out);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.stack : String(err));
  process.exitCode = 2;
});
