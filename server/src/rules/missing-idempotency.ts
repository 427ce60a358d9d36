/**
 * missing-idempotency — money-moving calls without an idempotency key, and POST handlers that
 * create orders or payments without honouring an `Idempotency-Key` header.
 *
 * Before:  app.post('/orders', async (req, res) => {
 *            const intent = await stripe.paymentIntents.create({ amount, currency: 'usd', metadata: { orderId } });
 * After:     const intent = await stripe.paymentIntents.create({ amount, currency: 'usd', metadata: { orderId } }, { idempotencyKey: `payment-intent-${orderId}` });
 *
 * Before:  await stripe.refunds.create({ payment_intent: pi, metadata: { refundRequestId: request.id } });
 * After:   await stripe.refunds.create({ payment_intent: pi, metadata: { refundRequestId: request.id } }, { idempotencyKey: `refund-${request.id}` });
 *
 * Stripe calls are recognised through the file's facts (`new Stripe()`, `this.stripe: Stripe`)
 * or, for a client imported from the project, by a receiver named like `stripe`. The key comes
 * from a business id in the call's inputs (`metadata.orderId`, `invoice`…), or from the request's
 * `Idempotency-Key` header only when the handler already takes it (Nest `@Headers('idempotency-key')
 * key: string`): a header its callers never send would make the key always undefined, and
 * `req.get(…)` is `string | undefined`, which fails `exactOptionalPropertyTypes`. Customer, price
 * or amount are never used (two genuine purchases would collide). No fix when neither exists.
 */
import ts = require('typescript');
import { createRule, type Fix, type RuleContextV2 } from '../engine/types';
import { skipOuter } from '../engine/facts';
import { enclosingFunction, isFunctionLike, type FunctionLike } from '../engine/ast';
import { insertProperty, appendArguments } from '../fixes/edits';
import { enclosingHandler, handlerOf, nestRouteOf, objectProp, type RequestHandlerInfo } from '../engine/frameworks';
import { FRAMEWORK, IDEMPOTENCY_HEADER, LIB, ioOf, isModuleOf, lib, modulesWithRole } from '../knowledge';

type MessageIds = 'stripeNoKey' | 'orderNoKey';
type Ctx = RuleContextV2<MessageIds>;

/** Stripe resource.method → index of the request-options argument (knowledge). */
const STRIPE = lib(LIB.stripe);
const STRIPE_MONEY = STRIPE.payments!.moneyMovers;
const KEY_OPTIONS = STRIPE.payments!.idempotencyOptions;
const ONCE_PER_OBJECT = new Set(STRIPE.payments!.idempotentByConstruction ?? []);
const IDEMPOTENCY_PACKAGES = modulesWithRole('idempotency');
/** A project's own client named after the provider (`stripe`, `this.stripeClient`). */
const STRIPE_NAME = new RegExp(STRIPE.label, 'i');
const ORDER_PATH = /(^|\/)(orders?|payments?|checkouts?|charges?|purchases?|transfers?|payouts?|refunds?|donations?|bookings?)(\/|$)/i;
const CREATE_VERB = /^(create|insert|save|place|add|checkout|charge|purchase|book|submit)/i;
const MONEY_NOUN = /order|payment|charge|purchase|transaction|transfer|payout|refund|booking|invoice|donation/i;
/** Ids that identify one business operation (never customer, price, product or payment method). */
const OPERATION_ID = /^(order|invoice|cart|booking|purchase|checkout|transaction|payment|request|refundRequest|refund_request|payout|transfer|donation|subscription|idempotency)_?(id|key|ref|number)$/i;

function stripeMoneyCall(call: ts.CallExpression, ctx: Ctx): { op: string; slot: number } | undefined {
  const callee = skipOuter(call.expression);
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  const resource = skipOuter(callee.expression);
  if (!ts.isPropertyAccessExpression(resource)) return undefined;
  const op = `${resource.name.text}.${callee.name.text}`;
  const slot = Object.hasOwn(STRIPE_MONEY, op) ? STRIPE_MONEY[op] : undefined;
  if (slot === undefined) return undefined;
  const client = skipOuter(resource.expression);
  const r = ctx.facts.resolve(client);
  if (r && isModuleOf(LIB.stripe, r.module)) return { op, slot };
  // another known SDK is not Stripe; the project's (or a workspace package's) re-export may be
  if (r && (ioOf(r.module) || r.instance)) return undefined;
  // a client imported from the project: `import { stripe } from '@/lib/stripe'`, `this.stripeClient`
  const name = ts.isIdentifier(client) ? client.text : ts.isPropertyAccessExpression(client) ? client.name.text : '';
  return STRIPE_NAME.test(name) ? { op, slot } : undefined;
}

