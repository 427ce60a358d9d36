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
import * as ts from 'typescript';
import { defineRule, type Fix, type RuleContext } from '../engine/types';
import { lineIndentAt } from '../engine/ast';
import { reindent } from '../fixes/edits';

const FLAG_METHODS = new Set(['getBooleanValue', 'getBooleanDetails', 'getStringValue', 'getNumberValue', 'getObjectValue', 'variation', 'boolVariation', 'variationDetail', 'isEnabled', 'isOn', 'isOff', 'getFeatureValue', 'hasFeature', 'getValueAsync', 'isFeatureEnabled']);

/** The flag key when `call` is a flag check: `client.getBooleanValue('key', …)`, `isEnabled('key')`. */
export function flagKeyOf(call: ts.CallExpression, ctx: RuleContext): ts.StringLiteralLike | undefined {
  const callee = call.expression;
  const method = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : undefined;
  const custom = ctx.config.flags?.provider === 'custom' ? ctx.config.flags.name : undefined;
  if (!method || (!FLAG_METHODS.has(method) && method !== custom)) return undefined;
  const key = call.arguments[0];
  return key && ts.isStringLiteralLike(key) ? key : undefined;
}

function today(ctx: RuleContext): string {
  const t = ctx.options.today;
  return typeof t === 'string' ? t : new Date().toISOString().slice(0, 10);
}

export const staleFlag = defineRule({
  id: 'stale-flag',
  checklist: 'disable',
  severity: 'warning',
  summary: 'A flag the registry marks expired or removed is still checked in code: dead code with a production switch attached.',
  fixable: true,
  fileKinds: ['server', 'browser', 'script'],
  applies: (ctx) => !!ctx.config.flagRegistry && Object.keys(ctx.config.flagRegistry).length > 0,
  visit: {
    CallExpression(call, ctx) {
      const key = flagKeyOf(call, ctx);
      if (!key) return;
      const entry = ctx.config.flagRegistry![key.text];
      if (!entry) return;
      const now = today(ctx);
      let why: string;
      if (entry.removed) why = `was removed from the flag service`;
      else if (entry.expires && entry.expires < now) why = `expired on ${entry.expires}`;
      else return;
      const owner = entry.owner ? ` (owner: ${entry.owner})` : '';
      ctx.report({
        node: key,
        message: `Flag '${key.text}' ${why}${owner}: remove the check and keep the branch that shipped.`,
        fixes: branchFixes(call, ctx),
      });
    },
  },
});

/** For `if (<flag check>) A else B` (optionally awaited/negated): keep A or keep B. */
function branchFixes(call: ts.CallExpression, ctx: RuleContext): Fix[] {
  let cond: ts.Node = call;
  let negated = false;
  for (;;) {
    const p = cond.parent;
    if (p && (ts.isAwaitExpression(p) || ts.isParenthesizedExpression(p))) cond = p;
    else if (p && ts.isPrefixUnaryExpression(p) && p.operator === ts.SyntaxKind.ExclamationToken) { negated = !negated; cond = p; }
    else break;
  }
  const ifs = cond.parent;
  if (!ifs || !ts.isIfStatement(ifs) || ifs.expression !== cond) return [];
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
  if (ifs.elseStatement && ts.isIfStatement(ifs.elseStatement)) return [];
  return [
    { ...replace(body(on), `Remove flag '${(call.arguments[0] as ts.StringLiteralLike).text}': keep the enabled branch`), isPreferred: true },
    replace(body(off), `Remove flag '${(call.arguments[0] as ts.StringLiteralLike).text}': keep the disabled branch`),
  ];
}
