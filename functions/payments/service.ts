/**
 * Online payment of invoices through Stripe: the checkout, the Stripe events applied to the
 * ledger, and the daily reconciliation (the pay page is in client-link.ts, reminders in reminders.ts).
 */
import type Stripe from 'stripe';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Adapters } from '../shared/adapters.ts';
import { parisDate } from '../shared/clock.ts';
import { formatDate, formatEuros } from '../shared/french.ts';
import { businessMetric, logger, metrics } from '../shared/observability.ts';
import { PageError } from '../shared/page.ts';
import { invoiceVersion, type InvoiceRecord } from '../invoices/index.ts';
import { expireOpenCheckouts, rememberCheckout } from './checkout-sessions.ts';
import { createCheckout, recentPayments, stripeClient, StripeUnavailableError } from './gateway.ts';
import { recordPayment, recordRefund, type Outcome } from './ledger.ts';
import { onlinePaymentRefusal, STRIPE_EUR_LIMITS } from './limits.ts';
import { findPayment, invoiceOfIntentRecord, putIntent } from './store.ts';

/** Stripe, and the public address of the pages it returns to. */
export type CheckoutPorts = Pick<Adapters, 'payments' | 'publicBaseUrl'>;

// ---- Checkout ----------------------------------------------------------------------------------------

/** Why Stripe cannot take the amount, in French, with whom to ask for another way to pay (the invoice named). */
function amountRefused(invoice: InvoiceRecord): PageError | undefined {
  const refusal = onlinePaymentRefusal(invoice.amountDueCents);
  if (!refusal) return undefined;
  const whom =
    [invoice.parties?.entrepreneurName, invoice.parties?.issuerName].filter(Boolean).join(' ou ') ||
    'la personne qui vous a envoyé la facture';
  const other = `Pour la régler autrement (par virement ou par chèque), contactez ${whom} en rappelant le numéro de la facture : n° ${invoice.number ?? ''}.`;
  return refusal === 'below-minimum'
    ? new PageError(
        422,
        'Montant trop faible pour un paiement en ligne',
        `Il reste ${formatEuros(invoice.amountDueCents)} à payer, moins que le minimum de ${formatEuros(STRIPE_EUR_LIMITS.minimumCents)} qu’accepte notre prestataire de paiement en ligne. ${other}`,
      )
    : new PageError(
        422,
        'Montant trop élevé pour un paiement en ligne',
        `Il reste ${formatEuros(invoice.amountDueCents)} à payer, plus que le maximum de ${formatEuros(STRIPE_EUR_LIMITS.maximumCents)} qu’accepte notre prestataire de paiement en ligne. ${other}`,
      );
}

/**
 * A Checkout Session for what remains due; refused (French page) when nothing is to be paid now,
 * or when Stripe would refuse the amount (422, never a checkout that cannot succeed). The session
 * is recorded under the invoice, so that a later change of the balance expires it.
 */
export async function startCheckout(ports: CheckoutPorts, invoice: InvoiceRecord, token: string, now = new Date()): Promise<string> {
  if (invoice.state === 'cancelled')
    throw new PageError(409, 'Facture annulée', 'Cette facture a été annulée par un avoir : il n’y a rien à payer.');
  if (invoice.amountDueCents <= 0) throw new PageError(409, 'Facture réglée', 'Cette facture est déjà entièrement réglée. Merci !');
  if (invoice.amountPendingCents > 0)
    throw new PageError(
      409,
      'Paiement en cours',
      'Un paiement par prélèvement est en cours de traitement : inutile de payer une seconde fois.',
    );
  // C. conso L221-10: no payment within 7 days of an off-premises contract with an individual.
  if (invoice.noPaymentBefore && parisDate(now) < invoice.noPaymentBefore)
    throw new PageError(
      409,
      'Paiement pas encore possible',
      `Votre contrat a été conclu hors établissement : la loi interdit de recevoir un paiement avant le ${formatDate(invoice.noPaymentBefore)} (article L221-10 du Code de la consommation). Revenez sur cette page à partir de cette date.`,
    );
  const refused = amountRefused(invoice);
  if (refused) throw refused;
  const base = `${ports.publicBaseUrl()}/pay/${token}`;
  try {
    const session = await createCheckout(ports, {
      invoiceId: invoice.id,
      etd: invoice.etd,
      number: invoice.number!,
      amountDueCents: invoice.amountDueCents,
      balanceVersion: invoice.version,
      customerEmail: invoice.clientEmail,
      successUrl: `${base}?paiement=ok`,
      cancelUrl: `${base}?paiement=annule`,
    });
    await rememberCheckout(invoice, session.id, now);
    if ((await invoiceVersion(invoice.id)) !== invoice.version) {
      // The balance moved while the session was being made: it must not be paid.
      await expireOpenCheckouts(ports, invoice, now);
      throw new PageError(
        409,
        'Montant modifié',
        'Le montant de cette facture vient de changer. Rechargez la page pour voir ce qui reste à payer.',
      );
    }
    businessMetric('CheckoutStarted', invoice.etd);
    return session.url;
  } catch (error) {
    if (error instanceof StripeUnavailableError) {
      throw new PageError(
        503,
        'Paiement momentanément indisponible',
        'Le paiement en ligne ne répond pas pour le moment. Rien n’a été prélevé : réessayez dans quelques minutes.',
      );
    }
    throw error;
  }
}

