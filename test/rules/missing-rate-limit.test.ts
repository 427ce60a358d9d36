import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runRule, runRuleTests } from '../harness/ruleTester';
import { missingRateLimit } from '../../server/src/rules/missing-rate-limit';
import { applyEdits } from '../../server/src/fixes/edits';

const EXPRESS = { express: '^4.18.2' };
const EXPRESS_RL7 = { express: '^4.18.2', 'express-rate-limit': '^7.1.5' };
/** The Session found a limiter held in an exported middleware array (ctx.view.limiters). */
const MIDDLEWARE_ARRAY_VIEW = { limiters: [{ file: '/project/src/middleware/index.ts', name: 'commonMiddleware' }, { file: '/project/src/middleware/limits.ts', name: 'limiter' }] };
/** 60 chains, each holding the previous one twice in its initializer and again in a reassignment: 2^60 paths unless each name is read once. */
const DEEP_CHAINS = Array.from({ length: 60 }, (_, i) => (i === 0 ? 'let c0 = [requestLimiter];' : `let c${i} = flag${i} ? [c${i - 1}, c${i - 1}] : [...c${i - 1}];\nc${i} = [c${i - 1}, auth];`)).join('\n');
const APP_WITH_IMPORTED_ARRAY = `import express from 'express';
import { commonMiddleware } from './middleware';
const app = express();
app.use(commonMiddleware);
app.post('/orders', createOrder);
app.post('/login', login);
app.listen(3000);`;

