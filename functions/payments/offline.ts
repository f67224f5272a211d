/**
 * A payment received outside Stripe, recorded by the territory's staff (the rules: offline-rules.ts).
 * It goes through the ledger like a card payment (ledger.ts `recordPayment`): one transaction moves
 * the invoice's balance and state, writes the payment (key `off_…` from its method and reference)
 * and `PaymentReceived` with the funding its method says, and the Checkout Sessions still open on
 * the invoice are expired. The same (invoice, method, reference) again answers the payment recorded
 * and writes nothing; the same reference with another amount or date is refused.
 */
import type { Adapters } from '../shared/adapters.ts';
import type { Actor } from '../shared/audit.ts';
import { parisDate } from '../shared/clock.ts';
import { ConflictError, ValidationError } from '../shared/errors.ts';
import type { InvoiceRecord } from '../invoices/index.ts';
import { recordAdmittedPayment } from './ledger.ts';
import {
  fundingOf,
  normalisedReference,
  offlineKey,
  offlinePaymentRefusal,
  type OfflinePayment,
  type Refusal,
  sameOfflinePayment,
} from './offline-rules.ts';
import type { PaymentRecord } from './store.ts';

export interface RecordedOfflinePayment {
  readonly payment: PaymentRecord;
  /** The invoice after the payment (its new balance and state). */
  readonly invoice: InvoiceRecord;
  /** False when this payment was already recorded (the same call again): nothing was written. */
  readonly recorded: boolean;
}

const refused = (r: Refusal): Error =>
  r.status === 400
    ? new ValidationError([{ path: r.field, message: r.message }])
    : new ConflictError(`${r.field}: ${r.message}`, { field: r.field });

/**
 * Records `request` on `invoice` (the caller checked its principal may see it), by `actor` at `now`.
 * @throws ValidationError (400) or ConflictError (409) naming the field the rules refuse.
 */
export async function recordOfflinePayment(
  ports: Pick<Adapters, 'payments'>,
  invoice: Pick<InvoiceRecord, 'id'>,
  request: OfflinePayment,
  actor: Actor,
  now: Date,
): Promise<RecordedOfflinePayment> {
  const reference = normalisedReference(request.reference);
  const payment: OfflinePayment = { ...request, reference };
  const key = offlineKey(payment.method, reference);
  const today = parisDate(now);
  let replay: RecordedOfflinePayment | undefined;
  const written = await recordAdmittedPayment(
    ports,
    {
      invoiceId: invoice.id,
      paymentIntent: key,
      amountCents: payment.amountCents,
      status: 'succeeded',
      method: payment.method,
      at: now,
      offline: { receivedOn: payment.receivedOn, reference, funding: fundingOf(payment.method, payment.amountCents), actor },
    },
    now,
    (current, existing) => {
      if (existing) {
        if (!sameOfflinePayment(existing, payment))
          throw new ConflictError(
            `reference: a ${payment.method} payment with this reference is already recorded on the invoice, of ${existing.amountCents} cents received on ${existing.receivedOn}`,
            { field: 'reference' },
          );
        replay = { payment: existing, invoice: current, recorded: false };
        return false;
      }
      const refusal = offlinePaymentRefusal(current, payment, today);
      if (refusal) throw refused(refusal);
      return true;
    },
  );
  if (written) return { ...written, recorded: true };
  if (replay) return replay;
  throw new Error('an offline payment was neither written nor found');
}
