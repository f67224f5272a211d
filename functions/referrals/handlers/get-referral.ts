import { httpHandler, ok } from '../../shared/http.ts';
import * as contracts from '../contracts.ts';
import { getReferral, present } from '../service.ts';

export const handler = httpHandler(contracts.getReferral, async ({ principal, params }) =>
  ok(await present(await getReferral(principal, params.id))),
);
