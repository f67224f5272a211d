/**
 * Quote use cases. A quote is drafted, edited while a draft, then sent: numbered, rendered to
 * PDF, stored, linked and e-mailed — from then on it never changes. A revision is a new quote
 * (same number, next revision) that supersedes the old one when it is sent. The client accepts or
 * declines through its link; acceptance records the evidence and publishes `QuoteAccepted`.
 */
import type { Out } from '../shared/contract.ts';
import { outboxItem } from '../events/outbox.ts';
import type { Adapters } from '../shared/adapters.ts';
import { signedLinkToken } from '../shared/hash.ts';
import { canSeeEtd, scopedEtd, selfId, type Principal } from '../shared/auth.ts';
import { parisDate } from '../shared/clock.ts';
import {
  ConflictError,
  NotFoundError,
  PreconditionFailedError,
  ServiceUnavailableError,
  unlessNotFound,
  ValidationError,
} from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { businessMetric } from '../shared/observability.ts';
import { vatCertificationNeeded, vatEligibilityErrors } from '../shared/pricing.ts';
import { createdBy } from '../shared/audit.ts';
import { transact } from '../shared/transactions.ts';
import type { Page } from '../shared/store.ts';
import { getEntrepreneur, loadClient, loadPartner, type Pole } from '../onboarding/index.ts';
import {
  canWithdraw,
  firstPaymentDate,
  insuranceRenewalWarning,
  issuerProblems,
  latestWorksStart,
  withdrawalDeadline,
} from '../shared/legal-rules.ts';
import { canSee } from './domain/access.ts';
import { isAuthorsClient, worksIn } from './domain/parties.ts';
import { effectiveState, pricedLines, quoteTotals, revisable } from './domain/quote.ts';
import type { CreateQuoteBody, ListQuotesQuery, PatchQuoteBody, QuoteState } from './schemas.ts';
import {
  expiryMarkerDelete,
  findQuote,
  historyPut,
  loadQuote,
  newQuotePut,
  quotesPage,
  replaceQuote,
  revisionMarkUpdate,
  sentQuotesDueBefore,
  type QuoteRecord,
  type QuoteView,
} from './store.ts';
import type { QuotePage } from './views.ts';

export type { QuoteRecord, QuoteView } from './store.ts';
export { quoteOfLink } from './store.ts';

/** The ports that make a quote's client link. */
export type LinkPorts = Pick<Adapters, 'secrets' | 'publicBaseUrl'>;

const PDF_LINK_TTL_SECONDS = 300;

// ---- Representation and links ----------------------------------------------------------------

/** The client's link token: HMAC of the quote id under the link key (256 bits, never stored). */
export async function linkToken(ports: Pick<Adapters, 'secrets'>, quoteId: string): Promise<string> {
  return signedLinkToken(ports, `quote:${quoteId}`);
}

const linkedStates: readonly QuoteState[] = ['sent', 'accepted', 'declined', 'expired', 'withdrawn'];

export async function present(ports: LinkPorts, quote: QuoteRecord): Promise<QuoteView> {
  const { documentKey: _key, revisionId: _revision, documentSource: _source, documentPending: _pending, ...rest } = quote;
  const self = `/quotes/${quote.id}`;
  const links: QuoteView['links'] = { self };
  if (quote.state !== 'draft') links.pdf = `${self}/pdf`;
  if (linkedStates.includes(quote.state)) links.accept = `${ports.publicBaseUrl()}/q/${await linkToken(ports, quote.id)}`;
  const uncovered = (quote.documentSource?.rgeCoverage ?? []).filter((c) => !c.covered);
  const source = quote.documentSource;
  const start = source ? latestWorksStart(source.works, source.validUntil) : undefined;
  const warnings = [
    ...uncovered.map((c) => ({
      path: `lines.${c.index}.rgeDomain`,
      message: 'this 5.5 % line is not covered by the partner’s RGE qualification: no energy-renovation aid for it (printed on the quote)',
    })),
    ...[
      insuranceRenewalWarning(source?.issuerInsurance, start, 'cae', 'the CAE’s professional'),
      insuranceRenewalWarning(source?.performer?.decennale, start, 'partnerId', 'the partner’s décennale'),
    ].filter((w) => w !== undefined),
  ];
  return { ...rest, ...(warnings.length ? { warnings } : {}), links };
}

