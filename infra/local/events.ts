/**
 * Domain events offline, as in the cloud (infra/constructs/events.ts):
 * - the stream poller reads the sales table's stream in DynamoDB Local (DescribeStream, shards in
 *   lineage order, GetShardIterator, GetRecords) and invokes the relay handler
 *   (functions/consumers.ts `relay`) with a real DynamoDBStreamEvent, honouring its batch item
 *   failures (the stream delivers again from the first failed record, as Lambda's event source
 *   mapping does with ReportBatchItemFailures);
 * - the in-process bus the relay publishes to (installed with `useEventBus`) delivers each event to
 *   the consumers of functions/consumers.ts whose `events` hold its type, through `invokeHandler`
 *   (their grants), with EventBridge's envelope and a fresh envelope id per publication, retrying a
 *   failed delivery twice (Lambda's asynchronous invocation) before logging it as lost.
 * `startLocalEvents` starts both; `drained()` waits until every record written so far is relayed
 * and every delivery is done (for tests and `npm run invoke`).
 */
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  type GetRecordsCommandOutput,
  GetShardIteratorCommand,
  TrimmedDataAccessException,
  type AttributeValue,
  type _Record as StreamRecord,
  type Shard,
} from '@aws-sdk/client-dynamodb-streams';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import type {
  AttributeValue as LambdaAttributeValue,
  DynamoDBBatchResponse,
  DynamoDBRecord,
  DynamoDBStreamEvent,
  EventBridgeEvent,
} from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { consumers as consumerTable, consumersOf, relay as relayDef, type ConsumerDef } from '../../functions/consumers.ts';
import { useEventBus, type EventBus } from '../../functions/events/bus.ts';
import type { PublishedEvent } from '../../functions/events/catalog.ts';
import { tables } from '../../functions/tables.ts';
import { invokeHandler, LOCAL_ACCOUNT_ID } from './apigw.ts';
import { LOCAL_REGION, localDynamoClient } from './tables.ts';

type Log = (line: string) => void;
const defaultLog: Log = (line) => process.stdout.write(line + '\n');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const message = (error: unknown) => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));

// ---- The bus --------------------------------------------------------------------------------

/** EventBridge's envelope, as a rule target receives it (time to the second, as EventBridge writes it). */
export function eventBridgeEnvelope(event: PublishedEvent, id: string = randomUUID()): EventBridgeEvent<string, PublishedEvent['detail']> {
  return {
    version: '0',
    id,
    'detail-type': event.detailType,
    source: event.source,
    account: LOCAL_ACCOUNT_ID,
    time: new Date(event.time).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: LOCAL_REGION,
    resources: [],
    detail: event.detail,
  };
}

export interface LocalEventBusOptions {
  readonly consumers?: readonly ConsumerDef[];
  /** How to run a consumer (default: its handler, in process, through invokeHandler). */
  readonly invoke?: (consumer: ConsumerDef, envelope: EventBridgeEvent<string, PublishedEvent['detail']>) => Promise<unknown>;
  /** Delays before the retries of a failed delivery (default 200 ms, 1 s: two retries). */
  readonly retryDelaysMs?: readonly number[];
  readonly log?: Log;
}

export interface LocalEventBus extends EventBus {
  /** Deliveries not finished yet. */
  pending(): number;
  /** Resolves when no delivery is pending. */
  idle(): Promise<void>;
}

export function localEventBus(options: LocalEventBusOptions = {}): LocalEventBus {
  const table = options.consumers ?? (consumerTable as readonly ConsumerDef[]);
  const invoke = options.invoke ?? ((consumer, envelope) => invokeHandler(consumer, envelope, { timeoutMs: 60_000 }));
  const delays = options.retryDelaysMs ?? [200, 1000];
  const log = options.log ?? defaultLog;
  const running = new Set<Promise<void>>();

  const deliver = async (consumer: ConsumerDef, envelope: ReturnType<typeof eventBridgeEnvelope>) => {
    for (let attempt = 0; ; attempt++) {
      try {
        await invoke(consumer, envelope);
        return;
      } catch (error) {
        const delay = delays[attempt];
        if (delay === undefined) {
          log(
            `EVENT ${envelope['detail-type']} ${envelope.detail.eventId} → ${consumer.fn} failed ${attempt + 1} times, given up: ${message(error)}`,
          );
          return;
        }
        await sleep(delay);
      }
    }
  };

  return {
    async publish(events) {
      for (const event of events) {
        // One envelope (one id) per publication, shared by its targets, as EventBridge does.
        const envelope = eventBridgeEnvelope(event);
        for (const consumer of consumersOf(event.detailType, table)) {
          const delivery = deliver(consumer, envelope);
          running.add(delivery);
          void delivery.finally(() => running.delete(delivery));
        }
      }
      return events.length;
    },
    pending: () => running.size,
    idle: async () => {
      while (running.size) await Promise.all(running);
    },
  };
}

