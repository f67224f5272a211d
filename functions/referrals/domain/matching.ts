/**
 * Matching a referred job to the partner companies (PIC), explained. Pure.
 *
 * A partner is a candidate when it works in the site's département, its trades cover every trade
 * the job needs, its décennale insurance is valid over the whole job period and covers the site's
 * area, and — for an energy renovation — it holds an RGE qualification valid over the job period in
 * every domain the job needs. Each rule that fails is an exclusion with its reason, so that a
 * manager can answer « pourquoi pas moi ? ».
 *
 * Candidates are ranked seniors first (the network keeps its technicians aged 45+ in professional
 * wear-out at work): by the number of technicians 45+ declared in wear-out, then by their share of
 * the company's technicians, then by fewest offers already open (spreading the work), then by
 * earliest registration in the network, then by id (a total order: the same inputs always give the
 * same ranking). Each candidate keeps the figures it was ranked on.
 */
import type { RgeDomain, Trade } from '../../onboarding/index.ts';
import { departmentCovered } from './coverage.ts';

/** What matching reads of a partner company. */
export interface PartnerProfile {
  readonly id: string;
  readonly legalName: string;
  readonly trades: readonly Trade[];
  readonly departments: readonly string[];
  readonly decennale: { readonly validFrom: string; readonly validUntil: string; readonly coverage: string };
  readonly rge?: { readonly validUntil: string; readonly domains: readonly RgeDomain[] } | undefined;
  readonly technicians: { readonly total: number; readonly aged45Plus: number; readonly aged45PlusWornOut?: number | undefined };
  /** YYYY-MM-DD: when it joined the network. */
  readonly registeredOn: string;
}

/** What the job needs. */
export interface JobNeeds {
  readonly department: string;
  readonly trades: readonly Trade[];
  /** YYYY-MM-DD, start ≤ end. */
  readonly startDate: string;
  readonly endDate: string;
  /** Energy renovation: the RGE domains the partner must hold (empty: not an energy renovation). */
  readonly rgeDomains: readonly RgeDomain[];
}

export const exclusionCodes = [
  'department',
  'trades',
  'decennale-period',
  'decennale-area',
  'rge-missing',
  'rge-expired',
  'rge-domains',
] as const;
export type ExclusionCode = (typeof exclusionCodes)[number];

export interface Exclusion {
  readonly code: ExclusionCode;
  /** What is missing, as codes (trades or RGE domains) or dates. */
  readonly details?: Readonly<Record<string, string | readonly string[]>>;
}

/** Why a partner is not a candidate (empty: it is one). */
export function exclusionsOf(partner: PartnerProfile, job: JobNeeds): Exclusion[] {
  const reasons: Exclusion[] = [];
  if (!partner.departments.includes(job.department)) reasons.push({ code: 'department', details: { department: job.department } });
  const missingTrades = job.trades.filter((t) => !partner.trades.includes(t));
  if (missingTrades.length) reasons.push({ code: 'trades', details: { missing: missingTrades } });
  const d = partner.decennale;
  if (d.validFrom > job.startDate || d.validUntil < job.endDate)
    reasons.push({ code: 'decennale-period', details: { validFrom: d.validFrom, validUntil: d.validUntil } });
  if (!departmentCovered(d.coverage, job.department)) reasons.push({ code: 'decennale-area', details: { coverage: d.coverage } });
  if (job.rgeDomains.length) {
    if (!partner.rge) reasons.push({ code: 'rge-missing', details: { needed: job.rgeDomains } });
    else {
      if (partner.rge.validUntil < job.endDate) reasons.push({ code: 'rge-expired', details: { validUntil: partner.rge.validUntil } });
      const missingDomains = job.rgeDomains.filter((domain) => !partner.rge!.domains.includes(domain));
      if (missingDomains.length) reasons.push({ code: 'rge-domains', details: { missing: missingDomains } });
    }
  }
  return reasons;
}

/** The figures a candidate is ranked on (kept with its offer: why it was ranked there). */
export interface RankFigures {
  /** Technicians aged 45+ declared in professional wear-out. */
  readonly wornOut: number;
  /** All its technicians. */
  readonly technicians: number;
  /** wornOut / technicians in basis points (0 when it has none): for reading; the comparison is exact. */
  readonly wornOutShareBasisPoints: number;
  /** Offers it holds already open (other referrals). */
  readonly openOffers: number;
  readonly registeredOn: string;
}

export interface Candidate {
  readonly partnerId: string;
  readonly legalName: string;
  /** 1 for the first. */
  readonly rank: number;
  readonly figures: RankFigures;
}

export const figuresOf = (partner: PartnerProfile, openOffers: number): RankFigures => {
  const wornOut = partner.technicians.aged45PlusWornOut ?? 0;
  const technicians = partner.technicians.total;
  return {
    wornOut,
    technicians,
    wornOutShareBasisPoints: technicians > 0 ? Math.floor((wornOut * 10_000) / technicians) : 0,
    openOffers,
    registeredOn: partner.registeredOn,
  };
};

/** Negative when `a` ranks before `b`. The share compares exactly (cross products), never rounded. */
export function compareCandidates(
  a: { readonly partnerId: string; readonly figures: RankFigures },
  b: { readonly partnerId: string; readonly figures: RankFigures },
): number {
  const x = a.figures;
  const y = b.figures;
  if (x.wornOut !== y.wornOut) return y.wornOut - x.wornOut;
  // wornOut_x / technicians_x against wornOut_y / technicians_y, as cross products (a company without technicians: 0).
  const shareX = x.technicians > 0 ? x.wornOut * (y.technicians || 1) : 0;
  const shareY = y.technicians > 0 ? y.wornOut * (x.technicians || 1) : 0;
  if (shareX !== shareY) return shareY - shareX;
  if (x.openOffers !== y.openOffers) return x.openOffers - y.openOffers;
  if (x.registeredOn !== y.registeredOn) return x.registeredOn < y.registeredOn ? -1 : 1;
  return a.partnerId < b.partnerId ? -1 : a.partnerId > b.partnerId ? 1 : 0;
}

export interface Matching {
  readonly candidates: readonly Candidate[];
  readonly excluded: readonly { readonly partnerId: string; readonly legalName: string; readonly reasons: readonly Exclusion[] }[];
}

/** Candidates ranked seniors first, and the partners excluded with their reasons. */
export function matchPartners(partners: readonly PartnerProfile[], job: JobNeeds, openOffersOf: (partnerId: string) => number): Matching {
  const eligible: { partnerId: string; legalName: string; figures: RankFigures }[] = [];
  const excluded: Matching['excluded'][number][] = [];
  for (const partner of partners) {
    const reasons = exclusionsOf(partner, job);
    if (reasons.length) excluded.push({ partnerId: partner.id, legalName: partner.legalName, reasons });
    else eligible.push({ partnerId: partner.id, legalName: partner.legalName, figures: figuresOf(partner, openOffersOf(partner.id)) });
  }
  const candidates = eligible.sort(compareCandidates).map((c, i) => ({ ...c, rank: i + 1 }));
  return { candidates, excluded: excluded.sort((a, b) => a.legalName.localeCompare(b.legalName, 'fr')) };
}
