/**
 * The Failpath language server: wiring only. LSP in, engine calls, LSP out. Runs over stdio
 * (`--stdio`) or Node IPC (`--node-ipc`); the engine knows nothing of LSP.
 *
 * Diagnostics are pushed (publishDiagnostics, debounced per document, stale work aborted) unless
 * the client supports pull diagnostics, which it then asks for. Settings are pulled per resource
 * with workspace/configuration and cached per URI (lsp/settings.ts); code actions are built from
 * the analysis the diagnostics came from (lsp/analysis.ts, lsp/codeActions.ts).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  createConnection, ProposedFeatures, TextDocuments, TextDocumentSyncKind, CodeActionKind, ResponseError, ErrorCodes,
  LSPErrorCodes, DidChangeConfigurationNotification, DidChangeWatchedFilesNotification, DocumentDiagnosticReportKind,
  ShowMessageNotification, MessageType, CodeLensRefreshRequest,
  type InitializeParams, type InitializeResult, type CancellationToken, type DocumentDiagnosticReport, type DiagnosticServerCancellationData,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { ProjectLoader } from './engine/project';
import { containmentRoots } from './engine/readSource';
import { RULE_IDS } from './rules';
import { SettingsCache, type SettingsSource } from './lsp/settings';
import { Debouncer } from './lsp/debounce';
import { DocumentAnalyzer, type DocumentAnalysis } from './lsp/analysis';
import { hardenedTextDocument } from './lsp/documents';
import { redirectConsole, serverTransport } from './lsp/transport';
import { buildCodeActions } from './lsp/codeActions';
import { ConfigDiagnostics } from './lsp/configDiagnostics';
import { buildHover } from './lsp/hover';
import { LOCKFILES } from './engine/lockfile';
import { isLocalModuleCandidate } from './engine/localModules';
import { fileUri, fsPathOf, isSupportedDocument } from './lsp/convert';
import { WorkspaceIndex } from './lsp/workspace';
import { ChangedFilesCache, ReadinessCache, branchReport, readinessResult } from './lsp/readiness';
import { codeLenses, resolveLens, routeList, whoReaches } from './lsp/lenses';
import { entryFromResult } from './engine/readiness/build';
import { describeRoutes } from './engine/readiness/projectIndex';
import { isSourceFile } from './engine/files';
import {
  Commands, FIX_ALL_KIND, SETTINGS_SECTION, Requests, Notifications, UNTRUSTED_GIT_MESSAGE,
  type DocumentationArgs, type InitializationOptions, type ReadinessParams, type ReadinessResult, type BranchReportParams, type BranchReportResult,
  type RouteListItem, type WhoReachesParams, type WhoReachesResult,
} from '../../shared/protocol';

// a malformed frame ends the process (exit 1) instead of leaving a server that never answers again
const transport = serverTransport();
const connection = transport ? createConnection(ProposedFeatures.all, transport.reader, transport.writer) : createConnection(ProposedFeatures.all);
if (transport?.stdio) redirectConsole(connection.console);
const documents = new TextDocuments(hardenedTextDocument);

const client = {
  configuration: false,
  documentChanges: false,
  showDocument: false,
  pull: false,
  refresh: false,
  configurationRegistration: false,
  watchedFilesRegistration: false,
  workspaceFolders: false,
  workDoneProgress: false,
  codeLensRefresh: false,
  disabledCodeActions: false,
  workspaceScan: true,
  clientCommands: [] as string[],
  debounceMs: 200,
};
let roots: string[] = [];

const settingsSource: SettingsSource = { warn: (m) => connection.console.warn(m) };
const settings = new SettingsCache(settingsSource, RULE_IDS);
// containment: package.json, lockfiles, local modules and .failpath.json are never read through a
// link leading out of the workspace folders (engine/readSource.ts); resolved once per `roots`
let resolvedRoots: { of: string[]; roots: string[] } | undefined;
const workspaceRoots = (): string[] => (resolvedRoots?.of === roots ? resolvedRoots : (resolvedRoots = { of: roots, roots: containmentRoots(roots) })).roots;
const projects = new ProjectLoader((m) => connection.console.warn(m), workspaceRoots);
// .failpath.json problems are published on the config file itself, open or not
const configFiles = new ConfigDiagnostics((uri, diagnostics) => void connection.sendDiagnostics({ uri, diagnostics }), RULE_IDS, workspaceRoots);
const analyzer = new DocumentAnalyzer({
  settings,
  projects,
  configFiles,
  knownRules: RULE_IDS,
  roots: () => roots,
  isOpen: (uri) => documents.get(uri) !== undefined,
  indexed: (file, text, result) => workspace.updateFromEditor(entryFromResult(file, text, result)),
  sessionFor: (file) => workspace.sessionFor(file),
  log: { info: (m) => connection.console.info(m), warn: (m) => connection.console.warn(m), error: (m) => connection.console.error(m) },
});
// ---- the workspace index (readiness, route impact) ------------------------------------------------

const workerScript = path.join(__dirname, 'scan-worker.js');
let scanProgress: { report(percentage: number, message: string): void; done(): void } | undefined;
const workspace = new WorkspaceIndex({
  workerScript: fs.existsSync(workerScript) ? workerScript : undefined,
  settingsFor: async (root) => (await settings.get(fileUri(root))).raw,
  log: { info: (m) => connection.console.info(m), warn: (m) => connection.console.warn(m), error: (m) => connection.console.error(m) },
  progress: (e) => {
    if (e.kind === 'begin') void beginProgress(e.total);
    else if (e.kind === 'report') scanProgress?.report(e.total ? Math.floor((100 * e.scanned) / e.total) : 100, `${e.scanned}/${e.total} files`);
    else { scanProgress?.done(); scanProgress = undefined; }
  },
  changed: (reason) => {
    readinessChanged();
    impactChanged();
    void reason;
  },
});
const changedFiles = new ChangedFilesCache();
const readinessCache = new ReadinessCache(workspace);

async function beginProgress(total: number): Promise<void> {
  if (!client.workDoneProgress) return;
  try {
    const p = await connection.window.createWorkDoneProgress();
    p.begin('Failpath: indexing the workspace', 0, `0/${total} files`, false);
    if (workspace.state !== 'scanning') { p.done(); return; }
    scanProgress = { report: (pct, msg) => p.report(pct, msg), done: () => p.done() };
  } catch {
    // the client refused progress: scan silently
  }
}

let readinessTimer: NodeJS.Timeout | undefined;
function readinessChanged(): void {
  if (readinessTimer) return;
  readinessTimer = setTimeout(() => {
    readinessTimer = undefined;
    void connection.sendNotification(Notifications.readinessChanged);
  }, 300);
}

let impactEpochSent = -1;
let impactTimer: NodeJS.Timeout | undefined;
/** Other files changed what reaches the open files' findings: re-publish (cached analyses, new messages). */
function impactChanged(): void {
  if (impactTimer) return;
  impactTimer = setTimeout(() => {
    impactTimer = undefined;
    if (impactEpochSent === workspace.epoch) return;
    impactEpochSent = workspace.epoch;
    if (client.codeLensRefresh) void connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
    if (client.pull) {
      if (client.refresh) void connection.languages.diagnostics.refresh();
      return;
    }
    for (const doc of documents.all()) schedule(doc, 0);
  }, 500);
}

