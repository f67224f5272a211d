/**
 * Online payment of invoices: the client's pay page and checkout, the Stripe events applied to the
 * ledger, the daily reconciliation with Stripe, and the reminders of overdue invoices.
 */
import type Stripe from 'stripe';
import { adapters } from '../shared/adapters.ts';
import { parisDate } from '../shared/clock.ts';
import { formatDate, formatEuros } from '../shared/french.ts';
import { businessMetric, logger, metrics } from '../shared/observability.ts';
import { PageError } from '../shared/page.ts';
import { transact } from '../shared/transactions.ts';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { reminderStepOn } from '../invoices/domain/balance.ts';
import { isOverdue, payToken, type InvoiceRecord } from '../invoices/service.ts';
import { fromItem, getItem, keys, partitions, queryAll, table } from '../invoices/store.ts';
import { keys as quoteKeys } from '../quotes/store.ts';
import { createCheckout, recentPayments, StripeUnavailableError } from './gateway.ts';
import { recordPayment, recordRefund, type Outcome } from './ledger.ts';
import type { PayPage } from './page.ts';

// ---- The client's side ----------------------------------------------------------------------------

export async function invoiceOfLink(token: string): Promise<InvoiceRecord> {
  const link = await getItem(quoteKeys.link(token));
  const item = link?.invoiceId ? await getItem(keys.invoice(String(link.invoiceId))) : undefined;
  if (!item) throw new PageError(404, 'Lien inconnu', 'Ce lien ne correspond à aucune facture. Vérifiez que vous avez copié le lien en entier, ou contactez la personne qui vous a envoyé la facture.');
  return fromItem<InvoiceRecord>(item);
}

export async function payPageView(invoice: InvoiceRecord, token: string, returned: PayPage['returned'], now: Date): Promise<PayPage> {
  if (!invoice.number || !invoice.documentKey || !invoice.issueDate || !invoice.dueDate || invoice.state === 'draft') throw new Error(`invoice ${invoice.id} has a pay link but was never issued`);
  const { url } = await adapters().documents.link(invoice.documentKey, { ttlSeconds: 3600, fileName: `Facture ${invoice.number}.pdf` });
  return {
    number: invoice.number,
    title: invoice.title,
    issuerName: invoice.parties?.issuerName ?? '',
    clientName: invoice.parties?.clientName ?? '',
    issueDate: invoice.issueDate,
    dueDate: invoice.dueDate,
    grossCents: invoice.totals.grossCents,
    amountPaidCents: invoice.amountPaidCents,
    amountPendingCents: invoice.amountPendingCents,
    amountCreditedCents: invoice.amountCreditedCents,
    amountDueCents: invoice.amountDueCents,
    state: invoice.state,
    overdue: isOverdue(invoice, parisDate(now)),
    pdfUrl: url,
    checkoutAction: `/pay/${token}/checkout`,
    returned,
  };
}

/** A Checkout Session for what remains due; refused (French page) when nothing is to be paid now. */
export async function startCheckout(invoice: InvoiceRecord, token: string): Promise<string> {
  if (invoice.state === 'cancelled') throw new PageError(409, 'Facture annulée', 'Cette facture a été annulée par un avoir : il n’y a rien à payer.');
  if (invoice.amountDueCents <= 0) throw new PageError(409, 'Facture réglée', 'Cette facture est déjà entièrement réglée. Merci !');
  if (invoice.amountPendingCents > 0) throw new PageError(409, 'Paiement en cours', 'Un paiement par prélèvement est en cours de traitement : inutile de payer une seconde fois.');
  const base = `${adapters().publicBaseUrl()}/pay/${token}`;
  try {
    const session = await createCheckout({
      invoiceId: invoice.id,
      etd: invoice.etd,
      number: invoice.number!,
      amountDueCents: invoice.amountDueCents,
      balanceVersion: invoice.version,
      customerEmail: invoice.clientEmail,
      successUrl: `${base}?paiement=ok`,
      cancelUrl: `${base}?paiement=annule`,
    });
    businessMetric('CheckoutStarted', invoice.etd);
    return session.url;
  } catch (error) {
    if (error instanceof StripeUnavailableError) {
      throw new PageError(503, 'Paiement momentanément indisponible', 'Le paiement en ligne ne répond pas pour le moment. Rien n’a été prélevé : réessayez dans quelques minutes.');
    }
    throw error;
  }
}

