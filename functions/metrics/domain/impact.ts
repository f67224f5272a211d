/** The network's impact figures, from the entrepreneurs active in a territory. Pure. */
import { reachesAgeThisYear } from '../../onboarding/index.ts';

export interface Impact {
  active: number;
  aged45Plus: number;
}

export function impactOf(birthYears: readonly number[], currentYear: number): Impact {
  return {
    active: birthYears.length,
    aged45Plus: birthYears.filter((year) => reachesAgeThisYear(year, currentYear)).length,
  };
}
