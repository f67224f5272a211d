import * as contracts from '../contracts.ts';
import { httpHandler, ok } from '../../shared/http.ts';
import { getEntrepreneur } from '../service.ts';

export const handler = httpHandler(contracts.getEntrepreneur, async ({ principal, params }) =>
  ok(await getEntrepreneur(principal, params.id)),
);
