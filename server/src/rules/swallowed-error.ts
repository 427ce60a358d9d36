/**
 * swallowed-error — an error caught and dropped around I/O: an empty catch, a catch that never
 * looks at its error, or `.catch(() => {})` / `.catch(() => null)` / `.catch(noop)` with no log.
 *
 * Before:  try { await pool.query(sql) } catch (err) {}
 * After:   try { await pool.query(sql) } catch (err) { logger.error({ err }, 'syncInventory failed'); }
 *
 * Before:  async function load() { try { return await api.get(url) } catch {} }
 * After:   async function load() { try { return await api.get(url) } catch (err) { logger.error({ err }, 'load failed'); throw err; } }
 *          (the function returned a value and would now return undefined: rethrow is preferred)
 *
 * Before:  const user = await getUser(id).catch(() => null);
 * After:   const user = await getUser(id).catch((err) => { logger.warn({ err }, 'getUser failed'); return null; });
 *
 * Deliberate silence stays silent: a comment explaining it (not a TODO), `catch (_err)` /
 * `.catch((_) => …)`, best-effort cleanup (`try { await conn.close() } catch {}`), existence
 * probes (`try { await fs.access(p); return true } catch { return false }`), try blocks without
 * I/O (parsing, `JSON.parse`), catches that rethrow, log, report or pass the error on (`next(err)`,
 * `reject(err)`), promise `.catch` on schemas (zod's `.catch(() => 0)`), and code that runs in a
 * browser page (`page.evaluate(() => …)`). Issue 14: probes answering true/false (`healthCheck`,
 * `isReady`, `commandExists`), `assert…` guards whose rejection is the answer, catches returning a
 * failure value (`{ success: false }`), polls whose give-up is reported after the loop, teardown
 * functions, and held promises whose own chain already handles the failure.
 */
import ts = require('typescript');
import { createRule, type Fix, type RuleContextV2 } from '../engine/types';
import { rootIdentifier, skipOuter } from '../engine/facts';
import { enclosingFunction, functionName, lineIndentAt, isFunctionLike, inPageFunction, nearestFunctionName } from '../engine/ast';
import { externalCall } from '../engine/calls';
import { chooseLogger, consoleLogger, logCall } from '../fixes/logger';
import { namesLoggerModule } from '../fixes/logCall';
import { semi } from '../engine/style';
import { KNOWLEDGE, PAGE_OBJECTS, modulesWithRole } from '../knowledge';

type MessageIds = 'emptyCatch' | 'unusedCatch' | 'unboundCatch' | 'swallowedRejection';
type Ctx = RuleContextV2<MessageIds>;

const CLEANUP = /^(unlink|unlinkSync|rm|rmSync|rmdir|rmdirSync|close|closeSync|destroy|kill|release|end|abort|removeListener|off|clearTimeout|clearInterval|disconnect|quit|unref|delete|cancel|dispose|removeItem|terminate|stop|unsubscribe)$/;
/** Calls whose failure is the answer: "does it exist?" */
const PROBES = /^(access|accessSync|stat|statSync|lstat|lstatSync|exists|existsSync|which|whichSync|lookpath)$|[a-z]Exists(Sync)?$/;
/** Functions whose answer is whether something works or exists (`healthCheck`, `isReady`, `checkSitemap`, `ping`): a failure is the answer. */
const PROBE_FUNCTIONS = /^(is|has|can|check|probe|ping|verify)(?![a-z])|^ping$|health|Exists$|^exists|[a-z]Available$|[a-z]Reachable$/;
/** Guards whose rejection is the answer (`await assertPublicHostname(h)`): the catch takes the refusal. */
const GUARDS = /^assert(?![a-z])/;
/** Functions that tear something down: awaiting a pending promise there only waits for it to settle. */
const CLEANUP_FUNCTIONS = /^(destroy|close|shutdown|dispose|teardown|tearDown|cleanup|cleanUp|disconnect|terminate|stop|release|unmount)(?![a-z])/;
/** `.catch` after these is a best-effort wait or cleanup, not lost work. */
const BEST_EFFORT = /^(wait|waitFor|sleep|delay)/;
/** Writes to a cache: failing costs a later miss, not lost work (`cache.set(k, v).catch(() => {})`). */
const CACHE_WRITES = /^(set|setex|setEx|psetex|pSetEx|mset|expire|pexpire|del|unlink|hset|hdel)$/;
const NOOP_HANDLERS = /^(noop|ignore|ignoreError|identity)$/;
/** Reading a response body: failing to parse an (error) body is not a lost failure. */
const BODY_READS = /^(json|text|blob|arrayBuffer|formData)$/;
/** Awaiting these is waiting, not I/O. */
const SLEEPS = /^(sleep|delay|wait|waitForTimeout|setTimeout|setImmediate)$/;
/** Browser automation (knowledge): a page interaction that fails is the page's answer, not a dependency outage. */
const AUTOMATION_MODULES = new Set(modulesWithRole('browser-automation'));
/** Modules whose `.catch(fn)` is not a promise's: schema fallbacks (knowledge: validators with schemaCatch). */
const SCHEMA_MODULES = new Set(KNOWLEDGE.librariesWithRole('validator').filter((r) => r.validator?.schemaCatch).flatMap((r) => r.modules));
/** Reads of optional files and modules: a catch that falls back to a default answers "not there". */
const OPTIONAL_READS = /^(readFile|readFileSync|readdir|readdirSync|readJson|readJSON|readJsonSync|readJSONSync|resolve|require)$/;
/** Lookups whose failure means "not there yet"… */
const LOOKUPS = /^(get|head|stat|access|describe|find|fetch|read|exists|lookup|load|open|check)/i;
/** …and creations a catch makes in answer: "ensure it exists". */
const CREATES = /^(create|mkdir|make|init|insert|upsert|put|write|add|ensure|provision|register)/i;
/** A comment that only says the block is empty, or only that the error is ignored, gives no reason. */
const EMPTY_MARKER = /^(empty|nothing|nothing to do|do nothing|intentionally empty|ignored?|ignore (it|this|that|errors?|the errors?)|swallow(ed)?|no-?op)[.!]?$/i;
const FALLBACK_VALUES = new Set([ts.SyntaxKind.NullKeyword, ts.SyntaxKind.FalseKeyword, ts.SyntaxKind.TrueKeyword, ts.SyntaxKind.UndefinedKeyword]);
const TODO = /\b(TODO|FIXME|XXX|HACK)\b/;
/** Tool directives and markers naming this rule are not reasons (a suppression says `-- why`). */
const DIRECTIVE = /^(eslint|@ts-|prettier-ignore|istanbul|c8 |v8 |tslint|jshint|biome-ignore|noinspection|NOSONAR)|swallowed-error/;

