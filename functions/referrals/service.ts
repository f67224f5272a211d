/**
 * Referral use cases: opening (from scratch, or a draft from an accepted quote), matching and the
 * first offers, the reads with their explanation, the works' transitions, the commission invoice
 * (through the invoicing door), attachments. Rules are in domain/; keys and items in store.ts;
 * offers in offers.ts.
 */
import type { Out } from '../shared/contract.ts';
import type { Adapters } from '../shared/adapters.ts';
import { createdBy, type Actor } from '../shared/audit.ts';
import { canSeeEtd, scopedEtd, selfId, type Principal } from '../shared/auth.ts';
import { parisDate } from '../shared/clock.ts';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ServiceUnavailableError,
  unlessNotFound,
  ValidationError,
} from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { formatEuros, formatRate } from '../shared/french.ts';
import { businessMetric, logger } from '../shared/observability.ts';
import { listFilter, type Page } from '../shared/store.ts';
import { transact } from '../shared/transactions.ts';
import type { EventPayloads } from '../events/catalog.ts';
import { loadClient, loadEntrepreneur, loadPartner, partnersOfDepartment } from '../onboarding/index.ts';
import { issueBusinessInvoice } from '../invoices/index.ts';
import { loadQuoteForInvoicing } from '../quotes/index.ts';
import { commissionRateFor, offerSettingsFor } from './config.ts';
import { departmentOfPostalCode } from './domain/coverage.ts';
import { exclusionReason, rgeDomainsFr, tradesFr } from './domain/labels.ts';
import { matchPartners, type PartnerProfile } from './domain/matching.ts';
import { canMove, commissionCents, type ReferralState } from './domain/referral.ts';
import { mailOffers, nextOffers, SYSTEM, tellNoPartnerLeft, withdrawOthers, type OfferPorts } from './offers.ts';
import type { AttachmentBody, ListReferralsQuery, OpenDraftBody, OpenReferralBody, TransitionBody } from './schemas.ts';
import {
  attachmentKey,
  eventPut,
  historyPut,
  loadReferral,
  offersOf,
  openOffersCount,
  quoteGuardPut,
  referralCreate,
  referralOfQuote,
  referralReplace,
  referralsOfEntrepreneurPage,
  referralsOfEtdPage,
  type ReferralRecord,
} from './store.ts';

// ---- Visibility and representation -------------------------------------------------------------

/** Staff of its territory and operators; an entrepreneur the referrals it brought. Partners read theirs through their offers. */
export function canSee(principal: Principal, referral: Pick<ReferralRecord, 'etd' | 'entrepreneurId'>): boolean {
  if (principal.role === 'partner') return false;
  return canSeeEtd(principal, referral.etd) && (principal.role !== 'entrepreneur' || referral.entrepreneurId === principal.entityId);
}

export async function getReferral(principal: Principal, id: string): Promise<ReferralRecord> {
  const referral = await unlessNotFound(loadReferral(id));
  if (!referral || !canSee(principal, referral)) throw new NotFoundError(`Referral ${id} not found.`);
  return referral;
}

export async function present(referral: ReferralRecord) {
  const offers = await offersOf(referral.id);
  return {
    ...referral,
    trades: tradesFr(referral.trades),
    rgeDomains: rgeDomainsFr(referral.rgeDomains),
    excluded: referral.excluded.map((e) => ({ ...e, reasons: e.reasons.map((r) => ({ ...r, reason: exclusionReason(r) })) })),
    offers: offers.map(({ referralId: _r, etd: _e, ...offer }) => offer),
    attachments: referral.attachments.map(({ name, contentType, bytes }) => ({ name, contentType, bytes })),
  };
}

export async function listReferrals(principal: Principal, query: Out<typeof ListReferralsQuery>): Promise<Page<ReferralRecord>> {
  const etd = scopedEtd(principal, query.etd);
  if (!etd) throw new ValidationError([{ path: 'query.etd', message: 'is required for operators' }]);
  const filter = listFilter({ state: query.state });
  const page =
    principal.role === 'entrepreneur'
      ? await referralsOfEntrepreneurPage(selfId(principal), query, filter)
      : await referralsOfEtdPage(etd, query, filter);
  return { ...page, items: page.items.filter((r) => canSee(principal, r)) };
}

