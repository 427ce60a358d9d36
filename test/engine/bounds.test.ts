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
import picomatch from 'picomatch';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { boundGitignore, globMatcher, globProblem } from '../../server/src/engine/glob';
import { parseConfigFile } from '../../server/src/engine/configFile';
import { discoverFiles } from '../../server/src/engine/files';
import { RULE_IDS } from '../../server/src/rules';

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

/** Sixteen `**` segments: picomatch took 8.5 s on a 28-folder path and 117 s on a 32-folder one; `ignore` 25 s. */
const SIXTEEN = `${Array(16).fill('**/a').join('/')}/b`;

describe('.failpath.json globs: one matcher, linear in the path', () => {
  it('agrees with picomatch (dot: true) on generated globs and paths', () => {
    // the syntax both support; known differences are asserted below
    const tok = fc.constantFrom('a', 'b', '.', '*', '?', '[ab]', '[^a]', '[a-c]', '{a,b}', 'x{,a}', 'x', '\\*', '-');
    const segment = fc.array(tok, { minLength: 1, maxLength: 3 }).map((a) => a.join(''));
    const pattern = fc.tuple(fc.constantFrom('', '', '!', './'), fc.array(fc.oneof(segment, fc.constant('**')), { minLength: 1, maxLength: 5 }))
      .map(([prefix, parts]) => prefix + parts.join('/')).filter((p) => !p.endsWith('/**'));
    const file = fc.array(fc.constantFrom('a', 'b', 'ab', '.a', 'x', 'a.b', 'ba', '*', 'c', 'aa', '-'), { minLength: 1, maxLength: 5 }).map((a) => a.join('/'));
    fc.assert(fc.property(pattern, fc.array(file, { minLength: 1, maxLength: 8 }), (p, files) => {
      assert.equal(globProblem(p), undefined);
      const theirs = picomatch(p, { dot: true });
      const ours = globMatcher([p]);
      for (const f of files) assert.equal(ours(f), theirs(f), `${p} on ${f}`);
    }), { seed: 18, numRuns: 5_000 });
  });

  it('the globs of the docs, and where it differs from picomatch on purpose', () => {
    const m = (p: string, files: string[]) => files.filter(globMatcher([p]));
    const files = ['src/generated', 'src/generated/a.ts', 'src/generated/deep/b.ts', 'src/a.test.ts', 'lib/legacy/x.js', 'src/legacy/y.ts', 'a.ts', '.env.ts', 'src/(group)/page.ts'];
    assert.deepEqual(m('src/generated/**', files), ['src/generated', 'src/generated/a.ts', 'src/generated/deep/b.ts']);
    assert.deepEqual(m('**/*.test.ts', files), ['src/a.test.ts']);
    assert.deepEqual(m('{src,lib}/legacy/**', files), ['lib/legacy/x.js', 'src/legacy/y.ts']);
    assert.deepEqual(m('*.ts', files), ['a.ts', '.env.ts']);
    assert.deepEqual(m('!**/*.ts', files), ['src/generated', 'lib/legacy/x.js']);
    assert.deepEqual(m('src/\\(group\\)/*', files), ['src/(group)/page.ts']);
    assert.deepEqual(m('src/{generated/deep,legacy}/*', files), ['src/generated/deep/b.ts', 'src/legacy/y.ts']);
    assert.deepEqual(m('src/[!a-g]*/**', files), ['src/legacy/y.ts', 'src/(group)/page.ts']); // picomatch: [!…] at the start of a segment matches nothing here
    assert.deepEqual(m('*/**', ['src']), ['src']); // `**` is zero or more segments after any prefix (picomatch: after a literal one only)
  });

  it('sixteen ** segments: exact answers on 40- and 2,000-folder paths', () => {
    const m = globMatcher([SIXTEEN]);
    assert.equal(m(`${Array(40).fill('a').join('/')}/c`), false);
    assert.equal(m(`${'a/'.repeat(2000)}c`), false);
    assert.equal(m(`${'a/'.repeat(2000)}b`), true);
    assert.equal(m(`${Array(16).fill('a').join('/')}/b`), true);
    assert.equal(m(`${Array(15).fill('a').join('/')}/b`), false);
    assert.equal(globMatcher(['*a*a*a*a*a*a*a*b'])(`${'a'.repeat(255)}c`), false);
  });

  it('unsupported or unbounded globs are rejected with a reason, at their column in .failpath.json', () => {
    assert.equal(globProblem(SIXTEEN), undefined);
    assert.equal(globProblem('@(a|b)/**'), 'uses "(", ")" or "|": groups and extglobs are not supported (write alternatives in braces, {a,b}, and escape a literal parenthesis: \\()');
    assert.equal(globProblem('[[:alpha:]]*'), 'uses a POSIX class like [[:alpha:]], which globs here do not support; write a range like [a-z]');
    assert.equal(globProblem('x'.repeat(1001)), 'is longer than 1000 characters');
    assert.equal(globProblem('{a,b}{c,d}{e,f}{g,h}{i,j}{k,l}{m,n}{o,p}{q,r}'), 'expands to more than 256 alternatives');
    assert.equal(globProblem('{1..1000}'), 'expands to more than 256 alternatives');
    const text = `{\n  "ignore": ["ok/**", "+(a|b)/**"],\n  "features": { "billing": { "paths": ["src/billing/**", "src/(pay|bill)/**"] } }\n}\n`;
    const parsed = parseConfigFile(text, RULE_IDS);
    assert.deepEqual(parsed.problems.map((p) => [text.slice(p.start, p.end), p.severity, p.message]), [
      ['"src/(pay|bill)/**"', 'error', '"src/(pay|bill)/**" uses "(", ")" or "|": groups and extglobs are not supported (write alternatives in braces, {a,b}, and escape a literal parenthesis: \\()'],
      ['"+(a|b)/**"', 'error', '"+(a|b)/**" uses "(", ")" or "|": groups and extglobs are not supported (write alternatives in braces, {a,b}, and escape a literal parenthesis: \\()'],
    ]);
    assert.deepEqual(parsed.ignore, ['ok/**']);
    assert.deepEqual(Object.keys(parsed.features ?? { missing: 1 }), []); // a null-prototype map since sec-misc
  });
});

