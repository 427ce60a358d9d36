/**
 * Format-preserving edit builders shared by every rule's fixes: insert a property into an object
 * literal, add an argument, add an import in the file's own style, apply edits to text.
 */
import ts = require('typescript');
import type { RuleContext, TextEdit } from '../engine/types';

/** What an edit needs of a rule's context (both rule APIs' contexts have it). */
export type EditContext = Pick<RuleContext, 'sourceFile' | 'text' | 'fileName' | 'facts' | 'project' | 'style'>;
import { lineIndentAt } from '../engine/ast';
import { quoteString, semi } from '../engine/style';

/** Applies non-overlapping edits to text (any order). Throws on overlap: a fix bug, never silent. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  let out = '';
  let at = 0;
  for (const e of sorted) {
    if (e.start < at) throw new Error(`overlapping edits at ${e.start}`);
    out += text.slice(at, e.start) + e.newText;
    at = e.end;
  }
  return out + text.slice(at);
}

/**
 * Inserts `key: value` into an object literal, keeping its layout: `{}` → `{ key: value }`,
 * `{ a }` → `{ a, key: value }`, and a multi-line object gets a new line with the same indent
 * (and a trailing comma when the object uses them).
 */
export function insertProperty(ctx: EditContext, obj: ts.ObjectLiteralExpression, propText: string): TextEdit {
  const sf = ctx.sourceFile;
  const text = ctx.text;
  const props = obj.properties;
  const open = obj.getStart(sf);
  const close = obj.getEnd() - 1; // the '}'
  if (props.length === 0) {
    const inner = text.slice(open + 1, close);
    if (inner.trim() === '') return { start: open, end: obj.getEnd(), newText: `{ ${propText} }` };
    // only comments inside: keep them, add after
    return { start: close, end: close, newText: ` ${propText} ` };
  }
  const last = props[props.length - 1];
  const multiline = text.slice(open, close).includes('\n');
  const hasTrailingComma = props.hasTrailingComma;
  if (!multiline) {
    if (hasTrailingComma) {
      const comma = text.indexOf(',', last.getEnd());
      return { start: comma + 1, end: comma + 1, newText: ` ${propText},` };
    }
    return { start: last.getEnd(), end: last.getEnd(), newText: `, ${propText}` };
  }
  const indent = lineIndentAt(text, last.getStart(sf));
  const eol = ctx.style.eol;
  if (hasTrailingComma) {
    const comma = text.indexOf(',', last.getEnd());
    return { start: comma + 1, end: comma + 1, newText: `${eol}${indent}${propText},` };
  }
  return { start: last.getEnd(), end: last.getEnd(), newText: `,${eol}${indent}${propText}` };
}

/** Appends arguments to a call after its last argument (or inside empty parens). */
export function appendArguments(ctx: EditContext, call: ts.CallExpression | ts.NewExpression, args: string[]): TextEdit {
  const list = call.arguments ?? ts.factory.createNodeArray();
  if (list.length === 0) {
    // position of '(' after the callee (and type arguments)
    const from = (call.typeArguments ? call.typeArguments.end : call.expression.getEnd());
    const paren = ctx.text.indexOf('(', from);
    return { start: paren + 1, end: paren + 1, newText: args.join(', ') };
  }
  const last = list[list.length - 1];
  return { start: last.getEnd(), end: last.getEnd(), newText: `, ${args.join(', ')}` };
}

export interface ImportRequest {
  module: string;
  /** Named import (`import { x } from`) … */
  named?: string;
  /** … or default import (`import x from`). */
  default?: string;
  /** … or namespace import (`import * as x from`). */
  namespace?: string;
}

/**
 * An edit that imports what is asked, in the file's style (ESM or CommonJS, quotes,
 * semicolons), or undefined when the binding is already there. A named import merges into an
 * existing `import { … } from 'module'`.
 */