// ---- The stream poller ----------------------------------------------------------------------

/** The SDK's attribute values as Lambda's JSON event spells them (binary as base64). */
function lambdaImage(image: Record<string, AttributeValue> | undefined): Record<string, LambdaAttributeValue> | undefined {
  if (!image) return undefined;
  const convert = (value: AttributeValue): LambdaAttributeValue => {
    if (value.B !== undefined) return { B: Buffer.from(value.B).toString('base64') };
    if (value.BS !== undefined) return { BS: value.BS.map((b) => Buffer.from(b).toString('base64')) };
    if (value.M !== undefined) return { M: lambdaImage(value.M)! };
    if (value.L !== undefined) return { L: value.L.map(convert) };
    return value as LambdaAttributeValue;
  };
  return Object.fromEntries(Object.entries(image).map(([name, value]) => [name, convert(value)]));
}

/** A GetRecords record as Lambda's event source mapping hands it to the function. */
export function toLambdaRecord(record: StreamRecord, streamArn: string): DynamoDBRecord {
  const d = record.dynamodb ?? {};
  const created = d.ApproximateCreationDateTime;
  const newImage = lambdaImage(d.NewImage);
  const oldImage = lambdaImage(d.OldImage);
  return {
    eventID: record.eventID ?? '',
    eventName: record.eventName as DynamoDBRecord['eventName'],
    eventVersion: record.eventVersion ?? '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: record.awsRegion ?? LOCAL_REGION,
    dynamodb: {
      ...(created ? { ApproximateCreationDateTime: Math.floor(new Date(created).getTime() / 1000) } : {}),
      Keys: lambdaImage(d.Keys) ?? {},
      ...(newImage ? { NewImage: newImage } : {}),
      ...(oldImage ? { OldImage: oldImage } : {}),
      SequenceNumber: d.SequenceNumber ?? '',
      SizeBytes: d.SizeBytes ?? 0,
      StreamViewType: d.StreamViewType as NonNullable<DynamoDBRecord['dynamodb']>['StreamViewType'],
    },
    eventSourceARN: streamArn,
  };
}

export interface StreamPollerOptions {
  readonly endpoint: string;
  readonly tableName: string;
  /** How to run the relay (default: its handler, in process, through invokeHandler). */
  readonly relay?: (event: DynamoDBStreamEvent) => Promise<unknown>;
  /** Pause between polls when the stream has nothing new (default 250 ms). */
  readonly intervalMs?: number;
  /** Records per relay invocation (default: the relay's `stream.batchSize`, as in the cloud). */
  readonly batchSize?: number;
  /** Retries of a failing batch before it is set aside (default: the relay's `stream.retryAttempts`). */
  readonly retryAttempts?: number;
  readonly log?: Log;
}

export interface StreamPoller {
  readonly streamArn: string;
  /** Resolves after a full poll, begun after the call, found nothing left to relay. */
  caughtUp(timeoutMs?: number): Promise<void>;
  /** Stops polling and waits for the relay invocation in flight. */
  stop(): Promise<void>;
}

interface ShardState {
  readonly parent: string | undefined;
  iterator: string | undefined;
  /** Last sequence number relayed successfully (or set aside). */
  lastSequence: string | undefined;
  /** Failed attempts at the batch after `lastSequence`. */
  failures: number;
  done: boolean;
}

