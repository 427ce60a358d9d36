/**
 * The formatting conventions of a file, read from the file itself, so that inserted code looks
 * like the code around it: quote character, semicolons, indentation unit and line ending.
 */
import ts = require('typescript');

export interface Style {
  quote: "'" | '"';
  semicolons: boolean;
  /** One level of indentation, e.g. '  ', '    ' or '\t'. */
  indent: string;
  eol: '\n' | '\r\n';
}

export function detectStyle(sf: ts.SourceFile): Style {
  const text = sf.text;
  const eol: Style['eol'] = text.includes('\r\n') ? '\r\n' : '\n';
  let quote: Style['quote'] | undefined;
  let withSemi = 0;
  let withoutSemi = 0;
  let indent: string | undefined;
  const statements = sf.statements;
  const limit = Math.min(statements.length, 60);
  for (let i = 0; i < limit; i++) {
    const st = statements[i];
    if (!quote) {
      const spec = ts.isImportDeclaration(st) ? st.moduleSpecifier : undefined;
      if (spec && ts.isStringLiteral(spec)) quote = text[spec.getStart(sf)] === '"' ? '"' : "'";
    }
    if (ts.isImportDeclaration(st) || ts.isVariableStatement(st) || ts.isExpressionStatement(st) || ts.isReturnStatement(st)) {
      if (text[st.end - 1] === ';') withSemi++;
      else withoutSemi++;
    }
  }
  if (!quote) quote = findFirstStringQuote(sf) ?? "'";
  // indentation: the first line that starts with whitespace inside a block
  let lineStart = 0;
  for (let scanned = 0; scanned < 400 && lineStart < text.length; scanned++) {
    const nl = text.indexOf('\n', lineStart);
    const lineEnd = nl === -1 ? text.length : nl;
    let j = lineStart;
    while (j < lineEnd && (text[j] === ' ' || text[j] === '\t')) j++;
    if (j > lineStart && j < lineEnd && text[j] !== '*' && text[j] !== '\r') {
      indent = text[lineStart] === '\t' ? '\t' : ' '.repeat(Math.min(j - lineStart, 8));
      break;
    }
    if (nl === -1) break;
    lineStart = nl + 1;
  }
  return { quote, semicolons: withSemi >= withoutSemi, indent: indent ?? '  ', eol };
}

function findFirstStringQuote(sf: ts.SourceFile): Style['quote'] | undefined {
  let found: Style['quote'] | undefined;
  let budget = 2000;
  const visit = (n: ts.Node): void => {
    if (found || --budget < 0) return;
    if (ts.isStringLiteral(n)) {
      const ch = sf.text[n.getStart(sf)];
      if (ch === '"' || ch === "'") { found = ch; return; }
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return found;
}

export function quoteString(style: Style, value: string): string {
  const q = style.quote;
  return q + value.replace(/\\/g, '\\\\').replace(new RegExp(q, 'g'), `\\${q}`).replace(/\n/g, '\\n') + q;
}

export function semi(style: Style): string {
  return style.semicolons ? ';' : '';
}
