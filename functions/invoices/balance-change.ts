/**
 * A move of an invoice's balance made by another context (payments: a payment's status moving, a
 * refund), as the parts of ITS transaction: the other context adds its own items (the payment, the
 * refund) and writes them all at once. The invoice's keys and items stay in store.ts.
 */
import type { Actor } from '../shared/audit.ts';
import type { TransactItem } from '../shared/transactions.ts';
import { dueMarkerMove, rebalanced, type BalanceChange } from './domain/balance.ts';
import { dueMarkerDelete, dueMarkerPut, historyPut, replaceInvoice, type InvoiceRecord } from './store.ts';

export interface BalanceMove {
  /** The invoice once moved (its version one higher). */
  readonly next: InvoiceRecord;
  /**
   * The invoice written over its current version (the condition: nobody changed it meanwhile),
   * its history entry, and its open-balance marker opened or closed as the amount due crosses zero.
   */
  readonly items: TransactItem[];
}

/** The invoice's balance moved by `change`, by `actor` at `now`, with `entry` written in its history. */
export function balanceChange(
  invoice: InvoiceRecord,
  change: BalanceChange,
  actor: Actor,
  now: Date,
  entry: Record<string, unknown>,
): BalanceMove {
  const next: InvoiceRecord = {
    ...rebalanced(invoice, change),
    version: invoice.version + 1,
    updatedAt: now.toISOString(),
    updatedBy: actor.sub,
  };
  const marker = dueMarkerMove(invoice.amountDueCents, next.amountDueCents);
  return {
    next,
    items: [
      replaceInvoice(invoice, next),
      historyPut(invoice.id, next.version, actor, now, entry),
      ...(marker === 'close' ? [dueMarkerDelete(invoice.id)] : marker === 'open' ? [dueMarkerPut(next)] : []),
    ],
  };
}
