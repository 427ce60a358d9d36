/**
 * unstructured-log — console.log/info/warn/error/debug/trace in server code.
 *
 * Before:  console.error('charge failed', err, orderId);
 * After:   logger.error({ err, orderId }, 'charge failed');          (pino, bunyan)
 *          logger.error('charge failed', { error: err, orderId });   (winston)
 *
 * The fix uses the logger already in the file, then `failpath.logger`, then the logger library in
 * package.json (creating a module logger). With none, it offers to configure one instead of
 * inventing a dependency. Test files, scripts, CLIs and browser code are out of scope; so are
 * console.table/time/dir/count (developer tools, not logs) and the logger implementation itself.
 */
import * as ts from 'typescript';
import { defineRule, type Fix, type RuleContext } from '../engine/types';
import { skipOuter } from '../engine/facts';
import { enclosingFunction, functionName } from '../engine/ast';
import { chooseLogger, logCallExpr, type Level } from '../fixes/logger';

const LEVELS: Record<string, Level> = { log: 'info', info: 'info', warn: 'warn', error: 'error', debug: 'debug', trace: 'debug' };
const ERROR_NAMES = /^(err|error|e|ex|exc|exception|cause|reason|failure)$/i;
const LOGGER_FILE = /(^|[\\/])(logger|logging|log|logs)([\\/]|(\.[\w-]+)?\.[cm]?[jt]s$)/i;

/**
 * The file implements the project's own logger (`class Logger`, or a top-level `log`/`logger`
 * that is not made by a logging library): its console calls are the logger's output.
 */
function definesLogger(ctx: RuleContext): boolean {
  const f = ctx.facts;
  if (f.moduleNames.has('Logger') && !f.bindings.has('Logger')) return true;
  for (const name of ['log', 'logger']) {
    if (f.moduleNames.has(name) && !f.bindings.has(name) && f.logger?.name !== name) return true;
  }
  return false;
}

/** `if (require.main === module) { … }` — the file's CLI entry, where console output is the UI. */
function inCliEntry(node: ts.Node): boolean {
  for (let p = node.parent; p; p = p.parent) {
    if (ts.isIfStatement(p)) {
      const t = p.expression.getText();
      if (/require\.main\s*===?\s*module/.test(t) || /import\.meta\.main/.test(t)) return true;
    }
  }
  return false;
}

function fieldName(e: ts.Expression): string | undefined {
  const x = skipOuter(e);
  if (ts.isIdentifier(x)) return x.text;
  if (ts.isPropertyAccessExpression(x)) return x.name.text;
  return undefined;
}

function isErrorLike(e: ts.Expression): boolean {
  const x = skipOuter(e);
  if (ts.isIdentifier(x)) return ERROR_NAMES.test(x.text);
  if (ts.isNewExpression(x) && ts.isIdentifier(x.expression)) return /Error$/.test(x.expression.text);
  if (ts.isPropertyAccessExpression(x)) return ERROR_NAMES.test(x.name.text) && x.name.text !== 'message' && x.name.text !== 'stack';
  return false;
}

export const unstructuredLog = defineRule({
  id: 'unstructured-log',
  checklist: 'monitor',
  severity: 'warning',
  summary: 'console output in server code has no level, no fields and no request context: it cannot be queried, alerted on or correlated.',
  fixable: true,
  fileKinds: ['server'],
  // a library or tool package (no server, database, queue or logger among its dependencies) talks to its user through the console
  applies: (ctx) => ctx.project.service !== false && !LOGGER_FILE.test(ctx.fileName) && !ctx.facts.moduleNames.has('console') && !ctx.facts.bindings.has('console') && !definesLogger(ctx),
  visit: {
    CallExpression(call, ctx) {
      const callee = call.expression;
      if (!ts.isPropertyAccessExpression(callee) || !ts.isIdentifier(callee.expression) || callee.expression.text !== 'console') return;
      const method = callee.name.text;
      const level = LEVELS[method];
      if (!level) return;
      if (inCliEntry(call)) return;
      const fixes = buildFixes(call, level, ctx);
      ctx.report({
        node: callee,
        message: `console.${method}() writes an unstructured line: no level to alert on, no fields to query, no request id to follow. Use the structured logger.`,
        fixes,
      });
    },
  },
});

function buildFixes(call: ts.CallExpression, level: Level, ctx: RuleContext): Fix[] {
  if (call.arguments.some((a) => ts.isSpreadElement(a))) return [];
  // only rewrite statements whose value is not used: console.x() returns undefined, a logger may not
  if (!ts.isExpressionStatement(call.parent) && !(ts.isArrowFunction(call.parent) && call.parent.body === call)) return [];
  const logger = chooseLogger(ctx, call);
  if (!logger) {
    return [{
      title: 'Configure a structured logger for Failpath (failpath.logger) — no logger found in this project',
      edits: [],
      command: { title: 'Open failpath.logger setting', command: 'workbench.action.openSettings', arguments: ['failpath.logger'] },
    }];
  }
  const sf = ctx.sourceFile;
  const args = [...call.arguments];
  let msg: string | undefined;
  const first = args[0] && skipOuter(args[0]);
  if (first && (ts.isStringLiteralLike(first) || ts.isTemplateExpression(first))) {
    msg = args.shift()!.getText(sf);
  }
  let errExpr: string | undefined;
  const fields: string[] = [];
  const used = new Set<string>();
  let extra = 0;
  for (const a of args) {
    const text = a.getText(sf);
    if (!errExpr && isErrorLike(a)) { errExpr = text; continue; }
    let key = fieldName(a);
    if (!key || used.has(key)) key = `data${extra++ ? extra : ''}`;
    while (used.has(key)) key = `data${++extra}`;
    used.add(key);
    fields.push(ts.isIdentifier(skipOuter(a)) && key === text ? key : `${key}: ${text}`);
  }
  if (!msg) {
    const fn = enclosingFunction(call);
    const name = (fn && functionName(fn)) ?? ctx.fileName.replace(/\\/g, '/').split('/').pop()!.replace(/\.[^.]+$/, '');
    msg = JSON.stringify(level === 'error' ? `${name} failed` : name).replace(/"/g, ctx.style.quote);
  }
  // pino/bunyan want `err` as the key; when the expression is named `err` already, shorthand works
  const code = logCallExpr(logger, level, msg, errExpr, fields);
  return [{
    title: `Log with ${logger.describe}`,
    edits: [...logger.setup, { start: call.getStart(sf), end: call.getEnd(), newText: code }],
    isPreferred: true,
    safe: true,
  }];
}
