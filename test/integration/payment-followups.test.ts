/**
 * What follows a payment, on a real DynamoDB Local and the Stripe stand-in through the SDK:
 * - the payments list, a page at a time, with cursors bound to the invoice;
 * - Checkout Sessions expired whenever the balance moves (credit note, failed debit, payment),
 *   and a payment through a session whose expiry failed still recorded and flagged;
 * - failed refunds retried by RetryRefunds with the same idempotency key, bounded, then abandoned
 *   with an alarmable metric;
 * - amounts Stripe refuses (below 0,50 €, above 999 999,99 €): no checkout, a French explanation;
 * - credit notes e-mailed to the client, and offered on the pay page;
 * - no PDF link on the pay page while the invoice's or a credit note's PDF is pending.
 */
import { rmSync } from 'node:fs';
import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { useLocalTables } from '../support/local-tables.ts';
import { installLocalAdapters, manager44, seedInvoicingWorld, standardBody, type InvoicingWorld } from '../support/invoicing.ts';
import { logger, metrics } from '../../functions/shared/observability.ts';
import { adapters, useAdapters } from '../../functions/shared/adapters.ts';
import * as invoices from '../../functions/invoices/service.ts';
import { issueInvoice } from '../../functions/invoices/issue.ts';
import { createCreditNote } from '../../functions/invoices/credit-notes.ts';
import { settlement } from '../../functions/payments/index.ts';
import { getItem, keys, queryPage } from '../../functions/invoices/store.ts';
import { keys as paymentKeys } from '../../functions/payments/store.ts';
import { createCheckout } from '../../functions/payments/gateway.ts';
import { applyStripeEvent, startCheckout } from '../../functions/payments/service.ts';
import { recordRefund } from '../../functions/payments/ledger.ts';
import { ledgerPage } from '../../functions/payments/store.ts';
import { REFUND_RETRY, retryRefunds } from '../../functions/payments/refund-retries.ts';
import { invoiceOfLink, payPageView } from '../../functions/payments/client-link.ts';
import { renderPayPage } from '../../functions/payments/page.ts';
import { encodeCursor } from '../../functions/shared/pagination.ts';
import { readOutbox } from '../../infra/local/adapters.ts';
import { startStripeStandIn, type StripeObject, type StripeStandIn } from '../../infra/local/stripe/index.ts';

useLocalTables();
const now = new Date('2026-11-25T10:00:00Z');
let world: InvoicingWorld;
let stripe: StripeStandIn;

beforeAll(async () => {
  stripe = await startStripeStandIn({ webhookUrl: () => '' });
  const dataDir = installLocalAdapters(stripe);
  world = await seedInvoicingWorld(dataDir, now);
});
afterAll(async () => {
  await stripe?.stop();
  if (world) rmSync(world.dataDir, { recursive: true, force: true });
});

const asEvent = (event: StripeObject | undefined) => {
  if (!event) throw new Error('the stand-in made no event');
  return event as unknown as Stripe.Event;
};
const current = (id: string) => invoices.getInvoice(manager44, id);
const sessionId = (url: string) => url.split('/').pop()!;

async function issued(overrides: Record<string, unknown> = {}) {
  return issueInvoice(
    adapters(),
    manager44,
    (await invoices.createInvoice(manager44, standardBody(world, 'SAMAD', overrides), now)).id,
    now,
  );
}
/** A partial Checkout Session paid by card (made by the gateway: not recorded as the client's). */
async function payPart(invoice: invoices.InvoiceRecord, amountCents: number) {
  const fresh = await current(invoice.id);
  const session = await createCheckout(adapters(), {
    invoiceId: invoice.id,
    etd: invoice.etd,
    number: invoice.number!,
    amountDueCents: amountCents,
    balanceVersion: fresh.version,
    successUrl: 'http://x/ok',
    cancelUrl: 'http://x/ko',
  });
  return applyStripeEvent(adapters(), asEvent(stripe.pay(session.id, 'card')), now);
}
const requestsTo = (path: string) => stripe.requests().filter((r) => r.method === 'POST' && r.path === path);

