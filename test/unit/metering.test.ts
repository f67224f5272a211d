import { describe, expect, it } from 'vitest';
import { capacityOf, metered, meterTerritory, meteredAdapters, type MeterLine, useMeterSink } from '../../functions/shared/metering.ts';
import type { Adapters } from '../../functions/shared/adapters.ts';

describe('capacityOf: read and write units of an answer', () => {
  it.each([
    ['GetItem', { CapacityUnits: 0.5 }, 0.5, 0],
    ['Query', { CapacityUnits: 12 }, 12, 0],
    ['PutItem', { CapacityUnits: 1 }, 0, 1],
    ['TransactWriteItems', [{ CapacityUnits: 4 }, { CapacityUnits: 2 }], 0, 6],
    ['TransactGetItems', [{ CapacityUnits: 2 }], 2, 0],
    ['UpdateItem', { ReadCapacityUnits: 0, WriteCapacityUnits: 3, CapacityUnits: 3 }, 0, 3],
    ['BatchWriteItem', undefined, 0, 0],
  ] as const)('%s %o → %d RCU, %d WCU', (operation, consumed, rcu, wcu) => {
    expect(capacityOf(operation, consumed as never)).toEqual({ rcu, wcu });
  });
});

describe('metered: one line per invocation, whatever its outcome', () => {
  it('counts S3 requests and e-mails of the adapters, names the territory, and writes the line even on error', async () => {
    const lines: MeterLine[] = [];
    useMeterSink((l) => lines.push(l));
    const inner = {
      documents: { put: async () => ({}), get: async () => new Uint8Array(), link: async () => ({}), uploadLink: async () => ({}) },
      mailer: { send: async () => ({ messageId: 'm' }) },
      secrets: {},
      payments: {},
      publicBaseUrl: () => 'x',
    } as unknown as Adapters;
    const ports = meteredAdapters(inner);
    expect(meteredAdapters(ports)).toBe(ports);
    await metered({ fn: 'IssueInvoice', trigger: 'http' }, { memoryLimitInMB: '512' } as never, async () => {
      meterTerritory('44');
      await ports.documents.put('k', new Uint8Array(), 'application/pdf');
      await ports.documents.link('k', { ttlSeconds: 60, fileName: 'f' });
      await ports.mailer.send({ to: 'a@example.org', subject: 's', text: 't' });
    });
    await expect(
      metered({ fn: 'Fails', trigger: 'job' }, undefined, async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    useMeterSink(undefined);
    expect(lines.map(({ at: _a, durationMs: _d, ...l }) => l)).toEqual([
      { fn: 'IssueInvoice', trigger: 'http', etd: '44', memoryMb: 512, rcu: 0, wcu: 0, s3Requests: 1, emails: 1 },
      { fn: 'Fails', trigger: 'job', etd: '', memoryMb: 512, rcu: 0, wcu: 0, s3Requests: 0, emails: 0 },
    ]);
    expect(lines.every((l) => l.durationMs >= 1)).toBe(true);
  });
});
