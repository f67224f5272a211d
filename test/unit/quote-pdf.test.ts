/**
 * The quote PDF, read back as a client's software would: text extracted by poppler's `pdftotext`
 * (`-layout` for the page as it looks, `-raw` for content order, which keeps a wrapped description
 * next to its amounts), fonts by `pdffonts`, pages by `pdfinfo`. Needs Debian's poppler-utils.
 */
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { flat, usePdfReader, type Read } from '../support/pdf-text.ts';
import { coverageRuns, renderQuotePdf } from '../../functions/quotes/pdf.ts';
import type { QuoteDocument } from '../../functions/quotes/views.ts';
import { formatDate, formatEuros, formatQuantity, formatRate, unitLabels } from '../../functions/shared/french.ts';
import {
  editionTwoQuote,
  editionTwoTwentyPageQuote,
  isolationBocage,
  quoteFromLines,
  twentyPageQuote,
  twoPageQuote,
} from '../support/quote-fixtures.ts';

const read = usePdfReader('quote');
const render = async (quote: QuoteDocument) => read(await renderQuotePdf(quote));

const siret = (s: string) => s.replace(/^(\d{3})(\d{3})(\d{3})(\d{5})$/, '$1 $2 $3 $4');
const addressText = (a: { line1: string; line2?: string | undefined; postalCode: string; city: string }) =>
  [a.line1, a.line2, `${a.postalCode} ${a.city}`].filter(Boolean).map((s) => flat(s!));
const CERTIFICATION_CORE =
  'certifie, en qualité de preneur de la prestation, que les travaux réalisés concernent des locaux à usage d’habitation achevés depuis plus de deux ans et ' +
  'qu’ils n’ont pas eu pour effet, sur une période de deux ans au plus, de concourir à la production d’un immeuble neuf au sens du 2° du 2 du I de l’article 257 du CGI, ' +
  'ni d’entraîner une augmentation de la surface de plancher des locaux existants supérieure à 10 %';
const COLUMN_HEADER = 'Désignation Qté Unité PU HT TVA Total HT';

