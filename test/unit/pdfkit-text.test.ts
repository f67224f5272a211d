/**
 * functions/shared/pdf/pdfkit-text.ts gives the numbers pdfkit gives: `measuredHeight` is
 * `heightOfString`, `drawnHeight` is `heightOfString` asked before drawing, and a font's
 * `layout` with its words found natively is pdfkit's `layout` (same glyphs, positions, advance).
 * Each case runs on two documents in the same state, one through pdfkit only; the drawn content
 * streams must match too. The fast paths are checked to be taken, so that these tests cannot pass
 * by falling back to pdfkit everywhere.
 */
import PDFDocument from 'pdfkit';
import { describe, expect, it, vi } from 'vitest';
import { asFontSource, loadPdfAssets } from '../../functions/shared/pdf/assets.ts';
import { drawnHeight, drawnInCell, measuredHeight, withWordsFoundNatively } from '../../functions/shared/pdf/pdfkit-text.ts';

type Doc = InstanceType<typeof PDFDocument>;

function newDoc(): Doc {
  const { regular, bold } = loadPdfAssets();
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 38, left: 42, right: 42, bottom: 20 },
    bufferPages: true,
    font: asFontSource(regular),
  });
  doc.registerFont('regular', asFontSource(regular));
  doc.registerFont('bold', asFontSource(bold));
  return doc;
}

/** What was drawn on the current page so far: its content stream (pdfkit 0.20.2 keeps it in chunks until the page ends). */
const drawn = (doc: Doc) =>
  Buffer.concat((doc as unknown as { page: { content: { buffer: Uint8Array[] } } }).page.content.buffer).toString('latin1');

const texts = [
  'Désignation',
  'Fourniture et pose d’une VMC hygroréglable type B',
  'Déplacement Nantes – Pornichet (aller-retour)',
  'Quantités relevées lors de la visite du 18 novembre 2026, vérifiées sur place; 12,5 m² à 1\u00a0234,56 €.',
  'aller-retour-aller-retour-aller-retour-aller-retour-aller-retour-aller-retour',
  'Je soussigné(e) Jean Moreau certifie, en qualité de preneur de la prestation, que les travaux réalisés concernent des locaux à usage d’habitation achevés depuis plus de deux ans.',
  'Première ligne\nDeuxième ligne, plus longue que la première',
  'Mot  à   mot\tavec tabulation ',
  ' espace devant',
  '',
  'abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghij',
  'Œuvre ÇA ÉTÉ À l’été; très ÂGÉ: oui.',
  // Full-width Latin letters: UAX #14 breaks between them, so they are left to pdfkit.
  'ＡＢＣＤＥＦ ＧＨＩＪ',
];
const widths = [60, 120, 243.3, 511.28];
const settings = [
  { font: 'regular', size: 10, lineGap: 1 },
  { font: 'bold', size: 8.5, lineGap: 2 },
  { font: 'regular', size: 11.5, lineGap: 0 },
] as const;

const cases = texts.flatMap((text) => widths.flatMap((width) => settings.map((s) => ({ text, width, ...s }))));

/** Widths around the one where `text` stops fitting on one line: the edge of the fast path. */
function edgeCases() {
  const doc = newDoc();
  return texts
    .filter((t) => t !== '' && !t.includes('\n'))
    .flatMap((text) =>
      settings.flatMap((s) => {
        doc.font(s.font).fontSize(s.size);
        const w = doc.widthOfString(text);
        return [w - 0.5, w - 1e-4, w, w + 1e-9, w + 0.005, w + 0.01, w + 0.02, w + 1].map((width) => ({ text, width, ...s }));
      }),
    );
}

describe('measuredHeight', () => {
  it.each([...cases, ...edgeCases()])('$text in $width pt ($font $size, gap $lineGap)', ({ text, width, font, size, lineGap }) => {
    const ours = newDoc();
    const theirs = newDoc();
    for (const doc of [ours, theirs]) {
      doc.font(font).fontSize(size);
      doc.y = 123.456789;
    }
    expect(measuredHeight(ours, text, width, lineGap)).toBe(theirs.heightOfString(text, { width, lineGap }));
    expect([ours.x, ours.y]).toEqual([theirs.x, theirs.y]);
  });

  it('answers a line that surely fits without wrapping it, and wraps any other', () => {
    const doc = newDoc();
    doc.font('regular').fontSize(10);
    const wrap = vi.spyOn(doc, 'heightOfString');
    measuredHeight(doc, 'Fourniture et pose d’une VMC hygroréglable', 400, 1);
    expect(wrap).not.toHaveBeenCalled();
    measuredHeight(doc, 'Déplacement (aller-retour)', 400, 1); // a hyphen may break
    measuredHeight(doc, 'Fourniture et pose d’une VMC hygroréglable', 100, 1); // too wide
    measuredHeight(doc, 'ＡＢ Ｃ', 400, 1); // breaks between full-width letters
    expect(wrap).toHaveBeenCalledTimes(3);
  });

  it('leaves a continued text to pdfkit, which ends it as it always did', () => {
    const ours = newDoc();
    const theirs = newDoc();
    for (const doc of [ours, theirs]) doc.text('Acompte : ', 42, 100, { continued: true, width: 300, lineGap: 2 });
    expect(measuredHeight(ours, 'court', 300, 2)).toBe(theirs.heightOfString('court', { width: 300, lineGap: 2 }));
    for (const doc of [ours, theirs]) doc.text('la suite', 42, 200, { width: 300, lineGap: 2 });
    expect(drawn(ours)).toBe(drawn(theirs));
  });
});

