/**
 * missing-timeout — an outbound HTTP call with no deadline.
 *
 * Before:  const res = await fetch(url);
 * After:   const res = await fetch(url, { signal: AbortSignal.timeout(10000) });
 *
 * Before:  await axios.post(url, body);
 * After:   await axios.post(url, body, { timeout: 10000 });
 *
 * Silent when a deadline exists (signal, timeout option, an instance created with a timeout,
 * `axios.defaults.timeout` set in the file) or when the options cannot be seen (a variable or a
 * spread): we prefer silence to noise. ky has a 10 s default, so only `timeout: false` is reported.
 * Calls through an instance made by `axios.create()` without a timeout in this file are left to
 * missing-client-timeout, which reports the create once (unless that rule is turned off).
 */
import * as ts from 'typescript';
import { defineRule, type Fix, type RuleContext, type TextEdit } from '../engine/types';
import { skipOuter, type Resolved } from '../engine/facts';
import { findProperty, hasSpread } from '../engine/ast';
import { insertProperty, appendArguments } from '../fixes/edits';
import { coversAxiosInstance } from './missing-client-timeout';

const AXIOS_SLOT: Record<string, number> = {
  request: 0,
  get: 1, delete: 1, head: 1, options: 1,
  post: 2, put: 2, patch: 2, postForm: 2, putForm: 2, patchForm: 2,
};
const GOT_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head']);
const KY_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head']);
const SUPERAGENT_METHODS = new Set(['get', 'post', 'put', 'patch', 'del', 'delete', 'head', 'options']);

type Family = 'fetch' | 'axios' | 'got' | 'ky' | 'superagent' | 'http' | 'undici-request';

interface Target {
  family: Family;
  /** Index of the options/config argument. */
  slot: number;
  label: string;
}

function classify(call: ts.CallExpression, r: Resolved): Target | undefined {
  const { module, path } = r;
  const method = path[path.length - 1];
  const inst = !!r.instance;
  switch (module) {
    case 'global':
      return path.length === 1 && path[0] === 'fetch' ? { family: 'fetch', slot: 1, label: 'fetch' } : undefined;
    case 'node-fetch':
      return path.length === 0 || (path.length === 1 && path[0] === 'default') ? { family: 'fetch', slot: 1, label: 'fetch' } : undefined;
    case 'undici':
      if (inst) return undefined; // Agent/Pool/Client instances configure their own timeouts
      if (path.length === 1 && path[0] === 'fetch') return { family: 'fetch', slot: 1, label: 'undici fetch' };
      if (path.length === 1 && path[0] === 'request') return { family: 'undici-request', slot: 1, label: 'undici request' };
      return undefined;
    case 'axios': {
      const name = inst ? r.instance!.name : 'axios';
      if (path.length === 0) {
        const first = call.arguments[0] && skipOuter(call.arguments[0]);
        return { family: 'axios', slot: first && ts.isObjectLiteralExpression(first) ? 0 : 1, label: name };
      }
      if (path.length === 1 && method in AXIOS_SLOT) return { family: 'axios', slot: AXIOS_SLOT[method], label: `${name}.${method}` };
      return undefined;
    }
    case 'got': {
      const name = inst ? r.instance!.name : 'got';
      if (path.length === 0) {
        const first = call.arguments[0] && skipOuter(call.arguments[0]);
        return { family: 'got', slot: first && ts.isObjectLiteralExpression(first) ? 0 : 1, label: name };
      }
      if (path.length === 1 && GOT_METHODS.has(method)) return { family: 'got', slot: 1, label: `${name}.${method}` };
      return undefined;
    }
    case 'ky': {
      const name = inst ? r.instance!.name : 'ky';
      if (path.length === 0 || (path.length === 1 && KY_METHODS.has(method))) return { family: 'ky', slot: 1, label: path.length ? `${name}.${method}` : name };
      return undefined;
    }
    case 'superagent':
      if (path.length === 1 && SUPERAGENT_METHODS.has(method)) return { family: 'superagent', slot: -1, label: `superagent.${method}` };
      return undefined;
    case 'http':
    case 'https':
      if (!inst && path.length === 1 && (method === 'request' || method === 'get')) {
        const first = call.arguments[0] && skipOuter(call.arguments[0]);
        return { family: 'http', slot: first && ts.isObjectLiteralExpression(first) ? 0 : 1, label: `${module}.${method}` };
      }
      return undefined;
    default:
      return undefined;
  }
}

/** Is `signal: <x>` the incoming request's own signal (cancels on disconnect, no deadline)? */
function isRequestSignal(e: ts.Expression): boolean {
  const x = skipOuter(e);
  return ts.isPropertyAccessExpression(x) && x.name.text === 'signal' && ts.isIdentifier(x.expression) &&
    /^(req|request)$/.test(x.expression.text);
}

