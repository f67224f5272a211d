/**
 * Invoicing on a real DynamoDB Local with the local adapters (documents folder, outbox): standard,
 * deposit and final invoices (exact to the cent, rate by rate), issue (number, PDF, pay link,
 * e-mail) and immutability, gapless numbering of two series under 200 concurrent issues, with and
 * without injected failures, and credit notes.
 */
import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useLocalTables } from '../support/local-tables.ts';
import {
  acceptedQuote,
  installLocalAdapters,
  manager44,
  manager85,
  oneToN,
  quoteBody,
  seedInvoicingWorld,
  sentQuote,
  sequencesOf,
  standardBody,
  type InvoicingWorld,
} from '../support/invoicing.ts';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient, tableName } from '../../functions/shared/dynamo.ts';
import { seriesKeys } from '../../functions/shared/series.ts';
import * as directory from '../../functions/onboarding/service.ts';
import { CreateEntrepreneurBody } from '../../functions/onboarding/schemas.ts';
import * as quotes from '../../functions/quotes/service.ts';
import { adapters, useAdapters, type Adapters } from '../../functions/shared/adapters.ts';
import { ConflictError, NotFoundError, PreconditionFailedError, ValidationError } from '../../functions/shared/errors.ts';
import { divideHalfUp, type Totals } from '../../functions/shared/pricing.ts';
import { CreateInvoiceBody } from '../../functions/invoices/schemas.ts';
import * as invoices from '../../functions/invoices/service.ts';
import { issueInvoice } from '../../functions/invoices/issue.ts';
import { createCreditNote, subtractTotals } from '../../functions/invoices/credit-notes.ts';
import { settlement } from '../../functions/payments/index.ts';
import { getItem, keys } from '../../functions/invoices/store.ts';
import { invoiceOfLink } from '../../functions/payments/client-link.ts';
import { handler as creditNotePdfLink } from '../../functions/invoices/handlers/credit-note-pdf-link.ts';
import { readOutbox } from '../../infra/local/adapters.ts';
import { eventsOfInvoice } from '../support/outbox-events.ts';

useLocalTables();
const now = new Date('2026-11-25T10:00:00Z');
let world: InvoicingWorld;

beforeAll(async () => {
  world = await seedInvoicingWorld(installLocalAdapters(), now);
});
afterAll(() => rmSync(world.dataDir, { recursive: true, force: true }));

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const error = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (e: unknown) => e,
  );

/** Per rate, bases and VAT of `parts` add up to `whole`. */
function expectSumsRateByRate(whole: Totals, parts: readonly Totals[]) {
  for (const v of whole.vat) {
    const of = parts.map((p) => p.vat.find((x) => x.rate === v.rate) ?? { baseCents: 0, vatCents: 0 });
    expect({ rate: v.rate, base: of.reduce((s, x) => s + x.baseCents, 0), vat: of.reduce((s, x) => s + x.vatCents, 0) }).toEqual({
      rate: v.rate,
      base: v.baseCents,
      vat: v.vatCents,
    });
  }
  expect(parts.reduce((s, p) => s + p.netCents, 0)).toBe(whole.netCents);
  expect(parts.reduce((s, p) => s + p.grossCents, 0)).toBe(whole.grossCents);
}

