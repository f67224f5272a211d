import { httpHandler, ok } from '../../shared/http.ts';
import { contracts } from '../contracts.ts';
import { listQuotes, present } from '../service.ts';

export const handler = httpHandler(contracts.listQuotes, async ({ principal, query }) => {
  const page = await listQuotes(principal, query);
  return ok({ ...page, items: await Promise.all(page.items.map(present)) });
});
