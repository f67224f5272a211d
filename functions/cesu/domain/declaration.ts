/**
 * The monthly CESU declaration of a particulier employeur, computed as URSSAF does it from what is
 * declared (hours and net hourly wage): pure, no I/O, integer cents.
 *
 * Per worker: net hourly wage (+10 % when the « +10 % » paid-leave method is chosen, LEGAL-FR §1.1),
 * net pay = hours × that wage + extra net pay; the gross rebuilt from the net (gross = net / (1 −
 * employee rate), the employee rate 21.88025 % under the ceiling, 23.18025 % in Alsace-Moselle,
 * LEGAL-FR §9.1), refused above the monthly PSS (the ceiling: the plafonnée lines would split); every
 * employee and employer line = round(base × rate), CSG/CRDS on 98.25 % of the gross; the
 * occupational-health contribution (CST) capped at 5 € per worker and month.
 * Per employer: the 70+ / APA-PCH-disability exemption of the employer's maladie, vieillesse and
 * family lines (70+: capped at those rates × 65 h × hourly SMIC a month), otherwise the 2 €/hour
 * deduction on the same lines (never more than they are, never with an exemption, LEGAL-FR §9.1); 3.70 €/hour
 * overseas (LEGAL-FR §1.2).
 *
 * Rounding, every amount in integer cents, half up (exact: each product is an integer divided by a
 * power of ten, so Math.round sees the true half):
 * - declared hourly wage with +10 %: round(net hourly × 11 / 10);
 * - net pay: round(hours × declared hourly) + extra net pay;
 * - gross: round(net / (1 − employee rate)); CSG/CRDS base: round(gross × 98.25 %);
 * - each contribution line: round(base × rate), on its own (their sum may differ by a cent from gross − net,
 *   as on a payslip); CST: min(round(gross × rate), cap);
 * - deduction: min(round(hours × 2 €), the relieved lines); 70+ cap: Σ round(65 × SMIC × rate) over the relieved lines.
 */
import type { CesuParameters, RateName } from '../rates.ts';

export const exemptionKinds = ['none', 'aged-70', 'apa-pch-disability'] as const;
export type ExemptionKind = (typeof exemptionKinds)[number];
export const paidLeaveMethods = ['plus-10', 'monthly'] as const;
export type PaidLeaveMethod = (typeof paidLeaveMethods)[number];

export interface EmployerFacts {
  readonly exemption: { readonly kind: 'none' } | { readonly kind: Exclude<ExemptionKind, 'none'>; readonly from: string };
  readonly alsaceMoselle: boolean;
  /** An employer of an overseas territory (ETD 97x): the deduction per hour is the overseas one (3.70 €). */
  readonly overseas?: boolean | undefined;
}

export interface WorkerMonthInput {
  readonly workerId: string;
  readonly name: string;
  /** The agreed net hourly wage, without the +10 %. */
  readonly netHourlyCents: number;
  readonly paidLeave: PaidLeaveMethod;
  readonly hours: number;
  readonly extraNetCents: number;
}

export interface Line {
  readonly code: RateName;
  readonly label: string;
  readonly baseCents: number;
  readonly rate: string;
  readonly amountCents: number;
}

export interface WorkerFigures {
  readonly workerId: string;
  readonly name: string;
  readonly hours: number;
  readonly paidLeave: PaidLeaveMethod;
  readonly netHourlyCents: number;
  /** With the +10 % when chosen: the hourly wage declared. */
  readonly declaredNetHourlyCents: number;
  readonly extraNetCents: number;
  readonly netCents: number;
  readonly grossCents: number;
  readonly employeeLines: readonly Line[];
  readonly employeeTotalCents: number;
  readonly employerLines: readonly Line[];
  /** The occupational-health contribution after its cap. */
  readonly santeAuTravailCents: number;
  readonly employerTotalCents: number;
}

export interface DeclarationFigures {
  readonly period: string;
  readonly parametersVersion: string;
  readonly parametersVerified: boolean;
  readonly workers: readonly WorkerFigures[];
  readonly hours: number;
  readonly netCents: number;
  readonly grossCents: number;
  readonly employeeContributionsCents: number;
  /** Every employer line and the CST, before the deduction or the exemption. */
  readonly employerContributionsBeforeReliefCents: number;
  /** The 2 €/hour deduction (0 with an exemption). */
  readonly deductionCents: number;
  readonly exemption: { readonly kind: ExemptionKind; readonly amountCents: number; readonly capCents: number | null };
  /** The parameters the documents print (from the table, never from code): the CST rate and cap, the deduction per hour. */
  readonly santeAuTravail: { readonly rate: string; readonly capCents: number };
  readonly deductionPerHourCents: number;
  readonly employerContributionsCents: number;
  /** What URSSAF debits from the employer: employee and employer contributions. */
  readonly urssafDebitCents: number;
  /** Net paid to the workers + what URSSAF debits. */
  readonly totalCostCents: number;
  readonly warnings: readonly string[];
}

