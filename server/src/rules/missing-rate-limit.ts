/**
 * missing-rate-limit — an app whose routes have no rate limiter in their middleware chain, and
 * sensitive routes (login, signup, password reset, OTP, payment, webhook) left out of the
 * per-route limiting their siblings in the same file get.
 *
 * Before:  const app = express();
 *          app.post('/login', login);
 * After:   import rateLimit from 'express-rate-limit';
 *          const app = express();
 *          app.use(rateLimit({ windowMs: 60 * 1000, limit: 100 }));
 *          app.post('/login', login);
 *
 * Before:  router.post('/login', loginLimiter, login);
 *          router.post('/reset-password', resetPassword);
 * After:   router.post('/reset-password', loginLimiter, resetPassword);
 *
 * Before:  @Post('webauthn/verify')            (siblings carry @UseGuards(CustomThrottlerGuard))
 * After:   @Post('webauthn/verify')
 *          @UseGuards(CustomThrottlerGuard)
 *
 * Precision over recall: an app is reported only in the file that creates it, when nothing in
 * that file looks like a limiter (an import of a limiter package, a configured limiter name, a
 * middleware named like one), when the app is not handed to other code that may configure it
 * (`setupMiddleware(app)`), and — if the project does depend on a limiter package — only when
 * routes are registered right here (a router mounted from another file may carry its own).
 * Router files and Nest controllers are only reported against the evidence of their own
 * siblings. Where the fact lives in another file, the rule stays silent.
 */
import * as ts from 'typescript';
import { defineRule, type Fix, type RuleContext, type Severity, type TextEdit } from '../engine/types';
import { skipOuter } from '../engine/facts';
import { enclosingFunction, isAsyncFunction, lineIndentAt } from '../engine/ast';
import { addImport } from '../fixes/edits';
import { quoteString, semi } from '../engine/style';
import { isProjectModule } from '../engine/summary';
import { dependencyMajor, isExampleProject } from '../engine/project';
import {
  appOf, creationOf, nestRouteOf, objectProp, routeOf, type Framework, type NestRoute, type RouteRegistration,
} from '../engine/frameworks';

/** Packages that limit incoming request rates. */
export const LIMITER_MODULES: readonly string[] = [
  'express-rate-limit', 'express-slow-down', 'express-brute', 'rate-limiter-flexible', 'rate-limit-redis',
  '@fastify/rate-limit', 'fastify-rate-limit', '@nestjs/throttler', 'koa-ratelimit', 'koa2-ratelimit',
  'hono-rate-limiter', '@upstash/ratelimit',
];
const LIMITER_NAME = /rate[-_]?limit|ratelimit|limiter|throttl|slow[-_]?down|brute/i;
const SENSITIVE = /(^|[^a-z])(log-?in|sign-?in|sign-?up|register|otp|2fa|mfa|totp|passwords?|passwd|reset|forgot|magic-?link|verify|payments?|checkout|charges?|webhooks?)([^a-z]|$)/i;
/** Calls that serve an app (not configure it). */
const SAFE_APP_SINKS = new Set(['createServer', 'listen', 'serverless', 'handle', 'serve', 'serverlessExpress', 'configure']);
/** Runtimes whose rate limiting is platform configuration (Cloudflare rate-limiting rules and bindings). */
const EDGE_DEPS = ['wrangler', '@cloudflare/workers-types'];
const FRAMEWORK_DEPS: Record<Framework, string[]> = {
  express: ['express'], fastify: ['fastify'], koa: ['koa'], hono: ['hono'], nestjs: ['@nestjs/core', '@nestjs/common'], next: ['next'],
};

