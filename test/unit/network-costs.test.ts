import { describe, expect, it } from 'vitest';
import { allocate, dayCosts, microEuros, type UsageRow, usageRows } from '../../functions/network/domain/costs.ts';
import { priceVersions } from '../../functions/network/prices.ts';

describe('allocate: largest remainder, parts add up exactly', () => {
  it.each([
    [10, [1, 1, 1], [4, 3, 3]],
    [100, [0, 0, 0], [34, 33, 33]],
    [7, [2, 0, 5], [2, 0, 5]],
    [1, [1, 1], [1, 0]],
    [1_000_003, [3, 7, 11, 13], [88_236, 205_883, 323_530, 382_354]],
    [0, [5, 5], [0, 0]],
  ])('%i over %o = %o', (total, weights, parts) => {
    const got = allocate(total, weights);
    expect(got).toEqual(parts);
    expect(got.reduce((s, p) => s + p, 0)).toBe(total);
  });
});

const row = (over: Partial<UsageRow>): UsageRow => ({
  etd: '44',
  trigger: 'http',
  memoryMb: 1024,
  invocations: 1,
  durationMs: 100,
  rcu: 1,
  wcu: 1,
  s3Requests: 0,
  emails: 0,
  ...over,
});

describe('dayCosts: metered + shared + Stripe = the price table over all usage', () => {
  const prices = priceVersions[0]!;
  const cases: [string, UsageRow[], Record<string, number>][] = [
    ['one territory only', [row({ invocations: 1000, durationMs: 90_000, rcu: 2500, wcu: 800 })], {}],
    [
      'two territories, jobs and operators unattributed, Stripe fees',
      [
        row({ invocations: 3000, durationMs: 300_000, rcu: 9_000.5, wcu: 2_000, s3Requests: 40, emails: 12 }),
        row({ etd: '85', invocations: 700, durationMs: 50_000, rcu: 1_200, wcu: 300, emails: 3 }),
        row({ etd: '', trigger: 'job', memoryMb: 2048, invocations: 20, durationMs: 400_000, rcu: 50_000, wcu: 4_000 }),
        row({ etd: '', invocations: 55, durationMs: 6_000, rcu: 120, wcu: 0 }),
      ],
      { '44': 1_234, '85': 310 },
    ],
    ['no usage at all: the fixed costs spread equally', [], {}],
    ['a territory not open (yet) counts as unattributed', [row({ etd: '29', invocations: 10 })], {}],
  ];
  it.each(cases)('%s', (_, rows, stripeFeesCents) => {
    const day = dayCosts({ day: '2026-11-29', territories: ['44', '85'], rows, prices, stripeFeesCents });
    const sum = day.territories.reduce((s, t) => s + t.totalMicroEuros, 0);
    expect(sum).toBe(day.totalMicroEuros);
    const byService = Object.values(day.totalByService).reduce((s, v) => s + v, 0);
    expect(byService).toBe(day.totalMicroEuros);
    for (const t of day.territories) {
      expect(t.totalMicroEuros).toBe(t.meteredMicroEuros + t.sharedMicroEuros + t.stripeFeesMicroEuros);
      expect(Number.isInteger(t.sharedMicroEuros) && t.sharedMicroEuros >= 0).toBe(true);
    }
    expect(day.territories.reduce((s, t) => s + t.sharedMicroEuros, 0)).toBe(day.unattributedMicroEuros + day.fixedMicroEuros);
  });

  it('prices: 1 M HTTP requests of 1 GB × 100 ms ≈ Lambda + API; the shared part follows the metered share', () => {
    const day = dayCosts({
      day: '2026-11-29',
      territories: ['44', '85'],
      rows: [
        row({ invocations: 1_000_000, durationMs: 100_000_000, rcu: 0, wcu: 0 }),
        row({ etd: '', trigger: 'job', invocations: 1, durationMs: 1_000, rcu: 0, wcu: 0 }),
      ],
      prices,
      stripeFeesCents: {},
    });
    const t44 = day.territories.find((t) => t.etd === '44')!;
    const rate = prices.eurPerUsd.value;
    expect(t44.services['api-requests']).toBe(microEuros(1_000_000, 1.11, rate));
    expect(t44.services['lambda-requests']).toBe(microEuros(1_000_000, 0.2, rate));
    expect(t44.services['lambda-compute']).toBeCloseTo(microEuros(100_000 * 1, 13.3334, rate), -1);
    // 85 has no usage: it gets nothing of the shared costs, 44 all of it.
    expect(day.territories.find((t) => t.etd === '85')!.sharedMicroEuros).toBe(0);
    expect(t44.sharedMicroEuros).toBe(day.unattributedMicroEuros + day.fixedMicroEuros);
  });

  it('usageRows groups lines by territory, trigger and memory', () => {
    const line = { etd: '44', trigger: 'http', memoryMb: 1024, durationMs: 10, rcu: 0.5, wcu: 1, s3Requests: 1, emails: 0 };
    expect(usageRows([line, line, { ...line, etd: '' }])).toEqual([
      { ...line, invocations: 2, durationMs: 20, rcu: 1, wcu: 2, s3Requests: 2 },
      { ...line, etd: '', invocations: 1 },
    ]);
  });
});
