import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runRule, runRuleTests } from '../harness/ruleTester';
import { unstructuredLog } from '../../server/src/rules/unstructured-log';
import type { LoggerConvention } from '../../server/src/engine/view';

/** A Remix-style project logger: `~/services/logger.server`, message-first, the error under `error`, warnings through `warning`. */
const remixLogger: LoggerConvention = {
  module: { kind: 'file', file: '/project/app/services/logger.server.ts' }, exportName: 'logger', localName: 'logger',
  specifiers: [{ specifier: '~/services/logger.server', count: 311 }], importers: 311, shape: 'message-first',
  error: { kind: 'field', key: 'error' }, errorKey: 'error', warnMethod: 'warning', evidence: { calls: 40, agreeing: 40, files: 30 },
};
const withLogger = { logger: remixLogger };

const pinoFile = `import { logger } from './lib/logger';\n`;

runRuleTests(unstructuredLog, {
  valid: [
    `logger.info({ orderId }, 'order created');`,
    { name: 'test files', code: `console.log(result);`, filename: 'src/orders.test.ts' },
    { name: 'scripts', code: `console.log('migrated');`, filename: 'scripts/migrate.ts' },
    { name: 'CLIs with a shebang', code: `#!/usr/bin/env node\nconsole.log('usage: x');`, filename: 'src/cli.ts' },
    { name: 'browser code', code: `'use client';\nexport function C() { console.log('render'); return null; }`, filename: 'app/c.tsx' },
    { name: 'frontend package', code: `console.warn('deprecated prop');`, filename: '/project/src/Button.ts', deps: ['react'] },
    { name: 'the logger implementation itself', code: `export const logger = { info: (m: string) => console.log(m) };`, filename: 'src/lib/logger.ts' },
    { name: 'a file that implements the project logger', code: `class Logger {\n  info(msg: string) { console.log(new Date().toISOString(), 'INFO', msg); }\n}\nexport const log = new Logger();`, filename: 'src/util.ts' },
    { name: 'static assets served to browsers', code: `self.addEventListener('install', () => console.log('sw installed'));`, filename: 'public/serviceWorker.js' },
    { name: 'a command-line program reading process.argv', code: `const [, , user] = process.argv;\nconsole.log('resetting', user);`, filename: 'src/reset-password.js' },
    { name: 'a command-line package (bin, no server) prints to the terminal', code: `console.log('Created app');`, filename: '/project/src/commands/init.ts', deps: ['commander'], packageJson: { bin: { mytool: 'dist/cli.js' } } },
    { name: 'a library package (no server, database or logger dependency)', code: `console.log('Discovered workflow', id);`, filename: '/project/src/discover.ts', deps: ['chalk', 'ajv'] },
    { name: 'Remix/React Router .client modules run in the browser', code: `console.warn('bad event', line);`, filename: 'app/server/api/detect.client.ts' },
    { name: 'seed scripts', code: `console.log('seeded');`, filename: 'packages/prisma/seed-database.ts' },
    { name: 'a logging module folder', code: `export function info(m: string) { console.log(m); }`, filename: 'libs/common/src/logging/index.ts' },
    { name: 'console.table is a developer tool', code: `console.table(rows);` },
    { name: 'console.time', code: `console.time('load'); console.timeEnd('load');` },
    { name: 'console.dir', code: `console.dir(obj, { depth: 3 });` },
    { name: 'a local variable named console', code: `const console = makeConsole();\nconsole.log('x');` },
    { name: 'CLI entry block', code: `if (require.main === module) {\n  console.log('listening');\n}`, filename: 'src/server.js' },
    { name: 'process exit handlers write synchronously', code: `process.on('exit', (code) => {\n  console.log('exiting with', code);\n});` },
    { name: 'code that runs inside the browser page', code: `const title = await page.evaluate(() => {\n  console.log('in page');\n  return document.title;\n});` },
    { name: 'development-only branch', code: `if (process.env.NODE_ENV !== 'production') {\n  console.log('query', sql);\n}` },
    { name: 'NODE_ENV === development', code: `if (process.env.NODE_ENV === 'development') console.debug(req.headers);` },
    { name: 'debug flag with &&', code: `config.debug && console.log('payload', body);` },
    { name: 'CLI entry written with == and import.meta.main', code: `if (require.main == module) console.log('ok');\nif (import.meta.main) console.log('ok');`, filename: 'src/server.ts' },
    { name: 'console.assert and console.group are not log lines', code: `console.assert(ok, 'broken');\nconsole.group('x');\nconsole.groupEnd();` },
    { name: 'console.count', code: `console.count('hits');` },
    { name: 'a cli/ folder is a command-line program (parse-server src/cli)', code: `console.log('  Usage: parse-server <config>');`, filename: 'src/cli/parse-server.js', deps: ['express'] },
    { name: 'a ci/ folder is CI tooling', code: `console.log(\`✅ CI environment uses the latest version\`);`, filename: 'ci/CiVersionCheck.js', deps: ['express'] },
    { name: 'a logging flag gates diagnostic output (ghostfolio ENABLE_LOGGING)', code: `if (PortfolioCalculator.ENABLE_LOGGING) {\n  console.log('totalInvestment', totalInvestment.toNumber());\n}` },
    { name: 'a blank console line carries nothing to move', code: `console.log();\nconsole.log('');` },
    { name: 'suppressed', code: `// failpath-disable-next-line unstructured-log -- printed for the operator\nconsole.log(banner);` },
    // ---- issue 14 patterns, with the project known (ctx.view) ----
    { name: 'browser code: a module the Session classifies as browser', code: `console.log('clicked');`, filename: '/project/app/components/Button.ts', view: { role: 'browser' } },
    { name: 'browser code: a React component span inside a server route module', code: `export function loader() { return null; }\nexport default function Page() {\n  console.log('render');\n  return null;\n}`, filename: '/project/app/routes/orders.ts', view: { browserSpans: [{ pos: 43, end: 112 }] } },
    { name: 'test helpers without .test in their name', code: `console.log('seeding users');`, filename: '/project/e2e/helpers/seed.ts', view: { role: 'test' } },
    { name: 'a one-off in a package under the workspace scripts folder (the Session says script)', code: `import pg from 'pg';\nconsole.log('backfilled', await new pg.Pool().query('select 1'));`, filename: '/project/scripts/one-off/backfill/run.ts', deps: ['pg'], view: { role: 'script' } },
    { name: 'an isomorphic workspace library (view.shared: browser and server code both import it)', code: `import * as Y from 'yjs';\nexport function apply(doc: Y.Doc, u: Uint8Array) { try { Y.applyUpdate(doc, u); } catch (e) { console.error('bad update', e); } }`, filename: '/project/commons/src/sync.ts', deps: ['yjs', 'express'], view: { shared: true } },
    { name: 'a console line inside a dev-guarded branch named isLocalDev', code: `import express from 'express';\nif (isLocalDev) console.log('routes', express);`, deps: ['express'] },
    { name: 'a console line inside a !isProduction branch', code: `import express from 'express';\nif (!isProduction) { console.log('routes', express); }`, deps: ['express'] },
    { name: 'bootstrap files: telemetry or config preload before any logger exists', code: `console.error('OTEL exporter url missing');`, filename: '/project/src/instrumentation.ts', view: { role: 'bootstrap' } },
    { name: 'just before process.exit', code: `${pinoFile}if (!config.databaseUrl) {\n  console.error('DATABASE_URL is not set');\n  process.exit(1);\n}` },
    { name: 'just before process.exit, several console lines in a row', code: `${pinoFile}function fatal(err: Error) {\n  console.error('fatal', err.message);\n  console.error(err.stack);\n  process.exit(1);\n}` },
    { name: 'eslint-disable-next-line no-console', code: `${pinoFile}// eslint-disable-next-line no-console\nconsole.log('listening on', port);` },
    { name: 'eslint-disable-line no-console', code: `${pinoFile}console.log('listening on', port); // eslint-disable-line no-console` },
    { name: 'a file-wide eslint-disable no-console', code: `/* eslint-disable no-console */\n${pinoFile}console.log('listening on', port);` },
    { name: 'dev guards under other names: isLocalDev', code: `${pinoFile}if (isLocalDev) console.log('payload', body);` },
    { name: 'dev guards under other names: !isProduction', code: `${pinoFile}if (!env.isProduction) {\n  console.debug('query', sql);\n}` },
    { name: 'the project logger module itself (view.logger)', code: `export const logger = { warning: (m: string) => console.warn(m) };`, filename: '/project/app/services/logger.server.ts', view: withLogger },
  ],
  invalid: [
    {
      name: 'the same console line in a library only the back end imports (view.shared absent) is a service log',
      code: `import * as Y from 'yjs';\nexport function apply(doc: Y.Doc, u: Uint8Array) { try { Y.applyUpdate(doc, u); } catch (e) { console.error('bad update', e); } }`,
      filename: '/project/commons/src/sync.ts', deps: ['yjs', 'express'],
      errors: [{ line: 2, column: 95, endColumn: 108, message: 'console.error() writes an unstructured line' }],
    },
    {
      name: 'a script role is decided by the Session: the same one-off in a service package is a service log',
      code: `import pg from 'pg';\nconsole.log('backfilled', await new pg.Pool().query('select 1'));`,
      filename: '/project/packages/api/src/backfill.ts', deps: ['pg'], view: { role: 'server' },
      errors: [{ line: 2, column: 1, endColumn: 12, message: 'console.log() writes an unstructured line' }],
    },
    {
      name: 'process.exit after another statement is not just after the console line',
      code: `${pinoFile}console.error('shutting down');\nawait server.close();\nconsole.error('closed');\nprocess.exit(0);`,
      errors: [{ line: 2, column: 1 }],
      output: `${pinoFile}logger.error('shutting down');\nawait server.close();\nconsole.error('closed');\nprocess.exit(0);`,
    },
    {
      name: 'pino logger imported in the file: object first',
      code: `${pinoFile}export function charge(orderId: string, err: unknown) {\n  console.error('charge failed', err, orderId);\n}\n`,
      deps: ['pino'],
      errors: [{ line: 3, column: 3, endColumn: 16, message: 'console.error() writes an unstructured line' }],
      output: `${pinoFile}export function charge(orderId: string, err: unknown) {\n  logger.error({ err, orderId }, 'charge failed');\n}\n`,
    },
    {
      name: 'console.log → info with a template message kept as written',
      code: `${pinoFile}console.log(\`order \${id} created\`, { total });`,
      errors: [{ line: 2, column: 1 }],
      output: `${pinoFile}logger.info({ total }, \`order \${id} created\`);`,
    },
    {
      name: 'property access becomes a named field',
      code: `${pinoFile}console.info('creating order', req.body);`,
      errors: [{ line: 2, column: 1 }],
      output: `${pinoFile}logger.info({ body: req.body }, 'creating order');`,
    },
    {
      name: 'warn and debug levels',
      code: `${pinoFile}console.warn('slow query', ms);\nconsole.debug('cache hit', key);`,
      errors: [{ line: 2, column: 1 }, { line: 3, column: 1 }],
      fixFor: 1,
      output: `${pinoFile}console.warn('slow query', ms);\nlogger.debug({ key }, 'cache hit');`,
    },
    {
      name: 'an error with no message gets the function name',
      code: `${pinoFile}async function syncStock() {\n  try { await pull(); } catch (e) { console.error(e); }\n}`,
      errors: [{ line: 3, column: 37 }],
      output: `${pinoFile}async function syncStock() {\n  try { await pull(); } catch (e) { logger.error({ err: e }, 'syncStock failed'); }\n}`,
    },
    {
      name: 'new Error goes to the error key',
      code: `${pinoFile}console.error('bad state', new Error('x'));`,
      errors: [{ line: 2, column: 1 }],
      output: `${pinoFile}logger.error({ err: new Error('x') }, 'bad state');`,
    },
    {
      name: 'winston: message first, error key "error"',
      code: `import winston from 'winston';\nconst logger = winston.createLogger({});\nconsole.error('payment failed', err);`,
      deps: ['winston'],
      errors: [{ line: 3, column: 1 }],
      output: `import winston from 'winston';\nconst logger = winston.createLogger({});\nlogger.error('payment failed', { error: err });`,
    },
    {
      name: 'bunyan in the file',
      code: `import bunyan from 'bunyan';\nconst log = bunyan.createLogger({ name: 'api' });\nconsole.info('started', port);`,
      deps: ['bunyan'],
      errors: [{ line: 3, column: 1 }],
      output: `import bunyan from 'bunyan';\nconst log = bunyan.createLogger({ name: 'api' });\nlog.info({ port }, 'started');`,
    },
    {
      name: 'pino in package.json but no logger in the file: creates a module logger',
      code: `import express from 'express';\n\nconsole.log('booting');\n`,
      filename: 'src/app.ts',
      deps: ['pino', 'express'],
      errors: [{ line: 3, column: 1 }],
      output: `import express from 'express';\nimport pino from 'pino';\n\nconst logger = pino({ name: 'app' });\n\nlogger.info('booting');\n`,
    },
    {
      name: 'project logger module (pino): imported by relative path instead of creating a second logger',
      code: `import express from 'express';\n\nconsole.error('payment failed', err);\n`,
      filename: 'src/routes/pay.ts',
      deps: ['pino', 'express'],
      local: { logger: { file: '/project/src/lib/logger.ts', name: 'logger', library: 'pino' } },
      errors: [{ line: 3, column: 1 }],
      fixTitle: /logger from \.\.\/lib\/logger \(pino\)/,
      output: `import express from 'express';\nimport { logger } from '../lib/logger';\n\nlogger.error({ err }, 'payment failed');\n`,
    },
    {
      name: 'project logger module (winston default export) in a CommonJS file: required, message first, double quotes, no semicolons',
      code: `const express = require("express")\nconsole.warn("slow query", ms)\n`,
      filename: 'src/db/query.js',
      deps: ['winston'],
      local: { logger: { file: '/project/src/logger.js', name: 'default', library: 'winston' } },
      errors: [{ line: 2, column: 1 }],
      output: `const express = require("express")\nconst logger = require("../logger")\nlogger.warn("slow query", { ms })\n`,
    },
    {
      name: 'project logger module (bunyan) from an ESM file that writes .js extensions',
      code: `import { db } from './db.js';\nconsole.info('ready', port);\n`,
      filename: 'src/server.ts',
      deps: ['bunyan'],
      local: { logger: { file: '/project/src/log.ts', name: 'log', library: 'bunyan' } },
      errors: [{ line: 2, column: 1 }],
      output: `import { db } from './db.js';\nimport { log } from './log.js';\nlog.info({ port }, 'ready');\n`,
    },
    {
      name: 'project logger already imported: its library decides the argument order (winston), not assumed',
      code: `import { logger } from '../lib/logger';\nconsole.error('payment failed', err);\n`,
      filename: 'src/routes/pay.ts',
      local: { logger: { file: '/project/src/lib/logger.ts', name: 'logger', library: 'winston' } },
      errors: [{ line: 2, column: 1 }],
      fixTitle: /logger \(winston\)/,
      output: `import { logger } from '../lib/logger';\nlogger.error('payment failed', { error: err });\n`,
    },
    {
      name: 'winston in package.json, CommonJS file',
      code: `const express = require('express');\nconsole.warn('no cache configured');\n`,
      filename: 'src/app.js',
      deps: ['winston'],
      errors: [{ line: 2, column: 1 }],
      output: `const express = require('express');\nconst winston = require('winston');\n\nconst logger = winston.createLogger({ format: winston.format.json(), defaultMeta: { module: 'app' }, transports: [new winston.transports.Console()] });\nlogger.warn('no cache configured');\n`,
    },
    {
      name: 'logger from settings with an import',
      code: `import { db } from './db';\nconsole.error('query failed', err);`,
      settings: { logger: { import: './lib/log', name: 'log', style: 'pino' } },
      errors: [{ line: 2, column: 1 }],
      output: `import { db } from './db';\nimport { log } from './lib/log';\nlog.error({ err }, 'query failed');`,
    },
    {
      name: 'settings logger in a CommonJS file with double quotes and no semicolons',
      code: `const db = require("./db")\nconsole.error("query failed", err)\n`,
      filename: 'src/q.js',
      settings: { logger: { import: './lib/log', name: 'log', style: 'winston' } },
      errors: [{ line: 2, column: 1 }],
      output: `const db = require("./db")\nconst { log } = require("./lib/log")\nlog.error("query failed", { error: err })\n`,
    },
    {
      name: 'NestJS logger member in the class',
      code: `import { Injectable, Logger } from '@nestjs/common';\n@Injectable()\nexport class Orders {\n  private readonly logger = new Logger(Orders.name);\n  fail(err: unknown) {\n    console.error('order failed', err);\n  }\n}`,
      deps: ['@nestjs/common'],
      errors: [{ line: 6, column: 5 }],
      output: `import { Injectable, Logger } from '@nestjs/common';\n@Injectable()\nexport class Orders {\n  private readonly logger = new Logger(Orders.name);\n  fail(err: unknown) {\n    this.logger.error('order failed', err instanceof Error ? err.stack : String(err));\n  }\n}`,
    },
    {
      name: 'no logger anywhere: offers to configure one, never imports a package',
      code: `console.log('ready');`,
      errors: [{ line: 1, column: 1 }],
      output: null,
    },
    {
      name: 'arrow body console call',
      code: `${pinoFile}app.listen(port, () => console.log('listening', port));`,
      errors: [{ line: 2, column: 24 }],
      output: `${pinoFile}app.listen(port, () => logger.info({ port }, 'listening'));`,
    },
    {
      name: 'value used: no fix',
      code: `${pinoFile}const r = console.log('x') ?? 1;`,
      errors: [{ line: 2, column: 11 }],
      output: null,
    },
    {
      name: 'spread arguments: no fix',
      code: `${pinoFile}console.log(...args);`,
      errors: [{ line: 2, column: 1 }],
      output: null,
    },
    {
      name: 'console.trace maps to debug',
      code: `${pinoFile}console.trace('enter', fn);`,
      errors: [{ line: 2, column: 1 }],
      output: `${pinoFile}logger.debug({ fn }, 'enter');`,
    },
    {
      name: 'generic property names keep their owner: a.id → aId',
      code: `${pinoFile}console.log('pair', a.id, b.id);`,
      errors: [{ line: 2, column: 1 }],
      output: `${pinoFile}logger.info({ aId: a.id, bId: b.id }, 'pair');`,
    },
    {
      name: 'printf format: %s/%d become a template message',
      code: `${pinoFile}app.listen(port, () => {\n  console.log('listening on %s:%d', host, port);\n});`,
      errors: [{ line: 3, column: 3 }],
      output: `${pinoFile}app.listen(port, () => {\n  logger.info(\`listening on \${host}:\${port}\`);\n});`,
    },
    {
      name: 'printf format with an error: the error also goes to the error key',
      code: `${pinoFile}console.error('sync failed: %s', err);`,
      errors: [{ line: 2, column: 1 }],
      output: `${pinoFile}logger.error({ err }, \`sync failed: \${err}\`);`,
    },
    {
      name: 'printf %o prints an object: no fix rather than a wrong message',
      code: `${pinoFile}console.log('config %o', cfg);`,
      errors: [{ line: 2, column: 1 }],
      output: null,
    },
    {
      name: 'err.stack logs the whole error under the error key',
      code: `${pinoFile}async function refresh() {\n  try { await sync(); } catch (e) { console.error(e.stack); }\n}`,
      errors: [{ line: 3, column: 37 }],
      output: `${pinoFile}async function refresh() {\n  try { await sync(); } catch (e) { logger.error({ err: e }, 'refresh failed'); }\n}`,
    },
    {
      name: 'the trailing colon of "failed:" goes with the value it introduced',
      code: `${pinoFile}console.error('Error updating run:', error.message);`,
      errors: [{ line: 2, column: 1 }],
      output: `${pinoFile}logger.error({ err: error }, 'Error updating run');`,
    },
    {
      name: 'object literal properties become fields, an error property the error key',
      code: `${pinoFile}console.error('charge failed', { error: e, orderId, amount: cart.total });`,
      errors: [{ line: 2, column: 1 }],
      output: `${pinoFile}logger.error({ err: e, orderId, amount: cart.total }, 'charge failed');`,
    },
    {
      name: 'a field named like a pino key is renamed (time, level)',
      code: `${pinoFile}console.log('job done', time, rows.length);`,
      errors: [{ line: 2, column: 1 }],
      output: `${pinoFile}logger.info({ timeValue: time, rowsLength: rows.length }, 'job done');`,
    },
    {
      name: 'a lone msg variable is the message',
      code: `${pinoFile}export function report(msg: string) {\n  console.warn(msg);\n}`,
      errors: [{ line: 3, column: 3 }],
      output: `${pinoFile}export function report(msg: string) {\n  logger.warn(msg);\n}`,
    },
    {
      name: 'a lone value becomes a field, the function names the line',
      code: `${pinoFile}export async function handle(job: Job) {\n  console.log(job.data);\n}`,
      errors: [{ line: 3, column: 3 }],
      output: `${pinoFile}export async function handle(job: Job) {\n  logger.info({ jobData: job.data }, 'handle');\n}`,
    },
    {
      name: 'a project logger imported in a winston project speaks winston',
      code: `import { logger } from './logger';\nconsole.info('user created', userId);`,
      deps: ['winston', 'express'],
      errors: [{ line: 2, column: 1 }],
      output: `import { logger } from './logger';\nlogger.info('user created', { userId });`,
    },
    {
      name: 'settings name the style of the logger already imported (no second import)',
      code: `import { log } from '../log';\nconsole.error('refund failed', err, { refundId });`,
      settings: { logger: { import: '../log', name: 'log', style: 'winston' } },
      errors: [{ line: 2, column: 1 }],
      output: `import { log } from '../log';\nlog.error('refund failed', { error: err, refundId });`,
    },
    {
      name: 'winston: a field named message is renamed',
      code: `import winston from 'winston';\nconst logger = winston.createLogger({});\nconsole.log('received', message, level);`,
      deps: ['winston'],
      errors: [{ line: 3, column: 1 }],
      output: `import winston from 'winston';\nconst logger = winston.createLogger({});\nlogger.info('received', { messageValue: message, levelValue: level });`,
    },
    {
      name: 'bunyan in package.json, CommonJS: creates a module logger',
      code: `'use strict';\nconst { Pool } = require('pg');\n\nconsole.error('pool error', err);\n`,
      filename: 'src/db.js',
      deps: ['bunyan', 'pg'],
      errors: [{ line: 4, column: 1 }],
      output: `'use strict';\nconst { Pool } = require('pg');\nconst bunyan = require('bunyan');\n\nconst logger = bunyan.createLogger({ name: 'db' });\n\nlogger.error({ err }, 'pool error');\n`,
    },
    {
      name: 'NestJS: fields go in an object message',
      code: `import { Injectable, Logger } from '@nestjs/common';\n@Injectable()\nexport class Reports {\n  private readonly logger = new Logger(Reports.name);\n  run(ms: number) {\n    console.warn('slow report', ms);\n  }\n}`,
      deps: ['@nestjs/common'],
      errors: [{ line: 6, column: 5 }],
      output: `import { Injectable, Logger } from '@nestjs/common';\n@Injectable()\nexport class Reports {\n  private readonly logger = new Logger(Reports.name);\n  run(ms: number) {\n    this.logger.warn({ message: 'slow report', ms });\n  }\n}`,
    },
    {
      name: 'NestJS: an error below error level keeps its message',
      code: `import { Injectable, Logger } from '@nestjs/common';\n@Injectable()\nexport class Mailer {\n  private readonly logger = new Logger(Mailer.name);\n  retry(err: unknown) {\n    console.warn('retrying send', err);\n  }\n}`,
      deps: ['@nestjs/common'],
      errors: [{ line: 6, column: 5 }],
      output: `import { Injectable, Logger } from '@nestjs/common';\n@Injectable()\nexport class Mailer {\n  private readonly logger = new Logger(Mailer.name);\n  retry(err: unknown) {\n    this.logger.warn({ message: 'retrying send', error: err instanceof Error ? err.message : String(err) });\n  }\n}`,
    },
    {
      name: 'the production branch is still reported',
      code: `${pinoFile}if (process.env.NODE_ENV === 'production') {\n  console.log('using live keys');\n}`,
      errors: [{ line: 3, column: 3 }],
      output: `${pinoFile}if (process.env.NODE_ENV === 'production') {\n  logger.info('using live keys');\n}`,
    },
    {
      name: 'a process signal handler is not an exit handler',
      code: `${pinoFile}process.on('SIGTERM', () => console.log('draining'));`,
      errors: [{ line: 2, column: 29 }],
      output: `${pinoFile}process.on('SIGTERM', () => logger.info('draining'));`,
    },
    {
      name: 'node code around page.evaluate is still service code',
      code: `${pinoFile}const t = await page.evaluate(() => document.title);\nconsole.log('title', t);`,
      errors: [{ line: 3, column: 1 }],
      output: `${pinoFile}const t = await page.evaluate(() => document.title);\nlogger.info({ t }, 'title');`,
    },
    {
      name: 'NestJS in package.json, a class without a logger: adds the class logger',
      code: `import { Controller, Get } from '@nestjs/common';\n\n@Controller('rates')\nexport class RatesController {\n  @Get()\n  list() {\n    console.log('listing rates', this.base);\n    return this.rates;\n  }\n}\n`,
      deps: ['@nestjs/common'],
      errors: [{ line: 7, column: 5 }],
      output: `import { Controller, Get, Logger } from '@nestjs/common';\n\n@Controller('rates')\nexport class RatesController {\n  private readonly logger = new Logger(RatesController.name);\n  @Get()\n  list() {\n    this.logger.log({ message: 'listing rates', base: this.base });\n    return this.rates;\n  }\n}\n`,
    },
    {
      name: 'NestJS, a static method: a module logger (this is the class there)',
      code: `import { Injectable } from '@nestjs/common';\n\n@Injectable()\nexport class Codes {\n  static parse(code: string) {\n    console.warn('legacy code', code);\n  }\n}\n`,
      filename: 'src/codes.service.ts',
      deps: ['@nestjs/common'],
      errors: [{ line: 6, column: 5 }],
      output: `import { Injectable, Logger } from '@nestjs/common';\n\nconst logger = new Logger('codes.service');\n\n@Injectable()\nexport class Codes {\n  static parse(code: string) {\n    logger.warn({ message: 'legacy code', code });\n  }\n}\n`,
    },
    {
      name: 'a Logger name taken by something else: no Nest import over it',
      code: `import { Logger } from './my-logger';\nexport class Codes {\n  run() {\n    console.info('start');\n  }\n}\n`,
      deps: ['@nestjs/common'],
      errors: [{ line: 4, column: 5 }],
      output: null,
    },
    {
      name: 'a message that is a name labels the value after it',
      code: `${pinoFile}console.log('order.quantity', order.quantity.toNumber());`,
      errors: [{ line: 2, column: 1 }],
      output: `${pinoFile}logger.info({ orderQuantity: order.quantity.toNumber() }, 'order.quantity');`,
    },
    {
      name: 'printf format keeps the escapes as written (uptime-kuma colour codes)',
      code: `${pinoFile}console.error("\\x1b[31m%s\\x1b[0m", \`Error: Node \${nodeVersion} is not supported\`);`,
      errors: [{ line: 2, column: 1 }],
      output: `${pinoFile}logger.error(\`\\x1b[31m\${\`Error: Node \${nodeVersion} is not supported\`}\\x1b[0m\`);`,
    },
    {
      name: 'printf format: backticks and ${ in the string stay literal text',
      code: `${pinoFile}console.log('cost \${raw} is %d \`units\`', n);`,
      errors: [{ line: 2, column: 1 }],
      output: `${pinoFile}logger.info(\`cost \\\${raw} is \${n} \\\`units\\\`\`);`,
    },
    // ---- with the project's learned logger (ctx.view.logger) ----
    {
      name: 'logger.warning: the project logger called with its own warn method and shape, imported through its alias',
      code: `export async function loader(id: string) {\n  console.warn('order missing', id);\n}\n`,
      filename: '/project/app/routes/orders.ts',
      view: withLogger,
      errors: [{ line: 2, column: 3 }],
      output: `import { logger } from '~/services/logger.server';\nexport async function loader(id: string) {\n  logger.warning('order missing', { id });\n}\n`,
    },
    {
      name: 'a file-level logger variable is not taken for the logger implementation when the Session knows the logger module',
      code: `import { logger as base } from '~/services/logger.server';\nconst logger = base;\nexport function f(err: unknown) {\n  console.error('f failed', err);\n}\n`,
      filename: '/project/app/models/f.server.ts',
      view: withLogger,
      errors: [{ line: 4, column: 3 }],
      output: `import { logger as base } from '~/services/logger.server';\nconst logger = base;\nexport function f(err: unknown) {\n  base.error('f failed', { error: err });\n}\n`,
    },
  ],
});