function hasKey(obj: ts.ObjectLiteralExpression): boolean {
  return KEY_OPTIONS.some((k) => !!objectProp(obj, k));
}

interface FileState { reported: Set<ts.Node>; candidates: Map<FunctionLike, { node: ts.Node; label: string }> }

export const missingIdempotency = createRule({
  meta: {
    id: 'missing-idempotency',
    checklist: 'recover',
    severity: 'warning',
    summary: 'A payment call or order creation without an idempotency key charges or creates twice when a timeout is retried.',
    fixable: true,
    fileKinds: ['server'],
    messages: {
      stripeNoKey: 'stripe.{{op}}() has no idempotencyKey: if the response is lost (timeout, deploy, crash) and the operation is retried, Stripe moves the money twice. Pass { idempotencyKey } derived from the {{source}}, stable across retries.',
      orderNoKey: '{{label}} creates an order or payment without an Idempotency-Key: when the client retries after a timeout, it is created twice. Accept an Idempotency-Key header and return the first result for a repeated key.',
    },
  },
  defaultOptions: {},
  create(ctx) {
    const s: FileState = { reported: new Set(), candidates: new Map() };
    return {
      CallExpression(call) {
        const money = stripeMoneyCall(call, ctx);
        if (money) { checkStripe(call, money, ctx, s); return; }
        noteOrderCreation(call, ctx, s);
      },
      'SourceFile:exit'() {
        if (IDEMPOTENCY_PACKAGES.some((p) => ctx.project.dependencies.has(p))) return;
        for (const [fn, c] of s.candidates) {
          if (s.reported.has(fn) || readsIdempotency(fn) || callsIdempotentHelper(fn, ctx)) continue;
          ctx.report({ node: c.node, severity: 'info', messageId: 'orderNoKey', data: { label: c.label } });
        }
      },
    };
  },
});

/** The imported function `callee` names, when the Session's summary of it says it sets or reads an idempotency key. */
function idempotentHelper(callee: ts.Expression, ctx: Ctx): boolean {
  let x = skipOuter(callee);
  while (ts.isPropertyAccessExpression(x)) x = skipOuter(x.expression);
  if (!ts.isIdentifier(x)) return false;
  const b = ctx.facts.bindings.get(x.text);
  if (!b) return false;
  const member = callee !== x && ts.isPropertyAccessExpression(skipOuter(callee)) ? (skipOuter(callee) as ts.PropertyAccessExpression).name.text : undefined;
  const name = b.imported === '*' && member ? member : b.imported;
  return ctx.view.summaryOf(b.module, name)?.idempotent === true;
}

/** The handler calls a helper from another file that sets the key itself (ctx.view.summaryOf). */
function callsIdempotentHelper(fn: FunctionLike, ctx: Ctx): boolean {
  let hit = false;
  const visit = (n: ts.Node): void => {
    if (hit) return;
    if (ts.isCallExpression(n) && idempotentHelper(n.expression, ctx)) { hit = true; return; }
    ts.forEachChild(n, visit);
  };
  visit(fn);
  return hit;
}

