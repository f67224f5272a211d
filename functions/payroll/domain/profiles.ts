/**
 * The business plan's break-even profiles of salaried entrepreneurs (source: the Oui Ensemble
 * business plan, as quoted in the design notes DOMAIN.md « Figures from the business plan »,
 * 2017 social rates): hours a month and the hourly rate billed HT. The dashboard measures each
 * month against the profile's turnover (hours × rate).
 */
export interface Profile {
  readonly code: 'ES.TC.Dép' | 'ES.Fo' | 'ES.DR';
  readonly label: string;
  /** Hours a month, in hundredths of an hour (94.5 h → 9450). */
  readonly hundredthsOfHoursPerMonth: number;
  readonly hourlyRateCents: number;
  /** The turnover HT of a month at the profile: hours × rate, rounded to the cent. */
  readonly monthlyTurnoverCents: number;
  /** The entrepreneur competences (functions/onboarding schemas) that lead to this profile. */
  readonly competences: readonly string[];
}

const profile = (p: Omit<Profile, 'monthlyTurnoverCents'>): Profile => ({
  ...p,
  monthlyTurnoverCents: Math.round((p.hundredthsOfHoursPerMonth * p.hourlyRateCents) / 100),
});

export const profiles: readonly Profile[] = [
  profile({
    code: 'ES.TC.Dép',
    label: 'Tuteur-coordinateur (dépendance)',
    hundredthsOfHoursPerMonth: 13_500,
    hourlyRateCents: 2085,
    competences: ['tutor', 'coordinator'],
  }),
  profile({ code: 'ES.Fo', label: 'Formateur', hundredthsOfHoursPerMonth: 9450, hourlyRateCents: 4900, competences: ['trainer'] }),
  profile({
    code: 'ES.DR',
    label: 'Développeur-recruteur',
    hundredthsOfHoursPerMonth: 12_800,
    hourlyRateCents: 2583,
    competences: ['developer', 'recruiter'],
  }),
];

/** The profile of an entrepreneur: the first whose competences it has (in the order above). */
export function profileFor(entrepreneurCompetences: readonly string[]): Profile | undefined {
  return profiles.find((p) => p.competences.some((c) => entrepreneurCompetences.includes(c)));
}
