/**
 * workspace/resolver.ts: `(specifier, fromFile)` → file | package | builtin | undefined, through
 * TypeScript's resolver with the file's tsconfig and a host that presents workspace packages as
 * installed, maps their missing (or built) output back to source, and sees nothing outside the root.
 * Exact expected results for each kind, on the fixture projects and on small trees made here.
 */
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ModuleResolver, builtinName, splitPackageSpecifier, type ImportMode, type Resolution } from '../../server/src/workspace/resolver';
import { cleanupTemp, copyProject, installTsconfigNode20, put, tempDir } from './fixtures';

after(cleanupTemp);

/** The resolution with its file relative to the root (exact comparisons that read well). */
function relative(root: string, r: Resolution | undefined): unknown {
  if (r?.kind !== 'file') return r;
  return { ...r, file: path.relative(root, r.file) };
}

/** resolve() for a list of [from, specifier, mode?] → results relative to the root. */
function resolveAll(root: string, cases: [from: string, specifier: string, mode?: ImportMode][], resolver = new ModuleResolver(root)): unknown[] {
  return cases.map(([from, spec, mode]) => relative(root, resolver.resolve(spec, path.join(root, from), mode)));
}

const file = (f: string, pkg?: string) => (pkg ? { kind: 'file', file: f, package: pkg } : { kind: 'file', file: f });
const pkg = (name: string, subpath = '') => ({ kind: 'package', name, subpath });
const builtin = (name: string) => ({ kind: 'builtin', name });

describe('resolver: tsconfig paths and baseUrl', () => {
  it('remix-alias: `~/*` → app/*, relative imports of the same module, packages with subpaths, builtins', () => {
    const root = copyProject('remix-alias');
    const route = 'app/routes/orders.$id.tsx';
    assert.deepEqual(resolveAll(root, [
      [route, '~/services/logger.server'],
      [route, '~/models/order.server'],
      [route, '~/utils/constants'],
      ['app/models/order.server.ts', '../services/logger.server'],
      ['app/services/http.server.ts', './logger.server'],
      [route, '~/services/missing.server'],
      [route, '@remix-run/node'],
      ['app/entry.server.tsx', 'react-dom/server'],
      ['app/entry.server.tsx', 'node:stream'],
      [route, 'fs'],
      [route, 'fs/promises'],
      [route, 'node:test'],
    ]), [
      file('app/services/logger.server.ts'),
      file('app/models/order.server.ts'),
      file('app/utils/constants.ts'),
      file('app/services/logger.server.ts'),
      file('app/services/logger.server.ts'),
      undefined, // an alias that leads to no file
      pkg('@remix-run/node'),
      pkg('react-dom', 'server'),
      builtin('stream'),
      builtin('fs'),
      builtin('fs/promises'),
      builtin('test'),
    ]);
  });

  it('nest-alias: `@app/*` with baseUrl ".", and a bare `src/…` import through baseUrl', () => {
    const root = copyProject('nest-alias');
    assert.deepEqual(resolveAll(root, [
      ['src/main.ts', '@app/common/logger'],
      ['src/orders/orders.service.ts', 'src/common/http'],
      ['src/orders/orders.service.ts', '@app/common/flags'],
      ['src/orders/orders.controller.ts', './orders.service'],
      ['src/main.ts', './app.module'],
      ['src/main.ts', '@app/nope'],
      ['src/main.ts', '@nestjs/core'],
      ['src/main.ts', 'reflect-metadata'],
    ]), [
      file('src/common/logger.ts'),
      file('src/common/http.ts'),
      file('src/common/flags.ts'),
      file('src/orders/orders.service.ts'),
      file('src/app.module.ts'),
      undefined,
      pkg('@nestjs/core'),
      pkg('reflect-metadata'),
    ]);
  });

  it('js-require: jsconfig paths for require(), index files, relative paths up', () => {
    const root = copyProject('js-require');
    assert.deepEqual(resolveAll(root, [
      ['src/server.js', '@lib/logger', 'require'],
      ['src/server.js', './routes', 'require'],
      ['src/routes/orders.js', '../../lib/limiter', 'require'],
      ['src/routes/orders.js', '@lib/http', 'require'],
      ['lib/http.js', './logger', 'require'],
      ['lib/http.js', 'node-fetch', 'require'],
      ['src/server.js', 'lib/flags', 'require'], // baseUrl "."
    ]), [
      file('lib/logger.js'),
      file('src/routes/index.js'),
      file('lib/limiter.js'),
      file('lib/http.js'),
      file('lib/logger.js'),
      pkg('node-fetch'),
      file('lib/flags.js'),
    ]);
  });
});

