/**
 * DynamoDB access of the referrals context (table `referrals`, see functions/tables.ts). Every key,
 * item shape and access pattern of referrals lives here; the use cases hold the rules.
 *
 * Items                          pk                 sk                 gsi1pk / gsi1sk                              gsi2pk / gsi2sk
 * referral                       REF#<id>           #REF               ETD#<etd>#REF / <createdAt>#<id>             ENT#<entrepreneurId>#REF / <createdAt>#<id>
 * offer to a partner             REF#<id>           OFFER#<partnerId>  PAR#<partnerId>#OFFER / <offeredAt>#<id>     OPEN#OFFER / <expiresAt>#<id>#<partnerId> (while open)
 * offer link (hashed token)      LINK#<sha256>      #LINK              —                                            —
 * the referral of a quote        QUO#<quoteId>      #REF               —                                            —
 * history of a referral          REF#<id>           HIST#<version>     (functions/shared/audit.ts)
 * domain event (outbox)          EVENT#<day>        <at>#<eventId>     (functions/events/outbox.ts: ReferralOpened, ReferralAccepted, ReferralCompleted)
 *
 * Attributes: `entity` (referral | offer | link | quote-guard | history | event) and the record's own
 * fields; a referral holds `version`, bumped by every change (each change is conditioned on it).
 *
 * Access patterns (all Get or Query, never Scan):
 * - a referral by id: Get; with its offers: Query REF#<id> (`loadReferral`, `offersOf`)
 * - referrals of a territory / of an entrepreneur: Query gsi1 ETD#<etd>#REF / gsi2 ENT#<id>#REF (pages)
 * - the offers of a partner (its list, and how many it holds open: ranking): Query gsi1 PAR#<partnerId>#OFFER
 * - open offers past their expiry (hourly job): Query gsi2 OPEN#OFFER, sk < <now>
 * - an offer by the token of its link: Get LINK#<sha256(token)>, then Get the offer
 * - every referral of a territory (impact figures): Query gsi1 ETD#<etd>#REF, projected
 */
import type { EventPayloads } from '../events/catalog.ts';
import { outboxItem } from '../events/outbox.ts';
import { historyPut as writeHistory, type Actor } from '../shared/audit.ts';
import { NotFoundError } from '../shared/errors.ts';
import { sha256 } from '../shared/hash.ts';
import { fromItem, itemStore, type Page, type PageRequest } from '../shared/store.ts';
import type { PostalAddress } from '../shared/documents.ts';
import type { TransactItem } from '../shared/transactions.ts';
import type { RgeDomain, Trade } from '../onboarding/index.ts';
import type { Candidate, Exclusion, RankFigures } from './domain/matching.ts';
import type { OfferState, ReferralState } from './domain/referral.ts';

export const { table, getItem, queryPage, queryAll } = itemStore('referrals');

/** Where the works take place. */
export type SiteAddress = PostalAddress;

export interface Attachment {
  readonly key: string;
  readonly name: string;
  readonly contentType: string;
  readonly bytes: number;
  readonly addedAt: string;
}

export interface ReferralRecord {
  readonly id: string;
  readonly etd: string;
  /** The entrepreneur who brings the works (the CAE MSG invoices the commission for it). */
  readonly entrepreneurId: string;
  readonly clientId: string;
  readonly quoteId?: string | undefined;
  readonly title: string;
  readonly description: string;
  readonly site: SiteAddress;
  readonly department: string;
  readonly trades: readonly Trade[];
  readonly energyRenovation: boolean;
  readonly rgeDomains: readonly RgeDomain[];
  readonly estimatedAmountCents: number;
  readonly startDate: string;
  readonly endDate: string;
  readonly state: ReferralState;
  readonly offersAtOnce: number;
  readonly offerHours: number;
  readonly candidates: readonly Candidate[];
  readonly excluded: readonly { readonly partnerId: string; readonly legalName: string; readonly reasons: readonly Exclusion[] }[];
  /** How many candidates (in rank order) got an offer so far. */
  readonly offered: number;
  readonly matchedAt?: string | undefined;
  readonly acceptedPartnerId?: string | undefined;
  readonly acceptedAt?: string | undefined;
  readonly plannedStart?: string | undefined;
  readonly startedAt?: string | undefined;
  readonly completedAt?: string | undefined;
  readonly worksAmountCents?: number | undefined;
  readonly techniciansAged45Plus?: number | undefined;
  readonly cancelledAt?: string | undefined;
  readonly cancelReason?: string | undefined;
  readonly commission?:
    | {
        readonly basisPoints: number;
        readonly rateKind: 'agreement' | 'territory';
        readonly amountCents: number;
        readonly invoiceId?: string | undefined;
        readonly number?: string | null | undefined;
        readonly payUrl?: string | undefined;
      }
    | undefined;
  readonly attachments: readonly Attachment[];
  readonly createdAt: string;
  readonly createdBy: string;
  readonly updatedAt: string;
  readonly updatedBy: string;
  readonly version: number;
}

