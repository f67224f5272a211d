import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { ServiceUnavailableError } from '../../shared/errors.ts';
import { documentClient, tableName } from '../../shared/dynamo.ts';
import { httpHandler, ok } from '../../shared/http.ts';
import * as contracts from '../contracts.ts';

/** DescribeTable is a control-plane call: a healthy answer is reused this long by a warm container. */
const HEALTHY_FOR_MS = 10_000;
let healthyUntil = 0;

/** Answers ok only when the database answers and the table is usable. */
export const handler = httpHandler(contracts.health, async () => {
  if (Date.now() < healthyUntil) return ok({ status: 'ok' });
  try {
    const { Table } = await documentClient().send(new DescribeTableCommand({ TableName: tableName('directory') }));
    if (Table?.TableStatus !== 'ACTIVE') throw new Error(`table status ${Table?.TableStatus}`);
  } catch (error) {
    throw new ServiceUnavailableError(`The database does not answer: ${(error as Error).name}.`);
  }
  healthyUntil = Date.now() + HEALTHY_FOR_MS;
  return ok({ status: 'ok' });
});
