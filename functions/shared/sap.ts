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
