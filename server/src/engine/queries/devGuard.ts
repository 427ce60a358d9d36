/**
 * Development-only guards: `process.env.NODE_ENV !== 'production'`, `=== 'development'`, a
 * `debug`/`verbose`/`isLocalDev` flag, `!isProduction`. Shared by the rules that stay silent in a
 * development-only branch (unstructured-log) and by the Session, which learns the exported
 * functions every caller of which calls them only inside such a branch (a debug router mounted
 * under a `NODE_ENV` guard in another file: ProjectView.devOnly).
 */
import ts = require('typescript');
import { skipOuter } from '../facts';

/** Flags that gate diagnostic output: DEBUG, verbose, isDev, isLocalDev, IS_DEV_ENV, ENABLE_LOGGING, debugMode… */
const DEV_FLAGS = /debug|verbose|^(is_?)?(local_?)?dev(elopment)?(_?(mode|env|environment))?$|enable_?logging|log(ging)?_?enabled/i;
/** `!isProd`, `!IS_PRODUCTION`: a development guard written the other way round. */
const PROD_FLAGS = /^(is_?)?prod(uction)?(_?(mode|env))?$/i;

/** `process.env.NODE_ENV !== 'production'`, `=== 'development'`, a `debug`/`verbose` flag, `!isProduction`. */
export function isDevCondition(cond: ts.Expression): boolean {
  const c = skipOuter(cond);
  if (ts.isIdentifier(c)) return DEV_FLAGS.test(c.text);
  if (ts.isPropertyAccessExpression(c)) return DEV_FLAGS.test(c.name.text);
  if (ts.isPrefixUnaryExpression(c) && c.operator === ts.SyntaxKind.ExclamationToken) {
    const x = skipOuter(c.operand);
    return PROD_FLAGS.test(ts.isIdentifier(x) ? x.text : ts.isPropertyAccessExpression(x) ? x.name.text : '');
  }
  if (!ts.isBinaryExpression(c)) return false;
  const op = c.operatorToken.kind;
  if (op === ts.SyntaxKind.AmpersandAmpersandToken) return isDevCondition(c.left) || isDevCondition(c.right);
  const env = (e: ts.Expression) => { const x = skipOuter(e); return ts.isPropertyAccessExpression(x) && x.name.text === 'NODE_ENV'; };
  const [side, lit] = env(c.left) ? [c.left, skipOuter(c.right)] : env(c.right) ? [c.right, skipOuter(c.left)] : [undefined, undefined];
  if (!side || !lit || !ts.isStringLiteralLike(lit)) return false;
  const dev = /^(dev|development|local|test)$/.test(lit.text);
  const prod = lit.text === 'production' || lit.text === 'prod';
  if (op === ts.SyntaxKind.EqualsEqualsEqualsToken || op === ts.SyntaxKind.EqualsEqualsToken) return dev;
  if (op === ts.SyntaxKind.ExclamationEqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsToken) return prod;
  return false;
}

/** `child` is the branch a development guard of `p` runs: `if (dev) child`, `dev && child`. */
export function isDevBranch(child: ts.Node, p: ts.Node): boolean {
  if (ts.isIfStatement(p) && p.thenStatement === child) return isDevCondition(p.expression);
  return ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken && p.right === child && isDevCondition(p.left);
}

/** Whether `node` runs only inside a development-only branch of its function (or of the module's top level). */
export function inDevBranch(node: ts.Node): boolean {
  let child = node;
  for (let p = node.parent; p; child = p, p = p.parent) {
    if (isDevBranch(child, p)) return true;
    if (ts.isFunctionLike(p) || ts.isSourceFile(p)) return false;
  }
  return false;
}

/** The declared name of the module-level function `node` is inside (`function f`, `const f = () =>`, `export default function`). */
function topLevelFunctionName(node: ts.Node): string | undefined {
  let n: ts.Node = node;
  while (n.parent && !ts.isSourceFile(n.parent)) n = n.parent;
  if (ts.isFunctionDeclaration(n)) return n.name?.text ?? 'default';
  if (ts.isVariableStatement(n)) {
    for (const d of n.declarationList.declarations) {
      if (d.pos <= node.pos && node.end <= d.end && ts.isIdentifier(d.name)) return d.name.text;
    }
  }
  if (ts.isExportAssignment(n)) return 'default';
  return undefined;
}

/** `node` is inside a module-level function the project calls only in development (ProjectView.devOnly). */
export function inDevOnlyFunction(node: ts.Node, devOnly: readonly string[] | undefined): boolean {
  if (!devOnly || devOnly.length === 0) return false;
  const name = topLevelFunctionName(node);
  return name !== undefined && devOnly.includes(name);
}
