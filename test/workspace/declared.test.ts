/**
 * .failpath.json "knowledge" applied by the Session (workspace/conventions/declared.ts): the view
 * of each file under a .failpath.json shows its declared logger, HTTP clients, flag helpers and
 * limiters — resolved through tsconfig aliases and relative to that file —, a nearer file's logger
 * wins, a declaration wins over what was learned for the same module, and nothing leaks: another
 * project's Session, and the process-wide knowledge table, are unchanged.
 */
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Session, Sessions } from '../../server/src/workspace/session';
import { KNOWLEDGE } from '../../server/src/knowledge';
import { cleanupTemp, put, sourceFiles, tempDir } from './fixtures';

after(cleanupTemp);

const plain = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

function project(files: Record<string, string>): string {
  const root = tempDir('failpath-declared-');
  for (const [rel, text] of Object.entries(files)) put(root, rel, text);
  return root;
}

const sessionOf = (root: string) => Session.create(root, sourceFiles(root));

const BASE = {
  'package.json': '{ "name": "svc" }\n',
  'tsconfig.json': '{ "compilerOptions": { "baseUrl": ".", "paths": { "~/*": ["src/*"] } } }\n',
  'src/lib/out.ts': 'export const out = { error(..._a: unknown[]) {} };\n',
  'src/lib/guards.ts': 'export const shield = () => {};\nexport const fence = () => {};\n',
  'src/lib/rollout.ts': 'export const gate = (k: string) => k.length > 0;\n',
  'src/app.ts': "import { out } from '~/lib/out';\nout.error('x');\n",
  'pkg/a.ts': 'export const a = 1;\n',
};

