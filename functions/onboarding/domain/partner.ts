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