// ---- Opening -----------------------------------------------------------------------------------

/** The partner as matching reads it (old records: no wear-out declared, registered the day of their record). */
const profileOf = (p: Awaited<ReturnType<typeof loadPartner>>): PartnerProfile => ({
  id: p.id,
  legalName: p.legalName,
  trades: p.trades,
  departments: p.departments,
  decennale: p.decennale,
  rge: p.rge,
  technicians: p.technicians,
  registeredOn: p.registeredOn ?? p.createdAt.slice(0, 10),
});

/** Candidates and exclusions of a referral's needs, from the partners of its département now. */
async function match(referral: ReferralRecord) {
  const partners: PartnerProfile[] = [];
  for await (const p of partnersOfDepartment(referral.department)) partners.push(profileOf(p));
  const open = new Map<string, number>();
  await Promise.all(partners.map(async (p) => open.set(p.id, await openOffersCount(p.id))));
  return matchPartners(
    partners,
    {
      department: referral.department,
      trades: referral.trades,
      startDate: referral.startDate,
      endDate: referral.endDate,
      rgeDomains: referral.rgeDomains,
    },
    (id) => open.get(id) ?? 0,
  );
}

function checkDates(body: { startDate: string }, now: Date) {
  if (body.startDate < parisDate(now)) throw new ValidationError([{ path: 'startDate', message: 'must not be in the past' }]);
}

/** The entrepreneur who brings the works: itself, or the one a manager names (active, of the territory, in its CAE MSG). */
async function bringer(principal: Principal, entrepreneurId: string | undefined, etd: string) {
  let id: string;
  if (principal.role === 'entrepreneur') {
    if (entrepreneurId !== undefined && entrepreneurId !== selfId(principal))
      throw new ValidationError([{ path: 'entrepreneurId', message: 'an entrepreneur opens referrals for itself only' }]);
    id = selfId(principal);
  } else {
    if (!entrepreneurId) throw new ValidationError([{ path: 'entrepreneurId', message: 'is required when a manager opens a referral' }]);
    id = entrepreneurId;
  }
  const entrepreneur = await unlessNotFound(loadEntrepreneur(id));
  if (!entrepreneur || entrepreneur.etd !== etd)
    throw new ValidationError([{ path: 'entrepreneurId', message: 'no entrepreneur with this id in this territory' }]);
  if (entrepreneur.state !== 'active')
    throw new ValidationError([{ path: 'entrepreneurId', message: `the entrepreneur is ${entrepreneur.state}, not active` }]);
  // Building renovation is a pole of the CAE MSG, which invoices the referral commission for its entrepreneur.
  if (entrepreneur.cae !== 'MSG')
    throw new ValidationError([{ path: 'entrepreneurId', message: 'referred works are brought by an entrepreneur of the CAE MSG' }]);
  return entrepreneur;
}

/**
 * Matches the referral and writes it with its first offers, its history entry and its
 * ReferralOpened event in one transaction (`extra`: a quote guard); then e-mails the offers.
 */
