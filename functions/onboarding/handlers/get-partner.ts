import * as contracts from '../contracts.ts';
import { httpHandler, ok } from '../../shared/http.ts';
import { getPartner } from '../service.ts';

export const handler = httpHandler(contracts.getPartner, async ({ principal, params }) => ok(await getPartner(principal, params.id)));
