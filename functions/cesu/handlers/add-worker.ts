import { created, httpHandler } from '../../shared/http.ts';
import * as contracts from '../contracts.ts';
import { addWorker } from '../declarations.ts';

export const handler = httpHandler(contracts.addWorker, async ({ principal, params, body }) =>
  created(await addWorker(principal, params.id, body, new Date()), `/clients/${params.id}/cesu-employer`),
);
