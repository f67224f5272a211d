/** The quotes routes' contracts (JSON API): validated by the handlers, published in the OpenAPI document. */
import { contractsOf } from '../shared/http.ts';
import { routes } from './routes.ts';
import { Page, PdfLink, TokenParams } from '../shared/schemas.ts';
import { AcceptForm, CreateQuoteBody, DeclineForm, WithdrawForm, ListQuotesQuery, PatchQuoteBody, Quote, QuoteParams } from './schemas.ts';
import { pageContractsOf } from '../shared/page.ts';

const contract = /* @__PURE__ */ contractsOf(routes);
const pageContract = /* @__PURE__ */ pageContractsOf(routes);

export const createQuote = /* @__PURE__ */ contract({
  route: 'POST /quotes',
  body: CreateQuoteBody,
  success: { status: 201, schema: Quote, description: 'The quote, as a draft' },
});
export const listQuotes = /* @__PURE__ */ contract({
  route: 'GET /quotes',
  query: ListQuotesQuery,
  success: { status: 200, schema: () => Page(Quote()), description: 'A page of quotes' },
});
export const getQuote = /* @__PURE__ */ contract({
  route: 'GET /quotes/{id}',
  params: QuoteParams,
  success: { status: 200, schema: Quote, description: 'The quote' },
});
export const updateQuote = /* @__PURE__ */ contract({
  route: 'PATCH /quotes/{id}',
  params: QuoteParams,
  body: PatchQuoteBody,
  success: { status: 200, schema: Quote, description: 'The draft, at its new version' },
  errors: { 409: 'The quote is no longer a draft', 412: 'Stale version: read the quote again' },
});
export const sendQuote = /* @__PURE__ */ contract({
  route: 'POST /quotes/{id}/send',
  params: QuoteParams,
  success: { status: 200, schema: Quote, description: 'The quote, numbered, rendered and sent' },
  errors: {
    409: 'The quote is not a draft, or it (or the revision it replaces) changed meanwhile',
    503: 'The number series is busy; try again',
  },
});
export const reviseQuote = /* @__PURE__ */ contract({
  route: 'POST /quotes/{id}/revisions',
  params: QuoteParams,
  success: { status: 201, schema: Quote, description: 'The new revision, as a draft' },
  errors: { 409: 'A draft or an accepted quote is not revised; only the latest revision is, once' },
});
export const quotePdfLink = /* @__PURE__ */ contract({
  route: 'GET /quotes/{id}/pdf',
  params: QuoteParams,
  success: { status: 200, schema: PdfLink, description: 'A link to the PDF, valid five minutes' },
  errors: { 409: 'A draft has no PDF yet: send the quote first' },
});

/** The JSON API contracts of the context (the OpenAPI document reads them all). */
export const contracts = { createQuote, listQuotes, getQuote, updateQuote, sendQuote, reviseQuote, quotePdfLink };

export const quotePage = /* @__PURE__ */ pageContract({
  route: 'GET /q/{token}',
  params: TokenParams,
  description: 'The quote, with the forms to accept or decline it',
  errors: {
    410: 'Closed (accepted, declined, superseded, expired) longer ago than the retention period: the page says only that it is no longer available online',
    503: 'The quote’s PDF is not stored yet (its sending is being completed): a French page asks to try again in a few minutes',
  },
});
export const acceptQuote = /* @__PURE__ */ pageContract({
  route: 'POST /q/{token}/accept',
  params: TokenParams,
  form: AcceptForm,
  description: 'Confirmation of the acceptance',
  errors: {
    400: 'The form is incomplete, or the VAT attestation is not ticked',
    409: 'Already accepted or declined, or the document shown is no longer the quote’s',
    410: 'Expired, or replaced by a new revision',
  },
});
export const declineQuote = /* @__PURE__ */ pageContract({
  route: 'POST /q/{token}/decline',
  params: TokenParams,
  form: DeclineForm,
  description: 'Confirmation of the refusal',
  errors: { 409: 'Already accepted or declined', 410: 'Expired, or replaced by a new revision' },
});
export const withdrawQuote = /* @__PURE__ */ pageContract({
  route: 'POST /q/{token}/withdraw',
  params: TokenParams,
  form: WithdrawForm,
  description: 'Confirmation of the withdrawal (C. conso L221-18): recorded with its evidence (name, IP, user agent, time)',
  errors: {
    400: 'The form is incomplete',
    409: 'Not an accepted quote of an individual, or already withdrawn',
    410: 'The 14-day withdrawal period is over',
  },
});

/** The client's pages (HTML, French), reached by the link e-mailed with the quote. */
export const pages = { quotePage, acceptQuote, declineQuote, withdrawQuote };
