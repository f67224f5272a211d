import { httpHandler, ok } from '../../shared/http.ts';
import * as contracts from '../contracts.ts';
import { listCosts } from '../costs-read.ts';

export const handler = httpHandler(contracts.listCosts, async ({ principal, query }) => ok(await listCosts(principal, query)));
