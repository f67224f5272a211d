/**
 * Turnover excluding VAT (HT) of the money moving on an invoice, for the `cashed` basis (payroll,
 * redevance). Pure, exact (BigInt), integer cents.
 *
 * The rule: what was paid on an invoice, `paid` cents TTC, stands for `htShareCents(paid)` =
 * paid × HT / TTC of the invoice, rounded half away from zero to the cent. A move of the paid
 * amount (a payment received, a refund) counts the DIFFERENCE of that share before and after it:
 * `htOfMove(before, after) = htShareCents(after) − htShareCents(before)`. So the shares telescope:
 * whatever the number and order of payments and refunds, their HT adds up to the share of what is
 * paid in the end — exactly the invoice's HT when it is paid in full, exactly 0 when all was given
 * back — and no cent is lost or made by rounding each payment on its own.
 *
 * The ratio is the invoice's own totals (a final invoice's are net of the deposits it deducts); a
 * credit note does not change it. An invoice of 0 TTC has a share of 0.
 */

export interface HtRatio {
  /** HT of the invoice, cents. */
  readonly netCents: number;
  /** TTC of the invoice, cents. */
  readonly grossCents: number;
}

/** `numerator / denominator` rounded half away from zero (denominator > 0). */
function divideHalfAwayFromZero(numerator: bigint, denominator: bigint): number {
  const negative = numerator < 0n;
  const magnitude = negative ? -numerator : numerator;
  const rounded = (magnitude * 2n + denominator) / (denominator * 2n);
  return Number(negative ? -rounded : rounded);
}

function checkCents(name: string, value: number): void {
  if (!Number.isSafeInteger(value)) throw new RangeError(`${name} must be an integer number of cents, got ${value}`);
}

/** The HT share of `paidCents` TTC paid on an invoice of these totals. */
export function htShareCents(paidCents: number, invoice: HtRatio): number {
  checkCents('paidCents', paidCents);
  checkCents('netCents', invoice.netCents);
  checkCents('grossCents', invoice.grossCents);
  if (invoice.grossCents < 0 || invoice.netCents < 0) throw new RangeError('an invoice’s totals are not negative');
  if (invoice.grossCents === 0) return 0;
  return divideHalfAwayFromZero(BigInt(paidCents) * BigInt(invoice.netCents), BigInt(invoice.grossCents));
}

/**
 * The HT of a move of the paid amount from `paidBeforeCents` to `paidAfterCents`: positive for a
 * payment received, negative for a refund (events carry its absolute value).
 */
export function htOfMove(paidBeforeCents: number, paidAfterCents: number, invoice: HtRatio): number {
  return htShareCents(paidAfterCents, invoice) - htShareCents(paidBeforeCents, invoice);
}

/** A document's totals as the sales events carry them: HT, VAT of every rate, TTC. */
export function eventTotals(totals: {
  readonly netCents: number;
  readonly vat: readonly { readonly vatCents: number }[];
  readonly grossCents: number;
}): { netCents: number; vatCents: number; grossCents: number } {
  return { netCents: totals.netCents, vatCents: totals.vat.reduce((sum, v) => sum + v.vatCents, 0), grossCents: totals.grossCents };
}