/** Words of a comment above a `.catch(() => {})` line that speak about the failure. */
const ABOUT_FAILURE = /ignor|best[- ]?effort|fire[- ]and[- ]forget|don'?t care|not critical|optional|swallow|suppress|fail|error|expected|reject|safe to|noop|no-op/i;

/**
 * A comment that explains a decision: not a TODO, not commented-out code (`// console.log(err)`
 * is a removed log, not a reason), and when `about` is given, one that speaks of the failure.
 */
function explains(text: string, ranges: readonly ts.CommentRange[] | undefined, about?: RegExp): boolean {
  return !!ranges?.some((r) => {
    const body = text.slice(r.pos, r.end).replace(/^\/[/*]|\*\/$/g, '').replace(/^[ \t]*\*/gm, '').trim();
    if (!body || TODO.test(body) || DIRECTIVE.test(body) || EMPTY_MARKER.test(body) || /^[\w$.]+\(.*\)\s*;?$/.test(body)) return false;
    return !about || about.test(body);
  });
}

/** Comments inside a block (between its braces), or trailing it on the same line. */
function blockHasExplanation(text: string, block: ts.Block): boolean {
  const inner: ts.CommentRange[] = [];
  // comments before each statement, and after the last one (before the closing brace)
  for (const st of block.statements) inner.push(...(ts.getLeadingCommentRanges(text, st.pos) ?? []), ...(ts.getTrailingCommentRanges(text, st.end) ?? []));
  const closing = block.getEnd() - 1;
  inner.push(...(ts.getLeadingCommentRanges(text, block.statements.length ? block.statements[block.statements.length - 1].end : block.getStart() + 1) ?? []).filter((r) => r.end <= closing));
  return explains(text, inner) || explains(text, ts.getTrailingCommentRanges(text, block.getEnd()));
}

/** The callee name of a call, e.g. `unlink` for `fs.promises.unlink(p)`. */
function calleeName(call: ts.CallExpression): string {
  const c = call.expression;
  return ts.isPropertyAccessExpression(c) ? c.name.text : ts.isIdentifier(c) ? c.text : '';
}

function awaitedCall(e: ts.Expression): ts.CallExpression | undefined {
  let x = skipOuter(e);
  if (ts.isAwaitExpression(x)) x = skipOuter(x.expression);
  return ts.isCallExpression(x) ? x : undefined;
}

/** Just past the `)` between `from` and `to` (the end of `catch (e)`), else `from`. */
function closingParen(text: string, from: number, to: number): number {
  const i = text.indexOf(')', from);
  return i >= 0 && i < to ? i + 1 : from;
}

/** The object a call chain starts from: `page` for `page.locator(s).click()`, `currentPage` for `this.currentPage.goto()`. */
function receiverRoot(e: ts.Expression): string | undefined {
  let x = skipOuter(e);
  for (;;) {
    if (ts.isCallExpression(x)) x = skipOuter(x.expression);
    else if (ts.isPropertyAccessExpression(x) || ts.isElementAccessExpression(x)) {
      const base = skipOuter(x.expression);
      if (base.kind === ts.SyntaxKind.ThisKeyword) return ts.isPropertyAccessExpression(x) ? x.name.text : undefined;
      x = base;
    } else return ts.isIdentifier(x) ? x.text : undefined;
  }
}

/** What the checks need of the file, computed once per file in the rule's closure. */
interface FileScope {
  ctx: Ctx;
  /** The file imports a browser-automation library. */
  automation(): boolean;
  /** Receivers that are the project's logger here (view.logger's bindings, request loggers). */
  loggers: ReadonlySet<string>;
}

/** A call on a Playwright/Puppeteer page, frame or element, in a file that uses one. */
function isPageCall(call: ts.CallExpression, scope: FileScope): boolean {
  const root = receiverRoot(call.expression);
  return !!root && ts.isPropertyAccessExpression(call.expression) && PAGE_OBJECTS.test(root) && scope.automation();
}

/** An awaited expression that is not I/O: a probe, a sleep, a page interaction (and `Promise.all` of those). */
function awaitsNoIo(e: ts.Expression, scope: FileScope): boolean {
  const x = skipOuter(e);
  if (ts.isNewExpression(x) && ts.isIdentifier(x.expression) && x.expression.text === 'Promise') {
    // new Promise((r) => setTimeout(r, ms))
    const exec = x.arguments?.[0] && skipOuter(x.arguments[0]);
    const body = exec && (ts.isArrowFunction(exec) || ts.isFunctionExpression(exec)) ? exec.body : undefined;
    const only = body && (ts.isBlock(body) ? (body.statements.length === 1 && ts.isExpressionStatement(body.statements[0]) ? body.statements[0].expression : undefined) : body);
    return !!only && ts.isCallExpression(skipOuter(only)) && SLEEPS.test(calleeName(skipOuter(only) as ts.CallExpression));
  }
  if (!ts.isCallExpression(x)) return false;
  const name = calleeName(x);
  if (PROBES.test(name) || SLEEPS.test(name) || isPageCall(x, scope) || (BODY_READS.test(name) && x.arguments.length === 0)) return true;
  if (ts.isPropertyAccessExpression(x.expression) && ts.isIdentifier(x.expression.expression) && x.expression.expression.text === 'Promise' &&
    x.arguments.length === 1 && ts.isArrayLiteralExpression(x.arguments[0])) {
    const items = x.arguments[0].elements;
    return items.length > 0 && items.every((i) => !ts.isSpreadElement(i) && awaitsNoIo(i, scope));
  }
  return false;
}

/** Does the try block do I/O: an await, or a call on a known external client? Existence probes, sleeps and page interactions do not count. Bounded walk. */
function tryDoesIo(tryBlock: ts.Block, scope: FileScope, skip: RegExp = PROBES): boolean {
  const ctx = scope.ctx;
  let found = false;
  let budget = 2000;
  const visit = (n: ts.Node): void => {
    if (found || --budget < 0) return;
    if (isFunctionLike(n)) return;
    if (ts.isAwaitExpression(n) && !awaitsNoIo(n.expression, scope) && !(ts.isCallExpression(skipOuter(n.expression)) && skip.test(calleeName(skipOuter(n.expression) as ts.CallExpression)))) { found = true; return; }
    if (ts.isForOfStatement(n) && n.awaitModifier) { found = true; return; }
    if (ts.isCallExpression(n) && !PROBES.test(calleeName(n)) && !skip.test(calleeName(n)) && externalCall(n, ctx.facts, ctx.project, ctx.config.externalModules)) { found = true; return; }
    ts.forEachChild(n, visit);
  };
  visit(tryBlock);
  return found || budget < 0;
}

/** `try { fs.unlinkSync(tmp) } catch {}`, `try { await page.waitForNavigation() } catch {}`: a single best-effort call. */
function isCleanup(tryBlock: ts.Block): boolean {
  // one best-effort call, or a run of cleanup calls (`await page.close(); await browser.close();`)
  if (tryBlock.statements.length === 0) return false;
  return tryBlock.statements.every((st) => {
    const call = ts.isExpressionStatement(st) ? awaitedCall(st.expression) : undefined;
    return !!call && (CLEANUP.test(calleeName(call)) || (tryBlock.statements.length === 1 && BEST_EFFORT.test(calleeName(call))));
  });
}

/** The catch only falls back: empty, or `return <value>` / `x = <value>` statements that do not call anything. */
function onlyFallsBack(block: ts.Block): boolean {
  return block.statements.every((st) => {
    const e = ts.isReturnStatement(st) ? st.expression : ts.isExpressionStatement(st) && ts.isBinaryExpression(st.expression) && st.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken ? st.expression.right : null;
    if (e === null) return false;
    let calls = false;
    const visit = (n: ts.Node): void => { if (calls || isFunctionLike(n)) return; if (ts.isCallExpression(n) || ts.isNewExpression(n) || ts.isAwaitExpression(n)) { calls = true; return; } ts.forEachChild(n, visit); };
    if (e) visit(e);
    return !calls;
  });
}

/** The catch only falls back to literal values (`return false`, `ok = false`, `return { a: null }`), and to a boolean when `booleans`. */
function fallsBackToLiteral(block: ts.Block, booleans: boolean): boolean {
  if (block.statements.length === 0 || !onlyFallsBack(block)) return false;
  return block.statements.every((st) => {
    const e = ts.isReturnStatement(st) ? st.expression : ts.isExpressionStatement(st) && ts.isBinaryExpression(st.expression) ? st.expression.right : undefined;
    const v = e && skipOuter(e);
    if (!v) return !booleans;
    return booleans ? v.kind === ts.SyntaxKind.TrueKeyword || v.kind === ts.SyntaxKind.FalseKeyword : true;
  });
}

/** The names of the calls awaited in `node` (not inside nested functions). */
function awaitedNames(node: ts.Node): string[] {
  const names: string[] = [];
  const visit = (n: ts.Node): void => {
    if (isFunctionLike(n)) return;
    if (ts.isAwaitExpression(n)) { const c = awaitedCall(n); if (c) names.push(calleeName(c)); }
    ts.forEachChild(n, visit);
  };
  visit(node);
  return names;
}

/**
 * A probe whose failure is the answer: a function that answers whether something works or exists
 * (`healthCheck`, `isReady`, `checkSitemap`) falling back to a boolean, a try that only awaits such
 * probes (`ok = await this.healthCheck()`), or a guard whose rejection is the answer
 * (`try { addr = await assertPublicHost(h) } catch { return null }`).
 */
function isAnswerProbe(clause: ts.CatchClause, tryBlock: ts.Block): boolean {
  const block = clause.block;
  const fn = enclosingFunction(clause);
  const name = fn && (functionName(fn) ?? nearestFunctionName(fn));
  if (name && PROBE_FUNCTIONS.test(name) && fallsBackToLiteral(block, true)) return true;
  if (!fallsBackToLiteral(block, false)) return false;
  const awaited = awaitedNames(tryBlock);
  if (awaited.length > 0 && awaited.every((n) => PROBE_FUNCTIONS.test(n))) return true;
  return tryBlock.statements.length === 1 && awaited.length === 1 && GUARDS.test(awaited[0]);
}

/** The function around `node` tears something down (`destroy()`, `close()`, `shutdown()`). */
function inCleanupFunction(node: ts.Node): boolean {
  const fn = enclosingFunction(node);
  const name = fn && functionName(fn);
  return !!name && CLEANUP_FUNCTIONS.test(name);
}

/** `await x`/`setTimeout`-promise/`sleep(ms)` in the catch: the failure path waits to try again. */
function waitsToRetry(block: ts.Block, scope: FileScope): boolean {
  return block.statements.some((st) => {
    if (!ts.isExpressionStatement(st) || !ts.isAwaitExpression(skipOuter(st.expression))) return false;
    const e = skipOuter((skipOuter(st.expression) as ts.AwaitExpression).expression);
    return (ts.isCallExpression(e) && SLEEPS.test(calleeName(e))) || (ts.isNewExpression(e) && awaitsNoIo(e, scope));
  });
}

/**
 * A poll or retry: the try statement is a statement of a loop body, the catch waits before the
 * next attempt (without leaving), and the statement after the loop reports the give-up
 * (`throw new Error('timed out')`). Whether the retry backs off is unbounded-retry's question.
 */
function isRetryPoll(clause: ts.CatchClause, scope: FileScope): boolean {
  const tryStmt = clause.parent as ts.TryStatement;
  const body = tryStmt.parent;
  const loop = body && ts.isBlock(body) ? body.parent : body;
  if (!loop || !(ts.isWhileStatement(loop) || ts.isDoStatement(loop) || ts.isForStatement(loop))) return false;
  if (clause.block.statements.some((st) => ts.isReturnStatement(st))) return false;
  // the give-up is reported right after the loop: `throw new Error('timed out')` / `return Err(…)`
  const outer = loop.parent;
  const next = outer && ts.isBlock(outer) ? outer.statements[outer.statements.indexOf(loop as ts.Statement) + 1] : undefined;
  const reports = !!next && (ts.isThrowStatement(next) || (ts.isReturnStatement(next) && !!next.expression && ts.isCallExpression(skipOuter(next.expression))));
  return reports && waitsToRetry(clause.block, scope);
}

/** The catch returns a failure value to its caller: `{ success: false, … }`, `{ ok: false }`, `{ error: new AppError(…) }`. */
function returnsFailureValue(block: ts.Block): boolean {
  return block.statements.some((st) => {
    const e = ts.isReturnStatement(st) && st.expression ? skipOuter(st.expression) : undefined;
    return !!e && ts.isObjectLiteralExpression(e) && e.properties.some((p) => {
      if (ts.isShorthandPropertyAssignment(p)) return /^(error|err)$/.test(p.name.text);
      if (!ts.isPropertyAssignment(p) || !(ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))) return false;
      const v = skipOuter(p.initializer);
      if (/^(success|ok)$/.test(p.name.text)) return v.kind === ts.SyntaxKind.FalseKeyword;
      return /^(error|err)$/.test(p.name.text) && v.kind !== ts.SyntaxKind.NullKeyword && !(ts.isIdentifier(v) && v.text === 'undefined');
    });
  });
}

