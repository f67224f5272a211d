/** All-or-nothing writes: one DynamoDB transaction, with the failed condition named. */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { documentClient } from './dynamo.ts';
import { ConflictError } from './errors.ts';

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

export const CONFLICT_RETRIES = 3;

/**
 * Runs the items as one transaction. When a condition fails, `onConditionFailed` receives the
 * index of the first failing item and returns the error to throw (409, 400, 412…). When DynamoDB
 * cancels it because another transaction held an item (`TransactionConflict`, which the SDK does
 * not retry), it is retried a few times with jitter, then refused as a 409 to try again.
 */
export async function transact(items: TransactItem[], onConditionFailed: (index: number) => Error): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await documentClient().send(new TransactWriteCommand({ TransactItems: items }));
      return;
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const reasons = error.CancellationReasons ?? [];
      const index = reasons.findIndex((r) => r.Code === 'ConditionalCheckFailed');
      if (index >= 0) throw onConditionFailed(index);
      if (!reasons.some((r) => r.Code === 'TransactionConflict')) throw error;
      if (attempt >= CONFLICT_RETRIES) throw new ConflictError('Another change to the same record was in progress; try again.');
      await new Promise((resolve) => setTimeout(resolve, 20 * 2 ** attempt + Math.random() * 30));
    }
  }
}
