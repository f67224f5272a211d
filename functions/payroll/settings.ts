/** Which version of a CAE's payroll settings applies to a month, and its contribution schedule. Pure. */
import type { ContributionSchedule } from './domain/activity-account.ts';
import type { CaeSettings } from './store.ts';

/** The settings version in force on the first day of a month (a version starting mid-month applies from the next). */
export function settingsFor(history: readonly CaeSettings[], period: string): CaeSettings {
  const first = `${period}-01`;
  return history.filter((s) => s.from <= first).at(-1) ?? history[0]!;
}

export const contributionSchedule = (history: readonly CaeSettings[]): ContributionSchedule =>
  history.map((s) => ({ from: s.from, basisPoints: s.contributionBasisPoints, fixedMonthlyCents: s.contributionFixedCents }));
