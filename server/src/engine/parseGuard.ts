/**
 * A guard against TypeScript's parser taking exponential time, checked before a file is parsed.
 *
 * When the parser meets `async` where an expression starts, it looks ahead to see whether an
 * arrow `async x => …` follows: it parses the whole binary expression after `async`, throws it
 * away, and parses it again for real (typescript.js `isUnParenthesizedAsyncArrowFunctionWorker`;
 * typescript-go fixed its port in microsoft/typescript-go#4785). An `async function` expression
 * or an `async(…)` call inside another one is parsed twice per level: 24 nested `async(` took
 * 35 s, 18 nested `f(async function () { … })` callbacks 3.4 s, in TypeScript 6.0.3.
 *
 * The guard scans the tokens once (linear), marks the span each such `async` makes the parser
 * read twice (to the end of its expression: a `,` `;` `=` `?` `:` `=>` at its own bracket
 * depth, or the close of the enclosing bracket), and adds up 2^(spans around each token): the
 * tokens the parser will read. Above the budget the file is not parsed. `async (…) =>` arrows,
 * `async` declarations and methods take other paths in the parser and are not counted.
 */
import ts = require('typescript');

/** Token reads the parser may spend beyond one per token (0.3–0.7 µs each: under a second). */
export const PARSE_WORK_BUDGET = 1_000_000;

interface Tok { kind: ts.SyntaxKind; /** index of the matching bracket, for ( [ { and template heads */ match?: number }

const OPERAND_END = new Set<ts.SyntaxKind>([
  ts.SyntaxKind.Identifier, ts.SyntaxKind.PrivateIdentifier, ts.SyntaxKind.NumericLiteral, ts.SyntaxKind.BigIntLiteral, ts.SyntaxKind.StringLiteral,
  ts.SyntaxKind.NoSubstitutionTemplateLiteral, ts.SyntaxKind.TemplateTail, ts.SyntaxKind.RegularExpressionLiteral,
  ts.SyntaxKind.CloseParenToken, ts.SyntaxKind.CloseBracketToken, ts.SyntaxKind.CloseBraceToken,
  ts.SyntaxKind.ThisKeyword, ts.SyntaxKind.SuperKeyword, ts.SyntaxKind.NullKeyword, ts.SyntaxKind.TrueKeyword, ts.SyntaxKind.FalseKeyword,
  ts.SyntaxKind.PlusPlusToken, ts.SyntaxKind.MinusMinusToken,
]);

/** Where an `async function` is a declaration, not an expression. */
const STATEMENT_START = new Set<ts.SyntaxKind>([
  ts.SyntaxKind.SemicolonToken, ts.SyntaxKind.OpenBraceToken, ts.SyntaxKind.CloseBraceToken, ts.SyntaxKind.CloseParenToken,
  ts.SyntaxKind.DefaultKeyword, ts.SyntaxKind.ExportKeyword, ts.SyntaxKind.DeclareKeyword, ts.SyntaxKind.ColonToken,
]);

/** Tokens at the span's own depth that end the binary expression the look-ahead parses. */
const ENDS_EXPRESSION = new Set<ts.SyntaxKind>([
  ts.SyntaxKind.CommaToken, ts.SyntaxKind.SemicolonToken, ts.SyntaxKind.QuestionToken, ts.SyntaxKind.ColonToken, ts.SyntaxKind.EqualsGreaterThanToken,
  ts.SyntaxKind.EqualsToken, ts.SyntaxKind.PlusEqualsToken, ts.SyntaxKind.MinusEqualsToken, ts.SyntaxKind.AsteriskEqualsToken,
  ts.SyntaxKind.SlashEqualsToken, ts.SyntaxKind.BarBarEqualsToken, ts.SyntaxKind.AmpersandAmpersandEqualsToken, ts.SyntaxKind.QuestionQuestionEqualsToken,
]);

