import { adapters } from '../../shared/adapters.ts';
import { htmlPage, pageHandler } from '../../shared/page.ts';
import * as pages from '../contracts.ts';
import { offerOfLink } from '../link.ts';
import { declineOffer, offerView } from '../offers.ts';
import { asPageError, renderDeclined } from '../page.ts';

const ports = () => adapters();

export const handler = pageHandler(pages.declineOffer, async ({ params, form }) => {
  const now = new Date();
  const offer = await offerOfLink(params.token);
  const declined = await declineOffer(ports(), offer, form.reason || undefined, now).catch((error: unknown) => {
    throw asPageError(error);
  });
  return htmlPage(renderDeclined(await offerView(ports(), declined)));
});
