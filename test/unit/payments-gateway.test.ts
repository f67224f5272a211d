/** functions/payments/gateway.ts through the local adapters, against the Stripe stand-in. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Stripe from 'stripe';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  BadSignatureError,
  checkoutIdempotencyKey,
  createCheckout,
  expireCheckout,
  recentPayments,
  refund,
  stripeClient,
  StripeUnavailableError,
  verifyEvent,
  type StripePayment,
} from '../../functions/payments/gateway.ts';
import { onlinePaymentRefusal, STRIPE_EUR_LIMITS } from '../../functions/payments/limits.ts';
import { adapters, useAdapters } from '../../functions/shared/adapters.ts';
import { localAdapters } from '../../infra/local/adapters.ts';
import { startStripeStandIn, type StripeStandIn } from '../../infra/local/stripe/index.ts';

let dataDir: string;
let standIn: StripeStandIn;

beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'oui-gateway-'));
  standIn = await startStripeStandIn(); // no webhook target: events are only recorded
  useAdapters(localAdapters({ dataDir, publicBaseUrl: 'http://127.0.0.1:3000', env: {}, stripeStandIn: standIn }));
});
afterEach(async () => {
  await standIn.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const checkout = (invoiceId = 'inv-1', amountDueCents = 45_000) =>
  createCheckout(adapters(), {
    invoiceId,
    etd: '44',
    number: 'F-SAMAD44-2026-000042',
    amountDueCents,
    balanceVersion: 3,
    customerEmail: 'client@example.test',
    successUrl: 'http://127.0.0.1:3000/pay/tok?paiement=ok',
    cancelUrl: 'http://127.0.0.1:3000/pay/tok?paiement=annule',
  });

async function collect(since: Date): Promise<StripePayment[]> {
  const out: StripePayment[] = [];
  for await (const payment of recentPayments(adapters(), since)) out.push(payment);
  return out;
}

describe('createCheckout', () => {
  it('sends a French EUR Checkout Session for the amount due, with the invoice in metadata and an idempotency key', async () => {
    const started = await checkout();
    expect(started.id).toMatch(/^cs_test_/);
    expect(started.url).toBe(`${standIn.url}/pay/${started.id}`);
    const request = standIn.requests().at(-1)!;
    expect(request).toMatchObject({
      method: 'POST',
      path: '/v1/checkout/sessions',
      status: 200,
      idempotencyKey: 'checkout:inv-1:v3:45000',
      stripeVersion: Stripe.API_VERSION,
    });
    expect(request.params).toEqual({
      mode: 'payment',
      line_items: [
        { quantity: '1', price_data: { currency: 'eur', unit_amount: '45000', product_data: { name: 'Facture F-SAMAD44-2026-000042' } } },
      ],
      allowed_payment_method_types: ['card', 'sepa_debit'],
      locale: 'fr',
      client_reference_id: 'inv-1',
      metadata: { invoiceId: 'inv-1', etd: '44', number: 'F-SAMAD44-2026-000042' },
      payment_intent_data: { metadata: { invoiceId: 'inv-1', etd: '44', number: 'F-SAMAD44-2026-000042' } },
      success_url: 'http://127.0.0.1:3000/pay/tok?paiement=ok',
      cancel_url: 'http://127.0.0.1:3000/pay/tok?paiement=annule',
      customer_email: 'client@example.test',
    });
    expect(standIn.session(started.id)).toMatchObject({
      amount_total: 45_000,
      currency: 'eur',
      payment_method_types: ['card', 'sepa_debit'],
      locale: 'fr',
    });
  });

  it('gives the same session for the same invoice and amount, a new one when the amount due changes', async () => {
    const first = await checkout();
    expect((await checkout()).id).toBe(first.id);
    expect(checkoutIdempotencyKey('inv-1', 3, 20_000)).toBe('checkout:inv-1:v3:20000');
    expect(checkoutIdempotencyKey('inv-1', 4, 20_000)).not.toBe(checkoutIdempotencyKey('inv-1', 3, 20_000)); // a new attempt after a failed debit
    expect((await checkout('inv-1', 20_000)).id).not.toBe(first.id);
  });

  it('turns an outage (5xx, lost connection) into StripeUnavailableError, and refuses a non-positive amount', async () => {
    standIn.failNextRequests(1, 503);
    await expect(checkout()).rejects.toBeInstanceOf(StripeUnavailableError);
    standIn.failNextRequests(2, 'connection');
    await expect(checkout()).rejects.toBeInstanceOf(StripeUnavailableError);
    await standIn.stop();
    await expect(checkout('inv-2')).rejects.toBeInstanceOf(StripeUnavailableError);
    await expect(checkout('inv-3', 0)).rejects.toBeInstanceOf(RangeError);
  });

  it('never asks Stripe for an amount outside its limits (0,50 € to 999 999,99 €), which Stripe would refuse', async () => {
    const before = standIn.requests().length;
    await expect(checkout('inv-1', STRIPE_EUR_LIMITS.minimumCents - 1)).rejects.toBeInstanceOf(RangeError);
    await expect(checkout('inv-1', STRIPE_EUR_LIMITS.maximumCents + 1)).rejects.toBeInstanceOf(RangeError);
    expect(standIn.requests()).toHaveLength(before);
    expect(onlinePaymentRefusal(49)).toBe('below-minimum');
    expect(onlinePaymentRefusal(100_000_000)).toBe('above-maximum');
    expect(onlinePaymentRefusal(50)).toBeUndefined();
    expect(onlinePaymentRefusal(99_999_999)).toBeUndefined();
    // The bounds are Stripe's: the stand-in (which speaks Stripe's rules) takes them and nothing past them.
    expect((await checkout('inv-min', 50)).id).toMatch(/^cs_test_/);
    expect((await checkout('inv-max', 99_999_999)).id).toMatch(/^cs_test_/);
  });

  it('lets other Stripe errors through (e.g. the same idempotency key with other parameters)', async () => {
    await checkout('inv-1', 45_000);
    const stripe = await stripeClient(adapters());
    await expect(
      stripe.checkout.sessions.create(
        {
          mode: 'payment',
          success_url: 'http://x/ok',
          line_items: [{ quantity: 1, price_data: { currency: 'eur', unit_amount: 1_000, product_data: { name: 'x' } } }],
        },
        { idempotencyKey: 'checkout:inv-1:v3:45000' },
      ),
    ).rejects.toMatchObject({ type: 'StripeIdempotencyError' });
  });
});

describe('expireCheckout', () => {
  it('expires an open session (its page then refuses to pay); a session no longer open is `not-open`, not an error', async () => {
    const open = await checkout();
    expect(await expireCheckout(adapters(), open.id)).toBe('expired');
    expect(standIn.session(open.id)).toMatchObject({ status: 'expired', url: null });
    expect(standIn.requests().at(-1)).toMatchObject({ method: 'POST', path: `/v1/checkout/sessions/${open.id}/expire`, status: 200 });
    expect(await expireCheckout(adapters(), open.id)).toBe('not-open');
    const paid = await checkout('inv-2');
    standIn.pay(paid.id, 'card');
    expect(await expireCheckout(adapters(), paid.id)).toBe('not-open');
    await expect(expireCheckout(adapters(), 'cs_test_unknown')).rejects.toMatchObject({
      type: 'StripeInvalidRequestError',
      statusCode: 404,
    });
    const third = await checkout('inv-3');
    standIn.failNextRequests(3, 503); // the SDK retries a 5xx
    await expect(expireCheckout(adapters(), third.id)).rejects.toBeInstanceOf(StripeUnavailableError);
    expect(standIn.session(third.id)).toMatchObject({ status: 'open' });
  });
});

describe('verifyEvent', () => {
  it('returns the event of a body signed with the webhook secret; BadSignatureError otherwise', async () => {
    const { id } = await checkout();
    const event = standIn.pay(id, 'card')!;
    const payload = JSON.stringify(event, null, 2);
    const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret: standIn.webhookSecret });
    expect(await adapters().payments.webhookSecret()).toBe(standIn.webhookSecret);
    await expect(verifyEvent(adapters(), payload, signature)).resolves.toMatchObject({ id: event.id, type: 'checkout.session.completed' });

    await expect(verifyEvent(adapters(), payload.replace('"paid"', '"unpaid"'), signature)).rejects.toBeInstanceOf(BadSignatureError);
    await expect(verifyEvent(adapters(), payload, undefined)).rejects.toBeInstanceOf(BadSignatureError);
    await expect(verifyEvent(adapters(), payload, 'garbage')).rejects.toBeInstanceOf(BadSignatureError);
    const other = Stripe.webhooks.generateTestHeaderString({ payload, secret: 'whsec_other' });
    await expect(verifyEvent(adapters(), payload, other)).rejects.toBeInstanceOf(BadSignatureError);
    const old = Stripe.webhooks.generateTestHeaderString({
      payload,
      secret: standIn.webhookSecret,
      timestamp: Math.floor(Date.now() / 1000) - 3600,
    });
    await expect(verifyEvent(adapters(), payload, old)).rejects.toThrow(/Stripe-Signature rejected/);
  });
});

describe('refund', () => {
  it('refunds part of a payment with the caller’s idempotency key', async () => {
    const { id } = await checkout();
    standIn.pay(id, 'card');
    const paymentIntentId = standIn.session(id)!.payment_intent as string;
    const result = await refund(adapters(), { paymentIntentId, amountCents: 5_000, idempotencyKey: 'refund:avoir-1' });
    expect(result).toMatchObject({ status: 'succeeded', amountCents: 5_000, paymentIntentId });
    expect(result.id).toMatch(/^re_/);
    expect(result.chargeId).toMatch(/^ch_/);
    expect((await refund(adapters(), { paymentIntentId, amountCents: 5_000, idempotencyKey: 'refund:avoir-1' })).id).toBe(result.id);
    expect(standIn.events().filter((e) => e.type === 'charge.refunded')).toHaveLength(1);
  });
});

describe('recentPayments', () => {
  it('lists the payments of the sessions created since a date, every page, with their status', async () => {
    const since = new Date(Date.now() - 1000);
    const card = await checkout('inv-card', 10_000);
    const debitOk = await checkout('inv-debit-ok', 20_000);
    const debitKo = await checkout('inv-debit-ko', 30_000);
    const processing = await checkout('inv-processing', 40_000);
    const declined = await checkout('inv-declined', 50_000);
    await checkout('inv-untouched', 60_000);
    standIn.pay(card.id, 'card');
    standIn.pay(debitOk.id, 'debit');
    standIn.pay(debitKo.id, 'debit');
    standIn.pay(processing.id, 'debit');
    standIn.pay(declined.id, 'decline');
    standIn.settleDebit(debitOk.id, 'succeeded');
    standIn.settleDebit(debitKo.id, 'failed');
    // 110 more paid sessions: more than one page of 100.
    for (let i = 0; i < 110; i++) standIn.pay((await checkout(`inv-bulk-${i}`, 1_000)).id, 'card');

    const payments = await collect(since);
    expect(payments).toHaveLength(114);
    const byInvoice = new Map(payments.map((p) => [p.invoiceId, p]));
    expect(byInvoice.get('inv-card')).toMatchObject({ sessionId: card.id, status: 'succeeded', amountCents: 10_000, etd: '44' });
    expect(byInvoice.get('inv-card')!.paymentIntentId).toMatch(/^pi_/);
    expect(byInvoice.get('inv-card')!.created).toBeInstanceOf(Date);
    expect(byInvoice.get('inv-debit-ok')).toMatchObject({ status: 'succeeded', amountCents: 20_000 });
    expect(byInvoice.get('inv-debit-ko')).toMatchObject({ status: 'failed', amountCents: 30_000 });
    expect(byInvoice.get('inv-processing')).toMatchObject({ status: 'processing', amountCents: 40_000 });
    expect(byInvoice.has('inv-declined')).toBe(false);
    expect(byInvoice.has('inv-untouched')).toBe(false);
    expect(new Set(payments.map((p) => p.sessionId)).size).toBe(114);
    const lists = standIn.requests().filter((r) => r.method === 'GET' && r.path === '/v1/checkout/sessions');
    expect(lists).toHaveLength(2);
    expect(lists[0]!.params).toMatchObject({
      limit: '100',
      expand: ['data.payment_intent'],
      created: { gte: String(Math.floor(since.getTime() / 1000)) },
    });

    expect(await collect(new Date(Date.now() + 60_000))).toEqual([]);
  });

  it('says StripeUnavailableError when the listing fails', async () => {
    standIn.failNextRequests(1, 500);
    await expect(collect(new Date(0))).rejects.toBeInstanceOf(StripeUnavailableError);
  });
});

describe('local payments adapter', () => {
  it('refuses a live key and asks for the webhook secret with a real test key', async () => {
    const live = localAdapters({ dataDir, publicBaseUrl: 'http://x', env: { STRIPE_SECRET_KEY: 'sk_live_abc' } });
    await expect(live.payments.connection()).rejects.toThrow(/test key/);
    const real = localAdapters({ dataDir, publicBaseUrl: 'http://x', env: { STRIPE_SECRET_KEY: 'sk_test_abc' }, stripeStandIn: standIn });
    await expect(real.payments.webhookSecret()).rejects.toThrow(/STRIPE_WEBHOOK_SECRET/);
    const none = localAdapters({ dataDir, publicBaseUrl: 'http://x', env: {} });
    await expect(none.payments.connection()).rejects.toThrow(/not configured/);
    await expect(none.secrets.get('stripeSecretKey')).rejects.toThrow(/STRIPE_SECRET_KEY is not set/);
    expect(await adapters().secrets.get('stripeWebhookSecret')).toBe(standIn.webhookSecret);
  });
});
