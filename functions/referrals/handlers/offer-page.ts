import { adapters } from '../../shared/adapters.ts';
import { htmlPage, pageHandler } from '../../shared/page.ts';
import * as pages from '../contracts.ts';
import { offerOfLink } from '../link.ts';
import { offerView, showable } from '../offers.ts';
import { asPageError, renderOfferPage } from '../page.ts';

const ports = () => adapters();

export const handler = pageHandler(pages.offerPage, async ({ params }) => {
  const offer = await offerOfLink(params.token);
  try {
    showable(offer, new Date());
  } catch (error) {
    throw asPageError(error);
  }
  return htmlPage(renderOfferPage(await offerView(ports(), offer)));
});
