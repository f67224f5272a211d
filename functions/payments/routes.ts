/** The payments routes (online and offline payments): this context's part of the route table (functions/routes.ts). */
import { handlerIn, STAFF, type RouteDef } from '../route-def.ts';

const payments = handlerIn('payments');

export const routes = [
  {
    method: 'POST',
    path: '/invoices/{id}/payments',
    fn: 'RecordPayment',
    handler: payments('record-payment'),
    auth: { roles: STAFF },
    tables: { sales: 'write' },
    secrets: ['stripeSecretKey'],
    summary: 'Record a payment received outside Stripe (transfer, cheque, pre-funded CESU, APA/PCH, avance immédiate)',
    tag: 'payments',
  },
  {
    method: 'GET',
    path: '/pay/{token}',
    fn: 'PayPage',
    handler: payments('pay-page'),
    auth: 'public',
    tables: { sales: 'read' },
    documents: 'read',
    summary: 'The client’s page to pay an invoice (HTML, French)',
    tag: 'client',
  },
  {
    method: 'POST',
    path: '/pay/{token}/checkout',
    fn: 'StartCheckout',
    handler: payments('start-checkout'),
    auth: 'public',
    tables: { sales: 'write' },
    secrets: ['stripeSecretKey'],
    summary: 'Start a Stripe Checkout Session for the amount due',
    tag: 'client',
  },
  {
    method: 'POST',
    path: '/webhooks/stripe',
    fn: 'StripeWebhook',
    handler: payments('stripe-webhook'),
    auth: 'public',
    tables: { sales: 'write', idempotency: 'write' },
    secrets: ['stripeSecretKey', 'stripeWebhookSecret'],
    summary: 'Stripe events (signature checked on the raw body)',
    tag: 'payments',
  },
] as const satisfies readonly RouteDef[];
