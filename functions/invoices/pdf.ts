/**
 * The invoice and credit-note PDF: an invoice-specific composition on the shared document layout
 * (`../shared/pdf/document.ts`, the quote's look; fonts and logo loaded once per container). A pure
 * function of a resolved `InvoiceDocument`: it formats, it never computes an amount.
 *
 * Mentions (CGI ann. II 242 nonies A, C. com. L441-9, L441-10, D441-5):
 * - number and kind (« Facture », « Facture d’acompte », « Facture de solde », « Avoir »), issue
 *   date, date of the service, due date, purchase order if any;
 * - the issuer's identity in the footer of every page (name, legal form and capital, address,
 *   SIRET, RCS, VAT number); the client's name and address, SIREN and SIRET for a company;
 * - 2026–27 e-invoicing mentions: client SIREN, delivery address when it differs, nature of the
 *   operation;
 * - lines (quantity, description, unit price HT, rate), VAT per rate, totals HT, VAT and TTC;
 * - « Pas d’escompte pour paiement anticipé », the late-payment penalty rate (configuration), the
 *   40 € recovery indemnity for business clients;
 * - deposit invoices cite the accepted quote; final invoices cite it and deduct the deposits
 *   invoiced; credit notes cite the invoice they correct;
 * - what is already paid and what remains due, the pay link; the SAP tax-credit mention when the
 *   services are eligible (CGI 199 sexdecies; no ceiling printed: those of the 2026 finance law are
 *   not confirmed).
 */
import { formatDate, formatEuros, formatQuantity, formatRate } from '../shared/french.ts';
import {
  certificationSentence,
  certificationTitle,
  INSURANCE_TITLE,
  insuranceItems,
  NBSP,
  numbered,
  unbreakableDate,
  unbreakableNumbers,
  paymentFromText,
  sapAuthorisationText,
} from '../shared/legal-texts.ts';
import type { Totals } from '../shared/pricing.ts';
import {
  addressLines,
  colour,
  formatSiren,
  formatSiret,
  LEFT,
  renderPdf,
  RIGHT,
  size,
  WIDTH,
  type HeadLine,
  type PartyBox,
  type PdfWriter,
  type TotalsLabels,
} from '../shared/pdf/document.ts';
import { operationNatureLabels } from '../shared/legal-texts.ts';
import { SAP_ROUNDING_NOTE, sapHourlyPricesRounded } from './domain/vat-rules.ts';
import type { InvoiceDocument } from './views.ts';

/** « Facture », « Facture d’acompte », « Facture de solde » or « Avoir ». */
export function documentName(doc: Pick<InvoiceDocument, 'type' | 'kind'>): string {
  if (doc.type === 'credit-note') return 'Avoir';
  return doc.kind === 'deposit' ? 'Facture d’acompte' : doc.kind === 'final' ? 'Facture de solde' : 'Facture';
}

export { operationNatureLabels };

export const SAP_MENTION =
  'Prestation de services à la personne ouvrant droit au crédit d’impôt prévu à l’article 199\u00a0sexdecies du CGI, sous réserve des conditions en vigueur.';
export const SAP_CREDIT_NOTE_MENTION =
  'Cet avoir diminue d’autant le montant des prestations de services à la personne ouvrant droit au crédit d’impôt prévu à l’article 199\u00a0sexdecies du CGI.';

/** U+2212, the minus sign, before a deducted amount. */
const minus = (cents: number) => `\u2212\u00a0${formatEuros(cents)}`;

