/**
 * Web frameworks in a file: which names are apps and routers, which calls register routes and
 * middleware, which functions are request handlers and what their request/response parameters
 * are called. Covers Express, Fastify, Koa (+ koa-router / @koa/router), Hono, NestJS
 * controllers and Next.js route handlers (app router `route.ts` exports, `pages/api` default
 * exports).
 *
 * Pure and cheap: every question is answered from the node asked about, its ancestors and the
 * direct statements of the blocks around it (bounded look-ups, never a tree walk), with results
 * cached per node. Rules call it from their visitors.
 *
 *   routeOf(call, facts)        app.post('/login', limiter, handler) → { framework, method, path, handlers, … }
 *   handlerOf(fn, facts)        (req, res, next) => … → { framework, kind, reqName, resName, nextName, route }
 *   appOf(expr, facts)          is `app` / `router` / `this.app` / `fastify` an app or a router?
 *   responseOf(call, facts)     res.status(500).json(x), reply.send(x), c.json(x), NextResponse.json(x) …
 *   nestRouteOf(method, facts)  @Post('login') on a @Controller('auth') method → route, guards, throttling
 */
import ts = require('typescript');
import type { FileFacts } from './facts';
import { skipOuter } from './facts';
import { firstUp, isFunctionLike, type FunctionLike } from './ast';
import type { ProjectFacts } from './project';
import {
  APP_PARAMETER_NAMES, FRAMEWORK, FRAMEWORK_INFO, KNOWLEDGE, LIB, RESPONSE_HEADER_METHODS, RESPONSE_SEND_METHODS, RESPONSE_STATUS_METHODS,
  frameworkOf, isModuleOf, type FrameworkFacet, type FrameworkId, type RequestRole,
} from '../knowledge';

export type Framework = FrameworkId;

export interface AppInstance {
  /** How the code refers to it: `app`, `router`, `this.app`, `fastify`. */
  name: string;
  framework: Framework;
  /** An application (owns the middleware chain and listens) or a router mounted into one. */
  role: 'app' | 'router';
  /** Created in this file (`express()`), a typed/known parameter, or a class member. */
  source: 'created' | 'parameter' | 'member';
  /** The creating call when created in this file. */
  creation?: ts.CallExpression | ts.NewExpression;
  /** The declaration (variable, parameter, property) when there is one. */
  declaration?: ts.Node;
  /** Path prefix known from the receiver (`router.route('/x')`, Hono `basePath('/api')`). */
  prefix?: string;
}

export interface RouteRegistration {
  framework: Framework;
  /** Upper-case HTTP method; 'ALL' for all/any; 'USE' for middleware mounts; 'REGISTER' for Fastify plugins. */
  method: string;
  /** Literal path (or mount prefix for USE); undefined when dynamic or absent. */
  path?: string;
  /** Middleware and handlers in registration order; for Fastify, its preHandler/onRequest hooks then the handler. */
  handlers: ts.Expression[];
  /** Fastify route options (`{ schema, preHandler, config }` or the `route({...})` object). */
  options?: ts.ObjectLiteralExpression;
  /** Source text of the receiver, e.g. `app`, `router`, `this.app`. */
  receiver: string;
  app: AppInstance;
  call: ts.CallExpression;
}

export type HandlerKind = 'route' | 'middleware' | 'error' | 'controller' | 'next-app' | 'next-pages' | 'plain';

export interface RequestHandlerInfo {
  framework: Framework;
  kind: HandlerKind;
  /** Request object (Express/Fastify/Next/Nest `@Req()`). */
  reqName?: string;
  /** Response object (Express `res`, Fastify `reply`, Nest `@Res()`, pages `res`). */
  resName?: string;
  nextName?: string;
  /** Koa `ctx` / Hono `c`. */
  ctxName?: string;
  /** The error parameter of an error handler. */
  errName?: string;
  route?: RouteRegistration;
  /** For Nest/Next handlers: the HTTP method and path when known. */
  method?: string;
  path?: string;
  /** True when recognised only by the shape of its parameters `(req, res)`, not by registration or types. */
  guessed?: boolean;
}

// ---- module tables ---------------------------------------------------------------------------

const EXPRESS_METHODS: ReadonlySet<string> = new Set(FRAMEWORK_INFO.express.appMethods);
const FASTIFY_METHODS: ReadonlySet<string> = new Set(FRAMEWORK_INFO.fastify.appMethods);
const HONO_METHODS: ReadonlySet<string> = new Set(FRAMEWORK_INFO.hono.appMethods);

/** The framework facet of a module when it is one the engine models (Express, Fastify, Koa, Hono, Nest, Next). */
function modelled(module: string): (FrameworkFacet & { id: Framework }) | undefined {
  const f = frameworkOf(module);
  return f && KNOWLEDGE.isModelledFramework(f.id) ? (f as FrameworkFacet & { id: Framework }) : undefined;
}

/** The app or router an export of `module` makes when called (or constructed with `new`). */
function factoryOf(module: string, name: string, isNew: boolean): { framework: Framework; role: 'app' | 'router' } | undefined {
  const f = modelled(module);
  const hit = f?.factories?.find((x) => x.export === name && (x.call === 'new') === isNew);
  return f && hit ? { framework: f.id, role: hit.role } : undefined;
}

/** What a creating call/`new` makes, from the callee's binding. */
function creationKind(node: ts.CallExpression | ts.NewExpression, facts: FileFacts): { framework: Framework; role: 'app' | 'router' } | undefined {
  const callee = skipOuter(node.expression);
  const isNew = ts.isNewExpression(node);
  // require('express')() / require('express').Router()
  const req = requireOf(callee);
  if (req) return factoryOf(req.module, req.member ?? '', isNew);
  let base: string | undefined;
  let member: string | undefined;
  if (ts.isIdentifier(callee)) base = callee.text;
  else if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression)) { base = callee.expression.text; member = callee.name.text; }
  if (!base) return undefined;
  const b = facts.bindings.get(base);
  if (!b) return undefined;
  const whole = b.imported === 'default' || b.imported === '*';
  const name = member ? (whole ? member : undefined) : (whole ? '' : b.imported);
  if (name === undefined) return undefined;
  return factoryOf(b.module, name, isNew);
}

