/**
 * no-fallback — an awaited external call (HTTP, database, cache, SDK) whose failure nothing
 * handles, in a place where an unhandled rejection goes nowhere useful.
 *
 * Before:  orders.get('/orders/:id', async (req, res) => {
 *            const { rows } = await pool.query(sql, [req.params.id]);
 *            res.json(rows[0]);
 *          });
 * After:   orders.get('/orders/:id', async (req, res) => {
 *            try {
 *              const { rows } = await pool.query(sql, [req.params.id]);
 *              res.json(rows[0]);
 *            } catch (err) {
 *              logger.error({ err }, 'GET /orders/:id failed');
 *              res.status(503).json({ error: 'Service temporarily unavailable' });
 *            }
 *          });
 *
 * Where it reports (precision first — a rejection that some caller or framework handles is not a
 * finding): Express 4 route handlers and middleware (Express 4 ignores the promise a handler
 * returns: the request hangs and the rejection is unhandled, which ends the process on Node 15+),
 * Node `http.createServer(async …)` handlers, async event listeners (`x.on('msg', async …)`:
 * nobody awaits a listener), and async `new Promise(async (resolve, reject) => …)` executors (the
 * outer promise never settles). Named handlers and listeners declared in the file count too
 * (`app.get('/x', getOrder)`).
 *
 * What fails: an awaited external call, `await Promise.all/race/any([…external calls])`, or an
 * awaited function of this file that itself awaits or returns an external call without handling it
 * (`await loadRates()`, followed one level at a time).
 *
 * Silent under Express 5, express-async-errors / express-promise-router, a wrapper around the
 * handler (`asyncHandler(…)`), an Express version that cannot be read from package.json,
 * NestJS/Fastify/Koa/Hono/Next (their routers turn a rejection into a 500), in plain functions
 * (the caller handles it), at the top level (a failed startup should fail loudly), and in timers,
 * cron and queue callbacks (unmonitored-job owns them). One finding per function, at its first
 * unhandled call; one try/catch covers them all.
 *
 * Fix: wrap the body-level statement holding the first unhandled call and every statement after
 * it (declarations stay in scope for the code that uses them, and nothing runs after the catch
 * answered), then: `next(err)` when the handler takes `next`; log + 503 (502 for an upstream HTTP
 * call) otherwise; log in a listener; `reject(err)` in an executor. When the failure comes from a
 * helper of this file with a readable empty return type (`Promise<Rate[]>`, `Promise<User | null>`,
 * `Promise<void>`), a second fix degrades inside the helper instead (`return []`), for every caller.
 *
 * Knowledge: the async-error patches (role `async-errors`), bot frameworks whose dispatcher catches
 * (role `chat-bot`), whether the installed Express awaits handlers (`awaitsHandlers`, by version)
 * and node:http's `createServer` come from the knowledge table.
 *
 * From the project (ctx.view): a call to a function imported from another project file is judged
 * by its summary (`view.summaryOf`): it fails like an external call when it does external I/O, can
 * reject and does not catch everything; a shared client (`db.query()` on `import { db }`) whose
 * export catches everything is not a failure source.
 */
import ts = require('typescript');
import { createRule, type Fix, type RuleContext, type TextEdit } from '../engine/types';
import { skipOuter } from '../engine/facts';
import { enclosingFunction, firstUp, isAsyncFunction, isFunctionLike, lineIndentAt, functionName, type FunctionLike } from '../engine/ast';
import { calleeLabel, calledLocalFunction, externalCall, localFunction, mentions, type ExternalCall } from '../engine/calls';
import { handlerOf, responseOf, routeOf, type RequestHandlerInfo, type RouteRegistration } from '../engine/frameworks';
import { hasDependency } from '../engine/project';
import { dependencyView } from '../engine/dependencies';
import { FRAMEWORK, IO, KNOWLEDGE, LIB, atVersion, isModuleOf, modulesWithRole } from '../knowledge';
import { chooseLogger, consoleLogger, logCall, type LoggerChoice } from '../fixes/logger';
import { semi, quoteString } from '../engine/style';
import { reindent } from '../fixes/edits';

/** Where a rejection in a function goes, for the places this rule reports. */
type Place =
  | { kind: 'express4-route'; res?: string; next?: string; label: string }
  | { kind: 'node-http'; res?: string; label: string }
  | { kind: 'listener'; label: string }
  | { kind: 'executor'; reject?: string };

