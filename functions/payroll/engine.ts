/**
 * The monthly payslip of an entrepreneur-salarié, computed by modele-social.
 *
 * Why modele-social + publicodes (pinned: modele-social 11.1.0, publicodes 1.10.3): they are URSSAF's
 * own rules, the ones behind mon-entreprise.urssaf.fr, maintained by URSSAF/beta.gouv with their legal
 * references and dated rates (PSS, SMIC, RGDU…). An entrepreneur-salarié of a CAE is an employee of
 * the general scheme (C. trav. L7331-2, L7332-3), so the `salarié` rules apply as they are. We do not
 * re-implement French payroll; we read its results, lay them out as a payslip, and refuse to print a
 * payslip whose figures do not add up (PayrollComputationError → 422).
 *
 * The Engine (0.4–1.6 s to build) is built lazily on the first computation, once per container, and
 * its modules are imported dynamically: importing this file (or the context's door) costs nothing.
 *
 * Rounding: modele-social works in unrounded euros. Each part (employee / employer) of each payslip
 * line is rounded half-up to the cent; every total of the payslip is the sum of its rounded lines, so
 * the printed payslip adds up. modele-social's own totals must agree within a cent per line, or the
 * computation is refused.
 */
import type Engine from 'publicodes';
import { HttpError, ValidationError, failure } from '../shared/errors.ts';
import { isDay, isPeriod, roundHalfUp } from './domain/activity-account.ts';
import { neutralWithholdingRate } from './rates.ts';

export const MODELE_SOCIAL_VERSION = '11.1.0';
export const PUBLICODES_VERSION = '1.10.3';
/** The months whose rates modele-social 11.1.0 carries; beyond, a newer version is needed. */
export const RATES_COVER = { from: '2024-01', to: '2026-12' } as const;

export type PayrollFailureReason = 'not-converging' | 'inconsistent' | 'rates-unknown';

/** The computation cannot give a payslip we would sign: answered 422, never a wrong payslip. */
export class PayrollComputationError extends failure(422, 'Payroll computation failed', 'payroll-computation') {
  readonly reason: PayrollFailureReason;
  constructor(reason: PayrollFailureReason, detail: string, field?: string) {
    super(detail);
    this.reason = reason;
    Object.assign(this.extensions, field === undefined ? { reason } : { reason, field });
  }
}
export const isPayrollComputationError = (error: unknown): error is PayrollComputationError =>
  error instanceof HttpError && error instanceof PayrollComputationError;

export type Risk = 'santé' | 'accidents du travail' | 'retraite' | 'famille' | 'chômage' | 'autres' | 'CSG/CRDS';
export const risks: readonly Risk[] = ['santé', 'accidents du travail', 'retraite', 'famille', 'chômage', 'autres', 'CSG/CRDS'];

export interface ContributionLine {
  readonly key: string;
  /** The simplified payslip's wording (arrêté du 25 février 2016). */
  readonly label: string;
  readonly risk: Risk;
  /** `null` for a flat amount (no base). */
  readonly baseCents: number | null;
  /** Percent, 4 decimals at most; `null` when that part is not due. */
  readonly employeeRate: number | null;
  readonly employeeCents: number;
  readonly employerRate: number | null;
  readonly employerCents: number;
}

export interface RiskGroup {
  readonly risk: Risk;
  readonly lines: readonly ContributionLine[];
  readonly employeeCents: number;
  readonly employerCents: number;
}

export interface ExemptionLine {
  readonly key: string;
  readonly label: string;
  /** Positive amount deducted from the employer's contributions. */
  readonly employerCents: number;
  /** Positive amount deducted from the employee's contributions. */
  readonly employeeCents: number;
}

export interface WithholdingRate {
  /** Percent, at most 2 decimals (e.g. 7.5). */
  readonly rate: number;
  readonly source: 'dgfip' | 'neutral-grid';
  /** When the rate was received (DGFiP) or the grid version's first day, `YYYY-MM-DD`. */
  readonly date: string;
}

