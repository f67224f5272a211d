/**
 * The payments ledger on a real DynamoDB Local, fed with real-shaped Stripe events made by the
 * Stripe stand-in (infra/local/stripe/index.ts) through the official SDK: card and partial
 * payments, events delivered 1 to 5 times concurrently and out of order, bank debits processing
 * then settled or failed, refunds, unknown invoices and event types, reminders, reconciliation of
 * dropped webhooks, and the signed webhook route with Powertools idempotency.
 */
import { rmSync } from 'node:fs';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { adapters } from '../../functions/shared/adapters.ts';
import { useLocalTables } from '../support/local-tables.ts';
import { installLocalAdapters, manager44, seedInvoicingWorld, standardBody, type InvoicingWorld } from '../support/invoicing.ts';
import { logger } from '../../functions/shared/observability.ts';
import * as invoices from '../../functions/invoices/service.ts';
import { issueInvoice } from '../../functions/invoices/issue.ts';
import { createCreditNote } from '../../functions/invoices/credit-notes.ts';
import { settlement } from '../../functions/payments/index.ts';
import { getItem, keys, queryPage } from '../../functions/invoices/store.ts';
import { keys as paymentKeys } from '../../functions/payments/store.ts';
import { createCheckout, refund as stripeRefund } from '../../functions/payments/gateway.ts';
import { applyStripeEvent, reconcile, startCheckout } from '../../functions/payments/service.ts';
import { sendReminders } from '../../functions/payments/reminders.ts';
import { readOutbox } from '../../infra/local/adapters.ts';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { parisDate } from '../../functions/shared/clock.ts';
import { documentClient, tableName } from '../../functions/shared/dynamo.ts';
import { eventsOfInvoice } from '../support/outbox-events.ts';
import { loadOrCreateSigningKey } from '../../infra/local/jwt.ts';
import { createLocalServer, type LocalServer } from '../../infra/local/server.ts';
import { startStripeStandIn, type StripeObject, type StripeStandIn } from '../../infra/local/stripe/index.ts';

useLocalTables();
const now = new Date('2026-11-25T10:00:00Z');
let world: InvoicingWorld;
let stripe: StripeStandIn;
let server: LocalServer;
/** Where the stand-in delivers its events: nowhere ('') unless a test routes them to the local server. */
let webhookTarget = '';
/** Added to the stand-in's clock (ms), to tell this file's later Stripe objects from its earlier ones. */
let stripeSkew = 0;

beforeAll(async () => {
  stripe = await startStripeStandIn({
    webhookUrl: () => webhookTarget,
    now: () => Date.now() + stripeSkew,
    retryDelaysMs: [50, 100, 200, 400],
  });
  const dataDir = installLocalAdapters(stripe);
  world = await seedInvoicingWorld(dataDir, now);
  server = await createLocalServer({
    signingKey: await loadOrCreateSigningKey(dataDir),
    port: 0,
    host: '127.0.0.1',
    log: () => {},
    dataDir,
  });
});
afterAll(async () => {
  await server?.close(2000);
  await stripe?.stop();
  if (world) rmSync(world.dataDir, { recursive: true, force: true });
});

const asEvent = (event: StripeObject | undefined) => {
  if (!event) throw new Error('the stand-in made no event');
  return event as unknown as Stripe.Event;
};
const sessionOf = (event: Stripe.Event) => event.data.object as Stripe.Checkout.Session;

async function issued(at = now, overrides: Record<string, unknown> = {}) {
  return issueInvoice(adapters(), manager44, (await invoices.createInvoice(manager44, standardBody(world, 'SAMAD', overrides), at)).id, at);
}

/** A Checkout Session for `amountCents` of the invoice (the whole amount due by default). */
async function session(invoice: invoices.InvoiceRecord, amountCents = invoice.amountDueCents) {
  return createCheckout(adapters(), {
    invoiceId: invoice.id,
    etd: invoice.etd,
    number: invoice.number ?? 'F-X',
    amountDueCents: amountCents,
    balanceVersion: invoice.version,
    successUrl: 'http://127.0.0.1:9999/ok',
    cancelUrl: 'http://127.0.0.1:9999/ko',
  });
}

