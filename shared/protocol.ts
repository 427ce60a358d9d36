/**
 * What the client and the server agree on beyond LSP itself: command ids, the code action kind
 * of fix-all, the settings section and the initialization options. Imports nothing, so that the
 * client bundle never pulls in the engine.
 */

/** Settings section pulled with workspace/configuration and synchronised by the client. */
export const SETTINGS_SECTION = 'failpath';

/** `source.fixAll.failpath`: all preferred safe fixes of a document in one edit. */
export const FIX_ALL_KIND = 'source.fixAll.failpath';

/** Diagnostic `source`. */
export const DIAGNOSTIC_SOURCE = 'failpath';

/** Languages the server validates (the client's document selector uses the same ids). */
export const LANGUAGE_IDS: readonly string[] = ['typescript', 'typescriptreact', 'javascript', 'javascriptreact'];

export const Commands = {
  /** Client command: opens the bundled docs/rules/<id>.md, else the doc URL. Args: DocumentationArgs. */
  showDocumentation: 'failpath.showDocumentation',
  /** Server command for clients without `showDocumentation`: asks the client to open the doc URL. */
  openDocumentation: 'failpath.server.openDocumentation',
  restartServer: 'failpath.restartServer',
  /** Client command: copies a package install command to the clipboard. Args: InstallCommandArgs. */
  copyInstallCommand: 'failpath.copyInstallCommand',
  showOutput: 'failpath.showOutput',
} as const;

export interface DocumentationArgs {
  ruleId: string;
  url: string;
}

export interface InstallCommandArgs {
  /** The shell command, e.g. `npm install --save-dev nock`. */
  command: string;
  /** What it is for, shown with the confirmation. */
  reason: string;
}

/** `initializationOptions` the VS Code client sends; other clients may send nothing. */
export interface InitializationOptions {
  /** Client-side commands the server may put in code actions (e.g. Commands.showDocumentation). */
  clientCommands?: string[];
  /** Milliseconds to wait after a change before validating (default 200). */
  debounceMs?: number;
  /**
   * 'pull' (the default when the client supports textDocument/diagnostic) or 'push'
   * (publishDiagnostics, the default for every other client).
   */
  diagnosticMode?: 'push' | 'pull';
  /** Index the whole workspace in the background (readiness, route impact); default true. */
  workspaceScan?: boolean;
  /**
   * false in an untrusted workspace (VS Code's Restricted Mode): the server runs no git (the
   * "changed on this branch" filter and the branch report) until Notifications.workspaceTrusted.
   * Default true, for clients without Workspace Trust.
   */
  workspaceTrusted?: boolean;
}

/** Why the branch features are off in an untrusted workspace (the server's notice and error, the client's message). */
export const UNTRUSTED_GIT_MESSAGE = 'Failpath runs git only in trusted workspaces. Trust this folder to compare with the base branch.';

// ---- readiness (the sidebar and the branch report) -----------------------------------------------

/** Positions are LSP's: 0-based line and UTF-16 character. */
export interface WirePosition { line: number; character: number }
export interface WireRange { start: WirePosition; end: WirePosition }

export type ReadinessStatus = 'pass' | 'warn' | 'fail' | 'unknown';

/** A finding under a checklist item (click: reveal `range` in `uri`). */
export interface ReadinessFinding {
  /** Already formatted by the server ("missing-timeout: fetch() has no timeout…"); the client shows it as is. */
  label: string;
  message: string;
  severity: 'error' | 'warning' | 'info' | 'hint';
  uri: string;
  range: WireRange;
  /** "reached from POST /orders, GET /orders/:id" or ''. */
  reachedFrom: string;
}

/** Positive evidence under a checklist item (a flag check, the logger setup…). */
export interface ReadinessEvidence {
  label: string;
  uri: string;
  range: WireRange;
}

export interface ReadinessItem {
  /** Stable id of the question (monitor, disable, recover, scale, understand). */
  id: string;
  question: string;
  status: ReadinessStatus;
  /** One line: why this status. */
  why: string;
  findings: ReadinessFinding[];
  evidence: ReadinessEvidence[];
}