/**
 * `.catch(…)` on a promise held in a variable whose own chain already handles its failure
 * (`const started = start().then(…).catch((err) => logger.error(…))`): waiting for it to settle
 * loses nothing.
 */
function heldPromiseHandled(recv: ts.Expression, sf: ts.SourceFile): boolean {
  const x = skipOuter(recv);
  if (!ts.isIdentifier(x)) return false;
  let handled = false;
  const chainCatches = (e: ts.Expression): boolean => {
    let c = skipOuter(e);
    while (ts.isCallExpression(c) && ts.isPropertyAccessExpression(c.expression)) {
      if (c.expression.name.text === 'catch') return true;
      c = skipOuter(c.expression.expression);
    }
    return false;
  };
  let budget = 20000;
  const visit = (n: ts.Node): void => {
    if (handled || --budget < 0) return;
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.name.text === x.text && n.initializer && chainCatches(n.initializer)) { handled = true; return; }
    if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(n.left) && n.left.text === x.text && chainCatches(n.right)) { handled = true; return; }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return handled;
}

/** Names of the calls in `node` (not inside nested functions). */
function callNames(node: ts.Node): string[] {
  const names: string[] = [];
  const visit = (n: ts.Node): void => { if (isFunctionLike(n)) return; if (ts.isCallExpression(n)) names.push(calleeName(n)); ts.forEachChild(n, visit); };
  visit(node);
  return names;
}

