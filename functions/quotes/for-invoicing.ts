/**
 * The read model of a quote for the invoices context: what a deposit or final invoice takes from
 * the accepted quote it bills, and what its PDF prints about it. Exposed through the door (index.ts).
 */
import type { Principal } from '../shared/auth.ts';
import { NotFoundError } from '../shared/errors.ts';
import type { Pole } from '../onboarding/index.ts';
import { operationNature, type OperationNature } from '../shared/pricing.ts';
import { canSee } from './domain/access.ts';
import { quotePole } from './service.ts';
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
  /** Its activity pole: building renovation unless it says otherwise. */
  readonly pole: Pole;
  /** Goods, services or both: a property of the quote's works, printed the same on its invoices. */
  readonly operationNature: OperationNature;
  /** An off-premises contract with an individual (as printed on the quote): no payment within 7 days of acceptance. */
  readonly paymentWait: boolean;
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
  pole: quotePole(quote),
  operationNature: operationNature(quote.lines),
  paymentWait: quote.documentSource?.consumer?.paymentWait === true,
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
