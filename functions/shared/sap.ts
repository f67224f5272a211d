/**
 * Services à la personne (C. trav. L7231-1, D7231-1): the activities a line of an SAP invoice names,
 * as API codes with their French labels (documents print the label). The VAT rate of each activity
 * is configuration (functions/invoices/config.ts `sapVatRates`), its legal basis not all confirmed.
 */
export const sapActivityLabels = {
  housework: 'Entretien de la maison et travaux ménagers',
  gardening: 'Petits travaux de jardinage',
  'small-repairs': 'Travaux de petit bricolage dits « homme toutes mains »',
  'meal-preparation': 'Préparation de repas à domicile',
  'shopping-delivery': 'Livraison de courses à domicile',
  'it-assistance': 'Assistance informatique à domicile',
  'administrative-assistance': 'Assistance administrative à domicile',
  'elderly-assistance': 'Assistance aux personnes âgées ou handicapées (hors actes de soins)',
  'mobility-assistance': 'Aide à la mobilité et au transport de personnes ayant des difficultés de déplacement',
  'dependent-driving': 'Conduite du véhicule personnel des personnes dépendantes',
  'dependent-accompaniment': 'Accompagnement des personnes âgées ou handicapées en dehors de leur domicile',
} as const;

export type SapActivity = keyof typeof sapActivityLabels;
export const sapActivities = Object.keys(sapActivityLabels) as [SapActivity, ...SapActivity[]];

/** Activities for elderly, disabled or dependent people (CGI 278-0 bis D: 5.5 %): the beneficiary must be one. */
export const dependencyActivities: readonly SapActivity[] = [
  'elderly-assistance',
  'mobility-assistance',
  'dependent-driving',
  'dependent-accompaniment',
];

/** The French label of an SAP activity (documents print the label, never the code). */
export const sapActivityLabel = (activity: SapActivity): string => sapActivityLabels[activity];

/**
 * The provider's licence for the services to elderly, disabled or dependent people: the State's
 * agrément (C. trav. L7232-1, granted by the préfet) or the département's autorisation of a home-help
 * service (SAAD, CASF L313-1, granted by the president of the conseil départemental). D7233-1 asks the
 * invoice to give its number and date where it applies; the reduced rate of CGI 278-0 bis D is for
 * services of a provider holding one (BOI-TVA-LIQ-30-20-80).
 */
export interface SapAuthorisation {
  readonly kind: 'agrement' | 'autorisation';
  readonly number: string;
  readonly grantedOn: string;
  /** Absent: no end recorded (an autorisation runs 15 years, an agrément 5 — unconfirmed, so not assumed). */
  readonly validUntil?: string | undefined;
  /** Who granted it, as printed after « délivré(e) par »: « le préfet de la Loire-Atlantique ». */
  readonly issuer: string;
}
