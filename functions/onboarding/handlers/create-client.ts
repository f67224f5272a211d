import * as contracts from '../contracts.ts';
import { created, httpHandler } from '../../shared/http.ts';
import { createClient } from '../service.ts';

export const handler = httpHandler(contracts.createClient, async ({ principal, body }) => {
  const client = await createClient(principal, body, new Date());
  return created(client, `/clients/${client.id}`);
});
