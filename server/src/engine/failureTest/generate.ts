/**
 * The text of a failure test: arrange (make the dependency fail with what the project has),
 * act (call the function, or request the route), assert (the degraded behaviour the code
 * promises), in the syntax of the project's runner. Three scenarios: the call times out, the
 * dependency answers 5xx (a server error for DB/cache/SDK clients), the connection is refused.
 * Pure string building; the output is checked to parse in the tests.
 */
import * as path from 'node:path';
import type { Runner } from './layout';
import type { Strategy } from './strategy';
import type { ClientDependency, Expectation, FailureTarget, Gap, HttpDependency, RouteInvoke } from './target';
import { FRAMEWORK, IO, KNOWLEDGE, LIB, RUNNER, fill, lib, moduleOf } from '../../knowledge';

/** Modules the generated tests import (names from knowledge/). */
const MOD = {
  vitest: moduleOf(LIB.vitest), nodeTest: moduleOf(LIB.nodeTest), assert: lib(LIB.nodeAssert).modules[1],
  undici: moduleOf(LIB.undici), nock: moduleOf(LIB.nock), msw: moduleOf(LIB.msw), mswServer: lib(LIB.msw).testing!.httpMock!.serverEntry!,
  supertest: moduleOf(LIB.supertest), nestTesting: moduleOf(LIB.nestjsTesting),
  express: moduleOf(LIB.express), koa: moduleOf(LIB.koa), fastify: moduleOf(LIB.fastify),
};
const VI = lib(LIB.vitest).testing!.mockApi!;
const JEST = lib(LIB.jest).testing!.mockApi!;
const PINO_HTTP = lib(LIB.pinoHttp);

export interface GenerateInput {
  target: FailureTarget;
  runner: Runner;
  strategy: Strategy;
  /** Source file and test file, relative to the project root with `/` separators. */
  sourceRel: string;
  testRel: string;
  /** The deadline the test allows when the code names none (the configured `timeoutMs`). */
  defaultTimeoutMs: number;
  /** Quote character of the source file. */
  quote?: "'" | '"';
}

/** Extra time a call may take past its deadline before the test calls it hung. */
export const GRACE_MS = 500;
/** How much longer than the deadline the slow dependency takes to answer. */
export const SLOW_BY_MS = 1000;

type Scenario = 'timeout' | 'error' | 'refused';

interface Syntax {
  imports: string[];
  it(name: string, timeoutMs: number, body: string[]): string[];
  hook(kind: 'beforeEach' | 'afterEach', body: string[]): string[];
  equal(actual: string, expected: string): string;
  ok(cond: string, message: string): string;
  rejects(act: string): string;
  stub(obj: string, method: string, impl: string): string;
  restore?: string;
  /** Watch `obj.method` (calling through) as `logged`; and assert it was called. */
  watch(obj: string, method: string): string;
  called(spy: string, message: string): string;
}