describe('resolver: extends chains and project references', () => {
  it('extends-pkg: @tsconfig/node20 (node16 resolution) from node_modules, package `imports` (#lib/*), paths without baseUrl, .js → .ts', () => {
    const root = copyProject('extends-pkg');
    installTsconfigNode20(root);
    assert.deepEqual(resolveAll(root, [
      ['src/routes.ts', '#lib/http'],
      ['src/routes.ts', '@/lib/logger'],
      ['src/server.ts', './lib/logger.js'],
      ['src/server.ts', './routes.js'],
      ['src/routes.ts', '#lib/missing'],
      ['src/server.ts', '@fastify/rate-limit'],
    ]), [
      file('src/lib/http.ts'),
      file('src/lib/logger.ts'),
      file('src/lib/logger.ts'),
      file('src/routes.ts'),
      undefined,
      pkg('@fastify/rate-limit'),
    ]);
  });

  it('monorepo: paths from the second entry of an array `extends`, references, `.js` specifiers of .ts files', () => {
    const root = copyProject('monorepo');
    assert.deepEqual(resolveAll(root, [
      ['apps/api/src/server.ts', '@api/routes/orders'],
      ['apps/api/src/routes/orders.ts', '@api/middleware/limiter'],
      ['apps/api/src/routes/orders.ts', '../config.js'],
      ['packages/http/src/index.ts', './client.js'],
      ['packages/http/src/index.ts', '@api/routes/orders'], // the alias is the api's, not the http package's
    ]), [
      file('apps/api/src/routes/orders.ts'),
      file('apps/api/src/middleware/limiter.ts'),
      file('apps/api/src/config.ts'),
      file('packages/http/src/client.ts'),
      pkg('@api/routes', 'orders'),
    ]);
  });

  it('a file under a solution tsconfig is resolved with the settings of the referenced project that includes it', () => {
    const root = tempDir();
    put(root, 'tsconfig.json', '{ "files": [], "references": [{ "path": "./tsconfig.app.json" }] }');
    put(root, 'tsconfig.app.json', '{ "compilerOptions": { "moduleResolution": "bundler", "module": "esnext", "paths": { "@/*": ["./src/*"] } }, "include": ["src"] }');
    put(root, 'src/lib/api.ts', 'export {};\n');
    put(root, 'src/main.ts', "import '@/lib/api';\n");
    assert.deepEqual(resolveAll(root, [['src/main.ts', '@/lib/api']]), [file('src/lib/api.ts')]);
  });
});

