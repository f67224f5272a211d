import { randomBytes } from 'node:crypto';

// Crockford base32, lower-case: ids read well in URLs and console views and sort by creation time.
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/** `<prefix>_` + 10 characters of millisecond time + 16 random characters (80 bits). */
export function newId(prefix: string, now: Date = new Date()): string {
  let time = now.getTime();
  let head = '';
  for (let i = 0; i < 10; i++) {
    head = ALPHABET[time % 32] + head;
    time = Math.floor(time / 32);
  }
  const bytes = randomBytes(16);
  let tail = '';
  for (const byte of bytes) tail += ALPHABET[byte % 32];
  return `${prefix}_${head}${tail}`;
}
