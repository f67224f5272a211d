/**
 * What a day of the platform cost, per territory. Pure: usage rows and prices in, cost items out,
 * in integer micro-euros (µ€: a request costs far less than a cent).
 *
 * Method (also in the README):
 * 1. Usage. The metering lines of the day (functions/shared/metering.ts), summed per territory into
 *    the priced quantities: Lambda GB-seconds (billed duration × memory) and requests, HTTP API
 *    requests (the `http` invocations), DynamoDB read and write request units, S3 requests, e-mails,
 *    log bytes (invocations × the table's bytes per invocation). Lines without a territory (the jobs,
 *    the relay, operators' cross-territory reads) form the unattributed usage.
 * 2. Price. For each service, the day's total quantity × its price, rounded once to the µ€: the total
 *    of the price table over all usage. That total is divided between the territories and the
 *    unattributed usage in proportion to their quantities, by largest remainder, so the parts add up
 *    to it exactly: each territory's part is its *metered* cost.
 * 3. Shared. The unattributed parts, plus the fixed costs of the day (the custom metric series,
 *    a month's price / days of the month), are spread over the territories in proportion to their
 *    metered cost (equally when none has any), again by largest remainder: each territory's *shared* cost.
 * 4. Stripe. The fees Stripe charged on the day's payments of a territory are its own, as charged.
 * So for every day: Σ territories (metered + shared + Stripe) = the price table over all usage +
 * fixed + Stripe fees, to the µ€.
 */
import type { CostService, PricedService, PriceVersion } from '../prices.ts';

/** Usage summed over invocations that share a territory, trigger and memory size. */
export interface UsageRow {
  readonly etd: string;
  readonly trigger: string;
  readonly memoryMb: number;
  readonly invocations: number;
  readonly durationMs: number;
  readonly rcu: number;
  readonly wcu: number;
  readonly s3Requests: number;
  readonly emails: number;
}

/** The raw metering lines grouped into usage rows (what Logs Insights' `stats … by` answers in the cloud). */
export function usageRows(
  lines: Iterable<{
    etd: string;
    trigger: string;
    memoryMb: number;
    durationMs: number;
    rcu: number;
    wcu: number;
    s3Requests: number;
    emails: number;
  }>,
): UsageRow[] {
  const rows = new Map<string, UsageRow & { invocations: number }>();
  for (const l of lines) {
    const key = `${l.etd}|${l.trigger}|${l.memoryMb}`;
    const r = rows.get(key);
    if (!r) {
      rows.set(key, {
        etd: l.etd,
        trigger: l.trigger,
        memoryMb: l.memoryMb,
        invocations: 1,
        durationMs: l.durationMs,
        rcu: l.rcu,
        wcu: l.wcu,
        s3Requests: l.s3Requests,
        emails: l.emails,
      });
      continue;
    }
    rows.set(key, {
      ...r,
      invocations: r.invocations + 1,
      durationMs: r.durationMs + l.durationMs,
      rcu: r.rcu + l.rcu,
      wcu: r.wcu + l.wcu,
      s3Requests: r.s3Requests + l.s3Requests,
      emails: r.emails + l.emails,
    });
  }
  return [...rows.values()];
}

export type Quantities = Record<Exclude<PricedService, 'cloudwatch-metrics'>, number>;

const zero = (): Quantities => ({
  'lambda-compute': 0,
  'lambda-requests': 0,
  'api-requests': 0,
  'dynamodb-read': 0,
  'dynamodb-write': 0,
  's3-requests': 0,
  ses: 0,
  'cloudwatch-logs': 0,
});

/** The priced quantities of usage rows, per territory ('' = unattributed). */
export function quantitiesByEtd(rows: readonly UsageRow[], prices: PriceVersion): Map<string, Quantities> {
  const out = new Map<string, Quantities>();
  for (const r of rows) {
    const q = out.get(r.etd) ?? zero();
    q['lambda-compute'] += (r.durationMs / 1000) * (r.memoryMb / 1024);
    q['lambda-requests'] += r.invocations;
    if (r.trigger === 'http') q['api-requests'] += r.invocations;
    q['dynamodb-read'] += r.rcu;
    q['dynamodb-write'] += r.wcu;
    q['s3-requests'] += r.s3Requests;
    q.ses += r.emails;
    q['cloudwatch-logs'] += (r.invocations * prices.assumptions.logBytesPerInvocation) / 1024 ** 3;
    out.set(r.etd, q);
  }
  return out;
}

/** µ€ of a quantity at a price (USD per million units), rounded to the µ€. */
export function microEuros(quantity: number, usdPerMillion: number, eurPerUsd: number): number {
  return Math.round(quantity * usdPerMillion * eurPerUsd);
}

/**
 * Splits an integer `total` in proportion to `weights` (≥ 0) by largest remainder: the parts are
 * integers that add up to `total` exactly; ties go to the earlier weight. All weights zero: equal
 * parts (the remainder to the first ones).
 */
