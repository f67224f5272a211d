/**
 * fontkit as the PDF bundles carry it: its parts for fonts the house does not have left out.
 *
 * The PDF functions embed two TrueType fonts (layers/pdf-assets/fonts: DejaVu Sans, Sans Bold).
 * fontkit 2.0.4 ships one pre-bundled
 * module that also reads WOFF, WOFF2, font collections and Mac dfonts, CFF outlines, Apple's AAT
 * layout (morx), colour and bitmap glyphs (COLR, sbix) and variable fonts — 57 KiB of the 231 it
 * adds to a bundle, and tables of all of them built when it is imported. Nothing of these runs for
 * the house fonts: they have none of those tables and are plain TrueType.
 *
 * `trimmedFontkit()` writes, once per source and cut list, a copy of fontkit's module where
 * - only the TrueType format is registered (WOFF, WOFF2, collections, dfonts: « Unknown font format »);
 * - the tables the house fonts do not have are not registered (read as absent, as they are);
 * - a CFF, sbix, COLR or AAT font, or a variable font asked for an instance, fails with a clear
 *   error where fontkit would start on it (read from the font's directory);
 * - the definitions built when the module is evaluated (restructure types, a few data tables,
 *   outside any function) are marked pure, so esbuild drops those nothing uses any more.
 * Each cut must match the pinned source exactly as many times as listed, or bundling fails: another
 * fontkit version needs this list reviewed. infra/constructs/bundling.ts aliases `fontkit` to the
 * copy for every bundle (the unbundled runs, tests and `npm start`, use fontkit itself); the tests
 * render the pinned documents through a bundle and compare the bytes (test/unit/pdf-bundle-aliases.test.ts).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as acorn from 'acorn';

/** The fontkit this list was written for: its version and the SHA-256 of `dist/module.mjs`. */
export const FONTKIT_PIN = {
  version: '2.0.4',
  sha256: '3dde5aab2c79c239598211256ff26d460da28ca098d314b063b8554c13ee2e57',
} as const;

/** Tables fontkit can read that the house fonts do not have (test/unit/fontkit-trim.test.ts checks both fonts). */
export const CUT_TABLES = [
  'CFF ',
  'CFF2',
  'VORG',
  'EBLC',
  'CBLC',
  'sbix',
  'COLR',
  'CPAL',
  'BASE',
  'JSTF',
  'HVAR',
  'DSIG',
  'hdmx',
  'LTSH',
  'PCLT',
  'VDMX',
  'vhea',
  'vmtx',
  'avar',
  'bsln',
  'feat',
  'fvar',
  'gvar',
  'just',
  'morx',
  'opbd',
] as const;

export interface Cut {
  readonly what: string;
  readonly find: string | RegExp;
  readonly replace: string;
  /** How many times `find` occurs in the pinned source. */
  readonly count: number;
}

const unsupported = (kind: string) =>
  `(() => { throw new Error(${JSON.stringify(`${kind} fonts are not in the PDF bundles (infra/constructs/fontkit-trim.ts): use the TrueType fonts of layers/pdf-assets`)}); })()`;
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const registration = (hash: string) => `(0, $d636bc798e7178db$export$36b2f24e97d43be)((0, $${hash}$export$2e2bcd8739ae039));\n`;

export const CUTS: readonly Cut[] = [
  ...[
    ['WOFF', '760785214b9fc52c'],
    ['WOFF2', '21ee218f84ac7f32'],
    ['TrueType collection', 'cd5853a56c68fec7'],
    ['dfont', '05f49f930186144e'],
  ].map(([what, hash]) => ({ what: `${what} format not registered`, find: registration(hash as string), replace: '', count: 1 })),
  ...CUT_TABLES.map((tag) => ({
    what: `table ${tag} not registered`,
    find: new RegExp(`^\\$c3395722bea751e2\\$var\\$tables(?:\\.${escapeRegExp(tag)}|\\['${escapeRegExp(tag)}'\\]) = .*;\\n`, 'gm'),
    replace: '',
    count: 1,
  })),
  {
    what: 'sbix glyphs',
    find: 'if (this.directory.tables.sbix) this._glyphs[glyph] = new (0, $25d8f049c222084c$export$2e2bcd8739ae039)(glyph, characters, this);',
    replace: `if (this.directory.tables.sbix) ${unsupported('sbix (bitmap)')};`,
    count: 1,
  },
  {
    what: 'COLR glyphs',
    find: 'this._glyphs[glyph] = new (0, $0d411f0165859681$export$2e2bcd8739ae039)(glyph, characters, this);',
    replace: `${unsupported('COLR (colour)')};`,
    count: 1,
  },
  {
    what: 'CFF glyphs',
    find: 'this._glyphs[glyph] = new (0, $62cc5109c6101893$export$2e2bcd8739ae039)(glyph, characters, this);',
    replace: `${unsupported('CFF')};`,
    count: 1,
  },
  {
    what: 'CFF subsets',
    find: "if (this.directory.tables['CFF ']) return new (0, $001d739428a71d5a$export$2e2bcd8739ae039)(this);",
    replace: `if (this.directory.tables['CFF ']) ${unsupported('CFF')};`,
    count: 1,
  },
  // The tables fvar and morx are not registered (above): the font's own directory says whether it has them.
  {
    what: 'variable fonts',
    find: 'get _variationProcessor() {\n        if (!this.fvar) return null;',
    replace: `get _variationProcessor() {\n        if (this.directory.tables.fvar && (this.variationCoords || this.directory.tables.CFF2)) ${unsupported('Variable')};\n        if (!this.fvar) return null;`,
    count: 1,
  },
  {
    what: 'variation processor',
    find: 'return new (0, $0bb840cac04e911b$export$2e2bcd8739ae039)(this, variationCoords);',
    replace: `return ${unsupported('Variable')};`,
    count: 1,
  },
  {
    what: 'AAT layout',
    find: 'if (this.font.morx) this.engine = new (0, $ba6dd74203be8728$export$2e2bcd8739ae039)(this.font);',
    replace: `if (this.font.directory.tables.morx) ${unsupported('AAT (morx)')};`,
    count: 1,
  },
];

