/**
 * "Generate failure test" in the engine: the exact test text for each runner (vitest, jest,
 * mocha, node:test) and each way of making the dependency fail (undici MockAgent, nock, msw, a
 * stub of the shared client, an injected fake, vi.mock / jest.mock, Nest providers), for
 * functions and routes (supertest, fastify.inject, Nest testing module), ESM and CommonJS; every
 * generated file parses. Also: where the file goes, which runner, the install command when a
 * package is missing, and where the action is not offered.
 */
import { describe, it, before, after } from 'node:test';
import { Commands } from '../../shared/protocol';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ts from 'typescript';
import { failureTestFix, detectRunner, readTestLayout, testFileFor, type TestLayout } from '../../server/src/engine/failureTest';
import { installCommand } from '../../server/src/engine/failureTest/layout';
import { projectFactsFromPackageJson } from '../../server/src/engine/project';
import { DEFAULT_CONFIG } from '../../server/src/engine/config';
import { analyze } from '../../server/src/engine/analyze';

interface Case {
  file: string;
  text: string;
  deps: Record<string, string>;
  /** The cursor: the nth (0-based) occurrence of `at`. */
  at: string;
  nth?: number;
  tests?: string[];
  scripts?: Record<string, string>;
  type?: 'module' | 'commonjs';
}

function gen(o: Case) {
  const root = '/proj';
  const project = projectFactsFromPackageJson({ name: 'p', dependencies: o.deps, ...(o.type ? { type: o.type } : {}) }, root);
  let at = -1;
  for (let i = 0; i <= (o.nth ?? 0); i++) at = o.text.indexOf(o.at, at + 1);
  assert.notEqual(at, -1, o.at);
  const fileName = `${root}/${o.file}`;
  const config = { ...DEFAULT_CONFIG, timeoutMs: 4000 };
  const findings = analyze({ text: o.text, fileName, project, config }).findings;
  const layout: TestLayout = { root, scripts: o.scripts ?? {}, moduleType: o.type ?? 'commonjs', testFiles: o.tests ?? [], packageManager: 'npm' };
  return failureTestFix({ text: o.text, fileName, project, config, start: at, end: at, findings, layout: () => layout, allowedRoots: [root], copyInstallCommand: Commands.copyInstallCommand });
}

function syntaxErrors(text: string, fileName: string): string[] {
  const kind = fileName.endsWith('.js') ? ts.ScriptKind.JS : ts.ScriptKind.TS;
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, kind);
  return ((sf as unknown as { parseDiagnostics?: ts.Diagnostic[] }).parseDiagnostics ?? []).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

const CASES: Record<string, Case> = {
  jestExpressNock: { file: 'src/routes/quotes.ts', deps: { express: '^4.21.0', axios: '^1.7.0', nock: '^13.5.0', supertest: '^7.0.0', jest: '^29.0.0', 'ts-jest': '^29.0.0' }, at: "quotes.get('/quotes/:id'", tests: ['src/routes/health.test.ts', 'src/lib/db.test.ts'], text: `import { Router } from 'express';
import axios from 'axios';

export const quotes = Router();

quotes.get('/quotes/:id', async (req, res) => {
  try {
    const { data } = await axios.get(\`https://quotes.example.com/v1/quotes/\${req.params.id}\`, { timeout: 1500 });
    res.json(data);
  } catch (err) {
    res.status(502).json({ error: 'quotes unavailable' });
  }
});
` },
  mochaSpyPg: { file: 'src/orders.ts', deps: { pg: '^8.0.0', mocha: '^10.0.0', tsx: '^4.0.0' }, at: 'db.query', tests: ['test/orders/list.spec.ts'], type: 'module', text: `import { db } from './db.js';
import { logger } from './lib/logger.js';

export async function countOrders(customerId: string): Promise<number> {
  try {
    const { rows } = await db.query('SELECT count(*) FROM orders WHERE customer_id = $1', [customerId]);
    return Number(rows[0].count);
  } catch (err) {
    logger.error({ err, customerId }, 'order count failed');
    return 0;
  }
}
` },
  vitestMsw: { file: 'src/weather.ts', deps: { vitest: '^3.0.0', msw: '^2.0.0' }, at: 'fetch(', text: `export async function forecast(city: string) {
  const res = await fetch('https://api.weather.example/forecast?city=' + city, { signal: AbortSignal.timeout(800) });
  if (!res.ok) throw new Error('weather ' + res.status);
  return res.json();
}
` },
  vitestModuleMock: { file: 'src/session.ts', deps: { vitest: '^3.0.0', ioredis: '^5.0.0' }, at: 'redis.get', text: `import Redis from 'ioredis';
import log from '../log';

const redis = new Redis({ commandTimeout: 300 });

export async function readSession(id: string): Promise<string | null> {
  try {
    return await redis.get(\`session:\${id}\`);
  } catch (err) {
    log.warn('session read failed', err);
    return null;
  }
}
` },
  jestInjected: { file: 'src/repo.ts', deps: { jest: '^29.0.0', mysql2: '^3.0.0' }, at: 'conn.query', text: `import type { Pool } from 'mysql2/promise';

export async function findUser(conn: Pool, id: number) {
  const [rows] = await conn.query('SELECT * FROM users WHERE id = ?', [id]);
  return rows;
}
` },
  nodeFastifyPlugin: { file: 'src/routes.ts', deps: { fastify: '^5.0.0', pg: '^8.0.0', tsx: '^4.0.0' }, at: 'pool.query', text: `import type { FastifyInstance } from 'fastify';
import { pool } from './db';

export default async function routes(fastify: FastifyInstance) {
  fastify.get('/items', async () => {
    const { rows } = await pool.query('SELECT * FROM items');
    return rows;
  });
}
` },
  mochaCjsGot: { file: 'lib/prices.js', deps: { mocha: '^10.0.0', got: '^11.0.0', nock: '^13.0.0' }, at: 'got.post', text: `const got = require('got');

async function submitPrice(sku, cents) {
  return got.post('https://prices.example.com/prices', { json: { sku, cents } }).json();
}

module.exports = { submitPrice };
` },
  nestJest: { file: 'src/users/users.controller.ts', deps: { '@nestjs/common': '^10.0.0', '@nestjs/testing': '^10.0.0', '@prisma/client': '^5.0.0', jest: '^29.0.0', supertest: '^7.0.0', '@types/supertest': '^6.0.0' }, at: 'this.prisma.user.findMany', text: `import { Controller, Get } from '@nestjs/common';
import { PrismaService } from '../prisma.service';

@Controller('users')
export class UsersController {
  constructor(private readonly prisma: PrismaService) {}

  @Get()
  async list() {
    return this.prisma.user.findMany();
  }
}
` },
  brokenNoDeadline: { file: 'src/rates.ts', deps: { undici: '^6.0.0', tsx: '^4.0.0', express: '^4.21.0', supertest: '^7.0.0' }, at: 'fetch(', type: 'module', text: `import { Router } from 'express';

export const rates = Router();

rates.get('/rates', async (req, res) => {
  const r = await fetch('https://rates.example.com/latest');
  res.json(await r.json());
});
` },
  missingSupertest: { file: 'src/app.ts', deps: { express: '^4.21.0', nock: '^14.0.0', vitest: '^3.0.0' }, at: 'axios.get', text: `import express from 'express';
import axios from 'axios';

export const app = express();

app.get('/ping', async (req, res) => {
  const r = await axios.get('https://up.example.com/ping', { timeout: 1000 });
  res.json(r.data);
});
` },
};