/** What an unhandled await waits for. */
type Source =
  | { kind: 'external'; ext: ExternalCall }
  | { kind: 'all'; call: ts.CallExpression; exts: ExternalCall[] }
  | { kind: 'helper'; call: ts.CallExpression; target: FunctionLike };

interface Pending {
  fn: FunctionLike;
  /** The await (or bare `return x()` for helpers, which only makes the function reject). */
  at: ts.Node;
  source: Source;
  awaited: boolean;
}

/** Patches that make Express 4 await handlers (express-async-errors, express-promise-router …). */
const ASYNC_ERROR_PATCHES = modulesWithRole('async-errors');
const LISTEN_METHODS = new Set(['on', 'once', 'addListener', 'prependListener', 'prependOnceListener']);
/** Bot frameworks whose `.on(…)` registers middleware: their dispatcher catches handler errors. */
const CATCHING_ON = modulesWithRole('chat-bot');

// ---- places ------------------------------------------------------------------------------------

/** Express whose installed version does not await handlers (< 5), without an async-error patch. */
function computeExpress4(ctx: RuleContext): boolean {
  const express = KNOWLEDGE.lib(LIB.express);
  const module = KNOWLEDGE.moduleOf(LIB.express);
  const deps = dependencyView(ctx.project);
  if (deps.major(module) === undefined || !express.framework) return false;
  if (atVersion(express.framework, express, deps).awaitsHandlers !== false) return false;
  if (ASYNC_ERROR_PATCHES.some((m) => hasDependency(ctx.project, m))) return false;
  for (const b of ctx.facts.bindings.values()) if (ASYNC_ERROR_PATCHES.includes(b.module)) return false;
  // side-effect imports bind nothing: `import 'express-async-errors'` / `require('express-async-errors')`
  for (const st of ctx.sourceFile.statements) {
    const spec = ts.isImportDeclaration(st) && !st.importClause ? st.moduleSpecifier
      : ts.isExpressionStatement(st) && ts.isCallExpression(st.expression) && ts.isIdentifier(st.expression.expression) &&
        st.expression.expression.text === 'require' ? st.expression.arguments[0] : undefined;
    if (spec && ts.isStringLiteralLike(spec) && ASYNC_ERROR_PATCHES.includes(spec.text)) return false;
  }
  return true;
}

function routeLabel(route: RouteRegistration): string {
  if (route.method === 'USE') return route.path ? `middleware on ${route.path}` : 'middleware';
  return route.path ? `${route.method} ${route.path}` : 'this handler';
}

function paramName(fn: FunctionLike, i: number): string | undefined {
  const p = fn.parameters[i];
  return p && ts.isIdentifier(p.name) ? p.name.text : undefined;
}

function expressPlace(fn: FunctionLike, route: RouteRegistration, express4: () => boolean): Place | undefined {
  if (route.framework !== FRAMEWORK.express || route.method === 'REGISTER' || fn.parameters.length > 3) return undefined; // 4 params: error middleware
  if (!express4()) return undefined;
  return { kind: 'express4-route', res: paramName(fn, 1), next: paramName(fn, 2), label: routeLabel(route) };
}

/** `emitter.on('event', fn)`: a listener (or, for 'request', a Node HTTP handler). The caller checks `fn` is the second argument. */
function listenerPlace(call: ts.CallExpression, fn: FunctionLike, ctx: RuleContext): Place | undefined {
  const callee = call.expression;
  if (!ts.isPropertyAccessExpression(callee) || !LISTEN_METHODS.has(callee.name.text)) return undefined;
  const recv = skipOuter(callee.expression);
  if (ts.isIdentifier(recv) && recv.text === 'process') return undefined; // shutdown hooks: process-health's domain
  const ev = call.arguments[0];
  if (!ev || !ts.isStringLiteralLike(ev)) return undefined;
  for (const b of ctx.facts.bindings.values()) if (CATCHING_ON.includes(b.module)) return undefined;
  // server.on('request', async (req, res) => …) is a request handler
  if (ev.text === 'request' && fn.parameters.length === 2) return { kind: 'node-http', res: paramName(fn, 1), label: 'request' };
  return { kind: 'listener', label: `${ev.text} listener` };
}

