/**
 * unvalidated-input — request input reaching a database call, raw SQL or an HTML/text response
 * without passing a validator.
 *
 * Bad:   app.post('/users', async (req, res) => {
 *          const user = await prisma.user.create({ data: req.body });   // mass assignment: role, isAdmin…
 *        });
 *        const user = await User.findOne({ email: req.body.email });      // { "email": { "$ne": null } }
 * Good:  const data = CreateUser.parse(req.body);
 *        const user = await prisma.user.create({ data });
 *
 * No fix (the schema is the developer's to write); the message names the validator the project
 * already depends on. Sources: `req.body`/`req.query` (Express, Fastify, pages/api), Koa
 * `ctx.request.body`/`ctx.query`, Next `await request.json()`/`formData()`, Hono
 * `c.req.json()`/`parseBody()`, Nest `@Body()`/`@Query()` parameters that no ValidationPipe can
 * check (`any`, untyped, inline object types, interfaces declared in the file) — and local
 * variables taken from them. Path parameters are always strings, so they count only when spliced
 * into raw SQL.
 *
 * Silent when the handler shows validation: a validation middleware in the route's chain
 * (`validate(schema)`, `celebrate`, express-validator chains, `zValidator`), a Fastify route
 * `schema`, a validator call in the handler (`.parse`, `.safeParse`, `.validate`,
 * `validationResult(req)`, `matchedData`, `plainToInstance`…), `typeof` checks or `isX(value)`
 * predicates on the input, `@UsePipes`/`@Body(pipe)` in Nest — and for handlers registered in
 * another file when the project depends on a validator (the route file may validate).
 *
 * What it knows comes from the knowledge table: the validators (role `validator`, their labels,
 * which are route middleware), every database library's sink methods (`db.ops`, `db.filterOps`,
 * `db.rawSql`, Prisma's data/filter keys and filter operators), the receivers that name a client
 * (DB_RECEIVER, PRISMA_RECEIVER, REPOSITORY_RECEIVER, QUERY_BUILDER_RECEIVER) and whether the
 * installed Express parses nested query objects (`nestedQuery`, by version).
 */
import ts = require('typescript');
import { createRule, type RuleContext } from '../engine/types';
import { skipOuter } from '../engine/facts';
import { isFunctionLike, type FunctionLike } from '../engine/ast';
import { moduleInfo } from '../engine/modules';
import { hasDependency } from '../engine/project';
import { dependencyView } from '../engine/dependencies';
import {
  DB_RECEIVER, FRAMEWORK, KNOWLEDGE, LIB, PRISMA_RECEIVER, QUERY_BUILDER_RECEIVER, REPOSITORY_RECEIVER, atVersion, isModuleOf, type DbFacet,
} from '../knowledge';
import { isProjectModule } from '../engine/summary';
import {
  enclosingHandler, nestRouteOf, objectProp, responseOf, type RequestHandlerInfo,
} from '../engine/frameworks';

const dbOf = (id: string): DbFacet => KNOWLEDGE.lib(id).db ?? {};
const PRISMA_DB = dbOf(LIB.prisma);
const VALIDATOR_RECORDS = KNOWLEDGE.librariesWithRole('validator').filter((r) => r.validator);
const escape = (w: string) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const VALIDATE_CALL = /^(parse|safeParse|parseAsync|safeParseAsync|spa|validate|validateSync|validateAsync|validateOrReject|isValid|isValidSync|assert|assertEquals|is|decode|plainToInstance|plainToClass|matchedData|validationResult|checkSchema|valid|cast|check|getValidatedData|validateBody|validateQuery|validateRequest)$/;
const PREDICATE = /^(is|validate|assert|check|ensure|sanitize|parse|verify)[A-Z_]/;
/** Route middleware named like a validator, or after a schema/validation library (`zodValidate`, `celebrate(…)`). */
const ROUTE_VALIDATOR = new RegExp(['valid', 'schema', 'sanitiz', 'checkBody', 'checkQuery', 'dto',
  ...VALIDATOR_RECORDS.filter((r) => r.validator!.schemaCatch || r.validator!.middleware).map((r) => escape(r.validator!.label.split(' ')[0].toLowerCase()))].join('|'), 'i');
