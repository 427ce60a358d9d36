/**
 * cache-without-ttl — cache entries that never expire: memory grows until the process or the
 * Redis instance runs out, and stale data is served forever.
 *
 * Before:  await redis.set(`user:${id}`, json);                 (ioredis)
 * After:   await redis.set(`user:${id}`, json, 'EX', 300);
 *
 * Before:  await client.set(key, value);                        (node-redis v4+)
 * After:   await client.set(key, value, { EX: 300 });
 *
 * Before:  await redis.hset(key, fields);
 * After:   await redis.hset(key, fields);
 *          await redis.expire(key, 300);
 *
 * Before:  const cache = new NodeCache();
 * After:   const cache = new NodeCache({ stdTTL: 300 });
 *
 * Before:  const cache = new Map<string, User>();               (module level, only ever grows)
 * After:   const cache = new LRUCache<string, User>({ max: 1000, ttl: 300000 });   (when lru-cache is installed)
 *
 * Redis writes are recognised through clients the file's facts know (ioredis / node-redis
 * instances, injected members typed with their classes); a TTL given by an `expire` on the same
 * key in the same function counts. Redis is also a database, so a write is only reported when it
 * is a cache write: a read of the same key in the same function (read-through fill), or a key,
 * client, function, class or file named cache/memo — and not when the function also writes with a
 * TTL or the write sits under a condition about expiry (`if (ttl === Infinity)`): that is a choice.
 * Module-level Maps are reported only when their name says cache/memo, entries are added inside
 * functions under identity-like keys (ids, urls, tokens, emails…: one entry per user or request,
 * not per config or type), and nothing in the file ever deletes, clears or hands the Map elsewhere.
 * TTL values come from `failpath.cacheTtlSeconds`.
 */
import * as ts from 'typescript';
import { defineRule, type Fix, type RuleContext, type TextEdit } from '../engine/types';
import { skipOuter, hasModifier } from '../engine/facts';
import { enclosingFunction, enclosingStatement, findProperty, functionName, hasSpread, isFunctionLike, lineIndentAt, propertyName, type FunctionLike } from '../engine/ast';
import { addImport, insertProperty, appendArguments } from '../fixes/edits';
import { dependencyMajor, hasDependency } from '../engine/project';
import { quoteString, semi } from '../engine/style';

const TTL_TOKENS = new Set(['EX', 'PX', 'EXAT', 'PXAT', 'KEEPTTL']);
// lower-case forms are other clients' (Upstash); accepted so that the rule stays silent on them
const TTL_KEYS = ['EX', 'PX', 'EXAT', 'PXAT', 'KEEPTTL', 'expiration', 'ex', 'px', 'exat', 'pxat', 'keepTtl'];
const EXPIRE_METHODS = new Set(['expire', 'pexpire', 'expireat', 'pexpireat']);
/** Reads that, on the same key in the same function, make a write a read-through cache fill. */
const READ_METHODS = new Set(['get', 'hget', 'hgetall', 'hmget', 'exists', 'hexists', 'getex']);
const HASH_WRITES = new Set(['hset', 'hmset', 'hsetnx']);
const MULTI_WRITES = new Set(['mset', 'msetnx']);
/** cache, caching, cached, memo, memoize — not memory. */
const CACHE_NAME = /cach|memo(?!ry)/i;
const MAP_READS = new Set(['get', 'has', 'size', 'forEach', 'keys', 'values', 'entries']);
const MAP_SHRINKS = new Set(['delete', 'clear']);
/** Key names that say one entry per user/request/entity (unbounded), not per config or type. */
const IDENTITY_KEY = /(id|ids|uuid|guid|url|uri|href|token|ip|email|session|user|hash|query|sql|request|req|body|input|text|content|address|phone|key)$/i;