export interface PayslipRequest {
  readonly period: string;
  readonly salary: { readonly grossMonthlyCents: number } | { readonly maxEmployerCostCents: number };
  /** The hours declared for the month (printed on the payslip; default contract time when no part-time hours are given). */
  readonly hoursPerMonth: number;
  /** Contractual weekly hours of a part-time contract; absent: derived from `hoursPerMonth` (≥ 151.67 h = full time). */
  readonly partTimeHoursPerWeek?: number;
  /** The rate sent by the tax administration; absent (or `neutral-grid`): the neutral grid of the month. */
  readonly withholdingRate?: WithholdingRate;
  /** Validated expenses reimbursed with this pay: non-taxable, added to the net paid. */
  readonly expenseReimbursementCents?: number;
  /** What the CAE knows of itself; each absent item takes modele-social's default (shown in brackets). */
  readonly employer?: EmployerSituation;
}

export interface EmployerSituation {
  /** The CAE's headcount (fewer than 5): FNAL, vocational training and the RGDU depend on it. */
  readonly headcount?: number;
  /** The establishment's AT/MP rate in percent, as notified by the CARSAT (the national average rate). */
  readonly atmpRatePercent?: number;
  /** Monthly cost of the compulsory health cover, employee + employer (40 €). */
  readonly healthCoverMonthlyCents?: number;
  /** The employer's share of it in percent, at least 50 (50 %). */
  readonly healthCoverEmployerSharePercent?: number;
}

export interface Withholding {
  readonly baseCents: number;
  readonly rate: number;
  readonly source: 'dgfip' | 'neutral-grid';
  readonly date: string;
  readonly amountCents: number;
}

export interface PayslipComputation {
  readonly period: string;
  /** The `date` of the modele-social situation (the rates of that month), `YYYY-MM-DD`. */
  readonly situationDate: string;
  readonly modeleSocialVersion: string;
  readonly publicodesVersion: string;
  readonly hoursPerMonth: number;
  /** Contract hours per month as modele-social reads them (151.67 full time). */
  readonly contractHoursPerMonth: number;
  /** Weekly hours of a part-time contract, `null` full time. */
  readonly partTimeHoursPerWeek: number | null;
  readonly grossCents: number;
  readonly groups: readonly RiskGroup[];
  readonly exemptions: readonly ExemptionLine[];
  /** Employee contributions, after employee exemptions. */
  readonly employeeContributionsCents: number;
  /** Employer contributions, after employer exemptions. */
  readonly employerContributionsCents: number;
  readonly exemptionsCents: number;
  readonly netBeforeTaxCents: number;
  readonly netTaxableCents: number;
  readonly netSocialCents: number;
  readonly withholding: Withholding;
  readonly expenseReimbursementCents: number;
  readonly netPaidCents: number;
  readonly employerCostCents: number;
}

// ---------------------------------------------------------------------------------------------------
// The Engine, once per container

type RulesEngine = Engine<string>;
let building: Promise<RulesEngine> | undefined;

async function buildEngine(): Promise<RulesEngine> {
  const [{ default: rules }, { default: PublicodesEngine }] = await Promise.all([import('modele-social'), import('publicodes')]);
  // publicodes' own warnings (e.g. a part-time below 24 h/week) are advice for a form, not errors.
  const silent = { log() {}, warn() {}, error() {} };
  return new PublicodesEngine(rules as ConstructorParameters<typeof PublicodesEngine>[0], { logger: silent }) as RulesEngine;
}

function engine(): Promise<RulesEngine> {
  building ??= buildEngine().catch((error: unknown) => {
    building = undefined;
    throw error;
  });
  return building;
}

/** Builds the Engine now (a handler's init, a benchmark); `computePayslip` does it on first use. */
export async function warmPayrollEngine(): Promise<void> {
  await engine();
}

// ---------------------------------------------------------------------------------------------------
// Reading modele-social

