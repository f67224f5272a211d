/**
 * The stand-in's HTTP server on 127.0.0.1 and its router:
 *   /v1/…        the API. Each request is authenticated (`Authorization: Bearer <key>`, or Basic
 *                with the key as user name), its parameters decoded (form.ts), checked against a
 *                saved idempotent answer (idempotency.ts), and handed to the resources in turn
 *                (the first that owns the path answers; none → 404 "Unrecognized request URL").
 *                Every answer is pretty-printed JSON with `request-id`, `Stripe-Version` echoed
 *                (default Stripe.API_VERSION), errors in Stripe's shape with a request_log_url.
 *                Every request is recorded (never the key). `failNextRequests` makes the next ones
 *                fail (an api_error status, or a destroyed connection).
 *   /pay/…       the checkout page (checkout-page.ts).
 *   /_standin/…  test controls over HTTP: POST /_standin/sessions/:id/settle?outcome=succeeded|failed
 *                (or outcome in a form or JSON body) ends a processing debit.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import Stripe from 'stripe';
import { type FormObject, FormParseError, parseStripeForm } from './form.ts';
import type { IdempotencyKeys } from './idempotency.ts';
import type { RecordedRequest, StripeObject } from './types.ts';
import { ApiError, invalid, randomId, readBody, type ResourceRoutes } from './wire.ts';

type Handler = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void>;

export interface ServerOptions {
  /** Port on 127.0.0.1 (0: any free port). */
  readonly port: number;
  /** The one API key accepted. */
  readonly apiKey: string;
  readonly idempotency: IdempotencyKeys;
  /** The API resources, tried in this order. */
  readonly resources: readonly ResourceRoutes[];
  /** Serves /pay/…. */
  readonly page: Handler;
  /** What the settle control does. */
  readonly settle: (sessionId: string, outcome: 'succeeded' | 'failed') => StripeObject;
}

export interface StandInServer {
  /** http://127.0.0.1:<port> */
  readonly url: string;
  readonly port: number;
  /** API requests received so far. */
  requests(): RecordedRequest[];
  /** The next `count` API requests fail with `failure` (an HTTP status, or 'connection'). */
  failNextRequests(count: number, failure: number | 'connection'): void;
  /** Stops listening; connections still open after a second are destroyed. */
  close(): Promise<void>;
}

export async function startServer(options: ServerOptions): Promise<StandInServer> {
  const { apiKey, idempotency, settle, page: handlePage } = options;
  const recorded: RecordedRequest[] = [];
  let failures: Array<number | 'connection'> = [];

  function route(
    method: string,
    path: string,
    params: FormObject,
    request: { id: string; idempotency_key: string | null },
  ): { status: number; body: StripeObject } {
    const segments = path.split('/').slice(2).map(decodeURIComponent); // after /v1
    for (const resource of options.resources) {
      const body = resource(method, segments, params, request);
      if (body !== undefined) return { status: 200, body };
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
    const errorPayload = (error: ApiError) =>
      JSON.stringify({ error: { ...error.body, request_log_url: `https://dashboard.stripe.com/test/logs/${requestId}` } }, null, 2);
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
      const saved = idempotency.replay(method, idempotencyKey, fingerprint);
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
          payload = errorPayload(error);
        }
        idempotency.save(method, idempotencyKey, { fingerprint, status, body: payload });
      }
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      status = error.status;
      payload = errorPayload(error);
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
    server.listen(options.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests: () => [...recorded],
    failNextRequests(count, failure) {
      failures = [...failures, ...Array.from({ length: count }, () => failure)];
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        setTimeout(() => {
          for (const socket of sockets) socket.destroy();
        }, 1000).unref();
      }),
  };
}
