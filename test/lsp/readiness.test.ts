/**
 * The server's workspace index over LSP: the background scan (with $/progress), the readiness
 * data the sidebar shows (failpath/readiness), route impact in diagnostic messages, the
 * "only changed on this branch" filter and the branch report (failpath/branchReport), and
 * incremental updates from files changed on disk. On a git copy of examples/shop-api with a
 * branch that adds a route calling a service without a timeout.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DidChangeWatchedFilesNotification, FileChangeType, CodeLensRequest, CodeLensResolveRequest, type CodeLens } from 'vscode-languageserver-protocol/node';
import { scanDone, startServer, PUSH_CLIENT, REPO, type TestClient } from './helpers';
import { Requests, Notifications, type ReadinessResult, type BranchReportResult, type RouteListItem, type WhoReachesResult } from '../../shared/protocol';

let dir: string;
let client: TestClient;
const uri = (rel: string) => pathToFileURL(path.join(dir, rel)).href;

function git(args: string[]) {
  const r = spawnSync('git', args, { cwd: dir, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } });
  assert.equal(r.status, 0, r.stderr);
}

async function readiness(params: object = {}): Promise<ReadinessResult> {
  return client.connection.sendRequest(Requests.readiness, params);
}

/** Readiness once the scan is over (waits on the server's notifications, no sleeps). */
async function ready(): Promise<ReadinessResult> {
  for (let i = 0; i < 50; i++) {
    const r = await readiness();
    if (r.state === 'ready') return r;
    const from = client.custom.items.length;
    await client.custom.wait((m) => m === Notifications.readinessChanged, 'readinessChanged', 10_000, from);
  }
  throw new Error('the scan never finished');
}

const TRACKING = `
orders.get('/orders/:id/tracking', async (req, res) => {
  const r = await fetch(\`https://tracking.example.com/v1/\${req.params.id}\`);
  res.json(await r.json());
});
`;

