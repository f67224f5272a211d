import { adapters } from '../../shared/adapters.ts';
import { created, httpHandler } from '../../shared/http.ts';
import * as contracts from '../contracts.ts';
import { createInvoice, present } from '../service.ts';

const ports = () => adapters();

export const handler = httpHandler(contracts.createInvoice, async ({ principal, body }) => {
  const invoice = await present(ports(), await createInvoice(principal, body, new Date()));
  return created(invoice, invoice.links.self);
});
