/**
 * The PDF cold path: what a client clicking « envoyer » on a cold function waits before any other
 * work. A fresh `node` process imports the function's bundle (built as the CDK builds it, the
 * renderer re-exported beside the handler so both share the bundle's one copy of the PDF engine),
 * then renders its first document: the 45-line quote of test/support/quote-fixtures.ts for SendQuote,
 * the final invoice of that quote for IssueInvoice, then a second one (warm). Each in the edition it
 * is sent or issued with today (quotes: QUOTE_EDITION of functions/quotes/pdf.ts; invoices: edition
 * 2, functions/invoices/documents.ts): the goal is theirs. Edition 1, which renders the documents
 * sent before December 2026, is measured too, for comparison with earlier runs. The function's floor
 * (scripts/bench/bundles.ts, from its grants) is imported in fresh processes of the same rounds.
 *
 * Alone: `node scripts/bench/pdf-cold.ts` (Node 24) prints the table.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { QUOTE_EDITION } from '../../functions/quotes/pdf.ts';
import { routes } from '../../functions/routes.ts';
import { esbuildOptionsFor, repoRoot } from '../../infra/constructs/bundling.ts';
import { LOCAL_PDF_ASSETS_DIR } from '../../infra/local/grants.ts';
import { editionTwoFinalInvoice, finalInvoice } from '../../test/support/invoice-fixtures.ts';
import { editionTwoQuote, twoPageQuote } from '../../test/support/quote-fixtures.ts';
import { benchDir, floorSource, grantedModules } from './bundles.ts';
import { childEnv, coldImportOnce, median } from './cold-import.ts';
import { GOALS, kib, ms, ratio, table, verdict } from './report.ts';

interface Case {
  /** Where its bundle and document are kept (`.bench/pdf-cold/<id>`). */
  readonly id: string;
  readonly fn: string;
  /** The module exporting the renderer, and its name. */
  readonly renderer: { readonly module: string; readonly name: string };
  readonly document: () => unknown;
  readonly documentLabel: string;
  /** Whether the goal is this row's: the edition the function renders today. */
  readonly goal: boolean;
}

const quoteRenderer = { module: 'functions/quotes/pdf.ts', name: 'renderQuotePdf' } as const;
const invoiceRenderer = { module: 'functions/invoices/pdf.ts', name: 'renderInvoicePdf' } as const;

const CASES: readonly Case[] = [
  {
    id: 'SendQuote',
    fn: 'SendQuote',
    renderer: quoteRenderer,
    document: () => editionTwoQuote({ edition: QUOTE_EDITION }),
    documentLabel: `45-line quote, edition ${QUOTE_EDITION}`,
    goal: true,
  },
  {
    id: 'IssueInvoice',
    fn: 'IssueInvoice',
    renderer: invoiceRenderer,
    document: () => editionTwoFinalInvoice(),
    documentLabel: 'final invoice of the 45-line quote, edition 2',
    goal: true,
  },
  {
    id: 'SendQuote-edition-1',
    fn: 'SendQuote',
    renderer: quoteRenderer,
    document: () => twoPageQuote(),
    documentLabel: '45-line quote, edition 1',
    goal: false,
  },
  {
    id: 'IssueInvoice-edition-1',
    fn: 'IssueInvoice',
    renderer: invoiceRenderer,
    document: () => finalInvoice(),
    documentLabel: 'final invoice of the 45-line quote, edition 1',
    goal: false,
  },
];

/** Runs in the child: bundle path, document path. Prints the three timings. */
const CHILD = [
  "import { readFileSync } from 'node:fs';",
  "import { pathToFileURL } from 'node:url';",
  'const [bundle, documentFile] = process.argv.slice(1);',
  'const document = JSON.parse(readFileSync(documentFile, "utf8"));',
  'const t0 = performance.now();',
  'const mod = await import(pathToFileURL(bundle).href);',
  'const t1 = performance.now();',
  "if (typeof mod.handler !== 'function') throw new Error('no handler export');",
  'const pdf = await mod.render(document);',
  'const t2 = performance.now();',
  'await mod.render(document);',
  'const t3 = performance.now();',
  'process.stdout.write(JSON.stringify({ importMs: t1 - t0, firstMs: t2 - t1, warmMs: t3 - t2, bytes: pdf.byteLength }));',
].join('\n');

interface Sample {
  readonly importMs: number;
  readonly firstMs: number;
  readonly warmMs: number;
  readonly bytes: number;
}

export interface PdfColdRow {
  readonly fn: string;
  /** Whether the goal is this row's (the edition rendered today); edition 1 is shown for comparison. */
  readonly goal: boolean;
  readonly documentLabel: string;
  readonly bundleBytes: number;
  readonly importMs: number;
  readonly firstMs: number;
  /** Import + first render, per sample, median. */
  readonly totalMs: number;
  readonly warmMs: number;
  readonly floorMs: number;
  readonly samples: number;
  readonly pdfBytes: number;
}