const euros = (cents: number) => `${(cents / 100).toFixed(2)} €/mois`;
/** Unrounded euros → cents, half-up; `toFixed(6)` first removes binary noise (632.6500000000001). */
const toCents = (value: number) => Math.round(Number((value * 100).toFixed(6)));
const rateOf = (amount: number, base: number | null): number | null =>
  base === null || base === 0 || amount === 0 ? null : Number(((amount / base) * 100).toFixed(4));

interface Reader {
  /** A number, 0 when the rule is not applicable. */
  amount(rule: string): number;
  /** A number that must exist (gross, net…): no value means the computation failed. */
  required(rule: string): number;
  /** The per-bracket amounts of a barème (retirement brackets T1, T2). */
  brackets(rule: string): number[];
}

function reader(e: RulesEngine): Reader {
  const value = (rule: string) => e.evaluate(rule).nodeValue;
  return {
    amount(rule) {
      const v = value(rule);
      return typeof v === 'number' && Number.isFinite(v) ? v : 0;
    },
    required(rule) {
      const v = value(rule);
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        throw new PayrollComputationError('not-converging', `modele-social gives no value for « ${rule} »`);
      }
      return v;
    },
    brackets(rule) {
      const found = findBareme(e.evaluate(rule));
      if (!found) throw new PayrollComputationError('inconsistent', `« ${rule} » is not a barème any more`);
      return found.map((t) => (typeof t === 'number' && Number.isFinite(t) ? t : 0));
    },
  };
}

function findBareme(node: unknown, depth = 0): (number | null | undefined)[] | undefined {
  if (!node || typeof node !== 'object' || depth > 12) return undefined;
  const n = node as { nodeKind?: string; explanation?: unknown };
  if (n.nodeKind === 'barème') {
    const tranches = (n.explanation as { tranches: { nodeValue?: number | null }[] }).tranches;
    return tranches.map((t) => t.nodeValue);
  }
  const children = Array.isArray(node) ? node : n.explanation && typeof n.explanation === 'object' ? Object.values(n.explanation) : [];
  for (const child of children) {
    const found = findBareme(child, depth + 1);
    if (found) return found;
  }
  return undefined;
}

interface Bases {
  readonly assiette: number;
  readonly pss: number;
  readonly csg: number;
}

interface LineSpec {
  readonly key: string;
  readonly label: string;
  readonly risk: Risk;
  readonly base: (b: Bases) => number | null;
  readonly employee?: (r: Reader) => number;
  readonly employer?: (r: Reader) => number;
}

const C = 'salarié . cotisations';
const rule = (name: string) => (r: Reader) => r.amount(`${C} . ${name}`);
const bracket = (names: readonly string[], i: number) => (r: Reader) =>
  names.reduce((sum, name) => sum + (r.brackets(`${C} . ${name}`)[i] ?? 0), 0);

/**
 * The payslip's lines, in the order and wording of the simplified payslip (arrêté du 25 février 2016,
 * which modele-social cites for `autres employeur`). Their employee parts must add up to
 * `salarié . cotisations . salarié` and their employer parts to `salarié . cotisations . employeur`
 * (before exemptions): a rule modele-social adds one day and we do not print is refused, not lost.
 */
