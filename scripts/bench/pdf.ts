/**
 * Quote PDF rendering time, in process, as a warm Lambda container renders: the fonts parsed once
 * (the first render pays for it and is reported apart), then the 45-line quote and the 286-line
 * quote of test/support/quote-fixtures.ts, in the edition quotes are sent with (QUOTE_EDITION),
 * rendered alternately after a warm-up, median per kind.
 *
 * Alone: `node scripts/bench/pdf.ts` (Node 24) prints the table.
 */
import { QUOTE_EDITION, renderQuotePdf } from '../../functions/quotes/pdf.ts';
import { useLocalPdfAssets } from '../../infra/local/grants.ts';
import type { QuoteDocument } from '../../functions/quotes/views.ts';
import { editionTwoQuote, editionTwoTwentyPageQuote } from '../../test/support/quote-fixtures.ts';
import { median } from './cold-import.ts';
import { kib, ms, ratio, table } from './report.ts';

useLocalPdfAssets();

export interface PdfRow {
  readonly name: string;
  readonly lines: number;
  readonly pages: number;
  readonly bytes: number;
  readonly renders: number;
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

export interface PdfResult {
  /** The first render of the process: reads and parses the fonts and the logo, then renders the 45-line quote. */
  readonly firstMs: number;
  readonly small: PdfRow;
  readonly large: PdfRow;
}

/** Pages of a pdfkit PDF (its page objects are never in object streams). */
const pageCount = (pdf: Uint8Array): number =>
  (
    Buffer.from(pdf)
      .toString('latin1')
      .match(/\/Type \/Page\b/g) ?? []
  ).length;

async function timed(quote: QuoteDocument): Promise<[number, Uint8Array]> {
  const started = performance.now();
  const pdf = await renderQuotePdf(quote);
  return [performance.now() - started, pdf];
}

export async function measurePdf(
  options: { smallRuns?: number; largeRuns?: number; warmup?: number; log?: (line: string) => void } = {},
): Promise<PdfResult> {
  const { smallRuns = 20, largeRuns = 5, warmup = 3, log = () => {} } = options;
  // The edition every quote is sent with today (functions/quotes/send.ts).
  const small = editionTwoQuote({ edition: QUOTE_EDITION });
  const large = editionTwoTwentyPageQuote({ edition: QUOTE_EDITION });
  const [firstMs, smallPdf] = await timed(small);
  const [, largePdf] = await timed(large);
  for (let i = 0; i < warmup; i++) {
    await timed(small);
    await timed(large);
  }
  log(`bench: quote PDF, ${smallRuns} renders of the 45-line quote and ${largeRuns} of the 286-line one (after ${warmup} warm-up each)…`);
  const samples = { small: [] as number[], large: [] as number[] };
  // Interleaved, so that drift (GC, other load) spreads over both kinds.
  for (let i = 0; i < Math.max(smallRuns, largeRuns); i++) {
    if (i < smallRuns) samples.small.push((await timed(small))[0]);
    if (i < largeRuns) samples.large.push((await timed(large))[0]);
  }
  const row = (name: string, quote: QuoteDocument, pdf: Uint8Array, values: number[]): PdfRow => ({
    name,
    lines: quote.lines.length,
    pages: pageCount(pdf),
    bytes: pdf.byteLength,
    renders: values.length,
    median: median(values),
    min: Math.min(...values),
    max: Math.max(...values),
  });
  return {
    firstMs,
    small: row('typical quote', small, smallPdf, samples.small),
    large: row('large quote', large, largePdf, samples.large),
  };
}

export function pdfTable(r: PdfResult): string {
  const line = (p: PdfRow) => [
    `${p.name} (${p.lines} lines, ${p.pages} pages)`,
    ms(p.median),
    `${ms(p.min)}–${ms(p.max)}`,
    ms(p.median / p.pages),
    kib(p.bytes),
    `${p.renders}`,
  ];
  return table(
    ['document', 'ms median', 'ms min–max', 'ms per page', 'KiB', 'renders'],
    [
      line(r.small),
      line(r.large),
      [
        `**ratio large ÷ typical quote**`,
        ratio(r.large.median, r.small.median),
        '',
        ratio(r.large.median / r.large.pages, r.small.median / r.small.pages),
        ratio(r.large.bytes, r.small.bytes),
        '',
      ],
      ['first render of the process (fonts and logo read and parsed, 45-line quote)', ms(r.firstMs), '', '', '', '1'],
    ],
    ['l', 'r', 'r', 'r', 'r', 'r'],
  );
}

if (import.meta.main) {
  const result = await measurePdf({ log: (l) => process.stderr.write(l + '\n') });
  console.log(pdfTable(result));
}