describe('GET /invoices/{id}/payments, a page at a time', () => {
  it('pages through payments then refunds with limit and nextCursor; a cursor works only for its own invoice', async () => {
    const invoice = await issued();
    for (const part of [10_000, 10_000, 10_000, 16_222]) expect(await payPart(invoice, part)).toBe('applied');
    // A credit note of 29,82 € on the paid invoice: one refund.
    await createCreditNote(
      adapters(),
      settlement,
      manager44,
      invoice.id,
      { lines: [{ index: 1, quantity: 1 }], reason: 'Heure non effectuée' },
      now,
    );

    const seen: Array<{ kind: string; key: string }> = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await ledgerPage<{ kind: string; key: string; amountCents: number }>(invoice.id, { limit: 2, cursor });
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items);
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(seen).toHaveLength(5);
    expect(new Set(seen.map((i) => i.key)).size).toBe(5);
    expect(seen.map((i) => i.kind)).toEqual(['payment', 'payment', 'payment', 'payment', 'refund']);
    expect(pages).toBeGreaterThanOrEqual(3);

    // A cursor of this invoice, replayed on another, or forged outside the list's keys, is refused as a 400 on `query.cursor`.
    const first = await ledgerPage(invoice.id, { limit: 1 });
    const other = await issued();
    await expect(ledgerPage(other.id, { limit: 1, cursor: first.nextCursor })).rejects.toMatchObject({
      status: 400,
      errors: [{ path: 'query.cursor' }],
    });
    const forged = encodeCursor({ pk: `INV#${invoice.id}`, sk: '#INV' });
    await expect(ledgerPage(invoice.id, { limit: 1, cursor: forged })).rejects.toMatchObject({
      status: 400,
      errors: [{ path: 'query.cursor' }],
    });
    expect((await ledgerPage(other.id, { limit: 100 })).items).toEqual([]);
  });
});

