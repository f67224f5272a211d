/**
 * Offers to partners: sending the next ones (with their signed link by e-mail), the page's view,
 * acceptance (the first wins: a conditional write on the referral), decline and expiry (the next
 * candidate gets an offer), the withdrawal of the others, and the partner's own list.
 */
import type { Adapters } from '../shared/adapters.ts';
import { signedLinkToken } from '../shared/hash.ts';
import type { Actor } from '../shared/audit.ts';
import { selfId, type Principal } from '../shared/auth.ts';
import { parisDate } from '../shared/clock.ts';
import { ConflictError, ValidationError } from '../shared/errors.ts';
import { formatDate, formatDateTime, formatEuros } from '../shared/french.ts';
import { businessMetric, logger } from '../shared/observability.ts';
import type { Page, PageRequest } from '../shared/store.ts';
import { transact, type TransactItem } from '../shared/transactions.ts';
import { clientName, loadClient, loadEntrepreneur, loadPartner, type Client } from '../onboarding/index.ts';
import { exclusionReason, rgeDomainsFr, tradesFr } from './domain/labels.ts';
import { nextToOffer, offerAnswerable } from './domain/referral.ts';
import {
  eventPut,
  findOffer,
  historyPut,
  linkPut,
  loadReferral,
  offerClose,
  offerCreate,
  offersExpiredBefore,
  offersOf,
  offersOfPartnerPage,
  referralReplace,
  type OfferRecord,
  type ReferralRecord,
} from './store.ts';

export type LinkPorts = Pick<Adapters, 'secrets' | 'publicBaseUrl'>;
export type OfferPorts = LinkPorts & Pick<Adapters, 'mailer'>;

/** The system actor of what no person does (expiry, offers sent on, withdrawals). */
export const SYSTEM: Actor = { sub: 'system:referrals', role: 'system' };

/** The partner's link token: HMAC of the offer under the link key (256 bits, never stored; its SHA-256 is). */
export async function offerToken(ports: Pick<Adapters, 'secrets'>, referralId: string, partnerId: string): Promise<string> {
  return signedLinkToken(ports, `referral-offer:${referralId}:${partnerId}`);
}

export const offerUrl = async (ports: LinkPorts, referralId: string, partnerId: string) =>
  `${ports.publicBaseUrl()}/r/${await offerToken(ports, referralId, partnerId)}`;

/**
 * The next offers of a referral (so that `offersAtOnce` are open), as transaction parts, and the
 * referral after them. Nothing when every candidate had its offer.
 */
export async function nextOffers(
  ports: Pick<Adapters, 'secrets'>,
  referral: ReferralRecord,
  openNow: number,
  now: Date,
): Promise<{ next: ReferralRecord; items: TransactItem[]; offers: OfferRecord[] }> {
  const positions = nextToOffer(referral.candidates.length, referral.offered, openNow, referral.offersAtOnce);
  const offers: OfferRecord[] = positions.map((i) => {
    const c = referral.candidates[i]!;
    return {
      referralId: referral.id,
      partnerId: c.partnerId,
      legalName: c.legalName,
      etd: referral.etd,
      rank: c.rank,
      figures: c.figures,
      state: 'open',
      offeredAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + referral.offerHours * 3_600_000).toISOString(),
    };
  });
  const items: TransactItem[] = [];
  for (const offer of offers) {
    items.push(offerCreate(offer), linkPut(await offerToken(ports, referral.id, offer.partnerId), referral.id, offer.partnerId));
  }
  return { next: { ...referral, offered: referral.offered + offers.length }, items, offers };
}

/** E-mails each new offer to its partner (after the commit); a failure is logged, the offer stays visible in its list. */
export async function mailOffers(ports: OfferPorts, referral: ReferralRecord, offers: readonly OfferRecord[]): Promise<void> {
  for (const offer of offers) {
    try {
      const partner = await loadPartner(offer.partnerId);
      const link = await offerUrl(ports, referral.id, offer.partnerId);
      await ports.mailer.send({
        to: partner.contact.email,
        subject: `Chantier proposé par Oui Ensemble — ${referral.title}`,
        text: [
          `Bonjour ${partner.legalName},`,
          '',
          `Le réseau Oui Ensemble vous propose un chantier à ${referral.site.city} (${referral.department})\u00a0: ${referral.title}.`,
          `Métiers\u00a0: ${tradesFr(referral.trades)
            .map((t) => t.label)
            .join(', ')}.`,
          ...(referral.rgeDomains.length
            ? [
                `Rénovation énergétique, qualification RGE\u00a0: ${rgeDomainsFr(referral.rgeDomains)
                  .map((d) => d.label)
                  .join(', ')}.`,
              ]
            : []),
          `Période souhaitée\u00a0: du ${formatDate(referral.startDate)} au ${formatDate(referral.endDate)}. Montant estimé\u00a0: ${formatEuros(referral.estimatedAmountCents)} HT.`,
          '',
          ...(offer.figures.wornOut > 0
            ? [
                'Cette proposition vous est faite en priorité parce que votre entreprise emploie des techniciens de 45\u00a0ans et plus en usure professionnelle.',
              ]
            : []),
          `Pour l’accepter ou la refuser, ouvrez ce lien avant le ${formatDateTime(offer.expiresAt)}\u00a0:`,
          link,
          '',
          'Bien cordialement,',
          'Le réseau Oui Ensemble',
        ].join('\n'),
      });
    } catch (error) {
      logger.error('offer e-mail failed', { referralId: referral.id, partnerId: offer.partnerId, error: (error as Error).name });
    }
  }
}

