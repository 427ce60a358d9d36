/**
 * "Generate failure test" over LSP: offered as a `refactor` on an external call (and only when
 * refactors are wanted), its WorkspaceEdit creates the new test file (CreateFile that never
 * overwrites and leaves an existing file alone, then the text), in the project's test folder;
 * without a mocking library it is a command that copies the install command. On a hostile
 * repository the file stays inside the workspace folder and never lands on an existing name; with
 * no safe place the action is disabled with its reason (or left out for clients without
 * `disabledSupport`).
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { pathToFileURL } from 'node:url';
import type { CodeAction, Range, CreateFile, TextDocumentEdit } from 'vscode-languageserver-protocol/node';
import { startServer, workspace, byTitle, titles, PUSH_CLIENT, type TestClient } from './helpers';

const range = (l1: number, c1: number, l2 = l1, c2 = c1): Range => ({ start: { line: l1, character: c1 }, end: { line: l2, character: c2 } });

const RATES = `const RATES_URL = process.env.RATES_URL ?? 'https://rates.example.com';

export async function latestRates(): Promise<unknown> {
  try {
    const res = await fetch(\`\${RATES_URL}/latest\`, { signal: AbortSignal.timeout(2000) });
    return await res.json();
  } catch {
    return null;
  }
}
`;

const TITLE = 'Generate failure test for fetch (timeout / 5xx / connection refused)';

describe('language server: Generate failure test', () => {
  let client: TestClient;
  const ws = workspace({ vitest: '^3.0.0', undici: '^6.21.0' });
  const bare = workspace({ express: '^4.21.0' });
  before(async () => {
    fs.mkdirSync(path.join(ws.root, 'tests'), { recursive: true });
    fs.writeFileSync(path.join(ws.root, 'tests', 'health.test.ts'), "import { it } from 'vitest';\nit('works', () => {});\n");
    // two workspace folders: the action works only inside one
    const folders = [ws, bare].map((w, i) => ({ uri: pathToFileURL(w.root).href, name: `f${i}` }));
    client = await startServer({ rootUri: pathToFileURL(ws.root).href, workspaceFolders: folders });
  });
  after(async () => {
    await client.shutdown();
    fs.rmSync(ws.root, { recursive: true, force: true });
    fs.rmSync(bare.root, { recursive: true, force: true });
  });

  it('a refactor on the external call whose edit creates the test beside the project\'s tests (vitest, undici MockAgent)', async () => {
    const uri = ws.uri('src/rates.ts');
    client.open(uri, RATES);
    await client.diagnosticsAt(uri, 1);
    const actions = await client.codeActions(uri, range(4, 24), { only: ['refactor'] });
    assert.deepEqual(titles(actions), [TITLE]);
    const action = byTitle(actions, TITLE) as CodeAction;
    assert.equal(action.kind, 'refactor');
    assert.equal(action.isPreferred, undefined);
    const changes = action.edit!.documentChanges!;
    assert.equal(changes.length, 2);
    const created = pathToFileURL(path.join(ws.root, 'tests', 'rates.latestRates.failure.test.ts')).href;
    assert.deepEqual(changes[0], { kind: 'create', uri: created, options: { overwrite: false, ignoreIfExists: true } } satisfies CreateFile);
    const insert = changes[1] as TextDocumentEdit;
    assert.deepEqual(insert.textDocument, { uri: created, version: null });
    assert.equal(insert.edits.length, 1);
    assert.deepEqual(insert.edits[0].range, range(0, 0));
    const text = (insert.edits[0] as { newText: string }).newText;
    assert.equal(text, EXPECTED);
    const sf = ts.createSourceFile('t.ts', text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
    assert.deepEqual((sf as unknown as { parseDiagnostics: unknown[] }).parseDiagnostics, []);
  });

  it('offered with all actions (no `only`), never for quick fixes only, and not away from an external call', async () => {
    const uri = ws.uri('src/rates.ts');
    assert.ok(titles(await client.codeActions(uri, range(4, 24))).includes(TITLE));
    assert.deepEqual(titles(await client.codeActions(uri, range(4, 24), { only: ['quickfix'] })), []);
    // the next line is no external call (the flag-guard refactor may be offered there, not this one)
    assert.deepEqual(titles(await client.codeActions(uri, range(5, 4), { only: ['refactor'] })).filter((t) => t.startsWith('Generate failure test')), []);
  });

  it('without a mocking library: says which packages it would use and copies the install command', async () => {
    const uri = bare.uri('src/rates.ts');
    client.open(uri, RATES);
    await client.diagnosticsAt(uri, 1);
    const actions = await client.codeActions(uri, range(4, 24), { only: ['refactor'] });
    const title = 'Generate failure test for fetch: needs undici, tsx (copy `npm install --save-dev undici tsx`)';
    assert.deepEqual(titles(actions), [title]);
    const action = actions![0] as CodeAction;
    assert.equal(action.kind, 'refactor');
    assert.equal(action.edit, undefined);
    assert.deepEqual(action.command, {
      title,
      command: 'failpath.copyInstallCommand',
      arguments: [{ command: 'npm install --save-dev undici tsx', reason: "Failpath's failure test for fetch needs undici, tsx" }],
    });
  });
});

describe('language server: Generate failure test on a hostile repository', () => {
  const DISABLED_CLIENT = { ...PUSH_CLIENT, textDocument: { ...PUSH_CLIENT.textDocument, codeAction: { ...PUSH_CLIENT.textDocument!.codeAction, disabledSupport: true } } };
  const deps = { vitest: '^3.0.0', undici: '^6.21.0' };
  const clients: TestClient[] = [];
  const dirs: string[] = [];
  after(async () => {
    for (const c of clients) await c.shutdown();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  async function start(root: string, disabledSupport: boolean): Promise<TestClient> {
    const c = await startServer({ rootUri: pathToFileURL(root).href, capabilities: disabledSupport ? DISABLED_CLIENT : PUSH_CLIENT });
    clients.push(c);
    return c;
  }

  async function refactors(c: TestClient, uri: string): Promise<CodeAction[]> {
    c.open(uri, RATES);
    await c.diagnosticsAt(uri, 1);
    return ((await c.codeActions(uri, range(4, 24), { only: ['refactor'] })) ?? []) as CodeAction[];
  }

  it('the workspace folder has no package.json, its parent has: disabled with the reason, no edit; left out without disabledSupport', async () => {
    const parent = workspace(deps);
    dirs.push(parent.root);
    const folder = path.join(parent.root, 'app');
    fs.mkdirSync(folder);
    const uri = parent.uri('app/src/rates.ts');
    const reason = `The project folder ${parent.root} (where its package.json is) is outside the workspace folder; Failpath creates tests only inside it.`;
    assert.deepEqual(await refactors(await start(folder, true), uri), [{ title: TITLE, kind: 'refactor', disabled: { reason } }]);
    assert.deepEqual(titles(await refactors(await start(folder, false), uri)), []);
  });

  it('test/ is a symbolic link to elsewhere: disabled, nothing offered that writes there', async () => {
    const ws2 = workspace(deps);
    const elsewhere = workspace();
    dirs.push(ws2.root, elsewhere.root);
    fs.symlinkSync(elsewhere.root, path.join(ws2.root, 'test'));
    const actions = await refactors(await start(ws2.root, true), ws2.uri('src/rates.ts'));
    assert.deepEqual(actions, [{ title: TITLE, kind: 'refactor', disabled: { reason: `No safe place for the test: test is outside the workspace folder (through a symbolic link, it is ${elsewhere.root}).` } }]);
  });

  it('a link planted at the test\'s name (to a file outside): the next free name, created with ignoreIfExists', async () => {
    const ws2 = workspace(deps);
    const elsewhere = workspace();
    dirs.push(ws2.root, elsewhere.root);
    const secret = path.join(elsewhere.root, 'authorized_keys');
    fs.writeFileSync(secret, 'ssh-ed25519 AAAA\n');
    fs.mkdirSync(path.join(ws2.root, 'test'));
    fs.symlinkSync(secret, path.join(ws2.root, 'test', 'rates.latestRates.failure.test.ts'));
    const action = byTitle(await refactors(await start(ws2.root, true), ws2.uri('src/rates.ts')), TITLE);
    const created = pathToFileURL(path.join(ws2.root, 'test', 'rates.latestRates-2.failure.test.ts')).href;
    assert.deepEqual(action.edit!.documentChanges![0], { kind: 'create', uri: created, options: { overwrite: false, ignoreIfExists: true } } satisfies CreateFile);
    assert.deepEqual((action.edit!.documentChanges![1] as TextDocumentEdit).textDocument, { uri: created, version: null });
    assert.equal(action.edit!.documentChanges!.length, 2);
    assert.equal(fs.readFileSync(secret, 'utf8'), 'ssh-ed25519 AAAA\n');
  });
});

const EXPECTED = `// Generated by Failpath: what latestRates() does when fetch fails (timeout / 5xx / connection refused).
// The code promises: it falls back to null, within its deadline.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MockAgent, getGlobalDispatcher, setGlobalDispatcher, type Dispatcher } from 'undici';
import { latestRates } from '../src/rates';

/** The deadline the code gives the call. */
const DEADLINE_MS = 2000;
/** A reply slower than the deadline. */
const SLOW_REPLY_MS = DEADLINE_MS + 1000;
const GRACE_MS = 500;