function requireOf(e: ts.Expression): { module: string; member?: string } | undefined {
  let x = skipOuter(e);
  let member: string | undefined;
  if (ts.isPropertyAccessExpression(x)) { member = x.name.text; x = skipOuter(x.expression); }
  if (ts.isCallExpression(x) && ts.isIdentifier(x.expression) && x.expression.text === 'require' && x.arguments.length === 1 &&
    ts.isStringLiteralLike(x.arguments[0])) {
    const m = x.arguments[0].text;
    return { module: m.startsWith('node:') ? m.slice(5) : m, member: member === 'default' ? undefined : member };
  }
  return undefined;
}

/** `await NestFactory.create(AppModule)` — the Nest application in main.ts. */
export function isNestAppCreation(e: ts.Expression, facts: FileFacts): ts.CallExpression | undefined {
  let x = skipOuter(e);
  if (ts.isAwaitExpression(x)) x = skipOuter(x.expression);
  if (!ts.isCallExpression(x) || !ts.isPropertyAccessExpression(x.expression) || x.expression.name.text !== 'create') return undefined;
  const obj = x.expression.expression;
  if (!ts.isIdentifier(obj)) return undefined;
  const b = facts.bindings.get(obj.text);
  const boot = b && modelled(b.module)?.bootstrap;
  return boot && b.imported === boot.export && x.expression.name.text === boot.method ? x : undefined;
}

/** The framework and role an initializer creates: `express()`, `Router()`, `new Hono()`, `await NestFactory.create()`. */
export function creationOf(init: ts.Expression, facts: FileFacts): { framework: Framework; role: 'app' | 'router'; creation: ts.CallExpression | ts.NewExpression } | undefined {
  let x = skipOuter(init);
  if (ts.isAwaitExpression(x)) x = skipOuter(x.expression);
  const nest = isNestAppCreation(x, facts);
  if (nest) return { framework: FRAMEWORK.nestjs, role: 'app', creation: nest };
  if (!ts.isCallExpression(x) && !ts.isNewExpression(x)) return undefined;
  const direct = creationKind(x, facts);
  if (direct) return { ...direct, creation: x };
  // new Hono().basePath('/api') / express.Router({ mergeParams: true }) handled above; chains of route calls:
  if (ts.isCallExpression(x) && ts.isPropertyAccessExpression(x.expression)) {
    const inner = creationOf(x.expression.expression, facts);
    const m = x.expression.name.text;
    if (inner && (m === FRAMEWORK_INFO.hono.prefixMethod || HONO_METHODS.has(m) || EXPRESS_METHODS.has(m) || m === FRAMEWORK_INFO.express.prefixMethod)) return inner;
  }
  return undefined;
}

// ---- type names of parameters ---------------------------------------------------------------

/** Resolves a type reference (`Express`, `express.Router`, `FastifyInstance`, `Koa`) to its module and exported name. */
function typeRef(type: ts.TypeNode | undefined, facts: FileFacts): { module: string; name: string } | undefined {
  if (!type || !ts.isTypeReferenceNode(type)) return undefined;
  const tn = type.typeName;
  if (ts.isIdentifier(tn)) {
    const b = facts.bindings.get(tn.text);
    if (!b) return undefined;
    return { module: b.module, name: b.imported === '*' || b.imported === 'default' ? 'default' : b.imported };
  }
  if (ts.isIdentifier(tn.left)) {
    const b = facts.bindings.get(tn.left.text);
    if (!b || (b.imported !== '*' && b.imported !== 'default')) return undefined;
    return { module: b.module, name: tn.right.text };
  }
  return undefined;
}

function appFromType(type: ts.TypeNode | undefined, facts: FileFacts): { framework: Framework; role: 'app' | 'router' } | undefined {
  const r = typeRef(type, facts);
  const f = r && modelled(r.module);
  const role = f && f.appTypes?.[r.name];
  return f && role ? { framework: f.id, role } : undefined;
}

/** The single server framework the project depends on, for recognising untyped `app`/`fastify` parameters. */
export function projectFramework(project: ProjectFacts | undefined): Framework | undefined {
  if (!project) return undefined;
  const found = Object.values(FRAMEWORK_INFO).filter((f) => f.untypedApps && project.dependencies.has(f.packages[0])).map((f) => f.id);
  return found.length === 1 ? found[0] : undefined;
}

const UNTYPED_APP_NAMES = APP_PARAMETER_NAMES;

// ---- receiver resolution --------------------------------------------------------------------

const NOT_DECLARED = 0 as const;
const scopeCache = new WeakMap<ts.Node, Map<string, AppInstance | null | typeof NOT_DECLARED>>();

/**
 * Is `expr` an app or router? Identifiers are looked up in the enclosing scopes (variables
 * declared in the blocks around, parameters typed with the framework's types or — with
 * `project` — untyped parameters named like `app`/`router`/`fastify` in a project that uses
 * exactly one framework), `this.x` in the class, chains of route calls on an app.
 */
export function appOf(expr: ts.Expression, facts: FileFacts, project?: ProjectFacts): AppInstance | undefined {
  const e = skipOuter(expr);
  if (ts.isIdentifier(e)) return lookupName(e, e.text, facts, project);
  if (ts.isPropertyAccessExpression(e) && e.expression.kind === ts.SyntaxKind.ThisKeyword) return memberApp(e, facts);
  if (ts.isCallExpression(e) || ts.isNewExpression(e)) {
    const created = creationKind(e, facts);
    if (created) return { name: e.getText(), ...created, source: 'created', creation: e };
    if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression)) {
      const m = e.expression.name.text;
      const inner = appOf(e.expression.expression, facts, project);
      if (!inner) return undefined;
      // router.route('/x').get(…), app.basePath('/api').get(…), chained app.get(…).post(…)
      const first = e.arguments[0];
      const literal = first && ts.isStringLiteralLike(first) ? first.text : undefined;
      const info = FRAMEWORK_INFO[inner.framework];
      if (m === info.prefixMethod) return { ...inner, prefix: literal };
      if (m === info.pluginMethod) return inner;
      if (methodSet(inner.framework, inner.role).has(m)) return inner;
    }
  }
  return undefined;
}

const METHOD_SETS = new Map<string, ReadonlySet<string>>();

