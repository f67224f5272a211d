/** Units whose subject is the AWS call itself, with aws-sdk-client-mock. */
import { DescribeTableCommand, DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConflictError } from '../../functions/shared/errors.ts';
import { transact } from '../../functions/shared/transactions.ts';

const documents = mockClient(DynamoDBDocumentClient);
const raw = mockClient(DynamoDBClient);

beforeAll(() => {
  process.env.TABLE_DIRECTORY = 'directory-under-test';
});
afterEach(() => {
  documents.reset();
  raw.reset();
});

const cancelled = (codes: string[]) =>
  new TransactionCanceledException({ message: 'cancelled', $metadata: {}, CancellationReasons: codes.map((Code) => ({ Code })) });

describe('transact', () => {
  it('sends every item in one TransactWriteItems call', async () => {
    documents.on(TransactWriteCommand).resolves({});
    await transact(
      [{ Put: { TableName: 't', Item: { pk: 'a' } } }, { Put: { TableName: 't', Item: { pk: 'b' } } }],
      () => new Error('unused'),
    );
    expect(documents.commandCalls(TransactWriteCommand)).toHaveLength(1);
    expect(documents.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems).toHaveLength(2);
  });

  it.each([
    [['ConditionalCheckFailed', 'None'], 0],
    [['None', 'None', 'ConditionalCheckFailed'], 2],
  ])('names the failed condition %j → item %i', async (codes, index) => {
    documents.on(TransactWriteCommand).rejects(cancelled(codes));
    await expect(transact([], (i) => new ConflictError(`item ${i}`))).rejects.toThrow(`item ${index}`);
  });

  it('retries a transaction cancelled by a concurrent one, then succeeds', async () => {
    documents
      .on(TransactWriteCommand)
      .rejectsOnce(cancelled(['TransactionConflict', 'None']))
      .resolves({});
    await transact([], () => new Error('unused'));
    expect(documents.commandCalls(TransactWriteCommand)).toHaveLength(2);
  });

  it('gives up on a lasting conflict with a 409 to try again, never a 500', async () => {
    documents.on(TransactWriteCommand).rejects(cancelled(['None', 'TransactionConflict']));
    await expect(transact([], () => new Error('unused'))).rejects.toThrow(/try again/);
    expect(documents.commandCalls(TransactWriteCommand)).toHaveLength(4);
  });

  it('lets any other cancellation through', async () => {
    documents.on(TransactWriteCommand).rejects(cancelled(['ThrottlingError', 'None']));
    await expect(transact([], () => new ConflictError('no'))).rejects.toBeInstanceOf(TransactionCanceledException);
  });
});

describe('GET /health', () => {
  const event = {
    version: '2.0',
    routeKey: 'GET /health',
    rawPath: '/health',
    headers: {},
    requestContext: { requestId: 'r1', http: { method: 'GET' } },
  };
  const context = { awsRequestId: 'r1', functionName: 'Health', getRemainingTimeInMillis: () => 10_000 };

  it('answers 503 problem+json when the table cannot be described', async () => {
    documents.on(DescribeTableCommand as never).rejects(Object.assign(new Error('connect ECONNREFUSED'), { name: 'ECONNREFUSED' }));
    const { handler } = await import('../../functions/meta/handlers/health.ts');
    const result = await handler(event as never, context as never);
    expect(result.statusCode).toBe(503);
    expect(result.headers?.['content-type']).toBe('application/problem+json');
    expect(JSON.parse(result.body!)).toMatchObject({ status: 503, title: 'Service unavailable' });
  });

  it('answers ok when the table is active', async () => {
    documents.on(DescribeTableCommand as never).resolves({ Table: { TableStatus: 'ACTIVE' } } as never);
    const { handler } = await import('../../functions/meta/handlers/health.ts');
    const result = await handler(event as never, context as never);
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body!)).toEqual({ status: 'ok' });
  });
});
