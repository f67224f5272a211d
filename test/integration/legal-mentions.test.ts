/**
 * Issue 9 over the local tables: what the law forbids is refused (a works quote or invoice without
 * the CAE's valid insurance, a quote to an individual without the start of the works, a job
 * claiming aid with an uncovered 5.5 % line, an SAP invoice without the CAE's declaration), the
 * client withdraws through the link within the 14 days (recorded like an acceptance), nothing is
 * paid within 7 days of an off-premises contract, the deposit invoice bills the deposit the quote
 * announced to the cent, and an operator records a CAE's legal data (versioned, audited).
 */
import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useLocalTables } from '../support/local-tables.ts';
import {
  acceptedQuote,
  installLocalAdapters,
  manager44,
  quoteBody,
  seedInvoicingWorld,
  standardBody,
  type InvoicingWorld,
} from '../support/invoicing.ts';
import { adapters, useAdapters } from '../../functions/shared/adapters.ts';
import type { Principal } from '../../functions/shared/auth.ts';
import { PreconditionFailedError, ValidationError } from '../../functions/shared/errors.ts';
import { PageError } from '../../functions/shared/page.ts';
import * as directory from '../../functions/onboarding/service.ts';
import * as quotes from '../../functions/quotes/service.ts';
import { sendQuote } from '../../functions/quotes/send.ts';
import { CreateInvoiceBody } from '../../functions/invoices/schemas.ts';
import * as invoices from '../../functions/invoices/service.ts';
import { issueInvoice } from '../../functions/invoices/issue.ts';
import { createCreditNote } from '../../functions/invoices/credit-notes.ts';
import { settlement } from '../../functions/payments/index.ts';
import { startCheckout } from '../../functions/payments/service.ts';
import { payPageView } from '../../functions/payments/client-link.ts';
import { payToken } from '../../functions/invoices/index.ts';

useLocalTables();

const now = new Date('2026-11-25T10:00:00Z');
const operator: Principal = { sub: 'op-legal', role: 'operator' };
let world: InvoicingWorld;

beforeAll(async () => {
  world = await seedInvoicingWorld(installLocalAdapters(), now);
});
afterAll(() => rmSync(world.dataDir, { recursive: true, force: true }));

const refusal = async (work: Promise<unknown>) => (await work.then(() => undefined).catch((e: unknown) => e)) as ValidationError;
const evidence = { ip: '203.0.113.7', userAgent: 'Mozilla/5.0' };