export interface ReadinessFeature {
  name: string;
  /** Workspace folder the feature belongs to (several folders can define features of the same name). */
  root: string;
  owner?: string;
  /** Where the feature comes from: config, folder, nest-module, next-route, route, shared. */
  source: string;
  score: number;
  files: number;
  routes: { label: string; uri: string; line: number }[];
  flags: string[];
  items: ReadinessItem[];
  /** Whether a file of the feature changed on this branch (only when the branch was asked for). */
  changed?: boolean;
}

export interface ReadinessParams {
  /** Only the features with files changed since the merge base with the base branch. */
  onlyChanged?: boolean;
  /** Base ref for onlyChanged (default: the default branch). */
  base?: string;
}

export interface ReadinessResult {
  /** `scanning` while the background workspace scan runs (features so far are included). */
  state: 'idle' | 'scanning' | 'ready';
  /** Files indexed / files found, while scanning. */
  scanned: number;
  total: number;
  features: ReadinessFeature[];
  /** Items answered `fail`, over all features (the view's badge). */
  failing: number;
  /** Set when onlyChanged could not be honoured (not a git repository, unknown base…); all features are shown. */
  notice?: string;
}

export interface BranchReportParams {
  /** Base ref; default: the `failpath.readiness.baseBranch` setting, else the default branch. */
  base?: string;
  /** Workspace folder to report on (default: the first). */
  root?: string;
}

export interface BranchReportResult {
  markdown: string;
  /** The JSON form (the same as `failpath report --format json`). */
  report: unknown;
}

export interface RouteListItem {
  /** "GET /orders/:id" */
  label: string;
  method: string;
  path: string;
  uri: string;
  /** 0-based line of the registration. */
  line: number;
  feature: string;
}

export interface WhoReachesParams {
  uri: string;
  position: WirePosition;
}

export interface WhoReachesResult {
  /** The function at the position (undefined when there is none). */
  function?: string;
  routes: { label: string; uri: string; line: number; chain: { name: string; uri: string; line: number }[] }[];
}

/** Data of an unresolved code lens (the server resolves it lazily). */
export interface LensData {
  uri: string;
  kind: 'route' | 'function';
  /** Index of the route or function in the file's summary. */
  index: number;
  /** The workspace index version the lens was computed with. */
  version: number;
}

export const Requests = {
  /** ReadinessParams → ReadinessResult */
  readiness: 'failpath/readiness',
  /** BranchReportParams → BranchReportResult (a ResponseError with a clear message when git fails or the workspace is untrusted). */
  branchReport: 'failpath/branchReport',
  /** no params → RouteListItem[] (every route of every workspace folder). */
  routes: 'failpath/routes',
  /** WhoReachesParams → WhoReachesResult */
  whoReaches: 'failpath/whoReaches',
} as const;

export const Notifications = {
  /** Server → client, no params: the readiness data changed (scan progress, edits, file changes). */
  readinessChanged: 'failpath/readinessChanged',
  /** Client → server, no params: the user trusted the workspace; git-backed requests are allowed from now on. */
  workspaceTrusted: 'failpath/workspaceTrusted',
} as const;

export const ReadinessCommands = {
  refresh: 'failpath.readiness.refresh',
  showChanged: 'failpath.readiness.showChanged',
  showAll: 'failpath.readiness.showAll',
  reveal: 'failpath.readiness.reveal',
  branchReport: 'failpath.branchReport',
  /** Opens the Failpath sidebar on the Readiness view (the view's own focus command is `failpath.readiness.focus`). */
  show: 'failpath.showReadiness',
  /** Client: shows the Readiness view with a feature expanded. Args: (featureName: string, root?: string). */
  revealFeature: 'failpath.readiness.revealFeature',
  findRouteHandler: 'failpath.findRouteHandler',
  whoReaches: 'failpath.whoReaches',
} as const;
