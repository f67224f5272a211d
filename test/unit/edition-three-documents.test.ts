/**
 * Edition 3 of the quotes (every quote sent since 2026-12-01, functions/quotes/pdf.ts QUOTE_EDITION):
 * edition 2 whose lists go on from page to page between their items. Its sample quotes give these
 * bytes; a quote issued with it re-renders from its stored source to the bytes committed with its
 * number, so this renderer too may no longer change once a quote has been sent with it: any new or
 * changed wording, layout or mention goes to an edition 4 (see edition-two-documents.test.ts).
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { QUOTE_EDITION, renderQuotePdf } from '../../functions/quotes/pdf.ts';
import { editionTwoQuote, editionTwoTwentyPageQuote } from '../support/quote-fixtures.ts';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('edition 3 of the quotes: its sample documents render to the bytes pinned', () => {
  it('is the edition quotes are sent with', () => {
    expect(QUOTE_EDITION).toBe(3);
  });

  it('the 45-line quote to an individual: the bytes of edition 2, whose lists fit on their page', async () => {
    const pdf = await renderQuotePdf(editionTwoQuote({ edition: 3 }));
    expect(sha256(pdf)).toBe('21c0298242798ba2e7da0343e86e8a6ee30985f164a28cd01667f80990653582');
    expect(sha256(pdf)).toBe(sha256(await renderQuotePdf(editionTwoQuote())));
  });

  it('the 20-page quote to a company, its RGE coverage going on to a second page', async () => {
    const pdf = await renderQuotePdf(editionTwoTwentyPageQuote({ edition: 3 }));
    expect(sha256(pdf)).toBe('58c60eaa5b87545a80e98aeb567e2bcd225477630c0abf046bb53564087e985a');
    expect(sha256(pdf)).not.toBe(sha256(await renderQuotePdf(editionTwoTwentyPageQuote())));
  });
});
