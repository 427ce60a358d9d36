/**
 * The project's own logger and feature-flag modules: a `logger`/`log` export built from pino,
 * winston, bunyan, log4js or Nest's Logger, and an `isEnabled`-like function or a `flags` client
 * built on a flag SDK. Fixes import these instead of creating a second logger or calling the SDK
 * directly, so the output looks like the rest of the project.
 *
 * Found by reading a bounded list of conventional locations under the package root
 * (src/lib/logger.ts, src/flags.ts, …) and by resolving what the file being fixed imports. The
 * module is parsed, never executed; a file that cannot be read or parsed is simply not one.
 */
import { readWorkspaceText } from './readSource';
import * as path from 'node:path';
import ts = require('typescript');
import { FLAG_CLIENT_NAMES, FLAG_HELPER_FUNCTIONS, KNOWLEDGE, loggerOf, type LoggerStyle } from '../knowledge';
import { parseHazard } from './parseGuard';
import { parseWithinLimits } from './nesting';

export type LoggerLibrary = LoggerStyle;

export interface LocalLogger {
  /** Absolute path of the module. */
  file: string;
  /** Exported name ('default' for a default export). */
  name: string;
  library: LoggerLibrary;
}

export interface LocalFlags {
  file: string;
  /** Exported name ('default' for a default export). */
  name: string;
  /** A function called as `name('key')`, or an SDK client whose methods the guard calls. */
  kind: 'function' | 'client';
  /** The SDK it is built on. */
  provider: string;
  /** For functions: declared async (the guard awaits it). */
  async: boolean;
}

export interface LocalModules {
  logger?: LocalLogger;
  flags?: LocalFlags;
}

const EXTENSIONS = ['.ts', '.js', '.mts', '.mjs', '.cts', '.cjs', '/index.ts', '/index.js'];
const DIRS = ['src', 'src/lib', 'src/utils', 'src/util', 'src/common', 'src/shared', 'src/config', 'src/core', 'src/infra', 'src/services', 'lib', 'utils', 'app', ''];
const LOGGER_BASES = ['logger', 'log', 'logging'];
const FLAG_BASES = ['flags', 'featureFlags', 'feature-flags', 'feature_flags', 'features', 'flag'];
const LOGGER_NAMES = ['logger', 'log', 'default'];
const FLAG_FUNCTIONS = FLAG_HELPER_FUNCTIONS;
const FLAG_CLIENTS = FLAG_CLIENT_NAMES;
/** SDK calls that return promises: OpenFeature get*Value, LaunchDarkly variation, Flagsmith/ConfigCat getters. */
const ASYNC_FLAG_METHODS = KNOWLEDGE.asyncFlagMethods();
const MAX_MODULE_BYTES = 200_000;

/** Conventional module paths under a package root, most specific first. */
export function candidatePaths(root: string): string[] {
  const out: string[] = [];
  for (const dir of DIRS) {
    for (const base of [...LOGGER_BASES, ...FLAG_BASES]) {
      for (const ext of EXTENSIONS) out.push(path.join(root, dir, base + ext));
    }
  }
  return out;
}

/** True for a file at a name findLocalModules looks at (logger.ts, flags.js, feature-flags/index.ts…). */
export function isLocalModuleCandidate(file: string): boolean {
  const parts = file.split(/[\\/]/);
  let base = (parts.pop() ?? '').replace(/\.[cm]?[jt]sx?$/, '');
  if (base === 'index') base = parts.pop() ?? '';
  return LOGGER_BASES.includes(base) || FLAG_BASES.includes(base);
}

/** Looks for the project's logger and flags modules at the conventional paths under `root`. */
export function findLocalModules(root: string, roots?: readonly string[]): LocalModules {
  const found: LocalModules = {};
  for (const file of candidatePaths(root)) {
    if (found.logger && found.flags) break;
    // size-checked before it is read, never through a link out of the roots (readSource.ts)
    const text = readWorkspaceText(file, { maxBytes: MAX_MODULE_BYTES, roots });
    if (text === undefined) continue;
    const m = analyzeLocalModule(text, file);
    found.logger ??= m.logger;
    found.flags ??= m.flags;
  }
  return found;
}

