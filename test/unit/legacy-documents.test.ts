/**
 * Nothing issued before is rewritten: a quote or invoice whose stored source has no `edition` (every
 * document issued before the mentions of issue 9) re-renders to the very bytes it had. The hashes
 * below were taken with the renderers of commit 81a92ec (before issue 9: `git archive 81a92ec`, the
 * same fixtures, the same fonts); the renderers of today must give them, so that a document left
 * pending is completed with the bytes committed and a copy asked again is the copy first sent.
 *
 * A change of pdfkit or of the embedded fonts changes them too: then render the fixtures again with
 * the code of 81a92ec and compare before updating a hash — never update one from today's code alone.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { renderInvoicePdf } from '../../functions/invoices/pdf.ts';
import type { InvoiceDocument } from '../../functions/invoices/views.ts';
import { renderQuotePdf } from '../../functions/quotes/pdf.ts';
import type { QuoteDocument } from '../../functions/quotes/views.ts';
import { creditNote, depositInvoice, editionTwoSapInvoice, finalInvoice, homeServicesInvoice } from '../support/invoice-fixtures.ts';
import {
  editionTwoQuote,
  isolationBocage,
  msgInsurance,
  quoteFromLines,
  twentyPageQuote,
  twoPageQuote,
} from '../support/quote-fixtures.ts';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

const base = twoPageQuote();
const quotes: [string, () => QuoteDocument, string][] = [
  ['the 45-line quote', () => twoPageQuote(), 'fdbf1b192a0db35d6a8621f2376c25eac8ece9145d9f48eaee9f1a7accf7b622'],
  ['the 20-page quote', () => twentyPageQuote(), '7d114837a6899c011c1907b1daaf9ebd0fb2af31b7df43db8b06b4e441bd8404'],
  [
    'a paid quote to a company, no deposit, no performer',
    () =>
      twoPageQuote({
        revision: 1,
        supersedes: undefined,
        client: { name: 'SCI', address: { line1: '2 bd', postalCode: '44400', city: 'Rezé' }, siret: '49012345200016' },
        depositPercent: 0,
        feeCents: 5000,
        performer: undefined,
        notes: undefined,
      }),
    '8b598d9a043ecc9639575c408900333be983f9c1f18c3f3b5752345a8432db04',
  ],
  [
    'a performer without RGE',
    () => twoPageQuote({ performer: { ...isolationBocage, rge: undefined } }),
    'ebec5d4702e5b934310d80e9a8dbd8bf01f2144e7be03b9f549136105ca5a9a1',
  ],
  [
    'works at 10 % only',
    () => quoteFromLines(base.lines.filter((l) => l.vatRate === '10')),
    '84c0ebe1aac988761538c62ba2e3969d9c057f12b9d2927ab630293a521341ff',
  ],
  [
    'works at 20 % only',
    () => quoteFromLines(base.lines.filter((l) => l.vatRate === '20')),
    '7815159a2e8ee67ddd6d26ecaf5842cb11bea13b2a3d98fc977bf563ada106ea',
  ],
];

const home = homeServicesInvoice();
const invoices: [string, () => InvoiceDocument, string][] = [
  ['a home-services invoice', () => homeServicesInvoice(), '88a07fd350e6f33594b514d96fa4a7e8f0826fb2cafe81109ec9d9428fbf4d32'],
  [
    'the same, paid in full',
    () => homeServicesInvoice({ amountPaidCents: home.totals.grossCents, amountDueCents: 0 }),
    '7c29cd537f70fc30ef6b62c3c0934e95381c0f32e776a54cc6c0792b22fdf1fc',
  ],
  [
    'a standard invoice to a business',
    () =>
      homeServicesInvoice({
        sapEligible: false,
        client: { name: 'M SARL', address: { line1: '4 r', postalCode: '44800', city: 'SH' }, siret: '52012345600013', isCompany: true },
        purchaseOrder: 'CMD-7781',
        payUrl: undefined,
      }),
    'febecf61f0be082f274fcbf9ae8402498adf2c073f9046e1935d5f90b8f784c6',
  ],
  ['a deposit invoice', () => depositInvoice(), '4009acf7129b1f9acca7691006522958243c64ceef1a87e90b768fef5fda100f'],
  ['a final invoice', () => finalInvoice(), '0be8975785419ad5420a75a035facbb62c582774b57e3ac031848304f2a309ad'],
  ['a credit note', () => creditNote(), 'edbb22fea393d78ca0977930f43cd83299846c287ec8859b12e4cf2fed99cc7f'],
  [
    'a long final invoice',
    () => finalInvoice({ lines: Array.from({ length: 4 }, () => finalInvoice().lines).flat() }),
    '7a8665819a551ee2c86b241845e6b509add86eec8dc81bb08c8f06179842b0fe',
  ],
];

describe('documents issued before edition 2 re-render byte for byte', () => {
  it.each(quotes)('quote: %s', async (_, quote, hash) => {
    expect(sha256(await renderQuotePdf(quote()))).toBe(hash);
  });

  it.each(invoices)('invoice: %s', async (_, invoice, hash) => {
    expect(sha256(await renderInvoicePdf(invoice()))).toBe(hash);
  });

  it('whatever else their source holds: the fields of edition 2 print nothing without it', async () => {
    const e2 = editionTwoQuote();
    const quote: QuoteDocument = {
      ...twoPageQuote(),
      issuerInsurance: e2.issuerInsurance,
      consumer: e2.consumer,
      works: e2.works,
      rgeCoverage: e2.rgeCoverage,
      operationNature: e2.operationNature,
      reducedRates: e2.reducedRates,
    };
    expect(sha256(await renderQuotePdf(quote))).toBe(quotes[0]![2]);
    const sapInvoice = editionTwoSapInvoice();
    const invoice: InvoiceDocument = {
      ...homeServicesInvoice(),
      issuerInsurance: msgInsurance,
      sap: sapInvoice.sap,
      certificationRates: ['10', '5.5'],
      noPaymentBefore: '2026-12-04',
      depositPaidOn: '2026-12-05',
    };
    expect(sha256(await renderInvoicePdf(invoice))).toBe(invoices[0]![2]);
    const deposit = depositInvoice();
    const final = finalInvoice();
    expect(sha256(await renderInvoicePdf({ ...deposit, depositPaidOn: '2026-12-05', noPaymentBefore: '2026-12-04' }))).toBe(
      invoices[3]![2],
    );
    expect(
      sha256(
        await renderInvoicePdf({
          ...final,
          worksTotals: final.totals,
          deductedDeposits: final.deductedDeposits?.map((d) => ({ ...d, totals: deposit.totals })),
        }),
      ),
    ).toBe(invoices[4]![2]);
  });
});
