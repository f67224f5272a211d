/**
 * The relay's logic: from a DynamoDB stream batch, the outbox items just inserted, as events to
 * publish (in stream order). Updates, removals and every other item are left out.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { isOutboxItem, toPublished, type PublishedEvent } from './catalog.ts';

export interface RelayedRecord {
  readonly event: PublishedEvent;
  /** The stream record's sequence number: the `itemIdentifier` of a batch item failure. */
  readonly sequenceNumber: string;
}

export function outboxEvents(records: readonly DynamoDBRecord[]): RelayedRecord[] {
  return records.flatMap((record) => {
    const image = record.dynamodb?.NewImage;
    if (record.eventName !== 'INSERT' || !image) return [];
    const item = unmarshall(image as Record<string, AttributeValue>);
    if (!isOutboxItem(item)) return [];
    return [{ event: toPublished(item), sequenceNumber: record.dynamodb?.SequenceNumber ?? '' }];
  });
}
