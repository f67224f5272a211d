import { httpHandler, ok } from '../../shared/http.ts';
import { contracts } from '../contracts.ts';
import { getInvoice } from '../service.ts';
import { keys, queryPage } from '../store.ts';

export const handler = httpHandler(contracts.invoicePayments, async ({ principal, params }) => {
  const invoice = await getInvoice(principal, params.id);
  const pk = keys.invoice(invoice.id).pk;
  const [payments, refunds] = await Promise.all([
    queryPage<Record<string, unknown>>(undefined, pk, { limit: 100 }, { skPrefix: 'PAY#' }),
    queryPage<Record<string, unknown>>(undefined, pk, { limit: 100 }, { skPrefix: 'REF#' }),
  ]);
  const items = [...payments.items, ...refunds.items].sort((a, b) => String(a.at).localeCompare(String(b.at)));
  return ok({ items });
});