/** `export const runtime = 'edge'` / `export const config = { runtime: 'edge' }` (Next.js, Vercel). */
function edgeRuntime(ctx: RuleContext): boolean {
  for (const st of ctx.sourceFile.statements) {
    if (!ts.isVariableStatement(st)) continue;
    for (const d of st.declarationList.declarations) {
      if (!ts.isIdentifier(d.name) || !d.initializer) continue;
      const init = skipOuter(d.initializer);
      if (d.name.text === 'runtime' && ts.isStringLiteralLike(init) && init.text === 'edge') return true;
      if (d.name.text === 'config' && ts.isObjectLiteralExpression(init)) {
        const r = objectProp(init, 'runtime');
        if (r && ts.isStringLiteralLike(r) && r.text === 'edge') return true;
      }
    }
  }
  return false;
}

/** `app`, `app.fetch`, `app.callback()`, `{ fetch: app.fetch }` inside an argument of a serving call. */
function servedRefs(arg: ts.Expression): ts.Expression[] {
  const x = skipOuter(arg);
  if (ts.isIdentifier(x)) return [x];
  if (ts.isPropertyAccessExpression(x) && x.name.text === 'fetch') return [x.expression];
  if (ts.isCallExpression(x) && ts.isPropertyAccessExpression(x.expression) && x.expression.name.text === 'callback') return [x.expression.expression];
  if (ts.isObjectLiteralExpression(x)) {
    return x.properties.flatMap((p) => (ts.isPropertyAssignment(p) ? servedRefs(p.initializer) : ts.isShorthandPropertyAssignment(p) ? [p.name] : []));
  }
  return [];
}

interface AppRec {
  key: ts.Node;
  name: string;
  framework: Framework;
  creation: ts.CallExpression | ts.NewExpression;
  statement?: ts.Statement;
}
interface RouteRec { route: RouteRegistration; key: ts.Node; limited: boolean }
interface State {
  apps: AppRec[];
  routes: RouteRec[];
  opaque: Set<ts.Node>;
  /** Apps this file starts: `app.listen()`, `createServer(app)`, `serve({ fetch: app.fetch })`, `handle(app)`. */
  listens: Set<ts.Node>;
  /** Offsets of `x.close()` calls: an app closed by the function that starts it is temporary. */
  closes: number[];
  nest: { route: NestRoute; method: ts.MethodDeclaration }[];
}
const states = new WeakMap<RuleContext, State>();
function state(ctx: RuleContext): State {
  let s = states.get(ctx);
  if (!s) { s = { apps: [], routes: [], opaque: new Set(), listens: new Set(), closes: [], nest: [] }; states.set(ctx, s); }
  return s;
}

function configuredNames(ctx: RuleContext): string[] {
  const v = ctx.options.limiters;
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** Does the file import a limiter package (or mention a configured limiter)? */
function fileHasLimiterImport(ctx: RuleContext): boolean {
  const names = configuredNames(ctx);
  for (const b of ctx.facts.bindings.values()) {
    if (LIMITER_MODULES.includes(b.module)) return true;
    if (names.includes(b.local)) return true;
  }
  return false;
}

/** Names along an expression that are not arguments: `limiter.middleware()` → limiter, middleware. */
function calleeNames(e: ts.Expression): string[] {
  const out: string[] = [];
  let x = skipOuter(e);
  for (let i = 0; i < 12; i++) {
    if (ts.isCallExpression(x)) x = skipOuter(x.expression);
    else if (ts.isPropertyAccessExpression(x)) { out.push(x.name.text); x = skipOuter(x.expression); }
    else if (ts.isIdentifier(x)) { out.push(x.text); break; }
    else if (x.kind === ts.SyntaxKind.ThisKeyword) break;
    else break;
  }
  return out;
}

/** Is a middleware/guard expression a rate limiter? */
function isLimiter(e: ts.Expression, ctx: RuleContext): boolean {
  const x = skipOuter(e);
  if (ts.isArrayLiteralExpression(x)) return x.elements.some((el) => isLimiter(el, ctx));
  // register(import('@fastify/rate-limit')) / register(require('@fastify/rate-limit'))
  if (ts.isCallExpression(x) && (x.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(x.expression) && x.expression.text === 'require'))) {
    const spec = x.arguments[0];
    return !!spec && ts.isStringLiteralLike(spec) && LIMITER_MODULES.includes(spec.text);
  }
  const names = calleeNames(x);
  const configured = configuredNames(ctx);
  for (const n of names) {
    if (LIMITER_NAME.test(n) || configured.includes(n)) return true;
    const b = ctx.facts.bindings.get(n);
    if (b && LIMITER_MODULES.includes(b.module)) return true;
  }
  // const apiLimits = rateLimit({...}) at module level
  const root = names[names.length - 1];
  if (root && ts.isIdentifier(x)) {
    const init = moduleInitializer(ctx, root);
    if (init && init !== x && isLimiter(init, ctx)) return true;
  }
  return false;
}

