/**
 * Monthly job (first working day, Europe/Paris): salary drafts of the previous month, and the count
 * of drafts still open per territory for the managers (metric `OpenSalaryDrafts`, dimension `etd`).
 *
 * The entrepreneurs: until the onboarding door lists every active entrepreneur (asked of it), the
 * territories come from `activeBirthYearsByEtd()` and, in each, the entrepreneurs that have a
 * payroll account, kept when `loadEntrepreneur` says they are active.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { activeBirthYearsByEtd, loadEntrepreneur } from '../../onboarding/index.ts';
import { jobHandler } from '../../shared/job.ts';
import { metrics } from '../../shared/observability.ts';
import { type ActiveEntrepreneur, prepareSalaryDrafts } from '../drafts.ts';
import { accountsOf } from '../store.ts';

async function* activeEntrepreneurs(): AsyncGenerator<ActiveEntrepreneur> {
  for await (const { etd } of activeBirthYearsByEtd()) {
    for await (const id of accountsOf(etd)) {
      const e = await loadEntrepreneur(id);
      if (e.state === 'active') yield { id: e.id, etd: e.etd, cae: e.cae, competences: e.competences };
    }
  }
}

export const handler = jobHandler('PrepareSalaryDrafts', async (event) => {
  const result = await prepareSalaryDrafts(activeEntrepreneurs(), event?.time ? new Date(event.time) : new Date());
  for (const [etd, open] of Object.entries(result.openByEtd)) {
    const single = metrics.singleMetric();
    single.addDimension('etd', etd);
    single.addMetric('OpenSalaryDrafts', MetricUnit.Count, open);
  }
  return result;
});
