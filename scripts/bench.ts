/**
 * `npm run bench`: measures, prints, and writes BENCHMARKS.md. Nothing here asserts a timing.
 *
 * 1. Every function (routes + jobs) bundled as the CDK bundles it, its size and its cold-import time
 *    (fresh Node 24 processes, median), each as a ratio to the function's floor: a bundle of only the
 *    clients its table entry grants it (scripts/bench/bundles.ts `grantedModules`), built the same way.
 * 2. The local API's `GET /entrepreneurs/{id}` p50/p99 at 100 requests in flight, as a ratio to a raw
 *    GetItem of the same item on the same DynamoDB Local.
 * 3. Quote PDF: ms per typical quote (45 lines) and per 286-line quote, and the ratio (scripts/bench/pdf.ts).
 * 4. Invoice numbering under contention: invoices issued per second on one CAE series with 1, 8 and
 *    32 concurrent callers, issue latency, and the series checked 1..n (scripts/bench/issues.ts).
 * 5. Payroll (scripts/bench/payroll.ts): the modele-social Engine built and one payslip computed (first
 *    of a process and warm), from a gross and from a budget, full and part time; the payroll bundles
 *    (part 1's figures) and the check that no other function bundles modele-social; the monthly job
 *    PrepareSalaryDrafts for the plan's year-10 size, its time and DynamoDB capacity; one payslip issued.
 * 6. Network (scripts/bench/network.ts): the redevance statement of one territory-month over 10 000 and
 *    100 000 invoices (read capacity ÷ the minimum, time ratio), and the AWS cost per entrepreneur-month at
 *    the plan's year-10 scale from the metered operations × the price table, against 9 € per user per month.
 *    `--only-network` runs it alone and replaces its section of BENCHMARKS.md; `--no-network` skips it.
 *
 * Knobs (environment): BENCH_IMPORT_RUNS (21), BENCH_REQUESTS (3000), BENCH_CONCURRENCY (100),
 * BENCH_WARMUP (500), BENCH_ISSUES (100 invoices per round), BENCH_PAYROLL_ENTREPRENEURS (1335),
 * BENCH_PAYROLL_FIRST_RUNS (3 fresh processes per case), BENCH_PAYROLL_WARM_RUNS (7),
 * BENCH_PAYROLL_ISSUES (5 warm payslip issues). `--no-latency` / `--no-import` / `--no-pdf` /
 * `--no-issues` / `--no-payroll` skip a part (then BENCHMARKS.md is not written).
 */
import './bench/xray-automatic.ts';
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { version as esbuildVersion } from 'esbuild';
import { repoRoot } from '../infra/constructs/bundling.ts';
import { aboveFloor, allFunctions, buildAll, type FloorBundle, isPayroll, modeleSocialCheck } from './bench/bundles.ts';
import { coldImportRounds, median } from './bench/cold-import.ts';
import { measureLatency, type LatencyResult } from './bench/latency.ts';
import { measurePdf, pdfTable, type PdfResult } from './bench/pdf.ts';
import { measurePdfColdPath, pdfColdTable, type PdfColdRow } from './bench/pdf-cold.ts';
import { QUOTE_EDITION } from '../functions/quotes/pdf.ts';
import { issuesTable, measureIssuesInChild, seriesCheck, type IssuesResult } from './bench/issues.ts';
import { engineTable, issueTable, jobTable, measurePayroll, type PayrollResult } from './bench/payroll.ts';
import {
  costTable,
  measureNetworkInChild,
  networkSection,
  type NetworkResult,
  operationsTable,
  statementTable,
  withNetworkSection,
} from './bench/network.ts';
import {
  aboveFloorTable,
  floorsTable,
  functionsTable,
  GOALS,
  importGoalsSummary,
  latencyTable,
  ms,
  verdict,
  type FunctionRow,
  type ImportTimes,
  type Machine,
} from './bench/report.ts';

if (!process.versions.node.startsWith('24.')) {
  console.error(`bench: Node.js 24 is required (the Lambda runtime); this is ${process.version}. Run it with \`npm run bench\`.`);
  process.exit(1);
}

const intEnv = (name: string, fallback: number, min: number, max: number): number => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    console.error(`bench: ${name} must be a whole number from ${min} to ${max}, not "${raw}"`);
    process.exit(2);
  }
  return value;
};

