/** Content digests, and the tokens of the links sent to clients and partners. */
import { createHash, createHmac } from 'node:crypto';
import type { Adapters } from './adapters.ts';

/** SHA-256 of a text or bytes, in lowercase hex (64 characters). */
export function sha256(value: string | Uint8Array): string {
  return createHash('sha256').update(value).digest('hex');
}

/**
 * A link's token: HMAC-SHA-256 of what the link names (`quote:<id>`, `invoice:<id>`,
 * `referral-offer:<id>:<partner>`) under the link signing key, base64url (256 bits). Never stored:
 * it is computed again, or its SHA-256 is kept.
 */
export async function signedLinkToken(ports: Pick<Adapters, 'secrets'>, subject: string): Promise<string> {
  const key = await ports.secrets.get('linkSigningKey');
  return createHmac('sha256', key).update(subject).digest('base64url');
}
