/**
 * floating-promise — a promise nobody awaits, returns or catches.
 *
 * Before:  async function onSignup(user) {
 *            sendWelcomeEmail(user);
 *          }
 * After:   async function onSignup(user) {
 *            await sendWelcomeEmail(user);
 *          }
 *
 * Before:  setInterval(() => {
 *            redis.set('heartbeat', Date.now());
 *          }, 5000);
 * After:   setInterval(() => {
 *            redis.set('heartbeat', Date.now()).catch((err) => logger.error({ err }, 'redis.set failed'));
 *          }, 5000);
 *
 * Reported for expression statements whose value is a promise the file can prove: calls of async
 * functions (or functions declared to return `Promise<…>`) declared in this file, `this.method()`
 * of the enclosing class, calls of known external clients that return promises (fetch, axios,
 * pg, ioredis, node-redis v4, Prisma, Mongoose, Stripe, AWS SDK v3, bullmq…), and
 * `Promise.all/race/any`; with or without `.then()`/`.finally()` chained, but never with
 * `.catch()` or a two-argument `.then()`. Silent when the result is awaited, returned, assigned,
 * passed on (e.g. an Express handler passes its promise to the framework), or marked with
 * `void`; in test files; for local async functions that cannot reject (their body is one
 * try/catch that does not rethrow, or they only schedule work in a callback); and for top-level calls of the file's own entry function
 * (`main();`, `bootstrap();`), where an unhandled rejection ends the process with the error,
 * which is what startup wants.
 *
 * Prisma and Mongoose queries are lazy: a floating one never runs, and the message says so.
 */
import ts = require('typescript');
import { createRule, type Fix, type RuleContextV2 } from '../engine/types';
import { skipOuter } from '../engine/facts';
import { enclosingFunction, isAsyncFunction, type FunctionLike } from '../engine/ast';
import { calleeLabel, calledLocalFunction, externalCall, isBrowserGlobalAccess, promiseKindOf, returnsPromise, type PromiseKind } from '../engine/calls';
import { chooseLogger, consoleLogger, logCall } from '../fixes/logger';
import { CLIENT_HOOKS, LIB, hasRole, isModuleOf, lib, libraryOf } from '../knowledge';

type MessageIds = 'lazyChained' | 'lazyNeverRuns' | 'chained' | 'floating';
type Ctx = RuleContextV2<MessageIds>;

interface Floating {
  base: ts.CallExpression;
  kind: PromiseKind;
  label: string;
  /** `.then()`/`.finally()` chained without a rejection handler. */
  chained: boolean;
  local?: FunctionLike;
  module?: string;
}

/** Inside the `try` block of a try/catch (below `stop`) whose catch does not rethrow? */
function protectedByTry(node: ts.Node, stop: ts.Node): boolean {
  let n: ts.Node = node;
  while (n.parent && n !== stop) {
    const p = n.parent;
    if (ts.isTryStatement(p) && p.tryBlock === n && p.catchClause && !hasThrow(p.catchClause.block)) return true;
    n = p;
  }
  return false;
}

/**
 * The function handles its own failures: it has a try/catch, and every await, `throw` and
 * returned call in it sits in the try block of a try/catch that does not rethrow. Synchronous
 * code outside (building a payload) is not counted: it fails only on programming errors.
 */
function neverRejects(fn: FunctionLike): boolean {
  const body = fn.body;
  if (!body || !ts.isBlock(body)) return false;
  let guarded = false;
  let exposed = false;
  let returnsValue = false;
  let schedules = false;
  const visit = (n: ts.Node): void => {
    if (exposed) return;
    if (n !== body && (ts.isFunctionDeclaration(n) || ts.isFunctionExpression(n) || ts.isArrowFunction(n) || ts.isClassLike(n))) {
      schedules = true;
      return;
    }
    if (ts.isTryStatement(n) && n.catchClause) guarded = true;
    const risky = ts.isAwaitExpression(n) || ts.isThrowStatement(n) || (ts.isForOfStatement(n) && !!n.awaitModifier) ||
      (ts.isReturnStatement(n) && !!n.expression && ts.isCallExpression(skipOuter(n.expression)));
    if (risky && !protectedByTry(n, body)) { exposed = true; return; }
    if (ts.isReturnStatement(n) && n.expression && !isPlainValue(skipOuter(n.expression))) returnsValue = true;
    ts.forEachChild(n, visit);
  };
  visit(body);
  if (exposed) return false;
  // an async function that neither awaits, throws nor returns anything that could reject, and hands
  // its work to a callback, only schedules it (parse-server: renewSessionIfNeeded sets a timer)
  return guarded || (isAsyncFunction(fn) && !returnsValue && schedules);
}