export async function startStreamPoller(options: StreamPollerOptions): Promise<StreamPoller> {
  const log = options.log ?? defaultLog;
  const interval = options.intervalMs ?? 250;
  const batchSize = options.batchSize ?? relayDef.stream.batchSize;
  const retryAttempts = options.retryAttempts ?? relayDef.stream.retryAttempts;
  const relay = options.relay ?? ((event) => invokeHandler(relayDef, event, { timeoutMs: 60_000 }));
  const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
  const ddb = localDynamoClient(options.endpoint);
  let streamArn: string | undefined;
  try {
    streamArn = (await ddb.send(new DescribeTableCommand({ TableName: options.tableName }))).Table?.LatestStreamArn;
  } finally {
    ddb.destroy();
  }
  if (!streamArn) throw new Error(`table ${options.tableName} has no stream (functions/tables.ts \`stream\`)`);
  const arn = streamArn;
  const streams = new DynamoDBStreamsClient({ endpoint: options.endpoint, region: LOCAL_REGION, credentials });
  const shards = new Map<string, ShardState>();

  async function listShards(): Promise<void> {
    let start: string | undefined;
    do {
      const { StreamDescription } = await streams.send(
        new DescribeStreamCommand({ StreamArn: arn, ...(start ? { ExclusiveStartShardId: start } : {}) }),
      );
      for (const shard of StreamDescription?.Shards ?? ([] as Shard[])) {
        if (shard.ShardId && !shards.has(shard.ShardId)) {
          shards.set(shard.ShardId, {
            parent: shard.ParentShardId,
            iterator: undefined,
            lastSequence: undefined,
            failures: 0,
            done: false,
          });
        }
      }
      start = StreamDescription?.LastEvaluatedShardId;
    } while (start);
  }

  /** Relays what the shard holds now; answers how many records it saw and whether all went through. */
  async function drainShard(shardId: string, shard: ShardState): Promise<{ records: number; ok: boolean }> {
    let seen = 0;
    for (;;) {
      if (!shard.iterator) {
        const { ShardIterator } = await streams.send(
          new GetShardIteratorCommand({
            StreamArn: arn,
            ShardId: shardId,
            ...(shard.lastSequence
              ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: shard.lastSequence }
              : { ShardIteratorType: 'TRIM_HORIZON' }),
          }),
        );
        shard.iterator = ShardIterator;
        if (!shard.iterator) {
          shard.done = true;
          return { records: seen, ok: true };
        }
      }
      let page: GetRecordsCommandOutput;
      try {
        page = await streams.send(new GetRecordsCommand({ ShardIterator: shard.iterator, Limit: batchSize }));
      } catch (error) {
        if (error instanceof ExpiredIteratorException) {
          shard.iterator = undefined;
          continue;
        }
        if (error instanceof TrimmedDataAccessException) {
          // DynamoDB Local answers so for a TRIM_HORIZON iterator taken while the shard was empty,
          // once records arrive: take a new one. After records were relayed, it means records were
          // trimmed (24 h) before being read: say so, and go on from the oldest kept.
          if (shard.lastSequence)
            log(`EVENTS stream records of shard ${shardId} were trimmed before being relayed: reading from the oldest kept`);
          shard.iterator = undefined;
          shard.lastSequence = undefined;
          continue;
        }
        throw error;
      }
      const records = page.Records ?? [];
      if (records.length) {
        seen += records.length;
        const event: DynamoDBStreamEvent = { Records: records.map((r) => toLambdaRecord(r, arn)) };
        let failedAt = -1;
        try {
          const response = (await relay(event)) as DynamoDBBatchResponse | undefined;
          const failure = response?.batchItemFailures?.[0]?.itemIdentifier;
          if (failure !== undefined) {
            failedAt = records.findIndex((r) => r.dynamodb?.SequenceNumber === failure);
            if (failedAt < 0) failedAt = 0; // an identifier not in the batch: the whole batch again
          }
        } catch (error) {
          log(`EVENTS relay failed on ${records.length} record(s): ${message(error)}`);
          failedAt = 0;
        }
        if (failedAt >= 0) {
          if (failedAt > 0) {
            shard.lastSequence = records[failedAt - 1]!.dynamodb?.SequenceNumber;
            shard.failures = 0;
          }
          shard.failures += 1;
          if (shard.failures <= retryAttempts) {
            // Again from the first failed record, on the next poll.
            shard.iterator = undefined;
            return { records: seen, ok: false };
          }
          // As the cloud's event source mapping does after its retries (there, to the failure queue).
          log(
            `EVENTS relay failed ${shard.failures} times on records ${records[failedAt]!.dynamodb?.SequenceNumber}…${records.at(-1)!.dynamodb?.SequenceNumber} of shard ${shardId}: set aside`,
          );
        }
        shard.lastSequence = records.at(-1)!.dynamodb?.SequenceNumber;
        shard.failures = 0;
      }
      shard.iterator = page.NextShardIterator;
      if (!shard.iterator) {
        shard.done = true; // closed and read to its end: its children may go
        return { records: seen, ok: true };
      }
      if (!records.length) return { records: seen, ok: true };
    }
  }

  // Shards change seldom (a new one every few hours): list them at start, when one closes, and
  // every 40 polls (10 s at the default interval).
  let listedAt = -Infinity;
  const LIST_EVERY = 40;

  /** One poll of every readable shard (a child only once its parent is read to its end). */
  async function poll(number: number): Promise<boolean> {
    if (number - listedAt >= LIST_EVERY || [...shards.values()].every((s) => s.done)) {
      await listShards();
      listedAt = number;
    }
    let quiet = true;
    for (const [id, shard] of shards) {
      if (shard.done) continue;
      const parent = shard.parent ? shards.get(shard.parent) : undefined;
      if (parent && !parent.done) {
        quiet = false;
        continue;
      }
      const { records, ok } = await drainShard(id, shard);
      if (records > 0 || !ok) quiet = false;
      if (shard.done) {
        listedAt = -Infinity; // its children, if any, are readable now
        quiet = false;
      }
    }
    return quiet;
  }

  let stopped = false;
  let polls = 0;
  let lastQuietPoll = -1;
  let wake: (() => void) | undefined;
  const loop = (async () => {
    while (!stopped) {
      const number = ++polls;
      try {
        if (await poll(number)) lastQuietPoll = number;
      } catch (error) {
        log(`EVENTS stream poll failed: ${message(error)}`);
      }
      if (stopped) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, interval);
        timer.unref();
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = undefined;
    }
  })();

  return {
    streamArn: arn,
    async caughtUp(timeoutMs = 15_000) {
      const after = polls;
      const deadline = Date.now() + timeoutMs;
      while (lastQuietPoll <= after) {
        if (stopped) throw new Error('the stream poller is stopped');
        if (Date.now() > deadline) throw new Error(`the stream of ${options.tableName} still had records to relay after ${timeoutMs} ms`);
        wake?.();
        await sleep(20);
      }
    },
    async stop() {
      stopped = true;
      wake?.();
      await loop;
      streams.destroy();
    },
  };
}

