import { adapters } from '../../shared/adapters.ts';
import * as pages from '../contracts.ts';
import { htmlPage, pageHandler } from '../../shared/page.ts';
import { asPageError, quoteOfLinkOrRefuse } from '../client-link.ts';
import { renderDeclined } from '../page.ts';
import { declineQuote, pageView } from '../service.ts';

const ports = () => adapters();

export const handler = pageHandler(pages.declineQuote, async ({ params, form }) => {
  const now = new Date();
  const quote = await quoteOfLinkOrRefuse(params.token);
  const declined = await declineQuote(quote, form.reason || undefined, now).catch((error: unknown) => {
    throw asPageError(error);
  });
  return htmlPage(renderDeclined(await pageView(ports(), declined, params.token, now)));
});
