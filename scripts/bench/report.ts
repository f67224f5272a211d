/** Markdown (BENCHMARKS.md) and plain-text (stdout) rendering of the results. */
import type { FloorBundle, FunctionBundle } from './bundles.ts';
import type { LatencyResult, Summary } from './latency.ts';

export interface ImportTimes {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly samples: number;
}

export interface FunctionRow {
  readonly bundle: FunctionBundle;
  readonly floor: FloorBundle;
  readonly fnImport: ImportTimes;
  readonly floorImport: ImportTimes;
  readonly above: readonly [string, number][];
}

export interface Machine {
  readonly date: string;
  readonly nproc: number;
  readonly cpu: string;
  readonly node: string;
  readonly esbuild: string;
  readonly os: string;
}

export const kib = (bytes: number) => (bytes / 1024).toFixed(1);
export const ms = (v: number) => (Number.isFinite(v) ? (v < 10 ? v.toFixed(2) : v.toFixed(1)) : 'n/a');
export const ratio = (a: number, b: number) => (b > 0 && Number.isFinite(a) ? `${(a / b).toFixed(2)}×` : 'n/a');

/** A markdown table; the same text reads well on a terminal. */
export function table(head: readonly string[], rows: readonly (readonly string[])[], align: readonly ('l' | 'r')[] = []): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const cell = (text: string, i: number) => ((align[i] ?? 'l') === 'r' ? text.padStart(widths[i]!) : text.padEnd(widths[i]!));
  const line = (cells: readonly string[]) => `| ${cells.map((c, i) => cell(c, i)).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => ((align[i] ?? 'l') === 'r' ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`;
  return [line(head), rule, ...rows.map(line)].join('\n');
}

export function functionsTable(rows: readonly FunctionRow[]): string {
  return table(
    ['function', 'bundle KiB (gzip KiB)', 'floor KiB', 'size ratio', 'import ms median', 'floor ms median', 'time ratio'],
    rows.map((r) => [
      r.bundle.fn.fn,
      `${kib(r.bundle.bytes)} (${kib(r.bundle.gzipBytes)})`,
      kib(r.floor.bytes),
      ratio(r.bundle.bytes, r.floor.bytes),
      ms(r.fnImport.median),
      ms(r.floorImport.median),
      ratio(r.fnImport.median, r.floorImport.median),
    ]),
    ['l', 'r', 'r', 'r', 'r', 'r', 'r'],
  );
}

/**
 * Goal 1 for the HTTP functions (routes): cold import ≤ GOALS.importOverFloor × the floor's, and a
 * bundle ≤ GOALS.kibAboveFloor KiB above the floor's; the PDF functions have their own goals (part 3).
 */
export function importGoalsSummary(rows: readonly FunctionRow[], isPdf: (row: FunctionRow) => boolean): string {
  const http = rows.filter((r) => r.bundle.fn.kind === 'route' && !isPdf(r));
  const slow = http.filter((r) => r.fnImport.median / r.floorImport.median > GOALS.importOverFloor);
  const big = http.filter((r) => (r.bundle.bytes - r.floor.bytes) / 1024 > GOALS.kibAboveFloor);
  const list = (missed: readonly FunctionRow[], value: (r: FunctionRow) => string) =>
    missed.length ? `; missed by ${missed.map((r) => `${r.bundle.fn.fn} (${value(r)})`).join(', ')}` : '';
  return [
    `- Cold import ≤ ${GOALS.importOverFloor.toFixed(2)}× the floor: **${http.length - slow.length} of ${http.length}** HTTP functions (PDF functions apart)${list(slow, (r) => ratio(r.fnImport.median, r.floorImport.median))}.`,
    `- Bundle ≤ ${GOALS.kibAboveFloor} KiB above the floor: **${http.length - big.length} of ${http.length}**${list(big, (r) => `${kib(r.bundle.bytes - r.floor.bytes)} KiB`)}.`,
  ].join('\n');
}

const shortSpecifier = (s: string) => s.replace('@aws-lambda-powertools/', 'pt/').replace('@aws-sdk/', 'sdk/');

