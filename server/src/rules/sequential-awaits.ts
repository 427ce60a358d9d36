/**
 * sequential-awaits — independent external reads awaited one after another.
 *
 * Before:  const user = await db.user.findUnique({ where: { id } });
 *          const orders = await db.order.findMany({ where: { userId: id } });
 * After:   const [user, orders] = await Promise.all([db.user.findUnique({ where: { id } }), db.order.findMany({ where: { userId: id } })]);
 *
 * Reported only when the dependency analysis is exact: two or more consecutive statements of a
 * block, each awaiting an external call that only reads (GET requests, cache gets, find/count
 * queries, SELECTs, SDK retrieve/list) or a function of this file that only does such reads
 * (a `getUser(id)` fetch wrapper), where no call reads a name an earlier one declares or assigns. Writes are never grouped: running a write together with another call changes what
 * happens when one fails, not only when. Transactions and single connections (Mongo sessions,
 * Sequelize transactions, a pg `Client`, a mysql2 connection) serialise anyway and are skipped.
 *
 * The fix is a refactor, never preferred: with Promise.all every call starts even when one of
 * them fails, and the first rejection is the one thrown (error timing changes).
 */
import ts = require('typescript');
import { createRule, type Fix, type RuleContextV2 } from '../engine/types';
import { skipOuter } from '../engine/facts';
import { enclosingFunction, isInsideTryBlock, lineIndentAt, type FunctionLike } from '../engine/ast';
import { boundNames, calledLocalFunction, calleeLabel, externalCall, inTransaction, isReadOnlyCall, readOnlyFunction, referencedNames, type ExternalCall } from '../engine/calls';
import { semi } from '../engine/style';
import { ioOf } from '../knowledge';

type MessageIds = 'twoReads' | 'manyReads';
type Ctx = RuleContextV2<MessageIds>;

interface Step {
  statement: ts.Statement;
  awaitExpr: ts.AwaitExpression;
  /** The callee as written, for messages. */
  label: string;
  /** How the result is used: declared (`const x =`), assigned (`x =`) or dropped. */
  target:
    | { kind: 'decl'; declKind: 'const' | 'let' | 'var'; decl: ts.VariableDeclaration }
    | { kind: 'assign'; name: ts.Identifier }
    | { kind: 'none' };
  binds: string[];
  uses: Set<string>;
}

/** Single-connection clients: their queries queue behind each other, Promise.all gains nothing. */
function singleConnection(ext: ExternalCall, ctx: Ctx): boolean {
  const recv = ext.call.expression;
  if (!ts.isPropertyAccessExpression(recv)) return false;
  const r = ctx.facts.resolve(recv.expression);
  const factory = r?.instance?.factory.join('.');
  if (!factory) return false;
  // knowledge: a pg `Client`, a mysql2 `createConnection` (`*.Client`: under any namespace)
  const single = ioOf(ext.module)?.singleConnection ?? [];
  return single.some((p) => p === factory || (p.startsWith('*.') && factory.endsWith(p.slice(1))));
}

function stepOf(st: ts.Statement, ctx: Ctx): Step | undefined {
  let awaitExpr: ts.AwaitExpression | undefined;
  let target: Step['target'] = { kind: 'none' };
  let binds: string[] = [];
  const uses = new Set<string>();
  if (ts.isVariableStatement(st)) {
    if (st.modifiers?.length) return undefined;
    const list = st.declarationList;
    if (list.declarations.length !== 1) return undefined;
    const d = list.declarations[0];
    if (!d.initializer) return undefined;
    const init = skipOuter(d.initializer);
    if (!ts.isAwaitExpression(init) || init !== d.initializer) return undefined;
    awaitExpr = init;
    const declKind = list.flags & ts.NodeFlags.Const ? 'const' : list.flags & ts.NodeFlags.Let ? 'let' : list.flags & ts.NodeFlags.Using ? undefined : 'var';
    if (!declKind) return undefined;
    target = { kind: 'decl', declKind, decl: d };
    binds = boundNames(d.name);
    if (!ts.isIdentifier(d.name)) referencedNames(d.name, uses); // defaults in destructuring
  } else if (ts.isExpressionStatement(st)) {
    const e = st.expression;
    if (ts.isAwaitExpression(e)) awaitExpr = e;
    else if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(e.left) && ts.isAwaitExpression(e.right)) {
      awaitExpr = e.right;
      target = { kind: 'assign', name: e.left };
      binds = [e.left.text];
    }
  }
  if (!awaitExpr) return undefined;
  const awaited = skipOuter(awaitExpr.expression);
  const ext = externalCall(awaited, ctx.facts, ctx.project, ctx.config.externalModules);
  let label: string;
  if (ext) {
    if (!isReadOnlyCall(ext) || singleConnection(ext, ctx) || inTransaction(ext, awaited)) return undefined;
    label = ext.label;
  } else {
    // a function of this file that only reads (a fetch wrapper such as `getUser(id)`)
    const local = ts.isCallExpression(awaited) ? calledLocalFunction(awaited, ctx.facts) : undefined;
    if (!local || !readOnlyFunction(local, ctx.facts, ctx.project, ctx.config.externalModules)) return undefined;
    label = calleeLabel((awaited as ts.CallExpression).expression, ctx.sourceFile);
  }
  referencedNames(awaitExpr.expression, uses);
  return { statement: st, awaitExpr, label, target, binds, uses };
}

