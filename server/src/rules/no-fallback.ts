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
 * finding): Express 4 route handlers (Express 4 does not catch rejected promises: the request
 * hangs and Node logs an unhandledRejection), and async listeners on event emitters (`x.on('msg',
 * async …)`: nobody awaits the listener). Silent under Express 5, express-async-errors, a wrapper
 * around the handler (`asyncHandler(…)`), NestJS/Fastify/Koa/Hono/Next (their routers turn a
 * rejection into a 500), in plain functions (the caller handles it), and in timers and job
 * callbacks (unmonitored-job owns those).
 */
import * as ts from 'typescript';
import { defineRule, type Fix, type RuleContext } from '../engine/types';
import { skipOuter } from '../engine/facts';
import { enclosingFunction, isFunctionLike, lineIndentAt, type FunctionLike } from '../engine/ast';
import { externalCall, type ExternalCall } from '../engine/calls';
import { handlerOf } from '../engine/frameworks';
import { dependencyMajor, hasDependency } from '../engine/project';
import { chooseLogger, consoleLogger, logCall } from '../fixes/logger';
import { semi, quoteString } from '../engine/style';
import { reindent } from '../fixes/edits';

type Place =
  | { kind: 'express'; fn: FunctionLike; res?: string; next?: string; label: string }
  | { kind: 'listener'; fn: FunctionLike; label: string };

const ASYNC_ERROR_PATCHES = ['express-async-errors', '@root/async-router', 'express-promise-router'];

function isAsync(fn: FunctionLike): boolean {
  return ts.getModifiers(fn as ts.HasModifiers)?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword) ?? false;
}

/** Where does a rejection thrown in `fn` go? Only the places listed in the header are findings. */
function placeOf(fn: FunctionLike, ctx: RuleContext): Place | undefined {
  if (!isAsync(fn)) return undefined;
  const parent = fn.parent;
  // emitter.on('event', async (…) => …) — but not process.on (shutdown hooks) and not route handlers
  if (parent && ts.isCallExpression(parent) && ts.isPropertyAccessExpression(parent.expression) &&
    /^(on|once|addListener|prependListener)$/.test(parent.expression.name.text) && parent.arguments[1] === fn) {
    const recv = skipOuter(parent.expression.expression);
    const ev = parent.arguments[0];
    if (ts.isIdentifier(recv) && recv.text === 'process') return undefined;
    if (ev && ts.isStringLiteralLike(ev)) return { kind: 'listener', fn, label: `${ev.text} listener` };
    return undefined;
  }
  const info = handlerOf(fn, ctx.facts, ctx.project);
  if (!info || info.framework !== 'express' || (info.kind !== 'route' && info.kind !== 'middleware')) return undefined;
  // the handler must be passed directly to the router, not through a wrapper that catches
  if (!parent || !ts.isCallExpression(parent) || !info.route || info.route.call !== parent) return undefined;
  const major = dependencyMajor(ctx.project, 'express');
  if (major !== undefined && major >= 5) return undefined;
  if (ASYNC_ERROR_PATCHES.some((m) => hasDependency(ctx.project, m))) return undefined;
  for (const b of ctx.facts.bindings.values()) if (ASYNC_ERROR_PATCHES.includes(b.module)) return undefined;
  const label = info.route.path ? `${info.route.method.toUpperCase()} ${info.route.path}` : 'this handler';
  return { kind: 'express', fn, res: info.resName, next: info.nextName, label };
}

/** Is the call's failure handled locally: inside a try block with a catch, chained .catch, allSettled? */
function handledLocally(call: ts.CallExpression, fn: FunctionLike): boolean {
  let n: ts.Node = call;
  while (n.parent && n !== fn) {
    const p = n.parent;
    if (ts.isTryStatement(p) && p.tryBlock === n && p.catchClause) return true;
    if (ts.isPropertyAccessExpression(p) && p.expression === n && (p.name.text === 'catch' || p.name.text === 'then' && ts.isCallExpression(p.parent) && p.parent.arguments.length === 2)) return true;
    if (ts.isCallExpression(p) && ts.isPropertyAccessExpression(p.expression) && p.expression.name.text === 'allSettled') return true;
    n = p;
  }
  return false;
}

