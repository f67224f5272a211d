/**
 * Effective-dated rate tables of the payroll context that modele-social does not apply for us.
 *
 * The neutral withholding grid (barème du taux neutre / taux non personnalisé, CGI art. 204 H III,
 * BOI-BAREME-000037): the income-tax withholding rate applied to the monthly taxable net pay when the
 * tax administration (DGFiP) has sent no personal rate for the employee. Metropolitan France only
 * (Guadeloupe, Réunion, Martinique, Guyane and Mayotte have their own grids, not carried here).
 *
 * A bracket applies when the monthly base is below its ceiling (« inférieure à … »), the last one
 * above. Ceilings in euros, rates in basis points of a percent (50 = 0.5 %).
 *
 * `verified`: whether a person of this project checked the figures against BOFiP itself. They are
 * copied from modele-social 11.1.0 (rule `impôt . taux neutre d'impôt sur le revenu`, which cites
 * https://bofip.impots.gouv.fr/bofip/11255-PGP.html); a unit test keeps this table equal to it.
 */
export interface NeutralGridVersion {
  /** First day it applies, `YYYY-MM-DD`. */
  readonly from: string;
  readonly source: string;
  readonly verified: boolean;
  /** Ascending ceilings in euros; `null` for the last bracket. */
  readonly brackets: readonly { readonly belowEuros: number | null; readonly basisPoints: number }[];
}

const rates = [0, 50, 130, 210, 290, 350, 410, 530, 750, 990, 1190, 1380, 1580, 1790, 2000, 2400, 2800, 3300, 3800, 4300];
const grid = (ceilings: readonly number[]) => rates.map((basisPoints, i) => ({ belowEuros: ceilings[i] ?? null, basisPoints }));

const source = 'BOI-BAREME-000037 (https://bofip.impots.gouv.fr/bofip/11255-PGP.html), as carried by modele-social 11.1.0';

export const neutralWithholdingGrid: readonly NeutralGridVersion[] = [
  {
    from: '2024-01-01',
    source,
    verified: false,
    brackets: grid([1591, 1653, 1759, 1877, 2006, 2113, 2253, 2666, 3052, 3476, 3913, 4566, 5475, 6851, 8557, 11877, 16086, 25251, 54088]),
  },
  {
    from: '2025-05-01',
    source,
    verified: false,
    brackets: grid([1620, 1683, 1791, 1911, 2042, 2151, 2294, 2714, 3107, 3539, 3983, 4648, 5574, 6974, 8711, 12091, 16376, 25706, 55062]),
  },
  {
    from: '2026-01-01',
    source,
    verified: false,
    brackets: grid([1635, 1698, 1807, 1928, 2060, 2170, 2315, 2738, 3135, 3571, 4019, 4690, 5624, 7037, 8789, 12200, 16523, 25937, 55558]),
  },
];

export interface NeutralRate {
  /** Percent, e.g. 7.5. */
  readonly rate: number;
  readonly basisPoints: number;
  /** The `from` of the grid version used. */
  readonly date: string;
  readonly verified: boolean;
  readonly source: string;
}

/** The neutral rate for a month's taxable net pay (the version in force on the first day of the period). */
export function neutralWithholdingRate(period: string, netTaxableCents: number): NeutralRate | undefined {
  const firstDay = `${period}-01`;
  const version = neutralWithholdingGrid.filter((v) => v.from <= firstDay).at(-1);
  if (!version) return undefined;
  const bracket = version.brackets.find((b) => b.belowEuros === null || netTaxableCents < b.belowEuros * 100);
  const basisPoints = bracket?.basisPoints ?? 0;
  return { rate: basisPoints / 100, basisPoints, date: version.from, verified: version.verified, source: version.source };
}