// ---- Reading ---------------------------------------------------------------------------------

/** A quote the caller may see (domain/access.ts); one it may not see is answered as absent. */
export async function getQuote(principal: Principal, id: string): Promise<QuoteRecord> {
  const quote = await loadQuote(id);
  if (!canSee(principal, quote)) throw new NotFoundError(`Quote ${id} not found.`);
  return quote;
}

export async function listQuotes(principal: Principal, query: Out<typeof ListQuotesQuery>): Promise<Page<QuoteRecord>> {
  const etd = scopedEtd(principal, query.etd)!;
  const scope = principal.role === 'entrepreneur' ? { etd, entrepreneurId: selfId(principal) } : { etd };
  return quotesPage(scope, { state: query.state, clientId: query.clientId }, query);
}

// ---- Drafting --------------------------------------------------------------------------------

/** The parties must exist in the territory and be visible to the caller; the author must be active. */
async function checkParties(
  principal: Principal,
  etd: string,
  cae: string,
  entrepreneurId: string,
  clientId: string,
  partnerId: string | undefined,
  pole: Pole,
) {
  const invalid = (path: string, message: string) => new ValidationError([{ path, message }]);
  const author = await unlessNotFound(getEntrepreneur(principal, entrepreneurId));
  if (!author || author.etd !== etd) throw invalid('entrepreneurId', 'no entrepreneur with this id in this territory');
  if (author.state !== 'active') throw invalid('entrepreneurId', `the entrepreneur is ${author.state}, not active`);
  // A CAE issues the documents of its own entrepreneurs, its employees (C. trav. L7331-1 and following), under its SIRET.
  if (author.cae !== cae) throw invalid('cae', `the entrepreneur belongs to CAE ${author.cae}, which issues its quotes`);
  // Building renovation: CAE MSG, through an entrepreneur of the renovation pole.
  const issuer = issuerProblems({ pole, cae, authorPoles: author.poles });
  if (issuer.length) throw new ValidationError(issuer);
  const client = await unlessNotFound(loadClient(clientId));
  if (!client || !isAuthorsClient(client, { etd, entrepreneurId: author.id }))
    throw invalid('clientId', 'no client of this entrepreneur with this id');
  if (partnerId !== undefined) {
    const partner = await unlessNotFound(loadPartner(partnerId));
    if (!partner || !worksIn(partner, etd)) throw invalid('partnerId', 'no partner company working in this territory with this id');
  }
}

const audit = createdBy;

/** A quote's pole: building renovation unless it says otherwise (quotes drafted before the field were all renovation quotes). */
export const quotePole = (quote: { readonly pole?: Pole | undefined }): Pole => quote.pole ?? 'renovation';

function withTotals<T extends { lines: Out<typeof CreateQuoteBody>['lines']; depositPercent: number }>(fields: T) {
  return { ...fields, lines: pricedLines(fields.lines), totals: quoteTotals(fields.lines, fields.depositPercent) };
}

export async function createQuote(principal: Principal, input: Out<typeof CreateQuoteBody>, now: Date): Promise<QuoteRecord> {
  if (!canSeeEtd(principal, input.etd)) throw new ValidationError([{ path: 'etd', message: 'no territory with this code' }]);
  const { entrepreneurId: requested, ...fields } = input;
  let entrepreneurId: string;
  if (principal.role === 'entrepreneur') {
    if (requested !== undefined && requested !== selfId(principal))
      throw new ValidationError([{ path: 'entrepreneurId', message: 'an entrepreneur writes its own quotes only' }]);
    entrepreneurId = selfId(principal);
  } else {
    if (!requested) throw new ValidationError([{ path: 'entrepreneurId', message: 'is required when a manager creates a quote' }]);
    entrepreneurId = requested;
  }
  await checkParties(principal, input.etd, input.cae, entrepreneurId, input.clientId, input.partnerId, input.pole);
  const quote: QuoteRecord = {
    id: newId('quo', now),
    ...withTotals(fields),
    entrepreneurId,
    state: 'draft',
    revision: 1,
    number: null,
    ...audit(principal, now),
  };
  await transact(
    [newQuotePut(quote), historyPut(quote.id, 1, principal, now, { action: 'created' })],
    () => new ConflictError('The quote already exists.'),
  );
  businessMetric('QuoteDrafted', quote.etd);
  return quote;
}