const EXPECTED: Record<string, { title: string; path: string | undefined; text: string | undefined }> = {
  jestExpressNock: {
    title: 'Generate failure test for axios.get (timeout / 5xx / connection refused)',
    path: '/proj/src/routes/quotes.get-quotes-id.failure.test.ts',
    text: `// Generated by Failpath: what GET /quotes/:id does when axios.get fails (timeout / 5xx / connection refused).
// The code promises: the route answers 502, within its deadline.
import nock from 'nock';
import { quotes } from './quotes';
import request from 'supertest';
import express from 'express';

/** The deadline the code gives the call. */
const DEADLINE_MS = 1500;
/** A reply slower than the deadline. */
const SLOW_REPLY_MS = DEADLINE_MS + 1000;
const GRACE_MS = 500;

const ORIGIN = 'https://quotes.example.com';
const endpoint = () => nock(ORIGIN).intercept((path: string) => path.startsWith('/v1/quotes/'), 'GET');
function app() {
  const app = express();
  app.use(express.json());
  app.use(quotes);
  return app;
}

describe('GET /quotes/:id when axios.get fails', () => {
  beforeEach(async () => {
    nock.disableNetConnect();
  });

  afterEach(async () => {
    nock.cleanAll();
    nock.enableNetConnect();
  });

  it('timeout: answers 502', async () => {
    endpoint().delay(SLOW_REPLY_MS).reply(200, {});
    const started = Date.now();
    const res = await request(app()).get('/quotes/1');
    expect(res.status).toEqual(502);
    if (!(Date.now() - started < DEADLINE_MS + GRACE_MS)) throw new Error(\`still waiting after the \${DEADLINE_MS} ms deadline\`);
  }, 4500);

  it('503 from the dependency: answers 502', async () => {
    endpoint().reply(503, { error: 'unavailable' });
    const started = Date.now();
    const res = await request(app()).get('/quotes/1');
    expect(res.status).toEqual(502);
    if (!(Date.now() - started < DEADLINE_MS)) throw new Error(\`took longer than the \${DEADLINE_MS} ms deadline to fail\`);
  }, 3500);

  it('connection refused: answers 502', async () => {
    endpoint().replyWithError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:443'), { code: 'ECONNREFUSED' }));
    const started = Date.now();
    const res = await request(app()).get('/quotes/1');
    expect(res.status).toEqual(502);
    if (!(Date.now() - started < DEADLINE_MS)) throw new Error(\`took longer than the \${DEADLINE_MS} ms deadline to fail\`);
  }, 3500);
});
`,
  },
  mochaSpyPg: {
    title: 'Generate failure test for db.query (timeout / 5xx / connection refused)',
    path: '/proj/test/orders.countOrders.failure.spec.ts',
    text: `// Generated by Failpath: what countOrders() does when db.query fails (timeout / server error / connection refused).
// The code promises: it falls back to 0, within its deadline. It logs the failure (logger.error).
import assert from 'node:assert/strict';
import { db } from '../src/db.js';
import { logger } from '../src/lib/logger.js';
import { countOrders } from '../src/orders.js';

/** The deadline the test allows (the configured timeoutMs). */
const DEADLINE_MS = 4000;
/** A reply slower than the deadline. */
const SLOW_REPLY_MS = DEADLINE_MS + 1000;
const GRACE_MS = 500;

/** What the pg client does in the current scenario. */
let mockResponse: () => Promise<unknown> = async () => undefined;
function failure(message: string, code: string) {
  return Object.assign(new Error(message), { code });
}
const restores: (() => void)[] = [];
function stub(obj: any, method: string, impl: (...args: any[]) => unknown) {
  const original = obj[method];
  obj[method] = impl;
  restores.push(() => { obj[method] = original; });
}

describe('countOrders() when db.query fails', () => {
  beforeEach(async () => {
    stub(db, 'query', (..._args: unknown[]) => mockResponse());
  });

  afterEach(async () => {
    while (restores.length > 0) restores.pop()!();
  });

  it('timeout: falls back to 0', async function () {
    this.timeout(7000);
    mockResponse = async () => { throw failure('canceling statement due to statement timeout', '57014'); }; // what the client's deadline produces
    const logged = { count: 0 };
    stub(logger, 'error', () => { logged.count++; });
    const started = Date.now();
    const result = await countOrders('customerId-1');
    assert.deepEqual(result, 0);
    assert.ok(logged.count > 0, 'logger.error was not called');
    assert.ok(Date.now() - started < DEADLINE_MS + GRACE_MS, \`still waiting after the \${DEADLINE_MS} ms deadline\`);
  });

  it('server error: falls back to 0', async function () {
    this.timeout(6000);
    mockResponse = async () => { throw failure('terminating connection due to administrator command', '57P01'); };
    const logged = { count: 0 };
    stub(logger, 'error', () => { logged.count++; });
    const started = Date.now();
    const result = await countOrders('customerId-1');
    assert.deepEqual(result, 0);
    assert.ok(logged.count > 0, 'logger.error was not called');
    assert.ok(Date.now() - started < DEADLINE_MS, \`took longer than the \${DEADLINE_MS} ms deadline to fail\`);
  });

  it('connection refused: falls back to 0', async function () {
    this.timeout(6000);
    mockResponse = async () => { throw failure('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'); };
    const logged = { count: 0 };
    stub(logger, 'error', () => { logged.count++; });
    const started = Date.now();
    const result = await countOrders('customerId-1');
    assert.deepEqual(result, 0);
    assert.ok(logged.count > 0, 'logger.error was not called');
    assert.ok(Date.now() - started < DEADLINE_MS, \`took longer than the \${DEADLINE_MS} ms deadline to fail\`);
  });
});
`,
  },
  vitestMsw: {
    title: 'Generate failure test for fetch (timeout / 5xx / connection refused)',
    path: '/proj/test/weather.forecast.failure.test.ts',
    text: `// Generated by Failpath: what forecast() does when fetch fails (timeout / 5xx / connection refused).
// The code promises: it fails fast (rejects within its deadline) and leaves recovery to its caller.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { http, HttpResponse, delay } from 'msw';
import { setupServer } from 'msw/node';
import { forecast } from '../src/weather';

/** The deadline the code gives the call. */
const DEADLINE_MS = 800;
/** A reply slower than the deadline. */
const SLOW_REPLY_MS = DEADLINE_MS + 1000;
const GRACE_MS = 500;

const URL_PATTERN = 'https://api.weather.example/forecast';
const server = setupServer();

describe('forecast() when fetch fails', () => {
  beforeEach(async () => {
    server.listen({ onUnhandledRequest: 'error' });
  });

  afterEach(async () => {
    server.resetHandlers();
    server.close();
  });

  it('timeout: fails fast', async () => {
    server.use(http.get(URL_PATTERN, async () => { await delay(SLOW_REPLY_MS); return HttpResponse.json({}); }));
    const started = Date.now();
    await expect(forecast('city-1')).rejects.toBeDefined();
    expect(Date.now() - started < DEADLINE_MS + GRACE_MS, \`still waiting after the \${DEADLINE_MS} ms deadline\`).toBe(true);
  }, 3800);

  it('503 from the dependency: fails fast', async () => {
    server.use(http.get(URL_PATTERN, () => HttpResponse.json({ error: 'unavailable' }, { status: 503 })));
    const started = Date.now();
    await expect(forecast('city-1')).rejects.toBeDefined();
    expect(Date.now() - started < DEADLINE_MS, \`took longer than the \${DEADLINE_MS} ms deadline to fail\`).toBe(true);
  }, 2800);

  it('connection refused: fails fast', async () => {
    server.use(http.get(URL_PATTERN, () => HttpResponse.error()));
    const started = Date.now();
    await expect(forecast('city-1')).rejects.toBeDefined();
    expect(Date.now() - started < DEADLINE_MS, \`took longer than the \${DEADLINE_MS} ms deadline to fail\`).toBe(true);
  }, 2800);
});
`,
  },
  vitestModuleMock: {
    title: 'Generate failure test for redis.get (timeout / 5xx / connection refused)',
    path: '/proj/test/session.readSession.failure.test.ts',
    text: `// Generated by Failpath: what readSession() does when redis.get fails (timeout / server error / connection refused).
// The code promises: it falls back to null, within its deadline. It logs the failure (log.warn).
import { afterEach, describe, expect, it, vi } from 'vitest';
import log from '../log';
import { readSession } from '../src/session';

/** The deadline the test allows (the configured timeoutMs). */
const DEADLINE_MS = 4000;
/** A reply slower than the deadline. */
const SLOW_REPLY_MS = DEADLINE_MS + 1000;
const GRACE_MS = 500;

/** What the ioredis client does in the current scenario. */
let mockResponse: () => Promise<unknown> = async () => undefined;
function failure(message: string, code: string) {
  return Object.assign(new Error(message), { code });
}
// every ioredis client the code creates answers with mockResponse()
vi.mock('ioredis', () => {
  function FakeClient(): any {
    const handler: ProxyHandler<object> = { get: (_target, prop) => (prop === 'then' ? undefined : new Proxy(() => mockResponse(), handler)) };
    return new Proxy({}, handler);
  }
  return { default: FakeClient };
});

describe('readSession() when redis.get fails', () => {
  afterEach(async () => {
    vi.restoreAllMocks();
  });

  it('timeout: falls back to null', async () => {
    mockResponse = async () => { throw failure('Command timed out', 'ETIMEDOUT'); }; // what the client's deadline produces
    const logged = vi.spyOn(log, 'warn');
    const started = Date.now();
    const result = await readSession('id-1');
    expect(result).toEqual(null);
    expect(logged).toHaveBeenCalled();
    expect(Date.now() - started < DEADLINE_MS + GRACE_MS, \`still waiting after the \${DEADLINE_MS} ms deadline\`).toBe(true);
  }, 7000);

  it('server error: falls back to null', async () => {
    mockResponse = async () => { throw failure('LOADING Redis is loading the dataset in memory', 'LOADING'); };
    const logged = vi.spyOn(log, 'warn');
    const started = Date.now();
    const result = await readSession('id-1');
    expect(result).toEqual(null);
    expect(logged).toHaveBeenCalled();
    expect(Date.now() - started < DEADLINE_MS, \`took longer than the \${DEADLINE_MS} ms deadline to fail\`).toBe(true);
  }, 6000);

  it('connection refused: falls back to null', async () => {
    mockResponse = async () => { throw failure('connect ECONNREFUSED 127.0.0.1:6379', 'ECONNREFUSED'); };
    const logged = vi.spyOn(log, 'warn');
    const started = Date.now();
    const result = await readSession('id-1');
    expect(result).toEqual(null);
    expect(logged).toHaveBeenCalled();
    expect(Date.now() - started < DEADLINE_MS, \`took longer than the \${DEADLINE_MS} ms deadline to fail\`).toBe(true);
  }, 6000);
});
`,
  },
  jestInjected: {
    title: 'Generate failure test for conn.query (timeout / 5xx / connection refused)',
    path: '/proj/test/repo.findUser.failure.test.ts',
    text: `// Generated by Failpath: what findUser() does when conn.query fails (timeout / server error / connection refused).
// The code promises: it fails fast (rejects within its deadline) and leaves recovery to its caller.
import { findUser } from '../src/repo';

/** The deadline the test allows (the configured timeoutMs). */
const DEADLINE_MS = 4000;
/** A reply slower than the deadline. */
const SLOW_REPLY_MS = DEADLINE_MS + 1000;
const GRACE_MS = 500;

/** What the mysql2/promise client does in the current scenario. */
let mockResponse: () => Promise<unknown> = async () => undefined;
function failure(message: string, code: string) {
  return Object.assign(new Error(message), { code });
}
/** The client the code takes as a parameter, failing as the scenario says. */
const fake = { query: (..._args: unknown[]) => mockResponse() };

describe('findUser() when conn.query fails', () => {
  it('timeout: fails fast', async () => {
    mockResponse = async () => { throw failure('Query inactivity timeout', 'PROTOCOL_SEQUENCE_TIMEOUT'); }; // what the client's deadline produces
    const started = Date.now();
    await expect(findUser(fake, 1)).rejects.toBeDefined();
    if (!(Date.now() - started < DEADLINE_MS + GRACE_MS)) throw new Error(\`still waiting after the \${DEADLINE_MS} ms deadline\`);
  }, 7000);

  it('server error: fails fast', async () => {
    mockResponse = async () => { throw failure('Server shutdown in progress', 'ER_SERVER_SHUTDOWN'); };
    const started = Date.now();
    await expect(findUser(fake, 1)).rejects.toBeDefined();
    if (!(Date.now() - started < DEADLINE_MS)) throw new Error(\`took longer than the \${DEADLINE_MS} ms deadline to fail\`);
  }, 6000);

  it('connection refused: fails fast', async () => {
    mockResponse = async () => { throw failure('connect ECONNREFUSED 127.0.0.1:3306', 'ECONNREFUSED'); };
    const started = Date.now();
    await expect(findUser(fake, 1)).rejects.toBeDefined();
    if (!(Date.now() - started < DEADLINE_MS)) throw new Error(\`took longer than the \${DEADLINE_MS} ms deadline to fail\`);
  }, 6000);
});
`,
  },
  nodeFastifyPlugin: {
    title: 'Generate failure test for pool.query (timeout / 5xx / connection refused)',
    path: '/proj/test/routes.get-items.failure.test.ts',
    text: `// Generated by Failpath: what GET /items does when pool.query fails (timeout / server error / connection refused).
// The code promises: the route answers an error status (500/502/503/504) instead of hanging, within its deadline.
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import assert from 'node:assert/strict';
import { pool } from '../src/db';
import routes from '../src/routes';
import Fastify from 'fastify';

/** The deadline the test allows (the configured timeoutMs). */
const DEADLINE_MS = 4000;
/** A reply slower than the deadline. */
const SLOW_REPLY_MS = DEADLINE_MS + 1000;
const GRACE_MS = 500;

/** What the pg client does in the current scenario. */
let mockResponse: () => Promise<unknown> = async () => undefined;
function failure(message: string, code: string) {
  return Object.assign(new Error(message), { code });
}
async function app() {
  const app = Fastify();
  await app.register(routes);
  return app;
}

describe('GET /items when pool.query fails', () => {
  beforeEach(async () => {
    mock.method(pool, 'query', (..._args: unknown[]) => mockResponse());
  });

  afterEach(async () => {
    mock.restoreAll();
  });

  it('timeout: answers an error status', { timeout: 7000 }, async () => {
    mockResponse = async () => { throw failure('canceling statement due to statement timeout', '57014'); }; // what the client's deadline produces
    const started = Date.now();
    const res = await (await app()).inject({ method: 'GET', url: '/items' });
    assert.ok([500, 502, 503, 504].includes(res.statusCode), \`answered \${res.statusCode}\`);
    assert.ok(Date.now() - started < DEADLINE_MS + GRACE_MS, \`still waiting after the \${DEADLINE_MS} ms deadline\`);
  });

  it('server error: answers an error status', { timeout: 6000 }, async () => {
    mockResponse = async () => { throw failure('terminating connection due to administrator command', '57P01'); };
    const started = Date.now();
    const res = await (await app()).inject({ method: 'GET', url: '/items' });
    assert.ok([500, 502, 503, 504].includes(res.statusCode), \`answered \${res.statusCode}\`);
    assert.ok(Date.now() - started < DEADLINE_MS, \`took longer than the \${DEADLINE_MS} ms deadline to fail\`);
  });

  it('connection refused: answers an error status', { timeout: 6000 }, async () => {
    mockResponse = async () => { throw failure('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'); };
    const started = Date.now();
    const res = await (await app()).inject({ method: 'GET', url: '/items' });
    assert.ok([500, 502, 503, 504].includes(res.statusCode), \`answered \${res.statusCode}\`);
    assert.ok(Date.now() - started < DEADLINE_MS, \`took longer than the \${DEADLINE_MS} ms deadline to fail\`);
  });
});
`,
  },
  mochaCjsGot: {
    title: 'Generate failure test for got.post (timeout / 5xx / connection refused)',
    path: '/proj/test/prices.submitPrice.failure.test.js',
    text: `// Generated by Failpath: what submitPrice() does when got.post fails (timeout / 5xx / connection refused).
// The code promises: it fails fast (rejects within its deadline) and leaves recovery to its caller.
const assert = require('node:assert/strict');
const nock = require('nock');
const { submitPrice } = require('../lib/prices');

/** The deadline the call should have (the configured timeoutMs). */
const DEADLINE_MS = 4000;
/** A reply slower than the deadline. */
const SLOW_REPLY_MS = DEADLINE_MS + 1000;
const GRACE_MS = 500;

const ORIGIN = 'https://prices.example.com';
const endpoint = () => nock(ORIGIN).intercept('/prices', 'POST');

describe('submitPrice() when got.post fails', () => {
  beforeEach(async () => {
    nock.disableNetConnect();
  });

  afterEach(async () => {
    nock.cleanAll();
    nock.enableNetConnect();
  });

  it('timeout: fails fast', async function () {
    this.timeout(7000);
    // Failpath: missing-timeout at lib/prices.js:4 — the call has no deadline, so this test fails until it gets one.
    endpoint().delay(SLOW_REPLY_MS).reply(200, {});
    const started = Date.now();
    await assert.rejects(() => submitPrice());
    assert.ok(Date.now() - started < DEADLINE_MS + GRACE_MS, \`still waiting after the \${DEADLINE_MS} ms deadline\`);
  });

  it('503 from the dependency: fails fast', async function () {
    this.timeout(6000);
    endpoint().reply(503, { error: 'unavailable' });
    const started = Date.now();
    await assert.rejects(() => submitPrice());
    assert.ok(Date.now() - started < DEADLINE_MS, \`took longer than the \${DEADLINE_MS} ms deadline to fail\`);
  });

  it('connection refused: fails fast', async function () {
    this.timeout(6000);
    endpoint().replyWithError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:443'), { code: 'ECONNREFUSED' }));
    const started = Date.now();
    await assert.rejects(() => submitPrice());
    assert.ok(Date.now() - started < DEADLINE_MS, \`took longer than the \${DEADLINE_MS} ms deadline to fail\`);
  });
});
`,
  },
  nestJest: {
    title: 'Generate failure test for this.prisma.user.findMany (timeout / 5xx / connection refused)',
    path: '/proj/test/users.controller.get-users.failure.test.ts',
    text: `// Generated by Failpath: what GET /users does when this.prisma.user.findMany fails (timeout / server error / connection refused).
// The code promises: the route answers an error status (500/502/503/504) instead of hanging, within its deadline.
import { UsersController } from '../src/users/users.controller';
import request from 'supertest';
import { Test } from '@nestjs/testing';
import { PrismaService } from '../src/prisma.service';

/** The deadline the test allows (the configured timeoutMs). */
const DEADLINE_MS = 4000;
/** A reply slower than the deadline. */
const SLOW_REPLY_MS = DEADLINE_MS + 1000;
const GRACE_MS = 500;

/** What the @prisma/client client does in the current scenario. */
let mockResponse: () => Promise<unknown> = async () => undefined;
function failure(message: string, code: string) {
  return Object.assign(new Error(message), { code });
}
async function app() {
  const moduleRef = await Test.createTestingModule({ controllers: [UsersController], providers: [{ provide: PrismaService, useValue: { user: { findMany: () => mockResponse() } } }] }).compile();
  const app = moduleRef.createNestApplication();
  await app.init();
  return app.getHttpServer();
}

describe('GET /users when this.prisma.user.findMany fails', () => {
  it('timeout: answers an error status', async () => {
    mockResponse = async () => { throw failure('Timed out fetching a new connection from the connection pool', 'P2024'); }; // what the client's deadline produces
    const started = Date.now();
    const res = await request(await app()).get('/users');
    if (!([500, 502, 503, 504].includes(res.status))) throw new Error(\`answered \${res.status}\`);
    if (!(Date.now() - started < DEADLINE_MS + GRACE_MS)) throw new Error(\`still waiting after the \${DEADLINE_MS} ms deadline\`);
  }, 7000);

  it('server error: answers an error status', async () => {
    mockResponse = async () => { throw failure('Server has closed the connection', 'P1017'); };
    const started = Date.now();
    const res = await request(await app()).get('/users');
    if (!([500, 502, 503, 504].includes(res.status))) throw new Error(\`answered \${res.status}\`);
    if (!(Date.now() - started < DEADLINE_MS)) throw new Error(\`took longer than the \${DEADLINE_MS} ms deadline to fail\`);
  }, 6000);

  it('connection refused: answers an error status', async () => {
    mockResponse = async () => { throw failure('Can\\'t reach database server at 127.0.0.1:5432', 'P1001'); };
    const started = Date.now();
    const res = await request(await app()).get('/users');
    if (!([500, 502, 503, 504].includes(res.status))) throw new Error(\`answered \${res.status}\`);
    if (!(Date.now() - started < DEADLINE_MS)) throw new Error(\`took longer than the \${DEADLINE_MS} ms deadline to fail\`);
  }, 6000);
});
`,
  },
  brokenNoDeadline: {
    title: 'Generate failure test for fetch (timeout / 5xx / connection refused)',
    path: '/proj/test/rates.get-rates.failure.test.ts',
    text: `// Generated by Failpath: what GET /rates does when fetch fails (timeout / 5xx / connection refused).
// The code promises: the route answers an error status (500/502/503/504) instead of hanging, within its deadline.
import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MockAgent, getGlobalDispatcher, setGlobalDispatcher, type Dispatcher } from 'undici';
import { rates } from '../src/rates.js';
import request from 'supertest';
import express from 'express';

/** The deadline the call should have (the configured timeoutMs). */
const DEADLINE_MS = 4000;
/** A reply slower than the deadline. */
const SLOW_REPLY_MS = DEADLINE_MS + 1000;
const GRACE_MS = 500;

const ORIGIN = 'https://rates.example.com';
let agent: MockAgent;
let previous: Dispatcher;
const endpoint = () => agent.get(ORIGIN).intercept({ path: '/latest', method: 'GET' });
function app() {
  const app = express();
  app.use(express.json());
  app.use(rates);
  return app;
}

describe('GET /rates when fetch fails', () => {
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

  it('timeout: answers an error status', { timeout: 7000 }, async () => {
    // Failpath: missing-timeout at src/rates.ts:6 — the call has no deadline, so this test fails until it gets one.
    // Failpath: no-fallback at src/rates.ts:6 — nothing handles this failure, so this test fails until the code degrades.
    endpoint().reply(200, {}).delay(SLOW_REPLY_MS);
    const started = Date.now();
    const res = await request(app()).get('/rates');
    assert.ok([500, 502, 503, 504].includes(res.status), \`answered \${res.status}\`);
    assert.ok(Date.now() - started < DEADLINE_MS + GRACE_MS, \`still waiting after the \${DEADLINE_MS} ms deadline\`);
  });

  it('503 from the dependency: answers an error status', { timeout: 6000 }, async () => {
    // Failpath: no-fallback at src/rates.ts:6 — nothing handles this failure, so this test fails until the code degrades.
    endpoint().reply(503, { error: 'unavailable' });
    const started = Date.now();
    const res = await request(app()).get('/rates');
    assert.ok([500, 502, 503, 504].includes(res.status), \`answered \${res.status}\`);
    assert.ok(Date.now() - started < DEADLINE_MS, \`took longer than the \${DEADLINE_MS} ms deadline to fail\`);
  });

  it('connection refused: answers an error status', { timeout: 6000 }, async () => {
    // Failpath: no-fallback at src/rates.ts:6 — nothing handles this failure, so this test fails until the code degrades.
    endpoint().replyWithError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:443'), { code: 'ECONNREFUSED' }));
    const started = Date.now();
    const res = await request(app()).get('/rates');
    assert.ok([500, 502, 503, 504].includes(res.status), \`answered \${res.status}\`);
    assert.ok(Date.now() - started < DEADLINE_MS, \`took longer than the \${DEADLINE_MS} ms deadline to fail\`);
  });
});
`,
  },
  missingSupertest: {
    title: 'Generate failure test for axios.get: needs supertest, @types/supertest (copy `npm install --save-dev supertest @types/supertest`)',
    path: undefined,
    text: undefined,
  },
};

