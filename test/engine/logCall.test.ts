/**
 * fixes/logCall.ts: log fixes in the project's own dialect (ctx.view.logger, view.requestLoggers),
 * checked on their exact output and type-checked with the TypeScript checker inside fixture
 * projects: a Remix-style message-first logger behind `~/services/logger.server`, NestJS's
 * `new Logger(X.name)`, and a pino object-first app on NodeNext (relative `.js` imports).
 * The fixtures declare the libraries' real signatures for the methods a fix calls (no installs).
 */
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze } from '../../server/src/engine/analyze';
import { applyEdits } from '../../server/src/fixes/edits';
import { projectFactsFromPackageJson } from '../../server/src/engine/project';
import { EMPTY_VIEW, type LoggerConvention, type ProjectView } from '../../server/src/engine/view';
import { unstructuredLog } from '../../server/src/rules/unstructured-log';
import { swallowedError } from '../../server/src/rules/swallowed-error';
import { cleanupTemp, copyProject, typeErrors } from '../workspace/fixtures';

after(cleanupTemp);

interface Run { root: string; file: string; text: string; fix(ruleId: string, title?: RegExp): { title: string; output: string } }

function run(fixture: string, rel: string, view: (root: string) => Partial<ProjectView>): Run {
  const root = copyProject(fixture);
  const file = path.join(root, rel);
  const text = fs.readFileSync(file, 'utf8');
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const result = analyze({ text, fileName: file, project: projectFactsFromPackageJson(pkg, root), view: { ...EMPTY_VIEW, ...view(root) }, rules: [unstructuredLog, swallowedError] });
  assert.deepEqual(result.ruleErrors, []);
  return {
    root, file, text,
    fix(ruleId, title) {
      const finding = result.findings.find((f) => f.ruleId === ruleId);
      assert.ok(finding, `no ${ruleId} finding in ${rel}`);
      const fixes = finding.fixes.filter((f) => f.edits.length > 0);
      const fix = title ? fixes.find((f) => title.test(f.title)) : fixes.find((f) => f.isPreferred);
      assert.ok(fix, `no fix in ${fixes.map((f) => f.title).join(' | ')}`);
      return { title: fix.title, output: applyEdits(text, fix.edits) };
    },
  };
}

/** Writes the fixed text into the copied fixture and returns TypeScript's verdict on the whole project. */
function compiles(r: Run, output: string): string[] {
  fs.writeFileSync(r.file, output);
  return typeErrors(r.root);
}

const remixLogger = (root: string): LoggerConvention => ({
  module: { kind: 'file', file: path.join(root, 'app/services/logger.server.ts') },
  exportName: 'logger', localName: 'logger',
  specifiers: [{ specifier: '~/services/logger.server', count: 2 }], importers: 2,
  shape: 'message-first', error: { kind: 'field', key: 'error' }, errorKey: 'error', warnMethod: 'warn',
  evidence: { calls: 2, agreeing: 2, files: 2 },
});

const nestLogger: LoggerConvention = {
  module: { kind: 'package', name: '@nestjs/common' },
  exportName: 'Logger', localName: 'Logger', factory: { binding: 'this.logger', argument: 'module-name' },
  specifiers: [{ specifier: '@nestjs/common', count: 4 }], importers: 4,
  shape: 'message-first', error: { kind: 'positional', stack: true }, errorKey: 'err', warnMethod: 'warn', infoMethod: 'log',
  evidence: { calls: 4, agreeing: 2, files: 2 }, library: 'nestjs',
};

const pinoLogger = (root: string): LoggerConvention => ({
  module: { kind: 'file', file: path.join(root, 'src/lib/logger.ts') },
  exportName: 'logger', localName: 'logger',
  specifiers: [{ specifier: './logger.js', count: 1 }], importers: 1,
  shape: 'object-first', error: { kind: 'field', key: 'err' }, errorKey: 'err', warnMethod: 'warn',
  evidence: { calls: 1, agreeing: 1, files: 1 }, library: 'pino',
});