/** A Redis write without a TTL, kept until finish() knows whether an `expire` follows. */
interface RedisWrite {
  call: ts.CallExpression;
  scope: ts.Node;
  /** Key text, or undefined for mset (any expire in the scope then counts). */
  key?: string;
  /** The key, receiver, function, class or file name says cache/memo. */
  named: boolean;
  message: string;
  fixes: Fix[];
}

interface MapCandidate {
  decl: ts.VariableDeclaration;
  name: string;
  newExpr: ts.NewExpression;
  /** Entries are added inside functions under identity-like keys (ids, urls, tokens…). */
  growsPerIdentity: boolean;
  bounded: boolean;
}

interface NodeCacheCandidate {
  newExpr: ts.NewExpression;
  receiver?: string;
  obj?: ts.ObjectLiteralExpression;
  sets: number;
  setsWithoutTtl: number;
}

interface FileState {
  writes: RedisWrite[];
  expires: { scope: ts.Node; key?: string }[];
  reads: { scope: ts.Node; key?: string; at: number }[];
  /** Functions that also write with a TTL: a TTL-less write there is a deliberate branch. */
  ttlScopes: Set<ts.Node>;
  maps: Map<string, MapCandidate>;
  nodeCaches: NodeCacheCandidate[];
  nodeCacheSets: { receiver: string; hasTtl: boolean }[];
  usesNodeCache: boolean;
}

const states = new WeakMap<RuleContext, FileState>();

function stateOf(ctx: RuleContext): FileState {
  let s = states.get(ctx);
  if (!s) {
    let usesNodeCache = false;
    for (const b of ctx.facts.bindings.values()) if (b.module === 'node-cache') usesNodeCache = true;
    s = { writes: [], expires: [], reads: [], ttlScopes: new Set(), maps: collectMapCandidates(ctx), nodeCaches: [], nodeCacheSets: [], usesNodeCache };
    states.set(ctx, s);
  }
  return s;
}

function scopeOf(node: ts.Node): ts.Node {
  return enclosingFunction(node) ?? node.getSourceFile();
}

function literalString(e: ts.Expression): string | undefined {
  const x = skipOuter(e);
  return ts.isStringLiteralLike(x) ? x.text : undefined;
}

/** A key expression that can be repeated in an added statement without side effects. */
function isPure(e: ts.Expression): boolean {
  const x = skipOuter(e);
  if (ts.isIdentifier(x) || ts.isStringLiteralLike(x) || ts.isNumericLiteral(x) || x.kind === ts.SyntaxKind.ThisKeyword) return true;
  if (ts.isPropertyAccessExpression(x)) return isPure(x.expression);
  if (ts.isTemplateExpression(x)) return x.templateSpans.every((s) => isPure(s.expression));
  if (ts.isBinaryExpression(x) && x.operatorToken.kind === ts.SyntaxKind.PlusToken) return isPure(x.left) && isPure(x.right);
  return false;
}

// ---- Redis ------------------------------------------------------------------------------------

/**
 * Is this write a cache write by its names? Redis is also a database (registries, counters,
 * stores meant to persist), so a write without TTL is only a finding when something says cache:
 * the key, the client's name, the enclosing function or class, or the file.
 */
function namedAsCache(call: ts.CallExpression, receiver: ts.Expression, ctx: RuleContext): boolean {
  const sf = ctx.sourceFile;
  if (CACHE_NAME.test(receiver.getText(sf))) return true;
  const key = call.arguments[0];
  if (key && CACHE_NAME.test(key.getText(sf))) return true;
  for (let n: ts.Node | undefined = enclosingFunction(call); n; n = enclosingFunction(n)) {
    const name = functionName(n as FunctionLike);
    if (name && CACHE_NAME.test(name)) return true;
  }
  for (let p: ts.Node | undefined = call.parent; p; p = p.parent) {
    if ((ts.isClassDeclaration(p) || ts.isClassExpression(p)) && p.name && CACHE_NAME.test(p.name.text)) return true;
  }
  const base = ctx.fileName.replace(/\\/g, '/').split('/').pop() ?? '';
  return CACHE_NAME.test(base);
}

