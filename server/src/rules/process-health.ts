/**
 * process-health — the file that starts the server (`app.listen(…)`) lacks what an orchestrator
 * needs to run it safely: graceful shutdown on SIGTERM/SIGINT, a last-resort handler that logs
 * unhandled rejections and uncaught exceptions, and a health route.
 *
 * Before:  app.listen(port, () => logger.info({ port }, 'listening'));
 * After:   const server = app.listen(port, () => logger.info({ port }, 'listening'));
 *          const shutdown = (signal: string) => { …server.close… };
 *          process.on('SIGTERM', () => shutdown('SIGTERM'));
 *          process.on('SIGINT', () => shutdown('SIGINT'));
 *
 * Project-level: process handlers and health routes registered in other files count when the
 * project index is available (`ProjectFacts.signals`, filled by the CLI and the server's
 * workspace scan). Without it, the health-route check is skipped rather than guessed.
 */
import * as ts from 'typescript';
import { defineRule, type Fix, type RuleContext, type TextEdit } from '../engine/types';
import { skipOuter } from '../engine/facts';
import { isExampleProject } from '../engine/project';
import { appOf, isNestAppCreation } from '../engine/frameworks';
import { enclosingStatement, lineIndentAt } from '../engine/ast';
import { chooseLogger, consoleLogger, logCall } from '../fixes/logger';
import { semi, quoteString } from '../engine/style';

const HEALTH = /^\/(health|healthz|healthcheck|ready|readiness|readyz|live|liveness|livez|ping|status)\b/i;
type Fw = 'express' | 'koa' | 'fastify' | 'nestjs';

interface State {
  listen?: { call: ts.CallExpression; fw: Fw; app: string };
  events: Set<string>;
  health: boolean;
  nestShutdownHooks: boolean;
}

function state(ctx: RuleContext): State {
  const holder = ctx.facts as unknown as { __health?: State };
  return (holder.__health ??= { events: new Set(), health: false, nestShutdownHooks: false });
}

function nestApp(expr: ts.Expression, ctx: RuleContext): boolean {
  const e = skipOuter(expr);
  if (!ts.isIdentifier(e)) return false;
  // const app = await NestFactory.create(AppModule) somewhere in this file
  const holder = ctx.facts as unknown as { __nestApps?: Set<string> };
  return holder.__nestApps?.has(e.text) ?? false;
}

