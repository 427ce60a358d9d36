/**
 * await-in-loop — an external call awaited once per iteration of a loop over a collection (N+1).
 *
 * Before:  for (const id of ids) {
 *            await redis.del(`session:${id}`);
 *          }
 * After (refactor, p-limit installed):
 *          const limit = pLimit(10);
 *          await Promise.all(ids.map((id) => limit(() => redis.del(`session:${id}`))));
 * After (refactor, no p-limit):
 *          await Promise.all(ids.map((id) => redis.del(`session:${id}`)));
 *
 * Reported for `for…of`, `for…in` and `for (…; i < xs.length; …)` loops whose body (not a nested
 * function) awaits a call to a known external client, or to a function of this file that makes
 * one (`await getUser(id)`). Silent where the sequence is the point:
 * `while`/`do`/other `for` loops (polling, pagination, retries), loops that `break` or `return`
 * (a search), loops that sleep between calls (throttling), loops whose calls read a variable the
 * loop body reassigns (a cursor), loops over an array literal (a fixed handful), and calls inside
 * a transaction or session (they must run in order). Issue 14: small bounded collections, one
 * receive batch of a queue (knowledge io.receiveBatch), loops that step by a chunk size, per-group
 * batched calls (`…Many`, `in`, or a local function that is one `await Promise.all(…)`), and
 * sequential-on-purpose jobs with a try/catch per item.
 *
 * The refactor is offered only when it is provably equivalent apart from ordering and error
 * timing: a `for (const x of xs)` body made only of `await <external call>` statements and
 * `const` declarations, with no break/continue/return/yield. It is never preferred.
 */
import ts = require('typescript');
import { createRule, type Fix, type RuleContextV2, type TextEdit } from '../engine/types';
import { skipOuter } from '../engine/facts';
import { firstUp, isFunctionLike, lineIndentAt } from '../engine/ast';
import { calledLocalFunction, calleeLabel, doesExternalIo, externalCall, inTransaction, mentions, referencedNames, selfContainedFunction, type ExternalCall } from '../engine/calls';
import { hasDependency } from '../engine/project';
import { dependencyView } from '../engine/dependencies';
import { addImport, loadsAsEsm } from '../fixes/edits';
import { semi } from '../engine/style';
import { IO, LIB, atVersion, isModuleOf, lib, libraryOf, moduleOf } from '../knowledge';

type Ctx = RuleContextV2<'nPlusOne'>;

type Loop = ts.ForOfStatement | ts.ForInStatement | ts.ForStatement;

interface Hit {
  awaitExpr: ts.AwaitExpression;
  /** The client call, or undefined for a function of this file that does external I/O. */
  ext?: ExternalCall;
  label: string;
  call: ts.CallExpression;
}

const SLEEP = /^(sleep|delay|wait|pause|throttle|backoff|setTimeout|timeout)$/i;

function isLoop(n: ts.Node): n is Loop | ts.WhileStatement | ts.DoStatement {
  return ts.isForOfStatement(n) || ts.isForInStatement(n) || ts.isForStatement(n) || ts.isWhileStatement(n) || ts.isDoStatement(n);
}

/** The innermost loop whose body contains `node`, within the same function (remembered per node: firstUp). */
function enclosingLoop(node: ts.Node): ts.IterationStatement | undefined {
  return firstUp(node, loopStep, loopCache, true);
}
const loopCache = new WeakMap<ts.Node, ts.IterationStatement | null>();
const loopStep = (child: ts.Node, parent: ts.Node) => (isLoop(parent) && parent.statement === child ? parent : undefined);

/** `i < xs.length` / `i <= list.length - 1`: a loop over a collection. */
function iteratesCollection(loop: ts.ForStatement): boolean {
  const c = loop.condition && skipOuter(loop.condition);
  if (!c || !ts.isBinaryExpression(c)) return false;
  const op = c.operatorToken.kind;
  if (op !== ts.SyntaxKind.LessThanToken && op !== ts.SyntaxKind.LessThanEqualsToken) return false;
  let right = skipOuter(c.right);
  if (ts.isBinaryExpression(right) && right.operatorToken.kind === ts.SyntaxKind.MinusToken) right = skipOuter(right.left);
  return ts.isPropertyAccessExpression(right) && right.name.text === 'length';
}

