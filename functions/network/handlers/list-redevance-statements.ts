import { httpHandler, ok } from '../../shared/http.ts';
import * as contracts from '../contracts.ts';
import { listStatements } from '../statements.ts';

export const handler = httpHandler(contracts.listRedevanceStatements, async ({ principal, query }) =>
  ok(await listStatements(principal, query)),
);