/**
 * Probes where failure is the answer: an optional file or module read whose catch falls back to a
 * default, and "ensure it exists" code whose try looks the thing up and whose catch creates it.
 */
function isProbe(tryBlock: ts.Block, block: ts.Block, scope: FileScope): boolean {
  if (onlyFallsBack(block) && !tryDoesIo(tryBlock, scope, OPTIONAL_READS) && callNames(tryBlock).some((n) => OPTIONAL_READS.test(n))) return true;
  return block.statements.length > 0 && callNames(tryBlock).some((n) => LOOKUPS.test(n)) && callNames(block).some((n) => CREATES.test(n));
}

/**
 * The try statement sits in another catch or a finally block: best-effort cleanup while a failure
 * is already being handled (`finally { try { await tmp.remove() } catch {} }`).
 */
function inFailureHandling(clause: ts.CatchClause): boolean {
  let child: ts.Node = clause.parent;
  for (let p = child.parent; p && !isFunctionLike(p); child = p, p = p.parent) {
    if (ts.isCatchClause(p)) return true;
    if (ts.isTryStatement(p) && p.finallyBlock === child) return true;
  }
  return false;
}

/** Does the catch body hand the failure on or record it? throw, a log/report call, next/reject/done/cb. */
function handlesFailure(block: ts.Block, loggers: ReadonlySet<string> = new Set()): boolean {
  let handled = false;
  const visit = (n: ts.Node): void => {
    if (handled || isFunctionLike(n)) return;
    if (ts.isThrowStatement(n)) { handled = true; return; }
    if (ts.isCallExpression(n)) {
      const c = n.expression;
      const name = calleeName(n);
      const recv = ts.isPropertyAccessExpression(c) ? c.expression.getText() : '';
      if (/^(next|reject|done|cb|callback|fail|captureException|captureError|notify|report|reportError|track|emit)$/.test(name)) { handled = true; return; }
      // a Result/Either failure value: the caller gets the failure (hoppscotch: return E.left(USER_HISTORY_NOT_FOUND); neverthrow: err(e))
      if (/^(left|Left|err|Err)$/.test(name) && ts.isReturnStatement(n.parent)) { handled = true; return; }
      if (/^(error|warn|warning|fatal|critical|alert|emerg|notice|info|log|debug|trace|verbose|exception)$/.test(name) && /log|console|sentry|logger|rollbar|bugsnag/i.test(recv)) { handled = true; return; }
      // the project's logger under any name (ctx.view.logger: `audit.warning('…')`, `req.log.error(…)`)
      if (recv && loggers.has(recv)) { handled = true; return; }
      // the project's own log helpers: log(), this.log(), debugLog(), logError(), logger()
      if (/^(log|logger)$|^(log|debug|warn|error)[A-Z]|[a-z]Log$/.test(name)) { handled = true; return; }
    }
    ts.forEachChild(n, visit);
  };
  visit(block);
  return handled;
}

