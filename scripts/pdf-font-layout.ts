/**
 * Writes `<font>.layout.json` beside each font of the PDF assets layer: what fontkit's shaper does
 * to the words of Latin text, read from the font's own tables (functions/shared/pdf/font-layout.ts
 * says how it is used, and why).
 *
 * A character is kept when it has a glyph, its script is Latin or Common, fontkit lays it out alone
 * as its own glyph at its own advance (so not a default-ignorable, not a mark), and no lookup the
 * default shaper applies for the word's script can change a word made of kept characters, other than
 * - ligature substitutions (GSUB type 4, no lookup flag), kept as they are;
 * - pair adjustments of the first glyph's x advance (GPOS type 2, no lookup flag), kept as they are.
 * Any other lookup that can start on a kept glyph (its coverage, and the whole of its context rules
 * against the kept glyphs) removes that glyph's characters, until nothing changes. Then every pair of
 * kept characters, and every ligature's start followed by two of them, is laid out by fontkit and
 * by the tables, and any difference fails the script.
 *
 *   node scripts/pdf-font-layout.ts        (Node 24; rewrites the files, prints what it kept)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { create } from 'fontkit';
import {
  type FontLayoutData,
  type LaidGlyph,
  type LaidPosition,
  type LayoutFont,
  type PairSubtable,
  precomputedLayout,
  type ScriptTables,
  fontFingerprint,
  isDefaultIgnorable,
  type WordScript,
} from '../functions/shared/pdf/font-layout.ts';

const repoRoot = path.resolve(import.meta.dirname, '..');
export const FONTS_DIR = path.join(repoRoot, 'layers', 'pdf-assets', 'fonts');
export const FONT_FILES = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'] as const;
export const layoutFileOf = (fontFile: string) => fontFile.replace(/\.ttf$/, '.layout.json');

/**
 * The characters considered: tab and line ends (pdfkit measures some words with their « \n »; the
 * font draws them as .notdef, and so do the tables), Latin (Basic, Latin-1, Extended-A and B, for
 * names), the general punctuation (quotes, dashes, the narrow no-break space of French typography),
 * currencies, letterlike symbols (№, ™), arrows, mathematical operators (the minus sign « − »), box
 * drawing, geometric shapes, miscellaneous symbols (the box « ☐ » of the signature block) and
 * dingbats (✓). Left out: the fraction slash (it starts fontkit's fraction features) and the
 * characters fontkit hides as default-ignorable (soft hyphen, zero-width and direction marks):
 * fontkit decides that from the code points its cached glyph was first made with, which glyph 0
 * shares among a hundred characters.
 */
const CANDIDATE_RANGES: readonly (readonly [number, number])[] = [
  [0x09, 0x0a],
  [0x0d, 0x0d],
  [0x20, 0x7e],
  [0xa0, 0x24f],
  [0x2000, 0x206f],
  [0x20a0, 0x20cf],
  [0x2100, 0x214f],
  [0x2190, 0x22ff],
  [0x2500, 0x27bf],
];
/** The characters every pair of which, and every ligature start before two of them, is checked against fontkit. */
const CHECKED_IN_FULL = (codePoint: number) => codePoint < 0x250 || (codePoint >= 0x2000 && codePoint < 0x2150);
const LEFT_OUT = (codePoint: number) => codePoint === 0x2044 || isDefaultIgnorable(codePoint);

/**
 * The features of fontkit 2.0.4's default shaper, left to right. Its plan adds them all to one
 * stage (ShapingPlan.add; the default shaper adds no stage), whose lookups run in the order of
 * their indexes in the lookup list.
 */
const SHAPER_FEATURES: readonly string[] = [
  'rvrn',
  'ltra',
  'ltrm',
  'frac',
  'numr',
  'dnom',
  'ccmp',
  'locl',
  'rlig',
  'mark',
  'mkmk',
  'calt',
  'clig',
  'liga',
  'rclt',
  'curs',
  'kern',
];
/** fontkit's fallback when the font has no table for the word's script (OTProcessor.selectScript). */
const DEFAULT_SCRIPTS = ['DFLT', 'dflt', 'latn'];
const SCRIPTS: readonly WordScript[] = ['latn', 'zzzz'];

// ---- fontkit's decoded tables, as this script reads them -------------------------------------