function runChild(bundle: string, documentFile: string): Sample {
  const child = spawnSync(process.execPath, ['--input-type=module', '--eval', CHILD, bundle, documentFile], {
    env: { ...childEnv(), PDF_ASSETS_DIR: LOCAL_PDF_ASSETS_DIR },
    encoding: 'utf8',
    timeout: 60_000,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.error) throw child.error;
  if (child.status !== 0) throw new Error(`PDF cold path of ${bundle} failed (exit ${child.status}): ${child.stderr.slice(-2000)}`);
  return JSON.parse(child.stdout) as Sample;
}

export async function measurePdfColdPath(options: { runs?: number; log?: (line: string) => void } = {}): Promise<PdfColdRow[]> {
  const { runs = 15, log = () => {} } = options;
  const dir = path.join(benchDir, 'pdf-cold');
  rmSync(dir, { recursive: true, force: true });
  const prepared = await Promise.all(
    CASES.map(async (c) => {
      const route = routes.find((r) => r.fn === c.fn);
      if (!route) throw new Error(`no route ${c.fn}`);
      const own = path.join(dir, c.id);
      mkdirSync(own, { recursive: true });
      const entry = path.join(own, 'entry.ts');
      writeFileSync(
        entry,
        [
          `export { handler } from ${JSON.stringify(path.join(repoRoot, route.handler))};`,
          `export { ${c.renderer.name} as render } from ${JSON.stringify(path.join(repoRoot, c.renderer.module))};`,
          '',
        ].join('\n'),
      );
      const bundle = path.join(own, 'index.mjs');
      await build(esbuildOptionsFor(entry, bundle));
      const documentFile = path.join(own, 'document.json');
      writeFileSync(documentFile, JSON.stringify(c.document()));
      const { sdk, powertools, packages } = grantedModules({ def: route, kind: 'route' });
      const floorEntry = path.join(own, 'floor-entry.mjs');
      writeFileSync(floorEntry, floorSource(sdk, powertools, packages));
      const floor = path.join(own, 'floor', 'index.mjs');
      await build(esbuildOptionsFor(floorEntry, floor));
      return { c, bundle, documentFile, floor };
    }),
  );
  log(`bench: PDF cold path, ${runs} rounds of a fresh process per function and per floor…`);
  const samples = new Map(prepared.map((p) => [p.c.id, { runs: [] as Sample[], floor: [] as number[] }]));
  for (let round = 0; round < runs; round++) {
    for (let i = 0; i < prepared.length; i++) {
      const p = prepared[(i + round) % prepared.length]!;
      const s = samples.get(p.c.id)!;
      s.runs.push(runChild(p.bundle, p.documentFile));
      s.floor.push(coldImportOnce(p.floor));
    }
  }
  return prepared.map((p) => {
    const s = samples.get(p.c.id)!;
    return {
      fn: p.c.fn,
      goal: p.c.goal,
      documentLabel: p.c.documentLabel,
      bundleBytes: statSync(p.bundle).size,
      importMs: median(s.runs.map((r) => r.importMs)),
      firstMs: median(s.runs.map((r) => r.firstMs)),
      totalMs: median(s.runs.map((r) => r.importMs + r.firstMs)),
      warmMs: median(s.runs.map((r) => r.warmMs)),
      floorMs: median(s.floor),
      samples: s.runs.length,
      pdfBytes: s.runs[0]?.bytes ?? 0,
    };
  });
}

export function pdfColdTable(rows: readonly PdfColdRow[]): string {
  return table(
    [
      'function (first document)',
      'bundle KiB',
      'import ms',
      'first render ms',
      `import + first render ms (goal ≤ ${GOALS.pdfColdPathMs})`,
      'floor import ms',
      'in all − floor ms',
      'second render ms',
      'runs',
    ],
    rows.map((r) => [
      `${r.fn} (${r.documentLabel}, ${kib(r.pdfBytes)} KiB)`,
      `${kib(r.bundleBytes)} (goal ≤ ${GOALS.pdfBundleKib}: ${verdict(r.bundleBytes / 1024, GOALS.pdfBundleKib)})`,
      ms(r.importMs),
      ms(r.firstMs),
      r.goal
        ? `${ms(r.totalMs)} (${verdict(r.totalMs, GOALS.pdfColdPathMs)}; ${ratio(r.totalMs, GOALS.pdfColdPathMs)} the goal)`
        : `${ms(r.totalMs)} (documents sent before December 2026, for comparison)`,
      ms(r.floorMs),
      ms(r.totalMs - r.floorMs),
      ms(r.warmMs),
      `${r.samples}`,
    ]),
    ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
  );
}

if (import.meta.main) {
  const rows = await measurePdfColdPath({ log: (l) => process.stderr.write(l + '\n') });
  console.log(pdfColdTable(rows));
}
