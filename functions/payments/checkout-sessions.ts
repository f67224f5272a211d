/**
 * The Checkout Sessions an invoice has open. A session is made for one state of the invoice's
 * balance (its version and amount due, functions/payments/gateway.ts `checkoutIdempotencyKey`):
 * once the balance moves (a payment, a failed debit, a refund, a credit note), a session still
 * open would let the client pay the old amount. So every session started is recorded
 * (`CHECKOUT#<cs_…>` under the invoice), and every move of the balance expires the open ones
 * (Stripe `POST /v1/checkout/sessions/{id}/expire`).
 *
 * Ordering: the checkout records its session, then re-reads the invoice; a balance move writes
 * the invoice, then reads the sessions. Both reads are strongly consistent, so at least one of
 * the two sees the other: a session made against a balance that moved meanwhile is expired.
 *
 * An expiry that fails (Stripe unavailable) never fails the move: the session stays recorded as
 * open and the next move tries again; a payment made through it meanwhile is still recorded by
 * the ledger, and flagged (`Overpayment`) when it paid more than was due.
 */
import type { Adapters } from '../shared/adapters.ts';
import { businessMetric, logger } from '../shared/observability.ts';
import type { InvoiceRecord } from '../invoices/index.ts';
import { expireCheckout } from './gateway.ts';
import { closeCheckout, openSessions, putNewCheckout } from './store.ts';

/** `closed`: no longer open at Stripe (paid, or expired by Stripe itself). */
export type CheckoutStatus = 'open' | 'expired' | 'closed';

/** Records a session just started (a second record of the same session, e.g. a double click, changes nothing). */
export async function rememberCheckout(
  invoice: Pick<InvoiceRecord, 'id' | 'version' | 'amountDueCents'>,
  sessionId: string,
  now: Date,
): Promise<void> {
  await putNewCheckout(invoice.id, {
    sessionId,
    balanceVersion: invoice.version,
    amountCents: invoice.amountDueCents,
    createdAt: now.toISOString(),
  });
}

export interface ExpiryResult {
  expired: number;
  failed: number;
}

/**
 * Expires every session of the invoice still open, after its balance moved. `paidThrough` is the
 * session the move came from (complete already: recorded as closed, not sent to Stripe). Never
 * throws: a failure is logged and counted (`CheckoutExpiryFailed`), and the next move retries.
 */
export async function expireOpenCheckouts(
  ports: Pick<Adapters, 'payments'>,
  invoice: Pick<InvoiceRecord, 'id' | 'etd'>,
  now: Date,
  paidThrough?: string,
): Promise<ExpiryResult> {
  const result: ExpiryResult = { expired: 0, failed: 0 };
  let sessions: string[];
  try {
    if (paidThrough) await closeCheckout(invoice.id, paidThrough, 'closed', now);
    sessions = await openSessions(invoice.id);
  } catch (error) {
    logger.error('open checkout sessions could not be read', { invoiceId: invoice.id, error: (error as Error).name });
    businessMetric('CheckoutExpiryFailed', invoice.etd);
    return { expired: 0, failed: 1 };
  }
  for (const sessionId of sessions) {
    try {
      const outcome = await expireCheckout(ports, sessionId);
      await closeCheckout(invoice.id, sessionId, outcome === 'expired' ? 'expired' : 'closed', now);
      if (outcome === 'expired') result.expired++;
    } catch (error) {
      result.failed++;
      logger.warn('checkout session expiry failed', { invoiceId: invoice.id, checkoutSession: sessionId, error: (error as Error).name });
      businessMetric('CheckoutExpiryFailed', invoice.etd);
    }
  }
  if (result.expired > 0)
    logger.info('checkout sessions expired after a balance change', { invoiceId: invoice.id, expired: result.expired });
  return result;
}