const args = new Set(process.argv.slice(2));
const withImport = !args.has('--no-import');
const withLatency = !args.has('--no-latency');
const withPdf = !args.has('--no-pdf');
const withIssues = !args.has('--no-issues');
const withPayroll = !args.has('--no-payroll');
// 21 samples per function: with 13, a function's median moved by up to ±0.1× of its floor from one
// run to the next on this 2-core VM (RegisterCesuEmployer 1.23× in one run, 1.08× in an A/B of 11
// alternating processes just after), as much as the goal's margin.
const importRuns = intEnv('BENCH_IMPORT_RUNS', 21, 1, 101);
const requests = intEnv('BENCH_REQUESTS', 3000, 100, 100_000);
const concurrency = intEnv('BENCH_CONCURRENCY', 100, 1, 1000);
const warmup = intEnv('BENCH_WARMUP', 500, 0, 100_000);
const issuesPerRound = intEnv('BENCH_ISSUES', 100, 10, 10_000);
const issueCallers = [1, 8, 32] as const;
const payrollEntrepreneurs = intEnv('BENCH_PAYROLL_ENTREPRENEURS', 1335, 10, 100_000);
const payrollFirstRuns = intEnv('BENCH_PAYROLL_FIRST_RUNS', 3, 1, 51);
const payrollWarmRuns = intEnv('BENCH_PAYROLL_WARM_RUNS', 7, 1, 1001);
const payrollIssues = intEnv('BENCH_PAYROLL_ISSUES', 5, 1, 100);
// 15 rounds: the cold path's samples spread by ±5 ms from one process to the next on this VM.
const pdfColdRuns = intEnv('BENCH_PDF_COLD_RUNS', 15, 1, 101);

const started = performance.now();
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;
const log = (line: string) => process.stderr.write(line + '\n');

const machine: Machine = {
  date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
  nproc: os.availableParallelism(),
  cpu: os.cpus()[0]?.model.trim() ?? 'unknown CPU',
  node: process.version,
  esbuild: esbuildVersion,
  os: `${os.type()} ${os.release()} ${os.arch()}`,
};
const loadAverage = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ');
const loadAtStart = loadAverage();

// ---- 6. Network (redevance, cost per territory) ------------------------------------------------
// `--only-network` runs this part alone (a few minutes) and replaces its section of BENCHMARKS.md in place.

const networkSizes = [10_000, 100_000] as const;
const runNetwork = async (): Promise<NetworkResult> => {
  log(`\nbench: network — redevance over ${networkSizes.join(' and ')} invoices, an entrepreneur-month of operations…`);
  const result = await measureNetworkInChild(networkSizes, log);
  console.log('\nRedevance of one territory-month\n');
  console.log(statementTable(result));
  console.log('\nAn entrepreneur-month of operations\n');
  console.log(operationsTable(result));
  console.log('');
  console.log(costTable(result));
  return result;
};
if (args.has('--only-network')) {
  const result = await runNetwork();
  const section = networkSection(result, {
    date: machine.date,
    seconds: elapsed(),
    load: `${loadAtStart} at start, ${loadAverage()} at end`,
  });
  const file = path.join(repoRoot, 'BENCHMARKS.md');
  writeFileSync(file, withNetworkSection(readFileSync(file, 'utf8'), section));
  log(`bench: replaced the network section of BENCHMARKS.md (${elapsed()})`);
  process.exit(0);
}

// ---- 1. Bundles and cold imports ------------------------------------------------------------

log(`bench: bundling ${allFunctions().length} functions and their floors (esbuild ${esbuildVersion})…`);
const { functions, floors } = await buildAll(allFunctions());
const floorById = new Map<string, FloorBundle>(floors.map((f) => [f.id, f]));
log(`bench: ${functions.length} bundles, ${floors.length} distinct floors (${elapsed()})`);

const timesOf = (samples: readonly number[]): ImportTimes => ({
  median: median(samples),
  min: Math.min(...samples),
  max: Math.max(...samples),
  samples: samples.length,
});
const noTimes: ImportTimes = { median: Number.NaN, min: Number.NaN, max: Number.NaN, samples: 0 };

