/**
 * unbounded-retry — retries that never give up, or that retry with no delay or a fixed delay.
 *
 * Before:  while (true) {
 *            try {
 *              return await fetchRates();
 *            } catch (err) {
 *              logger.warn({ err }, 'rates failed, retrying');
 *              await sleep(1000);
 *            }
 *          }
 * After:   for (let attempt = 1; ; attempt++) {
 *            try {
 *              return await fetchRates();
 *            } catch (err) {
 *              if (attempt >= 5) throw err;
 *              logger.warn({ err }, 'rates failed, retrying');
 *              await sleep(Math.random() * Math.min(30000, 1000 * 2 ** attempt));
 *            }
 *          }
 *
 * Before:  for (let i = 0; i < 3; i++) { try { return await send(); } catch { await sleep(500); } }
 * After:   for (let i = 0; i < 3; i++) { try { return await send(); } catch { await sleep(Math.random() * Math.min(30000, 500 * 2 ** i)); } }
 *
 * Before:  axiosRetry(client, { retries: 3 });
 * After:   axiosRetry(client, { retries: 3, retryDelay: axiosRetry.exponentialDelay });
 *
 * Before:  const policy = retry(handleAll, { maxAttempts: 3 });                        (cockatiel)
 * After:   const policy = retry(handleAll, { maxAttempts: 3, backoff: new ExponentialBackoff() });
 *
 * A retry loop is a `while`/`for`/`do` loop whose body has a try/catch where the try awaits
 * something and leaves the loop on success (return/break, or sets the `while (!done)` flag), and
 * the catch does not always leave. It is capped when an exit is guarded by a comparison on a
 * counter or the clock (or the loop condition is one). Loops whose attempts differ (the try uses
 * the counter or a value computed in the loop: next mirror, new slug, re-read row) are failover or
 * optimistic-concurrency loops, not blind retries, and need no delay. Recursion from a catch (or a
 * `.catch`/error-event callback, or `setTimeout(self, ms)`) is a retry too. Libraries: p-retry /
 * async-retry / retry with `retries: Infinity` or `forever`, axios-retry without `retryDelay`
 * (its default is no delay), cockatiel `retry()` without `maxAttempts` (default: forever) or
 * without a backoff (default: none).
 *
 * From the knowledge table: the retry libraries (role `retry`) and, per library, where the options
 * go, which option caps the attempts or retries forever, the delay/backoff options and their
 * defaults, and how a fix replaces a loop at the project's version (retry facets); the
 * unique-violation error codes and the options of an observed "retry forever" (rules-a.ts).
 *
 * Not reported (issue 14): retries filtered on a unique-constraint error (Prisma P2002, Postgres
 * 23505, …); capped wait-for-dependency loops with a fixed delay (`waitForDb`, a connect/ping in
 * the try); `forever` with a backoff and a failure callback that logs. A fix never inserts an
 * option the object already has, and a capped loop's backoff is bounded so the total wait stays
 * within about twice what it was.
 */
import ts = require('typescript');
import { createRule, type Fix, type RuleContextV2, type Severity, type TextEdit } from '../engine/types';
import { skipOuter } from '../engine/facts';
import { enclosingFunction, findProperty, functionName, isFunctionLike, lineIndentAt, type FunctionLike } from '../engine/ast';
import { addImport, insertProperty, loadsAsEsm } from '../fixes/edits';
import { dependencyView } from '../engine/dependencies';
import { semi } from '../engine/style';
import { KNOWLEDGE, fill, type LibraryRecord } from '../knowledge';
import { RETRY_BACKOFF_OPTIONS, RETRY_FAILURE_CALLBACKS, ROLE, UNIQUE_VIOLATION_CODES } from '../knowledge/rules-a';

const RULE_ID = 'unbounded-retry';
type MessageIds = 'foreverNoDelay' | 'foreverFixed' | 'foreverDynamic' | 'noDelay' | 'fixedDelay' | 'libraryForever' | 'requestForever' | 'libraryNoDelay';
type Ctx = RuleContextV2<MessageIds>;
/** A unique-constraint violation named in a condition: the codes, or `unique`/`duplicate` (UniqueConstraintError, isDuplicateKey). */
const UNIQUE_VIOLATION = new RegExp(`unique|duplicate|${UNIQUE_VIOLATION_CODES.map((c) => `\\b${c}\\b`).join('|')}`, 'i');
/** A function that waits for a dependency at startup: `waitForDb`, `ensureConnection`, `connectWithRetry`, `bootstrap`. */
const WAITS_FOR_DEPENDENCY = /wait|ready|connect|startup|bootstrap|^init|ensure/i;
/** An awaited call that checks a dependency is up: `db.connect()`, `$connect()`, `redis.ping()`, `sequelize.authenticate()`. */
const DEPENDENCY_CHECK = /connect|ping|health|ready|authenticate/i;
const DELAY_NAME = /sleep|delay|wait|pause|timeout|backoff|timer/i;
/** Errors whose retry needs no delay: the next attempt sees the other writer's result. */
const CONCURRENCY_ERRORS = /unique|duplicate|conflict|concurren|optimistic|version|transaction|deadlock|serializ|race\b/i;
/** Calls that repair something before the retry (new token, new connection): not a blind retry. */
const CORRECTIVE = /refresh|reconnect|connect|login|reauth|renew|reset|rollback|invalidate|recycle|rotate/i;
/** Names of periodic jobs: their next run after a failure is their schedule, not a retry. */
const PERIODIC = /poll|tick|beat|schedul|cron|period/i;
/** A delay that is the job's own schedule: `this.interval * 1000`, `pollInterval` (not `RECONNECT_INTERVAL`). */
const SCHEDULE_NAME = /^(interval|pollInterval|pollingInterval|checkInterval|heartbeatInterval)$/i;

function namesSchedule(e: ts.Expression | undefined): boolean {
  if (!e) return false;
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isIdentifier(n) && SCHEDULE_NAME.test(n.text)) { found = true; return; }
    ts.forEachChild(n, visit);
  };
  visit(e);
  return found;
}
const ERROR_EVENTS = new Set(['error', 'close', 'end', 'disconnect', 'disconnected', 'failed']);

type Loop = ts.WhileStatement | ts.ForStatement | ts.DoStatement;
type DelayKind = 'none' | 'fixed' | 'dynamic';

interface Delay {
  kind: DelayKind;
  /** The delay-in-ms expression to rewrite (fixed delays only). */
  expr?: ts.Expression;
}

// ---- small local scans (bounded by the loop or function at hand; never into nested functions) --

/** Calls `cb` on every node below `root`; `cb` returning true skips the node's children. */
function forEachLocal(root: ts.Node, cb: (n: ts.Node) => boolean): void {
  const visit = (n: ts.Node): void => {
    if (cb(n)) return;
    if (isFunctionLike(n) || ts.isClassLike(n)) return;
    ts.forEachChild(n, visit);
  };
  ts.forEachChild(root, visit);
}

function isLoop(n: ts.Node): n is ts.IterationStatement {
  return ts.isWhileStatement(n) || ts.isForStatement(n) || ts.isDoStatement(n) || ts.isForOfStatement(n) || ts.isForInStatement(n);
}

/** Does `root` contain a `return`, or a `break` that leaves `loop` (not an inner loop/switch)? */
function leavesLoop(root: ts.Node, loop: Loop): boolean {
  let found = false;
  const visit = (n: ts.Node, depth: number): void => {
    if (found || isFunctionLike(n) || ts.isClassLike(n)) return;
    if (ts.isReturnStatement(n)) { found = true; return; }
    if (ts.isBreakStatement(n)) {
      if (n.label) {
        const labeled = loop.parent && ts.isLabeledStatement(loop.parent) ? loop.parent.label.text : undefined;
        if (labeled === n.label.text) found = true;
      } else if (depth === 0) found = true;
      return;
    }
    const inner = isLoop(n) || ts.isSwitchStatement(n) ? 1 : 0;
    ts.forEachChild(n, (c) => visit(c, depth + inner));
  };
  visit(root, 0);
  return found;
}

function containsAwait(root: ts.Node): boolean {
  let found = false;
  forEachLocal(root, (n) => {
    if (ts.isAwaitExpression(n) || ts.isYieldExpression(n)) found = true;
    return found;
  });
  return found || ts.isAwaitExpression(root);
}

/** The last statement of a block always leaves it (throw/return/break/continue-free exit). */
function alwaysExits(block: ts.Block): boolean {
  const last = block.statements[block.statements.length - 1];
  return !!last && (ts.isThrowStatement(last) || ts.isReturnStatement(last) || ts.isBreakStatement(last));
}

