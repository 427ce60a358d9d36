/**
 * The fuzz campaign runner (scripts/fuzz.ts) itself, small: 300 inputs of a fixed seed through the
 * main thread, 75 of them through the CLI's scan worker, 8 language-server sessions. Its summary
 * must count exactly what it ran and report no failure, so the runner cannot rot. Timing cannot
 * fail this test (the hang threshold is set out of reach: no test depends on the machine's speed);
 * the campaign itself (npm run fuzz:campaign) uses 2 s.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEFAULT_CAMPAIGN, runCampaign } from '../../scripts/fuzz/campaign';
import { DEFAULT_GENERATE } from '../../scripts/fuzz/inputs';
import { mergeShards } from '../../scripts/fuzz/merge';

describe('fuzz campaign runner', () => {
  it('300 inputs (seed 20261123) through the main thread, the scan worker and the server: 0 failures', { timeout: 600_000 }, async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'failpath-campaign-test-'));
    try {
      const summary = await runCampaign({
        ...DEFAULT_CAMPAIGN,
        seed: 20261123,
        inputs: 300,
        serverSessions: 8,
        out,
        hangMs: 3_600_000,
        stuckMs: 3_600_000,
        watchdogMs: 0,
        // bounded sizes: deep nesting stays under the main thread's stack, long inputs under 100 KB
        generate: { ...DEFAULT_GENERATE, maxNestingDepth: 200, maxLongChars: 100_000, maxGlobSegments: 6, maxLockLine: 10_000 },
      });
      assert.deepEqual(summary.list.map((f) => `${f.channel} ${f.kind} #${f.index} (${f.family}): ${f.message}`), []);
      assert.deepEqual(summary.failures, { total: 0 });
      assert.equal(summary.inputs, 300);
      assert.equal(Object.values(summary.families).reduce((a, b) => a + b, 0), 300);
      assert.equal(summary.channels.main.inputs, 300);
      assert.equal(summary.channels.main.analyze.count, 300);
      assert.equal(summary.channels.worker.inputs, summary.channels.worker.scanFile.count);
      assert.equal(summary.channels.worker.inputs, summary.channels.main.scanFile.count);
      assert.ok(summary.channels.worker.inputs > 0, 'some inputs went through the scan worker');
      assert.equal(summary.channels.server.sessions, 8);
      assert.ok(summary.channels.main.fixesApplied > 0, 'fixes were applied and re-parsed');
      assert.deepEqual(JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8')).failures, { total: 0 });
      assert.equal(fs.existsSync(path.join(out, 'failures')), false);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });
});

describe('fuzz campaign shards', () => {
  const small = { ...DEFAULT_GENERATE, maxNestingDepth: 200, maxLongChars: 50_000, maxGlobSegments: 6, maxLockLine: 10_000 };
  const run = (out: string, shard?: { index: number; count: number }) => runCampaign({
    ...DEFAULT_CAMPAIGN, seed: 20261124, inputs: 60, serverSessions: 4, out, hangMs: 3_600_000, stuckMs: 3_600_000, watchdogMs: 0, generate: small, ...(shard ? { shard } : {}),
  });

  it('--shard 1/2 and 2/2 run disjoint halves; --merge adds up to the unsharded run', { timeout: 600_000 }, async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'failpath-campaign-shards-'));
    try {
      const whole = await run(path.join(tmp, 'whole'));
      const one = await run(path.join(tmp, 'one'), { index: 1, count: 2 });
      const two = await run(path.join(tmp, 'two'), { index: 2, count: 2 });
      assert.deepEqual([one.inputs, two.inputs, one.totalInputs], [30, 30, 60]);
      assert.equal(one.channels.server.sessions + two.channels.server.sessions, 4);
      const merged = mergeShards([path.join(tmp, 'two'), path.join(tmp, 'one')], path.join(tmp, 'merged'));
      assert.deepEqual(JSON.parse(fs.readFileSync(path.join(tmp, 'merged', 'summary.json'), 'utf8')), JSON.parse(JSON.stringify(merged)));
      assert.deepEqual(merged.shards, [{ index: 1, count: 2 }, { index: 2, count: 2 }]);
      assert.equal(merged.command, 'npm run fuzz:campaign -- --inputs 60 --seed 20261124');
      assert.deepEqual(merged.families, whole.families);
      assert.deepEqual(merged.verdict, whole.verdict);
      assert.deepEqual(merged.verdict, { crashes: 0, hangs: { mainThread: 0, worker: 0, server: 0 }, fixesBreakingParseable: 0, other: {}, pass: true });
      const counts = (s: typeof whole) => {
        const { analyze, fixAll, scanFile, ...main } = s.channels.main;
        return { main, worker: s.channels.worker.inputs, analyzed: analyze.count, fixAll: fixAll.count, scanned: [scanFile.count, s.channels.worker.scanFile.count], sessions: s.channels.server.sessions, codeActions: s.channels.server.codeActions };
      };
      assert.deepEqual(counts(merged), counts(whole));
      assert.throws(() => mergeShards([path.join(tmp, 'one')], path.join(tmp, 'bad')), { message: 'shards missing: 2/2' });
      assert.throws(() => mergeShards([path.join(tmp, 'one'), path.join(tmp, 'one')], path.join(tmp, 'bad')), { message: 'shard 1/2 is given twice' });
      assert.throws(() => mergeShards([path.join(tmp, 'whole')], path.join(tmp, 'bad')), { message: `${path.join(tmp, 'whole')} is not a shard (no "shard" in its summary.json)` });
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
