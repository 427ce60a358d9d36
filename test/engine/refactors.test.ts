/**
 * The flag-guard refactor and the "disable for this line" edit, rust-analyzer style: `$0` marks
 * the cursor (two `$0` mark a selection), `output` is the exact text after the edit, `null`
 * means the refactor is not offered. Every output is checked to parse (applyFixChecked).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { flagGuardRefactor, disableNextLineEdit, negate } from '../../server/src/engine/refactors';
import { analyze } from '../../server/src/engine/analyze';
import { normalizeConfig } from '../../server/src/engine/config';
import { applyEdits } from '../../server/src/fixes/edits';
import { missingTimeout } from '../../server/src/rules/missing-timeout';
import { RULE_IDS } from '../../server/src/rules';
import { applyFixChecked, projectFrom } from '../harness/ruleTester';
import type { LocalFlags } from '../../server/src/engine/localModules';

interface GuardCase {
  name: string;
  code: string;
  output: string | null;
  deps?: string[] | Record<string, string>;
  settings?: Record<string, unknown>;
  filename?: string;
  title?: string;
  /** The project's own flags module (ProjectFacts.local.flags). */
  localFlags?: LocalFlags;
}

function markers(code: string): { text: string; start: number; end: number } {
  const first = code.indexOf('$0');
  assert.ok(first !== -1, 'case needs a $0 cursor');
  const rest = code.slice(0, first) + code.slice(first + 2);
  const second = rest.indexOf('$0');
  if (second === -1) return { text: rest, start: first, end: first };
  return { text: rest.slice(0, second) + rest.slice(second + 2), start: first, end: second };
}

function guardCases(cases: GuardCase[]): void {
  for (const c of cases) {
    it(c.name, () => {
      const { text, start, end } = markers(c.code);
      const filename = c.filename ?? 'src/service.ts';
      const { config, problems } = normalizeConfig(c.settings ?? {}, RULE_IDS);
      assert.deepEqual(problems, []);
      const project = { ...projectFrom(c.deps), ...(c.localFlags ? { local: { flags: c.localFlags } } : {}) };
      const fix = flagGuardRefactor({ text, fileName: filename, project, config, start, end });
      if (c.output === null) {
        assert.equal(fix, undefined, fix && `unexpected refactor:\n${applyEdits(text, fix.edits)}`);
        return;
      }
      assert.ok(fix, 'expected the refactor to be offered');
      assert.equal(fix.kind, 'refactor.rewrite');
      assert.notEqual(fix.safe, true, 'a guard changes behaviour: never safe');
      if (c.title) assert.equal(fix.title, c.title);
      assert.equal(applyFixChecked(text, filename, fix), c.output);
    });
  }
}

