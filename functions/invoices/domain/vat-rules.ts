/**
 * Which VAT rates a standard invoice may use, and what an invoice of services à la personne must
 * carry (C. trav. D7233-1; CGI 199 sexdecies, 279 i, 278-0 bis D). Pure; the rates per activity are
 * configuration (functions/invoices/config.ts). Deposit and final invoices take their lines and
 * rates from their accepted quote, checked when it was drafted.
 *
 * - SAP invoice: to an individual; every line names its SAP activity, in hours (unit `h`: the
 *   hours and the hourly price TTC print), at the activity's rate or 20 %; a 5.5 % activity for
 *   elderly, disabled or dependent people needs the beneficiary to be one (`dependentBeneficiary`).
 *   Issued only when the CAE has its SAP declaration (number and date printed). An activity for
 *   elderly, disabled or dependent people (configuration `sapAuthorisationActivities`) needs the CAE's
 *   agrément (C. trav. L7232-1) or autorisation (CASF L313-1) valid on the invoice's date, printed
 *   with the declaration (D7233-1); without one valid, its 5.5 % rate is refused (CGI 278-0 bis D).
 * - Works invoice (renovation pole): the housing rules of quotes (10 % and 5.5 % on housing over two
 *   years, 5.5 % on energy-renovation lines), and the client's certification printed.
 * - Any other invoice: 20 %.
 */
import type { Problem } from '../../shared/legal-rules.ts';
import { vatCents, vatEligibilityErrors, type VatRate } from '../../shared/pricing.ts';
import { dependencyActivities, type SapActivity, type SapAuthorisation } from '../../shared/sap.ts';

export interface InvoiceVatInput {
  readonly kind: 'standard' | 'deposit' | 'final';
  readonly works: boolean;
  readonly sapEligible: boolean;
  readonly housingOver2Years?: boolean | undefined;
  readonly dependentBeneficiary?: boolean | undefined;
  readonly clientIsIndividual: boolean;
  /** The CAE holds an agrément or autorisation valid on the day (`sapAuthorisationProblem`): absent, it does not. */
  readonly sapAuthorised?: boolean | undefined;
  readonly lines: readonly {
    readonly vatRate: VatRate;
    readonly unit: string;
    readonly energyRenovation?: boolean | undefined;
    readonly sapActivity?: SapActivity | undefined;
  }[];
}

/** The activities only an authorised provider performs (configuration `sapAuthorisationActivities`). */
export type AuthorisationActivities = Readonly<Partial<Record<SapActivity, unknown>>>;

/** Whether one of the lines is an activity that needs the provider's agrément or autorisation. */
export const needsSapAuthorisation = (
  lines: readonly { readonly sapActivity?: SapActivity | undefined }[],
  activities: AuthorisationActivities,
): boolean => lines.some((l) => l.sapActivity !== undefined && Object.hasOwn(activities, l.sapActivity));

export function invoiceVatProblems(
  input: InvoiceVatInput,
  sapRates: Readonly<Record<SapActivity, { readonly rate: VatRate }>>,
  authorisationActivities: AuthorisationActivities,
): Problem[] {
  const problems: Problem[] = [];
  if (input.sapEligible) {
    if (!input.clientIsIndividual)
      problems.push({ path: 'sapEligible', message: 'services à la personne are services to individuals: the client is a company' });
    if (input.kind !== 'standard') return problems;
    input.lines.forEach((line, index) => {
      if (!line.sapActivity) {
        problems.push({ path: `lines.${index}.sapActivity`, message: 'an SAP invoice names the activity of each line' });
        return;
      }
      if (line.unit !== 'h')
        problems.push({
          path: `lines.${index}.unit`,
          message: 'an SAP invoice bills hours (unit h): the hours and the hourly price print',
        });
      const allowed = sapRates[line.sapActivity].rate;
      if (line.vatRate !== '20' && line.vatRate !== allowed) {
        problems.push({ path: `lines.${index}.vatRate`, message: `the activity ${line.sapActivity} is billed at ${allowed} % (or 20 %)` });
        return;
      }
      if (line.vatRate === '5.5' && dependencyActivities.includes(line.sapActivity) && !input.dependentBeneficiary)
        problems.push({
          path: 'dependentBeneficiary',
          message: 'the 5.5 % rate of this activity is for elderly, disabled or dependent people: say the beneficiary is one',
        });
      if (line.vatRate === '5.5' && needsSapAuthorisation([line], authorisationActivities) && !input.sapAuthorised)
        problems.push({
          path: `lines.${index}.vatRate`,
          message:
            'the 5.5 % rate of this activity is for a provider holding an agrément or autorisation (CGI 278-0 bis D): the CAE has none valid on record (PATCH /etds/{code}/caes/{cae}, sapAuthorisation)',
        });
    });
    return problems;
  }
  if (input.kind !== 'standard') return problems;
  if (input.lines.some((l) => l.sapActivity))
    problems.push({ path: 'sapEligible', message: 'lines name SAP activities: the invoice is an SAP invoice (sapEligible)' });
  if (input.works) {
    for (const error of vatEligibilityErrors({ housingOver2Years: input.housingOver2Years ?? false, lines: input.lines }))
      problems.push({ path: `lines.${error.index}.vatRate`, message: error.message });
    return problems;
  }
  input.lines.forEach((line, index) => {
    if (line.vatRate !== '20')
      problems.push({
        path: `lines.${index}.vatRate`,
        message: 'a reduced rate applies to housing works (pole renovation) or to services à la personne (sapEligible) only',
      });
  });
  return problems;
}

