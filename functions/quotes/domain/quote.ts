/** Quote rules: numbering, validity, lifecycle. Pure. */
import { computeTotals, lineTotalCents, type PricedLine, type Totals } from '../../shared/pricing.ts';
import type { QuoteState } from '../schemas.ts';

/** Series of a CAE's quotes for a year: `D-MSG44-2026`; a number: `D-MSG44-2026-000123`. */
export const seriesPrefix = (cae: string, etd: string, year: number): string => `D-${cae}${etd}-${year}`;

/** The last day the quote may be accepted: issue date + validity, in calendar days (Paris dates). */
export function validUntil(issueDate: string, validityDays: number): string {
  const date = new Date(`${issueDate}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + validityDays);
  return date.toISOString().slice(0, 10);
}

/** Past its validity on `today` (YYYY-MM-DD, Paris). */
export const isPastValidity = (validUntilDate: string, today: string): boolean => today > validUntilDate;

/** A quote is revised after it was sent, unless the client accepted it. */
export const revisable: readonly QuoteState[] = ['sent', 'declined', 'expired'];

export function pricedLines<L extends PricedLine>(lines: readonly L[]): (L & { totalCents: number })[] {
  return lines.map((line) => ({ ...line, totalCents: lineTotalCents(line) }));
}

export function quoteTotals(lines: readonly PricedLine[], depositPercent: number): Totals {
  return computeTotals(lines, depositPercent);
}
