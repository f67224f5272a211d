/**
 * DynamoDB access of the network context (table `network`, see functions/tables.ts): the redevance
 * and the cost per territory. Every key, item shape and access pattern of the context lives here.
 *
 * Items                                pk                 sk                          gsi1pk / gsi1sk
 * sales fact of the base (immutable)   FACT#<etd>         <date>#<factId>             FACTREC#<etd> / <recordedAt>#<factId>
 * rate version (never edited)          RATE#<etd>         <from YYYY-MM-DD>           —
 * statement head of a territory        HEAD#<etd>         #HEAD                       —
 * statement (immutable once issued)    STMT#<etd>         <period first day>          STATEMENTS / <period first day>#<etd>
 * cost of a territory and a day        COST#<etd>         <day YYYY-MM-DD>            COSTS / <day>#<etd>
 *
 * Item attributes:
 * - fact: `entity: 'fact'` and the pure `Fact` of functions/network/domain/redevance.ts (from a sales
 *   event: `inv:`/`crn:`/`pay:`/`ref:` + the source's id; HT signed; `recordedAt` when recorded).
 *   Put with attribute_not_exists: a fact is recorded once whatever the deliveries. Kept small (about
 *   300 bytes) so a statement reads 12 of them per 4 KB read unit.
 * - rate version: `entity: 'rate'`, `RateVersion` + `setAt`, `setBy`.
 * - head: `entity: 'head'`, `lastPeriod` (id), `lastTo` (its last day), `lastCutoff` (its cutoff),
 *   `statedFrom` (the first statement's first day). Every statement moves it in its transaction
 *   (conditioned on the previous `lastPeriod`), every new rate version checks it (`lastTo < from`):
 *   the order of statements and rate versions is guarded atomically.
 * - statement: `entity: 'statement'`, `StatementRecord` (content, cutoff, previousCutoff, the rate
 *   versions used, `documentKey` / `documentSha256` of its PDF).
 * - cost: `entity: 'cost'`, `CostRecord`; written only when absent or its content hash differs.
 *
 * Access patterns (Get or Query, never Scan):
 * - the facts of a territory dated in a period: Query FACT#<etd> between `<from>#` and `<to>#~`,
 *   strongly consistent (a fact recorded before a cutoff is never missed) (`factsDated`)
 * - the facts recorded in an interval (late ones): Query gsi1 FACTREC#<etd> between two instants (`factsRecorded`)
 * - a territory's rate versions: Query RATE#<etd> (`rateVersions`)
 * - a territory's head: Get HEAD#<etd>/#HEAD (`headOf`)
 * - a statement: Get STMT#<etd>/<first day> (`loadStatement`); a territory's statements: Query STMT#<etd>;
 *   every territory's in a range: Query gsi1 STATEMENTS between days (`statementsPage`)
 * - a territory's costs over days: Query COST#<etd> between days; every territory's: Query gsi1 COSTS (`costsBetween`)
 */
import { QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../shared/dynamo.ts';
import { NotFoundError } from '../shared/errors.ts';
import { decodeCursor, encodeCursor, type Key } from '../shared/pagination.ts';
import { conditionalPut, fromItem, itemStore, type Page, type PageRequest } from '../shared/store.ts';
import type { TransactItem } from '../shared/transactions.ts';
import type { TerritoryCost } from './domain/costs.ts';
import type { Fact, RateVersion, StatementContent } from './domain/redevance.ts';

export const { table, getItem, queryPage } = itemStore('network');

// ---- Shapes ------------------------------------------------------------------------------------

export type StoredRate = RateVersion & { readonly etd: string; readonly setAt: string; readonly setBy: string };

export interface Head {
  readonly lastPeriod: string;
  readonly lastTo: string;
  readonly lastCutoff: string;
  readonly statedFrom: string;
}

export interface StatementRecord extends StatementContent {
  /** `<etd>-<period>` */
  readonly id: string;
  readonly frequency: 'monthly' | 'quarterly';
  readonly issuedAt: string;
  /** By whom: `job` or the operator's subject. */
  readonly issuedBy: string;
  /** Facts recorded after this instant were left to the next statement. */
  readonly cutoff: string;
  readonly previousCutoff?: string | undefined;
  /** The rate versions in force in the period or in a regularised one. */
  readonly versions: readonly RateVersion[];
  readonly documentKey: string;
  readonly documentSha256: string;
}

export interface CostRecord extends TerritoryCost {
  readonly activeEntrepreneurs: number;
  /** The price-table version used (`from`) and whether every price in it was verified. */
  readonly prices: { readonly from: string; readonly verified: boolean };
  readonly contentHash: string;
  readonly computedAt: string;
}

// ---- Facts -------------------------------------------------------------------------------------

const factKey = (f: Pick<Fact, 'etd' | 'date' | 'factId'>) => ({ pk: `FACT#${f.etd}`, sk: `${f.date}#${f.factId}` });

/** The item of a fact (also what the bench writes in bulk). */
export const factItem = (fact: Fact) => ({
  ...factKey(fact),
  gsi1pk: `FACTREC#${fact.etd}`,
  gsi1sk: `${fact.recordedAt}#${fact.factId}`,
  entity: 'fact',
  ...fact,
});

/** Records a fact once: false when it was already there. */
export const putFact = (fact: Fact): Promise<boolean> =>
  conditionalPut({ TableName: table(), Item: factItem(fact), ConditionExpression: 'attribute_not_exists(pk)' });

async function queryEvery(input: QueryCommandInput): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await documentClient().send(new QueryCommand({ ...input, ...(start ? { ExclusiveStartKey: start } : {}) }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

/** Every fact of a territory dated from `from` to `to` (days, both included), strongly consistent. */
export async function factsDated(etd: string, from: string, to: string): Promise<Fact[]> {
  const items = await queryEvery({
    TableName: table(),
    KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
    ExpressionAttributeValues: { ':pk': `FACT#${etd}`, ':from': `${from}#`, ':to': `${to}#~` },
    ConsistentRead: true,
  });
  return items.map((item) => fromItem<Fact>(item));
}

/** Facts of a territory recorded after `after` and not after `until` (instants). */
export async function factsRecorded(etd: string, after: string, until: string): Promise<Fact[]> {
  const items = await queryEvery({
    TableName: table(),
    IndexName: 'gsi1',
    KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk BETWEEN :after AND :until',
    ExpressionAttributeValues: { ':pk': `FACTREC#${etd}`, ':after': `${after}#~`, ':until': `${until}#~` },
  });
  return items.map((item) => fromItem<Fact>(item));
}

/**
 * One page of a statement's facts: first those dated in its period (the table, by date), then the
 * late ones it regularises (gsi1, by recording instant). The cursor is the page's last key, checked
 * against the territory's partitions: a forged cursor reaches no other territory.
 */
export async function statementFactsPage(
  etd: string,
  range: { from: string; to: string; after?: string | undefined; until: string },
  page: PageRequest,
): Promise<Page<Fact>> {
  let start: Key | undefined;
  let phase: 'period' | 'late' = 'period';
  if (page.cursor === LATE_START) phase = 'late';
  else if (page.cursor !== undefined) {
    try {
      start = decodeCursor(page.cursor, ['pk', 'sk'], { pk: `FACT#${etd}` });
    } catch {
      start = decodeCursor(page.cursor, ['pk', 'sk', 'gsi1pk', 'gsi1sk'], { gsi1pk: `FACTREC#${etd}` });
      phase = 'late';
    }
  }
  const input: QueryCommandInput =
    phase === 'period'
      ? {
          TableName: table(),
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          ExpressionAttributeValues: { ':pk': `FACT#${etd}`, ':from': `${range.from}#`, ':to': `${range.to}#~` },
          ConsistentRead: true,
        }
      : lateInput(etd, range);
  const result = await documentClient().send(
    new QueryCommand({ ...input, Limit: page.limit, ...(start ? { ExclusiveStartKey: start } : {}) }),
  );
  // Late facts dated in the period itself were listed with the period's.
  const items = (result.Items ?? []).map((item) => fromItem<Fact>(item)).filter((f) => phase === 'period' || f.date < range.from);
  let next = encodeCursor(result.LastEvaluatedKey);
  // The period's facts are done: the late ones follow, when the statement regularises anything.
  if (!next && phase === 'period' && range.after !== undefined) {
    next = LATE_START;
  }
  return { items, ...(next ? { nextCursor: next } : {}) };
}

/** The cursor of the first page of late facts. */
const LATE_START = encodeCursor({ phase: 'late' })!;

function lateInput(etd: string, range: { after?: string | undefined; until: string }): QueryCommandInput {
  return {
    TableName: table(),
    IndexName: 'gsi1',
    KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk BETWEEN :after AND :until',
    ExpressionAttributeValues: { ':pk': `FACTREC#${etd}`, ':after': `${range.after}#~`, ':until': `${range.until}#~` },
  };
}

// ---- Rates and head ------------------------------------------------------------------------------

export async function rateVersions(etd: string): Promise<StoredRate[]> {
  const items = await queryEvery({
    TableName: table(),
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': `RATE#${etd}` },
    ConsistentRead: true,
  });
  return items.map((item) => fromItem<StoredRate>(item));
}

const headKey = (etd: string) => ({ pk: `HEAD#${etd}`, sk: '#HEAD' });

export async function headOf(etd: string): Promise<Head | undefined> {
  const item = await getItem(headKey(etd));
  return item ? fromItem<Head>(item) : undefined;
}

/** The transaction of a new rate version: the version (a day not used yet), the head not stated up to its day. */
export function rateVersionPuts(rate: StoredRate): TransactItem[] {
  return [
    {
      Put: {
        TableName: table(),
        Item: { pk: `RATE#${rate.etd}`, sk: rate.from, entity: 'rate', ...rate },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    {
      ConditionCheck: {
        TableName: table(),
        Key: headKey(rate.etd),
        ConditionExpression: 'attribute_not_exists(lastTo) OR lastTo < :from',
        ExpressionAttributeValues: { ':from': rate.from },
      },
    },
  ];
}

// ---- Statements -----------------------------------------------------------------------------------

/** The transaction of a statement: the statement (never there before) and the head moved from the previous period. */
export function statementPuts(record: StatementRecord, head: Head | undefined): TransactItem[] {
  const next: Head = {
    lastPeriod: record.period,
    lastTo: record.to,
    lastCutoff: record.cutoff,
    statedFrom: head?.statedFrom ?? record.from,
  };
  return [
    {
      Put: {
        TableName: table(),
        Item: {
          pk: `STMT#${record.etd}`,
          sk: record.from,
          gsi1pk: 'STATEMENTS',
          gsi1sk: `${record.from}#${record.etd}`,
          entity: 'statement',
          ...record,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    {
      Put: {
        TableName: table(),
        Item: { ...headKey(record.etd), entity: 'head', ...next },
        ...(head
          ? { ConditionExpression: 'lastPeriod = :previous', ExpressionAttributeValues: { ':previous': head.lastPeriod } }
          : { ConditionExpression: 'attribute_not_exists(pk)' }),
      },
    },
  ];
}

export async function findStatement(etd: string, from: string): Promise<StatementRecord | undefined> {
  const item = await getItem({ pk: `STMT#${etd}`, sk: from });
  return item ? fromItem<StatementRecord>(item) : undefined;
}

export async function loadStatement(etd: string, from: string, period: string): Promise<StatementRecord> {
  const found = await findStatement(etd, from);
  if (!found || found.period !== period) throw new NotFoundError(`No redevance statement ${etd}-${period}.`);
  return found;
}

/** A page of statements: of one territory (its partition), or of all (gsi1), between two first days. */
export async function statementsPage(etd: string | undefined, from: string, to: string, page: PageRequest): Promise<Page<StatementRecord>> {
  const filter = {
    FilterExpression: '#f BETWEEN :from AND :to',
    ExpressionAttributeNames: { '#f': 'from' },
    ExpressionAttributeValues: { ':from': from, ':to': to },
  };
  return etd
    ? queryPage<StatementRecord>(undefined, `STMT#${etd}`, page, { filter })
    : queryPage<StatementRecord>('gsi1', 'STATEMENTS', page, { filter });
}

// ---- Costs -----------------------------------------------------------------------------------------

/** Writes a day's cost of a territory unless the same content is there: true when written. */
export const putCost = (record: CostRecord): Promise<boolean> =>
  conditionalPut({
    TableName: table(),
    Item: { pk: `COST#${record.etd}`, sk: record.day, gsi1pk: 'COSTS', gsi1sk: `${record.day}#${record.etd}`, entity: 'cost', ...record },
    ConditionExpression: 'attribute_not_exists(pk) OR contentHash <> :hash',
    ExpressionAttributeValues: { ':hash': record.contentHash },
  });

/** The cost items between two days (included): of one territory, or of all. */
export async function costsBetween(etd: string | undefined, from: string, to: string): Promise<CostRecord[]> {
  const items = etd
    ? await queryEvery({
        TableName: table(),
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': `COST#${etd}`, ':from': from, ':to': to },
      })
    : await queryEvery({
        TableName: table(),
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': 'COSTS', ':from': `${from}#`, ':to': `${to}#~` },
      });
  return items.map((item) => fromItem<CostRecord>(item));
}
