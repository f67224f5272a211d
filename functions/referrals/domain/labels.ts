/** The French words of referrals: trades and RGE domains by their labels, exclusion reasons, states. Pure. */
import { formatDate } from '../../shared/french.ts';
import { rgeDomainLabel, tradeLabel, type RgeDomain, type Trade } from '../../onboarding/index.ts';
import type { Exclusion } from './matching.ts';
import type { OfferState } from './referral.ts';

export const tradesFr = (codes: readonly Trade[]) => codes.map((code) => ({ code, label: tradeLabel(code) }));
export const rgeDomainsFr = (codes: readonly RgeDomain[]) => codes.map((code) => ({ code, label: rgeDomainLabel(code) }));

const list = (values: readonly string[]) =>
  values.length <= 1 ? (values[0] ?? '') : `${values.slice(0, -1).join(', ')} et ${values.at(-1)}`;

/** « Pourquoi pas moi ? » in plain French. */
export function exclusionReason(e: Exclusion): string {
  const d = e.details ?? {};
  switch (e.code) {
    case 'department':
      return `N’intervient pas dans le département ${String(d.department ?? '')}.`;
    case 'trades':
      return `Ne déclare pas le ou les métiers demandés\u00a0: ${list(((d.missing as Trade[]) ?? []).map(tradeLabel))}.`;
    case 'decennale-period':
      return `Assurance décennale non valable sur toute la durée des travaux (valable du ${formatDate(String(d.validFrom))} au ${formatDate(String(d.validUntil))}).`;
    case 'decennale-area':
      return `Assurance décennale ne couvrant pas le lieu du chantier (couverture\u00a0: ${String(d.coverage ?? '')}).`;
    case 'rge-missing':
      return `Pas de qualification RGE, exigée pour ces travaux de rénovation énergétique (${list(((d.needed as RgeDomain[]) ?? []).map(rgeDomainLabel))}).`;
    case 'rge-expired':
      return `Qualification RGE expirée avant la fin des travaux (valable jusqu’au ${formatDate(String(d.validUntil))}).`;
    case 'rge-domains':
      return `Qualification RGE sans le ou les domaines demandés\u00a0: ${list(((d.missing as RgeDomain[]) ?? []).map(rgeDomainLabel))}.`;
  }
}

export const offerStateFr: Record<OfferState, string> = {
  open: 'en attente de votre réponse',
  accepted: 'acceptée',
  declined: 'refusée',
  expired: 'expirée',
  withdrawn: 'retirée',
};
