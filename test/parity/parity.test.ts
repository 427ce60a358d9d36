/**
 * Parity (issue 13): the same folder through the language server (dist/server.js: its workspace
 * scan on the scan worker, then every file opened in the editor) and through the CLI
 * (`dist/cli.js check --format json`, in process and on worker threads) gives the same findings:
 * rule, file, range and message. The three build the same Session (project model) for the
 * folder: in the CLI's main thread, from a snapshot in the CLI's workers, on the server's scan
 * worker and from its snapshot on the server's main thread.
 *
 * Waits on events only (the end of the scan's $/progress, each document's diagnostics).
 */
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { PUSH_CLIENT, REPO, ensureBuilt, startServer } from '../lsp/helpers';
import { discoverFiles } from '../../server/src/engine/files';

const CLI = path.join(REPO, 'dist', 'cli.js');
const PROJECTS = path.join(REPO, 'test', 'fixtures', 'projects');
const made: string[] = [];
after(() => { for (const d of made.splice(0)) fs.rmSync(d, { recursive: true, force: true }); });

/** One finding, as both hosts can say it: 1-based line and column (UTF-16), message without the editor's route impact. */
interface Seen { rule: string; file: string; line: number; column: number; endLine: number; endColumn: number; message: string }

function key(f: Seen): string {
  return `${f.file}:${f.line}:${f.column}-${f.endLine}:${f.endColumn} ${f.rule} ${f.message}`;
}

function ensureCli(): void {
  ensureBuilt();
  const src = fs.statSync(path.join(REPO, 'dist', 'server.js')).mtimeMs;
  if (fs.existsSync(CLI) && fs.statSync(CLI).mtimeMs >= src - 60_000) return;
  const r = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: REPO, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
}

/** A copy of a project (node_modules left out) in a fresh temporary folder, with extra files. */
function project(from: string, extra: Record<string, string> = {}): string {
  const root = path.join(fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'failpath-parity-'))), path.basename(from));
  made.push(path.dirname(root));
  fs.cpSync(from, root, { recursive: true, filter: (src) => path.basename(src) !== 'node_modules' });
  for (const [rel, text] of Object.entries(extra)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  return root;
}

function viaCli(root: string, env: Record<string, string> = {}): Seen[] {
  const r = spawnSync(process.execPath, [CLI, 'check', '--format', 'json', '.'], { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env } });
  assert.ok(r.status === 0 || r.status === 1, `cli exited ${r.status}: ${r.stderr}`);
  const out = JSON.parse(r.stdout) as { findings: Seen[] };
  return out.findings.map(({ rule, file, line, column, endLine, endColumn, message }) => ({ rule, file, line, column, endLine, endColumn, message })).sort((a, b) => key(a).localeCompare(key(b)));
}

const LANGUAGE: Record<string, string> = { '.ts': 'typescript', '.mts': 'typescript', '.cts': 'typescript', '.tsx': 'typescriptreact', '.js': 'javascript', '.mjs': 'javascript', '.cjs': 'javascript', '.jsx': 'javascriptreact' };
const IMPACT = / \(reached from [^()]*\)$/;

async function viaServer(root: string): Promise<Seen[]> {
  const client = await startServer({
    rootUri: pathToFileURL(root).href,
    workspaceFolders: [{ uri: pathToFileURL(root).href, name: path.basename(root) }],
    capabilities: { ...PUSH_CLIENT, window: { ...PUSH_CLIENT.window, workDoneProgress: true } },
  });
  try {
    await client.progress.wait((p) => p.kind === 'end', 'the end of the workspace scan', 60_000);
    const files = discoverFiles([root]).files;
    const seen: Seen[] = [];
    const from = client.diagnostics.items.length;
    for (const file of files) client.open(pathToFileURL(file).href, fs.readFileSync(file, 'utf8'), LANGUAGE[path.extname(file)] ?? 'typescript');
    for (const file of files) {
      const uri = pathToFileURL(file).href;
      const published = await client.waitForDiagnostics(uri, (p) => p.version === 1, 30_000, from);
      for (const d of published.diagnostics) {
        seen.push({
          rule: String(d.code), file: path.relative(root, file).split(path.sep).join('/'),
          line: d.range.start.line + 1, column: d.range.start.character + 1, endLine: d.range.end.line + 1, endColumn: d.range.end.character + 1,
          message: (typeof d.message === 'string' ? d.message : d.message.value).replace(IMPACT, ''),
        });
      }
    }
    return seen.sort((a, b) => key(a).localeCompare(key(b)));
  } finally {
    await client.shutdown();
  }
}