export async function updateQuote(principal: Principal, id: string, patch: Out<typeof PatchQuoteBody>, now: Date): Promise<QuoteRecord> {
  const current = await getQuote(principal, id);
  if (current.state !== 'draft')
    throw new ConflictError(`A ${current.state} quote never changes; start a revision instead.`, { state: current.state });
  if (current.version !== patch.version)
    throw new PreconditionFailedError(`Version ${patch.version} is stale: the quote is at version ${current.version}.`);
  const { version, ...changes } = patch;
  const merged = { ...current, ...changes };
  const vatErrors = vatEligibilityErrors(merged);
  if (vatErrors.length) throw new ValidationError(vatErrors.map((e) => ({ path: `lines.${e.index}.vatRate`, message: e.message })));
  if (changes.clientId !== undefined || changes.partnerId !== undefined || changes.pole !== undefined)
    await checkParties(principal, current.etd, current.cae, current.entrepreneurId, merged.clientId, merged.partnerId, quotePole(merged));
  const next: QuoteRecord = {
    ...merged,
    ...withTotals(merged),
    version: version + 1,
    updatedAt: now.toISOString(),
    updatedBy: principal.sub,
  };
  await transact(
    [replaceQuote(current, next), historyPut(id, next.version, principal, now, { action: 'updated', fields: Object.keys(changes) })],
    () => new PreconditionFailedError('The quote changed meanwhile; read it again.'),
  );
  return next;
}

export async function reviseQuote(principal: Principal, id: string, now: Date): Promise<QuoteRecord> {
  const current = await getQuote(principal, id);
  if (!revisable.includes(current.state)) {
    throw new ConflictError(
      current.state === 'draft'
        ? 'A draft is edited, not revised.'
        : current.state === 'accepted'
          ? 'An accepted quote never changes.'
          : 'Revise the latest revision of this quote.',
      { state: current.state },
    );
  }
  const {
    documentKey: _k,
    document: _d,
    delivery: _del,
    decline: _dec,
    expiredAt: _e,
    issueDate: _i,
    validUntil: _v,
    revisionId: _r,
    documentSource: _s,
    documentPending: _p,
    ...fields
  } = current;
  const revision: QuoteRecord = {
    ...fields,
    id: newId('quo', now),
    state: 'draft',
    number: null,
    revision: current.revision + 1,
    supersedes: { id: current.id, revision: current.revision },
    ...audit(principal, now),
  };
  await transact(
    [
      revisionMarkUpdate(current, revision.id),
      newQuotePut(revision),
      historyPut(revision.id, 1, principal, now, { action: 'created', revises: current.id }),
    ],
    () => new ConflictError('A revision of this quote already exists; edit it.', { revisionId: current.revisionId }),
  );
  return revision;
}

export async function pdfLink(
  ports: Pick<Adapters, 'documents'>,
  principal: Principal,
  id: string,
): Promise<{ url: string; expiresAt: string }> {
  const quote = await getQuote(principal, id);
  if (!quote.documentKey || !quote.number) throw new ConflictError('A draft has no PDF yet: send the quote first.');
  if (quote.documentPending)
    throw new ConflictError('The PDF of this quote is not stored yet: send the quote again to complete its sending.', {
      state: quote.state,
    });
  return ports.documents.link(quote.documentKey, {
    ttlSeconds: PDF_LINK_TTL_SECONDS,
    fileName: `Devis ${quote.number} rév. ${quote.revision}.pdf`,
  });
}

// ---- The client's side -----------------------------------------------------------------------

export class ClosedQuoteError extends Error {
  readonly state: QuoteState;
  constructor(state: QuoteState) {
    super(`quote is ${state}`);
    this.state = state;
  }
}

export class StaleDocumentError extends Error {}

export interface Evidence {
  readonly signerName: string;
  readonly ip: string;
  readonly userAgent: string;
  readonly pdfSha256: string;
  readonly vatCertified: boolean;
  readonly earlyStartRequested?: boolean | undefined;
}

const system = { sub: 'client-link', role: 'client' };

