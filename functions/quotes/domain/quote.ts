/** Quote rules: numbering, validity, lifecycle. Pure. */
import { addDays, parisDate } from '../../shared/clock.ts';
import { computeTotals, lineTotalCents, type PricedLine, type Totals } from '../../shared/pricing.ts';
import type { QuoteState } from '../schemas.ts';

/** Series of a CAE's quotes for a year: `D-MSG44-2026`; a number: `D-MSG44-2026-000123`. */
export const seriesPrefix = (cae: string, etd: string, year: number): string => `D-${cae}${etd}-${year}`;

/** The last day the quote may be accepted: issue date + validity, in calendar days (Paris dates). */
export const validUntil = (issueDate: string, validityDays: number): string => addDays(issueDate, validityDays);

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

const DAY_MS = 86_400_000;

/** What the client-page rule needs of a quote. */
export interface ClosingFacts {
  /** The state the client sees (a sent quote past its validity is already expired). */
  readonly state: QuoteState;
  readonly acceptedAt?: string | undefined;
  readonly declinedAt?: string | undefined;
  readonly expiredAt?: string | undefined;
  readonly supersededAt?: string | undefined;
  readonly withdrawnAt?: string | undefined;
  readonly validUntil?: string | undefined;
  readonly updatedAt: string;
}

/**
 * When the quote closed (ISO instant), or undefined while it is open. Expired: when the job
 * recorded it, else the end of its last valid day; superseded: when the revision was sent (older
 * records: their last change, which was the supersession).
 */
export function closedAt(quote: ClosingFacts): string | undefined {
  switch (quote.state) {
    case 'accepted':
      return quote.acceptedAt ?? quote.updatedAt;
    case 'declined':
      return quote.declinedAt ?? quote.updatedAt;
    case 'superseded':
      return quote.supersededAt ?? quote.updatedAt;
    case 'withdrawn':
      return quote.withdrawnAt ?? quote.updatedAt;
    case 'expired':
      return (
        quote.expiredAt ??
        (quote.validUntil ? new Date(Date.parse(`${quote.validUntil}T00:00:00Z`) + DAY_MS).toISOString() : quote.updatedAt)
      );
    default:
      return undefined;
  }
}

/** The client's page of a closed quote stops showing it `retentionDays` after it closed. */
export function isPageRetired(quote: ClosingFacts, now: Date, retentionDays: number): boolean {
  const closed = closedAt(quote);
  return closed !== undefined && now.getTime() >= Date.parse(closed) + retentionDays * DAY_MS;
}

/** What the client-facing state of a quote depends on. */
export interface StateFacts {
  readonly state: QuoteState;
  readonly validUntil?: string | undefined;
}

/** The state the client sees: a sent quote past its validity is expired even before the nightly job. */
export const effectiveState = (quote: StateFacts, now: Date): QuoteState =>
  quote.state === 'sent' && quote.validUntil && isPastValidity(quote.validUntil, parisDate(now)) ? 'expired' : quote.state;

/** The client's page no longer shows this quote: closed longer ago than the retention period. */
export const pageRetired = (
  quote: StateFacts & {
    readonly acceptance?: { readonly at: string } | undefined;
    readonly decline?: { readonly at: string } | undefined;
    readonly expiredAt?: string | undefined;
    readonly supersededAt?: string | undefined;
    readonly withdrawal?: { readonly at: string } | undefined;
    readonly updatedAt: string;
  },
  now: Date,
  retentionDays: number,
): boolean =>
  isPageRetired(
    {
      state: effectiveState(quote, now),
      acceptedAt: quote.acceptance?.at,
      declinedAt: quote.decline?.at,
      expiredAt: quote.expiredAt,
      supersededAt: quote.supersededAt,
      withdrawnAt: quote.withdrawal?.at,
      validUntil: quote.validUntil,
      updatedAt: quote.updatedAt,
    },
    now,
    retentionDays,
  );