const current = (id: string) => invoices.getInvoice(manager44, id);
async function paymentsOf(id: string) {
  return (
    await queryPage<{ key: string; status: string; amountCents: number; kind: string }>(
      undefined,
      `INV#${id}`,
      { limit: 100 },
      { skPrefix: 'PAY#' },
    )
  ).items;
}
async function refundsOf(id: string) {
  return (await queryPage<{ key: string; amountCents: number }>(undefined, `INV#${id}`, { limit: 100 }, { skPrefix: 'REF#' })).items;
}

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}
const times = () => 1 + Math.floor(Math.random() * 5);

describe('card payments', () => {
  it('a paid checkout pays the invoice: paid, amount paid = gross, no more due marker', async () => {
    const invoice = await issued();
    const token = await invoices.payToken(adapters(), invoice.id);
    const url = await startCheckout(adapters(), invoice, token);
    const request = stripe.requests().findLast((r) => r.method === 'POST' && r.path === '/v1/checkout/sessions')!;
    expect(request).toMatchObject({ idempotencyKey: `checkout:${invoice.id}:v${invoice.version}:46222`, status: 200, authorized: true });
    expect(request.params).toMatchObject({
      mode: 'payment',
      client_reference_id: invoice.id,
      metadata: { invoiceId: invoice.id, etd: '44', number: invoice.number },
      locale: 'fr',
    });
    const cs = url.split('/').pop()!;
    expect(cs).toMatch(/^cs_test_/);
    const event = asEvent(stripe.pay(cs, 'card'));
    expect(sessionOf(event)).toMatchObject({ payment_status: 'paid', amount_total: 46_222, metadata: { invoiceId: invoice.id } });

    expect(await applyStripeEvent(adapters(), event, now)).toBe('applied');
    expect(await current(invoice.id)).toMatchObject({ state: 'paid', amountPaidCents: 46_222, amountPendingCents: 0, amountDueCents: 0 });
    expect(await getItem(keys.due(invoice.id))).toBeUndefined();
    expect(await applyStripeEvent(adapters(), event, now)).toBe('unchanged');
    expect(await paymentsOf(invoice.id)).toMatchObject([{ status: 'succeeded', amountCents: 46_222, kind: 'payment' }]);
    await expect(startCheckout(adapters(), await current(invoice.id), token)).rejects.toMatchObject({ status: 409 });
  });

  it('a partial payment leaves the invoice partially paid; a checkout for the rest pays it', async () => {
    const invoice = await issued();
    const part = await session(invoice, 20_000);
    expect(await applyStripeEvent(adapters(), asEvent(stripe.pay(part.id, 'card')), now)).toBe('applied');
    const partly = await current(invoice.id);
    expect(partly).toMatchObject({ state: 'partially_paid', amountPaidCents: 20_000, amountDueCents: 26_222 });
    expect(await getItem(keys.due(invoice.id))).toBeDefined();

    const url = await startCheckout(adapters(), partly, await invoices.payToken(adapters(), invoice.id));
    expect(stripe.requests().findLast((r) => r.path === '/v1/checkout/sessions')!.idempotencyKey).toMatch(
      new RegExp(`^checkout:${invoice.id}:v\\d+:26222$`),
    );
    expect(await applyStripeEvent(adapters(), asEvent(stripe.pay(url.split('/').pop()!, 'card')), now)).toBe('applied');
    expect(await current(invoice.id)).toMatchObject({ state: 'paid', amountPaidCents: 46_222, amountDueCents: 0 });
    expect(await paymentsOf(invoice.id)).toHaveLength(2);
  });
});

