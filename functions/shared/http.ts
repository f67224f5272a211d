/**
 * The one way to write an HTTP handler: middy with Powertools (logger with the request id as
 * correlation id, EMF metrics, tracer), token and role checks taken from the route table,
 * zod validation of path, query and body, and one error mapper to problem+json.
 * A handler body only maps validated input to a use case and its result to a reply.
 */
import type middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { routeIn, type KeyOf, type RouteDef } from '../route-def.ts';
import { apiResponses, built, type ApiShape, type DeclaredErrors, type Out, type Responses, type SchemaArg } from './contract.ts';
import { principalFromEvent, requireRole, type Principal } from './auth.ts';
import { HttpError, MalformedBodyError, PayloadTooLargeError, UnsupportedMediaTypeError, ValidationError } from './errors.ts';
import { metered, meterTerritory } from './metering.ts';
import { countUnexpectedError, logger, logUnexpected, observed } from './observability.ts';
import { problemResponse, toProblem } from './problem.ts';
import { parseWith } from './validation.ts';

export const MAX_BODY_BYTES = 64 * 1024;

export interface Reply {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
  /**
   * The JSON body already written, sent as it is instead of `body`: its text, or its bytes in
   * base64 (compressed, the reply's headers saying how: `content-encoding`).
   */
  readonly json?: { readonly text: string; readonly base64?: boolean };
}

export const ok = (body: unknown): Reply => ({ status: 200, body });
export const created = (body: unknown, location?: string): Reply => ({
  status: 201,
  body,
  ...(location ? { headers: { location } } : {}),
});

/**
 * The `contract` of one context's routes: a route's contract names its route by `METHOD /path`,
 * checked (in types and when the module loads) against the context's own part of the route table
 * (functions/<context>/routes.ts), whose entry it keeps (roles, grants). It also computes every
 * status the route answers (functions/shared/contract.ts), from which the OpenAPI document is
 * generated. Reading only its own context's table keeps the other routes out of a handler's bundle.
 */
export const contractsOf =
  <T extends readonly RouteDef[]>(table: T) =>
  <B extends SchemaArg | undefined = undefined, Q extends SchemaArg | undefined = undefined, P extends SchemaArg | undefined = undefined>(
    spec: HandlerSpec<B, Q, P> & { readonly route: KeyOf<T> },
  ): Contract<B, Q, P> => {
    const def = routeIn(table, spec.route);
    return { ...spec, def, responses: apiResponses(spec as ApiShape, def) };
  };

/** A route's contract with its entry of the route table and every status it answers. */
export type Contract<B, Q, P> = HandlerSpec<B, Q, P> & { readonly def: RouteDef; readonly responses: Responses };

/** A route's contract: what it takes and what it answers. Also the source of the OpenAPI document. */
export interface HandlerSpec<B, Q, P> {
  /** `METHOD /path` of the route in the route table. */
  readonly route: string;
  readonly body?: B;
  readonly query?: Q;
  readonly params?: P;
  readonly success?: { readonly status: number; readonly schema: SchemaArg; readonly description: string };
  /** The statuses of the route's own use case beyond the shared ones (409, 412, 503…): status → description. */
  readonly errors?: DeclaredErrors;
}

export interface HttpRequest<B, Q, P, Auth> {
  readonly principal: Auth;
  readonly body: Out<B>;
  readonly query: Out<Q>;
  readonly params: Out<P>;
  readonly requestId: string;
  readonly event: APIGatewayProxyEventV2;
  /** The Lambda context (remaining time, for Powertools idempotency). */
  readonly context: Context;
}

export function header(event: APIGatewayProxyEventV2, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    if (key.toLowerCase() === wanted) return value;
  }
  return undefined;
}

/** The request body exactly as sent (decoded when API Gateway base64-encoded it); '' when none. */
export function rawBody(event: APIGatewayProxyEventV2): string {
  if (event.body === undefined || event.body === null) return '';
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
}

export function readJsonBody(event: APIGatewayProxyEventV2): unknown {
  const raw = rawBody(event);
  if (Buffer.byteLength(raw, 'utf8') > MAX_BODY_BYTES) {
    throw new PayloadTooLargeError(`The body must not exceed ${MAX_BODY_BYTES} bytes.`);
  }
  const contentType = header(event, 'content-type') ?? '';
  if (!/^application\/(merge-patch\+)?json\s*(;|$)/i.test(contentType)) {
    throw new UnsupportedMediaTypeError('Send the body as application/json.');
  }
  if (raw.trim() === '') throw new ValidationError([{ path: '', message: 'a JSON body is required' }]);
  try {
    return JSON.parse(raw);
  } catch {
    throw new MalformedBodyError('The body is not valid JSON.');
  }
}

