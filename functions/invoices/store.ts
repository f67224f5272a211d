/**
 * DynamoDB access of invoicing (table `sales`, shared with quotes and payments; see functions/tables.ts).
 * Every key, item shape, marker and access pattern of an invoice or a credit note lives here; the
 * use cases (service.ts, issue.ts, credit-notes.ts) hold the rules and ask this module for reads
 * and for the parts of their transactions.
 *
 * Items                                    pk                  sk                  gsi1pk / gsi1sk                    gsi2pk / gsi2sk
 * invoice                                  INV#<id>            #INV                ETD#<etd>#INV / <createdAt>#<id>   ETD#<etd>#ENT#<entrepreneurId>#INV / <createdAt>#<id>
 * history of an invoice (one per version)  INV#<id>            HIST#<version>      (functions/shared/audit.ts, zero-padded to 6)
 * open-balance marker (while money is due) INV#<id>            #DUE                OPEN#DUE / <dueDate>#<id>
 * credit note                              CRN#<id>            #CRN
 * invoice of a quote (deposit, final)      QUO#<quoteId>       INVOICE#<id>
 * the final invoice of a quote (unique)    QUO#<quoteId>       #FINAL
 * deposits issued on a quote (a count)     QUO#<quoteId>       #DEPOSITS
 * number series                            see functions/shared/series.ts
 * the invoice of a source (business.ts)    SRC#<kind>#<id>     #INVOICE            (invoiceId: one invoice per referral commission)
 *
 * Items other contexts keep beside these (their stores own them, this one never reads them):
 * - in an invoice's partition INV#<id>: its payments PAY#…, refunds REF#…, reminders REMIND#…,
 *   Checkout Sessions CHECKOUT#…, refunds to retry REFRETRY#… (functions/payments/store.ts);
 * - the pay link LINK#<sha256(token)> / #LINK with `invoiceId` (functions/quotes/store.ts, the one
 *   namespace of client links; written in the issuing transaction through the quotes door).
 *
 * Item attributes: an invoice item is its InvoiceRecord plus its keys and `entity: 'invoice'`; a
 * credit note its CreditNoteRecord and `entity: 'credit-note'`; the marker `entity: 'due'` and
 * `invoiceId`; an invoice of a quote `entity: 'quote-invoice'` with its kind, state, number, issue
 * date and totals (net of its credit notes, for a deposit: what the final deducts).
 *
 * Access patterns (all Get or Query, never Scan):
 * - an invoice by id: Get INV#/#INV (`loadInvoice`); its version, strongly consistent (`invoiceVersion`)
 * - invoices of an ETD / of an entrepreneur: Query gsi1 / gsi2, state, client and overdue as filters (`invoicesPage`)
 * - invoices of a quote: Query QUO#<quoteId>, begins_with INVOICE# (`invoicesOfQuote`); its final: Get #FINAL (`hasFinalInvoice`)
 * - open balances due before a date: Query gsi1 OPEN#DUE, sk < <date># (`openBalancesDueBefore`)
 * - a credit note by id: Get CRN#/#CRN (`findCreditNote`)
 * Every change of an invoice is one transaction conditioned on its version and state, with its
 * history entry and its marker; a change of balance made by payments is composed by payments from
 * `balanceChange` (functions/invoices/balance-change.ts) and its own items.
 */
import type { Out } from '../shared/contract.ts';
import { historyPut as writeHistory, type Actor } from '../shared/audit.ts';
import { documentClient } from '../shared/dynamo.ts';
import { NotFoundError } from '../shared/errors.ts';
import { itemStore, fromItem, type Page, type PageRequest, type listFilter } from '../shared/store.ts';
import type { TransactItem } from '../shared/transactions.ts';
import type { Totals } from '../shared/pricing.ts';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { CreditNote, Invoice } from './schemas.ts';
import type { DocumentSource } from './views.ts';

/** The table's item access; `getItem`, `queryPage`, `keys` and `partitions` are exported for this context's tests only (the door exports none). */
export const { table, getItem, queryPage, queryAll } = itemStore('sales');

// ---- Records --------------------------------------------------------------------------------------

