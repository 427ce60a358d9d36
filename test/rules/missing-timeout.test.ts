import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runRule, runRuleTests } from '../harness/ruleTester';
import { missingTimeout } from '../../server/src/rules/missing-timeout';
import { analyze } from '../../server/src/engine/analyze';
import type { HttpWrapper, ProjectView } from '../../server/src/engine/view';

const withWrappers = (...httpWrappers: HttpWrapper[]): Partial<ProjectView> => ({ httpWrappers });
const API_WITHOUT_DEADLINE: HttpWrapper = { file: '/project/src/lib/http.ts', exportName: 'api', setsDeadline: false, library: 'axios' };
const API_WITH_DEADLINE: HttpWrapper = { ...API_WITHOUT_DEADLINE, setsDeadline: true };

runRuleTests(missingTimeout, {
  valid: [
    // browser code sharing a package with a server: a zustand store (umami src/store/version.ts), a @vercel/blob/client upload (papermark)
    { name: 'a zustand store is browser code', code: `import { create } from 'zustand';\nexport const useVersion = create(() => ({ latest: '' }));\nexport async function checkVersion() {\n  const data = await fetch('https://api.umami.is/v1/updates');\n  return data.json();\n}`, filename: 'src/store/version.ts', deps: ['next', 'react', 'prisma'] },
    { name: '@vercel/blob/client is browser code', code: `import { upload } from '@vercel/blob/client';\nexport async function putFile(url: string) {\n  const res = await fetch(url, { method: 'POST' });\n  return upload('x', await res.blob(), { access: 'public', handleUploadUrl: '/api/upload' });\n}`, filename: 'lib/files/put-file.ts', deps: ['next', 'react'] },
    // deadlines that exist
    `await fetch(url, { signal: AbortSignal.timeout(5000) });`,
    `const controller = new AbortController();\nawait fetch(url, { method: 'POST', signal: controller.signal });`,
    `import axios from 'axios';\nawait axios.get(url, { timeout: 3000 });`,
    `import axios from 'axios';\nawait axios.post(url, body, { timeout: 3000, headers });`,
    `import axios from 'axios';\nawait axios({ url, method: 'get', timeout: 1000 });`,
    `import axios from 'axios';\nconst api = axios.create({ baseURL: 'https://api', timeout: 5000 });\nexport const f = () => api.get('/users');`,
    `import axios from 'axios';\naxios.defaults.timeout = 5000;\nexport const f = () => axios.get('/users');`,
    `import got from 'got';\nawait got(url, { timeout: { request: 1000 } });`,
    `import got from 'got';\nconst client = got.extend({ prefixUrl: 'https://x', timeout: { request: 2000 } });\nawait client.get('a');`,
    `import ky from 'ky';\nawait ky.get(url).json();`, // ky's 10 s default
    `import superagent from 'superagent';\nawait superagent.get(url).set('a', 'b').timeout(5000);`,
    `import https from 'node:https';\nhttps.get(url, { signal: AbortSignal.timeout(1000) }, (res) => res.resume());`,
    `import * as http from 'http';\nconst req = http.request(opts, onResponse);\nreq.setTimeout(5000);\nreq.end();`,
    `import { request } from 'undici';\nawait request(url, { headersTimeout: 5000, bodyTimeout: 5000 });`,
    `import { fetch, Agent } from 'undici';\nawait fetch(url, { dispatcher: new Agent({ headersTimeout: 1000 }) });`,
    // options held in a const object literal in scope are read (issue 14 recall)
    { name: 'const init object with a signal', code: `export async function send(url: string, body: string) {\n  const opts = { method: 'POST', body, signal: AbortSignal.timeout(5000) };\n  return fetch(url, opts);\n}` },
    { name: 'spread of a const literal with a signal', code: `const base = { signal: AbortSignal.timeout(5000) };\nexport const send = (url: string) => fetch(url, { ...base, method: 'POST' });` },
    { name: 'const axios config with a timeout', code: `import axios from 'axios';\nconst config = { headers: {}, timeout: 3000 };\nexport const get = (url: string) => axios.get(url, config);` },
    { name: 'const request options with a timeout', code: `import https from 'node:https';\nconst options = { host: 'api.example.com', path: '/', timeout: 5000 };\nexport const ping = () => https.request(options, (res) => res.resume()).end();` },
    { name: 'a const written to later cannot be seen', code: `export async function send(url: string) {\n  const opts: RequestInit = { method: 'POST' };\n  opts.signal = AbortSignal.timeout(5000);\n  return fetch(url, opts);\n}` },
    { name: 'a parameter shadowing a const cannot be seen', code: `const opts = { method: 'GET' };\nexport const send = (url: string, opts: RequestInit) => fetch(url, opts);` },
    { name: 'a let cannot be seen', code: `export async function send(url: string) {\n  let opts = { method: 'POST' };\n  return fetch(url, opts);\n}` },
    // (ssl ? https : http).request(): both modules of node:http
    { name: 'conditional node:http module with a timeout', code: `import http from 'node:http';\nimport https from 'node:https';\nexport const get = (ssl: boolean, url: string) => (ssl ? https : http).get(url, { timeout: 5000 }, (res) => res.resume());` },
    // opaque options: cannot see, stay silent
    `await fetch(url, init);`,
    `import axios from 'axios';\nawait axios.get(url, config);`,
    `import axios from 'axios';\nawait axios.get(url, { ...defaults, headers });`,
    `import axios from 'axios';\nconst api = axios.create(buildConfig());\nawait api.get('/x');`,
    // not HTTP calls / not the global fetch
    `import axios from 'axios';\nif (axios.isAxiosError(e)) {}`,
    `function fetch(id: string) { return db.find(id); }\nfetch('1');`,
    `this.store.fetch(id);`,
    `import { createServer } from 'http';\ncreateServer(handler).listen(3000);`,
    // tests, browser code and scripts are out of scope
    { name: 'a relative URL only resolves in a browser', code: `const res = await fetch('/api/files/upload', { method: 'POST', body });` },
    { name: 'relative template URL', code: 'const res = await fetch(`/api/users/${id}`);' },
    { name: 'client-only folder', code: `await fetch(downloadUrl);`, filename: 'packages/lib/client-only/download.ts' },
    { name: 'examples folder', code: `await fetch(uploadUrl);`, filename: 'packages/api/examples/upload.ts' },
    { name: 'testing helpers library', code: `await fetch(url);`, filename: 'libs/testing/src/notify.ts' },
    { code: `await fetch(url);`, filename: 'src/users.test.ts' },
    { code: `'use client';\nexport function C() { fetch('/api'); return null; }`, filename: 'app/page.tsx' },
    { code: `#!/usr/bin/env node\nawait fetch(url);`, filename: 'bin/sync.ts' },
    { name: 'a frontend package (React, no server framework) is browser code', code: `export const load = () => fetch('/api/users');`, filename: '/project/src/hooks/useUsers.ts', deps: ['react', 'react-dom', 'swr'] },
    // axios instances with deadlines (moved from missing-client-timeout: the create of an HTTP instance is this rule's)
    `import axios from 'axios';\nexport const api = axios.create({ baseURL: 'https://api', timeout: 5000 });`,
    `import axios from 'axios';\nexport const api = axios.create(buildConfig());`,
    `import axios from 'axios';\naxios.defaults.timeout = 8000;\nexport const api = axios.create({ baseURL });`,
    `import axios from 'axios';\nexport const api = axios.create({ baseURL });\napi.defaults.timeout = 8000;`,
    `import axios from 'axios';\nexport function client() {\n  const api = axios.create({ baseURL });\n  api.defaults.timeout = 3000;\n  return api;\n}`,
    { name: 'every call on the instance brings its own deadline', code: `import axios from 'axios';\nconst api = axios.create({ baseURL });\nexport const a = () => api.get('/a', { timeout: 1000 });\nexport const b = (x: unknown) => api.post('/b', x, { signal: AbortSignal.timeout(1000) });` },
    { name: 'inline instance with a per-call timeout', code: `import axios from 'axios';\nawait axios.create().post(url, body, { timeout: 5000 });` },
    { name: 'instance handed to a wrapper: its uses are the wrapper\'s', code: `import axios from 'axios';\nimport { wrapper } from 'axios-cookiejar-support';\nexport const client = wrapper(axios.create());` },
    { code: `import axios from 'axios';\nexport const api = axios.create({ baseURL: '/api' });`, filename: 'src/client/api.ts', deps: ['react', 'axios'] },
    // project HTTP wrappers (view.httpWrappers): one that sets a deadline covers the calls through it
    { name: 'wrapper with a deadline covers its calls (relative import)', code: `import { api } from './lib/http';\nexport const load = () => api.get('/users');`, view: withWrappers(API_WITH_DEADLINE), filename: '/project/src/users.ts' },
    { name: 'wrapper with a deadline covers its calls (alias import)', code: `import { api } from '~/lib/http';\nexport const load = () => api.post('/users', body);`, view: withWrappers(API_WITH_DEADLINE), filename: '/project/src/routes/users.ts' },
    { name: 'wrapper without a deadline: a call with its own timeout is fine', code: `import { api } from './lib/http';\nexport const load = () => api.get('/users', { timeout: 2000 });`, view: withWrappers(API_WITHOUT_DEADLINE), filename: '/project/src/users.ts' },
    { name: 'a wrapper function (not a client instance) is judged in its own file', code: `import { fetchJson } from './lib/http';\nexport const load = () => fetchJson('/users');`, view: withWrappers({ file: '/project/src/lib/http.ts', exportName: 'fetchJson', setsDeadline: false, library: 'fetch' }), filename: '/project/src/users.ts' },
    { name: 'same export name from another module is not the wrapper', code: `import { api } from './other';\nexport const load = () => api.get('/users');`, view: withWrappers(API_WITHOUT_DEADLINE), filename: '/project/src/users.ts' },
    // suppressed
    `// failpath-disable-next-line missing-timeout -- the proxy enforces a 2 s deadline\nawait fetch(url);`,
  ],
  invalid: [
    {
      name: 'const init object without a deadline (no fix: the literal may be shared)',
      code: `export async function send(url: string, body: string) {\n  const opts = { method: 'POST', body };\n  return fetch(url, opts);\n}`,
      errors: [{ line: 3, column: 10, message: 'fetch() has no timeout' }],
      output: null,
    },
    {
      name: 'spread of a const literal without a deadline',
      code: `const base = { headers: { accept: 'application/json' } };\nexport const send = (url: string) => fetch(url, { ...base, method: 'POST' });`,
      errors: [{ line: 2, column: 38, message: 'fetch() has no timeout' }],
      output: null,
    },
    {
      name: 'const axios config without a timeout',
      code: `import axios from 'axios';\nconst config = { headers: {} };\nexport const get = (url: string) => axios.get(url, config);`,
      errors: [{ line: 3, column: 37, message: 'axios.get() has no timeout' }],
      output: null,
    },
    {
      name: 'const request options without a timeout',
      code: `import https from 'node:https';\nconst options = { host: 'api.example.com', path: '/' };\nexport const ping = () => https.request(options, (res) => res.resume()).end();`,
      errors: [{ line: 3, column: 27 }],
      output: null,
    },
    {
      name: '(ssl ? https : http).request() is node:http',
      code: `import http from 'node:http';\nimport https from 'node:https';\nexport const get = (ssl: boolean, url: string) => (ssl ? https : http).get(url, (res) => res.resume());`,
      errors: [{ line: 3, column: 51 }],
      output: `import http from 'node:http';\nimport https from 'node:https';\nexport const get = (ssl: boolean, url: string) => (ssl ? https : http).get(url, { signal: AbortSignal.timeout(10000) }, (res) => res.resume());`,
    },
    {
      code: `export async function load(url: string) {\n  return fetch(url);\n}\n`,
      errors: [{ line: 2, column: 10, endLine: 2, endColumn: 15, message: 'fetch() has no timeout' }],
      output: `export async function load(url: string) {\n  return fetch(url, { signal: AbortSignal.timeout(10000) });\n}\n`,
    },
    {
      name: 'fetch init object gains a signal',
      code: `await fetch(url, { method: 'POST', body });`,
      errors: [{ line: 1, column: 7 }],
      output: `await fetch(url, { method: 'POST', body, signal: AbortSignal.timeout(10000) });`,
    },
    {
      name: 'multi-line init keeps layout and trailing comma',
      code: `await fetch(url, {\n  method: 'POST',\n  headers: { a: 'b' },\n});`,
      errors: [{ line: 1, column: 7 }],
      output: `await fetch(url, {\n  method: 'POST',\n  headers: { a: 'b' },\n  signal: AbortSignal.timeout(10000),\n});`,
    },
    {
      name: 'multi-line init without trailing comma',
      code: `await fetch(url, {\n    method: 'PUT'\n});`,
      errors: [{ line: 1, column: 7 }],
      output: `await fetch(url, {\n    method: 'PUT',\n    signal: AbortSignal.timeout(10000)\n});`,
    },
    {
      name: 'empty init object',
      code: `await fetch(url, {});`,
      errors: [{ line: 1, column: 7 }],
      output: `await fetch(url, { signal: AbortSignal.timeout(10000) });`,
    },
    {
      name: 'timeout from settings',
      code: `await fetch(url);`,
      settings: { timeoutMs: 2500 },
      errors: [{ line: 1, column: 7, message: '2500 ms' }],
      output: `await fetch(url, { signal: AbortSignal.timeout(2500) });`,
    },
    // an instance created in this file without a timeout: one finding at its create, none at its calls (was missing-client-timeout's)
    {
      name: 'instance created without timeout: reported once at axios.create, not at its calls',
      code: `import axios from 'axios';\nconst api = axios.create({ baseURL: 'https://payments' });\nexport const charge = (b: unknown) => api.post('/charges', b);`,
      errors: [{ line: 2, column: 13, message: 'axios.create() without a timeout' }],
      output: `import axios from 'axios';\nconst api = axios.create({ baseURL: 'https://payments', timeout: 10000 });\nexport const charge = (b: unknown) => api.post('/charges', b);`,
    },
    {
      name: 'class member instance: reported at axios.create',
      code: `import axios from 'axios';\nexport class Payments {\n  private http = axios.create({ baseURL: 'x' });\n  charge() { return this.http.get('/c'); }\n}`,
      errors: [{ line: 3, column: 18, message: 'first on line 4' }],
    },
    {
      name: 'with missing-client-timeout off the instance is still reported once, at its create',
      code: `import axios from 'axios';\nconst api = axios.create({ baseURL: 'https://payments' });\nexport const charge = (b: unknown) => api.post('/charges', b);`,
      settings: { rules: { 'missing-client-timeout': 'off' } },
      errors: [{ line: 2, column: 13, message: 'axios.create() without a timeout' }],
    },
    {
      name: 'axios.create without timeout, one finding with the calls counted',
      code: `import axios from 'axios';\nconst api = axios.create({ baseURL: 'https://payments' });\nexport const charge = (b: unknown) => api.post('/charges', b);\nexport const refund = (b: unknown) => api.post('/refunds', b);`,
      errors: [{ line: 2, column: 13, endColumn: 25, message: '(2 calls in this file without their own, first on line 3)' }],
      output: `import axios from 'axios';\nconst api = axios.create({ baseURL: 'https://payments', timeout: 10000 });\nexport const charge = (b: unknown) => api.post('/charges', b);\nexport const refund = (b: unknown) => api.post('/refunds', b);`,
    },
    {
      name: 'axios.create() with no config, class member used before its declaration',
      code: `import axios from 'axios';\nexport class Slack {\n  send(m: string) { return this.http.post(url, { m }); }\n  private http = axios.create();\n}`,
      errors: [{ line: 4, column: 18, message: 'first on line 3' }],
      output: `import axios from 'axios';\nexport class Slack {\n  send(m: string) { return this.http.post(url, { m }); }\n  private http = axios.create({ timeout: 10000 });\n}`,
    },
    {
      name: 'exported instance with no calls in the file',
      code: `import axios from 'axios';\n\nexport const github = axios.create({\n  baseURL: 'https://api.github.com',\n  headers: { accept: 'application/json' },\n});\n`,
      errors: [{ line: 3, column: 23, message: 'axios.create() without a timeout' }],
      output: `import axios from 'axios';\n\nexport const github = axios.create({\n  baseURL: 'https://api.github.com',\n  headers: { accept: 'application/json' },\n  timeout: 10000,\n});\n`,
    },
    {
      name: 'one call with a deadline, one without',
      code: `import axios from 'axios';\nconst api = axios.create({ baseURL });\nexport const a = () => api.get('/a', { timeout: 1000 });\nexport const b = () => api.get('/b');`,
      errors: [{ line: 2, column: 13, message: '(1 call in this file without their own, first on line 4)' }],
    },
    {
      name: 'inline axios.create().post without a per-call timeout',
      code: `import axios from 'axios';\nawait axios.create().post(url, data);`,
      errors: [{ line: 2, column: 7, endColumn: 19 }],
      output: `import axios from 'axios';\nawait axios.create({ timeout: 10000 }).post(url, data);`,
    },
    {
      name: 'timeout: 0 disables the deadline',
      code: `import axios from 'axios';\nexport const api = axios.create({ baseURL, timeout: 0 });`,
      errors: [{ line: 2, column: 53, endColumn: 54, message: 'timeout: 0 disables' }],
      output: `import axios from 'axios';\nexport const api = axios.create({ baseURL, timeout: 10000 });`,
    },
    {
      name: 'axios.defaults.timeout set after the create is not inherited',
      code: `import axios from 'axios';\nexport const api = axios.create({ baseURL });\naxios.defaults.timeout = 5000;`,
      errors: [{ line: 2, column: 20 }],
    },
    {
      name: 'globalThis.fetch',
      code: `await globalThis.fetch(url);`,
      errors: [{ line: 1, column: 7, endColumn: 23 }],
      output: `await globalThis.fetch(url, { signal: AbortSignal.timeout(10000) });`,
    },
    {
      name: "the request's own signal only cancels on disconnect",
      code: `export async function GET(request: Request) {\n  return fetch(upstream, { signal: request.signal });\n}`,
      filename: 'app/api/items/route.ts',
      errors: [{ line: 2, column: 10, message: 'client disconnects' }],
      output: `export async function GET(request: Request) {\n  return fetch(upstream, { signal: AbortSignal.any([request.signal, AbortSignal.timeout(10000)]) });\n}`,
    },
    {
      name: 'node-fetch default import',
      code: `import fetch from 'node-fetch';\nconst res = await fetch(url);`,
      errors: [{ line: 2, column: 19 }],
      output: `import fetch from 'node-fetch';\nconst res = await fetch(url, { signal: AbortSignal.timeout(10000) });`,
    },
    {
      name: 'undici request',
      code: `import { request } from 'undici';\nconst { body } = await request(url, { method: 'GET' });`,
      errors: [{ line: 2, column: 24, message: 'undici request() has no timeout' }],
      output: `import { request } from 'undici';\nconst { body } = await request(url, { method: 'GET', signal: AbortSignal.timeout(10000) });`,
    },
    {
      name: 'axios.get gets a config argument',
      code: `import axios from 'axios';\nconst { data } = await axios.get(\`/users/\${id}\`);`,
      errors: [{ line: 2, column: 24, endColumn: 33, message: 'axios.get() has no timeout' }],
      output: `import axios from 'axios';\nconst { data } = await axios.get(\`/users/\${id}\`, { timeout: 10000 });`,
    },
    {
      name: 'axios.post with data gets config in slot 3',
      code: `import axios from 'axios';\nawait axios.post(url, payload);`,
      errors: [{ line: 2, column: 7 }],
      output: `import axios from 'axios';\nawait axios.post(url, payload, { timeout: 10000 });`,
    },
    {
      name: 'axios.post without data gets an undefined placeholder',
      code: `import axios from 'axios';\nawait axios.post(url);`,
      errors: [{ line: 2, column: 7 }],
      output: `import axios from 'axios';\nawait axios.post(url, undefined, { timeout: 10000 });`,
    },
    {
      name: 'axios.put existing config object',
      code: `const axios = require('axios');\nawait axios.put(url, body, { headers: { Authorization: token } });`,
      filename: 'src/client.js',
      errors: [{ line: 2, column: 7 }],
      output: `const axios = require('axios');\nawait axios.put(url, body, { headers: { Authorization: token }, timeout: 10000 });`,
    },
    {
      name: 'axios(config)',
      code: `import axios from 'axios';\nawait axios({ method: 'post', url, data });`,
      errors: [{ line: 2, column: 7 }],
      output: `import axios from 'axios';\nawait axios({ method: 'post', url, data, timeout: 10000 });`,
    },
    {
      name: 'axios.request(config)',
      code: `import axios from 'axios';\nawait axios.request({ url });`,
      errors: [{ line: 2, column: 7 }],
      output: `import axios from 'axios';\nawait axios.request({ url, timeout: 10000 });`,
    },
    {
      name: 'aliased named import of axios default via require destructuring',
      code: `const { default: client } = require('axios');\nclient.delete(url);`,
      filename: 'src/a.cjs',
      errors: [{ line: 2, column: 1 }],
      output: `const { default: client } = require('axios');\nclient.delete(url, { timeout: 10000 });`,
    },
    {
      name: 'got',
      code: `import got from 'got';\nconst body = await got.post(url, { json: payload }).json();`,
      errors: [{ line: 2, column: 20, message: 'got.post() has no timeout' }],
      output: `import got from 'got';\nconst body = await got.post(url, { json: payload, timeout: { request: 10000 } }).json();`,
    },
    {
      name: 'got without options',
      code: `import got from 'got';\nawait got(url);`,
      errors: [{ line: 2, column: 7 }],
      output: `import got from 'got';\nawait got(url, { timeout: { request: 10000 } });`,
    },
    {
      name: 'ky with timeout disabled',
      code: `import ky from 'ky';\nawait ky.post(url, { json, timeout: false });`,
      errors: [{ line: 2, column: 7, message: 'disables its timeout' }],
      output: `import ky from 'ky';\nawait ky.post(url, { json, timeout: 10000 });`,
    },
    {
      name: 'superagent chain',
      code: `import request from 'superagent';\nconst res = await request.get(url).set('Accept', 'json');`,
      errors: [{ line: 2, column: 19 }],
      output: `import request from 'superagent';\nconst res = await request.get(url).timeout(10000).set('Accept', 'json');`,
    },
    {
      name: 'https.get with callback',
      code: `import https from 'node:https';\nhttps.get(url, (res) => res.pipe(out));`,
      errors: [{ line: 2, column: 1, message: 'https.get() has no timeout' }],
      output: `import https from 'node:https';\nhttps.get(url, { signal: AbortSignal.timeout(10000) }, (res) => res.pipe(out));`,
    },
    {
      name: 'http.request with options object',
      code: `const http = require('http');\nconst req = http.request({ host, path, method: 'POST' }, onRes);\nreq.end(body);`,
      filename: 'src/a.js',
      errors: [{ line: 2, column: 13 }],
      output: `const http = require('http');\nconst req = http.request({ host, path, method: 'POST', signal: AbortSignal.timeout(10000) }, onRes);\nreq.end(body);`,
    },
    {
      name: 'two findings, CRLF file',
      code: `import axios from "axios";\r\nexport async function a() {\r\n  await fetch("x");\r\n  await axios.get("y");\r\n}\r\n`,
      errors: [{ line: 3, column: 9 }, { line: 4, column: 9 }],
      fixFor: 1,
      output: `import axios from "axios";\r\nexport async function a() {\r\n  await fetch("x");\r\n  await axios.get("y", { timeout: 10000 });\r\n}\r\n`,
    },
    {
      name: 'a package with React and Express is still server code',
      code: `export const load = () => fetch(API);`,
      filename: '/project/src/api.ts',
      deps: ['react', 'express'],
      errors: [{ line: 1, column: 27 }],
      output: `export const load = () => fetch(API, { signal: AbortSignal.timeout(10000) });`,
    },
    {
      name: 'fetch inside an Express handler in a JS file',
      code: `const express = require('express');\nconst app = express();\napp.get('/rates', async (req, res) => {\n  const r = await fetch(RATES_URL);\n  res.json(await r.json());\n});`,
      filename: 'src/server.js',
      errors: [{ line: 4, column: 19 }],
      output: `const express = require('express');\nconst app = express();\napp.get('/rates', async (req, res) => {\n  const r = await fetch(RATES_URL, { signal: AbortSignal.timeout(10000) });\n  res.json(await r.json());\n});`,
    },
    {
      name: 'wrapper without a deadline: reported at the call, naming the wrapper (its create is reported in its own file)',
      code: `import { api } from './lib/http';\nexport const charge = (b: unknown) => api.post('/charges', b);`,
      filename: '/project/src/payments.ts',
      view: withWrappers(API_WITHOUT_DEADLINE),
      errors: [{ line: 2, column: 39, endColumn: 47, message: 'api.post() has no timeout: api (from ./lib/http) is an HTTP client (axios) the project made without a deadline' }],
      output: `import { api } from './lib/http';\nexport const charge = (b: unknown) => api.post('/charges', b, { timeout: 10000 });`,
    },
    {
      name: 'wrapper exported by a workspace package, default import',
      code: `import http from '@acme/http';\nexport const load = () => http.get('/users');`,
      filename: '/project/apps/web/src/users.ts',
      view: withWrappers({ file: '/project/packages/http/src/index.ts', exportName: 'default', setsDeadline: false, library: 'axios' }),
      errors: [{ line: 2, column: 27, message: 'http.get() has no timeout' }],
      output: `import http from '@acme/http';\nexport const load = () => http.get('/users', { timeout: 10000 });`,
    },
    // issue 14: AbortSignal.timeout() on a fetch whose body is streamed aborts the body too
    {
      name: 'streamed response body: res.body piped to an importer gets no AbortSignal.timeout fix',
      code: `export async function importFeed(url: string) {\n  const res = await fetch(url);\n  await importer.load(Readable.fromWeb(res.body));\n}`,
      errors: [{ line: 2, column: 21, message: 'its response body is streamed: AbortSignal.timeout() would also abort the body' }],
      output: `export async function importFeed(url: string) {\n  const headersDeadline = new AbortController();\n  const headersTimer = setTimeout(() => headersDeadline.abort(), 10000);\n  const res = await fetch(url, { signal: headersDeadline.signal }).finally(() => clearTimeout(headersTimer));\n  await importer.load(Readable.fromWeb(res.body));\n}`,
    },
    {
      name: 'streamed response body: for await over res.body',
      code: `export async function download(url: string) {\n  const res = await fetch(url, { method: 'GET' });\n  for await (const chunk of res.body) write(chunk);\n}`,
      errors: [{ line: 2, column: 21, message: 'its response body is streamed' }],
      output: `export async function download(url: string) {\n  const headersDeadline = new AbortController();\n  const headersTimer = setTimeout(() => headersDeadline.abort(), 10000);\n  const res = await fetch(url, { method: 'GET', signal: headersDeadline.signal }).finally(() => clearTimeout(headersTimer));\n  for await (const chunk of res.body) write(chunk);\n}`,
    },
    {
      name: 'streamed response body: res.body.pipeTo / getReader',
      code: `export async function proxy(url: string, out: WritableStream) {\n  const res = await fetch(url);\n  await res.body.pipeTo(out);\n}`,
      errors: [{ line: 2, column: 21, message: 'its response body is streamed' }],
      output: `export async function proxy(url: string, out: WritableStream) {\n  const headersDeadline = new AbortController();\n  const headersTimer = setTimeout(() => headersDeadline.abort(), 10000);\n  const res = await fetch(url, { signal: headersDeadline.signal }).finally(() => clearTimeout(headersTimer));\n  await res.body.pipeTo(out);\n}`,
    },
    {
      name: 'streamed response body: undici request body destructured and piped',
      code: `import { request } from 'undici';\nexport async function get(url: string) {\n  const { body } = await request(url);\n  await pipeline(body, createWriteStream('out'));\n}`,
      errors: [{ line: 3, column: 26, message: 'its response body is streamed' }],
      output: `import { request } from 'undici';\nexport async function get(url: string) {\n  const headersDeadline = new AbortController();\n  const headersTimer = setTimeout(() => headersDeadline.abort(), 10000);\n  const { body } = await request(url, { signal: headersDeadline.signal }).finally(() => clearTimeout(headersTimer));\n  await pipeline(body, createWriteStream('out'));\n}`,
    },
    {
      name: 'issue 14: streamed body with the request signal: no AbortSignal.any([…, AbortSignal.timeout()]), a headers deadline combined with it',
      code: `export async function GET(request: Request) {\n  const upstream = await fetch(source, { signal: request.signal });\n  return new Response(upstream.body, { headers: upstream.headers });\n}`,
      errors: [{ line: 2, column: 26, message: 'its response body is streamed' }],
      output: `export async function GET(request: Request) {\n  const headersDeadline = new AbortController();\n  const headersTimer = setTimeout(() => headersDeadline.abort(), 10000);\n  const upstream = await fetch(source, { signal: AbortSignal.any([request.signal, headersDeadline.signal]) }).finally(() => clearTimeout(headersTimer));\n  return new Response(upstream.body, { headers: upstream.headers });\n}`,
    },
    {
      name: 'issue 14: streamed body read with getReader(), no semicolons',
      code: `export async function read(url: string) {\n  const res = await fetch(url)\n  const reader = res.body.getReader()\n  return reader.read()\n}`,
      errors: [{ line: 2, column: 21, message: 'its response body is streamed' }],
      output: `export async function read(url: string) {\n  const headersDeadline = new AbortController();\n  const headersTimer = setTimeout(() => headersDeadline.abort(), 10000);\n  const res = await fetch(url, { signal: headersDeadline.signal }).finally(() => clearTimeout(headersTimer))\n  const reader = res.body.getReader()\n  return reader.read()\n}`,
    },
    {
      name: 'issue 14: streamed body, the refactor\'s names already taken: no fix',
      code: `const headersTimer = 1;\nexport async function save(url: string) {\n  const res = await fetch(url);\n  await pipeline(res.body, createWriteStream('x'));\n}`,
      errors: [{ line: 3, column: 21, message: 'its response body is streamed' }],
      output: null,
    },
    {
      name: 'issue 14: streamed body used in place ((await fetch(url)).body.pipeTo): no statement to hold the timer, no fix',
      code: `export const stream = async (url: string) => (await fetch(url)).body.pipeTo(sink);`,
      errors: [{ line: 1, column: 53, message: 'its response body is streamed' }],
      output: null,
    },
    {
      name: 'a body read whole (res.json()) still gets the AbortSignal.timeout fix',
      code: `export async function load(url: string) {\n  const res = await fetch(url);\n  return res.json();\n}`,
      errors: [{ line: 2, column: 21, message: 'fetch() has no timeout' }],
      output: `export async function load(url: string) {\n  const res = await fetch(url, { signal: AbortSignal.timeout(10000) });\n  return res.json();\n}`,
    },
  ],
});