/** Does the file set `axios.defaults.timeout = …` (or `<instance>.defaults.timeout`)? */
function fileSetsDefaultTimeout(ctx: RuleContext, target: string): boolean {
  const cache = ctx.facts as unknown as { __defaultTimeouts?: Set<string> };
  if (!cache.__defaultTimeouts) {
    const found = new Set<string>();
    const scan = (st: ts.Node) => {
      if (ts.isExpressionStatement(st) && ts.isBinaryExpression(st.expression) && st.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
        const left = st.expression.left;
        if (ts.isPropertyAccessExpression(left) && left.name.text === 'timeout' && ts.isPropertyAccessExpression(left.expression) &&
          left.expression.name.text === 'defaults') {
          found.add(left.expression.expression.getText(ctx.sourceFile));
        }
      }
    };
    for (const st of ctx.sourceFile.statements) scan(st);
    cache.__defaultTimeouts = found;
  }
  return cache.__defaultTimeouts.has(target);
}

/** Walks up a superagent chain `superagent.get(u).set(...).timeout(...)` looking for `.timeout(`. */
function chainHasTimeout(call: ts.CallExpression): boolean {
  let n: ts.Node = call;
  while (n.parent && ts.isPropertyAccessExpression(n.parent) && n.parent.expression === n && n.parent.parent && ts.isCallExpression(n.parent.parent)) {
    if (n.parent.name.text === 'timeout') return true;
    n = n.parent.parent;
  }
  return false;
}

/** For http.request: the result bound to a variable whose `.setTimeout(` is called in the same block. */
function httpRequestSetsTimeout(call: ts.CallExpression): boolean {
  const decl = call.parent;
  if (!decl || !ts.isVariableDeclaration(decl) || !ts.isIdentifier(decl.name)) return ts.isPropertyAccessExpression(call.parent) && call.parent.name.text === 'setTimeout';
  const name = decl.name.text;
  const block = decl.parent?.parent?.parent;
  if (!block || !(ts.isBlock(block) || ts.isSourceFile(block))) return false;
  for (const st of block.statements) {
    if (ts.isExpressionStatement(st) && ts.isCallExpression(st.expression)) {
      let callee = st.expression.expression;
      // req.setTimeout(…) or req.on('timeout', …)
      while (ts.isCallExpression(callee) && ts.isPropertyAccessExpression(callee.expression)) callee = callee.expression.expression;
      if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === name &&
        (callee.name.text === 'setTimeout' || (callee.name.text === 'on' && st.expression.arguments[0] && ts.isStringLiteral(st.expression.arguments[0]) && st.expression.arguments[0].text === 'timeout'))) {
        return true;
      }
    }
  }
  return false;
}

export const missingTimeout = defineRule({
  id: 'missing-timeout',
  checklist: 'recover',
  severity: 'warning',
  summary: 'An outbound HTTP call with no deadline hangs as long as the remote side does, holding sockets, memory and the caller.',
  fixable: true,
  fileKinds: ['server'],
  visit: {
    CallExpression(call, ctx) {
      const r = ctx.facts.resolveCall(call);
      if (!r) return;
      const t = classify(call, r);
      if (!t) return;
      const ms = ctx.config.timeoutMs;
      const inst = r.instance;

      // Instance-level deadlines (axios.create({ timeout }), got.extend({ timeout }), ky.create(...))
      if (inst) {
        if (inst.optionsOpaque) return;
        if (inst.options && (findProperty(inst.options, 'timeout') || findProperty(inst.options, 'signal'))) {
          if (t.family !== 'ky') return;
        }
        if (t.family === 'axios' && fileSetsDefaultTimeout(ctx, inst.name)) return;
        // one finding for one problem: missing-client-timeout reports the instance's axios.create()
        if (t.family === 'axios' && coversAxiosInstance(ctx, inst)) return;
      } else if (t.family === 'axios' && fileSetsDefaultTimeout(ctx, rootName(call))) {
        return;
      }

      if (t.family === 'superagent') {
        if (chainHasTimeout(call)) return;
        const edit: TextEdit = { start: call.getEnd(), end: call.getEnd(), newText: `.timeout(${ms})` };
        ctx.report({
          node: call.expression,
          message: `${t.label}() has no timeout: if the remote service hangs, this request waits forever. Chain .timeout(${ms}).`,
          fixes: [{ title: `Add .timeout(${ms})`, edits: [edit], isPreferred: true, safe: true }],
        });
        return;
      }

      const args = call.arguments;
      if (args.some((a) => ts.isSpreadElement(a))) return;
      // fetch('/api/…'): a relative URL only resolves in a browser; this is browser code
      if (t.family === 'fetch' && args[0] && isRelativeUrl(args[0])) return;
      const optArg = t.slot >= 0 ? args[t.slot] : undefined;
      const opts = optArg ? skipOuter(optArg) : undefined;
      if (opts && !ts.isObjectLiteralExpression(opts)) {
        // http.get(url, callback): the callback sits in the options slot
        if (!(t.family === 'http' && (ts.isArrowFunction(opts) || ts.isFunctionExpression(opts)))) return; // opaque options
      }
      const obj = opts && ts.isObjectLiteralExpression(opts) ? opts : undefined;
      if (obj && hasSpread(obj)) return;

      let requestSignal: ts.Expression | undefined;
      if (obj) {
        const signal = findProperty(obj, 'signal');
        if (signal) {
          if (ts.isPropertyAssignment(signal) && isRequestSignal(signal.initializer)) requestSignal = signal.initializer;
          else return;
        }
        if (t.family === 'ky') {
          const to = findProperty(obj, 'timeout');
          if (!to || !ts.isPropertyAssignment(to) || to.initializer.kind !== ts.SyntaxKind.FalseKeyword) return;
        } else if (findProperty(obj, 'timeout')) return;
        if (t.family === 'undici-request' && (findProperty(obj, 'headersTimeout') || findProperty(obj, 'bodyTimeout') || findProperty(obj, 'dispatcher'))) return;
        if (t.family === 'fetch' && findProperty(obj, 'dispatcher')) return;
      } else if (t.family === 'ky') {
        return; // ky's default timeout is 10 s
      }
      if (t.family === 'http' && httpRequestSetsTimeout(call)) return;

      const fix = buildFix(ctx, call, t, obj, ms, requestSignal);
      const what = t.family === 'ky' ? `${t.label}() disables its timeout` : `${t.label}() has no timeout`;
      const detail = requestSignal
        ? `${what}: the request's own signal only fires when the client disconnects. Combine it with a deadline.`
        : `${what}: if the remote service hangs, this call waits forever and holds the caller, its socket and memory. Give it a deadline (${ms} ms by default, setting failpath.timeoutMs).`;
      ctx.report({ node: call.expression, message: detail, fixes: fix ? [fix] : [] });
    },
  },
});