describe('sending a quote: refused when the law forbids it, naming the field', () => {
  it('a quote to an individual states when the works start', async () => {
    const draft = await quotes.createQuote(manager44, quoteBody(world, { worksStartWithinDays: undefined }), now);
    const error = await refusal(sendQuote(adapters(), manager44, draft.id, now));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.errors.map((e) => e.path)).toEqual(['worksStartDate']);
    expect((await quotes.getQuote(manager44, draft.id)).state).toBe('draft'); // no number consumed
  });

  it('a job claiming energy-renovation aid has every 5.5 % line covered by the partner’s RGE qualification', async () => {
    const body = quoteBody(world, { energyAid: true });
    const lines = body.lines.map((l) => (l.vatRate === '5.5' ? { ...l, rgeDomain: 'ventilation' as const } : l));
    const draft = await quotes.createQuote(manager44, { ...body, lines }, now);
    const error = await refusal(sendQuote(adapters(), manager44, draft.id, now));
    expect(error.errors[0]).toMatchObject({
      path: 'lines.0.rgeDomain',
      message: expect.stringMatching(/does not cover the domain ventilation/),
    });
    // Without the aid claimed, the quote is sent and the uncovered line is flagged to its author.
    const flagged = await quotes.createQuote(manager44, { ...body, energyAid: false, lines }, now);
    const sent = await sendQuote(adapters(), manager44, flagged.id, now);
    const view = await quotes.present(adapters(), sent);
    const fivePointFive = lines.flatMap((l, i) => (l.vatRate === '5.5' ? [`lines.${i}.rgeDomain`] : []));
    // (The partner of the world may also be warned of a décennale ending before the works: path partnerId.)
    const rge = view.warnings?.filter((w) => w.path.endsWith('.rgeDomain'));
    expect(rge?.map((w) => w.path)).toEqual(fivePointFive);
    expect(rge?.[0]?.message).toMatch(/not covered by the partner’s RGE/);
  });

  it('a works quote names the CAE’s insurance valid on its date; an operator records the renewed policy', async () => {
    const etd = await directory.getEtd(operator, '44');
    const policy = etd.caes.msg.insurance!;
    await directory.updateCaeLegal(
      operator,
      '44',
      'MSG',
      { version: etd.version, insurance: { ...policy, validFrom: '2025-01-01', validUntil: '2025-12-31' } },
      now,
    );
    const draft = await quotes.createQuote(manager44, quoteBody(world), now);
    const error = await refusal(sendQuote(adapters(), manager44, draft.id, now));
    expect(error.errors).toEqual([{ path: 'cae', message: expect.stringMatching(/expired on 2025-12-31/) }]);
    const expired = await directory.getEtd(operator, '44');
    await directory.updateCaeLegal(operator, '44', 'MSG', { version: expired.version, insurance: policy }, now);
    expect((await sendQuote(adapters(), manager44, draft.id, now)).documentSource).toMatchObject({ edition: 3, issuerInsurance: policy });
  });

  it('warns its author when the works may start after the CAE’s policy printed on the quote ends', async () => {
    const etd = await directory.getEtd(operator, '44');
    const policy = etd.caes.msg.insurance!;
    const thisYear = { ...policy, validFrom: '2026-01-01', validUntil: '2026-12-31' };
    await directory.updateCaeLegal(operator, '44', 'MSG', { version: etd.version, insurance: thisYear }, now);
    try {
      const body = { ...quoteBody(world), worksStartWithinDays: undefined };
      const january = await quotes.createQuote(manager44, { ...body, worksStartDate: '2027-01-11' }, now);
      const view = await quotes.present(adapters(), await sendQuote(adapters(), manager44, january.id, now));
      expect(view.warnings).toContainEqual({
        path: 'cae',
        message: expect.stringMatching(/may start on 2027-01-11, after .* ends \(2026-12-31\)/),
      });
      const december = await quotes.createQuote(manager44, { ...body, worksStartDate: '2026-12-14' }, now);
      const ok = await quotes.present(adapters(), await sendQuote(adapters(), manager44, december.id, now));
      expect(ok.warnings?.filter((w) => w.path === 'cae') ?? []).toEqual([]);
    } finally {
      const current = await directory.getEtd(operator, '44');
      await directory.updateCaeLegal(operator, '44', 'MSG', { version: current.version, insurance: policy }, now);
    }
  });
});

describe('the CAE’s legal data (PATCH /etds/{code}/caes/{cae})', () => {
  it('is versioned, checked like the whole CAE, and kept in the territory’s history', async () => {
    const etd = await directory.getEtd(operator, '44');
    await expect(
      directory.updateCaeLegal(operator, '44', 'SAMAD', { version: etd.version - 1, mediator: etd.caes.samad.mediator }, now),
    ).rejects.toBeInstanceOf(PreconditionFailedError);
    const bad = await refusal(
      directory.updateCaeLegal(
        operator,
        '44',
        'SAMAD',
        { version: etd.version, sapDeclaration: { number: 'SAP123456789', declaredOn: '2025-09-15' } },
        now,
      ),
    );
    expect(bad.errors).toEqual([{ path: 'sapDeclaration.number', message: 'must be SAP followed by the SIREN of the CAE' }]);
    const mediator = { name: 'Médiateur de la consommation (fictif)', website: 'https://mediateur.example.org' };
    const next = await directory.updateCaeLegal(operator, '44', 'SAMAD', { version: etd.version, mediator }, now);
    expect(next.version).toBe(etd.version + 1);
    expect(next.caes.samad.mediator).toEqual(mediator);
    expect(next.caes.samad.sapDeclaration).toEqual(etd.caes.samad.sapDeclaration);
  });
});

