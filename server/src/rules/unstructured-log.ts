/**
 * unstructured-log — console.log/info/warn/error/debug/trace in server code.
 *
 * Before:  console.error('charge failed:', err, orderId);
 * After:   logger.error({ err, orderId }, 'charge failed');          (pino, bunyan)
 *          logger.error('charge failed', { error: err, orderId });   (winston)
 *
 * Before:  console.log('listening on port %d', port);
 * After:   logger.info(`listening on port ${port}`);
 *
 * The fix uses the logger already in the file, then `failpath.logger`, then the logger library in
 * package.json (creating a module logger). With none, it offers to configure one instead of
 * inventing a dependency. Test files, scripts, CLIs and browser code are out of scope; so are
 * console.table/time/dir/count (developer tools, not logs), the logger implementation itself,
 * `if (require.main === module)` blocks, `process.on('exit')` handlers (only synchronous writes
 * reach the output there), development-only branches and functions run inside a browser page
 * (`page.evaluate(() => …)`).
 */
import ts = require('typescript');
import { createRule, type Fix, type RuleContextV2 } from '../engine/types';
import { skipOuter } from '../engine/facts';
import { firstUp, inPageFunction, isFunctionLike, nearestFunctionName, propertyName } from '../engine/ast';
import { chooseLogger, logCallExpr, type Level, type LoggerChoice } from '../fixes/logger';
import { isLoggerModule } from '../fixes/logCall';
import { isDevBranch } from '../engine/queries/devGuard';
import { KNOWLEDGE, type LoggerStyle } from '../knowledge';

type Ctx = RuleContextV2<'unstructured'>;

const LEVELS: Record<string, Level> = { log: 'info', info: 'info', warn: 'warn', error: 'error', debug: 'debug', trace: 'debug' };
const ERROR_NAMES = /^(err|error|e|ex|exc|exception|cause|reason|failure)$/i;
const LOGGER_FILE = /(^|[\\/])(logger|logging|log|logs)([\\/]|(\.[\w-]+)?\.[cm]?[jt]s$)/i;
/** A lone identifier with one of these names is the message, not a field. */
const MESSAGE_NAMES = /^(msg|message|text|line|banner)$/;
/** Property names that say little on their own: `rows.length` becomes `rowsLength`. */
const GENERIC_PROPS = new Set(['id', 'name', 'type', 'data', 'value', 'length', 'size', 'count', 'message', 'code', 'status', 'statusCode', 'result', 'key', 'url']);
/** `// eslint-disable-next-line no-console` above, or `// eslint-disable-line no-console` after: the author chose the console. */
const ESLINT_NEXT_LINE = /eslint-disable-next-line\b[^\n]*\bno-console\b/;
const ESLINT_LINE = /eslint-disable-line\b[^\n]*\bno-console\b/;
const ESLINT_FILE = /\/\*\s*eslint-disable\s+(?:[^*]*,\s*)?no-console\b/;

/**
 * The file implements the project's own logger (`class Logger`, or a top-level `log`/`logger`
 * that is not made by a logging library): its console calls are the logger's output.
 */
function definesLogger(ctx: Ctx): boolean {
  const f = ctx.facts;
  if (f.moduleNames.has('Logger') && !f.bindings.has('Logger')) return true;
  // the Session knows where the project's logger lives: another file's top-level `logger` is a user of it
  if (ctx.view.logger) return isLoggerModule(ctx);
  for (const name of ['log', 'logger']) {
    if (f.moduleNames.has(name) && !f.bindings.has(name) && f.logger?.name !== name) return true;
  }
  return false;
}

function isPropertyPath(e: ts.Expression, object: string, name: string): boolean {
  const x = skipOuter(e);
  return ts.isPropertyAccessExpression(x) && x.name.text === name &&
    (object === 'import' ? ts.isMetaProperty(x.expression) : ts.isIdentifier(x.expression) && x.expression.text === object);
}

