/**
 * `.failpath.json` "knowledge" through the CLI as users run it (dist/cli.js: the Session applies
 * the declarations to every file's view). One project, checked and fixed twice: without the
 * declarations (the control: Failpath cannot learn these modules from the code) and with them.
 * Each declaration changes exactly what it should:
 * - the logger (`~/lib/out` through a tsconfig alias, pino style): the console fix imports it by
 *   that alias and calls it object-first;
 * - the limiter (`shield`): missing-rate-limit is silent on the app whose login route uses it;
 * - the flag helper (`gate`): its check of an expired flag is a stale-flag finding;
 * - the HTTP clients: `createClient()` of `@acme/http` without `timeoutMs` is reported once at the
 *   factory, `fetchQuote()` without `deadlineMs` at the call, and the fixes write those options.
 * And bad declarations are printed at their line:column, the rest of the check unchanged.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const CLI = path.join(__dirname, '..', '..', 'dist', 'cli.js');

const FILES: Record<string, string> = {
  'package.json': '{ "name": "svc", "version": "1.0.0", "dependencies": { "express": "^4.19.0", "@acme/http": "^1.0.0" } }\n',
  'tsconfig.json': '{ "compilerOptions": { "strict": true, "baseUrl": ".", "paths": { "~/*": ["src/*"] } } }\n',
  'src/lib/out.ts': 'export const out = {\n  error(fields: object, msg: string): void { process.stderr.write(`${msg} ${JSON.stringify(fields)}\\n`); },\n};\n',
  'src/lib/guards.ts': 'export function shield(_req: unknown, _res: unknown, next: () => void): void { next(); }\n',
  'src/lib/rollout.ts': 'export function gate(key: string): boolean { return key.length > 0; }\n',
  'src/lib/quotes.ts': 'export async function fetchQuote(id: string, options: { retries?: number; deadlineMs?: number } = {}): Promise<unknown> {\n  return { id, options };\n}\n',
};

const APP = [
  "import express from 'express';",
  "import { createClient } from '@acme/http';",
  "import { fetchQuote } from './lib/quotes';",
  "import { shield } from './lib/guards';",
  "import { gate } from './lib/rollout';",
  '',
  'const app = express();',
  "const api = createClient({ baseUrl: 'https://api.example.com' });",
  '',
  "app.post('/login', shield, async (req, res) => {",
  '  try {',
  "    if (gate('quotes-v2')) {",
  "      res.json(await fetchQuote('v2', { retries: 1 }));",
  '      return;',
  '    }',
  "    res.json(await api.get('/v1'));",
  '  } catch (err) {',
  "    console.error('login failed', err);",
  '    res.status(500).end();',
  '  }',
  '});',
  '',
  'app.listen(3000);',
  '',
].join('\n');

const REGISTRY = { 'quotes-v2': { expires: '2020-01-01' } };

const KNOWLEDGE = {
  loggers: [{ module: '~/lib/out', export: 'out', style: 'pino' }],
  limiters: [{ module: './src/lib/guards', exports: ['shield'] }],
  flagHelpers: [{ module: './src/lib/rollout', export: 'gate' }],
  httpClients: [
    { module: '@acme/http', factory: 'createClient', timeoutOption: 'timeoutMs', calls: [{ method: 'get', options: 1 }] },
    { module: './src/lib/quotes', timeoutOption: 'deadlineMs', calls: [{ method: 'fetchQuote', options: 1 }] },
  ],
};

const made: string[] = [];

function project(config: object): string {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'failpath-knowledge-')));
  made.push(root);
  for (const [rel, text] of Object.entries({ ...FILES, 'src/app.ts': APP, '.failpath.json': `${JSON.stringify(config, null, 2)}\n` })) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  return root;
}

function cli(root: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function findings(root: string): string[] {
  const r = cli(root, ['check', '--format', 'json', '.']);
  assert.equal(r.stderr, '');
  return (JSON.parse(r.stdout) as { findings: { rule: string; file: string; line: number; column: number; message: string }[] }).findings
    .map((f) => `${f.rule} ${f.file}:${f.line}:${f.column} ${f.message}`);
}

const PROCESS_HEALTH = [
  'process-health src/app.ts:23:1 This process starts the server but has no graceful shutdown on SIGTERM: in-flight requests are cut on every deploy.',
  'process-health src/app.ts:23:1 This process starts the server but has no unhandledRejection/uncaughtException handler that logs: the process dies or limps on without a trace.',
  'process-health src/app.ts:23:1 This process starts the server but has no health route (/healthz) for the orchestrator to probe: a hung process keeps receiving traffic.',
];
const UNSTRUCTURED = 'unstructured-log src/app.ts:18:5 console.error() writes an unstructured line: no level to alert on, no fields to query, no request id to follow. Use the structured logger.';

before(() => assert.ok(fs.existsSync(CLI), 'run `npm run build` first: this suite drives dist/cli.js'));
after(() => { for (const d of made.splice(0)) fs.rmSync(d, { recursive: true, force: true }); });

describe('failpath check / fix: .failpath.json "knowledge"', () => {
  it('control (no declarations): the limiter is unknown, the flag helper, the clients and the logger too', () => {
    const root = project({ flags: REGISTRY });
    assert.deepEqual(findings(root), [
      'missing-rate-limit src/app.ts:7:13 Express app `app` has no rate limiter in its middleware chain and the project depends on none: one client can exhaust it. It serves sensitive routes (POST /login) that attackers hammer. Add express-rate-limit (`app.use(rateLimit({ windowMs, limit }))`).',
      UNSTRUCTURED,
      ...PROCESS_HEALTH,
    ]);
    const r = cli(root, ['fix', '.']);
    assert.deepEqual([r.status, r.stdout, r.stderr], [0, '', 'fixed 0 findings in 0 files\n']);
    assert.equal(fs.readFileSync(path.join(root, 'src/app.ts'), 'utf8'), APP);
  });

  it('declared: limiter silences missing-rate-limit, the flag helper is checked, both clients are judged, the fixes use them and the logger', () => {
    const root = project({ flags: REGISTRY, knowledge: KNOWLEDGE });
    assert.deepEqual(findings(root), [
      'missing-timeout src/app.ts:8:13 createClient() without a timeout: @acme/http waits forever by default, so every request through this instance hangs as long as the remote service does. Give the instance a deadline (10000 ms, setting failpath.timeoutMs).',
      "stale-flag src/app.ts:12:14 Flag 'quotes-v2' expired on 2020-01-01: remove the check and keep the branch that shipped.",
      'missing-timeout src/app.ts:13:22 fetchQuote() has no timeout: if the remote service hangs, this call waits forever and holds the caller, its socket and memory. Give it a deadline (10000 ms by default, setting failpath.timeoutMs).',
      UNSTRUCTURED,
      ...PROCESS_HEALTH,
    ]);
    const r = cli(root, ['fix', '.']);
    assert.deepEqual([r.status, r.stdout, r.stderr], [0, '', 'fixed 3 findings in 1 file\n']);
    assert.equal(fs.readFileSync(path.join(root, 'src/app.ts'), 'utf8'), APP
      .replace("import { gate } from './lib/rollout';\n", "import { gate } from './lib/rollout';\nimport { out } from '~/lib/out';\n")
      .replace("createClient({ baseUrl: 'https://api.example.com' })", "createClient({ baseUrl: 'https://api.example.com', timeoutMs: 10000 })")
      .replace("fetchQuote('v2', { retries: 1 })", "fetchQuote('v2', { retries: 1, deadlineMs: 10000 })")
      .replace("console.error('login failed', err);", "out.error({ err }, 'login failed');"));
  });

  it('the readiness checklist counts the declared flag helper as a kill switch', () => {
    const without = cli(project({ flags: REGISTRY }), ['readiness', '--format', 'json', '.']);
    const withIt = cli(project({ flags: REGISTRY, knowledge: KNOWLEDGE }), ['readiness', '--format', 'json', '.']);
    const disable = (out: string) => {
      const login = (JSON.parse(out) as { features: { name: string; items: { item: string; status: string; why: string }[] }[] }).features.find((f) => f.name === 'login')!;
      const item = login.items.find((i) => i.item === 'disable')!;
      return [item.status, item.why];
    };
    assert.deepEqual(disable(without.stdout), ['fail', 'none of its 1 route is behind a feature flag']);
    assert.deepEqual(disable(withIt.stdout), ['warn', '1 of 1 route behind flag quotes-v2; 1 stale-flag']);
  });

  it('bad declarations are printed at their line:column and left out; the good ones still apply', () => {
    const root = project({
      flags: REGISTRY,
      knowledge: {
        loggers: [{ module: '~/lib/out', export: 'out', style: 'loud' }],
        limiters: [{ module: './src/lib/guards', exports: ['shield'] }],
        flagHelpers: [{ module: './src/lib/rollout' }],
        httpClients: [{ module: '@acme/http', factory: 'createClient', calls: [{ method: 'get', options: 9 }] }],
      },
    });
    const r = cli(root, ['check', '--format', 'json', '.']);
    assert.equal(r.stderr, [
      'failpath: .failpath.json:12:18: error: knowledge.loggers[0].style: expected the call shape of its methods: one of pino, bunyan, winston, log4js, nestjs (pino/bunyan: logger.error({ err }, \'msg\'); winston: logger.error(\'msg\', { error }); log4js: logger.error(\'msg\', err); nestjs: logger.error(\'msg\', stack))',
      'failpath: .failpath.json:24:7: error: knowledge.flagHelpers[0].export: required: the name the code uses',
      'failpath: .failpath.json:29:7: error: knowledge.httpClients[0].timeoutOption: required: the name the code uses',
      'failpath: .failpath.json:35:24: error: knowledge.httpClients[0].calls[0].options: expected the index (0-5) of the options argument',
      '',
    ].join('\n'));
    const rules = (JSON.parse(r.stdout) as { findings: { rule: string }[] }).findings.map((f) => f.rule);
    // the limiter applies (no missing-rate-limit); the rest is as without declarations
    assert.deepEqual(rules, ['unstructured-log', 'process-health', 'process-health', 'process-health']);
  });
});
