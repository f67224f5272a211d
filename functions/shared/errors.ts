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

export class MalformedBodyError extends HttpError {
  readonly status = 400;
  readonly title = 'Malformed JSON body';
  readonly slug = 'malformed-body';
}

export class UnauthorizedError extends HttpError {
  readonly status = 401;
  readonly title = 'Authentication required';
  readonly slug = 'unauthorized';
}

export class ForbiddenError extends HttpError {
  readonly status = 403;
  readonly title = 'Forbidden';
  readonly slug = 'forbidden';
}

export class NotFoundError extends HttpError {
  readonly status = 404;
  readonly title = 'Not found';
  readonly slug = 'not-found';
}

export class ConflictError extends HttpError {
  readonly status = 409;
  readonly title = 'Conflict';
  readonly slug = 'conflict';
  constructor(detail: string, extensions: Record<string, unknown> = {}) {
    super(detail);
    Object.assign(this.extensions, extensions);
  }
}

export class PreconditionFailedError extends HttpError {
  readonly status = 412;
  readonly title = 'Precondition failed';
  readonly slug = 'stale-version';
}

export class PayloadTooLargeError extends HttpError {
  readonly status = 413;
  readonly title = 'Payload too large';
  readonly slug = 'payload-too-large';
}

export class UnsupportedMediaTypeError extends HttpError {
  readonly status = 415;
  readonly title = 'Unsupported media type';
  readonly slug = 'unsupported-media-type';
}

export class ServiceUnavailableError extends HttpError {
  readonly status = 503;
  readonly title = 'Service unavailable';
  readonly slug = 'unavailable';
}
