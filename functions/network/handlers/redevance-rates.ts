import { httpHandler, ok } from '../../shared/http.ts';
import * as contracts from '../contracts.ts';
import { listRates } from '../rates.ts';

export const handler = httpHandler(contracts.redevanceRates, async ({ principal, params }) => ok(await listRates(principal, params.code)));
