/**
 * project/tsconfig.ts: which tsconfig/jsconfig applies to a file (include/exclude/files, solution
 * files with references, the nearest as fallback), what it says after `extends` (relative chains,
 * arrays, a package from node_modules), JSONC, the problems of broken configs (never a throw),
 * and the cache (re-read when a file of the chain changed, kept otherwise).
 */
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { TsconfigLoader, covers } from '../../server/src/project/tsconfig';
import { cleanupTemp, copyProject, installTsconfigNode20, put, tempDir } from './fixtures';

after(cleanupTemp);

describe('tsconfig: which config applies', () => {
  it('the nearest tsconfig whose include covers the file (remix-alias)', () => {
    const root = copyProject('remix-alias');
    const loader = new TsconfigLoader(root);
    const c = loader.configFor(path.join(root, 'app/routes/orders.$id.tsx'))!;
    assert.equal(c.file, path.join(root, 'tsconfig.json'));
    assert.deepEqual(c.options.paths, { '~/*': ['./app/*'] });
    assert.equal(c.options.moduleResolution, ts.ModuleResolutionKind.Bundler);
    assert.equal(c.options.jsx, ts.JsxEmit.ReactJSX);
    assert.equal(c.options.allowJs, true);
    assert.deepEqual(c.problems, []);
    assert.deepEqual(c.chain, [path.join(root, 'tsconfig.json')]);
  });

  it('a solution tsconfig (files: [] + references) hands the file to the referenced project that includes it', () => {
    const root = copyProject('monorepo');
    const loader = new TsconfigLoader(root);
    put(root, 'packages/http/scripts/release.ts', 'export {};\n');
    // packages/http/tsconfig.json includes only src: the script falls through to the root solution
    // file, whose references do not include it either → the nearest config
    assert.equal(loader.configFor(path.join(root, 'packages/http/scripts/release.ts'))?.file, path.join(root, 'packages/http/tsconfig.json'));
    // a file at the root, under no project's include: the root config by nearness
    const atRoot = put(root, 'scripts/check.ts', 'export {};\n');
    assert.equal(loader.configFor(atRoot)?.file, path.join(root, 'tsconfig.json'));
    // a root solution with references, asked for a file only a referenced project includes
    put(root, 'tsconfig.json', JSON.stringify({ files: [], references: [{ path: './apps/api/tsconfig.json' }] }));
    put(root, 'apps/api/tsconfig.json', JSON.stringify({ extends: '../../tsconfig.base.json', include: ['../../tools/**/*.ts'] }));
    const tool = put(root, 'tools/gen.ts', 'export {};\n');
    const loader2 = new TsconfigLoader(root);
    assert.equal(loader2.configFor(tool)?.file, path.join(root, 'apps/api/tsconfig.json'));
  });

  it('follows references of references (Vite-style tsconfig.app.json / tsconfig.node.json)', () => {
    const root = tempDir();
    put(root, 'tsconfig.json', '{ "files": [], "references": [{ "path": "./tsconfig.app.json" }, { "path": "./tsconfig.node.json" }] }');
    put(root, 'tsconfig.app.json', '{ "compilerOptions": { "jsx": "react-jsx", "paths": { "@/*": ["./src/*"] } }, "include": ["src"] }');
    put(root, 'tsconfig.node.json', '{ "compilerOptions": { "module": "NodeNext" }, "include": ["vite.config.ts"] }');
    const loader = new TsconfigLoader(root);
    assert.equal(loader.configFor(put(root, 'src/main.tsx', ''))?.file, path.join(root, 'tsconfig.app.json'));
    assert.equal(loader.configFor(put(root, 'vite.config.ts', ''))?.file, path.join(root, 'tsconfig.node.json'));
    assert.equal(loader.configFor(put(root, 'other/x.ts', ''))?.file, path.join(root, 'tsconfig.json'));
  });

  it('exclude: an excluded file goes to the next config up; a jsconfig.json counts; tsconfig wins in one folder', () => {
    const root = tempDir();
    put(root, 'tsconfig.json', '{ "compilerOptions": { "strict": true } }');
    put(root, 'pkg/tsconfig.json', '{ "compilerOptions": { "strict": false }, "exclude": ["**/*.test.ts"] }');
    put(root, 'pkg/jsconfig.json', '{ "compilerOptions": { "checkJs": true } }');
    put(root, 'web/jsconfig.json', '{ "compilerOptions": { "checkJs": true } }');
    const loader = new TsconfigLoader(root);
    assert.equal(loader.configFor(put(root, 'pkg/a.ts', ''))?.file, path.join(root, 'pkg/tsconfig.json'));
    assert.equal(loader.configFor(put(root, 'pkg/a.test.ts', ''))?.file, path.join(root, 'tsconfig.json'));
    const web = loader.configFor(put(root, 'web/app.js', ''))!;
    assert.equal(web.file, path.join(root, 'web/jsconfig.json'));
    assert.equal(web.options.allowJs, true); // TypeScript's jsconfig defaults
    // node_modules is excluded by default, and dist (the outDir) too
    put(root, 'tsconfig.json', '{ "compilerOptions": { "outDir": "dist" } }');
    const fresh = new TsconfigLoader(root);
    const cfg = fresh.load(path.join(root, 'tsconfig.json'))!;
    assert.equal(covers(cfg, path.join(root, 'src/a.ts')), true);
    assert.equal(covers(cfg, path.join(root, 'node_modules/x/index.ts')), false);
    assert.equal(covers(cfg, path.join(root, 'dist/a.d.ts')), false);
    assert.equal(covers(cfg, path.join(root, 'src/a.js')), false); // no allowJs
    assert.equal(covers(cfg, path.join(root, 'src/readme.md')), false);
  });

  it('covers() decides as TypeScript\'s own walk does (ts.sys), for include/exclude patterns of every shape', () => {
    const root = tempDir();
    // no two files differ only by extension: TypeScript lists one of such a pair (a.ts over a.js), yet the config covers both
    const tree = [
      'src/a.ts', 'src/b.tsx', 'src/c.js', 'src/d.test.ts', 'src/deep/e.ts', 'src/deep/er/f.mts', 'src/.server/g.ts', 'src/.hidden.ts',
      'src/node_modules/h.ts', 'src/x.d.ts', 'src/y.json', 'lib/1.ts', 'lib/12.ts', 'dist/out.js', 'dist/out.d.ts', 'shared/s.ts',
      'app/routes/orders.$id.tsx', 'app/.client/k.ts', 'scripts/build.cjs', 'index.ts',
    ];
    for (const f of tree) put(root, f, '');
    const configs: unknown[] = [
      { include: ['src'] },
      { include: ['src/**/*.ts'], exclude: ['**/*.test.ts'] },
      { compilerOptions: { allowJs: true, outDir: 'dist' } },
      { include: ['**/*', '**/.server/**/*.ts', '**/.client/**/*.ts'] },
      { include: ['src/*.ts', 'lib/?.ts'] },
      { include: ['./app/**/*', '../outside/**/*'], exclude: ['app/routes'] },
      { compilerOptions: { allowJs: true }, include: ['src/**/*', 'scripts/*.cjs'], exclude: ['src/deep'] },
      { include: ['src/node_modules/**/*'] },
      { compilerOptions: { resolveJsonModule: true }, include: ['src/*.json', 'src/*.ts'] },
    ];
    for (const [i, config] of configs.entries()) {
      put(root, 'tsconfig.json', JSON.stringify(config));
      const parsed = ts.parseJsonConfigFileContent(structuredClone(config), ts.sys, root);
      const expected = tree.map((f) => path.join(root, f)).filter((f) => parsed.fileNames.includes(f)).map((f) => path.relative(root, f));
      const cfg = new TsconfigLoader(root).load(path.join(root, 'tsconfig.json'))!;
      const got = tree.filter((f) => covers(cfg, path.join(root, f)));
      assert.deepEqual(got, expected, `config #${i}: ${JSON.stringify(config)}`);
    }
  });

  it('`files` lists count; no config → undefined; a file outside the root → undefined', () => {
    const root = tempDir();
    put(root, 'tsconfig.json', '{ "files": ["src/index.ts"] }');
    const loader = new TsconfigLoader(root);
    const index = put(root, 'src/index.ts', '');
    assert.equal(covers(loader.configFor(index)!, index), true);
    assert.equal(covers(loader.configFor(put(root, 'src/other.ts', ''))!, path.join(root, 'src/other.ts')), false);
    const bare = tempDir();
    assert.equal(new TsconfigLoader(bare).configFor(put(bare, 'a.ts', '')), undefined);
    assert.equal(loader.configFor(path.join(path.dirname(root), 'elsewhere.ts')), undefined);
  });
});