export async function renderInvoicePdf(invoice: InvoiceDocument): Promise<Uint8Array> {
  const name = documentName(invoice);
  const meta = { title: `${name} n° ${invoice.number}`, subject: invoice.title, author: invoice.issuer.legalName, date: invoice.issueDate };
  if (invoice.edition === 2) return renderEdition2(invoice, name);
  return renderPdf(meta, (w, assets) => {
    w.letterhead(assets, headLines(invoice, name), invoice);
    w.partyBoxes(clientBox(invoice), operationBox(invoice));
    w.subject(invoice.title);
    references(w, invoice);
    w.linesTable(invoice.lines);
    if (invoice.kind === 'final' && invoice.type === 'invoice' && invoice.quote && invoice.deductedDeposits?.length)
      statementBlock(w, invoice);
    w.totalsBlock(invoice.totals, totalsLabels(invoice));
    paymentBlock(w, invoice);
    if (invoice.type === 'invoice') conditionsBlock(w, invoice);
    if (invoice.sapEligible)
      w.framedText('Crédit d’impôt — services à la personne', invoice.type === 'invoice' ? SAP_MENTION : SAP_CREDIT_NOTE_MENTION);
    if (invoice.notes) w.notesBlock(invoice.notes, invoice.type === 'credit-note' ? 'Motif de l’avoir' : 'Remarques');
    w.pageFurniture(`${name} n° ${invoice.number} — ${invoice.client.name}`, invoice.issueDate, invoice.issuer);
  });
}

function headLines(i: InvoiceDocument, name: string): HeadLine[] {
  const head: HeadLine[] = [{ kind: 'title', text: `${name} n° ${i.number}` }];
  head.push({ kind: 'plain', text: `Date d’émission : ${formatDate(i.issueDate)}` });
  head.push({ kind: 'plain', text: `Date de la prestation : ${formatDate(i.serviceDate)}` });
  if (i.type === 'invoice' && i.dueDate) head.push({ kind: 'strong', text: `Échéance : ${formatDate(i.dueDate)}` });
  if (i.purchaseOrder) head.push({ kind: 'plain', text: `Bon de commande n° ${i.purchaseOrder}` });
  return head;
}

function clientBox(i: InvoiceDocument): PartyBox {
  const ids = i.client.isCompany && i.client.siret ? [`SIREN ${formatSiren(i.client.siret)}`, `SIRET ${formatSiret(i.client.siret)}`] : [];
  return { title: 'Client', name: i.client.name, lines: [...addressLines(i.client.address), ...ids] };
}

/** Nature of the operation and, when it differs from the client's address, where it took place. */
function operationBox(i: InvoiceDocument): PartyBox {
  const where = i.deliveryAddress
    ? [
        `${i.operationNature === 'services' ? 'Lieu d’exécution' : 'Adresse de livraison'}${i.edition === 2 ? '\u00a0:' : ' :'}`,
        ...addressLines(i.deliveryAddress),
      ]
    : [];
  return { title: 'Nature de l’opération', name: operationNatureLabels[i.operationNature], lines: where };
}

/** Under the object: a credit note's invoice; a deposit or final invoice's accepted quote. */
function references(w: PdfWriter, i: InvoiceDocument): void {
  let text: string;
  if (i.type === 'credit-note' && i.creditedInvoice) {
    text = `Avoir sur la facture n° ${i.creditedInvoice.number} du ${formatDate(i.creditedInvoice.issueDate)}.`;
    w.style('bold', size.body);
  } else if (i.type === 'invoice' && i.quote) {
    const q = i.quote;
    const what = i.kind === 'deposit' ? 'Acompte sur le devis' : 'Solde du devis';
    text = `${what} n° ${q.number} (révision ${q.revision}) accepté le ${formatDate(q.acceptedOn)}, d’un montant total de ${formatEuros(q.grossCents)} TTC.`;
    w.style('regular', size.body);
  } else {
    return;
  }
  w.y += w.paragraph(text, LEFT, w.y - 4, WIDTH, 2) + 6;
}

function totalsLabels(i: InvoiceDocument): TotalsLabels | undefined {
  if (i.type === 'credit-note') return { vatTitle: 'Détail de la TVA de l’avoir', net: 'Total HT', gross: 'Total TTC' };
  if (i.kind === 'final' && i.deductedDeposits?.length)
    return { vatTitle: 'Détail de la TVA du solde', net: 'Solde HT', gross: 'Solde TTC' };
  return undefined;
}

/** Rows of a label on the left and an amount on the right edge, ruled, the last one bold. */
function amountRows(w: PdfWriter, rows: readonly (readonly [string, string])[], rowH = 19): void {
  const amountWidth = 100;
  rows.forEach(([text, amount], k) => {
    const last = k === rows.length - 1;
    if (last) w.rule(w.y - 1, LEFT, RIGHT);
    w.style(last ? 'bold' : 'regular', size.body);
    w.line(text, LEFT, w.y + 3, { width: WIDTH - amountWidth - 10 });
    w.line(amount, RIGHT - amountWidth, w.y + 3, { width: amountWidth - 10, align: 'right' });
    w.y += rowH;
  });
}