describe('resolver: workspace packages', () => {
  const app = 'apps/api/src/routes/orders.ts';

  it('monorepo: `exports` → missing dist → src (outDir/rootDir of the package tsconfig), a src export, `main` without tsconfig', () => {
    const root = copyProject('monorepo');
    assert.deepEqual(resolveAll(root, [
      [app, '@acme/http'],
      [app, '@acme/logger'],
      [app, '@acme/flags'],
      ['packages/http/src/client.ts', '@acme/logger'],
      [app, '@acme/http/internal'], // not offered by its exports
      [app, 'express'],
    ]), [
      file('packages/http/src/index.ts', '@acme/http'),
      file('packages/logger/src/index.ts', '@acme/logger'),
      file('packages/flags/src/index.ts', '@acme/flags'),
      file('packages/logger/src/index.ts', '@acme/logger'),
      undefined,
      pkg('express'),
    ]);
  });

  it('built output present: still the source (as project references do); a .d.ts next to its .js gives the .js', () => {
    const root = copyProject('monorepo');
    put(root, 'packages/http/dist/index.js', 'export * from "./client.js";\n');
    put(root, 'packages/http/dist/index.d.ts', 'export * from "./client.js";\n');
    put(root, 'packages/flags/dist/index.js', 'exports.isOn = () => false;\n');
    put(root, 'packages/flags/dist/index.d.ts', 'export declare function isOn(key: string): boolean;\n');
    put(root, 'apps/api/src/legacy/util.js', 'module.exports = {};\n');
    put(root, 'apps/api/src/legacy/util.d.ts', 'export {};\n');
    assert.deepEqual(resolveAll(root, [
      [app, '@acme/http'],
      [app, '@acme/flags'],
      [app, '../legacy/util'],
    ]), [
      file('packages/http/src/index.ts', '@acme/http'),
      file('packages/flags/src/index.ts', '@acme/flags'),
      file('apps/api/src/legacy/util.js'),
    ]);
  });

  it('installed as links (npm: root node_modules; pnpm: the app\'s node_modules): the workspace source', () => {
    const root = copyProject('monorepo');
    fs.mkdirSync(path.join(root, 'node_modules/@acme'), { recursive: true });
    fs.symlinkSync('../../packages/http', path.join(root, 'node_modules/@acme/http'));
    fs.mkdirSync(path.join(root, 'apps/api/node_modules/@acme'), { recursive: true });
    fs.symlinkSync('../../../../packages/logger', path.join(root, 'apps/api/node_modules/@acme/logger'));
    fs.symlinkSync('../../../../packages/flags', path.join(root, 'apps/api/node_modules/@acme/flags'));
    assert.deepEqual(resolveAll(root, [
      [app, '@acme/http'],
      [app, '@acme/logger'],
      [app, '@acme/flags'],
    ]), [
      file('packages/http/src/index.ts', '@acme/http'),
      file('packages/logger/src/index.ts', '@acme/logger'),
      file('packages/flags/src/index.ts', '@acme/flags'),
    ]);
  });

  it('pnpm-mono: a workspace package through `exports` under NodeNext, `.js` → `.ts`, the package\'s own `imports`; an excluded package is third-party', () => {
    const root = copyProject('pnpm-mono');
    assert.deepEqual(resolveAll(root, [
      ['services/worker/src/index.ts', '@pm/logger'],
      ['services/worker/src/index.ts', './jobs/sendInvoice.js'],
      ['services/worker/src/jobs/sendInvoice.ts', '@pm/logger'],
      ['libs/logger/src/index.ts', '#internal/redact'],
      ['libs/logger/src/index.ts', '#internal/nope'],
      ['services/worker/src/index.ts', '@pm/legacy'],
      ['services/worker/src/index.ts', 'bullmq'],
    ]), [
      file('libs/logger/src/index.ts', '@pm/logger'),
      file('services/worker/src/jobs/sendInvoice.ts'),
      file('libs/logger/src/index.ts', '@pm/logger'),
      file('libs/logger/src/internal/redact.ts'),
      undefined,
      pkg('@pm/legacy'),
      pkg('bullmq'),
    ]);
  });

  it('`import` and `require` take their own `exports` condition; conventional dist/esm → src', () => {
    const root = tempDir();
    put(root, 'package.json', JSON.stringify({ workspaces: ['packages/*'] }));
    put(root, 'packages/dual/package.json', JSON.stringify({ name: 'dual', exports: { '.': { import: './esm/index.js', require: './cjs/index.cjs' }, './feature': { import: './dist/esm/feature.mjs' } } }));
    put(root, 'packages/dual/esm/index.js', 'export const x = 1;\n');
    put(root, 'packages/dual/cjs/index.cjs', 'exports.x = 1;\n');
    put(root, 'packages/dual/src/feature.mts', 'export const f = 1;\n');
    put(root, 'app/main.js', '');
    assert.deepEqual(resolveAll(root, [
      ['app/main.js', 'dual', 'import'],
      ['app/main.js', 'dual', 'require'],
      ['app/main.js', 'dual/feature', 'import'],
    ]), [
      file('packages/dual/esm/index.js', 'dual'),
      file('packages/dual/cjs/index.cjs', 'dual'),
      file('packages/dual/src/feature.mts', 'dual'),
    ]);
  });

  it('an installed third-party package: package with its subpath, whatever file it resolves to', () => {
    const root = tempDir();
    put(root, 'node_modules/left-pad/package.json', JSON.stringify({ name: 'left-pad', main: 'index.js' }));
    put(root, 'node_modules/left-pad/index.js', 'module.exports = () => {};\n');
    put(root, 'node_modules/@scope/kit/package.json', JSON.stringify({ name: '@scope/kit', exports: { './button': './b.js' } }));
    put(root, 'node_modules/@scope/kit/b.js', 'export {};\n');
    assert.deepEqual(resolveAll(root, [
      ['src/a.ts', 'left-pad'],
      ['src/a.ts', '@scope/kit/button'],
      ['src/a.ts', '@scope/kit/other'],
    ]), [pkg('left-pad'), pkg('@scope/kit', 'button'), pkg('@scope/kit', 'other')]);
  });

  it('a project on moduleResolution "node" (Node10) still finds `exports`-only workspace packages and `imports`', () => {
    const root = tempDir();
    put(root, 'package.json', JSON.stringify({ workspaces: ['packages/*'], imports: { '#cfg': './src/config.ts' } }));
    put(root, 'tsconfig.json', '{ "compilerOptions": { "module": "commonjs", "moduleResolution": "node" } }');
    put(root, 'packages/only-exports/package.json', JSON.stringify({ name: 'only-exports', exports: './lib/main.ts' }));
    put(root, 'packages/only-exports/lib/main.ts', 'export {};\n');
    put(root, 'src/config.ts', 'export {};\n');
    assert.deepEqual(resolveAll(root, [
      ['src/a.ts', 'only-exports'],
      ['src/a.ts', '#cfg'],
    ]), [file('packages/only-exports/lib/main.ts', 'only-exports'), file('src/config.ts')]);
  });
});

