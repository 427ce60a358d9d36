/**
 * Merging the outputs of a sharded campaign (`--shard i/n`, same seed and --inputs): counts and
 * failures added up, per-file times joined (times.json) so max / p99 / p50 are those of the whole
 * run. The shards must be of one run and cover 1..n exactly once; a missing shard is an error.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { summarize, type RawTimes, type Summary, type SummaryParts } from './campaign';
import { TimeList } from './timing';

function read<T>(file: string): T {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch (err) {
    throw new Error(`cannot read ${file}: ${(err as Error).message}`);
  }
}

function add(into: Record<string, number>, from: Record<string, number>): void {
  for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + v;
}

/** Numbers added field by field (nested records of numbers, e.g. skipped reasons). */
function addCounts<T extends object>(a: T, b: T): T {
  const out: Record<string, unknown> = { ...(a as Record<string, unknown>) };
  for (const [k, v] of Object.entries(b)) {
    const cur = out[k];
    if (typeof v === 'number') out[k] = (typeof cur === 'number' ? cur : 0) + v;
    else if (v && typeof v === 'object') {
      const rec = { ...((cur as Record<string, number>) ?? {}) };
      add(rec, v as Record<string, number>);
      out[k] = rec;
    }
  }
  return out as T;
}

function countsOf(s: Summary): SummaryParts['counts'] {
  const { analyze: _a, fixAll: _f, scanFile: _s, ...main } = s.channels.main;
  const { scanFile: _w, ...worker } = s.channels.worker;
  const { request: _r, diagnosticsAfterDebounce: _d, ...server } = s.channels.server;
  return { main, worker, server };
}

/** The summaries in `dirs` (each a shard's --out) merged into `out`/summary.json (failures stay in each shard's folder). */
export function mergeShards(dirs: string[], out: string): Summary {
  if (dirs.length === 0) throw new Error('--merge needs the shards\' output folders');
  const shards = dirs.map((dir) => ({ dir, s: read<Summary>(path.join(dir, 'summary.json')), t: read<Record<keyof RawTimes, { wall: number[]; cpu: number[] }>>(path.join(dir, 'times.json')) }));
  const first = shards[0].s;
  const n = first.shard?.count ?? 1;
  const seen = new Set<number>();
  for (const { dir, s } of shards) {
    if (!s.shard) throw new Error(`${dir} is not a shard (no "shard" in its summary.json)`);
    if (s.seed !== first.seed || s.totalInputs !== first.totalInputs || s.shard.count !== n) {
      throw new Error(`${dir} is of another run: seed ${s.seed}, ${s.totalInputs} inputs, ${s.shard.count} shards; ${shards[0].dir}: seed ${first.seed}, ${first.totalInputs} inputs, ${n} shards`);
    }
    if (seen.has(s.shard.index)) throw new Error(`shard ${s.shard.index}/${n} is given twice`);
    seen.add(s.shard.index);
  }
  const missing = Array.from({ length: n }, (_, i) => i + 1).filter((i) => !seen.has(i));
  if (missing.length) throw new Error(`shards missing: ${missing.map((i) => `${i}/${n}`).join(', ')}`);

  const times = Object.fromEntries((['mainAnalyze', 'mainFixAll', 'mainScanFile', 'workerScanFile', 'serverRequest', 'serverDiagnostics'] as const).map((k) => {
    const list = new TimeList();
    for (const { t } of shards) {
      list.wall.push(...(t[k]?.wall ?? []));
      list.cpu.push(...(t[k]?.cpu ?? []));
    }
    return [k, list];
  })) as unknown as RawTimes;
  let counts = countsOf(first);
  const families: Record<string, number> = { ...first.families };
  for (const { s } of shards.slice(1)) {
    const c = countsOf(s);
    counts = { main: addCounts(counts.main, c.main), worker: addCounts(counts.worker, c.worker), server: addCounts(counts.server, c.server) };
    add(families, s.families);
  }
  const ordered = [...shards].sort((a, b) => a.s.shard!.index - b.s.shard!.index);
  const merged = summarize({
    seed: first.seed,
    inputs: shards.reduce((sum, { s }) => sum + s.inputs, 0),
    totalInputs: first.totalInputs,
    shards: ordered.map(({ s }) => s.shard!),
    command: first.command.replace(/ --shard \S+/, ''),
    commit: first.commit,
    node: first.node,
    cpus: first.cpus,
    startedAt: ordered.map(({ s }) => s.startedAt).sort()[0],
    // the shards ran side by side: the run took as long as its slowest shard
    elapsedSeconds: Math.max(...shards.map(({ s }) => s.elapsedSeconds)),
    hangMs: first.hangMs,
    families,
    counts,
    // failures keep their folder, now relative to the merged output
    list: ordered.flatMap(({ dir, s }) => s.list.map((f) => (f.saved ? { ...f, saved: path.relative(out, path.join(dir, f.saved)) } : f))),
  }, times);
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(path.join(out, 'summary.json'), JSON.stringify(merged, null, 2) + '\n');
  return merged;
}
