import { runRuleTests } from '../harness/ruleTester';
import { unmonitoredJob } from '../../server/src/rules/unmonitored-job';
import type { FunctionSummary, ProjectView } from '../../server/src/engine/view';

/** A view whose summaries answer for `./rates` exports. */
const summaries = (byName: Record<string, FunctionSummary>): Partial<ProjectView> => ({ summaryOf: (spec, name) => (spec === './rates' ? byName[name] : undefined) });
const REJECTS: FunctionSummary = { io: 'http', setsDeadline: false, catchesAll: false, canReject: true };

const PINO = `import pino from 'pino';\nconst logger = pino();\n`;
const REDIS = `import Redis from 'ioredis';\nconst redis = new Redis();\n`;
const RATES = `async function syncRates() {\n  await fetch('https://rates.example.com');\n}\n`;

runRuleTests(unmonitoredJob, {
  valid: [
    // from the project (ctx.view)
    { name: 'test helpers without .test/.spec in their name (view.role test) run no service job', code: `${RATES}setInterval(async () => {\n  await syncRates();\n}, 60_000);`, filename: 'src/support/poll.ts', view: { role: 'test' } },
    { name: 'browser code inside server packages: polling in a React component (view.browserSpans)', code: `${RATES}export function Rates() {\n  useEffect(() => {\n    const t = setInterval(async () => { await syncRates(); }, 5000);\n    return () => clearInterval(t);\n  }, []);\n  return null;\n}`, view: { browserSpans: [{ pos: 75, end: 251 }] } },
    { name: 'view: the imported delegate catches everything (summaryOf)', code: `import { syncRates } from './rates';\nsetInterval(async () => {\n  await syncRates();\n}, 60_000);`, view: summaries({ syncRates: { ...REJECTS, catchesAll: true, canReject: false } }) },
    { name: 'view: the imported delegate does no external I/O (summaryOf)', code: `import { syncRates } from './rates';\nsetInterval(async () => {\n  await syncRates();\n}, 60_000);`, view: summaries({ syncRates: { setsDeadline: true, catchesAll: false, canReject: true } }) },
    { name: 'an imported delegate without a summary stays unknown', code: `import { syncRates } from './rates';\nsetInterval(async () => {\n  await syncRates();\n}, 60_000);` },
    // handled and logged (unleash's scheduler does this)
    `${PINO}${RATES}setInterval(async () => {\n  try {\n    await syncRates();\n  } catch (err) {\n    logger.error({ err }, 'rates failed');\n  }\n}, 60000);`,
    // the delegate handles its own errors
    `${PINO}async function check() {\n  try {\n    await fetch('https://x');\n  } catch (err) {\n    logger.warn({ err }, 'check failed');\n  }\n}\nsetInterval(check, 60000);`,
    `${PINO}export class S {\n  start() {\n    setInterval(() => this.tick(), 1000);\n  }\n  private async tick() {\n    try {\n      await fetch('https://x');\n    } catch (err) {\n      logger.error({ err }, 'tick failed');\n    }\n  }\n}`,
    // errors handled with .catch
    `${PINO}${RATES}setInterval(() => {\n  syncRates().catch((err) => logger.error({ err }, 'rates failed'));\n}, 60000);`,
    // nothing that can fail asynchronously (a cache sweep)
    `const cache = new Map<string, number>();\nsetInterval(() => {\n  for (const [k, t] of cache) if (Date.now() - t > 60000) cache.delete(k);\n}, 60000);`,
    // the job's work lives in another file: its handling cannot be seen
    `import { syncRates } from './rates';\nsetInterval(() => syncRates(), 60000);`,
    `import { runAll } from './jobs';\nimport cron from 'node-cron';\ncron.schedule('0 * * * *', async () => {\n  await runAll();\n});`,
    // node-cron with a try/catch, or with a failure listener
    `${PINO}import cron from 'node-cron';\ncron.schedule('0 * * * *', async () => {\n  try {\n    await fetch('https://x');\n  } catch (err) {\n    logger.error({ err }, 'hourly failed');\n  }\n});`,
    `${PINO}import cron from 'node-cron';\nconst task = cron.schedule('0 * * * *', async () => {\n  await fetch('https://x');\n});\ntask.on('execution:failed', (ctx) => logger.error(ctx, 'hourly failed'));`,
    // cron's errorHandler
    `${PINO}import { CronJob } from 'cron';\nCronJob.from({\n  cronTime: '0 * * * *',\n  onTick: async () => {\n    await fetch('https://x');\n  },\n  errorHandler: (err) => logger.error({ err }, 'cron failed'),\n  start: true,\n});`,
    // bullmq: failures observed through worker events or QueueEvents
    `${PINO}import { Worker } from 'bullmq';\nconst worker = new Worker('emails', async (job) => {\n  await fetch(job.data.url);\n});\nworker.on('failed', (job, err) => logger.error({ err, id: job?.id }, 'email failed'));`,
    `import { Worker, QueueEvents } from 'bullmq';\nnew Worker('emails', async (job) => {\n  await fetch(job.data.url);\n});\nconst events = new QueueEvents('emails');`,
    // an exported worker: listeners may be attached in another file
    `import { Worker } from 'bullmq';\nexport const worker = new Worker('emails', async (job) => {\n  await fetch(job.data.url);\n});`,
    // agenda with a failure listener
    `${PINO}import { Agenda } from 'agenda';\nconst agenda = new Agenda({ db: { address: url } });\nagenda.define('send-email', async (job) => {\n  await fetch(job.attrs.data.url);\n});\nagenda.on('fail', (err, job) => logger.error({ err, job: job.attrs.name }, 'job failed'));`,
    // NestJS @Cron: @nestjs/schedule catches and logs errors of scheduled methods
    `import { Injectable } from '@nestjs/common';\nimport { Cron } from '@nestjs/schedule';\n@Injectable()\nexport class Jobs {\n  @Cron('0 * * * *')\n  async hourly() {\n    await fetch('https://x');\n  }\n}`,
    // a .process() on something that is not a bull queue
    `${RATES}const worker = { process(fn: () => Promise<void>) { return fn(); } };\nworker.process(async () => {\n  await syncRates();\n});`,
    // setInterval from timers/promises is an async iterator, not a callback scheduler
    `import { setInterval } from 'node:timers/promises';\nexport async function loop() {\n  for await (const _ of setInterval(1000)) {\n    await fetch('https://x');\n  }\n}`,
    // a file that touches browser globals polls from a browser
    `export function poll() {\n  setInterval(async () => {\n    const r = await fetch('/api/status');\n    document.title = (await r.json()).status;\n  }, 5000);\n}`,
    // test files and browser code are out of scope
    { code: `${RATES}setInterval(async () => {\n  await syncRates();\n}, 1000);`, filename: 'src/rates.test.ts' },
    { code: `'use client';\nexport function poll() {\n  setInterval(async () => {\n    await fetch('/api/rates');\n  }, 1000);\n}`, filename: 'app/rates/page.tsx' },
    // a demo package (uptime-kuma extra/push-examples/typescript-fetch: its own package.json)
    { name: 'a job in a demo package', code: `${RATES}setInterval(async () => {\n  await syncRates();\n}, 60_000);\n`, filename: '/repo/extra/push-examples/typescript-fetch/index.ts', projectRoot: '/repo/extra/push-examples/typescript-fetch' },
  ],
  invalid: [
    {
      name: 'view: the imported delegate does I/O and can reject (summaryOf)',
      code: `import { syncRates } from './rates';\nsetInterval(async () => {\n  await syncRates();\n}, 60_000);\n`,
      view: summaries({ syncRates: REJECTS }),
      errors: [{ line: 2, column: 1, endColumn: 12, message: "The setInterval job 'syncRates' neither catches nor logs its failures" }],
    },
    {
      name: 'a package whose name only starts like a demo word is a service (apps/exampler)',
      code: `${RATES}setInterval(async () => {\n  await syncRates();\n}, 60_000);\n`,
      filename: '/repo/apps/exampler/src/index.ts',
      projectRoot: '/repo/apps/exampler',
      errors: [{ line: 4, column: 1, endLine: 4, endColumn: 12, message: "The setInterval job 'syncRates' neither catches nor logs its failures" }],
    },
    {
      name: 'setInterval with an async body and a pino logger',
      code: `${PINO}${RATES}setInterval(async () => {\n  await syncRates();\n}, 60_000);\n`,
      errors: [{ line: 6, column: 1, endLine: 6, endColumn: 12, message: "The setInterval job 'syncRates' neither catches nor logs its failures" }],
      output: `${PINO}${RATES}setInterval(async () => {\n  const started = Date.now();\n  try {\n    await syncRates();\n    logger.info({ job: 'syncRates', ms: Date.now() - started }, 'job done');\n  } catch (err) {\n    logger.error({ err, job: 'syncRates', ms: Date.now() - started }, 'job failed');\n  }\n}, 60_000);\n`,
    },
    {
      name: 'an expression body becomes an async block',
      code: `${PINO}${RATES}export function start() {\n  setInterval(() => syncRates(), 60000);\n}\n`,
      errors: [{ line: 7, column: 3 }],
      output: `${PINO}${RATES}export function start() {\n  setInterval(async () => {\n    const started = Date.now();\n    try {\n      await syncRates();\n      logger.info({ job: 'syncRates', ms: Date.now() - started }, 'job done');\n    } catch (err) {\n      logger.error({ err, job: 'syncRates', ms: Date.now() - started }, 'job failed');\n    }\n  }, 60000);\n}\n`,
    },
    {
      name: '`void run()` is still an unhandled rejection',
      code: `${PINO}${RATES}setInterval(() => void syncRates(), 1000);\n`,
      errors: [{ line: 6, column: 1 }],
      output: `${PINO}${RATES}setInterval(async () => {\n  const started = Date.now();\n  try {\n    await syncRates();\n    logger.info({ job: 'syncRates', ms: Date.now() - started }, 'job done');\n  } catch (err) {\n    logger.error({ err, job: 'syncRates', ms: Date.now() - started }, 'job failed');\n  }\n}, 1000);\n`,
    },
    {
      name: 'a named function passed to setInterval',
      code: `${PINO}${RATES}setInterval(syncRates, 5000);\n`,
      errors: [{ line: 6, column: 1 }],
      output: `${PINO}${RATES}setInterval(async () => {\n  const started = Date.now();\n  try {\n    await syncRates();\n    logger.info({ job: 'syncRates', ms: Date.now() - started }, 'job done');\n  } catch (err) {\n    logger.error({ err, job: 'syncRates', ms: Date.now() - started }, 'job failed');\n  }\n}, 5000);\n`,
    },
    {
      name: 'a NestJS service method on an interval, with the class logger',
      code: `import { Injectable, Logger } from '@nestjs/common';\n@Injectable()\nexport class RatesService {\n  private readonly logger = new Logger(RatesService.name);\n  onModuleInit() {\n    setInterval(() => this.refresh(), 60000);\n  }\n  async refresh() {\n    await fetch('https://rates');\n  }\n}`,
      errors: [{ line: 6, column: 5, message: "'refresh'" }],
      output: `import { Injectable, Logger } from '@nestjs/common';\n@Injectable()\nexport class RatesService {\n  private readonly logger = new Logger(RatesService.name);\n  onModuleInit() {\n    setInterval(async () => {\n      const started = Date.now();\n      try {\n        await this.refresh();\n        this.logger.log(\`job refresh done in \${Date.now() - started} ms\`);\n      } catch (err) {\n        this.logger.error(\`job refresh failed after \${Date.now() - started} ms\`, err instanceof Error ? err.stack : String(err));\n      }\n    }, 60000);\n  }\n  async refresh() {\n    await fetch('https://rates');\n  }\n}`,
    },
    {
      name: 'node-cron swallows errors: named by its options',
      code: `${PINO}${REDIS}import cron from 'node-cron';\ncron.schedule('*/5 * * * *', async () => {\n  const keys = await redis.keys('session:*');\n  await redis.del(...keys);\n}, { name: 'sessions' });\n`,
      errors: [{ line: 6, column: 1, endColumn: 14, message: 'node-cron catches the error and only emits an event nobody listens to here' }],
      output: `${PINO}${REDIS}import cron from 'node-cron';\ncron.schedule('*/5 * * * *', async () => {\n  const started = Date.now();\n  try {\n    const keys = await redis.keys('session:*');\n    await redis.del(...keys);\n    logger.info({ job: 'sessions', ms: Date.now() - started }, 'job done');\n  } catch (err) {\n    logger.error({ err, job: 'sessions', ms: Date.now() - started }, 'job failed');\n  }\n}, { name: 'sessions' });\n`,
    },
    {
      name: 'an unnamed node-cron job is named by its schedule',
      code: `${PINO}import cron from 'node-cron';\ncron.schedule('0 * * * *', async () => { await fetch('https://x'); });\n`,
      errors: [{ line: 4, column: 1 }],
      output: `${PINO}import cron from 'node-cron';\ncron.schedule('0 * * * *', async () => {\n  const started = Date.now();\n  try {\n    await fetch('https://x');\n    logger.info({ job: 'node-cron 0 * * * *', ms: Date.now() - started }, 'job done');\n  } catch (err) {\n    logger.error({ err, job: 'node-cron 0 * * * *', ms: Date.now() - started }, 'job failed');\n  }\n});\n`,
    },
    {
      name: 'cron CronJob with a function expression, winston logger',
      code: `import winston from 'winston';\nconst log = winston.createLogger();\nimport { CronJob } from 'cron';\nconst nightly = new CronJob('0 0 * * *', async function () {\n  await fetch('https://report');\n});\nnightly.start();\n`,
      errors: [{ line: 4, column: 21, endColumn: 28, message: "The cron job 'nightly'" }],
      output: `import winston from 'winston';\nconst log = winston.createLogger();\nimport { CronJob } from 'cron';\nconst nightly = new CronJob('0 0 * * *', async function () {\n  const started = Date.now();\n  try {\n    await fetch('https://report');\n    log.info('job done', { job: 'nightly', ms: Date.now() - started });\n  } catch (err) {\n    log.error('job failed', { error: err, job: 'nightly', ms: Date.now() - started });\n  }\n});\nnightly.start();\n`,
    },
    {
      name: 'CronJob.from without an errorHandler',
      code: `${PINO}import { CronJob } from 'cron';\nCronJob.from({\n  cronTime: '0 * * * *',\n  onTick: async () => {\n    await fetch('https://x');\n  },\n  start: true,\n  name: 'hourly-sync',\n});\n`,
      errors: [{ line: 4, column: 1, endColumn: 13, message: "'hourly-sync'" }],
      output: `${PINO}import { CronJob } from 'cron';\nCronJob.from({\n  cronTime: '0 * * * *',\n  onTick: async () => {\n    const started = Date.now();\n    try {\n      await fetch('https://x');\n      logger.info({ job: 'hourly-sync', ms: Date.now() - started }, 'job done');\n    } catch (err) {\n      logger.error({ err, job: 'hourly-sync', ms: Date.now() - started }, 'job failed');\n    }\n  },\n  start: true,\n  name: 'hourly-sync',\n});\n`,
    },
    {
      name: 'the object form of new cron.CronJob',
      filename: 'src/runner.js',
      code: `const cron = require('cron');\nconst axios = require('axios');\nconst sendEmail = new cron.CronJob({\n  cronTime: '* * * * *',\n  onTick: async function () {\n    await axios.post('http://mailer/email');\n  },\n});\nsendEmail.start();\n`,
      errors: [{ line: 3, column: 23, message: "'sendEmail'" }],
      output: `const cron = require('cron');\nconst axios = require('axios');\nconst sendEmail = new cron.CronJob({\n  cronTime: '* * * * *',\n  onTick: async function () {\n    const started = Date.now();\n    try {\n      await axios.post('http://mailer/email');\n      console.info('job done', { job: 'sendEmail', ms: Date.now() - started });\n    } catch (err) {\n      console.error('job failed', err, { job: 'sendEmail', ms: Date.now() - started });\n    }\n  },\n});\nsendEmail.start();\n`,
    },
    {
      name: 'node-schedule with a job name',
      code: `${PINO}import schedule from 'node-schedule';\nschedule.scheduleJob('cleanup', '0 3 * * *', async () => {\n  await fetch('https://cleanup');\n});\n`,
      errors: [{ line: 4, column: 1, message: "'cleanup'" }],
      output: `${PINO}import schedule from 'node-schedule';\nschedule.scheduleJob('cleanup', '0 3 * * *', async () => {\n  const started = Date.now();\n  try {\n    await fetch('https://cleanup');\n    logger.info({ job: 'cleanup', ms: Date.now() - started }, 'job done');\n  } catch (err) {\n    logger.error({ err, job: 'cleanup', ms: Date.now() - started }, 'job failed');\n  }\n});\n`,
    },
    {
      name: 'a bullmq processor rethrows so the queue still retries',
      code: `${PINO}import { Worker } from 'bullmq';\nnew Worker('emails', async (job) => {\n  await fetch(job.data.url, { method: 'POST' });\n});\n`,
      errors: [{ line: 4, column: 5, endColumn: 11, message: 'bullmq marks the job failed in its store' }],
      output: `${PINO}import { Worker } from 'bullmq';\nnew Worker('emails', async (job) => {\n  const started = Date.now();\n  try {\n    await fetch(job.data.url, { method: 'POST' });\n    logger.info({ job: 'emails', ms: Date.now() - started }, 'job done');\n  } catch (err) {\n    logger.error({ err, job: 'emails', ms: Date.now() - started }, 'job failed');\n    throw err;\n  }\n});\n`,
    },
    {
      name: 'a bull queue processor',
      code: `${PINO}import Queue from 'bull';\nconst visits = new Queue('visit');\nvisits.process(async (job) => {\n  await fetch('https://stats/' + job.data.id);\n});\n`,
      errors: [{ line: 5, column: 1, endColumn: 15, message: "The bull processor 'visits'" }],
      output: `${PINO}import Queue from 'bull';\nconst visits = new Queue('visit');\nvisits.process(async (job) => {\n  const started = Date.now();\n  try {\n    await fetch('https://stats/' + job.data.id);\n    logger.info({ job: 'visits', ms: Date.now() - started }, 'job done');\n  } catch (err) {\n    logger.error({ err, job: 'visits', ms: Date.now() - started }, 'job failed');\n    throw err;\n  }\n});\n`,
    },
    {
      name: 'an agenda job definition',
      code: `${PINO}import { Agenda } from 'agenda';\nconst agenda = new Agenda({ db: { address: url } });\nagenda.define('send-email', async (job) => {\n  await fetch(job.attrs.data.url);\n});\n`,
      errors: [{ line: 5, column: 1, message: "The agenda processor 'send-email'" }],
      output: `${PINO}import { Agenda } from 'agenda';\nconst agenda = new Agenda({ db: { address: url } });\nagenda.define('send-email', async (job) => {\n  const started = Date.now();\n  try {\n    await fetch(job.attrs.data.url);\n    logger.info({ job: 'send-email', ms: Date.now() - started }, 'job done');\n  } catch (err) {\n    logger.error({ err, job: 'send-email', ms: Date.now() - started }, 'job failed');\n    throw err;\n  }\n});\n`,
    },
    {
      name: 'a processor that returns its result: reported without a fix',
      code: `import { Worker } from 'bullmq';\nnew Worker('thumbs', async (job) => {\n  const res = await fetch(job.data.url);\n  return res.status;\n});\n`,
      errors: [{ line: 2, column: 5 }],
      output: null,
    },
    {
      name: 'a catch that only rethrows handles nothing',
      code: `${RATES}setInterval(async () => {\n  try {\n    await syncRates();\n  } catch (error) {\n    throw error;\n  }\n}, 60000);\n`,
      errors: [{ line: 4, column: 1 }],
      output: `${RATES}setInterval(async () => {\n  const started = Date.now();\n  try {\n    try {\n      await syncRates();\n    } catch (error) {\n      throw error;\n    }\n    console.info('job done', { job: 'interval job', ms: Date.now() - started });\n  } catch (err) {\n    console.error('job failed', err, { job: 'interval job', ms: Date.now() - started });\n  }\n}, 60000);\n`,
    },
    {
      name: '`started` already taken: reported without a fix',
      code: `${RATES}setInterval(async () => {\n  const started = new Date();\n  await syncRates();\n  console.log(started);\n}, 1000);\n`,
      errors: [{ line: 4, column: 1 }],
      output: null,
    },
    {
      name: 'a named callback with parameters: the wrapper would drop them, no fix',
      code: `import cron from 'node-cron';\nasync function run(now: Date) {\n  await fetch('https://x?at=' + now.toISOString());\n}\ncron.schedule('0 * * * *', run);\n`,
      errors: [{ line: 5, column: 1 }],
      output: null,
    },
    {
      name: 'work two calls deep is still unhandled',
      code: `${PINO}async function fetchRates() {\n  return fetch('https://rates');\n}\nasync function refresh() {\n  await fetchRates();\n}\nsetInterval(async () => {\n  await refresh();\n}, 1000);\n`,
      errors: [{ line: 9, column: 1, message: "'refresh'" }],
      output: `${PINO}async function fetchRates() {\n  return fetch('https://rates');\n}\nasync function refresh() {\n  await fetchRates();\n}\nsetInterval(async () => {\n  const started = Date.now();\n  try {\n    await refresh();\n    logger.info({ job: 'refresh', ms: Date.now() - started }, 'job done');\n  } catch (err) {\n    logger.error({ err, job: 'refresh', ms: Date.now() - started }, 'job failed');\n  }\n}, 1000);\n`,
    },
    {
      name: 'a project with pino but no logger in the file: a module logger is created',
      deps: ['pino'],
      code: `import { CronJob } from 'cron';\nnew CronJob('0 * * * *', async () => {\n  await fetch('https://x');\n}).start();\n`,
      errors: [{ line: 2, column: 5 }],
      output: `import { CronJob } from 'cron';\nimport pino from 'pino';\n\nconst logger = pino({ name: 'service' });\nnew CronJob('0 * * * *', async () => {\n  const started = Date.now();\n  try {\n    await fetch('https://x');\n    logger.info({ job: 'cron 0 * * * *', ms: Date.now() - started }, 'job done');\n  } catch (err) {\n    logger.error({ err, job: 'cron 0 * * * *', ms: Date.now() - started }, 'job failed');\n  }\n}).start();\n`,
    },
  ],
});
