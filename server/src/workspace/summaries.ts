/**
 * Cross-file function summaries, read from a function's text in its own file (no type checker:
 * see docs/architecture.md and the typecheck report). For each exported function (and each
 * method of an exported class, as `Class.method`):
 *
 * - io: the kind of external I/O it does (knowledge IO ids), directly or through functions of the
 *   same file it calls;
 * - setsDeadline: it makes external calls and every one of them carries a deadline (an HTTP
 *   call's deadline option, a client created with a deadline option, ky's default);
 * - catchesAll: its body is one try/catch whose catch neither rethrows nor rejects, or it returns
 *   `p.catch(handler)` with a handler that does not throw;
 * - canReject: it returns a promise (async, or a `Promise` return annotation, or returns a `.then`
 *   chain or a call of an async function of the file) and does not catch everything.
 *
 * Summaries of a file are cached by the file's text: an unchanged file is never read again.
 * Barrels carry the summaries of what they re-export (`export * from`, `export { a as b } from`).
 */
import ts = require('typescript');
import type { FunctionSummary } from '../engine/view';
import { FileFacts } from '../engine/facts';
import { externalCall, type ExternalCall } from '../engine/calls';
import { EMPTY_PROJECT } from '../engine/project';
import { IO, KNOWLEDGE, type IoKind } from '../knowledge';
import { ProjectReader, exportsOf, hasModifierKind, localDeclarations, nameText, throughBarrels, unwrap, walk, type ExportTarget } from './conventions/reader';

export type FunctionNode = ts.FunctionDeclaration | ts.FunctionExpression | ts.ArrowFunction | ts.MethodDeclaration;

/** How deep calls to other functions of the same file are followed. */
const MAX_CALL_DEPTH = 4;
/** Files whose summaries are kept between learning passes. */
const MAX_CACHED_FILES = 20_000;

export interface FunctionFacts {
  /** I/O kinds of its external calls, in source order, without repeats. */
  io: IoKind[];
  /** External calls made, and how many of them carry a deadline. */
  calls: number;
  withDeadline: number;
  /** HTTP calls made, and how many of them carry a deadline. */
  httpCalls: number;
  httpWithDeadline: number;
  /** The knowledge library ids of the HTTP clients it calls. */
  httpLibraries: string[];
}

/** One file's facts for function analysis: its AST, bindings, local functions and a memo. */
export class FileAnalysis {
  readonly facts: FileFacts;
  readonly locals: Map<string, ExportTarget>;
  private readonly memo = new Map<ts.Node, FunctionFacts>();
  private readonly active = new Set<ts.Node>();

  constructor(readonly sf: ts.SourceFile, readonly file: string) {
    this.facts = new FileFacts(sf, file);
    this.locals = localDeclarations(sf);
  }

  /** External calls in a function body (nested functions included: callbacks run as part of it), following calls to local functions. */
  functionFacts(fn: ts.Node, depth = 0): FunctionFacts {
    const hit = this.memo.get(fn);
    if (hit) return hit;
    const out: FunctionFacts = { io: [], calls: 0, withDeadline: 0, httpCalls: 0, httpWithDeadline: 0, httpLibraries: [] };
    if (this.active.has(fn) || depth > MAX_CALL_DEPTH) return out;
    this.active.add(fn);
    const merge = (f: FunctionFacts) => {
      for (const k of f.io) if (!out.io.includes(k)) out.io.push(k);
      for (const l of f.httpLibraries) if (!out.httpLibraries.includes(l)) out.httpLibraries.push(l);
      out.calls += f.calls;
      out.withDeadline += f.withDeadline;
      out.httpCalls += f.httpCalls;
      out.httpWithDeadline += f.httpWithDeadline;
    };
    walk(fn, (node) => {
      if (ts.isVariableDeclaration(node)) this.facts.noteVariable(node);
      if (!ts.isCallExpression(node)) return;
      const ext = externalCall(node, this.facts, EMPTY_PROJECT);
      if (ext) {
        if (!out.io.includes(ext.kind)) out.io.push(ext.kind);
        out.calls++;
        const deadline = callHasDeadline(ext, this.facts);
        if (deadline) out.withDeadline++;
        if (ext.kind === IO.http) {
          out.httpCalls++;
          if (deadline) out.httpWithDeadline++;
          const id = KNOWLEDGE.libraryOf(ext.module)?.id;
          if (id && !out.httpLibraries.includes(id)) out.httpLibraries.push(id);
        }
        return;
      }
      const local = this.localCallee(node);
      if (local && local !== fn) merge(this.functionFacts(local, depth + 1));
    });
    this.active.delete(fn);
    this.memo.set(fn, out);
    return out;
  }

