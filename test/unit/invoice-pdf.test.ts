/**
 * The invoice and credit-note PDF, read back as a client's software would: text extracted by
 * poppler's `pdftotext` (`-layout` for the page as it looks, `-raw` for content order, which keeps
 * a wrapped description next to its amounts), fonts by `pdffonts`, pages by `pdfinfo`. Every
 * mandatory mention (CGI ann. II art. 242 nonies A, C. com. L441-9 and L441-10) and every amount,
 * formatted by functions/shared/french.ts.
 * Needs Debian's poppler-utils.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { flat, usePdfReader, type Read } from '../support/pdf-text.ts';
import { renderInvoicePdf } from '../../functions/invoices/pdf.ts';
import type { InvoiceDocument } from '../../functions/invoices/views.ts';
import { formatDate, formatEuros, formatQuantity, formatRate, unitLabels } from '../../functions/shared/french.ts';
import {
  acceptedQuote,
  creditNote,
  depositInvoice,
  FINAL_PAID_CENTS,
  finalInvoice,
  homeServicesInvoice,
  QUOTE_ACCEPTED_ON,
} from '../support/invoice-fixtures.ts';

const read = usePdfReader('invoice');
const render = async (invoice: InvoiceDocument) => read(await renderInvoicePdf(invoice));

const siret = (s: string) => s.replace(/^(\d{3})(\d{3})(\d{3})(\d{5})$/, '$1 $2 $3 $4');
const siren = (s: string) => s.slice(0, 9).replace(/^(\d{3})(\d{3})(\d{3})$/, '$1 $2 $3');
const addressText = (a: { line1: string; line2?: string | undefined; postalCode: string; city: string }) =>
  [a.line1, a.line2, `${a.postalCode} ${a.city}`].filter(Boolean).map((s) => flat(s!));
const COLUMN_HEADER = 'Désignation Qté Unité PU HT TVA Total HT';
const NO_DISCOUNT = 'Pas d’escompte pour paiement anticipé.';
const INDEMNITY = 'indemnité forfaitaire pour frais de recouvrement de 40 €';
const SAP_MENTION =
  'Prestation de services à la personne ouvrant droit au crédit d’impôt prévu à l’article 199 sexdecies du CGI, sous réserve des conditions en vigueur.';
const SAP_CREDIT_NOTE =
  'Cet avoir diminue d’autant le montant des prestations de services à la personne ouvrant droit au crédit d’impôt prévu à l’article 199 sexdecies du CGI.';

/** What every document carries, whatever its kind. */
function expectCommonMentions(doc: InvoiceDocument, read: Read): void {
  // Fonts: DejaVu embedded as subsets, no standard font.
  expect(Buffer.from(read.pdf.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
  expect(read.fonts).toMatch(/\+DejaVuSans\s+CID TrueType\s+Identity-H\s+yes\s+yes\s+yes/);
  expect(read.fonts).toMatch(/\+DejaVuSans-Bold\s+CID TrueType\s+Identity-H\s+yes\s+yes\s+yes/);
  expect(read.fonts).not.toMatch(/Helvetica|Times|Courier/);
  expect(read.info).toMatch(/^Page size:\s+595\.28 x 841\.89 pts \(A4\)/m);

  // « Page n / N » and the issuer's legal identity on every page.
  expect(read.pages).toHaveLength(read.pageCount);
  const i = doc.issuer;
  const identity = [
    `${i.legalName} — ${i.legalForm} au capital de ${formatEuros(i.shareCapitalCents)}`,
    `${i.address.line1}, ${i.address.postalCode} ${i.address.city} — SIRET ${siret(i.siret)} — ${i.rcs}`,
    `TVA intracommunautaire ${i.vatNumber}`,
  ];
  read.pages.forEach((page, n) => {
    expect(flat(page)).toContain(`Page ${n + 1} / ${read.pageCount}`);
    for (const text of identity) expect(flat(page)).toContain(flat(text));
  });

  // Dates, object, contact, client, nature of the operation.
  for (const text of [
    `Date d’émission : ${formatDate(doc.issueDate)}`,
    `Date de la prestation : ${formatDate(doc.serviceDate)}`,
    `Objet : ${doc.title}`,
    `Votre contact : ${doc.entrepreneur.name}`,
    'CLIENT',
    doc.client.name,
    ...addressText(doc.client.address),
    'NATURE DE L’OPÉRATION',
  ]) {
    expect(read.layout).toContain(flat(text));
  }
  expect(read.raw).toContain(
    { services: 'Prestations de services', goods: 'Livraison de biens', mixed: 'Opération mixte' }[doc.operationNature],
  );

  // Every line: description, quantity, unit, unit price HT, rate, total HT; the header on page 1.
  expect(flat(read.pages[0]!)).toContain(COLUMN_HEADER);
  for (const line of doc.lines) {
    expect(read.raw).toContain(
      flat(
        `${line.description} ${formatQuantity(line.quantity)} ${unitLabels[line.unit]} ${formatEuros(line.unitPriceCents)} ${formatRate(line.vatRate)} ${formatEuros(line.totalCents)}`,
      ),
    );
  }

  // VAT per rate (base, VAT) and the VAT rows of the totals box.
  for (const v of doc.totals.vat) {
    expect(read.layout).toContain(flat(`${formatRate(v.rate)} ${formatEuros(v.baseCents)} ${formatEuros(v.vatCents)}`));
    expect(read.layout).toContain(flat(`TVA ${formatRate(v.rate)} ${formatEuros(v.vatCents)}`));
  }

  // The SIREN (2026–27 mention) and SIRET of a company client; nothing of the kind for a person.
  if (doc.client.isCompany) {
    expect(read.layout).toContain(`SIREN ${siren(doc.client.siret!)}`);
    expect(read.layout).toContain(`SIRET ${siret(doc.client.siret!)}`);
  } else {
    expect(read.layout).not.toContain('SIREN');
    expect(read.layout.match(/SIRET/g)).toHaveLength(read.pageCount); // the issuer's, in each footer
  }
}

/** An invoice's payment mentions: due date, no discount, penalties, the 40 € indemnity for companies, paid and due. */
function expectPaymentMentions(doc: InvoiceDocument, read: Read): void {
  expect(read.layout).toContain(flat(`Échéance : ${formatDate(doc.dueDate!)}`));
  expect(read.layout).toContain(flat(NO_DISCOUNT));
  expect(read.layout).toContain(
    flat(`des pénalités sont dues au taux annuel de ${String(doc.latePenaltyRatePercent).replace('.', ',')} %`),
  );
  if (doc.client.isCompany) {
    expect(read.layout).toContain(flat(INDEMNITY));
    expect(read.layout).toContain('(article D441-5 du Code de commerce)');
  } else {
    expect(read.layout).not.toContain('indemnité forfaitaire');
    expect(read.layout).not.toContain('40 €');
  }
  expect(read.layout).toContain(flat(`Déjà réglé ${formatEuros(doc.amountPaidCents)}`));
  expect(read.layout).toContain(flat(`Reste à payer ${formatEuros(doc.amountDueCents)}`));
  if (doc.amountDueCents > 0) {
    expect(read.layout).toContain(flat(`À régler au plus tard le`));
    expect(read.layout).toContain(`Payer en ligne : ${doc.payUrl}`);
  }
  if (doc.purchaseOrder) expect(read.layout).toContain(`Bon de commande n° ${doc.purchaseOrder}`);
}

describe('renderInvoicePdf: a home-services invoice (CAE SAMAD, private client, SAP-eligible)', () => {
  const invoice = homeServicesInvoice();
  let read: Read;
  beforeAll(async () => {
    read = await render(invoice);
  });

  it('is titled « Facture n° … », on one page, with every mention common to all documents', () => {
    expect(read.pageCount).toBe(1);
    expect(read.layout).toContain('Page 1 / 1');
    expect(read.layout).toContain(`Facture n° ${invoice.number}`);
    expect(read.layout).not.toMatch(/Facture d’acompte|Facture de solde|Avoir/);
    expect(read.info).toMatch(new RegExp(`^Title:\\s+Facture n° ${invoice.number}$`, 'm'));
    expectCommonMentions(invoice, read);
  });

  it('gives hours × rate at 10 % and 5.5 %, totals HT, TVA and TTC as computed by the pricing code', () => {
    expect(invoice.lines.map((l) => [l.quantity, l.unit, l.vatRate])).toEqual([
      [16, 'h', '10'],
      [6.5, 'h', '5.5'],
      [8, 'h', '5.5'],
      [12, 'u', '10'],
    ]);
    expect(invoice.totals).toMatchObject({ netCents: 90_250, grossCents: 97_383 });
    expect(read.layout).toContain(flat(`Total HT ${formatEuros(invoice.totals.netCents)}`));
    expect(read.layout).toContain(flat(`Total TTC ${formatEuros(invoice.totals.grossCents)}`));
  });

  it('states the due date, no discount, the penalty rate, no 40 € indemnity (private client), nothing paid, all due, the pay link', () => {
    expectPaymentMentions(invoice, read);
    expect(read.layout).toContain(flat(`Reste à payer ${formatEuros(97_383)}`));
    expect(read.layout).toContain(flat(`Reste à payer ${formatEuros(97_383)} ${formatDate('2026-12-30')}`)); // « À régler au plus tard le » above the date
  });

  it('carries the SAP tax-credit mention, without any ceiling amount', () => {
    expect(read.layout).toContain(flat(SAP_MENTION));
    expect(read.layout).not.toMatch(/plafond|12 000 €|15 000 €|50 %/);
  });

  it('is deterministic: the same document gives the same bytes, dated by its issue date', async () => {
    const again = await renderInvoicePdf(invoice);
    expect(Buffer.from(again).equals(Buffer.from(read.pdf))).toBe(true);
    expect(read.info).toMatch(/^CreationDate:\s+Mon Nov 30 00:00:00 2026/m);
  });
});

describe('renderInvoicePdf: a deposit invoice on an accepted renovation quote (CAE MSG, company client)', () => {
  const invoice = depositInvoice();
  let read: Read;
  beforeAll(async () => {
    read = await render(invoice);
  });

  it('is titled « Facture d’acompte n° … » and cites the accepted quote (number, revision, acceptance date, its TTC)', () => {
    expect(read.layout).toContain(`Facture d’acompte n° ${invoice.number}`);
    expect(read.layout).toContain(
      flat(
        `Acompte sur le devis n° ${acceptedQuote.number} (révision ${acceptedQuote.revision}) accepté le ${formatDate(QUOTE_ACCEPTED_ON)}, d’un montant total de ${formatEuros(acceptedQuote.totals.grossCents)} TTC.`,
      ),
    );
    expect(read.pageCount).toBe(1);
    expectCommonMentions(invoice, read);
  });

  it('deposits 30 % of each VAT base of the quote, at 20, 10 and 5.5 %', () => {
    expect(invoice.totals.vat.map((v) => v.rate)).toEqual(['20', '10', '5.5']);
    expect(Math.abs(invoice.totals.grossCents - acceptedQuote.totals.depositCents)).toBeLessThanOrEqual(2);
    expect(read.layout).toContain(flat(`Total HT ${formatEuros(invoice.totals.netCents)}`));
    expect(read.layout).toContain(flat(`Total TTC ${formatEuros(invoice.totals.grossCents)}`));
  });

  it('gives the client’s SIREN, the place of the works (differs from the client’s address), the purchase order and the 40 € indemnity', () => {
    expect(read.layout).toContain('SIREN 490 123 452');
    expect(read.layout).toContain('Lieu d’exécution :');
    for (const text of addressText(invoice.deliveryAddress!)) expect(read.layout).toContain(flat(text));
    expectPaymentMentions(invoice, read);
    expect(read.layout).toContain('(article L441-10 du Code de commerce)');
  });

  it('carries no SAP mention (not eligible)', () => {
    expect(read.layout).not.toContain('crédit d’impôt');
    expect(read.layout).not.toContain('199 sexdecies');
  });
});

describe('renderInvoicePdf: the final invoice of the quote (45 lines, deposit deducted, partly paid)', () => {
  const invoice = finalInvoice();
  const deposit = depositInvoice();
  let read: Read;
  beforeAll(async () => {
    read = await render(invoice);
  });

  it('is titled « Facture de solde n° … », three pages numbered « Page n / 3 », the column header repeated', () => {
    expect(read.layout).toContain(`Facture de solde n° ${invoice.number}`);
    expect(read.pageCount).toBe(3);
    expect(invoice.lines).toHaveLength(45);
    expect(flat(read.pages[1]!)).toContain(COLUMN_HEADER);
    expect(read.pages.slice(1).every((page) => flat(page).includes(`Facture de solde n° ${invoice.number} — ${invoice.client.name}`))).toBe(
      true,
    );
    expectCommonMentions(invoice, read);
  });

  it('cites the quote and deducts the deposit already invoiced: quote TTC − deposit = balance', () => {
    expect(invoice.totals.grossCents).toBe(acceptedQuote.totals.grossCents - deposit.totals.grossCents);
    for (const v of invoice.totals.vat) {
      const q = acceptedQuote.totals.vat.find((x) => x.rate === v.rate)!;
      const d = deposit.totals.vat.find((x) => x.rate === v.rate)!;
      expect([v.baseCents, v.vatCents]).toEqual([q.baseCents - d.baseCents, q.vatCents - d.vatCents]);
    }
    expect(read.layout).toContain(
      flat(`Solde du devis n° ${acceptedQuote.number} (révision ${acceptedQuote.revision}) accepté le ${formatDate(QUOTE_ACCEPTED_ON)}`),
    );
    expect(read.layout).toContain('DÉCOMPTE');
    expect(read.layout).toContain(
      flat(
        `Montant total TTC du devis n° ${acceptedQuote.number} (révision ${acceptedQuote.revision}) ${formatEuros(acceptedQuote.totals.grossCents)}`,
      ),
    );
    expect(read.layout).toContain(
      flat(
        `Acompte facturé : facture n° ${deposit.number} du ${formatDate(deposit.issueDate)} − ${formatEuros(deposit.totals.grossCents)}`,
      ),
    );
    expect(read.layout).toContain(flat(`Solde TTC facturé ${formatEuros(invoice.totals.grossCents)}`));
    expect(read.layout).toContain('DÉTAIL DE LA TVA DU SOLDE');
    expect(read.layout).toContain(flat(`Solde HT ${formatEuros(invoice.totals.netCents)}`));
    expect(read.layout).toContain(flat(`Solde TTC ${formatEuros(invoice.totals.grossCents)}`));
  });

  it('shows what is paid and what remains, mixed operation, delivery address, SIREN, 40 € indemnity', () => {
    expect(invoice.amountPaidCents).toBe(FINAL_PAID_CENTS);
    expectPaymentMentions(invoice, read);
    expect(read.layout).toContain(flat(`Déjà réglé ${formatEuros(500_000)}`));
    expect(read.raw).toContain('Opération mixte (livraison de biens et prestations de services)');
    expect(read.layout).toContain('Adresse de livraison :');
    expect(read.layout).toContain(flat(invoice.notes!));
    expect(read.layout).not.toContain('199 sexdecies');
  });
});

describe('renderInvoicePdf: a credit note on the home-services invoice', () => {
  const note = creditNote();
  const invoice = homeServicesInvoice();
  let read: Read;
  beforeAll(async () => {
    read = await render(note);
  });

  it('says « Avoir n° … » and cites the invoice it corrects (number and date)', () => {
    expect(read.layout).toContain(`Avoir n° ${note.number}`);
    expect(read.layout).toContain(flat(`Avoir sur la facture n° ${invoice.number} du ${formatDate(invoice.issueDate)}.`));
    expect(read.layout).not.toMatch(/Facture n°|Facture d’acompte|Facture de solde/);
    expect(read.info).toMatch(new RegExp(`^Title:\\s+Avoir n° ${note.number}$`, 'm'));
    expectCommonMentions(note, read);
  });

  it('gives its totals and what remains due on the invoice after it; no due date, no payment terms, no pay link', () => {
    expect(note.totals).toMatchObject({ netCents: 5_500, grossCents: 6_050 });
    expect(read.layout).toContain(flat(`Total HT ${formatEuros(5_500)}`));
    expect(read.layout).toContain(flat(`Total TTC ${formatEuros(6_050)}`));
    expect(read.layout).toContain(flat(`Déjà réglé sur la facture ${formatEuros(0)}`));
    expect(read.layout).toContain(flat(`Reste à payer après cet avoir ${formatEuros(invoice.totals.grossCents - 6_050)}`));
    for (const absent of ['Échéance', 'escompte', 'pénalités', 'indemnité forfaitaire', 'Payer en ligne'])
      expect(read.layout).not.toContain(absent);
  });

  it('says how it affects the SAP tax credit, and gives its reason', () => {
    expect(read.layout).toContain(flat(SAP_CREDIT_NOTE));
    expect(read.layout).not.toContain(flat(SAP_MENTION));
    expect(read.layout).toContain('MOTIF DE L’AVOIR');
    expect(read.layout).toContain(flat(note.notes!));
  });
});

describe('renderInvoicePdf: variants', () => {
  it('an invoice paid in full says so, and offers no pay link', async () => {
    const base = homeServicesInvoice();
    const paid = homeServicesInvoice({ amountPaidCents: base.totals.grossCents, amountDueCents: 0 });
    const read = await render(paid);
    expect(read.layout).toContain(flat(`Déjà réglé ${formatEuros(base.totals.grossCents)}`));
    expect(read.layout).toContain(flat(`Reste à payer ${formatEuros(0)}`));
    expect(read.layout).toContain('Facture réglée');
    expect(read.layout).not.toContain('Payer en ligne');
    expect(read.layout).not.toContain('À régler au plus tard');
  });

  it('a standard invoice not eligible to the tax credit carries no SAP mention; a business client of it gets the 40 € indemnity and its SIREN', async () => {
    const read = await render(
      homeServicesInvoice({
        sapEligible: false,
        client: {
          name: 'Menuiserie Atlantique SARL',
          address: { line1: '4 rue des Artisans', postalCode: '44800', city: 'Saint-Herblain' },
          siret: '52012345600013',
          isCompany: true,
        },
        purchaseOrder: 'CMD-7781',
        payUrl: undefined,
      }),
    );
    expect(read.layout).not.toContain('199 sexdecies');
    expect(read.layout).not.toContain('CRÉDIT D’IMPÔT');
    expect(read.layout).toContain('SIREN 520 123 456');
    expect(read.layout).toContain(flat(INDEMNITY));
    expect(read.layout).toContain('Bon de commande n° CMD-7781');
    expect(read.layout).not.toContain('Payer en ligne');
  });

  it('a long invoice keeps the header on each page and numbers them', async () => {
    const base = finalInvoice();
    const lines = Array.from({ length: 4 }, () => base.lines).flat();
    const read = await render(finalInvoice({ lines }));
    expect(read.pageCount).toBeGreaterThanOrEqual(6);
    read.pages.forEach((page, i) => expect(flat(page)).toContain(`Page ${i + 1} / ${read.pageCount}`));
    const headers = read.layout.split(COLUMN_HEADER).length - 1;
    expect(headers).toBeGreaterThanOrEqual(read.pageCount - 1);
    expect(read.layout).toContain(flat(`Reste à payer ${formatEuros(base.amountDueCents)}`));
  });
});
