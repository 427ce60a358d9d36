/**
 * Bounded work on hostile workspace content (issue 18, "Stalls"): text that made a regular
 * expression backtrack quadratically is read in one pass, with the same results as before on
 * ordinary input. The long inputs below took minutes to hours with the old expressions (a 146 KB
 * pnpm-lock.yaml line: 31 s); each test asserts the exact result, never a time.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { versionsFromLockfile, yamlEntry } from '../../server/src/engine/lockfile';
import { runRule } from '../harness/ruleTester';
import { unstructuredLog } from '../../server/src/rules/unstructured-log';
import { swallowedError } from '../../server/src/rules/swallowed-error';
import { ProjectIndex } from '../../server/src/engine/readiness/projectIndex';
import { inferFeatures } from '../../server/src/engine/readiness/features';

const BIG = 1_000_000;

/** The expression pnpm-lock.yaml lines were read with before (quadratic on long lines). */
function oldYamlEntry(line: string): { indent: number; key: string; value: string } | undefined {
  const m = /^( *)('[^']*'|"[^"]*"|[^\s:'"#][^:#]*?)\s*:(?:\s+(.*?))?\s*$/.exec(line);
  if (!m) return undefined;
  const t = m[2].trim();
  const key = /^(['"]).*\1$/.test(t) ? t.slice(1, -1) : t;
  return { indent: m[1].length, key, value: (m[3] ?? '').replace(/\s+#.*$/, '') };
}

describe('pnpm-lock.yaml lines', () => {
  it('are split exactly as the old expression split them (generated short lines)', () => {
    const ch = fc.constantFrom(' ', ' ', '\t', ':', '#', "'", '"', 'a', 'b', '1', '.', '@', '/', '(', ')', '\u00a0');
    fc.assert(fc.property(fc.array(ch, { maxLength: 24 }).map((a) => a.join('')), (line) => {
      assert.deepEqual(yamlEntry(line), oldYamlEntry(line));
    }), { seed: 18, numRuns: 20_000 });
  });

  it('ordinary lines', () => {
    assert.deepEqual(yamlEntry("      '@scope/a@1.0.0(b@2.0.0)':  "), { indent: 6, key: '@scope/a@1.0.0(b@2.0.0)', value: '' });
    assert.deepEqual(yamlEntry('        version: 7.1.5(express@4.19.2) # resolved'), { indent: 8, key: 'version', value: '7.1.5(express@4.19.2)' });
    assert.deepEqual(yamlEntry('  express :  4.19.2'), { indent: 2, key: 'express', value: '4.19.2' });
    assert.equal(yamlEntry('url:http://x'), undefined);
    assert.equal(yamlEntry('# comment: x'), undefined);
  });

  it('a 1 MB line is read in one pass: spaces in the key, in the value, before a comment, no colon', () => {
    const wanted = new Map([['express', '^4.0.0']]);
    const head = 'importers:\n  .:\n    dependencies:\n      express:\n        specifier: ^4.0.0\n        version: 4.19.2\n';
    for (const line of [`a${' '.repeat(BIG)}b`, `      express${' '.repeat(BIG)}x`, `k: x${' '.repeat(BIG)}y`, `k: b${' '.repeat(BIG)}c # d`, 'x'.repeat(BIG)]) {
      assert.deepEqual(Object.fromEntries(versionsFromLockfile('/p/pnpm-lock.yaml', `${head}${line}\n`, '/p', wanted)), { express: '4.19.2' });
    }
    assert.deepEqual(yamlEntry(`k: b${' '.repeat(BIG)}#c`), { indent: 0, key: 'k', value: 'b' });
  });
});

describe('rules read long comments and messages in one pass', () => {
  it('unstructured-log trims the separator after a long run of spaces', () => {
    const code = `import { logger } from './lib/logger';\nconsole.error('sync failed${' '.repeat(BIG)}:', err);\n`;
    const [finding] = runRule(unstructuredLog, { code });
    const edit = finding.fixes[0].edits.find((e) => e.newText.includes('logger.error'));
    assert.equal(edit?.newText, `logger.error({ err }, 'sync failed')`);
  });

  it('swallowed-error reads a comment of many blank lines', () => {
    const explained = `try { await fetch("x"); } catch (e) {\n  /*${'\n'.repeat(BIG)} best effort: the cache refills itself */\n}\n`;
    assert.deepEqual(runRule(swallowedError, { code: explained }), []);
    const todo = `try { await fetch("x"); } catch (e) {\n  /*${'\n'.repeat(BIG)} TODO*/\n}\n`;
    assert.deepEqual(runRule(swallowedError, { code: todo }).map((f) => f.ruleId), ['swallowed-error']);
  });

  it('a route path of many dots names its feature by the text before the first dot', () => {
    const index = new ProjectIndex('/p');
    const route = { framework: 'express', method: 'GET', path: `/orders${'.'.repeat(BIG)}\n`, start: 0, end: 1, handlerFn: -1 };
    index.set({ file: '/p/src/a.ts', summary: { imports: [], functions: [], routes: [route], evidence: [] }, findings: [], lineStarts: [0] });
    assert.deepEqual(inferFeatures(index).map((f) => [f.name, f.files]), [['orders', ['/p/src/a.ts']]]);
  });
});