function syntaxFor(runner: Runner, typed: boolean, q: string): Syntax {
  const indent = (body: string[]) => body.map((l) => (l ? `  ${l}` : l));
  const expectStyle = (name: string): Syntax => ({
    imports: name === VI ? [`import { afterEach, beforeEach, describe, expect, it, ${VI} } from ${q}${MOD.vitest}${q};`] : [],
    it: (n, t, body) => [`it(${str(n, q)}, async () => {`, ...indent(body), `}, ${t});`],
    hook: (k, body) => [`${k}(async () => {`, ...indent(body), '});'],
    equal: (a, e) => `expect(${a}).toEqual(${e});`,
    ok: (c, m) => `expect(${c}, ${m}).toBe(true);`,
    rejects: (act) => `await expect(${act}).rejects.toBeDefined();`,
    stub: (o, m, impl) => `${name}.spyOn(${o}, ${str(m, q)}).mockImplementation(${impl});`,
    restore: `${name}.restoreAllMocks();`,
    watch: (o, m) => `const logged = ${name}.spyOn(${o}, ${str(m, q)});`,
    called: (spy) => `expect(${spy}).toHaveBeenCalled();`,
  });
  switch (runner) {
    case RUNNER.vitest: return expectStyle(VI);
    case RUNNER.jest: {
      const s = expectStyle(JEST);
      // jest's expect takes no message: say it in a thrown error instead
      return { ...s, ok: (c, m) => `if (!(${c})) throw new Error(${m});` };
    }
    case RUNNER.mocha:
    case RUNNER.nodeTest: {
      const node = runner === RUNNER.nodeTest;
      return {
        imports: [
          ...(node ? [`import { afterEach, beforeEach, describe, it, mock } from ${q}${MOD.nodeTest}${q};`] : []),
          `import assert from ${q}${MOD.assert}${q};`,
        ],
        it: node
          ? (n, t, body) => [`it(${str(n, q)}, { timeout: ${t} }, async () => {`, ...indent(body), '});']
          : (n, t, body) => [`it(${str(n, q)}, async function () {`, `  this.timeout(${t});`, ...indent(body), '});'],
        hook: (k, body) => [`${k}(async () => {`, ...indent(body), '});'],
        equal: (a, e) => `assert.deepEqual(${a}, ${e});`,
        ok: (c, m) => `assert.ok(${c}, ${m});`,
        rejects: (act) => `await assert.rejects(() => ${act});`,
        stub: node
          ? (o, m, impl) => `mock.method(${o}, ${str(m, q)}, ${impl});`
          : (o, m, impl) => `stub(${o}, ${str(m, q)}, ${impl});`,
        restore: node ? 'mock.restoreAll();' : 'while (restores.length > 0) restores.pop()!();'.replace('!()', typed ? '!()' : '()'),
        watch: node
          ? (o, m) => `const logged = mock.method(${o}, ${str(m, q)});`
          : (o, m) => `const logged = { count: 0 };\nstub(${o}, ${str(m, q)}, () => { logged.count++; });`,
        called: node
          ? (spy, msg) => `assert.ok(${spy}.mock.callCount() > 0, ${msg});`
          : (spy, msg) => `assert.ok(${spy}.count > 0, ${msg});`,
      };
    }
  }
}

function str(s: string, q: string): string {
  return q + s.replace(/\\/g, '\\\\').replace(new RegExp(q, 'g'), `\\${q}`) + q;
}

/** The import specifier of `targetRel` (root-relative) from the test file, in the source's extension style. */
function specifier(fromTestRel: string, targetRel: string, ext: string): string {
  let rel = path.posix.relative(path.posix.dirname(fromTestRel), targetRel);
  if (!rel.startsWith('.')) rel = `./${rel}`;
  return rel.replace(/\.[cm]?[jt]sx?$/, '') + ext;
}

/** A relative specifier as written in the source, re-based on the test file. */
function rebase(input: GenerateInput, spec: string): string {
  if (!spec.startsWith('.')) return spec;
  const abs = path.posix.normalize(path.posix.join(path.posix.dirname(input.sourceRel), spec));
  let rel = path.posix.relative(path.posix.dirname(input.testRel), abs);
  if (!rel.startsWith('.')) rel = `./${rel}`;
  return rel;
}

const SCENARIO_TITLE: Record<Scenario, (http: boolean) => string> = {
  timeout: () => 'timeout',
  error: (http) => (http ? '503 from the dependency' : 'server error'),
  refused: () => 'connection refused',
};

