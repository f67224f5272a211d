/** The Stripe stand-in (infra/local/stripe/index.ts) driven by the real `stripe` SDK, its page and its webhooks. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseStripeForm, startStripeStandIn, type StripeStandIn } from '../../infra/local/stripe/index.ts';

interface Received {
  readonly body: string;
  readonly signature: string;
  readonly contentType: string;
}

/** A webhook receiver on 127.0.0.1: records each delivery; answers `answer()` (default 200). */
let receiver: Server;
let receiverUrl = '';
let received: Received[] = [];
let answer: () => number = () => 200;

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({
        body: Buffer.concat(chunks).toString('utf8'),
        signature: String(req.headers['stripe-signature'] ?? ''),
        contentType: String(req.headers['content-type'] ?? ''),
      });
      res.writeHead(answer()).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/stripe`;
});
afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

let standIn: StripeStandIn;
let stripe: Stripe;

beforeEach(async () => {
  received = [];
  answer = () => 200;
  standIn = await startStripeStandIn({ webhookUrl: () => receiverUrl, retryDelaysMs: [10, 20] });
  stripe = new Stripe(standIn.apiKey, { host: '127.0.0.1', port: standIn.port, protocol: 'http', maxNetworkRetries: 0, telemetry: false });
});
afterEach(async () => {
  await standIn.stop();
});

const sessionParams = (overrides: Partial<Stripe.Checkout.SessionCreateParams> = {}): Stripe.Checkout.SessionCreateParams => ({
  mode: 'payment',
  line_items: [
    { quantity: 1, price_data: { currency: 'eur', unit_amount: 12_345, product_data: { name: 'Facture F-SAMAD44-2026-000042 – été' } } },
  ],
  allowed_payment_method_types: ['card', 'sepa_debit'],
  success_url: 'http://127.0.0.1:3000/pay/tok?paiement=ok&session={CHECKOUT_SESSION_ID}',
  cancel_url: 'http://127.0.0.1:3000/pay/tok?paiement=annule',
  metadata: { invoiceId: 'inv-1', etd: '44', number: 'F-SAMAD44-2026-000042' },
  client_reference_id: 'inv-1',
  customer_email: 'client@example.test',
  locale: 'fr',
  ...overrides,
});

/** Posts a checkout page form; returns the status, Location and body. */
async function press(url: string, action: 'card' | 'decline' | 'debit') {
  const res = await fetch(`${url}/${action}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: '',
  });
  return { status: res.status, location: res.headers.get('location'), text: await res.text() };
}

const verified = (delivery: Received) => stripe.webhooks.constructEvent(delivery.body, delivery.signature, standIn.webhookSecret);

describe('form parameters', () => {
  it('parses nested keys, indexed and empty-bracket arrays, UTF-8 and +', () => {
    expect(
      parseStripeForm(
        'line_items[0][price_data][product_data][name]=Prestation+%C3%A9t%C3%A9+%E2%80%93+10+%E2%82%AC&line_items[0][quantity]=2&line_items[1][quantity]=1&metadata[invoiceId]=a&expand[]=x&expand[]=y&created[gte]=5',
      ),
    ).toEqual({
      line_items: [{ price_data: { product_data: { name: 'Prestation été – 10 €' } }, quantity: '2' }, { quantity: '1' }],
      metadata: { invoiceId: 'a' },
      expand: ['x', 'y'],
      created: { gte: '5' },
    });
  });

  it('keeps array order by index and refuses conflicts, duplicates and prototype keys', () => {
    expect(parseStripeForm('a[2]=c&a[0]=a&a[1]=b')).toEqual({ a: ['a', 'b', 'c'] });
    expect(() => parseStripeForm('a=1&a[b]=2')).toThrow();
    expect(() => parseStripeForm('a=1&a=2')).toThrow();
    expect(() => parseStripeForm('__proto__[x]=1')).toThrow();
    expect(() => parseStripeForm('a[b=1')).toThrow();
  });
});

