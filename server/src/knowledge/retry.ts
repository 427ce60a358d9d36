/**
 * Retry, circuit-breaker and concurrency libraries: where their options go, which option caps
 * the attempts or sets the delay, and how a fix replaces a hand-written retry loop with them.
 * Loop templates: `{op}` the operation, `{retries}` the retries after the first attempt,
 * `{baseMs}` and `{maxMs}` the backoff bounds.
 */
import type { LibraryRecord } from './types';

export const RETRY_LIBRARIES: readonly LibraryRecord[] = [
  {
    id: 'p-retry',
    label: 'p-retry',
    modules: ['p-retry'],
    roles: ['retry'],
    retry: {
      entries: [{ path: [], options: 1 }, { path: ['default'], options: 1 }],
      attemptsOption: 'retries',
      foreverOption: 'forever',
      // the options used here (retries, minTimeout, maxTimeout, randomize) are the same in 4–7
      replaceLoop: {
        imports: [{ binding: 'pRetry', kind: 'default' }],
        statement: 'return await pRetry(() => {op}, { retries: {retries}, minTimeout: {baseMs}, maxTimeout: {maxMs}, randomize: true })',
      },
      esmOnly: true,
      versions: [{ range: '<=4', esmOnly: false }],
    },
  },
  {
    id: 'async-retry',
    label: 'async-retry',
    modules: ['async-retry'],
    roles: ['retry'],
    retry: { entries: [{ path: [], options: 1 }, { path: ['default'], options: 1 }], attemptsOption: 'retries', foreverOption: 'forever' },
  },
  {
    id: 'retry',
    label: 'retry',
    modules: ['retry'],
    roles: ['retry'],
    retry: {
      entries: [{ path: ['operation'], options: 0 }, { path: ['timeouts'], options: 0 }, { path: ['createTimeout'], options: 0 }],
      attemptsOption: 'retries',
      foreverOption: 'forever',
    },
  },
  {
    id: 'axios-retry',
    label: 'axios-retry',
    modules: ['axios-retry'],
    roles: ['retry'],
    retry: {
      entries: [{ path: [], options: 1 }, { path: ['default'], options: 1 }],
      attemptsOption: 'retries',
      // no delay by default: every retry hits the failing service within milliseconds; exponentialDelay adds jitter
      delay: { option: 'retryDelay', defaultMs: 0, exponential: 'exponentialDelay' },
    },
  },
  {
    id: 'cockatiel',
    label: 'cockatiel',
    modules: ['cockatiel'],
    roles: ['retry', 'breaker'],
    retry: {
      entries: [{ path: ['retry'], options: 1 }],
      attemptsOption: 'maxAttempts',
      backoff: { option: 'backoff', constant: 'ConstantBackoff', exponential: 'ExponentialBackoff' },
      replaceLoop: {
        imports: [{ binding: 'retry', kind: 'named' }, { binding: 'handleAll', kind: 'named' }, { binding: 'ExponentialBackoff', kind: 'named' }],
        statement: 'return await retry(handleAll, { maxAttempts: {retries}, backoff: new ExponentialBackoff({ initialDelay: {baseMs}, maxDelay: {maxMs} }) }).execute(() => {op})',
      },
      // cockatiel 1–2: the builder API; the functional one came with 3.0
      versions: [{
        range: '<3',
        replaceLoop: {
          imports: [{ binding: 'Policy', kind: 'named' }],
          statement: 'return await Policy.handleAll().retry().attempts({retries}).exponential({ initialDelay: {baseMs}, maxDelay: {maxMs} }).execute(() => {op})',
        },
      }],
    },
    breaker: { create: ['circuitBreaker'], resetOption: 'halfOpenAfter' },
  },
  {
    id: 'opossum',
    label: 'opossum',
    modules: ['opossum'],
    roles: ['breaker'],
    // new CircuitBreaker(action, { timeout, errorThresholdPercentage, resetTimeout })
    breaker: { create: ['default'], timeoutOption: 'timeout', defaultTimeoutMs: 10000, thresholdOption: 'errorThresholdPercentage', resetOption: 'resetTimeout' },
  },
  {
    id: 'p-limit',
    label: 'p-limit',
    modules: ['p-limit'],
    roles: ['concurrency'],
    concurrency: {
      import: { binding: 'pLimit', kind: 'default' },
      create: 'pLimit({n})',
      // p-limit 4+ is ESM only: `require('p-limit')` (or TypeScript compiled to CommonJS) cannot load it
      esmOnly: true,
      versions: [{ range: '<=3', esmOnly: false }],
    },
  },
];
