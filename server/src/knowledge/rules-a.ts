/**
 * Small facts the rules of helper "rules-a" need that no library record holds (kept in one file
 * to merge easily; move into a category file when convenient).
 */
import type { Role } from './types';

/** Where a fix takes an error id from: node's crypto module (`node:` form when the file uses it). */
export const ERROR_ID_SOURCE = { modules: ['crypto', 'node:crypto'], preferred: 'node:crypto', export: 'randomUUID' } as const;

/**
 * Error codes of a unique-constraint violation, by driver: Prisma P2002, PostgreSQL 23505,
 * MySQL ER_DUP_ENTRY / 1062, MongoDB E11000, SQLite SQLITE_CONSTRAINT_UNIQUE. A retry filtered on
 * one retries a collision (a new random key each attempt), not a failing dependency.
 */
export const UNIQUE_VIOLATION_CODES: readonly string[] = ['P2002', '23505', 'ER_DUP_ENTRY', '1062', '11000', 'E11000', 'SQLITE_CONSTRAINT_UNIQUE'];

/**
 * Retry-library options that show a deliberate, observed "retry forever": a backoff
 * (p-retry/async-retry/retry: minTimeout, maxTimeout, factor, randomize) and a callback that
 * sees every failure (onFailedAttempt, onRetry).
 */
export const RETRY_BACKOFF_OPTIONS: readonly string[] = ['minTimeout', 'maxTimeout', 'factor', 'randomize'];
export const RETRY_FAILURE_CALLBACKS: readonly string[] = ['onFailedAttempt', 'onRetry'];

/** Roles whose names are also package names (a rule naming them would read as a package literal). */
export const ROLE = { graphql: 'graphql', retry: 'retry' } as const satisfies Record<string, Role>;