let importTimes = new Map<string, ImportTimes>();
if (withImport) {
  // Functions in table order; after every FLOOR_EVERY functions, the floors those functions use
  // (a shared floor so gets several samples per round). Rounds rotate the order by one.
  const FLOOR_EVERY = 4;
  const order: string[] = [];
  let pending = new Set<string>();
  functions.forEach((f, i) => {
    order.push(f.file);
    pending.add(floorById.get(f.floorId)!.file);
    if ((i + 1) % FLOOR_EVERY === 0 || i === functions.length - 1) {
      order.push(...pending);
      pending = new Set();
    }
  });
  log(`bench: cold imports, ${importRuns} rounds × ${order.length} imports, one fresh process each…`);
  const samples = coldImportRounds(order, importRuns, (round) => log(`  round ${round}/${importRuns} (${elapsed()})`));
  importTimes = new Map([...samples].map(([file, s]) => [file, timesOf(s)]));
}

const rows: FunctionRow[] = functions.map((bundle) => {
  const floor = floorById.get(bundle.floorId)!;
  return {
    bundle,
    floor,
    fnImport: importTimes.get(bundle.file) ?? noTimes,
    floorImport: importTimes.get(floor.file) ?? noTimes,
    above: aboveFloor(bundle, floor),
  };
});
const floorTimes = new Map(floors.map((f) => [f.id, importTimes.get(f.file) ?? noTimes]));

console.log('\nBundles and cold imports (ratios: function / floor)\n');
console.log(functionsTable(rows));
console.log(importGoalsSummary(rows, (r) => Boolean((r.bundle.fn.def as { pdf?: boolean }).pdf)));
console.log('\nFloors\n');
console.log(floorsTable(floors, floorTimes));
console.log('\nAbove the floor\n');
console.log(aboveFloorTable(rows));

// ---- 2. Local API latency -------------------------------------------------------------------

let latency: LatencyResult | undefined;
if (withLatency) {
  log(`\nbench: latency, ${requests} requests per path at ${concurrency} in flight (after ${warmup} warm-up)…`);
  latency = await measureLatency({ concurrency, requests, warmup, blocks: 3, blockTimeoutMs: 30_000, log });
  console.log(`\nLocal API latency, ${concurrency} requests in flight\n`);
  console.log(latencyTable(latency));
}

// ---- 3. Quote PDF ---------------------------------------------------------------------------

let pdf: PdfResult | undefined;
let pdfCold: PdfColdRow[] | undefined;
if (withPdf) {
  log('');
  pdf = await measurePdf({ log });
  console.log('\nQuote PDF (in process, fonts parsed once)\n');
  console.log(pdfTable(pdf));
  pdfCold = await measurePdfColdPath({ runs: pdfColdRuns, log });
  console.log('\nPDF cold path (a fresh process imports the function and renders its first document)\n');
  console.log(pdfColdTable(pdfCold));
}

// ---- 4. Invoice numbering under contention ---------------------------------------------------

let issues: IssuesResult | undefined;
if (withIssues) {
  log(`\nbench: invoice issues on one series, ${issuesPerRound} per round with ${issueCallers.join(', ')} concurrent callers…`);
  issues = await measureIssuesInChild({ invoices: issuesPerRound, callers: issueCallers, log });
  console.log('\nInvoice numbering under contention (one CAE series)\n');
  console.log(issuesTable(issues));
  console.log(seriesCheck(issues));
}

// ---- 5. Payroll ------------------------------------------------------------------------------

const payrollRows = rows.filter((r) => isPayroll(r.bundle.fn));
const modeleSocial = modeleSocialCheck(functions);
const modeleSocialLine = modeleSocial.outsidePayroll.length
  ? `Functions bundling modele-social: ${modeleSocial.holders.length}, **${modeleSocial.outsidePayroll.length} outside payroll: ${modeleSocial.outsidePayroll.map((b) => b.fn.fn).join(', ')}**.`
  : `Functions bundling modele-social: ${modeleSocial.holders.length} (${modeleSocial.holders.map((b) => b.fn.fn).join(', ') || 'none'}), all payroll functions; none of the ${functions.length - payrollRows.length} other functions holds it.`;
console.log('\nPayroll functions (ratios: function / floor)\n');
console.log(functionsTable(payrollRows));
console.log(modeleSocialLine);

