/**
 * Bounded work in the language server (issue 18, "Stalls"): `.failpath.json` globs are matched by
 * the same function as in the CLI (the editor used git's rules for `ignore`, the CLI picomatch's),
 * in time linear in the path; a `.gitignore` line that cannot be matched in bounded time is left
 * out with a log line, and the workspace scan completes. A pnpm-lock.yaml with 1 MiB lines is read in
 * one pass, and the versions it resolves decide the first diagnostics (break 8a).
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CodeActionKind, CodeActionRequest, type CodeAction } from 'vscode-languageserver-protocol/node';
import { startServer, workspace, REPO, PUSH_CLIENT, type TestClient } from './helpers';
import { EXPRESS4_MESSAGE, HANDLER, writeLongLineLockfileWorkspace } from '../harness/longLockfile';

const PROGRESS = { ...PUSH_CLIENT, window: { ...PUSH_CLIENT.window, workDoneProgress: true } };

const SIXTEEN = `${Array(16).fill('**/a').join('/')}/b`;
const FETCH = 'export const f = () => fetch(url);\n';

describe('language server: .failpath.json globs match as in the CLI; a .gitignore line beyond the bound is left out', () => {
  let client: TestClient;
  const ws = workspace();
  const write = (rel: string, text = FETCH) => {
    fs.mkdirSync(path.dirname(path.join(ws.root, rel)), { recursive: true });
    fs.writeFileSync(path.join(ws.root, rel), text);
  };
  before(async () => {
    // "generated" and "*.gen.ts" match only at the top (picomatch), not at any depth (git)
    write('.failpath.json', JSON.stringify({ ignore: ['generated', '*.gen.ts', 'src/skip.ts', SIXTEEN] }));
    write('.gitignore', `${SIXTEEN}\nout/\n`);
    for (const f of ['src/generated/x.ts', 'src/a.gen.ts', 'src/skip.ts', 'out/o.ts', `${Array(32).fill('a').join('/')}/c.ts`]) write(f);
    client = await startServer({ rootUri: `file://${ws.root}`, capabilities: PROGRESS });
  });
  after(async () => {
    await client.shutdown();
    fs.rmSync(ws.root, { recursive: true, force: true });
  });

  it('the editor reports the files the CLI reports', async () => {
    const codes = async (rel: string) => {
      client.open(ws.uri(rel), FETCH);
      return (await client.diagnosticsAt(ws.uri(rel), 1)).diagnostics.map((d) => d.code);
    };
    assert.deepEqual(await codes('src/generated/x.ts'), ['missing-timeout']);
    assert.deepEqual(await codes('src/a.gen.ts'), ['missing-timeout']);
    assert.deepEqual(await codes('src/skip.ts'), []);
    const cli = spawnSync(process.execPath, [path.join(REPO, 'dist', 'cli.js'), 'check', '--format', 'json'], { cwd: ws.root, encoding: 'utf8' });
    const files = [...new Set(JSON.parse(cli.stdout).findings.map((f: { file: string }) => f.file))];
    assert.deepEqual(files, [`${Array(32).fill('a').join('/')}/c.ts`, 'src/a.gen.ts', 'src/generated/x.ts']);
    assert.equal(cli.stderr, `failpath: skipped ${path.join(ws.root, '.gitignore')}: line 1 not applied: a pattern with more than 1 "**" before its last segment, or longer than 1000 characters, cannot be matched in bounded time\n`);
  });

  it('the workspace scan logs the .gitignore line it left out, once, and completes', async () => {
    const line = await client.logs.wait((l) => l.message.startsWith(`Workspace scan skipped ${path.join(ws.root, '.gitignore')}`), 'the .gitignore log line', 30_000);
    assert.equal(line.message, `Workspace scan skipped ${path.join(ws.root, '.gitignore')}: line 1 not applied: a pattern with more than 1 "**" before its last segment, or longer than 1000 characters, cannot be matched in bounded time`);
    await client.progress.wait((p) => p.kind === 'end', 'the end of the workspace scan', 30_000);
    assert.equal(client.logs.items.filter((l) => l.message.includes('.gitignore')).length, 1);
  });
});

describe('language server: a pnpm-lock.yaml with 1 MiB lines (break 8a: a 146 KB line held the first diagnostics for 31 s)', () => {
  let client: TestClient;
  const ws = workspace();
  before(async () => {
    writeLongLineLockfileWorkspace(ws.root);
    client = await startServer({ rootUri: `file://${ws.root}` });
  });
  after(async () => {
    await client.shutdown();
    fs.rmSync(ws.root, { recursive: true, force: true });
  });

  it('the first diagnostics follow the versions read around the long lines: Express 4.21.2 gets the finding, 5.1.0 none', { timeout: 300_000 }, async () => {
    // both packages declare "express": "*" and hold the same file: only the lockfile tells them apart
    const shown = async (rel: string) => {
      client.open(ws.uri(rel), HANDLER);
      const { diagnostics } = await client.diagnosticsAt(ws.uri(rel), 1, 240_000);
      return diagnostics.map((d) => [d.code, d.severity, d.range, d.message]);
    };
    assert.deepEqual(await shown('src/app.ts'), [['no-fallback', 2, { start: { line: 5, character: 18 }, end: { line: 5, character: 28 } }, `${EXPRESS4_MESSAGE} (reached from GET /u)`]]);
    assert.deepEqual(await shown('packages/api/src/app.ts'), []);
    assert.equal(client.child.exitCode, null);
    assert.equal(client.stderr, '');
  });
});

describe('language server: a code-action request over thousands of findings builds fixes for at most 50 of them (fuzz seed 20261211 #25566: 20,516 actions, 21 MB, 20 s of CPU)', () => {
  let client: TestClient;
  const ws = workspace();
  before(async () => {
    fs.writeFileSync(path.join(ws.root, 'package.json'), JSON.stringify({ name: 'svc', dependencies: { express: '^4.21.0' } }));
    client = await startServer({ rootUri: `file://${ws.root}` });
  });
  after(async () => {
    await client.shutdown();
    fs.rmSync(ws.root, { recursive: true, force: true });
  });

  it('the quick fixes of the first 50 findings in the range, in document order; documentation once per rule', async () => {
    const uri = `file://${ws.root}/src/many.ts`;
    const lines = Array.from({ length: 400 }, (_, i) => `export const f${i} = () => fetch(\`https://api.test/${i}\`);`);
    client.open(uri, `${lines.join('\n')}\n`);
    const published = await client.waitForDiagnostics(uri);
    assert.equal(published.diagnostics.length, 400);
    const actions = (await client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 400, character: 0 } },
      context: { diagnostics: published.diagnostics, only: [CodeActionKind.QuickFix] },
    })) as CodeAction[];
    const fixed = new Set(actions.filter((a) => a.edit).flatMap((a) => (a.diagnostics ?? []).map((d) => d.range.start.line)));
    assert.deepEqual([...fixed].sort((a, b) => a - b), Array.from({ length: 50 }, (_, i) => i));
    assert.deepEqual(actions.filter((a) => a.command).map((a) => a.title), ['Show documentation for missing-timeout']);
  });
});