export class DeclarationRefused extends Error {
  readonly field: string;
  constructor(field: string, message: string) {
    super(message);
    this.field = field;
  }
}

/** '6.90' → 690000 (hundred-thousandths of a percent): exact for every rate of the table. */
export const rateUnits = (rate: string): number => {
  const [whole, decimals = ''] = rate.split('.');
  return Number(whole) * 100_000 + Number(decimals.padEnd(5, '0'));
};
const PERCENT = 10_000_000; // 100 % in rate units
const apply = (baseCents: number, rate: string): number => Math.round((baseCents * rateUnits(rate)) / PERCENT);

const employeeLabels = {
  'employee.maladieAlsaceMoselle': 'Maladie (Alsace-Moselle)',
  'employee.vieillessePlafonnee': 'Assurance vieillesse plafonnée',
  'employee.vieillesseDeplafonnee': 'Assurance vieillesse déplafonnée',
  'employee.csgDeductible': 'CSG déductible',
  'employee.csgCrdsNonDeductible': 'CSG non déductible et CRDS',
  'employee.ircemPrevoyance': 'Prévoyance IRCEM',
  'employee.ircemRetraiteT1': 'Retraite complémentaire IRCEM T1',
  'employee.cegT1': 'Contribution d’équilibre général T1',
} as const satisfies Partial<Record<RateName, string>>;

export const employerLabels = {
  'employer.maladie': 'Maladie, maternité, invalidité, décès',
  'employer.csa': 'Contribution solidarité autonomie',
  'employer.vieillessePlafonnee': 'Assurance vieillesse plafonnée',
  'employer.vieillesseDeplafonnee': 'Assurance vieillesse déplafonnée',
  'employer.allocationsFamiliales': 'Allocations familiales',
  'employer.accidentsDuTravail': 'Accidents du travail',
  'employer.fnal': 'FNAL',
  'employer.ircemPrevoyance': 'Prévoyance IRCEM',
  'employer.ircemRetraiteT1': 'Retraite complémentaire IRCEM T1',
  'employer.cegT1': 'Contribution d’équilibre général T1',
  'employer.chomage': 'Assurance chômage',
  'employer.formationProfessionnelle': 'Formation professionnelle',
  'employer.dialogueSocial': 'Contribution au dialogue social',
} as const satisfies Partial<Record<RateName, string>>;

/** The employer lines the deduction and the exemption bear on (sécurité sociale). */
export const relievedLines = [
  'employer.maladie',
  'employer.vieillessePlafonnee',
  'employer.vieillesseDeplafonnee',
  'employer.allocationsFamiliales',
] as const satisfies readonly RateName[];

const CSG_LINES = new Set<RateName>(['employee.csgDeductible', 'employee.csgCrdsNonDeductible']);

/** The employee rate in rate units (21.88025 % → 2188025), Alsace-Moselle included when it applies. */
export function employeeRateUnits(params: CesuParameters, alsaceMoselle: boolean): number {
  const base = rateUnits(params.rates.csgBase.value);
  let total = 0;
  for (const code of Object.keys(employeeLabels) as (keyof typeof employeeLabels)[]) {
    if (code === 'employee.maladieAlsaceMoselle' && !alsaceMoselle) continue;
    const units = rateUnits(params.rates[code].value);
    total += CSG_LINES.has(code) ? (units * base) / PERCENT : units;
  }
  return total;
}

/** The net hourly wage declared: +10 % for paid leave when that method is chosen (12 € → 13.20 €), to the cent. */
export const declaredHourlyCents = (netHourlyCents: number, method: PaidLeaveMethod): number =>
  method === 'plus-10' ? Math.round((netHourlyCents * 11) / 10) : netHourlyCents;

/** The lowest net hourly wage allowed: the hourly SMIC brought back to net (before the +10 %), rounded up to the cent. */
export function minimumNetHourlyCents(params: CesuParameters, alsaceMoselle: boolean): number {
  const smic = Number(params.amounts.smicHourlyCents.value);
  return Math.ceil((smic * (PERCENT - employeeRateUnits(params, alsaceMoselle))) / PERCENT);
}