describe('standard invoices', () => {
  it('drafts, issues with the first number of the series, stores the PDF, links the payment and e-mails the link', async () => {
    // A year of its own: the first number of the series whichever test ran before.
    const day = new Date('2039-11-25T10:00:00Z');
    const draft = await invoices.createInvoice(manager44, standardBody(world, 'SAMAD', { purchaseOrder: 'BC-2026-117', dueDays: 15 }), day);
    // 12.5 h × 24.85 € = 310.625 → 310.63 €; 3 h × 24.85 € = 74.55 €; VAT 20 % of 385.18 € = 77.036 → 77.04 €
    expect(draft).toMatchObject({
      state: 'draft',
      number: null,
      kind: 'standard',
      cae: 'SAMAD',
      entrepreneurId: world.samadAuthor,
      sapEligible: true,
      dueDays: 15,
      version: 1,
    });
    expect(draft.lines.map((l) => l.totalCents)).toEqual([31_063, 7_455]);
    expect(draft.totals).toEqual({
      netCents: 38_518,
      vat: [{ rate: '20', baseCents: 38_518, vatCents: 7_704 }],
      grossCents: 46_222,
      depositCents: 0,
    });
    expect(draft).toMatchObject({ amountPaidCents: 0, amountPendingCents: 0, amountCreditedCents: 0, amountDueCents: 46_222 });
    const shown = await invoices.present(adapters(), draft, day);
    expect(shown.links).toEqual({ self: `/invoices/${draft.id}` });

    const issued = await issueInvoice(adapters(), manager44, draft.id, day);
    expect(issued).toMatchObject({
      state: 'issued',
      number: 'F-SAMAD44-2039-000001',
      issueDate: '2039-11-25',
      dueDate: '2039-12-10',
      serviceDate: '2039-11-25',
      version: 2,
      amountDueCents: 46_222,
    });
    const stored = await adapters().documents.get(issued.documentKey!);
    expect(Buffer.from(stored.subarray(0, 5)).toString()).toBe('%PDF-');
    expect(issued.document).toEqual({ sha256: sha256(stored), bytes: stored.length });
    expect(await getItem(keys.due(issued.id))).toMatchObject({ gsi1pk: 'OPEN#DUE', gsi1sk: `2039-12-10#${issued.id}` });

    const view = await invoices.present(adapters(), await invoices.getInvoice(manager44, issued.id), day);
    const token = await invoices.payToken(adapters(), issued.id);
    expect(view.links).toEqual({
      self: `/invoices/${issued.id}`,
      pdf: `/invoices/${issued.id}/pdf`,
      pay: `http://127.0.0.1:9999/pay/${token}`,
    });
    expect(view).not.toHaveProperty('documentKey');
    expect(view).not.toHaveProperty('clientEmail');
    expect((await invoiceOfLink(token)).id).toBe(issued.id);

    const mails = readOutbox(world.dataDir).filter((m) => m.subject.includes('F-SAMAD44-2039-000001'));
    expect(mails).toHaveLength(1);
    expect(mails[0]!.to).toContain('lucie.bernard@example.org');
    expect(mails[0]!.text).toContain(view.links.pay!);
    expect(mails[0]!.text).toContain('462,22');
  });

  it('never changes an issued invoice', async () => {
    const issued = await issueInvoice(adapters(), manager44, (await invoices.createInvoice(manager44, standardBody(world), now)).id, now);
    expect(await error(invoices.updateInvoice(manager44, issued.id, { version: issued.version, notes: 'x' }, now))).toBeInstanceOf(
      ConflictError,
    );
    expect(await error(invoices.updateInvoice(manager44, issued.id, { version: 1, notes: 'x' }, now))).toBeInstanceOf(ConflictError);
    expect(await error(issueInvoice(adapters(), manager44, issued.id, now))).toBeInstanceOf(ConflictError);
    expect(await invoices.getInvoice(manager44, issued.id)).toEqual(issued);
  });

  it('edits a draft at its current version only, leaving what the patch does not name', async () => {
    const draft = await invoices.createInvoice(
      manager44,
      standardBody(world, 'SAMAD', { purchaseOrder: 'BC-1', dueDays: 10, notes: 'Merci', serviceDate: '2026-11-20' }),
      now,
    );
    const edited = await invoices.updateInvoice(manager44, draft.id, { version: 1, title: 'Aide à domicile — novembre 2026' }, now);
    expect(edited).toMatchObject({
      version: 2,
      title: 'Aide à domicile — novembre 2026',
      purchaseOrder: 'BC-1',
      dueDays: 10,
      notes: 'Merci',
      serviceDate: '2026-11-20',
      sapEligible: true,
      lines: draft.lines,
      totals: draft.totals,
      amountDueCents: 46_222,
    });
    expect(await error(invoices.updateInvoice(manager44, draft.id, { version: 1, notes: 'stale' }, now))).toBeInstanceOf(
      PreconditionFailedError,
    );
    const relined = await invoices.updateInvoice(
      manager44,
      draft.id,
      {
        version: 2,
        lines: [
          { description: 'Ménage', kind: 'labour', quantity: 2, unit: 'h', unitPriceCents: 2_500, vatRate: '20', sapActivity: 'housework' },
        ],
      },
      now,
    );
    expect(relined).toMatchObject({
      version: 3,
      totals: { grossCents: 6_000 },
      amountDueCents: 6_000,
      purchaseOrder: 'BC-1',
      notes: 'Merci',
      title: 'Aide à domicile — novembre 2026',
    });
    expect(await invoices.getInvoice(manager44, draft.id)).toEqual(relined);
    expect(await error(invoices.getInvoice(manager85, draft.id))).toBeInstanceOf(NotFoundError);
  });

  it('refuses lines on a quote’s invoice and a standard invoice from a quote', () => {
    expect(() => CreateInvoiceBody().parse({ ...standardBody(world), kind: 'deposit' })).toThrow();
    expect(() => CreateInvoiceBody().parse({ ...standardBody(world), quoteId: 'quo_00000000000000000000000000' })).toThrow();
  });
});