describe('failure test generator: exact text per runner and strategy', () => {
  for (const [name, c] of Object.entries(CASES)) {
    it(name, () => {
      const fix = gen(c);
      const want = EXPECTED[name];
      assert.ok(fix, `no action for ${name}`);
      assert.equal(fix.title, want.title);
      assert.equal(fix.kind, 'refactor');
      assert.deepEqual(fix.edits, []);
      if (want.path === undefined) {
        assert.equal(fix.files, undefined);
        return;
      }
      assert.equal(fix.files?.length, 1);
      assert.equal(fix.files![0].path, want.path);
      assert.equal(fix.files![0].text, want.text);
      assert.deepEqual(syntaxErrors(fix.files![0].text, want.path), []);
    });
  }
});

describe('failure test generator: missing packages, where it is offered', () => {
  it('a missing package: a command that copies the install command, no file', () => {
    const fix = gen(CASES.missingSupertest)!;
    assert.deepEqual(fix.command, {
      title: fix.title,
      command: 'failpath.copyInstallCommand',
      arguments: [{ command: 'npm install --save-dev supertest @types/supertest', reason: "Failpath's failure test for axios.get needs supertest, @types/supertest" }],
    });
  });

  it('fetch with neither undici, msw nor nock 14: would use undici; nock 13 does not intercept fetch', () => {
    const c = { ...CASES.vitestMsw, deps: { vitest: '^3.0.0', nock: '^13.5.0' } };
    assert.equal(gen(c)!.title, 'Generate failure test for fetch: needs undici (copy `npm install --save-dev undici`)');
    assert.equal(gen({ ...c, deps: { vitest: '^3.0.0', nock: '^14.0.1' } })!.files![0].text.includes("import nock from 'nock';"), true);
  });

  it('node:test cannot mock a driver module: not offered for a client the file creates itself', () => {
    assert.equal(gen({ ...CASES.vitestModuleMock, deps: { ioredis: '^5.0.0', tsx: '^4.0.0' } }), undefined);
  });

  it('not offered away from an external call, in an unexported function, in a test file or without a project root', () => {
    const c = CASES.mochaSpyPg;
    assert.equal(gen({ ...c, at: 'return Number' }), undefined);
    assert.equal(gen({ ...c, text: c.text.replace('export async function', 'async function') }), undefined);
    assert.equal(gen({ ...c, file: 'src/orders.test.ts' }), undefined);
    const project = projectFactsFromPackageJson({ name: 'p', dependencies: c.deps });
    assert.equal(failureTestFix({ text: c.text, fileName: '/proj/src/orders.ts', project, config: DEFAULT_CONFIG, start: 120, end: 120, layout: () => undefined, allowedRoots: ['/proj'] }), undefined);
  });

  it('on a route registration (not inside its handler): the handler\'s first external call', () => {
    const fix = gen({ ...CASES.jestExpressNock, at: 'quotes.get(' })!;
    assert.equal(fix.files![0].text, EXPECTED.jestExpressNock.text);
    assert.equal(gen({ ...CASES.jestExpressNock, at: 'res.json(data)' }), undefined);
  });

  it('a DB client created in the file without a deadline: the slow scenario never answers in time, and says why', () => {
    const text = `import { Pool } from 'pg';

const pool = new Pool({ connectionString: process.env.DATABASE_URL });

export async function total(): Promise<number> {
  try {
    const { rows } = await pool.query('SELECT sum(cents) FROM orders');
    return rows[0].sum;
  } catch {
    return 0;
  }
}
`;
    const fix = gen({ file: 'src/total.ts', text, deps: { pg: '^8.0.0', vitest: '^3.0.0' }, at: 'pool.query' })!;
    const out = fix.files![0].text;
    assert.ok(out.includes("vi.mock('pg', () => {"), out);
    assert.ok(out.includes('  return { default: { Pool: FakeClient }, Pool: FakeClient };'), out);
    assert.ok(out.includes(`    // Failpath: missing-client-timeout at src/total.ts:3 — the call has no deadline, so this test fails until it gets one.
    mockResponse = () => new Promise((resolve) => setTimeout(resolve, SLOW_REPLY_MS));`), out);
    assert.deepEqual(syntaxErrors(out, 'x.ts'), []);
  });
});

