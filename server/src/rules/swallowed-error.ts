/**
 * swallowed-error — an error caught and dropped: an empty catch, a catch that never looks at its
 * error around I/O, or `.catch(() => {})` / `.catch(() => null)` with no log.
 *
 * Before:  try { await pool.query(sql) } catch (err) {}
 * After:   try { await pool.query(sql) } catch (err) { logger.error({ err }, 'syncInventory failed'); }
 *
 * Deliberate silence stays silent: a catch with a comment explaining it, best-effort cleanup
 * (`try { fs.unlinkSync(tmp) } catch {}`), parsing idioms with no I/O in the try block
 * (`try { return JSON.parse(s) } catch { return null }`), and catches that rethrow, log, or pass
 * the error on (`next(err)`, `reject(err)`, `done(err)`).
 */
import * as ts from 'typescript';
import { defineRule, type Fix, type RuleContext } from '../engine/types';
import { skipOuter } from '../engine/facts';
import { enclosingFunction, functionName, lineIndentAt, isFunctionLike } from '../engine/ast';
import { externalCall } from '../engine/calls';
import { chooseLogger, consoleLogger, logCall } from '../fixes/logger';
import { semi } from '../engine/style';

const CLEANUP = /^(unlink|unlinkSync|rm|rmSync|rmdir|rmdirSync|close|closeSync|destroy|kill|release|end|abort|removeListener|off|clearTimeout|clearInterval|disconnect|quit|unref|delete|cancel|dispose|removeItem)$/;
const FALLBACK_VALUES = new Set([ts.SyntaxKind.NullKeyword, ts.SyntaxKind.FalseKeyword, ts.SyntaxKind.TrueKeyword, ts.SyntaxKind.UndefinedKeyword]);

function hasComment(text: string, block: ts.Block): boolean {
  const inner = text.slice(block.getStart() + 1, block.getEnd() - 1);
  return inner.includes('//') || inner.includes('/*');
}

/** Does the try block do I/O: an await, or a call on a known external client? Bounded walk. */
function tryDoesIo(tryBlock: ts.Block, ctx: RuleContext): boolean {
  let found = false;
  let budget = 2000;
  const visit = (n: ts.Node): void => {
    if (found || --budget < 0) return;
    if (isFunctionLike(n)) return;
    if (ts.isAwaitExpression(n) || ts.isForOfStatement(n) && n.awaitModifier) { found = true; return; }
    if (ts.isCallExpression(n) && externalCall(n, ctx.facts, ctx.project, ctx.config.externalModules)) { found = true; return; }
    ts.forEachChild(n, visit);
  };
  visit(tryBlock);
  return found || budget < 0;
}

/** `try { fs.unlinkSync(tmp) } catch {}`: a single best-effort cleanup call. */
function isCleanup(tryBlock: ts.Block): boolean {
  if (tryBlock.statements.length !== 1) return false;
  const st = tryBlock.statements[0];
  if (!ts.isExpressionStatement(st)) return false;
  let e = skipOuter(st.expression);
  if (ts.isAwaitExpression(e)) e = skipOuter(e.expression);
  if (!ts.isCallExpression(e)) return false;
  const callee = e.expression;
  const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : '';
  return CLEANUP.test(name);
}

/** Does the catch body hand the failure on or record it? throw, a log/report call, next/reject/done/cb. */
function handlesFailure(block: ts.Block): boolean {
  let handled = false;
  const visit = (n: ts.Node): void => {
    if (handled || isFunctionLike(n)) return;
    if (ts.isThrowStatement(n)) { handled = true; return; }
    if (ts.isCallExpression(n)) {
      const c = n.expression;
      const name = ts.isPropertyAccessExpression(c) ? c.name.text : ts.isIdentifier(c) ? c.text : '';
      const recv = ts.isPropertyAccessExpression(c) ? c.expression.getText() : '';
      if (/^(next|reject|done|cb|callback|fail|captureException|captureError|notify|report|reportError|track|emit)$/.test(name)) { handled = true; return; }
      if (/^(error|warn|fatal|info|log|debug|trace|exception)$/.test(name) && /log|console|sentry|logger|rollbar|bugsnag/i.test(recv)) { handled = true; return; }
    }
    ts.forEachChild(n, visit);
  };
  visit(block);
  return handled;
}