/**
 * A loop over batches or chunks already is the batched form: one call per batch is the
 * advice applied (often kept sequential on purpose, to bound concurrency downstream).
 */
function overBatches(loop: Loop): boolean {
  let coll: ts.Expression | undefined;
  if (ts.isForOfStatement(loop) || ts.isForInStatement(loop)) coll = loop.expression;
  else {
    const c = loop.condition && skipOuter(loop.condition);
    if (c && ts.isBinaryExpression(c)) {
      let right = skipOuter(c.right);
      if (ts.isBinaryExpression(right)) right = skipOuter(right.left);
      if (ts.isPropertyAccessExpression(right)) coll = right.expression;
    }
  }
  const x = coll && skipOuter(coll);
  const name = x && (ts.isIdentifier(x) ? x.text : ts.isPropertyAccessExpression(x) ? x.name.text : undefined);
  if (name && /(batch|chunk)(es|s)?$/i.test(name)) return true;
  // `for (let i = 0; i < xs.length; i += BATCH_SIZE)`: a step other than 1 walks the collection chunk by chunk
  const inc = ts.isForStatement(loop) && loop.incrementor ? skipOuter(loop.incrementor) : undefined;
  if (!inc || !ts.isBinaryExpression(inc) || inc.operatorToken.kind !== ts.SyntaxKind.PlusEqualsToken) return false;
  const step = skipOuter(inc.right);
  return !(ts.isNumericLiteral(step) && Number(step.text) <= 1);
}

interface BodyFacts {
  exits: boolean;
  sleeps: boolean;
  assigned: Set<string>;
  yields: boolean;
  continues: boolean;
}

function bodyFacts(loop: Loop): BodyFacts {
  const f: BodyFacts = { exits: false, sleeps: false, assigned: new Set(), yields: false, continues: false };
  let depth = 0; // nested loops/switches, for unlabeled break
  const visit = (n: ts.Node): void => {
    if (isFunctionLike(n) || ts.isClassLike(n)) return;
    if (ts.isReturnStatement(n)) f.exits = true;
    if (ts.isBreakStatement(n) && (n.label || depth === 0)) f.exits = true;
    if (ts.isContinueStatement(n)) f.continues = true;
    if (ts.isYieldExpression(n)) f.yields = true;
    if (ts.isAwaitExpression(n)) {
      const e = skipOuter(n.expression);
      if (ts.isCallExpression(e)) {
        const callee = skipOuter(e.expression);
        const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
        if (SLEEP.test(name)) f.sleeps = true;
      }
      if (ts.isNewExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === 'Promise' && mentions(e, 'setTimeout')) f.sleeps = true;
    }
    if (ts.isBinaryExpression(n) && n.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && n.operatorToken.kind <= ts.SyntaxKind.LastAssignment) {
      for (const name of assignedRoots(n.left)) f.assigned.add(name);
    }
    if ((ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) &&
      (n.operator === ts.SyntaxKind.PlusPlusToken || n.operator === ts.SyntaxKind.MinusMinusToken) && ts.isIdentifier(n.operand)) {
      f.assigned.add(n.operand.text);
    }
    const nests = isLoop(n) || ts.isSwitchStatement(n);
    if (nests) depth++;
    ts.forEachChild(n, visit);
    if (nests) depth--;
  };
  visit(loop.statement);
  return f;
}

function assignedRoots(left: ts.Expression): string[] {
  const l = skipOuter(left);
  if (ts.isIdentifier(l)) return [l.text];
  if (ts.isArrayLiteralExpression(l) || ts.isObjectLiteralExpression(l)) {
    const out: string[] = [];
    for (const id of referencedNames(l)) out.push(id);
    return out;
  }
  return [];
}

