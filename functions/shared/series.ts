/**
 * Legal number series (quotes, invoices, credit notes): continuous, no gap, no duplicate, per CAE
 * and year. A number is consumed by the same transaction that issues the document, so a failed
 * issue consumes nothing. Issuers of one series take turns through a short lease, so each renders
 * its document once with the number it will get (optimistic retries would re-render O(n²) times
 * under contention); a crashed holder's lease expires on its own.
 *
 * Items (table `sales` by default; payroll keeps its payslip series in its own table `payroll`):
 * SERIES#<prefix> / #SERIES {last}; SERIES#<prefix> / #LEASE {owner, expiresAt}.
 */
import { randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { TableKey } from '../tables.ts';
import { documentClient, tableName } from './dynamo.ts';
import { ServiceUnavailableError } from './errors.ts';
import { logger } from './observability.ts';
import type { TransactItem } from './transactions.ts';

const LEASE_MS = 15_000;
/**
 * How long an issuer waits for its turn. In Lambda the stack sets it below the issuing functions'
 * 29 s timeout (SERIES_WAIT_LIMIT_MS), so a busy series answers 503 "retry", never a killed call.
 */
const waitLimitMs = () => Number(process.env.SERIES_WAIT_LIMIT_MS ?? 60_000);

export const seriesKeys = {
  counter: (prefix: string) => ({ pk: `SERIES#${prefix}`, sk: '#SERIES' }),
  lease: (prefix: string) => ({ pk: `SERIES#${prefix}`, sk: '#LEASE' }),
};

/** `F-SAMAD44-2026` + 42 → `F-SAMAD44-2026-000042` */
export const formatSeriesNumber = (prefix: string, sequence: number): string => `${prefix}-${String(sequence).padStart(6, '0')}`;

export interface SeriesTicket {
  readonly number: string;
  readonly sequence: number;
  /**
   * When the number is taken: the caller's `now` advanced by the time spent waiting for the series.
   * The document's date is this one (never a date taken before the wait), so that dates follow
   * numbers in each series.
   */
  readonly at: Date;
  /** Put these in the issuing transaction: they consume the number and release the lease. */
  readonly writes: readonly TransactItem[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function acquire(table: () => string, prefix: string, owner: string): Promise<void> {
  const started = Date.now();
  for (let attempt = 0; ; attempt++) {
    const now = Date.now();
    try {
      await documentClient().send(
        new PutCommand({
          TableName: table(),
          Item: { ...seriesKeys.lease(prefix), entity: 'lease', owner, expiresAt: now + LEASE_MS },
          ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
          ExpressionAttributeValues: { ':now': now },
        }),
      );
      return;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      if (now - started > waitLimitMs()) throw new ServiceUnavailableError(`The number series ${prefix} is busy; try again.`);
      await sleep(Math.min(200, 10 + attempt * 5) * (0.5 + Math.random()));
    }
  }
}

/**
 * Runs `issue` with the next number of the series; `issue` must commit `ticket.writes` with its
 * document. `prefix` is the series at `now`, or a function of the instant (its year): when the wait
 * for the series crosses a new year, the number is taken in the new year's series. `tableKey`: the
 * table holding the series (and so the issuing transaction's other items): `sales` unless given.
 */
export async function withSeriesTicket<T>(
  prefix: string | ((at: Date) => string),
  now: Date,
  issue: (ticket: SeriesTicket) => Promise<T>,
  tableKey: TableKey = 'sales',
): Promise<T> {
  const table = () => tableName(tableKey);
  const started = Date.now();
  const clock = () => new Date(now.getTime() + (Date.now() - started));
  const owner = randomUUID();
  const prefixAt = typeof prefix === 'string' ? () => prefix : prefix;
  let series = prefixAt(now);
  for (;;) {
    await acquire(table, series, owner);
    const current = prefixAt(clock());
    if (current === series) break;
    await release(table, series, owner);
    series = current;
  }
  return takeTicket(table, series, owner, clock, issue);
}

async function takeTicket<T>(
  table: () => string,
  prefix: string,
  owner: string,
  clock: () => Date,
  issue: (ticket: SeriesTicket) => Promise<T>,
): Promise<T> {
  try {
    const { Item } = await documentClient().send(
      new GetCommand({ TableName: table(), Key: seriesKeys.counter(prefix), ConsistentRead: true }),
    );
    const at = clock();
    const last = Number(Item?.last ?? 0);
    const sequence = last + 1;
    const writes: TransactItem[] = [
      {
        Put: {
          TableName: table(),
          Item: { ...seriesKeys.counter(prefix), entity: 'series', last: sequence, updatedAt: at.toISOString() },
          ConditionExpression: last === 0 ? 'attribute_not_exists(pk)' : '#last = :last',
          ...(last === 0 ? {} : { ExpressionAttributeNames: { '#last': 'last' }, ExpressionAttributeValues: { ':last': last } }),
        },
      },
      {
        Delete: {
          TableName: table(),
          Key: seriesKeys.lease(prefix),
          ConditionExpression: '#owner = :owner',
          ExpressionAttributeNames: { '#owner': 'owner' },
          ExpressionAttributeValues: { ':owner': owner },
        },
      },
    ];
    return await issue({ number: formatSeriesNumber(prefix, sequence), sequence, at, writes });
  } finally {
    // Released by the issuing transaction when it committed; otherwise release it now.
    await release(table, prefix, owner);
  }
}

/**
 * Gives the lease back if this owner still holds it. Already released (by the issuing transaction)
 * is the normal case; any other failure is logged and left to the lease's expiry (15 s), never
 * thrown: it must not turn a committed issue into an error.
 */
async function release(table: () => string, prefix: string, owner: string): Promise<void> {
  try {
    await documentClient().send(
      new DeleteCommand({
        TableName: table(),
        Key: seriesKeys.lease(prefix),
        ConditionExpression: '#owner = :owner',
        ExpressionAttributeNames: { '#owner': 'owner' },
        ExpressionAttributeValues: { ':owner': owner },
      }),
    );
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return;
    logger.warn('series lease not released; it expires on its own', { prefix, error: (error as Error).name });
  }
}
