/**
 * The read model of a quote for the invoices context: what a deposit or final invoice takes from
 * the accepted quote it bills, and what its PDF prints about it. Exposed through the door (index.ts).
 */
import type { Principal } from '../shared/auth.ts';
import { NotFoundError } from '../shared/errors.ts';
import { canSee } from './domain/access.ts';
import { loadQuote, type QuoteRecord } from './store.ts';

export type QuoteForInvoicing = Pick<
  QuoteRecord,
  | 'id'
  | 'etd'
  | 'cae'
  | 'entrepreneurId'
  | 'clientId'
  | 'state'
  | 'number'
  | 'revision'
  | 'title'
  | 'siteAddress'
  | 'lines'
  | 'totals'
  | 'depositPercent'
> & {
  /** When the client accepted it (ISO instant), for an accepted quote. */
  readonly acceptedAt?: string | undefined;
};

const forInvoicing = (quote: QuoteRecord): QuoteForInvoicing => ({
  id: quote.id,
  etd: quote.etd,
  cae: quote.cae,
  entrepreneurId: quote.entrepreneurId,
  clientId: quote.clientId,
  state: quote.state,
  number: quote.number,
  revision: quote.revision,
  title: quote.title,
  siteAddress: quote.siteAddress,
  lines: quote.lines,
  totals: quote.totals,
  depositPercent: quote.depositPercent,
  acceptedAt: quote.acceptance?.at,
});

/** The quote, whoever asks (the invoice already names it); NotFound only when there is none. */
export async function loadQuoteForInvoicing(id: string): Promise<QuoteForInvoicing> {
  return forInvoicing(await loadQuote(id));
}

/** The quote as the caller may see it: NotFound when absent or not visible to the caller. */
export async function quoteForInvoicing(principal: Principal, id: string): Promise<QuoteForInvoicing> {
  const quote = await loadQuote(id);
  if (!canSee(principal, quote)) throw new NotFoundError(`Quote ${id} not found.`);
  return forInvoicing(quote);
}