  /** The function of this file a call invokes: `name()` for a module-level function or const arrow. */
  localCallee(call: ts.CallExpression): FunctionNode | undefined {
    const callee = unwrap(call.expression);
    if (!ts.isIdentifier(callee)) return undefined;
    const d = this.locals.get(callee.text);
    return d && isFunctionNode(d) ? d : undefined;
  }
}

export function isFunctionNode(n: ts.Node): n is FunctionNode {
  return ts.isFunctionDeclaration(n) || ts.isFunctionExpression(n) || ts.isArrowFunction(n) || ts.isMethodDeclaration(n);
}

function propertyInit(obj: ts.ObjectLiteralExpression, names: readonly string[]): ts.Expression | 'present' | undefined {
  for (const p of obj.properties) {
    if (ts.isPropertyAssignment(p)) { const k = nameText(p.name); if (k && names.includes(k)) return p.initializer; }
    if (ts.isShorthandPropertyAssignment(p) && names.includes(p.name.text)) return 'present';
  }
  return undefined;
}

/** Does an options object set one of the deadline options (and not to `false`/`0`/`undefined`)? */
export function setsOption(obj: ts.Expression | undefined, names: readonly string[]): boolean {
  if (!obj) return false;
  const o = unwrap(obj);
  if (!ts.isObjectLiteralExpression(o)) return false;
  const v = propertyInit(o, names);
  if (v === undefined) return false;
  if (v === 'present') return true;
  const x = unwrap(v);
  return !(x.kind === ts.SyntaxKind.FalseKeyword || x.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(x) && x.text === 'undefined') || (ts.isNumericLiteral(x) && Number(x.text) === 0));
}

/** Does an external call carry a deadline: its options, its client's options, or the library's default? */
export function callHasDeadline(ext: ExternalCall, facts: FileFacts): boolean {
  const inst = ext.instance ? facts.resolveCall(ext.call)?.instance : undefined;
  if (ext.kind === IO.http) {
    const shape = KNOWLEDGE.httpCallOf(ext.module, ext.path, ext.instance);
    if (!shape) return false;
    const { call, style } = shape;
    const names = style.deadlineOptions;
    if (inst && setsOption(inst.options, names)) return true;
    if (inst && style.defaultsTimeout && defaultsTimeoutSet(ext.call, inst.name)) return true;
    if (style.write === 'chain') return chainedTimeout(ext.call);
    const args = ext.call.arguments;
    const index = call.options === 'url-or-config' ? (args[0] && ts.isObjectLiteralExpression(unwrap(args[0])) ? 0 : 1) : call.options;
    const opts = index >= 0 ? args[index] : undefined;
    if (style.defaultMs !== undefined) {
      // ky: a default deadline unless the call turns it off with timeout: false
      const o = opts && unwrap(opts);
      const off = o && ts.isObjectLiteralExpression(o) ? propertyInit(o, ['timeout']) : undefined;
      return !(off && off !== 'present' && unwrap(off).kind === ts.SyntaxKind.FalseKeyword);
    }
    return setsOption(opts, names);
  }
  if (!inst) return false;
  const factory = KNOWLEDGE.clientDeadlineOf(ext.module, inst.factory, ts.isNewExpression(unwrap(creationOf(inst.node) ?? ext.call)) ? 'new' : 'call')
    ?? KNOWLEDGE.clientDeadlineOf(ext.module, inst.factory, 'call') ?? KNOWLEDGE.clientDeadlineOf(ext.module, inst.factory, 'new');
  return !!factory && setsOption(inst.options, factory.deadlineOptions);
}

function creationOf(node: ts.Node): ts.Expression | undefined {
  if (ts.isVariableDeclaration(node) || ts.isPropertyDeclaration(node)) return node.initializer;
  return undefined;
}

/** `api.defaults.timeout = ms` anywhere in the file of the call. */
function defaultsTimeoutSet(call: ts.Node, instance: string): boolean {
  const text = call.getSourceFile().text;
  const name = instance.replace(/^this\./, '');
  return new RegExp(`\\b${name.replace(/[$]/g, '\\$')}\\.defaults\\.timeout\\s*=`).test(text);
}

