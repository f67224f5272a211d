/**
 * Bundled in place of `base64-js` (infra/constructs/bundling.ts `bundleAliases`): its `toByteArray`
 * by Node's own base64 decoder. unicode-properties and linebreak decode their Unicode tables
 * (about 40 KB of base64) with it when they are imported, in JavaScript run cold. Same
 * result: a Uint8Array of its own (offset 0), as base64-js gives (test/unit/pdf-bundle-aliases.test.ts).
 */
export function toByteArray(base64: string): Uint8Array {
  if (base64.length % 4 > 0) throw new Error('Invalid string. Length must be a multiple of 4');
  return new Uint8Array(Buffer.from(base64, 'base64'));
}

export function fromByteArray(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

export function byteLength(base64: string): number {
  return toByteArray(base64).byteLength;
}

export default { toByteArray, fromByteArray, byteLength };
