/**
 * The two payroll settings routes on a real DynamoDB Local: an entrepreneur's withholding rate sent by the
 * tax administration (versions appended, never before the latest; the payslip of a month computed with the
 * rate in force for it, an issued one keeping its rate; scopes), and a CAE's payroll settings (new
 * effective-dated versions, never for a month already issued, validation naming the fields).
 *
 * Every test runs in a world of its own (its tables, the demo seeded, its data directory), so the file passes
 * in any order.
 */
import { rmSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setUpLocalTables, uniquePrefix } from '../support/local-tables.ts';
import { installLocalAdapters, manager44, manager85, operator } from '../support/invoicing.ts';
import * as directory from '../../functions/onboarding/service.ts';
import type { Principal } from '../../functions/shared/auth.ts';
import { adapters } from '../../functions/shared/adapters.ts';
import { ConflictError, NotFoundError } from '../../functions/shared/errors.ts';
import { recordTurnover } from '../../functions/payroll/index.ts';
import { setSalary } from '../../functions/payroll/salaries.ts';
import { issuePayslip } from '../../functions/payroll/payslips.ts';
import { CaeSettingsBody, SalaryBody, WithholdingRateBody } from '../../functions/payroll/schemas.ts';
import { findPayslip, caeSettingsHistory, lastIssuedPeriodOfCae } from '../../functions/payroll/store.ts';
import { setWithholdingRate, withholdingRates } from '../../functions/payroll/withholding.ts';
import { setCaePayrollSettings } from '../../functions/payroll/cae-settings.ts';
import { addMonths } from '../../functions/payroll/domain/period.ts';
import { seedDemo } from '../../infra/local/seed.ts';

const now = new Date('2026-11-25T10:00:00Z');
let dataDir: string;
let leroux: string;
let selfLeroux: Principal;

