/** The payroll routes' contracts: validated by the handlers, published in the OpenAPI document. */
import { contractsOf } from '../shared/http.ts';
import { routes } from './routes.ts';
import * as z from '../shared/zod.ts';
import { Page, PdfLink } from '../shared/schemas.ts';
import {
  Account,
  AccountQuery,
  CaeSettingsBody,
  CaeSettingsHistory,
  CaeSettingsParams,
  Dashboard,
  DashboardQuery,
  DeclareExpenseBody,
  DeclaredExpense,
  EntrepreneurParams,
  Expense,
  ExpenseParams,
  ListQuery,
  Payslip,
  PeriodParams,
  RefuseExpenseBody,
  SalaryBody,
  SalaryDraft,
  WithholdingRateBody,
  WithholdingRates,
} from './schemas.ts';

const contract = /* @__PURE__ */ contractsOf(routes);

export const declareExpense = /* @__PURE__ */ contract({
  route: 'POST /entrepreneurs/{id}/expenses',
  params: EntrepreneurParams,
  body: DeclareExpenseBody,
  success: {
    status: 201,
    schema: DeclaredExpense,
    description: 'The expense, declared, and a link (valid 15 minutes) to PUT its receipt with exactly the headers given',
  },
  errors: { 409: 'The entrepreneur has left the cooperative' },
});

export const getExpense = /* @__PURE__ */ contract({
  route: 'GET /expenses/{id}',
  params: ExpenseParams,
  success: { status: 200, schema: Expense, description: 'The expense' },
});

export const validateExpense = /* @__PURE__ */ contract({
  route: 'POST /expenses/{id}/validate',
  params: ExpenseParams,
  success: { status: 200, schema: Expense, description: 'The expense, validated and debited from the activity account' },
  errors: {
    400: 'Invalid input, or the receipt is missing, not a PDF/JPEG/PNG by its content, or too large (`errors` names `receipt`)',
    409: 'The expense is already validated or refused, or changed meanwhile',
  },
});

export const refuseExpense = /* @__PURE__ */ contract({
  route: 'POST /expenses/{id}/refuse',
  params: ExpenseParams,
  body: RefuseExpenseBody,
  success: { status: 200, schema: Expense, description: 'The expense, refused with its reason' },
  errors: { 409: 'The expense is already validated or refused, or changed meanwhile' },
});

export const setSalary = /* @__PURE__ */ contract({
  route: 'PUT /entrepreneurs/{id}/salaries/{period}',
  params: PeriodParams,
  body: SalaryBody,
  success: { status: 200, schema: SalaryDraft, description: 'The salary of the month, as a draft until its payslip is issued' },
  errors: { 409: 'The payslip of the month is issued: it never changes' },
});

export const issuePayslip = /* @__PURE__ */ contract({
  route: 'POST /entrepreneurs/{id}/payslips/{period}',
  params: PeriodParams,
  success: {
    status: 201,
    schema: () => z.extend(Payslip(), { emailed: z.boolean() }),
    description: 'The payslip, numbered, its PDF stored and e-mailed to the entrepreneur (`emailed` says whether the e-mail left)',
  },
  errors: {
    409: 'No salary set for the month, the payslip is already issued, or the employer cost exceeds the account (balance + overdraft): `affordableEmployerCostCents` and `affordableGrossCents` say the maximum',
    422: 'modele-social could not compute this salary (no convergence, or inconsistent figures): nothing was issued',
    503: 'The number series is busy; try again',
  },
});

export const listPayslips = /* @__PURE__ */ contract({
  route: 'GET /entrepreneurs/{id}/payslips',
  params: EntrepreneurParams,
  query: ListQuery,
  success: { status: 200, schema: () => Page(Payslip()), description: 'A page of payslips, oldest month first' },
});

export const payslipPdfLink = /* @__PURE__ */ contract({
  route: 'GET /entrepreneurs/{id}/payslips/{period}/pdf',
  params: PeriodParams,
  success: { status: 200, schema: PdfLink, description: 'A link to the payslip PDF, valid five minutes' },
  errors: { 409: 'The PDF of the payslip is not stored yet (issue it again to complete it)' },
});

export const account = /* @__PURE__ */ contract({
  route: 'GET /entrepreneurs/{id}/account',
  params: EntrepreneurParams,
  query: AccountQuery,
  success: { status: 200, schema: Account, description: 'The activity account: its movements (of one month, or all) and its balance' },
});

export const dashboard = /* @__PURE__ */ contract({
  route: 'GET /entrepreneurs/{id}/dashboard',
  params: EntrepreneurParams,
  query: DashboardQuery,
  success: {
    status: 200,
    schema: Dashboard,
    description:
      'Per month: hours, turnover HT, contribution, expenses, gross, net, employer cost, balance, and the gap to the business-plan profile',
  },
});

export const setWithholdingRate = /* @__PURE__ */ contract({
  route: 'PUT /entrepreneurs/{id}/withholding-rate',
  params: EntrepreneurParams,
  body: WithholdingRateBody,
  success: {
    status: 200,
    schema: WithholdingRates,
    description:
      'The withholding rate recorded as a new version (never editing one): every version, oldest first, and the one in force today',
  },
  errors: { 409: 'A version starting after `from` is recorded (`field`: `from`, `latestFrom`)' },
});

export const withholdingRates = /* @__PURE__ */ contract({
  route: 'GET /entrepreneurs/{id}/withholding-rate',
  params: EntrepreneurParams,
  success: {
    status: 200,
    schema: WithholdingRates,
    description: 'Every withholding rate version of the entrepreneur, oldest first, and the one in force today (none: the neutral grid)',
  },
});

export const setCaePayrollSettings = /* @__PURE__ */ contract({
  route: 'PUT /etds/{code}/caes/{cae}/payroll-settings',
  params: CaeSettingsParams,
  body: CaeSettingsBody,
  success: { status: 200, schema: CaeSettingsHistory, description: 'Every settings version of the CAE, oldest first, the new one last' },
  errors: {
    409: 'A payslip of the CAE is issued for `from` or a later month (`lastIssuedPeriod`), or `from` is not after the latest version (`latestFrom`); `field` names `from`',
  },
});

/** The JSON API contracts of the context (the OpenAPI document reads them all). */
export const contracts = {
  declareExpense,
  getExpense,
  validateExpense,
  refuseExpense,
  setSalary,
  issuePayslip,
  listPayslips,
  payslipPdfLink,
  account,
  dashboard,
  setWithholdingRate,
  withholdingRates,
  setCaePayrollSettings,
};
