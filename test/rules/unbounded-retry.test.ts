import { runRuleTests } from '../harness/ruleTester';
import { unboundedRetry } from '../../server/src/rules/unbounded-retry';

runRuleTests(unboundedRetry, {
  valid: [
    // capped, with exponential backoff and jitter
    `export async function load() {\n  let attempt = 0;\n  while (true) {\n    try {\n      return await fetchRates();\n    } catch (err) {\n      if (++attempt >= 5) throw err;\n      await sleep(Math.random() * 2 ** attempt * 100);\n    }\n  }\n}`,
    `export async function send() {\n  for (let i = 0; i < 5; i++) {\n    try {\n      return await post();\n    } catch (e) {\n      await sleep(100 * 2 ** i);\n    }\n  }\n}`,
    `export async function send() {\n  let delay = 200;\n  for (let i = 0; i < 4; i++) {\n    try { return await post(); } catch { await sleep(delay); delay *= 2; }\n  }\n}`,
    `export async function call() {\n  const deadline = Date.now() + 30000;\n  while (true) {\n    try { return await op(); } catch (e) {\n      if (Date.now() > deadline) throw e;\n      await sleep(jittered(500));\n    }\n  }\n}`,
    // not retry loops: workers, polls, failover, different attempts
    `export async function work() {\n  while (true) {\n    try {\n      const job = await queue.next();\n      await handle(job);\n    } catch (err) {\n      logger.error({ err }, 'job failed');\n    }\n  }\n}`,
    `export async function waitDone(id: string) {\n  while (true) {\n    const s = await getStatus(id);\n    if (s.done) return s;\n    await sleep(1000);\n  }\n}`,
    `export async function download(mirrors: string[]) {\n  for (let i = 0; i < mirrors.length; i++) {\n    try { return await fetch(mirrors[i]); } catch {}\n  }\n}`,
    `export async function create() {\n  for (let i = 0; i < 5; i++) {\n    const slug = makeSlug();\n    try { return await db.insert({ slug }); } catch (e) { if (!isUnique(e)) throw e; }\n  }\n}`,
    `export async function waitHealthy(url: string) {\n  let healthy = false;\n  while (!healthy) {\n    try { healthy = await check(url); } catch { await wait(1000); }\n  }\n}`,
    // write-conflict retries, single retries and refresh-and-retry need no backoff
    `export async function retryOnUniqueConstraintError<T>(fn: () => Promise<T>, attempts = 3): Promise<T> {\n  for (let attempt = 1; ; attempt++) {\n    try {\n      return await fn();\n    } catch (err) {\n      if (!(err instanceof UniqueConstraintError) || attempt >= attempts) throw err;\n    }\n  }\n}`,
    `export async function bump() {\n  for (let attempt = 0; attempt < 2; attempt++) {\n    try { await upsert(); return; } catch (e) { if (attempt > 0) logger.error(e); }\n  }\n}`,
    `export async function get() {\n  while (true) {\n    try { return await api.get('/me'); } catch (e) { await refreshToken(); }\n  }\n}`,
    `export async function get() {\n  while (true) {\n    try { return await api.get('/me'); } catch (e) { throw new Wrapped(e); }\n  }\n}`,
    // recursion that counts and backs off, retries once, or changes its input
    `async function fetchIt(n = 0): Promise<Res> {\n  try { return await op(); } catch (e) {\n    if (n >= 3) throw e;\n    await sleep(100 * 2 ** n);\n    return fetchIt(n + 1);\n  }\n}`,
    `class Api {\n  async load(id: string, retried = false): Promise<Res> {\n    try { return await this.http.get(id); } catch (e) {\n      if (retried) throw e;\n      return this.load(id, true);\n    }\n  }\n}`,
    `function startServer(port: number) {\n  const server = app.listen(port);\n  server.on('error', () => startServer(port + 1));\n}`,
    `function connect(attempt = 0) {\n  const s = net.connect(opts);\n  s.on('error', () => setTimeout(() => connect(attempt + 1), Math.random() * Math.min(30000, 100 * 2 ** attempt)));\n}`,
    { name: 'recursion on a different input is a search, not a retry', code: `const statFile = async (filename: string, limit: number): Promise<Date | null> => {\n  try {\n    return (await fs.stat(filename)).mtime;\n  } catch (err) {\n    return statFile(path.dirname(filename), limit - 1);\n  }\n};` },
    `function launch() {\n  const child = spawn(process.execPath, ['worker.js']);\n  child.on('exit', () => setTimeout(launch, 5000));\n}`,
    `function commitTx(session: Session) {\n  const commit = (retries: number): Promise<void> => session.commitTransaction().catch((error) => {\n    if (error.hasErrorLabel('TransientTransactionError') && retries > 0) return commit(retries - 1);\n    throw error;\n  });\n  return commit(5);\n}`,
    // libraries configured well
    `import pRetry from 'p-retry';\nawait pRetry(run, { retries: 5 });`,
    `import axiosRetry from 'axios-retry';\naxiosRetry(axios, { retries: 3, retryDelay: axiosRetry.exponentialDelay });`,
    `import axiosRetry from 'axios-retry';\naxiosRetry(client, retryConfig);`,
    `import { retry, handleAll, ExponentialBackoff } from 'cockatiel';\nexport const policy = retry(handleAll, { maxAttempts: 3, backoff: new ExponentialBackoff() });`,
    // out of scope: tests
    { code: `export async function f() {\n  while (true) { try { return await op(); } catch {} }\n}`, filename: 'src/retry.test.ts' },
  ],
  invalid: [
    {
      name: 'while (true) with a fixed sleep: cap + exponential backoff with full jitter',
      code: `export async function getRates() {\n  while (true) {\n    try {\n      return await fetchRates();\n    } catch (err) {\n      logger.warn({ err }, 'rates failed, retrying');\n      await sleep(1000);\n    }\n  }\n}\n`,
      errors: [{ line: 2, column: 3, endLine: 2, endColumn: 15, message: 'This retry loop retries forever at a fixed interval' }],
      output: `export async function getRates() {\n  for (let attempt = 1; ; attempt++) {\n    try {\n      return await fetchRates();\n    } catch (err) {\n      if (attempt >= 5) throw err;\n      logger.warn({ err }, 'rates failed, retrying');\n      await sleep(Math.random() * Math.min(30000, 1000 * 2 ** attempt));\n    }\n  }\n}\n`,
    },
    {
      name: 'for (;;) without delay and without a catch binding',
      code: `export async function connectDb() {\n  for (;;) {\n    try {\n      await db.connect();\n      break;\n    } catch {\n      continue;\n    }\n  }\n}\n`,
      errors: [{ line: 2, column: 3, endColumn: 11, message: 'retries forever with no delay' }],
      output: `export async function connectDb() {\n  for (let attempt = 1; ; attempt++) {\n    try {\n      await db.connect();\n      break;\n    } catch (err) {\n      if (attempt >= 5) throw err;\n      await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(30000, 100 * 2 ** attempt)));\n      continue;\n    }\n  }\n}\n`,
    },
    {
      name: 'counted loop with a fixed delay: backoff on the existing counter (info)',
      code: `export async function send(msg: Msg) {\n  for (let attempt = 0; attempt < 3; attempt++) {\n    try {\n      return await mailer.send(msg);\n    } catch (err) {\n      await timer(700);\n    }\n  }\n}\n`,
      errors: [{ line: 2, column: 3, message: 'retries at a fixed interval (no backoff, no jitter)' }],
      output: `export async function send(msg: Msg) {\n  for (let attempt = 0; attempt < 3; attempt++) {\n    try {\n      return await mailer.send(msg);\n    } catch (err) {\n      await timer(Math.random() * Math.min(30000, 700 * 2 ** attempt));\n    }\n  }\n}\n`,
    },
    {
      name: 'capped while loop with no delay: a delay on its counter',
      code: `export async function start() {\n  let retries = 3;\n  while (retries > 0) {\n    try {\n      await this.initialize();\n      break;\n    } catch (error) {\n      retries -= 1;\n      if (retries === 0) throw error;\n      logger.warn('retrying');\n    }\n  }\n}\n`,
      errors: [{ line: 3, column: 3, endColumn: 22, message: 'retries immediately, with no delay between attempts' }],
      output: `export async function start() {\n  let retries = 3;\n  while (retries > 0) {\n    try {\n      await this.initialize();\n      break;\n    } catch (error) {\n      retries -= 1;\n      if (retries === 0) throw error;\n      logger.warn('retrying');\n      await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(30000, 100 * 2 ** (3 - retries))));\n    }\n  }\n}\n`,
    },
    {
      name: 'a count-down counter without a literal start: reported, no fix',
      code: `export async function start(max: number) {\n  let retries = max;\n  while (retries > 0) {\n    try { await init(); break; } catch (e) { retries--; }\n  }\n}`,
      errors: [{ line: 3, column: 3, message: 'retries immediately' }],
      output: null,
    },
    {
      name: 'while (!sent) flag loop with timers/promises setTimeout',
      code: `import { setTimeout } from 'node:timers/promises';\nexport async function deliver(body: string) {\n  let sent = false;\n  while (!sent) {\n    try {\n      await post(body);\n      sent = true;\n    } catch {\n      await setTimeout(2000);\n    }\n  }\n}\n`,
      errors: [{ line: 4, column: 3, endColumn: 16 }],
      output: `import { setTimeout } from 'node:timers/promises';\nexport async function deliver(body: string) {\n  let sent = false;\n  for (let attempt = 1; !sent; attempt++) {\n    try {\n      await post(body);\n      sent = true;\n    } catch (err) {\n      if (attempt >= 5) throw err;\n      await setTimeout(Math.random() * Math.min(30000, 2000 * 2 ** attempt));\n    }\n  }\n}\n`,
    },
    {
      name: 'no delay: one inserted with timers/promises setTimeout, on one line',
      code: `import { setTimeout } from 'timers/promises';\nexport async function f() {\n  while (true) {\n    try { return await op(); } catch (e) { log(e); }\n  }\n}`,
      errors: [{ line: 3, column: 3 }],
      output: `import { setTimeout } from 'timers/promises';\nexport async function f() {\n  for (let attempt = 1; ; attempt++) {\n    try { return await op(); } catch (e) { if (attempt >= 5) throw e; log(e); await setTimeout(Math.random() * Math.min(30000, 100 * 2 ** attempt)); }\n  }\n}`,
    },
    {
      name: 'cockatiel installed: the loop becomes a retry policy',
      code: `import { logger } from './log';\n\nexport async function getRates() {\n  while (true) {\n    try {\n      return await fetchRates();\n    } catch {\n      await sleep(500);\n    }\n  }\n}\n`,
      deps: ['cockatiel'],
      errors: [{ line: 4, column: 3 }],
      output: `import { logger } from './log';\nimport { retry, handleAll, ExponentialBackoff } from 'cockatiel';\n\nexport async function getRates() {\n  return await retry(handleAll, { maxAttempts: 4, backoff: new ExponentialBackoff({ initialDelay: 100, maxDelay: 30000 }) }).execute(() => fetchRates());\n}\n`,
    },
    {
      name: 'cockatiel installed, the local loop is still offered',
      code: `export async function getRates() {\n  while (true) {\n    try {\n      return await fetchRates();\n    } catch {\n      await sleep(500);\n    }\n  }\n}\n`,
      deps: ['cockatiel'],
      errors: [{ line: 2, column: 3 }],
      fixTitle: /local loop/,
      output: `export async function getRates() {\n  for (let attempt = 1; ; attempt++) {\n    try {\n      return await fetchRates();\n    } catch (err) {\n      if (attempt >= 5) throw err;\n      await sleep(Math.random() * Math.min(30000, 500 * 2 ** attempt));\n    }\n  }\n}\n`,
    },
    {
      name: 'p-retry v4 installed',
      code: `import got from 'got';\n\nexport async function getRates() {\n  while (true) {\n    try {\n      return await got('https://rates').json();\n    } catch {\n      await sleep(500);\n    }\n  }\n}\n`,
      deps: { 'p-retry': '^4.6.2' },
      errors: [{ line: 4, column: 3 }],
      output: `import got from 'got';\nimport pRetry from 'p-retry';\n\nexport async function getRates() {\n  return await pRetry(() => got('https://rates').json(), { retries: 4, minTimeout: 100, maxTimeout: 30000, randomize: true });\n}\n`,
    },
    {
      name: 'do … while (true): reported, rewritten by hand',
      code: `export async function f() {\n  do {\n    try { return await op(); } catch (e) { log(e); }\n  } while (true);\n}`,
      errors: [{ line: 2, column: 3, endColumn: 5 }],
      output: null,
    },
    {
      name: 'recursion from a catch with no cap and no delay',
      code: `export async function connect(): Promise<void> {\n  try {\n    await client.connect();\n  } catch (err) {\n    logger.error({ err }, 'connect failed');\n    return connect();\n  }\n}\n`,
      errors: [{ line: 6, column: 12, endColumn: 19, message: 'connect() calls itself on failure and retries forever with no delay' }],
      output: null,
    },
    {
      name: 'setTimeout(self, fixed) reconnect from a catch',
      code: `async function subscribe() {\n  try {\n    await broker.subscribe('events');\n  } catch (err) {\n    setTimeout(subscribe, 5000);\n  }\n}\n`,
      errors: [{ line: 5, column: 16, endColumn: 25, message: 'subscribe() calls itself on failure and retries forever at a fixed interval' }],
    },
    {
      name: 'counted recursion with a fixed delay',
      code: `class Uploader {\n  async upload(file: Buffer, tries = 0): Promise<string> {\n    try {\n      return await this.s3.put(file);\n    } catch (err) {\n      if (tries <= 2) {\n        await timer(5000);\n        return this.upload(file, tries + 1);\n      }\n      throw err;\n    }\n  }\n}\n`,
      errors: [{ line: 8, column: 16, message: 'upload() calls itself on failure and retries at a fixed interval' }],
    },
    {
      name: 'promise .catch recursion',
      code: `export function load(): Promise<Data> {\n  return api.get('/data').catch(() => load());\n}\n`,
      errors: [{ line: 2, column: 39, message: 'load() calls itself on failure and retries forever with no delay' }],
    },
    {
      name: 'error-event reconnect without delay',
      code: `function connect() {\n  const socket = net.connect(opts);\n  socket.on('close', () => connect());\n}\n`,
      errors: [{ line: 3, column: 28, message: 'retries forever with no delay' }],
    },
    {
      name: 'p-retry with retries: Infinity',
      code: `import pRetry from 'p-retry';\nawait pRetry(run, { retries: Infinity, onFailedAttempt });`,
      errors: [{ line: 2, column: 21, endColumn: 38, message: 'p-retry with retries: Infinity retries forever' }],
      output: `import pRetry from 'p-retry';\nawait pRetry(run, { retries: 4, onFailedAttempt });`,
    },
    {
      name: 'async-retry forever',
      code: `const retry = require('async-retry');\nretry(bail => fetchIt(), { forever: true });`,
      filename: 'src/sync.js',
      errors: [{ line: 2, column: 28, message: 'async-retry with forever: true' }],
      output: `const retry = require('async-retry');\nretry(bail => fetchIt(), { retries: 4 });`,
    },
    {
      name: 'retry package operation forever',
      code: `import retry from 'retry';\nconst op = retry.operation({ forever: true, factor: 2 });`,
      errors: [{ line: 2, column: 30, message: 'retry.operation() with forever: true' }],
      output: `import retry from 'retry';\nconst op = retry.operation({ retries: 4, factor: 2 });`,
    },
    {
      name: 'axios-retry without options',
      code: `import axios from 'axios';\nimport axiosRetry from 'axios-retry';\naxiosRetry(axios);\n`,
      errors: [{ line: 3, column: 1, endColumn: 11, message: 'axios-retry without retryDelay retries immediately' }],
      output: `import axios from 'axios';\nimport axiosRetry from 'axios-retry';\naxiosRetry(axios, { retryDelay: axiosRetry.exponentialDelay });\n`,
    },
    {
      name: 'axios-retry with retries only',
      code: `import axiosRetry from 'axios-retry';\naxiosRetry(client, {\n  retries: 3,\n  retryCondition: isNetworkError,\n});\n`,
      errors: [{ line: 2, column: 1 }],
      output: `import axiosRetry from 'axios-retry';\naxiosRetry(client, {\n  retries: 3,\n  retryCondition: isNetworkError,\n  retryDelay: axiosRetry.exponentialDelay,\n});\n`,
    },
    {
      name: 'axios-retry uses the imported exponentialDelay',
      code: `import axiosRetry, { exponentialDelay } from 'axios-retry';\naxiosRetry(client, { retries: 3 });`,
      errors: [{ line: 2, column: 1 }],
      output: `import axiosRetry, { exponentialDelay } from 'axios-retry';\naxiosRetry(client, { retries: 3, retryDelay: exponentialDelay });`,
    },
    {
      name: 'axios-retry with retries: Infinity',
      code: `import axiosRetry from 'axios-retry';\naxiosRetry(client, { retries: Infinity, retryDelay: axiosRetry.exponentialDelay });`,
      errors: [{ line: 2, column: 22, message: 'retries: Infinity' }],
      output: `import axiosRetry from 'axios-retry';\naxiosRetry(client, { retries: 4, retryDelay: axiosRetry.exponentialDelay });`,
    },
    {
      name: 'cockatiel retry without backoff',
      code: `import { retry, handleAll } from 'cockatiel';\nexport const policy = retry(handleAll, { maxAttempts: 3 });`,
      errors: [{ line: 2, column: 23, message: 'This cockatiel retry policy retries immediately' }],
      output: `import { retry, handleAll, ExponentialBackoff } from 'cockatiel';\nexport const policy = retry(handleAll, { maxAttempts: 3, backoff: new ExponentialBackoff() });`,
    },
    {
      name: 'cockatiel retry without options retries forever',
      code: `import { retry, handleAll, ExponentialBackoff } from 'cockatiel';\nexport const policy = retry(handleAll);`,
      errors: [{ line: 2, column: 23, message: 'This cockatiel retry policy retries forever with no delay' }],
      output: `import { retry, handleAll, ExponentialBackoff } from 'cockatiel';\nexport const policy = retry(handleAll, { maxAttempts: 4, backoff: new ExponentialBackoff() });`,
    },
    {
      name: 'cockatiel constant backoff',
      code: `import { retry, handleAll, ConstantBackoff } from 'cockatiel';\nexport const policy = retry(handleAll, { maxAttempts: 3, backoff: new ConstantBackoff(1000) });`,
      errors: [{ line: 2, column: 23, message: 'fixed interval' }],
      output: `import { retry, handleAll, ConstantBackoff, ExponentialBackoff } from 'cockatiel';\nexport const policy = retry(handleAll, { maxAttempts: 3, backoff: new ExponentialBackoff() });`,
    },
  ],
});
