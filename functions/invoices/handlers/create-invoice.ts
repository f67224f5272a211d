import { created, httpHandler } from '../../shared/http.ts';
import { contracts } from '../contracts.ts';
import { createInvoice, present } from '../service.ts';

export const handler = httpHandler(contracts.createInvoice, async ({ principal, body }) => {
  const invoice = await present(await createInvoice(principal, body, new Date()));
  return created(invoice, invoice.links.self);
});