beforeEach(async () => {
  await setUpLocalTables(uniquePrefix('paysettings'));
  dataDir = installLocalAdapters();
  await seedDemo(now);
  const es = await directory.listEntrepreneurs(operator, { etd: '44', state: 'active', limit: 10 });
  leroux = es.items.find((e) => e.lastName === 'Leroux')!.id;
  selfLeroux = { sub: 'es-leroux', role: 'entrepreneur', etd: '44', entityId: leroux };
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

const error = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (e: unknown) => e,
  );
const fieldsOf = (result: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) =>
  (result.error?.issues ?? []).map((i) => i.path.join('.'));
const rate = (rateBasisPoints: number, from: string) => WithholdingRateBody().parse({ rateBasisPoints, from, source: 'dgfip' });

async function issue(period: string) {
  await recordTurnover({ sourceId: `inv_leroux_${period}`, entrepreneurId: leroux, period, netCents: 281_475 }, now);
  await setSalary(manager44, leroux, period, SalaryBody().parse({ grossCents: 150_000 }), now);
  return issuePayslip(adapters(), manager44, leroux, period, now);
}
const withholdingOf = (payslip: { figures: Record<string, unknown> }) =>
  payslip.figures.withholding as { rate: number; source: string; date: string; amountCents: number; baseCents: number };

describe('the withholding rate of an entrepreneur', () => {
  it('is refused naming the field when out of range, not a month, or not from the tax administration', () => {
    expect(fieldsOf(WithholdingRateBody().safeParse({ rateBasisPoints: 4301, from: '2026-10', source: 'dgfip' }))).toEqual([
      'rateBasisPoints',
    ]);
    expect(fieldsOf(WithholdingRateBody().safeParse({ rateBasisPoints: 7.5, from: '2026-10', source: 'dgfip' }))).toEqual([
      'rateBasisPoints',
    ]);
    expect(fieldsOf(WithholdingRateBody().safeParse({ rateBasisPoints: -1, from: '2026-10', source: 'dgfip' }))).toEqual([
      'rateBasisPoints',
    ]);
    expect(fieldsOf(WithholdingRateBody().safeParse({ rateBasisPoints: 750, from: '2026-13', source: 'dgfip' }))).toEqual(['from']);
    expect(fieldsOf(WithholdingRateBody().safeParse({ rateBasisPoints: 750, from: '2026-10', source: 'neutral-grid' }))).toEqual([
      'source',
    ]);
    expect(WithholdingRateBody().safeParse({ rateBasisPoints: 0, from: '2027-01', source: 'dgfip' }).success).toBe(true);
    expect(WithholdingRateBody().safeParse({ rateBasisPoints: 4300, from: '2027-01', source: 'dgfip' }).success).toBe(true);
  });

  it('applies to the payslips of its months; an issued payslip keeps the rate it was computed with', async () => {
    // September issued on the neutral grid (no rate recorded yet).
    const september = await issue('2026-09');
    expect(withholdingOf(september).source).toBe('neutral-grid');

    const recorded = await setWithholdingRate(manager44, leroux, rate(750, '2026-09'), now);
    expect(recorded.versions).toEqual([expect.objectContaining({ rateBasisPoints: 750, rate: 7.5, source: 'dgfip', from: '2026-09' })]);
    expect(recorded.current).toMatchObject({ rateBasisPoints: 750, from: '2026-09' });
    // A corrected rate of the same month: a second version, the last received applying.
    const corrected = await setWithholdingRate(operator, leroux, rate(820, '2026-10'), new Date(now.getTime() + 1000));
    expect(corrected.versions.map((v) => v.rateBasisPoints)).toEqual([750, 820]);
    const again = await setWithholdingRate(operator, leroux, rate(810, '2026-10'), new Date(now.getTime() + 2000));
    expect(again.versions.map((v) => v.rateBasisPoints)).toEqual([750, 820, 810]);
    expect(again.current).toMatchObject({ rateBasisPoints: 810 });

    const october = await issue('2026-10');
    const withheld = withholdingOf(october);
    expect(withheld).toMatchObject({ rate: 8.1, source: 'dgfip', date: '2026-10-01' });
    expect(withheld.amountCents).toBe(Math.round((withheld.baseCents * 810) / 10_000));
    // September's payslip never changed.
    expect(withholdingOf((await findPayslip(leroux, '2026-09'))!)).toEqual(withholdingOf(september));
  });

  it('never starts before the latest version (409 naming from) and keeps the versions as they were', async () => {
    await setWithholdingRate(manager44, leroux, rate(500, '2026-12'), now);
    const refused = await error(setWithholdingRate(manager44, leroux, rate(600, '2026-11'), now));
    expect(refused).toBeInstanceOf(ConflictError);
    expect((refused as ConflictError).extensions).toMatchObject({ field: 'from', latestFrom: '2026-12' });
    const read = await withholdingRates(selfLeroux, leroux, now);
    expect(read.versions.map((v) => [v.rateBasisPoints, v.from])).toEqual([[500, '2026-12']]);
    expect(read.current, 'a rate from next month is not in force today').toBeUndefined();
  });

  it('is in force from the first of its month in Paris, not in UTC', async () => {
    await setWithholdingRate(manager44, leroux, rate(500, '2026-12'), now);
    // 30 November 23:30 UTC is 1 December 00:30 in Paris.
    expect((await withholdingRates(selfLeroux, leroux, new Date('2026-11-30T22:59:59Z'))).current).toBeUndefined();
    expect((await withholdingRates(selfLeroux, leroux, new Date('2026-11-30T23:30:00Z'))).current).toMatchObject({ from: '2026-12' });
  });

  it('is recorded by staff of the territory only; 404 outside scope', async () => {
    expect(await error(setWithholdingRate(manager85, leroux, rate(750, '2026-10'), now))).toBeInstanceOf(NotFoundError);
    expect(await error(setWithholdingRate(selfLeroux, leroux, rate(750, '2026-10'), now))).toBeInstanceOf(NotFoundError);
    expect(await error(withholdingRates(manager85, leroux, now))).toBeInstanceOf(NotFoundError);
    expect((await withholdingRates(selfLeroux, leroux, now)).versions).toEqual([]);
  });
});

describe('the payroll settings of a CAE', () => {
  const settings = (overrides: Record<string, unknown> = {}) =>
    CaeSettingsBody().parse({ from: '2027-01', contributionBasisPoints: 1_200, basis: 'invoiced', overdraftCents: 50_000, ...overrides });

  it('are refused naming the fields when invalid', () => {
    const result = CaeSettingsBody().safeParse({
      from: '2027-1',
      contributionBasisPoints: 10_001,
      contributionFixedCents: -5,
      basis: 'paid',
      overdraftCents: 1.5,
    });
    expect(fieldsOf(result).sort()).toEqual(['basis', 'contributionBasisPoints', 'contributionFixedCents', 'from', 'overdraftCents']);
    expect(fieldsOf(CaeSettingsBody().safeParse({ from: '2027-01', basis: 'cashed' }))).toEqual(['contributionBasisPoints']);
  });

  it('append a version from a month not issued yet, which the contribution of that month uses', async () => {
    const last = await lastIssuedPeriodOfCae('44', 'SAMAD');
    const from = last ? addMonths(last, 1) : '2026-01';
    const answer = await setCaePayrollSettings(operator, '44', 'SAMAD', settings({ from, contributionFixedCents: 2_000 }));
    expect(answer.versions.at(-1)).toEqual({
      from: `${from}-01`,
      contributionBasisPoints: 1_200,
      contributionFixedCents: 2_000,
      basis: 'invoiced',
      overdraftCents: 50_000,
      source: expect.any(String),
    });
    // The months before keep the defaults (the version is appended after them).
    const history = await caeSettingsHistory('44', 'SAMAD');
    expect(history.map((s) => s.contributionBasisPoints)).toEqual([1_000, 1_200]);

    // The payslip of that month debits 12 % + 20 € of its turnover.
    await recordTurnover({ sourceId: 'inv_leroux_x', entrepreneurId: leroux, period: from, netCents: 100_000 }, now);
    await setSalary(manager44, leroux, from, SalaryBody().parse({ grossCents: 100_000 }), now);
    const payslip = await issuePayslip(adapters(), manager44, leroux, from, now);
    expect(payslip.period).toBe(from);
    const { movementsOf } = await import('../../functions/payroll/store.ts');
    const contribution = (await movementsOf(leroux, { from, to: from })).find((m) => m.kind === 'contribution');
    expect(contribution?.amountCents).toBe(-(12_000 + 2_000));
  });

  it('never touch a month already issued, nor go back before the latest version (409 naming from)', async () => {
    await issue('2026-10');
    const onIssued = await error(setCaePayrollSettings(operator, '44', 'SAMAD', settings({ from: '2026-10' })));
    expect(onIssued).toBeInstanceOf(ConflictError);
    expect((onIssued as ConflictError).extensions).toMatchObject({ field: 'from', lastIssuedPeriod: '2026-10' });
    expect(await error(setCaePayrollSettings(operator, '44', 'SAMAD', settings({ from: '2026-04' })))).toMatchObject({
      extensions: expect.objectContaining({ field: 'from' }),
    });

    await setCaePayrollSettings(operator, '44', 'SAMAD', settings({ from: '2027-03' }));
    for (const from of ['2027-03', '2027-02']) {
      const refused = await error(setCaePayrollSettings(operator, '44', 'SAMAD', settings({ from })));
      expect(refused).toBeInstanceOf(ConflictError);
      expect((refused as ConflictError).extensions).toMatchObject({ field: 'from', latestFrom: '2027-03' });
    }
    expect((await caeSettingsHistory('44', 'SAMAD')).map((s) => s.from)).toEqual(['2000-01-01', '2027-03-01']);
    // The other CAE of the territory is its own schedule.
    expect((await setCaePayrollSettings(operator, '44', 'MSG', settings({ from: '2027-02' }))).versions.map((v) => v.from)).toEqual([
      '2000-01-01',
      '2027-02-01',
    ]);
  });

  it('are an operator’s: a manager gets 404; an unknown territory 404', async () => {
    expect(await error(setCaePayrollSettings(manager44, '44', 'SAMAD', settings()))).toBeInstanceOf(NotFoundError);
    expect(await error(setCaePayrollSettings(operator, '2A', 'SAMAD', settings()))).toBeInstanceOf(NotFoundError);
  });
});
