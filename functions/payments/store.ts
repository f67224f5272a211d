/**
 * DynamoDB access of payments (table `sales`, shared with quotes and invoices; see functions/tables.ts).
 * Every key, item shape, marker and access pattern of a payment-side item lives here; the use cases
 * (ledger.ts, checkout-sessions.ts, refund-retries.ts, refunds.ts, reminders.ts, service.ts) hold
 * the rules and ask this module for reads and for the parts of their transactions.
 *
 * The items about one invoice live in the invoice's partition `INV#<invoiceId>` (its item collection,
 * whose invoice, history and open-balance marker are functions/invoices/store.ts's): one Query there
 * lists an invoice's payments and refunds. This store never writes the invoice's own items: a move of
 * the balance is composed with the invoices door's `balanceChange` parts.
 *
 * Items                                      pk                  sk                        gsi1pk / gsi1sk
 * payment (one per PaymentIntent)            INV#<invoiceId>     PAY#<pi_…>
 * payment received outside Stripe (one per   INV#<invoiceId>     PAY#<off_…>
 *   method and reference, offline-rules.ts)
 * refund (one per Stripe refund)             INV#<invoiceId>     REF#<re_…>
 * reminder sent (one per step, in days)      INV#<invoiceId>     REMIND#<days, 3 digits>
 * Checkout Session started (open until       INV#<invoiceId>     CHECKOUT#<cs_…>
 *   paid, expired or replaced)
 * refund to retry (a failed refund)          INV#<invoiceId>     REFRETRY#<crn>#<pi>       REFUND#RETRY / <nextAttemptAt>#<invoiceId>#<crn>#<pi> (while queued)
 * the invoice a PaymentIntent paid           PI#<pi_…>           #PI
 * Stripe payment for no known invoice        ORPHAN#<pi_…>       #ORPHAN
 *
 * Item attributes: a payment `entity: 'payment'`, `kind: 'payment'`, `key` (its PaymentIntent),
 * status (processing | succeeded | failed), amountCents, method?, stripe { paymentIntent,
 * checkoutSession? } (a Stripe payment) or reference, receivedOn, recordedBy (one recorded by
 * staff), funding?, at, updatedAt; a refund `entity: 'refund'`, `kind: 'refund'`, `key` (re_…),
 * status (processing | succeeded), amountCents, stripe { paymentIntent, refund }, at, updatedAt;
 * a reminder `entity: 'reminder'`, step, at; a session `entity: 'checkout'`, sessionId, status
 * (open | expired | closed), balanceVersion, amountCents, createdAt, closedAt?; a refund to retry
 * `entity: 'refund-retry'`, its RefundStep, status, attemptCount, attempts, nextAttemptAt?; an
 * intent `entity: 'intent'`, invoiceId; an orphan `entity: 'orphan'`, the PaymentFact, recordedAt.
 *
 * Access patterns (all Get or Query, never Scan):
 * - a payment / a refund of an invoice: Get (`findPayment`, `findRefund`)
 * - payments then refunds of an invoice, a page at a time: Query INV#<id>, sk BETWEEN PAY# AND REF$ (`ledgerPage`)
 * - payments / refunds of an invoice (first hundred): Query INV#<id>, begins_with PAY# / REF# (`paymentsOf`, `refundsOf`)
 * - open Checkout Sessions of an invoice: Query INV#<id>, begins_with CHECKOUT#, status open, consistent (`openSessions`)
 * - refunds to retry due before an instant: Query gsi1 REFUND#RETRY, sk < <instant>$ (`queuedRefundRetries`)
 * - the invoice of a PaymentIntent: Get PI# (`invoiceOfIntentRecord`)
 * A payment's or a refund's move is one transaction with the invoice's balance change.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../shared/dynamo.ts';
import { ValidationError } from '../shared/errors.ts';
import { decodeCursor, encodeCursor } from '../shared/pagination.ts';
import { fromItem, itemStore, type Page, type PageRequest } from '../shared/store.ts';
import { transact, type TransactItem } from '../shared/transactions.ts';
import type { PaymentStatus } from '../invoices/index.ts';

/** The table's item access; `getItem`, `queryPage` and `keys` are exported for this context's tests only (the door exports none). */
export const { table, getItem, queryPage, queryAll } = itemStore('sales');

/** The partition of an invoice: the item collection payments shares with it (functions/invoices/store.ts). */
const invoicePartition = (invoiceId: string) => `INV#${invoiceId}`;

