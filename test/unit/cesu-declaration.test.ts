/**
 * The CESU declaration computation (functions/cesu/domain/declaration.ts) against worked cases, and
 * the CESU parameter table (functions/cesu/rates.ts) as data.
 *
 * No worked example with every line was found on an official page (urssaf.fr gives the rates and the
 * rule, not a computed month): each case below is worked by hand from the published rules, line by
 * line, with Python's Decimal (ROUND_HALF_UP to the cent) — an implementation independent of the
 * TypeScript one — and its figures are written here with where each rule comes from:
 * - net → gross: gross = net / (1 − 21.88025 %), « URSSAF rebuilds the gross from the declared net »
 *   (urssaf.fr, LEGAL-FR §9.1); 21.88025 % = 6.90 + 0.40 + 1.04 + 3.15 + 0.86 + (6.80 + 2.90) × 98.25 %;
 *   Alsace-Moselle + 1.30 (urssaf.fr table as of 1 April 2024).
 * - +10 % method: 12 € net → 13.20 € (https://www.particulier-employeur-zen.com/remuneration-des-conges-payes/).
 * - employer lines (2026): maladie 13.00, CSA 0.30, vieillesse 8.55 + 2.11, AF 5.25, AT 2.06, FNAL 0.10,
 *   IRCEM 2.45 + 4.72, CEG 1.29, chômage 4.00, formation 0.85, dialogue social 0.016 (LEGAL-FR §9.1);
 *   CST 2.70 % capped at 5 € (aga-ps.com); 2 €/h deduction on maladie + vieillesse + AF (ash.tm.fr);
 *   70+ exemption of those lines capped at 65 h × hourly SMIC (third-party, LEGAL-FR §9.1).
 */
import { describe, expect, it } from 'vitest';
import {
  computeDeclaration,
  DeclarationRefused,
  deadlineOf,
  type EmployerFacts,
  employeeRateUnits,
  minimumNetHourlyCents,
  monthHours,
  type WorkerMonthInput,
} from '../../functions/cesu/domain/declaration.ts';
import { amountNames, cesuParameters, parametersAt, rateNames } from '../../functions/cesu/rates.ts';

const none: EmployerFacts = { exemption: { kind: 'none' }, alsaceMoselle: false };
const aged70: EmployerFacts = { exemption: { kind: 'aged-70', from: '2018-03-01' }, alsaceMoselle: false };
const apa: EmployerFacts = { exemption: { kind: 'apa-pch-disability', from: '2025-06-01' }, alsaceMoselle: false };
const worker = (o: Partial<WorkerMonthInput>): WorkerMonthInput => ({
  workerId: 'wrk_1',
  name: 'Salariée',
  netHourlyCents: 1200,
  paidLeave: 'monthly',
  hours: 0,
  extraNetCents: 0,
  ...o,
});

interface Case {
  readonly name: string;
  readonly period: string;
  readonly employer: EmployerFacts;
  readonly worker: Partial<WorkerMonthInput>;
  readonly expected: {
    readonly declaredNetHourlyCents: number;
    readonly netCents: number;
    readonly grossCents: number;
    readonly employeeContributionsCents: number;
    readonly santeAuTravailCents: number;
    readonly employerBeforeReliefCents: number;
    readonly deductionCents: number;
    readonly exemptionCents: number;
    readonly exemptionCapCents: number | null;
    readonly employerContributionsCents: number;
    readonly totalCostCents: number;
  };
}

