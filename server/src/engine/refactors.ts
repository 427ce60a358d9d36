/**
 * Refactors the server offers on request (not tied to a finding). Pure: text in, a Fix out.
 *
 * Wrap in feature flag guard — statements at the cursor (or the selected statements) inside a
 * function run only when a flag is on:
 *
 * Before:  async function sendReceipt(order) {
 *            audit(order);
 *            await mailer.send(order.email, render(order));   ← cursor
 *            metrics.inc('receipt');
 *          }
 * After:   async function sendReceipt(order) {
 *            audit(order);
 *            if (await OpenFeature.getClient().getBooleanValue('send-receipt', false)) {
 *              await mailer.send(order.email, render(order));
 *            }
 *            metrics.inc('receipt');
 *          }
 *
 * When the statements run to the end of the function body, the guard returns early instead:
 * `if (!(await client.getBooleanValue('send-receipt', false))) return;` — with the function's
 * obvious empty value (`false`, `0`, `''`, `[]`, `null`) when it visibly returns values. In a
 * request handler whose guarded code answers the request (or calls `next`), the early return
 * answers too, so no request hangs: `return next()`, Express `return res.status(404).end()`,
 * Fastify `return reply.code(404).send()`, Hono `return c.notFound()`, Next.js
 * `return new Response(null, { status: 404 })`, Koa a plain return (Koa answers 404 itself).
 *
 * Not offered (precision over recall) when: the statements are not inside a function body; the
 * flag SDK needs `await` and the function is not async; a wrapped `const`/`let`/`function`/`class`
 * is used after the selection (wrapping would put it out of scope); an early return would need a
 * value and none is obvious; the SDK client the guard calls is not in scope (configure
 * `failpath.flags` with its name and import); the guarded code calls a callback parameter
 * (`done()`, `cb(err)`) or answers the request and the guard could not answer in its place.
 */
import { EMPTY_VIEW, type ProjectView } from './view';
import ts = require('typescript');
import { parse } from './analyze';
import { FileFacts, skipOuter } from './facts';
import { EMPTY_PROJECT, type ProjectFacts } from './project';
import { dependencyView } from './dependencies';
import { DEFAULT_CONFIG, type EngineConfig, type FlagProvider } from './config';
import { detectStyle, quoteString, semi, type Style } from './style';
import { enclosingFunction, functionName, isAsyncFunction, lineIndentAt, type FunctionLike } from './ast';
import { FRAMEWORK, FRAMEWORK_INFO, KNOWLEDGE, atVersion, fill } from '../knowledge';
import { handlerOf, koaBodyAssignment, responseOf, type RequestHandlerInfo } from './frameworks';
import { buildFlagGuard, flagKeyFrom, localFlags } from '../fixes/flags';
import type { Fix, RuleContext, TextEdit } from './types';

export interface RefactorInput {
  text: string;
  fileName: string;
  project?: ProjectFacts;
  /** The Session's view of the project for this file. */
  view?: ProjectView;
  config?: EngineConfig;
  /** Selection as UTF-16 offsets; start === end for a cursor. */
  start: number;
  end: number;
  /** The parsed text, when the caller already has it (the server caches one per version). */
  sourceFile?: ts.SourceFile;
}

