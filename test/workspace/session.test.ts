/**
 * workspace/session.ts and workspace/roles.ts on the fixture projects: one file-role classifier
 * (path conventions + the module graph + function-level browser spans), resolution through
 * aliases and workspace packages as the view answers it, snapshots that cross threads, and
 * incremental updates that equal a rebuild.
 */
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { Session, buildSessions, type SessionSnapshot } from '../../server/src/workspace/session';
import { browserSpans, isTestFileName, isTestPath, localRole, preloadTargets, projectRoles } from '../../server/src/workspace/roles';
import { isTestFile } from '../../server/src/engine/readiness/features';
import { isTestFileName as layoutTestFileName } from '../../server/src/engine/failureTest/layout';
import { analyze, parse } from '../../server/src/engine/analyze';
import { ProjectLoader } from '../../server/src/engine/project';
import { TOO_DEEP } from '../../server/src/engine/nesting';
import { cleanupTemp, copyProject, put, sourceFiles, tempDir } from './fixtures';

after(cleanupTemp);

/** Records without a prototype compared as plain objects. */
const plain = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

function sessionOf(root: string): Session {
  return Session.create(root, sourceFiles(root));
}

/** Roles by root-relative path. */
function rolesOf(session: Session): Record<string, string> {
  const snap = session.snapshot();
  return Object.fromEntries(snap.graph.files.map((f) => [path.relative(snap.root, f).split(path.sep).join('/'), snap.roles[f]]));
}

