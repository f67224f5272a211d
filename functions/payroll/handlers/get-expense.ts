import { httpHandler, ok } from '../../shared/http.ts';
import * as contracts from '../contracts.ts';
import { getExpense, presentExpense } from '../expenses.ts';

export const handler = httpHandler(contracts.getExpense, async ({ principal, params }) =>
  ok(presentExpense(await getExpense(principal, params.id))),
);