/** A Remix route module whose loader calls out without a deadline and whose component and hook do too (browser code). */
const REMIX_QUOTES = [
  "import { useEffect, useState } from 'react';",
  "import { logger } from '~/services/logger.server';",
  'export async function loader() {',
  "  const res = await fetch('https://api.example.com/quotes');",
  "  try { return await res.json(); } catch (err) { console.error(err); return []; }",
  '}',
  'export function useQuotes() {',
  '  const [q, setQ] = useState([]);',
  "  useEffect(() => { fetch('/api/quotes').then((r) => r.json()).then(setQ).catch(() => {}); }, []);",
  '  return q;',
  '}',
  'export default function Quotes() {',
  '  const q = useQuotes();',
  "  const reload = async () => { await fetch('/api/quotes'); logger.info('reloaded'); };",
  '  return <ul onClick={reload}>{q.length}</ul>;',
  '}',
  '',
].join('\n');

/**
 * pnpm-mono extras: a job that calls out without a deadline (server code), and a check that does
 * too but is test code by the module graph only (it imports a helper that imports vitest; its name
 * says nothing): a host without the Session would report it.
 */
const PNPM_EXTRA = {
  'services/worker/src/jobs/refund.ts': [
    "import { logger } from '@pm/logger';",
    '',
    'export async function refund(id: string): Promise<void> {',
    "  const res = await fetch(`http://payments.internal/refunds/${id}`, { method: 'POST' });",
    "  logger.info({ id, status: res.status }, 'refund sent');",
    '}',
    '',
  ].join('\n'),
  'services/worker/src/support/harness.ts': "import { vi } from 'vitest';\n\nexport const stubFetch = () => vi.stubGlobal('fetch', vi.fn());\n",
  'services/worker/src/checks/refund.check.ts': "import { stubFetch } from '../support/harness.js';\nimport { refund } from '../jobs/refund.js';\n\nstubFetch();\nawait fetch('http://payments.internal/health');\nawait refund('r1');\n",
};

/** Issue 13's process-health difference: the server starts in one file, its handlers are registered in another. */
const SPLIT_PROCESS = {
  'package.json': JSON.stringify({ name: 'split', dependencies: { express: '^4.19.0' } }),
  // a route whose fetch has no deadline: the folder has findings (the console.error just before process.exit is not one since rules-c)
  'src/server.ts': "import express from 'express';\nimport './lifecycle';\nconst app = express();\napp.get('/healthz', (_req, res) => { res.send('ok'); });\napp.get('/quote', async (_req, res) => { const r = await fetch('https://api.example.com/quote'); res.json(await r.json()); });\napp.listen(3000);\n",
  'src/lifecycle.ts': "process.on('SIGTERM', () => process.exit(0));\nprocess.on('unhandledRejection', (err) => { console.error(err); process.exit(1); });\n",
};

/** A project that declares its own libraries in .failpath.json "knowledge" (test/cli/knowledge.test.ts has the control). */
const DECLARED = {
  'package.json': JSON.stringify({ name: 'declared', dependencies: { express: '^4.19.0', '@acme/http': '^1.0.0' } }),
  '.failpath.json': JSON.stringify({
    flags: { 'quotes-v2': { expires: '2020-01-01' } },
    knowledge: {
      limiters: [{ module: './src/guards', exports: ['shield'] }],
      flagHelpers: [{ module: './src/rollout', export: 'gate' }],
      httpClients: [{ module: '@acme/http', factory: 'createClient', timeoutOption: 'timeoutMs', calls: [{ method: 'get', options: 1 }] }],
    },
  }),
  'src/guards.ts': 'export function shield(_req: unknown, _res: unknown, next: () => void): void { next(); }\n',
  'src/rollout.ts': 'export function gate(key: string): boolean { return key.length > 0; }\n',
  'src/app.ts': "import express from 'express';\nimport { createClient } from '@acme/http';\nimport { shield } from './guards';\nimport { gate } from './rollout';\nconst app = express();\nconst api = createClient({ baseUrl: 'https://api.example.com' });\napp.get('/healthz', (_req, res) => { res.send('ok'); });\napp.post('/login', shield, async (_req, res) => { res.json(gate('quotes-v2') ? await api.get('/v2') : null); });\nprocess.on('SIGTERM', () => process.exit(0));\nprocess.on('unhandledRejection', (err) => { console.error(err); process.exit(1); });\napp.listen(3000);\n",
};

