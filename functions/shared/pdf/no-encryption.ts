/**
 * Bundled in place of `@noble/ciphers/aes` (infra/constructs/bundling.ts `bundleAliases`). pdfkit
 * imports it only to encrypt a PDF, which it does only when given `userPassword` or `ownerPassword`
 * (PDFSecurity.create returns null otherwise); the house documents are never encrypted
 * (functions/shared/pdf/document.ts). The module builds its AES tables when imported: 5 ms of
 * every PDF function's import for nothing. Encrypting fails loudly instead.
 */
const unsupported = (): never => {
  throw new Error('PDF encryption is not bundled: the house documents are not encrypted');
};

export const cbc = unsupported;
export const ecb = unsupported;
