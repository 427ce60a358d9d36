/**
 * stale-flag — a feature-flag check whose flag the registry in .failpath.json marks expired or
 * removed. Flags are kill switches for a release, not forever: a flag past its date is dead code
 * with a production toggle attached.
 *
 * Before:  if (await flags.getBooleanValue('checkout-v2', false)) { newCheckout(); } else { oldCheckout(); }
 * After (keep the enabled branch):  newCheckout();
 *
 * Registry flags that no code references any more are reported by the project-level check
 * (`failpath check` and the workspace scan), on the registry entry.
 */
import ts = require('typescript');
import { createRule, type Fix, type RuleContextV2 } from '../engine/types';
import { lineIndentAt } from '../engine/ast';
import { flagHelperAt } from '../engine/queries/projectBindings';
import { KNOWLEDGE } from '../knowledge';
import { reindent } from '../fixes/edits';

type Ctx = RuleContextV2<'stale'>;

/**
 * The flag key when `call` is a flag check: a flag SDK method from the knowledge table
 * (`client.getBooleanValue('key', …)`, `isEnabled('key')`), the custom function named in settings,
 * or one of the project's own flag helpers the Session learned (ctx.view.flagHelpers).
 */
function flagKeyOf(call: ts.CallExpression, ctx: Ctx, checkMethods: ReadonlySet<string>): ts.StringLiteralLike | undefined {
  const key = call.arguments[0];
  if (!key || !ts.isStringLiteralLike(key)) return undefined;
  const callee = call.expression;
  const method = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : undefined;
  if (!method) return undefined;
  const custom = ctx.config.flags?.provider === 'custom' ? ctx.config.flags.name : undefined;
  if (checkMethods.has(method) || method === custom) return key;
  return flagHelperAt(ctx.view.flagHelpers, ctx.facts, ctx.fileName, callee) ? key : undefined;
}

export const staleFlag = createRule({
  meta: {
    id: 'stale-flag',
    checklist: 'disable',
    severity: 'warning',
    summary: 'A flag the registry marks expired or removed is still checked in code: dead code with a production switch attached.',
    fixable: true,
    fileKinds: ['server', 'browser', 'script'],
    messages: {
      stale: "Flag '{{key}}' {{why}}{{owner}}: remove the check and keep the branch that shipped.",
    },
    options: {
      type: 'object',
      properties: { today: { type: 'string', description: 'The date to compare expiry dates against (YYYY-MM-DD); defaults to the current date. For tests.' } },
      additionalProperties: false,
    },
  },
  defaultOptions: {} as { today?: string },
  create(ctx, options) {
    const registry = ctx.config.flagRegistry;
    if (!registry || Object.keys(registry).length === 0) return {};
    const now = typeof options.today === 'string' ? options.today : new Date().toISOString().slice(0, 10);
    const checkMethods = KNOWLEDGE.flagCheckMethods();
    return {
      CallExpression(call) {
        const key = flagKeyOf(call, ctx, checkMethods);
        if (!key || !Object.hasOwn(registry, key.text)) return;
        const entry = registry[key.text];
        let why: string;
        if (entry.removed) why = 'was removed from the flag service';
        else if (entry.expires && entry.expires < now) why = `expired on ${entry.expires}`;
        else return;
        const owner = entry.owner ? ` (owner: ${entry.owner})` : '';
        const fixable = branchIf(call) !== undefined;
        ctx.report({
          node: key,
          messageId: 'stale',
          data: { key: key.text, why, owner },
          ...(fixable ? { fix: () => branchFixes(call, ctx) } : {}),
        });
      },
    };
  },
});

/** The `if` whose whole condition is the check (awaited, parenthesised, negated), and whether it is negated. */
function branchIf(call: ts.CallExpression): { ifs: ts.IfStatement; negated: boolean } | undefined {
  let cond: ts.Node = call;
  let negated = false;
  for (;;) {
    const p = cond.parent;
    if (p && (ts.isAwaitExpression(p) || ts.isParenthesizedExpression(p))) cond = p;
    else if (p && ts.isPrefixUnaryExpression(p) && p.operator === ts.SyntaxKind.ExclamationToken) { negated = !negated; cond = p; }
    else break;
  }
  const ifs = cond.parent;
  if (!ifs || !ts.isIfStatement(ifs) || ifs.expression !== cond) return undefined;
  if (ifs.elseStatement && ts.isIfStatement(ifs.elseStatement)) return undefined;
  return { ifs, negated };
}

/** For `if (<flag check>) A else B` (optionally awaited/negated): keep A or keep B. */
function branchFixes(call: ts.CallExpression, ctx: Ctx): Fix[] {
  const found = branchIf(call);
  if (!found) return [];
  const { ifs, negated } = found;
  const sf = ctx.sourceFile;
  const indent = lineIndentAt(ctx.text, ifs.getStart(sf));
  const body = (st: ts.Statement | undefined): string => {
    if (!st) return '';
    if (ts.isBlock(st)) {
      if (st.statements.length === 0) return '';
      const first = st.statements[0];
      const inner = ctx.text.slice(first.getStart(sf), st.statements[st.statements.length - 1].getEnd());
      return reindent(inner, lineIndentAt(ctx.text, first.getStart(sf)), indent, ctx.style.eol);
    }
    return st.getText(sf);
  };
  const on = negated ? ifs.elseStatement : ifs.thenStatement;
  const off = negated ? ifs.thenStatement : ifs.elseStatement;
  const replace = (code: string, title: string): Fix => {
    const start = ifs.getStart(sf);
    let end = ifs.getEnd();
    if (code === '') {
      // drop the whole line when nothing is kept
      let s = start;
      while (s > 0 && (ctx.text[s - 1] === ' ' || ctx.text[s - 1] === '\t')) s--;
      if (ctx.text.startsWith(ctx.style.eol, end)) end += ctx.style.eol.length;
      return { title, edits: [{ start: s, end, newText: '' }] };
    }
    return { title, edits: [{ start, end, newText: code }] };
  };
  return [
    { ...replace(body(on), `Remove flag '${(call.arguments[0] as ts.StringLiteralLike).text}': keep the enabled branch`), isPreferred: true },
    replace(body(off), `Remove flag '${(call.arguments[0] as ts.StringLiteralLike).text}': keep the disabled branch`),
  ];
}