interface Coverage {
  version: number;
  glyphs?: ArrayLike<number>;
  rangeRecords?: ArrayLike<{ start: number; end: number }>;
}
interface ClassDef {
  version: number;
  startGlyph?: number;
  classValueArray?: ArrayLike<number>;
  classRangeRecord?: ArrayLike<{ start: number; end: number; class: number }>;
}
// biome-ignore lint/suspicious/noExplicitAny: fontkit's decoded OpenType structures are untyped
type Table = any;
interface Lookup {
  lookupType: number;
  flags: { markAttachmentType: number; flags: Record<string, boolean> };
  subTables: Table;
}
interface LayoutTable {
  version: number;
  scriptList: { tag: string; script: { defaultLangSys: { featureIndexes: number[] } } }[];
  featureList: { tag: string; feature: { lookupListIndexes: number[] } }[];
  lookupList: { toArray(): Lookup[] };
  featureVariations?: unknown;
}

const list = <T>(x: ArrayLike<T> | { toArray(): T[] } | undefined | null): T[] =>
  x == null ? [] : 'toArray' in x && typeof x.toArray === 'function' ? x.toArray() : Array.from(x as ArrayLike<T>);

function coverageGlyphs(coverage: Coverage): number[] {
  if (coverage.version === 1) return list(coverage.glyphs);
  return list(coverage.rangeRecords).flatMap((r) => Array.from({ length: r.end - r.start + 1 }, (_, i) => r.start + i));
}

/** Whether a word of `alphabet` glyphs can hold a glyph of the coverage. */
const coverageMeets = (coverage: Coverage, alphabet: ReadonlySet<number>) => coverageGlyphs(coverage).some((g) => alphabet.has(g));

/** fontkit's OTProcessor.getClassID. */
function classOf(classDef: ClassDef, glyph: number): number {
  if (classDef.version === 1) {
    const i = glyph - (classDef.startGlyph ?? 0);
    const values = classDef.classValueArray;
    if (values && i >= 0 && i < values.length) return values[i] as number;
  } else if (classDef.version === 2) {
    for (const range of list(classDef.classRangeRecord)) if (range.start <= glyph && glyph <= range.end) return range.class;
  }
  return 0;
}

const noFlags = (lookup: Lookup) => lookup.flags.markAttachmentType === 0 && !Object.values(lookup.flags.flags).some(Boolean);

/** The subtables of a lookup, extensions opened: [lookup type, subtable]. */
function subtablesOf(lookup: Lookup, extensionType: number): [number, Table][] {
  return list<Table>(lookup.subTables).map((s) =>
    lookup.lookupType === extensionType ? [s.lookupType, s.extension] : [lookup.lookupType, s],
  );
}

/** The lookups the default shaper applies for `script`, in fontkit's order. */
function appliedLookups(table: LayoutTable | undefined, script: WordScript): { index: number; lookup: Lookup; feature: string }[] {
  if (!table) return [];
  if (table.featureVariations) throw new Error('feature variations are not read');
  const entry =
    table.scriptList.find((s) => s.tag === script) ??
    DEFAULT_SCRIPTS.map((tag) => table.scriptList.find((s) => s.tag === tag)).find(Boolean);
  // fontkit would keep the script of the word laid out before: not modelled.
  if (!entry) throw new Error(`${script}: the font has no script table fontkit would select`);
  const langSys = entry.script.defaultLangSys;
  if (!langSys) throw new Error(`${script}: the script table has no default language system`);
  // fontkit 2.0.4 never applies a language system's required feature (`reqFeatureIndex`: DejaVu's
  // DFLT names its « RQD » one), and the tables follow fontkit, whose bytes they must give.
  const features = new Map<string, number[]>();
  for (const i of langSys.featureIndexes) {
    const record = table.featureList[i];
    if (record) features.set(record.tag, record.feature.lookupListIndexes);
  }
  const lookups = table.lookupList.toArray();
  return SHAPER_FEATURES.flatMap((feature) =>
    (features.get(feature) ?? []).map((index) => ({ index, feature, lookup: lookups[index] as Lookup })),
  ).sort((a, b) => a.index - b.index);
}

/**
 * The glyphs of `alphabet` at which a contextual rule of this subtable (GSUB 5/6, GPOS 7/8) can
 * match in a word made of `alphabet` glyphs: a rule counts when every glyph, class or coverage it
 * asks for, backtrack and lookahead included, has a member in the alphabet.
 */
