/**
 * An embedded, in-memory stand-in for the part of the Stripe API the back office uses, so the
 * official `stripe` SDK works offline unchanged (pointed here with its host / port / protocol
 * options; see infra/local/adapters.ts). This module puts the pieces together and is the only one
 * the rest of the repository imports (`startStripeStandIn`, the public types, `parseStripeForm`).
 *
 *   form.ts               Stripe's form encoding (bracketed keys) decoded
 *   wire.ts               ids, the error shape, parameter readers, request bodies
 *   server.ts             the HTTP server and router: auth, idempotency, recording, failures, controls
 *   idempotency.ts        saved answers by Idempotency-Key
 *   state.ts              the objects in memory, the clock
 *   reading.ts            expand and lists
 *   checkout-sessions.ts  POST/GET /v1/checkout/sessions…, expiry
 *   payments.ts           payment intents and charges: paying a session (card, decline, SEPA debit), settling a debit
 *   refunds.ts            POST/GET /v1/refunds
 *   events.ts             events (emit) and GET /v1/events
 *   webhooks.ts           signed webhook delivery, retries, test hold-back / redelivery
 *   checkout-page.ts      the hosted checkout page in French (GET /pay/<cs_id>)
 *   types.ts              options, the StripeStandIn handle and what it records
 *
 * Not Stripe: state lives in memory (a restart forgets it); one account; test mode only; no
 * customers, prices, payment methods or other payment flows than card, declined card and SEPA debit.
 */
import { randomBytes } from 'node:crypto';
import { checkoutPage } from './checkout-page.ts';
import { checkoutSessions } from './checkout-sessions.ts';
import { createEmitter, eventRoutes } from './events.ts';
import { createIdempotencyKeys } from './idempotency.ts';
import { payments } from './payments.ts';
import { createReader } from './reading.ts';
import { refundRoutes } from './refunds.ts';
import { startServer } from './server.ts';
import { createState } from './state.ts';
import type { StripeStandIn, StripeStandInOptions } from './types.ts';
import { clone, randomId } from './wire.ts';
import { createWebhooks } from './webhooks.ts';

export { type FormObject, FormParseError, type FormValue, parseStripeForm, splitKey } from './form.ts';
export type { RecordedRequest, StripeObject, StripeStandIn, StripeStandInOptions, WebhookDelivery } from './types.ts';

export async function startStripeStandIn(options: StripeStandInOptions = {}): Promise<StripeStandIn> {
  const apiKey = options.apiKey ?? `sk_test_standin_${randomId(24)}`;
  const webhookSecret = options.webhookSecret ?? `whsec_${randomBytes(24).toString('base64url')}`;
  let baseUrl = '';
  let stopped = false;

  const state = createState(options.now ?? Date.now);
  const webhooks = createWebhooks({
    secret: webhookSecret,
    target: () => (typeof options.webhookUrl === 'function' ? options.webhookUrl() : options.webhookUrl) ?? '',
    // Stripe retries a failed delivery for up to three days; compressed here to about 30 s, so that a
    // copy answered 409 (the same event being applied) outlives the first copy's work under load.
    retryDelaysMs: options.retryDelaysMs ?? [100, 400, 1600, 6400, 25_600],
    timeoutMs: options.deliveryTimeoutMs ?? 10_000,
    now: state.now,
  });
  const emit = createEmitter(state, webhooks.dispatch);
  const reader = createReader(state);
  const sessions = checkoutSessions({ state, emit, reader, pageBaseUrl: () => options.publicBaseUrl ?? baseUrl });
  const paying = payments({ state, emit, reader, sessions });
  const server = await startServer({
    port: options.port ?? 0,
    apiKey,
    idempotency: createIdempotencyKeys(),
    resources: [sessions.routes, paying.routes, refundRoutes({ state, emit, reader }), eventRoutes(state, reader)],
    page: checkoutPage({ state, sessions, pay: paying.pay }),
    settle: paying.settle,
  });
  baseUrl = server.url;

  return {
    url: server.url,
    port: server.port,
    apiKey,
    webhookSecret,
    async stop() {
      if (stopped) return;
      stopped = true;
      await webhooks.stop();
      await server.close();
    },
    idle: () => webhooks.idle(),
    events: () => [...state.events.values()].map(clone),
    deliveries: () => webhooks.deliveries(),
    dropped: () => webhooks.dropped(),
    requests: () => server.requests(),
    dropNextWebhook(count = 1) {
      webhooks.dropNext(count);
    },
    redeliver(eventId, times = 1) {
      const event = state.events.get(eventId);
      if (!event) return Promise.reject(new Error(`No such event: ${eventId}`));
      return webhooks.redeliver(event, times);
    },
    settleDebit: (sessionId, outcome) => paying.settle(sessionId, outcome),
    pay: (sessionId, method) => paying.pay(sessionId, method),
    failNextRequests(count, failure = 500) {
      server.failNextRequests(count, failure);
    },
    session: (id) => (state.sessions.has(id) ? clone(state.sessions.get(id)!) : undefined),
    paymentIntent: (id) => (state.intents.has(id) ? clone(state.intents.get(id)!) : undefined),
    charge: (id) => (state.charges.has(id) ? clone(state.charges.get(id)!) : undefined),
  };
}
