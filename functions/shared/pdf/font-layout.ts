/**
 * Words of Latin text laid out from a font's precomputed tables instead of fontkit's shaper, with
 * the same glyphs and positions, so the same PDF bytes.
 *
 * pdfkit lays out every word of a document through fontkit (`font.layout(word)`): script detection,
 * a shaping plan, every GSUB and GPOS lookup of the script run over the word. In a cold container
 * that first run of the shaper's code is about half of the first document's render (65 of 145 ms
 * for the 45-line quote). For the house fonts and the characters of French documents, the shaper's
 * whole effect reduces to three things, which `scripts/pdf-font-layout.ts` reads from the font's
 * own GSUB and GPOS tables and writes beside it (`<font>.layout.json`, in the PDF assets layer):
 *
 * - each character's glyph (the font's cmap), and whether its script is Latin or Common, which
 *   decides the OpenType script of the word (`latn`, or `zzzz` when the word has no Latin letter);
 * - the ligatures the script's features can form from those characters (DejaVu: ff, fi, fl, ffi,
 *   ffl), in the order fontkit tries them;
 * - the pair adjustments (kerning) of the script's GPOS lookups, kept as the font stores them
 *   (pairs of glyphs or classes of glyphs) for the glyphs that can occur.
 *
 * The generator keeps a character only if no other lookup of the script can change a word made of
 * such characters (it checks every lookup's coverage and context against them) and checks its
 * tables against fontkit's own layout of every pair of characters. A word with any other character
 * (an Arabic name, a combining accent) is laid out by fontkit, as before. The data is tied to the
 * font file by its fingerprint (its length, and the checksum of every table the font declares,
 * which any font tool rewrites with the table): another font gets fontkit only.
 * test/unit/pdf-font-layout.test.ts compares both layouts on every character, the documents' words
 * and random words; test/unit/legacy-documents.test.ts pins the bytes of issued documents.
 */
/** What scripts/pdf-font-layout.ts writes for one font (format 1). */
export interface FontLayoutData {
  readonly format: 1;
  /** The font file (its name in the layer) and its fingerprint (`fontFingerprint`). */
  readonly font: { readonly file: string; readonly fingerprint: string };
  /** [code point, glyph id, 1 if the character's script is Latin, 0 if Common], by code point. */
  readonly chars: readonly (readonly [number, number, 0 | 1])[];
  /** By the OpenType script fontkit gives a word: `latn`, or `zzzz` (no Latin letter). */
  readonly scripts: Readonly<Record<WordScript, ScriptTables>>;
}

export type WordScript = 'latn' | 'zzzz';

export interface ScriptTables {
  /** [first glyph, the glyphs after it, ligature glyph], in the order fontkit tries them. */
  readonly ligatures: readonly (readonly [number, readonly number[], number])[];
  /** The pair-adjustment lookups, in the order applied; each its subtables, in order. */
  readonly kerning: readonly (readonly PairSubtable[])[];
}

/** A GPOS pair-adjustment subtable (x advance of the first glyph only), reduced to the glyphs that can occur. */
export type PairSubtable =
  /** Format 1: by first glyph in the coverage, the second glyphs it has a value for. */
  | { readonly format: 1; readonly pairs: Readonly<Record<string, Readonly<Record<string, number>>>> }
  /** Format 2: the first glyphs in the coverage, the classes of both glyphs (0 if absent), the values by class. */
  | {
      readonly format: 2;
      readonly coverage: readonly number[];
      readonly class1: Readonly<Record<string, number>>;
      readonly class2: Readonly<Record<string, number>>;
      /** By first class, the x advance for each second class (a row per class of the coverage's glyphs). */
      readonly values: Readonly<Record<string, readonly number[]>>;
    };

/** The part of a fontkit glyph pdfkit reads. */
export interface LaidGlyph {
  readonly id: number;
  readonly codePoints: readonly number[];
  readonly advanceWidth: number;
}

/** The position fontkit gives a glyph (its GlyphPosition), in font units. */
export interface LaidPosition {
  xAdvance: number;
  yAdvance: number;
  xOffset: number;
  yOffset: number;
}

/** What pdfkit reads of fontkit's GlyphRun: the glyphs, their positions and the run's advance (summed when read, as fontkit does). */
export class LaidRun {
  readonly glyphs: LaidGlyph[];
  readonly positions: LaidPosition[];
  #advanceWidth: number | undefined;
  constructor(glyphs: LaidGlyph[], positions: LaidPosition[]) {
    this.glyphs = glyphs;
    this.positions = positions;
  }
  /**
   * Summed on first reading and kept: pdfkit reads it for every word of every string it measures or
   * draws (its cached words included), and scales the positions (EmbeddedFont.layoutRun) before
   * anything reads it, never after.
   */
  get advanceWidth(): number {
    if (this.#advanceWidth === undefined) {
      let width = 0;
      for (const position of this.positions) width += position.xAdvance;
      this.#advanceWidth = width;
    }
    return this.#advanceWidth;
  }
}

