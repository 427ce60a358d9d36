/**
 * The compact, serialisable summary of a file that the project index keeps instead of its
 * syntax tree: its imports of project files, its functions and the project functions they call,
 * its route registrations, and positive evidence for the readiness checklist (structured
 * logging, metrics, tracing, flag checks, rate limiters, health routes, shutdown hooks).
 * Collected during the same single walk as the rules.
 */
import ts = require('typescript');
import type { Rule, RuleContext } from './types';
import { enclosingFunction, functionName, isFunctionLike, type FunctionLike } from './ast';
import { FLAG_RECEIVER, FRAMEWORK, FRAMEWORK_INFO, HEALTH_PATH, KNOWLEDGE, ROUTE_VERB_METHODS, SHUTDOWN_EVENTS, loggerOf } from '../knowledge';
import { skipOuter } from './facts';
import { routeOf, handlerOf, nextFileKind } from './frameworks';
import { flagHelperAt } from './queries/projectBindings';

export type EvidenceKind = 'logger' | 'metrics' | 'tracing' | 'flag' | 'limiter' | 'health' | 'shutdown' | 'correlation' | 'errorHandler';

export interface Evidence {
  kind: EvidenceKind;
  start: number;
  end: number;
  /** e.g. the flag key, the logger library, the health path. */
  detail: string;
  /** Index into `functions` of the function containing it, or -1 at module level. */
  fn: number;
}

export interface FunctionSummary {
  /** `name`, `Class.method`, or `<route GET /orders>` for inline handlers. */
  name: string;
  start: number;
  end: number;
  exported: boolean;
  /** Callees as `local:<name>` (same file) or `import:<specifier>#<name>`. */
  calls: string[];
}

export interface RouteSummary {
  framework: string;
  method: string;
  path: string;
  start: number;
  end: number;
  /** Index into `functions` of the inline handler, or the callee reference of a named handler. */
  handlerFn: number;
  handlerRef?: string;
}

export interface ImportSummary {
  specifier: string;
  names: string[];
}

export interface FileSummary {
  imports: ImportSummary[];
  functions: FunctionSummary[];
  routes: RouteSummary[];
  evidence: Evidence[];
}

const FLAG_METHODS = KNOWLEDGE.flagCheckMethods();
const HTTP_METHODS = new Set(ROUTE_VERB_METHODS);
const NEST_METHODS = FRAMEWORK_INFO.nestjs.routeDecorators!;
const SHUTDOWN_EVENT = new Set(SHUTDOWN_EVENTS);

/** Route recognition used by the summary. frameworks.ts may refine it; this stays syntactic. */
export interface RouteHit { framework: string; method: string; path: string; handler?: ts.Expression }
export type RouteRecognizer = (call: ts.CallExpression, ctx: RuleContext) => RouteHit | undefined;

/** Modules whose exports make apps or routers, with their framework. */
const APP_MODULES = KNOWLEDGE.appModules();

/** Names bound at module level to an app or router: `express()`, `Router()`, `new Hono()`, `Fastify()`. */
export function appInstances(ctx: RuleContext): Map<string, string> {
  const cache = ctx.facts as unknown as { __apps?: Map<string, string> };
  if (cache.__apps) return cache.__apps;
  const apps = new Map<string, string>();
  for (const st of ctx.sourceFile.statements) {
    if (!ts.isVariableStatement(st)) continue;
    for (const d of st.declarationList.declarations) {
      if (!ts.isIdentifier(d.name) || !d.initializer) continue;
      let init = skipOuter(d.initializer);
      if (ts.isAwaitExpression(init)) init = skipOuter(init.expression);
      if (!ts.isCallExpression(init) && !ts.isNewExpression(init)) continue;
      let root: ts.Expression = init.expression;
      while (ts.isPropertyAccessExpression(root)) root = root.expression;
      if (!ts.isIdentifier(root)) continue;
      const b = ctx.facts.bindings.get(root.text);
      const fw = b && APP_MODULES.get(b.module);
      if (fw) apps.set(d.name.text, fw);
    }
  }
  cache.__apps = apps;
  return apps;
}

