import { adapters } from '../../shared/adapters.ts';
import { created, httpHandler } from '../../shared/http.ts';
import * as contracts from '../contracts.ts';
import { createQuote, present } from '../service.ts';

const ports = () => adapters();

export const handler = httpHandler(contracts.createQuote, async ({ principal, body }) => {
  const quote = await present(ports(), await createQuote(principal, body, new Date()));
  return created(quote, quote.links.self);
});
