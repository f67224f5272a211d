/**
 * Bundled in place of `http` and `node:http` (infra/constructs/bundling.ts `bundleAliases`): the ES
 * modules the functions bundle import it (Powertools Tracer, to trace outgoing requests; Stripe,
 * its HTTP client). Node gives an ES module a built-in module through a facade that reads every
 * export of it once, and three of `http`'s exports (WebSocket, CloseEvent, MessageEvent) are
 * getters that load undici, the fetch implementation no house function uses: about 15 ms of a cold
 * import. Here the module itself, as `require` gives it: its exports are read when used. Taken
 * with `process.getBuiltinModule` rather than `require('http')`, which the alias would send back here.
 */
'use strict';
module.exports = process.getBuiltinModule('node:http');