/** Where does a rejection thrown in `fn` go? Only the places listed in the header are findings. */
function placeOf(fn: FunctionLike, ctx: RuleContext, refs: Map<FunctionLike, Place>, express4: () => boolean): Place | undefined {
  if (!isAsyncFunction(fn)) return undefined;
  const byName = refs.get(fn);
  if (byName) return byName;
  let arg: ts.Node = fn;
  while (arg.parent && ts.isParenthesizedExpression(arg.parent)) arg = arg.parent;
  const parent = arg.parent;
  if (!parent) return undefined;
  if (ts.isNewExpression(parent) && ts.isIdentifier(parent.expression) && parent.expression.text === 'Promise' && parent.arguments?.[0] === arg &&
    !ctx.facts.moduleNames.has('Promise')) {
    return { kind: 'executor', reject: paramName(fn, 1) };
  }
  if (!ts.isCallExpression(parent) || !parent.arguments.includes(arg as ts.Expression)) return undefined;
  const listener = parent.arguments[1] === arg ? listenerPlace(parent, fn, ctx) : undefined;
  if (listener) return listener;
  const r = ctx.facts.resolveCall(parent);
  if (r && isModuleOf(LIB.nodeHttp, r.module) && !r.instance && r.path.join('.') === 'createServer' && fn.parameters.length === 2) {
    return { kind: 'node-http', res: paramName(fn, 1), label: 'request' };
  }
  const info: RequestHandlerInfo | undefined = handlerOf(fn, ctx.facts, ctx.project);
  // the handler must be passed directly to the router, not through a wrapper that catches
  if (!info || !info.route || info.route.call !== parent || (info.kind !== 'route' && info.kind !== 'middleware')) return undefined;
  return expressPlace(fn, info.route, express4);
}

// ---- what is awaited ---------------------------------------------------------------------------

/** Is the call's failure handled locally: inside a try block with a catch, chained .catch, allSettled? */
function handledLocally(call: ts.Node, fn: FunctionLike): boolean {
  // within the call's own function (the usual case) the answer is remembered per node (firstUp)
  if (enclosingFunction(call) === fn) return firstUp(call, handlingStep, handlingCache, true) !== undefined;
  let n: ts.Node = call;
  while (n.parent && n !== fn) {
    if (handlingStep(n, n.parent)) return true;
    n = n.parent;
  }
  return false;
}
const handlingCache = new WeakMap<ts.Node, ts.Node | null>();
function handlingStep(n: ts.Node, p: ts.Node): ts.Node | undefined {
  if (ts.isTryStatement(p) && p.tryBlock === n && p.catchClause) return p;
  if (ts.isPropertyAccessExpression(p) && p.expression === n && (p.name.text === 'catch' ||
    p.name.text === 'then' && ts.isCallExpression(p.parent) && p.parent.arguments.length === 2)) return p;
  if (ts.isCallExpression(p) && ts.isPropertyAccessExpression(p.expression) && p.expression.name.text === 'allSettled') return p;
  return undefined;
}

/** The import a callee starts at (`loadUser` in `loadUser(id)`, `db` in `db.query(sql)`), with the imported name. */
function importedRoot(call: ts.CallExpression, ctx: RuleContext): { module: string; name: string; direct: boolean } | undefined {
  let e = skipOuter(call.expression);
  const direct = ts.isIdentifier(e);
  while (ts.isPropertyAccessExpression(e)) e = skipOuter(e.expression);
  if (!ts.isIdentifier(e)) return undefined;
  const b = ctx.facts.bindings.get(e.text);
  if (!b || b.imported === '*') return undefined;
  return { module: b.module, name: b.imported, direct };
}

function sourceOf(expr: ts.Expression, ctx: RuleContext): Source | undefined {
  const ext = externalCall(expr, ctx.facts, ctx.project, ctx.config.externalModules);
  if (ext) {
    // a shared client whose project export catches everything (view.summaryOf) does not reject
    const root = ext.inferred ? importedRoot(ext.call, ctx) : undefined;
    if (root && ctx.view.summaryOf(root.module, root.name)?.catchesAll) return undefined;
    return { kind: 'external', ext };
  }
  const e = skipOuter(expr);
  if (!ts.isCallExpression(e)) return undefined;
  // a function of another project file: its summary says whether it does I/O and can reject
  const root = importedRoot(e, ctx);
  if (root?.direct) {
    const summary = ctx.view.summaryOf(root.module, root.name);
    if (summary && summary.io !== undefined && summary.canReject && !summary.catchesAll) {
      const io = summary.io as ExternalCall['kind'];
      return { kind: 'external', ext: { call: e, module: root.module, kind: io, path: [root.name], label: calleeLabel(e.expression, ctx.sourceFile), inferred: true, instance: false } };
    }
  }
  const callee = e.expression;
  // Promise.all([pool.query(a), redis.get(b)])
  if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === 'Promise' &&
    ['all', 'race', 'any'].includes(callee.name.text) && !ctx.facts.moduleNames.has('Promise')) {
    const arr = e.arguments[0] && skipOuter(e.arguments[0]);
    if (!arr || !ts.isArrayLiteralExpression(arr)) return undefined;
    const exts: ExternalCall[] = [];
    for (const el of arr.elements) {
      const x = ts.isSpreadElement(el) ? undefined : externalCall(el, ctx.facts, ctx.project, ctx.config.externalModules);
      if (x) exts.push(x);
    }
    return exts.length ? { kind: 'all', call: e, exts } : undefined;
  }
  const target = calledLocalFunction(e, ctx.facts);
  return target ? { kind: 'helper', call: e, target } : undefined;
}