describe('tsconfig: extends', () => {
  it('a relative chain: app → ../../tsconfig.base.json, paths resolved against the config that declares them', () => {
    const root = copyProject('monorepo');
    const c = new TsconfigLoader(root).configFor(path.join(root, 'packages/http/src/client.ts'))!;
    assert.equal(c.file, path.join(root, 'packages/http/tsconfig.json'));
    assert.deepEqual(c.chain, [path.join(root, 'packages/http/tsconfig.json'), path.join(root, 'tsconfig.base.json')]);
    assert.equal(c.options.strict, true); // from the base
    assert.equal(c.options.composite, true);
    assert.equal(c.options.moduleResolution, ts.ModuleResolutionKind.Bundler);
    assert.equal(c.options.outDir, path.join(root, 'packages/http/dist'));
    assert.equal(c.options.rootDir, path.join(root, 'packages/http/src'));
    assert.deepEqual(c.references, [path.join(root, 'packages/logger/tsconfig.json')]);
  });

  it('an array of extends (TS 5+): later entries override earlier ones, the config overrides both', () => {
    const root = copyProject('monorepo');
    const c = new TsconfigLoader(root).configFor(path.join(root, 'apps/api/src/server.ts'))!;
    assert.deepEqual(c.chain, [path.join(root, 'apps/api/tsconfig.json'), path.join(root, 'tsconfig.base.json'), path.join(root, 'apps/api/tsconfig.paths.json')]);
    assert.deepEqual(c.options.paths, { '@api/*': ['./src/*'] });
    assert.equal((c.options as { pathsBasePath?: string }).pathsBasePath, path.join(root, 'apps/api'));
    assert.equal(c.options.strict, true);
    assert.equal(c.options.outDir, path.join(root, 'apps/api/dist'));
    assert.deepEqual(c.references, [path.join(root, 'packages/http/tsconfig.json'), path.join(root, 'packages/logger/tsconfig.json')]);
    assert.deepEqual(c.problems, []);
  });

  it('a package path (@tsconfig/node20/tsconfig.json) from node_modules, when installed', () => {
    const root = copyProject('extends-pkg');
    const missing = new TsconfigLoader(root).configFor(path.join(root, 'src/server.ts'))!;
    assert.deepEqual(missing.problems.map((p) => [path.relative(root, p.file), p.message, p.start, p.end]), [
      ['tsconfig.json', "File '@tsconfig/node20/tsconfig.json' not found.", 15, 47],
    ]);
    assert.deepEqual(missing.options.paths, { '@/*': ['./src/*'] }); // what the config itself says still holds
    installTsconfigNode20(root);
    const c = new TsconfigLoader(root).configFor(path.join(root, 'src/server.ts'))!;
    assert.deepEqual(c.problems, []);
    assert.equal(c.options.module, ts.ModuleKind.Node16);
    assert.equal(c.options.moduleResolution, ts.ModuleResolutionKind.Node16);
    assert.equal(c.options.target, ts.ScriptTarget.ES2022);
    assert.equal(c.options.outDir, path.join(root, 'dist'));
    assert.ok(c.chain.includes(path.join(root, 'node_modules/@tsconfig/node20/tsconfig.json')));
  });

  it('JSONC: comments and trailing commas are fine', () => {
    const root = tempDir();
    put(root, 'tsconfig.json', `{
  // line comment
  /* block comment */
  "compilerOptions": {
    "baseUrl": ".",
    "paths": { "@app/*": ["src/*",], },
  },
}
`);
    const c = new TsconfigLoader(root).load(path.join(root, 'tsconfig.json'))!;
    assert.deepEqual(c.problems, []);
    assert.deepEqual(c.options.paths, { '@app/*': ['src/*'] });
    assert.equal(c.options.baseUrl, root);
  });
});