function tokenize(text: string, variant: ts.LanguageVariant): Tok[] {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, variant, text);
  const toks: Tok[] = [];
  const open: number[] = [];
  let prev = ts.SyntaxKind.Unknown;
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    if ((kind === ts.SyntaxKind.SlashToken || kind === ts.SyntaxKind.SlashEqualsToken) && !OPERAND_END.has(prev)) kind = scanner.reScanSlashToken();
    if (kind === ts.SyntaxKind.CloseBraceToken && open.length > 0 && toks[open[open.length - 1]].kind === ts.SyntaxKind.TemplateHead) {
      kind = scanner.reScanTemplateToken(false);
      if (kind === ts.SyntaxKind.TemplateMiddle) { prev = kind; continue; }
    }
    const i = toks.length;
    toks.push({ kind });
    if (kind === ts.SyntaxKind.OpenParenToken || kind === ts.SyntaxKind.OpenBracketToken || kind === ts.SyntaxKind.OpenBraceToken || kind === ts.SyntaxKind.TemplateHead) open.push(i);
    else if (kind === ts.SyntaxKind.CloseParenToken || kind === ts.SyntaxKind.CloseBracketToken || kind === ts.SyntaxKind.CloseBraceToken || kind === ts.SyntaxKind.TemplateTail) {
      const o = open.pop();
      if (o !== undefined) { toks[o].match = i; toks[i].match = o; }
    }
    prev = kind;
  }
  return toks;
}

/** Whether the `async` at `i` sends the parser into its look-ahead. */
function isLookAheadAsync(toks: Tok[], i: number): boolean {
  const next = toks[i + 1];
  if (!next) return false;
  if (next.kind === ts.SyntaxKind.FunctionKeyword) return i > 0 && !STATEMENT_START.has(toks[i - 1].kind);
  if (next.kind !== ts.SyntaxKind.OpenParenToken) return false;
  // `async (…) =>` and `async (…): T =>` are arrows, parsed without the look-ahead
  const close = next.match;
  const after = close === undefined ? undefined : toks[close + 1]?.kind;
  return after !== ts.SyntaxKind.EqualsGreaterThanToken && after !== ts.SyntaxKind.ColonToken;
}

export interface ParseWork {
  tokens: number;
  /** Estimated token reads of the parser: each token counts 2^(look-ahead spans around it). */
  work: number;
  /** The most look-ahead spans around one token. */
  depth: number;
}

export function parseWork(text: string, variant: ts.LanguageVariant = ts.LanguageVariant.Standard): ParseWork {
  // a cheap exit for the common case: no `async` at all
  if (!text.includes('async')) return { tokens: 0, work: 0, depth: 0 };
  const toks = tokenize(text, variant);
  // +1 where a span starts, -1 where it ends: the depth at each token is a running sum. Spans
  // still open at a bracket level end together (at an ender of that level or its closing bracket).
  const delta = new Int32Array(toks.length + 1);
  const pending: number[] = [0];
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i];
    const level = pending.length - 1;
    if (t.kind === ts.SyntaxKind.OpenParenToken || t.kind === ts.SyntaxKind.OpenBracketToken || t.kind === ts.SyntaxKind.OpenBraceToken || t.kind === ts.SyntaxKind.TemplateHead) {
      pending.push(0);
    } else if (t.kind === ts.SyntaxKind.CloseParenToken || t.kind === ts.SyntaxKind.CloseBracketToken || t.kind === ts.SyntaxKind.CloseBraceToken || t.kind === ts.SyntaxKind.TemplateTail) {
      delta[i] -= pending[level];
      if (level > 0) pending.pop();
      else pending[0] = 0;
    } else if (ENDS_EXPRESSION.has(t.kind)) {
      delta[i] -= pending[level];
      pending[level] = 0;
    } else if (t.kind === ts.SyntaxKind.AsyncKeyword && isLookAheadAsync(toks, i)) {
      delta[i + 1]++;
      pending[level]++;
    }
  }
  let d = 0;
  let depth = 0;
  let work = 0;
  for (let i = 0; i < toks.length; i++) {
    d += delta[i];
    if (d > depth) depth = d;
    work += d >= 52 ? Number.MAX_SAFE_INTEGER : 2 ** d;
    if (work > Number.MAX_SAFE_INTEGER / 2) work = Number.MAX_SAFE_INTEGER / 2;
  }
  return { tokens: toks.length, work, depth };
}

/** Why the file must not be parsed, or undefined. */
export function parseHazard(text: string, variant: ts.LanguageVariant = ts.LanguageVariant.Standard): string | undefined {
  const w = parseWork(text, variant);
  if (w.work - w.tokens <= PARSE_WORK_BUDGET) return undefined;
  return `async expressions nested ${w.depth} deep (TypeScript's parser takes time exponential in that depth)`;
}
