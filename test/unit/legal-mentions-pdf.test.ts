/**
 * The mentions of issue 9 on the documents issued from December 2026 (edition 2), read back with
 * poppler's pdftotext as a consumer court or a tax auditor would: the issuer's insurance, the
 * consumer's rights and withdrawal form, the start of the works, the RGE coverage per line, the
 * certification per rate used, the SAP mentions, the deposit's dates, the final statement rate by
 * rate, typography. Documents without `edition` keep their rendering (quote-pdf, invoice-pdf tests).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { renderInvoicePdf } from '../../functions/invoices/pdf.ts';
import { renderQuotePdf } from '../../functions/quotes/pdf.ts';
import { formatEuros } from '../../functions/shared/french.ts';
import { insuranceProblem } from '../../functions/shared/legal-rules.ts';
import { SAP_ROUNDING_NOTE } from '../../functions/invoices/domain/vat-rules.ts';
import {
  EARLY_START_REQUEST,
  mediatorText,
  PAYMENT_WAIT_TEXT,
  paymentFromText,
  sapAuthorisationText,
  withdrawalConditions,
} from '../../functions/shared/legal-texts.ts';
import { flat, usePdfReader, type Read } from '../support/pdf-text.ts';
import {
  editionTwoCreditNote,
  editionTwoDepositInvoice,
  editionTwoFinalInvoice,
  editionTwoQuoteAccepted,
  editionTwoSapInvoice,
  editionTwoWorksInvoice,
  samadAuthorisation,
} from '../support/invoice-fixtures.ts';
import { editionTwoQuote, msgInsurance, msgLoireAtlantique, twoPageQuote } from '../support/quote-fixtures.ts';
import { homeServicesInvoice } from '../support/invoice-fixtures.ts';
import { quoteEmail } from '../../functions/quotes/email.ts';

const reader = usePdfReader('mentions');
/** pdftotext gives the non-breaking hyphen of document numbers as U+2011: a reader sees a hyphen. */
const text = (s: string) => flat(s).replaceAll('\u2011', '-');
const read = async (pdf: Promise<Uint8Array>) => {
  const r = reader(await pdf);
  return { ...r, layout: text(r.layout), raw: text(r.raw) } as Read;
};

