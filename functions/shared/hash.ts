/** Content digests. */
import { createHash } from 'node:crypto';

/** SHA-256 of a text or bytes, in lowercase hex (64 characters). */
export function sha256(value: string | Uint8Array): string {
  return createHash('sha256').update(value).digest('hex');
}
