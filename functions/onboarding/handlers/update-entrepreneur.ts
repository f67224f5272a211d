import * as contracts from '../contracts.ts';
import { httpHandler, ok } from '../../shared/http.ts';
import { updateEntrepreneur } from '../service.ts';

export const handler = httpHandler(contracts.updateEntrepreneur, async ({ principal, params, body }) =>
  ok(await updateEntrepreneur(principal, params.id, body, new Date())),
);