/** `require.main === module`, `import.meta.main`: the file's command-line entry. */
function isCliCondition(cond: ts.Expression): boolean {
  const c = skipOuter(cond);
  if (isPropertyPath(c, 'import', 'main')) return true;
  if (!ts.isBinaryExpression(c)) return false;
  if (c.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken) return isCliCondition(c.left) || isCliCondition(c.right);
  if (c.operatorToken.kind !== ts.SyntaxKind.EqualsEqualsEqualsToken && c.operatorToken.kind !== ts.SyntaxKind.EqualsEqualsToken) return false;
  const isModule = (e: ts.Expression) => { const x = skipOuter(e); return ts.isIdentifier(x) && x.text === 'module'; };
  return (isPropertyPath(c.left, 'require', 'main') && isModule(c.right)) || (isPropertyPath(c.right, 'require', 'main') && isModule(c.left));
}

/**
 * Where console output is the intended channel: the CLI entry block, a development-only branch,
 * a `process.on('exit')` handler (the event loop is gone: asynchronous logger transports never
 * flush there, console writes synchronously), or code that runs inside a browser page.
 */
function consoleIsTheChannel(call: ts.CallExpression): boolean {
  return firstUp(call, channelStep, channelCache) !== undefined || inPageFunction(call);
}
const channelCache = new WeakMap<ts.Node, ts.Node | null>();
function channelStep(child: ts.Node, p: ts.Node): ts.Node | undefined {
  if ((ts.isIfStatement(p) && p.thenStatement === child && isCliCondition(p.expression)) || isDevBranch(child, p)) return p;
  if (isFunctionLike(p) && p.parent && ts.isCallExpression(p.parent) && p.parent.arguments.includes(p as ts.Expression)) {
    const c = p.parent;
    const ev = c.arguments[0] && skipOuter(c.arguments[0]);
    if (ts.isPropertyAccessExpression(c.expression) && /^(on|once|addListener|prependListener)$/.test(c.expression.name.text) &&
      ts.isIdentifier(c.expression.expression) && c.expression.expression.text === 'process' && ev && ts.isStringLiteralLike(ev) && ev.text === 'exit') return p;
  }
  return undefined;
}

/**
 * The statement after the console call's statement (other console lines skipped) is
 * `process.exit(…)`: nothing asynchronous flushes after it. Each block is read once, from its end
 * (`cache`): a block of 30,000 statements is not searched once per console call.
 */
function justBeforeExit(call: ts.CallExpression, cache: WeakMap<ts.Node, Set<ts.Statement>>): boolean {
  const st = call.parent;
  const block = st && ts.isExpressionStatement(st) ? st.parent : undefined;
  if (!block || !(ts.isBlock(block) || ts.isSourceFile(block) || ts.isCaseClause(block) || ts.isDefaultClause(block))) return false;
  let beforeExit = cache.get(block);
  if (!beforeExit) {
    beforeExit = new Set();
    const list = block.statements as ts.NodeArray<ts.Statement>;
    // walking back: `exitFollows` is whether the statements after list[i] reach process.exit through console lines only
    let exitFollows = false;
    for (let i = list.length - 1; i >= 0; i--) {
      if (exitFollows) beforeExit.add(list[i]);
      const kind = exitOrConsole(list[i]);
      exitFollows = kind === 'exit' || (kind === 'console' && exitFollows);
    }
    cache.set(block, beforeExit);
  }
  return beforeExit.has(st as ts.Statement);
}

function exitOrConsole(st: ts.Statement): 'exit' | 'console' | undefined {
  if (!ts.isExpressionStatement(st)) return undefined;
  const e = skipOuter(st.expression);
  if (!ts.isCallExpression(e) || !ts.isPropertyAccessExpression(e.expression) || !ts.isIdentifier(e.expression.expression)) return undefined;
  const [obj, method] = [e.expression.expression.text, e.expression.name.text];
  if (obj === 'process' && (method === 'exit' || method === 'abort')) return 'exit';
  return obj === 'console' ? 'console' : undefined;
}

/** The line above carries `eslint-disable-next-line no-console`, or the line itself `eslint-disable-line no-console`. */
/**
 * `// eslint-disable-next-line no-console` above the call or `// eslint-disable-line no-console`
 * on its line. Each line is read once per file (`seen`), so a file of thousands of console calls on
 * one long line stays linear; a file that never says eslint-disable is not read at all.
 */
function consoleAllowedByEslint(text: string, call: ts.CallExpression, sf: ts.SourceFile, seen: Map<number, boolean>): boolean {
  const start = call.getStart(sf);
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const cached = seen.get(lineStart);
  if (cached !== undefined) return cached;
  const prevStart = lineStart > 0 ? text.lastIndexOf('\n', lineStart - 2) + 1 : lineStart;
  const lineEnd = text.indexOf('\n', start);
  const allowed = (lineStart > 0 && ESLINT_NEXT_LINE.test(text.slice(prevStart, lineStart))) || ESLINT_LINE.test(text.slice(lineStart, lineEnd === -1 ? text.length : lineEnd));
  seen.set(lineStart, allowed);
  return allowed;
}

