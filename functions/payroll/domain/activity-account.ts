/**
 * The activity account (compte d'activité) of an entrepreneur-salarié: pure rules, integer cents.
 *
 * C. trav. L7332-3: the entrepreneur's pay is funded by the turnover they bring, after the
 * activity's expenses and the cooperative contribution; the CAE gives them a statement of income and
 * expenses. The account is a list of movements, each traced to its source (an invoice, a payment, an
 * expense, a payslip, a contribution run, a regularisation); the balance is never stored as truth: it
 * is always derivable from the movements (`rebuildAccount`).
 *
 * Sign convention: `amountCents` is signed, positive credits the account, negative debits it.
 * A turnover credit may be negative (a credit note on the `invoiced` basis, a refund on `cashed`).
 */
import { ValidationError } from '../../shared/errors.ts';

export type MovementKind = 'turnover' | 'contribution' | 'expense' | 'payslip' | 'regularisation';
export const movementKinds: readonly MovementKind[] = ['turnover', 'contribution', 'expense', 'payslip', 'regularisation'];

export interface Movement {
  readonly kind: MovementKind;
  /** The id of what caused it (invoice, payment, expense, payslip, contribution run…): unique per kind. */
  readonly sourceId: string;
  /** The month it belongs to, `YYYY-MM`. */
  readonly period: string;
  /** The day it happened, `YYYY-MM-DD`. */
  readonly at: string;
  /** Signed integer cents: positive credits the account, negative debits it. */
  readonly amountCents: number;
  readonly label?: string;
}

const PERIOD = /^(\d{4})-(0[1-9]|1[0-2])$/;
const DAY = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

export const isPeriod = (value: string): boolean => PERIOD.test(value);
export const isDay = (value: string): boolean => DAY.test(value) && new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) === value;

function invalid(path: string, message: string): never {
  throw new ValidationError([{ path, message }]);
}

function checkCents(path: string, value: number, { positive = false } = {}): void {
  if (!Number.isSafeInteger(value)) invalid(path, 'must be an integer number of cents');
  if (positive && value <= 0) invalid(path, 'must be greater than zero');
}

interface MovementInput {
  readonly sourceId: string;
  readonly period: string;
  readonly at: string;
  readonly label?: string;
}

function movement(kind: MovementKind, input: MovementInput, amountCents: number): Movement {
  if (input.sourceId.trim() === '') invalid('sourceId', 'must not be empty');
  if (!isPeriod(input.period)) invalid('period', 'must be a month YYYY-MM');
  if (!isDay(input.at)) invalid('at', 'must be a date YYYY-MM-DD');
  const base = { kind, sourceId: input.sourceId, period: input.period, at: input.at, amountCents };
  return input.label === undefined ? base : { ...base, label: input.label };
}

/** Turnover HT credited on the CAE's basis; negative for a credit note or a refund. */
export function turnoverCredit(input: MovementInput & { readonly amountHtCents: number }): Movement {
  checkCents('amountHtCents', input.amountHtCents);
  return movement('turnover', input, input.amountHtCents);
}

/** The cooperative contribution of a month (a positive amount, debited). */
export function contributionDebit(input: MovementInput & { readonly amountCents: number }): Movement {
  checkCents('amountCents', input.amountCents);
  if (input.amountCents < 0) invalid('amountCents', 'must not be negative');
  return movement('contribution', input, 0 - input.amountCents);
}

/** A validated expense (TTC, what the CAE reimburses; a positive amount, debited). */
export function expenseDebit(input: MovementInput & { readonly amountCents: number }): Movement {
  checkCents('amountCents', input.amountCents, { positive: true });
  return movement('expense', input, 0 - input.amountCents);
}

/** The total employer cost of an issued payslip (a positive amount, debited). */
export function payslipDebit(input: MovementInput & { readonly amountCents: number }): Movement {
  checkCents('amountCents', input.amountCents, { positive: true });
  return movement('payslip', input, 0 - input.amountCents);
}

