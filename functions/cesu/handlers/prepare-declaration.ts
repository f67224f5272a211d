import { adapters } from '../../shared/adapters.ts';
import { httpHandler, ok } from '../../shared/http.ts';
import * as contracts from '../contracts.ts';
import { prepareDeclaration } from '../prepare.ts';

export const handler = httpHandler(contracts.prepareDeclaration, async ({ principal, params, body }) =>
  ok((await prepareDeclaration(adapters(), principal, params.id, params.period, body, new Date())).declaration),
);