/** superagent: `request.get(url).timeout(ms)` — a `.timeout(` in the chain built on the call. */
function chainedTimeout(call: ts.CallExpression): boolean {
  let n: ts.Node = call;
  for (let i = 0; i < 12 && n.parent; i++) {
    const p = n.parent;
    if (ts.isPropertyAccessExpression(p) && p.expression === n) {
      if (p.name.text === 'timeout') return true;
      n = p;
    } else if (ts.isCallExpression(p) && p.expression === n) n = p;
    else break;
  }
  return false;
}

// ---- catches all / can reject ----------------------------------------------------------------------------

/** Does a node (not entering nested functions) contain a throw, a `Promise.reject(...)` or a `reject(...)` call? */
function rethrows(node: ts.Node): boolean {
  let found = false;
  walk(node, (n) => {
    if (found) return false;
    if (n !== node && isFunctionNode(n)) return false;
    if (ts.isThrowStatement(n)) { found = true; return false; }
    if (ts.isCallExpression(n)) {
      const c = unwrap(n.expression);
      if ((ts.isIdentifier(c) && c.text === 'reject') || (ts.isPropertyAccessExpression(c) && c.name.text === 'reject' && ts.isIdentifier(c.expression) && c.expression.text === 'Promise')) { found = true; return false; }
    }
    return true;
  });
  return found;
}

/** Could evaluating this statement throw (outside any try)? Declarations of literals, plain returns and empty statements cannot. */
function harmless(st: ts.Statement): boolean {
  if (ts.isEmptyStatement(st) || ts.isFunctionDeclaration(st) || ts.isTypeAliasDeclaration(st) || ts.isInterfaceDeclaration(st)) return true;
  let risky = false;
  walk(st, (n) => {
    if (risky) return false;
    if (n !== st && isFunctionNode(n)) return false;
    if (ts.isCallExpression(n) || ts.isNewExpression(n) || ts.isAwaitExpression(n) || ts.isThrowStatement(n) || ts.isPropertyAccessExpression(n) || ts.isElementAccessExpression(n) || ts.isTaggedTemplateExpression(n)) { risky = true; return false; }
    return true;
  });
  return !risky;
}

/** `p.catch(h)` / `p.then(a, h)` whose handler does not throw. */
function caughtPromise(e: ts.Expression): boolean {
  const x = unwrap(e);
  if (!ts.isCallExpression(x) || !ts.isPropertyAccessExpression(x.expression)) return false;
  const m = x.expression.name.text;
  const handler = m === 'catch' ? x.arguments[0] : m === 'then' ? x.arguments[1] : undefined;
  if (!handler) return false;
  const h = unwrap(handler);
  return isFunctionNode(h) ? !rethrows(h.body ?? h) : false;
}

export function catchesAll(fn: FunctionNode): boolean {
  const body = fn.body;
  if (!body) return false;
  if (!ts.isBlock(body)) return caughtPromise(body as ts.Expression);
  const statements = body.statements;
  const tries = statements.filter(ts.isTryStatement);
  if (tries.length === 0) {
    // return p.catch(() => …)
    const last = statements[statements.length - 1];
    return !!last && ts.isReturnStatement(last) && !!last.expression && caughtPromise(last.expression) && statements.slice(0, -1).every(harmless);
  }
  for (const st of statements) {
    if (ts.isTryStatement(st)) {
      if (!st.catchClause || rethrows(st.catchClause.block)) return false;
      if (st.finallyBlock && rethrows(st.finallyBlock)) return false;
    } else if (!harmless(st)) return false;
  }
  return true;
}

export function returnsPromise(fn: FunctionNode, analysis: FileAnalysis): boolean {
  if (hasModifierKind(fn, ts.SyntaxKind.AsyncKeyword)) return !(fn as ts.FunctionDeclaration).asteriskToken;
  const t = fn.type;
  if (t && ts.isTypeReferenceNode(t) && ts.isIdentifier(t.typeName) && (t.typeName.text === 'Promise' || t.typeName.text === 'PromiseLike')) return true;
  if (t) return false;
  const returned: ts.Expression[] = [];
  if (fn.body && !ts.isBlock(fn.body)) returned.push(fn.body as ts.Expression);
  else if (fn.body) {
    walk(fn.body, (n) => {
      if (n !== fn.body && isFunctionNode(n)) return false;
      if (ts.isReturnStatement(n) && n.expression) returned.push(n.expression);
      return true;
    });
  }
  return returned.some((e) => {
    const x = unwrap(e);
    if (ts.isNewExpression(x) && ts.isIdentifier(x.expression) && x.expression.text === 'Promise') return true;
    if (!ts.isCallExpression(x)) return false;
    const c = unwrap(x.expression);
    if (ts.isPropertyAccessExpression(c) && ['then', 'catch', 'finally'].includes(c.name.text)) return true;
    if (ts.isPropertyAccessExpression(c) && ts.isIdentifier(c.expression) && c.expression.text === 'Promise') return true;
    const local = analysis.localCallee(x);
    if (local && local !== fn && hasModifierKind(local, ts.SyntaxKind.AsyncKeyword)) return true;
    const ext = externalCall(x, analysis.facts, EMPTY_PROJECT);
    return !!ext && KNOWLEDGE.ioOf(ext.module)?.promise?.returns === 'promise';
  });
}

