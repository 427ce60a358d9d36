/**
 * Feature-flag guard builder: the condition expression for each provider, in the shape its SDK
 * documents, plus the import it needs. With no SDK the kill switch is an environment variable,
 * which needs no dependency and can be flipped at deploy time.
 */
import * as path from 'node:path';
import type { RuleContext, TextEdit } from '../engine/types';
import { addImport, usesJsExtensions } from './edits';
import { quoteString } from '../engine/style';
import { dependencyView } from '../engine/dependencies';
import { relativeSpecifier, specifierResolvesTo, type LocalFlags } from '../engine/localModules';
import { KNOWLEDGE, atVersion, fill } from '../knowledge';

export interface FlagGuard {
  /** Boolean expression; `await`-prefixed when the SDK is async. */
  condition: string;
  needsAsync: boolean;
  setup: TextEdit[];
  /** For titles: "OpenFeature", "LaunchDarkly (ldClient)", "env FF_CHECKOUT". */
  describe: string;
}

export function flagKeyFrom(name: string | undefined): string {
  const base = (name ?? 'feature').replace(/^(handle|on|do)(?=[A-Z])/, '');
  const slug = base
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .toLowerCase();
  return slug || 'feature';
}

/** A client of the provider's SDK the file made (known when the settings list the SDK in externalModules). */
function fileClientName(ctx: RuleContext, provider: string): string | undefined {
  for (const inst of ctx.facts.instances.values()) {
    if (KNOWLEDGE.flagProviderOf(inst.module) === provider) return inst.name;
  }
  return undefined;
}

/** The file's absolute path (tests and the CLI may pass one relative to the project root). */
function absoluteFile(ctx: RuleContext): string {
  return path.isAbsolute(ctx.fileName) ? ctx.fileName : path.join(ctx.project.root ?? '/', ctx.fileName);
}

/**
 * The project's own flags module (see engine/localModules.ts), when this file is not that module
 * and its export can be bound here: the name the file already imports it under, else the
 * exported name (a default export gets `isEnabled`/`flags`) if that name is free.
 */
export function localFlags(ctx: RuleContext): { local: LocalFlags; name: string; specifier: string; setup: TextEdit[] } | undefined {
  const local = ctx.project.local?.flags;
  if (!local) return undefined;
  const file = absoluteFile(ctx);
  if (file.replace(/\.[cm]?[jt]sx?$/, '') === local.file.replace(/\.[cm]?[jt]sx?$/, '')) return undefined;
  for (const [name, b] of ctx.facts.bindings) {
    if (specifierResolvesTo(file, b.module, local.file) && (b.imported ?? 'default') === local.name) {
      return { local, name, specifier: b.module, setup: [] };
    }
  }
  const name = local.name === 'default' ? (local.kind === 'function' ? 'isEnabled' : 'flags') : local.name;
  if (ctx.facts.moduleNames.has(name) || ctx.facts.bindings.has(name)) return undefined;
  const specifier = relativeSpecifier(file, local.file, usesJsExtensions(ctx));
  const edit = addImport(ctx, local.name === 'default' ? { module: specifier, default: name } : { module: specifier, named: name });
  return { local, name, specifier, setup: edit ? [edit] : [] };
}

/** The condition a provider's client evaluates, in the shape its SDK (at the project's version) documents. */
function clientCondition(ctx: RuleContext, provider: string, name: string, q: string): { condition: string; needsAsync: boolean } | undefined {
  const sdk = KNOWLEDGE.flagProvider(provider);
  if (!sdk) return undefined;
  const f = atVersion(sdk.flags, sdk.record, dependencyView(ctx.project));
  // LaunchDarkly's evaluation context: a context from SDK 7 on, a user object before
  const context = f.context ? fill(f.context, { q: ctx.style.quote }) : '';
  return { condition: fill(f.guard.condition, { client: name, key: q, context }), needsAsync: f.guard.async };
}

export function buildFlagGuard(ctx: RuleContext, key: string): FlagGuard {
  const q = quoteString(ctx.style, key);
  const setting = ctx.config.flags;
  const importOf = (named: string, from: string | undefined): TextEdit[] => {
    if (!from) return [];
    const e = addImport(ctx, { module: from, named });
    return e ? [e] : [];
  };
  // the project's own flags helper wins over calling the SDK directly
  const own = setting ? undefined : localFlags(ctx);
  if (own) {
    if (own.local.kind === 'function') {
      return {
        condition: `${own.local.async ? 'await ' : ''}${own.name}(${q})`,
        needsAsync: own.local.async,
        setup: own.setup,
        describe: `${own.name}() from ${own.specifier}`,
      };
    }
    const c = clientCondition(ctx, own.local.provider, own.name, q);
    if (c) return { ...c, setup: own.setup, describe: `${own.name} from ${own.specifier}` };
  }
  const provider = setting?.provider ?? ctx.facts.flagSdk?.provider ?? ctx.project.flagSdk?.provider;
  const module = ctx.facts.flagSdk?.module ?? ctx.project.flagSdk?.module;
  const sdk = provider ? KNOWLEDGE.flagProvider(provider) : undefined;
  if (provider && sdk) {
    const f = sdk.flags;
    const name = setting?.name ?? fileClientName(ctx, provider) ?? f.defaultClient;
    // no client to call: the SDK's module-level API (OpenFeature's global client, Unleash's isEnabled)
    const mg = f.moduleGuard;
    if (!name && mg) {
      return { condition: fill(mg.condition, { key: q }), needsAsync: mg.async, setup: importOf(mg.import.binding, setting?.import ?? module ?? mg.import.module), describe: f.label };
    }
    if (name) return { ...clientCondition(ctx, provider, name, q)!, setup: importOf(name, setting?.import), describe: `${f.label} (${name})` };
  }
  if (provider === 'custom') {
    const name = setting?.name ?? 'isEnabled';
    return { condition: `await ${name}(${q})`, needsAsync: true, setup: importOf(name, setting?.import), describe: `${name}()` };
  }
  const env = `FF_${key.replace(/-/g, '_').toUpperCase()}`;
  return { condition: `process.env.${env} !== ${quoteString(ctx.style, 'off')}`, needsAsync: false, setup: [], describe: `env ${env}=off disables it; no flag SDK found` };
}
