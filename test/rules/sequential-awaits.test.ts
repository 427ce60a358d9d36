import { runRuleTests } from '../harness/ruleTester';
import { sequentialAwaits } from '../../server/src/rules/sequential-awaits';

const REDIS = `import Redis from 'ioredis';\nconst redis = new Redis();\n`;
const AXIOS = `import axios from 'axios';\n`;
const PRISMA = ['@prisma/client'];
const TITLE2 = 'Start the 2 independent reads together with Promise.all (changes error timing: all start even if one fails)';

runRuleTests(sequentialAwaits, {
  valid: [
    // the second call uses the first one's result: a real dependency
    `${AXIOS}export async function f(u: string) {\n  const user = await axios.get(u);\n  const posts = await axios.get(user.data.postsUrl);\n  return posts;\n}`,
    // shorthand property reads the first result
    `${AXIOS}export async function f(a: string, b: string) {\n  const { data } = await axios.get(a);\n  const r = await axios.get(b, { params: { data } });\n  return r;\n}`,
    // writes are never grouped: order matters (set before expire)
    `${REDIS}export async function f(k: string, v: string) {\n  await redis.set(k, v);\n  await redis.expire(k, 60);\n}`,
    // a write followed by a read of what it wrote
    `import { Pool } from 'pg';\nconst pool = new Pool();\nexport async function f(name: string) {\n  await pool.query('INSERT INTO users(name) VALUES ($1)', [name]);\n  const r = await pool.query('SELECT count(*) FROM users');\n  return r;\n}`,
    // POST requests are writes
    `export async function f() {\n  await fetch('/a', { method: 'POST' });\n  await fetch('/b', { method: 'POST' });\n}`,
    // request options that cannot be seen
    `export async function f(init: RequestInit) {\n  const a = await fetch('/a', init);\n  const b = await fetch('/b', init);\n  return [a, b];\n}`,
    // already parallel
    `${REDIS}export async function f() {\n  const [a, b] = await Promise.all([redis.get('a'), redis.get('b')]);\n  return a + b;\n}`,
    // a single await
    `${REDIS}export async function f() {\n  const a = await redis.get('a');\n  return a;\n}`,
    // another statement in between
    `${REDIS}export async function f() {\n  const a = await redis.get('a');\n  console.log(a);\n  const b = await redis.get('b');\n  return b;\n}`,
    // calls the file cannot classify (project functions) stay silent
    `import { getUser, getOrders } from './repo';\nexport async function f(id: string) {\n  const user = await getUser(id);\n  const orders = await getOrders(id);\n  return { user, orders };\n}`,
    // a single pg Client: its queries queue behind each other anyway
    `import { Client } from 'pg';\nconst client = new Client();\nexport async function f() {\n  const a = await client.query('SELECT 1');\n  const b = await client.query('SELECT 2');\n  return [a, b];\n}`,
    // SELECT … FOR UPDATE locks rows: not a plain read
    `import { Pool } from 'pg';\nconst pool = new Pool();\nexport async function f() {\n  const a = await pool.query('SELECT * FROM a FOR UPDATE');\n  const b = await pool.query('SELECT * FROM b FOR UPDATE');\n  return [a, b];\n}`,
    // a Mongo session: operations of a transaction must run in order
    `import mongoose from 'mongoose';\nconst User = mongoose.model('User', schema);\nexport async function f(s: any) {\n  const a = await User.findOne({ a: 1 }).session(s);\n  const b = await User.findOne({ b: 1 }).session(s);\n  return [a, b];\n}`,
    // a Sequelize-style transaction option
    `${REDIS}export async function f(t: any) {\n  const a = await redis.get('a', { transaction: t });\n  const b = await redis.get('b', { transaction: t });\n  return [a, b];\n}`,
    // results written to properties
    `${REDIS}export class C {\n  a?: string | null;\n  b?: string | null;\n  async load() {\n    this.a = await redis.get('a');\n    this.b = await redis.get('b');\n  }\n}`,
    // the same variable assigned twice
    `${REDIS}export async function f() {\n  let v = await redis.get('a');\n  v = await redis.get('b');\n  return v;\n}`,
    // a Stripe create is a write
    `import Stripe from 'stripe';\nconst stripe = new Stripe(key);\nexport async function f() {\n  const c = await stripe.customers.create({ email });\n  const p = await stripe.prices.list();\n  return [c, p];\n}`,
    // Prisma-shaped calls without Prisma in package.json
    `export async function f(id: string) {\n  const user = await this.prisma.user.findUnique({ where: { id } });\n  const orders = await this.prisma.order.findMany({ where: { userId: id } });\n  return { user, orders };\n}`,
    // a local function that writes shared state is not a pure read
    `const params: Record<string, string> = {};\nasync function recent() {\n  const r = await fetch('/recent');\n  params.appid = (await r.json()).id;\n  return params.appid;\n}\nasync function achievements() {\n  const r = await fetch('/achievements?app=' + params.appid);\n  return r.json();\n}\nexport async function f() {\n  const a = await recent();\n  const b = await achievements();\n  return [a, b];\n}`,
    // a local function that posts
    `async function notify() {\n  await fetch('/n', { method: 'POST' });\n}\nasync function load() {\n  return (await fetch('/l')).json();\n}\nexport async function f() {\n  await notify();\n  const l = await load();\n  return l;\n}`,
    // in different blocks
    `${REDIS}export async function f(x: boolean) {\n  if (x) {\n    await redis.get('a');\n  }\n  await redis.get('b');\n}`,
    // test files are out of scope
    { code: `${REDIS}export async function f() {\n  const a = await redis.get('a');\n  const b = await redis.get('b');\n  return [a, b];\n}`, filename: 'src/cache.test.ts' },
    { name: 'test helpers without .test in their name (view.role)', code: `${REDIS}export async function f() {\n  const a = await redis.get('a');\n  const b = await redis.get('b');\n  return [a, b];\n}`, filename: '/project/e2e/helpers/cache.ts', view: { role: 'test' } },
  ],
  invalid: [
    {
      name: 'two Prisma reads on one line',
      deps: PRISMA,
      code: `export async function load(id: string) {\n  const user = await this.prisma.user.findUnique({ where: { id } });\n  const orders = await this.prisma.order.findMany({ where: { userId: id } });\n  return { user, orders };\n}\n`,
      errors: [{ line: 3, column: 18, endLine: 3, endColumn: 77, message: '`this.prisma.order.findMany()` waits for `this.prisma.user.findUnique()` (line 2)' }],
      output: `export async function load(id: string) {\n  const [user, orders] = await Promise.all([\n    this.prisma.user.findUnique({ where: { id } }),\n    this.prisma.order.findMany({ where: { userId: id } }),\n  ]);\n  return { user, orders };\n}\n`,
    },
    {
      name: 'short reads fit on one line',
      code: `${REDIS}export async function f() {\n  const a = await redis.get('a');\n  const b = await redis.get('b');\n  return [a, b];\n}`,
      errors: [{ line: 5, column: 13, endColumn: 33 }],
      output: `${REDIS}export async function f() {\n  const [a, b] = await Promise.all([redis.get('a'), redis.get('b')]);\n  return [a, b];\n}`,
    },
    {
      name: 'the refactor is not preferred and says it changes error timing',
      code: `${REDIS}export async function f() {\n  const a = await redis.get('a');\n  const b = await redis.get('b');\n  return [a, b];\n}`,
      errors: [{ line: 5, column: 13 }],
      fixTitle: TITLE2,
      output: `${REDIS}export async function f() {\n  const [a, b] = await Promise.all([redis.get('a'), redis.get('b')]);\n  return [a, b];\n}`,
    },
    {
      name: 'three reads of three clients, destructuring kept',
      deps: PRISMA,
      code: `${AXIOS}${REDIS}export async function f(id: string) {\n  const user = await prisma.user.findUnique({ where: { id } });\n  const { data } = await axios.get(\`/profiles/\${id}\`);\n  const cached = await redis.hgetall(\`u:\${id}\`);\n  return { user, data, cached };\n}`,
      errors: [{ line: 6, column: 20, message: '3 independent reads run one after another (`prisma.user.findUnique()`, `axios.get()`, `redis.hgetall()`)' }],
      output: `${AXIOS}${REDIS}export async function f(id: string) {\n  const [user, { data }, cached] = await Promise.all([\n    prisma.user.findUnique({ where: { id } }),\n    axios.get(\`/profiles/\${id}\`),\n    redis.hgetall(\`u:\${id}\`),\n  ]);\n  return { user, data, cached };\n}`,
    },
    {
      name: 'results dropped',
      code: `${REDIS}export async function warm() {\n  await redis.get('a');\n  await redis.get('b');\n}`,
      errors: [{ line: 5, column: 3 }],
      output: `${REDIS}export async function warm() {\n  await Promise.all([redis.get('a'), redis.get('b')]);\n}`,
    },
    {
      name: 'a dropped result leaves a hole in the pattern',
      code: `${REDIS}export async function f() {\n  await redis.get('a');\n  const b = await redis.get('b');\n  return b;\n}`,
      errors: [{ line: 5, column: 13 }],
      output: `${REDIS}export async function f() {\n  const [, b] = await Promise.all([redis.get('a'), redis.get('b')]);\n  return b;\n}`,
    },
    {
      name: 'a trailing dropped result is left out of the pattern',
      code: `${REDIS}export async function f() {\n  const a = await redis.get('a');\n  await redis.get('b');\n  return a;\n}`,
      errors: [{ line: 5, column: 3 }],
      output: `${REDIS}export async function f() {\n  const [a] = await Promise.all([redis.get('a'), redis.get('b')]);\n  return a;\n}`,
    },
    {
      name: 'let stays let',
      code: `${REDIS}export async function f() {\n  let a = await redis.get('a');\n  const b = await redis.get('b');\n  a = a ?? b;\n  return a;\n}`,
      errors: [{ line: 5, column: 13 }],
      output: `${REDIS}export async function f() {\n  let [a, b] = await Promise.all([redis.get('a'), redis.get('b')]);\n  a = a ?? b;\n  return a;\n}`,
    },
    {
      name: 'assignments without semicolons get a leading semicolon',
      code: `import Redis from 'ioredis'\nconst redis = new Redis()\nexport async function f(fresh: boolean) {\n  let a, b\n  if (fresh) {\n    a = await redis.get('a')\n    b = await redis.get('b')\n  }\n  return [a, b]\n}`,
      errors: [{ line: 7, column: 9 }],
      output: `import Redis from 'ioredis'\nconst redis = new Redis()\nexport async function f(fresh: boolean) {\n  let a, b\n  if (fresh) {\n    ;[a, b] = await Promise.all([redis.get('a'), redis.get('b')])\n  }\n  return [a, b]\n}`,
    },
    {
      name: 'assignments inside try/catch: a partial result would be observable after a failure, no fix',
      code: `${REDIS}export async function f() {\n  let a = null;\n  let b = null;\n  try {\n    a = await redis.get('a');\n    b = await redis.get('b');\n  } catch {}\n  return [a, b];\n}`,
      errors: [{ line: 8, column: 9 }],
      output: null,
    },
    {
      name: 'assignments to module variables: visible to other code after a failure, no fix',
      code: `${REDIS}let a: string | null = null;\nlet b: string | null = null;\nexport async function refresh() {\n  a = await redis.get('a');\n  b = await redis.get('b');\n}`,
      errors: [{ line: 7, column: 7 }],
      output: null,
    },
    {
      name: 'fetch wrappers of this file that only read',
      code: `async function getUser(id: string) {\n  const res = await fetch(\`/users/\${id}\`);\n  if (!res.ok) throw new Error(\`users \${res.status}\`);\n  return res.json();\n}\nconst getFollowers = async (id: string) => {\n  const res = await fetch('/followers?id=' + encodeURIComponent(id));\n  return (await res.json()).data;\n};\nexport async function page(id: string) {\n  const user = await getUser(id);\n  const followers = await getFollowers(id);\n  return { user, followers };\n}`,
      errors: [{ line: 12, column: 21, message: '`getFollowers()` waits for `getUser()` (line 11)' }],
      output: `async function getUser(id: string) {\n  const res = await fetch(\`/users/\${id}\`);\n  if (!res.ok) throw new Error(\`users \${res.status}\`);\n  return res.json();\n}\nconst getFollowers = async (id: string) => {\n  const res = await fetch('/followers?id=' + encodeURIComponent(id));\n  return (await res.json()).data;\n};\nexport async function page(id: string) {\n  const [user, followers] = await Promise.all([getUser(id), getFollowers(id)]);\n  return { user, followers };\n}`,
    },
    {
      name: 'type annotations become a tuple type',
      code: `${REDIS}export async function f() {\n  const a: string | null = await redis.get('a');\n  const n: number = await redis.scard('s');\n  return [a, n];\n}`,
      errors: [{ line: 5, column: 21 }],
      output: `${REDIS}export async function f() {\n  const [a, n]: [string | null, number] = await Promise.all([redis.get('a'), redis.scard('s')]);\n  return [a, n];\n}`,
    },
    {
      name: 'only some annotated: reported, no fix',
      code: `${REDIS}export async function f() {\n  const a: string | null = await redis.get('a');\n  const n = await redis.scard('s');\n  return [a, n];\n}`,
      errors: [{ line: 5, column: 13 }],
      output: null,
    },
    {
      name: 'a comment between the statements would be lost: no fix',
      code: `${REDIS}export async function f() {\n  const a = await redis.get('a');\n  // the fallback\n  const b = await redis.get('b');\n  return a ?? b;\n}`,
      errors: [{ line: 6, column: 13 }],
      output: null,
    },
    {
      name: 'var declarations: reported, no fix',
      code: `${REDIS}export async function f() {\n  var a = await redis.get('a');\n  var b = await redis.get('b');\n  return [a, b];\n}`,
      errors: [{ line: 5, column: 11 }],
      output: null,
    },
    {
      name: 'a dependent third read starts a new group',
      code: `${REDIS}export async function f() {\n  const a = await redis.get('a');\n  const b = await redis.get('b');\n  const c = await redis.get(b ?? 'c');\n  return [a, c];\n}`,
      errors: [{ line: 5, column: 13, message: '`redis.get()` waits for `redis.get()` (line 4)' }],
      output: `${REDIS}export async function f() {\n  const [a, b] = await Promise.all([redis.get('a'), redis.get('b')]);\n  const c = await redis.get(b ?? 'c');\n  return [a, c];\n}`,
    },
    {
      name: 'two groups split by a dependency',
      code: `${REDIS}export async function f() {\n  const a = await redis.get('a');\n  const b = await redis.get('b');\n  const c = await redis.get(a ?? 'c');\n  const d = await redis.get('d');\n  return [b, c, d];\n}`,
      errors: [{ line: 5, column: 13 }, { line: 7, column: 13 }],
      fixFor: 1,
      output: `${REDIS}export async function f() {\n  const a = await redis.get('a');\n  const b = await redis.get('b');\n  const [c, d] = await Promise.all([redis.get(a ?? 'c'), redis.get('d')]);\n  return [b, c, d];\n}`,
    },
    {
      name: 'SELECTs on a pg Pool',
      code: `import { Pool } from 'pg';\nconst pool = new Pool();\nexport async function stats() {\n  const users = await pool.query('SELECT count(*) FROM users');\n  const orders = await pool.query(\`SELECT count(*) FROM orders\`);\n  return { users, orders };\n}`,
      errors: [{ line: 5, column: 18 }],
      output: `import { Pool } from 'pg';\nconst pool = new Pool();\nexport async function stats() {\n  const [users, orders] = await Promise.all([\n    pool.query('SELECT count(*) FROM users'),\n    pool.query(\`SELECT count(*) FROM orders\`),\n  ]);\n  return { users, orders };\n}`,
    },
    {
      name: 'GET requests with fetch',
      code: `export async function f() {\n  const a = await fetch('/a');\n  const b = await fetch('/b', { method: 'GET' });\n  return [a, b];\n}`,
      errors: [{ line: 3, column: 13 }],
      output: `export async function f() {\n  const [a, b] = await Promise.all([fetch('/a'), fetch('/b', { method: 'GET' })]);\n  return [a, b];\n}`,
    },
    {
      name: 'AWS SDK v3 Get/List commands',
      code: `import { S3Client, GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';\nconst s3 = new S3Client({});\nexport async function f(Bucket: string) {\n  const obj = await s3.send(new GetObjectCommand({ Bucket, Key: 'a' }));\n  const list = await s3.send(new ListObjectsV2Command({ Bucket }));\n  return { obj, list };\n}`,
      errors: [{ line: 5, column: 16 }],
      output: `import { S3Client, GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';\nconst s3 = new S3Client({});\nexport async function f(Bucket: string) {\n  const [obj, list] = await Promise.all([\n    s3.send(new GetObjectCommand({ Bucket, Key: 'a' })),\n    s3.send(new ListObjectsV2Command({ Bucket })),\n  ]);\n  return { obj, list };\n}`,
    },
    {
      name: 'Stripe retrieve and list',
      code: `import Stripe from 'stripe';\nconst stripe = new Stripe(key);\nexport async function f(id: string) {\n  const customer = await stripe.customers.retrieve(id);\n  const invoices = await stripe.invoices.list({ customer: id });\n  return { customer, invoices };\n}`,
      errors: [{ line: 5, column: 20 }],
      output: `import Stripe from 'stripe';\nconst stripe = new Stripe(key);\nexport async function f(id: string) {\n  const [customer, invoices] = await Promise.all([\n    stripe.customers.retrieve(id),\n    stripe.invoices.list({ customer: id }),\n  ]);\n  return { customer, invoices };\n}`,
    },
    {
      name: 'node-redis v4 camelCase commands',
      code: `import { createClient } from 'redis';\nconst client = createClient();\nexport async function f() {\n  const h = await client.hGetAll('h');\n  const m = await client.sMembers('s');\n  return [h, m];\n}`,
      errors: [{ line: 5, column: 13 }],
      output: `import { createClient } from 'redis';\nconst client = createClient();\nexport async function f() {\n  const [h, m] = await Promise.all([client.hGetAll('h'), client.sMembers('s')]);\n  return [h, m];\n}`,
    },
    {
      name: 'Mongoose queries with .lean()',
      code: `import mongoose from 'mongoose';\nconst User = mongoose.model('User', schema);\nexport async function f() {\n  const a = await User.findOne({ a: 1 }).lean();\n  const n = await User.countDocuments();\n  return [a, n];\n}`,
      errors: [{ line: 5, column: 13 }],
      output: `import mongoose from 'mongoose';\nconst User = mongoose.model('User', schema);\nexport async function f() {\n  const [a, n] = await Promise.all([User.findOne({ a: 1 }).lean(), User.countDocuments()]);\n  return [a, n];\n}`,
    },
    {
      name: 'multi-line calls are re-indented and tabs kept',
      code: `${AXIOS}export async function f() {\n\tconst a = await axios.get('/a', {\n\t\tparams: { q: 1 },\n\t});\n\tconst b = await axios.get('/b');\n\treturn [a, b];\n}`,
      errors: [{ line: 6, column: 12 }],
      output: `${AXIOS}export async function f() {\n\tconst [a, b] = await Promise.all([\n\t\taxios.get('/a', {\n\t\t\tparams: { q: 1 },\n\t\t}),\n\t\taxios.get('/b'),\n\t]);\n\treturn [a, b];\n}`,
    },
    {
      name: 'inside a class method with an axios instance',
      code: `${AXIOS}const api = axios.create({ baseURL: 'https://api', timeout: 5000 });\nexport class S {\n  async load() {\n    const a = await api.get('/a');\n    const b = await api.head('/b');\n    return [a, b];\n  }\n}`,
      errors: [{ line: 6, column: 15 }],
      output: `${AXIOS}const api = axios.create({ baseURL: 'https://api', timeout: 5000 });\nexport class S {\n  async load() {\n    const [a, b] = await Promise.all([api.get('/a'), api.head('/b')]);\n    return [a, b];\n  }\n}`,
    },
  ],
});