/** Names updated in `root` by ++/--, +=/-=/*=, or `x = x ± …` (counters and growing delays). */
function updatedNames(root: ts.Node, into = new Set<string>()): Set<string> {
  const nameOf = (e: ts.Expression): string | undefined => {
    const x = skipOuter(e);
    if (ts.isIdentifier(x)) return x.text;
    if (ts.isPropertyAccessExpression(x) && x.expression.kind === ts.SyntaxKind.ThisKeyword) return `this.${x.name.text}`;
    return undefined;
  };
  const visitNode = (n: ts.Node) => {
    if ((ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) &&
      (n.operator === ts.SyntaxKind.PlusPlusToken || n.operator === ts.SyntaxKind.MinusMinusToken)) {
      const name = nameOf(n.operand);
      if (name) into.add(name);
    } else if (ts.isBinaryExpression(n)) {
      const op = n.operatorToken.kind;
      if (op === ts.SyntaxKind.PlusEqualsToken || op === ts.SyntaxKind.MinusEqualsToken || op === ts.SyntaxKind.AsteriskEqualsToken ||
        op === ts.SyntaxKind.AsteriskAsteriskEqualsToken || op === ts.SyntaxKind.LessThanLessThanEqualsToken) {
        const name = nameOf(n.left);
        if (name) into.add(name);
      } else if (op === ts.SyntaxKind.EqualsToken) {
        const name = nameOf(n.left);
        if (name && mentions(n.right, name)) into.add(name);
      }
    }
  };
  visitNode(root);
  forEachLocal(root, (n) => { visitNode(n); return false; });
  return into;
}

function nameOfRef(n: ts.Node): string | undefined {
  if (ts.isIdentifier(n)) return n.text;
  if (ts.isPropertyAccessExpression(n) && n.expression.kind === ts.SyntaxKind.ThisKeyword) return `this.${n.name.text}`;
  return undefined;
}

function mentions(root: ts.Node, name: string): boolean {
  let found = nameOfRef(root) === name;
  forEachLocal(root, (n) => {
    if (nameOfRef(n) === name && !(ts.isPropertyAccessExpression(n.parent) && n.parent.name === n)) found = true;
    return found;
  });
  return found;
}

function mentionsAny(root: ts.Node, names: Iterable<string>): string | undefined {
  for (const name of names) if (mentions(root, name)) return name;
  return undefined;
}

const RELATIONAL = new Set([ts.SyntaxKind.LessThanToken, ts.SyntaxKind.LessThanEqualsToken, ts.SyntaxKind.GreaterThanToken,
  ts.SyntaxKind.GreaterThanEqualsToken, ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.EqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsToken]);

/** A condition that compares a counter (one of `counters`) or the clock. Returns the counter, or 'clock'. */
function capCondition(cond: ts.Expression, counters: Set<string>): string | undefined {
  let hit: string | undefined;
  const check = (n: ts.Node): void => {
    if (hit) return;
    if (ts.isBinaryExpression(n) && RELATIONAL.has(n.operatorToken.kind)) {
      const c = mentionsAny(n, counters);
      if (c) { hit = c; return; }
      const t = n.getText();
      if (/Date\.now\(\)|performance\.now\(\)|new Date\(|getTime\(\)|deadline|elapsed|timeout|expires?At/i.test(t)) { hit = 'clock'; return; }
      // `attempt++ >= max` / `--retries === 0`
      forEachLocal(n, (m) => {
        if ((ts.isPrefixUnaryExpression(m) || ts.isPostfixUnaryExpression(m)) &&
          (m.operator === ts.SyntaxKind.PlusPlusToken || m.operator === ts.SyntaxKind.MinusMinusToken)) hit = nameOfRef(m.operand) ?? 'counter';
        return !!hit;
      });
      if (hit) return;
    }
    if (ts.isPrefixUnaryExpression(n) && n.operator === ts.SyntaxKind.MinusMinusToken) { hit = nameOfRef(n.operand) ?? 'counter'; return; }
    ts.forEachChild(n, check);
  };
  check(cond);
  return hit;
}

/** Does `root` contain an exit (throw/return/break) guarded by a cap condition? */
function guardedExit(root: ts.Node, counters: Set<string>): string | undefined {
  let found: string | undefined;
  const exits = (s: ts.Node): boolean => {
    if (ts.isThrowStatement(s) || ts.isReturnStatement(s) || ts.isBreakStatement(s)) return true;
    let e = false;
    forEachLocal(s, (n) => {
      if (ts.isThrowStatement(n) || ts.isReturnStatement(n) || ts.isBreakStatement(n)) e = true;
      return e;
    });
    return e;
  };
  const visit = (n: ts.Node) => {
    if (found) return;
    if (ts.isIfStatement(n) && exits(n.thenStatement)) {
      const c = capCondition(n.expression, counters);
      if (c) { found = c; return; }
    }
    if (ts.isConditionalExpression(n) || ts.isBinaryExpression(n)) {
      // `attempt >= max && throwIt()` style: rare; ignore
    }
  };
  visit(root);
  forEachLocal(root, (n) => { visit(n); return !!found; });
  return found;
}

// ---- delays -------------------------------------------------------------------------------------

/** The delay (ms) expression of a sleep-like call: `sleep(ms)`, `setTimeout(ms)`, `new Promise(r => setTimeout(r, ms))`. */
function delayArgument(e: ts.Expression): ts.Expression | undefined {
  const x = skipOuter(e);
  if (ts.isNewExpression(x) && ts.isIdentifier(x.expression) && x.expression.text === 'Promise') {
    let found: ts.Expression | undefined;
    const visit = (n: ts.Node): void => {
      if (found) return;
      if (ts.isCallExpression(n) && calleeName(n) === 'setTimeout' && n.arguments.length >= 2) { found = n.arguments[1]; return; }
      ts.forEachChild(n, visit);
    };
    ts.forEachChild(x, visit);
    return found;
  }
  if (ts.isCallExpression(x)) {
    const name = calleeName(x);
    if (!name || !DELAY_NAME.test(name)) return undefined;
    if (name === 'setTimeout') return x.arguments.length === 1 ? x.arguments[0] : undefined; // timers/promises
    return x.arguments[0] ?? x; // sleep(ms) / backoff() with no argument: dynamic
  }
  return undefined;
}

function calleeName(call: ts.CallExpression): string | undefined {
  const c = skipOuter(call.expression);
  if (ts.isIdentifier(c)) return c.text;
  if (ts.isPropertyAccessExpression(c)) return c.name.text;
  return undefined;
}

/** Names declared inside `root` (let/const), which vary per iteration. */
function declaredNames(root: ts.Node): Set<string> {
  const out = new Set<string>();
  forEachLocal(root, (n) => {
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name)) out.add(n.name.text);
    return false;
  });
  return out;
}

/**
 * Finds the awaited delay in `root` and classifies it. Fixed: literals and names that do not
 * change in the loop (`1000`, `RETRY_MS`, `this.retryDelay * 2`); anything with a call,
 * Math.random or a name that varies per iteration is dynamic (backoff/jitter).
 */
function findDelay(root: ts.Node, varying: Set<string>): Delay {
  let found: Delay | undefined;
  const consider = (arg: ts.Expression) => {
    found = { kind: isFixedExpression(arg, varying) ? 'fixed' : 'dynamic', expr: arg };
  };
  forEachLocal(root, (n) => {
    if (!found && ts.isAwaitExpression(n)) {
      const arg = delayArgument(n.expression);
      if (arg) consider(arg);
    }
    return !!found;
  });
  return found ?? { kind: 'none' };
}

/** The initializer of a local `const`/`let` named by `id`, declared earlier in an enclosing block (closures included). */
function localInitializer(id: ts.Identifier): ts.Expression | undefined {
  for (let n: ts.Node = id; n.parent && !ts.isFunctionDeclaration(n) && !ts.isMethodDeclaration(n); n = n.parent) {
    const p = n.parent;
    if (!ts.isBlock(p)) continue;
    for (const st of p.statements) {
      if (st.pos >= id.pos) break;
      if (!ts.isVariableStatement(st)) continue;
      for (const d of st.declarationList.declarations) {
        if (ts.isIdentifier(d.name) && d.name.text === id.text) return d.initializer;
      }
    }
  }
  return undefined;
}