describe('renderQuotePdf: the 45-line renovation quote', () => {
  const quote = twoPageQuote();
  let read: Read;
  beforeAll(async () => {
    read = await render(quote);
  });

  it('is a PDF with DejaVu embedded (subset) and no standard font', () => {
    expect(Buffer.from(read.pdf.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
    expect(read.fonts).toMatch(/\+DejaVuSans\s+CID TrueType\s+Identity-H\s+yes\s+yes\s+yes/);
    expect(read.fonts).toMatch(/\+DejaVuSans-Bold\s+CID TrueType\s+Identity-H\s+yes\s+yes\s+yes/);
    expect(read.fonts).not.toMatch(/Helvetica|Times|Courier/);
  });

  it('draws no text over other text (footer, running header, frames)', () => {
    expect(read.overlaps()).toEqual([]);
  });

  it('numbers every page « Page n / N » with N the page count', () => {
    expect(quote.lines).toHaveLength(45);
    // 45 lines and every mandatory block, at 10 pt with room to breathe, take three A4 pages.
    expect(read.pageCount).toBe(3);
    expect(read.pages).toHaveLength(read.pageCount);
    read.pages.forEach((page, i) => expect(flat(page)).toContain(`Page ${i + 1} / ${read.pageCount}`));
    expect(read.layout).toContain('Page 1 / 3');
  });

  it('carries the number, the revision it replaces, the dates and the object', () => {
    for (const text of [
      `Devis n° ${quote.number}`,
      `Révision ${quote.revision}`,
      `annule et remplace le devis n° ${quote.supersedes!.number} révision ${quote.supersedes!.revision}`,
      `Date du devis : ${formatDate(quote.issueDate)}`,
      `Valable jusqu’au ${formatDate(quote.validUntil)} (30 jours)`,
      `Objet : ${quote.title}`,
    ]) {
      expect(read.layout).toContain(flat(text));
    }
    expect(formatDate(quote.validUntil)).toBe('25 décembre 2026');
  });

  it('identifies the CAE (name, form, capital, address, SIRET, RCS, VAT number) on every page', () => {
    const i = quote.issuer;
    const identity = [
      `${i.legalName} — ${i.legalForm} au capital de ${formatEuros(i.shareCapitalCents)}`,
      `${i.address.line1}, ${i.address.postalCode} ${i.address.city} — SIRET ${siret(i.siret)} — ${i.rcs}`,
      `TVA intracommunautaire ${i.vatNumber}`,
    ];
    for (const page of read.pages) for (const text of identity) expect(flat(page)).toContain(flat(text));
    expect(read.layout).toContain('SIRET 901 122 440 00018');
  });

  it('names the entrepreneur, the client and the place of work', () => {
    for (const text of [
      `Votre contact : ${quote.entrepreneur.name}`,
      quote.entrepreneur.phone!,
      quote.entrepreneur.email!,
      'CLIENT',
      quote.client.name,
      ...addressText(quote.client.address),
      'ADRESSE DES TRAVAUX',
      ...addressText(quote.siteAddress),
    ]) {
      expect(read.layout).toContain(flat(text));
    }
  });

  it('prints every line: description, quantity, unit, unit price HT, VAT rate, total HT; sections as sub-headings', () => {
    for (const line of quote.lines) {
      const row = `${line.description} ${formatQuantity(line.quantity)} ${unitLabels[line.unit]} ${formatEuros(line.unitPriceCents)} ${formatRate(line.vatRate)} ${formatEuros(line.totalCents)}`;
      expect(read.raw).toContain(flat(row));
    }
    for (const section of new Set(quote.lines.map((l) => l.section!))) expect(read.raw).toContain(flat(section));
    // Travel costs are an ordinary line.
    expect(read.raw).toContain(flat(`Déplacement Nantes – Pornichet (aller-retour) 12 u ${formatEuros(3800)} 10 % ${formatEuros(45600)}`));
  });

  it('repeats the column header on each page of the table', () => {
    expect(flat(read.pages[0]!)).toContain(COLUMN_HEADER);
    expect(flat(read.pages[1]!)).toContain(COLUMN_HEADER);
    expect(flat(read.pages[2]!)).not.toContain(COLUMN_HEADER);
  });

  it('gives the VAT per rate (base, VAT) and the totals HT, TVA, TTC, as in the API', () => {
    expect(quote.totals.vat.map((v) => v.rate)).toEqual(['20', '10', '5.5']);
    for (const v of quote.totals.vat) {
      expect(read.layout).toContain(flat(`${formatRate(v.rate)} ${formatEuros(v.baseCents)} ${formatEuros(v.vatCents)}`));
      expect(read.layout).toContain(flat(`TVA ${formatRate(v.rate)} ${formatEuros(v.vatCents)}`));
    }
    expect(read.layout).toContain(flat(`Total HT ${formatEuros(quote.totals.netCents)}`));
    expect(read.layout).toContain(flat(`Total TTC ${formatEuros(quote.totals.grossCents)}`));
    expect(formatEuros(quote.totals.grossCents)).toContain('\u202f'); // a thousands separator, printed with the embedded font
  });

  it('states the deposit, the balance, and that the quote is free', () => {
    expect(read.layout).toContain(flat(`Acompte à la commande : 30 % soit ${formatEuros(quote.totals.depositCents)} TTC`));
    expect(read.layout).toContain('Solde : à la fin des travaux, à réception de la facture');
    expect(read.layout).toContain('Devis gratuit');
  });

  it('gives the performer’s décennale insurance (insurer, policy, validity, geographic coverage) and its RGE qualification', () => {
    const { decennale: d, rge } = isolationBocage;
    for (const text of [
      `Entreprise : ${isolationBocage.legalName}, SIRET ${siret(isolationBocage.siret)}`,
      `Assurance décennale : ${d.insurer}, contrat n° ${d.policyNumber}, valable du ${formatDate(d.validFrom)} au ${formatDate(d.validUntil)} ; couverture géographique : ${d.coverage}`,
      `Qualification RGE : ${rge!.body}, certificat n° ${rge!.certificateNumber}, valable jusqu’au ${formatDate(rge!.validUntil)} ; domaines : ${rge!.domains.join(', ')}`,
    ]) {
      expect(read.layout).toContain(flat(text));
    }
  });

  it('carries the client’s VAT certification (5.5 % wording), the notes, « Devis reçu avant l’exécution des travaux » and a « Bon pour accord » block', () => {
    expect(quote.vatCertification).toBe('reduced-energy');
    expect(read.layout).toContain(
      flat(`Je soussigné(e) Jean Moreau ${CERTIFICATION_CORE} et qu’ils ont la nature de travaux de rénovation énergétique.`),
    );
    expect(read.layout).toContain(flat(quote.notes!));
    expect(read.layout).toContain('Devis reçu avant l’exécution des travaux.');
    expect(read.layout).toContain('Bon pour accord');
    expect(read.layout).toContain('« Bon pour accord »');
    for (const field of ['Date :', 'Nom :', 'Signature :']) expect(read.layout).toContain(field);
  });

  it('is deterministic: the same document gives the same bytes, dated by its issue date', async () => {
    const again = await renderQuotePdf(quote);
    expect(Buffer.from(again).equals(Buffer.from(read.pdf))).toBe(true);
    expect(read.info).toMatch(/^CreationDate:\s+Wed Nov 25 00:00:00 2026/m);
    expect(read.info).toMatch(/^Page size:\s+595\.28 x 841\.89 pts \(A4\)/m);
  });
});

describe('renderQuotePdf: variants', () => {
  it('a company client, first revision, paid quote, no deposit, no performer: SIRET, neutral notes, « Devis payant »', async () => {
    const quote = twoPageQuote({
      revision: 1,
      supersedes: undefined,
      client: {
        name: 'Résidence Les Glycines (SCI)',
        address: { line1: '2 boulevard de la Loire', postalCode: '44400', city: 'Rezé' },
        siret: '49012345200016',
      },
      depositPercent: 0,
      feeCents: 5000,
      performer: undefined,
      notes: undefined,
    });
    const read = await render(quote);
    expect(read.layout).toContain('SIRET 490 123 452 00016');
    expect(read.layout).toContain('Révision 1');
    expect(read.layout).not.toContain('annule et remplace');
    expect(read.layout).toContain(flat(`Devis payant : ${formatEuros(5000)} TTC`));
    expect(read.layout).not.toContain('Devis gratuit');
    expect(read.layout).not.toContain('Acompte');
    expect(read.layout).toContain('aucun acompte ; paiement à la fin des travaux, à réception de la facture');
    expect(read.layout).toContain('avec son attestation d’assurance décennale');
    expect(read.layout).toContain('la qualification RGE de l’entreprise (organisme, numéro)');
    expect(read.layout).not.toContain('REMARQUES');
    expect(read.layout).toContain(flat(`pour le compte de Résidence Les Glycines (SCI), ${CERTIFICATION_CORE}`));
  });

  it('a performer without RGE on energy works: a neutral RGE note', async () => {
    const read = await render(twoPageQuote({ performer: { ...isolationBocage, rge: undefined } }));
    expect(read.layout).toContain(flat(`Assurance décennale : ${isolationBocage.decennale.insurer}`));
    expect(read.layout).toContain('aucune qualification RGE n’est enregistrée pour cette entreprise');
  });

  it('10 % only: the certification without the energy addition, and no RGE mention', async () => {
    const lines = twoPageQuote().lines.filter((l) => l.vatRate === '10');
    const read = await render(quoteFromLines(lines));
    expect(read.layout).toContain(flat(`Je soussigné(e) Jean Moreau ${CERTIFICATION_CORE}.`));
    expect(read.layout).not.toContain('rénovation énergétique.');
    expect(read.layout).not.toContain('RGE');
    expect(read.layout).toContain(flat(`Total TTC ${formatEuros(quoteFromLines(lines).totals.grossCents)}`));
  });

  it('20 % only: no certification block', async () => {
    const lines = twoPageQuote().lines.filter((l) => l.vatRate === '20');
    const quote = quoteFromLines(lines);
    expect(quote.vatCertification).toBe('none');
    const read = await render(quote);
    expect(read.layout).not.toContain('Je soussigné(e)');
    expect(read.layout).not.toContain('ATTESTATION');
    expect(read.layout).toContain('Devis reçu avant l’exécution des travaux.');
    expect(read.pageCount).toBe(1);
    expect(read.layout).toContain('Page 1 / 1');
  });
});

describe('renderQuotePdf: a 20-page quote', () => {
  it('repeats the column header on every page that holds lines, and numbers the pages', async () => {
    const quote = twentyPageQuote();
    expect(quote.lines.length).toBeLessThanOrEqual(500);
    const read = await render(quote);
    expect(read.pageCount).toBe(20);
    expect(read.overlaps()).toEqual([]);
    const rowPattern = /\d,\d\d €\s+(?:20|10|5,5) %\s+[\d\s\u202f]+,\d\d €/;
    const pagesWithLines = read.pages.filter((page) => rowPattern.test(page));
    expect(pagesWithLines.length).toBeGreaterThanOrEqual(19);
    const headers = read.layout.split(COLUMN_HEADER).length - 1;
    expect(headers).toBe(pagesWithLines.length);
    for (const page of pagesWithLines) expect(flat(page)).toContain(COLUMN_HEADER);
    expect(read.layout).toMatch(/Logement \d — [^()]+ \(suite\)/); // a section cut by a page break says so on the next
    read.pages.forEach((page, i) => expect(flat(page)).toContain(`Page ${i + 1} / 20`));
    expect(
      read.pages
        .slice(1)
        .every((page) => flat(page).includes(`Devis n° ${quote.number} — révision ${quote.revision} — ${quote.client.name}`)),
    ).toBe(true);
    expect(read.layout).toContain(flat(`Total TTC ${formatEuros(quote.totals.grossCents)}`));
    for (const line of [quote.lines[0]!, quote.lines[150]!, quote.lines.at(-1)!])
      expect(read.raw).toContain(flat(`${line.description} ${formatQuantity(line.quantity)}`));
  });
});

describe('renderQuotePdf: a 20-page quote in edition 3', () => {
  it('goes on with a list longer than a page (the RGE coverage, run by run) on the next page, between items, never over the footer or the running header', async () => {
    const quote = editionTwoTwentyPageQuote({ edition: 3 });
    const runs = /Travaux à 5,5 %, lignes? (\d+)/g;
    const read = await render(quote);
    expect(read.overlaps()).toEqual([]);
    const title = 'ENTREPRISE QUI RÉALISERA LES TRAVAUX';
    const pagesOfTheList = read.pages.map((page, i) => ({ text: flat(page), n: i + 1 })).filter((p) => p.text.match(runs));
    expect(pagesOfTheList.length).toBeGreaterThanOrEqual(2);
    expect(pagesOfTheList[0]!.text).toContain(title);
    for (const page of pagesOfTheList.slice(1)) expect(page.text).toContain(`${title} (SUITE)`);
    // Each run once, in order: none lost at a page break, none printed twice.
    const firstLines = [...read.layout.matchAll(runs)].map((m) => Number(m[1]));
    expect(firstLines).toEqual(coverageRuns(quote.rgeCoverage!).map((run) => run.from + 1));
    read.pages.forEach((page, i) => expect(flat(page)).toContain(`Page ${i + 1} / ${read.pageCount}`));
  });

  it('draws no text over other text in the 45-line quote sent today', async () => {
    expect((await render(editionTwoQuote({ edition: 3 }))).overlaps()).toEqual([]);
  });

  it('edition 2, frozen, still prints that list as it did: over the footer and the next running header', async () => {
    const read = await render(editionTwoTwentyPageQuote());
    expect(read.overlaps().length).toBeGreaterThan(0);
  });
});

describe('PDF assets', () => {
  it('fails clearly when PDF_ASSETS_DIR does not hold the fonts', async () => {
    vi.resetModules();
    vi.stubEnv('PDF_ASSETS_DIR', path.join(os.tmpdir(), 'no-such-pdf-assets'));
    try {
      const fresh = await import('../../functions/quotes/pdf.ts');
      await expect(fresh.renderQuotePdf(twoPageQuote())).rejects.toThrow(
        /PDF assets .* could not be read from .*no-such-pdf-assets \(PDF_ASSETS_DIR\)/,
      );
    } finally {
      vi.unstubAllEnvs();
      vi.resetModules();
    }
  });
});
