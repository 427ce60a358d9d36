/**
 * leaked-error-details — a caught error's message, stack or the raw error object sent to the
 * client.
 *
 * Before:  } catch (err) {
 *            res.status(500).json({ error: err.message });
 *          }
 * After:   } catch (err) {
 *            const errorId = randomUUID();
 *            logger.error({ err, errorId }, 'Request failed');
 *            res.status(500).json({ error: 'Internal server error', errorId });
 *          }
 *
 * Sinks: Express/Next pages `res.json/send/end/write` (also after `res.status()`), Fastify
 * `reply.send`, Hono `c.json/text/html/body`, Koa `ctx.body =`, `NextResponse.json`,
 * `Response.json`, `new Response`, NestJS exception filters (`response.status().json()` on
 * `host.switchToHttp().getResponse()`), and `new GraphQLError(err.message)` / `ApolloError`.
 * Errors: `catch (err)` variables, `.catch((err) => …)` callbacks, error middleware / error
 * handlers, Nest `catch(exception)` — and local variables derived from them.
 *
 * Silent where the message is meant for the client: a 4xx status set explicitly, a branch that
 * narrowed the error to a known kind (`err instanceof HttpError`, `err.status`, `err.code ===`,
 * `isHttpError(err)`, `@Catch(HttpException)`), a development-only branch (`NODE_ENV`, `isDev`),
 * and Fastify's `reply.send(err)` (its error serializer honours `statusCode`).
 *
 * From the knowledge table: the GraphQL servers (role `graphql`) whose error classes reach the
 * client, Nest's decorator package (`@Catch`), and where an error id comes from (rules-a.ts).
 * Browser code inside a server module (the Session's browser spans) is skipped by analyze(), as for every server-only rule.
 */
import ts = require('typescript');
import { createRule, type Fix, type RuleContext, type RuleContextV2, type TextEdit } from '../engine/types';
import { skipOuter } from '../engine/facts';
import { isFunctionLike, lineIndentAt, type FunctionLike } from '../engine/ast';
import { addImport } from '../fixes/edits';
import { chooseLogger, consoleLogger, logCall } from '../fixes/logger';
import { quoteString, semi } from '../engine/style';
import { enclosingHandler, handlerOf, koaBodyAssignment, responseOf, type ResponseSend } from '../engine/frameworks';
import { FRAMEWORK, KNOWLEDGE } from '../knowledge';
import { ERROR_ID_SOURCE, ROLE } from '../knowledge/rules-a';
import { inDevOnlyFunction } from '../engine/queries/devGuard';

type MessageIds = 'leak' | 'leakEvery5xx' | 'graphqlLeak';
type Ctx = RuleContextV2<MessageIds>;

const LEAKY_PROPS = new Set(['message', 'stack', 'sqlMessage', 'sql', 'detail']);
const ENV_NAME = /NODE_ENV|^(is)?dev(elopment)?(Mode)?$|^(is)?prod(uction)?(Mode)?$|^debug$|^isDebug|^(is)?local$|^exposeErrors?$|^showErrors?$/i;
const GENERIC = 'Internal server error';

// ---- error variables -----------------------------------------------------------------------

/** Where an error binding comes from: a catch clause, a callback parameter or an error handler. */
interface ErrorScope { name: string; scope: ts.Node; declaredType?: ts.TypeNode }

/** The error variable `name` refers to at `at`, if it is one (innermost declaration wins). */
function errorBinding(at: ts.Node, name: string, ctx: Ctx, aliases: Map<ts.Node, Set<string>>): ErrorScope | undefined {
  let n: ts.Node | undefined = at.parent;
  while (n) {
    if (ts.isCatchClause(n)) {
      const d = n.variableDeclaration;
      if (d && ts.isIdentifier(d.name) && d.name.text === name) return { name, scope: n, declaredType: d.type };
    }
    if (aliases.get(n)?.has(name)) return { name, scope: n };
    if (isFunctionLike(n)) {
      const idx = n.parameters.findIndex((p) => ts.isIdentifier(p.name) && p.name.text === name);
      if (idx >= 0) return isErrorParam(n, idx, ctx) ? { name, scope: n, declaredType: n.parameters[idx].type } : undefined;
    }
    n = n.parent;
  }
  return undefined;
}

/** Is parameter `idx` of `fn` an error: `.catch((err) => …)`, `.then(ok, (err) => …)`, an error handler, a Nest filter's `catch(exception)`? */
function isErrorParam(fn: FunctionLike, idx: number, ctx: Ctx): boolean {
  const parent = fn.parent;
  if (idx === 0 && parent && ts.isCallExpression(parent) && ts.isPropertyAccessExpression(parent.expression)) {
    const m = parent.expression.name.text;
    if (m === 'catch' && parent.arguments[0] === fn) return true;
    if (m === 'then' && parent.arguments[1] === fn) return true;
  }
  const h = handlerOf(fn, ctx.facts, ctx.project);
  if (h?.errName && fn.parameters[idx] && ts.isIdentifier(fn.parameters[idx].name) && (fn.parameters[idx].name as ts.Identifier).text === h.errName) return true;
  return idx === 0 && !!nestFilter(fn, ctx);
}