const PRISMA_OPS = new Set(PRISMA_DB.ops ?? []);
/** Model methods of the ODMs/ORMs called on a model class (mongoose, MongoDB collections, Sequelize). */
const MODEL_OPS = new Set([LIB.mongoose, LIB.mongodb, LIB.sequelize].flatMap((id) => dbOf(id).ops ?? []));
const REPO_OPS = new Set(dbOf(LIB.typeorm).ops ?? []);
const KNEX_OPS = new Set(dbOf(LIB.knex).ops ?? []);
const RAW_SQL = new Set(KNOWLEDGE.librariesWithRole('db').flatMap((r) => r.db?.rawSql ?? []));
const SINK_NAMES: ReadonlySet<string> = new Set([...PRISMA_OPS, ...MODEL_OPS, ...REPO_OPS, ...KNEX_OPS, ...RAW_SQL, 'send', 'write', 'end', 'html']);

type Kind = 'body' | 'query' | 'params';
/** `whole`: the entire body/query object (mass assignment, column injection), not one of its fields. */
interface Taint { kind: Kind; text: string; whole: boolean }

interface Candidate { fn: FunctionLike; info: RequestHandlerInfo; node: ts.Expression; taint: Taint; sink: string; how: SinkKind }
interface State { taint: Map<ts.Node, Map<string, Taint>>; candidates: Candidate[]; segments: Set<string> }

// ---- sources ------------------------------------------------------------------------------

/** Is `e` itself request input? `req.body`, `req.body.user`, `ctx.request.body`, `await request.json()`, `c.req.json()`. */
function sourceOf(e: ts.Expression, info: RequestHandlerInfo, s: State): Taint | undefined {
  let x = skipOuter(e);
  if (ts.isAwaitExpression(x)) x = skipOuter(x.expression);
  // req.json() / req.formData() (Next app), c.req.json() / c.req.parseBody() (Hono)
  if (ts.isCallExpression(x) && ts.isPropertyAccessExpression(x.expression)) {
    const m = x.expression.name.text;
    const recv = skipOuter(x.expression.expression);
    if (info.framework === FRAMEWORK.next && info.kind === 'next-app' && ts.isIdentifier(recv) && recv.text === info.reqName && (m === 'json' || m === 'formData')) return { kind: 'body', text: x.getText(), whole: true };
    if (info.framework === FRAMEWORK.hono && (m === 'json' || m === 'parseBody') && ts.isPropertyAccessExpression(recv) && recv.name.text === 'req' &&
      ts.isIdentifier(recv.expression) && recv.expression.text === info.ctxName) return { kind: 'body', text: x.getText(), whole: true };
    return undefined;
  }
  // walk down a member chain to its root: req.body.user.email → req.body
  const chain: string[] = [];
  let root: ts.Expression = x;
  while (ts.isPropertyAccessExpression(root) || ts.isElementAccessExpression(root)) {
    if (ts.isPropertyAccessExpression(root)) chain.unshift(root.name.text);
    else chain.unshift('[]');
    root = skipOuter(root.expression);
  }
  if (!ts.isIdentifier(root) || chain.length === 0) return undefined;
  const name = root.text;
  const text = x.getText();
  if (info.reqName === name && info.framework !== FRAMEWORK.koa && info.framework !== FRAMEWORK.hono) {
    const k = chain[0];
    if (k === 'query' && info.kind === 'next-pages' && chain[1] && s.segments.has(chain[1])) return { kind: 'params', text, whole: false };
    if (k === 'body' || k === 'query' || k === 'params') return { kind: k, text, whole: chain.length === 1 };
    return undefined;
  }
  if (info.ctxName === name && info.framework === FRAMEWORK.koa) {
    if (chain[0] === 'request' && (chain[1] === 'body' || chain[1] === 'query')) return { kind: chain[1] as Kind, text, whole: chain.length === 2 };
    if (chain[0] === 'query' || chain[0] === 'params') return { kind: chain[0] as Kind, text, whole: chain.length === 1 };
  }
  return undefined;
}

/** Dynamic segments of a pages/api file (`pages/api/teams/[teamId]/[...slug].ts`): Next puts them in `req.query`, always as strings. */
function segmentsOf(file: string): Set<string> {
  const set = new Set<string>();
  for (const m of file.replace(/\\/g, '/').matchAll(/\[(?:\.\.\.)?([A-Za-z_$][\w$]*)\]/g)) set.add(m[1]);
  return set;
}

