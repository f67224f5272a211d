/**
 * The quote PDF: A4, French, for a reader who may be elderly (body text 10 pt and more, one idea per
 * block, generous spacing). A pure function of a resolved `QuoteDocument`: it formats, it never
 * computes an amount.
 *
 * Assets (fonts, logo) come from the layer of PDF assets: `PDF_ASSETS_DIR` (`/opt/pdf-assets` on
 * Lambda, set by the CDK), else `<repo>/layers/pdf-assets` (offline). They are read and parsed once
 * per container: one fontkit font shared by every document (parsing the TTF per document costs more
 * than a second), handed to `new PDFDocument({ font })` so that pdfkit never loads its standard
 * Helvetica (which does not survive esbuild bundling). See TOOLCHAIN.md §6.
 *
 * Mentions: arrêté du 24 janvier 2017 (quote before works), loi 96-603 art. 22-2 (décennale),
 * BOI-LETTRE-000280 (client's certification for reduced VAT), CGI ann. II 242 nonies A (VAT per rate).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { create as createFont, type Font } from 'fontkit';
import PDFDocument from 'pdfkit';
import { formatDate, formatEuros, formatQuantity, formatRate, unitLabels } from '../shared/french.ts';
import type { DocumentLine, PostalAddress, QuoteDocument } from './views.ts';

// ---- Assets, once per container -------------------------------------------------------------

interface Assets {
  readonly regular: Font;
  readonly bold: Font;
  readonly logo: Buffer;
  readonly logoRatio: number;
}

let assets: Assets | undefined;

/** Where the layer of PDF assets is: `PDF_ASSETS_DIR`, else the repository's `layers/pdf-assets`. */
export function pdfAssetsDir(): string {
  const fromEnv = process.env['PDF_ASSETS_DIR'];
  return fromEnv !== undefined && fromEnv !== '' ? fromEnv : path.resolve(import.meta.dirname, '../../layers/pdf-assets');
}

function loadFont(file: string): Font {
  const font = createFont(readFileSync(file));
  if (!('layout' in font)) throw new Error(`${file} is a font collection, not a font`);
  return font;
}

function loadAssets(): Assets {
  if (assets) return assets;
  const dir = pdfAssetsDir();
  try {
    const logo = readFileSync(path.join(dir, 'logo.png'));
    // PNG IHDR: width and height, big-endian, at bytes 16 and 20.
    const logoRatio = logo.readUInt32BE(16) / logo.readUInt32BE(20);
    assets = {
      regular: loadFont(path.join(dir, 'fonts', 'DejaVuSans.ttf')),
      bold: loadFont(path.join(dir, 'fonts', 'DejaVuSans-Bold.ttf')),
      logo,
      logoRatio,
    };
  } catch (cause) {
    throw new Error(`the PDF assets (fonts, logo) could not be read from ${dir} (PDF_ASSETS_DIR)`, { cause });
  }
  return assets;
}

/** pdfkit accepts a parsed fontkit font wherever it takes a font source; its types do not say so. */
const asFontSource = (font: Font) => font as unknown as string;

// ---- Page geometry and style ----------------------------------------------------------------

const PAGE_WIDTH = 595.28;
const PAGE_HEIGHT = 841.89;
const LEFT = 42;
const RIGHT = PAGE_WIDTH - 42;
const WIDTH = RIGHT - LEFT;
const TOP = 38;
/** Content stops here; the footer (legal identity, page number) lives below. */
const CONTENT_BOTTOM = PAGE_HEIGHT - 58;

const colour = {
  text: '#1d2624',
  muted: '#55615e',
  brand: '#1f6f5c',
  brandLight: '#e9f2ef',
  rule: '#c9d3d0',
  zebra: '#f6f8f7',
  white: '#ffffff',
} as const;

const size = { body: 10, small: 9, label: 8.5, heading: 11.5, title: 15 } as const;