/** A correction (signed): issued documents are immutable, a mistake is corrected by a regularisation. */
export function regularisation(input: MovementInput & { readonly amountCents: number; readonly label: string }): Movement {
  checkCents('amountCents', input.amountCents);
  if (input.amountCents === 0) invalid('amountCents', 'must not be zero');
  if (input.label.trim() === '') invalid('label', 'a regularisation says why');
  return movement('regularisation', input, input.amountCents);
}

/** The identity of a movement: the same source is never counted twice. */
export const movementKey = (m: Pick<Movement, 'kind' | 'sourceId'>): string => `${m.kind}#${m.sourceId}`;

export interface AccountState {
  readonly balanceCents: number;
  /** Signed sum per kind (turnover positive, debits negative). */
  readonly byKind: Readonly<Record<MovementKind, number>>;
  readonly count: number;
}

const zeroByKind = (): Record<MovementKind, number> => ({
  turnover: 0,
  contribution: 0,
  expense: 0,
  payslip: 0,
  regularisation: 0,
});

/** Rebuilds the account from its movements; a source counted twice is refused. */
export function rebuildAccount(movements: readonly Movement[]): AccountState {
  const seen = new Set<string>();
  const byKind = zeroByKind();
  let balanceCents = 0;
  for (const m of movements) {
    const key = movementKey(m);
    if (seen.has(key)) invalid('movements', `the movement ${key} is counted twice`);
    seen.add(key);
    checkCents('amountCents', m.amountCents);
    byKind[m.kind] += m.amountCents;
    balanceCents += m.amountCents;
  }
  return { balanceCents, byKind, count: movements.length };
}

export const balanceOf = (movements: readonly Movement[]): number => rebuildAccount(movements).balanceCents;

/** The month's statement: the payslip's second part and a row of the dashboard. Amounts as positive figures, except the signed regularisation. */
export interface MonthStatement {
  readonly period: string;
  readonly openingBalanceCents: number;
  /** Turnover HT of the month (credits; negative if credit notes exceed invoices). */
  readonly turnoverCents: number;
  readonly contributionCents: number;
  readonly expensesCents: number;
  readonly salaryCostCents: number;
  /** Signed: positive credits the account. */
  readonly regularisationCents: number;
  readonly closingBalanceCents: number;
  /** The month's movements, by date then kind order. */
  readonly movements: readonly Movement[];
}

/** Opening = every movement of earlier months; closing = opening + the month's movements. */
export function monthStatement(movements: readonly Movement[], period: string): MonthStatement {
  if (!isPeriod(period)) invalid('period', 'must be a month YYYY-MM');
  rebuildAccount(movements); // refuses duplicates
  const before = movements.filter((m) => m.period < period);
  const month = movements
    .filter((m) => m.period === period)
    .sort((a, b) => a.at.localeCompare(b.at) || movementKinds.indexOf(a.kind) - movementKinds.indexOf(b.kind));
  const openingBalanceCents = rebuildAccount(before).balanceCents;
  const { byKind, balanceCents } = rebuildAccount(month);
  return {
    period,
    openingBalanceCents,
    turnoverCents: byKind.turnover,
    contributionCents: 0 - byKind.contribution,
    expensesCents: 0 - byKind.expense,
    salaryCostCents: 0 - byKind.payslip,
    regularisationCents: byKind.regularisation,
    closingBalanceCents: openingBalanceCents + balanceCents,
    movements: month,
  };
}

/**
 * Integer division rounded half-up: exact halves go away from zero (0.5 → 1, −0.5 → −1), the
 * usual commercial rounding of an amount to the cent. `denominator` must be a positive integer.
 */
