/**
 * The server's background workspace scan on a hostile file system: a link to itself and a broken
 * link are each skipped with a line in the log ("Workspace scan skipped …"), a link loop to a
 * parent is walked once; the scan completes and the open document gets its diagnostics. (Discovery itself: test/engine/files.test.ts.)
 * Links out of the workspace folder (`src/sysroot → /`, which used to walk the whole disk so the
 * scan never finished, a folder and a file elsewhere, a package.json elsewhere) are each logged
 * once and nothing outside is indexed or read; a 3 GB sparse file is skipped unread, with a log line.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as os from 'node:os';
import { scanDone, startServer, workspace, type TestClient } from './helpers';
import { Requests } from '../../shared/protocol';

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

describe('language server: workspace scan contained in the folder', () => {
  let client: TestClient;
  let outside: string;
  const ws = workspace({ express: '^4.19.0' });
  const ROUTE = (p: string) => `import express from 'express';\nconst app = express();\napp.get('${p}', async (req, res) => { res.json(await (await fetch('https://x${p}')).json()); });\napp.listen(3000);\n`;
  before(async () => {
    outside = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'failpath-lsp-outside-')));
    fs.writeFileSync(path.join(outside, 'routes.ts'), ROUTE('/outside'));
    fs.writeFileSync(path.join(outside, 'package.json'), JSON.stringify({ name: 'elsewhere', dependencies: { pino: '^9.0.0' } }));
    fs.mkdirSync(path.join(ws.root, 'src/inner'), { recursive: true });
    fs.mkdirSync(path.join(ws.root, 'pkg/src'), { recursive: true });
    fs.writeFileSync(path.join(ws.root, 'src/api.ts'), ROUTE('/inside'));
    fs.writeFileSync(path.join(ws.root, 'src/inner/util.ts'), 'export const util = 1;\n');
    fs.symlinkSync('/', path.join(ws.root, 'src/sysroot'));
    fs.symlinkSync(outside, path.join(ws.root, 'src/vendor'));
    fs.symlinkSync(path.join(outside, 'routes.ts'), path.join(ws.root, 'src/linked.ts'));
    fs.symlinkSync('inner', path.join(ws.root, 'src/also')); // inside: walked (once, under its own name)
    fs.writeFileSync(path.join(ws.root, 'src/huge.ts'), '');
    fs.truncateSync(path.join(ws.root, 'src/huge.ts'), 3 * 1024 ** 3); // sparse
    fs.symlinkSync(path.join(outside, 'package.json'), path.join(ws.root, 'pkg/package.json'));
    client = await startServer({ rootUri: `file://${ws.root}` });
  });
  after(async () => {
    await client.shutdown();
    fs.rmSync(ws.root, { recursive: true, force: true });
    fs.rmSync(outside, { recursive: true, force: true });
  });

  it('completes, logs each link out once and the huge file, and indexes nothing outside', async () => {
    // the scan used to walk the whole disk through sysroot and never finish: wait for it to end
    const r = await scanDone(client);
    // api.ts, also/util.ts (inner/ is the same folder), huge.ts: three files found, two indexed
    assert.deepEqual([r.scanned, r.total], [3, 3]);
    const lines = client.logs.items.map((l) => l.message).filter((m) => m.startsWith('Workspace scan skipped'));
    assert.deepEqual(lines, [
      `Workspace scan skipped ${ws.root}/src/linked.ts: symbolic link to ${outside}/routes.ts points outside ${ws.root}`,
      `Workspace scan skipped ${ws.root}/src/sysroot: symbolic link to / points outside ${ws.root}`,
      `Workspace scan skipped ${ws.root}/src/vendor: symbolic link to ${outside} points outside ${ws.root}`,
      `Workspace scan skipped ${ws.root}/src/huge.ts: file is larger than 8 MB`,
    ]);
    const routes: { label: string; uri: string }[] = await client.connection.sendRequest(Requests.routes);
    assert.deepEqual(routes.map((x) => `${x.label} ${x.uri}`), [`GET /inside ${ws.uri('src/api.ts')}`]);
  });

  it('an open document under a package.json linked out: not read, the log says why', async () => {
    const uri = ws.uri('pkg/src/x.ts');
    client.open(uri, 'export const x = 1;\n');
    await client.diagnosticsAt(uri, 1);
    const line = await client.logs.wait((l) => l.message.startsWith(`Could not read ${ws.root}/pkg/package.json`), 'the package.json log line');
    assert.equal(line.message, `Could not read ${ws.root}/pkg/package.json: symbolic link to ${outside}/package.json points outside ${ws.root}; dependencies from it are ignored.`);
  });
});
