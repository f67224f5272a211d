import { adapters } from '../../shared/adapters.ts';
import { httpHandler, ok } from '../../shared/http.ts';
import * as contracts from '../contracts.ts';
import { present, updateInvoice } from '../service.ts';

const ports = () => adapters();

export const handler = httpHandler(contracts.updateInvoice, async ({ principal, params, body }) =>
  ok(await present(ports(), await updateInvoice(principal, params.id, body, new Date()))),
);
