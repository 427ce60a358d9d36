/**
 * Validation and schema libraries: how messages name them, which validate as route middleware,
 * and whose schemas have a `.catch(fallback)` method of their own.
 */
import type { LibraryRecord } from './types';

export const VALIDATORS: readonly LibraryRecord[] = [
  { id: 'zod', label: 'zod', modules: ['zod'], roles: ['validator', 'schema'], validator: { label: 'zod', schemaCatch: true } },
  { id: 'joi', label: 'joi', modules: ['joi', '@hapi/joi'], roles: ['validator', 'schema'], validator: { label: 'joi', schemaCatch: true }, note: '@hapi/joi is joi\'s former name.' },
  { id: 'yup', label: 'yup', modules: ['yup'], roles: ['validator', 'schema'], validator: { label: 'yup', schemaCatch: true } },
  { id: 'valibot', label: 'valibot', modules: ['valibot'], roles: ['validator', 'schema'], validator: { label: 'valibot', schemaCatch: true } },
  { id: 'class-validator', label: 'class-validator', modules: ['class-validator'], roles: ['validator'], validator: { label: 'class-validator DTOs' } },
  { id: 'ajv', label: 'ajv', modules: ['ajv'], roles: ['validator'], validator: { label: 'ajv' } },
  { id: 'express-validator', label: 'express-validator', modules: ['express-validator'], roles: ['validator'], validator: { label: 'express-validator', middleware: true } },
  { id: 'celebrate', label: 'celebrate', modules: ['celebrate'], roles: ['validator'], validator: { label: 'celebrate', middleware: true } },
  { id: 'typebox', label: 'TypeBox', modules: ['@sinclair/typebox'], roles: ['validator', 'schema'], validator: { label: 'TypeBox' } },
  { id: 'superstruct', label: 'superstruct', modules: ['superstruct'], roles: ['validator', 'schema'], validator: { label: 'superstruct', schemaCatch: true } },
  { id: 'io-ts', label: 'io-ts', modules: ['io-ts'], roles: ['validator', 'schema'], validator: { label: 'io-ts', schemaCatch: true } },
  { id: 'runtypes', label: 'runtypes', modules: ['runtypes'], roles: ['validator', 'schema'], validator: { label: 'runtypes' } },
  { id: 'arktype', label: 'arktype', modules: ['arktype'], roles: ['validator', 'schema'], validator: { label: 'arktype' } },
  { id: 'typia', label: 'typia', modules: ['typia'], roles: ['validator'], validator: { label: 'typia' } },
  { id: 'vinejs', label: 'VineJS', modules: ['@vinejs/vine'], roles: ['validator', 'schema'], validator: { label: 'VineJS' } },
  { id: 'fastest-validator', label: 'fastest-validator', modules: ['fastest-validator'], roles: ['validator'], validator: { label: 'fastest-validator' } },
  {
    id: 'effect-schema',
    label: 'Effect Schema',
    modules: ['effect', '@effect/schema'],
    roles: ['schema'],
    validator: { label: 'Effect Schema', schemaCatch: true },
    note: 'Schema moved into `effect` itself (3.10); @effect/schema is the former package.',
  },
  {
    id: 'hono-validators',
    label: 'Hono validator',
    modules: ['@hono/*'],
    roles: ['validator', 'framework-plugin'],
    validator: { label: 'Hono validator', middleware: true },
    note: 'The @hono/ middleware family (zod-validator, typebox-validator, …); @hono/zod-openapi is matched first as a framework package.',
  },
];

/** Method names that validate or parse input (`schema.parse(x)`, `validate(dto)`, `matchedData(req)`). */
export const VALIDATE_METHODS = /^(parse|safeParse|parseAsync|safeParseAsync|spa|validate|validateSync|validateAsync|validateOrReject|isValid|isValidSync|assert|assertEquals|is|decode|plainToInstance|plainToClass|matchedData|validationResult|checkSchema|valid|cast|check|getValidatedData|validateBody|validateQuery|validateRequest)$/;
