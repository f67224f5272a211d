import { httpHandler, ok } from '../../shared/http.ts';
import * as contracts from '../contracts.ts';
import { registerEmployer } from '../declarations.ts';

export const handler = httpHandler(contracts.registerEmployer, async ({ principal, params, body }) =>
  ok((await registerEmployer(principal, params.id, body, new Date())).employer),
);
