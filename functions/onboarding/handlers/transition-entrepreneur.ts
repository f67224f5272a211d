import * as contracts from '../contracts.ts';
import { httpHandler, ok } from '../../shared/http.ts';
import { transitionEntrepreneur } from '../service.ts';

export const handler = httpHandler(contracts.transitionEntrepreneur, async ({ principal, params, body }) =>
  ok(await transitionEntrepreneur(principal, params.id, body, new Date())),
);
