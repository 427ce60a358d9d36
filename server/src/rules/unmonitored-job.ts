/**
 * unmonitored-job — a scheduled or queued job whose failures nobody sees.
 *
 * Before:  setInterval(async () => {
 *            await syncRates();
 *          }, 60_000);
 * After:   setInterval(async () => {
 *            const started = Date.now();
 *            try {
 *              await syncRates();
 *              logger.info({ job: 'syncRates', ms: Date.now() - started }, 'job done');
 *            } catch (err) {
 *              logger.error({ err, job: 'syncRates', ms: Date.now() - started }, 'job failed');
 *            }
 *          }, 60_000);
 *
 * Jobs: `setInterval`, node-cron `cron.schedule`, cron `new CronJob` / `CronJob.from`,
 * node-schedule `scheduleJob`, agenda `define`, bull `queue.process`, bullmq `new Worker`.
 * Reported when the job's own code awaits an external call (or a function of this file that
 * does) outside any try/catch: what happens then depends on the scheduler — an
 * unhandledRejection that ends the process (setInterval, cron), an error node-cron swallows into
 * an event nobody listens to, or a failed job only Redis knows about (bull, bullmq, agenda) —
 * and in every case nobody sees that the job failed or how long it ran.
 *
 * Silent when the job handles its errors (a try/catch or `.catch()` in its body or in the
 * function it delegates to), when the file listens for the scheduler's failure events
 * (`worker.on('failed')`, `agenda.on('fail')`, `task.on('execution:failed')`, QueueEvents), when
 * cron's `errorHandler` is set, when the job delegates to a function of another file (its
 * handling cannot be seen), and for NestJS `@Cron`/`@Interval` methods (@nestjs/schedule
 * catches and logs their errors).
 *
 * Which calls register jobs (member path, where the callback and the name are, the error-handler
 * option, queue processors), which events report failures and which constructors observe them
 * come from the knowledge table (`schedulerOf`, `jobFailureEvents`).
 *
 * From the project (ctx.view): files whose role is not server code (tests, scripts, browser code,
 * bootstrap) and jobs registered inside browser code of a server module (a React component's
 * polling `setInterval`) are skipped; a job that delegates to an imported function is judged by
 * that function's summary (`view.summaryOf`): it is exposed when the function does external I/O,
 * can reject and does not catch everything.
 *
 * The fix wraps the body in try/catch with a start time and structured logs carrying the job
 * name and duration; queue processors rethrow so the queue still marks the job failed and
 * retries it. Not offered when the body returns values (the success log would be skipped) or
 * when the callback is a function of another file.
 */
import ts = require('typescript');
import { createRule, type Fix, type RuleContext, type TextEdit } from '../engine/types';
import { skipOuter } from '../engine/facts';
import { isExampleProject } from '../engine/project';
import { findProperty, isAsyncFunction, isFunctionLike, lineIndentAt, functionName, type FunctionLike } from '../engine/ast';
import { calledLocalFunction, externalCall, isBrowserGlobalAccess, localFunction, mentions, thisMethod } from '../engine/calls';
import { chooseLogger, consoleLogger, logCall, type LoggerChoice } from '../fixes/logger';
import { quoteString, semi } from '../engine/style';
import { KNOWLEDGE, type JobShape, LIB } from '../knowledge';

/** What happens to a failure by default: interval/timer: unhandled rejection; swallowed: an event nobody hears; unhandled: left unhandled; processor: a failed job in the queue's store. */
type JobKind = 'interval' | 'timer' | 'swallowed' | 'unhandled' | 'processor';

interface Job {
  kind: JobKind;
  lib: string;
  /** What to underline: the registration's callee. */
  at: ts.Node;
  callback: ts.Expression;
  explicitName?: string;
  /** For processors: the variable holding the worker/queue/agenda, if any. */
  holder?: string;
}

function stringArg(e: ts.Expression | undefined): string | undefined {
  const x = e && skipOuter(e);
  return x && ts.isStringLiteralLike(x) ? x.text : undefined;
}