export function generateFailureTest(input: GenerateInput): string {
  const { target, runner, strategy } = input;
  const q = input.quote ?? "'";
  const typed = /\.[cm]?tsx?$/.test(input.testRel);
  const t = (s: string) => (typed ? s : '');
  const syn = syntaxFor(runner, typed, q);
  const dep = target.dependency;
  const http = dep.kind === IO.http;
  const invoke = target.invoke;
  const subject = invoke.kind === 'function' ? `${invoke.name}()` : `${invoke.method} ${invoke.path}`;
  const deadline = target.deadlineMs ?? input.defaultTimeoutMs;
  const lines: string[] = [];
  const imports: string[] = [...syn.imports];
  const setup: string[] = [];
  const before: string[] = [];
  const after: string[] = [];
  const imp = (what: string, from: string) => imports.push(`import ${what} from ${str(from, q)};`);

  lines.push(`// Generated by Failpath: what ${subject} does when ${target.callee} fails (timeout / ${http ? '5xx' : 'server error'} / connection refused).`);
  const logNote = target.logs ? ` It logs the failure (${target.logs.name}.${target.logs.method}).` : '';
  lines.push(`// ${expectationSentence(target.expect, invoke.kind === 'route')}${logNote}`);

  // ---- arrange: the failing dependency ----
  const constants: string[] = [
    `/** The deadline ${target.deadlineMs !== undefined ? 'the code gives the call' : target.gaps.timeout ? 'the call should have (the configured timeoutMs)' : 'the test allows (the configured timeoutMs)'}. */`,
    `const DEADLINE_MS = ${deadline};`,
    '/** A reply slower than the deadline. */',
    `const SLOW_REPLY_MS = DEADLINE_MS + ${SLOW_BY_MS};`,
    `const GRACE_MS = ${GRACE_MS};`,
  ];
  const arrange: Record<Scenario, string[]> = { timeout: [], error: [], refused: [] };
  if (dep.kind === IO.http) httpArrange(dep, strategy, imp, setup, before, after, arrange, q, t);
  else clientArrange(dep, strategy, input, imp, setup, before, arrange, q, t, runner);
  const logs = target.logs;
  if (logs) {
    const what = logs.imported === 'default' ? logs.name : logs.imported === logs.name ? `{ ${logs.name} }` : `{ ${logs.imported} as ${logs.name} }`;
    imp(what, rebase(input, logs.from));
  }
  const restoring = strategy.kind === 'spy' || !!logs;
  if (runner === RUNNER.mocha && restoring) {
    setup.push(
      `const restores${t(': (() => void)[]')} = [];`,
      `function stub(obj${t(': any')}, method${t(': string')}, impl${t(': (...args: any[]) => unknown')}) {`,
      '  const original = obj[method];',
      '  obj[method] = impl;',
      '  restores.push(() => { obj[method] = original; });',
      '}',
    );
  }

  // ---- act ----
  let act: string;
  if (invoke.kind === 'function') {
    const spec = specifier(input.testRel, input.sourceRel, target.importExtension);
    imp(invoke.exportKind === 'default' ? invoke.name : `{ ${invoke.name} }`, spec);
    act = `${invoke.name}(${invoke.args.join(', ')})`;
  } else {
    act = routeAct(invoke, input, imp, setup, q);
  }

  // ---- assert ----
  const scenarios: Scenario[] = ['timeout', 'error', 'refused'];
  const describeBody: string[] = [];
  if (before.length) describeBody.push(...syn.hook('beforeEach', before), '');
  const afterBody = restoring && syn.restore ? [syn.restore, ...after] : after;
  if (afterBody.length) describeBody.push(...syn.hook('afterEach', afterBody), '');
  scenarios.forEach((sc, i) => {
    const body: string[] = [];
    if (sc === 'timeout' && target.gaps.timeout) body.push(gapComment(target.gaps.timeout, 'timeout', input.sourceRel));
    if (target.gaps.fallback) body.push(gapComment(target.gaps.fallback, 'fallback', input.sourceRel));
    body.push(...arrange[sc]);
    if (logs) body.push(...syn.watch(logs.name, logs.method).split('\n'));
    body.push('const started = Date.now();');
    body.push(...outcome(target.expect, act, invoke.kind === 'route' ? invoke : undefined, syn));
    if (logs) body.push(syn.called('logged', str(`${logs.name}.${logs.method} was not called`, q)));
    if (sc === 'timeout') body.push(syn.ok('Date.now() - started < DEADLINE_MS + GRACE_MS', '`still waiting after the ${DEADLINE_MS} ms deadline`'));
    else body.push(syn.ok('Date.now() - started < DEADLINE_MS', '`took longer than the ${DEADLINE_MS} ms deadline to fail`'));
    const name = `${SCENARIO_TITLE[sc](http)}: ${expectationShort(target.expect)}`;
    describeBody.push(...syn.it(name, sc === 'timeout' ? deadline + SLOW_BY_MS + 2000 : deadline + 2000, body));
    if (i < scenarios.length - 1) describeBody.push('');
  });

  const used = (names: string[]) => names.filter((n) => new RegExp(`(^|[^\\w.])${n}[.(]`).test(['describe(', ...setup, ...describeBody].join('\n')));
  const runnerImport = new RegExp(`^import \\{ ([^}]+) \\} from (['"])(${MOD.vitest}|${MOD.nodeTest})\\2;$`);
  const runnerImports = imports.map((l) => l.replace(runnerImport, (_m, names: string, qq: string, mod: string) =>
    `import { ${used(names.split(', ')).join(', ')} } from ${qq}${mod}${qq};`));
  const uniqueImports = [...new Set(runnerImports)].map((l) => (target.esm ? l : requireOf(l)));
  lines.push(...uniqueImports, '');
  lines.push(...constants, '');
  if (setup.length) lines.push(...setup, '');
  lines.push(`describe(${str(`${subject} when ${target.callee} fails`, q)}, () => {`);
  lines.push(...describeBody.map((l) => (l ? `  ${l}` : l)));
  lines.push('});', '');
  return lines.join('\n');
}

