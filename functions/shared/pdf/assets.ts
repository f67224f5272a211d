/**
 * The assets every PDF of the back office uses (fonts, logo), read and parsed once per container.
 *
 * They come from the layer of PDF assets, found at `PDF_ASSETS_DIR`: `/opt/pdf-assets` on Lambda
 * (set by the CDK for the functions granted `pdf` only), `<repo>/layers/pdf-assets` offline (set by
 * the local runtime, hidden from the functions not granted `pdf`). Like any granted variable it is
 * checked on every call, so a function without the grant fails offline as it would in Lambda,
 * even when another function of the process loaded the assets first. One fontkit font is shared by every
 * document (parsing the TTF per document costs more than a second) and handed to
 * `new PDFDocument({ font })` so that pdfkit never loads its standard Helvetica (which does not
 * survive esbuild bundling). Measured with pdfkit 0.20.2: about 1.4 s per document when the TTF
 * path is given per document, under 0.1 s with one shared fontkit font.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { create as createFont, type Font } from 'fontkit';
import { type FontLayoutData, type LayoutFont, usePrecomputedLayout } from './font-layout.ts';
import { type GrowingSubset, type LocaTable, type TableEntry, trueTypeSubsetWriter } from './truetype-subset.ts';

export interface PdfAssets {
  readonly regular: Font;
  readonly bold: Font;
  readonly logo: Buffer;
  /** Width ÷ height of the logo. */
  readonly logoRatio: number;
}

let assets: PdfAssets | undefined;

/** Where the layer of PDF assets is: `PDF_ASSETS_DIR` (granted with `pdf`). */
export function pdfAssetsDir(): string {
  const fromEnv = process.env.PDF_ASSETS_DIR;
  if (fromEnv === undefined || fromEnv === '') throw new Error('PDF_ASSETS_DIR is not set');
  return fromEnv;
}

function loadFont(file: string): Font {
  const bytes = readFileSync(file);
  const font = createFont(bytes);
  if (!('layout' in font)) throw new Error(`${file} is a font collection, not a font`);
  withPrecomputedLayout(font, bytes, file);
  return withDirectSubsets(withLocaRead(withPostHeaderOnly(font, bytes), bytes), bytes);
}

/**
 * The font's words of Latin text laid out from the tables precomputed beside it
 * (`DejaVuSans.layout.json`, by scripts/pdf-font-layout.ts; ./font-layout.ts says why), when they
 * were made from these bytes; otherwise, or without the file, every word goes through fontkit.
 */