/** Express/Koa/Hono/Fastify shorthand: `<app|router>.<method>('/path', …handlers)` on a known app. */
export const basicRouteOf: RouteRecognizer = (call, ctx) => {
  const callee = call.expression;
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  const method = callee.name.text;
  if (!HTTP_METHODS.has(method)) return undefined;
  const first = call.arguments[0];
  if (!first || !ts.isStringLiteralLike(first) || !first.text.startsWith('/')) return undefined;
  if (call.arguments.length < 2) return undefined;
  const last = call.arguments[call.arguments.length - 1];
  let recv = skipOuter(callee.expression);
  // router.route('/x').get(handler) is not covered here; app.get(...) and router.get(...) are.
  while (ts.isCallExpression(recv) && ts.isPropertyAccessExpression(recv.expression)) recv = skipOuter(recv.expression.expression);
  const fw = ts.isIdentifier(recv) ? appInstances(ctx).get(recv.text) : undefined;
  if (!fw) return undefined;
  return { framework: fw, method: method.toUpperCase(), path: first.text, handler: last };
};

/**
 * The frameworks module's recognition (Express/Koa/Hono/Fastify apps and routers however they are
 * bound — created, typed parameters, class members — `router.route('/x').get(…)`, Fastify's
 * `route({ method, url })`, Hono's `on()`): a route with a literal path, its last handler.
 */
export const frameworkRouteOf: RouteRecognizer = (call, ctx) => {
  const r = routeOf(call, ctx.facts, ctx.project);
  if (!r || r.method === 'USE' || r.method === 'REGISTER' || r.path === undefined || r.handlers.length === 0) return undefined;
  return { framework: r.framework, method: r.method, path: r.path, handler: r.handlers[r.handlers.length - 1] };
};