async function launch(
  ports: OfferPorts,
  actor: Actor,
  draft: ReferralRecord,
  previousVersion: number | undefined,
  now: Date,
  extra = [] as ReturnType<typeof quoteGuardPut>[],
) {
  const matching = await match(draft);
  const matched: ReferralRecord = {
    ...draft,
    state: 'open',
    candidates: matching.candidates,
    excluded: matching.excluded,
    matchedAt: now.toISOString(),
    ...(previousVersion !== undefined ? { version: previousVersion + 1, updatedAt: now.toISOString(), updatedBy: actor.sub } : {}),
  };
  const { next, items, offers } = await nextOffers(ports, matched, 0, now);
  const event: EventPayloads['ReferralOpened'] = {
    referralId: next.id,
    etd: next.etd,
    entrepreneurId: next.entrepreneurId,
    estimatedAmountCents: next.estimatedAmountCents,
    candidates: next.candidates.length,
    excluded: next.excluded.length,
  };
  await transact(
    [
      previousVersion === undefined ? referralCreate(next) : referralReplace(next, previousVersion),
      historyPut(next.id, next.version, actor, now, {
        action: 'opened',
        candidates: next.candidates.length,
        offered: offers.map((o) => o.partnerId),
      }),
      eventPut('ReferralOpened', now, event),
      ...items,
      ...extra,
    ],
    (index) =>
      index >= 3 + items.length
        ? new ConflictError('The quote already has a referral.', { field: 'quoteId' })
        : new ConflictError('The referral changed meanwhile; read it again.'),
  );
  businessMetric('ReferralOpened', next.etd);
  if (!next.candidates.length) businessMetric('ReferralWithoutCandidate', next.etd);
  await mailOffers(ports, next, offers);
  if (!next.candidates.length) await tellNoPartnerLeft(ports, next);
  return next;
}

/** What a referral states when it is drafted; the rest starts empty. */
type DraftFields = Pick<
  ReferralRecord,
  | 'etd'
  | 'entrepreneurId'
  | 'clientId'
  | 'quoteId'
  | 'title'
  | 'description'
  | 'site'
  | 'department'
  | 'trades'
  | 'energyRenovation'
  | 'rgeDomains'
  | 'estimatedAmountCents'
  | 'startDate'
  | 'endDate'
>;

/** A new draft, with the offer settings of its territory on the day. */
function newDraft(fields: DraftFields, actor: Actor, now: Date): ReferralRecord {
  const settings = offerSettingsFor(fields.etd, parisDate(now));
  return {
    id: newId('ref', now),
    ...fields,
    state: 'draft',
    offersAtOnce: settings.offersAtOnce,
    offerHours: settings.offerHours,
    candidates: [],
    excluded: [],
    offered: 0,
    attachments: [],
    ...createdBy(actor, now),
  };
}

export async function openReferral(ports: OfferPorts, principal: Principal, body: Out<typeof OpenReferralBody>, now: Date) {
  if (principal.role !== 'manager' && principal.role !== 'entrepreneur')
    throw new ForbiddenError('Only managers and entrepreneurs open referrals.');
  const etd = principal.etd!;
  const department = departmentOfPostalCode(body.site.postalCode);
  if (department !== etd)
    throw new ValidationError([{ path: 'site.postalCode', message: `the site must be in the territory (département ${etd})` }]);
  checkDates(body, now);
  const entrepreneur = await bringer(principal, body.entrepreneurId, etd);
  const client = await unlessNotFound(loadClient(body.clientId));
  if (!client || client.etd !== etd || client.entrepreneurId !== entrepreneur.id)
    throw new ValidationError([{ path: 'clientId', message: 'no client of this entrepreneur with this id' }]);
  if (body.quoteId) {
    const quote = await unlessNotFound(loadQuoteForInvoicing(body.quoteId));
    if (!quote || quote.clientId !== client.id || quote.etd !== etd)
      throw new ValidationError([{ path: 'quoteId', message: 'no quote of this client' }]);
    if (quote.state !== 'accepted') throw new ValidationError([{ path: 'quoteId', message: `the quote is ${quote.state}, not accepted` }]);
  }
  const referral = newDraft(
    {
      etd,
      entrepreneurId: entrepreneur.id,
      clientId: client.id,
      ...(body.quoteId ? { quoteId: body.quoteId } : {}),
      title: body.title,
      description: body.description,
      site: body.site,
      department,
      trades: body.trades,
      energyRenovation: body.energyRenovation,
      rgeDomains: body.rgeDomains ?? [],
      estimatedAmountCents: body.estimatedAmountCents,
      startDate: body.startDate,
      endDate: body.endDate,
    },
    principal,
    now,
  );
  return launch(ports, principal, referral, undefined, now, body.quoteId ? [quoteGuardPut(body.quoteId, referral.id)] : []);
}

