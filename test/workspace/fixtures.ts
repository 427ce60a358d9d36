/**
 * Fixture projects for the workspace tests: test/fixtures/projects/<name> copied into a fresh
 * temporary folder (so a test may add node_modules, links or files), removed after the suite.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ts from 'typescript';

export const PROJECTS = path.join(__dirname, '..', 'fixtures', 'projects');

const made: string[] = [];

/** A fresh temporary folder (real path), removed by cleanupTemp(). */
export function tempDir(prefix = 'failpath-ws-'): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
  made.push(dir);
  return dir;
}

/** A copy of fixture project `name` in a fresh temporary folder; returns its root. */
export function copyProject(name: string): string {
  const root = path.join(tempDir(), name);
  fs.cpSync(path.join(PROJECTS, name), root, { recursive: true });
  return root;
}

export function cleanupTemp(): void {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/** Writes `text` at `root/rel`, creating folders. */
export function put(root: string, rel: string, text: string): string {
  const file = path.join(root, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

/** Every diagnostic TypeScript reports for the project at `root` (its tsconfig.json), as `file: message`. */
export function typeErrors(root: string): string[] {
  const configFile = path.join(root, 'tsconfig.json');
  const read = ts.readConfigFile(configFile, ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, root, undefined, configFile);
  const program = ts.createProgram(parsed.fileNames, parsed.options);
  return [...parsed.errors, ...ts.getPreEmitDiagnostics(program)].map((d) =>
    `${d.file ? path.relative(root, d.file.fileName) : 'tsconfig'}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
}

/** The source files under `root` (node_modules left out), absolute and sorted. */
export function sourceFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name !== 'node_modules') walk(p);
      } else if (/\.[cm]?[jt]sx?$/.test(e.name)) out.push(p);
    }
  };
  walk(root);
  return out.sort();
}

/** The node_modules/@tsconfig/node20 a test adds (what `npm i -D @tsconfig/node20` installs, trimmed). */
export function installTsconfigNode20(root: string): void {
  put(root, 'node_modules/@tsconfig/node20/package.json', JSON.stringify({ name: '@tsconfig/node20', version: '20.1.4', main: '' }));
  put(root, 'node_modules/@tsconfig/node20/tsconfig.json', `{
  "$schema": "https://json.schemastore.org/tsconfig",
  "display": "Node 20",
  "_version": "20.1.0",
  "compilerOptions": {
    "lib": ["es2023"],
    "module": "node16",
    "target": "es2022",
    "strict": true,
    "esModuleInterop": true,
    "skipLibCheck": true,
    "moduleResolution": "node16"
  }
}
`);
}
