/**
 * What a failure test is about, read from the code at the cursor: the dependency that will be
 * made to fail (an HTTP endpoint, or a client method), the deadline the code gives it, how the
 * test reaches the code (an exported function, or a route of an exported app/router/controller)
 * and the degraded behaviour the code promises when the dependency fails. Pure: bounded look-ups
 * from the node at the cursor, like the rules.
 */
import ts = require('typescript');
import { skipOuter, type FileFacts } from '../facts';
import { externalCall, type ExternalCall } from '../calls';
import { enclosingFunction, findProperty, functionName, isFunctionLike, type FunctionLike } from '../ast';
import { enclosingHandler, nestRouteOf, routeOf, type Framework } from '../frameworks';
import { moduleInfo, type ModuleKind } from '../modules';
import type { ProjectFacts } from '../project';
import type { Finding } from '../types';
import { FRAMEWORK, GLOBAL_MODULE, IO, KNOWLEDGE, LIB, isModuleOf, moduleOf } from '../../knowledge';

export interface HttpDependency {
  kind: typeof IO.http;
  /** The HTTP client module (knowledge/ HTTP_CLIENTS; GLOBAL_MODULE for fetch). */
  module: string;
  /** `https://rates.example.com` when the code shows it (a literal, or a constant's literal default). */
  origin?: string;
  /** The literal beginning of the request path, e.g. `/charges/`. */
  path?: string;
  /** True when `path` is the whole path (no substitution after it; a query string may follow). */
  exactPath: boolean;
  /** The URL has a query string. */
  query: boolean;
  /** Upper-case method when known. */
  method?: string;
}

export interface ClientDependency {
  kind: 'client';
  /** The driver module, e.g. 'pg', 'ioredis', 'stripe'. */
  module: string;
  moduleKind: ModuleKind;
  /** The method that fails: the last member of the call, e.g. 'query'. */
  method: string;
  /** Members between the client and the method (`prisma.user.findMany` → ['user']). */
  between: string[];
  /** How the test gets hold of the client. */
  source:
    | { kind: 'import'; name: string; from: string; imported: string }
    | { kind: 'parameter'; index: number; name: string }
    | { kind: 'member'; name: string; type?: string }
    | { kind: 'library'; module: string };
  /** False when the client is created in this file without any deadline option. */
  deadlineConfigured?: boolean;
}

export type Dependency = HttpDependency | ClientDependency;

export interface FunctionInvoke {
  kind: 'function';
  name: string;
  exportKind: 'named' | 'default';
  /** One placeholder argument per parameter (the injected fake where the client is a parameter). */
  args: string[];
}

export interface RouteInvoke {
  kind: 'route';
  framework: Framework;
  method: string;
  /** Concrete path to request (`:id` → `1`). */
  url: string;
  /** The route as registered, for test names. */
  path: string;
  /** The exported app/router/plugin/controller the test imports. */
  exportName: string;
  exportKind: 'named' | 'default';
  role: 'app' | 'router' | 'plugin' | 'controller';
  /** NestJS: the controller's constructor parameters (name, type) for the testing module. */
  providers?: { name: string; type: string; from?: string }[];
  /** Middleware the handler relies on (`req.log` → pino-http). */
  needs: string[];
}

export type Invoke = FunctionInvoke | RouteInvoke;

/** What the code promises when the dependency fails. */
export type Expectation =
  | { kind: 'value'; text: string }
  | { kind: 'resolves' }
  | { kind: 'rejects' }
  | { kind: 'status'; statuses: number[] };

/** A missing deadline or fallback, with the finding that reports it when there is one. */
export interface Gap {
  ruleId?: string;
  /** 1-based line of the finding (or of the call when there is none). */
  line: number;
}

export interface FailureTarget {
  /** The callee as shown in the action title: `fetch`, `payments.post`, `pool.query`. */
  callee: string;
  call: ts.CallExpression;
  dependency: Dependency;
  /** The deadline the code gives the call, when a literal says it. */
  deadlineMs?: number;
  invoke: Invoke;
  expect: Expectation;
  gaps: { timeout?: Gap; fallback?: Gap };
  /** The project logger the code's catch logs the failure with (`logger.warn(…)`), when it is imported from a project module. */
  logs?: { name: string; imported: string; from: string; method: string };
  /** The source file imports relative modules with this extension ('' for none, '.js' under NodeNext). */
  importExtension: string;
  esm: boolean;
}

