import { httpHandler, ok } from '../../shared/http.ts';
import * as contracts from '../contracts.ts';
import { markPaid } from '../declarations.ts';

export const handler = httpHandler(contracts.markPaid, async ({ principal, params, body }) =>
  ok(await markPaid(principal, params.id, params.period, body, new Date())),
);