/** A tainted local variable or a source, possibly cast or defaulted. */
function taintAt(e: ts.Expression, fn: FunctionLike, info: RequestHandlerInfo, s: State): Taint | undefined {
  const x = skipOuter(e);
  const direct = sourceOf(x, info, s);
  if (direct) return direct;
  // member of a tainted variable: body.email
  let root: ts.Expression = x;
  while (ts.isPropertyAccessExpression(root) || ts.isElementAccessExpression(root)) root = skipOuter(root.expression);
  if (ts.isIdentifier(root)) {
    let n: ts.Node | undefined = root.parent;
    while (n) {
      const t = s.taint.get(n)?.get(root.text);
      if (t) return x === root ? t : { ...t, text: `${t.text}${x.getText().slice(root.getText().length)}`, whole: false };
      if (n === fn) break;
      n = n.parent;
    }
  }
  return undefined;
}

/**
 * The first tainted value a sink argument is built from: the value itself, object/array literal
 * members, spreads, template spans, `+`, `??`/`||`. Values passed through calls are not followed
 * (`Number(req.query.page)`, `sanitize(x)`).
 */
function taintIn(e: ts.Expression, fn: FunctionLike, info: RequestHandlerInfo, s: State, how: SinkKind, nestedQuery: boolean): { node: ts.Expression; taint: Taint } | undefined {
  let budget = 200;
  const visit = (n: ts.Expression): { node: ts.Expression; taint: Taint } | undefined => {
    if (--budget < 0) return undefined;
    const x = skipOuter(n);
    const t = taintAt(x, fn, info, s);
    if (t) return matters(t, how, nestedQuery) ? { node: x, taint: t } : undefined;
    if (ts.isObjectLiteralExpression(x)) {
      for (const p of x.properties) {
        const v = ts.isPropertyAssignment(p) ? visit(p.initializer) : ts.isShorthandPropertyAssignment(p) ? visit(p.name) : ts.isSpreadAssignment(p) ? visit(p.expression) : undefined;
        if (v) return v;
      }
      return undefined;
    }
    if (ts.isArrayLiteralExpression(x)) {
      for (const el of x.elements) { const v = visit(ts.isSpreadElement(el) ? el.expression : el); if (v) return v; }
      return undefined;
    }
    if (ts.isTemplateExpression(x)) {
      for (const span of x.templateSpans) { const v = visit(span.expression); if (v) return v; }
      return undefined;
    }
    if (ts.isBinaryExpression(x) && [ts.SyntaxKind.PlusToken, ts.SyntaxKind.QuestionQuestionToken, ts.SyntaxKind.BarBarToken].includes(x.operatorToken.kind)) {
      return visit(x.left) ?? visit(x.right);
    }
    if (ts.isConditionalExpression(x)) return visit(x.whenTrue) ?? visit(x.whenFalse);
    return undefined;
  };
  return visit(e);
}

// ---- sinks --------------------------------------------------------------------------------

/**
 * How a sink misreads unvalidated input:
 * - 'write': stores what it is given (mass assignment) — reported for the whole body/query object;
 * - 'filter': reads objects as query operators (MongoDB/mongoose filters, Prisma `where` of
 *   non-unique reads and bulk writes) — reported for single fields too;
 * - 'sql': raw SQL built by concatenation — any input, path parameters included;
 * - 'html': reflected into an HTML/text response.
 */
type SinkKind = 'write' | 'filter' | 'sql' | 'html';
interface SinkSlot { expr: ts.Expression; how: SinkKind; prisma?: boolean }
interface Sink { label: string; slots: SinkSlot[] }

function calleeChain(e: ts.Expression): { names: string[]; root?: ts.Expression } {
  const names: string[] = [];
  let x = skipOuter(e);
  for (let i = 0; i < 8; i++) {
    if (ts.isPropertyAccessExpression(x)) { names.unshift(x.name.text); x = skipOuter(x.expression); }
    else break;
  }
  return { names, root: x };
}

const PRISMA_FILTER_OPS = new Set(PRISMA_DB.filterOps ?? []);
const MONGO_FILTER_OPS = new Set([LIB.mongodb, LIB.mongoose].flatMap((id) => dbOf(id).filterOps ?? []));