function contextStarts(sub: Table, alphabet: ReadonlySet<number>): number[] {
  const inAlphabet = (g: number) => alphabet.has(g);
  const classesIn = (classDef: ClassDef) => new Set([...alphabet].map((g) => classOf(classDef, g)));
  if (sub.version === 3) {
    const inputs: Coverage[] = list(sub.coverages ?? sub.inputCoverage);
    const others: Coverage[] = [...inputs.slice(1), ...list<Coverage>(sub.backtrackCoverage), ...list<Coverage>(sub.lookaheadCoverage)];
    return others.every((c) => coverageMeets(c, alphabet)) && inputs[0] ? coverageGlyphs(inputs[0]).filter(inAlphabet) : [];
  }
  const covered = coverageGlyphs(sub.coverage);
  if (sub.version === 1) {
    const sets: Table[] = list(sub.ruleSets ?? sub.chainRuleSets);
    return covered.filter(
      (g, i) =>
        inAlphabet(g) &&
        list<Table>(sets[i]).some((rule) =>
          [...list<number>(rule.input), ...list<number>(rule.backtrack), ...list<number>(rule.lookahead)].every(inAlphabet),
        ),
    );
  }
  if (sub.version === 2) {
    const chained = 'inputClassDef' in sub;
    const input: ClassDef = chained ? sub.inputClassDef : sub.classDef;
    const inputClasses = classesIn(input);
    const backtrack = chained ? classesIn(sub.backtrackClassDef) : new Set<number>();
    const lookahead = chained ? classesIn(sub.lookaheadClassDef) : new Set<number>();
    const sets: Table[] = list(chained ? sub.chainClassSet : sub.classSet);
    return covered.filter((g) => {
      if (!inAlphabet(g)) return false;
      return list<Table>(sets[classOf(input, g)]).some(
        (rule) =>
          list<number>(rule.input ?? rule.classes).every((c) => inputClasses.has(c)) &&
          list<number>(rule.backtrack).every((c) => backtrack.has(c)) &&
          list<number>(rule.lookahead).every((c) => lookahead.has(c)),
      );
    });
  }
  throw new Error(`context format ${sub.version} is not read`);
}

// ---- the analysis ----------------------------------------------------------------------------

interface FontkitFont extends LayoutFont {
  GSUB?: LayoutTable;
  GPOS?: LayoutTable;
  GDEF?: { glyphClassDef?: ClassDef };
  kern?: unknown;
  _variationProcessor?: unknown;
  glyphForCodePoint(codePoint: number): LaidGlyph;
  layout(
    text: string,
    features?: unknown,
    script?: string,
  ): { glyphs: LaidGlyph[]; positions: LaidPosition[]; script: string; advanceWidth: number };
}

interface Char {
  readonly codePoint: number;
  readonly glyph: number;
  readonly latin: boolean;
}

/** The script's tables for the characters kept, and the glyphs at which something else can happen. */
function analyseScript(font: FontkitFont, script: WordScript, chars: readonly Char[]): { tables: ScriptTables; unsafe: Set<number> } {
  const alphabet = new Set(chars.filter((c) => script === 'latn' || !c.latin).map((c) => c.glyph));
  const unsafe = new Set<number>();
  const ligatures: [number, number[], number][] = [];
  /** Ligature glyph → its first glyph (a ligature glyph something else can act on removes its first glyph). */
  const madeFrom = new Map<number, number>();
  let ligatureLookups = 0;
  const markUnsafe = (glyphs: Iterable<number>) => {
    for (const g of glyphs) if (alphabet.has(g)) unsafe.add(madeFrom.get(g) ?? g);
  };
  for (const { lookup } of appliedLookups(font.GSUB, script)) {
    // Ligatures join the alphabet once their lookup has run (it does not act on what it made).
    const made: number[] = [];
    for (const [type, sub] of subtablesOf(lookup, 7)) {
      if (type === 4 && noFlags(lookup)) {
        const firsts = coverageGlyphs(sub.coverage);
        const sets = list<Table>(sub.ligatureSets);
        firsts.forEach((first, i) => {
          if (!alphabet.has(first)) return;
          for (const ligature of list<Table>(sets[i])) {
            const rest = list<number>(ligature.components);
            if (!rest.every((g) => alphabet.has(g))) continue;
            ligatures.push([first, rest, ligature.glyph]);
            madeFrom.set(ligature.glyph, first);
            made.push(ligature.glyph);
          }
        });
      } else if (type === 5 || type === 6) markUnsafe(contextStarts(sub, alphabet));
      else if (type === 8) {
        const around = [...list<Coverage>(sub.backtrackCoverage), ...list<Coverage>(sub.lookaheadCoverage)];
        if (around.every((c) => coverageMeets(c, alphabet))) markUnsafe(coverageGlyphs(sub.coverage));
      } else markUnsafe(coverageGlyphs(sub.coverage));
    }
    if (made.length && ++ligatureLookups > 1) throw new Error(`${script}: ligatures of more than one lookup are not modelled`);
    for (const g of made) alphabet.add(g);
  }
  const kerning: PairSubtable[][] = [];
  const gposLookups = appliedLookups(font.GPOS, script);
  if (!gposLookups.some((l) => l.feature === 'kern') && font.kern) throw new Error(`${script}: the legacy kern table would be used`);
  for (const { lookup } of gposLookups) {
    const pairSubtables: PairSubtable[] = [];
    for (const [type, sub] of subtablesOf(lookup, 9)) {
      if (type === 2) {
        const onlyXAdvance = (format: Record<string, boolean>) => Object.entries(format).every(([k, on]) => !on || k === 'xAdvance');
        const nothing = (format: Record<string, boolean>) => !Object.values(format).some(Boolean);
        if (!noFlags(lookup) || !onlyXAdvance(sub.valueFormat1) || !nothing(sub.valueFormat2)) {
          markUnsafe(coverageGlyphs(sub.coverage));
          continue;
        }
        pairSubtables.push(reducePairs(sub, alphabet));
      } else if (type === 4 || type === 5) markUnsafe(coverageGlyphs(sub.markCoverage));
      else if (type === 6) markUnsafe(coverageGlyphs(sub.mark1Coverage));
      else if (type === 7 || type === 8) markUnsafe(contextStarts(sub, alphabet));
      else markUnsafe(coverageGlyphs(sub.coverage));
    }
    if (pairSubtables.length) kerning.push(pairSubtables);
  }
  return { tables: { ligatures, kerning }, unsafe };
}

