/** The payroll routes' contracts: validated by the handlers, published in the OpenAPI document. */
import { contract } from '../shared/http.ts';
import { DeclareExpenseBody, DeclaredExpense, EntrepreneurParams, Expense, ExpenseParams, RefuseExpenseBody } from './schemas.ts';

export const contracts = {
  declareExpense: contract({
    route: 'POST /entrepreneurs/{id}/expenses',
    params: EntrepreneurParams,
    body: DeclareExpenseBody,
    success: {
      status: 201,
      schema: DeclaredExpense,
      description: 'The expense, declared, and a link (valid 15 minutes) to PUT its receipt with exactly the headers given',
    },
    errors: { 409: 'The entrepreneur has left the cooperative' },
  }),
  getExpense: contract({
    route: 'GET /expenses/{id}',
    params: ExpenseParams,
    success: { status: 200, schema: Expense, description: 'The expense' },
  }),
  validateExpense: contract({
    route: 'POST /expenses/{id}/validate',
    params: ExpenseParams,
    success: { status: 200, schema: Expense, description: 'The expense, validated and debited from the activity account' },
    errors: {
      400: 'Invalid input, or the receipt is missing, not a PDF/JPEG/PNG by its content, or too large (`errors` names `receipt`)',
      409: 'The expense is already validated or refused, or changed meanwhile',
    },
  }),
  refuseExpense: contract({
    route: 'POST /expenses/{id}/refuse',
    params: ExpenseParams,
    body: RefuseExpenseBody,
    success: { status: 200, schema: Expense, description: 'The expense, refused with its reason' },
    errors: { 409: 'The expense is already validated or refused, or changed meanwhile' },
  }),
};