function isFixedExpression(e: ts.Expression, varying: Set<string>): boolean {
  let fixed = true;
  let depth = 0;
  const visit = (n: ts.Node): void => {
    if (!fixed) return;
    if (ts.isCallExpression(n) || ts.isNewExpression(n) || ts.isConditionalExpression(n)) { fixed = false; return; }
    const name = nameOfRef(n);
    if (name && varying.has(name)) { fixed = false; return; }
    if (ts.isIdentifier(n) && depth < 3) {
      // `const delayMs = Math.min(500 * 2 ** attempt, 8000)` declared in the failure path
      const init = localInitializer(n);
      if (init) { depth++; visit(skipOuter(init)); depth--; return; }
    }
    if (ts.isPropertyAccessExpression(n)) {
      if (n.expression.kind === ts.SyntaxKind.ThisKeyword) return;
      visit(n.expression);
      return;
    }
    ts.forEachChild(n, visit);
  };
  visit(skipOuter(e));
  return fixed;
}

// ---- retry loops ----------------------------------------------------------------------------------

interface RetryLoop {
  loop: Loop;
  tryStmt: ts.TryStatement;
  catchBlock: ts.Block;
  capped: boolean;
  counter?: string;
  delay: Delay;
  /** At most two attempts in all (`for (let i = 0; i < 2; i++)`): one retry is not a storm. */
  singleRetry: boolean;
}

/** Does the failure path filter on a write-conflict error (unique key, CAS version, deadlock, transient transaction)? */
function handlesConcurrencyError(root: ts.Node, fn: FunctionLike | undefined): boolean {
  const name = fn && functionName(fn);
  if (name && CONCURRENCY_ERRORS.test(name)) return true;
  let found = false;
  const test = (n: ts.Node) => {
    const cond = ts.isIfStatement(n) ? n.expression : ts.isConditionalExpression(n) ? n.condition : undefined;
    if (cond && CONCURRENCY_ERRORS.test(cond.getText())) found = true;
  };
  test(root);
  forEachLocal(root, (n) => { test(n); return found; });
  return found;
}

/** Does a failure path filter on a unique-constraint violation (P2002, 23505, UniqueConstraintError)? */
function filtersUniqueViolation(root: ts.Node): boolean {
  let found = false;
  const test = (n: ts.Node) => {
    const cond = ts.isIfStatement(n) ? n.expression : ts.isConditionalExpression(n) ? n.condition : ts.isCaseClause(n) ? n.expression : undefined;
    if (cond && UNIQUE_VIOLATION.test(cond.getText())) found = true;
  };
  test(root);
  forEachLocal(root, (n) => { test(n); return found; });
  return found;
}

/** A loop that waits for a dependency at startup: the function is named so, or the try checks a connection. */
function waitsForDependency(r: RetryLoop): boolean {
  const fn = enclosingFunction(r.loop);
  const name = fn && functionName(fn);
  if (name && WAITS_FOR_DEPENDENCY.test(name)) return true;
  let found = false;
  forEachLocal(r.tryStmt.tryBlock, (n) => {
    if (ts.isAwaitExpression(n) && ts.isCallExpression(skipOuter(n.expression))) {
      const callee = calleeName(skipOuter(n.expression) as ts.CallExpression);
      if (callee && DEPENDENCY_CHECK.test(callee)) found = true;
    }
    return found;
  });
  return found;
}

/** Calls that take a lock or a lease: failing means "held by someone else", polled until a deadline. */
const ACQUIRES = /^(try)?(acquire|lock|claim|lease|obtain)/i;
/** Log calls: `logger.warn(…)`, `console.info(…)`, `log.debug(…)`. */
const LOG_METHODS = /^(warn|warning|info|log|debug|error|notice|trace)$/;

/**
 * Contention polling, not a retry against a failing dependency: every call the try awaits takes a
 * lock or lease (`await this.acquire(key)`), and the loop stops at a deadline or count.
 */
function pollsForLock(r: RetryLoop): boolean {
  const names: string[] = [];
  forEachLocal(r.tryStmt.tryBlock, (n) => {
    if (ts.isAwaitExpression(n) && ts.isCallExpression(skipOuter(n.expression))) names.push(calleeName(skipOuter(n.expression) as ts.CallExpression) ?? '');
    return false;
  });
  return names.length > 0 && names.every((n) => ACQUIRES.test(n));
}

/**
 * A retry that only retries what may pass next time, and says so: the catch rethrows unless a
 * test on the error lets it through (`if (!isRetryable(error) || attempt === max) throw error`) and
 * logs each retry. With a cap and a fixed delay, that is a deliberate wait (issue 14: a startup
 * wait of 5 × 2 s), not a storm.
 */
function filteredAndLogged(r: RetryLoop): boolean {
  const decl = r.tryStmt.catchClause?.variableDeclaration;
  const err = decl && ts.isIdentifier(decl.name) ? decl.name.text : undefined;
  if (!err) return false;
  let filtered = false;
  let logged = false;
  for (const st of r.catchBlock.statements) {
    if (ts.isIfStatement(st) && mentions(st.expression, err)) {
      const then = st.thenStatement;
      const first = ts.isBlock(then) ? then.statements[0] : then;
      if (first && ts.isThrowStatement(first)) filtered = true;
    }
    forEachLocal(st, (n) => {
      if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && LOG_METHODS.test(n.expression.name.text) &&
        /log|console/i.test(n.expression.expression.getText())) logged = true;
      return logged;
    });
  }
  return filtered && logged;
}

/** Statements of a failure path that repair before retrying: an awaited non-delay call, or a refresh/reconnect. */
function correctiveAction(statements: readonly ts.Statement[]): boolean {
  let found = false;
  for (const st of statements) {
    forEachLocal(st, (n) => {
      if (ts.isAwaitExpression(n) && !delayArgument(n.expression)) found = true;
      if (ts.isCallExpression(n)) {
        const name = calleeName(n);
        if (name && CORRECTIVE.test(name)) found = true;
      }
      return found;
    });
    if (found) return true;
  }
  return false;
}

/** `for (let i = A; i < B; …)` with literals: the number of attempts. */
function literalAttempts(loop: Loop): number | undefined {
  if (!ts.isForStatement(loop) || !loop.initializer || !ts.isVariableDeclarationList(loop.initializer) || !loop.condition) return undefined;
  const d = loop.initializer.declarations[0];
  const init = d?.initializer && skipOuter(d.initializer);
  const cond = skipOuter(loop.condition);
  if (!d || !ts.isIdentifier(d.name) || !init || !ts.isNumericLiteral(init) || !ts.isBinaryExpression(cond)) return undefined;
  const right = skipOuter(cond.right);
  if (!ts.isIdentifier(cond.left) || cond.left.text !== d.name.text || !ts.isNumericLiteral(right)) return undefined;
  const a = Number(init.text);
  const b = Number(right.text);
  if (cond.operatorToken.kind === ts.SyntaxKind.LessThanToken) return b - a;
  if (cond.operatorToken.kind === ts.SyntaxKind.LessThanEqualsToken) return b - a + 1;
  return undefined;
}

function loopBody(loop: Loop): ts.Block | undefined {
  return ts.isBlock(loop.statement) ? loop.statement : undefined;
}

function isTrue(e: ts.Expression | undefined): boolean {
  if (!e) return true; // for (;;)
  const x = skipOuter(e);
  return x.kind === ts.SyntaxKind.TrueKeyword || (ts.isNumericLiteral(x) && x.text !== '0');
}

/** `while (!done)` where the try block sets `done = true` (`done = await check()` is a poll, not a retry). */
function flagCondition(loop: Loop, tryBlock: ts.Block): boolean {
  const raw = ts.isForStatement(loop) ? loop.condition : loop.expression;
  const cond = raw && skipOuter(raw);
  if (!cond || !ts.isPrefixUnaryExpression(cond) || cond.operator !== ts.SyntaxKind.ExclamationToken) return false;
  const flag = nameOfRef(skipOuter(cond.operand));
  if (!flag) return false;
  let sets = false;
  forEachLocal(tryBlock, (n) => {
    if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && nameOfRef(skipOuter(n.left)) === flag &&
      skipOuter(n.right).kind === ts.SyntaxKind.TrueKeyword) sets = true;
    return sets;
  });
  return sets;
}