function withPrecomputedLayout(font: Font, bytes: Buffer, file: string): boolean {
  let text: string;
  try {
    text = readFileSync(file.replace(/\.ttf$/, '.layout.json'), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
  const data = JSON.parse(text) as FontLayoutData;
  return usePrecomputedLayout(font as unknown as LayoutFont, bytes, data);
}

/**
 * The font with its `loca` table (where each glyph's outline starts, 6 000 offsets) read straight
 * from the file rather than number by number through fontkit's decoder (2 ms per font on the first
 * document): the same byte offsets, doubled for the short format as fontkit does
 * (test/unit/pdf-assets.test.ts); the long format's as a typed array swapped from the file's
 * big-endian words natively. fontkit only indexes it, to subset the font and to decode a glyph.
 */
export function withLocaRead(font: Font, bytes: Buffer): Font {
  const internals = font as unknown as FontTables & { head: { indexToLocFormat: number } };
  const entry = internals.directory.tables.loca;
  if (!entry || 'loca' in internals._tables) return font;
  const version = internals.head.indexToLocFormat;
  if (version !== 0 && version !== 1) return font;
  const size = version === 0 ? 2 : 4;
  const count = Math.floor(entry.length / size);
  let offsets: ArrayLike<number>;
  if (version === 1) {
    // The long format (DejaVu's): the big-endian words swapped natively into a typed array, which
    // fontkit only indexes (a glyph's outline, a subset's copy).
    const words = new Uint8Array(count * 4);
    words.set(bytes.subarray(entry.offset, entry.offset + count * 4));
    Buffer.from(words.buffer).swap32();
    offsets = new Uint32Array(words.buffer);
  } else {
    const doubled = new Array<number>(count);
    for (let i = 0, at = entry.offset; i < count; i++, at += 2) doubled[i] = bytes.readUInt16BE(at) * 2;
    offsets = doubled;
  }
  // As fontkit leaves it once decoded: the short offsets already doubled (`_processed`).
  internals._tables.loca = version === 0 ? { version, offsets, _processed: true } : { version, offsets };
  return font;
}

/**
 * The font, its subsets written straight from the file by ./truetype-subset.ts: the bytes fontkit's
 * TrueType subset writes (test/unit/pdf-assets.test.ts), without decoding each glyph and metric
 * copied and encoding the tables back through restructure (10 ms for the two fonts of the first
 * document of a container). A font that module does not describe keeps fontkit's subsets.
 */
export function withDirectSubsets(font: Font, bytes: Buffer): Font {
  const internals = font as unknown as FontTables & {
    loca: LocaTable;
    createSubset(): GrowingSubset & { encode(): Uint8Array; _addGlyph?: unknown };
  };
  const write = trueTypeSubsetWriter(bytes, internals.directory.tables, () => internals.loca);
  if (!write) return font;
  const createSubset = internals.createSubset.bind(font);
  Object.defineProperty(font, 'createSubset', {
    configurable: true,
    writable: true,
    value: () => {
      const subset = createSubset();
      // fontkit 2.0.4's TrueType subset (the only one ./truetype-subset.ts reproduces); another keeps its own.
      if (typeof subset._addGlyph === 'function' && Array.isArray(subset.glyphs)) subset.encode = () => write(subset);
      return subset;
    },
  });
  return font;
}

/** The fields of the `post` table before its glyph names (OpenType `post`, versions 1 to 4). */
export interface PostHeader {
  readonly version: number;
  readonly italicAngle: number;
  readonly underlinePosition: number;
  readonly underlineThickness: number;
  readonly isFixedPitch: number;
  readonly minMemType42: number;
  readonly maxMemType42: number;
  readonly minMemType1: number;
  readonly maxMemType1: number;
}

/**
 * The font with its `post` table read as its 32-byte header only. pdfkit reads `post.isFixedPitch`
 * and fontkit `post.italicAngle` (the PDF font descriptor), nothing else of it; but fontkit decodes
 * the whole table on first use, with the names of the 6 000 glyphs of DejaVu: 15 ms per font,
 * for the first document of every container. The glyph names (only `glyph.name` reads them, which
 * neither pdfkit nor fontkit's layout and subsetting call) are left out: asking for them fails.
 * Same values as fontkit's (test/unit/pdf-assets.test.ts), so the same bytes.
 */
export function withPostHeaderOnly(font: Font, bytes: Buffer): Font {
  const internals = font as unknown as FontTables;
  const entry = internals.directory.tables.post;
  if (!entry || 'post' in internals._tables) return font;
  const at = entry.offset;
  const fixed = (offset: number) => bytes.readInt32BE(at + offset) / 65536;
  const header: PostHeader = {
    version: fixed(0),
    italicAngle: fixed(4),
    underlinePosition: bytes.readInt16BE(at + 8),
    underlineThickness: bytes.readInt16BE(at + 10),
    isFixedPitch: bytes.readUInt32BE(at + 12),
    minMemType42: bytes.readUInt32BE(at + 16),
    maxMemType42: bytes.readUInt32BE(at + 20),
    minMemType1: bytes.readUInt32BE(at + 24),
    maxMemType1: bytes.readUInt32BE(at + 28),
  };
  const unread = () => {
    throw new Error('the glyph names of the post table are not read (functions/shared/pdf/assets.ts)');
  };
  const post = Object.defineProperties(
    { ...header },
    { glyphNameIndex: { get: unread }, names: { get: unread }, offsets: { get: unread }, map: { get: unread } },
  );
  // fontkit 2.0.4 keeps each table it decoded in `_tables` (pdfkit reads it too) and decodes a
  // table only if absent there: this one is never decoded.
  internals._tables.post = post;
  return font;
}

/** What fontkit 2.0.4 keeps of a TrueType font's tables: their place in the file, and those decoded. */
interface FontTables {
  readonly directory: { readonly tables: Record<string, TableEntry | undefined> };
  readonly _tables: Record<string, unknown>;
}

/** The fonts and the logo, loaded on first use and kept for the life of the container. */
export function loadPdfAssets(): PdfAssets {
  const dir = pdfAssetsDir();
  if (assets) return assets;
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
export const asFontSource = (font: Font) => font as unknown as string;
