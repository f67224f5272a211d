/**
 * The local stream poller against DynamoDB Local's real stream of the sales table: every write
 * reaches the relay as a Lambda-shaped record, in order; a batch item failure is delivered again
 * from the failed record; a batch that keeps failing is set aside after the relay's retries (as
 * the cloud mapping sends it to its failure queue) and the stream moves on; stop() ends cleanly.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { documentClient, tableName } from '../../functions/shared/dynamo.ts';
import { startStreamPoller, type StreamPoller } from '../../infra/local/events.ts';
import { useLocalTables } from '../support/local-tables.ts';

const local = useLocalTables();
let poller: StreamPoller | undefined;
afterEach(async () => {
  await poller?.stop();
  poller = undefined;
});

let n = 0;
/** Writes one outbox-like item; answers its sort key. */
async function write(label: string): Promise<string> {
  n += 1;
  const sk = `${String(n).padStart(4, '0')}#${label}`;
  await documentClient().send(new PutCommand({ TableName: tableName('sales'), Item: { pk: 'TEST#poller', sk, entity: 'test', label } }));
  return sk;
}
const sortKeys = (event: DynamoDBStreamEvent) => event.Records.map((r) => r.dynamodb!.NewImage!.sk!.S!);

describe('the local stream poller', () => {
  it('hands every write to the relay once, in order, as Lambda would; a batch item failure comes back from that record', async () => {
    const seen: string[] = [];
    let failOnce: string | undefined;
    let refusedAt = -1;
    const events: DynamoDBStreamEvent[] = [];
    poller = await startStreamPoller({
      endpoint: local.endpoint,
      tableName: tableName('sales'),
      intervalMs: 50,
      log: (line) => {
        throw new Error(`unexpected log: ${line}`);
      },
      relay: async (event): Promise<DynamoDBBatchResponse> => {
        events.push(event);
        const keys = sortKeys(event);
        const failing = keys.indexOf(failOnce ?? '');
        if (failing >= 0) {
          failOnce = undefined;
          refusedAt = events.length - 1;
          seen.push(...keys.slice(0, failing));
          return { batchItemFailures: [{ itemIdentifier: event.Records[failing]!.dynamodb!.SequenceNumber! }] };
        }
        seen.push(...keys);
        return { batchItemFailures: [] };
      },
    });
    // Starts from the oldest record kept: let what another test wrote go by, then count from here.
    await poller.caughtUp();
    seen.length = 0;
    events.length = 0;
    const first = [await write('a'), await write('b')];
    await poller.caughtUp();
    const refuse = `${String(n + 2).padStart(4, '0')}#d`; // refused once, whichever batch it arrives in
    failOnce = refuse;
    const rest = [await write('c'), await write('d'), await write('e')];
    expect(rest[1]).toBe(refuse);
    await poller.caughtUp();
    expect(failOnce).toBeUndefined();
    expect(seen).toEqual([...first, ...rest]);
    // Delivered again from the refused record, not from the start of its batch.
    const refused = refusedAt;
    expect(refused).toBeGreaterThanOrEqual(0);
    expect(sortKeys(events[refused + 1]!)[0]).toBe(refuse);
    const record = events[0]!.Records[0]!;
    expect(record).toMatchObject({
      eventName: 'INSERT',
      eventSource: 'aws:dynamodb',
      eventSourceARN: poller.streamArn,
      dynamodb: { StreamViewType: 'NEW_IMAGE' },
    });
    expect(record.dynamodb!.ApproximateCreationDateTime).toBeGreaterThan(1_700_000_000);
    expect(record.dynamodb!.Keys).toEqual({ pk: { S: 'TEST#poller' }, sk: { S: first[0] } });
  });

  it('sets a batch that keeps failing aside after the retries, says so, and goes on', async () => {
    const lines: string[] = [];
    let attempts = 0;
    const after: string[] = [];
    let poison: string | undefined;
    // Starts from the oldest record kept: what another test wrote comes again, and is let through.
    poller = await startStreamPoller({
      endpoint: local.endpoint,
      tableName: tableName('sales'),
      intervalMs: 20,
      retryAttempts: 2,
      batchSize: 1,
      log: (line) => lines.push(line),
      relay: async (event) => {
        const [key] = sortKeys(event);
        if (key === poison) {
          attempts += 1;
          throw new Error('poison');
        }
        if (poison) after.push(key!);
        return { batchItemFailures: [] };
      },
    });
    await poller.caughtUp();
    poison = await write('poison');
    const next = await write('next');
    await poller.caughtUp();
    expect(attempts).toBe(3);
    expect(after).toEqual([next]);
    expect(lines.filter((l) => l.includes('set aside'))).toHaveLength(1);
    expect(lines.filter((l) => l.includes('relay failed on 1 record(s): Error: poison'))).toHaveLength(3);
  });
});
