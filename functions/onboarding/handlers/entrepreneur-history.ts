import * as contracts from '../contracts.ts';
import { httpHandler, ok } from '../../shared/http.ts';
import { entrepreneurHistory } from '../service.ts';

export const handler = httpHandler(contracts.entrepreneurHistory, async ({ principal, params, query }) =>
  ok(await entrepreneurHistory(principal, params.id, query)),
);