let payroll: PayrollResult | undefined;
if (withPayroll) {
  log(`\nbench: payroll engine and the monthly job for ${payrollEntrepreneurs} entrepreneurs…`);
  payroll = await measurePayroll({
    firstRuns: payrollFirstRuns,
    warmRuns: payrollWarmRuns,
    entrepreneurs: payrollEntrepreneurs,
    issues: payrollIssues,
    log,
  });
  console.log('\nPayroll engine (modele-social)\n');
  console.log(engineTable(payroll));
  console.log(`\nMonthly job PrepareSalaryDrafts, ${payroll.job.accounts} entrepreneurs\n`);
  console.log(jobTable(payroll));
  console.log('');
  console.log(issueTable(payroll));
}

const networkStarted = performance.now();
const network = args.has('--no-network') ? undefined : await runNetwork();
const networkSeconds = `${((performance.now() - networkStarted) / 1000).toFixed(1)} s`;

const total = elapsed();
const loadAtEnd = loadAverage();
console.log(
  `\nTotal run time: ${total} (nproc ${machine.nproc}, Node ${machine.node}, load average ${loadAtStart} at start, ${loadAtEnd} at end)`,
);

// ---- BENCHMARKS.md --------------------------------------------------------------------------

if (!withImport || !withLatency || !latency || !pdf || !pdfCold || !issues || !payroll) {
  log('bench: a part was skipped, BENCHMARKS.md left as it was');
} else {
  const exampleFloor = floors.reduce((a, b) => (b.usedBy.length > a.usedBy.length ? b : a));
  const md = `# Benchmarks

Generated by \`npm run bench\` (scripts/bench.ts); **this file is overwritten at each run**. The
benchmark reports, it asserts nothing: no timing is a pass/fail criterion.

| | |
|---|---|
| date | ${machine.date} |
| machine | \`nproc\` = ${machine.nproc}, ${machine.cpu}, ${machine.os} |
| Node.js | ${machine.node} (the \`node\` devDependency, first on the PATH of npm scripts) |
| esbuild | ${machine.esbuild} |
| run time | ${total} in all (bundling, ${importRuns} cold-import rounds, latency, PDF, invoice issues, payroll) |
| load average (1 / 5 / 15 min) | ${loadAtStart} at start, ${loadAtEnd} at end |

Timings depend on the machine and on what else it runs (a load average above \`nproc\` means other
work shared the cores); compare ratios more than absolute numbers, and numbers from one file more
than numbers across files.

## 1. Function bundles and cold imports

Each function is weighed against its **floor**: what it would cost if it held nothing but the
clients its entry in the route, job or consumer table grants it (Powertools for every function,
DynamoDB for tables, S3 for documents, SES for mail, Secrets Manager for secrets, Stripe for the
Stripe secrets, EventBridge for the relay). A ratio of 1.00× means the function's own code and its
other dependencies cost nothing; the excess is what the function adds. A function may come in under
its floor: it loads a granted client on first use (the S3, SES and Secrets Manager adapters do,
\`functions/shared/cloud-adapters.ts\`), which the floor imports up front.

${functionsTable(rows)}

Against the goals:

${importGoalsSummary(rows, (r) => Boolean((r.bundle.fn.def as { pdf?: boolean }).pdf))}

### Floors

${floorsTable(floors, floorTimes)}

### Above the floor

The biggest packages (or first-party folders) in each bundle that its floor does not hold, from the
esbuild metafile (\`bytesInOutput\`, minified, per input), and the spread of the import samples.

${aboveFloorTable(rows)}

### How these are measured

- **Bundles.** Each function of \`functions/routes.ts\` and \`functions/jobs.ts\` is bundled with
  esbuild's JS API and \`esbuildOptionsFor()\` of \`infra/constructs/bundling.ts\`, the options the CDK
  \`NodejsFunction\` uses (ESM, \`node24\`, minified, source map beside the file, \`@aws-sdk/*\` external
  because the Lambda runtime provides it, \`createRequire\` banner), into \`.bench/functions/<fn>/index.mjs\`.
  *KiB* is the size of that \`.mjs\` file (the \`.map\` next to it is not counted), *gzip KiB* its
  gzip size (zlib, default level). The external SDK is not in any bundle, so sizes exclude it.
- **Floors.** From each function's entry in \`functions/routes.ts\`, \`functions/jobs.ts\` or
  \`functions/consumers.ts\` (\`grantedModules\` in \`scripts/bench/bundles.ts\`), never from what its
  bundle imports: the six Powertools modules of the house's observability; \`client-dynamodb\` and
  \`lib-dynamodb\` for any table (and Powertools idempotency for the idempotency table);
  \`client-s3\` and \`s3-request-presigner\` for documents; \`client-sesv2\` for mail;
  \`client-secrets-manager\` for secrets; \`stripe\` for the Stripe secrets;
  \`client-eventbridge\` and \`util-dynamodb\` for the relay. The bench generates an entry that
  imports exactly those and does the same module-scope work as \`functions/shared/observability.ts\`
  and \`functions/shared/dynamo.ts\`: a \`Logger\`, a \`Metrics\` and a \`Tracer\` singleton, the middy
  middlewares of those utilities (\`captureLambdaHandler\`, \`injectLambdaContext\`, \`logMetrics\`;
  only the middleware objects: \`@middy/core\` itself is not AWS SDK or Powertools, so it counts
  against the function), and a \`documentClient()\` that builds \`DynamoDBDocumentClient.from(new
  DynamoDBClient({}))\` on first use, as dynamo.ts does (so neither the function nor its floor builds
  the client at import). It is bundled with the same options into \`.bench/floors/<id>/index.mjs\`
  (the entry is kept next to it). Functions granted alike share one floor: the most common
  one (\`${exampleFloor.id}\`, ${exampleFloor.usedBy.length} functions) holds ${[...exampleFloor.powertools, ...exampleFloor.sdk, ...exampleFloor.packages].map((s) => `\`${s}\``).join(', ')}.
