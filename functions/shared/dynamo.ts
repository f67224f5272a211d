/**
 * The DynamoDB adapter, created once per container. The endpoint comes from the SDK's own
 * `AWS_ENDPOINT_URL_DYNAMODB` (set only by the local runtime), table names from the variables
 * named in functions/tables.ts: handlers never know which runtime they are in.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { tables, type TableKey } from '../tables.ts';
import { addCapacityMiddleware } from './metering.ts';

let base: DynamoDBClient | undefined;
let client: DynamoDBDocumentClient | undefined;

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
  client ??= DynamoDBDocumentClient.from(dynamoClient(), {
    marshallOptions: { removeUndefinedValues: true, convertEmptyValues: false },
  });
  return client;
}

export function tableName(key: TableKey): string {
  const name = process.env[tables[key].envVar];
  if (!name) throw new Error(`${tables[key].envVar} is not set`);
  return name;
}