/** Final invoices: the quote's total, minus each deposit invoiced, gives the balance invoiced here. */
function statementBlock(w: PdfWriter, i: InvoiceDocument): void {
  const q = i.quote!;
  const deposits = i.deductedDeposits!;
  const rows: [string, string][] = [
    [`Montant total TTC du devis n° ${q.number} (révision ${q.revision})`, formatEuros(q.grossCents)],
    ...deposits.map((d): [string, string] => [
      `Acompte facturé : facture n° ${d.number} du ${formatDate(d.issueDate)}`,
      minus(d.grossCents),
    ]),
    ['Solde TTC facturé', formatEuros(i.totals.grossCents)],
  ];
  w.ensure(16 + rows.length * 19 + 14);
  w.label('Décompte', LEFT, w.y);
  w.y += 15;
  amountRows(w, rows);
  w.y += 14;
}

/** What is already paid and what remains due; on an invoice, the due date and the pay link. */
function paymentBlock(w: PdfWriter, i: InvoiceDocument): void {
  const doc = w.doc;
  const credit = i.type === 'credit-note';
  const pay = !credit && i.payUrl && i.amountDueCents > 0 ? i.payUrl : undefined;
  const pad = 12;
  const rowH = 20;
  const height = 26 + 2 * rowH + (pay ? 22 : 0) + 4;
  w.ensure(height + 14);
  const top = w.y;
  doc.roundedRect(LEFT, top, WIDTH, height, 4).fill(colour.brandLight);
  w.label(credit ? `Votre facture n° ${i.creditedInvoice?.number ?? ''} après cet avoir` : 'Paiement', LEFT + pad, top + 10);

  // Amounts on the left half; the due date (or « réglée ») on the right half.
  const amountRight = LEFT + 300;
  let y = top + 26;
  w.style('regular', size.body);
  w.line(credit ? 'Déjà réglé sur la facture' : 'Déjà réglé', LEFT + pad, y + 3);
  w.line(formatEuros(i.amountPaidCents), LEFT + pad, y + 3, { width: amountRight - LEFT - pad, align: 'right' });
  y += rowH;
  w.style('bold', size.heading);
  w.line(credit ? 'Reste à payer après cet avoir' : 'Reste à payer', LEFT + pad, y + 2);
  w.line(formatEuros(i.amountDueCents), LEFT + pad, y + 2, { width: amountRight - LEFT - pad, align: 'right' });

  const sideX = amountRight + 24;
  const sideWidth = RIGHT - pad - sideX;
  if (!credit && i.dueDate) {
    if (i.amountDueCents > 0) {
      w.style('regular', size.body);
      w.line('À régler au plus tard le', sideX, top + 29, { width: sideWidth, align: 'right' });
      w.style('bold', size.heading, colour.brand);
      w.line(formatDate(i.dueDate), sideX, top + 28 + rowH, { width: sideWidth, align: 'right' });
    } else {
      w.style('bold', size.heading, colour.brand);
      w.line('Facture réglée', sideX, top + 28 + rowH, { width: sideWidth, align: 'right' });
    }
  }
  y += rowH;
  if (pay) {
    w.style('bold', size.body);
    const label = `Payer en ligne${w.colon}`;
    w.line(label, LEFT + pad, y + 5);
    const at = LEFT + pad + doc.widthOfString(label);
    w.style('regular', size.body, colour.brand);
    w.line(pay, at, y + 5, { width: RIGHT - pad - at });
    doc.link(at, y + 3, Math.min(doc.widthOfString(pay), RIGHT - pad - at), 14, pay);
  }
  w.y = top + height + 14;
}