/** Records the client's "Bon pour accord" with its evidence, and publishes QuoteAccepted, in one transaction. */
export async function acceptQuote(quote: QuoteRecord, evidence: Evidence, now: Date): Promise<QuoteRecord> {
  const state = effectiveState(quote, now);
  if (state !== 'sent') throw new ClosedQuoteError(state);
  if (evidence.pdfSha256 !== quote.document?.sha256) throw new StaleDocumentError('the document shown is not the document sent');
  const at = now.toISOString();
  const accepted: QuoteRecord = {
    ...quote,
    state: 'accepted',
    acceptance: { at, ...evidence },
    version: quote.version + 1,
    updatedAt: at,
    updatedBy: system.sub,
  };
  await transact(
    [
      replaceQuote(quote, accepted),
      expiryMarkerDelete(quote.id),
      outboxItem(
        'QuoteAccepted',
        {
          quoteId: quote.id,
          number: quote.number!,
          revision: quote.revision,
          etd: quote.etd,
          cae: quote.cae,
          entrepreneurId: quote.entrepreneurId,
          clientId: quote.clientId,
          partnerId: quote.partnerId,
          totals: quote.totals,
        },
        now,
      ),
      historyPut(quote.id, accepted.version, system, now, { action: 'accepted' }),
    ],
    () => new ClosedQuoteError('accepted'),
  );
  businessMetric('QuoteAccepted', quote.etd);
  return accepted;
}

export async function declineQuote(quote: QuoteRecord, reason: string | undefined, now: Date): Promise<QuoteRecord> {
  const state = effectiveState(quote, now);
  if (state !== 'sent') throw new ClosedQuoteError(state);
  const at = now.toISOString();
  const declined: QuoteRecord = {
    ...quote,
    state: 'declined',
    decline: { at, ...(reason ? { reason } : {}) },
    version: quote.version + 1,
    updatedAt: at,
    updatedBy: system.sub,
  };
  await transact(
    [
      replaceQuote(quote, declined),
      expiryMarkerDelete(quote.id),
      historyPut(quote.id, declined.version, system, now, { action: 'declined' }),
    ],
    () => new ClosedQuoteError('declined'),
  );
  businessMetric('QuoteDeclined', quote.etd);
  return declined;
}

/** Not withdrawable: not an accepted consumer contract, or the 14 days have run out. */
export class WithdrawalRefusedError extends Error {
  readonly reason: 'not-accepted' | 'no-right' | 'period-over';
  readonly deadline?: string | undefined;
  constructor(reason: 'not-accepted' | 'no-right' | 'period-over', deadline?: string) {
    super(`withdrawal refused: ${reason}`);
    this.reason = reason;
    this.deadline = deadline;
  }
}

/** The client's rights on this quote, as printed on its document (editions 2 and 3); none on quotes sent before. */
const consumerTermsOf = (quote: QuoteRecord) => quote.documentSource?.consumer;

/**
 * The client withdraws from the accepted quote through its signed link within the 14 days
 * (C. conso L221-18), recorded like an acceptance (name, IP, user agent, time), in one transaction.
 */
export async function withdrawQuote(
  quote: QuoteRecord,
  evidence: { readonly signerName: string; readonly ip: string; readonly userAgent: string },
  now: Date,
): Promise<QuoteRecord> {
  if (quote.state === 'withdrawn') throw new ClosedQuoteError('withdrawn');
  if (quote.state !== 'accepted' || !quote.acceptance) throw new WithdrawalRefusedError('not-accepted');
  if (!consumerTermsOf(quote)?.withdrawal) throw new WithdrawalRefusedError('no-right');
  const concluded = parisDate(new Date(quote.acceptance.at));
  if (!canWithdraw(concluded, parisDate(now))) throw new WithdrawalRefusedError('period-over', withdrawalDeadline(concluded));
  const at = now.toISOString();
  const withdrawn: QuoteRecord = {
    ...quote,
    state: 'withdrawn',
    withdrawal: { at, ...evidence },
    version: quote.version + 1,
    updatedAt: at,
    updatedBy: system.sub,
  };
  await transact(
    [replaceQuote(quote, withdrawn), historyPut(quote.id, withdrawn.version, system, now, { action: 'withdrawn' })],
    () => new ClosedQuoteError('withdrawn'),
  );
  businessMetric('QuoteWithdrawn', quote.etd);
  return withdrawn;
}

