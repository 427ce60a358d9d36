import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runRule, runRuleTests } from '../harness/ruleTester';
import { swallowedError } from '../../server/src/rules/swallowed-error';
import type { LoggerConvention } from '../../server/src/engine/view';

const remixLogger: LoggerConvention = {
  module: { kind: 'file', file: '/project/app/services/logger.server.ts' }, exportName: 'logger', localName: 'logger',
  specifiers: [{ specifier: '~/services/logger.server', count: 311 }], importers: 311, shape: 'message-first',
  error: { kind: 'field', key: 'error' }, errorKey: 'error', warnMethod: 'warn', evidence: { calls: 40, agreeing: 40, files: 30 },
};

const pino = `import { logger } from './lib/logger';\n`;

runRuleTests(swallowedError, {
  valid: [
    // a Result/Either failure value hands the failure to the caller (hoppscotch user-history.service.ts)
    `${pino}import * as E from 'fp-ts/Either';\nexport class UserHistoryService {\n  async remove(id: string) {\n    try {\n      const h = await this.prisma.userHistory.delete({ where: { id } });\n      return E.right(h);\n    } catch (e) {\n      return E.left(USER_HISTORY_NOT_FOUND);\n    }\n  }\n}`,
    `try { await save(); } catch (err) { logger.error({ err }, 'save failed'); }`,
    `try { await save(); } catch (err) { throw new AppError('save failed', { cause: err }); }`,
    `try { await save(); } catch (e) { next(e); }`,
    { name: 'a comment explains the silence', code: `try { await cache.del(key); } catch {\n  // best effort: the key expires anyway\n}` },
    { name: 'best-effort cleanup', code: `try { fs.unlinkSync(tmp); } catch {}` },
    { name: 'best-effort close', code: `try { await conn.close(); } catch (e) {}` },
    { name: 'parsing idiom without I/O', code: `function parse(s: string) {\n  try { return JSON.parse(s); } catch { return null; }\n}` },
    { name: 'existence check idiom', code: `try { fs.statSync(p); return true; } catch (e) { return false; }` },
    { name: 'error used in the response', code: `try { await run(); } catch (err) { res.status(500).json({ id: errorId(err) }); }` },
    { name: 'reported to Sentry', code: `try { await run(); } catch (e) { Sentry.captureException(e); }` },
    { name: 'console counts as a record here (unstructured-log owns it)', code: `try { await run(); } catch (e) { console.error('run failed'); }` },
    { name: 'promise rejection handed on', code: `new Promise((resolve, reject) => { try { resolve(x()); } catch (e) { reject(e); } });` },
    { name: '.catch that logs', code: `job.run().catch((err) => logger.error({ err }, 'job failed'));` },
    { name: '.catch that rethrows a wrapped error', code: `p.catch((e) => { throw wrap(e); });` },
    { name: '.catch with a non-trivial handler', code: `p.catch(handleError);` },
    { name: '.catch using the error', code: `p.catch((e) => (e.code === 'ENOENT' ? null : Promise.reject(e)));` },
    { name: 'an underscore binding declares the intent', code: `try { await x(); } catch (_err) { return fallback; }` },
    { name: 'browser code (UI shows its own feedback)', code: `'use client';\nasync function save() { try { await api.save(); } catch { toast('failed'); } }`, filename: 'app/form.tsx' },
    { name: 'test files', code: `try { await x(); } catch {}`, filename: 'src/a.spec.ts' },
    { name: 'suppressed', code: `// failpath-disable-next-line swallowed-error\ntry { await x(); } catch {}` },
    { name: 'a synchronous try block without I/O', code: `try { doWork(); } catch (e) {}` },
    { name: 'a header parsed in a middleware', code: `let lang = 'en';\ntry {\n  lang = req.headers['accept-language'].split(',')[0];\n} catch {}` },
    { name: 'existence probe: fs.access answers with its failure (parse-server fileExists)', code: `async function fileExists(path) {\n  try {\n    await fs.access(path);\n    return true;\n  } catch (e) {\n    return false;\n  }\n}`, filename: 'src/Utils.js' },
    { name: 'existence probe with a sync check (medusa)', code: `let exists = false;\ntry {\n  accessSync(path.resolve(base));\n  exists = true;\n} catch (e) {}` },
    { name: 'a comment in a non-empty catch explains the fallback (outline)', code: `async function check(url) {\n  try {\n    const res = await fetch(url, { method: 'HEAD' });\n    return { embeddable: res.ok };\n  } catch {\n    // On timeout or network error, be optimistic and allow embedding\n    return { embeddable: true, reason: 'timeout' };\n  }\n}` },
    { name: 'an ignore comment that gives a reason', code: `try { await redis.del(key); } catch {\n  // ignore: the key expires anyway\n}` },
    { name: 'a trailing comment on the empty catch', code: `try { await redis.del(key); } catch {} // the key expires anyway` },
    { name: 'a trailing comment on the .catch line (etherpad)', code: `Promise.resolve(v).catch(() => {}); // Suppress unhandled rejection errors.` },
    { name: 'a comment above the .catch line that speaks of the failure', code: `// best effort: the lock expires on its own\nawait lock.extend(5000).catch(() => {});` },
    { name: 'an underscore parameter declares the intent (medusa cli)', code: `const done = await verifyPgCreds(credentials).catch((_) => false);` },
    { name: 'zod schema fallback', code: `import { z } from 'zod';\nconst Limit = z.coerce.number().catch(() => 20);` },
    { name: 'best-effort wait (Playwright)', code: `await page.waitForLoadState('networkidle', { timeout: 5000 }).catch(() => {});` },
    { name: 'best-effort cleanup as a promise', code: `await conn.end().catch(() => {});` },
    { name: 'an existence probe as a promise chain (outline S3Storage)', code: `return s3.send(new HeadObjectCommand({ Bucket, Key })).then(() => true).catch(() => false);` },
    { name: 'code run inside the browser page', code: `await page.evaluate(async () => {\n  try { await fetch('/ping'); } catch {}\n});` },
    { name: '.catch(console.error) logs', code: `run().catch(console.error);` },
    { name: 'Playwright: trying selectors until one clicks (maxun)', code: `import type { Page } from 'playwright-core';\nexport async function dismiss(page: Page, selectors: string[]) {\n  for (const sel of selectors) {\n    try {\n      await page.click(sel, { timeout: 1000 });\n      return true;\n    } catch (e) {\n      continue;\n    }\n  }\n  return false;\n}` },
    { name: 'Playwright: a page evaluation with a fallback value', code: `import { chromium } from 'playwright';\nconst text = await page.evaluate(() => document.body.innerText).catch(() => '');` },
    { name: 'Puppeteer: this.page interactions with Promise.all', code: `import puppeteer from 'puppeteer';\nclass Bot {\n  async next() {\n    try {\n      await Promise.all([this.page.waitForNavigation(), this.page.click('a.next')]);\n    } catch {}\n  }\n}` },
    { name: 'a best-effort wait in a try block', code: `try {\n  await page.waitForNavigation({ timeout: 1500 });\n} catch (e) {\n}` },
    // ---- issue 14 patterns ----
    { name: 'browser code: a module the Session classifies as browser', code: `async function save() { try { await api.save(); } catch {} }`, filename: '/project/app/components/Form.ts', view: { role: 'browser' } },
    { name: 'browser code: a hook span inside a server route module', code: `export function useOrders() {\n  try { await api.list(); } catch {}\n}`, filename: '/project/app/routes/orders.ts', view: { browserSpans: [{ pos: 0, end: 70 }] } },
    { name: 'test helpers without .test in their name', code: `try { await db.query('truncate users'); } catch {}`, filename: '/project/e2e/setup/db.ts', view: { role: 'test' } },
    { name: 'existence/discovery probe: an optional config file falls back to defaults', code: `async function loadConfig() {\n  try {\n    return JSON.parse(await fs.promises.readFile('config.json', 'utf8'));\n  } catch {\n    return {};\n  }\n}` },
    { name: 'existence/discovery probe: an optional module', code: `let sharp;\ntry {\n  sharp = require('sharp');\n} catch (e) {\n  sharp = null;\n}` },
    { name: "ensure it exists: the catch creates what the lookup did not find", code: `async function ensureBucket(name) {\n  try {\n    await s3.headBucket({ Bucket: name });\n  } catch (err) {\n    await s3.createBucket({ Bucket: name });\n  }\n}` },
    { name: 'best-effort cleanup: a run of close calls', code: `try {\n  await page.close();\n  await browser.close();\n} catch {}` },
    { name: "a catch that already logs through the project's logger under another name", code: `import { logger as audit } from '~/services/logger.server';\nasync function sync() {\n  try { await api.sync(); } catch (err) { audit.warning('sync skipped'); }\n}`, filename: '/project/app/jobs/sync.server.ts', view: { logger: remixLogger } },
    { name: 'a catch that logs through the request logger', code: `app.get('/x', async (req, res) => {\n  try { await api.sync(); } catch (err) { req.log.warn('sync skipped'); res.status(502).end(); }\n});`, view: { requestLoggers: ['req.log'] } },
    { name: 'a sleep is not I/O', code: `try {\n  await new Promise((r) => setTimeout(r, 500));\n  counter++;\n} catch {}` },
    { name: "the project's own log helper records the failure", code: `try {\n  await page.goto(url);\n} catch (error) {\n  debugLog('navigation failed, retrying');\n  retry++;\n}` },
    { name: "parsing an error response's body (medusa js-sdk)", code: `if (resp.status >= 300) {\n  const jsonError = (await resp.json().catch(() => ({}))) as { message?: string };\n  throw new FetchError(jsonError.message ?? resp.statusText, resp.status);\n}` },
    { name: 'a body read through a then chain (novu)', code: `const message = await res.json().then((r) => r?.message || 'Unknown error').catch(() => 'Unknown error');` },
    { name: 'cleanup in a finally block', code: `async function probe() {\n  try {\n    await this.set(testKey, 'ok');\n    return true;\n  } finally {\n    try {\n      await this.remove(testKey);\n    } catch {}\n  }\n}` },
    { name: 'cleanup while handling another failure', code: `try {\n  await run();\n} catch (error) {\n  if (browserId) {\n    try { await destroyRemoteBrowser(browserId); } catch {}\n  }\n  throw error;\n}` },
    { name: 'destructured catch binding uses the error', code: `try { await x(); } catch ({ message }) { return message; }` },
    { name: 'a health check answers false when the dependency fails', code: `class Store {\n  async healthCheck(): Promise<boolean> {\n    try {\n      await this.client.cluster.health();\n      return true;\n    } catch {\n      return false;\n    }\n  }\n}` },
    { name: 'a readiness probe returns false', code: `async function isReady() {\n  try {\n    await db.raw('SELECT 1');\n  } catch {\n    return false;\n  }\n  return true;\n}` },
    { name: 'a check function answers with a boolean (an optional file probed over HTTP)', code: `async function checkSitemap(base: string) {\n  try {\n    const res = await http.get(new URL('/sitemap.xml', base));\n    return res.status < 300;\n  } catch {\n    return false;\n  }\n}` },
    { name: 'a try that only awaits a health probe', code: `async function run() {\n  let healthy: boolean;\n  try {\n    healthy = await this.healthCheck();\n  } catch {\n    healthy = false;\n  }\n  this.update(healthy);\n}` },
    { name: 'a command-exists discovery check', code: `async function detect() {\n  try {\n    await commandExists('git');\n    this.installed = true;\n  } catch (err) {\n    this.installed = false;\n  }\n}` },
    { name: 'a guard whose rejection is the answer', code: `async function measure(host: string) {\n  let address: string;\n  try {\n    address = await assertPublicHost(host);\n  } catch {\n    return { connectTime: 0 };\n  }\n  return connect(address);\n}` },
    { name: "a catch without a binding that logs through logger.warning", code: `async function link() {\n  try {\n    await api.proxy({ endpoint });\n  } catch {\n    logger.warning('Failed to fetch the account id: the scopes may be missing');\n  }\n}` },
    { name: 'a catch that returns a failure value to its caller', code: `async function getFile(key: string) {\n  try {\n    const res = await s3.send(cmd(key));\n    return { success: true, error: null, body: res.Body };\n  } catch {\n    return { success: false, error: new AppError('file_not_found'), body: null };\n  }\n}` },
    { name: 'a lock poll: the catch waits and tries again until the deadline', code: `async function tryAcquire(key: string, timeoutMs: number) {\n  const start = Date.now();\n  while (Date.now() - start < timeoutMs) {\n    try {\n      await this.acquire(key);\n      return { key };\n    } catch {\n      await new Promise((resolve) => setTimeout(resolve, 50));\n    }\n  }\n  throw new Error('lock timed out');\n}` },
    { name: 'a best-effort write to a cache (a failure costs a later miss)', code: `export async function cached(key: string) {\n  const v = await compute();\n  getCache().setex(key, 60, JSON.stringify(v)).catch(() => {\n    // ignore error\n  });\n  return v;\n}` },
    { name: 'a teardown waits for a pending connection to settle', code: `const destroyClient = async () => {\n  const pending = await connection?.catch(() => undefined);\n  await pending?.disconnect();\n};` },
    { name: 'a held promise whose own chain already logs its failure', code: `const started = startConsumer()\n  .then((h) => { handle = h; })\n  .catch((err) => { logger.error({ err }, 'consumer failed to start'); });\nstops.push(async () => {\n  await started.catch(() => undefined);\n  await handle?.stop();\n});` },
  ],
  invalid: [
    {
      name: 'an Option none is an absent value, not a failure (hoppscotch user-collection.service.ts)',
      code: `${pino}import * as O from 'fp-ts/Option';\nexport class UserCollectionService {\n  async owns(id: string, userUid: string) {\n    try {\n      await this.prisma.userCollection.findFirstOrThrow({ where: { id, userUid } });\n      return O.some(true);\n    } catch (error) {\n      return O.none;\n    }\n  }\n}\n`,
      errors: [{ line: 8, column: 7, message: 'The catch never looks at `error`' }],
    },
    {
      name: 'empty catch around I/O, pino logger in the file: log and continue',
      code: `${pino}export async function syncInventory() {\n  for (const level of levels) {\n    try {\n      await pool.query(sql, [level.sku]);\n    } catch (err) {}\n  }\n}\n`,
      errors: [{ line: 6, column: 7, endColumn: 18, message: 'This empty catch drops the error' }],
      output: `${pino}export async function syncInventory() {\n  for (const level of levels) {\n    try {\n      await pool.query(sql, [level.sku]);\n    } catch (err) { logger.error({ err }, 'syncInventory failed'); }\n  }\n}\n`,
    },
    {
      name: 'empty catch: log and rethrow',
      code: `${pino}async function load() {\n  try {\n    await fetchAll();\n  } catch (e) {}\n}`,
      errors: [{ line: 5, column: 5 }],
      fixTitle: /and rethrow$/,
      output: `${pino}async function load() {\n  try {\n    await fetchAll();\n  } catch (e) {\n    logger.error({ err: e }, 'load failed');\n    throw e;\n  }\n}`,
    },
    {
      name: 'catch without a binding gets one',
      code: `${pino}async function ping() {\n  try { await redis.ping(); } catch {}\n}`,
      errors: [{ line: 3, column: 31, endColumn: 36 }],
      output: `${pino}async function ping() {\n  try { await redis.ping(); } catch (err) { logger.error({ err }, 'ping failed'); }\n}`,
    },
    {
      name: 'binding name avoids an outer err',
      code: `${pino}async function f(err: Error) {\n  try { await x(); } catch {}\n}`,
      errors: [{ line: 3, column: 22 }],
      output: `${pino}async function f(err: Error) {\n  try { await x(); } catch (error) { logger.error({ err: error }, 'f failed'); }\n}`,
    },
    {
      name: 'error never looked at, response sent (the shop-api case)',
      code: `${pino}orders.post('/orders', async (req, res) => {\n  try {\n    await createOrder(req.body);\n  } catch (err) {\n    res.status(502).json({ error: 'could not place the order' });\n  }\n});`,
      errors: [{ line: 5, column: 5, message: 'The catch never looks at `err`' }],
      output: `${pino}orders.post('/orders', async (req, res) => {\n  try {\n    await createOrder(req.body);\n  } catch (err) {\n    logger.error({ err }, 'POST /orders failed');\n    res.status(502).json({ error: 'could not place the order' });\n  }\n});`,
    },
    {
      name: 'fallback without the error around an external call',
      code: `import axios from 'axios';\nasync function rates() {\n  try {\n    return (await axios.get(URL, { timeout: 1000 })).data;\n  } catch {\n    return DEFAULT_RATES;\n  }\n}`,
      deps: ['winston'],
      errors: [{ line: 5, column: 5 }],
      output: `import axios from 'axios';\nimport winston from 'winston';\n\nconst logger = winston.createLogger({ format: winston.format.json(), defaultMeta: { module: 'service' }, transports: [new winston.transports.Console()] });\nasync function rates() {\n  try {\n    return (await axios.get(URL, { timeout: 1000 })).data;\n  } catch (err) {\n    logger.error('rates failed', { error: err });\n    return DEFAULT_RATES;\n  }\n}`,
    },
    {
      name: 'no logger known: console.error, and the title says so',
      code: `async function f() {\n  try { await x(); } catch (e) {}\n}`,
      errors: [{ line: 2, column: 22 }],
      fixTitle: 'Log the error with console.error (no logger found; set failpath.logger to use yours) and continue',
      output: `async function f() {\n  try { await x(); } catch (e) { console.error('f failed', e); }\n}`,
    },
    {
      name: 'NestJS service logger',
      code: `import { Injectable, Logger } from '@nestjs/common';\n@Injectable()\nexport class Billing {\n  private readonly logger = new Logger(Billing.name);\n  async charge() {\n    try {\n      await this.stripe.charges.create({});\n    } catch (e) {}\n  }\n}`,
      errors: [{ line: 8, column: 7 }],
      output: `import { Injectable, Logger } from '@nestjs/common';\n@Injectable()\nexport class Billing {\n  private readonly logger = new Logger(Billing.name);\n  async charge() {\n    try {\n      await this.stripe.charges.create({});\n    } catch (e) { this.logger.error('charge failed', e instanceof Error ? e.stack : String(e)); }\n  }\n}`,
    },
    {
      name: '.catch(() => {})',
      code: `${pino}export function warm() {\n  cache.refresh().catch(() => {});\n}`,
      errors: [{ line: 3, column: 19, endColumn: 24, message: 'swallows the rejection' }],
      output: `${pino}export function warm() {\n  cache.refresh().catch((err) => logger.warn({ err }, 'cache.refresh failed'));\n}`,
    },
    {
      name: '.catch(() => null) keeps the fallback',
      code: `${pino}const user = await getUser(id).catch(() => null);`,
      errors: [{ line: 2, column: 32, message: 'returns null' }],
      output: `${pino}const user = await getUser(id).catch((err) => { logger.warn({ err }, 'getUser failed'); return null; });`,
    },
    {
      name: '.catch(() => []) in a CommonJS file without semicolons',
      code: `const { logger } = require("./log")\nconst rows = await db.list().catch(() => [])\n`,
      filename: 'src/a.js',
      errors: [{ line: 2, column: 30 }],
      output: `const { logger } = require("./log")\nconst rows = await db.list().catch((err) => { logger.warn({ err }, "db.list failed"); return [] })\n`,
    },
    {
      name: '.catch(noop)',
      code: `${pino}sendEmail(to).catch(noop);`,
      errors: [{ line: 2, column: 15 }],
      output: `${pino}sendEmail(to).catch((err) => logger.warn({ err }, 'sendEmail failed'));`,
    },
    {
      name: '.catch with an unused named parameter',
      code: `${pino}publish(evt).catch((e) => {});`,
      errors: [{ line: 2, column: 14 }],
      output: `${pino}publish(evt).catch((err) => logger.warn({ err }, 'publish failed'));`,
    },
    {
      name: 'empty catch in a function expression with tabs',
      code: `${pino}const run = async function () {\n\ttry {\n\t\tawait step();\n\t} catch (err) {\n\t}\n};`,
      errors: [{ line: 5, column: 4 }],
      output: `${pino}const run = async function () {\n\ttry {\n\t\tawait step();\n\t} catch (err) {\n\t\tlogger.error({ err }, 'run failed');\n\t}\n};`,
    },
    {
      name: 'the function returned a value: rethrow is preferred and the title says why',
      code: `${pino}async function getRates() {\n  try {\n    return (await axios.get(RATES_URL)).data;\n  } catch (e) {}\n}`,
      errors: [{ line: 5, column: 5 }],
      fixTitle: /^Log the error with logger \(.*\) and rethrow \(the function would return undefined\)$/,
      output: `${pino}async function getRates() {\n  try {\n    return (await axios.get(RATES_URL)).data;\n  } catch (e) {\n    logger.error({ err: e }, 'getRates failed');\n    throw e;\n  }\n}`,
    },
    {
      name: 'the function returned a value: the preferred fix rethrows',
      code: `${pino}const load = async (id: string) => {\n  try { return await db.users.findOne(id); } catch (e) {}\n};`,
      errors: [{ line: 3, column: 46 }],
      output: `${pino}const load = async (id: string) => {\n  try { return await db.users.findOne(id); } catch (e) {\n    logger.error({ err: e }, 'load failed');\n    throw e;\n  }\n};`,
    },
    {
      name: 'the same function: "log and continue" is still offered',
      code: `${pino}async function getRates() {\n  try {\n    return (await axios.get(RATES_URL)).data;\n  } catch (e) {}\n}`,
      errors: [{ line: 5, column: 5 }],
      fixTitle: /^Log the error with logger \(.*\) and continue$/,
      output: `${pino}async function getRates() {\n  try {\n    return (await axios.get(RATES_URL)).data;\n  } catch (e) { logger.error({ err: e }, 'getRates failed'); }\n}`,
    },
    {
      name: 'bunyan logger in the file',
      code: `import bunyan from 'bunyan';\nconst log = bunyan.createLogger({ name: 'billing' });\nexport async function invoice(id: string) {\n  try {\n    await stripe.invoices.pay(id);\n  } catch (err) {}\n}`,
      deps: ['bunyan', 'stripe'],
      errors: [{ line: 6, column: 5 }],
      output: `import bunyan from 'bunyan';\nconst log = bunyan.createLogger({ name: 'billing' });\nexport async function invoice(id: string) {\n  try {\n    await stripe.invoices.pay(id);\n  } catch (err) { log.error({ err }, 'invoice failed'); }\n}`,
    },
    {
      name: 'settings logger, ESM file: the import is added',
      code: `import { db } from './db';\n\nexport async function touch(id: string) {\n  try {\n    await db.sessions.touch(id);\n  } catch {}\n}\n`,
      settings: { logger: { import: '@acme/observability', name: 'log', style: 'pino' } },
      errors: [{ line: 6, column: 5 }],
      output: `import { db } from './db';\nimport { log } from '@acme/observability';\n\nexport async function touch(id: string) {\n  try {\n    await db.sessions.touch(id);\n  } catch (err) { log.error({ err }, 'touch failed'); }\n}\n`,
    },
    {
      name: 'settings logger, CommonJS file: a require is added',
      code: `const db = require('./db');\n\nasync function touch(id) {\n  try {\n    await db.sessions.touch(id);\n  } catch (e) {}\n}\n`,
      filename: 'src/sessions.js',
      settings: { logger: { import: './lib/log', name: 'log', style: 'winston' } },
      errors: [{ line: 6, column: 5 }],
      output: `const db = require('./db');\nconst { log } = require('./lib/log');\n\nasync function touch(id) {\n  try {\n    await db.sessions.touch(id);\n  } catch (e) { log.error('touch failed', { error: e }); }\n}\n`,
    },
    {
      name: 'no logger known, .catch: console.warn and the title says so',
      code: `const user = await getUser(id).catch(() => null);`,
      errors: [{ line: 1, column: 32 }],
      fixTitle: 'Log the error with console.warn (no logger found; set failpath.logger to use yours) and keep the null fallback',
      output: `const user = await getUser(id).catch((err) => { console.warn('getUser failed', err); return null; });`,
    },
    {
      name: 'a TODO is not an explanation',
      code: `${pino}async function f() {\n  try { await x(); } catch (e) {\n    // TODO: handle\n  }\n}`,
      errors: [{ line: 3, column: 22 }],
      output: `${pino}async function f() {\n  try { await x(); } catch (e) {\n    logger.error({ err: e }, 'f failed');\n  }\n}`,
    },
    {
      name: 'a commented-out log is a removed log, not an explanation',
      code: `${pino}async function f() {\n  try { await x(); } catch (err) {\n    // console.log(err)\n  }\n}`,
      errors: [{ line: 3, column: 22 }],
      output: `${pino}async function f() {\n  try { await x(); } catch (err) {\n    logger.error({ err }, 'f failed');\n  }\n}`,
    },
    {
      name: 'an unrelated comment above a .catch(() => null) does not silence it',
      code: `${pino}// load the profile\nconst profile = await loadProfile(id).catch(() => null);`,
      errors: [{ line: 3, column: 39 }],
      output: `${pino}// load the profile\nconst profile = await loadProfile(id).catch((err) => { logger.warn({ err }, 'loadProfile failed'); return null; });`,
    },
    {
      name: 'an API key lookup that turns "database down" into "unauthorized" (ghostfolio)',
      code: `import { Injectable, Logger, HttpException } from '@nestjs/common';\n@Injectable()\nexport class ApiKeyStrategy {\n  private readonly logger = new Logger(ApiKeyStrategy.name);\n  async validate(id: string) {\n    try {\n      const user = await this.userService.user({ id });\n      if (user) {\n        return user;\n      }\n    } catch {}\n    throw new HttpException('Unauthorized', 401);\n  }\n}`,
      deps: ['@nestjs/common'],
      errors: [{ line: 11, column: 7 }],
      output: `import { Injectable, Logger, HttpException } from '@nestjs/common';\n@Injectable()\nexport class ApiKeyStrategy {\n  private readonly logger = new Logger(ApiKeyStrategy.name);\n  async validate(id: string) {\n    try {\n      const user = await this.userService.user({ id });\n      if (user) {\n        return user;\n      }\n    } catch (err) { this.logger.error('validate failed', err instanceof Error ? err.stack : String(err)); }\n    throw new HttpException('Unauthorized', 401);\n  }\n}`,
    },
    {
      name: 'a ban check that fails open (kutt)',
      code: `${pino}async function checkBanned(address) {\n  let isBanned;\n  try {\n    isBanned = await query.host.find({ address, banned: true });\n  } catch (error) {\n    isBanned = null;\n  }\n  return isBanned;\n}`,
      errors: [{ line: 6, column: 5, message: 'The catch never looks at \`error\`' }],
      output: `${pino}async function checkBanned(address) {\n  let isBanned;\n  try {\n    isBanned = await query.host.find({ address, banned: true });\n  } catch (error) {\n    logger.error({ err: error }, 'checkBanned failed');\n    isBanned = null;\n  }\n  return isBanned;\n}`,
    },
    {
      name: 'a promise chain is named by its first call',
      code: `${pino}const rates = await axios.get(url).then((r) => r.data).catch(() => ({}));`,
      errors: [{ line: 2, column: 56 }],
      output: `${pino}const rates = await axios.get(url).then((r) => r.data).catch((err) => { logger.warn({ err }, 'axios.get failed'); return {}; });`,
    },
    {
      name: '.catch(_.noop)',
      code: `${pino}import _ from 'lodash';\nnotify(user).catch(_.noop);`,
      errors: [{ line: 3, column: 14 }],
      output: `${pino}import _ from 'lodash';\nnotify(user).catch((err) => logger.warn({ err }, 'notify failed'));`,
    },
    {
      name: 'the added binding avoids a local err in scope',
      code: `${pino}async function sync(items) {\n  const err = validate(items);\n  if (err) return err;\n  try { await push(items); } catch {}\n}`,
      errors: [{ line: 5, column: 30 }],
      output: `${pino}async function sync(items) {\n  const err = validate(items);\n  if (err) return err;\n  try { await push(items); } catch (error) { logger.error({ err: error }, 'sync failed'); }\n}`,
    },
    {
      name: 'NestJS .catch below error level keeps the error message',
      code: `import { Injectable, Logger } from '@nestjs/common';\n@Injectable()\nexport class Notifier {\n  private readonly logger = new Logger(Notifier.name);\n  ping() {\n    this.mailer.send(this.msg).catch(() => {});\n  }\n}`,
      deps: ['@nestjs/common'],
      errors: [{ line: 6, column: 32 }],
      output: `import { Injectable, Logger } from '@nestjs/common';\n@Injectable()\nexport class Notifier {\n  private readonly logger = new Logger(Notifier.name);\n  ping() {\n    this.mailer.send(this.msg).catch((err) => this.logger.warn({ message: 'mailer.send failed', error: err instanceof Error ? err.message : String(err) }));\n  }\n}`,
    },
    {
      name: 'winston logger in the file, inline route handler named by its route',
      code: `import winston from 'winston';\nconst logger = winston.createLogger({});\nrouter.get('/health', async (req, res) => {\n  try {\n    await db.raw('select 1');\n    res.json({ ok: true });\n  } catch {\n    res.status(503).json({ ok: false });\n  }\n});`,
      deps: ['winston'],
      errors: [{ line: 7, column: 5 }],
      output: `import winston from 'winston';\nconst logger = winston.createLogger({});\nrouter.get('/health', async (req, res) => {\n  try {\n    await db.raw('select 1');\n    res.json({ ok: true });\n  } catch (err) {\n    logger.error('GET /health failed', { error: err });\n    res.status(503).json({ ok: false });\n  }\n});`,
    },
    {
      name: 'a lint directive is not an explanation',
      code: `${pino}async function f() {\n  try { await x(); } catch (e) {} // eslint-disable-line no-empty\n}`,
      errors: [{ line: 3, column: 22 }],
      output: `${pino}async function f() {\n  try { await x(); } catch (e) { logger.error({ err: e }, 'f failed'); } // eslint-disable-line no-empty\n}`,
    },
    {
      name: 'a page-named object in a file without browser automation is still I/O',
      code: `${pino}export async function publish(page: CmsPage) {\n  try {\n    await page.save();\n  } catch (e) {}\n}`,
      errors: [{ line: 5, column: 5 }],
      output: `${pino}export async function publish(page: CmsPage) {\n  try {\n    await page.save();\n  } catch (e) { logger.error({ err: e }, 'publish failed'); }\n}`,
    },
    {
      name: 'a database write in a Playwright file is still I/O',
      code: `${pino}import type { Page } from 'playwright';\nexport async function store(page: Page, run: Run) {\n  const html = await page.content();\n  try {\n    await run.update({ html });\n  } catch (err) {}\n}`,
      errors: [{ line: 7, column: 5 }],
      output: `${pino}import type { Page } from 'playwright';\nexport async function store(page: Page, run: Run) {\n  const html = await page.content();\n  try {\n    await run.update({ html });\n  } catch (err) { logger.error({ err }, 'store failed'); }\n}`,
    },
    {
      name: 'NestJS service without a logger: the fix adds the class logger, Nest-style',
      code: `import { Injectable } from '@nestjs/common';\n\n@Injectable()\nexport class HealthService {\n  public constructor(private readonly redis: RedisCacheService) {}\n\n  public async readCacheStats() {\n    try {\n      return await this.redis.stats();\n    } catch {\n      return null;\n    }\n  }\n}\n`,
      deps: ['@nestjs/common'],
      errors: [{ line: 10, column: 7 }],
      output: `import { Injectable, Logger } from '@nestjs/common';\n\n@Injectable()\nexport class HealthService {\n  private readonly logger = new Logger(HealthService.name);\n  public constructor(private readonly redis: RedisCacheService) {}\n\n  public async readCacheStats() {\n    try {\n      return await this.redis.stats();\n    } catch (err) {\n      this.logger.error('readCacheStats failed', err instanceof Error ? err.stack : String(err));\n      return null;\n    }\n  }\n}\n`,
    },
    {
      name: 'an anonymous callback is named by the function around it',
      code: `${pino}export async function resolveSymbols(items: Item[]) {\n  return Promise.all(items.map(async (item) => {\n    try {\n      return await provider.lookup(item.symbol);\n    } catch {\n      return { ...item, resolved: undefined };\n    }\n  }));\n}`,
      errors: [{ line: 6, column: 7 }],
      output: `${pino}export async function resolveSymbols(items: Item[]) {\n  return Promise.all(items.map(async (item) => {\n    try {\n      return await provider.lookup(item.symbol);\n    } catch (err) {\n      logger.error({ err }, 'resolveSymbols failed');\n      return { ...item, resolved: undefined };\n    }\n  }));\n}`,
    },
    // ---- issue 14 patterns ----
    {
      name: "usesName: an object key named like the catch variable is not a read (a 500 that logs nothing is silent)",
      code: `app.post('/orders', async (req, res) => {\n  try {\n    await db.insert(req.body);\n  } catch (error) {\n    res.status(500).json({ error: 'Failed' });\n  }\n});`,
      errors: [{ line: 4, column: 5, message: 'The catch never looks at `error`' }],
    },
    {
      name: 'a bare // ignore comment gives no reason',
      code: `async function sync() {\n  try {\n    await api.sync();\n  } catch (e) {\n    // ignore\n  }\n}`,
      errors: [{ line: 4, column: 5, message: 'This empty catch drops the error' }],
    },
    {
      name: 'a /* empty */ comment does not explain the silence',
      code: `async function sync() {\n  try { await api.sync(); } catch (e) { /* empty */ }\n}`,
      errors: [{ line: 2, column: 29, message: 'This empty catch drops the error' }],
    },
    {
      name: "the fix uses the project's learned logger (message-first, imported through its alias); no 'no logger found'",
      code: `export async function sync() {\n  try {\n    await api.sync();\n  } catch (err) {}\n}\n`,
      filename: '/project/app/jobs/sync.server.ts',
      view: { logger: remixLogger },
      errors: [{ line: 4, column: 5 }],
      output: `import { logger } from '~/services/logger.server';\nexport async function sync() {\n  try {\n    await api.sync();\n  } catch (err) { logger.error('sync failed', { error: err }); }\n}\n`,
    },
    {
      name: 'the .catch fix message names the operation, not a cut source snippet',
      code: `export async function load() {\n  const rows = await this.prisma.orderLineItem.findManyWithVeryLongName({ where: { id } }).catch(() => []);\n}\n`,
      filename: '/project/app/models/orders.server.ts',
      view: { logger: remixLogger },
      errors: [{ line: 2, column: 92 }],
      output: `import { logger } from '~/services/logger.server';\nexport async function load() {\n  const rows = await this.prisma.orderLineItem.findManyWithVeryLongName({ where: { id } }).catch((err) => { logger.warn('orderLineItem.findManyWithVeryLongName failed', { error: err }); return []; });\n}\n`,
    },
    {
      name: 'no semicolons, one-line catch: the inserted log call ends with one (fuzz seed 7001 #1833: `log() await wait()` did not parse)',
      code: `import pino from 'pino'\nconst logger = pino()\nexport async function waitHealthy(url: string) {\n  let healthy = false\n  while (!healthy) {\n    try { healthy = await check(url) } catch { await wait(1000) }\n  }\n}\n`,
      deps: ['pino'],
      errors: [{ line: 6, column: 40 }],
      output: `import pino from 'pino'\nconst logger = pino()\nexport async function waitHealthy(url: string) {\n  let healthy = false\n  while (!healthy) {\n    try { healthy = await check(url) } catch (err) { logger.error({ err }, 'waitHealthy failed'); await wait(1000) }\n  }\n}\n`,
    },
    {
      name: 'no semicolons, the next line starts with [: the log call ends with one (else it would index the call)',
      code: `import pino from 'pino'\nconst logger = pino()\nexport async function load() {\n  try {\n    await db.load()\n  } catch (e) {\n    [a, b] = [b, a]\n  }\n}\n`,
      deps: ['pino'],
      errors: [{ line: 6, column: 5 }],
      output: `import pino from 'pino'\nconst logger = pino()\nexport async function load() {\n  try {\n    await db.load()\n  } catch (e) {\n    logger.error({ err: e }, 'load failed');\n    [a, b] = [b, a]\n  }\n}\n`,
    },
    {
      name: 'no semicolons, the next line starts with an identifier: none added',
      code: `import pino from 'pino'\nconst logger = pino()\nexport async function load() {\n  try {\n    await db.load()\n  } catch (e) {\n    failed = true\n  }\n}\n`,
      deps: ['pino'],
      errors: [{ line: 6, column: 5 }],
      output: `import pino from 'pino'\nconst logger = pino()\nexport async function load() {\n  try {\n    await db.load()\n  } catch (e) {\n    logger.error({ err: e }, 'load failed')\n    failed = true\n  }\n}\n`,
    },
    {
      name: 'a check function that swallows a non-boolean fallback is still reported',
      code: `async function checkOrders(ids: string[]) {\n  try {\n    return await db.orders.find(ids);\n  } catch {\n    return [];\n  }\n}`,
      errors: [{ line: 4, column: 5, message: 'This catch has no error binding' }],
    },
    {
      name: 'a try that awaits real work beside the health probe is still reported',
      code: `async function run() {\n  let healthy: boolean;\n  try {\n    healthy = await this.healthCheck();\n    await this.flush();\n  } catch {\n    healthy = false;\n  }\n}`,
      errors: [{ line: 6, column: 5, message: 'This catch has no error binding' }],
    },
    {
      name: 'a catch that logs nothing, beside one that logs through logger.warning',
      code: `async function link() {\n  try {\n    await api.proxy({ endpoint });\n  } catch {\n    logger.warning('account id unavailable');\n  }\n  try {\n    await api.update({ endpoint });\n  } catch {\n    done = false;\n  }\n}`,
      errors: [{ line: 9, column: 5, message: 'This catch has no error binding' }],
    },
    {
      name: 'a catch that returns a success-shaped value loses the failure',
      code: `async function getFile(key: string) {\n  try {\n    return { success: true, body: (await s3.send(cmd(key))).Body };\n  } catch {\n    return { success: true, error: null, body: null };\n  }\n}`,
      errors: [{ line: 4, column: 5 }],
    },
    {
      name: 'a loop whose catch moves on without waiting is still reported (it is not a poll)',
      code: `async function syncAll(ids: string[]) {\n  for (let i = 0; i < ids.length; i++) {\n    try {\n      await api.sync(ids[i]);\n    } catch {\n      failed = true;\n    }\n  }\n}`,
      errors: [{ line: 5, column: 7 }],
    },
    {
      name: 'a write to a store that is not a cache, with a bare ignore comment, is still reported',
      code: `export async function record(key: string, v: string) {\n  store.set(key, v).catch(() => {\n    // ignore error\n  });\n}`,
      errors: [{ line: 2, column: 21, message: 'swallows the rejection' }],
    },
    {
      name: 'a held promise with no handler of its own is still reported',
      code: `const started = startConsumer().then((h) => { handle = h; });\nexport async function refresh() {\n  await started.catch(() => undefined);\n}`,
      errors: [{ line: 3, column: 17, message: 'swallows the rejection' }],
    },
    {
      name: 'a teardown that swallows a call it makes itself (not a pending promise) is still reported',
      code: `async function shutdown() {\n  await queue.flushPending().catch(() => undefined);\n}`,
      errors: [{ line: 2, column: 30, message: 'swallows the rejection' }],
    },
  ],
});

