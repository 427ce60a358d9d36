/**
 * Functions that run only in development: an exported function whose every use in the project is
 * a call inside a development-only branch (`if (process.env.NODE_ENV !== 'production')
 * bootDebugRoutes(app)`, `isLocalDev && mountDebug(app)`). The routes such a function registers are
 * not public production routes (ProjectView.devOnly; leaked-error-details and
 * missing-correlation-id read it).
 *
 * Bounded: only files whose text names a development guard are parsed to find the guarded calls;
 * each function found is confirmed by reading at most MAX_IMPORTERS_READ importers of its module
 * (more importers, a use outside a call, or a call outside a guard: not development-only).
 */
import ts = require('typescript');
import { inDevBranch } from '../../engine/queries/devGuard';
import { MAX_IMPORTERS_READ, ProjectReader, exportsOf, importedNames, walk } from './reader';

/** Text that a development guard needs (cheap filter before parsing). */
const GUARD_TEXT = /NODE_ENV|\bis_?(local_?)?dev|\bis_?prod|\bIS_(LOCAL_)?DEV|\bIS_PROD/i;
/** Files parsed to find guarded calls, at most. */
const MAX_GUARD_FILES = 2_000;

export interface DevOnlyFunction {
  /** Absolute path of the module that declares the function. */
  file: string;
  /** Its name in that module (the declaration's own name; 'default' for an anonymous default export). */
  name: string;
}

/** The declaration's own name of an export, when it is a function the module declares. */
function localName(target: ts.Node, exported: string): string | undefined {
  if (ts.isFunctionDeclaration(target)) return target.name?.text ?? (exported === 'default' ? 'default' : undefined);
  if ((ts.isArrowFunction(target) || ts.isFunctionExpression(target)) && ts.isVariableDeclaration(target.parent) && ts.isIdentifier(target.parent.name)) return target.parent.name.text;
  if ((ts.isArrowFunction(target) || ts.isFunctionExpression(target)) && exported === 'default') return 'default';
  return undefined;
}

/** Every reference to `local` in `sf` (other than its import) is the callee of a call inside a development-only branch; at least one. */
function usedOnlyInDevelopment(sf: ts.SourceFile, local: string): boolean {
  let calls = 0;
  let other = false;
  walk(sf, (n) => {
    if (other) return false;
    if (ts.isImportDeclaration(n) || ts.isImportEqualsDeclaration(n)) return false;
    if (!ts.isIdentifier(n) || n.text !== local) return true;
    const p = n.parent;
    // a property name (`x.local`, `{ local: 1 }`) is not the binding
    if ((ts.isPropertyAccessExpression(p) && p.name === n) || (ts.isPropertyAssignment(p) && p.name === n)) return true;
    // the `require` binding itself
    if (ts.isVariableDeclaration(p) && p.name === n) return true;
    if (ts.isBindingElement(p)) return true;
    if (ts.isCallExpression(p) && p.expression === n && inDevBranch(p)) calls++;
    else other = true;
    return true;
  });
  return !other && calls > 0;
}

export function learnDevOnly(reader: ProjectReader): DevOnlyFunction[] {
  // 1. calls of functions imported from project files, inside a development-only branch
  const candidates = new Map<string, Set<string>>();
  let parsed = 0;
  for (const file of reader.files) {
    const text = reader.text(file);
    if (!text || !GUARD_TEXT.test(text)) continue;
    if (++parsed > MAX_GUARD_FILES) break;
    const sf = reader.parse(file);
    if (!sf) continue;
    const imported = importedNames(sf);
    walk(sf, (n) => {
      if (!ts.isCallExpression(n) || !ts.isIdentifier(n.expression)) return true;
      const from = imported.get(n.expression.text);
      if (!from || from.imported === '*' || !inDevBranch(n)) return true;
      const target = reader.fileOf(file, from.specifier);
      if (target) {
        if (!candidates.has(target)) candidates.set(target, new Set());
        candidates.get(target)!.add(from.imported);
      }
      return true;
    });
  }
  // 2. confirmed when every importer uses it only so, and its own module does not call it
  const out: DevOnlyFunction[] = [];
  for (const [target, names] of candidates) {
    const sf = reader.parse(target);
    if (!sf) continue;
    const importers = reader.importersOf(target, MAX_IMPORTERS_READ + 1);
    if (importers.length > MAX_IMPORTERS_READ) continue;
    const exports = exportsOf(sf);
    for (const name of [...names].sort()) {
      const decl = exports.get(name);
      const local = decl && localName(decl, name);
      if (!local) continue;
      if (local !== 'default' && usesName(sf, local, decl)) continue;
      const ok = importers.every((imp) => {
        const isf = reader.parse(imp);
        if (!isf) return false;
        const bindings = [...importedNames(isf)].filter(([, b]) => b.imported === name && reader.fileOf(imp, b.specifier) === target).map(([l]) => l);
        // a namespace import (`* as debug`) or a re-export: not read, not confirmed
        const viaOther = [...importedNames(isf).values()].some((b) => b.imported === '*' && reader.fileOf(imp, b.specifier) === target);
        if (viaOther || reExportsFrom(reader, imp, isf, target)) return false;
        return bindings.every((l) => usedOnlyInDevelopment(isf, l));
      });
      if (ok) out.push({ file: target, name: local });
    }
  }
  return out.sort((a, b) => (a.file === b.file ? (a.name < b.name ? -1 : 1) : a.file < b.file ? -1 : 1));
}

/** The module itself refers to `local` outside its declaration (calls it, passes it on). */
function usesName(sf: ts.SourceFile, local: string, decl: ts.Node): boolean {
  const own = ts.isFunctionDeclaration(decl) ? decl.name : ts.isVariableDeclaration(decl.parent) ? decl.parent.name : undefined;
  let used = false;
  walk(sf, (n) => {
    if (used) return false;
    if (ts.isIdentifier(n) && n.text === local && n !== own && !(ts.isPropertyAccessExpression(n.parent) && n.parent.name === n) &&
      !(ts.isExportSpecifier(n.parent))) used = true;
    return !used;
  });
  return used;
}

/** `export … from './target'`: the importer passes the module on, its users are not read. */
function reExportsFrom(reader: ProjectReader, file: string, sf: ts.SourceFile, target: string): boolean {
  return sf.statements.some((st) => ts.isExportDeclaration(st) && st.moduleSpecifier !== undefined && ts.isStringLiteral(st.moduleSpecifier) && reader.fileOf(file, st.moduleSpecifier.text) === target);
}
