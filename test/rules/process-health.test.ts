import { runRuleTests } from '../harness/ruleTester';
import { processHealth } from '../../server/src/rules/process-health';

const imp = `import express from 'express';\nimport { logger } from './lib/logger';\nconst app = express();\n`;
const deps = ['express', 'pino'];

runRuleTests(processHealth, {
  valid: [
    { name: 'shutdown and error handlers in the file', code: `${imp}const server = app.listen(3000);\nprocess.on('SIGTERM', () => server.close());\nprocess.on('unhandledRejection', (r) => logger.error({ err: r }, 'x'));`, deps },
    { name: 'SIGINT and uncaughtException count too', code: `${imp}const server = app.listen(3000);\nprocess.once('SIGINT', () => server.close());\nprocess.on('uncaughtException', (e) => logger.error({ err: e }, 'x'));`, deps },
    { name: 'no listen call: not the entry file', code: `${imp}app.get('/x', (req, res) => res.end());\nexport default app;`, deps },
    { name: 'a router listen-alike is not an app', code: `import { Router } from 'express';\nconst r = Router();\nr.listen?.(3000);`, deps },
    { name: 'handlers and a health route in other files (project index)', code: `${imp}app.listen(3000);`, deps, withSignals: { processEvents: ['SIGTERM', 'uncaughtException'], healthRoutes: 1 } },
    { name: 'NestJS with shutdown hooks and handlers', code: `import { NestFactory } from '@nestjs/core';\nimport { AppModule } from './app.module';\nasync function bootstrap() {\n  const app = await NestFactory.create(AppModule);\n  app.enableShutdownHooks();\n  process.on('unhandledRejection', (r) => console.error(r));\n  await app.listen(3000);\n}\nbootstrap();`, deps: ['@nestjs/core', '@nestjs/common'] },
    { name: 'test files are skipped', code: `${imp}app.listen(0);`, filename: 'src/app.test.ts', deps },
    { name: 'scripts are skipped', code: `${imp}app.listen(0);`, filename: 'scripts/dev-server.ts', deps },
    { name: 'health route via route() in fastify with handlers elsewhere', code: `import Fastify from 'fastify';\nconst app = Fastify();\napp.route({ method: 'GET', url: '/health', handler: async () => 'ok' });\napp.listen({ port: 1 });`, deps: ['fastify'], withSignals: { processEvents: ['SIGTERM', 'unhandledRejection'], healthRoutes: 0 } },
    { name: 'a router mounted on a health path counts (kutt: apiRouter.use("/health", health))', code: `${imp}const health = express.Router();\nhealth.get('/', (req, res) => res.send('OK'));\napp.use('/health', health);\nprocess.on('SIGTERM', () => server.close());\nprocess.on('unhandledRejection', (e) => console.error(e));\nconst server = app.listen(3000);`, deps, withSignals: { processEvents: [], healthRoutes: 0 } },
    { name: 'Nest health controller counts', code: `import { NestFactory } from '@nestjs/core';\nimport { Controller, Get } from '@nestjs/common';\n@Controller('health')\nclass H { @Get() ok() { return 'ok'; } }\nasync function b() { const app = await NestFactory.create(M); app.enableShutdownHooks(); await app.listen(1); }\nprocess.on('uncaughtException', (e) => console.error(e));`, deps: ['@nestjs/core', '@nestjs/common'], withSignals: { processEvents: [], healthRoutes: 0 } },
    { name: 'browser code is skipped', code: `'use client';\nexport function C() { return null; }`, filename: 'app/c.tsx' },
    { name: 'listen in a frontend package', code: `import express from 'express';\nconst app = express();\napp.listen(1);`, filename: '/project/src/dev.ts', deps: ['react'] },
    { name: 'suppressed', code: `${imp}// failpath-disable-next-line process-health -- the platform drains connections\napp.listen(3000);`, deps },
    { name: 'close-with-grace installs signal and error handlers', code: `import Fastify from 'fastify';\nimport closeWithGrace from 'close-with-grace';\nconst app = Fastify();\ncloseWithGrace({ delay: 500 }, async () => app.close());\nawait app.listen({ port: 1 });`, deps: ['fastify', 'close-with-grace'] },
    { name: 'playground apps are samples', code: `${imp}app.listen(3000);`, filename: 'playground/nestjs/src/main.ts', deps },
    { name: 'an http.Server listen is not an app', code: `import http from 'http';\nhttp.createServer(h).listen(80);`, deps },
  ],
  invalid: [
    {
      name: 'Express: graceful shutdown fix keeps the server handle',
      code: `${imp}app.listen(3000, () => logger.info('listening'));\nprocess.on('unhandledRejection', (r) => logger.error({ err: r }, 'unhandled'));\n`,
      deps,
      errors: [{ line: 4, column: 1, endColumn: 11, message: 'no graceful shutdown on SIGTERM' }],
      output: `${imp}const server = app.listen(3000, () => logger.info('listening'));\nconst shutdown = (signal: NodeJS.Signals) => {\n  logger.info({ signal }, 'shutting down');\n  // stop accepting connections, let in-flight requests finish, then exit\n  new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())))\n    .then(() => process.exit(0))\n    .catch((err) => {\n      logger.error({ err }, 'shutdown failed');\n      process.exit(1);\n    });\n  setTimeout(() => process.exit(1), 10_000).unref();\n};\nprocess.on('SIGTERM', shutdown);\nprocess.on('SIGINT', shutdown);\nprocess.on('unhandledRejection', (r) => logger.error({ err: r }, 'unhandled'));\n`,
    },
    {
      name: 'existing server variable is reused, JS file without types',
      code: `const express = require('express');\nconst { logger } = require('./log');\nconst app = express();\nconst srv = app.listen(8080);\nprocess.on('uncaughtException', (e) => { logger.error({ err: e }, 'boom'); process.exit(1); });\n`,
      filename: 'src/index.js',
      deps,
      errors: [{ line: 4, column: 13 }],
      output: `const express = require('express');\nconst { logger } = require('./log');\nconst app = express();\nconst srv = app.listen(8080);\nconst shutdown = (signal) => {\n  logger.info({ signal }, 'shutting down');\n  // stop accepting connections, let in-flight requests finish, then exit\n  new Promise((resolve, reject) => srv.close((err) => (err ? reject(err) : resolve())))\n    .then(() => process.exit(0))\n    .catch((err) => {\n      logger.error({ err }, 'shutdown failed');\n      process.exit(1);\n    });\n  setTimeout(() => process.exit(1), 10_000).unref();\n};\nprocess.on('SIGTERM', shutdown);\nprocess.on('SIGINT', shutdown);\nprocess.on('uncaughtException', (e) => { logger.error({ err: e }, 'boom'); process.exit(1); });\n`,
    },
    {
      name: 'error handlers fix',
      code: `${imp}const server = app.listen(3000);\nprocess.on('SIGTERM', () => server.close());\n`,
      deps,
      errors: [{ line: 4, column: 16, message: 'no unhandledRejection/uncaughtException handler' }],
      output: `${imp}const server = app.listen(3000);\nprocess.on('unhandledRejection', (reason) => {\n  logger.error({ err: reason }, 'unhandled promise rejection');\n});\nprocess.on('uncaughtException', (err) => {\n  logger.error({ err }, 'uncaught exception; exiting');\n  process.exit(1);\n});\nprocess.on('SIGTERM', () => server.close());\n`,
    },
    {
      name: 'both missing: two fixes, shutdown preferred',
      code: `${imp}app.listen(3000);\n`,
      deps,
      errors: [{ line: 4, column: 1, message: /no graceful shutdown/ }, { line: 4, column: 1, message: /no unhandledRejection/ }],
      fixFor: 1,
      output: `${imp}app.listen(3000);\nprocess.on('unhandledRejection', (reason) => {\n  logger.error({ err: reason }, 'unhandled promise rejection');\n});\nprocess.on('uncaughtException', (err) => {\n  logger.error({ err }, 'uncaught exception; exiting');\n  process.exit(1);\n});\n`,
    },
    {
      name: 'Fastify closes the app',
      code: `import Fastify from 'fastify';\nconst app = Fastify({ logger: true });\nprocess.on('unhandledRejection', (r) => app.log.error(r));\nawait app.listen({ port: 3000 });\n`,
      deps: ['fastify'],
      errors: [{ line: 4, column: 7 }],
      output: `import Fastify from 'fastify';\nconst app = Fastify({ logger: true });\nprocess.on('unhandledRejection', (r) => app.log.error(r));\nawait app.listen({ port: 3000 });\nconst shutdown = (signal: NodeJS.Signals) => {\n  console.info('shutting down', { signal });\n  // stop accepting connections, let in-flight requests finish, then exit\n  app.close()\n    .then(() => process.exit(0))\n    .catch((err) => {\n      console.error('shutdown failed', err);\n      process.exit(1);\n    });\n  setTimeout(() => process.exit(1), 10_000).unref();\n};\nprocess.on('SIGTERM', shutdown);\nprocess.on('SIGINT', shutdown);\n`,
    },
    {
      name: 'NestJS: enable shutdown hooks',
      code: `import { NestFactory } from '@nestjs/core';\nimport { AppModule } from './app.module';\nasync function bootstrap() {\n  const app = await NestFactory.create(AppModule);\n  process.on('unhandledRejection', (r) => console.error(r));\n  await app.listen(3000);\n}\nbootstrap();\n`,
      deps: ['@nestjs/core', '@nestjs/common'],
      errors: [{ line: 6, column: 9 }],
      output: `import { NestFactory } from '@nestjs/core';\nimport { AppModule } from './app.module';\nasync function bootstrap() {\n  const app = await NestFactory.create(AppModule);\n  process.on('unhandledRejection', (r) => console.error(r));\n  app.enableShutdownHooks();\n  await app.listen(3000);\n}\nbootstrap();\n`,
    },
    {
      name: 'Koa app',
      code: `import Koa from 'koa';\nconst app = new Koa();\nprocess.on('SIGTERM', () => process.exit(0));\napp.listen(3000);\n`,
      deps: ['koa'],
      errors: [{ line: 4, column: 1, message: 'no unhandledRejection' }],
    },
    {
      name: 'no health route anywhere in the project (index available)',
      code: `${imp}const server = app.listen(3000);\nprocess.on('SIGTERM', () => server.close());\nprocess.on('unhandledRejection', (r) => logger.error({ err: r }, 'x'));\n`,
      deps,
      withSignals: { processEvents: [], healthRoutes: 0 },
      errors: [{ line: 4, column: 16, message: 'no health route' }],
      output: `${imp}app.get('/healthz', (_req, res) => {\n  res.json({ status: 'ok' });\n});\n\nconst server = app.listen(3000);\nprocess.on('SIGTERM', () => server.close());\nprocess.on('unhandledRejection', (r) => logger.error({ err: r }, 'x'));\n`,
    },
    {
      name: 'handlers in another file silence those parts; health still checked',
      code: `${imp}app.listen(3000);\n`,
      deps,
      withSignals: { processEvents: ['SIGTERM', 'unhandledRejection'], healthRoutes: 0 },
      errors: [{ line: 4, column: 1, message: /has no health route/ }],
      output: `${imp}app.get('/healthz', (_req, res) => {\n  res.json({ status: 'ok' });\n});\n\napp.listen(3000);\n`,
    },
    {
      name: 'Express with CRLF line endings',
      code: `import express from 'express';\r\nimport { logger } from './lib/logger';\r\nconst app = express();\r\nconst server = app.listen(3000);\r\nprocess.on('SIGTERM', () => server.close());\r\n`,
      deps,
      errors: [{ line: 4, column: 16 }],
      output: `import express from 'express';\r\nimport { logger } from './lib/logger';\r\nconst app = express();\r\nconst server = app.listen(3000);\r\nprocess.on('unhandledRejection', (reason) => {\r\n  logger.error({ err: reason }, 'unhandled promise rejection');\r\n});\r\nprocess.on('uncaughtException', (err) => {\r\n  logger.error({ err }, 'uncaught exception; exiting');\r\n  process.exit(1);\r\n});\r\nprocess.on('SIGTERM', () => server.close());\r\n`,
    },
    {
      name: 'a health route in this file counts',
      code: `${imp}app.get('/healthz', (_q, r) => r.send('ok'));\napp.listen(3000);\n`,
      deps,
      withSignals: { processEvents: ['SIGINT'], healthRoutes: 0 },
      errors: [{ line: 5, column: 1, message: /^This process starts the server but has no unhandledRejection/ }],
    },
  ],
});
