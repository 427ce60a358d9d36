/**
 * The Readiness sidebar and the branch report in the real VS Code: the tree's features and their
 * five items as the view shows them (through the extension's API, which reads the view's own
 * tree items), the badge, a click revealing a finding, "only features changed on this branch",
 * and the branch report on a git repository made of the fixture workspace.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { EXTENSION_ID, closeAll, openFixture, rangeOf, waitForCode, workspaceRoot } from './helpers';
import { runConfig, screenshot } from './channel';

interface Snapshot {
  state: string;
  onlyChanged: boolean;
  badge?: number;
  message?: string;
  features: { label: string; description: string; items: { label: string; description: string; icon: string; children: string[] }[] }[];
}
interface Api {
  ready: Promise<void>;
  readiness(): Promise<Snapshot>;
  revealFeature(name: string, item?: string): Promise<boolean>;
  branchReport(): Promise<{ markdown?: string; error?: string }>;
}

const QUESTIONS = ['Can I monitor it?', 'Can I disable it?', 'Can I recover from failure?', 'Can I scale it?', 'Can I understand what happens when it fails?'];

async function api(): Promise<Api> {
  const ext = vscode.extensions.getExtension<Api>(EXTENSION_ID)!;
  const exports = ext.isActive ? ext.exports : await ext.activate();
  await exports.ready;
  return exports;
}

/** The snapshot once the workspace scan is over (the view refreshes on the server's notifications). */
async function scanned(a: Api, test: (s: Snapshot) => boolean = () => true, timeoutMs = 30_000): Promise<Snapshot> {
  const until = Date.now() + timeoutMs;
  let last: Snapshot | undefined;
  while (Date.now() < until) {
    last = await a.readiness();
    if (last.state === 'ready' && test(last)) return last;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the Readiness view never got there; last: ${JSON.stringify(last, null, 1).slice(0, 3000)}`);
}

function git(args: string[]): void {
  execFileSync('git', args, {
    cwd: workspaceRoot().fsPath,
    env: { ...process.env, GIT_AUTHOR_NAME: 'e2e', GIT_AUTHOR_EMAIL: 'e2e@example.com', GIT_COMMITTER_NAME: 'e2e', GIT_COMMITTER_EMAIL: 'e2e@example.com' },
  });
}

describe('readiness sidebar', () => {
  after(closeAll);

  it('shows every feature with the five questions, a status per item, the why, and a badge of failing items', async function () {
    const a = await api();
    const s = await scanned(a, (x) => x.features.some((f) => f.label === 'orders'));
    const labels = s.features.map((f) => f.label);
    assert.ok(['balance', 'orders', 'rates', 'shared'].every((l) => labels.includes(l)), labels.join(', '));
    for (const f of s.features) {
      assert.deepEqual(f.items.map((i) => i.label), QUESTIONS, f.label);
      assert.match(f.description, /^\d\/5 ready/);
      for (const i of f.items) assert.ok(['pass', 'warning', 'error', 'question'].includes(i.icon), `${f.label} ${i.label} ${i.icon}`);
    }
    const orders = s.features.find((f) => f.label === 'orders')!;
    const recover = orders.items.find((i) => i.label === 'Can I recover from failure?')!;
    // missing-timeout ships at info and no-fallback at warning: recover warns (docs/precision.md)
    assert.equal(recover.icon, 'warning');
    assert.match(recover.description, /missing-timeout/);
    assert.ok(recover.children.some((c) => /^missing-timeout: src\/orders\.ts:\d+ — reached from POST \/orders\/:id\/pay$/.test(c)), recover.children.join(' | '));
    const disable = orders.items.find((i) => i.label === 'Can I disable it?')!;
    assert.equal(disable.description, 'none of its 1 route is behind a feature flag');
    const failing = s.features.reduce((n, f) => n + f.items.filter((i) => i.icon === 'error').length, 0);
    assert.equal(s.badge, failing);

    if (runConfig().screenshots) {
      await vscode.commands.executeCommand('failpath.showReadiness');
      assert.equal(await a.revealFeature('orders', 'recover'), true);
      await openFixture('src/orders.ts');
      // a wider sidebar: shrink the focused editor group
      for (let i = 0; i < 5; i++) await vscode.commands.executeCommand('workbench.action.decreaseViewWidth');
      await screenshot('sidebar', '.part.sidebar .monaco-list-row:has-text("missing-timeout: src/orders.ts")');
    }
  });

  it('a finding in the tree reveals its range in the editor; the diagnostic names the route', async () => {
    const { doc } = await openFixture('src/orders.ts');
    const d = await waitForCode(doc.uri, 'missing-timeout');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const range = { start: { line: d.range.start.line, character: d.range.start.character }, end: { line: d.range.end.line, character: d.range.end.character } };
    await vscode.commands.executeCommand('failpath.readiness.reveal', doc.uri.toString(), range);
    const editor = vscode.window.activeTextEditor;
    assert.equal(editor?.document.uri.toString(), doc.uri.toString());
    assert.equal(editor!.selection.start.line, d.range.start.line);
    // route impact in the message (once the workspace index knows the route)
    const withRoute = await new Promise<string>((resolve, reject) => {
      const check = () => vscode.languages.getDiagnostics(doc.uri).find((x) => x.source === 'failpath' && /reached from POST \/orders\/:id\/pay/.test(x.message));
      const hit = check();
      if (hit) return resolve(hit.message);
      const timer = setTimeout(() => { sub.dispose(); reject(new Error('no diagnostic names POST /orders/:id/pay')); }, 20_000);
      const sub = vscode.languages.onDidChangeDiagnostics(() => {
        const h = check();
        if (h) { clearTimeout(timer); sub.dispose(); resolve(h.message); }
      });
    });
    assert.match(withRoute, /\(reached from POST \/orders\/:id\/pay\)$/);
  });

  it('code lenses above the route and the functions it reaches; Find Route Handler and Who Reaches This Function', async () => {
    await scanned(await api());
    const { doc, editor } = await openFixture('src/orders.ts');
    await waitForCode(doc.uri, 'missing-timeout');
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri, 100);
    const titles = lenses.filter((l) => l.command?.command === 'failpath.readiness.revealFeature').map((l) => `${l.range.start.line + 1}: ${l.command!.title}`);
    assert.deepEqual(titles, ['8: POST /orders/:id/pay · ⚠ recover: missing-timeout, no-fallback · ⚠ understand: swallowed-error, missing-correlation-id · ⚠ monitor: unstructured-log']);
    if (runConfig().screenshots) await screenshot('codelens', '.codelens-decoration:has-text("POST /orders/:id/pay")');

    // Find Route Handler: the quick pick lists the routes; accepting the first reveals it
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    let done = false;
    const found = Promise.resolve(vscode.commands.executeCommand<{ label: string; uri: string; line: number } | undefined>('failpath.findRouteHandler')).finally(() => { done = true; });
    for (let i = 0; i < 50 && !done; i++) {
      await new Promise((r) => setTimeout(r, 200));
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    }
    const route = await found;
    assert.ok(route, 'a route was picked');
    const active = vscode.window.activeTextEditor!;
    assert.equal(active.document.uri.toString(), vscode.Uri.parse(route.uri).toString());
    assert.equal(active.selection.active.line, route.line);

    // Who Reaches This Function, with the cursor in the handler's body
    const again = await openFixture('src/orders.ts');
    const inside = rangeOf(again.doc, 'console.log').start;
    again.editor.selection = new vscode.Selection(inside, inside);
    let whoDone = false;
    const who = Promise.resolve(vscode.commands.executeCommand<{ function?: string; routes: { label: string; chain: { name: string }[] }[] }>('failpath.whoReaches')).finally(() => { whoDone = true; });
    for (let i = 0; i < 50 && !whoDone; i++) {
      await new Promise((r) => setTimeout(r, 200));
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    }
    const reached = await who;
    assert.equal(reached?.function, '<route POST /orders/:id/pay>');
    assert.deepEqual(reached.routes.map((r) => `${r.label}: ${r.chain.map((c) => c.name).join(' → ')}`), ['POST /orders/:id/pay: <route POST /orders/:id/pay>']);
    void editor;
  });

  it('reports the branch: new route, its feature, the failing item; and filters the tree to changed features', async function () {
    this.timeout(90_000);
    const root = workspaceRoot().fsPath;
    const a = await api();
    git(['init', '-q', '-b', 'main']);
    git(['add', '-A']);
    git(['commit', '-q', '-m', 'base']);
    git(['checkout', '-q', '-b', 'add-tracking']);
    const file = path.join(root, 'src', 'orders.ts');
    fs.appendFileSync(file, "\norders.get('/orders/:id/tracking', async (req, res) => {\n  const r = await fetch(`https://tracking.example.com/${req.params.id}`);\n  res.json(await r.json());\n});\n");
    // the file watcher re-indexes it; wait until the tree shows the new route's finding
    await scanned(a, (x) => x.features.some((f) => f.items.some((i) => i.children.some((c) => /reached from GET \/orders\/:id\/tracking/.test(c)))));

    const report = await a.branchReport();
    assert.equal(report.error, undefined);
    assert.match(report.markdown!, /^## Failpath readiness: `add-tracking` vs `main`/);
    assert.match(report.markdown!, /- `GET \/orders\/:id\/tracking` at `src\/orders\.ts:\d+` · feature \*\*orders\*\* — reaches [^\n]*\*\*missing-timeout\*\* \(recover\)/);
    // the new route's no-fallback (warning) makes recover fail; on main it was warn (missing-timeout ships at info)
    const recoverRow = report.markdown!.split('\n').find((l) => l.includes('Can I recover from failure?'));
    assert.equal(recoverRow, '| ❌ | Can I recover from failure? | fail (was ⚠️ warn) | 3 missing-timeout, 2 no-fallback; **2 new on this branch** |');

    await vscode.commands.executeCommand('failpath.readiness.showChanged');
    const changed = await scanned(a, (x) => x.onlyChanged);
    assert.deepEqual(changed.features.map((f) => `${f.label} ${/· changed/.test(f.description)}`), ['orders true']);
    await vscode.commands.executeCommand('failpath.readiness.showAll');
    const all = await scanned(a, (x) => !x.onlyChanged);
    assert.ok(all.features.length > 1);
  });
});
