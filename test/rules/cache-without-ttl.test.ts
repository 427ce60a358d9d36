import { runRuleTests } from '../harness/ruleTester';
import { cacheWithoutTtl } from '../../server/src/rules/cache-without-ttl';

const IOREDIS = `import Redis from 'ioredis';\nconst redis = new Redis(process.env.REDIS_URL);\n`;
const NODE_REDIS = `import { createClient } from 'redis';\nconst client = createClient({ url });\n`;

runRuleTests(cacheWithoutTtl, {
  valid: [
    // issue 14: entries that carry their own expiry
    { name: 'expiresAt-style map: each entry is written with its expiry', code: `const tokenCache = new Map<string, { value: string; expiresAt: number }>();\nexport async function token(userId: string) {\n  const hit = tokenCache.get(userId);\n  if (hit && hit.expiresAt > Date.now()) return hit.value;\n  const value = await fetchToken(userId);\n  tokenCache.set(userId, { value, expiresAt: Date.now() + 60_000 });\n  return value;\n}` },
    { name: 'expiresAt-style map: the expiry is checked on read (entry built elsewhere)', code: `const sessionCache = new Map<string, Entry>();\nexport function session(id: string) {\n  const e = sessionCache.get(id);\n  if (e && Date.now() < e.expires) return e.data;\n  const fresh = load(id);\n  sessionCache.set(id, fresh);\n  return fresh.data;\n}` },
    // issue 14: the TTL is set elsewhere
    { name: 'TTL set elsewhere: expire on the same key in another function', code: `${IOREDIS}export async function cacheUser(key: string, user: string) {\n  const hit = await redis.get(key);\n  if (!hit) await redis.set(key, user);\n}\nexport async function touch(key: string) {\n  await redis.expire(key, 300);\n}` },
    { name: 'TTL set elsewhere: a set with a TTL on the same key in another call', code: `${IOREDIS}export async function warm(cacheKey: string, v: string) {\n  await redis.set(cacheKey, v, 'EX', 300);\n}\nexport async function replace(cacheKey: string, v: string) {\n  await redis.set(cacheKey, v, 'XX');\n}` },
    { name: 'TTL set elsewhere: a TTL helper called on the same key', code: `${IOREDIS}export async function cacheUser(id: string, user: string) {\n  const key = \`user-cache:\${id}\`;\n  await redis.set(key, user);\n  await setKeyTtl(key);\n}` },
    // ioredis with a TTL, in any of its positional forms
    `${IOREDIS}await redis.set(key, value, 'EX', 60);`,
    `${IOREDIS}await redis.set(key, value, 'PX', 1500, 'NX');`,
    `${IOREDIS}await redis.set(key, value, "KEEPTTL");`,
    `${IOREDIS}await redis.setex(key, 60, value);`,
    `${IOREDIS}await redis.set(key, value, mode, duration);`,
    `${IOREDIS}await redis.set(key, value, ...ttlArgs);`,
    // node-redis v4 options
    `${NODE_REDIS}await client.set(key, value, { EX: 300 });`,
    `${NODE_REDIS}await client.set(key, value, { PX: 100, NX: true });`,
    `${NODE_REDIS}await client.set(key, value, { expiration: { type: 'EX', value: 60 } });`,
    `${NODE_REDIS}await client.set(key, value, options);`,
    // a TTL set by expire on the same key in the same function
    `${IOREDIS}export async function save(key: string, v: string) {\n  await redis.set(key, v);\n  await redis.expire(key, 60);\n}`,
    `${IOREDIS}export async function save(key: string, fields: object) {\n  await redis.hset(key, fields);\n  await redis.expire(key, 3600);\n}`,
    `${NODE_REDIS}export async function save(key: string, fields: object) {\n  await client.hSet(key, fields);\n  await client.expireAt(key, tomorrow);\n}`,
    `${IOREDIS}export async function save(entries: string[]) {\n  await redis.mset(...entries);\n}`,
    // injected ioredis client with TTL
    `import { Redis } from 'ioredis';\nexport class Store {\n  constructor(private readonly redis: Redis) {}\n  put(k: string, v: string) { return this.redis.set(k, v, 'EX', this.ttl); }\n}`,
    // Redis used as a store, not a cache: no read-through, nothing named cache
    `${IOREDIS}export async function acquire(lockKey: string, owner: string) {\n  return redis.set(lockKey, owner, 'NX');\n}`,
    `import { Redis } from 'ioredis';\nexport class WorkerRegistry {\n  constructor(private readonly redis: Redis) {}\n  async add(id: string, specs: object) { await this.redis.hset('workers', id, JSON.stringify(specs)); }\n}`,
    `${IOREDIS}export async function checkpoint(id: string) {\n  await redis.set('last-processed-id', id);\n}`,
    `${IOREDIS}export async function memoryStats() {\n  await redis.set('stats:memory', String(process.memoryUsage().rss));\n}`,
    // a deliberate TTL-less branch next to a TTL write
    { name: 'ttl === Infinity branch (parse-server RedisCacheAdapter)', code: `import { createClient } from 'redis';\nexport class RedisCacheAdapter {\n  client = createClient();\n  async put(key: string, value: string, ttl = this.ttl) {\n    if (ttl === Infinity) {\n      return this.client.set(key, value);\n    }\n    return this.client.set(key, value, { PX: ttl });\n  }\n}` },
    `${IOREDIS}export async function cacheFor(key: string, v: string, seconds?: number) {\n  if (!seconds) return redis.set(key, v);\n  return redis.set(key, v, 'EX', seconds);\n}`,
    `${IOREDIS}export async function cacheSet(key: string, s: string, ttlSec = 60) {\n  if (ttlSec > 0) {\n    await redis.set(key, s, 'EX', ttlSec);\n  } else {\n    await redis.set(key, s);\n  }\n}`,
    { name: 'a read after the write is not a read-through fill', code: `${IOREDIS}await redis.set('foo', 'bar');\nconsole.log(await redis.get('foo'));` },
    // not a Redis client (Express settings, Maps, a project wrapper we cannot see)
    `import express from 'express';\nconst app = express();\napp.set('trust proxy', true);`,
    `import { redis } from './redis';\nawait redis.client.set(key, value);`,
    // bounded in-memory caches
    `import { LRUCache } from 'lru-cache';\nconst cache = new LRUCache<string, User>({ max: 500 });`,
    `import LRU from 'lru-cache';\nconst cache = new LRU({ maxAge: 60000 });`,
    `import LRU from 'lru-cache';\nconst cache = new LRU(500);`,
    `import NodeCache from 'node-cache';\nconst cache = new NodeCache({ stdTTL: 600, checkperiod: 120 });`,
    { name: 'NodeCache whose every set() passes a TTL', code: `import NodeCache from 'node-cache';\nconst cache = new NodeCache();\nexport const put = (k: string, v: unknown) => cache.set(k, v, 60);` },
    // Maps that are bounded, static, exported or not caches
    `const userCache = new Map<string, User>();\nexport function get(id: string) {\n  if (userCache.size > 1000) userCache.clear();\n  userCache.set(id, load(id));\n}`,
    `const cache = new Map<string, string>();\nexport function put(k: string, v: string) {\n  cache.set(k, v);\n  setTimeout(() => cache.delete(k), 60000);\n}`,
    `const handlerCache = new Map();\nhandlerCache.set('a', a);\nhandlerCache.set('b', b);`,
    `export const cache = new Map<string, string>();\nexport function put(k: string, v: string) { cache.set(k, v); }`,
    { name: 'memo keyed by a bounded domain (entry point names), not by identities', code: `const joinerConfigMapCache = new Map();\nexport function getJoinerConfig(entryPoint: string) {\n  if (joinerConfigMapCache.has(entryPoint)) return joinerConfigMapCache.get(entryPoint);\n  const cfg = build(entryPoint);\n  joinerConfigMapCache.set(entryPoint, cfg);\n  return cfg;\n}` },
    `const registry = new Map<string, Handler>();\nexport function register(name: string, h: Handler) { registry.set(name, h); }`,
    `let cache = new Map<string, string>();\nexport function put(k: string, v: string) { cache.set(k, v); }\nexport function reset() { cache = new Map(); }`,
    `const memo = new Map<string, number>();\nexport function f(k: string) { memo.set(k, 1); }\nregisterCache(memo);`,
    `const cache = new WeakMap<object, string>();\nexport function put(k: object, v: string) { cache.set(k, v); }`,
    // tests and browser code are out of scope
    { code: `${IOREDIS}await redis.set('k', 'v');`, filename: 'src/cache.test.ts' },
    { name: 'issue 14: a factory returning a NodeCache without stdTTL: its callers own the writes (and may pass their own TTL)', code: `const NodeCache = require('node-cache');\nmodule.exports = {\n  init() {\n    return new NodeCache();\n  },\n};\n`, filename: 'src/core/cache.js' },
    { name: 'issue 14: an arrow factory returning a NodeCache', code: `import NodeCache from 'node-cache';\nexport const createCache = () => new NodeCache({ checkperiod: 60 });\n` },
    { name: 'issue 14: memo keyed by a configuration object (one agent per configured policy), key built by a helper', code: `const agentCache = new Map<string, Agent>();\nexport function agentFor(policy: OutboundPolicy): Agent {\n  const key = policyCacheKey(policy);\n  let agent = agentCache.get(key);\n  if (!agent) {\n    agent = new Agent({ lookup: lookupFor(policy), keepAlive: true });\n    agentCache.set(key, agent);\n  }\n  return agent;\n}` },
  ],
  invalid: [
    {
      name: 'ioredis set without a TTL',
      code: `${IOREDIS}export async function cacheUser(id: string, user: object) {\n  await redis.set(\`user:\${id}\`, JSON.stringify(user));\n}\n`,
      errors: [{ line: 4, column: 9, endLine: 4, endColumn: 18, message: 'redis.set() stores the key without a TTL' }],
      output: `${IOREDIS}export async function cacheUser(id: string, user: object) {\n  await redis.set(\`user:\${id}\`, JSON.stringify(user), 'EX', 300);\n}\n`,
    },
    {
      name: 'ioredis NX cache fill without expiry',
      code: `${IOREDIS}const ok = await redis.set(cacheKey, body, 'NX');`,
      errors: [{ line: 3, column: 18 }],
      output: `${IOREDIS}const ok = await redis.set(cacheKey, body, 'EX', 300, 'NX');`,
    },
    {
      name: 'ioredis with a callback, double quotes, TTL from settings',
      code: `const Redis = require("ioredis");\nconst redis = new Redis();\nredis.set("k", "v", (err) => done(err));`,
      filename: 'src/cache.js',
      settings: { cacheTtlSeconds: 60 },
      errors: [{ line: 3, column: 1, message: '60 s from failpath.cacheTtlSeconds' }],
      output: `const Redis = require("ioredis");\nconst redis = new Redis();\nredis.set("k", "v", "EX", 60, (err) => done(err));`,
    },
    {
      name: 'injected ioredis member (NestJS)',
      code: `import { Injectable } from '@nestjs/common';\nimport { Redis } from 'ioredis';\n@Injectable()\nexport class SessionCache {\n  constructor(private readonly redis: Redis) {}\n  save(id: string, s: string) { return this.redis.set(\`sess:\${id}\`, s); }\n}`,
      errors: [{ line: 6, column: 40, message: 'this.redis.set()' }],
      output: `import { Injectable } from '@nestjs/common';\nimport { Redis } from 'ioredis';\n@Injectable()\nexport class SessionCache {\n  constructor(private readonly redis: Redis) {}\n  save(id: string, s: string) { return this.redis.set(\`sess:\${id}\`, s, 'EX', 300); }\n}`,
    },
    {
      name: 'node-redis v4 read-through fill without options',
      code: `${NODE_REDIS}const hit = await client.get(key);\nif (!hit) await client.set(key, await render());`,
      deps: { redis: '^4.6.0' },
      errors: [{ line: 4, column: 17, endColumn: 27, message: 'client.set() stores the key without a TTL' }],
      output: `${NODE_REDIS}const hit = await client.get(key);\nif (!hit) await client.set(key, await render(), { EX: 300 });`,
    },
    {
      name: 'node-redis v4 options without expiry',
      code: `${NODE_REDIS}await client.set(cacheKey, value, { NX: true });`,
      errors: [{ line: 3, column: 7 }],
      output: `${NODE_REDIS}await client.set(cacheKey, value, { NX: true, EX: 300 });`,
    },
    {
      name: 'node-redis v3 positional form',
      code: `const redis = require('redis');\nconst client = redis.createClient();\nclient.set(key, value);`,
      filename: 'src/cache.js',
      deps: { redis: '^3.1.2' },
      errors: [{ line: 3, column: 1 }],
      output: `const redis = require('redis');\nconst client = redis.createClient();\nclient.set(key, value, 'EX', 300);`,
    },
    {
      name: 'expire on another key does not count',
      code: `${IOREDIS}export async function cacheBoth(a: string, b: string) {\n  await redis.set(a, '1');\n  await redis.expire(b, 60);\n}`,
      errors: [{ line: 4, column: 9 }],
    },
    {
      name: 'hset gets an expire after it',
      code: `${IOREDIS}export async function cacheProfile(key: string, profile: Record<string, string>) {\n  await redis.hset(key, profile);\n  return true;\n}\n`,
      errors: [{ line: 4, column: 9, message: 'redis.hset() writes a hash with no expire' }],
      output: `${IOREDIS}export async function cacheProfile(key: string, profile: Record<string, string>) {\n  await redis.hset(key, profile);\n  await redis.expire(key, 300);\n  return true;\n}\n`,
    },
    {
      name: 'hset with a computed key that has side effects: no fix',
      code: `${IOREDIS}export async function fillCache() {\n  await redis.hset(nextKey(), 'a', '1');\n}`,
      errors: [{ line: 4, column: 9 }],
      output: null,
    },
    {
      name: 'mset cannot carry a TTL',
      code: `${IOREDIS}export async function warmCache() {\n  await redis.mset({ a: '1', b: '2' });\n}`,
      errors: [{ line: 4, column: 9, message: 'cannot set a TTL' }],
      output: null,
    },
    {
      name: 'setnx cache fill without expiry',
      code: `${IOREDIS}export async function cacheOnce(k: string) {\n  return redis.setnx(k, '1');\n}`,
      errors: [{ line: 4, column: 10, message: "Use set(key, value, 'EX', 300, 'NX')" }],
      output: null,
    },
    {
      name: 'NodeCache without stdTTL',
      code: `import NodeCache from 'node-cache';\nexport const cache = new NodeCache();\n`,
      errors: [{ line: 2, column: 26, endColumn: 35, message: 'NodeCache without stdTTL or maxKeys' }],
      output: `import NodeCache from 'node-cache';\nexport const cache = new NodeCache({ stdTTL: 300 });\n`,
    },
    {
      name: 'issue 14: a factory that returns a NodeCache but writes to it here without TTL is still reported',
      code: `const NodeCache = require('node-cache');\nfunction makeCache() {\n  return new NodeCache();\n}\nconst cache = makeCache();\nfunction put(k, v) { cache.set(k, v); }\nmodule.exports = { makeCache, put };\n`,
      filename: 'src/cache.js',
      errors: [{ line: 3, column: 14, message: 'NodeCache without stdTTL or maxKeys keeps every entry forever' }],
      output: `const NodeCache = require('node-cache');\nfunction makeCache() {\n  return new NodeCache({ stdTTL: 300 });\n}\nconst cache = makeCache();\nfunction put(k, v) { cache.set(k, v); }\nmodule.exports = { makeCache, put };\n`,
    },
    {
      name: 'NodeCache options without stdTTL, one set without TTL',
      code: `const NodeCache = require('node-cache');\nconst cache = new NodeCache({ checkperiod: 120 });\nfunction put(k, v) { cache.set(k, v); }\nfunction put2(k, v) { cache.set(k, v, 10); }`,
      filename: 'src/cache.js',
      errors: [{ line: 2, column: 19, message: '(1 set() call here pass no TTL)' }],
      output: `const NodeCache = require('node-cache');\nconst cache = new NodeCache({ checkperiod: 120, stdTTL: 300 });\nfunction put(k, v) { cache.set(k, v); }\nfunction put2(k, v) { cache.set(k, v, 10); }`,
    },
    {
      name: 'lru-cache v6 without max or maxAge',
      code: `import LRU from 'lru-cache';\nconst cache = new LRU({ stale: true });`,
      deps: { 'lru-cache': '^6.0.0' },
      errors: [{ line: 2, column: 19, message: 'neither max, maxSize nor maxAge' }],
      output: `import LRU from 'lru-cache';\nconst cache = new LRU({ stale: true, max: 1000, maxAge: 300000 });`,
    },
    {
      name: 'lru-cache v5 with no options',
      code: `const LRU = require('lru-cache');\nconst cache = new LRU();`,
      filename: 'src/cache.js',
      deps: { 'lru-cache': '5.1.1' },
      errors: [{ line: 2, column: 19 }],
      output: `const LRU = require('lru-cache');\nconst cache = new LRU({ max: 1000, maxAge: 300000 });`,
    },
    {
      name: 'module-level Map cache that only grows',
      code: `const userCache = new Map<string, User>();\n\nexport async function getUser(id: string): Promise<User> {\n  const hit = userCache.get(id);\n  if (hit) return hit;\n  const user = await db.user.find(id);\n  userCache.set(id, user);\n  return user;\n}\n`,
      errors: [{ line: 1, column: 7, endColumn: 16, message: 'Module-level Map "userCache" is used as a cache but only ever grows' }],
      output: null,
    },
    {
      name: 'Map cache replaced with LRUCache when lru-cache is installed',
      code: `import { db } from './db';\n\nconst userCache = new Map<string, User>();\n\nexport function getUser(id: string): User {\n  if (!userCache.has(id)) userCache.set(id, db.find(id));\n  return userCache.get(id)!;\n}\n`,
      deps: { 'lru-cache': '^10.2.0' },
      errors: [{ line: 3, column: 7 }],
      output: `import { db } from './db';\nimport { LRUCache } from 'lru-cache';\n\nconst userCache = new LRUCache<string, User>({ max: 1000, ttl: 300000 });\n\nexport function getUser(id: string): User {\n  if (!userCache.has(id)) userCache.set(id, db.find(id));\n  return userCache.get(id)!;\n}\n`,
    },
    {
      name: 'memo Map in CommonJS, lru-cache v7 default import',
      code: `const memo = new Map();\nmodule.exports.slug = (text) => {\n  if (!memo.has(text)) memo.set(text, text.toLowerCase());\n  return memo.get(text);\n};\n`,
      filename: 'src/slug.js',
      deps: { 'lru-cache': '^7.18.0' },
      errors: [{ line: 1, column: 7 }],
      output: `const LRU = require('lru-cache');\nconst memo = new LRU({ max: 1000, ttl: 300000 });\nmodule.exports.slug = (text) => {\n  if (!memo.has(text)) memo.set(text, text.toLowerCase());\n  return memo.get(text);\n};\n`,
    },
    {
      name: 'issue 14: a memo whose key is built from request data (ids) in a local const is still reported',
      code: `const routeCache = new Map<string, string>();\nexport async function storeFor(ctx: { connectionId: string; model: string }) {\n  const cacheKey = \`\${ctx.connectionId}:\${ctx.model}\`;\n  const hit = routeCache.get(cacheKey);\n  if (hit) return hit;\n  const store = await pick(ctx);\n  routeCache.set(cacheKey, store);\n  return store;\n}`,
      errors: [{ line: 1, column: 7, message: 'Module-level Map "routeCache" is used as a cache but only ever grows' }],
    },
    {
      name: 'issue 14: a key built by a helper from a user id is still an identity key',
      code: `const profileCache = new Map<string, Profile>();\nexport async function profile(userId: string) {\n  const key = cacheKeyFor(userId);\n  const hit = profileCache.get(key);\n  if (hit) return hit;\n  const p = await loadProfile(userId);\n  profileCache.set(key, p);\n  return p;\n}`,
      errors: [{ line: 1, column: 7, message: 'Module-level Map "profileCache" is used as a cache but only ever grows' }],
    },
    {
      name: 'expiresAt-style map: an unrelated expiresAt elsewhere in the file does not silence a growing map',
      code: `const priceCache = new Map<string, number>();\nexport function price(productId: string) {\n  const hit = priceCache.get(productId);\n  if (hit !== undefined) return hit;\n  const p = lookup(productId);\n  priceCache.set(productId, p);\n  return p;\n}\nexport const meta = { expiresAt: 0 };`,
      errors: [{ line: 1, column: 7, message: 'Module-level Map "priceCache"' }],
    },
    {
      name: 'TTL set elsewhere: an expire on another key (in another function) does not count',
      code: `${IOREDIS}export async function cacheUser(key: string, user: string) {\n  const hit = await redis.get(key);\n  if (!hit) await redis.set(key, user);\n}\nexport async function touch(other: string) {\n  await redis.expire(other, 300);\n}`,
      errors: [{ line: 5, column: 19, message: 'redis.set() stores the key without a TTL' }],
    },
  ],
});
