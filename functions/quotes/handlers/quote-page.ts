import { pages } from '../contracts.ts';
import { htmlPage, pageHandler } from '../../shared/page.ts';
import { quoteOfLinkOrRefuse } from '../client-link.ts';
import { renderQuotePage } from '../page.ts';
import { pageView } from '../service.ts';

export const handler = pageHandler(pages.quotePage, async ({ params }) => {
  const quote = await quoteOfLinkOrRefuse(params.token);
  return htmlPage(renderQuotePage(await pageView(quote, params.token, new Date())));
});