export function flagGuardRefactor(input: RefactorInput): Fix | undefined {
  const { text, fileName } = input;
  const sf = input.sourceFile ?? parse(text, fileName);
  const target = findTarget(sf, text, input.start, input.end);
  if (!target) return undefined;
  const { block, first, last, fn } = target;

  const project = input.project ?? EMPTY_PROJECT;
  const baseConfig = input.config ?? DEFAULT_CONFIG;
  const facts = new FileFacts(sf, fileName, baseConfig.externalModules);
  const provider: string | undefined = baseConfig.flags?.provider ?? facts.flagSdk?.provider ?? project.flagSdk?.provider;

  let style: Style | undefined;
  let config = baseConfig;
  const ctx: RuleContext = {
    sourceFile: sf,
    text,
    fileName,
    facts,
    project,
    view: input.view ?? EMPTY_VIEW,
    get config() { return config; },
    options: {},
    get style() { return (style ??= detectStyle(sf)); },
    report() {},
  };
  // A client the file made is used; else the project's own flags module; else a default client
  // name, which must be in scope. A configured name is trusted.
  if (!baseConfig.flags && provider && KNOWLEDGE.flagProvider(provider)) {
    const client = findFlagClient(sf, facts, provider as FlagProvider, block) ?? moduleClient(facts, project, provider);
    if (client) config = { ...baseConfig, flags: { provider: provider as FlagProvider, name: client, import: undefined } };
    else if (!localFlags(ctx)) {
      const fallback = KNOWLEDGE.flagProvider(provider)?.flags.defaultClient;
      if (fallback && !nameInScope(fallback, block, facts)) return undefined;
    }
  }
  const guard = buildFlagGuard(ctx, flagKeyFor(fn));
  if (guard.needsAsync && !isAsyncFunction(fn)) return undefined;

  const statements = block.statements;
  const covered = statements.slice(first, last + 1);
  const start = covered[0].getStart(sf);
  const eol = ctx.style.eol;
  const indent = lineIndentAt(text, start);
  const atLineStart = text.slice(start - indent.length, start) === indent && (start - indent.length === 0 || text[start - indent.length - 1] === '\n');
  // put the guard on its own line when something precedes the first statement on its line
  const leadFrom = atLineStart ? start : trimBack(text, start);
  const lead = atLineStart ? '' : eol + indent;

  const toEnd = block === fn.body && last === statements.length - 1;
  // guarding a response or a callback must not leave the caller waiting when the flag is off
  const handler = safeHandlerOf(fn, facts, project);
  const effects = regionEffects(covered, fn, handler, facts);
  let main: TextEdit;
  if (toEnd) {
    let ret: string;
    if (handler && (effects.answers || effects.callsCallback)) {
      const off = offReturn(handler);
      if (off === undefined) return undefined;
      ret = off + semi(ctx.style);
    } else {
      if (effects.callsCallback) return undefined;
      const value = emptyReturnValue(fn, sf, ctx.style);
      if (value === undefined) return undefined;
      ret = `return${value ? ` ${value}` : ''}${semi(ctx.style)}`;
    }
    main = { start: leadFrom, end: start, newText: `${lead}if (${negate(guard.condition)}) ${ret}${eol}${indent}` };
  } else {
    if (effects.answers || effects.callsCallback) return undefined;
    if (declaresNamesUsedLater(covered, statements.slice(last + 1))) return undefined;
    let end = covered[covered.length - 1].end;
    for (const c of ts.getTrailingCommentRanges(text, end) ?? []) {
      if (c.kind === ts.SyntaxKind.SingleLineCommentTrivia || !text.slice(c.pos, c.end).includes('\n')) end = c.end;
    }
    const rest = restOfLine(text, end);
    const tail = rest.trim() === '' ? '' : eol + indent;
    const replaceEnd = rest.trim() === '' ? end : end + (rest.length - rest.trimStart().length);
    const body = indentBody(text, start, end, ctx.style.indent, indent, protectedRanges(covered, sf));
    main = {
      start: leadFrom,
      end: replaceEnd,
      newText: `${lead}if (${guard.condition}) {${eol}${indent}${ctx.style.indent}${body}${eol}${indent}}${tail}`,
    };
  }
  return {
    title: `Wrap in feature flag guard (${guard.describe})`,
    edits: [...guard.setup, main],
    kind: 'refactor.rewrite',
    safe: false,
  };
}

// ---- where: the statements to guard --------------------------------------------------------

interface Target {
  block: ts.Block;
  /** Index of the first and last covered statement in block.statements. */
  first: number;
  last: number;
  fn: FunctionLike;
}

