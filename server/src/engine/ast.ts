/**
 * Small helpers over TypeScript nodes shared by rules and fixes.
 *
 * The ones that walk up the tree (enclosing function, nearest named function, in a browser page,
 * inside a try block) remember their answer for every node they pass (firstUp), so all the
 * lookups of one file together cost one step per node: a rule that asks for each call in a file
 * nested 500 levels deep no longer walks 500 levels each time (it was quadratic in nesting).
 */
import ts = require('typescript');

export type FunctionLike = ts.FunctionDeclaration | ts.FunctionExpression | ts.ArrowFunction | ts.MethodDeclaration |
  ts.ConstructorDeclaration | ts.GetAccessorDeclaration | ts.SetAccessorDeclaration;

export function isFunctionLike(n: ts.Node): n is FunctionLike {
  switch (n.kind) {
    case ts.SyntaxKind.FunctionDeclaration:
    case ts.SyntaxKind.FunctionExpression:
    case ts.SyntaxKind.ArrowFunction:
    case ts.SyntaxKind.MethodDeclaration:
    case ts.SyntaxKind.Constructor:
    case ts.SyntaxKind.GetAccessor:
    case ts.SyntaxKind.SetAccessor:
      return true;
    default:
      return false;
  }
}

/**
 * The first answer `step(child, parent)` gives walking up from `node` (one step per edge), or
 * undefined when none does before the root, or (with `stopAtFunction`) before an edge into a
 * function. Remembered in `cache` for every node passed, so each node of a tree is stepped from
 * at most once per cache: `step` must depend on the tree's shape only, and each cache serve one
 * `step`. Linear in the tree over all calls, however deep it is.
 */
export function firstUp<T extends object>(node: ts.Node, step: (child: ts.Node, parent: ts.Node) => T | undefined, cache: WeakMap<ts.Node, T | null>, stopAtFunction = false): T | undefined {
  const passed: ts.Node[] = [];
  let found: T | null = null;
  for (let n = node; ;) {
    const hit = cache.get(n);
    if (hit !== undefined) { found = hit; break; }
    const p = n.parent;
    if (!p) break;
    passed.push(n);
    const r = step(n, p);
    if (r !== undefined) { found = r; break; }
    if (stopAtFunction && isFunctionLike(p)) break;
    n = p;
  }
  for (const n of passed) cache.set(n, found);
  return found ?? undefined;
}

const functionCache = new WeakMap<ts.Node, FunctionLike | null>();
const functionStep = (_child: ts.Node, parent: ts.Node) => (isFunctionLike(parent) ? parent : undefined);

/** The nearest enclosing function of a node (not the node itself). */
export function enclosingFunction(node: ts.Node): FunctionLike | undefined {
  return firstUp(node, functionStep, functionCache);
}

/** The statement that contains `node` directly inside a block, module or case clause. */
export function enclosingStatement(node: ts.Node): ts.Statement | undefined {
  let n: ts.Node = node;
  while (n.parent) {
    const p = n.parent;
    if (ts.isBlock(p) || ts.isSourceFile(p) || ts.isCaseClause(p) || ts.isDefaultClause(p) || ts.isModuleBlock(p)) {
      return n as ts.Statement;
    }
    if (isFunctionLike(p)) return undefined; // e.g. an arrow function's expression body
    n = p;
  }
  return undefined;
}

export function isAsyncFunction(fn: FunctionLike): boolean {
  return ts.getModifiers(fn as ts.HasModifiers)?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword) ?? false;
}

/** Name of a function for messages and flag keys: declared name, variable, property or method name. */
export function functionName(fn: FunctionLike): string | undefined {
  if ((ts.isFunctionDeclaration(fn) || ts.isFunctionExpression(fn) || ts.isMethodDeclaration(fn)) && fn.name && !ts.isComputedPropertyName(fn.name)) {
    return fn.name.getText();
  }
  const p = fn.parent;
  if (p && ts.isVariableDeclaration(p) && ts.isIdentifier(p.name)) return p.name.text;
  if (p && ts.isPropertyAssignment(p) && !ts.isComputedPropertyName(p.name)) return p.name.getText();
  if (p && ts.isPropertyDeclaration(p) && !ts.isComputedPropertyName(p.name)) return p.name.getText();
  return undefined;
}

const tryCache = new WeakMap<ts.Node, ts.TryStatement | null>();
const tryStep = (child: ts.Node, parent: ts.Node) => (ts.isTryStatement(parent) && parent.tryBlock === child && parent.catchClause ? parent : undefined);