/**
 * The entrepreneur who brought the works is told when no partner holds them: none was eligible
 * (with the reasons, in French), or every candidate declined or let its offer expire. The
 * referral stays open; a failed e-mail is logged (the referral shows the same).
 */
export async function tellNoPartnerLeft(ports: Pick<Adapters, 'mailer'>, referral: ReferralRecord): Promise<void> {
  try {
    const author = await loadEntrepreneur(referral.entrepreneurId);
    const why = referral.candidates.length
      ? [`Les ${referral.candidates.length} entreprises retenues ont refusé le chantier ou n’ont pas répondu à temps.`]
      : [
          'Aucune entreprise partenaire ne remplit les conditions du chantier\u00a0:',
          ...referral.excluded.map((e) => `- ${e.legalName}\u00a0: ${e.reasons.map(exclusionReason).join(' ')}`),
        ];
    await ports.mailer.send({
      to: author.email,
      subject: `Aucun partenaire pour le chantier «\u00a0${referral.title}\u00a0»`,
      text: [
        `Bonjour ${author.firstName},`,
        '',
        `Le chantier «\u00a0${referral.title}\u00a0» à ${referral.site.city} n’a pas trouvé d’entreprise partenaire pour le moment.`,
        ...why,
        '',
        'La demande reste ouverte. Vous pouvez en parler avec votre coopérative ou inviter une entreprise qualifiée à rejoindre le réseau.',
        '',
        'Le réseau Oui Ensemble',
      ].join('\n'),
    });
  } catch (error) {
    logger.error('no-partner e-mail failed', { referralId: referral.id, error: (error as Error).name });
  }
}

// ---- The page ----------------------------------------------------------------------------------

/** The partner sees the client's contact and the site once it accepted, until the works are cancelled. */
export const seesClient = (offer: Pick<OfferRecord, 'state'>, referral: Pick<ReferralRecord, 'state'>): boolean =>
  offer.state === 'accepted' && referral.state !== 'cancelled';

export interface OfferView {
  readonly offer: OfferRecord;
  readonly referral: ReferralRecord;
  /** Only once this partner accepted. */
  readonly client?: Client | undefined;
  readonly partnerName: string;
  readonly actionBase: string;
  /** The earliest planned start the page proposes (YYYY-MM-DD): the wished start, or today once it is past. */
  readonly earliestStart: string;
}

export async function offerView(ports: LinkPorts, offer: OfferRecord, now = new Date()): Promise<OfferView> {
  const referral = await loadReferral(offer.referralId);
  const client = seesClient(offer, referral) ? await loadClient(referral.clientId) : undefined;
  const today = parisDate(now);
  return {
    offer,
    referral,
    client,
    partnerName: offer.legalName,
    actionBase: `${ports.publicBaseUrl()}/r/${await offerToken(ports, offer.referralId, offer.partnerId)}`,
    earliestStart: [referral.startDate, today].sort().at(-1)!, // ISO dates: the later one
  };
}

/** Why an offer can no longer be answered (the page says it in French). */
export class OfferClosedError extends Error {
  readonly reason: 'expired' | 'withdrawn' | 'declined' | 'accepted' | 'taken';
  constructor(reason: OfferClosedError['reason']) {
    super(`offer ${reason}`);
    this.reason = reason;
  }
}

function closedReason(offer: OfferRecord, now: Date): OfferClosedError['reason'] | undefined {
  if (offerAnswerable(offer, now.toISOString())) return undefined;
  return offer.state === 'open' ? 'expired' : offer.state;
}

/** The page shows an offer still open before its expiry, or accepted; past its expiry it is closed even before the hourly job ran. */
export function showable(offer: OfferRecord, now: Date): OfferRecord {
  if (offer.state === 'accepted') return offer;
  const closed = closedReason(offer, now);
  if (closed) throw new OfferClosedError(closed);
  return offer;
}

/**
 * The partner accepts: its offer (still open, before expiry) and the referral (still open) in one
 * conditional transaction, so that of two acceptances one wins; the other offers are then withdrawn
 * and their partners told.
 */
