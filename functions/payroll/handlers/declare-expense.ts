import { adapters } from '../../shared/adapters.ts';
import { created, httpHandler } from '../../shared/http.ts';
import * as contracts from '../contracts.ts';
import { declareExpense } from '../expenses.ts';

const ports = () => adapters();

export const handler = httpHandler(contracts.declareExpense, async ({ principal, params, body }) => {
  const declared = await declareExpense(ports(), principal, params.id, body, new Date());
  return created(declared, `/expenses/${declared.expense.id}`);
});
