/**
 * The event relay: the sales table's stream → the event bus. Each outbox item inserted is
 * published once per delivery of its stream record (EventBridge in the cloud, the in-process bus
 * offline: functions/events/bus.ts). When the bus refuses an event, the batch reports it as the
 * first failed item, so the stream delivers again from there (ReportBatchItemFailures); the events
 * before it are not published again by that retry. Consumers are idempotent all the same.
 */
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { metered } from '../../shared/metering.ts';
import { escapingErrorsLogged, logger, metrics, observed } from '../../shared/observability.ts';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { eventBus } from '../bus.ts';
import { outboxEvents } from '../relay.ts';

export const handler = observed<DynamoDBStreamEvent, DynamoDBBatchResponse>(escapingErrorsLogged('relay')).handler((event, context) =>
  metered({ fn: 'RelayEvents', trigger: 'stream' }, context, () => relayBatch(event)),
);

async function relayBatch(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
  const pending = outboxEvents(event.Records ?? []);
  if (pending.length === 0) return { batchItemFailures: [] };
  const accepted = await eventBus().publish(pending.map((p) => p.event));
  // Ids and types only: the payloads name people's records.
  const relayed = pending.slice(0, accepted).map((p) => ({ eventId: p.event.detail.eventId, type: p.event.detailType }));
  if (relayed.length) metrics.addMetric('EventsRelayed', MetricUnit.Count, relayed.length);
  if (accepted < pending.length) {
    const refused = pending[accepted]!;
    logger.warn('event bus refused an event: the stream delivers again from it', {
      relayed,
      refused: { eventId: refused.event.detail.eventId, type: refused.event.detailType },
    });
    return { batchItemFailures: [{ itemIdentifier: refused.sequenceNumber }] };
  }
  logger.info('events relayed', { relayed, records: event.Records.length });
  return { batchItemFailures: [] };
}
