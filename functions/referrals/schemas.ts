/** The referrals contract: what the routes take and answer (validated by the handlers, published in OpenAPI). */
import * as z from '../shared/zod.ts';
import { rgeDomains, trades } from '../onboarding/index.ts';
import { Address, Cents, Cursor, EtdCode, Id, IsoDate, lazy, Limit, multiLine, formText, singleLine } from '../shared/schemas.ts';
import { exclusionCodes } from './domain/matching.ts';
import { offerStates, referralStates } from './domain/referral.ts';

const uniqueList = <T extends z.ZodMiniType>(item: T, max: number) =>
  z.array(item).check(
    z.minLength(1, 'must name at least one'),
    z.maxLength(max),
    z.refine((list) => new Set(list).size === list.length, 'must not repeat a value'),
  );

/** The needs of the works: what matching reads (built inside the lazies that spread them). */
const needs = () => ({
  title: singleLine(200),
  description: multiLine(4000),
  trades: uniqueList(z.enum(trades), trades.length).check(
    z.describe('Trade codes (GET /openapi.json lists them; pages print their French labels)'),
  ),
  energyRenovation: z
    .boolean()
    .check(z.describe('Energy renovation: the partner must hold a valid RGE qualification in every domain of rgeDomains')),
  rgeDomains: z
    .optional(uniqueList(z.enum(rgeDomains), rgeDomains.length))
    .check(z.describe('RGE domain codes the works need (energy renovation only)')),
  estimatedAmountCents: Cents().check(z.lte(100_000_000, 'must be at most 1 000 000 €'), z.describe('Estimated amount of the works HT')),
  startDate: IsoDate().check(z.describe('Wished start (not in the past)')),
  endDate: IsoDate().check(z.describe('Wished end (not before the start)')),
});

function checkNeeds(
  body: { energyRenovation: boolean; rgeDomains?: readonly string[] | undefined; startDate: string; endDate: string },
  ctx: z.core.$RefinementCtx,
) {
  if (body.endDate < body.startDate) ctx.addIssue({ code: 'custom', path: ['endDate'], message: 'must not be before startDate' });
  if (body.energyRenovation && !body.rgeDomains?.length)
    ctx.addIssue({ code: 'custom', path: ['rgeDomains'], message: 'an energy renovation names the RGE domains it needs' });
  if (!body.energyRenovation && body.rgeDomains?.length)
    ctx.addIssue({ code: 'custom', path: ['rgeDomains'], message: 'only an energy renovation needs RGE domains' });
}

export const OpenReferralBody = /* @__PURE__ */ lazy(() =>
  z
    .strictObject({
      entrepreneurId: z
        .optional(Id('ent'))
        .check(z.describe('The entrepreneur who brings the works; required when a manager opens the referral')),
      clientId: Id('cli'),
      quoteId: z.optional(Id('quo')).check(z.describe('The accepted quote the works come from')),
      site: Address().check(z.describe('Where the works take place (its postal code gives the département, which must be the territory)')),
      ...needs(),
    })
    .check(z.superRefine(checkNeeds)),
);

/** A draft (opened from an accepted quote) gets its needs, then is matched. */
export const OpenDraftBody = /* @__PURE__ */ lazy(() => z.strictObject({ ...needs() }).check(z.superRefine(checkNeeds)));

export const TransitionBody = /* @__PURE__ */ lazy(() =>
  z.discriminatedUnion('to', [
    z.strictObject({ to: z.literal('in_progress') }),
    z.strictObject({
      to: z.literal('completed'),
      techniciansAged45Plus: z
        .number()
        .check(z.int(), z.nonnegative(), z.lte(10_000), z.describe('Technicians aged 45+ actually on the job')),
      worksAmountCents: z
        .optional(Cents().check(z.lte(100_000_000)))
        .check(z.describe('Works amount HT the partner invoiced its client (default: the estimate): the commission base')),
    }),
    z.strictObject({ to: z.literal('cancelled'), reason: singleLine(500) }),
  ]),
);

export const attachmentTypes = ['image/jpeg', 'image/png', 'application/pdf'] as const;
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

export const AttachmentBody = /* @__PURE__ */ lazy(() =>
  z.strictObject({
    name: singleLine(120),
    contentType: z.enum(attachmentTypes),
    bytes: z.number().check(z.int(), z.gte(1), z.lte(MAX_ATTACHMENT_BYTES, 'must be at most 10 MiB')),
  }),
);

export const ReferralParams = /* @__PURE__ */ lazy(() => z.object({ id: Id('ref') }));
export const ListReferralsQuery = /* @__PURE__ */ lazy(() =>
  z.strictObject({
    etd: z.optional(EtdCode()),
    state: z.optional(z.enum(referralStates)),
    limit: Limit(),
    cursor: Cursor(),
  }),
);
export const PartnerReferralsQuery = /* @__PURE__ */ lazy(() => z.strictObject({ limit: Limit(), cursor: Cursor() }));

