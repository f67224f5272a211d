/**
 * Which CESU rules a territory's employers follow. Metropolitan France (Corsica included) and the
 * overseas departments of Guadeloupe, Martinique, Guyane and La Réunion (97x: the overseas deduction
 * per hour, LEGAL-FR §1.2) are modelled; Mayotte (976) has its own minimum wage and contribution
 * rates, which the parameter table does not hold, so its employers cannot be registered.
 */
export type CesuRegime = 'metropolitan' | 'overseas' | 'unsupported';

export function cesuRegimeOf(etd: string): CesuRegime {
  if (etd === '976') return 'unsupported';
  return etd.startsWith('97') ? 'overseas' : 'metropolitan';
}
