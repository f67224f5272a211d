import * as z from '../shared/zod.ts';
import { contractsOf } from '../shared/http.ts';
import { routes } from './routes.ts';

const contract = /* @__PURE__ */ contractsOf(routes);

export const health = /* @__PURE__ */ contract({
  route: 'GET /health',
  success: { status: 200, schema: () => z.object({ status: z.literal('ok') }), description: 'The database answers' },
  errors: { 503: 'The database does not answer' },
});

export const openApi = /* @__PURE__ */ contract({
  route: 'GET /openapi.json',
  success: { status: 200, schema: () => z.record(z.string(), z.unknown()), description: 'OpenAPI 3.1 document' },
});

/** The meta routes' contracts (the OpenAPI document reads them all). */
export const contracts = { health, openApi };
