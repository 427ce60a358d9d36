/**
 * The server's workspace scan when its worker dies on a file (out of memory at its heap cap): a
 * new worker takes over, the batch is retried file by file, the file that kills the worker is
 * skipped with a log line, the others are indexed, and nothing is indexed on the main thread (it
 * used to take over the rest of the scan there, and the editor's requests waited).
 * The death is a real heap exhaustion under a 64 MB cap (FAILPATH_SCAN_HEAP_MB), on the file named
 * by the test-only FAILPATH_TEST_CRASH_ON, which workspace content cannot set.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { scanDone, startServer, workspace, type TestClient } from './helpers';
import { Requests } from '../../shared/protocol';

const ROUTE = (p: string) => `import express from 'express';\nconst app = express();\napp.get('/${p}', async (req, res) => { res.json(await (await fetch('https://x/${p}')).json()); });\napp.listen(3000);\n`;
const NAMES = ['a', 'b', 'c', 'd', 'e'];

describe('language server: a scan worker that dies on a file', () => {
  let client: TestClient;
  const ws = workspace({ express: '^4.19.0' });
  const saved = { crash: process.env.FAILPATH_TEST_CRASH_ON, heap: process.env.FAILPATH_SCAN_HEAP_MB };
  before(async () => {
    fs.mkdirSync(path.join(ws.root, 'src'), { recursive: true });
    for (const n of [...NAMES, 'killer']) fs.writeFileSync(path.join(ws.root, 'src', `${n}.ts`), ROUTE(n));
    process.env.FAILPATH_TEST_CRASH_ON = path.join(ws.root, 'src', 'killer.ts');
    process.env.FAILPATH_SCAN_HEAP_MB = '64';
    client = await startServer({ rootUri: `file://${ws.root}` });
  });
  after(async () => {
    await client.shutdown();
    for (const [k, v] of [['FAILPATH_TEST_CRASH_ON', saved.crash], ['FAILPATH_SCAN_HEAP_MB', saved.heap]] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    fs.rmSync(ws.root, { recursive: true, force: true });
  });

  it('is replaced; the file is skipped with a log line, the others are indexed, none on the main thread', async () => {
    const r = await scanDone(client);
    assert.deepEqual([r.scanned, r.total], [6, 6]);
    const killer = path.join(ws.root, 'src', 'killer.ts');
    const lines = client.logs.items.map((l) => l.message).filter((m) => m.includes('scan'));
    assert.deepEqual(lines, [
      'The workspace scan worker stopped (analysis ran out of memory); started a new one.',
      'The workspace scan worker stopped (analysis ran out of memory); started a new one.',
      `Workspace scan skipped ${killer}: analysis ran out of memory`,
    ]);
    assert.equal(client.logs.items.filter((l) => /main thread/.test(l.message)).length, 0);
    const routes: { label: string; uri: string }[] = await client.connection.sendRequest(Requests.routes);
    assert.deepEqual(routes.map((x) => `${x.label} ${x.uri}`).sort(), NAMES.map((n) => `GET /${n} ${ws.uri(`src/${n}.ts`)}`));
  });
});
