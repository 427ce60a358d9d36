/**
 * workspace/conventions/logger.ts: the project's logger module, export, local name, factory, call
 * shape, error argument, warn/info methods and library, learned from real call sites through
 * aliases and workspace packages; request-scoped loggers.
 */
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { learnLogger, learnRequestLoggers } from '../../server/src/workspace/conventions/logger';
import { cleanupTemp } from './fixtures';
import { fixture, inline, relative } from './learn';

after(cleanupTemp);

function loggerOf(l: ReturnType<typeof fixture>) {
  return relative(learnLogger(l.reader), l.root);
}

describe('logger convention: fixture projects', () => {
  it('Remix: the winston module behind ~/services/logger.server, message-first with the error under `error`', () => {
    const l = fixture('remix-alias');
    assert.deepEqual(loggerOf(l), {
      module: { kind: 'file', file: 'app/services/logger.server.ts' },
      exportName: 'logger',
      localName: 'logger',
      specifiers: [
        { specifier: '~/services/logger.server', count: 4 },
        { specifier: '../services/logger.server', count: 1 },
        { specifier: './logger.server', count: 1 },
      ],
      importers: 6,
      shape: 'message-first',
      error: { kind: 'field', key: 'error' },
      errorKey: 'error',
      warnMethod: 'warn',
      evidence: { calls: 6, agreeing: 6, files: 6 },
      library: 'winston',
    });
  });

  it('Express: a default-exported winston logger through the `@/` alias, the error positional', () => {
    // every field of this one is asserted in conventions.test.ts (learnConventions end to end)
    const got = loggerOf(fixture('express-winston'))!;
    assert.deepEqual([got.module, got.exportName, got.specifiers, got.error, got.library], [
      { kind: 'file', file: 'src/lib/logger.ts' }, 'default', [{ specifier: '@/lib/logger', count: 2 }, { specifier: './lib/logger', count: 1 }], { kind: 'positional' }, 'winston',
    ]);
  });

  it('Nest without a logger module: `new Logger(X.name)` in class fields, `error(msg, err.stack)`, info is `log`', () => {
    const l = fixture('nest-logger');
    assert.deepEqual(loggerOf(l), {
      module: { kind: 'package', name: '@nestjs/common' },
      exportName: 'Logger',
      localName: 'Logger',
      factory: { binding: 'this.logger', argument: 'module-name' },
      specifiers: [{ specifier: '@nestjs/common', count: 4 }],
      importers: 4,
      shape: 'message-first',
      error: { kind: 'positional', stack: true },
      errorKey: 'err',
      warnMethod: 'warn',
      infoMethod: 'log',
      evidence: { calls: 4, agreeing: 2, files: 2 },
      library: 'nestjs',
    });
  });

  it("Nest with its own ConsoleLogger module through `@app/*`: the module wins over @nestjs/common's Logger", () => {
    const got = loggerOf(fixture('nest-alias'))!;
    assert.deepEqual([got.module, got.exportName, got.shape, got.error, got.infoMethod, got.library], [
      { kind: 'file', file: 'src/common/logger.ts' }, 'logger', 'message-first', { kind: 'positional', stack: true }, 'log', 'nestjs',
    ]);
  });

  it('pino object-first through a workspace package name (@acme/logger)', () => {
    const got = loggerOf(fixture('monorepo'))!;
    assert.deepEqual([got.module, got.specifiers, got.shape, got.error, got.errorKey, got.library, got.evidence], [
      { kind: 'file', file: 'packages/logger/src/index.ts' }, [{ specifier: '@acme/logger', count: 3 }], 'object-first', { kind: 'field', key: 'err' }, 'err', 'pino',
      { calls: 3, agreeing: 3, files: 3 },
    ]);
  });

  it('pino factory per module: createLogger(\'items\') stored in `log`', () => {
    const got = loggerOf(fixture('fastify-pino'))!;
    assert.deepEqual([got.module, got.exportName, got.localName, got.factory, got.shape, got.library], [
      { kind: 'file', file: 'src/lib/log.ts' }, 'createLogger', 'createLogger', { binding: 'log', argument: 'module-name' }, 'object-first', 'pino',
    ]);
  });

  it('CommonJS: `const log = require(\'@lib/logger\')` of `module.exports = log` is the default export (bunyan, object-first)', () => {
    const got = loggerOf(fixture('js-require'))!;
    assert.deepEqual([got.module, got.exportName, got.localName, got.shape, got.library], [
      { kind: 'file', file: 'lib/logger.js' }, 'default', 'log', 'object-first', 'bunyan',
    ]);
  });
});