function usesName(block: ts.Block, name: string): boolean {
  let used = false;
  const visit = (n: ts.Node): void => {
    if (used) return;
    if (ts.isIdentifier(n) && n.text === name && !(ts.isPropertyAccessExpression(n.parent) && n.parent.name === n)) { used = true; return; }
    ts.forEachChild(n, visit);
  };
  visit(block);
  return used;
}

function contextName(node: ts.Node, ctx: RuleContext): string {
  const fn = enclosingFunction(node);
  const named = fn && functionName(fn);
  if (named) return named;
  // an inline route handler: app.post('/orders', async (req, res) => …) → "POST /orders"
  const call = fn?.parent;
  if (call && ts.isCallExpression(call) && ts.isPropertyAccessExpression(call.expression) &&
    /^(get|post|put|patch|delete|all)$/.test(call.expression.name.text) && call.arguments[0] && ts.isStringLiteralLike(call.arguments[0])) {
    return `${call.expression.name.text.toUpperCase()} ${call.arguments[0].text}`;
  }
  return ctx.fileName.replace(/\\/g, '/').split('/').pop()!.replace(/\.[^.]+$/, '');
}

function freeErrorName(clause: ts.CatchClause): string {
  const taken = new Set<string>();
  for (let p: ts.Node | undefined = clause.parent; p; p = p.parent) {
    if (ts.isCatchClause(p) && p.variableDeclaration && ts.isIdentifier(p.variableDeclaration.name)) taken.add(p.variableDeclaration.name.text);
    if (isFunctionLike(p)) for (const prm of p.parameters) if (ts.isIdentifier(prm.name)) taken.add(prm.name.text);
  }
  for (const n of ['err', 'error', 'caughtError', 'caughtError2']) if (!taken.has(n) && !usesName(clause.block, n)) return n;
  return 'caughtError3';
}

export const swallowedError = defineRule({
  id: 'swallowed-error',
  checklist: 'understand',
  severity: 'warning',
  summary: 'An error caught and dropped leaves no trace: the request fails or returns wrong data and nobody can tell why.',
  fixable: true,
  fileKinds: ['server'],
  visit: {
    CatchClause(clause, ctx) {
      const block = clause.block;
      const decl = clause.variableDeclaration;
      const name = decl && ts.isIdentifier(decl.name) ? decl.name.text : undefined;
      if (decl && !name) return; // destructured: the error is used
      if (name && name.startsWith('_')) return; // `catch (_err)`: ignoring it is the declared intent
      const empty = block.statements.length === 0;
      if (empty) {
        if (hasComment(ctx.text, block)) return;
        const tryBlock = (clause.parent as ts.TryStatement).tryBlock;
        if (isCleanup(tryBlock)) return;
      } else {
        if (name && usesName(block, name)) return;
        if (handlesFailure(block)) return;
        if (!tryDoesIo((clause.parent as ts.TryStatement).tryBlock, ctx)) return;
      }
      const what = empty ? 'This empty catch drops the error' : name ? `The catch never looks at \`${name}\`` : 'This catch has no error binding';
      ctx.report({
        start: clause.getStart(ctx.sourceFile),
        end: decl ? clause.variableDeclaration!.getEnd() + 1 : clause.getStart(ctx.sourceFile) + 5,
        message: `${what}: when it fails, nothing is logged and nobody can tell why. Log it with context${empty ? ', and rethrow if there is no sensible fallback' : ''}.`,
        fixes: catchFixes(clause, name, empty, ctx),
      });
    },
    CallExpression(call, ctx) {
      const callee = call.expression;
      if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'catch' || call.arguments.length !== 1) return;
      const handler = skipOuter(call.arguments[0]);
      let fallback: string | undefined;
      if (ts.isArrowFunction(handler) || ts.isFunctionExpression(handler)) {
        const p = handler.parameters[0];
        if (p && ts.isIdentifier(p.name) && usesName(ts.isBlock(handler.body) ? handler.body : ts.factory.createBlock([]), p.name.text)) return;
        if (p && !ts.isIdentifier(p.name)) return;
        const body = handler.body;
        if (ts.isBlock(body)) {
          if (body.statements.length > 0 || hasComment(ctx.text, body)) return;
          fallback = undefined;
        } else {
          const b = skipOuter(body);
          const isFallback = FALLBACK_VALUES.has(b.kind) || (ts.isIdentifier(b) && b.text === 'undefined') ||
            (ts.isArrayLiteralExpression(b) && b.elements.length === 0) || (ts.isObjectLiteralExpression(b) && b.properties.length === 0) ||
            ts.isNumericLiteral(b) || ts.isStringLiteralLike(b);
          if (!isFallback) return;
          fallback = b.getText(ctx.sourceFile);
        }
        if (p && ts.isIdentifier(p.name) && p.name.text !== '_' && !p.name.text.startsWith('_')) { /* unused named param: still swallowed */ }
      } else if (ts.isIdentifier(handler) && /^(noop|ignore|ignoreError|_\.noop|identity)$/.test(handler.text)) {
        fallback = undefined;
      } else return;
      ctx.report({
        node: callee.name,
        message: `.catch(${handler.getText(ctx.sourceFile).slice(0, 30)}) swallows the rejection${fallback ? ` and returns ${fallback}` : ''}: when it fails, nothing is logged. Log the error with context.`,
        fixes: promiseCatchFixes(call, handler, fallback, ctx),
      });
    },
  },
});

