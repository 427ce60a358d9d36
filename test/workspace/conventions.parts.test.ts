/**
 * workspace/conventions: HTTP wrappers (http.ts), flag helpers (flags.ts), limiter bindings
 * (limiters.ts) and health routes (health.ts), on the fixture projects and on inline projects for
 * each pattern.
 */
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { learnHttpWrappers } from '../../server/src/workspace/conventions/http';
import { learnFlagHelpers } from '../../server/src/workspace/conventions/flags';
import { learnLimiters } from '../../server/src/workspace/conventions/limiters';
import { learnHealthRoutes } from '../../server/src/workspace/conventions/health';
import { cleanupTemp } from './fixtures';
import { fixture, inline, relative } from './learn';

after(cleanupTemp);

describe('HTTP wrappers', () => {
  it('functions and instances, with and without a deadline (got timeout, axios instance without one, fetch without signal)', () => {
    const l = fixture('express-winston');
    assert.deepEqual(relative(learnHttpWrappers(l.reader), l.root), [
      { file: 'src/lib/http.ts', exportName: 'getJson', setsDeadline: true, library: 'got' },
      { file: 'src/lib/http.ts', exportName: 'postJson', setsDeadline: false, library: 'fetch' },
      { file: 'src/lib/http.ts', exportName: 'quotesApi', setsDeadline: false, library: 'axios' },
    ]);
  });

  it('a workspace package factory (fetch + AbortSignal.timeout in a nested function), also through its barrel', () => {
    const l = fixture('monorepo');
    assert.deepEqual(relative(learnHttpWrappers(l.reader), l.root), [
      { file: 'packages/http/src/client.ts', exportName: 'createHttpClient', setsDeadline: true, library: 'fetch' },
      { file: 'packages/http/src/index.ts', exportName: 'createHttpClient', setsDeadline: true, library: 'fetch' },
    ]);
  });

  it('axios.create({ timeout }), ky\'s default deadline, undici request with headersTimeout, CommonJS node-fetch with an AbortController signal', () => {
    const got = ['nest-alias', 'fastify-pino', 'extends-pkg', 'js-require'].map((name) => {
      const l = fixture(name);
      return relative(learnHttpWrappers(l.reader), l.root);
    });
    assert.deepEqual(got, [
      [{ file: 'src/common/http.ts', exportName: 'http', setsDeadline: true, library: 'axios' }],
      [{ file: 'src/lib/api.ts', exportName: 'catalogApi', setsDeadline: true, library: 'ky' }],
      [{ file: 'src/lib/http.ts', exportName: 'postJson', setsDeadline: true, library: 'undici' }],
      [{ file: 'lib/http.js', exportName: 'getJson', setsDeadline: true, library: 'node-fetch' }],
    ]);
  });

  it('`api.defaults.timeout = ms` sets the instance\'s deadline; a client class; a service class is no wrapper; ky with timeout: false has none', () => {
    const l = inline({
      'src/api.ts': "import axios from 'axios';\nexport const api = axios.create({ baseURL: 'http://x' });\napi.defaults.timeout = 2000;\n",
      'src/client.ts': "import ky from 'ky';\nexport class BillingClient { get(u: string) { return ky.get(u, { timeout: false }); } }\nexport class BillingService { run() { return fetch('http://x', { signal: AbortSignal.timeout(1) }); } }\n",
      'src/use.ts': "import { api } from './api';\nimport { BillingClient, BillingService } from './client';\nexport const x = [api, BillingClient, BillingService];\n",
    });
    assert.deepEqual(relative(learnHttpWrappers(l.reader), l.root), [
      { file: 'src/api.ts', exportName: 'api', setsDeadline: true, library: 'axios' },
      { file: 'src/client.ts', exportName: 'BillingClient', setsDeadline: false, library: 'ky' },
    ]);
  });
});

