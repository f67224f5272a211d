import { describe, expect, it } from 'vitest';
import {
  allowedTransitions,
  canTransition,
  entrepreneurStates,
  isPubliclyListed,
  reachesAgeThisYear,
  type EntrepreneurState,
} from '../../functions/onboarding/domain/entrepreneur.ts';
import { impactOf } from '../../functions/metrics/domain/impact.ts';

describe('entrepreneur lifecycle', () => {
  const allowed: [EntrepreneurState, EntrepreneurState][] = [
    ['applied', 'validated'],
    ['validated', 'active'],
    ['active', 'suspended'],
    ['suspended', 'active'],
    ['suspended', 'left'],
  ];
  const all = entrepreneurStates.flatMap((from) => entrepreneurStates.map((to) => [from, to] as [EntrepreneurState, EntrepreneurState]));

  it.each(all)('%s → %s', (from, to) => {
    const expected = allowed.some(([f, t]) => f === from && t === to);
    expect(canTransition(from, to)).toBe(expected);
    expect(allowedTransitions(from).includes(to)).toBe(expected);
  });

  it('makes left final', () => expect(allowedTransitions('left')).toEqual([]));

  it.each([
    ['active', true, true],
    ['active', false, false],
    ['active', undefined, false],
    ['suspended', true, false],
    ['applied', true, false],
  ] as const)('listed when %s and visible=%s: %s', (state, visible, expected) => expect(isPubliclyListed(state, visible)).toBe(expected));
});

describe('impact: people aged 45+ kept in activity', () => {
  it.each([
    [1981, 2026, true],
    [1982, 2026, false],
    [1960, 2026, true],
    [2000, 2026, false],
  ])('born %i, in %i: 45+ = %s', (birthYear, year, expected) => expect(reachesAgeThisYear(birthYear, year)).toBe(expected));

  it.each([
    [[], { active: 0, aged45Plus: 0 }],
    [[1967, 1974, 1979], { active: 3, aged45Plus: 3 }],
    [[1967, 1990, 1981, 1982], { active: 4, aged45Plus: 2 }],
  ])('impact of %j in 2026', (years, expected) => expect(impactOf(years, 2026)).toEqual(expected));
});
