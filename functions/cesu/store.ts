/**
 * DynamoDB access of the CESU context (table `cesu`, see functions/tables.ts). Every key, item shape
 * and access pattern of the context lives here.
 *
 * Items                                   pk                         sk                          gsi1pk / gsi1sk
 * employer file (particulier employeur)   EMP#<clientId>             #EMPLOYER                   EMPLOYERS#<etd> / <clientId>
 * home worker of an employer              EMP#<clientId>             WRK#<workerId>              —
 * monthly declaration                     EMP#<clientId>             DEC#<period>                —
 * SAP invoice fact (InvoiceIssued)        SAPINV#<invoiceId>         #INVOICE                    SAP#<etd>#<cae>#<year issued> / <clientId>#<invoiceId>
 * money received / given back on it       SAPINV#<invoiceId>         PAY#<paymentIntent> / REF#<refundId>   —
 * tax-credit attestation (immutable)      ATT#<clientId>             <year>#<cae>#<number>       ATTS#<etd>#<year> / <cae>#<clientId>#<number>
 * the attestation in force (its head)     ATT#<clientId>             HEAD#<year>#<cae>           —
 * number series of attestations: SERIES#AF-<CAE><etd>-<year>, functions/shared/series.ts (table `cesu`)
 *
 * - The sales facts come from the events (functions/events/catalog.ts) through the RecordSapSales
 *   consumer: an invoice only when `sapEligible`; every payment and refund (an event may arrive
 *   before its invoice's), applied once each (the item is put only if absent).
 * - A declaration is replaced while `prepared` (conditioned on its version), then moves
 *   prepared → submitted → paid, each move conditioned on the previous state.
 *
 * Access patterns (Get or Query, never Scan): an employer file with its workers and declarations
 * (Query EMP#<clientId>); the employer files of a territory (gsi1 EMPLOYERS#<etd>: the reminder job);
 * the SAP invoices of a CAE issued in a year (gsi1 SAP#…#<year>) and the payments of one (Query
 * SAPINV#<id>); a client's attestations (Query ATT#<clientId>); a territory's attestations of a year
 * (gsi1 ATTS#<etd>#<year>).
 */
import type { EventPayloads } from '../events/catalog.ts';
import type { CesuParameters } from './rates.ts';
import type { DeclarationFigures, ExemptionKind, HoursInput, PaidLeaveMethod } from './domain/declaration.ts';
import { conditionalPut, fromItem, itemStore, type Page } from '../shared/store.ts';
import type { TransactItem } from '../shared/transactions.ts';

export const { table, getItem, queryPage } = itemStore('cesu');

// ---- Shapes ------------------------------------------------------------------------------------

export interface EmployerRecord {
  readonly clientId: string;
  readonly etd: string;
  readonly coordinatorId: string;
  readonly cesuNumber: string;
  readonly birthYear: number;
  readonly exemption: { readonly kind: ExemptionKind; readonly from?: string | undefined };
  readonly alsaceMoselle: boolean;
  readonly version: number;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly updatedAt: string;
  readonly updatedBy: string;
}

export interface WorkerRecord {
  readonly id: string;
  readonly clientId: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly email?: string | undefined;
  readonly phone?: string | undefined;
  readonly startDate: string;
  readonly netHourlyCents: number;
  readonly paidLeave: PaidLeaveMethod;
  readonly createdAt: string;
}

export type DeclarationState = 'prepared' | 'submitted' | 'paid';

export interface DeclarationRecord {
  readonly clientId: string;
  readonly etd: string;
  readonly period: string;
  readonly state: DeclarationState;
  readonly deadline: string;
  /** What was declared per worker (hours as a total or per day, extra pay). */
  readonly input: readonly {
    readonly workerId: string;
    readonly hours: HoursInput;
    readonly extraNetCents: number;
    /** The net hourly wage declared for the month (the worker's, or the one given for this month). */
    readonly netHourlyCents?: number | undefined;
  }[];
  readonly figures: DeclarationFigures;
  /** The parameters used, values and sources (never recomputed from a later table). */
  readonly parameters: CesuParameters;
  readonly documentKey: string;
  readonly documentSha256: string;
  readonly reference?: string | undefined;
  readonly submittedVia?: 'port' | 'manual' | undefined;
  readonly submittedAt?: string | undefined;
  readonly submittedBy?: string | undefined;
  readonly paidOn?: string | undefined;
  readonly preparedAt: string;
  readonly preparedBy: string;
  readonly version: number;
}

