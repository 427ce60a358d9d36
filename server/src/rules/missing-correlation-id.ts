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
 * winston instrumentation, @nestjs/… with nestjs-pino or nestjs-cls: the knowledge table's
 * `log-injector` role).
 *
 * From the project (ctx.view): the logger module the project imports everywhere (its local name
 * in this file, or a per-module factory binding), and the request-scoped loggers its handlers
 * already use (`req.log` through any middleware), which the fix then uses too.
 */
import ts = require('typescript');
import { createRule, type RuleContextV2 } from '../engine/types';
import { skipOuter } from '../engine/facts';
import { enclosingHandler } from '../engine/frameworks';
import { hasDependency } from '../engine/project';
import { specifierMayName } from '../engine/queries/projectBindings';
import { inDevOnlyFunction } from '../engine/queries/devGuard';
import { FRAMEWORK, FRAMEWORK_INFO, KNOWLEDGE, LIB, LOGGER_STYLE, REQUEST_LOGGER, fill } from '../knowledge';

const LEVELS = new Set(['info', 'warn', 'error', 'debug', 'trace', 'fatal', 'log', 'verbose']);
const ID_KEY = /^(req|request|trace|span|correlation|corr|x-request)[-_]?id$|^(requestId|reqId|traceId|spanId|correlationId|req|request|ctx)$/i;
/** A request-scoped logger the project uses: `req.log`, `request.logger` (not `server.log`, the instance logger). */
const REQUEST_SCOPED = /^(?:req|request)\.(log|logger)$/;

type MessageIds = 'one' | 'many';
type Ctx = RuleContextV2<MessageIds>;

/** Names in this file that hold the project's logger (ctx.view.logger): its import, or the factory's binding. */
function projectLoggerNames(ctx: Ctx): Set<string> {
  const names = new Set<string>();
  const conv = ctx.view.logger;
  if (!conv) return names;
  const module = conv.module.kind === 'file' ? conv.module.file : conv.module.name;
  for (const b of ctx.facts.bindings.values()) {
    if (b.imported !== conv.exportName && !(b.imported === '*' && conv.exportName === 'default')) continue;
    if (!specifierMayName(b.module, ctx.fileName, module) && !conv.specifiers.some((s) => s.specifier === b.module)) continue;
    if (conv.factory) names.add(conv.factory.binding);
    else names.add(b.local);
  }
  return names;
}

/** The logger expression of `<logger>.<level>(…)` when it is the module/class logger. */
function moduleLogger(call: ts.CallExpression, ctx: Ctx, projectLoggers: ReadonlySet<string>): string | undefined {
  const callee = call.expression;
  if (!ts.isPropertyAccessExpression(callee) || !LEVELS.has(callee.name.text)) return undefined;
  const recv = skipOuter(callee.expression);
  const text = recv.getText(ctx.sourceFile);
  const fileLogger = ctx.facts.logger?.name;
  if (text === fileLogger) return text;
  if (ts.isIdentifier(recv) && /^(logger|log)$/.test(recv.text) && ctx.facts.moduleNames.has(recv.text)) return text;
  if (ts.isIdentifier(recv) && projectLoggers.has(recv.text)) return text;
  if (ts.isPropertyAccessExpression(recv) && recv.expression.kind === ts.SyntaxKind.ThisKeyword && /^(logger|log)$/.test(recv.name.text)) return text;
  return undefined;
}

const PINO_HTTP = KNOWLEDGE.lib(LIB.pinoHttp);

/**
 * `requestLogger` and whether it is known to exist (`seen`): the framework's own, a request logger
 * the project's handlers use or its middleware gives (ctx.view.requestLoggers: a file imports
 * pino-http), or pino-http imported in this file. A pino-http dependency alone is no proof:
 * unmounted, `req.log` is undefined at run time and does not type-check, so no fix is offered.
 */
interface Group { calls: ts.CallExpression[]; logger: string; requestLogger?: string; seen?: boolean }

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