/** `import { a, b as c } from 'm';` → `const { a, b: c } = require('m');`, `import x from 'm';` → `const x = require('m');`. */
function requireOf(line: string): string {
  const m = /^import (.+) from (.+);$/.exec(line);
  if (!m) return line;
  const what = m[1].startsWith('* as ') ? m[1].slice(5) : m[1].replace(/\btype \w+,?\s*/g, '').replace(/ as /g, ': ');
  return `const ${what} = require(${m[2]});`;
}

function expectationSentence(e: Expectation, route: boolean): string {
  switch (e.kind) {
    case 'value': return `The code promises: it falls back to ${e.text}, within its deadline.`;
    case 'resolves': return 'The code promises: it degrades (resolves without throwing), within its deadline.';
    case 'rejects': return 'The code promises: it fails fast (rejects within its deadline) and leaves recovery to its caller.';
    case 'status': return route && e.statuses.length === 1
      ? `The code promises: the route answers ${e.statuses[0]}, within its deadline.`
      : `The code promises: the route answers an error status (${e.statuses.join('/')}) instead of hanging, within its deadline.`;
  }
}

function expectationShort(e: Expectation): string {
  switch (e.kind) {
    case 'value': return `falls back to ${e.text}`;
    case 'resolves': return 'degrades without throwing';
    case 'rejects': return 'fails fast';
    case 'status': return e.statuses.length === 1 ? `answers ${e.statuses[0]}` : 'answers an error status';
  }
}

function gapComment(gap: Gap, what: 'timeout' | 'fallback', sourceRel: string): string {
  const where = `${sourceRel}:${gap.line}`;
  const rule = gap.ruleId ? `${gap.ruleId} at ${where}` : `no ${what === 'timeout' ? 'deadline' : 'fallback'} found at ${where}`;
  return what === 'timeout'
    ? `// Failpath: ${rule} — the call has no deadline, so this test fails until it gets one.`
    : `// Failpath: ${rule} — nothing handles this failure, so this test fails until the code degrades.`;
}

