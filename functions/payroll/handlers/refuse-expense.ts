import { httpHandler, ok } from '../../shared/http.ts';
import * as contracts from '../contracts.ts';
import { refuseExpense } from '../expenses.ts';

export const handler = httpHandler(contracts.refuseExpense, async ({ principal, params, body }) =>
  ok(await refuseExpense(principal, params.id, body.reason, new Date())),
);