/** Is `module` the Nest package that exports its decorators (`@Catch`)? */
function isNestDecorator(module: string | undefined): boolean {
  const fw = module === undefined ? undefined : KNOWLEDGE.frameworkOf(module);
  return fw?.id === FRAMEWORK.nestjs && !!fw.decorators;
}

/** `@Catch(...) class X implements ExceptionFilter { catch(exception, host) { … } }` */
function nestFilter(fn: FunctionLike, ctx: Ctx): { catchAll: boolean } | undefined {
  if (!ts.isMethodDeclaration(fn) || fn.name.getText(ctx.sourceFile) !== 'catch' || !ts.isClassLike(fn.parent)) return undefined;
  for (const d of ts.getDecorators(fn.parent) ?? []) {
    const e = d.expression;
    if (ts.isCallExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === 'Catch' && isNestDecorator(ctx.facts.bindings.get('Catch')?.module)) {
      // @Catch() catches everything; @Catch(HttpException, …) only known kinds
      return { catchAll: e.arguments.length === 0 || e.arguments.some((a) => ts.isIdentifier(a) && a.text === 'Error') };
    }
  }
  return undefined;
}

// ---- what leaks ----------------------------------------------------------------------------

interface Leak { node: ts.Expression; error: ErrorScope; raw: boolean }

/**
 * The first leak of an error in a value (bounded): the value itself, or what it is built from —
 * object and array literals, template strings, `+` concatenations, `??`/`||`, conditional branches
 * (skipping dev-only and narrowed ones). Arguments of other calls are not followed: `toPublic(err)`
 * may well sanitise.
 */
function findLeak(e: ts.Expression, ctx: Ctx, state: State): Leak | undefined {
  let budget = 200;
  const visit = (n: ts.Expression): Leak | undefined => {
    if (--budget < 0) return undefined;
    const x = skipOuter(n);
    const leak = leakAt(x, ctx, state);
    if (leak) return leak;
    if (ts.isConditionalExpression(x)) {
      if (mentionsEnv(x.condition)) return undefined;
      return visit(x.whenFalse) ?? (narrowsAny(x.condition) ? undefined : visit(x.whenTrue));
    }
    if (ts.isObjectLiteralExpression(x)) {
      for (const p of x.properties) {
        const v = ts.isPropertyAssignment(p) ? visit(p.initializer) : ts.isShorthandPropertyAssignment(p) ? leakAt(p.name, ctx, state) : ts.isSpreadAssignment(p) ? visit(p.expression) : undefined;
        if (v) return v;
      }
      return undefined;
    }
    if (ts.isArrayLiteralExpression(x)) {
      for (const el of x.elements) { const v = visit(el); if (v) return v; }
      return undefined;
    }
    if (ts.isTemplateExpression(x)) {
      for (const span of x.templateSpans) { const v = visit(span.expression); if (v) return v; }
      return undefined;
    }
    if (ts.isBinaryExpression(x) && [ts.SyntaxKind.PlusToken, ts.SyntaxKind.BarBarToken, ts.SyntaxKind.QuestionQuestionToken, ts.SyntaxKind.AmpersandAmpersandToken].includes(x.operatorToken.kind)) {
      if (x.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken) return mentionsEnv(x.left) ? undefined : visit(x.right);
      return visit(x.left) ?? visit(x.right);
    }
    return undefined;
  };
  return visit(e);
}

/** Does this exact expression expose an error? */
function leakAt(n: ts.Expression, ctx: Ctx, state: State): Leak | undefined {
  const x = skipOuter(n);
  // err.message, err.stack, err.original.detail …
  if (ts.isPropertyAccessExpression(x) && LEAKY_PROPS.has(x.name.text)) {
    const base = skipOuter(x.expression);
    if (ts.isIdentifier(base)) {
      const b = errorBinding(base, base.text, ctx, state.aliases);
      if (b) return { node: x, error: b, raw: false };
    }
    return undefined;
  }
  if (ts.isIdentifier(x)) {
    const b = errorBinding(x, x.text, ctx, state.aliases);
    if (b) return { node: x, error: b, raw: true };
    const t = taintOf(x, state);
    if (t) return { node: x, error: t, raw: false };
    return undefined;
  }
  // String(err), JSON.stringify(err), util.inspect(err), err.toString()
  if (ts.isCallExpression(x)) {
    const c = skipOuter(x.expression);
    const arg = x.arguments[0] && skipOuter(x.arguments[0]);
    const name = ts.isIdentifier(c) ? c.text : ts.isPropertyAccessExpression(c) ? c.name.text : '';
    if ((name === 'String' || name === 'stringify' || name === 'inspect') && arg && ts.isIdentifier(arg)) {
      const b = errorBinding(arg, arg.text, ctx, state.aliases);
      if (b) return { node: x, error: b, raw: false };
    }
    if (name === 'toString' && ts.isPropertyAccessExpression(c) && ts.isIdentifier(skipOuter(c.expression))) {
      const id = skipOuter(c.expression) as ts.Identifier;
      const b = errorBinding(id, id.text, ctx, state.aliases);
      if (b) return { node: x, error: b, raw: false };
    }
  }
  return undefined;
}