function analyseLoop(loop: Loop): RetryLoop | undefined {
  const body = loopBody(loop);
  if (!body) return undefined;
  const tries = body.statements.filter((s): s is ts.TryStatement => ts.isTryStatement(s) && !!s.catchClause);
  if (tries.length !== 1) return undefined;
  const tryStmt = tries[0];
  const catchBlock = tryStmt.catchClause!.block;
  if (!containsAwait(tryStmt.tryBlock)) return undefined;
  const flagged = flagCondition(loop, tryStmt.tryBlock);
  // a retry's try leaves the loop whenever it completes (a poll may complete and loop again)
  const last = tryStmt.tryBlock.statements[tryStmt.tryBlock.statements.length - 1];
  const endsWithExit = !!last && (ts.isReturnStatement(last) || ts.isBreakStatement(last) || ts.isThrowStatement(last) ||
    (flagged && ts.isExpressionStatement(last) && ts.isBinaryExpression(last.expression) && skipOuter(last.expression.right).kind === ts.SyntaxKind.TrueKeyword));
  if (!endsWithExit || (!flagged && !leavesLoop(tryStmt.tryBlock, loop))) return undefined; // a worker/poll loop, not a retry
  // other awaited work in the loop (read state, then try): a state machine or a poll, not a plain retry
  for (const st of body.statements) {
    if (st === tryStmt) continue;
    let otherWork = false;
    const visitSt = (n: ts.Node): boolean => {
      if (ts.isAwaitExpression(n) && !delayArgument(n.expression)) otherWork = true;
      return otherWork;
    };
    if (!visitSt(st)) forEachLocal(st, visitSt);
    if (otherWork) return undefined;
  }
  if (alwaysExits(catchBlock)) return undefined;
  if (tryStmt.finallyBlock && leavesLoop(tryStmt.finallyBlock, loop)) return undefined;

  // Counters: names updated in the loop (body, incrementor) or declared by a for-initializer.
  const counters = updatedNames(body);
  if (ts.isForStatement(loop)) {
    if (loop.incrementor) updatedNames(loop.incrementor, counters);
    const init = loop.initializer;
    if (init && ts.isVariableDeclarationList(init)) for (const d of init.declarations) if (ts.isIdentifier(d.name)) counters.add(d.name.text);
  }
  // Attempts that differ (the try uses the counter or a per-iteration value) are failover or
  // optimistic-concurrency loops: they need neither backoff nor, often, a cap of ours.
  const perIteration = declaredNames(body);
  const insideTry = declaredNames(tryStmt.tryBlock);
  const insideCatch = declaredNames(catchBlock);
  const tryInputs = [...counters, ...[...perIteration].filter((n) => !insideTry.has(n) && !insideCatch.has(n))];
  if (mentionsAny(tryStmt.tryBlock, tryInputs)) return undefined;

  let counter: string | undefined;
  let capped = false;
  const cond = ts.isForStatement(loop) ? loop.condition : loop.expression;
  if (!isTrue(cond) && !flagged) {
    // a loop condition other than true / !done bounds the loop (a counter, the clock, a state)
    capped = true;
    const c = capCondition(cond!, counters);
    if (c && c !== 'clock') counter = c;
  }
  if (!capped) {
    const c = guardedExit(body, counters);
    if (c) { capped = true; if (c !== 'clock' && c !== 'counter') counter = c; }
  }
  if (ts.isForStatement(loop) && !counter && loop.initializer && ts.isVariableDeclarationList(loop.initializer)) {
    const d = loop.initializer.declarations[0];
    if (d && ts.isIdentifier(d.name) && counters.has(d.name.text) && loop.condition && mentions(loop.condition, d.name.text)) counter = d.name.text;
  }
  const varying = new Set([...counters, ...perIteration]);
  // the delay may sit in the catch or after the try
  let delay = findDelay(catchBlock, varying);
  for (const st of body.statements) {
    if (delay.kind !== 'none') break;
    if (st.pos > tryStmt.pos) delay = findDelay(st, varying);
  }
  const attempts = literalAttempts(loop);
  return { loop, tryStmt, catchBlock, capped, counter, delay, singleRetry: attempts !== undefined && attempts <= 2 };
}

// ---- fixes -----------------------------------------------------------------------------------------

interface Tuning { maxAttempts: number; baseDelayMs: number; maxDelayMs: number }

function tuning(options: Record<string, unknown>): Tuning {
  const n = (k: string, d: number) => {
    const v = options[k];
    return typeof v === 'number' && v > 0 ? v : d;
  };
  return { maxAttempts: n('maxAttempts', 5), baseDelayMs: n('baseDelayMs', 100), maxDelayMs: n('maxDelayMs', 30000) };
}

function backoffExpr(base: string, counter: string, maxDelayMs: number): string {
  return `Math.random() * Math.min(${maxDelayMs}, ${base} * 2 ** ${counter})`;
}

/**
 * The largest wait of a backoff that replaces a capped loop's fixed delay: `maxDelayMs`, unless
 * the expected total wait (full jitter: half of each capped step) would pass twice the loop's old
 * total (attempts × delay). A startup wait of 20 × 100 ms must not become minutes of backoff.
 */
function budgetedMax(r: RetryLoop, t: Tuning): number {
  const attempts = literalAttempts(r.loop);
  const e = r.delay.expr && skipOuter(r.delay.expr);
  const start = ts.isForStatement(r.loop) ? firstCounterValue(r.loop) : undefined;
  if (attempts === undefined || start === undefined || !e || !ts.isNumericLiteral(e)) return t.maxDelayMs;
  const d = Number(e.text);
  if (!(d > 0)) return t.maxDelayMs;
  const budget = 2 * attempts * d;
  const expected = (cap: number) => { let sum = 0; for (let i = start; i < start + attempts; i++) sum += Math.min(cap, d * 2 ** i) / 2; return sum; };
  if (expected(t.maxDelayMs) <= budget) return t.maxDelayMs;
  let cap = d;
  while (cap * 2 < t.maxDelayMs && expected(cap * 2) <= budget) cap *= 2;
  return cap;
}

function firstCounterValue(loop: ts.ForStatement): number | undefined {
  const d = loop.initializer && ts.isVariableDeclarationList(loop.initializer) ? loop.initializer.declarations[0] : undefined;
  const init = d?.initializer && skipOuter(d.initializer);
  return init && ts.isNumericLiteral(init) ? Number(init.text) : undefined;
}

function countsDown(root: ts.Node, name: string): boolean {
  let down = false;
  forEachLocal(root, (n) => {
    if ((ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) && n.operator === ts.SyntaxKind.MinusMinusToken && nameOfRef(n.operand) === name) down = true;
    if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.MinusEqualsToken && nameOfRef(n.left) === name) down = true;
    return down;
  });
  return down;
}

/** `let retries = 3` in the function (its top-level statements): the literal. */
function literalInitializer(scope: ts.Node, name: string): string | undefined {
  const body = isFunctionLike(scope) ? scope.body : scope;
  const statements = body && (ts.isBlock(body) || ts.isSourceFile(body)) ? body.statements : [];
  for (const st of statements) {
    if (!ts.isVariableStatement(st)) continue;
    for (const d of st.declarationList.declarations) {
      if (ts.isIdentifier(d.name) && d.name.text === name && d.initializer && ts.isNumericLiteral(skipOuter(d.initializer))) return skipOuter(d.initializer).getText();
    }
  }
  return undefined;
}

/** Names used anywhere in `root` (to pick fresh ones). */
function usedNames(root: ts.Node): Set<string> {
  const out = new Set<string>();
  const visit = (n: ts.Node): void => {
    if (ts.isIdentifier(n)) out.add(n.text);
    ts.forEachChild(n, visit);
  };
  visit(root);
  return out;
}

function fresh(used: Set<string>, ...candidates: string[]): string | undefined {
  return candidates.find((c) => !used.has(c));
}

/** How to sleep `ms` here: `new Promise(... setTimeout ...)`, or timers/promises' setTimeout when the file imports it. */
function sleepStatement(ctx: Ctx, ms: string): string | undefined {
  const b = ctx.facts.bindings.get('setTimeout');
  const s = semi(ctx.style);
  if (!b) return `await new Promise((resolve) => setTimeout(resolve, ${ms}))${s}`;
  if (b.module === 'timers/promises' && b.imported === 'setTimeout') return `await setTimeout(${ms})${s}`;
  return undefined;
}

/**
 * Inserts `line` as the last statement of `block`, before a trailing `continue;`. An empty block
 * is filled with `before` (the cap check) and `line` in one edit: two edits replacing the same
 * empty interior would overlap.
 */
