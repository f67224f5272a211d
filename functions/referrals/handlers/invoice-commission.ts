import { adapters } from '../../shared/adapters.ts';
import { httpHandler, ok } from '../../shared/http.ts';
import * as contracts from '../contracts.ts';
import { present, retryCommission } from '../service.ts';

const ports = () => adapters();

export const handler = httpHandler(contracts.invoiceCommission, async ({ principal, params }) =>
  ok(await present(await retryCommission(ports(), principal, params.id, new Date()))),
);