/** A pair subtable, for the glyphs of the alphabet. */
function reducePairs(sub: Table, alphabet: ReadonlySet<number>): PairSubtable {
  const covered = coverageGlyphs(sub.coverage);
  if (sub.version === 1) {
    const pairs: Record<string, Record<string, number>> = {};
    covered.forEach((first, i) => {
      if (!alphabet.has(first)) return;
      const row: Record<string, number> = {};
      for (const pair of list<Table>(sub.pairSets.get(i))) {
        if (alphabet.has(pair.secondGlyph) && !(pair.secondGlyph in row)) row[pair.secondGlyph] = pair.value1.xAdvance ?? 0;
      }
      if (Object.keys(row).length) pairs[first] = row;
    });
    return { format: 1, pairs };
  }
  if (sub.version !== 2) throw new Error(`pair format ${sub.version} is not read`);
  const coverage = covered.filter((g) => alphabet.has(g));
  const class1: Record<string, number> = {};
  const class2: Record<string, number> = {};
  const rows = new Set<number>([0]);
  for (const g of coverage) {
    const c = classOf(sub.classDef1, g);
    if (c) class1[g] = c;
    rows.add(c);
  }
  for (const g of [...alphabet].sort((a, b) => a - b)) {
    const c = classOf(sub.classDef2, g);
    if (c) class2[g] = c;
  }
  const values: Record<string, number[]> = {};
  for (const c1 of [...rows].sort((a, b) => a - b)) {
    const record = sub.classRecords.get(c1);
    values[c1] = Array.from({ length: sub.class2Count as number }, (_, c2) => record.get(c2).value1.xAdvance ?? 0);
  }
  return { format: 2, coverage, class1, class2, values };
}

function candidateChars(font: FontkitFont): Char[] {
  const glyphClass = font.GDEF?.glyphClassDef;
  const chars: Char[] = [];
  for (const [from, to] of CANDIDATE_RANGES) {
    for (let codePoint = from; codePoint <= to; codePoint++) {
      if (LEFT_OUT(codePoint)) continue;
      const glyph = font.glyphForCodePoint(codePoint);
      if (glyphClass && ![0, 1].includes(classOf(glyphClass, glyph.id))) continue;
      const alone = font.layout(String.fromCharCode(codePoint));
      const [laid] = alone.glyphs;
      const [position] = alone.positions;
      if (alone.glyphs.length !== 1 || laid?.id !== glyph.id || !position) continue;
      if (position.xAdvance !== glyph.advanceWidth || position.yAdvance || position.xOffset || position.yOffset) continue;
      if (alone.script !== 'latn' && alone.script !== 'zzzz') continue;
      chars.push({ codePoint, glyph: glyph.id, latin: alone.script === 'latn' });
    }
  }
  return chars;
}