function appendToBlock(ctx: Ctx, block: ts.Block, line: string, before?: string): TextEdit {
  const sts = block.statements;
  const sf = ctx.sourceFile;
  const eol = ctx.style.eol;
  const outer = lineIndentAt(ctx.text, block.getStart(sf));
  if (sts.length === 0) {
    const body = (before ? [before, line] : [line]).map((l) => `${eol}${outer}${ctx.style.indent}${l}`).join('');
    return { start: block.getStart(sf) + 1, end: block.getEnd() - 1, newText: `${body}${eol}${outer}` };
  }
  const last = sts[sts.length - 1];
  const multiline = ctx.text.slice(block.getStart(sf), block.getEnd()).includes('\n');
  if (ts.isContinueStatement(last) && !last.label) {
    const at = last.getStart(sf);
    return { start: at, end: at, newText: multiline ? `${line}${eol}${lineIndentAt(ctx.text, at)}` : `${line} ` };
  }
  if (multiline) return { start: last.getEnd(), end: last.getEnd(), newText: `${eol}${lineIndentAt(ctx.text, last.getStart(sf))}${line}` };
  // on the same line after a statement written without `;`, ASI would not end it
  const open = !/[;}]$/.test(ctx.text.slice(last.getStart(sf), last.getEnd()));
  return { start: last.getEnd(), end: last.getEnd(), newText: `${open ? ';' : ''} ${line}` };
}

/** `line` ending with `;` (a statement another one follows on the same line). */
function endStatement(line: string): string {
  return /[;}]$/.test(line) ? line : `${line};`;
}

/** Inserts `line` as the first statement of a catch block. */
function prependToBlock(ctx: Ctx, block: ts.Block, line: string): TextEdit {
  const sf = ctx.sourceFile;
  const sts = block.statements;
  const eol = ctx.style.eol;
  if (sts.length > 0) {
    const first = sts[0];
    const sameLine = !ctx.text.slice(block.getStart(sf), first.getStart(sf)).includes('\n');
    // another statement follows on the same line: ASI does not end this one, a `;` must
    if (sameLine) return { start: first.getStart(sf), end: first.getStart(sf), newText: `${endStatement(line)} ` };
    return { start: first.getStart(sf), end: first.getStart(sf), newText: `${line}${eol}${lineIndentAt(ctx.text, first.getStart(sf))}` };
  }
  const indent = lineIndentAt(ctx.text, block.getStart(sf));
  return { start: block.getStart(sf) + 1, end: block.getEnd() - 1, newText: `${eol}${indent}${ctx.style.indent}${line}${eol}${indent}` };
}

function localLoopFix(ctx: Ctx, r: RetryLoop, t: Tuning): Fix | undefined {
  const sf = ctx.sourceFile;
  const edits: TextEdit[] = [];
  const fn = enclosingFunction(r.loop);
  const scopeNode: ts.Node = fn ?? sf;
  const used = usedNames(scopeNode);
  let counter = r.counter;
  let title: string;
  /** The cap check for an empty catch block: merged into the sleep's edit, or pushed alone at the end. */
  let capCheck: string | undefined;
  if (!r.capped) {
    const loop = r.loop;
    counter = fresh(used, 'attempt', 'retryAttempt', 'attemptNo');
    if (!counter) return undefined;
    const bodyStart = loop.statement.getStart(sf);
    if (ts.isWhileStatement(loop)) {
      const cond = isTrue(loop.expression) ? '' : loop.expression.getText(sf);
      edits.push({ start: loop.getStart(sf), end: bodyStart, newText: `for (let ${counter} = 1; ${cond}; ${counter}++) ` });
    } else if (ts.isForStatement(loop) && !loop.initializer && !loop.incrementor) {
      const cond = loop.condition ? loop.condition.getText(sf) : '';
      edits.push({ start: loop.getStart(sf), end: bodyStart, newText: `for (let ${counter} = 1; ${cond}; ${counter}++) ` });
    } else {
      return undefined; // do-while, or a for with its own counter: rewrite by hand
    }
    // the cap: rethrow the last error
    const clause = r.tryStmt.catchClause!;
    let errName: string;
    if (clause.variableDeclaration) {
      if (!ts.isIdentifier(clause.variableDeclaration.name)) return undefined;
      errName = clause.variableDeclaration.name.text;
    } else {
      const name = fresh(usedNames(clause.block), 'err', 'error', 'retryError');
      if (!name) return undefined;
      errName = name;
      const catchKw = clause.getStart(sf);
      edits.push({ start: catchKw, end: clause.block.getStart(sf), newText: `catch (${errName}) ` });
    }
    const check = `if (${counter} >= ${t.maxAttempts}) throw ${errName}${semi(ctx.style)}`;
    // an empty catch block may also get the sleep: then both go in one edit (below)
    if (r.catchBlock.statements.length === 0) capCheck = check;
    else edits.push(prependToBlock(ctx, r.catchBlock, check));
    title = `Cap at ${t.maxAttempts} attempts`;
  } else {
    title = '';
  }
  if (!counter) return undefined;
  // a counter that counts down (`retries -= 1`) grows the exponent as `(initial - retries)`
  let exponent = counter;
  if (r.capped && countsDown(loopBody(r.loop)!, counter)) {
    const initial = literalInitializer(scopeNode, counter);
    if (initial === undefined) return undefined;
    exponent = `(${initial} - ${counter})`;
  }
  counter = exponent;
  if (r.delay.kind === 'fixed' && r.delay.expr) {
    const e = r.delay.expr;
    const base = ts.isBinaryExpression(skipOuter(e)) ? `(${e.getText(sf)})` : e.getText(sf);
    edits.push({ start: e.getStart(sf), end: e.getEnd(), newText: backoffExpr(base, counter, r.capped ? budgetedMax(r, t) : t.maxDelayMs) });
    title += `${title ? ', ' : ''}exponential backoff with full jitter`;
  } else if (r.delay.kind === 'none') {
    const line = sleepStatement(ctx, backoffExpr(String(t.baseDelayMs), counter, t.maxDelayMs));
    const fnNode = enclosingFunction(r.loop);
    const canAwait = fnNode ? (ts.getModifiers(fnNode as ts.HasModifiers)?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword) ?? false) : ctx.facts.isModuleSyntax;
    if (!line || !canAwait) return undefined;
    edits.push(appendToBlock(ctx, r.catchBlock, line, capCheck));
    capCheck = undefined;
    title += `${title ? ', ' : ''}exponential backoff with full jitter`;
  } else if (!title) {
    return undefined;
  }
  if (capCheck) edits.push(prependToBlock(ctx, r.catchBlock, capCheck));
  return { title: `${title[0].toUpperCase()}${title.slice(1)} (local loop)`, edits, isPreferred: true, safe: r.capped };
}

/**
 * `while (true) { try { return await X; } catch { <delay> } }` → one call to the installed
 * retry library. Only for that exact shape (nothing in the catch but a delay), so nothing is lost.
 */
function libraryFix(ctx: Ctx, r: RetryLoop, t: Tuning): Fix | undefined {
  const sts = r.tryStmt.tryBlock.statements;
  if (sts.length !== 1 || !ts.isReturnStatement(sts[0]) || !sts[0].expression) return undefined;
  const body = loopBody(r.loop)!;
  if (body.statements.length !== 1) return undefined;
  for (const st of r.catchBlock.statements) {
    const isDelay = ts.isExpressionStatement(st) && ts.isAwaitExpression(st.expression) && delayArgument(st.expression.expression);
    if (!isDelay && !ts.isContinueStatement(st)) return undefined;
  }
  const sf = ctx.sourceFile;
  let expr = skipOuter(sts[0].expression);
  if (ts.isAwaitExpression(expr)) expr = skipOuter(expr.expression);
  const op = expr.getText(sf);
  const deps = dependencyView(ctx.project);
  // the installed retry library that can replace a loop, at the project's version (knowledge)
  for (const record of KNOWLEDGE.librariesWithRole(ROLE.retry)) {
    const module = record.retry && KNOWLEDGE.usedModule(record, deps);
    if (!record.retry || !module) continue;
    const facet = KNOWLEDGE.atVersion(record.retry, record, deps);
    const replace = facet.replaceLoop;
    if (!replace) continue;
    if (facet.esmOnly && !loadsAsEsm(ctx)) return undefined;
    const names = replace.imports.map((i) => i.binding);
    const taken = (name: string) => ctx.facts.moduleNames.has(name) && ctx.facts.bindings.get(name)?.module !== module;
    const scopeNames = usedNames(enclosingFunction(r.loop) ?? sf);
    if (names.some((n) => taken(n) || (scopeNames.has(n) && !ctx.facts.bindings.has(n) && !ctx.facts.moduleNames.has(n)))) return undefined;
    const edits: TextEdit[] = [{
      start: r.loop.getStart(sf),
      end: r.loop.getEnd(),
      newText: `${fill(replace.statement, { op, retries: t.maxAttempts - 1, baseMs: t.baseDelayMs, maxMs: t.maxDelayMs })}${semi(ctx.style)}`,
    }];
    const missing = replace.imports.filter((i) => ctx.facts.bindings.get(i.binding)?.module !== module);
    // one import statement (or one merge into an existing `import { … } from '<module>'`) for all named bindings
    const named = missing.filter((i) => i.kind === 'named').map((i) => i.binding);
    if (named.length) { const e = addImport(ctx, { module, named: named.join(', ') }); if (e) edits.push(e); }
    for (const i of missing) if (i.kind === 'default') { const e = addImport(ctx, { module, default: i.binding }); if (e) edits.push(e); }
    const builder = names.length === 1 && !replace.statement.startsWith(`return await ${names[0]}(`);
    const what = builder ? `a ${record.label} retry policy` : names.length > 1 ? `${record.label} retry` : record.label;
    return { title: `Replace the loop with ${what} (${t.maxAttempts} attempts, exponential backoff with jitter)`, edits, isPreferred: true };
  }
  return undefined;
}

