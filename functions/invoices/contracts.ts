/** The invoicing routes' contracts: validated by the handlers, published in the OpenAPI document. */
import * as z from '../shared/zod.ts';
import { contractsOf } from '../shared/http.ts';
import { routes } from './routes.ts';
import { Page, PdfLink } from '../shared/schemas.ts';
import {
  CreateInvoiceBody,
  CreditNote,
  CreditNoteBody,
  CreditNoteParams,
  Invoice,
  InvoiceParams,
  InvoicePaymentsQuery,
  ListInvoicesQuery,
  PatchInvoiceBody,
  Payment,
} from './schemas.ts';

const contract = /* @__PURE__ */ contractsOf(routes);

export const createInvoice = /* @__PURE__ */ contract({
  route: 'POST /invoices',
  body: CreateInvoiceBody,
  success: { status: 201, schema: Invoice, description: 'The invoice, as a draft' },
  errors: { 409: 'The quote is not accepted, or its deposit or final invoice already exists' },
});

export const listInvoices = /* @__PURE__ */ contract({
  route: 'GET /invoices',
  query: ListInvoicesQuery,
  success: { status: 200, schema: () => Page(Invoice()), description: 'A page of invoices' },
});

export const getInvoice = /* @__PURE__ */ contract({
  route: 'GET /invoices/{id}',
  params: InvoiceParams,
  success: { status: 200, schema: Invoice, description: 'The invoice' },
});

export const updateInvoice = /* @__PURE__ */ contract({
  route: 'PATCH /invoices/{id}',
  params: InvoiceParams,
  body: PatchInvoiceBody,
  success: { status: 200, schema: Invoice, description: 'The draft, at its new version' },
  errors: { 409: 'An issued invoice never changes', 412: 'Stale version: read the invoice again' },
});

export const issueInvoice = /* @__PURE__ */ contract({
  route: 'POST /invoices/{id}/issue',
  params: InvoiceParams,
  success: {
    status: 200,
    schema: Invoice,
    description:
      'The invoice, numbered, rendered and sent with its pay link; issuing an issued invoice completes what is pending (its PDF, its credit notes’ PDFs, and their e-mails)',
  },
  errors: {
    409: 'The invoice is not a draft (and nothing of it is pending), its quote is no longer accepted, or the quote’s invoices changed meanwhile',
    503: 'The number series is busy; try again',
  },
});

export const invoicePdfLink = /* @__PURE__ */ contract({
  route: 'GET /invoices/{id}/pdf',
  params: InvoiceParams,
  success: { status: 200, schema: PdfLink, description: 'A link to the PDF, valid five minutes' },
  errors: {
    409: 'A draft has no PDF yet (issue the invoice first), or the issued PDF is not stored yet (issue the invoice again to complete it)',
  },
});

export const createCreditNote = /* @__PURE__ */ contract({
  route: 'POST /invoices/{id}/credit-notes',
  params: InvoiceParams,
  body: CreditNoteBody,
  success: {
    status: 201,
    schema: () => z.object({ creditNote: CreditNote(), invoice: Invoice() }),
    description: 'The credit note and the invoice’s new balance',
  },
  errors: {
    409: 'The invoice is a draft, wholly credited, has a debit processing, less remains to credit, or a credit note of it is not complete (issue the invoice again to complete it)',
    503: 'The number series is busy; try again',
  },
});

export const invoicePayments = /* @__PURE__ */ contract({
  route: 'GET /invoices/{id}/payments',
  params: InvoiceParams,
  query: InvoicePaymentsQuery,
  success: {
    status: 200,
    schema: () => Page(Payment()),
    description: 'A page of payments then refunds (each in Stripe id order); nextCursor while more remain',
  },
});

export const creditNotePdfLink = /* @__PURE__ */ contract({
  route: 'GET /invoices/{id}/credit-notes/{n}/pdf',
  params: CreditNoteParams,
  success: { status: 200, schema: PdfLink, description: 'A link to the credit note PDF, valid five minutes' },
  errors: { 409: 'The credit note’s PDF is not stored yet: issue the invoice again to complete it' },
});

/** The JSON API contracts of the context (the OpenAPI document reads them all). */
export const contracts = {
  createInvoice,
  listInvoices,
  getInvoice,
  updateInvoice,
  issueInvoice,
  invoicePdfLink,
  createCreditNote,
  invoicePayments,
  creditNotePdfLink,
};
