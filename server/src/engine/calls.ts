/**
 * What a call does, as far as the file shows: is it an external I/O call (a request, query or
 * command to another system), does it only read, and does it return a promise. Shared by the
 * rules about awaits and promises (sequential-awaits, await-in-loop, floating-promise).
 *
 * Recognition is exact where the file binds the client (imports, `new Pool()`, `axios.create()`,
 * class members typed with a client type) and inferred in one narrow case: a Prisma-shaped call
 * `<…prisma…>.<model>.<findMany|…>` in a project that depends on @prisma/client (Prisma clients
 * are usually created in another file and injected or imported from it).
 */
import ts = require('typescript');
import { hasModifier, skipOuter, type FileFacts, type Resolved } from './facts';
import { isFunctionLike, type FunctionLike } from './ast';
import { moduleInfo, type ModuleKind } from './modules';
import type { ProjectFacts } from './project';
import { hasDependency } from './project';
import { dependencyView } from './dependencies';
import {
  GLOBAL_MODULE, HTTP_READ_METHODS, IO, KNOWLEDGE, LIB, NON_PROMISE_METHODS, PRISMA_RECEIVER, SHARED_CACHE_CLIENT, SHARED_SQL_CLIENT,
  atVersion, ioOf, lib, moduleOf,
} from '../knowledge';

export interface ExternalCall {
  /** The call that does the I/O (the base of a `.lean()`/`.json()` chain). */
  call: ts.CallExpression;
  module: string;
  kind: ModuleKind;
  /** Member path below the module or client, e.g. ['user', 'findMany']. */
  path: string[];
  /** The callee as written, whitespace collapsed, e.g. `this.prisma.user.findMany`. */
  label: string;
  /** True when recognised by shape (Prisma) rather than by a binding in this file. */
  inferred: boolean;
  instance: boolean;
}

/** Methods chained on a query or response that keep it the same external call. */
const CHAIN_MODIFIERS = KNOWLEDGE.chainModifiers();

const PRISMA = lib(LIB.prisma);
const PRISMA_METHODS = new Set([...PRISMA.db!.modelMethods!.distinct, ...PRISMA.db!.modelMethods!.generic]);

export function calleeLabel(e: ts.Expression, sf: ts.SourceFile): string {
  const t = e.getText(sf).replace(/\s+/g, '');
  return t.length > 60 ? `${t.slice(0, 57)}...` : t;
}

/** Unwraps `(await) x.lean()` style chains to the call that does the I/O, when they are modifiers. */
function baseOfChain(call: ts.CallExpression): ts.CallExpression[] {
  const out: ts.CallExpression[] = [call];
  let c = call;
  for (let i = 0; i < 8; i++) {
    const callee = c.expression;
    if (!ts.isPropertyAccessExpression(callee) || !CHAIN_MODIFIERS.has(callee.name.text)) break;
    const inner = skipOuter(callee.expression);
    if (!ts.isCallExpression(inner)) break;
    out.push(inner);
    c = inner;
  }
  return out;
}

/**
 * The external call `expr` makes, if it is one: `axios.get(u)`, `redis.get(k)`, `pool.query(q)`,
 * `fetch(u)`, `User.findOne(q).lean()`, `this.prisma.user.findMany()` (inferred). Factories,
 * event wiring and local helpers of known modules are not external calls.
 */
const externalCache = new WeakMap<FileFacts, Map<ts.Node, ExternalCall | null>>();

export function externalCall(expr: ts.Expression, facts: FileFacts, project: ProjectFacts, extraModules: readonly string[] = []): ExternalCall | undefined {
  // asked by several rules for the same node in one analysis: compute once per file
  let cache = externalCache.get(facts);
  if (!cache) externalCache.set(facts, (cache = new Map()));
  const hit = cache.get(expr);
  if (hit !== undefined) return hit ?? undefined;
  const r = externalCallUncached(expr, facts, project, extraModules);
  cache.set(expr, r ?? null);
  return r;
}

