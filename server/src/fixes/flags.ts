/**
 * Feature-flag guard builder: the condition expression for each provider, in the shape its SDK
 * documents, plus the import it needs. With no SDK the kill switch is an environment variable,
 * which needs no dependency and can be flipped at deploy time.
 */
import * as path from 'node:path';
import type { RuleContext, TextEdit } from '../engine/types';
import { addImport, usesJsExtensions } from './edits';
import { quoteString } from '../engine/style';
import { dependencyMajor, hasDependency } from '../engine/project';
import { relativeSpecifier, specifierResolvesTo, type LocalFlags } from '../engine/localModules';

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

function ldClientName(ctx: RuleContext): string | undefined {
  for (const inst of ctx.facts.instances.values()) {
    if (inst.module.includes('launchdarkly')) return inst.name;
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
  switch (provider) {
    case 'openfeature':
      return { condition: `await ${name}.getBooleanValue(${q}, false)`, needsAsync: true };
    case 'launchdarkly':
      return { condition: `await ${name}.variation(${q}, ${ldContext(ctx)}, false)`, needsAsync: true };
    case 'unleash':
      return { condition: `${name}.isEnabled(${q})`, needsAsync: false };
    case 'growthbook':
      return { condition: `${name}.isOn(${q})`, needsAsync: false };
    case 'flagsmith':
      // v2+: flags are fetched per environment (or identity) and read synchronously; v1: a promise per flag
      return dependencyMajor(ctx.project, 'flagsmith-nodejs') === 1
        ? { condition: `await ${name}.hasFeature(${q})`, needsAsync: true }
        : { condition: `(await ${name}.getEnvironmentFlags()).isFeatureEnabled(${q})`, needsAsync: true };
    case 'configcat':
      return { condition: `await ${name}.getValueAsync(${q}, false)`, needsAsync: true };
    default:
      return undefined;
  }
}

/**
 * The evaluation context LaunchDarkly expects: a context (`{ kind, key }`) from
 * launchdarkly-node-server-sdk 7 and in every @launchdarkly/node-server-sdk; a user object before.
 */
function ldContext(ctx: RuleContext): string {
  const q = ctx.style.quote;
  const legacy = !hasDependency(ctx.project, '@launchdarkly/node-server-sdk') && (dependencyMajor(ctx.project, 'launchdarkly-node-server-sdk') ?? 7) < 7;
  return legacy ? `{ key: ${q}anonymous${q} }` : `{ kind: ${q}user${q}, key: ${q}anonymous${q} }`;
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
  switch (provider) {
    case 'openfeature': {
      const name = setting?.name;
      if (name) return { ...clientCondition(ctx, provider, name, q)!, setup: importOf(name, setting?.import), describe: `OpenFeature (${name})` };
      const from = setting?.import ?? module ?? '@openfeature/server-sdk';
      return { condition: `await OpenFeature.getClient().getBooleanValue(${q}, false)`, needsAsync: true, setup: importOf('OpenFeature', from), describe: 'OpenFeature' };
    }
    case 'launchdarkly': {
      const name = setting?.name ?? ldClientName(ctx) ?? 'ldClient';
      return { ...clientCondition(ctx, provider, name, q)!, setup: importOf(name, setting?.import), describe: `LaunchDarkly (${name})` };
    }
    case 'unleash': {
      if (setting?.name) return { condition: `${setting.name}.isEnabled(${q})`, needsAsync: false, setup: importOf(setting.name, setting.import), describe: `Unleash (${setting.name})` };
      return { condition: `isEnabled(${q})`, needsAsync: false, setup: importOf('isEnabled', module ?? 'unleash-client'), describe: 'Unleash' };
    }
    case 'growthbook': {
      const name = setting?.name ?? 'gb';
      return { ...clientCondition(ctx, provider, name, q)!, setup: importOf(name, setting?.import), describe: `GrowthBook (${name})` };
    }
    case 'flagsmith': {
      const name = setting?.name ?? 'flagsmith';
      return { ...clientCondition(ctx, provider, name, q)!, setup: importOf(name, setting?.import), describe: `Flagsmith (${name})` };
    }
    case 'configcat': {
      const name = setting?.name ?? 'configCatClient';
      return { ...clientCondition(ctx, provider, name, q)!, setup: importOf(name, setting?.import), describe: `ConfigCat (${name})` };
    }
    case 'custom': {
      const name = setting?.name ?? 'isEnabled';
      return { condition: `await ${name}(${q})`, needsAsync: true, setup: importOf(name, setting?.import), describe: `${name}()` };
    }
    default: {
      const env = `FF_${key.replace(/-/g, '_').toUpperCase()}`;
      return { condition: `process.env.${env} !== ${quoteString(ctx.style, 'off')}`, needsAsync: false, setup: [], describe: `env ${env}=off disables it; no flag SDK found` };
    }
  }
}
