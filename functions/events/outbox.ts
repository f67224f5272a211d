/**
 * The one way a context writes a domain event: the outbox item, as a part of the transaction that
 * makes the state change (so the event exists if and only if the change committed). The table's
 * stream carries it to the relay (functions/events/handlers/relay.ts), which publishes it.
 *
 * Item                       pk                    sk               attributes
 * domain event (outbox)      EVENT#<yyyy-mm-dd>    <at>#<eventId>   entity 'event', type, eventId, at, detail
 *
 * The day is the Paris date of `at` (a partition per day: never read by the application, only by
 * operators and tests; the relay reads the stream). The item is written once and never updated.
 */
import { randomUUID } from 'node:crypto';
import { parisDate } from '../shared/clock.ts';
import { tableName } from '../shared/dynamo.ts';
import type { TransactItem } from '../shared/transactions.ts';
import type { TableKey } from '../tables.ts';
import { EVENT_PK_PREFIX, type EventPayloads, type EventType, type OutboxItem } from './catalog.ts';

/** The key of an outbox item written at `at` (ISO instant). */
export const outboxKey = (at: Date, eventId: string): { pk: string; sk: string } => ({
  pk: `${EVENT_PK_PREFIX}${parisDate(at)}`,
  sk: `${at.toISOString()}#${eventId}`,
});

export interface OutboxOptions {
  /** The table whose stream carries it: `sales` (default; relayed by RelayEvents) or a context's own table with a stream. */
  readonly table?: TableKey;
  /** Default: a new random UUID (the idempotency key of every consumer). */
  readonly eventId?: string;
}

/** The outbox item of an event of `type` at `now`: the Put to add to the state change's transaction. */
export function outboxItem<T extends EventType>(type: T, detail: EventPayloads[T], now: Date, options: OutboxOptions = {}): TransactItem {
  const eventId = options.eventId ?? randomUUID();
  const item: OutboxItem = {
    ...outboxKey(now, eventId),
    entity: 'event',
    type,
    eventId,
    at: now.toISOString(),
    detail: detail as unknown as Record<string, unknown>,
  };
  return { Put: { TableName: tableName(options.table ?? 'sales'), Item: item } };
}
