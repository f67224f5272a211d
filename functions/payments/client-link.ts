/** The client's side of a pay link: the invoice it names, and what its page shows (no Stripe here). */
import { adapters } from '../shared/adapters.ts';
import { parisDate } from '../shared/clock.ts';
import { PageError } from '../shared/page.ts';
import { isOverdue, type InvoiceRecord } from '../invoices/service.ts';
import { fromItem, getItem, keys } from '../invoices/store.ts';
import { keys as quoteKeys } from '../quotes/store.ts';
import type { PayPage } from './page.ts';

export async function invoiceOfLink(token: string): Promise<InvoiceRecord> {
  const link = await getItem(quoteKeys.link(token));
  const item = link?.invoiceId ? await getItem(keys.invoice(String(link.invoiceId))) : undefined;
  if (!item)
    throw new PageError(
      404,
      'Lien inconnu',
      'Ce lien ne correspond à aucune facture. Vérifiez que vous avez copié le lien en entier, ou contactez la personne qui vous a envoyé la facture.',
    );
  return fromItem<InvoiceRecord>(item);
}

export async function payPageView(invoice: InvoiceRecord, token: string, returned: PayPage['returned'], now: Date): Promise<PayPage> {
  if (!invoice.number || !invoice.documentKey || !invoice.issueDate || !invoice.dueDate || invoice.state === 'draft')
    throw new Error(`invoice ${invoice.id} has a pay link but was never issued`);
  // A PDF committed but not stored yet (its issue to be completed) gets no link: it would not be found.
  const pdfUrl = invoice.documentPending
    ? undefined
    : (await adapters().documents.link(invoice.documentKey, { ttlSeconds: 3600, fileName: `Facture ${invoice.number}.pdf` })).url;
  const creditNotes = await Promise.all(
    invoice.creditNotes.map(async (c) => {
      const item = await getItem(keys.creditNote(c.id));
      if (typeof item?.documentKey !== 'string') throw new Error(`credit note ${c.id} of invoice ${invoice.id} has no document`);
      const link = item.documentPending
        ? undefined
        : await adapters().documents.link(item.documentKey, { ttlSeconds: 3600, fileName: `Avoir ${c.number}.pdf` });
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
    returned,
  };
}
