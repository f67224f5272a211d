/**
 * The quote PDF: a quote-specific composition on the shared document layout
 * (`../shared/pdf/document.ts`: A4, French, for a reader who may be elderly; fonts and logo loaded
 * once per container by `../shared/pdf/assets.ts`). A pure function of a resolved `QuoteDocument`:
 * it formats, it never computes an amount.
 *
 * Mentions: arrêté du 24 janvier 2017 (quote before works), loi 96-603 art. 22-2 (décennale),
 * BOI-LETTRE-000280 (client's certification for reduced VAT), CGI ann. II 242 nonies A (VAT per rate).
 */
import { formatDate, formatEuros } from '../shared/french.ts';
import {
  certificationSentence,
  certificationTitle,
  EARLY_START_REQUEST,
  INSURANCE_TITLE,
  insuranceItems,
  mediatorText,
  NBSP,
  numbered,
  unbreakableNumbers,
  operationNatureLabels,
  PAYMENT_WAIT_TEXT,
  withdrawalConditions,
  withdrawalFormLines,
  worksStartText,
} from '../shared/legal-texts.ts';
import {
  addressLines,
  colour,
  formatPercent,
  formatSiret,
  LEFT,
  renderPdf,
  RIGHT,
  size,
  WIDTH,
  type HeadLine,
  type PdfWriter,
} from '../shared/pdf/document.ts';
import type { QuoteDocument } from './views.ts';

/** The edition every quote is sent with today (functions/quotes/send.ts). */
export const QUOTE_EDITION = 3;

export async function renderQuotePdf(quote: QuoteDocument): Promise<Uint8Array> {
  if (quote.edition === 3) return renderEdition2(quote, true);
  if (quote.edition === 2) return renderEdition2(quote);
  const meta = {
    title: `Devis n° ${quote.number} (révision ${quote.revision})`,
    subject: quote.title,
    author: quote.issuer.legalName,
    date: quote.issueDate,
  };
  return renderPdf(meta, (w, assets) => {
    const head: HeadLine[] = [
      { kind: 'title', text: `Devis n° ${quote.number}` },
      { kind: 'plain', text: `Révision ${quote.revision}` },
      ...(quote.supersedes
        ? [
            {
              kind: 'note',
              text: `annule et remplace le devis n° ${quote.supersedes.number} révision ${quote.supersedes.revision}`,
            } as const,
          ]
        : []),
      { kind: 'plain', text: `Date du devis : ${formatDate(quote.issueDate)}` },
      { kind: 'strong', text: `Valable jusqu’au ${formatDate(quote.validUntil)} (${quote.validityDays} jours)` },
    ];
    w.letterhead(assets, head, quote);
    partyBoxes(w, quote);
    w.subject(quote.title);
    w.linesTable(quote.lines);
    w.totalsBlock(quote.totals);
    conditionsBlock(w, quote);
    performerBlock(w, quote);
    if (quote.notes) w.notesBlock(quote.notes);
    acceptanceBlock(w, quote);
    w.pageFurniture(`Devis n° ${quote.number} — révision ${quote.revision} — ${quote.client.name}`, quote.issueDate, quote.issuer);
  });
}

/** The client (with its SIRET when a company) and the place of the works, side by side (both editions). */
function partyBoxes(w: PdfWriter, quote: QuoteDocument): void {
  const siteLines = addressLines(quote.siteAddress);
  w.partyBoxes(
    {
      title: 'Client',
      name: quote.client.name,
      lines: [...addressLines(quote.client.address), ...(quote.client.siret ? [`SIRET ${formatSiret(quote.client.siret)}`] : [])],
    },
    { title: 'Adresse des travaux', name: siteLines[0]!, lines: siteLines.slice(1) },
  );
}

function conditionsBlock(w: PdfWriter, q: QuoteDocument): void {
  const items: [string, string][] = [];
  if (q.depositPercent > 0) {
    items.push(['Acompte à la commande', `${formatPercent(q.depositPercent)} soit ${formatEuros(q.totals.depositCents)} TTC`]);
    items.push(['Solde', 'à la fin des travaux, à réception de la facture']);
  } else {
    items.push(['Paiement', 'aucun acompte ; paiement à la fin des travaux, à réception de la facture']);
  }
  items.push(['Prix du devis', q.feeCents > 0 ? `Devis payant : ${formatEuros(q.feeCents)} TTC` : 'Devis gratuit']);
  w.definitionList('Conditions', items);
}

