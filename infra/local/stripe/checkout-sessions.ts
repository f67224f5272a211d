/**
 * Checkout Sessions (mode=payment, hosted UI, `price_data` line items only). Creation checks the
 * parameters as Stripe does (unknown ones, amounts, one currency, minimum amount, URLs, e-mail,
 * expires_at between 30 minutes and 24 hours) and offers the account's dynamic payment methods
 * (card, and SEPA debit in euros) filtered by allowed_ / excluded_payment_method_types. An open
 * session past its expires_at turns expired (checkout.session.expired) when next looked at.
 * Paying one is in payments.ts; its page in checkout-page.ts.
 *
 * API: POST /v1/checkout/sessions            GET /v1/checkout/sessions (status, payment_intent, created, paging)
 *      GET  /v1/checkout/sessions/:id        GET /v1/checkout/sessions/:id/line_items
 *      POST /v1/checkout/sessions/:id/expire
 */
import type { Emit } from './events.ts';
import type { FormObject } from './form.ts';
import { LIST_PARAMS, type Reader } from './reading.ts';
import type { StandInState } from './state.ts';
import type { StripeObject } from './types.ts';
import {
  arr,
  euros,
  expandParam,
  int,
  invalid,
  metadataParam,
  missing,
  newId,
  obj,
  onlyKnown,
  randomId,
  type ResourceRoutes,
  str,
} from './wire.ts';

const SESSION_CREATE_PARAMS = [
  'mode',
  'line_items',
  'success_url',
  'cancel_url',
  'metadata',
  'client_reference_id',
  'customer_email',
  'allowed_payment_method_types',
  'excluded_payment_method_types',
  'locale',
  'expand',
  'payment_intent_data',
  'expires_at',
  'submit_type',
  'customer_creation',
  'billing_address_collection',
  'ui_mode',
] as const;
/** The payment methods "enabled in the dashboard" of the stand-in's account (dynamic payment methods). */
const DYNAMIC_METHODS = ['card', 'sepa_debit'];
/** Stripe's minimum charge amounts of the currencies the stand-in knows (in the smallest unit). */
const MINIMUM_AMOUNT: Record<string, number> = { eur: 50, usd: 50, gbp: 30, chf: 50 };

export interface CheckoutSessions {
  /** The stored session (not a copy); 404 resource_missing naming `param` when there is none. */
  sessionOf(id: string, param?: string): StripeObject;
  /** An open session whose expires_at has come becomes expired, with its checkout.session.expired event. */
  expireIfDue(session: StripeObject): void;
  readonly routes: ResourceRoutes;
}

