/**
 * missing-timeout — an outbound HTTP call with no deadline.
 *
 * Before:  const res = await fetch(url);
 * After:   const res = await fetch(url, { signal: AbortSignal.timeout(10000) });
 *
 * Before:  await axios.post(url, body);
 * After:   await axios.post(url, body, { timeout: 10000 });
 *
 * Before:  const api = axios.create({ baseURL });
 * After:   const api = axios.create({ baseURL, timeout: 10000 });
 *
 * What a call is, where its options go and which option is a deadline come from the knowledge
 * table (`httpCallOf`, HTTP_STYLES). Silent when a deadline exists (signal, timeout option, an
 * instance created with a timeout, `x.defaults.timeout` set in the file, ky's 10 s default) or
 * when the options cannot be seen (a variable or a spread): we prefer silence to noise.
 *
 * An instance created in this file (`axios.create()`) without a timeout is one problem: it is
 * reported once at the create, with a fix that covers every call through it; the calls are not
 * reported again (engine/queries/http.ts decides, whichever rules run).
 *
 * From the project (ctx.view): calls through a project HTTP wrapper that sets a deadline are fine;
 * a client instance exported by another module without one is reported at the call here (its
 * create is reported in its own file), naming the wrapper.
 *
 * A fetch whose response body is streamed gets no `AbortSignal.timeout()` fix: that signal also
 * aborts the body, so every download longer than the deadline would fail. The finding says so, and
 * when the call is awaited in its own declaration it offers a refactor, never preferred: a deadline
 * for the connection and headers only, a timer cleared once the response (its headers) arrives.
 */
import ts = require('typescript');
import { createRule, type Fix, type RuleContextV2, type TextEdit } from '../engine/types';
import { skipOuter, type ClientInstance } from '../engine/facts';
import { findProperty, hasSpread, lineIndentAt } from '../engine/ast';
import { semi } from '../engine/style';
import { insertProperty, appendArguments } from '../fixes/edits';
import { KNOWLEDGE, type HttpCall, type HttpStyle } from '../knowledge';
import { constObjectLiteral, declaredHttpCall, instanceReportedAtFactory, lastProperty, optionProperties, responseBodyIsStreamed, setsDefaultsTimeout, trackHttpInstances, wrapperCall, type DeclaredCall, type InstanceWithoutDeadline } from '../engine/queries/http';
import type { DeclaredHttpClient } from '../engine/view';

interface Target {
  style: HttpStyle;
  /** Index of the options/config argument (-1: none, the deadline is chained). */
  slot: number;
  label: string;
}

type Messages = 'noTimeout' | 'timeoutDisabled' | 'requestSignalOnly' | 'chainTimeout' | 'streamedBody' | 'instanceNoTimeout' | 'instanceTimeoutZero' | 'wrapperNoTimeout';

function classify(call: ts.CallExpression, module: string, path: readonly string[], inst: ClientInstance | undefined, instanceName?: string): Target | undefined {
  const found = KNOWLEDGE.httpCallOf(module, path, !!inst || instanceName !== undefined);
  if (!found) return undefined;
  const { call: shape, style } = found;
  let slot: number;
  if (shape.options === 'url-or-config') {
    const first = call.arguments[0] && skipOuter(call.arguments[0]);
    slot = first && (ts.isObjectLiteralExpression(first) || (ts.isIdentifier(first) && constObjectLiteral(first))) ? 0 : 1;
  } else slot = shape.options;
  return { style, slot, label: labelOf(shape, module, path, inst?.name ?? instanceName) };
}

function labelOf(shape: HttpCall, module: string, path: readonly string[], instanceName: string | undefined): string {
  if (shape.label) return shape.label;
  const base = instanceName ?? module;
  return path.length ? `${base}.${path.join('.')}` : base;
}