/** Table columns: description takes what the others leave. */
const columns = (() => {
  const fixed = [
    { key: 'quantity', title: 'Qté', width: 38, align: 'right' },
    { key: 'unit', title: 'Unité', width: 46, align: 'left' },
    { key: 'unitPrice', title: 'PU HT', width: 70, align: 'right' },
    { key: 'rate', title: 'TVA', width: 42, align: 'right' },
    { key: 'total', title: 'Total HT', width: 76, align: 'right' },
  ] as const;
  const descriptionWidth = WIDTH - fixed.reduce((sum, c) => sum + c.width, 0);
  let x = LEFT;
  return [{ key: 'description', title: 'Désignation', width: descriptionWidth, align: 'left' } as const, ...fixed].map((c) => {
    const column = { ...c, x };
    x += c.width;
    return column;
  });
})();
const CELL_PAD_X = 5;
const CELL_PAD_Y = 3.5;
const HEADER_ROW_HEIGHT = 20;
const SECTION_ROW_HEIGHT = 20;

// ---- Formatting helpers (no arithmetic on amounts) --------------------------------------------

const addressLines = (a: PostalAddress): string[] => [a.line1, ...(a.line2 ? [a.line2] : []), `${a.postalCode} ${a.city}`];
const oneLineAddress = (a: PostalAddress): string => addressLines(a).join(', ');
/** 90112244000018 → "901 122 440 00018" */
const formatSiret = (siret: string): string => siret.replace(/^(\d{3})(\d{3})(\d{3})(\d{5})$/, '$1 $2 $3 $4');
const formatPercent = (percent: number): string => formatRate(String(percent));

// ---- The renderer ---------------------------------------------------------------------------

type Doc = InstanceType<typeof PDFDocument>;

