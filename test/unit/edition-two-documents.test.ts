/**
 * Edition 2 is frozen: the sample documents of edition 2 (the ones `scripts/render-quote-sample.ts`
 * and `scripts/render-invoice-sample.ts` render) give these bytes, taken on 2026-11-30 once the SAP
 * agrément or autorisation was added (its last change, before any edition-2 document was issued in
 * production). Every quote, invoice and credit note issued from then on re-renders from its stored
 * source to the bytes committed with its number, so its renderer may no longer change.
 *
 * ANY NEW OR CHANGED WORDING, LAYOUT OR MENTION GOES TO A NEW EDITION (`edition: 3` in the document
 * source and its rendering beside `renderEdition2`, as the quotes' edition 3 did for their lists:
 * edition-three-documents.test.ts): never update a hash here to let edition 2 print something else. As for edition 1 (legacy-documents.test.ts), a change of pdfkit or of the
 * embedded fonts changes these too: render them with the code of the commit that pinned them and
 * compare before updating a hash.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { renderInvoicePdf } from '../../functions/invoices/pdf.ts';
import type { InvoiceDocument } from '../../functions/invoices/views.ts';
import { renderQuotePdf } from '../../functions/quotes/pdf.ts';
import {
  editionTwoCreditNote,
  editionTwoDepositInvoice,
  editionTwoFinalInvoice,
  editionTwoSapInvoice,
  editionTwoWorksInvoice,
} from '../support/invoice-fixtures.ts';
import { editionTwoQuote } from '../support/quote-fixtures.ts';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('edition 2 is frozen: its sample documents render to the bytes pinned', () => {
  it('the quote to an individual at home', async () => {
    expect(sha256(await renderQuotePdf(editionTwoQuote()))).toBe('21c0298242798ba2e7da0343e86e8a6ee30985f164a28cd01667f80990653582');
  });

  it.each([
    ['the deposit invoice', () => editionTwoDepositInvoice(), '8fd07ee35a590dc8988db0ced620c301c45fe02226f2b36f24dc06078bd267ad'],
    ['the final invoice', () => editionTwoFinalInvoice(), '6f912f7a1645d4ae7aea093e08a564865c8daa2cd14a8155288ca17834f56093'],
    ['the works invoice', () => editionTwoWorksInvoice(), '9db735b86ba8bd54d20a246fded44e64afdc79fd879f64a7c0d1971764ae8dbc'],
    [
      'the SAP invoice, with the CAE’s autorisation',
      () => editionTwoSapInvoice(),
      '4f4fa4649bf8352b7484d4529ba92f8452175ce099d3b5a66f28076e6dd14c97',
    ],
    ['the credit note of SAP hours', () => editionTwoCreditNote(), 'c19a8686f33aaa613b340736fde014435c87a83162f565affc30b89ec0820182'],
  ] as [string, () => InvoiceDocument, string][])('%s', async (_, invoice, hash) => {
    expect(sha256(await renderInvoicePdf(invoice()))).toBe(hash);
  });
});
