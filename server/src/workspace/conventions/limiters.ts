/**
 * Limiter bindings: module-level bindings that hold a rate-limiter middleware of a library the
 * knowledge table knows (`const limiter = rateLimit({...})`), and bindings that hold one inside an
 * array, object or call (`export const publicMiddleware = [limiter]`,
 * `module.exports = { guards: [apiLimiter] }`, `compose([auth, limiter])`), followed to the files
 * that import them (up to MAX_DEPTH levels) and through barrels. A route that spreads
 * `...publicMiddleware` or passes `limiter` imported from another file is then known to be limited.
 *
 * Bounded: files that import a limiter package (by the graph), then at most MAX_IMPORTERS_READ
 * importers of each file holding a limiter, per level.
 */
import ts = require('typescript');
import type { LimiterBinding } from '../../engine/view';
import { KNOWLEDGE } from '../../knowledge';
import { MAX_IMPORTERS_READ, ProjectReader, exportsOf, importedNames, localDeclarations, throughBarrels, walk, type ExportTarget } from './reader';

const MAX_DEPTH = 3;

/** Does `value` hold a limiter: a call of a limiter import, or a reference to a known limiter name? */
function holdsLimiter(value: ExportTarget, limiterImports: ReadonlySet<string>, known: ReadonlySet<string>): boolean {
  if (ts.isClassDeclaration(value) || ts.isVariableDeclaration(value)) return false;
  if (ts.isFunctionDeclaration(value) || ts.isFunctionExpression(value) || ts.isArrowFunction(value)) return callsLimiter(value, limiterImports, known);
  let found = false;
  walk(value, (n) => {
    if (found) return false;
    // a function body is not a held middleware (a handler that mentions the limiter is not one)
    if (n !== value && (ts.isFunctionExpression(n) || ts.isArrowFunction(n))) return false;
    if (ts.isIdentifier(n) && (known.has(n.text) || limiterImports.has(n.text))) {
      const p = n.parent;
      // the callee of `rateLimit(...)` or a reference (`[limiter]`, `...limiter`), not a property name
      if (p && ts.isPropertyAccessExpression(p) && p.name === n) return true;
      if (p && ts.isPropertyAssignment(p) && p.name === n) return true;
      found = true;
      return false;
    }
    return true;
  });
  return found;
}

/** A middleware function that calls a limiter (`(req, res, next) => store.consume(req.ip).then(next)`). */
function callsLimiter(fn: ts.Node, limiterImports: ReadonlySet<string>, known: ReadonlySet<string>): boolean {
  let found = false;
  walk(fn, (n) => {
    if (found) return false;
    if (ts.isCallExpression(n)) {
      let callee: ts.Expression = n.expression;
      for (let i = 0; i < 4 && ts.isPropertyAccessExpression(callee); i++) callee = callee.expression;
      if (ts.isIdentifier(callee) && (known.has(callee.text) || limiterImports.has(callee.text))) found = true;
    }
    return !found;
  });
  return found;
}

/** The limiter bindings of one file, given names it imports that are limiters (library imports or project limiters). */
function fileLimiters(sf: ts.SourceFile, limiterImports: ReadonlySet<string>): { locals: Set<string>; exports: Set<string> } {
  const locals = new Set<string>();
  const decls = localDeclarations(sf);
  // containers of containers: iterate until nothing new (bounded by the number of declarations)
  for (let changed = true, round = 0; changed && round <= decls.size; round++) {
    changed = false;
    for (const [name, value] of decls) {
      if (locals.has(name) || limiterImports.has(name)) continue;
      if (holdsLimiter(value, limiterImports, locals)) { locals.add(name); changed = true; }
    }
  }
  const exports = new Set<string>();
  for (const [name, value] of exportsOf(sf)) {
    const local = [...decls].find(([, v]) => v === value)?.[0];
    if ((local && locals.has(local)) || holdsLimiter(value, limiterImports, locals)) exports.add(name);
  }
  return { locals, exports };
}

export function learnLimiters(reader: ProjectReader): LimiterBinding[] {
  const limiterModules = new Set(KNOWLEDGE.limiterModules());
  const out = new Map<string, LimiterBinding>();
  const add = (file: string, name: string) => out.set(`${file}\0${name}`, { file, name });
  /** file → its exported limiter names */
  let frontier = new Map<string, Set<string>>();

  for (const file of reader.files) {
    if (!reader.packagesOf(file).some((p) => limiterModules.has(p))) continue;
    const sf = reader.parse(file);
    if (!sf) continue;
    const imports = new Set<string>();
    for (const [local, { specifier }] of importedNames(sf)) {
      const pkg = reader.packageOf(file, specifier);
      if (pkg && limiterModules.has(pkg)) imports.add(local);
    }
    if (!imports.size) continue;
    const { locals, exports } = fileLimiters(sf, imports);
    for (const n of locals) add(file, n);
    for (const n of exports) add(file, n);
    if (exports.size) frontier.set(file, exports);
  }

  // what barrels re-export is held by them too (`export * from './chain'`)
  const withBarrels = (level: Map<string, Set<string>>): Map<string, Set<string>> => {
    for (const e of throughBarrels(reader, [...level].flatMap(([file, names]) => [...names].map((name) => ({ file, name }))))) {
      add(e.file, e.name);
      const set = level.get(e.file) ?? new Set<string>();
      set.add(e.name);
      level.set(e.file, set);
    }
    return level;
  };
  frontier = withBarrels(frontier);

  // bindings in importers that hold an imported limiter: `export const api = [...publicMiddleware, auth]`
  const done = new Set(frontier.keys());
  for (let depth = 0; depth < MAX_DEPTH && frontier.size; depth++) {
    const next = new Map<string, Set<string>>();
    for (const [file, names] of frontier) {
      for (const importer of reader.importersOf(file, MAX_IMPORTERS_READ)) {
        const sf = reader.parse(importer);
        if (!sf) continue;
        const imports = new Set<string>();
        for (const [local, { specifier, imported }] of importedNames(sf)) {
          if (reader.fileOf(importer, specifier) === file && names.has(imported)) imports.add(local);
        }
        if (!imports.size) continue;
        const { locals, exports } = fileLimiters(sf, imports);
        for (const n of locals) add(importer, n);
        for (const n of exports) add(importer, n);
        if (exports.size && !done.has(importer)) {
          done.add(importer);
          next.set(importer, exports);
        }
      }
    }
    frontier = withBarrels(next);
  }
  return [...out.values()].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