// ---- Stripe events --------------------------------------------------------------------------------

const metadataInvoice = (session: Stripe.Checkout.Session) => session.metadata?.invoiceId ?? session.client_reference_id ?? undefined;
const idOf = (value: string | { id: string } | null | undefined) => (typeof value === 'string' ? value : value?.id);

/** Applies one verified Stripe event to the ledger; unknown types are ignored (and logged). */
export async function applyStripeEvent(ports: Pick<Adapters, 'payments'>, event: Stripe.Event, now: Date): Promise<Outcome | 'ignored'> {
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
      const outcome = await recordPayment(
        ports,
        { invoiceId, paymentIntent, checkoutSession: session.id, amountCents: session.amount_total ?? 0, status, at },
        now,
      );
      if (outcome !== 'unknown-invoice') await rememberIntent(paymentIntent, invoiceId);
      return outcome;
    }
    case 'charge.refunded': {
      const charge = event.data.object;
      const paymentIntent = idOf(charge.payment_intent);
      const invoiceId = paymentIntent ? await invoiceOfIntent(ports, paymentIntent) : undefined;
      if (!paymentIntent || !invoiceId) {
        logger.warn('refund of an unknown payment', { eventId: event.id });
        return 'unknown-invoice';
      }
      const refunds =
        charge.refunds?.data ?? (await (await stripeClient(ports)).refunds.list({ payment_intent: paymentIntent, limit: 100 })).data;
      let outcome: Outcome = 'unchanged';
      for (const refund of refunds.filter((r) => r.status === 'succeeded' || r.status === 'pending')) {
        const status = refund.status === 'pending' ? 'pending' : 'succeeded';
        if (
          (await recordRefund(
            ports,
            { invoiceId, refund: refund.id, paymentIntent, amountCents: refund.amount, status, at: new Date(refund.created * 1000) },
            now,
          )) === 'applied'
        )
          outcome = 'applied';
      }
      return outcome;
    }
    default:
      logger.info('stripe event ignored', { eventId: event.id, type: event.type });
      return 'ignored';
  }
}

/** The invoice a PaymentIntent paid: from the ledger, else from its own metadata (set at checkout). */
async function invoiceOfIntent(ports: Pick<Adapters, 'payments'>, paymentIntent: string): Promise<string | undefined> {
  const known = await invoiceOfIntentRecord(paymentIntent);
  if (known) return known;
  const intent = await (await stripeClient(ports)).paymentIntents.retrieve(paymentIntent);
  return intent.metadata?.invoiceId || undefined;
}

/** Which invoice a PaymentIntent paid (refund events carry only the charge). */
const rememberIntent = (paymentIntent: string, invoiceId: string): Promise<void> => putIntent(paymentIntent, invoiceId);

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
export async function reconcile(ports: Pick<Adapters, 'payments'>, since: Date, now: Date): Promise<Reconciliation> {
  const result: Reconciliation = { checked: 0, recovered: 0, mismatches: 0 };
  for await (const payment of recentPayments(ports, since)) {
    result.checked++;
    if (!payment.invoiceId) continue;
    const recorded = await findPayment(payment.invoiceId, payment.paymentIntentId);
    if (!recorded || (recorded.status === 'processing' && payment.status !== 'processing')) {
      const outcome = await recordPayment(
        ports,
        {
          invoiceId: payment.invoiceId,
          paymentIntent: payment.paymentIntentId,
          checkoutSession: payment.sessionId,
          amountCents: payment.amountCents,
          status: payment.status,
          at: payment.created,
        },
        now,
      );
      if (outcome === 'applied') {
        result.recovered++;
        await rememberIntent(payment.paymentIntentId, payment.invoiceId);
        logger.warn('payment recovered by reconciliation', {
          invoiceId: payment.invoiceId,
          paymentIntent: payment.paymentIntentId,
          status: payment.status,
        });
      }
      continue;
    }
    if (Number(recorded.amountCents) !== payment.amountCents || recorded.status !== payment.status) {
      result.mismatches++;
      metrics.addMetric('PaymentMismatch', MetricUnit.Count, 1);
      logger.error('payment mismatch between Stripe and the ledger', {
        invoiceId: payment.invoiceId,
        paymentIntent: payment.paymentIntentId,
        stripe: { amountCents: payment.amountCents, status: payment.status },
        ledger: { amountCents: recorded.amountCents, status: recorded.status },
      });
    }
  }
  return result;
}