function sourceCall(s: Source): ts.CallExpression {
  return s.kind === 'external' ? s.ext.call : s.call;
}

// ---- the rule ----------------------------------------------------------------------------------

export const noFallback = createRule({
  meta: {
    id: 'no-fallback',
    checklist: 'recover',
    severity: 'warning',
    summary: 'An awaited external call whose failure nothing handles: the request hangs or the process dies on an unhandled rejection instead of degrading.',
    fixable: true,
    fileKinds: ['server'],
    messages: {
      unhandled: '{{what}} and nothing handles it{{also}} — {{where}}.{{advice}}',
    },
  },
  defaultOptions: {},
  create(ctx) {
    const rctx = ctx as unknown as RuleContext; // the helpers read facts, project, view, style, text
    const pending: Pending[] = [];
    /** Local functions registered by name as Express handlers or listeners. */
    const refs = new Map<FunctionLike, Place>();
    let express4: boolean | undefined;
    const isExpress4 = () => (express4 ??= computeExpress4(rctx));

    function noteBareReturn(fn: FunctionLike, expr: ts.Expression, at: ts.Node): void {
      const source = sourceOf(expr, rctx);
      if (!source || handledLocally(sourceCall(source), fn)) return;
      pending.push({ fn, at, source, awaited: false });
    }

    return {
      AwaitExpression(aw) {
        const fn = enclosingFunction(aw);
        if (!fn) return;
        const source = sourceOf(aw.expression, rctx);
        if (!source || handledLocally(sourceCall(source), fn)) return;
        pending.push({ fn, at: aw, source, awaited: true });
      },
      ReturnStatement(ret) {
        // `return pool.query(…)` makes the function reject when the query does (a helper's failure)
        if (!ret.expression || ts.isAwaitExpression(skipOuter(ret.expression))) return;
        const fn = enclosingFunction(ret);
        if (fn) noteBareReturn(fn, ret.expression, ret);
      },
      ArrowFunction(fn) {
        if (!ts.isBlock(fn.body) && !ts.isAwaitExpression(skipOuter(fn.body))) noteBareReturn(fn, fn.body, fn.body);
      },
      CallExpression(call) {
        // app.get('/x', getOrder) / emitter.on('message', onMessage) with functions of this file
        const callee = call.expression;
        if (!ts.isPropertyAccessExpression(callee)) return;
        const named = call.arguments.filter((a): a is ts.Identifier => ts.isIdentifier(a));
        if (named.length === 0) return;
        if (LISTEN_METHODS.has(callee.name.text)) {
          const fn = call.arguments[1] === named[0] ? localFunction(named[0].text, call, ctx.facts) : undefined;
          const place = fn && listenerPlace(call, fn, rctx);
          if (fn && place) refs.set(fn, place);
          return;
        }
        const route = routeOf(call, ctx.facts, ctx.project);
        if (!route) return;
        for (const id of named) {
          if (!route.handlers.includes(id)) continue;
          const fn = localFunction(id.text, call, ctx.facts);
          const place = fn && expressPlace(fn, route, isExpress4);
          if (fn && place) refs.set(fn, place);
        }
      },
      'SourceFile:exit'() {
        if (pending.length === 0) return;
        const byFn = new Map<FunctionLike, Pending[]>();
        for (const p of pending) {
          const list = byFn.get(p.fn);
          if (list) list.push(p);
          else byFn.set(p.fn, [p]);
        }
        const rejecting = rejectingCheck(byFn);
        for (const [fn, list] of byFn) {
          const place = placeOf(fn, rctx, refs, isExpress4);
          if (!place) continue;
          const failing = list.filter((p) => p.awaited && (p.source.kind !== 'helper' || rejecting(p.source.target)));
          if (failing.length === 0) continue;
          const first = failing[0];
          const call = sourceCall(first.source);
          const ext = first.source.kind === 'external' ? first.source.ext : first.source.kind === 'all' ? first.source.exts[0] : rejecting(first.source.target)!;
          const canFix = fixable(fn, first, failing, place, byFn, rctx);
          ctx.report({
            node: call.expression,
            messageId: 'unhandled',
            data: messageData(first.source, ext, place, failing.length - 1, rctx),
            ...(canFix ? { fix: () => buildFixes(fn, first, ext, failing, place, byFn, rctx) } : {}),
          });
        }
      },
    };
  },
});