const Figures = /* @__PURE__ */ lazy(() =>
  z.object({
    wornOut: z.number().check(z.int()),
    technicians: z.number().check(z.int()),
    wornOutShareBasisPoints: z.number().check(z.int()),
    openOffers: z.number().check(z.int()),
    registeredOn: z.string(),
  }),
);

const Exclusion = /* @__PURE__ */ lazy(() =>
  z.object({
    code: z.enum(exclusionCodes),
    reason: z.string().check(z.describe('In French')),
    details: z.optional(z.record(z.string(), z.unknown())),
  }),
);

const Offer = /* @__PURE__ */ lazy(() =>
  z.object({
    partnerId: z.string(),
    legalName: z.string(),
    rank: z.number().check(z.int()),
    figures: Figures(),
    state: z.enum(offerStates),
    offeredAt: z.string(),
    expiresAt: z.string(),
    decidedAt: z.optional(z.string()),
    declineReason: z.optional(z.string()),
    plannedStart: z.optional(z.string()),
  }),
);

export const Referral = /* @__PURE__ */ lazy(() =>
  z.object({
    id: z.string(),
    etd: z.string(),
    entrepreneurId: z.string(),
    clientId: z.string(),
    quoteId: z.optional(z.string()),
    title: z.string(),
    description: z.string(),
    site: Address(),
    department: z.string(),
    trades: z.array(z.object({ code: z.string(), label: z.string() })),
    energyRenovation: z.boolean(),
    rgeDomains: z.array(z.object({ code: z.string(), label: z.string() })),
    estimatedAmountCents: z.number().check(z.int()),
    startDate: z.string(),
    endDate: z.string(),
    state: z.enum(referralStates),
    offersAtOnce: z.number().check(z.int()),
    offerHours: z.number().check(z.int()),
    candidates: z.array(z.object({ partnerId: z.string(), legalName: z.string(), rank: z.number().check(z.int()), figures: Figures() })),
    excluded: z.array(z.object({ partnerId: z.string(), legalName: z.string(), reasons: z.array(Exclusion()) })),
    offers: z.array(Offer()),
    acceptedPartnerId: z.optional(z.string()),
    plannedStart: z.optional(z.string()),
    worksAmountCents: z.optional(z.number().check(z.int())),
    techniciansAged45Plus: z.optional(z.number().check(z.int())),
    cancelReason: z.optional(z.string()),
    commission: z.optional(
      z.object({
        basisPoints: z.number().check(z.int()),
        amountCents: z.number().check(z.int()),
        invoiceId: z.optional(z.string()),
        number: z.optional(z.nullable(z.string())),
        payUrl: z.optional(z.string()),
      }),
    ),
    attachments: z.array(z.object({ name: z.string(), contentType: z.string(), bytes: z.number().check(z.int()) })),
    createdAt: z.string(),
    updatedAt: z.string(),
    version: z.number().check(z.int()),
  }),
);

export const AttachmentUpload = /* @__PURE__ */ lazy(() =>
  z.object({
    referral: Referral(),
    upload: z.object({ url: z.string(), method: z.literal('PUT'), headers: z.record(z.string(), z.string()), expiresAt: z.string() }),
  }),
);

/** What a partner sees of an offer: the job, and the client's contact and site only once it accepted. */
export const PartnerOffer = /* @__PURE__ */ lazy(() =>
  z.object({
    referralId: z.string(),
    state: z.enum(offerStates),
    referralState: z
      .optional(z.enum(referralStates))
      .check(z.describe('Once accepted: where the works are (in progress, completed, cancelled)')),
    rank: z.number().check(z.int()),
    offeredAt: z.string(),
    expiresAt: z.string(),
    job: z.object({
      title: z.string(),
      description: z.string(),
      trades: z.array(z.object({ code: z.string(), label: z.string() })),
      rgeDomains: z.array(z.object({ code: z.string(), label: z.string() })),
      city: z.string(),
      department: z.string(),
      startDate: z.string(),
      endDate: z.string(),
      estimatedAmountCents: z.number().check(z.int()),
    }),
    client: z.optional(z.object({ name: z.string(), phone: z.optional(z.string()), email: z.optional(z.string()), site: Address() })),
    links: z.object({ page: z.optional(z.string()) }),
  }),
);

/** The offer page's forms. */
export const AcceptForm = /* @__PURE__ */ lazy(() =>
  z.object({ plannedStart: z.iso.date('Indiquez la date de début prévue (jour, mois, année).') }),
);
export const DeclineForm = /* @__PURE__ */ lazy(() =>
  z.object({
    reason: z.optional(
      formText(1000, {
        control: 'Votre motif contient un caractère invisible non autorisé\u00a0: retirez-le.',
        tooLong: 'Votre motif dépasse 1\u202f000 caractères\u00a0: raccourcissez-le.',
      }),
    ),
  }),
);