function moduleInitializer(ctx: RuleContext, name: string): ts.Expression | undefined {
  for (const st of ctx.sourceFile.statements) {
    if (!ts.isVariableStatement(st)) continue;
    for (const d of st.declarationList.declarations) {
      if (ts.isIdentifier(d.name) && d.name.text === name && d.initializer) return d.initializer;
    }
  }
  return undefined;
}

function routeLimited(r: RouteRegistration, ctx: RuleContext): boolean {
  if (r.handlers.some((h) => isLimiter(h, ctx))) return true;
  // Fastify per-route config: { config: { rateLimit: {...} } }
  const config = r.options && objectProp(r.options, 'config');
  const c = config && skipOuter(config);
  return !!c && ts.isObjectLiteralExpression(c) && objectProp(c, 'rateLimit') !== undefined;
}

function isSensitive(path: string | undefined, method: string): boolean {
  return !!path && method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS' && SENSITIVE.test(path);
}

const AUTH_MIDDLEWARE = /^((require|ensure|is|check)(Auth\w*|LoggedIn|User|Session|Admin|Jwt|Token)|authenticated|authMiddleware|auth|jwtAuth|verifyToken|verifyJwt|checkJwt|protect|protected)$/i;
const AUTH_GUARD = /jwt|Authenticated|Permission|Roles?Guard|ApiKey|SessionGuard|LoggedIn/i;

/** Routes behind authentication are not where credential stuffing lands: `requireAuth`, `passport.authenticate('jwt')`. */
function behindAuth(r: RouteRegistration): boolean {
  return r.handlers.slice(0, -1).some((h) => {
    const x = skipOuter(h);
    const names = calleeNames(x);
    if (names.some((n) => AUTH_MIDDLEWARE.test(n))) return true;
    if (ts.isCallExpression(x) && names[0] === 'authenticate') {
      const strategy = x.arguments[0] && skipOuter(x.arguments[0]);
      return !!strategy && ts.isStringLiteralLike(strategy) && /jwt|bearer|session|api/i.test(strategy.text);
    }
    return false;
  });
}

function lower(s: Severity): Severity {
  return s === 'error' ? 'warning' : s === 'warning' ? 'info' : 'hint';
}

function configuredSeverity(ctx: RuleContext): Severity {
  const s = ctx.config.rules['missing-rate-limit']?.severity;
  return s && s !== 'off' ? s : 'warning';
}

/** The key identifying an app/router across look-ups: its declaration, or its creating call. */
function keyOf(app: { declaration?: ts.Node; creation?: ts.Node }): ts.Node | undefined {
  return app.declaration ?? app.creation;
}

/** A router created in this file that a USE handler mounts: `router`, `router.routes()`. */
function mountedRouterKey(h: ts.Expression, ctx: RuleContext): ts.Node | undefined {
  let x = skipOuter(h);
  if (ts.isCallExpression(x) && ts.isPropertyAccessExpression(x.expression) && ['routes', 'allowedMethods', 'middleware'].includes(x.expression.name.text)) {
    x = skipOuter(x.expression.expression);
  }
  if (!ts.isIdentifier(x)) return undefined;
  const app = appOf(x, ctx.facts, ctx.project);
  return app && app.role === 'router' && app.source === 'created' ? keyOf(app) : undefined;
}