function performerBlock(w: PdfWriter, q: QuoteDocument): void {
  const energy = q.lines.some((l) => l.energyRenovation);
  const p = q.performer;
  const items: [string, string][] = [];
  if (p) {
    items.push(['Entreprise', `${p.legalName}, SIRET ${formatSiret(p.siret)}`]);
    const d = p.decennale;
    items.push([
      'Assurance décennale',
      `${d.insurer}, contrat n° ${d.policyNumber}, valable du ${formatDate(d.validFrom)} au ${formatDate(d.validUntil)} ; couverture géographique : ${d.coverage}`,
    ]);
    if (energy) {
      items.push(
        p.rge
          ? [
              'Qualification RGE',
              `${p.rge.body}, certificat n° ${p.rge.certificateNumber}, valable jusqu’au ${formatDate(p.rge.validUntil)} ; domaines : ${p.rge.domains.join(', ')}`,
            ]
          : [
              'Qualification RGE',
              'aucune qualification RGE n’est enregistrée pour cette entreprise ; cette qualification conditionne les aides à la rénovation énergétique (MaPrimeRénov’, CEE)',
            ],
      );
    }
  } else {
    items.push([
      'Entreprise',
      'l’entreprise partenaire qui réalisera les travaux vous sera indiquée avant leur début, avec son attestation d’assurance décennale',
    ]);
    if (energy) {
      items.push([
        'Qualification RGE',
        'travaux de rénovation énergétique : la qualification RGE de l’entreprise (organisme, numéro), nécessaire aux aides MaPrimeRénov’ et CEE, vous sera communiquée avant le début des travaux',
      ]);
    }
  }
  w.definitionList('Entreprise qui réalisera les travaux', items);
}

/** The client's VAT certification (when a reduced rate applies) and the "Bon pour accord", kept together. */
function acceptanceBlock(w: PdfWriter, q: QuoteDocument): void {
  const certification = certificationText(q);
  w.style('regular', size.body);
  const certHeight = certificationHeight(w, certification);
  const signHeight = 38 + 114;
  w.ensure(certHeight + signHeight);

  if (certification)
    certificationFrame(
      w,
      q.vatCertification === 'reduced-energy'
        ? 'Attestation du client — TVA à taux réduit (10 % et 5,5 %)'
        : 'Attestation du client — TVA à taux réduit (10 %)',
      certification,
      certHeight,
    );

  // The mention, then what signing means (left) and the boxes to fill (right).
  signatureBlock(w, certification !== undefined, ' :');
}

const CERTIFICATION_PAD = 10;

/** The height of the client's certification frame, its gap below included (0 without one); measured in the current style. */
function certificationHeight(w: PdfWriter, certification: string | undefined): number {
  return certification ? 14 + 16 + w.measure(certification, WIDTH - 2 * CERTIFICATION_PAD, 2) + CERTIFICATION_PAD + 10 : 0;
}

/** The client's certification in its frame (both editions), `height` from `certificationHeight`. */
function certificationFrame(w: PdfWriter, title: string, certification: string, height: number): void {
  const pad = CERTIFICATION_PAD;
  const top = w.y;
  w.doc
    .roundedRect(LEFT, top, WIDTH, height - 10, 4)
    .lineWidth(0.8)
    .strokeColor(colour.brand)
    .stroke();
  w.label(title, LEFT + pad, top + pad);
  w.style('regular', size.body);
  w.paragraph(certification, LEFT + pad, top + pad + 16, WIDTH - 2 * pad, 2);
  w.y = top + height;
}

/**
 * « Bon pour accord », « Devis reçu avant l’exécution des travaux », what signing means (left) and
 * the boxes to fill (right); `colon` ends the boxes' labels (« : » before edition 2, « \u00a0: » since).
 */
