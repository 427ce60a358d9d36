/**
 * Scanning many files: read, resolve each file's configuration (.failpath.json chain) and project
 * facts, analyse once (findings + summary in one walk). Used in-process for small inputs and by
 * scanWorker.ts on worker threads for large ones; results are plain data so they cross threads.
 * A second, cheap pass gives project-level rules (process-health) the project-wide signals.
 */
import * as path from 'node:path';
import { ProjectLoader, type ProjectFacts } from './project';
import { CONFIG_FILE, ConfigFileLoader, resolveConfig } from './configFile';
import type { EngineConfig } from './config';
import { RULE_IDS, ALL_RULES } from '../rules';
import type { IndexedFile } from './readiness/projectIndex';
import { fixAll } from './fixAll';
import { globMatcher } from './glob';
import { readSourceForFix, type SourceForFix } from './safeWrite';
import { MAX_SOURCE_BYTES, readWorkspaceFile, containmentRoots } from './readSource';
import { analyze, type AnalyzeInput } from './analyze';
import { emptySummary } from './summary';
import { entryFromResult, indexEntry } from './readiness/build';
import { Sessions, type SessionOptions, type SessionSnapshot } from '../workspace/session';

export interface ScanOptions {
  /** Only these rule ids (CLI --rule). */
  only?: string[];
  /** Editor-style settings layered over .failpath.json (the CLI passes none). */
  settings?: unknown;
  /** Where config lookup stops going up (defaults to the filesystem root). */
  stopAt?: string;
  /**
   * The folders being checked (CLI inputs, workspace folders): no file is read through a symbolic
   * link that leads outside them (readSource.ts). Absent: no containment (unit tests).
   */
  roots?: string[];
  /**
   * The project model of the folders scanned (workspace/session.ts), as plain data: every file
   * is analysed with its Session's view. The CLI builds them before scanning and hands them to
   * its workers; the server's scan worker builds them itself (`Scanner.useSessions`).
   */
  sessions?: SessionSnapshot[];
}

export interface ScannedFile extends IndexedFile {
  /** Set when the file could not be read (the file system's refusal, in words). */
  error?: string;
  /** Set when the file was not analysed: too large, binary, not parseable, outside the roots. */
  skipped?: string;
}

/** The entry of a file that was not analysed (fresh arrays: callers may add to them). */
export const emptyEntry = () => ({ summary: emptySummary(), findings: [], lineStarts: [0] });

/** Per-thread caches, so each package.json and .failpath.json is read once. */
export class Scanner {
  readonly projects: ProjectLoader;
  readonly configs: ConfigFileLoader;
  /** options.roots as containmentRoots gives them (real paths and the paths as given). */
  readonly roots?: readonly string[];
  /** The Sessions of the folders scanned (none: every file is judged alone, EMPTY_VIEW). */
  sessions: Sessions;

  constructor(private readonly options: ScanOptions = {}) {
    this.roots = options.roots ? containmentRoots(options.roots) : undefined;
    this.projects = new ProjectLoader(undefined, this.roots);
    this.configs = new ConfigFileLoader(RULE_IDS, this.roots);
    this.sessions = Sessions.fromSnapshots(options.sessions ?? [], this.sessionOptions());
  }

  /** How Sessions of this scan read the disk: within the roots, with this scanner's package.json facts. */
  sessionOptions(): SessionOptions {
    // the .failpath.json files this scanner's config comes from also give the views their declared knowledge
    return { roots: this.roots, projects: this.projects, configChain: (file) => this.configs.chainFor(file, this.options.stopAt) };
  }

  useSessions(sessions: Sessions): void {
    this.sessions = sessions;
  }

  /** The view (and the parse it needed) of `file` as `text`, from its Session; nothing without one. */
  viewInput(file: string, text: string): Pick<AnalyzeInput, 'view' | 'sourceFile'> {
    return this.sessions.forFile(file)?.analysisInput(file, text) ?? {};
  }

  configFor(file: string): EngineConfig {
    return resolveConfig(this.configs.chainFor(file, this.options.stopAt), this.options.settings, RULE_IDS).config;
  }

  /** .failpath.json `ignore` globs, relative to the folder of the file that declares them. */
  isIgnored(file: string, config: EngineConfig): boolean {
    return ignoringConfigFile(file, config) !== undefined;
  }

