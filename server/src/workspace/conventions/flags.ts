/**
 * Flag helpers: how the project switches features off, learned from how it calls them.
 *
 * - Its own helpers, exported by a project module (workspace packages included) and called with a
 *   string key: `if (await isOn('quotes-v2'))`, `flag('x') ? … : …`, `cachedFlag('x')`,
 *   `flags.isEnabled('x')`. A helper named like one (`isOn`, `isEnabled`, `*Flag*`, `*Feature*`)
 *   counts wherever it is called with a key; any other export only when it is called with a key
 *   in a condition (`if`, `?:`, `&&`, `||`, `!`, `while`). Keys given as constants
 *   (`isOn(ORDER_TRACKING_FLAG)`) are resolved through the file and its imports.
 * - Flag SDK clients (knowledge flag providers) used directly: `client.getBooleanValue('x', false)`.
 * - Environment switches in conditions: `if (process.env.DISABLE_QUOTES === 'true')`
 *   (module `process.env`, the variables as keys).
 *
 * Bounded: candidate modules come from the graph (flag SDK users, flag-like paths) and a text
 * check for a flag-like export; at most MAX_IMPORTERS_READ importers of each are read.
 */
import ts = require('typescript');
import type { FlagHelper } from '../../engine/view';
import { FLAG_HELPER_FUNCTIONS, KNOWLEDGE } from '../../knowledge';
import { MAX_IMPORTERS_READ, ProjectReader, constantString, exportsOf, importedNames, literalString, unwrap, walk } from './reader';

