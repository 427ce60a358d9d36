/**
 * "Generate failure test" on examples/shop-api, run with the example's own runner (node:test +
 * tsx, undici MockAgent, nock, supertest from its own devDependencies): the tests generated for
 * the fixed twins are committed in examples/shop-api/test/ (and must equal what the generator
 * writes today) and pass; the tests generated for the planted broken code fail, in exactly the
 * scenarios the missing deadline or fallback predicts. Covers fetch, axios and pg.
 *
 * Needs `npm ci --prefix examples/shop-api` (the `test:examples` script does it).
 * FAILPATH_UPDATE_EXAMPLE_TESTS=1 rewrites the committed tests after a deliberate generator change.
 */
import { describe, it, before } from 'node:test';
import { Commands } from '../../shared/protocol';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { failureTestFix, readTestLayout } from '../../server/src/engine/failureTest';
import { ProjectLoader } from '../../server/src/engine/project';
import { ConfigFileLoader, resolveConfig } from '../../server/src/engine/configFile';
import { analyze } from '../../server/src/engine/analyze';

const ROOT = path.join(__dirname, '..', '..', 'examples', 'shop-api');

interface Case {
  file: string;
  /** The call the action is asked for: the nth (0-based) occurrence of `at`. */
  at: string;
  nth?: number;
  test: string;
}

const FIXED: Case[] = [
  { file: 'src/clients/rates.ts', at: 'fetch(', nth: 1, test: 'test/rates.latestRatesOrCached.failure.test.ts' },
  { file: 'src/clients/payments.ts', at: 'refunds.post', test: 'test/payments.refund.failure.test.ts' },
  { file: 'src/routes/catalog.ts', at: 'pool.query', nth: 1, test: 'test/catalog.get-products-id-price.failure.test.ts' },
  { file: 'src/jobs/inventory-sync.ts', at: 'pool.query', nth: 1, test: 'test/inventory-sync.syncInventoryLogged.failure.test.ts' },
];

const BROKEN: (Case & { failing: string[] })[] = [
  // no deadline (missing-timeout): only the slow reply goes wrong
  { file: 'src/clients/rates.ts', at: 'fetch(', test: 'test/rates.latestRates.failure.test.ts', failing: ['timeout: fails fast'] },
  // the client has no timeout (missing-timeout, at its axios.create)
  { file: 'src/clients/payments.ts', at: 'payments.post', test: 'test/payments.createCharge.failure.test.ts', failing: ['timeout: fails fast'] },
  // nothing answers when the query fails (no-fallback): the request never gets a response
  {
    file: 'src/routes/orders.ts', at: 'pool.query', test: 'test/orders.get-orders-id.failure.test.ts',
    failing: ['timeout: answers an error status', 'server error: answers an error status', 'connection refused: answers an error status'],
  },
];

/**
 * The generator's file for `c`, as if `c.test` did not exist yet: it runs on a copy of the
 * example without that file (the generator never picks a name that is taken on disk), and the
 * answer is mapped back into the example.
 */
function generate(c: Case): { path: string; text: string } {
  // the same folder names as the example's (a package under examples/ is classified by its path)
  const base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'failpath-')));
  const copy = path.join(base, 'examples', 'shop-api');
  try {
    fs.cpSync(ROOT, copy, { recursive: true, filter: (src) => {
      const rel = path.relative(ROOT, src).split(path.sep).join('/');
      return rel !== 'node_modules' && rel !== c.test;
    } });
    const abs = path.join(copy, c.file);
    const text = fs.readFileSync(abs, 'utf8');
    let at = -1;
    for (let i = 0; i <= (c.nth ?? 0); i++) at = text.indexOf(c.at, at + 1);
    assert.notEqual(at, -1, `${c.at} in ${c.file}`);
    const project = new ProjectLoader().forFile(abs);
    const { config } = resolveConfig(new ConfigFileLoader().chainFor(abs, copy), {});
    const findings = analyze({ text, fileName: abs, project, config }).findings;
    const fix = failureTestFix({ text, fileName: abs, project, config, start: at, end: at, findings, layout: () => readTestLayout(copy), allowedRoots: [copy], copyInstallCommand: Commands.copyInstallCommand });
    assert.ok(fix?.files?.length === 1, `a failure test for ${c.at} in ${c.file}: ${JSON.stringify(fix)}`);
    return { path: path.join(ROOT, path.relative(copy, fix.files[0].path)), text: fix.files[0].text };
  } finally {
    fs.rmSync(base, { recursive: true, force: true });
  }
}

