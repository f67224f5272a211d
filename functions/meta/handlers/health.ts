import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { ServiceUnavailableError } from '../../shared/errors.ts';
import { documentClient, tableName } from '../../shared/dynamo.ts';
import { httpHandler, ok } from '../../shared/http.ts';
import { contracts } from '../contracts.ts';

/** Answers ok only when the database answers and the table is usable. */
export const handler = httpHandler(contracts.health, async () => {
  try {
    const { Table } = await documentClient().send(new DescribeTableCommand({ TableName: tableName('directory') }));
    if (Table?.TableStatus !== 'ACTIVE') throw new Error(`table status ${Table?.TableStatus}`);
  } catch (error) {
    throw new ServiceUnavailableError(`The database does not answer: ${(error as Error).name}.`);
  }
  return ok({ status: 'ok' });
});