export function allocate(total: number, weights: readonly number[]): number[] {
  if (weights.length === 0) return [];
  const sum = weights.reduce((s, w) => s + w, 0);
  const shares = sum > 0 ? weights.map((w) => (total * w) / sum) : weights.map(() => total / weights.length);
  const parts = shares.map((s) => Math.floor(s));
  let left = total - parts.reduce((s, p) => s + p, 0);
  const order = shares.map((s, i) => ({ i, r: s - Math.floor(s) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) parts[order[k]!.i]! += 1;
  return parts;
}

export interface TerritoryCost {
  readonly etd: string;
  readonly day: string;
  /** µ€ per service: metered (its share of each service's total) and Stripe fees. */
  readonly services: Readonly<Record<CostService, number>>;
  readonly meteredMicroEuros: number;
  readonly sharedMicroEuros: number;
  readonly stripeFeesMicroEuros: number;
  readonly totalMicroEuros: number;
  readonly quantities: Quantities;
}

export interface DayCosts {
  readonly day: string;
  readonly territories: readonly TerritoryCost[];
  /** The price table over all usage of the day, per service (Stripe: the fees), µ€. */
  readonly totalByService: Readonly<Record<CostService, number>>;
  readonly unattributedMicroEuros: number;
  readonly fixedMicroEuros: number;
  readonly totalMicroEuros: number;
}

/**
 * The costs of one day. `territories`: every territory open that day (one with no usage still gets
 * its share of the fixed costs); `stripeFeesCents`: per territory, Stripe's fees of its payments of the day.
 */
export function dayCosts(input: {
  readonly day: string;
  readonly territories: readonly string[];
  readonly rows: readonly UsageRow[];
  readonly prices: PriceVersion;
  readonly stripeFeesCents: Readonly<Record<string, number>>;
}): DayCosts {
  const { prices } = input;
  const etds = [...new Set(input.territories)].sort();
  const byEtd = quantitiesByEtd(
    input.rows.map((r) => (r.etd === '' || etds.includes(r.etd) ? r : { ...r, etd: '' })),
    prices,
  );
  const buckets = [...etds, ''];
  const services = Object.keys(zero()) as (keyof Quantities)[];
  const metered = new Map<string, Record<string, number>>(buckets.map((b) => [b, {}]));
  const totalByService = {} as Record<CostService, number>;
  for (const s of services) {
    const total = microEuros(
      buckets.reduce((sum, b) => sum + (byEtd.get(b)?.[s] ?? 0), 0),
      prices.prices[s].usdPerMillion,
      prices.eurPerUsd.value,
    );
    totalByService[s] = total;
    allocate(
      total,
      buckets.map((b) => byEtd.get(b)?.[s] ?? 0),
    ).forEach((part, i) => {
      metered.get(buckets[i]!)![s] = part;
    });
  }
  // Fixed: a day of the month's custom metric series.
  const daysInMonth = new Date(Date.UTC(Number(input.day.slice(0, 4)), Number(input.day.slice(5, 7)), 0)).getUTCDate();
  const series = prices.assumptions.metricSeriesShared + etds.length * prices.assumptions.metricSeriesPerTerritory;
  const fixedMicroEuros = microEuros(series / daysInMonth, prices.prices['cloudwatch-metrics'].usdPerMillion, prices.eurPerUsd.value);
  totalByService['cloudwatch-metrics'] = fixedMicroEuros;
  const meteredOf = (b: string) => Object.values(metered.get(b)!).reduce((s, v) => s + v, 0);
  const unattributedMicroEuros = meteredOf('');
  const shared = allocate(
    unattributedMicroEuros + fixedMicroEuros,
    etds.map((e) => meteredOf(e)),
  );
  let stripeTotal = 0;
  const territories = etds.map((etd, i): TerritoryCost => {
    const stripeFeesMicroEuros = Math.round(input.stripeFeesCents[etd] ?? 0) * 10_000;
    stripeTotal += stripeFeesMicroEuros;
    const own = metered.get(etd)!;
    const meteredMicroEuros = meteredOf(etd);
    const servicesOf = Object.fromEntries((['cloudwatch-metrics', ...services] as CostService[]).map((s) => [s, own[s] ?? 0])) as Record<
      CostService,
      number
    >;
    servicesOf['stripe-fees'] = stripeFeesMicroEuros;
    return {
      etd,
      day: input.day,
      services: servicesOf,
      meteredMicroEuros,
      sharedMicroEuros: shared[i]!,
      stripeFeesMicroEuros,
      totalMicroEuros: meteredMicroEuros + shared[i]! + stripeFeesMicroEuros,
      quantities: byEtd.get(etd) ?? zero(),
    };
  });
  totalByService['stripe-fees'] = stripeTotal;
  const totalMicroEuros = Object.values(totalByService).reduce((s, v) => s + v, 0);
  return { day: input.day, territories, totalByService, unattributedMicroEuros, fixedMicroEuros, totalMicroEuros };
}

/** Entrepreneur-months of a day: the active entrepreneurs over the days of its month. */
export function entrepreneurMonths(day: string, active: number): number {
  const daysInMonth = new Date(Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)), 0)).getUTCDate();
  return active / daysInMonth;
}
