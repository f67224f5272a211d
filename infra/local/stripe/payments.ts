/**
 * Payment intents and charges: made when a checkout session is paid, never created through the
 * API. `pay` does what the checkout page buttons do — card (succeeds: session complete and paid),
 * declined card (a failed charge, the session stays open), SEPA debit (the session completes
 * unpaid, the payment is processing) — and `settle` ends a processing debit (succeeded or failed
 * for insufficient funds), each with its checkout.session.* event.
 *
 * API: GET /v1/payment_intents/:id   GET /v1/charges/:id   GET /v1/charges (payment_intent, created, paging)
 */
import type { CheckoutSessions } from './checkout-sessions.ts';
import type { Emit } from './events.ts';
import { LIST_PARAMS, type Reader } from './reading.ts';
import type { StandInState } from './state.ts';
import type { StripeObject } from './types.ts';
import { clone, expandParam, invalid, missing, newId, onlyKnown, randomId, type ResourceRoutes, str } from './wire.ts';

export interface Payments {
  /** What the checkout page buttons do: returns the event made (none for 'decline'). */
  pay(sessionId: string, method: 'card' | 'decline' | 'debit'): StripeObject | undefined;
  /** Ends a processing SEPA debit: returns its checkout.session.async_payment_succeeded / _failed event. */
  settle(sessionId: string, outcome: 'succeeded' | 'failed'): StripeObject;
  readonly routes: ResourceRoutes;
}

