/**
 * HTTP semantics shared by the deadline rules (missing-timeout, missing-client-timeout): reading
 * options objects, `x.defaults.timeout = …`, client instances created in the file and the calls
 * made through them, the project's HTTP wrappers (ProjectView.httpWrappers) and streamed response
 * bodies. Pure reading of the file and the view: no rule id, no fix text, no package name (the
 * knowledge table says which library is which).
 *
 * An HTTP client instance created in this file without a deadline is ONE problem, reported once
 * at its factory call by missing-timeout; the calls through it are not reported again. The
 * decision is this module's, so it is the same whichever rules run (`--rule missing-timeout`
 * gives the same findings as a full run).
 */
import * as path from 'node:path';
import ts = require('typescript');
import { IO, KNOWLEDGE, type HttpStyle } from '../../knowledge';
import { skipOuter, type ClientInstance, type ImportBinding } from '../facts';
import { findProperty, propertyName } from '../ast';
import type { DeclaredHttpClient, HttpWrapper, ProjectView } from '../view';
import { specifierMayName } from './projectBindings';

// ---- options objects ---------------------------------------------------------------------------

/**
 * The property names an options object literal sets, looking through spreads whose content is
 * visible (`...(cond && { password })`, `...(a ? { x } : {})`, `...base` of a const literal);
 * 'opaque' when a spread hides some.
 */
export function visibleKeys(obj: ts.ObjectLiteralExpression): Set<string> | 'opaque' {
  const props = optionProperties(obj);
  return props === 'opaque' ? 'opaque' : new Set(props.map((p) => propertyName(p.name!)!));
}

/**
 * The object literal a `const` of an enclosing scope holds (`const opts = { … }; fetch(url, opts)`),
 * when the nearest declaration of the name is that const, it comes before the use, and nothing in
 * its scope writes to it (`opts.x = …`, `opts[k] = …`, `delete opts.x`, `Object.assign(opts, …)`).
 * Undefined otherwise: the options cannot be seen.
 */
export function constObjectLiteral(id: ts.Identifier): ts.ObjectLiteralExpression | undefined {
  const name = id.text;
  for (let n: ts.Node | undefined = id.parent; n; n = n.parent) {
    if (ts.isFunctionLike(n) && n.parameters.some((p) => bindsName(p.name, name))) return undefined;
    if (ts.isCatchClause(n) && n.variableDeclaration && bindsName(n.variableDeclaration.name, name)) return undefined;
    if ((ts.isForOfStatement(n) || ts.isForInStatement(n) || ts.isForStatement(n)) && n.initializer && ts.isVariableDeclarationList(n.initializer) &&
      n.initializer.declarations.some((d) => bindsName(d.name, name))) return undefined;
    if (!(ts.isBlock(n) || ts.isSourceFile(n) || ts.isModuleBlock(n) || ts.isCaseClause(n) || ts.isDefaultClause(n))) continue;
    for (const st of n.statements) {
      if ((ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st)) && st.name?.text === name) return undefined;
      if (!ts.isVariableStatement(st)) continue;
      const d = st.declarationList.declarations.find((x) => bindsName(x.name, name));
      if (!d) continue;
      if (!(st.declarationList.flags & ts.NodeFlags.Const) || !ts.isIdentifier(d.name) || !d.initializer || d.end > id.pos) return undefined;
      const init = skipOuter(d.initializer);
      return ts.isObjectLiteralExpression(init) && !writtenTo(n, name) ? init : undefined;
    }
  }
  return undefined;
}

function bindsName(b: ts.BindingName, name: string): boolean {
  if (ts.isIdentifier(b)) return b.text === name;
  return b.elements.some((e) => !ts.isOmittedExpression(e) && bindsName(e.name, name));
}