export const keys = {
  payment: (invoiceId: string, paymentIntent: string) => ({ pk: invoicePartition(invoiceId), sk: `PAY#${paymentIntent}` }),
  refund: (invoiceId: string, refund: string) => ({ pk: invoicePartition(invoiceId), sk: `REF#${refund}` }),
  reminder: (invoiceId: string, days: number) => ({ pk: invoicePartition(invoiceId), sk: `REMIND#${String(days).padStart(3, '0')}` }),
  checkout: (invoiceId: string, session: string) => ({ pk: invoicePartition(invoiceId), sk: `CHECKOUT#${session}` }),
  refundRetry: (invoiceId: string, creditNoteId: string, paymentIntent: string) => ({
    pk: invoicePartition(invoiceId),
    sk: `REFRETRY#${creditNoteId}#${paymentIntent}`,
  }),
  intent: (paymentIntent: string) => ({ pk: `PI#${paymentIntent}`, sk: '#PI' }),
  orphan: (paymentIntent: string) => ({ pk: `ORPHAN#${paymentIntent}`, sk: '#ORPHAN' }),
};

const partitions = { refundsToRetry: 'REFUND#RETRY' };

// ---- Records --------------------------------------------------------------------------------------

export interface PaymentRecord {
  key: string;
  kind: 'payment';
  status: PaymentStatus;
  amountCents: number;
  method?: string;
  /** A Stripe payment's ids; absent on a payment received outside Stripe and recorded by staff (key `off_…`). */
  stripe?: { paymentIntent: string; checkoutSession?: string };
  /** A payment recorded by staff: the bank reference, cheque number, CESU titles' numbers, the département's decision… */
  reference?: string;
  /** A payment recorded by staff: the Paris business date the money was received. */
  receivedOn?: string;
  /** A payment recorded by staff: who recorded it (the login). */
  recordedBy?: string;
  /** Of this payment, what third parties financed, when recorded (cents): carried by PaymentReceived for the tax-credit attestation. */
  funding?: { apaPchCents?: number; prefundedCesuCents?: number; avanceImmediateCents?: number };
  at: string;
  updatedAt: string;
}

export interface RefundRecord {
  key: string;
  kind: 'refund';
  status: 'processing' | 'succeeded';
  amountCents: number;
  stripe: { paymentIntent: string; refund: string };
  at: string;
  updatedAt: string;
}

/** One refund step to retry (functions/payments/refund-retries.ts). */
export interface RefundStep {
  readonly invoiceId: string;
  readonly etd: string;
  readonly creditNoteId: string;
  readonly paymentIntent: string;
  readonly amountCents: number;
  /** The key of the first attempt, used by every retry. */
  readonly idempotencyKey: string;
}

export interface Attempt {
  readonly at: string;
  readonly outcome: 'refunded' | 'failed' | 'settled';
  readonly error?: string;
  readonly refund?: string;
}

export type RetryItem = RefundStep & {
  status: 'pending' | 'refunded' | 'settled' | 'abandoned';
  attemptCount: number;
  attempts: Attempt[];
  nextAttemptAt?: string;
};

// ---- Ledger: payments and refunds ---------------------------------------------------------------------

export async function findPayment(invoiceId: string, paymentIntent: string): Promise<PaymentRecord | undefined> {
  const item = await getItem(keys.payment(invoiceId, paymentIntent));
  return item ? fromItem<PaymentRecord>(item) : undefined;
}

/** The payment written if its status is still `from` (none yet: not written before). */
export const paymentPut = (invoiceId: string, payment: PaymentRecord, from: PaymentStatus | undefined): TransactItem => ({
  Put: {
    TableName: table(),
    Item: { ...keys.payment(invoiceId, payment.key), entity: 'payment', ...payment },
    ConditionExpression: from === undefined ? 'attribute_not_exists(pk)' : '#status = :from',
    ...(from === undefined ? {} : { ExpressionAttributeNames: { '#status': 'status' }, ExpressionAttributeValues: { ':from': from } }),
  },
});

export async function findRefund(invoiceId: string, refund: string): Promise<RefundRecord | undefined> {
  const item = await getItem(keys.refund(invoiceId, refund));
  return item ? fromItem<RefundRecord>(item) : undefined;
}

/** A refund recorded once. */
export const newRefundPut = (invoiceId: string, refund: RefundRecord): TransactItem => ({
  Put: {
    TableName: table(),
    Item: { ...keys.refund(invoiceId, refund.key), entity: 'refund', ...refund },
    ConditionExpression: 'attribute_not_exists(pk)',
  },
});