describe('failure test layout', () => {
  it('runner: the runner dependency, the one the test script names when several, else node:test', () => {
    const p = (deps: Record<string, string>) => projectFactsFromPackageJson({ name: 'p', devDependencies: deps });
    assert.equal(detectRunner(p({ vitest: '1' }), { scripts: {} }), 'vitest');
    assert.equal(detectRunner(p({ 'ts-jest': '1' }), { scripts: {} }), 'jest');
    assert.equal(detectRunner(p({ mocha: '1' }), { scripts: {} }), 'mocha');
    assert.equal(detectRunner(p({ vitest: '1', jest: '1' }), { scripts: { test: 'jest --ci' } }), 'jest');
    assert.equal(detectRunner(p({ vitest: '1', jest: '1' }), { scripts: {} }), 'vitest');
    assert.equal(detectRunner(p({}), { scripts: { test: 'node --test' } }), 'node:test');
  });

  it('file: beside the sources, in the tests folder (mirrored when it is nested), .spec by majority, never over an existing file', () => {
    assert.equal(testFileFor({ testFiles: [] }, 'src/a/b.ts', 'f'), 'test/b.f.failure.test.ts');
    assert.equal(testFileFor({ testFiles: ['src/x.test.ts', 'src/y/z.test.ts'] }, 'src/a/b.ts', 'f'), 'src/a/b.f.failure.test.ts');
    assert.equal(testFileFor({ testFiles: ['tests/unit/x.spec.ts', 'tests/y.spec.ts', 'src/w.test.ts'] }, 'src/a/b.ts', 'f'), 'tests/a/b.f.failure.spec.ts');
    assert.equal(testFileFor({ testFiles: ['__tests__/x.test.js'] }, 'lib/b.js', 'f'), '__tests__/b.f.failure.test.js');
    assert.equal(testFileFor({ testFiles: ['test/b.f.failure.test.ts', 'test/b.f-2.failure.test.ts'] }, 'src/b.ts', 'f'), 'test/b.f-3.failure.test.ts');
    assert.equal(testFileFor({ testFiles: [] }, 'src/view.tsx', 'f'), 'test/view.f.failure.test.ts');
  });

  it('install command in the project\'s package manager', () => {
    assert.equal(installCommand({ packageManager: 'npm' }, ['nock']), 'npm install --save-dev nock');
    assert.equal(installCommand({ packageManager: 'pnpm' }, ['nock', 'supertest']), 'pnpm add -D nock supertest');
    assert.equal(installCommand({ packageManager: 'yarn' }, ['msw']), 'yarn add -D msw');
    assert.equal(installCommand({ packageManager: 'bun' }, ['undici']), 'bun add -d undici');
  });
});