export function createSummaryCollector(summary: FileSummary, recognize: RouteRecognizer = frameworkRouteOf): Rule {
  const fnIndex = new Map<ts.Node, number>();
  const indexOf = (fn: FunctionLike | undefined): number => {
    if (!fn) return -1;
    const hit = fnIndex.get(fn);
    if (hit !== undefined) return hit;
    // an anonymous function nested in a named one counts as part of it
    let named: FunctionLike | undefined = fn;
    while (named && !functionName(named) && !routeHandlerOwner(named)) named = enclosingFunction(named);
    if (named && named !== fn) {
      const i = indexOf(named);
      fnIndex.set(fn, i);
      return i;
    }
    return -1;
  };
  const addFunction = (fn: FunctionLike, name: string, exported: boolean): number => {
    const i = summary.functions.push({ name, start: fn.getStart(), end: fn.getEnd(), exported, calls: [] }) - 1;
    fnIndex.set(fn, i);
    return i;
  };
  const routeHandlers = new Map<ts.Node, string>();
  const routeHandlerOwner = (fn: FunctionLike) => routeHandlers.get(fn);
  const evidence = (kind: EvidenceKind, node: ts.Node, detail: string) => {
    summary.evidence.push({ kind, start: node.getStart(), end: node.getEnd(), detail, fn: indexOf(enclosingFunction(node)) });
  };

  let nextRoute: { kind: 'app-route' | 'pages-api'; path: string } | null | undefined;
  const onFunction = (fn: FunctionLike, ctx: RuleContext) => {
    if (fnIndex.has(fn)) return;
    const owner = routeHandlers.get(fn);
    if (owner) { addFunction(fn, owner, false); return; }
    // Next.js: the file is the route (app/api/invoices/route.ts exports GET; pages/api/x.ts its default)
    if (nextRoute === undefined) {
      const kind = nextFileKind(ctx.facts.fileName);
      nextRoute = kind ? { kind, path: nextRoutePath(ctx.facts.fileName, kind) } : null;
    }
    if (nextRoute) {
      const h = handlerOf(fn, ctx.facts);
      if (h && (h.kind === 'next-app' || h.kind === 'next-pages')) {
        const method = h.kind === 'next-app' && h.method ? h.method : 'ALL';
        const i = addFunction(fn, `<route ${method} ${nextRoute.path}>`, true);
        summary.routes.push({ framework: FRAMEWORK.next, method, path: nextRoute.path, start: fn.getStart(), end: fn.getEnd(), handlerFn: i });
        return;
      }
    }
    let name = functionName(fn);
    if (!name) return;
    const cls = fn.parent && ts.isClassLike(fn.parent) ? fn.parent : undefined;
    if (cls) name = `${cls.name?.text ?? 'default'}.${name}`;
    addFunction(fn, name, isExported(fn));
  };

  return {
    id: '__summary',
    checklist: 'understand',
    severity: 'hint',
    summary: 'internal: collects the file summary for the project index',
    fixable: false,
    fileKinds: ['server', 'browser', 'script', 'test'],
    applies(ctx) {
      for (const b of ctx.facts.bindings.values()) {
        if (!summary.imports.some((i) => i.specifier === b.module)) summary.imports.push({ specifier: b.module, names: [] });
        summary.imports.find((i) => i.specifier === b.module)!.names.push(b.imported);
        const lib = KNOWLEDGE.exactLibraryOf(b.module);
        // a logger library itself (not one that only exports a logger class among other things: Nest)
        const logger = loggerOf(b.module);
        if (logger && !logger.export) evidence('logger', b.node, b.module);
        if (lib?.roles.includes('metrics')) evidence('metrics', b.node, b.module);
        if (lib?.roles.includes('tracing')) evidence('tracing', b.node, b.module);
        if (lib?.roles.includes('limiter')) evidence('limiter', b.node, b.module);
        if (lib?.roles.includes('correlation')) evidence('correlation', b.node, b.module);
      }
      if (ctx.facts.logger) evidence('logger', ctx.sourceFile.statements[0] ?? ctx.sourceFile, ctx.facts.logger.style);
      return true;
    },
    visit: {
      FunctionDeclaration: onFunction,
      MethodDeclaration: onFunction,
      ArrowFunction: onFunction,
      FunctionExpression: onFunction,
      CallExpression(call, ctx) {
        // routes first, so inline handlers get the route's name when their node is visited
        const hit = recognize(call, ctx);
        if (hit) {
          const h = hit.handler && skipOuter(hit.handler);
          let handlerRef: string | undefined;
          if (h && isFunctionLike(h)) routeHandlers.set(h, `<route ${hit.method} ${hit.path}>`);
          else if (h) handlerRef = calleeRef(h, ctx);
          summary.routes.push({ framework: hit.framework, method: hit.method, path: hit.path, start: call.getStart(), end: call.getEnd(), handlerFn: -1, handlerRef });
          if (HEALTH_PATH.test(hit.path)) evidence('health', call, hit.path);
        }
        const callee = call.expression;
        // a router mounted on a health path: app.use('/health', healthRoutes) (its own paths are '/')
        if (!hit && ts.isPropertyAccessExpression(callee) && callee.name.text === 'use' && call.arguments.length >= 2) {
          const first = call.arguments[0];
          if (ts.isStringLiteralLike(first) && HEALTH_PATH.test(first.text)) evidence('health', call, first.text);
        }
        // a health route on a router the file receives (logto: statusRoutes(router) { router.get('/status', async (ctx) => …) })
        if (!hit && ts.isPropertyAccessExpression(callee) && (callee.name.text === 'get' || callee.name.text === 'head') && call.arguments.length >= 2) {
          const first = call.arguments[0];
          const last = skipOuter(call.arguments[call.arguments.length - 1]);
          if (ts.isStringLiteralLike(first) && HEALTH_PATH.test(first.text) && isFunctionLike(last)) evidence('health', call, first.text);
        }
        // process.on('SIGTERM', …)
        if (ts.isPropertyAccessExpression(callee) && (callee.name.text === 'on' || callee.name.text === 'once') &&
          ts.isIdentifier(callee.expression) && callee.expression.text === 'process') {
          const ev = call.arguments[0];
          if (ev && ts.isStringLiteralLike(ev) && SHUTDOWN_EVENT.has(ev.text)) evidence('shutdown', call, ev.text);
        }
        // NestJS `app.enableShutdownHooks()` (often in a setup function of another file) listens to SIGTERM/SIGINT itself
        if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'enableShutdownHooks') {
          evidence('shutdown', call, 'SIGTERM');
          evidence('shutdown', call, 'SIGINT');
        }
        // flag checks: client.getBooleanValue('key', …), ld.variation('key', …), isEnabled('key')
        const method = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : undefined;
        if (method && FLAG_METHODS.has(method)) {
          const key = call.arguments[0];
          if (key && ts.isStringLiteralLike(key) && (ctx.facts.flagSdk || ctx.project.flagSdk || ctx.config.flags || isFlagReceiver(callee))) {
            evidence('flag', call, key.text);
          }
        } else if (ctx.view.flagHelpers.length && call.arguments[0] && ts.isStringLiteralLike(call.arguments[0])) {
          // the project's own helper (learned, or declared in .failpath.json): gate('quotes-v2'), flags.on('x')
          if (flagHelperAt(ctx.view.flagHelpers, ctx.facts, ctx.fileName, callee)) evidence('flag', call, call.arguments[0].text);
        }
        // app.use((err, req, res, next) => …): an error-handling middleware
        if (method === 'use' && call.arguments.some((a) => isFunctionLike(a) && a.parameters.length === 4)) evidence('errorHandler', call, 'error middleware');
        // call edges
        const fi = indexOf(enclosingFunction(call));
        if (fi >= 0) {
          const ref = calleeRef(callee, ctx);
          if (ref && !summary.functions[fi].calls.includes(ref)) summary.functions[fi].calls.push(ref);
        }
      },
      'SourceFile:exit'(_sf) {
        // resolve inline route handlers to their function index
        for (const r of summary.routes) {
          if (r.handlerFn !== -1) continue;
          const name = `<route ${r.method} ${r.path}>`;
          r.handlerFn = summary.functions.findIndex((f) => f.name === name);
        }
      },
      Decorator(dec, ctx) {
        // NestJS: @Get('path') on a method of a @Controller('prefix') class
        const call = dec.expression;
        if (!ts.isCallExpression(call) || !ts.isIdentifier(call.expression)) return;
        const verb = NEST_METHODS[call.expression.text];
        if (!verb || !KNOWLEDGE.frameworkOf(ctx.facts.bindings.get(call.expression.text)?.module ?? '')?.decorators) return;
        const method = dec.parent;
        if (!ts.isMethodDeclaration(method) || !ts.isClassLike(method.parent)) return;
        const prefix = controllerPrefix(method.parent);
        const sub = call.arguments[0] && ts.isStringLiteralLike(call.arguments[0]) ? call.arguments[0].text : '';
        const path = ('/' + [prefix, sub].filter(Boolean).join('/')).replace(/\/+/g, '/');
        onFunction(method, ctx);
        summary.routes.push({ framework: FRAMEWORK.nestjs, method: verb, path, start: dec.getStart(), end: method.getEnd(), handlerFn: fnIndex.get(method) ?? -1 });
        if (HEALTH_PATH.test(path)) evidence('health', dec, path);
      },
    },
  };
}