function usesName(node: ts.Node, name: string): boolean {
  let used = false;
  const visit = (n: ts.Node): void => {
    if (used) return;
    // `err.message` reads it, `{ error: 'Failed' }` does not (a key), `{ error }` does (shorthand)
    if (ts.isIdentifier(n) && n.text === name && !(ts.isPropertyAccessExpression(n.parent) && n.parent.name === n) &&
      !((ts.isPropertyAssignment(n.parent) || ts.isMethodDeclaration(n.parent) || ts.isPropertyDeclaration(n.parent)) && n.parent.name === n)) { used = true; return; }
    ts.forEachChild(n, visit);
  };
  visit(node);
  return used;
}

function contextName(node: ts.Node, ctx: Ctx): string {
  const fn = enclosingFunction(node);
  const named = fn && functionName(fn);
  if (named) return named;
  // an inline route handler: app.post('/orders', async (req, res) => …) → "POST /orders"
  const call = fn?.parent;
  if (call && ts.isCallExpression(call) && ts.isPropertyAccessExpression(call.expression) &&
    /^(get|post|put|patch|delete|all)$/.test(call.expression.name.text) && call.arguments[0] && ts.isStringLiteralLike(call.arguments[0])) {
    return `${call.expression.name.text.toUpperCase()} ${call.arguments[0].text}`;
  }
  const outer = fn && nearestFunctionName(fn);
  if (outer) return outer;
  return ctx.fileName.replace(/\\/g, '/').split('/').pop()!.replace(/\.[^.]+$/, '');
}