/** Whether buildFixes offers something (decided without building text or choosing a logger). */
function fixable(fn: FunctionLike, first: Pending, failing: Pending[], place: Place, byFn: Map<FunctionLike, Pending[]>, ctx: RuleContext): boolean {
  if (canWrap(fn, first.at, ctx)) {
    switch (place.kind) {
      case 'listener': return true;
      case 'executor': return !!place.reject || (!!fn.body && !mentions(fn.body, 'reject') && fn.parameters.length > 0);
      case 'node-http': return !!place.res;
      case 'express4-route': return !!place.next || !!place.res;
    }
  }
  const helper = first.source.kind === 'helper' ? first.source.target : undefined;
  if (!helper || !failing.every((p) => p.source.kind === 'helper' && p.source.target === helper)) return false;
  const own = byFn.get(helper) ?? [];
  return isAsyncFunction(helper) && !!helper.body && ts.isBlock(helper.body) && own.length > 0 && own.every((p) => p.awaited) &&
    emptyValue(helper.type) !== undefined && canWrap(helper, own[0].at, ctx);
}

/** wrapFrom's conditions, without building the wrapped text. */
function canWrap(fn: FunctionLike, from: ts.Node, ctx: RuleContext): boolean {
  const body = fn.body;
  if (!body) return false;
  if (!ts.isBlock(body)) return true;
  const stmt = bodyStatement(from, body);
  if (!stmt) return false;
  const idx = body.statements.indexOf(stmt);
  if (body.statements.slice(idx).some((st) => ts.isFunctionDeclaration(st))) return false;
  return lineStartsAt(ctx.text, stmt.getStart(ctx.sourceFile)) || idx === 0;
}

/** Does a function of this file reject when an external call fails (its own, or a helper's, unhandled)? */
function rejectingCheck(byFn: Map<FunctionLike, Pending[]>): (fn: FunctionLike) => ExternalCall | undefined {
  const memo = new Map<FunctionLike, ExternalCall | null>();
  const check = (fn: FunctionLike, depth: number): ExternalCall | undefined => {
    const hit = memo.get(fn);
    if (hit !== undefined) return hit ?? undefined;
    memo.set(fn, null); // cycles: not rejecting
    let found: ExternalCall | undefined;
    for (const p of byFn.get(fn) ?? []) {
      if (p.source.kind === 'external') found = p.source.ext;
      else if (p.source.kind === 'all') found = p.source.exts[0];
      else if (depth < 4) found = check(p.source.target, depth + 1);
      if (found) break;
    }
    memo.set(fn, found ?? null);
    return found;
  };
  return (fn) => check(fn, 0);
}

function kindWord(ext: ExternalCall): string {
  return ext.kind === IO.db ? 'database' : ext.kind === IO.cache ? 'cache' : ext.kind === IO.http ? 'remote service' : ext.kind === IO.queue ? 'queue' : 'provider';
}