/** A local variable derived from an error: `const message = err instanceof Error ? err.message : String(err)`. */
function taintOf(id: ts.Identifier, state: State): ErrorScope | undefined {
  let n: ts.Node | undefined = id.parent;
  while (n) {
    const t = state.taint.get(n)?.get(id.text);
    if (t) return t;
    n = n.parent;
  }
  return undefined;
}

// ---- guards --------------------------------------------------------------------------------

function mentionsEnv(cond: ts.Expression): boolean {
  let hit = false;
  let budget = 60;
  const visit = (n: ts.Node): void => {
    if (hit || --budget < 0) return;
    if (ts.isIdentifier(n) && ENV_NAME.test(n.text)) hit = true;
    else if (ts.isStringLiteralLike(n) && /^(development|production|dev|prod|test|local)$/.test(n.text)) hit = true;
    else ts.forEachChild(n, visit);
  };
  visit(cond);
  return hit;
}

/**
 * Does a condition narrow an error to a known kind? `err instanceof HttpError` (not `Error`),
 * a property other than message/stack (`err.status`, `err.code === …`, `err.name === …`),
 * `'status' in err`, or a predicate call `isHttpError(err)`. Negations do not narrow.
 */
function narrowsAny(cond: ts.Expression): boolean {
  let hit = false;
  let budget = 80;
  const visit = (n: ts.Node): void => {
    if (hit || --budget < 0) return;
    if (ts.isPrefixUnaryExpression(n) && n.operator === ts.SyntaxKind.ExclamationToken) return;
    if (ts.isBinaryExpression(n)) {
      const op = n.operatorToken.kind;
      if (op === ts.SyntaxKind.InstanceOfKeyword) {
        if (!(ts.isIdentifier(n.right) && n.right.text === 'Error')) hit = true;
        return;
      }
      if (op === ts.SyntaxKind.InKeyword) { hit = true; return; }
      if (op === ts.SyntaxKind.ExclamationEqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsToken) return;
    }
    if (ts.isPropertyAccessExpression(n) && !['message', 'stack', 'length', 'constructor'].includes(n.name.text) && ts.isIdentifier(n.expression)) {
      if (/^(e|err|error|ex|exception|reason|cause)$/i.test(n.expression.text)) { hit = true; return; }
    }
    if (ts.isCallExpression(n)) {
      const c = n.expression;
      const name = ts.isIdentifier(c) ? c.text : ts.isPropertyAccessExpression(c) ? c.name.text : '';
      if (/^is[A-Z]\w*(Error|Exception)$/.test(name) || /^is(Http|Api|App|Client|User|Known|Operational|Validation|Axios|Prisma)/.test(name)) { hit = true; return; }
    }
    ts.forEachChild(n, visit);
  };
  visit(cond);
  return hit;
}

/** Is the sink in a branch that is dev-only or narrowed, between it and the error's scope? */
function guarded(sink: ts.Node, scope: ts.Node): boolean {
  let child: ts.Node = sink;
  let n: ts.Node | undefined = sink.parent;
  while (n && n !== scope) {
    if (ts.isIfStatement(n)) {
      if (mentionsEnv(n.expression)) return true;
      if (n.thenStatement === child && narrowsAny(n.expression)) return true;
    }
    if (ts.isConditionalExpression(n) && child !== n.condition) {
      if (mentionsEnv(n.condition)) return true;
      if (n.whenTrue === child && narrowsAny(n.condition)) return true;
    }
    if (ts.isCaseClause(n) && ts.isSwitchStatement(n.parent.parent) && isErrorProperty(n.parent.parent.expression)) return true;
    if (ts.isBlock(n) && earlyExitNarrows(n, child)) return true;
    child = n;
    n = n.parent;
  }
  return false;
}

function isErrorProperty(e: ts.Expression): boolean {
  const x = skipOuter(e);
  return ts.isPropertyAccessExpression(x) && !['message', 'stack'].includes(x.name.text);
}

