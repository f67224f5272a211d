/**
 * The door of the payments context: the only module other contexts import from functions/payments
 * (besides contracts.ts for the API description). Everything else here is the context's own.
 *
 * Direction: payments depends on invoices (through functions/invoices/index.ts: it loads invoices
 * and composes the invoice's `balanceChange` parts with its payment and refund items in one
 * transaction). Invoices never imports payments outside its handlers: the credit-note handler
 * passes `settlement` (below) to the use case, and the invoice-payments handler reads
 * `paymentsOfInvoice` after checking the invoice is visible. So no module cycle between the two.
 *
 * - `settlement`: implements the invoices door's `Settlement` (expire the open Checkout Sessions of
 *   an invoice whose balance moved; refund what a client overpaid after a credit note, failed
 *   refunds queued for the daily retry).
 * - `paymentsOfInvoice(invoiceId, page)`: the payments then refunds of an invoice, a page at a time
 *   (the caller checks first that its principal may see the invoice).
 * - `paymentFeeCents(ports, paymentIntent)`: the fee Stripe took on a payment (its balance
 *   transaction), for the network's daily cost per territory.
 * - Events written (functions/events/catalog.ts): `PaymentReceived`, `PaymentRefunded` (ledger.ts).
 * - Its own route `POST /invoices/{id}/payments` (handlers/record-payment.ts, offline.ts): a payment
 *   received outside Stripe, recorded by staff through the same ledger; nothing of it is exported.
 *
 * The Stripe-bound parts (`settlement`, `paymentFeeCents`) load their module on first call, as the
 * invoices door does for the PDF engine: a static import of gateway.ts, even re-exported and unused,
 * kept the `stripe` package (an import esbuild must assume has side effects) in the bundle of every
 * function importing this door, e.g. InvoicePayments, which reads the ledger only and is not granted
 * the Stripe secrets. Only the functions that call these bundle the SDK.
 */
import type { Settlement } from '../invoices/index.ts';

export { ledgerPage as paymentsOfInvoice } from './store.ts';

/** gateway.ts `paymentFeeCents`, loaded on first call. */
export const paymentFeeCents = async (...args: Parameters<typeof import('./gateway.ts').paymentFeeCents>) =>
  (await import('./gateway.ts')).paymentFeeCents(...args);

export const settlement: Settlement = {
  expireOpenCheckouts: async (ports, invoice, now) => (await import('./checkout-sessions.ts')).expireOpenCheckouts(ports, invoice, now),
  refundOverpayment: async (ports, invoice, creditNoteId, now) =>
    (await import('./refunds.ts')).refundOverpayment(ports, invoice, creditNoteId, now),
};