export const noFallback = defineRule({
  id: 'no-fallback',
  checklist: 'recover',
  severity: 'warning',
  summary: 'An awaited external call whose failure nothing handles: the request hangs or the process logs an unhandled rejection instead of degrading.',
  fixable: true,
  fileKinds: ['server'],
  visit: {
    AwaitExpression(aw, ctx) {
      const ext = externalCall(aw.expression, ctx.facts, ctx.project, ctx.config.externalModules);
      if (!ext) return;
      const fn = enclosingFunction(aw);
      if (!fn) return;
      const place = placeOf(fn, ctx);
      if (!place) return;
      if (handledLocally(ext.call, fn)) return;
      // one finding per statement: the first unhandled await in it
      const stmt = statementIn(aw, fn);
      if (!stmt) return;
      const reported = ctx.facts as unknown as { __noFallback?: Set<ts.Node> };
      const seen = (reported.__noFallback ??= new Set());
      if (seen.has(stmt)) return;
      seen.add(stmt);
      const what = place.kind === 'express'
        ? `in an Express 4 handler a rejection is not caught: ${place.label} hangs until the client gives up and Node logs an unhandledRejection`
        : `nobody awaits an event listener: the rejection becomes an unhandledRejection and the event is lost`;
      ctx.report({
        node: ext.call.expression,
        message: `${ext.label}() can fail (${kindWord(ext)} down, timeout, bad response) and nothing handles it — ${what}. Catch it and degrade${place.kind === 'express' ? ' (503, or next(err))' : ''}.`,
        fixes: buildFixes(stmt, place, ext, ctx),
      });
    },
  },
});

function kindWord(ext: ExternalCall): string {
  return ext.kind === 'db' ? 'database' : ext.kind === 'cache' ? 'cache' : ext.kind === 'http' ? 'remote service' : ext.kind === 'queue' ? 'queue' : 'provider';
}

/** The statement of `fn`'s body (or a nested block) that contains `node`. */
function statementIn(node: ts.Node, fn: FunctionLike): ts.Statement | undefined {
  let n: ts.Node = node;
  while (n.parent && n.parent !== fn) {
    if (ts.isBlock(n.parent) && !isFunctionLike(n)) return n as ts.Statement;
    n = n.parent;
  }
  return undefined;
}

function buildFixes(stmt: ts.Statement, place: Place, ext: ExternalCall, ctx: RuleContext): Fix[] {
  const sf = ctx.sourceFile;
  const block = stmt.parent as ts.Block;
  const idx = block.statements.indexOf(stmt);
  if (idx < 0) return [];
  // wrap from this statement to the end of its block: declarations stay in scope for what follows
  const first = block.statements[idx];
  const last = block.statements[block.statements.length - 1];
  const start = first.getStart(sf);
  const end = last.getEnd();
  const indent = lineIndentAt(ctx.text, start);
  const inner = indent + ctx.style.indent;
  const eol = ctx.style.eol;
  const s = semi(ctx.style);
  const body = reindent(ctx.text.slice(start, end), indent, inner, eol);
  const logger = chooseLogger(ctx, stmt) ?? consoleLogger();
  const errName = 'err';
  const log = `${logCall(ctx, logger, 'error', `${place.label} failed`, errName)}${s}`;
  const make = (catchLines: string[], title: string, preferred: boolean): Fix => ({
    title,
    edits: [...logger.setup, {
      start,
      end,
      newText: `try {${eol}${inner}${body}${eol}${indent}} catch (${errName}) {${eol}${catchLines.map((l) => inner + l).join(eol)}${eol}${indent}}`,
    }],
    isPreferred: preferred,
    safe: preferred,
  });
  const via = logger.structured ? `log with ${logger.describe.split(' ')[0]}` : 'log with console.error';
  if (place.kind === 'listener') return [make([log], `Wrap in try/catch: ${via}`, true)];
  const fixes: Fix[] = [];
  if (place.next) fixes.push(make([`${place.next}(${errName})${s}`], `Wrap in try/catch: pass the error to ${place.next}(err)`, true));
  if (place.res) {
    const msg = quoteString(ctx.style, `${ext.kind === 'http' ? 'Upstream service' : 'Service'} temporarily unavailable`);
    fixes.push(make([log, `${place.res}.status(${ext.kind === 'http' ? 502 : 503}).json({ error: ${msg} })${s}`],
      `Wrap in try/catch: ${via} and respond ${ext.kind === 'http' ? 502 : 503}`, !place.next));
  }
  return fixes;
}
