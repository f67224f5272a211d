/**
 * An embedded, in-memory stand-in for the part of the Stripe API the back office uses, so the
 * official `stripe` SDK works offline unchanged (pointed here with its host / port / protocol
 * options; see infra/local/adapters.ts). It speaks Stripe's wire format: form-encoded parameters
 * with bracketed keys, `Authorization: Bearer <key>`, `Idempotency-Key` (same key + same request →
 * the saved response, replayed; same key + other parameters → 400 `idempotency_error`),
 * `Stripe-Version` accepted and echoed, `request-id` on every answer, errors as
 * `{ error: { type, code?, message, param? } }`, lists as `{ object: 'list', data, has_more, url }`
 * (newest first, `limit` / `starting_after` / `ending_before` / `created[gte|gt|lte|lt]`), `expand`.
 *
 * API (all under /v1, authenticated):
 *   POST /checkout/sessions              mode=payment with price_data line items
 *   GET  /checkout/sessions/:id          GET /checkout/sessions (created, status, payment_intent)
 *   POST /checkout/sessions/:id/expire
 *   GET  /payment_intents/:id            GET /charges/:id    GET /charges?payment_intent=
 *   POST /refunds (payment_intent | charge, amount)   GET /refunds/:id
 *   GET  /events/:id                     GET /events (type, created)
 * Anything else: 404 "Unrecognized request URL", in Stripe's error shape.
 *
 * The hosted checkout page, `GET /pay/<cs_id>` (French, no JavaScript): « Payer par carte »
 * (succeeds), « Simuler un refus » (card declined; the session stays open), « Payer par prélèvement
 * (en cours de traitement) » (SEPA debit: the session completes unpaid, the payment is processing
 * until `settleDebit`). Pay and debit redirect (303) to the session's success_url with
 * {CHECKOUT_SESSION_ID} replaced; « Retour » goes to cancel_url.
 *
 * Events (snapshots of the object at that moment, api_version = Stripe.API_VERSION, livemode
 * false): checkout.session.completed, checkout.session.async_payment_succeeded / _failed,
 * checkout.session.expired, charge.refunded. Each is POSTed to the webhook URL, pretty-printed
 * JSON as Stripe sends it, signed with the SDK's own `Stripe.webhooks.generateTestHeaderString`
 * (a fresh signature per attempt), asynchronously, retried on a non-2xx answer or a network error
 * with a bounded backoff. Test controls: see `StripeStandIn`.
 *
 * Not Stripe: state lives in memory (a restart forgets it); one account; test mode only; no
 * customers, prices, payment methods or other payment flows than the three above.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import Stripe from 'stripe';

// ---- Form-encoded parameters (Stripe's wire format) ------------------------------------------

export type FormValue = string | FormValue[] | { [key: string]: FormValue };
export type FormObject = { [key: string]: FormValue };

export class FormParseError extends Error {
  readonly param: string;
  constructor(message: string, param: string) {
    super(message);
    this.name = 'FormParseError';
    this.param = param;
  }
}

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);
const MAX_DEPTH = 8;
const MAX_PARAMS = 2000;
const MAX_INDEX = 1000;

/** `a[b][0][c]` → ['a', 'b', '0', 'c']; `a[]` → ['a', '']; throws on a malformed key. */
export function splitKey(key: string): string[] {
  const open = key.indexOf('[');
  if (open < 0) return [key];
  const segments = [key.slice(0, open)];
  let rest = key.slice(open);
  while (rest.length > 0) {
    const match = /^\[([^[\]]*)\]/.exec(rest);
    if (!match) throw new FormParseError(`Invalid parameter name: ${key}`, key);
    segments.push(match[1]!);
    rest = rest.slice(match[0].length);
  }
  return segments;
}

const isIndex = (segment: string) => segment === '' || /^\d{1,4}$/.test(segment);

/**
 * Parses a form-encoded string into nested objects and arrays. Numeric (or empty) segments make
 * arrays, in index order, gaps closed (as Stripe reads them). Conflicting shapes (`a=1&a[b]=2`)
 * and prototype keys are refused.
 */
