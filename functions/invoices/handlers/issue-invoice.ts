import { adapters } from '../../shared/adapters.ts';
import { httpHandler, ok } from '../../shared/http.ts';
import * as contracts from '../contracts.ts';
import { issueInvoice } from '../issue.ts';
import { present } from '../service.ts';

const ports = () => adapters();

export const handler = httpHandler(contracts.issueInvoice, async ({ principal, params }) =>
  ok(await present(ports(), await issueInvoice(ports(), principal, params.id, new Date()))),
);