export const unstructuredLog = createRule({
  meta: {
    id: 'unstructured-log',
    checklist: 'monitor',
    severity: 'info',
    summary: 'console output in server code has no level, no fields and no request context: it cannot be queried, alerted on or correlated.',
    fixable: true,
    fileKinds: ['server'],
    messages: {
      unstructured: 'console.{{method}}() writes an unstructured line: no level to alert on, no fields to query, no request id to follow. Use the structured logger.',
    },
  },
  defaultOptions: {},
  create(ctx) {
    // a library or tool package (no server, database, queue or logger among its dependencies) talks to its user through the console;
    // browser code, test helpers and bootstrap files (telemetry/config preload, before any logger exists) are not service logs
    // an isomorphic workspace library (view.shared: imported by browser and server code) cannot use the back end's logger
    if (ctx.project.service === false || ctx.view.shared || LOGGER_FILE.test(ctx.fileName) || ctx.facts.moduleNames.has('console') || ctx.facts.bindings.has('console') ||
      definesLogger(ctx) || ESLINT_FILE.test(ctx.text)) return {};
    const eslintSays = ctx.text.includes('eslint-disable');
    const eslintLines = new Map<number, boolean>();
    const exitCache = new WeakMap<ts.Node, Set<ts.Statement>>();
    return {
      CallExpression(call) {
        const callee = call.expression;
        if (!ts.isPropertyAccessExpression(callee) || !ts.isIdentifier(callee.expression) || callee.expression.text !== 'console') return;
        const method = callee.name.text;
        const level = LEVELS[method];
        if (!level) return;
        // console.log() / console.log(''): a blank line in console output, no information to move
        const only = call.arguments.length === 1 ? skipOuter(call.arguments[0]) : undefined;
        if (call.arguments.length === 0 || (only && ts.isStringLiteralLike(only) && only.text.trim() === '')) return;
        if (consoleIsTheChannel(call) || justBeforeExit(call, exitCache) || (eslintSays && consoleAllowedByEslint(ctx.text, call, ctx.sourceFile, eslintLines))) return;
        ctx.report({ node: callee, messageId: 'unstructured', data: { method }, fix: () => buildFixes(call, level, ctx) });
      },
    };
  },
});

// ---- the fix --------------------------------------------------------------------------------

/** `err`, `error`, `new Error(…)`, `new HttpError(…)`: an error value worth the error key. */
function isErrorLike(e: ts.Expression): boolean {
  const x = skipOuter(e);
  if (ts.isIdentifier(x)) return ERROR_NAMES.test(x.text);
  if (ts.isNewExpression(x) && ts.isIdentifier(x.expression)) return /Error$/.test(x.expression.text);
  if (ts.isPropertyAccessExpression(x)) return ERROR_NAMES.test(x.name.text);
  return false;
}

/** `err.stack` / `err.message` log a part of the error: the error key logs all of it. */
function errorOf(e: ts.Expression): ts.Expression | undefined {
  const x = skipOuter(e);
  if (ts.isPropertyAccessExpression(x) && (x.name.text === 'stack' || x.name.text === 'message') && isErrorLike(x.expression)) return skipOuter(x.expression);
  return isErrorLike(x) ? x : undefined;
}

function lastName(e: ts.Expression): string | undefined {
  const x = skipOuter(e);
  if (ts.isIdentifier(x)) return x.text;
  if (ts.isPropertyAccessExpression(x)) return x.name.text;
  return undefined;
}

/** The field key for an argument: `port` → port, `req.body` → body, `rows.length` → rowsLength. */
function fieldKey(e: ts.Expression): string | undefined {
  const x = skipOuter(e);
  if (ts.isIdentifier(x)) return x.text;
  if (!ts.isPropertyAccessExpression(x)) return undefined;
  const name = x.name.text;
  if (!GENERIC_PROPS.has(name)) return name;
  const owner = x.expression.kind === ts.SyntaxKind.ThisKeyword ? undefined : lastName(x.expression);
  return owner ? owner + name[0].toUpperCase() + name.slice(1) : name;
}