function controllerPrefix(cls: ts.ClassLikeDeclaration): string {
  for (const d of ts.getDecorators(cls) ?? []) {
    const e = d.expression;
    if (ts.isCallExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === 'Controller') {
      const a = e.arguments[0];
      if (a && ts.isStringLiteralLike(a)) return a.text.replace(/^\/|\/$/g, '');
      if (a && ts.isObjectLiteralExpression(a)) {
        for (const p of a.properties) if (ts.isPropertyAssignment(p) && p.name.getText() === 'path' && ts.isStringLiteralLike(p.initializer)) return p.initializer.text;
      }
    }
  }
  return '';
}

function isFlagReceiver(callee: ts.Expression): boolean {
  if (!ts.isPropertyAccessExpression(callee)) return false;
  const recv = callee.expression.getText();
  return FLAG_RECEIVER.test(recv);
}

function isExported(fn: FunctionLike): boolean {
  const mods = ts.canHaveModifiers(fn) ? ts.getModifiers(fn) : undefined;
  if (mods?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) return true;
  const decl = fn.parent;
  if (decl && ts.isVariableDeclaration(decl)) {
    const st = decl.parent?.parent;
    return !!st && ts.isVariableStatement(st) && (ts.getModifiers(st)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword) ?? false);
  }
  if (ts.isMethodDeclaration(fn) && ts.isClassDeclaration(fn.parent)) {
    return ts.getModifiers(fn.parent)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword) ?? false;
  }
  return false;
}