export type InvoiceView = Out<typeof Invoice>;
/**
 * A stored invoice: the representation, plus where its PDF lies, what it was rendered from
 * (`documentSource`) and `documentPending` while the issued PDF is not yet stored (functions/invoices/issue.ts).
 */
export type InvoiceRecord = Omit<InvoiceView, 'links' | 'overdue'> & {
  documentKey?: string;
  clientEmail?: string;
  parties?: { issuerName: string; entrepreneurName: string; clientName: string };
  documentSource?: DocumentSource;
  documentPending?: boolean;
  /** A business client given on the invoice instead of an onboarding client (business.ts: a partner billed its referral commission). */
  billTo?: BillTo;
  /** What the invoice was issued for, when another context asked for it (one invoice per source). */
  source?: { kind: string; id: string };
};

/** A business client as printed on an invoice (SIREN from its SIRET): its e-mail receives the pay link. */
export interface BillTo {
  id: string;
  legalName: string;
  siret: string;
  address: { line1: string; line2?: string | undefined; postalCode: string; city: string };
  email: string;
}

/**
 * A stored credit note: the representation, plus where its PDF lies, what it was rendered from
 * (`documentSource`), `documentPending` while its PDF is not stored yet, the invoice's balance
 * right after it (what its e-mail tells), and the e-mail's outcome.
 */
export type CreditNoteRecord = Out<typeof CreditNote> & {
  etd: string;
  documentKey: string;
  documentSource?: DocumentSource;
  documentPending?: boolean;
  invoiceAfter?: Pick<InvoiceRecord, 'state' | 'amountDueCents'>;
  delivery?: { email: 'sent' | 'failed'; at: string };
  createdAt: string;
  createdBy: string;
};

/** What the quote's partition keeps of one of its invoices. */
export interface QuoteInvoice {
  invoiceId: string;
  kind: string;
  state: string;
  number: string;
  issueDate: string;
  totals: Totals;
}

// ---- Keys -----------------------------------------------------------------------------------------

export const keys = {
  invoice: (id: string) => ({ pk: `INV#${id}`, sk: '#INV' }),
  due: (id: string) => ({ pk: `INV#${id}`, sk: '#DUE' }),
  creditNote: (id: string) => ({ pk: `CRN#${id}`, sk: '#CRN' }),
  quoteInvoice: (quoteId: string, invoiceId: string) => ({ pk: `QUO#${quoteId}`, sk: `INVOICE#${invoiceId}` }),
  quoteFinal: (quoteId: string) => ({ pk: `QUO#${quoteId}`, sk: '#FINAL' }),
  quoteDeposits: (quoteId: string) => ({ pk: `QUO#${quoteId}`, sk: '#DEPOSITS' }),
};

export const partitions = {
  invoicesOfEtd: (etd: string) => `ETD#${etd}#INV`,
  invoicesOfEntrepreneur: (etd: string, entrepreneurId: string) => `ETD#${etd}#ENT#${entrepreneurId}#INV`,
  invoicesOfQuote: (quoteId: string) => `QUO#${quoteId}`,
  openByDueDate: 'OPEN#DUE',
};

// ---- Reads ----------------------------------------------------------------------------------------

/** The invoice, whoever asks (loading is not authorising: see domain/access.ts); NotFound only when there is none. */
export async function loadInvoice(id: string): Promise<InvoiceRecord> {
  const item = await getItem(keys.invoice(id));
  if (!item) throw new NotFoundError(`Invoice ${id} not found.`);
  return fromItem<InvoiceRecord>(item);
}

/** The invoice's balance version, read strongly consistent (undefined: no such invoice). */
export async function invoiceVersion(id: string): Promise<number | undefined> {
  const { Item } = await documentClient().send(
    new GetCommand({ TableName: table(), Key: keys.invoice(id), ConsistentRead: true, ProjectionExpression: 'version' }),
  );
  return Item ? Number(Item.version) : undefined;
}

type Filter = NonNullable<ReturnType<typeof listFilter>['filter']>;