function signatureBlock(w: PdfWriter, certified: boolean, colon: string): void {
  const doc = w.doc;
  w.style('bold', size.body + 1, colour.brand);
  w.line('Bon pour accord', LEFT, w.y + 2);
  w.style('bold', size.body);
  w.line('Devis reçu avant l’exécution des travaux.', LEFT, w.y + 20);
  const top = w.y + 38;
  const gap = 14;
  const leftWidth = 220;
  const boxX = LEFT + leftWidth + gap;
  const boxWidth = RIGHT - boxX;
  w.style('regular', size.body, colour.muted);
  const how = certified
    ? `Pour accepter ce devis, datez, écrivez votre nom, signez et ajoutez à la main «${NBSP}Bon pour accord${NBSP}». Votre signature vaut aussi l’attestation pour la TVA.`
    : `Pour accepter ce devis, datez, écrivez votre nom, signez et ajoutez à la main «${NBSP}Bon pour accord${NBSP}».`;
  w.paragraph(how, LEFT, top, leftWidth);
  doc.roundedRect(boxX, top, boxWidth, 104, 4).lineWidth(0.8).strokeColor(colour.rule).stroke();
  w.style('regular', size.body);
  const field = (text: string, fy: number, lineFrom: number) => {
    w.line(text, boxX + 10, fy);
    doc
      .moveTo(boxX + lineFrom, fy + 11)
      .lineTo(boxX + boxWidth - 12, fy + 11)
      .lineWidth(0.5)
      .strokeColor(colour.rule)
      .dash(1.5, { space: 2 })
      .stroke()
      .undash();
  };
  field(`Date${colon}`, top + 12, 48);
  field(`Nom${colon}`, top + 34, 48);
  w.line(`Signature${colon}`, boxX + 10, top + 56);
  w.y = top + 114;
}

/** BOI-LETTRE-000280 wording, with the client's name when the client is a person. */
function certificationText(q: QuoteDocument): string | undefined {
  if (q.vatCertification === 'none') return undefined;
  const who = q.client.siret ? `Je soussigné(e) ………………………………, pour le compte de ${q.client.name},` : `Je soussigné(e) ${q.client.name}`;
  const energy = q.vatCertification === 'reduced-energy' ? ' et qu’ils ont la nature de travaux de rénovation énergétique' : '';
  return (
    `${who} certifie, en qualité de preneur de la prestation, que les travaux réalisés concernent des locaux à usage d’habitation achevés depuis plus de deux ans ` +
    'et qu’ils n’ont pas eu pour effet, sur une période de deux ans au plus, de concourir à la production d’un immeuble neuf au sens du 2° du 2 du I de l’article 257 du CGI, ' +
    `ni d’entraîner une augmentation de la surface de plancher des locaux existants supérieure à 10 %${energy}.`
  );
}

// ---- Edition 2 ------------------------------------------------------------------------------------
// Quotes sent from December 2026 (functions/quotes/views.ts `edition`): the issuer's insurance, the
// consumer's rights with the withdrawal form, the start of the works, the RGE coverage per line, the
// nature of the operation, the certification per rate used, French typography (no-break spaces
// before « : » and inside numbers). Quotes sent before keep the rendering above, byte for byte.
// FROZEN since 2026-11-30 (test/unit/edition-two-documents.test.ts pins its bytes): any new or
// changed wording goes to an edition 3, never into this renderer.
//
// ---- Edition 3 ------------------------------------------------------------------------------------
// Quotes sent once it landed, on 2026-12-01 (QUOTE_EDITION): edition 2 whose lists go on from page to page
// between their items (PdfWriter.listsGoOnAcrossPages); in edition 2 a list longer than a page, as
// the RGE coverage of a large quote, ran over the footer and the next page's running header. The
// same bytes as edition 2 for any quote whose lists fit on a page. Pinned in
// test/unit/edition-three-documents.test.ts.

const COLON = `${NBSP}: `;

