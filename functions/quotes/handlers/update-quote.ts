import { httpHandler, ok } from '../../shared/http.ts';
import { contracts } from '../contracts.ts';
import { present, updateQuote } from '../service.ts';

export const handler = httpHandler(contracts.updateQuote, async ({ principal, params, body }) =>
  ok(await present(await updateQuote(principal, params.id, body, new Date()))),
);