/** An SAP invoice or credit note is issued only when the CAE's SAP declaration is on record. */
export const sapDeclarationProblem = (
  sapEligible: boolean,
  declaration: { readonly number: string; readonly declaredOn: string } | undefined,
): Problem | undefined =>
  sapEligible && !declaration
    ? { path: 'sapEligible', message: 'the CAE has no SAP declaration on record: an operator sets it (PATCH /etds/{code}/caes/{cae})' }
    : undefined;

/**
 * Why the CAE's agrément or autorisation cannot cover services performed or invoiced on `on`
 * (YYYY-MM-DD): none on record, not yet granted, or expired. Nothing when it is valid that day.
 */
export function sapAuthorisationProblem(authorisation: SapAuthorisation | undefined, on: string): string | undefined {
  if (!authorisation)
    return 'the CAE has no agrément or autorisation on record for services to elderly, disabled or dependent people (C. trav. L7232-1; CASF L313-1): an operator sets it (PATCH /etds/{code}/caes/{cae}, sapAuthorisation)';
  if (on < authorisation.grantedOn) return `the CAE's ${authorisation.kind} is granted from ${authorisation.grantedOn}`;
  if (authorisation.validUntil !== undefined && on > authorisation.validUntil)
    return `the CAE's ${authorisation.kind} expired on ${authorisation.validUntil}: an operator records the renewed one`;
  return undefined;
}

/** One line of an SAP invoice as D7233-1 asks it printed: the nature, the hours, the hourly price TTC, the amount TTC. */
export interface SapLine {
  readonly nature: string;
  readonly hours: number;
  readonly hourlyPriceTtcCents: number;
  readonly totalTtcCents: number;
}

/**
 * The SAP lines of an invoice: each hour line with its activity label and description, the hourly
 * price TTC (unit price × (1 + rate), rounded half-up) and the line's amount TTC (its total plus
 * its VAT, rounded half-up: the invoice's VAT per rate may differ from their sum by a cent).
 */
export function sapLines(
  lines: readonly {
    readonly description: string;
    readonly quantity: number;
    readonly unit: string;
    readonly unitPriceCents: number;
    readonly vatRate: VatRate;
    readonly totalCents: number;
    readonly sapActivity?: SapActivity | undefined;
  }[],
  label: (activity: SapActivity) => string,
): SapLine[] {
  return lines
    .filter((l) => l.sapActivity && l.unit === 'h')
    .map((l) => ({
      nature: `${label(l.sapActivity!)} — ${l.description}`,
      hours: l.quantity,
      hourlyPriceTtcCents: l.unitPriceCents + vatCents(l.unitPriceCents, l.vatRate),
      totalTtcCents: l.totalCents + vatCents(l.totalCents, l.vatRate),
    }));
}

/**
 * Whether a reader multiplying the hours by the printed hourly price TTC (rounded to the cent) would
 * not find the amount TTC printed (computed on the price excluding VAT): then the document says the
 * hourly prices TTC are rounded, so the client and the tax office do not take the amount for an error.
 */
export const sapHourlyPricesRounded = (lines: readonly SapLine[]): boolean =>
  lines.some((l) => Math.round(l.hours * l.hourlyPriceTtcCents) !== l.totalTtcCents);

/** The sentence printed under the SAP lines when `sapHourlyPricesRounded`. */
export const SAP_ROUNDING_NOTE =
  'Prix horaires TTC arrondis au centime\u00a0: le montant TTC de chaque service est calculé sur son prix hors taxes, sans arrondi intermédiaire.';