export function summarize(fn: FunctionNode, analysis: FileAnalysis): FunctionSummary {
  const f = analysis.functionFacts(fn);
  const all = catchesAll(fn);
  return {
    ...(f.io.length ? { io: f.io[0] } : {}),
    setsDeadline: f.calls > 0 && f.withDeadline === f.calls,
    catchesAll: all,
    canReject: !all && returnsPromise(fn, analysis),
  };
}

/** The function an export stands for, when it is one. */
export function exportedFunction(target: ExportTarget): FunctionNode | undefined {
  return isFunctionNode(target) ? target : undefined;
}

/** Summaries of a file's exported functions and of the methods of its exported classes (`Class.method`). */
export function summarizeFile(file: string, sf: ts.SourceFile): Record<string, FunctionSummary> {
  const out: Record<string, FunctionSummary> = {};
  const exports = exportsOf(sf);
  if (!exports.size) return out;
  const analysis = new FileAnalysis(sf, file);
  for (const [name, target] of exports) {
    if (name === '__proto__') continue; // plain records: a key that would set the prototype is left out
    const fn = exportedFunction(target);
    if (fn) out[name] = summarize(fn, analysis);
    else if (ts.isClassDeclaration(target)) {
      for (const m of target.members) {
        if (!ts.isMethodDeclaration(m) || !m.body || hasModifierKind(m, ts.SyntaxKind.PrivateKeyword)) continue;
        const mn = nameText(m.name);
        if (mn) out[`${name}.${mn}`] = summarize(m, analysis);
      }
    }
  }
  return out;
}

const cache = new Map<string, { text: string; summaries: Record<string, FunctionSummary> }>();

/** Summaries of one file, from the cache when its text is unchanged. */
export function fileSummaries(reader: ProjectReader, file: string): Record<string, FunctionSummary> | undefined {
  const text = reader.text(file);
  if (text === undefined) return undefined;
  const hit = cache.get(file);
  if (hit && hit.text === text) return hit.summaries;
  // the text tells cheaply when nothing is exported
  if (!/\bexport\b|\bexports\b/.test(text)) return undefined;
  const sf = reader.parse(file);
  if (!sf) return undefined;
  let summaries: Record<string, FunctionSummary>;
  try {
    summaries = summarizeFile(file, sf);
  } catch {
    return undefined;
  }
  if (cache.size >= MAX_CACHED_FILES) cache.delete(cache.keys().next().value!);
  cache.set(file, { text, summaries });
  return summaries;
}

/**
 * Summaries of the exported functions of every project file another file imports (a summary
 * nobody can ask for is not computed), plus what barrels re-export.
 */
export function learnSummaries(reader: ProjectReader): Record<string, Record<string, FunctionSummary>> {
  const out: Record<string, Record<string, FunctionSummary>> = {};
  for (const file of reader.files) {
    if (!reader.importersOf(file, 1).length) continue;
    const s = fileSummaries(reader, file);
    if (s && Object.keys(s).length) out[file] = { ...s };
  }
  const entries = Object.entries(out).flatMap(([file, s]) => Object.keys(s).filter((n) => !n.includes('.')).map((name) => ({ file, name })));
  for (const e of throughBarrels(reader, entries)) {
    const summary = Object.hasOwn(out, e.from.file) && Object.hasOwn(out[e.from.file], e.from.name) ? out[e.from.file][e.from.name] : undefined;
    if (!summary || e.name === '__proto__') continue;
    const rec = Object.hasOwn(out, e.file) ? out[e.file] : (out[e.file] = {});
    if (!Object.hasOwn(rec, e.name)) rec[e.name] = summary;
  }
  return out;
}

/** Drops the cached summaries (tests; a Session that changes roots). */
export function clearSummaryCache(): void {
  cache.clear();
}
