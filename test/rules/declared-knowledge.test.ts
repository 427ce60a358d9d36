/**
 * Rules reading what a project declared in .failpath.json "knowledge", as the Session puts it in
 * the view (workspace/conventions/declared.ts; test/workspace/declared.test.ts checks that part):
 * missing-timeout judges a declared HTTP client like a known library (its own deadline option, a
 * factory judged once at the create, the client's default), and missing-rate-limit takes every
 * export of a limiter module declared without `exports`.
 */
import { runRuleTests } from '../harness/ruleTester';
import { missingTimeout } from '../../server/src/rules/missing-timeout';
import { missingRateLimit } from '../../server/src/rules/missing-rate-limit';
import type { HttpWrapper, ProjectView } from '../../server/src/engine/view';

/** `@acme/http`: requests on the module (`get(url, opts)`), the deadline is `timeoutMs`. */
const MODULE_CLIENT: HttpWrapper = {
  file: '@acme/http', exportName: '*', setsDeadline: false,
  declared: { specifier: '@acme/http', calls: [{ path: ['get'], options: 1 }, { path: [], options: 1 }], timeoutOption: 'timeoutMs' },
};
/** `@acme/rest`: `createClient(opts)` makes the client, `api.get(url, opts)`. */
const FACTORY_CLIENT: HttpWrapper = {
  file: '@acme/rest', exportName: 'createClient', setsDeadline: false,
  declared: { specifier: '@acme/rest', factory: 'createClient', calls: [{ path: ['get'], options: 1 }], timeoutOption: 'timeoutMs' },
};
/** A module of the project: `fetchQuote(id, opts)`, deadline `deadlineMs`. */
const PROJECT_CLIENT: HttpWrapper = {
  file: '/project/src/lib/quotes.ts', exportName: '*', setsDeadline: false,
  declared: { specifier: './src/lib/quotes', calls: [{ path: ['fetchQuote'], options: 1 }], timeoutOption: 'deadlineMs' },
};
const view = (...httpWrappers: HttpWrapper[]): Partial<ProjectView> => ({ httpWrappers });
const WITH_DEFAULT: HttpWrapper = { ...MODULE_CLIENT, setsDeadline: true, declared: { ...MODULE_CLIENT.declared!, defaultTimeoutMs: 5000 } };

runRuleTests(missingTimeout, {
  valid: [
    { name: 'declared option set on the call', code: `import { get } from '@acme/http';\nawait get(url, { timeoutMs: 1000 });`, view: view(MODULE_CLIENT) },
    { name: 'a signal counts', code: `import * as http from '@acme/http';\nawait http.get(url, { signal: AbortSignal.timeout(1000) });`, view: view(MODULE_CLIENT) },
    { name: "the client's own default deadline", code: `import { get } from '@acme/http';\nawait get(url);`, view: view(WITH_DEFAULT) },
    { name: 'a member that is no request', code: `import * as http from '@acme/http';\nhttp.close(url);`, view: view(MODULE_CLIENT) },
    { name: 'options that cannot be seen', code: `import { get } from '@acme/http';\nawait get(url, opts);`, view: view(MODULE_CLIENT) },
    { name: 'the factory with the deadline option covers its calls', code: `import { createClient } from '@acme/rest';\nconst api = createClient({ baseUrl, timeoutMs: 2000 });\nawait api.get('/a');`, view: view(FACTORY_CLIENT) },
    { name: 'factory options that cannot be seen', code: `import { createClient } from '@acme/rest';\nconst api = createClient(config);\nawait api.get('/a');`, view: view(FACTORY_CLIENT) },
    { name: 'same names from another module', code: `import { get } from '@other/http';\nawait get(url);`, view: view(MODULE_CLIENT) },
    { name: 'without the declaration, an unknown module is not judged', code: `import { get } from '@acme/http';\nawait get(url);` },
  ],
  invalid: [
    {
      name: 'a request on the module without the option: the fix writes it',
      code: `import * as http from '@acme/http';\nawait http.get(url);`,
      view: view(MODULE_CLIENT),
      errors: [{ line: 2, column: 7, message: 'http.get() has no timeout' }],
      output: `import * as http from '@acme/http';\nawait http.get(url, { timeoutMs: 10000 });`,
    },
    {
      name: 'the default export called, options present without the deadline',
      code: `import acme from '@acme/http';\nawait acme(url, { retries: 2 });`,
      view: view(MODULE_CLIENT),
      errors: [{ line: 2, column: 7, message: 'acme() has no timeout' }],
      output: `import acme from '@acme/http';\nawait acme(url, { retries: 2, timeoutMs: 10000 });`,
    },
    {
      name: 'a project module through a relative import',
      code: `import { fetchQuote } from './lib/quotes';\nexport const q = () => fetchQuote('v2');`,
      filename: '/project/src/a.ts',
      view: view(PROJECT_CLIENT),
      errors: [{ line: 2, column: 24, message: 'fetchQuote() has no timeout' }],
      output: `import { fetchQuote } from './lib/quotes';\nexport const q = () => fetchQuote('v2', { deadlineMs: 10000 });`,
    },
    {
      name: 'the factory without the option: one finding at the create, not at its calls',
      code: `import { createClient } from '@acme/rest';\nconst api = createClient();\nawait api.get('/a');\nawait api.get('/b');`,
      view: view(FACTORY_CLIENT),
      errors: [{ line: 2, column: 13, message: 'createClient() without a timeout: @acme/rest waits forever by default' }],
      output: `import { createClient } from '@acme/rest';\nconst api = createClient({ timeoutMs: 10000 });\nawait api.get('/a');\nawait api.get('/b');`,
    },
  ],
});

const APP = `import express from 'express';
import { shield } from '@acme/limits';
const app = express();
app.use(shield);
app.post('/login', login);
app.listen(3000);`;

runRuleTests(missingRateLimit, {
  valid: [
    { name: 'a limiter module declared without exports: any name imported from it', code: APP, deps: { express: '^4.18.2' }, view: { limiters: [{ file: '@acme/limits', name: '*' }] } },
  ],
  invalid: [
    {
      name: 'control: the same app without the declaration',
      code: APP,
      deps: { express: '^4.18.2' },
      errors: [{ line: 3, column: 13, message: 'Express app `app` has no rate limiter' }],
    },
  ],
});