describe('swallowed-error: a file cut short', () => {
  it('`catch (er` at the end of the file: the finding stays inside the document (fuzz seed 7001 #1543: it ended one past it)', () => {
    const code = `async function sync() {\r\n  try {\r\n    await fetch('/s');\r\n  } catch (er`;
    const findings = runRule(swallowedError, { code, filename: 'src/server.mts' });
    assert.deepEqual(findings.map((f) => [f.start, f.end, code.slice(f.start, f.end)]), [[62, 71, 'catch (er']]);
    assert.equal(code.length, 71);
  });
});

describe('swallowed-error: fix metadata', () => {
  const code = `const { log } = require('../src/util');\nasync function beat() {\n  try {\n    await R.store(bean);\n  } catch (e) {}\n}\n`;
  it('a custom logger with no logger library: not safe for fix-all, and the title says it guesses', () => {
    const [finding] = runRule(swallowedError, { code, filename: 'server/model/monitor.js', deps: ['express'] });
    assert.deepEqual(finding.fixes.map((f) => [f.title, !!f.isPreferred, !!f.safe]), [
      ['Log the error with log (assuming pino-style arguments; set failpath.logger to confirm) and continue', true, false],
      ['Log the error with log (assuming pino-style arguments; set failpath.logger to confirm) and rethrow', false, false],
    ]);
  });
  it('log-and-continue is safe, rethrow never is', () => {
    const [finding] = runRule(swallowedError, { code, filename: 'server/model/monitor.js', deps: ['express', 'winston'] });
    assert.deepEqual(finding.fixes.map((f) => [f.title, !!f.isPreferred, !!f.safe]), [
      ['Log the error with log (winston) and continue', true, true],
      ['Log the error with log (winston) and rethrow', false, false],
    ]);
  });
  it('when the function would return undefined, the preferred rethrow is left out of fix-all', () => {
    const [finding] = runRule(swallowedError, { code: `const logger = pino();\nimport pino from 'pino';\nasync function get() {\n  try {\n    return await db.get(1);\n  } catch (e) {}\n}\n`, deps: ['pino'] });
    assert.deepEqual(finding.fixes.map((f) => [f.title, !!f.isPreferred, !!f.safe]), [
      ['Log the error with logger (pino) and rethrow (the function would return undefined)', true, false],
      ['Log the error with logger (pino) and continue', false, true],
    ]);
  });
});
