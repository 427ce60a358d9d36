/**
 * Editor settings per resource, vscode-eslint style: pulled with workspace/configuration (scoped
 * to the document's URI), validated once, cached per URI and dropped on didChangeConfiguration.
 * Clients without workspace/configuration push their settings in didChangeConfiguration instead;
 * those apply to every document. A bad value is logged once and its default is used. The raw
 * values are kept too: they are layered over the project's .failpath.json files (analysis.ts).
 */
import { normalizeConfig, type EngineConfig } from '../engine/config';

export interface SettingsSource {
  /** Asks the client for the `failpath` section scoped to `uri` (undefined: the client cannot). */
  pull?: (uri: string) => Promise<unknown>;
  /** Where problems are reported (once each). */
  warn: (message: string) => void;
}

export interface EditorSettings {
  /** The `failpath` section as the client sent it. */
  raw: unknown;
  /** The same, validated (defaults where values were bad). */
  config: EngineConfig;
}

export class SettingsCache {
  private readonly byUri = new Map<string, Promise<EditorSettings>>();
  private pushed: unknown = undefined;
  private readonly reported = new Set<string>();

  constructor(
    private readonly source: SettingsSource,
    private readonly knownRules: ReadonlySet<string>,
  ) {}

  /** The editor settings for a document. Never rejects. */
  get(uri: string): Promise<EditorSettings> {
    let hit = this.byUri.get(uri);
    if (!hit) {
      hit = this.load(uri);
      this.byUri.set(uri, hit);
    }
    return hit;
  }

  /**
   * Settings changed: forget every cached value. `pushed` is the `settings` of
   * didChangeConfiguration, used only when the client cannot be asked.
   */
  reset(pushed?: unknown): void {
    this.byUri.clear();
    if (pushed !== undefined) this.pushed = pushed;
  }

  /** Drops a closed document's entry. */
  forget(uri: string): void {
    this.byUri.delete(uri);
  }

  private async load(uri: string): Promise<EditorSettings> {
    let raw: unknown;
    if (this.source.pull) {
      try {
        raw = await this.source.pull(uri);
      } catch (err) {
        this.report(`Could not read the failpath settings: ${(err as Error).message ?? String(err)}; using the defaults.`);
        raw = undefined;
      }
    } else {
      raw = this.pushed;
    }
    return { raw, config: this.normalize(raw) };
  }

  /** Normalises raw settings, reporting each problem once per server session. */
  normalize(raw: unknown): EngineConfig {
    const { config, problems } = normalizeConfig(raw, this.knownRules);
    for (const p of problems) this.report(`Setting ${p.path}: ${p.message}`);
    return config;
  }

  private report(message: string): void {
    if (this.reported.has(message)) return;
    this.reported.add(message);
    this.source.warn(message);
  }
}