function isPlainValue(e: ts.Expression): boolean {
  return ts.isLiteralExpression(e) || ts.isObjectLiteralExpression(e) || ts.isArrayLiteralExpression(e) ||
    e.kind === ts.SyntaxKind.TrueKeyword || e.kind === ts.SyntaxKind.FalseKeyword || e.kind === ts.SyntaxKind.NullKeyword ||
    (ts.isIdentifier(e) && e.text === 'undefined');
}

function isPromiseReject(e: ts.Expression): boolean {
  return ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && e.expression.name.text === 'reject' &&
    ts.isIdentifier(e.expression.expression) && e.expression.expression.text === 'Promise';
}

function hasThrow(block: ts.Block): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isFunctionDeclaration(n) || ts.isFunctionExpression(n) || ts.isArrowFunction(n)) return;
    if (ts.isThrowStatement(n)) { found = true; return; }
    // `return Promise.reject(err)` rethrows too
    if (ts.isReturnStatement(n) && n.expression && isPromiseReject(skipOuter(n.expression))) { found = true; return; }
    ts.forEachChild(n, visit);
  };
  visit(block);
  return found;
}

const PROMISE_COMBINATORS = new Set(['all', 'race', 'any']);

function floatingOf(expr: ts.Expression, ctx: Ctx): Floating | undefined {
  let e = skipOuter(expr);
  let chained = false;
  for (let i = 0; i < 16; i++) {
    if (!ts.isCallExpression(e)) return undefined;
    const callee = skipOuter(e.expression);
    if (!ts.isPropertyAccessExpression(callee)) break;
    const m = callee.name.text;
    if (m === 'catch' && e.arguments.length > 0) return undefined; // `.catch()` without a handler handles nothing
    if (m === 'then' && e.arguments.length >= 2) return undefined;
    if (m !== 'then' && m !== 'finally' && m !== 'catch') break;
    chained = true;
    e = skipOuter(callee.expression);
  }
  if (!ts.isCallExpression(e)) return undefined;
  const base = e;
  const sf = ctx.sourceFile;
  const label = calleeLabel(base.expression, sf);

  const local = calledLocalFunction(base, ctx.facts);
  if (local) return returnsPromise(local) ? { base, kind: 'promise', label, chained, local } : undefined;

  const callee = skipOuter(base.expression);
  if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === 'Promise' &&
    !ctx.facts.moduleNames.has('Promise') && PROMISE_COMBINATORS.has(callee.name.text)) {
    return { base, kind: 'promise', label, chained };
  }
  const ext = externalCall(base, ctx.facts, ctx.project, ctx.config.externalModules);
  if (!ext || ext.call !== base) return undefined;
  const kind = promiseKindOf(ext, ctx.project);
  if (isModuleOf(LIB.mongoose, ext.module) && ext.path.join('.') === 'connect' && connectionErrorsObserved(expr)) return undefined;
  return kind ? { base, kind, label: ext.label, chained, module: ext.module } : undefined;
}

/**
 * React hooks only run in the browser (or a React Native app): a file that imports them is client
 * code even when its path and package look like a server's (a Next.js app's `hooks/useX.ts`).
 */
function isClientComponentCode(ctx: Ctx): boolean {
  for (const b of ctx.facts.bindings.values()) {
    if (hasRole(b.module, 'mobile')) return true;
    const id = libraryOf(b.module)?.id;
    if ((id === LIB.react || id === LIB.preact) && CLIENT_HOOKS.includes(b.imported)) return true;
  }
  return false;
}

/**
 * `mongoose.connect(url); mongoose.connection.on('error', …)`: the initial connection failure is
 * also emitted on the connection, and that listener (next to the call) observes it.
 */
function connectionErrorsObserved(expr: ts.Expression): boolean {
  const st = expr.parent;
  const block = st?.parent;
  if (!block || !(ts.isBlock(block) || ts.isSourceFile(block))) return false;
  // `const db = mongoose.connection;` aliases
  const aliases = new Set<string>();
  for (const s of block.statements) {
    if (!ts.isVariableStatement(s)) continue;
    for (const d of s.declarationList.declarations) {
      const init = d.initializer && skipOuter(d.initializer);
      if (ts.isIdentifier(d.name) && init && ts.isPropertyAccessExpression(init) && init.name.text === 'connection') aliases.add(d.name.text);
    }
  }
  return block.statements.some((s) => {
    if (!ts.isExpressionStatement(s)) return false;
    const c = skipOuter(s.expression);
    if (!ts.isCallExpression(c) || !ts.isPropertyAccessExpression(c.expression)) return false;
    const m = c.expression.name.text;
    const recv = skipOuter(c.expression.expression);
    const ev = c.arguments[0];
    const isConnection = (ts.isPropertyAccessExpression(recv) && recv.name.text === 'connection') || (ts.isIdentifier(recv) && aliases.has(recv.text));
    return (m === 'on' || m === 'once') && isConnection && !!ev && ts.isStringLiteralLike(ev) && ev.text === 'error';
  });
}

