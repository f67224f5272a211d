/**
 * The HT of money received and given back on an invoice (functions/invoices/domain/revenue.ts):
 * pro rata of the invoice's HT / TTC, half away from zero, counted cumulatively so the shares of
 * an invoice's payments and refunds add up to the share of what is paid in the end.
 */
import { describe, expect, it } from 'vitest';
import { eventTotals, htOfMove, htShareCents } from '../../functions/invoices/domain/revenue.ts';

const homeServices = { netCents: 38_518, grossCents: 46_222 }; // 20 % VAT
const renovation = { netCents: 100_000, grossCents: 105_500 }; // 5.5 % VAT
const noVat = { netCents: 12_345, grossCents: 12_345 };

describe('htShareCents: paid × HT / TTC, rounded half away from zero', () => {
  it.each([
    // paid, invoice, share, why
    [0, homeServices, 0, 'nothing paid'],
    [46_222, homeServices, 38_518, 'paid in full: the HT exactly'],
    [20_000, homeServices, 16_667, '16 666.67 rounds up'],
    [26_222, homeServices, 21_851, '21 851.33 rounds down'],
    [1, homeServices, 1, '0.83 rounds up'],
    [3, { netCents: 1, grossCents: 2 }, 2, '1.5: a half goes up'],
    [1, { netCents: 1, grossCents: 2 }, 1, '0.5: a half goes up'],
    [-3, { netCents: 1, grossCents: 2 }, -2, '−1.5: a half goes away from zero'],
    [52_750, renovation, 50_000, 'half of a 5.5 % invoice'],
    [999, noVat, 999, 'no VAT: HT = TTC'],
    [50_000, homeServices, 41_666, 'overpaid beyond the gross: still pro rata (41 666.31)'],
    [500, { netCents: 0, grossCents: 0 }, 0, 'an invoice of 0 has no share'],
  ])('%i cents paid of %o → %i (%s)', (paid, invoice, share) => {
    expect(htShareCents(paid, invoice)).toBe(share);
  });

  it('is exact where floating point is not (large amounts)', () => {
    // 9 007 199 254 740 991 × 5 / 6 would lose cents as a double.
    expect(htShareCents(Number.MAX_SAFE_INTEGER, { netCents: 5, grossCents: 6 })).toBe(7_505_999_378_950_826);
  });

  it('refuses amounts that are not whole cents, and negative totals', () => {
    expect(() => htShareCents(10.5, homeServices)).toThrow(RangeError);
    expect(() => htShareCents(10, { netCents: 1.5, grossCents: 3 })).toThrow(RangeError);
    expect(() => htShareCents(10, { netCents: -1, grossCents: 3 })).toThrow(RangeError);
    expect(() => htShareCents(10, { netCents: 1, grossCents: -3 })).toThrow(RangeError);
  });
});

describe('htOfMove: the difference of the shares before and after', () => {
  it.each([
    // before, after, HT of the move
    [0, 20_000, 16_667],
    [20_000, 46_222, 21_851],
    [46_222, 43_240, -2_485], // a refund of 29.82 € TTC: its HT is negative
    [43_240, 43_240, 0],
  ])('paid %i → %i: %i', (before, after, ht) => {
    expect(htOfMove(before, after, homeServices)).toBe(ht);
  });

  it('payments in any number and order add up to the HT of what is paid in the end, to the cent', () => {
    for (const invoice of [homeServices, renovation, noVat, { netCents: 7, grossCents: 9 }]) {
      // 1 cent at a time: rounding each on its own would give 0 or 1 cent each, summing to TTC or 0.
      let paid = 0;
      let sum = 0;
      for (let i = 0; i < 200; i++) {
        const step = 1 + ((i * 7919) % 37);
        sum += htOfMove(paid, paid + step, invoice);
        paid += step;
      }
      // then refunds and payments mixed, ending at the gross
      for (const move of [-150, 40, -3, invoice.grossCents]) {
        const after = move === invoice.grossCents ? invoice.grossCents : paid + move;
        sum += htOfMove(paid, after, invoice);
        paid = after;
      }
      expect(sum).toBe(invoice.netCents);
      expect(sum + htOfMove(paid, 0, invoice)).toBe(0); // all given back: nothing
    }
  });
});

describe('eventTotals', () => {
  it('carries HT, the VAT of every rate added up, and TTC', () => {
    expect(
      eventTotals({
        netCents: 60_000,
        vat: [
          { rate: '20', baseCents: 10_000, vatCents: 2_000 },
          { rate: '5.5', baseCents: 50_000, vatCents: 2_750 },
        ],
        grossCents: 64_750,
        depositCents: 0,
      } as never),
    ).toEqual({ netCents: 60_000, vatCents: 4_750, grossCents: 64_750 });
  });
});