function externalCallUncached(expr: ts.Expression, facts: FileFacts, project: ProjectFacts, extraModules: readonly string[]): ExternalCall | undefined {
  const e = skipOuter(expr);
  if (!ts.isCallExpression(e)) return undefined;
  for (const call of baseOfChain(e)) {
    const hit = classifyCall(call, facts, project, extraModules);
    if (hit) return hit;
  }
  return undefined;
}

function classifyCall(call: ts.CallExpression, facts: FileFacts, project: ProjectFacts, extraModules: readonly string[]): ExternalCall | undefined {
  const sf = facts.sourceFile;
  const r = facts.resolveCall(call);
  const known = r ? fromResolved(call, r, sf, extraModules) : undefined;
  if (known) return known;
  if (r && !(r.module.startsWith('.') || r.module.startsWith('@/') || r.module.startsWith('~/'))) return undefined;
  return inferPrisma(call, project, sf) ?? inferSharedClient(call, facts, project, sf);
}

const SQL_METHODS = new Set(SHARED_SQL_CLIENT.methods);
const CACHE_METHODS = new Set(SHARED_CACHE_CLIENT.methods);

/**
 * `pool.query()` / `redis.get()` on a client shared from another project module
 * (`import { pool } from './db'`): recognised by the receiver's conventional name, the method,
 * and the driver in package.json. The project index would know for sure; the name and the
 * dependency together are precise enough in practice.
 */
function inferSharedClient(call: ts.CallExpression, facts: FileFacts, project: ProjectFacts, sf: ts.SourceFile): ExternalCall | undefined {
  const callee = call.expression;
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  const recv = skipOuter(callee.expression);
  let name: string | undefined;
  if (ts.isIdentifier(recv)) {
    const b = facts.bindings.get(recv.text);
    if (!b || !(b.module.startsWith('.') || b.module.startsWith('@/') || b.module.startsWith('~/'))) return undefined;
    name = recv.text;
  } else return undefined;
  const method = callee.name.text;
  const sqlDriver = SHARED_SQL_CLIENT.drivers.find((l) => hasDependency(project, l));
  if (SHARED_SQL_CLIENT.receiver.test(name) && SQL_METHODS.has(method) && sqlDriver) {
    return { call, module: sqlDriver, kind: IO.db, path: [method], label: calleeLabel(callee, sf), inferred: true, instance: true };
  }
  const cacheDriver = SHARED_CACHE_CLIENT.drivers.find((l) => hasDependency(project, l));
  if (SHARED_CACHE_CLIENT.receiver.test(name) && CACHE_METHODS.has(method) && cacheDriver) {
    return { call, module: cacheDriver, kind: IO.cache, path: [method], label: calleeLabel(callee, sf), inferred: true, instance: true };
  }
  return undefined;
}

function fromResolved(call: ts.CallExpression, r: Resolved, sf: ts.SourceFile, extraModules: readonly string[]): ExternalCall | undefined {
  const label = calleeLabel(call.expression, sf);
  const base = { call, module: r.module, path: r.path, label, inferred: false, instance: !!r.instance };
  if (r.module === GLOBAL_MODULE) return KNOWLEDGE.httpCallOf(GLOBAL_MODULE, r.path, false) ? { ...base, kind: IO.http } : undefined;
  const info = moduleInfo(r.module, extraModules);
  if (!info) return undefined;
  const local = info.local ?? [];
  if (r.path.some((p) => local.includes(p))) return undefined;
  const key = r.path.join('.');
  if (r.instance) {
    if (info.factories.includes(key)) return undefined; // got.extend() on an instance
    if (r.path.length === 0 && info.kind !== IO.http) return undefined;
    return { ...base, kind: info.kind };
  }
  // module-level call
  if (r.path.length === 0 ? info.factories.includes('default') : info.factories.includes(key)) return undefined;
  const extra = extraModules.includes(r.module);
  if (info.kind === IO.http || extra || info.moduleLevel) {
    if (r.path.length === 0 && info.kind !== IO.http && !extra) return undefined;
    return { ...base, kind: info.kind };
  }
  return undefined;
}