describe('Checkout Sessions expire when the balance moves', () => {
  it('a credit note expires the open session: its page refuses to pay, and the next checkout is a new session for the new amount', async () => {
    const invoice = await issued();
    const token = await invoices.payToken(adapters(), invoice.id);
    const first = sessionId(await startCheckout(adapters(), invoice, token, now));
    expect(await getItem(paymentKeys.checkout(invoice.id, first))).toMatchObject({
      status: 'open',
      balanceVersion: invoice.version,
      amountCents: 46_222,
    });
    // A double click gives the same session, recorded once.
    expect(sessionId(await startCheckout(adapters(), invoice, token, now))).toBe(first);

    const { invoice: credited } = await createCreditNote(
      adapters(),
      settlement,
      manager44,
      invoice.id,
      { lines: [{ index: 1, quantity: 1 }], reason: 'Heure non effectuée' },
      now,
    );
    expect(requestsTo(`/v1/checkout/sessions/${first}/expire`)).toMatchObject([{ status: 200 }]);
    expect(stripe.session(first)).toMatchObject({ status: 'expired' });
    expect(await getItem(paymentKeys.checkout(invoice.id, first))).toMatchObject({ status: 'expired' });
    expect(() => stripe.pay(first, 'card')).toThrow(/no longer active/);

    const second = sessionId(await startCheckout(adapters(), credited, token, now));
    expect(second).not.toBe(first);
    expect(stripe.session(second)).toMatchObject({ status: 'open', amount_total: 46_222 - 2_982 });
  });

  it('a failed debit and a payment expire the other open sessions; the paying session is closed without asking Stripe', async () => {
    const invoice = await issued();
    const token = await invoices.payToken(adapters(), invoice.id);
    const debit = sessionId(await startCheckout(adapters(), invoice, token, now));
    await applyStripeEvent(adapters(), asEvent(stripe.pay(debit, 'debit')), now);
    expect(await getItem(paymentKeys.checkout(invoice.id, debit))).toMatchObject({ status: 'closed' });
    expect(requestsTo(`/v1/checkout/sessions/${debit}/expire`)).toEqual([]);
    await applyStripeEvent(adapters(), asEvent(stripe.settleDebit(debit, 'failed')), now);
    const due = await current(invoice.id);
    expect(due).toMatchObject({ amountDueCents: 46_222, amountPendingCents: 0 });

    // A session for the new balance, left open; then a partial payment through another session moves the balance: it is expired.
    const open = sessionId(await startCheckout(adapters(), due, token, now));
    expect(await payPart(invoice, 6_222)).toBe('applied');
    expect(stripe.session(open)).toMatchObject({ status: 'expired' });
    expect(await getItem(paymentKeys.checkout(invoice.id, open))).toMatchObject({ status: 'expired' });
    const rest = sessionId(await startCheckout(adapters(), await current(invoice.id), token, now));
    expect(stripe.session(rest)).toMatchObject({ status: 'open', amount_total: 40_000 });
  });

  it('a session made while the balance moved is expired at once, and the client is asked to reload (409)', async () => {
    const invoice = await issued();
    const token = await invoices.payToken(adapters(), invoice.id);
    // The client's page was read before a payment landed: its checkout is for a stale version.
    expect(await payPart(invoice, 1_000)).toBe('applied');
    const started = startCheckout(adapters(), invoice, token, now);
    await expect(started).rejects.toMatchObject({ status: 409, titleFr: 'Montant modifié' });
    const sessions = (
      await queryPage<{ sessionId: string; status: string; balanceVersion: number }>(
        undefined,
        `INV#${invoice.id}`,
        { limit: 10 },
        { skPrefix: 'CHECKOUT#' },
      )
    ).items;
    expect(sessions).toMatchObject([{ balanceVersion: invoice.version, status: 'expired' }]);
    expect(stripe.session(sessions[0]!.sessionId)).toMatchObject({ status: 'expired' });
  });

  it('when the expiry fails, the credit note stands, and a payment through the old session is still recorded and flagged as an overpayment', async () => {
    const invoice = await issued();
    const token = await invoices.payToken(adapters(), invoice.id);
    const old = sessionId(await startCheckout(adapters(), invoice, token, now));
    const warn = vi.spyOn(logger, 'warn');
    try {
      stripe.failNextRequests(1, 503);
      const { invoice: credited } = await createCreditNote(
        adapters(),
        settlement,
        manager44,
        invoice.id,
        { reason: 'Prestation annulée' },
        now,
      );
      expect(credited).toMatchObject({ state: 'cancelled', amountDueCents: 0 });
      expect(warn).toHaveBeenCalledWith(
        'checkout session expiry failed',
        expect.objectContaining({ invoiceId: invoice.id, checkoutSession: old }),
      );
      expect(stripe.session(old)).toMatchObject({ status: 'open' });
      expect(await getItem(paymentKeys.checkout(invoice.id, old))).toMatchObject({ status: 'open' });

      // The client pays the old session anyway: the money is recorded, and flagged to be given back.
      expect(await applyStripeEvent(adapters(), asEvent(stripe.pay(old, 'card')), now)).toBe('applied');
      expect(await current(invoice.id)).toMatchObject({ amountPaidCents: 46_222, amountDueCents: -46_222 });
      expect(warn).toHaveBeenCalledWith('invoice overpaid', expect.objectContaining({ invoiceId: invoice.id, overpaidCents: 46_222 }));
      expect(await getItem(paymentKeys.checkout(invoice.id, old))).toMatchObject({ status: 'closed' });
    } finally {
      warn.mockRestore();
    }
  });
});