/**
 * A `QuoteAccepted` event opens a draft referral for a works quote of a CAE MSG entrepreneur: the
 * client, site and amount HT from the quote; its needs (trades, dates) are stated when it is opened.
 * Once per quote.
 */
export async function draftFromQuote(
  detail: EventPayloads['QuoteAccepted'],
  now: Date,
): Promise<{ referralId?: string; skipped?: string }> {
  if (detail.cae !== 'MSG') return { skipped: 'not a works quote of the CAE MSG' };
  const known = await referralOfQuote(detail.quoteId);
  if (known) return { referralId: known };
  const quote = await loadQuoteForInvoicing(detail.quoteId);
  const department = departmentOfPostalCode(quote.siteAddress.postalCode);
  if (department !== quote.etd) return { skipped: 'the site is outside the territory' };
  const today = parisDate(now);
  const referral = newDraft(
    {
      etd: quote.etd,
      entrepreneurId: quote.entrepreneurId,
      clientId: quote.clientId,
      quoteId: quote.id,
      title: quote.title,
      description: `Travaux du devis n° ${quote.number} accepté.`,
      site: quote.siteAddress,
      department,
      trades: [],
      energyRenovation: false,
      rgeDomains: [],
      estimatedAmountCents: quote.totals.netCents,
      startDate: today,
      endDate: today,
    },
    SYSTEM,
    now,
  );
  try {
    await transact(
      [
        referralCreate(referral),
        historyPut(referral.id, 1, SYSTEM, now, { action: 'drafted', quoteId: quote.id }),
        quoteGuardPut(quote.id, referral.id),
      ],
      () => new ConflictError('The quote already has a referral.'),
    );
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
    return { referralId: (await referralOfQuote(detail.quoteId))! };
  }
  return { referralId: referral.id };
}

export async function openDraft(ports: OfferPorts, principal: Principal, id: string, body: Out<typeof OpenDraftBody>, now: Date) {
  const draft = await getReferral(principal, id);
  if (draft.state !== 'draft') throw new ConflictError(`The referral is ${draft.state}: only a draft is opened.`, { state: draft.state });
  checkDates(body, now);
  return launch(ports, principal, { ...draft, ...body, rgeDomains: body.rgeDomains ?? [] }, draft.version, now);
}

// ---- The works ---------------------------------------------------------------------------------

export type WorksPorts = OfferPorts & Pick<Adapters, 'documents'>;

/**
 * `accepted → in_progress → completed` (the technicians 45+ on the job recorded, the commission
 * invoiced), or `cancelled` with a reason. Staff and the entrepreneur who brought it move it; the
 * partner that accepted may record the start and the completion of its works.
 */
