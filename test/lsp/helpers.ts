/**
 * A scripted LSP client for the server bundle (dist/server.js): spawns it over stdio (or Node
 * IPC), answers workspace/configuration from `settings`, records every notification, and offers
 * event-based waits with timeouts (never fixed sleeps).
 */
import { spawn, fork, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection, StreamMessageReader, StreamMessageWriter, IPCMessageReader, IPCMessageWriter,
  InitializeRequest, InitializedNotification, ShutdownRequest, ExitNotification, ConfigurationRequest,
  PublishDiagnosticsNotification, LogMessageNotification, DidOpenTextDocumentNotification, DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification, DidChangeConfigurationNotification, CodeActionRequest, RegistrationRequest,
  ShowDocumentRequest, ShowMessageNotification, CancellationTokenSource, WorkDoneProgressCreateRequest, WorkDoneProgress,
  type ProtocolConnection, type ClientCapabilities, type InitializeResult, type PublishDiagnosticsParams, type LogMessageParams,
  type CodeAction, type Command, type Range, type CodeActionContext, type WorkspaceEdit, type TextDocumentContentChangeEvent,
  type ShowDocumentParams, type ShowMessageParams,
} from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Requests, Notifications, type ReadinessResult } from '../../shared/protocol';

export const REPO = path.join(__dirname, '..', '..');
export const SERVER = path.join(REPO, 'dist', 'server.js');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestMtime(p));
    else if (e.name.endsWith('.ts')) newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}

/** Builds dist/server.js with esbuild.mjs when it is missing or older than its sources. */
export function ensureBuilt(): void {
  const sources = Math.max(newestMtime(path.join(REPO, 'server', 'src')), newestMtime(path.join(REPO, 'shared')));
  const built = fs.existsSync(SERVER) ? fs.statSync(SERVER).mtimeMs : 0;
  if (built >= sources) return;
  spawnSync(process.execPath, [path.join(REPO, 'esbuild.mjs')], { cwd: REPO, stdio: 'ignore' });
  if (fs.existsSync(SERVER) && fs.statSync(SERVER).mtimeMs >= sources) return;
  // esbuild.mjs stops at the first bundle that fails (another entry point may be mid-change):
  // bundle the server alone, with the same settings
  const r = spawnSync(process.execPath, ['-e', `require('esbuild').buildSync({ entryPoints: { server: 'server/src/server.ts' },
    bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: 'linked', outdir: 'dist', legalComments: 'none', logLevel: 'error',
    mainFields: ['module', 'main'] })`],
  { cwd: REPO, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`could not build dist/server.js:\n${r.stderr}`);
}

/** A temporary workspace folder with a package.json; files need not exist on disk. */
export function workspace(dependencies: Record<string, string> = {}): { root: string; uri(rel: string): string } {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'failpath-lsp-')));
  fs.writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'ws', dependencies }));
  return { root, uri: (rel) => pathToFileURL(path.join(root, rel)).href };
}

/** The `failpath` section: one value for every resource, or computed per scopeUri. */
export type Settings = Record<string, unknown> | ((scopeUri: string | undefined) => unknown);

export interface StartOptions {
  transport?: 'stdio' | 'ipc';
  capabilities?: ClientCapabilities;
  initializationOptions?: unknown;
  /** The `failpath` section returned for workspace/configuration (per scopeUri when a function). */
  settings?: Settings;
  rootUri?: string | null;
  workspaceFolders?: { uri: string; name: string }[] | null;
  /** Node options for the server process (stdio only), e.g. a heap cap. */
  nodeArgs?: string[];
}

/** Client capabilities of a push-diagnostics client that supports workspace/configuration. */
export const PUSH_CLIENT: ClientCapabilities = {
  workspace: { configuration: true, workspaceEdit: { documentChanges: true }, didChangeConfiguration: { dynamicRegistration: false } },
  textDocument: {
    synchronization: { dynamicRegistration: false },
    codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'refactor', 'source'] } }, isPreferredSupport: true },
    publishDiagnostics: { versionSupport: true, codeDescriptionSupport: true },
  },
  window: { showDocument: { support: true } },
};

interface Waiter<T> {
  test: (item: T) => boolean;
  resolve: (item: T) => void;
}

/** Items arriving over time, with `next(predicate)` resolving on the first match from now on or already seen. */
class Stream<T> {
  readonly items: T[] = [];
  private waiters: Waiter<T>[] = [];

  push(item: T): void {
    this.items.push(item);
    this.waiters = this.waiters.filter((w) => {
      if (!w.test(item)) return true;
      w.resolve(item);
      return false;
    });
  }