  /**
   * The index entry of a file on disk: undefined when .failpath.json ignores it; `error` when it
   * cannot be read; `skipped` with the reason when it is not analysed (above 8 MB — checked
   * before a byte is read —, binary, not parseable, a link out of the roots).
   */
  scanFile(file: string, signals?: ProjectFacts['signals'], onlyRules?: string[]): ScannedFile | undefined {
    const config = this.configFor(file);
    if (this.isIgnored(file, config)) return undefined;
    const read = readWorkspaceFile(file, { maxBytes: MAX_SOURCE_BYTES, roots: this.roots });
    if (!('text' in read)) return { file, ...emptyEntry(), ...read };
    const text = read.text;
    const project = { ...this.projects.forFile(file), signals };
    const only = onlyRules ?? this.options.only;
    const rules = only ? ALL_RULES.filter((r) => only.includes(r.id)) : undefined;
    const result = analyze({ text, fileName: file, project, config, rules, summary: true, ...this.viewInput(file, text) });
    const entry: ScannedFile = entryFromResult(file, text, result);
    if (result.skipped) entry.skipped = result.skipped;
    return entry;
  }

  /** Analyses `text` as the content of `file` (the branch report's merge-base versions); undefined when ignored. */
  analyzeText(file: string, text: string, signals?: ProjectFacts['signals']): IndexedFile | undefined {
    const config = this.configFor(file);
    if (this.isIgnored(file, config)) return undefined;
    return indexEntry({ text, fileName: file, project: { ...this.projects.forFile(file), signals }, config, ...this.viewInput(file, text) });
  }

  /**
   * `failpath fix`: the fix-all result for one file (text unchanged when nothing applies) with the
   * file as read (bytes and identity, for `replaceSource`), or the reason it is left alone (outside
   * `roots` after resolving symlinks, deleted or renamed since discovery, unreadable, too large).
   */
  fixFile(file: string, roots: readonly string[]): { source: SourceForFix; fixed: string; count: number } | { error: string } | undefined {
    const config = this.configFor(file);
    if (this.isIgnored(file, config)) return undefined;
    const source = readSourceForFix(file, roots);
    if ('error' in source) return source;
    const only = this.options.only;
    const r = fixAll({
      text: source.text, fileName: file, project: this.projects.forFile(file), config, only: only ? new Set(only) : undefined,
      // each pass's text gets its own view (browser spans are offsets into that text)
      inputFor: (text) => this.viewInput(file, text),
    });
    return { source, fixed: r.text, count: r.fixed };
  }
}

/**
 * The .failpath.json whose `ignore` globs match `file` (relative to that file's folder), if any.
 * The CLI, the scan worker and the editor all ask this, so a file is ignored the same everywhere.
 */
export function ignoringConfigFile(file: string, config: EngineConfig): string | undefined {
  for (const { base, patterns } of config.ignore ?? []) {
    const rel = path.relative(base, file);
    if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) continue;
    if (globMatcher(patterns)(rel.split(path.sep).join('/'))) return path.join(base, CONFIG_FILE);
  }
  return undefined;
}

/** Project-wide signals for process-health, from the summaries of a whole scan. */
export function projectSignals(files: readonly IndexedFile[]): NonNullable<ProjectFacts['signals']> {
  const events = new Set<string>();
  let health = 0;
  for (const f of files) {
    for (const e of f.summary.evidence) {
      if (e.kind === 'shutdown') events.add(e.detail);
      if (e.kind === 'health') health++;
    }
  }
  return { processEvents: [...events].sort(), healthRoutes: health };
}

/** Files whose process-health verdict depends on the project-wide view (they start a server). */
export function startsServer(f: IndexedFile): boolean {
  return f.findings.some((x) => x.ruleId === 'process-health') || f.summary.evidence.some((e) => e.kind === 'shutdown');
}

/**
 * The project-level pass over a whole scan: process-health re-checked with the project-wide
 * signals on the files that start a server (handlers and health routes can be registered
 * anywhere). Updates `entries` in place; returns the signals.
 */
export function applyProjectSignals(entries: ScannedFile[], scanner: Scanner): NonNullable<ProjectFacts['signals']> {
  const signals = projectSignals(entries);
  for (const entry of entries) {
    if (entry.error || entry.skipped || !startsServer(entry)) continue;
    const again = scanner.scanFile(entry.file, signals, ['process-health']);
    if (!again || again.error || again.skipped) continue;
    entry.findings = [...entry.findings.filter((f) => f.ruleId !== 'process-health'), ...again.findings]
      .sort((a, b) => a.start - b.start || a.ruleId.localeCompare(b.ruleId));
  }
  return signals;
}