describe('logger convention: call shapes', () => {
  const base = { 'src/log.ts': "import pino from 'pino';\nexport const log = pino();\n" };

  it("pino's error-first `log.error(err, 'msg')` counts as object-first; message-only calls decide nothing", () => {
    const l = inline({
      ...base,
      'src/a.ts': "import { log } from './log';\nexport function a(err: Error) { log.error(err, 'a failed'); log.info('a'); log.info('b'); log.info('c'); }\n",
      'src/b.ts': "import { log } from './log';\nexport function b() { log.info('only messages'); }\n",
    });
    const got = learnLogger(l.reader)!;
    assert.deepEqual([got.shape, got.evidence, got.error], ['object-first', { calls: 5, agreeing: 1, files: 2 }, { kind: 'field', key: 'err' }]);
  });

  it('a wrapper whose warning level is `warning`, and child loggers made from the import', () => {
    const l = inline({
      'src/logging.ts': 'export const logger = { error(m: string, o?: object) {}, warning(m: string, o?: object) {}, child(o: object) { return logger; } };\n',
      'src/a.ts': "import { logger } from './logging';\nconst log = logger.child({ module: 'a' });\nexport function a(e: Error) { log.warning('slow', { e }); log.error('failed', { e }); }\n",
      'src/b.ts': "import { logger } from './logging';\nexport function b(e: Error) { logger.warning('slow', { ms: 3 }); }\n",
    });
    const got = learnLogger(l.reader)!;
    assert.deepEqual([got.exportName, got.warnMethod, got.shape, got.error, got.evidence.calls], ['logger', 'warning', 'message-first', { kind: 'field', key: 'e' }, 3]);
  });

  it('a constructor-injected logger class (`constructor(private readonly logger: AppLogger)`)', () => {
    const l = inline({
      'src/app-logger.ts': "import { ConsoleLogger } from '@nestjs/common';\nexport class AppLogger extends ConsoleLogger {}\n",
      'src/a.service.ts': "import { AppLogger } from './app-logger';\nexport class A { constructor(private readonly logger: AppLogger) {}\n  run(err: Error) { this.logger.error('a failed', err.stack); }\n}\n",
      'src/b.service.ts': "import { AppLogger } from './app-logger';\nexport class B { constructor(private readonly logger: AppLogger) {}\n  run(err: Error) { this.logger.error('b failed', err.stack); }\n}\n",
    });
    const got = learnLogger(l.reader)!;
    assert.deepEqual([got.exportName, got.factory, got.shape, got.error, got.library], [
      'AppLogger', { binding: 'this.logger', argument: 'module-name' }, 'message-first', { kind: 'positional', stack: true }, 'nestjs',
    ]);
  });

  it("tests are not the service: a test helper's mock logger imported by more files than the real one is not learned", () => {
    const tests = Object.fromEntries(['a', 'b', 'c', 'd'].map((n) => [
      `__tests__/${n}.ts`, `import { createMockLogger } from './helpers';\nconst logger = createMockLogger();\nexport function t${n}(err: Error) { logger.error({ err }, 'x'); }\n`,
    ]));
    const l = inline({
      '__tests__/helpers.ts': "import pino from 'pino';\nexport const createMockLogger = () => pino({ enabled: false });\n",
      ...tests,
      'src/logger.ts': "import pino from 'pino';\nexport const logger = pino();\n",
      'src/a.ts': "import { logger } from './logger';\nexport function a(err: Error) { logger.error({ err }, 'a failed'); }\n",
    });
    const got = learnLogger(l.reader)!;
    assert.deepEqual([relative(got, l.root)?.module, got.exportName, got.evidence.files], [{ kind: 'file', file: 'src/logger.ts' }, 'logger', 1]);
  });

  it('no logger: a project without one, and a logger module nobody calls', () => {
    assert.equal(learnLogger(inline({ 'src/a.ts': 'export const a = 1;\n', 'src/b.ts': "import { a } from './a';\nconsole.log(a);\n" }).reader), undefined);
    assert.equal(learnLogger(inline({ 'src/logger.ts': 'export const version = 1;\n', 'src/b.ts': "import { version } from './logger';\nconsole.log(version);\n" }).reader), undefined);
  });
});

describe('request-scoped loggers', () => {
  it('req.log, request.log, server.log (Fastify), c.var.logger and c.get(\'logger\') (Hono), most used first', () => {
    assert.deepEqual(learnRequestLoggers(fixture('fastify-pino').reader), ["c.get('logger')", 'c.var.logger', 'req.log', 'request.log', 'server.log']);
  });

  it('only in files of a web framework; `this.log` and other receivers are not request loggers', () => {
    const l = inline({
      'src/a.ts': "import express from 'express';\nconst app = express();\napp.get('/', (req, res) => { req.log.info('a'); this.log.info('x'); job.log.info('y'); res.end(); });\n",
      'src/b.ts': "import express from 'express';\nexport const f = (req: any) => { req.log.error({ err: 1 }, 'b'); req.logger.warn('c'); };\n",
      'src/plain.ts': "export const g = (request: any) => request.log.info('not a server file');\n",
    });
    assert.deepEqual(learnRequestLoggers(l.reader), ['req.log', 'req.logger']);
  });
});

describe('request loggers: a request-logger middleware imported by the project (issue 14)', () => {
  it('pino-http mounted in app.ts: the handlers of every file have req.log (the correlation fix may use it)', () => {
    const l = inline({
      'package.json': JSON.stringify({ dependencies: { express: '^4.21.2', 'pino-http': '^10.4.0' } }),
      'src/app.ts': "import express from 'express';\nimport pinoHttp from 'pino-http';\nexport const app = express();\napp.use(pinoHttp());\n",
      'src/routes.ts': "import { Router } from 'express';\nexport const r = Router();\nr.get('/a', (req, res) => res.end());\n",
    });
    assert.deepEqual(learnRequestLoggers(l.reader), ['req.log']);
  });
  it('pino-http only listed in package.json, imported nowhere: no request logger', () => {
    const l = inline({
      'package.json': JSON.stringify({ dependencies: { express: '^4.21.2', 'pino-http': '^10.4.0' } }),
      'src/app.ts': "import express from 'express';\nexport const app = express();\napp.get('/a', (req, res) => res.end());\n",
    });
    assert.deepEqual(learnRequestLoggers(l.reader), []);
  });
});
