import { httpHandler, ok } from '../../shared/http.ts';
import { contracts } from '../contracts.ts';
import { getQuote, present } from '../service.ts';

export const handler = httpHandler(contracts.getQuote, async ({ principal, params }) =>
  ok(await present(await getQuote(principal, params.id))),
);
