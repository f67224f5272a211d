import { adapters } from '../../shared/adapters.ts';
import { created, httpHandler } from '../../shared/http.ts';
import * as contracts from '../contracts.ts';
import { openReferral, present } from '../service.ts';

const ports = () => adapters();

export const handler = httpHandler(contracts.openReferral, async ({ principal, body }) => {
  const referral = await openReferral(ports(), principal, body, new Date());
  return created(await present(referral), `/referrals/${referral.id}`);
});
