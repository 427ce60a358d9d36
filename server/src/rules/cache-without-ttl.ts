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
 *
 * The commands (SET's TTL tokens and options, expire, hash/multi writes, fill reads), SET's TTL
 * form per client version and the in-process caches' bounds, TTL options and imports come from
 * the knowledge table (`cacheOf`, REDIS_COMMANDS).
 *
 * Not findings (issue 14): a Map whose entries carry their own expiry (`{ value, expiresAt }`
 * written, or an expiry field compared on read), and a key whose TTL is set elsewhere — an
 * `expire` on the same key in another function, or a TTL helper (`setTtl(key)`, `refreshExpiry`)
 * called on it in the same function. A key computed in the function (`const key = policyKey(policy)`)
 * is judged by its inputs (a config-keyed memo is bounded); a NodeCache returned by a factory is
 * judged by the writes this file makes to what the factory returns, and left alone without any.
 */
import ts = require('typescript');
import { createRule, type Fix, type RuleContextV2, type TextEdit } from '../engine/types';
import { skipOuter, hasModifier } from '../engine/facts';
import { enclosingFunction, enclosingStatement, findProperty, functionName, hasSpread, isFunctionLike, lineIndentAt, propertyName, type FunctionLike } from '../engine/ast';
import { addImport, insertProperty, appendArguments } from '../fixes/edits';
import { dependencyView } from '../engine/dependencies';
import { quoteString, semi } from '../engine/style';
import { KNOWLEDGE, LIB, REDIS_COMMANDS, type CacheFacet } from '../knowledge';

const lower = (xs: readonly string[]) => new Set(xs.map((x) => x.toLowerCase()));
const TTL_TOKENS = new Set(REDIS_COMMANDS.ttlTokens);
const EXPIRE_METHODS = lower(REDIS_COMMANDS.expire);
const READ_METHODS = lower(REDIS_COMMANDS.fillReads);
const SET_METHODS = lower(REDIS_COMMANDS.set);
const SET_IF_ABSENT = lower(REDIS_COMMANDS.setIfAbsent);
const HASH_WRITES = lower(REDIS_COMMANDS.hashWrites);
const MULTI_WRITES = lower(REDIS_COMMANDS.multiWrites);
/** cache, caching, cached, memo, memoize — not memory. */
const CACHE_NAME = /cach|memo(?!ry)/i;
const MAP_READS = new Set(['get', 'has', 'size', 'forEach', 'keys', 'values', 'entries']);
const MAP_SHRINKS = new Set(['delete', 'clear']);
/** Key names that say one entry per user/request/entity (unbounded), not per config or type. */
const IDENTITY_KEY = /(id|ids|uuid|guid|url|uri|href|token|ip|email|session|user|hash|query|sql|request|req|body|input|text|content|address|phone|key)$/i;
/** A field that says an entry carries its own expiry (`{ value, expiresAt }`, checked on read). */
const EXPIRY_FIELD = /^(expires?(at|on|in)?|expir(y|ation|esat)|expireat|ttl|validuntil|staleat|staleafter|until|deadline|invalidateat)$/i;
/** A function that sets a key's TTL on its own (`setTtl(key)`, `this.refreshExpiry(key)`, node-cache `cache.ttl(key, s)`). */
const TTL_HELPER = /(^|[a-z_])(ttl|expir)/i;

/** A Redis write without a TTL, kept until the end of the file knows whether an `expire` follows. */
interface RedisWrite {
  call: ts.CallExpression;
  scope: ts.Node;
  /** Key text, or undefined for mset (any expire in the scope then counts). */
  key?: string;
  /** The key, receiver, function, class or file name says cache/memo. */
  named: boolean;
  messageId: 'redisSet' | 'multiWrite' | 'setIfAbsent' | 'hashWrite';
  data: Record<string, string | number>;
  fix?: () => Fix[];
}

interface MapCandidate {
  decl: ts.VariableDeclaration;
  name: string;
  newExpr: ts.NewExpression;
  /** Entries are added inside functions under identity-like keys (ids, urls, tokens…). */
  growsPerIdentity: boolean;
  bounded: boolean;
  /** Entries carry their own expiry (an expiry field written with the value). */
  selfExpiring: boolean;
  /** Functions that read the map (an expiry field compared there makes it self-expiring). */
  readers: Set<ts.Node>;
}

interface NodeCacheCandidate {
  newExpr: ts.NewExpression;
  receiver?: string;
  obj?: ts.ObjectLiteralExpression;
  sets: number;
  setsWithoutTtl: number;
  facet: CacheFacet;
}

type Ctx = RuleContextV2<string>;
type EditContext = Parameters<typeof insertProperty>[0];
const edit = (ctx: Ctx) => ctx as unknown as EditContext; // the edit helpers read sourceFile, text, style and facts only

/** `return new X()` / `() => new X()`: the value leaves the function without a name in this file. */
function returnedUnnamed(expr: ts.Expression): boolean {
  let n: ts.Node = expr;
  while (n.parent && (ts.isParenthesizedExpression(n.parent) || ts.isAsExpression(n.parent) || ts.isSatisfiesExpression(n.parent))) n = n.parent;
  const p = n.parent;
  return !!p && (ts.isReturnStatement(p) || (ts.isArrowFunction(p) && p.body === n));
}

/** The function a returned cache comes from, by name (`makeCache` for `function makeCache() { return new NodeCache() }`). */
function factoryName(expr: ts.Expression): string | undefined {
  const fn = enclosingFunction(expr);
  return fn && functionName(fn);
}

/** Variables of the file by the name of the function whose call initialises them: `const cache = makeCache()` → makeCache → {cache}. Read once. */
function callResults(sf: ts.SourceFile): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const visit = (n: ts.Node): void => {
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.initializer) {
      let init = skipOuter(n.initializer);
      if (ts.isAwaitExpression(init)) init = skipOuter(init.expression);
      if (ts.isCallExpression(init)) {
        const callee = skipOuter(init.expression);
        const called = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
        if (called) out.set(called, (out.get(called) ?? new Set()).add(n.name.text));
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
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

/**
 * Is this write a cache write by its names? Redis is also a database (registries, counters,
 * stores meant to persist), so a write without TTL is only a finding when something says cache:
 * the key, the client's name, the enclosing function or class, or the file.
 */
function namedAsCache(call: ts.CallExpression, receiver: ts.Expression, ctx: Ctx): boolean {
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

/** Does a key expression name an identity (`id`, `user.email`, `\`${url}:${token}\``)? Small and local. */
function namesIdentity(key: ts.Expression): boolean {
  let found = false;
  let budget = 50;
  const fn = enclosingFunction(key);
  const followed = new Set<string>();
  const visit = (n: ts.Node): void => {
    if (found || --budget < 0) return;
    if (ts.isIdentifier(n)) {
      // a key computed in this function (`const key = cacheKeyOf(policy)`): judged by what it is built from
      const init = fn && !followed.has(n.text) ? localConstInit(fn, n.text) : undefined;
      if (init) { followed.add(n.text); visit(init); return; }
      if (IDENTITY_KEY.test(n.text)) found = true;
      return;
    }
    // the name of the function that builds the key (`policyCacheKey(policy)`) says nothing about its inputs
    if (ts.isCallExpression(n)) {
      const callee = skipOuter(n.expression);
      if (ts.isPropertyAccessExpression(callee)) visit(callee.expression);
      else if (!ts.isIdentifier(callee)) visit(callee);
      n.arguments.forEach(visit);
      return;
    }
    ts.forEachChild(n, visit);
  };
  visit(key);
  return found;
}

/** The initializer of a `const name = …` declared directly in `fn`'s body (not a parameter). */
function localConstInit(fn: FunctionLike, name: string): ts.Expression | undefined {
  const body = fn.body;
  if (!body || !ts.isBlock(body)) return undefined;
  for (const st of body.statements) {
    if (!ts.isVariableStatement(st) || !(st.declarationList.flags & ts.NodeFlags.Const)) continue;
    for (const d of st.declarationList.declarations) if (ts.isIdentifier(d.name) && d.name.text === name && d.initializer) return d.initializer;
  }
  return undefined;
}

/** A value written with its own expiry: `{ value, expiresAt: Date.now() + ttl }`. */
function carriesExpiry(value: ts.Expression | undefined): boolean {
  const v = value && skipOuter(value);
  if (!v || !ts.isObjectLiteralExpression(v)) return false;
  return v.properties.some((p) => p.name !== undefined && EXPIRY_FIELD.test(propertyName(p.name) ?? ''));
}

/** In `scope`, an expiry field compared (`entry.expiresAt < Date.now()`, `Date.now() > hit.ttl`). Bounded walk. */
function comparesExpiry(scope: ts.Node): boolean {
  const stack: ts.Node[] = [scope];
  let budget = 5000;
  while (stack.length && --budget > 0) {
    const n = stack.pop()!;
    if (ts.isBinaryExpression(n) && [ts.SyntaxKind.LessThanToken, ts.SyntaxKind.LessThanEqualsToken, ts.SyntaxKind.GreaterThanToken, ts.SyntaxKind.GreaterThanEqualsToken].includes(n.operatorToken.kind)) {
      const side = (e: ts.Expression) => { const x = skipOuter(e); return (ts.isPropertyAccessExpression(x) && EXPIRY_FIELD.test(x.name.text)) || (ts.isIdentifier(x) && EXPIRY_FIELD.test(x.text)); };
      if (side(n.left) || side(n.right)) return true;
    }
    ts.forEachChild(n, (c) => { stack.push(c); });
  }
  return false;
}

/** The name of a called function or method (`setTtl`, `this.cache.refreshExpiry`). */
function calleeName(call: ts.CallExpression): string | undefined {
  const e = skipOuter(call.expression);
  return ts.isIdentifier(e) ? e.text : ts.isPropertyAccessExpression(e) ? e.name.text : undefined;
}

// ---- the rule ---------------------------------------------------------------------------------

export const cacheWithoutTtl = createRule({
  meta: {
    id: 'cache-without-ttl',
    checklist: 'scale',
    severity: 'warning',
    summary: 'Cache entries written without a TTL or bound never expire: memory grows until the process or Redis runs out, and stale data is served forever.',
    fixable: true,
    fileKinds: ['server'],
    messages: {
      redisSet: '{{call}}() stores the key without a TTL: it never expires, so the cache serves stale data forever and Redis memory grows until eviction or OOM. Add an expiry ({{how}}; {{ttl}} s from failpath.cacheTtlSeconds).',
      multiWrite: "{{call}}() cannot set a TTL, and no expire follows: these keys never expire. Write them with set(key, value, 'EX', {{ttl}}) in a pipeline/multi instead.",
      setIfAbsent: "{{call}}() cannot set a TTL, and no expire follows: the key never expires (and if it guards work, a crash leaves it held forever). Use set(key, value, 'EX', {{ttl}}, 'NX') (note: it returns 'OK'/null, not 1/0).",
      hashWrite: '{{call}}() writes a hash with no expire on the key in this function: it never expires, so stale data is served forever and Redis memory only grows. Follow it with expire(key, {{ttl}}).',
      unboundedLru: 'This LRU cache has neither {{bounds}}: it holds every entry forever, so memory grows with every distinct key. Bound it ({{size}} {{max}} entries, {{ttlOption}} {{ttlMs}} ms from failpath.cacheTtlSeconds).',
      unboundedNodeCache: '{{label}} without {{bounds}} keeps every entry forever{{sets}}: memory grows with every distinct key and stale data is served forever. Add a default TTL ({{ttl}} s from failpath.cacheTtlSeconds).',
      growingMap: 'Module-level Map "{{name}}" is used as a cache but only ever grows: nothing in this file deletes or clears entries, so every distinct key stays in memory for the life of the process. Bound it (an LRU with max/ttl) or evict entries.',
    },
    options: {
      type: 'object',
      properties: { maxEntries: { type: 'integer', minimum: 1, description: 'The size bound a fix gives an in-process cache.' } },
      additionalProperties: false,
    },
  },
  defaultOptions: { maxEntries: 1000 },
  create(ctx, options) {
    const sf = ctx.sourceFile;
    const deps = dependencyView(ctx.project);
    const ttl = ctx.config.cacheTtlSeconds;
    const max = Number(options.maxEntries ?? 1000);
    const writes: RedisWrite[] = [];
    const expires: { scope: ts.Node; key?: string }[] = [];
    const ttlHelpers: { scope: ts.Node; args: string[] }[] = [];
    const reads: { scope: ts.Node; key?: string; at: number }[] = [];
    /** Functions that also write with a TTL: a TTL-less write there is a deliberate branch. */
    const ttlScopes = new Set<ts.Node>();
    const ttlKeys = new Set<string>();
    const maps = collectMapCandidates();
    const nodeCaches: NodeCacheCandidate[] = [];
    const nodeCacheSets: { receiver: string; hasTtl: boolean }[] = [];
    let nodeCacheFacet: CacheFacet | undefined;
    for (const b of ctx.facts.bindings.values()) {
      const c = KNOWLEDGE.cacheOf(b.module, deps);
      if (c?.setTtlArgument !== undefined) nodeCacheFacet = c;
    }

    function collectMapCandidates(): Map<string, MapCandidate> {
      const out = new Map<string, MapCandidate>();
      for (const st of sf.statements) {
        if (!ts.isVariableStatement(st) || hasModifier(st, ts.SyntaxKind.ExportKeyword)) continue;
        for (const d of st.declarationList.declarations) {
          if (!ts.isIdentifier(d.name) || !d.initializer || !CACHE_NAME.test(d.name.text)) continue;
          const init = skipOuter(d.initializer);
          if (!ts.isNewExpression(init) || !ts.isIdentifier(init.expression) || init.expression.text !== 'Map') continue;
          if (ctx.facts.bindings.has('Map')) continue;
          out.set(d.name.text, { decl: d, name: d.name.text, newExpr: init, growsPerIdentity: false, bounded: false, selfExpiring: false, readers: new Set() });
        }
      }
      return out;
    }

    // ---- Redis ----------------------------------------------------------------------------------

    function checkRedisSet(call: ts.CallExpression, receiver: ts.Expression, facet: CacheFacet): void {
      const args = call.arguments;
      if (args.length < 2 || args.some((a) => ts.isSpreadElement(a))) return;
      let positional = facet.setTtl !== 'options';
      let obj: ts.ObjectLiteralExpression | undefined;
      const ttlOptions = facet.redis?.ttlOptions ?? [];
      for (let i = 2; i < args.length; i++) {
        const a = skipOuter(args[i]);
        const token = literalString(a);
        if (token !== undefined) {
          if (TTL_TOKENS.has(token.toUpperCase())) { ttlScopes.add(scopeOf(call)); ttlKeys.add(args[0].getText(sf)); return; }
          positional = true; // 'NX' / 'XX' / 'GET'
          continue;
        }
        if (ts.isObjectLiteralExpression(a) && i === 2) {
          if (hasSpread(a) || ttlOptions.some((k) => findProperty(a, k))) { ttlScopes.add(scopeOf(call)); ttlKeys.add(args[0].getText(sf)); return; }
          obj = a;
          continue;
        }
        if ((ts.isArrowFunction(a) || ts.isFunctionExpression(a)) && i === args.length - 1) continue; // callback
        return; // a mode/TTL held in a variable: cannot see it
      }
      const how = obj ? `EX: ${ttl}` : positional ? `'EX', ${ttl}` : `{ EX: ${ttl} }`;
      const fix = (): Fix[] => {
        if (obj) return [{ title: `Add EX: ${ttl}`, edits: [insertProperty(edit(ctx), obj, `EX: ${ttl}`)], isPreferred: true, safe: true }];
        if (positional) {
          const at = args[1].getEnd();
          return [{ title: `Add 'EX', ${ttl}`, edits: [{ start: at, end: at, newText: `, ${quoteString(ctx.style, 'EX')}, ${ttl}` }], isPreferred: true, safe: true }];
        }
        return [{ title: `Add { EX: ${ttl} }`, edits: [appendArguments(edit(ctx), call, [`{ EX: ${ttl} }`])], isPreferred: true, safe: true }];
      };
      writes.push({
        call, scope: scopeOf(call), key: args[0].getText(sf), named: namedAsCache(call, receiver, ctx),
        messageId: 'redisSet', data: { call: `${receiver.getText(sf)}.set`, how, ttl }, fix,
      });
    }

    function checkRedisHashOrMulti(call: ts.CallExpression, receiver: ts.Expression, method: string): void {
      const args = call.arguments;
      if (args.length < 1 || args.some((a) => ts.isSpreadElement(a))) return;
      const name = `${receiver.getText(sf)}.${(call.expression as ts.PropertyAccessExpression).name.text}`;
      const named = namedAsCache(call, receiver, ctx);
      if (MULTI_WRITES.has(method)) {
        writes.push({ call, scope: scopeOf(call), named, messageId: 'multiWrite', data: { call: name, ttl } });
        return;
      }
      if (SET_IF_ABSENT.has(method)) {
        writes.push({ call, scope: scopeOf(call), key: args[0].getText(sf), named, messageId: 'setIfAbsent', data: { call: name, ttl } });
        return;
      }
      // hset & co: the fix adds `await <receiver>.expire(key, ttl)` after an awaited statement
      const st = enclosingStatement(call);
      const parent = call.parent;
      const fixable = !!st && ts.isExpressionStatement(st) && ts.isAwaitExpression(parent) && st.expression === parent && isPure(args[0]);
      const expire = REDIS_COMMANDS.expire[0];
      writes.push({
        call, scope: scopeOf(call), key: args[0].getText(sf), named, messageId: 'hashWrite', data: { call: name, ttl },
        ...(fixable ? {
          fix: (): Fix[] => {
            const indent = lineIndentAt(ctx.text, st!.getStart(sf));
            const line = `await ${receiver.getText(sf)}.${expire}(${args[0].getText(sf)}, ${ttl})${semi(ctx.style)}`;
            const e: TextEdit = { start: st!.getEnd(), end: st!.getEnd(), newText: `${ctx.style.eol}${indent}${line}` };
            return [{ title: `Add ${line.replace(/;$/, '')} after it`, edits: [e], isPreferred: true, safe: true }];
          },
        } : {}),
      });
    }

    // ---- lru-cache / node-cache -----------------------------------------------------------------

    function checkLruCache(node: ts.NewExpression, facet: CacheFacet): void {
      const args = node.arguments ?? ts.factory.createNodeArray<ts.Expression>();
      if (args.length > 1) return;
      const ttlMs = ttl * (facet.ttlOption?.unit === 's' ? 1 : 1000);
      const ttlOption = facet.ttlOption?.name ?? 'ttl';
      const size = facet.sizeOption ?? 'max';
      const props = `${size}: ${max}, ${ttlOption}: ${ttlMs}`;
      const data = { bounds: `${size}, maxSize nor ${ttlOption}`, size, max, ttlOption, ttlMs };
      const a = args[0] && skipOuter(args[0]);
      if (!a) {
        ctx.report({
          node: node.expression, messageId: 'unboundedLru', data,
          fix: () => [{
            title: `Add { ${props} }`,
            edits: [node.arguments === undefined
              ? { start: node.expression.getEnd(), end: node.expression.getEnd(), newText: `({ ${props} })` }
              : appendArguments(edit(ctx), node, [`{ ${props} }`])],
            isPreferred: true, safe: true,
          }],
        });
        return;
      }
      if (!ts.isObjectLiteralExpression(a) || hasSpread(a)) return; // new LRU(500) is max; a variable we cannot see
      if ((facet.boundOptions ?? []).some((k) => findProperty(a, k))) return;
      ctx.report({ node: node.expression, messageId: 'unboundedLru', data, fix: () => [{ title: `Add ${props}`, edits: [insertProperty(edit(ctx), a, props)], isPreferred: true, safe: true }] });
    }

    function noteNodeCache(node: ts.NewExpression, facet: CacheFacet): void {
      const args = node.arguments ?? ts.factory.createNodeArray<ts.Expression>();
      if (args.length > 1) return;
      const a = args[0] && skipOuter(args[0]);
      let obj: ts.ObjectLiteralExpression | undefined;
      if (a) {
        if (!ts.isObjectLiteralExpression(a) || hasSpread(a)) return;
        const unbounded = facet.unboundedValues ?? {};
        let explicitNoTtl = false;
        for (const option of facet.boundOptions ?? []) {
          const p = findProperty(a, option);
          if (!p) continue;
          if (!(ts.isPropertyAssignment(p) && skipOuter(p.initializer).getText(sf) === unbounded[option])) return;
          if (option === facet.ttlOption?.name) explicitNoTtl = true;
        }
        if (explicitNoTtl) return; // stdTTL: 0 is an explicit choice of per-entry TTLs; set() calls are checked instead
        obj = a;
      }
      nodeCaches.push({ newExpr: node, receiver: receiverOf(node), ...(obj ? { obj } : {}), sets: 0, setsWithoutTtl: 0, facet });
    }

    function reportNodeCache(c: NodeCacheCandidate): void {
      if (c.sets > 0 && c.setsWithoutTtl === 0) return; // every set() passes its own TTL
      // a factory that returns the cache (`init() { return new NodeCache() }`): its callers own the
      // writes, which may each pass a TTL; unless this file keeps one and writes to it, none is visible to judge by
      if (c.sets === 0 && c.receiver === undefined && returnedUnnamed(c.newExpr)) return;
      const node = c.newExpr;
      const option = c.facet.ttlOption?.name ?? 'stdTTL';
      const prop = `${option}: ${ttl}`;
      const bounds = (c.facet.boundOptions ?? [option]).join(' or ');
      const sets = c.setsWithoutTtl ? ` (${c.setsWithoutTtl} set() call${c.setsWithoutTtl === 1 ? '' : 's'} here pass no TTL)` : '';
      ctx.report({
        node: node.expression, messageId: 'unboundedNodeCache', data: { label: node.expression.getText(sf), bounds, sets, ttl },
        fix: () => [c.obj
          ? { title: `Add ${prop}`, edits: [insertProperty(edit(ctx), c.obj, prop)], isPreferred: true, safe: true }
          : {
            title: `Add { ${prop} }`,
            edits: [node.arguments === undefined
              ? { start: node.expression.getEnd(), end: node.expression.getEnd(), newText: `({ ${prop} })` }
              : appendArguments(edit(ctx), node, [`{ ${prop} }`])],
            isPreferred: true,
            safe: true,
          }],
      });
    }

    // ---- module-level Map caches ----------------------------------------------------------------

    function noteMapUse(id: ts.Identifier): void {
      const c = maps.get(id.text);
      if (!c || id === c.decl.name) return;
      const p = id.parent;
      if (ts.isPropertyAccessExpression(p) && p.expression === id) {
        const m = p.name.text;
        if (MAP_SHRINKS.has(m)) { c.bounded = true; return; }
        if (m === 'set' && ts.isCallExpression(p.parent) && p.parent.expression === p) {
          const key = p.parent.arguments[0];
          if (key && enclosingFunction(p) && namesIdentity(key)) c.growsPerIdentity = true;
          if (carriesExpiry(p.parent.arguments[1])) c.selfExpiring = true;
          return;
        }
        if (MAP_READS.has(m)) {
          if (m === 'get') c.readers.add(scopeOf(p));
          return;
        }
      }
      if ((ts.isPropertyAccessExpression(p) && p.name === id) || (ts.isPropertyAssignment(p) && p.name === id)) return; // obj.cache: another name
      c.bounded = true; // passed on, returned, reassigned, iterated: someone else may bound it
    }

    /** Whether the Map can become an LRUCache (lru-cache ≥ 7 installed, types that fit, no name clash); decided without building text. */
    function lruPlan(c: MapCandidate) {
      const module = KNOWLEDGE.usedModule(KNOWLEDGE.lib(LIB.lruCache), deps);
      if (!module) return undefined;
      const facet = KNOWLEDGE.cacheOf(module, deps);
      if (!facet?.import || facet.ttlOption?.name !== 'ttl') return undefined; // before v7 (maxAge): not offered
      const targs = c.newExpr.typeArguments;
      if (targs && targs.some((t) => /\b(undefined|null|unknown|void)\b/.test(t.getText(sf)))) return undefined; // LRUCache needs non-nullish K, V
      if (!targs && c.decl.type) return undefined; // `const cache: Map<K, V> = new Map()` would need its annotation changed
      const imp = facet.import;
      if (ctx.facts.moduleNames.has(imp.binding) && ctx.facts.bindings.get(imp.binding)?.module !== imp.module) return undefined;
      return { imp, size: facet.sizeOption ?? 'max', targs };
    }

    function lruReplacement(c: MapCandidate, plan: NonNullable<ReturnType<typeof lruPlan>>): Fix {
      const { imp, size, targs } = plan;
      const local = imp.binding;
      const ttlMs = ttl * 1000;
      const typeText = targs ? `<${targs.map((t) => t.getText(sf)).join(', ')}>` : '';
      const edits: TextEdit[] = [{ start: c.newExpr.getStart(sf), end: c.newExpr.getEnd(), newText: `new ${local}${typeText}({ ${size}: ${max}, ttl: ${ttlMs} })` }];
      const added = addImport(edit(ctx), imp.kind === 'named' ? { module: imp.module, named: local } : { module: imp.module, default: local });
      if (added) edits.push(added);
      return { title: `Replace the Map with ${local} from ${imp.module} (max ${max}, ttl ${ttlMs} ms)`, edits, isPreferred: true };
    }

    return {
      CallExpression(call) {
        const callee = call.expression;
        const helper = calleeName(call);
        if (helper && TTL_HELPER.test(helper) && !EXPIRE_METHODS.has(helper.toLowerCase())) {
          // a TTL set by a helper on the key (`await setTtl(key)`, `cache.ttl(key, 60)`)
          ttlHelpers.push({ scope: scopeOf(call), args: call.arguments.map((a) => a.getText(sf)) });
        }
        if (!ts.isPropertyAccessExpression(callee)) return;
        const method = callee.name.text.toLowerCase();
        if (READ_METHODS.has(method)) {
          reads.push({ scope: scopeOf(call), key: call.arguments[0]?.getText(sf), at: call.getStart(sf) });
          return;
        }
        if (EXPIRE_METHODS.has(method)) {
          // any receiver counts (pipelines, multi chains, wrappers): silence is the safe side
          expires.push({ scope: scopeOf(call), key: call.arguments[0]?.getText(sf) });
          return;
        }
        if (SET_METHODS.has(method) && nodeCacheFacet?.setTtlArgument !== undefined) {
          // matched to node-cache instances by receiver at the end (a method may precede the field)
          const t = call.arguments[nodeCacheFacet.setTtlArgument];
          nodeCacheSets.push({ receiver: callee.expression.getText(sf), hasTtl: !!t && !(ts.isNumericLiteral(skipOuter(t)) && skipOuter(t).getText(sf) === '0') });
        }
        if (!SET_METHODS.has(method) && !SET_IF_ABSENT.has(method) && !HASH_WRITES.has(method) && !MULTI_WRITES.has(method)) return;
        const r = ctx.facts.resolveCall(call);
        if (!r || !r.instance || r.path.length !== 1) return;
        const facet = KNOWLEDGE.cacheOf(r.module, deps);
        if (!facet?.redis) return;
        if (SET_METHODS.has(method)) checkRedisSet(call, callee.expression, facet);
        else checkRedisHashOrMulti(call, callee.expression, method);
      },
      NewExpression(node) {
        const r = ctx.facts.resolveCall(node);
        if (!r || r.instance) return;
        const facet = KNOWLEDGE.cacheOf(r.module, deps);
        if (!facet?.constructors?.some((c) => c.length === r.path.length && c.every((x, i) => x === r.path[i]))) return;
        if (facet.setTtlArgument !== undefined) noteNodeCache(node, facet);
        else checkLruCache(node, facet);
      },
      Identifier(id) {
        if (maps.size && maps.has(id.text)) noteMapUse(id);
      },
      'SourceFile:exit'() {
        for (const w of writes) {
          // a TTL set elsewhere: an expire on the same key anywhere in the file (another function, a
          // setter), a set with a TTL on the same key, or a TTL helper called on it here
          const expired = expires.some((e) => (w.key === undefined ? e.scope === w.scope : e.key === w.key)) ||
            (w.key !== undefined && ttlKeys.has(w.key)) ||
            ttlHelpers.some((h) => h.scope === w.scope && (w.key === undefined || h.args.includes(w.key)));
          if (expired || ttlScopes.has(w.scope) || deliberateNoTtl(w.call)) continue;
          // cache-aside: the same key is read first, then filled
          const readThrough = w.key !== undefined && reads.some((r) => r.scope === w.scope && r.key === w.key && r.at < w.call.getStart(sf));
          if (w.named || readThrough) ctx.report({ node: w.call.expression, messageId: w.messageId, data: w.data, ...(w.fix ? { fix: w.fix } : {}) });
        }
        let results: Map<string, Set<string>> | undefined;
        for (const c of nodeCaches) {
          // a factory's cache, kept in this file by `const cache = makeCache()`
          const factory = c.receiver === undefined && returnedUnnamed(c.newExpr) ? factoryName(c.newExpr) : undefined;
          const receivers = c.receiver !== undefined ? new Set([c.receiver]) : (factory && (results ??= callResults(sf)).get(factory)) || new Set<string>();
          for (const set of nodeCacheSets) {
            if (!receivers.has(set.receiver)) continue;
            c.sets++;
            if (!set.hasTtl) c.setsWithoutTtl++;
          }
          reportNodeCache(c);
        }
        for (const c of maps.values()) {
          if (!c.growsPerIdentity || c.bounded || c.selfExpiring) continue;
          // entries whose expiry is checked on read (`if (hit.expiresAt < Date.now())`) expire on their own
          if ([...c.readers].some(comparesExpiry)) continue;
          const plan = lruPlan(c);
          ctx.report({ node: c.decl.name, messageId: 'growingMap', data: { name: c.name }, ...(plan ? { fix: () => [lruReplacement(c, plan)] } : {}) });
        }
      },
    };
  },
});