export const missingRateLimit = defineRule({
  id: 'missing-rate-limit',
  checklist: 'scale',
  severity: 'warning',
  summary: 'Routes without a rate limiter let one client — a bot, a retry storm, a credential-stuffing run — take the service and its database down for everyone.',
  fixable: true,
  fileKinds: ['server'],
  defaultOptions: { limiters: [], windowMs: 60000, limit: 100 },
  visit: {
    VariableDeclaration(d, ctx) {
      if (!d.initializer || !ts.isIdentifier(d.name)) return;
      const c = creationOf(d.initializer, ctx.facts);
      if (!c || c.role !== 'app') return;
      const st = d.parent?.parent;
      state(ctx).apps.push({ key: d, name: d.name.text, framework: c.framework, creation: c.creation, statement: st && ts.isVariableStatement(st) ? st : undefined });
    },
    CallExpression(call, ctx) {
      const s = state(ctx);
      const route = routeOf(call, ctx.facts, ctx.project);
      if (route) {
        const key = keyOf(route.app);
        if (key) s.routes.push({ route, key, limited: routeLimited(route, ctx) });
      }
      const callee = call.expression;
      if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'close') s.closes.push(call.getStart());
      if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'listen') {
        const app = appOf(callee.expression, ctx.facts, ctx.project);
        const key = app && keyOf(app);
        if (key) s.listens.add(key);
      }
      // an app handed to other code may be configured there: setupMiddleware(app)
      if (call.arguments.length === 0 || route) return;
      const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : '';
      if (SAFE_APP_SINKS.has(name)) {
        for (const a of call.arguments) for (const ref of servedRefs(a)) {
          const app = appOf(ref, ctx.facts, ctx.project);
          const key = app && keyOf(app);
          if (key) s.listens.add(key);
        }
        return;
      }
      // a package's function (SwaggerModule.setup(…, app), serverless(app)) does not mount a limiter;
      // the project's own code (setupMiddleware(app), config.preHook(app)) might
      const root = calleeNames(callee).pop();
      const b = root ? ctx.facts.bindings.get(root) : undefined;
      if (b && !isProjectModule(b.module)) return;
      for (const a of call.arguments) {
        const x = skipOuter(a);
        if (!ts.isIdentifier(x) && !(ts.isPropertyAccessExpression(x) && x.expression.kind === ts.SyntaxKind.ThisKeyword)) continue;
        const app = appOf(x, ctx.facts, ctx.project);
        const key = app && keyOf(app);
        if (key) s.opaque.add(key);
      }
    },
    MethodDeclaration(m, ctx) {
      const r = nestRouteOf(m, ctx.facts);
      if (r) state(ctx).nest.push({ route: r, method: m });
    },
  },
  finish(ctx) {
    const s = state(ctx);
    reportApps(ctx, s);
    reportSiblings(ctx, s);
    reportNestSiblings(ctx, s);
  },
});

// ---- apps without any limiter -------------------------------------------------------------

function installedLimiters(ctx: RuleContext): string[] {
  return LIMITER_MODULES.filter((m) => ctx.project.dependencies.has(m));
}

