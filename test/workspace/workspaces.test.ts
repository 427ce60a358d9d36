/**
 * project/workspaces.ts: workspace packages from npm/yarn `workspaces` (array or `{ packages }`),
 * pnpm-workspace.yaml (block and flow lists, comments, negations), lerna.json; glob expansion
 * bounded and contained (no link out of the root); problems in words, never a throw.
 */
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readWorkspaces, pnpmWorkspacePatterns, workspacePackage, type Workspaces } from '../../server/src/project/workspaces';
import { cleanupTemp, copyProject, put, tempDir } from './fixtures';

after(cleanupTemp);

/** name → folder relative to the root, in order. */
const listed = (ws: Workspaces) => ws.packages.map((p) => [p.name, path.relative(ws.root, p.dir)]);
const problemLines = (ws: Workspaces) => ws.problems.map((p) => `${path.relative(ws.root, p.file) || '.'}: ${p.message}`);

describe('workspaces: npm / yarn / pnpm / lerna', () => {
  it('npm `workspaces` array (monorepo fixture), with each package.json', () => {
    const root = copyProject('monorepo');
    const ws = readWorkspaces(root);
    assert.deepEqual(ws.sources, ['package.json']);
    assert.deepEqual(ws.patterns, ['apps/*', 'packages/*']);
    assert.deepEqual(listed(ws), [['@acme/api', 'apps/api'], ['@acme/flags', 'packages/flags'], ['@acme/http', 'packages/http'], ['@acme/logger', 'packages/logger']]);
    const http = workspacePackage(ws, '@acme/http')!;
    assert.deepEqual(http.manifest.exports, { '.': { types: './dist/index.d.ts', import: './dist/index.js' } });
    assert.equal(http.manifest.main, './dist/index.js');
    assert.equal(http.manifest.types, './dist/index.d.ts');
    assert.equal(http.manifest.type, 'module');
    assert.equal(http.manifest.version, '0.3.0');
    assert.deepEqual(http.manifest.dependencies, { '@acme/logger': '*' });
    assert.deepEqual(workspacePackage(ws, '@acme/api')!.manifest.dependencies, { '@acme/flags': '*', '@acme/http': '*', '@acme/logger': '*', express: '^4.21.1', 'express-rate-limit': '^7.4.1' });
    assert.equal(workspacePackage(ws, '@acme/flags')!.manifest.main, 'dist/index.js');
    assert.deepEqual(ws.problems, []);
    assert.deepEqual(structuredClone(ws), ws);
  });

  it('yarn `workspaces: { packages, nohoist }`', () => {
    const root = tempDir();
    put(root, 'package.json', JSON.stringify({ private: true, workspaces: { packages: ['modules/*'], nohoist: ['**/react-native'] } }));
    put(root, 'modules/a/package.json', JSON.stringify({ name: 'a', imports: { '#db': './src/db.js' }, typings: 'index.d.ts' }));
    put(root, 'modules/b/readme.md', 'no package.json here');
    const ws = readWorkspaces(root);
    assert.deepEqual(listed(ws), [['a', 'modules/a']]);
    assert.deepEqual(ws.packages[0].manifest.imports, { '#db': './src/db.js' });
    assert.equal(ws.packages[0].manifest.types, 'index.d.ts');
  });

  it('pnpm-workspace.yaml (pnpm-mono fixture): a negated pattern leaves a package out; `catalog:` is passed over', () => {
    const root = copyProject('pnpm-mono');
    const ws = readWorkspaces(root);
    assert.deepEqual(ws.sources, ['pnpm-workspace.yaml']);
    assert.deepEqual(ws.patterns, ['services/*', 'libs/*', '!libs/legacy']);
    assert.deepEqual(listed(ws), [['@pm/logger', 'libs/logger'], ['@pm/worker', 'services/worker']]);
    assert.deepEqual(workspacePackage(ws, '@pm/logger')!.manifest.imports, { '#internal/*': './src/internal/*.ts' });
  });

  it('lerna.json `packages`, merged with package.json workspaces', () => {
    const root = tempDir();
    put(root, 'package.json', JSON.stringify({ workspaces: ['tools/*'] }));
    put(root, 'lerna.json', JSON.stringify({ version: 'independent', packages: ['packages/*', 'tools/*'] }));
    put(root, 'packages/core/package.json', JSON.stringify({ name: '@l/core' }));
    put(root, 'tools/cli/package.json', JSON.stringify({ name: '@l/cli' }));
    const ws = readWorkspaces(root);
    assert.deepEqual(ws.sources, ['package.json', 'lerna.json']);
    assert.deepEqual(ws.patterns, ['tools/*', 'packages/*']);
    assert.deepEqual(listed(ws), [['@l/core', 'packages/core'], ['@l/cli', 'tools/cli']]);
  });

  it('`**` goes down (bounded); node_modules and dot-folders are not walked; exact folder patterns work', () => {
    const root = tempDir();
    put(root, 'package.json', JSON.stringify({ workspaces: ['packages/**', './tools/release/', '!packages/**/fixtures/**'] }));
    put(root, 'packages/a/package.json', JSON.stringify({ name: 'a' }));
    put(root, 'packages/group/b/package.json', JSON.stringify({ name: 'b' }));
    put(root, 'packages/group/b/fixtures/c/package.json', JSON.stringify({ name: 'c' }));
    put(root, 'packages/a/node_modules/dep/package.json', JSON.stringify({ name: 'dep' }));
    put(root, 'packages/.cache/d/package.json', JSON.stringify({ name: 'd' }));
    put(root, 'tools/release/package.json', JSON.stringify({ name: 'release' }));
    put(root, 'tools/other/package.json', JSON.stringify({ name: 'other' }));
    assert.deepEqual(listed(readWorkspaces(root)), [['a', 'packages/a'], ['b', 'packages/group/b'], ['release', 'tools/release']]);
  });

  it('no workspaces: no packages, no problems', () => {
    const root = copyProject('remix-alias');
    const ws = readWorkspaces(root);
    assert.deepEqual([ws.sources, ws.patterns, ws.packages, ws.problems], [[], [], [], []]);
    assert.deepEqual(readWorkspaces(tempDir()).packages, []);
  });
});