function redisUsesOptionsObject(ctx: RuleContext, module: string): boolean {
  if (module !== 'redis') return false;
  const major = dependencyMajor(ctx.project, 'redis');
  return major === undefined || major >= 4;
}

function checkRedisSet(call: ts.CallExpression, receiver: ts.Expression, module: string, ctx: RuleContext): void {
  const args = call.arguments;
  if (args.length < 2 || args.some((a) => ts.isSpreadElement(a))) return;
  const ttl = ctx.config.cacheTtlSeconds;
  const sf = ctx.sourceFile;
  let positional = !redisUsesOptionsObject(ctx, module);
  let obj: ts.ObjectLiteralExpression | undefined;
  for (let i = 2; i < args.length; i++) {
    const a = skipOuter(args[i]);
    const token = literalString(a);
    if (token !== undefined) {
      if (TTL_TOKENS.has(token.toUpperCase())) { stateOf(ctx).ttlScopes.add(scopeOf(call)); return; }
      positional = true; // 'NX' / 'XX' / 'GET'
      continue;
    }
    if (ts.isObjectLiteralExpression(a) && i === 2) {
      if (hasSpread(a) || TTL_KEYS.some((k) => findProperty(a, k))) { stateOf(ctx).ttlScopes.add(scopeOf(call)); return; }
      obj = a;
      continue;
    }
    if ((ts.isArrowFunction(a) || ts.isFunctionExpression(a)) && i === args.length - 1) continue; // callback
    return; // a mode/TTL held in a variable: cannot see it
  }
  let fix: Fix;
  if (obj) {
    fix = { title: `Add EX: ${ttl}`, edits: [insertProperty(ctx, obj, `EX: ${ttl}`)], isPreferred: true, safe: true };
  } else if (positional || module === 'ioredis') {
    const at = args[1].getEnd();
    fix = { title: `Add 'EX', ${ttl}`, edits: [{ start: at, end: at, newText: `, ${quoteString(ctx.style, 'EX')}, ${ttl}` }], isPreferred: true, safe: true };
  } else {
    fix = { title: `Add { EX: ${ttl} }`, edits: [appendArguments(ctx, call, [`{ EX: ${ttl} }`])], isPreferred: true, safe: true };
  }
  const how = fix.title.slice(4);
  stateOf(ctx).writes.push({
    call,
    scope: scopeOf(call),
    key: args[0].getText(sf),
    named: namedAsCache(call, receiver, ctx),
    message: `${receiver.getText(sf)}.set() stores the key without a TTL: it never expires, so the cache serves stale data forever and Redis memory grows until eviction or OOM. Add an expiry (${how}; ${ttl} s from failpath.cacheTtlSeconds).`,
    fixes: [fix],
  });
}