function workerFigures(input: WorkerMonthInput, params: CesuParameters, alsaceMoselle: boolean, index: number): WorkerFigures {
  const declaredNetHourlyCents = declaredHourlyCents(input.netHourlyCents, input.paidLeave);
  const netCents = Math.round(input.hours * declaredNetHourlyCents) + input.extraNetCents;
  const grossCents = Math.round((netCents * PERCENT) / (PERCENT - employeeRateUnits(params, alsaceMoselle)));
  const pss = Number(params.amounts.pssMonthlyCents.value);
  if (grossCents > pss) {
    throw new DeclarationRefused(
      `workers.${index}.hours`,
      `The gross pay rebuilt (${grossCents} cents) is above the monthly social-security ceiling (${pss} cents): declare it on cesu.urssaf.fr directly.`,
    );
  }
  const csgBaseCents = apply(grossCents, params.rates.csgBase.value);
  const employeeLines: Line[] = [];
  for (const [code, label] of Object.entries(employeeLabels) as [keyof typeof employeeLabels, string][]) {
    if (code === 'employee.maladieAlsaceMoselle' && !alsaceMoselle) continue;
    const baseCents = CSG_LINES.has(code) ? csgBaseCents : grossCents;
    const rate = params.rates[code].value;
    employeeLines.push({ code, label, baseCents, rate, amountCents: apply(baseCents, rate) });
  }
  const employerLines: Line[] = (Object.entries(employerLabels) as [keyof typeof employerLabels, string][]).map(([code, label]) => {
    const rate = params.rates[code].value;
    return { code, label, baseCents: grossCents, rate, amountCents: apply(grossCents, rate) };
  });
  const santeAuTravailCents = Math.min(
    apply(grossCents, params.rates['employer.santeAuTravail'].value),
    Number(params.amounts.santeAuTravailCapCents.value),
  );
  const sum = (lines: readonly Line[]) => lines.reduce((s, l) => s + l.amountCents, 0);
  return {
    workerId: input.workerId,
    name: input.name,
    hours: input.hours,
    paidLeave: input.paidLeave,
    netHourlyCents: input.netHourlyCents,
    declaredNetHourlyCents,
    extraNetCents: input.extraNetCents,
    netCents,
    grossCents,
    employeeLines,
    employeeTotalCents: sum(employeeLines),
    employerLines,
    santeAuTravailCents,
    employerTotalCents: sum(employerLines) + santeAuTravailCents,
  };
}

/** True when the exemption applies to the month (its start date on or before the month's last day). */
export function exemptionApplies(employer: EmployerFacts, period: string): boolean {
  return employer.exemption.kind !== 'none' && employer.exemption.from <= `${period}-31`;
}

export function computeDeclaration(
  period: string,
  employer: EmployerFacts,
  inputs: readonly WorkerMonthInput[],
  params: CesuParameters,
): DeclarationFigures {
  const minimum = minimumNetHourlyCents(params, employer.alsaceMoselle);
  inputs.forEach((w, i) => {
    if (w.netHourlyCents < minimum) {
      throw new DeclarationRefused(
        `workers.${i}.netHourlyCents`,
        `The net hourly wage of ${w.name} (${w.netHourlyCents} cents) is below the minimum in force for ${period} (${minimum} cents net, the hourly SMIC of ${params.amounts.smicHourlyCents.value} cents gross).`,
      );
    }
  });
  const workers = inputs.map((w, i) => workerFigures(w, params, employer.alsaceMoselle, i));
  const total = (f: (w: WorkerFigures) => number) => workers.reduce((s, w) => s + f(w), 0);
  const hours = Math.round(total((w) => w.hours) * 100) / 100;
  const relievable = total((w) =>
    w.employerLines.filter((l) => (relievedLines as readonly string[]).includes(l.code)).reduce((s, l) => s + l.amountCents, 0),
  );
  const smic = Number(params.amounts.smicHourlyCents.value);
  let exemption: DeclarationFigures['exemption'] = { kind: 'none', amountCents: 0, capCents: null };
  let deductionCents = 0;
  const deductionPerHourCents = Number(
    (employer.overseas ? params.amounts.deductionPerHourOverseasCents : params.amounts.deductionPerHourCents).value,
  );
  if (exemptionApplies(employer, period)) {
    const kind = employer.exemption.kind;
    const capCents =
      kind === 'aged-70'
        ? relievedLines.reduce((s, code) => s + apply(Number(params.amounts.exemption70CapHours.value) * smic, params.rates[code].value), 0)
        : null;
    exemption = { kind, amountCents: capCents === null ? relievable : Math.min(relievable, capCents), capCents };
  } else {
    deductionCents = Math.min(Math.round(hours * deductionPerHourCents), relievable);
  }
  const before = total((w) => w.employerTotalCents);
  const employerContributionsCents = before - deductionCents - exemption.amountCents;
  const employeeContributionsCents = total((w) => w.employeeTotalCents);
  const netCents = total((w) => w.netCents);
  const warnings = workers
    .filter((w) => w.paidLeave === 'monthly' && w.hours < 32)
    .map((w) => `${w.name} works under 32 hours this month: the +10 % paid-leave method is the one that applies.`);
  return {
    period,
    parametersVersion: params.version,
    parametersVerified: params.verified,
    workers,
    hours,
    netCents,
    grossCents: total((w) => w.grossCents),
    employeeContributionsCents,
    employerContributionsBeforeReliefCents: before,
    deductionCents,
    exemption,
    santeAuTravail: {
      rate: params.rates['employer.santeAuTravail'].value,
      capCents: Number(params.amounts.santeAuTravailCapCents.value),
    },
    deductionPerHourCents,
    employerContributionsCents,
    urssafDebitCents: employeeContributionsCents + employerContributionsCents,
    totalCostCents: netCents + employeeContributionsCents + employerContributionsCents,
    warnings,
  };
}

