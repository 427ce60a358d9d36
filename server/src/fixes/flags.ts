/**
 * Feature-flag guard builder: the condition expression for each provider, in the shape its SDK
 * documents, plus the import it needs. With no SDK the kill switch is an environment variable,
 * which needs no dependency and can be flipped at deploy time.
 */
import type { RuleContext, TextEdit } from '../engine/types';
import { addImport } from './edits';
import { quoteString } from '../engine/style';

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

export function buildFlagGuard(ctx: RuleContext, key: string): FlagGuard {
  const q = quoteString(ctx.style, key);
  const setting = ctx.config.flags;
  const provider = setting?.provider ?? ctx.facts.flagSdk?.provider ?? ctx.project.flagSdk?.provider;
  const module = ctx.facts.flagSdk?.module ?? ctx.project.flagSdk?.module;
  const importOf = (named: string, from: string | undefined): TextEdit[] => {
    if (!from) return [];
    const e = addImport(ctx, { module: from, named });
    return e ? [e] : [];
  };
  switch (provider) {
    case 'openfeature': {
      const name = setting?.name;
      if (name) return { condition: `await ${name}.getBooleanValue(${q}, false)`, needsAsync: true, setup: importOf(name, setting?.import), describe: `OpenFeature (${name})` };
      const from = setting?.import ?? module ?? '@openfeature/server-sdk';
      return { condition: `await OpenFeature.getClient().getBooleanValue(${q}, false)`, needsAsync: true, setup: importOf('OpenFeature', from), describe: 'OpenFeature' };
    }
    case 'launchdarkly': {
      const name = setting?.name ?? ldClientName(ctx) ?? 'ldClient';
      return {
        condition: `await ${name}.variation(${q}, { kind: 'user', key: 'anonymous' }, false)`.replace(/'/g, ctx.style.quote),
        needsAsync: true,
        setup: importOf(name, setting?.import),
        describe: `LaunchDarkly (${name})`,
      };
    }
    case 'unleash': {
      if (setting?.name) return { condition: `${setting.name}.isEnabled(${q})`, needsAsync: false, setup: importOf(setting.name, setting.import), describe: `Unleash (${setting.name})` };
      return { condition: `isEnabled(${q})`, needsAsync: false, setup: importOf('isEnabled', module ?? 'unleash-client'), describe: 'Unleash' };
    }
    case 'growthbook': {
      const name = setting?.name ?? 'gb';
      return { condition: `${name}.isOn(${q})`, needsAsync: false, setup: importOf(name, setting?.import), describe: `GrowthBook (${name})` };
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