function checkRedisHashOrMulti(call: ts.CallExpression, receiver: ts.Expression, method: string, ctx: RuleContext): void {
  const args = call.arguments;
  if (args.length < 1 || args.some((a) => ts.isSpreadElement(a))) return;
  const sf = ctx.sourceFile;
  const ttl = ctx.config.cacheTtlSeconds;
  const name = `${receiver.getText(sf)}.${(call.expression as ts.PropertyAccessExpression).name.text}()`;
  if (MULTI_WRITES.has(method)) {
    stateOf(ctx).writes.push({
      call,
      scope: scopeOf(call),
      named: namedAsCache(call, receiver, ctx),
      message: `${name} cannot set a TTL, and no expire follows: these keys never expire. Write them with set(key, value, 'EX', ${ttl}) in a pipeline/multi instead.`,
      fixes: [],
    });
    return;
  }
  if (method === 'setnx') {
    stateOf(ctx).writes.push({
      call,
      scope: scopeOf(call),
      key: args[0].getText(sf),
      named: namedAsCache(call, receiver, ctx),
      message: `${name} cannot set a TTL, and no expire follows: the key never expires (and if it guards work, a crash leaves it held forever). Use set(key, value, 'EX', ${ttl}, 'NX') (note: it returns 'OK'/null, not 1/0).`,
      fixes: [],
    });
    return;
  }
  // hset & co: the fix adds `await <receiver>.expire(key, ttl)` after an awaited statement
  const fixes: Fix[] = [];
  const st = enclosingStatement(call);
  const parent = call.parent;
  if (st && ts.isExpressionStatement(st) && ts.isAwaitExpression(parent) && st.expression === parent && isPure(args[0])) {
    const indent = lineIndentAt(ctx.text, st.getStart(sf));
    const line = `await ${receiver.getText(sf)}.expire(${args[0].getText(sf)}, ${ttl})${semi(ctx.style)}`;
    const edit: TextEdit = { start: st.getEnd(), end: st.getEnd(), newText: `${ctx.style.eol}${indent}${line}` };
    fixes.push({ title: `Add ${line.replace(/;$/, '')} after it`, edits: [edit], isPreferred: true, safe: true });
  }
  stateOf(ctx).writes.push({
    call,
    scope: scopeOf(call),
    key: args[0].getText(sf),
    named: namedAsCache(call, receiver, ctx),
    message: `${name} writes a hash with no expire on the key in this function: it never expires, so stale data is served forever and Redis memory only grows. Follow it with expire(key, ${ttl}).`,
    fixes,
  });
}

/** Inside `if (ttl === Infinity)` / `if (!expiresIn)`: the code decides about expiry itself. */
function deliberateNoTtl(call: ts.CallExpression): boolean {
  for (let p: ts.Node = call; p.parent && !isFunctionLike(p.parent); p = p.parent) {
    const parent = p.parent;
    const cond = ts.isIfStatement(parent) && (parent.thenStatement === p || parent.elseStatement === p) ? parent.expression
      : ts.isConditionalExpression(parent) && parent.condition !== p ? parent.condition : undefined;
    if (cond && /ttl|expir|infinity|persist|forever/i.test(cond.getText())) return true;
  }
  return false;
}

// ---- lru-cache / node-cache -------------------------------------------------------------------

function receiverOf(expr: ts.NewExpression): string | undefined {
  let n: ts.Node = expr;
  while (n.parent && (ts.isParenthesizedExpression(n.parent) || ts.isAsExpression(n.parent) || ts.isSatisfiesExpression(n.parent))) n = n.parent;
  const p = n.parent;
  if (ts.isVariableDeclaration(p) && ts.isIdentifier(p.name)) return p.name.text;
  if (ts.isPropertyDeclaration(p)) {
    const name = propertyName(p.name);
    return name && (hasModifier(p, ts.SyntaxKind.StaticKeyword) ? undefined : `this.${name}`);
  }
  if (ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.EqualsToken && p.right === n) return p.left.getText();
  return undefined;
}

function checkLruCache(node: ts.NewExpression, ctx: RuleContext): void {
  const args = node.arguments ?? ts.factory.createNodeArray<ts.Expression>();
  if (args.length > 1) return;
  const major = dependencyMajor(ctx.project, 'lru-cache');
  const ttlMs = ctx.config.cacheTtlSeconds * 1000;
  const max = Number(ctx.options.maxEntries ?? 1000);
  const ttlKey = major !== undefined && major < 7 ? 'maxAge' : 'ttl';
  const props = `max: ${max}, ${ttlKey}: ${ttlMs}`;
  const message = `This LRU cache has neither max, maxSize nor ${ttlKey}: it holds every entry forever, so memory grows with every distinct key. Bound it (max ${max} entries, ${ttlKey} ${ttlMs} ms from failpath.cacheTtlSeconds).`;
  const a = args[0] && skipOuter(args[0]);
  if (!a) {
    const edit: TextEdit = node.arguments === undefined
      ? { start: node.expression.getEnd(), end: node.expression.getEnd(), newText: `({ ${props} })` }
      : appendArguments(ctx, node, [`{ ${props} }`]);
    ctx.report({ node: node.expression, message, fixes: [{ title: `Add { ${props} }`, edits: [edit], isPreferred: true, safe: true }] });
    return;
  }
  if (!ts.isObjectLiteralExpression(a) || hasSpread(a)) return; // new LRU(500) is max; a variable we cannot see
  if (['max', 'maxSize', 'ttl', 'maxAge', 'length'].some((k) => findProperty(a, k))) return;
  ctx.report({ node: node.expression, message, fixes: [{ title: `Add ${props}`, edits: [insertProperty(ctx, a, props)], isPreferred: true, safe: true }] });
}

