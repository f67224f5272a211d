/**
 * The door of the quotes context: the only module other contexts import from functions/quotes
 * (besides contracts.ts for the API description). Everything else here is the context's own.
 *
 * - `Line`: builds (on first call, `Line()`) the zod schema of a priced line (its VAT rules are the same on invoices).
 * - `pricedLines`: lines with their totals, the pure rule a quote and an invoice price by.
 * - `loadQuoteForInvoicing` / `quoteForInvoicing`: the accepted quote an invoice bills, as a read model.
 * - `clientLinkPut` / `clientLinkTarget`: the one namespace of links sent to clients (quote links
 *   and invoice pay links, token stored hashed): the transaction part that writes one, and the lookup.
 * Events published: `QuoteAccepted` (functions/events/catalog.ts).
 */
export { Line } from './schemas.ts';
export type { QuoteState } from './schemas.ts';
export { pricedLines } from './domain/quote.ts';
export { loadQuoteForInvoicing, quoteForInvoicing, type QuoteForInvoicing } from './for-invoicing.ts';
export { clientLinkPut, clientLinkTarget } from './store.ts';
