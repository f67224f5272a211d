/** Payroll months: `YYYY-MM`, in the Europe/Paris calendar. Pure. */
import { parisDate } from '../../shared/clock.ts';

export const PERIOD_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;

export const isPeriod = (value: string): boolean => PERIOD_PATTERN.test(value);

/** The month of an instant in Paris. */
export const periodOf = (instant: Date): string => parisDate(instant).slice(0, 7);

/** True when the month has not begun yet in Paris at `now`. */
export const isFuturePeriod = (period: string, now: Date): boolean => period > periodOf(now);

/** The month `months` after (negative: before) `period`. */
export function addMonths(period: string, months: number): string {
  const [year, month] = period.split('-').map(Number) as [number, number];
  const index = year * 12 + (month - 1) + months;
  return `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
}

export const previousPeriod = (period: string): string => addMonths(period, -1);

/** Every month from `from` to `to`, both included (empty when `to` is before `from`). */
export function periodsBetween(from: string, to: string): string[] {
  const list: string[] = [];
  for (let p = from; p <= to; p = addMonths(p, 1)) list.push(p);
  return list;
}

/** The month a calendar date (`YYYY-MM-DD`) falls in. */
export const periodOfDate = (date: string): string => date.slice(0, 7);
