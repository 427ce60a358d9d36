/**
 * workspace/moduleGraph.ts: imports read with ts.preProcessFile (kinds: import, export … from,
 * require, dynamic import; type-only), resolved; file → file edges, reverse edges, packages per
 * file; "who imports X" and "how many files import module M" through every alias; plain data.
 */
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ModuleResolver } from '../../server/src/workspace/resolver';
import { buildModuleGraph, importerCount, importersOf, scanImports, targetOf, updateModuleGraph, type ModuleGraph } from '../../server/src/workspace/moduleGraph';
import { cleanupTemp, copyProject, sourceFiles } from './fixtures';

after(cleanupTemp);

function graphOf(name: string): { root: string; graph: ModuleGraph; resolver: ModuleResolver } {
  const root = copyProject(name);
  const resolver = new ModuleResolver(root);
  const graph = buildModuleGraph(root, sourceFiles(root), (f) => fs.readFileSync(f, 'utf8'), resolver);
  return { root, graph, resolver };
}

const rel = (root: string, files: readonly string[]) => files.map((f) => path.relative(root, f));

describe('module graph: reading imports', () => {
  it('each kind, in source order, with its offset; type-only marked; `declare module` and comments are no imports', () => {
    const text = [
      "import a from './a';",
      "import type { B } from './b';",
      "export * from './c';",
      "export type { T } from './t';",
      "const d = require('./d');",
      "const e = await import('./e');",
      "import './f';",
      "export { g } from './g';",
      "import h = require('./h');",
      "import type from './tf';",
      "import { type X } from './x';",
      "// import y from './commented';",
      "const s = 'import z from \"./in-a-string\"';",
      "declare module 'augmented' { interface A {} }",
      "export {\n  one,\n  two,\n} from './multi';",
    ].join('\n');
    const got = scanImports(text).map((m) => [m.specifier, m.kind, m.typeOnly ?? false, text.slice(m.pos, m.pos + m.specifier.length) === m.specifier]);
    assert.deepEqual(got, [
      ['./a', 'import', false, true],
      ['./b', 'import', true, true],
      ['./c', 'export', false, true],
      ['./t', 'export', true, true],
      ['./d', 'require', false, true],
      ['./e', 'dynamic', false, true],
      ['./f', 'import', false, true],
      ['./g', 'export', false, true],
      ['./h', 'require', false, true],
      ['./tf', 'import', false, true], // `type` is the default import's name here
      ['./x', 'import', false, true], // one type specifier: the import itself stays
      ['./multi', 'export', false, true],
    ]);
  });

  it('text that is no module at all gives nothing, not an exception', () => {
    assert.deepEqual(scanImports('\u0000\u0001 import ( from "'), []);
    assert.deepEqual(scanImports('export {'.repeat(10_000)), []);
  });
});

describe('module graph: fixture projects', () => {
  it('remix-alias: the logger module is imported by 6 files, through `~/` and relative specifiers', () => {
    const { root, graph } = graphOf('remix-alias');
    const logger = path.join(root, 'app/services/logger.server.ts');
    assert.deepEqual(rel(root, importersOf(graph, logger)), [
      'app/entry.server.tsx',
      'app/models/order.server.ts',
      'app/routes/healthcheck.tsx',
      'app/routes/orders.$id.tsx',
      'app/routes/orders._index.tsx',
      'app/services/http.server.ts',
    ]);
    assert.equal(importerCount(graph, { file: logger }), 6);
    assert.equal(importerCount(graph, { package: '@remix-run/react' }), 4);
    assert.equal(importerCount(graph, { package: 'react-dom' }), 1);
    assert.equal(importerCount(graph, { package: 'winston' }), 1);
    assert.deepEqual(graph.packages[path.join(root, 'app/entry.server.tsx')], ['@remix-run/node', '@remix-run/react', 'isbot', 'react-dom']);
    assert.deepEqual(rel(root, graph.packageUsers['@remix-run/node']), ['app/entry.server.tsx', 'app/root.tsx', 'app/routes/healthcheck.tsx', 'app/routes/orders.$id.tsx', 'app/routes/orders._index.tsx']);
    assert.deepEqual(rel(root, importersOf(graph, path.join(root, 'app/tailwind.css'))), ['app/root.tsx']); // `~/tailwind.css?url`
    assert.deepEqual(targetOf(graph, path.join(root, 'app/routes/orders.$id.tsx'), '~/services/logger.server'), { kind: 'file', file: logger });
    assert.deepEqual(graph.unread, []);
    // every import of the fixture is resolved (builtins and packages included)
    assert.deepEqual(Object.values(graph.imports).flat().filter((m) => !m.to).map((m) => m.specifier), []);
  });

  it('nest-alias: the logger through `@app/common/logger`; the HTTP client through baseUrl', () => {
    const { root, graph } = graphOf('nest-alias');
    assert.deepEqual(rel(root, importersOf(graph, path.join(root, 'src/common/logger.ts'))), ['src/main.ts', 'src/orders/orders.controller.ts']);
    assert.deepEqual(rel(root, importersOf(graph, path.join(root, 'src/common/http.ts'))), ['src/orders/orders.service.ts']);
    assert.deepEqual(rel(root, importersOf(graph, path.join(root, 'src/common/constants.ts'))), ['src/health/health.controller.ts', 'src/orders/orders.service.ts']);
    assert.equal(importerCount(graph, { package: '@nestjs/common' }), 6);
  });

  it('monorepo: a workspace package counted through its name; its source file through any specifier', () => {
    const { root, graph } = graphOf('monorepo');
    const loggerSrc = path.join(root, 'packages/logger/src/index.ts');
    assert.deepEqual(rel(root, importersOf(graph, loggerSrc)), ['apps/api/src/routes/orders.ts', 'apps/api/src/server.ts', 'packages/http/src/client.ts']);
    assert.equal(importerCount(graph, { package: '@acme/logger' }), 3);
    assert.equal(importerCount(graph, { package: '@acme/http' }), 1);
    assert.equal(importerCount(graph, { package: 'express' }), 2);
    // workspace packages are files, not third-party packages
    assert.deepEqual(graph.packages[path.join(root, 'apps/api/src/routes/orders.ts')], ['express']);
    assert.deepEqual(targetOf(graph, path.join(root, 'apps/api/src/routes/orders.ts'), '@acme/http'), { kind: 'file', file: path.join(root, 'packages/http/src/index.ts'), package: '@acme/http' });
  });

  it('js-require: require() edges through jsconfig paths and index files', () => {
    const { root, graph } = graphOf('js-require');
    assert.deepEqual(rel(root, importersOf(graph, path.join(root, 'lib/logger.js'))), ['lib/http.js', 'src/routes/orders.js', 'src/server.js']);
    assert.deepEqual(rel(root, importersOf(graph, path.join(root, 'src/routes/index.js'))), ['src/server.js']);
    assert.deepEqual(graph.imports[path.join(root, 'src/server.js')].map((m) => [m.specifier, m.kind]), [['express', 'require'], ['@lib/logger', 'require'], ['./routes', 'require']]);
  });

  it('pnpm-mono: the package `imports` edge and the excluded package left as third-party', () => {
    const { root, graph } = graphOf('pnpm-mono');
    assert.deepEqual(rel(root, importersOf(graph, path.join(root, 'libs/logger/src/internal/redact.ts'))), ['libs/logger/src/index.ts']);
    assert.deepEqual(rel(root, importersOf(graph, path.join(root, 'libs/logger/src/index.ts'))), ['services/worker/src/index.ts', 'services/worker/src/jobs/sendInvoice.ts']);
    assert.deepEqual(Object.keys(graph.packageUsers).sort(), ['bullmq', 'ioredis', 'pino']);
  });
});

