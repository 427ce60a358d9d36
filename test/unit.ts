/**
 * All unit tests in one process: imports every test file of test/rules, test/engine,
 * test/client and test/fuzz (node:test registers their suites on import). One process instead of
 * one per file: the TypeScript compiler API and the engine load once.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const DIRS = ['rules', 'engine', 'client', 'fuzz', 'workspace'];
for (const dir of DIRS) {
  const abs = path.join(__dirname, dir);
  if (!fs.existsSync(abs)) continue;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  for (const name of fs.readdirSync(abs).filter((n) => n.endsWith('.test.ts')).sort()) require(path.join(abs, name));
}