describe('the quote to an individual, at home (edition 2)', () => {
  const quote = editionTwoQuote();
  let r: Read;
  beforeAll(async () => {
    r = await read(renderQuotePdf(quote));
  });

  it('names the CAE’s professional insurance: insurer and address, policy, validity, geographic coverage', () => {
    for (const line of [
      'ASSURANCE PROFESSIONNELLE DE LA COOPÉRATIVE (ARTICLE 22-2 DE LA LOI N° 96-603)',
      'Assureur : Assurances Coopératives du Bâtiment, 21 boulevard Gabriel-Guist’hau, 44000 Nantes',
      'Contrat : n° RCD-44-2026-0733, valable du 1er janvier 2026 au 31 décembre 2026',
      'Couverture géographique : France métropolitaine',
    ])
      expect(r.layout).toContain(line);
    // The partner stays as the company that performs the works, with its own décennale.
    expect(r.layout).toContain('ENTREPRISE QUI RÉALISERA LES TRAVAUX Entreprise : Isolation Bocage Rénovation');
  });

  it('states the nature of the operation, the start and duration of the works, the deposit and when it may be paid', () => {
    for (const line of [
      'Nature de l’opération : Opération mixte (livraison de biens et prestations de services)',
      'Début des travaux : le 11 janvier 2027',
      'Durée estimée des travaux : 15 jours ouvrés',
      `Acompte à la commande : 30 % soit ${text(formatEuros(quote.totals.depositCents))} TTC, payable au plus tôt 8 jours après votre accord`,
    ])
      expect(r.layout).toContain(line);
  });

  it('says which 5.5 % lines the partner’s RGE qualification covers, by its French labels', () => {
    expect(r.layout).toContain(
      'Qualification RGE : Qualibat, certificat n° E-E123456, valable jusqu’au 30 juin 2027 ; domaines : Isolation par l’intérieur des murs, rampants ou plafonds ; Isolation des combles perdus ; Fenêtres, volets et portes extérieures',
    );
    expect(r.layout).toContain(
      'Travaux à 5,5 %, lignes 5 à 11 (Isolation des combles perdus) : couverts par la qualification RGE de l’entreprise',
    );
    expect(r.layout).toContain(
      'Travaux à 5,5 %, lignes 26 à 29 (Ventilation mécanique) : non couverts par la qualification RGE de l’entreprise : ils n’ouvrent pas droit aux aides à la rénovation énergétique (MaPrimeRénov’, CEE)',
    );
    expect(r.layout).not.toMatch(/attic-insulation|interior-insulation/);
  });

  it('gives the withdrawal right and its conditions, the 7 days without payment, the mediator, and the withdrawal form', () => {
    // Content order (-raw): a word hyphenated at a line's end is read whole.
    expect(r.raw).toContain(text(withdrawalConditions(msgLoireAtlantique, 'sophie.garnier@example.org')));
    // The period's end as R221-3's model says it (14 days after the day of the contract: the day itself does not count).
    expect(r.raw).toContain('Il expire 14 jours après le jour de la conclusion du contrat, c’est-à-dire de votre accord sur ce devis');
    expect(r.raw).toContain(
      'par courrier à 12 rue de la Coopération, 44000 Nantes, par e-mail à sophie.garnier@example.org, ou au moyen du formulaire',
    );
    expect(r.raw).toContain(text(PAYMENT_WAIT_TEXT));
    expect(r.raw).toContain(text(mediatorText(quote.consumer!.mediator!)));
    expect(r.raw).toContain('FORMULAIRE DE RÉTRACTATION');
    for (const line of [
      '(Veuillez compléter et renvoyer le présent formulaire uniquement si vous souhaitez vous rétracter du contrat.)',
      // The annex to R221-1: the professional's name, address and, when there is one, e-mail address.
      'À l’attention de CAE MSG Loire-Atlantique, 12 rue de la Coopération, 44000 Nantes, sophie.garnier@example.org :',
      'Je vous notifie par la présente ma rétractation du contrat portant sur la prestation de services ci-dessous : devis n° D-MSG44-2026-000123 du 25 novembre 2026 — Rénovation énergétique et salle d’eau de plain-pied.',
      'Nom du consommateur : Jean Moreau',
      'Adresse du consommateur : 21 rue du Port, 44200 Nantes',
    ])
      expect(r.raw).toContain(line);
    expect(r.raw).toContain(text(EARLY_START_REQUEST));
  });

  it('certifies the rates used: energy renovation for the 5.5 % works only', () => {
    expect(r.layout).toContain('ATTESTATION DU CLIENT — TVA À TAUX RÉDUIT (10 % ET 5,5 %)');
    expect(r.layout).toContain(
      'ni d’entraîner une augmentation de la surface de plancher des locaux existants supérieure à 10 %. Pour les travaux facturés au taux de 5,5 %, je certifie en outre qu’ils ont la nature de travaux de rénovation énergétique.',
    );
    const tenOnly = editionTwoQuote({ reducedRates: ['10'] });
    return read(renderQuotePdf(tenOnly)).then((ten) => {
      expect(ten.layout).toContain('ATTESTATION DU CLIENT — TVA À TAUX RÉDUIT (10 %)');
      expect(ten.layout).not.toContain('rénovation énergétique.');
    });
  });

  it('never splits a document number across lines, nor « n° » from it', () => {
    const lines = r.pages.flatMap((p) => p.split('\n')).map((l) => l.replaceAll('\u2011', '-'));
    for (const l of lines) {
      if (/D-MSG44/.test(l)) expect(l).toMatch(/D-MSG44-2026-000123/);
      expect(l.trimEnd()).not.toMatch(/n°$/);
    }
  });

  it('prints nothing of the consumer’s rights to a company', async () => {
    const company = await read(
      renderQuotePdf(
        editionTwoQuote({ consumer: undefined, works: undefined, client: { ...editionTwoQuote().client, siret: '49012345200016' } }),
      ),
    );
    expect(company.layout).not.toContain('FORMULAIRE DE RÉTRACTATION');
    expect(company.layout).not.toContain('Droit de rétractation'.toUpperCase());
    expect(company.layout).toContain('ASSURANCE PROFESSIONNELLE DE LA COOPÉRATIVE');
  });
});