runRuleTests(missingRateLimit, {
  valid: [
    {
      name: 'issue 14: a limiter held in a middleware array another file exports (view.limiters)',
      code: APP_WITH_IMPORTED_ARRAY,
      deps: EXPRESS_RL7,
      view: MIDDLEWARE_ARRAY_VIEW,
    },
    {
      name: 'issue 14: a route spreading a middleware array the view knows holds a limiter',
      code: `import { Router } from 'express';
import { loginLimiter } from './limits';
import { commonMiddleware as common } from '@/middleware';
const router = Router();
router.post('/login', loginLimiter, login);
router.post('/reset-password', ...common, reset);
export default router;`,
      deps: EXPRESS_RL7,
      view: MIDDLEWARE_ARRAY_VIEW,
    },
    {
      name: 'issue 14: a limiter held in a local array, spread into the route',
      code: `import { Router } from 'express';
import rateLimit from 'express-rate-limit';
export function authRoutes() {
  const router = Router();
  const strict = rateLimit({ windowMs: 60_000, limit: 5 });
  const publicChain = [strict, json()];
  router.post('/login', ...publicChain, login);
  router.post('/reset-password', publicChain, reset);
  return router;
}`,
      deps: EXPRESS_RL7,
    },
    {
      name: 'issue 14: never a second limiter in front of an imported middleware array (it may hold one)',
      code: `import { Router } from 'express';
import { loginLimiter } from './limits';
import { publicMiddleware, authChain } from '../middleware';
const router = Router();
router.post('/login', loginLimiter, login);
router.post('/reset-password', ...publicMiddleware, reset);
router.post('/signup', authChain, signup);
export default router;`,
      deps: EXPRESS_RL7,
    },
    {
      name: 'issue 14: a webhook route whose comment says limiting breaks it',
      code: `import express, { Router } from 'express';
import { loginLimiter } from './limits';
const router = Router();
router.post('/login', loginLimiter, login);
// No rate limit here: Stripe retries deliveries and the limiter would disable the webhook.
router.post('/webhooks/stripe', express.raw({ type: 'application/json' }), stripeWebhook);
export default router;`,
      deps: EXPRESS_RL7,
    },
    {
      name: 'issue 14: a `let` chain set by a ternary of arrays that all hold the project limiter, reassigned to another that holds it',
      code: `import { Router } from 'express';
import { requestLimiter } from './middleware/limits';
const router = Router();
let sessionChain = useSso
  ? [ssoAuth, sessionAuth, requestLimiter]
  : useBasic
    ? [basicAuth, requestLimiter]
    : [noAuth, requestLimiter];
if (isTest) {
  sessionChain = [testAuth, requestLimiter];
}
router.route('/account/login').post(requestLimiter, login);
router.route('/account/mfa').get(sessionChain, mfaStatus).delete(sessionChain, disableMfa);
router.route('/user/password').put(sessionChain, changePassword);
router.route('/billing/payment_methods').post(sessionChain, addPaymentMethod);
export default router;`,
      deps: EXPRESS_RL7,
    },
    {
      name: 'issue 14: a chain that holds the limiter in one branch only: not reported (which runs is not visible), no second limiter',
      code: `import { Router } from 'express';
import { requestLimiter } from './middleware/limits';
const router = Router();
const chain = strict ? [sessionAuth, requestLimiter] : [sessionAuth];
router.post('/login', requestLimiter, login);
router.put('/user/password', chain, changePassword);
export default router;`,
      deps: EXPRESS_RL7,
    },
    {
      name: 'issue 14: a provider webhook whose inline middleware says it must not be rate limited',
      code: `import { Router } from 'express';
import { requestLimiter } from './middleware/limits';
const router = Router();
router.post('/billing/webhooks', requestLimiter, billingWebhook);
router.post('/payments/webhooks', (_req, _res, next) => {
  // Skip rate limiting of these webhooks: 429s make the provider disable the endpoint.
  next();
}, paymentsWebhook);
export default router;`,
      deps: EXPRESS_RL7,
    },
    {
      name: 'a configured limiter name (option `limiters`)',
      code: `import express from 'express';
import { shield } from './security';
const app = express();
app.use(shield);
app.post('/orders', createOrder);
app.listen(3000);`,
      deps: EXPRESS,
      settings: { rules: { 'missing-rate-limit': { options: { limiters: ['shield'] } } } },
    },
    {
      name: 'a temporary server closed by the function that starts it (setup wizard)',
      code: `import express from 'express';
export function runSetup(port: number) {
  const app = express();
  app.post('/setup-database', (req, res) => { save(req.body); res.json({ ok: true }); server.close(); });
  const server = app.listen(port);
}`,
      deps: EXPRESS,
    },
    {
      name: 'a keep-alive page is not worth a limiter',
      code: `import express from 'express';
const app = express();
app.get('/', (req, res) => res.send('Let the game begin!'));
app.listen(process.env.PORT);`,
      deps: EXPRESS,
    },
    {
      name: 'global express-rate-limit on the app',
      code: `import express from 'express';
import rateLimit from 'express-rate-limit';
const app = express();
app.use(rateLimit({ windowMs: 60_000, limit: 100 }));
app.post('/login', login);
app.listen(3000);`,
      deps: EXPRESS_RL7,
    },
    {
      name: 'a limiter from the project, named like one',
      code: `import express from 'express';
import { apiLimiter } from './middleware/limits';
const app = express();
app.use('/api', apiLimiter);
app.post('/api/orders', createOrder);
app.listen(3000);`,
      deps: EXPRESS,
    },
    {
      name: 'a limiter built from express-rate-limit under a neutral name',
      code: `const express = require('express');
const app = express();
const apiLimits = require('./limits').apiLimits;
app.use(guardrails);
app.get('/x', h);
app.listen(3000);
const guardrails = slowDown({ delayAfter: 10 });`,
      deps: EXPRESS,
    },
    {
      name: 'the app is handed to project code that may mount the limiter',
      code: `import express from 'express';
import { setupMiddleware } from './middleware';
const app = express();
setupMiddleware(app);
app.get('/users', listUsers);
app.listen(3000);`,
      deps: EXPRESS,
    },
    {
      name: 'a router file: the app (and its limiter) live elsewhere',
      code: `import { Router } from 'express';
const router = Router();
router.post('/login', login);
router.post('/signup', signup);
export default router;`,
      deps: EXPRESS,
    },
    {
      name: 'an exported app that this file does not start may be mounted under a limiter',
      code: `import express from 'express';
const app = express();
app.get('/items', list);
export default app;`,
      deps: EXPRESS,
    },
    {
      name: 'only routers from other files are mounted, and the project has a limiter they may use',
      code: `import express from 'express';
import apiRouter from './routes/api';
const app = express();
app.use(express.json());
app.use('/api', apiRouter);
app.listen(3000);`,
      deps: EXPRESS_RL7,
    },
    {
      name: 'a workspace package.json without the framework: its dependencies are elsewhere',
      code: `import express from 'express';
const app = express();
app.get('/', h);
app.listen(3000);`,
      deps: {},
    },
    {
      name: 'Cloudflare Workers: rate limiting is platform configuration',
      code: `import { Hono } from 'hono';
import { serve } from '@hono/node-server';
const app = new Hono();
app.get('/', (c) => c.text('hi'));
serve({ fetch: app.fetch, port: 8787 });`,
      deps: { hono: '^4.0.0', wrangler: '^3.0.0' },
    },
    {
      name: 'Next.js edge runtime',
      code: `import { Hono } from 'hono';
import { handle } from 'hono/vercel';
export const runtime = 'edge';
const app = new Hono().basePath('/api');
app.post('/hello', (c) => c.json({}));
export const POST = handle(app);`,
      filename: 'app/api/[[...route]]/route.ts',
      deps: { hono: '^4.0.0', next: '^14.0.0' },
    },
    {
      name: 'Fastify with @fastify/rate-limit registered',
      code: `import Fastify from 'fastify';
import rateLimit from '@fastify/rate-limit';
const app = Fastify();
await app.register(rateLimit, { max: 100, timeWindow: '1 minute' });
app.post('/login', login);
await app.listen({ port: 3000 });`,
      deps: { fastify: '^4.0.0', '@fastify/rate-limit': '^9.0.0' },
    },
    {
      name: 'Fastify with the limiter loaded by a dynamic import',
      code: `import Fastify from 'fastify';
const app = Fastify();
await app.register(import('@fastify/rate-limit'), { max: 100 });
app.get('/', h);
await app.listen({ port: 3000 });`,
      deps: { fastify: '^4.0.0', '@fastify/rate-limit': '^9.0.0' },
    },
    {
      name: 'Koa with koa-ratelimit',
      code: `import Koa from 'koa';
import ratelimit from 'koa-ratelimit';
const app = new Koa();
app.use(ratelimit({ driver: 'memory', db: new Map(), duration: 60000, max: 100 }));
app.listen(3000);`,
      deps: { koa: '^2.0.0', 'koa-ratelimit': '^5.0.0' },
    },
    {
      name: 'Nest with @nestjs/throttler in the project (ThrottlerModule lives in a module file)',
      code: `import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  await app.listen(3000);
}
bootstrap();`,
      filename: 'src/main.ts',
      deps: { '@nestjs/core': '^10.0.0', '@nestjs/common': '^10.0.0', '@nestjs/throttler': '^5.0.0' },
    },
    {
      name: 'test files are out of scope',
      code: `import express from 'express';
const app = express();
app.get('/', h);
app.listen(0);`,
      filename: 'test/server.test.ts',
      deps: EXPRESS,
    },
    {
      name: 'every sensitive route carries the limiter its siblings use',
      code: `import { Router } from 'express';
import { authLimiter } from '../limits';
const router = Router();
router.post('/login', authLimiter, login);
router.post('/reset-password', authLimiter, reset);
router.get('/profile', profile);`,
      deps: EXPRESS_RL7,
    },
    {
      name: 'a sensitive-looking route behind authentication',
      code: `import { Router } from 'express';
import { authLimiter } from '../limits';
const router = Router();
router.post('/login', authLimiter, login);
router.post('/password', requireAuth, changePassword);`,
      deps: EXPRESS_RL7,
    },
    {
      name: 'router.use(limiter) covers every route of the router',
      code: `import { Router } from 'express';
import rateLimit from 'express-rate-limit';
const router = Router();
router.use(rateLimit({ windowMs: 60000, limit: 20 }));
router.post('/login', login);
router.post('/signup', signup);`,
      deps: EXPRESS_RL7,
    },
    {
      name: 'Nest: the throttler guard on the controller covers every route',
      code: `import { Controller, Post, UseGuards } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
@Controller('auth')
@UseGuards(ThrottlerGuard)
export class AuthController {
  @Post('login') login() {}
  @Post('reset') reset() {}
}`,
      deps: { '@nestjs/common': '^10.0.0', '@nestjs/throttler': '^5.0.0' },
    },
    {
      name: 'Nest: a sensitive route behind a JWT guard',
      code: `import { Controller, Post, UseGuards } from '@nestjs/common';
import { Throttle } from '@nestjs/throttler';
@Controller('auth')
export class AuthController {
  @Post('login')
  @Throttle({ default: { limit: 5, ttl: 60000 } })
  login() {}
  @Post('webauthn/verify-attestation')
  @UseGuards(AuthGuard('jwt'))
  verify() {}
}`,
      deps: { '@nestjs/common': '^10.0.0', '@nestjs/throttler': '^5.0.0' },
    },
    {
      name: 'an app created in a function and configured by project code',
      code: `import express from 'express';
import { registerRoutes } from './routes';
export function start() {
  const app = express();
  registerRoutes(app);
  app.listen(3000);
}`,
      deps: EXPRESS,
    },
    {
      name: 'Hono with hono-rate-limiter',
      code: `import { Hono } from 'hono';
import { serve } from '@hono/node-server';
import { rateLimiter } from 'hono-rate-limiter';
const app = new Hono();
app.use(rateLimiter({ windowMs: 60000, limit: 100, keyGenerator: (c) => 'k' }));
app.get('/', (c) => c.text('ok'));
serve(app);`,
      deps: { hono: '^4.0.0', 'hono-rate-limiter': '^0.4.0' },
    },
  ],
  invalid: [
    {
      name: 'issue 14: without the view, an imported middleware array is not known to hold a limiter',
      code: APP_WITH_IMPORTED_ARRAY,
      deps: EXPRESS_RL7,
      errors: [{ line: 3, column: 13, message: 'Express app `app` registers 2 routes here with no rate limiter in their middleware chain (the project has express-rate-limit but this app never mounts it). It serves sensitive routes (POST /login) that attackers hammer.' }],
      output: `import express from 'express';
import { commonMiddleware } from './middleware';
import rateLimit from 'express-rate-limit';
const app = express();
app.use(rateLimit({ windowMs: 60 * 1000, limit: 100 }));
app.use(commonMiddleware);
app.post('/orders', createOrder);
app.post('/login', login);
app.listen(3000);`,
    },
    {
      name: 'issue 14: a limiter held in a variable of another file (view.limiters) is reused by name',
      code: `import { Router } from 'express';
import { limiter } from '../middleware/limits';
const router = Router();
router.post('/login', limiter, login);
router.post('/register', register);
export default router;`,
      filename: '/project/src/routes/auth.ts',
      deps: EXPRESS_RL7,
      view: MIDDLEWARE_ARRAY_VIEW,
      errors: [{ line: 5, column: 13, message: 'POST /register is a sensitive route without the rate limiter that POST /login gets' }],
      output: `import { Router } from 'express';
import { limiter } from '../middleware/limits';
const router = Router();
router.post('/login', limiter, login);
router.post('/register', limiter, register);
export default router;`,
    },
    {
      name: 'issue 14: beside a chain holding the limiter (ternary + reassignment), a route without it is still reported',
      code: `import { Router } from 'express';
import { requestLimiter } from './middleware/limits';
const router = Router();
let sessionChain = useSso ? [ssoAuth, requestLimiter] : [noAuth, requestLimiter];
if (isTest) sessionChain = [testAuth, requestLimiter];
router.route('/user/password').put(sessionChain, changePassword);
router.route('/user/reset-password').post(resetPassword);
export default router;`,
      deps: EXPRESS_RL7,
      errors: [{ line: 7, column: 43, message: 'POST /user/reset-password is a sensitive route without the rate limiter that PUT /user/password gets in this file' }],
      output: null,
    },
    {
      name: 'issue 14: a chain reassigned to an array without the limiter no longer counts as limited',
      code: `import { Router } from 'express';
import { requestLimiter } from './middleware/limits';
const router = Router();
let sessionChain = [sessionAuth];
if (isTest) sessionChain = [testAuth];
router.post('/login', requestLimiter, login);
router.put('/user/password', sessionChain, changePassword);
export default router;`,
      deps: EXPRESS_RL7,
      errors: [{ line: 7, column: 12, message: 'PUT /user/password is a sensitive route without the rate limiter that POST /login gets in this file' }],
      output: `import { Router } from 'express';
import { requestLimiter } from './middleware/limits';
const router = Router();
let sessionChain = [sessionAuth];
if (isTest) sessionChain = [testAuth];
router.post('/login', requestLimiter, login);
router.put('/user/password', requestLimiter, sessionChain, changePassword);
export default router;`,
    },
    {
      name: 'issue 14: an inline middleware whose comment is not about limiting does not silence a webhook',
      code: `import { Router } from 'express';
import { requestLimiter } from './middleware/limits';
const router = Router();
router.post('/billing/webhooks', requestLimiter, billingWebhook);
router.post('/payments/webhooks', (req, _res, next) => {
  // keep the raw body for the signature check; do not parse it
  next();
}, paymentsWebhook);
export default router;`,
      deps: EXPRESS_RL7,
      errors: [{ line: 5, column: 13, message: 'POST /payments/webhooks is a sensitive route without the rate limiter that POST /billing/webhooks gets in this file' }],
      output: null,
    },
    {
      name: 'issue 14: chains of chains are each read once (60 levels, every value holding the limiter)',
      code: `import { Router } from 'express';
import { requestLimiter } from './middleware/limits';
const router = Router();
${DEEP_CHAINS}
router.put('/user/password', c59, changePassword);
router.post('/user/reset-password', resetPassword);
export default router;`,
      deps: EXPRESS_RL7,
      errors: [{ line: 124, column: 13, message: 'POST /user/reset-password is a sensitive route without the rate limiter that PUT /user/password gets in this file' }],
      output: null,
    },
    {
      name: 'issue 14: a webhook route left out of per-route limiting is reported without a limiter fix',
      code: `import express, { Router } from 'express';
import { loginLimiter } from './limits';
const router = Router();
router.post('/login', loginLimiter, login);
router.post('/webhooks/stripe', express.raw({ type: 'application/json' }), stripeWebhook);
export default router;`,
      deps: EXPRESS_RL7,
      errors: [{ line: 5, column: 13, message: 'POST /webhooks/stripe is a sensitive route' }],
      output: null,
    },
    {
      name: 'issue 14: no app-wide limiter fix when a route\'s comment says limiting breaks it',
      code: `import express from 'express';
const app = express();
app.post('/login', login);
// Do not rate limit: the provider retries and a limiter drops its deliveries.
app.post('/webhooks/github', githubWebhook);
app.listen(3000);`,
      deps: EXPRESS_RL7,
      errors: [{ line: 2, column: 13, message: 'It serves sensitive routes (POST /login) that attackers hammer.' }],
      output: null,
    },
    {
      name: 'an Express app with no limiter in a project without one: reported, no fix to install',
      code: `import express from 'express';
const app = express();
app.post('/items', (req, res) => res.send('ok'));
app.listen(3000);`,
      deps: EXPRESS,
      errors: [{ line: 2, column: 13, endLine: 2, endColumn: 22, message: 'Express app `app` has no rate limiter in its middleware chain and the project depends on none' }],
      output: null,
    },
    {
      name: 'sensitive routes are named in the message',
      code: `const express = require('express');
const app = express();
app.post('/api/login', login);
app.post('/api/payments/checkout', pay);
app.listen(process.env.PORT);`,
      filename: 'src/server.js',
      deps: EXPRESS,
      errors: [{ line: 2, column: 13, message: 'sensitive routes (POST /api/login, POST /api/payments/checkout)' }],
    },
    {
      name: 'express-rate-limit v7 installed but not mounted: add it with `limit`',
      code: `import express from 'express';
import { login } from './auth';

const app = express();
app.post('/login', login);
app.listen(3000);
`,
      deps: EXPRESS_RL7,
      errors: [{ line: 4, column: 13, message: 'the project has express-rate-limit but this app never mounts it' }],
      output: `import express from 'express';
import { login } from './auth';
import rateLimit from 'express-rate-limit';

const app = express();
app.use(rateLimit({ windowMs: 60 * 1000, limit: 100 }));
app.post('/login', login);
app.listen(3000);
`,
    },
    {
      name: 'window and limit from the options',
      code: `import express from 'express';
const app = express();
app.post('/search', search);
app.listen(3000);`,
      deps: EXPRESS_RL7,
      settings: { rules: { 'missing-rate-limit': { options: { windowMs: 900000, limit: 300 } } } },
      errors: [{ line: 2, column: 13 }],
      output: `import express from 'express';
import rateLimit from 'express-rate-limit';
const app = express();
app.use(rateLimit({ windowMs: 15 * 60 * 1000, limit: 300 }));
app.post('/search', search);
app.listen(3000);`,
    },
    {
      name: 'express-rate-limit v6 takes `max`',
      code: `import express from 'express';
const app = express();
app.post('/search', search);
app.listen(3000);`,
      deps: { express: '^4.18.2', 'express-rate-limit': '^6.11.0' },
      errors: [{ line: 2, column: 13 }],
      output: `import express from 'express';
import rateLimit from 'express-rate-limit';
const app = express();
app.use(rateLimit({ windowMs: 60 * 1000, max: 100 }));
app.post('/search', search);
app.listen(3000);`,
    },
    {
      name: 'package.json says >=6 but the lockfile resolved 7.4.1: `limit`',
      code: `import express from 'express';
const app = express();
app.post('/search', search);
app.listen(3000);`,
      deps: { express: '^4.18.2', 'express-rate-limit': '>=6' },
      versions: { 'express-rate-limit': '7.4.1' },
      errors: [{ line: 2, column: 13 }],
      output: `import express from 'express';
import rateLimit from 'express-rate-limit';
const app = express();
app.use(rateLimit({ windowMs: 60 * 1000, limit: 100 }));
app.post('/search', search);
app.listen(3000);`,
    },
    {
      name: 'package.json says ^7 but the lockfile still pins 6.11.2: `max`',
      code: `import express from 'express';
const app = express();
app.post('/search', search);
app.listen(3000);`,
      deps: { express: '^4.18.2', 'express-rate-limit': '^7.0.0' },
      versions: { 'express-rate-limit': '6.11.2' },
      errors: [{ line: 2, column: 13 }],
      output: `import express from 'express';
import rateLimit from 'express-rate-limit';
const app = express();
app.use(rateLimit({ windowMs: 60 * 1000, max: 100 }));
app.post('/search', search);
app.listen(3000);`,
    },
    {
      name: 'CommonJS, v7: the named export, no semicolons kept',
      code: `const express = require('express')
const app = express()
app.post('/search', search)
app.listen(3000)`,
      filename: 'src/server.js',
      deps: EXPRESS_RL7,
      errors: [{ line: 2, column: 13 }],
      output: `const express = require('express')
const { rateLimit } = require('express-rate-limit')
const app = express()
app.use(rateLimit({ windowMs: 60 * 1000, limit: 100 }))
app.post('/search', search)
app.listen(3000)`,
    },
    {
      name: 'CommonJS, v5: the module itself is the function',
      code: `const express = require('express');
const app = express();
app.post('/search', search);
app.listen(3000);`,
      filename: 'src/server.js',
      deps: { express: '^4.17.0', 'express-rate-limit': '^5.5.1' },
      errors: [{ line: 2, column: 13 }],
      output: `const express = require('express');
const rateLimit = require('express-rate-limit');
const app = express();
app.use(rateLimit({ windowMs: 60 * 1000, max: 100 }));
app.post('/search', search);
app.listen(3000);`,
    },
    {
      name: 'an app created and started inside a function keeps its indentation',
      code: `import express from 'express';
export async function main() {
    const app = express();
    app.post('/orders', createOrder);
    app.listen(3000);
}`,
      deps: EXPRESS_RL7,
      errors: [{ line: 3, column: 17 }],
      output: `import express from 'express';
import rateLimit from 'express-rate-limit';
export async function main() {
    const app = express();
    app.use(rateLimit({ windowMs: 60 * 1000, limit: 100 }));
    app.post('/orders', createOrder);
    app.listen(3000);
}`,
    },
    {
      name: 'http.createServer(app) starts the app',
      code: `import express from 'express';
import http from 'node:http';
const app = express();
app.post('/', h);
http.createServer(app).listen(8080);`,
      deps: EXPRESS,
      errors: [{ line: 3, column: 13 }],
      output: null,
    },
    {
      name: 'Fastify in an async function: await the plugin before the routes',
      code: `import Fastify from 'fastify';
async function start() {
  const app = Fastify({ logger: true });
  app.post('/login', login);
  await app.listen({ port: 3000 });
}
start();`,
      deps: { fastify: '^4.26.0', '@fastify/rate-limit': '^9.1.0' },
      errors: [{ line: 3, column: 15 }],
      output: `import Fastify from 'fastify';
import rateLimit from '@fastify/rate-limit';
async function start() {
  const app = Fastify({ logger: true });
  await app.register(rateLimit, { max: 100, timeWindow: '1 minute' });
  app.post('/login', login);
  await app.listen({ port: 3000 });
}
start();`,
    },
    {
      name: 'Fastify at the top level of a TypeScript file: no fix (await may not be allowed)',
      code: `import Fastify from 'fastify';
const app = Fastify();
app.post('/', h);
app.listen({ port: 3000 });`,
      deps: { fastify: '^4.26.0', '@fastify/rate-limit': '^9.1.0' },
      errors: [{ line: 2, column: 13, message: 'Fastify app `app` registers 1 route here' }],
      output: null,
    },
    {
      name: 'Koa with a router created and mounted here',
      code: `import Koa from 'koa';
import Router from '@koa/router';
const app = new Koa();
const router = new Router();
router.post('/login', login);
app.use(router.routes());
app.listen(3000);`,
      deps: { koa: '^2.15.0', '@koa/router': '^12.0.0', 'koa-ratelimit': '^5.1.0' },
      errors: [{ line: 3, column: 13, message: 'sensitive routes (POST /login)' }],
      output: `import Koa from 'koa';
import Router from '@koa/router';
import ratelimit from 'koa-ratelimit';
const app = new Koa();
app.use(ratelimit({ driver: 'memory', db: new Map(), duration: 60 * 1000, max: 100 }));
const router = new Router();
router.post('/login', login);
app.use(router.routes());
app.listen(3000);`,
    },
    {
      name: 'Hono served by @hono/node-server',
      code: `import { Hono } from 'hono';
import { serve } from '@hono/node-server';
const app = new Hono();
app.post('/', (c) => c.text('ok'));
serve({ fetch: app.fetch, port: 3000 });`,
      deps: { hono: '^4.0.0', 'hono-rate-limiter': '^0.4.0' },
      errors: [{ line: 3, column: 13 }],
      output: `import { Hono } from 'hono';
import { serve } from '@hono/node-server';
import { rateLimiter } from 'hono-rate-limiter';
const app = new Hono();
app.use(rateLimiter({ windowMs: 60 * 1000, limit: 100, keyGenerator: (c) => c.req.header('x-forwarded-for') ?? '' }));
app.post('/', (c) => c.text('ok'));
serve({ fetch: app.fetch, port: 3000 });`,
    },
    {
      name: 'a Nest application in a project with no limiter at all',
      code: `import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  await app.listen(3000);
}
bootstrap();`,
      filename: 'src/main.ts',
      deps: { '@nestjs/core': '^10.0.0', '@nestjs/common': '^10.0.0' },
      errors: [{ line: 4, column: 21, message: 'Add @nestjs/throttler' }],
      output: null,
    },
    {
      name: 'a sensitive route left out of the limiter its sibling gets',
      code: `import { Router } from 'express';
import { loginLimiter } from '../middleware/limits';
const router = Router();
router.post('/login', loginLimiter, login);
router.post('/forgot-password', forgotPassword);
router.get('/me', me);
export default router;`,
      deps: EXPRESS_RL7,
      errors: [{ line: 5, column: 13, endLine: 5, endColumn: 31, message: 'POST /forgot-password is a sensitive route without the rate limiter that POST /login gets' }],
      output: `import { Router } from 'express';
import { loginLimiter } from '../middleware/limits';
const router = Router();
router.post('/login', loginLimiter, login);
router.post('/forgot-password', loginLimiter, forgotPassword);
router.get('/me', me);
export default router;`,
    },
    {
      name: 'an inline sibling limiter is copied',
      code: `const router = require('express').Router();
const rateLimit = require('express-rate-limit');
router.post('/signup', rateLimit({ windowMs: 3600000, limit: 5 }), signup);
router.post('/otp/verify', asyncHandler(verifyOtp));
module.exports = router;`,
      filename: 'src/routes/auth.js',
      deps: EXPRESS_RL7,
      errors: [{ line: 4, column: 13, message: 'POST /otp/verify' }],
      output: `const router = require('express').Router();
const rateLimit = require('express-rate-limit');
router.post('/signup', rateLimit({ windowMs: 3600000, limit: 5 }), signup);
router.post('/otp/verify', rateLimit({ windowMs: 3600000, limit: 5 }), asyncHandler(verifyOtp));
module.exports = router;`,
    },
    {
      name: 'Nest: add the throttler guard its siblings use',
      code: `import { Controller, Post, UseGuards } from '@nestjs/common';
import { CustomThrottlerGuard } from '../guards/custom-throttler.guard';
@Controller('auth')
export class AuthController {
  @Post('anonymous')
  @UseGuards(CustomThrottlerGuard)
  anonymous() {}

  @Post('reset-password')
  resetPassword() {}
}`,
      deps: { '@nestjs/common': '^10.0.0', '@nestjs/throttler': '^5.0.0' },
      errors: [{ line: 9, column: 3, endLine: 9, endColumn: 26, message: 'POST /auth/reset-password is a sensitive route without the throttling that POST /auth/anonymous gets' }],
      output: `import { Controller, Post, UseGuards } from '@nestjs/common';
import { CustomThrottlerGuard } from '../guards/custom-throttler.guard';
@Controller('auth')
export class AuthController {
  @Post('anonymous')
  @UseGuards(CustomThrottlerGuard)
  anonymous() {}

  @Post('reset-password')
  @UseGuards(CustomThrottlerGuard)
  resetPassword() {}
}`,
    },
    {
      name: 'Nest: merge into an existing @UseGuards',
      code: `import { Controller, Post, UseGuards } from '@nestjs/common';
@Controller()
export class AuthController {
  @Post('login')
  @UseGuards(LocalAuthGuard, LoginThrottlerGuard)
  login() {}
  @Post('signup')
  @UseGuards(CaptchaGuard)
  signup() {}
}`,
      deps: { '@nestjs/common': '^10.0.0' },
      errors: [{ line: 7, column: 3 }],
      output: `import { Controller, Post, UseGuards } from '@nestjs/common';
@Controller()
export class AuthController {
  @Post('login')
  @UseGuards(LocalAuthGuard, LoginThrottlerGuard)
  login() {}
  @Post('signup')
  @UseGuards(CaptchaGuard, LoginThrottlerGuard)
  signup() {}
}`,
    },
    {
      name: 'Nest: copy the sibling @Throttle',
      code: `import { Controller, Post } from '@nestjs/common';
import { Throttle } from '@nestjs/throttler';
@Controller('users')
export class UsersController {
  @Post('login')
  @Throttle({ default: { limit: 5, ttl: 60000 } })
  login() {}
  @Post('register')
  register() {}
}`,
      deps: { '@nestjs/common': '^10.0.0', '@nestjs/throttler': '^5.0.0' },
      errors: [{ line: 8, column: 3 }],
      output: `import { Controller, Post } from '@nestjs/common';
import { Throttle } from '@nestjs/throttler';
@Controller('users')
export class UsersController {
  @Post('login')
  @Throttle({ default: { limit: 5, ttl: 60000 } })
  login() {}
  @Post('register')
  @Throttle({ default: { limit: 5, ttl: 60000 } })
  register() {}
}`,
    },
  ],
});

