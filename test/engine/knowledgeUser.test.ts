/**
 * A project's own knowledge from .failpath.json ("knowledge"): validation with JSON paths, the
 * records it makes, and the lookups over a table extended with them.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { KNOWLEDGE, formatPath, userKnowledge } from '../../server/src/knowledge';

const problems = (raw: unknown) => userKnowledge(raw).problems.map((p) => `${formatPath(p.path)}: ${p.message}`);

describe('userKnowledge: records', () => {
  const raw = {
    httpClients: [{ module: '@acme/http', factory: 'createClient', timeoutOption: 'timeoutMs', defaultTimeoutMs: 5000, calls: [{ method: 'get', options: 1, httpMethod: 'GET' }, { method: 'post', options: 2 }] }],
    loggers: [{ module: '~/services/logger.server', export: 'log', style: 'winston' }],
    flagHelpers: [{ module: '@/lib/flags', export: 'isOn' }, { module: './flags-client', export: 'flags', kind: 'client', method: 'enabled', async: true }],
    limiters: [{ module: './middleware/limits', exports: ['apiLimiter'] }, { module: '@acme/limits' }],
  };

  it('a valid value gives one record per entry and no problems', () => {
    const { records, problems: found } = userKnowledge(raw);
    assert.deepEqual(found, []);
    assert.deepEqual(records.map((r) => r.id), [
      'user:http:@acme/http', 'user:logger:~/services/logger.server', 'user:flags:@/lib/flags#isOn', 'user:flags:./flags-client#flags',
      'user:limiter:./middleware/limits', 'user:limiter:@acme/limits',
    ]);
  });

  it('an HTTP client: calls on its instances, its timeout option, its default deadline', () => {
    const http = userKnowledge(raw).records[0];
    assert.deepEqual(http.io, { kind: 'http', factories: ['createClient'], promise: { returns: 'promise' } });
    assert.deepEqual(http.http, {
      calls: [{ path: ['get'], on: 'instance', options: 1, style: 'custom', method: 'GET' }, { path: ['post'], on: 'instance', options: 2, style: 'custom' }],
      customStyle: { id: 'custom', deadlineOptions: ['timeoutMs', 'signal'], write: 'timeout', writeOption: 'timeoutMs', defaultMs: 5000 },
    });
    const k = KNOWLEDGE.extend(userKnowledge(raw).records);
    const call = k.httpCallOf('@acme/http', ['post'], true);
    assert.deepEqual([call?.call.options, call?.style.writeOption], [2, 'timeoutMs']);
    assert.equal(k.httpCallOf('@acme/http', ['post'], false), undefined);
    assert.equal(k.httpDefaultDeadline('@acme/http'), 5000);
    assert.equal(k.ioOf('@acme/http')?.kind, 'http');
    assert.equal(KNOWLEDGE.ioOf('@acme/http'), undefined);
  });

  it('a client without a factory is called on the module (a named export or the default)', () => {
    const { records } = userKnowledge({ httpClients: [{ module: 'acme-fetch', timeoutOption: 'deadline', calls: [{ options: 1 }, { method: 'request', options: 0 }] }] });
    assert.deepEqual(records[0].http!.calls.map((c) => [c.path.join('.'), c.on, c.options]), [['', 'module', 1], ['request', 'module', 0]]);
    assert.deepEqual(records[0].io!.factories, []);
  });

  it('a logger: its instance export and call shape, ahead of the libraries', () => {
    const k = KNOWLEDGE.extend(userKnowledge(raw).records);
    assert.deepEqual(k.loggerOf('~/services/logger.server'), { style: 'winston', instance: 'log', priority: -1 });
    assert.equal(k.loggerLibraries()[0].id, 'user:logger:~/services/logger.server');
    assert.equal(userKnowledge({ loggers: [{ module: './log', style: 'pino' }] }).records[0].logger!.instance, 'logger');
  });

  it('flag helpers: a function or a client method, sync or async', () => {
    const [fn, client] = userKnowledge(raw).records.slice(2, 4);
    assert.deepEqual(fn.flags, { provider: 'custom', label: 'isOn', clientFactories: [], defaultClient: 'isOn', methods: [{ name: 'isOn', async: false, check: true }], guard: { condition: '{client}({key})', async: false } });
    assert.deepEqual([client.flags!.guard, client.flags!.methods], [{ condition: 'await {client}.enabled({key})', async: true }, [{ name: 'enabled', async: true, check: true }]]);
    const k = KNOWLEDGE.extend([fn, client]);
    assert.equal(k.flagProviderOf('@/lib/flags'), undefined);
    assert.equal(k.flagsOf('@/lib/flags')?.provider, 'custom');
    assert.equal(k.flagCheckMethods().has('enabled'), true);
    assert.deepEqual(k.flagModules(), KNOWLEDGE.flagModules());
  });

  it('limiters: named exports, or every export', () => {
    const k = KNOWLEDGE.extend(userKnowledge(raw).records);
    assert.deepEqual(k.exactLibraryOf('./middleware/limits')?.limiter, { exports: ['apiLimiter'] });
    assert.deepEqual(k.exactLibraryOf('@acme/limits')?.limiter, {});
    assert.deepEqual(k.limiterModules().slice(0, 2), ['./middleware/limits', '@acme/limits']);
  });

  it('nothing when the key is absent', () => {
    assert.deepEqual(userKnowledge(undefined), { records: [], problems: [] });
    assert.deepEqual(userKnowledge({}), { records: [], problems: [] });
  });
});

describe('userKnowledge: problems by JSON path', () => {
  it('the value and its sections', () => {
    assert.deepEqual(problems([]), ['knowledge: expected an object with httpClients, loggers, flagHelpers, limiters']);
    assert.deepEqual(problems({ http: [], loggers: {} }), [
      'knowledge.http: unknown key "http"; expected one of httpClients, loggers, flagHelpers, limiters',
      'knowledge.loggers: expected an array',
    ]);
    assert.deepEqual(problems({ limiters: ['express-rate-limit'] }), ['knowledge.limiters[0]: expected an object']);
  });

  it('HTTP clients', () => {
    assert.deepEqual(problems({ httpClients: [{ module: '@acme/http', calls: [] }] }), [
      'knowledge.httpClients[0].timeoutOption: required: the name the code uses',
      'knowledge.httpClients[0].calls: expected a non-empty array of { "method", "options" }: where each request call takes its options',
    ]);
    assert.deepEqual(problems({ httpClients: [{ module: '/abs/http', timeoutOption: 'timeout-ms', defaultTimeoutMs: 0, calls: [{ method: 'get', options: 9, httpMethod: 'FETCH', retries: 1 }, 'x'], extra: true }] }), [
      'knowledge.httpClients[0].extra: unknown key "extra"; expected one of module, factory, timeoutOption, defaultTimeoutMs, calls',
      'knowledge.httpClients[0].module: "/abs/http" is not a module specifier (write it as the code imports it)',
      'knowledge.httpClients[0].timeoutOption: expected an identifier',
      'knowledge.httpClients[0].defaultTimeoutMs: expected a whole number of milliseconds above 0',
      'knowledge.httpClients[0].calls[0].retries: unknown key "retries"; expected one of method, options, httpMethod',
      'knowledge.httpClients[0].calls[0].options: expected the index (0-5) of the options argument',
      'knowledge.httpClients[0].calls[0].httpMethod: expected one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS',
      'knowledge.httpClients[0].calls[1]: expected an object',
    ]);
    assert.deepEqual(userKnowledge({ httpClients: [{ module: 'a b', timeoutOption: 't', calls: [{ options: 1 }] }] }).records, []);
  });

  it('loggers, flag helpers, limiters', () => {
    assert.deepEqual(problems({ loggers: [{ module: './log', style: 'console' }, { style: 'pino' }] }), [
      'knowledge.loggers[0].style: expected the call shape of its methods: one of pino, bunyan, winston, log4js, nestjs (pino/bunyan: logger.error({ err }, \'msg\'); winston: logger.error(\'msg\', { error }); log4js: logger.error(\'msg\', err); nestjs: logger.error(\'msg\', stack))',
      'knowledge.loggers[1].module: expected the module specifier the code imports, e.g. "@acme/http" or "~/lib/http"',
    ]);
    assert.deepEqual(problems({ flagHelpers: [{ module: './flags', export: 'isOn', kind: 'client', async: 'yes' }, { module: './flags', export: 'on', method: 'x' }] }), [
      'knowledge.flagHelpers[0].method: required: the name the code uses',
      'knowledge.flagHelpers[0].async: expected true when the check returns a promise',
      'knowledge.flagHelpers[1].method: only a "client" helper has a method',
    ]);
    assert.deepEqual(problems({ limiters: [{ module: './limits', exports: [] }, { module: './a' }, { module: './a' }] }), [
      'knowledge.limiters[0].exports: expected a non-empty array of the exported limiter names (omit it when every export is one)',
      'knowledge.limiters[2].module: ./a is already described above',
    ]);
  });

  it('a bad entry is left out, the good ones stay', () => {
    const r = userKnowledge({ loggers: [{ module: './log', style: 'nope' }, { module: './log2', style: 'bunyan' }] });
    assert.deepEqual(r.records.map((x) => x.id), ['user:logger:./log2']);
    assert.equal(r.problems.length, 1);
  });
});
