/**
 * The payments ledger: Stripe's facts applied to invoice balances exactly once, whatever the
 * number and order of deliveries. A payment is one item per PaymentIntent whose status only moves
 * forward (processing → succeeded | failed); each move and the invoice's new balance are written
 * in one transaction (the payment's item from store.ts, the invoice's parts from the invoices door's
 * `balanceChange`), conditioned on the payment's previous status and the invoice's version, and
 * retried on a race. A processing bank debit is "pending", never "paid". A payment received outside
 * Stripe and recorded by staff (offline.ts) takes the same path: a fact with `offline` details,
 * admitted by the caller's rules on the invoice of each attempt. Money received (a payment
 * becoming succeeded) and money given back (a refund recorded) also write their event in that
 * transaction: `PaymentReceived`, `PaymentRefunded` (functions/events/catalog.ts), their HT by the
 * invoices door's `htOfMove`.
 */
import { outboxItem } from '../events/outbox.ts';
import type { Adapters } from '../shared/adapters.ts';
import type { Actor } from '../shared/audit.ts';
import { parisDate } from '../shared/clock.ts';
import { ConflictError, unlessNotFound } from '../shared/errors.ts';
import { businessMetric, logger } from '../shared/observability.ts';
import { transact } from '../shared/transactions.ts';
import {
  balanceChange,
  canMovePayment,
  htOfMove,
  loadInvoice,
  paymentDelta,
  type InvoiceRecord,
  type PaymentStatus,
} from '../invoices/index.ts';
import { expireOpenCheckouts } from './checkout-sessions.ts';
import type { Funding } from './offline-rules.ts';
import { findPayment, findRefund, newRefundPut, paymentPut, type PaymentRecord, putOrphan, refundSettledUpdate } from './store.ts';

const MAX_ATTEMPTS = 8;
const stripeActor = { sub: 'stripe', role: 'payments' };

export interface PaymentFact {
  readonly invoiceId: string;
  /** The payment's key: Stripe's PaymentIntent, or `off_…` for a payment recorded by staff (offline.ts). */
  readonly paymentIntent: string;
  readonly checkoutSession?: string | undefined;
  readonly amountCents: number;
  readonly status: PaymentStatus;
  readonly method?: string | undefined;
  /** When Stripe says it happened (a payment recorded by staff: when it was recorded). */
  readonly at: Date;
  /** A payment received outside Stripe (offline.ts): no Stripe ids, its business date, reference, funding and who recorded it. */
  readonly offline?: OfflineDetails | undefined;
}

export interface OfflineDetails {
  /** The Paris business date the money was received: the event's `receivedOn`. */
  readonly receivedOn: string;
  readonly reference: string;
  readonly funding?: Funding | undefined;
  readonly actor: Actor;
}

/**
 * Decides, on the invoice just read and the payment already recorded under the fact's key (if
 * any), whether the fact applies: false changes nothing (a replay); a throw refuses it. Run in
 * every attempt, so it always judges the invoice the transaction is conditioned on.
 */
export type Admission = (invoice: InvoiceRecord, existing: PaymentRecord | undefined) => boolean;

export type Outcome = 'applied' | 'unchanged' | 'unknown-invoice';

/** Retries a read-decide-write step when another delivery changed the invoice meanwhile. */
async function withRetries<T>(step: () => Promise<T>, busy = 'The invoice kept changing; Stripe will deliver again.'): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await step();
    } catch (error) {
      if (!(error instanceof Race) || attempt >= MAX_ATTEMPTS) throw error instanceof Race ? new ConflictError(busy) : error;
      await new Promise((resolve) => setTimeout(resolve, 5 * attempt + Math.random() * 20));
    }
  }
}

class Race extends Error {}

/**
 * Applies a payment's move; once applied, the invoice's balance version has moved, so the other
 * Checkout Sessions still open on it are expired (never failing the move: see checkout-sessions.ts).
 */
