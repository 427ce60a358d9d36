import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ProjectIndex } from '../../server/src/engine/readiness/projectIndex';
import { indexEntry } from '../../server/src/engine/readiness/build';
import { buildReadiness, type FeatureReadiness } from '../../server/src/engine/readiness/checklist';
import { isOperationalRoute, routerModuleName } from '../../server/src/engine/readiness/features';
import { nextRoutePath } from '../../server/src/engine/summary';
import { ProjectLoader, projectFactsFromPackageJson } from '../../server/src/engine/project';
import { projectSignals } from '../../server/src/engine/scan';

const repo = path.join(__dirname, '..', '..');

function indexDir(dir: string): ProjectIndex {
  const root = path.resolve(dir);
  const loader = new ProjectLoader();
  const index = new ProjectIndex(root);
  const walk = (d: string): string[] => fs.readdirSync(d, { withFileTypes: true }).flatMap((e) =>
    e.name === 'node_modules' ? [] : e.isDirectory() ? walk(path.join(d, e.name)) : /\.[cm]?[jt]sx?$/.test(e.name) ? [path.join(d, e.name)] : []);
  for (const f of walk(root)) index.set(indexEntry({ text: fs.readFileSync(f, 'utf8'), fileName: f, project: loader.forFile(f) }));
  return index;
}

function item(f: FeatureReadiness | undefined, name: string) {
  assert.ok(f, 'feature exists');
  const i = f.items.find((x) => x.item === name);
  assert.ok(i);
  return i;
}

describe('readiness on examples/shop-api', () => {
  const root = path.join(repo, 'examples/shop-api');
  const index = indexDir(root);
  const report = buildReadiness(index);
  const byName = new Map(report.features.map((f) => [f.name, f]));

  it('infers features from the routes files register, helpers join the feature that imports them', () => {
    assert.deepEqual([...byName.keys()], ['orders', 'products', 'shared']);
    const rel = (f: FeatureReadiness) => f.files.map((x) => path.relative(root, x)).sort();
    assert.deepEqual(rel(byName.get('orders')!), ['src/clients/payments.ts', 'src/clients/warehouse.ts', 'src/routes/orders.ts']);
    assert.deepEqual(rel(byName.get('products')!), ['src/clients/rates.ts', 'src/lib/cache.ts', 'src/routes/catalog.ts']);
    assert.deepEqual(byName.get('orders')!.routes.map((r) => `${r.method} ${r.path}`), ['GET /orders/:id', 'POST /orders']);
    // the example's generated failure tests (test/*.test.ts) belong to no feature, not even shared
    assert.deepEqual(rel(byName.get('shared')!), ['src/jobs/inventory-sync.ts', 'src/lib/db.ts', 'src/lib/logger.ts', 'src/server.ts']);
  });

  it('links a finding in a client module to the route that reaches it', () => {
    const recover = item(byName.get('orders'), 'recover');
    // payments.ts's axios.create() without a timeout is missing-timeout's too (was missing-client-timeout's)
    const timeouts = recover.findings.filter((f) => f.ruleId === 'missing-timeout');
    assert.deepEqual(timeouts.map((f) => path.relative(root, f.file)), ['src/clients/payments.ts', 'src/clients/warehouse.ts']);
    const timeout = timeouts[1];
    assert.deepEqual(timeout.routes.map((r) => `${r.method} ${r.path}`), ['POST /orders']);
    // missing-timeout ships at info (docs/precision.md, issue 14 review): its findings make the answer warn, not fail
    assert.equal(recover.status, 'warn');
    assert.match(recover.why, /2 missing-timeout/);
    assert.doesNotMatch(recover.why, /missing-client-timeout/);
  });

  it('answers disable=fail when no route is behind a flag, with the reason', () => {
    const d = item(byName.get('orders'), 'disable');
    assert.equal(d.status, 'fail');
    assert.equal(d.why, 'none of its 2 routes is behind a feature flag');
  });

  it('sees positive evidence: structured logger, error middleware', () => {
    assert.equal(item(byName.get('products'), 'monitor').status, 'pass');
    const understand = item(byName.get('shared'), 'understand');
    assert.deepEqual(understand.evidence.map((e) => `${path.relative(root, e.file)}:${e.line} ${e.kind}`), ['src/server.ts:2 correlation', 'src/server.ts:13 errorHandler']);
    assert.equal(understand.status, 'warn');
    assert.equal(understand.why, '1 swallowed-error');
  });
});