export function parseStripeForm(text: string): FormObject {
  const root: FormObject = {};
  // Arrays are collected as index → value maps, turned into arrays at the end.
  const sparse = new WeakMap<object, Map<number, FormValue>>();
  let count = 0;
  for (const [key, value] of new URLSearchParams(text)) {
    if (++count > MAX_PARAMS) throw new FormParseError('Too many parameters', key);
    const segments = splitKey(key);
    if (segments.length > MAX_DEPTH) throw new FormParseError(`Parameter nested too deeply: ${key}`, key);
    if (segments[0] === '') throw new FormParseError(`Invalid parameter name: ${key}`, key);
    let container: FormObject | FormValue[] = root;
    for (let i = 0; i < segments.length; i++) {
      const segment = segments[i]!;
      if (FORBIDDEN.has(segment)) throw new FormParseError(`Invalid parameter name: ${key}`, key);
      const last = i === segments.length - 1;
      const nextIsIndex = !last && isIndex(segments[i + 1]!);
      const make = (): FormValue => (last ? value : nextIsIndex ? [] : {});
      if (Array.isArray(container)) {
        const slots = sparse.get(container)!;
        const index = segment === '' ? (slots.size === 0 ? 0 : Math.max(...slots.keys()) + 1) : Number(segment);
        if (!isIndex(segment) || index > MAX_INDEX) throw new FormParseError(`Invalid array index in ${key}`, key);
        let child = slots.get(index);
        if (child === undefined || last) {
          if (child !== undefined && last) throw new FormParseError(`Duplicate parameter: ${key}`, key);
          child = make();
          slots.set(index, child);
          if (Array.isArray(child)) sparse.set(child, new Map());
        }
        if (!last) {
          if (typeof child === 'string' || Array.isArray(child) !== nextIsIndex)
            throw new FormParseError(`Conflicting parameter: ${key}`, key);
          container = child as FormObject | FormValue[];
        }
      } else {
        let child: FormValue | undefined = Object.hasOwn(container, segment) ? container[segment] : undefined;
        if (child === undefined) {
          child = make();
          container[segment] = child;
          if (Array.isArray(child)) sparse.set(child, new Map());
        } else if (last) {
          throw new FormParseError(`Duplicate parameter: ${key}`, key);
        }
        if (!last) {
          if (typeof child === 'string' || Array.isArray(child) !== nextIsIndex)
            throw new FormParseError(`Conflicting parameter: ${key}`, key);
          container = child as FormObject | FormValue[];
        }
      }
    }
  }
  const finish = (value: FormValue): FormValue => {
    if (typeof value === 'string') return value;
    if (Array.isArray(value)) {
      const slots = sparse.get(value)!;
      return [...slots.entries()].sort(([a], [b]) => a - b).map(([, v]) => finish(v));
    }
    const out: FormObject = {};
    for (const [k, v] of Object.entries(value)) out[k] = finish(v);
    return out;
  };
  return finish(root) as FormObject;
}

// ---- Public shapes ----------------------------------------------------------------------------

export interface StripeStandInOptions {
  /** Where events are POSTed (a function when known later; '' or undefined: events are only recorded). */
  readonly webhookUrl?: string | (() => string);
  /** Base of the checkout page links (`session.url`); default this server's URL. */
  readonly publicBaseUrl?: string;
  /** Port on 127.0.0.1; default 0 (any free port). */
  readonly port?: number;
  /** Stripe's clock in milliseconds: `created` fields and webhook signature timestamps. Default Date.now. */
  readonly now?: () => number;
  /** Default: a random sk_test_standin_… key. */
  readonly apiKey?: string;
  /** Default: a random whsec_… secret. */
  readonly webhookSecret?: string;
  /** Waits before each retry of a delivery answered non-2xx (or failed); default [100, 400, 1600] ms (4 attempts). */
  readonly retryDelaysMs?: readonly number[];
  /** Per-attempt timeout of a webhook delivery; default 10 000 ms. */
  readonly deliveryTimeoutMs?: number;
}

/** One webhook delivery attempt, as the stand-in made it. */
export interface WebhookDelivery {
  readonly eventId: string;
  readonly type: string;
  /** 1 for the first attempt of a delivery, then 2, 3… for its retries. */
  readonly attempt: number;
  /** HTTP status answered; null when the request failed (connection refused, timeout). */
  readonly status: number | null;
  readonly ok: boolean;
  readonly error?: string;
  /** True for the deliveries started by `redeliver`. */
  readonly redelivery: boolean;
  /** The Stripe-Signature header sent. */
  readonly signature: string;
  readonly at: number;
}

/** One API request as the stand-in received it (never the API key). */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  /** Parsed form body (POST) or query string (GET), nested as Stripe reads it. */
  readonly params: FormObject;
  readonly idempotencyKey?: string;
  readonly stripeVersion?: string;
  readonly contentType?: string;
  readonly authorized: boolean;
  readonly status: number;
  readonly requestId: string;
  /** True when the answer is a saved idempotent response. */
  readonly replayed: boolean;
}

export type StripeObject = Record<string, unknown>;

