import { adapters } from '../../shared/adapters.ts';
import { httpHandler, ok } from '../../shared/http.ts';
import * as contracts from '../contracts.ts';
import { listQuotes, present } from '../service.ts';

const ports = () => adapters();

export const handler = httpHandler(contracts.listQuotes, async ({ principal, query }) => {
  const page = await listQuotes(principal, query);
  return ok({ ...page, items: await Promise.all(page.items.map((quote) => present(ports(), quote))) });
});
