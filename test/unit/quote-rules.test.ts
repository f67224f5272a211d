/** The quotes context's visibility rule and the parties a quote may name: tables of cases. */
import { describe, expect, it } from 'vitest';
import type { Principal } from '../../functions/shared/auth.ts';
import { addDays } from '../../functions/shared/clock.ts';
import { canSee } from '../../functions/quotes/domain/access.ts';
import { isAuthorsClient, worksIn } from '../../functions/quotes/domain/parties.ts';
import { effectiveState, pricedLines, quoteTotals, revisable } from '../../functions/quotes/domain/quote.ts';

const quote = { etd: '44', entrepreneurId: 'ent_a' };

describe('who sees a quote', () => {
  it.each<[string, Principal, boolean]>([
    ['an operator, any territory', { sub: 'o', role: 'operator' }, true],
    ['a manager of its territory', { sub: 'm', role: 'manager', etd: '44' }, true],
    ['a manager of another territory', { sub: 'm', role: 'manager', etd: '35' }, false],
    ['its author', { sub: 'e', role: 'entrepreneur', etd: '44', entityId: 'ent_a' }, true],
    ['another entrepreneur of its territory', { sub: 'e', role: 'entrepreneur', etd: '44', entityId: 'ent_b' }, false],
    ['its author logged in another territory', { sub: 'e', role: 'entrepreneur', etd: '35', entityId: 'ent_a' }, false],
    ['an entrepreneur login linked to no record', { sub: 'e', role: 'entrepreneur', etd: '44' }, false],
    ['a partner company', { sub: 'p', role: 'partner', entityId: 'par_a' }, false],
  ])('%s: %s', (_label, principal, expected) => expect(canSee(principal, quote)).toBe(expected));
});

describe('the client a quote is written for', () => {
  it.each([
    ['the author’s client in its territory', { etd: '44', entrepreneurId: 'ent_a' }, true],
    ['another entrepreneur’s client', { etd: '44', entrepreneurId: 'ent_b' }, false],
    ['the author’s id in another territory', { etd: '35', entrepreneurId: 'ent_a' }, false],
  ])('%s: %s', (_label, client, expected) => expect(isAuthorsClient(client, quote)).toBe(expected));
});

describe('the partner company that performs the works', () => {
  it.each([
    [['44'], '44', true],
    [['35', '44', '85'], '44', true],
    [['35', '85'], '44', false],
    [[], '44', false],
  ])('working in %j, quote of %s: %s', (departments, etd, expected) => expect(worksIn({ departments }, etd)).toBe(expected));
});

describe('calendar days', () => {
  it.each([
    ['2026-01-31', 1, '2026-02-01'],
    ['2026-02-28', 1, '2026-03-01'],
    ['2028-02-28', 1, '2028-02-29'],
    ['2026-03-28', 3, '2026-03-31'], // across the change to summer time: whole days, no hour lost
    ['2026-12-31', 30, '2027-01-30'],
    ['2026-05-10', 0, '2026-05-10'],
  ])('%s + %i days = %s', (date, days, expected) => expect(addDays(date, days)).toBe(expected));
});

describe('quote lifecycle and pricing rules', () => {
  it.each([
    ['draft', false],
    ['sent', true],
    ['declined', true],
    ['expired', true],
    ['accepted', false],
    ['superseded', false],
  ] as const)('a %s quote is revisable: %s', (state, expected) => expect(revisable.includes(state)).toBe(expected));

  it('prices each line and totals them with the deposit', () => {
    const lines = [
      { description: 'Pose', kind: 'labour', quantity: 2, unit: 'h', unitPriceCents: 4500, vatRate: '10' },
      { description: 'Laine de verre', kind: 'supply', quantity: 1.5, unit: 'm2', unitPriceCents: 333, vatRate: '20' },
    ] as const;
    expect(pricedLines(lines).map((l) => l.totalCents)).toEqual([9000, 500]);
    const totals = quoteTotals(lines, 30);
    expect(totals.netCents).toBe(9500);
    expect(totals.grossCents).toBe(9000 + 900 + 500 + 100);
    expect(totals.depositCents).toBe(Math.round(totals.grossCents * 0.3));
  });
});

describe('the state the client sees', () => {
  const at = (iso: string) => new Date(iso);
  it.each<[string, { state: 'draft' | 'sent' | 'accepted' | 'expired'; validUntil?: string }, string, string]>([
    ['a sent quote on its last valid day (Paris)', { state: 'sent', validUntil: '2026-06-30' }, '2026-06-30T21:59:00Z', 'sent'],
    ['a sent quote the day after (Paris midnight passed)', { state: 'sent', validUntil: '2026-06-30' }, '2026-06-30T22:00:00Z', 'expired'],
    ['an accepted quote past its validity', { state: 'accepted', validUntil: '2026-06-30' }, '2026-08-01T10:00:00Z', 'accepted'],
    ['a draft (no validity yet)', { state: 'draft' }, '2030-01-01T00:00:00Z', 'draft'],
    ['an expired quote', { state: 'expired', validUntil: '2026-06-30' }, '2026-07-02T00:00:00Z', 'expired'],
  ])('%s', (_label, quote, now, expected) => expect(effectiveState(quote, at(now))).toBe(expected));
});
