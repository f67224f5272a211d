/**
 * What the back office asks Stripe, through the official SDK on the `payments` port it is given
 * (api.stripe.com in the cloud; offline, the embedded stand-in or real Stripe with a test key). Amounts are integer
 * cents in euros. Nothing here logs a card, an e-mail address or a key.
 */
import Stripe from 'stripe';
import type { Adapters } from '../shared/adapters.ts';
import { onlinePaymentRefusal, STRIPE_EUR_LIMITS } from './limits.ts';
import { isStripeKey } from './offline-rules.ts';

/** Stripe cannot be reached, or answered with a server error / rate limit: retry later. Nothing was charged. */
export class StripeUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StripeUnavailableError';
  }
}

/** The Stripe-Signature header is missing, or does not sign this body with the webhook secret (or is too old). */
export class BadSignatureError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BadSignatureError';
  }
}

/** SDK error types that mean "Stripe is not available right now" (the SDK already retried them where safe). */
const UNAVAILABLE = new Set(['StripeConnectionError', 'StripeAPIError', 'StripeRateLimitError']);

function isUnavailable(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const { type, statusCode } = error as { type?: unknown; statusCode?: unknown };
  return (typeof type === 'string' && UNAVAILABLE.has(type)) || (typeof statusCode === 'number' && statusCode >= 500);
}

/** The SDK client, built once per connection (a key rolled by the operators gets a new one). */
const clients = new Map<string, Stripe>();
/** Where Stripe is: the port every function of this module is given. */
export type StripePorts = Pick<Adapters, 'payments'>;

export async function stripeClient(ports: StripePorts): Promise<Stripe> {
  const { apiKey, options } = await ports.payments.connection();
  const id = `${apiKey}@${options.host ?? 'api.stripe.com'}:${options.port ?? ''}`;
  let client = clients.get(id);
  if (!client) {
    client = new Stripe(apiKey, options);
    clients.set(id, client);
  }
  return client;
}

/** Runs one Stripe call; connection failures, 5xx and 429 become StripeUnavailableError. */
async function call<T>(ports: StripePorts, what: string, run: (stripe: Stripe) => Promise<T>): Promise<T> {
  const stripe = await stripeClient(ports);
  try {
    return await run(stripe);
  } catch (error) {
    if (isUnavailable(error)) {
      const { type, statusCode } = error as { type?: string; statusCode?: number };
      throw new StripeUnavailableError(`Stripe is unavailable (${what}: ${type ?? 'error'}${statusCode ? ` ${statusCode}` : ''})`, {
        cause: error,
      });
    }
    throw error;
  }
}

// ---- Checkout ----------------------------------------------------------------------------------------

export interface CheckoutRequest {
  readonly invoiceId: string;
  readonly etd: string;
  /** The invoice number, e.g. F-SAMAD44-2026-000042. */
  readonly number: string;
  readonly amountDueCents: number;
  /** The invoice's version: part of the idempotency key. */
  readonly balanceVersion: number;
  readonly customerEmail?: string | null;
  /** May contain {CHECKOUT_SESSION_ID}, which Stripe replaces. */
  readonly successUrl: string;
  readonly cancelUrl: string;
}

export interface CheckoutStarted {
  /** cs_… */
  readonly id: string;
  /** The hosted payment page to redirect the client to. */
  readonly url: string;
}

/**
 * The idempotency key of a checkout: one session per state of the invoice's balance (its version
 * moves with every payment, failure or credit note) and amount due — a double click gets the same
 * session; a new attempt after a failed debit gets a new one.
 */
export const checkoutIdempotencyKey = (invoiceId: string, balanceVersion: number, amountDueCents: number): string =>
  `checkout:${invoiceId}:v${balanceVersion}:${amountDueCents}`;

/**
 * A Checkout Session (mode payment, card or SEPA debit when enabled in the dashboard, in French) for the amount due. The same
 * invoice and amount give the same session for 24 hours (Stripe's idempotency window).
 */
