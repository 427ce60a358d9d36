/**
 * Which bindings of a file hold something the Session learned about the project (ctx.view):
 * a limiter held in a variable or array, the project's own flag helper. The view names modules by
 * absolute path (project files) or package name; a file names them by specifier. Without the
 * resolver's answer for this file, a specifier is matched to a module by package name, by exact
 * path for a relative specifier of an absolute file, or else by its last path segment (an alias
 * such as `~/lib/flags` or `@/middleware/limits` names `…/lib/flags.ts` / `…/middleware/limits.ts`).
 */
import * as path from 'node:path';
import ts = require('typescript');
import type { FileFacts } from '../facts';
import type { FlagHelper, LimiterBinding } from '../view';

const EXTENSION = /\.(?:[cm]?[jt]sx?|d\.[cm]?ts)$/;

function stem(file: string): string {
  const posix = file.replace(/\\/g, '/').replace(EXTENSION, '');
  return posix.endsWith('/index') ? posix.slice(0, -'/index'.length) : posix;
}

/** Could `specifier`, written in `fromFile`, import `module` (a package name or an absolute file)? */
export function specifierMayName(specifier: string, fromFile: string, module: string): boolean {
  const isFile = path.isAbsolute(module);
  if (!isFile) return specifier === module || specifier.startsWith(`${module}/`);
  const target = stem(module);
  if (specifier.startsWith('.') && path.isAbsolute(fromFile)) {
    // exact: `./flags` names flags.ts or flags/index.ts; `./flags/index` names only the latter
    const resolved = path.resolve(path.dirname(fromFile), specifier).replace(/\\/g, '/').replace(EXTENSION, '');
    const file = module.replace(/\\/g, '/').replace(EXTENSION, '');
    return resolved === file || (file.endsWith('/index') && resolved === target);
  }
  const last = stem(specifier).split('/').pop();
  return !!last && last === target.split('/').pop();
}

function sameFile(a: string, b: string): boolean {
  return path.resolve(a) === path.resolve(b) || (!path.isAbsolute(a) && path.resolve(b).endsWith(`/${a.replace(/\\/g, '/')}`));
}

/**
 * Local names of this file that hold a limiter the Session found: the file's own limiter bindings,
 * and imports of a limiter another file exports (named imports, by their exported name).
 */
export function limiterNames(limiters: readonly LimiterBinding[], facts: FileFacts, fileName: string): Set<string> {
  const names = new Set<string>();
  if (!limiters.length) return names;
  for (const l of limiters) if (l.name !== '*' && sameFile(fileName, l.file)) names.add(l.name);
  for (const b of facts.bindings.values()) {
    // a module declared in .failpath.json without `exports`: every name imported from it is a limiter
    if (b.imported !== '*' && limiters.some((l) => l.name === '*' && !sameFile(fileName, l.file) && specifierMayName(b.module, fileName, l.file))) { names.add(b.local); continue; }
    if (b.imported === '*' || b.imported === 'default') {
      if (b.imported === 'default' && limiters.some((l) => l.name === 'default' && specifierMayName(b.module, fileName, l.file))) names.add(b.local);
      continue;
    }
    if (limiters.some((l) => l.name === b.imported && !sameFile(fileName, l.file) && specifierMayName(b.module, fileName, l.file))) names.add(b.local);
  }
  return names;
}

/**
 * Does calling `callee` (an identifier, or `object.method`) check a flag through one of the
 * project's helpers? `object`/`method` are given for member calls.
 */
export function flagHelperOf(helpers: readonly FlagHelper[], facts: FileFacts, fileName: string, callee: { name: string } | { object: string; method: string }): FlagHelper | undefined {
  if (!helpers.length) return undefined;
  const local = 'name' in callee ? callee.name : callee.object;
  const binding = facts.bindings.get(local);
  for (const h of helpers) {
    if (h.module === 'process.env') continue;
    const here = path.isAbsolute(h.module) && sameFile(fileName, h.module);
    if ('name' in callee) {
      if (h.method) continue;
      if (here ? callee.name === h.exportName && !binding : binding && binding.imported === h.exportName && specifierMayName(binding.module, fileName, h.module)) return h;
      continue;
    }
    if (here) { if (!binding && h.method === callee.method && callee.object === h.exportName) return h; continue; }
    if (!binding || !specifierMayName(binding.module, fileName, h.module)) continue;
    // `import * as flags from './flags'; flags.isOn('k')` or `import { flags } …; flags.isEnabled('k')`
    if (binding.imported === '*' && !h.method && callee.method === h.exportName) return h;
    if (binding.imported === h.exportName && h.method === callee.method) return h;
  }
  return undefined;
}

/** The project's flag helper a call's callee names (`gate(…)`, `flags.on(…)`), if any. */
export function flagHelperAt(helpers: readonly FlagHelper[], facts: FileFacts, fileName: string, callee: ts.Expression): FlagHelper | undefined {
  if (ts.isIdentifier(callee)) return flagHelperOf(helpers, facts, fileName, { name: callee.text });
  if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression)) return flagHelperOf(helpers, facts, fileName, { object: callee.expression.text, method: callee.name.text });
  return undefined;
}