function prismaSlots(call: ts.CallExpression, op: string): SinkSlot[] {
  const arg = call.arguments[0] && skipOuter(call.arguments[0]);
  if (!arg) return [];
  if (!ts.isObjectLiteralExpression(arg)) return [{ expr: arg, how: 'write' }];
  const slots: SinkSlot[] = [];
  for (const key of PRISMA_DB.dataKeys ?? []) {
    const v = objectProp(arg, key);
    if (v) slots.push({ expr: v, how: 'write' });
  }
  const where = PRISMA_DB.filterKey ? objectProp(arg, PRISMA_DB.filterKey) : undefined;
  if (where) slots.push({ expr: where, how: PRISMA_FILTER_OPS.has(op) ? 'filter' : 'write', prisma: true });
  return slots;
}

function sinkOf(call: ts.CallExpression, ctx: RuleContext, info: RequestHandlerInfo): Sink | undefined {
  const args = [...call.arguments];
  if (args.length === 0) return undefined;
  const { names, root } = calleeChain(call.expression);
  const method = names[names.length - 1];
  if (!method || !root) return undefined;
  const rootName = ts.isIdentifier(root) ? root.text : root.kind === ts.SyntaxKind.ThisKeyword ? 'this' : '';
  const label = `${call.expression.getText().replace(/\s+/g, '')}()`;
  const owner = names.length >= 2 ? names[names.length - 2] : rootName;
  const r = ctx.facts.resolveCall(call);
  const known = r && moduleInfo(r.module, ctx.config.externalModules);
  // raw SQL: pool.query(`… ${x}`), prisma.$queryRawUnsafe(sql), knex.raw(sql), sequelize.query(sql)
  if (RAW_SQL.has(method)) {
    const first = skipOuter(args[0]);
    const built = ts.isTemplateExpression(first) || (ts.isBinaryExpression(first) && first.operatorToken.kind === ts.SyntaxKind.PlusToken);
    const dbish = known?.kind === 'db' || DB_RECEIVER.test(owner) || PRISMA_RECEIVER.test(owner);
    if (built && dbish) return { label, slots: [{ expr: args[0], how: 'sql' }] };
    if (dbish) return undefined;
  }
  if (r && known) {
    // a client of a known DB module; other known modules (HTTP clients, caches, SDKs) are not sinks here
    if (known.kind !== 'db' || (known.local ?? []).includes(method) || (r.path.length === 0 && !r.instance)) return undefined;
    if (isModuleOf(LIB.prisma, r.module) && names.length >= 2 && PRISMA_OPS.has(method)) return { label, slots: prismaSlots(call, method) };
    const mongo = isModuleOf(LIB.mongodb, r.module) || isModuleOf(LIB.mongoose, r.module);
    return { label, slots: args.map((a, i) => ({ expr: a, how: mongo && i === 0 && MONGO_FILTER_OPS.has(method) ? 'filter' : 'write' })) };
  }
  // Prisma through a client imported from the project: prisma.user.create(), this.prisma.order.findMany()
  if (names.length >= 2 && PRISMA_OPS.has(method) && (PRISMA_RECEIVER.test(rootName) || names.slice(0, -1).some((n) => PRISMA_RECEIVER.test(n)))) {
    return { label, slots: prismaSlots(call, method) };
  }
  // models: User.findOne({…}), Order.create(req.body) — a PascalCase name imported from the project's models
  if (names.length === 1 && MODEL_OPS.has(method) && /^[A-Z][A-Za-z0-9]*$/.test(rootName)) {
    const b = ctx.facts.bindings.get(rootName);
    if (b && isProjectModule(b.module) && /model|schema|entit|db|database/i.test(b.module) && !/service|controller|helper|util/i.test(b.module)) {
      // operators are a MongoDB thing; Sequelize uses symbols (Op.ne), TypeORM FindOperator objects
      const mongo = hasDependency(ctx.project, KNOWLEDGE.moduleOf(LIB.mongoose)) || hasDependency(ctx.project, KNOWLEDGE.moduleOf(LIB.mongodb));
      return { label, slots: args.map((a, i) => ({ expr: a, how: mongo && i === 0 && MONGO_FILTER_OPS.has(method) ? 'filter' : 'write' })) };
    }
  }
  // TypeORM repositories: this.userRepository.save(body)
  if (REPO_OPS.has(method) && REPOSITORY_RECEIVER.test(owner)) return { label, slots: args.map((a) => ({ expr: a, how: 'write' })) };
  // knex: db('users').insert(body), knex('users').where(query)
  if (KNEX_OPS.has(method) && ts.isCallExpression(root) && ts.isIdentifier(root.expression) && QUERY_BUILDER_RECEIVER.test(root.expression.text)) {
    return { label, slots: args.map((a) => ({ expr: a, how: 'write' })) };
  }
  // HTML/text reflection: res.send(req.query.name), c.html(…)
  const send = responseOf(call, info, ctx.facts);
  if (send && send.payload.length && (((send.framework === FRAMEWORK.express || send.framework === FRAMEWORK.next) && ['send', 'write', 'end'].includes(send.method)) || (send.framework === FRAMEWORK.hono && send.method === 'html'))) {
    return { label, slots: [{ expr: send.payload[0], how: 'html' }] };
  }
  return undefined;
}

