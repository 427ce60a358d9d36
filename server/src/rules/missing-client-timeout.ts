/**
 * missing-client-timeout — a database, cache or HTTP client constructed without a deadline.
 *
 * Before:  const pool = new Pool({ connectionString: process.env.DATABASE_URL });
 * After:   const pool = new Pool({ connectionString: process.env.DATABASE_URL, connectionTimeoutMillis: 10000 });
 *
 * Before:  const redis = new Redis(process.env.REDIS_URL);
 * After:   const redis = new Redis(process.env.REDIS_URL, { commandTimeout: 10000 });
 *
 * Before:  await mongoose.connect(uri);
 * After:   await mongoose.connect(uri, { serverSelectionTimeoutMS: 10000, socketTimeoutMS: 45000 });
 *
 * Before:  const api = axios.create({ baseURL });
 * After:   const api = axios.create({ baseURL, timeout: 10000 });
 *
 * Before:  @Module({ imports: [HttpModule] })
 * After:   @Module({ imports: [HttpModule.register({ timeout: 10000 })] })
 *
 * Only clients whose library default is "wait forever" are reported: pg (no connect/acquire
 * timeout), ioredis (no command timeout), MongoDB/mongoose (socketTimeoutMS 0), axios (timeout 0)
 * and NestJS's HttpModule (axios underneath). mysql2 (10 s connectTimeout) and node-redis (5 s
 * connectTimeout) have deadlines by default and are left alone. Options that cannot be seen (a
 * variable, a spread, a call) keep the rule silent.
 *
 * Interplay with missing-timeout: an `axios.create()` instance without a timeout is ONE problem.
 * This rule reports the `create` (once, at the root cause, with a fix that covers every call);
 * missing-timeout stays silent on calls through such an instance while this rule is enabled
 * (see `coversAxiosInstance`). An instance is not reported when every call on it in the file
 * passes its own deadline.
 */
import * as ts from 'typescript';
import { defineRule, type Fix, type RuleContext, type TextEdit } from '../engine/types';
import { skipOuter, type ClientInstance } from '../engine/facts';
import { findProperty, propertyName } from '../engine/ast';
import { insertProperty, appendArguments } from '../fixes/edits';

export const RULE_ID = 'missing-client-timeout';

const PG_KEYS = ['connectionTimeoutMillis', 'statement_timeout', 'query_timeout'];
const PG_URL_KEYS = /connect_timeout|statement_timeout/i;
const REDIS_KEYS = ['commandTimeout', 'connectTimeout', 'socketTimeout'];
const MONGO_KEYS = ['serverSelectionTimeoutMS', 'socketTimeoutMS', 'timeoutMS', 'connectTimeoutMS', 'waitQueueTimeoutMS'];
const MONGO_URL_KEYS = /(serverSelectionTimeoutMS|socketTimeoutMS|timeoutMS|connectTimeoutMS|waitQueueTimeoutMS)=/i;
const AXIOS_SLOT: Record<string, number> = {
  request: 0,
  get: 1, delete: 1, head: 1, options: 1,
  post: 2, put: 2, patch: 2, postForm: 2, putForm: 2, patchForm: 2,
};

/** An `axios.create()` seen in the file, decided in finish() once its calls are known. */
interface AxiosCreate {
  call: ts.CallExpression;
  /** The node facts use for the instance (declaration, property, assignment statement). */
  bindingNode?: ts.Node;
  obj?: ts.ObjectLiteralExpression;
  calls: number;
  callsWithoutDeadline: number;
  firstWithout?: ts.CallExpression;
}

/** Calls through axios instances, matched to their creates in finish() (a call may come first). */
interface InstanceCall {
  instanceNode: ts.Node;
  call: ts.CallExpression;
  hasDeadline: boolean;
}

interface FileState {
  creates: AxiosCreate[];
  calls: InstanceCall[];
}

const state = new WeakMap<RuleContext, FileState>();

function stateOf(ctx: RuleContext): FileState {
  let st = state.get(ctx);
  if (!st) state.set(ctx, (st = { creates: [], calls: [] }));
  return st;
}

/**
 * The property names an options object literal sets, looking through spreads whose content is
 * visible (`...(cond && { password })`, `...(a ? { x } : {})`); 'opaque' when a spread hides some.
 */