/** Payment terms: no discount, late-payment penalties, and for a business client the 40 € indemnity. */
function conditionsBlock(w: PdfWriter, i: InvoiceDocument): void {
  const rate = `${String(i.latePenaltyRatePercent).replace('.', ',')}\u00a0%`;
  const sentences = [
    'Pas d’escompte pour paiement anticipé.',
    i.client.isCompany
      ? `En cas de retard de paiement, des pénalités sont dues au taux annuel de ${rate} (article L441-10 du Code de commerce), à compter du lendemain de la date d’échéance.`
      : `En cas de retard de paiement, des pénalités sont dues au taux annuel de ${rate}, à compter du lendemain de la date d’échéance.`,
    ...(i.client.isCompany
      ? [
          'En cas de retard de paiement, une indemnité forfaitaire pour frais de recouvrement de 40\u00a0€ est également due (article D441-5 du Code de commerce).',
        ]
      : []),
  ];
  w.style('regular', size.body);
  w.ensure(16 + sentences.reduce((sum, s) => sum + w.measure(s, WIDTH, 2) + 3, 0));
  w.label('Conditions de paiement', LEFT, w.y);
  w.y += 15;
  for (const s of sentences) {
    w.style('regular', size.body);
    w.y += w.paragraph(s, LEFT, w.y, WIDTH, 2) + 3;
  }
  w.y += 10;
}

// ---- Edition 2 ------------------------------------------------------------------------------------
// Invoices and credit notes issued from December 2026 (views.ts `edition`). Those issued before keep
// the rendering above, byte for byte.
// FROZEN since 2026-11-30 (test/unit/edition-two-documents.test.ts pins its bytes): any new or
// changed wording goes to an edition 3, never into this renderer.

const COLON = `${NBSP}: `;

async function renderEdition2(invoice: InvoiceDocument, name: string): Promise<Uint8Array> {
  const meta = {
    title: `${name} ${numbered(invoice.number)}`,
    subject: invoice.title,
    author: invoice.issuer.legalName,
    date: invoice.issueDate,
  };
  return renderPdf(meta, (w, assets) => {
    w.colon = COLON;
    w.letterhead(assets, headLines2(invoice, name), invoice);
    w.partyBoxes(clientBox(invoice), operationBox(invoice));
    w.subject(invoice.title);
    references2(w, invoice);
    w.linesTable(invoice.lines.map((l) => ({ ...l, description: unbreakableNumbers(l.description) })));
    if (invoice.kind === 'final' && invoice.type === 'invoice' && invoice.quote && invoice.deductedDeposits?.length) statement2(w, invoice);
    w.totalsBlock(invoice.totals, totalsLabels(invoice));
    paymentBlock(w, invoice);
    if (invoice.noPaymentBefore && invoice.type === 'invoice')
      w.framedText('Aucun paiement pendant 7 jours', paymentFromText(invoice.noPaymentBefore));
    if (invoice.type === 'invoice') conditionsBlock(w, invoice);
    if (invoice.sap) sapBlock(w, invoice);
    if (invoice.sapEligible)
      w.framedText('Crédit d’impôt — services à la personne', invoice.type === 'invoice' ? SAP_MENTION : SAP_CREDIT_NOTE_MENTION);
    if (invoice.issuerInsurance) w.definitionList(INSURANCE_TITLE, insuranceItems(invoice.issuerInsurance), COLON);
    if (invoice.certificationRates?.length) certification2(w, invoice);
    if (invoice.notes) w.notesBlock(invoice.notes, invoice.type === 'credit-note' ? 'Motif de l’avoir' : 'Remarques');
    w.pageFurniture(`${name} ${numbered(invoice.number)} — ${invoice.client.name}`, invoice.issueDate, invoice.issuer);
  });
}

function headLines2(i: InvoiceDocument, name: string): HeadLine[] {
  const head: HeadLine[] = [{ kind: 'title', text: `${name} ${numbered(i.number)}` }];
  head.push({ kind: 'plain', text: `Date d’émission${COLON}${formatDate(i.issueDate)}` });
  if (i.kind === 'deposit' && i.type === 'invoice') {
    // CGI ann. II 242 nonies A: the date the deposit is paid, when it is known and differs from the issue date.
    head.push({
      kind: 'plain',
      text: i.depositPaidOn
        ? `Date du versement de l’acompte${COLON}${formatDate(i.depositPaidOn)}`
        : 'Acompte non encore versé à la date d’émission',
    });
  } else {
    head.push({ kind: 'plain', text: `Date de la prestation${COLON}${formatDate(i.serviceDate)}` });
  }
  if (i.type === 'invoice' && i.dueDate) head.push({ kind: 'strong', text: `Échéance${COLON}${formatDate(i.dueDate)}` });
  if (i.purchaseOrder) head.push({ kind: 'plain', text: `Bon de commande ${numbered(i.purchaseOrder)}` });
  return head;
}

