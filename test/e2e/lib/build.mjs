// Shared by both runners: bundles the extension (client + server into dist/, the options of
// esbuild.mjs) and the mocha suite (test/e2e/suite → .vscode-test/e2e-out).
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const SUITE_OUT = path.join(REPO, '.vscode-test', 'e2e-out');
export const FIXTURE = path.join(REPO, 'test', 'e2e', 'fixtures', 'workspace');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'linked',
  logLevel: 'error',
  legalComments: 'none',
  mainFields: ['module', 'main'],
};

/**
 * Builds dist/client.js and dist/server.js — only these two, so that the suite does not depend
 * on the other bundles of esbuild.mjs (the CLI, the scan worker) building.
 */
export async function buildExtension() {
  await esbuild.build({
    ...common,
    outdir: path.join(REPO, 'dist'),
    absWorkingDir: REPO,
    entryPoints: { client: 'client/src/extension.ts', server: 'server/src/server.ts' },
    external: ['vscode'],
  });
}

/** Bundles suite/index.ts and every suite/*.test.ts into SUITE_OUT (vscode and mocha stay external). */
export async function buildSuite() {
  const dir = path.join(REPO, 'test', 'e2e', 'suite');
  const tests = fs.readdirSync(dir).filter((f) => f.endsWith('.test.ts'));
  fs.rmSync(SUITE_OUT, { recursive: true, force: true });
  await esbuild.build({
    ...common,
    outdir: SUITE_OUT,
    absWorkingDir: REPO,
    entryPoints: ['index.ts', ...tests].map((f) => path.join(dir, f)),
    // mocha is resolved at run time from the repo's node_modules (SUITE_OUT is inside the repo)
    external: ['vscode', 'mocha'],
  });
  return tests.map((t) => t.replace(/\.ts$/, '.js'));
}
