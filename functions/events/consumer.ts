/**
 * The one way to write an event consumer (an entry of functions/consumers.ts): middy with the same
 * Powertools middlewares as HTTP and jobs, the envelope checked, and the work applied once per
 * event. EventBridge delivers at least once, and the relay may publish an event again (a stream
 * record delivered twice): Powertools idempotency on `detail.eventId` (never the envelope's `id`,
 * which EventBridge makes anew per publication), per consumer (`keyPrefix`), in the idempotency
 * table. A second delivery returns the first result without running `apply`; one arriving while
 * the first runs fails, and Lambda's asynchronous retry delivers it again later.
 */
import { IdempotencyAlreadyInProgressError, IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { Context } from 'aws-lambda';
import { tableName } from '../shared/dynamo.ts';
import { metered } from '../shared/metering.ts';
import { escapingErrorsLogged, logger, observed } from '../shared/observability.ts';
import { EVENT_SOURCE, type DomainEventEnvelope, type EventDetail, type EventType } from './catalog.ts';

/**
 * How long an applied event is remembered: beyond the stream's 24 h retention and EventBridge's
 * 24 h of retries, with room to spare.
 */
export const CONSUMED_FOR_SECONDS = 7 * 24 * 3600;

/** Idempotency key prefix of a consumer: two consumers of one event each apply it once. */
export const consumedKeyPrefix = (consumer: string): string => `consumer#${consumer}`;

export type ConsumerOutcome<R> =
  | { readonly outcome: 'applied'; readonly result: R }
  | { readonly outcome: 'ignored'; readonly reason: string };

export function consumerHandler<T extends EventType, R>(
  name: string,
  types: readonly T[],
  apply: (detail: EventDetail<T>, envelope: DomainEventEnvelope<T>) => Promise<R>,
) {
  const config = new IdempotencyConfig({
    eventKeyJmesPath: 'detail.eventId',
    expiresAfterSeconds: CONSUMED_FOR_SECONDS,
    throwOnNoIdempotencyKey: true,
  });
  let once: ((envelope: DomainEventEnvelope<T>) => Promise<R>) | undefined;
  // Built on first use: the table name comes from the environment the runtime sets.
  const applyOnce = () =>
    (once ??= makeIdempotent(async (envelope: DomainEventEnvelope<T>) => apply(envelope.detail, envelope), {
      persistenceStore: new DynamoDBPersistenceLayer({ tableName: tableName('idempotency') }),
      config,
      keyPrefix: consumedKeyPrefix(name),
    }));

  return observed<DomainEventEnvelope<T>, ConsumerOutcome<R>>(
    escapingErrorsLogged(`consumer ${name}`, (error) =>
      error instanceof IdempotencyAlreadyInProgressError ? 'event being applied by another delivery, retried' : undefined,
    ),
  ).handler((envelope, context: Context) =>
    // Metered for the event's territory (functions/shared/metering.ts).
    metered({ fn: name, trigger: 'event', etd: String((envelope?.detail as { etd?: unknown } | undefined)?.etd ?? '') }, context, () =>
      consume(envelope, context),
    ),
  );

  async function consume(envelope: DomainEventEnvelope<T>, context: Context): Promise<ConsumerOutcome<R>> {
    logger.appendKeys({ consumer: name });
    const detail = envelope?.detail as Partial<EventDetail<T>> | undefined;
    const type = envelope?.['detail-type'];
    // An event this consumer does not take (a rule or a table out of step): logged, not retried.
    if (envelope?.source !== EVENT_SOURCE || !types.includes(type) || typeof detail?.eventId !== 'string' || detail.eventId === '') {
      logger.error('event ignored: not one this consumer takes', { source: String(envelope?.source), type: String(type) });
      return { outcome: 'ignored', reason: 'unexpected event' };
    }
    logger.appendKeys({ eventId: detail.eventId, eventType: type });
    // An in-progress record expires with this invocation: a retry after a crash is not held off.
    config.registerLambdaContext(context);
    const result = await applyOnce()(envelope);
    logger.info('event consumed');
    return { outcome: 'applied', result };
  }
}