const occurrences = (source: string, find: string | RegExp) =>
  typeof find === 'string' ? source.split(find).length - 1 : [...source.matchAll(find)].length;

type Node = { type: string; start: number; [key: string]: unknown };
const FUNCTION_LIKE = new Set([
  'FunctionDeclaration',
  'FunctionExpression',
  'ArrowFunctionExpression',
  'MethodDefinition',
  'PropertyDefinition',
  'StaticBlock',
]);

/** Where the module's `new` expressions evaluated when it is imported (outside any function or class body) start. */
export function moduleLoadConstructions(source: string): number[] {
  const starts: number[] = [];
  const visit = (node: Node) => {
    if (FUNCTION_LIKE.has(node.type)) return;
    if (node.type === 'NewExpression') starts.push(node.start);
    for (const value of Object.values(node)) {
      if (Array.isArray(value)) for (const child of value) if (child && typeof child.type === 'string') visit(child as Node);
      if (value && typeof value === 'object' && typeof (value as Node).type === 'string') visit(value as Node);
    }
  };
  visit(acorn.parse(source, { ecmaVersion: 'latest', sourceType: 'module' }) as unknown as Node);
  return starts;
}

/** fontkit's module with the cuts made and its module-load constructions marked pure. */
export function trimFontkitSource(source: string): string {
  let trimmed = source;
  for (const cut of CUTS) {
    const found = occurrences(trimmed, cut.find);
    if (found !== cut.count) throw new Error(`fontkit trim: « ${cut.what} » found ${found} times, expected ${cut.count}`);
    trimmed = typeof cut.find === 'string' ? trimmed.split(cut.find).join(cut.replace) : trimmed.replace(cut.find, cut.replace);
  }
  // The constructors are restructure's types, fontkit's own types and data tables: they only keep
  // their arguments, so one whose value nothing uses can go.
  const starts = moduleLoadConstructions(trimmed).sort((a, b) => b - a);
  for (const at of starts) trimmed = `${trimmed.slice(0, at)}/* @__PURE__ */ ${trimmed.slice(at)}`;
  return trimmed;
}

/**
 * The path of the trimmed copy, written on first use under `node_modules/.cache` (generated state,
 * like node_modules; its path ends in `node_modules/fontkit/` so size reports name it fontkit).
 */
export function trimmedFontkit(repoRoot: string): string {
  const packageDir = path.join(repoRoot, 'node_modules', 'fontkit');
  const { version } = JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8')) as { version: string };
  const source = readFileSync(path.join(packageDir, 'dist', 'module.mjs'), 'utf8');
  const sha256 = createHash('sha256').update(source).digest('hex');
  // The copy lives elsewhere and finds fontkit's dependencies in the root node_modules only.
  if (existsSync(path.join(packageDir, 'node_modules')))
    throw new Error('fontkit has dependencies of its own (node_modules/fontkit/node_modules): the trimmed copy would not find them');
  if (version !== FONTKIT_PIN.version || sha256 !== FONTKIT_PIN.sha256)
    throw new Error(
      `fontkit ${version} (dist/module.mjs ${sha256.slice(0, 12)}) is not the one infra/constructs/fontkit-trim.ts was written for (${FONTKIT_PIN.version}): review its cuts`,
    );
  const key = createHash('sha256')
    .update(sha256)
    .update(readFileSync(new URL(import.meta.url)))
    .digest('hex')
    .slice(0, 16);
  const dir = path.join(repoRoot, 'node_modules', '.cache', 'oui-ensemble', 'node_modules', 'fontkit');
  const file = path.join(dir, `module.trimmed.${key}.mjs`);
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    const partial = `${file}.${process.pid}.tmp`;
    writeFileSync(partial, trimFontkitSource(source));
    renameSync(partial, file);
  }
  return file;
}