function references2(w: PdfWriter, i: InvoiceDocument): void {
  let text: string;
  if (i.type === 'credit-note' && i.creditedInvoice) {
    text = `Avoir sur la facture ${numbered(i.creditedInvoice.number)} du ${unbreakableDate(i.creditedInvoice.issueDate)}.`;
    w.style('bold', size.body);
  } else if (i.type === 'invoice' && i.quote) {
    const q = i.quote;
    const what = i.kind === 'deposit' ? 'Acompte sur le devis' : 'Solde du devis';
    text = `${what} ${numbered(q.number)} (révision\u00a0${q.revision}) accepté le ${unbreakableDate(q.acceptedOn)}, d’un montant total de ${formatEuros(q.grossCents)} TTC.`;
    w.style('regular', size.body);
  } else {
    return;
  }
  w.y += w.paragraph(text, LEFT, w.y - 4, WIDTH, 2) + 6;
}

/**
 * Final invoices: the whole works (HT and VAT per rate, then their total), each deposit deducted
 * rate by rate (HT and VAT), then the balance invoiced here — the totals block below repeats it.
 */
function statement2(w: PdfWriter, i: InvoiceDocument): void {
  const q = i.quote!;
  const works = i.worksTotals;
  const rows: { text: string; ht: string; vat: string; ttc: string; strong?: boolean }[] = [];
  const vatOf = (t: Totals) => t.vat.reduce((sum, v) => sum + v.vatCents, 0);
  if (works) {
    for (const v of works.vat)
      rows.push({
        text: `Travaux à ${formatRate(v.rate)}`,
        ht: formatEuros(v.baseCents),
        vat: formatEuros(v.vatCents),
        ttc: formatEuros(v.baseCents + v.vatCents),
      });
    rows.push({
      text: `Total des travaux, devis ${numbered(q.number)} (révision ${q.revision})`,
      ht: formatEuros(works.netCents),
      vat: formatEuros(vatOf(works)),
      ttc: formatEuros(works.grossCents),
      strong: true,
    });
  } else {
    rows.push({
      text: `Total des travaux, devis ${numbered(q.number)} (révision ${q.revision})`,
      ht: '',
      vat: '',
      ttc: formatEuros(q.grossCents),
      strong: true,
    });
  }
  for (const d of i.deductedDeposits!) {
    const parts = d.totals?.vat ?? [];
    if (parts.length === 0)
      rows.push({
        text: `Acompte, facture ${numbered(d.number)} du ${unbreakableDate(d.issueDate)}`,
        ht: '',
        vat: '',
        ttc: minus(d.grossCents),
      });
    for (const v of parts)
      rows.push({
        text: `Acompte, facture ${numbered(d.number)} du ${unbreakableDate(d.issueDate)}, part à ${formatRate(v.rate)}`,
        ht: minus(v.baseCents),
        vat: minus(v.vatCents),
        ttc: minus(v.baseCents + v.vatCents),
      });
  }
  rows.push({
    text: 'Solde facturé',
    ht: formatEuros(i.totals.netCents),
    vat: formatEuros(vatOf(i.totals)),
    ttc: formatEuros(i.totals.grossCents),
    strong: true,
  });
  const col = 82;
  const textWidth = WIDTH - 3 * col - 6;
  w.style('regular', size.small);
  const heights = rows.map((r) => Math.max(16, w.measure(r.text, textWidth, 1) + 5));
  w.ensure(34 + heights.reduce((a, b) => a + b, 0) + 14);
  w.label('Décompte', LEFT, w.y);
  w.y += 15;
  w.style('bold', size.small, colour.muted);
  const cols = [RIGHT - 3 * col, RIGHT - 2 * col, RIGHT - col];
  ['Montant HT', 'TVA', 'Montant TTC'].forEach((h, k) => w.line(h, cols[k]!, w.y, { width: col - 4, align: 'right' }));
  w.y += 14;
  rows.forEach((r, k) => {
    if (r.strong) w.rule(w.y - 1, LEFT, RIGHT);
    w.style(r.strong ? 'bold' : 'regular', size.small);
    w.doc.text(r.text, LEFT, w.y + 3, { width: textWidth, lineGap: 1 });
    [r.ht, r.vat, r.ttc].forEach((v, c) => w.line(v, cols[c]!, w.y + 3, { width: col - 4, align: 'right' }));
    w.y += heights[k]!;
  });
  w.y += 14;
}