describe('bank debits', () => {
  it('a processing debit is never shown as paid; success pays; another debit failing brings the invoice back to due', async () => {
    const invoice = await issued();
    const first = await session(invoice);
    expect(await applyStripeEvent(adapters(), asEvent(stripe.pay(first.id, 'debit')), now)).toBe('applied');
    const processing = await current(invoice.id);
    expect(processing).toMatchObject({ state: 'issued', amountPaidCents: 0, amountPendingCents: 46_222, amountDueCents: 46_222 });
    // No credit note while the debit may still land: it would be money on a cancelled invoice.
    await expect(createCreditNote(adapters(), settlement, manager44, invoice.id, { reason: 'Annulation' }, now)).rejects.toThrow(
      /debit is still processing/,
    );
    expect((await invoices.present(adapters(), processing, now)).amountPaidCents).toBe(0);
    await expect(startCheckout(adapters(), processing, await invoices.payToken(adapters(), invoice.id))).rejects.toMatchObject({
      status: 409,
    });
    expect(await applyStripeEvent(adapters(), asEvent(stripe.settleDebit(first.id, 'succeeded')), now)).toBe('applied');
    expect(await current(invoice.id)).toMatchObject({ state: 'paid', amountPaidCents: 46_222, amountPendingCents: 0, amountDueCents: 0 });

    const other = await issued();
    const debit = await session(other);
    await applyStripeEvent(adapters(), asEvent(stripe.pay(debit.id, 'debit')), now);
    expect(await current(other.id)).toMatchObject({ state: 'issued', amountPendingCents: 46_222 });
    expect(await applyStripeEvent(adapters(), asEvent(stripe.settleDebit(debit.id, 'failed')), now)).toBe('applied');
    expect(await current(other.id)).toMatchObject({ state: 'issued', amountPaidCents: 0, amountPendingCents: 0, amountDueCents: 46_222 });
    expect(await getItem(keys.due(other.id))).toBeDefined();
    expect(await paymentsOf(other.id)).toMatchObject([{ status: 'failed', amountCents: 46_222 }]);
  });

  it('each event delivered 1 to 5 times, concurrently and in any order: one payment each, exact balances', async () => {
    const card = await issued();
    const debitOk = await issued();
    const debitKo = await issued();
    const twoParts = await issued();

    const cardEvent = asEvent(stripe.pay((await session(card)).id, 'card'));
    const okSession = await session(debitOk);
    const okEvents = [asEvent(stripe.pay(okSession.id, 'debit')), asEvent(stripe.settleDebit(okSession.id, 'succeeded'))];
    const koSession = await session(debitKo);
    const koEvents = [asEvent(stripe.pay(koSession.id, 'debit')), asEvent(stripe.settleDebit(koSession.id, 'failed'))];
    const partEvents = [
      asEvent(stripe.pay((await session(twoParts, 10_000)).id, 'card')),
      asEvent(stripe.pay((await session(twoParts, 36_222)).id, 'card')),
    ];

    const deliveries = shuffle(
      [cardEvent, ...okEvents, ...koEvents, ...partEvents].flatMap((event) => Array.from({ length: times() }, () => event)),
    );
    const results = await Promise.allSettled(deliveries.map((event) => applyStripeEvent(adapters(), event, now)));
    expect(results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason))).toEqual([]);

    expect(await current(card.id)).toMatchObject({ state: 'paid', amountPaidCents: 46_222, amountPendingCents: 0, amountDueCents: 0 });
    expect(await current(debitOk.id)).toMatchObject({ state: 'paid', amountPaidCents: 46_222, amountPendingCents: 0, amountDueCents: 0 });
    expect(await current(debitKo.id)).toMatchObject({ state: 'issued', amountPaidCents: 0, amountPendingCents: 0, amountDueCents: 46_222 });
    expect(await current(twoParts.id)).toMatchObject({ state: 'paid', amountPaidCents: 46_222, amountPendingCents: 0, amountDueCents: 0 });
    expect(await paymentsOf(card.id)).toMatchObject([{ status: 'succeeded' }]);
    expect(await paymentsOf(debitOk.id)).toMatchObject([{ status: 'succeeded', amountCents: 46_222 }]);
    expect(await paymentsOf(debitKo.id)).toMatchObject([{ status: 'failed', amountCents: 46_222 }]);
    expect((await paymentsOf(twoParts.id)).map((p) => p.amountCents).sort()).toEqual([10_000, 36_222]);
    expect(await getItem(keys.due(card.id))).toBeUndefined();
    expect(await getItem(keys.due(debitKo.id))).toBeDefined();

    // Late and replayed deliveries change nothing.
    for (const event of [...okEvents, ...koEvents].reverse()) expect(await applyStripeEvent(adapters(), event, now)).toBe('unchanged');
  });
});

