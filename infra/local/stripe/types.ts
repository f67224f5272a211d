/**
 * The public shapes of the Stripe stand-in: its options, the handle `startStripeStandIn` returns
 * (with the test controls: holding back or redelivering webhooks, failing requests, paying or
 * settling without the page), and what it records (webhook deliveries, API requests). Types only.
 */
import type { FormObject } from './form.ts';

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
  /** Waits before each retry of a delivery answered non-2xx (or failed); default [100, 400, 1600, 6400, 25 600] ms (6 attempts). */
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
