import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runRule, runRuleTests } from '../harness/ruleTester';
import { noFallback } from '../../server/src/rules/no-fallback';
import type { FunctionSummary, ProjectView } from '../../server/src/engine/view';

const expressHead = `import express from 'express';\nimport { loadUser } from './users';\nimport { db } from './db';\nconst app = express();\n`;
const summaries = (byKey: Record<string, FunctionSummary>): Partial<ProjectView> => ({ summaryOf: (spec, name) => byKey[`${spec}#${name}`] });
const IO_REJECTS: FunctionSummary = { io: 'db', setsDeadline: true, catchesAll: false, canReject: true };
const CATCHES_ALL: FunctionSummary = { io: 'db', setsDeadline: true, catchesAll: true, canReject: false };

const head = `import express from 'express';\nimport { Pool } from 'pg';\nimport { logger } from './lib/logger';\nconst pool = new Pool({ connectionTimeoutMillis: 1000 });\nconst app = express();\n`;
const deps4 = { express: '^4.21.2', pg: '^8.0.0', pino: '^9.0.0' };
const redisHead = `${head}import Redis from 'ioredis';\nconst redis = new Redis();\n`;
const redisDeps = { ...deps4, ioredis: '^5.0.0' };

runRuleTests(noFallback, {
  valid: [
    // imported functions, judged by their summary (view.summaryOf)
    { name: 'summaryOf: an imported function that catches everything', code: `${expressHead}app.get('/u/:id', async (req, res) => {\n  res.json(await loadUser(req.params.id));\n});`, deps: deps4, view: summaries({ './users#loadUser': CATCHES_ALL }) },
    { name: 'summaryOf: an imported function with no external I/O', code: `${expressHead}app.get('/u/:id', async (req, res) => {\n  res.json(await loadUser(req.params.id));\n});`, deps: deps4, view: summaries({ './users#loadUser': { setsDeadline: true, catchesAll: false, canReject: true } }) },
    { name: 'summaryOf: a shared db client whose export catches everything', code: `${expressHead}app.get('/u/:id', async (req, res) => {\n  res.json((await db.query('select 1')).rows);\n});`, deps: deps4, view: summaries({ './db#db': CATCHES_ALL }) },
    { name: 'inside try/catch', code: `${head}app.get('/u', async (req, res) => {\n  try {\n    const { rows } = await pool.query('select 1');\n    res.json(rows);\n  } catch (err) {\n    res.status(503).end();\n  }\n});`, deps: deps4 },
    { name: '.catch in the chain', code: `${head}app.get('/u', async (req, res) => {\n  const r = await pool.query('select 1').catch(() => ({ rows: [] }));\n  res.json(r.rows);\n});`, deps: deps4 },
    { name: 'Express 5 forwards rejections to error middleware', code: `${head}app.get('/u', async (req, res) => {\n  const { rows } = await pool.query('select 1');\n  res.json(rows);\n});`, deps: { ...deps4, express: '^5.1.0' } },
    { name: 'express-async-errors patches the router', code: `import 'express-async-errors';\n${head}app.get('/u', async (req, res) => {\n  res.json((await pool.query('select 1')).rows);\n});`, deps: { ...deps4, 'express-async-errors': '^3.1.1' } },
    { name: 'express-async-errors required for its side effect (not in this package.json)', code: `require('express-async-errors');\nconst express = require('express');\nconst { Pool } = require('pg');\nconst pool = new Pool();\nconst app = express();\napp.get('/u', async (req, res) => {\n  res.json((await pool.query('select 1')).rows);\n});\n`, filename: 'src/app.js', deps: { express: '^4.18.0', pg: '^8.0.0' } },
    { name: 'Express version unknown: silent', code: `${head}app.get('/u', async (req, res) => {\n  res.json((await pool.query('select 1')).rows);\n});\n`, deps: { pg: '^8.0.0' } },
    { name: 'wrapped handler: the wrapper catches', code: `${head}app.get('/u', asyncHandler(async (req, res) => {\n  res.json((await pool.query('select 1')).rows);\n}));`, deps: deps4 },
    { name: 'named handler registered through a wrapper', code: `${head}async function getOrder(req, res) {\n  res.json((await pool.query('select 1')).rows);\n}\napp.get('/orders/:id', asyncHandler(getOrder));\n`, deps: deps4 },
    { name: 'Express error middleware (4 parameters)', code: `${head}app.use(async (err, req, res, next) => {\n  await pool.query('insert into errors values ($1)', [String(err)]);\n  res.status(500).end();\n});\n`, deps: deps4 },
    { name: 'plain function: the caller handles it', code: `${head}export async function findUser(id: string) {\n  const { rows } = await pool.query('select * from users where id = $1', [id]);\n  return rows[0];\n}`, deps: deps4 },
    { name: 'NestJS controller: exception filters handle it', code: `import { Controller, Get } from '@nestjs/common';\nimport axios from 'axios';\n@Controller('x')\nexport class X {\n  @Get()\n  async get() {\n    return (await axios.get('https://x', { timeout: 1 })).data;\n  }\n}`, deps: ['@nestjs/common', 'axios'] },
    { name: 'NestJS service method: its caller (and the filters) handle it', code: `import { Injectable } from '@nestjs/common';\nimport { PrismaService } from './prisma.service';\n@Injectable()\nexport class UsersService {\n  constructor(private readonly prisma: PrismaService) {}\n  async findAll() {\n    return await this.prisma.user.findMany();\n  }\n}\n`, deps: ['@nestjs/common', '@prisma/client'] },
    { name: 'Fastify turns rejections into 500s', code: `import Fastify from 'fastify';\nimport { Pool } from 'pg';\nconst pool = new Pool();\nconst app = Fastify();\napp.get('/u', async () => (await pool.query('select 1')).rows);`, deps: ['fastify', 'pg'] },
    { name: 'Koa router: Koa answers 500', code: `import Router from '@koa/router';\nimport { Pool } from 'pg';\nconst pool = new Pool();\nconst router = new Router();\nrouter.get('/u', async (ctx) => {\n  ctx.body = (await pool.query('select 1')).rows;\n});\n`, deps: ['koa', '@koa/router', 'pg'] },
    { name: 'Hono: onError answers 500', code: `import { Hono } from 'hono';\nimport { Pool } from 'pg';\nconst pool = new Pool();\nconst app = new Hono();\napp.get('/u', async (c) => c.json((await pool.query('select 1')).rows));\n`, deps: ['hono', 'pg'] },
    { name: 'Next.js route handler: Next answers 500', code: `import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\nexport async function GET() {\n  return Response.json(await prisma.user.findMany());\n}\n`, filename: 'app/api/users/route.ts', deps: ['next', '@prisma/client'] },
    { name: 'an awaited local helper without I/O', code: `${head}async function compute(q: unknown) { return q; }\napp.get('/u', async (req, res) => {\n  res.json(await compute(req.query));\n});`, deps: deps4 },
    { name: 'a local helper that handles its own failure', code: `${head}async function loadUser(id: string) {\n  try {\n    return (await pool.query('select 1', [id])).rows[0];\n  } catch (err) {\n    logger.error({ err }, 'loadUser failed');\n    return null;\n  }\n}\napp.get('/u/:id', async (req, res) => {\n  res.json(await loadUser(req.params.id));\n});\n`, deps: deps4 },
    { name: 'an imported helper: cannot know', code: `${head}import { loadUser } from './users';\napp.get('/u/:id', async (req, res) => {\n  res.json(await loadUser(req.params.id));\n});\n`, deps: deps4 },
    { name: 'Promise.allSettled', code: `${head}app.get('/u', async (req, res) => {\n  const r = await Promise.allSettled([pool.query('a'), pool.query('b')]);\n  res.json(r);\n});`, deps: deps4 },
    { name: 'process.on listeners are shutdown hooks', code: `${head}process.on('SIGTERM', async () => {\n  await pool.end();\n});`, deps: deps4 },
    { name: 'Telegraf .on() registers middleware: bot.catch handles it', code: `import { Telegraf } from 'telegraf';\nimport { Pool } from 'pg';\nconst pool = new Pool();\nconst bot = new Telegraf(process.env.TOKEN!);\nbot.on('text', async (ctx) => {\n  await pool.query('insert into msgs values ($1)', [ctx.message.text]);\n});\n`, deps: ['telegraf', 'pg'] },
    { name: 'a listener for an event named by a variable', code: `import Redis from 'ioredis';\nconst sub = new Redis();\nconst redis = new Redis();\nexport function listen(event: string) {\n  sub.on(event, async (msg) => {\n    await redis.set('last', msg);\n  });\n}\n`, deps: ['ioredis'] },
    { name: 'timers belong to unmonitored-job', code: `import { Pool } from 'pg';\nconst pool = new Pool();\nsetInterval(async () => {\n  await pool.query('delete from sessions where expires < now()');\n}, 60_000);\n`, deps: ['pg'] },
    { name: 'top-level await: a failed startup fails loudly', code: `import { Pool } from 'pg';\nconst pool = new Pool();\nawait pool.query('select 1');\nexport { pool };\n`, deps: ['pg'] },
    { name: 'async executor that rejects', code: `import Redis from 'ioredis';\nconst redis = new Redis();\nexport const ready = new Promise<void>(async (resolve, reject) => {\n  try {\n    await redis.ping();\n    resolve();\n  } catch (err) {\n    reject(err);\n  }\n});\n`, deps: ['ioredis'] },
    { name: 'sync handler with a rejection handler', code: `${head}app.get('/u', (req, res) => {\n  pool.query('select 1').then((r) => res.json(r.rows), (e) => res.status(503).end());\n});`, deps: deps4 },
    { name: 'await in a nested function of the handler', code: `${head}app.get('/u', async (req, res) => {\n  const load = async () => (await pool.query('select 1')).rows;\n  load().then((rows) => res.json(rows), () => res.status(503).end());\n});\n`, deps: deps4 },
    { name: 'test files', code: `${head}app.get('/u', async (req, res) => { res.json((await pool.query('x')).rows); });`, filename: 'src/app.test.ts', deps: deps4 },
  ],
  invalid: [
    {
      name: 'summaryOf: an imported function that does I/O and can reject',
      code: `${expressHead}app.get('/u/:id', async (req, res) => {\n  res.json(await loadUser(req.params.id));\n});`,
      deps: deps4,
      view: summaries({ './users#loadUser': IO_REJECTS }),
      errors: [{ line: 6, column: 18, endColumn: 26, message: 'loadUser() can fail (database down, timeout, bad response) and nothing handles it' }],
    },
    {
      name: 'a shared db client without a summary is still a failure source',
      code: `${expressHead}app.get('/u/:id', async (req, res) => {\n  res.json((await db.query('select 1')).rows);\n});`,
      deps: deps4,
      errors: [{ line: 6, column: 19, message: 'db.query() can fail' }],
    },
    {
      name: 'Express 4 route: log and respond 503 (project logger, pino)',
      code: `${head}app.get('/orders/:id', async (req, res) => {\n  const { rows } = await pool.query('select * from orders where id = $1', [req.params.id]);\n  res.json(rows[0]);\n});\n`,
      deps: deps4,
      errors: [{ line: 7, column: 26, endLine: 7, endColumn: 36, message: 'pool.query() can fail (database down, timeout, bad response) and nothing handles it — Express 4 ignores the promise a handler returns: GET /orders/:id hangs' }],
      fixTitle: 'Wrap in try/catch: log with logger (pino) and respond 503',
      output: `${head}app.get('/orders/:id', async (req, res) => {\n  try {\n    const { rows } = await pool.query('select * from orders where id = $1', [req.params.id]);\n    res.json(rows[0]);\n  } catch (err) {\n    logger.error({ err }, 'GET /orders/:id failed');\n    res.status(503).json({ error: 'Service temporarily unavailable' });\n  }\n});\n`,
    },
    {
      name: 'next is a parameter: pass the error on (preferred)',
      code: `${head}app.post('/orders', async (req, res, next) => {\n  await pool.query('insert into orders default values');\n  res.status(201).end();\n});\n`,
      deps: deps4,
      errors: [{ line: 7, column: 9 }],
      output: `${head}app.post('/orders', async (req, res, next) => {\n  try {\n    await pool.query('insert into orders default values');\n    res.status(201).end();\n  } catch (err) {\n    next(err);\n  }\n});\n`,
    },
    {
      name: 'next is a parameter: the 503 fix is offered too',
      code: `${head}app.post('/orders', async (req, res, next) => {\n  await pool.query('insert into orders default values');\n  res.status(201).end();\n});\n`,
      deps: deps4,
      errors: [{ line: 7, column: 9 }],
      fixTitle: /respond 503$/,
      output: `${head}app.post('/orders', async (req, res, next) => {\n  try {\n    await pool.query('insert into orders default values');\n    res.status(201).end();\n  } catch (err) {\n    logger.error({ err }, 'POST /orders failed');\n    res.status(503).json({ error: 'Service temporarily unavailable' });\n  }\n});\n`,
    },
    {
      name: 'HTTP call responds 502; statements before the call stay outside',
      code: `import express from 'express';\nimport axios from 'axios';\nimport { logger } from './lib/logger';\nconst router = express.Router();\nrouter.get('/rates', async (req, res) => {\n  const currency = String(req.query.c);\n  const { data } = await axios.get(\`https://rates/\${currency}\`, { timeout: 2000 });\n  res.json(data);\n});\n`,
      deps: { express: '4.21.2', axios: '1.7.0', pino: '9.0.0' },
      errors: [{ line: 7, column: 26 }],
      fixTitle: 'Wrap in try/catch: log with logger (pino) and respond 502',
      output: `import express from 'express';\nimport axios from 'axios';\nimport { logger } from './lib/logger';\nconst router = express.Router();\nrouter.get('/rates', async (req, res) => {\n  const currency = String(req.query.c);\n  try {\n    const { data } = await axios.get(\`https://rates/\${currency}\`, { timeout: 2000 });\n    res.json(data);\n  } catch (err) {\n    logger.error({ err }, 'GET /rates failed');\n    res.status(502).json({ error: 'Upstream service temporarily unavailable' });\n  }\n});\n`,
    },
    {
      name: 'one finding per function; one try/catch covers every await after the first',
      code: `${head}app.get('/a', async (req, res) => {\n  const a = await pool.query('a');\n  const b = await pool.query('b');\n  res.json([a.rows, b.rows]);\n});\n`,
      deps: deps4,
      errors: [{ line: 7, column: 19, message: '(1 more unhandled await follows in this function)' }],
      output: `${head}app.get('/a', async (req, res) => {\n  try {\n    const a = await pool.query('a');\n    const b = await pool.query('b');\n    res.json([a.rows, b.rows]);\n  } catch (err) {\n    logger.error({ err }, 'GET /a failed');\n    res.status(503).json({ error: 'Service temporarily unavailable' });\n  }\n});\n`,
    },
    {
      name: 'winston logger of the file: message first, error as metadata',
      code: `import express from 'express';\nimport winston from 'winston';\nimport Redis from 'ioredis';\nconst logger = winston.createLogger({ transports: [new winston.transports.Console()] });\nconst redis = new Redis();\nconst app = express();\napp.get('/flags', async (req, res) => {\n  const raw = await redis.get('flags');\n  res.json(JSON.parse(raw ?? '{}'));\n});\n`,
      deps: { express: '4.19.2', winston: '^3.0.0', ioredis: '^5.0.0' },
      errors: [{ line: 8, column: 21, message: 'redis.get() can fail (cache down' }],
      fixTitle: 'Wrap in try/catch: log with logger (winston) and respond 503',
      output: `import express from 'express';\nimport winston from 'winston';\nimport Redis from 'ioredis';\nconst logger = winston.createLogger({ transports: [new winston.transports.Console()] });\nconst redis = new Redis();\nconst app = express();\napp.get('/flags', async (req, res) => {\n  try {\n    const raw = await redis.get('flags');\n    res.json(JSON.parse(raw ?? '{}'));\n  } catch (err) {\n    logger.error('GET /flags failed', { error: err });\n    res.status(503).json({ error: 'Service temporarily unavailable' });\n  }\n});\n`,
    },
    {
      name: 'no logger known: console.error, and the title says so (CommonJS)',
      code: `const express = require('express');\nconst { Pool } = require('pg');\nconst pool = new Pool();\nconst app = express();\napp.get('/x', async (req, res) => {\n  res.json((await pool.query('x')).rows);\n});\n`,
      filename: 'src/app.js',
      deps: { express: '~4.18.0', pg: '8' },
      errors: [{ line: 6, column: 19 }],
      fixTitle: 'Wrap in try/catch: log with console.error (no logger found; set failpath.logger to use yours) and respond 503',
      output: `const express = require('express');\nconst { Pool } = require('pg');\nconst pool = new Pool();\nconst app = express();\napp.get('/x', async (req, res) => {\n  try {\n    res.json((await pool.query('x')).rows);\n  } catch (err) {\n    console.error('GET /x failed', err);\n    res.status(503).json({ error: 'Service temporarily unavailable' });\n  }\n});\n`,
    },
    {
      name: 'winston in package.json, none in the file: a module logger is created (Mongoose, CommonJS)',
      code: `const express = require('express');\nconst mongoose = require('mongoose');\nconst User = mongoose.model('User', new mongoose.Schema({ name: String }));\nconst router = express.Router();\nrouter.get('/users/:id', async (req, res) => {\n  const user = await User.findById(req.params.id).lean();\n  res.json(user);\n});\nmodule.exports = router;\n`,
      filename: 'src/routes/users.js',
      deps: { express: '4.18.2', mongoose: '^8.0.0', winston: '^3.0.0' },
      errors: [{ line: 6, column: 22, endColumn: 35 }],
      fixTitle: 'Wrap in try/catch: log with winston (creates a module logger) and respond 503',
      output: `const express = require('express');\nconst mongoose = require('mongoose');\nconst winston = require('winston');\n\nconst logger = winston.createLogger({ format: winston.format.json(), defaultMeta: { module: 'users' }, transports: [new winston.transports.Console()] });\nconst User = mongoose.model('User', new mongoose.Schema({ name: String }));\nconst router = express.Router();\nrouter.get('/users/:id', async (req, res) => {\n  try {\n    const user = await User.findById(req.params.id).lean();\n    res.json(user);\n  } catch (err) {\n    logger.error('GET /users/:id failed', { error: err });\n    res.status(503).json({ error: 'Service temporarily unavailable' });\n  }\n});\nmodule.exports = router;\n`,
    },
    {
      name: 'Prisma in an Express router (router.route chain, pino module logger)',
      code: `import { Router } from 'express';\nimport { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\nexport const users = Router();\nusers.route('/users').get(async (_req, res) => {\n  res.json(await prisma.user.findMany());\n});\n`,
      deps: { express: '^4.19.0', '@prisma/client': '^5.0.0', pino: '^9.0.0' },
      errors: [{ line: 6, column: 18, endColumn: 38 }],
      output: `import { Router } from 'express';\nimport { PrismaClient } from '@prisma/client';\nimport pino from 'pino';\n\nconst logger = pino({ name: 'service' });\nconst prisma = new PrismaClient();\nexport const users = Router();\nusers.route('/users').get(async (_req, res) => {\n  try {\n    res.json(await prisma.user.findMany());\n  } catch (err) {\n    logger.error({ err }, 'GET /users failed');\n    res.status(503).json({ error: 'Service temporarily unavailable' });\n  }\n});\n`,
    },
    {
      name: 'fetch in an Express middleware: next(err)',
      code: `import express from 'express';\nconst app = express();\napp.use(async (req, res, next) => {\n  const r = await fetch('https://auth/verify', { signal: AbortSignal.timeout(500) });\n  req.user = await r.json();\n  next();\n});`,
      deps: { express: '^4.19.0' },
      errors: [{ line: 4, column: 19, message: 'every request through this middleware hangs' }],
      output: `import express from 'express';\nconst app = express();\napp.use(async (req, res, next) => {\n  try {\n    const r = await fetch('https://auth/verify', { signal: AbortSignal.timeout(500) });\n    req.user = await r.json();\n    next();\n  } catch (err) {\n    next(err);\n  }\n});`,
    },
    {
      name: 'await in a nested block: the whole if statement and the rest of the handler are wrapped',
      code: `${redisHead}app.get('/c', async (req, res) => {\n  if (req.query.fresh) {\n    await redis.del('c');\n  }\n  res.end();\n});`,
      deps: redisDeps,
      errors: [{ line: 10, column: 11 }],
      output: `${redisHead}app.get('/c', async (req, res) => {\n  try {\n    if (req.query.fresh) {\n      await redis.del('c');\n    }\n    res.end();\n  } catch (err) {\n    logger.error({ err }, 'GET /c failed');\n    res.status(503).json({ error: 'Service temporarily unavailable' });\n  }\n});`,
    },
    {
      name: 'a response already sent before a later await: the catch does not answer twice',
      code: `${redisHead}app.get('/r/:id', async (req, res) => {\n  const { rows } = await pool.query('select 1');\n  res.json(rows);\n  await redis.set('last', req.params.id);\n});\n`,
      deps: redisDeps,
      errors: [{ line: 9, column: 26 }],
      output: `${redisHead}app.get('/r/:id', async (req, res) => {\n  try {\n    const { rows } = await pool.query('select 1');\n    res.json(rows);\n    await redis.set('last', req.params.id);\n  } catch (err) {\n    logger.error({ err }, 'GET /r/:id failed');\n    if (!res.headersSent) res.status(503).json({ error: 'Service temporarily unavailable' });\n  }\n});\n`,
    },
    {
      name: 'Stripe call in a handler',
      code: `import express from 'express';\nimport Stripe from 'stripe';\nconst stripe = new Stripe(key);\nconst app = express();\napp.post('/refunds', async (req, res) => {\n  const refund = await stripe.refunds.create({ charge: req.body.charge }, { idempotencyKey: req.body.key });\n  res.json(refund);\n});`,
      deps: { express: '4.x', stripe: '*' },
      errors: [{ line: 6, column: 24, endColumn: 45, message: 'stripe.refunds.create() can fail (provider down' }],
    },
    {
      name: 'tab-indented handler keeps tabs',
      code: `${head}app.get('/t', async (req, res) => {\n\tconst { rows } = await pool.query('t');\n\tres.json(rows);\n});`,
      deps: deps4,
      errors: [{ line: 7, column: 25 }],
      output: `${head}app.get('/t', async (req, res) => {\n\ttry {\n\t\tconst { rows } = await pool.query('t');\n\t\tres.json(rows);\n\t} catch (err) {\n\t\tlogger.error({ err }, 'GET /t failed');\n\t\tres.status(503).json({ error: 'Service temporarily unavailable' });\n\t}\n});`,
    },
    {
      name: 'CRLF file keeps CRLF',
      code: `${head}app.get('/c', async (req, res) => {\n  const { rows } = await pool.query('c');\n  res.json(rows);\n});\n`.replace(/\n/g, '\r\n'),
      deps: deps4,
      errors: [{ line: 7, column: 26 }],
      output: `${head}app.get('/c', async (req, res) => {\n  try {\n    const { rows } = await pool.query('c');\n    res.json(rows);\n  } catch (err) {\n    logger.error({ err }, 'GET /c failed');\n    res.status(503).json({ error: 'Service temporarily unavailable' });\n  }\n});\n`.replace(/\n/g, '\r\n'),
    },
    {
      name: 'expression-bodied handler becomes a block',
      code: `${head}app.get('/e', async (req, res) => res.json((await pool.query('e')).rows));\n`,
      deps: deps4,
      errors: [{ line: 6, column: 51 }],
      output: `${head}app.get('/e', async (req, res) => {\n  try {\n    res.json((await pool.query('e')).rows);\n  } catch (err) {\n    logger.error({ err }, 'GET /e failed');\n    res.status(503).json({ error: 'Service temporarily unavailable' });\n  }\n});\n`,
    },
    {
      name: 'one-line block body is laid out on lines',
      code: `${head}app.get('/o', async (req, res) => { res.json((await pool.query('o')).rows); });\n`,
      deps: deps4,
      errors: [{ line: 6, column: 53 }],
      output: `${head}app.get('/o', async (req, res) => {\n  try {\n    res.json((await pool.query('o')).rows);\n  } catch (err) {\n    logger.error({ err }, 'GET /o failed');\n    res.status(503).json({ error: 'Service temporarily unavailable' });\n  }\n});\n`,
    },
    {
      name: 'a named handler of this file registered on the router',
      code: `${head}async function getOrder(req, res) {\n  const { rows } = await pool.query('select 1');\n  res.json(rows[0]);\n}\napp.get('/orders/:id', getOrder);\n`,
      deps: deps4,
      errors: [{ line: 7, column: 26 }],
      output: `${head}async function getOrder(req, res) {\n  try {\n    const { rows } = await pool.query('select 1');\n    res.json(rows[0]);\n  } catch (err) {\n    logger.error({ err }, 'GET /orders/:id failed');\n    res.status(503).json({ error: 'Service temporarily unavailable' });\n  }\n}\napp.get('/orders/:id', getOrder);\n`,
    },
    {
      name: 'a helper of this file that awaits an HTTP call: wrap in the handler (502)',
      code: `import express from 'express';\nimport axios from 'axios';\nimport pino from 'pino';\nconst logger = pino();\nconst app = express();\ninterface Rate { code: string; value: number }\nasync function loadRates(): Promise<Rate[]> {\n  const { data } = await axios.get<Rate[]>('https://rates.example.com/v1', { timeout: 2000 });\n  return data;\n}\napp.get('/rates', async (req, res) => {\n  const rates = await loadRates();\n  res.json(rates);\n});\n`,
      deps: { express: '^4.18.0', axios: '^1.6.0', pino: '^9.0.0' },
      errors: [{ line: 12, column: 23, endColumn: 32, message: 'loadRates() rejects when axios.get() fails (remote service down' }],
      output: `import express from 'express';\nimport axios from 'axios';\nimport pino from 'pino';\nconst logger = pino();\nconst app = express();\ninterface Rate { code: string; value: number }\nasync function loadRates(): Promise<Rate[]> {\n  const { data } = await axios.get<Rate[]>('https://rates.example.com/v1', { timeout: 2000 });\n  return data;\n}\napp.get('/rates', async (req, res) => {\n  try {\n    const rates = await loadRates();\n    res.json(rates);\n  } catch (err) {\n    logger.error({ err }, 'GET /rates failed');\n    res.status(502).json({ error: 'Upstream service temporarily unavailable' });\n  }\n});\n`,
    },
    {
      name: 'the same helper: degrade inside it with the declared type\'s empty value ([])',
      code: `import express from 'express';\nimport axios from 'axios';\nimport pino from 'pino';\nconst logger = pino();\nconst app = express();\ninterface Rate { code: string; value: number }\nasync function loadRates(): Promise<Rate[]> {\n  const { data } = await axios.get<Rate[]>('https://rates.example.com/v1', { timeout: 2000 });\n  return data;\n}\napp.get('/rates', async (req, res) => {\n  const rates = await loadRates();\n  res.json(rates);\n});\n`,
      deps: { express: '^4.18.0', axios: '^1.6.0', pino: '^9.0.0' },
      errors: [{ line: 12, column: 23 }],
      fixTitle: 'Degrade in loadRates(): log with logger (pino) and return [] (every caller gets the fallback)',
      output: `import express from 'express';\nimport axios from 'axios';\nimport pino from 'pino';\nconst logger = pino();\nconst app = express();\ninterface Rate { code: string; value: number }\nasync function loadRates(): Promise<Rate[]> {\n  try {\n    const { data } = await axios.get<Rate[]>('https://rates.example.com/v1', { timeout: 2000 });\n    return data;\n  } catch (err) {\n    logger.error({ err }, 'loadRates failed');\n    return [];\n  }\n}\napp.get('/rates', async (req, res) => {\n  const rates = await loadRates();\n  res.json(rates);\n});\n`,
    },
    {
      name: 'helper declared to return T | null: degrade returns null',
      code: `import express from 'express';\nimport { PrismaClient, type User } from '@prisma/client';\nimport { logger } from './logger';\nconst prisma = new PrismaClient();\nexport const users = express.Router();\nconst findUser = async (id: string): Promise<User | null> => {\n  const user = await prisma.user.findUnique({ where: { id } });\n  return user;\n};\nusers.get('/users/:id', async (req, res, next) => {\n  const user = await findUser(req.params.id);\n  if (!user) return res.sendStatus(404);\n  res.json(user);\n});\n`,
      deps: { express: '^4.18.0', '@prisma/client': '^5.0.0', pino: '^9.0.0' },
      errors: [{ line: 11, column: 22 }],
      fixTitle: /^Degrade in findUser\(\)/,
      output: `import express from 'express';\nimport { PrismaClient, type User } from '@prisma/client';\nimport { logger } from './logger';\nconst prisma = new PrismaClient();\nexport const users = express.Router();\nconst findUser = async (id: string): Promise<User | null> => {\n  try {\n    const user = await prisma.user.findUnique({ where: { id } });\n    return user;\n  } catch (err) {\n    logger.error({ err }, 'findUser failed');\n    return null;\n  }\n};\nusers.get('/users/:id', async (req, res, next) => {\n  const user = await findUser(req.params.id);\n  if (!user) return res.sendStatus(404);\n  res.json(user);\n});\n`,
    },
    {
      name: 'Promise.all over external calls',
      code: `${redisHead}app.get('/dash', async (req, res) => {\n  const [orders, cached] = await Promise.all([pool.query('select * from orders'), redis.get('dash')]);\n  res.json({ orders: orders.rows, cached });\n});\n`,
      deps: redisDeps,
      errors: [{ line: 9, column: 34, endColumn: 45, message: 'Promise.all() fails when any of pool.query(), redis.get() does' }],
      output: `${redisHead}app.get('/dash', async (req, res) => {\n  try {\n    const [orders, cached] = await Promise.all([pool.query('select * from orders'), redis.get('dash')]);\n    res.json({ orders: orders.rows, cached });\n  } catch (err) {\n    logger.error({ err }, 'GET /dash failed');\n    res.status(503).json({ error: 'Service temporarily unavailable' });\n  }\n});\n`,
    },
    {
      name: 'event listener: log (pino project logger)',
      code: `import Redis from 'ioredis';\nimport { logger } from './lib/logger';\nconst sub = new Redis({ connectTimeout: 1000 });\nconst redis = new Redis({ connectTimeout: 1000 });\nsub.on('message', async (channel, msg) => {\n  await redis.set(\`last:\${channel}\`, msg, 'EX', 60);\n});\n`,
      deps: ['ioredis', 'pino'],
      errors: [{ line: 6, column: 9, message: 'nobody awaits an event listener' }],
      fixTitle: 'Wrap in try/catch: log with logger (pino)',
      output: `import Redis from 'ioredis';\nimport { logger } from './lib/logger';\nconst sub = new Redis({ connectTimeout: 1000 });\nconst redis = new Redis({ connectTimeout: 1000 });\nsub.on('message', async (channel, msg) => {\n  try {\n    await redis.set(\`last:\${channel}\`, msg, 'EX', 60);\n  } catch (err) {\n    logger.error({ err }, 'message listener failed');\n  }\n});\n`,
    },
    {
      name: 'a named listener of this file (socket-style emitter), console fallback',
      code: `import { WebSocketServer } from 'ws';\nimport { Pool } from 'pg';\nconst pool = new Pool();\nconst wss = new WebSocketServer({ port: 8080 });\nasync function onConnection(socket: unknown) {\n  await pool.query('insert into sessions default values');\n}\nwss.on('connection', onConnection);\n`,
      deps: ['ws', 'pg'],
      errors: [{ line: 6, column: 9, message: 'nobody awaits an event listener' }],
      fixTitle: 'Wrap in try/catch: log with console.error (no logger found; set failpath.logger to use yours)',
      output: `import { WebSocketServer } from 'ws';\nimport { Pool } from 'pg';\nconst pool = new Pool();\nconst wss = new WebSocketServer({ port: 8080 });\nasync function onConnection(socket: unknown) {\n  try {\n    await pool.query('insert into sessions default values');\n  } catch (err) {\n    console.error('connection listener failed', err);\n  }\n}\nwss.on('connection', onConnection);\n`,
    },
    {
      name: 'listener in a NestJS service: filters do not see it; Nest logger member added',
      code: `import { Injectable, OnModuleInit } from '@nestjs/common';\nimport Redis from 'ioredis';\nimport { PrismaService } from './prisma.service';\n@Injectable()\nexport class EventsService implements OnModuleInit {\n  private readonly sub = new Redis();\n  constructor(private readonly prisma: PrismaService) {}\n  onModuleInit() {\n    this.sub.on('message', async (channel, message) => {\n      await this.prisma.event.create({ data: { channel, message } });\n    });\n  }\n}\n`,
      deps: ['@nestjs/common', '@nestjs/core', 'ioredis', '@prisma/client'],
      errors: [{ line: 10, column: 13 }],
      output: `import { Injectable, OnModuleInit, Logger } from '@nestjs/common';\nimport Redis from 'ioredis';\nimport { PrismaService } from './prisma.service';\n@Injectable()\nexport class EventsService implements OnModuleInit {\n  private readonly logger = new Logger(EventsService.name);\n  private readonly sub = new Redis();\n  constructor(private readonly prisma: PrismaService) {}\n  onModuleInit() {\n    this.sub.on('message', async (channel, message) => {\n      try {\n        await this.prisma.event.create({ data: { channel, message } });\n      } catch (err) {\n        this.logger.error('message listener failed', err instanceof Error ? err.stack : String(err));\n      }\n    });\n  }\n}\n`,
    },
    {
      name: 'async Promise executor: reject',
      code: `import Redis from 'ioredis';\nconst redis = new Redis({ lazyConnect: true });\nexport function ready(): Promise<void> {\n  return new Promise(async (resolve, reject) => {\n    await redis.connect();\n    resolve();\n  });\n}\n`,
      deps: ['ioredis'],
      errors: [{ line: 5, column: 11, message: 'it never settles' }],
      fixTitle: 'Wrap in try/catch: reject the promise with the error',
      output: `import Redis from 'ioredis';\nconst redis = new Redis({ lazyConnect: true });\nexport function ready(): Promise<void> {\n  return new Promise(async (resolve, reject) => {\n    try {\n      await redis.connect();\n      resolve();\n    } catch (err) {\n      reject(err);\n    }\n  });\n}\n`,
    },
    {
      name: 'async Promise executor without reject: the parameter is added',
      code: `import Redis from 'ioredis';\nconst redis = new Redis({ lazyConnect: true });\nexport const ready = () => new Promise(async resolve => {\n  await redis.connect();\n  resolve(true);\n});\n`,
      deps: ['ioredis'],
      errors: [{ line: 4, column: 9 }],
      output: `import Redis from 'ioredis';\nconst redis = new Redis({ lazyConnect: true });\nexport const ready = () => new Promise(async (resolve, reject) => {\n  try {\n    await redis.connect();\n    resolve(true);\n  } catch (err) {\n    reject(err);\n  }\n});\n`,
    },
    {
      name: 'node:http server handler: log and 503',
      code: `import http from 'node:http';\nimport { Pool } from 'pg';\nimport pino from 'pino';\nconst logger = pino();\nconst pool = new Pool();\nhttp.createServer(async (req, res) => {\n  const { rows } = await pool.query('select now()');\n  res.end(JSON.stringify(rows));\n}).listen(3000);\n`,
      deps: ['pg', 'pino'],
      errors: [{ line: 7, column: 26, message: 'the HTTP server ignores the promise its handler returns' }],
      output: `import http from 'node:http';\nimport { Pool } from 'pg';\nimport pino from 'pino';\nconst logger = pino();\nconst pool = new Pool();\nhttp.createServer(async (req, res) => {\n  try {\n    const { rows } = await pool.query('select now()');\n    res.end(JSON.stringify(rows));\n  } catch (err) {\n    logger.error({ err }, 'request failed');\n    if (!res.headersSent) res.writeHead(503);\n    res.end();\n  }\n}).listen(3000);\n`,
    },
    {
      name: 'failpath.externalModules: an SDK the engine does not know',
      code: `import express from 'express';\nimport { charge } from '@acme/billing';\nconst app = express();\napp.post('/pay', async (req, res) => {\n  const receipt = await charge(req.body.amount);\n  res.json(receipt);\n});\n`,
      deps: { express: '^4.0.0' },
      settings: { externalModules: ['@acme/billing'] },
      errors: [{ line: 5, column: 25, endColumn: 31, message: 'charge() can fail (provider down' }],
    },
  ],
});

