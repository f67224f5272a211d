/**
 * DynamoDB access of the onboarding context (table `directory`, see functions/tables.ts).
 *
 * Items                                   pk                          sk              gsi1pk / gsi1sk                              gsi2pk / gsi2sk
 * ETD                                     ETD#<code>                  #ETD            ETDS / <code>
 * entrepreneur                            ENT#<id>                    #ENT            ETD#<etd>#ENT / <state>#<createdAt>#<id>     PUBLIC#ENT / <etd>#<createdAt>#<id> (only while listed)
 * e-mail guard (unique per ETD)           ETD#<etd>#EMAIL#<sha256>    #UNIQUE
 * client                                  CLI#<id>                    #CLI            ETD#<etd>#CLI / <createdAt>#<id>             ETD#<etd>#ENT#<entrepreneurId>#CLI / <createdAt>#<id>
 * partner                                 PAR#<id>                    #PAR                                                         PARTNERS / <createdAt>#<id>
 * partner, one per department covered     PAR#<id>                    DEPT#<code>     DEPT#<code>#PAR / <createdAt>#<id>
 * SIRET guard (unique partner)            SIRET#<siret>               #UNIQUE
 * history of any entity                   <entity pk>                 HIST#<version>
 *
 * Access patterns (all Get or Query, never Scan):
 * - an ETD by code: Get; all ETDs: Query gsi1 ETDS
 * - an entrepreneur / client / partner by id: Get
 * - entrepreneurs of an ETD, optionally by state: Query gsi1 ETD#<etd>#ENT (begins_with <state>#)
 * - publicly listed entrepreneurs, optionally of an ETD: Query gsi2 PUBLIC#ENT (begins_with <etd>#)
 * - clients of an ETD / of an entrepreneur: Query gsi1 / gsi2
 * - partners of a department: Query gsi1 DEPT#<code>#PAR; all partners: Query gsi2 PARTNERS
 * - history of an entity: Query pk, begins_with HIST#
 * Every write is one transaction holding the entity, its guards and its history entry.
 */
import { createHash } from 'node:crypto';
import { GetCommand, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { documentClient, tableName } from '../shared/dynamo.ts';
import { decodeCursor, encodeCursor, type Key } from '../shared/pagination.ts';

export const table = () => tableName('directory');

export const keys = {
  etd: (code: string) => ({ pk: `ETD#${code}`, sk: '#ETD' }),
  entrepreneur: (id: string) => ({ pk: `ENT#${id}`, sk: '#ENT' }),
  client: (id: string) => ({ pk: `CLI#${id}`, sk: '#CLI' }),
  partner: (id: string) => ({ pk: `PAR#${id}`, sk: '#PAR' }),
  partnerDepartment: (id: string, code: string) => ({ pk: `PAR#${id}`, sk: `DEPT#${code}` }),
  emailGuard: (etd: string, email: string) => ({ pk: `ETD#${etd}#EMAIL#${sha256(email)}`, sk: '#UNIQUE' }),
  siretGuard: (siret: string) => ({ pk: `SIRET#${siret}`, sk: '#UNIQUE' }),
  history: (entityPk: string, version: number) => ({ pk: entityPk, sk: `HIST#${String(version).padStart(6, '0')}` }),
};

export const partitions = {
  etds: 'ETDS',
  entrepreneursOfEtd: (etd: string) => `ETD#${etd}#ENT`,
  publicEntrepreneurs: 'PUBLIC#ENT',
  clientsOfEtd: (etd: string) => `ETD#${etd}#CLI`,
  clientsOfEntrepreneur: (etd: string, id: string) => `ETD#${etd}#ENT#${id}#CLI`,
  partnersOfDepartment: (code: string) => `DEPT#${code}#PAR`,
  partners: 'PARTNERS',
};

function sha256(value: string): string {
  return createHash('sha256').update(value.trim().toLowerCase()).digest('hex');
}

/** Storage attributes, stripped before an item becomes an API representation. */
const storageAttributes = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'entity'];

export function fromItem<T>(item: Record<string, unknown>): T {
  const copy: Record<string, unknown> = { ...item };
  for (const name of storageAttributes) delete copy[name];
  return copy as T;
}

export async function getItem(key: Key): Promise<Record<string, unknown> | undefined> {
  const { Item } = await documentClient().send(new GetCommand({ TableName: table(), Key: key }));
  return Item;
}

export interface PageRequest {
  readonly limit: number;
  readonly cursor?: string | undefined;
}

export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

/** One page of a Query on an index partition; the cursor is checked against that partition. */
export async function queryPage<T>(
  index: 'gsi1' | 'gsi2' | undefined,
  partition: string,
  page: PageRequest,
  options: { skPrefix?: string; filter?: Pick<QueryCommandInput, 'FilterExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'> } = {},
): Promise<Page<T>> {
  const pkName = index ? `${index}pk` : 'pk';
  const skName = index ? `${index}sk` : 'sk';
  const keyNames = index ? ['pk', 'sk', pkName, skName] : ['pk', 'sk'];
  const exclusiveStartKey = decodeCursor(page.cursor, keyNames, { [pkName]: partition });
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

/** Every item of an index partition (for jobs, which read whole partitions), projected. */
export async function* queryAll(index: 'gsi1' | 'gsi2', partition: string, projection: string, skPrefix?: string) {
  let start: Record<string, unknown> | undefined;
  do {
    const page = await documentClient().send(
      new QueryCommand({
        TableName: table(),
        IndexName: index,
        KeyConditionExpression: skPrefix ? '#pk = :pk AND begins_with(#sk, :prefix)' : '#pk = :pk',
        ExpressionAttributeNames: { '#pk': `${index}pk`, ...(skPrefix ? { '#sk': `${index}sk` } : {}) },
        ExpressionAttributeValues: { ':pk': partition, ...(skPrefix ? { ':prefix': skPrefix } : {}) },
        ProjectionExpression: projection,
        ExclusiveStartKey: start,
      }),
    );
    yield* page.Items ?? [];
    start = page.LastEvaluatedKey;
  } while (start);
}