/** Does a taint matter for a slot? Whole objects for writes; body/query fields for filters and HTML; anything for SQL. */
function matters(t: Taint, how: SinkKind, nestedQuery: boolean): boolean {
  if (how === 'sql') return true;
  if (t.kind === 'params') return false;
  if (how === 'write') return t.whole;
  // only Express 4's qs parser turns `?a[$ne]=` into an object; Next, Koa, Fastify and Hono give strings (or arrays)
  if (how === 'filter' && t.kind === 'query' && !nestedQuery) return false;
  return true;
}

/** Can this handler's query string hold nested objects? Express < 5 (qs "extended" parser) only. */
function queryNests(info: RequestHandlerInfo, ctx: RuleContext): boolean {
  if (info.framework !== FRAMEWORK.express) return false;
  const express = KNOWLEDGE.lib(LIB.express);
  const deps = dependencyView(ctx.project);
  // an unknown version may be 4: assume the nesting parser
  if (deps.major(KNOWLEDGE.moduleOf(LIB.express)) === undefined || !express.framework) return true;
  return atVersion(express.framework, express, deps).nestedQuery === true;
}

const PRISMA_OPERATORS = new Set(PRISMA_DB.filterOperators ?? []);

/** Inside a Prisma operator (`{ in: ids }`, `{ contains: q }`) an object is a type error, not a filter. */
function underPrismaOperator(node: ts.Node): boolean {
  let p = node.parent;
  while (p && (ts.isParenthesizedExpression(p) || ts.isAsExpression(p) || ts.isArrayLiteralExpression(p))) p = p.parent;
  return !!p && ts.isPropertyAssignment(p) && PRISMA_OPERATORS.has(p.name.getText());
}

// ---- validation evidence ------------------------------------------------------------------

/** Does the route's chain or options validate? */
function routeValidates(info: RequestHandlerInfo, ctx: RuleContext): boolean {
  const route = info.route;
  if (!route) return false;
  if (route.options && (objectProp(route.options, 'schema') || objectProp(route.options, 'validate'))) return true;
  for (const h of route.handlers.slice(0, -1)) {
    const text = calleeText(h);
    if (ROUTE_VALIDATOR.test(text)) return true;
    // express-validator chains: body('email').isEmail(), check('x'), checkSchema({...})
    let x = skipOuter(h);
    while (ts.isCallExpression(x) && ts.isPropertyAccessExpression(x.expression)) x = skipOuter(x.expression.expression);
    if (ts.isCallExpression(x) && ts.isIdentifier(x.expression)) {
      const b = ctx.facts.bindings.get(x.expression.text);
      if (b && KNOWLEDGE.libraryOf(b.module)?.validator?.middleware) return true;
    }
    if (ts.isArrayLiteralExpression(x)) return true; // [body('x').isEmail(), …] validation arrays
  }
  return false;
}

function calleeText(e: ts.Expression): string {
  const x = skipOuter(e);
  if (ts.isIdentifier(x)) return x.text;
  if (ts.isPropertyAccessExpression(x)) return x.getText();
  if (ts.isCallExpression(x)) return calleeText(x.expression);
  return '';
}

/** A validator call, a `typeof` check or an `isX(value)` predicate anywhere in the handler (bounded scan). */
function handlerValidates(fn: FunctionLike): boolean {
  let hit = false;
  let budget = 30000;
  const visit = (n: ts.Node): void => {
    if (hit || --budget < 0) return;
    if (ts.isCallExpression(n)) {
      const c = skipOuter(n.expression);
      const name = ts.isIdentifier(c) ? c.text : ts.isPropertyAccessExpression(c) ? c.name.text : '';
      if (name && (VALIDATE_CALL.test(name) || PREDICATE.test(name)) && n.arguments.length > 0) { hit = true; return; }
      if (name === 'validationResult' || name === 'matchedData') { hit = true; return; }
    }
    if (ts.isTypeOfExpression(n)) { hit = true; return; }
    ts.forEachChild(n, visit);
  };
  if (fn.body) visit(fn.body);
  return hit || budget < 0;
}

