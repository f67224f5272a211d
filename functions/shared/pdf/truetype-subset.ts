/**
 * The subset of a TrueType font that pdfkit embeds in a document, written straight from the font
 * file: byte for byte what fontkit 2.0.4's `TTFSubset.encode` writes (test/unit/pdf-assets.test.ts),
 * without its path through restructure's generic encoders, which decode each table and glyph
 * metric into objects, size them and write them back field by field. On the first document of a
 * container that path, run for the first time, cost 10 ms for the two fonts; this one copies bytes.
 *
 * What fontkit writes, and so what this writes:
 * - the tables a PDF needs (PDF 32000-1 §9.9), in this order: `head`, `hhea`, `loca`, `maxp`,
 *   `cvt `, `prep`, `glyf`, `hmtx`, `fpgm` (`cvt `, `prep` and `fpgm` the font's, copied whole, each
 *   only if the font has it and it is not empty);
 * - a directory tagged `true`, every checksum 0, the tables one after the other without padding;
 * - the glyphs in the subset's order (the missing glyph first, as fontkit's subset starts), each a
 *   copy of its bytes; a composite glyph also brings its components into the subset, renumbered;
 * - `head`, `hhea`, `maxp` as fontkit decodes then encodes them: the `macStyle` bits fontkit does
 *   not name dropped, `hhea`'s reserved words zeroed, `maxp` in its 32-byte version 1.0 layout;
 *   the count of glyphs, the count of metrics and the loca format of the subset written in;
 * - each glyph's advance and left side bearing from the font's `hmtx` (the last advance repeated
 *   past the table's metrics, as OpenType says).
 * A font this does not describe (no `glyf`, CFF outlines, variations, an older `maxp`, an odd `cvt `,
 * a table past the end of the file) gets no writer: fontkit subsets it.
 */

/** Where a table is in the font file (fontkit's `directory.tables` entries). */
export interface TableEntry {
  readonly offset: number;
  readonly length: number;
}

/** The `loca` table as fontkit keeps it: offsets into `glyf`, the short format's already doubled. */
export interface LocaTable {
  readonly version: number;
  readonly offsets: ArrayLike<number>;
}

/** A fontkit subset: the glyph ids it holds, in order, and how a glyph joins it. */
export interface GrowingSubset {
  readonly glyphs: readonly number[];
  includeGlyph(glyph: number): number;
}

const HEAD_SIZE = 54;
const HHEA_SIZE = 36;
const MAXP_SIZE = 32;
/** The `macStyle` bits fontkit names (bold … extended); it writes back only those. */
const MAC_STYLE_NAMED = 0x7f;

// Composite glyph flags (OpenType `glyf`).
const ARG_1_AND_2_ARE_WORDS = 0x0001;
const WE_HAVE_A_SCALE = 0x0008;
const MORE_COMPONENTS = 0x0020;
const WE_HAVE_AN_X_AND_Y_SCALE = 0x0040;
const WE_HAVE_A_TWO_BY_TWO = 0x0080;

/** The tables of fontkit's subsets, in its order. */
const TABLES = ['head', 'hhea', 'loca', 'maxp', 'cvt ', 'prep', 'glyf', 'hmtx', 'fpgm'] as const;
/** Those it copies whole from the font, when the font has them. */
const COPIED = ['cvt ', 'prep', 'fpgm'] as const;

/**
 * A writer of the font's subsets, or `undefined` when the font is not one this module describes.
 * `loca` is read when a subset is written (fontkit's own, or the one read from the file).
 */