function reportApps(ctx: RuleContext, s: State): void {
  if (s.apps.length === 0 || fileHasLimiterImport(ctx)) return;
  if (EDGE_DEPS.some((d) => ctx.project.dependencies.has(d)) || edgeRuntime(ctx)) return;
  const installed = installedLimiters(ctx);
  if (isExampleProject(ctx.project)) return;
  for (const app of s.apps) {
    if (s.opaque.has(app.key)) continue;
    // a temporary server (setup wizard, OAuth callback listener) closed by the function that starts it
    const fn = enclosingFunction(app.key);
    if (fn && s.closes.some((at) => at > fn.getStart() && at < fn.getEnd())) continue;
    // a package.json that does not list the framework is a workspace member whose dependencies live elsewhere
    if (!FRAMEWORK_DEPS[app.framework].some((d) => ctx.project.dependencies.has(d))) continue;
    // only the app this file starts owns the whole chain; an exported sub-app may be mounted under a limiter
    if (app.framework !== 'nestjs' && !s.listens.has(app.key) && !exportedAsEntry(ctx, app)) continue;
    const own = s.routes.filter((r) => r.key === app.key);
    if (own.some((r) => (r.route.method === 'USE' || r.route.method === 'REGISTER') && r.limited)) continue;
    // routes visible here: the app's own, and those of routers created here and mounted on it
    const mounted = new Set<ts.Node>();
    for (const r of own) if (r.route.method === 'USE') for (const h of r.route.handlers) { const k = mountedRouterKey(h, ctx); if (k) mounted.add(k); }
    if ([...mounted].some((k) => s.routes.some((r) => r.key === k && r.route.method === 'USE' && r.limited))) continue;
    const visible = s.routes.filter((r) => (r.key === app.key || mounted.has(r.key)) && r.route.method !== 'USE' && r.route.method !== 'REGISTER');
    if (visible.some((r) => r.limited)) continue; // limited per route: the sibling check handles the rest
    const sensitive = visible.filter((r) => isSensitive(r.route.path, r.route.method) && !behindAuth(r.route));
    const base = configuredSeverity(ctx);
    const severity = sensitive.length ? base : lower(base);
    const label = frameworkLabel(app.framework);
    const listed = sensitive.slice(0, 3).map((r) => `${r.route.method} ${r.route.path}`).join(', ');
    const sensitiveNote = sensitive.length ? ` It serves sensitive routes (${listed}${sensitive.length > 3 ? ', …' : ''}) that attackers hammer.` : '';

    if (app.framework === 'nestjs') {
      if (installed.length) continue; // @nestjs/throttler or a middleware may be set up in a module
      ctx.report({
        node: app.creation,
        severity,
        message: `This Nest application has no rate limiting and the project depends on no limiter: one client can exhaust it. Add @nestjs/throttler (ThrottlerModule.forRoot + a global ThrottlerGuard).`,
      });
      continue;
    }
    // a keep-alive page (`app.get('/', (req, res) => res.send('ok'))`) is not worth a limiter: it
    // takes a write route, a few routes, or (without a limiter package) a router mounted from elsewhere
    const writes = visible.some((r) => !['GET', 'HEAD', 'OPTIONS'].includes(r.route.method));
    const mountsImported = own.some((r) => r.route.method === 'USE' && r.route.handlers.some((h) => importedRouter(h, ctx)));
    const substantial = writes || visible.length >= 3;
    if (installed.length) {
      if (!substantial) continue; // routers mounted from other files may carry the limiter
      const fix = buildAppFix(ctx, app, installed);
      ctx.report({
        node: app.creation,
        severity,
        message: `${label} app \`${app.name}\` registers ${visible.length} route${visible.length > 1 ? 's' : ''} here with no rate limiter in their middleware chain (the project has ${installed[0]} but this app never mounts it).${sensitiveNote}`,
        fixes: fix ? [fix] : [],
      });
      continue;
    }
    if (!substantial && !mountsImported) continue;
    ctx.report({
      node: app.creation,
      severity,
      message: `${label} app \`${app.name}\` has no rate limiter in its middleware chain and the project depends on none: one client can exhaust it.${sensitiveNote} Add ${suggestion(app.framework)}.`,
    });
  }
}

/**
 * Bun/Deno entry: `export default { port, fetch: app.fetch }`. A bare `export default app` is
 * ambiguous (a Workers entry, or a sub-app mounted with `app.route()` elsewhere): silent.
 */
function exportedAsEntry(ctx: RuleContext, app: AppRec): boolean {
  if (app.framework !== 'hono') return false;
  return ctx.sourceFile.statements.some((st) => ts.isExportAssignment(st) && !st.isExportEquals &&
    servedRefs(st.expression).some((r) => !ts.isIdentifier(skipOuter(st.expression)) && ts.isIdentifier(r) && r.text === app.name));
}

