import { httpHandler, ok } from '../../shared/http.ts';
import * as contracts from '../contracts.ts';
import { getStatement, statementView } from '../statements.ts';

export const handler = httpHandler(contracts.getRedevanceStatement, async ({ principal, params }) =>
  ok(statementView(await getStatement(principal, params.id))),
);