/** What the attestation keeps of an InvoiceIssued `sapEligible`. */
export type SapInvoiceFact = Pick<
  EventPayloads['InvoiceIssued'],
  'invoiceId' | 'number' | 'etd' | 'cae' | 'entrepreneurId' | 'clientId' | 'issuedOn'
>;

/** Money received (positive) or given back (negative) on an invoice, with what third parties financed of it. */
export interface MoneyFact {
  readonly invoiceId: string;
  readonly kind: 'payment' | 'refund';
  readonly sourceId: string;
  readonly amountCents: number;
  readonly on: string;
  /** Of a payment: the parts financed by APA/PCH, pre-funded CESU and the avance immédiate, when recorded. */
  readonly fundedCents: number;
  /** Of `fundedCents`, the pre-funded CESU (the attestation names it apart); absent on facts kept before it was. */
  readonly prefundedCesuCents?: number | undefined;
}

export interface AttestationRecord {
  readonly id: string;
  readonly number: string;
  readonly etd: string;
  readonly cae: string;
  readonly clientId: string;
  readonly year: number;
  readonly paidCents: number;
  readonly hours: number;
  /** What the figures were computed from: a re-run compares it to decide whether anything changed. */
  readonly fingerprint: string;
  readonly issuedAt: string;
  readonly supersedes?: string | undefined;
  readonly documentKey: string;
  readonly documentSha256: string;
  readonly documentPending?: boolean | undefined;
  readonly documentSource: Record<string, unknown>;
}

// ---- Keys --------------------------------------------------------------------------------------

const emp = (clientId: string) => `EMP#${clientId}`;
export const keys = {
  employer: (clientId: string) => ({ pk: emp(clientId), sk: '#EMPLOYER' }),
  worker: (clientId: string, workerId: string) => ({ pk: emp(clientId), sk: `WRK#${workerId}` }),
  declaration: (clientId: string, period: string) => ({ pk: emp(clientId), sk: `DEC#${period}` }),
  sapInvoice: (invoiceId: string) => ({ pk: `SAPINV#${invoiceId}`, sk: '#INVOICE' }),
  money: (invoiceId: string, kind: MoneyFact['kind'], sourceId: string) => ({
    pk: `SAPINV#${invoiceId}`,
    sk: `${kind === 'payment' ? 'PAY' : 'REF'}#${sourceId}`,
  }),
  attestation: (a: Pick<AttestationRecord, 'clientId' | 'year' | 'cae' | 'number'>) => ({
    pk: `ATT#${a.clientId}`,
    sk: `${a.year}#${a.cae}#${a.number}`,
  }),
};
export const partitions = {
  employersOf: (etd: string) => `EMPLOYERS#${etd}`,
  sapInvoices: (etd: string, cae: string, year: number) => `SAP#${etd}#${cae}#${year}`,
  attestationsOf: (etd: string, year: number) => `ATTS#${etd}#${year}`,
};

export const declarationDocumentKey = (clientId: string, period: string, version: number) =>
  `cesu/declarations/${clientId}/${period}-v${version}.pdf`;
export const attestationDocumentKey = (cae: string, etd: string, number: string) => `cesu/attestations/${cae}${etd}/${number}.pdf`;

// ---- Reads -------------------------------------------------------------------------------------

async function all<T>(index: 'gsi1' | undefined, partition: string, skPrefix?: string): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const page: Page<T> = await queryPage<T>(index, partition, { limit: 200, cursor }, skPrefix === undefined ? {} : { skPrefix });
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

const entityOf = <T>(item: Record<string, unknown> | undefined): T | undefined => (item ? fromItem<T>(item) : undefined);

export const findEmployer = async (clientId: string) => entityOf<EmployerRecord>(await getItem(keys.employer(clientId)));
export const workersOf = (clientId: string) => all<WorkerRecord>(undefined, emp(clientId), 'WRK#');
export const declarationsOf = (clientId: string) => all<DeclarationRecord>(undefined, emp(clientId), 'DEC#');
export const findDeclaration = async (clientId: string, period: string) =>
  entityOf<DeclarationRecord>(await getItem(keys.declaration(clientId, period)));
export const employersOf = (etd: string) => all<EmployerRecord>('gsi1', partitions.employersOf(etd));
export const sapInvoicesOf = (etd: string, cae: string, year: number) =>
  all<SapInvoiceFact>('gsi1', partitions.sapInvoices(etd, cae, year));
export const moneyOf = (invoiceId: string) =>
  all<MoneyFact & { readonly entity?: string }>(undefined, `SAPINV#${invoiceId}`).then((items) =>
    items.filter((i): i is MoneyFact => 'kind' in i),
  );
