/**
 * `failpath report` as users run it: dist/cli.js on a git repository holding a copy of
 * examples/shop-api, with a branch that adds a route calling a service without a timeout.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const repo = path.join(__dirname, '..', '..');
const cli = path.join(repo, 'dist', 'cli.js');
let dir: string;

function sh(cmd: string, args: string[]) {
  const r = spawnSync(cmd, args, { cwd: dir, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } });
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}
function run(args: string[], cwd = dir) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const NEW_ROUTE = `
orders.get('/orders/:id/tracking', async (req, res) => {
  const r = await fetch(\`https://tracking.example.com/v1/\${req.params.id}\`);
  res.json(await r.json());
});
`;

before(() => {
  if (!fs.existsSync(cli)) {
    const b = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: repo, encoding: 'utf8' });
    assert.equal(b.status, 0, b.stderr);
  }
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'failpath-report-')));
  fs.cpSync(path.join(repo, 'examples/shop-api'), dir, { recursive: true, filter: (p) => path.basename(p) !== 'node_modules' });
  sh('git', ['init', '-q', '-b', 'main']);
  sh('git', ['add', '.']);
  sh('git', ['commit', '-q', '-m', 'base']);
  sh('git', ['checkout', '-q', '-b', 'tracking']);
  fs.appendFileSync(path.join(dir, 'src/routes/orders.ts'), NEW_ROUTE);
  // an edit of a line that already had a finding: still pre-existing, not new
  const wh = path.join(dir, 'src/clients/warehouse.ts');
  // …and a new call without a timeout in shared code that POST /orders reaches: one new finding,
  // listed under orders (reached) and shared (its file), counted once
  fs.writeFileSync(wh, fs.readFileSync(wh, 'utf8').replace('  const res = await fetch(', '  await fetch(`${WAREHOUSE_URL}/ping`);\n  const res = await fetch (  '));
  sh('git', ['commit', '-q', '-am', 'tracking route']);
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('failpath report', () => {
  it('names the new route, its feature and the failing item, and only the branch\'s finding is new', () => {
    const r = run(['report', '--format', 'json']);
    assert.equal(r.code, 0, r.err); // the new findings are a warning and infos; the gate is error
    const report = JSON.parse(r.out);
    assert.equal(report.base.ref, 'main');
    assert.deepEqual(report.changedFiles.map((c: { file: string; status: string }) => `${c.status} ${c.file}`), ['modified src/clients/warehouse.ts', 'modified src/routes/orders.ts']);
    assert.deepEqual(report.newFindings.map((f: { ruleId: string; file: string; line: number; feature: string }) => `${f.ruleId} ${f.file}:${f.line} ${f.feature}`),
      // most severe first: no-fallback is a warning, missing-timeout ships at info (docs/precision.md)
      ['no-fallback src/routes/orders.ts:30 orders', 'missing-timeout src/clients/warehouse.ts:5 orders', 'missing-timeout src/routes/orders.ts:30 orders']);
    assert.deepEqual(report.summary.newFindings, { error: 0, warning: 1, info: 2, hint: 0 });
    const shared = report.features.find((f: { name: string }) => f.name === 'shared');
    assert.deepEqual(shared.newFindings.map((f: { ruleId: string; file: string; line: number }) => `${f.ruleId} ${f.file}:${f.line}`), ['missing-timeout src/clients/warehouse.ts:5']);
    assert.deepEqual(report.newRoutes.map((n: { method: string; path: string; feature: string }) => `${n.method} ${n.path} ${n.feature}`), ['GET /orders/:id/tracking orders']);
    assert.ok(report.newRoutes[0].reaches.some((f: { ruleId: string }) => f.ruleId === 'missing-timeout'));
    const orders = report.features.find((f: { name: string }) => f.name === 'orders');
    const recover = orders.items.find((i: { item: string }) => i.item === 'recover');
    // 4 missing-timeout (info, 0.5 each), 2 no-fallback (warning, 2 each), 1 missing-idempotency (info): weight 6.5, fail
    assert.equal(recover.status, 'fail');
    assert.ok(recover.newFindings >= 1);
    assert.equal(report.fixedFindings.length, 0, JSON.stringify(report.fixedFindings));
    assert.equal(report.summary.newFindings.error, 0);
  });

  it('renders the same content as markdown for a PR description', () => {
    const r = run(['report']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^## Failpath readiness: `tracking` vs `main`/);
    assert.match(r.out, /### New routes\n\n- `GET \/orders\/:id\/tracking` at `src\/routes\/orders.ts:\d+` · feature \*\*orders\*\* — reaches .*\*\*missing-timeout\*\* \(recover\)/);
    assert.match(r.out, /### orders — \d\/5 ready/);
    assert.match(r.out, /\| ❌ \| Can I recover from failure\? \| fail \|[^\n]*\*\*\d+ new on this branch\*\*/);
  });

  it('gates on --error-on, and reports git and usage problems with exit 2', () => {
    assert.equal(run(['report', '--error-on', 'warning']).code, 1);
    const unknown = run(['report', '--since', 'no-such-branch']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /unknown revision "no-such-branch"/);
    assert.equal(run(['report', '--format', 'xml']).code, 2);
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'failpath-nogit-'));
    try {
      const r = run(['report'], outside);
      assert.equal(r.code, 2);
      assert.match(r.err, /not inside a git repository/);
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });
});

