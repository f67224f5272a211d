import * as contracts from '../contracts.ts';
import { created, httpHandler } from '../../shared/http.ts';
import { createEntrepreneur } from '../service.ts';

export const handler = httpHandler(contracts.createEntrepreneur, async ({ principal, body }) => {
  const entrepreneur = await createEntrepreneur(principal, body, new Date());
  return created(entrepreneur, `/entrepreneurs/${entrepreneur.id}`);
});
