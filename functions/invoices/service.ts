/**
 * Invoice use cases: drafts (standard, or deposit / final from an accepted quote), edits while a
 * draft, and the reads (one invoice, a list) with their representation. Issuing is in issue.ts,
 * crediting in credit-notes.ts. Nothing issued is ever edited or deleted. Rules and orchestration
 * only: the items and keys are store.ts's.
 */
import type { Out } from '../shared/contract.ts';
import type { Adapters } from '../shared/adapters.ts';
import { signedLinkToken } from '../shared/hash.ts';
import { canSeeEtd, scopedEtd, selfId, type Principal } from '../shared/auth.ts';
import { parisDate } from '../shared/clock.ts';
import { ConflictError, NotFoundError, PreconditionFailedError, unlessNotFound, ValidationError } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { businessMetric } from '../shared/observability.ts';
import { computeTotals, depositTotals, finalTotals } from '../shared/pricing.ts';
import { firstPaymentDate, issuerProblems, type Pole } from '../shared/legal-rules.ts';
import { formatRate } from '../shared/french.ts';
import { sapAuthorisationActivities, sapVatRates } from './config.ts';
import { invoiceVatProblems, needsSapAuthorisation, sapAuthorisationProblem } from './domain/vat-rules.ts';
import { createdBy } from '../shared/audit.ts';
import { transact } from '../shared/transactions.ts';
import { listFilter, type Page } from '../shared/store.ts';
import { getEntrepreneur, loadClient, loadEtd } from '../onboarding/index.ts';
import { pricedLines, quoteForInvoicing, type QuoteForInvoicing } from '../quotes/index.ts';
import { canSee } from './domain/access.ts';
import { isOverdue } from './domain/balance.ts';
import type { CreateInvoiceBody, ListInvoicesQuery, PatchInvoiceBody } from './schemas.ts';
import {
  hasFinalInvoice,
  historyPut,
  invoicesOfQuote,
  invoicesPage,
  loadInvoice,
  newInvoicePut,
  replaceInvoice,
  type InvoiceRecord,
  type InvoiceView,
} from './store.ts';

export type { InvoiceRecord, InvoiceView } from './store.ts';
export { isOverdue } from './domain/balance.ts';

export const DEFAULT_DUE_DAYS = 30;

/** What the representation of an invoice needs: its pay link is signed, on the public address. */
export type LinkPorts = Pick<Adapters, 'secrets' | 'publicBaseUrl'>;

// ---- Links and representation --------------------------------------------------------------------

/** The client's pay-link token: HMAC of the invoice id under the link key (256 bits, never stored). */
export async function payToken(ports: Pick<Adapters, 'secrets'>, invoiceId: string): Promise<string> {
  return signedLinkToken(ports, `invoice:${invoiceId}`);
}

/** The client's pay page of the invoice, at today's public address. */
export const payUrl = async (ports: LinkPorts, invoiceId: string): Promise<string> =>
  `${ports.publicBaseUrl()}/pay/${await payToken(ports, invoiceId)}`;

export async function present(ports: LinkPorts, invoice: InvoiceRecord, now = new Date()): Promise<InvoiceView> {
  const { documentKey: _k, clientEmail: _e, parties: _p, documentSource: _s, documentPending: _d, ...rest } = invoice;
  const self = `/invoices/${invoice.id}`;
  const links: InvoiceView['links'] = { self };
  if (invoice.state !== 'draft') {
    links.pdf = `${self}/pdf`;
    links.pay = await payUrl(ports, invoice.id);
  }
  return { ...rest, overdue: isOverdue(invoice, parisDate(now)), links };
}

// ---- Reading ---------------------------------------------------------------------------------------

/** The invoice as the caller may see it: NotFound when absent or not visible (domain/access.ts). */
export async function getInvoice(principal: Principal, id: string): Promise<InvoiceRecord> {
  const invoice = await unlessNotFound(loadInvoice(id));
  if (!invoice || !canSee(principal, invoice)) throw new NotFoundError(`Invoice ${id} not found.`);
  return invoice;
}

