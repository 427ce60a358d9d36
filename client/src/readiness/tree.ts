/**
 * The "Readiness" view: feature → the five questions (status icon + the one-line why) →
 * findings (click reveals the range) and evidence (click reveals the flag check, the logger
 * setup…). Data comes from the server (failpath/readiness, refreshed on
 * failpath/readinessChanged); the labels are the server's, so this file knows no rule.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  Notifications, ReadinessCommands, Requests,
  type ReadinessEvidence, type ReadinessFeature, type ReadinessFinding, type ReadinessItem, type ReadinessParams, type ReadinessResult, type ReadinessStatus, type WireRange,
} from '../../../shared/protocol';
import { viewMessage } from './viewMessage';

export const VIEW_ID = 'failpath.readiness';
/** Context keys the view's menus and welcome content use. */
const ONLY_CHANGED_KEY = 'failpath.readiness.onlyChanged';
const EMPTY_KEY = 'failpath.readiness.empty';

type Node =
  | { kind: 'feature'; feature: ReadinessFeature }
  | { kind: 'routes'; feature: ReadinessFeature }
  | { kind: 'route'; route: ReadinessFeature['routes'][number] }
  | { kind: 'item'; feature: ReadinessFeature; item: ReadinessItem }
  | { kind: 'finding'; finding: ReadinessFinding }
  | { kind: 'evidence'; evidence: ReadinessEvidence };

const STATUS_ICON: Record<ReadinessStatus, vscode.ThemeIcon> = {
  pass: new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')),
  warn: new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground')),
  fail: new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground')),
  unknown: new vscode.ThemeIcon('question'),
};
const SEVERITY_ICON: Record<ReadinessFinding['severity'], vscode.ThemeIcon> = {
  error: new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground')),
  warning: new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground')),
  info: new vscode.ThemeIcon('info'),
  hint: new vscode.ThemeIcon('lightbulb'),
};

/** What the integration tests read: the tree as plain text lines, as a user sees it. */
export interface ReadinessSnapshot {
  state: ReadinessResult['state'];
  onlyChanged: boolean;
  badge?: number;
  message?: string;
  features: { label: string; description: string; items: { label: string; description: string; icon: string; children: string[] }[] }[];
}

