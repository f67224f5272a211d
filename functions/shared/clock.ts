/** Time of business is Europe/Paris; timestamps are stored as ISO-8601 UTC instants. */
import { once } from './once.ts';

export const BUSINESS_TIMEZONE = 'Europe/Paris';

const parisParts = /* @__PURE__ */ once(
  () => new Intl.DateTimeFormat('en-CA', { timeZone: BUSINESS_TIMEZONE, year: 'numeric', month: '2-digit', day: '2-digit' }),
);

/** The calendar date in Paris, `YYYY-MM-DD`. */
export function parisDate(instant: Date): string {
  return parisParts().format(instant);
}

export function parisYear(instant: Date): number {
  return Number(parisDate(instant).slice(0, 4));
}

/** A calendar date (`YYYY-MM-DD`) plus `days` calendar days, as a calendar date. */
export function addDays(date: string, days: number): string {
  const next = new Date(`${date}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + days);
  return next.toISOString().slice(0, 10);
}