export async function renderQuotePdf(quote: QuoteDocument): Promise<Uint8Array> {
  const { regular, bold, logo, logoRatio } = loadAssets();
  const issued = new Date(`${quote.issueDate}T00:00:00Z`);
  const doc: Doc = new PDFDocument({
    size: 'A4',
    // The bottom margin is small so that pdfkit never adds a page by itself; the layout stops at CONTENT_BOTTOM.
    margins: { top: TOP, left: LEFT, right: PAGE_WIDTH - RIGHT, bottom: 20 },
    bufferPages: true,
    font: asFontSource(regular),
    lang: 'fr-FR',
    displayTitle: true,
    info: {
      Title: `Devis n° ${quote.number} (révision ${quote.revision})`,
      Subject: quote.title,
      Author: quote.issuer.legalName,
      Creator: 'Oui Ensemble',
      Producer: 'Oui Ensemble (pdfkit)',
      CreationDate: issued,
      ModDate: issued,
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const finished = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });
  doc.registerFont('regular', asFontSource(regular));
  doc.registerFont('bold', asFontSource(bold));

  const w = new Writer(doc);
  w.firstPageHeader(quote, logo, logoRatio);
  w.linesTable(quote.lines);
  w.closingBlocks(quote);
  w.pageFurniture(quote);

  doc.end();
  await finished;
  const pdf = Buffer.concat(chunks);
  return new Uint8Array(pdf.buffer, pdf.byteOffset, pdf.byteLength);
}

class Writer {
  readonly doc: Doc;
  y = TOP;
  /** The font size set by the last style(). */
  private fontSize: number = size.body;

  constructor(doc: Doc) {
    this.doc = doc;
  }

  // -- primitives --

  private style(font: 'regular' | 'bold', fontSize: number, color: string = colour.text): this {
    this.doc.font(font).fontSize(fontSize).fillColor(color);
    this.fontSize = fontSize;
    return this;
  }

  /**
   * One line of text, no wrapping, at (x, y). Within `width` when given: aligned, and set smaller
   * (down to 75 %) if it would not fit, so that a long name or a large amount never runs over.
   */
  private line(text: string, x: number, y: number, opts: { width?: number; align?: 'left' | 'right' | 'center' } = {}): void {
    const doc = this.doc;
    let textWidth = doc.widthOfString(text);
    const fontSize = this.fontSize;
    if (opts.width !== undefined && textWidth > opts.width) {
      doc.fontSize(Math.max(fontSize * (opts.width / textWidth), fontSize * 0.75));
      textWidth = doc.widthOfString(text);
    }
    let at = x;
    if (opts.width !== undefined && opts.align && opts.align !== 'left') {
      at = opts.align === 'right' ? x + opts.width - textWidth : x + (opts.width - textWidth) / 2;
    }
    doc.text(text, at, y, { lineBreak: false });
    doc.fontSize(fontSize);
  }

  /** A wrapped paragraph at (x, y) in `width`; returns its height. */
  private paragraph(text: string, x: number, y: number, width: number, lineGap = 2): number {
    const height = this.doc.heightOfString(text, { width, lineGap });
    this.doc.text(text, x, y, { width, lineGap });
    return height;
  }

  private measure(text: string, width: number, lineGap = 2): number {
    return this.doc.heightOfString(text, { width, lineGap });
  }

  private newPage(): void {
    this.doc.addPage();
    // The running header of pages 2+ is drawn at the end (pageFurniture); content starts below it.
    this.y = TOP + 26;
  }

  /** Starts a new page unless `height` fits below the current position. */
  private ensure(height: number): boolean {
    if (this.y + height <= CONTENT_BOTTOM) return false;
    this.newPage();
    return true;
  }

  private label(text: string, x: number, y: number): void {
    this.style('bold', size.label, colour.brand);
    this.line(text.toUpperCase(), x, y);
  }

  // -- page 1 header --

  firstPageHeader(q: QuoteDocument, logo: Buffer, logoRatio: number): void {
    const doc = this.doc;
    const logoHeight = 34;
    doc.image(logo, LEFT - 3, TOP - 2, { height: logoHeight, width: logoHeight * logoRatio });

    // Right: what this document is. Single lines, right-aligned, clear of the logo and of the left column.
    const right = (text: string, y: number) => this.line(text, LEFT, y, { width: WIDTH, align: 'right' });
    let ry = TOP;
    this.style('bold', size.title, colour.brand);
    right(`Devis n° ${q.number}`, ry);
    ry += 22;
    this.style('regular', size.body);
    right(`Révision ${q.revision}`, ry);
    ry += 14;
    if (q.supersedes) {
      this.style('regular', size.small, colour.muted);
      right(`annule et remplace le devis n° ${q.supersedes.number} révision ${q.supersedes.revision}`, ry);
      ry += 14;
    }
    this.style('regular', size.body);
    right(`Date du devis : ${formatDate(q.issueDate)}`, ry);
    ry += 14;
    this.style('bold', size.body);
    right(`Valable jusqu’au ${formatDate(q.validUntil)} (${q.validityDays} jours)`, ry);
    ry += 14;

    // Left, under the logo: who issues it and who to call.
    let ly = TOP + logoHeight + 10;
    this.style('bold', size.body + 0.5);
    this.line(q.issuer.legalName, LEFT, ly);
    ly += 14;
    this.style('regular', size.small, colour.muted);
    for (const text of [oneLineAddress(q.issuer.address), `Oui Ensemble — ${q.territory}`]) {
      this.line(text, LEFT, ly);
      ly += 12;
    }
    ly += 4;
    this.style('bold', size.body);
    this.line(`Votre contact : ${q.entrepreneur.name}`, LEFT, ly);
    ly += 13;
    this.style('regular', size.small, colour.muted);
    const contact = [q.entrepreneur.phone, q.entrepreneur.email].filter((s): s is string => Boolean(s));
    if (contact.length > 0) {
      this.line(contact.join(' · '), LEFT, ly);
      ly += 12;
    }

    // Client and place of work, side by side; long names and addresses wrap inside the box.
    let y = Math.max(ly, ry) + 12;
    const gap = 12;
    const boxWidth = (WIDTH - gap) / 2;
    const pad = 12;
    const inner = boxWidth - 2 * pad;
    const siteLines = addressLines(q.siteAddress);
    const boxes = [
      { x: LEFT, title: 'Client', name: q.client.name, lines: [...addressLines(q.client.address), ...(q.client.siret ? [`SIRET ${formatSiret(q.client.siret)}`] : [])] },
      { x: LEFT + boxWidth + gap, title: 'Adresse des travaux', name: siteLines[0]!, lines: siteLines.slice(1) },
    ].map((b) => {
      this.style('bold', size.body + 1);
      const nameHeight = this.measure(b.name, inner, 1);
      this.style('regular', size.body);
      const linesHeight = this.measure(b.lines.join('\n'), inner, 1);
      return { ...b, nameHeight, height: 23 + nameHeight + 3 + linesHeight + 10 };
    });
    const boxHeight = Math.max(...boxes.map((b) => b.height));
    for (const b of boxes) {
      doc.roundedRect(b.x, y, boxWidth, boxHeight, 4).fill(colour.brandLight);
      this.label(b.title, b.x + pad, y + 9);
      this.style('bold', size.body + 1);
      doc.text(b.name, b.x + pad, y + 23, { width: inner, lineGap: 1 });
      this.style('regular', size.body);
      doc.text(b.lines.join('\n'), b.x + pad, y + 23 + b.nameHeight + 3, { width: inner, lineGap: 1 });
    }
    y += boxHeight + 16;

    // What the works are.
    this.style('bold', size.heading);
    y += this.paragraph(`Objet : ${q.title}`, LEFT, y, WIDTH, 1) + 10;
    this.y = y;
  }

  // -- the lines --

  private tableHeader(): void {
    const doc = this.doc;
    doc.rect(LEFT, this.y, WIDTH, HEADER_ROW_HEIGHT).fill(colour.brand);
    this.style('bold', size.body, colour.white);
    for (const c of columns) this.line(c.title, c.x + CELL_PAD_X, this.y + 5.5, { width: c.width - 2 * CELL_PAD_X, align: c.align });
    this.y += HEADER_ROW_HEIGHT;
  }

  private sectionHeight(title: string): number {
    this.style('bold', size.body + 0.5);
    return Math.max(SECTION_ROW_HEIGHT, this.measure(title, WIDTH - 2 * CELL_PAD_X, 1) + 10);
  }

  private sectionRow(title: string, height: number): void {
    this.doc.rect(LEFT, this.y, WIDTH, height).fill(colour.brandLight);
    this.style('bold', size.body + 0.5, colour.brand);
    this.doc.text(title, LEFT + CELL_PAD_X, this.y + 5, { width: WIDTH - 2 * CELL_PAD_X, lineGap: 1 });
    this.y += height;
  }

  private lineHeight(line: DocumentLine): number {
    this.style('regular', size.body);
    return this.measure(line.description, columns[0]!.width - 2 * CELL_PAD_X, 1) + 2 * CELL_PAD_Y;
  }

  private lineRow(line: DocumentLine, height: number, zebra: boolean): void {
    const doc = this.doc;
    if (zebra) doc.rect(LEFT, this.y, WIDTH, height).fill(colour.zebra);
    const cells: Record<(typeof columns)[number]['key'], string> = {
      description: line.description,
      quantity: formatQuantity(line.quantity),
      unit: unitLabels[line.unit],
      unitPrice: formatEuros(line.unitPriceCents),
      rate: formatRate(line.vatRate),
      total: formatEuros(line.totalCents),
    };
    const top = this.y + CELL_PAD_Y;
    this.style('regular', size.body);
    for (const c of columns) {
      const text = cells[c.key];
      const inner = c.width - 2 * CELL_PAD_X;
      if (c.key === 'description') this.doc.text(text, c.x + CELL_PAD_X, top, { width: inner, lineGap: 1 });
      else this.line(text, c.x + CELL_PAD_X, top, { width: inner, align: c.align });
    }
    this.y += height;
    doc.moveTo(LEFT, this.y).lineTo(RIGHT, this.y).lineWidth(0.5).strokeColor(colour.rule).stroke();
  }

  linesTable(lines: readonly DocumentLine[]): void {
    if (this.y + HEADER_ROW_HEIGHT + SECTION_ROW_HEIGHT + 40 > CONTENT_BOTTOM) this.newPage();
    this.tableHeader();
    let section: string | undefined;
    let zebra = false;
    lines.forEach((line) => {
      const height = this.lineHeight(line);
      const newSection = line.section !== undefined && line.section !== section;
      const sectionHeight = newSection ? this.sectionHeight(line.section!) : 0;
      const needed = height + sectionHeight;
      if (this.y + needed > CONTENT_BOTTOM) {
        this.newPage();
        this.tableHeader();
        // A section that goes on over the page says so.
        if (!newSection && section !== undefined) {
          const title = `${section} (suite)`;
          this.sectionRow(title, this.sectionHeight(title));
        }
      }
      if (newSection) {
        this.sectionRow(line.section!, sectionHeight);
        zebra = false;
      }
      section = line.section;
      this.lineRow(line, height, zebra);
      zebra = !zebra;
    });
    this.y += 14;
  }

  // -- after the lines --

  closingBlocks(q: QuoteDocument): void {
    this.totalsBlock(q);
    this.conditionsBlock(q);
    this.performerBlock(q);
    if (q.notes) this.notesBlock(q.notes);
    this.acceptanceBlock(q);
  }

  private totalsBlock(q: QuoteDocument): void {
    const doc = this.doc;
    const rowH = 17;
    const vatRows = q.totals.vat.length;
    const leftWidth = 270;
    const rightWidth = 220;
    const rightX = RIGHT - rightWidth;
    const leftHeight = 16 + rowH * (vatRows + 1);
    const rightHeight = rowH * (vatRows + 1) + 28;
    this.ensure(Math.max(leftHeight, rightHeight) + 6);
    const top = this.y;

    // VAT per rate (base, VAT).
    this.label('Détail de la TVA', LEFT, top);
    let y = top + 14;
    const cols = [
      { title: 'Taux', x: LEFT, width: 60, align: 'left' as const },
      { title: 'Base HT', x: LEFT + 60, width: 110, align: 'right' as const },
      { title: 'TVA', x: LEFT + 170, width: 100, align: 'right' as const },
    ];
    this.style('bold', size.small, colour.muted);
    for (const c of cols) this.line(c.title, c.x, y + 3, { width: c.width, align: c.align });
    y += rowH;
    doc.moveTo(LEFT, y - 2).lineTo(LEFT + leftWidth, y - 2).lineWidth(0.5).strokeColor(colour.rule).stroke();
    this.style('regular', size.body);
    for (const v of q.totals.vat) {
      const cells = [formatRate(v.rate), formatEuros(v.baseCents), formatEuros(v.vatCents)];
      cols.forEach((c, i) => this.line(cells[i]!, c.x, y + 2, { width: c.width, align: c.align }));
      y += rowH;
    }

    // Totals.
    y = top;
    const row = (labelText: string, amount: string) => {
      this.line(labelText, rightX + 10, y + 3);
      this.line(amount, rightX, y + 3, { width: rightWidth - 10, align: 'right' });
      y += rowH;
    };
    this.style('regular', size.body);
    row('Total HT', formatEuros(q.totals.netCents));
    for (const v of q.totals.vat) row(`TVA ${formatRate(v.rate)}`, formatEuros(v.vatCents));
    y += 3;
    doc.roundedRect(rightX, y, rightWidth, 24, 3).fill(colour.brand);
    this.style('bold', size.heading, colour.white);
    this.line('Total TTC', rightX + 10, y + 5.5);
    this.line(formatEuros(q.totals.grossCents), rightX, y + 5.5, { width: rightWidth - 10, align: 'right' });
    y += 24;
    this.y = Math.max(top + leftHeight, y) + 14;
  }

  private conditionsBlock(q: QuoteDocument): void {
    const items: [string, string][] = [];
    if (q.depositPercent > 0) {
      items.push(['Acompte à la commande', `${formatPercent(q.depositPercent)} soit ${formatEuros(q.totals.depositCents)} TTC`]);
      items.push(['Solde', 'à la fin des travaux, à réception de la facture']);
    } else {
      items.push(['Paiement', 'aucun acompte ; paiement à la fin des travaux, à réception de la facture']);
    }
    items.push(['Prix du devis', q.feeCents > 0 ? `Devis payant : ${formatEuros(q.feeCents)} TTC` : 'Devis gratuit']);
    this.definitionList('Conditions', items);
  }

  /** A titled block of "label : text" items, each item on its own line(s). */
  private definitionList(title: string, items: readonly [string, string][]): void {
    const texts = items.map(([k, v]) => `${k} : ${v}`);
    this.style('bold', size.body);
    const height = 16 + texts.reduce((sum, t) => sum + this.measure(t, WIDTH, 2) + 3, 0);
    this.ensure(height);
    this.label(title, LEFT, this.y);
    this.y += 15;
    for (const [k, v] of items) {
      this.style('bold', size.body);
      this.doc.text(`${k} : `, LEFT, this.y, { continued: true, width: WIDTH, lineGap: 2 });
      this.style('regular', size.body);
      this.doc.text(v, { lineGap: 2 });
      this.y = this.doc.y + 3;
    }
    this.y += 10;
  }

  private performerBlock(q: QuoteDocument): void {
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
            ? ['Qualification RGE', `${p.rge.body}, certificat n° ${p.rge.certificateNumber}, valable jusqu’au ${formatDate(p.rge.validUntil)} ; domaines : ${p.rge.domains.join(', ')}`]
            : ['Qualification RGE', 'aucune qualification RGE n’est enregistrée pour cette entreprise ; cette qualification conditionne les aides à la rénovation énergétique (MaPrimeRénov’, CEE)'],
        );
      }
    } else {
      items.push(['Entreprise', 'l’entreprise partenaire qui réalisera les travaux vous sera indiquée avant leur début, avec son attestation d’assurance décennale']);
      if (energy) {
        items.push(['Qualification RGE', 'travaux de rénovation énergétique : la qualification RGE de l’entreprise (organisme, numéro), nécessaire aux aides MaPrimeRénov’ et CEE, vous sera communiquée avant le début des travaux']);
      }
    }
    this.definitionList('Entreprise qui réalisera les travaux', items);
  }

  private notesBlock(notes: string): void {
    this.style('regular', size.body);
    this.ensure(16 + this.measure(notes, WIDTH));
    this.label('Remarques', LEFT, this.y);
    this.y += 15;
    this.style('regular', size.body);
    this.y += this.paragraph(notes, LEFT, this.y, WIDTH) + 12;
  }

  /** The client's VAT certification (when a reduced rate applies) and the "Bon pour accord", kept together. */
  private acceptanceBlock(q: QuoteDocument): void {
    const doc = this.doc;
    const certification = certificationText(q);
    const pad = 10;
    const innerWidth = WIDTH - 2 * pad;
    this.style('regular', size.body);
    const certHeight = certification ? 14 + 16 + this.measure(certification, innerWidth, 2) + pad + 10 : 0;
    const signHeight = 38 + 114;
    this.ensure(certHeight + signHeight);

    if (certification) {
      const top = this.y;
      doc.roundedRect(LEFT, top, WIDTH, certHeight - 10, 4).lineWidth(0.8).strokeColor(colour.brand).stroke();
      this.label(q.vatCertification === 'reduced-energy' ? 'Attestation du client — TVA à taux réduit (10 % et 5,5 %)' : 'Attestation du client — TVA à taux réduit (10 %)', LEFT + pad, top + pad);
      this.style('regular', size.body);
      this.paragraph(certification, LEFT + pad, top + pad + 16, innerWidth, 2);
      this.y = top + certHeight;
    }

    // The mention, then what signing means (left) and the boxes to fill (right).
    this.style('bold', size.body + 1, colour.brand);
    this.line('Bon pour accord', LEFT, this.y + 2);
    this.style('bold', size.body);
    this.line('Devis reçu avant l’exécution des travaux.', LEFT, this.y + 20);
    const top = this.y + 38;
    const gap = 14;
    const leftWidth = 220;
    const boxX = LEFT + leftWidth + gap;
    const boxWidth = RIGHT - boxX;
    this.style('regular', size.body, colour.muted);
    const how = certification
      ? 'Pour accepter ce devis, datez, écrivez votre nom, signez et ajoutez à la main «\u00a0Bon pour accord\u00a0». Votre signature vaut aussi l’attestation pour la TVA.'
      : 'Pour accepter ce devis, datez, écrivez votre nom, signez et ajoutez à la main «\u00a0Bon pour accord\u00a0».';
    this.paragraph(how, LEFT, top, leftWidth);

    doc.roundedRect(boxX, top, boxWidth, 104, 4).lineWidth(0.8).strokeColor(colour.rule).stroke();
    this.style('regular', size.body);
    const field = (text: string, fy: number, lineFrom: number) => {
      this.line(text, boxX + 10, fy);
      doc.moveTo(boxX + lineFrom, fy + 11).lineTo(boxX + boxWidth - 12, fy + 11).lineWidth(0.5).strokeColor(colour.rule).dash(1.5, { space: 2 }).stroke().undash();
    };
    field('Date :', top + 12, 48);
    field('Nom :', top + 34, 48);
    this.line('Signature :', boxX + 10, top + 56);
    this.y = top + 114;
  }

  // -- on every page --

  /** Running header (pages 2+), legal identity and « Page n / N » (every page). */
  pageFurniture(q: QuoteDocument): void {
    const doc = this.doc;
    const range = doc.bufferedPageRange();
    const total = range.count;
    const i = q.issuer;
    const identity = [
      `${i.legalName} — ${i.legalForm} au capital de ${formatEuros(i.shareCapitalCents)}`,
      `${oneLineAddress(i.address)} — SIRET ${formatSiret(i.siret)} — ${i.rcs}`,
      `TVA intracommunautaire ${i.vatNumber}`,
    ];
    for (let page = range.start; page < range.start + total; page++) {
      doc.switchToPage(page);
      const n = page - range.start + 1;
      if (n > 1) {
        this.style('regular', size.small, colour.muted);
        this.line(`Devis n° ${q.number} — révision ${q.revision} — ${q.client.name}`, LEFT, TOP, { width: WIDTH - 110 });
        this.line(formatDate(q.issueDate), LEFT, TOP, { width: WIDTH, align: 'right' });
        doc.moveTo(LEFT, TOP + 15).lineTo(RIGHT, TOP + 15).lineWidth(0.5).strokeColor(colour.rule).stroke();
      }
      const footerTop = PAGE_HEIGHT - 50;
      doc.moveTo(LEFT, footerTop).lineTo(RIGHT, footerTop).lineWidth(0.5).strokeColor(colour.rule).stroke();
      this.style('regular', 8, colour.muted);
      identity.forEach((text, k) => this.line(text, LEFT, footerTop + 6 + 10 * k, { width: WIDTH - 80 }));
      this.style('bold', size.body);
      this.line(`Page ${n} / ${total}`, LEFT, footerTop + 10, { width: WIDTH, align: 'right' });
    }
  }
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
