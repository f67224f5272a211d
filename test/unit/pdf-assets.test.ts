/**
 * The shortcuts of the PDF engine give what pdfkit and fontkit would have computed: the `post`
 * header read without the glyph names, the `loca` offsets read straight from the file, subsets
 * written straight from the file (functions/shared/pdf/assets.ts, truetype-subset.ts). The bytes of the documents
 * themselves are pinned by legacy-documents.test.ts and edition-two-documents.test.ts.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { create, type Font } from 'fontkit';
import { describe, expect, it } from 'vitest';
import { withDirectSubsets, withLocaRead, withPostHeaderOnly } from '../../functions/shared/pdf/assets.ts';
import { type TableEntry, trueTypeSubsetWriter } from '../../functions/shared/pdf/truetype-subset.ts';
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

  type Subset = { glyphs: number[]; includeGlyph(glyph: number): number; encode(): Uint8Array };
  type Glyphs = { layout(text: string): { glyphs: { id: number }[] }; createSubset(): Subset; numGlyphs: number };
  /** The bytes and glyph list of a subset of `ids` (in that order), and of fontkit's own. */
  const subsets = (bytes: Buffer, ids: readonly number[], prepare: (font: Font) => Font = (font) => font) => {
    const subsetOf = (font: Glyphs) => {
      const subset = font.createSubset();
      for (const id of ids) subset.includeGlyph(id);
      const encoded = Buffer.from(subset.encode());
      return { encoded, glyphs: [...subset.glyphs] };
    };
    const writing = withDirectSubsets(prepare(withLocaRead(create(bytes) as Font, bytes)), bytes);
    // The font took the writer (a font it declines keeps fontkit's subsets, and would compare equal).
    expect(Object.hasOwn(writing, 'createSubset')).toBe(true);
    const direct = subsetOf(writing as unknown as Glyphs);
    const fontkit = subsetOf(prepare(create(bytes) as Font) as unknown as Glyphs);
    return { direct, fontkit };
  };
  // Accented capitals are composites in DejaVu; the space is empty; then glyphs from all over the font.
  const text = 'Devis n° D-2026-0042 — « Bon pour accord » ÉÀÇÔŒ œ ç ĳ Ǆ 12 345,67 € ☐ − محمد';

  it.each(fonts)('%s: a subset written from the file is fontkit’s, byte for byte, composite and empty glyphs included', (file) => {
    const bytes = readFileSync(path.join(LOCAL_PDF_ASSETS_DIR, 'fonts', file));
    const plain = create(bytes) as unknown as Glyphs;
    const laidOut = plain.layout(text).glyphs.map((g) => g.id);
    const spread = Array.from({ length: 60 }, (_, i) => (i * 97) % plain.numGlyphs);
    for (const ids of [[...new Set([...laidOut, ...spread])], [...spread].reverse(), []]) {
      const { direct, fontkit } = subsets(bytes, ids);
      expect(direct.encoded.equals(fontkit.encoded)).toBe(true);
      // The components of composite glyphs joined the subset in fontkit's order.
      expect(direct.glyphs).toEqual(fontkit.glyphs);
    }
    const { direct } = subsets(bytes, laidOut);
    expect(direct.glyphs.length).toBeGreaterThan(new Set([0, ...laidOut]).size);
  });

  it('writes every glyph of the font as fontkit does', () => {
    const bytes = readFileSync(path.join(LOCAL_PDF_ASSETS_DIR, 'fonts', fonts[0]!));
    const all = Array.from({ length: (create(bytes) as unknown as Glyphs).numGlyphs }, (_, i) => i);
    const { direct, fontkit } = subsets(bytes, all);
    expect(direct.encoded.length).toBeGreaterThan(bytes.length / 2);
    expect(direct.encoded.equals(fontkit.encoded)).toBe(true);
  });

  it('writes the short loca format halved, as fontkit does', () => {
    // DejaVu's loca is long: both subsetters are told the font's offsets are of the short format.
    const bytes = readFileSync(path.join(LOCAL_PDF_ASSETS_DIR, 'fonts', fonts[0]!));
    const short = (font: Font) => {
      const tables = font as unknown as { loca: { offsets: ArrayLike<number> }; _tables: Record<string, unknown> };
      tables._tables.loca = { version: 0, offsets: Array.from(tables.loca.offsets), _processed: true };
      return font;
    };
    const ids = (create(bytes) as unknown as Glyphs).layout(text).glyphs.map((g) => g.id);
    const { direct, fontkit } = subsets(bytes, ids, short);
    // The subset says so in its head (indexToLocFormat), and its loca is of 16-bit words.
    const entry = (tag: string) => direct.encoded.indexOf(tag, 12);
    const headAt = direct.encoded.readUInt32BE(entry('head') + 8);
    expect(direct.encoded.readInt16BE(headAt + 50)).toBe(0);
    expect(direct.encoded.readUInt32BE(entry('loca') + 12)).toBe(2 * (direct.glyphs.length + 1));
    expect(direct.encoded.equals(fontkit.encoded)).toBe(true);
  });

  it('writes header fields and metrics as fontkit reads them back: unnamed style bits, reserved words, short hmtx', () => {
    const original = readFileSync(path.join(LOCAL_PDF_ASSETS_DIR, 'fonts', fonts[1]!));
    const bytes = Buffer.from(original);
    const table = (tag: string) =>
      (create(original) as unknown as { directory: { tables: Record<string, { offset: number }> } }).directory.tables[tag]!.offset;
    const numGlyphs = (create(original) as unknown as Glyphs).numGlyphs;
    // macStyle with bits fontkit does not name; hhea's reserved words set; fewer advances than
    // glyphs, so the glyphs past them take the last advance and a bearing of the bearings array.
    bytes.writeUInt16BE(0xff81, table('head') + 44);
    bytes.writeInt16BE(-7, table('hhea') + 26);
    bytes.writeInt16BE(1234, table('hhea') + 30);
    bytes.writeUInt16BE(numGlyphs - 400, table('hhea') + 34);
    const ids = [...(create(bytes) as unknown as Glyphs).layout(text).glyphs.map((g) => g.id), numGlyphs - 1, numGlyphs - 300, 5];
    const { direct, fontkit } = subsets(bytes, ids);
    expect(direct.encoded.equals(fontkit.encoded)).toBe(true);
  });

  it.each([
    ['a scale', 0x0008],
    ['an x and y scale', 0x0040],
    ['a two by two matrix', 0x0080],
  ])('reads composite glyphs whose first component has %s as fontkit does', (_, flag) => {
    // DejaVu's composites carry no transform: the flag is set on the first component of the
    // composites of two components or more, so both readers skip its bytes and read on from there.
    const original = readFileSync(path.join(LOCAL_PDF_ASSETS_DIR, 'fonts', fonts[0]!));
    const font = create(original) as unknown as Glyphs & {
      directory: { tables: Record<string, { offset: number }> };
      getGlyph(id: number): { _decode(): { numberOfContours: number; components?: unknown[] } | null };
      loca: { offsets: number[] };
    };
    const composites = Array.from({ length: font.numGlyphs }, (_, id) => id).filter(
      (id) => (font.getGlyph(id)._decode()?.components?.length ?? 0) >= 2,
    );
    expect(composites.length).toBeGreaterThan(100);
    const bytes = Buffer.from(original);
    for (const id of composites) {
      const flags = font.directory.tables.glyf!.offset + font.loca.offsets[id]! + 10;
      bytes.writeUInt16BE((bytes.readUInt16BE(flags) & ~0x00c8) | flag, flags);
    }
    let fontkitFailure: unknown;
    let fontkitBytes: Buffer | undefined;
    const subsetOf = (font: Glyphs) => {
      const subset = font.createSubset();
      for (const id of composites) subset.includeGlyph(id);
      return Buffer.from(subset.encode());
    };
    try {
      fontkitBytes = subsetOf(create(bytes) as unknown as Glyphs);
    } catch (error) {
      fontkitFailure = error;
    }
    const direct = () => subsetOf(withDirectSubsets(withLocaRead(create(bytes) as Font, bytes), bytes) as unknown as Glyphs);
    if (fontkitFailure) expect(direct).toThrow((fontkitFailure as Error).constructor as new () => Error);
    else expect(direct().equals(fontkitBytes!)).toBe(true);
  });

  it('leaves to fontkit the fonts it does not describe', () => {
    const bytes = readFileSync(path.join(LOCAL_PDF_ASSETS_DIR, 'fonts', fonts[0]!));
    const { tables } = (create(bytes) as unknown as { directory: { tables: Record<string, TableEntry> } }).directory;
    const loca = () => ({ version: 1, offsets: [] });
    expect(trueTypeSubsetWriter(bytes, tables, loca)).toBeTypeOf('function');
    const without = (tag: string) => Object.fromEntries(Object.entries(tables).filter(([t]) => t !== tag));
    expect(trueTypeSubsetWriter(bytes, without('glyf'), loca)).toBeUndefined();
    expect(trueTypeSubsetWriter(bytes, { ...tables, 'CFF ': { offset: 0, length: 4 } }, loca)).toBeUndefined();
    expect(trueTypeSubsetWriter(bytes, { ...tables, fvar: { offset: 0, length: 4 } }, loca)).toBeUndefined();
    expect(trueTypeSubsetWriter(bytes, { ...tables, 'cvt ': { ...tables['cvt ']!, length: 7 } }, loca)).toBeUndefined();
    const olderMaxp = Buffer.from(bytes);
    olderMaxp.writeInt32BE(0x00005000, tables.maxp!.offset);
    expect(trueTypeSubsetWriter(olderMaxp, tables, loca)).toBeUndefined();
  });
});