describe('flagGuardRefactor', () => {
  describe('providers', () => {
    guardCases([
      {
        name: 'OpenFeature (ESM): wraps the statement at the cursor and imports OpenFeature',
        deps: ['@openfeature/server-sdk'],
        title: 'Wrap in feature flag guard (OpenFeature)',
        code: `import express from 'express';

export async function sendReceipt(order: Order) {
  audit(order);
  await mailer.send(order.email, $0render(order));
  metrics.inc('receipt');
}
`,
        output: `import express from 'express';
import { OpenFeature } from '@openfeature/server-sdk';

export async function sendReceipt(order: Order) {
  audit(order);
  if (await OpenFeature.getClient().getBooleanValue('send-receipt', false)) {
    await mailer.send(order.email, render(order));
  }
  metrics.inc('receipt');
}
`,
      },
      {
        name: 'OpenFeature (CommonJS): requires OpenFeature in the file\'s style',
        deps: ['@openfeature/server-sdk'],
        filename: 'src/service.js',
        code: `"use strict";
const mailer = require("./mailer");

async function sendReceipt(order) {
  $0await mailer.send(order.email);
  return true;
}
`,
        output: `"use strict";
const mailer = require("./mailer");
const { OpenFeature } = require("@openfeature/server-sdk");

async function sendReceipt(order) {
  if (await OpenFeature.getClient().getBooleanValue("send-receipt", false)) {
    await mailer.send(order.email);
  }
  return true;
}
`,
      },
      {
        name: 'OpenFeature: uses the client the file already made, no import',
        deps: ['@openfeature/server-sdk'],
        code: `import { OpenFeature } from '@openfeature/server-sdk';

const flags = OpenFeature.getClient();

export async function refund(id: string) {
  await payments.refund($0id);
  await audit(id);
}
`,
        output: `import { OpenFeature } from '@openfeature/server-sdk';

const flags = OpenFeature.getClient();

export async function refund(id: string) {
  if (await flags.getBooleanValue('refund', false)) {
    await payments.refund(id);
  }
  await audit(id);
}
`,
      },
      {
        name: 'OpenFeature: an existing import is reused',
        deps: ['@openfeature/server-sdk'],
        code: `import { OpenFeature } from '@openfeature/server-sdk';

export async function refund(id: string) {
  await payments.refund($0id);
  await audit(id);
}
`,
        output: `import { OpenFeature } from '@openfeature/server-sdk';

export async function refund(id: string) {
  if (await OpenFeature.getClient().getBooleanValue('refund', false)) {
    await payments.refund(id);
  }
  await audit(id);
}
`,
      },
      {
        name: 'OpenFeature needs await: not offered in a sync function',
        deps: ['@openfeature/server-sdk'],
        code: `export function refund(id: string) {
  payments.refund($0id);
  audit(id);
}
`,
        output: null,
      },
      {
        name: 'OpenFeature from the failpath.flags setting with a named client',
        settings: { flags: { provider: 'openfeature', name: 'featureClient', import: './flags' } },
        code: `import { db } from './db';

export async function archive(id: string) {
  await db.archive($0id);
  await audit(id);
}
`,
        output: `import { db } from './db';
import { featureClient } from './flags';

export async function archive(id: string) {
  if (await featureClient.getBooleanValue('archive', false)) {
    await db.archive(id);
  }
  await audit(id);
}
`,
      },
      {
        name: 'LaunchDarkly: the client made with init() in the file',
        deps: ['@launchdarkly/node-server-sdk'],
        title: 'Wrap in feature flag guard (LaunchDarkly (ld))',
        code: `import { init } from '@launchdarkly/node-server-sdk';

const ld = init(process.env.LD_SDK_KEY!);

export async function exportReport(id: string) {
  await storage.upload($0id);
  await notify(id);
}
`,
        output: `import { init } from '@launchdarkly/node-server-sdk';

const ld = init(process.env.LD_SDK_KEY!);

export async function exportReport(id: string) {
  if (await ld.variation('export-report', { kind: 'user', key: 'anonymous' }, false)) {
    await storage.upload(id);
  }
  await notify(id);
}
`,
      },
      {
        name: 'LaunchDarkly: an imported ldClient is in scope',
        deps: ['@launchdarkly/node-server-sdk'],
        code: `import { ldClient } from './flags';

export async function exportReport(id: string) {
  await storage.upload($0id);
  await notify(id);
}
`,
        output: `import { ldClient } from './flags';

export async function exportReport(id: string) {
  if (await ldClient.variation('export-report', { kind: 'user', key: 'anonymous' }, false)) {
    await storage.upload(id);
  }
  await notify(id);
}
`,
      },
      {
        name: 'LaunchDarkly: no client in scope and none configured: not offered',
        deps: ['@launchdarkly/node-server-sdk'],
        code: `export async function exportReport(id: string) {
  await storage.upload($0id);
  await notify(id);
}
`,
        output: null,
      },
      {
        name: 'LaunchDarkly from settings: imports the configured client',
        settings: { flags: { provider: 'launchdarkly', name: 'ldClient', import: './flags' } },
        code: `export async function exportReport(id: string) {
  await storage.upload($0id);
  await notify(id);
}
`,
        output: `import { ldClient } from './flags';
export async function exportReport(id: string) {
  if (await ldClient.variation('export-report', { kind: 'user', key: 'anonymous' }, false)) {
    await storage.upload(id);
  }
  await notify(id);
}
`,
      },
      {
        name: 'Unleash: isEnabled() imported from unleash-client; sync functions are fine',
        deps: ['unleash-client'],
        title: 'Wrap in feature flag guard (Unleash)',
        code: `import { cache } from './cache';

export function warmCache(keys: string[]) {
  $0for (const key of keys) {
    cache.load(key);
  }
  report(keys);
}
`,
        output: `import { cache } from './cache';
import { isEnabled } from 'unleash-client';

export function warmCache(keys: string[]) {
  if (isEnabled('warm-cache')) {
    for (const key of keys) {
      cache.load(key);
    }
  }
  report(keys);
}
`,
      },
      {
        name: 'Unleash: the instance made with initialize() in the file',
        deps: ['unleash-client'],
        code: `import { initialize } from 'unleash-client';

const unleash = initialize({ url: process.env.UNLEASH_URL!, appName: 'shop' });

export function warmCache(keys: string[]) {
  cache.load($0keys);
  report(keys);
}
`,
        output: `import { initialize } from 'unleash-client';

const unleash = initialize({ url: process.env.UNLEASH_URL!, appName: 'shop' });

export function warmCache(keys: string[]) {
  if (unleash.isEnabled('warm-cache')) {
    cache.load(keys);
  }
  report(keys);
}
`,
      },
      {
        name: 'GrowthBook: the instance made with new GrowthBook()',
        deps: ['@growthbook/growthbook'],
        code: `import { GrowthBook } from '@growthbook/growthbook';

const growthbook = new GrowthBook({ apiHost: 'https://cdn.growthbook.io' });

export function recommend(user: User) {
  const items = $0ranker.top(user);
  render(user);
}
`,
        output: `import { GrowthBook } from '@growthbook/growthbook';

const growthbook = new GrowthBook({ apiHost: 'https://cdn.growthbook.io' });

export function recommend(user: User) {
  if (growthbook.isOn('recommend')) {
    const items = ranker.top(user);
  }
  render(user);
}
`,
      },
      {
        name: 'GrowthBook: no instance in scope: not offered',
        deps: ['@growthbook/growthbook'],
        code: `export function recommend(user: User) {
  ranker.top($0user);
  render(user);
}
`,
        output: null,
      },
      {
        name: 'custom function from settings',
        settings: { flags: { provider: 'custom', name: 'isFeatureOn', import: '@acme/flags' } },
        title: 'Wrap in feature flag guard (isFeatureOn())',
        code: `import { queue } from './queue';

export async function enqueueInvoice(id: string) {
  await queue.push($0id);
  log(id);
}
`,
        output: `import { queue } from './queue';
import { isFeatureOn } from '@acme/flags';

export async function enqueueInvoice(id: string) {
  if (await isFeatureOn('enqueue-invoice')) {
    await queue.push(id);
  }
  log(id);
}
`,
      },
      {
        name: 'no SDK: an environment-variable kill switch',
        title: 'Wrap in feature flag guard (env FF_ENQUEUE_INVOICE=off disables it; no flag SDK found)',
        code: `export function enqueueInvoice(id: string) {
  queue.push($0id);
  log(id);
}
`,
        output: `export function enqueueInvoice(id: string) {
  if (process.env.FF_ENQUEUE_INVOICE !== 'off') {
    queue.push(id);
  }
  log(id);
}
`,
      },
      {
        name: 'env fallback in CommonJS with double quotes and no semicolons',
        filename: 'lib/jobs.js',
        code: `const queue = require("./queue")

function enqueueInvoice(id) {
  queue.push($0id)
  log(id)
}
`,
        output: `const queue = require("./queue")

function enqueueInvoice(id) {
  if (process.env.FF_ENQUEUE_INVOICE !== "off") {
    queue.push(id)
  }
  log(id)
}
`,
      },
    ]);
  });

  describe('early return when the statements run to the end of the function', () => {
    guardCases([
      {
        name: 'void function: plain return, negated provider call',
        deps: ['unleash-client'],
        code: `import { isEnabled } from 'unleash-client';

export function syncInventory(items: Item[]) {
  validate(items);
  $0warehouse.sync(items);
  metrics.inc('sync');$0
}
`,
        output: `import { isEnabled } from 'unleash-client';

export function syncInventory(items: Item[]) {
  validate(items);
  if (!isEnabled('sync-inventory')) return;
  warehouse.sync(items);
  metrics.inc('sync');
}
`,
      },
      {
        name: 'awaited condition is parenthesised',
        deps: ['@openfeature/server-sdk'],
        code: `import { OpenFeature } from '@openfeature/server-sdk';

export async function syncInventory(items: Item[]) {
  await warehouse.sync($0items);
}
`,
        output: `import { OpenFeature } from '@openfeature/server-sdk';

export async function syncInventory(items: Item[]) {
  if (!(await OpenFeature.getClient().getBooleanValue('sync-inventory', false))) return;
  await warehouse.sync(items);
}
`,
      },
      {
        name: 'env switch: the comparison is flipped; an Express handler still answers (404)',
        code: `app.post('/checkout', (req, res) => {
  const total = sum(req.body);
  $0res.json({ total });
});
`,
        output: `app.post('/checkout', (req, res) => {
  const total = sum(req.body);
  if (process.env.FF_CHECKOUT === 'off') return res.status(404).end();
  res.json({ total });
});
`,
      },
      {
        name: 'boolean return type: return false',
        code: `export function canShip(order: Order): boolean {
  audit(order);
  $0return carrier.accepts(order);
}
`,
        output: `export function canShip(order: Order): boolean {
  audit(order);
  if (process.env.FF_CAN_SHIP === 'off') return false;
  return carrier.accepts(order);
}
`,
      },
      {
        name: 'async Promise<string[]>: return []',
        code: `export async function listTags(id: string): Promise<string[]> {
  $0const rows = await db.tags(id);
  return rows.map((r) => r.name);$0
}
`,
        output: `export async function listTags(id: string): Promise<string[]> {
  if (process.env.FF_LIST_TAGS === 'off') return [];
  const rows = await db.tags(id);
  return rows.map((r) => r.name);
}
`,
      },
      {
        name: 'string return type: an empty string in the file\'s quotes',
        code: `export function label(x: Item): string {
  $0return format(x);
}
const q = "x";
`,
        output: `export function label(x: Item): string {
  if (process.env.FF_LABEL === "off") return "";
  return format(x);
}
const q = "x";
`,
      },
      {
        name: 'ReadonlyArray<T> | undefined prefers a plain return',
        code: `export function tags(x: Item): ReadonlyArray<string> | undefined {
  $0return x.tags;
}
`,
        output: `export function tags(x: Item): ReadonlyArray<string> | undefined {
  if (process.env.FF_TAGS === 'off') return;
  return x.tags;
}
`,
      },
      {
        name: 'Array<T> return type: return []',
        code: `export function tags(x: Item): Array<string> {
  $0return x.tags;
}
`,
        output: `export function tags(x: Item): Array<string> {
  if (process.env.FF_TAGS === 'off') return [];
  return x.tags;
}
`,
      },
      {
        name: 'number return type: return 0',
        code: `class Stats {
  count(): number {
    $0return this.rows.length;
  }
}
`,
        output: `class Stats {
  count(): number {
    if (process.env.FF_COUNT === 'off') return 0;
    return this.rows.length;
  }
}
`,
      },
      {
        name: 'T | null return type: return null',
        code: `function findUser(id: string): User | null {
  $0return users.get(id) ?? null;
}
`,
        output: `function findUser(id: string): User | null {
  if (process.env.FF_FIND_USER === 'off') return null;
  return users.get(id) ?? null;
}
`,
      },
      {
        name: 'no annotation: the literal the function already returns',
        code: `function activeIds(rows) {
  if (!rows) return [];
  $0return rows.filter((r) => r.active).map((r) => r.id);
}
`,
        output: `function activeIds(rows) {
  if (!rows) return [];
  if (process.env.FF_ACTIVE_IDS === 'off') return [];
  return rows.filter((r) => r.active).map((r) => r.id);
}
`,
      },
      {
        name: 'no semicolons: the early return has none either',
        code: `const sink = require('./sink')

function flush(buffer) {
  $0sink.write(buffer)
}
`,
        output: `const sink = require('./sink')

function flush(buffer) {
  if (process.env.FF_FLUSH === 'off') return
  sink.write(buffer)
}
`,
      },
      {
        name: 'a value is needed and none is obvious (Promise<User>): not offered',
        code: `export async function loadUser(id: string): Promise<User> {
  $0return api.user(id);
}
`,
        output: null,
      },
      {
        name: 'a value is needed and none is obvious (no annotation): not offered',
        code: `async function load(url) {
  const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
  $0return res.json();
}
`,
        output: null,
      },
      {
        name: 'Express-style handler answering on several paths: the guard answers too',
        code: `router.get('/orders/:id', async (req, res) => {
  if (!req.params.id) return res.status(400).end();
  $0res.json(await orders.get(req.params.id));
});
`,
        output: `router.get('/orders/:id', async (req, res) => {
  if (!req.params.id) return res.status(400).end();
  if (process.env.FF_ORDERS_ID === 'off') return res.status(404).end();
  res.json(await orders.get(req.params.id));
});
`,
      },
    ]);
  });

  describe('request handlers and callbacks: the caller is never left waiting', () => {
    guardCases([
      {
        name: 'Express route with next: flag off passes to the next route',
        code: `import express from 'express';
const router = express.Router();

router.put('/user', auth.required, async (req, res, next) => {
  $0try {
    res.json({ user: await updateUser(req.body.user) });
  } catch (error) {
    next(error);
  }
});
`,
        output: `import express from 'express';
const router = express.Router();

router.put('/user', auth.required, async (req, res, next) => {
  if (process.env.FF_USER === 'off') return next();
  try {
    res.json({ user: await updateUser(req.body.user) });
  } catch (error) {
    next(error);
  }
});
`,
      },
      {
        name: 'Express middleware: guarding its work and next() keeps the chain going',
        code: `import express from 'express';
const app = express();

app.use((req, res, next) => {
  $0audit(req);
  next();$0
});
`,
        output: `import express from 'express';
const app = express();

app.use((req, res, next) => {
  if (process.env.FF_FEATURE === 'off') return next();
  audit(req);
  next();
});
`,
      },
      {
        name: 'Express middleware: guarding only its work wraps it',
        code: `import express from 'express';
const app = express();

app.use((req, res, next) => {
  $0audit(req);
  next();
});
`,
        output: `import express from 'express';
const app = express();

app.use((req, res, next) => {
  if (process.env.FF_FEATURE !== 'off') {
    audit(req);
  }
  next();
});
`,
      },
      {
        name: 'wrapping the response in the middle of a handler: not offered (no answer when off)',
        code: `import express from 'express';
const app = express();

app.get('/report', async (req, res) => {
  $0res.json(await report());
  await analytics.track('report');
});
`,
        output: null,
      },
      {
        name: 'wrapping next() in the middle of a middleware: not offered',
        code: `import express from 'express';
const app = express();

app.use((req, res, next) => {
  $0next();
  audit(req);
});
`,
        output: null,
      },
      {
        name: 'Fastify route: reply.code(404).send()',
        code: `import Fastify from 'fastify';
const fastify = Fastify();

fastify.get('/stats', async (request, reply) => {
  $0return reply.send(await stats());
});
`,
        output: `import Fastify from 'fastify';
const fastify = Fastify();

fastify.get('/stats', async (request, reply) => {
  if (process.env.FF_STATS === 'off') return reply.code(404).send();
  return reply.send(await stats());
});
`,
      },
      {
        name: 'Koa route: a plain return answers 404 by itself',
        code: `import Router from '@koa/router';
const router = new Router();

router.get('/stats', async (ctx) => {
  $0ctx.body = await stats();
});
`,
        output: `import Router from '@koa/router';
const router = new Router();

router.get('/stats', async (ctx) => {
  if (process.env.FF_STATS === 'off') return;
  ctx.body = await stats();
});
`,
      },
      {
        name: 'Hono route: c.notFound()',
        code: `import { Hono } from 'hono';
const app = new Hono();

app.get('/stats', async (c) => {
  $0return c.json(await stats());
});
`,
        output: `import { Hono } from 'hono';
const app = new Hono();

app.get('/stats', async (c) => {
  if (process.env.FF_STATS === 'off') return c.notFound();
  return c.json(await stats());
});
`,
      },
      {
        name: 'Next.js app route: a 404 Response',
        filename: 'app/api/stats/route.ts',
        code: `export async function GET(request: Request) {
  const data = await stats();
  $0return Response.json(data);
}
`,
        output: `export async function GET(request: Request) {
  const data = await stats();
  if (process.env.FF_GET === 'off') return new Response(null, { status: 404 });
  return Response.json(data);
}
`,
      },
      {
        name: 'a callback called inside the guarded code (even from a nested function): not offered',
        code: `function load(id, cb) {
  $0db.query('select 1', (err, rows) => {
    cb(err, rows);
  });
}
`,
        output: null,
      },
      {
        name: 'a callback not called by the guarded code: offered',
        code: `function load(id, cb) {
  $0warm(id);
  db.query('select 1', cb);
}
`,
        output: `function load(id, cb) {
  if (process.env.FF_LOAD !== 'off') {
    warm(id);
  }
  db.query('select 1', cb);
}
`,
      },
    ]);
  });

  describe('what gets wrapped', () => {
    guardCases([
      {
        name: 'a selection over two statements wraps both, re-indenting nested blocks and keeping blank lines',
        code: `export function rebuild(ids: string[]) {
  prepare();
  $0for (const id of ids) {
    index.add(id);
  }

  index.commit();$0
  done();
}
`,
        output: `export function rebuild(ids: string[]) {
  prepare();
  if (process.env.FF_REBUILD !== 'off') {
    for (const id of ids) {
      index.add(id);
    }

    index.commit();
  }
  done();
}
`,
      },
      {
        name: 'a selection touching parts of two statements takes both whole',
        code: `function rebuild() {
  prepare();
  index.ad$0d(1);
  index.com$0mit();
  done();
}
`,
        output: `function rebuild() {
  prepare();
  if (process.env.FF_REBUILD !== 'off') {
    index.add(1);
    index.commit();
  }
  done();
}
`,
      },
      {
        name: 'lines inside a multi-line template literal are not re-indented',
        code: `function notify(user) {
  $0mailer.send(user.email, \`Hello \${user.name},
your order shipped.\`);
  done();
}
`,
        output: `function notify(user) {
  if (process.env.FF_NOTIFY !== 'off') {
    mailer.send(user.email, \`Hello \${user.name},
your order shipped.\`);
  }
  done();
}
`,
      },
      {
        name: 'a trailing comment on the last line moves inside the block',
        code: `function notify(user) {
  $0mailer.send(user.email); // best effort
  done();
}
`,
        output: `function notify(user) {
  if (process.env.FF_NOTIFY !== 'off') {
    mailer.send(user.email); // best effort
  }
  done();
}
`,
      },
      {
        name: 'cursor in the indentation: the statement that starts on that line',
        code: `function notify(user) {
$0  mailer.send(user.email);
  done();
}
`,
        output: `function notify(user) {
  if (process.env.FF_NOTIFY !== 'off') {
    mailer.send(user.email);
  }
  done();
}
`,
      },
      {
        name: 'the innermost statement: inside an if block',
        code: `function notify(user) {
  if (user.email) {
    $0mailer.send(user.email);
    log('sent');
  }
}
`,
        output: `function notify(user) {
  if (user.email) {
    if (process.env.FF_NOTIFY !== 'off') {
      mailer.send(user.email);
    }
    log('sent');
  }
}
`,
      },
      {
        name: 'a statement sharing its line: the guard gets its own lines',
        code: `function tick() {
  a(); $0b(); c();
}
`,
        output: `function tick() {
  a();
  if (process.env.FF_TICK !== 'off') {
    b();
  }
  c();
}
`,
      },
      {
        name: 'a wrapped const used afterwards: not offered (it would leave scope)',
        code: `function total(cart) {
  $0const sum = price(cart);
  return sum * 1.2;
}
`,
        output: null,
      },
      {
        name: 'a wrapped const not used afterwards: offered',
        code: `function total(cart) {
  $0const sum = price(cart);
  log(sum);$0
  return 0;
}
`,
        output: `function total(cart) {
  if (process.env.FF_TOTAL !== 'off') {
    const sum = price(cart);
    log(sum);
  }
  return 0;
}
`,
      },
      {
        name: 'tabs and CRLF are kept',
        code: 'function tick() {\r\n\t$0a();\r\n\tb();\r\n}\r\n',
        output: 'function tick() {\r\n\tif (process.env.FF_TICK !== \'off\') {\r\n\t\ta();\r\n\t}\r\n\tb();\r\n}\r\n',
      },
      {
        name: 'the flag key comes from the route of an anonymous handler',
        code: `router.post('/orders/:id/refund', async (req, res) => {
  await payments.refund($0req.params.id);
  res.sendStatus(204);
});
`,
        output: `router.post('/orders/:id/refund', async (req, res) => {
  if (process.env.FF_ORDERS_ID_REFUND !== 'off') {
    await payments.refund(req.params.id);
  }
  res.sendStatus(204);
});
`,
      },
      {
        name: 'the flag key of a method drops a handle prefix',
        code: `class CheckoutController {
  async handleCheckout(req: Request) {
    await this.payments.charge($0req.body);
    return { ok: true };
  }
}
`,
        output: `class CheckoutController {
  async handleCheckout(req: Request) {
    if (process.env.FF_CHECKOUT !== 'off') {
      await this.payments.charge(req.body);
    }
    return { ok: true };
  }
}
`,
      },
      {
        name: 'an anonymous callback takes the enclosing function\'s name',
        code: `function reindex(items) {
  items.forEach((item) => {
    $0search.put(item);
    seen.add(item);
  });
}
`,
        output: `function reindex(items) {
  items.forEach((item) => {
    if (process.env.FF_REINDEX !== 'off') {
      search.put(item);
    }
    seen.add(item);
  });
}
`,
      },
      {
        name: 'module-level statements: not offered',
        code: `const app = express();
$0app.listen(3000);
`,
        output: null,
      },
      {
        name: 'a class static block: not offered',
        code: `class Registry {
  static {
    $0load();
    ready();
  }
}
`,
        output: null,
      },
      {
        name: 'an arrow function with an expression body: not offered',
        code: `const ping = () => fetch($0'/ping');
`,
        output: null,
      },
    ]);
  });

  it('negate() flips comparisons and wraps what needs it', () => {
    assert.equal(negate("process.env.FF_X !== 'off'"), "process.env.FF_X === 'off'");
    assert.equal(negate("gb.isOn('x')"), "!gb.isOn('x')");
    assert.equal(negate("await c.getBooleanValue('x', false)"), "!(await c.getBooleanValue('x', false))");
  });
});

