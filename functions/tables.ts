/**
 * The one set of table definitions. Read by the CDK stateful stack (infra/stacks/stateful.ts)
 * and by the local bootstrap (infra/local/tables.ts): a table exists in both runtimes or in neither.
 */
export interface KeyDef {
  readonly name: string;
  readonly type: 'S' | 'N';
}

export interface IndexDef {
  readonly indexName: string;
  readonly partitionKey: KeyDef;
  readonly sortKey?: KeyDef;
}

export interface TableDef {
  /** Construct id in the stack and suffix of the local table name. */
  readonly id: string;
  /** Environment variable through which functions receive the table's name. */
  readonly envVar: string;
  readonly partitionKey: KeyDef;
  readonly sortKey?: KeyDef;
  readonly indexes: readonly IndexDef[];
  readonly timeToLiveAttribute?: string;
  /**
   * A change stream with the new image of each written item: the sales table's carries its domain
   * events (the relay publishes them, functions/events/handlers/relay.ts). TableV2 `dynamoStream`
   * in the cloud, `StreamSpecification` in DynamoDB Local.
   */
  readonly stream?: 'NEW_IMAGE';
  readonly description: string;
}

const S = (name: string): KeyDef => ({ name, type: 'S' });

export const tables = {
  /**
   * Territories, entrepreneurs, clients, partners, their uniqueness guards and change history.
   * Access patterns are listed at the top of functions/onboarding/store.ts.
   */
  directory: {
    id: 'Directory',
    envVar: 'TABLE_DIRECTORY',
    partitionKey: S('pk'),
    sortKey: S('sk'),
    indexes: [
      { indexName: 'gsi1', partitionKey: S('gsi1pk'), sortKey: S('gsi1sk') },
      { indexName: 'gsi2', partitionKey: S('gsi2pk'), sortKey: S('gsi2sk') },
    ],
    description: 'Onboarding: ETDs and their CAEs, entrepreneurs, clients, partners, history',
  },
  /**
   * Legal documents of the sales cycle: quotes and their revisions, invoices, credit notes and
   * their payments, number series per CAE and year, client link tokens (hashed), and the outbox of
   * domain events (read through the table's stream). Access patterns are listed at the top of
   * functions/quotes/store.ts and functions/invoices/store.ts.
   */
  sales: {
    id: 'Sales',
    envVar: 'TABLE_SALES',
    partitionKey: S('pk'),
    sortKey: S('sk'),
    indexes: [
      { indexName: 'gsi1', partitionKey: S('gsi1pk'), sortKey: S('gsi1sk') },
      { indexName: 'gsi2', partitionKey: S('gsi2pk'), sortKey: S('gsi2sk') },
    ],
    stream: 'NEW_IMAGE',
    description: 'Sales: quotes, invoices, credit notes, payments, number series, client links, domain events',
  },
  /**
   * Payroll of the entrepreneurs-salariés: activity-account movements and balances, expenses,
   * salary drafts, payslips and their number series per CAE, withholding rates, CAE payroll
   * settings, and the outbox of payroll domain events (read through the table's stream). Access
   * patterns are listed at the top of functions/payroll/store.ts.
   */
  payroll: {
    id: 'Payroll',
    envVar: 'TABLE_PAYROLL',
    partitionKey: S('pk'),
    sortKey: S('sk'),
    indexes: [{ indexName: 'gsi1', partitionKey: S('gsi1pk'), sortKey: S('gsi1sk') }],
    stream: 'NEW_IMAGE',
    description: 'Payroll: activity accounts, expenses, salaries, payslips, number series, withholding rates, CAE settings, domain events',
  },
  /**
   * Referred works (PIC): referrals with their matching (candidates ranked, partners excluded and
   * why), the offers to partners, the offer links (hashed), one referral per quote, and the outbox of
   * referral domain events (read through the table's stream). Access patterns are listed at the top of
   * functions/referrals/store.ts.
   */
  referrals: {
    id: 'Referrals',
    envVar: 'TABLE_REFERRALS',
    partitionKey: S('pk'),
    sortKey: S('sk'),
    indexes: [
      { indexName: 'gsi1', partitionKey: S('gsi1pk'), sortKey: S('gsi1sk') },
      { indexName: 'gsi2', partitionKey: S('gsi2pk'), sortKey: S('gsi2sk') },
    ],
    stream: 'NEW_IMAGE',
    description: 'Referrals: referred works, their matching and offers to partners, offer links, domain events',
  },
  /**
   * CESU of clients who employ at home and the yearly tax-credit attestations: employer files, home
   * workers, monthly declarations, the SAP sales facts received from the events, attestations and
   * their number series per CAE and year. Access patterns at the top of functions/cesu/store.ts.
   */
  cesu: {
    id: 'Cesu',
    envVar: 'TABLE_CESU',
    partitionKey: S('pk'),
    sortKey: S('sk'),
    indexes: [{ indexName: 'gsi1', partitionKey: S('gsi1pk'), sortKey: S('gsi1sk') }],
    description: 'CESU: employer files, home workers, monthly declarations, SAP sales facts, tax-credit attestations, number series',
  },
  /**
   * The network's accounting per territory: the sales facts of the redevance base (from the sales
   * events), rate versions, statements and their head, and the daily cost items. Access patterns are
   * listed at the top of functions/network/store.ts.
   */
  network: {
    id: 'Network',
    envVar: 'TABLE_NETWORK',
    partitionKey: S('pk'),
    sortKey: S('sk'),
    indexes: [{ indexName: 'gsi1', partitionKey: S('gsi1pk'), sortKey: S('gsi1sk') }],
    description: 'Network: redevance facts, rate versions and statements per territory; daily cost per territory',
  },
  /** Powertools idempotency records (Stripe events applied once), expiring by TTL. */
  idempotency: {
    id: 'Idempotency',
    envVar: 'TABLE_IDEMPOTENCY',
    partitionKey: S('id'),
    indexes: [],
    timeToLiveAttribute: 'expiration',
    description: 'Idempotency records of side effects (Powertools), expiring',
  },
} as const satisfies Record<string, TableDef>;

export type TableKey = keyof typeof tables;
export const tableList: readonly TableDef[] = Object.values(tables);