function messageData(source: Source, ext: ExternalCall, place: Place, more: number, ctx: RuleContext): { what: string; also: string; where: string; advice: string } {
  const sf = ctx.sourceFile;
  let what: string;
  if (source.kind === 'external') {
    what = `${source.ext.label}() can fail (${kindWord(source.ext)} down, timeout, bad response)`;
  } else if (source.kind === 'all') {
    what = `${source.call.expression.getText(sf)}() fails when any of ${source.exts.map((x) => `${x.label}()`).join(', ')} does`;
  } else {
    what = `${source.call.expression.getText(sf)}() rejects when ${ext.label}() fails (${kindWord(ext)} down, timeout, bad response)`;
  }
  const where = place.kind === 'express4-route'
    ? `Express 4 ignores the promise a handler returns: ${place.label.startsWith('middleware') ? `every request through this ${place.label}` : place.label} hangs until the client gives up, and the rejection is unhandled (Node 15+ exits on it)`
    : place.kind === 'node-http'
      ? 'the HTTP server ignores the promise its handler returns: the request hangs and the rejection is unhandled (Node 15+ exits on it)'
      : place.kind === 'listener'
        ? 'nobody awaits an event listener: the rejection is unhandled (Node 15+ exits on it) and the event is lost'
        : 'a rejection inside an async Promise executor is not passed to the promise: it never settles and the rejection is unhandled';
  const also = more > 0 ? ` (${more} more unhandled await${more > 1 ? 's' : ''} follow${more > 1 ? '' : 's'} in this function)` : '';
  const advice = place.kind === 'express4-route' ? ' Catch it and degrade (503, or next(err)).' : place.kind === 'executor' ? ' Catch it and reject.' : place.kind === 'node-http' ? ' Catch it and answer 503.' : ' Catch it and log.';
  return { what, also, where, advice };
}

// ---- fixes -------------------------------------------------------------------------------------

/** The direct statement of `fn`'s body that contains `node`. */
function bodyStatement(node: ts.Node, body: ts.Block): ts.Statement | undefined {
  let n: ts.Node = node;
  while (n.parent && n.parent !== body) n = n.parent;
  return n.parent === body ? (n as ts.Statement) : undefined;
}

function lineStartsAt(text: string, offset: number): boolean {
  let i = offset;
  while (i > 0 && (text[i - 1] === ' ' || text[i - 1] === '\t')) i--;
  return i === 0 || text[i - 1] === '\n';
}

interface Wrap {
  /** Replace text[start, end) … */
  start: number;
  end: number;
  /** … with this, given the catch block's statements. */
  build(catchLines: string[]): string;
}

/**
 * A try/catch around the statements of `fn`'s body from the one holding `from` to the end (or the
 * whole expression body of an arrow). Undefined when it cannot be done without changing meaning:
 * a function declaration in the wrapped statements may be called before them (hoisting).
 */
function wrapFrom(fn: FunctionLike, from: ts.Node, ctx: RuleContext): Wrap | undefined {
  const sf = ctx.sourceFile;
  const text = ctx.text;
  const eol = ctx.style.eol;
  const unit = ctx.style.indent;
  const body = fn.body;
  if (!body) return undefined;
  const tryCatch = (inner: string, indent: string, lines: string[]) =>
    `try {${eol}${indent}${unit}${inner}${eol}${indent}} catch (err) {${eol}${lines.map((l) => indent + unit + l).join(eol)}${eol}${indent}}`;
  if (!ts.isBlock(body)) {
    // async (req, res) => res.json(await x())  →  a block body
    const outer = lineIndentAt(text, fn.getStart(sf));
    const indent = outer + unit;
    const expr = skipOuter(body);
    const code = reindent(expr.getText(sf), lineIndentAt(text, expr.getStart(sf)), indent + unit, eol);
    return {
      start: body.getStart(sf),
      end: body.getEnd(),
      build: (lines) => `{${eol}${indent}${tryCatch(`${code}${semi(ctx.style)}`, indent, lines)}${eol}${outer}}`,
    };
  }
  const stmt = bodyStatement(from, body);
  if (!stmt) return undefined;
  const idx = body.statements.indexOf(stmt);
  const wrapped = body.statements.slice(idx);
  if (wrapped.some((s) => ts.isFunctionDeclaration(s))) return undefined;
  const start = stmt.getStart(sf);
  const end = wrapped[wrapped.length - 1].getEnd();
  if (lineStartsAt(text, start)) {
    const indent = lineIndentAt(text, start);
    const code = reindent(text.slice(start, end), indent, indent + unit, eol);
    return { start, end, build: (lines) => tryCatch(code, indent, lines) };
  }
  // `{ res.json(await x()); }` on one line: only when the whole body is wrapped
  if (idx !== 0) return undefined;
  const outer = lineIndentAt(text, body.getStart(sf));
  const indent = outer + unit;
  const code = reindent(text.slice(start, end), lineIndentAt(text, start), indent + unit, eol);
  return { start: body.getStart(sf) + 1, end: body.getEnd() - 1, build: (lines) => `${eol}${indent}${tryCatch(code, indent, lines)}${eol}${outer}` };
}

