import * as contracts from '../contracts.ts';
import { created, httpHandler } from '../../shared/http.ts';
import { createPartner } from '../service.ts';

export const handler = httpHandler(contracts.createPartner, async ({ principal, body }) => {
  const partner = await createPartner(principal, body, new Date());
  return created(partner, `/partners/${partner.id}`);
});
