/** Entrepreneur lifecycle and impact rules. Pure: no I/O, the clock is passed in. */
export const entrepreneurStates = ['applied', 'validated', 'active', 'suspended', 'left'] as const;
export type EntrepreneurState = (typeof entrepreneurStates)[number];

/** applied → validated → active ↔ suspended → left, as the contract draws it; `left` is final. */
const transitions: Record<EntrepreneurState, readonly EntrepreneurState[]> = {
  applied: ['validated'],
  validated: ['active'],
  active: ['suspended'],
  suspended: ['active', 'left'],
  left: [],
};

export const allowedTransitions = (from: EntrepreneurState): readonly EntrepreneurState[] => transitions[from];

export const canTransition = (from: EntrepreneurState, to: EntrepreneurState): boolean => transitions[from].includes(to);

/** Listed on the public site: active, and the entrepreneur chose to be visible. */
export const isPubliclyListed = (state: EntrepreneurState, visible: boolean | undefined): boolean => state === 'active' && visible === true;

/**
 * The network's headline impact figure counts people aged 45 or more kept in activity. Only
 * the birth year is stored, so age is the age reached during the current (Paris) year.
 */
export const AGE_THRESHOLD = 45;
export const reachesAgeThisYear = (birthYear: number, currentYear: number, age = AGE_THRESHOLD): boolean => currentYear - birthYear >= age;
