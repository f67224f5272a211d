/**
 * DynamoDB access of the quotes context (table `sales`, see functions/tables.ts). Every key, item
 * shape, marker and access pattern of a quote lives here; the use cases (service.ts, send.ts) hold
 * the rules and ask this module for reads and for the parts of their transactions.
 *
 * Items                                   pk                          sk              gsi1pk / gsi1sk                      gsi2pk / gsi2sk
 * quote (one item per revision)           QUO#<id>                    #QUO            ETD#<etd>#QUO / <createdAt>#<id>     ETD#<etd>#ENT#<entrepreneurId>#QUO / <createdAt>#<id>
 * expiry marker (while sent)              QUO#<id>                    #EXPIRY         SENT#EXPIRY / <validUntil>#<id>
 * history of a quote                      QUO#<id>                    HIST#<version>  (functions/shared/audit.ts, zero-padded to 6)
 * client link (token stored hashed)       LINK#<sha256(token)>        #LINK           — (quoteId: a quote's link; invoiceId: an invoice's
 *                                                                                       pay link, written by invoices through the door)
 * domain event (outbox)                   EVENT#<yyyy-mm-dd>          <at>#<eventId>  — (QuoteAccepted; built by the shared kernel's
 *                                                                                       `outboxItem`, functions/events/outbox.ts)
 * number series: SERIES#…, see functions/shared/series.ts
 *
 * Item attributes: a quote item is its QuoteRecord plus its keys and `entity: 'quote'`; a marker
 * holds `entity: 'expiry'` and `quoteId`; a link `entity: 'link'` and `quoteId` or `invoiceId`.
 * The invoices context also writes items under `QUO#<quoteId>` (sk `INVOICE#<invoiceId>`, `#FINAL`,
 * `#DEPOSITS`: the invoices of a quote, owned by functions/invoices/store.ts); no quote access pattern reads them.
 *
 * Access patterns (all Get or Query, never Scan):
 * - a quote by id: Get QUO#/#QUO (`loadQuote`, `findQuote`); the quote of a client link: Get LINK#, then Get QUO# (`quoteOfLink`)
 * - the target of a client link (a quote or an invoice): Get LINK# (`clientLinkTarget`)
 * - quotes of an ETD / of an entrepreneur: Query gsi1 / gsi2, state and client as filters (`quotesPage`)
 * - sent quotes past their validity: Query gsi1 SENT#EXPIRY with sk < <today># (`sentQuotesDueBefore`)
 * - the last number of a series: Get SERIES# (functions/shared/series.ts)
 * Every state change is one transaction with its conditions (version, state), its markers, its
 * history entry and, for acceptance, its domain event: the `…Put`/`…Delete`/`…Update` functions
 * below return those parts.
 */
import { historyPut as writeHistory, type Actor } from '../shared/audit.ts';
import { NotFoundError } from '../shared/errors.ts';
import { sha256 } from '../shared/hash.ts';
import { itemStore, fromItem, listFilter, type Page, type PageRequest } from '../shared/store.ts';
import type { TransactItem } from '../shared/transactions.ts';
import type { Quote, QuoteState } from './schemas.ts';
import type { Out } from '../shared/contract.ts';
import type { QuoteDocument } from './views.ts';

export const { table, getItem, queryPage, queryAll } = itemStore('sales');
export { fromItem } from '../shared/store.ts';

/** The representation of a quote (functions/quotes/schemas.ts `Quote`). */
export type QuoteView = Out<typeof Quote>;

/**
 * A stored quote: the representation without links, plus where its PDF lies, what it was rendered
 * from (`documentSource`: everything but the quote's own lines and totals, so the PDF can be made
 * again byte for byte), and `documentPending` while the sent PDF is not yet stored (functions/quotes/send.ts).
 */
export type QuoteRecord = Omit<QuoteView, 'links'> & {
  documentKey?: string;
  revisionId?: string;
  documentSource?: Omit<QuoteDocument, 'lines' | 'totals'>;
  documentPending?: boolean;
};

export const keys = {
  quote: (id: string) => ({ pk: `QUO#${id}`, sk: '#QUO' }),
  expiry: (id: string) => ({ pk: `QUO#${id}`, sk: '#EXPIRY' }),
  link: (token: string) => ({ pk: `LINK#${sha256(token)}`, sk: '#LINK' }),
};

export const partitions = {
  quotesOfEtd: (etd: string) => `ETD#${etd}#QUO`,
  quotesOfEntrepreneur: (etd: string, entrepreneurId: string) => `ETD#${etd}#ENT#${entrepreneurId}#QUO`,
  sentByExpiry: 'SENT#EXPIRY',
};

// ---- Reads -----------------------------------------------------------------------------------

/** The quote, or nothing when there is none with this id. */
export async function findQuote(id: string): Promise<QuoteRecord | undefined> {
  const item = await getItem(keys.quote(id));
  return item ? fromItem<QuoteRecord>(item) : undefined;
}

/** The quote; NotFound only when there is none with this id (no visibility here: see domain/access.ts). */
export async function loadQuote(id: string): Promise<QuoteRecord> {
  const quote = await findQuote(id);
  if (!quote) throw new NotFoundError(`Quote ${id} not found.`);
  return quote;
}