const plainDiagnostics = new WeakMap<DocumentAnalysis, { epoch: number; diagnostics: DocumentAnalysis['diagnostics'] }>();
/**
 * The analysis's diagnostics with their route impact ("… (reached from POST /orders)"), stored
 * back into the analysis so that code actions name the very diagnostics that were published.
 */
function withImpact(analysis: DocumentAnalysis): DocumentAnalysis['diagnostics'] {
  const file = fsPathOf(analysis.uri);
  if (!file) return analysis.diagnostics;
  let plain = plainDiagnostics.get(analysis);
  if (plain?.epoch === workspace.epoch) return analysis.diagnostics;
  const base = plain?.diagnostics ?? analysis.diagnostics;
  analysis.diagnostics = base.map((d, i) => {
    const reached = describeRoutes(workspace.routesReaching(file, analysis.findings[i].start));
    return reached ? { ...d, message: `${d.message} (${reached})` } : d;
  });
  plain = { epoch: workspace.epoch, diagnostics: base };
  plainDiagnostics.set(analysis, plain);
  return analysis.diagnostics;
}

const debouncer = new Debouncer((uri, err) => connection.console.error(`Validating ${uri} failed: ${stack(err)}`));
const justOpened = new Set<string>();

function stack(err: unknown): string {
  return err instanceof Error ? err.stack ?? err.message : String(err);
}