describe('readiness on fixtures', () => {
  it('names a router module whose paths are relative to its mount point by the module (kutt-style link.routes.js)', () => {
    const report = buildReadiness(indexDir(path.join(repo, 'test/fixtures/readiness/mounted')));
    // the health route is operational, not a feature: it stays in shared
    assert.deepEqual(report.features.map((f) => `${f.name}:${f.routes.length}`), ['link:5', 'shared:1']);
    // and nobody puts a health probe behind a kill switch
    const disable = item(report.features.find((f) => f.name === 'shared'), 'disable');
    assert.deepEqual([disable.status, disable.why], ['unknown', 'shared code has no entry points of its own']);
    assert.deepEqual([['/health', 'src/index.ts'], ['/', 'server/routes/health.routes.js'], ['/api/v1/metrics', 'a.ts'], ['/orders', 'src/routes/status-report.ts'], ['/', 'server/routes/link.routes.js']]
      .map(([p, f]) => isOperationalRoute(p, f)), [true, true, true, false, false]);
    assert.deepEqual([
      'server/routes/link.routes.js', 'src/routes/orders.ts', 'src/controllers/userController.ts', 'src/api/billing-router.ts',
      'src/routes/index.ts', 'src/server.ts', 'src/orders.ts', 'src/app.controller.ts',
    ].map(routerModuleName), ['link', 'orders', 'user', 'billing', undefined, undefined, undefined, undefined]);
  });

  it('per framework: features from Fastify plugins, Koa routers, Hono apps, Next.js route handlers and feature folders', () => {
    const summary = (dir: string) => {
      const root = path.join(repo, 'test/fixtures/readiness', dir);
      return buildReadiness(indexDir(root)).features.map((f) => `${f.name}[${f.source}]: ${f.files.map((x) => path.relative(root, x)).sort().join(',')} ${f.routes.map((r) => `${r.method} ${r.path}`).join(',')}`);
    };
    assert.deepEqual(summary('fastify'), ['users[routes]: src/routes/users.ts GET /users/:id,POST /users']);
    assert.deepEqual(summary('koa'), ['payments[routes]: src/payments.ts POST /payments,GET /payments/:id']);
    assert.deepEqual(summary('hono'), ['reports[routes]: src/reports.ts GET /reports,GET /reports/:id']);
    assert.deepEqual(summary('next'), ['invoices[next-route]: app/api/invoices/route.ts,app/invoices/page.tsx,lib/invoices.ts GET /api/invoices']);
    assert.deepEqual(summary('folders'), ['billing[folder]: src/features/billing/invoices.ts ', 'search[folder]: src/features/search/search.ts,src/lib/numbers.ts GET /search']);
  });

  it('Next.js route paths: groups dropped, dynamic segments as :param, catch-alls, pages/api index', () => {
    assert.deepEqual([
      nextRoutePath('/p/app/api/(shop)/orders/[id]/route.ts', 'app-route'),
      nextRoutePath('/p/src/app/api/files/[...path]/route.js', 'app-route'),
      nextRoutePath('/p/app/route.ts', 'app-route'),
      nextRoutePath('/p/pages/api/users/index.ts', 'pages-api'),
      nextRoutePath('/p/pages/api/users/[id].ts', 'pages-api'),
    ], ['/api/orders/:id', '/api/files/*path', '/', '/api/users', '/api/users/:id']);
  });

  it('per framework: each item\'s status follows the findings (fetch without deadline warns recover on Fastify, the guarded Hono call passes)', () => {
    const feature = (dir: string, name: string) => buildReadiness(indexDir(path.join(repo, 'test/fixtures/readiness', dir))).features.find((f) => f.name === name);
    const fastifyRecover = item(feature('fastify', 'users'), 'recover');
    // (Fastify answers a rejected async handler with a 500 itself: no no-fallback there)
    assert.deepEqual([fastifyRecover.status, fastifyRecover.why], ['warn', '1 missing-timeout']);
    assert.deepEqual(fastifyRecover.findings.map((f) => `${f.ruleId} ${f.routes.map((r) => `${r.method} ${r.path}`).join(',')}`), ['missing-timeout GET /users/:id']);
    assert.equal(item(feature('hono', 'reports'), 'recover').status, 'pass');
    const nextRecover = item(feature('next', 'invoices'), 'recover');
    assert.deepEqual(nextRecover.findings.map((f) => `${f.ruleId} ${f.routes.map((r) => `${r.method} ${r.path}`).join(',')}`).sort(), ['missing-timeout GET /api/invoices']);
  });

  it('counts routes behind a flag check', () => {
    const report = buildReadiness(indexDir(path.join(repo, 'test/fixtures/readiness/flags')));
    const checkout = report.features.find((f) => f.name === 'checkout');
    const d = item(checkout, 'disable');
    assert.equal(d.status, 'warn');
    assert.equal(d.why, '2 of 3 routes behind flag checkout-v2');
    assert.equal(item(checkout, 'monitor').status, 'pass');
  });

  it('uses NestJS modules and controller routes', () => {
    const root = path.join(repo, 'test/fixtures/readiness/nest');
    const report = buildReadiness(indexDir(root));
    const billing = report.features.find((f) => f.name === 'billing');
    assert.ok(billing);
    assert.deepEqual(billing.routes.map((r) => `${r.method} ${r.path}`), ['GET /billing/invoices', 'POST /billing/charge']);
    const t = item(billing, 'recover').findings.find((f) => f.ruleId === 'missing-timeout');
    assert.ok(t);
    assert.deepEqual(t.routes.map((r) => `${r.method} ${r.path}`), ['POST /billing/charge']);
  });

  it('a src/app/ folder without Next.js routing files is not a Next.js app; services beside a controller join its feature', () => {
    const root = path.join(repo, 'test/fixtures/readiness/express-app');
    const report = buildReadiness(indexDir(root));
    assert.deepEqual(report.features.map((f) => f.name), ['articles', 'shared']);
    const articles = report.features[0];
    // article.service.ts is also imported by a seed script and a test: its neighbour decides
    assert.deepEqual(articles.files.map((x) => path.relative(root, x)).sort(), [
      'src/app/models/http-exception.model.ts', 'src/app/routes/article/article.controller.ts', 'src/app/routes/article/article.service.ts',
    ]);
    assert.deepEqual(articles.routes.map((r) => `${r.method} ${r.path}`), ['GET /articles']);
  });

  it('honours configured features and their declared flags', () => {
    const root = path.join(repo, 'test/fixtures/readiness/nest');
    const report = buildReadiness(indexDir(root), { payments: { paths: ['src/billing/**'], flags: ['billing-v2'], owner: 'payments-team' } });
    assert.deepEqual(report.features.map((f) => f.name), ['payments']);
    assert.equal(report.features[0].owner, 'payments-team');
    assert.equal(item(report.features[0], 'disable').why, 'flag billing-v2 is declared but none of its 2 routes checks it');
  });
});