export async function recordPayment(ports: Pick<Adapters, 'payments'>, fact: PaymentFact, now: Date): Promise<Outcome> {
  const applied = await withRetries(() => applyPayment(fact, now));
  if (!applied) return 'unchanged';
  if (applied === 'unknown-invoice') return applied;
  await expireOpenCheckouts(ports, applied.next, now, fact.checkoutSession);
  return 'applied';
}

/**
 * `recordPayment` of a fact its caller admits first (offline.ts: its rules, its idempotency), on
 * the invoice of each attempt: the invoice and the payment as written, or undefined when `admit`
 * said no (nothing written).
 */
export async function recordAdmittedPayment(
  ports: Pick<Adapters, 'payments'>,
  fact: PaymentFact,
  now: Date,
  admit: Admission,
): Promise<{ readonly invoice: InvoiceRecord; readonly payment: PaymentRecord } | undefined> {
  const applied = await withRetries(() => applyPayment(fact, now, admit), 'The invoice kept changing; try again.');
  if (!applied || applied === 'unknown-invoice') return undefined;
  await expireOpenCheckouts(ports, applied.next, now, fact.checkoutSession);
  return { invoice: applied.next, payment: applied.payment };
}

async function applyPayment(
  fact: PaymentFact,
  now: Date,
  admit?: Admission,
): Promise<{ next: InvoiceRecord; payment: PaymentRecord } | 'unknown-invoice' | undefined> {
  const invoice = await unlessNotFound(loadInvoice(fact.invoiceId));
  if (!invoice) {
    if (fact.offline) throw new Error('a payment recorded by staff names a loaded invoice');
    await recordOrphan(fact, now);
    return 'unknown-invoice';
  }
  const existing = await findPayment(invoice.id, fact.paymentIntent);
  if (admit && !admit(invoice, existing)) return undefined;
  const from = existing?.status;
  if (!canMovePayment(from, fact.status)) return undefined;
  const amount = existing ? Number(existing.amountCents) : fact.amountCents;
  const delta = paymentDelta(from, fact.status, amount);
  const offline = fact.offline;
  const { next, items } = balanceChange(invoice, delta, offline?.actor ?? stripeActor, now, {
    action: `payment-${fact.status}`,
    ...(offline ? { payment: fact.paymentIntent, method: fact.method } : { paymentIntent: fact.paymentIntent }),
    amountCents: amount,
  });
  const funding = existing?.funding ?? offline?.funding;
  const payment: PaymentRecord = {
    key: fact.paymentIntent,
    kind: 'payment' as const,
    status: fact.status,
    amountCents: amount,
    ...(fact.method ? { method: fact.method } : {}),
    ...(offline
      ? { reference: offline.reference, receivedOn: offline.receivedOn, recordedBy: offline.actor.sub }
      : { stripe: { paymentIntent: fact.paymentIntent, ...(fact.checkoutSession ? { checkoutSession: fact.checkoutSession } : {}) } }),
    ...(funding ? { funding } : {}),
    at: String(existing?.at ?? fact.at.toISOString()),
    updatedAt: now.toISOString(),
  };
  // Money received (a payment becoming succeeded; a processing debit is not): its event, in the same transaction.
  const received =
    delta.paid > 0
      ? [
          outboxItem(
            'PaymentReceived',
            {
              invoiceId: invoice.id,
              paymentIntent: fact.paymentIntent,
              etd: invoice.etd,
              cae: invoice.cae,
              entrepreneurId: invoice.entrepreneurId,
              amountCents: delta.paid,
              netHtCents: htOfMove(invoice.amountPaidCents, next.amountPaidCents, invoice.totals),
              receivedOn: offline?.receivedOn ?? parisDate(fact.at),
              ...(funding ? { funding } : {}),
            },
            now,
          ),
        ]
      : [];
  await transact([paymentPut(invoice.id, payment, from), ...items, ...received], () => new Race());
  businessMetric(
    fact.status === 'succeeded' ? 'PaymentSucceeded' : fact.status === 'processing' ? 'PaymentProcessing' : 'PaymentFailed',
    invoice.etd,
  );
  if (next.amountDueCents < 0 && delta.paid > 0) {
    // Paid more than owed (e.g. an old checkout paid after a credit note): money to give back.
    logger.warn('invoice overpaid', { invoiceId: invoice.id, paymentIntent: fact.paymentIntent, overpaidCents: -next.amountDueCents });
    businessMetric('Overpayment', invoice.etd);
  }
  return { next, payment };
}