describe('deposit and final invoices from an accepted quote', () => {
  it('deposit per VAT rate, final = quote minus deposits to the cent, one final only', async () => {
    const quote = await acceptedQuote(world, now);
    expect(quote.totals.vat.map((v) => v.rate)).toEqual(['20', '10', '5.5']);
    const base = { etd: '44', cae: 'MSG', entrepreneurId: world.msgAuthor, clientId: world.msgClient, quoteId: quote.id } as const;

    const deposit = await invoices.createInvoice(manager44, CreateInvoiceBody().parse({ ...base, kind: 'deposit' }), now);
    expect(deposit.lines).toHaveLength(3);
    expect(deposit.totals.vat.map((v) => ({ rate: v.rate, baseCents: v.baseCents }))).toEqual(
      quote.totals.vat.map((v) => ({ rate: v.rate, baseCents: divideHalfUp(BigInt(v.baseCents) * 30n, 100n) })),
    );
    expect(deposit.lines.map((l) => l.vatRate)).toEqual(['20', '10', '5.5']);
    expect(deposit.amountDueCents).toBe(deposit.totals.grossCents);
    // Within a cent per rate of the quote's own deposit figure.
    expect(Math.abs(deposit.totals.grossCents - quote.totals.depositCents)).toBeLessThanOrEqual(quote.totals.vat.length);
    const issuedDeposit = await issueInvoice(adapters(), manager44, deposit.id, now);
    expect(issuedDeposit.number).toMatch(/^F-MSG44-2026-\d{6}$/);

    const finalA = await invoices.createInvoice(manager44, CreateInvoiceBody().parse({ ...base, kind: 'final' }), now);
    const finalB = await invoices.createInvoice(manager44, CreateInvoiceBody().parse({ ...base, kind: 'final' }), now);
    expect(finalA.deductions).toEqual([
      { invoiceId: deposit.id, number: issuedDeposit.number, issueDate: '2026-11-25', totals: deposit.totals },
    ]);
    expectSumsRateByRate(quote.totals, [finalA.totals, deposit.totals]);
    expect(finalA.amountDueCents).toBe(quote.totals.grossCents - deposit.totals.grossCents);

    const issuedFinal = await issueInvoice(adapters(), manager44, finalA.id, now);
    expectSumsRateByRate(quote.totals, [issuedFinal.totals, issuedDeposit.totals]);
    const second = await error(issueInvoice(adapters(), manager44, finalB.id, now));
    expect(second).toBeInstanceOf(ConflictError);
    expect((await invoices.getInvoice(manager44, finalB.id)).state).toBe('draft');
    expect(await error(invoices.createInvoice(manager44, CreateInvoiceBody().parse({ ...base, kind: 'final' }), now))).toBeInstanceOf(
      ConflictError,
    );
    // The refused final consumed no number: the next invoice of the series follows the final.
    const next = await issueInvoice(
      adapters(),
      manager44,
      (await invoices.createInvoice(manager44, standardBody(world, 'MSG'), now)).id,
      now,
    );
    expect(sequencesOf([next.number], 'F-MSG44-2026')[0]).toBe(sequencesOf([issuedFinal.number], 'F-MSG44-2026')[0]! + 1);
  });

  it('a deposit issued after the final was drafted is deducted at issue', async () => {
    const quote = await acceptedQuote(world, now);
    const base = { etd: '44', cae: 'MSG', entrepreneurId: world.msgAuthor, clientId: world.msgClient, quoteId: quote.id } as const;
    const final = await invoices.createInvoice(manager44, CreateInvoiceBody().parse({ ...base, kind: 'final' }), now);
    expect(final.totals).toEqual({ ...quote.totals, depositCents: 0 });
    const deposit = await issueInvoice(
      adapters(),
      manager44,
      (await invoices.createInvoice(manager44, CreateInvoiceBody().parse({ ...base, kind: 'deposit' }), now)).id,
      now,
    );
    const issued = await issueInvoice(adapters(), manager44, final.id, now);
    expectSumsRateByRate(quote.totals, [issued.totals, deposit.totals]);
    expect(issued.amountDueCents).toBe(quote.totals.grossCents - deposit.totals.grossCents);
  });

  it('no deposit once the final is issued; a cancelled deposit is not deducted', async () => {
    const quote = await acceptedQuote(world, now);
    const base = { etd: '44', cae: 'MSG', entrepreneurId: world.msgAuthor, clientId: world.msgClient, quoteId: quote.id } as const;
    const deposit = await issueInvoice(
      adapters(),
      manager44,
      (await invoices.createInvoice(manager44, CreateInvoiceBody().parse({ ...base, kind: 'deposit' }), now)).id,
      now,
    );
    const { invoice: cancelled } = await createCreditNote(adapters(), settlement, manager44, deposit.id, { reason: 'Acompte annulé' }, now);
    expect(cancelled.state).toBe('cancelled');
    const final = await issueInvoice(
      adapters(),
      manager44,
      (await invoices.createInvoice(manager44, CreateInvoiceBody().parse({ ...base, kind: 'final' }), now)).id,
      now,
    );
    expect(final.deductions).toEqual([]);
    expect(final.totals).toEqual({ ...quote.totals, depositCents: 0 });
    expect(await error(invoices.createInvoice(manager44, CreateInvoiceBody().parse({ ...base, kind: 'deposit' }), now))).toBeInstanceOf(
      ConflictError,
    );
  });

  it('a deposit is invoiced once, corrected only before the final, which deducts it net of its credit notes', async () => {
    const quote = await acceptedQuote(world, now);
    const base = { etd: '44', cae: 'MSG', entrepreneurId: world.msgAuthor, clientId: world.msgClient, quoteId: quote.id } as const;
    const deposit = await issueInvoice(
      adapters(),
      manager44,
      (await invoices.createInvoice(manager44, CreateInvoiceBody().parse({ ...base, kind: 'deposit' }), now)).id,
      now,
    );
    expect(await error(invoices.createInvoice(manager44, CreateInvoiceBody().parse({ ...base, kind: 'deposit' }), now))).toBeInstanceOf(
      ConflictError,
    );
    const { creditNote } = await createCreditNote(
      adapters(),
      settlement,
      manager44,
      deposit.id,
      { lines: [{ index: 0 }], reason: 'Acompte réduit' },
      now,
    );
    const final = await issueInvoice(
      adapters(),
      manager44,
      (await invoices.createInvoice(manager44, CreateInvoiceBody().parse({ ...base, kind: 'final' }), now)).id,
      now,
    );
    expectSumsRateByRate(quote.totals, [final.totals, subtractTotals(deposit.totals, creditNote.totals)]);
    const late = await error(
      createCreditNote(adapters(), settlement, manager44, deposit.id, { lines: [{ index: 1 }], reason: 'Trop tard' }, now),
    );
    expect(late).toBeInstanceOf(ConflictError);
    expect((late as Error).message).toMatch(/correct the final invoice instead/);
  });

  it('refuses a quote that is not accepted, and a deposit on a quote asking none', async () => {
    const sent = await sentQuote(world, now);
    const base = { etd: '44', cae: 'MSG', entrepreneurId: world.msgAuthor, clientId: world.msgClient, quoteId: sent.id } as const;
    for (const kind of ['deposit', 'final'] as const) {
      const refused = await error(invoices.createInvoice(manager44, CreateInvoiceBody().parse({ ...base, kind }), now));
      expect(refused).toBeInstanceOf(ConflictError);
      expect((refused as ConflictError).extensions).toMatchObject({ field: 'quoteId' });
    }
    const noDeposit = await acceptedQuote(world, now, { depositPercent: 0 });
    expect(
      await error(invoices.createInvoice(manager44, CreateInvoiceBody().parse({ ...base, quoteId: noDeposit.id, kind: 'deposit' }), now)),
    ).toBeInstanceOf(ConflictError);
    const otherClient = await error(
      invoices.createInvoice(
        manager44,
        CreateInvoiceBody().parse({
          ...base,
          quoteId: noDeposit.id,
          kind: 'final',
          clientId: world.samadClient,
          entrepreneurId: world.samadAuthor,
        }),
        now,
      ),
    );
    expect(otherClient).toBeInstanceOf(ValidationError);
  });
});

