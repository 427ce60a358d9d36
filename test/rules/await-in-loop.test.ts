import { runRuleTests } from '../harness/ruleTester';
import { awaitInLoop } from '../../server/src/rules/await-in-loop';

const REDIS = `import Redis from 'ioredis';\nconst redis = new Redis();\n`;
const AXIOS = `import axios from 'axios';\n`;
const ALL = 'Run all iterations at once with Promise.all (unbounded concurrency; changes order and error timing)';

runRuleTests(awaitInLoop, {
  valid: [
    // polling / pagination: each request depends on the previous one
    `${AXIOS}export async function poll(u: string) {\n  let done = false;\n  while (!done) {\n    const r = await axios.get(u);\n    done = r.data.done;\n  }\n}`,
    `${AXIOS}export async function all(u: string) {\n  let page = await axios.get(u);\n  do {\n    page = await axios.get(page.data.next);\n  } while (page.data.next);\n}`,
    // a retry loop with a fixed bound
    `${AXIOS}export async function get(u: string) {\n  for (let attempt = 0; attempt < 3; attempt++) {\n    try {\n      return await axios.get(u);\n    } catch {}\n  }\n}`,
    // a search that stops at the first hit
    `${REDIS}export async function first(keys: string[]) {\n  for (const k of keys) {\n    const v = await redis.get(k);\n    if (v) return v;\n  }\n}`,
    `${REDIS}export async function first(keys: string[]) {\n  let found;\n  for (const k of keys) {\n    found = await redis.get(k);\n    if (found) break;\n  }\n  return found;\n}`,
    // throttled on purpose
    `${AXIOS}import { sleep } from './util';\nexport async function slow(ids: string[]) {\n  for (const id of ids) {\n    await axios.post('/notify', { id });\n    await sleep(200);\n  }\n}`,
    `${AXIOS}export async function slow(ids: string[]) {\n  for (const id of ids) {\n    await axios.post('/notify', { id });\n    await new Promise((r) => setTimeout(r, 100));\n  }\n}`,
    // a cursor carried from one iteration to the next
    `${REDIS}export async function scan(batches: number[]) {\n  let cursor = '0';\n  for (const count of batches) {\n    const [next] = await redis.scan(cursor, 'COUNT', count);\n    cursor = next;\n  }\n}`,
    // a fixed handful of items
    `${REDIS}export async function f() {\n  for (const k of ['a', 'b']) {\n    await redis.del(k);\n  }\n}`,
    // already concurrent
    `${REDIS}export async function f(ids: string[]) {\n  await Promise.all(ids.map((id) => redis.del(id)));\n}`,
    // the await is in a callback, not in the loop body (another rule's business)
    `${REDIS}export function f(ids: string[]) {\n  ids.forEach(async (id) => {\n    await redis.del(id);\n  });\n}`,
    // the await is in the loop's header
    `${REDIS}export async function f() {\n  for (const m of await redis.smembers('s')) {\n    console.log(m);\n  }\n}`,
    // a local function without I/O
    `async function score(x: number) {\n  return x * 2;\n}\nexport async function f(xs: number[]) {\n  let t = 0;\n  for (const x of xs) t += await score(x);\n  return t;\n}`,
    // calls the file cannot classify
    `import { notify } from './notify';\nexport async function f(ids: string[]) {\n  for (const id of ids) {\n    await notify(id);\n  }\n}`,
    // a Mongo transaction: its operations must run in order
    `import mongoose from 'mongoose';\nconst User = mongoose.model('User', schema);\nexport async function f(ids: string[], session: any) {\n  for (const id of ids) {\n    await User.updateOne({ _id: id }, { a: 1 }, { session });\n  }\n}`,
    // a loop over batches is the batched form already
    `import { Pool } from 'pg';\nconst pool = new Pool();\nexport async function f(batches: number[][]) {\n  for (const batch of batches) {\n    await pool.query('DELETE FROM t WHERE id = ANY($1)', [batch]);\n  }\n}`,
    `${AXIOS}export async function f(chunks: string[][]) {\n  for (let i = 0; i < chunks.length; i++) {\n    await axios.post('/bulk', chunks[i]);\n  }\n}`,
    // a counted loop that is not over a collection
    `${REDIS}export async function f() {\n  for (let i = 0; i < 10; i++) {\n    await redis.incr('n');\n  }\n}`,
    // test files, scripts and browser code are out of scope
    { code: `${REDIS}export async function f(ids: string[]) {\n  for (const id of ids) await redis.del(id);\n}`, filename: 'src/cache.test.ts' },
    { code: `${REDIS}export async function f(ids: string[]) {\n  for (const id of ids) await redis.del(id);\n}`, filename: 'scripts/cleanup.ts' },
    { code: `'use client';\nexport async function load(ids: string[]) {\n  for (const id of ids) await fetch('/api/' + id);\n}`, filename: 'app/page.tsx' },
    // ---- issue 14 patterns ----
    { name: 'small bounded collection: a validated max', code: `${AXIOS}export async function fetchAll(ids: string[]) {\n  if (ids.length > 5) throw new Error('at most 5 ids');\n  for (const id of ids) {\n    await axios.get(\`/items/\${id}\`);\n  }\n}` },
    { name: 'small bounded collection: configured sources', code: `${AXIOS}export async function refresh(config: { sources: string[] }) {\n  for (const source of config.sources) {\n    await axios.get(source);\n  }\n}` },
    { name: 'small bounded collection: group-by levels in a constant', code: `${REDIS}const LEVELS = ['day', 'week', 'month'];\nexport async function roll() {\n  for (const level of LEVELS) {\n    await redis.del(\`stats:\${level}\`);\n  }\n}` },
    { name: 'per-group batched updateMany … in', code: `import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\nexport async function settle(groups: Map<string, string[]>) {\n  for (const [status, ids] of groups) {\n    await prisma.order.updateMany({ where: { id: { in: ids } }, data: { status } });\n  }\n}`, deps: ['@prisma/client'] },
    { name: 'sequential-on-purpose job with a try/catch per item', code: `${AXIOS}export async function notifyAll(users: { id: string }[]) {\n  for (const u of users) {\n    try {\n      await axios.post('/notify', { id: u.id });\n    } catch (err) {\n      failures.push(u.id);\n    }\n  }\n}` },
    { name: 'browser code (view.role)', code: `${AXIOS}export async function load(ids: string[]) {\n  for (const id of ids) await axios.get(\`/x/\${id}\`);\n}`, filename: '/project/app/components/list.ts', view: { role: 'browser' } },
    { name: 'test helpers without .test in their name (view.role)', code: `${AXIOS}export async function seed(ids: string[]) {\n  for (const id of ids) await axios.post('/seed', { id });\n}`, filename: '/project/e2e/helpers/seed.ts', view: { role: 'test' } },
    { name: 'one write per chunk: a loop stepping by a batch size is the batching', code: `import { Pool } from 'pg';\nconst pool = new Pool();\nexport async function saveAll(rows: Row[]) {\n  for (let i = 0; i < rows.length; i += BATCH_SIZE) {\n    const chunk = rows.slice(i, i + BATCH_SIZE);\n    await pool.query(insertSql(chunk), chunk.flat());\n  }\n}` },
    { name: 'one receive batch of a queue (SQS: at most 10 messages)', code: `import { SQSClient, DeleteMessageCommand } from '@aws-sdk/client-sqs';\nimport type { Message } from '@aws-sdk/client-sqs';\nconst sqs = new SQSClient({});\nexport async function drop(messages: Message[]) {\n  for (const msg of messages) {\n    await sqs.send(new DeleteMessageCommand({ QueueUrl: URL, ReceiptHandle: msg.ReceiptHandle }));\n  }\n}` },
    { name: 'per-group call that already runs the group in parallel', code: `import { SQSClient, DeleteMessageCommand } from '@aws-sdk/client-sqs';\nimport type { Message } from '@aws-sdk/client-sqs';\nconst sqs = new SQSClient({});\nasync function deleteGroup(group: Entry[]) {\n  await Promise.all(group.map((e) => sqs.send(new DeleteMessageCommand({ QueueUrl: URL, ReceiptHandle: e.handle }))));\n}\nexport async function settle(groups: Entry[][]) {\n  for (const group of groups) {\n    await deleteGroup(group);\n  }\n}` },
  ],
  invalid: [
    {
      name: 'a loop stepping by one is not a loop over chunks',
      code: `import { Pool } from 'pg';\nconst pool = new Pool();\nexport async function saveAll(rows: Row[]) {\n  for (let i = 0; i < rows.length; i += 1) {\n    await pool.query(insertSql(rows[i]), rows[i]);\n  }\n}`,
      errors: [{ line: 5, column: 5, message: 'once per iteration of this loop (N+1)' }],
      output: null,
    },
    {
      name: 'a loop over messages of another type is not one receive batch',
      code: `import { SQSClient, DeleteMessageCommand } from '@aws-sdk/client-sqs';\nimport type { Message } from '@aws-sdk/client-sqs';\nconst sqs = new SQSClient({});\nexport async function drop(messages: StoredMessage[]) {\n  for (const msg of messages) {\n    await sqs.send(new DeleteMessageCommand({ QueueUrl: URL, ReceiptHandle: msg.handle }));\n  }\n}`,
      errors: [{ line: 6, column: 5, message: 'once per iteration of this loop (N+1)' }],
    },
    {
      name: 'a per-group call that loops inside is not already parallel',
      code: `import { SQSClient, DeleteMessageCommand } from '@aws-sdk/client-sqs';\nimport type { Message } from '@aws-sdk/client-sqs';\nconst sqs = new SQSClient({});\nasync function deleteGroup(group: Entry[]) {\n  for (const e of group) await sqs.send(new DeleteMessageCommand({ QueueUrl: URL, ReceiptHandle: e.handle }));\n}\nexport async function settle(groups: Entry[][]) {\n  for (const group of groups) {\n    await deleteGroup(group);\n  }\n}`,
      errors: [{ line: 5, column: 26 }, { line: 9, column: 5 }],
    },
    {
      name: 'a try/catch per item whose catch is empty is not a sequential-on-purpose job',
      code: `${AXIOS}export async function notifyAll(users: { id: string }[]) {\n  for (const u of users) {\n    try {\n      await axios.post('/notify', { id: u.id });\n    } catch (err) {}\n  }\n}`,
      errors: [{ line: 5, column: 7, message: 'once per iteration of this loop (N+1)' }],
    },
    {
      name: 'one awaited command per item: Promise.all over a typed array',
      code: `${REDIS}export async function purge(ids: string[]) {\n  for (const id of ids) {\n    await redis.del(\`session:\${id}\`);\n  }\n}\n`,
      errors: [{ line: 5, column: 5, endLine: 5, endColumn: 37, message: '`redis.del()` is awaited once per iteration of this loop (N+1)' }],
      fixTitle: ALL,
      output: `${REDIS}export async function purge(ids: string[]) {\n  await Promise.all(ids.map((id) => redis.del(\`session:\${id}\`)));\n}\n`,
    },
    {
      name: 'the advice for a cache names its batch commands',
      code: `${REDIS}export async function purge(ids: string[]) {\n  for (const id of ids) await redis.del(id);\n}`,
      errors: [{ line: 4, column: 25, message: 'batch the commands (`mget`/`mset`, a pipeline or multi)' }],
      output: `${REDIS}export async function purge(ids: string[]) {\n  await Promise.all(ids.map((id) => redis.del(id)));\n}`,
    },
    {
      name: 'p-limit 3 installed: bounded concurrency with an import',
      deps: { 'p-limit': '^3.1.0' },
      code: `${REDIS}export async function purge(ids: string[]) {\n  for (const id of ids) {\n    await redis.del(id);\n  }\n}`,
      errors: [{ line: 5, column: 5, message: 'p-limit is installed' }],
      fixTitle: /p-limit/,
      output: `import Redis from 'ioredis';\nimport pLimit from 'p-limit';\nconst redis = new Redis();\nexport async function purge(ids: string[]) {\n  const limit = pLimit(10);\n  await Promise.all(ids.map((id) => limit(() => redis.del(id))));\n}`,
    },
    {
      name: 'p-limit already imported in the file',
      deps: { 'p-limit': '^6.0.0' },
      code: `import pLimit from 'p-limit';\n${REDIS}export async function purge(ids: string[]) {\n  for (const id of ids) {\n    const v = await redis.get(id);\n    await redis.set(\`copy:\${id}\`, v ?? '');\n  }\n}`,
      errors: [{ line: 6, column: 15 }],
      fixTitle: /p-limit|pLimit/,
      output: `import pLimit from 'p-limit';\n${REDIS}export async function purge(ids: string[]) {\n  const limit = pLimit(10);\n  await Promise.all(ids.map((id) => limit(async () => {\n    const v = await redis.get(id);\n    await redis.set(\`copy:\${id}\`, v ?? '');\n  })));\n}`,
    },
    {
      name: 'p-limit 6 is ESM only: not imported into a CommonJS file',
      deps: { 'p-limit': '^6.0.0' },
      filename: 'src/purge.js',
      code: `const Redis = require('ioredis');\nconst redis = new Redis();\nasync function purge(ids) {\n  for (const id of ids) {\n    await redis.del(id);\n  }\n}\nmodule.exports = { purge };`,
      errors: [{ line: 5, column: 5 }],
      output: `const Redis = require('ioredis');\nconst redis = new Redis();\nasync function purge(ids) {\n  await Promise.all(Array.from(ids, (id) => redis.del(id)));\n}\nmodule.exports = { purge };`,
    },
    {
      name: 'p-limit 3 required in a CommonJS file',
      deps: { 'p-limit': '3.1.0' },
      filename: 'src/purge.js',
      code: `const Redis = require('ioredis');\nconst redis = new Redis();\nasync function purge(ids) {\n  for (const id of ids) {\n    await redis.del(id);\n  }\n}\nmodule.exports = { purge };`,
      errors: [{ line: 5, column: 5 }],
      fixTitle: /p-limit/,
      output: `const Redis = require('ioredis');\nconst pLimit = require('p-limit');\nconst redis = new Redis();\nasync function purge(ids) {\n  const limit = pLimit(10);\n  await Promise.all(Array.from(ids, (id) => limit(() => redis.del(id))));\n}\nmodule.exports = { purge };`,
    },
    {
      name: 'several statements and an untyped iterable: an async arrow over Array.from',
      code: `${AXIOS}${REDIS}export async function sync(users) {\n  for (const u of users) {\n    const { data } = await axios.get(\`/profile/\${u.id}\`);\n    await redis.set(\`p:\${u.id}\`, JSON.stringify(data));\n  }\n}`,
      errors: [{ line: 6, column: 22, message: '`axios.get()`, `redis.set()` are awaited once per iteration' }],
      output: `${AXIOS}${REDIS}export async function sync(users) {\n  await Promise.all(Array.from(users, async (u) => {\n    const { data } = await axios.get(\`/profile/\${u.id}\`);\n    await redis.set(\`p:\${u.id}\`, JSON.stringify(data));\n  }));\n}`,
    },
    {
      name: 'Object.entries with a destructured loop variable',
      code: `${REDIS}export async function save(map: Record<string, string>) {\n  for (const [k, v] of Object.entries(map)) {\n    await redis.set(k, v);\n  }\n}`,
      errors: [{ line: 5, column: 5 }],
      output: `${REDIS}export async function save(map: Record<string, string>) {\n  await Promise.all(Object.entries(map).map(([k, v]) => redis.set(k, v)));\n}`,
    },
    {
      name: 'a local array built with map',
      code: `${REDIS}export async function f(users: { id: string }[]) {\n  const keys = users.map((u) => \`u:\${u.id}\`);\n  for (const key of keys) {\n    await redis.expire(key, 60);\n  }\n}`,
      errors: [{ line: 6, column: 5 }],
      output: `${REDIS}export async function f(users: { id: string }[]) {\n  const keys = users.map((u) => \`u:\${u.id}\`);\n  await Promise.all(keys.map((key) => redis.expire(key, 60)));\n}`,
    },
    {
      name: 'Prisma lookups: the advice is one findMany',
      deps: ['@prisma/client'],
      code: `export async function load(ids: string[]) {\n  const users = [];\n  for (const id of ids) {\n    users.push(await prisma.user.findUnique({ where: { id } }));\n  }\n  return users;\n}`,
      errors: [{ line: 4, column: 16, message: 'fetch all rows with one `findMany({ where: { id: { in: ids } } })`' }],
      output: null,
    },
    {
      name: 'a for…in loop: reported without a fix',
      code: `${REDIS}export async function f(obj: Record<string, string>) {\n  for (const k in obj) {\n    await redis.set(k, obj[k]);\n  }\n}`,
      errors: [{ line: 5, column: 5 }],
      output: null,
    },
    {
      name: 'an index loop over .length: reported without a fix',
      code: `import { Pool } from 'pg';\nconst pool = new Pool();\nexport async function f(ids: number[]) {\n  for (let i = 0; i < ids.length; i++) {\n    await pool.query('DELETE FROM t WHERE id = $1', [ids[i]]);\n  }\n}`,
      errors: [{ line: 5, column: 5, message: 'send one query for all items' }],
      output: null,
    },
    {
      name: 'results collected in order: no fix',
      code: `${REDIS}export async function f(ids: string[]) {\n  const out = [];\n  for (const id of ids) {\n    const v = await redis.get(id);\n    out.push(v);\n  }\n  return out;\n}`,
      errors: [{ line: 6, column: 15 }],
      output: null,
    },
    {
      name: 'continue in the body: no fix',
      code: `${REDIS}export async function f(ids: string[]) {\n  for (const id of ids) {\n    if (!id) continue;\n    await redis.del(id);\n  }\n}`,
      errors: [{ line: 6, column: 5 }],
      output: null,
    },
    {
      name: 'nested loops: the finding goes to the loop that awaits',
      code: `${REDIS}export async function f(groups: string[][]) {\n  for (const g of groups) {\n    for (const id of g) {\n      await redis.del(id);\n    }\n  }\n}`,
      errors: [{ line: 6, column: 7 }],
      output: `${REDIS}export async function f(groups: string[][]) {\n  for (const g of groups) {\n    await Promise.all(Array.from(g, (id) => redis.del(id)));\n  }\n}`,
    },
    {
      name: 'for await over a stream: reported without a fix',
      code: `${REDIS}export async function f(stream: AsyncIterable<string>) {\n  for await (const id of stream) {\n    await redis.del(id);\n  }\n}`,
      errors: [{ line: 5, column: 5 }],
      output: null,
    },
    {
      name: 'HTTP calls: the advice is a batch endpoint or bounded concurrency',
      code: `export async function notify(urls: string[]) {\n  for (const url of urls) {\n    await fetch(url, { method: 'POST', signal: AbortSignal.timeout(5000) });\n  }\n}`,
      errors: [{ line: 3, column: 5, message: "use the API's batch endpoint if it has one" }],
      output: `export async function notify(urls: string[]) {\n  await Promise.all(urls.map((url) => fetch(url, { method: 'POST', signal: AbortSignal.timeout(5000) })));\n}`,
    },
    {
      name: 'Mongoose writes: the advice is bulkWrite/insertMany',
      code: `import mongoose from 'mongoose';\nconst User = mongoose.model('User', schema);\nexport async function f(ids: string[]) {\n  for (const id of ids) {\n    await User.updateOne({ _id: id }, { seen: true });\n  }\n}`,
      errors: [{ line: 5, column: 5, message: '`bulkWrite`/`insertMany`' }],
      output: `import mongoose from 'mongoose';\nconst User = mongoose.model('User', schema);\nexport async function f(ids: string[]) {\n  await Promise.all(ids.map((id) => User.updateOne({ _id: id }, { seen: true })));\n}`,
    },
    {
      name: 'a let loop variable and a body without braces',
      code: `${REDIS}export async function f(ids: string[]) {\n  for (let id of ids) await redis.del(id);\n}`,
      errors: [{ line: 4, column: 23 }],
      output: `${REDIS}export async function f(ids: string[]) {\n  await Promise.all(ids.map((id) => redis.del(id)));\n}`,
    },
    {
      name: 'a Stripe call per item',
      code: `import Stripe from 'stripe';\nconst stripe = new Stripe(key);\nexport async function cancelAll(subs: { id: string }[]) {\n  for (const sub of subs) {\n    await stripe.subscriptions.cancel(sub.id);\n  }\n}`,
      errors: [{ line: 5, column: 5, message: '`stripe.subscriptions.cancel()`' }],
      output: `import Stripe from 'stripe';\nconst stripe = new Stripe(key);\nexport async function cancelAll(subs: { id: string }[]) {\n  await Promise.all(subs.map((sub) => stripe.subscriptions.cancel(sub.id)));\n}`,
    },
    {
      name: 'a function of this file that makes the call',
      code: `async function getUser(id: string) {\n  const res = await fetch('/users/' + id);\n  return res.json();\n}\nexport async function warm(ids: string[]) {\n  for (const id of ids) {\n    await getUser(id);\n  }\n}`,
      errors: [{ line: 7, column: 5, message: '`getUser()` is awaited once per iteration' }],
      output: `async function getUser(id: string) {\n  const res = await fetch('/users/' + id);\n  return res.json();\n}\nexport async function warm(ids: string[]) {\n  await Promise.all(ids.map((id) => getUser(id)));\n}`,
    },
    {
      name: 'a local function that changes shared state: reported without a fix',
      code: `const seen: string[] = [];\nasync function record(id: string) {\n  await fetch('/seen/' + id, { method: 'POST' });\n  seen.push(id);\n}\nexport async function f(ids: string[]) {\n  for (const id of ids) {\n    await record(id);\n  }\n}`,
      errors: [{ line: 8, column: 5, message: 'batch the work into fewer calls' }],
      output: null,
    },
    {
      name: 'the refactor is never preferred',
      code: `${REDIS}export async function purge(ids: string[]) {\n  for (const id of ids) await redis.del(id);\n}`,
      errors: [{ line: 4, column: 25 }],
      fixTitle: ALL,
      output: `${REDIS}export async function purge(ids: string[]) {\n  await Promise.all(ids.map((id) => redis.del(id)));\n}`,
    },
  ],
});