/** The layout data of one font file's bytes. */
export function computeFontLayout(bytes: Buffer, file: string): FontLayoutData {
  const font = create(bytes) as unknown as FontkitFont;
  if (font._variationProcessor) throw new Error(`${file}: variable fonts are not read`);
  let chars = candidateChars(font);
  for (;;) {
    const analysed = SCRIPTS.map((script) => analyseScript(font, script, chars));
    const unsafe = new Set(analysed.flatMap((a) => [...a.unsafe]));
    if (unsafe.size === 0) {
      const [latn, zzzz] = analysed.map((a) => a.tables) as [ScriptTables, ScriptTables];
      return {
        format: 1,
        font: { file, fingerprint: fontFingerprint(bytes) },
        chars: chars.map((c) => [c.codePoint, c.glyph, c.latin ? 1 : 0] as const),
        scripts: { latn, zzzz },
      };
    }
    chars = chars.filter((c) => !unsafe.has(c.glyph));
  }
}

// ---- the check against fontkit -----------------------------------------------------------------

/** Where two layouts of a word differ (glyphs, code points, positions, advance), or undefined. */
export function layoutDifference(
  word: string,
  expected: { glyphs: readonly LaidGlyph[]; positions: readonly LaidPosition[]; advanceWidth: number },
  actual: { glyphs: readonly LaidGlyph[]; positions: readonly LaidPosition[]; advanceWidth: number },
): string | undefined {
  const show = (run: typeof expected) =>
    JSON.stringify({
      glyphs: run.glyphs.map((g) => [g.id, ...g.codePoints]),
      positions: run.positions.map((p) => [p.xAdvance, p.yAdvance, p.xOffset, p.yOffset]),
      advanceWidth: run.advanceWidth,
    });
  const [e, a] = [show(expected), show(actual)];
  return e === a ? undefined : `${JSON.stringify(word)}: fontkit ${e}, tables ${a}`;
}

/**
 * fontkit and the tables agree on every pair of the kept characters of CHECKED_IN_FULL, and on each
 * ligature's first character followed by any two of them; each other kept character is checked
 * before and after every one of those.
 */
export function checkAgainstFontkit(bytes: Buffer, data: FontLayoutData): number {
  const font = create(bytes) as unknown as FontkitFont;
  const fast = precomputedLayout(font, data);
  const codePoints = data.chars.map(([cp]) => cp).filter(CHECKED_IN_FULL);
  const others = data.chars.map(([cp]) => cp).filter((cp) => !CHECKED_IN_FULL(cp));
  const firsts = new Set(data.scripts.latn.ligatures.map(([first]) => first));
  const starts = data.chars.filter(([, glyph]) => firsts.has(glyph)).map(([cp]) => cp);
  let checked = 0;
  const check = (word: string) => {
    const actual = fast(word);
    if (!actual) throw new Error(`${JSON.stringify(word)} is not covered`);
    const difference = layoutDifference(word, font.layout(word), actual);
    if (difference) throw new Error(`${data.font.file}: ${difference}`);
    checked++;
  };
  for (const a of codePoints) for (const b of codePoints) check(String.fromCharCode(a, b));
  for (const s of starts) for (const a of codePoints) for (const b of codePoints) check(String.fromCharCode(s, a, b));
  for (const o of others) {
    for (const a of codePoints) {
      check(String.fromCharCode(o, a));
      check(String.fromCharCode(a, o));
    }
  }
  for (const o of others) for (const p of others) check(String.fromCharCode(o, p));
  // Kerning on both sides of each ligature (ff, fi, fl, ffi, ffl and any character).
  const glyphChars = new Map<number, number>();
  for (const [cp, glyph] of data.chars) if (!glyphChars.has(glyph)) glyphChars.set(glyph, cp);
  for (const [first, rest] of data.scripts.latn.ligatures) {
    const sequence = String.fromCharCode(...[first, ...rest].map((g) => glyphChars.get(g) as number));
    for (const a of codePoints) {
      check(String.fromCharCode(a) + sequence);
      check(sequence + String.fromCharCode(a));
    }
  }
  return checked;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const file of FONT_FILES) {
    const bytes = readFileSync(path.join(FONTS_DIR, file));
    const started = performance.now();
    const data = computeFontLayout(bytes, file);
    const checked = checkAgainstFontkit(bytes, data);
    writeFileSync(path.join(FONTS_DIR, layoutFileOf(file)), `${JSON.stringify(data)}\n`);
    const pairs = data.scripts.latn.kerning.length;
    console.log(
      `${file}: ${data.chars.length} characters kept, ${data.scripts.latn.ligatures.length} ligatures, ${pairs} kerning lookups (latn); ` +
        `${checked} words checked against fontkit in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
  }
}
