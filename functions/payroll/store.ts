/**
 * DynamoDB access of the payroll context (table `payroll`, see functions/tables.ts). Every key,
 * item shape, marker and access pattern of payroll lives here; the use cases hold the rules and
 * ask this module for reads and for the parts of their transactions.
 *
 * Items                                    pk                       sk                               gsi1pk / gsi1sk
 * account balance (running sum)            ACC#<entrepreneurId>     #BALANCE                         ACCOUNTS#<etd> / <entrepreneurId>
 * movement (one per source)                ACC#<entrepreneurId>     MOV#<period>#<kind>#<sourceId>   —
 * movement guard (idempotency)             ACC#<entrepreneurId>     SRC#<kind>#<sourceId>            —
 * salary draft of a month                  ACC#<entrepreneurId>     SAL#<period>                     DRAFT#<period> / <etd>#<entrepreneurId>  (while open)
 * payslip of a month (immutable)           ACC#<entrepreneurId>     PAY#<period>                     CAE#<etd>#<cae>#PAY / <period>#<entrepreneurId>
 * withholding rate (PAS), a version       ACC#<entrepreneurId>     PAS#<date>#<receivedAt>          —
 * withholding head (latest `from`)        ACC#<entrepreneurId>     #PAS                             —
 * expense (note de frais)                  EXP#<expenseId>          #EXP                             ENT#<entrepreneurId>#EXP / <date>#<expenseId>
 * CAE payroll settings (versioned)         CAE#<etd>#<cae>          SET#<from YYYY-MM-DD>            —
 * CAE settings head (latest `from`)       CAE#<etd>#<cae>          #SET                             —
 * domain event (outbox)                    EVENT#<yyyy-mm-dd>       <at>#<eventId>                   — (built by functions/events/outbox.ts;
 *                                                                                                     ExpenseValidated, PayslipIssued)
 * number series of payslips: SERIES#BS-<CAE><etd>-<year>, see functions/shared/series.ts (table `payroll`)
 *
 * Item attributes:
 * - balance: `entity: 'balance'`, `etd`, `entrepreneurId`, `balanceCents` (the sum of every movement:
 *   credits positive, debits negative), `movements` (their count). Every movement transaction adds to it,
 *   so a payslip can be refused atomically when the employer cost exceeds balance + overdraft.
 * - movement: `entity: 'movement'`, `entrepreneurId`, `etd`, and the pure movement of
 *   functions/payroll/domain/activity-account.ts (`kind`, `sourceId`, `period`, `at`, signed
 *   `amountCents`, `label`). Its guard `SRC#<kind>#<sourceId>` (`movementKey`, `entity:
 *   'movement-source'`) is put with attribute_not_exists in the same transaction: a source is never
 *   counted twice.
 * - salary draft: `entity: 'salary'`, `SalaryDraft`.
 * - payslip: `entity: 'payslip'`, `PayslipRecord` (figures computed once, never changed; `documentKey`,
 *   `documentSha256` committed with the number, `documentPending` until the PDF is stored).
 * - withholding rate: `entity: 'withholding'`, `rate` (percent), `source` ('dgfip': the rate the tax administration
 *   sent; 'neutral-grid'), `date` (YYYY-MM-DD, from when it applies: the first day of its month), `rateBasisPoints`,
 *   `receivedAt`, `receivedBy`. Versions are appended, never edited: two versions of the same month both stay, the
 *   last received winning. The head `#PAS` (`entity: 'withholding-head'`, `from`) holds the latest version's day:
 *   a version is put with it, conditioned on not going back before it.
 * - expense: `entity: 'expense'`, `ExpenseRecord`; its receipt lies in the documents store under `receiptKey`.
 * - CAE settings: `entity: 'cae-settings'`, `CaeSettings` (versions effective from a day, never edited;
 *   the contribution schedule of the CAE is their list, after the defaults below when it starts later). The head
 *   `#SET` (`entity: 'cae-settings-head'`, `from`) holds the latest version's day: a version is put with it,
 *   conditioned on coming strictly after it.
 *
 * Access patterns (all Get or Query, never Scan):
 * - an entrepreneur's balance: Get ACC#/#BALANCE (`balanceOf`)
 * - an entrepreneur's movements up to or within a period: Query ACC# begins_with MOV# (`movementsOf`)
 * - a salary draft / a payslip of a month: Get ACC#/SAL#<period>, ACC#/PAY#<period>
 * - an entrepreneur's payslips: Query ACC# begins_with PAY# (`payslipsOf`)
 * - the drafts still open of a month (monthly reminder): Query gsi1 DRAFT#<period> (`openDrafts`)
 * - the entrepreneurs of a territory that have an account: Query gsi1 ACCOUNTS#<etd> (`accountsOf`)
 * - an entrepreneur's withholding rate at a month: Query ACC# PAS# … PAS#<period>-31\uffff, the last one
 * - an entrepreneur's withholding rate versions: Query ACC# begins_with PAS# (`withholdingHistory`)
 * - the last month a CAE issued a payslip: Query gsi1 CAE#<etd>#<cae>#PAY, descending, limit 1 (`lastIssuedPeriodOfCae`)
 * - an expense by id: Get EXP#/#EXP (`loadExpense`); an entrepreneur's expenses: Query gsi1 ENT#<id>#EXP
 * - a CAE's settings versions: Query CAE#<etd>#<cae> begins_with SET# (`caeSettingsHistory`)
 */
