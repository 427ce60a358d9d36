/**
 * The CLI's scan worker (dist/scan-worker.js), unchanged, with a stopwatch around each job: the
 * fuzz campaign's per-file watchdog on the worker thread. Loaded in a Worker started with the
 * CLI's own options (scanPool.ts scanWorkerOptions), so the stack and heap limits are the CLI's.
 * Each answer gains `threadMs`, the wall time from the job's arrival on this thread to its answer,
 * and `cpuMs`, this thread's CPU time over the same span (Linux /proc, 10 ms ticks; else null).
 */
const path = require('node:path');
const { parentPort } = require('node:worker_threads');
const { performance } = require('node:perf_hooks');

const fs = require('node:fs');

function cpuMs() {
  try {
    const stat = fs.readFileSync('/proc/thread-self/stat', 'latin1');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

let started = 0;
let startedCpu = null;
// registered before the scan worker's own listener, so it runs first for each job
parentPort.on('message', () => { started = performance.now(); startedCpu = cpuMs(); });
const post = parentPort.postMessage.bind(parentPort);
parentPort.postMessage = (message, transfer) => {
  const cpu = cpuMs();
  post({ ...message, threadMs: performance.now() - started, cpuMs: cpu === null || startedCpu === null ? null : cpu - startedCpu }, transfer);
};
require(path.join(__dirname, '..', '..', 'dist', 'scan-worker.js'));
