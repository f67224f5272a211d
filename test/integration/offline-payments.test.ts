/**
 * Payments received outside Stripe, recorded by staff (functions/payments/offline.ts) on DynamoDB
 * Local: through the same ledger as a card payment (balance, state, history, PaymentReceived with
 * the funding its method says), idempotent on (invoice, method, reference), refused naming the
 * field; the 7-day rule of off-premises contracts; a credit note after one never asks Stripe to
 * refund it; and the yearly tax-credit attestation deducting a pre-funded CESU payment.
 */
import { rmSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setUpLocalTables, uniquePrefix } from '../support/local-tables.ts';
import { acceptedQuote, installLocalAdapters, manager44, operator, seedInvoicingWorld, type InvoicingWorld } from '../support/invoicing.ts';
import { eventsOfInvoice } from '../support/outbox-events.ts';
import { usePdfReader } from '../support/pdf-text.ts';
import { adapters } from '../../functions/shared/adapters.ts';
import { ConflictError, ValidationError } from '../../functions/shared/errors.ts';
import * as directory from '../../functions/onboarding/service.ts';
import * as invoices from '../../functions/invoices/service.ts';
import { issueInvoice } from '../../functions/invoices/issue.ts';
import { createCreditNote } from '../../functions/invoices/credit-notes.ts';
import { CreateInvoiceBody, CreditNoteBody } from '../../functions/invoices/schemas.ts';
import { settlement } from '../../functions/payments/index.ts';
import { recordOfflinePayment } from '../../functions/payments/offline.ts';
import { OfflinePaymentBody } from '../../functions/payments/contracts.ts';
import { paymentsOf, queuedRefundRetries, refundsOf } from '../../functions/payments/store.ts';
import { seedCesuDemo } from '../../infra/local/demo-cesu.ts';
import { cesuStandIn } from '../../infra/local/urssaf-cesu.ts';
import { useCesuPort } from '../../functions/cesu/urssaf.ts';
import { attestationsOfClient } from '../../functions/cesu/store.ts';
import { issueAttestations } from '../../functions/cesu/attestations.ts';
import { recordSapSale } from '../../functions/cesu/sales.ts';

const now = new Date('2026-11-30T10:00:00Z');
const read = usePdfReader('offline-payments');
let world: InvoicingWorld;

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected a refusal');
    },
    (e: unknown) => e as Error & { status?: number; errors?: { path: string }[]; extensions?: Record<string, unknown> },
  );

/** A SAP invoice of Martine Leroux's to a client, hours at 24.00 € HT + 10 % VAT, issued on `issuedAt`. */
async function sapInvoice(clientId: string, hours: number, issuedAt = now) {
  const draft = await invoices.createInvoice(
    manager44,
    CreateInvoiceBody().parse({
      etd: '44',
      cae: 'SAMAD',
      clientId,
      entrepreneurId: world.samadAuthor,
      kind: 'standard',
      title: 'Accompagnement à domicile — novembre 2026',
      dueDays: 30,
      sapEligible: true,
      serviceDate: '2026-11-20',
      lines: [
        {
          description: 'Entretien de la maison',
          sapActivity: 'housework',
          kind: 'labour',
          quantity: hours,
          unit: 'h',
          unitPriceCents: 2_400,
          vatRate: '10',
        },
      ],
    }),
    issuedAt,
  );
  return issueInvoice(adapters(), manager44, draft.id, issuedAt);
}

const body = (input: Record<string, unknown>) => OfflinePaymentBody().parse(input);
/** Records, as a manager of 44 at `now`, what `input` says on `invoice`. */
const record = (invoice: { id: string }, input: Record<string, unknown>, at = now) =>
  recordOfflinePayment(adapters(), invoice, body(input), manager44, at);

beforeEach(async () => {
  await setUpLocalTables(uniquePrefix('offpay'));
  const dataDir = installLocalAdapters();
  world = await seedInvoicingWorld(dataDir, now);
});
afterEach(() => {
  rmSync(world.dataDir, { recursive: true, force: true });
});