/** Runs test files with the example's runner; returns the exit code and the names of failing tests. */
function run(files: string[]): { status: number | null; failing: string[]; passing: string[]; output: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-force-exit', '--test-reporter=tap', ...files], {
    cwd: ROOT, encoding: 'utf8', timeout: 120_000, env: childEnv(),
  });
  const output = `${r.stdout}${r.stderr}`;
  const names = (re: RegExp) => [...output.matchAll(re)].map((m) => m[1]).filter((n) => !n.includes(' when ')).sort();
  return { status: r.status, failing: names(/^\s*not ok \d+ - (.+)$/gm), passing: names(/^\s*ok \d+ - (.+)$/gm), output };
}

/** This process's environment minus what node:test and the tsx loader of this run set for their own children. */
function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'silent' };
  delete env.NODE_TEST_CONTEXT;
  delete env.NODE_OPTIONS;
  return env;
}

describe('examples/shop-api: generated failure tests', () => {
  before(() => {
    assert.ok(fs.existsSync(path.join(ROOT, 'node_modules', 'undici')), 'run `npm ci --prefix examples/shop-api` first (npm run test:examples does)');
  });

  it('the committed tests of the fixed twins are exactly what the generator writes', () => {
    for (const c of FIXED) {
      const generated = generate(c);
      assert.equal(path.relative(ROOT, generated.path).split(path.sep).join('/'), c.test);
      // FAILPATH_UPDATE_EXAMPLE_TESTS=1 rewrites them after a deliberate change of the generator
      if (process.env.FAILPATH_UPDATE_EXAMPLE_TESTS === '1') fs.writeFileSync(path.join(ROOT, c.test), generated.text);
      assert.equal(fs.readFileSync(path.join(ROOT, c.test), 'utf8'), generated.text, `${c.test} is stale: regenerate it (FAILPATH_UPDATE_EXAMPLE_TESTS=1)`);
    }
  });

  it('they pass with the example\'s own runner (npm test in examples/shop-api)', () => {
    const r = run(FIXED.map((c) => c.test));
    assert.equal(r.status, 0, r.output.slice(-4000));
    assert.deepEqual(r.failing, []);
    assert.equal(r.passing.length, FIXED.length * 3, r.output.slice(-4000));
  });

  it('the tests generated for the broken code fail, in the scenarios the findings predict', () => {
    const written: string[] = [];
    try {
      for (const c of BROKEN) {
        const generated = generate(c);
        assert.equal(path.relative(ROOT, generated.path).split(path.sep).join('/'), c.test);
        assert.ok(!fs.existsSync(generated.path), `${c.test} must not exist before the run`);
        fs.writeFileSync(generated.path, generated.text);
        written.push(generated.path);
      }
      const r = run(BROKEN.map((c) => c.test));
      assert.notEqual(r.status, 0, r.output.slice(-4000));
      assert.deepEqual(r.failing, BROKEN.flatMap((c) => c.failing).sort(), r.output.slice(-4000));
      assert.equal(r.passing.length, BROKEN.length * 3 - BROKEN.flatMap((c) => c.failing).length, r.output.slice(-4000));
    } finally {
      for (const f of written) fs.rmSync(f, { force: true });
    }
  });
});