function isFn(e: ts.Expression | undefined): boolean {
  const x = e && skipOuter(e);
  return !!x && (ts.isArrowFunction(x) || ts.isFunctionExpression(x));
}

/** Was the receiver created in this file by `new X()`/`X()` where X comes from one of `modules`? */
function createdFrom(recv: ts.Expression, modules: readonly string[], ctx: RuleContext): string | undefined {
  const r = skipOuter(recv);
  let name: string | undefined;
  let init: ts.Expression | undefined;
  if (ts.isIdentifier(r)) {
    name = r.text;
    init = variableInit(r.text, r);
  } else if (ts.isPropertyAccessExpression(r) && r.expression.kind === ts.SyntaxKind.ThisKeyword) {
    name = `this.${r.name.text}`;
    let p: ts.Node | undefined = r.parent;
    while (p && !ts.isClassLike(p)) p = p.parent;
    const member = p?.members.find((m) => ts.isPropertyDeclaration(m) && m.name.getText() === r.name.text) as ts.PropertyDeclaration | undefined;
    init = member?.initializer;
  } else if (ts.isNewExpression(r) || ts.isCallExpression(r)) {
    init = r;
  }
  if (!init) return undefined;
  let x = skipOuter(init);
  if (ts.isAwaitExpression(x)) x = skipOuter(x.expression);
  if (!ts.isNewExpression(x) && !ts.isCallExpression(x)) return undefined;
  let root: ts.Expression = x.expression;
  while (ts.isPropertyAccessExpression(root)) root = root.expression;
  if (!ts.isIdentifier(root)) return undefined;
  const b = ctx.facts.bindings.get(root.text);
  return b && modules.includes(b.module) ? name ?? '' : undefined;
}

function variableInit(name: string, from: ts.Node): ts.Expression | undefined {
  let p: ts.Node | undefined = from.parent;
  while (p) {
    if (ts.isBlock(p) || ts.isSourceFile(p)) {
      for (const st of p.statements) {
        if (!ts.isVariableStatement(st)) continue;
        for (const d of st.declarationList.declarations) if (ts.isIdentifier(d.name) && d.name.text === name) return d.initializer;
      }
    }
    p = p.parent;
  }
  return undefined;
}

function isExported(name: string, ctx: RuleContext): boolean {
  for (const st of ctx.sourceFile.statements) {
    if (ts.isVariableStatement(st) && st.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword) &&
      st.declarationList.declarations.some((d) => ts.isIdentifier(d.name) && d.name.text === name)) return true;
    if (ts.isExportDeclaration(st) && st.exportClause && ts.isNamedExports(st.exportClause) && st.exportClause.elements.some((e) => (e.propertyName ?? e.name).text === name)) return true;
    if (ts.isExportAssignment(st) && ts.isIdentifier(st.expression) && st.expression.text === name) return true;
  }
  return false;
}

// ---- what the job does -------------------------------------------------------------------------

/** The job's work: the callback function, or the local function it delegates to. */
interface Work {
  /** The function literal passed as callback, if any (where a fix can edit). */
  literal?: ts.ArrowFunction | ts.FunctionExpression;
  /** A named callback of this file (`setInterval(sync, …)`). */
  reference?: FunctionLike;
  /** The awaited external call (or delegating call) that can fail unhandled. */
  exposed: ts.Node;
  /** A name for the job taken from the code. */
  name?: string;
}

/** `catch (e) { throw e; }` handles nothing. */
function onlyRethrows(block: ts.Block): boolean {
  return block.statements.length > 0 && block.statements.every((st) => ts.isThrowStatement(st));
}

/** Handles its own errors: a try/catch (or a `.catch()`) anywhere in its body outside nested functions. */
function handlesErrors(fn: FunctionLike): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (n !== fn && (isFunctionLike(n) || ts.isClassLike(n))) return;
    if (ts.isTryStatement(n) && n.catchClause && !onlyRethrows(n.catchClause.block)) { found = true; return; }
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && n.expression.name.text === 'catch') { found = true; return; }
    ts.forEachChild(n, visit);
  };
  visit(fn);
  return found;
}

