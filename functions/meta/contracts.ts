import * as z from 'zod';
import { contract } from '../shared/http.ts';

const spec = contract;

export const contracts = {
  health: spec({ route: 'GET /health', success: { status: 200, schema: z.object({ status: z.literal('ok') }), description: 'The database answers' } }),
  openApi: spec({ route: 'GET /openapi.json', success: { status: 200, schema: z.record(z.string(), z.unknown()), description: 'OpenAPI 3.1 document' } }),
};