export function floorsTable(floors: readonly FloorBundle[], times: ReadonlyMap<string, ImportTimes>): string {
  return table(
    [
      'floor',
      'holds, from the grants (pt = @aws-lambda-powertools, sdk = @aws-sdk, external)',
      'KiB (gzip KiB)',
      'import ms median (min–max), n',
      'biggest inputs (KiB)',
      'functions',
    ],
    floors.map((f) => {
      const t = times.get(f.id);
      return [
        f.id,
        [...f.powertools, ...f.sdk, ...f.packages].map(shortSpecifier).join(', ') || '(nothing)',
        `${kib(f.bytes)} (${kib(f.gzipBytes)})`,
        t?.samples ? `${ms(t.median)} (${ms(t.min)}–${ms(t.max)}), ${t.samples}` : 'n/a',
        [...f.byPackage]
          .filter(([pkg]) => !pkg.startsWith('.bench'))
          .sort((a, b) => b[1] - a[1])
          .slice(0, 4)
          .map(([pkg, bytes]) => `${pkg} ${kib(bytes)}`)
          .join(', '),
        f.usedBy.length === 1 ? f.usedBy[0]! : `${f.usedBy.length}`,
      ];
    }),
    ['l', 'l', 'r', 'r', 'l', 'l'],
  );
}

export function aboveFloorTable(rows: readonly FunctionRow[]): string {
  return table(
    ['function', 'KiB above floor', 'biggest inputs the floor does not hold (KiB in the bundle)', 'import ms min–max', 'floor ms min–max'],
    rows.map((r) => [
      r.bundle.fn.fn,
      kib(r.bundle.bytes - r.floor.bytes),
      r.above.map(([pkg, bytes]) => `${pkg} ${kib(bytes)}`).join(', '),
      `${ms(r.fnImport.min)}–${ms(r.fnImport.max)}`,
      `${ms(r.floorImport.min)}–${ms(r.floorImport.max)}`,
    ]),
    ['l', 'r', 'l', 'r', 'r'],
  );
}

/** The goals of the performance issue, as ratios (BENCHMARKS.md reports each against its goal). */
export const GOALS = {
  /** Cold import of an HTTP function ÷ its floor's. */
  importOverFloor: 1.2,
  /** Bundle KiB above the floor's, for an HTTP function. */
  kibAboveFloor: 150,
  /** A fresh process importing a PDF function and rendering its first 45-line quote, ms in all. */
  pdfColdPathMs: 150,
  /** A warm render of the 45-line quote, ms. */
  pdfWarmMs: 25,
  /** A PDF function's bundle, KiB. */
  pdfBundleKib: 600,
  /** In process, one at a time, p50: the handler with its v2 event ÷ a raw GetItem. */
  handlerOverRaw: 1.2,
  /** The local API over HTTP ÷ a raw GetItem, p50 at the same concurrency. */
  httpOverRaw: 1.5,
} as const;

/** « met » or « missed » against a goal that is an upper bound. */
export const verdict = (value: number, goal: number): string => (value <= goal ? 'met' : 'missed');

function ratioRow(label: string, a: Summary, b: Summary): string[] {
  return [
    label,
    ratio(a.p50, b.p50),
    ratio(a.p90, b.p90),
    ratio(a.p99, b.p99),
    ratio(a.mean, b.mean),
    ratio(a.max, b.max),
    ratio(a.throughput, b.throughput),
    '',
    '',
  ];
}

export function latencyTable(l: LatencyResult): string {
  const row = (name: string, s: Summary) => [
    name,
    ms(s.p50),
    ms(s.p90),
    ms(s.p99),
    ms(s.mean),
    ms(s.max),
    s.throughput.toFixed(0),
    `${s.count}`,
    `${s.errors}`,
  ];
  return table(
    ['path', 'p50 ms', 'p90 ms', 'p99 ms', 'mean ms', 'max ms', 'req/s', 'requests', 'errors'],
    [
      row(`local API \`GET /entrepreneurs/{id}\` over HTTP, ${l.concurrency} in flight`, l.api),
      row(`raw \`GetItem\` (same key, same DynamoDB Local), ${l.concurrency} in flight`, l.raw),
      ratioRow(
        `**ratio API / raw** (goal ≤ ${GOALS.httpOverRaw.toFixed(2)}× at p50: ${verdict(l.api.p50 / l.raw.p50, GOALS.httpOverRaw)})`,
        l.api,
        l.raw,
      ),
      row('in process, one at a time: the handler with the v2 event, as Lambda invokes it', l.inProcess.handler),
      row('in process, one at a time: the same through the local runtime (`invokeHandler`, grants)', l.inProcess.local),
      row('in process, one at a time: raw `GetItem`', l.inProcess.raw),
      ratioRow(
        `**ratio handler / raw** (goal ≤ ${GOALS.handlerOverRaw.toFixed(2)}× at p50: ${verdict(l.inProcess.handler.p50 / l.inProcess.raw.p50, GOALS.handlerOverRaw)})`,
        l.inProcess.handler,
        l.inProcess.raw,
      ),
      ratioRow("ratio local runtime / raw (no goal: the local runtime's own grant checks)", l.inProcess.local, l.inProcess.raw),
    ],
    ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
  );
}