import type { EventPayloads } from '../events/catalog.ts';
import { outboxItem } from '../events/outbox.ts';
import { movementKey, type Movement } from './domain/activity-account.ts';
import { NotFoundError } from '../shared/errors.ts';
import { fromItem, itemStore, type Page, type PageRequest } from '../shared/store.ts';
import type { TransactItem } from '../shared/transactions.ts';
import { documentClient } from '../shared/dynamo.ts';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';

export const { table, getItem, queryPage, queryAll } = itemStore('payroll');

// ---- Shapes ------------------------------------------------------------------------------------

/** A movement of an entrepreneur's account, as stored: the pure movement plus whose it is. */
export type StoredMovement = Movement & { readonly entrepreneurId: string; readonly etd: string };

export const expenseStates = ['declared', 'validated', 'refused'] as const;
export type ExpenseState = (typeof expenseStates)[number];

export interface ExpenseRecord {
  readonly id: string;
  readonly etd: string;
  readonly cae: string;
  readonly entrepreneurId: string;
  readonly amountCents: number;
  readonly vatCents: number;
  readonly date: string;
  readonly category: string;
  readonly label?: string | undefined;
  readonly state: ExpenseState;
  readonly receiptKey: string;
  readonly receipt?: { readonly contentType: string; readonly bytes: number; readonly sha256: string } | undefined;
  readonly refusalReason?: string | undefined;
  readonly decidedAt?: string | undefined;
  readonly decidedBy?: string | undefined;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly version: number;
}

export interface SalaryDraft {
  readonly entrepreneurId: string;
  readonly etd: string;
  readonly cae: string;
  readonly period: string;
  /** A gross monthly salary, or the maximum the account allows (computed at issue). */
  readonly request: { readonly grossCents: number } | { readonly maximum: true };
  readonly hours: number;
  readonly state: 'draft' | 'issued';
  readonly updatedAt: string;
  readonly updatedBy: string;
}

export interface PayslipRecord {
  readonly id: string;
  readonly number: string;
  readonly entrepreneurId: string;
  readonly etd: string;
  readonly cae: string;
  readonly period: string;
  readonly issuedAt: string;
  readonly hours: number;
  readonly grossCents: number;
  readonly netCents: number;
  readonly employerCostCents: number;
  readonly expensesCents: number;
  /** Everything else the engine computed (contributions by risk, net social, withholding…), as computed. */
  readonly figures: Record<string, unknown>;
  readonly documentKey: string;
  readonly documentSha256: string;
  readonly documentPending?: boolean | undefined;
  /** What the PDF was rendered from besides `figures` (so a pending PDF is made again byte for byte). */
  readonly documentSource: Record<string, unknown>;
}

/** A version of an entrepreneur's withholding rate, as recorded (never edited). */
export interface WithholdingVersion extends WithholdingRate {
  readonly entrepreneurId: string;
  readonly etd: string;
  readonly rateBasisPoints: number;
  readonly receivedAt: string;
  readonly receivedBy: string;
}