export const missingCorrelationId = createRule({
  meta: {
    id: 'missing-correlation-id',
    checklist: 'understand',
    severity: 'info',
    summary: 'A log line in a request handler with no request or trace id cannot be tied to the request that produced it.',
    fixable: true,
    fileKinds: ['server'],
    messages: {
      one: '{{logger}}.{{level}}() in a request handler carries no request or trace id: under load this line cannot be tied to its request. {{advice}}',
      many: '{{logger}}.{{level}}() and {{more}} more log call{{s}} in this request handler carry no request or trace id: under load these lines cannot be tied to their request. {{advice}}',
    },
  },
  defaultOptions: {},
  create(ctx) {
    if (KNOWLEDGE.modulesWithRole('log-injector').some((m) => hasDependency(ctx.project, m))) return {};
    const projectLoggers = projectLoggerNames(ctx);
    const pinoHttp = hasDependency(ctx.project, KNOWLEDGE.moduleOf(LIB.pinoHttp));
    const pinoHttpMountedHere = [...ctx.facts.bindings.values()].some((b) => b.module === KNOWLEDGE.moduleOf(LIB.pinoHttp));
    /** The project's request loggers by property (`log`, `logger`), when its handlers use one. */
    const usedRequestLogger = ctx.view.requestLoggers.map((r) => REQUEST_SCOPED.exec(r)?.[1]).find((x) => x !== undefined);
    // one finding per handler (one missing middleware is one problem, however many lines log)
    const groups = new Map<ts.Node, Group>();
    return {
      CallExpression(call) {
        const logger = moduleLogger(call, ctx, projectLoggers);
        // a handler registered only in development (ProjectView.devOnly) serves no production request
        if (!logger || carriesId(call) || inDevOnlyFunction(call, ctx.view.devOnly)) return;
        const h = enclosingHandler(call, ctx.facts, ctx.project);
        if (!h || h.info.guessed || (h.info.kind !== 'route' && h.info.kind !== 'controller' && h.info.kind !== 'middleware')) return;
        const req = h.info.reqName;
        let requestLogger: string | undefined;
        let seen = true;
        const template = h.info.framework ? FRAMEWORK_INFO[h.info.framework]?.requestLogger : undefined;
        if (template && req) requestLogger = fill(template, { req });
        else if (h.info.framework === FRAMEWORK.express && req && pinoHttp) {
          requestLogger = fill(REQUEST_LOGGER, { req });
          seen = pinoHttpMountedHere || usedRequestLogger === 'log';
        }
        if (ctx.facts.logger?.style === LOGGER_STYLE.winston) requestLogger = undefined;
        // the project's handlers already log through a request logger: use it here too
        if (!requestLogger && req && usedRequestLogger && h.info.framework === FRAMEWORK.express) requestLogger = `${req}.${usedRequestLogger}`;
        let g = groups.get(h.fn);
        if (!g) groups.set(h.fn, (g = { calls: [], logger, requestLogger, seen }));
        g.calls.push(call);
      },
      'SourceFile:exit'() {
        for (const { calls, logger, requestLogger, seen } of groups.values()) {
          const first = calls[0];
          const level = (first.expression as ts.PropertyAccessExpression).name.text;
          const advice = !requestLogger ? 'Log through a child logger with the request id (e.g. pino-http\'s req.log).'
            : seen ? `Use ${requestLogger}.` : `Use ${requestLogger} once ${PINO_HTTP.label} is mounted (${fill(PINO_HTTP.middleware?.mount ?? '', { app: 'app' })}): no file of this project imports it.`;
          const more = calls.length - 1;
          ctx.report({
            node: first.expression,
            ...(more ? { messageId: 'many' as const, data: { logger, level, more, s: more > 1 ? 's' : '', advice } } : { messageId: 'one' as const, data: { logger, level, advice } }),
            ...(requestLogger && seen ? {
              fix: () => [{
                title: `Log through ${requestLogger} (carries the request id)${calls.length > 1 ? ` — ${calls.length} calls in this handler` : ''}`,
                edits: calls.map((c) => {
                  const recv = (c.expression as ts.PropertyAccessExpression).expression;
                  return { start: recv.getStart(ctx.sourceFile), end: recv.getEnd(), newText: requestLogger };
                }),
                isPreferred: true,
                safe: true,
              }],
            } : {}),
          });
        }
      },
    };
  },
});
