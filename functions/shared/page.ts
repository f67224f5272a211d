/**
 * The HTML counterpart of `httpHandler`, for the public pages clients open from a link (no login):
 * the same Powertools middlewares (logger with the request id as correlation id, EMF metrics,
 * tracer), path parameters validated with zod, an optional form (`application/x-www-form-urlencoded`,
 * at most 16 KiB) validated with zod, and one error mapper to plain French pages.
 *
 * Personal data never reaches the logs: the event is never logged, the response is never traced,
 * and the caller's IP and user agent are handed to `run` only (they are evidence, not telemetry).
 */
import type middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type * as z from './zod.ts';
import { renderPageError } from './html.ts';
import { routeIn, type KeyOf, type RouteDef } from '../route-def.ts';
import { built, pageResponses, type Out, type PageShape, type Responses, type SchemaArg } from './contract.ts';
import { HttpError } from './errors.ts';
import { header, withPowertools } from './http.ts';
import { countUnexpectedError, logger, logUnexpected } from './observability.ts';

export const MAX_FORM_BYTES = 16 * 1024;

/** Every page answer carries these (the token is in the URL: no referrer, no cache, no framing). */
export const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
};

/** An expected refusal, shown to the client as a French page with this 4xx status. */
export class PageError extends Error {
  readonly status: number;
  readonly titleFr: string;
  readonly messageFr: string;
  constructor(status: number, titleFr: string, messageFr: string) {
    super(`${status} ${titleFr}`);
    this.name = 'PageError';
    this.status = status;
    this.titleFr = titleFr;
    this.messageFr = messageFr;
  }
}

export interface PageSpec<P, F> {
  /** `METHOD /path` of a public route of the route table. */
  readonly route: string;
  readonly params?: P;
  /** The fields of an `application/x-www-form-urlencoded` body, when the page receives a form. */
  readonly form?: F;
}

/**
 * The `page` contract of one context's client pages (validated by `pageHandler`): its route named
 * by `METHOD /path` in the context's own part of the route table, whose entry it keeps, and every
 * status it answers (functions/shared/contract.ts), from which the OpenAPI document is generated.
 */
export const pageContractsOf =
  <T extends readonly RouteDef[]>(table: T) =>
  <P extends SchemaArg | undefined = undefined, F extends SchemaArg | undefined = undefined>(
    spec: PageSpec<P, F> & Omit<PageShape, 'route' | 'params' | 'form'> & { readonly route: KeyOf<T> },
  ): PageContract<P, F> => {
    const def = routeIn(table, spec.route);
    return { ...spec, def, responses: pageResponses(spec as PageShape, def) };
  };

/** A page's contract with its entry of the route table and every status it answers. */
export type PageContract<P, F> = PageSpec<P, F> &
  Omit<PageShape, 'route' | 'params' | 'form'> & { readonly def: RouteDef; readonly responses: Responses };

export interface PageRequest<P, F> {
  readonly params: Out<P>;
  readonly form: Out<F>;
  /** Evidence for the use case; never to be logged. */
  readonly sourceIp: string;
  /** Evidence for the use case; never to be logged. */
  readonly userAgent: string;
  readonly requestId: string;
  readonly event: APIGatewayProxyEventV2;
}

export interface PageReply {
  readonly status: number;
  readonly html: string;
  /** Extra headers, e.g. `location` for a 303 after a form; they override PAGE_HEADERS (e.g. a wider CSP form-action). */
  readonly headers?: Record<string, string>;
}

export const htmlPage = (html: string, status = 200): PageReply => ({ status, html });

// ---- Refusals in plain French ----------------------------------------------------------------

const linkNotFound = () =>
  new PageError(
    404,
    'Lien introuvable',
    'Ce lien n’est pas valable. Vérifiez que vous avez bien ouvert tout le lien reçu par e-mail, ou demandez un nouveau lien à la personne qui vous l’a envoyé.',
  );
const SOMETHING_MISSING = 'Certaines informations manquent ou ne sont pas valides.';
/** The messages the form schema gives in French (its own), or one plain sentence for the others. */
const formRefused = (messages: readonly string[] = []) =>
  new PageError(
    400,
    'Formulaire incomplet',
    `${[...new Set(messages.length ? messages : [SOMETHING_MISSING])].join(' ')} Revenez à la page précédente, corrigez le formulaire, puis réessayez.`,
  );

/** A refusal thrown by shared code as an API error, told in French by its status (its English detail stays out). */
function fromHttpError(error: HttpError): PageError {
  switch (error.status) {
    case 404:
    case 410:
      return linkNotFound();
    case 409:
    case 412:
      return new PageError(
        409,
        'Action impossible',
        'Ce document a changé entre-temps et cette action n’est plus possible. Rouvrez le lien reçu par e-mail pour voir où il en est.',
      );
    case 413:
      return new PageError(
        413,
        'Formulaire trop long',
        'Le texte envoyé est trop long. Revenez à la page précédente, raccourcissez-le, puis réessayez.',
      );
    case 415:
      return new PageError(
        415,
        'Formulaire non reconnu',
        'Le formulaire n’a pas été envoyé correctement. Revenez à la page précédente et réessayez.',
      );
    case 503:
      return new PageError(
        503,
        'Service momentanément indisponible',
        'Le service ne répond pas pour le moment. Réessayez dans quelques minutes.',
      );
    default:
      return error.status >= 400 && error.status < 500 ? formRefused() : unexpected();
  }
}

