import * as z from 'zod';
import { contractsOf } from '../shared/http.ts';
import { routes } from './routes.ts';

const contract = contractsOf(routes);

const spec = contract;

export const contracts = {
  health: spec({
    route: 'GET /health',
    success: { status: 200, schema: z.object({ status: z.literal('ok') }), description: 'The database answers' },
    errors: { 503: 'The database does not answer' },
  }),
  openApi: spec({
    route: 'GET /openapi.json',
    success: { status: 200, schema: z.record(z.string(), z.unknown()), description: 'OpenAPI 3.1 document' },
  }),
};