// ---- Stripe events --------------------------------------------------------------------------------

const metadataInvoice = (session: Stripe.Checkout.Session) => session.metadata?.invoiceId ?? session.client_reference_id ?? undefined;
const idOf = (value: string | { id: string } | null | undefined) => (typeof value === 'string' ? value : value?.id);

/** Applies one verified Stripe event to the ledger; unknown types are ignored (and logged). */
export async function applyStripeEvent(event: Stripe.Event, now: Date): Promise<Outcome | 'ignored'> {
  const at = new Date(event.created * 1000);
  switch (event.type) {
    case 'checkout.session.completed':
    case 'checkout.session.async_payment_succeeded':
    case 'checkout.session.async_payment_failed': {
      const session = event.data.object;
      const invoiceId = metadataInvoice(session);
      const paymentIntent = idOf(session.payment_intent);
      if (!invoiceId || !paymentIntent) {
        logger.warn('checkout session without invoice or payment intent', { eventId: event.id, type: event.type });
        return 'ignored';
      }
      const status =
        event.type === 'checkout.session.async_payment_failed'
          ? 'failed'
          : event.type === 'checkout.session.async_payment_succeeded' || session.payment_status === 'paid'
            ? 'succeeded'
            : 'processing';
      const outcome = await recordPayment({ invoiceId, paymentIntent, checkoutSession: session.id, amountCents: session.amount_total ?? 0, status, at }, now);
      if (outcome !== 'unknown-invoice') await rememberIntent(paymentIntent, invoiceId);
      return outcome;
    }
    case 'charge.refunded': {
      const charge = event.data.object;
      const paymentIntent = idOf(charge.payment_intent);
      const invoiceId = paymentIntent ? ((await getItem(intentKey(paymentIntent)))?.invoiceId as string | undefined) : undefined;
      if (!paymentIntent || !invoiceId) {
        logger.warn('refund of an unknown payment', { eventId: event.id });
        return 'unknown-invoice';
      }
      const refunds = charge.refunds?.data ?? (await (await adapters().payments.stripe()).refunds.list({ payment_intent: paymentIntent, limit: 100 })).data;
      let outcome: Outcome = 'unchanged';
      for (const refund of refunds.filter((r) => r.status === 'succeeded' || r.status === 'pending')) {
        if ((await recordRefund({ invoiceId, refund: refund.id, paymentIntent, amountCents: refund.amount, at: new Date(refund.created * 1000) }, now)) === 'applied') outcome = 'applied';
      }
      return outcome;
    }
    default:
      logger.info('stripe event ignored', { eventId: event.id, type: event.type });
      return 'ignored';
  }
}

const intentKey = (paymentIntent: string) => ({ pk: `PI#${paymentIntent}`, sk: '#PI' });

/** Which invoice a PaymentIntent paid (refund events carry only the charge). */
async function rememberIntent(paymentIntent: string, invoiceId: string): Promise<void> {
  await transact([{ Put: { TableName: table(), Item: { ...intentKey(paymentIntent), entity: 'intent', invoiceId } } }], () => new Error('unreachable'));
}

// ---- Reconciliation -------------------------------------------------------------------------------

export interface Reconciliation {
  checked: number;
  recovered: number;
  mismatches: number;
}

/**
 * Stripe's payments of the last days against the ledger: a payment Stripe knows and the ledger
 * does not (a lost webhook) is recorded now; a different amount or status is flagged (metric
 * `PaymentMismatch`, one log line per case, ids only) for the operators.
 */
