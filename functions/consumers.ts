/**
 * The consumer table: functions that react to domain events (functions/events/catalog.ts), and the
 * relay that publishes them. Plain data, like routes.ts and jobs.ts. The CDK stack
 * (infra/constructs/events.ts) creates one function per consumer with exactly these grants and one
 * EventBridge rule (source `oui-ensemble.sales`, detail-type in `events`) targeting it; offline,
 * the in-process bus (infra/local/events.ts) invokes the same handlers with the same envelope.
 * `npm run invoke -- <fn> events/eventbridge/<file>.json` runs one on a sample event.
 */
import type { EventType } from './events/catalog.ts';
import type { Capabilities, TableAccess } from './route-def.ts';
import type { TableKey } from './tables.ts';

export interface ConsumerDef extends Capabilities {
  readonly fn: string;
  readonly handler: string;
  /** The event types delivered to it. */
  readonly events: readonly EventType[];
  /** Its tables; `idempotency: 'write'` always (each event applied once, functions/events/consumer.ts). */
  readonly tables: Partial<Record<TableKey, TableAccess>>;
  readonly summary: string;
}

/**
 * The relay: the sales table's stream → the event bus. Reads no table (the stream hands it the
 * items); in the cloud it may only read that stream and put events on that bus. Both runtimes read
 * its stream the same way: batches of `batchSize` records, a failing batch retried `retryAttempts`
 * times, then set aside (the cloud's failure queue; a log line offline) so the stream moves on.
 */
export const relay = {
  fn: 'RelayEvents',
  handler: 'functions/events/handlers/relay.ts',
  tables: {},
  stream: { batchSize: 100, retryAttempts: 10 },
  summary: 'Publishes the domain events written to the sales table (its stream) on the event bus',
} as const satisfies Capabilities & {
  fn: string;
  handler: string;
  tables: Partial<Record<TableKey, TableAccess>>;
  stream: { batchSize: number; retryAttempts: number };
  summary: string;
};

export const consumers = [
  {
    fn: 'NotifyQuoteAccepted',
    handler: 'functions/quotes/handlers/notify-quote-accepted.ts',
    events: ['QuoteAccepted'],
    tables: { directory: 'read', idempotency: 'write' },
    mail: true,
    summary: 'E-mails the entrepreneur who wrote a quote when the client accepts it',
  },
  {
    fn: 'CreditTurnover',
    handler: 'functions/payroll/handlers/credit-turnover.ts',
    events: ['InvoiceIssued', 'CreditNoteIssued', 'PaymentReceived', 'PaymentRefunded'],
    tables: { payroll: 'write', directory: 'read', idempotency: 'write' },
    summary: 'Credits the entrepreneur’s activity account with turnover HT on the CAE’s basis (invoiced or cashed), once per fact',
  },
  {
    fn: 'RecordSapSales',
    handler: 'functions/cesu/handlers/record-sap-sales.ts',
    events: ['InvoiceIssued', 'PaymentReceived', 'PaymentRefunded'],
    tables: { cesu: 'write', idempotency: 'write' },
    summary:
      'Keeps the facts of the yearly tax-credit attestation: SAP-eligible invoices, money received and given back on invoices, once each',
  },
  {
    fn: 'DraftReferralFromQuote',
    handler: 'functions/referrals/handlers/draft-from-quote.ts',
    events: ['QuoteAccepted'],
    tables: { referrals: 'write', sales: 'read', idempotency: 'write' },
    summary:
      'Opens a draft referral for the works of an accepted quote of the CAE MSG (once per quote), to be matched once its needs are stated',
  },
  {
    fn: 'RecordRedevanceFacts',
    handler: 'functions/network/handlers/record-redevance-facts.ts',
    events: ['InvoiceIssued', 'CreditNoteIssued', 'PaymentReceived', 'PaymentRefunded'],
    tables: { network: 'write', idempotency: 'write' },
    summary: 'Keeps the facts of the redevance base per territory: invoices, credit notes, payments and refunds HT, once each',
  },
] as const satisfies readonly ConsumerDef[];

/** The consumers an event of this type is delivered to. */
export function consumersOf(type: string, table: readonly ConsumerDef[] = consumers): ConsumerDef[] {
  return table.filter((c) => (c.events as readonly string[]).includes(type));
}
