/**
 * Property tests of the engine on generated and mutated sources (fast-check, fixed seed, bounded
 * runs; `npm run fuzz` raises the count). For any input: analyze() never throws, reports only
 * ranges inside the document, and every fix it offers applies cleanly without new syntax errors.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import fc from 'fast-check';
import { analyze, parse, syntaxErrorCount } from '../../server/src/engine/analyze';
import { applyEdits } from '../../server/src/fixes/edits';
import { projectFactsFromPackageJson } from '../../server/src/engine/project';
import { loadSeeds, mutate, MUTATION_KINDS, PATHOLOGICAL, TOKENS } from './generators';

const RUNS = Number(process.env.FAILPATH_FUZZ_RUNS ?? 150);
const SEED = Number(process.env.FAILPATH_FUZZ_SEED ?? 20261123);
const project = projectFactsFromPackageJson({ dependencies: { pino: '*', axios: '*', express: '*', pg: '*', ioredis: '*', stripe: '*', '@openfeature/server-sdk': '*' } });

const SEEDS = loadSeeds();

/** A mutation of a seed: truncate, splice two seeds, insert tokens, delete a slice. */
const mutated = fc.record({
  seed: fc.integer({ min: 0, max: SEEDS.length - 1 }),
  other: fc.integer({ min: 0, max: SEEDS.length - 1 }),
  ops: fc.array(fc.record({
    kind: fc.constantFrom(...MUTATION_KINDS),
    at: fc.double({ min: 0, max: 1, noNaN: true }),
    len: fc.integer({ min: 0, max: 200 }),
    token: fc.constantFrom(...TOKENS),
  }), { minLength: 1, maxLength: 6 }),
  ext: fc.constantFrom('.ts', '.tsx', '.js', '.mjs', '.cts', '.jsx'),
}).map(({ seed, other, ops, ext }) => ({ text: mutate(SEEDS[seed].text, SEEDS[other].text, ops), fileName: `src/fuzz/file${ext}` }));

function checkInvariants(text: string, fileName: string): void {
  const result = analyze({ text, fileName, project });
  assert.deepEqual(result.ruleErrors.map((e) => `${e.ruleId}: ${e.error.split('\n')[0]}`), []);
  // no time bound here: a test must not depend on how fast the machine is (the fuzz campaign,
  // scripts/fuzz.ts, measures per-file time on both threads; npm run bench measures speed)
  if (result.skipped) {
    assert.deepEqual(result.findings, []);
    return;
  }
  const before = syntaxErrorCount(parse(text, fileName));
  for (const f of result.findings) {
    assert.ok(f.start >= 0 && f.end <= text.length && f.start <= f.end, `range ${f.start}-${f.end} outside 0-${text.length}`);
    for (const fix of f.fixes) {
      for (const e of fix.edits) assert.ok(e.start >= 0 && e.end <= text.length && e.start <= e.end, `edit range ${e.start}-${e.end} outside document`);
      const out = applyEdits(text, fix.edits);
      const after = syntaxErrorCount(parse(out, fileName));
      assert.ok(after <= before, `fix "${fix.title}" (${f.ruleId}) added syntax errors (${before} → ${after})`);
    }
  }
}

describe('engine fuzz', () => {
  it(`mutated fixtures (${RUNS} runs, seed ${SEED})`, () => {
    fc.assert(fc.property(mutated, ({ text, fileName }) => checkInvariants(text, fileName)), { seed: SEED, numRuns: RUNS });
  });

  it('random token soup', () => {
    const soup = fc.array(fc.constantFrom(...TOKENS, 'x', 'y', ' ', '1', 'if (', 'return '), { maxLength: 300 }).map((a) => a.join(''));
    fc.assert(fc.property(soup, (text) => checkInvariants(text, 'src/soup.ts')), { seed: SEED, numRuns: RUNS });
  });

  it('pathological inputs: deep nesting, 5 MB line, BOM, NUL, lone surrogates, JSX in .ts, decorators everywhere', () => {
    for (const [name, text] of PATHOLOGICAL) {
      try {
        checkInvariants(text, 'src/edge.ts');
      } catch (err) {
        throw new Error(`${name}: ${(err as Error).message}`);
      }
    }
  });
});

describe('fix properties', () => {
  const fullProject = project;
  /** Every fix of every finding: applies, parses as well as before, and its finding is gone. */
  function checkFixes(text: string, fileName: string): void {
    const result = analyze({ text, fileName, project: fullProject });
    if (result.skipped) return;
    const before = syntaxErrorCount(parse(text, fileName));
    for (const f of result.findings) {
      for (const fix of f.fixes) {
        if (fix.edits.length === 0) continue;
        const out = applyEdits(text, fix.edits);
        assert.ok(syntaxErrorCount(parse(out, fileName)) <= before, `${f.ruleId} "${fix.title}" broke the syntax`);
        if (before > 0) continue; // on broken input only the syntax guarantee holds
        const again = analyze({ text: out, fileName, project: fullProject }).findings.filter((x) => x.ruleId === f.ruleId);
        const was = result.findings.filter((x) => x.ruleId === f.ruleId).length;
        assert.ok(again.length < was, `${f.ruleId} "${fix.title}" did not remove its finding in ${fileName}`);
      }
    }
  }

  it('on every seed file: each fix removes its finding without breaking the syntax', () => {
    for (const s of SEEDS) checkFixes(s.text, `src/${path.basename(s.name)}`);
  });

  it('on mutated seeds: fixes never add syntax errors', () => {
    fc.assert(fc.property(mutated, ({ text, fileName }) => checkFixes(text, fileName)), { seed: SEED, numRuns: Math.ceil(RUNS / 3) });
  });

  it('fix-all is idempotent and its edits never overlap', async () => {
    const { fixAll } = await import('../../server/src/engine/fixAll');
    for (const s of SEEDS) {
      const fileName = `src/${path.basename(s.name)}`;
      const once = fixAll({ text: s.text, fileName, project: fullProject });
      const edits = [...once.edits].sort((a, b) => a.start - b.start);
      for (let i = 1; i < edits.length; i++) assert.ok(edits[i].start >= edits[i - 1].end, `overlapping fix-all edits in ${s.name}`);
      assert.equal(applyEdits(s.text, once.edits), once.text);
      const twice = fixAll({ text: once.text, fileName, project: fullProject });
      assert.equal(twice.text, once.text, `fix-all is not idempotent on ${s.name}`);
      assert.equal(syntaxErrorCount(parse(once.text, fileName)), syntaxErrorCount(parse(s.text, fileName)));
    }
  });
});
