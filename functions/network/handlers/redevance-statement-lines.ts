import { httpHandler, ok } from '../../shared/http.ts';
import * as contracts from '../contracts.ts';
import { statementLines } from '../statements.ts';

export const handler = httpHandler(contracts.redevanceStatementLines, async ({ principal, params, query }) =>
  ok(await statementLines(principal, params.id, query)),
);
