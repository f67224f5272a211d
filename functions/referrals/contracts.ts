import * as z from '../shared/zod.ts';
/** The referrals routes' contracts (JSON API and the partner's pages): validated by the handlers, published in the OpenAPI document. */
import { contractsOf } from '../shared/http.ts';
import { routes } from './routes.ts';
import { pageContractsOf } from '../shared/page.ts';
import { Page, TokenParams } from '../shared/schemas.ts';
import {
  AcceptForm,
  AttachmentBody,
  AttachmentUpload,
  DeclineForm,
  ListReferralsQuery,
  OpenDraftBody,
  OpenReferralBody,
  PartnerOffer,
  PartnerReferralsQuery,
  Referral,
  ReferralParams,
  TransitionBody,
} from './schemas.ts';

const contract = /* @__PURE__ */ contractsOf(routes);
const pageContract = /* @__PURE__ */ pageContractsOf(routes);

export const openReferral = /* @__PURE__ */ contract({
  route: 'POST /referrals',
  body: OpenReferralBody,
  success: {
    status: 201,
    schema: Referral,
    description:
      'The referral, matched: its candidates ranked seniors first with the figures used, the partners excluded and why, the offers sent (none when no partner is eligible: the referral stays open)',
  },
  errors: { 409: 'The quote already has a referral' },
});

export const listReferrals = /* @__PURE__ */ contract({
  route: 'GET /referrals',
  query: ListReferralsQuery,
  success: { status: 200, schema: () => Page(z.omit(Referral(), { offers: true })), description: 'A page of referrals, oldest first' },
});

export const getReferral = /* @__PURE__ */ contract({
  route: 'GET /referrals/{id}',
  params: ReferralParams,
  success: { status: 200, schema: Referral, description: 'The referral with its matching and offers' },
});

export const openDraft = /* @__PURE__ */ contract({
  route: 'POST /referrals/{id}/open',
  params: ReferralParams,
  body: OpenDraftBody,
  success: { status: 200, schema: Referral, description: 'The referral, matched and offered' },
  errors: { 409: 'The referral is not a draft, or changed meanwhile' },
});

export const transition = /* @__PURE__ */ contract({
  route: 'POST /referrals/{id}/transitions',
  params: ReferralParams,
  body: TransitionBody,
  success: {
    status: 200,
    schema: Referral,
    description:
      'The referral in its new state; once completed, with its commission invoice (number and pay link), or its commission still without invoice when it could not be issued then (the partner has no address on record, the series was busy): POST /referrals/{id}/commission',
  },
  errors: {
    409: 'The move is not allowed from the current state, or the referral changed meanwhile',
  },
});

export const invoiceCommission = /* @__PURE__ */ contract({
  route: 'POST /referrals/{id}/commission',
  params: ReferralParams,
  success: { status: 200, schema: Referral, description: 'The referral with its commission invoice' },
  errors: { 409: 'The works are not completed, or the partner has no address on record', 503: 'The number series is busy; try again' },
});

export const addAttachment = /* @__PURE__ */ contract({
  route: 'POST /referrals/{id}/attachments',
  params: ReferralParams,
  body: AttachmentBody,
  success: {
    status: 201,
    schema: AttachmentUpload,
    description: 'The referral and a link (valid 15 minutes) to PUT the file with exactly the headers given',
  },
  errors: { 409: 'The referral is completed or cancelled, or changed meanwhile' },
});

export const partnerReferrals = /* @__PURE__ */ contract({
  route: 'GET /partners/me/referrals',
  query: PartnerReferralsQuery,
  success: { status: 200, schema: () => Page(PartnerOffer()), description: 'The offers made to the calling partner, oldest first' },
});

/** The JSON API contracts of the context (the OpenAPI document reads them all). */
export const contracts = {
  openReferral,
  listReferrals,
  getReferral,
  openDraft,
  transition,
  invoiceCommission,
  addAttachment,
  partnerReferrals,
};

export const offerPage = /* @__PURE__ */ pageContract({
  route: 'GET /r/{token}',
  params: TokenParams,
  description:
    'The job (without the client’s contact until accepted), with the forms to accept or decline it; once accepted, the client’s contact and site',
  errors: { 409: 'Already declined', 410: 'Expired, or withdrawn (another partner accepted, or the referral was cancelled)' },
});

export const acceptOffer = /* @__PURE__ */ pageContract({
  route: 'POST /r/{token}/accept',
  params: TokenParams,
  form: AcceptForm,
  description: 'The job accepted: the client’s contact and the site',
  errors: { 409: 'Another partner accepted first, or already answered', 410: 'Expired or withdrawn: nothing changed' },
});

export const declineOffer = /* @__PURE__ */ pageContract({
  route: 'POST /r/{token}/decline',
  params: TokenParams,
  form: DeclineForm,
  description: 'Confirmation of the refusal',
  errors: { 409: 'Already answered', 410: 'Expired or withdrawn: nothing changed' },
});

/** The partner's pages (HTML, French), reached by the link e-mailed with each offer. */
export const pages = { offerPage, acceptOffer, declineOffer };
