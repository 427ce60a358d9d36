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
 *
 * From the knowledge table: the limiter packages (role `limiter`), the name shape of a limiter
 * binding (LIMITER_NAME), how each framework mounts its usual limiter at the project's version
 * (KNOWLEDGE.limiterMount), Fastify's per-route config key, the edge runtimes, the framework
 * packages and labels. From the project (ctx.view.limiters): limiters held in variables, arrays
 * or exports of other files (`router.post('/login', ...publicMiddleware, login)`), matched to
 * this file's imports; in this file, any variable (module level or local) whose value holds a
 * limiter, including arrays and spreads of them, ternaries (every branch) and later assignments
 * (every one). A variable holding a limiter in some of its values only is opaque: not reported.
 */
import ts = require('typescript');
import { createRule, type Fix, type RuleContextV2, type Severity, type TextEdit } from '../engine/types';
import { skipOuter } from '../engine/facts';
import { enclosingFunction, isAsyncFunction, isFunctionLike, lineIndentAt } from '../engine/ast';
import { addImport } from '../fixes/edits';
import { quoteString, semi } from '../engine/style';
import { isProjectModule } from '../engine/summary';
import { isExampleProject } from '../engine/project';
import { dependencyView } from '../engine/dependencies';
import { limiterNames } from '../engine/queries/projectBindings';
import { FRAMEWORK, FRAMEWORK_INFO, KNOWLEDGE, LIB, LIMITER_NAME, fill } from '../knowledge';
import {
  appOf, creationOf, nestRouteOf, objectProp, routeOf, type Framework, type NestRoute, type RouteRegistration,
} from '../engine/frameworks';

