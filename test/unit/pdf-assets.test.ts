/**
 * The shortcuts of the PDF engine give what pdfkit and fontkit would have computed: the `post`
 * header read without the glyph names, the `loca` offsets read straight from the file, subsets
 * copying simple glyphs without decoding them (functions/shared/pdf/assets.ts). The bytes of the documents
 * themselves are pinned by legacy-documents.test.ts and edition-two-documents.test.ts.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { create, type Font } from 'fontkit';
import { describe, expect, it } from 'vitest';
import { withLightSubsets, withLocaRead, withPostHeaderOnly } from '../../functions/shared/pdf/assets.ts';
import { LOCAL_PDF_ASSETS_DIR } from '../../infra/local/grants.ts';

const fonts = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'];

describe('the fonts of the PDF layer', () => {
  it.each(fonts)('%s: the post header read alone equals fontkit’s decoding of the whole table', (file) => {
    const bytes = readFileSync(path.join(LOCAL_PDF_ASSETS_DIR, 'fonts', file));
    const decoded = create(bytes) as unknown as { post: Record<string, unknown>; italicAngle: number };
    const light = withPostHeaderOnly(create(bytes) as Font, bytes) as unknown as { post: Record<string, unknown>; italicAngle: number };
    const { glyphNameIndex, names, numberOfGlyphs, ...header } = decoded.post;
    expect(Array.isArray(names) && names.length).toBeGreaterThan(0);
    expect(header.version).toBe(2);
    for (const [field, value] of Object.entries(header)) expect(light.post[field], field).toBe(value);
    expect(Object.keys(light.post).sort()).toEqual(Object.keys(header).sort());
    expect(light.italicAngle).toBe(decoded.italicAngle);
    expect(() => light.post.names).toThrow('glyph names');
  });

  it.each(fonts)('%s: the loca table read straight from the file equals fontkit’s decoding', (file) => {
    const bytes = readFileSync(path.join(LOCAL_PDF_ASSETS_DIR, 'fonts', file));
    type Loca = { loca: { version: number; offsets: number[]; _processed?: boolean }; maxp: { numGlyphs: number } };
    const decoded = create(bytes) as unknown as Loca;
    const read = withLocaRead(create(bytes) as Font, bytes) as unknown as Loca;
    expect(decoded.loca.offsets.length).toBe(decoded.maxp.numGlyphs + 1);
    expect(read.loca.version).toBe(decoded.loca.version);
    expect(Array.from(read.loca.offsets)).toEqual(decoded.loca.offsets);
    expect(decoded.loca.version).toBe(1);
    expect(read.loca._processed).toBe(decoded.loca._processed);
  });

  it('reads the short loca format doubled, as fontkit leaves it', () => {
    // DejaVu's loca is long; the short format, on a table of four offsets.
    const tables = {
      directory: { tables: { loca: { offset: 2, length: 8 } } },
      _tables: {} as Record<string, unknown>,
      head: { indexToLocFormat: 0 },
    };
    withLocaRead(tables as unknown as Font, Buffer.from([9, 9, 0, 1, 0, 2, 0x80, 0, 0xff, 0xff]));
    expect(tables._tables.loca).toEqual({ version: 0, offsets: [2, 4, 65_536, 131_070], _processed: true });
  });

  it.each(fonts)('%s: a subset copying simple glyphs undecoded gives fontkit’s bytes, composite and empty glyphs included', (file) => {
    const bytes = readFileSync(path.join(LOCAL_PDF_ASSETS_DIR, 'fonts', file));
    type Subset = { includeGlyph(glyph: number): number; encode(): Uint8Array };
    type Glyphs = { layout(text: string): { glyphs: { id: number }[] }; createSubset(): Subset; numGlyphs: number };
    const plain = create(bytes) as unknown as Glyphs;
    const light = withLightSubsets(withLocaRead(create(bytes) as Font, bytes), bytes) as unknown as Glyphs;
    // Accented capitals are composites in DejaVu; the space is empty; then glyphs from all over the font.
    const text = 'Devis n° D-2026-0042 — « Bon pour accord » ÉÀÇÔŒ œ ç ĳ Ǆ 12 345,67 € ☐ − محمد';
    const ids = [
      ...new Set([...plain.layout(text).glyphs.map((g) => g.id), ...Array.from({ length: 60 }, (_, i) => (i * 97) % plain.numGlyphs)]),
    ];
    const subsetOf = (font: Glyphs) => {
      const subset = font.createSubset();
      for (const id of ids) subset.includeGlyph(id);
      return Buffer.from(subset.encode());
    };
    expect(subsetOf(light).equals(subsetOf(plain))).toBe(true);
    // The glyphs keep their own decoding afterwards.
    const glyph = (light as unknown as { getGlyph(id: number): { _decode(): { numberOfContours: number; points?: unknown[] } } }).getGlyph(
      plain.layout('a').glyphs[0]!.id,
    );
    expect(glyph._decode().points?.length).toBeGreaterThan(0);
  });
});