describe('tsconfig: problems, never a throw', () => {
  const problems = (root: string, text: string, extra: Record<string, string> = {}) => {
    put(root, 'tsconfig.json', text);
    for (const [rel, t] of Object.entries(extra)) put(root, rel, t);
    const c = new TsconfigLoader(root).load(path.join(root, 'tsconfig.json'))!;
    return c.problems.map((p) => `${path.relative(root, p.file)}: ${p.message}`);
  };

  it('broken JSON', () => {
    assert.deepEqual(problems(tempDir(), '{ "compilerOptions": { "strict": true, '), ["tsconfig.json: '}' expected."]);
  });

  it('a root that is not an object', () => {
    assert.deepEqual(problems(tempDir(), '[1, 2]'), ["tsconfig.json: The root value of a 'tsconfig.json' file must be an object."]);
  });

  it('a missing extends target', () => {
    const root = tempDir();
    assert.deepEqual(problems(root, '{ "extends": "./nope.json" }'), [`tsconfig.json: Cannot read file '${path.join(root, 'nope.json')}'.`]);
  });

  it('circular extends', () => {
    const root = tempDir();
    assert.deepEqual(problems(root, '{ "extends": "./b.json" }', { 'b.json': '{ "extends": "./tsconfig.json" }' }), [
      `tsconfig.json: Circularity detected while resolving configuration: ${path.join(root, 'tsconfig.json')} -> ${path.join(root, 'b.json')} -> ${path.join(root, 'tsconfig.json')}`,
    ]);
  });

  it('an extends outside the project root is not read', () => {
    const parent = tempDir();
    fs.writeFileSync(path.join(parent, 'tsconfig.base.json'), '{ "compilerOptions": { "strict": true } }');
    const root = path.join(parent, 'app');
    fs.mkdirSync(root);
    assert.deepEqual(problems(root, '{ "extends": "../tsconfig.base.json" }'), ['tsconfig.json: tsconfig.json: ../tsconfig.base.json was not read (outside the project root).']);
    assert.equal(new TsconfigLoader(root).load(path.join(root, 'tsconfig.json'))!.options.strict, undefined);
  });

  it('an extends through a symbolic link leading out of the root is not read', () => {
    const outside = tempDir();
    fs.writeFileSync(path.join(outside, 'base.json'), '{ "compilerOptions": { "strict": true } }');
    const root = tempDir();
    fs.symlinkSync(path.join(outside, 'base.json'), path.join(root, 'base.json'));
    assert.deepEqual(problems(root, '{ "extends": "./base.json" }'), ['tsconfig.json: tsconfig.json: base.json was not read (symbolic link points outside the project root).']);
  });

  it('an unknown option is reported at its spot; the rest still applies', () => {
    const root = tempDir();
    const text = '{ "compilerOptions": { "strictt": true, "allowJs": true } }';
    put(root, 'tsconfig.json', text);
    const c = new TsconfigLoader(root).load(path.join(root, 'tsconfig.json'))!;
    assert.deepEqual(c.problems, [{ file: path.join(root, 'tsconfig.json'), message: "Unknown compiler option 'strictt'. Did you mean 'strict'?", start: text.indexOf('"strictt"'), end: text.indexOf('"strictt"') + 9 }]);
    assert.equal(c.options.allowJs, true);
  });

  it('a tsconfig larger than the cap is not read', () => {
    const root = tempDir();
    const big = '{ "compilerOptions": {} }' + ' '.repeat(4 * 1024 * 1024 + 1);
    assert.deepEqual(problems(root, big), ['tsconfig.json: tsconfig.json was not read: file is larger than 4 MB.']);
  });

  it('a folder named tsconfig.json is no config', () => {
    const root = tempDir();
    fs.mkdirSync(path.join(root, 'tsconfig.json'));
    assert.equal(new TsconfigLoader(root).configFor(put(root, 'a.ts', '')), undefined);
  });
});

