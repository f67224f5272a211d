/**
 * Reading objects as the API answers them: `expand` (ids replaced by the objects they name,
 * dotted paths, a charge's refunds, a session's line items) and lists
 * (`{ object: 'list', data, has_more, url }`, newest first, `limit` / `starting_after` /
 * `ending_before` / `created[gte|gt|lte|lt]`, `expand[]=data.…`). Answers are copies: the caller
 * may not change the stored objects through them.
 */
import type { FormObject } from './form.ts';
import type { StandInState } from './state.ts';
import type { StripeObject } from './types.ts';
import { clone, expandParam, int, invalid, missing, obj, onlyKnown, str } from './wire.ts';

/** The parameters every list accepts. */
export const LIST_PARAMS = ['limit', 'starting_after', 'ending_before', 'created', 'expand'];

export interface Reader {
  /** A copy of `object` with each of the `paths` expanded; 400 on a path that cannot be. */
  expand(object: StripeObject, paths: readonly string[]): StripeObject;
  /** A page of the objects of `all` that pass the `created` parameter and every filter. `kind` names them in "No such …". */
  list(
    url: string,
    all: Iterable<StripeObject>,
    params: FormObject,
    filters: Array<(o: StripeObject) => boolean>,
    kind: string,
  ): StripeObject;
}

function createdFilter(params: FormObject): (o: StripeObject) => boolean {
  const value = params.created;
  if (value === undefined) return () => true;
  if (typeof value === 'string') {
    const exact = int(value, 'created')!;
    return (o) => o.created === exact;
  }
  const range = obj(value, 'created')!;
  onlyKnown(range, ['gt', 'gte', 'lt', 'lte'], 'created[');
  const gt = int(range.gt, 'created[gt]');
  const gte = int(range.gte, 'created[gte]');
  const lt = int(range.lt, 'created[lt]');
  const lte = int(range.lte, 'created[lte]');
  return (o) => {
    const c = o.created as number;
    return (
      (gt === undefined || c > gt) && (gte === undefined || c >= gte) && (lt === undefined || c < lt) && (lte === undefined || c <= lte)
    );
  };
}

/**
 * The balance transaction of a succeeded charge, with the fee Stripe's standard EEA card pricing
 * takes (1.5 % + 0.25 €, https://stripe.com/fr/pricing, read 2026-11-30, not verified): what the
 * daily cost job reads as the payment's Stripe fee (expand `latest_charge.balance_transaction`).
 */
export function balanceTransactionOf(charge: StripeObject, id: string): StripeObject {
  const amount = charge.amount as number;
  const fee = Math.round((amount * 150) / 10_000) + 25;
  return {
    id,
    object: 'balance_transaction',
    amount,
    available_on: (charge.created as number) + 7 * 86_400,
    created: charge.created,
    currency: charge.currency,
    description: null,
    exchange_rate: null,
    fee,
    fee_details: [{ amount: fee, application: null, currency: charge.currency, description: 'Stripe processing fees', type: 'stripe_fee' }],
    net: amount - fee,
    reporting_category: 'charge',
    source: charge.id,
    status: 'pending',
    type: 'charge',
  };
}

export function createReader(state: StandInState): Reader {
  const { refunds, lineItems, intents, charges, newestFirst } = state;

  function expand(object: StripeObject, paths: readonly string[]): StripeObject {
    const out = clone(object);
    for (const path of paths) {
      const [head, ...rest] = path.split('.');
      if (!head) throw invalid(`This property cannot be expanded (${path}).`, 'expand');
      const value = out[head];
      let expanded: unknown;
      if (out.object === 'charge' && head === 'refunds') {
        const list = [...refunds.values()].filter((r) => r.charge === out.id).sort(newestFirst);
        expanded = {
          object: 'list',
          data: list.map(clone),
          has_more: false,
          total_count: list.length,
          url: `/v1/charges/${String(out.id)}/refunds`,
        };
      } else if (out.object === 'checkout.session' && head === 'line_items') {
        const list = lineItems.get(out.id as string) ?? [];
        expanded = { object: 'list', data: clone(list), has_more: false, url: `/v1/checkout/sessions/${String(out.id)}/line_items` };
      } else if (out.object === 'charge' && head === 'balance_transaction' && typeof value === 'string') {
        expanded = balanceTransactionOf(out, value);
      } else if (typeof value === 'string' && ['payment_intent', 'latest_charge', 'charge'].includes(head)) {
        const target = intents.get(value) ?? charges.get(value);
        if (!target) throw invalid(`This property cannot be expanded (${path}).`, 'expand');
        expanded = target;
      } else if (value === null && ['payment_intent', 'latest_charge', 'charge'].includes(head)) {
        continue;
      } else if (value !== null && typeof value === 'object' && rest.length > 0) {
        expanded = value;
      } else {
        throw invalid(`This property cannot be expanded (${path}).`, 'expand');
      }
      out[head] =
        rest.length > 0 && expanded && typeof expanded === 'object' && (expanded as StripeObject).object !== 'list'
          ? expand(expanded as StripeObject, [rest.join('.')])
          : clone(expanded);
    }
    return out;
  }

  function list(
    url: string,
    all: Iterable<StripeObject>,
    params: FormObject,
    filters: Array<(o: StripeObject) => boolean>,
    kind: string,
  ): StripeObject {
    const limit = int(params.limit, 'limit', 1) ?? 10;
    if (limit > 100) throw invalid('This value must be less than or equal to 100.', 'limit');
    const startingAfter = str(params.starting_after, 'starting_after');
    const endingBefore = str(params.ending_before, 'ending_before');
    if (startingAfter && endingBefore)
      throw invalid('You may only specify one of these parameters: ending_before, starting_after.', 'starting_after');
    const created = createdFilter(params);
    const items = [...all].filter((o) => created(o) && filters.every((f) => f(o))).sort(newestFirst);
    let page: StripeObject[];
    let hasMore: boolean;
    if (startingAfter) {
      const at = items.findIndex((o) => o.id === startingAfter);
      if (at < 0) throw missing(kind, startingAfter, 'starting_after');
      page = items.slice(at + 1, at + 1 + limit);
      hasMore = at + 1 + limit < items.length;
    } else if (endingBefore) {
      const at = items.findIndex((o) => o.id === endingBefore);
      if (at < 0) throw missing(kind, endingBefore, 'ending_before');
      page = items.slice(Math.max(0, at - limit), at);
      hasMore = at - limit > 0;
    } else {
      page = items.slice(0, limit);
      hasMore = limit < items.length;
    }
    const paths = expandParam(params).map((p) => {
      if (!p.startsWith('data.'))
        throw invalid(`This property cannot be expanded (${p}). You may want to try expanding 'data.${p}' instead.`, 'expand');
      return p.slice('data.'.length);
    });
    return { object: 'list', data: page.map((o) => expand(o, paths)), has_more: hasMore, url };
  }

  return { expand, list };
}