describe('API through the SDK', () => {
  it('creates, retrieves and lists Checkout Sessions with Stripe’s fields and wire format', async () => {
    const session = await stripe.checkout.sessions.create(sessionParams());
    expect(session).toMatchObject({
      object: 'checkout.session',
      amount_total: 12_345,
      currency: 'eur',
      mode: 'payment',
      status: 'open',
      payment_status: 'unpaid',
      payment_intent: null,
      metadata: { invoiceId: 'inv-1', etd: '44', number: 'F-SAMAD44-2026-000042' },
      client_reference_id: 'inv-1',
      success_url: 'http://127.0.0.1:3000/pay/tok?paiement=ok&session={CHECKOUT_SESSION_ID}',
      cancel_url: 'http://127.0.0.1:3000/pay/tok?paiement=annule',
      payment_method_types: ['card', 'sepa_debit'],
      allowed_payment_method_types: ['card', 'sepa_debit'],
      livemode: false,
      locale: 'fr',
    });
    expect(session.id).toMatch(/^cs_test_/);
    expect(session.url).toBe(`${standIn.url}/pay/${session.id}`);
    expect(session.lastResponse.requestId).toMatch(/^req_/);

    const request = standIn.requests().at(-1)!;
    expect(request).toMatchObject({
      method: 'POST',
      path: '/v1/checkout/sessions',
      authorized: true,
      status: 200,
      stripeVersion: Stripe.API_VERSION,
    });
    expect(request.contentType).toMatch(/application\/x-www-form-urlencoded/);
    expect(request.idempotencyKey).toMatch(/^stripe-node-retry-/);
    expect(request.params.line_items).toEqual([
      {
        quantity: '1',
        price_data: { currency: 'eur', unit_amount: '12345', product_data: { name: 'Facture F-SAMAD44-2026-000042 – été' } },
      },
    ]);

    expect(await stripe.checkout.sessions.retrieve(session.id)).toMatchObject({ id: session.id, status: 'open' });
    const withItems = await stripe.checkout.sessions.retrieve(session.id, { expand: ['line_items'] });
    expect(withItems.line_items?.data[0]).toMatchObject({
      description: 'Facture F-SAMAD44-2026-000042 – été',
      amount_total: 12_345,
      quantity: 1,
    });

    const more = [];
    for (let i = 0; i < 4; i++) more.push(await stripe.checkout.sessions.create(sessionParams({ client_reference_id: `inv-${i + 2}` })));
    const page = await stripe.checkout.sessions.list({ limit: 2 });
    expect(page).toMatchObject({ object: 'list', has_more: true, url: '/v1/checkout/sessions' });
    expect(page.data.map((s) => s.id)).toEqual([more[3]!.id, more[2]!.id]);
    const all: string[] = [];
    for await (const s of stripe.checkout.sessions.list({ limit: 2, created: { gte: session.created } })) all.push(s.id);
    expect(all).toEqual(
      [...more]
        .reverse()
        .map((s) => s.id)
        .concat(session.id),
    );
    expect((await stripe.checkout.sessions.list({ created: { gt: session.created + 10 } })).data).toEqual([]);
  });

  it('refuses what Stripe refuses: unknown parameters (payment_method_types since 2026-09-30), bad amounts, unknown ids and URLs', async () => {
    await expect(
      stripe.checkout.sessions.create({ ...sessionParams(), payment_method_types: ['card'] } as Stripe.Checkout.SessionCreateParams),
    ).rejects.toMatchObject({
      type: 'StripeInvalidRequestError',
      statusCode: 400,
      param: 'payment_method_types',
      message: 'Received unknown parameter: payment_method_types',
    });
    await expect(
      stripe.checkout.sessions.create(
        sessionParams({ line_items: [{ quantity: 1, price_data: { currency: 'eur', unit_amount: 10, product_data: { name: 'x' } } }] }),
      ),
    ).rejects.toMatchObject({ statusCode: 400, param: 'line_items' });
    await expect(stripe.checkout.sessions.retrieve('cs_test_nope')).rejects.toMatchObject({
      type: 'StripeInvalidRequestError',
      statusCode: 404,
      code: 'resource_missing',
      message: "No such checkout.session: 'cs_test_nope'",
    });
    await expect(stripe.rawRequest('GET', '/v1/customers')).rejects.toMatchObject({
      statusCode: 404,
      message: expect.stringMatching(/^Unrecognized request URL \(GET: \/v1\/customers\)/),
    });
  });

  it('answers 401 to a wrong or missing key, without echoing it', async () => {
    const wrong = new Stripe('sk_test_wrongwrongwrong1234', {
      host: '127.0.0.1',
      port: standIn.port,
      protocol: 'http',
      maxNetworkRetries: 0,
      telemetry: false,
    });
    const error = await wrong.checkout.sessions.list().catch((e: unknown) => e);
    expect(error).toMatchObject({ type: 'StripeAuthenticationError', statusCode: 401 });
    expect((error as Error).message).toMatch(/^Invalid API Key provided: sk_test_\*+1234$/);
    const res = await fetch(`${standIn.url}/v1/checkout/sessions`);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({
      error: { type: 'invalid_request_error', message: expect.stringMatching(/^You did not provide an API key/) },
    });
  });

  it('honours Idempotency-Key: same key and body → the same session (replayed); same key, other body → idempotency_error', async () => {
    const first = await stripe.checkout.sessions.create(sessionParams(), { idempotencyKey: 'checkout:inv-1:12345' });
    const again = await stripe.checkout.sessions.create(sessionParams(), { idempotencyKey: 'checkout:inv-1:12345' });
    expect(again.id).toBe(first.id);
    expect(again.lastResponse.headers['idempotent-replayed']).toBe('true');
    expect(standIn.requests().filter((r) => r.replayed)).toHaveLength(1);
    await expect(
      stripe.checkout.sessions.create(sessionParams({ client_reference_id: 'other' }), { idempotencyKey: 'checkout:inv-1:12345' }),
    ).rejects.toMatchObject({
      type: 'StripeIdempotencyError',
      statusCode: 400,
      message: expect.stringContaining('same parameters'),
    });
    expect((await stripe.checkout.sessions.list()).data).toHaveLength(1);
  });

  it('simulates outages: a 5xx (StripeAPIError) or a dropped connection (StripeConnectionError), then recovers', async () => {
    standIn.failNextRequests(1, 503);
    await expect(stripe.checkout.sessions.list()).rejects.toMatchObject({ type: 'StripeAPIError', statusCode: 503 });
    // The SDK retries a closed connection once even with maxNetworkRetries 0: two failures.
    standIn.failNextRequests(2, 'connection');
    await expect(stripe.checkout.sessions.list()).rejects.toMatchObject({ type: 'StripeConnectionError' });
    expect((await stripe.checkout.sessions.list()).object).toBe('list');
  });
});

