/**
 * The engine the main-thread channel measures: scripts/fuzz/engineEntry.ts bundled once per run
 * with the options of esbuild.mjs into .fuzz/engine-<pid>.cjs. Under tsx every module's exports
 * are getters and `import * as ts` copies TypeScript's namespace into getters too; on a 1 MB file
 * of 50,000 findings that doubled analyze()'s CPU time. The worker channel already runs
 * dist/scan-worker.js, a bundle; now both threads run what ships.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildSync } from 'esbuild';

export type Engine = typeof import('./engineEntry');

const REPO = path.join(__dirname, '..', '..');
let loaded: Engine | undefined;

export function bundledEngine(): Engine {
  if (loaded) return loaded;
  const dir = path.join(REPO, '.fuzz');
  fs.mkdirSync(dir, { recursive: true });
  const outfile = path.join(dir, `engine-${process.pid}.cjs`);
  buildSync({
    entryPoints: [path.join(__dirname, 'engineEntry.ts')], outfile,
    bundle: true, platform: 'node', target: 'node20', format: 'cjs', mainFields: ['module', 'main'], logLevel: 'error',
  });
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    loaded = require(outfile) as Engine;
  } finally {
    fs.rmSync(outfile, { force: true });
  }
  return loaded;
}
