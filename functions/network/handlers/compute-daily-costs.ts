/**
 * Daily job (Europe/Paris): the previous day's cost per territory — its metered usage × the price
 * table, its share of the shared costs, its Stripe fees — one cost item per territory and day, and
 * the metrics `TerritoryCostEuros` and `CostPerActiveEntrepreneurEuros` (dimension `Etd`).
 */
import { adapters } from '../../shared/adapters.ts';
import { jobHandler } from '../../shared/job.ts';
import { computeDayCosts, dayBefore } from '../costs.ts';
import { usageSource } from '../usage.ts';

const ports = () => adapters();

export const handler = jobHandler('ComputeDailyCosts', async (event) => {
  const now = event?.time ? new Date(event.time) : new Date();
  return computeDayCosts(ports(), usageSource(), dayBefore(now), now);
});