export class ReadinessView implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private readonly view: vscode.TreeView<Node>;
  private readonly subscriptions: vscode.Disposable[] = [];
  private data?: ReadinessResult;
  /** Node objects are stable between refreshes of the data, so reveal() and getParent() work. */
  private roots: Node[] = [];
  private children = new WeakMap<Node, Node[]>();
  private parents = new WeakMap<Node, Node>();
  private onlyChanged = false;
  private timer?: NodeJS.Timeout;
  private inFlight?: Promise<void>;
  private again = false;

  constructor(private readonly client: LanguageClient, private readonly output: vscode.LogOutputChannel) {
    this.view = vscode.window.createTreeView(VIEW_ID, { treeDataProvider: this, showCollapseAll: true });
    this.subscriptions.push(
      this.view,
      this.emitter,
      vscode.commands.registerCommand(ReadinessCommands.refresh, () => this.refresh()),
      vscode.commands.registerCommand(ReadinessCommands.showChanged, () => this.setOnlyChanged(true)),
      vscode.commands.registerCommand(ReadinessCommands.showAll, () => this.setOnlyChanged(false)),
      vscode.commands.registerCommand(ReadinessCommands.reveal, (uri: string, range: WireRange) => reveal(uri, range)),
      vscode.commands.registerCommand(ReadinessCommands.show, () => vscode.commands.executeCommand(`${VIEW_ID}.focus`)),
      this.view.onDidChangeVisibility((e) => { if (e.visible) this.schedule(0); }),
      vscode.workspace.onDidChangeConfiguration((e) => { if (e.affectsConfiguration('failpath.readiness')) this.schedule(0); }),
    );
    void vscode.commands.executeCommand('setContext', ONLY_CHANGED_KEY, false);
    // while the view is hidden only the badge needs the data: fetch rarely (a scan notifies often)
    this.subscriptions.push(client.onNotification(Notifications.readinessChanged, () => this.schedule(this.view.visible ? 300 : 5000, !this.view.visible)));
  }

  /** Fetches now and resolves when the tree shows the server's current data. */
  async refresh(): Promise<void> {
    if (this.inFlight) {
      this.again = true;
      return this.inFlight;
    }
    this.inFlight = this.fetch().finally(() => { this.inFlight = undefined; });
    await this.inFlight;
    if (this.again) {
      this.again = false;
      await this.refresh();
    }
  }

  /** The tree as a user sees it (for the integration tests and the "copy" of the view). */
  async snapshot(): Promise<ReadinessSnapshot> {
    await this.refresh();
    const features: ReadinessSnapshot['features'] = [];
    for (const node of this.getChildren()) {
      if (node.kind !== 'feature') continue;
      const t = this.getTreeItem(node);
      const items = this.getChildren(node).filter((n): n is Extract<Node, { kind: 'item' }> => n.kind === 'item').map((n) => {
        const ti = this.getTreeItem(n);
        return {
          label: String(ti.label),
          description: String(ti.description ?? ''),
          icon: (ti.iconPath as vscode.ThemeIcon).id,
          children: this.getChildren(n).map((c) => {
            const ci = this.getTreeItem(c);
            return `${String(ci.label)}${ci.description ? ` — ${String(ci.description)}` : ''}`;
          }),
        };
      });
      features.push({ label: String(t.label), description: String(t.description ?? ''), items });
    }
    return { state: this.data?.state ?? 'idle', onlyChanged: this.onlyChanged, badge: this.view.badge?.value, message: this.view.message, features };
  }

  getTreeItem(node: Node): vscode.TreeItem {
    switch (node.kind) {
      case 'feature': {
        const f = node.feature;
        const t = new vscode.TreeItem(f.name, vscode.TreeItemCollapsibleState.Collapsed);
        t.id = `feature:${f.root}:${f.name}`;
        const failing = f.items.filter((i) => i.status === 'fail').length;
        t.description = `${f.score}/5 ready${f.owner ? ` · ${f.owner}` : ''}${f.changed ? ' · changed' : ''}`;
        t.iconPath = new vscode.ThemeIcon(failing ? 'circle-large-outline' : 'pass-filled', failing ? new vscode.ThemeColor('list.errorForeground') : new vscode.ThemeColor('testing.iconPassed'));
        const md = new vscode.MarkdownString();
        md.appendMarkdown(`**${escape(f.name)}** — ${f.score}/5 ready\n\n`);
        md.appendMarkdown(`${f.files} file${f.files === 1 ? '' : 's'} · ${f.routes.length} route${f.routes.length === 1 ? '' : 's'}${f.flags.length ? ` · flags ${f.flags.map(escape).join(', ')}` : ''} · from ${escape(f.source)}`);
        t.tooltip = md;
        t.contextValue = 'feature';
        return t;
      }
      case 'routes': {
        const t = new vscode.TreeItem(`Routes (${node.feature.routes.length})`, vscode.TreeItemCollapsibleState.Collapsed);
        t.id = `routes:${node.feature.root}:${node.feature.name}`;
        t.iconPath = new vscode.ThemeIcon('symbol-interface');
        return t;
      }
      case 'route': {
        const t = new vscode.TreeItem(node.route.label, vscode.TreeItemCollapsibleState.None);
        t.iconPath = new vscode.ThemeIcon('globe');
        t.command = { title: 'Reveal', command: ReadinessCommands.reveal, arguments: [node.route.uri, { start: { line: node.route.line, character: 0 }, end: { line: node.route.line, character: 0 } }] };
        return t;
      }
      case 'item': {
        const i = node.item;
        const hasChildren = i.findings.length + i.evidence.length > 0;
        const t = new vscode.TreeItem(i.question, hasChildren ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
        t.id = `item:${node.feature.root}:${node.feature.name}:${i.id}`;
        t.description = i.why;
        t.iconPath = STATUS_ICON[i.status];
        t.tooltip = `${i.question} ${i.status} — ${i.why}`;
        t.contextValue = `item.${i.status}`;
        return t;
      }
      case 'finding': {
        const f = node.finding;
        const t = new vscode.TreeItem(f.label, vscode.TreeItemCollapsibleState.None);
        t.description = f.reachedFrom;
        t.iconPath = SEVERITY_ICON[f.severity];
        t.tooltip = f.reachedFrom ? `${f.message}\n\n${f.reachedFrom}` : f.message;
        t.command = { title: 'Reveal', command: ReadinessCommands.reveal, arguments: [f.uri, f.range] };
        t.resourceUri = undefined;
        t.contextValue = 'finding';
        return t;
      }
      case 'evidence': {
        const e = node.evidence;
        const t = new vscode.TreeItem(e.label, vscode.TreeItemCollapsibleState.None);
        t.iconPath = new vscode.ThemeIcon('check');
        t.tooltip = `Evidence: ${e.label}`;
        t.command = { title: 'Reveal', command: ReadinessCommands.reveal, arguments: [e.uri, e.range] };
        t.contextValue = 'evidence';
        return t;
      }
    }
  }

  getChildren(node?: Node): Node[] {
    if (!node) return this.roots;
    let hit = this.children.get(node);
    if (!hit) {
      hit = this.computeChildren(node);
      this.children.set(node, hit);
      for (const c of hit) this.parents.set(c, node);
    }
    return hit;
  }

  getParent(node: Node): Node | undefined {
    return this.parents.get(node);
  }

  /** Shows a feature expanded with its items (the integration suite's screenshot, "reveal in sidebar"). */
  async revealFeature(name: string, expandItem?: string): Promise<boolean> {
    await this.refresh();
    const feature = this.roots.find((n) => n.kind === 'feature' && n.feature.name === name);
    if (!feature) return false;
    await this.view.reveal(feature, { expand: true, select: false, focus: false });
    if (expandItem) {
      const item = this.getChildren(feature).find((n) => n.kind === 'item' && n.item.id === expandItem);
      if (item) await this.view.reveal(item, { expand: true, select: false, focus: false });
    }
    return true;
  }

  private computeChildren(node: Node): Node[] {
    switch (node.kind) {
      case 'feature': {
        const items: Node[] = node.feature.items.map((item) => ({ kind: 'item', feature: node.feature, item }));
        if (node.feature.routes.length) items.push({ kind: 'routes', feature: node.feature });
        return items;
      }
      case 'routes':
        return node.feature.routes.map((route) => ({ kind: 'route', route }));
      case 'item':
        return [
          ...node.item.findings.map((finding): Node => ({ kind: 'finding', finding })),
          ...node.item.evidence.map((evidence): Node => ({ kind: 'evidence', evidence })),
        ];
      default:
        return [];
    }
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const s of this.subscriptions) s.dispose();
  }

  private schedule(delayMs: number, keepPending = false): void {
    if (this.timer) {
      if (keepPending) return; // a fetch is already due
      clearTimeout(this.timer);
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.refresh();
    }, delayMs);
  }

  private async setOnlyChanged(value: boolean): Promise<void> {
    this.onlyChanged = value;
    await vscode.commands.executeCommand('setContext', ONLY_CHANGED_KEY, value);
    await this.refresh();
  }

  private async fetch(): Promise<void> {
    if (!this.client.isRunning()) return;
    const base = vscode.workspace.getConfiguration('failpath').get<string>('readiness.baseBranch') || undefined;
    const params: ReadinessParams = { onlyChanged: this.onlyChanged, base };
    let result: ReadinessResult;
    try {
      result = await this.client.sendRequest<ReadinessResult>(Requests.readiness, params);
    } catch (err) {
      this.output.warn(`Readiness request failed: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    this.data = result;
    this.roots = result.features.map((feature): Node => ({ kind: 'feature', feature }));
    this.children = new WeakMap();
    this.parents = new WeakMap();
    this.view.badge = result.failing > 0
      ? { value: result.failing, tooltip: `${result.failing} readiness item${result.failing === 1 ? '' : 's'} failing` }
      : undefined;
    this.view.message = viewMessage(result, this.onlyChanged);
    await vscode.commands.executeCommand('setContext', EMPTY_KEY, result.state === 'ready' && result.features.length === 0 && !this.onlyChanged);
    this.emitter.fire(undefined);
  }
}

async function reveal(uri: string, range: WireRange): Promise<void> {
  const r = new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
  const editor = await vscode.window.showTextDocument(vscode.Uri.parse(uri), { selection: r, preview: true });
  editor.revealRange(r, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}

function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