function projectValidator(ctx: RuleContext): string | undefined {
  for (const r of VALIDATOR_RECORDS) if (r.modules.some((m) => ctx.project.dependencies.has(m))) return r.validator!.label;
  return undefined;
}

// ---- Nest ---------------------------------------------------------------------------------

/** `@Body() body: any`, untyped, inline object types or a same-file interface: no ValidationPipe can check it. */
function nestUncheckable(type: ts.TypeNode | undefined, ctx: RuleContext): boolean {
  if (!type) return true;
  if (type.kind === ts.SyntaxKind.AnyKeyword || type.kind === ts.SyntaxKind.ObjectKeyword || type.kind === ts.SyntaxKind.UnknownKeyword) return true;
  if (ts.isTypeLiteralNode(type)) return true;
  if (ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName)) {
    const n = type.typeName.text;
    if (n === 'Record' || n === 'Partial' || n === 'Object') return true;
    for (const st of ctx.sourceFile.statements) {
      if ((ts.isInterfaceDeclaration(st) || ts.isTypeAliasDeclaration(st)) && st.name.text === n) return true;
    }
  }
  return false;
}

// ---- rule ---------------------------------------------------------------------------------

function scopeOf(d: ts.Node): ts.Node {
  let n: ts.Node | undefined = d.parent;
  while (n && !ts.isBlock(n) && !isFunctionLike(n)) n = n.parent;
  return n ?? d.getSourceFile();
}

function addTaint(s: State, scope: ts.Node, name: string, t: Taint): void {
  const m = s.taint.get(scope) ?? new Map<string, Taint>();
  m.set(name, t);
  s.taint.set(scope, m);
}

