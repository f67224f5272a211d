/**
 * Events: what happened, as Stripe records it. `emit` makes an event — a snapshot of the object at
 * that moment, api_version = Stripe.API_VERSION, livemode false, the request that caused it (null
 * ids when it came from the checkout page or a test control) — stores it, and hands it to webhook
 * delivery. The stand-in emits checkout.session.completed, checkout.session.async_payment_succeeded
 * / _failed, checkout.session.expired and charge.refunded.
 *
 * API: GET /v1/events (type — a trailing * matches a prefix —, types[], created, paging),
 *      GET /v1/events/:id.
 */
import Stripe from 'stripe';
import { LIST_PARAMS, type Reader } from './reading.ts';
import type { StandInState } from './state.ts';
import type { StripeObject } from './types.ts';
import { arr, clone, missing, newId, onlyKnown, type RequestRef, type ResourceRoutes, str } from './wire.ts';

/** Records an event of `type` about `object` and queues its delivery; returns a copy of the event. */
export type Emit = (type: string, object: StripeObject, request?: RequestRef) => StripeObject;

export function createEmitter(state: StandInState, dispatch: (event: StripeObject) => void): Emit {
  return (type, object, request = { id: null, idempotency_key: null }) => {
    const event: StripeObject = {
      id: newId('evt_1'),
      object: 'event',
      api_version: Stripe.API_VERSION,
      created: state.seconds(),
      data: { object: clone(object) },
      livemode: false,
      pending_webhooks: 1,
      request,
      type,
    };
    state.remember(state.events, event);
    dispatch(event);
    return clone(event);
  };
}

export function eventRoutes(state: StandInState, reader: Reader): ResourceRoutes {
  const { events } = state;
  return (method, [a, b, c], params) => {
    if (a !== 'events' || method !== 'GET') return undefined;
    const only = (known: string[]) => onlyKnown(params, known);
    if (b === undefined) {
      only([...LIST_PARAMS, 'type', 'types', 'delivery_success']);
      const type = str(params.type, 'type');
      const types = arr(params.types, 'types')?.map((t) => str(t, 'types')!);
      const matches = (t: string) =>
        (type === undefined || (type.endsWith('*') ? t.startsWith(type.slice(0, -1)) : t === type)) &&
        (types === undefined || types.includes(t));
      return reader.list('/v1/events', events.values(), params, [(e) => matches(e.type as string)], 'event');
    }
    if (c === undefined) {
      only(['expand']);
      const event = events.get(b);
      if (!event) throw missing('event', b, 'id');
      return clone(event);
    }
    return undefined;
  };
}
