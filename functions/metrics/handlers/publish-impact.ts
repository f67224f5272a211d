/**
 * Daily job: for every territory, how many entrepreneurs are active and how many of them are
 * aged 45 or more: the headline impact figure of the network, published per ETD (EMF metrics
 * with the `Etd` dimension) for the operators' dashboard; and the referred works of each territory
 * (opened, accepted, completed, works amount HT, technicians 45+ kept at work on them).
 */
import { parisDate, parisYear } from '../../shared/clock.ts';
import { jobHandler } from '../../shared/job.ts';
import { businessMetric } from '../../shared/observability.ts';
import { activeBirthYearsByEtd } from '../../onboarding/index.ts';
import { impactOf, type Impact } from '../domain/impact.ts';
import { referralFiguresByEtd, type ReferralFigures } from '../../referrals/index.ts';

export const handler = jobHandler('PublishImpactMetrics', async (event) => {
  const now = event?.time ? new Date(event.time) : new Date();
  const year = parisYear(now);
  const results: ({ etd: string } & Impact)[] = [];
  for await (const { etd: code, birthYears } of activeBirthYearsByEtd()) {
    const impact = impactOf(birthYears, year);
    businessMetric('ActiveEntrepreneurs', code, impact.active);
    businessMetric('ActiveEntrepreneursAged45Plus', code, impact.aged45Plus);
    results.push({ etd: code, ...impact });
  }
  // Referred works (PIC), from the referrals door: technicians 45+ kept at work on them is the seniors' figure.
  const referrals: ({ etd: string } & ReferralFigures)[] = [];
  for await (const { etd: code, figures } of referralFiguresByEtd()) {
    businessMetric('ReferralsOpened', code, figures.opened);
    businessMetric('ReferralsAccepted', code, figures.accepted);
    businessMetric('ReferralsCompleted', code, figures.completed);
    businessMetric('ReferredWorksAmountCents', code, figures.worksAmountCents);
    businessMetric('ReferralTechniciansAged45Plus', code, figures.techniciansAged45Plus);
    referrals.push({ etd: code, ...figures });
  }
  return { date: parisDate(now), etds: results, referrals };
});