describe('project signals', () => {
  it('a health route on a router the file receives counts (logto: statusRoutes(router)); a cache get with a path-like key does not', () => {
    const project = projectFactsFromPackageJson({ dependencies: { koa: '^3.2.1', 'koa-router': '^12.0.1' } }, '/p');
    const status = indexEntry({ fileName: '/p/src/routes/status.ts', project, text: `import type { AnonymousRouter, RouterInitArgs } from './types.js';

export default function statusRoutes<T extends AnonymousRouter>(...[router, tenant]: RouterInitArgs<T>) {
  router.get('/status', koaGuard({ status: 204 }), async (ctx, next) => {
    ctx.status = 204;
    return next();
  });
}
` });
    const cache = indexEntry({ fileName: '/p/src/lib/cache.ts', project, text: `export async function read(cache) {
  return cache.get('/status', 'default');
}
` });
    assert.deepEqual(projectSignals([status]), { processEvents: [], healthRoutes: 1 });
    assert.deepEqual(projectSignals([cache]), { processEvents: [], healthRoutes: 0 });
  });

  it('issue 14: NestJS enableShutdownHooks() in a setup function of another file counts as SIGTERM/SIGINT handling', () => {
    const project = projectFactsFromPackageJson({ dependencies: { '@nestjs/core': '^10.0.0', '@nestjs/common': '^10.0.0' } }, '/p');
    const setup = indexEntry({ fileName: '/p/src/app-setup.ts', project, text: `import type { INestApplication } from '@nestjs/common';

export async function configureApp(app: INestApplication): Promise<void> {
  app.useGlobalPipes(validation);
  app.enableShutdownHooks();
}
` });
    const other = indexEntry({ fileName: '/p/src/lib/shutdown.ts', project, text: `export function stop(hooks) {
  return hooks.disableShutdownHooks();
}
` });
    assert.deepEqual(projectSignals([setup]), { processEvents: ['SIGINT', 'SIGTERM'], healthRoutes: 0 });
    assert.deepEqual(projectSignals([other]), { processEvents: [], healthRoutes: 0 });
  });
});