describe('tsconfig: cache', () => {
  it('kept until invalidate(); then re-read only when a file of its chain changed (by mtime)', () => {
    const root = copyProject('monorepo');
    const loader = new TsconfigLoader(root);
    const file = path.join(root, 'apps/api/src/server.ts');
    const first = loader.configFor(file)!;
    assert.equal(loader.configFor(file), first);
    const other = loader.configFor(path.join(root, 'packages/http/src/client.ts'))!;
    // edit a base of the api config: same text length, a later mtime
    const paths = path.join(root, 'apps/api/tsconfig.paths.json');
    fs.writeFileSync(paths, JSON.stringify({ compilerOptions: { paths: { '@srv/*': ['./src/*'] } } }));
    fs.utimesSync(paths, new Date(2030, 0, 1), new Date(2030, 0, 1));
    assert.equal(loader.configFor(file), first); // not looked at before invalidate()
    loader.invalidate();
    const second = loader.configFor(file)!;
    assert.notEqual(second, first);
    assert.deepEqual(second.options.paths, { '@srv/*': ['./src/*'] });
    assert.equal(loader.configFor(path.join(root, 'packages/http/src/client.ts')), other); // unchanged: the same object
  });

  it('a config created after the first look is found after invalidate()', () => {
    const root = tempDir();
    const loader = new TsconfigLoader(root);
    const file = put(root, 'src/a.ts', '');
    assert.equal(loader.configFor(file), undefined);
    put(root, 'tsconfig.json', '{}');
    loader.invalidate();
    assert.equal(loader.configFor(file)?.file, path.join(root, 'tsconfig.json'));
    assert.deepEqual(loader.problems(), []);
  });

  it('options are plain data (structured clone and JSON keep them)', () => {
    const root = copyProject('monorepo');
    const c = new TsconfigLoader(root).configFor(path.join(root, 'apps/api/src/server.ts'))!;
    assert.deepEqual(structuredClone(c), c);
    assert.deepEqual(JSON.parse(JSON.stringify(c)), c);
  });
});