/** The fontkit font as this module uses it: its glyph cache (`getGlyph(id, codePoints)`) and `layout`. */
export interface LayoutFont {
  getGlyph(id: number, codePoints?: number[]): LaidGlyph;
  layout(text: string, ...rest: unknown[]): unknown;
}

interface PreparedScript {
  /** By first glyph: [the glyphs after it, ligature glyph], in order. */
  readonly ligatures: ReadonlyMap<number, readonly (readonly [readonly number[], number])[]>;
  readonly kerning: readonly (readonly PreparedPair[])[];
  /** Pair adjustments computed so far, by first glyph × 65 536 + second glyph. */
  readonly pairs: Map<number, number>;
}

/** A pair subtable as the data gives it (records indexed by glyph id), its coverage as a set. */
type PreparedPair =
  | { readonly format: 1; readonly pairs: Readonly<Record<number, Readonly<Record<number, number>> | undefined>> }
  | {
      readonly format: 2;
      readonly coverage: ReadonlySet<number>;
      readonly class1: Readonly<Record<number, number | undefined>>;
      readonly class2: Readonly<Record<number, number | undefined>>;
      readonly values: Readonly<Record<number, readonly number[] | undefined>>;
    };

function prepareScript(tables: ScriptTables): PreparedScript {
  const ligatures = new Map<number, (readonly [readonly number[], number])[]>();
  for (const [first, rest, ligature] of tables.ligatures) {
    const list = ligatures.get(first) ?? [];
    list.push([rest, ligature]);
    ligatures.set(first, list);
  }
  const kerning = tables.kerning.map((subtables) =>
    subtables.map((s): PreparedPair => (s.format === 1 ? s : { ...s, coverage: new Set(s.coverage) })),
  );
  return { ligatures, kerning, pairs: new Map() };
}

/** The x advance the script's pair lookups add to `first` when `second` follows it (fontkit's GPOSProcessor, lookup type 2). */
function pairAdjustment(script: PreparedScript, first: number, second: number): number {
  const key = first * 65_536 + second;
  const known = script.pairs.get(key);
  if (known !== undefined) return known;
  let adjustment = 0;
  for (const subtables of script.kerning) {
    for (const subtable of subtables) {
      if (subtable.format === 1) {
        const value = subtable.pairs[first]?.[second];
        if (value === undefined) continue;
        adjustment += value;
        break;
      }
      if (!subtable.coverage.has(first)) continue;
      adjustment += subtable.values[subtable.class1[first] ?? 0]?.[subtable.class2[second] ?? 0] ?? 0;
      break;
    }
  }
  script.pairs.set(key, adjustment);
  return adjustment;
}

/** The layout of words from a font's precomputed tables; `undefined` for a word it does not cover. */
export function precomputedLayout(font: LayoutFont, data: FontLayoutData): (word: string) => LaidRun | undefined {
  // By code point: glyph × 2 + 1 if Latin, +1 (0: not covered).
  const chars = new Int32Array(data.chars.reduce((max, [codePoint]) => Math.max(max, codePoint), 0) + 1);
  for (const [codePoint, glyph, latin] of data.chars) chars[codePoint] = glyph * 2 + latin + 1;
  const glyphByChar: (LaidGlyph | undefined)[] = [];
  const scripts: Record<WordScript, PreparedScript> = {
    latn: prepareScript(data.scripts.latn),
    zzzz: prepareScript(data.scripts.zzzz),
  };
  return (word) => {
    const length = word.length;
    if (length === 0) return undefined;
    const ids: number[] = new Array(length);
    let latin = false;
    for (let i = 0; i < length; i++) {
      const known = chars[word.charCodeAt(i)];
      if (!known) return undefined;
      ids[i] = (known - 1) >> 1;
      if ((known - 1) & 1) latin = true;
    }
    const script = scripts[latin ? 'latn' : 'zzzz'];
    // fontkit first makes a glyph per character (its cache keeps the code points a glyph was first
    // made with, and gives that same glyph for its id ever after: kept here by character).
    let glyphs: LaidGlyph[] = new Array(length);
    for (let i = 0; i < length; i++) {
      const codePoint = word.charCodeAt(i);
      glyphByChar[codePoint] ??= font.getGlyph(ids[i] as number, [codePoint]);
      const glyph = glyphByChar[codePoint];
      // A glyph fontkit first made for a character it hides (glyph 0 is shared): fontkit's word.
      if (isDefaultIgnorable(glyph.codePoints[0])) return undefined;
      glyphs[i] = glyph;
    }
    // Ligatures: at each glyph, the first of its ligatures whose other glyphs follow; then the glyph after it.
    if (script.ligatures.size > 0) {
      const out: LaidGlyph[] = [];
      for (let i = 0; i < glyphs.length; ) {
        const glyph = glyphs[i] as LaidGlyph;
        const match = script.ligatures.get(glyph.id)?.find(([rest]) => rest.every((component, k) => glyphs[i + 1 + k]?.id === component));
        if (!match) {
          out.push(glyph);
          i += 1;
          continue;
        }
        const [rest, ligature] = match;
        const codePoints = glyphs.slice(i, i + 1 + rest.length).flatMap((g) => g.codePoints);
        out.push(font.getGlyph(ligature, codePoints));
        i += 1 + rest.length;
      }
      glyphs = out;
    }
    const positions: LaidPosition[] = glyphs.map((glyph) => ({ xAdvance: glyph.advanceWidth, yAdvance: 0, xOffset: 0, yOffset: 0 }));
    for (let i = 0; i + 1 < glyphs.length; i++)
      (positions[i] as LaidPosition).xAdvance += pairAdjustment(script, (glyphs[i] as LaidGlyph).id, (glyphs[i + 1] as LaidGlyph).id);
    return new LaidRun(glyphs, positions);
  };
}