function readOptions(raw: unknown): InitializationOptions {
  const o = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const out: InitializationOptions = {};
  if (Array.isArray(o.clientCommands)) out.clientCommands = o.clientCommands.filter((c): c is string => typeof c === 'string');
  if (typeof o.workspaceScan === 'boolean') out.workspaceScan = o.workspaceScan;
  if (typeof o.debounceMs === 'number' && o.debounceMs >= 0 && o.debounceMs <= 10_000) out.debounceMs = o.debounceMs;
  if (o.diagnosticMode === 'push' || o.diagnosticMode === 'pull') out.diagnosticMode = o.diagnosticMode;
  if (typeof o.workspaceTrusted === 'boolean') out.workspaceTrusted = o.workspaceTrusted;
  return out;
}

connection.onInitialize((params: InitializeParams): InitializeResult => {
  const caps = params.capabilities ?? {};
  const options = readOptions(params.initializationOptions);
  client.configuration = caps.workspace?.configuration === true;
  client.documentChanges = caps.workspace?.workspaceEdit?.documentChanges === true;
  client.showDocument = caps.window?.showDocument?.support === true;
  client.pull = caps.textDocument?.diagnostic !== undefined && options.diagnosticMode !== 'push';
  client.refresh = caps.workspace?.diagnostics?.refreshSupport === true;
  client.configurationRegistration = caps.workspace?.didChangeConfiguration?.dynamicRegistration === true;
  client.watchedFilesRegistration = caps.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
  client.workspaceFolders = caps.workspace?.workspaceFolders === true;
  client.workDoneProgress = caps.window?.workDoneProgress === true;
  client.codeLensRefresh = caps.workspace?.codeLens?.refreshSupport === true;
  client.disabledCodeActions = caps.textDocument?.codeAction?.disabledSupport === true;
  client.workspaceScan = options.workspaceScan !== false;
  client.clientCommands = options.clientCommands ?? [];
  if (options.debounceMs !== undefined) client.debounceMs = options.debounceMs;
  workspaceTrusted = options.workspaceTrusted !== false;
  const folders = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
  roots = folders.map(fsPathOf).filter((p): p is string => !!p);
  if (client.configuration) {
    settingsSource.pull = async (uri) => (await connection.workspace.getConfiguration({ scopeUri: uri, section: SETTINGS_SECTION })) as unknown;
  }
  const result: InitializeResult = {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.Refactor, CodeActionKind.RefactorRewrite, FIX_ALL_KIND] },
      hoverProvider: true,
      executeCommandProvider: { commands: [Commands.openDocumentation] },
      codeLensProvider: { resolveProvider: true },
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    },
    serverInfo: { name: 'failpath' },
  };
  if (client.pull) {
    result.capabilities.diagnosticProvider = { identifier: 'failpath', interFileDependencies: false, workspaceDiagnostics: false };
  }
  return result;
});

connection.onInitialized(() => {
  configFiles.checkFolders(roots);
  if (client.configurationRegistration) {
    void connection.client.register(DidChangeConfigurationNotification.type, { section: SETTINGS_SECTION });
  }
  if (client.watchedFilesRegistration) {
    void connection.client.register(DidChangeWatchedFilesNotification.type, {
      watchers: ['package.json', '.failpath.json', ...LOCKFILES, '*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}'].map((f) => ({ globPattern: `**/${f}` })),
    });
  }
  if (client.workspaceScan) workspace.start(roots);
  if (client.workspaceFolders) {
    connection.workspace.onDidChangeWorkspaceFolders((e) => {
      const removed = new Set(e.removed.map((f) => fsPathOf(f.uri)));
      const added = e.added.map((f) => fsPathOf(f.uri)).filter((p): p is string => !!p);
      roots = [...roots.filter((r) => !removed.has(r)), ...added];
      configFiles.checkFolders(added);
      refreshAll(true);
    });
  }
});

// ---- validation (push) ------------------------------------------------------------------------

