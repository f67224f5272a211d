/**
 * Bundled in place of `brotli/decompress.js` (infra/constructs/bundling.ts `alias`). fontkit imports
 * brotli only to read WOFF2 fonts; the house fonts are TrueType (layers/pdf-assets/fonts), so the
 * 475 KiB decoder would only cost import time. Reading a WOFF2 font fails loudly instead.
 */
export default function decompress(): never {
  throw new Error('WOFF2 fonts are not supported in the bundles: use the TrueType fonts of layers/pdf-assets');
}