/** Splits consecutive steps into groups where no step reads or rebinds what an earlier one binds. */
function groups(steps: (Step | undefined)[]): Step[][] {
  const out: Step[][] = [];
  let current: Step[] = [];
  let bound = new Set<string>();
  const close = () => {
    if (current.length >= 2) out.push(current);
    current = [];
    bound = new Set();
  };
  for (const s of steps) {
    if (!s) { close(); continue; }
    const dependent = [...s.uses].some((n) => bound.has(n)) || s.binds.some((n) => bound.has(n));
    if (dependent) close();
    current.push(s);
    for (const n of s.binds) bound.add(n);
  }
  close();
  return out;
}

/** Is `name` a parameter of `fn` or declared in its body (not in a nested function)? */
function declaredIn(name: string, fn: FunctionLike): boolean {
  if (fn.parameters.some((p) => boundNames(p.name).includes(name))) return true;
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found || (n !== fn.body && (ts.isFunctionDeclaration(n) || ts.isFunctionExpression(n) || ts.isArrowFunction(n) || ts.isMethodDeclaration(n)))) return;
    if (ts.isVariableDeclaration(n) && boundNames(n.name).includes(name)) { found = true; return; }
    ts.forEachChild(n, visit);
  };
  if (fn.body) visit(fn.body);
  return found;
}

