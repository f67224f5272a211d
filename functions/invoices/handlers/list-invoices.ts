import { adapters } from '../../shared/adapters.ts';
import { httpHandler, ok } from '../../shared/http.ts';
import * as contracts from '../contracts.ts';
import { listInvoices, present } from '../service.ts';

const ports = () => adapters();

export const handler = httpHandler(contracts.listInvoices, async ({ principal, query }) => {
  const now = new Date();
  const page = await listInvoices(principal, query, now);
  return ok({ ...page, items: await Promise.all(page.items.map((i) => present(ports(), i, now))) });
});