describe('missing-rate-limit: an app-wide limiter over a webhook is never preferred (issue 14)', () => {
  const code = `import express from 'express';\nconst app = express();\napp.post('/login', login);\napp.post('/webhooks/stripe', express.raw({ type: 'application/json' }), stripeWebhook);\napp.listen(3000);`;
  it('offered with a title that names the webhook, not preferred, not safe; the edit is the usual mount', () => {
    const [f] = runRule(missingRateLimit, { code, deps: EXPRESS_RL7 });
    assert.deepEqual(f.fixes.map((x) => [x.title, !!x.isPreferred, !!x.safe]), [
      ["Mount express-rate-limit on `app` (100 requests per 60 s): it also limits POST /webhooks/stripe, whose provider's deliveries it can drop", false, false],
    ]);
    assert.equal(applyEdits(code, f.fixes[0].edits), `import express from 'express';\nimport rateLimit from 'express-rate-limit';\nconst app = express();\napp.use(rateLimit({ windowMs: 60 * 1000, limit: 100 }));\napp.post('/login', login);\napp.post('/webhooks/stripe', express.raw({ type: 'application/json' }), stripeWebhook);\napp.listen(3000);`);
  });
  it('without a webhook route the mount stays preferred', () => {
    const [f] = runRule(missingRateLimit, { code: code.replace("app.post('/webhooks/stripe', express.raw({ type: 'application/json' }), stripeWebhook);\n", "app.post('/signup', signup);\n"), deps: EXPRESS_RL7 });
    assert.deepEqual(f.fixes.map((x) => [x.title, !!x.isPreferred]), [['Mount express-rate-limit on `app` (100 requests per 60 s)', true]]);
  });
});