describe('workspaces: problems and containment', () => {
  it('a broken package.json, a duplicate name, an unnamed package', () => {
    const root = tempDir();
    put(root, 'package.json', JSON.stringify({ workspaces: ['p/*'] }));
    put(root, 'p/a/package.json', '{ "name": "dup" }');
    put(root, 'p/b/package.json', '{ "name": "dup" }');
    put(root, 'p/c/package.json', '{ "name": ');
    put(root, 'p/d/package.json', '{ "private": true }');
    put(root, 'p/e/package.json', '"a string"');
    const ws = readWorkspaces(root);
    assert.deepEqual(listed(ws), [['dup', 'p/a']]);
    assert.deepEqual(problemLines(ws), [
      'p/b/package.json: The package name dup of p/b is already used by p/a; this one is left out.',
      `p/c/package.json: p/c/package.json is not valid JSON: ${jsonError('{ "name": ')}`,
      'p/e/package.json: p/e/package.json is not a JSON object.',
    ]);
  });

  it('a broken root package.json or lerna.json is a problem; pnpm-workspace.yaml still counts', () => {
    const root = tempDir();
    put(root, 'package.json', '{ "workspaces": [');
    put(root, 'lerna.json', '[]');
    put(root, 'pnpm-workspace.yaml', 'packages: ["apps/*"]\n');
    put(root, 'apps/web/package.json', '{ "name": "web" }');
    const ws = readWorkspaces(root);
    assert.deepEqual(listed(ws), [['web', 'apps/web']]);
    assert.deepEqual(problemLines(ws), [`package.json: package.json is not valid JSON: ${jsonError('{ "workspaces": [')}`, 'lerna.json: lerna.json is not a JSON object.']);
  });

  it('patterns leaving the root are refused; a linked folder leading out is not walked; one inside is', () => {
    const outside = tempDir();
    put(outside, 'evil/package.json', JSON.stringify({ name: 'evil' }));
    const root = tempDir();
    put(root, 'package.json', JSON.stringify({ workspaces: ['../*', '/etc', 'packages/*'] }));
    fs.mkdirSync(path.join(root, 'packages'));
    fs.symlinkSync(path.join(outside, 'evil'), path.join(root, 'packages/evil'));
    put(root, 'real/inner/package.json', JSON.stringify({ name: 'inner' }));
    fs.symlinkSync(path.join(root, 'real/inner'), path.join(root, 'packages/inner'));
    const ws = readWorkspaces(root);
    assert.deepEqual(listed(ws), [['inner', 'packages/inner']]);
    assert.deepEqual(problemLines(ws), ['.: The workspace pattern ../* leaves the repository; it is not followed.', '.: The workspace pattern /etc leaves the repository; it is not followed.']);
  });

  it('`**` through a link loop inside the root ends (each real folder walked once per pattern)', () => {
    const root = tempDir();
    put(root, 'package.json', JSON.stringify({ workspaces: ['packages/**'] }));
    put(root, 'packages/a/package.json', JSON.stringify({ name: 'a' }));
    fs.symlinkSync('..', path.join(root, 'packages/a/up'));
    fs.symlinkSync('.', path.join(root, 'packages/a/self'));
    assert.deepEqual(listed(readWorkspaces(root)), [['a', 'packages/a']]);
  });

  it('a root package.json that is a link out of the root is not read', () => {
    const outside = tempDir();
    put(outside, 'package.json', JSON.stringify({ workspaces: ['*'] }));
    const root = tempDir();
    fs.symlinkSync(path.join(outside, 'package.json'), path.join(root, 'package.json'));
    const ws = readWorkspaces(root);
    assert.deepEqual(ws.patterns, []);
    assert.deepEqual(problemLines(ws), ['package.json: package.json was not read: symbolic link points outside the project root.']);
  });
});