export interface TargetInput {
  sourceFile: ts.SourceFile;
  facts: FileFacts;
  project: ProjectFacts;
  /** Selection or cursor (offsets). */
  start: number;
  end: number;
  findings?: readonly Finding[];
  extraModules?: readonly string[];
  /** package.json says `"type": "module"`. */
  esmPackage?: boolean;
}

/** The failure-test target at the cursor: an external call, or a route registration (its first external call). */
export function findTarget(input: TargetInput): FailureTarget | undefined {
  const { sourceFile: sf, facts, project } = input;
  let node = tokenAt(sf, input.start);
  for (; node && !ts.isSourceFile(node); node = node.parent) {
    if (isFunctionLike(node)) {
      // inside a function body: only an external call around the cursor counts, or the handler's own head
      const host = node.parent;
      if (!(host && ts.isCallExpression(host) && routeOf(host, facts, project) && input.start < bodyStart(node, sf))) return undefined;
      continue;
    }
    if (!ts.isCallExpression(node)) continue;
    const ext = externalCall(node, facts, project, input.extraModules) ?? parameterClientCall(node, facts, input.extraModules);
    if (ext && ext.call === node) return targetOf(ext, input);
    const route = routeOf(node, facts, project);
    if (route && route.method !== 'USE' && route.method !== 'REGISTER') {
      const last = route.handlers[route.handlers.length - 1];
      const fn = last && skipOuter(last);
      if (fn && isFunctionLike(fn)) {
        const first = firstExternalCall(fn, input);
        return first ? targetOf(first, input) : undefined;
      }
      return undefined;
    }
  }
  return undefined;
}

/**
 * `conn.query(…)` where `conn` is a parameter typed with a client class of a known module
 * (`conn: Pool` from mysql2/promise or pg, `redis: Redis` from ioredis): the client is injected,
 * so the test passes a fake.
 */
function parameterClientCall(call: ts.CallExpression, facts: FileFacts, extraModules?: readonly string[]): ExternalCall | undefined {
  const callee = skipOuter(call.expression);
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  const path: string[] = [];
  let recv: ts.Expression = callee;
  while (ts.isPropertyAccessExpression(recv)) { path.unshift(recv.name.text); recv = skipOuter(recv.expression); }
  if (!ts.isIdentifier(recv)) return undefined;
  const fn = enclosingFunction(call);
  const param = fn?.parameters.find((p) => ts.isIdentifier(p.name) && p.name.text === (recv as ts.Identifier).text);
  const type = param?.type;
  if (!type || !ts.isTypeReferenceNode(type)) return undefined;
  const tn = type.typeName;
  const first = ts.isIdentifier(tn) ? tn.text : ts.isIdentifier(tn.left) ? tn.left.text : undefined;
  const binding = first ? facts.bindings.get(first) : undefined;
  const info = binding && moduleInfo(binding.module, extraModules);
  if (!binding || !info || info.kind === IO.http) return undefined;
  if (info.local?.includes(path[path.length - 1])) return undefined;
  return { call, module: binding.module, kind: info.kind, path, label: callee.getText().replace(/\s+/g, ''), inferred: false, instance: true };
}

function bodyStart(fn: FunctionLike, sf: ts.SourceFile): number {
  return fn.body ? fn.body.getStart(sf) : fn.end;
}

function tokenAt(sf: ts.SourceFile, pos: number): ts.Node | undefined {
  let node: ts.Node = sf;
  for (;;) {
    let next: ts.Node | undefined;
    ts.forEachChild(node, (c) => {
      if (!next && c.getStart(sf) <= pos && pos < c.end) next = c;
    });
    if (!next) return node === sf ? undefined : node;
    node = next;
  }
}

function firstExternalCall(fn: FunctionLike, input: TargetInput): ExternalCall | undefined {
  let found: ExternalCall | undefined;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(n)) {
      const ext = externalCall(n, input.facts, input.project, input.extraModules);
      if (ext && ext.call === n) { found = ext; return; }
    }
    if (isFunctionLike(n)) return;
    ts.forEachChild(n, visit);
  };
  if (fn.body) ts.forEachChild(fn.body, visit);
  return found;
}