describe('flag helpers', () => {
  it('own helpers called with keys (await cachedFlag(\'x\'), flags.isEnabled(\'x\') in a ternary) and an env switch in a condition', () => {
    const l = fixture('express-winston');
    // sorted by module: absolute paths ('/…') before 'process.env'
    assert.deepEqual(relative(learnFlagHelpers(l.reader), l.root), [
      { module: 'src/lib/flags.ts', exportName: 'cachedFlag', keys: ['quotes-v2'] },
      { module: 'src/lib/flags.ts', exportName: 'flags', method: 'isEnabled', keys: ['new-pricing'] },
      { module: 'process.env', exportName: 'process.env', keys: ['DISABLE_QUOTES'] },
    ]);
  });

  it('a key given as a constant imported through an alias (isOn(ORDER_TRACKING_FLAG)); workspace packages; CommonJS', () => {
    const got = ['remix-alias', 'monorepo', 'js-require', 'nest-alias'].map((name) => {
      const l = fixture(name);
      return relative(learnFlagHelpers(l.reader), l.root);
    });
    assert.deepEqual(got, [
      [{ module: 'app/services/flags.server.ts', exportName: 'isOn', keys: ['order-tracking'] }],
      [{ module: 'packages/flags/src/index.ts', exportName: 'isOn', keys: ['orders'] }],
      [{ module: 'lib/flags.js', exportName: 'isOn', keys: ['live-pricing'] }],
      [{ module: 'src/common/flags.ts', exportName: 'isOn', keys: ['payments'] }],
    ]);
  });

  it('an SDK client exported by a project module (ld.variation) and an SDK client used directly', () => {
    const l = fixture('fastify-pino');
    assert.deepEqual(relative(learnFlagHelpers(l.reader), l.root), [{ module: 'src/lib/flags.ts', exportName: 'ld', method: 'variation', keys: ['items-v2'] }]);
    const d = inline({
      'src/a.ts': "import { OpenFeature } from '@openfeature/server-sdk';\nconst client = OpenFeature.getClient();\nexport async function a() { if (await client.getBooleanValue('checkout-v2', false)) return 1; return 0; }\n",
    });
    assert.deepEqual(learnFlagHelpers(d.reader), [{ module: '@openfeature/server-sdk', exportName: 'OpenFeature', method: 'getBooleanValue', keys: ['checkout-v2'] }]);
  });

  it('a helper not named like one counts only in conditions; other string-keyed calls are not flags', () => {
    const l = inline({
      'src/toggles.ts': "export function on(key: string) { return process.env[key] === '1'; }\nexport function label(key: string) { return key; }\n",
      'src/a.ts': "import { on, label } from './toggles';\nexport function a() { if (on('fast-path')) return label('x'); const t = label('y'); return on('not-in-condition') ? t : ''; }\n",
      'src/b.ts': "import { translate } from './i18n';\nexport const b = () => (translate('hello') ? 1 : 0);\n",
      'src/i18n.ts': 'export function translate(k: string) { return k; }\n',
    });
    assert.deepEqual(relative(learnFlagHelpers(l.reader), l.root), [{ module: 'src/toggles.ts', exportName: 'on', keys: ['fast-path', 'not-in-condition'] }]);
  });
});

