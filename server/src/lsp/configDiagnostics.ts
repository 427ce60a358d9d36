/**
 * Problems of `.failpath.json` files (bad JSON, wrong types, unknown rule ids, globs leaving the
 * folder) as diagnostics ON the config file, at the spot the parser located them
 * (engine/configFile.ts). The defaults are used for the bad values meanwhile, so nothing else breaks.
 *
 * Published for the file's URI whether or not it is open: the client's document selector is
 * TS/JS only, and the configuration that applies is the one on disk, so the diagnostics follow
 * the file on disk. They are (re)published whenever a config file is loaded — by the analysis of a
 * document under it, by the start-up check of each workspace folder, and when the file watcher
 * reports it changed, created or deleted — and only when its problems changed.
 */
import * as path from 'node:path';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CONFIG_FILE, ConfigFileLoader, type LoadedConfigFile } from '../engine/configFile';
import { DIAGNOSTIC_SOURCE } from '../../../shared/protocol';
import { fileUri } from './convert';
import { MAX_MANIFEST_BYTES, readWorkspaceText, rootsOf, type RootsSource } from '../engine/readSource';

export type PublishConfigDiagnostics = (uri: string, diagnostics: Diagnostic[]) => void;

/** The diagnostics of a loaded config file (positions computed on `text`, the file's content). */
export function configFileDiagnostics(loaded: Pick<LoadedConfigFile, 'problems'>, text: string): Diagnostic[] {
  const doc = TextDocument.create('file:///.failpath.json', 'jsonc', 0, text);
  return loaded.problems.map((p) => {
    const start = Math.max(0, Math.min(p.start, text.length));
    const end = Math.max(start, Math.min(p.end, text.length));
    return {
      range: { start: doc.positionAt(start), end: doc.positionAt(end) },
      severity: p.severity === 'error' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
      source: DIAGNOSTIC_SOURCE,
      message: p.message,
    };
  });
}

/** A ConfigFileLoader that publishes each loaded file's problems when they change. */
export class ConfigDiagnostics extends ConfigFileLoader {
  /** Config file path → the problems last published for it (JSON), only for files with problems. */
  private readonly published = new Map<string, string>();

  constructor(private readonly publish: PublishConfigDiagnostics, knownRules?: ReadonlySet<string>, roots?: RootsSource) {
    super(knownRules, roots);
  }

  override load(file: string): LoadedConfigFile | undefined {
    const loaded = super.load(file);
    this.report(file, loaded);
    return loaded;
  }

  /** The workspace folders' own config files, checked at start-up (nested ones load with their documents). */
  checkFolders(roots: readonly string[]): void {
    for (const root of roots) this.load(path.join(root, CONFIG_FILE));
  }

  /** Watched files changed: re-read the config files among them (a deleted one loses its diagnostics). */
  filesChanged(files: readonly string[]): void {
    for (const file of files) {
      if (path.basename(file) !== CONFIG_FILE) continue;
      this.invalidate(file);
      this.load(file);
    }
  }

  private report(file: string, loaded: LoadedConfigFile | undefined): void {
    const key = loaded && loaded.problems.length > 0 ? JSON.stringify(loaded.problems) : undefined;
    if (key === this.published.get(file)) return;
    if (key === undefined) this.published.delete(file);
    else this.published.set(file, key);
    // unreadable: the problem says so, at the start of the file
    const text = loaded && key !== undefined ? readWorkspaceText(file, { maxBytes: MAX_MANIFEST_BYTES, roots: rootsOf(this.roots) }) ?? '' : '';
    this.publish(fileUri(file), loaded && key !== undefined ? configFileDiagnostics(loaded, text) : []);
  }
}