/** Does `scope` write a member of `name`, delete one, or hand it to Object.assign as the target? */
function writtenTo(scope: ts.Node, name: string): boolean {
  const rootIs = (e: ts.Expression): boolean => {
    let x = skipOuter(e);
    while (ts.isPropertyAccessExpression(x) || ts.isElementAccessExpression(x)) x = skipOuter(x.expression);
    return ts.isIdentifier(x) && x.text === name;
  };
  const member = (e: ts.Expression) => (ts.isPropertyAccessExpression(skipOuter(e)) || ts.isElementAccessExpression(skipOuter(e))) && rootIs(e);
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isBinaryExpression(n) && n.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && n.operatorToken.kind <= ts.SyntaxKind.LastAssignment && member(n.left)) found = true;
    else if (ts.isDeleteExpression(n) && member(n.expression)) found = true;
    else if (ts.isCallExpression(n) && n.arguments[0] && ts.isIdentifier(skipOuter(n.arguments[0])) && rootIs(n.arguments[0]) &&
      ts.isPropertyAccessExpression(n.expression) && n.expression.name.text === 'assign') found = true;
    else ts.forEachChild(n, visit);
  };
  visit(scope);
  return found;
}

/**
 * The properties an options object sets, in order, looking through spreads of object literals and
 * of `const` object literals (`{ ...base, method: 'POST' }`), and conditional spreads (both
 * branches: the key may be set). 'opaque' when a spread, or the value itself, cannot be seen.
 */
export function optionProperties(e: ts.Expression, depth = 0): ts.ObjectLiteralElementLike[] | 'opaque' {
  const x = skipOuter(e);
  if (depth > 4) return 'opaque';
  if (ts.isIdentifier(x)) {
    if (x.text === 'undefined') return [];
    const lit = constObjectLiteral(x);
    return lit ? optionProperties(lit, depth + 1) : 'opaque';
  }
  if (x.kind === ts.SyntaxKind.NullKeyword) return [];
  if (ts.isBinaryExpression(x) && x.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken) return optionProperties(x.right, depth + 1);
  if (ts.isConditionalExpression(x)) {
    const a = optionProperties(x.whenTrue, depth + 1);
    const b = optionProperties(x.whenFalse, depth + 1);
    return a === 'opaque' || b === 'opaque' ? 'opaque' : [...a, ...b];
  }
  if (!ts.isObjectLiteralExpression(x)) return 'opaque';
  const out: ts.ObjectLiteralElementLike[] = [];
  for (const p of x.properties) {
    if (ts.isSpreadAssignment(p)) {
      const inner = optionProperties(p.expression, depth + 1);
      if (inner === 'opaque') return 'opaque';
      out.push(...inner);
    } else {
      if (!p.name || propertyName(p.name) === undefined) return 'opaque'; // computed key
      out.push(p);
    }
  }
  return out;
}

/** The last of `props` named `name` (a later key wins). */
export function lastProperty(props: readonly ts.ObjectLiteralElementLike[], name: string): ts.ObjectLiteralElementLike | undefined {
  for (let i = props.length - 1; i >= 0; i--) {
    const p = props[i];
    if (p.name && propertyName(p.name) === name) return p;
  }
  return undefined;
}

/** True when the object sets one of `keys` — or may, through a spread we cannot see. */
export function hasAnyKey(obj: ts.ObjectLiteralExpression, keys: readonly string[]): boolean {
  const seen = visibleKeys(obj);
  return seen === 'opaque' || keys.some((k) => seen.has(k));
}

/** Text of a string literal or template (its literal parts), for connection-string checks. */
export function literalText(e: ts.Expression): string | undefined {
  const x = skipOuter(e);
  if (ts.isStringLiteralLike(x)) return x.text;
  if (ts.isTemplateExpression(x)) return x.head.text + x.templateSpans.map((s) => s.literal.text).join('');
  return undefined;
}

/** The object literal in an argument slot; 'opaque' for anything else (a variable, a call); undefined when absent. */
export function nonOpaqueObject(e: ts.Expression | undefined): ts.ObjectLiteralExpression | undefined | 'opaque' {
  if (!e) return undefined;
  const x = skipOuter(e);
  if (ts.isObjectLiteralExpression(x)) return x;
  return 'opaque';
}

export function propValue(obj: ts.ObjectLiteralExpression, key: string): ts.Expression | undefined {
  const p = findProperty(obj, key);
  return p && ts.isPropertyAssignment(p) ? p.initializer : undefined;
}

/** `X.defaults.timeout = …` among `statements` (only those starting before `before`, when given). */
export function setsDefaultsTimeout(sf: ts.SourceFile, statements: readonly ts.Statement[], target: string, before?: number): boolean {
  for (const st of statements) {
    if (before !== undefined && st.getStart(sf) > before) break;
    if (!ts.isExpressionStatement(st) || !ts.isBinaryExpression(st.expression) || st.expression.operatorToken.kind !== ts.SyntaxKind.EqualsToken) continue;
    const left = st.expression.left;
    if (ts.isPropertyAccessExpression(left) && left.name.text === 'timeout' && ts.isPropertyAccessExpression(left.expression) &&
      left.expression.name.text === 'defaults' && left.expression.expression.getText(sf) === target) return true;
  }
  return false;
}