// ---- messages ---------------------------------------------------------------------------------------

interface Verdict { messageId: MessageIds; severity?: Severity }

function describe(capped: boolean, delay: Delay): Verdict | undefined {
  if (!capped) return { messageId: delay.kind === 'none' ? 'foreverNoDelay' : delay.kind === 'fixed' ? 'foreverFixed' : 'foreverDynamic' };
  if (delay.kind === 'none') return { messageId: 'noDelay' };
  if (delay.kind === 'fixed') return { messageId: 'fixedDelay', severity: 'info' };
  return undefined;
}

function report(ctx: Ctx, node: ts.Node, v: Verdict, data: Record<string, string>, fix?: () => Fix[], end?: number): void {
  const configured = ctx.config.rules[RULE_ID]?.severity !== undefined;
  ctx.report({ node, end, messageId: v.messageId, data, ...(fix ? { fix } : {}), severity: configured ? undefined : v.severity });
}

function checkLoop(loop: Loop, ctx: Ctx, t: Tuning): void {
  const r = analyseLoop(loop);
  if (!r) return;
  if (correctiveAction(r.catchBlock.statements)) return; // refresh-and-retry, reconnect-and-retry
  // a unique-key collision: the next attempt tries a new key (issue 14)
  if (filtersUniqueViolation(r.catchBlock)) return;
  if (r.capped && r.delay.kind !== 'dynamic' && (r.singleRetry || handlesConcurrencyError(r.catchBlock, enclosingFunction(loop)))) return;
  // a capped wait for a dependency at startup with a fixed delay: one process, bounded, on purpose (issue 14)
  if (r.capped && r.delay.kind === 'fixed' && waitsForDependency(r)) return;
  // contention polling for a lock until a deadline; a capped, filtered and logged wait (issue 14)
  if (r.capped && r.delay.kind === 'fixed' && (pollsForLock(r) || filteredAndLogged(r))) return;
  const d = describe(r.capped, r.delay);
  if (!d) return;
  // report the loop head: `while (true)` / `for (;;)` / `do`
  const sf = ctx.sourceFile;
  const headEnd = ts.isDoStatement(loop) ? loop.getStart(sf) + 2 : loop.statement.getStart(sf);
  let end = headEnd;
  while (end > loop.getStart(sf) && /\s/.test(ctx.text[end - 1])) end--;
  report(ctx, loop, d, { what: 'This retry loop' }, () => {
    const fixes: Fix[] = [];
    const lib = !r.capped ? libraryFix(ctx, r, t) : undefined;
    if (lib) fixes.push(lib);
    const local = localLoopFix(ctx, r, t);
    if (local) {
      if (lib) local.isPreferred = false;
      fixes.push(local);
    }
    return fixes;
  }, end);
}

// ---- recursion ----------------------------------------------------------------------------------------

interface Recursion {
  fn: FunctionLike;
  /** The catch clause crossed on the way up, if any. */
  catchClause?: ts.CatchClause;
  /** `setTimeout(self, ms)` or a setTimeout callback on the way up. */
  timer?: ts.CallExpression;
  /** Crossed an `.on('error')`-style callback: a reconnect loop. */
  viaEvent: boolean;
  /** The innermost block of the failure path holding the call. */
  block?: ts.Block;
  /** Statements that run before the call on its path (in every enclosing block up to the function). */
  before: ts.Statement[];
}

/** The named function `name` (or method `this.name`) enclosing `call`, reached through a failure handler. */
function recursionTarget(call: ts.Node, callee: ts.Expression): Recursion | undefined {
  const c = skipOuter(callee);
  const name = ts.isIdentifier(c) ? c.text : ts.isPropertyAccessExpression(c) && c.expression.kind === ts.SyntaxKind.ThisKeyword ? c.name.text : undefined;
  if (!name) return undefined;
  // most calls name no function of this file: no need to walk up (the walk below collects
  // statements at every level, which made the rule quadratic in nesting)
  if (!functionNamesOf(call.getSourceFile()).has(name)) return undefined;
  const viaThis = !ts.isIdentifier(c);
  let onFailure = false;
  const r: Omit<Recursion, 'fn'> = { viaEvent: false, before: [] };
  for (let n: ts.Node = call; n.parent; n = n.parent) {
    const p = n.parent;
    if (ts.isBlock(p)) {
      r.block ??= p;
      for (const st of p.statements) if (st.end <= call.pos) r.before.push(st);
    }
    if (ts.isCatchClause(p)) { onFailure = true; r.catchClause ??= p; }
    if (ts.isCallExpression(p) && p.arguments.includes(n as ts.Expression)) {
      const pc = skipOuter(p.expression);
      const method = ts.isPropertyAccessExpression(pc) ? pc.name.text : ts.isIdentifier(pc) ? pc.text : undefined;
      if (method === 'catch') onFailure = true;
      if ((method === 'on' || method === 'once') && p.arguments[0] && ts.isStringLiteralLike(p.arguments[0]) && ERROR_EVENTS.has(p.arguments[0].text)) {
        onFailure = true;
        r.viaEvent = true;
      }
      if (method === 'setTimeout' && p.arguments[0] === n) r.timer ??= p;
    }
    if (isFunctionLike(p)) {
      const fname = functionName(p);
      const isMember = ts.isMethodDeclaration(p) || ts.isPropertyDeclaration(p.parent);
      if (fname === name && (viaThis ? isMember : !ts.isMethodDeclaration(p))) return onFailure ? { fn: p, ...r } : undefined;
    }
  }
  return undefined;
}

/** The names of the functions declared in a file (functionName of each), once per file. */
function functionNamesOf(sf: ts.SourceFile): Set<string> {
  let names = functionNames.get(sf);
  if (!names) {
    names = new Set();
    const stack: ts.Node[] = [sf];
    const push = (c: ts.Node): undefined => { stack.push(c); return undefined; };
    while (stack.length) {
      const n = stack.pop()!;
      if (isFunctionLike(n)) { const name = functionName(n); if (name) names.add(name); }
      ts.forEachChild(n, push);
    }
    functionNames.set(sf, names);
  }
  return names;
}
const functionNames = new WeakMap<ts.SourceFile, Set<string>>();

function isCounting(a: ts.Expression): boolean {
  const x = skipOuter(a);
  if ((ts.isPrefixUnaryExpression(x) || ts.isPostfixUnaryExpression(x)) &&
    (x.operator === ts.SyntaxKind.PlusPlusToken || x.operator === ts.SyntaxKind.MinusMinusToken)) return true;
  return ts.isBinaryExpression(x) && (x.operatorToken.kind === ts.SyntaxKind.PlusToken || x.operatorToken.kind === ts.SyntaxKind.MinusToken);
}

/**
 * Is `param` an input of the operation (`listen(port)` retried with `port + 1`) rather than a
 * counter? Inputs are passed to calls other than the recursive one (outside log templates).
 */
function usedAsInput(fn: FunctionLike, param: string, recursive: ts.CallExpression): boolean {
  if (!fn.body) return false;
  let input = false;
  forEachLocal(fn.body, (n) => {
    if (n === recursive || ts.isTemplateExpression(n)) return true;
    if (ts.isCallExpression(n) && n.arguments.some((a) => { const x = skipOuter(a); return ts.isIdentifier(x) && x.text === param; })) input = true;
    return input;
  });
  return input;
}

