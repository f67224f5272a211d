/** The client's side of a pay link: the invoice it names, and what its page shows (no Stripe here). */
import type { Adapters } from '../shared/adapters.ts';
import { parisDate } from '../shared/clock.ts';
import { unlessNotFound } from '../shared/errors.ts';
import { PageError } from '../shared/page.ts';
import { findCreditNote, isOverdue, loadInvoice, type InvoiceRecord } from '../invoices/index.ts';
import { clientLinkTarget } from '../quotes/index.ts';
import type { PayPage } from './page.ts';

/** The invoice of a pay link (the bearer of the link is its client: loaded, not authorised by a principal). */
export async function invoiceOfLink(token: string): Promise<InvoiceRecord> {
  const link = await clientLinkTarget(token);
  const invoice = link?.invoiceId ? await unlessNotFound(loadInvoice(link.invoiceId)) : undefined;
  if (!invoice)
    throw new PageError(
      404,
      'Lien inconnu',
      'Ce lien ne correspond à aucune facture. Vérifiez que vous avez copié le lien en entier, ou contactez la personne qui vous a envoyé la facture.',
    );
  return invoice;
}

export async function payPageView(
  ports: Pick<Adapters, 'documents'>,
  invoice: InvoiceRecord,
  token: string,
  returned: PayPage['returned'],
  now: Date,
): Promise<PayPage> {
  if (!invoice.number || !invoice.documentKey || !invoice.issueDate || !invoice.dueDate || invoice.state === 'draft')
    throw new Error(`invoice ${invoice.id} has a pay link but was never issued`);
  // A PDF committed but not stored yet (its issue to be completed) gets no link: it would not be found.
  const pdfUrl = invoice.documentPending
    ? undefined
    : (await ports.documents.link(invoice.documentKey, { ttlSeconds: 3600, fileName: `Facture ${invoice.number}.pdf` })).url;
  const creditNotes = await Promise.all(
    invoice.creditNotes.map(async (c) => {
      const stored = await findCreditNote(c.id);
      if (typeof stored?.documentKey !== 'string') throw new Error(`credit note ${c.id} of invoice ${invoice.id} has no document`);
      const link = stored.documentPending
        ? undefined
        : await ports.documents.link(stored.documentKey, { ttlSeconds: 3600, fileName: `Avoir ${c.number}.pdf` });
      return { number: c.number, issueDate: c.issueDate, grossCents: c.grossCents, pdfUrl: link?.url };
    }),
  );
  return {
    number: invoice.number,
    title: invoice.title,
    issuerName: invoice.parties?.issuerName ?? '',
    entrepreneurName: invoice.parties?.entrepreneurName,
    clientName: invoice.parties?.clientName ?? '',
    issueDate: invoice.issueDate,
    dueDate: invoice.dueDate,
    grossCents: invoice.totals.grossCents,
    amountPaidCents: invoice.amountPaidCents,
    amountPendingCents: invoice.amountPendingCents,
    amountCreditedCents: invoice.amountCreditedCents,
    amountDueCents: invoice.amountDueCents,
    state: invoice.state,
    overdue: isOverdue(invoice, parisDate(now)),
    pdfUrl,
    creditNotes,
    checkoutAction: `/pay/${token}/checkout`,
    ...(invoice.noPaymentBefore && parisDate(now) < invoice.noPaymentBefore ? { noPaymentBefore: invoice.noPaymentBefore } : {}),
    returned,
  };
}
