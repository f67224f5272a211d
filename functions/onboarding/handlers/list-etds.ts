import * as contracts from '../contracts.ts';
import { httpHandler, ok } from '../../shared/http.ts';
import { listEtds } from '../service.ts';

export const handler = httpHandler(contracts.listEtds, async ({ principal, query }) => ok(await listEtds(principal, query)));
