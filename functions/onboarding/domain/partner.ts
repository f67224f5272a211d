/** Partner companies (PIC) of the building trade. Pure rules. */

/** Building trades a partner may perform (API codes; French labels for documents and pages). */
export const tradeLabels = {
  masonry: 'Maçonnerie',
  carpentry: 'Charpente',
  roofing: 'Couverture',
  plumbing: 'Plomberie',
  heating: 'Chauffage',
  electricity: 'Électricité',
  insulation: 'Isolation',
  joinery: 'Menuiserie',
  plastering: 'Plâtrerie',
  painting: 'Peinture',
  tiling: 'Carrelage',
  flooring: 'Revêtements de sol',
  locksmith: 'Serrurerie',
  accessibility: 'Adaptation du logement (accessibilité)',
  'energy-renovation': 'Rénovation énergétique',
} as const;

export type Trade = keyof typeof tradeLabels;
export const trades = Object.keys(tradeLabels) as [Trade, ...Trade[]];

/**
 * Domains of the RGE qualification (« reconnu garant de l’environnement ») a partner may hold: the
 * categories of works of the arrêté of 1 December 2015 (décret 2014-812) under which energy-renovation
 * aid (MaPrimeRénov’, CEE) and the 5.5 % VAT certification rely on an RGE company. API codes; French
 * labels for documents and pages.
 */
export const rgeDomainLabels = {
  windows: 'Fenêtres, volets et portes extérieures',
  'interior-insulation': 'Isolation par l’intérieur des murs, rampants ou plafonds',
  'exterior-wall-insulation': 'Isolation des murs par l’extérieur',
  'roof-insulation': 'Isolation des toitures-terrasses ou des toitures par l’extérieur',
  'attic-insulation': 'Isolation des combles perdus',
  'floor-insulation': 'Isolation des planchers bas',
  'condensing-boiler': 'Chaudière à condensation ou micro-cogénération (gaz ou fioul)',
  'heat-pump': 'Pompe à chaleur',
  'solar-heating': 'Chauffage ou eau chaude solaire',
  'wood-heating': 'Chauffage ou eau chaude au bois',
  'thermodynamic-water-heater': 'Chauffe-eau thermodynamique',
  ventilation: 'Ventilation mécanique',
  photovoltaic: 'Panneaux solaires photovoltaïques',
  'energy-audit': 'Audit énergétique',
  'global-renovation': 'Rénovation globale',
} as const;

export type RgeDomain = keyof typeof rgeDomainLabels;
export const rgeDomains = Object.keys(rgeDomainLabels) as [RgeDomain, ...RgeDomain[]];

/** The French label of a trade or an RGE domain code (documents and pages never print a code). */
export const tradeLabel = (trade: Trade): string => tradeLabels[trade];
export const rgeDomainLabel = (domain: RgeDomain): string => rgeDomainLabels[domain];