function visibleKeys(obj: ts.ObjectLiteralExpression): Set<string> | 'opaque' {
  const keys = new Set<string>();
  const add = (e: ts.Expression): boolean => {
    const x = skipOuter(e);
    if (ts.isObjectLiteralExpression(x)) {
      for (const p of x.properties) {
        if (ts.isSpreadAssignment(p)) { if (!add(p.expression)) return false; continue; }
        const name = p.name && propertyName(p.name);
        if (name === undefined) return false; // computed key
        keys.add(name);
      }
      return true;
    }
    if (ts.isBinaryExpression(x) && (x.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken)) return add(x.right);
    if (ts.isConditionalExpression(x)) return add(x.whenTrue) && add(x.whenFalse);
    if (x.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(x) && x.text === 'undefined')) return true;
    return false;
  };
  return add(obj) ? keys : 'opaque';
}

/** True when the object sets one of `keys` — or may, through a spread we cannot see. */
function hasAnyKey(obj: ts.ObjectLiteralExpression, keys: readonly string[]): boolean {
  const seen = visibleKeys(obj);
  return seen === 'opaque' || keys.some((k) => seen.has(k));
}

/** Text of a string literal or template (its literal parts), for connection-string checks. */
function literalText(e: ts.Expression): string | undefined {
  const x = skipOuter(e);
  if (ts.isStringLiteralLike(x)) return x.text;
  if (ts.isTemplateExpression(x)) return x.head.text + x.templateSpans.map((s) => s.literal.text).join('');
  return undefined;
}

/** A value that is a connection string (not an options object): literals, env vars, `*Url` names. */
function isStringish(e: ts.Expression): boolean {
  const x = skipOuter(e);
  if (literalText(x) !== undefined) return true;
  if (ts.isPropertyAccessExpression(x) && ts.isPropertyAccessExpression(x.expression) &&
    ts.isIdentifier(x.expression.expression) && x.expression.expression.text === 'process' && x.expression.name.text === 'env') return true;
  if (ts.isElementAccessExpression(x) && ts.isPropertyAccessExpression(x.expression) && x.expression.name.text === 'env') return true;
  const name = ts.isIdentifier(x) ? x.text : ts.isPropertyAccessExpression(x) ? x.name.text : undefined;
  return !!name && /(url|uri|connectionstring|dsn)$/i.test(name);
}

function isNumberish(e: ts.Expression): boolean {
  const x = skipOuter(e);
  return ts.isNumericLiteral(x) || (ts.isIdentifier(x) && /port$/i.test(x.text)) || (ts.isPropertyAccessExpression(x) && /port$/i.test(x.name.text));
}

function nonOpaqueObject(e: ts.Expression | undefined): ts.ObjectLiteralExpression | undefined | 'opaque' {
  if (!e) return undefined;
  const x = skipOuter(e);
  if (ts.isObjectLiteralExpression(x)) return x;
  return 'opaque';
}

function propValue(obj: ts.ObjectLiteralExpression, key: string): ts.Expression | undefined {
  const p = findProperty(obj, key);
  return p && ts.isPropertyAssignment(p) ? p.initializer : undefined;
}

function fixInsert(ctx: RuleContext, obj: ts.ObjectLiteralExpression, props: string): Fix {
  return { title: `Add ${props}`, edits: [insertProperty(ctx, obj, props)], isPreferred: true, safe: true };
}

function fixAppend(ctx: RuleContext, call: ts.CallExpression | ts.NewExpression, props: string): Fix {
  const edit: TextEdit = call.arguments === undefined
    ? { start: call.expression.getEnd(), end: call.expression.getEnd(), newText: `({ ${props} })` }
    : appendArguments(ctx, call, [`{ ${props} }`]);
  return { title: `Add { ${props} }`, edits: [edit], isPreferred: true, safe: true };
}

// ---- pg ----------------------------------------------------------------------------------------