const FLAG_NAME = /flag|feature|toggle|switch|^is(?:On|Off)$|enabled/i;
const FLAG_PATH = /(?:^|[/\\])[^/\\]*(?:flag|feature|toggle|switch)[^/\\]*$|(?:^|[/\\])(?:flags?|features?|toggles?)[/\\]/i;
const FLAG_EXPORT_TEXT = /\bexport\b[^\n;]*?\b\w*(?:[Ff]lag|[Ff]eature|[Tt]oggle|[Ss]witch|isOn|isOff|[Ee]nabled)\w*|module\.exports[^\n]*\b\w*(?:[Ff]lag|[Ff]eature|[Tt]oggle|[Ss]witch|isOn|isOff|[Ee]nabled)\w*/;
const ENV_SWITCH = /process\.env(?:\.([A-Z][A-Z0-9_]*)|\[\s*['"]([A-Z][A-Z0-9_]*)['"]\s*\])/g;
const ENV_SWITCH_NAME = /(?:^|_)(?:FLAG|FLAGS|FEATURE|FEATURES|ENABLE|ENABLED|DISABLE|DISABLED|KILL|KILLSWITCH|TOGGLE|SWITCH|FF)(?:_|$)/;
const MAX_KEYS = 200;
const HELPER_NAMES = new Set(FLAG_HELPER_FUNCTIONS);

/** Is this expression used as (part of) a condition? */
function inCondition(node: ts.Node): boolean {
  let n = node;
  for (let i = 0; i < 16 && n.parent; i++) {
    const p = n.parent;
    if (ts.isAwaitExpression(p) || ts.isParenthesizedExpression(p) || ts.isNonNullExpression(p) || ts.isAsExpression(p)) { n = p; continue; }
    if (ts.isPrefixUnaryExpression(p) && p.operator === ts.SyntaxKind.ExclamationToken) { n = p; continue; }
    if (ts.isBinaryExpression(p)) {
      const k = p.operatorToken.kind;
      if (k === ts.SyntaxKind.AmpersandAmpersandToken || k === ts.SyntaxKind.BarBarToken || k === ts.SyntaxKind.QuestionQuestionToken ||
        k === ts.SyntaxKind.EqualsEqualsEqualsToken || k === ts.SyntaxKind.ExclamationEqualsEqualsToken || k === ts.SyntaxKind.EqualsEqualsToken || k === ts.SyntaxKind.ExclamationEqualsToken) { n = p; continue; }
      return false;
    }
    if (ts.isIfStatement(p) || ts.isWhileStatement(p) || ts.isDoStatement(p)) return p.expression === n;
    if (ts.isConditionalExpression(p)) return p.condition === n;
    return false;
  }
  return false;
}

interface Helper { module: string; exportName: string; method?: string; keys: Set<string> }

export function learnFlagHelpers(reader: ProjectReader): FlagHelper[] {
  const helpers = new Map<string, Helper>();
  const record = (module: string, exportName: string, method: string | undefined, key: string) => {
    const id = `${module}\0${exportName}\0${method ?? ''}`;
    let h = helpers.get(id);
    if (!h) helpers.set(id, (h = { module, exportName, ...(method ? { method } : {}), keys: new Set() }));
    if (h.keys.size < MAX_KEYS) h.keys.add(key);
  };
  const sdkPackage = new Map<string, boolean>();
  const isSdk = (pkg: string): boolean => {
    let hit = sdkPackage.get(pkg);
    if (hit === undefined) sdkPackage.set(pkg, (hit = !!KNOWLEDGE.flagProviderOf(pkg)));
    return hit;
  };
  const checkMethods = KNOWLEDGE.flagCheckMethods();

  // 1. the project's own helpers: candidate modules, then how their importers call them
  for (const file of reader.files) {
    const importers = reader.importersOf(file, MAX_IMPORTERS_READ);
    if (!importers.length) continue;
    if (!(FLAG_PATH.test(file) || reader.packagesOf(file).some(isSdk) || FLAG_EXPORT_TEXT.test(reader.text(file) ?? ''))) continue;
    const sf = reader.parse(file);
    if (!sf) continue;
    const exported = exportsOf(sf);
    if (!exported.size) continue;
    for (const importer of importers) {
      const isf = reader.parse(importer);
      if (!isf) continue;
      const locals = new Map<string, string>(); // local name → export name ('*' for a namespace)
      for (const [local, { specifier, imported }] of importedNames(isf)) {
        if (reader.fileOf(importer, specifier) !== file) continue;
        if (imported === '*' || exported.has(imported)) locals.set(local, imported);
      }
      if (!locals.size) continue;
      walk(isf, (node) => {
        if (!ts.isCallExpression(node)) return;
        const callee = unwrap(node.expression);
        let exportName: string | undefined;
        let method: string | undefined;
        if (ts.isIdentifier(callee) && locals.has(callee.text) && locals.get(callee.text) !== '*') exportName = locals.get(callee.text);
        else if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && locals.has(callee.expression.text)) {
          const base = locals.get(callee.expression.text)!;
          if (base === '*') exportName = callee.name.text;
          else { exportName = base; method = callee.name.text; }
        }
        if (!exportName) return;
        const key = constantString(node.arguments[0], importer, isf, reader);
        if (key === undefined) return;
        const named = method ? checkMethods.has(method) || FLAG_NAME.test(method) || HELPER_NAMES.has(method) : HELPER_NAMES.has(exportName) || FLAG_NAME.test(exportName);
        if (named || inCondition(node)) record(file, exportName, method, key);
      });
    }
  }

  // 2. SDK clients used directly: client.getBooleanValue('x', false)
  for (const { module } of KNOWLEDGE.flagModules()) {
    for (const file of reader.packageUsers(module)) {
      const sf = reader.parse(file);
      if (!sf) continue;
      const imported = [...importedNames(sf)].find(([, b]) => reader.packageOf(file, b.specifier) === module || b.specifier === module);
      if (!imported) continue;
      walk(sf, (node) => {
        if (!ts.isCallExpression(node) || !ts.isPropertyAccessExpression(node.expression)) return;
        const method = node.expression.name.text;
        if (!checkMethods.has(method)) return;
        const key = constantString(node.arguments[0], file, sf, reader);
        if (key !== undefined) record(module, imported[1].imported, method, key);
      });
    }
  }

  // 3. environment switches in conditions
  for (const file of reader.files) {
    const text = reader.text(file);
    if (!text || !text.includes('process.env')) continue;
    ENV_SWITCH.lastIndex = 0;
    let candidates = false;
    for (let m = ENV_SWITCH.exec(text); m; m = ENV_SWITCH.exec(text)) if (ENV_SWITCH_NAME.test(m[1] ?? m[2])) { candidates = true; break; }
    if (!candidates) continue;
    const sf = reader.parse(file);
    if (!sf) continue;
    walk(sf, (node) => {
      if (!ts.isPropertyAccessExpression(node) && !ts.isElementAccessExpression(node)) return;
      const base = unwrap(node.expression);
      if (!ts.isPropertyAccessExpression(base) || !ts.isIdentifier(base.expression) || base.expression.text !== 'process' || base.name.text !== 'env') return;
      const name = ts.isPropertyAccessExpression(node) ? node.name.text : literalString(node.argumentExpression);
      if (name && ENV_SWITCH_NAME.test(name) && inCondition(node)) record('process.env', 'process.env', undefined, name);
    });
  }

  return [...helpers.values()]
    .map((h) => ({ module: h.module, exportName: h.exportName, ...(h.method ? { method: h.method } : {}), keys: [...h.keys].sort() }))
    .sort((a, b) => (a.module < b.module ? -1 : a.module > b.module ? 1 : a.exportName < b.exportName ? -1 : a.exportName > b.exportName ? 1 : (a.method ?? '') < (b.method ?? '') ? -1 : 1));
}