// ---- bindings ----------------------------------------------------------------------------------

/** The declaration, class property or assignment statement a call's result is stored in. */
export function bindingNodeOf(call: ts.CallExpression | ts.NewExpression): ts.Node | undefined {
  let n: ts.Node = call;
  while (n.parent && (ts.isParenthesizedExpression(n.parent) || ts.isAsExpression(n.parent) || ts.isAwaitExpression(n.parent) ||
    ts.isNonNullExpression(n.parent) || ts.isSatisfiesExpression(n.parent))) n = n.parent;
  const p = n.parent;
  if (!p) return undefined;
  if ((ts.isVariableDeclaration(p) || ts.isPropertyDeclaration(p)) && p.initializer === n) return p;
  if (ts.isBinaryExpression(p) && p.right === n && p.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isExpressionStatement(p.parent)) return p.parent;
  return undefined;
}

export function bindingName(sf: ts.SourceFile, node: ts.Node | undefined): string | undefined {
  if (!node) return undefined;
  if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name)) return node.name.text;
  if (ts.isPropertyDeclaration(node)) return `this.${propertyName(node.name) ?? ''}`;
  if (ts.isExpressionStatement(node) && ts.isBinaryExpression(node.expression)) return node.expression.left.getText(sf);
  return undefined;
}

// ---- client instances made in this file ------------------------------------------------------------

/** The part of FileFacts these queries read (kept narrow so they stay testable). */
export interface CallResolver {
  resolveCall(call: ts.CallExpression | ts.NewExpression): { module: string; path: string[]; instance?: ClientInstance } | undefined;
}

/** The instance factory of an HTTP library whose instances take a deadline (axios.create), with its style. */
export function httpInstanceFactory(module: string, path: readonly string[]): { deadlineOptions: readonly string[]; write: string; style?: HttpStyle; label: string } | undefined {
  const f = KNOWLEDGE.clientDeadlineOf(module, path, 'call');
  if (!f || KNOWLEDGE.ioOf(module)?.kind !== IO.http || f.options !== 0) return undefined;
  const call = KNOWLEDGE.httpCallsOf(module).find((c) => c.on !== 'module');
  const style = call ? KNOWLEDGE.httpCallOf(module, call.path, true)?.style : undefined;
  return { deadlineOptions: f.deadlineOptions, write: f.write[0]?.option ?? 'timeout', ...(style ? { style } : {}), label: `${KNOWLEDGE.libraryOf(module)?.label ?? module}.${path.join('.')}` };
}

/** The factory call behind an instance recorded by FileFacts, when it is an HTTP instance factory (`axios.create(...)`) itself. */
export function instanceFactoryCall(facts: CallResolver, inst: ClientInstance): ts.CallExpression | undefined {
  const n = inst.node;
  let init: ts.Expression | undefined;
  if (ts.isVariableDeclaration(n) || ts.isPropertyDeclaration(n)) init = n.initializer;
  else if (ts.isExpressionStatement(n) && ts.isBinaryExpression(n.expression)) init = n.expression.right;
  if (!init) return undefined;
  let x = skipOuter(init);
  if (ts.isAwaitExpression(x)) x = skipOuter(x.expression);
  if (!ts.isCallExpression(x)) return undefined;
  const r = facts.resolveCall(x);
  return r && !r.instance && httpInstanceFactory(r.module, r.path) ? x : undefined;
}

/**
 * True when calls through `inst` that lack a deadline belong to its factory call in this file
 * (reported there once). Independent of which rules run.
 */
export function instanceReportedAtFactory(facts: CallResolver, inst: ClientInstance): boolean {
  if (inst.optionsOpaque) return false;
  return instanceFactoryCall(facts, inst) !== undefined;
}