describe('disableNextLineEdit', () => {
  const suppressCases: { name: string; code: string; output: string | null; filename?: string }[] = [
    {
      name: 'inserts the directive above the line with its indentation',
      code: `async function load(url) {\n  const res = await $0fetch(url);\n  return res;\n}\n`,
      output: `async function load(url) {\n  // failpath-disable-next-line missing-timeout\n  const res = await fetch(url);\n  return res;\n}\n`,
    },
    {
      name: 'adds the rule to a directive already above the line',
      code: `async function load(url) {\n  // failpath-disable-next-line no-fallback\n  const res = await $0fetch(url);\n}\n`,
      output: `async function load(url) {\n  // failpath-disable-next-line no-fallback, missing-timeout\n  const res = await fetch(url);\n}\n`,
    },
    {
      name: 'keeps the reason of that directive after the ids',
      code: `async function load(url) {\n  // failpath-disable-next-line no-fallback -- retried by the queue\n  const res = await $0fetch(url);\n}\n`,
      output: `async function load(url) {\n  // failpath-disable-next-line no-fallback, missing-timeout -- retried by the queue\n  const res = await fetch(url);\n}\n`,
    },
    {
      name: 'keeps CRLF line endings',
      code: `async function load(url) {\r\n\tawait $0fetch(url);\r\n}\r\n`,
      output: `async function load(url) {\r\n\t// failpath-disable-next-line missing-timeout\r\n\tawait fetch(url);\r\n}\r\n`,
    },
    {
      name: 'first line of the file',
      code: `await $0fetch(url);\n`,
      output: `// failpath-disable-next-line missing-timeout\nawait fetch(url);\n`,
    },
    {
      name: 'a line that starts inside a template literal: not offered',
      code: 'const page = `<h1>${title}</h1>\n${await $0fetch(url).then((r) => r.text())}`;\n',
      output: null,
    },
    {
      name: 'a line inside JSX children: not offered',
      filename: 'src/page.tsx',
      code: `const el = (\n  <div>\n    {$0load()}\n  </div>\n);\n`,
      output: null,
    },
    {
      name: 'a line inside a JSX expression container: offered',
      filename: 'src/page.tsx',
      code: `const el = (\n  <div>\n    {items.map(async (i) => {\n      await $0fetch(i.url);\n    })}\n  </div>\n);\n`,
      output: `const el = (\n  <div>\n    {items.map(async (i) => {\n      // failpath-disable-next-line missing-timeout\n      await fetch(i.url);\n    })}\n  </div>\n);\n`,
    },
  ];
  for (const c of suppressCases) {
    it(c.name, () => {
      const { text, start } = markers(c.code);
      const filename = c.filename ?? 'src/service.ts';
      const edit = disableNextLineEdit({ text, fileName: filename, offset: start, ruleId: 'missing-timeout' });
      if (c.output === null) {
        assert.equal(edit, undefined);
        return;
      }
      assert.ok(edit);
      assert.equal(applyFixChecked(text, filename, { title: 'disable', edits: [edit] }), c.output);
    });
  }

  it('the directive is honoured by the engine', () => {
    const text = `export async function load(url: string) {\n  const res = await fetch(url);\n  return res.json();\n}\n`;
    const before = analyze({ text, fileName: 'src/a.ts', rules: [missingTimeout] }).findings;
    assert.equal(before.length, 1);
    const edit = disableNextLineEdit({ text, fileName: 'src/a.ts', offset: before[0].start, ruleId: 'missing-timeout' });
    const after = analyze({ text: applyEdits(text, [edit!]), fileName: 'src/a.ts', rules: [missingTimeout] });
    assert.deepEqual(after.findings, []);
    assert.deepEqual(after.unusedSuppressions, []);
  });

  it('a rule already named above the line gets no second directive', () => {
    const text = `async function f(url) {\n  // failpath-disable-next-line missing-timeout\n  await fetch(url);\n}\n`;
    assert.equal(disableNextLineEdit({ text, fileName: 'a.js', offset: text.indexOf('fetch'), ruleId: 'missing-timeout' }), undefined);
  });
});

