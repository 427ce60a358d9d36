/**
 * The layers of docs/architecture.md ("Layers and who may import whom"), enforced: every source
 * file of server/src belongs to exactly one layer, and every import (type-only imports, re-exports,
 * `require` and `import()` included) goes to the same layer or one it may use. The client imports
 * no server code; shared/protocol.ts is imported by hosts and the client only.
 *
 * The table below is the one docs/architecture.md shows; change both together.
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ts from 'typescript';

const ROOT = path.resolve(__dirname, '..', '..');
const SERVER = path.join(ROOT, 'server', 'src');

type Layer = 'core' | 'knowledge' | 'project' | 'semantics' | 'fixes' | 'rules' | 'workspace' | 'features' | 'hosts';

/** Path (relative to server/src, `/` separators) → layer; the first match wins. */
export const LAYER_OF: readonly [RegExp, Layer][] = [
  [/^knowledge\//, 'knowledge'],
  [/^project\//, 'project'],
  [/^workspace\//, 'workspace'],
  [/^rules\//, 'rules'],
  [/^fixes\//, 'fixes'],
  [/^(lsp|cli)\//, 'hosts'],
  [/^(cli|server)\.ts$/, 'hosts'],
  [/^engine\/scanWorker\.ts$/, 'hosts'],
  [/^engine\/(ast|lines|suppress|nesting|parseGuard|fsErrors|view|severity)\.ts$/, 'core'],
  [/^engine\/(files|readSource|configFile|config|project|lockfile|git|safeWrite|dependencies|glob|localModules)\.ts$/, 'project'],
  [/^engine\/(types|facts|calls|frameworks|modules|style|summary)\.ts$/, 'semantics'],
  [/^engine\/queries\//, 'semantics'],
  [/^engine\/analyze\.ts$/, 'workspace'],
  [/^engine\/(readiness|failureTest)\//, 'features'],
  [/^engine\/(fixAll|refactors|scan|scanPool)\.ts$/, 'features'],
];

/** Who may import whom: each layer and the layers below it that it may use (itself included). */
export const MAY_IMPORT: Readonly<Record<Layer, readonly Layer[]>> = {
  core: ['core'],
  knowledge: ['knowledge', 'core'],
  project: ['project', 'knowledge', 'core'],
  semantics: ['semantics', 'project', 'knowledge', 'core'],
  fixes: ['fixes', 'semantics', 'project', 'knowledge', 'core'],
  rules: ['rules', 'fixes', 'semantics', 'project', 'knowledge', 'core'],
  workspace: ['workspace', 'rules', 'fixes', 'semantics', 'project', 'knowledge', 'core'],
  features: ['features', 'workspace', 'rules', 'fixes', 'semantics', 'project', 'knowledge', 'core'],
  hosts: ['hosts', 'features', 'workspace', 'rules', 'fixes', 'semantics', 'project', 'knowledge', 'core'],
};

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...sourceFiles(p));
    else if (/\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

const rel = (file: string, from = SERVER) => path.relative(from, file).split(path.sep).join('/');

function layerOf(file: string): Layer | undefined {
  const r = rel(file);
  return LAYER_OF.find(([re]) => re.test(r))?.[1];
}

/** The files a source file imports by relative specifier (resolved to .ts / index.ts). */
function relativeImports(file: string): { specifier: string; target: string }[] {
  const info = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true);
  const out: { specifier: string; target: string }[] = [];
  for (const ref of info.importedFiles) {
    if (!ref.fileName.startsWith('.')) continue;
    const base = path.resolve(path.dirname(file), ref.fileName);
    const target = [`${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts'), base].find((c) => fs.existsSync(c) && fs.statSync(c).isFile());
    out.push({ specifier: ref.fileName, target: target ?? base });
  }
  return out;
}

/** Every import of a file under `server` (a server/src folder) that goes against MAY_IMPORT. */
export function wrongImports(server: string, root = path.dirname(path.dirname(server))): string[] {
  const wrong: string[] = [];
  const layer = (f: string) => LAYER_OF.find(([re]) => re.test(rel(f, server)))?.[1];
  for (const f of sourceFiles(server)) {
    const from = layer(f);
    if (!from) continue;
    for (const { specifier, target } of relativeImports(f)) {
      if (!target.startsWith(server + path.sep)) {
        // outside server/src: only hosts may use shared/protocol.ts
        if (rel(target, root).startsWith('shared/') && from !== 'hosts') wrong.push(`${rel(f, server)} (${from}) imports ${specifier}: shared/ is for hosts and the client`);
        continue;
      }
      const to = layer(target);
      if (to && !MAY_IMPORT[from].includes(to)) wrong.push(`${rel(f, server)} (${from}) imports ${rel(target, server)} (${to})`);
    }
  }
  return wrong;
}

describe('architecture: layers', () => {
  const files = sourceFiles(SERVER);

  it('finds the server sources', () => {
    assert.ok(files.length > 100, `${files.length} files under server/src`);
  });

  it('every file of server/src belongs to a layer', () => {
    assert.deepEqual(files.filter((f) => !layerOf(f)).map((f) => rel(f)), []);
  });

  it('every import goes to the same layer or one below it that the layer may use', () => {
    assert.deepEqual(wrongImports(SERVER, ROOT), []);
  });

  it('nothing imports a host; the client imports no server code', () => {
    const wrong: string[] = [];
    for (const f of files) {
      for (const { target } of relativeImports(f)) {
        const to = target.startsWith(SERVER + path.sep) ? layerOf(target) : undefined;
        if (to === 'hosts' && layerOf(f) !== 'hosts') wrong.push(`${rel(f)} imports ${rel(target)}`);
      }
    }
    for (const f of sourceFiles(path.join(ROOT, 'client', 'src'))) {
      for (const { target } of relativeImports(f)) {
        if (target.startsWith(path.join(ROOT, 'server') + path.sep)) wrong.push(`${rel(f, ROOT)} imports ${rel(target, ROOT)}`);
      }
    }
    assert.deepEqual(wrong, []);
  });

  it('the check finds a wrong direction, a type-only import, a re-export and a require in a planted tree', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'failpath-layers-'));
    try {
      const server = path.join(tmp, 'server', 'src');
      const write = (rel: string, text: string) => {
        fs.mkdirSync(path.dirname(path.join(server, rel)), { recursive: true });
        fs.writeFileSync(path.join(server, rel), text);
      };
      write('lsp/documents.ts', 'export const x = 1;\n');
      write('rules/a.ts', "import { x } from '../lsp/documents';\nexport const a = x;\n");
      write('engine/ast.ts', "import type { a } from '../rules/a';\nexport type A = typeof a;\n");
      write('knowledge/k.ts', "export * from '../workspace/w';\n");
      write('workspace/w.ts', "const f = require('../engine/fixAll');\nexport const w = f;\n");
      write('engine/fixAll.ts', "import { w } from '../workspace/w';\nexport const g = w;\n");
      assert.deepEqual(wrongImports(server, tmp).sort(), [
        'engine/ast.ts (core) imports rules/a.ts (rules)',
        'knowledge/k.ts (knowledge) imports workspace/w.ts (workspace)',
        'rules/a.ts (rules) imports lsp/documents.ts (hosts)',
        'workspace/w.ts (workspace) imports engine/fixAll.ts (features)',
      ]);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
