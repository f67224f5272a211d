/**
 * The activity account (compte d'activité) of an entrepreneur: its movements and balance, the credit
 * of turnover from sales (idempotent by source: a sale is never counted twice), and the dashboard of
 * the months (hours, turnover, contribution, expenses, salary, balance, gap to the business-plan profile).
 */
import { loadEntrepreneur } from '../onboarding/index.ts';
import type { Principal } from '../shared/auth.ts';
import { parisDate } from '../shared/clock.ts';
import { ValidationError } from '../shared/errors.ts';
import { transact } from '../shared/transactions.ts';
import { monthStatement, turnoverCredit } from './domain/activity-account.ts';
import { isPeriod, periodsBetween } from './domain/period.ts';
import { profileFor } from './domain/profiles.ts';
import { visibleEntrepreneur } from './expenses.ts';
import { accountWrites, balanceOf, findSalaryDraft, movementsOf, type PayslipRecord, payslipsOf } from './store.ts';

export interface TurnoverRecord {
  /** The sale it comes from (an invoice, credit note, payment or refund id): counted once. */
  readonly sourceId: string;
  readonly entrepreneurId: string;
  readonly period: string;
  /** HT, signed: a credit note or a refund is negative. */
  readonly netCents: number;
  readonly label?: string;
}

/**
 * Credits (or, negative, debits) the account with turnover from a sale. Idempotent: a source already
 * counted changes nothing and answers `recorded: false`. For the sales consumers (functions/consumers.ts).
 */
export async function recordTurnover(input: TurnoverRecord, now: Date): Promise<{ recorded: boolean }> {
  if (!isPeriod(input.period)) throw new ValidationError([{ path: 'period', message: 'must be a month YYYY-MM' }]);
  const entrepreneur = await loadEntrepreneur(input.entrepreneurId);
  const movement = turnoverCredit({
    sourceId: input.sourceId,
    period: input.period,
    at: parisDate(now),
    amountHtCents: input.netCents,
    ...(input.label ? { label: input.label } : {}),
  });
  const { writes } = accountWrites({ entrepreneurId: entrepreneur.id, etd: entrepreneur.etd }, [movement]);
  const counted = new Error('already counted');
  let already = false;
  await transact(writes, () => counted).catch((error: unknown) => {
    if (error !== counted) throw error;
    already = true;
  });
  return { recorded: !already };
}

/** The movements of an entrepreneur (of one month, or all) and the balance, rebuilt from them and checked against the running one. */
export async function accountStatement(principal: Principal, entrepreneurId: string, period: string | undefined) {
  const entrepreneur = await visibleEntrepreneur(principal, entrepreneurId);
  const [movements, balance] = await Promise.all([
    movementsOf(entrepreneur.id, period ? { from: period, to: period } : {}),
    balanceOf(entrepreneur.id),
  ]);
  return {
    entrepreneurId: entrepreneur.id,
    ...(period ? { period } : {}),
    balanceCents: balance.balanceCents,
    movements: movements.map(({ kind, sourceId, period: p, at, amountCents, label }) => ({
      kind,
      sourceId,
      period: p,
      at,
      amountCents,
      ...(label ? { label } : {}),
    })),
  };
}

/** Every payslip of an entrepreneur (a few a year). */
async function allPayslips(entrepreneurId: string): Promise<PayslipRecord[]> {
  const all: PayslipRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await payslipsOf(entrepreneurId, { limit: 100, cursor });
    all.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return all;
}

/** Per month of [from, to]: hours, turnover, contribution, expenses, salary, balance, and the gap to the profile's turnover. */
export async function dashboard(principal: Principal, entrepreneurId: string, from: string, to: string) {
  const entrepreneur = await visibleEntrepreneur(principal, entrepreneurId);
  const [movements, payslips] = await Promise.all([movementsOf(entrepreneur.id, { to }), allPayslips(entrepreneur.id)]);
  const profile = profileFor(entrepreneur.competences);
  const months = await Promise.all(
    periodsBetween(from, to).map(async (period) => {
      const statement = monthStatement(movements, period);
      const payslip = payslips.find((p) => p.period === period);
      const hours = payslip?.hours ?? (await findSalaryDraft(entrepreneur.id, period))?.hours ?? 0;
      return {
        period,
        hours,
        turnoverCents: statement.turnoverCents,
        contributionCents: statement.contributionCents,
        expensesCents: statement.expensesCents,
        grossCents: payslip?.grossCents ?? 0,
        netCents: payslip?.netCents ?? 0,
        employerCostCents: payslip?.employerCostCents ?? 0,
        balanceCents: statement.closingBalanceCents,
        ...(profile
          ? {
              profileTurnoverCents: profile.monthlyTurnoverCents,
              gapToProfileCents: statement.turnoverCents - profile.monthlyTurnoverCents,
            }
          : {}),
      };
    }),
  );
  return {
    entrepreneurId: entrepreneur.id,
    ...(profile
      ? {
          profile: {
            code: profile.code,
            label: profile.label,
            hoursPerMonth: profile.hundredthsOfHoursPerMonth / 100,
            hourlyRateCents: profile.hourlyRateCents,
          },
        }
      : {}),
    months,
  };
}