describe('failed refunds are retried (RetryRefunds)', () => {
  const day = 24 * 3600 * 1000;
  const at = (days: number) => new Date(now.getTime() + days * day);

  it('retries with the same idempotency key on the next run, and records the refund', async () => {
    const invoice = await issued();
    expect(await payPart(invoice, 46_222)).toBe('applied');
    const paymentIntent = String((await ledgerPage<{ key: string }>(invoice.id, { limit: 10 })).items[0]!.key);
    const error = vi.spyOn(logger, 'error');
    stripe.failNextRequests(1, 503);
    const { creditNote, invoice: credited } = await createCreditNote(
      adapters(),
      settlement,
      manager44,
      invoice.id,
      { lines: [{ index: 1, quantity: 1 }], reason: 'Heure non effectuée' },
      now,
    );
    expect(credited.amountDueCents).toBe(-2_982);
    expect(error).toHaveBeenCalledWith('refund failed', expect.objectContaining({ invoiceId: invoice.id }));
    error.mockRestore();
    const key = `refund:${creditNote.id}:${paymentIntent}`;
    const queued = await getItem(paymentKeys.refundRetry(invoice.id, creditNote.id, paymentIntent));
    expect(queued).toMatchObject({
      status: 'pending',
      attemptCount: 1,
      amountCents: 2_982,
      idempotencyKey: key,
      gsi1pk: 'REFUND#RETRY',
      attempts: [{ outcome: 'failed', error: expect.stringContaining('StripeUnavailableError') }],
    });

    // Too early: nothing is due yet.
    expect(await retryRefunds(adapters(), at(0.5))).toEqual({ due: 0, refunded: 0, settled: 0, failed: 0, abandoned: 0 });
    expect(await retryRefunds(adapters(), at(1))).toEqual({ due: 1, refunded: 1, settled: 0, failed: 0, abandoned: 0 });
    // The stand-in records the requests it answered (not the simulated outage): the retry's carries the first attempt's key.
    const refunds = stripe.requests().filter((r) => r.path === '/v1/refunds' && r.params.payment_intent === paymentIntent);
    expect(refunds.map((r) => [r.idempotencyKey, r.status, r.params.amount])).toEqual([[key, 200, '2982']]);
    expect(await current(invoice.id)).toMatchObject({ amountPaidCents: 46_222 - 2_982, amountDueCents: 0 });
    const done = await getItem(paymentKeys.refundRetry(invoice.id, creditNote.id, paymentIntent));
    expect(done).toMatchObject({
      status: 'refunded',
      attemptCount: 2,
      attempts: [{ outcome: 'failed' }, { outcome: 'refunded', refund: expect.stringMatching(/^re_/) }],
    });
    expect(done?.gsi1pk).toBeUndefined();
    // Nothing left to retry: later runs do nothing.
    expect(await retryRefunds(adapters(), at(30))).toMatchObject({ due: 0 });
  });

  it('gives up after 5 attempts with backoff across runs: abandoned, logged and counted (RefundAbandoned)', async () => {
    const invoice = await issued();
    expect(await payPart(invoice, 46_222)).toBe('applied');
    stripe.failNextRequests(1, 503);
    const { creditNote } = await createCreditNote(
      adapters(),
      settlement,
      manager44,
      invoice.id,
      { lines: [{ index: 0, quantity: 1 }], reason: 'Heure non effectuée' },
      now,
    );
    const paymentIntent = String(
      (await ledgerPage<{ key: string; kind: string }>(invoice.id, { limit: 10 })).items.find((i) => i.kind === 'payment')!.key,
    );
    const error = vi.spyOn(logger, 'error');
    const metric = vi.spyOn(metrics, 'addMetric');
    try {
      // Stripe refuses the four retries; daily runs for three weeks.
      stripe.failNextRequests(REFUND_RETRY.maxAttempts - 1, 503);
      const days: number[] = [];
      for (let d = 1; d <= 21; d++) {
        const refundsBefore = requestsTo('/v1/refunds').length;
        const run = await retryRefunds(adapters(), at(d));
        const attempted = requestsTo('/v1/refunds').length - refundsBefore;
        expect(run.due).toBe(attempted);
        if (attempted > 0) days.push(d);
      }
      // Attempt 1 on day 0; retries 1, 2, 4 and 8 days after the previous one.
      expect(days).toEqual([1, 3, 7, 15]);
      const item = await getItem(paymentKeys.refundRetry(invoice.id, creditNote.id, paymentIntent));
      expect(item).toMatchObject({ status: 'abandoned', attemptCount: REFUND_RETRY.maxAttempts });
      expect(item?.attempts).toHaveLength(REFUND_RETRY.maxAttempts);
      expect(item?.gsi1pk).toBeUndefined();
      expect(error).toHaveBeenCalledWith(
        'refund abandoned after its last attempt: refund by hand',
        expect.objectContaining({ invoiceId: invoice.id, attempts: 5 }),
      );
      expect(metric).toHaveBeenCalledWith('RefundAbandoned', 'Count', 1);
      // The money is still owed, visibly.
      expect((await current(invoice.id)).amountDueCents).toBeLessThan(0);
    } finally {
      error.mockRestore();
      metric.mockRestore();
    }
  });

  it('a retry finds nothing owed back any more (refunded meanwhile): settled, without asking Stripe', async () => {
    const invoice = await issued();
    expect(await payPart(invoice, 46_222)).toBe('applied');
    stripe.failNextRequests(1, 503);
    const { creditNote } = await createCreditNote(
      adapters(),
      settlement,
      manager44,
      invoice.id,
      { lines: [{ index: 1, quantity: 1 }], reason: 'Heure non effectuée' },
      now,
    );
    // The operators refunded from Stripe's dashboard; the webhook recorded it.
    const paymentIntent = String(
      (await ledgerPage<{ key: string; kind: string }>(invoice.id, { limit: 10 })).items.find((i) => i.kind === 'payment')!.key,
    );
    const { refund } = await import('../../functions/payments/gateway.ts');
    await refund(adapters(), { paymentIntentId: paymentIntent, amountCents: 2_982, idempotencyKey: `dashboard:${invoice.id}` });
    await applyStripeEvent(adapters(), asEvent(stripe.events().findLast((e) => e.type === 'charge.refunded')), now);
    expect((await current(invoice.id)).amountDueCents).toBe(0);
    const before = requestsTo('/v1/refunds').length;
    expect(await retryRefunds(adapters(), at(2))).toMatchObject({ due: 1, settled: 1, refunded: 0 });
    expect(requestsTo('/v1/refunds')).toHaveLength(before);
    expect(await getItem(paymentKeys.refundRetry(invoice.id, creditNote.id, paymentIntent))).toMatchObject({ status: 'settled' });
  });
});

