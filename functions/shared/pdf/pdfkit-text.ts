/**
 * Wrapped text measured with less of pdfkit's line wrapping, for the same numbers and so the same
 * bytes (test/unit/pdfkit-text.test.ts compares every case with pdfkit's own `heightOfString`;
 * test/unit/legacy-documents.test.ts and edition-two-documents.test.ts pin the documents).
 *
 * Documents measure a block before drawing it (to keep it on one page, to size its frame), then draw
 * it: pdfkit wraps the text once to measure it and again to draw it, and `PdfWriter.paragraph`
 * wrapped it a third time. Each wrap breaks the text (UAX #14, character by character) and lays out
 * its words; on a container's first document that code runs cold, and the edition-2 quote measures
 * and draws about a hundred blocks. Here:
 *
 * - `drawnHeight` draws the block once and gives the height `heightOfString` would have given
 *   before drawing it: the same count of lines, each adding the same step to the same start;
 * - `measuredHeight` answers a block that surely fits on one line from its width alone (the width
 *   of its words, which pdfkit laid out and keeps), without breaking it into lines;
 * - `drawnInCell` draws such a line of a table's cell without wrapping it either.
 *
 * Written against pdfkit 0.20.2 (pinned): `heightOfString` wraps the text from the document's
 * current position, adding `currentLineHeight(true) + lineGap` per line, and leaves a pending
 * `continued` text reset; neither helper is used while such a text is pending.
 */
import type PDFDocument from 'pdfkit';

type Doc = InstanceType<typeof PDFDocument>;

/** What pdfkit 0.20.2 keeps of a text in progress (`continued: true`) and its default line gap. */
interface TextState {
  x: number;
  y: number;
  page: unknown;
  /** The font in use: a page that pdfkit adds in the middle of a text sets the document's default one. */
  _font: unknown;
  _wrapper: unknown;
  _textOptions: unknown;
  _lineGap: number | undefined;
}

const state = (doc: Doc) => doc as unknown as TextState;

/** The step `heightOfString` adds per line: the font's line height with its gap, and the text's line gap. */
function lineStep(doc: Doc, lineGap: number): number {
  return doc.currentLineHeight(true) + (lineGap || state(doc)._lineGap || 0);
}

/** `lines` steps added one by one to `from`, less `from`: heightOfString's own arithmetic. */
function heightOfLines(from: number, step: number, lines: number): number {
  let y = from;
  for (let i = 0; i < lines; i++) y += step;
  return y - from;
}

/**
 * Characters between which UAX #14 gives no break (Latin letters, digits, quotes, the punctuation
 * that sits inside numbers and after words, no-break spaces), so that a text made of them and spaces
 * breaks after its spaces only: where pdfkit also splits it into words to lay it out. Its lines
 * are then made of whole words, and their widths add up to the width of the text. The full-width
 * Latin letters (U+FF21…) are ideographs to UAX #14, which breaks between them: left out.
 */