describe('failure test placement on a hostile repository: inside the workspace folder, never over anything', () => {
  const RATES = `export async function latestRates(): Promise<unknown> {
  try {
    const res = await fetch('https://rates.example.com/latest', { signal: AbortSignal.timeout(2000) });
    return await res.json();
  } catch {
    return null;
  }
}
`;
  const TITLE = 'Generate failure test for fetch (timeout / 5xx / connection refused)';
  const DEPS = { vitest: '^3.0.0', undici: '^6.21.0' };
  let tmp: string;
  let n = 0;
  before(() => { tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'failpath-place-'))); });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  /** A fresh folder with files (`->target` makes a symbolic link); returns its path. */
  function tree(files: Record<string, string>): string {
    const dir = path.join(tmp, `t${n++}`);
    for (const [rel, content] of Object.entries(files)) {
      const p = path.join(dir, rel);
      fs.mkdirSync(path.dirname(p), { recursive: true });
      if (content.startsWith('->')) fs.symlinkSync(content.slice(2), p);
      else fs.writeFileSync(p, content);
    }
    return dir;
  }

  /** The action on `fetch` in `file`, with the project at `projectRoot` and the workspace folders `allowed`. */
  function place(projectRoot: string, file: string, allowed: string[]) {
    const project = projectFactsFromPackageJson({ name: 'p', devDependencies: DEPS }, projectRoot);
    const fileName = path.join(projectRoot, file);
    const at = RATES.indexOf('fetch(');
    let walked = 0;
    const fix = failureTestFix({
      text: RATES, fileName, project, config: DEFAULT_CONFIG, start: at, end: at, allowedRoots: allowed,
      layout: () => { walked++; return readTestLayout(projectRoot); },
    });
    return { fix, walked };
  }

  it('plain case: test/ in the workspace folder, a real path, offered with its file', () => {
    const root = tree({ 'package.json': '{}', 'src/rates.ts': RATES });
    const { fix } = place(root, 'src/rates.ts', [root]);
    assert.equal(fix?.title, TITLE);
    assert.equal(fix?.disabled, undefined);
    assert.deepEqual(fix?.files?.map((f) => f.path), [path.join(root, 'test', 'rates.latestRates.failure.test.ts')]);
  });

  it('the workspace folder has no package.json but its parent has: disabled with the reason, the parent never walked', () => {
    const parent = tree({ 'package.json': '{}', 'app/src/rates.ts': RATES, 'test/a.test.ts': '' });
    const { fix, walked } = place(parent, 'app/src/rates.ts', [path.join(parent, 'app')]);
    assert.deepEqual(fix, {
      title: TITLE, kind: 'refactor', edits: [],
      disabled: `The project folder ${parent} (where its package.json is) is outside the workspace folder; Failpath creates tests only inside it.`,
    });
    assert.equal(walked, 0);
  });

  it('no workspace folder: disabled, says why', () => {
    const root = tree({ 'package.json': '{}', 'src/rates.ts': RATES });
    assert.equal(place(root, 'src/rates.ts', []).fix?.disabled, 'No workspace folder is open: Failpath creates tests only inside a workspace folder.');
  });

  it('test/ is a symbolic link out of the folder: disabled, nothing placed there', () => {
    const elsewhere = tree({ 'keep.txt': 'x' });
    const root = tree({ 'package.json': '{}', 'src/rates.ts': RATES, test: `->${elsewhere}` });
    const { fix } = place(root, 'src/rates.ts', [root]);
    assert.deepEqual(fix, {
      title: TITLE, kind: 'refactor', edits: [],
      disabled: `No safe place for the test: test is outside the workspace folder (through a symbolic link, it is ${elsewhere}).`,
    });
    assert.deepEqual(fs.readdirSync(elsewhere), ['keep.txt']);
  });

  it('a link deeper up the way out (test/unit → elsewhere, tests mirrored below it): disabled', () => {
    const elsewhere = tree({ 'keep.txt': 'x' });
    const root = tree({ 'package.json': '{}', 'src/api/rates.ts': RATES, 'test/unit/a.test.ts': '', 'test/api': `->${elsewhere}` });
    const { fix } = place(root, 'src/api/rates.ts', [root]);
    assert.equal(fix?.disabled, `No safe place for the test: test/api is outside the workspace folder (through a symbolic link, it is ${elsewhere}).`);
  });

  it('test/ is a dangling link, a link loop, or a file: disabled with each reason', () => {
    const dangling = tree({ 'package.json': '{}', 'src/rates.ts': RATES, test: '->/nonexistent-failpath-target/dir' });
    assert.equal(place(dangling, 'src/rates.ts', [dangling]).fix?.disabled, 'No safe place for the test: test is a symbolic link to nothing.');
    const loop = tree({ 'package.json': '{}', 'src/rates.ts': RATES, test: '->test' });
    assert.equal(place(loop, 'src/rates.ts', [loop]).fix?.disabled, 'No safe place for the test: test is a symbolic link loop.');
    const file = tree({ 'package.json': '{}', 'src/rates.ts': RATES, test: 'not a folder' });
    assert.equal(place(file, 'src/rates.ts', [file]).fix?.disabled, 'No safe place for the test: test is not a folder.');
  });

  it('a link that stays inside the folder (test → spec) is followed: offered', () => {
    const root = tree({ 'package.json': '{}', 'src/rates.ts': RATES, 'spec/.keep': '', test: '->spec' });
    assert.deepEqual(place(root, 'src/rates.ts', [root]).fix?.files?.map((f) => f.path), [path.join(root, 'test', 'rates.latestRates.failure.test.ts')]);
  });

  it('the workspace folder named through a link still holds its own files', () => {
    const root = tree({ 'package.json': '{}', 'src/rates.ts': RATES });
    const link = path.join(tmp, `link${n++}`);
    fs.symlinkSync(root, link);
    assert.deepEqual(place(root, 'src/rates.ts', [link]).fix?.files?.map((f) => f.path), [path.join(root, 'test', 'rates.latestRates.failure.test.ts')]);
  });

  it('names the walk does not see are taken too: a link planted at the name (to a file outside, dangling) and a file in a skipped folder', () => {
    const secret = path.join(tree({ 'secret.txt': 'do not truncate\n' }), 'secret.txt');
    const root = tree({
      'package.json': '{}', 'src/rates.ts': RATES,
      // a symbolic link is no test file to the walk (it lists regular files only)
      'test/rates.latestRates.failure.test.ts': `->${secret}`,
      'test/rates.latestRates-2.failure.test.ts': '->/nonexistent-failpath-target',
    });
    assert.deepEqual(readTestLayout(root).testFiles, []);
    assert.deepEqual(place(root, 'src/rates.ts', [root]).fix?.files?.map((f) => f.path), [path.join(root, 'test', 'rates.latestRates-3.failure.test.ts')]);
    assert.equal(fs.readFileSync(secret, 'utf8'), 'do not truncate\n');

    // tests beside the sources; the source's folder is one the walk skips (a dot folder)
    const beside = tree({
      'package.json': '{}', 'src/a.test.ts': '', 'src/b.test.ts': '', '.tools/rates.ts': RATES,
      '.tools/rates.latestRates.failure.test.ts': 'existing\n',
    });
    assert.deepEqual(readTestLayout(beside).testFiles, ['src/a.test.ts', 'src/b.test.ts']);
    assert.deepEqual(place(beside, '.tools/rates.ts', [beside]).fix?.files?.map((f) => f.path), [path.join(beside, '.tools', 'rates.latestRates-2.failure.test.ts')]);
  });

  it('every name taken: disabled, says so', () => {
    const files: Record<string, string> = { 'package.json': '{}', 'src/rates.ts': RATES };
    for (let i = 1; i <= 100; i++) files[`test/rates.latestRates${i > 1 ? `-${i}` : ''}.failure.test.ts`] = '->/nowhere';
    const root = tree(files);
    assert.equal(place(root, 'src/rates.ts', [root]).fix?.disabled, 'No safe place for the test: test/rates.latestRates.failure.test.ts and its 99 numbered variants already exist.');
  });
});