describe('feature names a reader of the codebase recognises', () => {
  function memIndex(root: string, deps: Record<string, string>, files: Record<string, string>): ProjectIndex {
    const project = projectFactsFromPackageJson({ dependencies: deps }, root);
    const index = new ProjectIndex(root);
    for (const [rel, text] of Object.entries(files)) index.set(indexEntry({ fileName: path.join(root, rel), text, project }));
    return index;
  }

  it('Koa RPC-style paths name the resource (outline: events.list → events, accessRequests.list → access-requests, /_health is a health probe: shared), index.ts under routes/ is named by its folder, a one-letter segment names nothing', () => {
    const index = memIndex('/o', { koa: '^2.15.0', '@koa/router': '^12.0.0' }, {
      'server/routes/api/events/events.ts': `import Router from '@koa/router';\nconst router = new Router();\nrouter.post('events.list', async (ctx) => { ctx.body = []; });\n`,
      'server/routes/api/accessRequests/accessRequests.ts': `import Router from '@koa/router';\nconst router = new Router();\nrouter.post('accessRequests.list', async (ctx) => { ctx.body = []; });\nrouter.post('accessRequests.info', async (ctx) => { ctx.body = {}; });\nexport default router;\n`,
      'server/main.ts': `import Router from '@koa/router';\nconst router = new Router();\nrouter.get('/_health', async (ctx) => { ctx.body = 'OK'; });\nexport default router;\n`,
      'server/routes/oauth/index.ts': `import Router from '@koa/router';\nconst router = new Router();\nrouter.post('/authorize', async (ctx) => {});\nrouter.post('/token', async (ctx) => {});\nrouter.post('/register', async (ctx) => {});\nrouter.get('/register/:id', async (ctx) => {});\nexport default router;\n`,
      'server/routes/index.ts': `import Router from '@koa/router';\nconst router = new Router();\nrouter.get('/robots.txt', async (ctx) => {});\nrouter.get('/s/:shareId', async (ctx) => {});\nrouter.get('/s/:shareId.:format', async (ctx) => {});\nrouter.get('/static/*', async (ctx) => {});\nexport default router;\n`,
    });
    const report = buildReadiness(index);
    assert.deepEqual(report.features.map((f) => `${f.name}:${f.routes.length}`), ['access-requests:2', 'events:1', 'oauth:4', 'shared:5']);
  });

  it('app/ and pages/ folders are Next.js features only in a Next.js project; code-kind folders under services/ are no feature (ghostfolio)', () => {
    const index = memIndex('/g', { '@nestjs/core': '^10.0.0', '@nestjs/common': '^10.0.0', '@angular/core': '^18.0.0' }, {
      'apps/client/src/app/pages/about/about-page.component.ts': `export class AboutPageComponent {}\n`,
      'apps/client/src/app/pages/faq/faq-page.component.ts': `export class FaqPageComponent {}\n`,
      'apps/api/src/services/interfaces/environment.interface.ts': `export interface Environment { port: number }\n`,
      'apps/api/src/services/cron/cron.service.ts': `export class CronService {}\n`,
    });
    assert.deepEqual(buildReadiness(index).features.map((f) => `${f.name}:${f.files.length}`), ['cron:1', 'shared:3']);
  });
});