export function payments(deps: {
  readonly state: StandInState;
  readonly emit: Emit;
  readonly reader: Reader;
  readonly sessions: CheckoutSessions;
}): Payments {
  const { state, emit, reader } = deps;
  const { sessionOf, expireIfDue } = deps.sessions;
  const { intents, charges, intentMetadata, now, seconds, remember } = state;

  function newIntent(session: StripeObject, metadata: Record<string, string>): StripeObject {
    const id = newId('pi_3');
    return remember(intents, {
      id,
      object: 'payment_intent',
      amount: session.amount_total,
      amount_capturable: 0,
      amount_details: { tip: {} },
      amount_received: 0,
      application: null,
      application_fee_amount: null,
      automatic_payment_methods: null,
      canceled_at: null,
      cancellation_reason: null,
      capture_method: 'automatic_async',
      client_secret: `${id}_secret_${randomId(25)}`,
      confirmation_method: 'automatic',
      created: seconds(),
      currency: session.currency,
      customer: null,
      description: null,
      last_payment_error: null,
      latest_charge: null,
      livemode: false,
      metadata,
      next_action: null,
      on_behalf_of: null,
      payment_method: null,
      payment_method_configuration_details: null,
      payment_method_options: {},
      payment_method_types: clone(session.payment_method_types),
      processing: null,
      receipt_email: null,
      review: null,
      setup_future_usage: null,
      shipping: null,
      source: null,
      statement_descriptor: null,
      statement_descriptor_suffix: null,
      status: 'requires_payment_method',
      transfer_data: null,
      transfer_group: null,
    });
  }

  function newCharge(
    intent: StripeObject,
    method: 'card' | 'sepa_debit',
    status: 'succeeded' | 'pending' | 'failed',
    email: string | null,
  ): StripeObject {
    const paymentMethod = newId('pm_1');
    const amount = intent.amount as number;
    const failed = status === 'failed';
    return remember(charges, {
      id: newId('ch_3'),
      object: 'charge',
      amount,
      amount_captured: status === 'succeeded' ? amount : 0,
      amount_refunded: 0,
      application: null,
      application_fee: null,
      application_fee_amount: null,
      balance_transaction: status === 'succeeded' ? newId('txn_3') : null,
      billing_details: {
        address: { city: null, country: null, line1: null, line2: null, postal_code: null, state: null },
        email,
        name: null,
        phone: null,
        tax_id: null,
      },
      calculated_statement_descriptor: 'OUI ENSEMBLE',
      captured: status !== 'failed',
      created: seconds(),
      currency: intent.currency,
      customer: null,
      description: null,
      disputed: false,
      failure_balance_transaction: null,
      failure_code: failed ? (method === 'card' ? 'card_declined' : 'insufficient_funds') : null,
      failure_message: failed
        ? method === 'card'
          ? 'Your card was declined.'
          : "The customer's account has insufficient funds to cover this payment."
        : null,
      fraud_details: {},
      livemode: false,
      metadata: {},
      on_behalf_of: null,
      outcome: failed
        ? {
            network_status: 'declined_by_network',
            reason: method === 'card' ? 'generic_decline' : 'insufficient_funds',
            risk_level: 'normal',
            seller_message: 'The bank did not return any further details with this decline.',
            type: 'issuer_declined',
          }
        : {
            network_status: 'approved_by_network',
            reason: null,
            risk_level: 'normal',
            seller_message: 'Payment complete.',
            type: 'authorized',
          },
      paid: status === 'succeeded',
      payment_intent: intent.id,
      payment_method: paymentMethod,
      payment_method_details:
        method === 'card'
          ? {
              type: 'card',
              card: {
                brand: 'visa',
                country: 'FR',
                exp_month: 12,
                exp_year: new Date(now()).getUTCFullYear() + 3,
                funding: 'credit',
                last4: failed ? '0002' : '4242',
                network: 'visa',
              },
            }
          : {
              type: 'sepa_debit',
              sepa_debit: {
                bank_code: '20041',
                branch_code: '01005',
                country: 'FR',
                fingerprint: randomId(16),
                last4: '3000',
                mandate: newId('mandate_1'),
              },
            },
      receipt_email: null,
      receipt_number: null,
      receipt_url: null,
      refunded: false,
      review: null,
      shipping: null,
      source: null,
      source_transfer: null,
      statement_descriptor: null,
      statement_descriptor_suffix: null,
      status,
      transfer_data: null,
      transfer_group: null,
    });
  }

  /** The three actions of the checkout page. */
  function payAction(sessionId: string, method: 'card' | 'decline' | 'debit'): StripeObject | undefined {
    const session = sessionOf(sessionId);
    expireIfDue(session);
    if (session.status !== 'open')
      throw invalid(`This Checkout Session is no longer active (${String(session.status)}).`, 'session', 'checkout_session_inactive');
    if (!(session.payment_method_types as string[]).includes(method === 'debit' ? 'sepa_debit' : 'card')) {
      throw invalid(`This Checkout Session does not accept ${method === 'debit' ? 'SEPA Direct Debit' : 'cards'}.`, 'payment_method_types');
    }
    const email = (session.customer_email as string | null) ?? null;
    let intent = session.payment_intent ? intents.get(session.payment_intent as string)! : undefined;
    intent ??= newIntent(session, intentMetadata.get(sessionId) ?? {});
    session.payment_intent = intent.id;
    const charge = newCharge(
      intent,
      method === 'debit' ? 'sepa_debit' : 'card',
      method === 'card' ? 'succeeded' : method === 'debit' ? 'pending' : 'failed',
      email,
    );
    intent.latest_charge = charge.id;
    intent.payment_method = charge.payment_method;
    if (method === 'decline') {
      intent.status = 'requires_payment_method';
      intent.last_payment_error = {
        charge: charge.id,
        code: 'card_declined',
        decline_code: 'generic_decline',
        doc_url: 'https://stripe.com/docs/error-codes/card-declined',
        message: 'Your card was declined.',
        payment_method: { id: charge.payment_method, object: 'payment_method', type: 'card' },
        type: 'card_error',
      };
      intent.payment_method = null;
      return undefined;
    }
    intent.last_payment_error = null;
    intent.payment_method_types = [method === 'debit' ? 'sepa_debit' : 'card'];
    if (method === 'card') {
      intent.status = 'succeeded';
      intent.amount_received = intent.amount;
      session.payment_status = 'paid';
    } else {
      intent.status = 'processing';
      intent.processing = null;
      session.payment_status = 'unpaid';
    }
    session.status = 'complete';
    session.url = null;
    session.customer_details = { address: null, email, name: null, phone: null, tax_exempt: 'none', tax_ids: [] };
    return emit('checkout.session.completed', session);
  }

  function settle(sessionId: string, outcome: 'succeeded' | 'failed'): StripeObject {
    const session = sessionOf(sessionId);
    const intent = session.payment_intent ? intents.get(session.payment_intent as string) : undefined;
    if (session.status !== 'complete' || !intent || intent.status !== 'processing') {
      throw invalid(`Checkout Session ${sessionId} has no processing debit to settle.`, 'session');
    }
    const charge = charges.get(intent.latest_charge as string)!;
    if (outcome === 'succeeded') {
      intent.status = 'succeeded';
      intent.amount_received = intent.amount;
      Object.assign(charge, {
        status: 'succeeded',
        paid: true,
        captured: true,
        amount_captured: charge.amount,
        balance_transaction: newId('txn_3'),
      });
      session.payment_status = 'paid';
      return emit('checkout.session.async_payment_succeeded', session);
    }
    intent.status = 'requires_payment_method';
    intent.payment_method = null;
    intent.last_payment_error = {
      charge: charge.id,
      code: 'insufficient_funds',
      doc_url: 'https://stripe.com/docs/error-codes/insufficient-funds',
      message: "The customer's account has insufficient funds to cover this payment.",
      payment_method: { id: charge.payment_method, object: 'payment_method', type: 'sepa_debit' },
      type: 'card_error',
    };
    Object.assign(charge, {
      status: 'failed',
      paid: false,
      captured: false,
      failure_code: 'insufficient_funds',
      failure_message: "The customer's account has insufficient funds to cover this payment.",
      outcome: {
        network_status: 'declined_by_network',
        reason: 'insufficient_funds',
        risk_level: 'normal',
        seller_message: 'The bank returned the decline code `insufficient_funds`.',
        type: 'issuer_declined',
      },
    });
    return emit('checkout.session.async_payment_failed', session);
  }

  const routes: ResourceRoutes = (method, [a, b, c], params) => {
    if (method !== 'GET') return undefined;
    const only = (known: string[]) => onlyKnown(params, known);
    if (a === 'payment_intents' && b && c === undefined) {
      only(['expand', 'client_secret']);
      const intent = intents.get(b);
      if (!intent) throw missing('payment_intent', b, 'intent');
      return reader.expand(intent, expandParam(params));
    }
    if (a === 'charges') {
      if (b === undefined) {
        only([...LIST_PARAMS, 'payment_intent', 'customer', 'transfer_group']);
        const intent = str(params.payment_intent, 'payment_intent');
        return reader.list(
          '/v1/charges',
          charges.values(),
          params,
          [(ch) => intent === undefined || ch.payment_intent === intent],
          'charge',
        );
      }
      if (c === undefined) {
        only(['expand']);
        const charge = charges.get(b);
        if (!charge) throw missing('charge', b, 'id');
        return reader.expand(charge, expandParam(params));
      }
    }
    return undefined;
  };

  return { pay: payAction, settle, routes };
}