// ---- Both -----------------------------------------------------------------------------------

export interface LocalEvents {
  readonly bus: LocalEventBus;
  readonly poller: StreamPoller;
  /** Resolves once every record written so far is relayed and every delivery is done. */
  drained(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export interface LocalEventsOptions extends Omit<StreamPollerOptions, 'tableName'>, Omit<LocalEventBusOptions, 'log'> {
  /** The sales table's name (default: TABLE_SALES of the environment). */
  readonly tableName?: string;
  /**
   * The other tables whose stream carries a context's outbox (default: every other table of
   * functions/tables.ts with a `stream` whose variable is set, i.e. payroll), relayed the same way,
   * as the cloud's relay reads each of their streams (infra/constructs/events.ts).
   */
  readonly otherTableNames?: readonly string[];
}

const otherStreamTables = (): string[] =>
  Object.values(tables)
    .filter((def) => 'stream' in def && def.envVar !== tables.sales.envVar)
    .flatMap((def) => (process.env[def.envVar] ? [process.env[def.envVar]!] : []));

/** Installs the in-process bus (`useEventBus`) and polls the sales table's stream (and the other outbox streams) into the relay. */
export async function startLocalEvents(options: LocalEventsOptions): Promise<LocalEvents> {
  const tableName = options.tableName ?? process.env.TABLE_SALES;
  if (!tableName) throw new Error('TABLE_SALES is not set: apply the local environment first');
  const bus = localEventBus(options);
  useEventBus(bus);
  const pollers: StreamPoller[] = [];
  try {
    for (const name of [tableName, ...(options.otherTableNames ?? otherStreamTables())]) {
      pollers.push(await startStreamPoller({ ...options, tableName: name }));
    }
  } catch (error) {
    await Promise.all(pollers.map((p) => p.stop()));
    useEventBus(undefined);
    throw error;
  }
  return {
    bus,
    poller: pollers[0]!,
    async drained(timeoutMs = 15_000) {
      // A delivery may write new events: go round until a quiet poll finds the bus idle.
      for (;;) {
        await Promise.all(pollers.map((p) => p.caughtUp(timeoutMs)));
        if (bus.pending() === 0) return;
        await bus.idle();
      }
    },
    async stop() {
      await Promise.all(pollers.map((p) => p.stop()));
      await bus.idle();
      useEventBus(undefined);
    },
  };
}