describe('pending refunds', () => {
  it('a pending refund lowers what was paid at once and shows as processing; its success changes only its status, once', async () => {
    const invoice = await issued();
    expect(await payPart(invoice, 46_222)).toBe('applied');
    const paymentIntent = String((await ledgerPage<{ key: string }>(invoice.id, { limit: 10 })).items[0]!.key);
    const fact = { invoiceId: invoice.id, refund: 're_test_pending_1', paymentIntent, amountCents: 5_000, at: now };
    expect(await recordRefund(adapters(), { ...fact, status: 'pending' }, now)).toBe('applied');
    expect(await current(invoice.id)).toMatchObject({ amountPaidCents: 41_222, amountDueCents: 5_000 });
    expect(await getItem(paymentKeys.refund(invoice.id, fact.refund))).toMatchObject({
      kind: 'refund',
      status: 'processing',
      amountCents: 5_000,
    });
    expect(await recordRefund(adapters(), { ...fact, status: 'pending' }, now)).toBe('unchanged');
    expect(await recordRefund(adapters(), { ...fact, status: 'succeeded' }, now)).toBe('unchanged');
    expect(await getItem(paymentKeys.refund(invoice.id, fact.refund))).toMatchObject({ status: 'succeeded' });
    expect(await current(invoice.id)).toMatchObject({ amountPaidCents: 41_222, amountDueCents: 5_000 });
  });
});

describe('amounts Stripe refuses', () => {
  const small = [{ description: 'Frais de dossier', kind: 'other', quantity: 1, unit: 'lump-sum', unitPriceCents: 30, vatRate: '20' }];
  const huge = [
    { description: 'Rénovation complète', kind: 'labour', quantity: 9, unit: 'lump-sum', unitPriceCents: 10_000_000, vatRate: '20' },
  ];

  it.each([
    ['below 0,50 €', small, 36, 'inférieur au minimum de 0,50'],
    ['above 999 999,99 €', huge, 108_000_000, 'dépasse le maximum de 999 999,99'],
  ])(
    '%s: no button, a French explanation and another way to pay; the checkout answers 422 and asks Stripe nothing',
    async (_label, lines, gross, why) => {
      const invoice = await issued({ lines, sapEligible: false });
      expect(invoice.amountDueCents).toBe(gross);
      const token = await invoices.payToken(adapters(), invoice.id);
      const html = renderPayPage(await payPageView(adapters(), await invoiceOfLink(token), token, undefined, now)).replace(
        /[\s\u00a0\u202f]+/g,
        ' ',
      );
      expect(html).not.toContain('<button');
      expect(html).not.toContain('/checkout');
      expect(html).toContain(why);
      expect(html).toContain('par virement ou par chèque');
      expect(html).toContain(invoice.parties!.issuerName);
      expect(html.replace(/<wbr>/g, '')).toContain(invoice.number!);

      const before = stripe.requests().length;
      const refused = startCheckout(adapters(), invoice, token, now);
      await expect(refused).rejects.toMatchObject({ status: 422 });
      await expect(refused).rejects.toMatchObject({ messageFr: expect.stringContaining(invoice.number!) });
      expect(stripe.requests()).toHaveLength(before);
    },
  );
});

