/**
 * workspace/conventions/index.ts: learnConventions end to end on a fixture project (exact data),
 * plain data that survives structured clone, the same answer whatever the order of the files,
 * and no exception on hostile input (garbage texts, a malformed graph, a reader that throws).
 */
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { learnConventions } from '../../server/src/workspace/conventions';
import { emptyModuleGraph, type ModuleGraph } from '../../server/src/workspace/moduleGraph';
import { cleanupTemp } from './fixtures';
import { fixture, inline, relative } from './learn';

after(cleanupTemp);

describe('learnConventions', () => {
  it('the Express app with a winston module behind a tsconfig alias: every part, exactly', () => {
    const l = fixture('express-winston');
    const got = relative(learnConventions({ root: l.root, files: l.files, graph: l.graph, readText: l.readText }), l.root);
    assert.deepEqual(got, {
      devOnly: [],
      logger: {
        module: { kind: 'file', file: 'src/lib/logger.ts' },
        exportName: 'default',
        localName: 'logger',
        specifiers: [{ specifier: '@/lib/logger', count: 2 }, { specifier: './lib/logger', count: 1 }],
        importers: 3,
        shape: 'message-first',
        error: { kind: 'positional' },
        errorKey: 'error',
        warnMethod: 'warn',
        evidence: { calls: 5, agreeing: 4, files: 3 },
        library: 'winston',
      },
      requestLoggers: [],
      httpWrappers: [
        { file: 'src/lib/http.ts', exportName: 'getJson', setsDeadline: true, library: 'got' },
        { file: 'src/lib/http.ts', exportName: 'postJson', setsDeadline: false, library: 'fetch' },
        { file: 'src/lib/http.ts', exportName: 'quotesApi', setsDeadline: false, library: 'axios' },
      ],
      flagHelpers: [
        { module: 'src/lib/flags.ts', exportName: 'cachedFlag', keys: ['quotes-v2'] },
        { module: 'src/lib/flags.ts', exportName: 'flags', method: 'isEnabled', keys: ['new-pricing'] },
        { module: 'process.env', exportName: 'process.env', keys: ['DISABLE_QUOTES'] },
      ],
      limiters: [{ file: 'src/middleware/index.ts', name: 'middlewares' }, { file: 'src/middleware/limiter.ts', name: 'limiter' }],
      healthRoutes: ['/api/health', '/api/status'],
      summaries: {
        'src/lib/flags.ts': { cachedFlag: { setsDeadline: false, catchesAll: false, canReject: true } },
        'src/lib/http.ts': {
          getJson: { io: 'http', setsDeadline: true, catchesAll: false, canReject: true },
          postJson: { io: 'http', setsDeadline: false, catchesAll: false, canReject: true },
        },
        'src/services/quotes.ts': {
          fetchQuote: { setsDeadline: false, catchesAll: true, canReject: false },
          saveQuote: { setsDeadline: false, catchesAll: false, canReject: true },
        },
      },
    });
  });

  it('plain data: structured clone keeps it whole; the order of the files does not change the answer', () => {
    for (const name of ['remix-alias', 'nest-alias', 'monorepo', 'fastify-pino']) {
      const l = fixture(name);
      const a = learnConventions({ root: l.root, files: l.files, graph: l.graph, readText: l.readText });
      assert.deepEqual(structuredClone(a), a, name);
      const b = learnConventions({ root: l.root, files: [...l.files].reverse(), graph: l.graph, readText: l.readText });
      assert.deepEqual(b, a, name);
    }
  });

  it('hostile input never throws: garbage texts, deep nesting, a reader that throws, a malformed graph', () => {
    const garbage = [
      '\u0000\uffff'.repeat(100),
      'export const = = = ;;; import { from',
      `export const deep = ${'['.repeat(20_000)}${']'.repeat(20_000)};`,
      `export function f() { return ${'('.repeat(5_000)}1${')'.repeat(5_000)}; }`,
      "import x from 'pino'; x.error(".repeat(500),
      'module.exports = module.exports = exports.a = require(require)',
      `app.get(${'A+'.repeat(3000)}'/health')`,
      '@Controller(@Get(@Get())) class {',
    ];
    const files: Record<string, string> = { 'src/logger.ts': "import pino from 'pino';\nexport const logger = pino();\n" };
    garbage.forEach((t, i) => { files[`src/g${i}.ts`] = `import { logger } from './logger';\n${t}`; });
    const l = inline(files);
    const got = learnConventions({ root: l.root, files: l.files, graph: l.graph, readText: l.readText });
    assert.deepEqual(Object.keys(got).sort(), ['devOnly', 'flagHelpers', 'healthRoutes', 'httpWrappers', 'limiters', 'requestLoggers', 'summaries', ...(got.logger ? ['logger'] : [])].sort());
    assert.deepEqual(structuredClone(got), got);

    const throwing = learnConventions({ root: l.root, files: l.files, graph: l.graph, readText: () => { throw new Error('EACCES'); } });
    assert.deepEqual(throwing, { requestLoggers: [], httpWrappers: [], flagHelpers: [], limiters: [], healthRoutes: [], summaries: {}, devOnly: [] });

    const bad = { root: 1, files: null, imports: { x: [null, { specifier: 3, to: { kind: 'file' } }] }, importers: { y: 'z' }, packages: null, packageUsers: [] } as unknown as ModuleGraph;
    const odd = learnConventions({ root: l.root, files: [l.files[0], 42 as unknown as string, '', '/nope'], graph: bad, readText: l.readText });
    assert.deepEqual(odd, { requestLoggers: [], httpWrappers: [], flagHelpers: [], limiters: [], healthRoutes: [], summaries: {}, devOnly: [] });
    assert.deepEqual(learnConventions({ root: '', files: [], graph: emptyModuleGraph(''), readText: () => undefined }), { requestLoggers: [], httpWrappers: [], flagHelpers: [], limiters: [], healthRoutes: [], summaries: {}, devOnly: [] });
    assert.deepEqual(learnConventions(undefined as unknown as Parameters<typeof learnConventions>[0]), { requestLoggers: [], httpWrappers: [], flagHelpers: [], limiters: [], healthRoutes: [], summaries: {}, devOnly: [] });
  });
});
