/**
 * Every fixable rule's fixes type-check against the libraries' real typings (issue 14).
 *
 * For each project of cases.ts (written to a fresh temporary folder next to the installed
 * node_modules of examples/shop-api or test/typecheck/libs), every fix of every finding of the
 * files checked is applied alone; the test asserts the exact fixes offered (rule, title, preferred,
 * safe, and the changed lines) and that the TypeScript checker (strict, exactOptionalPropertyTypes)
 * reports no error over the project as written and over each fixed project. The last test asserts
 * that every rule whose meta says `fixable` has at least one fix checked here.
 *
 * Needs `npm ci` in both fixtures: `npm run test:typecheck` does it.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ALL_RULES } from '../../server/src/rules';
import { CASES } from './cases';
import { checkFixes, hunk } from './harness';

interface Expected { file: string; rule: string; title: string; preferred: boolean; safe: boolean; hunk: string }

const EXPECTED: Record<string, Expected[]> = {
  "shop: fetch and axios without deadlines (missing-timeout)": [
    { file: "src/clients/rates.ts", rule: "missing-timeout", title: "Add timeout: 10000", preferred: true, safe: true,
      hunk: "@3\n-const api = axios.create({ baseURL: 'https://rates.example.com' });\n+const api = axios.create({ baseURL: 'https://rates.example.com', timeout: 10000 });" },
    { file: "src/clients/rates.ts", rule: "missing-timeout", title: "Add signal: AbortSignal.timeout(10000)", preferred: true, safe: true,
      hunk: "@6\n-  const res = await fetch(`https://rates.example.com/latest?base=\${base}`);\n+  const res = await fetch(`https://rates.example.com/latest?base=\${base}`, { signal: AbortSignal.timeout(10000) });" },
    { file: "src/clients/rates.ts", rule: "missing-timeout", title: "Add timeout: 10000", preferred: true, safe: true,
      hunk: "@11\n-  const { data } = await axios.get<unknown>(`https://rates.example.com/\${day}`);\n+  const { data } = await axios.get<unknown>(`https://rates.example.com/\${day}`, { timeout: 10000 });" },
  ],
  "shop: pg pool and ioredis client (missing-client-timeout, cache-without-ttl)": [
    { file: "src/lib/db.ts", rule: "missing-client-timeout", title: "Add connectionTimeoutMillis: 10000", preferred: true, safe: true,
      hunk: "@4\n-export const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });\n+export const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, connectionTimeoutMillis: 10000 });" },
    { file: "src/lib/db.ts", rule: "cache-without-ttl", title: "Add 'EX', 300", preferred: true, safe: true,
      hunk: "@8\n-  await redis.set(`product:\${id}`, json);\n+  await redis.set(`product:\${id}`, json, 'EX', 300);" },
  ],
  "shop: an Express service with a pino logger module (swallowed-error, unstructured-log, floating-promise, sequential-awaits, await-in-loop, leaked-error-details, no-fallback, process-health, missing-idempotency)": [
    { file: "src/server.ts", rule: "swallowed-error", title: "Log the error with logger (the project's logger, object-first calls)", preferred: true, safe: true,
      hunk: "@19\n+    logger.error({ err }, 'loadProfile failed');" },
    { file: "src/server.ts", rule: "no-fallback", title: "Wrap in try/catch: log with logger (the project's logger, object-first calls) and respond 502", preferred: true, safe: true,
      hunk: "@24\n-  const user = await axios.get<unknown>(`https://users.example.com/\${req.params.id}`, { timeout: 5000 });\n-  const orders = await axios.get<unknown>(`https://orders.example.com/by-user/\${req.params.id}`, { timeout: 5000 });\n-  res.json({ user: user.data, orders: orders.data });\n+  try {\n+    const user = await axios.get<unknown>(`https://users.example.com/\${req.params.id}`, { timeout: 5000 });\n+    const orders = await axios.get<unknown>(`https://orders.example.com/by-user/\${req.params.id}`, { timeout: 5000 });\n+    res.json({ user: user.data, orders: orders.data });\n+  } catch (err) {\n+    logger.error({ err }, 'GET /profile/:id failed');\n+    res.status(502).json({ error: 'Upstream service temporarily unavailable' });\n+  }" },
    { file: "src/server.ts", rule: "sequential-awaits", title: "Start the 2 independent reads together with Promise.all (changes error timing: all start even if one fails)", preferred: false, safe: false,
      hunk: "@24\n-  const user = await axios.get<unknown>(`https://users.example.com/\${req.params.id}`, { timeout: 5000 });\n-  const orders = await axios.get<unknown>(`https://orders.example.com/by-user/\${req.params.id}`, { timeout: 5000 });\n+  const [user, orders] = await Promise.all([\n+    axios.get<unknown>(`https://users.example.com/\${req.params.id}`, { timeout: 5000 }),\n+    axios.get<unknown>(`https://orders.example.com/by-user/\${req.params.id}`, { timeout: 5000 }),\n+  ]);" },
    { file: "src/server.ts", rule: "missing-idempotency", title: "Pass idempotencyKey: `payment-intent-${orderId}` (stable for this operation)", preferred: true, safe: false,
      hunk: "@32\n-    const intent = await stripe.paymentIntents.create({ amount: 1000, currency: 'usd', metadata: { orderId } });\n+    const intent = await stripe.paymentIntents.create({ amount: 1000, currency: 'usd', metadata: { orderId } }, { idempotencyKey: `payment-intent-\${orderId}` });" },
    { file: "src/server.ts", rule: "floating-promise", title: "Await the promise (its errors reach the caller; the function now waits for it)", preferred: true, safe: false,
      hunk: "@33\n-    audit('order.paid');\n+    await audit('order.paid');" },
    { file: "src/server.ts", rule: "floating-promise", title: "Add .catch() that logs the error with logger (the project's logger, object-first calls)", preferred: false, safe: false,
      hunk: "@33\n-    audit('order.paid');\n+    audit('order.paid').catch((err) => logger.error({ err }, 'audit failed'));" },
    { file: "src/server.ts", rule: "leaked-error-details", title: "Respond with a generic message and an error id; log the error with logger (the project's logger, object-first calls)", preferred: true, safe: false,
      hunk: "@5\n+import { randomUUID } from 'node:crypto';\n@36\n-    res.status(500).json({ error: (err as Error).message });\n+    const errorId = randomUUID();\n+    logger.error({ err, errorId }, 'Request failed');\n+    res.status(500).json({ error: 'Internal server error', errorId });" },
    { file: "src/server.ts", rule: "await-in-loop", title: "Run all iterations at once with Promise.all (unbounded concurrency; changes order and error timing)", preferred: false, safe: false,
      hunk: "@42\n-  for (const id of ids) {\n-    await axios.post('https://notify.example.com/send', { id }, { timeout: 5000 });\n-  }\n+  await Promise.all(ids.map((id) => axios.post('https://notify.example.com/send', { id }, { timeout: 5000 })));" },
    { file: "src/server.ts", rule: "no-fallback", title: "Wrap in try/catch: log with logger (the project's logger, object-first calls) and respond 502", preferred: true, safe: true,
      hunk: "@42\n-  for (const id of ids) {\n-    await axios.post('https://notify.example.com/send', { id }, { timeout: 5000 });\n+  try {\n+    for (const id of ids) {\n+      await axios.post('https://notify.example.com/send', { id }, { timeout: 5000 });\n+    }\n+    console.log('notified', ids.length);\n+    res.sendStatus(204);\n+  } catch (err) {\n+    logger.error({ err }, 'POST /orders/notify failed');\n+    res.status(502).json({ error: 'Upstream service temporarily unavailable' });\n@45\n-  console.log('notified', ids.length);\n-  res.sendStatus(204);" },
    { file: "src/server.ts", rule: "unstructured-log", title: "Log with logger (the project's logger, object-first calls)", preferred: true, safe: true,
      hunk: "@45\n-  console.log('notified', ids.length);\n+  logger.info({ idsLength: ids.length }, 'notified');" },
    { file: "src/server.ts", rule: "process-health", title: "Add graceful shutdown on SIGTERM/SIGINT (server.close(), 10 s limit)", preferred: true, safe: false,
      hunk: "@49\n-app.listen(3000, () => logger.info('listening'));\n+const server = app.listen(3000, () => logger.info('listening'));\n+const shutdown = (signal: NodeJS.Signals) => {\n+  logger.info({ signal }, 'shutting down');\n+  // stop accepting connections, let in-flight requests finish, then exit\n+  new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())))\n+    .then(() => process.exit(0))\n+    .catch((err) => {\n+      logger.error({ err }, 'shutdown failed');\n+      process.exit(1);\n+    });\n+  setTimeout(() => process.exit(1), 10_000).unref();\n+};\n+process.on('SIGTERM', shutdown);\n+process.on('SIGINT', shutdown);" },
    { file: "src/server.ts", rule: "process-health", title: "Log unhandled rejections and uncaught exceptions with logger (the project's logger, object-first calls)", preferred: true, safe: false,
      hunk: "@50\n+process.on('unhandledRejection', (reason) => {\n+  logger.error({ err: reason }, 'unhandled promise rejection');\n+});\n+process.on('uncaughtException', (err) => {\n+  logger.error({ err }, 'uncaught exception; exiting');\n+  process.exit(1);\n+});" },
  ],
  "shop: a retry loop (unbounded-retry)": [
    { file: "src/jobs/sync.ts", rule: "unbounded-retry", title: "Cap at 5 attempts, exponential backoff with full jitter (local loop)", preferred: true, safe: false,
      hunk: "@7\n-  while (true) {\n+  for (let attempt = 1; ; attempt++) {\n@12\n+      if (attempt >= 5) throw err;\n@13\n-      await sleep(1000);\n+      await sleep(Math.random() * Math.min(30000, 1000 * 2 ** attempt));" },
  ],
  "libs: an Express service with a winston logger module and express-rate-limit installed": [
    { file: "src/main.ts", rule: "missing-rate-limit", title: "Mount express-rate-limit on `app` (100 requests per 60 s)", preferred: true, safe: false,
      hunk: "@3\n+import rateLimit from 'express-rate-limit';\n@5\n+app.use(rateLimit({ windowMs: 60 * 1000, limit: 100 }));" },
    { file: "src/main.ts", rule: "swallowed-error", title: "Log the error with logger (the project's logger, message-first calls)", preferred: true, safe: true,
      hunk: "@12\n+    logger.error('loadPlans failed', { error: err });" },
    { file: "src/main.ts", rule: "unstructured-log", title: "Log with logger (the project's logger, message-first calls)", preferred: true, safe: true,
      hunk: "@17\n-  console.log('login attempt', req.body.email);\n+  logger.info('login attempt', { email: req.body.email });" },
    { file: "src/main.ts", rule: "process-health", title: "Add graceful shutdown on SIGTERM/SIGINT (server.close(), 10 s limit)", preferred: true, safe: false,
      hunk: "@23\n-app.listen(3000, () => logger.info('listening'));\n+const server = app.listen(3000, () => logger.info('listening'));\n+const shutdown = (signal: NodeJS.Signals) => {\n+  logger.info('shutting down', { signal });\n+  // stop accepting connections, let in-flight requests finish, then exit\n+  new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())))\n+    .then(() => process.exit(0))\n+    .catch((err) => {\n+      logger.error('shutdown failed', { error: err });\n+      process.exit(1);\n+    });\n+  setTimeout(() => process.exit(1), 10_000).unref();\n+};\n+process.on('SIGTERM', shutdown);\n+process.on('SIGINT', shutdown);" },
    { file: "src/main.ts", rule: "process-health", title: "Log unhandled rejections and uncaught exceptions with logger (the project's logger, message-first calls)", preferred: true, safe: false,
      hunk: "@24\n+process.on('unhandledRejection', (reason) => {\n+  logger.error('unhandled promise rejection', { error: reason });\n+});\n+process.on('uncaughtException', (err) => {\n+  logger.error('uncaught exception; exiting', { error: err });\n+  process.exit(1);\n+});" },
  ],
  "libs: a Nest application (process-health with the Nest Logger, missing-rate-limit, missing-idempotency with @Headers)": [
    { file: "src/main.ts", rule: "process-health", title: "Enable NestJS shutdown hooks", preferred: true, safe: false,
      hunk: "@7\n+  app.enableShutdownHooks();" },
    { file: "src/main.ts", rule: "process-health", title: "Log unhandled rejections and uncaught exceptions with a module logger (new Logger(…)) (the project's logger, Nest calls)", preferred: true, safe: false,
      hunk: "@4\n+import { Logger } from '@nestjs/common';\n@5\n+const logger = new Logger('main');\n+\n@8\n+  process.on('unhandledRejection', (reason) => {\n+    logger.error('unhandled promise rejection', reason instanceof Error ? reason.stack : String(reason));\n+  });\n+  process.on('uncaughtException', (err) => {\n+    logger.error('uncaught exception; exiting', err instanceof Error ? err.stack : String(err));\n+    process.exit(1);\n+  });" },
    { file: "src/app.controller.ts", rule: "missing-rate-limit", title: "Add @Throttle({ default: { limit: 5, ttl: 60000 } }) (as on POST /auth/login)", preferred: true, safe: false,
      hunk: "@15\n+  @Throttle({ default: { limit: 5, ttl: 60000 } })" },
    { file: "src/billing.controller.ts", rule: "missing-idempotency", title: "Pass the request's Idempotency-Key header as idempotencyKey", preferred: true, safe: false,
      hunk: "@10\n-    const intent = await this.stripe.paymentIntents.create({ amount: body.amount, currency: 'usd' });\n+    const intent = await this.stripe.paymentIntents.create({ amount: body.amount, currency: 'usd' }, { idempotencyKey: key });" },
  ],
  "shop: a streamed download, a job, and a request log with pino-http mounted in app.ts (missing-timeout, unmonitored-job, missing-correlation-id)": [
    { file: "src/routes/feed.ts", rule: "missing-timeout", title: "Give the connection and headers a 10000 ms deadline (a timer cleared once the headers arrive; the streamed body is not cut)", preferred: false, safe: false,
      hunk: "@12\n-  const res = await fetch(url);\n+  const headersDeadline = new AbortController();\n+  const headersTimer = setTimeout(() => headersDeadline.abort(), 10000);\n+  const res = await fetch(url, { signal: headersDeadline.signal }).finally(() => clearTimeout(headersTimer));" },
    { file: "src/routes/feed.ts", rule: "unmonitored-job", title: "Wrap the job in try/catch with structured logs (job name and duration) using logger (the project's logger, object-first calls)", preferred: true, safe: true,
      hunk: "@18\n-  await axios.post('https://prices.example.com/refresh', {}, { timeout: 5000 });\n+  const started = Date.now();\n+  try {\n+    await axios.post('https://prices.example.com/refresh', {}, { timeout: 5000 });\n+    logger.info({ job: 'interval job', ms: Date.now() - started }, 'job done');\n+  } catch (err) {\n+    logger.error({ err, job: 'interval job', ms: Date.now() - started }, 'job failed');\n+  }" },
    { file: "src/routes/feed.ts", rule: "missing-correlation-id", title: "Log through req.log (carries the request id)", preferred: true, safe: true,
      hunk: "@22\n-  logger.info({ orderId: req.params.id }, 'shipping order');\n+  req.log.info({ orderId: req.params.id }, 'shipping order');" },
  ],
  "shop: an expired flag in the registry (stale-flag)": [
    { file: "src/checkout.ts", rule: "stale-flag", title: "Remove flag 'checkout-v2': keep the enabled branch", preferred: true, safe: false,
      hunk: "@9\n-  if (await flags.getBooleanValue('checkout-v2', false)) {\n-    return newCheckout(cart);\n-  } else {\n-    return oldCheckout(cart);\n-  }\n+  return newCheckout(cart);" },
    { file: "src/checkout.ts", rule: "stale-flag", title: "Remove flag 'checkout-v2': keep the disabled branch", preferred: false, safe: false,
      hunk: "@9\n-  if (await flags.getBooleanValue('checkout-v2', false)) {\n-    return newCheckout(cart);\n-  } else {\n-    return oldCheckout(cart);\n-  }\n+  return oldCheckout(cart);" },
  ],
  "libs: retry and cache libraries (unbounded-retry on axios-retry and p-retry, cache-without-ttl on node-redis and a Map)": [
    { file: "src/clients.ts", rule: "unbounded-retry", title: "Add retryDelay: axiosRetry.exponentialDelay", preferred: true, safe: true,
      hunk: "@7\n-axiosRetry(http, { retries: 3 });\n+axiosRetry(http, { retries: 3, retryDelay: axiosRetry.exponentialDelay });" },
    { file: "src/clients.ts", rule: "unbounded-retry", title: "Remove forever: true (retries: 10 applies)", preferred: true, safe: false,
      hunk: "@9\n-export const ping = () => pRetry(() => http.get('/ping'), { retries: 10, forever: true });\n+export const ping = () => pRetry(() => http.get('/ping'), { retries: 10 });" },
    { file: "src/clients.ts", rule: "cache-without-ttl", title: "Add { EX: 300 }", preferred: true, safe: true,
      hunk: "@17\n-  await redis.set(`profile:\${id}`, data);\n+  await redis.set(`profile:\${id}`, data, { EX: 300 });" },
    { file: "src/clients.ts", rule: "cache-without-ttl", title: "Replace the Map with LRUCache from lru-cache (max 1000, ttl 300000 ms)", preferred: true, safe: false,
      hunk: "@5\n+import { LRUCache } from 'lru-cache';\n@21\n-const nameCache = new Map<string, string>();\n+const nameCache = new LRUCache<string, string>({ max: 1000, ttl: 300000 });" },
  ],
};

const covered = new Set<string>();

describe('fix type-check: every fix, applied alone, type-checks with the real libraries', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const r = checkFixes(c, c.check);
      assert.deepEqual(r.before, [], 'the project as written type-checks');
      const got = r.fixes.map((f) => ({ file: f.file, rule: f.rule, title: f.title, preferred: f.preferred, safe: f.safe, hunk: hunk(c.files[f.file], f.fixed) }));
      assert.deepEqual(got, EXPECTED[c.name]);
      for (const f of r.fixes) {
        assert.deepEqual(f.errors, [], `${f.rule}: "${f.title}" does not type-check`);
        covered.add(f.rule);
      }
    });
  }
  it('every fixable rule has a fix checked here', () => {
    const fixable = ALL_RULES.filter((r) => r.fixable).map((r) => r.id).sort();
    assert.deepEqual(fixable.filter((id) => !covered.has(id)), []);
  });
});