function targetOf(ext: ExternalCall, input: TargetInput): FailureTarget | undefined {
  const { sourceFile: sf, facts } = input;
  const call = ext.call;
  const invoke = invokeOf(call, input, ext);
  if (!invoke) return undefined;
  const dependency = ext.kind === IO.http ? httpDependency(ext, facts) : clientDependency(ext, call, facts);
  if (!dependency) return undefined;
  const lineOf = (offset: number) => sf.getLineAndCharacterOfPosition(offset).line + 1;
  const deadline = ext.kind === IO.http ? httpDeadline(ext, facts) : { ms: undefined, missing: dependency.kind === 'client' && dependency.deadlineConfigured === false };
  const findingAt = (ids: string[], nodes: ts.Node[]) => input.findings?.find((f) => ids.includes(f.ruleId) &&
    nodes.some((n) => f.start <= n.getStart(sf) && n.getStart(sf) <= f.end || n.getStart(sf) <= f.start && f.start <= n.end));
  const gaps: FailureTarget['gaps'] = {};
  if (deadline.missing) {
    const nodes: ts.Node[] = [call];
    const inst = facts.resolveCall(call)?.instance;
    if (inst) nodes.push(inst.node);
    const f = findingAt(['missing-timeout', 'missing-client-timeout'], nodes);
    gaps.timeout = f ? { ruleId: f.ruleId, line: lineOf(f.start) } : { line: lineOf(call.getStart(sf)) };
  }
  const fallbackFinding = findingAt(['no-fallback'], [call]) ?? findingAt(['no-fallback'], [enclosingFunction(call) ?? call]);
  let expect = expectationOf(call, invoke);
  if (!handled(call) && fallbackFinding) {
    gaps.fallback = { ruleId: 'no-fallback', line: lineOf(fallbackFinding.start) };
    expect = invoke.kind === 'route' ? { kind: 'status', statuses: [500, 502, 503, 504] } : { kind: 'resolves' };
  }
  return {
    callee: ext.kind === IO.http && ext.module === GLOBAL_MODULE ? 'fetch' : ext.label,
    call,
    dependency,
    deadlineMs: deadline.ms,
    invoke,
    expect,
    gaps,
    logs: gaps.fallback ? undefined : loggedWith(call, facts),
    importExtension: importExtensionOf(sf, input.esmPackage === true),
    esm: facts.isModuleSyntax,
  };
}

const LOG_METHODS = new Set(['error', 'warn', 'fatal']);

/** `logger.warn({ err }, …)` in the catch that receives the call's failure, on a logger imported from a project module. */
function loggedWith(call: ts.CallExpression, facts: FileFacts): FailureTarget['logs'] {
  const c = catchOf(call);
  if (!c || !ts.isCatchClause(c)) return undefined;
  let found: FailureTarget['logs'];
  const visit = (n: ts.Node): void => {
    if (found || isFunctionLike(n)) return;
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && ts.isIdentifier(n.expression.expression) && LOG_METHODS.has(n.expression.name.text)) {
      const name = n.expression.expression.text;
      const b = facts.bindings.get(name);
      if (b && (b.module.startsWith('.') || b.module.startsWith('@/') || b.module.startsWith('~/')) && b.imported !== '*') {
        found = { name, imported: b.imported, from: b.module, method: n.expression.name.text };
        return;
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(c.block);
  return found;
}

// ---- how the test reaches the code -----------------------------------------------------------

function isExported(node: ts.Node): 'named' | 'default' | undefined {
  const mods = ts.canHaveModifiers(node) ? ts.getModifiers(node) : undefined;
  if (!mods?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) return undefined;
  return mods.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword) ? 'default' : 'named';
}

/** The exported top-level name a function or variable is bound to, and how it is exported. */
function exportOf(name: string, sf: ts.SourceFile): 'named' | 'default' | undefined {
  for (const st of sf.statements) {
    if ((ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st)) && st.name?.text === name && isExported(st)) return isExported(st);
    if (ts.isVariableStatement(st) && st.declarationList.declarations.some((d) => ts.isIdentifier(d.name) && d.name.text === name)) {
      const e = isExported(st);
      if (e) return e;
    }
    if (ts.isExportDeclaration(st) && !st.moduleSpecifier && st.exportClause && ts.isNamedExports(st.exportClause)) {
      const spec = st.exportClause.elements.find((el) => (el.propertyName ?? el.name).text === name);
      if (spec) return spec.name.text === 'default' ? 'default' : 'named';
    }
    if (ts.isExportAssignment(st) && !st.isExportEquals && ts.isIdentifier(st.expression) && st.expression.text === name) return 'default';
    const cjs = commonJsExport(st, name);
    if (cjs) return cjs;
  }
  return undefined;
}