/** Edition 2, or edition 3 with `listsGoOnAcrossPages`. */
async function renderEdition2(quote: QuoteDocument, listsGoOnAcrossPages = false): Promise<Uint8Array> {
  const meta = {
    title: `Devis ${numbered(quote.number)} (révision ${quote.revision})`,
    subject: quote.title,
    author: quote.issuer.legalName,
    date: quote.issueDate,
  };
  return renderPdf(meta, (w, assets) => {
    w.colon = COLON;
    w.listsGoOnAcrossPages = listsGoOnAcrossPages;
    const head: HeadLine[] = [
      { kind: 'title', text: `Devis ${numbered(quote.number)}` },
      { kind: 'plain', text: `Révision ${quote.revision}` },
      ...(quote.supersedes
        ? [
            {
              kind: 'note',
              text: `annule et remplace le devis ${numbered(quote.supersedes.number)}, révision ${quote.supersedes.revision}`,
            } as const,
          ]
        : []),
      { kind: 'plain', text: `Date du devis${COLON}${formatDate(quote.issueDate)}` },
      { kind: 'strong', text: `Valable jusqu’au ${formatDate(quote.validUntil)} (${quote.validityDays}${NBSP}jours)` },
    ];
    w.letterhead(assets, head, quote);
    partyBoxes(w, quote);
    w.subject(quote.title);
    w.linesTable(quote.lines.map((l) => ({ ...l, description: unbreakableNumbers(l.description) })));
    w.totalsBlock(quote.totals);
    conditions2(w, quote);
    if (quote.issuerInsurance) w.definitionList(INSURANCE_TITLE, insuranceItems(quote.issuerInsurance), COLON);
    performer2(w, quote);
    if (quote.notes) w.notesBlock(quote.notes);
    if (quote.consumer) rights2(w, quote);
    acceptance2(w, quote);
    if (quote.consumer?.withdrawal) withdrawalForm(w, quote);
    w.pageFurniture(`Devis ${numbered(quote.number)} — révision ${quote.revision} — ${quote.client.name}`, quote.issueDate, quote.issuer);
  });
}

function conditions2(w: PdfWriter, q: QuoteDocument): void {
  const items: [string, string][] = [];
  if (q.operationNature) items.push(['Nature de l’opération', operationNatureLabels[q.operationNature]]);
  const start = q.works ? worksStartText(q.works) : undefined;
  if (start) items.push(['Début des travaux', start]);
  if (q.works?.durationDays) items.push(['Durée estimée des travaux', `${q.works.durationDays}${NBSP}jours ouvrés`]);
  const wait = q.consumer?.paymentWait ? `, payable au plus tôt 8${NBSP}jours après votre accord` : '';
  if (q.depositPercent > 0) {
    items.push(['Acompte à la commande', `${formatPercent(q.depositPercent)} soit ${formatEuros(q.totals.depositCents)} TTC${wait}`]);
    items.push(['Solde', 'à la fin des travaux, à réception de la facture']);
  } else {
    items.push(['Paiement', `aucun acompte${NBSP}; paiement à la fin des travaux, à réception de la facture`]);
  }
  items.push(['Prix du devis', q.feeCents > 0 ? `devis payant${COLON}${formatEuros(q.feeCents)} TTC` : 'devis gratuit']);
  w.definitionList('Conditions', items, COLON);
}

function performer2(w: PdfWriter, q: QuoteDocument): void {
  const p = q.performer;
  const items: [string, string][] = [];
  const coverage = q.rgeCoverage ?? [];
  if (p) {
    items.push(['Entreprise', `${p.legalName}, SIRET ${formatSiret(p.siret)}`]);
    const d = p.decennale;
    items.push([
      'Assurance décennale',
      `${d.insurer}, contrat ${numbered(d.policyNumber)}, valable du ${formatDate(d.validFrom)} au ${formatDate(d.validUntil)}${NBSP}; couverture géographique${COLON}${d.coverage}`,
    ]);
    if (coverage.length) {
      items.push(
        p.rge
          ? [
              'Qualification RGE',
              `${p.rge.body}, certificat ${numbered(p.rge.certificateNumber)}, valable jusqu’au ${formatDate(p.rge.validUntil)}${NBSP}; domaines${COLON}${p.rge.domains.join(`${NBSP}; `)}`,
            ]
          : [
              'Qualification RGE',
              `aucune qualification RGE n’est enregistrée pour cette entreprise${NBSP}; cette qualification conditionne les aides à la rénovation énergétique (MaPrimeRénov’, CEE)`,
            ],
      );
    }
  } else {
    items.push([
      'Entreprise',
      'l’entreprise partenaire qui réalisera les travaux vous sera indiquée avant leur début, avec son attestation d’assurance décennale',
    ]);
  }
  for (const run of coverageRuns(coverage)) {
    const which = run.from === run.to ? `ligne ${run.from + 1}` : `lignes ${run.from + 1} à ${run.to + 1}`;
    items.push([
      `Travaux à 5,5${NBSP}%, ${which}${run.domainLabel ? ` (${run.domainLabel})` : ''}`,
      run.covered
        ? 'couverts par la qualification RGE de l’entreprise'
        : p
          ? `non couverts par la qualification RGE de l’entreprise${NBSP}: ils n’ouvrent pas droit aux aides à la rénovation énergétique (MaPrimeRénov’, CEE)`
          : 'la qualification RGE de l’entreprise, nécessaire aux aides MaPrimeRénov’ et CEE, vous sera communiquée avant le début des travaux',
    ]);
  }
  w.definitionList('Entreprise qui réalisera les travaux', items, COLON);
}

