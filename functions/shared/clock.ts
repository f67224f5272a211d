/** Time of business is Europe/Paris; timestamps are stored as ISO-8601 UTC instants. */
export const BUSINESS_TIMEZONE = 'Europe/Paris';

const parisParts = new Intl.DateTimeFormat('en-CA', { timeZone: BUSINESS_TIMEZONE, year: 'numeric', month: '2-digit', day: '2-digit' });

/** The calendar date in Paris, `YYYY-MM-DD`. */
export function parisDate(instant: Date): string {
  return parisParts.format(instant);
}

export function parisYear(instant: Date): number {
  return Number(parisDate(instant).slice(0, 4));
}