const SEND_METHODS = new Set(['redirect', 'render', 'sendStatus', 'sendFile', 'download', 'writeHead']);

/**
 * Can a response have gone out before a later await fails (so the catch must not answer again)?
 * Sends that end their path (`return res.json(…)`, or followed by `return`) do not count.
 */
function mayHaveResponded(fn: FunctionLike, res: string, ctx: RuleContext): boolean {
  const sf = ctx.sourceFile;
  let firstSend = Infinity;
  let lastAwait = -1;
  const info: RequestHandlerInfo = { ...(handlerOf(fn, ctx.facts, ctx.project) ?? { framework: FRAMEWORK.express, kind: 'plain' }), resName: res };
  const visit = (n: ts.Node): void => {
    if (isFunctionLike(n)) return;
    if (ts.isAwaitExpression(n)) lastAwait = Math.max(lastAwait, n.getStart(sf));
    if (ts.isCallExpression(n)) {
      const callee = n.expression;
      const isSend = !!responseOf(n, info, ctx.facts) ||
        ts.isPropertyAccessExpression(callee) && SEND_METHODS.has(callee.name.text) && ts.isIdentifier(callee.expression) && callee.expression.text === res;
      if (isSend && !endsPath(n)) firstSend = Math.min(firstSend, n.getEnd()); // its arguments are awaited first
    }
    ts.forEachChild(n, visit);
  };
  if (fn.body) ts.forEachChild(fn.body, visit);
  return firstSend < lastAwait;
}

/** `return res.json(x)` or `res.json(x); return;` */
function endsPath(send: ts.Node): boolean {
  let n: ts.Node = send;
  while (n.parent && !ts.isBlock(n.parent) && !ts.isSourceFile(n.parent) && !isFunctionLike(n.parent)) {
    if (ts.isReturnStatement(n.parent)) return true;
    n = n.parent;
  }
  const block = n.parent;
  if (!block || !ts.isBlock(block)) return false;
  const next = block.statements[block.statements.indexOf(n as ts.Statement) + 1];
  return !!next && ts.isReturnStatement(next);
}

function loggerTitle(logger: LoggerChoice): string {
  return `log with ${logger.describe}`;
}

function buildFixes(fn: FunctionLike, first: Pending, ext: ExternalCall, failing: Pending[], place: Place, byFn: Map<FunctionLike, Pending[]>, ctx: RuleContext): Fix[] {
  const fixes: Fix[] = [];
  const main = mainFix(fn, first, ext, place, ctx);
  if (main) fixes.push(...main);
  // a single helper is the only source: degrade inside it instead (for every caller)
  const helper = first.source.kind === 'helper' ? first.source.target : undefined;
  if (helper && failing.every((p) => p.source.kind === 'helper' && p.source.target === helper)) {
    const degrade = helperFix(helper, byFn.get(helper) ?? [], ctx);
    if (degrade) fixes.push(degrade);
  }
  return fixes;
}