/** The fixes offered, in order, with their flags: P = preferred, S = safe. */
function offered(code: string, deps: Record<string, string> | string[], filename?: string): string[] {
  const [f] = runRule(noFallback, { code, deps, filename });
  assert.ok(f, 'expected a finding');
  return f.fixes.map((x) => `${x.isPreferred ? 'P' : '-'}${x.safe ? 'S' : '-'} ${x.title}`);
}

describe('no-fallback fix menu', () => {
  it('next(err) is preferred and safe; log + 503 is the alternative', () => {
    assert.deepEqual(offered(`${head}app.post('/o', async (req, res, next) => {\n  await pool.query('x');\n  res.end();\n});\n`, deps4), [
      'PS Wrap in try/catch: pass the error to next(err)',
      '-- Wrap in try/catch: log with logger (pino) and respond 503',
    ]);
  });
  it('a helper with a readable empty type gets a degrade fix that is never preferred or safe', () => {
    const code = `${head}async function rows(): Promise<string[]> {\n  const r = await pool.query('x');\n  return r.rows;\n}\napp.get('/r', async (req, res) => {\n  res.json(await rows());\n});\n`;
    assert.deepEqual(offered(code, deps4), [
      'PS Wrap in try/catch: log with logger (pino) and respond 503',
      '-- Degrade in rows(): log with logger (pino) and return [] (every caller gets the fallback)',
    ]);
  });
  it('a helper returning Promise<void> degrades by logging only', () => {
    const code = `${head}async function audit(id: string): Promise<void> {\n  await pool.query('insert into audit values ($1)', [id]);\n}\napp.post('/a/:id', async (req, res) => {\n  await audit(req.params.id);\n  res.status(204).end();\n});\n`;
    assert.deepEqual(offered(code, deps4).slice(1), ['-- Degrade in audit(): log with logger (pino) and return (every caller gets the fallback)']);
  });
  it('no degrade fix when the helper returns the promise without awaiting it, or has no readable empty type', () => {
    const bare = `${head}function loadUser(id: string) {\n  return pool.query('select 1', [id]);\n}\napp.get('/u/:id', async (req, res) => {\n  res.json((await loadUser(req.params.id)).rows);\n});\n`;
    assert.deepEqual(offered(bare, deps4), ['PS Wrap in try/catch: log with logger (pino) and respond 503']);
    const untyped = `${head}async function loadUser(id: string) {\n  return (await pool.query('select 1', [id])).rows[0];\n}\napp.get('/u/:id', async (req, res) => {\n  res.json(await loadUser(req.params.id));\n});\n`;
    assert.deepEqual(offered(untyped, deps4), ['PS Wrap in try/catch: log with logger (pino) and respond 503']);
  });
  it('no fix when the wrapped statements declare a function that may be called before them (hoisting)', () => {
    const code = `${head}app.get('/h', async (req, res) => {\n  const r = await pool.query('x');\n  function shape(x) { return x; }\n  res.json(shape(r.rows));\n});\n`;
    assert.deepEqual(offered(code, deps4), []);
  });
});
