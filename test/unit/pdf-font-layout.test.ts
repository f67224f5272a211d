/**
 * The words of the documents laid out from the fonts' precomputed tables
 * (functions/shared/pdf/font-layout.ts) are the words fontkit's shaper gives: same glyphs, same code
 * points, same positions, same advance. The committed tables are what scripts/pdf-font-layout.ts
 * computes from the layer's fonts today, they are in use for those fonts, and every word the
 * documents ask for is covered by them (a word that is not goes through fontkit, and the first
 * document of a container pays for its shaper again).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { create, type Font } from 'fontkit';
import { describe, expect, it } from 'vitest';
import { renderInvoicePdf } from '../../functions/invoices/pdf.ts';
import { renderQuotePdf } from '../../functions/quotes/pdf.ts';
import { loadPdfAssets } from '../../functions/shared/pdf/assets.ts';
import {
  type FontLayoutData,
  fontFingerprint,
  type LayoutFont,
  precomputedLayout,
  usePrecomputedLayout,
} from '../../functions/shared/pdf/font-layout.ts';
import { computeFontLayout, FONT_FILES, FONTS_DIR, layoutDifference, layoutFileOf } from '../../scripts/pdf-font-layout.ts';
import { creditNote, depositInvoice, finalInvoice, homeServicesInvoice } from '../support/invoice-fixtures.ts';
import { editionTwoQuote, twentyPageQuote, twoPageQuote } from '../support/quote-fixtures.ts';

type Run = Parameters<typeof layoutDifference>[1];
type TestFont = Omit<LayoutFont, 'layout'> & { layout(text: string, ...rest: unknown[]): Run };
const fontOf = (bytes: Buffer) => create(bytes) as unknown as TestFont;

const fonts = FONT_FILES.map((file) => {
  const bytes = readFileSync(path.join(FONTS_DIR, file));
  const data = JSON.parse(readFileSync(path.join(FONTS_DIR, layoutFileOf(file)), 'utf8')) as FontLayoutData;
  return { file, bytes, data };
});

/** A small deterministic generator (mulberry32), so a failure names a word that fails again. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

describe.each(fonts)('the precomputed layout of $file', ({ file, bytes, data }) => {
  it('is what the script computes from the font today', () => {
    expect(computeFontLayout(bytes, file)).toEqual(data);
  });

  it('keeps the characters of French documents and the ligatures and kerning of the font', () => {
    const kept = new Set(data.chars.map(([codePoint]) => codePoint));
    for (const c of 'AZaz09àâæçéèêëîïôœùûüÿÀÂÆÇÉÈÊËÎÏÔŒÙÛÜŸ€«»’‘“”–—…\u00a0\u202f−☐№%°\n') expect(kept, c).toContain(c.codePointAt(0));
    // Left to fontkit: combining accents, soft hyphen, zero width and direction marks, Arabic.
    for (const c of '\u0301\u00ad\u200b\u200f\u2044\u0627') expect(kept, c).not.toContain(c.codePointAt(0));
    expect(data.scripts.latn.ligatures.length).toBe(5);
    expect(data.scripts.zzzz.ligatures).toEqual([]);
    expect(data.scripts.latn.kerning.length).toBeGreaterThan(0);
  });

  it('lays out random words as fontkit does', () => {
    const font = fontOf(bytes);
    const fast = precomputedLayout(font, data);
    const codePoints = data.chars.map(([codePoint]) => codePoint);
    // Letters that kern and ligate, with the punctuation and spaces around them, more often.
    const often = [...'AVTYWLPFfilťjyvw’\'".,;:«»-–—€\u00a0\u202f '].map((c) => c.codePointAt(0) as number);
    const next = random(14);
    for (let n = 0; n < 4000; n++) {
      const length = 1 + Math.floor(next() * 12);
      let word = '';
      for (let i = 0; i < length; i++) {
        const pool = next() < 0.5 ? often : codePoints;
        word += String.fromCharCode(pool[Math.floor(next() * pool.length)] as number);
      }
      if (next() < 0.5) word += ' ';
      const laid = fast(word);
      expect(laid, JSON.stringify(word)).toBeDefined();
      expect(layoutDifference(word, font.layout(word), laid as Run)).toBeUndefined();
    }
  });

  it('leaves a word to fontkit when its glyph was first made for a character fontkit hides', () => {
    // Glyph 0 serves the line feed and a hundred characters the font lacks, the zero-width space
    // among them: once fontkit made it for that space, it hides every character it serves.
    const first = fontOf(bytes);
    const plain = fontOf(bytes);
    for (const font of [first, plain]) font.getGlyph(0, [0x200b]);
    expect(precomputedLayout(first, data)('Port\n')).toBeUndefined();
    expect(usePrecomputedLayout(first, bytes, data)).toBe(true);
    const hidden = first.layout('Port\n');
    expect(hidden.positions.at(-1)?.xAdvance).toBe(0);
    expect(layoutDifference('Port\n', plain.layout('Port\n'), hidden)).toBeUndefined();
    // As pdfkit opens a font (glyph 0 made with no character), the line feed is covered.
    const opened = fontOf(bytes);
    opened.getGlyph(0);
    expect(precomputedLayout(opened, data)('Port\n')).toBeDefined();
  });

  it('lays out ligatures as fontkit does, and words it does not cover go to fontkit', () => {
    const font = fontOf(bytes);
    const plain = fontOf(bytes);
    expect(usePrecomputedLayout(font, bytes, data)).toBe(true);
    for (const word of ['efficace ', 'offre ', 'ffl', 'ffi', 'fff', 'ffff ', 'profil', 'réaffirmé', 'AVAT', 'Yves’', '12 345,67 €']) {
      expect(layoutDifference(word, plain.layout(word), font.layout(word))).toBeUndefined();
      expect(precomputedLayout(plain, data)(word)).toBeDefined();
    }
    for (const word of ['محمد', 'e\u0301te', 'co\u00adop', '1\u20442', 'Łódź\u200b']) {
      expect(precomputedLayout(plain, data)(word)).toBeUndefined();
      expect(layoutDifference(word, plain.layout(word), font.layout(word))).toBeUndefined();
    }
  });

  it('is not used for another font, nor for this one with a table rewritten', () => {
    const other = fonts.find((f) => f.file !== file) as (typeof fonts)[number];
    expect(usePrecomputedLayout(fontOf(other.bytes), other.bytes, data)).toBe(false);
    // A font tool rewriting a table (here GPOS) rewrites its checksum in the directory.
    const edited = Buffer.from(bytes);
    const tables = edited.readUInt16BE(4);
    for (let i = 0, at = 12; i < tables; i++, at += 16)
      if (edited.toString('latin1', at, at + 4) === 'GPOS') edited.writeUInt32BE((edited.readUInt32BE(at + 4) + 1) >>> 0, at + 4);
    expect(fontFingerprint(edited)).not.toBe(data.font.fingerprint);
    expect(usePrecomputedLayout(fontOf(edited), edited, data)).toBe(false);
    expect(usePrecomputedLayout(fontOf(bytes), bytes, data)).toBe(true);
  });
});

describe('the words of the documents', () => {
  it('are all covered by the tables, and laid out as fontkit does', async () => {
    const { regular, bold } = loadPdfAssets();
    const asked = new Map<Font, Set<string>>([
      [regular, new Set()],
      [bold, new Set()],
    ]);
    const restore: (() => void)[] = [];
    for (const [font, words] of asked) {
      const layout = font.layout;
      font.layout = ((text: string, ...rest: unknown[]) => {
        words.add(text);
        return (layout as (...args: unknown[]) => unknown)(text, ...rest);
      }) as Font['layout'];
      restore.push(() => {
        font.layout = layout;
      });
    }
    try {
      for (const quote of [twoPageQuote(), twentyPageQuote(), editionTwoQuote(), twoPageQuote({ performer: undefined, depositPercent: 0 })])
        await renderQuotePdf(quote);
      for (const invoice of [finalInvoice(), depositInvoice(), homeServicesInvoice(), creditNote()]) await renderInvoicePdf(invoice);
    } finally {
      for (const undo of restore) undo();
    }
    let words = 0;
    for (const [index, [, asks]] of [...asked].entries()) {
      const { bytes, data } = fonts[index] as (typeof fonts)[number];
      const plain = fontOf(bytes);
      const fast = precomputedLayout(fontOf(bytes), data);
      for (const word of asks) {
        const laid = fast(word);
        expect(laid, `${JSON.stringify(word)} is not covered`).toBeDefined();
        expect(layoutDifference(word, plain.layout(word), laid as Run)).toBeUndefined();
        words++;
      }
    }
    expect(words).toBeGreaterThan(1000);
  });
});
