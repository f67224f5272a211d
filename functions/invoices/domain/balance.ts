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

/** What a stored invoice keeps of its balance: its gross total, what was paid, pending, credited, and what follows. */
export interface BalanceFields {
  readonly totals: { readonly grossCents: number };
  readonly amountPaidCents: number;
  readonly amountPendingCents: number;
  readonly amountCreditedCents: number;
}

export const balanceOf = (i: BalanceFields): Balance => ({
  grossCents: i.totals.grossCents,
  amountPaidCents: i.amountPaidCents,
  amountPendingCents: i.amountPendingCents,
  amountCreditedCents: i.amountCreditedCents,
});

/** A move of the balance, in cents: paid (negative for a refund), pending, credited (a credit note). */
export interface BalanceChange {
  readonly paid?: number | undefined;
  readonly pending?: number | undefined;
  readonly credited?: number | undefined;
}

/**
 * The one recomputation of a balance (payments, refunds and credit notes all go through it): the
 * amounts moved by `change`, then what is due and the state derived from them. An issued invoice
 * only; version and audit fields are the caller's.
 */
export function rebalanced<T extends BalanceFields>(
  invoice: T,
  change: BalanceChange,
): T & { amountDueCents: number; state: Exclude<InvoiceState, 'draft'> } {
  const moved = {
    ...invoice,
    amountPaidCents: invoice.amountPaidCents + (change.paid ?? 0),
    amountPendingCents: invoice.amountPendingCents + (change.pending ?? 0),
    amountCreditedCents: invoice.amountCreditedCents + (change.credited ?? 0),
  };
  return { ...moved, amountDueCents: amountDue(balanceOf(moved)), state: stateOf(balanceOf(moved)) };
}

/**
 * The open-balance marker (through which reminders find overdue invoices) exists while money is
 * due: opened when the amount due rises above zero, closed when it falls to zero or below.
 */
export function dueMarkerMove(beforeDueCents: number, afterDueCents: number): 'open' | 'close' | undefined {
  if (beforeDueCents > 0 && afterDueCents <= 0) return 'close';
  if (beforeDueCents <= 0 && afterDueCents > 0) return 'open';
  return undefined;
}

/** Open (issued or partly paid) and due before `today` (YYYY-MM-DD, Paris). */
export const isOverdue = (invoice: { readonly state: InvoiceState; readonly dueDate?: string | undefined }, today: string): boolean =>
  (invoice.state === 'issued' || invoice.state === 'partially_paid') && invoice.dueDate !== undefined && invoice.dueDate < today;

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
