import * as contracts from '../contracts.ts';
import { httpHandler, ok } from '../../shared/http.ts';
import { getEtd } from '../service.ts';

export const handler = httpHandler(contracts.getEtd, async ({ principal, params }) => ok(await getEtd(principal, params.code)));