export function addImport(ctx: EditContext, req: ImportRequest): TextEdit | undefined {
  const facts = ctx.facts;
  const local = req.named ?? req.default ?? req.namespace!;
  const existing = facts.bindings.get(local);
  if (existing && existing.module === req.module) return undefined;
  const sf = ctx.sourceFile;
  const style = ctx.style;
  const eol = style.eol;
  const q = quoteString(style, req.module);
  const s = semi(style);
  // merge into an existing named import from the same module
  if (req.named) {
    for (const st of sf.statements) {
      if (ts.isImportDeclaration(st) && ts.isStringLiteral(st.moduleSpecifier) && st.moduleSpecifier.text === req.module &&
        !st.importClause?.isTypeOnly && st.importClause?.namedBindings && ts.isNamedImports(st.importClause.namedBindings)) {
        const els = st.importClause.namedBindings.elements;
        if (els.length > 0) {
          const last = els[els.length - 1];
          return { start: last.getEnd(), end: last.getEnd(), newText: `, ${req.named}` };
        }
      }
    }
  }
  let line: string;
  if (facts.isModuleSyntax) {
    if (req.named) line = `import { ${req.named} } from ${q}${s}`;
    else if (req.default) line = `import ${req.default} from ${q}${s}`;
    else line = `import * as ${req.namespace} from ${q}${s}`;
  } else {
    if (req.named) line = `const { ${req.named} } = require(${q})${s}`;
    else line = `const ${local} = require(${q})${s}`;
  }
  if (facts.importsEnd > 0) return { start: facts.importsEnd, end: facts.importsEnd, newText: `${eol}${line}` };
  return { start: topInsertionPoint(sf), end: topInsertionPoint(sf), newText: `${line}${eol}` };
}

/** True when the file writes extensions on its relative imports (`./db.js`): Node ESM style. */
export function usesJsExtensions(ctx: EditContext): boolean {
  for (const b of ctx.facts.bindings.values()) if (b.module.startsWith('.') && /\.[cm]?js$/.test(b.module)) return true;
  return false;
}

/**
 * True when Node loads this file as an ES module, so it can import ESM-only packages (p-retry 5+,
 * p-limit 4+): a .mjs/.mts file, or import syntax in a package whose package.json says
 * `"type": "module"` (.cjs/.cts never).
 */
export function loadsAsEsm(ctx: EditContext): boolean {
  if (/\.m[jt]s$/.test(ctx.fileName)) return true;
  if (/\.c[jt]s$/.test(ctx.fileName)) return false;
  return ctx.project.moduleType === 'module' && ctx.facts.isModuleSyntax;
}

/** After a shebang, leading directives ('use strict', 'use client') and the file's header comment. */
export function topInsertionPoint(sf: ts.SourceFile): number {
  let pos = 0;
  const text = sf.text;
  if (text.startsWith('#!')) {
    const nl = text.indexOf('\n');
    pos = nl === -1 ? text.length : nl + 1;
  }
  for (const st of sf.statements) {
    if (ts.isExpressionStatement(st) && ts.isStringLiteral(st.expression)) {
      const nl = text.indexOf('\n', st.end);
      pos = nl === -1 ? text.length : nl + 1;
    } else break;
  }
  return pos;
}

/** An edit inserting a module-level declaration after the imports (e.g. `const logger = pino()`). */
export function insertAfterImports(ctx: EditContext, declaration: string): TextEdit {
  const eol = ctx.style.eol;
  const at = ctx.facts.importsEnd;
  if (at > 0) return { start: at, end: at, newText: `${eol}${eol}${declaration}` };
  const top = topInsertionPoint(ctx.sourceFile);
  return { start: top, end: top, newText: `${declaration}${eol}${eol}` };
}

/** Re-indents a block of code (lines after the first) from one indent to another. */
export function reindent(code: string, from: string, to: string, eol: string): string {
  return code
    .split(/\r?\n/)
    .map((line, i) => {
      if (i === 0 || line.trim() === '') return i === 0 ? line : '';
      return line.startsWith(from) ? to + line.slice(from.length) : to + line.trimStart();
    })
    .join(eol);
}