function checkPg(node: ts.NewExpression, ctx: RuleContext, kind: 'Pool' | 'Client'): void {
  const args = node.arguments ?? ts.factory.createNodeArray<ts.Expression>();
  if (args.length > 1 || args.some((a) => ts.isSpreadElement(a))) return;
  const ms = ctx.config.timeoutMs;
  const prop = `connectionTimeoutMillis: ${ms}`;
  const what = kind === 'Pool'
    ? `new Pool() has no connectionTimeoutMillis: when the database stalls or every pooled connection is busy, pool.query() waits forever for a connection (pg's default is no timeout).`
    : `new Client() has no connectionTimeoutMillis: if the database does not answer, connect() waits forever (pg's default is no timeout).`;
  const message = `${what} Add connectionTimeoutMillis (${ms} ms, setting failpath.timeoutMs), and statement_timeout for query deadlines.`;
  const arg = args[0];
  if (!arg) {
    ctx.report({ node: node.expression, message, fixes: [fixAppend(ctx, node, prop)] });
    return;
  }
  const x = skipOuter(arg);
  if (ts.isObjectLiteralExpression(x)) {
    if (hasAnyKey(x, PG_KEYS)) return;
    for (const key of ['connectionString', 'options']) {
      const v = propValue(x, key);
      if (v) {
        const t = literalText(v);
        if (t !== undefined && PG_URL_KEYS.test(t)) return;
      }
    }
    ctx.report({ node: node.expression, message, fixes: [fixInsert(ctx, x, prop)] });
    return;
  }
  if (!isStringish(x)) return; // a config variable: cannot see it
  const t = literalText(x);
  if (t !== undefined && PG_URL_KEYS.test(t)) return;
  const fix: Fix = {
    title: `Use { connectionString, ${prop} }`,
    edits: [{ start: arg.getStart(ctx.sourceFile), end: arg.getEnd(), newText: `{ connectionString: ${arg.getText(ctx.sourceFile)}, ${prop} }` }],
    isPreferred: true,
    safe: true,
  };
  ctx.report({ node: node.expression, message, fixes: [fix] });
}

// ---- ioredis -----------------------------------------------------------------------------------

/** Names of pub/sub connections: nothing awaits their commands, so a command timeout buys nothing. */
const SUBSCRIBER_NAME = /subscri|pubsub|(^|[^a-z])sub([^a-z]|$)|listener/i;

function checkIoredis(node: ts.NewExpression, ctx: RuleContext): void {
  const name = bindingName(ctx, bindingNodeOf(node));
  if (name && SUBSCRIBER_NAME.test(name)) return;
  const args = node.arguments ?? ts.factory.createNodeArray<ts.Expression>();
  if (args.length > 3 || args.some((a) => ts.isSpreadElement(a))) return;
  let obj: ts.ObjectLiteralExpression | undefined;
  for (let i = 0; i < args.length; i++) {
    const x = skipOuter(args[i]);
    if (ts.isObjectLiteralExpression(x)) {
      if (i !== args.length - 1) return;
      obj = x;
    } else if (!isStringish(x) && !isNumberish(x)) {
      return; // new Redis(config) / new Redis(port, host, options): cannot see the options
    }
  }
  if (obj) {
    if (hasAnyKey(obj, REDIS_KEYS)) return;
    // maxRetriesPerRequest: null marks a BullMQ/blocking connection: a command timeout would break BRPOP & co.
    const mr = propValue(obj, 'maxRetriesPerRequest');
    if (mr && skipOuter(mr).kind === ts.SyntaxKind.NullKeyword) return;
  }
  const ms = ctx.config.timeoutMs;
  const prop = `commandTimeout: ${ms}`;
  const message = `This ioredis client has no commandTimeout: when Redis stalls (a slow command, a failover, a saturated instance) every command waits forever and so does each request that awaits it. Add commandTimeout (${ms} ms, setting failpath.timeoutMs).`;
  ctx.report({ node: node.expression, message, fixes: [obj ? fixInsert(ctx, obj, prop) : fixAppend(ctx, node, prop)] });
}

// ---- MongoDB / mongoose ------------------------------------------------------------------------

function checkMongo(call: ts.CallExpression | ts.NewExpression, ctx: RuleContext, label: string): void {
  const args = call.arguments ?? ts.factory.createNodeArray<ts.Expression>();
  if (args.length === 0 || args.length > 2 || args.some((a) => ts.isSpreadElement(a))) return;
  const uri = literalText(args[0]);
  if (uri !== undefined && MONGO_URL_KEYS.test(uri)) return;
  const ms = ctx.config.timeoutMs;
  const props = `serverSelectionTimeoutMS: ${ms}, socketTimeoutMS: ${Math.max(ms, 45000)}`;
  const message = `${label}() sets no socketTimeoutMS/serverSelectionTimeoutMS: the driver's socketTimeoutMS is 0, so an operation on a stalled connection waits forever, and every query waits 30 s for a primary during a failover. Add both deadlines.`;
  const opts = args[1];
  if (!opts) {
    ctx.report({ node: call.expression, message, fixes: [fixAppend(ctx, call, props)] });
    return;
  }
  const o = nonOpaqueObject(opts);
  if (o === 'opaque' || o === undefined) return; // a variable or a callback
  if (hasAnyKey(o, MONGO_KEYS)) return;
  ctx.report({ node: call.expression, message, fixes: [fixInsert(ctx, o, props)] });
}