export async function createCheckout(ports: StripePorts, request: CheckoutRequest): Promise<CheckoutStarted> {
  const { invoiceId, etd, number, amountDueCents } = request;
  if (!Number.isSafeInteger(amountDueCents) || amountDueCents <= 0)
    throw new RangeError(`amountDueCents must be a positive integer, not ${amountDueCents}`);
  if (onlinePaymentRefusal(amountDueCents))
    throw new RangeError(
      `amountDueCents ${amountDueCents} is outside Stripe's limits ${STRIPE_EUR_LIMITS.minimumCents}..${STRIPE_EUR_LIMITS.maximumCents}`,
    );
  const params: Stripe.Checkout.SessionCreateParams = {
    mode: 'payment',
    line_items: [
      {
        quantity: 1,
        price_data: { currency: 'eur', unit_amount: amountDueCents, product_data: { name: `Facture ${number}` } },
      },
    ],
    // API 2026-09-30.endive and later (the SDK's pinned version) have no `payment_method_types`
    // on create: a filter on the methods enabled in the dashboard instead.
    allowed_payment_method_types: ['card', 'sepa_debit'],
    locale: 'fr',
    client_reference_id: invoiceId,
    metadata: { invoiceId, etd, number },
    // The PaymentIntent does not inherit the session's metadata: give it the same, for the dashboard.
    payment_intent_data: { metadata: { invoiceId, etd, number } },
    success_url: request.successUrl,
    cancel_url: request.cancelUrl,
    ...(request.customerEmail ? { customer_email: request.customerEmail } : {}),
  };
  const session = await call(ports, 'create checkout session', (stripe) =>
    stripe.checkout.sessions.create(params, { idempotencyKey: checkoutIdempotencyKey(invoiceId, request.balanceVersion, amountDueCents) }),
  );
  if (!session.url) throw new Error(`Checkout Session ${session.id} has no URL (status ${String(session.status)})`);
  return { id: session.id, url: session.url };
}

/**
 * Expires an open Checkout Session (POST /v1/checkout/sessions/{id}/expire): its page then refuses
 * to pay. Stripe expires `open` sessions only and answers an error for any other: `not-open` then
 * (complete or already expired, checked by reading the session), so a retry is harmless.
 */
export async function expireCheckout(ports: StripePorts, sessionId: string): Promise<'expired' | 'not-open'> {
  try {
    await call(ports, 'expire checkout session', (stripe) => stripe.checkout.sessions.expire(sessionId));
    return 'expired';
  } catch (error) {
    if (error instanceof StripeUnavailableError) throw error;
    const session = await call(ports, 'retrieve checkout session', (stripe) => stripe.checkout.sessions.retrieve(sessionId));
    if (session.status !== 'open') return 'not-open';
    throw error;
  }
}

// ---- Webhooks ----------------------------------------------------------------------------------------

/**
 * The event of a webhook delivery, after checking its signature on the raw body (as received,
 * byte for byte) with the webhook secret, within Stripe's default tolerance (300 s).
 */
export async function verifyEvent(ports: StripePorts, rawBody: string, signature: string | undefined): Promise<Stripe.Event> {
  if (!signature) throw new BadSignatureError('No Stripe-Signature header');
  const [stripe, secret] = await Promise.all([stripeClient(ports), ports.payments.webhookSecret()]);
  try {
    return await stripe.webhooks.constructEventAsync(rawBody, signature, secret);
  } catch (error) {
    const type = (error as { type?: string }).type ?? (error as Error).name;
    throw new BadSignatureError(`Stripe-Signature rejected (${type})`, { cause: error });
  }
}

// ---- Refunds -----------------------------------------------------------------------------------------

export interface RefundRequest {
  readonly paymentIntentId: string;
  readonly amountCents: number;
  /** Same key, same refund: e.g. derived from the credit note. */
  readonly idempotencyKey: string;
}

export interface RefundResult {
  /** re_… */
  readonly id: string;
  readonly status: string | null;
  readonly amountCents: number;
  readonly chargeId: string | null;
  readonly paymentIntentId: string;
}