describe('refunds', () => {
  it('a credit note on a paid invoice refunds through Stripe; the refund lowers what was paid once, however often delivered', async () => {
    const invoice = await issued();
    const paid = asEvent(stripe.pay((await session(invoice)).id, 'card'));
    await applyStripeEvent(adapters(), paid, now);
    const paymentIntent = sessionOf(paid).payment_intent as string;
    // The second line is credited (24.85 € + 4.97 € VAT): the overpaid 29.82 € goes back through a Stripe refund.
    const { creditNote, invoice: credited } = await createCreditNote(
      adapters(),
      settlement,
      manager44,
      invoice.id,
      { lines: [{ index: 1, quantity: 1 }], reason: 'Heure non effectuée' },
      now,
    );
    expect(credited).toMatchObject({ state: 'paid', amountCreditedCents: 2_982, amountDueCents: -2_982 });
    const refundRequests = stripe
      .requests()
      .filter((r) => r.method === 'POST' && r.path === '/v1/refunds' && r.params.payment_intent === paymentIntent);
    expect(refundRequests).toMatchObject([
      { status: 200, idempotencyKey: `refund:${creditNote.id}:${paymentIntent}`, params: { amount: '2982' } },
    ]);
    const refunded = asEvent(
      stripe
        .events()
        .findLast(
          (e) => e.type === 'charge.refunded' && (e.data as { object: { payment_intent: string } }).object.payment_intent === paymentIntent,
        ),
    );

    // The refund was recorded when it was made: its webhook, however often delivered, changes nothing.
    const outcomes = await Promise.all(Array.from({ length: 5 }, () => applyStripeEvent(adapters(), refunded, now)));
    expect(outcomes.filter((o) => o === 'applied')).toHaveLength(0);
    expect(await current(invoice.id)).toMatchObject({
      state: 'paid',
      amountPaidCents: 46_222 - 2_982,
      amountCreditedCents: 2_982,
      amountDueCents: 0,
    });
    expect(await refundsOf(invoice.id)).toMatchObject([{ amountCents: 2_982 }]);
    expect(await applyStripeEvent(adapters(), refunded, now)).toBe('unchanged');

    // A refund made in Stripe's dashboard without a credit note: the money is owed again.
    await stripeRefund(adapters(), { paymentIntentId: paymentIntent, amountCents: 1_000, idempotencyKey: `dashboard:${invoice.id}` });
    const again = asEvent(stripe.events().findLast((e) => e.type === 'charge.refunded'));
    const twice = await Promise.all([
      applyStripeEvent(adapters(), again, now),
      applyStripeEvent(adapters(), again, now),
      applyStripeEvent(adapters(), refunded, now),
    ]);
    expect(twice.filter((o) => o === 'applied')).toHaveLength(1);
    expect(await current(invoice.id)).toMatchObject({ state: 'partially_paid', amountPaidCents: 46_222 - 3_982, amountDueCents: 1_000 });
    expect(await refundsOf(invoice.id)).toHaveLength(2);
  });
});