export interface OfferRecord {
  readonly referralId: string;
  readonly partnerId: string;
  readonly legalName: string;
  readonly etd: string;
  readonly rank: number;
  readonly figures: RankFigures;
  readonly state: OfferState;
  readonly offeredAt: string;
  readonly expiresAt: string;
  readonly decidedAt?: string | undefined;
  readonly declineReason?: string | undefined;
  readonly plannedStart?: string | undefined;
}

export const keys = {
  referral: (id: string) => ({ pk: `REF#${id}`, sk: '#REF' }),
  offer: (referralId: string, partnerId: string) => ({ pk: `REF#${referralId}`, sk: `OFFER#${partnerId}` }),
  link: (token: string) => ({ pk: `LINK#${sha256(token)}`, sk: '#LINK' }),
  quote: (quoteId: string) => ({ pk: `QUO#${quoteId}`, sk: '#REF' }),
};

export const partitions = {
  referralsOfEtd: (etd: string) => `ETD#${etd}#REF`,
  referralsOfEntrepreneur: (id: string) => `ENT#${id}#REF`,
  offersOfPartner: (partnerId: string) => `PAR#${partnerId}#OFFER`,
  openOffers: 'OPEN#OFFER',
};

// ---- Reads -------------------------------------------------------------------------------------

export async function loadReferral(id: string): Promise<ReferralRecord> {
  const item = await getItem(keys.referral(id));
  if (!item) throw new NotFoundError(`Referral ${id} not found.`);
  return fromItem<ReferralRecord>(item);
}

export async function findOffer(referralId: string, partnerId: string): Promise<OfferRecord | undefined> {
  const item = await getItem(keys.offer(referralId, partnerId));
  return item ? fromItem<OfferRecord>(item) : undefined;
}

/** The offers of a referral, in partition order. */
export async function offersOf(referralId: string): Promise<OfferRecord[]> {
  const offers: OfferRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await queryPage<OfferRecord>(undefined, keys.referral(referralId).pk, { limit: 100, cursor }, { skPrefix: 'OFFER#' });
    offers.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return offers.sort((a, b) => a.rank - b.rank);
}

/** The offer a link token opens, if any. */
export async function offerOfToken(token: string): Promise<OfferRecord | undefined> {
  const link = await getItem(keys.link(token));
  if (!link) return undefined;
  return findOffer(String(link.referralId), String(link.partnerId));
}

export const referralsOfEtdPage = (
  etd: string,
  page: PageRequest,
  filter?: Parameters<typeof queryPage>[3],
): Promise<Page<ReferralRecord>> => queryPage<ReferralRecord>('gsi1', partitions.referralsOfEtd(etd), page, filter);

export const referralsOfEntrepreneurPage = (
  entrepreneurId: string,
  page: PageRequest,
  filter?: Parameters<typeof queryPage>[3],
): Promise<Page<ReferralRecord>> => queryPage<ReferralRecord>('gsi2', partitions.referralsOfEntrepreneur(entrepreneurId), page, filter);

export const offersOfPartnerPage = (partnerId: string, page: PageRequest): Promise<Page<OfferRecord>> =>
  queryPage<OfferRecord>('gsi1', partitions.offersOfPartner(partnerId), page);

/** How many offers the partner holds open now. */
export async function openOffersCount(partnerId: string): Promise<number> {
  let open = 0;
  for await (const item of queryAll('gsi1', partitions.offersOfPartner(partnerId), 'state')) if (item.state === 'open') open += 1;
  return open;
}