function catchFixes(clause: ts.CatchClause, name: string | undefined, empty: boolean, ctx: RuleContext): Fix[] {
  const sf = ctx.sourceFile;
  const logger = chooseLogger(ctx, clause) ?? consoleLogger();
  const errName = name ?? freeErrorName(clause);
  const label = `${contextName(clause, ctx)} failed`;
  const s = semi(ctx.style);
  const block = clause.block;
  const edits = [...logger.setup];
  if (!name) {
    // `catch {` → `catch (err) {`
    const kw = clause.getStart(sf);
    edits.push({ start: kw + 5, end: block.getStart(sf), newText: ` (${errName}) ` });
  }
  const logStmt = `${logCall(ctx, logger, 'error', label, errName)}${s}`;
  const blockStart = block.getStart(sf);
  const multiline = ctx.text.slice(blockStart, block.getEnd()).includes('\n');
  const outer = lineIndentAt(ctx.text, clause.getStart(sf));
  const inner = block.statements.length ? lineIndentAt(ctx.text, block.statements[0].getStart(sf)) : outer + ctx.style.indent;
  const eol = ctx.style.eol;
  const make = (lines: string[]): { start: number; end: number; newText: string } => {
    if (empty) {
      const body = multiline || lines.length > 1
        ? `{${eol}${lines.map((l) => inner + l).join(eol)}${eol}${outer}}`
        : `{ ${lines[0]} }`;
      return { start: blockStart, end: block.getEnd(), newText: body };
    }
    const first = block.statements[0];
    if (multiline) return { start: first.getStart(sf), end: first.getStart(sf), newText: lines.map((l) => `${l}${eol}${inner}`).join('') };
    return { start: first.getStart(sf), end: first.getStart(sf), newText: lines.map((l) => `${l} `).join('') };
  };
  const logTitle = `Log the error with ${logger.describe}`;
  const fixes: Fix[] = [{ title: empty ? `${logTitle} and continue` : logTitle, edits: [...edits, make([logStmt])], isPreferred: true, safe: true }];
  if (empty) fixes.push({ title: `${logTitle} and rethrow`, edits: [...edits, make([logStmt, `throw ${errName}${s}`])] });
  return fixes;
}

function promiseCatchFixes(call: ts.CallExpression, handler: ts.Expression, fallback: string | undefined, ctx: RuleContext): Fix[] {
  const logger = chooseLogger(ctx, call) ?? consoleLogger();
  const recv = (call.expression as ts.PropertyAccessExpression).expression;
  let label = recv.getText(ctx.sourceFile).replace(/\s+/g, ' ');
  if (ts.isCallExpression(skipOuter(recv))) label = (skipOuter(recv) as ts.CallExpression).expression.getText(ctx.sourceFile).replace(/\s+/g, ' ');
  if (label.length > 40) label = label.slice(0, 40);
  const log = logCall(ctx, logger, 'warn', `${label} failed`, 'err');
  const s = semi(ctx.style);
  // two statements on one line need a separator even in a semicolon-free file
  const replacement = fallback ? `(err) => { ${log}; return ${fallback}${s} }` : `(err) => ${log}`;
  return [{
    title: `Log the error with ${logger.describe}${fallback ? ` and keep the ${fallback} fallback` : ''}`,
    edits: [...logger.setup, { start: handler.getStart(ctx.sourceFile), end: handler.getEnd(), newText: replacement }],
    isPreferred: true,
    safe: true,
  }];
}
