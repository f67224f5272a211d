/**
 * The fontkit the bundles carry (infra/constructs/fontkit-trim.ts) leaves out only what the house
 * fonts never reach, and reads them as fontkit does; a change of fontkit stops the bundling rather
 * than cutting the wrong code. The bytes of documents rendered through a bundle are compared with
 * the unbundled ones in test/unit/pdf-bundle-aliases.test.ts.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as fontkit from 'fontkit';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../infra/constructs/bundling.ts';
import { CUT_TABLES, moduleLoadConstructions, trimFontkitSource, trimmedFontkit } from '../../infra/constructs/fontkit-trim.ts';
import { FONT_FILES, FONTS_DIR, layoutDifference } from '../../scripts/pdf-font-layout.ts';

const source = readFileSync(path.join(repoRoot, 'node_modules/fontkit/dist/module.mjs'), 'utf8');
const trimmedFile = trimmedFontkit(repoRoot);
const trimmed = (await import(pathToFileURL(trimmedFile).href)) as typeof fontkit;
const fonts = FONT_FILES.map((file) => ({ file, bytes: readFileSync(path.join(FONTS_DIR, file)) }));

type Run = Parameters<typeof layoutDifference>[1];
type Laid = { layout(text: string): Run; directory: { tables: Record<string, unknown> } };

describe('the trimmed fontkit', () => {
  it.each(fonts)('$file is a TrueType font with none of the tables cut', ({ bytes }) => {
    const font = fontkit.create(bytes) as unknown as Laid;
    const tables = Object.keys(font.directory.tables);
    expect(tables).toContain('glyf');
    for (const tag of CUT_TABLES) expect(tables).not.toContain(tag);
  });

  it.each(fonts)('reads $file as fontkit does: metrics, glyphs, words of every script it draws, subsets', ({ bytes }) => {
    const full = fontkit.create(bytes) as unknown as fontkit.Font & Laid;
    const cut = trimmed.create(bytes) as unknown as fontkit.Font & Laid;
    for (const key of ['postscriptName', 'unitsPerEm', 'ascent', 'descent', 'lineGap', 'capHeight', 'xHeight', 'numGlyphs'] as const)
      expect(cut[key], key).toEqual(full[key]);
    expect(cut.bbox).toEqual(full.bbox);
    for (const word of [
      'Désignation ',
      'efficace',
      'AVAT',
      'محمد بن علي',
      'שלום',
      'Ωμέγα',
      'Здравствуйте',
      'ⵜⴰⵎⴰⵣⵉⵖⵜ',
      'e\u0301te',
      '12\u00a0345,67 €',
    ])
      expect(layoutDifference(word, full.layout(word), cut.layout(word))).toBeUndefined();
    const subset = (font: fontkit.Font) => {
      const s = font.createSubset();
      for (const glyph of font.layout('Devis n° D-2026-0042 — « Bon pour accord »').glyphs) s.includeGlyph(glyph);
      return Buffer.from(s.encode());
    };
    expect(subset(cut).equals(subset(full))).toBe(true);
  });

  it('reads only TrueType: other formats are unknown, with the same message as fontkit gives any unknown format', () => {
    const woff = Buffer.concat([Buffer.from('wOFF'), Buffer.alloc(60)]);
    expect(() => trimmed.create(woff)).toThrow('Unknown font format');
    let fullError = '';
    try {
      fontkit.create(woff);
    } catch (error) {
      fullError = (error as Error).message;
    }
    expect(fullError).not.toBe('Unknown font format');
  });

  it('fails with a clear error where fontkit would start on a CFF, bitmap, colour, AAT or variable font', () => {
    const { bytes } = fonts[0] as (typeof fonts)[number];
    type Internals = {
      directory: { tables: Record<string, unknown> };
      _glyphs: Record<number, unknown>;
      variationCoords?: number[];
      getGlyph(id: number): unknown;
      createSubset(): unknown;
      layout(text: string): unknown;
      _variationProcessor: unknown;
    };
    // A TrueType font whose directory is made to say it has the table: what fontkit reads first.
    const withTables = (...tags: string[]) => {
      const font = trimmed.create(bytes) as unknown as Internals;
      for (const tag of tags) font.directory.tables[tag] = { tag, offset: 0, length: 4 };
      return font;
    };
    const message = 'fonts are not in the PDF bundles (infra/constructs/fontkit-trim.ts)';
    expect(() => withTables('morx').layout('a')).toThrow(`AAT (morx) ${message}`);
    expect(() => withTables('sbix').getGlyph(36)).toThrow(`sbix (bitmap) ${message}`);
    expect(() => withTables('COLR', 'CPAL').getGlyph(36)).toThrow(`COLR (colour) ${message}`);
    expect(() => withTables('CFF ').createSubset()).toThrow(`CFF ${message}`);
    const cff = withTables('CFF ');
    delete cff.directory.tables.glyf;
    expect(() => cff.getGlyph(36)).toThrow(`CFF ${message}`);
    const variable = withTables('fvar');
    variable.variationCoords = [400];
    expect(() => variable._variationProcessor).toThrow(`Variable ${message}`);
    // The house fonts themselves: none of this.
    const plain = trimmed.create(bytes) as unknown as Internals;
    expect(plain._variationProcessor).toBeNull();
    expect(() => plain.layout('a')).not.toThrow();
  });

  it('makes every cut exactly where the pinned fontkit has it, and refuses another source', () => {
    expect(() => trimFontkitSource(source)).not.toThrow();
    const moved = source.replace('if (this.font.morx) this.engine', 'if (this.font.morx)  this.engine');
    expect(() => trimFontkitSource(moved)).toThrow('« AAT layout » found 0 times, expected 1');
  });

  it('marks pure only the constructions evaluated when the module is imported', () => {
    const sample = [
      'const a = new Struct({ b: new Pointer(1) });',
      'function f() { return new Struct(); }',
      'class C { static s = new Map(); m() { new Set(); } }',
      'const g = () => new WeakMap();',
    ].join('\n');
    const marked = moduleLoadConstructions(sample).map((at) => sample.slice(at, at + 12));
    expect(marked).toEqual(['new Struct({', 'new Pointer(']);
    expect(readFileSync(trimmedFile, 'utf8')).toContain('/* @__PURE__ */ new $52ZIf$Struct(');
  });
});