/** Names declared directly in a block or as parameters/catch bindings on the way up. */
function namesInScope(clause: ts.CatchClause): Set<string> {
  const taken = new Set<string>();
  for (let p: ts.Node | undefined = clause.parent; p; p = p.parent) {
    if (ts.isCatchClause(p) && p.variableDeclaration && ts.isIdentifier(p.variableDeclaration.name)) taken.add(p.variableDeclaration.name.text);
    if (isFunctionLike(p)) for (const prm of p.parameters) if (ts.isIdentifier(prm.name)) taken.add(prm.name.text);
    if (ts.isBlock(p) || ts.isSourceFile(p)) {
      for (const st of p.statements) {
        if (ts.isVariableStatement(st)) for (const d of st.declarationList.declarations) if (ts.isIdentifier(d.name)) taken.add(d.name.text);
      }
    }
  }
  return taken;
}

function freeErrorName(clause: ts.CatchClause): string {
  const taken = namesInScope(clause);
  for (const n of ['err', 'error', 'caughtError', 'caughtError2']) if (!taken.has(n) && !usesName(clause.block, n)) return n;
  return 'caughtError3';
}

/**
 * An empty catch with no sensible fallback: the try block returns a value and nothing follows the
 * try statement in the function, so a failure silently becomes `undefined` for the caller.
 */
function fallsThroughToUndefined(clause: ts.CatchClause): boolean {
  const tryStmt = clause.parent as ts.TryStatement;
  if (tryStmt.finallyBlock) return false;
  const body = tryStmt.parent;
  const fn = body?.parent;
  if (!body || !ts.isBlock(body) || !fn || !isFunctionLike(fn) || fn.body !== body) return false;
  if (body.statements[body.statements.length - 1] !== tryStmt) return false;
  let returns = false;
  const visit = (n: ts.Node): void => {
    if (returns || isFunctionLike(n)) return;
    if (ts.isReturnStatement(n) && n.expression) { returns = true; return; }
    ts.forEachChild(n, visit);
  };
  visit(tryStmt.tryBlock);
  return returns;
}

/** `.catch` on a zod/yup schema, after a wait/cleanup call, a page interaction or a response body read. */
function notALostPromise(call: ts.CallExpression, scope: FileScope): boolean {
  const ctx = scope.ctx;
  const recv = skipOuter((call.expression as ts.PropertyAccessExpression).expression);
  const root = rootIdentifier(recv);
  if (root && SCHEMA_MODULES.has(ctx.facts.bindings.get(root)?.module ?? '')) return true;
  let base: ts.Expression = recv;
  while (ts.isCallExpression(base) && ts.isPropertyAccessExpression(base.expression) && /^(then|finally)$/.test(base.expression.name.text)) base = skipOuter(base.expression.expression);
  if (ts.isCallExpression(base) && BODY_READS.test(calleeName(base)) && base.arguments.length === 0) return true;
  if (ts.isCallExpression(recv)) {
    const name = calleeName(recv);
    if (CLEANUP.test(name) || BEST_EFFORT.test(name) || isPageCall(recv, scope)) return true;
    // a write-behind cache write: `getRedisCache().setex(key, ttl, v).catch(() => {})` (issue 14)
    if (CACHE_WRITES.test(name) && ts.isPropertyAccessExpression(recv.expression) && /cache/i.test(recv.expression.expression.getText(scope.ctx.sourceFile))) return true;
    // `.then(() => true).catch(() => false)`: an existence probe answering yes or no
    if (name === 'then' && recv.arguments.length === 1) {
      const h = skipOuter(recv.arguments[0]);
      if ((ts.isArrowFunction(h) && h.body.kind === ts.SyntaxKind.TrueKeyword)) return true;
    }
  }
  return false;
}

