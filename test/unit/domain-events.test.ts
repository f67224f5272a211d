/**
 * Domain events without a database: the relay's filtering and unmarshalling, its batch item
 * failures, the EventBridge port (batches of 10, refused entries), the consumer table, the local
 * bus (envelope, matching, retries), the stream record conversion and the entrepreneur's e-mail.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { consumers, consumersOf, relay, type ConsumerDef } from '../../functions/consumers.ts';
import { eventBridgeBus, useEventBus, type EventBus } from '../../functions/events/bus.ts';
import { EVENT_SOURCE, eventTypes, type PublishedEvent } from '../../functions/events/catalog.ts';
import { outboxEvents } from '../../functions/events/relay.ts';
import { jobs } from '../../functions/jobs.ts';
import { quoteAcceptedEmail } from '../../functions/quotes/accepted.ts';
import { routes } from '../../functions/routes.ts';
import { buildLambdaContext, REPO_ROOT } from '../../infra/local/apigw.ts';
import { eventBridgeEnvelope, localEventBus, toLambdaRecord } from '../../infra/local/events.ts';

const at = '2026-11-25T10:00:00.000Z';
const outboxItem = (eventId: string, type = 'QuoteAccepted') => ({
  pk: 'EVENT#2026-11-25',
  sk: `${at}#${eventId}`,
  entity: 'event',
  type,
  eventId,
  at,
  detail: {
    quoteId: `quo_${eventId}`,
    number: 'D-MSG44-2026-000042',
    revision: 2,
    etd: '44',
    totals: { grossCents: 81_620, vat: [{ rate: '20', vatCents: 13_603 }] },
  },
});

let sequence = 100;
function record(eventName: DynamoDBRecord['eventName'], image: Record<string, unknown> | undefined): DynamoDBRecord {
  sequence += 1;
  return {
    eventID: `e${sequence}`,
    eventName,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: 'eu-west-3',
    dynamodb: {
      Keys: image ? (marshall({ pk: image.pk, sk: image.sk }) as never) : {},
      ...(image ? { NewImage: marshall(image, { removeUndefinedValues: true }) as never } : {}),
      SequenceNumber: String(sequence),
      SizeBytes: 100,
      StreamViewType: 'NEW_IMAGE',
    },
    eventSourceARN: 'arn:aws:dynamodb:eu-west-3:000000000000:table/Sales/stream/x',
  };
}

describe('the relay keeps inserted outbox items only', () => {
  it('publishes inserted events in stream order, unmarshalled, with their id and time in the detail', () => {
    const records = [
      record('INSERT', outboxItem('a')),
      record('MODIFY', outboxItem('b')), // an outbox item is never updated; if it were, not again
      record('REMOVE', undefined),
      record('INSERT', { pk: 'QUO#quo_1', sk: '#QUO', entity: 'quote', state: 'accepted' }),
      record('INSERT', { ...outboxItem('c'), entity: 'guard' }),
      record('INSERT', { ...outboxItem('d'), pk: 'QUO#quo_1' }),
      record('INSERT', { ...outboxItem('e'), detail: undefined }),
      record('INSERT', outboxItem('f', 'SomethingNew')),
    ];
    const relayed = outboxEvents(records);
    expect(relayed.map((r) => r.sequenceNumber)).toEqual([records[0]!.dynamodb!.SequenceNumber, records[7]!.dynamodb!.SequenceNumber]);
    expect(relayed[0]!.event).toEqual({
      source: EVENT_SOURCE,
      detailType: 'QuoteAccepted',
      time: at,
      detail: { ...outboxItem('a').detail, eventId: 'a', at },
    });
    // Numbers come back as numbers, nested lists and maps as such.
    expect(relayed[0]!.event.detail.totals).toEqual({ grossCents: 81_620, vat: [{ rate: '20', vatCents: 13_603 }] });
  });
});

describe('the relay handler', () => {
  const published: PublishedEvent[][] = [];
  const bus = (accept: (events: readonly PublishedEvent[]) => number): EventBus => ({
    publish: async (events) => {
      published.push([...events]);
      return accept(events);
    },
  });
  const run = async (event: DynamoDBStreamEvent) => {
    const { handler } = await import('../../functions/events/handlers/relay.ts');
    return handler(event, buildLambdaContext({ functionName: relay.fn }));
  };
  afterEach(() => {
    useEventBus(undefined);
    published.length = 0;
  });

  it('publishes the events of the batch and reports no failure', async () => {
    useEventBus(bus((events) => events.length));
    const records = [record('INSERT', outboxItem('g')), record('MODIFY', outboxItem('h')), record('INSERT', outboxItem('i'))];
    expect(await run({ Records: records })).toEqual({ batchItemFailures: [] });
    expect(published.map((batch) => batch.map((e) => e.detail.eventId))).toEqual([['g', 'i']]);
  });

  it('reports the first event the bus refused, so that the stream delivers again from it', async () => {
    useEventBus(bus(() => 1));
    const records = [
      record('INSERT', outboxItem('j')),
      record('REMOVE', undefined),
      record('INSERT', outboxItem('k')),
      record('INSERT', outboxItem('l')),
    ];
    expect(await run({ Records: records })).toEqual({ batchItemFailures: [{ itemIdentifier: records[2]!.dynamodb!.SequenceNumber }] });
  });

  it('does not call the bus for a batch without events, and fails the batch when the bus fails', async () => {
    useEventBus(
      bus(() => {
        throw new Error('bus down');
      }),
    );
    expect(await run({ Records: [record('MODIFY', outboxItem('m'))] })).toEqual({ batchItemFailures: [] });
    expect(published).toEqual([]);
    await expect(run({ Records: [record('INSERT', outboxItem('n'))] })).rejects.toThrow('bus down');
  });
});

describe('the EventBridge port', () => {
  const eventBridge = mockClient(EventBridgeClient);
  afterEach(() => eventBridge.reset());
  const events = (n: number): PublishedEvent[] =>
    Array.from({ length: n }, (_, i) => ({
      source: EVENT_SOURCE,
      detailType: 'QuoteAccepted',
      time: at,
      detail: { eventId: `ev${i}`, at, quoteId: `quo_${i}` },
    }));
  const port = () =>
    eventBridgeBus(
      async () => new EventBridgeClient({ region: 'eu-west-3' }),
      () => 'the-bus',
    );

  it('puts the events on the bus by 10, in order: source, detail-type, time, detail with its id', async () => {
    eventBridge.on(PutEventsCommand).callsFake((input: { Entries: unknown[] }) => ({
      FailedEntryCount: 0,
      Entries: input.Entries.map((_, i) => ({ EventId: `id${i}` })),
    }));
    expect(await port().publish(events(23))).toBe(23);
    const calls = eventBridge.commandCalls(PutEventsCommand).map((c) => c.args[0].input.Entries!);
    expect(calls.map((entries) => entries.length)).toEqual([10, 10, 3]);
    expect(calls[0]![0]).toEqual({
      EventBusName: 'the-bus',
      Source: 'oui-ensemble.sales',
      DetailType: 'QuoteAccepted',
      Time: new Date(at),
      Detail: JSON.stringify({ eventId: 'ev0', at, quoteId: 'quo_0' }),
    });
    expect(calls.flat().map((e) => JSON.parse(e.Detail!).eventId)).toEqual(events(23).map((e) => e.detail.eventId));
  });

  it('stops at the first entry EventBridge refused and says how many went through', async () => {
    let call = 0;
    eventBridge.on(PutEventsCommand).callsFake((input: { Entries: unknown[] }) => {
      call += 1;
      return {
        FailedEntryCount: call === 2 ? 1 : 0,
        Entries: input.Entries.map((_, i) =>
          call === 2 && i === 3 ? { ErrorCode: 'ThrottlingException', ErrorMessage: 'slow down' } : { EventId: `id${i}` },
        ),
      };
    });
    expect(await port().publish(events(25))).toBe(13);
    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(2);
  });
});

describe('the consumer table', () => {
  it('names each consumer once among all functions, with a handler file, known event types, and the idempotency table', () => {
    const names = [...routes, ...jobs, relay, ...consumers].map((d) => d.fn);
    expect(new Set(names).size).toBe(names.length);
    for (const def of [relay, ...consumers]) expect(existsSync(resolve(REPO_ROOT, def.handler)), def.handler).toBe(true);
    for (const def of consumers as readonly ConsumerDef[]) {
      expect(def.events.length, def.fn).toBeGreaterThan(0);
      for (const type of def.events) expect(eventTypes).toContain(type);
      expect(def.tables.idempotency, def.fn).toBe('write');
    }
    expect(relay.tables).toEqual({});
  });

  it('matches an event type to its consumers only', () => {
    const table: ConsumerDef[] = [
      { fn: 'A', handler: 'a.ts', events: ['QuoteAccepted'], tables: {}, summary: '' },
      { fn: 'B', handler: 'b.ts', events: [], tables: {}, summary: '' },
    ];
    expect(consumersOf('QuoteAccepted', table).map((c) => c.fn)).toEqual(['A']);
    expect(consumersOf('QuoteDeclined', table)).toEqual([]);
    expect(consumersOf('QuoteAccepted').map((c) => c.fn)).toEqual(['NotifyQuoteAccepted', 'DraftReferralFromQuote']);
  });
});

describe('the local bus', () => {
  const event = (eventId: string, detailType = 'QuoteAccepted'): PublishedEvent => ({
    source: EVENT_SOURCE,
    detailType,
    time: '2026-11-25T10:00:00.123Z',
    detail: { eventId, at },
  });
  const table: ConsumerDef[] = [
    { fn: 'First', handler: 'first.ts', events: ['QuoteAccepted'], tables: {}, summary: '' },
    { fn: 'Second', handler: 'second.ts', events: ['QuoteAccepted'], tables: {}, summary: '' },
  ];

  it('builds EventBridge’s envelope', () => {
    expect(eventBridgeEnvelope(event('x'), 'env-1')).toEqual({
      version: '0',
      id: 'env-1',
      'detail-type': 'QuoteAccepted',
      source: 'oui-ensemble.sales',
      account: '000000000000',
      time: '2026-11-25T10:00:00Z',
      region: 'eu-west-3',
      resources: [],
      detail: { eventId: 'x', at },
    });
  });

  it('delivers each event to the consumers of its type, one envelope per publication shared by its targets', async () => {
    const seen: { fn: string; id: string; eventId: string }[] = [];
    const bus = localEventBus({
      consumers: table,
      log: () => undefined,
      invoke: async (c, e) => void seen.push({ fn: c.fn, id: e.id, eventId: e.detail.eventId }),
    });
    expect(await bus.publish([event('x'), event('y', 'Unconsumed')])).toBe(2);
    expect(await bus.publish([event('x')])).toBe(1);
    await bus.idle();
    expect(seen.map((s) => `${s.fn}:${s.eventId}`).sort()).toEqual(['First:x', 'First:x', 'Second:x', 'Second:x']);
    const ids = seen.map((s) => s.id);
    expect(new Set(ids).size).toBe(2); // one id per publication, the same for both targets
    expect(bus.pending()).toBe(0);
  });

  it('retries a failed delivery twice, then logs it as lost', async () => {
    const attempts: string[] = [];
    const lines: string[] = [];
    const bus = localEventBus({
      consumers: table,
      retryDelaysMs: [1, 1],
      log: (line) => lines.push(line),
      invoke: async (c) => {
        attempts.push(c.fn);
        if (c.fn === 'First' && attempts.filter((a) => a === 'First').length < 3) throw new Error('transient');
        if (c.fn === 'Second') throw new Error('always');
      },
    });
    await bus.publish([event('z')]);
    await bus.idle();
    expect(attempts.filter((a) => a === 'First')).toHaveLength(3);
    expect(attempts.filter((a) => a === 'Second')).toHaveLength(3);
    expect(lines).toEqual([expect.stringMatching(/^EVENT QuoteAccepted z → Second failed 3 times, given up: Error: always$/)]);
  });
});

describe('stream records as Lambda receives them', () => {
  it('turns GetRecords output into a DynamoDBRecord: epoch seconds, binary as base64, the stream ARN', () => {
    const converted = toLambdaRecord(
      {
        eventID: 'id1',
        eventName: 'INSERT',
        eventVersion: '1.1',
        eventSource: 'aws:dynamodb',
        awsRegion: 'eu-west-3',
        dynamodb: {
          ApproximateCreationDateTime: new Date('2026-11-25T10:00:00.900Z'),
          Keys: { pk: { S: 'EVENT#2026-11-25' } },
          NewImage: {
            pk: { S: 'EVENT#2026-11-25' },
            blob: { B: new Uint8Array([1, 2, 3]) },
            nested: { M: { list: { L: [{ N: '1' }, { B: new Uint8Array([255]) }] } } },
          },
          SequenceNumber: '000001',
          SizeBytes: 42,
          StreamViewType: 'NEW_IMAGE',
        },
      },
      'arn:stream',
    );
    expect(converted).toEqual({
      eventID: 'id1',
      eventName: 'INSERT',
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: 'eu-west-3',
      dynamodb: {
        ApproximateCreationDateTime: 1795600800,
        Keys: { pk: { S: 'EVENT#2026-11-25' } },
        NewImage: { pk: { S: 'EVENT#2026-11-25' }, blob: { B: 'AQID' }, nested: { M: { list: { L: [{ N: '1' }, { B: '/w==' }] } } } },
        SequenceNumber: '000001',
        SizeBytes: 42,
        StreamViewType: 'NEW_IMAGE',
      },
      eventSourceARN: 'arn:stream',
    });
  });
});

describe('the entrepreneur’s e-mail', () => {
  it('says in plain French which quote was accepted, for whom, when and for how much', () => {
    const mail = quoteAcceptedEmail({
      firstName: 'Sophie',
      number: 'D-MSG44-2026-000042',
      revision: 2,
      clientName: 'Jean Moreau',
      acceptedAt: '2026-11-25T10:00:00.000Z',
      grossCents: 81_620,
    });
    expect(mail.subject).toBe('Devis n° D-MSG44-2026-000042 accepté pour Jean Moreau');
    expect(mail.text.replace(/[\u00a0\u202f]/g, ' ')).toBe(
      [
        'Bonjour Sophie,',
        '',
        'Votre devis n° D-MSG44-2026-000042 (révision 2) pour Jean Moreau a été accepté le 25 novembre 2026 à 11:00.',
        'Montant total : 816,20 € TTC.',
        '',
        'Le devis signé et la preuve de l’accord sont dans votre espace Oui Ensemble ; vous pouvez maintenant préparer la facture.',
        '',
        'Bien cordialement,',
        'Le réseau Oui Ensemble',
      ].join('\n'),
    );
    const noClient = quoteAcceptedEmail({
      firstName: 'Sophie',
      number: 'D-1',
      revision: 1,
      acceptedAt: '2026-11-25T10:00:00.000Z',
      grossCents: 100,
    });
    expect(noClient.subject).toBe('Devis n° D-1 accepté');
    expect(noClient.text).toContain('Votre devis n° D-1 a été accepté le');
  });
});
