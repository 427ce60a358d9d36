import { runRuleTests } from '../harness/ruleTester';
import { noFallback } from '../../server/src/rules/no-fallback';

const head = `import express from 'express';\nimport { Pool } from 'pg';\nimport { logger } from './lib/logger';\nconst pool = new Pool({ connectionTimeoutMillis: 1000 });\nconst app = express();\n`;
const deps4 = { express: '^4.21.2', pg: '^8.0.0', pino: '^9.0.0' };

runRuleTests(noFallback, {
  valid: [
    { name: 'inside try/catch', code: `${head}app.get('/u', async (req, res) => {\n  try {\n    const { rows } = await pool.query('select 1');\n    res.json(rows);\n  } catch (err) {\n    res.status(503).end();\n  }\n});`, deps: deps4 },
    { name: '.catch in the chain', code: `${head}app.get('/u', async (req, res) => {\n  const r = await pool.query('select 1').catch(() => ({ rows: [] }));\n  res.json(r.rows);\n});`, deps: deps4 },
    { name: 'Express 5 forwards rejections to error middleware', code: `${head}app.get('/u', async (req, res) => {\n  const { rows } = await pool.query('select 1');\n  res.json(rows);\n});`, deps: { ...deps4, express: '^5.1.0' } },
    { name: 'express-async-errors patches the router', code: `import 'express-async-errors';\n${head}app.get('/u', async (req, res) => {\n  res.json((await pool.query('select 1')).rows);\n});`, deps: { ...deps4, 'express-async-errors': '^3.1.1' } },
    { name: 'wrapped handler: the wrapper catches', code: `${head}app.get('/u', asyncHandler(async (req, res) => {\n  res.json((await pool.query('select 1')).rows);\n}));`, deps: deps4 },
    { name: 'plain function: the caller handles it', code: `${head}export async function findUser(id: string) {\n  const { rows } = await pool.query('select * from users where id = $1', [id]);\n  return rows[0];\n}`, deps: deps4 },
    { name: 'NestJS: exception filters handle it', code: `import { Controller, Get } from '@nestjs/common';\nimport axios from 'axios';\n@Controller('x')\nexport class X {\n  @Get()\n  async get() {\n    return (await axios.get('https://x', { timeout: 1 })).data;\n  }\n}`, deps: ['@nestjs/common', 'axios'] },
    { name: 'Fastify turns rejections into 500s', code: `import Fastify from 'fastify';\nimport { Pool } from 'pg';\nconst pool = new Pool();\nconst app = Fastify();\napp.get('/u', async () => (await pool.query('select 1')).rows);`, deps: ['fastify', 'pg'] },
    { name: 'an awaited local helper is not an external call', code: `${head}app.get('/u', async (req, res) => {\n  res.json(await compute(req.query));\n});`, deps: deps4 },
    { name: 'Promise.allSettled', code: `${head}app.get('/u', async (req, res) => {\n  const r = await Promise.allSettled([pool.query('a'), pool.query('b')]);\n  res.json(r);\n});`, deps: deps4 },
    { name: 'process.on listeners are shutdown hooks', code: `${head}process.on('SIGTERM', async () => {\n  await pool.end();\n});`, deps: deps4 },
    { name: 'sync handler', code: `${head}app.get('/u', (req, res) => {\n  pool.query('select 1').then((r) => res.json(r.rows), (e) => res.status(503).end());\n});`, deps: deps4 },
    { name: 'test files', code: `${head}app.get('/u', async (req, res) => { res.json((await pool.query('x')).rows); });`, filename: 'src/app.test.ts', deps: deps4 },
  ],
  invalid: [
    {
      name: 'Express 4 route: log and respond 503',
      code: `${head}app.get('/orders/:id', async (req, res) => {\n  const { rows } = await pool.query('select * from orders where id = $1', [req.params.id]);\n  res.json(rows[0]);\n});\n`,
      deps: deps4,
      errors: [{ line: 7, column: 26, endColumn: 36, message: 'pool.query() can fail (database down' }],
      output: `${head}app.get('/orders/:id', async (req, res) => {\n  try {\n    const { rows } = await pool.query('select * from orders where id = $1', [req.params.id]);\n    res.json(rows[0]);\n  } catch (err) {\n    logger.error({ err }, 'GET /orders/:id failed');\n    res.status(503).json({ error: 'Service temporarily unavailable' });\n  }\n});\n`,
    },
    {
      name: 'next is a parameter: pass the error on',
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
      name: 'HTTP call responds 502, only the statements from the call on are wrapped',
      code: `import express from 'express';\nimport axios from 'axios';\nimport { logger } from './lib/logger';\nconst router = express.Router();\nrouter.get('/rates', async (req, res) => {\n  const currency = String(req.query.c);\n  const { data } = await axios.get(\`https://rates/\${currency}\`, { timeout: 2000 });\n  res.json(data);\n});\n`,
      deps: { express: '4.21.2', axios: '1.7.0' },
      errors: [{ line: 7, column: 26 }],
      output: `import express from 'express';\nimport axios from 'axios';\nimport { logger } from './lib/logger';\nconst router = express.Router();\nrouter.get('/rates', async (req, res) => {\n  const currency = String(req.query.c);\n  try {\n    const { data } = await axios.get(\`https://rates/\${currency}\`, { timeout: 2000 });\n    res.json(data);\n  } catch (err) {\n    logger.error({ err }, 'GET /rates failed');\n    res.status(502).json({ error: 'Upstream service temporarily unavailable' });\n  }\n});\n`,
    },
    {
      name: 'one finding per statement, two statements two findings',
      code: `${head}app.get('/a', async (req, res) => {\n  const a = await pool.query('a');\n  const b = await pool.query('b');\n  res.json([a, b]);\n});\n`,
      deps: deps4,
      errors: [{ line: 7, column: 19 }, { line: 8, column: 19 }],
    },
    {
      name: 'event listener: log',
      code: `import Redis from 'ioredis';\nimport { logger } from './lib/logger';\nconst sub = new Redis({ connectTimeout: 1000 });\nconst redis = new Redis({ connectTimeout: 1000 });\nsub.on('message', async (channel, msg) => {\n  await redis.set(\`last:\${channel}\`, msg, 'EX', 60);\n});\n`,
      deps: ['ioredis', 'pino'],
      errors: [{ line: 6, column: 9, message: 'nobody awaits an event listener' }],
      output: `import Redis from 'ioredis';\nimport { logger } from './lib/logger';\nconst sub = new Redis({ connectTimeout: 1000 });\nconst redis = new Redis({ connectTimeout: 1000 });\nsub.on('message', async (channel, msg) => {\n  try {\n    await redis.set(\`last:\${channel}\`, msg, 'EX', 60);\n  } catch (err) {\n    logger.error({ err }, 'message listener failed');\n  }\n});\n`,
    },
    {
      name: 'no logger: console.error, title says so',
      code: `const express = require('express');\nconst { Pool } = require('pg');\nconst pool = new Pool();\nconst app = express();\napp.get('/x', async (req, res) => {\n  res.json((await pool.query('x')).rows);\n});\n`,
      filename: 'src/app.js',
      deps: { express: '~4.18.0', pg: '8' },
      errors: [{ line: 6, column: 19 }],
      fixTitle: 'Wrap in try/catch: log with console.error and respond 503',
      output: `const express = require('express');\nconst { Pool } = require('pg');\nconst pool = new Pool();\nconst app = express();\napp.get('/x', async (req, res) => {\n  try {\n    res.json((await pool.query('x')).rows);\n  } catch (err) {\n    console.error('GET /x failed', err);\n    res.status(503).json({ error: 'Service temporarily unavailable' });\n  }\n});\n`,
    },
    {
      name: 'Prisma in an Express router',
      code: `import { Router } from 'express';\nimport { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\nexport const users = Router();\nusers.get('/users', async (_req, res) => {\n  res.json(await prisma.user.findMany());\n});`,
      deps: { express: '^4.19.0', '@prisma/client': '^5.0.0' },
      errors: [{ line: 6, column: 18 }],
    },
    {
      name: 'fetch in an Express middleware',
      code: `import express from 'express';\nconst app = express();\napp.use(async (req, res, next) => {\n  const r = await fetch('https://auth/verify', { signal: AbortSignal.timeout(500) });\n  req.user = await r.json();\n  next();\n});`,
      deps: { express: '^4.19.0' },
      errors: [{ line: 4, column: 19 }],
      output: `import express from 'express';\nconst app = express();\napp.use(async (req, res, next) => {\n  try {\n    const r = await fetch('https://auth/verify', { signal: AbortSignal.timeout(500) });\n    req.user = await r.json();\n    next();\n  } catch (err) {\n    next(err);\n  }\n});`,
    },
    {
      name: 'redis in a nested block of a handler',
      code: `${head}import Redis from 'ioredis';\nconst redis = new Redis({ commandTimeout: 100 });\napp.get('/c', async (req, res) => {\n  if (req.query.fresh) {\n    await redis.del('c');\n  }\n  res.end();\n});`,
      deps: { ...deps4, ioredis: '^5.0.0' },
      errors: [{ line: 10, column: 11 }],
    },
    {
      name: 'Stripe call in a handler',
      code: `import express from 'express';\nimport Stripe from 'stripe';\nconst stripe = new Stripe(key);\nconst app = express();\napp.post('/refunds', async (req, res) => {\n  const refund = await stripe.refunds.create({ charge: req.body.charge }, { idempotencyKey: req.body.key });\n  res.json(refund);\n});`,
      deps: { express: '4.x', stripe: '*' },
      errors: [{ line: 6, column: 24 }],
    },
    {
      name: 'tab-indented handler keeps tabs',
      code: `${head}app.get('/t', async (req, res) => {\n\tconst { rows } = await pool.query('t');\n\tres.json(rows);\n});`,
      deps: deps4,
      errors: [{ line: 7, column: 25 }],
      output: `${head}app.get('/t', async (req, res) => {\n\ttry {\n\t\tconst { rows } = await pool.query('t');\n\t\tres.json(rows);\n\t} catch (err) {\n\t\tlogger.error({ err }, 'GET /t failed');\n\t\tres.status(503).json({ error: 'Service temporarily unavailable' });\n\t}\n});`,
    },
  ],
});
