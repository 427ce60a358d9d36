/**
 * The knowledge table (server/src/knowledge): its integrity (ids, modules, facets, version
 * switches, templates) and every lookup, with exact expected values.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  KNOWLEDGE, LIB, LIBRARIES, FRAMEWORK, FRAMEWORK_INFO, HTTP_STYLES, LOGGER_SHAPES, HEALTH_PATH, GENERIC_FAILURES,
  atVersion, exactLibraryOf, fill, inRange, ioOf, lib, libraryOf, moduleKey, moduleOf, modulesWithRole, isModuleOf,
  type DependencyView, type LibraryRecord, type MajorRange,
} from '../../server/src/knowledge';

/** A project that depends on `versions` (name → major, or undefined when the version is unknown). */
function deps(versions: Record<string, number | undefined>): DependencyView {
  return { has: (n) => n in versions, major: (n) => versions[n] };
}

const sorted = (xs: Iterable<string>) => [...xs].sort();

describe('knowledge table integrity', () => {
  it('ids are unique and LIB names exactly the records', () => {
    const ids = LIBRARIES.map((r) => r.id);
    assert.equal(new Set(ids).size, ids.length, `duplicate ids: ${ids.filter((x, i) => ids.indexOf(x) !== i).join(', ')}`);
    assert.deepEqual(sorted(Object.values(LIB)), sorted(ids));
  });

  it('every module specifier is in exactly one record', () => {
    const seen = new Map<string, string>();
    const dupes: string[] = [];
    for (const r of LIBRARIES) for (const m of r.modules) {
      if (seen.has(m)) dupes.push(`${m} (${seen.get(m)}, ${r.id})`);
      seen.set(m, r.id);
    }
    assert.deepEqual(dupes, []);
  });

  it('module specifiers are package names, entry points, node: builtins or families', () => {
    const shape = /^(node:[a-z_/]+|(@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*(\/[\w.-]+)*(\/\*|-?\*)?|@[a-z0-9][\w.-]*\/\*|global)$/;
    const bad = LIBRARIES.flatMap((r) => r.modules.filter((m) => !shape.test(m)).map((m) => `${r.id}: ${m}`));
    assert.deepEqual(bad, []);
  });

  it('every record has a label and at least one role', () => {
    assert.deepEqual(LIBRARIES.filter((r) => !r.label || r.roles.length === 0).map((r) => r.id), []);
  });

  it('every HTTP client with I/O has call shapes, and every shape a known style', () => {
    const http = LIBRARIES.filter((r) => r.io?.kind === 'http');
    assert.deepEqual(http.filter((r) => !r.http?.calls.length).map((r) => r.id), []);
    for (const r of http) for (const c of r.http!.calls) assert.ok(c.style !== 'custom' && HTTP_STYLES[c.style], `${r.id}: ${c.style}`);
    assert.deepEqual(sorted(http.map((r) => r.id)), ['axios', 'fetch', 'got', 'ky', 'node-fetch', 'node-http', 'superagent', 'undici']);
  });

  it('every logger has a call shape and a creation template with {name}', () => {
    const loggers = LIBRARIES.filter((r) => r.logger);
    assert.deepEqual(sorted(loggers.map((r) => r.id)), ['bunyan', 'log4js', 'nestjs-common', 'pino', 'winston']);
    for (const r of loggers) {
      assert.ok(LOGGER_SHAPES[r.logger!.style], r.id);
      assert.match(r.logger!.create!.declaration, /^const \{name\} = /, r.id);
    }
  });

  it('every flag SDK guard uses {client} and {key}, and its methods are unique', () => {
    for (const r of LIBRARIES.filter((x) => x.flags)) {
      assert.match(r.flags!.guard.condition, /\{client\}.*\{key\}/, r.id);
      const names = r.flags!.methods.map((m) => m.name);
      assert.equal(new Set(names).size, names.length, r.id);
    }
  });

  it('every version switch has a valid range and only fields of its facet', () => {
    const problems: string[] = [];
    const check = (id: string, facet: object & { versions?: readonly ({ range: MajorRange; module?: string } & object)[] }, record: LibraryRecord) => {
      for (const v of facet.versions ?? []) {
        if (!/^(<=|>=|<|>)?\d+$/.test(v.range)) problems.push(`${id}: range ${v.range}`);
        if (v.module && !record.modules.includes(v.module)) problems.push(`${id}: module ${v.module}`);
        for (const k of Object.keys(v)) if (k !== 'range' && k !== 'module' && !(k in facet)) problems.push(`${id}: ${k} is not a field of the facet`);
      }
    };
    for (const r of LIBRARIES) {
      for (const facet of [r.io?.promise, r.cache, r.flags, r.limiter?.mount, r.retry, r.concurrency, r.framework]) if (facet) check(r.id, facet as never, r);
    }
    assert.deepEqual(problems, []);
  });

  it('framework facets and limiter mounts name modelled frameworks', () => {
    for (const r of LIBRARIES) {
      const id = r.framework?.id;
      if (id && !['restify', 'polka', 'hapi'].includes(id)) assert.ok(KNOWLEDGE.isModelledFramework(id), r.id);
      if (r.limiter?.mount) assert.ok(FRAMEWORK_INFO[r.limiter.mount.framework], r.id);
    }
    assert.deepEqual(Object.keys(FRAMEWORK_INFO), Object.values(FRAMEWORK));
  });
});

describe('specifier lookups', () => {
  const cases: [string, string | undefined, string | undefined][] = [
    // specifier, libraryOf, exactLibraryOf
    ['node:http', 'node-http', 'node-http'],
    ['https', 'node-http', 'node-http'],
    ['@aws-sdk/client-s3', 'aws-sdk', 'aws-sdk'],
    ['@aws-sdk/client-sqs', 'aws-sqs', 'aws-sqs'],
    ['@aws-sdk/*', 'aws-sdk', 'aws-sdk'],
    ['hono/tiny', 'hono', 'hono'],
    ['hono/cors', 'hono', undefined],
    ['express/lib/router', 'express', undefined],
    ['@nestjs/common/decorators', 'nestjs-common', undefined],
    ['@opentelemetry/api', 'opentelemetry', 'opentelemetry'],
    ['@opentelemetry/instrumentation-pino', 'otel-pino', 'otel-pino'],
    ['@hono/zod-validator', 'hono-validators', 'hono-validators'],
    ['@hono/zod-openapi', 'hono-zod-openapi', 'hono-zod-openapi'],
    ['expo-router', 'expo', 'expo'],
    ['mysql2/promise', 'mysql2-promise', 'mysql2-promise'],
    ['node:test', 'node-test', 'node-test'],
    ['node:assert/strict', 'node-assert', 'node-assert'],
    ['test', undefined, undefined],
    ['./logger', undefined, undefined],
    ['@acme/logger', undefined, undefined],
  ];
  for (const [spec, loose, exact] of cases) {
    it(`${spec} → ${loose ?? 'none'} (exact: ${exact ?? 'none'})`, () => {
      assert.equal(libraryOf(spec)?.id, loose);
      assert.equal(exactLibraryOf(spec)?.id, exact);
    });
  }

  it('moduleKey strips node: and keys the @aws-sdk family, nothing else', () => {
    assert.deepEqual(
      ['node:http', 'http', '@aws-sdk/client-s3', '@aws-sdk/client-sqs', '@opentelemetry/api', 'hono/tiny', 'node:test', './db'].map(moduleKey),
      ['http', 'http', '@aws-sdk/*', '@aws-sdk/*', '@opentelemetry/api', 'hono/tiny', 'test', './db'],
    );
  });

  it('lib, moduleOf and isModuleOf name libraries by id', () => {
    assert.equal(lib(LIB.expressRateLimit).modules[0], 'express-rate-limit');
    assert.equal(moduleOf(LIB.prisma), '@prisma/client');
    assert.equal(moduleOf(LIB.launchdarkly), '@launchdarkly/node-server-sdk');
    assert.equal(isModuleOf(LIB.nodeHttp, 'node:https'), true);
    assert.equal(isModuleOf(LIB.koaRouter, '@koa/router'), true);
    assert.equal(isModuleOf(LIB.koa, '@koa/router'), false);
    assert.throws(() => KNOWLEDGE.lib('no-such-library'), /no library with id no-such-library/);
  });

  it('modulesWithRole lists modules in table order', () => {
    assert.deepEqual(modulesWithRole('limiter'), [
      'express-rate-limit', 'express-slow-down', 'express-brute', 'rate-limiter-flexible', 'rate-limit-redis', '@fastify/rate-limit', 'fastify-rate-limit',
      '@nestjs/throttler', 'koa-ratelimit', 'koa2-ratelimit', 'hono-rate-limiter', '@upstash/ratelimit',
    ]);
    assert.deepEqual(modulesWithRole('browser-automation'), ['playwright', 'playwright-core', '@playwright/test', 'puppeteer', 'puppeteer-core', 'patchright', 'rebrowser-playwright', 'cypress']);
    assert.deepEqual(modulesWithRole('idempotency'), [
      'express-idempotency', 'express-idempotent', 'idempotency-middleware', '@node-idempotency/express', '@node-idempotency/nestjs', '@node-idempotency/fastify',
      'fastify-idempotency', 'nestjs-idempotency', '@nestjs-idempotency/core',
    ]);
    assert.deepEqual(modulesWithRole('log-injector'), [
      'nestjs-pino', '@opentelemetry/instrumentation-pino', '@opentelemetry/instrumentation-winston', 'cls-rtracer', 'express-http-context', 'express-request-context',
      'nestjs-cls', '@fastify/request-context',
    ]);
    assert.deepEqual(modulesWithRole('async-errors'), ['express-async-errors', 'express-promise-router', '@root/async-router']);
  });

  it('hasRole and importSignal', () => {
    assert.equal(KNOWLEDGE.hasRole('@sentry/node', 'error-tracking'), true);
    assert.equal(KNOWLEDGE.hasRole('dd-trace', 'metrics'), false);
    assert.deepEqual(['react', 'react-dom/client', 'zustand', 'express', 'node:http', 'hono/tiny', 'lodash'].map((s) => KNOWLEDGE.importSignal(s)),
      [undefined, 'browser', 'browser', 'server', 'server', 'server', undefined]);
  });
});

describe('version switches', () => {
  it('inRange', () => {
    const cases: [number, MajorRange, boolean][] = [[6, '<7', true], [7, '<7', false], [4, '<=4', true], [5, '<=4', false], [10, '>=10', true], [9, '>=10', false], [4, '>3', true], [1, '1', true], [2, '1', false]];
    for (const [major, range, expected] of cases) assert.equal(inRange(major, range), expected, `${major} ${range}`);
  });

  it('an unknown version takes the base values; switches apply in order', () => {
    const r = lib(LIB.lruCache);
    const at = (v: number | undefined) => { const c = atVersion(r.cache!, r, deps({ 'lru-cache': v })); return [c.ttlOption!.name, c.import!.kind, c.import!.binding]; };
    assert.deepEqual(at(undefined), ['ttl', 'named', 'LRUCache']);
    assert.deepEqual(at(11), ['ttl', 'named', 'LRUCache']);
    assert.deepEqual(at(9), ['ttl', 'default', 'LRU']);
    assert.deepEqual(at(6), ['maxAge', 'default', 'LRU']);
  });

  it('a switch naming a module applies only when the project uses that module', () => {
    const ld = lib(LIB.launchdarkly);
    const ctx = (v: Record<string, number | undefined>) => atVersion(ld.flags!, ld, deps(v)).context;
    assert.equal(ctx({ 'launchdarkly-node-server-sdk': 6 }), '{ key: {q}anonymous{q} }');
    assert.equal(ctx({ 'launchdarkly-node-server-sdk': 7 }), '{ kind: {q}user{q}, key: {q}anonymous{q} }');
    assert.equal(ctx({ 'launchdarkly-node-server-sdk': 6, '@launchdarkly/node-server-sdk': 9 }), '{ kind: {q}user{q}, key: {q}anonymous{q} }');
    assert.equal(ctx({ 'launchdarkly-node-server-sdk': undefined }), '{ kind: {q}user{q}, key: {q}anonymous{q} }');
    assert.equal(ctx({}), '{ kind: {q}user{q}, key: {q}anonymous{q} }');
  });

  it('fill replaces known placeholders and keeps the others', () => {
    assert.equal(fill('await {client}.isOn({key}) {other}', { client: 'gb', key: "'x'" }), "await gb.isOn('x') {other}");
  });
});

describe('accessors', () => {
  it('ioOf: kind, factories and local members (node: and families included)', () => {
    assert.deepEqual(ioOf('axios')?.factories, ['create']);
    assert.equal(ioOf('node:https')?.kind, 'http');
    assert.deepEqual(ioOf('@aws-sdk/client-dynamodb')?.factories, ['*']);
    assert.deepEqual(ioOf('pg')?.factories, ['Pool', 'Client', 'default.Pool', 'default.Client', '*.Pool', '*.Client']);
    assert.equal(ioOf('mysql2')?.promise, undefined);
    assert.deepEqual(ioOf('mysql2/promise')?.promise, { returns: 'promise' });
    assert.equal(ioOf('mongoose')?.moduleLevel, true);
    assert.equal(ioOf('hono'), undefined);
    assert.equal(ioOf('mysql2/lib/x'), undefined);
  });

  it('promise facets: lazy Prisma models and Mongoose queries, callbacks before node-redis 4', () => {
    assert.deepEqual(ioOf('@prisma/client')?.promise, { returns: 'promise', lazy: { minPath: 2 } });
    assert.deepEqual(ioOf('mongoose')?.promise?.lazy, { onInstance: true, except: ['create', 'insertMany', 'bulkWrite'] });
    assert.deepEqual(ioOf('ioredis')?.promise?.except, ['disconnect']);
    const redis = lib(LIB.redis);
    assert.equal(atVersion(redis.io!.promise!, redis, deps({ redis: 3 })).returns, undefined);
    assert.equal(atVersion(redis.io!.promise!, redis, deps({ redis: 4 })).returns, 'promise');
  });

  it('readMethods, chainModifiers and failuresOf', () => {
    const reads = KNOWLEDGE.readMethods();
    assert.equal(reads.size, 63);
    for (const m of ['hgetall', 'findunique', 'estimateddocumentcount', 'retrieve', 'getjobcounts']) assert.ok(reads.has(m), m);
    assert.equal(reads.has('set'), false);
    assert.deepEqual(sorted(KNOWLEDGE.chainModifiers()), ['collation', 'exec', 'hint', 'json', 'lean', 'limit', 'orFail', 'populate', 'select', 'session', 'skip', 'sort', 'text', 'toArray', 'where']);
    assert.equal(KNOWLEDGE.failuresOf('pg-promise').timeout.code, '57014');
    assert.equal(KNOWLEDGE.failuresOf('mysql2/promise').refused.message, 'connect ECONNREFUSED 127.0.0.1:3306');
    assert.equal(KNOWLEDGE.failuresOf('mongoose').error.code, 'InterruptedAtShutdown');
    assert.equal(KNOWLEDGE.failuresOf('@prisma/client').refused.code, 'P1001');
    assert.equal(KNOWLEDGE.failuresOf('redis').error.code, 'LOADING');
    assert.equal(KNOWLEDGE.failuresOf('stripe'), GENERIC_FAILURES);
  });

  it('httpCallOf: method → options slot and style, module vs instance', () => {
    const slot = (m: string, path: string[], inst: boolean) => { const c = KNOWLEDGE.httpCallOf(m, path, inst); return c && [c.call.options, c.call.style, c.call.method ?? null]; };
    assert.deepEqual(slot('axios', ['post'], true), [2, 'axios', 'POST']);
    assert.deepEqual(slot('axios', ['get'], false), [1, 'axios', 'GET']);
    assert.deepEqual(slot('axios', [], false), ['url-or-config', 'axios', 'from-options']);
    assert.deepEqual(slot('axios', ['request'], false), [0, 'axios', null]);
    assert.deepEqual(slot('got', ['patch'], true), [1, 'got', 'PATCH']);
    assert.deepEqual(slot('ky', [], false), [1, 'ky', 'from-options']);
    assert.deepEqual(slot('global', ['fetch'], false), [1, 'fetch', 'from-options']);
    assert.deepEqual(slot('undici', ['request'], false), [1, 'undici-request', 'from-options']);
    assert.equal(slot('undici', ['request'], true), undefined);
    assert.deepEqual(slot('node:https', ['get'], false), ['url-or-config', 'node-http', null]);
    assert.deepEqual(slot('superagent', ['del'], false), [-1, 'superagent', null]);
    assert.equal(slot('axios', ['interceptors'], false), undefined);
  });

  it('HTTP styles: deadline options, how a fix writes one, defaults', () => {
    assert.deepEqual(HTTP_STYLES.ky, { id: 'ky', deadlineOptions: ['signal', 'timeout'], write: 'timeout', defaultMs: 10000 });
    assert.deepEqual(HTTP_STYLES['undici-request'].deadlineOptions, ['signal', 'timeout', 'headersTimeout', 'bodyTimeout', 'dispatcher']);
    assert.equal(HTTP_STYLES.got.write, 'timeout-request');
    assert.equal(HTTP_STYLES.superagent.write, 'chain');
    assert.equal(HTTP_STYLES.axios.defaultsTimeout, true);
    assert.equal(lib(LIB.got).http!.baseUrlOption, 'prefixUrl');
    assert.equal(lib(LIB.axios).http!.baseUrlOption, 'baseURL');
    assert.deepEqual(['ky', 'axios', 'global', 'pg'].map((m) => KNOWLEDGE.httpDefaultDeadline(m)), [10000, undefined, undefined, undefined]);
  });

  it('clientDeadlineOf: factories, deadline options and what a fix writes', () => {
    const pg = KNOWLEDGE.clientDeadlineOf('pg', ['Pool'], 'new')!;
    assert.deepEqual([pg.options, pg.deadlineOptions, pg.urlParams, pg.write], [0, ['connectionTimeoutMillis', 'statement_timeout', 'query_timeout'], ['connect_timeout', 'statement_timeout'], [{ option: 'connectionTimeoutMillis' }]]);
    const redis = KNOWLEDGE.clientDeadlineOf('ioredis', [], 'new')!;
    assert.deepEqual([redis.options, redis.maxArgs, redis.exempt], ['last', 3, { option: 'maxRetriesPerRequest', value: null }]);
    assert.deepEqual(KNOWLEDGE.clientDeadlineOf('mongoose', ['connect'], 'call')!.write, [{ option: 'serverSelectionTimeoutMS' }, { option: 'socketTimeoutMS', atLeastMs: 45000 }]);
    assert.equal(KNOWLEDGE.clientDeadlineOf('@nestjs/axios', ['HttpModule', 'register'], 'call')!.bareImport, 'HttpModule');
    assert.equal(KNOWLEDGE.clientDeadlineOf('pg', ['Pool'], 'call'), undefined);
    assert.deepEqual(lib(LIB.mysql2).clientDeadlines!.defaultDeadline, { option: 'connectTimeout', ms: 10000 });
    assert.deepEqual(lib(LIB.redis).clientDeadlines!.defaultDeadline, { option: 'connectTimeout', ms: 5000 });
  });

  it('cacheOf: TTL tokens and options, SET shape per version, in-process bounds', () => {
    assert.deepEqual(KNOWLEDGE.cacheOf('ioredis')!.redis!.ttlTokens, ['EX', 'PX', 'EXAT', 'PXAT', 'KEEPTTL']);
    assert.equal(KNOWLEDGE.cacheOf('redis', deps({ redis: 4 }))!.setTtl, 'options');
    assert.equal(KNOWLEDGE.cacheOf('redis', deps({ redis: 3 }))!.setTtl, 'positional');
    assert.equal(KNOWLEDGE.cacheOf('redis', deps({ redis: undefined }))!.setTtl, 'options');
    assert.equal(KNOWLEDGE.cacheOf('ioredis', deps({ ioredis: 5 }))!.setTtl, 'positional');
    const nc = KNOWLEDGE.cacheOf('node-cache')!;
    assert.deepEqual([nc.boundOptions, nc.unboundedValues, nc.setTtlArgument, nc.ttlOption], [['stdTTL', 'maxKeys'], { stdTTL: '0', maxKeys: '-1' }, 2, { name: 'stdTTL', unit: 's' }]);
    assert.deepEqual(KNOWLEDGE.cacheOf('lru-cache')!.boundOptions, ['max', 'maxSize', 'ttl', 'maxAge', 'length']);
  });

  it('loggers: call shapes, reserved keys, creation and priority', () => {
    assert.deepEqual(KNOWLEDGE.loggerLibraries().map((r) => r.modules[0]), ['pino', 'winston', 'bunyan', 'log4js', '@nestjs/common']);
    assert.deepEqual(['pino', 'bunyan', 'winston', 'log4js', 'nestjs'].map((s) => KNOWLEDGE.loggerShape(s as never).order), ['object-first', 'object-first', 'message-first', 'message-args', 'message-stack']);
    assert.deepEqual(KNOWLEDGE.loggerReservedKeys('bunyan'), ['level', 'time', 'msg', 'pid', 'hostname', 'v', 'name', 'src']);
    assert.deepEqual(KNOWLEDGE.loggerReservedKeys('winston'), ['level', 'message']);
    assert.equal(KNOWLEDGE.loggerShape('winston').errorKey, 'error');
    assert.deepEqual(KNOWLEDGE.loggerShape('nestjs').methods, { info: 'log' });
    assert.equal(KNOWLEDGE.loggerOf('@nestjs/common')!.export, 'Logger');
    assert.equal(KNOWLEDGE.loggerOf('@nestjs/core'), undefined);
    assert.equal(KNOWLEDGE.loggerLibraryOf('log4js')!.logger!.create!.declaration, 'const {name} = log4js.getLogger({label})');
  });

  it('flags: modules in match order, check and async methods, guards per version', () => {
    assert.deepEqual(KNOWLEDGE.flagModules().map((f) => `${f.provider}:${f.module}`), [
      'openfeature:@openfeature/server-sdk', 'openfeature:@openfeature/web-sdk', 'openfeature:@openfeature/js-sdk',
      'launchdarkly:@launchdarkly/node-server-sdk', 'launchdarkly:launchdarkly-node-server-sdk', 'unleash:unleash-client',
      'growthbook:@growthbook/growthbook', 'flagsmith:flagsmith-nodejs', 'configcat:configcat-node',
    ]);
    assert.deepEqual(sorted(KNOWLEDGE.flagCheckMethods()), sorted(['getBooleanValue', 'getBooleanDetails', 'getStringValue', 'getNumberValue', 'getObjectValue', 'variation', 'boolVariation', 'variationDetail', 'isEnabled', 'isOn', 'isOff', 'getFeatureValue', 'hasFeature', 'getValueAsync', 'getValue', 'isFeatureEnabled']));
    assert.deepEqual(sorted(KNOWLEDGE.asyncFlagMethods()), sorted(['getBooleanValue', 'getBooleanDetails', 'getStringValue', 'getNumberValue', 'getObjectValue', 'variation', 'boolVariation', 'variationDetail', 'getEnvironmentFlags', 'getIdentityFlags', 'hasFeature', 'getValueAsync']));
    const fs = KNOWLEDGE.flagProvider('flagsmith')!;
    assert.equal(atVersion(fs.flags, fs.record, deps({ 'flagsmith-nodejs': 1 })).guard.condition, 'await {client}.hasFeature({key})');
    assert.equal(atVersion(fs.flags, fs.record, deps({ 'flagsmith-nodejs': 1 })).moduleIsClient, true);
    assert.equal(atVersion(fs.flags, fs.record, deps({ 'flagsmith-nodejs': 3 })).guard.condition, '(await {client}.getEnvironmentFlags()).isFeatureEnabled({key})');
    assert.deepEqual(KNOWLEDGE.flagProvider('unleash')!.flags.moduleGuard, { import: { module: 'unleash-client', binding: 'isEnabled', kind: 'named' }, condition: 'isEnabled({key})', async: false });
    assert.equal(KNOWLEDGE.flagProvider('custom'), undefined);
  });

  it('limiterMount: the installed library of the framework, at its version', () => {
    const m = (fw: 'express' | 'fastify' | 'koa' | 'hono' | 'nestjs', v: Record<string, number | undefined>) => {
      const r = KNOWLEDGE.limiterMount(fw, deps(v));
      return r && [r.module, r.mount.statement, r.mount.import.kind, r.mount.limitOption];
    };
    assert.deepEqual(m('express', { 'express-rate-limit': 7 }), ['express-rate-limit', '{app}.use(rateLimit({ windowMs: {window}, limit: {limit} }))', 'named', 'limit']);
    assert.deepEqual(m('express', { 'express-rate-limit': 6 }), ['express-rate-limit', '{app}.use(rateLimit({ windowMs: {window}, max: {limit} }))', 'named', 'max']);
    assert.deepEqual(m('express', { 'express-rate-limit': 5 }), ['express-rate-limit', '{app}.use(rateLimit({ windowMs: {window}, max: {limit} }))', 'default', 'max']);
    assert.deepEqual(m('express', { 'express-rate-limit': undefined }), ['express-rate-limit', '{app}.use(rateLimit({ windowMs: {window}, limit: {limit} }))', 'named', 'limit']);
    assert.equal(m('express', {}), undefined);
    assert.deepEqual(m('fastify', { 'fastify-rate-limit': 5, '@fastify/rate-limit': 9 })?.[0], '@fastify/rate-limit');
    assert.deepEqual(m('fastify', { 'fastify-rate-limit': 5 })?.[0], 'fastify-rate-limit');
    assert.equal(m('nestjs', { '@nestjs/throttler': 5 }), undefined);
  });

  it('retry and concurrency: entries, options, ESM-only by version', () => {
    const pr = lib(LIB.pRetry);
    assert.equal(atVersion(pr.retry!, pr, deps({ 'p-retry': 4 })).esmOnly, false);
    assert.equal(atVersion(pr.retry!, pr, deps({ 'p-retry': 6 })).esmOnly, true);
    assert.deepEqual(lib(LIB.retry).retry!.entries.map((e) => e.path.join('.')), ['operation', 'timeouts', 'createTimeout']);
    assert.deepEqual(lib(LIB.axiosRetry).retry!.delay, { option: 'retryDelay', defaultMs: 0, exponential: 'exponentialDelay' });
    const ck = lib(LIB.cockatiel);
    assert.deepEqual(atVersion(ck.retry!, ck, deps({ cockatiel: 2 })).replaceLoop!.imports, [{ binding: 'Policy', kind: 'named' }]);
    const pl = lib(LIB.pLimit);
    assert.equal(atVersion(pl.concurrency!, pl, deps({ 'p-limit': 3 })).esmOnly, false);
    assert.equal(atVersion(pl.concurrency!, pl, deps({ 'p-limit': 5 })).esmOnly, true);
  });

  it('frameworks: info, app modules, project signals', () => {
    assert.deepEqual(FRAMEWORK_INFO.koa.routerMethods, ['get', 'post', 'put', 'patch', 'del', 'delete', 'all', 'options', 'head', 'use']);
    assert.equal(FRAMEWORK_INFO.fastify.errorHandler, 'setErrorHandler');
    assert.deepEqual(FRAMEWORK_INFO.nestjs.packages, ['@nestjs/core', '@nestjs/common']);
    assert.deepEqual(Object.fromEntries(KNOWLEDGE.appModules()), {
      express: 'express', fastify: 'fastify', koa: 'koa', 'koa-router': 'koa', '@koa/router': 'koa', hono: 'hono', 'hono/tiny': 'hono', 'hono/quick': 'hono',
      '@hono/zod-openapi': 'hono', restify: 'restify', polka: 'polka',
    });
    const ex = lib(LIB.express);
    assert.deepEqual(atVersion(ex.framework!, ex, deps({ express: 4 })).awaitsHandlers, false);
    assert.deepEqual(atVersion(ex.framework!, ex, deps({ express: 5 })).nestedQuery, false);
    assert.deepEqual(sorted(KNOWLEDGE.uiDependencies()), ['@angular/core', '@remix-run/react', 'preact', 'preact/hooks', 'react', 'react-dom', 'react-dom/client', 'solid-js', 'svelte', 'vue']);
    assert.equal(KNOWLEDGE.serverDependencies().includes('mysql2'), false);
    assert.equal(KNOWLEDGE.serviceDependencies().includes('mysql2'), true);
    assert.equal(KNOWLEDGE.serviceDependencies().includes('@aws-sdk/client-sqs'), true);
  });

  it('testing: runners in table order, node:test excluded', () => {
    assert.deepEqual(KNOWLEDGE.runnersIn(deps({ mocha: 10, 'ts-jest': 29, vitest: 1 })), ['vitest', 'jest', 'mocha']);
    assert.deepEqual(KNOWLEDGE.runnersIn(deps({ 'ts-jest': 29 })), ['jest']);
    assert.deepEqual(KNOWLEDGE.runnersIn(deps({})), []);
    assert.equal(KNOWLEDGE.runnerLibrary('node:test').modules[0], 'node:test');
    assert.deepEqual(lib(LIB.nock).testing!.httpMock, { entry: 'nock', mocksFetchFrom: 14 });
  });

  it('single-connection clients, job failure events, request loggers, GraphQL servers', () => {
    assert.deepEqual(ioOf('pg')?.singleConnection, ['Client', 'default.Client', '*.Client']);
    assert.deepEqual(ioOf('mysql2/promise')?.singleConnection, ['createConnection']);
    assert.deepEqual(KNOWLEDGE.jobFailureEvents(), ['failed', 'error', 'fail', 'fail:', 'task-failed', 'execution:failed', 'job failed']);
    assert.deepEqual(KNOWLEDGE.schedulerOf('bullmq')?.failureListeners, [['QueueEvents']]);
    assert.equal(FRAMEWORK_INFO.fastify.requestLogger, '{req}.log');
    assert.deepEqual(modulesWithRole('graphql'), ['graphql', '@apollo/server', 'apollo-server', 'apollo-server*', 'graphql-yoga', 'mercurius']);
    assert.equal(exactLibraryOf('apollo-server-express')?.id, 'apollo-server-legacy');
    // the bare package of Apollo Server 2–3 (a family prefix matches only longer names)
    assert.equal(exactLibraryOf('apollo-server')?.id, 'apollo-server-legacy');
  });

  it('payments, shutdown, schedulers, validators', () => {
    assert.equal(lib(LIB.stripe).payments!.moneyMovers['invoices.pay'], 2);
    assert.deepEqual(lib(LIB.closeWithGrace).shutdown!.handles, ['SIGTERM', 'unhandledRejection']);
    assert.deepEqual(lib(LIB.cron).scheduler!.jobs[0], { call: 'call', path: ['CronJob', 'from'], callback: { option: 'onTick' }, name: { argument: 0, option: 'name' }, errorHandlerOption: 'errorHandler' });
    assert.deepEqual(KNOWLEDGE.librariesWithRole('validator').filter((r) => r.validator?.middleware).map((r) => r.id), ['express-validator', 'celebrate', 'hono-validators']);
    assert.deepEqual(KNOWLEDGE.librariesWithRole('schema').filter((r) => r.validator?.schemaCatch).flatMap((r) => r.modules), ['zod', 'joi', '@hapi/joi', 'yup', 'valibot', 'superstruct', 'io-ts', 'effect', '@effect/schema']);
  });

  it('HEALTH_PATH: the health route segments, case-insensitive', () => {
    assert.deepEqual(['/health', '/healthz/db', '/health-check', '/Ready', '/status', '/healthy', '/api/health', 'health'].map((p) => HEALTH_PATH.test(p)),
      [true, true, true, true, true, false, false, false]);
  });

  it('extend: a project\'s records win for the modules they name', () => {
    const own: LibraryRecord = { id: 'acme-http', label: '@acme/http', modules: ['@acme/http', 'axios'], roles: ['http'], io: { kind: 'http', factories: ['createClient'] } };
    const k = KNOWLEDGE.extend([own]);
    assert.equal(k.libraryOf('@acme/http')?.id, 'acme-http');
    assert.deepEqual(k.ioOf('axios')?.factories, ['createClient']);
    assert.deepEqual(KNOWLEDGE.ioOf('axios')?.factories, ['create']);
    assert.equal(KNOWLEDGE.extend([]), KNOWLEDGE);
  });
});
