/**
 * missing-correlation-id — a log call inside a request handler that carries no request or trace
 * id: under load, its line cannot be tied to the request that produced it.
 *
 * Before:  app.post('/orders', async (request, reply) => { logger.info({ orderId }, 'order created'); … })   (Fastify)
 * After:   app.post('/orders', async (request, reply) => { request.log.info({ orderId }, 'order created'); … })
 *
 * One finding per handler: the first such call, the others counted in its message, and a fix that
 * rewrites them all (one missing request logger is one problem, however many lines log).
 *
 * Silent when the line carries an id field (reqId, requestId, traceId, correlationId…), logs
 * through the request's own logger (`req.log`, `request.log`, `ctx.log`, a child logger), or the
 * project injects ids into every line (cls-rtracer, express-http-context, OpenTelemetry's pino or
 * winston instrumentation, @nestjs/… with nestjs-pino or nestjs-cls).
 */
import * as ts from 'typescript';
import { defineRule, type Fix, type RuleContext } from '../engine/types';
import { skipOuter } from '../engine/facts';
import { enclosingHandler } from '../engine/frameworks';
import { hasDependency } from '../engine/project';

const LEVELS = new Set(['info', 'warn', 'error', 'debug', 'trace', 'fatal', 'log', 'verbose']);
const ID_KEY = /^(req|request|trace|span|correlation|corr|x-request)[-_]?id$|^(requestId|reqId|traceId|spanId|correlationId|req|request|ctx)$/i;
const INJECTORS = ['cls-rtracer', 'express-http-context', '@opentelemetry/instrumentation-pino', '@opentelemetry/instrumentation-winston', 'nestjs-pino', 'nestjs-cls', 'express-request-context', '@fastify/request-context'];

/** The logger expression of `<logger>.<level>(…)` when it is the module/class logger. */
function moduleLogger(call: ts.CallExpression, ctx: RuleContext): string | undefined {
  const callee = call.expression;
  if (!ts.isPropertyAccessExpression(callee) || !LEVELS.has(callee.name.text)) return undefined;
  const recv = skipOuter(callee.expression);
  const text = recv.getText(ctx.sourceFile);
  const fileLogger = ctx.facts.logger?.name;
  if (text === fileLogger) return text;
  if (ts.isIdentifier(recv) && /^(logger|log)$/.test(recv.text) && ctx.facts.moduleNames.has(recv.text)) return text;
  if (ts.isPropertyAccessExpression(recv) && recv.expression.kind === ts.SyntaxKind.ThisKeyword && /^(logger|log)$/.test(recv.name.text)) return text;
  return undefined;
}

interface Group { calls: ts.CallExpression[]; logger: string; requestLogger?: string }

/** The log calls of this file without an id, by the handler they are in (in source order). */
function handlerGroups(ctx: RuleContext): Map<ts.Node, Group> {
  const holder = ctx.facts as unknown as { __correlation?: Map<ts.Node, Group> };
  return (holder.__correlation ??= new Map());
}

function carriesId(call: ts.CallExpression): boolean {
  for (const a of call.arguments) {
    const x = skipOuter(a);
    if (!ts.isObjectLiteralExpression(x)) continue;
    for (const p of x.properties) {
      if (ts.isSpreadAssignment(p)) return true; // `...ctx` may carry it: stay silent
      const name = p.name && (ts.isIdentifier(p.name) || ts.isStringLiteralLike(p.name)) ? p.name.text : undefined;
      if (name && ID_KEY.test(name)) return true;
    }
  }
  return false;
}

export const missingCorrelationId = defineRule({
  id: 'missing-correlation-id',
  checklist: 'understand',
  severity: 'info',
  summary: 'A log line in a request handler with no request or trace id cannot be tied to the request that produced it.',
  fixable: true,
  fileKinds: ['server'],
  applies: (ctx) => !INJECTORS.some((m) => hasDependency(ctx.project, m)),
  visit: {
    CallExpression(call, ctx) {
      const logger = moduleLogger(call, ctx);
      if (!logger || carriesId(call)) return;
      const h = enclosingHandler(call, ctx.facts, ctx.project);
      if (!h || h.info.guessed || (h.info.kind !== 'route' && h.info.kind !== 'controller' && h.info.kind !== 'middleware')) return;
      const req = h.info.reqName;
      let requestLogger: string | undefined;
      if (h.info.framework === 'fastify' && req) requestLogger = `${req}.log`;
      else if (h.info.framework === 'express' && req && hasDependency(ctx.project, 'pino-http')) requestLogger = `${req}.log`;
      if (ctx.facts.logger?.style === 'winston') requestLogger = undefined;
      // one finding per handler (one missing middleware is one problem, however many lines log)
      const groups = handlerGroups(ctx);
      let g = groups.get(h.fn);
      if (!g) groups.set(h.fn, (g = { calls: [], logger, requestLogger }));
      g.calls.push(call);
    },
  },
  finish(ctx) {
    for (const { calls, logger, requestLogger } of handlerGroups(ctx).values()) {
      const first = calls[0];
      const level = (first.expression as ts.PropertyAccessExpression).name.text;
      const fixes: Fix[] = [];
      if (requestLogger) {
        fixes.push({
          title: `Log through ${requestLogger} (carries the request id)${calls.length > 1 ? ` — ${calls.length} calls in this handler` : ''}`,
          edits: calls.map((c) => {
            const recv = (c.expression as ts.PropertyAccessExpression).expression;
            return { start: recv.getStart(ctx.sourceFile), end: recv.getEnd(), newText: requestLogger };
          }),
          isPreferred: true,
          safe: true,
        });
      }
      const what = calls.length > 1 ? `${logger}.${level}() and ${calls.length - 1} more log call${calls.length > 2 ? 's' : ''} in this request handler carry` : `${logger}.${level}() in a request handler carries`;
      ctx.report({
        node: first.expression,
        message: `${what} no request or trace id: under load ${calls.length > 1 ? 'these lines' : 'this line'} cannot be tied to ${calls.length > 1 ? 'their' : 'its'} request. ${requestLogger ? `Use ${requestLogger}.` : 'Log through a child logger with the request id (e.g. pino-http\'s req.log).'}`,
        fixes,
      });
    }
  },
});