/** A withholding rate (prélèvement à la source) as the engine takes it (functions/payroll/engine.ts). */
export interface WithholdingRate {
  /** Percent, e.g. 7.5. */
  readonly rate: number;
  readonly source: 'dgfip' | 'neutral-grid';
  /** YYYY-MM-DD: from when it applies. */
  readonly date: string;
}

export interface CaeSettings {
  readonly etd: string;
  readonly cae: string;
  /** The day this version takes effect (YYYY-MM-DD); a version starting mid-month applies from the next month. */
  readonly from: string;
  /** The cooperative contribution: basis points of the turnover credited, plus an optional fixed monthly amount. */
  readonly contributionBasisPoints: number;
  readonly contributionFixedCents: number;
  readonly basis: 'invoiced' | 'cashed';
  readonly overdraftCents: number;
  readonly source: string;
}

/** What applies to a CAE that has recorded no settings: 10 % on cashed turnover, no overdraft. */
export const defaultCaeSettings = (etd: string, cae: string): CaeSettings => ({
  etd,
  cae,
  from: '2000-01-01',
  contributionBasisPoints: 1000,
  contributionFixedCents: 0,
  basis: 'cashed',
  overdraftCents: 0,
  source: 'default (issue 10: 10 % of the cashed turnover, no overdraft)',
});

// ---- Keys --------------------------------------------------------------------------------------

const account = (entrepreneurId: string) => `ACC#${entrepreneurId}`;

export const keys = {
  balance: (entrepreneurId: string) => ({ pk: account(entrepreneurId), sk: '#BALANCE' }),
  movement: (entrepreneurId: string, m: Pick<Movement, 'period' | 'kind' | 'sourceId'>) => ({
    pk: account(entrepreneurId),
    sk: `MOV#${m.period}#${m.kind}#${m.sourceId}`,
  }),
  source: (entrepreneurId: string, m: Pick<Movement, 'kind' | 'sourceId'>) => ({
    pk: account(entrepreneurId),
    sk: `SRC#${movementKey(m)}`,
  }),
  salary: (entrepreneurId: string, period: string) => ({ pk: account(entrepreneurId), sk: `SAL#${period}` }),
  payslip: (entrepreneurId: string, period: string) => ({ pk: account(entrepreneurId), sk: `PAY#${period}` }),
  withholding: (entrepreneurId: string, date: string, receivedAt: string) => ({
    pk: account(entrepreneurId),
    sk: `PAS#${date}#${receivedAt}`,
  }),
  withholdingHead: (entrepreneurId: string) => ({ pk: account(entrepreneurId), sk: '#PAS' }),
  expense: (id: string) => ({ pk: `EXP#${id}`, sk: '#EXP' }),
  caeSettings: (etd: string, cae: string, from: string) => ({ pk: `CAE#${etd}#${cae}`, sk: `SET#${from}` }),
  caeSettingsHead: (etd: string, cae: string) => ({ pk: `CAE#${etd}#${cae}`, sk: '#SET' }),
};

export const partitions = {
  openDrafts: (period: string) => `DRAFT#${period}`,
  payslipsOfCae: (etd: string, cae: string) => `CAE#${etd}#${cae}#PAY`,
  expensesOfEntrepreneur: (entrepreneurId: string) => `ENT#${entrepreneurId}#EXP`,
  accountsOfEtd: (etd: string) => `ACCOUNTS#${etd}`,
};

/** Where an expense's receipt lies in the documents store (private). */
export const receiptKey = (expenseId: string) => `payroll/receipts/${expenseId}`;
/** Where a payslip's PDF lies in the documents store (private). */
export const payslipDocumentKey = (cae: string, etd: string, number: string) => `payroll/payslips/${cae}${etd}/${number}.pdf`;

// ---- Reads -------------------------------------------------------------------------------------