describe('the client’s withdrawal through the signed link (C. conso L221-18)', () => {
  it('is recorded like an acceptance, once, within the 14 days; never after', async () => {
    const accepted = await acceptedQuote(world, now);
    expect(accepted.documentSource?.consumer).toMatchObject({ withdrawal: true, paymentWait: true });
    const view = await quotes.pageView(adapters(), accepted, 'tok', now);
    expect(view.consumer).toMatchObject({ withdrawalDeadline: '2026-12-09', canWithdrawNow: true, firstPaymentDate: '2026-12-03' });

    const late = await quotes
      .withdrawQuote(accepted, { signerName: 'Jean Moreau', ...evidence }, new Date('2026-12-10T09:00:00Z'))
      .catch((e) => e);
    expect(late).toMatchObject({ reason: 'period-over', deadline: '2026-12-09' });

    const withdrawn = await quotes.withdrawQuote(accepted, { signerName: 'Jean Moreau', ...evidence }, new Date('2026-12-09T20:00:00Z'));
    expect(withdrawn).toMatchObject({
      state: 'withdrawn',
      withdrawal: { signerName: 'Jean Moreau', ip: '203.0.113.7', userAgent: 'Mozilla/5.0' },
    });
    expect((await quotes.getQuote(manager44, accepted.id)).state).toBe('withdrawn');
    await expect(quotes.withdrawQuote(withdrawn, { signerName: 'Jean Moreau', ...evidence }, now)).rejects.toMatchObject({
      state: 'withdrawn',
    });
    // A withdrawn quote is not invoiced.
    await expect(
      invoices.createInvoice(
        manager44,
        CreateInvoiceBody().parse({
          etd: '44',
          cae: 'MSG',
          entrepreneurId: world.msgAuthor,
          clientId: world.msgClient,
          kind: 'deposit',
          quoteId: accepted.id,
        }),
        now,
      ),
    ).rejects.toThrow(/accepted/);
  });

  it('records the client’s express request to start within the period', async () => {
    const sent = await sendQuote(adapters(), manager44, (await quotes.createQuote(manager44, quoteBody(world), now)).id, now);
    const accepted = await quotes.acceptQuote(
      sent,
      { signerName: 'Jean Moreau', ...evidence, pdfSha256: sent.document!.sha256, vatCertified: true, earlyStartRequested: true },
      now,
    );
    expect(accepted.acceptance?.earlyStartRequested).toBe(true);
  });
});

/** A quote accepted by an individual at home (`now`), and the draft of its deposit invoice. */
async function depositDraft() {
  const quote = await acceptedQuote(world, now);
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
    now,
  );
  return { quote, draft };
}

describe('the deposit of an off-premises contract with an individual', () => {
  it('bills to the cent the deposit the quote announced, and takes no payment before the 8th day', async () => {
    const { quote, draft } = await depositDraft();
    expect(draft.totals.grossCents).toBe(quote.totals.depositCents);
    expect(draft).toMatchObject({ noPaymentBefore: '2026-12-03', operationNature: 'mixed', pole: 'renovation' });
    const issued = await issueInvoice(adapters(), manager44, draft.id, now);
    expect(issued.dueDate! >= '2026-12-03').toBe(true);
    expect(issued.documentSource).toMatchObject({ edition: 2, noPaymentBefore: '2026-12-03', operationNature: 'mixed' });
    expect(issued.documentSource?.issuerInsurance?.policyNumber).toBe('RCD-44-2026-0733');

    const token = await payToken(adapters(), issued.id);
    const early = await startCheckout(adapters(), issued, token, new Date('2026-12-02T22:00:00Z')).catch((e) => e);
    expect(early).toBeInstanceOf(PageError);
    expect((early as PageError).status).toBe(409);
    expect((await payPageView(adapters(), issued, token, undefined, new Date('2026-12-02T10:00:00Z'))).noPaymentBefore).toBe('2026-12-03');
    expect((await payPageView(adapters(), issued, token, undefined, new Date('2026-12-03T10:00:00Z'))).noPaymentBefore).toBeUndefined();
  });
});

