/**
 * engine/queries/projectBindings.ts: matching a file's import specifiers to the modules the
 * Session names in ctx.view (absolute project files or package names).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { specifierMayName } from '../../server/src/engine/queries/projectBindings';

describe('specifierMayName', () => {
  it('packages: the name itself or a subpath, nothing else', () => {
    assert.deepEqual(
      ['@acme/flags', '@acme/flags/server', '@acme/flagsmith', './flags'].map((s) => specifierMayName(s, '/p/src/a.ts', '@acme/flags')),
      [true, true, false, false],
    );
  });

  it('relative specifiers of an absolute file resolve exactly (extension and index dropped)', () => {
    const from = '/p/src/routes/orders.ts';
    assert.deepEqual(
      ['../lib/flags', '../lib/flags.js', '../lib/flags/index', './lib/flags', '../other/flags'].map((s) => specifierMayName(s, from, '/p/src/lib/flags.ts')),
      [true, true, false, false, false],
    );
    assert.equal(specifierMayName('../middleware', from, '/p/src/middleware/index.ts'), true);
  });

  it('aliases and relative specifiers of a relative file name match by last segment', () => {
    assert.deepEqual(
      ['~/lib/flags', '@/lib/flags.server', '#lib/flags', '~/lib/toggles', './flags'].map((s) => specifierMayName(s, 'src/a.ts', '/p/app/lib/flags.ts')),
      [true, false, true, false, true],
    );
    assert.equal(specifierMayName('@/lib/toggles', 'src/a.ts', '/p/src/lib/toggles/index.ts'), true);
  });
});
