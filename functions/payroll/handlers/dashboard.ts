import { httpHandler, ok } from '../../shared/http.ts';
import { dashboard } from '../account.ts';
import * as contracts from '../contracts.ts';

export const handler = httpHandler(contracts.dashboard, async ({ principal, params, query }) =>
  ok(await dashboard(principal, params.id, query.from, query.to)),
);