function findTarget(sf: ts.SourceFile, text: string, rawStart: number, rawEnd: number): Target | undefined {
  let s = Math.max(0, Math.min(rawStart, rawEnd, text.length));
  let e = Math.min(text.length, Math.max(rawStart, rawEnd, 0));
  if (s === e) {
    // a cursor in the indentation of a line means the statement that starts on it
    while (s < text.length && (text[s] === ' ' || text[s] === '\t')) s++;
    e = s;
  } else {
    while (s < e && /\s/.test(text[s])) s++;
    while (e > s && /\s/.test(text[e - 1])) e--;
  }
  // descend along the one path of nodes that contain the selection (bounded by the depth)
  let best: Target | undefined;
  let node: ts.Node = sf;
  for (;;) {
    if (ts.isBlock(node)) {
      const fn = enclosingFunction(node);
      const { first, last } = coveredRange(node, sf, s, e);
      if (fn && fn.body && first !== -1 && directlyIn(node, fn)) best = { block: node, first, last, fn };
    }
    let next: ts.Node | undefined;
    ts.forEachChild(node, (child) => {
      if (next) return;
      if (child.getStart(sf) <= s && e <= child.end && (s < child.end || s === e)) next = child;
    });
    if (!next) break;
    node = next;
  }
  return best;
}

/** The block belongs to fn's own code (not to a class static block or field between them). */
function directlyIn(block: ts.Block, fn: FunctionLike): boolean {
  for (let n: ts.Node | undefined = block.parent; n && n !== fn; n = n.parent) {
    if (ts.isClassLike(n) || ts.isClassStaticBlockDeclaration(n)) return false;
  }
  return true;
}

function coveredRange(block: ts.Block, sf: ts.SourceFile, s: number, e: number): { first: number; last: number } {
  let first = -1;
  let last = -1;
  block.statements.forEach((st, i) => {
    const a = st.getStart(sf);
    const hit = s === e ? a <= s && s <= st.end : a < e && s < st.end;
    if (hit) {
      if (first === -1) first = i;
      last = i;
    }
  });
  return { first, last };
}

// ---- what: the flag key and the client -----------------------------------------------------

/** The flag key: the function's name, else the route a callback handles, else an outer name. */
function flagKeyFor(fn: FunctionLike): string {
  let f: FunctionLike | undefined = fn;
  while (f) {
    const name = functionName(f);
    if (name) return flagKeyFrom(name);
    const p = f.parent;
    if (p && ts.isCallExpression(p) && p.arguments.includes(f as ts.Expression)) {
      const route = p.arguments[0];
      if (route && ts.isStringLiteralLike(route) && /[A-Za-z]/.test(route.text)) return flagKeyFrom(route.text);
    }
    f = enclosingFunction(f);
  }
  return flagKeyFrom(undefined);
}

/**
 * A module-level (or enclosing-block) variable holding the provider's client:
 * `const ld = init(key)`, `const gb = new GrowthBook(…)`, `const flags = OpenFeature.getClient()`.
 */
function findFlagClient(sf: ts.SourceFile, facts: FileFacts, provider: FlagProvider, from: ts.Node): string | undefined {
  // factories whose result is the provider's client, by the callee's last name
  const factories = KNOWLEDGE.flagProvider(provider)?.flags.clientFactories ?? [];
  const isClientInit = (init: ts.Expression | undefined): boolean => {
    if (!init) return false;
    let x = skipOuter(init);
    if (ts.isAwaitExpression(x)) x = skipOuter(x.expression);
    if (!ts.isCallExpression(x) && !ts.isNewExpression(x)) return false;
    const callee = skipOuter(x.expression);
    const last = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
    if (!last || !factories.includes(last)) return false;
    let root: ts.Expression = callee;
    while (ts.isPropertyAccessExpression(root)) root = skipOuter(root.expression);
    const binding = ts.isIdentifier(root) ? facts.bindings.get(root.text) : undefined;
    return !!binding && KNOWLEDGE.flagProviderOf(binding.module) === provider;
  };
  const scopes: (ts.Block | ts.SourceFile)[] = [];
  for (let n: ts.Node | undefined = from; n; n = n.parent) if (ts.isBlock(n) || ts.isSourceFile(n)) scopes.push(n);
  for (const scope of scopes) {
    for (const st of scope.statements) {
      if (scope !== sf && st.pos >= from.pos) break;
      if (!ts.isVariableStatement(st)) continue;
      for (const d of st.declarationList.declarations) {
        if (ts.isIdentifier(d.name) && isClientInit(d.initializer)) return d.name.text;
      }
    }
  }
  return undefined;
}