/** Collects structured fields, keeping keys unique and clear of the library's own keys. */
class Fields {
  readonly items: string[] = [];
  private readonly used = new Set<string>();
  private extra = 0;
  constructor(private readonly reserved: ReadonlySet<string>) {}

  /** A key for the first value that has no name of its own: `console.log('totalInvestment', t.toNumber())`. */
  label?: string;

  add(key: string | undefined, text: string): void {
    if (!key && this.label && !this.used.has(this.label)) { key = this.label; this.label = undefined; }
    let k = key && this.reserved.has(key) ? `${key}Value` : key;
    if (!k || this.used.has(k)) k = this.nextData();
    this.used.add(k);
    this.items.push(k === text ? k : `${k}: ${text}`);
  }

  /**
   * Properties of `{ orderId, total: t }` become fields, an error-looking one goes to `takeError`;
   * false (nothing added) when the literal is not that simple.
   */
  addObject(obj: ts.ObjectLiteralExpression, sf: ts.SourceFile, takeError: (e: ts.Expression) => boolean): boolean {
    const props: [string, ts.Expression][] = [];
    for (const p of obj.properties) {
      const key = (ts.isShorthandPropertyAssignment(p) || ts.isPropertyAssignment(p)) ? propertyName(p.name) : undefined;
      if (!key || !/^[A-Za-z_$][\w$]*$/.test(key) || this.used.has(key) || this.reserved.has(key)) return false;
      props.push([key, ts.isShorthandPropertyAssignment(p) ? p.name : (p as ts.PropertyAssignment).initializer]);
    }
    let tookError = false;
    for (const [k, v] of props) {
      if (!tookError && isErrorLike(v) && takeError(v)) { tookError = true; continue; }
      this.add(k, v.getText(sf));
    }
    return true;
  }

  private nextData(): string {
    let k: string;
    do k = `data${this.extra++ ? this.extra : ''}`; while (this.used.has(k));
    return k;
  }
}

/**
 * The body of a string literal as written (escapes kept: `\x1b`, `\n`, `\'`), made safe inside a
 * template literal: backticks and `${` get escaped, existing escape sequences are copied whole.
 */
function templateBody(raw: string): string {
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === '\\') { out += raw.slice(i, i + 2); i++; continue; }
    if (c === '`') out += '\\`';
    else if (c === '$' && raw[i + 1] === '{') out += '\\$';
    else out += c;
  }
  return out;
}

/**
 * `'listening on %s:%d', host, port` → `` `listening on ${host}:${port}` `` (util.format's
 * %s/%d/%i/%f). Works on the literal as written so its escapes survive. Returns undefined when
 * the format uses %o/%O/%j/%c, which print objects or styles.
 */
function interpolate(literal: ts.StringLiteral | ts.NoSubstitutionTemplateLiteral, args: ts.Expression[], sf: ts.SourceFile): { msg: string; used: ts.Expression[] } | undefined {
  const raw = literal.getText(sf).slice(1, -1);
  const used: ts.Expression[] = [];
  let out = '';
  let last = 0;
  const re = /\\[\s\S]|%([sdifjoOc%])/g;
  for (let m = re.exec(raw); m; m = re.exec(raw)) {
    if (!m[1]) continue; // an escape sequence: not a placeholder
    out += templateBody(raw.slice(last, m.index));
    last = m.index + 2;
    if (m[1] === '%') { out += '%'; continue; }
    if (!/[sdif]/.test(m[1])) return undefined;
    const arg = args[used.length];
    if (!arg) { out += m[0]; continue; }
    used.push(arg);
    out += `\${${arg.getText(sf)}}`;
  }
  return { msg: `\`${out}${templateBody(raw.slice(last))}\``, used };
}

/** `'charge failed:'` → `'charge failed'` once the values after it have moved to fields. */
function trimSeparator(msg: string): string {
  // by hand, from the end: a regular expression with a lazy body before `\s*[:=-–]\s*` was
  // quadratic in the length of a run of spaces
  const q = msg[0];
  if (msg.length < 3 || (q !== "'" && q !== '"' && q !== '`') || msg[msg.length - 1] !== q) return msg;
  let end = msg.length - 1;
  while (end > 1 && /\s/.test(msg[end - 1])) end--;
  if (end <= 1 || !':=-–'.includes(msg[end - 1])) return msg;
  end--;
  while (end > 1 && /\s/.test(msg[end - 1])) end--;
  const body = msg.slice(1, end);
  if (!body || body.endsWith('\\')) return msg;
  return `${q}${body}${q}`;
}

