/**
 * Renders the sample invoices of test/support/invoice-fixtures.ts to `.local/samples/` so a human
 * can look: invoice-<name>.pdf and its first page as invoice-<name>-page-1.png (pdftoppm, 70 dpi).
 *
 *   node scripts/render-invoice-sample.ts            (Node 24: `npx node …` or `npm exec -- node …`)
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { renderInvoicePdf } from '../functions/invoices/pdf.ts';
import { useLocalPdfAssets } from '../infra/local/grants.ts';
import {
  editionTwoCreditNote,
  editionTwoDepositInvoice,
  editionTwoFinalInvoice,
  editionTwoSapInvoice,
  editionTwoWorksInvoice,
} from '../test/support/invoice-fixtures.ts';

useLocalPdfAssets();

const dir = path.resolve(import.meta.dirname, '..', '.local', 'samples');
mkdirSync(dir, { recursive: true });
for (const old of readdirSync(dir)) if (/^invoice-.*\.(png|pdf)$/.test(old)) rmSync(path.join(dir, old));

// As issued from December 2026 (edition 2 of the mentions).
const samples = {
  standard: editionTwoSapInvoice(),
  works: editionTwoWorksInvoice(),
  deposit: editionTwoDepositInvoice(),
  final: editionTwoFinalInvoice(),
  'credit-note': editionTwoCreditNote(),
};
const allPages = process.argv.includes('--all-pages');
for (const [name, document] of Object.entries(samples)) {
  const started = performance.now();
  const pdf = await renderInvoicePdf(document);
  const ms = performance.now() - started;
  const file = path.join(dir, `invoice-${name}.pdf`);
  writeFileSync(file, pdf);
  try {
    execFileSync('pdftoppm', [
      '-png',
      '-r',
      '70',
      ...(allPages ? [] : ['-f', '1', '-l', '1']),
      file,
      path.join(dir, `invoice-${name}-page`),
    ]);
  } catch (error) {
    console.error(`render-invoice-sample: pdftoppm failed (apt-get install poppler-utils): ${(error as Error).message}`);
    process.exitCode = 1;
  }
  console.log(`${file} (${(pdf.byteLength / 1024).toFixed(1)} KiB, rendered in ${ms.toFixed(0)} ms)`);
}
for (const png of readdirSync(dir)
  .filter((f) => /^invoice-.*\.png$/.test(f))
  .sort())
  console.log(path.join(dir, png));
