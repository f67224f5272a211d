import { adapters } from '../../shared/adapters.ts';
import { httpHandler, ok } from '../../shared/http.ts';
import { getInvoice } from '../../invoices/index.ts';
import * as contracts from '../contracts.ts';
import { recordOfflinePayment } from '../offline.ts';

const ports = () => adapters();

/** A payment received outside Stripe, recorded by the invoice's territory staff (another territory's invoice: 404). */
export const handler = httpHandler(contracts.recordPayment, async ({ principal, params, body }) => {
  const visible = await getInvoice(principal, params.id);
  const { payment, invoice, recorded } = await recordOfflinePayment(ports(), visible, body, principal, new Date());
  const { id, number, state, version, amountPaidCents, amountPendingCents, amountCreditedCents, amountDueCents } = invoice;
  const { entity: _entity, pk: _pk, sk: _sk, ...view } = payment as typeof payment & { entity?: string; pk?: string; sk?: string };
  return ok({
    payment: view,
    invoice: { id, number, state, version, amountPaidCents, amountPendingCents, amountCreditedCents, amountDueCents },
    recorded,
  });
});