function toResult(reply: Reply, requestId: string): APIGatewayProxyStructuredResultV2 {
  const body = reply.json
    ? { body: reply.json.text, isBase64Encoded: reply.json.base64 === true }
    : reply.body !== undefined
      ? { body: JSON.stringify(reply.body) }
      : undefined;
  return {
    statusCode: reply.status,
    headers: {
      ...(body ? { 'content-type': 'application/json' } : {}),
      'x-request-id': requestId,
      ...reply.headers,
    },
    ...body,
  };
}

/**
 * Whether an `Accept-Encoding` header takes gzip (RFC 9110 §12.5.3): `gzip` (or `x-gzip`, or `*`
 * when gzip is not named) with a weight above 0.
 */
export function acceptsGzip(acceptEncoding: string | undefined): boolean {
  let star = false;
  for (const part of (acceptEncoding ?? '').split(',')) {
    const [coding = '', ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    const q = params.find((p) => p.startsWith('q='));
    const weighted = q === undefined || Number(q.slice(2)) > 0;
    if (coding === 'gzip' || coding === 'x-gzip') return weighted;
    if (coding === '*') star = weighted;
  }
  return star;
}

/** Maps every thrown error to problem+json; only unexpected ones are logged as errors. */
export const problemMapper = (): middy.MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> => ({
  onError: async (request) => {
    const requestId = request.event.requestContext?.requestId ?? request.context.awsRequestId;
    const error = request.error;
    if (error instanceof HttpError) {
      logger.info('request refused', { status: error.status, problem: error.slug });
    } else {
      logUnexpected('unexpected error', error);
      countUnexpectedError();
    }
    request.response = problemResponse(toProblem(error, request.event.rawPath), requestId);
  },
});

type Public = 'public';

export function httpHandler<
  B extends SchemaArg | undefined = undefined,
  Q extends SchemaArg | undefined = undefined,
  P extends SchemaArg | undefined = undefined,
>(
  spec: Contract<B, Q, P>,
  run: (request: HttpRequest<B, Q, P, Principal>) => Promise<Reply>,
): (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;
export function httpHandler<
  B extends SchemaArg | undefined = undefined,
  Q extends SchemaArg | undefined = undefined,
  P extends SchemaArg | undefined = undefined,
>(
  spec: Contract<B, Q, P>,
  run: (request: HttpRequest<B, Q, P, Public>) => Promise<Reply>,
): (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;
export function httpHandler<B extends SchemaArg | undefined, Q extends SchemaArg | undefined, P extends SchemaArg | undefined>(
  spec: Contract<B, Q, P>,
  run: (request: HttpRequest<B, Q, P, never>) => Promise<Reply>,
) {
  const route = spec.def;
  // This route's schemas only, built when its handler module loads (the others stay unbuilt).
  const schemas = {
    params: spec.params && built(spec.params),
    query: spec.query && built(spec.query),
    body: spec.body && built(spec.body),
  };
  const core = async (event: APIGatewayProxyEventV2, context: Context): Promise<APIGatewayProxyStructuredResultV2> => {
    const requestId = event.requestContext?.requestId ?? context.awsRequestId;
    logger.setCorrelationId(requestId);
    let principal: Principal | Public = 'public';
    if (route.auth !== 'public') {
      const caller = principalFromEvent(event as never);
      requireRole(caller, route.auth.roles);
      principal = caller;
      logger.appendKeys({ role: caller.role, ...(caller.etd ? { etd: caller.etd } : {}) });
      meterTerritory(caller.etd);
    }
    const params = (schemas.params ? parseWith(schemas.params, event.pathParameters ?? {}, 'path') : undefined) as Out<P>;
    const query = (schemas.query ? parseWith(schemas.query, event.queryStringParameters ?? {}, 'query') : undefined) as Out<Q>;
    const body = (schemas.body ? parseWith(schemas.body, readJsonBody(event)) : undefined) as Out<B>;
    // An operator's request about one territory (path `code`, query or body `etd`) is metered to it.
    if (principal === 'public' || !principal.etd) meterTerritory(territoryNamed(params, query, body));
    const reply = await run({ principal: principal as never, body, query, params, requestId, event, context });
    return toResult(reply, requestId);
  };
  return withPowertools(core, problemMapper());
}

/** The territory a request names: path `code` (the ETD routes), else query or body `etd`. */
function territoryNamed(...inputs: unknown[]): string | undefined {
  for (const [input, key] of [
    [inputs[0], 'code'],
    [inputs[1], 'etd'],
    [inputs[2], 'etd'],
  ] as const) {
    const value = input && typeof input === 'object' ? (input as Record<string, unknown>)[key] : undefined;
    if (typeof value === 'string' && value !== '') return value;
  }
  return undefined;
}

type HttpCore = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

/** An HTTP entry point (JSON API and client pages): `observed`, with the entry point's own error mapper, metered. */
export function withPowertools(
  core: HttpCore,
  errorMapper: middy.MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>,
) {
  return observed(errorMapper).handler((event, context) =>
    metered({ fn: context.functionName, trigger: 'http' }, context, () => core(event, context)),
  );
}