/** The methods that register routes or middleware on an app or router of a framework. */
function methodSet(fw: Framework, role: 'app' | 'router'): ReadonlySet<string> {
  const key = `${fw}:${role}`;
  let set = METHOD_SETS.get(key);
  if (!set) {
    const info = FRAMEWORK_INFO[fw];
    set = new Set(role === 'router' && info.routerMethods ? info.routerMethods : info.appMethods);
    METHOD_SETS.set(key, set);
  }
  return set;
}

/**
 * What `name` is where `at` is: the nearest block or function declaring it, going out. Scopes
 * are reached through a remembered step (firstUp) and each scope remembers what a name resolved
 * to from inside it, so the lookups of a deeply nested file cost one step per scope, not per use.
 */
function lookupName(at: ts.Node, name: string, facts: FileFacts, project?: ProjectFacts): AppInstance | undefined {
  const passed: ts.Node[] = [];
  let result: AppInstance | undefined;
  for (let s = firstUp(at, scopeStep, scopeAbove); s; s = firstUp(s, scopeStep, scopeAbove)) {
    const known = resolvedFrom.get(s)?.get(name);
    if (known !== undefined) { result = known === NOT_DECLARED ? undefined : known; break; }
    passed.push(s);
    const hit = isFunctionLike(s) ? paramLookup(s, name, facts, project) : scopeLookup(s, name, facts);
    if (hit !== undefined) { result = hit ?? undefined; break; }
  }
  for (const s of passed) {
    let m = resolvedFrom.get(s);
    if (!m) resolvedFrom.set(s, (m = new Map()));
    m.set(name, result ?? NOT_DECLARED);
  }
  return result;
}
const scopeAbove = new WeakMap<ts.Node, ts.Node | null>();
const scopeStep = (_child: ts.Node, n: ts.Node) =>
  (ts.isBlock(n) || ts.isSourceFile(n) || ts.isModuleBlock(n) || ts.isCaseClause(n) || ts.isDefaultClause(n) || isFunctionLike(n) ? n : undefined);
const resolvedFrom = new WeakMap<ts.Node, Map<string, AppInstance | typeof NOT_DECLARED>>();

/** Declarations of `name` among a block's direct statements: AppInstance, null (declared, not an app) or undefined (not declared here). */
function scopeLookup(block: ts.Node, name: string, facts: FileFacts): AppInstance | null | undefined {
  let map = scopeCache.get(block);
  if (!map) { map = new Map(); scopeCache.set(block, map); }
  const hit = map.get(name);
  if (hit !== undefined) return hit === NOT_DECLARED ? undefined : hit;
  let result: AppInstance | null | undefined;
  const statements: readonly ts.Statement[] = (block as ts.Block).statements ?? [];
  for (const st of statements) {
    if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) {
        if (!ts.isIdentifier(d.name) || d.name.text !== name) continue;
        const c = d.initializer ? creationOf(d.initializer, facts) : undefined;
        if (c) result = { name, framework: c.framework, role: c.role, source: 'created', creation: c.creation, declaration: d };
        else {
          const t = appFromType(d.type, facts);
          result = t ? { name, ...t, source: 'parameter', declaration: d } : null;
        }
      }
    } else if ((ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st)) && st.name?.text === name) result = null;
    if (result !== undefined) break;
  }
  // imports and requires are not apps (an app imported from another file is unknown here)
  if (result === undefined && ts.isSourceFile(block) && facts.bindings.has(name)) result = null;
  map.set(name, result === undefined ? NOT_DECLARED : result);
  return result;
}

function paramLookup(fn: FunctionLike, name: string, facts: FileFacts, project?: ProjectFacts): AppInstance | null | undefined {
  for (const p of fn.parameters) {
    if (!ts.isIdentifier(p.name) || p.name.text !== name) continue;
    const t = appFromType(p.type, facts);
    if (t) return { name, ...t, source: 'parameter', declaration: p };
    if (!p.type || isAnyType(p.type)) {
      // `module.exports = async function (fastify, opts)`, `export default (app) => { app.get(…) }`
      const fw = projectFramework(project) ?? fileFramework(facts);
      const role = UNTYPED_APP_NAMES[name];
      if (fw && role && (fw !== FRAMEWORK.koa || role === 'router')) return { name, framework: fw, role: fw === FRAMEWORK.fastify ? 'app' : role, source: 'parameter', declaration: p };
    }
    return null;
  }
  return undefined;
}

function isAnyType(t: ts.TypeNode): boolean {
  return t.kind === ts.SyntaxKind.AnyKeyword;
}

/** The framework this file imports, when exactly one. */
export function fileFramework(facts: FileFacts): Framework | undefined {
  const cache = facts as unknown as { __fileFramework?: Framework | null };
  if (cache.__fileFramework !== undefined) return cache.__fileFramework ?? undefined;
  const found = new Set<Framework>();
  for (const b of facts.bindings.values()) {
    const f = modelled(b.module);
    if (f?.marksFile) found.add(f.id);
  }
  const fw = found.size === 1 ? [...found][0] : undefined;
  cache.__fileFramework = fw ?? null;
  return fw;
}

function memberApp(e: ts.PropertyAccessExpression, facts: FileFacts): AppInstance | undefined {
  const cls = enclosingClass(e);
  if (!cls) return undefined;
  const name = e.name.text;
  for (const m of cls.members) {
    if (ts.isPropertyDeclaration(m) && ts.isIdentifier(m.name) && m.name.text === name) {
      const c = m.initializer ? creationOf(m.initializer, facts) : undefined;
      if (c) return { name: `this.${name}`, framework: c.framework, role: c.role, source: 'member', creation: c.creation, declaration: m };
      const t = appFromType(m.type, facts);
      if (t) return { name: `this.${name}`, ...t, source: 'member', declaration: m };
    }
    if (ts.isConstructorDeclaration(m)) {
      for (const p of m.parameters) {
        if (ts.isIdentifier(p.name) && p.name.text === name && ts.getModifiers(p)?.length) {
          const t = appFromType(p.type, facts);
          if (t) return { name: `this.${name}`, ...t, source: 'member', declaration: p };
        }
      }
      for (const st of m.body?.statements ?? []) {
        if (ts.isExpressionStatement(st) && ts.isBinaryExpression(st.expression) && st.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
          const l = st.expression.left;
          if (ts.isPropertyAccessExpression(l) && l.expression.kind === ts.SyntaxKind.ThisKeyword && l.name.text === name) {
            const c = creationOf(st.expression.right, facts);
            if (c) return { name: `this.${name}`, framework: c.framework, role: c.role, source: 'member', creation: c.creation, declaration: st };
          }
        }
      }
    }
  }
  return undefined;
}