function isRelativeUrl(arg: ts.Expression): boolean {
  const a = skipOuter(arg);
  const text = ts.isStringLiteralLike(a) ? a.text : ts.isTemplateExpression(a) ? a.head.text : undefined;
  return text !== undefined && text.startsWith('/') && !text.startsWith('//');
}

function rootName(call: ts.CallExpression): string {
  let e: ts.Expression = call.expression;
  while (ts.isPropertyAccessExpression(e)) e = e.expression;
  return ts.isIdentifier(e) ? e.text : '';
}

function buildFix(ctx: RuleContext, call: ts.CallExpression, t: Target, obj: ts.ObjectLiteralExpression | undefined,
  ms: number, requestSignal: ts.Expression | undefined): Fix | undefined {
  const useSignal = t.family === 'fetch' || t.family === 'http' || t.family === 'undici-request';
  if (requestSignal && obj) {
    const signal = findProperty(obj, 'signal') as ts.PropertyAssignment;
    const inner = requestSignal.getText(ctx.sourceFile);
    return {
      title: `Combine ${inner} with AbortSignal.timeout(${ms})`,
      edits: [{ start: signal.initializer.getStart(ctx.sourceFile), end: signal.initializer.getEnd(), newText: `AbortSignal.any([${inner}, AbortSignal.timeout(${ms})])` }],
      isPreferred: true,
      safe: true,
    };
  }
  let prop: string;
  let title: string;
  if (useSignal) { prop = `signal: AbortSignal.timeout(${ms})`; title = `Add signal: AbortSignal.timeout(${ms})`; }
  else if (t.family === 'got') { prop = `timeout: { request: ${ms} }`; title = `Add timeout: { request: ${ms} }`; }
  else { prop = `timeout: ${ms}`; title = `Add timeout: ${ms}`; }

  if (t.family === 'ky' && obj) {
    const to = findProperty(obj, 'timeout') as ts.PropertyAssignment;
    return {
      title: `Set timeout: ${ms}`,
      edits: [{ start: to.initializer.getStart(ctx.sourceFile), end: to.initializer.getEnd(), newText: String(ms) }],
      isPreferred: true,
      safe: true,
    };
  }
  if (obj) return { title, edits: [insertProperty(ctx, obj, prop)], isPreferred: true, safe: true };

  const args = call.arguments;
  if (t.family === 'http') {
    // http.get(url) / http.get(url, cb): options go right after the url
    if (args.length === 0) return undefined;
    const first = args[0];
    return { title, edits: [{ start: first.getEnd(), end: first.getEnd(), newText: `, { ${prop} }` }], isPreferred: true, safe: true };
  }
  if (args.length > t.slot) return undefined; // slot holds something else
  if (args.length < t.slot) {
    // axios.post(url) → axios.post(url, undefined, { timeout })
    if (args.length === 0) return undefined;
    const fill = Array(t.slot - args.length).fill('undefined');
    return { title, edits: [appendArguments(ctx, call, [...fill, `{ ${prop} }`])], isPreferred: true, safe: true };
  }
  return { title, edits: [appendArguments(ctx, call, [`{ ${prop} }`])], isPreferred: true, safe: true };
}