/** `<receiver>.<model>.<method>()` with a receiver named like a Prisma client, in a Prisma project. */
function inferPrisma(call: ts.CallExpression, project: ProjectFacts, sf: ts.SourceFile): ExternalCall | undefined {
  const callee = call.expression;
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  const method = callee.name.text;
  if (!PRISMA_METHODS.has(method)) return undefined;
  const model = callee.expression;
  if (!ts.isPropertyAccessExpression(model) || model.name.text.startsWith('$')) return undefined;
  const recv = model.expression;
  const recvName = ts.isIdentifier(recv) ? recv.text
    : ts.isPropertyAccessExpression(recv) && recv.expression.kind === ts.SyntaxKind.ThisKeyword ? recv.name.text : undefined;
  if (!recvName || !PRISMA_RECEIVER.test(recvName)) return undefined;
  if (!hasDependency(project, moduleOf(LIB.prisma)) && !hasDependency(project, moduleOf(LIB.prismaCli))) return undefined;
  return { call, module: moduleOf(LIB.prisma), kind: IO.db, path: [model.name.text, method], label: calleeLabel(callee, sf), inferred: true, instance: true };
}

// ---- reads -------------------------------------------------------------------------------------

/** Methods that only read, over every library (compared lower-case, so node-redis v4 `hGetAll` matches too). */
const READ_METHODS = KNOWLEDGE.readMethods();
const HTTP_READS = new Set(HTTP_READ_METHODS);

function stringValue(e: ts.Expression | undefined): string | undefined {
  if (!e) return undefined;
  const x = skipOuter(e);
  if (ts.isStringLiteralLike(x)) return x.text;
  if (ts.isTemplateExpression(x)) return x.head.text;
  return undefined;
}

/** The `method` of a request options object: 'GET' when absent, undefined when it cannot be seen. */
function requestMethod(opts: ts.Expression | undefined): string | undefined {
  if (!opts) return 'GET';
  const o = skipOuter(opts);
  if (!ts.isObjectLiteralExpression(o) || o.properties.some((p) => ts.isSpreadAssignment(p))) return undefined;
  for (const p of o.properties) {
    if (ts.isPropertyAssignment(p) && p.name.getText() === 'method') return stringValue(p.initializer)?.toUpperCase();
    if (ts.isShorthandPropertyAssignment(p) && p.name.text === 'method') return undefined;
  }
  return 'GET';
}

/**
 * True when the call only reads: running it earlier, later or twice changes nothing in the
 * other system. Unknown → false.
 */
export function isReadOnlyCall(ext: ExternalCall): boolean {
  const { call, path, module } = ext;
  const method = path[path.length - 1];
  const args = call.arguments;
  if (ext.kind === IO.http) {
    const calls = KNOWLEDGE.httpCallsOf(module);
    const shape = calls.find((c) => c.path.length === path.length && c.path.every((p, i) => p === path[i]));
    // fetch-shaped: the method is in the init (GET when absent)
    if (shape && (shape.style === 'fetch' || shape.style === 'undici-request')) {
      return requestMethod(args[1]) === 'GET' || requestMethod(args[1]) === 'HEAD';
    }
    // clients with verb methods and a config call: axios, got, ky
    const root = calls.find((c) => c.path.length === 0);
    if (root?.method === 'from-options' && root.style !== 'fetch') {
      if (path.length === 0) {
        const first = args[0] && skipOuter(args[0]);
        if (first && ts.isObjectLiteralExpression(first)) return requestMethod(first) === 'GET';
        return requestMethod(args[1]) === 'GET';
      }
      return path.length === 1 && HTTP_READS.has(method);
    }
    return false;
  }
  if (!method) return false;
  const io = ioOf(module);
  if (io?.sqlMethods?.includes(method)) {
    const sql = stringValue(args[0]);
    return sql !== undefined && /^\s*select\b/i.test(sql) && !/\bfor\s+update\b/i.test(sql);
  }
  if (method === 'send' && io?.readCommandPrefixes) {
    const cmd = args[0] && skipOuter(args[0]);
    const read = new RegExp(`^(${io.readCommandPrefixes.join('|')})[A-Z]\\w*Command$`);
    return !!cmd && ts.isNewExpression(cmd) && ts.isIdentifier(cmd.expression) && read.test(cmd.expression.text);
  }
  return READ_METHODS.has(method.toLowerCase());
}