// ---- axios & NestJS HttpModule -----------------------------------------------------------------

/** The create call behind an instance recorded by FileFacts, when it is `axios.create(...)` itself. */
function createCallOf(ctx: RuleContext, inst: ClientInstance): ts.CallExpression | undefined {
  const n = inst.node;
  let init: ts.Expression | undefined;
  if (ts.isVariableDeclaration(n) || ts.isPropertyDeclaration(n)) init = n.initializer;
  else if (ts.isExpressionStatement(n) && ts.isBinaryExpression(n.expression)) init = n.expression.right;
  if (!init) return undefined;
  let x = skipOuter(init);
  if (ts.isAwaitExpression(x)) x = skipOuter(x.expression);
  if (!ts.isCallExpression(x)) return undefined;
  const r = ctx.facts.resolveCall(x);
  return r && r.module === 'axios' && !r.instance && r.path.length === 1 && r.path[0] === 'create' ? x : undefined;
}

/**
 * For missing-timeout: true when a call through `inst` lacking a deadline is this rule's to
 * report (at the instance's `axios.create`), so the user gets one finding for one problem.
 */
export function coversAxiosInstance(ctx: RuleContext, inst: ClientInstance): boolean {
  if (ctx.config.rules[RULE_ID]?.severity === 'off') return false;
  if (inst.module !== 'axios' || inst.optionsOpaque) return false;
  return createCallOf(ctx, inst) !== undefined;
}

/** `X.defaults.timeout = …` among `statements` (before `before`, when given). */
function setsDefaultsTimeout(ctx: RuleContext, statements: readonly ts.Statement[], target: string, before?: number): boolean {
  for (const st of statements) {
    if (before !== undefined && st.getStart(ctx.sourceFile) > before) break;
    if (!ts.isExpressionStatement(st) || !ts.isBinaryExpression(st.expression) || st.expression.operatorToken.kind !== ts.SyntaxKind.EqualsToken) continue;
    const left = st.expression.left;
    if (ts.isPropertyAccessExpression(left) && left.name.text === 'timeout' && ts.isPropertyAccessExpression(left.expression) &&
      left.expression.name.text === 'defaults' && left.expression.expression.getText(ctx.sourceFile) === target) return true;
  }
  return false;
}

/** Does an axios call (through an instance) carry its own deadline, or options we cannot see? */
function callHasDeadline(call: ts.CallExpression, method: string | undefined): boolean {
  const args = call.arguments;
  if (args.some((a) => ts.isSpreadElement(a))) return true;
  let slot: number;
  if (method === undefined) {
    const first = args[0] && skipOuter(args[0]);
    slot = first && ts.isObjectLiteralExpression(first) ? 0 : 1;
  } else slot = AXIOS_SLOT[method];
  const o = nonOpaqueObject(args[slot]);
  if (o === undefined) return false;
  if (o === 'opaque') return true;
  return hasAnyKey(o, ['timeout', 'signal']);
}

function bindingNodeOf(call: ts.CallExpression | ts.NewExpression): ts.Node | undefined {
  let n: ts.Node = call;
  while (n.parent && (ts.isParenthesizedExpression(n.parent) || ts.isAsExpression(n.parent) || ts.isAwaitExpression(n.parent) ||
    ts.isNonNullExpression(n.parent) || ts.isSatisfiesExpression(n.parent))) n = n.parent;
  const p = n.parent;
  if (!p) return undefined;
  if ((ts.isVariableDeclaration(p) || ts.isPropertyDeclaration(p)) && p.initializer === n) return p;
  if (ts.isBinaryExpression(p) && p.right === n && p.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isExpressionStatement(p.parent)) return p.parent;
  return undefined;
}

function bindingName(ctx: RuleContext, node: ts.Node | undefined): string | undefined {
  if (!node) return undefined;
  if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name)) return node.name.text;
  if (ts.isPropertyDeclaration(node)) return `this.${propertyName(node.name) ?? ''}`;
  if (ts.isExpressionStatement(node) && ts.isBinaryExpression(node.expression)) return node.expression.left.getText(ctx.sourceFile);
  return undefined;
}