export async function transition(ports: WorksPorts, principal: Principal, id: string, body: Out<typeof TransitionBody>, now: Date) {
  const referral = principal.role === 'partner' ? await partnersReferral(principal, id) : await getReferral(principal, id);
  if (principal.role === 'partner' && body.to === 'cancelled') throw new ForbiddenError('A partner does not cancel a referral.');
  if (!canMove(referral.state, body.to as ReferralState))
    throw new ConflictError(`A referral ${referral.state} cannot become ${body.to}.`, { state: referral.state });
  const at = now.toISOString();
  const next: ReferralRecord = {
    ...referral,
    state: body.to,
    ...(body.to === 'in_progress' ? { startedAt: at } : {}),
    ...(body.to === 'completed'
      ? {
          completedAt: at,
          techniciansAged45Plus: body.techniciansAged45Plus,
          worksAmountCents: body.worksAmountCents ?? referral.estimatedAmountCents,
        }
      : {}),
    ...(body.to === 'cancelled' ? { cancelledAt: at, cancelReason: body.reason } : {}),
    updatedAt: at,
    updatedBy: principal.sub,
    version: referral.version + 1,
  };
  if (body.to === 'completed') {
    const partner = await loadPartner(referral.acceptedPartnerId!);
    if (body.techniciansAged45Plus > partner.technicians.aged45Plus)
      throw new ValidationError([
        { path: 'techniciansAged45Plus', message: `the partner declares ${partner.technicians.aged45Plus} technicians aged 45+` },
      ]);
    const rate = commissionRateFor(referral.etd, partner.siret, parisDate(now));
    (next as { commission?: ReferralRecord['commission'] }).commission = {
      basisPoints: rate.basisPoints,
      rateKind: rate.kind,
      amountCents: commissionCents(next.worksAmountCents!, rate.basisPoints),
    };
  }
  await transact(
    [
      referralReplace(next, referral.version),
      historyPut(id, next.version, principal, now, { action: body.to, ...(body.to === 'cancelled' ? { reason: body.reason } : {}) }),
      ...(body.to === 'completed'
        ? [
            eventPut('ReferralCompleted', now, {
              referralId: id,
              etd: next.etd,
              partnerId: next.acceptedPartnerId!,
              entrepreneurId: next.entrepreneurId,
              worksAmountCents: next.worksAmountCents!,
              techniciansAged45Plus: next.techniciansAged45Plus!,
              completedOn: parisDate(now),
            }),
          ]
        : []),
    ],
    () => new ConflictError('The referral changed meanwhile; read it again.'),
  );
  businessMetric(`Referral${body.to === 'in_progress' ? 'Started' : body.to === 'completed' ? 'Completed' : 'Cancelled'}`, next.etd);
  if (body.to === 'cancelled') {
    await withdrawOthers(ports, next, undefined, now);
    if (next.acceptedPartnerId) await tellCancelled(ports, next);
  }
  if (body.to === 'completed') {
    // The completion is recorded whatever becomes of its invoice: a commission that cannot be issued now (the
    // partner has no address on record, the series is busy) stays pending, for POST /referrals/{id}/commission.
    try {
      return await invoiceCommission(ports, next, now);
    } catch (error) {
      if (!(error instanceof ConflictError) && !(error instanceof ServiceUnavailableError)) throw error;
      logger.warn('referral commission not invoiced yet', { referralId: id, problem: error.slug });
      return next;
    }
  }
  return next;
}

/** The partner that accepted the works is told they are cancelled (a failed e-mail is logged: the referral shows it). */
async function tellCancelled(ports: Pick<Adapters, 'mailer'>, referral: ReferralRecord): Promise<void> {
  try {
    const partner = await loadPartner(referral.acceptedPartnerId!);
    await ports.mailer.send({
      to: partner.contact.email,
      subject: `Chantier annulé — ${referral.title}`,
      text: [
        `Bonjour ${partner.legalName},`,
        '',
        `Le chantier «\u00a0${referral.title}\u00a0» à ${referral.site.city}, que vous aviez accepté, est annulé.`,
        `Motif\u00a0: ${referral.cancelReason ?? 'non précisé'}.`,
        '',
        'Le réseau Oui Ensemble',
      ].join('\n'),
    });
  } catch (error) {
    logger.error('cancellation e-mail failed', { referralId: referral.id, error: (error as Error).name });
  }
}

/** A partner reaches a referral only through the offer it accepted. */
async function partnersReferral(principal: Principal, id: string): Promise<ReferralRecord> {
  const referral = await unlessNotFound(loadReferral(id));
  if (!referral || referral.acceptedPartnerId !== selfId(principal)) throw new NotFoundError(`Referral ${id} not found.`);
  return referral;
}

/**
 * The CAE MSG of the territory invoices the partner its referral commission (a standard invoice of
 * the invoicing context, paid online like any other), once: asking again answers the same invoice.
 */