function noteNodeCache(node: ts.NewExpression, ctx: RuleContext): void {
  const args = node.arguments ?? ts.factory.createNodeArray<ts.Expression>();
  if (args.length > 1) return;
  const a = args[0] && skipOuter(args[0]);
  let obj: ts.ObjectLiteralExpression | undefined;
  if (a) {
    if (!ts.isObjectLiteralExpression(a) || hasSpread(a)) return;
    const std = findProperty(a, 'stdTTL');
    if (std && !(ts.isPropertyAssignment(std) && ts.isNumericLiteral(skipOuter(std.initializer)) && skipOuter(std.initializer).getText() === '0')) return;
    const maxKeys = findProperty(a, 'maxKeys');
    if (maxKeys && !(ts.isPropertyAssignment(maxKeys) && skipOuter(maxKeys.initializer).getText() === '-1')) return;
    if (std) return; // stdTTL: 0 is an explicit choice of per-entry TTLs; set() calls are checked instead
    obj = a;
  }
  stateOf(ctx).nodeCaches.push({ newExpr: node, receiver: receiverOf(node), obj, sets: 0, setsWithoutTtl: 0 });
}

function reportNodeCache(ctx: RuleContext, c: NodeCacheCandidate): void {
  if (c.sets > 0 && c.setsWithoutTtl === 0) return; // every set() passes its own TTL
  const ttl = ctx.config.cacheTtlSeconds;
  const node = c.newExpr;
  const fix: Fix = c.obj
    ? { title: `Add stdTTL: ${ttl}`, edits: [insertProperty(ctx, c.obj, `stdTTL: ${ttl}`)], isPreferred: true, safe: true }
    : {
      title: `Add { stdTTL: ${ttl} }`,
      edits: [node.arguments === undefined
        ? { start: node.expression.getEnd(), end: node.expression.getEnd(), newText: `({ stdTTL: ${ttl} })` }
        : appendArguments(ctx, node, [`{ stdTTL: ${ttl} }`])],
      isPreferred: true,
      safe: true,
    };
  ctx.report({
    node: node.expression,
    message: `NodeCache without stdTTL or maxKeys keeps every entry forever${c.setsWithoutTtl ? ` (${c.setsWithoutTtl} set() call${c.setsWithoutTtl === 1 ? '' : 's'} here pass no TTL)` : ''}: memory grows with every distinct key and stale data is served forever. Add a default TTL (${ttl} s from failpath.cacheTtlSeconds).`,
    fixes: [fix],
  });
}

// ---- module-level Map caches ------------------------------------------------------------------

function collectMapCandidates(ctx: RuleContext): Map<string, MapCandidate> {
  const out = new Map<string, MapCandidate>();
  for (const st of ctx.sourceFile.statements) {
    if (!ts.isVariableStatement(st) || hasModifier(st, ts.SyntaxKind.ExportKeyword)) continue;
    for (const d of st.declarationList.declarations) {
      if (!ts.isIdentifier(d.name) || !d.initializer || !CACHE_NAME.test(d.name.text)) continue;
      const init = skipOuter(d.initializer);
      if (!ts.isNewExpression(init) || !ts.isIdentifier(init.expression) || init.expression.text !== 'Map') continue;
      if (ctx.facts.bindings.has('Map')) continue;
      out.set(d.name.text, { decl: d, name: d.name.text, newExpr: init, growsPerIdentity: false, bounded: false });
    }
  }
  return out;
}