/** An SDK whose module itself is the client at the project's version (flagsmith-nodejs 1.x: `import flagsmith from 'flagsmith-nodejs'`). */
function moduleClient(facts: FileFacts, project: ProjectFacts, provider: string): string | undefined {
  const sdk = KNOWLEDGE.flagProvider(provider);
  if (!sdk || !atVersion(sdk.flags, sdk.record, dependencyView(project)).moduleIsClient) return undefined;
  for (const [name, b] of facts.bindings) if (KNOWLEDGE.isModuleOf(sdk.record.id, b.module) && (b.imported === 'default' || b.imported === '*')) return name;
  return undefined;
}

/** True when `name` is declared at module level, or in a block or function enclosing `node`. */
function nameInScope(name: string, node: ts.Node, facts: FileFacts): boolean {
  if (facts.moduleNames.has(name)) return true;
  for (let n: ts.Node | undefined = node; n; n = n.parent) {
    if (ts.isFunctionLike(n)) {
      for (const p of n.parameters) if (bindingNames(p.name).includes(name)) return true;
    }
    if (ts.isBlock(n)) {
      for (const st of n.statements) if (declaredNames(st).includes(name)) return true;
    }
  }
  return false;
}

// ---- what the guarded code does for the caller ----------------------------------------------

function safeHandlerOf(fn: FunctionLike, facts: FileFacts, project: ProjectFacts): RequestHandlerInfo | undefined {
  try {
    return handlerOf(fn, facts, project);
  } catch {
    return undefined;
  }
}

interface RegionEffects {
  /** Calls a parameter of the function or of an enclosing one: `next()`, `done()`, `cb(err)`. */
  callsCallback: boolean;
  /** Sends (or shapes) the HTTP response of the handler it runs in. */
  answers: boolean;
}

function regionEffects(covered: readonly ts.Statement[], fn: FunctionLike, handler: RequestHandlerInfo | undefined, facts: FileFacts): RegionEffects {
  const params = new Set<string>();
  for (let f: FunctionLike | undefined = fn; f; f = enclosingFunction(f)) {
    for (const p of f.parameters) for (const n of bindingNames(p.name)) params.add(n);
  }
  const responder = new Set([handler?.resName, handler?.ctxName].filter((n): n is string => !!n));
  const effects: RegionEffects = { callsCallback: false, answers: false };
  const rootName = (e: ts.Expression): string | undefined => {
    let x = skipOuter(e);
    while (ts.isPropertyAccessExpression(x) || ts.isCallExpression(x) || ts.isElementAccessExpression(x)) x = skipOuter(x.expression);
    return ts.isIdentifier(x) ? x.text : undefined;
  };
  const visit = (n: ts.Node): void => {
    if (ts.isCallExpression(n)) {
      const callee = skipOuter(n.expression);
      if (ts.isIdentifier(callee) && params.has(callee.text)) effects.callsCallback = true;
      if (responseOf(n, handler, facts)) effects.answers = true;
      else if (ts.isPropertyAccessExpression(callee)) {
        const root = rootName(callee);
        if (root && responder.has(root)) effects.answers = true;
      }
    } else if (ts.isNewExpression(n)) {
      if (responseOf(n, handler, facts)) effects.answers = true;
    } else if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const root = rootName(n.left);
      if (koaBodyAssignment(n, handler) || (root && responder.has(root) && root !== skipOuter(n.left).getText())) effects.answers = true;
    }
    ts.forEachChild(n, visit);
  };
  covered.forEach(visit);
  return effects;
}

/**
 * What a handler does when the flag is off, so that the request is still answered: pass to the
 * next middleware/route, or answer 404 the framework's way (Koa answers 404 by itself when no
 * body is set). Undefined when there is no such obvious answer (NestJS).
 */
function offReturn(h: RequestHandlerInfo): string | undefined {
  if (h.nextName) return h.kind === 'error' && h.errName ? `return ${h.nextName}(${h.errName})` : `return ${h.nextName}()`;
  if (!KNOWLEDGE.isModelledFramework(h.framework)) return undefined;
  const info = FRAMEWORK_INFO[h.framework];
  if (h.framework === FRAMEWORK.next && h.kind === 'next-app') return info.notFoundWeb;
  const answer = info.notFound;
  // the answer needs the parameter it names (Koa's bare `return` needs the context)
  if (!answer || (answer.includes('{res}') ? !h.resName : !h.ctxName)) return undefined;
  return fill(answer, { res: h.resName ?? '', ctx: h.ctxName ?? '' });
}

