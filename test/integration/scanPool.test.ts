/**
 * ScanPool (engine/scanPool.ts) with a stand-in worker script that exits with code 3 on any batch
 * holding a file whose name starts with "die": dead workers are replaced, the batch is retried file
 * by file, the killer files are skipped with the reason, and past MAX_RESTARTS what is left is
 * skipped instead of restarting forever. (The real worker and a real heap exhaustion:
 * test/cli/workers.test.ts, test/lsp/workerDeath.test.ts.)
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MAX_RESTARTS, ScanPool } from '../../server/src/engine/scanPool';

let dir: string;
let script: string;
before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'failpath-pool-'));
  script = path.join(dir, 'worker.js');
  fs.writeFileSync(script, `const { parentPort } = require('node:worker_threads');
parentPort.on('message', (job) => {
  if (job.files.some((f) => f.startsWith('die'))) process.exit(3);
  parentPort.postMessage({ id: job.id, results: job.files.map((file) => ({ file, findings: [] })) });
});
`);
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

const outcome = (r: { file: string; skipped?: string }[]) => r.map((x) => `${x.file}${x.skipped ? `: ${x.skipped}` : ''}`);
const STOPPED = 'the analysis stopped its worker (exit code 3)';

describe('ScanPool', () => {
  it('replaces a dead worker and skips only the file that kills it', async () => {
    const deaths: string[] = [];
    const pool = new ScanPool({ script, workerData: {}, size: 2, onDeath: (reason, replaced) => deaths.push(`${reason} ${replaced}`) });
    try {
      const [one, two] = await Promise.all([pool.scan(['a', 'die', 'b']), pool.scan(['c', 'd'])]);
      assert.deepEqual(outcome(one), ['a', `die: ${STOPPED}`, 'b']);
      assert.deepEqual(outcome(two), ['c', 'd']);
      assert.deepEqual(deaths, [`${STOPPED} true`, `${STOPPED} true`]);
      // the replacements work
      assert.deepEqual(outcome(await pool.scan(['e'])), ['e']);
    } finally {
      await pool.terminate();
    }
  });

  it('setWorkerData: a worker started after a death gets the new data (the language server\'s project model), the running ones keep theirs', async () => {
    const tagged = path.join(dir, 'tagged.js');
    fs.writeFileSync(tagged, `const { parentPort, workerData } = require('node:worker_threads');
parentPort.on('message', (job) => {
  if (job.files.some((f) => f.startsWith('die'))) process.exit(3);
  parentPort.postMessage({ id: job.id, results: job.files.map((file) => ({ file: file + ' ' + workerData.tag, findings: [] })) });
});
`);
    const pool = new ScanPool({ script: tagged, workerData: { tag: 'first' }, size: 1 });
    try {
      assert.deepEqual(outcome(await pool.scan(['a'])), ['a first']);
      pool.setWorkerData({ tag: 'second' });
      assert.deepEqual(outcome(await pool.scan(['b'])), ['b first']);
      assert.deepEqual(outcome(await pool.scan(['c', 'die'])), ['c second', `die: ${STOPPED}`]);
      assert.deepEqual(outcome(await pool.scan(['d'])), ['d second']);
    } finally {
      await pool.terminate();
    }
  });

  it(`stops replacing after ${MAX_RESTARTS} deaths: the files left are skipped with the count`, async () => {
    const deaths: boolean[] = [];
    const pool = new ScanPool({ script, workerData: {}, size: 1, onDeath: (_reason, replaced) => deaths.push(replaced) });
    try {
      const files = [...Array.from({ length: 30 }, (_, i) => `die${String(i).padStart(2, '0')}`), 'ok'];
      const r = await pool.scan(files);
      // the batch's death, then die00..die18 alone: 20 replaced; die19's death is not
      const gaveUp = `not analysed: the scan workers stopped ${MAX_RESTARTS + 1} times`;
      assert.deepEqual(outcome(r), files.map((f, i) => `${f}: ${i < MAX_RESTARTS ? STOPPED : gaveUp}`));
      assert.deepEqual(deaths, [...Array(MAX_RESTARTS).fill(true), false]);
      assert.deepEqual(outcome(await pool.scan(['late'])), [`late: ${gaveUp}`]);
    } finally {
      await pool.terminate();
    }
  });
});
