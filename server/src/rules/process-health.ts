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
import ts = require('typescript');
import { createRule, type Fix, type RuleContextV2, type TextEdit } from '../engine/types';
import { skipOuter } from '../engine/facts';
import { isExampleProject } from '../engine/project';
import { appOf, isNestAppCreation } from '../engine/frameworks';
import { enclosingStatement, lineIndentAt } from '../engine/ast';
import { chooseLogger, consoleLogger, logCall } from '../fixes/logger';
import { semi, quoteString } from '../engine/style';
import { FRAMEWORK, HEALTH_PATH, exactLibraryOf } from '../knowledge';

const HEALTH = HEALTH_PATH;
type Fw = typeof FRAMEWORK.express | typeof FRAMEWORK.koa | typeof FRAMEWORK.fastify | typeof FRAMEWORK.nestjs;
const LISTENING_APPS: readonly string[] = [FRAMEWORK.express, FRAMEWORK.koa, FRAMEWORK.fastify];
type MessageIds = 'noShutdown' | 'noErrorHandler' | 'noHealth';
type Ctx = RuleContextV2<MessageIds>;

interface State {
  listen?: { call: ts.CallExpression; fw: Fw; app: string };
  events: Set<string>;
  health: boolean;
  nestShutdownHooks: boolean;
}

/** A string a path argument holds: a literal, or a module-level `const HEALTH = '/healthz'` of this file. */
function pathText(e: ts.Expression | undefined, consts: ReadonlyMap<string, string>): string | undefined {
  const x = e && skipOuter(e);
  if (!x) return undefined;
  if (ts.isStringLiteralLike(x)) return x.text;
  if (ts.isIdentifier(x)) return consts.get(x.text);
  return undefined;
}

/** Module-level string constants of the file (health routes written through a constant). */
function stringConstants(sf: ts.SourceFile): Map<string, string> {
  const out = new Map<string, string>();
  for (const st of sf.statements) {
    if (!ts.isVariableStatement(st) || !(st.declarationList.flags & ts.NodeFlags.Const)) continue;
    for (const d of st.declarationList.declarations) {
      const init = d.initializer && skipOuter(d.initializer);
      if (ts.isIdentifier(d.name) && init && ts.isStringLiteralLike(init)) out.set(d.name.text, init.text);
    }
  }
  return out;
}

/** The call lies in an exported function (`export async function bootstrap()`): a library's entry that apps call, not the process's own start. */
function inExportedFunction(node: ts.Node): boolean {
  for (let p: ts.Node | undefined = node.parent; p; p = p.parent) {
    if (ts.isFunctionDeclaration(p) && ts.getModifiers(p)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) return true;
    if ((ts.isArrowFunction(p) || ts.isFunctionExpression(p)) && ts.isVariableDeclaration(p.parent) &&
      ts.isVariableStatement(p.parent.parent.parent) && ts.getModifiers(p.parent.parent.parent)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) return true;
  }
  return false;
}

