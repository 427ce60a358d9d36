/**
 * The last analysis of each open document, keyed by URI and stamped with the document version
 * and the settings generation it was made with. Diagnostics are published from it and code
 * actions are built from it (vscode-eslint keeps its fixes the same way), so a quick fix always
 * edits the text its diagnostic was computed on: a request for a newer version re-analyses first.
 *
 * Configuration of a file on disk: its .failpath.json chain (outermost first) with the editor
 * settings layered on top (engine/configFile.ts); files matched by an `ignore` glob get no
 * findings.
 */
import type * as ts from 'typescript';
import type { Diagnostic } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { analyze, parse, type AnalyzeResult } from '../engine/analyze';
import { EMPTY_PROJECT, type ProjectFacts, type ProjectLoader } from '../engine/project';
import type { EngineConfig } from '../engine/config';
import { resolveConfig, type ConfigFileLoader } from '../engine/configFile';
import { ignoringConfigFile } from '../engine/scan';
import type { Finding } from '../engine/types';
import type { EditorSettings, SettingsCache } from './settings';
import { fileNameFor, fsPathOf, toDiagnostic } from './convert';
import { MAX_MANIFEST_BYTES, readWorkspaceText, rootsOf } from '../engine/readSource';
import type { Session } from '../workspace/session';

export interface DocumentAnalysis {
  uri: string;
  version: number;
  /** Settings/project generation the analysis was made with. */
  generation: number;
  /** The version of the file's Session (project model) it was made with; undefined without one. */
  sessionVersion?: number;
  fileName: string;
  config: EngineConfig;
  project: ProjectFacts;
  findings: Finding[];
  diagnostics: Diagnostic[];
  skipped?: string;
}

export interface AnalyzerHost {
  settings: SettingsCache;
  projects: ProjectLoader;
  configFiles: ConfigFileLoader;
  knownRules: ReadonlySet<string>;
  /** Workspace folder paths (for documents that are not files, e.g. untitled). */
  roots(): string[];
  isOpen(uri: string): boolean;
  /** The project model (Session) of a file on disk, once the workspace scan has built it. */
  sessionFor?(file: string): Session | undefined;
  /** Called with each analysis of a file on disk (its summary included), for the workspace index. */
  indexed?(file: string, text: string, result: AnalyzeResult): void;
  log: { info(message: string): void; warn(message: string): void; error(message: string): void };
}

/** Analyses slower than this are logged once per document. */
const SLOW_MS = 1500;

export class DocumentAnalyzer {
  private readonly last = new Map<string, DocumentAnalysis>();
  private readonly parsed = new Map<string, { version: number; sf: ts.SourceFile }>();
  private readonly logged = new Set<string>();
  /** Bumped when settings or package.json change: every stored analysis becomes stale. */
  private generation = 0;

  constructor(private readonly host: AnalyzerHost) {}

  /** Settings or project facts changed. */
  invalidate(): void {
    this.generation++;
    this.host.settings.reset();
    this.host.projects.invalidate();
    this.host.configFiles.invalidate();
  }

  get currentGeneration(): number {
    return this.generation;
  }

  /** The stored analysis of `doc` when it is current (same version and generation). */
  current(doc: TextDocument): DocumentAnalysis | undefined {
    const hit = this.last.get(doc.uri);
    return hit && hit.version === doc.version && hit.generation === this.generation && hit.sessionVersion === this.sessionVersion(doc.uri) ? hit : undefined;
  }

  private sessionVersion(uri: string): number | undefined {
    const file = fsPathOf(uri);
    return file ? this.host.sessionFor?.(file)?.version : undefined;
  }

  /** Whether the document was analysed before (at any version): a newer version means typing. */
  hasAnalysis(uri: string): boolean {
    return this.last.has(uri);
  }

