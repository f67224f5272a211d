import { httpHandler, ok } from '../../shared/http.ts';
import { accountStatement } from '../account.ts';
import * as contracts from '../contracts.ts';

export const handler = httpHandler(contracts.account, async ({ principal, params, query }) =>
  ok(await accountStatement(principal, params.id, query.period)),
);
