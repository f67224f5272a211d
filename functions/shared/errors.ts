/**
 * One error class per failure the API can name. Each maps to an RFC 9457 problem in
 * functions/shared/problem.ts; anything else is an unexpected 500 whose details stay in the logs.
 */
export interface FieldError {
  readonly path: string;
  readonly message: string;
}

export abstract class HttpError extends Error {
  abstract readonly status: number;
  abstract readonly title: string;
  /** Last segment of the problem `type` URI. */
  abstract readonly slug: string;
  readonly extensions: Record<string, unknown> = {};
}

export class ValidationError extends HttpError {
  readonly status = 400;
  readonly title = 'Invalid request';
  readonly slug = 'validation';
  readonly errors: readonly FieldError[];
  constructor(errors: readonly FieldError[], detail?: string) {
    super(detail ?? errors.map((e) => `${e.path || '(body)'}: ${e.message}`).join('; '));
    this.errors = errors;
  }
}

/** A failure that is fully described by its status, title and problem type. */
export function failure(status: number, title: string, slug: string) {
  return class extends HttpError {
    readonly status = status;
    readonly title = title;
    readonly slug = slug;
  };
}

export class UnauthorizedError extends failure(401, 'Authentication required', 'unauthorized') {}
export class ForbiddenError extends failure(403, 'Forbidden', 'forbidden') {}
export class NotFoundError extends failure(404, 'Not found', 'not-found') {}
export class PreconditionFailedError extends failure(412, 'Precondition failed', 'stale-version') {}
export class PayloadTooLargeError extends failure(413, 'Payload too large', 'payload-too-large') {}
export class UnsupportedMediaTypeError extends failure(415, 'Unsupported media type', 'unsupported-media-type') {}
export class ServiceUnavailableError extends failure(503, 'Service unavailable', 'unavailable') {}

export class ConflictError extends failure(409, 'Conflict', 'conflict') {
  constructor(detail: string, extensions: Record<string, unknown> = {}) {
    super(detail);
    Object.assign(this.extensions, extensions);
  }
}
export class MalformedBodyError extends failure(400, 'Malformed JSON body', 'malformed-body') {}

/**
 * The value, or `undefined` when it does not exist (a `NotFoundError`). Every other failure — a
 * throttled or unreachable DynamoDB, a bug — propagates, to be answered as a 500 (logged, counted):
 * an outage must never read as "no such thing".
 */
export const unlessNotFound = <T>(promise: Promise<T>): Promise<T | undefined> =>
  promise.catch((error: unknown) => {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  });