/** The statement holding `node` (for leading/trailing comments of a `.catch(() => {})` line). */
function statementOf(node: ts.Node): ts.Node {
  let n = node;
  while (n.parent && !ts.isBlock(n.parent) && !ts.isSourceFile(n.parent) && !isFunctionLike(n.parent) && !ts.isCaseClause(n.parent)) n = n.parent;
  return n;
}

/** Receivers that are the project's logger in this file: its bindings of view.logger's module, the factory's binding, request loggers. */
function projectLoggerNames(ctx: Ctx): Set<string> {
  const names = new Set<string>(ctx.view.requestLoggers);
  const l = ctx.view.logger;
  if (!l) return names;
  for (const b of ctx.facts.bindings.values()) if (namesLoggerModule(ctx, l, b.module)) names.add(b.local);
  if (l.factory) names.add(l.factory.binding);
  return names;
}

export const swallowedError = createRule({
  meta: {
    id: 'swallowed-error',
    checklist: 'understand',
    severity: 'info',
    summary: 'An error caught and dropped leaves no trace: the request fails or returns wrong data and nobody can tell why.',
    fixable: true,
    fileKinds: ['server'],
    messages: {
      emptyCatch: 'This empty catch drops the error: when the I/O in the try block fails, nothing is logged and nobody can tell why. Log it with context, and rethrow if there is no sensible fallback.',
      unusedCatch: 'The catch never looks at `{{name}}`: when the I/O in the try block fails, nothing is logged and nobody can tell why. Log it with context.',
      unboundCatch: 'This catch has no error binding: when the I/O in the try block fails, nothing is logged and nobody can tell why. Log it with context.',
      swallowedRejection: '.catch({{handler}}) swallows the rejection{{fallback}}: when it fails, nothing is logged. Log the error with context.',
    },
  },
  defaultOptions: {},
  create(ctx) {
    let automation: boolean | undefined;
    const scope: FileScope = {
      ctx,
      automation: () => (automation ??= [...ctx.facts.bindings.values()].some((b) => AUTOMATION_MODULES.has(b.module))),
      loggers: projectLoggerNames(ctx),
    };
    return {
      CatchClause(clause) {
        const block = clause.block;
        const decl = clause.variableDeclaration;
        const name = decl && ts.isIdentifier(decl.name) ? decl.name.text : undefined;
        if (decl && !name) return; // destructured: the error is used
        if (name && name.startsWith('_')) return; // `catch (_err)`: ignoring it is the declared intent
        if (blockHasExplanation(ctx.text, block)) return;
        const tryBlock = (clause.parent as ts.TryStatement).tryBlock;
        const empty = block.statements.length === 0;
        if (empty && (isCleanup(tryBlock) || inFailureHandling(clause))) return;
        if (!empty && ((name && usesName(block, name)) || handlesFailure(block, scope.loggers) || returnsFailureValue(block))) return;
        if (!tryDoesIo(tryBlock, scope) || inPageFunction(clause) || isProbe(tryBlock, block, scope)) return;
        // failure is the answer (health checks, existence checks, guards), a poll that waits and tries again, cleanup (issue 14)
        if (isAnswerProbe(clause, tryBlock) || isRetryPoll(clause, scope) || (empty && inCleanupFunction(clause))) return;
        ctx.report({
          start: clause.getStart(ctx.sourceFile),
          // through the `)` of `catch (e)`, where there is one (a file cut short has none)
          end: decl ? closingParen(ctx.text, decl.getEnd(), block.getStart(ctx.sourceFile)) : clause.getStart(ctx.sourceFile) + 5,
          ...(empty ? { messageId: 'emptyCatch' as const } : name ? { messageId: 'unusedCatch' as const, data: { name } } : { messageId: 'unboundCatch' as const }),
          fix: () => catchFixes(clause, name, empty, ctx),
        });
      },
      CallExpression(call) {
        const callee = call.expression;
        if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'catch' || call.arguments.length !== 1) return;
        const handler = skipOuter(call.arguments[0]);
        let fallback: string | undefined;
        if (ts.isArrowFunction(handler) || ts.isFunctionExpression(handler)) {
          const p = handler.parameters[0];
          if (p && (!ts.isIdentifier(p.name) || p.name.text.startsWith('_') || usesName(handler.body, p.name.text))) return;
          const body = handler.body;
          if (ts.isBlock(body)) {
            if (body.statements.length > 0 || blockHasExplanation(ctx.text, body)) return;
          } else {
            const b = skipOuter(body);
            const isFallback = FALLBACK_VALUES.has(b.kind) || (ts.isIdentifier(b) && b.text === 'undefined') ||
              (ts.isArrayLiteralExpression(b) && b.elements.length === 0) || (ts.isObjectLiteralExpression(b) && b.properties.length === 0) ||
              ts.isNumericLiteral(b) || ts.isStringLiteralLike(b);
            if (!isFallback) return;
            fallback = b.getText(ctx.sourceFile);
          }
        } else if (!(ts.isIdentifier(handler) && NOOP_HANDLERS.test(handler.text)) && !(ts.isPropertyAccessExpression(handler) && handler.name.text === 'noop')) {
          return;
        }
        if (notALostPromise(call, scope) || inPageFunction(call)) return;
        // waiting in a teardown for a promise to settle, or for one whose chain already handles its failure (issue 14)
        const recv = (callee as ts.PropertyAccessExpression).expression;
        if ((!ts.isCallExpression(skipOuter(recv)) && inCleanupFunction(call)) || heldPromiseHandled(recv, ctx.sourceFile)) return;
        const st = statementOf(call);
        if (explains(ctx.text, ts.getLeadingCommentRanges(ctx.text, st.pos), ABOUT_FAILURE) || explains(ctx.text, ts.getTrailingCommentRanges(ctx.text, st.end))) return;
        ctx.report({
          node: callee.name,
          messageId: 'swallowedRejection',
          data: { handler: handler.getText(ctx.sourceFile).slice(0, 30), fallback: fallback ? ` and returns ${fallback}` : '' },
          fix: () => promiseCatchFixes(call, handler, fallback, ctx),
        });
      },
    };
  },
});

