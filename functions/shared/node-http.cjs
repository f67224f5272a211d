/**
 * Bundled in place of `node:http` where a bundled ES module imports it (infra/constructs/bundling.ts
 * `bundleAliases`): Powertools Tracer does, to trace outgoing requests. Node gives an ES module
 * a built-in module through a facade that reads every export of it once, and three of
 * `node:http`'s exports (WebSocket, CloseEvent, MessageEvent) are getters that load undici, the
 * fetch implementation no house function uses: about 15 ms of every function's cold import. The
 * same module, required: the exports are read when used. `http` without its `node:` prefix, which
 * the alias does not cover.
 */
'use strict';
module.exports = require('http');