describe('roles: one classifier', () => {
  it('remix-alias: route modules are server code (their components are browser spans), root.tsx is browser, entry.server.tsx is server', () => {
    const root = copyProject('remix-alias');
    assert.deepEqual(rolesOf(sessionOf(root)), {
      'app/entry.server.tsx': 'server',
      'app/models/order.server.ts': 'server',
      'app/root.tsx': 'browser',
      'app/routes/healthcheck.tsx': 'server',
      'app/routes/orders.$id.tsx': 'server',
      'app/routes/orders._index.tsx': 'server',
      'app/services/flags.server.ts': 'server',
      'app/services/http.server.ts': 'server',
      'app/services/logger.server.ts': 'server',
      'app/utils/constants.ts': 'server',
    });
  });

  it('browser spans of a route module: the default-export component, not the loader', () => {
    const root = copyProject('remix-alias');
    const file = path.join(root, 'app/routes/orders.$id.tsx');
    const text = fs.readFileSync(file, 'utf8');
    const { view, sourceFile } = sessionOf(root).analysisInput(file, text);
    assert.equal(view.role, 'server');
    assert.ok(sourceFile, 'the parse made for the spans is handed on');
    assert.deepEqual(view.browserSpans.map((s) => text.slice(s.pos, s.end).split('\n')[0]), ['export default function OrderRoute() {']);
    assert.equal(text.slice(view.browserSpans[0].end - 2, view.browserSpans[0].end), '\n}'.slice(-2));
  });

  it('a component and a hook in a server module: rules that skip browser files skip them; the loader is still checked', () => {
    const root = copyProject('remix-alias');
    const file = put(root, 'app/routes/quotes.tsx', [
      "import { useEffect, useState } from 'react';",
      'export async function loader() {',
      "  const res = await fetch('https://api.example.com/quotes');",
      '  return res.json();',
      '}',
      'export function useQuotes() {',
      '  const [q, setQ] = useState([]);',
      "  useEffect(() => { fetch('/api/quotes').then((r) => r.json()).then(setQ); }, []);",
      '  return q;',
      '}',
      'export default function Quotes() {',
      '  const q = useQuotes();',
      "  const reload = async () => { await fetch('/api/quotes'); };",
      '  return <ul onClick={reload}>{q.length}</ul>;',
      '}',
      '',
    ].join('\n'));
    const text = fs.readFileSync(file, 'utf8');
    const session = sessionOf(root);
    const input = session.analysisInput(file, text);
    assert.deepEqual(input.view.browserSpans.map((s) => text.slice(s.pos, s.end).split('\n')[0]), ['export function useQuotes() {', 'export default function Quotes() {']);
    const timeouts = analyze({ text, fileName: file, ...input, only: new Set(['missing-timeout']) }).findings.map((f) => text.slice(0, f.start).split('\n').length);
    assert.deepEqual(timeouts, [3]);
    // without a Session (a lone file) the route module is read the same way
    assert.deepEqual(analyze({ text, fileName: file, only: new Set(['missing-timeout']) }).findings.map((f) => text.slice(0, f.start).split('\n').length), [3]);
  });

  it('test helpers by the graph: a helper importing a test runner, and what imports it, are test code; production stays server', () => {
    const root = tempDir();
    put(root, 'package.json', JSON.stringify({ name: 'svc', dependencies: { express: '^4.0.0' }, devDependencies: { vitest: '^2.0.0' } }));
    put(root, 'src/support/harness.ts', "import { vi } from 'vitest';\nexport const fakeClock = () => vi.useFakeTimers();\n");
    put(root, 'src/support/factories.ts', "import { fakeClock } from './harness';\nexport const makeOrder = () => { fakeClock(); return { id: 1 }; };\n");
    put(root, 'src/app.ts', "import express from 'express';\nexport const app = express();\n");
    put(root, 'src/orders.check.ts', "import { makeOrder } from './support/factories';\nimport { app } from './app';\nmakeOrder(); void app;\n");
    put(root, 'global-setup.ts', 'export default async function setup() {}\n');
    put(root, 'playwright.config.ts', 'export default {};\n');
    assert.deepEqual(rolesOf(sessionOf(root)), {
      'global-setup.ts': 'test',
      'playwright.config.ts': 'test',
      'src/app.ts': 'server',
      'src/orders.check.ts': 'test',
      'src/support/factories.ts': 'test',
      'src/support/harness.ts': 'test',
    });
  });

  it('browser by the graph: a module imported only by browser code is browser code; one shared with the server is not; a .server module never is', () => {
    const root = tempDir();
    put(root, 'package.json', JSON.stringify({ name: 'app', dependencies: { express: '^4.0.0', react: '^18.0.0', 'react-dom': '^18.0.0' } }));
    put(root, 'src/ui/Widget.tsx', "import { format } from './format';\nimport { cents } from '../shared/money';\nimport { secret } from '../data.server';\nexport function Widget() { return <b>{format(cents(1))}{secret}</b>; }\n");
    put(root, 'src/ui/format.ts', "import { pad } from './pad';\nexport const format = (n: number) => pad(String(n));\n");
    put(root, 'src/ui/pad.ts', "export const pad = (s: string) => s.padStart(4);\n");
    put(root, 'src/shared/money.ts', 'export const cents = (n: number) => n * 100;\n');
    put(root, 'src/data.server.ts', "export const secret = 'x';\n");
    put(root, 'src/server.ts', "import express from 'express';\nimport { cents } from './shared/money';\nexpress().get('/', (_req, res) => { res.json(cents(1)); });\n");
    assert.deepEqual(rolesOf(sessionOf(root)), {
      'src/data.server.ts': 'server',
      'src/server.ts': 'server',
      'src/shared/money.ts': 'server',
      'src/ui/Widget.tsx': 'browser',
      'src/ui/format.ts': 'browser',
      'src/ui/pad.ts': 'browser',
    });
  });

  it('bootstrap: --require/--import preload targets and what only they import; telemetry preloads by name', () => {
    const root = tempDir();
    put(root, 'package.json', JSON.stringify({
      name: 'svc',
      scripts: { start: 'node --require ./src/tracing.js dist/server.js', dev: 'NODE_OPTIONS="--import ./src/env-check.mjs" tsx src/server.ts' },
      dependencies: { express: '^4.0.0', '@opentelemetry/sdk-node': '^0.50.0' },
    }));
    put(root, 'src/tracing.ts', "import { sdkOptions } from './otel-options';\nimport { NodeSDK } from '@opentelemetry/sdk-node';\nnew NodeSDK(sdkOptions).start();\n");
    put(root, 'src/otel-options.ts', "export const sdkOptions = { serviceName: 'svc' };\n");
    put(root, 'src/env-check.mjs', "if (!process.env.DATABASE_URL) { console.error('DATABASE_URL is not set'); process.exit(1); }\n");
    put(root, 'src/instrumentation.ts', "import * as Sentry from '@sentry/node';\nSentry.init({});\n");
    put(root, 'src/server.ts', "import express from 'express';\nexpress().listen(3000);\n");
    assert.deepEqual(rolesOf(sessionOf(root)), {
      'src/env-check.mjs': 'bootstrap',
      'src/instrumentation.ts': 'bootstrap',
      'src/otel-options.ts': 'bootstrap',
      'src/server.ts': 'server',
      'src/tracing.ts': 'bootstrap',
    });
  });

  it('bootstrap: what the logger module imports runs before a logger exists', () => {
    const root = tempDir();
    const files = ['src/config.ts', 'src/env.ts', 'src/logger.ts', 'src/server.ts'].map((f) => path.join(root, f));
    const imports = (to: string[]) => to.map((t) => ({ specifier: t, kind: 'import' as const, pos: 0, to: { kind: 'file' as const, file: path.join(root, t) } }));
    const graph = {
      root, files, unread: [], packages: {}, packageUsers: {},
      imports: { [files[0]]: imports(['src/env.ts']), [files[1]]: [], [files[2]]: imports(['src/config.ts']), [files[3]]: imports(['src/logger.ts', 'src/config.ts']) },
      importers: { [files[0]]: [files[2], files[3]], [files[1]]: [files[0]], [files[2]]: [files[3]] },
    };
    const local = Object.fromEntries(files.map((f) => [f, { role: 'server' as const, reason: 'default' as const }]));
    assert.deepEqual(plain(projectRoles({ graph, local, loggerModule: files[2] })), { [files[0]]: 'bootstrap', [files[1]]: 'bootstrap', [files[2]]: 'server', [files[3]]: 'server' });
    assert.deepEqual(plain(projectRoles({ graph, local })), { [files[0]]: 'server', [files[1]]: 'server', [files[2]]: 'server', [files[3]]: 'server' });
  });

  it('bootstrap stops at a module that imports the logger: it runs with a logger, and so does what it leads to', () => {
    const root = tempDir();
    const files = ['src/config.ts', 'src/logger.ts', 'src/clients.ts', 'src/util.ts'].map((f) => path.join(root, f));
    const imports = (to: string[]) => to.map((t) => ({ specifier: t, kind: 'import' as const, pos: 0, to: { kind: 'file' as const, file: path.join(root, t) } }));
    // the logger module imports config and (for a helper) clients; clients imports the logger and util
    const graph = {
      root, files, unread: [], packages: {}, packageUsers: {},
      imports: { [files[0]]: [], [files[1]]: imports(['src/config.ts', 'src/clients.ts']), [files[2]]: imports(['src/logger.ts', 'src/util.ts']), [files[3]]: [] },
      importers: { [files[0]]: [files[1]], [files[1]]: [files[2]], [files[2]]: [files[1]], [files[3]]: [files[2]] },
    };
    const local = Object.fromEntries(files.map((f) => [f, { role: 'server' as const, reason: 'default' as const }]));
    assert.deepEqual(plain(projectRoles({ graph, local, loggerModule: files[1] })), { [files[0]]: 'bootstrap', [files[1]]: 'server', [files[2]]: 'server', [files[3]]: 'server' });
  });

  it("a monorepo's scripts package is script code (classified by the path inside its package)", () => {
    const root = copyProject('monorepo');
    put(root, 'packages/scripts/package.json', JSON.stringify({ name: '@acme/scripts', private: true }));
    put(root, 'packages/scripts/src/backfill.ts', "import { logger } from '@acme/logger';\nlogger.info('backfill');\n");
    const roles = rolesOf(sessionOf(root));
    assert.equal(roles['packages/scripts/src/backfill.ts'], 'script');
    assert.equal(roles['apps/api/src/routes/orders.ts'], 'server');
  });

  it("req.log is a package's own: a sibling package that mounts pino-http does not give it to the others", () => {
    const root = copyProject('monorepo');
    put(root, 'packages/web/package.json', JSON.stringify({ name: '@acme/web', private: true, dependencies: { express: '^4.21.0', 'pino-http': '^10.4.0' } }));
    put(root, 'packages/web/src/app.ts', "import express from 'express';\nimport pinoHttp from 'pino-http';\nexport const app = express();\napp.use(pinoHttp());\n");
    const session = sessionOf(root);
    assert.deepEqual(session.viewFor(path.join(root, 'packages/web/src/app.ts')).requestLoggers, ['req.log']);
    assert.deepEqual(session.viewFor(path.join(root, 'apps/api/src/routes/orders.ts')).requestLoggers, []);
  });

  // before: `export\s*\{[^}]*\b(loader|action)` read each unclosed `export {` to the end of the
  // text, 70 s for 1 MB (quadratic); the guard is 1,000x the time it takes now
  it('hostile text: a route module nested 3,000 brackets deep gets no parse from the Session (its guarded parse refuses it) and analyze() skips it with the nesting reason', () => {
    const root = copyProject('remix-alias');
    const text = `export async function loader() { return 1; }\nexport default function Deep() { return <div>{${'['.repeat(3000)}${']'.repeat(3000)}}</div>; }\n`;
    const file = put(root, 'app/routes/deep.tsx', text);
    // the unguarded parse and the span walk overflow the stack on this text (what the Session used before the merge)
    assert.throws(() => browserSpans(parse(text, file)), RangeError);
    const input = sessionOf(root).analysisInput(file, text);
    assert.deepEqual([input.view.role, input.view.browserSpans, 'sourceFile' in input], ['server', [], false]);
    assert.equal(analyze({ text, fileName: file, ...input }).skipped, TOO_DEEP);
  });

  it('hostile text: 2 MB of unclosed `export {` lists, comments, directives are classified in linear time', { timeout: 120_000 }, () => {
    assert.equal(localRole({ path: 'app/routes/x.tsx', text: 'export { a, '.repeat(180_000), imports: [] }).role, 'browser');
    assert.equal(localRole({ path: 'app/routes/x.tsx', text: 'export { a, '.repeat(180_000) + 'loader }', imports: [] }).routeModule, true);
    assert.equal(localRole({ path: 'app/routes/x.tsx', text: 'export { a, loader, '.repeat(100_000), imports: [] }).routeModule, true);
    assert.equal(localRole({ path: 'src/x.ts', text: "'use client';".repeat(160_000), imports: [] }).role, 'browser');
    assert.equal(localRole({ path: 'src/x.ts', text: '/*' + 'x'.repeat(2_000_000), imports: [] }).role, 'server');
    assert.deepEqual(preloadTargets({ a: '-r '.repeat(700_000) }), []);
  });

  it('preload targets from package.json scripts', () => {
    assert.deepEqual(preloadTargets({
      a: 'node -r ./a.js x.js', b: 'node --require=./b.cjs x', c: "NODE_OPTIONS='--import ./c.mjs' node x", d: 'node --require dotenv/config x', e: 'node --import=/abs/e.mjs x',
    }), ['./a.js', './b.cjs', './c.mjs', '/abs/e.mjs']);
  });

  it('the three "is this a test file" answers agree (issue 13: they disagreed on 5 of 6 paths)', () => {
    const paths = ['src/orders.test.ts', 'src/__tests__/orders.ts', 'test/helpers/db.ts', 'src/fixtures/order.ts', 'e2e/checkout.spec.ts', 'src/testing/harness.ts', 'src/orders.ts', 'src/contest/entry.ts'];
    assert.deepEqual(paths.map((p) => [p, isTestPath(p), isTestFile(p)]), [
      ['src/orders.test.ts', true, true],
      ['src/__tests__/orders.ts', true, true],
      ['test/helpers/db.ts', true, true],
      ['src/fixtures/order.ts', true, true],
      ['e2e/checkout.spec.ts', true, true],
      ['src/testing/harness.ts', true, true],
      ['src/orders.ts', false, false],
      ['src/contest/entry.ts', false, false],
    ]);
    // the layout question (where the runner finds tests) is a subset, and the same function everywhere
    assert.equal(layoutTestFileName, isTestFileName);
    for (const p of paths) if (isTestFileName(p)) assert.ok(isTestPath(p), p);
    assert.deepEqual(paths.filter(isTestFileName), ['src/orders.test.ts', 'src/__tests__/orders.ts', 'e2e/checkout.spec.ts']);
    // and the file-level role
    assert.deepEqual(paths.map((p) => localRole({ path: p, text: '', imports: [] }).role), ['test', 'test', 'test', 'test', 'test', 'test', 'server', 'server']);
  });

  it('browserSpans: components (function, arrow, memo), hooks, an anonymous default export; not plain functions', () => {
    const text = [
      'export async function loader() { return 1; }',
      'function helper() { return 2; }',
      'const Card = () => <div/>;',
      'const Memo = memo(function Inner() { return <span/>; });',
      'const useThing = () => 1;',
      'const NotAComponent = () => 3;',
      'export default () => <main/>;',
    ].join('\n');
    const sf = parse(text, 'x.tsx');
    assert.deepEqual(browserSpans(sf).map((s) => text.slice(s.pos, s.end)), [
      'Card = () => <div/>', 'Memo = memo(function Inner() { return <span/>; })', 'useThing = () => 1', 'export default () => <main/>;',
    ]);
  });
  it('a module that uses the page (window.open, document.querySelector, localStorage) is browser code; one that asks typeof window, drives a headless page or builds a DOM on the server is not', () => {
    const role = (text: string, imports: string[] = []) => localRole({ path: 'app/src/utils/popup.ts', text, imports }).role;
    assert.equal(role("export function openPopup(url: string) { return window.open(url, 'auth', 'width=600'); }\n"), 'browser');
    assert.equal(role("export const token = () => localStorage.getItem('token');\n"), 'browser');
    assert.equal(role("export const isBrowser = typeof window !== 'undefined';\nexport const go = (u: string) => { if (isBrowser) window.location.assign(u); };\n"), 'server');
    assert.equal(role("export const title = (page: any) => page.evaluate(() => document.querySelector('h1')?.textContent);\n"), 'server');
    assert.equal(role("export const text = (dom: any) => dom.window.document.body.textContent;\n"), 'server');
    assert.equal(role("import express from 'express';\nexport const r = express.Router();\nr.get('/', (req, res) => res.send('<script>window.location.reload()</script>'));\n", ['express']), 'server');
  });

  it('DOM use is weaker than the graph: a helper server code imports stays server; the same helper imported by nothing is browser', () => {
    const root = tempDir();
    put(root, 'package.json', JSON.stringify({ name: 'svc', dependencies: { express: '^4.0.0' } }));
    put(root, 'src/lib/utils.ts', "export const pageSize = 20;\nexport const cookies = () => document.cookie.split('; ');\n");
    put(root, 'src/routes/mail.ts', "import express from 'express';\nimport { pageSize } from '../lib/utils';\nexport const r = express.Router();\nr.get('/', (req, res) => res.json({ pageSize }));\n");
    put(root, 'src/lib/popup.ts', "export const open = (u: string) => window.open(u);\n");
    assert.deepEqual(rolesOf(sessionOf(root)), {
      'src/lib/popup.ts': 'browser',
      'src/lib/utils.ts': 'server',
      'src/routes/mail.ts': 'server',
    });
  });

  it('a package inside the workspace\'s scripts folder (one package per one-off, in a `scripts` workspace package) holds scripts; the service package next to it stays server', () => {
    const root = tempDir();
    put(root, 'package.json', JSON.stringify({ name: 'mono', private: true, workspaces: ['packages/*', 'scripts'] }));
    put(root, 'scripts/package.json', JSON.stringify({ name: '@mono/scripts', devDependencies: { pg: '^8.0.0' } }));
    put(root, 'scripts/one-off/backfill/package.json', JSON.stringify({ name: 'backfill', dependencies: { pg: '^8.0.0' } }));
    put(root, 'scripts/one-off/backfill/run.ts', "import pg from 'pg';\nconst db = new pg.Pool();\nconsole.log(await db.query('select 1'));\n");
    put(root, 'packages/api/package.json', JSON.stringify({ name: '@mono/api', dependencies: { express: '^4.0.0', pg: '^8.0.0' } }));
    put(root, 'packages/api/src/server.ts', "import express from 'express';\nexport const app = express();\n");
    put(root, 'packages/api/src/one-off/report.ts', "export const report = () => 1;\n");
    assert.deepEqual(rolesOf(sessionOf(root)), {
      'packages/api/src/one-off/report.ts': 'server',
      'packages/api/src/server.ts': 'server',
      'scripts/one-off/backfill/run.ts': 'script',
    });
  });

  it('an isomorphic workspace library (imported by browser code of the front end and by the back end, no server framework of its own) is view.shared; the back end and a server-only library are not', () => {
    const root = tempDir();
    put(root, 'package.json', JSON.stringify({ name: 'mono', private: true, workspaces: ['commons', 'backend', 'frontend', 'db'] }));
    put(root, 'commons/package.json', JSON.stringify({ name: '@mono/commons', main: 'src/index.ts', dependencies: { yjs: '^13.0.0' } }));
    put(root, 'commons/src/index.ts', "export function encode(m: unknown) { console.error('encoding', m); return JSON.stringify(m); }\n");
    put(root, 'db/package.json', JSON.stringify({ name: '@mono/db', main: 'src/index.ts', dependencies: { pg: '^8.0.0' } }));
    put(root, 'db/src/index.ts', "import pg from 'pg';\nexport const pool = new pg.Pool();\n");
    put(root, 'backend/package.json', JSON.stringify({ name: '@mono/backend', dependencies: { express: '^4.0.0', '@mono/commons': 'workspace:*', '@mono/db': 'workspace:*' } }));
    put(root, 'backend/src/app.ts', "import express from 'express';\nimport { encode } from '@mono/commons';\nimport { pool } from '@mono/db';\nexport const app = express();\napp.get('/', (req, res) => res.send(encode(pool)));\n");
    put(root, 'frontend/package.json', JSON.stringify({ name: '@mono/frontend', dependencies: { react: '^18.0.0', next: '^14.0.0', '@mono/commons': 'workspace:*' } }));
    put(root, 'frontend/src/components/Note.tsx', "import { encode } from '@mono/commons';\nexport function Note() { return <pre>{encode({})}</pre>; }\n");
    const session = sessionOf(root);
    assert.equal(session.viewFor(path.join(root, 'commons/src/index.ts')).shared, true);
    assert.equal(session.roleOf(path.join(root, 'commons/src/index.ts')), 'server');
    assert.equal(session.viewFor(path.join(root, 'backend/src/app.ts')).shared, undefined);
    assert.equal(session.viewFor(path.join(root, 'db/src/index.ts')).shared, undefined);
  });

  it('development-only functions: an exported function every caller calls only under a NODE_ENV/dev guard is in its file\'s view.devOnly; one also called unguarded is not', () => {
    const root = tempDir();
    put(root, 'package.json', JSON.stringify({ name: 'worker', dependencies: { express: '^4.0.0' } }));
    put(root, 'src/debug.ts', "import type { Express } from 'express';\nexport function mountDebugRoutes(app: Express) { app.get('/debug', (req, res) => res.end()); }\nexport const mountMetrics = (app: Express) => { app.get('/metrics', (req, res) => res.end()); };\nexport function mountAdmin(app: Express) { app.get('/admin', (req, res) => res.end()); }\n");
    put(root, 'src/index.ts', "import express from 'express';\nimport { mountDebugRoutes, mountMetrics, mountAdmin } from './debug';\nconst app = express();\nif (process.env.NODE_ENV !== 'production') {\n  mountDebugRoutes(app);\n  mountAdmin(app);\n}\nisLocalDev && mountMetrics(app);\napp.listen(3000);\n");
    put(root, 'src/admin.ts', "import express from 'express';\nimport { mountAdmin } from './debug';\nmountAdmin(express());\n");
    const session = sessionOf(root);
    assert.deepEqual(session.viewFor(path.join(root, 'src/debug.ts')).devOnly, ['mountDebugRoutes', 'mountMetrics']);
    assert.equal(session.viewFor(path.join(root, 'src/index.ts')).devOnly, undefined);
  });

});

