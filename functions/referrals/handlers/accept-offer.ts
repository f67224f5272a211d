import { adapters } from '../../shared/adapters.ts';
import { htmlPage, pageHandler } from '../../shared/page.ts';
import * as pages from '../contracts.ts';
import { offerOfLink } from '../link.ts';
import { acceptOffer, offerView } from '../offers.ts';
import { asPageError, renderOfferPage } from '../page.ts';

const ports = () => adapters();

export const handler = pageHandler(pages.acceptOffer, async ({ params, form }) => {
  const now = new Date();
  const offer = await offerOfLink(params.token);
  const accepted = await acceptOffer(ports(), offer, form.plannedStart, now).catch((error: unknown) => {
    throw asPageError(error);
  });
  return htmlPage(renderOfferPage(await offerView(ports(), accepted)));
});
