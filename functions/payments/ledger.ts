/**
 * The payments ledger: Stripe's facts applied to invoice balances exactly once, whatever the
 * number and order of deliveries. A payment is one item per PaymentIntent whose status only moves
 * forward (processing → succeeded | failed); each move and the invoice's new balance are written
 * in one transaction, conditioned on the payment's previous status and the invoice's version, and
 * retried on a race. A processing bank debit is "pending", never "paid".
 */
import { ConflictError } from '../shared/errors.ts';
import { businessMetric, logger } from '../shared/observability.ts';
import { transact, type TransactItem } from '../shared/transactions.ts';
import { amountDue, canMovePayment, paymentDelta, stateOf, type PaymentStatus } from '../invoices/domain/balance.ts';
import { balanceOf, dueMarker, historyPut, replaceInvoice, type InvoiceRecord } from '../invoices/service.ts';
import { fromItem, getItem, keys, table } from '../invoices/store.ts';
import { expireOpenCheckouts } from './checkout-sessions.ts';

const MAX_ATTEMPTS = 8;
const stripeActor = { sub: 'stripe', role: 'payments' };

export interface PaymentFact {
  readonly invoiceId: string;
  readonly paymentIntent: string;
  readonly checkoutSession?: string | undefined;
  readonly amountCents: number;
  readonly status: PaymentStatus;
  readonly method?: string | undefined;
  /** When Stripe says it happened. */
  readonly at: Date;
}

export type Outcome = 'applied' | 'unchanged' | 'unknown-invoice';

async function loadInvoice(id: string): Promise<InvoiceRecord | undefined> {
  const item = await getItem(keys.invoice(id));
  return item ? fromItem<InvoiceRecord>(item) : undefined;
}

/** The invoice with its balance moved by (paid, pending, refunded) cents. */
function rebalance(invoice: InvoiceRecord, delta: { paid: number; pending: number }, now: Date): InvoiceRecord {
  const next: InvoiceRecord = {
    ...invoice,
    amountPaidCents: invoice.amountPaidCents + delta.paid,
    amountPendingCents: invoice.amountPendingCents + delta.pending,
    version: invoice.version + 1,
    updatedAt: now.toISOString(),
    updatedBy: stripeActor.sub,
  };
  next.amountDueCents = amountDue(balanceOf(next));
  next.state = stateOf(balanceOf(next));
  return next;
}

/** Opens or closes the open-balance marker as the amount due crosses zero. */
function dueMarkerChange(before: InvoiceRecord, after: InvoiceRecord): TransactItem[] {
  if (before.amountDueCents > 0 && after.amountDueCents <= 0) return [{ Delete: { TableName: table(), Key: keys.due(after.id) } }];
  if (before.amountDueCents <= 0 && after.amountDueCents > 0) return [dueMarker(after)];
  return [];
}

/** Retries a read-decide-write step when another delivery changed the invoice meanwhile. */
async function withRetries<T>(step: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await step();
    } catch (error) {
      if (!(error instanceof Race) || attempt >= MAX_ATTEMPTS)
        throw error instanceof Race ? new ConflictError('The invoice kept changing; Stripe will deliver again.') : error;
      await new Promise((resolve) => setTimeout(resolve, 5 * attempt + Math.random() * 20));
    }
  }
}

class Race extends Error {}

/**
 * Applies a payment's move; once applied, the invoice's balance version has moved, so the other
 * Checkout Sessions still open on it are expired (never failing the move: see checkout-sessions.ts).
 */
export async function recordPayment(fact: PaymentFact, now: Date): Promise<Outcome> {
  const applied = await withRetries(() => applyPayment(fact, now));
  if (!applied) return 'unchanged';
  if (applied === 'unknown-invoice') return applied;
  await expireOpenCheckouts(applied, now, fact.checkoutSession);
  return 'applied';
}