/** Does a call through an instance carry its own deadline, or options we cannot see? */
export function instanceCallHasDeadline(call: ts.CallExpression, module: string, callPath: readonly string[]): boolean {
  const args = call.arguments;
  if (args.some((a) => ts.isSpreadElement(a))) return true;
  const shape = KNOWLEDGE.httpCallOf(module, callPath, true);
  if (!shape) return true;
  let slot: number;
  if (shape.call.options === 'url-or-config') {
    const first = args[0] && skipOuter(args[0]);
    slot = first && ts.isObjectLiteralExpression(first) ? 0 : 1;
  } else slot = shape.call.options;
  const o = nonOpaqueObject(args[slot]);
  if (o === undefined) return false;
  if (o === 'opaque') return true;
  return hasAnyKey(o, shape.style.deadlineOptions);
}

/** A factory call (`axios.create(...)`) that made an instance without a deadline. */
export interface InstanceWithoutDeadline {
  call: ts.CallExpression;
  /** The options object literal, when one was passed. */
  obj?: ts.ObjectLiteralExpression;
  /** The option that sets the deadline (`timeout`). */
  option: string;
  label: string;
  /** `timeout: 0`: the deadline is disabled explicitly (the node is the 0). */
  disabled?: ts.Expression;
  calls: number;
  callsWithoutDeadline: number;
  firstWithout?: ts.CallExpression;
}

interface Tracked extends InstanceWithoutDeadline { bindingNode?: ts.Node }

/**
 * Collects HTTP instance factories and the calls through their instances while the walk goes on;
 * `result()` at the end of the file lists the instances without a deadline that some call (or no
 * visible call) leaves without one. Per-file state: make one per file (in a rule's create).
 */
export function trackHttpInstances(sf: ts.SourceFile, facts: CallResolver) {
  const creates: Tracked[] = [];
  const calls: { instanceNode: ts.Node; call: ts.CallExpression; hasDeadline: boolean }[] = [];

  function noteFactory(call: ts.CallExpression, module: string, factoryPath: readonly string[]): void {
    const factory = httpInstanceFactory(module, factoryPath);
    if (!factory) return;
    const args = call.arguments;
    if (args.length > 1 || args.some((a) => ts.isSpreadElement(a))) return;
    const o = nonOpaqueObject(args[0]);
    if (o === 'opaque') return;
    const entry: Tracked = { call, ...(o ? { obj: o } : {}), option: factory.write, label: factory.label, calls: 0, callsWithoutDeadline: 0 };
    if (o) {
      const to = propValue(o, factory.write);
      if (to) {
        const v = skipOuter(to);
        if (ts.isNumericLiteral(v) && v.text === '0') creates.push({ ...entry, disabled: v });
        return;
      }
      if (hasAnyKey(o, factory.deadlineOptions)) return;
    }
    if (factory.style?.defaultsTimeout) {
      // `<module>.defaults.timeout` set before the create is inherited by the instance
      const moduleName = call.expression.getText(sf).replace(/\.[^.]+$/, '');
      if (setsDefaultsTimeout(sf, sf.statements, moduleName, call.getStart(sf))) return;
    }
    const bindingNode = bindingNodeOf(call);
    const name = bindingName(sf, bindingNode);
    if (name && factory.style?.defaultsTimeout) {
      if (setsDefaultsTimeout(sf, sf.statements, name)) return;
      const st = bindingNode && (ts.isVariableDeclaration(bindingNode) ? bindingNode.parent.parent : bindingNode);
      const block = st?.parent;
      if (block && (ts.isBlock(block) || ts.isSourceFile(block)) && setsDefaultsTimeout(sf, block.statements, name)) return;
    }
    // wrapped (`axiosCookieJarSupport(axios.create())`): the wrapper decides how it is used; stay silent
    let outer: ts.Node = call;
    while (outer.parent && (ts.isParenthesizedExpression(outer.parent) || ts.isAsExpression(outer.parent))) outer = outer.parent;
    if ((ts.isCallExpression(outer.parent) || ts.isNewExpression(outer.parent)) && outer.parent.arguments?.includes(outer as ts.Expression)) return;
    const tracked: Tracked = { ...entry, ...(bindingNode ? { bindingNode } : {}) };
    // axios.create().post(url, body, { timeout }) — the instance is used once, right here
    const p = call.parent;
    if (ts.isPropertyAccessExpression(p) && p.expression === call && ts.isCallExpression(p.parent) && p.parent.expression === p) {
      if (!KNOWLEDGE.httpCallOf(module, [p.name.text], true)) return;
      tracked.calls = 1;
      if (!instanceCallHasDeadline(p.parent, module, [p.name.text])) { tracked.callsWithoutDeadline = 1; tracked.firstWithout = p.parent; }
    }
    creates.push(tracked);
  }

  return {
    /** Feed every call expression of the file (in walk order). */
    onCall(call: ts.CallExpression): void {
      const r = facts.resolveCall(call);
      if (!r) return;
      if (!r.instance) {
        noteFactory(call, r.module, r.path);
        return;
      }
      if (!KNOWLEDGE.httpCallOf(r.module, r.path, true)) return; // interceptors, defaults, getUri: not requests
      calls.push({ instanceNode: r.instance.node, call, hasDeadline: instanceCallHasDeadline(call, r.module, r.path) });
    },
    /** The instances to report, once the whole file was walked. */
    result(): InstanceWithoutDeadline[] {
      const out: InstanceWithoutDeadline[] = [];
      for (const e of creates) {
        if (!e.disabled) {
          for (const c of calls) {
            if (!e.bindingNode || c.instanceNode !== e.bindingNode) continue;
            e.calls++;
            if (!c.hasDeadline) {
              e.callsWithoutDeadline++;
              if (!e.firstWithout || c.call.getStart(sf) < e.firstWithout.getStart(sf)) e.firstWithout = c.call;
            }
          }
          if (e.calls > 0 && e.callsWithoutDeadline === 0) continue; // every call brings its own deadline
        }
        const { bindingNode: _b, ...rest } = e;
        out.push(rest);
      }
      return out;
    },
  };
}