const unexpected = () =>
  new PageError(
    500,
    'Une erreur est survenue',
    "Nous n'avons pas pu afficher cette page. Réessayez dans quelques minutes. Si le problème continue, contactez la personne qui vous a envoyé le devis.",
  );

// ---- Input -----------------------------------------------------------------------------------

/** The form fields of an url-encoded body; a name sent twice becomes a list (which no string schema takes). */
export function readFormBody(event: APIGatewayProxyEventV2): Record<string, string | string[]> {
  const raw =
    event.body === undefined || event.body === null ? Buffer.alloc(0) : Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8');
  if (raw.length > MAX_FORM_BYTES) {
    throw new PageError(
      413,
      'Formulaire trop long',
      'Le texte envoyé est trop long. Revenez à la page précédente, raccourcissez-le, puis réessayez.',
    );
  }
  const contentType = header(event, 'content-type') ?? '';
  if (!/^application\/x-www-form-urlencoded\s*(;|$)/i.test(contentType)) {
    throw new PageError(
      415,
      'Formulaire non reconnu',
      'Le formulaire n’a pas été envoyé correctement. Revenez à la page précédente et réessayez.',
    );
  }
  const fields: Record<string, string | string[]> = {};
  for (const [name, value] of new URLSearchParams(raw.toString('utf8'))) {
    const seen = fields[name];
    fields[name] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
  }
  return fields;
}

/**
 * Validates with zod. Messages written in the schema (in French, for the client) are kept; zod's
 * own (English, technical) are replaced by one plain French sentence before they reach the page.
 */
function parsed<S extends z.ZodMiniType>(schema: S, input: unknown, refusal: (messages: readonly string[]) => PageError): z.output<S> {
  const result = schema.safeParse(input, { error: () => SOMETHING_MISSING });
  if (!result.success) throw refusal(result.error.issues.map((issue) => issue.message));
  return result.data;
}

// ---- Output ----------------------------------------------------------------------------------

function toResult(reply: PageReply, requestId: string): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: reply.status,
    headers: { ...PAGE_HEADERS, ...reply.headers, 'x-request-id': requestId },
    body: reply.html,
  };
}

const errorPage = (error: PageError, requestId: string): APIGatewayProxyStructuredResultV2 =>
  toResult({ status: error.status, html: renderPageError(error.titleFr, error.messageFr) }, requestId);

/** Every thrown error becomes a French page; only unexpected ones are logged as errors (without the event). */
export const pageErrorMapper = (): middy.MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> => ({
  onError: async (request) => {
    const requestId = request.event.requestContext?.requestId ?? request.context.awsRequestId;
    const error = request.error;
    let page: PageError;
    if (error instanceof PageError) {
      page = error;
      logger.info('page refused', { status: error.status });
    } else if (error instanceof HttpError) {
      page = fromHttpError(error);
      logger.info('page refused', { status: page.status, problem: error.slug });
    } else {
      page = unexpected();
      logUnexpected('unexpected error', error);
      countUnexpectedError();
    }
    request.response = errorPage(page, requestId);
  },
});

export function pageHandler<P extends SchemaArg | undefined = undefined, F extends SchemaArg | undefined = undefined>(
  spec: PageSpec<P, F> & { readonly def: RouteDef },
  run: (request: PageRequest<P, F>) => Promise<PageReply>,
): (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2> {
  const route = spec.def;
  if (route.auth !== 'public') throw new Error(`pageHandler serves public routes only; ${spec.route} is not public`);
  // This page's schemas only, built when its handler module loads.
  const schemas = { params: spec.params && built(spec.params), form: spec.form && built(spec.form) };
  const core = async (event: APIGatewayProxyEventV2, context: Context): Promise<APIGatewayProxyStructuredResultV2> => {
    const requestId = event.requestContext?.requestId ?? context.awsRequestId;
    logger.setCorrelationId(requestId);
    const params = (schemas.params ? parsed(schemas.params, event.pathParameters ?? {}, linkNotFound) : undefined) as Out<P>;
    const form = (schemas.form ? parsed(schemas.form, readFormBody(event), formRefused) : undefined) as Out<F>;
    const reply = await run({
      params,
      form,
      sourceIp: event.requestContext?.http?.sourceIp ?? '',
      userAgent: event.requestContext?.http?.userAgent || header(event, 'user-agent') || '',
      requestId,
      event,
    });
    return toResult(reply, requestId);
  };
  return withPowertools(core, pageErrorMapper());
}
