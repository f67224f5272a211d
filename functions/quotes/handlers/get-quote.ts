import { adapters } from '../../shared/adapters.ts';
import { httpHandler, ok } from '../../shared/http.ts';
import * as contracts from '../contracts.ts';
import { getQuote, present } from '../service.ts';

const ports = () => adapters();

export const handler = httpHandler(contracts.getQuote, async ({ principal, params }) =>
  ok(await present(ports(), await getQuote(principal, params.id))),
);
