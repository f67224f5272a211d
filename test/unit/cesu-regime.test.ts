import { describe, expect, it } from 'vitest';
import { cesuRegimeOf } from '../../functions/cesu/domain/regime.ts';

describe('the CESU regime of a territory', () => {
  it.each([
    ['44', 'metropolitan'],
    ['2A', 'metropolitan'],
    ['75', 'metropolitan'],
    ['971', 'overseas'],
    ['972', 'overseas'],
    ['973', 'overseas'],
    ['974', 'overseas'],
    ['976', 'unsupported'],
  ] as const)('%s → %s', (etd, regime) => {
    expect(cesuRegimeOf(etd)).toBe(regime);
  });
});