export function roundHalfUp(numerator: number, denominator: number): number {
  if (!Number.isSafeInteger(numerator) || !Number.isSafeInteger(denominator) || denominator <= 0) {
    throw new RangeError('roundHalfUp takes safe integers and a positive denominator');
  }
  const sign = numerator < 0 ? -1 : 1;
  const n = Math.abs(numerator);
  const q = Math.floor(n / denominator);
  const r = n - q * denominator;
  const rounded = 2 * r >= denominator ? q + 1 : q;
  return rounded === 0 ? 0 : sign * rounded;
}

/** One version of a CAE's cooperative contribution; versions are appended, never edited. */
export interface ContributionRateVersion {
  /** First day it applies, `YYYY-MM-DD`. */
  readonly from: string;
  /** Rate of the base, in basis points (1 000 = 10 %). */
  readonly basisPoints: number;
  /** A fixed amount per month, in cents (0 if none). */
  readonly fixedMonthlyCents: number;
}
export type ContributionSchedule = readonly ContributionRateVersion[];

export function validateContributionSchedule(schedule: ContributionSchedule): void {
  if (schedule.length === 0) invalid('contribution', 'at least one version is needed');
  schedule.forEach((v, i) => {
    if (!isDay(v.from)) invalid(`contribution[${i}].from`, 'must be a date YYYY-MM-DD');
    if (!Number.isSafeInteger(v.basisPoints) || v.basisPoints < 0 || v.basisPoints > 10_000) {
      invalid(`contribution[${i}].basisPoints`, 'must be an integer from 0 to 10000');
    }
    if (!Number.isSafeInteger(v.fixedMonthlyCents) || v.fixedMonthlyCents < 0) {
      invalid(`contribution[${i}].fixedMonthlyCents`, 'must be a non-negative integer number of cents');
    }
    const previous = schedule[i - 1];
    if (previous && previous.from >= v.from) invalid(`contribution[${i}].from`, 'versions must be in strictly increasing order');
  });
}

/** A new version, after the last one: earlier versions stay as they were (they priced past months). */
export function appendContributionRate(schedule: ContributionSchedule, version: ContributionRateVersion): ContributionSchedule {
  const next = [...schedule, version];
  validateContributionSchedule(next);
  return next;
}

/** The version in force on the first day of the period (one starting mid-month applies from the next month). */
export function contributionRateFor(schedule: ContributionSchedule, period: string): ContributionRateVersion {
  if (!isPeriod(period)) invalid('period', 'must be a month YYYY-MM');
  validateContributionSchedule(schedule);
  const firstDay = `${period}-01`;
  const version = schedule.filter((v) => v.from <= firstDay).at(-1);
  if (!version) invalid('period', `no cooperative contribution rate is in force on ${firstDay}`);
  return version;
}

export interface ContributionAmount {
  readonly version: ContributionRateVersion;
  readonly baseCents: number;
  readonly proportionalCents: number;
  readonly fixedCents: number;
  /** proportional + fixed, never below zero (a month of credit notes gives back no contribution). */
  readonly totalCents: number;
}

/** The month's contribution: base × basis points / 10 000 rounded half-up to the cent, plus the fixed part. */
export function cooperativeContribution(schedule: ContributionSchedule, period: string, baseCents: number): ContributionAmount {
  checkCents('baseCents', baseCents);
  const version = contributionRateFor(schedule, period);
  const proportionalCents = roundHalfUp(baseCents * version.basisPoints, 10_000);
  const fixedCents = version.fixedMonthlyCents;
  return { version, baseCents, proportionalCents, fixedCents, totalCents: Math.max(0, proportionalCents + fixedCents) };
}

/** The most a payslip may cost the employer this month: balance + allowed overdraft, never below 0. */
export function affordableMaximumCents(balanceCents: number, overdraftAllowedCents = 0): number {
  checkCents('balanceCents', balanceCents);
  checkCents('overdraftAllowedCents', overdraftAllowedCents);
  if (overdraftAllowedCents < 0) invalid('overdraftAllowedCents', 'must not be negative');
  return Math.max(0, balanceCents + overdraftAllowedCents);
}
