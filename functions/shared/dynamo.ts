/**
 * The DynamoDB adapter, created once per container. The endpoint comes from the SDK's own
 * `AWS_ENDPOINT_URL_DYNAMODB` (set only by the local runtime), table names from the variables
 * named in functions/tables.ts: handlers never know which runtime they are in.
 */
import { type AttributeValue, DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, type GetCommandOutput } from '@aws-sdk/lib-dynamodb';
import { convertToNative, marshall } from '@aws-sdk/util-dynamodb';
import { tables, type TableKey } from '../tables.ts';
import { addCapacityMiddleware } from './metering.ts';

let base: DynamoDBClient | undefined;
let client: DynamoDBDocumentClient | undefined;

const marshallOptions = { removeUndefinedValues: true, convertEmptyValues: false };
/** What the document client unmarshalls a value with (its defaults). */
const unmarshallOptions = { convertWithoutMapWrapper: true };

/**
 * The one DynamoDB client of the container, for the libraries that take a plain client (Powertools
 * idempotency): it shares its middleware stack with `documentClient()`.
 */
export function dynamoClient(): DynamoDBClient {
  if (!base) {
    base = new DynamoDBClient({});
    // Every item call asks for its consumed capacity, counted per invocation (functions/shared/metering.ts).
    addCapacityMiddleware(base);
  }
  return base;
}

export function documentClient(): DynamoDBDocumentClient {
  if (!client) {
    const plain = dynamoClient();
    const document = DynamoDBDocumentClient.from(plain, { marshallOptions });
    // The read of one item (the `load…` of every store: most requests make one) is sent as the
    // plain GetItem it is, on the plain client, whose middleware stack the document client shares
    // anyway (grants offline, consumed capacity): the same call and the same answer, without the
    // document client's two marshalling middlewares resolved per call and its generic conversion
    // of the item (≈ 10 µs of CPU per entrepreneur read; issue 14). Every other command, and a Get
    // sent with options or a callback, goes through the document client as before.
    const send = document.send.bind(document) as (...args: unknown[]) => unknown;
    const sendFast = (command: unknown, ...rest: unknown[]) =>
      rest.length === 0 && command instanceof GetCommand ? getItem(plain, command) : send(command, ...rest);
    document.send = sendFast as typeof document.send;
    client = document;
  }
  return client;
}

/** A GetCommand as a plain GetItem: the key marshalled and the item unmarshalled as the document client does. */
async function getItem(plain: DynamoDBClient, command: GetCommand): Promise<GetCommandOutput> {
  const { Key, ...input } = command.input;
  const output = await plain.send(
    new GetItemCommand({ ...input, Key: Key && marshall(Key, { ...marshallOptions, convertTopLevelContainer: false }) }),
  );
  if (output.Item === undefined) return output as GetCommandOutput;
  return { ...output, Item: nativeMap(output.Item) } as GetCommandOutput;
}

function nativeMap(map: Record<string, AttributeValue>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(map)) out[name] = native(map[name]!);
  return out;
}

/** One value: strings, maps and lists here (most of an item), numbers, sets and the rest by the SDK's own conversion. */
function native(value: AttributeValue): unknown {
  if (value.S !== undefined) return value.S;
  if (value.M !== undefined) return nativeMap(value.M);
  if (value.L !== undefined) return value.L.map(native);
  return convertToNative(value, unmarshallOptions);
}

export function tableName(key: TableKey): string {
  const name = process.env[tables[key].envVar];
  if (!name) throw new Error(`${tables[key].envVar} is not set`);
  return name;
}