const catalogue: readonly LineSpec[] = [
  {
    key: 'maladie',
    label: 'Sécurité sociale – maladie, maternité, invalidité, décès',
    risk: 'santé',
    base: (b) => b.assiette,
    employee: rule('maladie . salarié'),
    employer: rule('maladie . employeur'),
  },
  {
    key: 'prevoyance',
    label: 'Complémentaire incapacité, invalidité, décès',
    risk: 'santé',
    base: (b) => b.assiette,
    employee: rule('prévoyances . incapacité invalidité décès . salarié'),
    employer: rule('prévoyances . incapacité invalidité décès . employeur'),
  },
  {
    key: 'complementaire-sante',
    label: 'Complémentaire santé',
    risk: 'santé',
    base: () => null, // a flat monthly amount
    employee: rule('prévoyances . santé . salarié'),
    employer: rule('prévoyances . santé . employeur'),
  },
  {
    key: 'atmp',
    label: 'Accidents du travail – maladies professionnelles',
    risk: 'accidents du travail',
    base: (b) => b.assiette,
    employer: rule('ATMP'),
  },
  {
    key: 'vieillesse-plafonnee',
    label: 'Sécurité sociale plafonnée',
    risk: 'retraite',
    base: (b) => Math.min(b.assiette, b.pss),
    employee: rule('vieillesse . salarié . plafonnée'),
    employer: rule('vieillesse . employeur . plafonnée'),
  },
  {
    key: 'vieillesse-deplafonnee',
    label: 'Sécurité sociale déplafonnée',
    risk: 'retraite',
    base: (b) => b.assiette,
    employee: rule('vieillesse . salarié . déplafonnée'),
    employer: rule('vieillesse . employeur . déplafonnée'),
  },
  {
    key: 'complementaire-t1',
    label: 'Retraite complémentaire tranche 1 (dont CEG)',
    risk: 'retraite',
    base: (b) => Math.min(b.assiette, b.pss),
    employee: bracket(['retraite complémentaire . salarié', 'CEG . salarié'], 0),
    employer: bracket(['retraite complémentaire . employeur', 'CEG . employeur'], 0),
  },
  {
    key: 'complementaire-t2',
    label: 'Retraite complémentaire tranche 2 (dont CEG)',
    risk: 'retraite',
    base: (b) => Math.max(0, Math.min(b.assiette, 8 * b.pss) - b.pss),
    employee: bracket(['retraite complémentaire . salarié', 'CEG . salarié'], 1),
    employer: bracket(['retraite complémentaire . employeur', 'CEG . employeur'], 1),
  },
  {
    key: 'cet',
    label: 'Contribution d’équilibre technique (CET)',
    risk: 'retraite',
    base: (b) => Math.min(b.assiette, 8 * b.pss),
    employee: rule('CET . salarié'),
    employer: rule('CET . employeur'),
  },
  {
    key: 'famille',
    label: 'Famille – allocations familiales',
    risk: 'famille',
    base: (b) => b.assiette,
    employer: rule('allocations familiales'),
  },
  {
    key: 'chomage',
    label: 'Assurance chômage (y compris AGS)',
    risk: 'chômage',
    base: (b) => Math.min(b.assiette, 4 * b.pss),
    employer: rule('assurance chômage'),
  },
  {
    key: 'apec',
    label: 'Apec',
    risk: 'chômage',
    base: (b) => Math.min(b.assiette, 4 * b.pss),
    employee: rule('APEC . salarié'),
    employer: rule('APEC . employeur'),
  },
  {
    key: 'autres-employeur',
    label: 'Autres contributions dues par l’employeur',
    risk: 'autres',
    base: (b) => b.assiette,
    employer: rule('autres employeur'),
  },
  {
    key: 'csg-deductible',
    label: 'CSG déductible de l’impôt sur le revenu',
    risk: 'CSG/CRDS',
    base: (b) => b.csg,
    employee: rule('CSG-CRDS . CSG . déductible'),
  },
  {
    key: 'csg-crds-non-deductible',
    label: 'CSG/CRDS non déductible de l’impôt sur le revenu',
    risk: 'CSG/CRDS',
    base: (b) => b.csg,
    employee: rule('CSG-CRDS . sur revenus imposables non déductible'),
  },
  {
    key: 'csg-crds-non-imposable',
    label: 'CSG/CRDS sur revenus non imposables',
    risk: 'CSG/CRDS',
    base: () => null,
    employee: rule('CSG-CRDS . sur revenus non imposables'),
  },
];

// ---------------------------------------------------------------------------------------------------
// Validating the request

function invalid(path: string, message: string): never {
  throw new ValidationError([{ path, message }]);
}

const FULL_TIME_HOURS = 151.67;
const WEEKS_PER_MONTH = 52 / 12;