// ---- how: edits ----------------------------------------------------------------------------

function bindingNames(name: ts.BindingName): string[] {
  if (ts.isIdentifier(name)) return [name.text];
  const out: string[] = [];
  for (const el of name.elements) if (!ts.isOmittedExpression(el)) out.push(...bindingNames(el.name));
  return out;
}

/** Block-scoped names a statement declares (`var` is function-scoped and survives wrapping). */
function declaredNames(st: ts.Statement, blockScopedOnly = false): string[] {
  if (ts.isVariableStatement(st)) {
    if (blockScopedOnly && !(st.declarationList.flags & ts.NodeFlags.BlockScoped)) return [];
    return st.declarationList.declarations.flatMap((d) => bindingNames(d.name));
  }
  if ((ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st) || ts.isEnumDeclaration(st)) && st.name) return [st.name.text];
  return [];
}

/** Wrapping `const x = …` in a block hides x from the statements after it. */
function declaresNamesUsedLater(covered: readonly ts.Statement[], after: readonly ts.Statement[]): boolean {
  const names = new Set(covered.flatMap((st) => declaredNames(st, true)));
  if (names.size === 0 || after.length === 0) return false;
  let used = false;
  const visit = (n: ts.Node): void => {
    if (used) return;
    if (ts.isIdentifier(n) && names.has(n.text)) { used = true; return; }
    ts.forEachChild(n, visit);
  };
  after.forEach(visit);
  return used;
}

/** Multi-line string and template literals: their lines must not be re-indented. */
function protectedRanges(nodes: readonly ts.Node[], sf: ts.SourceFile): [number, number][] {
  const out: [number, number][] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n) || ts.isTemplateExpression(n)) {
      const a = n.getStart(sf);
      if (sf.text.slice(a, n.end).includes('\n')) out.push([a, n.end]);
      return;
    }
    ts.forEachChild(n, visit);
  };
  nodes.forEach(visit);
  return out;
}

/** text[start, end) with one more indentation unit on every line after the first. */
function indentBody(text: string, start: number, end: number, unit: string, indent: string, keep: [number, number][]): string {
  let out = '';
  let at = start;
  while (at < end) {
    const nl = text.indexOf('\n', at);
    if (nl === -1 || nl >= end) { out += text.slice(at, end); break; }
    out += text.slice(at, nl + 1);
    const lineStart = nl + 1;
    const lineEnd = Math.min(end, nextLineEnd(text, lineStart));
    const line = text.slice(lineStart, lineEnd);
    if (keep.some(([a, b]) => a < lineStart && lineStart < b)) out += line;
    else if (line.trim() === '') out += line.replace(/[ \t]+/, '');
    else out += (line.startsWith(indent) ? unit : '') + line;
    at = lineEnd;
  }
  return out;
}

function nextLineEnd(text: string, from: number): number {
  const nl = text.indexOf('\n', from);
  return nl === -1 ? text.length : nl;
}

function restOfLine(text: string, from: number): string {
  const e = nextLineEnd(text, from);
  return text.slice(from, text[e - 1] === '\r' ? e - 1 : e);
}

function trimBack(text: string, at: number): number {
  let i = at;
  while (i > 0 && (text[i - 1] === ' ' || text[i - 1] === '\t')) i--;
  return i;
}

/** `a !== b` → `a === b`, `x.isOn(k)` → `!x.isOn(k)`, anything else → `!(…)`. */
export function negate(condition: string): string {
  const sf = ts.createSourceFile('cond.ts', condition, ts.ScriptTarget.Latest, true);
  const st = sf.statements[0];
  const e = st && ts.isExpressionStatement(st) && sf.statements.length === 1 ? st.expression : undefined;
  if (e && ts.isBinaryExpression(e)) {
    const op = e.operatorToken;
    const flipped = { [ts.SyntaxKind.ExclamationEqualsEqualsToken]: '===', [ts.SyntaxKind.EqualsEqualsEqualsToken]: '!==' }[op.kind as number];
    if (flipped) return condition.slice(0, op.getStart(sf)) + flipped + condition.slice(op.end);
  }
  if (e && (ts.isCallExpression(e) || ts.isPropertyAccessExpression(e) || ts.isIdentifier(e))) return `!${condition}`;
  return `!(${condition})`;
}

