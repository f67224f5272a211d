/**
 * An invoice's balance and state, derived from its totals, its credit notes and its payments.
 * Pure. A bank debit still processing is "pending": never counted as paid.
 */
import type { InvoiceState } from '../schemas.ts';

export interface Balance {
  grossCents: number;
  amountPaidCents: number;
  amountPendingCents: number;
  amountCreditedCents: number;
}

export const amountDue = (b: Balance): number => b.grossCents - b.amountCreditedCents - b.amountPaidCents;

export function stateOf(b: Balance): Exclude<InvoiceState, 'draft'> {
  if (b.amountCreditedCents >= b.grossCents) return 'cancelled';
  if (amountDue(b) <= 0) return 'paid';
  if (b.amountPaidCents > 0) return 'partially_paid';
  return 'issued';
}

export type PaymentStatus = 'processing' | 'succeeded' | 'failed';

/** processing → succeeded | failed; succeeded and failed are final (a late or replayed event changes nothing). */
export function canMovePayment(from: PaymentStatus | undefined, to: PaymentStatus): boolean {
  if (from === undefined) return true;
  return from === 'processing' && to !== 'processing';
}

/** How a payment moving from `from` to `to` changes the paid and pending amounts. */
export function paymentDelta(from: PaymentStatus | undefined, to: PaymentStatus, amountCents: number): { paid: number; pending: number } {
  return {
    paid: (to === 'succeeded' ? amountCents : 0) - (from === 'succeeded' ? amountCents : 0),
    pending: (to === 'processing' ? amountCents : 0) - (from === 'processing' ? amountCents : 0),
  };
}

/** Reminder steps after the due date, in days. */
export const reminderSteps = [7, 15, 30] as const;

/** The reminder step an overdue invoice has reached on `today`, if any (dates YYYY-MM-DD). */
export function reminderStepOn(dueDate: string, today: string): number | undefined {
  const days = Math.floor((Date.parse(`${today}T00:00:00Z`) - Date.parse(`${dueDate}T00:00:00Z`)) / 86_400_000);
  return [...reminderSteps].reverse().find((step) => days >= step);
}