describe('missing-timeout on its own (--rule missing-timeout)', () => {
  // the axios instance decision lives in engine/queries/http.ts, not in another rule: a run of this
  // rule alone reports exactly what a full run reports for it
  const text = `import axios from 'axios';\nconst api = axios.create({ baseURL: 'https://payments' });\nexport const charge = (b: unknown) => api.post('/charges', b);\nexport class Slack {\n  private http = axios.create({ timeout: 0 });\n  send(m: string) { return this.http.post('/m', { m }); }\n}\nexport const rates = () => axios.get('/rates');\n`;
  const ours = (only?: Set<string>) => analyze({ text, fileName: 'src/payments.ts', ...(only ? { only } : {}) }).findings
    .filter((f) => f.ruleId === 'missing-timeout').map((f) => `${f.start}-${f.end} ${f.messageId}`);
  it('gives the same findings as a full run on an axios-instance sample', () => {
    const full = ours();
    const span = (needle: string, len: number) => { const i = text.indexOf(needle); return `${i}-${i + len}`; };
    assert.deepEqual(full, [`${span('axios.create({ baseURL', 'axios.create'.length)} instanceNoTimeout`, `${span('0 })', 1)} instanceTimeoutZero`, `${span('axios.get', 'axios.get'.length)} noTimeout`]);
    assert.deepEqual(ours(new Set(['missing-timeout'])), full);
  });
  it('and missing-client-timeout no longer reports the axios instance (one finding for one problem)', () => {
    const other = analyze({ text, fileName: 'src/payments.ts' }).findings.filter((f) => f.ruleId === 'missing-client-timeout');
    assert.deepEqual(other, []);
  });
});

describe('missing-timeout: the streamed-body refactor is never preferred (issue 14)', () => {
  it('offered as a refactor, not preferred, not safe: fix-all and `failpath fix` never apply it', () => {
    const code = `export async function importFeed(url: string) {\n  const res = await fetch(url);\n  await pipeline(Readable.fromWeb(res.body), out);\n}`;
    const [f] = runRule(missingTimeout, { code });
    assert.deepEqual(f.fixes.map((x) => [x.title, !!x.isPreferred, !!x.safe, x.kind]), [
      ['Give the connection and headers a 10000 ms deadline (a timer cleared once the headers arrive; the streamed body is not cut)', false, false, 'refactor.rewrite'],
    ]);
  });
});