function noteAxiosCreate(call: ts.CallExpression, ctx: RuleContext): void {
  const args = call.arguments;
  if (args.length > 1 || args.some((a) => ts.isSpreadElement(a))) return;
  const o = nonOpaqueObject(args[0]);
  if (o === 'opaque') return;
  const ms = ctx.config.timeoutMs;
  if (o) {
    const to = findProperty(o, 'timeout');
    if (to) {
      const v = ts.isPropertyAssignment(to) ? skipOuter(to.initializer) : undefined;
      if (v && ts.isNumericLiteral(v) && v.text === '0') {
        ctx.report({
          node: v,
          message: `timeout: 0 disables axios's deadline: every request through this instance waits as long as the remote side does. Set a deadline (${ms} ms, setting failpath.timeoutMs).`,
          fixes: [{ title: `Set timeout: ${ms}`, edits: [{ start: v.getStart(ctx.sourceFile), end: v.getEnd(), newText: String(ms) }], isPreferred: true, safe: true }],
        });
      }
      return;
    }
    if (hasAnyKey(o, ['timeout', 'signal'])) return;
  }
  // axios.defaults.timeout set before the create is inherited by the instance
  const sf = ctx.sourceFile;
  const axiosName = call.expression.getText(sf).replace(/\.create$/, '');
  if (setsDefaultsTimeout(ctx, sf.statements, axiosName, call.getStart(sf))) return;
  const bindingNode = bindingNodeOf(call);
  const name = bindingName(ctx, bindingNode);
  if (name) {
    if (setsDefaultsTimeout(ctx, sf.statements, name)) return;
    const st = bindingNode && (ts.isVariableDeclaration(bindingNode) ? bindingNode.parent.parent : bindingNode);
    const block = st?.parent;
    if (block && (ts.isBlock(block) || ts.isSourceFile(block)) && setsDefaultsTimeout(ctx, block.statements, name)) return;
  }
  // wrapped (`axiosCookieJarSupport(axios.create())`): the wrapper decides how it is used; stay silent
  let outer: ts.Node = call;
  while (outer.parent && (ts.isParenthesizedExpression(outer.parent) || ts.isAsExpression(outer.parent))) outer = outer.parent;
  if ((ts.isCallExpression(outer.parent) || ts.isNewExpression(outer.parent)) && outer.parent.arguments?.includes(outer as ts.Expression)) return;
  const entry: AxiosCreate = { call, bindingNode, obj: o, calls: 0, callsWithoutDeadline: 0 };
  // axios.create().post(url, body, { timeout }) — the instance is used once, right here
  const p = call.parent;
  if (ts.isPropertyAccessExpression(p) && p.expression === call && ts.isCallExpression(p.parent) && p.parent.expression === p) {
    const method = p.name.text;
    if (!(method in AXIOS_SLOT)) return;
    entry.calls = 1;
    if (!callHasDeadline(p.parent, method)) { entry.callsWithoutDeadline = 1; entry.firstWithout = p.parent; }
  }
  stateOf(ctx).creates.push(entry);
}

function noteInstanceCall(call: ts.CallExpression, inst: ClientInstance, path: string[], ctx: RuleContext): void {
  let method: string | undefined;
  if (path.length === 1 && path[0] in AXIOS_SLOT) method = path[0];
  else if (path.length !== 0) return; // interceptors, defaults, getUri: not requests
  stateOf(ctx).calls.push({ instanceNode: inst.node, call, hasDeadline: callHasDeadline(call, method) });
}

function reportAxios(ctx: RuleContext, e: AxiosCreate): void {
  if (e.calls > 0 && e.callsWithoutDeadline === 0) return; // every call brings its own deadline
  const ms = ctx.config.timeoutMs;
  const prop = `timeout: ${ms}`;
  const sf = ctx.sourceFile;
  let where = '';
  if (e.firstWithout && e.firstWithout !== e.call.parent.parent) {
    const line = sf.getLineAndCharacterOfPosition(e.firstWithout.getStart(sf)).line + 1;
    where = ` (${e.callsWithoutDeadline} call${e.callsWithoutDeadline === 1 ? '' : 's'} in this file without their own, first on line ${line})`;
  }
  const message = `axios.create() without a timeout: axios waits forever by default, so every request through this instance${where} hangs as long as the remote service does. Give the instance a deadline (${ms} ms, setting failpath.timeoutMs).`;
  ctx.report({ node: e.call.expression, message, fixes: [e.obj ? fixInsert(ctx, e.obj, prop) : fixAppend(ctx, e.call, prop)] });
}