// ---- Hours -------------------------------------------------------------------------------------

export type HoursInput = { readonly hours: number } | { readonly days: readonly { readonly date: string; readonly hours: number }[] };

export const MAX_WEEKLY_HOURS = 48;

const daysIn = (period: string): number => {
  const [y, m] = period.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
};

/** Monday of the ISO week of a day (YYYY-MM-DD). */
const mondayOf = (date: string): string => {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  return d.toISOString().slice(0, 10);
};

/**
 * The month's hours of one worker: a monthly total (at most 48 h × the weeks of the month) or hours
 * per day (every day in the month, not after `today`, each week at most 48 h — a week that starts or
 * ends in the next or previous month counts the days declared there, `neighbourDays`). `field` names
 * the worker's entry in the body, e.g. `workers.0`.
 */
export function monthHours(
  input: HoursInput,
  period: string,
  today: string,
  field: string,
  neighbourDays: readonly { readonly date: string; readonly hours: number }[] = [],
): number {
  if ('hours' in input) {
    const limit = (MAX_WEEKLY_HOURS * daysIn(period)) / 7;
    if (input.hours > limit) {
      throw new DeclarationRefused(
        `${field}.hours`,
        `More than ${MAX_WEEKLY_HOURS} hours a week on average (${input.hours} h in ${period}).`,
      );
    }
    return input.hours;
  }
  const weeks = new Map<string, number>();
  for (const day of neighbourDays) {
    if (day.date.slice(0, 7) === period) continue;
    weeks.set(mondayOf(day.date), (weeks.get(mondayOf(day.date)) ?? 0) + day.hours);
  }
  const seen = new Set<string>();
  input.days.forEach((day, i) => {
    if (day.date.slice(0, 7) !== period) throw new DeclarationRefused(`${field}.days.${i}.date`, `${day.date} is not in ${period}.`);
    if (day.date > today) throw new DeclarationRefused(`${field}.days.${i}.date`, `${day.date} is in the future.`);
    if (seen.has(day.date)) throw new DeclarationRefused(`${field}.days.${i}.date`, `${day.date} is given twice.`);
    seen.add(day.date);
    const week = mondayOf(day.date);
    const sum = (weeks.get(week) ?? 0) + day.hours;
    if (sum > MAX_WEEKLY_HOURS) {
      throw new DeclarationRefused(`${field}.days.${i}.hours`, `More than ${MAX_WEEKLY_HOURS} hours in the week of ${week}.`);
    }
    weeks.set(week, sum);
  });
  return Math.round(input.days.reduce((s, d) => s + d.hours, 0) * 100) / 100;
}

/** The day a month's declaration is due (the deadline day of the next month). */
export function deadlineOf(period: string, deadlineDay: number): string {
  const [y, m] = period.split('-').map(Number) as [number, number];
  const next = new Date(Date.UTC(y, m, deadlineDay));
  return next.toISOString().slice(0, 10);
}