describe('Session: the project model', () => {
  it('the view answers summaries through a tsconfig alias and a relative path alike (remix-alias)', () => {
    const root = copyProject('remix-alias');
    const session = sessionOf(root);
    const snap = session.snapshot();
    const logger = path.join(root, 'app/services/logger.server.ts');
    const summary = { io: 'log', setsDeadline: true, catchesAll: true, canReject: false };
    snap.conventions.summaries[logger] = { logger: summary };
    const restored = Session.fromSnapshot(snap);
    const route = path.join(root, 'app/routes/orders.$id.tsx');
    assert.deepEqual(restored.viewFor(route).summaryOf('~/services/logger.server', 'logger'), summary);
    assert.equal(restored.viewFor(route).summaryOf('~/services/logger.server', 'other'), undefined);
    assert.equal(restored.viewFor(route).summaryOf('~/services/nothing', 'logger'), undefined);
    const importers = snap.graph.importers[logger].map((f) => path.relative(root, f)).sort();
    assert.equal(importers.length, 6);
    const relativeImporter = snap.graph.files.find((f) => snap.graph.imports[f].some((m) => m.specifier.startsWith('.') && m.to?.kind === 'file' && m.to.file === logger));
    assert.ok(relativeImporter, 'some file imports the logger by a relative path');
    const spec = snap.graph.imports[relativeImporter].find((m) => m.to?.kind === 'file' && m.to.file === logger)!.specifier;
    assert.deepEqual(restored.viewFor(relativeImporter).summaryOf(spec, 'logger'), summary);
  });

  it('the view answers summaries through a workspace package name (monorepo: @acme/logger → packages/logger/src/index.ts)', () => {
    const root = copyProject('monorepo');
    const snap = sessionOf(root).snapshot();
    const target = path.join(root, 'packages/logger/src/index.ts');
    snap.conventions.summaries[target] = { logger: { setsDeadline: false, catchesAll: false, canReject: false } };
    const view = Session.fromSnapshot(snap).viewFor(path.join(root, 'apps/api/src/routes/orders.ts'));
    assert.deepEqual(view.summaryOf('@acme/logger', 'logger'), { setsDeadline: false, catchesAll: false, canReject: false });
    assert.equal(view.role, 'server');
    // the learned conventions of the monorepo (the real learner: workspace/conventions) reach the view
    const rel = (f: string) => path.relative(root, f).split(path.sep).join('/');
    assert.deepEqual(
      [view.requestLoggers, view.httpWrappers.map((w) => [rel(w.file), w.exportName]), view.flagHelpers.map((h) => [rel(h.module), h.exportName]), view.limiters.map((l) => [rel(l.file), l.name]), view.healthRoutes, view.browserSpans],
      [[], [['packages/http/src/client.ts', 'createHttpClient'], ['packages/http/src/index.ts', 'createHttpClient']], [['packages/flags/src/index.ts', 'isOn']], [['apps/api/src/middleware/limiter.ts', 'limiter'], ['apps/api/src/middleware/limiter.ts', 'publicMiddleware']], ['/healthz'], []],
    );
  });

  it('snapshot is plain data: JSON and structured clone give back a Session with the same views', () => {
    for (const name of ['remix-alias', 'nest-alias', 'monorepo', 'pnpm-mono', 'js-require', 'extends-pkg']) {
      const root = copyProject(name);
      const session = sessionOf(root);
      session.signals = { processEvents: ['SIGTERM'], healthRoutes: 1 };
      const snap = session.snapshot();
      for (const copy of [JSON.parse(JSON.stringify(snap)) as SessionSnapshot, structuredClone(snap)]) {
        const back = Session.fromSnapshot(copy);
        assert.deepEqual(plain(back.snapshot()), plain(snap), name);
        for (const f of snap.graph.files) assert.equal(back.viewFor(f).role, session.viewFor(f).role, f);
        assert.deepEqual(back.signals, { processEvents: ['SIGTERM'], healthRoutes: 1 });
      }
    }
  });

  it('incremental: changes, a new file that an import was waiting for, and a deletion equal a rebuild', () => {
    const root = copyProject('remix-alias');
    const session = sessionOf(root);
    const v0 = session.version;
    // a new module, imported (before it exists) by a new route
    const route = put(root, 'app/routes/pay.tsx', "import { charge } from '~/services/pay.server';\nexport async function action() { return charge(); }\nexport default function Pay() { return <form/>; }\n");
    session.fileChanged(route, fs.readFileSync(route, 'utf8'));
    const pay = put(root, 'app/services/pay.server.ts', "export async function charge() { return 1; }\n");
    session.fileChanged(pay, fs.readFileSync(pay, 'utf8'));
    // a test helper now imported by constants.ts (makes it test code)
    const helper = put(root, 'app/utils/testkit.ts', "import { vi } from 'vitest';\nexport const spy = vi.fn;\n");
    session.fileChanged(helper, fs.readFileSync(helper, 'utf8'));
    const constants = path.join(root, 'app/utils/constants.ts');
    fs.appendFileSync(constants, "\nimport { spy } from './testkit';\nvoid spy;\n");
    session.fileChanged(constants, fs.readFileSync(constants, 'utf8'));
    // a deletion
    const health = path.join(root, 'app/routes/healthcheck.tsx');
    fs.rmSync(health);
    session.fileChanged(health, undefined);
    const fresh = sessionOf(root).snapshot();
    const now = session.snapshot();
    assert.deepEqual(plain(now.graph), plain(fresh.graph));
    assert.deepEqual(plain(now.roles), plain(fresh.roles));
    assert.deepEqual(plain(now.local), plain(fresh.local));
    assert.equal(now.roles[constants], 'test');
    assert.ok(session.version > v0, 'the version moved with the roles');
    // an edit that changes nothing a view says keeps the version
    const v1 = session.version;
    session.fileChanged(pay, "export async function charge() {\n  return 2;\n}\n", 'editor');
    assert.equal(session.version, v1);
  });

  it('buildSessions: one Session per root, a file in the deepest root; files outside every root are left out', () => {
    const a = copyProject('js-require');
    const b = copyProject('extends-pkg');
    const outside = put(tempDir(), 'x.ts', 'export {};\n');
    const sessions = buildSessions([a, b], [...sourceFiles(a), ...sourceFiles(b), outside]);
    assert.deepEqual(sessions.all().map((s) => s.root).sort(), [a, b].sort());
    assert.equal(sessions.forFile(path.join(a, 'src/server.js'))?.root, a);
    assert.equal(sessions.forFile(outside), undefined);
    assert.equal(sessions.forFile(path.join(b, 'src/server.ts'))?.files.length, 4);
  });

  it('a file the Session does not know is classified from the text given (an unsaved editor file)', () => {
    const root = copyProject('extends-pkg');
    const session = sessionOf(root);
    const file = path.join(root, 'src/new.test.ts');
    assert.equal(session.viewFor(file, { text: "import { it } from 'vitest';\n" }).role, 'test');
    assert.equal(session.viewFor(path.join(root, 'src/widget.tsx'), { text: 'export const W = () => <b/>;\n' }).role, 'browser');
  });

  it('classifies by the path inside its package, as analyze() without a Session does (a project under ~/tests/ is not test code)', () => {
    const parent = tempDir();
    const root = path.join(parent, 'tests', 'svc');
    put(root, 'package.json', JSON.stringify({ name: 'svc', dependencies: { express: '^4.0.0' } }));
    put(root, 'src/server.ts', "import express from 'express';\nexpress().listen(1);\n");
    const session = Session.create(root, sourceFiles(root), { projects: new ProjectLoader() });
    assert.equal(session.roleOf(path.join(root, 'src/server.ts')), 'server');
  });

  it('viewFor on the fixture projects: every file has its role, no browser span, and the conventions the real learner found (nest-alias, monorepo, pnpm-mono, js-require, extends-pkg), through a snapshot', () => {
    const files: Record<string, string[]> = {
      'nest-alias': ['src/app.module.ts', 'src/common/constants.ts', 'src/common/flags.ts', 'src/common/http.ts', 'src/common/logger.ts', 'src/health/health.controller.ts', 'src/main.ts', 'src/orders/orders.controller.ts', 'src/orders/orders.module.ts', 'src/orders/orders.service.ts'],
      monorepo: ['apps/api/src/config.ts', 'apps/api/src/middleware/limiter.ts', 'apps/api/src/routes/orders.ts', 'apps/api/src/server.ts', 'packages/flags/src/index.ts', 'packages/http/src/client.ts', 'packages/http/src/index.ts', 'packages/logger/src/index.ts'],
      'pnpm-mono': ['libs/legacy/src/index.js', 'libs/logger/src/index.ts', 'libs/logger/src/internal/redact.ts', 'services/worker/src/index.ts', 'services/worker/src/jobs/sendInvoice.ts'],
      'js-require': ['lib/flags.js', 'lib/http.js', 'lib/limiter.js', 'lib/logger.js', 'src/routes/index.js', 'src/routes/orders.js', 'src/server.js'],
      'extends-pkg': ['src/lib/http.ts', 'src/lib/logger.ts', 'src/routes.ts', 'src/server.ts'],
    };
    // what the logger module imports runs before a logger exists (roles.ts): the learned logger makes it bootstrap code
    const notServer: Record<string, Record<string, string>> = { 'pnpm-mono': { 'libs/logger/src/internal/redact.ts': 'bootstrap' } };
    /** logger file, export, shape, library; HTTP wrappers; flag helpers (keys); limiters; health routes — paths relative to the root. */
    const learned: Record<string, unknown> = {
      'nest-alias': [['src/common/logger.ts', 'logger', 'message-first', 'nestjs'], [['src/common/http.ts', 'http', true]], [['src/common/flags.ts', 'isOn', ['payments']]], [], ['/health']],
      monorepo: [['packages/logger/src/index.ts', 'logger', 'object-first', 'pino'], [['packages/http/src/client.ts', 'createHttpClient', true], ['packages/http/src/index.ts', 'createHttpClient', true]], [['packages/flags/src/index.ts', 'isOn', ['orders']]], [['apps/api/src/middleware/limiter.ts', 'limiter'], ['apps/api/src/middleware/limiter.ts', 'publicMiddleware']], ['/healthz']],
      'pnpm-mono': [['libs/logger/src/index.ts', 'logger', 'object-first', 'pino'], [['services/worker/src/jobs/sendInvoice.ts', 'sendInvoice', true]], [], [], []],
      'js-require': [['lib/logger.js', 'default', 'object-first', 'bunyan'], [['lib/http.js', 'getJson', true]], [['lib/flags.js', 'isOn', ['live-pricing']]], [['lib/limiter.js', 'apiLimiter'], ['lib/limiter.js', 'default'], ['lib/limiter.js', 'guards']], ['/health']],
      'extends-pkg': [['src/lib/logger.ts', 'log', 'object-first', undefined], [['src/lib/http.ts', 'postJson', true]], [], [], ['/health']],
    };
    for (const [name, list] of Object.entries(files)) {
      const root = copyProject(name);
      const snap = sessionOf(root).snapshot();
      const rel = (f: string) => path.relative(root, f).split(path.sep).join('/');
      const restored = Session.fromSnapshot(structuredClone(snap));
      assert.deepEqual(rolesOf(restored), Object.fromEntries(list.map((f) => [f, notServer[name]?.[f] ?? 'server'])), name);
      for (const f of list) {
        const view = restored.viewFor(path.join(root, f));
        const logger = view.logger;
        assert.deepEqual([
          logger?.module.kind === 'file' ? [rel(logger.module.file), logger.exportName, logger.shape, logger.library] : logger,
          view.httpWrappers.map((w) => [rel(w.file), w.exportName, w.setsDeadline]),
          view.flagHelpers.map((h) => [rel(h.module), h.exportName, h.keys]),
          view.limiters.map((l) => [rel(l.file), l.name]),
          view.healthRoutes,
        ], learned[name], `${name}: ${f}`);
        assert.deepEqual([view.role, view.browserSpans, view.requestLoggers], [notServer[name]?.[f] ?? 'server', [], []], `${name}: ${f}`);
      }
    }
  });

  it('nest-alias: imports through baseUrl (`src/common/http`) and @app/* paths are graph edges, so the view answers summaries through them', () => {
    const root = copyProject('nest-alias');
    const snap = sessionOf(root).snapshot();
    const service = path.join(root, 'src/orders/orders.service.ts');
    const http = path.join(root, 'src/common/http.ts');
    const flags = path.join(root, 'src/common/flags.ts');
    assert.deepEqual(
      snap.graph.imports[service].filter((m) => m.to?.kind === 'file').map((m) => [m.specifier, m.to?.kind === 'file' ? path.relative(root, m.to.file) : '']),
      [['src/common/http', 'src/common/http.ts'], ['@app/common/flags', 'src/common/flags.ts'], ['@app/common/constants', 'src/common/constants.ts']],
    );
    const logger = path.join(root, 'src/common/logger.ts');
    assert.deepEqual(snap.graph.importers[logger].map((f) => path.relative(root, f)), ['src/main.ts', 'src/orders/orders.controller.ts']);
    const io = { io: 'http', setsDeadline: false, catchesAll: false, canReject: true };
    const flag = { setsDeadline: false, catchesAll: true, canReject: false };
    snap.conventions.summaries[http] = { http: io };
    snap.conventions.summaries[flags] = { isOn: flag };
    const view = Session.fromSnapshot(snap).viewFor(service);
    assert.deepEqual([view.summaryOf('src/common/http', 'http'), view.summaryOf('@app/common/flags', 'isOn'), view.summaryOf('@app/common/http', 'http')], [io, flag, undefined]);
  });

  it('an edit in the editor updates the graph and the roles at once; reverting it gives the first answers back', () => {
    const root = copyProject('extends-pkg');
    const session = sessionOf(root);
    const routes = path.join(root, 'src/routes.ts');
    const server = path.join(root, 'src/server.ts');
    const original = fs.readFileSync(routes, 'utf8');
    const before = plain(session.snapshot());
    assert.equal(session.roleOf(routes), 'server');
    // routes.ts now pulls in a test runner: it is test code, and so is server.ts, which imports it; the logger it imports is not
    session.fileChanged(routes, `import { vi } from 'vitest';\n${original}`, 'editor');
    assert.equal(session.roleOf(routes), 'test');
    assert.equal(session.viewFor(routes).role, 'test');
    assert.equal(session.roleOf(server), 'test');
    assert.equal(session.roleOf(path.join(root, 'src/lib/logger.ts')), 'server');
    assert.deepEqual(plain(session.moduleGraph.imports[routes][0]), { specifier: 'vitest', kind: 'import', pos: 20, to: { kind: 'package', name: 'vitest', subpath: '' } });
    assert.ok(session.moduleGraph.packageUsers.vitest?.includes(routes), 'vitest is a package routes.ts uses');
    session.fileChanged(routes, original, 'editor');
    assert.deepEqual(plain(session.snapshot()), before);
    assert.equal(session.roleOf(server), 'server');
  });

  it('a file outside the root: not in the model, changes to it are ignored, its view is classified from the text given', () => {
    const root = copyProject('extends-pkg');
    const outsideDir = tempDir();
    const outside = put(outsideDir, 'elsewhere.ts', "import { logger } from './lib/logger';\nlogger.info('x');\n");
    const session = Session.create(root, [...sourceFiles(root), outside]);
    assert.equal(session.files.includes(outside), false);
    assert.equal(session.contains(outside), false);
    const before = plain(session.snapshot());
    const version = session.version;
    session.fileChanged(outside, "import { it } from 'vitest';\n");
    session.fileChanged(outside, undefined);
    assert.deepEqual(plain(session.snapshot()), before);
    assert.equal(session.version, version);
    assert.equal(session.roleOf(outside), undefined);
    const view = session.viewFor(outside);
    assert.deepEqual([view.role, view.browserSpans, view.summaryOf('./lib/logger', 'logger')], ['server', [], undefined]);
    assert.equal(session.viewFor(outside, { text: "import { it } from 'vitest';\n" }).role, 'test');
  });

  it('a repository with no package.json (and no tsconfig): relative imports resolve, roles come from paths and imports', () => {
    const root = tempDir();
    put(root, 'src/server.ts', "import express from 'express';\nimport { log } from './log';\nexpress().listen(1); log('up');\n");
    put(root, 'src/log.ts', "export const log = (m: string) => process.stdout.write(m);\n");
    put(root, 'src/log.test.ts', "import { log } from './log';\nlog('t');\n");
    put(root, 'scripts/seed.ts', "import { log } from '../src/log';\nlog(process.argv[2] ?? '');\n");
    put(root, 'src/ui/Button.tsx', 'export const Button = () => <button/>;\n');
    const session = sessionOf(root);
    assert.deepEqual(rolesOf(session), {
      'scripts/seed.ts': 'script',
      'src/log.test.ts': 'test',
      'src/log.ts': 'server',
      'src/server.ts': 'server',
      'src/ui/Button.tsx': 'browser',
    });
    const graph = session.moduleGraph;
    const log = path.join(root, 'src/log.ts');
    assert.deepEqual([...graph.importers[log]].map((f) => path.relative(root, f).split(path.sep).join('/')), ['scripts/seed.ts', 'src/log.test.ts', 'src/server.ts']);
    assert.deepEqual([...graph.packages[path.join(root, 'src/server.ts')]], ['express']);
  });

  it('never throws on what it cannot read: a deleted file, a folder or a FIFO named .ts, dangling and escaping links, an oversize file, broken package.json and tsconfig', () => {
    const root = tempDir();
    put(root, 'package.json', '{ "name": "broken", ');
    put(root, 'tsconfig.json', '{ "extends": "./tsconfig.json", "compilerOptions": { "paths": { "@/*": ["src/*"] } ');
    put(root, 'src/server.ts', "import { a } from './gone';\nimport { b } from '@/dir.ts';\nimport { c } from './fifo';\nimport { d } from './dangling';\nimport { e } from './escape';\nimport { f } from './big';\nexport const all = [a, b, c, d, e, f];\n");
    const gone = put(root, 'src/gone.ts', 'export const a = 1;\n');
    fs.mkdirSync(path.join(root, 'src/dir.ts'));
    const fifo = path.join(root, 'src/fifo.ts');
    spawnSync('mkfifo', [fifo]);
    assert.ok(fs.statSync(fifo).isFIFO(), 'mkfifo made a FIFO');
    fs.symlinkSync(path.join(root, 'src/missing-target.ts'), path.join(root, 'src/dangling.ts'));
    const secret = put(tempDir(), 'secret.ts', "export const e = 'outside the root';\n");
    fs.symlinkSync(secret, path.join(root, 'src/escape.ts'));
    const big = path.join(root, 'src/big.ts');
    fs.writeFileSync(big, 'x'.repeat(8 * 1024 * 1024 + 1));
    const files = sourceFiles(root).concat(fifo, path.join(root, 'src/dangling.ts')).filter((f, i, all) => all.indexOf(f) === i).sort();
    fs.rmSync(gone);
    const session = Session.create(root, files);
    const snap = session.snapshot();
    const rel = (list: readonly string[]) => list.map((f) => path.relative(root, f).split(path.sep).join('/')).sort();
    assert.deepEqual(rel(snap.graph.files), ['src/big.ts', 'src/dangling.ts', 'src/escape.ts', 'src/fifo.ts', 'src/gone.ts', 'src/server.ts']);
    assert.deepEqual(rel(snap.graph.unread), ['src/big.ts', 'src/dangling.ts', 'src/escape.ts', 'src/fifo.ts', 'src/gone.ts']);
    assert.equal(session.roleOf(path.join(root, 'src/server.ts')), 'server');
    assert.equal(session.viewFor(path.join(root, 'src/server.ts')).summaryOf('./escape', 'e'), undefined);
    // changes to them are taken the same way
    session.fileChanged(fifo, undefined);
    session.fileChanged(path.join(root, 'src/dir.ts'), undefined);
    session.fileChanged(gone, 'export const a = 2;\n');
    assert.equal(session.roleOf(gone), 'server');
    assert.equal(session.analysisInput(big, '').view.role, 'server');
    // a host's reader that throws is a refusal too
    const throwing = Session.create(root, [path.join(root, 'src/server.ts')], { read: () => { throw new Error('EIO'); } });
    assert.deepEqual(rel(throwing.snapshot().graph.unread), ['src/server.ts']);
  });
});

