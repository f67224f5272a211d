import { getClient } from '../../onboarding/index.ts';
import { adapters } from '../../shared/adapters.ts';
import { httpHandler, ok } from '../../shared/http.ts';
import { attestationsWithLinks } from '../attestation-views.ts';
import * as contracts from '../contracts.ts';

export const handler = httpHandler(contracts.listAttestations, async ({ principal, params }) => {
  const client = await getClient(principal, params.id);
  return ok(await attestationsWithLinks(adapters(), client.id));
});
