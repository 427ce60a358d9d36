/**
 * Payment providers and other senders (email): what moves money (and where its idempotency key
 * goes), and the idempotency middleware packages.
 */
import type { LibraryRecord } from './types';

export const PAYMENTS: readonly LibraryRecord[] = [
  {
    id: 'stripe',
    label: 'Stripe',
    modules: ['stripe'],
    roles: ['sdk', 'payments'],
    signal: { dependency: 'service' },
    io: { kind: 'sdk', factories: ['default', 'Stripe'], local: ['webhooks'], promise: { returns: 'promise' }, reads: ['retrieve', 'list', 'search'] },
    payments: {
      // resource.method → index of the request-options argument
      moneyMovers: {
        'paymentIntents.create': 1, 'charges.create': 1, 'refunds.create': 1, 'transfers.create': 1, 'payouts.create': 1,
        'subscriptions.create': 1, 'topups.create': 1, 'invoiceItems.create': 1, 'invoices.pay': 2, 'transfers.createReversal': 2,
        'applicationFees.createRefund': 2,
      },
      idempotencyOptions: ['idempotencyKey', 'idempotency_key'],
      // `invoices.pay(id)` pays that one invoice: a retry of a paid invoice fails, it cannot pay twice
      idempotentByConstruction: ['invoices.pay'],
    },
  },
  { id: 'nodemailer', label: 'Nodemailer', modules: ['nodemailer'], roles: ['email'], signal: { dependency: 'service' } },
  // idempotency middleware: a route behind one is protected against retried requests
  { id: 'express-idempotency', label: 'express-idempotency', modules: ['express-idempotency'], roles: ['idempotency'] },
  { id: 'express-idempotent', label: 'express-idempotent', modules: ['express-idempotent'], roles: ['idempotency'] },
  { id: 'idempotency-middleware', label: 'idempotency-middleware', modules: ['idempotency-middleware'], roles: ['idempotency'] },
  { id: 'node-idempotency', label: '@node-idempotency', modules: ['@node-idempotency/express', '@node-idempotency/nestjs', '@node-idempotency/fastify'], roles: ['idempotency'] },
  { id: 'fastify-idempotency', label: 'fastify-idempotency', modules: ['fastify-idempotency'], roles: ['idempotency'] },
  { id: 'nestjs-idempotency', label: 'nestjs-idempotency', modules: ['nestjs-idempotency'], roles: ['idempotency'] },
  { id: 'nestjs-idempotency-core', label: '@nestjs-idempotency/core', modules: ['@nestjs-idempotency/core'], roles: ['idempotency'] },
];

/** The request header clients send an idempotency key in. */
export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
