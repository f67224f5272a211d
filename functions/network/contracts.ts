/** The network routes' contracts (redevance and costs): validated by the handlers, published in the OpenAPI document. */
import { contractsOf } from '../shared/http.ts';
import { routes } from './routes.ts';
import { Page, PdfLink } from '../shared/schemas.ts';
import {
  Costs,
  CostsQuery,
  EtdParams,
  IssuedStatement,
  LinesQuery,
  RateVersion,
  RateVersionBody,
  RateVersions,
  Statement,
  StatementBody,
  StatementFact,
  StatementListQuery,
  StatementParams,
} from './schemas.ts';

const contract = /* @__PURE__ */ contractsOf(routes);

export const setRedevanceRate = /* @__PURE__ */ contract({
  route: 'POST /etds/{code}/redevance/rates',
  params: EtdParams,
  body: RateVersionBody,
  success: { status: 201, schema: RateVersion, description: 'The new rate version (versions are never edited)' },
  errors: {
    400: 'Invalid input: basis points negative or above 10 000 (or the two parts together above 10 000), or `from` on or before the last day of a period already stated (`errors` names the field)',
    409: 'A rate version from this day already exists',
  },
});

export const redevanceRates = /* @__PURE__ */ contract({
  route: 'GET /etds/{code}/redevance/rates',
  params: EtdParams,
  success: {
    status: 200,
    schema: RateVersions,
    description: 'The rate versions of the territory, oldest first, and the last day already stated',
  },
});

export const issueRedevanceStatement = /* @__PURE__ */ contract({
  route: 'POST /etds/{code}/redevance/statements',
  params: EtdParams,
  body: StatementBody,
  success: {
    status: 200,
    schema: IssuedStatement,
    description:
      'The statement of the period: issued now (`created: true`: computed, its PDF stored and e-mailed to the territory’s managers), or, for a period already stated, the one issued then (`created: false`: nothing written)',
  },
  errors: {
    409: 'The territory has no rate version, the period overlaps one already stated, or an earlier period is not stated yet (`next` names it)',
  },
});

export const listRedevanceStatements = /* @__PURE__ */ contract({
  route: 'GET /redevance/statements',
  query: StatementListQuery,
  success: {
    status: 200,
    schema: () => Page(Statement()),
    description: 'A page of statements (a manager: its territory’s), oldest period first',
  },
});

export const getRedevanceStatement = /* @__PURE__ */ contract({
  route: 'GET /redevance/statements/{id}',
  params: StatementParams,
  success: { status: 200, schema: Statement, description: 'The statement: lines per CAE and rate version, regularisations, totals' },
});

export const redevanceStatementLines = /* @__PURE__ */ contract({
  route: 'GET /redevance/statements/{id}/lines',
  params: StatementParams,
  query: LinesQuery,
  success: {
    status: 200,
    schema: () => Page(StatementFact()),
    description: 'A page of the invoices, credit notes, payments and refunds the statement counted, each with its line',
  },
});

export const redevanceStatementPdf = /* @__PURE__ */ contract({
  route: 'GET /redevance/statements/{id}/pdf',
  params: StatementParams,
  success: { status: 200, schema: PdfLink, description: 'A link to the statement PDF, valid five minutes' },
});

export const listCosts = /* @__PURE__ */ contract({
  route: 'GET /costs',
  query: CostsQuery,
  success: {
    status: 200,
    schema: Costs,
    description:
      'What the territory (a manager: its own; an operator: one or all) cost per day and service, and per active entrepreneur-month',
  },
});

/** The JSON API contracts of the context (the OpenAPI document reads them all). */
export const contracts = {
  setRedevanceRate,
  redevanceRates,
  issueRedevanceStatement,
  listRedevanceStatements,
  getRedevanceStatement,
  redevanceStatementLines,
  redevanceStatementPdf,
  listCosts,
};
