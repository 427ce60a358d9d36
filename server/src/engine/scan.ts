/**
 * Scanning many files: read, resolve each file's configuration (.failpath.json chain) and project
 * facts, analyse once (findings + summary in one walk). Used in-process for small inputs and by
 * scanWorker.ts on worker threads for large ones; results are plain data so they cross threads.
 * A second, cheap pass gives project-level rules (process-health) the project-wide signals.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ProjectLoader, type ProjectFacts } from './project';
import { CONFIG_FILE, ConfigFileLoader, resolveConfig } from './configFile';
import type { EngineConfig } from './config';
import { RULE_IDS, ALL_RULES } from '../rules';
import { indexEntry } from './readiness/build';
import type { IndexedFile } from './readiness/projectIndex';
import { fixAll } from './fixAll';
import { describeFsError } from './files';
import { globMatcher } from './glob';

export interface ScanOptions {
  /** Only these rule ids (CLI --rule). */
  only?: string[];
  /** Editor-style settings layered over .failpath.json (the CLI passes none). */
  settings?: unknown;
  /** Where config lookup stops going up (defaults to the filesystem root). */
  stopAt?: string;
}

export interface ScannedFile extends IndexedFile {
  /** Set when the file could not be read or analysed. */
  error?: string;
  skipped?: string;
}

/** Per-thread caches, so each package.json and .failpath.json is read once. */
export class Scanner {
  readonly projects = new ProjectLoader();
  readonly configs = new ConfigFileLoader(RULE_IDS);

  constructor(private readonly options: ScanOptions = {}) {}

  configFor(file: string): EngineConfig {
    return resolveConfig(this.configs.chainFor(file, this.options.stopAt), this.options.settings, RULE_IDS).config;
  }

  /** .failpath.json `ignore` globs, relative to the folder of the file that declares them. */
  isIgnored(file: string, config: EngineConfig): boolean {
    return ignoringConfigFile(file, config) !== undefined;
  }

  scanFile(file: string, signals?: ProjectFacts['signals'], onlyRules?: string[]): ScannedFile | undefined {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (err) {
      return { file, summary: { imports: [], functions: [], routes: [], evidence: [] }, findings: [], lineStarts: [0], error: describeFsError(err) };
    }
    const config = this.configFor(file);
    if (this.isIgnored(file, config)) return undefined;
    const project = { ...this.projects.forFile(file), signals };
    const only = onlyRules ?? this.options.only;
    const rules = only ? ALL_RULES.filter((r) => only.includes(r.id)) : undefined;
    return indexEntry({ text, fileName: file, project, config, rules });
  }

  /** Analyses `text` as the content of `file` (the branch report's merge-base versions); undefined when ignored. */
  analyzeText(file: string, text: string, signals?: ProjectFacts['signals']): IndexedFile | undefined {
    const config = this.configFor(file);
    if (this.isIgnored(file, config)) return undefined;
    return indexEntry({ text, fileName: file, project: { ...this.projects.forFile(file), signals }, config });
  }

  /**
   * `failpath fix`: the fix-all result for one file (text unchanged when nothing applies), or the
   * reason it could not be read (deleted or renamed since discovery, unreadable).
   */
  fixFile(file: string): { text: string; fixed: string; count: number } | { error: string } | undefined {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (err) {
      return { error: describeFsError(err) };
    }
    const config = this.configFor(file);
    if (this.isIgnored(file, config)) return undefined;
    const only = this.options.only;
    const r = fixAll({ text, fileName: file, project: this.projects.forFile(file), config, only: only ? new Set(only) : undefined });
    return { text, fixed: r.text, count: r.fixed };
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
    if (entry.error || !startsServer(entry)) continue;
    const again = scanner.scanFile(entry.file, signals, ['process-health']);
    if (!again || again.error) continue;
    entry.findings = [...entry.findings.filter((f) => f.ruleId !== 'process-health'), ...again.findings]
      .sort((a, b) => a.start - b.start || a.ruleId.localeCompare(b.ruleId));
  }
  return signals;
}