// ---- promises ------------------------------------------------------------------------------------

export type PromiseKind = 'promise' | 'lazy';

const NEVER_PROMISE = new Set(NON_PROMISE_METHODS);

function callbackStyle(call: ts.CallExpression): boolean {
  const last = call.arguments[call.arguments.length - 1];
  if (!last) return false;
  const x = skipOuter(last);
  if (ts.isArrowFunction(x) || ts.isFunctionExpression(x)) return true;
  return ts.isIdentifier(x) && /^(cb|callback|done|next|fn)$/i.test(x.text);
}

/**
 * Whether an external call returns a promise: 'promise' (runs now, may reject), 'lazy' (a
 * thenable query that only runs when awaited: Prisma, Mongoose model queries), or undefined
 * (callback style, streams, query builders such as knex whose statement-level calls only build,
 * or unknown).
 */
export function promiseKindOf(ext: ExternalCall, project: ProjectFacts): PromiseKind | undefined {
  const method = ext.path[ext.path.length - 1];
  if (method && NEVER_PROMISE.has(method)) return undefined;
  if (callbackStyle(ext.call)) return undefined;
  const record = KNOWLEDGE.exactLibraryOf(KNOWLEDGE.moduleKey(ext.module));
  const facet = record?.io?.promise;
  if (!record || !facet) return undefined;
  const p = atVersion(facet, record, dependencyView(project));
  if (p.returns !== 'promise' || (method && p.except?.includes(method))) return undefined;
  const lazy = p.lazy;
  if (lazy?.minPath !== undefined && ext.path.length >= lazy.minPath) return 'lazy';
  if (lazy?.onInstance && ext.instance && !(method && lazy.except?.includes(method))) return 'lazy';
  return 'promise';
}

// ---- names -------------------------------------------------------------------------------------

/** Does an identifier `name` occur anywhere inside `node` (a walk bounded to that node)? */
export function mentions(node: ts.Node, name: string): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isIdentifier(n) && n.text === name) { found = true; return; }
    ts.forEachChild(n, visit);
  };
  visit(node);
  return found;
}

/** Names a binding pattern declares: `a`, `{ data: user }` → user, `[x, { y = 1 }]` → x, y. */
export function boundNames(name: ts.BindingName, out: string[] = []): string[] {
  if (ts.isIdentifier(name)) out.push(name.text);
  else for (const el of name.elements) if (!ts.isOmittedExpression(el)) boundNames(el.name, out);
  return out;
}

/**
 * Identifiers a node reads (bounded walk of that node only): property names after `.`, object
 * literal keys and declared names are not reads; shorthand `{ id }` is.
 */
export function referencedNames(node: ts.Node, out: Set<string> = new Set()): Set<string> {
  const visit = (n: ts.Node): void => {
    if (ts.isIdentifier(n)) {
      const p = n.parent;
      if (p && ts.isPropertyAccessExpression(p) && p.name === n) return;
      if (p && (ts.isPropertyAssignment(p) || ts.isMethodDeclaration(p) || ts.isPropertyDeclaration(p) || ts.isGetAccessor(p) || ts.isSetAccessor(p)) && p.name === n) return;
      if (p && ts.isBindingElement(p) && p.propertyName === n) return;
      if (p && (ts.isVariableDeclaration(p) || ts.isParameter(p) || ts.isBindingElement(p) || ts.isFunctionDeclaration(p) || ts.isFunctionExpression(p) || ts.isClassDeclaration(p)) && p.name === n) return;
      if (p && (ts.isLabeledStatement(p) || ts.isBreakOrContinueStatement(p))) return;
      out.add(n.text);
      return;
    }
    if (ts.isTypeNode(n)) return;
    ts.forEachChild(n, visit);
  };
  visit(node);
  return out;
}