export async function invoiceCommission(ports: WorksPorts, referral: ReferralRecord, now: Date): Promise<ReferralRecord> {
  if (referral.state !== 'completed' || !referral.commission)
    throw new ConflictError('Only completed works are commissioned.', { state: referral.state });
  if (referral.commission.number) return referral;
  const partner = await loadPartner(referral.acceptedPartnerId!);
  if (!partner.address)
    throw new ConflictError('The partner company has no address on record: add it before its commission is invoiced.', {
      field: 'address',
    });
  const rate = referral.commission.basisPoints / 100;
  const invoice = await issueBusinessInvoice(
    ports,
    SYSTEM,
    {
      source: { kind: 'referral-commission', id: referral.id },
      etd: referral.etd,
      cae: 'MSG',
      entrepreneurId: referral.entrepreneurId,
      client: {
        id: partner.id,
        legalName: partner.legalName,
        siret: partner.siret,
        address: partner.address,
        email: partner.contact.email,
      },
      title: `Commission d’apport d’affaires — ${referral.title}`,
      lines: [
        {
          description: `Commission d’apport d’affaires\u00a0: ${formatRate(String(rate))} des travaux réalisés à ${referral.site.city} (${referral.title}), montant des travaux ${formatEuros(referral.worksAmountCents!)} HT`,
          kind: 'other',
          quantity: 1,
          unit: 'lump-sum',
          unitPriceCents: referral.commission.amountCents,
          vatRate: '20',
        },
      ],
      serviceDate: parisDate(new Date(referral.completedAt!)),
    },
    now,
  );
  const next: ReferralRecord = {
    ...referral,
    commission: { ...referral.commission, invoiceId: invoice.invoiceId, number: invoice.number, payUrl: invoice.payUrl },
    updatedAt: now.toISOString(),
    updatedBy: SYSTEM.sub,
    version: referral.version + 1,
  };
  await transact(
    [
      referralReplace(next, referral.version),
      historyPut(referral.id, next.version, SYSTEM, now, { action: 'commission-invoiced', invoiceId: invoice.invoiceId }),
    ],
    () => new ConflictError('The referral changed meanwhile; read it again.'),
  );
  businessMetric('ReferralCommissionInvoiced', referral.etd, referral.commission.amountCents);
  return next;
}

/** POST /referrals/{id}/commission: issues it again if the completion could not (e.g. no partner address then). */
export async function retryCommission(ports: WorksPorts, principal: Principal, id: string, now: Date) {
  if (principal.role === 'entrepreneur') throw new ForbiddenError('Managers invoice the commission.');
  return invoiceCommission(ports, await getReferral(principal, id), now);
}

// ---- Attachments -------------------------------------------------------------------------------

export const ATTACHMENT_UPLOAD_TTL_SECONDS = 900;
export const MAX_ATTACHMENTS = 20;

/** Declares a photo or plan: answers a short-lived signed link to PUT exactly that type and size. */
export async function addAttachment(
  ports: Pick<Adapters, 'documents'>,
  principal: Principal,
  id: string,
  body: Out<typeof AttachmentBody>,
  now: Date,
) {
  const referral = await getReferral(principal, id);
  if (referral.state === 'completed' || referral.state === 'cancelled')
    throw new ConflictError(`The referral is ${referral.state}.`, { state: referral.state });
  if (referral.attachments.length >= MAX_ATTACHMENTS)
    throw new ValidationError([{ path: 'name', message: `a referral holds at most ${MAX_ATTACHMENTS} attachments` }]);
  const key = attachmentKey(referral.id, referral.attachments.length + 1);
  const next: ReferralRecord = {
    ...referral,
    attachments: [
      ...referral.attachments,
      { key, name: body.name, contentType: body.contentType, bytes: body.bytes, addedAt: now.toISOString() },
    ],
    updatedAt: now.toISOString(),
    updatedBy: principal.sub,
    version: referral.version + 1,
  };
  await transact(
    [referralReplace(next, referral.version), historyPut(id, next.version, principal, now, { action: 'attachment', name: body.name })],
    () => new ConflictError('The referral changed meanwhile; read it again.'),
  );
  const upload = await ports.documents.uploadLink(key, {
    contentType: body.contentType,
    bytes: body.bytes,
    maxBytes: 10 * 1024 * 1024,
    ttlSeconds: ATTACHMENT_UPLOAD_TTL_SECONDS,
  });
  return { referral: next, upload };
}

// ---- Impact ------------------------------------------------------------------------------------

export { referralFactsOf } from './store.ts';
