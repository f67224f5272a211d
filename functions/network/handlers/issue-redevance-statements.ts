/**
 * Monthly job (first working day, Europe/Paris): for every territory with rate versions, each period
 * ended and not stated yet, in order — its statement computed, its PDF stored and e-mailed to the
 * territory's managers; the redevance of each statement as a metric (`RedevanceEuros`, dimension `Etd`).
 * On the other days of the schedule's window (days 1 to 7) it catches up what a failed first run left
 * (stating a period twice writes nothing). A territory that fails does not hold the others; the run
 * then fails, so that it is retried.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { territoryCodes } from '../../onboarding/index.ts';
import { adapters } from '../../shared/adapters.ts';
import { jobHandler } from '../../shared/job.ts';
import { firstWorkingDay } from '../../shared/working-days.ts';
import { businessMetric } from '../../shared/observability.ts';
import { parisDate } from '../../shared/clock.ts';
import { issueDueStatements } from '../statement-issue.ts';

const ports = () => adapters();

export const handler = jobHandler('IssueRedevanceStatements', async (event) => {
  const now = event?.time ? new Date(event.time) : new Date();
  const today = parisDate(now);
  // Before the first working day of the month (a weekend or a holiday on the 1st): nothing yet.
  if (today < firstWorkingDay(today.slice(0, 7))) return { skipped: true as const };
  const outcome = await issueDueStatements(ports(), territoryCodes(), now);
  for (const s of outcome.issued) {
    businessMetric('RedevanceEuros', s.id.slice(0, s.id.indexOf('-')), s.redevanceCents / 100, MetricUnit.NoUnit);
  }
  if (outcome.failed.length)
    throw new Error(`redevance statements failed for ${outcome.failed.length} territory(ies): ${outcome.failed.join(', ')}`);
  return outcome;
});