describe('checkout page and webhooks', () => {
  it('shows a French test checkout page with the amount and the three buttons', async () => {
    const session = await stripe.checkout.sessions.create(sessionParams());
    const res = await fetch(session.url!);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html; charset=utf-8/);
    const html = await res.text();
    expect(html).toContain('<html lang="fr">');
    expect(html).toContain('<title>Paiement sécurisé — environnement de test</title>');
    expect(html).toContain('123,45');
    expect(html).toContain('Facture F-SAMAD44-2026-000042 – été');
    for (const label of ['Payer par carte', 'Simuler un refus', 'Payer par prélèvement (en cours de traitement)'])
      expect(html).toContain(label);
    expect(html).toContain('href="http://127.0.0.1:3000/pay/tok?paiement=annule">Retour</a>');
    expect((await fetch(`${standIn.url}/pay/cs_test_unknown`)).status).toBe(404);
  });

  it('card: 303 to success_url with the session id, session paid, PaymentIntent and Charge succeeded, a signed checkout.session.completed', async () => {
    const session = await stripe.checkout.sessions.create(sessionParams());
    const pressed = await press(session.url!, 'card');
    expect(pressed.status).toBe(303);
    expect(pressed.location).toBe(`http://127.0.0.1:3000/pay/tok?paiement=ok&session=${session.id}`);
    await standIn.idle();

    expect(received).toHaveLength(1);
    expect(received[0]!.contentType).toMatch(/^application\/json/);
    const event = verified(received[0]!);
    expect(event).toMatchObject({ object: 'event', type: 'checkout.session.completed', livemode: false, api_version: Stripe.API_VERSION });
    expect(event.id).toMatch(/^evt_/);
    const completed = event.data.object as Stripe.Checkout.Session;
    expect(completed).toMatchObject({
      id: session.id,
      status: 'complete',
      payment_status: 'paid',
      metadata: { invoiceId: 'inv-1' },
      url: null,
    });
    expect(completed.payment_intent).toMatch(/^pi_/);

    const intent = await stripe.paymentIntents.retrieve(completed.payment_intent as string);
    expect(intent).toMatchObject({
      object: 'payment_intent',
      status: 'succeeded',
      amount: 12_345,
      amount_received: 12_345,
      currency: 'eur',
    });
    const charge = await stripe.charges.retrieve(intent.latest_charge as string);
    expect(charge).toMatchObject({
      object: 'charge',
      payment_intent: intent.id,
      amount: 12_345,
      amount_refunded: 0,
      refunded: false,
      status: 'succeeded',
      paid: true,
    });
    expect(charge.refunds).toBeUndefined(); // not included by default since 2022-11-15
    expect((await stripe.charges.list({ payment_intent: intent.id })).data.map((c) => c.id)).toEqual([charge.id]);
    expect(await stripe.events.retrieve(event.id)).toEqual(JSON.parse(received[0]!.body));

    // Pressing again on a complete session goes back to the success page, with no second payment.
    expect((await press(session.url!, 'card')).status).toBe(303);
    await standIn.idle();
    expect(standIn.events()).toHaveLength(1);
  });

  it('expire: only an open session (else Stripe’s error shape); its page then refuses to pay, in French; checkout.session.expired is sent', async () => {
    const session = await stripe.checkout.sessions.create(sessionParams());
    const expired = await stripe.checkout.sessions.expire(session.id);
    expect(expired).toMatchObject({ id: session.id, object: 'checkout.session', status: 'expired', url: null, payment_status: 'unpaid' });
    await standIn.idle();
    expect(verified(received.at(-1)!)).toMatchObject({
      type: 'checkout.session.expired',
      data: { object: { id: session.id, status: 'expired' } },
    });

    // A second expiry, or one of a complete session, is refused the way Stripe refuses it.
    const again = await fetch(`${standIn.url}/v1/checkout/sessions/${session.id}/expire`, {
      method: 'POST',
      headers: { authorization: `Bearer ${standIn.apiKey}` },
    });
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({
      error: { type: 'invalid_request_error', message: expect.stringContaining('status in ["open"]') },
    });
    await expect(stripe.checkout.sessions.expire(session.id)).rejects.toMatchObject({ type: 'StripeInvalidRequestError', statusCode: 400 });
    const paid = await stripe.checkout.sessions.create(sessionParams({ client_reference_id: 'inv-2' }));
    await press(paid.url!, 'card');
    await expect(stripe.checkout.sessions.expire(paid.id)).rejects.toMatchObject({
      type: 'StripeInvalidRequestError',
      message: expect.stringContaining('"complete"'),
    });
    await expect(stripe.checkout.sessions.expire('cs_test_unknown')).rejects.toMatchObject({
      type: 'StripeInvalidRequestError',
      statusCode: 404,
      code: 'resource_missing',
    });

    // The hosted page of the expired session shows no button and refuses a payment (410), in French.
    const page = await fetch(session.url!);
    const html = await page.text();
    expect(html).toContain('Cette session de paiement a expiré');
    expect(html).not.toContain('Payer par carte');
    const pressed = await press(session.url!, 'card');
    expect(pressed.status).toBe(410);
    expect(pressed.text).toContain('ne peut plus être payée');
    expect(standIn.session(session.id)).toMatchObject({ status: 'expired', payment_intent: null });
  });

  it('decline: the page says the payment was refused, the session stays open, no event; a retry by card then succeeds', async () => {
    const session = await stripe.checkout.sessions.create(sessionParams());
    const declined = await press(session.url!, 'decline');
    expect(declined.status).toBe(200);
    expect(declined.text).toContain('Paiement refusé');
    expect(declined.text).toContain('Payer par carte');
    const open = await stripe.checkout.sessions.retrieve(session.id, { expand: ['payment_intent'] });
    expect(open).toMatchObject({ status: 'open', payment_status: 'unpaid' });
    expect(open.payment_intent).toMatchObject({
      status: 'requires_payment_method',
      last_payment_error: { code: 'card_declined', type: 'card_error' },
    });
    await standIn.idle();
    expect(received).toHaveLength(0);

    expect((await press(session.url!, 'card')).status).toBe(303);
    await standIn.idle();
    expect(verified(received[0]!).data.object).toMatchObject({
      status: 'complete',
      payment_status: 'paid',
      payment_intent: (open.payment_intent as Stripe.PaymentIntent).id,
    });
  });

  it('debit: completed unpaid and processing, then async_payment_succeeded (control) or async_payment_failed (HTTP control)', async () => {
    const ok = await stripe.checkout.sessions.create(sessionParams());
    const ko = await stripe.checkout.sessions.create(sessionParams());
    expect((await press(ok.url!, 'debit')).status).toBe(303);
    expect((await press(ko.url!, 'debit')).status).toBe(303);
    await standIn.idle();
    const completed = received.map(verified);
    expect(completed.map((e) => [e.type, (e.data.object as Stripe.Checkout.Session).payment_status])).toEqual([
      ['checkout.session.completed', 'unpaid'],
      ['checkout.session.completed', 'unpaid'],
    ]);
    const okIntent = (await stripe.checkout.sessions.retrieve(ok.id)).payment_intent as string;
    expect((await stripe.paymentIntents.retrieve(okIntent)).status).toBe('processing');

    const settled = standIn.settleDebit(ok.id, 'succeeded');
    expect(settled).toMatchObject({ type: 'checkout.session.async_payment_succeeded' });
    const res = await fetch(`${standIn.url}/_standin/sessions/${ko.id}/settle`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'outcome=failed',
    });
    expect(res.status).toBe(200);
    await standIn.idle();
    const later = received.slice(2).map(verified);
    expect(
      later.map((e) => [e.type, (e.data.object as Stripe.Checkout.Session).id, (e.data.object as Stripe.Checkout.Session).payment_status]),
    ).toEqual([
      ['checkout.session.async_payment_succeeded', ok.id, 'paid'],
      ['checkout.session.async_payment_failed', ko.id, 'unpaid'],
    ]);
    expect((await stripe.paymentIntents.retrieve(okIntent)).status).toBe('succeeded');
    const koIntent = await stripe.paymentIntents.retrieve((await stripe.checkout.sessions.retrieve(ko.id)).payment_intent as string);
    expect(koIntent.status).toBe('requires_payment_method');
    expect(() => standIn.settleDebit(ok.id, 'failed')).toThrow(/no processing debit/);
  });

  it('refunds: partial then the rest → charge.refunded events with amount_refunded; over-refunds refused', async () => {
    const session = await stripe.checkout.sessions.create(sessionParams());
    standIn.pay(session.id, 'card');
    const intentId = standIn.session(session.id)!.payment_intent as string;
    const partial = await stripe.refunds.create({ payment_intent: intentId, amount: 2_345 }, { idempotencyKey: 'refund:cn-1' });
    expect(partial).toMatchObject({ object: 'refund', amount: 2_345, payment_intent: intentId, status: 'succeeded' });
    expect(partial.id).toMatch(/^re_/);
    expect((await stripe.refunds.create({ payment_intent: intentId, amount: 2_345 }, { idempotencyKey: 'refund:cn-1' })).id).toBe(
      partial.id,
    );
    await expect(stripe.refunds.create({ payment_intent: intentId, amount: 20_000 })).rejects.toMatchObject({
      statusCode: 400,
      param: 'amount',
    });
    await stripe.refunds.create({ payment_intent: intentId });
    await expect(stripe.refunds.create({ payment_intent: intentId })).rejects.toMatchObject({ code: 'charge_already_refunded' });
    await standIn.idle();

    const refunded = received.map(verified).filter((e) => e.type === 'charge.refunded');
    expect(refunded.map((e) => (e.data.object as Stripe.Charge).amount_refunded)).toEqual([2_345, 12_345]);
    expect(refunded.map((e) => (e.data.object as Stripe.Charge).refunded)).toEqual([false, true]);
    expect(refunded[0]!.data.object).toMatchObject({ object: 'charge', payment_intent: intentId, amount: 12_345 });
    expect(refunded[0]!.request).toEqual({ id: expect.stringMatching(/^req_/), idempotency_key: 'refund:cn-1' });
    const charge = await stripe.charges.retrieve((refunded[0]!.data.object as Stripe.Charge).id, { expand: ['refunds'] });
    expect(charge.refunds?.data.map((r) => r.amount)).toEqual([10_000, 2_345]);
  });

  it('signs with the stand-in’s secret only: a tampered body or another secret is rejected', async () => {
    const session = await stripe.checkout.sessions.create(sessionParams());
    standIn.pay(session.id, 'card');
    await standIn.idle();
    const delivery = received[0]!;
    expect(delivery.signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    await expect(stripe.webhooks.constructEventAsync(delivery.body, delivery.signature, standIn.webhookSecret)).resolves.toMatchObject({
      type: 'checkout.session.completed',
    });
    const tampered = delivery.body.replace('"paid"', '"unpaid"');
    expect(() => stripe.webhooks.constructEvent(tampered, delivery.signature, standIn.webhookSecret)).toThrow(
      Stripe.errors.StripeSignatureVerificationError,
    );
    expect(() => stripe.webhooks.constructEvent(delivery.body, delivery.signature, 'whsec_other')).toThrow(
      Stripe.errors.StripeSignatureVerificationError,
    );
  });

  it('retries a delivery answered 500 with a fresh signature, then stops after a bounded number of attempts', async () => {
    let calls = 0;
    answer = () => (++calls === 1 ? 500 : 200);
    const session = await stripe.checkout.sessions.create(sessionParams());
    standIn.pay(session.id, 'card');
    await standIn.idle();
    expect(standIn.deliveries().map((d) => [d.attempt, d.status, d.ok])).toEqual([
      [1, 500, false],
      [2, 200, true],
    ]);
    expect(received.map(verified).map((e) => e.id)).toEqual([standIn.events()[0]!.id, standIn.events()[0]!.id]);

    answer = () => 503;
    const other = await stripe.checkout.sessions.create(sessionParams());
    standIn.pay(other.id, 'card');
    await standIn.idle();
    expect(
      standIn
        .deliveries()
        .slice(2)
        .map((d) => d.attempt),
    ).toEqual([1, 2, 3]);
  });

  it('dropNextWebhook records the event without delivering it; redeliver sends an event again, concurrently', async () => {
    const first = await stripe.checkout.sessions.create(sessionParams());
    const second = await stripe.checkout.sessions.create(sessionParams());
    standIn.dropNextWebhook();
    standIn.pay(first.id, 'card');
    standIn.pay(second.id, 'card');
    await standIn.idle();
    const [dropped, delivered] = standIn.events();
    expect(standIn.dropped()).toEqual([dropped!.id]);
    expect(received.map(verified).map((e) => e.id)).toEqual([delivered!.id]);
    expect(await stripe.events.retrieve(dropped!.id as string)).toMatchObject({ type: 'checkout.session.completed' });

    const again = await standIn.redeliver(delivered!.id as string, 3);
    expect(again.map((d) => [d.eventId, d.status, d.redelivery])).toEqual(Array.from({ length: 3 }, () => [delivered!.id, 200, true]));
    expect(received.map(verified).map((e) => e.id)).toEqual(Array.from({ length: 4 }, () => delivered!.id));
    expect(new Set(received.map((r) => r.body)).size).toBe(1);
  });
});