describe('drawnHeight', () => {
  it.each(cases)('$text in $width pt ($font $size, gap $lineGap)', ({ text, width, font, size, lineGap }) => {
    const ours = newDoc();
    const theirs = newDoc();
    for (const doc of [ours, theirs]) {
      doc.font(font).fontSize(size);
      doc.y = 123.456789; // where the previous block ended: heightOfString counts from here (and its sums round unlike those from 300.5)
    }
    const height = drawnHeight(ours, text, 42, 300.5, width, lineGap);
    const expected = theirs.heightOfString(text, { width, lineGap });
    theirs.text(text, 42, 300.5, { width, lineGap });
    expect(height).toBe(expected);
    expect([ours.x, ours.y]).toEqual([theirs.x, theirs.y]);
    expect(drawn(ours)).toBe(drawn(theirs));
  });

  it('draws once, without measuring, when the text stays on its page', () => {
    const doc = newDoc();
    doc.font('regular').fontSize(10);
    const wrap = vi.spyOn(doc, 'heightOfString');
    const write = vi.spyOn(doc, 'text');
    drawnHeight(doc, texts[5]!, 42, 100, 200, 2);
    expect(wrap).not.toHaveBeenCalled();
    expect(write).toHaveBeenCalledTimes(1);
  });

  // pdfkit's new page sets the document's default font (regular): the height is asked in the text's own.
  it.each(['regular', 'bold'] as const)('asks pdfkit for the height of a %s text that ran onto a new page', (font) => {
    const ours = newDoc();
    const theirs = newDoc();
    const long = Array.from({ length: 12 }, () => texts[5]).join(' ');
    for (const doc of [ours, theirs]) {
      doc.font(font).fontSize(12);
      doc.y = 700;
    }
    const height = drawnHeight(ours, long, 42, 700, 200, 2);
    const expected = theirs.heightOfString(long, { width: 200, lineGap: 2 });
    theirs.text(long, 42, 700, { width: 200, lineGap: 2 });
    expect(ours.bufferedPageRange().count).toBeGreaterThan(1);
    expect(height).toBe(expected);
    expect([ours.x, ours.y]).toEqual([theirs.x, theirs.y]);
    expect(drawn(ours)).toBe(drawn(theirs));
  });
});

describe('drawnInCell', () => {
  it.each([...cases, ...edgeCases()])(
    '$text in $width pt ($font $size, gap $lineGap): the operators of doc.text',
    ({ text, width, font, size, lineGap }) => {
      const ours = newDoc();
      const theirs = newDoc();
      for (const doc of [ours, theirs]) doc.font(font).fontSize(size);
      drawnInCell(ours, text, 47, 250.25, width, lineGap);
      theirs.text(text, 47, 250.25, { width, lineGap });
      expect(drawn(ours)).toBe(drawn(theirs));
    },
  );

  it('draws a line that surely fits without wrapping it', () => {
    const doc = newDoc();
    doc.font('regular').fontSize(10);
    const text = vi.spyOn(doc, 'text');
    drawnInCell(doc, 'Fourniture et pose d’une VMC hygroréglable', 47, 100, 400, 1);
    drawnInCell(doc, 'Déplacement (aller-retour)', 47, 120, 400, 1);
    expect(text.mock.calls.map((call) => (call as unknown[])[3])).toEqual([{ lineBreak: false }, { width: 400, lineGap: 1 }]);
  });
});

describe('withWordsFoundNatively', () => {
  const strings = [...texts, '  ', '\t', 'a\t b', 'fin ', ' ', 'x', 'ffi ffl fi', 'un\tdeux\t\ttrois  quatre '];
  it.each(strings)('lays out %j as pdfkit does', (text) => {
    const doc = newDoc();
    type Laid = { glyphs: object[] | null; positions: object[] | null; advanceWidth: number };
    const font = (doc as unknown as { _font: { layout: (t: string, f?: unknown, w?: boolean) => Laid } })._font;
    const pdfkit = font.layout.bind(font);
    const theirs = [pdfkit(text), pdfkit(text, undefined, true)];
    withWordsFoundNatively(font);
    expect(Object.hasOwn(font, 'layout')).toBe(true);
    const ours = [font.layout(text), font.layout(text, undefined, true)];
    ours.forEach((laid, i) => {
      const their = theirs[i]!;
      expect(laid.advanceWidth).toBe(their.advanceWidth);
      // The very glyphs and positions of the words pdfkit laid out and keeps, in the same order.
      expect(laid.glyphs?.length).toBe(their.glyphs?.length);
      expect(laid.positions?.length).toBe(their.positions?.length);
      laid.glyphs?.forEach((g, k) => expect(g).toBe(their.glyphs![k]));
      laid.positions?.forEach((p, k) => expect(p).toBe(their.positions![k]));
    });
    expect(ours[1]).toEqual({ glyphs: null, positions: null, advanceWidth: theirs[1]!.advanceWidth });
  });
});