function checkRequest(request: PayslipRequest): void {
  if (!isPeriod(request.period)) invalid('period', 'must be a month YYYY-MM');
  if (request.period < RATES_COVER.from || request.period > RATES_COVER.to) {
    throw new PayrollComputationError(
      'rates-unknown',
      `modele-social ${MODELE_SOCIAL_VERSION} carries the rates from ${RATES_COVER.from} to ${RATES_COVER.to}, not those of ${request.period}`,
      'period',
    );
  }
  const salary = request.salary;
  if ('grossMonthlyCents' in salary) {
    if (!Number.isSafeInteger(salary.grossMonthlyCents) || salary.grossMonthlyCents <= 0) {
      invalid('grossMonthlyCents', 'must be a positive integer number of cents');
    }
  } else if (!Number.isSafeInteger(salary.maxEmployerCostCents) || salary.maxEmployerCostCents <= 0) {
    invalid('maxEmployerCostCents', 'must be a positive integer number of cents');
  }
  if (!(Number.isFinite(request.hoursPerMonth) && request.hoursPerMonth > 0 && request.hoursPerMonth <= 400)) {
    invalid('hoursPerMonth', 'must be a number of hours above 0 and at most 400');
  }
  const weekly = request.partTimeHoursPerWeek;
  if (weekly !== undefined && !(Number.isFinite(weekly) && weekly >= 1 && weekly < 35)) {
    invalid('partTimeHoursPerWeek', 'a part-time contract has from 1 to less than 35 hours a week');
  }
  const w = request.withholdingRate;
  if (w !== undefined) {
    if (w.source !== 'dgfip' && w.source !== 'neutral-grid') invalid('withholdingRate.source', "must be 'dgfip' or 'neutral-grid'");
    if (!isDay(w.date)) invalid('withholdingRate.date', 'must be a date YYYY-MM-DD');
    const hundredths = Math.round(w.rate * 100);
    if (!(Number.isFinite(w.rate) && w.rate >= 0 && w.rate <= 100 && Math.abs(hundredths - w.rate * 100) < 1e-6)) {
      invalid('withholdingRate.rate', 'must be a percentage from 0 to 100 with at most 2 decimals');
    }
  }
  const employer = request.employer ?? {};
  if (employer.headcount !== undefined && !(Number.isSafeInteger(employer.headcount) && employer.headcount >= 1)) {
    invalid('employer.headcount', 'must be a positive whole number');
  }
  if (
    employer.atmpRatePercent !== undefined &&
    !(Number.isFinite(employer.atmpRatePercent) && employer.atmpRatePercent >= 0 && employer.atmpRatePercent < 100)
  ) {
    invalid('employer.atmpRatePercent', 'must be a percentage from 0 to less than 100');
  }
  const cover = employer.healthCoverMonthlyCents;
  if (cover !== undefined && !(Number.isSafeInteger(cover) && cover >= 0)) {
    invalid('employer.healthCoverMonthlyCents', 'must be a non-negative integer number of cents');
  }
  const share = employer.healthCoverEmployerSharePercent;
  if (share !== undefined && !(Number.isFinite(share) && share >= 50 && share <= 100)) {
    invalid('employer.healthCoverEmployerSharePercent', 'the employer pays from 50 to 100 % of the health cover');
  }
  const reimbursed = request.expenseReimbursementCents;
  if (reimbursed !== undefined && (!Number.isSafeInteger(reimbursed) || reimbursed < 0)) {
    invalid('expenseReimbursementCents', 'must be a non-negative integer number of cents');
  }
}

/** Weekly hours of the contract, or null for full time. */
function partTimeHours(request: PayslipRequest): number | null {
  if (request.partTimeHoursPerWeek !== undefined) return request.partTimeHoursPerWeek;
  if (request.hoursPerMonth >= FULL_TIME_HOURS) return null;
  return Math.max(1, Number((request.hoursPerMonth / WEEKS_PER_MONTH).toFixed(2)));
}

// ---------------------------------------------------------------------------------------------------
// Computing

