/**
 * Idempotency keys, as Stripe keeps them for POST requests: the first answer given under a key is
 * saved with the request's fingerprint (method, path, raw body); the same key with the same request
 * gets the saved answer again (replayed), with other parameters a 400 idempotency_error. Stripe
 * saves the outcome once the endpoint started executing — successes and declines (402) — not the
 * refusals of the parameters, which may be retried with the same key. Kept in memory, never expired.
 */
import { ApiError } from './wire.ts';

export interface SavedResponse {
  readonly fingerprint: string;
  readonly status: number;
  readonly body: string;
}

export interface IdempotencyKeys {
  /** The saved answer to replay, or undefined (not a POST, no key, or a new key); throws when the key was used with another request. */
  replay(method: string, key: string | undefined, fingerprint: string): SavedResponse | undefined;
  /** Saves the answer under the key when Stripe would (a POST, with a key, that succeeded or was declined). */
  save(method: string, key: string | undefined, response: SavedResponse): void;
}

export function createIdempotencyKeys(): IdempotencyKeys {
  const saved = new Map<string, SavedResponse>();
  return {
    replay(method, key, fingerprint) {
      const found = method === 'POST' && key ? saved.get(key) : undefined;
      if (found && found.fingerprint !== fingerprint) {
        throw new ApiError(400, {
          type: 'idempotency_error',
          message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
        });
      }
      return found;
    },
    save(method, key, response) {
      if (method === 'POST' && key && (response.status < 400 || response.status === 402)) saved.set(key, response);
    },
  };
}