function checkHttpModuleRegister(call: ts.CallExpression, ctx: RuleContext): void {
  const args = call.arguments;
  if (args.length > 1) return;
  const o = nonOpaqueObject(args[0]);
  if (o === 'opaque') return;
  if (o && hasAnyKey(o, ['timeout', 'signal'])) return;
  const ms = ctx.config.timeoutMs;
  ctx.report({
    node: call.expression,
    message: `HttpModule.register() without a timeout: HttpService is axios underneath and waits forever by default. Add timeout (${ms} ms, setting failpath.timeoutMs).`,
    fixes: [o ? fixInsert(ctx, o, `timeout: ${ms}`) : fixAppend(ctx, call, `timeout: ${ms}`)],
  });
}

export const missingClientTimeout = defineRule({
  id: RULE_ID,
  checklist: 'recover',
  severity: 'warning',
  summary: 'A database, cache or HTTP client created without a deadline makes every call through it wait forever when the dependency stalls.',
  fixable: true,
  fileKinds: ['server'],
  visit: {
    NewExpression(node, ctx) {
      const r = ctx.facts.resolveCall(node);
      if (!r || r.instance) return;
      const p = r.path;
      if (r.module === 'pg' && p.length === 1 && (p[0] === 'Pool' || p[0] === 'Client')) checkPg(node, ctx, p[0]);
      else if (r.module === 'ioredis' && (p.length === 0 || (p.length === 1 && (p[0] === 'Redis' || p[0] === 'default')))) checkIoredis(node, ctx);
      else if (r.module === 'mongodb' && p.length === 1 && p[0] === 'MongoClient') checkMongo(node, ctx, 'new MongoClient');
    },
    CallExpression(node, ctx) {
      const r = ctx.facts.resolveCall(node);
      if (!r) return;
      const p = r.path;
      if (r.module === 'axios') {
        if (r.instance) noteInstanceCall(node, r.instance, p, ctx);
        else if (p.length === 1 && p[0] === 'create') noteAxiosCreate(node, ctx);
        return;
      }
      if (r.instance) return;
      const key = p.join('.');
      if (r.module === 'mongoose' && (key === 'connect' || key === 'createConnection')) checkMongo(node, ctx, `mongoose.${key}`);
      else if (r.module === 'mongodb' && key === 'MongoClient.connect') checkMongo(node, ctx, 'MongoClient.connect');
      else if (r.module === '@nestjs/mongoose' && key === 'MongooseModule.forRoot') checkMongo(node, ctx, 'MongooseModule.forRoot');
      else if (r.module === '@nestjs/axios' && key === 'HttpModule.register') checkHttpModuleRegister(node, ctx);
    },
    Identifier(node, ctx) {
      // `imports: [HttpModule]` — the module registered with axios's defaults (no timeout)
      const p = node.parent;
      if (!p || !ts.isArrayLiteralExpression(p)) return;
      const b = ctx.facts.bindings.get(node.text);
      if (!b || b.module !== '@nestjs/axios' || b.imported !== 'HttpModule') return;
      const holder = p.parent;
      const inImports = (ts.isPropertyAssignment(holder) && propertyName(holder.name) === 'imports') ||
        (ts.isVariableDeclaration(holder) && holder.initializer === p);
      if (!inImports) return;
      const ms = ctx.config.timeoutMs;
      ctx.report({
        node,
        message: `HttpModule is imported with axios's defaults, so every HttpService request waits forever. Register it with a deadline (${ms} ms, setting failpath.timeoutMs).`,
        fixes: [{ title: `Use HttpModule.register({ timeout: ${ms} })`, edits: [{ start: node.getStart(ctx.sourceFile), end: node.getEnd(), newText: `${node.text}.register({ timeout: ${ms} })` }], isPreferred: true, safe: true }],
      });
    },
  },
  finish(ctx) {
    const st = state.get(ctx);
    if (!st) return;
    for (const e of st.creates) {
      for (const c of st.calls) {
        if (!e.bindingNode || c.instanceNode !== e.bindingNode) continue;
        e.calls++;
        if (!c.hasDeadline) {
          e.callsWithoutDeadline++;
          if (!e.firstWithout || c.call.getStart(ctx.sourceFile) < e.firstWithout.getStart(ctx.sourceFile)) e.firstWithout = c.call;
        }
      }
      reportAxios(ctx, e);
    }
    state.delete(ctx);
  },
});