describe('Session: .failpath.json "knowledge" in the views', () => {
  it('each section becomes the view entry the rules read, modules resolved from the .failpath.json folder and through tsconfig paths', () => {
    const root = project({
      ...BASE,
      '.failpath.json': JSON.stringify({
        knowledge: {
          loggers: [{ module: '~/lib/out', export: 'out', style: 'winston' }],
          limiters: [{ module: './src/lib/guards', exports: ['shield'] }, { module: '@acme/limits' }],
          flagHelpers: [{ module: './src/lib/rollout', export: 'gate' }, { module: '@acme/flags', export: 'flags', kind: 'client', method: 'isEnabled' }],
          httpClients: [{ module: '@acme/http', factory: 'createClient', timeoutOption: 'timeoutMs', defaultTimeoutMs: 5000, calls: [{ method: 'get', options: 1 }] }],
        },
      }),
    });
    const view = sessionOf(root).viewFor(path.join(root, 'src/app.ts'));
    assert.deepEqual(plain(view.logger), {
      module: { kind: 'file', file: path.join(root, 'src/lib/out.ts') },
      exportName: 'out', localName: 'out',
      specifiers: [{ specifier: '~/lib/out', count: 0 }],
      importers: 0, shape: 'message-first', error: { kind: 'field', key: 'error' }, errorKey: 'error', warnMethod: 'warn',
      evidence: { calls: 0, agreeing: 0, files: 0 }, library: 'winston',
    });
    assert.deepEqual(plain(view.limiters), [{ file: path.join(root, 'src/lib/guards.ts'), name: 'shield' }, { file: '@acme/limits', name: '*' }]);
    assert.deepEqual(plain(view.flagHelpers), [
      { module: path.join(root, 'src/lib/rollout.ts'), exportName: 'gate', keys: [] },
      { module: '@acme/flags', exportName: 'flags', method: 'isEnabled', keys: [] },
    ]);
    assert.deepEqual(plain(view.httpWrappers), [{
      file: '@acme/http', exportName: 'createClient', setsDeadline: true,
      declared: { specifier: '@acme/http', factory: 'createClient', calls: [{ path: ['get'], options: 1 }], timeoutOption: 'timeoutMs', defaultTimeoutMs: 5000 },
    }]);
  });

  it('each logger style gives its call shape', () => {
    const shapes: Record<string, unknown> = {
      pino: { shape: 'object-first', error: { kind: 'field', key: 'err' }, errorKey: 'err' },
      bunyan: { shape: 'object-first', error: { kind: 'field', key: 'err' }, errorKey: 'err' },
      winston: { shape: 'message-first', error: { kind: 'field', key: 'error' }, errorKey: 'error' },
      log4js: { shape: 'message-first', error: { kind: 'positional' }, errorKey: 'err' },
      nestjs: { shape: 'message-first', error: { kind: 'positional', stack: true }, errorKey: 'err', infoMethod: 'log' },
    };
    for (const [style, expected] of Object.entries(shapes)) {
      const root = project({ ...BASE, '.failpath.json': JSON.stringify({ knowledge: { loggers: [{ module: '@acme/log', style }] } }) });
      const l = sessionOf(root).viewFor(path.join(root, 'src/app.ts')).logger!;
      assert.deepEqual({ shape: l.shape, error: l.error, errorKey: l.errorKey, ...(l.infoMethod ? { infoMethod: l.infoMethod } : {}) }, expected, style);
      assert.deepEqual([l.module, l.exportName, l.localName], [{ kind: 'package', name: '@acme/log' }, 'logger', 'logger'], style);
    }
  });

  it('over the learned logger of the same module: its importers\' alias and count stay, the declared style wins', () => {
    const files = {
      ...BASE,
      'src/lib/logger.ts': 'export const logger = { error(..._a: unknown[]) {} };\n',
      'src/a.ts': "import { logger } from '~/lib/logger';\nexport function a(err: unknown) { logger.error({ err }, 'a failed'); }\n",
      'src/b.ts': "import { logger } from '~/lib/logger';\nexport function b(err: unknown) { logger.error({ err }, 'b failed'); }\n",
    };
    const learned = sessionOf(project(files));
    const root = project({ ...files, '.failpath.json': JSON.stringify({ knowledge: { loggers: [{ module: './src/lib/logger', style: 'winston' }] } }) });
    const before = learned.viewFor(path.join(learned.root, 'src/a.ts')).logger!;
    assert.equal(before.shape, 'object-first');
    const l = sessionOf(root).viewFor(path.join(root, 'src/a.ts')).logger!;
    assert.deepEqual(plain(l), {
      module: { kind: 'file', file: path.join(root, 'src/lib/logger.ts') }, exportName: 'logger', localName: 'logger',
      specifiers: [{ specifier: '~/lib/logger', count: 2 }], importers: 2,
      shape: 'message-first', error: { kind: 'field', key: 'error' }, errorKey: 'error', warnMethod: 'warn',
      evidence: before.evidence, library: 'winston',
    });
  });

  it('a nearer .failpath.json wins for the files under it; the others keep the outer one', () => {
    const root = project({
      ...BASE,
      '.failpath.json': JSON.stringify({ knowledge: { loggers: [{ module: '@acme/outer-log', style: 'pino' }], limiters: [{ module: '@acme/outer-limits' }] } }),
      'pkg/.failpath.json': JSON.stringify({ knowledge: { loggers: [{ module: './log', export: 'log', style: 'winston' }] } }),
      'pkg/log.ts': 'export const log = { error() {} };\n',
    });
    const session = sessionOf(root);
    const inner = session.viewFor(path.join(root, 'pkg/a.ts'));
    const outer = session.viewFor(path.join(root, 'src/app.ts'));
    assert.deepEqual(plain(inner.logger!.module), { kind: 'file', file: path.join(root, 'pkg/log.ts') });
    assert.deepEqual(plain(outer.logger!.module), { kind: 'package', name: '@acme/outer-log' });
    // the outer file's other declarations apply under the inner one too
    assert.deepEqual(plain(inner.limiters), [{ file: '@acme/outer-limits', name: '*' }]);
  });

  it('two projects never see each other\'s declarations, and the process-wide table is unchanged', () => {
    const recordsBefore = KNOWLEDGE.records.length;
    const a = project({ ...BASE, '.failpath.json': JSON.stringify({ knowledge: { loggers: [{ module: '@acme/log', style: 'pino' }], httpClients: [{ module: '@acme/http', timeoutOption: 't', calls: [{ options: 1 }] }] } }) });
    const b = project(BASE);
    const sessions = new Sessions([sessionOf(a), sessionOf(b)]);
    const va = sessions.forFile(path.join(a, 'src/app.ts'))!.viewFor(path.join(a, 'src/app.ts'));
    const vb = sessions.forFile(path.join(b, 'src/app.ts'))!.viewFor(path.join(b, 'src/app.ts'));
    assert.deepEqual([va.logger?.module, va.httpWrappers.length], [{ kind: 'package', name: '@acme/log' }, 1]);
    // b learned its own logger from its code (out, imported by app.ts): not a's
    assert.notDeepEqual(vb.logger?.module, { kind: 'package', name: '@acme/log' });
    assert.deepEqual(vb.httpWrappers, []);
    assert.equal(KNOWLEDGE.records.length, recordsBefore);
    assert.equal(KNOWLEDGE.libraryOf('@acme/http'), undefined);
  });

  it('a snapshot on another thread applies the same declarations (the views are equal)', () => {
    const root = project({ ...BASE, '.failpath.json': JSON.stringify({ knowledge: { limiters: [{ module: './src/lib/guards' }], flagHelpers: [{ module: '~/lib/rollout', export: 'gate' }] } }) });
    const session = sessionOf(root);
    const copy = Session.fromSnapshot(structuredClone(session.snapshot()));
    const file = path.join(root, 'src/app.ts');
    const { summaryOf: _a, ...original } = session.viewFor(file);
    const { summaryOf: _b, ...cloned } = copy.viewFor(file);
    assert.deepEqual(plain(cloned), plain(original));
    assert.deepEqual(plain(original.limiters), [{ file: path.join(root, 'src/lib/guards.ts'), name: '*' }]);
  });

  it('a .failpath.json changed on disk is read again for the next view', () => {
    const root = project({ ...BASE, '.failpath.json': JSON.stringify({ knowledge: { limiters: [{ module: '@acme/a' }] } }) });
    const session = sessionOf(root);
    const file = path.join(root, 'src/app.ts');
    assert.deepEqual(plain(session.viewFor(file).limiters), [{ file: '@acme/a', name: '*' }]);
    const config = path.join(root, '.failpath.json');
    fs.writeFileSync(config, JSON.stringify({ knowledge: { limiters: [{ module: '@acme/b' }] } }));
    const later = new Date(fs.statSync(config).mtimeMs + 5000);
    fs.utimesSync(config, later, later);
    assert.deepEqual(plain(session.viewFor(file).limiters), [{ file: '@acme/b', name: '*' }]);
  });
});