describe('pnpm-workspace.yaml reader', () => {
  it('block lists: quoted, unquoted, comments, a list at column 0, stops at the next key', () => {
    assert.deepEqual(pnpmWorkspacePatterns(`# root
packages:
  # apps
  - apps/*   # web and api
  - "packages/**"
  - '!**/test/**'

- 'tools/*'
onlyBuiltDependencies:
  - esbuild
`), ['apps/*', 'packages/**', '!**/test/**', 'tools/*']);
  });

  it('flow lists, on one line or several; CRLF; no packages key', () => {
    assert.deepEqual(pnpmWorkspacePatterns("packages: ['a/*', \"b/*\" ] # x\n"), ['a/*', 'b/*']);
    assert.deepEqual(pnpmWorkspacePatterns('packages: [\r\n  "a/*",\r\n  "b/#1"\r\n]\r\n'), ['a/*', 'b/#1']);
    assert.deepEqual(pnpmWorkspacePatterns('catalog:\n  react: ^18\n'), []);
    assert.deepEqual(pnpmWorkspacePatterns(''), []);
  });

  it('hostile input is read in one pass: a line of 200,000 dashes, a flow list of 200,000 lines never closed', () => {
    const dashes = pnpmWorkspacePatterns('packages:\n  - ' + '- '.repeat(200_000) + '\n');
    assert.deepEqual(dashes.map((p) => p.length), [399_999]);
    const flow = pnpmWorkspacePatterns('packages: [\n' + '"a/*",\n'.repeat(200_000));
    assert.equal(flow.length, 200_000);
    assert.equal(flow[199_999], 'a/*');
  });
});

/** What JSON.parse says about `text` on this Node version. */
function jsonError(text: string): string {
  try {
    JSON.parse(text);
  } catch (err) {
    return (err as Error).message;
  }
  return '';
}
