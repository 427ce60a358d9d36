#!/usr/bin/env node
// Offline runner of the VS Code integration suite: the real workbench and extension host of
// code-server (VS Code 1.100.3, installed by scripts/e2e/install-code-server.sh into
// .vscode-test/code-server/), driven by Debian's chromium through playwright-core.
//
//   node test/e2e/run-code-server.mjs            (npm run test:e2e, first run)
//   node test/e2e/run-code-server.mjs --vsix     (npm run test:e2e, second run: builds failpath.vsix with
//        `npm run package`, installs it with `code-server --install-extension` into the run's own
//        extensions folder, starts the workbench without a development path and runs only the
//        suite's "installed from the .vsix" tests: the package installs offline and activates)
//   env: FAILPATH_E2E_GREP=<mocha grep>  FAILPATH_E2E_VERBOSE=1 (workbench/ext host logs)
//        FAILPATH_E2E_TIMEOUT_MS (global deadline, default 300000)  FAILPATH_E2E_SKIP_INSTALL=1
//        FAILPATH_E2E_KEEP=1 (keep the temporary workspace, user data and logs)
//
// Prints each test's result and a closing `N passed, N failed` line; the exit code is the
// suite's result. Fails loudly (exit 2) when code-server or chromium cannot start.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium } from 'playwright-core';
import { REPO, SUITE_OUT, buildExtension, buildSuite } from './lib/build.mjs';
import { prepareSession, followChannel, verdict } from './lib/session.mjs';

const started = Date.now();
const TIMEOUT_MS = Number(process.env.FAILPATH_E2E_TIMEOUT_MS ?? 300_000);
const VERBOSE = !!process.env.FAILPATH_E2E_VERBOSE;
const CODE_SERVER = path.join(REPO, '.vscode-test', 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const RESULTS = path.join(REPO, 'test-results');
const VSIX_MODE = process.argv.includes('--vsix') || !!process.env.FAILPATH_E2E_VSIX;
const VSIX = path.join(REPO, 'failpath.vsix');
const VSIX_GREP = 'installed from the .vsix';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

const secs = (ms) => `${(ms / 1000).toFixed(1)}s`;
const log = (msg) => console.log(`[e2e] ${msg}`);

/** Everything started is registered here and torn down whatever happens. */
const cleanups = [];
let cleaningUp = false;
async function cleanup() {
  if (cleaningUp) return;
  cleaningUp = true;
  for (const fn of cleanups.reverse()) {
    try { await fn(); } catch (err) { console.log(`[e2e] cleanup: ${err?.message ?? err}`); }
  }
}
let finished = false;
async function finish(code, line) {
  if (finished) return;
  finished = true;
  await cleanup();
  log(`total ${secs(Date.now() - started)}`);
  if (line) console.log(line); // the closing line: `N passed, N failed`
  process.exit(code);
}
class StartupError extends Error {}
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => { console.log(`[e2e] ${sig}`); void finish(130); });
/** The global deadline, armed once code-server is installed (a cold install has its own limit). */
function armDeadline() {
  setTimeout(() => {
    console.log(`[e2e] ERROR: global timeout of ${secs(TIMEOUT_MS)} reached (FAILPATH_E2E_TIMEOUT_MS)`);
    void finish(1, `${channel?.passed ?? 0} passed, ${(channel?.failed ?? 0) + 1} failed`);
  }, TIMEOUT_MS).unref();
}
const INSTALL_TIMEOUT_MS = 15 * 60_000;
const SUITE_START_TIMEOUT_MS = 120_000;

/** @type {Channel | undefined} */
let channel;

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Kills a detached child's whole process group (code-server, its extension host, the server). */
function killTree(child, signal) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  try { process.kill(-child.pid, signal); } catch { /* already gone */ }
}

/** code-server's entry point with this run's own config, user data and extensions folders. */
function codeServerBase(userData, tmp) {
  const config = path.join(tmp, 'config.yaml');
  if (!fs.existsSync(config)) fs.writeFileSync(config, '');
  return [CODE_SERVER, '--config', config, '--user-data-dir', userData, '--extensions-dir', path.join(tmp, 'extensions')];
}

/** Keeps code-server's own files (default config, data) inside the run's temporary folder. */
function codeServerEnv(tmp) {
  return { ...process.env, XDG_CONFIG_HOME: path.join(tmp, 'xdg-config'), XDG_DATA_HOME: path.join(tmp, 'xdg-data'), PASSWORD: undefined };
}