export const processHealth = defineRule({
  id: 'process-health',
  checklist: 'recover',
  severity: 'warning',
  summary: 'A server process without graceful shutdown, a last-resort error handler or a health route drops requests on every deploy and cannot be restarted by its orchestrator when it hangs.',
  fixable: true,
  fileKinds: ['server'],
  visit: {
    VariableDeclaration(d, ctx) {
      if (ts.isIdentifier(d.name) && d.initializer && isNestAppCreation(d.initializer, ctx.facts)) {
        const holder = ctx.facts as unknown as { __nestApps?: Set<string> };
        (holder.__nestApps ??= new Set()).add(d.name.text);
      }
    },
    CallExpression(call, ctx) {
      const s = state(ctx);
      const callee = call.expression;
      if (!ts.isPropertyAccessExpression(callee)) return;
      const m = callee.name.text;
      const recv = skipOuter(callee.expression);
      if ((m === 'on' || m === 'once' || m === 'addListener') && ts.isIdentifier(recv) && recv.text === 'process') {
        const ev = call.arguments[0];
        if (ev && ts.isStringLiteralLike(ev)) s.events.add(ev.text);
        return;
      }
      if (m === 'enableShutdownHooks') { s.nestShutdownHooks = true; return; }
      // a router mounted on a health path: app.use('/health', healthRouter)
      if (m === 'use' && call.arguments.length >= 2) {
        const p = call.arguments[0];
        if (ts.isStringLiteralLike(p) && HEALTH.test(p.text)) s.health = true;
        return;
      }
      if (/^(get|all|head|route)$/.test(m)) {
        const p = call.arguments[0];
        if (p && ts.isStringLiteralLike(p) && HEALTH.test(p.text)) s.health = true;
        if (m === 'route' && p && ts.isObjectLiteralExpression(p)) {
          for (const prop of p.properties) if (ts.isPropertyAssignment(prop) && prop.name.getText() === 'url' && ts.isStringLiteralLike(prop.initializer) && HEALTH.test(prop.initializer.text)) s.health = true;
        }
        return;
      }
      if (m !== 'listen' || s.listen) return;
      if (nestApp(recv, ctx)) { s.listen = { call, fw: 'nestjs', app: recv.getText() }; return; }
      const app = appOf(recv, ctx.facts, ctx.project);
      if (!app || app.role !== 'app' || !['express', 'koa', 'fastify'].includes(app.framework)) return;
      s.listen = { call, fw: app.framework as Fw, app: recv.getText() };
    },
    Decorator(dec, ctx) {
      // NestJS health controllers: @Controller('health') / @Get('healthz')
      const e = dec.expression;
      if (ts.isCallExpression(e) && ts.isIdentifier(e.expression) && /^(Controller|Get)$/.test(e.expression.text)) {
        const a = e.arguments[0];
        if (a && ts.isStringLiteralLike(a) && HEALTH.test('/' + a.text.replace(/^\//, ''))) state(ctx).health = true;
      }
    },
  },
  finish(ctx) {
    const s = state(ctx);
    const listen = s.listen;
    if (!listen || isExampleProject(ctx.project, { examplesFolder: false })) return; // a demo package (novu's playground/nestjs) is not deployed
    // libraries that install the handlers themselves
    for (const b of ctx.facts.bindings.values()) {
      if (b.module === 'close-with-grace') ['SIGTERM', 'unhandledRejection'].forEach((e) => s.events.add(e));
      if (b.module === '@godaddy/terminus' || b.module === 'lightship') { s.events.add('SIGTERM'); s.health = true; }
      if (b.module === 'http-terminator' || b.module === 'stoppable' || b.module === 'http-graceful-shutdown') s.events.add('SIGTERM');
    }
    const signals = ctx.project.signals;
    const events = new Set([...s.events, ...(signals?.processEvents ?? [])]);
    const missing: ('shutdown' | 'errors' | 'health')[] = [];
    const hasShutdown = listen.fw === 'nestjs' ? s.nestShutdownHooks || events.has('SIGTERM') : events.has('SIGTERM') || events.has('SIGINT');
    if (!hasShutdown) missing.push('shutdown');
    if (!events.has('unhandledRejection') && !events.has('uncaughtException')) missing.push('errors');
    if (signals && !s.health && !signals.healthRoutes) missing.push('health');
    if (missing.length === 0) return;
    const words = { shutdown: 'no graceful shutdown on SIGTERM: in-flight requests are cut on every deploy', errors: 'no unhandledRejection/uncaughtException handler that logs: the process dies or limps on without a trace', health: 'no health route (/healthz) for the orchestrator to probe: a hung process keeps receiving traffic' };
    const fixes = buildFixes(listen, missing, ctx);
    for (const k of missing) {
      ctx.report({
        node: listen.call.expression,
        message: `This process starts the server but has ${words[k]}.`,
        fixes: fixes.filter((f) => f.for === k).map(({ for: _k, ...f }) => ({ ...f, isPreferred: true })),
      });
    }
  },
});

function buildFixes(listen: NonNullable<State['listen']>, missing: ('shutdown' | 'errors' | 'health')[], ctx: RuleContext): (Fix & { for: string })[] {
  const sf = ctx.sourceFile;
  const stmt = enclosingStatement(listen.call);
  if (!stmt) return [];
  const indent = lineIndentAt(ctx.text, stmt.getStart(sf));
  const eol = ctx.style.eol;
  const s = semi(ctx.style);
  const q = (t: string) => quoteString(ctx.style, t);
  const ts_ = /\.[cm]?tsx?$/.test(ctx.fileName);
  const logger = chooseLogger(ctx, listen.call) ?? consoleLogger();
  const ind = ctx.style.indent;
  const fixes: (Fix & { for: string })[] = [];
  const after = (lines: string[]): TextEdit => ({ start: stmt.getEnd(), end: stmt.getEnd(), newText: lines.map((l) => `${eol}${indent}${l}`).join('') });

  if (missing.includes('shutdown')) {
    const edits: TextEdit[] = listen.fw === 'nestjs' ? [] : [...logger.setup];
    if (listen.fw === 'nestjs') {
      edits.push({ start: stmt.getStart(sf), end: stmt.getStart(sf), newText: `${listen.app}.enableShutdownHooks()${s}${eol}${indent}` });
    } else {
      let closeCall: string;
      if (listen.fw === 'fastify') closeCall = `${listen.app}.close()`;
      else {
        // keep the http.Server that listen() returns
        let server = 'server';
        const decl = listen.call.parent;
        if (decl && ts.isVariableDeclaration(decl) && ts.isIdentifier(decl.name)) server = decl.name.text;
        else if (ts.isExpressionStatement(stmt) && stmt.expression === listen.call) {
          if (ctx.facts.moduleNames.has('server')) return fixes;
          edits.push({ start: stmt.getStart(sf), end: stmt.getStart(sf), newText: `const ${server} = ` });
        } else return fixes;
        closeCall = `new Promise${ts_ ? '<void>' : ''}((resolve, reject) => ${server}.close((err) => (err ? reject(err) : resolve())))`;
      }
      const sig = ts_ ? 'signal: NodeJS.Signals' : 'signal';
      edits.push(after([
        `const shutdown = (${sig}) => {`,
        `${ind}${logCall(ctx, logger, 'info', 'shutting down', undefined, ['signal'])}${s}`,
        `${ind}// stop accepting connections, let in-flight requests finish, then exit`,
        `${ind}${closeCall}`,
        `${ind}${ind}.then(() => process.exit(0))`,
        `${ind}${ind}.catch((err) => {`,
        `${ind}${ind}${ind}${logCall(ctx, logger, 'error', 'shutdown failed', 'err')}${s}`,
        `${ind}${ind}${ind}process.exit(1)${s}`,
        `${ind}${ind}})${s}`,
        `${ind}setTimeout(() => process.exit(1), 10_000).unref()${s}`,
        `}${s}`,
        `process.on(${q('SIGTERM')}, shutdown)${s}`,
        `process.on(${q('SIGINT')}, shutdown)${s}`,
      ]));
    }
    fixes.push({ for: 'shutdown', title: listen.fw === 'nestjs' ? 'Enable NestJS shutdown hooks' : `Add graceful shutdown on SIGTERM/SIGINT (${listen.fw === 'fastify' ? 'app.close()' : 'server.close()'}, 10 s limit)`, edits });
  }
  if (missing.includes('errors')) {
    fixes.push({
      for: 'errors',
      title: `Log unhandled rejections and uncaught exceptions with ${logger.describe}`,
      edits: [...logger.setup, after([
        `process.on(${q('unhandledRejection')}, (reason) => {`,
        `${ind}${logCall(ctx, logger, 'error', 'unhandled promise rejection', 'reason')}${s}`,
        `})${s}`,
        `process.on(${q('uncaughtException')}, (err) => {`,
        `${ind}${logCall(ctx, logger, 'error', 'uncaught exception; exiting', 'err')}${s}`,
        `${ind}process.exit(1)${s}`,
        `})${s}`,
      ])],
    });
  }
  if (missing.includes('health') && listen.fw !== 'nestjs') {
    const app = listen.app;
    const route = listen.fw === 'fastify'
      ? `${app}.get(${q('/healthz')}, async () => ({ status: ${q('ok')} }))${s}`
      : listen.fw === 'koa'
        ? undefined
        : `${app}.get(${q('/healthz')}, (_req, res) => {${eol}${indent}${ind}res.json({ status: ${q('ok')} })${s}${eol}${indent}})${s}`;
    if (route) {
      fixes.push({
        for: 'health',
        title: 'Add a /healthz route',
        edits: [{ start: stmt.getStart(sf), end: stmt.getStart(sf), newText: `${route}${eol}${eol}${indent}` }],
      });
    }
  }
  return fixes;
}