function supported(doc: TextDocument): boolean {
  // a malformed didOpen (no text) yields a document without text: nothing to analyse
  return typeof doc.getText() === 'string' && typeof doc.uri === 'string' && isSupportedDocument(doc.uri, doc.languageId);
}

function schedule(doc: TextDocument, delayMs: number): void {
  if (!supported(doc)) return;
  if (client.pull) {
    // the client pulls only what it shows; the workspace index still needs every open document's
    // current text (a file changed on disk while open in a background tab): analyse it when idle
    if (client.workspaceScan && fsPathOf(doc.uri)) {
      debouncer.schedule(`index:${doc.uri}`, Math.max(delayMs, 1000), async (signal) => {
        const current = documents.get(doc.uri);
        if (current) await analyzer.analysisFor(current, signal);
      });
    }
    return;
  }
  const uri = doc.uri;
  debouncer.schedule(uri, delayMs, async (signal) => {
    const current = documents.get(uri);
    if (!current) return;
    const analysis = await analyzer.analysisFor(current, signal);
    if (!analysis || signal.aborted || documents.get(uri) !== current) return;
    await connection.sendDiagnostics({ uri, version: analysis.version, diagnostics: withImpact(analysis) });
  });
}

/** Large files wait a little longer after a keystroke. */
function delayFor(doc: TextDocument): number {
  return client.debounceMs + Math.min(1000, Math.floor(doc.getText().length / 4000));
}

/** Settings, package.json or .failpath.json changed: everything open is stale, and the index (rescan). */
function refreshAll(rescan: boolean): void {
  analyzer.invalidate();
  changedFiles.clear();
  if (rescan && client.workspaceScan) workspace.start(roots);
  if (client.pull) {
    if (client.refresh) void connection.languages.diagnostics.refresh();
    return;
  }
  for (const doc of documents.all()) schedule(doc, 0);
}

documents.onDidOpen((e) => justOpened.add(e.document.uri));
documents.onDidChangeContent((e) => {
  const opened = justOpened.delete(e.document.uri);
  schedule(e.document, opened ? 0 : delayFor(e.document));
});
documents.onDidClose((e) => {
  const uri = e.document.uri;
  justOpened.delete(uri);
  debouncer.cancel(uri);
  debouncer.cancel(`index:${uri}`);
  analyzer.forget(uri);
  const file = fsPathOf(uri);
  if (file) workspace.documentClosed(file);
  if (!client.pull) void connection.sendDiagnostics({ uri, diagnostics: [] });
});

connection.onDidChangeConfiguration((params) => {
  const pushed = params?.settings && typeof params.settings === 'object' ? (params.settings as Record<string, unknown>)[SETTINGS_SECTION] : undefined;
  settings.reset(client.configuration ? undefined : pushed);
  refreshAll(true);
});

connection.onDidChangeWatchedFiles((params) => {
  let config = false;
  for (const change of params?.changes ?? []) {
    const file = typeof change?.uri === 'string' ? fsPathOf(change.uri) : undefined;
    if (!file) continue;
    const name = path.basename(file);
    if (name === 'package.json' || name === '.failpath.json' || (LOCKFILES as readonly string[]).includes(name)) config = true;
    else if (isSourceFile(name) && !file.split(path.sep).includes('node_modules')) {
      // the project's own logger/flags module: fixes import it (ProjectFacts.local)
      if (isLocalModuleCandidate(file)) config = true;
      if (change.type === 3 /* Deleted */) workspace.fileDeleted(file);
      else workspace.fileChanged(file);
    }
  }
  changedFiles.clear();
  if (config) refreshAll(true);
  configFiles.filesChanged((params?.changes ?? []).map((c) => (typeof c?.uri === 'string' ? fsPathOf(c.uri) : undefined)).filter((p): p is string => !!p));
});

// ---- validation (pull) ------------------------------------------------------------------------

const cancelled = () => new ResponseError(LSPErrorCodes.RequestCancelled, 'The request was cancelled.');

function waitOrCancel(ms: number, token: CancellationToken): Promise<boolean> {
  return new Promise((resolve) => {
    if (token.isCancellationRequested) return resolve(false);
    const timer = setTimeout(() => { sub.dispose(); resolve(true); }, ms);
    const sub = token.onCancellationRequested(() => { clearTimeout(timer); sub.dispose(); resolve(false); });
  });
}