/** True when `inner` lies inside the `try` block (not catch/finally) of a try statement below `stop`. */
export function isInsideTryBlock(inner: ts.Node, stop: ts.Node | undefined): boolean {
  // the usual question, "in a try block of its own function?", is remembered per node
  if (stop && stop === enclosingFunction(inner)) return firstUp(inner, tryStep, tryCache, true) !== undefined;
  let n: ts.Node = inner;
  while (n.parent && n !== stop) {
    const p = n.parent;
    if (ts.isTryStatement(p) && p.tryBlock === n && p.catchClause) return true;
    n = p;
  }
  return false;
}

/** Column (in characters) at which the line containing `offset` starts its code. */
export function lineIndentAt(text: string, offset: number): string {
  let s = offset;
  while (s > 0 && text[s - 1] !== '\n') s--;
  let e = s;
  while (e < text.length && (text[e] === ' ' || text[e] === '\t')) e++;
  return text.slice(s, e);
}

export function propertyName(name: ts.PropertyName | ts.MemberName): string | undefined {
  if (ts.isIdentifier(name) || ts.isPrivateIdentifier(name)) return name.text;
  if (ts.isStringLiteral(name) || ts.isNumericLiteral(name) || ts.isNoSubstitutionTemplateLiteral(name)) return name.text;
  return undefined;
}

/** Finds a property by name in an object literal; `undefined` if absent. */
export function findProperty(obj: ts.ObjectLiteralExpression, name: string): ts.ObjectLiteralElementLike | undefined {
  for (const p of obj.properties) {
    if ((ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p) || ts.isMethodDeclaration(p)) && p.name && propertyName(p.name) === name) return p;
  }
  return undefined;
}

export function hasSpread(obj: ts.ObjectLiteralExpression): boolean {
  return obj.properties.some((p) => ts.isSpreadAssignment(p));
}

/** Identifier text when the expression is a plain identifier. */
export function identifierText(e: ts.Node | undefined): string | undefined {
  return e && ts.isIdentifier(e) ? e.text : undefined;
}

/** Browser-automation methods whose function argument is serialized and run inside the page. */
const IN_PAGE_METHODS = new Set(['evaluate', 'evaluateHandle', '$eval', '$$eval', 'evaluateOnNewDocument', 'addInitScript', 'waitForFunction']);

/**
 * True when `node` lies in a function handed to Playwright/Puppeteer's `page.evaluate(fn)` (and
 * friends): that code runs in the browser page, not in the service.
 */
export function inPageFunction(node: ts.Node): boolean {
  const fn = enclosingFunction(node);
  if (!fn) return false;
  let hit = inPageCache.get(fn);
  if (hit === undefined) {
    const call = fn.parent;
    hit = (call && ts.isCallExpression(call) && call.arguments.includes(fn as ts.Expression) &&
      ts.isPropertyAccessExpression(call.expression) && IN_PAGE_METHODS.has(call.expression.name.text)) || inPageFunction(fn);
    inPageCache.set(fn, hit);
  }
  return hit;
}
const inPageCache = new WeakMap<FunctionLike, boolean>();

/** The name of the nearest named function around `node`, looking past anonymous callbacks. */
export function nearestFunctionName(node: ts.Node): string | undefined {
  const fn = enclosingFunction(node);
  if (!fn) return undefined;
  let hit = nameCache.get(fn);
  if (hit === undefined) {
    hit = functionName(fn) ?? nearestFunctionName(fn) ?? null;
    nameCache.set(fn, hit);
  }
  return hit ?? undefined;
}
const nameCache = new WeakMap<FunctionLike, string | null>();

/** The script kind TypeScript parses a file name with; undefined for declaration files and other extensions. */
const EXTENSIONS: Record<string, ts.ScriptKind> = {
  '.ts': ts.ScriptKind.TS, '.mts': ts.ScriptKind.TS, '.cts': ts.ScriptKind.TS,
  '.tsx': ts.ScriptKind.TSX,
  '.js': ts.ScriptKind.JS, '.mjs': ts.ScriptKind.JS, '.cjs': ts.ScriptKind.JS,
  '.jsx': ts.ScriptKind.JSX,
};

export const SUPPORTED_EXTENSIONS = Object.freeze(Object.keys(EXTENSIONS));

export function scriptKindFor(fileName: string): ts.ScriptKind | undefined {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.d.ts') || lower.endsWith('.d.mts') || lower.endsWith('.d.cts')) return undefined;
  const dot = lower.lastIndexOf('.');
  return dot === -1 ? undefined : EXTENSIONS[lower.slice(dot)];
}
