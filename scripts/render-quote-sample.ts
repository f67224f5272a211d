/**
 * Renders the sample quotes of test/support/quote-fixtures.ts to `.local/samples/` so a human can
 * look: quote.pdf (two pages) and its pages as PNG (pdftoppm, 70 dpi), and quote-20-pages.pdf.
 *
 *   node scripts/render-quote-sample.ts            (Node 24: `npx node …` or `npm exec -- node …`)
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { renderQuotePdf } from '../functions/quotes/pdf.ts';
import { useLocalPdfAssets } from '../infra/local/grants.ts';
import { editionTwoQuote, twentyPageQuote } from '../test/support/quote-fixtures.ts';

useLocalPdfAssets();

const dir = path.resolve(import.meta.dirname, '..', '.local', 'samples');
mkdirSync(dir, { recursive: true });
for (const old of readdirSync(dir)) if (/^quote-page-\d+\.png$/.test(old)) rmSync(path.join(dir, old));

const started = performance.now();
const pdf = await renderQuotePdf(editionTwoQuote());
const ms = performance.now() - started;
const file = path.join(dir, 'quote.pdf');
writeFileSync(file, pdf);
writeFileSync(path.join(dir, 'quote-20-pages.pdf'), await renderQuotePdf(twentyPageQuote()));

try {
  execFileSync('pdftoppm', ['-png', '-r', '70', file, path.join(dir, 'quote-page')]);
} catch (error) {
  console.error(`render-quote-sample: pdftoppm failed (apt-get install poppler-utils): ${(error as Error).message}`);
  process.exitCode = 1;
}
const pngs = readdirSync(dir)
  .filter((f) => /^quote-page-\d+\.png$/.test(f))
  .sort();
console.log(`${file} (${(pdf.byteLength / 1024).toFixed(1)} KiB, first render ${ms.toFixed(0)} ms, fonts included)`);
for (const png of pngs) console.log(path.join(dir, png));
console.log(path.join(dir, 'quote-20-pages.pdf'));