/** An `if` on the path from the call up to the function whose condition caps (a counter or the clock). */
function guardedPath(call: ts.Node, fn: FunctionLike, counters: Set<string>): boolean {
  for (let n: ts.Node = call; n.parent && n.parent !== fn; n = n.parent) {
    const p = n.parent;
    if (ts.isIfStatement(p) && p.expression !== n && capCondition(p.expression, counters)) return true;
    if (ts.isConditionalExpression(p) && p.condition !== n && capCondition(p.condition, counters)) return true;
    if (ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken && p.right === n && capCondition(p.left, counters)) return true;
  }
  return false;
}

/** Does `fn` call itself (by the same callee text as `site`) outside any failure path? Bounded to its body. */
function selfCallOnSuccess(fn: FunctionLike, site: ts.Node): boolean {
  const text = site.getText();
  let found = false;
  const visit = (n: ts.Node, failure: boolean): void => {
    if (found) return;
    if (ts.isCatchClause(n)) failure = true;
    if (ts.isCallExpression(n)) {
      const pc = skipOuter(n.expression);
      const method = ts.isPropertyAccessExpression(pc) ? pc.name.text : undefined;
      const isSelf = n.expression.getText() === text || (calleeName(n) === 'setTimeout' && n.arguments[0]?.getText() === text);
      if (isSelf && !failure) { found = true; return; }
      if (method === 'catch' || ((method === 'on' || method === 'once') && n.arguments[0] && ts.isStringLiteralLike(n.arguments[0]) && ERROR_EVENTS.has(n.arguments[0].text))) {
        ts.forEachChild(n, (c) => visit(c, failure || n.arguments.includes(c as ts.Expression)));
        return;
      }
    }
    ts.forEachChild(n, (c) => visit(c, failure));
  };
  if (fn.body) visit(fn.body, false);
  return found;
}

function checkRecursion(call: ts.CallExpression, ctx: Ctx): void {
  let target: Recursion | undefined;
  let site: ts.Node;
  let recursiveArgs: readonly ts.Expression[];
  const arg0 = call.arguments[0] && skipOuter(call.arguments[0]);
  if (calleeName(call) === 'setTimeout' && arg0 && (ts.isIdentifier(arg0) || ts.isPropertyAccessExpression(arg0))) {
    // setTimeout(self, ms)
    target = recursionTarget(call, arg0);
    if (target) target.timer = call;
    site = call.arguments[0];
    recursiveArgs = call.arguments.slice(2);
  } else {
    target = recursionTarget(call, call.expression);
    site = call.expression;
    recursiveArgs = call.arguments;
  }
  if (!target) return;
  const fn = target.fn;
  // a function that also calls itself when things go well is a loop driver (next job, next page)
  if (selfCallOnSuccess(fn, site)) return;
  // a catch-based retry retries an async operation
  if (target.catchClause && !containsAwait(target.catchClause.parent.tryBlock)) return;
  // refresh-and-retry: something is repaired before the retry (within the failure handler)
  const handler = enclosingFunction(call);
  const inHandler = target.before.filter((st) => (target.catchClause ? st.pos >= target.catchClause.pos : enclosingFunction(st) === handler || st.parent === handler?.body));
  if (correctiveAction(inHandler)) return;
  // one more try with a flag (`this.load(id, true)`): a single retry
  if (recursiveArgs.some((a) => a.kind === ts.SyntaxKind.TrueKeyword || a.kind === ts.SyntaxKind.FalseKeyword)) return;
  // A retry passes its own parameters through (plus counters). `statFile(dirname(f))` or
  // `startServer(port + 1)` makes a different attempt: that is a search, not a retry.
  const params = fn.parameters.map((p) => (ts.isIdentifier(p.name) ? p.name.text : undefined));
  let counting = false;
  for (let i = 0; i < recursiveArgs.length; i++) {
    const arg = skipOuter(recursiveArgs[i]);
    const param = params[i];
    if (ts.isIdentifier(arg) && arg.text === param) continue;
    if (!isCounting(arg)) return;
    if (param && usedAsInput(fn, param, call)) return;
    counting = true;
  }
  const counters = fn.body ? updatedNames(fn.body) : new Set<string>();
  for (const p of params) if (p) counters.add(p);
  const capped = counting || guardedPath(call, fn, counters) || (fn.body ? !!guardedExit(fn.body, counters) : false);
  let delay: Delay = { kind: 'none' };
  if (target.timer) {
    const ms = target.timer.arguments[1];
    delay = ms ? { kind: isFixedExpression(ms, counters) ? 'fixed' : 'dynamic', expr: ms } : { kind: 'fixed' };
  } else if (target.block) {
    delay = findDelay(target.block, counters);
  }
  // a periodic job rescheduling itself after a failed run (`setTimeout(safeBeat, this.interval)`)
  if (target.timer && (PERIODIC.test(functionName(fn) ?? '') || namesSchedule(target.timer.arguments[1]))) return;
  const background = !!target.timer || target.viaEvent;
  if (delay.kind === 'dynamic' && (capped || background)) return;
  // a background refresher/reconnector that keeps trying is a choice; its fixed interval is the issue
  const bounded = capped || (background && delay.kind === 'fixed');
  if (capped && delay.kind !== 'dynamic' &&
    (handlesConcurrencyError(fn.body ?? fn, fn) || (handler && handler !== fn && handlesConcurrencyError(handler.body ?? handler, undefined)))) return;
  if (target.catchClause && filtersUniqueViolation(target.catchClause.block)) return;
  const d = describe(bounded, delay);
  if (!d) return;
  report(ctx, site, d, { what: `${functionName(fn) ?? 'This function'}() calls itself on failure and` });
}

// ---- libraries ------------------------------------------------------------------------------------------

function optionsArg(call: ts.CallExpression, index: number): ts.ObjectLiteralExpression | 'absent' | 'opaque' {
  const a = call.arguments[index];
  if (!a) return 'absent';
  const x = skipOuter(a);
  if (!ts.isObjectLiteralExpression(x) || x.properties.some((p) => ts.isSpreadAssignment(p))) return 'opaque';
  return x;
}

function infinite(obj: ts.ObjectLiteralExpression, key: string): ts.PropertyAssignment | undefined {
  const p = findProperty(obj, key);
  if (!p || !ts.isPropertyAssignment(p)) return undefined;
  const v = skipOuter(p.initializer);
  if (ts.isIdentifier(v) && v.text === 'Infinity') return p;
  if (ts.isPropertyAccessExpression(v) && v.getText() === 'Number.POSITIVE_INFINITY') return p;
  return undefined;
}

/** Removes property `p` of `obj` with its separating comma. */
function removeProperty(ctx: Ctx, obj: ts.ObjectLiteralExpression, p: ts.ObjectLiteralElementLike): TextEdit {
  const sf = ctx.sourceFile;
  const props = obj.properties;
  const i = props.indexOf(p);
  if (i < props.length - 1) return { start: p.getStart(sf), end: props[i + 1].getStart(sf), newText: '' };
  if (i > 0) return { start: props[i - 1].getEnd(), end: p.getEnd(), newText: '' };
  return { start: p.getStart(sf), end: p.getEnd(), newText: '' };
}