// ---- the project's HTTP wrappers -------------------------------------------------------------------

const EXTENSION = /\.(d\.)?[cm]?[jt]sx?$/;

/**
 * The project HTTP wrapper an import binding refers to (ProjectView.httpWrappers): same export,
 * and a module file the specifier names — resolved against the importing file for relative
 * specifiers; for aliases and workspace packages (`~/lib/http`, `@acme/http`) the file whose path
 * ends with the specifier's path (or its `index`, or under its package's folder) when only one does.
 */
export function wrapperOf(view: ProjectView, fileName: string, binding: Pick<ImportBinding, 'module'>, exportName: string): HttpWrapper | undefined {
  if (view.httpWrappers.length === 0) return undefined;
  const candidates = view.httpWrappers.filter((w) => w.exportName === exportName);
  if (candidates.length === 0) return undefined;
  const spec = binding.module;
  // the module graph knows where the specifier leads (a workspace package's name included)
  const known = view.moduleFileOf?.(spec);
  if (known) return candidates.find((w) => path.resolve(w.file) === path.resolve(known));
  const stem = (f: string) => f.replace(/\\/g, '/').replace(EXTENSION, '').replace(/\/index$/, '');
  if (spec.startsWith('.')) {
    const target = stem(path.resolve(path.dirname(path.resolve(fileName)), spec));
    return candidates.find((w) => stem(path.resolve(w.file)) === target);
  }
  // `~/lib/http`, `@/lib/http`, `#lib/http`, `@acme/http/client`: match the path after the alias or scope
  const parts = spec.replace(/^[~#@]\//, '').split('/');
  const tail = parts[0].startsWith('@') ? parts.slice(1) : parts;
  const want = tail.join('/');
  const hits = candidates.filter((w) => {
    const s = stem(w.file);
    return s.endsWith(`/${want}`) || s.includes(`/${want}/`);
  });
  return hits.length === 1 ? hits[0] : undefined;
}

/**
 * For a call whose callee starts at an import (`api.get(…)`, `http.api.get(…)`): the project
 * wrapper it goes through and the member path below the wrapper.
 */
export function wrapperCall(view: ProjectView, fileName: string, bindings: ReadonlyMap<string, ImportBinding>, call: ts.CallExpression, resolvedPath: readonly string[]): { wrapper: HttpWrapper; path: string[]; local: string } | undefined {
  if (view.httpWrappers.length === 0) return undefined;
  let e: ts.Expression = skipOuter(call.expression);
  while (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) e = skipOuter(e.expression);
  if (!ts.isIdentifier(e)) return undefined;
  const b = bindings.get(e.text);
  if (!b) return undefined;
  let exportName: string;
  let rest: string[];
  if (b.imported === '*') { if (resolvedPath.length === 0) return undefined; exportName = resolvedPath[0]; rest = resolvedPath.slice(1); }
  else if (b.imported === 'default') { exportName = 'default'; rest = [...resolvedPath]; }
  else { exportName = b.imported; rest = resolvedPath.slice(1); }
  const wrapper = wrapperOf(view, fileName, b, exportName);
  return wrapper ? { wrapper, path: rest, local: e.text } : undefined;
}

// ---- HTTP clients declared in .failpath.json -----------------------------------------------------

/** A call on a client the project declared ("knowledge.httpClients"), as missing-timeout judges it. */
export type DeclaredCall =
  /** `createClient(opts)`: the factory; its options are the deadline of every request through the client. */
  | { kind: 'factory'; client: DeclaredHttpClient; options?: ts.Expression }
  /** `http.get(url, opts)`: a request on the module's exports; `slot` is the index of its options argument. */
  | { kind: 'request'; client: DeclaredHttpClient; slot: number; label: string }
  /** `api.get(url)` on a client the factory made in this file: judged at the factory. */
  | { kind: 'instance'; client: DeclaredHttpClient };

/** The declared client a specifier of this file names (exactly as declared, or the same module). */
function declaredClientOf(view: ProjectView, fileName: string, specifier: string): DeclaredHttpClient | undefined {
  for (const w of view.httpWrappers) {
    if (w.declared && (specifier === w.declared.specifier || specifierMayName(specifier, fileName, w.file))) return w.declared;
  }
  return undefined;
}

/** `a.b.c` → root identifier `a` and members ['b', 'c']. */
function memberChain(e: ts.Expression): { root: ts.Identifier; members: string[] } | undefined {
  const members: string[] = [];
  let x = skipOuter(e);
  while (ts.isPropertyAccessExpression(x)) {
    members.unshift(x.name.text);
    x = skipOuter(x.expression);
  }
  return ts.isIdentifier(x) ? { root: x, members } : undefined;
}

/** What an import-rooted callee names on a declared client: the client and the path below its module. */
function onDeclaredModule(view: ProjectView, fileName: string, bindings: ReadonlyMap<string, ImportBinding>, callee: ts.Expression): { client: DeclaredHttpClient; path: string[] } | undefined {
  const chain = memberChain(callee);
  const b = chain && bindings.get(chain.root.text);
  if (!chain || !b) return undefined;
  const client = declaredClientOf(view, fileName, b.module);
  if (!client) return undefined;
  return { client, path: [...(b.imported === '*' || b.imported === 'default' ? [] : [b.imported]), ...chain.members] };
}

const samePath = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * The declared HTTP client `call` goes through, if any: its factory, a request on its module, or a
 * request on a client its factory made in this file (`const api = createClient(…)`).
 */
export function declaredHttpCall(view: ProjectView, fileName: string, bindings: ReadonlyMap<string, ImportBinding>, call: ts.CallExpression): DeclaredCall | undefined {
  if (!view.httpWrappers.some((w) => w.declared)) return undefined;
  const onModule = onDeclaredModule(view, fileName, bindings, call.expression);
  if (onModule) {
    const { client, path: p } = onModule;
    if (client.factory) return samePath(p, [client.factory]) ? { kind: 'factory', client, ...(call.arguments[0] ? { options: call.arguments[0] } : {}) } : undefined;
    const shape = client.calls.find((c) => samePath(c.path, p));
    if (!shape) return undefined;
    const text = call.expression.getText();
    return { kind: 'request', client, slot: shape.options, label: text };
  }
  // a request on a client made in this file by a declared factory
  const chain = memberChain(call.expression);
  if (!chain || chain.members.length === 0) return undefined;
  const init = variableInitializer(call.getSourceFile(), chain.root.text);
  let made = init && skipOuter(init);
  if (made && ts.isAwaitExpression(made)) made = skipOuter(made.expression);
  if (!made || !ts.isCallExpression(made)) return undefined;
  const factory = onDeclaredModule(view, fileName, bindings, made.expression);
  if (!factory?.client.factory || !samePath(factory.path, [factory.client.factory])) return undefined;
  return factory.client.calls.some((c) => samePath(c.path, chain.members)) ? { kind: 'instance', client: factory.client } : undefined;
}

const initializers = new WeakMap<ts.SourceFile, Map<string, ts.Expression>>();

/** The initializer of the first `const|let|var <name> = …` in the file (the file's are collected once). */
function variableInitializer(sf: ts.SourceFile, name: string): ts.Expression | undefined {
  let byName = initializers.get(sf);
  if (!byName) {
    const found = new Map<string, ts.Expression>();
    const visit = (n: ts.Node): void => {
      if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.initializer && !found.has(n.name.text)) found.set(n.name.text, n.initializer);
      ts.forEachChild(n, visit);
    };
    visit(sf);
    initializers.set(sf, (byName = found));
  }
  return byName.get(name);
}

// ---- streamed response bodies ------------------------------------------------------------------

const STREAM_METHODS = new Set(['pipe', 'pipeTo', 'pipeThrough', 'getReader', 'tee', 'on', 'once']);

/**
 * True when the response of this request call has its body streamed: `res.body` piped, read with
 * a reader, iterated with `for await`, or handed to another function (an importer, `pipeline`,
 * `Readable.fromWeb`, `new Response(res.body)`), including `const { body } = await request(…)`.
 * A whole-request abort signal (`AbortSignal.timeout(ms)`) would also cut such a body mid-way.
 */
export function responseBodyIsStreamed(call: ts.CallExpression): boolean {
  let n: ts.Node = call;
  while (n.parent && (ts.isParenthesizedExpression(n.parent) || ts.isAwaitExpression(n.parent) || ts.isAsExpression(n.parent) || ts.isNonNullExpression(n.parent))) n = n.parent;
  const p = n.parent;
  if (!p) return false;
  // (await fetch(url)).body used in place
  if (ts.isPropertyAccessExpression(p) && p.expression === n && p.name.text === 'body') return bodyIsStreamedAt(p);
  if (!ts.isVariableDeclaration(p) || p.initializer !== n) return false;
  const scope = enclosingScope(p);
  if (!scope) return false;
  if (ts.isObjectBindingPattern(p.name)) {
    const el = p.name.elements.find((e) => (e.propertyName ? propertyName(e.propertyName) : ts.isIdentifier(e.name) ? e.name.text : undefined) === 'body');
    if (!el || !ts.isIdentifier(el.name)) return false;
    const local = el.name.text;
    return someNode(scope, (x) => ts.isIdentifier(x) && x.text === local && x !== el.name && !isPropertyName(x) && bodyIsStreamedAt(x));
  }
  if (!ts.isIdentifier(p.name)) return false;
  const res = p.name.text;
  return someNode(scope, (x) => ts.isPropertyAccessExpression(x) && x.name.text === 'body' && ts.isIdentifier(x.expression) && x.expression.text === res && bodyIsStreamedAt(x));
}

function isPropertyName(id: ts.Identifier): boolean {
  const p = id.parent;
  return (ts.isPropertyAccessExpression(p) && p.name === id) || (ts.isPropertyAssignment(p) && p.name === id);
}

/** Is the body expression at `e` streamed (piped, read, iterated, passed on)? */
function bodyIsStreamedAt(e: ts.Expression): boolean {
  let x: ts.Node = e;
  while (x.parent && (ts.isParenthesizedExpression(x.parent) || ts.isAsExpression(x.parent) || ts.isNonNullExpression(x.parent))) x = x.parent;
  const p = x.parent;
  if (!p) return false;
  if (ts.isPropertyAccessExpression(p) && p.expression === x) return STREAM_METHODS.has(p.name.text);
  if ((ts.isCallExpression(p) || ts.isNewExpression(p)) && p.arguments?.includes(x as ts.Expression)) return true;
  if (ts.isForOfStatement(p) && p.expression === x) return true;
  return false;
}

function enclosingScope(n: ts.Node): ts.Node | undefined {
  let x: ts.Node | undefined = n.parent;
  while (x && !ts.isFunctionLike(x) && !ts.isSourceFile(x)) x = x.parent;
  return x && ts.isFunctionLike(x) ? (x as ts.FunctionLikeDeclaration).body : x;
}

function someNode(root: ts.Node, test: (n: ts.Node) => boolean): boolean {
  // iterative: bounded by the scope's size, no recursion depth
  const stack: ts.Node[] = [root];
  while (stack.length) {
    const n = stack.pop()!;
    if (test(n)) return true;
    ts.forEachChild(n, (c) => { stack.push(c); });
  }
  return false;
}