const ORIGIN = 'https://rates.example.com';
let agent: MockAgent;
let previous: Dispatcher;
const endpoint = () => agent.get(ORIGIN).intercept({ path: '/latest', method: 'GET' });

describe('latestRates() when fetch fails', () => {
  beforeEach(async () => {
    previous = getGlobalDispatcher();
    agent = new MockAgent();
    agent.disableNetConnect();
    setGlobalDispatcher(agent);
  });

  afterEach(async () => {
    setGlobalDispatcher(previous);
    await agent.close();
  });

  it('timeout: falls back to null', async () => {
    endpoint().reply(200, {}).delay(SLOW_REPLY_MS);
    const started = Date.now();
    const result = await latestRates();
    expect(result).toEqual(null);
    expect(Date.now() - started < DEADLINE_MS + GRACE_MS, \`still waiting after the \${DEADLINE_MS} ms deadline\`).toBe(true);
  }, 5000);

  it('503 from the dependency: falls back to null', async () => {
    endpoint().reply(503, { error: 'unavailable' });
    const started = Date.now();
    const result = await latestRates();
    expect(result).toEqual(null);
    expect(Date.now() - started < DEADLINE_MS, \`took longer than the \${DEADLINE_MS} ms deadline to fail\`).toBe(true);
  }, 4000);

  it('connection refused: falls back to null', async () => {
    endpoint().replyWithError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:443'), { code: 'ECONNREFUSED' }));
    const started = Date.now();
    const result = await latestRates();
    expect(result).toEqual(null);
    expect(Date.now() - started < DEADLINE_MS, \`took longer than the \${DEADLINE_MS} ms deadline to fail\`).toBe(true);
  }, 4000);
});
`;