function checkStripe(call: ts.CallExpression, money: { op: string; slot: number }, ctx: Ctx, s: FileState): void {
  // paying one existing invoice cannot pay it twice: idempotent by construction (knowledge)
  if (ONCE_PER_OBJECT.has(money.op)) return;
  const args = call.arguments;
  if (args.some((a) => ts.isSpreadElement(a))) return;
  const slot = money.slot;
  // callback style: create(params, cb) — options go before the callback
  const last = args[args.length - 1];
  const callback = last && isFunctionLike(skipOuter(last)) ? last : undefined;
  const optionsArg = args[slot] && args[slot] !== callback ? skipOuter(args[slot]) : undefined;
  if (optionsArg) {
    if (!ts.isObjectLiteralExpression(optionsArg)) return; // opaque options: may carry a key
    if (optionsArg.properties.some((p) => ts.isSpreadAssignment(p)) || hasKey(optionsArg)) return;
  }
  const handler = enclosingHandler(call, ctx.facts, ctx.project);
  if (handler) s.reported.add(handler.fn);
  // the header only when the handler already takes it (callers send it); a header nobody sends
  // would make the key always undefined (and fails exactOptionalPropertyTypes)
  const fromHeader = headerKey(handler?.info, handler?.fn, ctx);
  const fromInputs = inputKey(call, money.op, ctx);
  const keys: { expr: string; title: string }[] = [];
  if (fromHeader) keys.push({ expr: fromHeader, title: `Pass the request's ${IDEMPOTENCY_HEADER} header as idempotencyKey` });
  if (fromInputs) keys.push({ expr: fromInputs, title: `Pass idempotencyKey: ${fromInputs} (stable for this operation)` });
  const makeEdit = (prop: string) => {
    if (optionsArg && ts.isObjectLiteralExpression(optionsArg)) return insertProperty(ctx, optionsArg, prop);
    if (callback) {
      if (args.indexOf(callback) !== slot) return undefined;
      const at = callback.getStart(ctx.sourceFile);
      return { start: at, end: at, newText: `{ ${prop} }, ` };
    }
    if (args.length === 0) return undefined;
    const fill = Array(Math.max(0, slot - args.length)).fill('{}');
    return appendArguments(ctx, call, [...fill, `{ ${prop} }`]);
  };
  const resource = money.op.split('.')[0];
  const fix = keys.length && args.length ? () => {
    const fixes: Fix[] = [];
    for (const [i, k] of keys.entries()) {
      const edit = makeEdit(`idempotencyKey: ${k.expr}`);
      if (edit) fixes.push({ title: k.title, edits: [edit], isPreferred: i === 0, safe: false });
    }
    return fixes;
  } : undefined;
  ctx.report({
    node: call.expression,
    messageId: 'stripeNoKey',
    data: { op: money.op, source: resource === 'refunds' ? 'refund request' : 'order or request' },
    ...(fix ? { fix } : {}),
  });
}

/**
 * The request's Idempotency-Key as the handler already receives it (Nest `@Headers('idempotency-key') key`):
 * only then do its callers demonstrably send one. Reading a header in a handler that never took it
 * would give a key that is always undefined.
 */
function headerKey(info: RequestHandlerInfo | undefined, fn: FunctionLike | undefined, ctx: Ctx): string | undefined {
  if (!info || !fn || !ts.isMethodDeclaration(fn)) return undefined;
  const r = nestRouteOf(fn, ctx.facts);
  const header = r?.paramList.find((p) => p.decorator === 'Headers' && p.arg && p.arg.toLowerCase() === IDEMPOTENCY_HEADER.toLowerCase());
  return header?.name;
}