/** A page of the invoices of a territory, or of one entrepreneur in it. */
export function invoicesPage(
  etd: string,
  entrepreneurId: string | undefined,
  page: PageRequest,
  filter: { filter?: Filter },
): Promise<Page<InvoiceRecord>> {
  return entrepreneurId === undefined
    ? queryPage<InvoiceRecord>('gsi1', partitions.invoicesOfEtd(etd), page, filter)
    : queryPage<InvoiceRecord>('gsi2', partitions.invoicesOfEntrepreneur(etd, entrepreneurId), page, filter);
}

/** The invoices of a quote (its first hundred: a quote has a deposit or two and its final). */
export async function invoicesOfQuote(quoteId: string): Promise<QuoteInvoice[]> {
  return (await queryPage<QuoteInvoice>(undefined, partitions.invoicesOfQuote(quoteId), { limit: 100 }, { skPrefix: 'INVOICE#' })).items;
}

/** The quote's copy of one of its invoices. */
export async function findQuoteInvoice(quoteId: string, invoiceId: string): Promise<QuoteInvoice | undefined> {
  const item = await getItem(keys.quoteInvoice(quoteId, invoiceId));
  return item ? fromItem<QuoteInvoice>(item) : undefined;
}

export async function hasFinalInvoice(quoteId: string): Promise<boolean> {
  return (await getItem(keys.quoteFinal(quoteId))) !== undefined;
}

/** The ids of the invoices whose balance is open and due before `date` (YYYY-MM-DD), in due-date order. */
export async function* openBalancesDueBefore(date: string): AsyncGenerator<string> {
  for await (const marker of queryAll('gsi1', partitions.openByDueDate, 'invoiceId', { skBefore: `${date}#` }))
    yield String(marker.invoiceId);
}

export async function findCreditNote(id: string): Promise<CreditNoteRecord | undefined> {
  const item = await getItem(keys.creditNote(id));
  return item ? fromItem<CreditNoteRecord>(item) : undefined;
}

// ---- Transaction parts ----------------------------------------------------------------------------

const invoiceItem = (i: InvoiceRecord) => ({
  ...keys.invoice(i.id),
  entity: 'invoice',
  gsi1pk: partitions.invoicesOfEtd(i.etd),
  gsi1sk: `${i.createdAt}#${i.id}`,
  gsi2pk: partitions.invoicesOfEntrepreneur(i.etd, i.entrepreneurId),
  gsi2sk: `${i.createdAt}#${i.id}`,
  ...i,
});

export const newInvoicePut = (invoice: InvoiceRecord): TransactItem => ({
  Put: { TableName: table(), Item: invoiceItem(invoice), ConditionExpression: 'attribute_not_exists(pk)' },
});

/** Writes `next` over `current` if nobody changed it meanwhile (same version and state). */
export function replaceInvoice(current: InvoiceRecord, next: InvoiceRecord): TransactItem {
  return {
    Put: {
      TableName: table(),
      Item: invoiceItem(next),
      ConditionExpression: 'version = :v AND #state = :state',
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: { ':v': current.version, ':state': current.state },
    },
  };
}

/** The one invoice of a source (business.ts): SRC#<kind>#<id> / #INVOICE, put once with the draft. */
const sourceKey = (source: { kind: string; id: string }) => ({ pk: `SRC#${source.kind}#${source.id}`, sk: '#INVOICE' });

export const sourceGuardPut = (source: { kind: string; id: string }, invoiceId: string): TransactItem => ({
  Put: {
    TableName: table(),
    Item: { ...sourceKey(source), entity: 'invoice-source', invoiceId },
    ConditionExpression: 'attribute_not_exists(pk)',
  },
});

/** The invoice already drafted for a source, if any. */
export async function invoiceOfSource(source: { kind: string; id: string }): Promise<string | undefined> {
  const item = await getItem(sourceKey(source));
  return item ? String(item.invoiceId) : undefined;
}

export const historyPut = (id: string, version: number, actor: Actor, now: Date, entry: Record<string, unknown>): TransactItem =>
  writeHistory(table(), keys.invoice(id).pk, version, actor, now, entry);