/**
 * Builds failpath.vsix with `npm run package` (production bundles + vsce) and installs it into
 * the run's extensions folder the way a user would, offline: `code-server --install-extension`.
 */
function packageAndInstall(userData, tmp) {
  let t = Date.now();
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const pack = spawnSync(npm, ['run', 'package'], { cwd: REPO, encoding: 'utf8', timeout: 180_000 });
  if (pack.status !== 0 || !fs.existsSync(VSIX)) {
    throw new StartupError(`npm run package failed (${pack.error?.message ?? `exit ${pack.status ?? pack.signal}`}):\n${(pack.stdout + pack.stderr).split('\n').slice(-30).join('\n')}`);
  }
  log(`packaged failpath.vsix (${(fs.statSync(VSIX).size / 1024 / 1024).toFixed(2)} MB, ${secs(Date.now() - t)})`);
  t = Date.now();
  const install = spawnSync(process.execPath, [...codeServerBase(userData, tmp), '--install-extension', VSIX],
    { cwd: tmp, encoding: 'utf8', timeout: 120_000, env: codeServerEnv(tmp) });
  const out = `${install.stdout}${install.stderr}`;
  if (install.status !== 0 || !/successfully installed/.test(out)) {
    throw new StartupError(`code-server --install-extension failpath.vsix failed (${install.error?.message ?? `exit ${install.status ?? install.signal}`}):\n${out}`);
  }
  const version = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')).version;
  const installed = path.join(tmp, 'extensions', `failpath.failpath-${version}`);
  if (!fs.existsSync(path.join(installed, 'package.json'))) throw new StartupError(`the .vsix did not install into ${installed}:\n${out}`);
  log(`installed failpath.vsix into ${path.relative(tmp, installed)} (${secs(Date.now() - t)})`);
  return { extensionsDir: path.join(tmp, 'extensions'), version };
}

/** An extension with no code and another id: the development path of the .vsix run. */
function stubExtension(tmp) {
  const dir = path.join(tmp, 'e2e-host-extension');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({
    name: 'e2e-host', publisher: 'failpath-tests', version: '0.0.0', engines: { vscode: '^1.100.0' },
    description: 'Empty development extension: lets the suite run against the installed failpath.vsix.',
  }, null, 2));
  return dir;
}

