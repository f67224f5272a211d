import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  computeTotals,
  divideHalfUp,
  lineTotalCents,
  quantityInThousandths,
  vatCents,
  vatCertificationNeeded,
  vatEligibilityErrors,
  vatRates,
  type PricedLine,
} from '../../functions/shared/pricing.ts';
import { isPastValidity, seriesPrefix, validUntil } from '../../functions/quotes/domain/quote.ts';
import { formatSeriesNumber as formatNumber } from '../../functions/shared/series.ts';

describe('rounding half-up to the cent', () => {
  it.each([
    [0n, 1000n, 0],
    [499n, 1000n, 0],
    [500n, 1000n, 1],
    [1499n, 1000n, 1],
    [1500n, 1000n, 2],
    [2n, 3n, 1],
    [1n, 3n, 0],
  ])('%i / %i = %i', (n, d, expected) => expect(divideHalfUp(n, d)).toBe(expected));

  it('refuses negative amounts', () => expect(() => divideHalfUp(-1n, 2n)).toThrow(RangeError));
});

describe('line totals', () => {
  it.each([
    // quantity, unit price (cents), total (cents)
    [135, 2085, 281_475], // ES.TC.Dép: 135 h × 20.85 € = 2 814.75 €
    [94.5, 4900, 463_050], // ES.Fo: 94.5 h × 49 € = 4 630.50 €
    [128, 2583, 330_624], // ES.DR: 128 h × 25.83 €
    [1.5, 333, 500], // 4.995 € → 5.00 €
    [0.333, 1000, 333], // 3.33 €
    [2.125, 1, 2], // 2.125 ct → 2 ct
    [0.005, 100, 1], // 0.5 ct → 1 ct (half-up)
    [0.004, 100, 0],
    [100_000, 10_000_000, 1_000_000_000_000],
  ])('%s × %s ct = %s ct', (quantity, unitPriceCents, expected) => expect(lineTotalCents({ quantity, unitPriceCents })).toBe(expected));

  it('refuses more than 3 decimals', () => expect(() => quantityInThousandths(1.0001)).toThrow(RangeError));
  it('reads decimal quantities exactly', () => expect(quantityInThousandths(0.1 + 0.2)).toBe(300));
});

describe('VAT per rate', () => {
  it.each([
    [281_475, '20', 56_295],
    [10_005, '10', 1_001], // 1 000.5 → 1 001
    [10_004, '10', 1_000],
    [1_000, '5.5', 55],
    [1_009, '5.5', 55], // 55.495 → 55
    [1_010, '5.5', 56], // 55.55 → 56
  ] as const)('%i ct at %s %% = %i ct', (base, rate, expected) => expect(vatCents(base, rate)).toBe(expected));

  it('computes VAT on the sum of each rate, not line by line', () => {
    // Three lines of 0.15 € at 10 %: per line 0.015 → 0.02 each (0.06), on the base 0.45 → 0.05.
    const lines: PricedLine[] = Array.from({ length: 3 }, () => ({ quantity: 1, unitPriceCents: 15, vatRate: '10' }));
    expect(computeTotals(lines).vat).toEqual([{ rate: '10', baseCents: 45, vatCents: 5 }]);
  });

  it('orders rates 20, 10, 5.5 and adds the deposit', () => {
    const totals = computeTotals(
      [
        { quantity: 1, unitPriceCents: 10_000, vatRate: '5.5' },
        { quantity: 2, unitPriceCents: 5_000, vatRate: '20' },
        { quantity: 3, unitPriceCents: 1_000, vatRate: '10' },
      ],
      30,
    );
    expect(totals).toEqual({
      netCents: 23_000,
      vat: [
        { rate: '20', baseCents: 10_000, vatCents: 2_000 },
        { rate: '10', baseCents: 3_000, vatCents: 300 },
        { rate: '5.5', baseCents: 10_000, vatCents: 550 },
      ],
      grossCents: 25_850,
      depositCents: 7_755,
    });
  });

  it.each([
    [0, 0],
    [100, 25_850],
    [33, 8_531], // 33 % of 258.50 € = 85.305 € → 85.31 €
  ])('deposit %i %% of 258.50 € TTC = %i ct', (percent, expected) => {
    // 215.42 € HT at 20 %: VAT 43.084 € → 43.08 €, TTC 258.50 €
    const totals = computeTotals([{ quantity: 1, unitPriceCents: 21_542, vatRate: '20' }], percent);
    expect(totals.grossCents).toBe(25_850);
    expect(totals.depositCents).toBe(expected);
  });
});