/**
 * What an early return returns: '' for a plain `return`, the function's obvious empty value
 * when it visibly returns values, undefined when there is none (the guard is not offered).
 */
function emptyReturnValue(fn: FunctionLike, sf: ts.SourceFile, style: Style): string | undefined {
  if (ts.isConstructorDeclaration(fn) || ts.isSetAccessorDeclaration(fn) || fn.asteriskToken) return '';
  if (fn.type) {
    let type: ts.TypeNode = fn.type;
    if (isAsyncFunction(fn) && ts.isTypeReferenceNode(type) && type.typeName.getText(sf) === 'Promise' && type.typeArguments?.length === 1) {
      type = type.typeArguments[0];
    }
    return emptyValueOfType(type, sf, style);
  }
  const values: ts.Expression[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isFunctionLike(n) || ts.isClassLike(n)) return;
    if (ts.isReturnStatement(n) && n.expression) values.push(skipOuter(n.expression));
    ts.forEachChild(n, visit);
  };
  if (fn.body) ts.forEachChild(fn.body, visit);
  const meaningful = values.filter((v) => !(ts.isIdentifier(v) && v.text === 'undefined') && !ts.isVoidExpression(v));
  if (meaningful.length === 0) return '';
  // a body that can fall off its end already returns undefined on some path: a plain return fits
  const lastStatement = fn.body && ts.isBlock(fn.body) ? fn.body.statements[fn.body.statements.length - 1] : undefined;
  if (lastStatement && !ts.isReturnStatement(lastStatement) && !ts.isThrowStatement(lastStatement)) return '';
  for (const v of meaningful) {
    const value = emptyValueOfExpression(v, style);
    if (value !== undefined) return value;
  }
  return undefined;
}

function emptyValueOfExpression(v: ts.Expression, style: Style): string | undefined {
  switch (v.kind) {
    case ts.SyntaxKind.TrueKeyword:
    case ts.SyntaxKind.FalseKeyword:
      return 'false';
    case ts.SyntaxKind.NumericLiteral:
      return '0';
    case ts.SyntaxKind.StringLiteral:
    case ts.SyntaxKind.NoSubstitutionTemplateLiteral:
    case ts.SyntaxKind.TemplateExpression:
      return quoteString(style, '');
    case ts.SyntaxKind.ArrayLiteralExpression:
      return '[]';
    case ts.SyntaxKind.NullKeyword:
      return 'null';
    default:
      return undefined;
  }
}