describe('gapless numbering under concurrency', () => {
  const SAMAD = 'F-SAMAD44';
  const MSG = 'F-MSG44';

  async function drafts(count: number, at: Date) {
    const ids: string[] = [];
    for (let i = 0; i < count; i += 20) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(20, count - i) }, (_, j) =>
          invoices.createInvoice(manager44, standardBody(world, (i + j) % 2 === 0 ? 'SAMAD' : 'MSG'), at),
        ),
      );
      ids.push(...batch.map((d) => d.id));
    }
    return ids;
  }

  async function numbersOf(ids: readonly string[]) {
    return Promise.all(ids.map(async (id) => (await invoices.getInvoice(manager44, id)).number));
  }

  it('200 concurrent issues over two series: each series is exactly 1..n', { timeout: 240_000 }, async () => {
    const at = new Date('2031-03-02T09:00:00Z');
    const ids = await drafts(200, at);
    const started = Date.now();
    const results = await Promise.allSettled(ids.map((id) => issueInvoice(adapters(), manager44, id, at)));
    console.info(`200 concurrent issues over two series: ${Date.now() - started} ms`);
    expect(results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason))).toEqual([]);
    const numbers = await numbersOf(ids);
    expect(new Set(numbers).size).toBe(200);
    expect(sequencesOf(numbers, `${SAMAD}-2031`)).toEqual(oneToN(100));
    expect(sequencesOf(numbers, `${MSG}-2031`)).toEqual(oneToN(100));
  });

  it('with the PDF store failing after some commits: those are numbered without gap, their PDF pending, and issuing again stores the very PDF committed', {
    timeout: 240_000,
  }, async () => {
    const at = new Date('2032-03-02T09:00:00Z');
    const ids = await drafts(200, at);
    const real = adapters();
    let calls = 0;
    const failing: Adapters = {
      ...real,
      documents: {
        ...real.documents,
        put: (key, body, contentType) =>
          ++calls % 7 === 0 ? Promise.reject(new Error('injected S3 failure')) : real.documents.put(key, body, contentType),
      },
    };
    useAdapters(failing);
    const started = Date.now();
    let results: PromiseSettledResult<unknown>[];
    try {
      results = await Promise.allSettled(ids.map((id) => issueInvoice(adapters(), manager44, id, at)));
    } finally {
      useAdapters(real);
    }
    console.info(`200 concurrent issues with failures: ${Date.now() - started} ms`);
    const failed = ids.filter((_, i) => results[i]!.status === 'rejected');
    expect(failed.length).toBe(Math.floor(calls / 7));
    expect(failed.length).toBeGreaterThan(0);
    expect(
      results.filter((r) => r.status === 'rejected').every((r) => String((r as PromiseRejectedResult).reason).includes('injected')),
    ).toBe(true);
    // The store fails after the commit: the number is consumed, the PDF is pending, nothing is stored for it.
    for (const id of failed) {
      const pending = await invoices.getInvoice(manager44, id);
      expect(pending).toMatchObject({ state: 'issued', documentPending: true });
      await expect(adapters().documents.get(pending.documentKey!)).rejects.toThrow();
    }
    const before = await numbersOf(ids);
    expect(sequencesOf(before, `${SAMAD}-2032`)).toEqual(oneToN(100));
    expect(sequencesOf(before, `${MSG}-2032`)).toEqual(oneToN(100));

    const retried = await Promise.allSettled(failed.map((id) => issueInvoice(adapters(), manager44, id, at)));
    expect(retried.filter((r) => r.status === 'rejected')).toEqual([]);
    for (const id of failed) {
      const issued = await invoices.getInvoice(manager44, id);
      expect(issued.documentPending).toBeUndefined();
      expect(sha256(await adapters().documents.get(issued.documentKey!))).toBe(issued.document!.sha256);
    }
    expect(await numbersOf(ids)).toEqual(before);
    expect(await error(issueInvoice(adapters(), manager44, failed[0]!, at))).toBeInstanceOf(ConflictError);
  });

  it('a PDF left pending is completed after the public address changed: the bytes committed, the pay link of today in the e-mail', async () => {
    const at = new Date('2033-05-02T09:00:00Z');
    const [id] = await drafts(1, at);
    const real = adapters();
    useAdapters({ ...real, documents: { ...real.documents, put: () => Promise.reject(new Error('injected S3 failure')) } });
    try {
      expect(String(await error(issueInvoice(adapters(), manager44, id!, at)))).toContain('injected');
    } finally {
      useAdapters(real);
    }
    useAdapters({ ...real, publicBaseUrl: () => 'https://another-host.example' });
    try {
      await issueInvoice(adapters(), manager44, id!, at);
    } finally {
      useAdapters(real);
    }
    const issued = await invoices.getInvoice(manager44, id!);
    expect(issued.documentPending).toBeUndefined();
    expect(sha256(await adapters().documents.get(issued.documentKey!))).toBe(issued.document!.sha256);
    const mail = readOutbox(world.dataDir)
      .filter((m) => m.text.includes(issued.number!))
      .at(-1);
    expect(mail?.text).toContain('https://another-host.example/pay/');
  });

  it('a failed issue stores no document: only consumed numbers are ever written, under their own invoice', async () => {
    const quote = await acceptedQuote(world, now);
    const finals = await Promise.all(
      [1, 2].map(() =>
        invoices.createInvoice(
          manager44,
          CreateInvoiceBody().parse({
            etd: '44',
            cae: 'MSG',
            clientId: world.msgClient,
            entrepreneurId: world.msgAuthor,
            kind: 'final',
            quoteId: quote.id,
          }),
          now,
        ),
      ),
    );
    const real = adapters();
    const puts: string[] = [];
    useAdapters({
      ...real,
      documents: {
        ...real.documents,
        put: (key, body, contentType) => {
          puts.push(key);
          return real.documents.put(key, body, contentType);
        },
      },
    });
    let results: PromiseSettledResult<invoices.InvoiceRecord>[];
    try {
      results = await Promise.allSettled(finals.map((f) => issueInvoice(adapters(), manager44, f.id, now)));
    } finally {
      useAdapters(real);
    }
    // One final per quote: the other issue's transaction fails after its PDF was rendered with a number.
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const loser = finals[results.findIndex((r) => r.status === 'rejected')]!;
    expect(await invoices.getInvoice(manager44, loser.id)).toMatchObject({ state: 'draft', number: null });
    expect(puts.some((key) => key.includes(loser.id))).toBe(false);
    expect(puts).toHaveLength(1);
    const winner = (results.find((r) => r.status === 'fulfilled') as PromiseFulfilledResult<invoices.InvoiceRecord>).value;
    expect(puts[0]).toBe(`invoices/44/${winner.number}-${winner.id}.pdf`);
  });

  it('dates an invoice when its number is taken: a wait for the series across midnight on 31 December gives the new year’s number and date', async () => {
    const draft = await invoices.createInvoice(manager44, standardBody(world), now);
    const beforeMidnight = new Date('2033-12-31T22:59:59.200Z'); // 23:59:59.2 in Paris
    // Another issuer holds the 2033 series for about a second.
    await documentClient().send(
      new PutCommand({
        TableName: tableName('sales'),
        Item: { ...seriesKeys.lease('F-SAMAD44-2033'), entity: 'lease', owner: 'someone-else', expiresAt: Date.now() + 1_200 },
      }),
    );
    const issued = await issueInvoice(adapters(), manager44, draft.id, beforeMidnight);
    expect(issued).toMatchObject({ number: 'F-SAMAD44-2034-000001', issueDate: '2034-01-01', dueDate: '2034-01-31' });
  });

  it('refuses to invoice for an entrepreneur who has left, as quotes do', async () => {
    const gone = await directory.createEntrepreneur(
      manager44,
      CreateEntrepreneurBody().parse({
        etd: '44',
        cae: 'SAMAD',
        firstName: 'Paul',
        lastName: 'Départ',
        email: 'paul.depart@example.org',
        phone: '06 11 22 33 44',
        birthYear: 1960,
        status: 'salaried',
        competences: ['tutor'],
        poles: ['home-services'],
      }),
      now,
    );
    for (const to of ['validated', 'active', 'suspended', 'left'] as const) {
      const current = await directory.getEntrepreneur(manager44, gone.id);
      await directory.transitionEntrepreneur(manager44, gone.id, { to }, now);
      expect(current.state).not.toBe(to);
    }
    const body = { ...standardBody(world, 'SAMAD'), entrepreneurId: gone.id };
    const invoiceError = (await error(invoices.createInvoice(manager44, body, now))) as ValidationError;
    const quoteError = (await error(
      quotes.createQuote(manager44, quoteBody(world, { cae: 'SAMAD', entrepreneurId: gone.id, partnerId: undefined }), now),
    )) as ValidationError;
    expect(invoiceError).toBeInstanceOf(ValidationError);
    expect(invoiceError.errors).toEqual([{ path: 'entrepreneurId', message: 'the entrepreneur is left, not active' }]);
    expect(invoiceError.errors).toEqual(quoteError.errors);
  });
});