export interface StripeStandIn {
  /** http://127.0.0.1:<port> — the SDK's host/port/protocol. */
  readonly url: string;
  readonly port: number;
  /** The one API key accepted (sk_test_standin_…). */
  readonly apiKey: string;
  /** The secret that signs webhook deliveries (whsec_…). */
  readonly webhookSecret: string;
  /** Stops listening and abandons pending deliveries and retries. */
  stop(): Promise<void>;
  /** Resolves when no webhook delivery (first attempt, retry or redelivery) is pending. */
  idle(): Promise<void>;
  /** Every event created so far, oldest first (dropped ones included). */
  events(): StripeObject[];
  /** Every delivery attempt so far, in order. */
  deliveries(): WebhookDelivery[];
  /** Ids of the events that `dropNextWebhook` kept from delivery. */
  dropped(): string[];
  /** API requests received so far (checkout pages and controls excluded). */
  requests(): RecordedRequest[];
  /** The next `count` events (default 1) are recorded but never delivered. */
  dropNextWebhook(count?: number): void;
  /** Delivers an already created event again, `times` deliveries at once (each with its retries). */
  redeliver(eventId: string, times?: number): Promise<WebhookDelivery[]>;
  /** Ends a processing SEPA debit: `checkout.session.async_payment_succeeded` or `…_failed`. Returns the event. */
  settleDebit(sessionId: string, outcome: 'succeeded' | 'failed'): StripeObject;
  /** What the checkout page buttons do, without the page: returns the event made (none for 'decline'). */
  pay(sessionId: string, method: 'card' | 'decline' | 'debit'): StripeObject | undefined;
  /**
   * The next `count` API requests fail: with this HTTP status (api_error), or 'connection' (socket
   * destroyed). The SDK retries a closed connection once even with maxNetworkRetries 0, and retries
   * 5xx up to maxNetworkRetries: to make a call fail, count = maxNetworkRetries + 2 (connection) or + 1 (status).
   */
  failNextRequests(count: number, failure?: number | 'connection'): void;
  /** The current state of a session (a copy), or undefined. */
  session(id: string): StripeObject | undefined;
  paymentIntent(id: string): StripeObject | undefined;
  charge(id: string): StripeObject | undefined;
}

// ---- Helpers ------------------------------------------------------------------------------------

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
function randomId(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const byte of bytes) out += BASE62[byte % 62];
  return out;
}
const newId = (prefix: string, length = 24) => `${prefix}${randomId(length)}`;

const clone = <T>(value: T): T => structuredClone(value);

class ApiError extends Error {
  readonly status: number;
  readonly body: StripeObject;
  constructor(status: number, body: { type: string; message: string; code?: string; param?: string; decline_code?: string }) {
    super(body.message);
    this.status = status;
    this.body = { ...body, ...(body.code ? { doc_url: `https://stripe.com/docs/error-codes/${body.code.replace(/_/g, '-')}` } : {}) };
  }
}

const invalid = (message: string, param?: string, code?: string) =>
  new ApiError(400, { type: 'invalid_request_error', message, ...(param ? { param } : {}), ...(code ? { code } : {}) });
const missing = (kind: string, id: string, param: string) =>
  new ApiError(404, { type: 'invalid_request_error', code: 'resource_missing', message: `No such ${kind}: '${id}'`, param });