  /**
   * The analysis of the document as it is when this resolves. Between resolution and the
   * caller's next `await` the document cannot change, so ranges computed from `doc` match.
   */
  async analysisFor(doc: TextDocument, signal?: AbortSignal): Promise<DocumentAnalysis | undefined> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const generation = this.generation;
      const settings = await this.host.settings.get(doc.uri);
      if (signal?.aborted) return undefined;
      if (generation !== this.generation) continue; // settings changed while we waited
      return this.current(doc) ?? this.run(doc, settings);
    }
    return undefined;
  }

  /** The parsed text of `doc` at its current version (for refactors), cached per version. */
  sourceFile(doc: TextDocument, fileName: string): ts.SourceFile {
    const hit = this.parsed.get(doc.uri);
    if (hit && hit.version === doc.version) return hit.sf;
    const sf = parse(doc.getText(), fileName);
    this.parsed.set(doc.uri, { version: doc.version, sf });
    return sf;
  }

  forget(uri: string): void {
    this.last.delete(uri);
    this.parsed.delete(uri);
    this.host.settings.forget(uri);
  }

  projectFor(uri: string): ProjectFacts {
    const file = fsPathOf(uri);
    if (file) return this.host.projects.forFile(file);
    const root = this.host.roots()[0];
    return root ? this.host.projects.forDirectory(root) : EMPTY_PROJECT;
  }

  /** Editor settings over the file's .failpath.json chain; file problems logged once each. */
  configFor(uri: string, settings: EditorSettings): EngineConfig {
    const file = fsPathOf(uri);
    const chain = file ? this.host.configFiles.chainFor(file) : [];
    if (chain.length === 0) return settings.config;
    for (const c of chain) {
      for (const p of c.problems) {
        this.once(`cfg:${c.file}:${p.start}:${p.message}`, () => this.host.log.warn(`${c.file}:${lineColumn(c.file, p.start, rootsOf(this.host.configFiles.roots))}: ${p.message}`));
      }
    }
    return resolveConfig(chain, settings.raw, this.host.knownRules).config;
  }

  private run(doc: TextDocument, settings: EditorSettings): DocumentAnalysis {
    const fileName = fileNameFor(doc.uri, doc.languageId);
    const project = this.projectFor(doc.uri);
    const config = this.configFor(doc.uri, settings);
    const started = Date.now();
    const onDisk = fsPathOf(doc.uri);
    const ignoredBy = onDisk ? ignoringConfigFile(onDisk, config) : undefined;
    const text = doc.getText();
    // the project model: the editor's text is this file's truth for the graph; the view (role,
    // conventions) and the scan's project-wide signals are what the CLI and the scan see
    const session = onDisk && !ignoredBy ? this.host.sessionFor?.(onDisk) : undefined;
    if (session && onDisk) session.fileChanged(onDisk, text, 'editor');
    const viewInput = session && onDisk ? session.analysisInput(onDisk, text) : {};
    const sessionVersion = session?.version;
    const judged = session?.signals ? { ...project, signals: session.signals } : project;
    const result: AnalyzeResult = ignoredBy
      ? { findings: [], syntaxErrors: 0, ruleErrors: [], unusedSuppressions: [], skipped: `ignored by ${ignoredBy}` }
      : analyze({ text, fileName, project: judged, config, summary: !!(onDisk && this.host.indexed), ...viewInput });
    if (onDisk && !ignoredBy && this.host.isOpen(doc.uri)) this.host.indexed?.(onDisk, doc.getText(), result);
    const ms = Date.now() - started;
    if (result.skipped) this.once(`skip:${doc.uri}:${result.skipped}`, () => this.host.log.info(`Not analysing ${doc.uri}: ${result.skipped}.`));
    for (const e of result.ruleErrors) {
      const first = e.error.split('\n')[0];
      this.once(`rule:${e.ruleId}:${first}`, () => this.host.log.error(`Rule ${e.ruleId} failed on ${doc.uri} and was skipped for it: ${e.error}`));
    }
    if (ms > SLOW_MS) this.once(`slow:${doc.uri}`, () => this.host.log.info(`Analysing ${doc.uri} took ${ms} ms.`));
    const analysis: DocumentAnalysis = {
      uri: doc.uri,
      version: doc.version,
      generation: this.generation,
      ...(sessionVersion !== undefined ? { sessionVersion } : {}),
      fileName,
      config,
      project,
      findings: result.findings,
      diagnostics: result.findings.map((f) => toDiagnostic(doc, f)),
      skipped: result.skipped,
    };
    if (this.host.isOpen(doc.uri)) this.last.set(doc.uri, analysis);
    return analysis;
  }

  private once(key: string, log: () => void): void {
    if (this.logged.has(key)) return;
    this.logged.add(key);
    log();
  }
}

/** 1-based `line:column` of an offset in a file (for log messages that point at a spot). */
function lineColumn(file: string, offset: number, roots: readonly string[] | undefined): string {
  const text = readWorkspaceText(file, { maxBytes: MAX_MANIFEST_BYTES, roots })?.slice(0, offset);
  if (text === undefined) return '1:1';
  const lines = text.split('\n');
  return `${lines.length}:${lines[lines.length - 1].length + 1}`;
}
