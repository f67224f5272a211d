/**
 * Webhook delivery, as Stripe does it: each event is POSTed to the webhook URL as pretty-printed
 * JSON, signed with the SDK's own `Stripe.webhooks.generateTestHeaderString` (a fresh signature
 * and timestamp per attempt), asynchronously (the API answer or page never waits for it), and
 * retried on a non-2xx answer or a network error after each of `retryDelaysMs` (then given up).
 * Every attempt is recorded as a WebhookDelivery.
 *
 * Test controls: `dropNext(count)` holds the next events back (recorded, never delivered; their
 * ids in `dropped()`), `redeliver` sends an event again (several times at once if asked),
 * `idle()` waits until nothing is pending, `stop()` abandons the waits between retries.
 */
import Stripe from 'stripe';
import type { StripeObject, WebhookDelivery } from './types.ts';

export interface WebhookOptions {
  /** The signing secret (whsec_…). */
  readonly secret: string;
  /** Where to POST, read at each attempt; '' = nowhere (the attempt is not made). */
  readonly target: () => string;
  /** Waits before each retry; its length is the number of retries. */
  readonly retryDelaysMs: readonly number[];
  /** Per-attempt timeout. */
  readonly timeoutMs: number;
  /** Stripe's clock in milliseconds (signature timestamps, `at` of deliveries). */
  readonly now: () => number;
}

export interface Webhooks {
  /** Queues the first delivery of a new event, unless it is held back by `dropNext`. */
  dispatch(event: StripeObject): void;
  /** Delivers an event again, `times` deliveries at once, each with its retries. */
  redeliver(event: StripeObject, times: number): Promise<WebhookDelivery[]>;
  /** The next `count` events dispatched are recorded as dropped and never delivered. */
  dropNext(count: number): void;
  dropped(): string[];
  deliveries(): WebhookDelivery[];
  /** Resolves when no delivery (first attempt, retry or redelivery) is pending. */
  idle(): Promise<void>;
  /** Stops: cancels the waits between retries, no new attempt, and waits for those in flight. */
  stop(): Promise<void>;
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

export function createWebhooks(options: WebhookOptions): Webhooks {
  const { now, secret: webhookSecret } = options;
  const seconds = () => Math.floor(now() / 1000);
  const deliveries: WebhookDelivery[] = [];
  const droppedIds: string[] = [];
  const pending = new Set<Promise<unknown>>();
  const timers = new Set<{ timer: NodeJS.Timeout; done: () => void }>();
  const stopController = new AbortController();
  let dropNext = 0;
  let stopped = false;

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
      const target = options.target();
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
          options.timeoutMs,
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
      if (ok || attempt > options.retryDelaysMs.length || stopped) return last;
      await sleep(options.retryDelaysMs[attempt - 1]!);
    }
  }

  return {
    dispatch(event) {
      if (dropNext > 0) {
        dropNext--;
        droppedIds.push(event.id as string);
      } else {
        // Asynchronous: the page or API answer never waits for the webhook.
        track(new Promise((resolve) => setImmediate(resolve)).then(() => deliver(event, false)));
      }
    },
    redeliver: (event, times) => Promise.all(Array.from({ length: times }, () => track(deliver(event, true)))),
    dropNext(count) {
      dropNext += count;
    },
    dropped: () => [...droppedIds],
    deliveries: () => [...deliveries],
    async idle() {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
    async stop() {
      stopped = true;
      stopController.abort();
      for (const entry of timers) {
        clearTimeout(entry.timer);
        entry.done();
      }
      timers.clear();
      await Promise.allSettled([...pending]);
    },
  };
}