/**
 * A session or transaction handle among a call's arguments or chained on it (`{ session }`,
 * `{ transaction: t }`, `.session(s)`, `$transaction`): such calls share one connection and must
 * run in order.
 */
export function inTransaction(ext: ExternalCall, awaited: ts.Expression): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isPropertyAssignment(n) || ts.isShorthandPropertyAssignment(n)) {
      const key = n.name.getText();
      if (key === 'session' || key === 'transaction') { found = true; return; }
    }
    if (ts.isPropertyAccessExpression(n) && n.name.text === 'session' && ts.isCallExpression(n.parent)) { found = true; return; }
    ts.forEachChild(n, visit);
  };
  visit(awaited);
  return found || ext.label.includes('$transaction');
}

// ---- functions declared in this file ------------------------------------------------------------

type FnWithBody = FunctionLike & { body?: ts.ConciseBody };

function functionInit(e: ts.Expression | undefined): FunctionLike | undefined {
  const x = e && skipOuter(e);
  return x && (ts.isArrowFunction(x) || ts.isFunctionExpression(x)) ? x : undefined;
}

function bindsName(name: ts.BindingName, text: string): boolean {
  return boundNames(name).includes(text);
}

/**
 * The function `name` refers to at `from` when it is declared in this file (a function
 * declaration, or a variable initialised with a function) and not shadowed by a parameter, an
 * import or another variable on the way; undefined otherwise.
 */
export function localFunction(name: string, from: ts.Node, facts: FileFacts): FunctionLike | undefined {
  let p: ts.Node | undefined = from.parent;
  while (p) {
    if (isFunctionLike(p)) {
      if (p.parameters.some((prm) => bindsName(prm.name, name))) return undefined;
      if ((ts.isFunctionExpression(p) || ts.isFunctionDeclaration(p)) && p.name?.text === name) return p;
    }
    if (ts.isCatchClause(p) && p.variableDeclaration && bindsName(p.variableDeclaration.name, name)) return undefined;
    if ((ts.isForOfStatement(p) || ts.isForInStatement(p) || ts.isForStatement(p)) && p.initializer && ts.isVariableDeclarationList(p.initializer) &&
      p.initializer.declarations.some((d) => bindsName(d.name, name))) return undefined;
    if (ts.isBlock(p) || ts.isSourceFile(p) || ts.isModuleBlock(p) || ts.isCaseClause(p) || ts.isDefaultClause(p)) {
      if (ts.isSourceFile(p) && facts.bindings.has(name)) return undefined;
      for (const st of p.statements) {
        if (ts.isFunctionDeclaration(st) && st.name?.text === name) return st.body ? st : undefined;
        if (ts.isClassDeclaration(st) && st.name?.text === name) return undefined;
        if (ts.isVariableStatement(st)) {
          for (const d of st.declarationList.declarations) {
            if (bindsName(d.name, name)) return ts.isIdentifier(d.name) ? functionInit(d.initializer) : undefined;
          }
        }
      }
    }
    p = p.parent;
  }
  return undefined;
}

