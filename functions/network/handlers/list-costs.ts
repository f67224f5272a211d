import { httpHandler, ok } from '../../shared/http.ts';
import { contracts } from '../contracts.ts';
import { listCosts } from '../costs.ts';

export const handler = httpHandler(contracts.listCosts, async ({ principal, query }) => ok(await listCosts(principal, query)));