/** `if (!(err instanceof HttpError)) throw err;` before the sink in the same block. */
function earlyExitNarrows(block: ts.Block, child: ts.Node): boolean {
  for (const st of block.statements) {
    if (st === child) return false;
    if (!ts.isIfStatement(st) || st.elseStatement) continue;
    const cond = skipOuter(st.expression);
    if (!ts.isPrefixUnaryExpression(cond) || cond.operator !== ts.SyntaxKind.ExclamationToken) continue;
    const exits = (s: ts.Statement): boolean => ts.isThrowStatement(s) || ts.isReturnStatement(s) ||
      (ts.isBlock(s) && s.statements.length > 0 && exits(s.statements[s.statements.length - 1]));
    if (exits(st.thenStatement) && narrowsAny(cond.operand)) return true;
  }
  return false;
}

/** An error parameter typed only with application error classes (`err: HttpException`) is narrowed. */
function typedAsKnown(t: ts.TypeNode | undefined): boolean {
  if (!t) return false;
  const parts = ts.isUnionTypeNode(t) ? t.types : [t];
  return parts.every((p) => ts.isTypeReferenceNode(p) && ts.isIdentifier(p.typeName) && p.typeName.text !== 'Error' && /Error|Exception/.test(p.typeName.text));
}

type StatusKind = 'client' | 'server' | 'error' | 'mixed' | 'unknown';

/**
 * What a status expression sends: a 4xx literal or name ('client'), a 5xx/2xx one ('server'),
 * the error's own status (`err.status`, `exception.getStatus()`), or unknown. `err.status || 400`
 * is 'client' (unknown errors become client errors: a deliberate choice); `err.status || 500` is
 * 'server'. Local constants are followed within the function.
 */
function statusKind(e: ts.Expression | undefined, depth = 0): StatusKind {
  const s = e && skipOuter(e);
  if (!s || depth > 4) return 'unknown';
  if (ts.isNumericLiteral(s)) { const v = Number(s.text); return v >= 400 && v < 500 ? 'client' : 'server'; }
  if (ts.isPropertyAccessExpression(s)) {
    if (/BAD_REQUEST|NOT_FOUND|UNAUTHORI[SZ]ED|FORBIDDEN|CONFLICT|UNPROCESSABLE|PRECONDITION|TOO_MANY|NOT_ACCEPTABLE|GONE|PAYLOAD_TOO_LARGE|METHOD_NOT_ALLOWED/.test(s.name.text)) return 'client';
    if (/INTERNAL|SERVICE_UNAVAILABLE|BAD_GATEWAY|GATEWAY_TIMEOUT|^OK$/.test(s.name.text)) return 'server';
    if (/^(status|statusCode|code|httpStatus|httpCode)$/.test(s.name.text)) return 'error';
    return 'unknown';
  }
  if (ts.isCallExpression(s) && ts.isPropertyAccessExpression(s.expression) && /^get(Status|HttpStatus|StatusCode)$/.test(s.expression.name.text)) return 'error';
  if (ts.isBinaryExpression(s) && (s.operatorToken.kind === ts.SyntaxKind.BarBarToken || s.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken)) {
    const l = statusKind(s.left, depth + 1);
    const r = statusKind(s.right, depth + 1);
    if (r === 'client' && (l === 'error' || l === 'client')) return 'client';
    if (l === 'error' && r === 'server') return 'mixed';
    return r === 'server' && l === 'server' ? 'server' : 'unknown';
  }
  if (ts.isConditionalExpression(s)) {
    const a = statusKind(s.whenTrue, depth + 1);
    const b = statusKind(s.whenFalse, depth + 1);
    if ((a === 'client' || a === 'error') && (b === 'client' || b === 'error')) return a === 'client' || b === 'client' ? 'client' : 'error';
    if (a === 'server' && b === 'server') return 'server';
    return a === 'server' || b === 'server' ? 'mixed' : 'unknown';
  }
  if (ts.isIdentifier(s)) {
    const init = localInitializer(s);
    return init ? statusKind(init, depth + 1) : 'unknown';
  }
  return 'unknown';
}

/** The initializer of a `const`/`let` declared in the blocks around `id` (within its function). */
function localInitializer(id: ts.Identifier): ts.Expression | undefined {
  let n: ts.Node | undefined = id.parent;
  while (n && !ts.isSourceFile(n)) {
    if (ts.isBlock(n)) {
      for (const st of n.statements) {
        if (!ts.isVariableStatement(st) || st.pos > id.pos) continue;
        for (const d of st.declarationList.declarations) if (ts.isIdentifier(d.name) && d.name.text === id.text) return d.initializer;
      }
    }
    if (isFunctionLike(n)) return undefined;
    n = n.parent;
  }
  return undefined;
}