/** Consecutive 5.5 % lines of the same domain and coverage, as one statement (« lignes 5 à 11 »). */
export function coverageRuns(
  coverage: NonNullable<QuoteDocument['rgeCoverage']>,
): { from: number; to: number; domainLabel?: string | undefined; covered: boolean }[] {
  const runs: { from: number; to: number; domainLabel?: string | undefined; covered: boolean }[] = [];
  for (const c of coverage) {
    const last = runs.at(-1);
    if (last && last.to === c.index - 1 && last.domainLabel === c.domainLabel && last.covered === c.covered) last.to = c.index;
    else runs.push({ from: c.index, to: c.index, domainLabel: c.domainLabel, covered: c.covered });
  }
  return runs;
}

function rights2(w: PdfWriter, q: QuoteDocument): void {
  const c = q.consumer!;
  if (c.withdrawal)
    w.framedText(
      'Droit de rétractation (articles L221-18 et suivants du Code de la consommation)',
      withdrawalConditions(q.issuer, q.entrepreneur.email),
    );
  if (c.paymentWait) w.framedText('Aucun paiement pendant 7 jours', PAYMENT_WAIT_TEXT);
  if (c.mediator) w.framedText('Médiation de la consommation', mediatorText(c.mediator));
}

/** The client's certification for the rates used, the express request to start early, and the « Bon pour accord ». */
function acceptance2(w: PdfWriter, q: QuoteDocument): void {
  const rates = q.reducedRates ?? [];
  const certification = rates.length ? `${certifier(q)} ${certificationSentence(rates)}` : undefined;
  const early = q.consumer?.withdrawal ? `☐ ${EARLY_START_REQUEST}` : undefined;
  w.style('regular', size.body);
  const certHeight = certificationHeight(w, certification);
  const earlyHeight = early ? w.measure(early, WIDTH, 2) + 10 : 0;
  const signHeight = 38 + 114;
  w.ensure(certHeight + earlyHeight + signHeight);
  if (certification) certificationFrame(w, certificationTitle(rates), certification, certHeight);
  if (early) {
    w.style('regular', size.body);
    w.y += w.paragraph(early, LEFT, w.y, WIDTH, 2) + 10;
  }
  signatureBlock(w, certification !== undefined, COLON);
}

const certifier = (q: QuoteDocument): string =>
  q.client.siret ? `Je soussigné(e) ………………………………, pour le compte de ${q.client.name},` : `Je soussigné(e) ${q.client.name}`;

/** The model form of C. conso R221-1, on a page of its own to cut out or copy. */
function withdrawalForm(w: PdfWriter, q: QuoteDocument): void {
  const lines = withdrawalFormLines({
    issuer: q.issuer,
    number: q.number,
    issueDate: q.issueDate,
    title: q.title,
    clientName: q.client.name,
    clientAddress: q.client.address,
    email: q.entrepreneur.email,
  });
  w.style('regular', size.body);
  const height = 30 + lines.reduce((sum, l) => sum + w.measure(l, WIDTH - 20, 3) + 8, 0) + 20;
  w.ensure(height);
  const top = w.y;
  w.doc
    .roundedRect(LEFT, top, WIDTH, height - 10, 4)
    .lineWidth(0.8)
    .strokeColor(colour.rule)
    .dash(4, { space: 3 })
    .stroke()
    .undash();
  w.label('Formulaire de rétractation', LEFT + 10, top + 10);
  w.y = top + 30;
  for (const l of lines) {
    w.style('regular', size.body);
    w.y += w.paragraph(l, LEFT + 10, w.y, WIDTH - 20, 3) + 8;
  }
  w.y = top + height;
}