/** A refund's status moving from `processing` to `succeeded` (nothing else changes). */
export const refundSettledUpdate = (invoiceId: string, refund: string, now: Date): TransactItem => ({
  Update: {
    TableName: table(),
    Key: keys.refund(invoiceId, refund),
    UpdateExpression: 'SET #status = :to, updatedAt = :now',
    ConditionExpression: '#status = :from',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':to': 'succeeded', ':from': 'processing', ':now': now.toISOString() },
  },
});

/** A Stripe payment for no known invoice (written as it comes: the last fact of a PaymentIntent stays). */
export async function putOrphan(paymentIntent: string, orphan: Record<string, unknown>): Promise<void> {
  await transact(
    [{ Put: { TableName: table(), Item: { ...keys.orphan(paymentIntent), entity: 'orphan', ...orphan } } }],
    () => new Error('unreachable'),
  );
}

/** Which invoice a PaymentIntent paid (refund events carry only the charge). */
export async function putIntent(paymentIntent: string, invoiceId: string): Promise<void> {
  await transact(
    [{ Put: { TableName: table(), Item: { ...keys.intent(paymentIntent), entity: 'intent', invoiceId } } }],
    () => new Error('unreachable'),
  );
}

export async function invoiceOfIntentRecord(paymentIntent: string): Promise<string | undefined> {
  return (await getItem(keys.intent(paymentIntent)))?.invoiceId as string | undefined;
}

/** The invoice's payments (its first hundred). */
export async function paymentsOf(invoiceId: string): Promise<PaymentRecord[]> {
  return (await queryPage<PaymentRecord>(undefined, invoicePartition(invoiceId), { limit: 100 }, { skPrefix: 'PAY#' })).items;
}

/** The invoice's refunds (its first hundred). */
export async function refundsOf(invoiceId: string): Promise<RefundRecord[]> {
  return (await queryPage<RefundRecord>(undefined, invoicePartition(invoiceId), { limit: 100 }, { skPrefix: 'REF#' })).items;
}

const FIRST = 'PAY#';
/** `$` follows `#`: every `REF#…` key sorts below it. */
const LAST = 'REF$';

/**
 * The payments and refunds of an invoice, a page at a time: one Query on the sort-key range from
 * `PAY#` to the end of `REF#`, filtered to those two kinds (`entity`), gives payments then refunds,
 * each in Stripe id order. The cursor is the page's last key, checked on the way back against this
 * invoice's partition and this range, so it cannot reach another invoice's items.
 */
export async function ledgerPage<T>(invoiceId: string, page: PageRequest): Promise<Page<T>> {
  const pk = invoicePartition(invoiceId);
  const start = decodeCursor(page.cursor, ['pk', 'sk'], { pk });
  if (start && !(start.sk! >= FIRST && start.sk! < LAST))
    throw new ValidationError([{ path: 'query.cursor', message: 'is not a cursor returned by this list' }]);
  const result = await documentClient().send(
    new QueryCommand({
      TableName: table(),
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :first AND :last',
      // A filter cannot name a key attribute: the items' kind says the same as their key prefix.
      FilterExpression: 'entity IN (:payment, :refund)',
      ExpressionAttributeValues: { ':pk': pk, ':first': FIRST, ':last': LAST, ':payment': 'payment', ':refund': 'refund' },
      Limit: page.limit,
      ...(start ? { ExclusiveStartKey: start } : {}),
    }),
  );
  const nextCursor = encodeCursor(result.LastEvaluatedKey);
  return { items: (result.Items ?? []).map((item) => fromItem<T>(item)), ...(nextCursor ? { nextCursor } : {}) };
}

// ---- Checkout Sessions ------------------------------------------------------------------------------