function hasCommentsBetween(ctx: Ctx, group: Step[]): boolean {
  const text = ctx.text;
  for (let i = 0; i < group.length; i++) {
    const st = group[i].statement;
    if (i > 0 && (ts.getLeadingCommentRanges(text, st.pos)?.length ?? 0) > 0) return true;
    if (i < group.length - 1 && (ts.getTrailingCommentRanges(text, st.end)?.length ?? 0) > 0) return true;
    // comments inside the statement but outside the awaited call (e.g. between `=` and `await`)
    const call = group[i].awaitExpr.expression;
    const outside = text.slice(st.getStart(ctx.sourceFile), call.getStart(ctx.sourceFile)) + text.slice(call.getEnd(), st.getEnd());
    if (/\/[/*]/.test(outside)) return true;
  }
  return false;
}

interface FixPlan { head: string; pattern: string; typeText: string }

/** Whether the group can be rewritten, and the left-hand side it gets (cheap: no fix text is built here). */
function fixPlan(ctx: Ctx, group: Step[]): FixPlan | undefined {
  if (hasCommentsBetween(ctx, group)) return undefined;
  const sf = ctx.sourceFile;
  const kinds = new Set(group.map((s) => s.target.kind));
  const declared = group.filter((s) => s.target.kind === 'decl');
  let head: string;
  if (kinds.has('assign')) {
    if (kinds.size > 1 && !(kinds.size === 2 && kinds.has('none'))) return undefined;
    // Sequentially, `a` keeps its new value when the call for `b` fails; with Promise.all it does
    // not. Only rewrite when nobody can observe that: the variables belong to this function and
    // no try/catch around the statements lets execution continue after a failure.
    const fn = enclosingFunction(group[0].statement);
    if (!fn || isInsideTryBlock(group[0].statement, fn)) return undefined;
    for (const st of group) if (st.target.kind === 'assign' && !declaredIn(st.target.name.text, fn)) return undefined;
    head = '';
  } else if (declared.length > 0) {
    const declKinds = new Set(declared.map((s) => (s.target as { declKind: string }).declKind));
    if (declKinds.has('var')) return undefined;
    head = declKinds.has('let') ? 'let ' : 'const ';
  } else head = '';

  let pattern = '';
  let typeText = '';
  if (head || kinds.has('assign')) {
    const slots = group.map((s) => {
      if (s.target.kind === 'decl') return s.target.decl.name.getText(sf);
      if (s.target.kind === 'assign') return s.target.name.text;
      return '';
    });
    while (slots.length && slots[slots.length - 1] === '') slots.pop();
    pattern = `[${slots.join(', ')}]`;
    const annotated = declared.filter((s) => (s.target as { decl: ts.VariableDeclaration }).decl.type);
    if (annotated.length > 0) {
      if (annotated.length !== group.length) return undefined;
      typeText = `: [${group.map((s) => (s.target as { decl: ts.VariableDeclaration }).decl.type!.getText(sf)).join(', ')}]`;
    }
  }
  return { head, pattern, typeText };
}

function buildFix(ctx: Ctx, group: Step[], { head, pattern, typeText }: FixPlan): Fix {
  const sf = ctx.sourceFile;
  const first = group[0].statement;
  const last = group[group.length - 1].statement;
  const indent = lineIndentAt(ctx.text, first.getStart(sf));
  const unit = ctx.style.indent;
  const eol = ctx.style.eol;
  const s = semi(ctx.style);
  const lhs = pattern ? `${head}${pattern}${typeText} = ` : '';
  // `[a, b] = …` at the start of a line continues the previous line when the file omits semicolons
  const guard = !head && pattern && !ctx.style.semicolons ? ';' : '';
  const calls = group.map((st) => st.awaitExpr.expression.getText(sf));
  const oneLine = `${guard}${lhs}await Promise.all([${calls.join(', ')}])${s}`;
  let newText: string;
  if (!oneLine.includes('\n') && indent.length + oneLine.length <= 100) newText = oneLine;
  else {
    const inner = indent + unit;
    const items = group.map((st) => {
      const call = st.awaitExpr.expression;
      const from = lineIndentAt(ctx.text, call.getStart(sf));
      const lines = call.getText(sf).split(/\r?\n/).map((l, i) => (i === 0 ? l : l.startsWith(from) ? inner + l.slice(from.length) : inner + l.trimStart()));
      return `${inner}${lines.join(eol)},`;
    });
    newText = `${guard}${lhs}await Promise.all([${eol}${items.join(eol)}${eol}${indent}])${s}`;
  }
  const n = group.length;
  return {
    title: `Start the ${n} independent reads together with Promise.all (changes error timing: all start even if one fails)`,
    edits: [{ start: first.getStart(sf), end: last.getEnd(), newText }],
    kind: 'refactor.rewrite',
    isPreferred: false,
    safe: false,
  };
}

export const sequentialAwaits = createRule({
  meta: {
    id: 'sequential-awaits',
    checklist: 'scale',
    severity: 'info',
    summary: 'Independent external reads awaited one after another add up their latencies; under load the slowest path of every request gets longer than it needs to be.',
    fixable: true,
    fileKinds: ['server', 'browser'],
    messages: {
      twoReads: '{{second}} waits for {{first}} (line {{line}}) although it does not use its result: these independent reads run one after another, so their latencies add up. Start them together with Promise.all.',
      manyReads: '{{count}} independent reads run one after another ({{labels}}): none uses another\'s result, yet each waits for the previous one, so their latencies add up. Start them together with Promise.all.',
    },
  },
  defaultOptions: {},
  create(ctx) {
    return {
      Block(block) {
        if (block.statements.length < 2) return;
        const steps = block.statements.map((st) => stepOf(st, ctx));
        if (steps.filter(Boolean).length < 2) return;
        for (const group of groups(steps)) {
          const sf = ctx.sourceFile;
          const labels = group.map((s) => `\`${s.label}()\``);
          const line = sf.getLineAndCharacterOfPosition(group[0].awaitExpr.getStart(sf)).line + 1;
          const plan = fixPlan(ctx, group);
          ctx.report({
            node: group[1].awaitExpr,
            ...(group.length === 2
              ? { messageId: 'twoReads' as const, data: { first: labels[0], second: labels[1], line } }
              : { messageId: 'manyReads' as const, data: { count: group.length, labels: labels.join(', ') } }),
            ...(plan ? { fix: () => [buildFix(ctx, group, plan)] } : {}),
          });
        }
      },
    };
  },
});
