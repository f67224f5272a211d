/**
 * functions/payroll/engine.ts: payslips computed by modele-social, cross-checked against the figures
 * of LEGAL-FR §2 and §9.3 and against one month computed here, independently, from published rates.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import rules from 'modele-social';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  computePayslip,
  isPayrollComputationError,
  MODELE_SOCIAL_VERSION,
  PayrollComputationError,
  type PayslipComputation,
  type PayslipRequest,
  PUBLICODES_VERSION,
  warmPayrollEngine,
} from '../../functions/payroll/engine.ts';
import { neutralWithholdingGrid, neutralWithholdingRate } from '../../functions/payroll/rates.ts';
import { ValidationError } from '../../functions/shared/errors.ts';

const FULL_TIME = 151.67;
const gross = (period: string, grossMonthlyCents: number, extra: Partial<PayslipRequest> = {}) =>
  computePayslip({ period, salary: { grossMonthlyCents }, hoursPerMonth: FULL_TIME, ...extra });
const budget = (period: string, maxEmployerCostCents: number, extra: Partial<PayslipRequest> = {}) =>
  computePayslip({ period, salary: { maxEmployerCostCents }, hoursPerMonth: FULL_TIME, ...extra });
const line = (p: PayslipComputation, key: string) => p.groups.flatMap((g) => g.lines).find((l) => l.key === key);

beforeAll(() => warmPayrollEngine(), 30_000);

describe('the figures of LEGAL-FR §2 and §9.3', () => {
  it('2 500 € gross at the default date of modele-social 11.1.0 (July 2026): net 1 957.05, cost 3 132.65, RGDU −459.75', async () => {
    const p = await gross('2026-07', 250_000);
    expect(p.netBeforeTaxCents).toBe(195_705);
    expect(p.employerCostCents).toBe(313_265);
    expect(p.exemptions).toEqual([expect.objectContaining({ key: 'rgdu', employerCents: 45_975, employeeCents: 0 })]);
  });

  it('the SMIC of January 2026 (1 823.07 € gross): net before tax 1 421.20, employer contributions after RGDU 76.26 within a cent', async () => {
    const p = await gross('2026-01', 182_307);
    expect(p.netBeforeTaxCents).toBe(142_120);
    // LEGAL-FR reads modele-social's unrounded total (76.26); the payslip adds its rounded lines.
    expect(Math.abs(p.employerContributionsCents - 7_626)).toBeLessThanOrEqual(1);
  });

  it('a 2 500 € employer-cost budget (January 2026): net 1 666.16, and the highest gross whose cost fits', async () => {
    const p = await budget('2026-01', 250_000);
    expect(p.netBeforeTaxCents).toBe(166_616);
    expect(p.employerCostCents).toBeLessThanOrEqual(250_000);
    // modele-social's inversion gives 2 132.528…; at 2 132.52 and 2 132.53 the RGDU coefficient (4
    // decimals) steps down and the cost is 2 500.04–2 500.05 €, over the budget: the payslip takes
    // 2 132.51 € (cost 2 499.82 €), never more than the account can pay.
    expect(p.grossCents).toBe(213_251);
    expect(Math.abs(p.grossCents - 213_253)).toBeLessThanOrEqual(2);
    const oneCentMore = await gross('2026-01', p.grossCents + 1);
    expect(oneCentMore.employerCostCents).toBeGreaterThan(250_000);
  });
});

describe('one month computed independently from the published rates (January 2026, 2 500 € gross)', () => {
  // The situation: full time, non-cadre, metropolitan France, a CAE of 30 employees (20 to 49),
  // an AT/MP rate of 1.50 % notified to the establishment, a health cover of 40 €/month paid half by
  // the employer (modele-social's default, a contract term, not a published rate).
  const request = {
    employer: { headcount: 30, atmpRatePercent: 1.5, healthCoverMonthlyCents: 4_000, healthCoverEmployerSharePercent: 50 },
  };
  const G = 2_500;
  const PSS = 4_005; // plafond de la sécurité sociale 2026, monthly (LEGAL-FR §1.3)
  const SMIC = 12.02 * 151.67; // décret 2025-1228: 12.02 €/h on 1 January 2026 (LEGAL-FR §1.3)
  const cents = (euros: number) => Math.round(Number((euros * 100).toFixed(6)));
  const healthEmployer = 20; // half of 40 €
  const csgBase = 0.9825 * G + healthEmployer; // CSS L136-1-1: 98.25 % of pay up to 4 PSS, plus the employer's health cover

  // RGDU (CSS L241-13, D241-7 as amended for 2026; urssaf.fr « Réduction générale dégressive unique »):
  // C = Tmin + Tdelta × [½ × (3 × SMIC / pay − 1)]^1.75, rounded to 4 decimals; Tmin 0.0200 and
  // Tdelta 0.3781 for an employer under 50 employees (FNAL 0.10 %).
  const coefficient = Number((0.02 + 0.3781 * (0.5 * ((3 * SMIC) / G - 1)) ** 1.75).toFixed(4));

  const expected: Record<string, { employee: number; employer: number }> = {
    // urssaf.fr « Maladie-maternité-invalidité-décès »: 13 % employer (the 7 % reduced rate ended 1 Jan 2026 outside Lodeom)
    maladie: { employee: 0, employer: cents(G * 0.13) },
    // the contract's health cover (not a rate): 20 € employee, 20 € employer
    'complementaire-sante': { employee: 2_000, employer: 2_000 },
    // the establishment's notified AT/MP rate, 1.50 %
    atmp: { employee: 0, employer: cents(G * 0.015) },
    // urssaf.fr « Assurance vieillesse »: 6.90 % / 8.55 % up to the PSS
    'vieillesse-plafonnee': { employee: cents(Math.min(G, PSS) * 0.069), employer: cents(Math.min(G, PSS) * 0.0855) },
    // 0.40 % employee; 2.11 % employer from 1 January 2026 (décret 2025-1446, LEGAL-FR §9.1)
    'vieillesse-deplafonnee': { employee: cents(G * 0.004), employer: cents(G * 0.0211) },
    // agirc-arrco.fr: tranche 1 retirement 3.15 % / 4.72 %, CEG 0.86 % / 1.29 %
    'complementaire-t1': { employee: cents(Math.min(G, PSS) * (0.0315 + 0.0086)), employer: cents(Math.min(G, PSS) * (0.0472 + 0.0129)) },
    // urssaf.fr « Allocations familiales »: 5.25 % (the 3.45 % reduced rate ended 1 Jan 2026 outside Lodeom)
    famille: { employee: 0, employer: cents(G * 0.0525) },
    // Unédic: unemployment 4.00 % since 1 May 2025; AGS 0.25 % since 1 July 2024; up to 4 PSS
    chomage: { employee: 0, employer: cents(Math.min(G, 4 * PSS) * (0.04 + 0.0025)) },
    // urssaf.fr: FNAL 0.10 % (under 50, up to the PSS), CSA 0.30 %, vocational training 1 % (11 and more),
    // apprenticeship tax 0.68 %, social dialogue 0.016 %; forfait social 8 % on the employer's
    // health-cover share (11 employees and more)
    'autres-employeur': { employee: 0, employer: cents(G * (0.001 + 0.003 + 0.01 + 0.0068 + 0.00016) + healthEmployer * 0.08) },
    // urssaf.fr « CSG-CRDS »: CSG 6.80 % deductible; CSG 2.40 % + CRDS 0.50 % non-deductible
    'csg-deductible': { employee: cents(csgBase * 0.068), employer: 0 },
    'csg-crds-non-deductible': { employee: cents(csgBase * 0.029), employer: 0 },
  };

  it('every line within a cent, and nothing else on the payslip', async () => {
    const p = await gross('2026-01', 250_000, request);
    const lines = p.groups.flatMap((g) => g.lines);
    expect(lines.map((l) => l.key).sort()).toEqual(Object.keys(expected).sort());
    for (const l of lines) {
      const want = expected[l.key]!;
      expect(Math.abs(l.employeeCents - want.employee), `${l.key} employee`).toBeLessThanOrEqual(1);
      expect(Math.abs(l.employerCents - want.employer), `${l.key} employer`).toBeLessThanOrEqual(1);
    }
    expect(coefficient).toBe(0.1719);
    expect(p.exemptions).toEqual([expect.objectContaining({ key: 'rgdu', employerCents: cents(G * coefficient) })]);
  });

  it('the totals: net, employer cost, net taxable, withholding by the neutral grid of 2026', async () => {
    const p = await gross('2026-01', 250_000, request);
    const sum = (part: 'employee' | 'employer') => Object.values(expected).reduce((s, v) => s + v[part], 0);
    const net = 250_000 - sum('employee');
    expect(net).toBe(195_705);
    expect(Math.abs(p.netBeforeTaxCents - net)).toBeLessThanOrEqual(1);
    const cost = 250_000 + sum('employer') - cents(G * coefficient);
    expect(cost).toBe(316_100);
    expect(Math.abs(p.employerCostCents - cost)).toBeLessThanOrEqual(1);
    // net taxable = net + non-deductible CSG/CRDS + the employer's health-cover share (CGI art. 83)
    const taxable = net + expected['csg-crds-non-deductible']!.employee + 2_000;
    expect(Math.abs(p.netTaxableCents - taxable)).toBeLessThanOrEqual(1);
    // BOI-BAREME-000037, 2026 grid: 2 048.87 € is in « 1 928 € to less than 2 060 € » → 2.9 %
    expect(p.withholding).toEqual({
      baseCents: p.netTaxableCents,
      rate: 2.9,
      source: 'neutral-grid',
      date: '2026-01-01',
      amountCents: 5_942,
    });
    expect(p.netPaidCents).toBe(p.netBeforeTaxCents - 5_942);
    // « montant net social »: gross − employee contributions (boss.gouv.fr), here equal to the net
    expect(p.netSocialCents).toBe(p.netBeforeTaxCents);
  });
});

describe('the payslip adds up', () => {
  it.each([
    ['SMIC full time', '2026-01', 182_307, {}],
    ['2 500 €', '2026-07', 250_000, {}],
    ['above the PSS (tranche 2, CET)', '2026-03', 650_000, {}],
    ['above 4 PSS (unemployment capped)', '2026-03', 2_000_000, {}],
    ['part time, ES.Fo 94.5 h', '2026-11', 187_529, { hoursPerMonth: 94.5 }],
    ['part time, ES.TC.Dép 30 h/week', '2026-11', 160_000, { hoursPerMonth: 135, partTimeHoursPerWeek: 30 }],
    [
      'with expenses reimbursed and a DGFiP rate',
      '2026-10',
      210_000,
      { expenseReimbursementCents: 4_550, withholdingRate: { rate: 7.5, source: 'dgfip', date: '2026-09-01' } },
    ],
  ] as const)('%s', async (_name, period, grossCents, extra) => {
    const p = await gross(period, grossCents, extra as Partial<PayslipRequest>);
    const lines = p.groups.flatMap((g) => g.lines);
    for (const g of p.groups) {
      expect(g.employeeCents).toBe(g.lines.reduce((s, l) => s + l.employeeCents, 0));
      expect(g.employerCents).toBe(g.lines.reduce((s, l) => s + l.employerCents, 0));
      expect(g.lines.every((l) => l.risk === g.risk)).toBe(true);
    }
    const exemptEmployer = p.exemptions.reduce((s, x) => s + x.employerCents, 0);
    expect(p.employeeContributionsCents).toBe(lines.reduce((s, l) => s + l.employeeCents, 0));
    expect(p.employerContributionsCents).toBe(lines.reduce((s, l) => s + l.employerCents, 0) - exemptEmployer);
    expect(p.netBeforeTaxCents).toBe(p.grossCents - p.employeeContributionsCents);
    expect(p.employerCostCents).toBe(p.grossCents + p.employerContributionsCents);
    expect(p.netPaidCents).toBe(p.netBeforeTaxCents - p.withholding.amountCents + p.expenseReimbursementCents);
    expect(p.withholding.baseCents).toBe(p.netTaxableCents);
    expect(p.modeleSocialVersion).toBe('11.1.0');
    for (const l of lines) {
      if (l.baseCents !== null && l.employeeRate !== null) {
        expect(Math.abs((l.baseCents * l.employeeRate) / 100 - l.employeeCents), l.key).toBeLessThanOrEqual(1);
      }
    }
  });

  it('above the PSS, splits the retirement brackets and caps the capped lines', async () => {
    const p = await gross('2026-03', 650_000);
    expect(line(p, 'vieillesse-plafonnee')?.baseCents).toBe(400_500);
    expect(line(p, 'complementaire-t1')?.baseCents).toBe(400_500);
    expect(line(p, 'complementaire-t2')).toMatchObject({ baseCents: 249_500, employeeRate: 9.72, employerRate: 14.57 }); // 8.64 + 1.08, 12.95 + 1.62
    expect(line(p, 'cet')).toMatchObject({ baseCents: 650_000, employeeRate: 0.14, employerRate: 0.21 });
    expect(p.exemptions).toEqual([]); // above 3 SMIC, no RGDU
  });

  it('a DGFiP rate is applied to the net taxable, half-up to the cent', async () => {
    const p = await gross('2026-10', 210_000, { withholdingRate: { rate: 7.5, source: 'dgfip', date: '2026-09-01' } });
    expect(p.withholding).toMatchObject({ rate: 7.5, source: 'dgfip', date: '2026-09-01' });
    expect(p.withholding.amountCents).toBe(Math.round(p.netTaxableCents * 0.075));
  });

  it('derives part time from the declared hours (ES.Fo: 94.5 h a month → 21.81 h a week)', async () => {
    const p = await gross('2026-11', 187_529, { hoursPerMonth: 94.5 });
    expect(p).toMatchObject({ hoursPerMonth: 94.5, partTimeHoursPerWeek: 21.81, contractHoursPerMonth: 94.51 });
    const full = await gross('2026-11', 187_529);
    expect(full.partTimeHoursPerWeek).toBeNull();
    // the RGDU's SMIC is prorated: part time at the same pay gets less reduction
    expect(p.exemptionsCents).toBeLessThan(full.exemptionsCents);
  });
});

describe('the maximum the account allows (inversion of « salarié . coût total employeur »)', () => {
  it.each([
    ['2026-01', 250_000],
    ['2026-07', 250_000],
    ['2026-11', 400_000],
    ['2026-11', 1_000_000],
  ])('%s, budget %i: cost within the budget, one cent more of gross is over it', async (period, max) => {
    const p = await budget(period, max);
    expect(p.employerCostCents).toBeLessThanOrEqual(max);
    expect(max - p.employerCostCents).toBeLessThan(100);
    expect((await gross(period, p.grossCents + 1)).employerCostCents).toBeGreaterThan(max);
  });
});

describe('refusals', () => {
  it.each([
    ['a bad period', { period: '2026-13' }, 'period'],
    ['a fractional gross', { salary: { grossMonthlyCents: 2_500.5 } }, 'grossMonthlyCents'],
    ['a zero gross', { salary: { grossMonthlyCents: 0 } }, 'grossMonthlyCents'],
    ['a negative budget', { salary: { maxEmployerCostCents: -1 } }, 'maxEmployerCostCents'],
    ['no hours', { hoursPerMonth: 0 }, 'hoursPerMonth'],
    ['a part time of 35 h', { partTimeHoursPerWeek: 35 }, 'partTimeHoursPerWeek'],
    ['a rate with 3 decimals', { withholdingRate: { rate: 7.555, source: 'dgfip', date: '2026-01-01' } }, 'withholdingRate.rate'],
    ['a rate without a date', { withholdingRate: { rate: 7.5, source: 'dgfip', date: '2026-02-30' } }, 'withholdingRate.date'],
    ['negative expenses', { expenseReimbursementCents: -1 }, 'expenseReimbursementCents'],
    ['a health cover paid under 50 %', { employer: { healthCoverEmployerSharePercent: 40 } }, 'employer.healthCoverEmployerSharePercent'],
  ] as const)('%s → 400 naming %s', async (_name, change, field) => {
    const request = { period: '2026-01', salary: { grossMonthlyCents: 250_000 }, hoursPerMonth: FULL_TIME, ...change } as PayslipRequest;
    const error = await computePayslip(request).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).status).toBe(400);
    expect((error as ValidationError).errors[0]?.path).toBe(field);
  });

  it.each([
    ['a month whose rates modele-social 11.1.0 does not carry', { period: '2027-01' }, 'rates-unknown'],
    ['a budget no salary fits (the health cover alone costs more)', { salary: { maxEmployerCostCents: 100 } }, 'not-converging'],
    ['a budget beyond what the inversion reaches', { salary: { maxEmployerCostCents: 10_000_000_000_000 } }, 'not-converging'],
  ] as const)('%s → 422 %s, never a payslip', async (_name, change, reason) => {
    const request = { period: '2026-01', salary: { grossMonthlyCents: 250_000 }, hoursPerMonth: FULL_TIME, ...change } as PayslipRequest;
    const error = await computePayslip(request).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PayrollComputationError);
    expect(isPayrollComputationError(error)).toBe(true);
    expect(error).toMatchObject({ status: 422, slug: 'payroll-computation', reason, extensions: { reason } });
  });
});

describe('the Engine is built lazily', () => {
  it('importing engine.ts loads neither modele-social nor publicodes; the first computation does', () => {
    // A fresh Node 24 process records every module it resolves.
    const script = `
      import { registerHooks } from 'node:module';
      const seen = [];
      registerHooks({ resolve(s, c, next) { const r = next(s, c); seen.push(r.url); return r; } });
      const engine = await import('./functions/payroll/engine.ts');
      const rules = () => seen.filter((u) => /modele-social|publicodes/.test(u)).length;
      const atImport = rules();
      await engine.computePayslip({ period: '2026-01', salary: { grossMonthlyCents: 250000 }, hoursPerMonth: 151.67 });
      console.log(JSON.stringify({ atImport, afterCompute: rules() }));`;
    const out = execFileSync('node_modules/.bin/node', ['--input-type=module', '-e', script], { encoding: 'utf8' });
    const { atImport, afterCompute } = JSON.parse(out.trim().split('\n').at(-1)!);
    expect(atImport).toBe(0);
    expect(afterCompute).toBeGreaterThan(0);
  }, 30_000);
});

describe('versions and rate tables', () => {
  it('names the versions actually installed', () => {
    const version = (name: string) => JSON.parse(readFileSync(`node_modules/${name}/package.json`, 'utf8')).version;
    expect(version('modele-social')).toBe(MODELE_SOCIAL_VERSION);
    expect(version('publicodes')).toBe(PUBLICODES_VERSION);
  });

  it('the neutral grid equals the one modele-social carries, version by version', () => {
    type Tranche = { plafond?: string; montant: string };
    const rule = (rules as Record<string, unknown>)["impôt . taux neutre d'impôt sur le revenu"] as {
      variations: { si?: string; alors?: { grille: { tranches: Tranche[] } } }[];
    };
    for (const version of neutralWithholdingGrid) {
      const [y, m, d] = version.from.split('-');
      const variation = rule.variations.find((v) => v.si === `date >= ${d}/${m}/${y}`);
      expect(variation, version.from).toBeDefined();
      const theirs = variation!.alors!.grille.tranches.map((t) => [
        t.plafond === undefined ? null : Number.parseInt(t.plafond, 10),
        Math.round(Number.parseFloat(t.montant) * 100),
      ]);
      expect(version.brackets.map((b) => [b.belowEuros, b.basisPoints])).toEqual(theirs);
      expect(version.verified).toBe(false);
    }
  });

  it.each([
    ['2026-01', 163_499, 0],
    ['2026-01', 163_500, 50], // « 1 635 € to less than 1 698 € »
    ['2026-01', 204_887, 290],
    ['2026-01', 6_000_000, 4_300],
    ['2025-06', 163_500, 50],
    ['2025-04', 163_500, 50], // the 2024 grid: 1 591 € to less than 1 653 €
    ['2025-04', 165_300, 130],
  ])('neutral rate %s on %i cents → %i bp', (period, base, bp) => {
    expect(neutralWithholdingRate(period, base)?.basisPoints).toBe(bp);
  });
  it('has no neutral grid before 2024', () => {
    expect(neutralWithholdingRate('2023-12', 100_000)).toBeUndefined();
  });
});
