/**
 * Refunds of a succeeded charge, named by its payment_intent or the charge itself: whole (the
 * unrefunded rest) or partial (`amount`, at most what remains), with a reason among Stripe's.
 * A refund succeeds at once, adds to the charge's amount_refunded (refunded: true when all of it
 * is) and emits charge.refunded carrying the request that made it.
 *
 * API: POST /v1/refunds   GET /v1/refunds/:id   GET /v1/refunds (payment_intent, charge, created, paging)
 */
import type { Emit } from './events.ts';
import type { FormObject } from './form.ts';
import { LIST_PARAMS, type Reader } from './reading.ts';
import type { StandInState } from './state.ts';
import type { StripeObject } from './types.ts';
import {
  euros,
  expandParam,
  int,
  invalid,
  metadataParam,
  missing,
  newId,
  onlyKnown,
  type RequestRef,
  type ResourceRoutes,
  str,
} from './wire.ts';

export function refundRoutes(deps: { readonly state: StandInState; readonly emit: Emit; readonly reader: Reader }): ResourceRoutes {
  const { state, emit, reader } = deps;
  const { intents, charges, refunds, seconds, remember } = state;

  function createRefund(params: FormObject, request: RequestRef): StripeObject {
    onlyKnown(params, ['payment_intent', 'charge', 'amount', 'reason', 'metadata', 'expand']);
    const intentId = str(params.payment_intent, 'payment_intent');
    const chargeId = str(params.charge, 'charge');
    if (!intentId && !chargeId)
      throw invalid('One of the following params should be provided for this request: payment_intent or charge.', 'payment_intent');
    let charge: StripeObject | undefined;
    if (intentId) {
      const intent = intents.get(intentId);
      if (!intent) throw missing('payment_intent', intentId, 'payment_intent');
      charge = intent.latest_charge ? charges.get(intent.latest_charge as string) : undefined;
      if (charge?.status !== 'succeeded') {
        throw invalid(`This PaymentIntent (${intentId}) does not have a successful charge to refund.`, 'payment_intent');
      }
    } else {
      charge = charges.get(chargeId!);
      if (!charge) throw missing('charge', chargeId!, 'charge');
      if (charge.status !== 'succeeded') throw invalid(`Charge ${chargeId} has not succeeded and cannot be refunded.`, 'charge');
    }
    const remaining = (charge.amount as number) - (charge.amount_refunded as number);
    if (remaining <= 0) throw invalid(`Charge ${String(charge.id)} has already been refunded.`, undefined, 'charge_already_refunded');
    const amount = int(params.amount, 'amount', 1) ?? remaining;
    if (amount > remaining) {
      const currency = charge.currency as string;
      throw invalid(
        `Refund amount (${euros(amount, currency)}) is greater than unrefunded amount on charge (${euros(remaining, currency)})`,
        'amount',
      );
    }
    const reason = str(params.reason, 'reason');
    if (reason !== undefined && !['duplicate', 'fraudulent', 'requested_by_customer'].includes(reason))
      throw invalid(`Invalid reason: ${reason}`, 'reason');
    const refund = remember(refunds, {
      id: newId('re_3'),
      object: 'refund',
      amount,
      balance_transaction: newId('txn_3'),
      charge: charge.id,
      created: seconds(),
      currency: charge.currency,
      destination_details: null,
      metadata: metadataParam(params.metadata, 'metadata') ?? {},
      payment_intent: charge.payment_intent,
      reason: reason ?? null,
      receipt_number: null,
      source_transfer_reversal: null,
      status: 'succeeded',
      transfer_reversal: null,
    });
    charge.amount_refunded = (charge.amount_refunded as number) + amount;
    charge.refunded = charge.amount_refunded === charge.amount;
    emit('charge.refunded', charge, request);
    return refund;
  }

  return (method, [a, b, c], params, request) => {
    if (a !== 'refunds') return undefined;
    const only = (known: string[]) => onlyKnown(params, known);
    if (method === 'POST' && b === undefined) return reader.expand(createRefund(params, request), expandParam(params));
    if (method === 'GET' && b && c === undefined) {
      only(['expand']);
      const refund = refunds.get(b);
      if (!refund) throw missing('refund', b, 'id');
      return reader.expand(refund, expandParam(params));
    }
    if (method === 'GET' && b === undefined) {
      only([...LIST_PARAMS, 'payment_intent', 'charge']);
      const intent = str(params.payment_intent, 'payment_intent');
      const charge = str(params.charge, 'charge');
      return reader.list(
        '/v1/refunds',
        refunds.values(),
        params,
        [(r) => intent === undefined || r.payment_intent === intent, (r) => charge === undefined || r.charge === charge],
        'refund',
      );
    }
    return undefined;
  };
}
