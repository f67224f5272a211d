/**
 * The modules bundled in place of others for the PDF functions (infra/constructs/bundling.ts
 * `bundleAliases`) give what the modules they replace give, and a bundle built as the CDK builds
 * it renders the very bytes the renderers give unbundled (the tests pinning the bytes of issued
 * documents run unbundled, without the aliases).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { renderInvoicePdf } from '../../functions/invoices/pdf.ts';
import { renderQuotePdf } from '../../functions/quotes/pdf.ts';
import { bundleAliases, esbuildOptionsFor, repoRoot } from '../../infra/constructs/bundling.ts';
import { creditNote, editionTwoSapInvoice, finalInvoice } from '../support/invoice-fixtures.ts';
import { editionTwoQuote, twoPageQuote } from '../support/quote-fixtures.ts';

const require = createRequire(import.meta.url);
type Inflate = (source: Uint8Array, dest: Uint8Array) => Uint8Array;
const tinyInflate = require('tiny-inflate') as Inflate;
const nativeInflate = require('../../functions/shared/pdf/native-inflate.cjs') as Inflate;
const base64js = require('base64-js') as { toByteArray: (s: string) => Uint8Array };
const nativeBase64 = await import('../../functions/shared/pdf/native-base64.ts');

/** The Unicode tables the bundled modules decode when imported: `new UnicodeTrie(decode("<base64>"))` in their sources. */
const tables = ['fontkit/dist/module.mjs', 'unicode-properties/dist/module.mjs', 'linebreak/dist/module.mjs'].flatMap((file) =>
  [...readFileSync(path.join(repoRoot, 'node_modules', file), 'utf8').matchAll(/\("([A-Za-z0-9+/=]{500,})"\)/g)].map(
    (m, i) => [`${file} #${i + 1}`, m[1]!] as const,
  ),
);

describe('the modules bundled in place of others', () => {
  it('every alias names an existing file', () => {
    expect(Object.keys(bundleAliases()).sort()).toEqual([
      '@noble/ciphers/aes',
      'base64-js',
      'brotli/decompress.js',
      'fontkit',
      'http',
      'node:http',
      'semver',
      'tiny-inflate',
    ]);
    for (const file of Object.values(bundleAliases())) expect(() => readFileSync(file)).not.toThrow();
  });

  it('finds the tables of fontkit (3), unicode-properties (1) and linebreak (1)', () => {
    expect(tables).toHaveLength(5);
  });

  it.each(tables)('%s: decoded and inflated twice (as unicode-trie does) to the same bytes', (_, base64) => {
    const bytes = nativeBase64.toByteArray(base64);
    expect(bytes).toEqual(base64js.toByteArray(base64));
    expect(bytes.byteOffset).toBe(0);
    const length = new DataView(bytes.buffer).getUint32(8, true);
    let tiny = bytes.subarray(12);
    let native = bytes.subarray(12);
    for (let pass = 0; pass < 2; pass++) {
      tiny = tinyInflate(tiny, new Uint8Array(length));
      native = nativeInflate(native, new Uint8Array(length));
      expect(Buffer.from(native).equals(Buffer.from(tiny))).toBe(true);
    }
  });

  it('inflates into the destination given, cut to the output when shorter, as tiny-inflate', async () => {
    const { deflateRawSync } = await import('node:zlib');
    const data = Buffer.from('Devis n° D-MSG44 — « Bon pour accord » '.repeat(50));
    const compressed = deflateRawSync(data);
    const exact = new Uint8Array(data.length);
    expect(nativeInflate(compressed, exact)).toBe(exact);
    const longer = nativeInflate(compressed, new Uint8Array(data.length + 10));
    expect(Buffer.from(longer).equals(Buffer.from(tinyInflate(compressed, new Uint8Array(data.length + 10))))).toBe(true);
    expect(() => nativeInflate(compressed, new Uint8Array(10))).toThrow('Data error');
  });

  it('base64: the same errors and the other functions of base64-js', () => {
    expect(() => nativeBase64.toByteArray('abc')).toThrow('multiple of 4');
    const bytes = new Uint8Array([0, 1, 2, 250, 251, 252, 253]);
    expect(nativeBase64.fromByteArray(bytes)).toBe(
      (require('base64-js') as { fromByteArray: (b: Uint8Array) => string }).fromByteArray(bytes),
    );
    expect(nativeBase64.byteLength('AAECAw==')).toBe(4);
  });

  it('encryption fails loudly', async () => {
    const { cbc } = await import('../../functions/shared/pdf/no-encryption.ts');
    expect(() => cbc()).toThrow('not encrypted');
  });
});

describe('a PDF bundle built as the CDK builds it', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'pdf-bundle-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('renders the bytes of the renderers run unbundled', async () => {
    const entry = path.join(dir, 'entry.ts');
    writeFileSync(
      entry,
      [
        `export { renderQuotePdf } from ${JSON.stringify(path.join(repoRoot, 'functions/quotes/pdf.ts'))};`,
        `export { renderInvoicePdf } from ${JSON.stringify(path.join(repoRoot, 'functions/invoices/pdf.ts'))};`,
      ].join('\n'),
    );
    const bundle = path.join(dir, 'index.mjs');
    await build({ ...esbuildOptionsFor(entry, bundle), sourcemap: false, logLevel: 'error' });
    // One quote whose words the fonts' layout tables do not all cover, so that fontkit's shaper runs
    // in the bundle too: an Arabic name, a combining accent, a soft hyphen, a fraction.
    const shaped = twoPageQuote({
      client: { ...twoPageQuote().client, name: 'محمد بن علي' },
      title: 'Ve\u0301randa co\u00adopérative, 1\u20442 journée',
    });
    const documents = {
      quotes: [twoPageQuote(), editionTwoQuote(), shaped],
      invoices: [finalInvoice(), editionTwoSapInvoice(), creditNote()],
    };
    const documentsFile = path.join(dir, 'documents.json');
    writeFileSync(documentsFile, JSON.stringify(documents));
    const child = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '--eval',
        [
          "import { readFileSync } from 'node:fs';",
          "import { createHash } from 'node:crypto';",
          'const [bundle, file] = process.argv.slice(1);',
          'const m = await import(bundle);',
          "const d = JSON.parse(readFileSync(file, 'utf8'));",
          "const h = (b) => createHash('sha256').update(b).digest('hex');",
          'const out = [];',
          'for (const q of d.quotes) out.push(h(await m.renderQuotePdf(q)));',
          'for (const i of d.invoices) out.push(h(await m.renderInvoicePdf(i)));',
          'process.stdout.write(JSON.stringify(out));',
        ].join('\n'),
        bundle,
        documentsFile,
      ],
      { encoding: 'utf8', env: { ...process.env }, timeout: 60_000 },
    );
    expect(child.stderr).toBe('');
    const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
    const unbundled = [
      ...(await Promise.all(documents.quotes.map(async (q) => sha256(await renderQuotePdf(q))))),
      ...(await Promise.all(documents.invoices.map(async (i) => sha256(await renderInvoicePdf(i))))),
    ];
    expect(JSON.parse(child.stdout)).toEqual(unbundled);
  }, 60_000);
});