describe('an edition-2 document left pending', () => {
  it('is completed with the very bytes committed: the deposit invoice with its insurance, nature and payment wait', async () => {
    const { draft } = await depositDraft();
    const real = adapters();
    useAdapters({ ...real, documents: { ...real.documents, put: () => Promise.reject(new Error('injected S3 failure')) } });
    try {
      await expect(issueInvoice(adapters(), manager44, draft.id, now)).rejects.toThrow('injected');
    } finally {
      useAdapters(real);
    }
    const pending = await invoices.getInvoice(manager44, draft.id);
    expect(pending).toMatchObject({ state: 'issued', documentPending: true });
    const issued = await issueInvoice(adapters(), manager44, draft.id, now);
    expect(issued.documentPending).toBeUndefined();
    expect(issued.documentSource).toMatchObject({ edition: 2, noPaymentBefore: '2026-12-03', operationNature: 'mixed' });
    expect(issued.document!.sha256).toBe(pending.document!.sha256);
    const stored = await adapters().documents.get(issued.documentKey!);
    expect(createHash('sha256').update(stored).digest('hex')).toBe(pending.document!.sha256);
  });
});

describe('SAP invoices (C. trav. D7233-1)', () => {
  it('are issued with the CAE’s SAP declaration, the worker, the hours, the hourly price TTC and the nature', async () => {
    const draft = await invoices.createInvoice(manager44, standardBody(world, 'SAMAD'), now);
    const issued = await issueInvoice(adapters(), manager44, draft.id, now);
    expect(issued.documentSource?.sap).toMatchObject({
      declarationNumber: 'SAP901122333',
      declaredOn: '2025-09-15',
      worker: 'Martine Leroux',
      // Assistance and accompaniment of elderly people: the CAE's autorisation printed (D7233-1).
      authorisation: {
        kind: 'autorisation',
        number: 'SAAD-44-2026-0117',
        grantedOn: '2026-01-05',
        validUntil: '2041-01-04',
        issuer: 'le président du conseil départemental de la Loire-Atlantique',
      },
      lines: [
        {
          nature: 'Assistance aux personnes âgées ou handicapées (hors actes de soins) — Aide à domicile',
          hours: 12.5,
          hourlyPriceTtcCents: 2_982,
        },
        expect.objectContaining({ hours: 3 }),
      ],
    });
  });

  it('with services to elderly or dependent people: refused without the CAE’s agrément or autorisation valid on the day, and at 5.5 % when drafted', async () => {
    const etd = await directory.getEtd(operator, '44');
    const current = etd.caes.samad.sapAuthorisation!;
    // A draft at 20 % made while the autorisation is valid…
    const draft = await invoices.createInvoice(manager44, standardBody(world, 'SAMAD'), now);
    const assistance = { ...standardBody(world, 'SAMAD').lines![0]!, vatRate: '5.5' as const };
    // …then the CAE's autorisation recorded as granted only from next year.
    const later = await directory.updateCaeLegal(
      operator,
      '44',
      'SAMAD',
      { version: etd.version, sapAuthorisation: { ...current, grantedOn: '2027-01-04' } },
      now,
    );
    try {
      const error = await refusal(issueInvoice(adapters(), manager44, draft.id, now));
      expect(error).toBeInstanceOf(ValidationError);
      expect(error.errors).toEqual([{ path: 'cae', message: "the CAE's autorisation is granted from 2027-01-04" }]);
      expect((await invoices.getInvoice(manager44, draft.id)).state).toBe('draft'); // no number consumed
      // The 5.5 % of CGI 278-0 bis D is refused when drafting.
      const reduced = await refusal(
        invoices.createInvoice(manager44, standardBody(world, 'SAMAD', { dependentBeneficiary: true, lines: [assistance] }), now),
      );
      expect(reduced.errors).toEqual([{ path: 'lines.0.vatRate', message: expect.stringMatching(/agrément or autorisation/) }]);
      // Housework needs none.
      const housework = await invoices.createInvoice(
        manager44,
        standardBody(world, 'SAMAD', {
          lines: [
            {
              description: 'Ménage',
              kind: 'labour',
              quantity: 2,
              unit: 'h',
              unitPriceCents: 2_500,
              vatRate: '10',
              sapActivity: 'housework',
            },
          ],
        }),
        now,
      );
      const issued = await issueInvoice(adapters(), manager44, housework.id, now);
      expect(issued.documentSource?.sap?.declarationNumber).toBe('SAP901122333');
      expect(issued.documentSource?.sap?.authorisation).toBeUndefined();
    } finally {
      await directory.updateCaeLegal(operator, '44', 'SAMAD', { version: later.version, sapAuthorisation: current }, now);
    }
    // Valid again: the 5.5 % draft is made and issued, with the autorisation.
    const reduced = await invoices.createInvoice(
      manager44,
      standardBody(world, 'SAMAD', { dependentBeneficiary: true, lines: [assistance] }),
      now,
    );
    const issued = await issueInvoice(adapters(), manager44, reduced.id, now);
    expect(issued.documentSource?.sap?.authorisation).toEqual(current);
  });

  it('their credit note prints the autorisation when a credited line needs it', async () => {
    const body = standardBody(world, 'SAMAD');
    const draft = await invoices.createInvoice(
      manager44,
      {
        ...body,
        lines: [
          { description: 'Ménage', kind: 'labour', quantity: 2, unit: 'h', unitPriceCents: 2_500, vatRate: '10', sapActivity: 'housework' },
          ...body.lines!,
        ],
      },
      now,
    );
    await issueInvoice(adapters(), manager44, draft.id, now);
    const housework = await createCreditNote(
      adapters(),
      settlement,
      manager44,
      draft.id,
      { lines: [{ index: 0 }], reason: 'Ménage en trop' },
      now,
    );
    expect(housework.creditNote.documentSource?.sap?.authorisation).toBeUndefined();
    const assistance = await createCreditNote(
      adapters(),
      settlement,
      manager44,
      draft.id,
      { lines: [{ index: 1, quantity: 1 }], reason: 'Une heure en trop' },
      now,
    );
    expect(assistance.creditNote.documentSource?.sap?.authorisation?.number).toBe('SAAD-44-2026-0117');
  });

  it('are refused from a CAE without an SAP declaration, and without each line’s activity', async () => {
    const msg = await invoices.createInvoice(
      manager44,
      standardBody(world, 'MSG', {
        sapEligible: true,
        pole: 'home-services',
        lines: [
          { description: 'Ménage', kind: 'labour', quantity: 2, unit: 'h', unitPriceCents: 2_500, vatRate: '10', sapActivity: 'housework' },
        ],
      }),
      now,
    );
    const error = await refusal(issueInvoice(adapters(), manager44, msg.id, now));
    expect(error.errors).toEqual([{ path: 'sapEligible', message: expect.stringMatching(/no SAP declaration/) }]);
    const noActivity = await refusal(
      invoices.createInvoice(
        manager44,
        standardBody(world, 'SAMAD', {
          lines: [{ description: 'Ménage', kind: 'labour', quantity: 2, unit: 'h', unitPriceCents: 2_500, vatRate: '10' }],
        }),
        now,
      ),
    );
    expect(noActivity.errors.map((e) => e.path)).toEqual(['lines.0.sapActivity']);
  });
});
