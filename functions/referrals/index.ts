/**
 * The referrals context's door: what other contexts may use of it, and nothing else.
 *
 * - `referralFiguresByEtd()`: async generator of `{ etd, figures }` for every territory — referrals
 *   opened (matched), accepted, completed, the works amount HT of the completed ones, and the
 *   technicians aged 45+ kept at work on them (declared at completion): the impact job's figures
 *   (functions/metrics). Type `ReferralFigures`.
 * - Events written (functions/events/catalog.ts): `ReferralOpened`, `ReferralAccepted`, `ReferralCompleted`
 *   (referrals table outbox).
 */
export { referralFiguresByEtd, type ReferralFigures } from './impact.ts';
