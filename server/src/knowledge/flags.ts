/**
 * Feature-flag SDKs: their modules, client factories, check methods (and which return
 * promises), and the guard a fix writes in the shape the SDK documents at the project's version.
 * Templates: `{client}` the client expression, `{key}` the quoted flag key, `{context}` the
 * evaluation context, `{q}` the file's quote.
 */
import type { LibraryRecord } from './types';

export const FLAG_SDKS: readonly LibraryRecord[] = [
  {
    id: 'openfeature',
    label: 'OpenFeature',
    modules: ['@openfeature/server-sdk', '@openfeature/web-sdk', '@openfeature/js-sdk'],
    roles: ['flags'],
    flags: {
      provider: 'openfeature',
      label: 'OpenFeature',
      clientFactories: ['getClient'],
      // the server SDK's evaluations return promises (the web SDK's are synchronous)
      methods: [
        { name: 'getBooleanValue', async: true, check: true },
        { name: 'getBooleanDetails', async: true, check: true },
        { name: 'getStringValue', async: true, check: true },
        { name: 'getNumberValue', async: true, check: true },
        { name: 'getObjectValue', async: true, check: true },
      ],
      guard: { condition: 'await {client}.getBooleanValue({key}, false)', async: true },
      moduleGuard: {
        import: { module: '@openfeature/server-sdk', binding: 'OpenFeature', kind: 'named' },
        condition: 'await OpenFeature.getClient().getBooleanValue({key}, false)',
        async: true,
      },
    },
  },
  {
    id: 'launchdarkly',
    label: 'LaunchDarkly',
    modules: ['@launchdarkly/node-server-sdk', 'launchdarkly-node-server-sdk'],
    roles: ['flags'],
    flags: {
      provider: 'launchdarkly',
      label: 'LaunchDarkly',
      clientFactories: ['init'],
      defaultClient: 'ldClient',
      methods: [
        { name: 'variation', async: true, check: true },
        { name: 'boolVariation', async: true, check: true },
        { name: 'variationDetail', async: true, check: true },
      ],
      guard: { condition: 'await {client}.variation({key}, {context}, false)', async: true },
      // a context from launchdarkly-node-server-sdk 7 and in every @launchdarkly/node-server-sdk; a user object before
      context: '{ kind: {q}user{q}, key: {q}anonymous{q} }',
      versions: [{ range: '<7', module: 'launchdarkly-node-server-sdk', context: '{ key: {q}anonymous{q} }' }],
    },
  },
  {
    id: 'unleash',
    label: 'Unleash',
    modules: ['unleash-client'],
    roles: ['flags'],
    flags: {
      provider: 'unleash',
      label: 'Unleash',
      clientFactories: ['initialize', 'startUnleash', 'Unleash'],
      methods: [{ name: 'isEnabled', async: false, check: true }],
      guard: { condition: '{client}.isEnabled({key})', async: false },
      moduleGuard: { import: { module: 'unleash-client', binding: 'isEnabled', kind: 'named' }, condition: 'isEnabled({key})', async: false },
    },
  },
  {
    id: 'growthbook',
    label: 'GrowthBook',
    modules: ['@growthbook/growthbook'],
    roles: ['flags'],
    flags: {
      provider: 'growthbook',
      label: 'GrowthBook',
      clientFactories: ['GrowthBook'],
      defaultClient: 'gb',
      methods: [
        { name: 'isOn', async: false, check: true },
        { name: 'isOff', async: false, check: true },
        { name: 'getFeatureValue', async: false, check: true },
      ],
      guard: { condition: '{client}.isOn({key})', async: false },
    },
  },
  {
    id: 'flagsmith',
    label: 'Flagsmith',
    modules: ['flagsmith-nodejs'],
    roles: ['flags'],
    flags: {
      provider: 'flagsmith',
      label: 'Flagsmith',
      clientFactories: ['Flagsmith'],
      defaultClient: 'flagsmith',
      methods: [
        { name: 'isFeatureEnabled', async: false, check: true },
        { name: 'getEnvironmentFlags', async: true, check: false },
        { name: 'getIdentityFlags', async: true, check: false },
        { name: 'hasFeature', async: true, check: true },
      ],
      // v2+: flags are fetched per environment (or identity) and read synchronously
      guard: { condition: '(await {client}.getEnvironmentFlags()).isFeatureEnabled({key})', async: true },
      moduleIsClient: false,
      // v1: the module itself is the client, a promise per flag
      versions: [{ range: '1', guard: { condition: 'await {client}.hasFeature({key})', async: true }, moduleIsClient: true }],
    },
  },
  {
    id: 'configcat',
    label: 'ConfigCat',
    modules: ['configcat-node'],
    roles: ['flags'],
    flags: {
      provider: 'configcat',
      label: 'ConfigCat',
      clientFactories: ['getClient', 'createClient', 'createClientWithAutoPoll', 'createClientWithLazyLoad', 'createClientWithManualPoll'],
      defaultClient: 'configCatClient',
      methods: [
        { name: 'getValueAsync', async: true, check: true },
        // the callback form
        { name: 'getValue', async: false, check: true },
      ],
      guard: { condition: 'await {client}.getValueAsync({key}, false)', async: true },
    },
  },
];

/** Names of a project's own flag helper functions (`isEnabled('key')`), most usual first. */
export const FLAG_HELPER_FUNCTIONS: readonly string[] = ['isEnabled', 'isFeatureEnabled', 'isFlagEnabled', 'featureEnabled', 'flagEnabled', 'isOn', 'hasFeature'];
/** Names of an exported flag client (`flags.isEnabled('key')`), most usual first. */
export const FLAG_CLIENT_NAMES: readonly string[] = ['flags', 'featureFlags', 'flagClient', 'flagsClient', 'ldClient', 'unleash', 'growthbook', 'gb', 'flagsmith', 'configcat', 'configCatClient', 'client', 'default'];
/** A receiver named like a flag client: `ld.variation('key')`, `featureFlags.isOn('key')`. */
export const FLAG_RECEIVER = /flag|feature|ld|launchdarkly|unleash|growthbook|gb|openfeature|toggle/i;