/** Every item of a partition whose sort key starts with the prefix (an account holds a few hundred items a year). */
async function partitionItems(pk: string, skPrefix: string, range?: { from?: string; to?: string }): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  const condition = range?.from && range.to ? '#pk = :pk AND #sk BETWEEN :from AND :to' : '#pk = :pk AND begins_with(#sk, :prefix)';
  const values: Record<string, unknown> =
    range?.from && range.to ? { ':pk': pk, ':from': range.from, ':to': range.to } : { ':pk': pk, ':prefix': skPrefix };
  do {
    const page = await documentClient().send(
      new QueryCommand({
        TableName: table(),
        KeyConditionExpression: condition,
        ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk' },
        ExpressionAttributeValues: values,
        ExclusiveStartKey: start,
      }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

export async function balanceOf(entrepreneurId: string): Promise<{ balanceCents: number; movements: number }> {
  const item = await getItem(keys.balance(entrepreneurId));
  return { balanceCents: Number(item?.balanceCents ?? 0), movements: Number(item?.movements ?? 0) };
}

/** The movements of an entrepreneur, oldest month first; `to` (YYYY-MM) bounds them, `from` too. */
export async function movementsOf(entrepreneurId: string, range: { from?: string; to?: string } = {}): Promise<StoredMovement[]> {
  const from = range.from ? `MOV#${range.from}` : 'MOV#';
  const to = range.to ? `MOV#${range.to}#\uffff` : 'MOV#\uffff';
  const items = await partitionItems(account(entrepreneurId), 'MOV#', { from, to });
  return items.map((item) => fromItem<StoredMovement>(item));
}

export async function findSalaryDraft(entrepreneurId: string, period: string): Promise<SalaryDraft | undefined> {
  const item = await getItem(keys.salary(entrepreneurId, period));
  return item ? fromItem<SalaryDraft>(item) : undefined;
}

export async function findPayslip(entrepreneurId: string, period: string): Promise<PayslipRecord | undefined> {
  const item = await getItem(keys.payslip(entrepreneurId, period));
  return item ? fromItem<PayslipRecord>(item) : undefined;
}

export async function payslipsOf(entrepreneurId: string, page: PageRequest): Promise<Page<PayslipRecord>> {
  return queryPage<PayslipRecord>(undefined, account(entrepreneurId), page, { skPrefix: 'PAY#' });
}

/** The drafts of a month not issued yet, with their territory and CAE (for the managers' reminder). */
export async function* openDrafts(period: string): AsyncGenerator<{ etd: string; cae: string; entrepreneurId: string }> {
  for await (const item of queryAll('gsi1', partitions.openDrafts(period), 'etd,cae,entrepreneurId')) {
    yield { etd: String(item.etd), cae: String(item.cae), entrepreneurId: String(item.entrepreneurId) };
  }
}

/** The entrepreneurs of a territory that have an activity account. */
export async function* accountsOf(etd: string): AsyncGenerator<string> {
  for await (const item of queryAll('gsi1', partitions.accountsOfEtd(etd), 'entrepreneurId')) yield String(item.entrepreneurId);
}

/** The withholding rate that applies to a month: the latest effective not after it, the last received winning. */
export async function withholdingRateAt(entrepreneurId: string, period: string): Promise<WithholdingRate | undefined> {
  const items = await partitionItems(account(entrepreneurId), 'PAS#', { from: 'PAS#', to: `PAS#${period}-31\uffff` });
  const last = items.at(-1);
  if (!last) return undefined;
  const { rate, source, date } = fromItem<WithholdingRate>(last);
  return { rate, source, date };
}

/** Every withholding rate version of an entrepreneur, oldest first (same month: in the order received). */
export async function withholdingHistory(entrepreneurId: string): Promise<WithholdingVersion[]> {
  const items = await partitionItems(account(entrepreneurId), 'PAS#');
  return items.map((item) => fromItem<WithholdingVersion>(item));
}

/**
 * Every settings version of a CAE, oldest first; the defaults first when none is recorded or the first
 * recorded one starts later (so that the months before it keep the rules they had).
 */
export async function caeSettingsHistory(etd: string, cae: string): Promise<CaeSettings[]> {
  const recorded = (await partitionItems(`CAE#${etd}#${cae}`, 'SET#')).map((item) => fromItem<CaeSettings>(item));
  const defaults = defaultCaeSettings(etd, cae);
  return recorded.length && recorded[0]!.from <= defaults.from ? recorded : [defaults, ...recorded];
}

/** The last month for which a payslip of the CAE was issued, if any. */
export async function lastIssuedPeriodOfCae(etd: string, cae: string): Promise<string | undefined> {
  const page = await documentClient().send(
    new QueryCommand({
      TableName: table(),
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': partitions.payslipsOfCae(etd, cae) },
      ScanIndexForward: false,
      Limit: 1,
    }),
  );
  const last = page.Items?.[0];
  return last ? String(last.gsi1sk).slice(0, 7) : undefined;
}

/** The expense, NotFound only when there is none with this id (loading is not authorising). */
export async function loadExpense(id: string): Promise<ExpenseRecord> {
  const item = await getItem(keys.expense(id));
  if (!item) throw new NotFoundError(`Expense ${id} not found.`);
  return fromItem<ExpenseRecord>(item);
}

export async function expensesOf(entrepreneurId: string, page: PageRequest): Promise<Page<ExpenseRecord>> {
  return queryPage<ExpenseRecord>('gsi1', partitions.expensesOfEntrepreneur(entrepreneurId), page);
}

// ---- Transaction parts -------------------------------------------------------------------------

/**
 * The parts that record movements of one account: each movement and its source guard (fails when
 * the source was already counted), then ONE update of the balance by their sum (a transaction may
 * touch an item once). With `cover`, the update is conditioned on the balance covering the debit:
 * balance before + overdraft ≥ −sum (an absent balance counts as 0). Returns the parts and the
 * index of the balance update (its condition failing = not enough on the account).
 */
export function accountWrites(
  owner: { entrepreneurId: string; etd: string },
  movements: readonly Movement[],
  cover?: { overdraftCents: number },
): { writes: TransactItem[]; balanceIndex: number } {
  const writes: TransactItem[] = movements.flatMap((movement) => [
    {
      Put: {
        TableName: table(),
        Item: { ...keys.movement(owner.entrepreneurId, movement), entity: 'movement', ...owner, ...movement },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    {
      Put: {
        TableName: table(),
        Item: { ...keys.source(owner.entrepreneurId, movement), entity: 'movement-source', period: movement.period },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
  ]);
  const total = movements.reduce((sum, m) => sum + m.amountCents, 0);
  const floor = -total - (cover?.overdraftCents ?? 0);
  const condition = cover
    ? {
        ConditionExpression: floor <= 0 ? 'attribute_not_exists(pk) OR balanceCents >= :floor' : 'balanceCents >= :floor',
        ExpressionAttributeValues: { ':floor': floor },
      }
    : { ExpressionAttributeValues: {} };
  writes.push({
    Update: {
      TableName: table(),
      Key: keys.balance(owner.entrepreneurId),
      UpdateExpression:
        'SET entity = :entity, etd = :etd, entrepreneurId = :id, gsi1pk = :accounts, gsi1sk = :id ADD balanceCents :amount, movements :count',
      ...(condition.ConditionExpression ? { ConditionExpression: condition.ConditionExpression } : {}),
      ExpressionAttributeValues: {
        ...condition.ExpressionAttributeValues,
        ':entity': 'balance',
        ':etd': owner.etd,
        ':id': owner.entrepreneurId,
        ':accounts': partitions.accountsOfEtd(owner.etd),
        ':amount': total,
        ':count': movements.length,
      },
    },
  });
  return { writes, balanceIndex: writes.length - 1 };
}

export function expensePut(expense: ExpenseRecord): TransactItem {
  return {
    Put: {
      TableName: table(),
      Item: {
        ...keys.expense(expense.id),
        entity: 'expense',
        gsi1pk: partitions.expensesOfEntrepreneur(expense.entrepreneurId),
        gsi1sk: `${expense.date}#${expense.id}`,
        ...expense,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

/** The expense at its next version (condition: still at the version read, still declared). */
export function expenseReplace(expense: ExpenseRecord, previousVersion: number): TransactItem {
  return {
    Put: {
      TableName: table(),
      Item: {
        ...keys.expense(expense.id),
        entity: 'expense',
        gsi1pk: partitions.expensesOfEntrepreneur(expense.entrepreneurId),
        gsi1sk: `${expense.date}#${expense.id}`,
        ...expense,
      },
      ConditionExpression: '#version = :version AND #state = :declared',
      ExpressionAttributeNames: { '#version': 'version', '#state': 'state' },
      ExpressionAttributeValues: { ':version': previousVersion, ':declared': 'declared' },
    },
  };
}

/** The salary draft of a month; refused (condition) once the month is issued. */
export function salaryDraftPut(draft: SalaryDraft): TransactItem {
  return {
    Put: {
      TableName: table(),
      Item: {
        ...keys.salary(draft.entrepreneurId, draft.period),
        entity: 'salary',
        ...(draft.state === 'draft' ? { gsi1pk: partitions.openDrafts(draft.period), gsi1sk: `${draft.etd}#${draft.entrepreneurId}` } : {}),
        ...draft,
      },
      ConditionExpression: 'attribute_not_exists(pk) OR #state = :draft',
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: { ':draft': 'draft' },
    },
  };
}

/** A draft written only if the month has none yet (the monthly job: re-running it changes nothing). */
export function salaryDraftCreate(draft: SalaryDraft): TransactItem {
  const put = salaryDraftPut(draft).Put!;
  return { Put: { TableName: put.TableName, Item: put.Item, ConditionExpression: 'attribute_not_exists(pk)' } };
}

/** The payslip of a month, once (condition: none yet). */
export function payslipPut(payslip: PayslipRecord): TransactItem {
  return {
    Put: {
      TableName: table(),
      Item: {
        ...keys.payslip(payslip.entrepreneurId, payslip.period),
        entity: 'payslip',
        gsi1pk: partitions.payslipsOfCae(payslip.etd, payslip.cae),
        gsi1sk: `${payslip.period}#${payslip.entrepreneurId}`,
        ...payslip,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

/** The PDF of an issued payslip is stored: it is no longer pending. */
export function payslipStoredUpdate(entrepreneurId: string, period: string): TransactItem {
  return {
    Update: {
      TableName: table(),
      Key: keys.payslip(entrepreneurId, period),
      UpdateExpression: 'REMOVE documentPending',
      ConditionExpression: 'attribute_exists(pk)',
    },
  };
}

/**
 * A new withholding rate version: the version (never over another) and the head moved to its day, conditioned
 * on the head not being after it (index 0: the head — its condition failing = a later version exists).
 */
export function withholdingWrites(version: WithholdingVersion): TransactItem[] {
  return [
    {
      Put: {
        TableName: table(),
        Item: { ...keys.withholdingHead(version.entrepreneurId), entity: 'withholding-head', from: version.date },
        ConditionExpression: 'attribute_not_exists(pk) OR #from <= :from',
        ExpressionAttributeNames: { '#from': 'from' },
        ExpressionAttributeValues: { ':from': version.date },
      },
    },
    {
      Put: {
        TableName: table(),
        Item: { ...keys.withholding(version.entrepreneurId, version.date, version.receivedAt), entity: 'withholding', ...version },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
  ];
}

export function caeSettingsPut(settings: CaeSettings): TransactItem {
  return {
    Put: {
      TableName: table(),
      Item: { ...keys.caeSettings(settings.etd, settings.cae, settings.from), entity: 'cae-settings', ...settings },
    },
  };
}

/**
 * A new settings version of a CAE, appended: the version (never over another) and the head moved to its day,
 * conditioned on the head being strictly before it (index 0: the head — its condition failing = not after the latest).
 */
export function caeSettingsAppend(settings: CaeSettings): TransactItem[] {
  const put = caeSettingsPut(settings).Put!;
  return [
    {
      Put: {
        TableName: table(),
        Item: { ...keys.caeSettingsHead(settings.etd, settings.cae), entity: 'cae-settings-head', from: settings.from },
        ConditionExpression: 'attribute_not_exists(pk) OR #from < :from',
        ExpressionAttributeNames: { '#from': 'from' },
        ExpressionAttributeValues: { ':from': settings.from },
      },
    },
    { Put: { TableName: put.TableName, Item: put.Item, ConditionExpression: 'attribute_not_exists(pk)' } },
  ];
}

/**
 * The outbox item of an event of the payroll context, in the payroll table (functions/events/outbox.ts):
 * the relay reads this table's stream as it reads the sales one (infra/constructs/events.ts).
 */
export function eventPut<T extends keyof EventPayloads>(type: T, eventId: string, now: Date, detail: EventPayloads[T]): TransactItem {
  return outboxItem(type, detail, now, { table: 'payroll', eventId });
}
