/**
 * The page furniture shared by the documents clients read (quotes, invoices, credit notes): A4,
 * French, for a reader who may be elderly (body text 10 pt and more, one idea per block, generous
 * spacing). Pure: a document is a function of resolved values; these helpers format, they never
 * compute an amount.
 *
 * - `renderPdf(meta, draw)`: one pdfkit document with the shared fonts (assets.ts), buffered pages,
 *   deterministic (dated by the document's own date), returned as bytes;
 * - `PdfWriter`: text primitives (single lines that shrink rather than overflow, wrapped
 *   paragraphs, page breaks), the letterhead (logo, what the document is, who issues it), the two
 *   party boxes, the lines table (header repeated on every page, section bands, « (suite) »), the
 *   VAT-per-rate table with the totals box (CGI ann. II 242 nonies A), titled lists, notes, and
 *   on every page the running header, the legal identity of the issuer and « Page n / N ».
 */
/**
 * pdfkit and fontkit are evaluated with the function's import: every function that renders
 * documents does so on its main path (a bundle that holds this module only through a lazy import,
 * as the referrals hold the business invoices, keeps it lazy). Loaded lazily instead (`import('pdfkit')` at the first
 * document, which esbuild turns into a module wrapped in a function called on first use), the cold
 * path of SendQuote, import then first quote, took 7 ms more: 165 against 158 ms, medians of 21
 * fresh processes each (scripts/bench/pdf-cold.ts). The fonts (./assets.ts) are read at the first
 * document, as before.
 */
import PDFDocument from 'pdfkit';
import { formatDate, formatEuros, formatQuantity, formatRate, unitLabels } from '../french.ts';
import type { Totals } from '../pricing.ts';
import type { DocumentLine, IssuerIdentity, PostalAddress } from '../documents.ts';
import { asFontSource, loadPdfAssets } from './assets.ts';
import { drawnHeight, drawnInCell, measuredHeight, withWordsFoundNatively } from './pdfkit-text.ts';

// ---- Page geometry and style ----------------------------------------------------------------

export const PAGE_WIDTH = 595.28;
export const PAGE_HEIGHT = 841.89;
export const LEFT = 42;
export const RIGHT = PAGE_WIDTH - 42;
export const WIDTH = RIGHT - LEFT;
export const TOP = 38;
/** Content stops here; the footer (legal identity, page number) lives below. */
export const CONTENT_BOTTOM = PAGE_HEIGHT - 58;
/** Content of pages 2+ starts here, below the running header. */
const PAGE_CONTENT_TOP = TOP + 26;

export const colour = {
  text: '#1d2624',
  muted: '#55615e',
  brand: '#1f6f5c',
  brandLight: '#e9f2ef',
  rule: '#c9d3d0',
  zebra: '#f6f8f7',
  white: '#ffffff',
} as const;

export const size = { body: 10, small: 9, label: 8.5, heading: 11.5, title: 15 } as const;

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

export const addressLines = (a: PostalAddress): string[] => [a.line1, ...(a.line2 ? [a.line2] : []), `${a.postalCode} ${a.city}`];
export const oneLineAddress = (a: PostalAddress): string => addressLines(a).join(', ');
/** 90112244000018 → "901 122 440 00018" */
export const formatSiret = (siret: string): string => siret.replace(/^(\d{3})(\d{3})(\d{3})(\d{5})$/, '$1 $2 $3 $4');
/** The SIREN of a SIRET (its first 9 digits) → "901 122 440" */
export const formatSiren = (siret: string): string => siret.slice(0, 9).replace(/^(\d{3})(\d{3})(\d{3})$/, '$1 $2 $3');
export const formatPercent = (percent: number): string => formatRate(String(percent));

// ---- The document -----------------------------------------------------------------------------

export type Doc = InstanceType<typeof PDFDocument>;

export interface PdfMeta {
  readonly title: string;
  readonly subject: string;
  readonly author: string;
  /** The document's date (YYYY-MM-DD): its creation date, so the same document gives the same bytes. */
  readonly date: string;
}

