import { httpHandler, ok } from '../../shared/http.ts';
import * as contracts from '../contracts.ts';
import { exportDeclaration } from '../declarations.ts';

export const handler = httpHandler(contracts.exportDeclaration, async ({ principal, params }) =>
  ok(await exportDeclaration(principal, params.id, params.period)),
);