function buildFixes(call: ts.CallExpression, level: Level, ctx: Ctx): Fix[] {
  if (call.arguments.some((a) => ts.isSpreadElement(a))) return [];
  // only rewrite statements whose value is not used: console.x() returns undefined, a logger may not
  if (!ts.isExpressionStatement(call.parent) && !(ts.isArrowFunction(call.parent) && call.parent.body === call)) return [];
  const logger = chooseLogger(ctx, call);
  // the project has a logger this spot cannot reach: no edit, and no claim that none exists
  if (!logger && ctx.view.logger) return [];
  if (!logger) {
    return [{
      title: 'Configure a structured logger for Failpath (failpath.logger) — no logger found in this project',
      edits: [],
      command: { title: 'Open failpath.logger setting', command: 'workbench.action.openSettings', arguments: ['failpath.logger'] },
    }];
  }
  const code = rewrite(call, level, logger, ctx);
  if (!code) return [];
  return [{
    title: `Log with ${logger.describe}`,
    edits: [...logger.setup, { start: call.getStart(ctx.sourceFile), end: call.getEnd(), newText: code }],
    isPreferred: true,
    // a guessed argument order is for a person to confirm, not for fix-all
    safe: !logger.assumed,
  }];
}

/** The logger call replacing `call`, or undefined when the arguments cannot be mapped faithfully. */
function rewrite(call: ts.CallExpression, level: Level, logger: LoggerChoice, ctx: Ctx): string | undefined {
  const sf = ctx.sourceFile;
  let args = [...call.arguments];
  let msg: string | undefined;
  const first = args[0] && skipOuter(args[0]);
  if (first && ts.isStringLiteral(first) || first && ts.isNoSubstitutionTemplateLiteral(first)) {
    args.shift();
    if (/%[sdifjoOc]/.test(first.text)) {
      const f = interpolate(first, args, sf);
      if (!f) return undefined;
      msg = f.used.length ? f.msg : first.getText(sf);
      // an interpolated error still goes to the error key: the message has its text, not its stack
      args = args.filter((a) => !f.used.includes(a) || errorOf(a));
    } else {
      msg = first.getText(sf);
    }
  } else if (first && ts.isTemplateExpression(first)) {
    if ([first.head, ...first.templateSpans.map((s) => s.literal)].some((l) => /%[sdifjoOc]/.test(l.text))) return undefined;
    msg = args.shift()!.getText(sf);
  } else if (first && ts.isIdentifier(first) && MESSAGE_NAMES.test(first.text) && args.length === 1) {
    msg = args.shift()!.getText(sf);
  }
  let errExpr: string | undefined;
  const fields = new Fields(logger.style === 'console' ? new Set() : new Set(KNOWLEDGE.loggerReservedKeys(logger.style as LoggerStyle)));
  // a message that is a name ('totalInvestment', 'order.quantity') labels the value after it
  const label = first && ts.isStringLiteral(first) && /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/.test(first.text) ? first.text : undefined;
  if (label) fields.label = label.split('.').map((p, i) => (i ? p[0].toUpperCase() + p.slice(1) : p)).join('');
  for (const a of args) {
    const x = skipOuter(a);
    const err = errorOf(a);
    if (err && (!errExpr || errExpr === err.getText(sf))) { errExpr = err.getText(sf); continue; }
    const takeError = (e: ts.Expression) => (errExpr ? false : (errExpr = e.getText(sf), true));
    if (ts.isObjectLiteralExpression(x) && x.properties.length && fields.addObject(x, sf, takeError)) continue;
    fields.add(fieldKey(a), a.getText(sf));
  }
  if (!msg) {
    const name = nearestFunctionName(call) ?? ctx.fileName.replace(/\\/g, '/').split('/').pop()!.replace(/\.[^.]+$/, '');
    msg = JSON.stringify(level === 'error' ? `${name} failed` : name).replace(/"/g, ctx.style.quote);
  } else if (args.length) {
    msg = trimSeparator(msg);
  }
  return logCallExpr(logger, level, msg, errExpr, fields.items);
}