/** The first awaited (or returned, for expression bodies) call in `fn` that can fail unhandled. */
function exposedCall(fn: FunctionLike, ctx: RuleContext, depth: number): ts.Node | undefined {
  if (handlesErrors(fn)) return undefined;
  const body = fn.body;
  if (!body) return undefined;
  if (!ts.isBlock(body)) return exposedExpression(body, ctx, depth);
  if (!isAsyncFunction(fn)) return undefined;
  let hit: ts.Node | undefined;
  const visit = (n: ts.Node): void => {
    if (hit) return;
    if (isFunctionLike(n) || ts.isClassLike(n)) return;
    if (ts.isAwaitExpression(n) || (ts.isReturnStatement(n) && n.expression)) {
      const e = skipOuter((n as ts.AwaitExpression | ts.ReturnStatement).expression!);
      if (externalCall(e, ctx.facts, ctx.project, ctx.config.externalModules)) { hit = n; return; }
      if (ts.isCallExpression(e) && depth < 2) {
        const local = calledLocalFunction(e, ctx.facts);
        if (local && exposedCall(local, ctx, depth + 1)) { hit = n; return; }
        if (!local && importedExposed(e, ctx)) { hit = n; return; }
      }
    }
    ts.forEachChild(n, visit);
  };
  body.statements.forEach(visit);
  return hit;
}

function exposedExpression(expr: ts.Expression, ctx: RuleContext, depth: number): ts.Node | undefined {
  let e = skipOuter(expr);
  if (ts.isVoidExpression(e) || ts.isAwaitExpression(e)) e = skipOuter(e.expression);
  if (!ts.isCallExpression(e)) return undefined;
  if (externalCall(e, ctx.facts, ctx.project, ctx.config.externalModules)) return e;
  if (depth >= 2) return undefined;
  const local = calledLocalFunction(e, ctx.facts);
  if (!local) return importedExposed(e, ctx) ? e : undefined;
  return exposedCall(local, ctx, depth + 1) ? e : undefined;
}

/**
 * A call to a function imported from another project file whose summary (view.summaryOf) says it
 * does external I/O, can reject and does not catch everything: its failure reaches the job.
 */
function importedExposed(call: ts.CallExpression, ctx: RuleContext): boolean {
  const c = skipOuter(call.expression);
  if (!ts.isIdentifier(c)) return false;
  const b = ctx.facts.bindings.get(c.text);
  if (!b || b.imported === '*') return false;
  const summary = ctx.view.summaryOf(b.module, b.imported);
  return !!summary && summary.io !== undefined && summary.canReject && !summary.catchesAll;
}

/** The name of the function of this file that an expression delegates to: `syncRates()`, `this.refresh()`. */
function delegateName(expr: ts.Expression, ctx: RuleContext): string | undefined {
  let e = skipOuter(expr);
  if (ts.isVoidExpression(e) || ts.isAwaitExpression(e)) e = skipOuter(e.expression);
  if (!ts.isCallExpression(e)) return undefined;
  const c = skipOuter(e.expression);
  if (!calledLocalFunction(e, ctx.facts) && !(ts.isIdentifier(c) && ctx.facts.bindings.has(c.text))) return undefined;
  return ts.isIdentifier(c) ? c.text : ts.isPropertyAccessExpression(c) ? c.name.text : undefined;
}

