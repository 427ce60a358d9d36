/**
 * The server's background workspace scan on a hostile file system: a link to itself and a broken
 * link are each skipped with a line in the log ("Workspace scan skipped …"), a link loop to a
 * parent is walked once; the scan completes and the open document gets its diagnostics. (Discovery itself: test/engine/files.test.ts.)
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startServer, workspace, type TestClient } from './helpers';

describe('language server: workspace scan faults', () => {
  let client: TestClient;
  const ws = workspace({ express: '^4.19.0' });
  before(async () => {
    fs.mkdirSync(path.join(ws.root, 'src/a'), { recursive: true });
    fs.writeFileSync(path.join(ws.root, 'src/a/one.ts'), "export const one = () => fetch('https://one');\n");
    fs.symlinkSync('..', path.join(ws.root, 'src/a/up'));
    fs.symlinkSync(path.join(ws.root, 'src/self'), path.join(ws.root, 'src/self'));
    fs.symlinkSync(path.join(ws.root, 'src/nowhere.ts'), path.join(ws.root, 'src/gone.ts'));
    client = await startServer({ rootUri: `file://${ws.root}` });
  });
  after(async () => {
    await client.shutdown();
    fs.rmSync(ws.root, { recursive: true, force: true });
  });

  it('skips each with a log line and still analyses', async () => {
    const skipped = (p: string) => client.logs.wait((l) => l.message.startsWith(`Workspace scan skipped ${path.join(ws.root, p)}:`), `the log line for ${p}`, 15_000);
    assert.equal((await skipped('src/gone.ts')).message, `Workspace scan skipped ${path.join(ws.root, 'src/gone.ts')}: broken symbolic link`);
    assert.equal((await skipped('src/self')).message, `Workspace scan skipped ${path.join(ws.root, 'src/self')}: symbolic link loop`);
    const uri = ws.uri('src/b.ts');
    client.open(uri, 'await fetch(url);\n');
    assert.deepEqual((await client.diagnosticsAt(uri, 1)).diagnostics.map((d) => d.code), ['missing-timeout']);
    // the loop through src/a/up was walked once: no log line for it
    assert.equal(client.logs.items.filter((l) => l.message.includes(`${path.sep}up`)).length, 0);
  });
});