describe('module graph: data', () => {
  it('serialisable: structured clone and JSON give the same graph', () => {
    const { graph } = graphOf('monorepo');
    assert.equal(JSON.stringify(structuredClone(graph)), JSON.stringify(graph));
    assert.equal(JSON.stringify(JSON.parse(JSON.stringify(graph))), JSON.stringify(graph));
  });

  it('an unreadable file is listed, with no imports', () => {
    const root = copyProject('remix-alias');
    const files = sourceFiles(root);
    const gone = path.join(root, 'app/root.tsx');
    const graph = buildModuleGraph(root, files, (f) => (f === gone ? undefined : fs.readFileSync(f, 'utf8')), new ModuleResolver(root));
    assert.deepEqual(graph.unread, [gone]);
    assert.equal(graph.imports[gone], undefined);
    assert.equal(importerCount(graph, { package: '@remix-run/react' }), 3);
  });

  it('a package named like an Object.prototype member is just a key', () => {
    const root = copyProject('remix-alias');
    const file = path.join(root, 'app/x.ts');
    const graph = buildModuleGraph(root, [file], () => "import 'constructor';\nimport 'toString';\n", new ModuleResolver(root));
    assert.deepEqual(graph.packageUsers.constructor, [file]);
    assert.equal(importerCount(graph, { package: 'hasOwnProperty' }), 0);
    assert.deepEqual(importersOf(graph, 'constructor'), []);
  });

  it('updateModuleGraph: one file changed, added or removed gives the graph a full rebuild would', () => {
    const { root, graph, resolver } = graphOf('remix-alias');
    const route = path.join(root, 'app/routes/orders._index.tsx');
    const changed = "import { httpJson } from '~/services/http.server';\nimport { json } from '@remix-run/node';\n";
    updateModuleGraph(graph, route, changed, resolver);
    const added = path.join(root, 'app/routes/admin.tsx');
    updateModuleGraph(graph, added, "import { logger } from '~/services/logger.server';\n", resolver);
    const removed = path.join(root, 'app/routes/healthcheck.tsx');
    updateModuleGraph(graph, removed, undefined, resolver);
    const texts = new Map<string, string>([[route, changed], [added, "import { logger } from '~/services/logger.server';\n"]]);
    const files = [...sourceFiles(root).filter((f) => f !== removed), added];
    const rebuilt = buildModuleGraph(root, files, (f) => texts.get(f) ?? fs.readFileSync(f, 'utf8'), resolver);
    assert.equal(JSON.stringify(sortKeys(graph)), JSON.stringify(sortKeys(rebuilt)));
    assert.deepEqual(rel(root, importersOf(graph, path.join(root, 'app/services/logger.server.ts'))), ['app/entry.server.tsx', 'app/models/order.server.ts', 'app/routes/admin.tsx', 'app/routes/orders.$id.tsx', 'app/services/http.server.ts']);
  });
});

/** The graph with every record's keys sorted (insertion order differs between update and rebuild). */
function sortKeys(g: ModuleGraph): unknown {
  const sorted = (r: Record<string, unknown>) => Object.fromEntries(Object.keys(r).sort().map((k) => [k, r[k]]));
  return { ...g, imports: sorted(g.imports), importers: sorted(g.importers), packages: sorted(g.packages), packageUsers: sorted(g.packageUsers) };
}
