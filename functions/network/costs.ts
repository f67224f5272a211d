/**
 * The cost per territory (ETD): the daily job prices the previous Paris day's usage per territory
 * (functions/network/domain/costs.ts: the method), adds the Stripe fees of the territory's payments
 * of the day, writes one cost item per territory and day (only when absent or different: a re-run
 * writes nothing) and publishes two metrics per territory (dimension `Etd`): `TerritoryCostEuros`
 * and `CostPerActiveEntrepreneurEuros`. Operators read every territory's costs, managers their own.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { activeEntrepreneurs, territoryCodes } from '../onboarding/index.ts';
import { paymentFeeCents } from '../payments/index.ts';
import type { Adapters } from '../shared/adapters.ts';
import { addDays, parisDate } from '../shared/clock.ts';
import { sha256 } from '../shared/hash.ts';
import { businessMetric, logger } from '../shared/observability.ts';
import { dayCosts } from './domain/costs.ts';
import { pricesOn } from './prices.ts';
import { type CostRecord, factsDated, putCost } from './store.ts';
import type { UsageSource } from './usage.ts';

/** The first instant of a Paris day (Paris offsets are whole hours). */
export function parisMidnight(day: string): Date {
  let t = Date.parse(`${day}T00:00:00Z`) - 3 * 3_600_000;
  while (parisDate(new Date(t)) !== day) t += 3_600_000;
  return new Date(t);
}

/** Stripe's fees of a territory's payments received on a day (the payments of the redevance facts). */
async function stripeFeesOf(ports: Pick<Adapters, 'payments'>, etd: string, day: string): Promise<number> {
  const payments = (await factsDated(etd, day, day)).filter((f) => f.kind === 'payment');
  let cents = 0;
  for (const p of payments) {
    try {
      cents += await paymentFeeCents(ports, p.factId.slice('pay:'.length));
    } catch (error) {
      // A payment Stripe does not know (recorded by hand, another account): no fee, said in the log; an outage fails the job.
      if ((error as { code?: unknown }).code !== 'resource_missing') throw error;
      logger.warn('payment unknown to Stripe: no fee counted', { etd, day });
    }
  }
  return cents;
}

async function countActive(etd: string): Promise<number> {
  let n = 0;
  for await (const _ of activeEntrepreneurs(etd)) n++;
  return n;
}

export interface DayOutcome {
  readonly day: string;
  readonly territories: number;
  readonly written: number;
  readonly totalMicroEuros: number;
  /** Σ territories = the price table over all usage + fixed + Stripe (always true: the allocation is exact). */
  readonly addsUp: boolean;
}

/** Prices one Paris day and writes its cost items. */
export async function computeDayCosts(ports: Pick<Adapters, 'payments'>, source: UsageSource, day: string, now: Date): Promise<DayOutcome> {
  const territories: string[] = [];
  for await (const code of territoryCodes()) territories.push(code);
  const rows = await source.rowsOf(day, parisMidnight(day), parisMidnight(addDays(day, 1)));
  const stripeFeesCents: Record<string, number> = {};
  const active: Record<string, number> = {};
  for (const etd of territories) {
    stripeFeesCents[etd] = await stripeFeesOf(ports, etd, day);
    active[etd] = await countActive(etd);
  }
  const prices = pricesOn(day);
  const verified = prices.eurPerUsd.verified && Object.values(prices.prices).every((p) => p.verified);
  const costs = dayCosts({ day, territories, rows, prices, stripeFeesCents });
  let written = 0;
  for (const t of costs.territories) {
    const content = { ...t, activeEntrepreneurs: active[t.etd] ?? 0, prices: { from: prices.from, verified } };
    const record: CostRecord = { ...content, contentHash: sha256(JSON.stringify(content)), computedAt: now.toISOString() };
    if (await putCost(record)) written++;
    businessMetric('TerritoryCostEuros', t.etd, t.totalMicroEuros / 1e6, MetricUnit.NoUnit);
    if (record.activeEntrepreneurs > 0) {
      // A day's cost per active entrepreneur; × the days of a month ≈ the cost per entrepreneur-month.
      businessMetric('CostPerActiveEntrepreneurEuros', t.etd, t.totalMicroEuros / 1e6 / record.activeEntrepreneurs, MetricUnit.NoUnit);
    }
  }
  const sum = costs.territories.reduce((s, t) => s + t.totalMicroEuros, 0);
  if (sum !== costs.totalMicroEuros) logger.error('cost allocation does not add up', { day, sum, total: costs.totalMicroEuros });
  return {
    day,
    territories: costs.territories.length,
    written,
    totalMicroEuros: costs.totalMicroEuros,
    addsUp: sum === costs.totalMicroEuros,
  };
}

/** The daily job: the previous Paris day. */
export function dayBefore(now: Date): string {
  return addDays(parisDate(now), -1);
}