export async function acceptOffer(ports: OfferPorts, offer: OfferRecord, plannedStart: string, now: Date): Promise<OfferRecord> {
  const closed = closedReason(offer, now);
  if (closed) throw new OfferClosedError(closed);
  if (plannedStart < parisDate(now)) throw new ValidationError([{ path: 'plannedStart', message: 'must not be in the past' }]);
  const accepted: OfferRecord = { ...offer, state: 'accepted', decidedAt: now.toISOString(), plannedStart };
  const partnerActor: Actor = { sub: `partner:${offer.partnerId}`, role: 'partner' };
  for (let attempt = 0; ; attempt++) {
    const referral = await loadReferral(offer.referralId);
    if (referral.state !== 'open') throw new OfferClosedError(referral.acceptedPartnerId ? 'taken' : 'withdrawn');
    const next: ReferralRecord = {
      ...referral,
      state: 'accepted',
      acceptedPartnerId: offer.partnerId,
      acceptedAt: now.toISOString(),
      plannedStart,
      updatedAt: now.toISOString(),
      updatedBy: partnerActor.sub,
      version: referral.version + 1,
    };
    const offerGone = new Error('offer closed');
    const referralMoved = new Error('referral moved');
    try {
      await transact(
        [
          acceptedOfferPut(accepted, now),
          referralReplace(next, referral.version),
          historyPut(referral.id, next.version, partnerActor, now, { action: 'accepted', partnerId: offer.partnerId, plannedStart }),
          eventPut('ReferralAccepted', now, { referralId: referral.id, etd: referral.etd, partnerId: offer.partnerId, plannedStart }),
        ],
        (index) => (index === 0 ? offerGone : referralMoved),
      );
      businessMetric('ReferralAccepted', referral.etd);
      await withdrawOthers(ports, next, offer.partnerId, now);
      return accepted;
    } catch (error) {
      if (error === offerGone) {
        const fresh = await findOffer(offer.referralId, offer.partnerId);
        throw new OfferClosedError((fresh && closedReason(fresh, now)) || 'expired');
      }
      // Another change of the referral (a decline elsewhere) or another acceptance: read it again.
      if (error === referralMoved || error instanceof ConflictError) {
        if (attempt < 3) continue;
        throw new OfferClosedError('taken');
      }
      throw error;
    }
  }
}

/** The accepted offer, conditioned on being open and not expired at `now`. */
function acceptedOfferPut(offer: OfferRecord, now: Date): TransactItem {
  const put = offerClose(offer).Put!;
  return {
    Put: {
      ...put,
      ConditionExpression: '#state = :open AND expiresAt > :now',
      ExpressionAttributeValues: { ':open': 'open', ':now': now.toISOString() },
    },
  };
}

/** The other open offers of an accepted (or cancelled) referral are withdrawn, their partners told. */
export async function withdrawOthers(ports: OfferPorts, referral: ReferralRecord, keep: string | undefined, now: Date): Promise<number> {
  let withdrawn = 0;
  for (const other of await offersOf(referral.id)) {
    if (other.partnerId === keep || other.state !== 'open') continue;
    try {
      await transact([offerClose({ ...other, state: 'withdrawn', decidedAt: now.toISOString() })], () => new Error('closed meanwhile'));
      withdrawn += 1;
      const partner = await loadPartner(other.partnerId);
      await ports.mailer
        .send({
          to: partner.contact.email,
          subject: `Chantier attribué — ${referral.title}`,
          text: [
            `Bonjour ${partner.legalName},`,
            '',
            referral.state === 'cancelled'
              ? `Le chantier «\u00a0${referral.title}\u00a0» qui vous était proposé a été annulé\u00a0: la proposition est retirée.`
              : `Le chantier «\u00a0${referral.title}\u00a0» qui vous était proposé a été accepté par une autre entreprise\u00a0: la proposition est retirée.`,
            'Merci de votre attention. D’autres chantiers vous seront proposés.',
            '',
            'Le réseau Oui Ensemble',
          ].join('\n'),
        })
        .catch((error: unknown) => logger.error('withdrawal e-mail failed', { referralId: referral.id, error: (error as Error).name }));
    } catch {
      // Answered or expired meanwhile: nothing to withdraw.
    }
  }
  return withdrawn;
}

/**
 * An open offer ends without acceptance (declined by its partner, or expired): in one transaction
 * the offer closes and the next candidate(s) get theirs; then they are e-mailed.
 */