/** `module.exports = { name }`, `module.exports.name = name`, `exports.name = name`, `module.exports = name`. */
function commonJsExport(st: ts.Statement, name: string): 'named' | 'default' | undefined {
  if (!ts.isExpressionStatement(st) || !ts.isBinaryExpression(st.expression) || st.expression.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return undefined;
  const { left, right } = st.expression;
  const target = left.getText();
  const value = skipOuter(right);
  if (target === 'module.exports') {
    if (ts.isIdentifier(value) && value.text === name) return 'default';
    if (ts.isObjectLiteralExpression(value) && value.properties.some((p) =>
      (ts.isShorthandPropertyAssignment(p) && p.name.text === name) ||
      (ts.isPropertyAssignment(p) && ts.isIdentifier(p.initializer) && p.initializer.text === name && p.name.getText() === name))) return 'named';
    return undefined;
  }
  if ((target === `module.exports.${name}` || target === `exports.${name}`) && ts.isIdentifier(value) && value.text === name) return 'named';
  return undefined;
}

function invokeOf(call: ts.CallExpression, input: TargetInput, ext: ExternalCall): Invoke | undefined {
  const { sourceFile: sf, facts, project } = input;
  const handler = enclosingHandler(call, facts, project);
  if (handler) {
    const info = handler.info;
    if (info.framework === FRAMEWORK.nestjs && ts.isMethodDeclaration(handler.fn)) {
      const nest = nestRouteOf(handler.fn, facts);
      const cls = nest?.controller;
      const className = cls && ts.isClassDeclaration(cls) ? cls.name?.text : undefined;
      const exp = className ? exportOf(className, sf) : undefined;
      if (!nest || !className || !exp) return undefined;
      const ctor = cls!.members.find(ts.isConstructorDeclaration);
      const providers = (ctor?.parameters ?? []).flatMap((p) => ts.isIdentifier(p.name) && p.type && ts.isTypeReferenceNode(p.type)
        ? [{ name: p.name.text, type: p.type.typeName.getText(sf), from: facts.bindings.get(p.type.typeName.getText(sf))?.module }] : []);
      const path = `/${nest.path}`.replace(/\/+/g, '/').replace(/(.)\/$/, '$1');
      return { kind: 'route', framework: FRAMEWORK.nestjs, method: nest.method, path, url: concreteUrl(path), exportName: className, exportKind: exp, role: 'controller', providers, needs: [] };
    }
    const route = info.route;
    if (!route || route.path === undefined || info.kind !== 'route') return undefined;
    if (!([FRAMEWORK.express, FRAMEWORK.koa, FRAMEWORK.fastify] as Framework[]).includes(route.framework)) return undefined;
    const app = route.app;
    const needs = handlerNeeds(handler.fn, info.reqName, project);
    if (app.source === 'created' && /^[A-Za-z_$][\w$]*$/.test(app.name)) {
      const exp = exportOf(app.name, sf);
      if (!exp) return undefined;
      const path = `${app.prefix ?? ''}${route.path}`;
      return { kind: 'route', framework: route.framework, method: route.method, path, url: concreteUrl(path), exportName: app.name, exportKind: exp, role: app.role, needs };
    }
    if (app.source === 'parameter' && route.framework === FRAMEWORK.fastify) {
      // a plugin: `export default async function routes(fastify) { fastify.get(…) }`
      const plugin = enclosingFunction(route.call);
      const name = plugin && functionName(plugin);
      const exp = name ? exportOf(name, sf) : plugin && isExported(plugin);
      if (!plugin || !exp) return undefined;
      return { kind: 'route', framework: FRAMEWORK.fastify, method: route.method, path: route.path, url: concreteUrl(route.path), exportName: name ?? 'plugin', exportKind: exp, role: 'plugin', needs };
    }
    return undefined;
  }
  const fn = enclosingFunction(call);
  if (!fn || !fn.body) return undefined;
  const name = functionName(fn);
  const declNode = ts.isFunctionDeclaration(fn) ? fn : fn.parent && ts.isVariableDeclaration(fn.parent) ? fn.parent : undefined;
  if (!name || !declNode || (declNode.parent !== sf && declNode.parent?.parent?.parent !== sf)) return undefined;
  const exp = exportOf(name, sf);
  if (!exp) return undefined;
  const clientParam = ext.kind !== IO.http ? parameterIndex(fn, ext.call) : -1;
  const args = fn.parameters.map((p, i) => (i === clientParam ? 'fake' : placeholder(p, sf)));
  while (args.length > 0 && args[args.length - 1] === 'undefined') args.pop();
  return { kind: 'function', name, exportKind: exp, args };
}

function handlerNeeds(fn: FunctionLike, reqName: string | undefined, project: ProjectFacts): string[] {
  const pinoHttp = moduleOf(LIB.pinoHttp);
  if (!reqName || !project.dependencies.has(pinoHttp)) return [];
  let uses = false;
  const visit = (n: ts.Node): void => {
    if (uses) return;
    if (ts.isPropertyAccessExpression(n) && n.name.text === 'log' && ts.isIdentifier(n.expression) && n.expression.text === reqName) { uses = true; return; }
    ts.forEachChild(n, visit);
  };
  visit(fn);
  return uses ? [pinoHttp] : [];
}

function concreteUrl(path: string): string {
  return path.replace(/:(\w+)(\([^)]*\))?\??/g, '1').replace(/\*/g, 'x') || '/';
}