/** The method `this.<name>` calls from `from`: a method (or function-valued field) of the enclosing class. */
export function thisMethod(name: string, from: ts.Node): FunctionLike | undefined {
  let p: ts.Node | undefined = from.parent;
  while (p) {
    if (ts.isFunctionExpression(p) || ts.isFunctionDeclaration(p)) return undefined; // own `this`
    if (ts.isClassLike(p)) {
      for (const m of p.members) {
        if (!m.name || !ts.isIdentifier(m.name) || m.name.text !== name) continue;
        if (ts.isMethodDeclaration(m)) return m.body ? m : undefined;
        if (ts.isPropertyDeclaration(m)) return functionInit(m.initializer);
        return undefined;
      }
      return undefined;
    }
    p = p.parent;
  }
  return undefined;
}

/** The local function a call invokes: `name()` or `this.name()`. */
export function calledLocalFunction(call: ts.CallExpression, facts: FileFacts): FunctionLike | undefined {
  const callee = skipOuter(call.expression);
  if (ts.isIdentifier(callee)) return localFunction(callee.text, call, facts);
  if (ts.isPropertyAccessExpression(callee) && callee.expression.kind === ts.SyntaxKind.ThisKeyword) return thisMethod(callee.name.text, call);
  return undefined;
}

/** `async`, or a declared `Promise<…>` return type. */
export function returnsPromise(fn: FunctionLike): boolean {
  if (hasModifier(fn, ts.SyntaxKind.AsyncKeyword)) return !(fn as FnWithBody).asteriskToken;
  const t = fn.type;
  return !!t && ts.isTypeReferenceNode(t) && ts.isIdentifier(t.typeName) && t.typeName.text === 'Promise';
}

// ---- functions of this file that only read ---------------------------------------------------------

const PURE_GLOBALS = new Set(['JSON', 'Object', 'Math', 'Array', 'String', 'Number', 'Boolean', 'Date', 'URL', 'URLSearchParams',
  'encodeURIComponent', 'decodeURIComponent', 'encodeURI', 'decodeURI', 'parseInt', 'parseFloat', 'isNaN', 'Error', 'TypeError',
  'RangeError', 'Buffer', 'console', 'Headers', 'AbortSignal']);

function declaredInside(fn: FunctionLike): Set<string> {
  const names = new Set<string>();
  const visit = (n: ts.Node): void => {
    if (ts.isParameter(n) || ts.isVariableDeclaration(n)) for (const x of boundNames(n.name)) names.add(x);
    if ((ts.isFunctionDeclaration(n) || ts.isFunctionExpression(n)) && n.name) names.add(n.name.text);
    if (ts.isCatchClause(n) && n.variableDeclaration) for (const x of boundNames(n.variableDeclaration.name)) names.add(x);
    ts.forEachChild(n, visit);
  };
  visit(fn);
  return names;
}

function rootOf(e: ts.Expression): ts.Expression {
  let x = skipOuter(e);
  for (;;) {
    if (ts.isPropertyAccessExpression(x) || ts.isElementAccessExpression(x)) x = skipOuter(x.expression);
    else if (ts.isCallExpression(x)) x = skipOuter(x.expression);
    else return x;
  }
}

/**
 * A function of this file that only reads: it makes at least one external call, every external
 * call it makes is a read, and otherwise it only computes — calls on its own locals, on pure
 * globals (JSON, Object, URL, …), on the logger, or on other such functions; no assignment,
 * `++` or `delete` reaches a variable declared outside it. Running it earlier, later or
 * concurrently with another read changes nothing but timing.
 */