/** A router imported from another file: `routes`, `apiRouter.routes()`, `require('./routes')`. */
function importedRouter(h: ts.Expression, ctx: RuleContext): boolean {
  let x = skipOuter(h);
  if (ts.isCallExpression(x) && ts.isPropertyAccessExpression(x.expression) && ['routes', 'middleware'].includes(x.expression.name.text)) x = skipOuter(x.expression.expression);
  if (ts.isPropertyAccessExpression(x)) x = skipOuter(x.expression); // routes.api
  if (!ts.isIdentifier(x)) return false;
  const b = ctx.facts.bindings.get(x.text);
  return !!b && isProjectModule(b.module);
}

function frameworkLabel(fw: Framework): string {
  return { express: 'Express', fastify: 'Fastify', koa: 'Koa', hono: 'Hono', nestjs: 'Nest', next: 'Next.js' }[fw];
}

function suggestion(fw: Framework): string {
  switch (fw) {
    case 'express': return 'express-rate-limit (`app.use(rateLimit({ windowMs, limit }))`)';
    case 'fastify': return '@fastify/rate-limit (`await app.register(rateLimit, { max, timeWindow })`)';
    case 'koa': return 'koa-ratelimit (`app.use(ratelimit({ driver, db, duration, max }))`)';
    case 'hono': return 'hono-rate-limiter (`app.use(rateLimiter({ windowMs, limit, keyGenerator }))`)';
    default: return 'a rate limiter';
  }
}

function num(ctx: RuleContext, key: 'windowMs' | 'limit', fallback: number): number {
  const v = ctx.options[key];
  return typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : fallback;
}

function windowText(ms: number): string {
  return ms % 60000 === 0 ? (ms === 60000 ? '60 * 1000' : `${ms / 60000} * 60 * 1000`) : String(ms);
}

function buildAppFix(ctx: RuleContext, app: AppRec, installed: string[]): Fix | undefined {
  if (!app.statement) return undefined;
  const windowMs = num(ctx, 'windowMs', 60000);
  const limit = num(ctx, 'limit', 100);
  const s = semi(ctx.style);
  const indent = lineIndentAt(ctx.text, app.statement.getStart(ctx.sourceFile));
  const at = app.statement.getEnd();
  const eol = ctx.style.eol;
  let binding: string;
  let importEdit: TextEdit | undefined;
  let line: string;
  let lib: string;
  const bound = (name: string, module: string) => {
    const b = ctx.facts.bindings.get(name);
    return b ? b.module === module : !ctx.facts.moduleNames.has(name);
  };
  switch (app.framework) {
    case 'express': {
      lib = 'express-rate-limit';
      if (!installed.includes(lib)) return undefined;
      binding = 'rateLimit';
      if (!bound(binding, lib)) return undefined;
      const major = dependencyMajor(ctx.project, lib);
      const key = major !== undefined && major < 7 ? 'max' : 'limit';
      // ESM: the default import works on every version; CommonJS: `{ rateLimit }` from v6 on, the module itself before
      const whole = ctx.facts.isModuleSyntax || (major !== undefined && major < 6);
      importEdit = addImport(ctx, whole ? { module: lib, default: binding } : { module: lib, named: binding });
      line = `${app.name}.use(${binding}({ windowMs: ${windowText(windowMs)}, ${key}: ${limit} }))${s}`;
      break;
    }
    case 'fastify': {
      lib = installed.includes('@fastify/rate-limit') ? '@fastify/rate-limit' : installed.includes('fastify-rate-limit') ? 'fastify-rate-limit' : '';
      if (!lib) return undefined;
      binding = 'rateLimit';
      if (!bound(binding, lib)) return undefined;
      // the plugin must be loaded before the routes are declared: only where `await` is allowed
      const fn = enclosingFunction(app.statement);
      const canAwait = fn ? isAsyncFunction(fn) : ctx.facts.isModuleSyntax && /\.m?js$/.test(ctx.fileName);
      if (!canAwait) return undefined;
      importEdit = addImport(ctx, { module: lib, default: binding });
      const minutes = windowMs / 60000;
      const tw = Number.isInteger(minutes) ? quoteString(ctx.style, `${minutes} minute${minutes === 1 ? '' : 's'}`) : String(windowMs);
      line = `await ${app.name}.register(${binding}, { max: ${limit}, timeWindow: ${tw} })${s}`;
      break;
    }
    case 'koa': {
      lib = 'koa-ratelimit';
      if (!installed.includes(lib)) return undefined;
      binding = 'ratelimit';
      if (!bound(binding, lib)) return undefined;
      importEdit = addImport(ctx, { module: lib, default: binding });
      line = `${app.name}.use(${binding}({ driver: ${ctx.style.quote}memory${ctx.style.quote}, db: new Map(), duration: ${windowText(windowMs)}, max: ${limit} }))${s}`;
      break;
    }
    case 'hono': {
      lib = 'hono-rate-limiter';
      if (!installed.includes(lib)) return undefined;
      binding = 'rateLimiter';
      if (!bound(binding, lib)) return undefined;
      importEdit = addImport(ctx, { module: lib, named: binding });
      const q = ctx.style.quote;
      line = `${app.name}.use(${binding}({ windowMs: ${windowText(windowMs)}, limit: ${limit}, keyGenerator: (c) => c.req.header(${q}x-forwarded-for${q}) ?? ${q}${q} }))${s}`;
      break;
    }
    default:
      return undefined;
  }
  const edits: TextEdit[] = [{ start: at, end: at, newText: `${eol}${indent}${line}` }];
  if (importEdit) edits.push(importEdit);
  return { title: `Mount ${lib} on \`${app.name}\` (${limit} requests per ${windowMs / 1000} s)`, edits, isPreferred: true, safe: false };
}

