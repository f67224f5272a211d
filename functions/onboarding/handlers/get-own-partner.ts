import * as contracts from '../contracts.ts';
import { selfId } from '../../shared/auth.ts';
import { httpHandler, ok } from '../../shared/http.ts';
import { getPartner } from '../service.ts';

export const handler = httpHandler(contracts.getOwnPartner, async ({ principal }) => ok(await getPartner(principal, selfId(principal))));