function checkRetryLibrary(call: ts.CallExpression, record: LibraryRecord, module: string, path: string[], ctx: Ctx, t: Tuning): void {
  const facet = record.retry!;
  const key = path.join('.');
  const entry = facet.entries.find((e) => e.path.join('.') === key);
  if (!entry) return;
  const sf = ctx.sourceFile;
  const label = key === '' || key === 'default' ? record.label : `${record.label}.${key}()`;
  const attempts = facet.attemptsOption;

  if (facet.delay) {
    // axios-retry: no delay by default
    const o = optionsArg(call, entry.options);
    if (o === 'opaque') return;
    const obj = o === 'absent' ? undefined : o;
    const inf = obj && infinite(obj, attempts);
    if (inf) {
      report(ctx, inf, { messageId: 'requestForever' }, { label, option: inf.getText(sf) }, () => [{
        title: `Use ${attempts}: ${t.maxAttempts - 1}`,
        edits: [{ start: inf.getStart(sf), end: inf.getEnd(), newText: `${attempts}: ${t.maxAttempts - 1}` }],
        isPreferred: true,
      }]);
      return;
    }
    const { option, exponential } = facet.delay;
    if (obj && findProperty(obj, option)) return;
    const callee = skipOuter(call.expression);
    const named = [...ctx.facts.bindings.values()].find((b) => b.module === module && b.imported === exponential);
    const delayRef = named ? named.local : ts.isIdentifier(callee) ? `${callee.text}.${exponential}` : undefined;
    report(ctx, call.expression, { messageId: 'libraryNoDelay' }, { label, option, exponential }, delayRef ? () => {
      const edit: TextEdit = obj
        ? insertProperty(ctx, obj, `${option}: ${delayRef}`)
        : { start: call.arguments[call.arguments.length - 1]?.getEnd() ?? call.getEnd() - 1, end: call.arguments[call.arguments.length - 1]?.getEnd() ?? call.getEnd() - 1, newText: `${call.arguments.length ? ', ' : ''}{ ${option}: ${delayRef} }` };
      return [{ title: `Add ${option}: ${delayRef}`, edits: [edit], isPreferred: true, safe: true }];
    } : undefined);
    return;
  }

  if (facet.backoff) {
    // cockatiel: forever without maxAttempts, no delay without a backoff
    const { option: backoffOption, constant: constantClass, exponential: exponentialClass } = facet.backoff;
    const o = optionsArg(call, entry.options);
    if (o === 'opaque') return;
    const obj = o === 'absent' ? undefined : o;
    const max = obj && findProperty(obj, attempts);
    const inf = obj && infinite(obj, attempts);
    const backoff = obj && findProperty(obj, backoffOption);
    const constant = backoff && ts.isPropertyAssignment(backoff) && ts.isNewExpression(skipOuter(backoff.initializer)) &&
      (skipOuter(backoff.initializer) as ts.NewExpression).expression.getText(sf).endsWith(constantClass);
    const capped = !!max && !inf;
    // a capped retry in a file that also builds the library's circuit breaker (cockatiel
    // `wrap(retry(…), circuitBreaker(…))`): the breaker stops the storm once failures pile up (issue 14)
    if (capped && record.breaker && [...ctx.facts.bindings.values()].some((b) => b.module === module && record.breaker!.create.includes(b.imported))) return;
    const delay: Delay = !backoff ? { kind: 'none' } : constant ? { kind: 'fixed' } : { kind: 'dynamic' };
    const d = describe(capped, delay);
    if (!d) return;
    const data = { what: `This ${record.label} retry policy` };
    const needImport = !backoff || (!!constant && ts.isPropertyAssignment(backoff));
    const bound = ctx.facts.bindings.get(exponentialClass);
    if (needImport && bound && bound.module !== module) return report(ctx, call.expression, d, data);
    if (!obj && !call.arguments.length) return;
    report(ctx, call.expression, d, data, () => {
      const edits: TextEdit[] = [];
      const props: string[] = [];
      if (inf) edits.push({ start: inf.getStart(sf), end: inf.getEnd(), newText: `${attempts}: ${t.maxAttempts - 1}` });
      else if (!max) props.push(`${attempts}: ${t.maxAttempts - 1}`);
      if (!backoff) props.push(`${backoffOption}: new ${exponentialClass}()`);
      else if (constant && ts.isPropertyAssignment(backoff)) edits.push({ start: backoff.initializer.getStart(sf), end: backoff.initializer.getEnd(), newText: `new ${exponentialClass}()` });
      if (props.length) {
        if (obj) edits.push(insertProperty(ctx, obj, props.join(', ')));
        else {
          const last = call.arguments[call.arguments.length - 1];
          edits.push({ start: last.getEnd(), end: last.getEnd(), newText: `, { ${props.join(', ')} }` });
        }
      }
      if (needImport && !bound) { const imp = addImport(ctx, { module, named: exponentialClass }); if (imp) edits.push(imp); }
      const title = [!capped ? `cap at ${t.maxAttempts - 1} retries` : '', needImport ? 'exponential backoff with jitter' : ''].filter(Boolean).join(', ');
      return edits.length ? [{ title: `${title[0].toUpperCase()}${title.slice(1)}`, edits, isPreferred: true, safe: capped }] : [];
    });
    return;
  }

  // p-retry / async-retry / retry: `retries: Infinity` or `forever: true`
  const o = optionsArg(call, entry.options);
  if (typeof o === 'string') return;
  const forever = facet.foreverOption ? findProperty(o, facet.foreverOption) : undefined;
  const foreverOn = forever && ts.isPropertyAssignment(forever) && forever.initializer.kind === ts.SyntaxKind.TrueKeyword ? forever : undefined;
  const inf = infinite(o, attempts);
  const bad = inf ?? foreverOn;
  if (!bad) return;
  // forever on purpose: it backs off and every failure is seen (issue 14: p-retry forever + backoff + logging)
  if (bad === foreverOn && RETRY_BACKOFF_OPTIONS.some((k) => findProperty(o, k)) && RETRY_FAILURE_CALLBACKS.some((k) => findProperty(o, k))) return;
  const existing = findProperty(o, attempts);
  report(ctx, bad, { messageId: 'libraryForever' }, { label, option: bad.getText(sf) }, () => {
    // never a second `retries:` next to an existing one: drop `forever: true` and let it apply
    if (bad === foreverOn && existing && existing !== bad) {
      return [{ title: `Remove ${bad.getText(sf)} (${existing.getText(sf)} applies)`, edits: [removeProperty(ctx, o, bad)], isPreferred: true }];
    }
    const edits: TextEdit[] = [{ start: bad.getStart(sf), end: bad.getEnd(), newText: `${attempts}: ${t.maxAttempts - 1}` }];
    // `retries: Infinity, forever: true`: the forever flag goes too
    if (bad === inf && foreverOn) edits.push(removeProperty(ctx, o, foreverOn));
    return [{ title: `Use ${attempts}: ${t.maxAttempts - 1}`, edits, isPreferred: true }];
  });
}

export const unboundedRetry = createRule({
  meta: {
    id: RULE_ID,
    checklist: 'recover',
    severity: 'info',
    summary: 'A retry that never gives up, or retries without backoff, turns a dependency blip into a retry storm that keeps it down and never surfaces the error.',
    fixable: true,
    fileKinds: ['server'],
    messages: {
      foreverNoDelay: '{{what}} retries forever with no delay: while the dependency is down it spins, hammering it and burning CPU. Cap the attempts and back off exponentially with jitter.',
      foreverFixed: '{{what}} retries forever at a fixed interval: every instance keeps retrying in lockstep, so the dependency cannot recover, and the error never surfaces to the caller. Cap the attempts and back off exponentially with jitter.',
      foreverDynamic: '{{what}} retries forever: the error never surfaces, so callers hang and work piles up for as long as the dependency is down. Cap the attempts and back off exponentially with jitter.',
      noDelay: '{{what}} retries immediately, with no delay between attempts: they all land within milliseconds of each other during the same outage and add load to a struggling dependency. Back off exponentially with jitter.',
      fixedDelay: '{{what}} retries at a fixed interval (no backoff, no jitter): clients that failed together retry together, in synchronized waves. Back off exponentially with full jitter.',
      libraryForever: '{{label}} with {{option}} retries forever: the error never surfaces and callers wait for as long as the dependency is down. Cap the retries.',
      requestForever: '{{label}} with {{option}} retries forever: a failing request never fails. Cap the retries.',
      libraryNoDelay: '{{label}} without {{option}} retries immediately (its default delay is 0): every retry hits the failing service within milliseconds. Use exponential backoff ({{label}}\'s {{exponential}} adds jitter).',
    },
    options: {
      type: 'object',
      properties: {
        maxAttempts: { type: 'integer', minimum: 1, description: 'Attempts in all that a fix caps a retry at.' },
        baseDelayMs: { type: 'integer', minimum: 1, description: 'The first delay of the backoff a fix adds, in milliseconds.' },
        maxDelayMs: { type: 'integer', minimum: 1, description: 'The largest delay of the backoff a fix adds, in milliseconds.' },
      },
      additionalProperties: false,
    },
  },
  defaultOptions: { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 30000 },
  create(ctx, options) {
    const t = tuning(options);
    const loop = (node: Loop) => checkLoop(node, ctx, t);
    return {
      WhileStatement: loop,
      ForStatement: loop,
      DoStatement: loop,
      CallExpression(call) {
        const r = ctx.facts.resolveCall(call);
        const record = r && !r.instance ? KNOWLEDGE.exactLibraryOf(r.module) : undefined;
        if (r && record?.retry) {
          checkRetryLibrary(call, record, r.module, r.path, ctx, t);
          return;
        }
        checkRecursion(call, ctx);
      },
    };
  },
});