/** `res.status(429);` as its own statement before the send, in the same block. */
function priorStatus(call: ts.Node, resName: string | undefined): ts.Expression | undefined {
  if (!resName) return undefined;
  let st: ts.Node = call;
  while (st.parent && !ts.isBlock(st.parent)) { if (isFunctionLike(st.parent)) return undefined; st = st.parent; }
  const block = st.parent;
  if (!block || !ts.isBlock(block)) return undefined;
  let found: ts.Expression | undefined;
  for (const s of block.statements) {
    if (s === st) break;
    if (!ts.isExpressionStatement(s)) continue;
    const e = s.expression;
    if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && /^(status|code)$/.test(e.expression.name.text) &&
      ts.isIdentifier(e.expression.expression) && e.expression.expression.text === resName) found = e.arguments[0];
    if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(e.left) &&
      e.left.name.text === 'statusCode' && ts.isIdentifier(e.left.expression) && e.left.expression.text === resName) found = e.right;
  }
  return found;
}

// ---- state ---------------------------------------------------------------------------------

interface State {
  /** Per scope node: local names derived from an error. */
  taint: Map<ts.Node, Map<string, ErrorScope>>;
  /** Per scope node: names that alias an error (`const e = err as Error`). */
  aliases: Map<ts.Node, Set<string>>;
  /** Per Nest filter method: names bound to the HTTP response. */
  nestResponses: Map<ts.Node, Set<string>>;
}
function scopeOf(d: ts.Node): ts.Node {
  let n: ts.Node | undefined = d.parent;
  while (n && !ts.isBlock(n) && !ts.isSourceFile(n) && !isFunctionLike(n)) n = n.parent;
  return n ?? d.getSourceFile();
}

export const leakedErrorDetails = createRule({
  meta: {
    id: 'leaked-error-details',
    checklist: 'understand',
    severity: 'info',
    summary: 'Error messages, stacks and raw error objects sent to clients tell attackers how the service is built and tell users nothing they can act on.',
    fixable: true,
    fileKinds: ['server'],
    messages: {
      leak: '{{what}} is sent to the client: database errors, internal hostnames and stack traces tell an attacker how the service is built, and the user cannot act on them. Respond with a generic message and an error id; log the details.',
      leakEvery5xx: '{{what}} is sent to the client (for every 5xx too): database errors, internal hostnames and stack traces tell an attacker how the service is built, and the user cannot act on them. Respond with a generic message and an error id; log the details.',
      graphqlLeak: '{{what}} becomes the GraphQL error message the client sees: wrap unexpected errors in a generic message (or mask them in formatError) and log the details.',
    },
  },
  defaultOptions: {},
  create(ctx) {
    const s: State = { taint: new Map(), aliases: new Map(), nestResponses: new Map() };
    return {
    VariableDeclaration(d) {
      if (!d.initializer) return;
      const init = skipOuter(d.initializer);
      // aliases: const e = err as Error / const error = err
      if (ts.isIdentifier(d.name) && ts.isIdentifier(init) && errorBinding(init, init.text, ctx, s.aliases)) {
        const scope = scopeOf(d);
        const set = s.aliases.get(scope) ?? new Set();
        set.add(d.name.text);
        s.aliases.set(scope, set);
        return;
      }
      // Nest filters: const response = host.switchToHttp().getResponse<Response>()
      if (ts.isIdentifier(d.name) && ts.isCallExpression(init) && ts.isPropertyAccessExpression(init.expression) && init.expression.name.text === 'getResponse') {
        let fn: ts.Node | undefined = d.parent;
        while (fn && !isFunctionLike(fn)) fn = fn.parent;
        if (fn && nestFilter(fn as FunctionLike, ctx)) {
          const set = s.nestResponses.get(fn) ?? new Set();
          set.add(d.name.text);
          s.nestResponses.set(fn, set);
        }
        return;
      }
      // const { message } = err
      if (ts.isObjectBindingPattern(d.name) && ts.isIdentifier(init)) {
        const b = errorBinding(init, init.text, ctx, s.aliases);
        if (!b) return;
        for (const el of d.name.elements) {
          const prop = el.propertyName && ts.isIdentifier(el.propertyName) ? el.propertyName.text : ts.isIdentifier(el.name) ? el.name.text : '';
          if ((prop === 'message' || prop === 'stack') && ts.isIdentifier(el.name)) addTaint(s, d, el.name.text, b);
        }
        return;
      }
      if (!ts.isIdentifier(d.name)) return;
      const leak = findLeak(init, ctx, s);
      if (leak && !guarded(init, leak.error.scope)) addTaint(s, d, d.name.text, leak.error);
    },
    CallExpression(call) {
      check(call, ctx, s);
    },
    NewExpression(node) {
      check(node, ctx, s);
      graphql(node, ctx, s);
    },
    BinaryExpression(bin) {
      // `message = 'Internal Server Error'` after `let { message } = err`: no longer the error's
      if (bin.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(bin.left)) {
        let n: ts.Node | undefined = bin.parent;
        while (n) { if (s.taint.get(n)?.delete(bin.left.text)) break; n = n.parent; }
        return;
      }
      // only `<x>.body = …` can be a Koa response: check that before the (parent-walking) handler look-up
      if (bin.operatorToken.kind !== ts.SyntaxKind.EqualsToken || !ts.isPropertyAccessExpression(bin.left) || bin.left.name.text !== 'body') return;
      const h = enclosingHandler(bin, ctx.facts, ctx.project);
      const payload = koaBodyAssignment(bin, h?.info);
      if (!payload) return;
      // ctx.status = 400 set just before, in the same block
      const status = koaStatusBefore(bin, h!.info.ctxName!);
      report(ctx, s, { framework: FRAMEWORK.koa, method: 'body', payload: [payload], status, call: bin as unknown as ts.CallExpression }, bin);
    },
    };
  },
});

