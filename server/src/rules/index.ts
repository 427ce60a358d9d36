/**
 * The rule registry: an explicit list, so that bundling keeps every rule and the catalog test
 * can check each one has a doc page and tests. Add new rules here.
 */
import type { AnyRule } from '../engine/types';
import { missingTimeout } from './missing-timeout';
import { noFallback } from './no-fallback';
import { processHealth } from './process-health';
import { missingCorrelationId } from './missing-correlation-id';
import { unstructuredLog } from './unstructured-log';
import { swallowedError } from './swallowed-error';
import { unboundedRetry } from './unbounded-retry';
import { missingRateLimit } from './missing-rate-limit';
import { missingIdempotency } from './missing-idempotency';
import { leakedErrorDetails } from './leaked-error-details';
import { sequentialAwaits } from './sequential-awaits';
import { awaitInLoop } from './await-in-loop';
import { cacheWithoutTtl } from './cache-without-ttl';
import { floatingPromise } from './floating-promise';
import { unmonitoredJob } from './unmonitored-job';
import { unvalidatedInput } from './unvalidated-input';
import { missingClientTimeout } from './missing-client-timeout';
import { staleFlag } from './stale-flag';

export const ALL_RULES: readonly AnyRule[] = [
  missingTimeout,
  noFallback,
  processHealth,
  missingCorrelationId,
  unstructuredLog,
  swallowedError,
  unboundedRetry,
  missingRateLimit,
  missingIdempotency,
  leakedErrorDetails,
  sequentialAwaits,
  awaitInLoop,
  cacheWithoutTtl,
  floatingPromise,
  unmonitoredJob,
  unvalidatedInput,
  missingClientTimeout,
  staleFlag,
];

export const RULES_BY_ID: ReadonlyMap<string, AnyRule> = new Map(ALL_RULES.map((r) => [r.id, r]));
export const RULE_IDS: ReadonlySet<string> = new Set(RULES_BY_ID.keys());