describe('failpath readiness', () => {
  it('prints each feature of examples/shop-api with the five questions answered and why', () => {
    const r = run(['readiness', path.join(repo, 'examples/shop-api')], repo);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out, [
      'catalog (3/5 ready, 3 files, 2 routes)',
      '  ✔ Can I monitor it? pass — structured logger used',
      '  ✖ Can I disable it? fail — none of its 2 routes is behind a feature flag',
      '  ⚠ Can I recover from failure? warn — 1 missing-timeout',
      '  ✔ Can I scale it? pass — no N+1, unbounded cache or missing limiter found',
      '  ✔ Can I understand what happens when it fails? pass — no swallowed or leaked errors found',
      'orders (1/5 ready, 2 files, 2 routes)',
      '  ⚠ Can I monitor it? warn — 1 unstructured-log; no structured logger used',
      '  ✖ Can I disable it? fail — flag orders-v2 is declared but none of its 2 routes checks it',
      // warehouse.ts is shared code, but POST /orders reaches its missing timeout: it counts for orders
      // payments.ts's axios.create() without a timeout is missing-timeout's (was missing-client-timeout's)
      // missing-timeout ships at info (docs/precision.md): 2 × 0.5 + no-fallback's 2 + missing-idempotency's info 0.5
      // (an order without a key) weigh 3.5, under the 4 that fails: warn
      '  ⚠ Can I recover from failure? warn — 2 missing-timeout, 1 no-fallback, 1 missing-idempotency',
      '  ✔ Can I scale it? pass — no N+1, unbounded cache or missing limiter found',
      '  ⚠ Can I understand what happens when it fails? warn — 1 swallowed-error',
      'shared (1/5 ready, 5 files)', // the 4 generated failure tests belong to no feature
      '  ✔ Can I monitor it? pass — structured logger used',
      '  ? Can I disable it? unknown — shared code has no entry points of its own',
      '  ✖ Can I recover from failure? fail — 1 missing-timeout, 3 process-health',
      '  ⚠ Can I scale it? warn — 1 await-in-loop',
      '  ⚠ Can I understand what happens when it fails? warn — 1 swallowed-error',
      '',
    ].join('\n'));
  });

  it('gives the findings and routes behind each answer as JSON', () => {
    const r = run(['readiness', path.join(repo, 'examples/shop-api'), '--format', 'json'], repo);
    assert.equal(r.code, 0, r.err);
    const features = JSON.parse(r.out).features;
    const recover = (name: string) => features.find((f: { name: string }) => f.name === name).items.find((i: { item: string }) => i.item === 'recover');
    const lines = (item: { findings: { rule: string; file: string; line: number; routes: string[] }[] }) => item.findings.map((f) => `${f.rule} ${f.file}:${f.line} [${f.routes.join(',')}]`);
    // latestRates() (the broken twin) is called by no route; latestRatesOrCached() is
    assert.deepEqual(lines(recover('catalog')), ['missing-timeout src/clients/rates.ts:12 []']);
    assert.deepEqual(lines(recover('orders')), [
      'missing-timeout src/clients/payments.ts:4 []',
      'no-fallback src/routes/orders.ts:9 [GET /orders/:id]',
      'missing-idempotency src/routes/orders.ts:17 [POST /orders]',
      'missing-timeout src/clients/warehouse.ts:5 [POST /orders]',
    ]);
    assert.equal(run(['readiness', '--format', 'yaml']).code, 2);
    assert.equal(run(['readiness', path.join(dir, 'no-such-folder')]).code, 2);
  });
});