function addTaint(s: State, d: ts.Node, name: string, e: ErrorScope): void {
  const scope = scopeOf(d);
  const m = s.taint.get(scope) ?? new Map();
  m.set(name, e);
  s.taint.set(scope, m);
}

function koaStatusBefore(bin: ts.BinaryExpression, ctxName: string): ts.Expression | undefined {
  const st = bin.parent;
  const block = st?.parent;
  if (!st || !block || !ts.isBlock(block)) return undefined;
  let status: ts.Expression | undefined;
  for (const s of block.statements) {
    if (s === st) break;
    if (ts.isExpressionStatement(s) && ts.isBinaryExpression(s.expression) && s.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const l = s.expression.left;
      if (ts.isPropertyAccessExpression(l) && l.name.text === 'status' && ts.isIdentifier(l.expression) && l.expression.text === ctxName) status = s.expression.right;
    }
  }
  return status;
}

const SEND_NAMES = new Set(['send', 'json', 'end', 'jsonp', 'write', 'text', 'html', 'body']);

function check(call: ts.CallExpression | ts.NewExpression, ctx: Ctx, s: State): void {
  // cheap shape test before the (parent-walking) handler look-up
  const callee = skipOuter(call.expression);
  if (ts.isNewExpression(call) ? !ts.isIdentifier(callee) : !(ts.isPropertyAccessExpression(callee) && SEND_NAMES.has(callee.name.text))) return;
  const h = enclosingHandler(call, ctx.facts, ctx.project);
  let send = responseOf(call, h?.info, ctx.facts);
  if (!send) send = nestFilterSend(call, ctx, s);
  if (!send) return;
  // Fastify serialises errors itself and honours their statusCode
  if (send.framework === FRAMEWORK.fastify && send.payload.length === 1) {
    const p = skipOuter(send.payload[0]);
    if (ts.isIdentifier(p) && errorBinding(p, p.text, ctx, s.aliases)) return;
  }
  report(ctx, s, send, call, h?.info.resName);
}

function nestFilterSend(call: ts.CallExpression | ts.NewExpression, ctx: Ctx, s: State): ResponseSend | undefined {
  if (!ts.isCallExpression(call) || !ts.isPropertyAccessExpression(call.expression)) return undefined;
  const m = call.expression.name.text;
  if (m !== 'json' && m !== 'send') return undefined;
  let root: ts.Expression = skipOuter(call.expression.expression);
  let status: ts.Expression | undefined;
  while (ts.isCallExpression(root) && ts.isPropertyAccessExpression(root.expression)) {
    if (root.expression.name.text === 'status' || root.expression.name.text === 'code') status = root.arguments[0];
    root = skipOuter(root.expression.expression);
  }
  if (!ts.isIdentifier(root)) return undefined;
  let fn: ts.Node | undefined = call.parent;
  while (fn && !isFunctionLike(fn)) fn = fn.parent;
  if (!fn || !s.nestResponses.get(fn)?.has(root.text)) return undefined;
  if (!nestFilter(fn as FunctionLike, ctx)?.catchAll) return undefined;
  return { framework: FRAMEWORK.nestjs, method: m, payload: call.arguments.length ? [call.arguments[0]] : [], status, call };
}

function report(ctx: Ctx, s: State, send: ResponseSend, sink: ts.Node, resName?: string): void {
  if (send.payload.length === 0) return;
  const status = send.status ?? priorStatus(sink, resName);
  const kind = statusKind(status);
  if (kind === 'client') return;
  const leak = findLeak(send.payload[0], ctx, s);
  if (!leak) return;
  if (guarded(sink, leak.error.scope) || typedAsKnown(leak.error.declaredType)) return;
  // a route registered by a function the project calls only in development (a debug router mounted under a NODE_ENV guard)
  if (inDevOnlyFunction(sink, ctx.view.devOnly)) return;
  const what = describe(leak, ctx);
  const dynamic = status !== undefined && kind !== 'server';
  const fixable = !dynamic && canFix(ctx, s, send, leak, sink);
  ctx.report({
    node: leak.node,
    messageId: dynamic ? 'leakEvery5xx' : 'leak',
    data: { what },
    ...(fixable ? { fix: () => { const f = buildFix(ctx, s, send, leak, sink); return f ? [f] : []; } } : {}),
  });
}