function outcome(e: Expectation, act: string, route: RouteInvoke | undefined, syn: Syntax): string[] {
  if (route) {
    const out = [`const res = await ${act};`];
    const status = route.framework === FRAMEWORK.fastify ? 'res.statusCode' : 'res.status';
    if (e.kind === 'status' && e.statuses.length === 1) out.push(syn.equal(status, String(e.statuses[0])));
    else out.push(syn.ok(`[${(e.kind === 'status' ? e.statuses : [500, 502, 503, 504]).join(', ')}].includes(${status})`, `\`answered \${${status}}\``));
    return out;
  }
  switch (e.kind) {
    case 'value': return [`const result = await ${act};`, syn.equal('result', e.text)];
    case 'resolves': return [`await ${act}; // resolves: the failure was absorbed`];
    case 'rejects': return [syn.rejects(act)];
    case 'status': return [`await ${act};`];
  }
}

// ---- HTTP dependencies ---------------------------------------------------------------------------

type Imp = (what: string, from: string) => void;

function httpArrange(dep: HttpDependency, strategy: Strategy, imp: Imp, setup: string[], before: string[], after: string[],
  arrange: Record<Scenario, string[]>, q: string, t: (s: string) => string): void {
  const origin = dep.origin;
  const method = dep.method;
  if (strategy.kind === LIB.undici) {
    imp(`{ MockAgent, getGlobalDispatcher, setGlobalDispatcher${t(', type Dispatcher')} }`, MOD.undici);
    setup.push(`const ORIGIN = ${origin ? str(origin, q) : '/.*/'};`);
    setup.push(`let agent${t(': MockAgent')};`, `let previous${t(': Dispatcher')};`);
    const pathMatcher = dep.path === undefined ? '() => true' : dep.exactPath && !dep.query ? str(dep.path, q) : `(path${t(': string')}) => path.startsWith(${str(dep.path, q)})`;
    setup.push(`const endpoint = () => agent.get(ORIGIN).intercept({ path: ${pathMatcher}, method: ${method ? str(method, q) : '() => true'} });`);
    before.push('previous = getGlobalDispatcher();', 'agent = new MockAgent();', 'agent.disableNetConnect();', 'setGlobalDispatcher(agent);');
    after.push('setGlobalDispatcher(previous);', 'await agent.close();');
    arrange.timeout.push('endpoint().reply(200, {}).delay(SLOW_REPLY_MS);');
    arrange.error.push(`endpoint().reply(503, { error: ${str('unavailable', q)} });`);
    arrange.refused.push(`endpoint().replyWithError(Object.assign(new Error(${str('connect ECONNREFUSED 127.0.0.1:443', q)}), { code: ${str('ECONNREFUSED', q)} }));`);
    return;
  }
  if (strategy.kind === LIB.nock) {
    // the default export, bound under the module's own name
    imp(MOD.nock, MOD.nock);
    setup.push(`const ORIGIN = ${origin ? str(origin, q) : '/.*/'};`);
    const pathMatcher = dep.path === undefined ? '/.*/' : dep.exactPath && !dep.query ? str(dep.path, q) : `(path${t(': string')}) => path.startsWith(${str(dep.path, q)})`;
    setup.push(`const endpoint = () => nock(ORIGIN).intercept(${pathMatcher}, ${str(method ?? 'GET', q)});`);
    before.push('nock.disableNetConnect();');
    after.push('nock.cleanAll();', 'nock.enableNetConnect();');
    arrange.timeout.push('endpoint().delay(SLOW_REPLY_MS).reply(200, {});');
    arrange.error.push(`endpoint().reply(503, { error: ${str('unavailable', q)} });`);
    arrange.refused.push(`endpoint().replyWithError(Object.assign(new Error(${str('connect ECONNREFUSED 127.0.0.1:443', q)}), { code: ${str('ECONNREFUSED', q)} }));`);
    return;
  }
  // msw
  imp('{ http, HttpResponse, delay }', MOD.msw);
  imp('{ setupServer }', MOD.mswServer);
  const url = `${origin ?? '*'}${dep.path === undefined ? '/*' : dep.exactPath ? dep.path : `${dep.path.replace(/\/$/, '')}/*`}`;
  setup.push(`const URL_PATTERN = ${str(url, q)};`, 'const server = setupServer();');
  const verb = method ? method.toLowerCase() : 'all';
  before.push(`server.listen({ onUnhandledRequest: ${str('error', q)} });`);
  after.push('server.resetHandlers();', 'server.close();');
  arrange.timeout.push(`server.use(http.${verb}(URL_PATTERN, async () => { await delay(SLOW_REPLY_MS); return HttpResponse.json({}); }));`);
  arrange.error.push(`server.use(http.${verb}(URL_PATTERN, () => HttpResponse.json({ error: ${str('unavailable', q)} }, { status: 503 })));`);
  arrange.refused.push(`server.use(http.${verb}(URL_PATTERN, () => HttpResponse.error()));`);
}

// ---- DB / cache / SDK clients ----------------------------------------------------------------------

function clientArrange(dep: ClientDependency, strategy: Strategy, input: GenerateInput, imp: Imp, setup: string[], before: string[],
  arrange: Record<Scenario, string[]>, q: string, t: (s: string) => string, runner: Runner): void {
  // what the driver says when it fails (knowledge/: io.failures; generic messages for SDKs)
  const family = KNOWLEDGE.failuresOf(dep.module);
  setup.push(
    `/** What the ${dep.module} client does in the current scenario. */`,
    `let mockResponse${t(': () => Promise<unknown>')} = async () => undefined;`,
    `function failure(message${t(': string')}, code${t(': string')}) {`,
    '  return Object.assign(new Error(message), { code });',
    '}',
  );
  const call = `(..._args${t(': unknown[]')}) => mockResponse()`;
  if (strategy.kind === 'spy' && dep.source.kind === 'import') {
    const src = dep.source;
    const what = src.imported === 'default' ? src.name : src.imported === '*' ? `* as ${src.name}` : src.imported === src.name ? `{ ${src.name} }` : `{ ${src.imported} as ${src.name} }`;
    imp(what, rebase(input, src.from));
    const owner = [src.name, ...dep.between].join('.');
    before.push(syntaxFor(runner, !!t('x'), q).stub(owner, dep.method, call));
  } else if (strategy.kind === 'fake' && dep.source.kind === 'parameter') {
    let fake = `{ ${dep.method}: ${call} }`;
    for (const m of [...dep.between].reverse()) fake = `{ ${m}: ${fake} }`;
    setup.push(`/** The client the code takes as a parameter, failing as the scenario says. */`, `const fake = ${fake};`);
  } else if (strategy.kind === 'module-mock') {
    const fn = runner === RUNNER.jest ? JEST : VI;
    const shape = moduleShape(strategy.factory ?? []);
    setup.push(
      `// every ${dep.module} client the code creates answers with mockResponse()`,
      `${fn}.mock(${str(dep.module, q)}, () => {`,
      `  function FakeClient()${t(': any')} {`,
      `    const handler${t(': ProxyHandler<object>')} = { get: (_target, prop) => (prop === ${str('then', q)} ? undefined : new Proxy(() => mockResponse(), handler)) };`,
      '    return new Proxy({}, handler);',
      '  }',
      `  return ${shape};`,
      '});',
    );
  }
  const slow = dep.deadlineConfigured === false
    ? 'mockResponse = () => new Promise((resolve) => setTimeout(resolve, SLOW_REPLY_MS));'
    : `mockResponse = async () => { throw failure(${str(family.timeout.message, q)}, ${str(family.timeout.code, q)}); }; // what the client's deadline produces`;
  arrange.timeout.push(slow);
  arrange.error.push(`mockResponse = async () => { throw failure(${str(family.error.message, q)}, ${str(family.error.code, q)}); };`);
  arrange.refused.push(`mockResponse = async () => { throw failure(${str(family.refused.message, q)}, ${str(family.refused.code, q)}); };`);
}