describe('a payment received outside Stripe', () => {
  it('moves the balance and the state through the ledger, writes PaymentReceived with its funding, once per method and reference', async () => {
    const invoice = await sapInvoice(world.samadClient, 10, new Date('2026-11-25T10:00:00Z')); // 240.00 € HT + 10 % = 264.00 €
    expect(invoice.totals.grossCents).toBe(26_400);
    const cesu = body({
      method: 'cesu-prefunded',
      amountCents: 10_000,
      receivedOn: '2026-11-28',
      reference: ' CESU n° 0012345 à 0012354 ',
    });
    const first = await recordOfflinePayment(adapters(), invoice, cesu, manager44, now);
    expect(first.recorded).toBe(true);
    expect(first.payment).toMatchObject({
      key: expect.stringMatching(/^off_[0-9a-f]{26}$/),
      status: 'succeeded',
      method: 'cesu-prefunded',
      amountCents: 10_000,
      reference: 'CESU n° 0012345 à 0012354',
      receivedOn: '2026-11-28',
      recordedBy: 'mgr-44',
      funding: { prefundedCesuCents: 10_000 },
    });
    expect(first.payment.stripe).toBeUndefined();
    expect(first.invoice).toMatchObject({
      state: 'partially_paid',
      amountPaidCents: 10_000,
      amountDueCents: 16_400,
      version: invoice.version + 1,
    });

    // The same call again (the reference's spaces aside): the same payment, nothing written.
    const again = await recordOfflinePayment(adapters(), invoice, { ...cesu, reference: 'CESU n°  0012345 à 0012354' }, operator, now);
    expect(again.recorded).toBe(false);
    expect(again.payment).toEqual(first.payment);
    expect((await invoices.getInvoice(manager44, invoice.id)).version).toBe(first.invoice.version);

    // The rest by bank transfer: paid; no funding on the client's own money.
    const transfer = await recordOfflinePayment(
      adapters(),
      invoice,
      body({ method: 'transfer', amountCents: 16_400, receivedOn: '2026-11-30', reference: 'VIR SEPA DURAND FACT 2026-11' }),
      operator,
      now,
    );
    expect(transfer.invoice).toMatchObject({ state: 'paid', amountPaidCents: 26_400, amountDueCents: 0 });
    expect(transfer.payment.funding).toBeUndefined();

    // Both recorded at the same instant: their events in any order.
    const received = await eventsOfInvoice(invoice.id, 'PaymentReceived');
    expect(received).toHaveLength(2);
    const of = (key: string) => received.find((e) => e.detail.paymentIntent === key)!.detail;
    expect(of(first.payment.key)).toMatchObject({ amountCents: 10_000, receivedOn: '2026-11-28', funding: { prefundedCesuCents: 10_000 } });
    expect(of(transfer.payment.key)).toMatchObject({ amountCents: 16_400, receivedOn: '2026-11-30' });
    expect(of(transfer.payment.key)).not.toHaveProperty('funding');
    // HT of the two moves add up to the invoice's HT (the ledger's one pro-rata rule).
    expect(received.reduce((sum, e) => sum + Number(e.detail.netHtCents), 0)).toBe(invoice.totals.netCents);
    const listed = await paymentsOf(invoice.id);
    expect(listed.map((p) => p.method).sort()).toEqual(['cesu-prefunded', 'transfer']);
  });

  it('is refused naming the field: the same reference with another amount, above the balance, a draft, in the future, before the issue date', async () => {
    const invoice = await sapInvoice(world.samadClient, 10, new Date('2026-11-20T10:00:00Z'));
    const cheque = { method: 'cheque', amountCents: 5_000, receivedOn: '2026-11-25', reference: '8123456' };
    await recordOfflinePayment(adapters(), invoice, body(cheque), manager44, now);

    const other = await failure(recordOfflinePayment(adapters(), invoice, body({ ...cheque, amountCents: 5_001 }), manager44, now));
    expect(other).toBeInstanceOf(ConflictError);
    expect(other.extensions).toMatchObject({ field: 'reference' });

    const above = await failure(
      recordOfflinePayment(adapters(), invoice, body({ ...cheque, reference: '8123457', amountCents: 21_401 }), manager44, now),
    );
    expect(above).toBeInstanceOf(ConflictError);
    expect(above.extensions).toMatchObject({ field: 'amountCents' });

    const future = await failure(
      recordOfflinePayment(adapters(), invoice, body({ ...cheque, reference: '8123458', receivedOn: '2026-12-01' }), manager44, now),
    );
    expect(future).toBeInstanceOf(ValidationError);
    expect(future.errors!.map((e) => e.path)).toEqual(['receivedOn']);

    const early = await failure(
      recordOfflinePayment(adapters(), invoice, body({ ...cheque, reference: '8123459', receivedOn: '2026-11-19' }), manager44, now),
    );
    expect(early).toBeInstanceOf(ConflictError);
    expect(early.extensions).toMatchObject({ field: 'receivedOn' });

    const draft = await invoices.createInvoice(
      manager44,
      CreateInvoiceBody().parse({
        etd: '44',
        cae: 'SAMAD',
        clientId: world.samadClient,
        entrepreneurId: world.samadAuthor,
        kind: 'standard',
        title: 'Brouillon',
        sapEligible: true,
        lines: [
          { description: 'Ménage', sapActivity: 'housework', kind: 'labour', quantity: 1, unit: 'h', unitPriceCents: 2_400, vatRate: '10' },
        ],
      }),
      now,
    );
    const notIssued = await failure(recordOfflinePayment(adapters(), draft, body({ ...cheque, reference: 'x' }), manager44, now));
    expect(notIssued).toBeInstanceOf(ConflictError);
    expect(notIssued.extensions).toMatchObject({ field: 'id' });

    // Nothing of the refused ones was written.
    expect((await paymentsOf(invoice.id)).map((p) => p.reference)).toEqual(['8123456']);
    expect(await eventsOfInvoice(invoice.id, 'PaymentReceived')).toHaveLength(1);
    expect((await invoices.getInvoice(manager44, invoice.id)).amountPaidCents).toBe(5_000);
  });

  it('at the same time: the same call twice records one payment; two payments of the whole balance, one is refused', async () => {
    const invoice = await sapInvoice(world.samadClient, 10, new Date('2026-11-25T10:00:00Z'));
    const transfer = { method: 'transfer', amountCents: 26_400, receivedOn: '2026-11-30', reference: 'VIR 0099' };
    const twice = await Promise.all([record(invoice, transfer), record(invoice, transfer)]);
    expect(twice.map((r) => r.recorded).sort()).toEqual([false, true]);
    expect(twice[0].payment.key).toBe(twice[1].payment.key);

    const other = await sapInvoice(world.samadClient, 10, new Date('2026-11-25T10:00:00Z'));
    const both = await Promise.allSettled([
      record(other, { ...transfer, reference: 'VIR 0100' }),
      record(other, { ...transfer, method: 'cheque', reference: '0100' }),
    ]);
    expect(both.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refused = both.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toBeInstanceOf(ConflictError);
    expect(refused.reason.extensions).toMatchObject({ field: 'amountCents' });
    for (const id of [invoice.id, other.id]) {
      expect(await paymentsOf(id)).toHaveLength(1);
      expect(await eventsOfInvoice(id, 'PaymentReceived')).toHaveLength(1);
      expect((await invoices.getInvoice(manager44, id)).amountPaidCents).toBe(26_400);
    }
  });

  it('of an off-premises contract: refused before the first day a payment may be received (naming receivedOn), taken from it', async () => {
    const quoteAt = new Date('2026-11-25T10:00:00Z');
    const quote = await acceptedQuote(world, quoteAt);
    const draft = await invoices.createInvoice(
      manager44,
      CreateInvoiceBody().parse({
        etd: '44',
        cae: 'MSG',
        entrepreneurId: world.msgAuthor,
        clientId: world.msgClient,
        kind: 'deposit',
        quoteId: quote.id,
      }),
      quoteAt,
    );
    const deposit = await issueInvoice(adapters(), manager44, draft.id, quoteAt);
    expect(deposit.noPaymentBefore).toBe('2026-12-03');
    const later = new Date('2026-12-10T10:00:00Z');
    const transfer = { method: 'transfer', amountCents: deposit.amountDueCents, receivedOn: '2026-12-02', reference: 'VIR ACOMPTE MOREAU' };
    const early = await failure(recordOfflinePayment(adapters(), deposit, body(transfer), manager44, later));
    expect(early).toBeInstanceOf(ConflictError);
    expect(early.extensions).toMatchObject({ field: 'receivedOn' });
    expect(early.message).toContain('L221-10');
    const paid = await recordOfflinePayment(adapters(), deposit, body({ ...transfer, receivedOn: '2026-12-03' }), manager44, later);
    expect(paid.invoice.state).toBe('paid');
  });

  it('a credit note after it asks Stripe for no refund of it: what was overpaid is left to give back by hand', async () => {
    const invoice = await sapInvoice(world.samadClient, 10);
    await record(invoice, { method: 'apa-pch', amountCents: 26_400, receivedOn: '2026-11-30', reference: 'Décision APA 44-2026-000123' });
    const { invoice: after } = await createCreditNote(
      adapters(),
      settlement,
      manager44,
      invoice.id,
      CreditNoteBody().parse({ lines: [{ index: 0, quantity: 2 }], reason: 'Deux heures non effectuées' }),
      now,
    );
    expect(after.amountDueCents).toBe(-5_280); // 2 h × 26.40 € TTC: overpaid
    expect(await refundsOf(invoice.id)).toEqual([]);
    // Not attempted either (a failed attempt would be queued for the daily retry).
    const queued = [];
    for await (const retry of queuedRefundRetries(new Date('2027-01-01T00:00:00Z')))
      if (retry?.invoiceId === invoice.id) queued.push(retry);
    expect(queued).toEqual([]);
  });
});

describe('the yearly tax-credit attestation', () => {
  it('deducts a pre-funded CESU payment recorded by staff', async () => {
    useCesuPort(cesuStandIn());
    try {
      const es = (await directory.listEntrepreneurs(operator, { etd: '44', state: 'active', limit: 10 })).items;
      const ids = ['Leroux', 'Benali', 'Garnier'].map((n) => es.find((e) => e.lastName === n)!.id);
      const clients = (await directory.listClients(operator, { etd: '44', limit: 20 })).items;
      const yvette = clients.find((c) => c.kind === 'individual' && c.lastName === 'Durand')!.id;
      const jean = clients.find((c) => c.kind === 'individual' && c.lastName === 'Moreau')!.id;
      await seedCesuDemo(ids, [yvette, jean], now);
      const [first] = await attestationsOfClient(yvette);
      expect(first).toMatchObject({ year: 2026, paidCents: 47_520 });

      // 4 h × 24.00 € HT + 10 % = 105.60 €: 60.00 € in pre-funded CESU titles, the rest by cheque.
      const invoice = await sapInvoice(yvette, 4);
      await record(invoice, {
        method: 'cesu-prefunded',
        amountCents: 6_000,
        receivedOn: '2026-11-30',
        reference: 'CESU 7700001 à 7700004',
      });
      await record(invoice, { method: 'cheque', amountCents: 4_560, receivedOn: '2026-11-30', reference: '0456789' });
      // The facts reach the CESU table through the consumer's use case, as the relay delivers them.
      for (const event of await eventsOfInvoice(invoice.id))
        if (event.type === 'InvoiceIssued' || event.type === 'PaymentReceived') await recordSapSale(event.type, event.detail as never);

      const run = await issueAttestations(adapters(), '44', 2026, new Date('2026-12-01T09:00:00Z'));
      expect(run.issued[0]).toMatchObject({ supersedes: first!.number, paidCents: 47_520 + 10_560 - 6_000, hours: 22 });
      const corrected = (await attestationsOfClient(yvette)).find((a) => a.number === run.issued[0]!.number)!;
      const pdf = read(await adapters().documents.get(corrected.documentKey));
      expect(pdf.layout).toMatch(/Dont Cesu préfinancés : 60,00 €/);
      expect(pdf.layout).toMatch(/Montant acquitté par le bénéficiaire en 2026 : 520,80 €/);
    } finally {
      useCesuPort(undefined);
    }
  });
});