const CASES: { name: string; root: () => string; expect?: (findings: Seen[]) => void }[] = [
  { name: 'remix-alias (tsconfig ~/ alias, route modules with components)', root: () => project(path.join(PROJECTS, 'remix-alias'), { 'app/routes/quotes.tsx': REMIX_QUOTES }),
    expect: (f) => {
      const quotes = f.filter((x) => x.file === 'app/routes/quotes.tsx');
      // the loader's fetch is server code; the hook's and the component's are browser code
      assert.deepEqual(quotes.filter((x) => x.rule === 'missing-timeout').map((x) => x.line), [4]);
    } },
  { name: 'nest-alias (@app/* + baseUrl)', root: () => project(path.join(PROJECTS, 'nest-alias')) },
  { name: 'monorepo (npm workspaces, references, exports)', root: () => project(path.join(PROJECTS, 'monorepo')) },
  { name: 'pnpm-mono (pnpm-workspace.yaml, #imports, NodeNext; a check that is test code by the graph only)', root: () => project(path.join(PROJECTS, 'pnpm-mono'), PNPM_EXTRA),
    expect: (f) => assert.deepEqual(f.filter((x) => x.rule === 'missing-timeout').map((x) => `${x.file}:${x.line}`), ['services/worker/src/jobs/refund.ts:4']) },
  { name: 'js-require (CommonJS, jsconfig paths)', root: () => project(path.join(PROJECTS, 'js-require')) },
  { name: 'extends-pkg (tsconfig extends a package, paths without baseUrl)', root: () => project(path.join(PROJECTS, 'extends-pkg')) },
  { name: 'examples/shop-api', root: () => project(path.join(REPO, 'examples', 'shop-api')), expect: (f) => assert.ok(f.length >= 10, `shop-api has findings (${f.length})`) },
  { name: 'process handlers in another file than listen() (issue 13: 2 warnings in the editor, 0 in the CLI)', root: () => project(fs.mkdtempSync(path.join(os.tmpdir(), 'failpath-split-')), SPLIT_PROCESS),
    expect: (f) => assert.deepEqual(f.map((x) => `${x.rule} ${x.file}:${x.line}`), ['missing-timeout src/server.ts:5', 'no-fallback src/server.ts:5']) },
  { name: '.failpath.json "knowledge": a declared limiter, flag helper and HTTP client', root: () => { const from = fs.mkdtempSync(path.join(os.tmpdir(), 'failpath-declared-')); made.push(from); return project(from, DECLARED); },
    expect: (f) => assert.deepEqual(f.map((x) => `${x.rule} ${x.file}:${x.line}`), ['missing-timeout src/app.ts:6', 'stale-flag src/app.ts:8']) },
];

describe('parity: the language server and the CLI give the same findings on the same folder', () => {
  ensureCli();
  const table: string[] = [];
  after(() => { if (process.env.FAILPATH_PARITY_TABLE) fs.writeFileSync(process.env.FAILPATH_PARITY_TABLE, table.join('\n') + '\n'); });
  for (const c of CASES) {
    it(c.name, async () => {
      const root = c.root();
      const cli = viaCli(root);
      const workers = viaCli(root, { FAILPATH_WORKER_THRESHOLD: '1' });
      const server = await viaServer(root);
      assert.deepEqual(workers.map(key), cli.map(key), 'CLI on worker threads = CLI in process');
      assert.deepEqual(server.map(key), cli.map(key), 'language server = CLI');
      assert.ok(cli.length > 0, 'the folder has findings, so their equality says something');
      c.expect?.(cli);
      const rules = [...new Set(cli.map((f) => f.rule))].sort().join(', ');
      table.push(`| ${c.name} | ${discoverFiles([root]).files.length} | ${cli.length} | ${workers.length} | ${server.length} | ${rules || '—'} |`);
    });
  }
});