function emptyValueOfType(type: ts.TypeNode, sf: ts.SourceFile, style: Style): string | undefined {
  switch (type.kind) {
    case ts.SyntaxKind.VoidKeyword:
    case ts.SyntaxKind.UndefinedKeyword:
    case ts.SyntaxKind.AnyKeyword:
    case ts.SyntaxKind.UnknownKeyword:
      return '';
    case ts.SyntaxKind.BooleanKeyword:
      return 'false';
    case ts.SyntaxKind.NumberKeyword:
      return '0';
    case ts.SyntaxKind.StringKeyword:
      return quoteString(style, '');
    case ts.SyntaxKind.ArrayType:
      return '[]';
    case ts.SyntaxKind.ParenthesizedType:
      return emptyValueOfType((type as ts.ParenthesizedTypeNode).type, sf, style);
    case ts.SyntaxKind.LiteralType:
      return (type as ts.LiteralTypeNode).literal.kind === ts.SyntaxKind.NullKeyword ? 'null' : undefined;
    case ts.SyntaxKind.TypeOperator:
      return (type as ts.TypeOperatorNode).operator === ts.SyntaxKind.ReadonlyKeyword ? emptyValueOfType((type as ts.TypeOperatorNode).type, sf, style) : undefined;
    case ts.SyntaxKind.TypeReference: {
      const name = (type as ts.TypeReferenceNode).typeName.getText(sf);
      return name === 'Array' || name === 'ReadonlyArray' ? '[]' : undefined;
    }
    case ts.SyntaxKind.UnionType: {
      const members = (type as ts.UnionTypeNode).types;
      // `T | undefined` / `T | void` → plain return; `T | null` → null; else the first member that has one
      if (members.some((m) => m.kind === ts.SyntaxKind.UndefinedKeyword || m.kind === ts.SyntaxKind.VoidKeyword)) return '';
      if (members.some((m) => ts.isLiteralTypeNode(m) && m.literal.kind === ts.SyntaxKind.NullKeyword)) return 'null';
      for (const m of members) {
        const v = emptyValueOfType(m, sf, style);
        if (v !== undefined) return v;
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

// ---- disable for this line -------------------------------------------------------------------

export interface SuppressInput {
  text: string;
  fileName: string;
  /** Offset of the finding's start: its line gets the directive above it. */
  offset: number;
  ruleId: string;
  sourceFile?: ts.SourceFile;
}

const NEXT_LINE_DIRECTIVE = /^([ \t]*)\/\/[ \t]*failpath-disable-next-line\b([^\r\n]*)$/;

/**
 * `// failpath-disable-next-line <rule>` above the finding's line, with that line's indentation
 * (see engine/suppress.ts); when the line above already is such a directive, the rule is added to
 * it. Undefined when the line begins inside a string, a template literal or JSX, where a comment
 * would change the program.
 */
export function disableNextLineEdit(input: SuppressInput): TextEdit | undefined {
  const { text, ruleId } = input;
  const offset = Math.max(0, Math.min(input.offset, text.length));
  let lineStart = offset;
  while (lineStart > 0 && text[lineStart - 1] !== '\n') lineStart--;
  const sf = input.sourceFile ?? parse(text, input.fileName);
  if (!commentAllowedAt(sf, lineStart)) return undefined;

  if (lineStart > 0) {
    let prevStart = lineStart - 1;
    while (prevStart > 0 && text[prevStart - 1] !== '\n') prevStart--;
    const prevEnd = text[lineStart - 2] === '\r' ? lineStart - 2 : lineStart - 1;
    const m = NEXT_LINE_DIRECTIVE.exec(text.slice(prevStart, prevEnd));
    if (m) {
      const rest = m[2];
      const reasonAt = rest.indexOf('--');
      const idsPart = reasonAt === -1 ? rest : rest.slice(0, reasonAt);
      const ids = idsPart.split(/[\s,]+/).filter(Boolean);
      if (ids.length === 0 || ids.includes(ruleId)) return undefined; // already suppressed
      const idsEnd = prevEnd - rest.length + idsPart.trimEnd().length;
      return { start: idsEnd, end: idsEnd, newText: `, ${ruleId}` };
    }
  }
  const indent = lineIndentAt(text, offset);
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  return { start: lineStart, end: lineStart, newText: `${indent}// failpath-disable-next-line ${ruleId}${eol}` };
}

/** False when `pos` (a line start) lies inside a literal or JSX, where a line comment is text. */
function commentAllowedAt(sf: ts.SourceFile, pos: number): boolean {
  let node: ts.Node = sf;
  let blocked = false;
  for (;;) {
    let next: ts.Node | undefined;
    ts.forEachChild(node, (child) => {
      if (!next && child.getStart(sf) < pos && pos < child.end) next = child;
    });
    if (!next) return !blocked;
    node = next;
    if (ts.isStringLiteralLike(node) || ts.isTemplateLiteralToken(node) || ts.isJsxText(node) || ts.isRegularExpressionLiteral(node)) {
      return false;
    }
    if (ts.isTemplateExpression(node) || ts.isJsxElement(node) || ts.isJsxFragment(node) || ts.isJsxOpeningLikeElement(node) ||
      ts.isJsxClosingElement(node)) blocked = true;
    else if (ts.isJsxExpression(node) || (ts.isTemplateSpan(node.parent) && node === node.parent.expression)) blocked = false;
  }
}