function workOf(job: Job, ctx: RuleContext): Work | undefined {
  const cb = skipOuter(job.callback);
  if (ts.isArrowFunction(cb) || ts.isFunctionExpression(cb)) {
    const exposed = exposedCall(cb, ctx, 0);
    if (!exposed) return undefined;
    const name = (ts.isFunctionExpression(cb) && cb.name?.text) || (!ts.isBlock(cb.body) ? delegateName(cb.body, ctx) : singleDelegate(cb.body, ctx));
    return { literal: cb, exposed, name };
  }
  let fn: FunctionLike | undefined;
  let name: string | undefined;
  if (ts.isIdentifier(cb)) { fn = localFunction(cb.text, cb, ctx.facts); name = cb.text; }
  else if (ts.isPropertyAccessExpression(cb) && cb.expression.kind === ts.SyntaxKind.ThisKeyword) { fn = thisMethod(cb.name.text, cb); name = cb.name.text; }
  else if (ts.isCallExpression(cb) && ts.isPropertyAccessExpression(cb.expression) && cb.expression.name.text === 'bind') {
    const target = skipOuter(cb.expression.expression);
    if (ts.isPropertyAccessExpression(target) && target.expression.kind === ts.SyntaxKind.ThisKeyword) { fn = thisMethod(target.name.text, target); name = target.name.text; }
  }
  if (!fn) return undefined;
  const exposed = exposedCall(fn, ctx, 0);
  return exposed ? { reference: fn, exposed, name } : undefined;
}

/** `{ await syncRates(); }` → 'syncRates': the name of the only call a block body makes. */
function singleDelegate(block: ts.Block, ctx: RuleContext): string | undefined {
  if (block.statements.length !== 1) return undefined;
  const st = block.statements[0];
  return ts.isExpressionStatement(st) ? delegateName(st.expression, ctx) : undefined;
}

function jobName(job: Job, work: Work): string {
  if (job.explicitName) return job.explicitName;
  if (work.name) return work.name;
  // const heartbeat = setInterval(…) / this.timer = setInterval(…)
  let reg: ts.Node = job.at;
  while (reg.parent && !ts.isCallExpression(reg) && !ts.isNewExpression(reg)) reg = reg.parent;
  const p = reg.parent;
  if (p && ts.isVariableDeclaration(p) && ts.isIdentifier(p.name)) return p.name.text;
  if (p && ts.isBinaryExpression(p) && ts.isPropertyAccessExpression(p.left)) return p.left.name.text;
  let f: ts.Node | undefined = reg.parent;
  while (f && !isFunctionLike(f)) f = f.parent;
  const owner = f && isFunctionLike(f) ? functionName(f) : undefined;
  if (owner) return owner;
  const schedule = job.kind !== 'interval' && job.kind !== 'processor' && (ts.isCallExpression(reg) || ts.isNewExpression(reg)) ? stringArg(reg.arguments?.[0]) : undefined;
  return schedule ? `${job.lib} ${schedule}` : job.kind === 'interval' ? 'interval job' : `${job.lib} job`;
}

// ---- fix ---------------------------------------------------------------------------------------

function returnsValues(fn: FunctionLike): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (n !== fn && (isFunctionLike(n) || ts.isClassLike(n))) return;
    if (ts.isReturnStatement(n)) { found = true; return; }
    ts.forEachChild(n, visit);
  };
  if (fn.body) visit(fn.body);
  return found;
}