export const processHealth = createRule({
  meta: {
    id: 'process-health',
    checklist: 'recover',
    severity: 'warning',
    summary: 'A server process without graceful shutdown, a last-resort error handler or a health route drops requests on every deploy and cannot be restarted by its orchestrator when it hangs.',
    fixable: true,
    fileKinds: ['server'],
    messages: {
      noShutdown: 'This process starts the server but has no graceful shutdown on SIGTERM: in-flight requests are cut on every deploy.',
      noErrorHandler: 'This process starts the server but has no unhandledRejection/uncaughtException handler that logs: the process dies or limps on without a trace.',
      noHealth: 'This process starts the server but has no health route (/healthz) for the orchestrator to probe: a hung process keeps receiving traffic.',
    },
  },
  defaultOptions: {},
  create(ctx) {
    const s: State = { events: new Set(), health: false, nestShutdownHooks: false };
    const nestApps = new Set<string>();
    let consts: Map<string, string> | undefined;
    const isHealth = (e: ts.Expression | undefined, prefix = '') => {
      const t = pathText(e, (consts ??= stringConstants(ctx.sourceFile)));
      return t !== undefined && HEALTH.test(`${prefix}/${t.replace(/^\//, '')}`.replace(/^\/\//, '/'));
    };
    return {
      VariableDeclaration(d) {
        // const app = await NestFactory.create(AppModule) somewhere in this file
        if (ts.isIdentifier(d.name) && d.initializer && isNestAppCreation(d.initializer, ctx.facts)) nestApps.add(d.name.text);
      },
      CallExpression(call) {
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
        // a router mounted on a health path: app.use('/health', healthRouter), app.use(HEALTH_PATH, …)
        if (m === 'use' && call.arguments.length >= 2) {
          if (isHealth(call.arguments[0])) s.health = true;
          return;
        }
        if (/^(get|all|head|route)$/.test(m)) {
          const p = call.arguments[0];
          if (isHealth(p)) s.health = true;
          if (m === 'route' && p && ts.isObjectLiteralExpression(p)) {
            for (const prop of p.properties) if (ts.isPropertyAssignment(prop) && prop.name.getText() === 'url' && isHealth(prop.initializer)) s.health = true;
          }
          return;
        }
        if (m !== 'listen' || s.listen) return;
        const e = skipOuter(recv);
        if (ts.isIdentifier(e) && nestApps.has(e.text)) { s.listen = { call, fw: FRAMEWORK.nestjs, app: recv.getText() }; return; }
        const app = appOf(recv, ctx.facts, ctx.project);
        if (!app || app.role !== 'app' || !LISTENING_APPS.includes(app.framework)) return;
        s.listen = { call, fw: app.framework as Fw, app: recv.getText() };
      },
      Decorator(dec) {
        // NestJS health controllers: @Controller('health') / @Get('healthz') / @Controller(HEALTH_PATH)
        const e = dec.expression;
        if (ts.isCallExpression(e) && ts.isIdentifier(e.expression) && /^(Controller|Get)$/.test(e.expression.text) && isHealth(e.arguments[0])) s.health = true;
      },
      'SourceFile:exit'() {
        const listen = s.listen;
        if (!listen || isExampleProject(ctx.project, { examplesFolder: false })) return; // a demo package (novu's playground/nestjs) is not deployed
        // a library's exported bootstrap(): the app that calls it owns the process and its handlers
        if (inExportedFunction(listen.call)) return;
        // libraries that install the handlers themselves (knowledge: shutdown facets)
        for (const b of ctx.facts.bindings.values()) {
          const facet = exactLibraryOf(b.module)?.shutdown;
          if (!facet) continue;
          facet.handles.forEach((ev) => s.events.add(ev));
          if (facet.health) s.health = true;
        }
        const signals = ctx.project.signals;
        const events = new Set([...s.events, ...(signals?.processEvents ?? [])]);
        const missing: ('shutdown' | 'errors' | 'health')[] = [];
        const hasShutdown = listen.fw === FRAMEWORK.nestjs ? s.nestShutdownHooks || events.has('SIGTERM') : events.has('SIGTERM') || events.has('SIGINT');
        if (!hasShutdown) missing.push('shutdown');
        if (!events.has('unhandledRejection') && !events.has('uncaughtException')) missing.push('errors');
        // health routes the Session resolved through constants, prefixes and @Controller(CONST) count project-wide
        if (signals && !s.health && !signals.healthRoutes && ctx.view.healthRoutes.length === 0) missing.push('health');
        if (missing.length === 0) return;
        const ids = { shutdown: 'noShutdown', errors: 'noErrorHandler', health: 'noHealth' } as const;
        let built: (Fix & { for: string })[] | undefined;
        const fixesFor = (k: string) => (built ??= buildFixes(listen, missing, ctx)).filter((f) => f.for === k).map(({ for: _k, ...f }) => ({ ...f, isPreferred: true }));
        for (const k of missing) {
          const fixable = k !== 'health' || (listen.fw !== FRAMEWORK.nestjs && listen.fw !== FRAMEWORK.koa);
          ctx.report({ node: listen.call.expression, messageId: ids[k], ...(fixable ? { fix: () => fixesFor(k) } : {}) });
        }
      },
    };
  },
});

function buildFixes(listen: NonNullable<State['listen']>, missing: ('shutdown' | 'errors' | 'health')[], ctx: Ctx): (Fix & { for: string })[] {
  const sf = ctx.sourceFile;
  const stmt = enclosingStatement(listen.call);
  if (!stmt) return [];
  const indent = lineIndentAt(ctx.text, stmt.getStart(sf));
  const eol = ctx.style.eol;
  const s = semi(ctx.style);
  const q = (t: string) => quoteString(ctx.style, t);
  const ts_ = /\.[cm]?tsx?$/.test(ctx.fileName);
  const logger = chooseLogger(ctx, listen.call) ?? consoleLogger(ctx);
  const ind = ctx.style.indent;
  const fixes: (Fix & { for: string })[] = [];
  const after = (lines: string[]): TextEdit => ({ start: stmt.getEnd(), end: stmt.getEnd(), newText: lines.map((l) => `${eol}${indent}${l}`).join('') });

  if (missing.includes('shutdown')) {
    const edits: TextEdit[] = listen.fw === FRAMEWORK.nestjs ? [] : [...logger.setup];
    if (listen.fw === FRAMEWORK.nestjs) {
      edits.push({ start: stmt.getStart(sf), end: stmt.getStart(sf), newText: `${listen.app}.enableShutdownHooks()${s}${eol}${indent}` });
    } else {
      let closeCall: string;
      if (listen.fw === FRAMEWORK.fastify) closeCall = `${listen.app}.close()`;
      else {
        // keep the http.Server that listen() returns
        let server: string | undefined;
        const decl = listen.call.parent;
        if (decl && ts.isVariableDeclaration(decl) && ts.isIdentifier(decl.name)) server = decl.name.text;
        else if (ts.isExpressionStatement(stmt) && stmt.expression === listen.call) {
          // a name the file uses nowhere: `const server = server.listen(…)` would not compile
          server = ['server', 'httpServer', 'listener'].find((n) => n !== listen.app && !new RegExp(`\\b${n}\\b`).test(ctx.text));
          if (!server) return fixes;
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
    fixes.push({ for: 'shutdown', title: listen.fw === FRAMEWORK.nestjs ? 'Enable NestJS shutdown hooks' : `Add graceful shutdown on SIGTERM/SIGINT (${listen.fw === FRAMEWORK.fastify ? 'app.close()' : 'server.close()'}, 10 s limit)`, edits });
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
  if (missing.includes('health') && listen.fw !== FRAMEWORK.nestjs) {
    const app = listen.app;
    const route = listen.fw === FRAMEWORK.fastify
      ? `${app}.get(${q('/healthz')}, async () => ({ status: ${q('ok')} }))${s}`
      : listen.fw === FRAMEWORK.koa
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