function noteMapUse(id: ts.Identifier, ctx: RuleContext): void {
  const s = stateOf(ctx);
  const c = s.maps.get(id.text);
  if (!c || id === c.decl.name) return;
  const p = id.parent;
  if (ts.isPropertyAccessExpression(p) && p.expression === id) {
    const m = p.name.text;
    if (MAP_SHRINKS.has(m)) { c.bounded = true; return; }
    if (m === 'set' && ts.isCallExpression(p.parent) && p.parent.expression === p) {
      const key = p.parent.arguments[0];
      if (key && enclosingFunction(p) && namesIdentity(key)) c.growsPerIdentity = true;
      return;
    }
    if (MAP_READS.has(m)) return;
  }
  if ((ts.isPropertyAccessExpression(p) && p.name === id) || (ts.isPropertyAssignment(p) && p.name === id)) return; // obj.cache: another name
  c.bounded = true; // passed on, returned, reassigned, iterated: someone else may bound it
}

/** Does a key expression name an identity (`id`, `user.email`, `\`${url}:${token}\``)? Small and local. */
function namesIdentity(key: ts.Expression): boolean {
  let found = false;
  let budget = 50;
  const visit = (n: ts.Node): void => {
    if (found || --budget < 0) return;
    if (ts.isIdentifier(n) && IDENTITY_KEY.test(n.text)) { found = true; return; }
    ts.forEachChild(n, visit);
  };
  visit(key);
  return found;
}

function lruReplacement(ctx: RuleContext, c: MapCandidate): Fix | undefined {
  if (!hasDependency(ctx.project, 'lru-cache')) return undefined;
  const major = dependencyMajor(ctx.project, 'lru-cache');
  if (major !== undefined && major < 7) return undefined;
  const targs = c.newExpr.typeArguments;
  if (targs && targs.some((t) => /\b(undefined|null|unknown|void)\b/.test(t.getText(ctx.sourceFile)))) return undefined; // LRUCache needs non-nullish K, V
  if (!targs && c.decl.type) return undefined; // `const cache: Map<K, V> = new Map()` would need its annotation changed
  const sf = ctx.sourceFile;
  const named = major === undefined || major >= 10;
  const local = named ? 'LRUCache' : 'LRU';
  if (ctx.facts.moduleNames.has(local) && ctx.facts.bindings.get(local)?.module !== 'lru-cache') return undefined;
  const max = Number(ctx.options.maxEntries ?? 1000);
  const ttlMs = ctx.config.cacheTtlSeconds * 1000;
  const typeText = targs ? `<${targs.map((t) => t.getText(sf)).join(', ')}>` : '';
  const edits: TextEdit[] = [{ start: c.newExpr.getStart(sf), end: c.newExpr.getEnd(), newText: `new ${local}${typeText}({ max: ${max}, ttl: ${ttlMs} })` }];
  const imp = addImport(ctx, named ? { module: 'lru-cache', named: 'LRUCache' } : { module: 'lru-cache', default: 'LRU' });
  if (imp) edits.push(imp);
  return { title: `Replace the Map with ${local} from lru-cache (max ${max}, ttl ${ttlMs} ms)`, edits, isPreferred: true };
}

// ---- the rule ---------------------------------------------------------------------------------