const cases: readonly Case[] = [
  {
    // Hand-worked: net 40 × 12.00 = 480.00; gross 480 / 0.7811975 = 614.44; employee 134.44;
    // employer lines 279.62 incl. CST capped 5.00 (2.70 % = 16.59); deduction 40 × 2 = 80.00
    // (≤ maladie 79.88 + vieillesse 52.53 + 12.96 + AF 32.26 = 177.63); employer 199.62; cost 480 + 134.44 + 199.62 = 814.06.
    name: '65-year-old employer, no exemption: 40 h at 12.00 € net, monthly leave method, October 2026 (2 €/h deduction)',
    period: '2026-10',
    employer: none,
    worker: { hours: 40, netHourlyCents: 1200 },
    expected: {
      declaredNetHourlyCents: 1200,
      netCents: 48_000,
      grossCents: 61_444,
      employeeContributionsCents: 13_444,
      santeAuTravailCents: 500,
      employerBeforeReliefCents: 27_962,
      deductionCents: 8_000,
      exemptionCents: 0,
      exemptionCapCents: null,
      employerContributionsCents: 19_962,
      totalCostCents: 81_406,
    },
  },
  {
    // Hand-worked: 11.00 € +10 % = 12.10 €; net 30 × 12.10 = 363.00; gross 363 / 0.7811975 = 464.67;
    // employee 101.67; employer 212.67 incl. CST 5.00; exemption (70+) of maladie 60.41 + vieillesse
    // 39.73 + 9.80 + AF 24.40 = 134.34, under its cap 65 × 12.31 = 800.15 × 28.91 % = 231.32;
    // no deduction with an exemption; employer 78.33; cost 363 + 101.67 + 78.33 = 543.00.
    name: '78-year-old employer (70+ exemption), one worker +10 %: 30 h at 11.00 € net, October 2026',
    period: '2026-10',
    employer: aged70,
    worker: { hours: 30, netHourlyCents: 1100, paidLeave: 'plus-10' },
    expected: {
      declaredNetHourlyCents: 1210,
      netCents: 36_300,
      grossCents: 46_467,
      employeeContributionsCents: 10_167,
      santeAuTravailCents: 500,
      employerBeforeReliefCents: 21_267,
      deductionCents: 0,
      exemptionCents: 13_434,
      exemptionCapCents: 23_132,
      employerContributionsCents: 7_833,
      totalCostCents: 54_300,
    },
  },
  {
    // The +10 % example of particulier-employeur-zen (12 € → 13.20 €) for a worker under 32 h:
    // net 10 × 13.20 = 132.00; gross 132 / 0.7811975 = 168.97; employee 36.97; CST 2.70 % = 4.56 (under
    // its cap); employer 80.11 before relief; deduction 10 × 2 = 20.00; employer 60.11; cost 229.08. March 2026 (SMIC 12.02).
    name: 'worker under 32 h with +10 %: 10 h at 12.00 € net (13.20 € declared), March 2026, no exemption',
    period: '2026-03',
    employer: none,
    worker: { hours: 10, netHourlyCents: 1200, paidLeave: 'plus-10' },
    expected: {
      declaredNetHourlyCents: 1320,
      netCents: 13_200,
      grossCents: 16_897,
      employeeContributionsCents: 3_697,
      santeAuTravailCents: 456,
      employerBeforeReliefCents: 8_011,
      deductionCents: 2_000,
      exemptionCents: 0,
      exemptionCapCents: null,
      employerContributionsCents: 6_011,
      totalCostCents: 22_908,
    },
  },
  {
    // 70+ cap reached: net 150 × 12.00 = 1 800.00; gross 2 304.15; the relieved lines 666.13 exceed the
    // cap 231.32, so the exemption is 231.32; employer 1 034.87 − 231.32 = 803.55. Employee lines add to
    // 504.16, one cent more than gross − net (each line rounded on its own, as a payslip does).
    name: '70+ employer, cap reached: 150 h at 12.00 € net, October 2026',
    period: '2026-10',
    employer: aged70,
    worker: { hours: 150, netHourlyCents: 1200 },
    expected: {
      declaredNetHourlyCents: 1200,
      netCents: 180_000,
      grossCents: 230_415,
      employeeContributionsCents: 50_416,
      santeAuTravailCents: 500,
      employerBeforeReliefCents: 103_487,
      deductionCents: 0,
      exemptionCents: 23_132,
      exemptionCapCents: 23_132,
      employerContributionsCents: 80_355,
      totalCostCents: 310_771,
    },
  },
  {
    // APA/PCH/disability: the same lines exempted without cap: 666.13; employer 1 034.87 − 666.13 = 368.74.
    name: 'APA-PCH exemption, no cap: 150 h at 12.00 € net, October 2026',
    period: '2026-10',
    employer: apa,
    worker: { hours: 150, netHourlyCents: 1200 },
    expected: {
      declaredNetHourlyCents: 1200,
      netCents: 180_000,
      grossCents: 230_415,
      employeeContributionsCents: 50_416,
      santeAuTravailCents: 500,
      employerBeforeReliefCents: 103_487,
      deductionCents: 0,
      exemptionCents: 66_613,
      exemptionCapCents: null,
      employerContributionsCents: 36_874,
      totalCostCents: 267_290,
    },
  },
  {
    // Alsace-Moselle: employee rate 23.18025 % (LEGAL-FR §9.1: gross = net / 0.7682); net 20 × 13.20 = 264.00 → gross 343.66.
    name: 'Alsace-Moselle, +10 %: 20 h at 12.00 € net, October 2026',
    period: '2026-10',
    employer: { exemption: { kind: 'none' }, alsaceMoselle: true },
    worker: { hours: 20, netHourlyCents: 1200, paidLeave: 'plus-10' },
    expected: {
      declaredNetHourlyCents: 1320,
      netCents: 26_400,
      grossCents: 34_366,
      employeeContributionsCents: 7_966,
      santeAuTravailCents: 500,
      employerBeforeReliefCents: 15_859,
      deductionCents: 4_000,
      exemptionCents: 0,
      exemptionCapCents: null,
      employerContributionsCents: 11_859,
      totalCostCents: 46_225,
    },
  },
];