async function startCodeServer(workspace, userData, tmp) {
  if (!fs.existsSync(CODE_SERVER)) {
    throw new StartupError(`code-server is not installed at ${path.relative(REPO, CODE_SERVER)}; run scripts/e2e/install-code-server.sh`);
  }
  const port = await freePort();
  const args = [...codeServerBase(userData, tmp), '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override', workspace];
  const out = fs.openSync(path.join(tmp, 'code-server.log'), 'a');
  const child = spawn(process.execPath, args, {
    cwd: tmp,
    detached: true, // own process group: killTree reaches the extension host and the language server
    stdio: ['ignore', 'pipe', 'pipe'],
    env: codeServerEnv(tmp),
  });
  const tail = [];
  const onData = (buf) => {
    fs.writeSync(out, buf);
    for (const line of buf.toString().split('\n').filter(Boolean)) {
      tail.push(line);
      if (tail.length > 40) tail.shift();
      if (VERBOSE) console.log(`[code-server] ${line}`);
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  cleanups.push(async () => {
    killTree(child, 'SIGTERM');
    const gone = new Promise((r) => child.once('exit', r));
    const t = setTimeout(() => killTree(child, 'SIGKILL'), 3000);
    if (child.exitCode === null && child.signalCode === null) await gone;
    clearTimeout(t);
    // the group may hold processes that outlive the leader (extension host, language server)
    try { process.kill(-child.pid, 'SIGKILL'); } catch { /* none left */ }
  });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  // ready when /healthz answers
  const until = Date.now() + 60_000;
  for (;;) {
    const st = await Promise.race([exited.then((e) => ({ exited: e })), fetch(`http://127.0.0.1:${port}/healthz`).then((r) => ({ ok: r.ok }), () => ({ ok: false }))]);
    if (st.exited) {
      throw new StartupError(`code-server exited during startup (${JSON.stringify(st.exited)}):\n${tail.join('\n')}`);
    }
    if (st.ok) break;
    if (Date.now() > until) throw new StartupError(`code-server did not answer on 127.0.0.1:${port} within 60 s:\n${tail.join('\n')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { port, child, exited, tail };
}

async function main() {
  // 1. code-server (idempotent; seconds when the cache is warm)
  if (!process.env.FAILPATH_E2E_SKIP_INSTALL) {
    const t = Date.now();
    const r = spawnSync('bash', [path.join(REPO, 'scripts', 'e2e', 'install-code-server.sh')], { stdio: 'inherit', timeout: INSTALL_TIMEOUT_MS });
    if (r.status !== 0) throw new StartupError(`scripts/e2e/install-code-server.sh failed (${r.error?.message ?? `exit ${r.status ?? r.signal}`})`);
    log(`code-server ready (${secs(Date.now() - t)})`);
  }
  armDeadline();

  // 2. the extension and the suite
  let t = Date.now();
  await buildExtension();
  const suiteFiles = await buildSuite();
  log(`built dist/client.js, dist/server.js and ${suiteFiles.length} suite files (${secs(Date.now() - t)})`);

  // 3. a throwaway copy of the fixture workspace (tests change its settings and files)
  const session = prepareSession({ screenshots: true, ...(VSIX_MODE ? { grep: VSIX_GREP } : {}) });
  const { tmp, workspace, userData } = session;
  channel = session.channel;
  cleanups.push(() => (process.env.FAILPATH_E2E_KEEP ? log(`kept ${tmp}`) : fs.rmSync(tmp, { recursive: true, force: true })));
  fs.mkdirSync(RESULTS, { recursive: true });
  if (VSIX_MODE) {
    if (!fs.existsSync(CODE_SERVER)) {
      throw new StartupError(`code-server is not installed at ${path.relative(REPO, CODE_SERVER)}; run scripts/e2e/install-code-server.sh`);
    }
    const vsix = packageAndInstall(userData, tmp);
    fs.writeFileSync(path.join(SUITE_OUT, 'run.json'), JSON.stringify({ ...JSON.parse(fs.readFileSync(path.join(SUITE_OUT, 'run.json'), 'utf8')), vsix }));
  }

  // 4. code-server
  t = Date.now();
  const server = await startCodeServer(workspace, userData, tmp);
  log(`code-server listening on 127.0.0.1:${server.port} (${secs(Date.now() - t)})`);

  // 5. chromium → the workbench, with the extension under development and the suite
  if (!fs.existsSync(CHROMIUM)) throw new StartupError(`chromium not found at ${CHROMIUM} (Debian package chromium)`);
  let browser;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, timeout: 60_000 });
  } catch (err) {
    throw new StartupError(`chromium could not start: ${err.message}`);
  }
  cleanups.push(() => browser.close());
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const logTail = [];
  const remember = (line) => {
    logTail.push(line);
    if (logTail.length > 200) logTail.shift();
    if (VERBOSE) console.log(line);
  };
  let resolveExit;
  const exitCode = new Promise((r) => { resolveExit = r; });
  await page.exposeFunction('codeAutomationLog', (type, args) => {
    remember(`[workbench:${type}] ${(Array.isArray(args) ? args : [args]).map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ')}`);
  });
  await page.exposeFunction('codeAutomationExit', (code) => { resolveExit(Number(code)); });
  page.on('pageerror', (err) => remember(`[page error] ${err.message}`));
  page.on('console', (msg) => { if (msg.type() === 'error') remember(`[console.error] ${msg.text()}`); });

  const remote = (p) => `vscode-remote://127.0.0.1:${server.port}${p}`;
  // the .vsix run loads the installed extension: its development path is an empty stub extension
  // (VS Code runs extensionTestsPath only with one), which shadows nothing
  const devPath = VSIX_MODE ? stubExtension(tmp) : REPO;
  const payload = [
    ['extensionDevelopmentPath', remote(devPath)],
    ['extensionTestsPath', remote(path.join(SUITE_OUT, 'index.js'))],
    ['skipWelcome', 'true'],
    ['skipReleaseNotes', 'true'],
  ];
  const url = `http://127.0.0.1:${server.port}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  t = Date.now();
  await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });
  log('workbench loading; running the suite in the extension host');

  // 6. follow the suite
  let screenshots = 0;
  let suiteStarted = false;
  const serve = async (ev) => {
    if (ev.type === 'test') channel.report(ev);
    else if (ev.type === 'log') console.log(`    ${ev.text}`);
    else if (ev.type === 'summary') channel.summary = ev;
    else if (ev.type === 'start') { suiteStarted = true; log(`suite started in VS Code ${ev.vscodeVersion} (extension host: Node ${ev.node})`); }
    else if (ev.type === 'screenshot') {
      const file = path.join(RESULTS, `${ev.name}.png`);
      try {
        if (ev.waitFor) await page.locator(ev.waitFor).first().waitFor({ state: 'visible', timeout: ev.timeoutMs ?? 10_000 });
        // animations: 'disabled' finishes fade-ins (a hover caught mid-fade is half transparent)
        await page.screenshot({ path: file, animations: 'disabled' });
        screenshots++;
        channel.ack(ev.id, { ok: true, path: file });
      } catch (err) {
        channel.ack(ev.id, { ok: false, error: err.message });
      }
    }
  };
  const follower = followChannel(channel, serve);
  const serverGone = server.exited.then((e) => ({ serverExit: e }));
  // a workbench that never runs the suite (extension host crash, bad payload) fails here, not at
  // the global timeout
  let startTimer;
  const neverStarted = new Promise((resolve) => {
    startTimer = setTimeout(() => { if (!suiteStarted) resolve({ neverStarted: true }); }, SUITE_START_TIMEOUT_MS);
  });
  const result = await Promise.race([exitCode.then((code) => ({ code })), serverGone, neverStarted]);
  clearTimeout(startTimer);
  await follower.stop(); // drains what the suite wrote last
  if ('neverStarted' in result) {
    console.log(`[e2e] ERROR: the suite did not start within ${secs(SUITE_START_TIMEOUT_MS)}; the last workbench lines:\n${logTail.slice(-60).join('\n')}`);
    return finish(1, `0 passed, 1 failed`);
  }
  if ('serverExit' in result) {
    console.log(`[e2e] ERROR: code-server exited while the suite ran (${JSON.stringify(result.serverExit)}):\n${server.tail.join('\n')}`);
    return finish(1, `${channel.passed} passed, ${channel.failed + 1} failed`);
  }
  log(`suite finished in ${secs(Date.now() - t)} with exit code ${result.code}; ${screenshots} screenshots in test-results/`);
  const { passed, failed } = verdict(channel, result.code, (why) => {
    console.log(`[e2e] ERROR: ${why}; the last workbench lines:`);
    console.log(logTail.slice(-60).join('\n'));
  });
  if (failed && !VERBOSE) {
    // the workbench's own errors often say why (extension host errors, server crashes)
    const noise = /open-vsx\.org|Failed to load resource|^\[workbench:info\] (not )?ok |test\(s\) failed/;
    const errors = logTail.filter((l) => /^\[(workbench:error|page error)\]/.test(l) && !noise.test(l)).slice(-20);
    if (errors.length) console.log(`[e2e] workbench errors:\n${errors.join('\n')}`);
  }
  if (failed) printFailpathLogs(userData);
  return finish(failed ? 1 : 0, `${passed} passed, ${failed} failed`);
}

/** The extension's output channels (the language server's log lines) as VS Code wrote them under the user data's logs folder. */
function printFailpathLogs(userData) {
  const found = [];
  const walk = (dir, depth) => {
    let entries = [];
    try { entries = fs.readdirSync(dir, { withFileTypes: true }); } catch { return; }
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory() && depth < 6) walk(p, depth + 1);
      else if (e.isFile() && /failpath/i.test(e.name) && e.name.endsWith('.log')) found.push(p);
    }
  };
  walk(path.join(userData, 'logs'), 0);
  for (const f of found) {
    const lines = fs.readFileSync(f, 'utf8').split('\n');
    console.log(`[e2e] ${path.relative(userData, f)} (last ${Math.min(lines.length, 80)} of ${lines.length} lines):\n${lines.slice(-80).join('\n')}`);
  }
}

main().catch(async (err) => {
  const startup = err instanceof StartupError;
  console.log(`[e2e] ERROR: ${startup ? '' : 'runner failed: '}${startup ? err.message : err.stack ?? err}`);
  await finish(startup ? 2 : 1, `${channel?.passed ?? 0} passed, ${(channel?.failed ?? 0) + 1} failed`);
});
