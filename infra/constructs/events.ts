/**
 * Domain events in the cloud (functions/events/catalog.ts): the sales table's stream → the relay
 * Lambda → an EventBridge bus → one rule per consumer of functions/consumers.ts → its Lambda.
 *
 * - The relay reads the stream through an event source mapping that lets through only inserted
 *   outbox items (filter on `entity = event`), reports batch item failures, bisects a failing
 *   batch, retries a bounded number of times, and sends what it gives up on to the failure queue.
 *   It may read that one stream and put events on that one bus: nothing else.
 * - Each consumer gets exactly the grants of its entry (the stack's `makeFunction`, as for routes
 *   and jobs); EventBridge invokes it asynchronously, Lambda retries twice, and an event it never
 *   applies lands in the failure queue too (as does one EventBridge could not deliver).
 * - The failure queue (SSE, TLS only) alarms as soon as it holds a message; so does a relay that
 *   falls behind its stream.
 * Offline, infra/local/events.ts plays the same parts with the same handlers.
 */
import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Stats, TreatMissingData, type IAlarmAction } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { EventBus, Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Validations } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { consumers, relay as relayDef, type ConsumerDef } from '../../functions/consumers.ts';
import { EVENT_SOURCE } from '../../functions/events/catalog.ts';
import type { Capabilities, TableAccess } from '../../functions/routes.ts';
import type { TableKey } from '../../functions/tables.ts';
import type { HouseFunction } from './function.ts';

/** A function-table entry (route, job, consumer, relay) as the stack's function factory takes it. */
export type FunctionEntry = Capabilities & {
  readonly fn: string;
  readonly handler: string;
  readonly tables: Partial<Record<TableKey, TableAccess>>;
};

/** The relay's stream reading: bounded, and never stuck behind a poison record. */
export const RELAY_STREAM = {
  batchSize: relayDef.stream.batchSize,
  retryAttempts: relayDef.stream.retryAttempts,
  maxRecordAge: Duration.hours(24),
} as const;

/** Lambda's asynchronous retries of a consumer (EventBridge → Lambda), and how long an event may wait. */
export const CONSUMER_ASYNC = { retryAttempts: 2, maxEventAge: Duration.hours(6) } as const;

export interface DomainEventsProps {
  /** The sales table, with its stream (functions/tables.ts `stream`). */
  readonly salesTable: ITableV2;
  /** Other tables whose stream carries a context's own outbox (payroll), relayed the same way: construct id of the mapping → table. */
  readonly otherStreams?: Readonly<Record<string, ITableV2>>;
  /** Creates a function with exactly the grants of its entry (the stateless stack's factory). */
  readonly makeFunction: (def: FunctionEntry, description: string, timeout?: Duration) => HouseFunction;
  /** Where the failure and relay-lag alarms notify. */
  readonly alarmAction?: IAlarmAction;
  /** @default functions/consumers.ts `consumers` */
  readonly consumers?: readonly ConsumerDef[];
}

export class DomainEvents extends Construct {
  readonly bus: EventBus;
  readonly relay: HouseFunction;
  /** What the relay, EventBridge or a consumer gave up on. */
  readonly failures: Queue;
  /** Consumer functions by `fn` name. */
  readonly consumers: ReadonlyMap<string, HouseFunction>;
  /** One rule per consumer, by `fn` name. */
  readonly rules: ReadonlyMap<string, Rule>;

  constructor(scope: Construct, id: string, props: DomainEventsProps) {
    super(scope, id);
    const streamArn = props.salesTable.tableStreamArn;
    if (!streamArn) throw new Error('the sales table has no stream: functions/tables.ts must declare `stream` for it');

    this.bus = new EventBus(this, 'Bus', { description: `Domain events of the Oui Ensemble back office (source ${EVENT_SOURCE})` });

    this.failures = new Queue(this, 'Failures', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.failures).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        "This queue is itself the dead-letter destination of the event relay (stream on-failure), the consumer rules and the consumers' asynchronous invocations.",
    });

    // --- The relay ---------------------------------------------------------------------------
    this.relay = props.makeFunction(relayDef, `Sales stream → event bus: ${relayDef.summary}`);
    const streams: [string, string, ITableV2][] = [['SalesStream', streamArn, props.salesTable]];
    for (const [mappingId, table] of Object.entries(props.otherStreams ?? {})) {
      if (!table.tableStreamArn) throw new Error(`${mappingId}: the table has no stream (functions/tables.ts \`stream\`)`);
      streams.push([mappingId, table.tableStreamArn, table]);
    }
    for (const [mappingId, arn, table] of streams) {
      this.relay.addEventSourceMapping(mappingId, {
        eventSourceArn: arn,
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: RELAY_STREAM.batchSize,
        bisectBatchOnError: true,
        retryAttempts: RELAY_STREAM.retryAttempts,
        maxRecordAge: RELAY_STREAM.maxRecordAge,
        reportBatchItemFailures: true,
        onFailure: new SqsDlq(this.failures),
        // Only inserted outbox items reach the function (functions/events/catalog.ts isOutboxItem).
        filters: [
          FilterCriteria.filter({
            eventName: FilterRule.isEqual('INSERT'),
            dynamodb: { NewImage: { entity: { S: FilterRule.isEqual('event') } } },
          }),
        ],
      });
      table.grantStreamRead(this.relay);
    }
    this.bus.grantPutEventsTo(this.relay);
    this.relay.addEnvironment('EVENT_BUS_NAME', this.bus.eventBusName);

    // --- The consumers -----------------------------------------------------------------------
    const functions = new Map<string, HouseFunction>();
    const rules = new Map<string, Rule>();
    for (const consumer of props.consumers ?? (consumers as readonly ConsumerDef[])) {
      const fn = props.makeFunction(consumer, `On ${consumer.events.join(', ')}: ${consumer.summary}`);
      fn.configureAsyncInvoke({ ...CONSUMER_ASYNC, onFailure: new SqsDestination(this.failures) });
      const rule = new Rule(this, `${consumer.fn}Rule`, {
        eventBus: this.bus,
        description: `${consumer.events.join(', ')} → ${consumer.fn}`,
        eventPattern: { source: [EVENT_SOURCE], detailType: [...consumer.events] },
        targets: [new LambdaFunction(fn, { deadLetterQueue: this.failures, maxEventAge: Duration.hours(24), retryAttempts: 185 })],
      });
      functions.set(consumer.fn, fn);
      rules.set(consumer.fn, rule);
    }
    this.consumers = functions;
    this.rules = rules;

    // --- Alarms ------------------------------------------------------------------------------
    const period = Duration.minutes(5);
    const failed = new Alarm(this, 'FailuresAlarm', {
      alarmDescription: 'A domain event was not relayed or not consumed: its record is in the event failure queue.',
      metric: this.failures.metricApproximateNumberOfMessagesVisible({ period, statistic: Stats.MAXIMUM }),
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    const lagging = new Alarm(this, 'RelayLagAlarm', {
      alarmDescription: 'The event relay is more than 5 minutes behind a table stream (sales, payroll).',
      metric: this.relay.metric('IteratorAge', { period, statistic: Stats.MAXIMUM }),
      threshold: 5 * 60 * 1000,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    if (props.alarmAction) {
      failed.addAlarmAction(props.alarmAction);
      lagging.addAlarmAction(props.alarmAction);
    }
  }
}
