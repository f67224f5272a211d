/**
 * The life of a referral and of its offers. Pure.
 *
 * Referral: `draft` (opened from an accepted quote, its needs still to be stated) → `open` (matched;
 * offers go out one candidate, or N, at a time) → `accepted` (the first acceptance wins) →
 * `in_progress` → `completed` (with the technicians 45+ actually on the job, then the commission
 * invoice); `cancelled` (with a reason) from any state before completion.
 *
 * Offer: `open` → `accepted` | `declined` | `expired` | `withdrawn` (another partner accepted, or the
 * referral was cancelled). Only an open offer, before its expiry, can be accepted or declined.
 */
export const referralStates = ['draft', 'open', 'accepted', 'in_progress', 'completed', 'cancelled'] as const;
export type ReferralState = (typeof referralStates)[number];

export const offerStates = ['open', 'accepted', 'declined', 'expired', 'withdrawn'] as const;
export type OfferState = (typeof offerStates)[number];

const moves: Readonly<Record<ReferralState, readonly ReferralState[]>> = {
  draft: ['open', 'cancelled'],
  open: ['accepted', 'cancelled'],
  accepted: ['in_progress', 'cancelled'],
  in_progress: ['completed', 'cancelled'],
  completed: [],
  cancelled: [],
};

export const canMove = (from: ReferralState, to: ReferralState): boolean => moves[from].includes(to);

/** Whether an offer can still be answered at `now` (ISO instant). */
export const offerAnswerable = (offer: { readonly state: OfferState; readonly expiresAt: string }, now: string): boolean =>
  offer.state === 'open' && now < offer.expiresAt;

/**
 * Which candidates get an offer now: the next ones in rank order not offered yet, so that `atOnce`
 * offers are open (those open now count). Answers their positions in `candidates`.
 */
export function nextToOffer(candidates: number, offered: number, openNow: number, atOnce: number): number[] {
  const room = Math.max(0, atOnce - openNow);
  const next: number[] = [];
  for (let i = offered; i < candidates && next.length < room; i++) next.push(i);
  return next;
}

/** The commission on the works HT: basis points, rounded half up to the cent. */
export const commissionCents = (worksCents: number, basisPoints: number): number => Math.floor((worksCents * basisPoints + 5_000) / 10_000);
