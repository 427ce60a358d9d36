import { runRuleTests } from '../harness/ruleTester';
import { floatingPromise } from '../../server/src/rules/floating-promise';

const REDIS = `import Redis from 'ioredis';\nconst redis = new Redis();\n`;
const PINO = `import pino from 'pino';\nconst logger = pino();\n`;
const CATCH = /^Add \.catch\(\)/;

runRuleTests(floatingPromise, {
  valid: [
    // an async function that only schedules its work cannot reject (parse-server Auth.js renewSessionIfNeeded)
    `${REDIS}const throttle = {};\nconst renewSessionIfNeeded = async ({ config, sessionToken }) => {\n  if (!config?.extendSessionOnUse) {\n    return;\n  }\n  clearTimeout(throttle[sessionToken]);\n  throttle[sessionToken] = setTimeout(async () => {\n    try {\n      await redis.set(sessionToken, '1');\n    } catch (e) {\n      console.error(e);\n    }\n  }, 500);\n};\nexport function getAuth(config, sessionToken) {\n  renewSessionIfNeeded({ config, sessionToken });\n  return sessionToken;\n}`,
    // awaited, returned, assigned, passed on
    `async function send() {}\nexport async function f() {\n  await send();\n}`,
    `async function send() {}\nexport function f() {\n  return send();\n}`,
    `async function send() {}\nexport function f() {\n  const p = send();\n  return p;\n}`,
    `async function send() {}\nexport function f(list: Promise<void>[]) {\n  list.push(send());\n}`,
    `import express from 'express';\nconst app = express();\nasync function load() { return 1; }\napp.get('/x', async (req, res) => {\n  res.json(await load());\n});`,
    `async function send() {}\nexport const f = () => send();`,
    // handled
    `${PINO}async function send() {}\nexport function f() {\n  send().catch((err) => logger.error({ err }, 'send failed'));\n}`,
    `async function send() {}\nexport function f() {\n  send().then(() => 1, (err) => console.error(err));\n}`,
    `async function send() {}\nexport function f() {\n  send().catch(console.error).finally(() => {});\n}`,
    // `void` marks a deliberate fire-and-forget
    `async function send() {}\nexport function f() {\n  void send();\n}`,
    // the function cannot reject: its work is inside a try/catch that does not rethrow
    `async function track(e: string) {\n  const body = JSON.stringify({ e });\n  try {\n    await fetch('/t', { method: 'POST', body });\n  } catch (err) {\n    console.warn(err);\n  }\n}\nexport function f() {\n  track('x');\n}`,
    // the program's entry point at top level: a rejection ends startup with the error
    `async function main() {\n  await fetch('/x');\n}\nmain();`,
    `async function bootstrap() {}\nbootstrap().then(() => console.log('up'));`,
    // mongoose reports the initial connection failure on the connection's 'error' listener too
    { code: `const mongoose = require('mongoose');\nmongoose.connect(process.env.MONGODB_URI);\nmongoose.connection.on('error', (err) => {\n  console.error(err);\n  process.exit(1);\n});`, filename: 'app.js' },
    { code: `const mongoose = require('mongoose');\nmongoose.connect(url);\nvar db = mongoose.connection;\ndb.on('error', console.error.bind(console, 'connection error:'));`, filename: 'app.js' },
    // not promises: sync functions, callback-style clients, query builders, streams
    `function sync() { return 1; }\nexport function f() {\n  sync();\n}`,
    `import { Pool } from 'pg';\nconst pool = new Pool();\nexport function f() {\n  pool.query('SELECT 1', (err, res) => {});\n}`,
    `import knex from 'knex';\nexport class Q {\n  constructor(private q: knex.Knex.QueryBuilder) {}\n  build() {\n    this.q.where('a', 1);\n  }\n}`,
    `${REDIS}export function f() {\n  redis.on('error', () => {});\n  redis.disconnect();\n}`,
    `import got from 'got';\nexport function f(out: NodeJS.WritableStream) {\n  got.stream('https://x').pipe(out);\n}`,
    // node-redis v3 is callback based
    { code: `import redis from 'redis';\nconst client = redis.createClient();\nexport function f() {\n  client.set('a', 'b');\n}`, deps: { redis: '^3.1.2' } },
    // a parameter shadows the async function's name
    `async function send() {}\nexport function f(send: () => void) {\n  send();\n}`,
    // an imported function: the file cannot tell what it returns
    `import { send } from './mail';\nexport function f() {\n  send();\n}`,
    // test files and client components are out of scope
    { code: `async function send() {}\nit('works', () => {\n  send();\n});`, filename: 'src/mail.test.ts' },
    { code: `async function send(p: unknown) {\n  await fetch('/api/send', { method: 'POST', body: JSON.stringify(p) });\n}\nexport function track() {\n  send({ url: window.location.href });\n}`, filename: 'src/tracker/index.ts' },
    { code: `async function refresh() {\n  const { entries } = await chrome.storage.local.get('entries');\n  await fetch('/refresh', { method: 'POST', body: JSON.stringify(entries) });\n}\nchrome.alarms.onAlarm.addListener(() => {\n  refresh();\n});`, filename: 'extension/src/background.ts' },
    { code: `import { useEffect } from 'react';\nexport function useData() {\n  useEffect(() => {\n    const load = async () => { await fetch('/api'); };\n    load();\n  }, []);\n}`, filename: 'src/hooks/useData.ts' },
    // ---- issue 14 patterns (ctx.view) ----
    { name: 'browser code: a module the Session classifies as browser', code: `import axios from 'axios';\nexport function track() {\n  axios.post('/events', { e: 1 });\n}`, filename: '/project/app/lib/track.ts', deps: ['axios'], view: { role: 'browser' } },
    { name: 'browser code: a hook span inside a server route module', code: `import axios from 'axios';\nexport function useTrack() {\n  axios.post('/events', { e: 1 });\n}`, filename: '/project/app/routes/orders.ts', deps: ['axios'], view: { browserSpans: [{ pos: 27, end: 90 }] } },
    { name: 'test helpers without .test in their name', code: `import axios from 'axios';\nexport function seed() {\n  axios.post('/seed', {});\n}`, filename: '/project/e2e/helpers/seed.ts', deps: ['axios'], view: { role: 'test' } },
  ],
  invalid: [
    {
      name: 'a scheduling async function that also awaits can reject',
      code: `${REDIS}const renew = async (token) => {\n  await redis.get(token);\n  setTimeout(() => console.log(token), 500);\n};\nexport function getAuth(token) {\n  renew(token);\n  return token;\n}\n`,
      errors: [{ line: 8, column: 3 }],
    },
    {
      name: 'a forgotten await in an async function',
      code: `async function sendWelcomeEmail(user: { email: string }) {\n  await fetch('/mail', { method: 'POST', body: user.email });\n}\nexport async function onSignup(user: { email: string }) {\n  sendWelcomeEmail(user);\n}\n`,
      errors: [{ line: 5, column: 3, endLine: 5, endColumn: 25, message: '`sendWelcomeEmail()` returns a promise that is neither awaited nor handled' }],
      output: `async function sendWelcomeEmail(user: { email: string }) {\n  await fetch('/mail', { method: 'POST', body: user.email });\n}\nexport async function onSignup(user: { email: string }) {\n  await sendWelcomeEmail(user);\n}\n`,
    },
    {
      name: 'the .catch alternative in an async function uses the file logger',
      code: `${PINO}async function sendWelcomeEmail() {}\nexport async function onSignup() {\n  sendWelcomeEmail();\n}\n`,
      errors: [{ line: 5, column: 3 }],
      fixTitle: CATCH,
      output: `${PINO}async function sendWelcomeEmail() {}\nexport async function onSignup() {\n  sendWelcomeEmail().catch((err) => logger.error({ err }, 'sendWelcomeEmail failed'));\n}\n`,
    },
    {
      name: 'in a sync callback the preferred fix is .catch',
      code: `${PINO}${REDIS}setInterval(() => {\n  redis.set('heartbeat', Date.now());\n}, 5000);\n`,
      errors: [{ line: 6, column: 3, message: '`redis.set()` returns a promise' }],
      output: `${PINO}${REDIS}setInterval(() => {\n  redis.set('heartbeat', Date.now()).catch((err) => logger.error({ err }, 'redis.set failed'));\n}, 5000);\n`,
    },
    {
      name: 'no logger in the project: console.error, said in the title',
      code: `async function refresh() {}\nexport function start() {\n  refresh();\n}`,
      errors: [{ line: 3, column: 3 }],
      fixTitle: 'Add .catch() that logs the error with console.error (no logger found; set failpath.logger to use yours)',
      output: `async function refresh() {}\nexport function start() {\n  refresh().catch((err) => console.error('refresh failed', err));\n}`,
    },
    {
      name: 'a project with pino but no logger in the file: a module logger is created',
      deps: ['pino'],
      code: `import { db } from './db';\nasync function refresh() {}\nexport function start() {\n  refresh();\n}`,
      errors: [{ line: 4, column: 3 }],
      output: `import { db } from './db';\nimport pino from 'pino';\n\nconst logger = pino({ name: 'service' });\nasync function refresh() {}\nexport function start() {\n  refresh().catch((err) => logger.error({ err }, 'refresh failed'));\n}`,
    },
    {
      name: 'winston in the file',
      code: `import winston from 'winston';\nconst log = winston.createLogger();\nasync function refresh() {}\nexport function start() {\n  refresh();\n}`,
      errors: [{ line: 5, column: 3 }],
      output: `import winston from 'winston';\nconst log = winston.createLogger();\nasync function refresh() {}\nexport function start() {\n  refresh().catch((err) => log.error('refresh failed', { error: err }));\n}`,
    },
    {
      name: 'an async method called from the constructor (NestJS logger member)',
      code: `import { Injectable, Logger } from '@nestjs/common';\n@Injectable()\nexport class TokenService {\n  private readonly logger = new Logger(TokenService.name);\n  constructor() {\n    this.refresh();\n  }\n  async refresh(): Promise<void> {\n    await fetch('/tokens');\n  }\n}`,
      errors: [{ line: 6, column: 5, endColumn: 19, message: '`this.refresh()`' }],
      output: `import { Injectable, Logger } from '@nestjs/common';\n@Injectable()\nexport class TokenService {\n  private readonly logger = new Logger(TokenService.name);\n  constructor() {\n    this.refresh().catch((err) => this.logger.error('refresh failed', err instanceof Error ? err.stack : String(err)));\n  }\n  async refresh(): Promise<void> {\n    await fetch('/tokens');\n  }\n}`,
    },
    {
      name: 'a function declared to return a Promise',
      code: `function save(): Promise<void> {\n  return fetch('/s').then(() => undefined);\n}\nexport async function f() {\n  save();\n}`,
      errors: [{ line: 5, column: 3 }],
      output: `function save(): Promise<void> {\n  return fetch('/s').then(() => undefined);\n}\nexport async function f() {\n  await save();\n}`,
    },
    {
      name: '.then() without .catch()',
      code: `export async function f() {\n  fetch('/track').then((r) => r.json());\n}`,
      errors: [{ line: 2, column: 3, endColumn: 40, message: 'is chained with .then()/.finally() but has no .catch()' }],
      output: `export async function f() {\n  await fetch('/track').then((r) => r.json());\n}`,
    },
    {
      name: '.catch() with no handler handles nothing',
      code: `${REDIS}export function f() {\n  redis.del('a').catch();\n}`,
      errors: [{ line: 4, column: 3 }],
      output: `${REDIS}export function f() {\n  redis.del('a').catch().catch((err) => console.error('redis.del failed', err));\n}`,
    },
    {
      name: 'mongoose.connect().then() at top level',
      filename: 'src/index.js',
      code: `const mongoose = require('mongoose');\nmongoose.connect(url).then(() => {\n  console.log('connected');\n});\n`,
      errors: [{ line: 2, column: 1, endLine: 4, endColumn: 3 }],
      output: `const mongoose = require('mongoose');\nmongoose.connect(url).then(() => {\n  console.log('connected');\n}).catch((err) => console.error('mongoose.connect failed', err));\n`,
    },
    {
      name: 'a Prisma query that is never awaited never runs',
      deps: ['@prisma/client'],
      code: `export async function touch(id: string) {\n  this.prisma.user.update({ where: { id }, data: { seenAt: new Date() } });\n}`,
      errors: [{ line: 2, column: 3, message: 'Prisma queries are lazy, so this one never runs' }],
      output: `export async function touch(id: string) {\n  await this.prisma.user.update({ where: { id }, data: { seenAt: new Date() } });\n}`,
    },
    {
      name: 'a Mongoose model query that is never awaited never runs',
      code: `import mongoose from 'mongoose';\nconst User = mongoose.model('User', schema);\nexport async function touch(id: string) {\n  User.updateOne({ _id: id }, { seen: true });\n}`,
      errors: [{ line: 4, column: 3, message: 'Mongoose queries are lazy' }],
      fixTitle: CATCH,
      output: `import mongoose from 'mongoose';\nconst User = mongoose.model('User', schema);\nexport async function touch(id: string) {\n  User.updateOne({ _id: id }, { seen: true }).catch((err) => console.error('User.updateOne failed', err));\n}`,
    },
    {
      name: 'Promise.all without await',
      code: `async function a() {}\nasync function b() {}\nexport async function f() {\n  Promise.all([a(), b()]);\n}`,
      errors: [{ line: 4, column: 3, message: '`Promise.all()`' }],
      output: `async function a() {}\nasync function b() {}\nexport async function f() {\n  await Promise.all([a(), b()]);\n}`,
    },
    {
      name: 'an async arrow held in a const',
      code: `const notify = async (id: string) => {\n  await fetch('/n/' + id);\n};\nexport function f(id: string) {\n  notify(id);\n}`,
      errors: [{ line: 5, column: 3 }],
      output: `const notify = async (id: string) => {\n  await fetch('/n/' + id);\n};\nexport function f(id: string) {\n  notify(id).catch((err) => console.error('notify failed', err));\n}`,
    },
    {
      name: 'a recursive call inside the function (pagination)',
      code: `export async function copyAll(token?: string) {\n  const page = await fetch('/list?t=' + token);\n  if (page.ok) {\n    copyAll('next');\n  }\n}`,
      errors: [{ line: 4, column: 5 }],
      output: `export async function copyAll(token?: string) {\n  const page = await fetch('/list?t=' + token);\n  if (page.ok) {\n    await copyAll('next');\n  }\n}`,
    },
    {
      name: 'a catch that rethrows does not make the function safe',
      code: `async function sync() {\n  try {\n    await fetch('/s');\n  } catch (err) {\n    throw new Error('sync failed');\n  }\n}\nexport function f() {\n  sync();\n}`,
      errors: [{ line: 9, column: 3 }],
      output: `async function sync() {\n  try {\n    await fetch('/s');\n  } catch (err) {\n    throw new Error('sync failed');\n  }\n}\nexport function f() {\n  sync().catch((err) => console.error('sync failed', err));\n}`,
    },
    {
      name: 'an await outside the try/catch can still reject',
      code: `async function sync() {\n  const cfg = await fetch('/cfg');\n  try {\n    await fetch('/s');\n  } catch {}\n}\nexport function f() {\n  sync();\n}`,
      errors: [{ line: 8, column: 3 }],
      output: `async function sync() {\n  const cfg = await fetch('/cfg');\n  try {\n    await fetch('/s');\n  } catch {}\n}\nexport function f() {\n  sync().catch((err) => console.error('sync failed', err));\n}`,
    },
    {
      name: 'an axios call in a CommonJS file',
      filename: 'src/hooks.js',
      code: `const axios = require('axios');\nfunction onOrder(order) {\n  axios.post('https://hooks.example.com', order);\n}\nmodule.exports = { onOrder };`,
      errors: [{ line: 3, column: 3 }],
      output: `const axios = require('axios');\nfunction onOrder(order) {\n  axios.post('https://hooks.example.com', order).catch((err) => console.error('axios.post failed', err));\n}\nmodule.exports = { onOrder };`,
    },
    {
      name: 'a redis v4 client connecting at top level',
      deps: { redis: '^4.6.0' },
      code: `import { createClient } from 'redis';\nexport const client = createClient();\nclient.connect();\n`,
      errors: [{ line: 3, column: 1 }],
      output: `import { createClient } from 'redis';\nexport const client = createClient();\nclient.connect().catch((err) => console.error('client.connect failed', err));\n`,
    },
    {
      name: 'fire-and-forget after responding in an Express handler',
      code: `import express from 'express';\nconst app = express();\nasync function audit(id: string) { await fetch('/audit/' + id); }\napp.post('/orders', async (req, res) => {\n  res.status(201).end();\n  audit(req.body.id);\n});`,
      errors: [{ line: 6, column: 3 }],
      fixTitle: CATCH,
      output: `import express from 'express';\nconst app = express();\nasync function audit(id: string) { await fetch('/audit/' + id); }\napp.post('/orders', async (req, res) => {\n  res.status(201).end();\n  audit(req.body.id).catch((err) => console.error('audit failed', err));\n});`,
    },
  ],
});