export const cacheWithoutTtl = defineRule({
  id: 'cache-without-ttl',
  checklist: 'scale',
  severity: 'warning',
  summary: 'Cache entries written without a TTL or bound never expire: memory grows until the process or Redis runs out, and stale data is served forever.',
  fixable: true,
  fileKinds: ['server'],
  defaultOptions: { maxEntries: 1000 },
  visit: {
    CallExpression(call, ctx) {
      const callee = call.expression;
      if (!ts.isPropertyAccessExpression(callee)) return;
      const method = callee.name.text.toLowerCase();
      const s = stateOf(ctx);
      if (READ_METHODS.has(method)) {
        s.reads.push({ scope: scopeOf(call), key: call.arguments[0]?.getText(ctx.sourceFile), at: call.getStart(ctx.sourceFile) });
        return;
      }
      if (EXPIRE_METHODS.has(method)) {
        // any receiver counts (pipelines, multi chains, wrappers): silence is the safe side
        s.expires.push({ scope: scopeOf(call), key: call.arguments[0]?.getText(ctx.sourceFile) });
        return;
      }
      if (method === 'set' && s.usesNodeCache) {
        // matched to NodeCache instances by receiver in finish() (a method may precede the field)
        const ttl = call.arguments[2];
        s.nodeCacheSets.push({ receiver: callee.expression.getText(ctx.sourceFile), hasTtl: !!ttl && !(ts.isNumericLiteral(skipOuter(ttl)) && skipOuter(ttl).getText() === '0') });
      }
      if (method !== 'set' && method !== 'setnx' && !HASH_WRITES.has(method) && !MULTI_WRITES.has(method)) return;
      const r = ctx.facts.resolveCall(call);
      if (!r || !r.instance || r.path.length !== 1 || (r.module !== 'ioredis' && r.module !== 'redis')) return;
      if (method === 'set') checkRedisSet(call, callee.expression, r.module, ctx);
      else checkRedisHashOrMulti(call, callee.expression, method, ctx);
    },
    NewExpression(node, ctx) {
      const r = ctx.facts.resolveCall(node);
      if (!r || r.instance) return;
      if (r.module === 'lru-cache' && (r.path.length === 0 || (r.path.length === 1 && (r.path[0] === 'LRUCache' || r.path[0] === 'default')))) checkLruCache(node, ctx);
      else if (r.module === 'node-cache' && r.path.length === 0) noteNodeCache(node, ctx);
    },
    Identifier(id, ctx) {
      const s = stateOf(ctx);
      if (s.maps.size && s.maps.has(id.text)) noteMapUse(id, ctx);
    },
  },
  finish(ctx) {
    const s = states.get(ctx);
    if (!s) return;
    states.delete(ctx);
    for (const w of s.writes) {
      const expired = s.expires.some((e) => e.scope === w.scope && (w.key === undefined || e.key === w.key));
      if (expired || s.ttlScopes.has(w.scope) || deliberateNoTtl(w.call)) continue;
      // cache-aside: the same key is read first, then filled
      const readThrough = w.key !== undefined && s.reads.some((r) => r.scope === w.scope && r.key === w.key && r.at < w.call.getStart(ctx.sourceFile));
      if (w.named || readThrough) ctx.report({ node: w.call.expression, message: w.message, fixes: w.fixes });
    }
    for (const c of s.nodeCaches) {
      for (const set of s.nodeCacheSets) {
        if (set.receiver !== c.receiver) continue;
        c.sets++;
        if (!set.hasTtl) c.setsWithoutTtl++;
      }
      reportNodeCache(ctx, c);
    }
    for (const c of s.maps.values()) {
      if (!c.growsPerIdentity || c.bounded) continue;
      const fix = lruReplacement(ctx, c);
      ctx.report({
        node: c.decl.name,
        message: `Module-level Map "${c.name}" is used as a cache but only ever grows: nothing in this file deletes or clears entries, so every distinct key stays in memory for the life of the process. Bound it (an LRU with max/ttl) or evict entries.`,
        fixes: fix ? [fix] : [],
      });
    }
  },
});