export const unvalidatedInput = createRule({
  meta: {
    id: 'unvalidated-input',
    checklist: 'recover',
    severity: 'warning',
    summary: 'Request input that reaches the database or the page without a validator lets one malformed or malicious request corrupt data, bypass a filter or break the handler.',
    fixable: false,
    fileKinds: ['server'],
    messages: {
      unvalidated: '`{{shown}}`{{from}} reaches {{sink}} without validation: {{why}} {{use}}',
    },
  },
  defaultOptions: {},
  create(ctxV2) {
    const ctx = ctxV2 as unknown as RuleContext; // the helpers read facts, project, config, sourceFile
    const s: State = { taint: new Map(), candidates: [], segments: segmentsOf(ctx.fileName) };
    return {
      MethodDeclaration(m) {
        const r = nestRouteOf(m, ctx.facts);
        if (!r) return;
        const pipes = [...(ts.getDecorators(m) ?? []), ...(ts.getDecorators(r.controller as ts.ClassDeclaration) ?? [])]
          .some((d) => /UsePipes/.test(d.getText(ctx.sourceFile)));
        if (pipes) return;
        for (const p of r.paramList) {
          if (p.decorator !== 'Body' && p.decorator !== 'Query') continue;
          // @Body(new ValidationPipe()) / @Body('field', SomePipe)
          const call = ts.getDecorators(p.node)?.[0]?.expression;
          if (call && ts.isCallExpression(call) && call.arguments.some((a) => !ts.isStringLiteralLike(a))) continue;
          if (p.arg && p.type && (p.type.kind === ts.SyntaxKind.StringKeyword || p.type.kind === ts.SyntaxKind.NumberKeyword || p.type.kind === ts.SyntaxKind.BooleanKeyword)) continue;
          if (!nestUncheckable(p.type, ctx)) continue;
          const kind: Kind = p.decorator === 'Body' ? 'body' : 'query';
          // @Body('email') email: any is one field; @Body() body is the whole object
          if (ts.isIdentifier(p.node.name)) addTaint(s, m, p.node.name.text, { kind, text: p.node.name.text, whole: !p.arg });
        }
      },
      VariableDeclaration(d) {
        if (!d.initializer) return;
        const h = enclosingHandler(d, ctx.facts, ctx.project);
        if (!h) return;
        let init = skipOuter(d.initializer);
        if (ts.isAwaitExpression(init)) init = skipOuter(init.expression);
        // only pass-through values: the source itself, a member of it, a tainted variable, `x ?? {}`
        let t = taintAt(init, h.fn, h.info, s);
        if (!t && ts.isBinaryExpression(init) && [ts.SyntaxKind.QuestionQuestionToken, ts.SyntaxKind.BarBarToken].includes(init.operatorToken.kind)) t = taintAt(init.left, h.fn, h.info, s);
        if (!t && ts.isObjectLiteralExpression(init)) {
          const spread = init.properties.find((p) => ts.isSpreadAssignment(p) && taintAt(p.expression, h.fn, h.info, s));
          if (spread) t = taintAt((spread as ts.SpreadAssignment).expression, h.fn, h.info, s);
        }
        if (!t) return;
        const scope = scopeOf(d);
        if (ts.isIdentifier(d.name)) addTaint(s, scope, d.name.text, t);
        else if (ts.isObjectBindingPattern(d.name)) {
          for (const el of d.name.elements) {
            if (!ts.isIdentifier(el.name)) continue;
            // a default value does not validate: const { page = 1 } = req.query
            const prop = el.propertyName ? el.propertyName.getText() : el.name.text;
            const kind: Kind = t.kind === 'query' && h.info.kind === 'next-pages' && s.segments.has(prop) ? 'params' : t.kind;
            addTaint(s, scope, el.name.text, { kind, text: `${t.text}.${prop}`, whole: false });
          }
        }
      },
      CallExpression(call) {
        // cheap shape test before the (parent-walking) handler look-up
        const callee = skipOuter(call.expression);
        if (!ts.isPropertyAccessExpression(callee) || !SINK_NAMES.has(callee.name.text) || call.arguments.length === 0) return;
        const h = enclosingHandler(call, ctx.facts, ctx.project);
        if (!h) return;
        const sink = sinkOf(call, ctx, h.info);
        if (!sink) return;
        const nested = queryNests(h.info, ctx);
        for (const slot of sink.slots) {
          const hit = taintIn(slot.expr, h.fn, h.info, s, slot.how, nested);
          if (!hit || (slot.prisma && slot.how === 'filter' && underPrismaOperator(hit.node))) continue;
          s.candidates.push({ fn: h.fn, info: h.info, node: hit.node, taint: hit.taint, sink: sink.label, how: slot.how });
          break;
        }
      },
      'SourceFile:exit'() {
        const validator = projectValidator(ctx);
        const seen = new Set<string>();
        for (const c of s.candidates) {
          if (handlerValidates(c.fn) || routeValidates(c.info, ctx)) continue;
          // registered in another file, where the route may validate
          const registeredHere = !!c.info.route || c.info.kind === 'controller' || c.info.kind === 'next-app' || c.info.kind === 'next-pages';
          if (!registeredHere && validator) continue;
          if (c.info.guessed && !registeredHere) continue;
          const key = `${c.fn.pos}:${c.sink}:${c.taint.text}`;
          if (seen.has(key)) continue;
          seen.add(key);
          const use = validator ? `Validate it with ${validator} (the project's validator) before use.` : 'Validate it against a schema (zod, joi, yup, valibot…) before use.';
          const why = c.how === 'sql'
            ? 'it is spliced into raw SQL: SQL injection.'
            : c.how === 'html'
              ? 'it is reflected into an HTML/text response: cross-site scripting.'
              : c.how === 'filter'
                ? `${c.taint.kind === 'query' ? 'a query string' : 'a JSON body'} can carry objects (\`{ "$ne": null }\`, \`{ "not": "" }\`) that the database reads as operators and matches any record.`
                : 'the whole request object is stored: a client can set fields you never meant to expose (role, ownerId, isAdmin) and send types you did not expect.';
          const shown = c.node.getText(ctx.sourceFile);
          const from = shown === c.taint.text ? '' : ` (from \`${short(c.taint.text)}\`)`;
          ctxV2.report({ node: c.node, messageId: 'unvalidated', data: { shown: short(shown), from, sink: short(c.sink), why, use } });
        }
      },
    };
  },
});

function short(t: string): string {
  const one = t.replace(/\s+/g, ' ');
  return one.length > 60 ? one.slice(0, 57) + '…' : one;
}
