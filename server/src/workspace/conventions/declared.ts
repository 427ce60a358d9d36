/**
 * What a project declares about itself in .failpath.json ("knowledge": its HTTP client, logger,
 * flag helper, limiter), applied over what the Session learned from its code. A declaration wins
 * over the learned convention for the same module, and comes first among the others:
 *
 *   loggers      → view.logger: the module, export and call shape of the declared style
 *   httpClients  → view.httpWrappers: calls and the option that is their deadline (missing-timeout)
 *   flagHelpers  → view.flagHelpers: a call with a string key is a flag check (stale-flag, readiness)
 *   limiters     → view.limiters: a route using one of its exports is rate limited
 *
 * Per project and per file: each file gets the declarations of the .failpath.json files above it
 * (outermost first; a nearer file's logger wins). Nothing here is process-wide, so two workspace
 * folders never see each other's declarations. Pure: plain data in, plain data out.
 */
import * as path from 'node:path';
import { LOGGER_SHAPES, type LibraryRecord } from '../../knowledge';
import type { ErrorArgument, FlagHelper, HttpWrapper, LimiterBinding, LoggerConvention } from '../../engine/view';
import type { Conventions } from './index';

/** The records of one .failpath.json and the folder its relative specifiers start from. */
export interface Declarations {
  dir: string;
  records: readonly LibraryRecord[];
}

/** What a declared specifier names: a project file, or a package (also an alias that leads nowhere). */
export type DeclaredTarget = { kind: 'file'; file: string } | { kind: 'package'; name: string };

/** Resolves a specifier as written in the .failpath.json of `dir`. */
export type ResolveDeclared = (specifier: string, dir: string) => DeclaredTarget;

/** How view entries name a module: the absolute file, or the package name. */
function moduleName(t: DeclaredTarget): string {
  return t.kind === 'file' ? t.file : t.name;
}

function sameModule(a: LoggerConvention['module'], b: DeclaredTarget): boolean {
  return a.kind === 'file' ? b.kind === 'file' && path.resolve(a.file) === path.resolve(b.file) : b.kind === 'package' && a.name === b.name;
}

function declaredLogger(r: LibraryRecord, target: DeclaredTarget, specifier: string, learned: LoggerConvention | undefined): LoggerConvention | undefined {
  const facet = r.logger;
  if (!facet) return undefined;
  const shape = LOGGER_SHAPES[facet.style];
  const objectFirst = shape.order === 'object-first';
  const error: ErrorArgument = objectFirst || shape.order === 'message-first' ? { kind: 'field', key: shape.errorKey ?? 'err' }
    : shape.order === 'message-stack' ? { kind: 'positional', stack: true } : { kind: 'positional' };
  const exportName = facet.instance ?? 'logger';
  // what importers of the same module do stays known (their alias, their local name, a factory)
  const same = learned && sameModule(learned.module, target) ? learned : undefined;
  const sameExport = same && same.exportName === exportName ? same : undefined;
  const written = specifier.startsWith('.') ? [] : [{ specifier, count: same?.specifiers.find((s) => s.specifier === specifier)?.count ?? 0 }];
  return {
    module: target.kind === 'file' ? { kind: 'file', file: target.file } : { kind: 'package', name: target.name },
    exportName,
    localName: sameExport?.localName ?? (exportName === 'default' ? 'logger' : exportName),
    ...(sameExport?.factory ? { factory: sameExport.factory } : {}),
    specifiers: [...written, ...(same?.specifiers ?? []).filter((s) => s.specifier !== specifier)],
    importers: same?.importers ?? 0,
    shape: objectFirst ? 'object-first' : 'message-first',
    error,
    errorKey: shape.errorKey ?? 'err',
    warnMethod: same?.warnMethod ?? 'warn',
    ...(shape.methods?.info ? { infoMethod: shape.methods.info } : {}),
    evidence: same?.evidence ?? { calls: 0, agreeing: 0, files: 0 },
    library: facet.style,
  };
}

