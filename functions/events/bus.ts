/**
 * The event bus port the relay publishes through. In Lambda: EventBridge PutEvents on the bus
 * named by EVENT_BUS_NAME (set by infra/constructs/events.ts, the only function granted
 * events:PutEvents on it); the SDK is loaded on first use. Offline: the local runtime installs an
 * in-process bus with `useEventBus()` (infra/local/events.ts) that delivers to the consumer table.
 */
import type { EventBridgeClient, PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import type { PublishedEvent } from './catalog.ts';

export interface EventBus {
  /**
   * Publishes the events in order. Resolves with the number accepted from the start of the list:
   * `events.length` when all were, less when one was refused (the ones after it are not published
   * either, so a retry starts from the first refused).
   */
  publish(events: readonly PublishedEvent[]): Promise<number>;
}

/** PutEvents takes at most 10 entries per call. */
export const PUT_EVENTS_BATCH = 10;

export function entryOf(event: PublishedEvent, busName: string): PutEventsRequestEntry {
  return {
    EventBusName: busName,
    Source: event.source,
    DetailType: event.detailType,
    Time: new Date(event.time),
    Detail: JSON.stringify(event.detail),
  };
}

/** EventBridge: entries in batches of 10, in order; stops at the first entry EventBridge refused. */
export function eventBridgeBus(client: () => Promise<EventBridgeClient>, busName: () => string): EventBus {
  return {
    async publish(events) {
      const { PutEventsCommand } = await import('@aws-sdk/client-eventbridge');
      let accepted = 0;
      for (let start = 0; start < events.length; start += PUT_EVENTS_BATCH) {
        const batch = events.slice(start, start + PUT_EVENTS_BATCH);
        const result = await (await client()).send(new PutEventsCommand({ Entries: batch.map((e) => entryOf(e, busName())) }));
        const entries = result.Entries ?? [];
        const refused = batch.findIndex((_, i) => !entries[i]?.EventId || entries[i]?.ErrorCode);
        if (refused >= 0) return accepted + refused;
        accepted += batch.length;
      }
      return accepted;
    },
  };
}

let current: EventBus | undefined;

/** The bus of this runtime: EventBridge unless the local runtime installed its own. */
export function eventBus(): EventBus {
  current ??= eventBridgeBus(
    (() => {
      let made: Promise<EventBridgeClient> | undefined;
      return () => (made ??= import('@aws-sdk/client-eventbridge').then(({ EventBridgeClient }) => new EventBridgeClient({})));
    })(),
    () => {
      const name = process.env.EVENT_BUS_NAME?.trim();
      if (!name) throw new Error('EVENT_BUS_NAME is not set: the stack gives it to the relay only');
      return name;
    },
  );
  return current;
}

/** The local runtime (and tests) install their bus here; `undefined` goes back to EventBridge. */
export function useEventBus(replacement: EventBus | undefined): void {
  current = replacement;
}