type Situation = Record<string, string>;

const headcountThresholds: readonly [number, string][] = [
  [5, 'moins de 5'],
  [11, 'moins de 11'],
  [20, 'moins de 20'],
  [50, 'moins de 50'],
  [150, 'moins de 150'],
  [250, 'moins de 250'],
];

function baseSituation(request: PayslipRequest, weekly: number | null): Situation {
  const [year, month] = request.period.split('-');
  const situation: Situation = { date: `01/${month}/${year}` };
  const employer = request.employer ?? {};
  if (employer.headcount !== undefined) {
    const threshold = headcountThresholds.find(([below]) => employer.headcount! < below)?.[1] ?? 'plus de 250';
    situation['entreprise . salariés . effectif . seuil'] = `'${threshold}'`;
  }
  if (employer.atmpRatePercent !== undefined) situation['établissement . taux ATMP'] = `${employer.atmpRatePercent} %`;
  if (employer.healthCoverMonthlyCents !== undefined) {
    situation['salarié . cotisations . prévoyances . santé . montant'] = euros(employer.healthCoverMonthlyCents);
  }
  if (employer.healthCoverEmployerSharePercent !== undefined) {
    situation['salarié . cotisations . prévoyances . santé . taux employeur'] = `${employer.healthCoverEmployerSharePercent} %`;
  }
  if (weekly !== null) {
    situation['salarié . contrat . temps de travail . temps partiel'] = 'oui';
    situation['salarié . contrat . temps de travail . temps partiel . heures par semaine'] = `${weekly} heure/semaine`;
  }
  return situation;
}

interface Evaluated {
  readonly grossCents: number;
  readonly groups: RiskGroup[];
  readonly exemptions: ExemptionLine[];
  readonly employeeContributionsCents: number;
  readonly employerContributionsCents: number;
  readonly exemptionsCents: number;
  readonly netBeforeTaxCents: number;
  readonly netTaxableCents: number;
  readonly netSocialCents: number;
  readonly employerCostCents: number;
  readonly contractHoursPerMonth: number;
}

