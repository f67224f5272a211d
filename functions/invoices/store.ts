/**
 * DynamoDB access of invoicing (table `sales`, shared with quotes; see functions/tables.ts).
 *
 * Items                                    pk                  sk                  gsi1pk / gsi1sk                    gsi2pk / gsi2sk
 * invoice                                  INV#<id>            #INV                ETD#<etd>#INV / <createdAt>#<id>   ETD#<etd>#ENT#<entrepreneurId>#INV / <createdAt>#<id>
 * open-balance marker (while money is due) INV#<id>            #DUE                OPEN#DUE / <dueDate>#<id>
 * payment (one per PaymentIntent)          INV#<id>            PAY#<pi_…>
 * refund (one per Stripe refund)           INV#<id>            REF#<re_…>
 * reminder sent (one per step)             INV#<id>            REMIND#<days>
 * Checkout Session started (open until     INV#<id>            CHECKOUT#<cs_…>
 *   paid, expired or replaced)
 * refund to retry (a failed refund)        INV#<id>            REFRETRY#<crn>#<pi> REFUND#RETRY / <nextAttemptAt>#… (while queued)
 * credit note                              CRN#<id>            #CRN
 * invoice of a quote (deposit, final)      QUO#<quoteId>       INVOICE#<id>
 * the final invoice of a quote (unique)    QUO#<quoteId>       #FINAL
 * deposits issued on a quote (a count)      QUO#<quoteId>       #DEPOSITS
 * pay link (token stored hashed)           LINK#<sha256>       #LINK               (functions/quotes/store.ts keys.link)
 * Stripe payment for no known invoice      ORPHAN#<pi_…>       #ORPHAN
 * number series                            see functions/shared/series.ts
 *
 * Access patterns: an invoice by id (Get); invoices of an ETD / an entrepreneur (Query gsi1 / gsi2,
 * state and client as filters); invoices of a quote (Query QUO#, begins_with INVOICE#); payments
 * of an invoice (Query INV#, begins_with PAY# / REF#); open balances due before a date (Query gsi1
 * OPEN#DUE, sk < date). Every change of balance is one transaction with its payment item.
 */
import { itemStore } from '../shared/store.ts';

export const { table, getItem, queryPage, queryAll } = itemStore('sales');
export { fromItem } from '../shared/store.ts';

export const keys = {
  invoice: (id: string) => ({ pk: `INV#${id}`, sk: '#INV' }),
  due: (id: string) => ({ pk: `INV#${id}`, sk: '#DUE' }),
  payment: (id: string, paymentIntent: string) => ({ pk: `INV#${id}`, sk: `PAY#${paymentIntent}` }),
  refund: (id: string, refund: string) => ({ pk: `INV#${id}`, sk: `REF#${refund}` }),
  checkout: (id: string, session: string) => ({ pk: `INV#${id}`, sk: `CHECKOUT#${session}` }),
  refundRetry: (id: string, creditNoteId: string, paymentIntent: string) => ({
    pk: `INV#${id}`,
    sk: `REFRETRY#${creditNoteId}#${paymentIntent}`,
  }),
  reminder: (id: string, days: number) => ({ pk: `INV#${id}`, sk: `REMIND#${String(days).padStart(3, '0')}` }),
  creditNote: (id: string) => ({ pk: `CRN#${id}`, sk: '#CRN' }),
  quoteInvoice: (quoteId: string, invoiceId: string) => ({ pk: `QUO#${quoteId}`, sk: `INVOICE#${invoiceId}` }),
  quoteFinal: (quoteId: string) => ({ pk: `QUO#${quoteId}`, sk: '#FINAL' }),
  quoteDeposits: (quoteId: string) => ({ pk: `QUO#${quoteId}`, sk: '#DEPOSITS' }),
  orphan: (paymentIntent: string) => ({ pk: `ORPHAN#${paymentIntent}`, sk: '#ORPHAN' }),
};

export const partitions = {
  invoicesOfEtd: (etd: string) => `ETD#${etd}#INV`,
  invoicesOfEntrepreneur: (etd: string, entrepreneurId: string) => `ETD#${etd}#ENT#${entrepreneurId}#INV`,
  openByDueDate: 'OPEN#DUE',
  refundsToRetry: 'REFUND#RETRY',
};