/** What a module exports that fixes can use. Pure: text in, facts out. */
export function analyzeLocalModule(text: string, fileName: string): LocalModules {
  const js = /\.[cm]?jsx?$/.test(fileName);
  // a module TypeScript's parser would take exponential time on is not read (parseGuard.ts)
  if (parseHazard(text, js ? ts.LanguageVariant.JSX : ts.LanguageVariant.Standard)) return {};
  // the same nesting limits as analyze(), so project facts never depend on the thread
  const parsed = parseWithinLimits(text, fileName, js ? ts.ScriptKind.JS : ts.ScriptKind.TS);
  if ('skipped' in parsed) return {};
  const sf = parsed.sf;
  // name → module for imports and requires
  const imports = new Map<string, string>();
  // module-level const → its initializer
  const locals = new Map<string, ts.Expression>();
  const functions = new Map<string, ts.FunctionLikeDeclaration>();
  // exported name → local name or expression
  const exported = new Map<string, ts.Expression | ts.FunctionLikeDeclaration | string>();
  const isExported = (n: ts.Node) => ts.canHaveModifiers(n) && (ts.getModifiers(n) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
  const isDefault = (n: ts.Node) => ts.canHaveModifiers(n) && (ts.getModifiers(n) ?? []).some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);

  for (const st of sf.statements) {
    if (ts.isImportDeclaration(st) && ts.isStringLiteral(st.moduleSpecifier)) {
      const mod = st.moduleSpecifier.text;
      const clause = st.importClause;
      if (clause?.name) imports.set(clause.name.text, mod);
      const nb = clause?.namedBindings;
      if (nb && ts.isNamespaceImport(nb)) imports.set(nb.name.text, mod);
      if (nb && ts.isNamedImports(nb)) for (const el of nb.elements) imports.set(el.name.text, mod);
    } else if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) {
        const req = d.initializer && requireOf(d.initializer);
        if (req) {
          if (ts.isIdentifier(d.name)) imports.set(d.name.text, req);
          else if (ts.isObjectBindingPattern(d.name)) for (const el of d.name.elements) if (ts.isIdentifier(el.name)) imports.set(el.name.text, req);
          continue;
        }
        if (!ts.isIdentifier(d.name) || !d.initializer) continue;
        const init = d.initializer;
        if (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) functions.set(d.name.text, init);
        else locals.set(d.name.text, init);
        if (isExported(st)) exported.set(d.name.text, d.name.text);
      }
    } else if (ts.isFunctionDeclaration(st) && st.name) {
      functions.set(st.name.text, st);
      if (isExported(st)) exported.set(isDefault(st) ? 'default' : st.name.text, st.name.text);
    } else if (ts.isExportAssignment(st) && !st.isExportEquals) {
      exported.set('default', ts.isIdentifier(st.expression) ? st.expression.text : st.expression);
    } else if (ts.isExportDeclaration(st) && !st.moduleSpecifier && st.exportClause && ts.isNamedExports(st.exportClause)) {
      for (const el of st.exportClause.elements) exported.set(el.name.text, (el.propertyName ?? el.name).text);
    } else if (ts.isExpressionStatement(st) && ts.isBinaryExpression(st.expression) && st.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      // module.exports = { logger }, module.exports.logger = …, exports.isEnabled = …
      const left = st.expression.left.getText(sf);
      const right = st.expression.right;
      const m = /^(?:module\.)?exports\.([A-Za-z_$][\w$]*)$/.exec(left);
      if (m) exported.set(m[1], ts.isIdentifier(right) ? right.text : right);
      else if (left === 'module.exports' && ts.isObjectLiteralExpression(right)) {
        for (const p of right.properties) {
          if (ts.isShorthandPropertyAssignment(p)) exported.set(p.name.text, p.name.text);
          else if (ts.isPropertyAssignment(p) && ts.isIdentifier(p.name)) exported.set(p.name.text, ts.isIdentifier(p.initializer) ? p.initializer.text : p.initializer);
          else if (ts.isMethodDeclaration(p) && ts.isIdentifier(p.name)) exported.set(p.name.text, p);
        }
      } else if (left === 'module.exports') exported.set('default', ts.isIdentifier(right) ? right.text : right);
    }
  }

  /** The package a value is built from: `pino()`, `winston.createLogger()`, `new Logger()`, `init(key)`, via local consts. */
  const sourceModule = (e: ts.Expression | undefined, depth = 0): string | undefined => {
    if (!e || depth > 4) return undefined;
    let x = e;
    for (;;) {
      if (ts.isParenthesizedExpression(x) || ts.isAsExpression(x) || ts.isNonNullExpression(x) || ts.isSatisfiesExpression(x) || ts.isAwaitExpression(x)) x = x.expression;
      else if (ts.isCallExpression(x) || ts.isNewExpression(x) || ts.isPropertyAccessExpression(x)) x = x.expression;
      else break;
    }
    if (!ts.isIdentifier(x)) return undefined;
    const mod = imports.get(x.text);
    if (mod) return mod;
    return sourceModule(locals.get(x.text), depth + 1);
  };
  const resolveExport = (v: ts.Expression | ts.FunctionLikeDeclaration | string): { expr?: ts.Expression; fn?: ts.FunctionLikeDeclaration } => {
    if (typeof v === 'string') return functions.has(v) ? { fn: functions.get(v) } : { expr: locals.get(v) ?? ts.factory.createIdentifier(v) };
    if (ts.isFunctionLike(v) && !ts.isExpression(v as ts.Node)) return { fn: v as ts.FunctionLikeDeclaration };
    if (ts.isArrowFunction(v as ts.Node) || ts.isFunctionExpression(v as ts.Node)) return { fn: v as ts.FunctionLikeDeclaration };
    return { expr: v as ts.Expression };
  };

  const out: LocalModules = {};
  for (const name of LOGGER_NAMES) {
    const v = exported.get(name);
    if (v === undefined) continue;
    const { expr } = resolveExport(v);
    const mod = sourceModule(expr);
    const lib = mod ? loggerOf(mod)?.style : undefined;
    if (lib) { out.logger = { file: fileName, name, library: lib }; break; }
  }
  const usesSdk = (n: ts.Node): string | undefined => {
    let found: string | undefined;
    const visit = (c: ts.Node): void => {
      if (found) return;
      if (ts.isIdentifier(c)) {
        const mod = imports.get(c.text) ?? sourceModule(locals.get(c.text));
        const provider = mod && KNOWLEDGE.flagProviderOf(mod);
        if (provider) { found = provider; return; }
      }
      ts.forEachChild(c, visit);
    };
    visit(n);
    return found;
  };
  for (const name of FLAG_FUNCTIONS) {
    const v = exported.get(name);
    if (v === undefined) continue;
    const { fn } = resolveExport(v);
    if (!fn?.body) continue;
    const required = fn.parameters.filter((p) => !p.questionToken && !p.initializer && !p.dotDotDotToken);
    if (fn.parameters.length === 0 || required.length > 1) continue;
    const provider = usesSdk(fn.body);
    if (!provider) continue;
    const isAsync = ((ts.canHaveModifiers(fn) ? ts.getModifiers(fn) : undefined) ?? []).some((m) => m.kind === ts.SyntaxKind.AsyncKeyword) || returnsPromise(fn);
    out.flags = { file: fileName, name, kind: 'function', provider, async: isAsync };
    break;
  }
  if (!out.flags) {
    for (const name of FLAG_CLIENTS) {
      const v = exported.get(name);
      if (v === undefined) continue;
      const { expr } = resolveExport(v);
      const mod = sourceModule(expr);
      const provider = mod ? KNOWLEDGE.flagProviderOf(mod) : undefined;
      if (provider) { out.flags = { file: fileName, name, kind: 'client', provider, async: false }; break; }
    }
  }
  return out;
}

