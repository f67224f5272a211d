/**
 * Stripe's wire format, the parts every resource shares: object ids (`cs_test_…`, `pi_3…`), the
 * error shape (`{ error: { type, code?, message, param?, doc_url? } }` with its HTTP status, thrown
 * as ApiError and written by the server), the readers of decoded form parameters (string, integer,
 * object, array, metadata, `expand`) that refuse bad input the way Stripe does, the request body
 * reader, and the signature of a resource's routes. No state.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FormObject, FormValue } from './form.ts';
import type { StripeObject } from './types.ts';

// ---- Ids and copies ----------------------------------------------------------------------------

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
export function randomId(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const byte of bytes) out += BASE62[byte % 62];
  return out;
}
export const newId = (prefix: string, length = 24) => `${prefix}${randomId(length)}`;

export const clone = <T>(value: T): T => structuredClone(value);

// ---- Errors ------------------------------------------------------------------------------------

/** A Stripe error answer: its HTTP status and the body of `{ error: … }` (doc_url added from the code). */
export class ApiError extends Error {
  readonly status: number;
  readonly body: StripeObject;
  constructor(status: number, body: { type: string; message: string; code?: string; param?: string; decline_code?: string }) {
    super(body.message);
    this.status = status;
    this.body = { ...body, ...(body.code ? { doc_url: `https://stripe.com/docs/error-codes/${body.code.replace(/_/g, '-')}` } : {}) };
  }
}

export const invalid = (message: string, param?: string, code?: string) =>
  new ApiError(400, { type: 'invalid_request_error', message, ...(param ? { param } : {}), ...(code ? { code } : {}) });
export const missing = (kind: string, id: string, param: string) =>
  new ApiError(404, { type: 'invalid_request_error', code: 'resource_missing', message: `No such ${kind}: '${id}'`, param });

// ---- Reading parameters ------------------------------------------------------------------------

export const str = (value: FormValue | undefined, param: string): string | undefined => {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw invalid(`Invalid string: ${param}`, param);
  return value;
};
export const int = (value: FormValue | undefined, param: string, min = 0): number | undefined => {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^-?\d{1,15}$/.test(value))
    throw invalid(`Invalid integer: ${typeof value === 'string' ? value : '(object)'}`, param);
  const n = Number(value);
  if (n < min) throw invalid(`This value must be greater than or equal to ${min}.`, param);
  return n;
};
export const obj = (value: FormValue | undefined, param: string): FormObject | undefined => {
  if (value === undefined) return undefined;
  if (typeof value === 'string') {
    if (value === '') return {};
    throw invalid(`Invalid object`, param);
  }
  if (Array.isArray(value)) throw invalid(`Invalid object`, param);
  return value;
};
export const arr = (value: FormValue | undefined, param: string): FormValue[] | undefined => {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) throw invalid(`Invalid array`, param);
  return value;
};
export function onlyKnown(params: FormObject, known: readonly string[], prefix = ''): void {
  for (const key of Object.keys(params)) {
    if (!known.includes(key)) throw invalid(`Received unknown parameter: ${prefix}${key}`, `${prefix}${key}`);
  }
}
export function metadataParam(value: FormValue | undefined, param: string): Record<string, string> | undefined {
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
export function expandParam(params: FormObject): string[] {
  const value = params.expand;
  if (value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map((v) => {
    if (typeof v !== 'string') throw invalid('Invalid expand', 'expand');
    return v;
  });
}

/** An amount as French text (« 12,50 € »), for the messages that quote one and the checkout page. */
export const euros = (cents: number, currency: string) =>
  new Intl.NumberFormat('fr-FR', { style: 'currency', currency: currency.toUpperCase() }).format(cents / 100);

// ---- Requests ----------------------------------------------------------------------------------

/** The body of a request as text; more than 1 MiB is refused (400). */
const MAX_BODY = 1024 * 1024;
export function readBody(req: IncomingMessage): Promise<string> {
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

/** The API request that caused an object or event (`request` of an event). */
export interface RequestRef {
  readonly id: string | null;
  readonly idempotency_key: string | null;
}

/**
 * The routes of one API resource: given the method, the path segments after /v1 (decoded) and the
 * parameters, the object answered with 200, or undefined when the request is not one of its own
 * (the router then tries the next resource, and answers 404 when none takes it).
 */
export type ResourceRoutes = (
  method: string,
  segments: readonly string[],
  params: FormObject,
  request: { readonly id: string; readonly idempotency_key: string | null },
) => StripeObject | undefined;