describe('unstructured-log: no logger known', () => {
  it('offers a command that opens the failpath.logger setting, and no edit', () => {
    const [finding] = runRule(unstructuredLog, { code: `import express from 'express';\nconsole.log('ready');\n`, deps: ['express'] });
    assert.deepEqual(finding.fixes, [{
      title: 'Configure a structured logger for Failpath (failpath.logger) — no logger found in this project',
      edits: [],
      command: { title: 'Open failpath.logger setting', command: 'workbench.action.openSettings', arguments: ['failpath.logger'] },
    }]);
  });

  it('never imports a logger package the project does not depend on', () => {
    for (const code of [`console.error('x', err);`, `const a = require('a');\nconsole.warn('y');`]) {
      const [finding] = runRule(unstructuredLog, { code, filename: 'src/a.js', deps: ['express'] });
      assert.deepEqual(finding.fixes.flatMap((f) => f.edits), []);
    }
  });
});

describe('unstructured-log: a project logger that cannot be reached here', () => {
  it('no edit and no "no logger found" title when view.logger exists (an injected logger class, outside its class)', () => {
    const injected: LoggerConvention = { ...remixLogger, module: { kind: 'file', file: '/project/src/app-logger.ts' }, exportName: 'AppLogger', localName: 'AppLogger', factory: { binding: 'this.logger', argument: 'module-name' }, specifiers: [{ specifier: './app-logger', count: 4 }] };
    const [finding] = runRule(unstructuredLog, { code: `export function boot() {\n  console.log('ready');\n}\n`, filename: '/project/src/boot.ts', deps: ['express'], view: { logger: injected } });
    assert.deepEqual(finding.fixes, []);
  });
});

describe('unstructured-log: how sure the fix is of the logger', () => {
  const code = `const { log } = require('../src/util');\nconsole.log('Welcome');\n`;
  it('a custom logger with no logger library: the fix is offered, not safe, and the title says it guesses', () => {
    const [finding] = runRule(unstructuredLog, { code, filename: 'server/server.js', deps: ['express'] });
    assert.equal(finding.fixes.length, 1);
    assert.equal(finding.fixes[0].title, 'Log with log (assuming pino-style arguments; set failpath.logger to confirm)');
    assert.equal(finding.fixes[0].safe, false);
  });
  it('the same logger named in failpath.logger: safe', () => {
    const [finding] = runRule(unstructuredLog, { code, filename: 'server/server.js', deps: ['express'], settings: { logger: { name: 'log', style: 'bunyan' } } });
    assert.equal(finding.fixes[0].title, 'Log with log (bunyan)');
    assert.equal(finding.fixes[0].safe, true);
  });
  it('a project logger in a pino project: safe', () => {
    const [finding] = runRule(unstructuredLog, { code, filename: 'server/server.js', deps: ['express', 'pino'] });
    assert.equal(finding.fixes[0].safe, true);
  });
});
