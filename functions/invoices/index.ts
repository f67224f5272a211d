/**
 * The door of the invoices context: the only module other contexts import from functions/invoices
 * (besides contracts.ts for the API description). Everything else here is the context's own.
 *
 * - Reads: `getInvoice(principal, id)` (the invoice the caller may see, else NotFound);
 *   `loadInvoice(id)` (whoever asks, NotFound only on real absence: loading is not authorising);
 *   `invoiceVersion(id)` (strongly consistent); `openBalancesDueBefore(date)` (ids of the invoices
 *   with money due before a date, for reminders); `findCreditNote(id)`; `canSee(principal, invoice)`.
 * - Transaction parts: `balanceChange(invoice, change, actor, now, entry)` → `{ next, items }`: the
 *   invoice's items of a move of its balance (the invoice conditioned on its version, its history
 *   entry, its open-balance marker), which payments writes in ONE transaction with its own items.
 * - Pay link: `payToken(ports, id)`, `payUrl(ports, id)`.
 * - Pure rules: `isOverdue`, `canMovePayment`, `paymentDelta`, `reminderStepOn` (domain/balance.ts);
 *   `htOfMove`, `htShareCents`, `eventTotals` (domain/revenue.ts: the HT of money received or given
 *   back, the one pro-rata rule of the PaymentReceived / PaymentRefunded events).
 * - Events written (functions/events/catalog.ts): `InvoiceIssued` (issue.ts), `CreditNoteIssued` (credit-notes.ts).
 * - What crediting asks of payments: the interface `Settlement` (payments implements it; the
 *   credit-note handler passes it in, so invoices never imports payments outside its handlers).
 * - Read models: `InvoiceRecord`, `CreditNoteRecord`, `PaymentStatus`, `BalanceChange`.
 * - `issueBusinessInvoice(ports, actor, request, now)` (business.ts): a standard invoice to a business
 *   client given on the invoice (legal name, SIRET, address, e-mail), issued on behalf of a system
 *   actor by a territory's CAE, once per source (referrals: the commission a partner is invoiced);
 *   answers its id, number, totals and pay link. Types `BusinessInvoiceRequest`, `IssuedBusinessInvoice`.
 */
export { getInvoice, payToken, payUrl } from './service.ts';
export { findCreditNote, invoiceVersion, loadInvoice, openBalancesDueBefore, type CreditNoteRecord, type InvoiceRecord } from './store.ts';
export { canSee } from './domain/access.ts';
export { balanceChange, type BalanceMove } from './balance-change.ts';
export { canMovePayment, isOverdue, paymentDelta, reminderStepOn, type BalanceChange, type PaymentStatus } from './domain/balance.ts';
export { eventTotals, htOfMove, htShareCents, type HtRatio } from './domain/revenue.ts';
export type { Settlement } from './credit-notes.ts';
export type { BusinessInvoiceRequest, IssuedBusinessInvoice } from './business.ts';

/** business.ts `issueBusinessInvoice`, loaded on first call: the PDF engine is evaluated only by the functions that issue. */
export const issueBusinessInvoice = async (...args: Parameters<typeof import('./business.ts').issueBusinessInvoice>) =>
  (await import('./business.ts')).issueBusinessInvoice(...args);