describe('resolver: what cannot be resolved, and the root boundary', () => {
  it('assets: relative, with a bundler query, through a paths alias, in a workspace package without `exports`', () => {
    const root = copyProject('remix-alias');
    put(root, 'package.json', JSON.stringify({ workspaces: ['packages/*'] }));
    put(root, 'packages/assets/package.json', JSON.stringify({ name: '@shop/assets', private: true }));
    put(root, 'packages/assets/images/logo.png', 'png');
    put(root, 'packages/icons/package.json', JSON.stringify({ name: '@shop/icons', exports: { './*': './svg/*.js' } }));
    put(root, 'packages/icons/cart.svg', '<svg/>');
    assert.deepEqual(resolveAll(root, [
      ['app/root.tsx', '~/tailwind.css?url'],
      ['app/root.tsx', './tailwind.css'],
      ['app/routes/healthcheck.tsx', '../tailwind.css?inline'],
      ['app/root.tsx', '~/missing.css?url'],
      ['app/root.tsx', '@shop/assets/images/logo.png'],
      ['app/root.tsx', '@shop/assets/images/nope.png'],
      ['app/root.tsx', '@shop/icons/cart.svg'], // its exports decide, and offer no such file
      ['app/root.tsx', 'some-ui/dist/style.css?inline'],
    ]), [
      file('app/tailwind.css'),
      file('app/tailwind.css'),
      file('app/tailwind.css'),
      undefined,
      file('packages/assets/images/logo.png', '@shop/assets'),
      undefined,
      undefined,
      pkg('some-ui', 'dist/style.css'),
    ]);
  });

  it('missing files, empty and odd specifiers, URLs, virtual modules, an unconfigured @/ alias', () => {
    const root = tempDir();
    put(root, 'src/styles.css', 'body {}\n');
    assert.deepEqual(resolveAll(root, [
      ['src/a.ts', './missing'],
      ['src/a.ts', ''],
      ['src/a.ts', 'https://esm.sh/react'],
      ['src/a.ts', 'virtual:remix/server-build'],
      ['src/a.ts', '@/lib/api'],
      ['src/a.ts', '~/lib/api'],
      ['src/a.ts', './styles.css'],
      ['src/a.ts', './styles.scss'],
      ['src/a.ts', 'x'.repeat(2000)],
    ]), [undefined, undefined, undefined, undefined, undefined, undefined, file('src/styles.css'), undefined, undefined]);
  });

  it('nothing outside the root: a relative path up and out, an importing file outside, an absolute path', () => {
    const parent = tempDir();
    put(parent, 'shared/util.ts', 'export {};\n');
    const root = path.join(parent, 'app');
    put(root, 'src/a.ts', '');
    const r = new ModuleResolver(root);
    assert.equal(r.resolve('../../shared/util', path.join(root, 'src/a.ts')), undefined);
    assert.equal(r.resolve(path.join(parent, 'shared/util.ts'), path.join(root, 'src/a.ts')), undefined);
    assert.equal(r.resolve('./util', path.join(parent, 'shared/other.ts')), undefined);
    assert.deepEqual(r.resolve('node:fs', path.join(parent, 'shared/other.ts')), builtin('fs')); // no disk needed
  });

  it('a link pointing out of the root: a linked folder of sources, a linked package in node_modules — not read', () => {
    const outside = tempDir();
    put(outside, 'lib/logger.ts', 'export const logger = console;\n');
    put(outside, 'pkg/package.json', JSON.stringify({ name: 'evil', main: 'index.js' }));
    put(outside, 'pkg/index.js', '');
    const root = tempDir();
    put(root, 'src/a.ts', '');
    fs.symlinkSync(path.join(outside, 'lib'), path.join(root, 'src/lib'));
    fs.mkdirSync(path.join(root, 'node_modules'));
    fs.symlinkSync(path.join(outside, 'pkg'), path.join(root, 'node_modules/evil'));
    const r = new ModuleResolver(root);
    assert.equal(r.resolve('./lib/logger', path.join(root, 'src/a.ts')), undefined);
    assert.deepEqual(r.resolve('evil', path.join(root, 'src/a.ts')), pkg('evil'));
    // the linked folders were seen as leading out, so nothing below them was even looked for
    assert.deepEqual([...r.fs.refused].sort(), [path.join(root, 'node_modules/evil'), path.join(root, 'src/lib')]);
  });

  it('a link inside the root is followed and named by its real path in the root\'s spelling; a root given through a link keeps its spelling', () => {
    const base = tempDir();
    const real = path.join(base, 'real-root');
    put(real, 'src/lib/logger.ts', 'export {};\n');
    put(real, 'src/a.ts', '');
    fs.symlinkSync(path.join(real, 'src/lib'), path.join(real, 'src/alias-lib'));
    const linked = path.join(base, 'linked-root');
    fs.symlinkSync(real, linked);
    const r = new ModuleResolver(linked);
    assert.deepEqual(r.resolve('./alias-lib/logger', path.join(linked, 'src/a.ts')), file(path.join(linked, 'src/lib/logger.ts')));
    assert.deepEqual(r.resolve('./lib/logger', path.join(linked, 'src/a.ts')), file(path.join(linked, 'src/lib/logger.ts')));
  });

  it('a link loop is no file and no exception', () => {
    const root = tempDir();
    put(root, 'src/a.ts', '');
    fs.symlinkSync('loop', path.join(root, 'src/loop'));
    fs.symlinkSync('b-link', path.join(root, 'src/a-link'));
    fs.symlinkSync('a-link', path.join(root, 'src/b-link'));
    fs.mkdirSync(path.join(root, 'node_modules'));
    fs.symlinkSync('.', path.join(root, 'node_modules/self'));
    assert.deepEqual(resolveAll(root, [
      ['src/a.ts', './loop/x'],
      ['src/a.ts', './a-link'],
      ['src/a.ts', 'self/self/self'],
    ]), [undefined, undefined, pkg('self', 'self/self')]);
  });

  it('answers are memoised until invalidate(); a broken tsconfig still resolves relative imports', () => {
    const root = tempDir();
    put(root, 'tsconfig.json', '{ "compilerOptions": { "paths": { "#/*": ["./src/*"] } ');
    put(root, 'src/a.ts', '');
    const r = new ModuleResolver(root);
    const from = path.join(root, 'src/a.ts');
    assert.equal(r.resolve('./later', from), undefined);
    put(root, 'src/later.ts', 'export {};\n');
    assert.equal(r.resolve('./later', from), undefined);
    r.invalidate();
    assert.deepEqual(relative(root, r.resolve('./later', from)), file('src/later.ts'));
    assert.deepEqual(r.tsconfigs.configFor(from)!.problems.map((p) => p.message), ["'}' expected."]);
  });
});

describe('resolver: helpers', () => {
  it('splitPackageSpecifier', () => {
    assert.deepEqual(
      ['lodash', 'lodash/fp', '@scope/x', '@scope/x/a/b', '@scope', '@/x', '.hidden', '_private', 'JSONStream', 'virtual:x', '~/a', 'a b'].map(splitPackageSpecifier),
      [{ name: 'lodash', subpath: '' }, { name: 'lodash', subpath: 'fp' }, { name: '@scope/x', subpath: '' }, { name: '@scope/x', subpath: 'a/b' }, undefined, undefined, undefined, undefined, { name: 'JSONStream', subpath: '' }, undefined, undefined, undefined],
    );
  });

  it('builtinName', () => {
    assert.deepEqual(['fs', 'node:fs', 'fs/promises', 'node:test', 'test', 'express', 'node:', 'process'].map(builtinName), ['fs', 'fs', 'fs/promises', 'test', undefined, undefined, undefined, 'process']);
  });
});
