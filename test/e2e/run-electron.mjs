#!/usr/bin/env node
// Runs the same integration suite in a desktop VS Code through @vscode/test-electron — for
// contributors who have VS Code. Never downloads: it uses VSCODE_EXECUTABLE, else a VS Code
// cached in .vscode-test/vscode-<platform>-<version>/ (e.g. by an earlier
// `npx @vscode/test-electron` run). On Linux without a display: `xvfb-run -a npm run test:e2e:electron`.
// No screenshots here (the code-server runner takes them).
//
//   env: VSCODE_EXECUTABLE=/path/to/code  FAILPATH_E2E_GREP=<mocha grep>  FAILPATH_E2E_KEEP=1
//        FAILPATH_E2E_TIMEOUT_MS (default 300000)
// Prints each test's result and a closing `N passed, N failed`; exit code = the suite's result
// (2 when no VS Code is available or it cannot start).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { REPO, SUITE_OUT, buildExtension, buildSuite } from './lib/build.mjs';
import { prepareSession, followChannel, verdict } from './lib/session.mjs';

const started = Date.now();
const TIMEOUT_MS = Number(process.env.FAILPATH_E2E_TIMEOUT_MS ?? 300_000);
const log = (msg) => console.log(`[e2e:electron] ${msg}`);
const secs = (ms) => `${(ms / 1000).toFixed(1)}s`;

const EXECUTABLE_IN_CACHE = {
  linux: 'code',
  darwin: 'Visual Studio Code.app/Contents/MacOS/Electron',
  win32: 'Code.exe',
};

function findVSCode() {
  if (process.env.VSCODE_EXECUTABLE) {
    if (!fs.existsSync(process.env.VSCODE_EXECUTABLE)) throw new Error(`VSCODE_EXECUTABLE=${process.env.VSCODE_EXECUTABLE} does not exist`);
    return process.env.VSCODE_EXECUTABLE;
  }
  const cache = path.join(REPO, '.vscode-test');
  const rel = EXECUTABLE_IN_CACHE[process.platform];
  const found = fs.existsSync(cache) && rel
    ? fs.readdirSync(cache).filter((d) => d.startsWith('vscode-')).sort().reverse()
      .map((d) => path.join(cache, d, rel)).find((p) => fs.existsSync(p))
    : undefined;
  if (!found) {
    throw new Error('no desktop VS Code: set VSCODE_EXECUTABLE to its executable, or cache one in .vscode-test/ '
      + '(this runner never downloads). Without VS Code, use `npm run test:e2e` (code-server).');
  }
  return found;
}

let vscodeExecutablePath;
try {
  vscodeExecutablePath = findVSCode();
} catch (err) {
  console.log(`[e2e:electron] ERROR: ${err.message}`);
  console.log('0 passed, 1 failed');
  process.exit(2);
}

await buildExtension();
await buildSuite();
const { tmp, workspace, userData, channel } = prepareSession({ screenshots: false });
let suiteStarted = false;
const serve = async (ev) => {
  if (ev.type === 'test') channel.report(ev);
  else if (ev.type === 'summary') channel.summary = ev;
  else if (ev.type === 'start') { suiteStarted = true; log(`suite started in VS Code ${ev.vscodeVersion}`); }
};
const follower = followChannel(channel, serve);
const cleanup = () => (process.env.FAILPATH_E2E_KEEP ? log(`kept ${tmp}`) : fs.rmSync(tmp, { recursive: true, force: true }));

let timer;
const timeout = new Promise((resolve) => {
  timer = setTimeout(() => resolve('timeout'), TIMEOUT_MS);
});
log(`VS Code: ${vscodeExecutablePath}`);
let code;
try {
  code = await Promise.race([
    runTests({
      vscodeExecutablePath,
      extensionDevelopmentPath: REPO,
      extensionTestsPath: path.join(SUITE_OUT, 'index.js'),
      launchArgs: [workspace, '--user-data-dir', userData, '--extensions-dir', path.join(tmp, 'extensions'),
        '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes', '--disable-gpu'],
    }),
    timeout,
  ]);
} catch (err) {
  // runTests rejects with the exit code when the suite fails, or with an error when VS Code could not start
  code = typeof err === 'number' ? err : err?.message ?? String(err);
}
clearTimeout(timer);
await follower.stop();
if (code === 'timeout') console.log(`[e2e:electron] ERROR: global timeout of ${secs(TIMEOUT_MS)} reached`);
else if (typeof code === 'string') console.log(`[e2e:electron] ERROR: VS Code failed: ${code}`);
const { passed, failed } = verdict(channel, typeof code === 'number' ? code : 1, (why) => console.log(`[e2e:electron] ERROR: ${why}`));
cleanup();
log(`total ${secs(Date.now() - started)}`);
console.log(`${passed} passed, ${failed} failed`);
// (on a timeout, @vscode/test-electron does not hand out VS Code's process: it may outlive us)
process.exit(typeof code === 'string' && code !== 'timeout' && !suiteStarted ? 2 : failed ? 1 : 0);
