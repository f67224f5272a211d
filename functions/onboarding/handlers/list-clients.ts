import * as contracts from '../contracts.ts';
import { httpHandler, ok } from '../../shared/http.ts';
import { listClients } from '../service.ts';

export const handler = httpHandler(contracts.listClients, async ({ principal, query }) => ok(await listClients(principal, query)));
