/** Settings of the quotes context, per deployment through the environment. */

const DEFAULT_CLOSED_QUOTE_PAGE_RETENTION_DAYS = 30;

/**
 * How long the client's page of a closed quote (accepted, declined, superseded, expired) still
 * shows it — names, address, amounts — after it closed; then the link only says the quote is no
 * longer available online (data minimisation: the client has the PDF and the e-mail).
 * `CLOSED_QUOTE_PAGE_RETENTION_DAYS`, a whole number of days ≥ 0; default 30.
 */
export function closedQuotePageRetentionDays(): number {
  const raw = process.env.CLOSED_QUOTE_PAGE_RETENTION_DAYS;
  const days = raw === undefined || raw.trim() === '' ? DEFAULT_CLOSED_QUOTE_PAGE_RETENTION_DAYS : Number(raw);
  if (!Number.isInteger(days) || days < 0) throw new Error('CLOSED_QUOTE_PAGE_RETENTION_DAYS must be a whole number of days (0 or more)');
  return days;
}