/** Is `signal: <x>` the incoming request's own signal (cancels on disconnect, no deadline)? */
function isRequestSignal(e: ts.Expression): boolean {
  const x = skipOuter(e);
  return ts.isPropertyAccessExpression(x) && x.name.text === 'signal' && ts.isIdentifier(x.expression) &&
    /^(req|request)$/.test(x.expression.text);
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

export const missingTimeout = createRule({
  meta: {
    id: 'missing-timeout',
    checklist: 'recover',
    severity: 'info',
    summary: 'An outbound HTTP call with no deadline hangs as long as the remote side does, holding sockets, memory and the caller.',
    fixable: true,
    fileKinds: ['server'],
    messages: {
      noTimeout: '{{call}}() has no timeout: if the remote service hangs, this call waits forever and holds the caller, its socket and memory. Give it a deadline ({{ms}} ms by default, setting failpath.timeoutMs).',
      timeoutDisabled: '{{call}}() disables its timeout: if the remote service hangs, this call waits forever and holds the caller, its socket and memory. Give it a deadline ({{ms}} ms by default, setting failpath.timeoutMs).',
      requestSignalOnly: "{{call}}() has no timeout: the request's own signal only fires when the client disconnects. Combine it with a deadline.",
      chainTimeout: '{{call}}() has no timeout: if the remote service hangs, this request waits forever. Chain .timeout({{ms}}).',
      streamedBody: '{{call}}() has no timeout, and its response body is streamed: AbortSignal.timeout() would also abort the body, so every download longer than the deadline would fail. Give the connection and headers a deadline instead (an undici Agent with headersTimeout as the dispatcher, or an AbortController whose timer is cleared once the headers arrive).',
      instanceNoTimeout: '{{factory}}() without a timeout: {{library}} waits forever by default, so every request through this instance{{where}} hangs as long as the remote service does. Give the instance a deadline ({{ms}} ms, setting failpath.timeoutMs).',
      instanceTimeoutZero: "{{option}}: 0 disables {{library}}'s deadline: every request through this instance waits as long as the remote side does. Set a deadline ({{ms}} ms, setting failpath.timeoutMs).",
      wrapperNoTimeout: '{{call}}() has no timeout: {{wrapper}} (from {{specifier}}) is an HTTP client ({{library}}) the project made without a deadline, so this call waits as long as the remote service does. Give {{wrapper}} a deadline where it is created, or this call one ({{ms}} ms, setting failpath.timeoutMs).',
    },
  },
  defaultOptions: {},
  create(ctx) {
    const ms = ctx.config.timeoutMs;
    const sf = ctx.sourceFile;
    const instances = trackHttpInstances(sf, ctx.facts);
    let defaultTimeouts: Set<string> | undefined;
    /** Does the file set `<target>.defaults.timeout = …` at its top level? */
    const fileSetsDefaultTimeout = (target: string): boolean => {
      if (!defaultTimeouts) {
        defaultTimeouts = new Set();
        for (const st of sf.statements) {
          if (ts.isExpressionStatement(st) && ts.isBinaryExpression(st.expression)) {
            const left = st.expression.left;
            if (ts.isPropertyAccessExpression(left) && ts.isPropertyAccessExpression(left.expression) &&
              setsDefaultsTimeout(sf, [st], left.expression.expression.getText(sf))) defaultTimeouts.add(left.expression.expression.getText(sf));
          }
        }
      }
      return defaultTimeouts.has(target);
    };

    function reportInstance(e: InstanceWithoutDeadline): void {
      const library = e.label.split('.')[0];
      if (e.disabled) {
        const v = e.disabled;
        ctx.report({
          node: v, messageId: 'instanceTimeoutZero', data: { option: e.option, library, ms },
          fix: () => [{ title: `Set ${e.option}: ${ms}`, edits: [{ start: v.getStart(sf), end: v.getEnd(), newText: String(ms) }], isPreferred: true, safe: true }],
        });
        return;
      }
      let where = '';
      if (e.firstWithout && e.firstWithout !== e.call.parent.parent) {
        const line = sf.getLineAndCharacterOfPosition(e.firstWithout.getStart(sf)).line + 1;
        where = ` (${e.callsWithoutDeadline} call${e.callsWithoutDeadline === 1 ? '' : 's'} in this file without their own, first on line ${line})`;
      }
      const prop = `${e.option}: ${ms}`;
      ctx.report({
        node: e.call.expression, messageId: 'instanceNoTimeout', data: { factory: e.call.expression.getText(sf), library, where, ms },
        fix: () => [e.obj
          ? { title: `Add ${prop}`, edits: [insertProperty(ctx as never, e.obj!, prop)], isPreferred: true, safe: true }
          : { title: `Add { ${prop} }`, edits: [appendArguments(ctx as never, e.call, [`{ ${prop} }`])], isPreferred: true, safe: true }],
      });
    }

    /** `createClient()` of a client declared in .failpath.json, without its deadline option: one finding for every request through it. */
    function reportDeclaredFactory(call: ts.CallExpression, d: Extract<DeclaredCall, { kind: 'factory' }>): void {
      const c = d.client;
      if (c.defaultTimeoutMs !== undefined || call.arguments.some((a) => ts.isSpreadElement(a))) return;
      const opts = d.options && skipOuter(d.options);
      if (opts && !ts.isObjectLiteralExpression(opts)) return; // options that cannot be seen
      if (opts && (hasSpread(opts) || findProperty(opts, c.timeoutOption) || findProperty(opts, 'signal'))) return;
      if (!opts && call.arguments.length > 0) return;
      const prop = `${c.timeoutOption}: ${ms}`;
      ctx.report({
        node: call.expression, messageId: 'instanceNoTimeout', data: { factory: call.expression.getText(sf), library: c.specifier, where: '', ms },
        fix: () => [opts
          ? { title: `Add ${prop}`, edits: [insertProperty(ctx as never, opts, prop)], isPreferred: true, safe: true }
          : { title: `Add { ${prop} }`, edits: [appendArguments(ctx as never, call, [`{ ${prop} }`])], isPreferred: true, safe: true }],
      });
    }

    return {
      CallExpression(call) {
        instances.onCall(call);
        // a client the project declared in .failpath.json (view.httpWrappers[].declared) comes first
        const declared = declaredHttpCall(ctx.view, ctx.fileName, ctx.facts.bindings, call);
        if (declared?.kind === 'factory') { reportDeclaredFactory(call, declared); return; }
        // a request through a client made here: judged at its factory; with the client's own default: fine
        if (declared && (declared.kind === 'instance' || declared.client.defaultTimeoutMs !== undefined)) return;
        const r = declared ? { module: declared.client.specifier, path: [] as string[], instance: undefined } : ctx.facts.resolveCall(call);
        if (!r) return;
        let t = declared?.kind === 'request' ? { style: declaredStyle(declared.client), slot: declared.slot, label: declared.label } : classify(call, r.module, r.path, r.instance);
        let through: { wrapper: string; specifier: string; library: string } | undefined;
        if (!t) {
          // a client the project exports from another module (view.httpWrappers)
          const w = r.instance ? undefined : wrapperCall(ctx.view, ctx.fileName, ctx.facts.bindings, call, r.path);
          if (!w || !w.wrapper.library) return;
          const lib = KNOWLEDGE.library(w.wrapper.library);
          if (!lib) return;
          t = classify(call, KNOWLEDGE.moduleOf(lib.id), w.path, undefined, w.local);
          if (!t) return;
          if (w.wrapper.setsDeadline) return; // the wrapper covers its calls
          through = { wrapper: w.local, specifier: ctx.facts.bindings.get(w.local)?.module ?? '', library: lib.label };
        }
        const style = t.style;
        const inst = r.instance;

        // Instance-level deadlines (axios.create({ timeout }), got.extend({ timeout }), ky.create(...))
        if (inst) {
          if (inst.optionsOpaque) return;
          if (inst.options && (findProperty(inst.options, 'timeout') || findProperty(inst.options, 'signal'))) {
            if (style.defaultMs === undefined) return;
          }
          if (style.defaultsTimeout && fileSetsDefaultTimeout(inst.name)) return;
          // one finding for one problem: the instance's create is reported (trackHttpInstances)
          if (instanceReportedAtFactory(ctx.facts, inst)) return;
        } else if (style.defaultsTimeout && fileSetsDefaultTimeout(through ? through.wrapper : rootName(call))) {
          return;
        }

        if (style.write === 'chain') {
          if (chainHasTimeout(call)) return;
          const edit: TextEdit = { start: call.getEnd(), end: call.getEnd(), newText: `.timeout(${ms})` };
          ctx.report({
            node: call.expression, messageId: 'chainTimeout', data: { call: t.label, ms },
            fix: () => [{ title: `Add .timeout(${ms})`, edits: [edit], isPreferred: true, safe: true }],
          });
          return;
        }

        const args = call.arguments;
        if (args.some((a) => ts.isSpreadElement(a))) return;
        // fetch('/api/…'): a relative URL only resolves in a browser; this is browser code
        if (style.id === 'fetch' && args[0] && isRelativeUrl(args[0])) return;
        const optArg = t.slot >= 0 ? args[t.slot] : undefined;
        const opts = optArg ? skipOuter(optArg) : undefined;
        // the options: an object literal here, or a const object literal in scope (spreads of those looked through)
        let props: ts.ObjectLiteralElementLike[] | undefined;
        if (opts && !(style.requestSetTimeout && (ts.isArrowFunction(opts) || ts.isFunctionExpression(opts)))) {
          // (http.get(url, callback): the callback sits in the options slot)
          const seen = optionProperties(opts);
          if (seen === 'opaque') return; // options that cannot be seen
          props = seen;
        }
        const literal = opts && ts.isObjectLiteralExpression(opts) ? opts : undefined;
        // a fix writes into the call's own literal only (a const's literal may be shared)
        const obj = literal && !hasSpread(literal) ? literal : undefined;
        const held = !!props && !obj;

        let requestSignal: ts.Expression | undefined;
        if (props) {
          const signal = lastProperty(props, 'signal');
          if (signal) {
            if (ts.isPropertyAssignment(signal) && isRequestSignal(signal.initializer)) requestSignal = signal.initializer;
            else return;
          }
          if (style.defaultMs !== undefined) {
            // ky: a 10 s default; only `timeout: false` turns it off
            const to = lastProperty(props, 'timeout');
            if (!to || !ts.isPropertyAssignment(to) || to.initializer.kind !== ts.SyntaxKind.FalseKeyword) return;
          } else if (style.deadlineOptions.some((o) => o !== 'signal' && lastProperty(props!, o))) return;
        } else if (style.defaultMs !== undefined) {
          return; // the library's default deadline applies
        }
        if (style.requestSetTimeout && httpRequestSetsTimeout(call)) return;

        const data = { call: t.label, ms };
        const writesSignal = (style.writeOption ?? style.write) === 'signal';
        if (writesSignal && responseBodyIsStreamed(call)) {
          // a whole-request abort would cut the streamed body: no AbortSignal.timeout fix here,
          // not even combined with the request's own signal (AbortSignal.any aborts the body too)
          const headers = headersDeadlineFix(ctx, call, t, obj, ms, requestSignal);
          ctx.report({ node: call.expression, messageId: 'streamedBody', data, ...(headers ? { fix: () => [headers] } : {}) });
          return;
        }
        const messageId: Messages = through ? 'wrapperNoTimeout' : requestSignal ? 'requestSignalOnly' : style.defaultMs !== undefined ? 'timeoutDisabled' : 'noTimeout';
        const target = t;
        ctx.report({
          node: call.expression, messageId, data: through ? { ...data, ...through } : data,
          ...(!held && canFix(call, target, obj) ? { fix: () => { const f = buildFix(ctx, call, target, obj, ms, requestSignal); return f ? [f] : []; } } : {}),
        });
      },
      'SourceFile:exit'() {
        for (const e of instances.result()) reportInstance(e);
      },
    };
  },
});

/** How a declared client's deadline is seen and written: its own option (or a signal). */
function declaredStyle(c: DeclaredHttpClient): HttpStyle {
  return { id: 'custom', deadlineOptions: [c.timeoutOption, 'signal'], write: 'timeout', writeOption: c.timeoutOption };
}

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

/** Whether buildFix has somewhere to put the deadline (decided without building any text). */
function canFix(call: ts.CallExpression, t: Target, obj: ts.ObjectLiteralExpression | undefined): boolean {
  if (obj) return true;
  const n = call.arguments.length;
  if (t.style.requestSetTimeout) return n > 0;
  if (n > t.slot) return false; // slot holds something else
  return !(n < t.slot && n === 0);
}

function buildFix(ctx: RuleContextV2<string>, call: ts.CallExpression, t: Target, obj: ts.ObjectLiteralExpression | undefined,
  ms: number, requestSignal: ts.Expression | undefined): Fix | undefined {
  const edits = ctx as never; // the edit helpers read sourceFile, text and style only
  const write = t.style.writeOption ?? t.style.write;
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
  if (write === 'signal') prop = `signal: AbortSignal.timeout(${ms})`;
  else if (write === 'timeout-request') prop = `timeout: { request: ${ms} }`;
  else if (write === 'timeout') prop = `timeout: ${ms}`;
  else prop = `${write}: ${ms}`;
  const title = `Add ${prop}`;

  if (t.style.defaultMs !== undefined && obj) {
    const to = findProperty(obj, 'timeout') as ts.PropertyAssignment;
    return {
      title: `Set timeout: ${ms}`,
      edits: [{ start: to.initializer.getStart(ctx.sourceFile), end: to.initializer.getEnd(), newText: String(ms) }],
      isPreferred: true,
      safe: true,
    };
  }
  if (obj) return { title, edits: [insertProperty(edits, obj, prop)], isPreferred: true, safe: true };

  const args = call.arguments;
  if (t.style.requestSetTimeout) {
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
    return { title, edits: [appendArguments(edits, call, [...fill, `{ ${prop} }`])], isPreferred: true, safe: true };
  }
  return { title, edits: [appendArguments(edits, call, [`{ ${prop} }`])], isPreferred: true, safe: true };
}

/**
 * The streamed-body refactor (issue 14): `const res = await fetch(url)` becomes
 *   const headersDeadline = new AbortController();
 *   const headersTimer = setTimeout(() => headersDeadline.abort(), 10000);
 *   const res = await fetch(url, { signal: headersDeadline.signal }).finally(() => clearTimeout(headersTimer));
 * The promise settles when the headers arrive, so the timer is gone before the body is read.
 * Only for a call awaited as a declaration's initializer in a block, with names free in the file.
 */
function headersDeadlineFix(ctx: RuleContextV2<string>, call: ts.CallExpression, t: Target, obj: ts.ObjectLiteralExpression | undefined,
  ms: number, requestSignal: ts.Expression | undefined): Fix | undefined {
  const aw = call.parent;
  const decl = aw && ts.isAwaitExpression(aw) ? aw.parent : undefined;
  const list = decl && ts.isVariableDeclaration(decl) && decl.initializer === aw ? decl.parent : undefined;
  const statement = list && ts.isVariableDeclarationList(list) && list.declarations.length === 1 ? list.parent : undefined;
  if (!statement || !ts.isVariableStatement(statement) || !(ts.isBlock(statement.parent) || ts.isSourceFile(statement.parent))) return undefined;
  if (/\b(headersDeadline|headersTimer)\b/.test(ctx.text)) return undefined;
  const sf = ctx.sourceFile;
  const signal = requestSignal ? `AbortSignal.any([${requestSignal.getText(sf)}, headersDeadline.signal])` : 'headersDeadline.signal';
  let optionsEdit: TextEdit;
  if (requestSignal && obj) {
    const p = findProperty(obj, 'signal') as ts.PropertyAssignment;
    optionsEdit = { start: p.initializer.getStart(sf), end: p.initializer.getEnd(), newText: signal };
  } else if (obj) optionsEdit = insertProperty(ctx as never, obj, `signal: ${signal}`);
  else if (call.arguments.length === t.slot && t.slot > 0) optionsEdit = appendArguments(ctx as never, call, [`{ signal: ${signal} }`]);
  else return undefined;
  const indent = lineIndentAt(ctx.text, statement.getStart(sf));
  const eol = ctx.style.eol;
  const end = semi(ctx.style);
  const at = statement.getStart(sf);
  return {
    title: `Give the connection and headers a ${ms} ms deadline (a timer cleared once the headers arrive; the streamed body is not cut)`,
    edits: [
      { start: at, end: at, newText: `const headersDeadline = new AbortController()${end}${eol}${indent}const headersTimer = setTimeout(() => headersDeadline.abort(), ${ms})${end}${eol}${indent}` },
      optionsEdit,
      { start: call.getEnd(), end: call.getEnd(), newText: '.finally(() => clearTimeout(headersTimer))' },
    ],
    kind: 'refactor.rewrite',
    isPreferred: false,
    safe: false,
  };
}
