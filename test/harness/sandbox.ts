/**
 * A hostile workspace for the security tests: every file a tool might be tempted to load as code
 * (JS/MJS config files, package.json scripts and `main`, tsconfig language-service plugins, the
 * dependencies the code imports, a local logger module, a .vscode task) writes a marker file when
 * executed. Plus the recorder of sandbox-preload.cjs: start node with `sandboxArgs()` and read
 * `attempts()` afterwards.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const PRELOAD = path.join(__dirname, 'sandbox-preload.cjs');

/** A recorded git run as engine/git.ts makes it: an absolute git, fsmonitor and hooks off, no pager. */
export const HARDENED_GIT = /^allowed \/\S*\/git -c core\.fsmonitor=false -c core\.hooksPath=\/dev\/null .* --no-pager (?:rev-parse|symbolic-ref|merge-base|ls-tree|ls-files|check-attr|cat-file) /;

export interface Sandbox {
  root: string;
  /** Marker files written by anything executed (should stay empty). */
  markers(): string[];
  /** Recorded lines of sandbox-preload.cjs. */
  records(): { kind: string; detail: string; pid: number; thread: number }[];
  /** Everything but the `preload` lines: network, process and workspace-module attempts. */
  attempts(): string[];
  /** Node arguments and environment that preload the recorder. */
  execArgv: string[];
  env: Record<string, string>;
  dispose(): void;
}

/** JS that writes a marker named `name` when it runs. */
const payload = (markerDir: string, name: string) =>
  `require('node:fs').writeFileSync(${JSON.stringify(path.join(markerDir, name))}, 'executed');\n`;
const esmPayload = (markerDir: string, name: string) =>
  `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(path.join(markerDir, name))}, 'executed');\nexport default {};\n`;

export function hostileWorkspace(): Sandbox {
  const base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'failpath-sandbox-')));
  const root = path.join(base, 'ws');
  const markerDir = path.join(base, 'markers');
  const log = path.join(base, 'attempts.jsonl');
  fs.mkdirSync(markerDir);
  const write = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  };
  const shell = `node -e "require('fs').writeFileSync('${path.join(markerDir, 'npm-script')}', 'x')"`;
  write('package.json', JSON.stringify({
    name: 'hostile', main: 'failpath.config.js', type: 'commonjs',
    scripts: { preinstall: shell, postinstall: shell, prepare: shell, test: shell, start: shell, failpath: shell },
    dependencies: { express: '^4.19.0', axios: '^1.7.0', pino: '^9.0.0', 'unleash-client': '^6.0.0' },
    failpath: { plugins: ['./failpath.config.js'] },
  }, null, 2));
  write('failpath.config.js', payload(markerDir, 'failpath.config.js'));
  write('failpath.config.mjs', esmPayload(markerDir, 'failpath.config.mjs'));
  write('failpath.config.ts', `${payload(markerDir, 'failpath.config.ts')}export default {};\n`);
  write('.failpath.js', payload(markerDir, '.failpath.js'));
  write('.failpathrc.js', payload(markerDir, '.failpathrc.js'));
  write('.failpath.json', JSON.stringify({
    $schema: './failpath.config.js',
    rules: { 'missing-timeout': 'error' },
    logger: { import: './src/lib/logger', name: 'logger', style: 'pino' },
    flagProvider: { provider: 'unleash', import: './src/lib/flags' },
    features: { orders: { paths: ['src/**'] } },
  }, null, 2));
  write('tsconfig.json', JSON.stringify({ compilerOptions: { strict: true, plugins: [{ name: 'evil-ts-plugin' }] } }));
  write('jsconfig.json', JSON.stringify({ compilerOptions: { plugins: [{ name: 'evil-ts-plugin' }] } }));
  write('node_modules/evil-ts-plugin/package.json', JSON.stringify({ name: 'evil-ts-plugin', main: 'index.js' }));
  write('node_modules/evil-ts-plugin/index.js', payload(markerDir, 'evil-ts-plugin'));
  for (const dep of ['express', 'axios', 'pino', 'unleash-client']) {
    write(`node_modules/${dep}/package.json`, JSON.stringify({ name: dep, version: '4.19.2', main: 'index.js' }));
    write(`node_modules/${dep}/index.js`, payload(markerDir, `dep-${dep}`));
  }
  write('.vscode/tasks.json', JSON.stringify({ version: '2.0.0', tasks: [{ label: 'x', type: 'shell', command: shell, runOptions: { runOn: 'folderOpen' } }] }));
  write('src/lib/logger.ts', `${payload(markerDir, 'src-lib-logger')}export const logger = { info() {}, error() {} };\n`);
  write('src/lib/flags.ts', `${payload(markerDir, 'src-lib-flags')}export const flags = { isEnabled: () => true };\n`);
  write('src/app.ts', `import express from 'express';
import axios from 'axios';
import { logger } from './lib/logger';
${payload(markerDir, 'src-app')}
const app = express();
app.get('/orders/:id', async (req, res) => {
  const r = await fetch(\`https://api.example.com/orders/\${req.params.id}\`);
  const user = await axios.get('https://users.example.com/' + req.query.u);
  try {
    await fetch('https://audit.example.com', { method: 'POST' });
  } catch (e) {}
  console.log('order', r.status, user.data);
  res.json(await r.json());
});
app.listen(3000);
export { logger };
`);
  write('src/worker.mjs', `import { readFile } from 'node:fs/promises';\nexport async function job() {\n  const r = await fetch('http://localhost:9/');\n  return readFile(r.url);\n}\n`);
  return {
    root,
    markers: () => fs.readdirSync(markerDir).sort(),
    records: () => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) : []),
    attempts() {
      return this.records().filter((r) => r.kind !== 'preload').map((r) => `${r.kind} ${r.detail}`);
    },
    execArgv: ['--require', PRELOAD],
    env: { FAILPATH_SANDBOX_LOG: log, FAILPATH_SANDBOX_ROOT: root },
    dispose: () => fs.rmSync(base, { recursive: true, force: true }),
  };
}