// ---- sensitive routes left out of per-route limiting -----------------------------------------

function reportSiblings(ctx: RuleContext, s: State): void {
  const byKey = new Map<ts.Node, RouteRec[]>();
  for (const r of s.routes) {
    const list = byKey.get(r.key) ?? [];
    list.push(r);
    byKey.set(r.key, list);
  }
  for (const list of byKey.values()) {
    const endpoints = list.filter((r) => r.route.method !== 'USE' && r.route.method !== 'REGISTER');
    const limited = endpoints.filter((r) => r.limited);
    if (limited.length === 0) continue;
    if (list.some((r) => (r.route.method === 'USE' || r.route.method === 'REGISTER') && r.limited)) continue;
    for (const r of endpoints) {
      if (r.limited || !isSensitive(r.route.path, r.route.method) || behindAuth(r.route)) continue;
      const model = nearest(limited, r);
      const limiter = model.route.handlers.find((h) => isLimiter(h, ctx));
      const fix = limiter && r.route.handlers.length > 0 && !r.route.options ? siblingFix(ctx, r, model, limiter) : undefined;
      const pathArg = r.route.call.arguments[0];
      ctx.report({
        node: pathArg ?? r.route.call,
        message: `${r.route.method} ${r.route.path} is a sensitive route without the rate limiter that ${model.route.method} ${model.route.path} gets in this file: it is where brute-force and abuse land first.`,
        fixes: fix ? [fix] : [],
      });
    }
  }
}

function nearest(list: RouteRec[], r: RouteRec): RouteRec {
  const at = r.route.call.getStart();
  return [...list].sort((a, b) => Math.abs(a.route.call.getStart() - at) - Math.abs(b.route.call.getStart() - at))[0];
}

function siblingFix(ctx: RuleContext, r: RouteRec, model: RouteRec, limiter: ts.Expression): Fix | undefined {
  const x = skipOuter(limiter);
  // reuse a named limiter; an inline one (rateLimit({...})) is copied (its own counter)
  if (ts.isArrayLiteralExpression(x)) return undefined;
  const text = limiter.getText(ctx.sourceFile);
  if (text.includes('\n')) return undefined;
  const first = r.route.handlers[0];
  const at = first.getStart(ctx.sourceFile);
  return {
    title: `Add ${text} to ${r.route.method} ${r.route.path} (as on ${model.route.method} ${model.route.path})`,
    edits: [{ start: at, end: at, newText: `${text}, ` }],
    isPreferred: true,
    safe: false,
  };
}

