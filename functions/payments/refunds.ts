/**
 * Giving back what a client overpaid once a credit note lowered the invoice: what invoicing asks of
 * payments (the invoices door's `Settlement`, implemented by `settlement` in index.ts).
 */
import type { Adapters } from '../shared/adapters.ts';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { businessMetric, logger, metrics } from '../shared/observability.ts';
import type { InvoiceRecord } from '../invoices/index.ts';
import { refund } from './gateway.ts';
import { madeRefundFact, recordRefund } from './ledger.ts';
import { isStripeKey } from './offline-rules.ts';
import { queueRefundRetry } from './refund-retries.ts';
import { paymentsOf, refundsOf } from './store.ts';

/**
 * The client paid more than it now owes: the difference goes back through Stripe refunds, taken
 * from its card or debit payments (newest first); what they cannot cover (money received by
 * transfer, cheque, CESU, APA…) is logged and counted (`ManualRefundDue`) for the operators. Each refund is recorded when made; one that
 * fails (`RefundFailed`) is queued for the daily RetryRefunds job, which retries it with the same
 * idempotency key (one key per credit note and payment, so a retry is never a second refund).
 */
export async function refundOverpayment(
  ports: Pick<Adapters, 'payments'>,
  invoice: InvoiceRecord,
  creditNoteId: string,
  now: Date,
): Promise<void> {
  let toRefund = -invoice.amountDueCents;
  const [payments, refunds] = await Promise.all([paymentsOf(invoice.id), refundsOf(invoice.id)]);
  const refunded = (paymentIntent: string) =>
    refunds.filter((r) => r.stripe.paymentIntent === paymentIntent).reduce((sum, r) => sum + r.amountCents, 0);
  // Only Stripe can give back a Stripe payment; a transfer, cheque, CESU or APA payment is given back by hand.
  const byStripe = payments.filter((p) => p.status === 'succeeded' && p.stripe && isStripeKey(p.key));
  for (const payment of byStripe.sort((a, b) => b.at.localeCompare(a.at))) {
    if (toRefund <= 0) break;
    const amountCents = Math.min(toRefund, payment.amountCents - refunded(payment.key));
    if (amountCents <= 0) continue;
    toRefund -= amountCents;
    const idempotencyKey = `refund:${creditNoteId}:${payment.key}`;
    let made: Awaited<ReturnType<typeof refund>>;
    try {
      made = await refund(ports, { paymentIntentId: payment.key, amountCents, idempotencyKey });
    } catch (error) {
      // The credit note stands; the refund is due (a negative amount due), alarmed, and retried.
      logger.error('refund failed', { invoiceId: invoice.id, creditNoteId, error: (error as Error).name });
      businessMetric('RefundFailed', invoice.etd);
      await queueRefundRetry(
        { invoiceId: invoice.id, etd: invoice.etd, creditNoteId, paymentIntent: payment.key, amountCents, idempotencyKey },
        error,
        now,
      );
      continue;
    }
    // Recorded now, not only when `charge.refunded` arrives: a second credit note meanwhile must
    // see this money as given back (the webhook then finds it recorded and changes nothing).
    const at = new Date();
    await recordRefund(ports, madeRefundFact(invoice.id, payment.key, made, at), at);
  }
  if (toRefund > 0) {
    // What the card payments cannot cover was paid outside Stripe: the operators give it back (by transfer).
    logger.warn('overpayment to give back by hand', { invoiceId: invoice.id, creditNoteId, cents: toRefund });
    businessMetric('ManualRefundDue', invoice.etd);
    // Without a territory too, for the operators' alarm (infra/stacks/stateless.ts ManualRefundDue).
    metrics.addMetric('ManualRefundDue', MetricUnit.Count, 1);
  }
}
