import * as contracts from '../contracts.ts';
import { httpHandler, ok } from '../../shared/http.ts';
import { getClient } from '../service.ts';

export const handler = httpHandler(contracts.getClient, async ({ principal, params }) => ok(await getClient(principal, params.id)));
