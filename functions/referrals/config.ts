/**
 * Rates and settings of the referrals context, as data (effective-dated like payroll's rate tables):
 * how offers go out per territory, and the referral commission the territory's CAE MSG invoices.
 * A change is a new version with its `from` date; nothing past is rewritten.
 */

export interface OfferSettings {
  /** YYYY-MM-DD: the version applies to referrals opened from that day. */
  readonly from: string;
  /** How many candidates hold an open offer at a time (1: one after the other). */
  readonly offersAtOnce: number;
  /** How long an offer stays open. */
  readonly offerHours: number;
}

export interface CommissionRate {
  readonly from: string;
  /** Basis points of the works HT (1000 = 10 %). */
  readonly basisPoints: number;
  /** Where the figure comes from (printed nowhere; for the operators). */
  readonly source: string;
}

const DEFAULT_OFFERS: OfferSettings = { from: '2000-01-01', offersAtOnce: 1, offerHours: 48 };
const DEFAULT_RATE: CommissionRate = { from: '2000-01-01', basisPoints: 1000, source: 'issue 11: 10 % of the works HT by default' };

/** Per territory (ETD code), oldest first. A territory not listed gets the defaults. */
export const offerSettings: Readonly<Record<string, readonly OfferSettings[]>> = {
  '44': [DEFAULT_OFFERS],
};

/** The commission rate of a territory's CAE MSG, oldest first. */
export const territoryCommissionRates: Readonly<Record<string, readonly CommissionRate[]>> = {
  '44': [{ from: '2026-01-01', basisPoints: 1000, source: 'CAE MSG Loire-Atlantique, conditions 2026' }],
  '85': [{ from: '2026-01-01', basisPoints: 800, source: 'CAE MSG Vendée, conditions 2026' }],
};

/** Agreements with one partner company (by SIRET), which take precedence over the territory's rate. */
export const partnerCommissionAgreements: Readonly<Record<string, readonly CommissionRate[]>> = {};

const inForce = <T extends { readonly from: string }>(versions: readonly T[] | undefined, day: string): T | undefined =>
  versions?.filter((v) => v.from <= day).at(-1);

export const offerSettingsFor = (etd: string, day: string): OfferSettings => inForce(offerSettings[etd], day) ?? DEFAULT_OFFERS;

/** The rate on `day`: the partner's agreement if one is in force, else the territory's, else the default. */
export function commissionRateFor(
  etd: string,
  partnerSiret: string,
  day: string,
  rates: { territories: typeof territoryCommissionRates; agreements: typeof partnerCommissionAgreements } = {
    territories: territoryCommissionRates,
    agreements: partnerCommissionAgreements,
  },
): CommissionRate & { readonly kind: 'agreement' | 'territory' } {
  const agreement = inForce(rates.agreements[partnerSiret], day);
  if (agreement) return { ...agreement, kind: 'agreement' };
  return { ...(inForce(rates.territories[etd], day) ?? DEFAULT_RATE), kind: 'territory' };
}
