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
import { CUT_TABLES, CUTS, moduleLoadConstructions, trimFontkitSource, trimmedFontkit } from '../../infra/constructs/fontkit-trim.ts';
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
    expect(() => fontkit.create(woff)).not.toThrow('Unknown font format');
  });

  it('makes every cut exactly where the pinned fontkit has it, and refuses another source', () => {
    expect(CUTS.length).toBe(4 + CUT_TABLES.length + 6);
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
