/**
 * The packaged extension: run only by `run-code-server.mjs --vsix`, which builds failpath.vsix
 * (`npm run package`), installs it into a fresh extensions folder with
 * `code-server --install-extension` and starts the workbench without a development path. The
 * extension must come from that folder, carry only what it needs at run time, activate on a .ts
 * file and publish a diagnostic.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { EXTENSION_ID, closeAll, openFixture, waitForCode } from './helpers';
import { runConfig } from './channel';

describe('installed from the .vsix', () => {
  before(function () {
    if (!runConfig().vsix) this.skip();
  });
  after(closeAll);

  it('is installed in the extensions folder, activates on a .ts file and publishes a diagnostic', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is installed`);
    const extensionsDir = runConfig().vsix!.extensionsDir;
    assert.ok(ext.extensionPath.startsWith(extensionsDir + path.sep), `installed under ${extensionsDir}, got ${ext.extensionPath}`);
    assert.equal(ext.packageJSON.version, runConfig().vsix!.version);
    assert.equal(ext.isActive, false);

    // what the package carries: the bundles, snippets, schema, walkthrough, rule docs, the readme (vsce
    // lowercases its name); never the sources or tests
    for (const f of ['dist/client.js', 'dist/server.js', 'snippets/typescript.json', 'schemas/failpath.schema.json', 'resources/walkthrough/checks.md', 'resources/activity-bar.svg', 'docs/rules/missing-timeout.md', 'readme.md']) {
      assert.ok(fs.existsSync(path.join(ext.extensionPath, f)), `${f} is in the package`);
    }
    for (const f of ['server/src', 'client/src', 'test', 'node_modules']) {
      assert.ok(!fs.existsSync(path.join(ext.extensionPath, f)), `${f} is not in the package`);
    }

    const { doc } = await openFixture('src/users.ts');
    const d = await waitForCode(doc.uri, 'missing-timeout');
    assert.match(d.message, /has no timeout/);
    assert.equal(ext.isActive, true);
  });
});