function advice(ext: ExternalCall | undefined, hasPLimit: boolean): string {
  const pLimit = lib(LIB.pLimit).label;
  const bounded = hasPLimit ? `run the iterations with bounded concurrency (${pLimit} is installed)` : `run the iterations with bounded concurrency (e.g. ${pLimit})`;
  if (!ext) return `batch the work into fewer calls, or ${bounded}`;
  const method = (ext.path[ext.path.length - 1] ?? '').toLowerCase();
  if (isModuleOf(LIB.prisma, ext.module) && /^find(unique|first)/.test(method)) return `fetch all rows with one \`findMany({ where: { id: { in: ids } } })\`, or ${bounded}`;
  if (isModuleOf(LIB.prisma, ext.module) && /^(create|update|delete)$/.test(method)) return `use \`${method}Many\` or one \`$transaction([...])\`, or ${bounded}`;
  if (ext.kind === 'cache') return `batch the commands (\`mget\`/\`mset\`, a pipeline or multi), or ${bounded}`;
  if ((isModuleOf(LIB.pg, ext.module) || ext.module.startsWith(moduleOf(LIB.mysql2))) && method === 'query') return `send one query for all items (\`WHERE id = ANY($1)\` / \`IN (?)\`, multi-row INSERT), or ${bounded}`;
  if (isModuleOf(LIB.mongoose, ext.module) || isModuleOf(LIB.mongodb, ext.module)) return `use one \`find({ _id: { $in: ids } })\`/\`bulkWrite\`/\`insertMany\`, or ${bounded}`;
  if (ext.kind === IO.http) return `use the API's batch endpoint if it has one, or ${bounded}`;
  return `batch the calls, or ${bounded}`;
}

// ---- fix ---------------------------------------------------------------------------------------

/** Can `xs` be seen to be an array, so that `xs.map` exists? */
function provablyArray(expr: ts.Expression, loop: ts.Node): boolean {
  const e = skipOuter(expr);
  if (ts.isArrayLiteralExpression(e)) return true;
  if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression)) {
    const obj = e.expression.expression;
    const m = e.expression.name.text;
    if (ts.isIdentifier(obj) && obj.text === 'Object' && (m === 'keys' || m === 'values' || m === 'entries')) return true;
    if (ts.isIdentifier(obj) && obj.text === 'Array' && (m === 'from' || m === 'of')) return true;
    if (m === 'split') return true;
  }
  if (ts.isIdentifier(e)) {
    const decl = findDeclaration(e.text, loop);
    if (!decl) return false;
    if (decl.type && isArrayType(decl.type)) return true;
    if (ts.isVariableDeclaration(decl) && decl.initializer && !decl.type) {
      const init = skipOuter(decl.initializer);
      if (ts.isArrayLiteralExpression(init)) return true;
      const c = ts.isAwaitExpression(init) ? skipOuter(init.expression) : init;
      if (ts.isCallExpression(c) && ts.isPropertyAccessExpression(c.expression) && /^(findMany|map|filter|slice|concat|flat|flatMap|split)$/.test(c.expression.name.text)) return true;
    }
  }
  return false;
}

function isArrayType(t: ts.TypeNode): boolean {
  if (ts.isArrayTypeNode(t)) return true;
  if (ts.isTypeOperatorNode(t) && t.operator === ts.SyntaxKind.ReadonlyKeyword) return isArrayType(t.type);
  return ts.isTypeReferenceNode(t) && ts.isIdentifier(t.typeName) && (t.typeName.text === 'Array' || t.typeName.text === 'ReadonlyArray');
}

/** The declaration of `name` visible from `from`: a parameter or a variable in an enclosing block. */
function findDeclaration(name: string, from: ts.Node): ts.VariableDeclaration | ts.ParameterDeclaration | undefined {
  let p: ts.Node | undefined = from.parent;
  let child: ts.Node = from;
  while (p) {
    if (ts.isBlock(p) || ts.isSourceFile(p)) {
      for (const st of p.statements) {
        if (st === child) break;
        if (ts.isVariableStatement(st)) {
          for (const d of st.declarationList.declarations) if (ts.isIdentifier(d.name) && d.name.text === name) return d;
        }
      }
    }
    if (isFunctionLike(p)) {
      for (const prm of p.parameters) if (ts.isIdentifier(prm.name) && prm.name.text === name) return prm;
    }
    child = p;
    p = p.parent;
  }
  return undefined;
}

