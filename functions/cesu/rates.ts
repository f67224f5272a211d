/**
 * The CESU parameters (particulier employeur), as data: one effective-dated, versioned table in the
 * style of `steamcompt-del/calcule-pajemploi` (js/parametrage.js: each parameter valid from a day to
 * a day). Every entry has its `from` (first day it applies, YYYY-MM-DD), its `to` (last day, or
 * `null` while in force), its source and `verified`: true only for what comes from the official
 * urssaf.fr table « Taux et barèmes – Particuliers employeurs » (as of 1 April 2024); every later
 * change found only on third-party sites is `verified: false` (../shared/reference/LEGAL-FR.md §1.2,
 * §1.3, §9.1).
 *
 * A change of rate is a NEW entry (the previous one gets its `to`), never an edit of the past: a
 * unit test checks that the entries of one parameter follow each other without gap or overlap. A
 * declaration stores the version it was computed with (`parametersAt(day).version`) and the values.
 *
 * Rates are percent of gross (strings, so that 0.016 stays exact; the computation works in
 * hundred-thousandths of a percent); amounts in cents.
 *
 * Why not modele-social: its rules (11.1.0) model the general scheme's `salarié` of a company; it has
 * no particulier-employeur branch (no CESU net→gross rebuild, no IRCEM lines, no 2 €/h employer
 * deduction, no 70+ / APA exemption, no CST capped at 5 €). Its SMIC is reused below as the
 * source of the June 2026 value, as payroll does.
 */

export const rateNames = [
  // employee (salarié)
  'employee.vieillessePlafonnee',
  'employee.vieillesseDeplafonnee',
  'employee.maladieAlsaceMoselle',
  'employee.csgDeductible',
  'employee.csgCrdsNonDeductible',
  'employee.ircemPrevoyance',
  'employee.ircemRetraiteT1',
  'employee.cegT1',
  // employer (particulier employeur)
  'employer.maladie',
  'employer.csa',
  'employer.vieillessePlafonnee',
  'employer.vieillesseDeplafonnee',
  'employer.allocationsFamiliales',
  'employer.accidentsDuTravail',
  'employer.fnal',
  'employer.ircemPrevoyance',
  'employer.ircemRetraiteT1',
  'employer.cegT1',
  'employer.chomage',
  'employer.formationProfessionnelle',
  'employer.dialogueSocial',
  'employer.santeAuTravail',
  // bases
  'csgBase',
] as const;
export type RateName = (typeof rateNames)[number];

export const amountNames = [
  /** SMIC hourly gross, cents (metropolitan France). */
  'smicHourlyCents',
  /** PSS (plafond de la sécurité sociale), monthly, cents. */
  'pssMonthlyCents',
  /** Employer flat deduction per hour worked, cents (metropolitan France). */
  'deductionPerHourCents',
  /** The same in the overseas departments, Saint-Barthélemy, Saint-Martin, Saint-Pierre-et-Miquelon (ETDs 97x). */
  'deductionPerHourOverseasCents',
  /** Cap of the occupational-health contribution, per employee and month, cents. */
  'santeAuTravailCapCents',
  /** Hours at SMIC per month under which the 70+ exemption applies (its cap). */
  'exemption70CapHours',
  /** The month's declaration is due by this day of the next month (its reminder: 3 days before). */
  'declarationDeadlineDay',
] as const;
export type AmountName = (typeof amountNames)[number];

export interface CesuParameter {
  readonly name: RateName | AmountName;
  /** Percent of gross for a rate (e.g. '6.90'); cents, hours or a day for an amount. */
  readonly value: string;
  readonly from: string;
  readonly to: string | null;
  readonly source: string;
  readonly verified: boolean;
}

const URSSAF =
  'https://www.urssaf.fr/accueil/outils-documentation/taux-baremes/taux-cotisations-particulier-employeur.html (as of 2024-04-01)';