export async function closeAndMoveOn(
  ports: OfferPorts,
  offer: OfferRecord,
  outcome: 'declined' | 'expired',
  now: Date,
  reason?: string,
): Promise<{ closed: OfferRecord; offered: OfferRecord[] }> {
  const closed: OfferRecord = { ...offer, state: outcome, decidedAt: now.toISOString(), ...(reason ? { declineReason: reason } : {}) };
  for (let attempt = 0; ; attempt++) {
    const referral = await loadReferral(offer.referralId);
    const open = (await offersOf(referral.id)).filter((o) => o.state === 'open' && o.partnerId !== offer.partnerId).length;
    const { next, items, offers } =
      referral.state === 'open' ? await nextOffers(ports, referral, open, now) : { next: referral, items: [], offers: [] };
    const actor: Actor = outcome === 'declined' ? { sub: `partner:${offer.partnerId}`, role: 'partner' } : SYSTEM;
    const changed: ReferralRecord = { ...next, updatedAt: now.toISOString(), updatedBy: actor.sub, version: referral.version + 1 };
    const stale = new Error('referral changed');
    const gone = new OfferClosedError('expired');
    try {
      await transact(
        [
          offerClose(closed),
          referralReplace(changed, referral.version),
          historyPut(referral.id, changed.version, actor, now, {
            action: `offer-${outcome}`,
            partnerId: offer.partnerId,
            offeredNext: offers.map((o) => o.partnerId),
          }),
          ...items,
        ],
        (index) => (index === 0 ? gone : stale),
      );
      businessMetric(outcome === 'declined' ? 'ReferralOfferDeclined' : 'ReferralOfferExpired', referral.etd);
      if (offers.length) await mailOffers(ports, changed, offers);
      else if (changed.state === 'open' && open === 0) await tellNoPartnerLeft(ports, changed);
      return { closed, offered: offers };
    } catch (error) {
      if (error === gone) {
        const fresh = await findOffer(offer.referralId, offer.partnerId);
        throw new OfferClosedError(fresh?.state === 'open' ? 'expired' : (fresh?.state ?? 'withdrawn'));
      }
      if (error !== stale || attempt >= 3) throw error;
    }
  }
}

export async function declineOffer(ports: OfferPorts, offer: OfferRecord, reason: string | undefined, now: Date) {
  const closed = closedReason(offer, now);
  if (closed) throw new OfferClosedError(closed);
  return (await closeAndMoveOn(ports, offer, 'declined', now, reason)).closed;
}

/** Hourly job: every open offer past its expiry is expired and the next candidate gets an offer. */
export async function expireOffers(ports: OfferPorts, now: Date): Promise<{ expired: number; offered: number; skipped: number }> {
  let expired = 0;
  let offered = 0;
  let skipped = 0;
  const due: { referralId: string; partnerId: string }[] = [];
  for await (const key of offersExpiredBefore(now.toISOString())) due.push(key);
  for (const key of due) {
    const offer = await findOffer(key.referralId, key.partnerId);
    if (offer?.state !== 'open') {
      skipped += 1;
      continue;
    }
    try {
      const result = await closeAndMoveOn(ports, offer, 'expired', now);
      expired += 1;
      offered += result.offered.length;
    } catch (error) {
      if (!(error instanceof OfferClosedError)) throw error;
      skipped += 1; // answered meanwhile
    }
  }
  return { expired, offered, skipped };
}

// ---- The partner's list ------------------------------------------------------------------------

export async function partnerReferrals(ports: LinkPorts, principal: Principal, page: PageRequest, now: Date) {
  const partnerId = selfId(principal);
  const offers: Page<OfferRecord> = await offersOfPartnerPage(partnerId, page);
  const items = [];
  for (const offer of offers.items) {
    const referral = await loadReferral(offer.referralId);
    const client = seesClient(offer, referral) ? await loadClient(referral.clientId) : undefined;
    items.push({
      referralId: offer.referralId,
      state: offer.state === 'open' && !offerAnswerable(offer, now.toISOString()) ? ('expired' as const) : offer.state,
      ...(offer.state === 'accepted' ? { referralState: referral.state } : {}),
      rank: offer.rank,
      offeredAt: offer.offeredAt,
      expiresAt: offer.expiresAt,
      job: {
        title: referral.title,
        description: referral.description,
        trades: tradesFr(referral.trades),
        rgeDomains: rgeDomainsFr(referral.rgeDomains),
        city: referral.site.city,
        department: referral.department,
        startDate: referral.startDate,
        endDate: referral.endDate,
        estimatedAmountCents: referral.estimatedAmountCents,
      },
      ...(client ? { client: { ...clientContact(client), site: referral.site } } : {}),
      links:
        offerAnswerable(offer, now.toISOString()) || offer.state === 'accepted'
          ? { page: await offerUrl(ports, offer.referralId, partnerId) }
          : {},
    });
  }
  return { items, ...(offers.nextCursor ? { nextCursor: offers.nextCursor } : {}) };
}

export const clientContact = (client: Client) => ({
  name: clientName(client),
  ...(client.phone ? { phone: client.phone } : {}),
  ...(client.email ? { email: client.email } : {}),
});