describe('credit notes reach the client', () => {
  it('e-mails the credit note with the pay link (French); the pay page offers its PDF', async () => {
    const invoice = await issued();
    const { creditNote } = await createCreditNote(
      adapters(),
      settlement,
      manager44,
      invoice.id,
      { lines: [{ index: 1, quantity: 1 }], reason: 'Heure non effectuée' },
      now,
    );
    const token = await invoices.payToken(adapters(), invoice.id);
    const mails = readOutbox(world.dataDir).filter(
      (m) => m.subject === `Avoir n° ${creditNote.number} sur la facture n° ${invoice.number}`,
    );
    expect(mails).toHaveLength(1);
    const text = mails[0]!.text.replace(/[\u00a0\u202f]/g, ' ');
    expect(text).toContain(`/pay/${token}`);
    expect(text).toContain(`l’avoir n° ${creditNote.number}`);
    expect(text).toContain('29,82 €');
    expect(text).toContain('Il reste 432,40 € à payer sur cette facture.');
    expect(await getItem(keys.creditNote(creditNote.id))).toMatchObject({ delivery: { email: 'sent' } });

    const view = await payPageView(adapters(), await invoiceOfLink(token), token, undefined, now);
    expect(view.creditNotes).toMatchObject([{ number: creditNote.number, grossCents: 2_982, pdfUrl: expect.stringMatching(/^http/) }]);
    const html = renderPayPage(view);
    expect(html).toContain('Télécharger l’avoir');
  });

  it('while the invoice’s or a credit note’s PDF is not stored yet, the pay page offers no link that would not be found, but says it is being prepared', async () => {
    const real = adapters();
    /** Runs `action` with the documents store refusing every key under `prefix`. */
    const storeFailing = async (prefix: string, action: () => Promise<unknown>) => {
      useAdapters({
        ...real,
        documents: {
          ...real.documents,
          put: (key, body, type) =>
            key.startsWith(prefix) ? Promise.reject(new Error('injected S3 failure')) : real.documents.put(key, body, type),
        },
      });
      try {
        await expect(action()).rejects.toThrow('injected S3 failure');
      } finally {
        useAdapters(real);
      }
    };
    const draft = await invoices.createInvoice(manager44, standardBody(world), now);
    await storeFailing('invoices/', () => issueInvoice(adapters(), manager44, draft.id, now));
    const token = await invoices.payToken(adapters(), draft.id);
    const page = async () => {
      const view = await payPageView(adapters(), await invoiceOfLink(token), token, undefined, now);
      return {
        view,
        html: renderPayPage(view)
          .replace(/[\s\u00a0\u202f]+/g, ' ')
          .replaceAll('<wbr>', ''),
      };
    };

    const issuing = await page();
    expect(issuing.view.pdfUrl).toBeUndefined();
    expect(issuing.html).not.toContain('Télécharger la facture');
    expect(issuing.html).toContain('Facture (PDF) : document en cours de préparation');
    expect(issuing.html).toContain('<button'); // the invoice is issued: it can be paid meanwhile

    await issueInvoice(adapters(), manager44, draft.id, now); // completes the issue
    const issued = await page();
    expect(issued.view.pdfUrl).toMatch(/^http/);
    expect(issued.html).toContain('Télécharger la facture (PDF)');
    expect(issued.html).not.toContain('en cours de préparation');

    await storeFailing('credit-notes/', () =>
      createCreditNote(
        adapters(),
        settlement,
        manager44,
        draft.id,
        { lines: [{ index: 1, quantity: 1 }], reason: 'Heure non effectuée' },
        now,
      ),
    );
    const crediting = await page();
    const [pending] = crediting.view.creditNotes!;
    expect(pending).toMatchObject({ grossCents: 2_982, pdfUrl: undefined });
    expect(crediting.html).toContain(`Avoir n° ${pending!.number}, émis le`);
    expect(crediting.html).toContain('document en cours de préparation');
    expect(crediting.html).not.toContain('Télécharger l’avoir');
    expect(crediting.html).toContain('Télécharger la facture (PDF)');

    await issueInvoice(adapters(), manager44, draft.id, now); // completes the credit note
    const credited = await page();
    expect(credited.view.creditNotes).toMatchObject([{ number: pending!.number, pdfUrl: expect.stringMatching(/^http/) }]);
    expect(credited.html).toContain(`Télécharger l’avoir n° ${pending!.number} (PDF)`);
    expect(credited.html).not.toContain('en cours de préparation');
  });
});