/** One forward evaluation from a gross salary, checked against modele-social's totals. */
function evaluateGross(e: RulesEngine, situation: Situation, grossCents: number): Evaluated {
  e.setSituation({ ...situation, 'salarié . contrat . salaire brut': euros(grossCents) });
  const r = reader(e);
  const bases: Bases = {
    assiette: r.required(`${C} . assiette`),
    pss: r.required('salarié . temps de travail . plafond sécurité sociale'),
    csg: r.amount(`${C} . CSG-CRDS . assiette de base`),
  };
  const gross = r.required('salarié . contrat . salaire brut');
  if (toCents(gross) !== grossCents)
    throw new PayrollComputationError('inconsistent', 'modele-social did not take the gross salary as given');

  let rawEmployee = 0;
  let rawEmployer = 0;
  const lines: ContributionLine[] = [];
  for (const spec of catalogue) {
    const employee = spec.employee?.(r) ?? 0;
    const employer = spec.employer?.(r) ?? 0;
    rawEmployee += employee;
    rawEmployer += employer;
    if (employee === 0 && employer === 0) continue;
    const base = spec.base(bases);
    lines.push({
      key: spec.key,
      label: spec.label,
      risk: spec.risk,
      baseCents: base === null ? null : toCents(base),
      employeeRate: rateOf(employee, base),
      employeeCents: toCents(employee),
      employerRate: rateOf(employer, base),
      employerCents: toCents(employer),
    });
  }

  const exemptEmployer = r.amount(`${C} . exonérations . employeur`);
  const exemptEmployee = r.amount(`${C} . exonérations . salarié`);
  const rgdu = r.amount(`${C} . exonérations . RGDU`);
  const exemptions: ExemptionLine[] = [];
  if (exemptEmployer !== 0 || exemptEmployee !== 0) {
    const isRgdu = exemptEmployee === 0 && Math.abs(exemptEmployer - rgdu) < 1e-9;
    exemptions.push({
      key: isRgdu ? 'rgdu' : 'exonerations',
      label: isRgdu
        ? 'Réduction générale dégressive unique des cotisations patronales (RGDU)'
        : 'Exonérations et allègements de cotisations',
      employerCents: toCents(exemptEmployer),
      employeeCents: toCents(exemptEmployee),
    });
  }

  // The lines must explain modele-social's totals (before rounding), or we print nothing.
  const totalEmployee = r.required(`${C} . salarié`);
  const totalEmployer = r.required(`${C} . employeur`);
  if (Math.abs(rawEmployee - exemptEmployee - totalEmployee) > 0.005 || Math.abs(rawEmployer - exemptEmployer - totalEmployer) > 0.005) {
    throw new PayrollComputationError('inconsistent', 'the payslip lines do not add up to the contributions modele-social computed');
  }

  const groups: RiskGroup[] = risks
    .map((risk) => {
      const of = lines.filter((l) => l.risk === risk);
      return {
        risk,
        lines: of,
        employeeCents: of.reduce((s, l) => s + l.employeeCents, 0),
        employerCents: of.reduce((s, l) => s + l.employerCents, 0),
      };
    })
    .filter((g) => g.lines.length > 0);
  const exemptionsEmployerCents = exemptions.reduce((s, x) => s + x.employerCents, 0);
  const exemptionsEmployeeCents = exemptions.reduce((s, x) => s + x.employeeCents, 0);
  const employeeContributionsCents = groups.reduce((s, g) => s + g.employeeCents, 0) - exemptionsEmployeeCents;
  const employerContributionsCents = groups.reduce((s, g) => s + g.employerCents, 0) - exemptionsEmployerCents;
  const netBeforeTaxCents = grossCents - employeeContributionsCents;
  const employerCostCents = grossCents + employerContributionsCents;

  // Sums of rounded lines may drift from modele-social's rounded totals by a cent per line, not more.
  const tolerance = lines.length + exemptions.length;
  const modelNet = toCents(r.required('salarié . rémunération . net . à payer avant impôt'));
  const modelCost = toCents(r.required('salarié . coût total employeur'));
  if (Math.abs(modelNet - netBeforeTaxCents) > tolerance || Math.abs(modelCost - employerCostCents) > tolerance) {
    throw new PayrollComputationError('inconsistent', 'the payslip totals do not agree with modele-social');
  }

  // Net taxable and « montant net social » follow the printed net: modele-social's differences
  // (non-deductible CSG/CRDS, the employer's health-cover share…) added to it, so the payslip agrees
  // with itself to the cent.
  const modelNetRaw = r.required('salarié . rémunération . net . à payer avant impôt');
  const netTaxableCents = netBeforeTaxCents + toCents(r.required('salarié . rémunération . net . imposable') - modelNetRaw);
  const netSocialCents = netBeforeTaxCents + toCents(r.required('salarié . rémunération . montant net social') - modelNetRaw);

  return {
    grossCents,
    groups,
    exemptions,
    employeeContributionsCents,
    employerContributionsCents,
    exemptionsCents: exemptionsEmployerCents + exemptionsEmployeeCents,
    netBeforeTaxCents,
    netTaxableCents,
    netSocialCents,
    employerCostCents,
    contractHoursPerMonth: Number(r.required('salarié . contrat . temps de travail').toFixed(2)),
  };
}

