/** The partner's side of an offer link. */
import { offerOfToken, type OfferRecord } from './store.ts';
import { unknownLink } from './page.ts';

export async function offerOfLink(token: string): Promise<OfferRecord> {
  const offer = await offerOfToken(token);
  if (!offer) throw unknownLink();
  return offer;
}
