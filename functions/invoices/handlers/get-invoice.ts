import { adapters } from '../../shared/adapters.ts';
import { httpHandler, ok } from '../../shared/http.ts';
import * as contracts from '../contracts.ts';
import { getInvoice, present } from '../service.ts';

const ports = () => adapters();

export const handler = httpHandler(contracts.getInvoice, async ({ principal, params }) =>
  ok(await present(ports(), await getInvoice(principal, params.id))),
);