describe('CESU declaration: worked cases', () => {
  it.each(cases)('$name', ({ period, employer, worker: w, expected }) => {
    const figures = computeDeclaration(period, employer, [worker(w)], parametersAt(`${period}-01`));
    const [one] = figures.workers;
    expect({
      declaredNetHourlyCents: one!.declaredNetHourlyCents,
      netCents: figures.netCents,
      grossCents: figures.grossCents,
      employeeContributionsCents: figures.employeeContributionsCents,
      santeAuTravailCents: one!.santeAuTravailCents,
      employerBeforeReliefCents: figures.employerContributionsBeforeReliefCents,
      deductionCents: figures.deductionCents,
      exemptionCents: figures.exemption.amountCents,
      exemptionCapCents: figures.exemption.capCents,
      employerContributionsCents: figures.employerContributionsCents,
      totalCostCents: figures.totalCostCents,
    }).toEqual(expected);
    expect(figures.urssafDebitCents).toBe(figures.employeeContributionsCents + figures.employerContributionsCents);
  });

  it('the 2026 employee rate is 21.88025 % (23.18025 % in Alsace-Moselle)', () => {
    const p = parametersAt('2026-10-01');
    expect(employeeRateUnits(p, false)).toBe(2_188_025);
    expect(employeeRateUnits(p, true)).toBe(2_318_025);
  });

  it('two workers: the deduction counts every hour; the CST is capped per worker', () => {
    const f = computeDeclaration(
      '2026-10',
      none,
      [worker({ workerId: 'a', hours: 40 }), worker({ workerId: 'b', hours: 10, paidLeave: 'plus-10' })],
      parametersAt('2026-10-01'),
    );
    expect(f.hours).toBe(50);
    expect(f.deductionCents).toBe(10_000);
    expect(f.workers.map((w) => w.santeAuTravailCents)).toEqual([500, 456]);
  });

  it('overseas (ETD 97x), the deduction is 3.70 € an hour (LEGAL-FR §1.2, lagazettedescommunes.com)', () => {
    // 40 h at 12.00 € net, October 2026: the relieved lines 177.63 € ≥ 40 × 3.70 = 148.00 €; employer 279.62 − 148.00 = 131.62 €.
    const f = computeDeclaration('2026-10', { ...none, overseas: true }, [worker({ hours: 40 })], parametersAt('2026-10-01'));
    expect(f).toMatchObject({
      deductionPerHourCents: 370,
      deductionCents: 14_800,
      employerContributionsCents: 13_162,
      totalCostCents: 74_606,
    });
  });

  it('an exemption starting after the month does not apply (the deduction does)', () => {
    const f = computeDeclaration(
      '2026-10',
      { ...aged70, exemption: { kind: 'aged-70', from: '2026-11-01' } },
      [worker({ hours: 40 })],
      parametersAt('2026-10-01'),
    );
    expect(f.exemption.amountCents).toBe(0);
    expect(f.deductionCents).toBe(8_000);
  });

  it('refuses a wage below the minimum in force for the month, naming the field', () => {
    const p = parametersAt('2026-10-01');
    // SMIC 12.31 € gross × 0.7811975 = 9.6165… → 9.62 € net at least.
    expect(minimumNetHourlyCents(p, false)).toBe(962);
    const refused = (() => {
      try {
        computeDeclaration('2026-10', none, [worker({ hours: 10, netHourlyCents: 961 })], p);
      } catch (e) {
        return e;
      }
    })();
    expect(refused).toBeInstanceOf(DeclarationRefused);
    expect((refused as DeclarationRefused).field).toBe('workers.0.netHourlyCents');
    expect(() =>
      computeDeclaration('2026-03', none, [worker({ hours: 10, netHourlyCents: 940 })], parametersAt('2026-03-01')),
    ).not.toThrow();
  });

  // The hourly SMIC of each period (décret 2023-1216: 11.65 €; 11.88 € from 1 Nov 2024; décret 2025-1228:
  // 12.02 €; 12.31 € from June 2026, unverified) × (1 − 21.88025 %), rounded up to the cent.
  it.each([
    ['2024-06-01', '1165', 911],
    ['2025-03-01', '1188', 929],
    ['2026-03-01', '1202', 939],
    ['2026-10-01', '1231', 962],
  ])('the minimum net hourly wage on %s: SMIC %s cents gross → %i cents net', (day, smic, minimum) => {
    const p = parametersAt(day);
    expect(p.amounts.smicHourlyCents.value).toBe(smic);
    expect(minimumNetHourlyCents(p, false)).toBe(minimum);
  });

  it('warns when a worker under 32 h is on the monthly method', () => {
    expect(computeDeclaration('2026-10', none, [worker({ hours: 12 })], parametersAt('2026-10-01')).warnings).toHaveLength(1);
  });
});