describe('.gitignore lines the ignore package cannot match in bounded time', () => {
  it('are left out and named; consecutive ** collapse; comments and a trailing /** stay', () => {
    const text = `node_modules\n**/gen/**\n${SIXTEEN}\na/**/**/**/b\n# ${SIXTEEN}\n**/x/**/y\n${'z'.repeat(1001)}\n`;
    assert.deepEqual(boundGitignore(text), {
      text: `node_modules\n**/gen/**\n\na/**/b\n# ${SIXTEEN}\n\n\n`,
      problem: 'lines 3, 6, 7 not applied: a pattern with more than 1 "**" before its last segment, or longer than 1000 characters, cannot be matched in bounded time',
    });
    assert.deepEqual(boundGitignore('dist\n'), { text: 'dist\n' });
  });

  it('discovery reports them once per file and applies the other lines', () => {
    const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'failpath-bounds-')));
    try {
      const deep = path.join(root, ...Array(32).fill('a'));
      fs.mkdirSync(path.join(deep, 'gen'), { recursive: true });
      fs.writeFileSync(path.join(deep, 'c.ts'), 'export {};\n');
      fs.writeFileSync(path.join(deep, 'gen', 'd.ts'), 'export {};\n');
      fs.writeFileSync(path.join(root, '.gitignore'), `${SIXTEEN}\n**/gen/**\n${SIXTEEN}/c.ts\n`);
      const r = discoverFiles([root]);
      assert.deepEqual(r.files, [path.join(deep, 'c.ts')]);
      assert.deepEqual(r.problems, [{ path: path.join(root, '.gitignore'), message: 'lines 1, 3 not applied: a pattern with more than 1 "**" before its last segment, or longer than 1000 characters, cannot be matched in bounded time' }]);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
