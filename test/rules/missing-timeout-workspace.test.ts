/**
 * missing-timeout across workspace packages: an HTTP client instance exported by one package and
 * imported in another through the package's name is found through the Session's module graph
 * (the name need not match the folder), with and without a deadline.
 */
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { Session } from '../../server/src/workspace/session';
import { analyze } from '../../server/src/engine/analyze';
import { cleanupTemp, put, sourceFiles, tempDir } from '../workspace/fixtures';

after(cleanupTemp);

const ROUTE = "import { api } from '@acme/upstream';\nexport const load = () => api.get('/users');\n";

/** A monorepo whose `packages/clients` package is named `@acme/upstream` and exports `api`. */
function monorepo(create: string): { root: string; route: string } {
  const root = tempDir();
  put(root, 'package.json', JSON.stringify({ name: 'mono', private: true, workspaces: ['packages/*'] }));
  put(root, 'packages/clients/package.json', JSON.stringify({ name: '@acme/upstream', main: 'src/index.ts', dependencies: { axios: '^1.7.0' } }));
  put(root, 'packages/clients/src/index.ts', `import axios from 'axios';\nexport const api = ${create};\n`);
  put(root, 'packages/app/package.json', JSON.stringify({ name: '@acme/app', dependencies: { '@acme/upstream': '*', express: '^4.0.0' } }));
  const route = put(root, 'packages/app/src/routes.ts', ROUTE);
  return { root, route };
}

function timeoutFindings(create: string): string[] {
  const { root, route } = monorepo(create);
  const input = Session.create(root, sourceFiles(root)).analysisInput(route, ROUTE);
  return analyze({ text: ROUTE, fileName: route, ...input, only: new Set(['missing-timeout']) }).findings
    .map((f) => `${path.relative(root, route)}:${ROUTE.slice(0, f.start).split('\n').length} ${f.message.split(':')[0]}`);
}

describe('missing-timeout: an axios instance exported by a workspace package', () => {
  it('is reported at the call in the importing package when it was created without a timeout', () => {
    assert.deepEqual(timeoutFindings("axios.create({ baseURL: 'https://upstream.example' })"), [
      `${path.join('packages', 'app', 'src', 'routes.ts')}:2 api.get() has no timeout`,
    ]);
  });

  it('is fine when it was created with a timeout', () => {
    assert.deepEqual(timeoutFindings("axios.create({ baseURL: 'https://upstream.example', timeout: 5000 })"), []);
  });
});