function messageOf(f: Floating): { messageId: MessageIds; data: Record<string, string> } {
  const call = `\`${f.label}()\``;
  if (f.kind === 'lazy') {
    const library = f.module && isModuleOf(LIB.prisma, f.module) ? lib(LIB.prisma).label : lib(LIB.mongoose).label;
    return f.chained ? { messageId: 'lazyChained', data: { call } } : { messageId: 'lazyNeverRuns', data: { call, library } };
  }
  return { messageId: f.chained ? 'chained' : 'floating', data: { call } };
}

function isTopLevel(st: ts.Statement): boolean {
  return ts.isSourceFile(st.parent);
}

function fixesFor(st: ts.ExpressionStatement, f: Floating, ctx: Ctx): Fix[] {
  const sf = ctx.sourceFile;
  const fn = enclosingFunction(st);
  const inAsync = !!fn && isAsyncFunction(fn);
  const fixes: Fix[] = [];
  const expr = st.expression;
  if (inAsync) {
    fixes.push({
      title: f.kind === 'lazy' ? 'Await the query (it runs, and its errors reach the caller)' : 'Await the promise (its errors reach the caller; the function now waits for it)',
      edits: [{ start: expr.getStart(sf), end: expr.getStart(sf), newText: 'await ' }],
      isPreferred: true,
      safe: false,
    });
  }
  const logger = chooseLogger(ctx, st) ?? consoleLogger(ctx);
  const what = f.label.replace(/^this\./, '');
  const call = logCall(ctx, logger, 'error', `${what} failed`, 'err');
  fixes.push({
    title: `Add .catch() that logs the error with ${logger.describe}`,
    edits: [...logger.setup, { start: expr.getEnd(), end: expr.getEnd(), newText: `.catch((err) => ${call})` }],
    isPreferred: !inAsync,
    safe: !inAsync && f.kind === 'promise',
  });
  return fixes;
}

export const floatingPromise = createRule({
  meta: {
    id: 'floating-promise',
    checklist: 'understand',
    severity: 'info',
    summary: 'A promise nobody awaits or catches fails invisibly: its rejection is an unhandledRejection (Node exits by default) and the caller carries on as if it had worked.',
    fixable: true,
    fileKinds: ['server', 'script'],
    messages: {
      lazyChained: '{{call}} is chained with .then()/.finally() but has no .catch(): if the query fails, Node reports an unhandledRejection (and exits by default) and nothing here learns that it failed. Await it or add .catch().',
      lazyNeverRuns: '{{call}} builds a query that is never awaited: {{library}} queries are lazy, so this one never runs. Await it (or chain .catch(), which also runs it).',
      chained: '{{call}} is chained with .then()/.finally() but has no .catch(): if it rejects, Node reports an unhandledRejection (and exits by default) and nothing here learns that it failed. Await it or add .catch().',
      floating: '{{call}} returns a promise that is neither awaited nor handled: if it rejects, Node reports an unhandledRejection (and exits by default) and nothing here learns that it failed. Await it, or handle the error with .catch().',
    },
  },
  defaultOptions: {},
  create(ctx) {
    if (isClientComponentCode(ctx)) return {};
    const pending: { st: ts.ExpressionStatement; f: Floating }[] = [];
    /** The file touches browser globals: it is client code whatever its path says. */
    let browser = false;
    return {
      ExpressionStatement(st) {
        const f = floatingOf(st.expression, ctx);
        if (!f) return;
        if (f.local && !f.chained && neverRejects(f.local)) return;
        if (f.local && isTopLevel(st)) return; // main(); bootstrap();
        pending.push({ st, f });
      },
      PropertyAccessExpression(pa) {
        // window.location, document.getElementById, navigator.sendBeacon: this file runs in a browser
        if (!browser && isBrowserGlobalAccess(pa, ctx.facts)) browser = true;
      },
      'SourceFile:exit'() {
        if (browser) return;
        for (const { st, f } of pending) ctx.report({ node: st.expression, ...messageOf(f), fix: () => fixesFor(st, f, ctx) });
      },
    };
  },
});