function declaredHttp(r: LibraryRecord, target: DeclaredTarget, specifier: string): HttpWrapper | undefined {
  const style = r.http?.customStyle;
  if (!r.http || !style?.writeOption) return undefined;
  const factory = r.io?.factories[0];
  return {
    file: moduleName(target),
    exportName: factory ?? '*',
    setsDeadline: style.defaultMs !== undefined,
    declared: {
      specifier,
      ...(factory ? { factory } : {}),
      calls: r.http.calls.filter((c) => typeof c.options === 'number').map((c) => ({ path: [...c.path], options: c.options as number })),
      timeoutOption: style.writeOption,
      ...(style.defaultMs !== undefined ? { defaultTimeoutMs: style.defaultMs } : {}),
    },
  };
}

function declaredFlagHelper(r: LibraryRecord, target: DeclaredTarget, learned: readonly FlagHelper[]): FlagHelper | undefined {
  const flags = r.flags;
  if (!flags?.defaultClient) return undefined;
  const exportName = flags.defaultClient;
  // a "client" helper is called as `{client}.method(key)`; a "function" helper as `{client}(key)`
  const method = flags.guard?.condition.includes('{client}.') ? flags.methods[0]?.name : undefined;
  const module = moduleName(target);
  const same = learned.find((h) => h.module === module && h.exportName === exportName && h.method === method);
  return { module, exportName, ...(method ? { method } : {}), keys: same ? [...same.keys] : [] };
}

function declaredLimiters(r: LibraryRecord, target: DeclaredTarget): LimiterBinding[] {
  if (!r.limiter) return [];
  return (r.limiter.exports ?? ['*']).map((name) => ({ file: moduleName(target), name }));
}

/**
 * The conventions a file's view shows: `learned` with the declarations of its .failpath.json
 * chain (outermost first) applied. `learned` is not changed.
 */
export function applyDeclarations(learned: Conventions, chain: readonly Declarations[], resolve: ResolveDeclared): Conventions {
  let logger = learned.logger;
  let loggerDeclared = false;
  const http = new Map<string, HttpWrapper>();
  const flags = new Map<string, FlagHelper>();
  const limiters = new Map<string, LimiterBinding>();
  const flagKey = (f: FlagHelper) => `${f.module}\0${f.exportName}\0${f.method ?? ''}`;
  const limiterKey = (l: LimiterBinding) => `${l.file}\0${l.name}`;
  // the nearest file first, so its declaration of a module is the one kept
  for (const { dir, records } of [...chain].reverse()) {
    for (const r of records) {
      const specifier = r.modules[0];
      if (!specifier) continue;
      const target = resolve(specifier, dir);
      if (r.logger && !loggerDeclared) {
        const l = declaredLogger(r, target, specifier, learned.logger);
        if (l) { logger = l; loggerDeclared = true; }
      }
      const w = declaredHttp(r, target, specifier);
      if (w && !http.has(w.file)) http.set(w.file, w);
      const f = declaredFlagHelper(r, target, learned.flagHelpers);
      if (f && !flags.has(flagKey(f))) flags.set(flagKey(f), f);
      for (const l of declaredLimiters(r, target)) if (!limiters.has(limiterKey(l))) limiters.set(limiterKey(l), l);
    }
  }
  if (!loggerDeclared && !http.size && !flags.size && !limiters.size) return learned;
  const { logger: _learnedLogger, ...rest } = learned;
  return {
    ...rest,
    ...(logger ? { logger } : {}),
    // a declared module replaces what was learned of it
    httpWrappers: [...http.values(), ...learned.httpWrappers.filter((w) => !http.has(w.file))],
    flagHelpers: [...flags.values(), ...learned.flagHelpers.filter((h) => !flags.has(flagKey(h)))],
    limiters: [...limiters.values(), ...learned.limiters.filter((l) => !limiters.has(limiterKey(l)))],
  };
}