before(async () => {
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'failpath-lsp-readiness-')));
  fs.cpSync(path.join(REPO, 'examples/shop-api'), dir, { recursive: true });
  git(['init', '-q', '-b', 'main']);
  git(['add', '.']);
  git(['commit', '-q', '-m', 'base']);
  git(['checkout', '-q', '-b', 'tracking']);
  fs.appendFileSync(path.join(dir, 'src/routes/orders.ts'), TRACKING);
  client = await startServer({
    capabilities: { ...PUSH_CLIENT, window: { ...PUSH_CLIENT.window, workDoneProgress: true } },
    rootUri: pathToFileURL(dir).href,
    workspaceFolders: [{ uri: pathToFileURL(dir).href, name: 'shop' }],
  });
});
after(async () => {
  await client?.shutdown();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('workspace index over LSP', () => {
  it('scans in the background with progress and answers the features with their five items', async () => {
    const r = await ready();
    assert.deepEqual(r.features.map((f) => `${f.name}:${f.source}`), ['catalog:config', 'orders:config', 'shared:shared']);
    const orders = r.features.find((f) => f.name === 'orders')!;
    assert.deepEqual(orders.routes.map((x) => x.label), ['GET /orders/:id', 'POST /orders', 'GET /orders/:id/tracking']);
    assert.deepEqual(orders.flags, ['orders-v2']);
    assert.equal(orders.owner, 'checkout-team');
    assert.deepEqual(orders.items.map((i) => i.id), ['monitor', 'disable', 'recover', 'scale', 'understand']);
    const recover = orders.items.find((i) => i.id === 'recover')!;
    assert.equal(recover.status, 'fail');
    const timeout = recover.findings.find((f) => f.label === 'missing-timeout: src/routes/orders.ts:30')!;
    assert.ok(timeout, recover.findings.map((f) => f.label).join(' | '));
    assert.equal(timeout.uri, uri('src/routes/orders.ts'));
    assert.deepEqual(timeout.range.start, { line: 29, character: 18 });
    assert.equal(timeout.reachedFrom, 'reached from GET /orders/:id/tracking');
    assert.equal(r.failing, r.features.reduce((n, f) => n + f.items.filter((i) => i.status === 'fail').length, 0));
    assert.ok(r.failing > 0);
    const kinds = client.progress.items.map((p) => p.kind);
    assert.equal(kinds[0], 'begin');
    assert.equal(kinds[kinds.length - 1], 'end');
    assert.match(client.progress.items[0].title ?? '', /indexing the workspace/);
  });

  it('names the routes that reach a finding in its diagnostic message, across files', async () => {
    await ready();
    const text = fs.readFileSync(path.join(dir, 'src/clients/warehouse.ts'), 'utf8');
    client.open(uri('src/clients/warehouse.ts'), text);
    const d = await client.waitForDiagnostics(uri('src/clients/warehouse.ts'), (p) => p.diagnostics.some((x) => x.code === 'missing-timeout'));
    const msg = String(d.diagnostics.find((x) => x.code === 'missing-timeout')!.message);
    assert.match(msg, /^fetch\(\) has no timeout: .* \(reached from POST \/orders\)$/);
    client.close(uri('src/clients/warehouse.ts'));
  });

  it('shows only the features changed on the branch when asked', async () => {
    await ready();
    const r = await readiness({ onlyChanged: true });
    assert.equal(r.notice, undefined);
    assert.deepEqual(r.features.map((f) => `${f.name}:${f.changed}`), ['orders:true']);
  });

  it('writes the branch report: the new route, its feature and the failing item', async () => {
    const r: BranchReportResult = await client.connection.sendRequest(Requests.branchReport, {});
    assert.match(r.markdown, /^## Failpath readiness: `tracking` vs `main`/);
    assert.match(r.markdown, /- `GET \/orders\/:id\/tracking` at `src\/routes\/orders.ts:29` · feature \*\*orders\*\* — reaches .*\*\*missing-timeout\*\* \(recover\)/);
    const bad = client.connection.sendRequest(Requests.branchReport, { base: 'no-such-ref' });
    await assert.rejects(bad, /unknown revision "no-such-ref"/);
  });

  it('code lenses: a route\'s own checklist above its registration, the routes reaching a function above it (resolved lazily)', async () => {
    await ready();
    const lensesOf = async (rel: string) => {
      const u = uri(rel);
      client.open(u, fs.readFileSync(path.join(dir, rel), 'utf8'));
      const lenses: CodeLens[] = (await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: u } })) ?? [];
      assert.ok(lenses.every((l) => l.command === undefined && l.data), 'unresolved: titles come from codeLens/resolve');
      const resolved = await Promise.all(lenses.map((l) => client.connection.sendRequest(CodeLensResolveRequest.type, l)));
      client.close(u);
      return resolved.map((l) => `${l.range.start.line + 1}: ${l.command!.title} → ${l.command!.command}(${(l.command!.arguments ?? []).slice(0, 1).join()})`);
    };
    assert.deepEqual(await lensesOf('src/clients/warehouse.ts'), [
      '4: reached from POST /orders · shared 1/5 ready → failpath.readiness.revealFeature(shared)',
    ]);
    assert.deepEqual(await lensesOf('src/routes/orders.ts'), [
      '8: GET /orders/:id · ⚠ recover: no-fallback → failpath.readiness.revealFeature(orders)',
      // (payments.ts's axios.create() without a timeout, now missing-timeout's, is at module level: no function reaches it)
      '17: POST /orders · ⚠ recover: missing-timeout, missing-idempotency · ⚠ understand: swallowed-error · ⚠ monitor: unstructured-log → failpath.readiness.revealFeature(orders)',
      // missing-timeout (info, weight 0.5) + no-fallback (warning, 2) = 2.5 < 4: warn, not fail
      '29: GET /orders/:id/tracking · ⚠ recover: missing-timeout, no-fallback → failpath.readiness.revealFeature(orders)',
    ]);
    // failpath.codeLens.enabled: false
    client.changeSettings({ codeLens: { enabled: false } });
    const u = uri('src/routes/orders.ts');
    client.open(u, fs.readFileSync(path.join(dir, 'src/routes/orders.ts'), 'utf8'));
    assert.deepEqual(await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: u } }), []);
    client.close(u);
    client.changeSettings({});
  });

  it('lists every route for Find Route Handler, and who reaches a function with the call chain', async () => {
    await ready();
    const routes: RouteListItem[] = await client.connection.sendRequest(Requests.routes);
    assert.deepEqual(routes.map((r) => `${r.label} ${r.feature} ${path.relative(dir, new URL(r.uri).pathname)}:${r.line + 1}`), [
      'POST /orders orders src/routes/orders.ts:17',
      'GET /orders/:id orders src/routes/orders.ts:8',
      'GET /orders/:id/tracking orders src/routes/orders.ts:29',
      'GET /products catalog src/routes/catalog.ts:15',
      'GET /products/:id/price catalog src/routes/catalog.ts:30',
    ]);
    const u = uri('src/clients/payments.ts');
    client.open(u, fs.readFileSync(path.join(dir, 'src/clients/payments.ts'), 'utf8'));
    const line = client.text(u).split('\n').findIndex((l) => l.includes('export async function createCharge'));
    const who: WhoReachesResult = await client.connection.sendRequest(Requests.whoReaches, { uri: u, position: { line: line + 1, character: 4 } });
    client.close(u);
    assert.equal(who.function, 'createCharge');
    assert.deepEqual(who.routes.map((r) => `${r.label}: ${r.chain.map((c) => c.name).join(' → ')}`), ['POST /orders: <route POST /orders> → createCharge']);
  });

  it('re-indexes a file changed on disk, and drops a deleted one', async () => {
    await ready();
    const file = path.join(dir, 'src/routes/refunds.ts');
    fs.writeFileSync(file, "import { Router } from 'express';\nexport const refunds = Router();\nrefunds.post('/refunds', async (req, res) => {\n  res.json({ ok: true });\n});\n");
    const from = client.custom.items.length;
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: pathToFileURL(file).href, type: FileChangeType.Created }] });
    await client.custom.wait((m) => m === Notifications.readinessChanged, 'readinessChanged', 10_000, from);
    const routes = (await readiness()).features.flatMap((f) => f.routes.map((x) => x.label));
    assert.ok(routes.includes('POST /refunds'), routes.join(', '));
    fs.rmSync(file);
    const from2 = client.custom.items.length;
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: pathToFileURL(file).href, type: FileChangeType.Deleted }] });
    await client.custom.wait((m) => m === Notifications.readinessChanged, 'readinessChanged', 10_000, from2);
    assert.ok(!(await readiness()).features.flatMap((f) => f.routes.map((x) => x.label)).includes('POST /refunds'));
  });
});