describe('invoices and credit notes (edition 2)', () => {
  it('an SAP invoice: the declaration, the worker, and for each service its nature, hours, hourly price TTC and amount TTC', async () => {
    const invoice = editionTwoSapInvoice();
    const r = await read(renderInvoicePdf(invoice));
    expect(r.layout).toContain(
      'Déclaration de services à la personne n° SAP901122333 du 15 septembre 2025 (article L7232-1-1 du Code du travail).',
    );
    expect(r.layout).toContain('Intervenant(e) : Martine Leroux.');
    expect(r.raw).toContain(
      'Entretien de la maison et travaux ménagers — Entretien du logement et du linge, du 2 au 27 novembre 2026 16 h 30,25 € 484,00 €',
    );
    expect(r.raw).toContain(
      'Accompagnement des personnes âgées ou handicapées en dehors de leur domicile — Accompagnement aux courses et aux rendez-vous médicaux 6,5 h 30,60 € 198,87 €',
    );
    expect(r.layout).toContain(
      'Prestation de services à la personne ouvrant droit au crédit d’impôt prévu à l’article 199 sexdecies du CGI',
    );
    // The amounts TTC per service add up to the invoice's TTC here.
    expect(invoice.sap!.lines.reduce((s, l) => s + l.totalTtcCents, 0)).toBe(invoice.totals.grossCents);
    // 6,5 h × 30,60 € is not 198,87 €: the rounding of the hourly prices TTC is said.
    expect(r.raw).toContain(text(SAP_ROUNDING_NOTE));
    expect(r.layout).not.toContain('ASSURANCE PROFESSIONNELLE');
  });

  it('an SAP invoice with services to elderly or dependent people: the CAE’s autorisation or agrément next to its declaration (D7233-1)', async () => {
    const r = await read(renderInvoicePdf(editionTwoSapInvoice()));
    const autorisation =
      'Autorisation n° SAAD-44-2026-0117 du 5 janvier 2026, délivrée par le président du conseil départemental de la Loire-Atlantique (article L313-1 du Code de l’action sociale et des familles), valable jusqu’au 4 janvier 2041.';
    expect(r.layout).toContain(autorisation);
    expect(text(sapAuthorisationText(samadAuthorisation))).toBe(autorisation);
    // Between the declaration and the worker.
    const at = (t: string) => r.layout.indexOf(t);
    expect(at('Déclaration de services à la personne')).toBeLessThan(at('Autorisation n°'));
    expect(at('Autorisation n°')).toBeLessThan(at('Intervenant(e)'));
    // An agrément of the préfet, without an end recorded.
    const agrement = await read(
      renderInvoicePdf(
        editionTwoSapInvoice({
          sap: {
            ...editionTwoSapInvoice().sap!,
            authorisation: {
              kind: 'agrement',
              number: 'SAP901122333',
              grantedOn: '2026-03-01',
              issuer: 'le préfet de la Loire-Atlantique',
            },
          },
        }),
      ),
    );
    expect(agrement.layout).toContain(
      'Agrément n° SAP901122333 du 1er mars 2026, délivré par le préfet de la Loire-Atlantique (article L7232-1 du Code du travail).',
    );
    // Housework only: none printed.
    const housework = await read(
      renderInvoicePdf(editionTwoSapInvoice({ sap: { ...editionTwoSapInvoice().sap!, authorisation: undefined } })),
    );
    expect(housework.layout).not.toMatch(/Autorisation n°|Agrément n°/);
  });

  it('a credit note of assistance hours repeats the autorisation; one of housework hours does not', async () => {
    const invoice = editionTwoSapInvoice();
    const assistance = await read(renderInvoicePdf(editionTwoCreditNote({ sap: { ...invoice.sap!, lines: invoice.sap!.lines.slice(2) } })));
    expect(assistance.layout).toContain('Autorisation n° SAAD-44-2026-0117 du 5 janvier 2026');
    expect(assistance.layout).toContain('Déclaration de services à la personne n° SAP901122333');
    const housework = await read(renderInvoicePdf(editionTwoCreditNote()));
    expect(housework.layout).not.toContain('Autorisation n°');
  });

  it('its credit note repeats the declaration and the worker, with the hours credited', async () => {
    const r = await read(renderInvoicePdf(editionTwoCreditNote()));
    expect(r.layout).toContain('Déclaration de services à la personne n° SAP901122333 du 15 septembre 2025');
    expect(r.layout).toContain('Intervenant(e) : Martine Leroux.');
    expect(r.raw).toContain('Entretien du logement : 2 heures facturées en trop 2 h 30,25 € 60,50 €');
    expect(r.raw).not.toContain(text(SAP_ROUNDING_NOTE)); // 2 h × 30,25 € = 60,50 €
    // What remains due on the invoice it credits: that invoice's TTC less this credit note's.
    const credited = editionTwoSapInvoice();
    expect(r.layout).toContain(`Avoir sur la facture n° ${credited.number}`);
    expect(r.layout).toContain(`Reste à payer après cet avoir ${text(formatEuros(credited.totals.grossCents - 6050))}`);
  });

  it('a deposit invoice: its TTC is the quote’s deposit to the cent; no « date de la prestation » before it is paid; no payment before the 8th day', async () => {
    const deposit = editionTwoDepositInvoice();
    expect(deposit.totals.grossCents).toBe(editionTwoQuoteAccepted.totals.depositCents);
    const r = await read(renderInvoicePdf(deposit));
    expect(r.layout).toContain('Acompte non encore versé à la date d’émission');
    expect(r.layout).not.toContain('Date de la prestation');
    expect(r.layout).toContain(text(paymentFromText('2026-12-04')));
    expect(r.layout).toContain(`Total TTC ${text(formatEuros(editionTwoQuoteAccepted.totals.depositCents))}`);
    expect(r.layout).toContain('NATURE DE L’OPÉRATION Jean Moreau Opération mixte');
    expect(r.layout).toContain('Assureur : Assurances Coopératives du Bâtiment');
    // Paid once the 7 days have run out, after the issue date: that date prints.
    const paid = await read(renderInvoicePdf(editionTwoDepositInvoice({ depositPaidOn: '2026-12-05' })));
    expect(paid.layout).toContain('Date du versement de l’acompte : 5 décembre 2026');
  });

  it('a final invoice: the whole works per rate, each deposit deducted rate by rate (HT and VAT), then the balance', async () => {
    const final = editionTwoFinalInvoice();
    const r = await read(renderInvoicePdf(final));
    const e = (c: number) => text(formatEuros(c));
    const m = (c: number) => `− ${e(c)}`;
    for (const v of final.worksTotals!.vat)
      expect(r.layout).toContain(
        `Travaux à ${v.rate.replace('.', ',')} % ${e(v.baseCents)} ${e(v.vatCents)} ${e(v.baseCents + v.vatCents)}`,
      );
    expect(r.raw).toContain(`Total des travaux, devis n° D-MSG44-2026-000123 (révision 2) ${e(final.worksTotals!.netCents)}`);
    for (const v of final.deductedDeposits![0]!.totals!.vat)
      expect(r.raw).toContain(
        `Acompte, facture n° F-MSG44-2026-000102 du 27 novembre 2026, part à ${v.rate.replace('.', ',')} % ${m(v.baseCents)} ${m(v.vatCents)} ${m(v.baseCents + v.vatCents)}`,
      );
    const vat = final.totals.vat.reduce((s, v) => s + v.vatCents, 0);
    expect(r.layout).toContain(`Solde facturé ${e(final.totals.netCents)} ${e(vat)} ${e(final.totals.grossCents)}`);
    // The same nature of the operation as its deposit invoice.
    expect(r.layout).toContain('NATURE DE L’OPÉRATION Jean Moreau Opération mixte');
    // The CAE's insurance valid on the invoice's date (issued in 2027: the renewed policy).
    expect(insuranceProblem(final.issuerInsurance, final.issueDate)).toBeUndefined();
    expect(r.layout).toContain('Contrat : n° RCD-44-2027-0733, valable du 1er janvier 2027 au 31 décembre 2027');
  });

  it('a standard works invoice at 10 %: the CAE’s insurance and the client’s certification for 10 % only', async () => {
    const r = await read(renderInvoicePdf(editionTwoWorksInvoice()));
    expect(r.layout).toContain('ASSURANCE PROFESSIONNELLE DE LA COOPÉRATIVE (ARTICLE 22-2 DE LA LOI N° 96-603)');
    expect(r.layout).toContain('ATTESTATION DU CLIENT — TVA À TAUX RÉDUIT (10 %)');
    expect(r.layout).toContain('Je soussigné(e) Jean Moreau certifie, en qualité de preneur de la prestation');
    expect(r.layout).not.toContain('rénovation énergétique');
  });
});