const DECRET_2025_1446 = 'décret 2025-1446 (vieillesse déplafonnée 2.11 % from 2026), via third-party sites';
const AT_2026 = 'third-party (AT/MP particulier employeur 2.06 % in 2026), LEGAL-FR §9.1';
const UNEMPLOYMENT = 'third-party (chômage 4.00 % from May 2025), LEGAL-FR §9.1';
const CST = 'https://aga-ps.com/mise-en-place-de-la-contribution-sante-au-travail-cst-pour-les-particuliers-employeurs-a-partir-de-2025';
const DEDUCTION =
  'urssaf.fr (2 €/h, LEGAL-FR §9.1); https://ash.tm.fr/numeros-juridiques/3090/le-regime-social-applicable-au-particulier-employeur/les-cotisations-sociales-du-particulier-employeur/la-deduction-forfaitaire-de-cotisations-patronales-521081.php';

const since = (
  name: CesuParameter['name'],
  value: string,
  source: string,
  verified: boolean,
  from = '2024-04-01',
  to: string | null = null,
) => ({ name, value, from, to, source, verified }) satisfies CesuParameter;

export const cesuParameters: readonly CesuParameter[] = [
  since('employee.vieillessePlafonnee', '6.90', URSSAF, true),
  since('employee.vieillesseDeplafonnee', '0.40', URSSAF, true),
  since('employee.maladieAlsaceMoselle', '1.30', URSSAF, true),
  since('employee.csgDeductible', '6.80', URSSAF, true),
  since('employee.csgCrdsNonDeductible', '2.90', URSSAF, true),
  since('employee.ircemPrevoyance', '1.04', URSSAF, true),
  since('employee.ircemRetraiteT1', '3.15', URSSAF, true),
  since('employee.cegT1', '0.86', URSSAF, true),
  since('employer.maladie', '13.00', URSSAF, true),
  since('employer.csa', '0.30', URSSAF, true),
  since('employer.vieillessePlafonnee', '8.55', URSSAF, true),
  since('employer.vieillesseDeplafonnee', '2.02', URSSAF, true, '2024-04-01', '2025-12-31'),
  since('employer.vieillesseDeplafonnee', '2.11', DECRET_2025_1446, false, '2026-01-01'),
  since('employer.allocationsFamiliales', '5.25', URSSAF, true),
  since('employer.accidentsDuTravail', '2.10', URSSAF, true, '2024-04-01', '2025-04-30'),
  since(
    'employer.accidentsDuTravail',
    '2.18',
    'third-party (AT/MP 2.18 % from May 2025), LEGAL-FR §9.1',
    false,
    '2025-05-01',
    '2025-12-31',
  ),
  since('employer.accidentsDuTravail', '2.06', AT_2026, false, '2026-01-01'),
  since('employer.fnal', '0.10', URSSAF, true),
  since('employer.ircemPrevoyance', '2.45', URSSAF, true),
  since('employer.ircemRetraiteT1', '4.72', URSSAF, true),
  since('employer.cegT1', '1.29', URSSAF, true),
  since('employer.chomage', '4.05', URSSAF, true, '2024-04-01', '2025-04-30'),
  since('employer.chomage', '4.00', UNEMPLOYMENT, false, '2025-05-01'),
  // LEGAL-FR §9.1 reads 0.85 in the urssaf.fr table, §1.2 calls it unverified (cnemri), and the legal
  // contribution of a particulier employeur is 0.15 % (C. trav., per juritravail.com), the rest
  // conventional: kept, but not presented as verified until the urssaf.fr page is read again.
  since(
    'employer.formationProfessionnelle',
    '0.85',
    `${URSSAF} per LEGAL-FR §9.1; conflicting sources (legal part 0.15 %, https://juritravail.com/obligation-formation-professionnelle-continue)`,
    false,
  ),
  since('employer.dialogueSocial', '0.016', URSSAF, true),
  since('employer.santeAuTravail', '0', 'none before 2025 (LEGAL-FR §1.2)', false, '2024-04-01', '2024-12-31'),
  since('employer.santeAuTravail', '2.70', CST, false, '2025-01-01'),
  since('csgBase', '98.25', URSSAF, true),
  since('smicHourlyCents', '1165', 'décret 2023-1216 (SMIC 11.65 € from 2024-01-01) — third-party', false, '2024-04-01', '2024-10-31'),
  since('smicHourlyCents', '1188', 'SMIC 11.88 € from 2024-11-01 — third-party', false, '2024-11-01', '2025-12-31'),
  since(
    'smicHourlyCents',
    '1202',
    'décret 2025-1228 (https://www.cabinet-oreco.fr/actualites/actualites-social/le-smic-horaire-a-1202-e-en-2026)',
    false,
    '2026-01-01',
    '2026-05-31',
  ),
  since('smicHourlyCents', '1231', 'modele-social 11.1.0 (SMIC 12.31 € from 06/2026; check Légifrance)', false, '2026-06-01'),
  since('pssMonthlyCents', '386400', 'PSS 2024 (3 864 €) — third-party', false, '2024-04-01', '2024-12-31'),
  since('pssMonthlyCents', '392500', 'PSS 2025 (3 925 €) — third-party', false, '2025-01-01', '2025-12-31'),
  since('pssMonthlyCents', '400500', 'modele-social 11.1.0 (PSS 2026 4 005 €)', false, '2026-01-01'),
  since('deductionPerHourCents', '200', DEDUCTION, true),
  since(
    'deductionPerHourOverseasCents',
    '370',
    'https://www.lagazettedescommunes.com/735786/particuliers-employeurs-ultra-marins (3.70 €/h overseas), LEGAL-FR §1.2',
    false,
  ),
  since('santeAuTravailCapCents', '500', CST, false, '2025-01-01'),
  since('santeAuTravailCapCents', '0', 'none before 2025', false, '2024-04-01', '2024-12-31'),
  since('exemption70CapHours', '65', 'third-party (70+ exemption capped at 65 × hourly SMIC a month), LEGAL-FR §9.1', false),
  since('declarationDeadlineDay', '5', 'https://aidechezsoi.fr/guide-cesu/declarer-remunerer-salarie (« by the 5th »: unverified)', false),
];