describe('workspace scan when its worker dies', () => {
  it('a worker that cannot start: the scan ends and says why, nothing is indexed on the main thread', async () => {
    const ws = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'failpath-lsp-oom-')));
    fs.cpSync(path.join(REPO, 'examples/shop-api'), ws, { recursive: true });
    // a worker with a 1 MB heap cannot even load its code: it dies at once, and so does its replacement
    process.env.FAILPATH_SCAN_HEAP_MB = '1';
    let c: TestClient | undefined;
    try {
      c = await startServer({ rootUri: pathToFileURL(ws).href });
      const r = await scanDone(c);
      assert.deepEqual(r.features.map((f) => f.name), []);
      assert.deepEqual(c.logs.items.map((l) => l.message).filter((m) => /scan/i.test(m)), [
        'The workspace scan worker stopped (analysis ran out of memory); started a new one.',
        'The workspace scan worker stopped (analysis ran out of memory); started a new one.',
        'The workspace scan could not run: its worker stopped twice while listing the files (analysis ran out of memory); nothing is indexed.',
      ]);
      // the open document is still analysed, on the main thread as always
      const uri = pathToFileURL(path.join(ws, 'src/extra.ts')).href;
      c.open(uri, 'await fetch(url);\n');
      assert.deepEqual((await c.diagnosticsAt(uri, 1)).diagnostics.map((d) => d.code), ['missing-timeout']);
    } finally {
      delete process.env.FAILPATH_SCAN_HEAP_MB;
      await c?.shutdown();
      fs.rmSync(ws, { recursive: true, force: true });
    }
  });
});
