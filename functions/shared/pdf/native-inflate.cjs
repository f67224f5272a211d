/**
 * Bundled in place of `tiny-inflate` (infra/constructs/bundling.ts `bundleAliases`): the same raw
 * DEFLATE decoding by Node's zlib instead of JavaScript. unicode-trie inflates, twice, the Unicode
 * tables that unicode-properties, linebreak and fontkit build when they are imported; in JavaScript
 * run cold that took about 15 ms of every PDF function's import. Same contract as tiny-inflate:
 * the output is written into `dest`, which is returned (a copy cut to the output's length if
 * shorter). CommonJS like tiny-inflate, whose users `require` it as a function.
 * test/unit/pdf-bundle-aliases.test.ts compares both on the tables of the bundle.
 */
'use strict';
const { inflateRawSync } = require('node:zlib');

module.exports = function inflate(source, dest) {
  const out = inflateRawSync(source);
  if (out.byteLength > dest.byteLength) throw new Error('Data error: the inflated data is longer than its destination');
  dest.set(out);
  return out.byteLength < dest.byteLength ? dest.slice(0, out.byteLength) : dest;
};