export async function listInvoices(
  principal: Principal,
  query: Out<typeof ListInvoicesQuery>,
  now = new Date(),
): Promise<Page<InvoiceRecord>> {
  const etd = scopedEtd(principal, query.etd);
  if (!etd) throw new ValidationError([{ path: 'query.etd', message: 'is required for operators' }]);
  // Overdue is derived: open (issued or partly paid) and due before today (Paris).
  const open = '(#s = :issued OR #s = :partly) AND dueDate < :today';
  const overdue =
    query.overdue === undefined
      ? undefined
      : {
          expression: query.overdue === 'true' ? open : `NOT (${open})`,
          names: { '#s': 'state' },
          values: { ':issued': 'issued', ':partly': 'partially_paid', ':today': parisDate(now) },
        };
  const filter = listFilter({ state: query.state, clientId: query.clientId }, overdue);
  const page = await invoicesPage(etd, principal.role === 'entrepreneur' ? selfId(principal) : undefined, query, filter);
  // The partition already bounds the list to what the caller sees; the rule is applied all the same.
  return { ...page, items: page.items.filter((invoice) => canSee(principal, invoice)) };
}

// ---- Drafting -------------------------------------------------------------------------------------

const audit = createdBy;

/**
 * Deposit lines: the quote's deposit of each of its VAT bases (shared/pricing.ts `depositTotals`,
 * the computation the quote announced its deposit with: equal to the cent).
 */
function depositLines(quote: QuoteForInvoicing) {
  return depositTotals(quote.totals, quote.depositPercent).vat.map((v) => ({
    description: `Acompte de ${formatRate(String(quote.depositPercent))} sur le devis n°\u00a0${quote.number} (travaux à ${formatRate(v.rate)})`,
    kind: 'other' as const,
    quantity: 1,
    unit: 'lump-sum' as const,
    unitPriceCents: v.baseCents,
    vatRate: v.rate,
  }));
}

/**
 * A standard invoice's pole when it names none: SAMAD's are of the autonomy pole; MSG's of home
 * services when they are SAP invoices, else of building renovation when the author works in it.
 */
export function defaultPole(cae: string, sapEligible: boolean, authorPoles: readonly Pole[]): Pole {
  const wanted: Pole = cae === 'SAMAD' ? 'autonomy' : sapEligible ? 'home-services' : 'renovation';
  return authorPoles.includes(wanted) ? wanted : (authorPoles.find((p) => cae !== 'SAMAD' || p !== 'renovation') ?? wanted);
}

/**
 * The deposit invoices issued on the quote: `deductions` (those not cancelled, deducted by its
 * final invoice) and `issued` (all of them: the count the final's transaction checks, so that a
 * deposit issued meanwhile cannot escape the deduction).
 */
export async function issuedDeposits(quoteId: string): Promise<{ deductions: NonNullable<InvoiceRecord['deductions']>; issued: number }> {
  const deposits = (await invoicesOfQuote(quoteId)).filter((i) => i.kind === 'deposit');
  return {
    deductions: deposits
      .filter((i) => i.state !== 'cancelled')
      .map((i) => ({ invoiceId: i.invoiceId, number: i.number, issueDate: i.issueDate, totals: i.totals })),
    issued: deposits.length,
  };
}

export { finalTotals };

/** What a quote's invoices take from it: its pole, the nature of its works, the first day a payment may be received. */
function fromQuoteFacts(quote: QuoteForInvoicing) {
  const concluded = quote.acceptedAt ? parisDate(new Date(quote.acceptedAt)) : undefined;
  return {
    pole: quote.pole,
    operationNature: quote.operationNature,
    ...(quote.paymentWait && concluded ? { noPaymentBefore: firstPaymentDate(concluded) } : {}),
  };
}

async function fromQuote(principal: Principal, kind: 'deposit' | 'final', quoteId: string, etd: string, clientId: string) {
  const quote = await unlessNotFound(quoteForInvoicing(principal, quoteId));
  if (!quote || quote.etd !== etd || quote.clientId !== clientId)
    throw new ValidationError([{ path: 'quoteId', message: 'no quote of this client in this territory' }]);
  if (quote.state !== 'accepted')
    throw new ConflictError(`Only an accepted quote is invoiced; this one is ${quote.state}.`, { field: 'quoteId' });
  if (kind === 'deposit') {
    if (await hasFinalInvoice(quote.id))
      throw new ConflictError('The quote already has its final invoice: no deposit after it.', { field: 'quoteId' });
    if ((await issuedDeposits(quote.id)).deductions.length > 0)
      throw new ConflictError('The quote’s deposit is already invoiced (credit it first to invoice it again).', { field: 'quoteId' });
    if (quote.depositPercent === 0) throw new ConflictError('The quote asks for no deposit.', { field: 'quoteId' });
    const lines = depositLines(quote);
    return { quote, lines: pricedLines(lines), totals: computeTotals(lines), ...fromQuoteFacts(quote) };
  }
  if (await hasFinalInvoice(quote.id)) throw new ConflictError('The quote already has its final invoice.', { field: 'quoteId' });
  const { deductions } = await issuedDeposits(quote.id);
  return { quote, lines: quote.lines, deductions, totals: finalTotals(quote.totals, deductions), ...fromQuoteFacts(quote) };
}