function describe(leak: Leak, ctx: Ctx): string {
  const text = leak.node.getText(ctx.sourceFile);
  if (leak.raw) return `The raw error \`${text}\``;
  return `\`${text.length > 40 ? text.slice(0, 37) + '…' : text}\``;
}

function graphql(node: ts.NewExpression, ctx: Ctx, s: State): void {
  const callee = skipOuter(node.expression);
  if (!ts.isIdentifier(callee)) return;
  const b = ctx.facts.bindings.get(callee.text);
  if (!b || !KNOWLEDGE.hasRole(b.module, ROLE.graphql)) return;
  if (!['GraphQLError', 'ApolloError'].includes(b.imported)) return;
  const arg = node.arguments?.[0];
  if (!arg) return;
  const leak = findLeak(arg, ctx, s);
  if (!leak || guarded(node, leak.error.scope) || inDevOnlyFunction(node, ctx.view.devOnly)) return;
  ctx.report({ node: leak.node, messageId: 'graphqlLeak', data: { what: describe(leak, ctx) } });
}

// ---- fix -----------------------------------------------------------------------------------

const JSONISH = new Set(['json', 'jsonp', 'body']);

/** Can a fix be offered (the same early exits as buildFix, without building any text)? */
function canFix(ctx: Ctx, s: State, send: ResponseSend, leak: Leak, sink: ts.Node): boolean {
  const p = skipOuter(send.payload[0]);
  if (ts.isObjectLiteralExpression(p)) {
    let leaking = false;
    for (const prop of p.properties) {
      if (ts.isSpreadAssignment(prop)) { if (findLeak(prop.expression, ctx, s)) return false; continue; }
      const value = ts.isPropertyAssignment(prop) ? prop.initializer : ts.isShorthandPropertyAssignment(prop) ? prop.name : undefined;
      if (value && findLeak(value, ctx, s)) leaking = true;
    }
    if (!leaking) return false;
  }
  if (!uuidSource(ctx)) return false;
  return statementOf(sink) !== undefined || arrowOf(sink) !== undefined;
}

function buildFix(ctx: Ctx, s: State, send: ResponseSend, leak: Leak, sink: ts.Node): Fix | undefined {
  const sf = ctx.sourceFile;
  const payload = send.payload[0];
  const p = skipOuter(payload);
  const q = (t: string) => quoteString(ctx.style, t);
  const edits: TextEdit[] = [];
  const id = 'errorId';
  const objectPayload = JSONISH.has(send.method) || (send.method === 'send' && (ts.isObjectLiteralExpression(p) || leak.raw));
  if (ts.isObjectLiteralExpression(p)) {
    // replace the first leaking property's value, drop the other leaking ones, add the id
    const props = p.properties;
    let first = -1;
    for (let i = 0; i < props.length; i++) {
      const prop = props[i];
      if (ts.isSpreadAssignment(prop)) { if (findLeak(prop.expression, ctx, s)) return undefined; continue; }
      const value = ts.isPropertyAssignment(prop) ? prop.initializer : ts.isShorthandPropertyAssignment(prop) ? prop.name : undefined;
      if (!value || !findLeak(value, ctx, s)) continue;
      if (first === -1) {
        first = i;
        const key = ts.isPropertyAssignment(prop) ? prop.name.getText(sf) : prop.name!.getText(sf);
        const hasId = props.some((x) => (ts.isPropertyAssignment(x) || ts.isShorthandPropertyAssignment(x)) && x.name.getText(sf) === id);
        const multiline = ctx.text.slice(p.getStart(sf), p.getEnd()).includes('\n');
        const sep = multiline ? `,${ctx.style.eol}${lineIndentAt(ctx.text, prop.getStart(sf))}` : ', ';
        edits.push({ start: prop.getStart(sf), end: prop.getEnd(), newText: `${key}: ${q(GENERIC)}${hasId ? '' : `${sep}${id}`}` });
      } else {
        edits.push({ start: props[i - 1].getEnd(), end: prop.getEnd(), newText: '' });
      }
    }
    if (first === -1) return undefined;
  } else if (objectPayload) {
    edits.push({ start: payload.getStart(sf), end: payload.getEnd(), newText: `{ error: ${q(GENERIC)}, ${id} }` });
  } else {
    edits.push({ start: payload.getStart(sf), end: payload.getEnd(), newText: `\`${GENERIC} (error id \${${id}})\`` });
  }

  // const errorId = randomUUID(); logger.error({ err, errorId }, 'Request failed');
  const uuid = uuidCall(ctx);
  if (!uuid) return undefined;
  // the logger helpers read no rule options and report nothing: the v2 context serves them as is
  const legacy = ctx as unknown as RuleContext;
  const logger = chooseLogger(legacy, sink) ?? consoleLogger();
  const errText = leak.error.name;
  const log = logCall(legacy, logger, 'error', 'Request failed', errText, [id]);
  const semicolon = semi(ctx.style);
  const eol = ctx.style.eol;
  const stmt = statementOf(sink);
  const lines = [`const ${id} = ${uuid.expr}${semicolon}`, `${log}${semicolon}`];
  if (stmt && stmt.parent && (ts.isBlock(stmt.parent) || ts.isCaseClause(stmt.parent) || ts.isDefaultClause(stmt.parent))) {
    const indent = lineIndentAt(ctx.text, stmt.getStart(sf));
    edits.push({ start: stmt.getStart(sf), end: stmt.getStart(sf), newText: lines.map((l) => `${l}${eol}${indent}`).join('') });
  } else if (stmt) {
    // `if (x) return res.json(…)`: give the branch a block
    const indent = lineIndentAt(ctx.text, stmt.getStart(sf));
    const inner = indent + ctx.style.indent;
    const at = stmt.getStart(sf);
    edits.push({ start: at, end: at, newText: `{${eol}${lines.map((l) => `${inner}${l}${eol}`).join('')}${inner}` });
    edits.push({ start: stmt.getEnd(), end: stmt.getEnd(), newText: `${eol}${indent}}` });
  } else {
    // an arrow function's expression body: (err, req, res, next) => res.status(500).json(…)
    const fn = arrowOf(sink);
    if (!fn) return undefined;
    const body = fn.body;
    const indent = lineIndentAt(ctx.text, fn.getStart(sf));
    const inner = indent + ctx.style.indent;
    edits.push({ start: body.getStart(sf), end: body.getStart(sf), newText: `{${eol}${lines.map((l) => `${inner}${l}${eol}`).join('')}${inner}return ` });
    edits.push({ start: body.getEnd(), end: body.getEnd(), newText: `${semicolon}${eol}${indent}}` });
  }
  if (uuid.edit) edits.push(uuid.edit);
  if (logger.setup.length) edits.push(...logger.setup);
  return {
    title: `Respond with a generic message and an error id; log the error with ${logger.describe}`,
    edits: mergeSamePoint(edits),
    isPreferred: true,
    safe: false,
  };
}

