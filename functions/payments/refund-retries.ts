/**
 * Refunds that failed (`RefundFailed`: Stripe unavailable, or refusing) are retried by the daily
 * job RetryRefunds with the same idempotency key, so a refund Stripe did make before the failure
 * is returned, never made twice. Each refund step to retry is one item under its invoice
 * (`REFRETRY#<credit note>#<payment intent>`), queued in the sparse index partition
 * `REFUND#RETRY` by its next attempt time while it waits; every attempt is recorded in the item.
 * After REFUND_RETRY.maxAttempts attempts (the first one included) it gives up: the item leaves
 * the queue as `abandoned`, an error is logged and `RefundAbandoned` counted (alarmed): the
 * operators refund by hand.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Adapters } from '../shared/adapters.ts';
import { unlessNotFound } from '../shared/errors.ts';
import { businessMetric, logger, metrics } from '../shared/observability.ts';
import { loadInvoice } from '../invoices/index.ts';
import { refund } from './gateway.ts';
import { madeRefundFact, recordRefund } from './ledger.ts';
import { putNewRefundRetry, queuedRefundRetries, refundRetryAttemptUpdate, type RefundStep, type RetryItem } from './store.ts';

export type { RefundStep } from './store.ts';

/** Five attempts in all; the retries wait 1, 2, 4 then 8 days after the previous attempt (daily runs). */
export const REFUND_RETRY = { maxAttempts: 5, delaysDays: [1, 2, 4, 8] } as const;
/** A daily job runs at about the same time each day: an attempt due "in one day" is taken by the next run. */
const SLACK_MS = 3600 * 1000;

/** What an error may say in the item and the logs: its kind and Stripe's code, never a message. */
const describe = (error: unknown) =>
  [(error as Error).name, (error as { code?: unknown }).code].filter((p) => typeof p === 'string' && p).join(':') || 'Error';

function nextAttemptAt(now: Date, attemptCount: number): string {
  const days = REFUND_RETRY.delaysDays[Math.min(attemptCount, REFUND_RETRY.delaysDays.length) - 1]!;
  return new Date(now.getTime() + days * 24 * 3600 * 1000 - SLACK_MS).toISOString();
}

/** Queues a refund step whose first attempt failed (once: a second failure of the same step changes nothing). */
export async function queueRefundRetry(step: RefundStep, error: unknown, now: Date): Promise<void> {
  const next = nextAttemptAt(now, 1);
  const item: RetryItem = {
    ...step,
    status: 'pending',
    attemptCount: 1,
    attempts: [{ at: now.toISOString(), outcome: 'failed', error: describe(error) }],
    nextAttemptAt: next,
  };
  await putNewRefundRetry({ ...item, nextAttemptAt: next });
}

/** Writes an attempt, if no other run wrote one meanwhile (the attempt count is the condition). */
const recordAttempt = refundRetryAttemptUpdate;

export interface RetryRun {
  due: number;
  refunded: number;
  settled: number;
  failed: number;
  abandoned: number;
}

/** One attempt at every queued refund whose time has come. */
export async function retryRefunds(ports: Pick<Adapters, 'payments'>, now: Date): Promise<RetryRun> {
  const run: RetryRun = { due: 0, refunded: 0, settled: 0, failed: 0, abandoned: 0 };
  for await (const item of queuedRefundRetries(now)) {
    if (item?.status !== 'pending') continue;
    run.due++;
    await attempt(ports, item, now, run);
  }
  return run;
}

async function attempt(ports: Pick<Adapters, 'payments'>, item: RetryItem, now: Date, run: RetryRun): Promise<void> {
  const at = now.toISOString();
  const invoice = await unlessNotFound(loadInvoice(item.invoiceId));
  // What is still owed back now (a refund made meanwhile, or a new debt, lowers it).
  const owed = invoice ? Math.max(0, -invoice.amountDueCents) : 0;
  if (owed === 0) {
    if (await recordAttempt(item, { at, outcome: 'settled' }, 'settled', undefined)) run.settled++;
    logger.info('refund retry settled: nothing is owed back any more', { invoiceId: item.invoiceId, creditNoteId: item.creditNoteId });
    return;
  }
  const amountCents = Math.min(item.amountCents, owed);
  // The same key for the same request; a smaller amount is another request, so another key.
  const idempotencyKey = amountCents === item.amountCents ? item.idempotencyKey : `${item.idempotencyKey}:${amountCents}`;
  let made: Awaited<ReturnType<typeof refund>>;
  try {
    made = await refund(ports, { paymentIntentId: item.paymentIntent, amountCents, idempotencyKey });
  } catch (error) {
    const count = item.attemptCount + 1;
    const giveUp = count >= REFUND_RETRY.maxAttempts;
    const written = await recordAttempt(
      item,
      { at, outcome: 'failed', error: describe(error) },
      giveUp ? 'abandoned' : 'pending',
      giveUp ? undefined : nextAttemptAt(now, count),
    );
    if (!written) return;
    if (!giveUp) {
      run.failed++;
      logger.warn('refund retry failed', {
        invoiceId: item.invoiceId,
        creditNoteId: item.creditNoteId,
        attempt: count,
        error: describe(error),
      });
      businessMetric('RefundFailed', item.etd);
      return;
    }
    run.abandoned++;
    logger.error('refund abandoned after its last attempt: refund by hand', {
      invoiceId: item.invoiceId,
      creditNoteId: item.creditNoteId,
      paymentIntent: item.paymentIntent,
      amountCents,
      attempts: count,
      error: describe(error),
    });
    // One series without the territory for the alarm, and the territory's for the dashboard.
    metrics.addMetric('RefundAbandoned', MetricUnit.Count, 1);
    businessMetric('RefundAbandoned', item.etd);
    return;
  }
  // Made: recorded now (Stripe's charge.refunded event finds it recorded and changes nothing).
  await recordRefund(ports, madeRefundFact(item.invoiceId, item.paymentIntent, made, now), now);
  if (await recordAttempt(item, { at, outcome: 'refunded', refund: made.id }, 'refunded', undefined)) run.refunded++;
  logger.info('refund retried and made', {
    invoiceId: item.invoiceId,
    creditNoteId: item.creditNoteId,
    refund: made.id,
    attempt: item.attemptCount + 1,
  });
}