export function checkoutSessions(deps: {
  readonly state: StandInState;
  readonly emit: Emit;
  readonly reader: Reader;
  /** Base of the page links (`session.url`), read at creation. */
  readonly pageBaseUrl: () => string;
}): CheckoutSessions {
  const { state, emit, reader } = deps;
  const { sessions, lineItems, intentMetadata, seconds, remember } = state;

  function sessionOf(id: string, param = 'session'): StripeObject {
    const session = sessions.get(id);
    if (!session) throw missing('checkout.session', id, param);
    return session;
  }

  function createSession(params: FormObject): StripeObject {
    onlyKnown(params, SESSION_CREATE_PARAMS);
    const mode = str(params.mode, 'mode');
    if (mode === undefined) throw invalid('Missing required param: mode.', 'mode');
    if (mode !== 'payment') throw invalid(`The stand-in supports mode=payment only, not ${mode}.`, 'mode');
    const uiMode = str(params.ui_mode, 'ui_mode');
    if (uiMode !== undefined && uiMode !== 'hosted') throw invalid(`The stand-in supports ui_mode=hosted only.`, 'ui_mode');
    const items = arr(params.line_items, 'line_items');
    if (!items || items.length === 0) throw invalid('You must specify either `line_items` or `prices` in `payment` mode.', 'line_items');
    let currency: string | undefined;
    let total = 0;
    const lines: StripeObject[] = items.map((raw, index) => {
      const p = `line_items[${index}]`;
      const item = obj(raw, p) ?? {};
      onlyKnown(item, ['price_data', 'quantity', 'price'], `${p}[`);
      if (item.price !== undefined) throw invalid('The stand-in supports price_data only (no Price objects).', `${p}[price]`);
      const priceData = obj(item.price_data, `${p}[price_data]`);
      if (!priceData) throw invalid(`Missing required param: ${p}[price_data].`, `${p}[price_data]`);
      onlyKnown(priceData, ['currency', 'unit_amount', 'product_data', 'tax_behavior'], `${p}[price_data][`);
      const lineCurrency = str(priceData.currency, `${p}[price_data][currency]`)?.toLowerCase();
      if (!lineCurrency) throw invalid(`Missing required param: ${p}[price_data][currency].`, `${p}[price_data][currency]`);
      if (currency !== undefined && currency !== lineCurrency)
        throw invalid('All line items must use the same currency.', `${p}[price_data][currency]`);
      currency = lineCurrency;
      const unitAmount = int(priceData.unit_amount, `${p}[price_data][unit_amount]`);
      if (unitAmount === undefined)
        throw invalid(`Missing required param: ${p}[price_data][unit_amount].`, `${p}[price_data][unit_amount]`);
      const productData = obj(priceData.product_data, `${p}[price_data][product_data]`);
      const name = productData ? str(productData.name, `${p}[price_data][product_data][name]`) : undefined;
      if (!name) throw invalid(`Missing required param: ${p}[price_data][product_data][name].`, `${p}[price_data][product_data][name]`);
      const quantity = int(item.quantity, `${p}[quantity]`, 1);
      if (quantity === undefined) throw invalid(`Missing required param: ${p}[quantity].`, `${p}[quantity]`);
      total += unitAmount * quantity;
      return {
        id: newId('li_1'),
        object: 'item',
        amount_discount: 0,
        amount_subtotal: unitAmount * quantity,
        amount_tax: 0,
        amount_total: unitAmount * quantity,
        currency: lineCurrency,
        description: name,
        price: {
          id: newId('price_1'),
          object: 'price',
          active: false,
          currency: lineCurrency,
          type: 'one_time',
          unit_amount: unitAmount,
          product: newId('prod_'),
        },
        quantity,
      };
    });
    const cur = currency!;
    const minimum = MINIMUM_AMOUNT[cur] ?? 50;
    if (total < minimum)
      throw invalid(`The Checkout Session's total amount due must add up to at least ${euros(minimum, cur)}`, 'line_items');
    if (total > 99_999_999) throw invalid('Amount must be no more than 999,999.99', 'line_items');
    // Since API version 2026-09-30.endive (the SDK's pinned one) `payment_method_types` is no longer
    // a create parameter: dynamic payment methods, filtered by allowed_ / excluded_payment_method_types.
    const allowed = arr(params.allowed_payment_method_types, 'allowed_payment_method_types')?.map(
      (m, i) => str(m, `allowed_payment_method_types[${i}]`)!,
    );
    const excluded =
      arr(params.excluded_payment_method_types, 'excluded_payment_method_types')?.map(
        (m, i) => str(m, `excluded_payment_method_types[${i}]`)!,
      ) ?? [];
    if (allowed && excluded.length)
      throw invalid(
        'You may only specify one of these parameters: allowed_payment_method_types, excluded_payment_method_types.',
        'allowed_payment_method_types',
      );
    const eligible = DYNAMIC_METHODS.filter((m) => m !== 'sepa_debit' || cur === 'eur');
    const methods = eligible.filter((m) => (allowed ? allowed.includes(m) : true) && !excluded.includes(m));
    if (methods.length === 0)
      throw invalid(
        'None of the payment method types allowed for this Checkout Session can be used with its currency and amount.',
        allowed ? 'allowed_payment_method_types' : 'excluded_payment_method_types',
      );
    const successUrl = str(params.success_url, 'success_url');
    const cancelUrl = str(params.cancel_url, 'cancel_url');
    for (const [name, value] of [
      ['success_url', successUrl],
      ['cancel_url', cancelUrl],
    ] as const) {
      if (value !== undefined && !/^https?:\/\/[^\s]+$/i.test(value)) throw invalid('Not a valid URL', name);
    }
    const clientReference = str(params.client_reference_id, 'client_reference_id');
    if (clientReference !== undefined && clientReference.length > 200)
      throw invalid('client_reference_id must be at most 200 characters.', 'client_reference_id');
    const email = str(params.customer_email, 'customer_email');
    if (email !== undefined && !/^[^\s@]+@[^\s@]+$/.test(email)) throw invalid(`Invalid email address: ${email}`, 'customer_email');
    const intentData = obj(params.payment_intent_data, 'payment_intent_data');
    if (intentData)
      onlyKnown(
        intentData,
        ['metadata', 'description', 'receipt_email', 'statement_descriptor', 'statement_descriptor_suffix'],
        'payment_intent_data[',
      );
    const created = seconds();
    const expiresAt = int(params.expires_at, 'expires_at') ?? created + 24 * 3600;
    if (expiresAt < created + 30 * 60 || expiresAt > created + 24 * 3600)
      throw invalid('The `expires_at` timestamp must be between 30 minutes and 24 hours from Checkout Session creation.', 'expires_at');
    const id = `cs_test_${randomId(58)}`;
    const session = remember(sessions, {
      id,
      object: 'checkout.session',
      adaptive_pricing: { enabled: false },
      after_expiration: null,
      allow_promotion_codes: null,
      allowed_payment_method_types: allowed ?? null,
      amount_subtotal: total,
      amount_total: total,
      automatic_tax: { enabled: false, liability: null, provider: null, status: null },
      billing_address_collection: str(params.billing_address_collection, 'billing_address_collection') ?? null,
      cancel_url: cancelUrl ?? null,
      client_reference_id: clientReference ?? null,
      client_secret: null,
      collected_information: null,
      consent: null,
      consent_collection: null,
      created,
      currency: cur,
      currency_conversion: null,
      custom_fields: [],
      custom_text: { after_submit: null, shipping_address: null, submit: null, terms_of_service_acceptance: null },
      customer: null,
      customer_creation: str(params.customer_creation, 'customer_creation') ?? 'if_required',
      customer_details: email ? { address: null, email, name: null, phone: null, tax_exempt: 'none', tax_ids: null } : null,
      customer_email: email ?? null,
      discounts: [],
      ...(excluded.length ? { excluded_payment_method_types: excluded } : {}),
      expires_at: expiresAt,
      invoice: null,
      invoice_creation: {
        enabled: false,
        invoice_data: {
          account_tax_ids: null,
          custom_fields: null,
          description: null,
          footer: null,
          issuer: null,
          metadata: {},
          rendering_options: null,
        },
      },
      livemode: false,
      locale: str(params.locale, 'locale') ?? null,
      metadata: metadataParam(params.metadata, 'metadata') ?? {},
      mode: 'payment',
      payment_intent: null,
      payment_link: null,
      payment_method_collection: 'if_required',
      payment_method_configuration_details: null,
      payment_method_options: {},
      payment_method_types: methods,
      payment_status: 'unpaid',
      phone_number_collection: { enabled: false },
      recovered_from: null,
      saved_payment_method_options: null,
      setup_intent: null,
      shipping_address_collection: null,
      shipping_cost: null,
      shipping_options: [],
      status: 'open',
      submit_type: str(params.submit_type, 'submit_type') ?? null,
      subscription: null,
      success_url: successUrl ?? null,
      total_details: { amount_discount: 0, amount_shipping: 0, amount_tax: 0 },
      ui_mode: 'hosted',
      url: `${deps.pageBaseUrl().replace(/\/+$/, '')}/pay/${id}`,
      wallet_options: null,
    });
    lineItems.set(id, lines);
    intentMetadata.set(id, intentData ? (metadataParam(intentData.metadata, 'payment_intent_data[metadata]') ?? {}) : {});
    return session;
  }

  function expireIfDue(session: StripeObject): void {
    if (session.status === 'open' && seconds() >= (session.expires_at as number)) {
      session.status = 'expired';
      session.url = null;
      emit('checkout.session.expired', session);
    }
  }

  const routes: ResourceRoutes = (method, [a, b, c, d], params, request) => {
    if (a !== 'checkout' || b !== 'sessions') return undefined;
    const only = (known: string[]) => onlyKnown(params, known);
    if (method === 'POST' && c === undefined) {
      const expandPaths = expandParam(params);
      return reader.expand(createSession(params), expandPaths);
    }
    if (method === 'GET' && c === undefined) {
      only([...LIST_PARAMS, 'status', 'payment_intent']);
      const status = str(params.status, 'status');
      const intent = str(params.payment_intent, 'payment_intent');
      for (const s of sessions.values()) expireIfDue(s);
      return reader.list(
        '/v1/checkout/sessions',
        sessions.values(),
        params,
        [(s) => status === undefined || s.status === status, (s) => intent === undefined || s.payment_intent === intent],
        'checkout.session',
      );
    }
    if (method === 'GET' && c && d === undefined) {
      only(['expand']);
      const session = sessionOf(c);
      expireIfDue(session);
      return reader.expand(session, expandParam(params));
    }
    if (method === 'GET' && c && d === 'line_items') {
      only(['limit', 'starting_after', 'ending_before', 'expand']);
      sessionOf(c);
      return reader.list(`/v1/checkout/sessions/${c}/line_items`, lineItems.get(c) ?? [], params, [], 'item');
    }
    if (method === 'POST' && c && d === 'expire') {
      only(['expand']);
      const session = sessionOf(c);
      if (session.status !== 'open')
        throw invalid(
          `Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of "${String(session.status)}".`,
          undefined,
          'checkout_session_inactive',
        );
      session.status = 'expired';
      session.url = null;
      emit('checkout.session.expired', session, request);
      return reader.expand(session, expandParam(params));
    }
    return undefined;
  };

  return { sessionOf, expireIfDue, routes };
}
