import * as contracts from '../contracts.ts';
import { httpHandler, ok } from '../../shared/http.ts';
import { listEntrepreneurs } from '../service.ts';

export const handler = httpHandler(contracts.listEntrepreneurs, async ({ principal, query }) =>
  ok(await listEntrepreneurs(principal, query)),
);