/** Renders one A4 document with the shared fonts; `draw` lays it out. */
export async function renderPdf(
  meta: PdfMeta,
  draw: (writer: PdfWriter, assets: { logo: Buffer; logoRatio: number }) => void,
): Promise<Uint8Array> {
  const { regular, bold, logo, logoRatio } = loadPdfAssets();
  const dated = new Date(`${meta.date}T00:00:00Z`);
  const doc: Doc = new PDFDocument({
    size: 'A4',
    // The bottom margin is small so that pdfkit never adds a page by itself; the layout stops at CONTENT_BOTTOM.
    margins: { top: TOP, left: LEFT, right: PAGE_WIDTH - RIGHT, bottom: 20 },
    bufferPages: true,
    font: asFontSource(regular),
    lang: 'fr-FR',
    displayTitle: true,
    info: {
      Title: meta.title,
      Subject: meta.subject,
      Author: meta.author,
      Creator: 'Oui Ensemble',
      Producer: 'Oui Ensemble (pdfkit)',
      CreationDate: dated,
      ModDate: dated,
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
  reopenDefaultFontCheaply(doc, 'regular');

  draw(new PdfWriter(doc), { logo, logoRatio });

  doc.end();
  await finished;
  const pdf = Buffer.concat(chunks);
  return new Uint8Array(pdf.buffer, pdf.byteOffset, pdf.byteLength);
}

/** The fields of pdfkit 0.20.2's FontsMixin that `doc.font(name)` sets (its types do not declare them). */
interface FontState {
  _font: EmbeddedFontState | null;
  _fontSource: unknown;
  _fontFamily: unknown;
  _fontCount: number;
  _registeredFonts: Record<string, { src: unknown; family: unknown } | undefined>;
}

/** What an EmbeddedFont of pdfkit 0.20.2 keeps: its fontkit font, and its layouts by word (`fontLayoutCache`). */
interface EmbeddedFontState {
  readonly font?: object;
  layoutCache?: Record<string, unknown>;
}

/** The layouts pdfkit computed, by fontkit font then by word, for every document of the container. */
const layoutsByFont = new WeakMap<object, Record<string, unknown>>();
/** Words (and runs of spaces) kept per font before the store starts again, a few MB at most. */
const LAYOUTS_KEPT = 20_000;
const layoutsCounted = new WeakMap<object, number>();

/**
 * The document's font keeps its layouts (word → glyphs and positions, scaled) in the store shared by
 * every document of the container rather than in its own, so a word is shaped (fontkit's GSUB and
 * GPOS) once per container instead of once per document. pdfkit never changes a layout it keeps (it
 * copies a position before adding word spacing), and a layout depends only on the font and the word:
 * the bytes are those of a store per document.
 */
function shareLayouts(font: EmbeddedFontState | null): void {
  if (!font?.font || !font.layoutCache) return;
  withWordsFoundNatively(font);
  let layouts = layoutsByFont.get(font.font);
  if (!layouts || (layoutsCounted.get(layouts) ?? 0) > LAYOUTS_KEPT) {
    layouts = Object.create(null) as Record<string, unknown>;
    layoutsByFont.set(font.font, layouts);
  }
  if (font.layoutCache === layouts) return;
  layoutsCounted.set(layouts, Object.keys(layouts).length);
  font.layoutCache = layouts;
}

/**
 * `doc.font(name)` for the registered font that is also the document's default, without the work
 * and with the same effect. pdfkit 0.20.2 never caches such a font under its name: each call opens
 * it again (a new EmbeddedFont, its subset), finds the default by its PostScript name, compares
 * both fonts' name tables through JSON.stringify, and keeps the default — hundreds of times per
 * document, a fifth of a render. Each call still takes a font number (`F<n>`), and the number
 * names the next font opened (bold) in the PDF: the same count is kept, so the bytes are those
 * pdfkit gives (test/unit/legacy-documents.test.ts). pdfkit is pinned; its FontsMixin.font is
 * what this copies.
 */
function reopenDefaultFontCheaply(doc: Doc, name: string): void {
  const state = doc as unknown as FontState;
  const defaultFont = state._font;
  const registered = state._registeredFonts[name];
  // Only for the very font the document opened as its default (the same parsed fontkit font).
  if (!defaultFont || !registered || registered.src !== state._fontSource) throw new Error(`${name} is not the document's default font`);
  shareLayouts(defaultFont);
  const font = doc.font.bind(doc);
  doc.font = ((src: unknown, ...rest: unknown[]) => {
    if (src !== name || rest.length > 0) {
      font(src as string, ...(rest as [string]));
      shareLayouts(state._font);
      return doc;
    }
    state._fontSource = registered.src;
    state._fontFamily = registered.family;
    state._fontCount += 1;
    state._font = defaultFont;
    return doc;
  }) as Doc['font'];
}

/** One line of the letterhead's right column (what the document is), right-aligned. */
export interface HeadLine {
  readonly text: string;
  /** title: the document's name and number; strong: bold body; plain: body; note: small, muted. */
  readonly kind: 'title' | 'strong' | 'plain' | 'note';
}

/** A box of the party row: a label, a name in bold, then lines. */
export interface PartyBox {
  readonly title: string;
  readonly name: string;
  readonly lines: readonly string[];
}

export interface TotalsLabels {
  readonly vatTitle: string;
  readonly net: string;
  readonly gross: string;
}

const quoteLikeTotals: TotalsLabels = { vatTitle: 'Détail de la TVA', net: 'Total HT', gross: 'Total TTC' };

export class PdfWriter {
  readonly doc: Doc;
  y = TOP;
  /** The font size set by the last style(). */
  private fontSize: number = size.body;
  /**
   * What separates a label from its text (« Objet : », « Votre contact : »): a plain space before the
   * colon for the documents rendered before; « edition 2 » renderers set the no-break space.
   */
  colon = ' : ';

  /** Whether a list longer than a page goes on to the next between its items (edition 3 of the quotes on). */
  listsGoOnAcrossPages = false;

  constructor(doc: Doc) {
    this.doc = doc;
  }

  // -- primitives --

  style(font: 'regular' | 'bold', fontSize: number, color: string = colour.text): this {
    this.doc.font(font).fontSize(fontSize).fillColor(color);
    this.fontSize = fontSize;
    return this;
  }

  /**
   * One line of text, no wrapping, at (x, y). Within `width` when given: aligned, and set smaller
   * (down to 75 %) if it would not fit, so that a long name or a large amount never runs over.
   */
  line(text: string, x: number, y: number, opts: { width?: number; align?: 'left' | 'right' | 'center' } = {}): void {
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
  paragraph(text: string, x: number, y: number, width: number, lineGap = 2): number {
    return drawnHeight(this.doc, text, x, y, width, lineGap);
  }

  measure(text: string, width: number, lineGap = 2): number {
    return measuredHeight(this.doc, text, width, lineGap);
  }

  newPage(): void {
    this.doc.addPage();
    // The running header of pages 2+ is drawn at the end (pageFurniture); content starts below it.
    this.y = PAGE_CONTENT_TOP;
  }

  /** Starts a new page unless `height` fits below the current position. */
  ensure(height: number): boolean {
    if (this.y + height <= CONTENT_BOTTOM) return false;
    this.newPage();
    return true;
  }

  label(text: string, x: number, y: number): void {
    this.style('bold', size.label, colour.brand);
    this.line(text.toUpperCase(), x, y);
  }

  rule(y: number, from = LEFT, to = RIGHT): void {
    this.doc.moveTo(from, y).lineTo(to, y).lineWidth(0.5).strokeColor(colour.rule).stroke();
  }

  // -- page 1: letterhead, parties, object --

  /**
   * The logo; on the right, what the document is (`head`, one line each, clear of the logo); on
   * the left, under the logo, the issuer and the entrepreneur to call. Leaves `y` below both.
   */
  letterhead(
    assets: { logo: Buffer; logoRatio: number },
    head: readonly HeadLine[],
    who: {
      issuer: IssuerIdentity;
      territory: string;
      entrepreneur: { name: string; email?: string | undefined; phone?: string | undefined };
    },
  ): void {
    const logoHeight = 34;
    const logoWidth = logoHeight * assets.logoRatio;
    this.doc.image(assets.logo, LEFT - 3, TOP - 2, { height: logoHeight, width: logoWidth });

    // Right: single lines, right-aligned; the title (beside the logo) is set smaller if it would reach it.
    const right = (text: string, y: number) => this.line(text, LEFT, y, { width: WIDTH, align: 'right' });
    let ry = TOP;
    for (const h of head) {
      if (h.kind === 'title') {
        this.style('bold', size.title, colour.brand);
        const room = WIDTH - logoWidth - 12;
        if (this.doc.widthOfString(h.text) > room) this.line(h.text, RIGHT - room, ry, { width: room, align: 'right' });
        else right(h.text, ry);
        ry += 22;
        continue;
      }
      if (h.kind === 'note') this.style('regular', size.small, colour.muted);
      else this.style(h.kind === 'strong' ? 'bold' : 'regular', size.body);
      right(h.text, ry);
      ry += 14;
    }

    // Left, under the logo: who issues it and who to call.
    let ly = TOP + logoHeight + 10;
    this.style('bold', size.body + 0.5);
    this.line(who.issuer.legalName, LEFT, ly);
    ly += 14;
    this.style('regular', size.small, colour.muted);
    for (const text of [oneLineAddress(who.issuer.address), `Oui Ensemble — ${who.territory}`]) {
      this.line(text, LEFT, ly);
      ly += 12;
    }
    ly += 4;
    this.style('bold', size.body);
    this.line(`Votre contact${this.colon}${who.entrepreneur.name}`, LEFT, ly);
    ly += 13;
    this.style('regular', size.small, colour.muted);
    const contact = [who.entrepreneur.phone, who.entrepreneur.email].filter((s): s is string => Boolean(s));
    if (contact.length > 0) {
      this.line(contact.join(' · '), LEFT, ly);
      ly += 12;
    }
    this.y = Math.max(ly, ry) + 12;
  }

  /** Two boxes side by side (e.g. the client and the place of work); long names and addresses wrap inside. */
  partyBoxes(left: PartyBox, right: PartyBox): void {
    const doc = this.doc;
    let y = this.y;
    const gap = 12;
    const boxWidth = (WIDTH - gap) / 2;
    const pad = 12;
    const inner = boxWidth - 2 * pad;
    const boxes = [
      { x: LEFT, ...left },
      { x: LEFT + boxWidth + gap, ...right },
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
    this.y = y;
  }

  /** « Objet : … », bold, wrapped. */
  subject(text: string): void {
    this.style('bold', size.heading);
    this.y += this.paragraph(`Objet${this.colon}${text}`, LEFT, this.y, WIDTH, 1) + 10;
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
      // The cells after it place themselves: the document's position after the description does not matter.
      if (c.key === 'description') drawnInCell(this.doc, text, c.x + CELL_PAD_X, top, inner, 1);
      else this.line(text, c.x + CELL_PAD_X, top, { width: inner, align: c.align });
    }
    this.y += height;
    doc.moveTo(LEFT, this.y).lineTo(RIGHT, this.y).lineWidth(0.5).strokeColor(colour.rule).stroke();
  }

  /** The lines: quantity, unit, unit price HT, VAT rate, total HT; header repeated on each page, sections as bands. */
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

  /** VAT per rate (base, VAT) on the left; total HT, VAT per rate and total TTC on the right. */
  totalsBlock(totals: Totals, labels: TotalsLabels = quoteLikeTotals): void {
    const doc = this.doc;
    const rowH = 17;
    const vatRows = totals.vat.length;
    const leftWidth = 270;
    const rightWidth = 220;
    const rightX = RIGHT - rightWidth;
    const leftHeight = 16 + rowH * (vatRows + 1);
    const rightHeight = rowH * (vatRows + 1) + 28;
    this.ensure(Math.max(leftHeight, rightHeight) + 6);
    const top = this.y;

    // VAT per rate (base, VAT).
    this.label(labels.vatTitle, LEFT, top);
    let y = top + 14;
    const cols = [
      { title: 'Taux', x: LEFT, width: 60, align: 'left' as const },
      { title: 'Base HT', x: LEFT + 60, width: 110, align: 'right' as const },
      { title: 'TVA', x: LEFT + 170, width: 100, align: 'right' as const },
    ];
    this.style('bold', size.small, colour.muted);
    for (const c of cols) this.line(c.title, c.x, y + 3, { width: c.width, align: c.align });
    y += rowH;
    doc
      .moveTo(LEFT, y - 2)
      .lineTo(LEFT + leftWidth, y - 2)
      .lineWidth(0.5)
      .strokeColor(colour.rule)
      .stroke();
    this.style('regular', size.body);
    for (const v of totals.vat) {
      const cells = [formatRate(v.rate), formatEuros(v.baseCents), formatEuros(v.vatCents)];
      cols.forEach((c, i) => this.line(cells[i]!, c.x, y + 2, { width: c.width, align: c.align }));
      y += rowH;
    }

    // Totals. A label never runs into its amount: it is set smaller if it would.
    y = top;
    const labelRoom = (amount: string) => rightWidth - 26 - this.doc.widthOfString(amount);
    const row = (labelText: string, amount: string) => {
      this.line(labelText, rightX + 10, y + 3, { width: labelRoom(amount) });
      this.line(amount, rightX, y + 3, { width: rightWidth - 10, align: 'right' });
      y += rowH;
    };
    this.style('regular', size.body);
    row(labels.net, formatEuros(totals.netCents));
    for (const v of totals.vat) row(`TVA ${formatRate(v.rate)}`, formatEuros(v.vatCents));
    y += 3;
    doc.roundedRect(rightX, y, rightWidth, 24, 3).fill(colour.brand);
    this.style('bold', size.heading, colour.white);
    const gross = formatEuros(totals.grossCents);
    this.line(labels.gross, rightX + 10, y + 5.5, { width: labelRoom(gross) });
    this.line(gross, rightX, y + 5.5, { width: rightWidth - 10, align: 'right' });
    y += 24;
    this.y = Math.max(top + leftHeight, y) + 14;
  }

  /**
   * A titled block of "label : text" items, each item on its own line(s), kept on one page. A list
   * longer than a page (a large quote's RGE coverage, line run by line run) goes on from page to page
   * between its items, its title repeated with « (suite) », when `listsGoOnAcrossPages` is set
   * (edition 3 of the quotes); the renderers frozen before it keep theirs, which ran over the footer.
   */
  definitionList(title: string, items: readonly (readonly [string, string])[], colon = this.colon): void {
    const texts = items.map(([k, v]) => `${k}${colon}${v}`);
    this.style('bold', size.body);
    const itemHeights = texts.map((t) => this.measure(t, WIDTH, 2));
    const height = 16 + itemHeights.reduce((sum, h) => sum + h + 3, 0);
    const onOnePage = !this.listsGoOnAcrossPages || height <= CONTENT_BOTTOM - PAGE_CONTENT_TOP;
    this.ensure(onOnePage ? height : 16 + (itemHeights[0] ?? 0) + 3);
    this.label(title, LEFT, this.y);
    this.y += 15;
    for (const [i, [k, v]] of items.entries()) {
      // The first item was made room for with the title.
      if (!onOnePage && i > 0 && this.ensure((itemHeights[i] ?? 0) + 3)) {
        this.label(`${title} (suite)`, LEFT, this.y);
        this.y += 15;
      }
      this.style('bold', size.body);
      this.doc.text(`${k}${colon}`, LEFT, this.y, { continued: true, width: WIDTH, lineGap: 2 });
      this.style('regular', size.body);
      this.doc.text(v, { lineGap: 2 });
      this.y = this.doc.y + 3;
    }
    this.y += 10;
  }

  /** A titled free text (the notes of the document). */
  notesBlock(notes: string, title = 'Remarques'): void {
    this.style('regular', size.body);
    this.ensure(16 + this.measure(notes, WIDTH));
    this.label(title, LEFT, this.y);
    this.y += 15;
    this.style('regular', size.body);
    this.y += this.paragraph(notes, LEFT, this.y, WIDTH) + 12;
  }

  /** A framed paragraph with a label (a legal statement the reader must not miss); kept on one page. */
  /** A titled text in a frame; `space` leaves room under the text (e.g. to sign). */
  framedText(title: string, text: string, space = 0): void {
    const doc = this.doc;
    const pad = 10;
    const innerWidth = WIDTH - 2 * pad;
    this.style('regular', size.body);
    const height = 14 + 16 + this.measure(text, innerWidth, 2) + pad + space;
    this.ensure(height + 10);
    const top = this.y;
    doc.roundedRect(LEFT, top, WIDTH, height, 4).lineWidth(0.8).strokeColor(colour.brand).stroke();
    this.label(title, LEFT + pad, top + pad);
    this.style('regular', size.body);
    this.paragraph(text, LEFT + pad, top + pad + 16, innerWidth, 2);
    this.y = top + height + 10;
  }

  // -- on every page --

  /** Running header (pages 2+: `running` on the left, the date on the right), legal identity and « Page n / N » (every page). */
  pageFurniture(running: string, date: string, issuer: IssuerIdentity): void {
    const doc = this.doc;
    const range = doc.bufferedPageRange();
    const total = range.count;
    const i = issuer;
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
        this.line(running, LEFT, TOP, { width: WIDTH - 110 });
        this.line(formatDate(date), LEFT, TOP, { width: WIDTH, align: 'right' });
        doc
          .moveTo(LEFT, TOP + 15)
          .lineTo(RIGHT, TOP + 15)
          .lineWidth(0.5)
          .strokeColor(colour.rule)
          .stroke();
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