/** Does `name` appear anywhere in the function containing `node` (or at module level)? */
function nameTaken(name: string, node: ts.Node, ctx: Ctx): boolean {
  if (ctx.facts.moduleNames.has(name)) return true;
  let fn: ts.Node | undefined = node.parent;
  while (fn && !isFunctionLike(fn) && !ts.isSourceFile(fn)) fn = fn.parent;
  return mentions(fn ?? node, name);
}

/** Statements a provably-parallel body may hold: `await <external call>;` and side-effect-free `const`s. */
function parallelizableBody(loop: ts.ForOfStatement, ctx: Ctx): ts.Statement[] | undefined {
  const body = loop.statement;
  const stmts = ts.isBlock(body) ? [...body.statements] : [body];
  if (stmts.length === 0) return undefined;
  const awaitsExternal = (e: ts.Expression) => {
    const x = skipOuter(e);
    if (!ts.isAwaitExpression(x)) return false;
    if (externalCall(x.expression, ctx.facts, ctx.project, ctx.config.externalModules)) return true;
    const call = skipOuter(x.expression);
    const local = ts.isCallExpression(call) ? calledLocalFunction(call, ctx.facts) : undefined;
    return !!local && selfContainedFunction(local, ctx.facts, ctx.project, ctx.config.externalModules);
  };
  if (!argumentsArePure(stmts)) return undefined;
  for (const st of stmts) {
    if (ts.isExpressionStatement(st)) {
      if (!awaitsExternal(st.expression)) return undefined;
      continue;
    }
    if (ts.isVariableStatement(st) && st.declarationList.flags & ts.NodeFlags.Const) {
      for (const d of st.declarationList.declarations) {
        if (!d.initializer) return undefined;
        if (awaitsExternal(d.initializer)) continue;
        if (!pureExpression(d.initializer)) return undefined;
      }
      continue;
    }
    return undefined;
  }
  return stmts;
}

// package-literals: not a package (method names: iterator.next())
const MUTATORS = new Set(['push', 'pop', 'shift', 'unshift', 'splice', 'set', 'add', 'delete', 'clear', 'sort', 'reverse', 'fill', 'copyWithin', 'assign', 'next']);

/** No assignments, increments, `delete` or calls to mutating methods anywhere in the body. */
function argumentsArePure(stmts: ts.Statement[]): boolean {
  let pure = true;
  const visit = (n: ts.Node): void => {
    if (!pure) return;
    if (ts.isDeleteExpression(n) || ts.isYieldExpression(n) ||
      (ts.isBinaryExpression(n) && n.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && n.operatorToken.kind <= ts.SyntaxKind.LastAssignment) ||
      ((ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) && (n.operator === ts.SyntaxKind.PlusPlusToken || n.operator === ts.SyntaxKind.MinusMinusToken)) ||
      (ts.isCallExpression(n) && !ts.isAwaitExpression(n.parent) && ts.isPropertyAccessExpression(n.expression) && MUTATORS.has(n.expression.name.text))) {
      pure = false;
      return;
    }
    ts.forEachChild(n, visit);
  };
  for (const st of stmts) visit(st);
  return pure;
}

/** No calls, awaits, assignments, `new`, `delete` or increments. */
function pureExpression(e: ts.Node): boolean {
  let pure = true;
  const visit = (n: ts.Node): void => {
    if (!pure) return;
    if (ts.isCallExpression(n) || ts.isNewExpression(n) || ts.isAwaitExpression(n) || ts.isDeleteExpression(n) ||
      ts.isTaggedTemplateExpression(n) || ts.isYieldExpression(n) || isFunctionLike(n) ||
      (ts.isBinaryExpression(n) && n.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && n.operatorToken.kind <= ts.SyntaxKind.LastAssignment) ||
      ((ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) && (n.operator === ts.SyntaxKind.PlusPlusToken || n.operator === ts.SyntaxKind.MinusMinusToken))) {
      pure = false;
      return;
    }
    ts.forEachChild(n, visit);
  };
  visit(e);
  return pure;
}

