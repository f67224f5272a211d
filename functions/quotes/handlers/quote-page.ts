import { adapters } from '../../shared/adapters.ts';
import * as pages from '../contracts.ts';
import { htmlPage, pageHandler } from '../../shared/page.ts';
import { quoteOfLinkOrRefuse } from '../client-link.ts';
import { closedQuotePageRetentionDays } from '../config.ts';
import { renderQuotePage, renderQuoteRetired } from '../page.ts';
import { pageRetired } from '../domain/quote.ts';
import { pageView } from '../service.ts';

const ports = () => adapters();

export const handler = pageHandler(pages.quotePage, async ({ params }) => {
  const now = new Date();
  const quote = await quoteOfLinkOrRefuse(params.token);
  // Closed longer ago than the retention period: 410, and nothing of the quote (no PDF link either).
  if (pageRetired(quote, now, closedQuotePageRetentionDays())) return htmlPage(renderQuoteRetired(), 410);
  return htmlPage(renderQuotePage(await pageView(ports(), quote, params.token, now)));
});