function mainFix(fn: FunctionLike, first: Pending, ext: ExternalCall, place: Place, ctx: RuleContext): Fix[] {
  const wrap = wrapFrom(fn, first.at, ctx);
  if (!wrap) return [];
  const s = semi(ctx.style);
  const anchor = first.at;
  const make = (lines: string[], title: string, preferred: boolean, setup: TextEdit[] = [], safe = preferred): Fix => ({
    title,
    edits: [...setup, { start: wrap.start, end: wrap.end, newText: wrap.build(lines) }],
    isPreferred: preferred,
    safe,
  });
  const withLogger = (label: string): { logger: LoggerChoice; line: string } => {
    const logger = chooseLogger(ctx, anchor) ?? consoleLogger();
    return { logger, line: `${logCall(ctx, logger, 'error', `${label} failed`, 'err')}${s}` };
  };
  switch (place.kind) {
    case 'listener': {
      const { logger, line } = withLogger(place.label);
      return [make([line], `Wrap in try/catch: ${loggerTitle(logger)}`, true, logger.setup, !logger.assumed)];
    }
    case 'executor': {
      if (place.reject) return [make([`${place.reject}(err)${s}`], `Wrap in try/catch: reject the promise with the error`, true)];
      // async (resolve) => …: add the reject parameter
      if (!fn.body || mentions(fn.body, 'reject')) return [];
      const p = fn.parameters[0];
      if (!p) return [];
      const parens = ctx.text.slice(fn.getStart(ctx.sourceFile), p.getStart(ctx.sourceFile)).includes('(');
      const edit: TextEdit = parens ? { start: p.getEnd(), end: p.getEnd(), newText: ', reject' } : { start: p.getStart(ctx.sourceFile), end: p.getEnd(), newText: `(${p.getText(ctx.sourceFile)}, reject)` };
      return [make([`reject(err)${s}`], `Wrap in try/catch: reject the promise with the error (adds the reject parameter)`, true, [edit])];
    }
    case 'node-http': {
      if (!place.res) return [];
      const { logger, line } = withLogger(place.label);
      return [make([line, `if (!${place.res}.headersSent) ${place.res}.writeHead(503)${s}`, `${place.res}.end()${s}`],
        `Wrap in try/catch: ${loggerTitle(logger)} and respond 503`, true, logger.setup, !logger.assumed)];
    }
    case 'express4-route': {
      const fixes: Fix[] = [];
      if (place.next) fixes.push(make([`${place.next}(err)${s}`], `Wrap in try/catch: pass the error to ${place.next}(err)`, true));
      if (place.res) {
        const status = ext.kind === IO.http ? 502 : 503;
        const { logger, line } = withLogger(place.label);
        const msg = quoteString(ctx.style, `${status === 502 ? 'Upstream service' : 'Service'} temporarily unavailable`);
        const respond = `${place.res}.status(${status}).json({ error: ${msg} })${s}`;
        const guarded = mayHaveResponded(fn, place.res, ctx);
        fixes.push(make([line, guarded ? `if (!${place.res}.headersSent) ${respond}` : respond],
          `Wrap in try/catch: ${loggerTitle(logger)} and respond ${status}`, !place.next, logger.setup, !place.next && !logger.assumed));
      }
      return fixes;
    }
  }
}

/** `Promise<T[]>` → `[]`, `Promise<T | null>` → `null`, `Promise<T | undefined>` → `undefined`, `Promise<void>` → '' (fall through). */
function emptyValue(type: ts.TypeNode | undefined): string | undefined {
  if (!type || !ts.isTypeReferenceNode(type) || !ts.isIdentifier(type.typeName) || type.typeName.text !== 'Promise') return undefined;
  const arg = type.typeArguments?.[0];
  if (!arg) return undefined;
  const t = ts.isParenthesizedTypeNode(arg) ? arg.type : arg;
  if (t.kind === ts.SyntaxKind.VoidKeyword) return '';
  if (ts.isArrayTypeNode(t) || ts.isTypeOperatorNode(t) && t.operator === ts.SyntaxKind.ReadonlyKeyword && ts.isArrayTypeNode(t.type) ||
    ts.isTypeReferenceNode(t) && ts.isIdentifier(t.typeName) && (t.typeName.text === 'Array' || t.typeName.text === 'ReadonlyArray')) return '[]';
  if (ts.isUnionTypeNode(t)) {
    const lit = (k: ts.SyntaxKind) => t.types.some((u) => ts.isLiteralTypeNode(u) ? u.literal.kind === k : u.kind === k);
    if (lit(ts.SyntaxKind.NullKeyword)) return 'null';
    if (lit(ts.SyntaxKind.UndefinedKeyword)) return 'undefined';
  }
  return undefined;
}

/** Degrade inside the helper: wrap its unhandled awaits, log, return the declared type's empty value. */
function helperFix(helper: FunctionLike, own: Pending[], ctx: RuleContext): Fix | undefined {
  if (!isAsyncFunction(helper) || !helper.body || !ts.isBlock(helper.body) || own.length === 0) return undefined;
  if (own.some((p) => !p.awaited)) return undefined; // `return pool.query()` is not caught by a try around it
  const empty = emptyValue(helper.type);
  if (empty === undefined) return undefined;
  const wrap = wrapFrom(helper, own[0].at, ctx);
  if (!wrap) return undefined;
  const name = functionName(helper) ?? 'the helper';
  const logger = chooseLogger(ctx, own[0].at) ?? consoleLogger();
  const s = semi(ctx.style);
  const lines = [`${logCall(ctx, logger, 'error', `${name} failed`, 'err')}${s}`, ...(empty ? [`return ${empty}${s}`] : [])];
  return {
    title: `Degrade in ${name}(): ${loggerTitle(logger)} and ${empty ? `return ${empty}` : 'return'} (every caller gets the fallback)`,
    edits: [...logger.setup, { start: wrap.start, end: wrap.end, newText: wrap.build(lines) }],
    isPreferred: false,
    safe: false,
  };
}