  /** The first item (from index `from`) matching `test`, or a rejection after `timeoutMs`. */
  wait(test: (item: T) => boolean, what: string, timeoutMs = 10_000, from = 0): Promise<T> {
    const seen = this.items.slice(from).find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; got:\n${JSON.stringify(this.items.slice(from), null, 1).slice(0, 3000)}`));
      }, timeoutMs);
      const waiter: Waiter<T> = { test, resolve: (item) => { clearTimeout(timer); resolve(item); } };
      this.waiters.push(waiter);
    });
  }
}

/** A promise and its resolver, e.g. to hold back a response until the test releases it. */
export function gate(): { promise: Promise<void>; open(): void } {
  let open!: () => void;
  const promise = new Promise<void>((r) => { open = r; });
  return { promise, open };
}

export class TestClient {
  readonly diagnostics = new Stream<PublishDiagnosticsParams>();
  readonly logs = new Stream<LogMessageParams>();
  readonly configRequests = new Stream<string | undefined>();
  readonly showDocuments = new Stream<ShowDocumentParams>();
  readonly messages = new Stream<ShowMessageParams>();
  readonly registrations = new Stream<string>();
  /** `$/progress` values of server-initiated work done progress (begin/report/end). */
  readonly progress = new Stream<{ kind: string; message?: string; percentage?: number; title?: string }>();
  /** Failpath's custom notifications (failpath/readinessChanged), by method, in arrival order. */
  readonly custom = new Stream<string>();
  settings: StartOptions['settings'];
  /** When set, workspace/configuration answers wait for it. */
  configGate?: Promise<void>;
  initializeResult!: InitializeResult;
  stderr = '';
  private readonly texts = new Map<string, TextDocument>();

  constructor(readonly connection: ProtocolConnection, readonly child: ChildProcess, settings: StartOptions['settings']) {
    this.settings = settings;
    connection.onNotification(PublishDiagnosticsNotification.type, (p) => this.diagnostics.push(p));
    connection.onNotification(LogMessageNotification.type, (p) => this.logs.push(p));
    connection.onNotification(ShowMessageNotification.type, (p) => this.messages.push(p));
    connection.onRequest(ConfigurationRequest.type, async (p) => {
      const items = p.items.map((i) => {
        this.configRequests.push(i.scopeUri);
        const s = this.settings;
        return typeof s === 'function' ? s(i.scopeUri) : s ?? {};
      });
      if (this.configGate) await this.configGate;
      return items;
    });
    connection.onRequest(RegistrationRequest.type, (p) => {
      for (const r of p.registrations) this.registrations.push(r.method);
    });
    connection.onRequest(WorkDoneProgressCreateRequest.type, (p) => {
      connection.onProgress(WorkDoneProgress.type, p.token, (v) => this.progress.push(v));
      return undefined;
    });
    for (const method of ['failpath/readinessChanged']) connection.onNotification(method, () => this.custom.push(method));
    connection.onRequest(ShowDocumentRequest.type, (p) => {
      this.showDocuments.push(p);
      return { success: true };
    });
    child.stderr?.on('data', (d) => { this.stderr += String(d); });
  }

  open(uri: string, text: string, languageId = 'typescript', version = 1): void {
    this.texts.set(uri, TextDocument.create(uri, languageId, version, text));
    void this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version, text } });
  }

  /** Sends incremental changes and mirrors them locally. */
  change(uri: string, version: number, changes: TextDocumentContentChangeEvent[]): void {
    const doc = this.texts.get(uri);
    if (!doc) throw new Error(`not open: ${uri}`);
    TextDocument.update(doc, changes, version);
    void this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: changes });
  }

  /** Replaces the whole text through an incremental change covering it. */
  setText(uri: string, version: number, text: string): void {
    const doc = this.doc(uri);
    this.change(uri, version, [{ range: { start: doc.positionAt(0), end: doc.positionAt(doc.getText().length) }, text }]);
  }

  close(uri: string): void {
    this.texts.delete(uri);
    void this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  doc(uri: string): TextDocument {
    const doc = this.texts.get(uri);
    if (!doc) throw new Error(`not open: ${uri}`);
    return doc;
  }

  text(uri: string): string {
    return this.doc(uri).getText();
  }

  changeSettings(settings: StartOptions['settings']): void {
    this.settings = settings;
    void this.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: { failpath: typeof settings === 'function' ? {} : settings } });
  }

  /** The next diagnostics published for `uri` that satisfy `test` (default: any). */
  waitForDiagnostics(uri: string, test: (p: PublishDiagnosticsParams) => boolean = () => true, timeoutMs?: number, from = 0): Promise<PublishDiagnosticsParams> {
    return this.diagnostics.wait((p) => p.uri === uri && test(p), `diagnostics for ${uri}`, timeoutMs, from);
  }

  /** Diagnostics for `uri` at exactly `version`. */
  diagnosticsAt(uri: string, version: number, timeoutMs?: number): Promise<PublishDiagnosticsParams> {
    return this.waitForDiagnostics(uri, (p) => p.version === version, timeoutMs);
  }

  codeActions(uri: string, range: Range, context: Partial<CodeActionContext> = {}, token?: CancellationTokenSource): Promise<(CodeAction | Command)[] | null> {
    return this.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range, context: { diagnostics: [], ...context } }, token?.token);
  }

  /** Applies a code action's edit to the client's copy of the document and returns the new text. */
  apply(uri: string, edit: WorkspaceEdit | undefined): string {
    if (!edit) throw new Error('action has no edit');
    const doc = this.doc(uri);
    const edits = edit.documentChanges
      ? edit.documentChanges.flatMap((c) => ('textDocument' in c && c.textDocument.uri === uri ? c.edits : []))
      : edit.changes?.[uri] ?? [];
    return TextDocument.applyEdits(doc, edits as Parameters<typeof TextDocument.applyEdits>[1]);
  }

  async shutdown(): Promise<void> {
    const exited = new Promise<number | null>((resolve) => {
      if (this.child.exitCode !== null) resolve(this.child.exitCode);
      else this.child.once('exit', (code) => resolve(code));
    });
    try {
      await withTimeout(this.connection.sendRequest(ShutdownRequest.type), 5000, 'shutdown');
      void this.connection.sendNotification(ExitNotification.type);
      await withTimeout(exited, 5000, 'exit');
    } finally {
      this.connection.dispose();
      if (this.child.exitCode === null) this.child.kill();
    }
  }
}

export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => { timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms); }),
  ]);
}

export async function startServer(options: StartOptions = {}): Promise<TestClient> {
  ensureBuilt();
  let child: ChildProcess;
  let connection: ProtocolConnection;
  if (options.transport === 'ipc') {
    child = fork(SERVER, ['--node-ipc'], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    connection = createProtocolConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
  } else {
    child = spawn(process.execPath, [...(options.nodeArgs ?? []), SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  }
  const client = new TestClient(connection, child, options.settings);
  connection.listen();
  client.initializeResult = await withTimeout(connection.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri: options.rootUri ?? null,
    capabilities: options.capabilities ?? PUSH_CLIENT,
    initializationOptions: options.initializationOptions ?? { debounceMs: 50 },
    workspaceFolders: options.workspaceFolders ?? null,
  }), 10_000, 'initialize');
  await connection.sendNotification(InitializedNotification.type, {});
  return client;
}

/** The `CodeAction`s of a result, by title. */
export function byTitle(actions: (CodeAction | Command)[] | null, title: string | RegExp): CodeAction {
  const list = (actions ?? []) as CodeAction[];
  const hit = list.find((a) => (typeof title === 'string' ? a.title === title : title.test(a.title)));
  if (!hit) throw new Error(`no code action ${String(title)}; have: ${list.map((a) => a.title).join(' | ')}`);
  return hit;
}

export function titles(actions: (CodeAction | Command)[] | null): string[] {
  return (actions ?? []).map((a) => a.title);
}

/**
 * The server bundle started in `root` with extra node arguments and environment (the sandbox
 * recorder of test/harness/sandbox.ts), initialized with one workspace folder.
 */
export async function startServerIn(root: string, options: { execArgv: string[]; env: Record<string, string>; capabilities: ClientCapabilities; initializationOptions: unknown; name: string }): Promise<TestClient> {
  ensureBuilt();
  const child = spawn(process.execPath, [...options.execArgv, SERVER, '--stdio'], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...options.env } });
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  const client = new TestClient(connection, child, {});
  connection.listen();
  client.initializeResult = await withTimeout(connection.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri: pathToFileURL(root).href,
    capabilities: options.capabilities,
    initializationOptions: options.initializationOptions,
    workspaceFolders: [{ uri: pathToFileURL(root).href, name: options.name }],
  }), 10_000, 'initialize');
  await connection.sendNotification(InitializedNotification.type, {});
  return client;
}

/** A git repository of `root` with everything committed on main, checked out on a new branch `feature`. */
export function gitBranch(root: string): (...args: string[]) => void {
  const git = (...args: string[]) => {
    const r = spawnSync('git', args, { cwd: root, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } });
    if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  };
  git('init', '-q', '-b', 'main');
  git('add', '.');
  git('commit', '-q', '-m', 'base');
  git('checkout', '-q', '-b', 'feature');
  return git;
}

/** Readiness once the workspace scan is over (waits on readinessChanged notifications, no sleeps). */
export async function scanDone(client: TestClient): Promise<ReadinessResult> {
  for (;;) {
    const from = client.custom.items.length;
    const r: ReadinessResult = await client.connection.sendRequest(Requests.readiness, {});
    if (r.state === 'ready') return r;
    await client.custom.wait((m) => m === Notifications.readinessChanged, 'readinessChanged', 60_000, from);
  }
}
