import { adapters } from '../../shared/adapters.ts';
import { httpHandler, ok } from '../../shared/http.ts';
import * as contracts from '../contracts.ts';
import { validateExpense } from '../expenses.ts';

const ports = () => adapters();

export const handler = httpHandler(contracts.validateExpense, async ({ principal, params }) =>
  ok(await validateExpense(ports(), principal, params.id, new Date())),
);