describe('limiter bindings', () => {
  it('a limiter and an array holding it, exported (monorepo), and module.exports = { guards: [apiLimiter] } (CommonJS)', () => {
    const a = fixture('monorepo');
    const b = fixture('js-require');
    assert.deepEqual([relative(learnLimiters(a.reader), a.root), relative(learnLimiters(b.reader), b.root)], [
      [{ file: 'apps/api/src/middleware/limiter.ts', name: 'limiter' }, { file: 'apps/api/src/middleware/limiter.ts', name: 'publicMiddleware' }],
      [{ file: 'lib/limiter.js', name: 'apiLimiter' }, { file: 'lib/limiter.js', name: 'default' }, { file: 'lib/limiter.js', name: 'guards' }],
    ]);
  });

  it('a middleware array in another file that holds an imported limiter (`[express.json(), limiter]`)', () => {
    const l = fixture('express-winston');
    assert.deepEqual(relative(learnLimiters(l.reader), l.root), [
      { file: 'src/middleware/index.ts', name: 'middlewares' },
      { file: 'src/middleware/limiter.ts', name: 'limiter' },
    ]);
  });

  it('two levels of files, a barrel, compose([...]), a middleware calling a limiter; a handler that only returns it holds none', () => {
    const l = inline({
      'src/limit.ts': "import { RateLimiterMemory } from 'rate-limiter-flexible';\nconst store = new RateLimiterMemory({ points: 5 });\nexport const byIp = (req: any, res: any, next: any) => store.consume(req.ip).then(() => next());\nexport const limiterStore = store;\n",
      'src/chain.ts': "import { limiterStore } from './limit';\nimport { compose } from './compose';\nexport const guarded = compose([limiterStore]);\nexport const api = [...guarded];\nexport const handler = () => limiterStore;\n",
      'src/compose.ts': 'export const compose = (xs: unknown[]) => xs;\n',
      'src/index.ts': "export * from './chain';\n",
      'src/app.ts': "import { api } from './index';\nexport const app = [api];\n",
    });
    assert.deepEqual(relative(learnLimiters(l.reader), l.root), [
      { file: 'src/app.ts', name: 'app' },
      { file: 'src/chain.ts', name: 'api' },
      { file: 'src/chain.ts', name: 'guarded' },
      { file: 'src/index.ts', name: 'api' },
      { file: 'src/index.ts', name: 'guarded' },
      { file: 'src/limit.ts', name: 'byIp' },
      { file: 'src/limit.ts', name: 'limiterStore' },
      { file: 'src/limit.ts', name: 'store' },
    ]);
  });
});

describe('health routes', () => {
  it('constants, object constants and router prefixes: `app.use(API_PREFIX, health)` with `router.get(PATHS.status)`', () => {
    assert.deepEqual(learnHealthRoutes(fixture('express-winston').reader), ['/api/health', '/api/status']);
  });

  it('Nest @Controller(CONST) + @Get(CONST) through an alias; Fastify register prefix; Hono; file routes; constants in the same or another file', () => {
    const got = ['nest-logger', 'nest-alias', 'fastify-pino', 'remix-alias', 'monorepo', 'js-require', 'extends-pkg', 'pnpm-mono'].map((n) => learnHealthRoutes(fixture(n).reader));
    assert.deepEqual(got, [['/api/healthz'], ['/health'], ['/livez', '/v1/ready'], ['/healthcheck'], ['/healthz'], ['/health'], ['/health'], []]);
  });

  it('Next app and pages routes, Remix nested route folders, Fastify route({ url }), template prefixes, Hono basePath', () => {
    const l = inline({
      'app/api/health/route.ts': 'export async function GET() { return Response.json({ ok: true }); }\n',
      'app/(ops)/readyz/route.ts': 'export async function GET() { return new Response(null); }\n',
      'pages/api/ping.ts': 'export default function handler(req: any, res: any) { res.end(); }\n',
      'web/app/routes/_ops.status/route.tsx': 'export const loader = () => null;\n',
      'src/f.ts': "import Fastify from 'fastify';\nconst V = 'v2';\nconst app = Fastify();\napp.route({ method: 'GET', url: `/${V}/healthz`, handler: async () => 'ok' });\n",
      'src/h.ts': "import { Hono } from 'hono';\nexport const h = new Hono().basePath('/edge');\nh.get('/live', (c) => c.text('ok'));\n",
    });
    assert.deepEqual(learnHealthRoutes(l.reader), ['/api/health', '/api/ping', '/edge/live', '/readyz', '/status', '/v2/healthz']);
  });
});
