/**
 * The onboarding context's door: what other contexts may use of it, and nothing else. Territories
 * (ETD) and their two CAEs, entrepreneurs, clients, partner companies.
 *
 * - Reads for a caller: `getEtd`, `getEntrepreneur`, `getClient`, `getPartner` (principal, id) answer
 *   the record the caller may see, or NotFound (an invisible record is answered like an absent one).
 * - Loaders for use cases that legitimately need a record their caller does not see directly (e.g.
 *   sending a quote reads the territory's CAE and the client's address): `loadEtd`,
 *   `loadEntrepreneur`, `loadClient`, `loadPartner` (id) answer the record, NotFound only when it is
 *   really absent. Loading is not authorising: the caller's use case decides who may act.
 * - `canSee(principal, { etd } | { entrepreneur } | { client } | { partner })`: the visibility rule.
 * - `clientName(client)`: how a client is named (a company's legal name, a person's first and last names).
 * - Partner vocabulary: `tradeLabels` / `tradeLabel` and `rgeDomains` / `rgeDomainLabels` / `rgeDomainLabel`
 *   (API codes and their French labels: documents and pages print the label, never the code).
 * - Read models: the types `Etd`, `Cae`, `Entrepreneur`, `Client`, `Partner`, `Trade`, `RgeDomain`; `caes` (the names
 *   of a territory's two CAEs, for `z.enum(caes)`) and its type `CaeName`; `poles` (activity poles) and `Pole`.
 * - For the impact job: `activeBirthYearsByEtd()` and the pure rule `reachesAgeThisYear`.
 * - For payroll's monthly job: `activeEntrepreneurs(etd?)` (every active entrepreneur of a territory, or
 *   of all; type `ActiveEntrepreneur`: id, etd, cae, competences, names) and `territoryCodes()`.
 * - For referrals' matching: `partnersOfDepartment(code)` (async generator of every partner working in a
 *   department, with its trades, décennale, RGE, technicians 45+ in wear-out and registration date).
 * Generic schemas (`Page`, `Siret`, `Address`…) live in functions/shared/schemas.ts.
 */
export { activeBirthYearsByEtd, activeEntrepreneurs, getClient, getEntrepreneur, getEtd, getPartner, territoryCodes } from './service.ts';
export { loadClient, loadEntrepreneur, loadEtd, loadPartner, partnersOfDepartment } from './store.ts';
export { canSee, type Visible } from './domain/access.ts';
export { clientName } from './domain/client.ts';
export { AGE_THRESHOLD, reachesAgeThisYear } from './domain/entrepreneur.ts';
export {
  rgeDomainLabel,
  rgeDomainLabels,
  rgeDomains,
  tradeLabel,
  tradeLabels,
  trades,
  type RgeDomain,
  type Trade,
} from './domain/partner.ts';
export {
  caes,
  poles,
  type ActiveEntrepreneur,
  type CaeName,
  type Cae,
  type Client,
  type Entrepreneur,
  type Etd,
  type Partner,
  type Pole,
} from './schemas.ts';
