import { httpHandler, ok } from '../../shared/http.ts';
import { contracts } from '../contracts.ts';
import { issueInvoice } from '../issue.ts';
import { present } from '../service.ts';

export const handler = httpHandler(contracts.issueInvoice, async ({ principal, params }) =>
  ok(await present(await issueInvoice(principal, params.id, new Date()))),
);
