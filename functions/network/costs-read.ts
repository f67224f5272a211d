import type { Principal } from '../shared/auth.ts';
import { meterTerritory } from '../shared/metering.ts';
import { scopeOf } from './domain/access.ts';
import { entrepreneurMonths } from './domain/costs.ts';
import { costServices, type CostService } from './prices.ts';
import { knownTerritory } from './rates.ts';
import { costsBetween } from './store.ts';

const euros = (micro: number) => Math.round(micro) / 1e6;

export async function listCosts(principal: Principal, query: { etd?: string | undefined; from: string; to: string }) {
  const etd = scopeOf(principal, query.etd);
  if (query.etd) await knownTerritory(principal, query.etd, 'query.etd');
  meterTerritory(etd);
  const items = (await costsBetween(etd, query.from, query.to)).sort((a, b) => (a.day + a.etd < b.day + b.etd ? -1 : 1));
  const byService = Object.fromEntries(costServices.map((s) => [s, 0])) as Record<CostService, number>;
  let total = 0;
  let months = 0;
  const days = items.map((c) => {
    for (const s of costServices) byService[s] += c.services[s] ?? 0;
    total += c.totalMicroEuros;
    months += entrepreneurMonths(c.day, c.activeEntrepreneurs);
    return {
      etd: c.etd,
      day: c.day,
      services: Object.fromEntries(costServices.map((s) => [s, euros(c.services[s] ?? 0)])),
      meteredEuros: euros(c.meteredMicroEuros),
      sharedEuros: euros(c.sharedMicroEuros),
      stripeFeesEuros: euros(c.stripeFeesMicroEuros),
      totalEuros: euros(c.totalMicroEuros),
      activeEntrepreneurs: c.activeEntrepreneurs,
      pricesVerified: c.prices.verified,
    };
  });
  return {
    from: query.from,
    to: query.to,
    ...(etd ? { etd } : {}),
    days,
    totals: {
      totalEuros: euros(total),
      byService: Object.fromEntries(costServices.map((s) => [s, euros(byService[s])])),
      entrepreneurMonths: Math.round(months * 1000) / 1000,
      ...(months > 0 ? { perEntrepreneurMonthEuros: euros(total / months) } : {}),
    },
  };
}
