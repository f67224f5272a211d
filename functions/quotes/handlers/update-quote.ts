import { adapters } from '../../shared/adapters.ts';
import { httpHandler, ok } from '../../shared/http.ts';
import * as contracts from '../contracts.ts';
import { present, updateQuote } from '../service.ts';

const ports = () => adapters();

export const handler = httpHandler(contracts.updateQuote, async ({ principal, params, body }) =>
  ok(await present(ports(), await updateQuote(principal, params.id, body, new Date()))),
);