export async function createInvoice(principal: Principal, input: Out<typeof CreateInvoiceBody>, now: Date): Promise<InvoiceRecord> {
  if (!canSeeEtd(principal, input.etd)) throw new ValidationError([{ path: 'etd', message: 'no territory with this code' }]);
  let entrepreneurId: string;
  if (principal.role === 'entrepreneur') {
    if (input.entrepreneurId !== undefined && input.entrepreneurId !== selfId(principal))
      throw new ValidationError([{ path: 'entrepreneurId', message: 'an entrepreneur invoices for itself only' }]);
    entrepreneurId = selfId(principal);
  } else {
    if (!input.entrepreneurId)
      throw new ValidationError([{ path: 'entrepreneurId', message: 'is required when a manager creates an invoice' }]);
    entrepreneurId = input.entrepreneurId;
  }
  const author = await unlessNotFound(getEntrepreneur(principal, entrepreneurId));
  if (!author || author.etd !== input.etd)
    throw new ValidationError([{ path: 'entrepreneurId', message: 'no entrepreneur with this id in this territory' }]);
  // As for quotes: only an active entrepreneur's work is invoiced (one who has left invoices nothing).
  if (author.state !== 'active')
    throw new ValidationError([{ path: 'entrepreneurId', message: `the entrepreneur is ${author.state}, not active` }]);
  // A CAE invoices for its own entrepreneurs, its employees (C. trav. L7331-1 and following), under its SIRET.
  if (author.cae !== input.cae)
    throw new ValidationError([{ path: 'cae', message: `the entrepreneur belongs to CAE ${author.cae}, which issues its invoices` }]);
  // The client must be one the author is in charge of, in this territory (whoever drafts the invoice).
  const client = await unlessNotFound(loadClient(input.clientId));
  if (!client || client.etd !== input.etd || client.entrepreneurId !== author.id)
    throw new ValidationError([{ path: 'clientId', message: 'no client of this entrepreneur with this id' }]);

  const priced =
    input.kind === 'standard'
      ? {
          lines: pricedLines(input.lines!),
          totals: computeTotals(input.lines!),
          pole: input.pole ?? defaultPole(input.cae, input.sapEligible ?? false, author.poles),
        }
      : await fromQuote(principal, input.kind, input.quoteId!, input.etd, input.clientId);
  // Building renovation: CAE MSG, an entrepreneur of the renovation pole; the rates the invoice may use.
  const problems = [
    ...(input.kind === 'standard' ? issuerProblems({ pole: priced.pole, cae: input.cae, authorPoles: author.poles }) : []),
    ...invoiceVatProblems(
      {
        kind: input.kind,
        works: priced.pole === 'renovation',
        sapEligible: input.sapEligible ?? false,
        housingOver2Years: input.housingOver2Years,
        dependentBeneficiary: input.dependentBeneficiary,
        clientIsIndividual: client.kind === 'individual',
        sapAuthorised: await caeAuthorised(input.etd, input.cae, input.sapEligible ?? false, priced.lines, parisDate(now)),
        lines: priced.lines,
      },
      sapVatRates,
      sapAuthorisationActivities,
    ),
  ];
  if (problems.length) throw new ValidationError(problems);
  const title =
    input.title ?? ('quote' in priced ? `${input.kind === 'deposit' ? 'Acompte' : 'Solde'} — ${priced.quote.title}` : undefined);
  if (!title) throw new ValidationError([{ path: 'title', message: 'is required for a standard invoice' }]);
  const invoice: InvoiceRecord = {
    id: newId('inv', now),
    etd: input.etd,
    cae: input.cae,
    entrepreneurId,
    clientId: input.clientId,
    kind: input.kind,
    ...(input.quoteId ? { quoteId: input.quoteId } : {}),
    title,
    lines: priced.lines,
    ...('deductions' in priced ? { deductions: priced.deductions } : {}),
    totals: priced.totals,
    sapEligible: input.sapEligible ?? false,
    dueDays: input.dueDays ?? DEFAULT_DUE_DAYS,
    ...(input.purchaseOrder ? { purchaseOrder: input.purchaseOrder } : {}),
    ...(input.notes ? { notes: input.notes } : {}),
    ...(input.serviceDate ? { serviceDate: input.serviceDate } : {}),
    pole: priced.pole,
    ...(input.housingOver2Years !== undefined ? { housingOver2Years: input.housingOver2Years } : {}),
    ...(input.dependentBeneficiary !== undefined ? { dependentBeneficiary: input.dependentBeneficiary } : {}),
    ...('operationNature' in priced ? { operationNature: priced.operationNature } : {}),
    ...('noPaymentBefore' in priced && priced.noPaymentBefore ? { noPaymentBefore: priced.noPaymentBefore } : {}),
    state: 'draft',
    number: null,
    amountPaidCents: 0,
    amountPendingCents: 0,
    amountCreditedCents: 0,
    amountDueCents: priced.totals.grossCents,
    creditNotes: [],
    ...audit(principal, now),
  };
  await transact(
    [newInvoicePut(invoice), historyPut(invoice.id, 1, principal, now, { action: 'created' })],
    () => new ConflictError('The invoice already exists.'),
  );
  businessMetric('InvoiceDrafted', invoice.etd);
  return invoice;
}