describe('credit notes', () => {
  it('partial, then larger than the rest refused, then the whole rest cancels the invoice', async () => {
    // A year of its own: the first numbers of the series whichever test ran before.
    const day = new Date('2040-11-25T10:00:00Z');
    const invoice = await issueInvoice(adapters(), manager44, (await invoices.createInvoice(manager44, standardBody(world), day)).id, day);
    expect(
      await error(
        createCreditNote(
          adapters(),
          settlement,
          manager44,
          (await invoices.createInvoice(manager44, standardBody(world), day)).id,
          { reason: 'brouillon' },
          day,
        ),
      ),
    ).toBeInstanceOf(ConflictError);

    // 2.5 h of the first line: 62.13 € + 12.43 € VAT = 74.56 €
    const first = await createCreditNote(
      adapters(),
      settlement,
      manager44,
      invoice.id,
      { lines: [{ index: 0, quantity: 2.5 }], reason: 'Heures non effectuées' },
      day,
    );
    expect(first.creditNote).toMatchObject({
      invoiceId: invoice.id,
      number: 'A-SAMAD44-2040-000001',
      issueDate: '2040-11-25',
      reason: 'Heures non effectuées',
    });
    expect(first.creditNote.totals).toEqual({
      netCents: 6_213,
      vat: [{ rate: '20', baseCents: 6_213, vatCents: 1_243 }],
      grossCents: 7_456,
      depositCents: 0,
    });
    expect(first.creditNote.lines).toEqual([{ ...invoice.lines[0]!, quantity: 2.5, totalCents: 6_213 }]);
    const pdf = await adapters().documents.get(first.creditNote.documentKey);
    expect(first.creditNote.document.sha256).toBe(sha256(pdf));
    expect(first.invoice).toMatchObject({
      state: 'issued',
      amountCreditedCents: 7_456,
      amountDueCents: 46_222 - 7_456,
      version: invoice.version + 1,
    });
    expect(first.invoice.creditNotes).toEqual([
      { id: first.creditNote.id, number: 'A-SAMAD44-2040-000001', issueDate: '2040-11-25', grossCents: 7_456 },
    ]);
    expect(await invoices.getInvoice(manager44, invoice.id)).toEqual(first.invoice);
    expect(await getItem(keys.creditNote(first.creditNote.id))).toMatchObject({ invoiceId: invoice.id, number: 'A-SAMAD44-2040-000001' });

    const tooMuch = await error(createCreditNote(adapters(), settlement, manager44, invoice.id, { reason: 'Tout' }, day));
    expect(tooMuch).toBeInstanceOf(ConflictError);
    expect((tooMuch as ConflictError).extensions).toMatchObject({ remainingCents: 38_766 });
    expect(
      await error(
        createCreditNote(adapters(), settlement, manager44, invoice.id, { lines: [{ index: 0, quantity: 13 }], reason: 'x' }, day),
      ),
    ).toBeInstanceOf(ValidationError);

    // The rest: 10 h of the first line and the whole second line = 323.05 € + 64.61 € = 387.66 €
    const rest = await createCreditNote(
      adapters(),
      settlement,
      manager44,
      invoice.id,
      { lines: [{ index: 0, quantity: 10 }, { index: 1 }], reason: 'Prestation annulée' },
      day,
    );
    expect(rest.creditNote.number).toBe('A-SAMAD44-2040-000002');
    expect(rest.creditNote.totals.grossCents).toBe(38_766);
    expect(rest.invoice).toMatchObject({ state: 'cancelled', amountCreditedCents: 46_222, amountDueCents: 0 });
    expect(await getItem(keys.due(invoice.id))).toBeUndefined();
    expect(
      await error(
        createCreditNote(adapters(), settlement, manager44, invoice.id, { lines: [{ index: 1, quantity: 1 }], reason: 'encore' }, day),
      ),
    ).toBeInstanceOf(ConflictError);
    // The invoice series is untouched by credit notes.
    expect(invoice.number).toMatch(/^F-SAMAD44-2040-/);
  });

  /** `GET /invoices/{id}/credit-notes/{n}/pdf` as the manager of 44. */
  async function creditNotePdf(invoiceId: string, n: string) {
    const result = await creditNotePdfLink(
      {
        version: '2.0',
        routeKey: 'GET /invoices/{id}/credit-notes/{n}/pdf',
        rawPath: `/invoices/${invoiceId}/credit-notes/${n}/pdf`,
        rawQueryString: '',
        headers: {},
        pathParameters: { id: invoiceId, n },
        requestContext: {
          requestId: 'req-crn',
          http: { method: 'GET', path: `/invoices/${invoiceId}/credit-notes/${n}/pdf` },
          authorizer: { jwt: { claims: { sub: 'mgr-44', 'cognito:groups': '[manager]', 'custom:etd': '44' }, scopes: null } },
        },
        isBase64Encoded: false,
      } as never,
      { awsRequestId: 'r1', functionName: 'CreditNotePdfLink', getRemainingTimeInMillis: () => 10_000 } as never,
    );
    return {
      status: result.statusCode,
      type: result.headers?.['content-type'],
      body: JSON.parse(String(result.body)) as Record<string, unknown>,
    };
  }

  it('a PDF store failing after the commit: the credit note is numbered, nothing stored under its number, no e-mail; issuing the invoice again stores the very bytes committed and e-mails it', async () => {
    const at = new Date('2035-05-02T09:00:00Z'); // a series of its own
    const invoice = await issueInvoice(adapters(), manager44, (await invoices.createInvoice(manager44, standardBody(world), at)).id, at);
    const real = adapters();
    const puts: string[] = [];
    useAdapters({
      ...real,
      documents: {
        ...real.documents,
        put: (key, body, contentType) => {
          puts.push(key);
          return key.startsWith('credit-notes/')
            ? Promise.reject(new Error('injected S3 failure'))
            : real.documents.put(key, body, contentType);
        },
      },
    });
    try {
      await expect(
        createCreditNote(
          adapters(),
          settlement,
          manager44,
          invoice.id,
          { lines: [{ index: 1, quantity: 1 }], reason: 'Heure non effectuée' },
          at,
        ),
      ).rejects.toThrow('injected S3 failure');
    } finally {
      useAdapters(real);
    }
    // Committed: the number is consumed, the balance moved; the PDF is pending and stored nowhere.
    const credited = await invoices.getInvoice(manager44, invoice.id);
    expect(credited.creditNotes).toMatchObject([{ number: 'A-SAMAD44-2035-000001', issueDate: '2035-05-02', grossCents: 2_982 }]);
    expect(credited.amountDueCents).toBe(46_222 - 2_982);
    const { id } = credited.creditNotes[0]!;
    const pending = (await getItem(keys.creditNote(id)))!;
    expect(pending).toMatchObject({ documentPending: true, documentKey: `credit-notes/44/A-SAMAD44-2035-000001-${id}.pdf` });
    expect(pending).not.toHaveProperty('delivery');
    expect(puts).toEqual([pending.documentKey]);
    await expect(adapters().documents.get(String(pending.documentKey))).rejects.toThrow();
    const subject = `Avoir n° A-SAMAD44-2035-000001 sur la facture n° ${invoice.number}`;
    expect(readOutbox(world.dataDir).filter((m) => m.subject === subject)).toHaveLength(0);

    // Its PDF route says how to complete it; no other credit note is issued on the invoice meanwhile.
    const refused = await creditNotePdf(invoice.id, 'A-SAMAD44-2035-000001');
    expect(refused).toMatchObject({ status: 409, type: 'application/problem+json' });
    expect(String(refused.body.detail)).toContain(`POST /invoices/${invoice.id}/issue`);
    const another = await error(
      createCreditNote(adapters(), settlement, manager44, invoice.id, { lines: [{ index: 0, quantity: 1 }], reason: 'Autre' }, at),
    );
    expect(another).toBeInstanceOf(ConflictError);
    expect((another as ConflictError).extensions).toMatchObject({ creditNote: 'A-SAMAD44-2035-000001' });

    // Issuing the invoice again completes the credit note: the very bytes committed, then the e-mail.
    const again = await issueInvoice(adapters(), manager44, invoice.id, at);
    expect(again).toMatchObject({ id: invoice.id, number: invoice.number, version: credited.version });
    const stored = (await getItem(keys.creditNote(id)))!;
    expect(stored).not.toHaveProperty('documentPending');
    expect(stored).toMatchObject({ delivery: { email: 'sent' } });
    expect(sha256(await adapters().documents.get(String(stored.documentKey)))).toBe((pending.document as { sha256: string }).sha256);
    const mails = readOutbox(world.dataDir).filter((m) => m.subject === subject);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.text).toContain('Il reste 432,40');
    expect(await creditNotePdf(invoice.id, 'A-SAMAD44-2035-000001')).toMatchObject({
      status: 200,
      body: { url: expect.stringMatching(/^http/) },
    });
    // Nothing is pending any more: issuing again is refused, and the next credit note takes the next number.
    expect(await error(issueInvoice(adapters(), manager44, invoice.id, at))).toBeInstanceOf(ConflictError);
    const next = await createCreditNote(
      adapters(),
      settlement,
      manager44,
      invoice.id,
      { lines: [{ index: 0, quantity: 1 }], reason: 'Autre' },
      at,
    );
    expect(next.creditNote.number).toBe('A-SAMAD44-2035-000002');
  });

  it('a failed credit note stores no document: only consumed numbers are ever written, under their own credit note', async () => {
    const at = new Date('2035-06-02T09:00:00Z');
    const invoice = await issueInvoice(
      adapters(),
      manager44,
      (await invoices.createInvoice(manager44, standardBody(world, 'MSG'), at)).id,
      at,
    );
    const real = adapters();
    const puts: string[] = [];
    const recording = (key: string, body: Uint8Array, contentType: string) => {
      puts.push(key);
      return real.documents.put(key, body, contentType);
    };
    useAdapters({ ...real, documents: { ...real.documents, put: recording } });
    let results: PromiseSettledResult<Awaited<ReturnType<typeof createCreditNote>>>[];
    try {
      // Both credit the whole invoice: the second to take the series renders its PDF with the next
      // number, then its transaction fails (the invoice changed), consuming nothing.
      results = await Promise.allSettled(
        [1, 2].map(() => createCreditNote(adapters(), settlement, manager44, invoice.id, { reason: 'Prestation annulée' }, at)),
      );
    } finally {
      useAdapters(real);
    }
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason).toBeInstanceOf(ConflictError);
    const winner = (results.find((r) => r.status === 'fulfilled') as PromiseFulfilledResult<Awaited<ReturnType<typeof createCreditNote>>>)
      .value.creditNote;
    expect(winner.number).toBe('A-MSG44-2035-000001');
    expect(puts).toEqual([`credit-notes/44/A-MSG44-2035-000001-${winner.id}.pdf`]);
    expect((await invoices.getInvoice(manager44, invoice.id)).creditNotes).toHaveLength(1);
  });

  it('dates a credit note when its number is taken: a wait for the series across midnight on 31 December gives the new year’s number and date', async () => {
    const invoice = await issueInvoice(adapters(), manager44, (await invoices.createInvoice(manager44, standardBody(world), now)).id, now);
    const beforeMidnight = new Date('2036-12-31T22:59:59.200Z'); // 23:59:59.2 in Paris
    // Another issuer holds the 2036 series for about a second.
    await documentClient().send(
      new PutCommand({
        TableName: tableName('sales'),
        Item: { ...seriesKeys.lease('A-SAMAD44-2036'), entity: 'lease', owner: 'someone-else', expiresAt: Date.now() + 1_200 },
      }),
    );
    const { creditNote, invoice: credited } = await createCreditNote(
      adapters(),
      settlement,
      manager44,
      invoice.id,
      { lines: [{ index: 1 }], reason: 'Heure non effectuée' },
      beforeMidnight,
    );
    expect(creditNote).toMatchObject({ number: 'A-SAMAD44-2037-000001', issueDate: '2037-01-01' });
    expect(credited.creditNotes.at(-1)).toMatchObject({ number: 'A-SAMAD44-2037-000001', issueDate: '2037-01-01' });
  });
});

