/**
 * Rate limiters: the packages that limit request rates, and how a fix mounts the usual one of
 * each framework at the project's version.
 */
import type { LibraryRecord } from './types';

export const LIMITERS: readonly LibraryRecord[] = [
  {
    id: 'express-rate-limit',
    label: 'express-rate-limit',
    modules: ['express-rate-limit'],
    roles: ['limiter'],
    limiter: {
      mount: {
        framework: 'express',
        // CommonJS: `{ rateLimit }` from v6 on, the module itself before; ESM: the default import works on every version
        import: { binding: 'rateLimit', kind: 'named' },
        esmImport: { binding: 'rateLimit', kind: 'default' },
        via: 'use',
        statement: '{app}.use(rateLimit({ windowMs: {window}, limit: {limit} }))',
        limitOption: 'limit',
        windowOption: 'windowMs',
        example: 'express-rate-limit (`app.use(rateLimit({ windowMs, limit }))`)',
        versions: [
          { range: '<7', statement: '{app}.use(rateLimit({ windowMs: {window}, max: {limit} }))', limitOption: 'max' },
          { range: '<6', import: { binding: 'rateLimit', kind: 'default' } },
        ],
      },
    },
  },
  { id: 'express-slow-down', label: 'express-slow-down', modules: ['express-slow-down'], roles: ['limiter'] },
  { id: 'express-brute', label: 'express-brute', modules: ['express-brute'], roles: ['limiter'] },
  { id: 'rate-limiter-flexible', label: 'rate-limiter-flexible', modules: ['rate-limiter-flexible'], roles: ['limiter'] },
  { id: 'rate-limit-redis', label: 'rate-limit-redis', modules: ['rate-limit-redis'], roles: ['limiter'] },
  {
    id: 'fastify-rate-limit',
    label: '@fastify/rate-limit',
    modules: ['@fastify/rate-limit', 'fastify-rate-limit'],
    roles: ['limiter', 'framework-plugin'],
    note: 'fastify-rate-limit is the package\'s name before it moved to the @fastify scope.',
    limiter: {
      routeConfigKey: 'rateLimit',
      mount: {
        framework: 'fastify',
        import: { binding: 'rateLimit', kind: 'default' },
        via: 'register',
        statement: 'await {app}.register(rateLimit, { max: {limit}, timeWindow: {window} })',
        windowAsText: true,
        limitOption: 'max',
        windowOption: 'timeWindow',
        example: '@fastify/rate-limit (`await app.register(rateLimit, { max, timeWindow })`)',
      },
    },
  },
  {
    id: 'nestjs-throttler',
    label: '@nestjs/throttler',
    modules: ['@nestjs/throttler'],
    roles: ['limiter', 'framework-plugin'],
    // @Throttle(), @SkipThrottle() and ThrottlerGuard are its exports
    framework: { id: 'nestjs', decorators: true, marksFile: false },
  },
  {
    id: 'koa-ratelimit',
    label: 'koa-ratelimit',
    modules: ['koa-ratelimit'],
    roles: ['limiter'],
    limiter: {
      mount: {
        framework: 'koa',
        import: { binding: 'ratelimit', kind: 'default' },
        via: 'use',
        statement: '{app}.use(ratelimit({ driver: {q}memory{q}, db: new Map(), duration: {window}, max: {limit} }))',
        limitOption: 'max',
        windowOption: 'duration',
        example: 'koa-ratelimit (`app.use(ratelimit({ driver, db, duration, max }))`)',
      },
    },
  },
  { id: 'koa2-ratelimit', label: 'koa2-ratelimit', modules: ['koa2-ratelimit'], roles: ['limiter'] },
  {
    id: 'hono-rate-limiter',
    label: 'hono-rate-limiter',
    modules: ['hono-rate-limiter'],
    roles: ['limiter'],
    limiter: {
      mount: {
        framework: 'hono',
        import: { binding: 'rateLimiter', kind: 'named' },
        via: 'use',
        statement: '{app}.use(rateLimiter({ windowMs: {window}, limit: {limit}, keyGenerator: (c) => c.req.header({q}x-forwarded-for{q}) ?? {q}{q} }))',
        limitOption: 'limit',
        windowOption: 'windowMs',
        example: 'hono-rate-limiter (`app.use(rateLimiter({ windowMs, limit, keyGenerator }))`)',
      },
    },
  },
  { id: 'upstash-ratelimit', label: '@upstash/ratelimit', modules: ['@upstash/ratelimit'], roles: ['limiter'] },
];

/** A binding named like a limiter (`apiLimiter`, `rateLimit`, `throttle`, `slowDown`, `bruteforce`). */
export const LIMITER_NAME = /rate[-_]?limit|ratelimit|limiter|throttl|slow[-_]?down|brute/i;