describe('Session: a package of a monorepo keeps its own logger', () => {
  after(cleanupTemp);
  it("a file in a package with its own logger module gets that logger, never a relative import into the root package's", () => {
    const root = tempDir();
    put(root, 'package.json', JSON.stringify({ name: 'app', dependencies: { pino: '^9.0.0', express: '^4.21.0' } }));
    put(root, 'src/lib/logger.ts', "import pino from 'pino';\nexport const logger = pino();\n");
    for (const n of ['a', 'b', 'c']) put(root, `src/${n}.ts`, `import { logger } from './lib/logger';\nexport function ${n}() { logger.info({ n: 1 }, '${n}'); }\n`);
    put(root, 'catalog/package.json', JSON.stringify({ name: 'catalog', dependencies: { pino: '^9.0.0' } }));
    put(root, 'catalog/src/logger.ts', "import pino from 'pino';\nexport const logger = pino();\n");
    put(root, 'catalog/src/jobs.ts', "import { logger } from './logger';\nexport function job() { logger.info({ job: 'x' }, 'done'); }\n");
    const session = Session.create(root, sourceFiles(root), { projects: new ProjectLoader() });
    const moduleOf = (rel: string) => {
      const m = session.viewFor(path.join(root, rel)).logger?.module;
      return m?.kind === 'file' ? path.relative(root, m.file).split(path.sep).join('/') : m?.kind;
    };
    assert.equal(moduleOf('src/a.ts'), 'src/lib/logger.ts');
    assert.equal(moduleOf('catalog/src/jobs.ts'), 'catalog/src/logger.ts');
  });
});
