import { httpHandler, ok } from '../../shared/http.ts';
import * as contracts from '../contracts.ts';
import { getDeclaration } from '../declarations.ts';

export const handler = httpHandler(contracts.getDeclaration, async ({ principal, params }) =>
  ok(await getDeclaration(principal, params.id, params.period)),
);
