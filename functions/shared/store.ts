/**
 * Generic DynamoDB item access over one table of functions/tables.ts: Get, and Query pages with
 * checked cursors, and a conditional Put. Each context's store.ts binds it to its table and writes its keys and access
 * patterns at its top. No Scan anywhere.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, type PutCommandInput, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { TableKey } from '../tables.ts';
import { documentClient, tableName } from './dynamo.ts';
import { decodeCursor, encodeCursor, type Key } from './pagination.ts';

/** Storage attributes, stripped before an item becomes an API representation. */
const storageAttributes = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'entity'];

export function fromItem<T>(item: Record<string, unknown>): T {
  const copy: Record<string, unknown> = { ...item };
  for (const name of storageAttributes) delete copy[name];
  return copy as T;
}

export interface PageRequest {
  readonly limit: number;
  readonly cursor?: string | undefined;
}

export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

type Filter = Pick<QueryCommandInput, 'FilterExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'>;

/**
 * The filter of a list page: `attribute = value` for each value given (names escaped, so reserved
 * words like `state` are fine), and-ed with an optional extra condition.
 */
export function listFilter(
  equal: Record<string, string | undefined>,
  extra?: { expression: string; names?: Record<string, string>; values: Record<string, unknown> },
): { filter?: Filter } {
  const parts: string[] = [];
  const names: Record<string, string> = { ...extra?.names };
  const values: Record<string, unknown> = { ...extra?.values };
  Object.entries(equal).forEach(([attribute, value], i) => {
    if (value === undefined) return;
    names[`#f${i}`] = attribute;
    values[`:f${i}`] = value;
    parts.push(`#f${i} = :f${i}`);
  });
  if (extra) parts.push(extra.expression);
  if (parts.length === 0) return {};
  return {
    filter: {
      FilterExpression: parts.join(' AND '),
      ...(Object.keys(names).length ? { ExpressionAttributeNames: names } : {}),
      ExpressionAttributeValues: values,
    },
  };
}

/**
 * A Put under its `ConditionExpression` (e.g. `attribute_not_exists(pk)`: once): true when written,
 * false when the condition did not hold. Any other failure is thrown.
 */
export async function conditionalPut(input: PutCommandInput): Promise<boolean> {
  try {
    await documentClient().send(new PutCommand(input));
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

export function itemStore(key: TableKey) {
  const table = () => tableName(key);

  async function getItem(itemKey: Key): Promise<Record<string, unknown> | undefined> {
    const { Item } = await documentClient().send(new GetCommand({ TableName: table(), Key: itemKey }));
    return Item;
  }

  /** One page of a Query on a partition (of the table or an index); the cursor is checked against that partition. */
  async function queryPage<T>(
    index: 'gsi1' | 'gsi2' | undefined,
    partition: string,
    page: PageRequest,
    options: { skPrefix?: string; filter?: Filter } = {},
  ): Promise<Page<T>> {
    const pkName = index ? `${index}pk` : 'pk';
    const skName = index ? `${index}sk` : 'sk';
    const keyNames = index ? ['pk', 'sk', pkName, skName] : ['pk', 'sk'];
    const exclusiveStartKey = decodeCursor(
      page.cursor,
      keyNames,
      { [pkName]: partition },
      options.skPrefix !== undefined ? { name: skName, prefix: options.skPrefix } : undefined,
    );
    const names: Record<string, string> = { '#pk': pkName, ...(options.filter?.ExpressionAttributeNames ?? {}) };
    const values: Record<string, unknown> = { ':pk': partition, ...(options.filter?.ExpressionAttributeValues ?? {}) };
    let condition = '#pk = :pk';
    if (options.skPrefix !== undefined) {
      names['#sk'] = skName;
      values[':skPrefix'] = options.skPrefix;
      condition += ' AND begins_with(#sk, :skPrefix)';
    }
    const result = await documentClient().send(
      new QueryCommand({
        TableName: table(),
        ...(index ? { IndexName: index } : {}),
        KeyConditionExpression: condition,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ...(options.filter?.FilterExpression ? { FilterExpression: options.filter.FilterExpression } : {}),
        Limit: page.limit,
        ...(exclusiveStartKey ? { ExclusiveStartKey: exclusiveStartKey } : {}),
      }),
    );
    const nextCursor = encodeCursor(result.LastEvaluatedKey);
    return { items: (result.Items ?? []).map((item) => fromItem<T>(item)), ...(nextCursor ? { nextCursor } : {}) };
  }

  /** Every item of an index partition (for jobs, which read whole partitions), projected; `skBefore` bounds the sort key. */
  async function* queryAll(
    index: 'gsi1' | 'gsi2',
    partition: string,
    projection: string,
    range: { skPrefix?: string; skBefore?: string } = {},
  ) {
    let start: Record<string, unknown> | undefined;
    const names: Record<string, string> = { '#pk': `${index}pk` };
    const values: Record<string, unknown> = { ':pk': partition };
    let condition = '#pk = :pk';
    if (range.skPrefix !== undefined) {
      names['#sk'] = `${index}sk`;
      values[':prefix'] = range.skPrefix;
      condition += ' AND begins_with(#sk, :prefix)';
    } else if (range.skBefore !== undefined) {
      names['#sk'] = `${index}sk`;
      values[':before'] = range.skBefore;
      condition += ' AND #sk < :before';
    }
    const projected = projection.split(',').map((name, i) => {
      names[`#p${i}`] = name.trim();
      return `#p${i}`;
    });
    do {
      const page = await documentClient().send(
        new QueryCommand({
          TableName: table(),
          IndexName: index,
          KeyConditionExpression: condition,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ProjectionExpression: projected.join(', '),
          ExclusiveStartKey: start,
        }),
      );
      yield* page.Items ?? [];
      start = page.LastEvaluatedKey;
    } while (start);
  }

  return { table, getItem, queryPage, queryAll };
}