/** What a client link leads to: a quote (`quoteId`) or an invoice (`invoiceId`); nothing for an unknown token. */
export async function clientLinkTarget(token: string): Promise<{ quoteId?: string; invoiceId?: string } | undefined> {
  const link = await getItem(keys.link(token));
  if (!link) return undefined;
  return {
    ...(typeof link.quoteId === 'string' ? { quoteId: link.quoteId } : {}),
    ...(typeof link.invoiceId === 'string' ? { invoiceId: link.invoiceId } : {}),
  };
}

/** The quote behind a client link, or nothing (an unknown link is not told apart from a wrong one). */
export async function quoteOfLink(token: string): Promise<QuoteRecord | undefined> {
  const target = await clientLinkTarget(token);
  return target?.quoteId ? findQuote(target.quoteId) : undefined;
}

/** A page of the quotes of a territory, or of one entrepreneur in it (newest last), filtered by state and client. */
export function quotesPage(
  scope: { etd: string; entrepreneurId?: string | undefined },
  filters: { state?: QuoteState | undefined; clientId?: string | undefined },
  page: PageRequest,
): Promise<Page<QuoteRecord>> {
  const filter = listFilter({ state: filters.state, clientId: filters.clientId });
  return scope.entrepreneurId !== undefined
    ? queryPage<QuoteRecord>('gsi2', partitions.quotesOfEntrepreneur(scope.etd, scope.entrepreneurId), page, filter)
    : queryPage<QuoteRecord>('gsi1', partitions.quotesOfEtd(scope.etd), page, filter);
}

/** The ids of the sent quotes whose validity ended before `today` (YYYY-MM-DD), from their expiry markers. */
export async function* sentQuotesDueBefore(today: string): AsyncGenerator<string> {
  for await (const marker of queryAll('gsi1', partitions.sentByExpiry, 'quoteId', { skBefore: `${today}#` })) {
    yield String(marker.quoteId);
  }
}

// ---- Transaction parts -----------------------------------------------------------------------

const quoteIndexes = (q: Pick<QuoteRecord, 'etd' | 'entrepreneurId' | 'createdAt' | 'id'>) => ({
  gsi1pk: partitions.quotesOfEtd(q.etd),
  gsi1sk: `${q.createdAt}#${q.id}`,
  gsi2pk: partitions.quotesOfEntrepreneur(q.etd, q.entrepreneurId),
  gsi2sk: `${q.createdAt}#${q.id}`,
});

const quoteItem = (q: QuoteRecord) => ({ ...keys.quote(q.id), entity: 'quote', ...quoteIndexes(q), ...q });

/** Writes a new quote (a draft, or a revision), refused if the id exists. */
export const newQuotePut = (quote: QuoteRecord): TransactItem => ({
  Put: { TableName: table(), Item: quoteItem(quote), ConditionExpression: 'attribute_not_exists(pk)' },
});

/** Writes `next` over `current` if nobody changed it meanwhile (same version, same state). */
export function replaceQuote(current: QuoteRecord, next: QuoteRecord): TransactItem {
  return {
    Put: {
      TableName: table(),
      Item: quoteItem(next),
      ConditionExpression: 'version = :v AND #state = :state',
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: { ':v': current.version, ':state': current.state },
    },
  };
}

/** Records on `current` the id of its revision, refused if it changed meanwhile or already has one. */
export const revisionMarkUpdate = (current: QuoteRecord, revisionId: string): TransactItem => ({
  Update: {
    TableName: table(),
    Key: keys.quote(current.id),
    UpdateExpression: 'SET revisionId = :r',
    ConditionExpression: 'version = :v AND attribute_not_exists(revisionId)',
    ExpressionAttributeValues: { ':r': revisionId, ':v': current.version },
  },
});

/**
 * Writes the delivery of a sent quote and clears `documentPending`, at `next.version`, refused if
 * the quote is no longer at `current.version` (its state may have changed: that is kept).
 */
export const deliveryUpdate = (current: QuoteRecord, next: QuoteRecord): TransactItem => ({
  Update: {
    TableName: table(),
    Key: keys.quote(current.id),
    UpdateExpression: 'SET version = :next, delivery = :d REMOVE documentPending',
    ConditionExpression: 'version = :v',
    ExpressionAttributeValues: { ':v': current.version, ':next': next.version, ':d': next.delivery ?? null },
  },
});

/** Starts the expiry clock of a sent quote: the nightly job finds it by its last valid day. */
export const expiryMarkerPut = (quote: Pick<QuoteRecord, 'id' | 'validUntil'>): TransactItem => ({
  Put: {
    TableName: table(),
    Item: {
      ...keys.expiry(quote.id),
      entity: 'expiry',
      gsi1pk: partitions.sentByExpiry,
      gsi1sk: `${quote.validUntil}#${quote.id}`,
      quoteId: quote.id,
    },
  },
});

/** Stops the expiry clock (the quote was answered, superseded or expired). */
export const expiryMarkerDelete = (quoteId: string): TransactItem => ({ Delete: { TableName: table(), Key: keys.expiry(quoteId) } });

/** The client link of a quote (`quoteId`) or the pay link of an invoice (`invoiceId`), its token stored hashed. */
export const clientLinkPut = (token: string, target: { quoteId: string } | { invoiceId: string }): TransactItem => ({
  Put: { TableName: table(), Item: { ...keys.link(token), entity: 'link', ...target } },
});

/** The history entry of a quote's version. */
export const historyPut = (id: string, version: number, actor: Actor, now: Date, entry: Record<string, unknown>): TransactItem =>
  writeHistory(table(), keys.quote(id).pk, version, actor, now, entry);