export function readOnlyFunction(fn: FunctionLike, facts: FileFacts, project: ProjectFacts, extraModules: readonly string[] = [], depth = 0, readsOnly = true): boolean {
  if (!fn.body || !returnsPromise(fn)) return false;
  const locals = declaredInside(fn);
  let reads = 0;
  let ok = true;
  const localRoot = (e: ts.Expression): boolean => {
    const r = rootOf(e);
    if (ts.isIdentifier(r)) return locals.has(r.text) || PURE_GLOBALS.has(r.text);
    // `this.x()` may change the instance; literals and `(await x).json()` results are local values
    return r.kind !== ts.SyntaxKind.ThisKeyword;
  };
  const visit = (n: ts.Node): void => {
    if (!ok) return;
    if (ts.isCallExpression(n)) {
      const ext = externalCall(n, facts, project, extraModules);
      if (ext && ext.call === n) {
        if ((readsOnly && !isReadOnlyCall(ext)) || inTransaction(ext, n)) { ok = false; return; }
        reads++;
        n.arguments.forEach(visit);
        return;
      }
      const local = calledLocalFunction(n, facts);
      if (local) {
        if (local === fn || depth >= 2 || !readOnlyFunction(local, facts, project, extraModules, depth + 1, readsOnly)) { ok = false; return; }
        reads++;
        n.arguments.forEach(visit);
        return;
      }
      const callee = skipOuter(n.expression);
      const recv = ts.isPropertyAccessExpression(callee) ? skipOuter(callee.expression) : undefined;
      const isLoggerCall = !!recv && (recv.getText(facts.sourceFile) === facts.logger?.name);
      if (!isLoggerCall && !localRoot(callee)) { ok = false; return; }
    } else if (ts.isNewExpression(n)) {
      if (!ts.isIdentifier(n.expression) || !PURE_GLOBALS.has(n.expression.text)) { ok = false; return; }
    } else if (ts.isBinaryExpression(n) && n.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && n.operatorToken.kind <= ts.SyntaxKind.LastAssignment) {
      const r = rootOf(n.left);
      if (!ts.isIdentifier(r) || !locals.has(r.text)) {
        if (!(ts.isArrayLiteralExpression(n.left) || ts.isObjectLiteralExpression(n.left))) { ok = false; return; }
      }
    } else if ((ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) && (n.operator === ts.SyntaxKind.PlusPlusToken || n.operator === ts.SyntaxKind.MinusMinusToken)) {
      const r = rootOf(n.operand);
      if (!ts.isIdentifier(r) || !locals.has(r.text)) { ok = false; return; }
    } else if (ts.isDeleteExpression(n) || ts.isYieldExpression(n)) {
      ok = false;
      return;
    }
    ts.forEachChild(n, visit);
  };
  visit(fn.body);
  return ok && reads > 0;
}

/**
 * Like readOnlyFunction, but the external calls may write: the function touches no state of
 * this process outside its own locals, so separate calls of it cannot race with each other here.
 */
export function selfContainedFunction(fn: FunctionLike, facts: FileFacts, project: ProjectFacts, extraModules: readonly string[] = []): boolean {
  return readOnlyFunction(fn, facts, project, extraModules, 0, false);
}

/** Does a function of this file await or return an external call (directly or one level down)? */
export function doesExternalIo(fn: FunctionLike, facts: FileFacts, project: ProjectFacts, extraModules: readonly string[] = [], depth = 0): boolean {
  if (!fn.body) return false;
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(n)) {
      const ext = externalCall(n, facts, project, extraModules);
      if (ext && ext.call === n) { found = true; return; }
      if (depth < 1) {
        const local = calledLocalFunction(n, facts);
        if (local && local !== fn && doesExternalIo(local, facts, project, extraModules, depth + 1)) { found = true; return; }
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(fn.body);
  return found;
}

// ---- where the file runs ------------------------------------------------------------------------

const BROWSER_GLOBALS = new Set(['window', 'document', 'navigator', 'localStorage', 'sessionStorage', 'chrome']);

/**
 * `window.location`, `document.getElementById`, `navigator.sendBeacon`, `chrome.storage` (an
 * extension): an access to a browser global the file does not declare itself. A file that does
 * this runs in a browser, whatever its path and package say.
 */
export function isBrowserGlobalAccess(pa: ts.PropertyAccessExpression, facts: FileFacts): boolean {
  const e = pa.expression;
  return ts.isIdentifier(e) && BROWSER_GLOBALS.has(e.text) && !facts.moduleNames.has(e.text) && !facts.bindings.has(e.text);
}