const BREAKS_AFTER_SPACES_ONLY = /^[[\p{Script=Latin}--[\uFF00-\uFFEF]]0-9 \u00a0\u202f'’.,;:]+$/v;

/**
 * The room left unused that makes one line certain: the wrapper's line is the sum of the same word
 * widths as the text's width, added in another order (a difference of a few 1e-13 pt), each rounded
 * down to a float32 (pdfkit's PDFNumber), which only shortens it.
 */
const ONE_LINE_SLACK = 0.01;

/** Whether `heightOfString` may be answered without it: no text in progress that it would reset. */
const nothingPending = (doc: Doc): boolean => {
  const s = state(doc);
  return !s._wrapper && !s._textOptions;
};

/** Whether pdfkit surely wraps `text` in `width` as a single line of all its words (see BREAKS_AFTER_SPACES_ONLY). */
function surelyOneLine(doc: Doc, text: string, width: number): boolean {
  return nothingPending(doc) && text !== '' && BREAKS_AFTER_SPACES_ONLY.test(text) && doc.widthOfString(text) <= width - ONE_LINE_SLACK;
}

/**
 * `doc.heightOfString(text, { width, lineGap })` in the current font, size and position: a text
 * that surely fits on one line is one step; any other is wrapped.
 */
export function measuredHeight(doc: Doc, text: string, width: number, lineGap: number): number {
  if (surelyOneLine(doc, text, width)) return heightOfLines(state(doc).y, lineStep(doc, lineGap), 1);
  return doc.heightOfString(text, { width, lineGap });
}

/**
 * `doc.text(text, x, y, { width, lineGap })`, a text that surely fits on one line drawn without
 * wrapping it: the same operators (a left-aligned line is placed by its start alone). Only the
 * document's position after it differs (after the text on its line, rather than at the start of
 * the next): for a caller that places what follows itself, as a table's cell.
 */
export function drawnInCell(doc: Doc, text: string, x: number, y: number, width: number, lineGap: number): void {
  doc.text(text, x, y, surelyOneLine(doc, text, width) ? { lineBreak: false } : { width, lineGap });
}

/**
 * Draws `text` wrapped in `width` at (x, y) and returns what `doc.heightOfString(text, { width,
 * lineGap })` returned before it was drawn: the lines counted from where the text ended. Should the
 * text have run onto a new page, or end off the line grid, the height is asked of pdfkit as before.
 */
export function drawnHeight(doc: Doc, text: string, x: number, y: number, width: number, lineGap: number): number {
  const s = state(doc);
  if (!nothingPending(doc)) {
    const height = doc.heightOfString(text, { width, lineGap });
    doc.text(text, x, y, { width, lineGap });
    return height;
  }
  const from = { x: s.x, y: s.y, font: s._font };
  const step = lineStep(doc, lineGap);
  const page = s.page;
  doc.text(text, x, y, { width, lineGap });
  const steps = (s.y - y) / step;
  const lines = Math.round(steps);
  if (s.page === page && Math.abs(steps - lines) < 1e-6) return heightOfLines(from.y, step, lines);
  // Measured as before it was drawn: from the same position, in the same font.
  const after = { x: s.x, y: s.y, font: s._font };
  s.x = from.x;
  s.y = from.y;
  s._font = from.font;
  const height = doc.heightOfString(text, { width, lineGap });
  s.x = after.x;
  s.y = after.y;
  s._font = after.font;
  return height;
}

/** The part of a pdfkit 0.20.2 EmbeddedFont that `layout` uses. */
interface EmbeddedLayout {
  layoutRun(text: string, features?: unknown): WordRun;
  layoutCached(text: string): WordRun;
  layout(
    text: string,
    features?: unknown,
    onlyWidth?: boolean,
  ): { glyphs: unknown[] | null; positions: unknown[] | null; advanceWidth: number };
}

interface WordRun {
  readonly glyphs: readonly unknown[];
  readonly positions: readonly unknown[];
  readonly advanceWidth: number;
}

/**
 * The font's `layout(text)` with its words found by `indexOf` rather than by pdfkit's loop over
 * every character (`charAt`, then a test against a new `[' ', '\t']`), which runs cold on a
 * container's first document and for every measure and line drawn: the same words (each with the
 * space or tab that ends it), each laid out by `layoutCached` in the same order, the same glyphs and
 * positions, the same advance summed in the same order.
 */
export function withWordsFoundNatively(font: object): void {
  const f = font as EmbeddedLayout;
  if (typeof f.layoutCached !== 'function' || typeof f.layoutRun !== 'function' || Object.hasOwn(f, 'layout')) return;
  f.layout = function layout(this: EmbeddedLayout, text: string, features?: unknown, onlyWidth?: boolean) {
    if (features) return this.layoutRun(text, features) as ReturnType<EmbeddedLayout['layout']>;
    const glyphs: unknown[] | null = onlyWidth ? null : [];
    const positions: unknown[] | null = onlyWidth ? null : [];
    let advanceWidth = 0;
    const length = text.length;
    let last = 0;
    let space = text.indexOf(' ');
    let tab = text.indexOf('\t');
    while (last < length) {
      if (space !== -1 && space < last) space = text.indexOf(' ', last);
      if (tab !== -1 && tab < last) tab = text.indexOf('\t', last);
      // The word ends with the first space or tab (kept in it), or with the text.
      const separator = Math.min(space === -1 ? length : space, tab === -1 ? length : tab);
      const end = separator === length ? length : separator + 1;
      const run = this.layoutCached(text.slice(last, end));
      if (glyphs && positions) {
        for (const glyph of run.glyphs) glyphs.push(glyph);
        for (const position of run.positions) positions.push(position);
      }
      advanceWidth += run.advanceWidth;
      last = end;
    }
    return { glyphs, positions, advanceWidth };
  };
}
