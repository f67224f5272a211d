import { httpHandler, ok } from '../../shared/http.ts';
import * as contracts from '../contracts.ts';
import { submitDeclaration } from '../declarations.ts';

export const handler = httpHandler(contracts.submitDeclaration, async ({ principal, params, body }) =>
  ok(await submitDeclaration(principal, params.id, params.period, body, new Date())),
);