describe('flagGuardRefactor: Flagsmith, ConfigCat, SDK versions and the project\'s own flags module', () => {
  const body = (call: string, q = "'") => `export async function exportReport(id: string) {
  ${call}
  await notify(id);
}
`.replace(/'/g, q);
  guardCases([
    {
      name: 'Flagsmith (v2+): environment flags from the client made with new Flagsmith()',
      deps: { 'flagsmith-nodejs': '^5.1.0' },
      title: 'Wrap in feature flag guard (Flagsmith (flagsmith))',
      code: `import Flagsmith from 'flagsmith-nodejs';

const flagsmith = new Flagsmith({ environmentKey: process.env.FLAGSMITH_KEY! });

export async function exportReport(id: string) {
  await storage.upload($0id);
  await notify(id);
}
`,
      output: `import Flagsmith from 'flagsmith-nodejs';

const flagsmith = new Flagsmith({ environmentKey: process.env.FLAGSMITH_KEY! });

export async function exportReport(id: string) {
  if ((await flagsmith.getEnvironmentFlags()).isFeatureEnabled('export-report')) {
    await storage.upload(id);
  }
  await notify(id);
}
`,
    },
    {
      name: 'Flagsmith 1.x: the module is the client, hasFeature() returns a promise',
      deps: { 'flagsmith-nodejs': '~1.1.1' },
      code: `import flagsmith from 'flagsmith-nodejs';

export async function exportReport(id: string) {
  await storage.upload($0id);
  await notify(id);
}
`,
      output: `import flagsmith from 'flagsmith-nodejs';

export async function exportReport(id: string) {
  if (await flagsmith.hasFeature('export-report')) {
    await storage.upload(id);
  }
  await notify(id);
}
`,
    },
    {
      name: 'Flagsmith: no client in scope: not offered',
      deps: ['flagsmith-nodejs'],
      code: body('await storage.upload($0id);'),
      output: null,
    },
    {
      name: 'ConfigCat (CommonJS, double quotes, no semicolons): getValueAsync on the client from getClient()',
      deps: ['configcat-node'],
      filename: 'src/report.js',
      title: 'Wrap in feature flag guard (ConfigCat (cc))',
      code: `const configcat = require("configcat-node")
const cc = configcat.getClient(process.env.CONFIGCAT_KEY)

async function exportReport(id) {
  await storage.upload($0id)
  await notify(id)
}
`,
      output: `const configcat = require("configcat-node")
const cc = configcat.getClient(process.env.CONFIGCAT_KEY)

async function exportReport(id) {
  if (await cc.getValueAsync("export-report", false)) {
    await storage.upload(id)
  }
  await notify(id)
}
`,
    },
    {
      name: 'ConfigCat from settings: imports the configured client',
      settings: { flags: { provider: 'configcat', name: 'configCatClient', import: './flags' } },
      code: body('await storage.upload($0id);'),
      output: `import { configCatClient } from './flags';
export async function exportReport(id: string) {
  if (await configCatClient.getValueAsync('export-report', false)) {
    await storage.upload(id);
  }
  await notify(id);
}
`,
    },
    {
      name: 'launchdarkly-node-server-sdk 6 (before contexts): a user object',
      deps: { 'launchdarkly-node-server-sdk': '^6.4.3' },
      code: `import { ldClient } from './flags';

${body('await storage.upload($0id);')}`,
      output: `import { ldClient } from './flags';

export async function exportReport(id: string) {
  if (await ldClient.variation('export-report', { key: 'anonymous' }, false)) {
    await storage.upload(id);
  }
  await notify(id);
}
`,
    },
    {
      name: 'launchdarkly-node-server-sdk 7: a context',
      deps: { 'launchdarkly-node-server-sdk': '^7.0.0' },
      code: `import { ldClient } from './flags';

${body('await storage.upload($0id);')}`,
      output: `import { ldClient } from './flags';

export async function exportReport(id: string) {
  if (await ldClient.variation('export-report', { kind: 'user', key: 'anonymous' }, false)) {
    await storage.upload(id);
  }
  await notify(id);
}
`,
    },
    {
      name: 'project flags module: its async isEnabled() is imported by relative path and awaited',
      deps: ['@launchdarkly/node-server-sdk'],
      localFlags: { file: '/project/src/lib/flags.ts', name: 'isEnabled', kind: 'function', provider: 'launchdarkly', async: true },
      filename: 'src/routes/reports.ts',
      title: 'Wrap in feature flag guard (isEnabled() from ../lib/flags)',
      code: `import { storage } from '../storage';

${body('await storage.upload($0id);')}`,
      output: `import { storage } from '../storage';
import { isEnabled } from '../lib/flags';

export async function exportReport(id: string) {
  if (await isEnabled('export-report')) {
    await storage.upload(id);
  }
  await notify(id);
}
`,
    },
    {
      name: 'project flags module: a sync helper in a sync function; .js extensions like the file\'s own imports',
      deps: ['unleash-client'],
      localFlags: { file: '/project/src/flags.ts', name: 'isFeatureEnabled', kind: 'function', provider: 'unleash', async: false },
      code: `import { storage } from './storage.js';

export function exportReport(id: string) {
  storage.upload($0id);
  notify(id);
}
`,
      output: `import { storage } from './storage.js';
import { isFeatureEnabled } from './flags.js';

export function exportReport(id: string) {
  if (isFeatureEnabled('export-report')) {
    storage.upload(id);
  }
  notify(id);
}
`,
    },
    {
      name: 'project flags module: an already imported default export is reused',
      localFlags: { file: '/project/src/flags.ts', name: 'default', kind: 'function', provider: 'openfeature', async: true },
      code: `import flagOn from './flags';

${body('await storage.upload($0id);')}`,
      output: `import flagOn from './flags';

export async function exportReport(id: string) {
  if (await flagOn('export-report')) {
    await storage.upload(id);
  }
  await notify(id);
}
`,
    },
    {
      name: 'project flags module exporting a GrowthBook client: its method, imported (CommonJS)',
      deps: ['@growthbook/growthbook'],
      localFlags: { file: '/project/src/flags.js', name: 'flags', kind: 'client', provider: 'growthbook', async: false },
      filename: 'src/jobs/report.js',
      code: `'use strict';

function exportReport(id) {
  storage.upload($0id);
  notify(id);
}
`,
      output: `'use strict';
const { flags } = require('../flags');

function exportReport(id) {
  if (flags.isOn('export-report')) {
    storage.upload(id);
  }
  notify(id);
}
`,
    },
    {
      name: 'project flags module: the settings still win',
      settings: { flags: { provider: 'custom', name: 'isOn', import: '@acme/flags' } },
      localFlags: { file: '/project/src/flags.ts', name: 'isEnabled', kind: 'function', provider: 'unleash', async: false },
      title: 'Wrap in feature flag guard (isOn())',
      code: body('await storage.upload($0id);'),
      output: `import { isOn } from '@acme/flags';
export async function exportReport(id: string) {
  if (await isOn('export-report')) {
    await storage.upload(id);
  }
  await notify(id);
}
`,
    },
    {
      name: 'project flags module: not used inside the module itself',
      deps: ['@growthbook/growthbook'],
      localFlags: { file: '/project/src/service.ts', name: 'isEnabled', kind: 'function', provider: 'growthbook', async: false },
      code: body('await storage.upload($0id);'),
      output: null,
    },
  ]);
});