/**
 * The characters fontkit 2.0.4 draws as an invisible space (LayoutEngine.isDefaultIgnorable: Unicode's
 * default-ignorable code points, as HarfBuzz). fontkit asks it of the code points a glyph was first
 * made with, so a glyph first made for one of them is hidden for every character it serves.
 */
export function isDefaultIgnorable(ch: number | undefined): boolean {
  if (ch === undefined) return false;
  const plane = ch >> 16;
  if (plane === 0) {
    switch (ch >> 8) {
      case 0x00:
        return ch === 0x00ad;
      case 0x03:
        return ch === 0x034f;
      case 0x06:
        return ch === 0x061c;
      case 0x17:
        return ch >= 0x17b4 && ch <= 0x17b5;
      case 0x18:
        return ch >= 0x180b && ch <= 0x180e;
      case 0x20:
        return (ch >= 0x200b && ch <= 0x200f) || (ch >= 0x202a && ch <= 0x202e) || (ch >= 0x2060 && ch <= 0x206f);
      case 0xfe:
        return (ch >= 0xfe00 && ch <= 0xfe0f) || ch === 0xfeff;
      case 0xff:
        return ch >= 0xfff0 && ch <= 0xfff8;
      default:
        return false;
    }
  }
  if (plane === 1) return (ch >= 0x1bca0 && ch <= 0x1bca3) || (ch >= 0x1d173 && ch <= 0x1d17a);
  if (plane === 0xe) return ch >= 0xe0000 && ch <= 0xe0fff;
  return false;
}

/**
 * What identifies a font file without hashing it (a cold container would pay for loading
 * node:crypto and hashing 1.4 MB): its length, its whole-file checksum adjustment (`head`) and
 * the tag, checksum and length of every table in its directory (OpenType's own integrity fields).
 */
export function fontFingerprint(bytes: Uint8Array): string {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tables = view.getUint16(4);
  const parts = [String(bytes.byteLength)];
  for (let i = 0, at = 12; i < tables; i++, at += 16) {
    const tag = String.fromCharCode(bytes[at] ?? 0, bytes[at + 1] ?? 0, bytes[at + 2] ?? 0, bytes[at + 3] ?? 0);
    const checksum = view.getUint32(at + 4);
    const offset = view.getUint32(at + 8);
    parts.push(`${tag}:${checksum.toString(16)}/${view.getUint32(at + 12)}`);
    if (tag === 'head') parts.push(`adjustment:${view.getUint32(offset + 8).toString(16)}`);
  }
  return parts.join(' ');
}

/**
 * The font, its `layout(word)` answered from the precomputed tables when it covers the word and the
 * data was made from these very bytes; every other call (another word, features, a script) goes to
 * fontkit. Returns whether the tables are in use.
 */
export function usePrecomputedLayout(font: LayoutFont, bytes: Uint8Array, data: FontLayoutData): boolean {
  if (data.format !== 1 || data.font.fingerprint !== fontFingerprint(bytes)) return false;
  const fast = precomputedLayout(font, data);
  const shaped = font.layout.bind(font);
  Object.defineProperty(font, 'layout', {
    configurable: true,
    writable: true,
    value: (text: unknown, ...rest: unknown[]) =>
      (typeof text === 'string' && rest.every((arg) => arg === undefined) && fast(text)) || shaped(text as string, ...rest),
  });
  return true;
}