interface LimitSetup { name: string; edits: TextEdit[] }

/** The p-limit binding to use, importing it when that is safe for the file's module system. */
function pLimitSetup(ctx: Ctx): LimitSetup | undefined {
  const module = moduleOf(LIB.pLimit);
  for (const b of ctx.facts.bindings.values()) {
    if (b.module === module && (b.imported === 'default' || (b.imported === '*' && b.kind === 'require'))) return { name: b.local, edits: [] };
  }
  if (!hasDependency(ctx.project, module)) return undefined;
  const record = lib(LIB.pLimit);
  const facet = atVersion(record.concurrency!, record, dependencyView(ctx.project));
  // p-limit 4+ is ESM only (knowledge): `require('p-limit')` (or TypeScript compiled to CommonJS) cannot load it
  if (facet.esmOnly && !loadsAsEsm(ctx)) return undefined;
  const binding = facet.import.binding;
  if (ctx.facts.moduleNames.has(binding)) return undefined;
  const edit = addImport(ctx, facet.import.kind === 'default' ? { module, default: binding } : { module, named: binding });
  return { name: binding, edits: edit ? [edit] : [] };
}

const CONCURRENCY = 10;

function buildFixes(loop: ts.ForOfStatement, ctx: Ctx): Fix[] {
  if (loop.awaitModifier) return [];
  const init = loop.initializer;
  if (!ts.isVariableDeclarationList(init) || init.declarations.length !== 1 || !(init.flags & (ts.NodeFlags.Const | ts.NodeFlags.Let))) return [];
  const stmts = parallelizableBody(loop, ctx);
  if (!stmts) return [];
  const f = bodyFacts(loop);
  if (f.exits || f.continues || f.yields) return [];
  const text = ctx.text;
  const sf = ctx.sourceFile;
  if (ts.isLabeledStatement(loop.parent)) return [];
  // comments inside the loop header would be lost
  const header = text.slice(loop.getStart(sf), loop.statement.getStart(sf));
  if (/\/[/*]/.test(header)) return [];

  const param = init.declarations[0].name.getText(sf);
  const arrowParam = `(${param})`;
  const iterable = loop.expression.getText(sf);
  const asArray = provablyArray(loop.expression, loop);
  const mapOpen = (fn: string) => (asArray ? `${needsParens(loop.expression) ? `(${iterable})` : iterable}.map(${fn}` : `Array.from(${iterable}, ${fn}`);
  const s = semi(ctx.style);
  const indent = lineIndentAt(text, loop.getStart(sf));
  const eol = ctx.style.eol;

  // single `await call(x);` → compact arrow; otherwise an async arrow around the original block
  const single = stmts.length === 1 && ts.isExpressionStatement(stmts[0]) && ts.isAwaitExpression(skipOuter(stmts[0].expression));
  const bodyComments = ts.isBlock(loop.statement) && /\/[/*]/.test(text.slice(loop.statement.getStart(sf) + 1, stmts[0].getStart(sf)) + text.slice(stmts[stmts.length - 1].getEnd(), loop.statement.getEnd() - 1));

  const variants: { title: string; wrap: (inner: string, isAsync: boolean) => string; setup?: LimitSetup }[] = [];
  const limiter = pLimitSetup(ctx);
  if (limiter && !nameTaken('limit', loop, ctx)) {
    variants.push({
      title: `Run the iterations ${CONCURRENCY} at a time with ${limiter.edits.length ? lib(LIB.pLimit).label : limiter.name} (changes order and error timing)`,
      wrap: (inner, isAsync) => `limit(${isAsync ? 'async ' : ''}() => ${inner})`,
      setup: limiter,
    });
  }
  variants.push({
    title: 'Run all iterations at once with Promise.all (unbounded concurrency; changes order and error timing)',
    wrap: (inner) => inner,
  });

  const fixes: Fix[] = [];
  for (const v of variants) {
    const prefix = v.setup ? `const limit = ${v.setup.name}(${CONCURRENCY})${s}${eol}${indent}` : '';
    let edits: TextEdit[];
    if (single && !bodyComments) {
      const call = (skipOuter((stmts[0] as ts.ExpressionStatement).expression) as ts.AwaitExpression).expression;
      const callText = reindentText(call.getText(sf), lineIndentAt(text, call.getStart(sf)), indent, eol);
      const fn = v.setup ? `${arrowParam} => ${v.wrap(callText, false)}` : `${arrowParam} => ${callText}`;
      edits = [{ start: loop.getStart(sf), end: loop.getEnd(), newText: `${prefix}await Promise.all(${mapOpen(fn)}))${s}` }];
    } else {
      if (!ts.isBlock(loop.statement)) return fixes;
      const block = loop.statement;
      const open = v.setup ? `${arrowParam} => limit(async () => ` : `async ${arrowParam} => `;
      const close = v.setup ? ')' : '';
      edits = [
        { start: loop.getStart(sf), end: block.getStart(sf), newText: `${prefix}await Promise.all(${mapOpen(open)}` },
        { start: block.getEnd(), end: block.getEnd(), newText: `${close}))${s}` },
      ];
    }
    fixes.push({ title: v.title, edits: [...(v.setup?.edits ?? []), ...edits], kind: 'refactor.rewrite', isPreferred: false, safe: false });
  }
  return fixes;
}

function needsParens(e: ts.Expression): boolean {
  const x = e;
  return !(ts.isIdentifier(x) || ts.isPropertyAccessExpression(x) || ts.isCallExpression(x) || ts.isElementAccessExpression(x) || ts.isParenthesizedExpression(x) || ts.isArrayLiteralExpression(x));
}

function reindentText(code: string, from: string, to: string, eol: string): string {
  return code.split(/\r?\n/).map((l, i) => (i === 0 ? l : l.startsWith(from) ? to + l.slice(from.length) : l)).join(eol);
}

// ---- rule --------------------------------------------------------------------------------------

/** Batch operations: one call per group already is the batched form (`updateMany({ where: { id: { in: ids } } })`). */
const BATCH_METHODS = /Many$|^bulk|^(mget|mset|batch\w*|insertMany|bulkWrite)$/i;
/** Names of collections that come from configuration: a handful of configured sources, not data. */
const CONFIG_ROOTS = /^(config|conf|cfg|settings|options|opts|env|environment)$/i;
/** The largest validated maximum that still counts as a small bounded collection. */
const SMALL_MAX = 20;

function collectionOf(loop: Loop): ts.Expression | undefined {
  if (ts.isForOfStatement(loop) || ts.isForInStatement(loop)) return skipOuter(loop.expression);
  const c = loop.condition && skipOuter(loop.condition);
  if (!c || !ts.isBinaryExpression(c)) return undefined;
  let right = skipOuter(c.right);
  if (ts.isBinaryExpression(right)) right = skipOuter(right.left);
  return ts.isPropertyAccessExpression(right) ? skipOuter(right.expression) : undefined;
}

function rootName(e: ts.Expression): string | undefined {
  let x = skipOuter(e);
  while (ts.isPropertyAccessExpression(x) || ts.isElementAccessExpression(x) || ts.isCallExpression(x)) x = skipOuter(x.expression);
  return ts.isIdentifier(x) ? x.text : undefined;
}

/**
 * A small bounded collection: a configured list (`config.sources`, an UPPER_CASE constant), or
 * one whose size the function validated just before (`if (ids.length > 5) throw …`).
 */
function smallBoundedCollection(loop: Loop): boolean {
  const coll = collectionOf(loop);
  if (!coll) return false;
  const root = rootName(coll);
  if (root && (CONFIG_ROOTS.test(root) || /^[A-Z][A-Z0-9_]+$/.test(root))) return true;
  if (ts.isPropertyAccessExpression(coll) && ts.isIdentifier(coll.expression) && coll.expression.text === 'process') return true;
  const text = coll.getText();
  const block = loop.parent;
  if (!block || !ts.isBlock(block)) return false;
  for (const st of block.statements) {
    if (st === loop) break;
    if (!ts.isIfStatement(st)) continue;
    const c = skipOuter(st.expression);
    if (!ts.isBinaryExpression(c) || (c.operatorToken.kind !== ts.SyntaxKind.GreaterThanToken && c.operatorToken.kind !== ts.SyntaxKind.GreaterThanEqualsToken)) continue;
    const left = skipOuter(c.left);
    const right = skipOuter(c.right);
    if (ts.isPropertyAccessExpression(left) && left.name.text === 'length' && left.expression.getText() === text && ts.isNumericLiteral(right) && Number(right.text) <= SMALL_MAX) {
      const then = st.thenStatement;
      const first = ts.isBlock(then) ? then.statements[0] : then;
      if (first && (ts.isThrowStatement(first) || ts.isReturnStatement(first))) return true;
    }
  }
  return false;
}

/**
 * One receive batch of a queue: the loop's collection is declared as an array of a queue library's
 * message type whose receive returns a few messages at most (knowledge: io.receiveBatch; SQS: 10).
 */
function receiveBatch(loop: Loop, ctx: Ctx): boolean {
  const coll = collectionOf(loop);
  if (!coll || !ts.isIdentifier(coll)) return false;
  const decl = findDeclaration(coll.text, loop);
  let t = decl?.type;
  if (!t) return false;
  if (ts.isTypeOperatorNode(t) && t.operator === ts.SyntaxKind.ReadonlyKeyword) t = t.type;
  const el = ts.isArrayTypeNode(t) ? t.elementType : ts.isTypeReferenceNode(t) && t.typeArguments?.length === 1 && isArrayType(t) ? t.typeArguments[0] : undefined;
  if (!el || !ts.isTypeReferenceNode(el) || !ts.isIdentifier(el.typeName)) return false;
  const b = ctx.facts.bindings.get(el.typeName.text);
  // the specifier as written (a binding's module may be its family's key: `@aws-sdk/*`)
  const spec = b && ts.isImportDeclaration(b.node) && ts.isStringLiteral(b.node.moduleSpecifier) ? b.node.moduleSpecifier.text : b?.module;
  const batch = spec && libraryOf(spec)?.io?.receiveBatch;
  return !!batch && batch.max <= SMALL_MAX && !!b && batch.types.includes(b.imported);
}

/** A function of this file that already runs its calls for the whole group at once: its body is one `await Promise.all(…)`. */
function parallelInside(call: ts.CallExpression, ctx: Ctx): boolean {
  const fn = calledLocalFunction(call, ctx.facts);
  const body = fn?.body;
  if (!body || !ts.isBlock(body) || body.statements.length !== 1) return false;
  const st = body.statements[0];
  let e = ts.isExpressionStatement(st) ? st.expression : ts.isReturnStatement(st) ? st.expression : undefined;
  if (e && ts.isAwaitExpression(skipOuter(e))) e = (skipOuter(e) as ts.AwaitExpression).expression;
  const c = e && skipOuter(e);
  return !!c && ts.isCallExpression(c) && ts.isPropertyAccessExpression(c.expression) && ts.isIdentifier(c.expression.expression) &&
    c.expression.expression.text === 'Promise' && /^(all|allSettled)$/.test(c.expression.name.text);
}

/** The call already works on a whole group: a batch method, or a filter with `in`/`$in`. */
function batchedCall(call: ts.CallExpression): boolean {
  const callee = skipOuter(call.expression);
  const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : '';
  if (BATCH_METHODS.test(name)) return true;
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isPropertyAssignment(n) && (ts.isIdentifier(n.name) || ts.isStringLiteral(n.name)) && (n.name.text === 'in' || n.name.text === '$in')) { found = true; return; }
    ts.forEachChild(n, visit);
  };
  call.arguments.forEach(visit);
  return found;
}

/**
 * A job that is sequential on purpose: the awaited call sits in a try block inside the loop whose
 * catch does something with each item's failure (an empty catch is a swallowed error, not a design).
 */
function handledPerItem(inner: ts.Node): boolean {
  // up to the innermost loop (the one enclosingLoop found), remembered per node: firstUp
  const hit = firstUp(inner, perItemStep, perItemCache, true);
  return hit !== undefined && ts.isTryStatement(hit);
}
const perItemCache = new WeakMap<ts.Node, ts.Node | null>();
const perItemStep = (child: ts.Node, p: ts.Node): ts.Node | undefined =>
  (ts.isTryStatement(p) && p.tryBlock === child && p.catchClause && p.catchClause.block.statements.length > 0) || (isLoop(p) && p.statement === child) ? p : undefined;

export const awaitInLoop = createRule({
  meta: {
    id: 'await-in-loop',
    checklist: 'scale',
    severity: 'info',
    summary: 'An external call awaited once per loop iteration (N+1) makes latency grow with the data: 1,000 items cost 1,000 round trips in a row.',
    fixable: true,
    fileKinds: ['server'],
    messages: {
      nPlusOne: '{{what}} once per iteration of this loop (N+1): N items cost N round trips one after another, so latency grows with the data. Instead, {{advice}}.',
    },
  },
  defaultOptions: {},
  create(ctx) {
    const loops = new Map<Loop, Hit[]>();
    return {
      AwaitExpression(node) {
        const loop = enclosingLoop(node);
        if (!loop) return;
        if (!(ts.isForOfStatement(loop) || ts.isForInStatement(loop) || (ts.isForStatement(loop) && iteratesCollection(loop)))) return;
        if (ts.isForOfStatement(loop) && ts.isArrayLiteralExpression(skipOuter(loop.expression))) return;
        if (overBatches(loop)) return;
        const awaited = skipOuter(node.expression);
        const ext = externalCall(awaited, ctx.facts, ctx.project, ctx.config.externalModules);
        let hit: Hit | undefined;
        if (ext) {
          if (inTransaction(ext, awaited)) return;
          hit = { awaitExpr: node, ext, label: ext.label, call: ext.call };
        } else if (ts.isCallExpression(awaited)) {
          // a function of this file that makes the external call (`await getUser(id)`)
          const local = calledLocalFunction(awaited, ctx.facts);
          if (!local || !doesExternalIo(local, ctx.facts, ctx.project, ctx.config.externalModules)) return;
          hit = { awaitExpr: node, label: calleeLabel(awaited.expression, ctx.sourceFile), call: awaited };
        }
        if (!hit) return;
        const hits = loops.get(loop as Loop) ?? [];
        hits.push(hit);
        loops.set(loop as Loop, hits);
      },
      'SourceFile:exit'() {
        for (const [loop, hits] of loops) {
          const f = bodyFacts(loop);
          if (f.exits || f.sleeps) continue;
          // a call that reads a variable the body reassigns depends on the previous iteration (a cursor)
          if (f.assigned.size && hits.some((h) => [...referencedNames(h.call)].some((n) => f.assigned.has(n)))) continue;
          // small bounded collections, per-group batched calls, sequential-on-purpose jobs with a try/catch per item
          if (smallBoundedCollection(loop) || receiveBatch(loop, ctx) || hits.every((h) => batchedCall(h.call) || parallelInside(h.call, ctx)) ||
            hits.every((h) => handledPerItem(h.awaitExpr))) continue;
          const first = hits[0];
          const labels = [...new Set(hits.map((h) => `\`${h.label}()\``))];
          const what = labels.length === 1 ? `${labels[0]} is awaited` : `${labels.join(', ')} are awaited`;
          const pl = hasDependency(ctx.project, moduleOf(LIB.pLimit));
          const fixable = ts.isForOfStatement(loop);
          ctx.report({
            node: first.awaitExpr,
            messageId: 'nPlusOne',
            data: { what, advice: advice(hits.find((h) => h.ext)?.ext, pl) },
            ...(fixable ? { fix: () => buildFixes(loop, ctx) } : {}),
          });
        }
      },
    };
  },
});
