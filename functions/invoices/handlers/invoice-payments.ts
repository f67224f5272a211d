import { httpHandler, ok } from '../../shared/http.ts';
import { paymentsOfInvoice } from '../../payments/index.ts';
import * as contracts from '../contracts.ts';
import { getInvoice } from '../service.ts';

/** The invoice as the caller may see it, then its payments and refunds (the payments context's list). */
export const handler = httpHandler(contracts.invoicePayments, async ({ principal, params, query }) => {
  const invoice = await getInvoice(principal, params.id);
  return ok(await paymentsOfInvoice<Record<string, unknown>>(invoice.id, query));
});