/** The open-balance marker through which the reminders find overdue invoices. */
export const dueMarkerPut = (i: InvoiceRecord): TransactItem => ({
  Put: {
    TableName: table(),
    Item: { ...keys.due(i.id), entity: 'due', gsi1pk: partitions.openByDueDate, gsi1sk: `${i.dueDate}#${i.id}`, invoiceId: i.id },
  },
});

export const dueMarkerDelete = (invoiceId: string): TransactItem => ({ Delete: { TableName: table(), Key: keys.due(invoiceId) } });

export const newCreditNotePut = (creditNote: CreditNoteRecord): TransactItem => ({
  Put: {
    TableName: table(),
    Item: { ...keys.creditNote(creditNote.id), entity: 'credit-note', ...creditNote },
    ConditionExpression: 'attribute_not_exists(pk)',
  },
});

/** The quote's copy of an invoice issued on it. */
export const quoteInvoicePut = (quoteId: string, invoice: QuoteInvoice): TransactItem => ({
  Put: { TableName: table(), Item: { ...keys.quoteInvoice(quoteId, invoice.invoiceId), entity: 'quote-invoice', ...invoice } },
});

/** The quote's copy of a deposit after a credit note: its state, and its totals net of its credit notes. */
export const quoteInvoiceNetUpdate = (quoteId: string, invoiceId: string, state: string, net: Totals): TransactItem => ({
  Update: {
    TableName: table(),
    Key: keys.quoteInvoice(quoteId, invoiceId),
    UpdateExpression: 'SET #state = :state, totals = :net',
    ExpressionAttributeNames: { '#state': 'state' },
    ExpressionAttributeValues: { ':state': state, ':net': net },
  },
});

/** The quote has no final invoice yet. */
export const noFinalInvoiceCheck = (quoteId: string): TransactItem => ({
  ConditionCheck: { TableName: table(), Key: keys.quoteFinal(quoteId), ConditionExpression: 'attribute_not_exists(pk)' },
});

/** The final invoice of the quote: one per quote. */
export const finalInvoicePut = (quoteId: string, invoiceId: string): TransactItem => ({
  Put: {
    TableName: table(),
    Item: { ...keys.quoteFinal(quoteId), entity: 'quote-final', invoiceId },
    ConditionExpression: 'attribute_not_exists(pk)',
  },
});

/** Exactly `seen` deposits were issued on the quote (none: no count yet). */
export const depositCountCheck = (quoteId: string, seen: number): TransactItem => ({
  ConditionCheck: {
    TableName: table(),
    Key: keys.quoteDeposits(quoteId),
    ConditionExpression: seen === 0 ? 'attribute_not_exists(pk)' : '#count = :seen',
    ...(seen === 0 ? {} : { ExpressionAttributeNames: { '#count': 'count' }, ExpressionAttributeValues: { ':seen': seen } }),
  },
});

export const depositCountAdd = (quoteId: string): TransactItem => ({
  Update: {
    TableName: table(),
    Key: keys.quoteDeposits(quoteId),
    UpdateExpression: 'ADD #count :one',
    ExpressionAttributeNames: { '#count': 'count' },
    ExpressionAttributeValues: { ':one': 1 },
  },
});

// ---- Single writes (after a commit) ---------------------------------------------------------------

/** The PDF of the invoice or credit note is stored: `documentPending` goes (no version change). */
export async function markDocumentStored(record: { invoice: string } | { creditNote: string }): Promise<void> {
  const key = 'invoice' in record ? keys.invoice(record.invoice) : keys.creditNote(record.creditNote);
  await documentClient().send(new UpdateCommand({ TableName: table(), Key: key, UpdateExpression: 'REMOVE documentPending' }));
}

/** The outcome of the credit note's e-mail. */
export async function creditNoteDeliveryUpdate(creditNoteId: string, delivery: NonNullable<CreditNoteRecord['delivery']>): Promise<void> {
  await documentClient().send(
    new UpdateCommand({
      TableName: table(),
      Key: keys.creditNote(creditNoteId),
      UpdateExpression: 'SET delivery = :delivery',
      ExpressionAttributeValues: { ':delivery': delivery },
    }),
  );
}
