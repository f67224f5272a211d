import { adapters } from '../../shared/adapters.ts';
import { httpHandler, ok } from '../../shared/http.ts';
import * as contracts from '../contracts.ts';
import { issueStatement } from '../statement-issue.ts';
import { statementView } from '../statements.ts';

const ports = () => adapters();

export const handler = httpHandler(contracts.issueRedevanceStatement, async ({ principal, params, body }) => {
  const outcome = await issueStatement(ports(), principal, params.code, body.period, new Date());
  const answer = { ...statementView(outcome.statement), created: outcome.created, emailed: outcome.emailed };
  return ok(answer);
});
