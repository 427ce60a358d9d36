// What both runners do around the suite: a throwaway copy of the fixture workspace and a user
// data folder with quiet settings, run.json for the suite, and following the channel.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SUITE_OUT, FIXTURE } from './build.mjs';
import { Channel } from './channel.mjs';

/** User settings of the test profile. */
export const USER_SETTINGS = {
  'security.workspace.trust.enabled': false, // else the trust dialog blocks the run
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'git.enabled': false,
  'update.mode': 'none',
  'editor.hover.delay': 100,
  'window.commandCenter': false,
  // fix-all on save (03-fix-on-save): set before the workbench starts. Set by the test at run time,
  // the workbench's save participant sometimes still read the old value on the first save
  // (1 run in 5), though the extension host had already seen the change.
  'editor.codeActionsOnSave': { 'source.fixAll.failpath': 'explicit' },
  ...(process.env.FAILPATH_E2E_TRACE ? { 'failpath.trace.server': 'verbose' } : {}),
};

/**
 * Creates <tmp>/workspace (copy of the fixture), <tmp>/user-data/User/settings.json and the
 * channel, and writes run.json next to the bundled suite. `vsix` ({ extensionsDir, version })
 * tells the suite that the extension was installed from the package (run-code-server.mjs --vsix).
 */
export function prepareSession({ screenshots, vsix = null, grep = process.env.FAILPATH_E2E_GREP ?? null }) {
  const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'failpath-e2e-')));
  const workspace = path.join(tmp, 'workspace');
  fs.cpSync(FIXTURE, workspace, { recursive: true });
  const userData = path.join(tmp, 'user-data');
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify(USER_SETTINGS, null, 2));
  const channel = new Channel(path.join(tmp, 'channel'));
  fs.writeFileSync(path.join(SUITE_OUT, 'run.json'), JSON.stringify({
    channelDir: channel.dir,
    grep,
    screenshots,
    vsix,
  }));
  return { tmp, workspace, userData, channel };
}

/**
 * Polls the channel every 50 ms and hands each event to `serve` until stop() is called;
 * stop() drains what is left.
 */
export function followChannel(channel, serve) {
  let stopped = false;
  let failure;
  const loop = (async () => {
    while (!stopped) {
      for (const ev of channel.poll()) await serve(ev);
      await new Promise((r) => setTimeout(r, 50));
    }
  })().catch((err) => { failure = err; });
  return {
    async stop() {
      stopped = true;
      await loop;
      if (failure) throw failure;
      for (const ev of channel.poll()) await serve(ev);
    },
  };
}

/**
 * Counts the suite's result as the closing line reports it: the reported tests, plus one
 * failure when the suite ended without a summary, reported failure without a failed test, or
 * ran no test at all.
 */
export function verdict(channel, exitCode, explain) {
  let { passed, failed } = channel;
  if (!channel.summary) {
    explain('the suite ended without a summary (did it load?)');
    failed++;
  } else if (exitCode !== 0 && failed === 0) {
    explain(`the extension host reported failure (exit code ${exitCode}) without a failed test`);
    failed++;
  }
  if (passed === 0 && failed === 0) {
    explain('no test ran');
    failed = 1;
  }
  return { passed, failed };
}
