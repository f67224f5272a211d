/**
 * The stand-in's memory: every object it created, by kind and id, and Stripe's clock. Nothing
 * else keeps objects: a restart forgets them (one account, test mode). Objects are stored as
 * mutable Stripe JSON (`StripeObject`) and handed out as copies by the readers.
 *
 *   sessions        cs_test_… → checkout.session
 *   lineItems       cs_test_… → its line items (`item` objects), read by expand / GET …/line_items
 *   intentMetadata  cs_test_… → payment_intent_data[metadata], copied to its PaymentIntent
 *   intents         pi_…      → payment_intent
 *   charges         ch_…      → charge
 *   refunds         re_…      → refund
 *   events          evt_…     → event
 *
 * Lists are newest first: by `created`, then by creation order (`remember` numbers every object).
 */
import type { StripeObject } from './types.ts';

export interface StandInState {
  /** Stripe's clock in milliseconds. */
  readonly now: () => number;
  /** The same clock in whole seconds, the unit of `created` and of signature timestamps. */
  readonly seconds: () => number;
  readonly sessions: Map<string, StripeObject>;
  readonly lineItems: Map<string, StripeObject[]>;
  /** payment_intent_data[metadata] of each session: the PaymentIntent's metadata (the session's own is not copied). */
  readonly intentMetadata: Map<string, Record<string, string>>;
  readonly intents: Map<string, StripeObject>;
  readonly charges: Map<string, StripeObject>;
  readonly refunds: Map<string, StripeObject>;
  readonly events: Map<string, StripeObject>;
  /** Stores a new object under its id and numbers it (creation order); returns it. */
  remember<T extends StripeObject>(map: Map<string, T>, object: T): T;
  /** Sort order of lists: newest `created` first, then the later created first. */
  newestFirst(a: StripeObject, b: StripeObject): number;
}

export function createState(now: () => number): StandInState {
  let seq = 0;
  const order = new WeakMap<StripeObject, number>();
  return {
    now,
    seconds: () => Math.floor(now() / 1000),
    sessions: new Map(),
    lineItems: new Map(),
    intentMetadata: new Map(),
    intents: new Map(),
    charges: new Map(),
    refunds: new Map(),
    events: new Map(),
    remember<T extends StripeObject>(map: Map<string, T>, object: T): T {
      order.set(object, ++seq);
      map.set(object.id as string, object);
      return object;
    },
    newestFirst: (a, b) => (b.created as number) - (a.created as number) || (order.get(b) ?? 0) - (order.get(a) ?? 0),
  };
}