/**
 * Whether the CAE holds an agrément or autorisation valid on `on` (YYYY-MM-DD), read only for an SAP
 * invoice with an activity that needs one (CGI 278-0 bis D: its 5.5 % rate is for such a provider).
 */
async function caeAuthorised(
  etd: string,
  cae: InvoiceRecord['cae'],
  sapEligible: boolean,
  lines: InvoiceRecord['lines'],
  on: string,
): Promise<boolean> {
  if (!sapEligible || !needsSapAuthorisation(lines, sapAuthorisationActivities)) return false;
  const territory = await loadEtd(etd);
  const record = cae === 'SAMAD' ? territory.caes.samad : territory.caes.msg;
  return sapAuthorisationProblem(record.sapAuthorisation, on) === undefined;
}

export async function updateInvoice(
  principal: Principal,
  id: string,
  patch: Out<typeof PatchInvoiceBody>,
  now: Date,
): Promise<InvoiceRecord> {
  const current = await getInvoice(principal, id);
  if (current.state !== 'draft')
    throw new ConflictError(`An issued invoice never changes; correct it with a credit note.`, { state: current.state });
  if (current.version !== patch.version)
    throw new PreconditionFailedError(`Version ${patch.version} is stale: the invoice is at version ${current.version}.`);
  const { version, lines, ...changes } = patch;
  if (lines && current.kind !== 'standard')
    throw new ValidationError([{ path: 'lines', message: `a ${current.kind} invoice takes its lines from the quote` }]);
  const next: InvoiceRecord = {
    ...current,
    ...changes,
    ...(lines ? { lines: pricedLines(lines), totals: computeTotals(lines) } : {}),
    version: version + 1,
    updatedAt: now.toISOString(),
    updatedBy: principal.sub,
  };
  next.amountDueCents = next.totals.grossCents;
  const client = await loadClient(next.clientId);
  const problems = [
    ...(changes.pole !== undefined && next.kind === 'standard'
      ? issuerProblems({ pole: changes.pole, cae: next.cae, authorPoles: (await getEntrepreneur(principal, next.entrepreneurId)).poles })
      : []),
    ...invoiceVatProblems(
      {
        kind: next.kind,
        works: next.pole === 'renovation',
        sapEligible: next.sapEligible,
        housingOver2Years: next.housingOver2Years,
        dependentBeneficiary: next.dependentBeneficiary,
        clientIsIndividual: client.kind === 'individual',
        sapAuthorised: await caeAuthorised(next.etd, next.cae, next.sapEligible, next.lines, parisDate(now)),
        lines: next.lines,
      },
      sapVatRates,
      sapAuthorisationActivities,
    ),
  ];
  if (problems.length) throw new ValidationError(problems);
  await transact(
    [
      replaceInvoice(current, next),
      historyPut(id, next.version, principal, now, { action: 'updated', fields: Object.keys(patch).filter((f) => f !== 'version') }),
    ],
    () => new PreconditionFailedError('The invoice changed meanwhile; read it again.'),
  );
  return next;
}
