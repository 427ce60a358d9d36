import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runRule, runRuleTests } from '../harness/ruleTester';
import type { LoggerConvention } from '../../server/src/engine/view';
import { missingCorrelationId } from '../../server/src/rules/missing-correlation-id';

const ex = `import express from 'express';\nimport { logger } from './lib/logger';\nconst app = express();\n`;
/** The project's logger as the Session learns it: `import { appLogger } from '~/services/logger.server'`, message-first. */
const projectLogger: LoggerConvention = {
  module: { kind: 'file', file: '/project/app/services/logger.server.ts' }, exportName: 'appLogger', localName: 'appLogger',
  specifiers: [{ specifier: '~/services/logger.server', count: 40 }], importers: 40, shape: 'message-first',
  error: { kind: 'field', key: 'error' }, errorKey: 'err', warnMethod: 'warn', evidence: { calls: 90, agreeing: 88, files: 40 },
};
const ownLogger = `import express from 'express';\nimport { appLogger } from '~/services/logger.server';\nconst app = express();\n`;
const fa = `import Fastify from 'fastify';\nimport { logger } from './lib/logger';\nconst app = Fastify();\n`;

runRuleTests(missingCorrelationId, {
  valid: [
    { name: 'request id field', code: `${ex}app.get('/a', (req, res) => {\n  logger.info({ reqId: req.id }, 'a');\n  res.end();\n});`, deps: ['express', 'pino'] },
    { name: 'traceId field', code: `${ex}app.get('/a', (req, res) => {\n  logger.info({ traceId, user }, 'a');\n  res.end();\n});`, deps: ['express', 'pino'] },
    { name: 'req.log', code: `${ex}app.get('/a', (req, res) => {\n  req.log.info('a');\n  res.end();\n});`, deps: ['express', 'pino-http'] },
    { name: 'fastify request.log', code: `${fa}app.get('/a', async (request) => {\n  request.log.info('a');\n  return 1;\n});`, deps: ['fastify'] },
    { name: 'child logger in the handler', code: `${ex}app.get('/a', (req, res) => {\n  const log = logger.child({ requestId: req.id });\n  log.info('a');\n  res.end();\n});`, deps: ['express', 'pino'] },
    { name: 'outside a handler', code: `${ex}logger.info('boot');\nexport function job() { logger.info('tick'); }`, deps: ['express', 'pino'] },
    { name: 'project injects ids (cls-rtracer)', code: `${ex}app.get('/a', (req, res) => {\n  logger.info('a');\n  res.end();\n});`, deps: ['express', 'pino', 'cls-rtracer'] },
    { name: 'nestjs-pino injects ids', code: `import { Controller, Get, Logger } from '@nestjs/common';\n@Controller('a')\nexport class A {\n  private readonly logger = new Logger(A.name);\n  @Get()\n  get() { this.logger.log('a'); }\n}`, deps: ['@nestjs/common', 'nestjs-pino'] },
    { name: 'OpenTelemetry pino instrumentation', code: `${ex}app.get('/a', (req, res) => { logger.warn('a'); res.end(); });`, deps: ['express', '@opentelemetry/instrumentation-pino'] },
    { name: 'a spread may carry the id', code: `${ex}app.get('/a', (req, res) => { logger.info({ ...reqContext(req) }, 'a'); res.end(); });`, deps: ['express', 'pino'] },
    { name: 'not a logger', code: `${ex}app.get('/a', (req, res) => { metrics.info('a'); res.end(); });`, deps: ['express'] },
    { name: 'test files', code: `${ex}app.get('/a', (req, res) => { logger.info('a'); res.end(); });`, filename: 'src/a.test.ts', deps: ['express'] },
    { name: 'a handler recognised only by its parameter names', code: `import { logger } from './lib/logger';\nexport function h(req, res) { logger.info('a'); res.end(); }`, deps: ['express'] },
    { name: 'project logger: unknown without the view', code: `${ownLogger}app.get('/a', (req, res) => {\n  appLogger.info('a');\n  res.end();\n});`, deps: ['express'] },
    { name: 'project logger: a same-named binding from another module is not it', code: `import express from 'express';\nimport { appLogger } from './vendor/other';\nconst app = express();\napp.get('/a', (req, res) => {\n  appLogger.info('a');\n  res.end();\n});`, deps: ['express'], view: { logger: projectLogger } },
    { name: 'project logger with a request id field', code: `${ownLogger}app.get('/a', (req, res) => {\n  appLogger.info('a', { requestId: req.id });\n  res.end();\n});`, deps: ['express'], view: { logger: projectLogger } },
    {
      name: 'a handler registered only in development (view.devOnly: a debug router mounted under a NODE_ENV guard elsewhere)',
      code: `${ex}export function mountDebugRoutes() {\n  app.get('/users/:id', async (req, res) => {\n    logger.warn({ id: req.params.id }, 'user not cached');\n    res.end();\n  });\n}\n`,
      deps: ['express', 'pino', 'pino-http'], view: { devOnly: ['mountDebugRoutes'] },
    },
    { name: 'console calls belong to unstructured-log', code: `${ex}app.get('/a', (req, res) => { console.log('a'); res.end(); });`, deps: ['express'] },
  ],
  invalid: [
    {
      name: 'a handler in a function that is not development-only (view.devOnly names another) is reported',
      code: `${ex}export function mountRoutes() {\n  app.get('/users/:id', async (req, res) => {\n    logger.warn({ id: req.params.id }, 'user not cached');\n    res.end();\n  });\n}\n`,
      deps: ['express', 'pino', 'pino-http'],
      view: { devOnly: ['mountDebugRoutes'], requestLoggers: ['req.log'] },
      errors: [{ line: 6, column: 5 }],
      output: `${ex}export function mountRoutes() {\n  app.get('/users/:id', async (req, res) => {\n    req.log.warn({ id: req.params.id }, 'user not cached');\n    res.end();\n  });\n}\n`,
    },
    {
      name: 'Fastify: use request.log',
      code: `${fa}app.post('/orders', async (request, reply) => {\n  logger.info({ orderId: 1 }, 'order created');\n  return reply.code(201).send();\n});\n`,
      deps: ['fastify', 'pino'],
      errors: [{ line: 5, column: 3, endColumn: 14, message: 'carries no request or trace id' }],
      output: `${fa}app.post('/orders', async (request, reply) => {\n  request.log.info({ orderId: 1 }, 'order created');\n  return reply.code(201).send();\n});\n`,
    },
    {
      name: 'Express with pino-http imported by the project (view.requestLoggers): use req.log',
      code: `${ex}app.get('/users/:id', async (req, res) => {\n  logger.warn({ id: req.params.id }, 'user not cached');\n  res.end();\n});\n`,
      deps: ['express', 'pino', 'pino-http'], view: { requestLoggers: ['req.log'] },
      errors: [{ line: 5, column: 3 }],
      output: `${ex}app.get('/users/:id', async (req, res) => {\n  req.log.warn({ id: req.params.id }, 'user not cached');\n  res.end();\n});\n`,
    },
    {
      name: 'Express without pino-http: no fix, the message says how',
      code: `${ex}app.get('/a', (req, res) => {\n  logger.error('a failed');\n  res.end();\n});`,
      deps: ['express', 'pino'],
      errors: [{ line: 5, column: 3, message: "pino-http's req.log" }],
      output: null,
    },
    {
      name: 'router handler, named request parameter',
      code: `import { Router } from 'express';\nimport { logger } from './lib/logger';\nexport const r = Router();\nr.post('/pay', async (request, response) => {\n  logger.info({ amount: 1 }, 'paying');\n  response.end();\n});`,
      deps: ['express', 'pino', 'pino-http'], view: { requestLoggers: ['req.log'] },
      errors: [{ line: 5, column: 3 }],
      output: `import { Router } from 'express';\nimport { logger } from './lib/logger';\nexport const r = Router();\nr.post('/pay', async (request, response) => {\n  request.log.info({ amount: 1 }, 'paying');\n  response.end();\n});`,
    },
    {
      name: 'logger created in the file',
      code: `import express from 'express';\nimport pino from 'pino';\nconst log = pino();\nconst app = express();\napp.get('/x', (req, res) => {\n  log.debug('x');\n  res.end();\n});`,
      deps: ['express', 'pino'],
      errors: [{ line: 6, column: 3 }],
    },
    {
      name: 'two calls in one handler: one finding, its fix rewrites both',
      code: `${fa}app.get('/a', async (request) => {\n  logger.info('start');\n  logger.info('end');\n  return 1;\n});`,
      deps: ['fastify', 'pino'],
      errors: [{ line: 5, column: 3, message: 'logger.info() and 1 more log call in this request handler carry no request or trace id: under load these lines cannot be tied to their request. Use request.log.' }],
      output: `${fa}app.get('/a', async (request) => {\n  request.log.info('start');\n  request.log.info('end');\n  return 1;\n});`,
    },
    {
      name: 'two handlers: one finding each',
      code: `${fa}app.get('/a', async (request) => {\n  logger.info('a');\n  logger.warn('a2');\n  logger.error('a3');\n  return 1;\n});\napp.get('/b', async (req) => {\n  logger.info('b');\n  return 2;\n});`,
      deps: ['fastify', 'pino'],
      errors: [{ line: 5, column: 3, message: 'logger.info() and 2 more log calls in this request handler carry' }, { line: 11, column: 3, message: 'logger.info() in a request handler carries' }],
      fixFor: 0,
      output: `${fa}app.get('/a', async (request) => {\n  request.log.info('a');\n  request.log.warn('a2');\n  request.log.error('a3');\n  return 1;\n});\napp.get('/b', async (req) => {\n  logger.info('b');\n  return 2;\n});`,
    },
    {
      name: 'nested callback inside a handler',
      code: `${fa}app.get('/a', async (request) => {\n  items.forEach((i) => logger.info({ i }, 'item'));\n  return 1;\n});`,
      deps: ['fastify', 'pino'],
      errors: [{ line: 5, column: 24 }],
      output: `${fa}app.get('/a', async (request) => {\n  items.forEach((i) => request.log.info({ i }, 'item'));\n  return 1;\n});`,
    },
    {
      name: 'Express middleware',
      code: `${ex}app.use((req, res, next) => {\n  logger.info({ path: req.path }, 'incoming');\n  next();\n});`,
      deps: ['express', 'pino'],
      errors: [{ line: 5, column: 3 }],
      output: null,
    },
    {
      name: 'winston logger: no req.log rewrite',
      code: `import express from 'express';\nimport winston from 'winston';\nconst logger = winston.createLogger({});\nconst app = express();\napp.get('/a', (req, res) => {\n  logger.info('a');\n  res.end();\n});`,
      deps: ['express', 'winston', 'pino-http'],
      errors: [{ line: 6, column: 3 }],
      output: null,
    },
    {
      name: 'a field named id is not a request id',
      code: `${fa}app.get('/a', async (request) => {\n  logger.info({ id: 3 }, 'x');\n  return 1;\n});`,
      deps: ['fastify', 'pino'],
      errors: [{ line: 5, column: 3 }],
      output: `${fa}app.get('/a', async (request) => {\n  request.log.info({ id: 3 }, 'x');\n  return 1;\n});`,
    },
    {
      name: 'project logger from the view (alias import), no request logger known: no fix',
      code: `${ownLogger}app.get('/a', (req, res) => {\n  appLogger.info('a');\n  res.end();\n});`,
      deps: ['express'], view: { logger: projectLogger },
      errors: [{ line: 5, column: 3, endColumn: 17, message: 'appLogger.info() in a request handler carries no request or trace id' }],
      output: null,
    },
    {
      name: 'project handlers already log through req.log (view.requestLoggers): the fix uses it without pino-http',
      code: `${ownLogger}app.get('/a', (request, res) => {\n  appLogger.warn('slow');\n  res.end();\n});`,
      deps: ['express'], view: { logger: projectLogger, requestLoggers: ['req.log', 'server.log'] },
      errors: [{ line: 5, column: 3, message: 'Use request.log.' }],
      output: `${ownLogger}app.get('/a', (request, res) => {\n  request.log.warn('slow');\n  res.end();\n});`,
    },
    {
      name: 'an instance logger (server.log) in view.requestLoggers is not a request logger',
      code: `${ex}app.get('/a', (req, res) => {\n  logger.error('a failed');\n  res.end();\n});`,
      deps: ['express', 'pino'], view: { requestLoggers: ['server.log'] },
      errors: [{ line: 5, column: 3, message: "pino-http's req.log" }],
      output: null,
    },
    {
      name: 'JS file, CommonJS',
      code: `const fastify = require('fastify')();\nconst { logger } = require('./log');\nfastify.get('/a', async (req) => {\n  logger.info('a');\n  return 1;\n});`,
      filename: 'src/a.js',
      deps: ['fastify', 'pino'],
      errors: [{ line: 4, column: 3 }],
      output: `const fastify = require('fastify')();\nconst { logger } = require('./log');\nfastify.get('/a', async (req) => {\n  req.log.info('a');\n  return 1;\n});`,
    },
  ],
});