function enclosingClass(n: ts.Node): ts.ClassLikeDeclaration | undefined {
  let p = n.parent;
  while (p) {
    if (ts.isClassLike(p)) return p;
    p = p.parent;
  }
  return undefined;
}

// ---- route registrations --------------------------------------------------------------------

const routeCache = new WeakMap<ts.CallExpression, RouteRegistration | null>();

/**
 * A route or middleware registration: `app.get('/x', mw, handler)`, `router.use(mw)`,
 * `router.route('/x').post(h)`, `fastify.post('/x', { schema }, h)`, `fastify.route({ method, url, handler })`,
 * `fastify.register(plugin, opts)`, Koa router `router.post('/x', h)`, `app.use(mw)`, Hono `app.post('/x', mw, h)`.
 * Calls on things that are not known apps/routers (`map.get('/x')`, `axios.post('/x', …)`) are not routes.
 */
export function routeOf(call: ts.CallExpression, facts: FileFacts, project?: ProjectFacts): RouteRegistration | undefined {
  const cached = routeCache.get(call);
  if (cached !== undefined) return cached ?? undefined;
  const r = computeRoute(call, facts, project);
  routeCache.set(call, r ?? null);
  return r;
}

function computeRoute(call: ts.CallExpression, facts: FileFacts, project?: ProjectFacts): RouteRegistration | undefined {
  const callee = call.expression;
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  const m = callee.name.text;
  if (!ALL_METHODS.has(m)) return undefined;
  const app = appOf(callee.expression, facts, project);
  if (!app) return undefined;
  const receiver = callee.expression.getText();
  const args = call.arguments;
  const first = args[0] && skipOuter(args[0]);
  const literalPath = first && ts.isStringLiteralLike(first) ? first.text : undefined;
  const base = { framework: app.framework, receiver, app, call };

  if (app.framework === FRAMEWORK.fastify) {
    if (m === FRAMEWORK_INFO.fastify.routeMethod) {
      const opts = first && ts.isObjectLiteralExpression(first) ? first : undefined;
      if (!opts) return undefined;
      const method = stringProp(opts, 'method');
      const url = stringProp(opts, 'url') ?? stringProp(opts, 'path');
      return { ...base, method: method ? method.toUpperCase() : 'ALL', path: url, handlers: fastifyHandlers(opts), options: opts };
    }
    if (m === FRAMEWORK_INFO.fastify.pluginMethod) return { ...base, method: 'REGISTER', path: undefined, handlers: first ? [first] : [], options: objectArg(args[1]) };
    if (m === 'use') return { ...base, method: 'USE', path: literalPath, handlers: args.slice(literalPath !== undefined ? 1 : 0) };
    if (!FASTIFY_METHODS.has(m) || literalPath === undefined || args.length < 2) return undefined;
    // fastify.get(path, handler) | fastify.get(path, opts, handler) | fastify.get(path, { handler, … })
    const opts = objectArg(args[1]);
    if (args.length === 2 && opts) return { ...base, method: m.toUpperCase(), path: literalPath, handlers: fastifyHandlers(opts), options: opts };
    const handler = args[args.length - 1];
    return { ...base, method: m.toUpperCase(), path: literalPath, handlers: [...(opts ? fastifyHooks(opts) : []), handler], options: opts };
  }

  const prefixMethod = FRAMEWORK_INFO[app.framework].prefixMethod;
  if (!methodSet(app.framework, app.role).has(m) && !(app.framework === FRAMEWORK.express && m === prefixMethod)) return undefined;
  if (app.framework === FRAMEWORK.express && m === prefixMethod) return undefined; // router.route('/x') itself registers nothing
  if (m === 'use') {
    const handlers = args.slice(literalPath !== undefined ? 1 : 0);
    if (handlers.length === 0) return undefined;
    return { ...base, method: 'USE', path: literalPath ?? app.prefix, handlers };
  }
  if (app.framework === FRAMEWORK.hono && m === 'on') {
    // app.on('GET', '/x', h) / app.on(['GET','POST'], '/x', h)
    const second = args[1] && skipOuter(args[1]);
    if (!second || !ts.isStringLiteralLike(second) || args.length < 3) return undefined;
    const method = first && ts.isStringLiteralLike(first) ? first.text.toUpperCase() : 'ALL';
    return { ...base, method, path: second.text, handlers: args.slice(2) };
  }
  // app.get('/x', …handlers) — or, on router.route('/x'), app.get(…handlers) without a path
  if (app.prefix !== undefined && app.framework === FRAMEWORK.express && literalPath === undefined) {
    if (args.length === 0) return undefined;
    return { ...base, method: m === 'del' ? 'DELETE' : m.toUpperCase(), path: app.prefix, handlers: [...args] };
  }
  // Express `app.get('setting')` reads a setting: a route needs a handler
  if (args.length < 2) return undefined;
  const pathOk = literalPath !== undefined || (first && isPathLike(first));
  if (!pathOk) return undefined;
  const prefix = app.framework === FRAMEWORK.hono && app.prefix && literalPath !== undefined ? joinPath(app.prefix, literalPath) : literalPath;
  return { ...base, method: m === 'del' ? 'DELETE' : m.toUpperCase(), path: prefix, handlers: args.slice(1) };
}

/** Every method that registers something on an app or router of any framework. */
const ALL_METHODS: ReadonlySet<string> = new Set(Object.values(FRAMEWORK_INFO).flatMap((f) => [
  ...f.appMethods, ...(f.routerMethods ?? []), ...(f.routeMethod ? [f.routeMethod] : []), ...(f.pluginMethod ? [f.pluginMethod] : []),
  ...(f.id === FRAMEWORK.express && f.prefixMethod ? [f.prefixMethod] : []),
]));