export const attestationsOfClient = (clientId: string) =>
  all<AttestationRecord & { readonly entity?: string }>(undefined, `ATT#${clientId}`).then((items) =>
    items.filter((i): i is AttestationRecord => 'id' in i),
  );

// ---- Writes ------------------------------------------------------------------------------------

export function employerPut(e: EmployerRecord, previousVersion: number | undefined): TransactItem {
  return {
    Put: {
      TableName: table(),
      Item: { ...keys.employer(e.clientId), entity: 'cesu-employer', gsi1pk: partitions.employersOf(e.etd), gsi1sk: e.clientId, ...e },
      ...(previousVersion === undefined
        ? { ConditionExpression: 'attribute_not_exists(pk)' }
        : { ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': previousVersion } }),
    },
  };
}

export function workerPut(w: WorkerRecord): TransactItem {
  return {
    Put: {
      TableName: table(),
      Item: { ...keys.worker(w.clientId, w.id), entity: 'cesu-worker', ...w },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

/** The employer file must exist (a worker or a declaration is never written for a removed file). */
export function employerExists(clientId: string): TransactItem {
  return { ConditionCheck: { TableName: table(), Key: keys.employer(clientId), ConditionExpression: 'attribute_exists(pk)' } };
}

/** A declaration: new, or replacing the prepared one of that version (never a submitted one). */
export function declarationPut(d: DeclarationRecord, previousVersion: number | undefined): TransactItem {
  return {
    Put: {
      TableName: table(),
      Item: { ...keys.declaration(d.clientId, d.period), entity: 'cesu-declaration', ...d },
      ...(previousVersion === undefined
        ? { ConditionExpression: 'attribute_not_exists(pk)' }
        : {
            ConditionExpression: '#state = :prepared AND version = :v',
            ExpressionAttributeNames: { '#state': 'state' },
            ExpressionAttributeValues: { ':prepared': 'prepared', ':v': previousVersion },
          }),
    },
  };
}

export function sapInvoicePut(f: SapInvoiceFact): TransactItem {
  return {
    Put: {
      TableName: table(),
      Item: {
        ...keys.sapInvoice(f.invoiceId),
        entity: 'sap-invoice',
        gsi1pk: partitions.sapInvoices(f.etd, f.cae, Number(f.issuedOn.slice(0, 4))),
        gsi1sk: `${f.clientId}#${f.invoiceId}`,
        ...f,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

export function moneyPut(f: MoneyFact): TransactItem {
  return {
    Put: {
      TableName: table(),
      Item: { ...keys.money(f.invoiceId, f.kind, f.sourceId), entity: 'sap-money', ...f },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

/** Records a sales fact once (a Put conditioned on absence): false when it was already there. */
export function putSalesFact(fact: { readonly invoice: SapInvoiceFact } | { readonly money: MoneyFact }): Promise<boolean> {
  const { Put } = 'invoice' in fact ? sapInvoicePut(fact.invoice) : moneyPut(fact.money);
  return conditionalPut(Put as Parameters<typeof conditionalPut>[0]);
}

export function attestationPut(a: AttestationRecord): TransactItem {
  return {
    Put: {
      TableName: table(),
      Item: {
        ...keys.attestation(a),
        entity: 'tax-attestation',
        gsi1pk: partitions.attestationsOf(a.etd, a.year),
        gsi1sk: `${a.cae}#${a.clientId}#${a.number}`,
        ...a,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

export function attestationStoredUpdate(a: Pick<AttestationRecord, 'clientId' | 'year' | 'cae' | 'number'>): TransactItem {
  return {
    Update: {
      TableName: table(),
      Key: keys.attestation(a),
      UpdateExpression: 'REMOVE documentPending',
      ConditionExpression: 'attribute_exists(pk)',
    },
  };
}

/**
 * The head of a client's attestations of a year and CAE (`ATT#<clientId>` / `HEAD#<year>#<cae>`): the
 * number in force. Put in the issuing transaction, conditioned on the number it replaces (or on
 * none), so two runs at once never issue two attestations for the same figures.
 */
export function attestationHeadPut(
  a: Pick<AttestationRecord, 'clientId' | 'year' | 'cae' | 'number'>,
  previous: string | undefined,
): TransactItem {
  return {
    Put: {
      TableName: table(),
      Item: { pk: `ATT#${a.clientId}`, sk: `HEAD#${a.year}#${a.cae}`, entity: 'tax-attestation-head', number: a.number },
      ...(previous === undefined
        ? { ConditionExpression: 'attribute_not_exists(pk)' }
        : { ConditionExpression: '#n = :n', ExpressionAttributeNames: { '#n': 'number' }, ExpressionAttributeValues: { ':n': previous } }),
    },
  };
}
