/**
 * Local tables from the one set of definitions (functions/tables.ts) the CDK stateful stack reads:
 * same keys, same GSIs (projection ALL), same TTL attribute, on-demand billing.
 */
import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  ResourceInUseException,
  ResourceNotFoundException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
  type AttributeDefinition,
  type GlobalSecondaryIndex,
  type KeySchemaElement,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import { tableList, type IndexDef, type KeyDef, type TableDef } from '../../functions/tables.ts';

export const LOCAL_REGION = 'eu-west-3';

export function localDynamoClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: LOCAL_REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}

const keySchema = (pk: KeyDef, sk?: KeyDef): KeySchemaElement[] => [
  { AttributeName: pk.name, KeyType: 'HASH' },
  ...(sk ? [{ AttributeName: sk.name, KeyType: 'RANGE' as const }] : []),
];

const gsi = (index: IndexDef): GlobalSecondaryIndex => ({
  IndexName: index.indexName,
  KeySchema: keySchema(index.partitionKey, index.sortKey),
  Projection: { ProjectionType: 'ALL' },
});

function attributeDefinitions(keys: readonly (KeyDef | undefined)[]): AttributeDefinition[] {
  const seen = new Map<string, KeyDef['type']>();
  for (const key of keys) {
    if (!key) continue;
    const known = seen.get(key.name);
    if (known && known !== key.type) throw new Error(`attribute ${key.name} is declared both ${known} and ${key.type}`);
    seen.set(key.name, key.type);
  }
  return [...seen].map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType }));
}

const allKeys = (def: TableDef): (KeyDef | undefined)[] => [
  def.partitionKey,
  def.sortKey,
  ...def.indexes.flatMap((i) => [i.partitionKey, i.sortKey]),
];

async function describe(client: DynamoDBClient, name: string): Promise<TableDescription | undefined> {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: name }))).Table;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
}

async function waitForActive(client: DynamoDBClient, name: string): Promise<TableDescription> {
  await waitUntilTableExists({ client, maxWaitTime: 30, minDelay: 1 }, { TableName: name });
  for (let i = 0; i < 300; i++) {
    const table = await describe(client, name);
    const indexesReady = (table?.GlobalSecondaryIndexes ?? []).every((g) => g.IndexStatus === 'ACTIVE');
    if (table?.TableStatus === 'ACTIVE' && indexesReady) return table;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`table ${name} did not become ACTIVE`);
}

async function ensureTable(client: DynamoDBClient, def: TableDef, name: string): Promise<void> {
  let table = await describe(client, name);
  if (!table) {
    try {
      await client.send(
        new CreateTableCommand({
          TableName: name,
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: attributeDefinitions(allKeys(def)),
          KeySchema: keySchema(def.partitionKey, def.sortKey),
          ...(def.indexes.length ? { GlobalSecondaryIndexes: def.indexes.map(gsi) } : {}),
          ...(def.stream ? { StreamSpecification: { StreamEnabled: true, StreamViewType: def.stream } } : {}),
        }),
      );
    } catch (error) {
      // Another process created it meanwhile: fine, it is the same definition.
      if (!(error instanceof ResourceInUseException)) throw error;
    }
  }
  table = await waitForActive(client, name);

  // A data directory created before an index was added to the definitions: add the missing ones.
  const existing = new Set((table.GlobalSecondaryIndexes ?? []).map((g) => g.IndexName));
  for (const index of def.indexes.filter((i) => !existing.has(i.indexName))) {
    await client.send(
      new UpdateTableCommand({
        TableName: name,
        AttributeDefinitions: attributeDefinitions([index.partitionKey, index.sortKey]),
        GlobalSecondaryIndexUpdates: [{ Create: gsi(index) }],
      }),
    );
    await waitForActive(client, name);
  }

  // A data directory created before the table had its stream: turn it on.
  if (def.stream && !(table.StreamSpecification?.StreamEnabled && table.StreamSpecification.StreamViewType === def.stream)) {
    await client.send(
      new UpdateTableCommand({ TableName: name, StreamSpecification: { StreamEnabled: true, StreamViewType: def.stream } }),
    );
    await waitForActive(client, name);
  }

  if (def.timeToLiveAttribute) {
    const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: name }));
    const current = ttl.TimeToLiveDescription;
    if (current?.TimeToLiveStatus !== 'ENABLED' || current.AttributeName !== def.timeToLiveAttribute) {
      await client.send(
        new UpdateTimeToLiveCommand({
          TableName: name,
          TimeToLiveSpecification: { AttributeName: def.timeToLiveAttribute, Enabled: true },
        }),
      );
    }
  }
}

/**
 * Creates every table of the definitions that is absent (named `${prefix}${def.id}`) and waits
 * until all are ACTIVE. Returns the environment that hands the names to the handlers.
 */
export async function ensureTables(endpoint: string, options: { prefix: string }): Promise<Record<string, string>> {
  const client = localDynamoClient(endpoint);
  try {
    const env: Record<string, string> = {};
    await Promise.all(
      tableList.map(async (def) => {
        const name = `${options.prefix}${def.id}`;
        await ensureTable(client, def, name);
        env[def.envVar] = name;
      }),
    );
    return env;
  } finally {
    client.destroy();
  }
}

/**
 * The process environment handlers read (set it before importing any handler module: Powertools
 * reads its settings when its singletons are built). The endpoint goes through the SDK's own
 * `AWS_ENDPOINT_URL_DYNAMODB`, so handler code is the same in both runtimes.
 */
export function applyLocalEnv(endpoint: string, tableEnv: Record<string, string>, env: NodeJS.ProcessEnv = process.env): void {
  env.AWS_ENDPOINT_URL_DYNAMODB = endpoint;
  env.AWS_REGION = LOCAL_REGION;
  env.AWS_ACCESS_KEY_ID = 'local';
  env.AWS_SECRET_ACCESS_KEY = 'local';
  delete env.AWS_SESSION_TOKEN;
  env.POWERTOOLS_TRACE_ENABLED = 'false';
  env.POWERTOOLS_METRICS_DISABLED = env.METRICS === '1' ? 'false' : 'true';
  env.DDB_LOCAL_TELEMETRY = '0';
  Object.assign(env, tableEnv);
}
