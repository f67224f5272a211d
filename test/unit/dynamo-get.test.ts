/**
 * functions/shared/dynamo.ts sends a document client's GetCommand as a plain GetItem (issue 14):
 * the request DynamoDB receives and the item the caller gets must be those of the document client.
 * Both clients here answer from the same canned DynamoDB response (no network).
 */
import { Readable } from 'node:stream';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { documentClient, dynamoClient } from '../../functions/shared/dynamo.ts';

process.env.AWS_ENDPOINT_URL_DYNAMODB ??= 'http://127.0.0.1:9';

/** A request handler that records each request body and answers `answer` (DynamoDB's JSON). */
function cannedHandler(answer: () => unknown) {
  const bodies: unknown[] = [];
  return {
    bodies,
    handler: {
      handle: async (request: { body?: string | Uint8Array }) => {
        const body = request.body ?? '{}';
        bodies.push(JSON.parse(typeof body === 'string' ? body : new TextDecoder().decode(body)));
        return {
          response: {
            statusCode: 200,
            headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': 'req-1' },
            body: Readable.from([Buffer.from(JSON.stringify(answer()))]),
          },
        };
      },
      updateHttpClientConfig: () => {},
      httpHandlerConfigs: () => ({}),
    },
  };
}

const item = {
  pk: { S: 'ENT#ent_1' },
  sk: { S: '#ENT' },
  firstName: { S: 'Anne' },
  version: { N: '3' },
  amountCents: { N: '-125000' },
  ratio: { N: '0.055' },
  huge: { N: '12345678901234567890' },
  listed: { BOOL: true },
  none: { NULL: true },
  empty: { S: '' },
  competences: { L: [{ S: 'plomberie' }, { N: '2' }, { M: { deep: { L: [{ BOOL: false }] } } }] },
  address: { M: { street: { S: '1 rue de la Paix' }, postcode: { S: '44000' }, geo: { M: { lat: { N: '47.2' } } } } },
  tags: { SS: ['a', 'b'] },
  counts: { NS: ['1', '2.5'] },
  blob: { B: Buffer.from('pdf').toString('base64') },
  blobs: { BS: [Buffer.from('x').toString('base64')] },
};

describe('documentClient(): a GetCommand goes out as the plain GetItem it is', () => {
  const shared = cannedHandler(() => ({ Item: item, ConsumedCapacity: { TableName: 't', CapacityUnits: 0.5 } }));
  const reference = cannedHandler(() => ({ Item: item, ConsumedCapacity: { TableName: 't', CapacityUnits: 0.5 } }));
  (dynamoClient().config as { requestHandler: unknown }).requestHandler = shared.handler;
  const plainDocument = DynamoDBDocumentClient.from(new DynamoDBClient({ requestHandler: reference.handler as never }), {
    marshallOptions: { removeUndefinedValues: true, convertEmptyValues: false },
  });

  it('sends the same request and returns the same item as the document client', async () => {
    const input = {
      TableName: 't',
      Key: { pk: 'ENT#ent_1', sk: '#ENT' },
      ConsistentRead: true,
      ProjectionExpression: 'pk, #v',
      ExpressionAttributeNames: { '#v': 'version' },
    };
    const fast = await documentClient().send(new GetCommand(input));
    const expected = await plainDocument.send(new GetCommand(input));
    expect(shared.bodies.at(-1)).toEqual(reference.bodies.at(-1));
    expect(shared.bodies.at(-1)).toMatchObject({ Key: { pk: { S: 'ENT#ent_1' }, sk: { S: '#ENT' } }, ConsistentRead: true });
    expect(fast.Item).toEqual(expected.Item);
    expect(fast.Item).toMatchObject({ version: 3, huge: 12345678901234567890n, none: null, tags: new Set(['a', 'b']) });
    expect(fast.ConsumedCapacity).toEqual(expected.ConsumedCapacity);
    expect(input.Key).toEqual({ pk: 'ENT#ent_1', sk: '#ENT' });
  });

  it('answers no Item when there is none, as the document client does', async () => {
    const none = cannedHandler(() => ({}));
    const noneReference = cannedHandler(() => ({}));
    (dynamoClient().config as { requestHandler: unknown }).requestHandler = none.handler;
    const other = DynamoDBDocumentClient.from(new DynamoDBClient({ requestHandler: noneReference.handler as never }));
    const fast = await documentClient().send(new GetCommand({ TableName: 't', Key: { pk: 'x', sk: 'y' } }));
    const expected = await other.send(new GetCommand({ TableName: 't', Key: { pk: 'x', sk: 'y' } }));
    expect(fast.Item).toBeUndefined();
    expect('Item' in fast).toBe('Item' in expected);
  });

  it('leaves every other command to the document client', async () => {
    const query = cannedHandler(() => ({ Items: [item], Count: 1, ScannedCount: 1 }));
    (dynamoClient().config as { requestHandler: unknown }).requestHandler = query.handler;
    const { Items } = await documentClient().send(
      new QueryCommand({ TableName: 't', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': 'ENT#ent_1' } }),
    );
    expect(query.bodies.at(-1)).toMatchObject({ ExpressionAttributeValues: { ':p': { S: 'ENT#ent_1' } } });
    expect(Items?.[0]).toMatchObject({ firstName: 'Anne', version: 3 });
  });
});
