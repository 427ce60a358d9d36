/**
 * The parse guard (engine/parseGuard.ts): TypeScript's parser reads the expression after an
 * `async` twice (its arrow look-ahead), so nested `async(` calls and `async function`
 * expressions cost 2^depth. Found by the fuzz campaign (scripts/fuzz.ts, seed 2, input 101: a mix
 * of nested constructs of 12,721 characters whose parse alone did not end in 2 minutes). The
 * guard counts the parser's token reads before parsing and skips the file above the budget, on
 * every thread alike.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../server/src/engine/analyze';
import { analyzeLocalModule } from '../../server/src/engine/localModules';
import { parseHazard, parseWork, PARSE_WORK_BUDGET } from '../../server/src/engine/parseGuard';
import { loadSeeds } from '../fuzz/generators';

const nestedCalls = (n: number) => 'x = ' + 'async('.repeat(n) + ')'.repeat(n);
const callbacks = (n: number) => 'f(async function () { await g(); '.repeat(n) + '});'.repeat(n);

describe('parse guard', () => {
  it('counts 2^depth token reads inside nested look-ahead spans', () => {
    // `x = async()`: x, = and async read once, `(` and `)` twice (the span runs to the end of the expression)
    assert.deepEqual(parseWork(nestedCalls(1)), { tokens: 5, work: 1 + 1 + 1 + 2 + 2, depth: 1 });
    assert.deepEqual(parseWork(nestedCalls(4)), { tokens: 14, work: 77, depth: 4 });
    assert.deepEqual(parseWork(nestedCalls(16)), { tokens: 50, work: 327677, depth: 16 });
    assert.deepEqual(parseWork(callbacks(16)), { tokens: 240, work: 1638375, depth: 16 });
  });

  it('async arrows, declarations and methods take other parser paths: not counted', () => {
    const arrows = 'x = ' + 'async () => { await f(async (a) => { '.repeat(30) + '})}'.repeat(30);
    assert.equal(parseWork(arrows).depth, 0);
    assert.equal(parseWork('async function a() { async function b() { async function c() {} } }').depth, 0);
    assert.equal(parseWork('export default async function a() {}\nclass K { async m() { return { async n() {} }; } }').depth, 0);
    assert.equal(parseWork('const re = /async(/; const s = `${async(1)}`;').depth, 1);
  });

  it('analyze() skips 24 nested async( calls and 18 nested async function callbacks with the reason (their parse took 35 s and 3.4 s)', () => {
    for (const [text, depth] of [[nestedCalls(24), 24], [callbacks(18), 18]] as const) {
      const r = analyze({ text, fileName: 'src/deep.ts' });
      assert.equal(r.skipped, `not parsed: async expressions nested ${depth} deep (TypeScript's parser takes time exponential in that depth)`);
      assert.deepEqual(r.findings, []);
    }
    // an unclosed run of them (what the fuzz campaign generated) is skipped the same way in a .js file
    assert.match(analyze({ text: '(async function () { '.repeat(40), fileName: 'src/deep.js' }).skipped ?? '', /^not parsed: async expressions nested 40 deep/);
  });

  it('the budget (1,000,000 extra reads, under a second) lets 17 nested async( calls and 15 callbacks through, not 18 and 16', () => {
    assert.equal(PARSE_WORK_BUDGET, 1_000_000);
    assert.equal(parseHazard(nestedCalls(17)), undefined);
    assert.match(parseHazard(nestedCalls(18)) ?? '', /^async expressions nested 18 deep/);
    assert.equal(parseHazard(callbacks(15)), undefined);
    assert.match(parseHazard(callbacks(16)) ?? '', /^async expressions nested 16 deep/);
  });

  it('no seed file of the fuzz tests comes near the budget (real code nests few async expressions)', () => {
    for (const s of loadSeeds({ corpusFiles: 40, snippets: true, fixtures: true })) {
      const w = parseWork(s.text);
      assert.ok(w.work <= 2 * w.tokens, `${s.name}: ${w.work} reads for ${w.tokens} tokens`);
    }
  });

  it('a local logger module the parser would hang on is not read', () => {
    assert.deepEqual(analyzeLocalModule(`export const logger = ${'async('.repeat(30)}${')'.repeat(30)};`, 'src/logger.ts'), {});
  });
});
