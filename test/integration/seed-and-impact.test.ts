/**
 * The demo seed (through the real use cases) and the daily impact job, on DynamoDB Local. Each
 * block has its own tables (the seed block starts empty; the impact block seeds its own in its
 * beforeAll), so either test passes alone and in any order.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installLocalAdapters } from '../support/invoicing.ts';
import { readOutbox } from '../../infra/local/adapters.ts';
import { accountStatement, dashboard } from '../../functions/payroll/account.ts';
import { listPayslips } from '../../functions/payroll/payslip-views.ts';
import { listInvoices } from '../../functions/invoices/service.ts';
import { setUpLocalTables, useLocalTables } from '../support/local-tables.ts';
import { seedDemo } from '../../infra/local/seed.ts';
import { listReferrals } from '../../functions/referrals/service.ts';
import * as service from '../../functions/onboarding/service.ts';

const context = { awsRequestId: 'job-1', functionName: 'PublishImpactMetrics', getRemainingTimeInMillis: () => 60_000 } as never;
const scheduled = (time: string) =>
  ({
    version: '0',
    id: 'e1',
    'detail-type': 'Scheduled Event',
    source: 'aws.scheduler',
    account: '123456789012',
    time,
    region: 'eu-west-3',
    resources: [],
    detail: {},
  }) as never;

/** The day the demo is seeded: the impact figures below count from it. */
const seededAt = new Date('2026-11-25T08:00:00Z');

describe('demo seed', () => {
  useLocalTables();

  it('seeds ETD 44 and 85, the three business-plan profiles, clients and partners — once', async () => {
    expect(await seedDemo(seededAt)).toEqual({ created: true });
    expect(await seedDemo()).toEqual({ created: false, reason: 'already-seeded' });

    const operator = { sub: 'op', role: 'operator' } as const;
    expect((await service.listEtds(operator, { limit: 10 })).items.map((e) => e.code)).toEqual(['44', '85']);
    const es44 = (await service.listEntrepreneurs(operator, { etd: '44', state: 'active', limit: 10 })).items;
    expect(es44.map((e) => e.hourlyRateCents).sort()).toEqual([2085, 2583, 4900]);
    const published = await service.publicEntrepreneurs({ etd: '44', limit: 10 });
    expect(published.items).toHaveLength(3);
    expect((await service.listClients({ sub: 'm', role: 'manager', etd: '44' }, { limit: 10 })).items).toHaveLength(3);
    expect((await service.listPartners(operator, { department: '44', limit: 10 })).items).toHaveLength(6);
  });
});

describe('impact job', () => {
  beforeAll(async () => {
    await setUpLocalTables();
    expect(await seedDemo(seededAt)).toEqual({ created: true });
  });

  it('publishes the impact figures per territory', async () => {
    const { handler } = await import('../../functions/metrics/handlers/publish-impact.ts');
    const result = await handler(scheduled('2026-11-26T05:00:00Z'), context);
    // 44: born 1967, 1974, 1979 → all 45+ in 2026; 85: born 1963.
    expect(result).toEqual({
      date: '2026-11-26',
      etds: [
        { etd: '44', active: 3, aged45Plus: 3 },
        { etd: '85', active: 1, aged45Plus: 1 },
      ],
      // Referred works, through the referrals door (none in the blank demo seed).
      referrals: [
        { etd: '44', opened: 0, accepted: 0, completed: 0, worksAmountCents: 0, techniciansAged45Plus: 0 },
        { etd: '85', opened: 0, accepted: 0, completed: 0, worksAmountCents: 0, techniciansAged45Plus: 0 },
      ],
    });
    // In 2023 the entrepreneur born in 1979 was 44: two of the three count.
    const earlier = await handler(scheduled('2023-06-01T05:00:00Z'), context);
    expect(earlier.etds[0]).toEqual({ etd: '44', active: 3, aged45Plus: 2 });
  });
});

describe('demo seed with a month of activity (npm start)', () => {
  let dataDir: string;
  beforeAll(async () => {
    await setUpLocalTables();
    dataDir = installLocalAdapters();
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('gives the three business-plan profiles October 2026: invoice issued and paid, contribution, expense with its receipt, salary and payslip', async () => {
    const started = performance.now();
    expect(await seedDemo(seededAt, { activity: true })).toEqual({ created: true });
    const seconds = (performance.now() - started) / 1000;
    console.log(`demo seed with a month of activity: ${seconds.toFixed(2)} s`);

    const operator = { sub: 'op', role: 'operator' } as const;
    const es44 = (await service.listEntrepreneurs(operator, { etd: '44', state: 'active', limit: 10 })).items;
    const expected = { 'ES.TC.Dép': 281_475, 'ES.Fo': 463_050, 'ES.DR': 330_624 } as const;
    for (const e of es44) {
      const board = await dashboard(operator, e.id, '2026-10', '2026-10');
      const month = board.months[0]!;
      const code = board.profile!.code as keyof typeof expected;
      expect(month, e.lastName).toMatchObject({ period: '2026-10', turnoverCents: expected[code], gapToProfileCents: 0 });
      expect(month.contributionCents).toBe(Math.round(expected[code] / 10));
      expect(month.expensesCents).toBeGreaterThan(0);
      expect(month.grossCents).toBeGreaterThan(0);
      const account = await accountStatement(operator, e.id, '2026-10');
      expect(account.movements.map((m: { kind: string }) => m.kind).sort(), e.lastName).toEqual([
        'contribution',
        'expense',
        'payslip',
        'turnover',
      ]);
      expect((await listPayslips(operator, e.id, { limit: 10 })).items.map((p) => p.period)).toEqual(['2026-10']);
      // The profile's invoice of the month (the CESU demo's SAP invoices of November are apart: infra/local/demo-cesu.ts).
      const invoices = (await listInvoices(operator, { etd: '44', limit: 20 })).items.filter(
        (i) => i.entrepreneurId === e.id && !i.sapEligible,
      );
      expect(invoices.map((i) => [i.state, i.issueDate, i.amountDueCents, i.totals.netCents])).toEqual([
        ['paid', '2026-10-15', 0, expected[code]],
      ]);
    }
    expect(readOutbox(dataDir).filter((m) => m.subject.startsWith('Votre bulletin de paie'))).toHaveLength(3);
    // The demo referral, matched seniors first and offered to its first candidate.
    const [referral] = (await listReferrals(operator, { etd: '44', limit: 10 })).items;
    expect(referral!.candidates.map((c) => c.legalName)).toEqual([
      'Rénov’Habitat Estuaire',
      'Les Compagnons Plâtriers de l’Erdre',
      'Isolation Bocage Rénovation',
    ]);
    expect(readOutbox(dataDir).filter((m) => m.subject.startsWith('Chantier proposé'))).toHaveLength(1);
    expect(seconds, 'npm start stays quick: the seed runs once per data directory').toBeLessThan(30);
  });
});
