/**
 * Fuzz campaign runner (issue 18): generated inputs through the engine and every fix on the main
 * thread, through the CLI's scan worker (compared with the main thread), and through the language
 * server. Deterministic from the seed. Not a test: `test/fuzz/campaign.test.ts` runs it small.
 *
 *   npm run fuzz:campaign -- --inputs 100000 --seed 1 [--out .fuzz/seed-1] [--worker-share 0.25]
 *     [--server-sessions 3000] [--hang-ms 2000] [--max-depth 6000] [--only 17,42]
 *
 * Writes <out>/summary.json (inputs per channel, failures by kind and family, max / p99 / p50 time
 * per file on each thread) and <out>/failures/<index>-<channel>-<kind>/ (the input as files and
 * failure.json with the command that replays it). Exit code 1 when anything failed.
 */
import * as path from 'node:path';
import { DEFAULT_CAMPAIGN, runCampaign, type CampaignOptions } from './fuzz/campaign';
import { DEFAULT_GENERATE } from './fuzz/inputs';

function parseArgs(argv: string[]): CampaignOptions {
  const opts: CampaignOptions = { ...DEFAULT_CAMPAIGN, generate: { ...DEFAULT_GENERATE }, out: '', log: (line) => console.error(line) };
  let sessionsGiven = false;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
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
      default: throw new Error(`unknown option ${flag}`);
    }
  }
  if (!sessionsGiven) opts.serverSessions = Math.min(DEFAULT_CAMPAIGN.serverSessions, Math.ceil(opts.inputs * 0.03));
  if (!opts.out) opts.out = path.join(process.cwd(), '.fuzz', `seed-${opts.seed}`);
  return opts;
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  console.error(`fuzz campaign: ${opts.only ? `inputs ${opts.only.join(',')}` : `${opts.inputs} inputs`}, seed ${opts.seed}, ${Math.round(opts.workerShare * 100)}% on the scan worker, ${opts.only ? opts.only.length : opts.serverSessions} server sessions → ${opts.out}`);
  const s = await runCampaign(opts);
  const m = s.channels;
  console.log(JSON.stringify({ seed: s.seed, inputs: s.inputs, elapsedSeconds: s.elapsedSeconds, main: { analyze: m.main.analyze, fixAll: m.main.fixAll, scanFile: m.main.scanFile }, worker: { inputs: m.worker.inputs, scanFile: m.worker.scanFile }, server: { sessions: m.server.sessions, request: m.server.request }, failures: s.failures, byFamily: s.byFamily }, null, 2));
  console.error(`summary: ${path.join(opts.out, 'summary.json')}`);
  process.exitCode = s.failures.total > 0 ? 1 : 0;
}

main().catch((err) => {
  console.error(err instanceof Error ? err.stack : String(err));
  process.exitCode = 2;
});
