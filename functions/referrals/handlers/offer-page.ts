import { adapters } from '../../shared/adapters.ts';
import { htmlPage, pageHandler } from '../../shared/page.ts';
import { pages } from '../contracts.ts';
import { offerOfLink } from '../link.ts';
import { OfferClosedError, offerView } from '../offers.ts';
import { asPageError, renderOfferPage } from '../page.ts';
import { offerAnswerable } from '../domain/referral.ts';

const ports = () => adapters();

export const handler = pageHandler(pages.offerPage, async ({ params }) => {
  const now = new Date();
  const offer = await offerOfLink(params.token);
  // The page itself enforces the expiry: past it, nothing more than a 410.
  if (offer.state !== 'accepted' && !offerAnswerable(offer, now.toISOString()))
    throw asPageError(new OfferClosedError(offer.state === 'open' ? 'expired' : offer.state));
  return htmlPage(renderOfferPage(await offerView(ports(), offer)));
});