/** The mocked module's exports: the factory under its own name and as (a member of) the default export. */
function moduleShape(factory: readonly string[]): string {
  const named = factory.filter((p) => p !== 'default' && p !== '*');
  const last = named[named.length - 1];
  if (!last) return '{ default: FakeClient }';
  return `{ default: { ${last}: FakeClient }, ${last}: FakeClient }`;
}

// ---- routes ----------------------------------------------------------------------------------------

function routeAct(invoke: RouteInvoke, input: GenerateInput, imp: Imp, setup: string[], q: string): string {
  const spec = specifier(input.testRel, input.sourceRel, input.target.importExtension);
  const name = invoke.exportName;
  imp(invoke.exportKind === 'default' ? name : `{ ${name} }`, spec);
  const verb = invoke.method === 'ALL' ? 'get' : invoke.method.toLowerCase();
  const body = ['post', 'put', 'patch'].includes(verb) ? '.send({})' : '';
  const url = str(invoke.url, q);
  switch (invoke.framework) {
    case FRAMEWORK.express: {
      imp('request', MOD.supertest);
      if (invoke.role === 'app') return `request(${name}).${verb}(${url})${body}`;
      // the module's default export is bound under the module's own name
      imp(MOD.express, MOD.express);
      const mw = invoke.needs.includes(PINO_HTTP.modules[0]) ? PINO_HTTP.middleware : undefined;
      if (mw) imp(mw.import.binding, PINO_HTTP.modules[0]);
      setup.push('function app() {', `  const app = ${MOD.express}();`, `  app.use(${MOD.express}.json());`);
      if (mw) setup.push(`  ${fill(mw.mount, { app: 'app' })};`);
      setup.push(`  app.use(${name});`, '  return app;', '}');
      return `request(app()).${verb}(${url})${body}`;
    }
    case FRAMEWORK.koa: {
      imp('request', MOD.supertest);
      if (invoke.role === 'app') return `request(${name}.callback()).${verb}(${url})${body}`;
      imp('Koa', MOD.koa);
      setup.push('function app() {', '  const app = new Koa();', `  app.use(${name}.routes());`, '  return app.callback();', '}');
      return `request(app()).${verb}(${url})${body}`;
    }
    case FRAMEWORK.fastify: {
      const payload = body ? ', payload: {}' : '';
      if (invoke.role === 'app') return `${name}.inject({ method: ${str(invoke.method === 'ALL' ? 'GET' : invoke.method, q)}, url: ${url}${payload} })`;
      imp('Fastify', MOD.fastify);
      setup.push('async function app() {', '  const app = Fastify();', `  await app.register(${name});`, '  return app;', '}');
      return `(await app()).inject({ method: ${str(invoke.method === 'ALL' ? 'GET' : invoke.method, q)}, url: ${url}${payload} })`;
    }
    case FRAMEWORK.nestjs: {
      imp('request', MOD.supertest);
      imp('{ Test }', MOD.nestTesting);
      const dep = input.target.dependency;
      const member = dep.kind === 'client' && dep.source.kind === 'member' ? dep.source.name : undefined;
      const providers: string[] = [];
      for (const p of invoke.providers ?? []) {
        if (p.from) imp(`{ ${p.type} }`, rebase(input, p.from));
        const fake = p.name === member && dep.kind === 'client'
          ? [...dep.between].reverse().reduce((inner, m) => `{ ${m}: ${inner} }`, `{ ${dep.method}: () => mockResponse() }`)
          : '{}';
        providers.push(`{ provide: ${p.type}, useValue: ${fake} }`);
      }
      setup.push(
        'async function app() {',
        `  const moduleRef = await Test.createTestingModule({ controllers: [${name}], providers: [${providers.join(', ')}] }).compile();`,
        '  const app = moduleRef.createNestApplication();',
        '  await app.init();',
        '  return app.getHttpServer();',
        '}',
      );
      return `request(await app()).${verb}(${url})${body}`;
    }
    default:
      return 'undefined';
  }
}
