import { httpHandler, ok } from '../../shared/http.ts';
import * as contracts from '../contracts.ts';
import { listPayslips } from '../payslip-views.ts';

export const handler = httpHandler(contracts.listPayslips, async ({ principal, params, query }) =>
  ok(await listPayslips(principal, params.id, query)),
);
