import { httpHandler, ok } from '../../shared/http.ts';
import { contracts } from '../contracts.ts';
import { present, updateInvoice } from '../service.ts';

export const handler = httpHandler(contracts.updateInvoice, async ({ principal, params, body }) =>
  ok(await present(await updateInvoice(principal, params.id, body, new Date()))),
);