describe('nothing issued before is rewritten', () => {
  it('a document without edition 2 prints none of the new mentions, whatever else its source holds', async () => {
    const legacyQuote = await read(
      renderQuotePdf({ ...twoPageQuote(), issuerInsurance: msgInsurance, consumer: editionTwoQuote().consumer }),
    );
    expect(legacyQuote.layout).not.toContain('ASSURANCE PROFESSIONNELLE');
    expect(legacyQuote.layout).not.toContain('FORMULAIRE DE RÉTRACTATION');
    expect(legacyQuote.layout).toContain('ATTESTATION DU CLIENT — TVA À TAUX RÉDUIT (10 % ET 5,5 %)');
    const legacyInvoice = await read(renderInvoicePdf({ ...homeServicesInvoice(), issuerInsurance: msgInsurance }));
    expect(legacyInvoice.layout).toContain('Date de la prestation : 27 novembre 2026');
    expect(legacyInvoice.layout).not.toContain('ASSURANCE PROFESSIONNELLE');
    expect(legacyInvoice.layout).not.toContain('Déclaration de services à la personne');
  });
});

describe('the quote e-mail', () => {
  it('announces the deposit the invoice will bill, when it may be paid, and the withdrawal right', () => {
    const quote = editionTwoQuote();
    const mail = quoteEmail(quote, 'https://oui-ensemble.example/q/tok');
    expect(text(mail.text)).toContain(
      `dont un acompte de ${text(formatEuros(quote.totals.depositCents))} à verser au plus tôt 8 jours après votre accord.`,
    );
    expect(mail.text).toContain('vous disposez de 14 jours pour vous rétracter, par le même lien');
    expect(quoteEmail(twoPageQuote(), 'https://oui-ensemble.example/q/tok').text).toContain('à la commande.');
  });
});
