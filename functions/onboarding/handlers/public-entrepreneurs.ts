import * as contracts from '../contracts.ts';
import { httpHandler, ok } from '../../shared/http.ts';
import { publicEntrepreneurs } from '../service.ts';

export const handler = httpHandler(contracts.publicEntrepreneurs, async ({ query }) => ok(await publicEntrepreneurs(query)));