// ---- NestJS controllers -------------------------------------------------------------------

function nestLimited(r: NestRoute, ctx: RuleContext): boolean {
  return r.throttled || r.guards.some((g) => LIMITER_NAME.test(g) || configuredNames(ctx).includes(g));
}

function reportNestSiblings(ctx: RuleContext, s: State): void {
  const byClass = new Map<ts.Node, { route: NestRoute; method: ts.MethodDeclaration }[]>();
  for (const n of s.nest) {
    const list = byClass.get(n.route.controller) ?? [];
    list.push(n);
    byClass.set(n.route.controller, list);
  }
  for (const list of byClass.values()) {
    // class-level guards/throttle cover every route: nothing to compare
    const limited = list.filter((n) => nestLimited(n.route, ctx));
    if (limited.length === 0 || limited.length === list.length) continue;
    for (const n of list) {
      if (nestLimited(n.route, ctx) || n.route.skipThrottle || n.route.guards.some((g) => AUTH_GUARD.test(g))) continue;
      const name = n.method.name.getText(ctx.sourceFile);
      if (!isSensitive(n.route.path, n.route.method) && !(n.route.method !== 'GET' && SENSITIVE.test(name))) continue;
      const model = limited.sort((a, b) => Math.abs(a.method.pos - n.method.pos) - Math.abs(b.method.pos - n.method.pos))[0];
      const fix = nestFix(ctx, n, model);
      ctx.report({
        node: n.route.decorator,
        message: `${n.route.method} ${n.route.path} is a sensitive route without the throttling that ${model.route.method} ${model.route.path} gets in this controller: it is where brute-force and abuse land first.`,
        fixes: fix ? [fix] : [],
      });
    }
  }
}

function nestFix(ctx: RuleContext, n: { route: NestRoute; method: ts.MethodDeclaration }, model: { route: NestRoute; method: ts.MethodDeclaration }): Fix | undefined {
  const sf = ctx.sourceFile;
  const guard = model.route.guards.find((g) => LIMITER_NAME.test(g) || configuredNames(ctx).includes(g));
  const dec = n.route.decorator;
  const indent = lineIndentAt(ctx.text, dec.getStart(sf));
  const eol = ctx.style.eol;
  const decoratorEnd = dec.getEnd();
  if (guard) {
    // merge into an existing @UseGuards(...) on the method, or add one
    for (const d of ts.getDecorators(n.method) ?? []) {
      const e = d.expression;
      if (ts.isCallExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === 'UseGuards' && e.arguments.length > 0) {
        const last = e.arguments[e.arguments.length - 1];
        return { title: `Add ${guard} to @UseGuards (as on ${model.route.method} ${model.route.path})`, edits: [{ start: last.getEnd(), end: last.getEnd(), newText: `, ${guard}` }], isPreferred: true, safe: false };
      }
    }
    if (!ctx.facts.bindings.has('UseGuards')) return undefined;
    return { title: `Add @UseGuards(${guard}) (as on ${model.route.method} ${model.route.path})`, edits: [{ start: decoratorEnd, end: decoratorEnd, newText: `${eol}${indent}@UseGuards(${guard})` }], isPreferred: true, safe: false };
  }
  // copy the sibling's @Throttle(...)
  for (const d of ts.getDecorators(model.method) ?? []) {
    const e = d.expression;
    if (ts.isCallExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === 'Throttle') {
      const text = d.getText(sf);
      if (text.includes('\n')) return undefined;
      return { title: `Add ${text} (as on ${model.route.method} ${model.route.path})`, edits: [{ start: decoratorEnd, end: decoratorEnd, newText: `${eol}${indent}${text}` }], isPreferred: true, safe: false };
    }
  }
  return undefined;
}
