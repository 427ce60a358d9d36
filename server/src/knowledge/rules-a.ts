/**
 * Small facts the rules of helper "rules-a" need that no library record holds (kept in one file
 * to merge easily; move into a category file when convenient).
 */

/** Where a fix takes an error id from: node's crypto module (`node:` form when the file uses it). */
export const ERROR_ID_SOURCE = { modules: ['crypto', 'node:crypto'], preferred: 'node:crypto', export: 'randomUUID' } as const;