/** The gross whose employer cost is the budget, rounded down to the cent so the cost never exceeds it. */
function invertEmployerCost(e: RulesEngine, situation: Situation, maxEmployerCostCents: number): Evaluated {
  e.setSituation({ ...situation, 'salarié . coût total employeur': euros(maxEmployerCostCents) });
  const gross = e.evaluate('salarié . contrat . salaire brut').nodeValue;
  if (typeof gross !== 'number' || !Number.isFinite(gross) || gross <= 0) {
    throw new PayrollComputationError(
      'not-converging',
      'modele-social found no gross salary for this employer cost',
      'maxEmployerCostCents',
    );
  }
  // The inversion lands within a cent or two; rounding the lines (and the RGDU coefficient's 4
  // decimals) moves the cost by a few cents: take the highest cent of gross whose cost fits.
  let grossCents = Math.floor(Number((gross * 100).toFixed(6)));
  let best: Evaluated | undefined;
  for (let attempt = 0; attempt < 20 && grossCents > 0; attempt++) {
    const evaluated = evaluateGross(e, situation, grossCents);
    if (evaluated.employerCostCents <= maxEmployerCostCents) {
      best = evaluated;
      grossCents += 1; // does one more cent still fit?
    } else if (best) {
      return best;
    } else {
      grossCents -= 1;
    }
  }
  if (best) return best;
  throw new PayrollComputationError('not-converging', 'no gross salary fits this employer cost', 'maxEmployerCostCents');
}

function withholdingFor(request: PayslipRequest, netTaxableCents: number): Withholding {
  const given = request.withholdingRate;
  if (given && given.source === 'dgfip') {
    const hundredths = Math.round(given.rate * 100);
    return {
      baseCents: netTaxableCents,
      rate: given.rate,
      source: 'dgfip',
      date: given.date,
      amountCents: roundHalfUp(netTaxableCents * hundredths, 10_000),
    };
  }
  const neutral = neutralWithholdingRate(request.period, netTaxableCents);
  if (!neutral) {
    throw new PayrollComputationError('rates-unknown', `no neutral withholding grid for ${request.period}`, 'withholdingRate');
  }
  return {
    baseCents: netTaxableCents,
    rate: neutral.rate,
    source: 'neutral-grid',
    date: neutral.date,
    amountCents: roundHalfUp(netTaxableCents * neutral.basisPoints, 10_000),
  };
}

/**
 * The payslip of a month: every line by risk, the exemptions, net before tax, net taxable, « montant
 * net social », the withholding, net paid and the employer cost. From a gross salary, or, given the
 * most the employer may spend, from the inversion of `salarié . coût total employeur`.
 *
 * @throws ValidationError (400) on a malformed request, PayrollComputationError (422) when
 *   modele-social does not converge or its figures do not add up.
 */
export async function computePayslip(request: PayslipRequest): Promise<PayslipComputation> {
  checkRequest(request);
  const e = await engine();
  // From here on the computation is synchronous: no other call can change the Engine's situation.
  const weekly = partTimeHours(request);
  const situation = baseSituation(request, weekly);
  const evaluated =
    'grossMonthlyCents' in request.salary
      ? evaluateGross(e, situation, request.salary.grossMonthlyCents)
      : invertEmployerCost(e, situation, request.salary.maxEmployerCostCents);
  const withholding = withholdingFor(request, evaluated.netTaxableCents);
  const expenseReimbursementCents = request.expenseReimbursementCents ?? 0;
  return {
    period: request.period,
    situationDate: `${request.period}-01`,
    modeleSocialVersion: MODELE_SOCIAL_VERSION,
    publicodesVersion: PUBLICODES_VERSION,
    hoursPerMonth: request.hoursPerMonth,
    contractHoursPerMonth: evaluated.contractHoursPerMonth,
    partTimeHoursPerWeek: weekly,
    grossCents: evaluated.grossCents,
    groups: evaluated.groups,
    exemptions: evaluated.exemptions,
    employeeContributionsCents: evaluated.employeeContributionsCents,
    employerContributionsCents: evaluated.employerContributionsCents,
    exemptionsCents: evaluated.exemptionsCents,
    netBeforeTaxCents: evaluated.netBeforeTaxCents,
    netTaxableCents: evaluated.netTaxableCents,
    netSocialCents: evaluated.netSocialCents,
    withholding,
    expenseReimbursementCents,
    netPaidCents: evaluated.netBeforeTaxCents - withholding.amountCents + expenseReimbursementCents,
    employerCostCents: evaluated.employerCostCents,
  };
}
