/**
 * Rules of French building, insurance and consumer law that quotes and invoices share. Pure and
 * table-tested (test/unit/legal-rules.test.ts); messages in English (API), French only in renderers.
 *
 * - Who issues building-renovation documents: the CAE that runs the renovation pole (CAE MSG),
 *   through an entrepreneur of that pole (DOMAIN.md).
 * - The issuer's professional insurance (loi 96-603 art. 22-2; C. assur. L243-2): a works quote or
 *   invoice names it and is refused when it is missing or not valid on the document's date.
 * - The RGE qualification of the partner who performs energy-renovation works (décret 2014-812,
 *   arrêté of 1 December 2015): which 5.5 % lines it covers; refused when the job claims aid.
 * - Consumer contracts (C. conso L111-1, L221-5, L221-10, L221-18, L221-19, L221-25): the start of
 *   the works, the 14-day withdrawal period, no payment within 7 days of an off-premises contract.
 */
import { addDays } from './clock.ts';
import type { PostalAddress } from './documents.ts';
import { isWorkingDay } from './working-days.ts';

export type Pole = 'autonomy' | 'home-services' | 'renovation';

export interface Problem {
  readonly path: string;
  readonly message: string;
}

// ---- Issuer --------------------------------------------------------------------------------------

/** The CAE that runs the building-renovation pole of a territory (DOMAIN.md: CAE MSG). */
export const RENOVATION_CAE = 'MSG';

/**
 * A building-renovation quote or works invoice comes from CAE MSG and an entrepreneur of the
 * renovation pole; any other comes from an entrepreneur of its pole.
 */
export function issuerProblems(input: { readonly pole: Pole; readonly cae: string; readonly authorPoles: readonly string[] }): Problem[] {
  const problems: Problem[] = [];
  if (input.pole === 'renovation' && input.cae !== RENOVATION_CAE)
    problems.push({
      path: 'cae',
      message: `building-renovation documents are issued by CAE ${RENOVATION_CAE}, which runs the renovation pole`,
    });
  if (!input.authorPoles.includes(input.pole))
    problems.push({ path: 'entrepreneurId', message: `the entrepreneur does not work in the ${input.pole} pole` });
  return problems;
}

// ---- Insurance -----------------------------------------------------------------------------------

export interface Insurance {
  readonly insurer: string;
  readonly insurerAddress: PostalAddress;
  readonly policyNumber: string;
  readonly coverage: string;
  readonly validFrom: string;
  readonly validUntil: string;
}

/** Why the CAE's insurance cannot be printed on a works document dated `on` (YYYY-MM-DD), or nothing. */
export function insuranceProblem(insurance: Insurance | undefined, on: string): string | undefined {
  if (!insurance) return 'the CAE has no professional insurance on record: an operator sets it (PATCH /etds/{code}/caes/{cae})';
  if (on < insurance.validFrom) return `the CAE's professional insurance starts on ${insurance.validFrom}`;
  if (on > insurance.validUntil)
    return `the CAE's professional insurance expired on ${insurance.validUntil}: an operator records the renewed policy`;
  return undefined;
}

/**
 * The latest day the works of a quote may start: its start date, or N days after an acceptance given
 * at the latest on the quote's last valid day; undefined when the quote says neither.
 */
export function latestWorksStart(
  works: { readonly startDate?: string | undefined; readonly startWithinDays?: number | undefined } | undefined,
  quoteValidUntil: string,
): string | undefined {
  if (works?.startDate) return works.startDate;
  if (works?.startWithinDays) return addDays(quoteValidUntil, works.startWithinDays);
  return undefined;
}

/**
 * A warning for the author (not a refusal: policies renew each year): the works may start after the
 * policy printed on the quote ends, while the décennale that covers them is the one in force when the
 * site opens — the client is then given the renewed attestation before the works start.
 */
export function insuranceRenewalWarning(
  policy: { readonly validUntil: string } | undefined,
  worksStart: string | undefined,
  path: string,
  whose: string,
): Problem | undefined {
  if (!policy || !worksStart || worksStart <= policy.validUntil) return undefined;
  return {
    path,
    message: `the works may start on ${worksStart}, after ${whose} insurance printed on the quote ends (${policy.validUntil}): give the client the renewed attestation before they start`,
  };
}