describe('domain events of invoicing (written in the same transaction as the change)', () => {
  // A year of its own: its series and its events touch no other test's.
  const at = new Date('2038-05-12T08:30:00Z');

  it('issuing writes exactly one InvoiceIssued, with the invoice’s parties, Paris issue date and totals in cents', async () => {
    const draft = await invoices.createInvoice(manager44, standardBody(world), at);
    expect(await eventsOfInvoice(draft.id)).toEqual([]);
    const issued = await issueInvoice(adapters(), manager44, draft.id, at);
    const events = await eventsOfInvoice(issued.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      pk: 'EVENT#2038-05-12',
      entity: 'event',
      type: 'InvoiceIssued',
      // When its number was taken (the issue instant), as the invoice's last change.
      at: issued.updatedAt,
      sk: `${issued.updatedAt}#${events[0]!.eventId}`,
    });
    expect(events[0]!.eventId).toMatch(/^[0-9a-f-]{36}$/);
    expect(issued.number).toMatch(/^F-SAMAD44-2038-\d{6}$/);
    expect(events[0]!.detail).toEqual({
      invoiceId: issued.id,
      number: issued.number, // whichever number of the 2038 series the order of the tests gave it
      etd: '44',
      cae: 'SAMAD',
      entrepreneurId: world.samadAuthor,
      clientId: world.samadClient,
      issuedOn: '2038-05-12',
      kind: 'standard',
      totals: { netCents: 38_518, vatCents: 7_704, grossCents: 46_222 },
      sapEligible: true,
    });
    // Issuing again (nothing pending) is refused and writes nothing.
    expect(await error(issueInvoice(adapters(), manager44, issued.id, at))).toBeInstanceOf(ConflictError);
    expect(await eventsOfInvoice(issued.id)).toHaveLength(1);
  });

  it('the issue date is the Paris date: 23:30 UTC on 12 May is the 13th', async () => {
    const late = new Date('2038-05-12T22:30:00Z');
    const issued = await issueInvoice(
      adapters(),
      manager44,
      (await invoices.createInvoice(manager44, standardBody(world, 'MSG'), late)).id,
      late,
    );
    const [event] = await eventsOfInvoice(issued.id, 'InvoiceIssued');
    expect(issued.issueDate).toBe('2038-05-13');
    expect(event).toMatchObject({
      pk: 'EVENT#2038-05-13',
      detail: { issuedOn: '2038-05-13', cae: 'MSG', entrepreneurId: world.msgAuthor },
    });
  });

  it('a deposit and its final: one event each, their totals adding up to the quote’s; a refused final writes none', async () => {
    const quote = await acceptedQuote(world, at);
    const base = { etd: '44', cae: 'MSG', entrepreneurId: world.msgAuthor, clientId: world.msgClient, quoteId: quote.id } as const;
    const deposit = await issueInvoice(
      adapters(),
      manager44,
      (await invoices.createInvoice(manager44, CreateInvoiceBody().parse({ ...base, kind: 'deposit' }), at)).id,
      at,
    );
    const finals = await Promise.all(
      [1, 2].map(() => invoices.createInvoice(manager44, CreateInvoiceBody().parse({ ...base, kind: 'final' }), at)),
    );
    // Both finals race: one quote, one final; the loser's transaction fails after its number was taken.
    const results = await Promise.allSettled(finals.map((f) => issueInvoice(adapters(), manager44, f.id, at)));
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const winner = (results.find((r) => r.status === 'fulfilled') as PromiseFulfilledResult<invoices.InvoiceRecord>).value;
    const loser = finals[results.findIndex((r) => r.status === 'rejected')]!;
    expect(await eventsOfInvoice(loser.id)).toEqual([]);

    const [depositEvent] = await eventsOfInvoice(deposit.id, 'InvoiceIssued');
    const finalEvents = await eventsOfInvoice(winner.id);
    expect(finalEvents.map((e) => e.type)).toEqual(['InvoiceIssued']);
    expect(depositEvent!.detail).toMatchObject({ kind: 'deposit', number: deposit.number, sapEligible: false });
    expect(finalEvents[0]!.detail).toMatchObject({ kind: 'final', number: winner.number, clientId: world.msgClient });
    const sum = (key: 'netCents' | 'vatCents' | 'grossCents') =>
      [depositEvent!, finalEvents[0]!].reduce((s, e) => s + (e.detail.totals as Record<string, number>)[key]!, 0);
    expect({ netCents: sum('netCents'), vatCents: sum('vatCents'), grossCents: sum('grossCents') }).toEqual({
      netCents: quote.totals.netCents,
      vatCents: quote.totals.grossCents - quote.totals.netCents,
      grossCents: quote.totals.grossCents,
    });
  });

  it('crediting writes exactly one CreditNoteIssued with the credited totals; a refused credit note writes none', async () => {
    const invoice = await issueInvoice(adapters(), manager44, (await invoices.createInvoice(manager44, standardBody(world), at)).id, at);
    // 2.5 h of the first line: 62.13 € + 12.43 € VAT.
    const { creditNote } = await createCreditNote(
      adapters(),
      settlement,
      manager44,
      invoice.id,
      { lines: [{ index: 0, quantity: 2.5 }], reason: 'Heures non effectuées' },
      at,
    );
    const credited = await eventsOfInvoice(invoice.id, 'CreditNoteIssued');
    expect(credited).toHaveLength(1);
    expect(credited[0]).toMatchObject({ pk: 'EVENT#2038-05-12', entity: 'event', at: creditNote.createdAt });
    expect(credited[0]!.detail).toEqual({
      creditNoteId: creditNote.id,
      invoiceId: invoice.id,
      number: creditNote.number,
      etd: '44',
      cae: 'SAMAD',
      entrepreneurId: world.samadAuthor,
      clientId: world.samadClient,
      issuedOn: '2038-05-12',
      totals: { netCents: 6_213, vatCents: 1_243, grossCents: 7_456 },
    });

    // Two credit notes of the whole rest at once: one commits; the other is refused (its transaction fails on the
    // invoice's version, or it reads the rest already credited) and writes no event.
    const results = await Promise.allSettled(
      [1, 2].map(() =>
        createCreditNote(
          adapters(),
          settlement,
          manager44,
          invoice.id,
          { lines: [{ index: 0, quantity: 10 }, { index: 1 }], reason: 'Prestation annulée' },
          at,
        ),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason).toBeInstanceOf(ConflictError);
    // Refused before its transaction (more than remains): nothing either.
    expect(await error(createCreditNote(adapters(), settlement, manager44, invoice.id, { reason: 'Encore' }, at))).toBeInstanceOf(
      ConflictError,
    );
    const all = await eventsOfInvoice(invoice.id);
    expect(all.map((e) => e.type).sort()).toEqual(['CreditNoteIssued', 'CreditNoteIssued', 'InvoiceIssued']);
    const winner = (results.find((r) => r.status === 'fulfilled') as PromiseFulfilledResult<Awaited<ReturnType<typeof createCreditNote>>>)
      .value.creditNote;
    const second = all.find((e) => e.type === 'CreditNoteIssued' && e.detail.creditNoteId !== creditNote.id)!;
    expect(second.detail).toMatchObject({ creditNoteId: winner.id, number: winner.number, totals: { grossCents: 46_222 - 7_456 } });
  });
});
