import { httpHandler, ok } from '../../shared/http.ts';
import { contracts } from '../contracts.ts';
import { getInvoice } from '../service.ts';
import { ledgerPage } from '../../payments/ledger-entries.ts';

export const handler = httpHandler(contracts.invoicePayments, async ({ principal, params, query }) => {
  const invoice = await getInvoice(principal, params.id);
  return ok(await ledgerPage<Record<string, unknown>>(invoice.id, query));
});