/** Nightly: every sent quote whose validity ended before today (Paris) becomes expired. */
export async function expireDueQuotes(now: Date): Promise<{ expired: number; skipped: number }> {
  const today = parisDate(now);
  let expired = 0;
  let skipped = 0;
  for await (const quoteId of sentQuotesDueBefore(today)) {
    const quote = await findQuote(quoteId);
    if (!quote || effectiveState(quote, now) !== 'expired') {
      skipped++;
      continue;
    }
    const at = now.toISOString();
    try {
      await transact(
        [
          replaceQuote(quote, {
            ...quote,
            state: 'expired',
            expiredAt: at,
            version: quote.version + 1,
            updatedAt: at,
            updatedBy: 'expiry-job',
          }),
          expiryMarkerDelete(quote.id),
          historyPut(quote.id, quote.version + 1, { sub: 'expiry-job', role: 'job' }, now, { action: 'expired' }),
        ],
        () => new ConflictError('changed meanwhile'),
      );
      expired++;
      businessMetric('QuoteExpired', quote.etd);
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      skipped++; // accepted or declined at the same moment: the client's answer wins
    }
  }
  return { expired, skipped };
}

const PAGE_PDF_LINK_TTL_SECONDS = 3600;

/** What the client's page shows for this quote (its link token gives the form targets). */
export async function pageView(ports: Pick<Adapters, 'documents'>, quote: QuoteRecord, token: string, now: Date): Promise<QuotePage> {
  if (!quote.number || !quote.documentKey || !quote.document || !quote.parties || !quote.issueDate || !quote.validUntil) {
    throw new Error(`quote ${quote.id} has a link but was never sent`);
  }
  // Committed, its PDF not stored yet (being stored, or its sending is to be completed by sending again).
  if (quote.documentPending) throw new ServiceUnavailableError(`The document of quote ${quote.id} is not stored yet.`);
  const state = effectiveState(quote, now);
  const closed: QuotePage['closed'] =
    state === 'accepted'
      ? { reason: 'accepted', at: quote.acceptance?.at, by: quote.acceptance?.signerName }
      : state === 'declined'
        ? { reason: 'declined', at: quote.decline?.at }
        : state === 'expired'
          ? { reason: 'expired' } // the page says until when it was valid
          : state === 'superseded'
            ? { reason: 'superseded' }
            : state === 'withdrawn'
              ? { reason: 'withdrawn', at: quote.withdrawal?.at, by: quote.withdrawal?.signerName }
              : undefined;
  const terms = consumerTermsOf(quote);
  const concluded = quote.acceptance ? parisDate(new Date(quote.acceptance.at)) : undefined;
  const consumer: QuotePage['consumer'] = terms
    ? {
        ...terms,
        ...(concluded && terms.withdrawal
          ? {
              withdrawalDeadline: withdrawalDeadline(concluded),
              canWithdrawNow: state === 'accepted' && canWithdraw(concluded, parisDate(now)),
            }
          : {}),
        ...(concluded && terms.paymentWait ? { firstPaymentDate: firstPaymentDate(concluded) } : {}),
        ...(quote.acceptance?.earlyStartRequested ? { earlyStartRequested: true } : {}),
      }
    : undefined;
  const { url } = await ports.documents.link(quote.documentKey, {
    ttlSeconds: PAGE_PDF_LINK_TTL_SECONDS,
    fileName: `Devis ${quote.number}.pdf`,
  });
  return {
    number: quote.number,
    revision: quote.revision,
    title: quote.title,
    issuerName: quote.parties.issuerName,
    entrepreneurName: quote.parties.entrepreneurName,
    clientName: quote.parties.clientName,
    siteAddress: quote.siteAddress,
    issueDate: quote.issueDate,
    validUntil: quote.validUntil,
    totals: quote.totals,
    depositPercent: quote.depositPercent,
    vatCertification: vatCertificationNeeded(quote.lines),
    ...(quote.documentSource?.reducedRates ? { reducedRates: quote.documentSource.reducedRates } : {}),
    ...(consumer ? { consumer } : {}),
    ...(quote.documentSource?.edition !== undefined
      ? {
          issuerAddress: quote.documentSource.issuer.address,
          ...(quote.documentSource.entrepreneur.email ? { withdrawalEmail: quote.documentSource.entrepreneur.email } : {}),
        }
      : {}),
    pdfUrl: url,
    pdfSha256: quote.document.sha256,
    actionBase: `/q/${token}`,
    ...(closed ? { closed } : {}),
  };
}