/** Insertions at the same offset (an import and a logger declaration) become one edit, in order. */
function mergeSamePoint(edits: TextEdit[]): TextEdit[] {
  const out: TextEdit[] = [];
  for (const e of edits) {
    const same = out.find((o) => o.start === e.start && o.end === e.end && o.start === o.end && e.start === e.end);
    if (same) same.newText += e.newText;
    else out.push({ ...e });
  }
  return out;
}

function statementOf(node: ts.Node): ts.Statement | undefined {
  let n: ts.Node | undefined = node;
  while (n && !isFunctionLike(n)) {
    if (ts.isStatement(n) && !ts.isBlock(n)) return n;
    n = n.parent;
  }
  return undefined;
}

function arrowOf(node: ts.Node): ts.ArrowFunction | undefined {
  let n: ts.Node | undefined = node.parent;
  while (n && !isFunctionLike(n)) n = n.parent;
  return n && ts.isArrowFunction(n) && !ts.isBlock(n.body) ? n : undefined;
}

/** How this file can call randomUUID: already imported, through a crypto namespace, or by a new import; undefined when the name is taken. */
function uuidSource(ctx: Ctx): { expr: string; importFrom?: string } | undefined {
  const facts = ctx.facts;
  const modules: readonly string[] = ERROR_ID_SOURCE.modules;
  const name = ERROR_ID_SOURCE.export;
  const direct = facts.bindings.get(name);
  if (direct) return modules.includes(direct.module) ? { expr: `${name}()` } : undefined;
  if (facts.moduleNames.has(name)) return undefined;
  for (const b of facts.bindings.values()) {
    if (modules.includes(b.module) && (b.imported === '*' || b.imported === 'default')) return { expr: `${b.local}.${name}()` };
  }
  // reuse the file's own specifier for the crypto module if it imports from it
  let spec: string = ERROR_ID_SOURCE.preferred;
  for (const st of ctx.sourceFile.statements) {
    if (ts.isImportDeclaration(st) && ts.isStringLiteral(st.moduleSpecifier) && modules.includes(st.moduleSpecifier.text)) spec = st.moduleSpecifier.text;
  }
  return { expr: `${name}()`, importFrom: spec };
}

/** `randomUUID()` (imported in the file's style), `crypto.randomUUID()` when `crypto` is imported. */
function uuidCall(ctx: Ctx): { expr: string; edit?: TextEdit } | undefined {
  const src = uuidSource(ctx);
  if (!src) return undefined;
  return src.importFrom === undefined ? { expr: src.expr } : { expr: src.expr, edit: addImport(ctx, { module: src.importFrom, named: ERROR_ID_SOURCE.export }) };
}