- **Cold import.** ${importRuns} rounds; in each round every function bundle is imported once and,
  after every 4 functions, the floors of those 4 (so a floor shared by many functions gets several
  samples per round: see *n* above), each import in a **fresh \`node\` process** (\`process.execPath\`,
  Node ${machine.node}), one process at a time, in an order rotated by one per round so that functions
  and floors interleave and drift spreads evenly. The child measures \`performance.now()\` around \`await import(pathToFileURL(bundle))\`
  only (process start-up is not counted), which includes loading the external \`@aws-sdk/*\` modules
  from the repository's \`node_modules\` (as the Lambda runtime provides them) and running module scope.
  The children get only \`PATH\`, \`AWS_REGION=eu-west-3\`, \`TABLE_DIRECTORY=bench\`,
  \`POWERTOOLS_SERVICE_NAME\`, \`POWERTOOLS_METRICS_NAMESPACE\`, \`POWERTOOLS_TRACE_ENABLED=false\`,
  \`POWERTOOLS_METRICS_DISABLED=true\`, \`POWERTOOLS_LOG_LEVEL=SILENT\`, \`TZ=UTC\` and an empty
  \`AWS_XRAY_MANUAL_MODE\`: the X-Ray SDK (loaded by the Powertools tracer) then starts in automatic
  mode with its process-wide async hook, as in Lambda, in functions and floors alike (outside Lambda
  \`functions/shared/xray-mode.ts\` otherwise starts it in manual mode, but keeps an explicit value).
  No \`NODE_OPTIONS\`: the house construct no longer sets \`--enable-source-maps\`, which parsed each
  bundle's source map at every cold start; logged stacks are mapped when logged (\`functions/shared/source-stack.ts\`).
  The floors import the S3, SES and Secrets Manager clients up front; the functions load them on
  their first use (\`functions/shared/cloud-adapters.ts\`), so a cold start that uses them pays that
  later, in its first request, and the import column does not show it. The table shows the
  **median** of its samples (${importRuns} per function); the ratio is function median / floor median. The OS page
  cache is warm (the same files are read every round), as on a warm Lambda host; a real Lambda cold
  start adds the runtime's own start-up and the download of the code, which are not measured here.

## 2. Local API latency

${latencyTable(latency)}

### How these are measured

- One in-memory DynamoDB Local (\`startDynamoDbLocal()\`, a JVM on 127.0.0.1), the tables of
  \`functions/tables.ts\` under a fresh prefix (\`ensureTables\`), the local environment applied
  (\`applyLocalEnv\`; metrics and tracing off, the handlers logging at INFO as in Lambda, the X-Ray SDK in
  automatic mode as in Lambda: \`AWS_XRAY_MANUAL_MODE\` set empty, checked with \`isAutomaticMode()\`), the demo data seeded
  through the real use cases (\`seedDemo()\`), and one active entrepreneur of ETD 44 picked
  (\`${latency.entrepreneurId}\`). The local server (\`createLocalServer\`, request log off) listens on a
  free port of 127.0.0.1 with a signing key made in a temporary directory; the requests carry a
  manager token of ETD 44 (so every request goes through JWT verification, the v2 event, the middy
  and Powertools middlewares, zod validation, the scope rule and one \`GetItem\`). Setup took
  ${(latency.setupMs / 1000).toFixed(1)} s.
- **Local API**: \`GET /entrepreneurs/{id}\` with \`node:http\` over a keep-alive agent (at most
  ${concurrency} sockets), every response checked for status 200.
- **Raw GetItem**: \`GetItemCommand\` of \`@aws-sdk/client-dynamodb\` on the same key of the same table,
  with a client built as \`functions/shared/dynamo.ts\` builds the handlers' one (SDK defaults, the
  endpoint from \`AWS_ENDPOINT_URL_DYNAMODB\`), every answer checked to hold the item. Note that the SDK's
  default HTTP agent opens at most 50 sockets, for the raw client as for the handler's client: with
  ${concurrency} calls in flight, the rest wait in the agent's queue, in both paths alike.
- **Load**: ${concurrency} requests in flight at all times (${concurrency} loops that each send the next
  request when theirs answers), first ${warmup} warm-up requests of each kind (not recorded), then
  ${requests} measured requests of each kind in 3 alternating blocks (raw, API, raw, API, raw, API) to
  spread drift; each block is also bounded to 30 s. Latency is the time from sending a request to
  reading its whole answer, taken with \`performance.now()\`; percentiles are nearest-rank over all the
  measured requests of a kind; req/s is requests over the blocks' wall time.
- **In process, one at a time** (what Lambda bills: one request per container at a time): the
  \`GetEntrepreneur\` handler invoked as the Lambda runtime invokes it, its module's \`handler\` export
  called with the API Gateway v2 event the local server builds for the same request
  (\`buildHttpEvent\`, the token's verified claims, a fresh event per call, built inside the timed
  call) and a Lambda context, its answer checked for status 200; against the raw \`GetItem\` above,
  also one at a time. The goal's ratio is this one. The second row is the same call through the local
  runtime (\`invokeHandler\`, as \`npm start\` runs it): it adds the local grant checks (the function's
  view of the environment, a proxy every environment read goes through, and the IAM check of each
  DynamoDB call), which Lambda does not have; the local server's path (the HTTP rows) pays them. The
  direct calls and the raw \`GetItem\` read the process's own environment, as in Lambda (the view is
  set aside for their duration); the IAM check stays on the shared DynamoDB client, and lets a call
  made outside a function's context through at once. After a warm-up of each,
  ${Math.max(100, Math.ceil(requests / 3))} calls of each kind, taken in turn call by call (raw, handler, local runtime, raw…)
  so that the drift of the VM and the garbage collections fall on the three alike.
- Everything runs in **one Node process** (the load generator, the local server and the handlers, as
  \`npm start\` runs the handlers in process) beside the DynamoDB Local JVM, on ${machine.nproc} cores:
  the API path pays for its HTTP client and server on the same event loop, which is part of what the
  ratio shows. Only 127.0.0.1 traffic. The JVM and the server are stopped at the end.

## 3. Quote PDF

${pdfTable(pdf)}

Warm render of the typical quote: ${ms(pdf.small.median)} ms against a goal of ≤ ${GOALS.pdfWarmMs} ms (${verdict(pdf.small.median, GOALS.pdfWarmMs)}).

### The cold path

${pdfColdTable(pdfCold)}

### How these are measured

- \`renderQuotePdf()\` of \`functions/quotes/pdf.ts\` in the bench process, on the fixtures of
  \`test/support/quote-fixtures.ts\`, in edition ${QUOTE_EDITION} (every quote sent today): the typical
  renovation quote to an individual (${pdf.small.lines} lines in sections, three VAT rates, a performer with
  décennale and RGE coverage per line, the consumer's rights, the certification and the withdrawal
  form: ${pdf.small.pages} A4 pages at a 10 pt body) and a large one to a company (${pdf.large.lines} lines, ${pdf.large.pages} pages). The fonts (DejaVu Sans, Sans Bold) and the logo
  come from \`layers/pdf-assets\` and are parsed once, as in a warm Lambda container; the first render
  of the process pays for that and is shown apart.
- **The cold path** (\`scripts/bench/pdf-cold.ts\`): the function's handler module and its renderer
  (\`renderQuotePdf\`, \`renderInvoicePdf\`) re-exported from one entry and bundled with
  \`esbuildOptionsFor()\` (so one copy of the PDF engine, as in the function's own bundle); a fresh
  \`node\` process per sample (the cold-import environment plus \`PDF_ASSETS_DIR\`) imports it, renders
  the document once (the first render: the fonts and the logo read and parsed, the text laid out)
  and once more (warm); ${pdfColdRuns} samples per row, medians. The goal is that of the documents in the
  edition SendQuote and IssueInvoice render today (quotes: edition ${QUOTE_EDITION}; invoices: edition 2); the
  documents sent before December 2026 keep edition 1, measured for comparison with earlier runs; the function's floor (from its grants) is
  imported by a fresh process in the same rounds. *in all − floor* is what the PDF costs a cold
  function beyond the clients it needs anyway. The bundle carries fontkit as
  \`infra/constructs/fontkit-trim.ts\` cuts it for every function (TrueType only), and the first render
  lays out the words from the tables precomputed beside each font (\`layers/pdf-assets/fonts/*.layout.json\`,
  \`functions/shared/pdf/font-layout.ts\`), fontkit's shaper taking any word they do not cover.
- After 3 warm-up renders of each, ${pdf.small.renders} renders of the typical quote and ${pdf.large.renders} of the large
  one, interleaved; time from the call to the last byte of the PDF (\`performance.now()\`), median and
  min–max. *ms per page* is the median over the page count: each document has a fixed part (font
  subsets, compression, the closing blocks), which is why the ratio stays well under the page ratio.

## 4. Invoice numbering under contention

${issuesTable(issues)}

${seriesCheck(issues)}

### How these are measured

- In a child Node process (fresh module singletons), a second in-memory DynamoDB Local (\`startDynamoDbLocal()\`), the tables of \`functions/tables.ts\`
  under a fresh prefix, the local environment applied, the demo data seeded (\`seedDemo()\`), the
  local adapters on a temporary directory (PDFs stored as files, e-mails written to the outbox; no
  Stripe call is made when issuing). Setup took ${(issues.setupMs / 1000).toFixed(1)} s.
- Each round first creates ${issuesPerRound} drafts (not timed; \`createInvoice\`, a standard invoice of
  ${issues.lines} lines at 20 % for an MSG entrepreneur of ETD 44 and her client), then ${issueCallers.join(', ')} concurrent
  callers take drafts from one queue and issue each with \`issueInvoice()\` of
  \`functions/invoices/issue.ts\` as a manager of ETD 44 — the whole use case, in process: read the
  draft and the directory, take the series lease (\`functions/shared/series.ts\`), render the PDF
  (${(issues.pdfBytes / 1024).toFixed(1)} KiB), store it, commit the number, the invoice, its history
  and pay link in one transaction, release the lease, write the e-mail. All the rounds use the same
  series, \`${issues.series}\`; ${issues.total - issueCallers.length * issuesPerRound} warm-up issues come first (fonts parsed, JIT, connection pool).
- *issues per second* is the invoices issued over the round's wall time; latency is one
  \`issueInvoice\` call, from the call to its answer (\`performance.now()\`), nearest-rank percentiles.
  Issuers of one series take turns: the series lease serializes the numbered part (PDF and
  transaction), so the throughput stays that of one issuer while the latency grows with the queue;
  waiters poll the lease with a jittered backoff, which is not first come, first served (hence p99).
- *numbers*: the sequence numbers the round got, which must be contiguous; after the last round,
  every number of the series (warm-up included) is checked to be exactly 1..n, and the series
  counter to be n. Everything runs in one Node process beside the JVM, on ${machine.nproc} cores.

## 5. Payroll

### Payroll functions: bundles and cold imports

The payroll rows of part 1 (routes, the PrepareSalaryDrafts job, the CreditTurnover consumer), measured
the same way against their floors.

${functionsTable(payrollRows)}

${modeleSocialLine}

### Engine (modele-social 11.1.0, publicodes 1.10.3)

${engineTable(payroll)}

### Monthly job PrepareSalaryDrafts, ${payroll.job.accounts} entrepreneurs

${jobTable(payroll)}

${issueTable(payroll)}

### How these are measured

- **Engine** (\`functions/payroll/engine.ts\`, which imports modele-social and publicodes dynamically and
  builds the Engine once per process): *first of a process* — for each case, ${payroll.engine.firstRuns} fresh
  Node processes (one per sample, one at a time) each import engine.ts, build the Engine
  (\`warmPayrollEngine()\`, timed apart: the construction row gathers the samples of every case), then
  compute ONE payslip of that case; a container's first \`computePayslip\` pays construction + first
  computation. *Warm* — one process builds the Engine, computes each case twice (not recorded), then
  ${payroll.engine.warmRuns} times, the cases interleaved; median and min–max of \`performance.now()\` around
  \`computePayslip()\`. The cases (period 2026-11, neutral withholding grid, default employer situation):
  a gross of 2 500 € at 151.67 h and of 1 500 € at 104 h a month (24 h a week, part time), a budget
  (maximum employer cost, the inversion: the highest gross whose cost fits) of 3 500 € full time and
  2 000 € part time; *gross €* is what each gave.
- **Monthly job**: in a child process, a bench-only in-memory DynamoDB Local (\`startDynamoDbLocal()\`)
  with its own tables (fresh prefix), the demo data (\`seedDemo()\`), then entrepreneurs created and
  activated through the onboarding use cases (\`createEntrepreneur\`, \`transitionEntrepreneur\` to
  validated then active; the demo profiles as templates, over ETD 44 and 85), each credited through
  \`recordTurnover\` of the payroll door (2 000 € to 6 000 € HT in November 2026, so that its account
  can fund a salary), so that the job goes through ${payroll.job.accounts} active entrepreneurs (the business
  plan's year-10 size; the demo's ones included). It also writes the managers' reminder e-mails (local outbox). Seeding took ${(payroll.job.seedMs / 1000).toFixed(1)} s with 8 concurrent callers (JVM start included).
  Then the real handler (\`functions/payroll/handlers/prepare-salary-drafts.ts\`, \`jobHandler\` and all)
  on the scheduled event of 1 December 2026, 06:00 UTC (the first working day: drafts of November),
  then again (the re-run changes nothing). *s* is the handler's wall time.
- **Capacity**: the job's stores do not ask for it, so the bench adds a middleware to the shared
  client of that process (\`dynamoClient()\` of \`functions/shared/dynamo.ts\`, whose stack the document
  client shares) that sets \`ReturnConsumedCapacity: 'TOTAL'\` on every call and sums the
  \`ConsumedCapacity\` of the answers: *RCU* for reads (GetItem, Query…), *WCU* for writes (a
  transaction's units as DynamoDB Local reports them, i.e. doubled for transactions). These are the
  units DynamoDB Local computes (item sizes, eventually/strongly consistent reads), which follow the
  service's rules; on-demand billing counts the same units as read/write request units.
- **Payslip issued end to end**: after the job, \`issuePayslip()\` of \`functions/payroll/payslips.ts\`
  as a manager of the entrepreneur's territory on ${payroll.issue.warm.samples + 1} of the job's drafts (the
  maximum the account allows: the inversion), one after the other — read the draft, the account and
  the settings, compute with modele-social, take the series, render the PDF, commit the payslip, the
  movements and the balance in one transaction, store the PDF and write the e-mail (local adapters).
  The first includes building the Engine and parsing the fonts. Issuing every payslip of the month is
  not the job's work: the job only prepares the drafts, the managers issue them.
${network ? `\n${networkSection(network, { date: machine.date, seconds: networkSeconds, load: `${loadAtStart} at start, ${loadAtEnd} at end` })}` : ''}`;
  writeFileSync(path.join(repoRoot, 'BENCHMARKS.md'), md);
  log(`bench: wrote BENCHMARKS.md (${elapsed()})`);
}