describe('events the ledger cannot place', () => {
  it('a payment for an unknown invoice is kept and logged; an unknown event type is ignored', async () => {
    const warn = vi.spyOn(logger, 'warn');
    const info = vi.spyOn(logger, 'info');
    try {
      const ghost = await createCheckout(adapters(), {
        invoiceId: 'inv_00000000000000000000000000',
        etd: '44',
        number: 'F-SAMAD44-2026-999999',
        amountDueCents: 5_000,
        balanceVersion: 1,
        successUrl: 'http://x/ok',
        cancelUrl: 'http://x/ko',
      });
      const event = asEvent(stripe.pay(ghost.id, 'card'));
      expect(await applyStripeEvent(adapters(), event, now)).toBe('unknown-invoice');
      const paymentIntent = sessionOf(event).payment_intent as string;
      expect(await getItem(paymentKeys.orphan(paymentIntent))).toMatchObject({
        invoiceId: 'inv_00000000000000000000000000',
        paymentIntent,
        amountCents: 5_000,
        status: 'succeeded',
      });
      expect(warn).toHaveBeenCalledWith('payment for an unknown invoice', expect.objectContaining({ paymentIntent }));

      const unknown = {
        ...event,
        id: 'evt_unknown_type',
        type: 'customer.created',
        data: { object: { id: 'cus_1', object: 'customer' } },
      } as unknown as Stripe.Event;
      expect(await applyStripeEvent(adapters(), unknown, now)).toBe('ignored');
      expect(info).toHaveBeenCalledWith(
        'stripe event ignored',
        expect.objectContaining({ eventId: 'evt_unknown_type', type: 'customer.created' }),
      );
    } finally {
      warn.mockRestore();
      info.mockRestore();
    }
  });
});

describe('reminders', () => {
  it('one e-mail per step over repeated runs, none while a debit is processing, none once paid', async () => {
    const issuedAt = new Date('2026-10-01T09:00:00Z');
    const overdue = await issued(issuedAt, { dueDays: 5 }); // due 2026-10-06
    const debiting = await issued(issuedAt, { dueDays: 5 });
    expect(overdue.dueDate).toBe('2026-10-06');
    // The list's `overdue` filter is derived from the due date, the day it is asked.
    const listed = async (flag: 'true' | 'false', day: string) =>
      (await invoices.listInvoices(manager44, { overdue: flag, limit: 100 }, new Date(`${day}T12:00:00Z`))).items.map((i) => i.id);
    expect(await listed('true', '2026-10-06')).not.toContain(overdue.id);
    expect(await listed('false', '2026-10-06')).toContain(overdue.id);
    expect(await listed('true', '2026-10-07')).toContain(overdue.id);
    expect(await listed('false', '2026-10-07')).not.toContain(overdue.id);
    await applyStripeEvent(adapters(), asEvent(stripe.pay((await session(debiting)).id, 'debit')), issuedAt);
    const mails = (invoice: invoices.InvoiceRecord) =>
      readOutbox(world.dataDir).filter((m) => m.subject === `Rappel : facture n° ${invoice.number} à régler`);

    for (const [day, expected] of [
      ['2026-10-10', 0],
      ['2026-10-13', 1],
      ['2026-10-14', 1],
      ['2026-10-21', 2],
      ['2026-10-21', 2],
      ['2026-11-05', 3],
      ['2026-11-20', 3],
    ] as const) {
      await sendReminders(adapters(), new Date(`${day}T06:00:00Z`));
      await sendReminders(adapters(), new Date(`${day}T07:00:00Z`));
      expect({ day, reminders: mails(overdue).length }).toEqual({ day, reminders: expected });
    }
    expect(mails(overdue)[0]!.text).toContain(`/pay/${await invoices.payToken(adapters(), overdue.id)}`);
    expect(mails(overdue)[0]!.text).toContain('462,22');
    expect(mails(debiting)).toEqual([]);

    const other = await issued(issuedAt, { dueDays: 5 });
    await sendReminders(adapters(), new Date('2026-10-14T06:00:00Z'));
    expect(mails(other)).toHaveLength(1);
    await applyStripeEvent(adapters(), asEvent(stripe.pay((await session(other)).id, 'card')), now);
    await sendReminders(adapters(), new Date('2026-10-30T06:00:00Z'));
    await sendReminders(adapters(), new Date('2026-11-30T06:00:00Z'));
    expect(mails(other)).toHaveLength(1);
  });
});