async function applyPayment(fact: PaymentFact, now: Date): Promise<InvoiceRecord | 'unknown-invoice' | undefined> {
  const invoice = await loadInvoice(fact.invoiceId);
  if (!invoice) {
    await recordOrphan(fact, now);
    return 'unknown-invoice';
  }
  const existing = await getItem(keys.payment(invoice.id, fact.paymentIntent));
  const from = existing?.status as PaymentStatus | undefined;
  if (!canMovePayment(from, fact.status)) return undefined;
  const amount = existing ? Number(existing.amountCents) : fact.amountCents;
  const delta = paymentDelta(from, fact.status, amount);
  const next = rebalance(invoice, delta, now);
  const payment = {
    ...keys.payment(invoice.id, fact.paymentIntent),
    entity: 'payment',
    key: fact.paymentIntent,
    kind: 'payment',
    status: fact.status,
    amountCents: amount,
    ...(fact.method ? { method: fact.method } : {}),
    stripe: { paymentIntent: fact.paymentIntent, ...(fact.checkoutSession ? { checkoutSession: fact.checkoutSession } : {}) },
    at: String(existing?.at ?? fact.at.toISOString()),
    updatedAt: now.toISOString(),
  };
  await transact(
    [
      {
        Put: {
          TableName: table(),
          Item: payment,
          ConditionExpression: from === undefined ? 'attribute_not_exists(pk)' : '#status = :from',
          ...(from === undefined
            ? {}
            : { ExpressionAttributeNames: { '#status': 'status' }, ExpressionAttributeValues: { ':from': from } }),
        },
      },
      replaceInvoice(invoice, next),
      historyPut(invoice.id, next.version, stripeActor, now, {
        action: `payment-${fact.status}`,
        paymentIntent: fact.paymentIntent,
        amountCents: amount,
      }),
      ...dueMarkerChange(invoice, next),
    ],
    () => new Race(),
  );
  businessMetric(
    fact.status === 'succeeded' ? 'PaymentSucceeded' : fact.status === 'processing' ? 'PaymentProcessing' : 'PaymentFailed',
    invoice.etd,
  );
  if (next.amountDueCents < 0 && delta.paid > 0) {
    // Paid more than owed (e.g. an old checkout paid after a credit note): money to give back.
    logger.warn('invoice overpaid', { invoiceId: invoice.id, paymentIntent: fact.paymentIntent, overpaidCents: -next.amountDueCents });
    businessMetric('Overpayment', invoice.etd);
  }
  return next;
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

/**
 * Money given back: lowers what was paid (the credit note, if any, already lowered what is due),
 * from the moment Stripe accepted the refund (`pending` counts: the money has left, and a second
 * credit note must not give it back twice); the item shows `processing` until Stripe says
 * `succeeded`, which then only updates its status.
 */
export async function recordRefund(fact: RefundFact, now: Date): Promise<Outcome> {
  const applied = await withRetries(() => applyRefund(fact, now));
  if (applied === 'unknown-invoice' || applied === 'unchanged') return applied;
  await expireOpenCheckouts(applied, now);
  return 'applied';
}

async function applyRefund(fact: RefundFact, now: Date): Promise<InvoiceRecord | 'unknown-invoice' | 'unchanged'> {
  const invoice = await loadInvoice(fact.invoiceId);
  if (!invoice) return 'unknown-invoice';
  const status = fact.status === 'pending' ? 'processing' : 'succeeded';
  const existing = await getItem(keys.refund(invoice.id, fact.refund));
  if (existing) {
    if (existing.status === 'processing' && status === 'succeeded') {
      await transact(
        [
          {
            Update: {
              TableName: table(),
              Key: keys.refund(invoice.id, fact.refund),
              UpdateExpression: 'SET #status = :to, updatedAt = :now',
              ConditionExpression: '#status = :from',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: { ':to': status, ':from': 'processing', ':now': now.toISOString() },
            },
          },
        ],
        () => new Race(),
      );
    }
    return 'unchanged';
  }
  const next = rebalance(invoice, { paid: -fact.amountCents, pending: 0 }, now);
  await transact(
    [
      {
        Put: {
          TableName: table(),
          Item: {
            ...keys.refund(invoice.id, fact.refund),
            entity: 'refund',
            key: fact.refund,
            kind: 'refund',
            status,
            amountCents: fact.amountCents,
            stripe: { paymentIntent: fact.paymentIntent, refund: fact.refund },
            at: fact.at.toISOString(),
            updatedAt: now.toISOString(),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      replaceInvoice(invoice, next),
      historyPut(invoice.id, next.version, stripeActor, now, { action: 'refund', refund: fact.refund, amountCents: fact.amountCents }),
      ...dueMarkerChange(invoice, next),
    ],
    () => new Race(),
  );
  businessMetric('PaymentRefunded', invoice.etd);
  return next;
}

/** A Stripe payment for no known invoice: kept for reconciliation and for the operators. */
async function recordOrphan(fact: PaymentFact, now: Date): Promise<void> {
  logger.warn('payment for an unknown invoice', { paymentIntent: fact.paymentIntent, status: fact.status });
  await transact(
    [
      {
        Put: {
          TableName: table(),
          Item: { ...keys.orphan(fact.paymentIntent), entity: 'orphan', ...fact, at: fact.at.toISOString(), recordedAt: now.toISOString() },
        },
      },
    ],
    () => new Error('unreachable'),
  );
}
