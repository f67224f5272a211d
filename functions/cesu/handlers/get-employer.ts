import { httpHandler, ok } from '../../shared/http.ts';
import * as contracts from '../contracts.ts';
import { getEmployer } from '../declarations.ts';

export const handler = httpHandler(contracts.getEmployer, async ({ principal, params }) => ok(await getEmployer(principal, params.id)));
