/** functions/payroll/domain/activity-account.ts: movements, balance, contribution and the affordable maximum, by tables of cases. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  affordableMaximumCents,
  appendContributionRate,
  balanceOf,
  contributionDebit,
  contributionRateFor,
  cooperativeContribution,
  expenseDebit,
  type Movement,
  monthStatement,
  payslipDebit,
  rebuildAccount,
  regularisation,
  roundHalfUp,
  turnoverCredit,
  type ContributionSchedule,
} from '../../functions/payroll/domain/activity-account.ts';
import { ValidationError } from '../../functions/shared/errors.ts';

const at = (period: string, day = '15') => ({ period, at: `${period}-${day}` });

const account: Movement[] = [
  turnoverCredit({ sourceId: 'pay_1', ...at('2026-09', '05'), amountHtCents: 281_475 }),
  contributionDebit({ sourceId: 'contrib_2026-09', ...at('2026-09', '30'), amountCents: 28_148 }),
  expenseDebit({ sourceId: 'exp_1', ...at('2026-09', '12'), amountCents: 4_500 }),
  payslipDebit({ sourceId: 'slip_2026-09', ...at('2026-09', '30'), amountCents: 180_000 }),
  turnoverCredit({ sourceId: 'pay_2', ...at('2026-10', '03'), amountHtCents: 300_000 }),
  turnoverCredit({ sourceId: 'refund_1', ...at('2026-10', '08'), amountHtCents: -20_000 }),
  regularisation({ sourceId: 'reg_1', ...at('2026-10', '20'), amountCents: -1_234, label: 'Correction de la paie de septembre' }),
];

describe('movements', () => {
  it.each([
    // constructor, amount given → signed amount stored
    ['turnover', () => turnoverCredit({ sourceId: 'i', ...at('2026-01'), amountHtCents: 100 }), 100],
    ['turnover (credit note)', () => turnoverCredit({ sourceId: 'c', ...at('2026-01'), amountHtCents: -100 }), -100],
    ['contribution', () => contributionDebit({ sourceId: 'k', ...at('2026-01'), amountCents: 100 }), -100],
    ['contribution of 0', () => contributionDebit({ sourceId: 'k', ...at('2026-01'), amountCents: 0 }), 0],
    ['expense', () => expenseDebit({ sourceId: 'e', ...at('2026-01'), amountCents: 100 }), -100],
    ['payslip', () => payslipDebit({ sourceId: 'p', ...at('2026-01'), amountCents: 100 }), -100],
    ['regularisation +', () => regularisation({ sourceId: 'r', ...at('2026-01'), amountCents: 7, label: 'x' }), 7],
    ['regularisation −', () => regularisation({ sourceId: 'r', ...at('2026-01'), amountCents: -7, label: 'x' }), -7],
  ])('%s → %i', (_name, make, signed) => {
    expect(make().amountCents).toBe(signed);
  });

  it.each([
    ['a fractional amount', () => turnoverCredit({ sourceId: 'i', ...at('2026-01'), amountHtCents: 10.5 }), 'amountHtCents'],
    ['a negative expense', () => expenseDebit({ sourceId: 'e', ...at('2026-01'), amountCents: -1 }), 'amountCents'],
    ['a zero payslip', () => payslipDebit({ sourceId: 'p', ...at('2026-01'), amountCents: 0 }), 'amountCents'],
    ['a negative contribution', () => contributionDebit({ sourceId: 'k', ...at('2026-01'), amountCents: -5 }), 'amountCents'],
    ['a zero regularisation', () => regularisation({ sourceId: 'r', ...at('2026-01'), amountCents: 0, label: 'x' }), 'amountCents'],
    ['a regularisation without reason', () => regularisation({ sourceId: 'r', ...at('2026-01'), amountCents: 3, label: ' ' }), 'label'],
    ['a bad period', () => expenseDebit({ sourceId: 'e', period: '2026-13', at: '2026-01-01', amountCents: 1 }), 'period'],
    ['a bad day', () => expenseDebit({ sourceId: 'e', period: '2026-02', at: '2026-02-30', amountCents: 1 }), 'at'],
    ['no source', () => expenseDebit({ sourceId: '', ...at('2026-01'), amountCents: 1 }), 'sourceId'],
  ])('refuses %s, naming %s', (_name, make, field) => {
    try {
      make();
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).errors[0]?.path).toBe(field);
    }
  });
});

describe('the balance is derived from the movements', () => {
  it('rebuilds the balance and the sum per kind', () => {
    const state = rebuildAccount(account);
    expect(state).toEqual({
      balanceCents: 281_475 - 28_148 - 4_500 - 180_000 + 300_000 - 20_000 - 1_234,
      byKind: { turnover: 561_475, contribution: -28_148, expense: -4_500, payslip: -180_000, regularisation: -1_234 },
      count: 7,
    });
    expect(balanceOf(account)).toBe(347_593);
  });

  it('refuses a source counted twice (same kind and source id)', () => {
    const twice = [...account, turnoverCredit({ sourceId: 'pay_1', ...at('2026-11'), amountHtCents: 1 })];
    expect(() => rebuildAccount(twice)).toThrow(/turnover#pay_1 is counted twice/);
    // the same id under another kind is another movement
    expect(() => rebuildAccount([...account, expenseDebit({ sourceId: 'pay_1', ...at('2026-11'), amountCents: 1 })])).not.toThrow();
  });

  it('any order of the same movements gives the same balance, and opening + month = closing', () => {
    const arbitraryMovement = fc.record({
      kind: fc.constantFrom('turnover', 'expense', 'payslip', 'contribution'),
      month: fc.integer({ min: 1, max: 12 }),
      amount: fc.integer({ min: 1, max: 10_000_000 }),
    });
    fc.assert(
      fc.property(fc.array(arbitraryMovement, { maxLength: 40 }), fc.integer({ min: 1, max: 12 }), (raw, month) => {
        const movements = raw.map((r, i) => {
          const input = {
            sourceId: `s${i}`,
            period: `2026-${String(r.month).padStart(2, '0')}`,
            at: `2026-${String(r.month).padStart(2, '0')}-01`,
          };
          if (r.kind === 'turnover') return turnoverCredit({ ...input, amountHtCents: r.amount });
          if (r.kind === 'expense') return expenseDebit({ ...input, amountCents: r.amount });
          if (r.kind === 'payslip') return payslipDebit({ ...input, amountCents: r.amount });
          return contributionDebit({ ...input, amountCents: r.amount });
        });
        const total = movements.reduce((sum, m) => sum + m.amountCents, 0);
        expect(balanceOf([...movements].reverse())).toBe(total);
        const period = `2026-${String(month).padStart(2, '0')}`;
        const s = monthStatement(movements, period);
        expect(s.closingBalanceCents).toBe(
          s.openingBalanceCents + s.turnoverCents - s.contributionCents - s.expensesCents - s.salaryCostCents + s.regularisationCents,
        );
        expect(balanceOf(movements.filter((m) => m.period <= period))).toBe(s.closingBalanceCents);
      }),
    );
  });
});

describe('monthStatement', () => {
  it.each([
    // period, opening, turnover, contribution, expenses, salary, regularisation, closing
    ['2026-08', 0, 0, 0, 0, 0, 0, 0],
    ['2026-09', 0, 281_475, 28_148, 4_500, 180_000, 0, 68_827],
    ['2026-10', 68_827, 280_000, 0, 0, 0, -1_234, 347_593],
    ['2026-11', 347_593, 0, 0, 0, 0, 0, 347_593],
  ])('%s', (period, opening, turnover, contribution, expenses, salary, reg, closing) => {
    const s = monthStatement(account, period);
    expect([
      s.openingBalanceCents,
      s.turnoverCents,
      s.contributionCents,
      s.expensesCents,
      s.salaryCostCents,
      s.regularisationCents,
      s.closingBalanceCents,
    ]).toEqual([opening, turnover, contribution, expenses, salary, reg, closing]);
  });

  it('lists the month movements by date', () => {
    expect(monthStatement(account, '2026-09').movements.map((m) => m.sourceId)).toEqual([
      'pay_1',
      'exp_1',
      'contrib_2026-09',
      'slip_2026-09',
    ]);
  });
});

describe('roundHalfUp', () => {
  it.each([
    [0, 10_000, 0],
    [4_999, 10_000, 0],
    [5_000, 10_000, 1], // an exact half goes up
    [5_001, 10_000, 1],
    [14_999, 10_000, 1],
    [15_000, 10_000, 2],
    [-4_999, 10_000, 0],
    [-5_000, 10_000, -1], // and away from zero below zero
    [-15_000, 10_000, -2],
    [281_475 * 1_000, 10_000, 28_148], // 10 % of 2 814.75 € = 281.475 € → 281.48 €
  ])('%i / %i → %i', (n, d, expected) => {
    expect(roundHalfUp(n, d)).toBe(expected);
  });
  it('refuses non-integers', () => {
    expect(() => roundHalfUp(1.5, 2)).toThrow(RangeError);
    expect(() => roundHalfUp(1, 0)).toThrow(RangeError);
  });
});

describe('cooperative contribution (effective-dated per CAE)', () => {
  const schedule: ContributionSchedule = [
    { from: '2025-01-01', basisPoints: 1_000, fixedMonthlyCents: 0 }, // 10 %
    { from: '2026-03-15', basisPoints: 1_200, fixedMonthlyCents: 0 }, // 12 %, mid-month: from April
    { from: '2026-07-01', basisPoints: 1_350, fixedMonthlyCents: 3_000 }, // 13.5 % + 30 €/month
  ];
  it.each([
    // period, base, proportional, fixed, total
    ['2025-01', 281_475, 28_148, 0, 28_148], // 281.475 → half-up
    ['2026-03', 281_475, 28_148, 0, 28_148], // the March 15 version is not in force on March 1
    ['2026-04', 281_475, 33_777, 0, 33_777], // 12 % of 2 814.75 = 337.77
    ['2026-07', 463_050, 62_512, 3_000, 65_512], // 13.5 % of 4 630.50 = 625.1175
    ['2026-07', 0, 0, 3_000, 3_000], // a month without turnover still owes the fixed part
    ['2026-07', -50_000, -6_750, 3_000, 0], // never below zero
    ['2026-02', 1, 0, 0, 0],
    ['2026-02', 5, 1, 0, 1], // 0.5 cent → 1 cent
  ])('%s on %i → %i + %i = %i', (period, base, proportional, fixed, total) => {
    const c = cooperativeContribution(schedule, period, base);
    expect([c.proportionalCents, c.fixedCents, c.totalCents]).toEqual([proportional, fixed, total]);
  });

  it('has no rate before the first version', () => {
    expect(() => contributionRateFor(schedule, '2024-12')).toThrow(ValidationError);
  });

  it('appends versions and never edits or reorders them', () => {
    const next = appendContributionRate(schedule, { from: '2027-01-01', basisPoints: 1_100, fixedMonthlyCents: 0 });
    expect(next).toHaveLength(4);
    expect(next.slice(0, 3)).toEqual(schedule);
    expect(() => appendContributionRate(schedule, { from: '2026-07-01', basisPoints: 900, fixedMonthlyCents: 0 })).toThrow(/increasing/);
    expect(() => appendContributionRate(schedule, { from: '2026-01-01', basisPoints: 900, fixedMonthlyCents: 0 })).toThrow(/increasing/);
    expect(() => appendContributionRate(schedule, { from: '2027-01-01', basisPoints: 10_001, fixedMonthlyCents: 0 })).toThrow(
      /basisPoints/,
    );
    expect(() => appendContributionRate(schedule, { from: '2027-01-01', basisPoints: 10.5, fixedMonthlyCents: 0 })).toThrow(/basisPoints/);
    expect(() => appendContributionRate(schedule, { from: '2027-01-01', basisPoints: 100, fixedMonthlyCents: -1 })).toThrow(
      /fixedMonthlyCents/,
    );
  });
});

describe('affordableMaximumCents', () => {
  it.each([
    [250_000, undefined, 250_000],
    [250_000, 0, 250_000],
    [250_000, 50_000, 300_000],
    [-10_000, 50_000, 40_000],
    [-10_000, 0, 0], // never below zero
    [0, 0, 0],
  ])('balance %i, overdraft %s → %i', (balance, overdraft, expected) => {
    expect(affordableMaximumCents(balance, overdraft)).toBe(expected);
  });
  it('refuses a negative overdraft or fractional cents', () => {
    expect(() => affordableMaximumCents(100, -1)).toThrow(ValidationError);
    expect(() => affordableMaximumCents(100.5)).toThrow(ValidationError);
  });
});
