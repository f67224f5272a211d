/**
 * Monthly job (first working day, Europe/Paris) that acts in January only: the tax-credit
 * attestations of the past year for every territory (new ones, corrected ones; the unchanged left
 * alone). Other months it answers `skipped`. Staff run it on demand through
 * POST /etds/{code}/tax-attestations/{year}.
 */
import { territoryCodes } from '../../onboarding/index.ts';
import { adapters } from '../../shared/adapters.ts';
import { parisDate } from '../../shared/clock.ts';
import { jobHandler } from '../../shared/job.ts';
import { isFirstWorkingDayOfMonth } from '../../shared/working-days.ts';
import { issueAttestations } from '../attestations.ts';

export const handler = jobHandler('IssueTaxAttestations', async (event) => {
  const now = event?.time ? new Date(event.time) : new Date();
  const today = parisDate(now);
  if (today.slice(5, 7) !== '01' || !isFirstWorkingDayOfMonth(today)) return { skipped: true };
  const year = Number(today.slice(0, 4)) - 1;
  const territories: { etd: string; issued: number; corrected: number; unchanged: number }[] = [];
  for await (const etd of territoryCodes()) {
    const run = await issueAttestations(adapters(), etd, year, now);
    territories.push({ etd, issued: run.issued.length, corrected: run.corrected, unchanged: run.unchanged });
  }
  return { year, territories };
});
