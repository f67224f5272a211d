import { httpHandler, ok } from '../../shared/http.ts';
import * as contracts from '../contracts.ts';
import { listReferrals } from '../service.ts';
import { rgeDomainsFr, tradesFr } from '../domain/labels.ts';

export const handler = httpHandler(contracts.listReferrals, async ({ principal, query }) => {
  const page = await listReferrals(principal, query);
  return ok({ ...page, items: page.items.map((r) => ({ ...r, trades: tradesFr(r.trades), rgeDomains: rgeDomainsFr(r.rgeDomains) })) });
});