/**
 * C. trav. D7233-1: the CAE's declaration and, where a service needs one, its agrément or
 * autorisation; the worker; for each service its nature, hours, hourly price TTC and amount TTC.
 */
function sapBlock(w: PdfWriter, i: InvoiceDocument): void {
  const sap = i.sap!;
  const col = 78;
  const textWidth = WIDTH - 3 * col - 6;
  w.style('regular', size.small);
  const heights = sap.lines.map((l) => Math.max(16, w.measure(l.nature, textWidth, 1) + 5));
  const intro = [
    `Déclaration de services à la personne ${numbered(sap.declarationNumber)} du ${formatDate(sap.declaredOn)} (article L7232-1-1 du Code du travail).`,
    ...(sap.authorisation ? [sapAuthorisationText(sap.authorisation)] : []),
    `Intervenant(e)${COLON}${sap.worker}.`,
  ];
  w.style('regular', size.body);
  const introHeight = intro.reduce((sum, t) => sum + w.measure(t, WIDTH, 2) + 2, 0);
  w.style('regular', size.small);
  const noteHeight = sapHourlyPricesRounded(sap.lines) ? w.measure(SAP_ROUNDING_NOTE, WIDTH, 1) + 6 : 0;
  w.ensure(16 + introHeight + 16 + heights.reduce((a, b) => a + b, 0) + noteHeight + 14);
  w.label('Services à la personne', LEFT, w.y);
  w.y += 15;
  for (const t of intro) {
    w.style('regular', size.body);
    w.y += w.paragraph(t, LEFT, w.y, WIDTH, 2) + 2;
  }
  w.y += 4;
  const cols = [RIGHT - 3 * col, RIGHT - 2 * col, RIGHT - col];
  w.style('bold', size.small, colour.muted);
  w.line('Nature exacte du service', LEFT, w.y);
  ['Heures', 'Prix horaire TTC', 'Montant TTC'].forEach((h, k) => w.line(h, cols[k]!, w.y, { width: col - 4, align: 'right' }));
  w.y += 14;
  sap.lines.forEach((l, k) => {
    w.rule(w.y - 1, LEFT, RIGHT);
    w.style('regular', size.small);
    w.doc.text(l.nature, LEFT, w.y + 3, { width: textWidth, lineGap: 1 });
    [`${formatQuantity(l.hours)}${NBSP}h`, formatEuros(l.hourlyPriceTtcCents), formatEuros(l.totalTtcCents)].forEach((v, c) =>
      w.line(v, cols[c]!, w.y + 3, { width: col - 4, align: 'right' }),
    );
    w.y += heights[k]!;
  });
  if (sapHourlyPricesRounded(sap.lines)) {
    w.rule(w.y - 1, LEFT, RIGHT);
    w.style('regular', size.small, colour.muted);
    w.y += w.paragraph(SAP_ROUNDING_NOTE, LEFT, w.y + 3, WIDTH, 1) + 3;
  }
  w.y += 14;
}

/** Room for the client's hand under « Date et signature » (the certification is signed: BOI-LETTRE-000280). */
const SIGNATURE_SPACE = 48;

/** Standard works invoices at a reduced rate: the client's certification for the rates used (BOI-LETTRE-000280). */
function certification2(w: PdfWriter, i: InvoiceDocument): void {
  const who = i.client.isCompany ? `Je soussigné(e) ………………………………, pour le compte de ${i.client.name},` : `Je soussigné(e) ${i.client.name}`;
  const text = `${who} ${certificationSentence(i.certificationRates!)}\n\nDate et signature${COLON}`;
  w.framedText(certificationTitle(i.certificationRates!), text, SIGNATURE_SPACE);
}