describe('reduced VAT eligibility (CGI 279-0 bis, 278-0 bis A)', () => {
  const line = (vatRate: '20' | '10' | '5.5', energyRenovation?: boolean) => ({ vatRate, energyRenovation });
  it.each([
    ['20 % always', false, [line('20')], []],
    ['10 % on housing over 2 years', true, [line('10')], []],
    ['10 % on new housing', false, [line('20'), line('10')], [1]],
    ['5.5 % on energy renovation', true, [line('5.5', true)], []],
    ['5.5 % on other works', true, [line('5.5', false), line('5.5')], [0, 1]],
    ['5.5 % energy on new housing', false, [line('5.5', true)], [0]],
  ] as const)('%s', (_, housingOver2Years, lines, refused) => {
    expect(vatEligibilityErrors({ housingOver2Years, lines }).map((e) => e.index)).toEqual(refused);
  });

  it.each([
    [['20'], 'none'],
    [['20', '10'], 'reduced'],
    [['10', '5.5'], 'reduced-energy'],
  ] as const)('certification for %j: %s', (rates, expected) =>
    expect(vatCertificationNeeded(rates.map((vatRate) => ({ vatRate })))).toBe(expected),
  );
});

describe('property: per-rate VAT and totals reconcile to the cent', () => {
  const lineArb = fc.record({
    quantity: fc.integer({ min: 1, max: 100_000_000 }).map((thousandths) => thousandths / 1000),
    unitPriceCents: fc.integer({ min: 0, max: 10_000_000 }),
    vatRate: fc.constantFrom(...vatRates),
  });

  it('holds for any quote of up to 500 lines', () => {
    fc.assert(
      fc.property(fc.array(lineArb, { minLength: 1, maxLength: 500 }), fc.integer({ min: 0, max: 100 }), (lines, deposit) => {
        const totals = computeTotals(lines, deposit);
        const lineTotals = lines.map(lineTotalCents);
        // the bases are exactly the line totals, rate by rate
        for (const v of totals.vat) {
          expect(v.baseCents).toBe(lines.reduce((sum, l, i) => (l.vatRate === v.rate ? sum + lineTotals[i]! : sum), 0));
          expect(v.vatCents).toBe(vatCents(v.baseCents, v.rate));
        }
        expect(totals.netCents).toBe(lineTotals.reduce((a, b) => a + b, 0));
        expect(totals.grossCents).toBe(totals.netCents + totals.vat.reduce((a, v) => a + v.vatCents, 0));
        expect(new Set(totals.vat.map((v) => v.rate)).size).toBe(totals.vat.length);
        expect(totals.depositCents).toBeLessThanOrEqual(totals.grossCents);
        for (const n of [
          totals.netCents,
          totals.grossCents,
          totals.depositCents,
          ...totals.vat.flatMap((v) => [v.baseCents, v.vatCents]),
        ]) {
          expect(Number.isSafeInteger(n)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('VAT of a base is within half a cent of the exact product', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e12 }), fc.constantFrom(...vatRates), (base, rate) => {
        const exact = (base * Number(rate)) / 100;
        expect(Math.abs(vatCents(base, rate) - exact)).toBeLessThanOrEqual(0.5 + 1e-6);
      }),
    );
  });
});

describe('numbering and validity', () => {
  it('names series per CAE, territory and year', () => {
    expect(formatNumber(seriesPrefix('MSG', '44', 2026), 123)).toBe('D-MSG44-2026-000123');
  });
  it.each([
    ['2026-11-25', 30, '2026-12-25'],
    ['2026-12-15', 30, '2027-01-14'],
    ['2028-02-28', 1, '2028-02-29'],
  ])('issued %s, valid %i days → until %s', (issue, days, until) => expect(validUntil(issue, days)).toBe(until));
  it('expires the day after validity', () => {
    expect(isPastValidity('2026-12-25', '2026-12-25')).toBe(false);
    expect(isPastValidity('2026-12-25', '2026-12-26')).toBe(true);
  });
});