describe('log fixes in the project dialect, type-checked in fixture projects', () => {
  it('the fixtures compile as written, and a pino-shaped call on the Remix logger does not (the check can fail)', () => {
    for (const name of ['fix-remix-logger', 'fix-nest-logger', 'fix-pino-app']) assert.deepEqual(typeErrors(copyProject(name)), [], name);
    const r = run('fix-remix-logger', 'app/models/order.server.ts', () => ({}));
    const wrong = r.text.replace("logger.error('loadOrder failed', { error });", "logger.error({ err: error }, 'loadOrder failed');");
    assert.notEqual(wrong, r.text);
    assert.deepEqual(compiles(r, wrong), [
      "app/models/order.server.ts: Argument of type '{ err: unknown; }' is not assignable to parameter of type 'string'.",
    ]);
  });

  it('Remix, message-first: an import through the `~/` alias most importers use, the error under `error`', () => {
    const r = run('fix-remix-logger', 'app/routes/orders.pay.ts', (root) => ({ logger: remixLogger(root) }));
    const caught = r.fix('swallowed-error');
    assert.equal(caught.title, "Log the error with logger from ~/services/logger.server (the project's logger, message-first calls) and continue");
    assert.equal(caught.output, [
      "import { logger } from '~/services/logger.server';",
      'export async function action(orderId: string) {',
      '  try {',
      '    await chargeCard(orderId);',
      "  } catch (err) { logger.error('action failed', { error: err }); }",
      "  console.log('charged order', orderId);",
      '}',
      '',
    ].join('\n'));
    assert.deepEqual(compiles(r, caught.output), []);
    const log = r.fix('unstructured-log');
    assert.equal(log.title, "Log with logger from ~/services/logger.server (the project's logger, message-first calls)");
    assert.equal(log.output.split('\n')[5], "  logger.info('charged order', { orderId });");
    assert.deepEqual(compiles(r, log.output), []);
  });

  it('Remix: a file importing the logger under another name reuses that binding (no second import, no second logger)', () => {
    const r = run('fix-remix-logger', 'app/routes/orders.refund.ts', (root) => ({ logger: remixLogger(root) }));
    const caught = r.fix('swallowed-error');
    assert.equal(caught.title, "Log the error with log (the project's logger, message-first calls) and keep the null fallback");
    assert.equal(caught.output.split('\n')[4], "  await chargeCard(orderId).catch((err) => { log.warn('chargeCard failed', { error: err }); return null; });");
    assert.equal(caught.output.split('\n')[0], "import { logger as log } from '~/services/logger.server';");
    assert.deepEqual(compiles(r, caught.output), []);
    const log = r.fix('unstructured-log');
    assert.equal(log.output, r.text.replace("console.error('refund failed', orderId);", "log.error('refund failed', { orderId });"));
    assert.deepEqual(compiles(r, log.output), []);
  });

  it("Nest: the class's own `this.logger`, `error(message, stack)` with the stack read safely from an unknown catch value", () => {
    const r = run('fix-nest-logger', 'src/orders/orders.service.ts', () => ({ logger: nestLogger }));
    const caught = r.fix('swallowed-error');
    assert.equal(caught.title, "Log the error with this.logger (the project's logger, Nest calls) and continue");
    assert.equal(caught.output, r.text.replace('    } catch (err) {}\n', "    } catch (err) { this.logger.error('save failed', err instanceof Error ? err.stack : String(err)); }\n"));
    assert.deepEqual(compiles(r, caught.output), []);
  });

  it('Nest: a service without a logger gets `private readonly logger = new Logger(X.name)` and the import merged into @nestjs/common', () => {
    const r = run('fix-nest-logger', 'src/payments/payments.service.ts', () => ({ logger: nestLogger }));
    const log = r.fix('unstructured-log');
    assert.equal(log.title, "Log with a class logger (new Logger(PaymentsService.name)) (the project's logger, Nest calls)");
    assert.equal(log.output, [
      "import { Injectable, Logger } from '@nestjs/common';",
      '',
      '@Injectable()',
      'export class PaymentsService {',
      '  private readonly logger = new Logger(PaymentsService.name);',
      '  async capture(id: string) {',
      "    this.logger.log({ message: 'capturing', id });",
      '    try {',
      '      await repo.save({ id });',
      '    } catch {}',
      '  }',
      '}',
      '',
    ].join('\n'));
    assert.deepEqual(compiles(r, log.output), []);
    const caught = r.fix('swallowed-error');
    assert.equal(caught.output.split('\n')[9], "    } catch (err) { this.logger.error('capture failed', err instanceof Error ? err.stack : String(err)); }");
    assert.deepEqual(compiles(r, caught.output), []);
  });

  it('pino on NodeNext: object-first, a relative `.js` import like its importers write; req.log inside a handler', () => {
    const r = run('fix-pino-app', 'src/routes/items.ts', (root) => ({ logger: pinoLogger(root), requestLoggers: ['req.log'] }));
    const inHandler = r.fix('swallowed-error');
    assert.equal(inHandler.title, 'Log the error with the request logger req.log and continue');
    assert.equal(inHandler.output.split('\n')[3], "  } catch (e) { req.log.error({ err: e }, 'listItems failed'); }");
    assert.deepEqual(compiles(r, inHandler.output), []);
    const log = r.fix('unstructured-log');
    assert.equal(log.title, "Log with logger from ../lib/logger.js (the project's logger, object-first calls)");
    assert.equal(log.output, `import { logger } from '../lib/logger.js';\n${r.text.replace("console.warn('synced items for', owner);", "logger.warn({ owner }, 'synced items for');")}`);
    assert.deepEqual(compiles(r, log.output), []);
  });
});