function requireOf(e: ts.Expression): string | undefined {
  let x = e;
  while (ts.isPropertyAccessExpression(x)) x = x.expression; // require('pino').default
  if (ts.isCallExpression(x) && ts.isIdentifier(x.expression) && x.expression.text === 'require' && x.arguments.length === 1 && ts.isStringLiteral(x.arguments[0])) {
    return x.arguments[0].text;
  }
  return undefined;
}

/** A function typed `: Promise<…>`, or whose body returns a `.then`-able SDK promise it does not await. */
function returnsPromise(fn: ts.FunctionLikeDeclaration): boolean {
  if (fn.type && ts.isTypeReferenceNode(fn.type) && fn.type.typeName.getText() === 'Promise') return true;
  const body = fn.body;
  if (!body) return false;
  const returned: ts.Expression[] = [];
  if (!ts.isBlock(body)) returned.push(body);
  else {
    const visit = (n: ts.Node): void => {
      if (ts.isFunctionLike(n)) return;
      if (ts.isReturnStatement(n) && n.expression) returned.push(n.expression);
      ts.forEachChild(n, visit);
    };
    ts.forEachChild(body, visit);
  }
  return returned.some((r) => ts.isCallExpression(r) && ts.isPropertyAccessExpression(r.expression) && ASYNC_FLAG_METHODS.has(r.expression.name.text));
}

/**
 * The module specifier that imports `target` from `fromFile`, in the file's own habits:
 * `./lib/logger`, or `./lib/logger.js` when the file writes extensions on relative imports.
 */
export function relativeSpecifier(fromFile: string, target: string, withJsExtension: boolean): string {
  let rel = path.relative(path.dirname(fromFile), target).split(path.sep).join('/');
  // Node's ESM resolution wants the emitted file: `.ts` → `.js`, `.mts` → `.mjs`
  if (withJsExtension) rel = rel.replace(/\.([cm]?)tsx?$/, '.$1js');
  else rel = rel.replace(/\/index\.[cm]?[jt]sx?$/, '').replace(/\.[cm]?[jt]sx?$/, '');
  return rel.startsWith('.') ? rel : `./${rel}`;
}

/** True when `specifier`, imported from `fromFile`, names `target` (extensions and /index resolved). */
export function specifierResolvesTo(fromFile: string, specifier: string, target: string): boolean {
  if (!specifier.startsWith('.')) return false;
  const base = path.resolve(path.dirname(fromFile), specifier).replace(/\.[cm]?[jt]sx?$/, '');
  const t = target.replace(/\.[cm]?[jt]sx?$/, '');
  return base === t || `${base}/index` === t;
}
