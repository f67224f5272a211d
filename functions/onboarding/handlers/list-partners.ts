import * as contracts from '../contracts.ts';
import { httpHandler, ok } from '../../shared/http.ts';
import { listPartners } from '../service.ts';

export const handler = httpHandler(contracts.listPartners, async ({ principal, query }) => ok(await listPartners(principal, query)));