export async function reconcile(since: Date, now: Date): Promise<Reconciliation> {
  const result: Reconciliation = { checked: 0, recovered: 0, mismatches: 0 };
  for await (const payment of recentPayments(since)) {
    result.checked++;
    if (!payment.invoiceId) continue;
    const recorded = await getItem(keys.payment(payment.invoiceId, payment.paymentIntentId));
    if (!recorded || (recorded.status === 'processing' && payment.status !== 'processing')) {
      const outcome = await recordPayment({ invoiceId: payment.invoiceId, paymentIntent: payment.paymentIntentId, checkoutSession: payment.sessionId, amountCents: payment.amountCents, status: payment.status, at: payment.created }, now);
      if (outcome === 'applied') {
        result.recovered++;
        await rememberIntent(payment.paymentIntentId, payment.invoiceId);
        logger.warn('payment recovered by reconciliation', { invoiceId: payment.invoiceId, paymentIntent: payment.paymentIntentId, status: payment.status });
      }
      continue;
    }
    if (Number(recorded.amountCents) !== payment.amountCents || recorded.status !== payment.status) {
      result.mismatches++;
      metrics.addMetric('PaymentMismatch', MetricUnit.Count, 1);
      logger.error('payment mismatch between Stripe and the ledger', { invoiceId: payment.invoiceId, paymentIntent: payment.paymentIntentId, stripe: { amountCents: payment.amountCents, status: payment.status }, ledger: { amountCents: recorded.amountCents, status: recorded.status } });
    }
  }
  return result;
}

// ---- Reminders ------------------------------------------------------------------------------------

/** Overdue invoices get one e-mail per step (due + 7, + 15, + 30 days): a marker per step makes it once. */
export async function sendReminders(now: Date): Promise<{ sent: number; skipped: number }> {
  const today = parisDate(now);
  let sent = 0;
  let skipped = 0;
  for await (const marker of queryAll('gsi1', partitions.openByDueDate, 'invoiceId', { skBefore: `${today}#` })) {
    const item = await getItem(keys.invoice(String(marker.invoiceId)));
    const invoice = item ? fromItem<InvoiceRecord>(item) : undefined;
    const step = invoice?.dueDate ? reminderStepOn(invoice.dueDate, today) : undefined;
    // A bank debit still processing is the client paying: no reminder while it settles.
    if (!invoice || step === undefined || !isOverdue(invoice, today) || invoice.amountDueCents <= 0 || invoice.amountPendingCents > 0 || !invoice.clientEmail) {
      skipped++;
      continue;
    }
    try {
      await transact(
        [{ Put: { TableName: table(), Item: { ...keys.reminder(invoice.id, step), entity: 'reminder', step, at: now.toISOString() }, ConditionExpression: 'attribute_not_exists(pk)' } }],
        () => new AlreadyReminded(),
      );
    } catch (error) {
      if (error instanceof AlreadyReminded) {
        skipped++;
        continue;
      }
      throw error;
    }
    const link = `${adapters().publicBaseUrl()}/pay/${await payToken(invoice.id)}`;
    await adapters().mailer.send({
      to: invoice.clientEmail,
      subject: `Rappel : facture n° ${invoice.number} à régler`,
      text: [
        `Bonjour ${invoice.parties?.clientName ?? ''},`,
        '',
        `Sauf erreur de notre part, la facture n° ${invoice.number} (${invoice.title}) devait être réglée le ${formatDate(invoice.dueDate!)}.`,
        `Il reste ${formatEuros(invoice.amountDueCents)} à payer.`,
        '',
        'Vous pouvez la payer en ligne par carte ou prélèvement :',
        link,
        '',
        'Si vous avez réglé entre-temps, merci de ne pas tenir compte de ce message.',
        '',
        'Bien cordialement,',
        `${invoice.parties?.issuerName ?? ''} — réseau Oui Ensemble`,
      ].join('\n'),
    });
    businessMetric('ReminderSent', invoice.etd);
    sent++;
  }
  return { sent, skipped };
}

class AlreadyReminded extends Error {}