// No DiagnosticServerCancellationData here: vscode-languageclient (10.x) rethrows a cancellation
// that carries `retriggerRequest: false` without clearing the document's pull state, and from then
// on never pulls that document again (its diagnostics stay empty until it is closed). A plain
// RequestCancelled makes it reschedule the pull. Found by the VS Code integration suite
// (test/e2e): a freshly opened file is pulled twice (open + visible tab), the first pull is
// cancelled mid-analysis.
const pullCancelled = (): ResponseError<DiagnosticServerCancellationData> => new ResponseError(LSPErrorCodes.RequestCancelled, 'The request was cancelled.');

connection.languages.diagnostics.on(async (params, token): Promise<DocumentDiagnosticReport | ResponseError<DiagnosticServerCancellationData>> => {
  const doc = documents.get(params.textDocument?.uri);
  if (!doc || !supported(doc)) return { kind: DocumentDiagnosticReportKind.Full, items: [] };
  // while typing, wait for a pause (the client cancels this pull when the next change comes)
  if (!analyzer.current(doc) && analyzer.hasAnalysis(doc.uri) && !(await waitOrCancel(delayFor(doc), token))) return pullCancelled();
  const live = documents.get(doc.uri);
  if (!live) return { kind: DocumentDiagnosticReportKind.Full, items: [] };
  const analysis = await analyzer.analysisFor(live);
  if (token.isCancellationRequested) return pullCancelled();
  if (!analysis) return { kind: DocumentDiagnosticReportKind.Full, items: [] };
  const items = withImpact(analysis);
  const resultId = `${analysis.generation}:${analysis.version}:${workspace.epoch}`;
  if (params.previousResultId === resultId) return { kind: DocumentDiagnosticReportKind.Unchanged, resultId };
  return { kind: DocumentDiagnosticReportKind.Full, resultId, items };
});

// ---- code actions and commands ------------------------------------------------------------------

connection.onCodeAction(async (params, token) => {
  const doc = params?.textDocument?.uri ? documents.get(params.textDocument.uri) : undefined;
  if (!doc || !supported(doc)) return [];
  const r = params.range;
  if (!r || !r.start || !r.end || typeof r.start.line !== 'number' || typeof r.end.line !== 'number') {
    throw new ResponseError(ErrorCodes.InvalidParams, 'codeAction needs a range');
  }
  const analysis = await analyzer.analysisFor(doc);
  if (token.isCancellationRequested) return cancelled();
  if (!analysis || documents.get(doc.uri) !== doc) return [];
  const docCommand = client.clientCommands.includes(Commands.showDocumentation) ? Commands.showDocumentation : Commands.openDocumentation;
  try {
    return buildCodeActions(doc, analysis, params, {
      documentChanges: client.documentChanges,
      docCommand,
      sourceFile: () => analyzer.sourceFile(doc, analysis.fileName),
      roots,
      disabledSupport: client.disabledCodeActions,
      inputFor: (text) => {
        const file = fsPathOf(doc.uri);
        const session = file ? workspace.sessionFor(file) : undefined;
        return session && file ? session.analysisInput(file, text) : {};
      },
    });
  } catch (err) {
    connection.console.error(`Code actions for ${doc.uri} failed: ${stack(err)}`);
    return [];
  }
});

connection.onHover(async (params, token) => {
  const doc = params?.textDocument?.uri ? documents.get(params.textDocument.uri) : undefined;
  if (!doc || !supported(doc)) return null;
  const analysis = await analyzer.analysisFor(doc);
  if (token.isCancellationRequested) return cancelled();
  if (!analysis || documents.get(doc.uri) !== doc) return null;
  return buildHover(doc, analysis, params.position);
});

connection.onExecuteCommand(async (params) => {
  if (params.command !== Commands.openDocumentation) {
    throw new ResponseError(ErrorCodes.InvalidParams, `Unknown command ${params.command}`);
  }
  const args = params.arguments?.[0] as DocumentationArgs | undefined;
  if (!args || typeof args.url !== 'string' || !/^https:\/\//.test(args.url)) {
    throw new ResponseError(ErrorCodes.InvalidParams, 'Expected { ruleId, url }');
  }
  if (client.showDocument) await connection.window.showDocument({ uri: args.url, external: true });
  else void connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Info, message: `Failpath ${args.ruleId}: ${args.url}` });
  return null;
});