function logLines(ctx: RuleContext, logger: LoggerChoice, name: string, started: string): { done: string; failed: string } {
  if (logger.style === 'nestjs') {
    const safe = name.replace(/[`\\$]/g, '');
    return {
      done: `${logger.expr}.log(\`job ${safe} done in \${Date.now() - ${started}} ms\`)`,
      failed: `${logger.expr}.error(\`job ${safe} failed after \${Date.now() - ${started}} ms\`, err instanceof Error ? err.stack : String(err))`,
    };
  }
  const fields = [`job: ${quoteString(ctx.style, name)}`, `ms: Date.now() - ${started}`];
  return { done: logCall(ctx, logger, 'info', 'job done', undefined, fields), failed: logCall(ctx, logger, 'error', 'job failed', 'err', fields) };
}

/** The wrapped statements, each line prefixed with `indent`. */
function wrappedBody(ctx: RuleContext, work: string[], indent: string, logs: { done: string; failed: string }, started: string, rethrow: boolean): string {
  const u = ctx.style.indent;
  const eol = ctx.style.eol;
  const s = semi(ctx.style);
  const lines = [
    `${indent}const ${started} = Date.now()${s}`,
    `${indent}try {`,
    ...work.map((l) => (l.trim() === '' ? '' : `${indent}${u}${l}`)),
    `${indent}${u}${logs.done}${s}`,
    `${indent}} catch (err) {`,
    `${indent}${u}${logs.failed}${s}`,
    ...(rethrow ? [`${indent}${u}throw err${s}`] : []),
    `${indent}}`,
  ];
  return lines.join(eol);
}

/** The body's statements as lines relative to the body's indentation. */
function bodyLines(ctx: RuleContext, block: ts.Block): string[] | undefined {
  const sf = ctx.sourceFile;
  const text = ctx.text;
  const stmts = block.statements;
  if (stmts.length === 0) return undefined;
  const from = stmts[0].getFullStart();
  const to = stmts[stmts.length - 1].getEnd();
  // keep comments that precede the first statement; drop the blank line after `{`
  let chunk = text.slice(from, to).replace(/^[ \t]*\r?\n/, '');
  const trailing = text.slice(to, block.getEnd() - 1);
  if (/\/[/*]/.test(trailing)) chunk += trailing.trimEnd();
  const firstIndent = text.slice(from, stmts[0].getStart(sf)).includes('\n') || lineStartsAt(text, stmts[0].getStart(sf))
    ? lineIndentAt(text, stmts[0].getStart(sf)) : '';
  return chunk.split(/\r?\n/).map((l, i) => {
    if (i === 0 && (firstIndent === '' || !l.startsWith(firstIndent))) return l.trimStart();
    return l.startsWith(firstIndent) ? l.slice(firstIndent.length) : l.trimStart();
  });
}

function lineStartsAt(text: string, offset: number): boolean {
  let i = offset - 1;
  while (i >= 0 && (text[i] === ' ' || text[i] === '\t')) i--;
  return i < 0 || text[i] === '\n';
}

function buildFix(job: Job, work: Work, ctx: RuleContext, name: string): Fix | undefined {
  const sf = ctx.sourceFile;
  const text = ctx.text;
  const eol = ctx.style.eol;
  const unit = ctx.style.indent;
  const s = semi(ctx.style);
  const rethrow = job.kind === 'processor';
  const started = 'started';
  const lit = work.literal;
  if (lit && mentions(lit, started)) return undefined;
  const regIndent = lineIndentAt(text, job.at.getStart(sf));
  const anchor = lit ?? job.callback;
  const logger = chooseLogger(ctx, anchor) ?? consoleLogger();
  const logs = logLines(ctx, logger, name, started);
  const how = `Wrap the job in try/catch with structured logs (job name and duration) using ${logger.describe}`;
  const setup: TextEdit[] = logger.setup;

  if (lit && ts.isBlock(lit.body)) {
    if (returnsValues(lit)) return undefined;
    const block = lit.body;
    const lines = bodyLines(ctx, block);
    if (!lines) return undefined;
    const closeOnOwnLine = lineStartsAt(text, block.getEnd() - 1);
    const closeIndent = closeOnOwnLine ? lineIndentAt(text, block.getEnd() - 1) : lineIndentAt(text, block.getStart(sf));
    const firstStmt = block.statements[0];
    const bodyIndent = lineStartsAt(text, firstStmt.getStart(sf)) ? lineIndentAt(text, firstStmt.getStart(sf)) : closeIndent + unit;
    const newBlock = `{${eol}${wrappedBody(ctx, lines, bodyIndent, logs, started, rethrow)}${eol}${closeIndent}}`;
    return { title: how, edits: [...setup, { start: block.getStart(sf), end: block.getEnd(), newText: newBlock }], isPreferred: true, safe: !rethrow };
  }

  // expression body or a named function: build an async arrow around one awaited call
  let callText: string;
  let params = '';
  let target: ts.Node;
  if (lit) {
    let e = skipOuter(lit.body as ts.Expression);
    if (ts.isVoidExpression(e) || ts.isAwaitExpression(e)) e = skipOuter(e.expression);
    callText = e.getText(sf);
    if (callText.includes('\n')) return undefined;
    params = lit.parameters.map((p) => p.getText(sf)).join(', ');
    if (lit.parameters.some((p) => mentions(p, started))) return undefined;
    target = lit;
  } else {
    const fn = work.reference!;
    if (fn.parameters.length > 0) return undefined; // the scheduler passes arguments the wrapper would drop
    callText = `${skipOuter(job.callback).getText(sf).replace(/\.bind\(this\)$/, '')}()`;
    target = job.callback;
  }
  const bodyIndent = regIndent + unit;
  const arrow = `async (${params}) => {${eol}${wrappedBody(ctx, [`await ${callText}${s}`], bodyIndent, logs, started, rethrow)}${eol}${regIndent}}`;
  return { title: how, edits: [...setup, { start: target.getStart(sf), end: target.getEnd(), newText: arrow }], isPreferred: true, safe: !rethrow };
}

// ---- registrations (knowledge: schedulerOf) ---------------------------------------------------

/** The callback a job shape names in a call's arguments, unless the job installs its own error handler. */
function callbackOf(shape: JobShape, args: readonly ts.Expression[]): ts.Expression | undefined | 'handled' {
  if (shape.minArgs !== undefined && args.length < shape.minArgs) return undefined;
  if (shape.maxArgs !== undefined && args.length > shape.maxArgs) return undefined;
  if (typeof shape.callback === 'number') return args[shape.callback];
  if (shape.callback === 'last') return args[args.length - 1];
  const opts = args[0] && skipOuter(args[0]);
  if (!opts || !ts.isObjectLiteralExpression(opts)) return undefined;
  if (shape.errorHandlerOption && findProperty(opts, shape.errorHandlerOption)) return 'handled';
  const p = findProperty(opts, shape.callback.option);
  return p && ts.isPropertyAssignment(p) ? p.initializer : undefined;
}

function nameOf(shape: JobShape, args: readonly ts.Expression[]): string | undefined {
  const n = shape.name;
  if (!n || (n.minArgs !== undefined && args.length < n.minArgs)) return undefined;
  const arg = args[n.argument] && skipOuter(args[n.argument]);
  if (!arg) return undefined;
  if (n.option === undefined) return stringArg(arg);
  if (!ts.isObjectLiteralExpression(arg)) return undefined;
  const p = findProperty(arg, n.option);
  return p && ts.isPropertyAssignment(p) ? stringArg(p.initializer) : undefined;
}

function kindOf(libraryId: string, shape: JobShape): JobKind {
  if (shape.processor) return 'processor';
  if (libraryId === LIB.nodeCron) return 'swallowed';
  if (libraryId === LIB.nodeSchedule) return 'unhandled';
  return 'timer';
}

const modulesByMethod = new Map<string, string[]>();
/** Modules whose scheduler registers jobs with `<client>.<method>(…)` (agenda.define, queue.process); the knowledge table is fixed, so read once per method. */
function methodModules(method: string): string[] {
  const known = modulesByMethod.get(method);
  if (known) return known;
  const out: string[] = [];
  for (const r of KNOWLEDGE.librariesWithRole('queue').concat(KNOWLEDGE.librariesWithRole('scheduler'))) {
    if (r.scheduler?.jobs.some((j) => j.call === 'method' && j.path.length === 1 && j.path[0] === method)) out.push(...r.modules);
  }
  const modules = [...new Set(out)];
  if (modulesByMethod.size < 10_000) modulesByMethod.set(method, modules);
  return modules;
}

/** Does an event name report a job failure (`failed`, `fail:sendEmail`, `execution:failed`)? */
function isFailureEvent(ev: string, events: readonly string[]): boolean {
  return events.some((e) => (e.endsWith(':') ? ev.startsWith(e) && ev.length > e.length : ev === e));
}

// ---- messages ----------------------------------------------------------------------------------

const CONSEQUENCE: Record<JobKind, 'timerJob' | 'swallowedJob' | 'unhandledJob' | 'processorJob'> = {
  interval: 'timerJob', timer: 'timerJob', swallowed: 'swallowedJob', unhandled: 'unhandledJob', processor: 'processorJob',
};

const ADVICE = 'Nobody sees that it failed or how long it ran. Wrap its body in try/catch with structured logs carrying the job name and duration.';

export const unmonitoredJob = createRule({
  meta: {
    id: 'unmonitored-job',
    checklist: 'monitor',
    severity: 'warning',
    summary: 'A scheduled or queued job whose failures are neither caught nor logged fails silently (or takes the process down), and nobody sees when it stopped working or how long it runs.',
    fixable: true,
    fileKinds: ['server'],
    messages: {
      timerJob: `The {{label}} '{{name}}' neither catches nor logs its failures: when it throws, the rejection is an unhandledRejection (Node exits by default) or, with a handler installed, a log line without the job's name. ${ADVICE}`,
      swallowedJob: `The {{label}} '{{name}}' neither catches nor logs its failures: {{lib}} catches the error and only emits an event nobody listens to here, so the failure disappears. ${ADVICE}`,
      unhandledJob: `The {{label}} '{{name}}' neither catches nor logs its failures: {{lib}} leaves the rejection unhandled (Node exits by default). ${ADVICE}`,
      processorJob: `The {{label}} '{{name}}' neither catches nor logs its failures: {{lib}} marks the job failed in its store, but nothing here logs it or listens for failures. ${ADVICE}`,
    },
  },
  defaultOptions: {},
  create(ctx) {
    const rctx = ctx as unknown as RuleContext; // the helpers read facts, project, view, style, text
    const jobs: Job[] = [];
    let failureListeners = false;
    /** The file touches browser globals: client-side polling, not a server job. */
    let browser = false;
    const failureEvents = KNOWLEDGE.jobFailureEvents();

    function register(node: ts.CallExpression | ts.NewExpression, module: string, path: readonly string[], call: 'call' | 'new'): void {
      const sched = KNOWLEDGE.schedulerOf(module);
      const lib = KNOWLEDGE.libraryOf(module);
      if (!sched || !lib) return;
      if (call === 'new' && sched.failureListeners?.some((f) => f.length === path.length && f.every((x, i) => x === path[i]))) {
        failureListeners = true; // failures are observed through QueueEvents
        return;
      }
      const args = node.arguments ?? ts.factory.createNodeArray<ts.Expression>();
      for (const shape of sched.jobs) {
        if (shape.call !== call || shape.path.length !== path.length || !shape.path.every((x, i) => x === path[i])) continue;
        const cb = callbackOf(shape, args);
        if (cb === 'handled') return;
        if (!cb) continue;
        if (shape.processor && !isFn(cb) && !ts.isIdentifier(skipOuter(cb))) return;
        const p = node.parent;
        const holder = shape.processor && p && ts.isVariableDeclaration(p) && ts.isIdentifier(p.name) ? p.name.text : shape.processor ? '' : undefined;
        const explicitName = nameOf(shape, args);
        jobs.push({ kind: kindOf(lib.id, shape), lib: lib.id, at: node.expression, callback: cb, ...(explicitName !== undefined ? { explicitName } : {}), ...(holder !== undefined ? { holder } : {}) });
        return;
      }
    }

    return {
      CallExpression(call) {
        const callee = skipOuter(call.expression);
        // failure listeners: worker.on('failed', …), agenda.on('fail:x', …), task.on('execution:failed', …)
        if (ts.isPropertyAccessExpression(callee) && (callee.name.text === 'on' || callee.name.text === 'once')) {
          const ev = stringArg(call.arguments[0]);
          if (ev && isFailureEvent(ev, failureEvents)) failureListeners = true;
          return;
        }
        if (ts.isIdentifier(callee) && callee.text === 'setInterval' && !ctx.facts.moduleNames.has('setInterval')) {
          if (call.arguments[0]) jobs.push({ kind: 'interval', lib: 'setInterval', at: callee, callback: call.arguments[0] });
          return;
        }
        const r = ctx.facts.resolveCall(call);
        if (r && !r.instance) { register(call, r.module, r.path, 'call'); return; }
        // agenda.define('name', [options], fn) / queue.process([name], [concurrency], fn) on a client made in this file
        if (!ts.isPropertyAccessExpression(callee)) return;
        const method = callee.name.text;
        const modules = methodModules(method);
        if (!modules.length) return;
        const cb = call.arguments[call.arguments.length - 1];
        if (!cb || (!isFn(cb) && !ts.isIdentifier(skipOuter(cb)))) return;
        const holder = createdFrom(callee.expression, modules, rctx);
        if (holder === undefined) return;
        const module = modulesOfHolder(callee.expression, modules, rctx);
        const lib = module ? KNOWLEDGE.libraryOf(module) : undefined;
        const explicitName = stringArg(call.arguments[0]) ?? (holder || undefined);
        jobs.push({ kind: 'processor', lib: lib?.id ?? method, at: callee, callback: cb, ...(explicitName !== undefined ? { explicitName } : {}), holder });
      },
      PropertyAccessExpression(pa) {
        if (isBrowserGlobalAccess(pa, ctx.facts)) browser = true;
      },
      NewExpression(node) {
        const r = ctx.facts.resolveCall(node);
        if (r && !r.instance) register(node, r.module, r.path, 'new');
      },
      'SourceFile:exit'() {
        if (browser || isExampleProject(ctx.project, { examplesFolder: false })) return; // a demo package (uptime-kuma extra/push-examples/*) runs nowhere
        for (const job of jobs) {
          if (job.kind === 'processor' || job.kind === 'swallowed') {
            if (failureListeners) continue;
            if (job.holder && !job.holder.startsWith('this.') && isExported(job.holder, rctx)) continue; // listeners may live elsewhere
          }
          const work = workOf(job, rctx);
          if (!work) continue;
          const name = jobName(job, work);
          const label = job.kind === 'interval' ? 'setInterval job' : job.kind === 'processor' ? `${job.lib} processor` : `${job.lib} job`;
          const canFix = fixable(job, work, rctx);
          ctx.report({
            node: job.at, messageId: CONSEQUENCE[job.kind], data: { label, name, lib: job.lib },
            ...(canFix ? { fix: () => { const f = buildFix(job, work, rctx, name); return f ? [f] : []; } } : {}),
          });
        }
      },
    };
  },
});

/** The module a `<holder>.<method>()` receiver was created from (agenda vs @hokify/agenda). */
function modulesOfHolder(recv: ts.Expression, modules: readonly string[], ctx: RuleContext): string | undefined {
  return modules.find((m) => createdFrom(recv, [m], ctx) !== undefined);
}

/** Whether buildFix can offer the wrap (decided without building text or choosing a logger). */
function fixable(job: Job, work: Work, ctx: RuleContext): boolean {
  const sf = ctx.sourceFile;
  const lit = work.literal;
  if (lit && mentions(lit, 'started')) return false;
  if (lit && ts.isBlock(lit.body)) return !returnsValues(lit) && lit.body.statements.length > 0;
  if (lit) {
    let e = skipOuter(lit.body as ts.Expression);
    if (ts.isVoidExpression(e) || ts.isAwaitExpression(e)) e = skipOuter(e.expression);
    return !e.getText(sf).includes('\n') && !lit.parameters.some((p) => mentions(p, 'started'));
  }
  return !!work.reference && work.reference.parameters.length === 0;
}
