/**
 * What a route answers: every status it can return, with a description and its media types. A
 * route's contract (`contract()` for the JSON API, `pageContract()` for the client pages) computes
 * its `responses` here, once, from the route table entry and the contract itself; the OpenAPI
 * document is generated from these responses only.
 *
 * The statuses every route shares follow from what the route is:
 * - its success (the contract's `success`, or 200 / 303 for a page);
 * - 400 when it validates input (path, query, body or form);
 * - 401 and 403 when it takes a token (the front door, then the role check);
 * - 404 when it names an object (path parameters) or scopes by territory (secured routes);
 * - 409 when it writes (a transaction that keeps meeting a concurrent change is refused, to retry);
 * - 413 always (the front door refuses requests above the payload limit), and the body/form limit;
 * - 415 when it reads a body (JSON) or a form (url-encoded);
 * - 500 always (an unexpected error; its details stay in the logs).
 * A contract declares the statuses of its own use case in `errors` (status → description), which
 * also refine the description of a generic one.
 */
import type * as z from './zod.ts';
import type { RouteDef } from '../route-def.ts';

/**
 * A schema as a contract takes it: a function that builds it on first call (`lazy` in
 * functions/shared/schemas.ts), so that a function's cold start builds only the schemas its own
 * route validates; the OpenAPI document builds the others when it is generated. (A schema already
 * built is also accepted.)
 */
export type SchemaArg = z.ZodMiniType | (() => z.ZodMiniType);
/** The schema a `SchemaArg` stands for. */
export type Built<S> = S extends () => infer T ? T : S;
/** What a `SchemaArg` parses to; `undefined` when there is none. */
export type Out<S> = S extends SchemaArg ? z.output<Built<S>> : undefined;
/** The schema itself (built now if it was given lazily; `lazy` builds it once). */
export const built = <S extends SchemaArg>(schema: S): Built<S> => (typeof schema === 'function' ? schema() : schema) as Built<S>;

export type MediaType = 'application/json' | 'application/problem+json' | 'text/html';

export interface ResponseSpec {
  readonly description: string;
  /** Media types of the body; empty for an answer without body (a redirect). */
  readonly media: readonly MediaType[];
  /** Schema of the `application/json` body (a success). */
  readonly schema?: SchemaArg;
  /** A redirect: the `Location` header says where to. */
  readonly location?: string;
}

/** Every status a route answers, keyed by the status code. */
export type Responses = Readonly<Record<number, ResponseSpec>>;

/** The statuses of a route's own use case (conflicts, stale versions, busy series…): status → description. */
export type DeclaredErrors = Readonly<Partial<Record<number, string>>>;

const PROBLEM: readonly MediaType[] = ['application/problem+json'];
const HTML: readonly MediaType[] = ['text/html'];

const writes = (route: RouteDef) => Object.values(route.tables).includes('write');

function withErrors(generic: Record<number, ResponseSpec>, errors: DeclaredErrors | undefined, media: readonly MediaType[]): Responses {
  const responses = { ...generic };
  for (const [code, description] of Object.entries(errors ?? {})) {
    const status = Number(code);
    if (!Number.isInteger(status) || status < 300 || status > 599 || description === undefined)
      throw new Error(`declared error ${code} is not an error status`);
    responses[status] = { ...responses[status], description, media: responses[status]?.media ?? media };
  }
  return responses;
}

export interface ApiShape {
  /** `METHOD /path` of the route in the route table. */
  readonly route: string;
  readonly body?: SchemaArg | undefined;
  readonly query?: SchemaArg | undefined;
  readonly params?: SchemaArg | undefined;
  readonly success?: { readonly status: number; readonly schema: SchemaArg; readonly description: string };
  readonly errors?: DeclaredErrors;
}

/** The responses of a JSON API route (`route`: its entry of the route table): application/json on success, application/problem+json otherwise. */
export function apiResponses(spec: ApiShape, route: RouteDef): Responses {
  const secured = route.auth !== 'public';
  const generic: Record<number, ResponseSpec> = {};
  if (spec.success)
    generic[spec.success.status] = { description: spec.success.description, media: ['application/json'], schema: spec.success.schema };
  if (spec.body || spec.query || spec.params) generic[400] = { description: 'Invalid input: `errors` names each field', media: PROBLEM };
  if (secured) {
    generic[401] = { description: 'Missing, invalid or expired token', media: PROBLEM };
    generic[403] = { description: 'The role may not call this route', media: PROBLEM };
  }
  if (spec.params || secured) generic[404] = { description: 'Not found, or outside the caller’s territory', media: PROBLEM };
  if (writes(route)) generic[409] = { description: 'A concurrent change kept the record busy; try again', media: PROBLEM };
  generic[413] = {
    description: spec.body ? 'Body larger than 64 KiB (or than the 6 MB payload limit)' : 'Request larger than the 6 MB payload limit',
    media: PROBLEM,
  };
  if (spec.body) generic[415] = { description: 'Body is not application/json', media: PROBLEM };
  generic[500] = { description: 'Unexpected error (logged with the request id)', media: PROBLEM };
  return withErrors(generic, spec.errors, PROBLEM);
}

export interface PageShape {
  /** `METHOD /path` of the route in the route table. */
  readonly route: string;
  readonly params?: SchemaArg | undefined;
  readonly form?: SchemaArg | undefined;
  /** What the success shows (or, for a redirect, where it leads). */
  readonly description: string;
  /** The success is a 303 redirect (to the URL in `Location`) instead of a 200 page. */
  readonly redirect?: boolean;
  readonly errors?: DeclaredErrors;
}

/** The responses of a client page: French HTML pages, except the front door's own refusals (problem+json). */
export function pageResponses(spec: PageShape, route: RouteDef): Responses {
  const generic: Record<number, ResponseSpec> = {};
  generic[spec.redirect ? 303 : 200] = spec.redirect
    ? { description: spec.description, media: [], location: 'The page to go to' }
    : { description: spec.description, media: HTML };
  if (spec.form) generic[400] = { description: 'The form is incomplete (a French page says what to fix)', media: HTML };
  if (spec.params) generic[404] = { description: 'Unknown link', media: HTML };
  if (writes(route)) generic[409] = { description: 'The document changed meanwhile', media: HTML };
  generic[413] = spec.form
    ? {
        description: 'Form larger than 16 KiB (French page), or request larger than the 6 MB payload limit (problem)',
        media: [...HTML, ...PROBLEM],
      }
    : { description: 'Request larger than the 6 MB payload limit', media: PROBLEM };
  if (spec.form) generic[415] = { description: 'The form is not application/x-www-form-urlencoded', media: HTML };
  generic[500] = { description: 'Unexpected error (a French page; the details stay in the logs)', media: HTML };
  return withErrors(generic, spec.errors, HTML);
}
