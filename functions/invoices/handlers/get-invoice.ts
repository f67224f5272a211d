import { httpHandler, ok } from '../../shared/http.ts';
import { contracts } from '../contracts.ts';
import { getInvoice, present } from '../service.ts';

export const handler = httpHandler(contracts.getInvoice, async ({ principal, params }) =>
  ok(await present(await getInvoice(principal, params.id))),
);
