import { runRuleTests } from '../harness/ruleTester';
import { staleFlag } from '../../server/src/rules/stale-flag';

const registry = `{
  "flags": {
    "checkout-v2": { "owner": "payments", "expires": "2026-01-31" },
    "new-search": { "owner": "search", "expires": "2027-06-30" },
    "legacy-export": { "removed": true },
    "beta-banner": { "owner": "growth" }
  }
}`;
const of = `import { OpenFeature } from '@openfeature/server-sdk';\nconst flags = OpenFeature.getClient();\n`;
const today = { rules: { 'stale-flag': { options: { today: '2026-11-23' } } } };
const deps = ['@openfeature/server-sdk'];
/** The project's own flag helpers, as the Session learns them (ctx.view.flagHelpers). */
const helperView = {
  flagHelpers: [
    { module: '/project/src/lib/flags.ts', exportName: 'featureEnabled', keys: ['checkout-v2'] },
    { module: '/project/src/lib/toggles/index.ts', exportName: 'toggles', method: 'check', keys: ['legacy-export'] },
    { module: 'process.env', exportName: 'process.env', keys: ['FEATURE_X'] },
  ],
};

runRuleTests(staleFlag, {
  valid: [
    { name: 'flag not yet expired', code: `${of}if (await flags.getBooleanValue('new-search', false)) search();`, configFile: registry, settings: today, deps },
    { name: 'flag with no expiry', code: `${of}if (await flags.getBooleanValue('beta-banner', false)) banner();`, configFile: registry, settings: today, deps },
    { name: 'flag not in the registry', code: `${of}if (await flags.getBooleanValue('other', false)) x();`, configFile: registry, settings: today, deps },
    { name: 'no registry at all', code: `${of}if (await flags.getBooleanValue('checkout-v2', false)) x();`, settings: today, deps },
    { name: 'a non-flag method with the same key string', code: `cache.get('checkout-v2');`, configFile: registry, settings: today },
    { name: 'dynamic key', code: `${of}await flags.getBooleanValue(key, false);`, configFile: registry, settings: today, deps },
    { name: 'expires today is still valid', code: `${of}await flags.getBooleanValue('checkout-v2', false);`, configFile: registry, settings: { rules: { 'stale-flag': { options: { today: '2026-01-31' } } } }, deps },
    { name: 'unleash isEnabled with a live flag', code: `import { isEnabled } from 'unleash-client';\nif (isEnabled('new-search')) a();`, configFile: registry, settings: today, deps: ['unleash-client'] },
    { name: 'suppressed', code: `${of}// failpath-disable-next-line stale-flag -- removal tracked in JIRA-12\nawait flags.getBooleanValue('checkout-v2', false);`, configFile: registry, settings: today, deps },
    { name: 'custom flag function not configured', code: `if (featureOn('checkout-v2')) a();`, configFile: registry, settings: today },
    { name: 'a string that is not the first argument', code: `${of}await flags.getStringValue(name, 'checkout-v2');`, configFile: registry, settings: today, deps },
    { name: 'project flag helper: unknown without the view', code: `import { featureEnabled } from '~/lib/flags';\nif (featureEnabled('checkout-v2')) a();`, configFile: registry, settings: today },
    { name: 'project flag helper: a same-named function from another module is not the helper', code: `import { featureEnabled } from './other';\nif (featureEnabled('checkout-v2')) a();`, filename: '/project/src/service.ts', configFile: registry, settings: today, view: helperView },
    { name: 'project flag helper: another method of the helper object is not a check', code: `import { toggles } from '@/lib/toggles';\ntoggles.list('legacy-export');`, configFile: registry, settings: today, view: helperView },
    { name: 'project flag helper: a live flag through the helper', code: `import { featureEnabled } from '~/lib/flags';\nif (featureEnabled('new-search')) a();`, configFile: registry, settings: today, view: helperView },
    { name: 'test files are skipped', code: `${of}await flags.getBooleanValue('checkout-v2', false);`, filename: 'src/checkout.test.ts', configFile: registry, settings: today, deps },
  ],
  invalid: [
    {
      name: 'expired flag: keep the enabled branch',
      code: `${of}export async function checkout() {\n  if (await flags.getBooleanValue('checkout-v2', false)) {\n    return newCheckout();\n  } else {\n    return oldCheckout();\n  }\n}\n`,
      configFile: registry, settings: today, deps,
      errors: [{ line: 4, column: 35, endColumn: 48, message: "Flag 'checkout-v2' expired on 2026-01-31 (owner: payments)" }],
      output: `${of}export async function checkout() {\n  return newCheckout();\n}\n`,
    },
    {
      name: 'expired flag: keep the disabled branch',
      code: `${of}export async function checkout() {\n  if (await flags.getBooleanValue('checkout-v2', false)) {\n    return newCheckout();\n  } else {\n    return oldCheckout();\n  }\n}\n`,
      configFile: registry, settings: today, deps,
      errors: [{ line: 4, column: 35 }],
      fixTitle: /keep the disabled branch/,
      output: `${of}export async function checkout() {\n  return oldCheckout();\n}\n`,
    },
    {
      name: 'negated check with several statements',
      code: `${of}async function run() {\n  if (!(await flags.getBooleanValue('checkout-v2', false))) {\n    legacy();\n  } else {\n    audit();\n    modern();\n  }\n}\n`,
      configFile: registry, settings: today, deps,
      errors: [{ line: 4, column: 37 }],
      output: `${of}async function run() {\n  audit();\n  modern();\n}\n`,
    },
    {
      name: 'no else: keeping the disabled branch removes the statement',
      code: `${of}async function run() {\n  if (await flags.getBooleanValue('checkout-v2', false)) {\n    track();\n  }\n  done();\n}\n`,
      configFile: registry, settings: today, deps,
      errors: [{ line: 4, column: 35 }],
      fixTitle: /keep the disabled branch/,
      output: `${of}async function run() {\n  done();\n}\n`,
    },
    {
      name: 'removed flag',
      code: `${of}const on = await flags.getBooleanValue('legacy-export', false);`,
      configFile: registry, settings: today, deps,
      errors: [{ line: 3, column: 40, message: "Flag 'legacy-export' was removed from the flag service" }],
      output: null,
    },
    {
      name: 'LaunchDarkly variation',
      code: `import * as ld from '@launchdarkly/node-server-sdk';\nconst client = ld.init(key);\nconst show = await client.variation('checkout-v2', ctx, false);`,
      configFile: registry, settings: today, deps: ['@launchdarkly/node-server-sdk'],
      errors: [{ line: 3, column: 37 }],
      output: null,
    },
    {
      name: 'Unleash isEnabled in a single-statement if',
      code: `import { isEnabled } from 'unleash-client';\nif (isEnabled('checkout-v2')) enableCheckout();\n`,
      configFile: registry, settings: today, deps: ['unleash-client'],
      errors: [{ line: 2, column: 15 }],
      output: `import { isEnabled } from 'unleash-client';\nenableCheckout();\n`,
    },
    {
      name: 'GrowthBook isOn',
      code: `if (gb.isOn('legacy-export')) exportCsv();`,
      configFile: registry, settings: today,
      errors: [{ line: 1, column: 13 }],
      fixTitle: /keep the disabled branch/,
      output: ``,
    },
    {
      name: 'custom flag function from settings',
      code: `import { featureOn } from './flags';\nif (featureOn('checkout-v2')) a(); else b();`,
      configFile: registry, settings: { ...today, flags: { provider: 'custom', name: 'featureOn', import: './flags' } },
      errors: [{ line: 2, column: 15 }],
      output: `import { featureOn } from './flags';\na();`,
    },
    {
      name: 'CommonJS, double quotes, tab indentation',
      code: `const { OpenFeature } = require("@openfeature/server-sdk");\nasync function f() {\n\tif (await OpenFeature.getClient().getBooleanValue("checkout-v2", false)) {\n\t\ta();\n\t}\n}\n`,
      filename: 'src/f.js',
      configFile: registry, settings: today, deps,
      errors: [{ line: 3, column: 52 }],
      output: `const { OpenFeature } = require("@openfeature/server-sdk");\nasync function f() {\n\ta();\n}\n`,
    },
    {
      name: 'project flag helper from the view (alias import): keep the enabled branch',
      code: `import { featureEnabled } from '~/lib/flags';\nif (featureEnabled('checkout-v2')) a(); else b();\n`,
      configFile: registry, settings: today, view: helperView,
      errors: [{ line: 2, column: 20, message: "Flag 'checkout-v2' expired on 2026-01-31 (owner: payments)" }],
      output: `import { featureEnabled } from '~/lib/flags';\na();\n`,
    },
    {
      name: 'project flag helper from the view: renamed import by relative path of an absolute file',
      code: `import { featureEnabled as on } from './lib/flags';\nexport async function f() {\n  if (!(await on('checkout-v2'))) {\n    legacy();\n  }\n}\n`,
      filename: '/project/src/service.ts',
      configFile: registry, settings: today, view: helperView,
      errors: [{ line: 3, column: 18 }],
      output: `import { featureEnabled as on } from './lib/flags';\nexport async function f() {\n}\n`,
    },
    {
      name: 'project flag helper object from the view (folder index): toggles.check(key)',
      code: `import { toggles } from '@/lib/toggles';\nconst on = toggles.check('legacy-export');\n`,
      configFile: registry, settings: today, view: helperView,
      errors: [{ line: 2, column: 26, message: "Flag 'legacy-export' was removed from the flag service" }],
      output: null,
    },
    {
      name: 'project flag helper through a namespace import',
      code: `import * as flags from '../lib/flags';\nif (flags.featureEnabled('checkout-v2')) a();\n`,
      filename: '/project/src/routes/orders.ts',
      configFile: registry, settings: today, view: helperView,
      errors: [{ line: 2, column: 26 }],
      output: `import * as flags from '../lib/flags';\na();\n`,
    },
    {
      name: 'two stale checks in one file',
      code: `${of}const a = await flags.getBooleanValue('checkout-v2', false);\nconst b = await flags.getBooleanValue('legacy-export', false);`,
      configFile: registry, settings: today, deps,
      errors: [{ line: 3, column: 39 }, { line: 4, column: 39 }],
    },
    {
      name: 'browser code is checked too',
      code: `'use client';\nexport function Banner() { return gb.isOn('legacy-export') ? null : null; }`,
      filename: 'app/banner.tsx',
      configFile: registry, settings: today,
      errors: [{ line: 2, column: 43 }],
      output: null,
    },
    {
      name: 'else-if chains are left alone (no fix)',
      code: `if (gb.isOn('checkout-v2')) a(); else if (x) b();`,
      configFile: registry, settings: today,
      errors: [{ line: 1, column: 13 }],
      output: null,
    },
  ],
});
