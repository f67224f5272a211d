/**
 * Monthly job (first working day, Europe/Paris): salary drafts of the previous month for every
 * active entrepreneur of every territory (onboarding's `activeEntrepreneurs()`, even one without
 * any movement yet), the count of drafts still open per territory for the managers (metric
 * `OpenSalaryDrafts`, dimension `etd`), and one reminder e-mail per CAE with open drafts to the
 * CAE's payroll contact.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { activeEntrepreneurs } from '../../onboarding/index.ts';
import { adapters } from '../../shared/adapters.ts';
import { jobHandler } from '../../shared/job.ts';
import { metrics } from '../../shared/observability.ts';
import { prepareSalaryDrafts } from '../drafts.ts';
import { remindManagers } from '../reminders.ts';

const ports = () => adapters();

export const handler = jobHandler('PrepareSalaryDrafts', async (event) => {
  const result = await prepareSalaryDrafts(activeEntrepreneurs(), event?.time ? new Date(event.time) : new Date());
  for (const [etd, open] of Object.entries(result.openByEtd)) {
    const single = metrics.singleMetric();
    single.addDimension('etd', etd);
    single.addMetric('OpenSalaryDrafts', MetricUnit.Count, open);
  }
  if (result.skipped) return result;
  const reminders = await remindManagers(ports(), result.period, result.openByCae);
  return { period: result.period, created: result.created, kept: result.kept, openByEtd: result.openByEtd, reminders };
});
