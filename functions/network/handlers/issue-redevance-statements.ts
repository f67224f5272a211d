/**
 * Monthly job (first working day, Europe/Paris): for every territory with rate versions, each period
 * ended and not stated yet, in order — its statement computed, its PDF stored and e-mailed to the
 * territory's managers; the redevance of each statement as a metric (`RedevanceEuros`, dimension `Etd`).
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { territoryCodes } from '../../onboarding/index.ts';
import { adapters } from '../../shared/adapters.ts';
import { jobHandler } from '../../shared/job.ts';
import { isFirstWorkingDayOfMonth } from '../../shared/working-days.ts';
import { metrics } from '../../shared/observability.ts';
import { parisDate } from '../../shared/clock.ts';
import { issueDueStatements } from '../statements.ts';

const ports = () => adapters();

export const handler = jobHandler('IssueRedevanceStatements', async (event) => {
  const now = event?.time ? new Date(event.time) : new Date();
  if (!isFirstWorkingDayOfMonth(parisDate(now))) return { skipped: true as const };
  const outcome = await issueDueStatements(ports(), territoryCodes(), now);
  for (const s of outcome.issued) {
    const single = metrics.singleMetric();
    single.addDimension('Etd', s.id.slice(0, s.id.indexOf('-')));
    single.addMetric('RedevanceEuros', MetricUnit.NoUnit, s.redevanceCents / 100);
  }
  return outcome;
});