/** The fixes offered, in order, with their flags: P = preferred, S = safe. */
function offered(code: string, deps: string[]): string[] {
  const [f] = runRule(missingCorrelationId, { code, deps });
  assert.ok(f, 'expected a finding');
  return f.fixes.map((x) => `${x.isPreferred ? 'P' : '-'}${x.safe ? 'S' : '-'} ${x.title}`);
}

describe('missing-correlation-id: req.log only where it exists (issue 14, fix type-check)', () => {
  const route = `app.get('/users/:id', async (req, res) => {\n  logger.warn({ id: req.params.id }, 'user not cached');\n  res.end();\n});\n`;
  it('a pino-http dependency no file imports: no req.log fix, the message says to mount it', () => {
    // unmounted, req.log is undefined at run time and "Property 'log' does not exist" for tsc
    const [f] = runRule(missingCorrelationId, { code: `${ex}${route}`, deps: ['express', 'pino', 'pino-http'] });
    assert.deepEqual(f.fixes, []);
    assert.equal(f.message, "logger.warn() in a request handler carries no request or trace id: under load this line cannot be tied to its request. Use req.log once pino-http is mounted (app.use(pinoHttp())): no file of this project imports it.");
  });
  it('pino-http mounted in this file: req.log is preferred and safe', () => {
    const code = `import express from 'express';\nimport pinoHttp from 'pino-http';\nimport { logger } from './lib/logger';\nconst app = express();\napp.use(pinoHttp({ logger }));\n${route}`;
    assert.deepEqual(offered(code, ['express', 'pino', 'pino-http']), ['PS Log through req.log (carries the request id)']);
  });
});