function catchFixes(clause: ts.CatchClause, name: string | undefined, empty: boolean, ctx: Ctx): Fix[] {
  const sf = ctx.sourceFile;
  const logger = chooseLogger(ctx, clause) ?? consoleLogger(ctx);
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
    const at = first.getStart(sf);
    // without semicolons (ASI style) a statement before another needs one: always on the same line
    // (`log() await x()` does not parse), and on its own line when the next one starts with ( [ ` + - /
    const asiHazard = !multiline || /^[([`+\-/]/.test(ctx.text.charAt(at));
    const ended = (l: string) => (asiHazard && !l.endsWith(';') ? `${l};` : l);
    if (multiline) return { start: at, end: at, newText: lines.map((l) => `${ended(l)}${eol}${inner}`).join('') };
    return { start: at, end: at, newText: lines.map((l) => `${ended(l)} `).join('') };
  };
  const logTitle = `Log the error with ${logger.describe}`;
  // a guessed argument order is for a person to confirm, not for fix-all
  const safe = !logger.assumed;
  if (!empty) return [{ title: logTitle, edits: [...edits, make([logStmt])], isPreferred: true, safe }];
  const cont: Fix = { title: `${logTitle} and continue`, edits: [...edits, make([logStmt])], safe };
  const rethrow: Fix = { title: `${logTitle} and rethrow`, edits: [...edits, make([logStmt, `throw ${errName}${s}`])] };
  if (fallsThroughToUndefined(clause)) {
    // the caller would get undefined instead of the value: rethrowing is the honest default
    // (not `safe`: callers now see the error, so fix-all leaves it to a person)
    rethrow.title = `${logTitle} and rethrow (the function would return undefined)`;
    return [{ ...rethrow, isPreferred: true }, cont];
  }
  return [{ ...cont, isPreferred: true }, rethrow];
}

/**
 * The operation the promise stands for, from the code's names (never a cut source snippet):
 * `getUser` for `getUser(id).then(f)`, `user.findMany` for `this.prisma.user.findMany(…)`, else
 * the function around it.
 */
function promiseLabel(recv: ts.Expression, ctx: Ctx): string {
  let x = skipOuter(recv);
  while (ts.isCallExpression(x) && ts.isPropertyAccessExpression(x.expression) && /^(then|finally)$/.test(x.expression.name.text)) x = skipOuter(x.expression.expression);
  const names: string[] = [];
  let c: ts.Expression = ts.isCallExpression(x) ? skipOuter(x.expression) : x;
  while (ts.isPropertyAccessExpression(c) && names.length < 2) { names.unshift(c.name.text); c = skipOuter(c.expression); }
  if (ts.isIdentifier(c) && names.length < 2) names.unshift(c.text);
  return names.length ? names.join('.') : contextName(recv, ctx);
}

function promiseCatchFixes(call: ts.CallExpression, handler: ts.Expression, fallback: string | undefined, ctx: Ctx): Fix[] {
  const logger = chooseLogger(ctx, call) ?? consoleLogger(ctx);
  const label = promiseLabel((call.expression as ts.PropertyAccessExpression).expression, ctx);
  const log = logCall(ctx, logger, 'warn', `${label} failed`, 'err');
  const s = semi(ctx.style);
  // two statements on one line need a separator even in a semicolon-free file
  const replacement = fallback ? `(err) => { ${log}; return ${fallback}${s} }` : `(err) => ${log}`;
  const describe = logger.structured ? logger.describe : logger.describe.replace(/^console\.error/, 'console.warn');
  return [{
    title: `Log the error with ${describe}${fallback ? ` and keep the ${fallback} fallback` : ''}`,
    edits: [...logger.setup, { start: handler.getStart(ctx.sourceFile), end: handler.getEnd(), newText: replacement }],
    isPreferred: true,
    safe: !logger.assumed,
  }];
}