function isPathLike(e: ts.Expression): boolean {
  const x = skipOuter(e);
  // a template `/${prefix}/x`, a regexp, an array of paths, or a constant — anything but a function
  return ts.isTemplateExpression(x) || ts.isRegularExpressionLiteral(x) || ts.isArrayLiteralExpression(x) ||
    ts.isIdentifier(x) && /path|route|url|prefix/i.test(x.text) || ts.isPropertyAccessExpression(x) && /path|route|url|prefix/i.test(x.name.text);
}

function joinPath(a: string, b: string): string {
  return (a.replace(/\/$/, '') + '/' + b.replace(/^\//, '')).replace(/\/$/, '') || '/';
}

function objectArg(e: ts.Expression | undefined): ts.ObjectLiteralExpression | undefined {
  const x = e && skipOuter(e);
  return x && ts.isObjectLiteralExpression(x) ? x : undefined;
}

function stringProp(obj: ts.ObjectLiteralExpression, name: string): string | undefined {
  for (const p of obj.properties) {
    if (ts.isPropertyAssignment(p) && propName(p.name) === name) {
      const v = skipOuter(p.initializer);
      if (ts.isStringLiteralLike(v)) return v.text;
      if (ts.isArrayLiteralExpression(v) && v.elements.length === 1 && ts.isStringLiteralLike(v.elements[0])) return v.elements[0].text;
    }
  }
  return undefined;
}

function propName(n: ts.PropertyName): string | undefined {
  return ts.isIdentifier(n) || ts.isStringLiteral(n) ? n.text : undefined;
}

/** Property value by name in an object literal (`{ handler }` shorthand included). */
export function objectProp(obj: ts.ObjectLiteralExpression, name: string): ts.Expression | undefined {
  for (const p of obj.properties) {
    if (ts.isPropertyAssignment(p) && propName(p.name) === name) return p.initializer;
    if (ts.isShorthandPropertyAssignment(p) && p.name.text === name) return p.name;
    if (ts.isMethodDeclaration(p) && p.name && propName(p.name) === name) return p as unknown as ts.Expression;
  }
  return undefined;
}

const FASTIFY_HOOKS = FRAMEWORK_INFO.fastify.hooks!;

function fastifyHooks(opts: ts.ObjectLiteralExpression): ts.Expression[] {
  const out: ts.Expression[] = [];
  for (const h of FASTIFY_HOOKS) {
    const v = objectProp(opts, h);
    if (!v) continue;
    const x = skipOuter(v);
    if (ts.isArrayLiteralExpression(x)) out.push(...x.elements);
    else out.push(v);
  }
  return out;
}

function fastifyHandlers(opts: ts.ObjectLiteralExpression): ts.Expression[] {
  const handler = objectProp(opts, 'handler');
  return [...fastifyHooks(opts), ...(handler ? [handler] : [])];
}

// ---- request handlers -----------------------------------------------------------------------

const handlerCache = new WeakMap<ts.Node, RequestHandlerInfo | null>();

/**
 * Is `fn` a request handler (or middleware / error handler), and what are its parameters called?
 * Recognised, in order: a function passed to a route registration (also through one wrapper call
 * such as `asyncHandler(fn)`), a Fastify `handler:`/hook, error handlers (`app.use((err, req, res, next) => …)`,
 * `setErrorHandler`, Hono `onError`), NestJS controller methods, Next.js route exports, functions
 * typed with the framework's request/response types, and — marked `guessed` — functions whose
 * parameters are named `(req, res[, next])`.
 */
export function handlerOf(fn: FunctionLike, facts: FileFacts, project?: ProjectFacts): RequestHandlerInfo | undefined {
  const cached = handlerCache.get(fn);
  if (cached !== undefined) return cached ?? undefined;
  const info = computeHandler(fn, facts, project);
  handlerCache.set(fn, info ?? null);
  return info;
}

function paramNames(fn: FunctionLike): (string | undefined)[] {
  return fn.parameters.map((p) => (ts.isIdentifier(p.name) ? p.name.text : undefined));
}

function computeHandler(fn: FunctionLike, facts: FileFacts, project?: ProjectFacts): RequestHandlerInfo | undefined {
  // 1. an argument of a route registration (directly, or wrapped once: asyncHandler(fn), catchAsync(fn))
  let arg: ts.Node = fn;
  while (arg.parent && (ts.isParenthesizedExpression(arg.parent) || ts.isAsExpression(arg.parent))) arg = arg.parent;
  let host = arg.parent;
  if (host && ts.isArrayLiteralExpression(host)) { arg = host; host = host.parent; } // app.get('/x', [mw, h])
  if (host && ts.isCallExpression(host) && host.arguments.includes(arg as ts.Expression)) {
    let route = routeOf(host, facts, project);
    if (!route && host.parent && ts.isCallExpression(host.parent) && host.parent.arguments.includes(host) && host.arguments.length === 1) {
      route = routeOf(host.parent, facts, project); // wrapper(fn) passed to a route
    }
    if (route && route.method !== 'REGISTER') return fromRoute(fn, route);
    const special = errorHandlerHost(host, facts, project);
    if (special) return withParams(fn, special.framework, 'error');
  }
  // 2. Fastify `{ handler }` / hooks in route options
  if (host && ts.isPropertyAssignment(host) && ts.isObjectLiteralExpression(host.parent)) {
    const key = propName(host.name);
    const call = host.parent.parent;
    if (key && (key === 'handler' || FASTIFY_HOOKS.includes(key)) && call && ts.isCallExpression(call)) {
      const route = routeOf(call, facts, project);
      if (route && route.framework === FRAMEWORK.fastify) return fromRoute(fn, route, key === 'handler' ? 'route' : 'middleware');
    }
  }
  // 3. NestJS controller method
  if (ts.isMethodDeclaration(fn)) {
    const nest = nestRouteOf(fn, facts);
    if (nest) {
      const p = nest.params;
      return { framework: FRAMEWORK.nestjs, kind: 'controller', reqName: p.Req ?? p.Request, resName: p.Res ?? p.Response, nextName: p.Next, method: nest.method, path: nest.path };
    }
  }
  // 4. Next.js route handlers
  const next = nextHandler(fn, facts);
  if (next) return next;
  // 5. typed parameters / handler type annotations
  const typed = typedHandler(fn, facts);
  if (typed) return typed;
  // 6. by parameter names
  const names = paramNames(fn);
  if (names.length >= 2 && names.length <= 4) {
    const [a, b, c, d] = names;
    if (names.length === 4 && a && /^(err|error|e)$/.test(a) && b && /^req(uest)?$/.test(b) && c && /^res(ponse)?$/.test(c)) {
      return { framework: FRAMEWORK.express, kind: 'error', errName: a, reqName: b, resName: c, nextName: d, guessed: true };
    }
    if (a && /^req(uest)?$/.test(a) && b && /^(res|response)$/.test(b) && names.length <= 3) {
      return { framework: FRAMEWORK.express, kind: 'plain', reqName: a, resName: b, nextName: c, guessed: true };
    }
    if (a && /^req(uest)?$/.test(a) && b === 'reply' && names.length === 2) {
      return { framework: FRAMEWORK.fastify, kind: 'plain', reqName: a, resName: b, guessed: true };
    }
  }
  return undefined;
}

const ERROR_HANDLER_METHODS: ReadonlySet<string> = new Set(Object.values(FRAMEWORK_INFO).flatMap((f) => (f.errorHandler ? [f.errorHandler] : [])));

function errorHandlerHost(call: ts.CallExpression, facts: FileFacts, project?: ProjectFacts): { framework: Framework } | undefined {
  const callee = call.expression;
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  const m = callee.name.text;
  if (!ERROR_HANDLER_METHODS.has(m)) return undefined;
  const app = appOf(callee.expression, facts, project);
  if (!app) return undefined;
  if (m === FRAMEWORK_INFO[app.framework].errorHandler) return { framework: app.framework };
  return undefined;
}

function withParams(fn: FunctionLike, framework: Framework, kind: HandlerKind, route?: RouteRegistration): RequestHandlerInfo {
  const names = paramNames(fn);
  const info: RequestHandlerInfo = { framework, kind, route, method: route?.method, path: route?.path };
  switch (framework) {
    case FRAMEWORK.express:
      if (kind === 'error' || names.length === 4) {
        info.kind = 'error';
        [info.errName, info.reqName, info.resName, info.nextName] = names;
      } else [info.reqName, info.resName, info.nextName] = names;
      break;
    case FRAMEWORK.fastify:
      if (kind === 'error') [info.errName, info.reqName, info.resName] = names;
      else [info.reqName, info.resName] = names;
      break;
    case FRAMEWORK.koa:
      [info.ctxName, info.nextName] = names;
      break;
    case FRAMEWORK.hono:
      if (kind === 'error') [info.errName, info.ctxName] = names;
      else [info.ctxName, info.nextName] = names;
      break;
    default:
      [info.reqName, info.resName] = names;
  }
  return info;
}

function fromRoute(fn: FunctionLike, route: RouteRegistration, kind?: HandlerKind): RequestHandlerInfo {
  const isLast = route.handlers.length > 0 && containsNode(route.handlers[route.handlers.length - 1], fn);
  const k: HandlerKind = kind ?? (route.method === 'USE' || !isLast ? 'middleware' : 'route');
  return withParams(fn, route.framework, k, route);
}

function containsNode(outer: ts.Node, inner: ts.Node): boolean {
  return outer.pos <= inner.pos && inner.end <= outer.end;
}

function typedRole(type: ts.TypeNode | undefined, facts: FileFacts): { framework: Framework; role: RequestRole } | undefined {
  const r = typeRef(type, facts);
  const f = r && modelled(r.module);
  const role = f && f.handlerTypes?.[r.name];
  return f && role ? { framework: f.id, role } : undefined;
}

/** Which field of the handler info a typed parameter names. */
const PARAM_FIELD: Partial<Record<RequestRole, 'reqName' | 'resName' | 'nextName' | 'ctxName'>> = { req: 'reqName', res: 'resName', next: 'nextName', ctx: 'ctxName' };

function typedHandler(fn: FunctionLike, facts: FileFacts): RequestHandlerInfo | undefined {
  // const h: RequestHandler = (req, res) => …
  const decl = fn.parent;
  if (decl && ts.isVariableDeclaration(decl) && decl.initializer === fn) {
    const t = typedRole(decl.type, facts);
    if (t && (t.role === 'handler' || t.role === 'error-handler')) {
      return withParams(fn, t.framework, t.role === 'error-handler' ? 'error' : 'plain');
    }
  }
  const roles = fn.parameters.map((p) => typedRole(p.type, facts));
  const names = paramNames(fn);
  const fw = roles.find((r) => r)?.framework;
  if (!fw) return undefined;
  const info: RequestHandlerInfo = { framework: fw, kind: 'plain' };
  roles.forEach((r, i) => {
    const field = r && r.framework === fw ? PARAM_FIELD[r.role] : undefined;
    if (field) info[field] ??= names[i];
  });
  // (err, req: Request, res: Response, next) — an error middleware
  if (fw === FRAMEWORK.express && fn.parameters.length === 4 && !roles[0] && roles[1]?.role === 'req') {
    info.kind = 'error';
    info.errName = names[0];
  }
  if (!info.reqName && !info.resName && !info.ctxName) return undefined;
  return info;
}

// ---- Next.js --------------------------------------------------------------------------------

const NEXT_METHODS: ReadonlySet<string> = new Set(FRAMEWORK_INFO.next.routeExports);

/** Where a Next.js file routes: app router `route.ts` or a `pages/api` module. */
export function nextFileKind(fileName: string): 'app-route' | 'pages-api' | undefined {
  const f = fileName.replace(/\\/g, '/');
  if (/(^|\/)app\/(.*\/)?route\.[cm]?[jt]sx?$/.test(f)) return 'app-route';
  if (/(^|\/)pages\/api\//.test(f)) return 'pages-api';
  return undefined;
}

function nextHandler(fn: FunctionLike, facts: FileFacts): RequestHandlerInfo | undefined {
  const kind = nextFileKind(facts.fileName);
  if (!kind) return undefined;
  const names = paramNames(fn);
  if (kind === 'app-route') {
    const name = exportedName(fn);
    if (!name || !NEXT_METHODS.has(name)) return undefined;
    return { framework: FRAMEWORK.next, kind: 'next-app', reqName: names[0], method: name };
  }
  if (!isDefaultExport(fn)) return undefined;
  return { framework: FRAMEWORK.next, kind: 'next-pages', reqName: names[0], resName: names[1] };
}

function exportedName(fn: FunctionLike): string | undefined {
  if (ts.isFunctionDeclaration(fn) && fn.name && hasExport(fn)) return fn.name.text;
  const d = fn.parent;
  if (d && ts.isVariableDeclaration(d) && d.initializer === fn && ts.isIdentifier(d.name)) {
    const st = d.parent?.parent;
    if (st && ts.isVariableStatement(st) && hasExport(st)) return d.name.text;
  }
  return undefined;
}

function hasExport(n: ts.Node): boolean {
  return (ts.canHaveModifiers(n) ? ts.getModifiers(n) : undefined)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword) ?? false;
}

function isDefaultExport(fn: FunctionLike): boolean {
  if (ts.isFunctionDeclaration(fn)) {
    const mods = ts.getModifiers(fn);
    if (mods?.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword)) return true;
  }
  let p: ts.Node = fn;
  while (p.parent && (ts.isParenthesizedExpression(p.parent) || ts.isAsExpression(p.parent))) p = p.parent;
  if (p.parent && ts.isExportAssignment(p.parent)) return true;
  // export default withAuth(handler) / const handler = …; export default handler
  const name = ts.isFunctionDeclaration(fn) ? fn.name?.text : fn.parent && ts.isVariableDeclaration(fn.parent) && ts.isIdentifier(fn.parent.name) ? fn.parent.name.text : undefined;
  if (!name) return false;
  const sf = fn.getSourceFile();
  for (const st of sf.statements) {
    if (!ts.isExportAssignment(st)) continue;
    let e = skipOuter(st.expression);
    for (let i = 0; i < 3 && ts.isCallExpression(e); i++) e = skipOuter(e.arguments[e.arguments.length - 1] ?? e.expression);
    if (ts.isIdentifier(e) && e.text === name) return true;
  }
  return false;
}

// ---- NestJS ---------------------------------------------------------------------------------

const NEST_VERBS: Readonly<Record<string, string>> = FRAMEWORK_INFO.nestjs.routeDecorators!;

export interface NestRoute {
  method: string;
  path: string;
  controller: ts.ClassLikeDeclaration;
  /** The HTTP-method decorator (`@Post('login')`). */
  decorator: ts.Decorator;
  /** Parameter decorator name → parameter name: `{ Body: 'dto', Req: 'req', Headers: 'headers' }`. */
  params: Record<string, string>;
  /** Per parameter: its decorator name and argument (e.g. `@Body('email')`), and its type node. */
  paramList: { name: string; decorator?: string; arg?: string; type?: ts.TypeNode; node: ts.ParameterDeclaration }[];
  /** Names used in `@UseGuards(…)` on the method or the class. */
  guards: string[];
  /** `@Throttle` on the method or class. */
  throttled: boolean;
  /** `@SkipThrottle()` (without `false`) on the method or class. */
  skipThrottle: boolean;
}

const nestCache = new WeakMap<ts.MethodDeclaration, NestRoute | null>();

function nestDecorator(d: ts.Decorator, facts: FileFacts): { name: string; call?: ts.CallExpression } | undefined {
  const e = d.expression;
  const call = ts.isCallExpression(e) ? e : undefined;
  const id = call ? call.expression : e;
  if (!ts.isIdentifier(id)) return undefined;
  const b = facts.bindings.get(id.text);
  if (!b || !modelled(b.module)?.decorators) return undefined;
  return { name: b.imported === 'default' || b.imported === '*' ? id.text : b.imported, call };
}

/** A NestJS controller method with an HTTP-method decorator. */
export function nestRouteOf(method: ts.MethodDeclaration, facts: FileFacts): NestRoute | undefined {
  const cached = nestCache.get(method);
  if (cached !== undefined) return cached ?? undefined;
  let result: NestRoute | undefined;
  const cls = method.parent;
  if (ts.isClassLike(cls)) {
    for (const d of ts.getDecorators(method) ?? []) {
      const nd = nestDecorator(d, facts);
      const verb = nd && NEST_VERBS[nd.name];
      if (!verb) continue;
      const sub = nd.call?.arguments[0] && ts.isStringLiteralLike(nd.call.arguments[0]) ? nd.call.arguments[0].text : '';
      const prefix = controllerPrefix(cls, facts);
      const path = ('/' + [prefix, sub].filter(Boolean).join('/')).replace(/\/+/g, '/');
      const params: Record<string, string> = {};
      const paramList: NestRoute['paramList'] = [];
      for (const p of method.parameters) {
        if (!ts.isIdentifier(p.name)) continue;
        let decorator: string | undefined;
        let arg: string | undefined;
        for (const pd of ts.getDecorators(p) ?? []) {
          const n = nestDecorator(pd, facts);
          if (!n) continue;
          decorator = n.name;
          const a = n.call?.arguments[0];
          arg = a && ts.isStringLiteralLike(a) ? a.text : undefined;
          if (!params[n.name]) params[n.name] = p.name.text;
        }
        paramList.push({ name: p.name.text, decorator, arg, type: p.type, node: p });
      }
      const guards: string[] = [];
      let throttled = false;
      let skipThrottle = false;
      for (const holder of [method, cls]) {
        for (const hd of ts.getDecorators(holder as ts.HasDecorators) ?? []) {
          const n = nestDecorator(hd, facts);
          if (!n) continue;
          if (n.name === 'UseGuards' && n.call) for (const a of n.call.arguments) guards.push(a.getText());
          if (n.name === 'Throttle') throttled = true;
          if (n.name === 'SkipThrottle') {
            const a = n.call?.arguments[0];
            // @SkipThrottle() or @SkipThrottle({ default: true }); @SkipThrottle(false) re-enables
            if (!a || a.kind !== ts.SyntaxKind.FalseKeyword) skipThrottle = holder === method || !skipThrottle ? true : skipThrottle;
          }
        }
      }
      result = { method: verb, path, controller: cls, decorator: d, params, paramList, guards, throttled, skipThrottle };
      break;
    }
  }
  nestCache.set(method, result ?? null);
  return result;
}

function controllerPrefix(cls: ts.ClassLikeDeclaration, facts: FileFacts): string {
  for (const d of ts.getDecorators(cls) ?? []) {
    const nd = nestDecorator(d, facts);
    if (!nd || nd.name !== 'Controller' || !nd.call) continue;
    const a = nd.call.arguments[0];
    if (a && ts.isStringLiteralLike(a)) return a.text.replace(/^\/|\/$/g, '');
    if (a && ts.isObjectLiteralExpression(a)) {
      const p = objectProp(a, 'path');
      if (p && ts.isStringLiteralLike(p)) return p.text.replace(/^\/|\/$/g, '');
    }
  }
  return '';
}

// ---- responses ------------------------------------------------------------------------------

export interface ResponseSend {
  framework: Framework | 'node';
  /** The method that sends: json, send, end, text, html, body, redirect… */
  method: string;
  /** The payload argument(s) that reach the client. */
  payload: ts.Expression[];
  /** The status code expression when set in the same chain or init (`res.status(500)`, `{ status: 500 }`, `c.json(x, 500)`). */
  status?: ts.Expression;
  call: ts.CallExpression | ts.NewExpression;
}

const RES_SEND: ReadonlySet<string> = new Set(RESPONSE_SEND_METHODS);
const HONO_SEND: ReadonlySet<string> = new Set(FRAMEWORK_INFO.hono.contextSend);
const STATUS_SETTERS: ReadonlySet<string> = new Set(RESPONSE_STATUS_METHODS);
const HEADER_SETTERS: ReadonlySet<string> = new Set(RESPONSE_HEADER_METHODS);

/**
 * A call that sends a response body to the client, given the handler it runs in:
 * Express/pages `res.json(x)`/`res.status(500).send(x)`/`res.end(x)`, Fastify `reply.send(x)`/`reply.code(500).send(x)`,
 * Hono `c.json(x, 500)`/`c.text(x)`, Next/Web `NextResponse.json(x, { status })`, `Response.json(x)`, `new Response(x)`.
 * Koa's `ctx.body = x` is an assignment; see `koaBodyAssignment`.
 */
export function responseOf(call: ts.CallExpression | ts.NewExpression, handler: RequestHandlerInfo | undefined, facts: FileFacts): ResponseSend | undefined {
  const callee = skipOuter(call.expression);
  const args = call.arguments ?? ts.factory.createNodeArray<ts.Expression>();
  if (ts.isNewExpression(call)) {
    // new Response(body, { status }) / new NextResponse(body, init)
    if (ts.isIdentifier(callee) && isWebResponse(callee.text, facts) && args.length >= 1) {
      return { framework: FRAMEWORK.next, method: 'new', payload: [args[0]], status: initStatus(args[1]), call };
    }
    return undefined;
  }
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  const m = callee.name.text;
  const recv = skipOuter(callee.expression);
  // NextResponse.json(x, init) / Response.json(x, init)
  if (ts.isIdentifier(recv) && isWebResponse(recv.text, facts)) {
    if (m === 'json' && args.length >= 1) return { framework: FRAMEWORK.next, method: m, payload: [args[0]], status: initStatus(args[1]), call };
    return undefined;
  }
  // res.status(500).json(x): find the root receiver and a status call in the chain
  let root: ts.Expression = recv;
  let status: ts.Expression | undefined;
  while (ts.isCallExpression(root) && ts.isPropertyAccessExpression(root.expression)) {
    const n = root.expression.name.text;
    if (STATUS_SETTERS.has(n) && root.arguments[0]) status = root.arguments[0];
    else if (!HEADER_SETTERS.has(n)) return undefined;
    root = skipOuter(root.expression.expression);
  }
  if (!ts.isIdentifier(root)) return undefined;
  const name = root.text;
  if (handler) {
    if (handler.ctxName === name && handler.framework === FRAMEWORK.hono && HONO_SEND.has(m)) {
      return { framework: FRAMEWORK.hono, method: m, payload: args.length ? [args[0]] : [], status: status ?? args[1], call };
    }
    if (handler.resName === name && (RES_SEND.has(m) || (handler.framework === FRAMEWORK.fastify && m === 'send'))) {
      if (m === 'end' && args.length === 0) return undefined;
      return { framework: handler.framework, method: m, payload: args.length ? [args[0]] : [], status, call };
    }
  }
  return undefined;
}

function isWebResponse(name: string, facts: FileFacts): boolean {
  if (name === 'Response') return !facts.moduleNames.has('Response') || isModuleOf(LIB.undici, facts.bindings.get('Response')?.module ?? '');
  const b = facts.bindings.get(name);
  const helper = b && modelled(b.module)?.response;
  return !!helper && b.imported === helper;
}

function initStatus(init: ts.Expression | undefined): ts.Expression | undefined {
  const o = init && skipOuter(init);
  if (o && ts.isObjectLiteralExpression(o)) return objectProp(o, 'status');
  return undefined;
}

/** Koa `ctx.body = x` / `ctx.response.body = x` inside a Koa handler: the payload expression. */
export function koaBodyAssignment(bin: ts.BinaryExpression, handler: RequestHandlerInfo | undefined): ts.Expression | undefined {
  if (!handler || handler.framework !== FRAMEWORK.koa || !handler.ctxName) return undefined;
  if (bin.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return undefined;
  const l = skipOuter(bin.left);
  if (!ts.isPropertyAccessExpression(l) || l.name.text !== 'body') return undefined;
  let o = skipOuter(l.expression);
  if (ts.isPropertyAccessExpression(o) && o.name.text === 'response') o = skipOuter(o.expression);
  return ts.isIdentifier(o) && o.text === handler.ctxName ? bin.right : undefined;
}

// ---- walking up to the handler --------------------------------------------------------------

const scopeHandlerCache = new WeakMap<ts.Node, { fn: FunctionLike; info: RequestHandlerInfo } | null>();

/** The nearest enclosing function that is a request handler, with the function itself (cached per function). */
export function enclosingHandler(node: ts.Node, facts: FileFacts, project?: ProjectFacts): { fn: FunctionLike; info: RequestHandlerInfo } | undefined {
  let p = node.parent;
  while (p && !isFunctionLike(p)) p = p.parent;
  if (!p) return undefined;
  const cached = scopeHandlerCache.get(p);
  if (cached !== undefined) return cached ?? undefined;
  const info = handlerOf(p, facts, project);
  const result = info ? { fn: p, info } : enclosingHandler(p, facts, project);
  scopeHandlerCache.set(p, result ?? null);
  return result;
}