describe('through the signed webhook route', () => {
  const post = (body: string, signature: string) =>
    fetch(`${server.url}/webhooks/stripe`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': signature },
      body,
    });
  const sign = (payload: string) => Stripe.webhooks.generateTestHeaderString({ payload, secret: stripe.webhookSecret });

  it('the same event delivered 5 times concurrently makes one payment; a bad signature is refused', async () => {
    const invoice = await issued();
    const event = stripe.pay((await session(invoice)).id, 'card')!;
    const payload = JSON.stringify(event, null, 2);

    const bad = await post(payload, Stripe.webhooks.generateTestHeaderString({ payload, secret: 'whsec_not_the_secret' }));
    expect(bad.status).toBe(400);
    expect((await post(payload.replace('46222', '46223'), sign(payload))).status).toBe(400);
    expect((await current(invoice.id)).amountPaidCents).toBe(0);

    const answers = await Promise.all(Array.from({ length: 5 }, () => post(payload, sign(payload))));
    const statuses = answers.map((a) => a.status);
    expect(statuses.every((s) => s === 200 || s === 409)).toBe(true);
    expect(statuses).toContain(200);
    const redelivered = await post(payload, sign(payload));
    expect(redelivered.status).toBe(200);
    expect(await redelivered.json()).toMatchObject({ received: true, outcome: 'applied' });
    expect(await current(invoice.id)).toMatchObject({ state: 'paid', amountPaidCents: 46_222 });
    expect(await paymentsOf(invoice.id)).toHaveLength(1);
  });

  it('the stand-in’s own deliveries and 5 concurrent redeliveries make one payment', async () => {
    webhookTarget = `${server.url}/webhooks/stripe`;
    try {
      const invoice = await issued();
      const event = stripe.pay((await session(invoice)).id, 'card')!;
      await stripe.idle();
      await stripe.redeliver(event.id as string, 5);
      await stripe.idle();
      const attempts = stripe.deliveries().filter((d) => d.eventId === event.id);
      expect(attempts.filter((d) => d.ok).length).toBe(6);
      expect(attempts.every((d) => d.ok || d.status === 409)).toBe(true);
      expect(await current(invoice.id)).toMatchObject({ state: 'paid', amountPaidCents: 46_222 });
      expect(await paymentsOf(invoice.id)).toHaveLength(1);
    } finally {
      webhookTarget = '';
    }
  });
});

describe('reconciliation', () => {
  it('records the payments whose webhook was dropped, once', async () => {
    stripeSkew = 3_600_000; // this test's Stripe objects are an hour later than the file's others
    webhookTarget = `${server.url}/webhooks/stripe`;
    const since = new Date(Date.now() + stripeSkew - 1_000);
    try {
      const delivered = await issued();
      const dropped = await issued();
      const debit = await issued();
      stripe.pay((await session(delivered)).id, 'card');
      const debitSession = await session(debit);
      stripe.pay(debitSession.id, 'debit');
      await stripe.idle();
      stripe.dropNextWebhook();
      stripe.pay((await session(dropped)).id, 'card');
      stripe.dropNextWebhook();
      stripe.settleDebit(debitSession.id, 'succeeded');
      await stripe.idle();
      expect(stripe.dropped()).toHaveLength(2);
      expect(await current(delivered.id)).toMatchObject({ state: 'paid' });
      expect(await current(dropped.id)).toMatchObject({ state: 'issued', amountPaidCents: 0 });
      expect(await current(debit.id)).toMatchObject({ state: 'issued', amountPendingCents: 46_222 });

      const first = await reconcile(adapters(), since, now);
      expect(first).toEqual({ checked: 3, recovered: 2, mismatches: 0 });
      expect(await current(dropped.id)).toMatchObject({ state: 'paid', amountPaidCents: 46_222, amountDueCents: 0 });
      expect(await current(debit.id)).toMatchObject({ state: 'paid', amountPaidCents: 46_222, amountPendingCents: 0 });
      expect(await reconcile(adapters(), since, now)).toEqual({ checked: 3, recovered: 0, mismatches: 0 });
      // The dropped events, delivered late after all, change nothing.
      for (const id of stripe.dropped()) await stripe.redeliver(id, 2);
      await stripe.idle();
      expect(await paymentsOf(dropped.id)).toHaveLength(1);
      expect(await current(dropped.id)).toMatchObject({ amountPaidCents: 46_222 });
    } finally {
      webhookTarget = '';
    }
  });
});