/** `local:name` for same-file functions, `import:<spec>#<name>` for project imports. */
function calleeRef(callee: ts.Expression, ctx: RuleContext): string | undefined {
  const e = skipOuter(callee);
  if (ts.isIdentifier(e)) {
    const b = ctx.facts.bindings.get(e.text);
    if (b) return isProjectModule(b.module) ? `import:${b.module}#${b.imported}` : undefined;
    return ctx.facts.moduleNames.has(e.text) ? `local:${e.text}` : undefined;
  }
  if (ts.isPropertyAccessExpression(e)) {
    const obj = skipOuter(e.expression);
    if (ts.isIdentifier(obj)) {
      const b = ctx.facts.bindings.get(obj.text);
      if (b && isProjectModule(b.module)) {
        return b.imported === '*' || b.imported === 'default' ? `import:${b.module}#${e.name.text}` : `import:${b.module}#${b.imported}.${e.name.text}`;
      }
      if (!b && ctx.facts.moduleNames.has(obj.text)) return `local:${obj.text}.${e.name.text}`;
    }
    if (obj.kind === ts.SyntaxKind.ThisKeyword) {
      const cls = findClass(e);
      return cls?.name ? `local:${cls.name.text}.${e.name.text}` : undefined;
    }
    // this.billing.charge() where `billing: BillingService` is injected (NestJS and friends)
    if (ts.isPropertyAccessExpression(obj) && obj.expression.kind === ts.SyntaxKind.ThisKeyword) {
      const cls = findClass(e);
      const typeName = cls && memberTypes(cls).get(obj.name.text);
      if (!typeName) return undefined;
      const b = ctx.facts.bindings.get(typeName);
      if (b && isProjectModule(b.module)) return `import:${b.module}#${b.imported === 'default' ? typeName : b.imported}.${e.name.text}`;
      if (!b && ctx.facts.moduleNames.has(typeName)) return `local:${typeName}.${e.name.text}`;
    }
  }
  return undefined;
}

function findClass(n: ts.Node): ts.ClassLikeDeclaration | undefined {
  let p = n.parent;
  while (p) {
    if (ts.isClassLike(p)) return p;
    p = p.parent;
  }
  return undefined;
}

const memberTypeCache = new WeakMap<ts.ClassLikeDeclaration, Map<string, string>>();
/** Member name → the identifier of its declared type (constructor parameter properties and fields). */
function memberTypes(cls: ts.ClassLikeDeclaration): Map<string, string> {
  let m = memberTypeCache.get(cls);
  if (m) return m;
  m = new Map();
  const note = (name: ts.Node, type: ts.TypeNode | undefined) => {
    if (ts.isIdentifier(name) && type && ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName)) m!.set(name.text, type.typeName.text);
  };
  for (const member of cls.members) {
    if (ts.isPropertyDeclaration(member)) note(member.name, member.type);
    if (ts.isConstructorDeclaration(member)) for (const p of member.parameters) note(p.name, p.type);
  }
  memberTypeCache.set(cls, m);
  return m;
}

export function isProjectModule(spec: string): boolean {
  return spec.startsWith('.') || spec.startsWith('@/') || spec.startsWith('~/') || spec.startsWith('src/');
}

export function emptySummary(): FileSummary {
  return { imports: [], functions: [], routes: [], evidence: [] };
}

/** The URL path of a Next.js route file: app/api/(shop)/orders/[id]/route.ts → /api/orders/:id; pages/api/x/index.ts → /api/x. */
export function nextRoutePath(fileName: string, kind: 'app-route' | 'pages-api'): string {
  const f = fileName.replace(/\\/g, '/');
  const rest = kind === 'app-route'
    ? f.slice(f.lastIndexOf('/app/') + 5).replace(/(^|\/)route\.[cm]?[jt]sx?$/, '')
    : f.slice(f.lastIndexOf('/pages/') + 7).replace(/\.[cm]?[jt]sx?$/, '').replace(/(^|\/)index$/, '');
  const segs = rest.split('/').filter((s) => s && !/^\(.*\)$/.test(s) && !s.startsWith('@'))
    .map((s) => s.replace(/^\[\[?\.\.\.(.+?)\]?\]$/, '*$1').replace(/^\[(.+)\]$/, ':$1'));
  return '/' + segs.join('/');
}
