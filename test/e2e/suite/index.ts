/**
 * The suite's entry point, loaded by the extension host (extensionTestsPath): runs every
 * bundled *.test.js next to it with mocha and reports each result to the runner through the
 * channel (see channel.ts). Shared by run-code-server.mjs and run-electron.mjs.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import * as vscode from 'vscode';
import { emit, runConfig } from './channel';

class ChannelReporter extends Mocha.reporters.Base {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    const { EVENT_TEST_PASS, EVENT_TEST_FAIL, EVENT_TEST_PENDING, EVENT_RUN_END } = Mocha.Runner.constants;
    runner.on(EVENT_TEST_PASS, (test) => {
      console.log(`ok ${test.fullTitle()}`);
      emit({ type: 'test', state: 'passed', fullTitle: test.fullTitle(), durationMs: test.duration });
    });
    runner.on(EVENT_TEST_FAIL, (test, err: Error) => {
      console.log(`not ok ${test.fullTitle()}\n${err.stack ?? err.message}`);
      emit({ type: 'test', state: 'failed', fullTitle: test.fullTitle(), durationMs: test.duration, error: err.stack ?? String(err) });
    });
    runner.on(EVENT_TEST_PENDING, (test) => emit({ type: 'test', state: 'pending', fullTitle: test.fullTitle() }));
    runner.once(EVENT_RUN_END, () => {
      const s = this.stats;
      emit({ type: 'summary', passed: s.passes, failed: s.failures, pending: s.pending });
    });
  }
}

export async function run(): Promise<void> {
  const config = runConfig();
  emit({ type: 'start', vscodeVersion: vscode.version, node: process.versions.node });
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, reporter: ChannelReporter, grep: config.grep ?? undefined });
  for (const f of fs.readdirSync(__dirname).filter((n) => n.endsWith('.test.js')).sort()) mocha.addFile(path.join(__dirname, f));
  const failures = await new Promise<number>((resolve, reject) => {
    try {
      mocha.run(resolve);
    } catch (err) {
      reject(err);
    }
  });
  if (failures > 0) throw new Error(`${failures} test(s) failed`);
}