function placeholder(p: ts.ParameterDeclaration, sf: ts.SourceFile): string {
  if (p.initializer || p.questionToken || p.dotDotDotToken) return 'undefined';
  const t = p.type;
  if (!t) return 'undefined';
  switch (t.kind) {
    case ts.SyntaxKind.StringKeyword: return `'${ts.isIdentifier(p.name) ? p.name.text : 'value'}-1'`;
    case ts.SyntaxKind.NumberKeyword: return '1';
    case ts.SyntaxKind.BooleanKeyword: return 'false';
    case ts.SyntaxKind.ArrayType: return '[]';
    case ts.SyntaxKind.TypeLiteral: return '{}';
    default:
      if (ts.isTypeReferenceNode(t) && /^(Array|ReadonlyArray)$/.test(t.typeName.getText(sf))) return '[]';
      if (ts.isTypeReferenceNode(t) && /^(Record|Partial)$/.test(t.typeName.getText(sf))) return '{}';
      return 'undefined';
  }
}

/** The index of the function parameter the call's client comes from (`async function f(pool) { pool.query() }`). */
function parameterIndex(fn: FunctionLike, call: ts.CallExpression): number {
  let recv: ts.Expression = skipOuter(call.expression);
  while (ts.isPropertyAccessExpression(recv)) recv = skipOuter(recv.expression);
  if (!ts.isIdentifier(recv)) return -1;
  const name = recv.text;
  return fn.parameters.findIndex((p) => ts.isIdentifier(p.name) && p.name.text === name);
}

// ---- the dependency ---------------------------------------------------------------------------

/** A literal string, or a top-level constant's literal (`process.env.X ?? 'https://…'` → its default). */
function literalOf(e: ts.Expression | undefined, sf: ts.SourceFile, depth = 0): string | undefined {
  if (!e || depth > 3) return undefined;
  const x = skipOuter(e);
  if (ts.isStringLiteralLike(x)) return x.text;
  if (ts.isBinaryExpression(x) && (x.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || x.operatorToken.kind === ts.SyntaxKind.BarBarToken)) {
    return literalOf(x.right, sf, depth + 1);
  }
  if (ts.isIdentifier(x)) {
    for (const st of sf.statements) {
      if (!ts.isVariableStatement(st) || !(st.declarationList.flags & ts.NodeFlags.Const)) continue;
      for (const d of st.declarationList.declarations) {
        if (ts.isIdentifier(d.name) && d.name.text === x.text) return literalOf(d.initializer, sf, depth + 1);
      }
    }
  }
  return undefined;
}

/** A URL expression's literal parts: `${BASE}/latest` → { base: 'https://…', rest: '/latest', exact }. */
function urlParts(e: ts.Expression | undefined, sf: ts.SourceFile): { base?: string; rest: string; exact: boolean } | undefined {
  if (!e) return undefined;
  const x = skipOuter(e);
  const whole = literalOf(x, sf);
  if (whole !== undefined) return { rest: whole, exact: true };
  if (ts.isBinaryExpression(x) && x.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const left = urlParts(x.left, sf);
    return left ? { ...left, exact: false } : undefined;
  }
  if (ts.isTemplateExpression(x)) {
    if (x.head.text === '' && x.templateSpans.length > 0) {
      const base = literalOf(x.templateSpans[0].expression, sf);
      const first = x.templateSpans[0].literal.text;
      return { base, rest: first, exact: x.templateSpans.length === 1 };
    }
    return { rest: x.head.text, exact: false };
  }
  return undefined;
}