const SENSITIVE = /(^|[^a-z])(log-?in|sign-?in|sign-?up|register|otp|2fa|mfa|totp|passwords?|passwd|reset|forgot|magic-?link|verify|payments?|checkout|charges?|webhooks?)([^a-z]|$)/i;
const WEBHOOK = /(^|[^a-z])(webhooks?|hooks?|callbacks?|events?)([^a-z]|$)/i;
/** A comment that says limiting is off on purpose or breaks the route: "no rate limit here: Stripe retries", "limiter disables the webhook". */
const LIMIT_WORD = /rate[-_ ]?limit|ratelimit|limiter|throttl/i;
const LIMIT_DECISION = /\b(no|not|don'?t|do not|never|without|skip|skips|skipped|exempt|bypass|excluded?|breaks?|disables?|kills?|drops?)\b/i;
/** Calls that serve an app (not configure it). */
const SAFE_APP_SINKS = new Set(['createServer', 'listen', 'serverless', 'handle', 'serve', 'serverlessExpress', 'configure']);
/** A middleware collection by name: `middlewares`, `publicChain`, `guards`, `stack`. */
const COLLECTION_NAME = /(middlewares|chain|stack|guards|pipeline|handlers|before|common)$/i;

type MessageIds = 'nestNoLimiter' | 'appNotMounted' | 'appNoLimiter' | 'sibling' | 'nestSibling';
type Ctx = RuleContextV2<MessageIds>;
type Options = { limiters: string[]; windowMs: number; limit: number };

/** `export const runtime = 'edge'` / `export const config = { runtime: 'edge' }` (Next.js, Vercel). */
function edgeRuntime(ctx: Ctx): boolean {
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

/** What the rule knows about limiters while it reads one file (built in create). */
interface Limits {
  ctx: Ctx;
  options: Options;
  /** Limiter packages (knowledge). */
  modules: ReadonlySet<string>;
  /** Names of this file that hold a project limiter (ctx.view.limiters, through imports). */
  project: ReadonlySet<string>;
  /** Values of this file's variables by name (module level and local: initializer and assignments), read once. */
  values(): Map<string, ts.Expression[]>;
  /** What each variable name of the file holds, computed once. */
  held: Map<string, Held>;
}

/** Does the file import a limiter package, a project limiter, or a configured limiter? */
function fileHasLimiterImport(l: Limits): boolean {
  if (l.project.size) return true;
  for (const b of l.ctx.facts.bindings.values()) {
    if (l.modules.has(b.module)) return true;
    if (l.options.limiters.includes(b.local)) return true;
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

/** How much of an expression's possible values hold a rate limiter. */
const enum Held { None = 0, Some = 1, All = 2 }

/** Every value holds one → All; none → None; a mix (one branch of a ternary, one of several assignments) → Some. */
function combine(parts: Held[]): Held {
  if (parts.length === 0) return Held.None;
  if (parts.every((p) => p === Held.All)) return Held.All;
  return parts.every((p) => p === Held.None) ? Held.None : Held.Some;
}

/** Is a middleware/guard expression a rate limiter (or a collection holding one) whatever branch runs? */
function isLimiter(e: ts.Expression, l: Limits): boolean {
  return limiterHeld(e, l, new Set()) === Held.All;
}

function limiterHeld(e: ts.Expression, l: Limits, seen: Set<string>): Held {
  const x = ts.isSpreadElement(e) ? skipOuter(e.expression) : skipOuter(e);
  if (ts.isArrayLiteralExpression(x)) {
    const parts = x.elements.map((el) => limiterHeld(el, l, seen));
    return parts.includes(Held.All) ? Held.All : parts.includes(Held.Some) ? Held.Some : Held.None;
  }
  // `flag ? [session, auth, limiter] : [noAuth, limiter]`: every branch must hold it
  if (ts.isConditionalExpression(x)) return combine([limiterHeld(x.whenTrue, l, seen), limiterHeld(x.whenFalse, l, seen)]);
  // register(import('@fastify/rate-limit')) / register(require('@fastify/rate-limit'))
  if (ts.isCallExpression(x) && (x.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(x.expression) && x.expression.text === 'require'))) {
    const spec = x.arguments[0];
    return spec && ts.isStringLiteralLike(spec) && l.modules.has(spec.text) ? Held.All : Held.None;
  }
  const names = calleeNames(x);
  for (const n of names) {
    if (LIMITER_NAME.test(n) || l.options.limiters.includes(n)) return Held.All;
    const b = l.ctx.facts.bindings.get(n);
    if (b && l.modules.has(b.module)) return Held.All;
  }
  // a project limiter held elsewhere: `...publicMiddleware`, `middlewares.api`
  const root = names[names.length - 1];
  if (root && l.project.has(root)) return Held.All;
  // `const apiLimits = rateLimit({...})`, `const publicChain = [limiter, auth]` in this file, and a
  // `let chain = …` reassigned later (`chain = [testAuth, limiter]`): its initializer and every assignment
  if (root && ts.isIdentifier(x) && !seen.has(root)) {
    const known = l.held.get(root);
    if (known !== undefined) return known;
    seen.add(root);
    const values = (l.values().get(root) ?? []).filter((v) => v !== x);
    const held = combine(values.map((v) => limiterHeld(v, l, seen)));
    seen.delete(root);
    l.held.set(root, held); // each name once: chains of names referring to each other stay linear
    return held;
  }
  return Held.None;
}

/** Every value a variable of the file is given by name: its initializer (the first declaration) and its plain assignments, read once. */
function collectValues(sf: ts.SourceFile): Map<string, ts.Expression[]> {
  const out = new Map<string, ts.Expression[]>();
  const declared = new Set<string>();
  const add = (name: string, e: ts.Expression) => { const list = out.get(name) ?? []; list.push(e); out.set(name, list); };
  const visit = (n: ts.Node): void => {
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.initializer && !declared.has(n.name.text)) {
      declared.add(n.name.text);
      add(n.name.text, n.initializer);
    } else if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(n.left)) {
      add(n.left.text, n.right);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

/**
 * Middleware whose contents this file cannot see: a spread or a collection imported from a
 * project module (`...publicMiddleware`, `commonChain`, `[...auth, json()]`) that the project view
 * does not know. It may hold a limiter, so the rule neither reports the route nor puts a second
 * limiter in front of it.
 */
function opaqueMiddleware(r: RouteRegistration, l: Limits): boolean {
  return r.handlers.slice(0, -1).some((h) => {
    // a limiter in some of its values only (`let chain = flag ? [auth, limiter] : [auth]`): which one runs is not visible here
    if (limiterHeld(h, l, new Set()) === Held.Some) return true;
    const x = skipOuter(ts.isSpreadElement(h) ? h.expression : h);
    if (ts.isArrayLiteralExpression(x)) return x.elements.some((el) => opaqueRef(el, l));
    if (opaqueRef(h, l)) return true;
    // a local collection: `const chain = [...publicMiddleware, json()]`
    const inits = ts.isIdentifier(x) ? l.values().get(x.text) ?? [] : [];
    return inits.some((init) => { const i = skipOuter(init); return ts.isArrayLiteralExpression(i) && i.elements.some((el) => opaqueRef(el, l)); });
  });
}

/** A spread of an import, or an import named like a collection, from a project module. */
function opaqueRef(e: ts.Expression, l: Limits): boolean {
  const spread = ts.isSpreadElement(e);
  const root = calleeNames(spread ? e.expression : e).pop();
  const b = root ? l.ctx.facts.bindings.get(root) : undefined;
  return !!b && isProjectModule(b.module) && (spread || COLLECTION_NAME.test(root!));
}

/** The comments just above the statement that registers the route (and on its line). */
function routeComments(r: RouteRegistration, ctx: Ctx): string {
  let st: ts.Node = r.call;
  while (st.parent && !ts.isSourceFile(st.parent) && !ts.isBlock(st.parent)) st = st.parent;
  const ranges = ts.getLeadingCommentRanges(ctx.text, st.getFullStart()) ?? [];
  const trailing = ts.getTrailingCommentRanges(ctx.text, r.call.getEnd()) ?? [];
  const inside = ts.getLeadingCommentRanges(ctx.text, r.call.arguments[0]?.getEnd() ?? r.call.getEnd()) ?? [];
  return [...ranges, ...trailing, ...inside].map((c) => ctx.text.slice(c.pos, c.end)).join('\n');
}

/** The route's comment says limiting it is off on purpose or breaks it ("no rate limit: Stripe retries"). */
function limitingDeclined(r: RouteRegistration, ctx: Ctx): boolean {
  const c = routeComments(r, ctx);
  if (LIMIT_WORD.test(c) && LIMIT_DECISION.test(c)) return true;
  // an inline middleware that stands where the limiter would: `(req, res, next) => { // skip rate limiting: … next(); }`
  return r.handlers.slice(0, -1).some((h) => {
    const x = skipOuter(h);
    return isFunctionLike(x) && commentsIn(ctx.text, x).some((t) => LIMIT_WORD.test(t) && LIMIT_DECISION.test(t));
  });
}

/** The comments inside a node (before each of its parts, and before a block's closing brace), in order. */
function commentsIn(text: string, node: ts.Node): string[] {
  const seen = new Map<number, string>();
  const add = (ranges: ts.CommentRange[] | undefined) => { for (const c of ranges ?? []) seen.set(c.pos, text.slice(c.pos, c.end)); };
  const visit = (n: ts.Node): void => {
    if (n !== node) add(ts.getLeadingCommentRanges(text, n.pos));
    if (ts.isBlock(n)) add(ts.getLeadingCommentRanges(text, n.statements.length ? n.statements[n.statements.length - 1].end : n.getStart() + 1));
    ts.forEachChild(n, visit);
  };
  visit(node);
  return [...seen.entries()].sort((x, y) => x[0] - y[0]).map(([, t]) => t);
}

function isWebhook(path: string | undefined): boolean {
  return !!path && WEBHOOK.test(path);
}

function routeLimited(r: RouteRegistration, l: Limits): boolean {
  if (r.handlers.some((h) => isLimiter(h, l))) return true;
  // Fastify per-route config: { config: { rateLimit: {...} } }
  const config = r.options && objectProp(r.options, 'config');
  const c = config && skipOuter(config);
  return !!c && ts.isObjectLiteralExpression(c) && ROUTE_CONFIG_KEYS.some((k) => objectProp(c, k) !== undefined);
}

const ROUTE_CONFIG_KEYS = KNOWLEDGE.librariesWithRole('limiter').flatMap((r) => (r.limiter?.routeConfigKey ? [r.limiter.routeConfigKey] : []));

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

function configuredSeverity(ctx: Ctx): Severity {
  const s = ctx.config.rules['missing-rate-limit']?.severity;
  return s && s !== 'off' ? s : 'warning';
}

/** The key identifying an app/router across look-ups: its declaration, or its creating call. */
function keyOf(app: { declaration?: ts.Node; creation?: ts.Node }): ts.Node | undefined {
  return app.declaration ?? app.creation;
}

/** A router created in this file that a USE handler mounts: `router`, `router.routes()`. */
function mountedRouterKey(h: ts.Expression, ctx: Ctx): ts.Node | undefined {
  let x = skipOuter(h);
  if (ts.isCallExpression(x) && ts.isPropertyAccessExpression(x.expression) && ['routes', 'allowedMethods', 'middleware'].includes(x.expression.name.text)) {
    x = skipOuter(x.expression.expression);
  }
  if (!ts.isIdentifier(x)) return undefined;
  const app = appOf(x, ctx.facts, ctx.project);
  return app && app.role === 'router' && app.source === 'created' ? keyOf(app) : undefined;
}

export const missingRateLimit = createRule({
  meta: {
    id: 'missing-rate-limit',
    checklist: 'scale',
    severity: 'warning',
    summary: 'Routes without a rate limiter let one client — a bot, a retry storm, a credential-stuffing run — take the service and its database down for everyone.',
    fixable: true,
    fileKinds: ['server'],
    messages: {
      nestNoLimiter: 'This Nest application has no rate limiting and the project depends on no limiter: one client can exhaust it. Add {{throttler}} (ThrottlerModule.forRoot + a global ThrottlerGuard).',
      appNotMounted: '{{label}} app `{{app}}` registers {{count}} route{{s}} here with no rate limiter in their middleware chain (the project has {{installed}} but this app never mounts it).{{sensitive}}',
      appNoLimiter: '{{label}} app `{{app}}` has no rate limiter in its middleware chain and the project depends on none: one client can exhaust it.{{sensitive}} Add {{suggestion}}.',
      sibling: '{{route}} is a sensitive route without the rate limiter that {{model}} gets in this file: it is where brute-force and abuse land first.',
      nestSibling: '{{route}} is a sensitive route without the throttling that {{model}} gets in this controller: it is where brute-force and abuse land first.',
    },
    options: {
      type: 'object',
      properties: {
        limiters: { type: 'array', items: { type: 'string' }, description: 'Names of the project\'s own limiter middleware or guards (in addition to what the project view knows).' },
        windowMs: { type: 'integer', minimum: 1, description: 'The window of the limiter a fix mounts, in milliseconds.' },
        limit: { type: 'integer', minimum: 1, description: 'Requests per window of the limiter a fix mounts.' },
      },
      additionalProperties: false,
    },
  },
  defaultOptions: { limiters: [], windowMs: 60000, limit: 100 } as Options,
  create(ctx, raw) {
    const options: Options = {
      limiters: Array.isArray(raw.limiters) ? raw.limiters.filter((x): x is string => typeof x === 'string') : [],
      windowMs: positiveInt(raw.windowMs, 60000),
      limit: positiveInt(raw.limit, 100),
    };
    let values: Map<string, ts.Expression[]> | undefined;
    const l: Limits = {
      ctx, options,
      modules: new Set(KNOWLEDGE.limiterModules()),
      project: limiterNames(ctx.view.limiters, ctx.facts, ctx.fileName),
      values: () => (values ??= collectValues(ctx.sourceFile)),
      held: new Map(),
    };
    const s: State = { apps: [], routes: [], opaque: new Set(), listens: new Set(), closes: [], nest: [] };
    return {
      VariableDeclaration(d) {
        if (!d.initializer || !ts.isIdentifier(d.name)) return;
        const c = creationOf(d.initializer, ctx.facts);
        if (!c || c.role !== 'app') return;
        const st = d.parent?.parent;
        s.apps.push({ key: d, name: d.name.text, framework: c.framework, creation: c.creation, statement: st && ts.isVariableStatement(st) ? st : undefined });
      },
      CallExpression(call) {
        const route = routeOf(call, ctx.facts, ctx.project);
        if (route) {
          const key = keyOf(route.app);
          if (key) s.routes.push({ route, key, limited: routeLimited(route, l) });
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
      MethodDeclaration(m) {
        const r = nestRouteOf(m, ctx.facts);
        if (r) s.nest.push({ route: r, method: m });
      },
      'SourceFile:exit'() {
        reportApps(l, s);
        reportSiblings(l, s);
        reportNestSiblings(l, s);
      },
    };
  },
});

function positiveInt(v: unknown, fallback: number): number {
  return typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : fallback;
}

// ---- apps without any limiter -------------------------------------------------------------

function installedLimiters(ctx: Ctx): string[] {
  return KNOWLEDGE.limiterModules().filter((m) => ctx.project.dependencies.has(m));
}

function reportApps(l: Limits, s: State): void {
  const { ctx } = l;
  if (s.apps.length === 0 || fileHasLimiterImport(l)) return;
  if (KNOWLEDGE.modulesWithRole('edge-runtime').some((d) => ctx.project.dependencies.has(d)) || edgeRuntime(ctx)) return;
  const installed = installedLimiters(ctx);
  if (isExampleProject(ctx.project)) return;
  for (const app of s.apps) {
    if (s.opaque.has(app.key)) continue;
    // a temporary server (setup wizard, OAuth callback listener) closed by the function that starts it
    const fn = enclosingFunction(app.key);
    if (fn && s.closes.some((at) => at > fn.getStart() && at < fn.getEnd())) continue;
    // a package.json that does not list the framework is a workspace member whose dependencies live elsewhere
    if (!FRAMEWORK_INFO[app.framework].packages.some((d) => ctx.project.dependencies.has(d))) continue;
    // only the app this file starts owns the whole chain; an exported sub-app may be mounted under a limiter
    if (app.framework !== FRAMEWORK.nestjs && !s.listens.has(app.key) && !exportedAsEntry(ctx, app)) continue;
    const own = s.routes.filter((r) => r.key === app.key);
    if (own.some((r) => (r.route.method === 'USE' || r.route.method === 'REGISTER') && r.limited)) continue;
    // routes visible here: the app's own, and those of routers created here and mounted on it
    const mounted = new Set<ts.Node>();
    for (const r of own) if (r.route.method === 'USE') for (const h of r.route.handlers) { const k = mountedRouterKey(h, ctx); if (k) mounted.add(k); }
    if ([...mounted].some((k) => s.routes.some((r) => r.key === k && r.route.method === 'USE' && r.limited))) continue;
    const visible = s.routes.filter((r) => (r.key === app.key || mounted.has(r.key)) && r.route.method !== 'USE' && r.route.method !== 'REGISTER');
    if (visible.some((r) => r.limited)) continue; // limited per route: the sibling check handles the rest
    const sensitive = visible.filter((r) => isSensitive(r.route.path, r.route.method) && !behindAuth(r.route) && !limitingDeclined(r.route, ctx));
    const base = configuredSeverity(ctx);
    const severity = sensitive.length ? base : lower(base);
    const label = FRAMEWORK_INFO[app.framework].label;
    const listed = sensitive.slice(0, 3).map((r) => `${r.route.method} ${r.route.path}`).join(', ');
    const sensitiveNote = sensitive.length ? ` It serves sensitive routes (${listed}${sensitive.length > 3 ? ', …' : ''}) that attackers hammer.` : '';

    if (app.framework === FRAMEWORK.nestjs) {
      if (installed.length) continue; // @nestjs/throttler or a middleware may be set up in a module
      ctx.report({ node: app.creation, severity, messageId: 'nestNoLimiter', data: { throttler: KNOWLEDGE.lib(LIB.nestjsThrottler).label } });
      continue;
    }
    // a keep-alive page (`app.get('/', (req, res) => res.send('ok'))`) is not worth a limiter: it
    // takes a write route, a few routes, or (without a limiter package) a router mounted from elsewhere
    const writes = visible.some((r) => !['GET', 'HEAD', 'OPTIONS'].includes(r.route.method));
    const mountsImported = own.some((r) => r.route.method === 'USE' && r.route.handlers.some((h) => importedRouter(h, ctx)));
    const substantial = writes || visible.length >= 3;
    if (installed.length) {
      if (!substantial) continue; // routers mounted from other files may carry the limiter
      // an app-wide limiter would also limit a route whose comment says limiting breaks it (a provider's webhook)
      const declined = visible.some((r) => limitingDeclined(r.route, ctx));
      const fixable = !declined && appFixPlan(l, app) !== undefined;
      // an app-wide limiter would also count a provider's webhook deliveries: offered, never preferred
      const webhooks = visible.filter((r) => isWebhook(r.route.path)).map((r) => `${r.route.method} ${r.route.path}`);
      ctx.report({
        node: app.creation,
        severity,
        messageId: 'appNotMounted',
        data: { label, app: app.name, count: visible.length, s: visible.length > 1 ? 's' : '', installed: installed[0], sensitive: sensitiveNote },
        ...(fixable ? { fix: () => { const f = buildAppFix(l, app, webhooks); return f ? [f] : []; } } : {}),
      });
      continue;
    }
    if (!substantial && !mountsImported) continue;
    ctx.report({
      node: app.creation,
      severity,
      messageId: 'appNoLimiter',
      data: { label, app: app.name, sensitive: sensitiveNote, suggestion: suggestion(app.framework) },
    });
  }
}

/**
 * Bun/Deno entry: `export default { port, fetch: app.fetch }`. A bare `export default app` is
 * ambiguous (a Workers entry, or a sub-app mounted with `app.route()` elsewhere): silent.
 */
function exportedAsEntry(ctx: Ctx, app: AppRec): boolean {
  if (app.framework !== FRAMEWORK.hono) return false;
  return ctx.sourceFile.statements.some((st) => ts.isExportAssignment(st) && !st.isExportEquals &&
    servedRefs(st.expression).some((r) => !ts.isIdentifier(skipOuter(st.expression)) && ts.isIdentifier(r) && r.text === app.name));
}

/** A router imported from another file: `routes`, `apiRouter.routes()`, `require('./routes')`. */
function importedRouter(h: ts.Expression, ctx: Ctx): boolean {
  let x = skipOuter(h);
  if (ts.isCallExpression(x) && ts.isPropertyAccessExpression(x.expression) && ['routes', 'middleware'].includes(x.expression.name.text)) x = skipOuter(x.expression.expression);
  if (ts.isPropertyAccessExpression(x)) x = skipOuter(x.expression); // routes.api
  if (!ts.isIdentifier(x)) return false;
  const b = ctx.facts.bindings.get(x.text);
  return !!b && isProjectModule(b.module);
}

/** The usual limiter of a framework and how to mount it, from the knowledge table (`express-rate-limit (…)`). */
function suggestion(fw: Framework): string {
  return KNOWLEDGE.librariesWithRole('limiter').find((r) => r.limiter?.mount?.framework === fw)?.limiter?.mount?.example ?? 'a rate limiter';
}

function windowText(ms: number): string {
  return ms % 60000 === 0 ? (ms === 60000 ? '60 * 1000' : `${ms / 60000} * 60 * 1000`) : String(ms);
}

/** The installed limiter a fix would mount on `app`, when one can be mounted here. */
function appFixPlan(l: Limits, app: AppRec) {
  const { ctx } = l;
  if (!app.statement) return undefined;
  const found = KNOWLEDGE.limiterMount(app.framework, dependencyView(ctx.project));
  if (!found) return undefined;
  const { mount, module } = found;
  const spec = ctx.facts.isModuleSyntax && mount.esmImport ? mount.esmImport : mount.import;
  const binding = spec.binding;
  const b = ctx.facts.bindings.get(binding);
  if (b ? b.module !== module : ctx.facts.moduleNames.has(binding)) return undefined;
  if (mount.via === 'register') {
    // the plugin must be loaded before the routes are declared: only where `await` is allowed
    const fn = enclosingFunction(app.statement);
    const canAwait = fn ? isAsyncFunction(fn) : ctx.facts.isModuleSyntax && /\.m?js$/.test(ctx.fileName);
    if (!canAwait) return undefined;
  }
  return { statement: app.statement, mount, module, spec };
}

function buildAppFix(l: Limits, app: AppRec, webhooks: readonly string[] = []): Fix | undefined {
  const plan = appFixPlan(l, app);
  if (!plan) return undefined;
  const { ctx, options: { windowMs, limit } } = l;
  const { statement, mount, module, spec } = plan;
  const indent = lineIndentAt(ctx.text, statement.getStart(ctx.sourceFile));
  const at = statement.getEnd();
  const minutes = windowMs / 60000;
  const window = mount.windowAsText
    ? (Number.isInteger(minutes) ? quoteString(ctx.style, `${minutes} minute${minutes === 1 ? '' : 's'}`) : String(windowMs))
    : windowText(windowMs);
  const line = `${fill(mount.statement, { app: app.name, window, limit, q: ctx.style.quote })}${semi(ctx.style)}`;
  const importEdit: TextEdit | undefined = addImport(ctx, spec.kind === 'default' ? { module, default: spec.binding } : { module, named: spec.binding });
  const edits: TextEdit[] = [{ start: at, end: at, newText: `${ctx.style.eol}${indent}${line}` }];
  if (importEdit) edits.push(importEdit);
  const title = `Mount ${module} on \`${app.name}\` (${limit} requests per ${windowMs / 1000} s)`;
  if (webhooks.length) return { title: `${title}: it also limits ${webhooks.join(', ')}, whose provider's deliveries it can drop`, edits, isPreferred: false, safe: false };
  return { title, edits, isPreferred: true, safe: false };
}

// ---- sensitive routes left out of per-route limiting -----------------------------------------

function reportSiblings(l: Limits, s: State): void {
  const { ctx } = l;
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
      // the route's comment says limiting is off on purpose or breaks it; its middleware may hold one we cannot see
      if (limitingDeclined(r.route, ctx) || opaqueMiddleware(r.route, l)) continue;
      const byDistance = nearest(limited, r);
      const model = byDistance[0];
      // the limiter to copy: the nearest sibling's own limiter, never a chain that also holds auth or parsers
      const source = byDistance.map((m) => ({ m, limiter: m.route.handlers.find((h) => isLimiter(h, l) && siblingFixText(l, h) !== undefined) })).find((x) => x.limiter);
      // a limiter in front of a provider's webhook drops its retries: never offered as a fix
      const fixable = !!source && r.route.handlers.length > 0 && !r.route.options && !isWebhook(r.route.path);
      const pathArg = r.route.call.arguments[0];
      ctx.report({
        node: pathArg ?? r.route.call,
        messageId: 'sibling',
        data: { route: `${r.route.method} ${r.route.path}`, model: `${model.route.method} ${model.route.path}` },
        ...(fixable ? { fix: () => [siblingFix(l, r, source.m, source.limiter!)] } : {}),
      });
    }
  }
}

/** The limited routes, nearest first. */
function nearest(list: RouteRec[], r: RouteRec): RouteRec[] {
  const at = r.route.call.getStart();
  return [...list].sort((a, b) => Math.abs(a.route.call.getStart() - at) - Math.abs(b.route.call.getStart() - at));
}

/**
 * The limiter's text to reuse: a named limiter, or an inline one on one line (copied: its own
 * counter). Not a collection (`[auth, limiter]`, a variable holding one, a ternary): copying it
 * would add its other middleware too.
 */
function siblingFixText(l: Limits, limiter: ts.Expression): string | undefined {
  const x = ts.isSpreadElement(limiter) ? limiter : skipOuter(limiter);
  if (ts.isArrayLiteralExpression(x) || ts.isSpreadElement(x) || ts.isConditionalExpression(x)) return undefined;
  if (ts.isIdentifier(x) && (l.values().get(x.text) ?? []).some((v) => { const i = skipOuter(v); return ts.isArrayLiteralExpression(i) || ts.isConditionalExpression(i); })) return undefined;
  const text = limiter.getText(l.ctx.sourceFile);
  return text.includes('\n') ? undefined : text;
}

function siblingFix(l: Limits, r: RouteRec, model: RouteRec, limiter: ts.Expression): Fix {
  const { ctx } = l;
  const text = siblingFixText(l, limiter)!;
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

function nestLimited(r: NestRoute, l: Limits): boolean {
  return r.throttled || r.guards.some((g) => LIMITER_NAME.test(g) || l.options.limiters.includes(g) || l.project.has(g));
}

function reportNestSiblings(l: Limits, s: State): void {
  const { ctx } = l;
  const byClass = new Map<ts.Node, { route: NestRoute; method: ts.MethodDeclaration }[]>();
  for (const n of s.nest) {
    const list = byClass.get(n.route.controller) ?? [];
    list.push(n);
    byClass.set(n.route.controller, list);
  }
  for (const list of byClass.values()) {
    // class-level guards/throttle cover every route: nothing to compare
    const limited = list.filter((n) => nestLimited(n.route, l));
    if (limited.length === 0 || limited.length === list.length) continue;
    for (const n of list) {
      if (nestLimited(n.route, l) || n.route.skipThrottle || n.route.guards.some((g) => AUTH_GUARD.test(g))) continue;
      const name = n.method.name.getText(ctx.sourceFile);
      if (!isSensitive(n.route.path, n.route.method) && !(n.route.method !== 'GET' && SENSITIVE.test(name))) continue;
      const model = limited.sort((a, b) => Math.abs(a.method.pos - n.method.pos) - Math.abs(b.method.pos - n.method.pos))[0];
      const fixable = !isWebhook(n.route.path) && nestFix(l, n, model) !== undefined;
      ctx.report({
        node: n.route.decorator,
        messageId: 'nestSibling',
        data: { route: `${n.route.method} ${n.route.path}`, model: `${model.route.method} ${model.route.path}` },
        ...(fixable ? { fix: () => [nestFix(l, n, model)!] } : {}),
      });
    }
  }
}

function nestFix(l: Limits, n: { route: NestRoute; method: ts.MethodDeclaration }, model: { route: NestRoute; method: ts.MethodDeclaration }): Fix | undefined {
  const { ctx } = l;
  const sf = ctx.sourceFile;
  const guard = model.route.guards.find((g) => LIMITER_NAME.test(g) || l.options.limiters.includes(g) || l.project.has(g));
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