describe('domain events of payments (written in the same transaction as the balance move)', () => {
  const receivedOn = (event: Stripe.Event) => parisDate(new Date(event.created * 1000));

  it('each payment received writes one PaymentReceived; their HT shares add up to the invoice’s HT exactly; redeliveries write none', async () => {
    const invoice = await issued(); // 385.18 € HT, 462.22 € TTC
    const part = asEvent(stripe.pay((await session(invoice, 20_000)).id, 'card'));
    await Promise.all(Array.from({ length: 3 }, () => applyStripeEvent(adapters(), part, now)));
    const rest = asEvent(stripe.pay((await session(await current(invoice.id), 26_222)).id, 'card'));
    await Promise.all(Array.from({ length: 3 }, () => applyStripeEvent(adapters(), rest, now)));
    expect(await current(invoice.id)).toMatchObject({ state: 'paid', amountPaidCents: 46_222 });

    const received = await eventsOfInvoice(invoice.id, 'PaymentReceived');
    expect(received).toHaveLength(2);
    expect(received.map((e) => e.detail).sort((a, b) => Number(a.amountCents) - Number(b.amountCents))).toEqual([
      {
        invoiceId: invoice.id,
        paymentIntent: sessionOf(part).payment_intent,
        etd: '44',
        cae: 'SAMAD',
        entrepreneurId: world.samadAuthor,
        amountCents: 20_000,
        // 20 000 × 38 518 / 46 222 = 16 666.67 → 16 667
        netHtCents: 16_667,
        receivedOn: receivedOn(part),
      },
      {
        invoiceId: invoice.id,
        paymentIntent: sessionOf(rest).payment_intent,
        etd: '44',
        cae: 'SAMAD',
        entrepreneurId: world.samadAuthor,
        amountCents: 26_222,
        // What is left of the HT: 38 518 − 16 667 (not 26 222 × 38 518 / 46 222 = 21 851.33 rounded on its own)
        netHtCents: 21_851,
        receivedOn: receivedOn(rest),
      },
    ]);
    expect(received.every((e) => e.pk === `EVENT#${parisDate(now)}` && e.at === now.toISOString())).toBe(true);
    expect(await eventsOfInvoice(invoice.id)).toHaveLength(3); // and its InvoiceIssued
  });

  it('a processing debit is not money received; its success is, once; a failed debit never is', async () => {
    const invoice = await issued();
    const debit = await session(invoice);
    await applyStripeEvent(adapters(), asEvent(stripe.pay(debit.id, 'debit')), now);
    expect(await eventsOfInvoice(invoice.id, 'PaymentReceived')).toEqual([]);
    const settled = asEvent(stripe.settleDebit(debit.id, 'succeeded'));
    expect(await applyStripeEvent(adapters(), settled, now)).toBe('applied');
    expect(await applyStripeEvent(adapters(), settled, now)).toBe('unchanged');
    const received = await eventsOfInvoice(invoice.id, 'PaymentReceived');
    expect(received.map((e) => e.detail)).toMatchObject([{ amountCents: 46_222, netHtCents: 38_518, receivedOn: receivedOn(settled) }]);

    const other = await issued();
    const failing = await session(other);
    await applyStripeEvent(adapters(), asEvent(stripe.pay(failing.id, 'debit')), now);
    expect(await applyStripeEvent(adapters(), asEvent(stripe.settleDebit(failing.id, 'failed')), now)).toBe('applied');
    expect((await eventsOfInvoice(other.id)).map((e) => e.type)).toEqual(['InvoiceIssued']);
  });

  it('a refund writes one PaymentRefunded (amounts given back, positive); its webhook redelivered writes none', async () => {
    const invoice = await issued();
    const paid = asEvent(stripe.pay((await session(invoice)).id, 'card'));
    await applyStripeEvent(adapters(), paid, now);
    const paymentIntent = sessionOf(paid).payment_intent as string;
    // Crediting the second line (24.85 € HT + 4.97 € VAT) refunds the 29.82 € overpaid.
    const { creditNote } = await createCreditNote(
      adapters(),
      settlement,
      manager44,
      invoice.id,
      { lines: [{ index: 1, quantity: 1 }], reason: 'Heure non effectuée' },
      now,
    );
    const refunded = asEvent(
      stripe
        .events()
        .findLast(
          (e) => e.type === 'charge.refunded' && (e.data as { object: { payment_intent: string } }).object.payment_intent === paymentIntent,
        ),
    );
    await Promise.all(Array.from({ length: 3 }, () => applyStripeEvent(adapters(), refunded, now)));
    const [refund] = await refundsOf(invoice.id);
    const events = await eventsOfInvoice(invoice.id);
    expect(events.map((e) => e.type).sort()).toEqual(['CreditNoteIssued', 'InvoiceIssued', 'PaymentReceived', 'PaymentRefunded']);
    const given = events.find((e) => e.type === 'PaymentRefunded')!;
    expect(given.detail).toEqual({
      invoiceId: invoice.id,
      refundId: refund!.key,
      paymentIntent,
      etd: '44',
      cae: 'SAMAD',
      entrepreneurId: world.samadAuthor,
      amountCents: 2_982,
      // share(46 222) − share(43 240) = 38 518 − 36 033: the credited line's HT, to the cent
      netHtCents: 2_485,
      refundedOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
    });
    expect(events.find((e) => e.type === 'CreditNoteIssued')!.detail).toMatchObject({
      creditNoteId: creditNote.id,
      totals: { netCents: 2_485, vatCents: 497, grossCents: 2_982 },
    });
    // Cashed basis of the invoice, HT: received − refunded = invoiced − credited (38 518 − 2 485).
    expect(events.find((e) => e.type === 'PaymentReceived')!.detail).toMatchObject({ amountCents: 46_222, netHtCents: 38_518 });
  });

  it('a move that fails writes no event: the payment’s transaction refused (the invoice changed meanwhile) leaves none', async () => {
    const invoice = await issued();
    const paid = asEvent(stripe.pay((await session(invoice)).id, 'card'));
    // The invoice's version moves under the ledger between its read and its write, every time: the
    // transaction (payment, invoice, event) is refused each time and Stripe will deliver again.
    const real = documentClient();
    const send = real.send.bind(real);
    const spy = vi.spyOn(real, 'send').mockImplementation((async (command: { constructor: { name: string }; input: unknown }) => {
      if (command.constructor.name === 'TransactWriteCommand') {
        await send(
          new UpdateCommand({
            TableName: tableName('sales'),
            Key: keys.invoice(invoice.id),
            UpdateExpression: 'SET version = version + :one',
            ExpressionAttributeValues: { ':one': 1 },
          }),
        );
      }
      return send(command as never);
    }) as never);
    try {
      await expect(applyStripeEvent(adapters(), paid, now)).rejects.toMatchObject({ status: 409 });
    } finally {
      spy.mockRestore();
    }
    expect(await paymentsOf(invoice.id)).toEqual([]);
    expect((await eventsOfInvoice(invoice.id)).map((e) => e.type)).toEqual(['InvoiceIssued']);
    // Delivered again once the invoice is still: one payment, one event.
    expect(await applyStripeEvent(adapters(), paid, now)).toBe('applied');
    expect((await eventsOfInvoice(invoice.id, 'PaymentReceived')).map((e) => e.detail.amountCents)).toEqual([46_222]);
  });
});
