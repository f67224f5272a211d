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
  if (!item) throw new PageError(404, 'Lien inconnu', 'Ce lien ne correspond à aucune facture. Vérifiez que vous avez copié le lien en entier, ou contactez la personne qui vous a envoyé la facture.');
  return fromItem<InvoiceRecord>(item);
}

export async function payPageView(invoice: InvoiceRecord, token: string, returned: PayPage['returned'], now: Date): Promise<PayPage> {
  if (!invoice.number || !invoice.documentKey || !invoice.issueDate || !invoice.dueDate || invoice.state === 'draft') throw new Error(`invoice ${invoice.id} has a pay link but was never issued`);
  const { url } = await adapters().documents.link(invoice.documentKey, { ttlSeconds: 3600, fileName: `Facture ${invoice.number}.pdf` });
  return {
    number: invoice.number,
    title: invoice.title,
    issuerName: invoice.parties?.issuerName ?? '',
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
    pdfUrl: url,
    checkoutAction: `/pay/${token}/checkout`,
    returned,
  };
}
