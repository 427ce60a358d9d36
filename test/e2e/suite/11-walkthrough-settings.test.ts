/**
 * Discoverability in the real workbench: the "Get started with Failpath" walkthrough is
 * contributed and opens (tab "Walkthrough: Failpath"), and every failpath.* setting is registered (configuration API, with the
 * manifest's defaults) and shown in the Settings UI. Under code-server the runner also checks
 * that the walkthrough page and the Settings editor rendered them (screenshot selectors).
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID, closeAll, openFixture, waitForCode } from './helpers';
import { runConfig, screenshot } from './channel';

interface Manifest {
  contributes: {
    walkthroughs: { id: string; title: string; steps: { id: string; title: string }[] }[];
    configuration: { properties: Record<string, { default?: unknown }> };
  };
}

/** Resolves with the active tab's label once `test` holds for it (checked now and on every tab change). */
function waitForTab(test: (label: string) => boolean, what: string, timeoutMs = 10_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const label = () => vscode.window.tabGroups.activeTabGroup.activeTab?.label ?? '';
    if (test(label())) return resolve(label());
    const sub = vscode.window.tabGroups.onDidChangeTabs(() => {
      if (!test(label())) return;
      clearTimeout(timer);
      sub.dispose();
      resolve(label());
    });
    const timer = setTimeout(() => { sub.dispose(); reject(new Error(`timed out waiting for ${what}; active tab: "${label()}"`)); }, timeoutMs);
  });
}

describe('walkthrough and settings', () => {
  before(async function () {
    if (runConfig().vsix) this.skip(); // the .vsix run has its own checks (12-vsix)
    // make sure the extension is active (its contributions are registered without activation,
    // but the walkthrough's completion events and the Settings UI are checked on a live one)
    const { doc } = await openFixture('src/users.ts');
    await waitForCode(doc.uri, 'missing-timeout');
  });
  after(closeAll);

  it('the walkthrough is contributed and opens', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext);
    const [walkthrough] = (ext.packageJSON as Manifest).contributes.walkthroughs;
    assert.equal(walkthrough.id, 'failpath.gettingStarted');
    assert.deepEqual(walkthrough.steps.map((s) => s.id), ['checks', 'fix', 'readiness', 'setup']);

    await vscode.commands.executeCommand('workbench.action.openWalkthrough', `${EXTENSION_ID}#${walkthrough.id}`, false);
    // the walkthrough editor is open (the API keeps the label it opened with; the page is checked below)
    const label = await waitForTab((l) => l.startsWith('Walkthrough: '), 'the walkthrough editor');
    assert.match(label, /^Walkthrough: /);
    // the page shows this walkthrough — its title and first step — and the tab names it
    await screenshot('walkthrough', `.gettingStartedContainer:has-text("${walkthrough.title}"):has-text("${walkthrough.steps[0].title}")`);
    await screenshot('walkthrough-tab', '.tabs-container .tab.active:has-text("Walkthrough: Failpath")');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('every failpath.* setting is registered with its default, and the Settings UI lists them', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext);
    const properties = (ext.packageJSON as Manifest).contributes.configuration.properties;
    const keys = Object.keys(properties);
    assert.ok(keys.includes('failpath.timeoutMs') && keys.includes('failpath.flags') && keys.includes('failpath.logger'), keys.join(', '));
    const config = vscode.workspace.getConfiguration();
    for (const key of keys) {
      const inspected = config.inspect(key);
      assert.ok(inspected, `${key} is registered`);
      assert.deepEqual(inspected.defaultValue, properties[key].default, `${key}'s default`);
    }

    await vscode.commands.executeCommand('workbench.action.openSettings', `@ext:${EXTENSION_ID}`);
    // the Settings editor finds exactly the contributed settings (the list is virtual: the first ones are rendered)
    await screenshot('settings', `.settings-editor:has-text("${keys.length} Settings Found"):has-text("Cache Ttl Seconds"):has-text("Edit in settings.json")`);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});