/** `` `refund-${request.id}` `` from a business id among the call's parameters or metadata. */
function inputKey(call: ts.CallExpression, op: string, ctx: Ctx): string | undefined {
  const params = call.arguments[0] && skipOuter(call.arguments[0]);
  if (!params || !ts.isObjectLiteralExpression(params)) return undefined;
  const ids: string[] = [];
  const collect = (obj: ts.ObjectLiteralExpression) => {
    for (const p of obj.properties) {
      const key = ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p) ? p.name.getText(ctx.sourceFile).replace(/['"]/g, '') : '';
      const value = ts.isPropertyAssignment(p) ? skipOuter(p.initializer) : ts.isShorthandPropertyAssignment(p) ? p.name : undefined;
      if (!value || !OPERATION_ID.test(key)) continue;
      if (ts.isIdentifier(value) || (ts.isPropertyAccessExpression(value) && !value.getText(ctx.sourceFile).includes('\n'))) ids.push(value.getText(ctx.sourceFile));
    }
  };
  collect(params);
  const meta = objectProp(params, 'metadata');
  const m = meta && skipOuter(meta);
  if (m && ts.isObjectLiteralExpression(m)) collect(m);
  if (ids.length === 0) return undefined;
  const prefix = op.split('.')[0].replace(/s$/, '').replace(/([A-Z])/g, (c) => `-${c.toLowerCase()}`);
  return `\`${prefix}-${ids.map((i) => `\${${i}}`).join('-')}\``;
}

// ---- POST handlers that create orders/payments ------------------------------------------------

function noteOrderCreation(call: ts.CallExpression, ctx: Ctx, s: FileState): void {
  const callee = skipOuter(call.expression);
  const names: string[] = [];
  let x: ts.Expression = callee;
  for (let i = 0; i < 6; i++) {
    if (ts.isPropertyAccessExpression(x)) { names.push(x.name.text); x = skipOuter(x.expression); }
    else if (ts.isIdentifier(x)) { names.push(x.text); break; }
    else break;
  }
  const verb = names[0];
  if (!verb || !CREATE_VERB.test(verb)) return;
  const firstArg = call.arguments[0] && skipOuter(call.arguments[0]);
  const nouns = [...names, ...(firstArg && ts.isIdentifier(firstArg) ? [firstArg.text] : [])];
  // a checkout/billing-portal *session* moves no money; the payment happens on Stripe's page
  if (!nouns.some((n) => MONEY_NOUN.test(n)) || nouns.some((n) => /session|portal|intentPreview|quote/i.test(n))) return;
  // a helper from another file that sets the key itself (ctx.view.summaryOf)
  if (idempotentHelper(call.expression, ctx)) return;
  const fn = enclosingFunction(call);
  if (!fn) return;
  const h = handlerOf(fn, ctx.facts, ctx.project) ?? enclosingHandler(call, ctx.facts, ctx.project)?.info;
  const owner = handlerOf(fn, ctx.facts, ctx.project) ? fn : enclosingHandler(call, ctx.facts, ctx.project)?.fn;
  if (!h || !owner || h.kind === 'middleware' || h.kind === 'error' || h.kind === 'plain') return;
  if (s.candidates.has(owner)) return;
  const target = postRoute(h, owner, ctx);
  if (target) s.candidates.set(owner, target);
}

/** The node and label of a POST route whose path names orders/payments, or undefined. */
function postRoute(h: RequestHandlerInfo, fn: FunctionLike, ctx: Ctx): { node: ts.Node; label: string } | undefined {
  if (h.framework === 'nestjs' && ts.isMethodDeclaration(fn)) {
    const r = nestRouteOf(fn, ctx.facts);
    if (!r || r.method !== 'POST' || !ORDER_PATH.test(r.path)) return undefined;
    const decorated = [...(ts.getDecorators(fn) ?? []), ...(ts.getDecorators(r.controller as ts.ClassDeclaration) ?? [])];
    if (decorated.some((d) => /idempot/i.test(d.getText(ctx.sourceFile)))) return undefined;
    return { node: r.decorator, label: `POST ${r.path}` };
  }
  if (h.framework === FRAMEWORK.next && h.kind === 'next-app') {
    const path = ctx.fileName.replace(/\\/g, '/').replace(/^.*?\/app\//, '/').replace(/\/route\.[cm]?[jt]sx?$/, '');
    if (h.method !== 'POST' || !ORDER_PATH.test(path)) return undefined;
    const name = ts.isFunctionDeclaration(fn) && fn.name ? fn.name : fn;
    return { node: name, label: `POST ${path}` };
  }
  const route = h.route;
  if (!route || route.method !== 'POST' || !route.path || !ORDER_PATH.test(route.path) || h.kind !== 'route') return undefined;
  // an idempotency middleware in the chain (its name, not comments inside the final handler)
  if (route.handlers.slice(0, -1).some((m) => /idempot/i.test(ts.isCallExpression(m) ? m.expression.getText(ctx.sourceFile) : ts.isIdentifier(m) || ts.isPropertyAccessExpression(m) ? m.getText(ctx.sourceFile) : ''))) return undefined;
  return { node: route.call.arguments[0] ?? route.call, label: `POST ${route.path}` };
}

/** Does the handler read an idempotency key anywhere (bounded scan of its own body)? */
function readsIdempotency(fn: FunctionLike): boolean {
  let hit = false;
  let budget = 20000;
  const visit = (n: ts.Node): void => {
    if (hit || --budget < 0) return;
    if ((ts.isStringLiteralLike(n) || ts.isIdentifier(n)) && /idempot/i.test(n.text)) { hit = true; return; }
    ts.forEachChild(n, visit);
  };
  visit(fn);
  return hit || budget < 0;
}
