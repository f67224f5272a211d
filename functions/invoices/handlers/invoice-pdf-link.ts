import { adapters } from '../../shared/adapters.ts';
import { ConflictError } from '../../shared/errors.ts';
import { httpHandler, ok } from '../../shared/http.ts';
import * as contracts from '../contracts.ts';
import { getInvoice } from '../service.ts';

const ports = () => adapters();

export const handler = httpHandler(contracts.invoicePdfLink, async ({ principal, params }) => {
  const invoice = await getInvoice(principal, params.id);
  if (!invoice.documentKey || !invoice.number) throw new ConflictError('A draft has no PDF yet: issue the invoice first.');
  if (invoice.documentPending)
    throw new ConflictError('The PDF of this invoice is not stored yet: issue the invoice again to complete its issue.', {
      state: invoice.state,
    });
  return ok(await ports().documents.link(invoice.documentKey, { ttlSeconds: 300, fileName: `Facture ${invoice.number}.pdf` }));
});