// ---- readiness --------------------------------------------------------------------------------

/** git runs (the changed-on-this-branch filter, the branch report) only in a trusted workspace. */
let workspaceTrusted = true;
connection.onNotification(Notifications.workspaceTrusted, () => {
  workspaceTrusted = true;
  changedFiles.clear();
  readinessChanged();
});

connection.onRequest(Requests.readiness, async (params: ReadinessParams | undefined): Promise<ReadinessResult> => {
  const base = typeof params?.base === 'string' && params.base.trim() ? params.base.trim() : undefined;
  return readinessResult(workspace, { onlyChanged: params?.onlyChanged === true, base, trusted: workspaceTrusted, changedFiles, cache: readinessCache });
});

connection.onRequest(Requests.branchReport, async (params: BranchReportParams | undefined): Promise<BranchReportResult | ResponseError> => {
  const wanted = typeof params?.root === 'string' ? path.resolve(params.root) : undefined;
  const index = wanted ? workspace.all().find((i) => i.root === wanted) : workspace.all()[0];
  if (!index) return new ResponseError(ErrorCodes.InvalidParams, wanted ? `${wanted} is not a workspace folder` : 'Open a folder to get a branch report.');
  if (!workspaceTrusted) return new ResponseError(LSPErrorCodes.RequestFailed, UNTRUSTED_GIT_MESSAGE);
  const base = typeof params?.base === 'string' && params.base.trim() ? params.base.trim() : undefined;
  try {
    return await branchReport(workspace, index, {
      base,
      headText: (file) => documents.get(fileUri(file))?.getText(),
    });
  } catch (err) {
    return new ResponseError(ErrorCodes.InternalError, (err as Error).message);
  }
});

// ---- code lenses and route navigation ------------------------------------------------------------

async function lensesEnabled(uri: string): Promise<boolean> {
  const raw = (await settings.get(uri)).raw as { codeLens?: { enabled?: unknown } } | undefined;
  return raw?.codeLens?.enabled !== false;
}

connection.onCodeLens(async (params, token) => {
  const doc = params?.textDocument?.uri ? documents.get(params.textDocument.uri) : undefined;
  if (!doc || !supported(doc) || !(await lensesEnabled(doc.uri))) return [];
  // the index entry of an open file comes from its analysis: make it current first
  await analyzer.analysisFor(doc);
  if (token.isCancellationRequested || documents.get(doc.uri) !== doc) return [];
  try {
    return codeLenses(doc, workspace);
  } catch (err) {
    connection.console.error(`Code lenses for ${doc.uri} failed: ${stack(err)}`);
    return [];
  }
});

connection.onCodeLensResolve((lens) => {
  try {
    return resolveLens(lens, workspace, readinessCache);
  } catch (err) {
    connection.console.error(`Resolving a code lens failed: ${stack(err)}`);
    return { ...lens, command: { title: 'Failpath: no data', command: '' } };
  }
});

connection.onRequest(Requests.routes, (): RouteListItem[] => routeList(workspace, readinessCache));

connection.onRequest(Requests.whoReaches, async (params: WhoReachesParams | undefined): Promise<WhoReachesResult | ResponseError> => {
  const uri = params?.uri;
  const pos = params?.position;
  if (typeof uri !== 'string' || !pos || typeof pos.line !== 'number' || typeof pos.character !== 'number') {
    return new ResponseError(ErrorCodes.InvalidParams, 'whoReaches needs { uri, position }');
  }
  const file = fsPathOf(uri);
  if (!file) return { routes: [] };
  const doc = documents.get(uri);
  if (doc) await analyzer.analysisFor(doc);
  const live = documents.get(uri);
  const offset = live ? live.offsetAt(pos) : undefined;
  if (offset === undefined) return { routes: [] };
  return whoReaches(workspace, file, offset);
});

connection.onShutdown(() => {
  debouncer.dispose();
  workspace.dispose();
});

process.on('unhandledRejection', (err) => connection.console.error(`Unhandled rejection: ${stack(err)}`));

documents.listen(connection);
connection.listen();