export interface CesuValue {
  readonly value: string;
  readonly from: string;
  readonly source: string;
  readonly verified: boolean;
}

export interface CesuParameters {
  /** `cesu-<latest from in force>`: a declaration stores it; a new entry makes a new version. */
  readonly version: string;
  /** True when every value used is verified. */
  readonly verified: boolean;
  readonly rates: Readonly<Record<RateName, CesuValue>>;
  readonly amounts: Readonly<Record<AmountName, CesuValue>>;
}

/** The parameters in force on a day (YYYY-MM-DD); throws when the table does not cover it. */
export function parametersAt(day: string, table: readonly CesuParameter[] = cesuParameters): CesuParameters {
  const pick = (name: CesuParameter['name']): CesuValue => {
    const entry = table.find((p) => p.name === name && p.from <= day && (p.to === null || day <= p.to));
    if (!entry) throw new Error(`no CESU parameter ${name} on ${day}`);
    return { value: entry.value, from: entry.from, source: entry.source, verified: entry.verified };
  };
  const rates = Object.fromEntries(rateNames.map((n) => [n, pick(n)])) as Record<RateName, CesuValue>;
  const amounts = Object.fromEntries(amountNames.map((n) => [n, pick(n)])) as Record<AmountName, CesuValue>;
  const all = [...Object.values(rates), ...Object.values(amounts)];
  const latest = all
    .map((v) => v.from)
    .sort()
    .at(-1)!;
  return { version: `cesu-${latest}`, verified: all.every((v) => v.verified), rates, amounts };
}

/** The first day the table covers. */
export const FIRST_COVERED_DAY = '2024-04-01';