export function trueTypeSubsetWriter(
  bytes: Uint8Array,
  tables: Readonly<Record<string, TableEntry | undefined>>,
  loca: () => LocaTable,
): ((subset: GrowingSubset) => Uint8Array) | undefined {
  const { head, hhea, maxp, hmtx, glyf } = tables;
  if (!head || !hhea || !maxp || !hmtx || !glyf || !tables.loca) return undefined;
  if (tables['CFF '] || tables.CFF2 || tables.fvar) return undefined;
  if (Object.values(tables).some((entry) => entry && entry.offset + entry.length > bytes.length)) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (head.length < HEAD_SIZE || hhea.length < HHEA_SIZE || maxp.length < MAXP_SIZE) return undefined;
  if (view.getInt32(maxp.offset) !== 0x00010000) return undefined;
  const copied = COPIED.map((tag) => [tag, tables[tag]] as const).filter(
    (entry): entry is readonly [(typeof COPIED)[number], TableEntry] => entry[1] !== undefined && entry[1].length > 0,
  );
  // fontkit reads `cvt ` as 16-bit words up to the table's end: an odd length would gain a byte.
  if (copied.some(([tag, entry]) => tag === 'cvt ' && entry.length % 2 !== 0)) return undefined;

  const numberOfMetrics = view.getUint16(hhea.offset + 34);
  const numGlyphs = view.getUint16(maxp.offset + 4);
  /** fontkit's `glyph.advanceWidth` and left side bearing, from `hmtx`. */
  const metricsOf = (gid: number): [advance: number, bearing: number] => {
    if (gid < numberOfMetrics) return [view.getUint16(hmtx.offset + 4 * gid), view.getInt16(hmtx.offset + 4 * gid + 2)];
    const advance = numberOfMetrics > 0 ? view.getUint16(hmtx.offset + 4 * (numberOfMetrics - 1)) : 0;
    const index = gid - numberOfMetrics;
    const bearing = index < numGlyphs - numberOfMetrics ? view.getInt16(hmtx.offset + 4 * numberOfMetrics + 2 * index) : 0;
    return [advance, bearing];
  };

  return (subset) => {
    const { offsets, version } = loca();
    const glyphs: Uint8Array[] = [];
    let glyfLength = 0;
    // The subset grows while it is written: a composite glyph brings its components.
    for (let i = 0; i < subset.glyphs.length; i++) {
      const gid = subset.glyphs[i]!;
      const start = offsets[gid]!;
      const end = offsets[gid + 1]!;
      let glyph = bytes.subarray(glyf.offset + start, glyf.offset + Math.max(start, end));
      if (start !== end && view.getInt16(glyf.offset + start) < 0) glyph = renumberComponents(view, glyf.offset + start, glyph, subset);
      glyphs.push(glyph);
      glyfLength += glyph.length;
    }
    const count = glyphs.length;
    const locaEntry = version === 0 ? 2 : 4;
    const sizeOf: Partial<Record<(typeof TABLES)[number], number>> = {
      head: HEAD_SIZE,
      hhea: HHEA_SIZE,
      loca: (count + 1) * locaEntry,
      maxp: MAXP_SIZE,
      glyf: glyfLength,
      hmtx: 4 * count,
      ...Object.fromEntries(copied.map(([tag, entry]) => [tag, entry.length])),
    };
    const sizes = TABLES.flatMap((tag) => (sizeOf[tag] === undefined ? [] : [[tag, sizeOf[tag]] as const]));
    const directorySize = 12 + 16 * sizes.length;
    const out = new Uint8Array(directorySize + sizes.reduce((sum, [, size]) => sum + size, 0));
    const w = new DataView(out.buffer);

    // The directory, as restructure writes fontkit's: tag `true`, checksums 0, the search fields
    // computed with fontkit's own floating-point expressions (so rounded alike).
    const maxPowerOf2 = 2 ** Math.floor(Math.log(sizes.length) / Math.LN2);
    writeTag(out, 0, 'true');
    w.setUint16(4, sizes.length);
    w.setUint16(6, maxPowerOf2 * 16);
    w.setUint16(8, Math.log(maxPowerOf2) / Math.LN2);
    w.setUint16(10, sizes.length * 16 - maxPowerOf2 * 16);
    const at: Record<string, number> = {};
    let offset = directorySize;
    sizes.forEach(([tag, size], i) => {
      const entry = 12 + 16 * i;
      writeTag(out, entry, tag);
      w.setUint32(entry + 8, offset);
      w.setUint32(entry + 12, size);
      at[tag] = offset;
      offset += size;
    });

    // head: the font's, its unnamed macStyle bits dropped, the subset's loca format.
    out.set(bytes.subarray(head.offset, head.offset + HEAD_SIZE), at.head!);
    w.setUint16(at.head! + 44, view.getUint16(head.offset + 44) & MAC_STYLE_NAMED);
    w.setInt16(at.head! + 50, version);
    // hhea: the font's, reserved words zeroed, one metric per glyph.
    out.set(bytes.subarray(hhea.offset, hhea.offset + 24), at.hhea!);
    w.setInt16(at.hhea! + 32, view.getInt16(hhea.offset + 32));
    w.setUint16(at.hhea! + 34, count);
    // loca: where each glyph starts in the subset's glyf, then its end (the short format halved).
    let glyphAt = 0;
    for (let i = 0; i <= count; i++) {
      if (version === 0) w.setUint16(at.loca! + 2 * i, glyphAt >>> 1);
      else w.setUint32(at.loca! + 4 * i, glyphAt);
      glyphAt += glyphs[i]?.length ?? 0;
    }
    // maxp: the font's, with the subset's count of glyphs.
    out.set(bytes.subarray(maxp.offset, maxp.offset + MAXP_SIZE), at.maxp!);
    w.setUint16(at.maxp! + 4, count);
    for (const [tag, entry] of copied) out.set(bytes.subarray(entry.offset, entry.offset + entry.length), at[tag]!);
    let glyfAt = at.glyf!;
    for (const glyph of glyphs) {
      out.set(glyph, glyfAt);
      glyfAt += glyph.length;
    }
    // hmtx: each glyph's advance and left side bearing, in the subset's order.
    for (let i = 0; i < count; i++) {
      const [advance, bearing] = metricsOf(subset.glyphs[i]!);
      w.setUint16(at.hmtx! + 4 * i, advance);
      w.setInt16(at.hmtx! + 4 * i + 2, bearing);
    }
    return out;
  };
}

/**
 * A copy of a composite glyph, each component's glyph id replaced by its id in the subset (the
 * component joining the subset if it was not in it), as fontkit's `_addGlyph` does.
 */
function renumberComponents(view: DataView, glyphStart: number, glyph: Uint8Array, subset: GrowingSubset): Uint8Array {
  const components: [position: number, gid: number][] = [];
  let at = glyphStart + 10;
  let flags = MORE_COMPONENTS;
  while (flags & MORE_COMPONENTS) {
    flags = view.getUint16(at);
    components.push([at + 2 - glyphStart, view.getUint16(at + 2)]);
    at += 4 + (flags & ARG_1_AND_2_ARE_WORDS ? 4 : 2);
    if (flags & WE_HAVE_A_SCALE) at += 2;
    else if (flags & WE_HAVE_AN_X_AND_Y_SCALE) at += 4;
    else if (flags & WE_HAVE_A_TWO_BY_TWO) at += 8;
  }
  const copy = new Uint8Array(glyph);
  const w = new DataView(copy.buffer);
  for (const [position, gid] of components) w.setUint16(position, subset.includeGlyph(gid));
  return copy;
}

function writeTag(out: Uint8Array, at: number, tag: string): void {
  for (let i = 0; i < 4; i++) out[at + i] = tag.charCodeAt(i);
}