function splitUrl(url: string): { origin?: string; path: string } {
  const m = /^(https?:\/\/[^/?#]+)(.*)$/.exec(url);
  return m ? { origin: m[1], path: m[2] } : { path: url };
}

const AXIOS_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options']);

function httpDependency(ext: ExternalCall, facts: FileFacts): HttpDependency {
  const sf = facts.sourceFile;
  const args = ext.call.arguments;
  const method = ext.path[ext.path.length - 1];
  let origin: string | undefined;
  let path: string | undefined;
  let exact = false;
  let verb: string | undefined;
  const fromUrl = (e: ts.Expression | undefined, base?: string) => {
    const parts = urlParts(e, sf);
    if (!parts) return;
    const joined = (parts.base ?? '') + parts.rest;
    const split = splitUrl(joined);
    origin = split.origin ?? (base ? splitUrl(base).origin : undefined);
    const basePath = base ? splitUrl(base).path.replace(/\/$/, '') : '';
    path = split.origin ? split.path : `${basePath}${split.path}`;
    exact = parts.exact && (split.origin !== undefined || parts.base === undefined);
  };
  // clients with a base URL option: axios baseURL, got/ky prefixUrl
  const baseUrlOption = KNOWLEDGE.exactLibraryOf(ext.module)?.http?.baseUrlOption;
  if (baseUrlOption) {
    const optionsOf = facts.resolveCall(ext.call)?.instance?.options;
    const baseURL = optionsOf ? propValue(optionsOf, baseUrlOption) : undefined;
    const base = literalOf(baseURL, sf);
    if (ext.path.length === 1 && AXIOS_METHODS.has(method)) {
      fromUrl(args[0], base);
      verb = method.toUpperCase();
    } else if (ext.path.length === 0) fromUrl(args[0], base);
    if (base && origin === undefined) origin = splitUrl(base).origin;
  } else {
    fromUrl(args[0]);
    const opts = args[1] && skipOuter(args[1]);
    const m = opts && ts.isObjectLiteralExpression(opts) ? literalOf(propValue(opts, 'method'), sf) : undefined;
    verb = m ? m.toUpperCase() : opts && ts.isObjectLiteralExpression(opts) && !opts.properties.some(ts.isSpreadAssignment) ? 'GET' : !opts ? 'GET' : undefined;
  }
  let query = false;
  if (path !== undefined) {
    const q = path.search(/[?#]/);
    // what follows `?` may be computed: the path before it is complete
    if (q !== -1) { path = path.slice(0, q); exact = true; query = true; }
  }
  return { kind: IO.http, module: ext.module, origin, path: path || undefined, exactPath: exact && !!path, query, method: verb };
}

function propValue(obj: ts.ObjectLiteralExpression, name: string): ts.Expression | undefined {
  const p = findProperty(obj, name);
  return p && ts.isPropertyAssignment(p) ? p.initializer : undefined;
}

function numberOf(e: ts.Expression | undefined, sf: ts.SourceFile): number | undefined {
  if (!e) return undefined;
  const x = skipOuter(e);
  if (ts.isNumericLiteral(x)) return Number(x.text.replace(/_/g, ''));
  if (ts.isIdentifier(x)) {
    for (const st of sf.statements) {
      if (!ts.isVariableStatement(st)) continue;
      for (const d of st.declarationList.declarations) {
        if (ts.isIdentifier(d.name) && d.name.text === x.text && d.initializer && ts.isNumericLiteral(skipOuter(d.initializer))) {
          return Number((skipOuter(d.initializer) as ts.NumericLiteral).text.replace(/_/g, ''));
        }
      }
    }
  }
  return undefined;
}

/** `AbortSignal.timeout(N)` anywhere in an expression (also inside `AbortSignal.any([…])`). */
function abortTimeout(e: ts.Expression, sf: ts.SourceFile): number | 'opaque' | undefined {
  let found: number | 'opaque' | undefined;
  const visit = (n: ts.Node): void => {
    if (found !== undefined) return;
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && n.expression.name.text === 'timeout' &&
      ts.isIdentifier(n.expression.expression) && n.expression.expression.text === 'AbortSignal') {
      found = numberOf(n.arguments[0], sf) ?? 'opaque';
      return;
    }
    ts.forEachChild(n, visit);
  };
  visit(e);
  return found;
}

/** The call's deadline: a number when a literal says it, `missing` when the visible options have none. */
function httpDeadline(ext: ExternalCall, facts: FileFacts): { ms?: number; missing: boolean } {
  const sf = facts.sourceFile;
  const objects: ts.ObjectLiteralExpression[] = [];
  let opaque = false;
  for (const a of ext.call.arguments) {
    const x = skipOuter(a);
    if (ts.isObjectLiteralExpression(x)) objects.push(x);
    else if (!ts.isStringLiteralLike(x) && !ts.isTemplateExpression(x) && ext.call.arguments.indexOf(a) > 0 && !(isModuleOf(LIB.axios, ext.module) && ts.isIdentifier(x))) opaque = true;
  }
  const instance = facts.resolveCall(ext.call)?.instance;
  if (instance) {
    if (instance.options) objects.push(instance.options);
    else if (instance.optionsOpaque) opaque = true;
  }
  for (const o of objects) {
    if (o.properties.some(ts.isSpreadAssignment)) opaque = true;
    const timeout = propValue(o, 'timeout');
    if (timeout) {
      const t = skipOuter(timeout);
      if (ts.isObjectLiteralExpression(t)) {
        const ms = numberOf(propValue(t, 'request') ?? propValue(t, 'response'), sf);
        return { ms, missing: false };
      }
      if (t.kind === ts.SyntaxKind.FalseKeyword || (ts.isNumericLiteral(t) && Number(t.text) === 0)) return { missing: !opaque };
      return { ms: numberOf(t, sf), missing: false };
    }
    const signal = propValue(o, 'signal');
    if (signal) {
      const ms = abortTimeout(signal, sf);
      if (ms !== undefined) return { ms: ms === 'opaque' ? undefined : ms, missing: false };
      opaque = true;
    }
    if (findProperty(o, 'signal') || findProperty(o, 'timeout')) opaque = true; // shorthand `{ signal }`
  }
  // a client with a default deadline (ky: 10 s)
  const defaultMs = KNOWLEDGE.httpDefaultDeadline(ext.module);
  if (defaultMs !== undefined) return { ms: defaultMs, missing: false };
  return { missing: !opaque };
}

const DEADLINE_KEYS = /timeout|Timeout|deadline|statement_timeout|socketTimeoutMS|serverSelectionTimeoutMS/;

function clientDependency(ext: ExternalCall, call: ts.CallExpression, facts: FileFacts): ClientDependency | undefined {
  const sf = facts.sourceFile;
  const callee = skipOuter(call.expression);
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  const members: string[] = [];
  let recv: ts.Expression = callee;
  while (ts.isPropertyAccessExpression(recv)) {
    members.unshift(recv.name.text);
    recv = skipOuter(recv.expression);
  }
  const method = members.pop()!;
  let source: ClientDependency['source'] | undefined;
  let deadlineConfigured: boolean | undefined;
  if (ts.isIdentifier(recv)) {
    const name = recv.text;
    const fn = enclosingFunction(call);
    const index = fn ? fn.parameters.findIndex((p) => ts.isIdentifier(p.name) && p.name.text === name) : -1;
    const binding = facts.bindings.get(name);
    if (index !== -1) source = { kind: 'parameter', index, name };
    else if (binding && (binding.module.startsWith('.') || binding.module.startsWith('@/') || binding.module.startsWith('~/'))) {
      source = { kind: 'import', name, from: binding.module, imported: binding.imported };
    } else if (facts.resolveCall(call)?.instance && facts.instances.get(name) === facts.resolveCall(call)?.instance) {
      source = { kind: 'library', module: ext.module };
      const opts = facts.instances.get(name)!.options;
      if (opts && !opts.properties.some(ts.isSpreadAssignment)) {
        deadlineConfigured = opts.properties.some((p) => p.name !== undefined && DEADLINE_KEYS.test(p.name.getText(sf)));
      }
    } else if (binding) source = { kind: 'library', module: ext.module };
  } else if (recv.kind === ts.SyntaxKind.ThisKeyword && members.length > 0) {
    const member = members.shift()!;
    source = { kind: 'member', name: member };
  }
  if (!source) return undefined;
  return { kind: 'client', module: ext.module, moduleKind: ext.kind, method, between: members, source, deadlineConfigured };
}

// ---- what the code promises -------------------------------------------------------------------

/** Is the call's failure handled right where it is made (`.catch(…)` on it, or a try block in its function)? */
function handled(call: ts.CallExpression): boolean {
  return catchOf(call) !== undefined;
}

/** The catch clause (or `.catch` handler) that receives the call's rejection within its own function. */
function catchOf(call: ts.CallExpression): ts.CatchClause | ts.Expression | undefined {
  let n: ts.Node = call;
  while (n.parent) {
    const p = n.parent;
    if (isFunctionLike(p)) return undefined;
    if (ts.isPropertyAccessExpression(p) && p.expression === n && p.name.text === 'catch' && p.parent && ts.isCallExpression(p.parent)) {
      return p.parent.arguments[0];
    }
    if (ts.isTryStatement(p) && p.tryBlock === n && p.catchClause) return p.catchClause;
    n = p;
  }
  return undefined;
}

const LITERAL_KINDS = new Set([ts.SyntaxKind.NumericLiteral, ts.SyntaxKind.StringLiteral, ts.SyntaxKind.NoSubstitutionTemplateLiteral,
  ts.SyntaxKind.TrueKeyword, ts.SyntaxKind.FalseKeyword, ts.SyntaxKind.NullKeyword]);

function literalValue(e: ts.Expression | undefined): string | undefined {
  if (!e) return 'undefined';
  const x = skipOuter(e);
  if (LITERAL_KINDS.has(x.kind)) return x.getText();
  if (ts.isIdentifier(x) && x.text === 'undefined') return 'undefined';
  if (ts.isArrayLiteralExpression(x) && x.elements.length === 0) return '[]';
  if (ts.isObjectLiteralExpression(x) && x.properties.length === 0) return '{}';
  if (ts.isPrefixUnaryExpression(x) && x.operator === ts.SyntaxKind.MinusToken && ts.isNumericLiteral(x.operand)) return x.getText();
  return undefined;
}

function expectationOf(call: ts.CallExpression, invoke: Invoke): Expectation {
  const c = catchOf(call);
  if (invoke.kind === 'route') {
    if (c && ts.isCatchClause(c)) {
      const status = answeredStatus(c.block);
      if (status !== undefined) return { kind: 'status', statuses: [status] };
    }
    // next(err), a framework that answers rejections itself, or a catch answering something computed
    return { kind: 'status', statuses: [500, 502, 503, 504] };
  }
  if (!c) return { kind: 'rejects' };
  if (!ts.isCatchClause(c)) {
    const fn = skipOuter(c);
    if (isFunctionLike(fn) && fn.body && !ts.isBlock(fn.body)) {
      const v = literalValue(fn.body as ts.Expression);
      return v !== undefined && v !== 'undefined' && sameFunctionReturns(call) ? { kind: 'value', text: v } : { kind: 'resolves' };
    }
    return { kind: 'resolves' };
  }
  const block = c.block;
  let throws = false;
  const returns: ts.ReturnStatement[] = [];
  const visit = (n: ts.Node): void => {
    if (isFunctionLike(n)) return;
    if (ts.isThrowStatement(n)) throws = true;
    if (ts.isReturnStatement(n)) returns.push(n);
    ts.forEachChild(n, visit);
  };
  visit(block);
  const last = block.statements[block.statements.length - 1];
  if (throws && returns.length === 0) return { kind: 'rejects' };
  if (returns.length === 1 && last === returns[0]) {
    const v = literalValue(returns[0].expression);
    if (v !== undefined) return { kind: 'value', text: v };
  }
  return throws ? { kind: 'rejects' } : { kind: 'resolves' };
}

/** `return await x.catch(() => v)` / `const r = await x.catch(…)` : only a direct return makes v the function's value. */
function sameFunctionReturns(call: ts.CallExpression): boolean {
  let n: ts.Node = call;
  while (n.parent && !ts.isReturnStatement(n.parent) && !isFunctionLike(n.parent)) {
    if (ts.isStatement(n.parent)) return false;
    n = n.parent;
  }
  return !!n.parent && (ts.isReturnStatement(n.parent) || ts.isArrowFunction(n.parent));
}

/** A literal status a catch block answers with: `res.status(503)`, `reply.code(502)`, `ctx.status = 503`. */
function answeredStatus(block: ts.Block): number | undefined {
  let status: number | undefined;
  const visit = (n: ts.Node): void => {
    if (status !== undefined || isFunctionLike(n)) return;
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && /^(status|code|sendStatus|writeHead)$/.test(n.expression.name.text)) {
      const a = n.arguments[0] && skipOuter(n.arguments[0]);
      if (a && ts.isNumericLiteral(a)) status = Number(a.text);
    }
    if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(n.left) &&
      n.left.name.text === 'status' && ts.isNumericLiteral(skipOuter(n.right))) status = Number((skipOuter(n.right) as ts.NumericLiteral).text);
    ts.forEachChild(n, visit);
  };
  visit(block);
  return status;
}

// ---- how the file imports -----------------------------------------------------------------------

/** A file with no relative import of its own: TypeScript in a `"type": "module"` package imports with `.js`. */
function importExtensionOf(sf: ts.SourceFile, esmPackage: boolean): string {
  for (const st of sf.statements) {
    if (ts.isImportDeclaration(st) && ts.isStringLiteral(st.moduleSpecifier)) {
      const spec = st.moduleSpecifier.text;
      if (!spec.startsWith('.')) continue;
      const m = /\.[cm]?js$/.exec(spec);
      return m ? m[0] : '';
    }
  }
  return /\.mts$/.test(sf.fileName) ? '.mjs' : esmPackage && /\.ts$/.test(sf.fileName) ? '.js' : '';
}