/** Records a session just started (a second record of the same session, e.g. a double click, changes nothing). */
export async function putNewCheckout(
  invoiceId: string,
  session: { sessionId: string; balanceVersion: number; amountCents: number; createdAt: string },
): Promise<void> {
  try {
    await documentClient().send(
      new PutCommand({
        TableName: table(),
        Item: { ...keys.checkout(invoiceId, session.sessionId), entity: 'checkout', status: 'open', ...session },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
}

/** The ids of the invoice's sessions still recorded as open (strongly consistent). */
export async function openSessions(invoiceId: string): Promise<string[]> {
  const found: string[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await documentClient().send(
      new QueryCommand({
        TableName: table(),
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        FilterExpression: '#status = :open',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':pk': invoicePartition(invoiceId), ':prefix': 'CHECKOUT#', ':open': 'open' },
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    for (const item of page.Items ?? []) found.push(String(item.sessionId));
    start = page.LastEvaluatedKey;
  } while (start);
  return found;
}

/** A recorded session is no longer open (`expired` by us, or `closed`: paid, or expired by Stripe). */
export async function closeCheckout(invoiceId: string, sessionId: string, status: 'expired' | 'closed', now: Date): Promise<void> {
  await documentClient()
    .send(
      new UpdateCommand({
        TableName: table(),
        Key: keys.checkout(invoiceId, sessionId),
        UpdateExpression: 'SET #status = :status, closedAt = :at',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':status': status, ':at': now.toISOString() },
      }),
    )
    .catch((error: unknown) => {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    });
}

// ---- Refunds to retry ---------------------------------------------------------------------------------

const queueKey = (step: RefundStep, at: string) => `${at}#${step.invoiceId}#${step.creditNoteId}#${step.paymentIntent}`;

/** Queues a refund step (once: a second queueing of the same step changes nothing). */
export async function putNewRefundRetry(item: RetryItem & { nextAttemptAt: string }): Promise<void> {
  try {
    await documentClient().send(
      new PutCommand({
        TableName: table(),
        Item: {
          ...keys.refundRetry(item.invoiceId, item.creditNoteId, item.paymentIntent),
          entity: 'refund-retry',
          gsi1pk: partitions.refundsToRetry,
          gsi1sk: queueKey(item, item.nextAttemptAt),
          ...item,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  } catch (failure) {
    if (!(failure instanceof ConditionalCheckFailedException)) throw failure;
  }
}

/**
 * Writes an attempt, if no other run wrote one meanwhile (the attempt count is the condition):
 * still queued for `nextAt`, or out of the queue when undefined. False: another run was first.
 */
export async function refundRetryAttemptUpdate(
  item: RetryItem,
  attempt: Attempt,
  status: RetryItem['status'],
  nextAt: string | undefined,
): Promise<boolean> {
  const queued = nextAt !== undefined;
  try {
    await documentClient().send(
      new UpdateCommand({
        TableName: table(),
        Key: keys.refundRetry(item.invoiceId, item.creditNoteId, item.paymentIntent),
        UpdateExpression: queued
          ? 'SET #status = :status, attemptCount = :count, attempts = list_append(attempts, :attempt), nextAttemptAt = :next, gsi1sk = :queue'
          : 'SET #status = :status, attemptCount = :count, attempts = list_append(attempts, :attempt) REMOVE nextAttemptAt, gsi1pk, gsi1sk',
        ConditionExpression: 'attemptCount = :was AND #status = :pending',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':status': status,
          ':count': item.attemptCount + 1,
          ':attempt': [attempt],
          ':was': item.attemptCount,
          ':pending': 'pending',
          ...(nextAt !== undefined ? { ':next': nextAt, ':queue': queueKey(item, nextAt) } : {}),
        },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/** The refunds to retry whose next attempt is due at `now` (ties included), each read whole. */
export async function* queuedRefundRetries(now: Date): AsyncGenerator<RetryItem | undefined> {
  // Queue keys start with the ISO time of the next attempt: those before now (and ties) are due.
  for await (const queued of queryAll('gsi1', partitions.refundsToRetry, 'pk,sk', { skBefore: `${now.toISOString()}$` })) {
    const raw = await getItem({ pk: String(queued.pk), sk: String(queued.sk) });
    yield raw ? fromItem<RetryItem>(raw) : undefined;
  }
}

// ---- Reminders ------------------------------------------------------------------------------------

/** The reminder of this step, once (AlreadyReminded-like error from `onExists` when it was sent). */
export async function putNewReminder(invoiceId: string, step: number, now: Date, onExists: () => Error): Promise<void> {
  await transact(
    [
      {
        Put: {
          TableName: table(),
          Item: { ...keys.reminder(invoiceId, step), entity: 'reminder', step, at: now.toISOString() },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    ],
    onExists,
  );
}

/** Forgets a reminder step (its e-mail failed: the next run tries again). */
export async function deleteReminder(invoiceId: string, step: number): Promise<void> {
  await documentClient().send(new DeleteCommand({ TableName: table(), Key: keys.reminder(invoiceId, step) }));
}
