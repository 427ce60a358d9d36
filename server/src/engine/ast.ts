/** Small, allocation-free helpers over TypeScript nodes shared by rules and fixes. */
import * as ts from 'typescript';

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

/** The nearest enclosing function of a node (not the node itself). */
export function enclosingFunction(node: ts.Node): FunctionLike | undefined {
  let p = node.parent;
  while (p) {
    if (isFunctionLike(p)) return p;
    p = p.parent;
  }
  return undefined;
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

/** True when `inner` lies inside the `try` block (not catch/finally) of a try statement below `stop`. */
export function isInsideTryBlock(inner: ts.Node, stop: ts.Node | undefined): boolean {
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
  for (let p = node.parent; p; p = p.parent) {
    if (!isFunctionLike(p)) continue;
    const call = p.parent;
    if (call && ts.isCallExpression(call) && call.arguments.includes(p as ts.Expression) &&
      ts.isPropertyAccessExpression(call.expression) && IN_PAGE_METHODS.has(call.expression.name.text)) return true;
  }
  return false;
}

/** The name of the nearest named function around `node`, looking past anonymous callbacks. */
export function nearestFunctionName(node: ts.Node): string | undefined {
  for (let fn = enclosingFunction(node); fn; fn = enclosingFunction(fn)) {
    const name = functionName(fn);
    if (name) return name;
  }
  return undefined;
}