const str = (value: FormValue | undefined, param: string): string | undefined => {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw invalid(`Invalid string: ${param}`, param);
  return value;
};
const int = (value: FormValue | undefined, param: string, min = 0): number | undefined => {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^-?\d{1,15}$/.test(value))
    throw invalid(`Invalid integer: ${typeof value === 'string' ? value : '(object)'}`, param);
  const n = Number(value);
  if (n < min) throw invalid(`This value must be greater than or equal to ${min}.`, param);
  return n;
};
const obj = (value: FormValue | undefined, param: string): FormObject | undefined => {
  if (value === undefined) return undefined;
  if (typeof value === 'string') {
    if (value === '') return {};
    throw invalid(`Invalid object`, param);
  }
  if (Array.isArray(value)) throw invalid(`Invalid object`, param);
  return value;
};
const arr = (value: FormValue | undefined, param: string): FormValue[] | undefined => {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) throw invalid(`Invalid array`, param);
  return value;
};
function onlyKnown(params: FormObject, known: readonly string[], prefix = ''): void {
  for (const key of Object.keys(params)) {
    if (!known.includes(key)) throw invalid(`Received unknown parameter: ${prefix}${key}`, `${prefix}${key}`);
  }
}
function metadataParam(value: FormValue | undefined, param: string): Record<string, string> | undefined {
  const m = obj(value, param);
  if (!m) return undefined;
  const out: Record<string, string> = {};
  const keys = Object.keys(m);
  if (keys.length > 50) throw invalid('Metadata can have up to 50 keys.', param);
  for (const key of keys) {
    const v = m[key];
    if (typeof v !== 'string') throw invalid(`Invalid metadata value for ${key}`, `${param}[${key}]`);
    if (key.length > 40) throw invalid(`Metadata keys can have up to 40 characters.`, `${param}[${key}]`);
    if (v.length > 500) throw invalid(`Metadata values can have up to 500 characters.`, `${param}[${key}]`);
    if (v !== '') out[key] = v;
  }
  return out;
}
function expandParam(params: FormObject): string[] {
  const value = params.expand;
  if (value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map((v) => {
    if (typeof v !== 'string') throw invalid('Invalid expand', 'expand');
    return v;
  });
}

const euros = (cents: number, currency: string) =>
  new Intl.NumberFormat('fr-FR', { style: 'currency', currency: currency.toUpperCase() }).format(cents / 100);
const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const MAX_BODY = 1024 * 1024;
function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(invalid('Request body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** POSTs a body with no connection reuse (node:http / node:https), bounded by a timeout. */
async function post(
  target: string,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<number> {
  const url = new URL(target);
  const { request } = url.protocol === 'https:' ? await import('node:https') : await import('node:http');
  return new Promise<number>((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        agent: false,
        timeout: timeoutMs,
        signal,
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(body);
  });
}

// ---- The stand-in ---------------------------------------------------------------------------------

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

export async function startStripeStandIn(options: StripeStandInOptions = {}): Promise<StripeStandIn> {
  const now = options.now ?? Date.now;
  const seconds = () => Math.floor(now() / 1000);
  const apiKey = options.apiKey ?? `sk_test_standin_${randomId(24)}`;
  const webhookSecret = options.webhookSecret ?? `whsec_${randomBytes(24).toString('base64url')}`;
  const retryDelays = options.retryDelaysMs ?? [100, 400, 1600];
  const deliveryTimeout = options.deliveryTimeoutMs ?? 10_000;
  const webhookTarget = () => (typeof options.webhookUrl === 'function' ? options.webhookUrl() : options.webhookUrl) ?? '';

  let seq = 0;
  const sessions = new Map<string, StripeObject>();
  const lineItems = new Map<string, StripeObject[]>();
  const intents = new Map<string, StripeObject>();
  const charges = new Map<string, StripeObject>();
  const refunds = new Map<string, StripeObject>();
  const events = new Map<string, StripeObject>();
  /** payment_intent_data[metadata] of each session: the PaymentIntent's metadata (the session's own is not copied). */
  const intentMetadata = new Map<string, Record<string, string>>();
  const order = new WeakMap<StripeObject, number>();
  const idempotency = new Map<string, { fingerprint: string; status: number; body: string }>();
  const deliveries: WebhookDelivery[] = [];
  const droppedIds: string[] = [];
  const recorded: RecordedRequest[] = [];
  const pending = new Set<Promise<unknown>>();
  const timers = new Set<{ timer: NodeJS.Timeout; done: () => void }>();
  const stopController = new AbortController();
  let dropNext = 0;
  let failures: Array<number | 'connection'> = [];
  let stopped = false;
  let baseUrl = '';

  const remember = <T extends StripeObject>(map: Map<string, T>, object: T): T => {
    order.set(object, ++seq);
    map.set(object.id as string, object);
    return object;
  };

  // ---- Events and deliveries ----

  const sleep = (ms: number) =>
    new Promise<void>((done) => {
      if (stopped) return done();
      const entry = {
        timer: setTimeout(() => {
          timers.delete(entry);
          done();
        }, ms),
        done,
      };
      timers.add(entry);
    });

  const track = <T>(promise: Promise<T>): Promise<T> => {
    pending.add(promise);
    void promise.finally(() => pending.delete(promise)).catch(() => undefined);
    return promise;
  };

  async function deliver(event: StripeObject, redelivery: boolean): Promise<WebhookDelivery> {
    const payload = JSON.stringify(event, null, 2);
    let last: WebhookDelivery | undefined;
    for (let attempt = 1; ; attempt++) {
      const target = webhookTarget();
      if (stopped || !target) {
        return (
          last ?? {
            eventId: event.id as string,
            type: event.type as string,
            attempt,
            status: null,
            ok: false,
            error: stopped ? 'stopped' : 'no webhook URL',
            redelivery,
            signature: '',
            at: now(),
          }
        );
      }
      const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret: webhookSecret, timestamp: seconds() });
      let status: number | null = null;
      let error: string | undefined;
      try {
        status = await post(
          target,
          {
            'content-type': 'application/json; charset=utf-8',
            'stripe-signature': signature,
            'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
            'cache-control': 'no-cache',
          },
          payload,
          deliveryTimeout,
          stopController.signal,
        );
      } catch (e) {
        error = e instanceof Error ? ((e as NodeJS.ErrnoException).code ?? e.message) : String(e);
      }
      const ok = status !== null && status >= 200 && status < 300;
      last = {
        eventId: event.id as string,
        type: event.type as string,
        attempt,
        status,
        ok,
        ...(error ? { error } : {}),
        redelivery,
        signature,
        at: now(),
      };
      deliveries.push(last);
      if (ok || attempt > retryDelays.length || stopped) return last;
      await sleep(retryDelays[attempt - 1]!);
    }
  }

  function emit(
    type: string,
    object: StripeObject,
    request: { id: string | null; idempotency_key: string | null } = { id: null, idempotency_key: null },
  ): StripeObject {
    const event: StripeObject = {
      id: newId('evt_1'),
      object: 'event',
      api_version: Stripe.API_VERSION,
      created: seconds(),
      data: { object: clone(object) },
      livemode: false,
      pending_webhooks: 1,
      request,
      type,
    };
    remember(events, event);
    if (dropNext > 0) {
      dropNext--;
      droppedIds.push(event.id as string);
    } else {
      // Asynchronous: the page or API answer never waits for the webhook.
      track(new Promise((resolve) => setImmediate(resolve)).then(() => deliver(event, false)));
    }
    return clone(event);
  }

  // ---- Objects ----

  function sessionOf(id: string, param = 'session'): StripeObject {
    const session = sessions.get(id);
    if (!session) throw missing('checkout.session', id, param);
    return session;
  }

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
      url: `${(options.publicBaseUrl ?? baseUrl).replace(/\/+$/, '')}/pay/${id}`,
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

  function createRefund(params: FormObject, request: { id: string; idempotency_key: string | null }): StripeObject {
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

  // ---- Reading: expand and lists ----

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

  const newestFirst = (a: StripeObject, b: StripeObject) =>
    (b.created as number) - (a.created as number) || (order.get(b) ?? 0) - (order.get(a) ?? 0);

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

  const listParams = ['limit', 'starting_after', 'ending_before', 'created', 'expand'];

  // ---- API routing ----

  function route(
    method: string,
    path: string,
    params: FormObject,
    request: { id: string; idempotency_key: string | null },
  ): { status: number; body: StripeObject } {
    const ok = (body: StripeObject) => ({ status: 200, body });
    const segments = path.split('/').slice(2).map(decodeURIComponent); // after /v1
    const [a, b, c, d] = segments;
    const only = (known: string[]) => onlyKnown(params, known);
    if (a === 'checkout' && b === 'sessions') {
      if (method === 'POST' && c === undefined) {
        const expandPaths = expandParam(params);
        return ok(expand(createSession(params), expandPaths));
      }
      if (method === 'GET' && c === undefined) {
        only([...listParams, 'status', 'payment_intent']);
        const status = str(params.status, 'status');
        const intent = str(params.payment_intent, 'payment_intent');
        for (const s of sessions.values()) expireIfDue(s);
        return ok(
          list(
            '/v1/checkout/sessions',
            sessions.values(),
            params,
            [(s) => status === undefined || s.status === status, (s) => intent === undefined || s.payment_intent === intent],
            'checkout.session',
          ),
        );
      }
      if (method === 'GET' && c && d === undefined) {
        only(['expand']);
        const session = sessionOf(c);
        expireIfDue(session);
        return ok(expand(session, expandParam(params)));
      }
      if (method === 'GET' && c && d === 'line_items') {
        only(['limit', 'starting_after', 'ending_before', 'expand']);
        sessionOf(c);
        return ok(list(`/v1/checkout/sessions/${c}/line_items`, lineItems.get(c) ?? [], params, [], 'item'));
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
        return ok(expand(session, expandParam(params)));
      }
    }
    if (a === 'payment_intents' && b && c === undefined && method === 'GET') {
      only(['expand', 'client_secret']);
      const intent = intents.get(b);
      if (!intent) throw missing('payment_intent', b, 'intent');
      return ok(expand(intent, expandParam(params)));
    }
    if (a === 'charges' && method === 'GET') {
      if (b === undefined) {
        only([...listParams, 'payment_intent', 'customer', 'transfer_group']);
        const intent = str(params.payment_intent, 'payment_intent');
        return ok(list('/v1/charges', charges.values(), params, [(ch) => intent === undefined || ch.payment_intent === intent], 'charge'));
      }
      if (c === undefined) {
        only(['expand']);
        const charge = charges.get(b);
        if (!charge) throw missing('charge', b, 'id');
        return ok(expand(charge, expandParam(params)));
      }
    }
    if (a === 'refunds') {
      if (method === 'POST' && b === undefined) return ok(expand(createRefund(params, request), expandParam(params)));
      if (method === 'GET' && b && c === undefined) {
        only(['expand']);
        const refund = refunds.get(b);
        if (!refund) throw missing('refund', b, 'id');
        return ok(expand(refund, expandParam(params)));
      }
      if (method === 'GET' && b === undefined) {
        only([...listParams, 'payment_intent', 'charge']);
        const intent = str(params.payment_intent, 'payment_intent');
        const charge = str(params.charge, 'charge');
        return ok(
          list(
            '/v1/refunds',
            refunds.values(),
            params,
            [(r) => intent === undefined || r.payment_intent === intent, (r) => charge === undefined || r.charge === charge],
            'refund',
          ),
        );
      }
    }
    if (a === 'events' && method === 'GET') {
      if (b === undefined) {
        only([...listParams, 'type', 'types', 'delivery_success']);
        const type = str(params.type, 'type');
        const types = arr(params.types, 'types')?.map((t) => str(t, 'types')!);
        const matches = (t: string) =>
          (type === undefined || (type.endsWith('*') ? t.startsWith(type.slice(0, -1)) : t === type)) &&
          (types === undefined || types.includes(t));
        return ok(list('/v1/events', events.values(), params, [(e) => matches(e.type as string)], 'event'));
      }
      if (c === undefined) {
        only(['expand']);
        const event = events.get(b);
        if (!event) throw missing('event', b, 'id');
        return ok(clone(event));
      }
    }
    throw new ApiError(404, {
      type: 'invalid_request_error',
      message: `Unrecognized request URL (${method}: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
    });
  }

  function authorize(header: string | undefined): ApiError | undefined {
    if (!header) {
      return new ApiError(401, {
        type: 'invalid_request_error',
        message:
          "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.",
      });
    }
    let given = '';
    const bearer = /^Bearer\s+(\S+)$/i.exec(header);
    const basic = /^Basic\s+(\S+)$/i.exec(header);
    if (bearer) given = bearer[1]!;
    else if (basic) given = Buffer.from(basic[1]!, 'base64').toString('utf8').split(':')[0] ?? '';
    if (given === apiKey) return undefined;
    const redacted = given.length > 12 ? `${given.slice(0, 8)}${'*'.repeat(Math.max(0, given.length - 12))}${given.slice(-4)}` : '****';
    return new ApiError(401, { type: 'invalid_request_error', message: `Invalid API Key provided: ${redacted}` });
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const requestId = `req_${randomId(14)}`;
    const method = req.method ?? 'GET';
    const idempotencyKey = typeof req.headers['idempotency-key'] === 'string' ? req.headers['idempotency-key'] : undefined;
    const stripeVersion = typeof req.headers['stripe-version'] === 'string' ? req.headers['stripe-version'] : undefined;
    const failure = failures.shift();
    if (failure === 'connection') {
      req.socket.destroy();
      return;
    }
    const body = method === 'POST' ? await readBody(req) : '';
    let status = 200;
    let payload: string;
    let params: FormObject = {};
    let replayed = false;
    const authError = authorize(req.headers.authorization);
    try {
      if (failure !== undefined)
        throw new ApiError(failure, { type: 'api_error', message: 'An unknown error occurred (simulated by the Stripe stand-in).' });
      if (authError) throw authError;
      try {
        params = parseStripeForm(method === 'POST' ? body : url.search.slice(1));
      } catch (error) {
        if (error instanceof FormParseError) throw invalid(error.message, error.param);
        throw error;
      }
      const fingerprint = `${method} ${url.pathname}\n${body}`;
      const saved = method === 'POST' && idempotencyKey ? idempotency.get(idempotencyKey) : undefined;
      if (saved && saved.fingerprint !== fingerprint) {
        throw new ApiError(400, {
          type: 'idempotency_error',
          message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idempotencyKey}' if you meant to execute a different request.`,
        });
      }
      if (saved) {
        replayed = true;
        status = saved.status;
        payload = saved.body;
      } else {
        try {
          const result = route(method, url.pathname, params, { id: requestId, idempotency_key: idempotencyKey ?? null });
          status = result.status;
          payload = JSON.stringify(result.body, null, 2);
        } catch (error) {
          if (!(error instanceof ApiError)) throw error;
          status = error.status;
          payload = JSON.stringify(
            { error: { ...error.body, request_log_url: `https://dashboard.stripe.com/test/logs/${requestId}` } },
            null,
            2,
          );
        }
        // Stripe saves the outcome once the endpoint started executing: successes and declines,
        // not refusals of the parameters.
        if (method === 'POST' && idempotencyKey && (status < 400 || status === 402))
          idempotency.set(idempotencyKey, { fingerprint, status, body: payload });
      }
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      status = error.status;
      payload = JSON.stringify(
        { error: { ...error.body, request_log_url: `https://dashboard.stripe.com/test/logs/${requestId}` } },
        null,
        2,
      );
    }
    recorded.push({
      method,
      path: url.pathname,
      params,
      ...(idempotencyKey ? { idempotencyKey } : {}),
      ...(stripeVersion ? { stripeVersion } : {}),
      ...(typeof req.headers['content-type'] === 'string' ? { contentType: req.headers['content-type'] } : {}),
      authorized: !authError,
      status,
      requestId,
      replayed,
    });
    res.writeHead(status, {
      'content-type': 'application/json',
      'request-id': requestId,
      'stripe-version': stripeVersion ?? Stripe.API_VERSION,
      'cache-control': 'no-cache, no-store',
      ...(idempotencyKey && method === 'POST' ? { 'idempotency-key': idempotencyKey } : {}),
      ...(replayed ? { 'idempotent-replayed': 'true' } : {}),
    });
    res.end(payload);
  }

  // ---- The checkout page ----

  function successRedirect(session: StripeObject): string | undefined {
    const success = session.success_url as string | null;
    return success ? success.replaceAll('{CHECKOUT_SESSION_ID}', session.id as string) : undefined;
  }

  function page(session: StripeObject, notice?: 'declined'): string {
    const id = escapeHtml(session.id as string);
    const amount = escapeHtml(euros(session.amount_total as number, session.currency as string));
    const items = (lineItems.get(session.id as string) ?? [])
      .map(
        (li) => `<li>${escapeHtml(li.description as string)} — ${escapeHtml(euros(li.amount_total as number, li.currency as string))}</li>`,
      )
      .join('');
    const cancel = session.cancel_url as string | null;
    const open = session.status === 'open';
    const debit = (session.payment_method_types as string[]).includes('sepa_debit');
    const card = (session.payment_method_types as string[]).includes('card');
    const body = open
      ? `${notice === 'declined' ? '<div role="alert" class="refus"><strong>Paiement refusé :</strong> votre carte a été refusée. Aucun montant n’a été débité. Vous pouvez réessayer.</div>' : ''}
<p class="montant">Montant à payer : <strong>${amount}</strong></p>
<ul>${items}</ul>
${
  card
    ? `<form method="post" action="/pay/${id}/card"><button type="submit">Payer par carte</button></form>
<form method="post" action="/pay/${id}/decline"><button type="submit" class="secondaire">Simuler un refus</button></form>`
    : ''
}
${debit ? `<form method="post" action="/pay/${id}/debit"><button type="submit" class="secondaire">Payer par prélèvement (en cours de traitement)</button></form>` : ''}`
      : session.status === 'complete'
        ? `<p>Ce paiement a déjà été effectué.</p>${successRedirect(session) ? `<p><a href="${escapeHtml(successRedirect(session)!)}">Continuer</a></p>` : ''}`
        : '<p role="alert">Cette session de paiement a expiré : elle ne peut plus être payée. Aucun montant n’a été débité. Revenez à la page de votre facture pour payer le montant à jour.</p>';
    return `<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Paiement sécurisé — environnement de test</title>
<style>
body{font-family:system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}
.test{background:#fff3cd;border:1px solid #b58900;padding:.5rem .75rem;border-radius:.25rem}
.refus{background:#fde2e1;border:1px solid #b00020;padding:.5rem .75rem;border-radius:.25rem;margin:1rem 0}
.montant{font-size:1.25rem}
button{font-size:1rem;padding:.6rem 1rem;margin:.3rem 0;width:100%;cursor:pointer;background:#0b5cad;color:#fff;border:0;border-radius:.25rem}
button.secondaire{background:#fff;color:#0b5cad;border:2px solid #0b5cad}
button:focus{outline:3px solid #ffbf47;outline-offset:2px}
</style>
</head>
<body>
<main>
<h1>Paiement sécurisé — environnement de test</h1>
<p class="test">Environnement de test : aucun paiement réel n’est effectué.</p>
${body}
${cancel ? `<p><a href="${escapeHtml(cancel)}">Retour</a></p>` : ''}
</main>
</body>
</html>
`;
  }

  async function handlePage(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const match = /^\/pay\/(cs_[A-Za-z0-9_]+)(?:\/(card|decline|debit))?$/.exec(url.pathname);
    const html = (status: number, text: string) => {
      res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(text);
    };
    const session = match ? sessions.get(match[1]!) : undefined;
    if (!match || !session)
      return html(
        404,
        '<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Session introuvable</title></head><body><main><h1>Session de paiement introuvable</h1></main></body></html>',
      );
    expireIfDue(session);
    const action = match[2] as 'card' | 'decline' | 'debit' | undefined;
    if (!action) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return html(405, page(session));
      return html(200, page(session));
    }
    if (req.method !== 'POST') return html(405, page(session));
    await readBody(req);
    if (session.status === 'complete') {
      const target = successRedirect(session);
      if (target) {
        res.writeHead(303, { location: target });
        res.end();
        return;
      }
      return html(200, page(session));
    }
    if (session.status !== 'open') return html(410, page(session));
    if (!(session.payment_method_types as string[]).includes(action === 'debit' ? 'sepa_debit' : 'card')) return html(400, page(session));
    payAction(session.id as string, action);
    if (action === 'decline') return html(200, page(session, 'declined'));
    const target = successRedirect(session);
    if (target) {
      res.writeHead(303, { location: target });
      res.end();
      return;
    }
    return html(200, page(session));
  }

  async function handleControl(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body, null, 2));
    };
    const match = /^\/_standin\/sessions\/([^/]+)\/settle$/.exec(url.pathname);
    if (!match || req.method !== 'POST')
      return json(404, { error: { type: 'invalid_request_error', message: 'Unknown stand-in control' } });
    const body = await readBody(req);
    let outcome = url.searchParams.get('outcome') ?? '';
    if (!outcome && body) {
      try {
        outcome = body.trim().startsWith('{')
          ? String((JSON.parse(body) as { outcome?: unknown }).outcome ?? '')
          : (new URLSearchParams(body).get('outcome') ?? '');
      } catch {
        outcome = '';
      }
    }
    if (outcome !== 'succeeded' && outcome !== 'failed')
      return json(400, { error: { type: 'invalid_request_error', message: 'outcome must be succeeded or failed', param: 'outcome' } });
    try {
      return json(200, settle(decodeURIComponent(match[1]!), outcome));
    } catch (error) {
      if (error instanceof ApiError) return json(error.status, { error: error.body });
      throw error;
    }
  }

  // ---- Server ----

  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const handler = url.pathname.startsWith('/v1/')
      ? handleApi
      : url.pathname.startsWith('/pay/')
        ? handlePage
        : url.pathname.startsWith('/_standin/')
          ? handleControl
          : undefined;
    if (!handler) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          error: { type: 'invalid_request_error', message: `Unrecognized request URL (${req.method ?? 'GET'}: ${url.pathname}).` },
        }),
      );
      return;
    }
    handler(req, res, url).catch((error: unknown) => {
      const status = error instanceof ApiError ? error.status : 500;
      const body = error instanceof ApiError ? error.body : { type: 'api_error', message: 'Stand-in internal error' };
      if (!(error instanceof ApiError)) console.error('Stripe stand-in: internal error', error);
      if (!res.headersSent) res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: body }));
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  baseUrl = `http://127.0.0.1:${port}`;

  return {
    url: baseUrl,
    port,
    apiKey,
    webhookSecret,
    async stop() {
      if (stopped) return;
      stopped = true;
      stopController.abort();
      for (const entry of timers) {
        clearTimeout(entry.timer);
        entry.done();
      }
      timers.clear();
      await Promise.allSettled([...pending]);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        setTimeout(() => {
          for (const socket of sockets) socket.destroy();
        }, 1000).unref();
      });
    },
    async idle() {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
    events: () => [...events.values()].map(clone),
    deliveries: () => [...deliveries],
    dropped: () => [...droppedIds],
    requests: () => [...recorded],
    dropNextWebhook(count = 1) {
      dropNext += count;
    },
    redeliver(eventId, times = 1) {
      const event = events.get(eventId);
      if (!event) return Promise.reject(new Error(`No such event: ${eventId}`));
      return Promise.all(Array.from({ length: times }, () => track(deliver(event, true))));
    },
    settleDebit: (sessionId, outcome) => settle(sessionId, outcome),
    pay: (sessionId, method) => payAction(sessionId, method),
    failNextRequests(count, failure = 500) {
      failures = [...failures, ...Array.from({ length: count }, () => failure)];
    },
    session: (id) => (sessions.has(id) ? clone(sessions.get(id)!) : undefined),
    paymentIntent: (id) => (intents.has(id) ? clone(intents.get(id)!) : undefined),
    charge: (id) => (charges.has(id) ? clone(charges.get(id)!) : undefined),
  };
}
