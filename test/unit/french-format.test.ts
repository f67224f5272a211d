/**
 * functions/shared/french.ts writes amounts, quantities and calendar dates itself (ICU's number
 * formatting costs ≈ 11–17 ms to initialise in a fresh process): character for character what
 * Intl's fr-FR formats write, checked here against Intl on tables of cases and generated values.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDate, formatEuros, formatMonth, formatQuantity } from '../../functions/shared/french.ts';

const intlEuros = new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' });
const intlQuantity = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 3 });
const intlDate = new Intl.DateTimeFormat('fr-FR', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
const intlMonth = new Intl.DateTimeFormat('fr-FR', { month: 'long', year: 'numeric', timeZone: 'UTC' });
const viaIntlDate = (iso: string) => intlDate.format(new Date(`${iso}T00:00:00Z`)).replace(/^1 /, '1er ');
const isoOf = (date: Date) => date.toISOString().slice(0, 10);

describe('formatEuros (integer cents)', () => {
  it.each([
    [0, '0,00\u00a0€'],
    [5, '0,05\u00a0€'],
    [99_999, '999,99\u00a0€'],
    [123_456, '1\u202f234,56\u00a0€'],
    [-123_456_789, '-1\u202f234\u202f567,89\u00a0€'],
    [100_000_000_000, '1\u202f000\u202f000\u202f000,00\u00a0€'],
  ])('%d → %s', (cents, text) => {
    expect(formatEuros(cents)).toBe(text);
    expect(formatEuros(cents)).toBe(intlEuros.format(cents / 100));
  });

  it('writes what Intl writes, for any amount under 1 000 milliards € (15 digits) and the odd values', () => {
    // Up to 15 significant digits `cents / 100` writes back as the exact decimal, so the Intl path
    // was exact there; beyond (no amount the schemas let through), it was not, and this one is.
    const max = 99_999_999_999_999;
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: -1_000_000_000, max: 1_000_000_000 }), fc.integer({ min: -max, max })), (cents) => {
        expect(formatEuros(cents)).toBe(intlEuros.format(cents / 100));
      }),
      { numRuns: 3000 },
    );
    expect(formatEuros(8_373_871_690_112_718)).toBe('83\u202f738\u202f716\u202f901\u202f127,18\u00a0€'); // Intl: …127,19
    for (const odd of [-0, 0.5, 12.345, Number.MAX_SAFE_INTEGER + 2, Number.NaN, Number.POSITIVE_INFINITY])
      expect(formatEuros(odd)).toBe(intlEuros.format(odd / 100));
  });
});

describe('formatQuantity (at most three decimals)', () => {
  it.each([
    [1.5, '1,5'],
    [1234, '1\u202f234'],
    [999, '999'],
    [0.001, '0,001'],
    [12345.6789, '12\u202f345,679'],
    [1.0005, '1,001'], // ICU rounds the shortest decimal writing, not the binary value (toFixed gives 1.000)
    [0.0625, '0,063'],
    [-0.0625, '-0,063'],
    [0.9996, '1'],
    [-0, '-0'],
    [1e21, '1\u202f000\u202f000\u202f000\u202f000\u202f000\u202f000\u202f000'],
    [1e-7, '0'],
  ])('%d → %s', (quantity, text) => {
    expect(formatQuantity(quantity)).toBe(text);
    expect(formatQuantity(quantity)).toBe(intlQuantity.format(quantity));
  });

  it('writes what Intl writes, for quantities of the quotes and any double', () => {
    const thousandths = fc.integer({ min: 1, max: 100_000_000 }).map((n) => n / 1000);
    const anyDouble = fc.double({ noNaN: false });
    const fourDecimals = fc.integer({ min: -10_000_000, max: 10_000_000 }).map((n) => n / 10_000);
    fc.assert(
      fc.property(fc.oneof(thousandths, anyDouble, fourDecimals), (quantity) => {
        expect(formatQuantity(quantity)).toBe(intlQuantity.format(quantity));
      }),
      { numRuns: 5000 },
    );
  });
});

describe('formatDate and formatMonth (calendar dates)', () => {
  it.each([
    ['2026-11-25', '25 novembre 2026'],
    ['2026-12-01', '1er décembre 2026'],
    ['2027-02-01', '1er février 2027'],
    ['2026-08-15', '15 août 2026'],
    ['2026-02-30', '2 mars 2026'], // as Date rolls it over, like the Intl path did
    ['0999-01-01', '1er janvier 999'],
  ])('%s → %s', (iso, text) => {
    expect(formatDate(iso)).toBe(text);
    expect(formatDate(iso)).toBe(viaIntlDate(iso));
  });

  it('fails as Intl fails on what is not a date', () => {
    for (const bad of ['2026-13-01', '20260101', 'demain']) {
      expect(() => formatDate(bad)).toThrow(RangeError);
      expect(() => formatMonth(bad.slice(0, 7))).toThrow(RangeError);
    }
  });

  it('writes what Intl writes, for every day from year 1 to 9999 and beyond', () => {
    const day = fc.date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T00:00:00Z'), noInvalidDate: true });
    fc.assert(
      fc.property(day, (date) => {
        const iso = isoOf(date);
        expect(formatDate(iso)).toBe(viaIntlDate(iso));
        expect(formatMonth(iso.slice(0, 7))).toBe(intlMonth.format(new Date(`${iso.slice(0, 7)}-01T00:00:00Z`)));
      }),
      { numRuns: 3000 },
    );
    for (const iso of ['+012026-01-01', '+275760-09-13']) expect(formatDate(iso)).toBe(viaIntlDate(iso));
    expect(formatMonth('2026-10')).toBe('octobre 2026');
  });
});
