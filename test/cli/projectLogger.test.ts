/**
 * Issue 13's "done when" on Remix-style and NestJS-style projects, through the CLI as users run
 * it (dist/cli.js, so through the Session: module graph, tsconfig aliases, the learned logger):
 * `failpath check <folder>` says nothing about a missing logger, and every console or
 * swallowed-error fix `failpath fix <folder>` writes calls the project's own logger in its own
 * call shape (message-first for winston-style and Nest loggers, object-first for pino), and the
 * fixed project still type-checks (fixtures declare the libraries' signatures; no installs).
 * test/engine/logCall.test.ts checks the same fixes with hand-made views; this one checks that
 * the hosts learn those views themselves.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cleanupTemp, copyProject, typeErrors } from '../workspace/fixtures';

const CLI = path.join(__dirname, '..', '..', 'dist', 'cli.js');

function cli(root: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface Seen { rule: string; file: string; line: number; message: string }

function check(root: string): Seen[] {
  const r = cli(root, ['check', '--format', 'json', '.']);
  assert.equal(r.stderr, '');
  return (JSON.parse(r.stdout) as { findings: Seen[] }).findings;
}

const read = (root: string, rel: string) => fs.readFileSync(path.join(root, rel), 'utf8');

before(() => assert.ok(fs.existsSync(CLI), 'run `npm run build` first: this suite drives dist/cli.js'));
after(cleanupTemp);

describe('failpath check on projects with their own logger behind tsconfig aliases', () => {
  const CASES: Record<string, string[]> = {
    // Remix: the logger is `~/services/logger.server` (winston, message-first), imported by 6 files
    'remix-alias': [],
    // NestJS: `@app/common/logger` through tsconfig paths + baseUrl
    'nest-alias': [
      'process-health src/main.ts:9',
      'missing-idempotency src/orders/orders.controller.ts:11',
      'missing-correlation-id src/orders/orders.controller.ts:13',
    ],
    'fix-remix-logger': [
      'swallowed-error app/routes/orders.pay.ts:4',
      'unstructured-log app/routes/orders.pay.ts:5',
      'swallowed-error app/routes/orders.refund.ts:5',
      'unstructured-log app/routes/orders.refund.ts:6',
    ],
    'fix-nest-logger': [
      'swallowed-error src/orders/orders.service.ts:19',
      'unstructured-log src/payments/payments.service.ts:6',
      'swallowed-error src/payments/payments.service.ts:9',
    ],
  };
  for (const [name, expected] of Object.entries(CASES)) {
    it(`${name}: exactly these findings, none about a missing logger`, () => {
      const findings = check(copyProject(name));
      assert.deepEqual(findings.map((f) => `${f.rule} ${f.file}:${f.line}`), expected);
      assert.deepEqual(findings.filter((f) => /no (structured )?logger|logger (was )?found/i.test(f.message)), []);
    });
  }
});

describe('failpath fix writes log calls with the project logger, in its call shape, and the project type-checks', () => {
  it('Remix (winston-style, message-first): the `~/` import its importers use, or the alias the file already has', () => {
    const root = copyProject('fix-remix-logger');
    const r = cli(root, ['fix', '.']);
    assert.deepEqual([r.status, r.stdout, r.stderr], [0, '', 'fixed 4 findings in 2 files\n']);
    assert.equal(read(root, 'app/routes/orders.pay.ts'), [
      "import { logger } from '~/services/logger.server';",
      'export async function action(orderId: string) {',
      '  try {',
      '    await chargeCard(orderId);',
      "  } catch (err) { logger.error('action failed', { error: err }); }",
      "  logger.info('charged order', { orderId });",
      '}',
      '',
    ].join('\n'));
    assert.equal(read(root, 'app/routes/orders.refund.ts'), [
      "import { logger as log } from '~/services/logger.server';",
      '',
      'export async function refund(orderId: string) {',
      "  log.info('refunding', { orderId });",
      "  await chargeCard(orderId).catch((err) => { log.warn('chargeCard failed', { error: err }); return null; });",
      "  log.error('refund failed', { orderId });",
      '}',
      '',
    ].join('\n'));
    assert.deepEqual(typeErrors(root), []);
    assert.deepEqual(check(root), []);
  });

  it("NestJS: the class's `this.logger` (or a new `Logger(X.name)`), `error(message, stack)`", () => {
    const root = copyProject('fix-nest-logger');
    const r = cli(root, ['fix', '.']);
    assert.deepEqual([r.status, r.stdout, r.stderr], [0, '', 'fixed 3 findings in 2 files\n']);
    assert.equal(read(root, 'src/orders/orders.service.ts'), fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'projects', 'fix-nest-logger', 'src/orders/orders.service.ts'), 'utf8')
      .replace('    } catch (err) {}\n', "    } catch (err) { this.logger.error('save failed', err instanceof Error ? err.stack : String(err)); }\n"));
    assert.equal(read(root, 'src/payments/payments.service.ts'), [
      "import { Injectable, Logger } from '@nestjs/common';",
      '',
      '@Injectable()',
      'export class PaymentsService {',
      '  private readonly logger = new Logger(PaymentsService.name);',
      '  async capture(id: string) {',
      "    this.logger.log({ message: 'capturing', id });",
      '    try {',
      '      await repo.save({ id });',
      "    } catch (err) { this.logger.error('capture failed', err instanceof Error ? err.stack : String(err)); }",
      '  }',
      '}',
      '',
    ].join('\n'));
    assert.deepEqual(typeErrors(root), []);
    assert.deepEqual(check(root), []);
  });

  it('pino (object-first) on NodeNext: `{ err }` first, the relative `.js` import its importers write', () => {
    const root = copyProject('fix-pino-app');
    const r = cli(root, ['fix', '.']);
    assert.deepEqual([r.status, r.stdout, r.stderr], [0, '', 'fixed 3 findings in 1 file\n']);
    assert.equal(read(root, 'src/routes/items.ts'), [
      "import { logger } from '../lib/logger.js';",
      'export async function listItems(req: Req, res: Res) {',
      '  try {',
      "    res.json(await db.query('select * from items where owner = $1', [req.params.owner]));",
      "  } catch (e) { logger.error({ err: e }, 'listItems failed'); }",
      '}',
      '',
      'export async function syncItems(owner: string) {',
      '  try {',
      "    await db.query('update items set synced = true where owner = $1', [owner]);",
      "  } catch (e) { logger.error({ err: e }, 'syncItems failed'); }",
      "  logger.warn({ owner }, 'synced items for');",
      '}',
      '',
    ].join('\n'));
    assert.deepEqual(typeErrors(root), []);
  });

  it('the check can fail: a pino-shaped call on the Remix logger is a type error', () => {
    const root = copyProject('fix-remix-logger');
    fs.writeFileSync(path.join(root, 'app/routes/orders.pay.ts'), "import { logger } from '~/services/logger.server';\nexport function f(err: unknown) { logger.error({ err }, 'f failed'); }\n");
    assert.deepEqual(typeErrors(root), ["app/routes/orders.pay.ts: Argument of type '{ err: unknown; }' is not assignable to parameter of type 'string'."]);
  });
});
