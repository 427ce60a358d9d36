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
  showOutput: 'failpath.showOutput',
} as const;

export interface DocumentationArgs {
  ruleId: string;
  url: string;
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
}
