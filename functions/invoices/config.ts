/**
 * Values of French law that change over time or that no solid source confirmed:
 * configuration, never presented as official. Set them per deployment through the environment.
 */
import type { VatRate } from '../shared/pricing.ts';
import type { SapActivity } from '../shared/sap.ts';

/**
 * Late-payment penalty rate printed on invoices, % per year. C. com. L441-10: at least three times
 * the legal interest rate; by default the ECB's main refinancing rate + 10 points — which changes
 * every semester, so operators set the current figure here.
 */
export const latePenaltyRatePercent = (): number => Number(process.env.LATE_PENALTY_RATE_PERCENT ?? '12.15');

/**
 * The VAT rate of each services-à-la-personne activity, with its basis and whether a primary
 * source confirmed it (`verified: false`: check Légifrance before relying on it). CGI 279 i: 10 %
 * for the services of a declared organisation; CGI 278-0 bis D: 5.5 % for services to elderly,
 * disabled or dependent people. An SAP line may always be billed at 20 %.
 */
export const sapVatRates = {
  housework: { rate: '10', basis: 'CGI art. 279 i', verified: false },
  gardening: { rate: '10', basis: 'CGI art. 279 i', verified: false },
  'small-repairs': { rate: '10', basis: 'CGI art. 279 i', verified: false },
  'meal-preparation': { rate: '10', basis: 'CGI art. 279 i', verified: false },
  'shopping-delivery': { rate: '10', basis: 'CGI art. 279 i', verified: false },
  'it-assistance': { rate: '20', basis: 'CGI art. 278 (taux normal; the 10 % of 279 i excludes it — unconfirmed)', verified: false },
  'administrative-assistance': { rate: '10', basis: 'CGI art. 279 i', verified: false },
  'elderly-assistance': { rate: '5.5', basis: 'CGI art. 278-0 bis D', verified: false },
  'mobility-assistance': { rate: '5.5', basis: 'CGI art. 278-0 bis D', verified: false },
  'dependent-driving': { rate: '5.5', basis: 'CGI art. 278-0 bis D', verified: false },
  'dependent-accompaniment': { rate: '5.5', basis: 'CGI art. 278-0 bis D', verified: false },
} as const satisfies Record<SapActivity, { rate: VatRate; basis: string; verified: boolean }>;

/**
 * The SAP activities only a provider holding an agrément (C. trav. L7232-1, D7231-1) or an autorisation
 * (CASF L313-1: a home-help service, SAAD) may perform for elderly, disabled or dependent people — the
 * 5.5 % activities of CGI ann. III art. 86, whose table in BOI-TVA-LIQ-30-20-80 says « agrément ou
 * autorisation » for each. Read on BOFiP's version of 15/05/2019 and third-party summaries of D7231-1,
 * not on today's Légifrance text: `verified: false`.
 */
export const sapAuthorisationActivities = {
  'elderly-assistance': { basis: 'C. trav. L7232-1, D7231-1; CASF L313-1; CGI 278-0 bis D', verified: false },
  'mobility-assistance': { basis: 'C. trav. L7232-1, D7231-1; CASF L313-1; CGI 278-0 bis D', verified: false },
  'dependent-driving': { basis: 'C. trav. L7232-1, D7231-1; CASF L313-1; CGI 278-0 bis D', verified: false },
  'dependent-accompaniment': { basis: 'C. trav. L7232-1, D7231-1; CASF L313-1; CGI 278-0 bis D', verified: false },
} as const satisfies Partial<Record<SapActivity, { basis: string; verified: boolean }>>;
