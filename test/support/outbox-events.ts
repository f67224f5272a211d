/**
 * Tests only: the domain events (outbox items, functions/events/outbox.ts) written to the sales
 * table about one document, whatever their day. A Scan with a filter: the application never reads
 * the outbox (the relay gets it from the stream), a test may look at all of it.
 */
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { EventType } from '../../functions/events/catalog.ts';
import { documentClient, tableName } from '../../functions/shared/dynamo.ts';

export interface StoredEvent {
  readonly pk: string;
  readonly sk: string;
  readonly entity: 'event';
  readonly type: EventType;
  readonly eventId: string;
  readonly at: string;
  readonly detail: Record<string, unknown>;
}

/** The outbox items whose detail names this invoice (`detail.invoiceId`), oldest first; of one type when given. */
export async function eventsOfInvoice(invoiceId: string, type?: EventType): Promise<StoredEvent[]> {
  const found: StoredEvent[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await documentClient().send(
      new ScanCommand({
        TableName: tableName('sales'),
        FilterExpression: 'entity = :event AND detail.invoiceId = :id',
        ExpressionAttributeValues: { ':event': 'event', ':id': invoiceId },
        ExclusiveStartKey: start,
      }),
    );
    found.push(...((page.Items ?? []) as StoredEvent[]));
    start = page.LastEvaluatedKey;
  } while (start);
  return found.filter((e) => type === undefined || e.type === type).sort((a, b) => a.sk.localeCompare(b.sk));
}