export interface RefundFact {
  readonly invoiceId: string;
  readonly refund: string;
  readonly paymentIntent: string;
  readonly amountCents: number;
  /** Stripe's refund status: `pending` (e.g. back to a bank account, not arrived yet) is recorded as `processing`. Default succeeded. */
  readonly status?: 'pending' | 'succeeded' | undefined;
  readonly at: Date;
}

/** What a refund Stripe just made becomes in the ledger (a `pending` one is given back all the same). */
export const madeRefundFact = (
  invoiceId: string,
  paymentIntent: string,
  made: { readonly id: string; readonly amountCents: number; readonly status: string | null },
  at: Date,
): RefundFact => ({
  invoiceId,
  refund: made.id,
  paymentIntent,
  amountCents: made.amountCents,
  status: made.status === 'pending' ? 'pending' : 'succeeded',
  at,
});

/**
 * Money given back: lowers what was paid (the credit note, if any, already lowered what is due),
 * from the moment Stripe accepted the refund (`pending` counts: the money has left, and a second
 * credit note must not give it back twice); the item shows `processing` until Stripe says
 * `succeeded`, which then only updates its status.
 */
export async function recordRefund(ports: Pick<Adapters, 'payments'>, fact: RefundFact, now: Date): Promise<Outcome> {
  const applied = await withRetries(() => applyRefund(fact, now));
  if (applied === 'unknown-invoice' || applied === 'unchanged') return applied;
  await expireOpenCheckouts(ports, applied, now);
  return 'applied';
}

async function applyRefund(fact: RefundFact, now: Date): Promise<InvoiceRecord | 'unknown-invoice' | 'unchanged'> {
  const invoice = await unlessNotFound(loadInvoice(fact.invoiceId));
  if (!invoice) return 'unknown-invoice';
  const status = fact.status === 'pending' ? ('processing' as const) : ('succeeded' as const);
  const existing = await findRefund(invoice.id, fact.refund);
  if (existing) {
    if (existing.status === 'processing' && status === 'succeeded')
      await transact([refundSettledUpdate(invoice.id, fact.refund, now)], () => new Race());
    return 'unchanged';
  }
  const { next, items } = balanceChange(invoice, { paid: -fact.amountCents, pending: 0 }, stripeActor, now, {
    action: 'refund',
    refund: fact.refund,
    amountCents: fact.amountCents,
  });
  const refund = {
    key: fact.refund,
    kind: 'refund' as const,
    status,
    amountCents: fact.amountCents,
    stripe: { paymentIntent: fact.paymentIntent, refund: fact.refund },
    at: fact.at.toISOString(),
    updatedAt: now.toISOString(),
  };
  const refunded = outboxItem(
    'PaymentRefunded',
    {
      invoiceId: invoice.id,
      refundId: fact.refund,
      paymentIntent: fact.paymentIntent,
      etd: invoice.etd,
      cae: invoice.cae,
      entrepreneurId: invoice.entrepreneurId,
      amountCents: fact.amountCents,
      netHtCents: -htOfMove(invoice.amountPaidCents, next.amountPaidCents, invoice.totals),
      refundedOn: parisDate(fact.at),
    },
    now,
  );
  await transact([newRefundPut(invoice.id, refund), ...items, refunded], () => new Race());
  businessMetric('PaymentRefunded', invoice.etd);
  return next;
}

/** A Stripe payment for no known invoice: kept for reconciliation and for the operators. */
async function recordOrphan(fact: PaymentFact, now: Date): Promise<void> {
  logger.warn('payment for an unknown invoice', { paymentIntent: fact.paymentIntent, status: fact.status });
  await putOrphan(fact.paymentIntent, { ...fact, at: fact.at.toISOString(), recordedAt: now.toISOString() });
}