export async function refund(ports: StripePorts, request: RefundRequest): Promise<RefundResult> {
  const { paymentIntentId, amountCents, idempotencyKey } = request;
  if (!Number.isSafeInteger(amountCents) || amountCents <= 0)
    throw new RangeError(`amountCents must be a positive integer, not ${amountCents}`);
  const created = await call(ports, 'create refund', (stripe) =>
    stripe.refunds.create({ payment_intent: paymentIntentId, amount: amountCents }, { idempotencyKey }),
  );
  const chargeId = typeof created.charge === 'string' ? created.charge : (created.charge?.id ?? null);
  return { id: created.id, status: created.status, amountCents: created.amount, chargeId, paymentIntentId };
}

// ---- Reconciliation ----------------------------------------------------------------------------------

export interface StripePayment {
  readonly sessionId: string;
  readonly paymentIntentId: string;
  /** From the session's metadata (or client_reference_id); '' for a session the back office did not make. */
  readonly invoiceId: string;
  readonly etd: string;
  readonly amountCents: number;
  /** succeeded: paid; processing: a debit not settled yet; failed: a debit that failed after the session completed. */
  readonly status: 'succeeded' | 'processing' | 'failed';
  /** When the Checkout Session was created. */
  readonly created: Date;
}

/**
 * The payments of the Checkout Sessions created since `since`, newest first, every page (the SDK
 * paginates), with their PaymentIntent (expanded in the same list call). Sessions with no payment
 * attempt, or whose only attempts were declined while the session stays open, are not payments.
 */
export async function* recentPayments(ports: StripePorts, since: Date): AsyncGenerator<StripePayment> {
  const stripe = await stripeClient(ports);
  const list = stripe.checkout.sessions.list({
    created: { gte: Math.floor(since.getTime() / 1000) },
    limit: 100,
    expand: ['data.payment_intent'],
  });
  const iterator = list[Symbol.asyncIterator]();
  for (;;) {
    let next: IteratorResult<Stripe.Checkout.Session>;
    try {
      next = await iterator.next();
    } catch (error) {
      if (isUnavailable(error)) throw new StripeUnavailableError('Stripe is unavailable (list checkout sessions)', { cause: error });
      throw error;
    }
    if (next.done) return;
    const payment = toPayment(next.value);
    if (payment) yield payment;
  }
}

function toPayment(session: Stripe.Checkout.Session): StripePayment | undefined {
  if (session.mode !== 'payment') return undefined;
  const intent = session.payment_intent;
  if (!intent || typeof intent === 'string') return undefined;
  let status: StripePayment['status'];
  if (intent.status === 'succeeded') status = 'succeeded';
  else if (intent.status === 'processing') status = 'processing';
  else if (intent.status === 'requires_payment_method' && session.status === 'complete') status = 'failed';
  else return undefined;
  return {
    sessionId: session.id,
    paymentIntentId: intent.id,
    invoiceId: session.metadata?.invoiceId ?? session.client_reference_id ?? '',
    etd: session.metadata?.etd ?? '',
    amountCents: intent.amount,
    status,
    created: new Date(session.created * 1000),
  };
}

// ---- Fees ------------------------------------------------------------------------------------------

/**
 * The fee Stripe took on a payment, in cents: its latest charge's balance transaction (`fee`), 0
 * while the charge has none yet (a debit still processing). For the daily cost per territory.
 */
export async function paymentFeeCents(ports: StripePorts, paymentIntent: string): Promise<number> {
  if (!isStripeKey(paymentIntent)) return 0; // received outside Stripe (recorded by staff): no fee
  const intent = await call(ports, 'retrieve payment intent fee', (stripe) =>
    stripe.paymentIntents.retrieve(paymentIntent, { expand: ['latest_charge.balance_transaction'] }),
  );
  const charge = intent.latest_charge;
  if (!charge || typeof charge === 'string') return 0;
  const txn = charge.balance_transaction;
  return txn && typeof txn !== 'string' ? txn.fee : 0;
}