describe('CESU hours', () => {
  const field = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      return (e as DeclarationRefused).field;
    }
    return undefined;
  };
  it('refuses more than 48 h in one week of days, naming the day', () => {
    const days = ['2026-10-05', '2026-10-06', '2026-10-07', '2026-10-08', '2026-10-09'].map((date) => ({ date, hours: 10 }));
    expect(monthHours({ days: days.slice(0, 4) }, '2026-10', '2026-11-30', 'workers.0')).toBe(40);
    expect(field(() => monthHours({ days }, '2026-10', '2026-11-30', 'workers.0'))).toBe('workers.0.days.4.hours');
  });
  it('a week across two months counts the days declared in the other month', () => {
    // Monday 28 September – Sunday 4 October 2026: 30 h in September, then 2 × 10 h in October = 50 h.
    const september = ['2026-09-28', '2026-09-29', '2026-09-30'].map((date) => ({ date, hours: 10 }));
    const october = { days: ['2026-10-01', '2026-10-02'].map((date) => ({ date, hours: 10 })) };
    expect(monthHours(october, '2026-10', '2026-11-30', 'workers.0')).toBe(20);
    expect(field(() => monthHours(october, '2026-10', '2026-11-30', 'workers.0', september))).toBe('workers.0.days.1.hours');
    // Days of the month itself among the neighbours (a re-preparation) are not counted twice.
    expect(monthHours(october, '2026-10', '2026-11-30', 'workers.0', [...september.slice(1), ...october.days])).toBe(20);
  });
  it('refuses a monthly total over 48 h a week on average, a day outside the month or in the future', () => {
    expect(monthHours({ hours: 212 }, '2026-10', '2026-11-30', 'workers.0')).toBe(212);
    expect(field(() => monthHours({ hours: 213 }, '2026-10', '2026-11-30', 'workers.0'))).toBe('workers.0.hours');
    expect(field(() => monthHours({ days: [{ date: '2026-09-30', hours: 2 }] }, '2026-10', '2026-11-30', 'workers.1'))).toBe(
      'workers.1.days.0.date',
    );
    expect(field(() => monthHours({ days: [{ date: '2026-11-29', hours: 2 }] }, '2026-11', '2026-11-28', 'workers.0'))).toBe(
      'workers.0.days.0.date',
    );
  });
  it('the deadline is the configured day of the next month', () => {
    expect(deadlineOf('2026-12', 5)).toBe('2027-01-05');
    expect(deadlineOf('2026-10', 15)).toBe('2026-11-15');
  });
});

describe('CESU parameter table', () => {
  it('every parameter has versions that follow each other without gap or overlap, each with a source', () => {
    for (const name of [...rateNames, ...amountNames]) {
      const versions = cesuParameters.filter((p) => p.name === name).sort((a, b) => a.from.localeCompare(b.from));
      expect(versions.length, name).toBeGreaterThan(0);
      expect(versions[0]!.from, name).toBe('2024-04-01');
      expect(versions.at(-1)!.to, name).toBeNull();
      for (const [i, v] of versions.entries()) {
        expect(v.source.length, name).toBeGreaterThan(10);
        const next = versions[i + 1];
        if (next) {
          const dayAfter = new Date(Date.parse(`${v.to}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
          expect(next.from, name).toBe(dayAfter);
        }
      }
    }
  });
  it('only what urssaf.fr publishes is verified; every later change found elsewhere is not', () => {
    const verified = cesuParameters.filter((p) => p.verified);
    expect(verified.length).toBeGreaterThan(0);
    for (const p of verified) expect(p.source, `${p.name} from ${p.from}`).toMatch(/urssaf\.fr/);
    for (const p of cesuParameters.filter((x) => x.from > '2024-04-01')) expect(p.verified, `${p.name} from ${p.from}`).toBe(false);
  });

  it('a version names its latest change and says whether every value is verified', () => {
    expect(parametersAt('2026-10-01').version).toBe('cesu-2026-06-01');
    expect(parametersAt('2026-03-01').version).toBe('cesu-2026-01-01');
    expect(parametersAt('2026-10-01').verified).toBe(false);
    expect(() => parametersAt('2023-12-31')).toThrow(/no CESU parameter/);
  });
});
