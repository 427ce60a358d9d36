import { runRuleTests } from '../harness/ruleTester';
import { missingIdempotency } from '../../server/src/rules/missing-idempotency';

const STRIPE = `import Stripe from 'stripe';
const stripe = new Stripe(process.env.STRIPE_KEY!);
`;

runRuleTests(missingIdempotency, {
  valid: [
    // ---- issue 14 patterns ----
    { name: 'idempotent by construction: invoices.pay on one invoice', code: STRIPE + `export const settle = (invoiceId: string) => stripe.invoices.pay(invoiceId);` },
    {
      name: 'a key set by a helper in another file (view.summaryOf)',
      code: `import express from 'express';\nimport { createOrder } from './orders/create';\nconst app = express();\napp.post('/orders', async (req, res) => {\n  res.status(201).json(await createOrder(req.body));\n});`,
      deps: ['express'],
      view: { summaryOf: (specifier: string, name: string) => (specifier === './orders/create' && name === 'createOrder' ? { setsDeadline: true, catchesAll: false, canReject: true, idempotent: true } : undefined) },
    },
    { name: 'test helpers without .test in their name (view.role)', code: STRIPE + `export const pay = () => stripe.charges.create({ amount: 1, currency: 'usd' });`, filename: '/project/e2e/fixtures/pay.ts', view: { role: 'test' } },
    STRIPE + `await stripe.paymentIntents.create({ amount: 100, currency: 'usd' }, { idempotencyKey: order.id });`,
    STRIPE + `await stripe.refunds.create({ charge }, { idempotency_key: key });`,
    { name: 'opaque request options may carry the key', code: STRIPE + `await stripe.charges.create(params, requestOptions);` },
    { name: 'options with a spread', code: STRIPE + `await stripe.transfers.create(params, { ...opts });` },
    { name: 'reads are not money movements', code: STRIPE + `await stripe.paymentIntents.retrieve(id);\nawait stripe.refunds.list({ limit: 3 });` },
    { name: 'a checkout session moves no money itself', code: STRIPE + `await stripe.checkout.sessions.create({ line_items, mode: 'payment' });` },
    { name: 'customers and prices are not payments', code: STRIPE + `await stripe.customers.create({ email });\nawait stripe.prices.create({ unit_amount: 100 });` },
    { name: 'another SDK with the same method names', code: `import { Client } from 'square';\nconst client = new Client();\nawait client.refunds.create({ amount });` },
    { name: 'an unrelated object with a refunds resource', code: `await this.rootStore.subscriptions.create({ documentId });\nawait api.refunds.create({ id });` },
    { name: 'the key on invoices.pay options', code: STRIPE + `await stripe.invoices.pay(invoice.id, {}, { idempotencyKey: \`pay-\${invoice.id}\` });` },
    {
      name: 'an order POST that honours Idempotency-Key',
      code: `import express from 'express';
const app = express();
app.post('/orders', async (req, res) => {
  const key = req.get('Idempotency-Key');
  const existing = key && await findByKey(key);
  if (existing) return res.json(existing);
  res.status(201).json(await prisma.order.create({ data: { ...req.body, idempotencyKey: key } }));
});`,
      deps: ['express'],
    },
    {
      name: 'idempotency middleware on the route',
      code: `import express from 'express';
const app = express();
app.post('/payments', idempotency(), async (req, res) => res.json(await createPayment(req.body)));`,
      deps: ['express'],
    },
    {
      name: 'an idempotency package in the project',
      code: `import express from 'express';
const app = express();
app.post('/orders', async (req, res) => res.json(await Order.create(req.body)));`,
      deps: ['express', 'express-idempotency'],
    },
    {
      name: 'Nest interceptor for idempotency',
      code: `import { Controller, Post, Body, UseInterceptors } from '@nestjs/common';
@Controller('orders')
@UseInterceptors(IdempotencyInterceptor)
export class OrdersController {
  @Post() create(@Body() dto: CreateOrderDto) { return this.ordersService.create(dto); }
}`,
    },
    {
      name: 'a GET route, and a POST that creates something else',
      code: `import express from 'express';
const app = express();
app.get('/orders', async (req, res) => res.json(await Order.find()));
app.post('/comments', async (req, res) => res.json(await Comment.create(req.body)));`,
      deps: ['express'],
    },
    {
      name: 'newsletter subscriptions are not payments',
      code: `import { Controller, Post, Body } from '@nestjs/common';
@Controller('subscriptions')
export class SubscriptionsController {
  @Post() create(@Body() dto: SubscribeDto) { return this.subscriptionsService.createSubscription(dto); }
}`,
    },
    { name: 'test files', code: STRIPE + `await stripe.charges.create({ amount: 1 });`, filename: 'test/stripe.test.ts' },
  ],
  invalid: [
    {
      name: 'in an Express handler without a business id: reported, and no key from a header its callers may never send',
      code: STRIPE + `import express from 'express';
const app = express();
app.post('/pay', async (req, res) => {
  const intent = await stripe.paymentIntents.create({ amount: req.body.amount, currency: 'usd' });
  res.json({ clientSecret: intent.client_secret });
});`,
      deps: ['express', 'stripe'],
      errors: [{ line: 6, column: 24, endLine: 6, endColumn: 52, message: 'stripe.paymentIntents.create() has no idempotencyKey' }],
      output: null,
    },
    {
      name: 'outside a request: a business id from the inputs',
      code: STRIPE + `export async function refund(request: RefundRequest) {
  await stripe.refunds.create({ payment_intent: request.paymentIntentId, metadata: { refundRequestId: request.id } });
}`,
      errors: [{ line: 4, column: 9 }],
      output: STRIPE + `export async function refund(request: RefundRequest) {
  await stripe.refunds.create({ payment_intent: request.paymentIntentId, metadata: { refundRequestId: request.id } }, { idempotencyKey: \`refund-\${request.id}\` });
}`,
    },
    {
      name: 'both keys offered; the stable one picked by title',
      code: STRIPE + `import express from 'express';
const app = express();
app.post('/orders/:id/pay', async (req, res) => {
  await stripe.charges.create({ amount: 500, currency: 'eur', metadata: { orderId: req.params.id } });
});`,
      deps: ['express'],
      errors: [{ line: 6, column: 9 }],
      fixTitle: /stable for this operation/,
      output: STRIPE + `import express from 'express';
const app = express();
app.post('/orders/:id/pay', async (req, res) => {
  await stripe.charges.create({ amount: 500, currency: 'eur', metadata: { orderId: req.params.id } }, { idempotencyKey: \`charge-\${req.params.id}\` });
});`,
    },
    {
      name: 'an options object without the key gets it',
      code: STRIPE + `export const pay = (orderId: string) => stripe.paymentIntents.create({ amount: 1, currency: 'usd', metadata: { orderId } }, { stripeAccount: acct });`,
      errors: [{ line: 3, column: 41 }],
      output: STRIPE + `export const pay = (orderId: string) => stripe.paymentIntents.create({ amount: 1, currency: 'usd', metadata: { orderId } }, { stripeAccount: acct, idempotencyKey: \`payment-intent-\${orderId}\` });`,
    },
    {
      name: 'no request and no business id: reported without a fix',
      code: STRIPE + `for (const chargeId of chargeIds) {
  await stripe.refunds.create({ charge: chargeId });
}`,
      errors: [{ line: 4, column: 9, message: 'stripe.refunds.create()' }],
      output: null,
    },
    {
      name: 'a client imported from the project, recognised by its name',
      code: `import { stripe } from '@/lib/stripe';
export async function topUp(transactionId: string, amount: number) {
  return stripe.transfers.create({ amount, currency: 'usd', destination: acct, transfer_group: group, metadata: { transactionId } });
}`,
      errors: [{ line: 3, column: 10 }],
      output: `import { stripe } from '@/lib/stripe';
export async function topUp(transactionId: string, amount: number) {
  return stripe.transfers.create({ amount, currency: 'usd', destination: acct, transfer_group: group, metadata: { transactionId } }, { idempotencyKey: \`transfer-\${transactionId}\` });
}`,
    },
    {
      name: 'an injected client (this.stripe: Stripe) in a Nest controller with @Headers',
      code: `import Stripe from 'stripe';
import { Controller, Post, Body, Headers } from '@nestjs/common';
@Controller('billing')
export class BillingController {
  constructor(private readonly stripe: Stripe) {}
  @Post('subscribe')
  subscribe(@Body() dto: SubscribeDto, @Headers('idempotency-key') key: string) {
    return this.stripe.subscriptions.create({ customer: dto.customer, items: dto.items });
  }
}`,
      errors: [{ line: 8, column: 12 }],
      output: `import Stripe from 'stripe';
import { Controller, Post, Body, Headers } from '@nestjs/common';
@Controller('billing')
export class BillingController {
  constructor(private readonly stripe: Stripe) {}
  @Post('subscribe')
  subscribe(@Body() dto: SubscribeDto, @Headers('idempotency-key') key: string) {
    return this.stripe.subscriptions.create({ customer: dto.customer, items: dto.items }, { idempotencyKey: key });
  }
}`,
    },
    {
      name: 'a Next.js route handler: no header key (it would be undefined, and fails exactOptionalPropertyTypes)',
      code: `import Stripe from 'stripe';
const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);
export async function POST(request: Request) {
  const { amount } = await request.json();
  const intent = await stripe.paymentIntents.create({ amount, currency: 'usd' });
  return Response.json({ id: intent.id });
}`,
      filename: 'app/api/pay/route.ts',
      errors: [{ line: 5, column: 24 }],
      output: null,
    },
    {
      name: 'callback style without a business id: reported without a fix',
      code: `const stripe = require('stripe')(process.env.STRIPE_SKEY);
exports.postStripe = (req, res) => {
  stripe.charges.create({ amount: 395, currency: 'usd', source: req.body.stripeToken }, (err) => res.redirect('/'));
};`,
      filename: 'controllers/api.js',
      errors: [{ line: 3, column: 3 }],
      output: null,
    },
    {
      name: 'Fastify handler in TypeScript: no header key nobody sends',
      code: `import Fastify from 'fastify';
import Stripe from 'stripe';
const stripe = new Stripe(key);
const app = Fastify();
app.post('/charge', async (request, reply) => {
  return stripe.charges.create({ amount: 1, currency: 'usd' });
});`,
      errors: [{ line: 6, column: 10 }],
      output: null,
    },
    {
      name: 'issue 14: beside invoices.pay on one invoice, a payment intent without a key is still reported',
      code: STRIPE + `export const settle = (invoiceId: string) => stripe.invoices.pay(invoiceId);
export const charge = (amount: number) => stripe.paymentIntents.create({ amount, currency: 'usd' });`,
      errors: [{ line: 4, column: 43, message: 'stripe.paymentIntents.create() has no idempotencyKey' }],
      output: null,
    },
    {
      name: 'issue 14: a helper in another file that sets no key (view.summaryOf) does not silence an order POST',
      code: `import express from 'express';\nimport { createOrder } from './orders/create';\nconst app = express();\napp.post('/orders', async (req, res) => {\n  res.status(201).json(await createOrder(req.body));\n});`,
      deps: ['express'],
      view: { summaryOf: (specifier: string, name: string) => (specifier === './orders/create' && name === 'createOrder' ? { setsDeadline: true, catchesAll: false, canReject: true, idempotent: false } : undefined) },
      errors: [{ line: 4, column: 10, message: 'POST /orders creates an order or payment without an Idempotency-Key' }],
    },
    {
      name: 'an order POST without an Idempotency-Key (Express)',
      code: `import express from 'express';
const app = express();
app.post('/api/orders', async (req, res) => {
  const order = await prisma.order.create({ data: req.body });
  res.status(201).json(order);
});`,
      deps: ['express'],
      errors: [{ line: 3, column: 10, endLine: 3, endColumn: 23, message: 'POST /api/orders creates an order or payment without an Idempotency-Key' }],
    },
    {
      name: 'a Nest order controller',
      code: `import { Controller, Post, Body } from '@nestjs/common';
@Controller('orders')
export class OrdersController {
  @Post()
  create(@Body() dto: CreateOrderDto) {
    return this.ordersService.createOrder(dto);
  }
}`,
      errors: [{ line: 4, column: 3, message: 'POST /orders' }],
    },
    {
      name: 'a Next.js app router checkout',
      code: `export async function POST(req: Request) {
  const body = await req.json();
  const order = await db.order.create({ data: body });
  return Response.json(order);
}`,
      filename: 'src/app/api/checkout/route.ts',
      errors: [{ line: 1, column: 23, message: 'POST /api/checkout' }],
    },
  ],
});