// ---- RGE -----------------------------------------------------------------------------------------

export interface RgeQualification {
  readonly certificateNumber: string;
  readonly body: string;
  readonly validUntil: string;
  readonly domains: readonly string[];
}

/** Whether the partner's RGE qualification covers one 5.5 % energy-renovation line. */
export interface RgeLineCoverage {
  readonly index: number;
  readonly domain?: string | undefined;
  readonly covered: boolean;
}

/**
 * For each 5.5 % line: covered when the line names its RGE domain, the partner holds an RGE
 * qualification valid on `on` and the domain is one of its domains.
 */
export function rgeCoverage(
  lines: readonly { readonly vatRate: string; readonly rgeDomain?: string | undefined }[],
  rge: RgeQualification | undefined,
  on: string,
): RgeLineCoverage[] {
  const valid = rge !== undefined && on <= rge.validUntil;
  return lines.flatMap((line, index) =>
    line.vatRate === '5.5'
      ? [{ index, domain: line.rgeDomain, covered: valid && line.rgeDomain !== undefined && rge.domains.includes(line.rgeDomain) }]
      : [],
  );
}

/** A job that claims energy-renovation aid (MaPrimeRénov’, CEE) has every 5.5 % line covered, else each uncovered line is refused. */
export function rgeProblems(coverage: readonly RgeLineCoverage[], claimsAid: boolean, partnerNamed: boolean): Problem[] {
  if (!claimsAid) return [];
  return coverage
    .filter((c) => !c.covered)
    .map((c) => ({
      path: `lines.${c.index}.rgeDomain`,
      message: !partnerNamed
        ? 'the job claims energy-renovation aid: name the RGE partner who performs the works (partnerId)'
        : c.domain === undefined
          ? 'the job claims energy-renovation aid: a 5.5 % line names the RGE domain of its works'
          : `the partner's RGE qualification does not cover the domain ${c.domain} (or has expired)`,
    }));
}

// ---- Consumer contracts --------------------------------------------------------------------------

/** C. conso L221-18: 14 days to withdraw; L221-10: no payment within 7 days of an off-premises contract. */
export const WITHDRAWAL_DAYS = 14;
export const PAYMENT_WAIT_DAYS = 7;

/**
 * What the law grants a client: an individual (a consumer) may withdraw from a contract concluded
 * at a distance (the online acceptance page) or off premises (at home); nothing may be paid within
 * 7 days of an off-premises contract. A company client is not a consumer.
 */
export function consumerProtection(client: { readonly isIndividual: boolean }, offPremises: boolean) {
  return { withdrawal: client.isIndividual, paymentWait: client.isIndividual && offPremises };
}

/**
 * The last day to withdraw: 14 days from the day after the contract's conclusion; a period ending
 * on a Saturday, a Sunday or a public holiday runs to the next working day (règlement 1182/71
 * art. 3, to which L221-19 refers).
 */
export function withdrawalDeadline(conclusionDate: string): string {
  let day = addDays(conclusionDate, WITHDRAWAL_DAYS);
  while (!isWorkingDay(day)) day = addDays(day, 1);
  return day;
}

/** Within the withdrawal period on `today` (YYYY-MM-DD, Paris). */
export const canWithdraw = (conclusionDate: string, today: string): boolean => today <= withdrawalDeadline(conclusionDate);

/** The first day a payment may be received: the 7 days after the conclusion have run out. */
export const firstPaymentDate = (conclusionDate: string): string => addDays(conclusionDate, PAYMENT_WAIT_DAYS + 1);

/** A quote to a consumer states when the works start (a date, or a delay after acceptance): L111-1 3°. */
export function executionProblem(quote: {
  readonly worksStartDate?: string | undefined;
  readonly worksStartWithinDays?: number | undefined;
}): Problem | undefined {
  return quote.worksStartDate === undefined && quote.worksStartWithinDays === undefined
    ? { path: 'worksStartDate', message: 'a quote to an individual states when the works start (worksStartDate or worksStartWithinDays)' }
    : undefined;
}