/** Open offers whose expiry is before `nowIso`. */
export async function* offersExpiredBefore(nowIso: string): AsyncGenerator<{ referralId: string; partnerId: string }> {
  for await (const item of queryAll('gsi2', partitions.openOffers, 'referralId,partnerId', { skBefore: nowIso })) {
    yield { referralId: String(item.referralId), partnerId: String(item.partnerId) };
  }
}

/** The referral figures of a territory, projected (impact). */
export async function* referralFactsOf(
  etd: string,
): AsyncGenerator<Pick<ReferralRecord, 'state' | 'acceptedAt' | 'worksAmountCents' | 'techniciansAged45Plus'>> {
  for await (const item of queryAll('gsi1', partitions.referralsOfEtd(etd), 'state,acceptedAt,worksAmountCents,techniciansAged45Plus')) {
    yield item as Pick<ReferralRecord, 'state' | 'acceptedAt' | 'worksAmountCents' | 'techniciansAged45Plus'>;
  }
}

export async function referralOfQuote(quoteId: string): Promise<string | undefined> {
  const item = await getItem(keys.quote(quoteId));
  return item ? String(item.referralId) : undefined;
}

// ---- Transaction parts -------------------------------------------------------------------------

const referralItem = (r: ReferralRecord) => ({
  ...keys.referral(r.id),
  entity: 'referral',
  gsi1pk: partitions.referralsOfEtd(r.etd),
  gsi1sk: `${r.createdAt}#${r.id}`,
  gsi2pk: partitions.referralsOfEntrepreneur(r.entrepreneurId),
  gsi2sk: `${r.createdAt}#${r.id}`,
  ...r,
});

export const referralCreate = (r: ReferralRecord): TransactItem => ({
  Put: { TableName: table(), Item: referralItem(r), ConditionExpression: 'attribute_not_exists(pk)' },
});

/** `next` over the version read (and, when given, only while the referral is in `state`). */
export function referralReplace(next: ReferralRecord, previousVersion: number): TransactItem {
  return {
    Put: {
      TableName: table(),
      Item: referralItem(next),
      ConditionExpression: '#version = :version',
      ExpressionAttributeNames: { '#version': 'version' },
      ExpressionAttributeValues: { ':version': previousVersion },
    },
  };
}

const offerItem = (o: OfferRecord) => ({
  ...keys.offer(o.referralId, o.partnerId),
  entity: 'offer',
  gsi1pk: partitions.offersOfPartner(o.partnerId),
  gsi1sk: `${o.offeredAt}#${o.referralId}`,
  ...(o.state === 'open' ? { gsi2pk: partitions.openOffers, gsi2sk: `${o.expiresAt}#${o.referralId}#${o.partnerId}` } : {}),
  ...o,
});

export const offerCreate = (o: OfferRecord): TransactItem => ({
  Put: { TableName: table(), Item: offerItem(o), ConditionExpression: 'attribute_not_exists(pk)' },
});

/** The offer closed (accepted, declined, expired, withdrawn): only while it is still open. */
export const offerClose = (o: OfferRecord): TransactItem => ({
  Put: {
    TableName: table(),
    Item: offerItem(o),
    ConditionExpression: '#state = :open',
    ExpressionAttributeNames: { '#state': 'state' },
    ExpressionAttributeValues: { ':open': 'open' },
  },
});

export const linkPut = (token: string, referralId: string, partnerId: string): TransactItem => ({
  Put: { TableName: table(), Item: { ...keys.link(token), entity: 'link', referralId, partnerId } },
});

export const quoteGuardPut = (quoteId: string, referralId: string): TransactItem => ({
  Put: {
    TableName: table(),
    Item: { ...keys.quote(quoteId), entity: 'quote-guard', referralId },
    ConditionExpression: 'attribute_not_exists(pk)',
  },
});

export const historyPut = (id: string, version: number, actor: Actor, now: Date, entry: Record<string, unknown>): TransactItem =>
  writeHistory(table(), keys.referral(id).pk, version, actor, now, entry);

export function eventPut<T extends 'ReferralOpened' | 'ReferralAccepted' | 'ReferralCompleted'>(
  type: T,
  now: Date,
  detail: EventPayloads[T],
): TransactItem {
  return outboxItem(type, detail, now, { table: 'referrals' });
}

/** Where an attachment (photo, plan) lies in the documents store (private). */
export const attachmentKey = (referralId: string, n: number) => `referrals/${referralId}/attachments/${n}`;
