/**
 * Sending a quote: the only use case that renders a PDF, kept apart so that no other function
 * bundles the PDF engine (pdfkit, fontkit: about 800 KiB).
 *
 * No stored document carries a number its series did not consume. The PDF is rendered in memory
 * with the number of the ticket, its SHA-256 is committed with the number, and only then is it
 * stored under a key holding that number; a failed transaction stores nothing. The documents
 * grant is get/put only, so this needs no delete, and a document is written once under its key.
 * A crash between the commit and the put leaves the quote sent with `documentPending`: the quote
 * keeps what the PDF was made from (`documentSource`, with its own lines and totals), the
 * rendering is deterministic (no clock, dates from the document), so sending again re-creates the
 * very bytes committed (checked against the SHA-256) and stores them: sending is retry-safe.
 * The e-mail goes last: the transaction records `delivery: pending`, which becomes `sent` (with
 * its time and message id) once the mail service took it, or `failed` — then sending again retries it.
 */
import type { Adapters } from '../shared/adapters.ts';
import type { Principal } from '../shared/auth.ts';
import { parisDate, parisYear } from '../shared/clock.ts';
import { ConflictError, NotFoundError } from '../shared/errors.ts';
import { sha256 } from '../shared/hash.ts';
import { businessMetric, logger } from '../shared/observability.ts';
import { operationNature, reducedRatesUsed, vatCertificationNeeded } from '../shared/pricing.ts';
import {
  consumerProtection,
  executionProblem,
  insuranceProblem,
  issuerProblems,
  rgeCoverage,
  rgeProblems,
  type Problem,
} from '../shared/legal-rules.ts';
import { ValidationError } from '../shared/errors.ts';
import { withSeriesTicket } from '../shared/series.ts';
import { transact, type TransactItem } from '../shared/transactions.ts';
import { type Client, loadClient, loadEntrepreneur, loadEtd, loadPartner, type Partner, rgeDomainLabel } from '../onboarding/index.ts';
import { isAuthorsClient, worksIn } from './domain/parties.ts';
import { seriesPrefix, validUntil } from './domain/quote.ts';
import { quoteEmail } from './email.ts';
import { QUOTE_EDITION, renderQuotePdf } from './pdf.ts';
import { getQuote, linkToken, quotePole } from './service.ts';
import {
  clientLinkPut,
  deliveryUpdate,
  expiryMarkerDelete,
  expiryMarkerPut,
  findQuote,
  historyPut,
  loadQuote,
  replaceQuote,
  type QuoteRecord,
} from './store.ts';
import type { QuoteDocument } from './views.ts';

/** What sending a quote reaches outside the table: the PDF store, the mail service, the link key and the public address. */
export type SendPorts = Pick<Adapters, 'documents' | 'mailer' | 'secrets' | 'publicBaseUrl'>;

/** The client the quote is written for: its author's, in its territory (else, as before, not found). */
async function clientOf(quote: QuoteRecord): Promise<Client> {
  const client = await loadClient(quote.clientId);
  if (!isAuthorsClient(client, quote)) throw new NotFoundError(`Client ${quote.clientId} not found.`);
  return client;
}

/** The partner company that performs the works, working in the quote's territory (else not found). */
async function partnerOf(quote: QuoteRecord & { partnerId: string }): Promise<Partner> {
  const partner = await loadPartner(quote.partnerId);
  if (!worksIn(partner, quote.etd)) throw new NotFoundError(`Partner ${quote.partnerId} not found.`);
  return partner;
}

/**
 * Everything the PDF shows, resolved from the directory, and checked: a quote is not sent when
 * the law forbids it (422 naming the field): a renovation quote from another CAE or pole, a works
 * quote without the CAE's valid insurance, a quote to an individual that does not say when the
 * works start, a job claiming energy-renovation aid with a 5.5 % line no RGE qualification covers.
 */
async function quoteDocument(
  quote: QuoteRecord,
  number: string,
  issueDate: string,
  supersedes: QuoteDocument['supersedes'],
): Promise<{ document: QuoteDocument; clientEmail?: string | undefined }> {
  const author = await loadEntrepreneur(quote.entrepreneurId);
  const [etd, client, partner] = await Promise.all([
    loadEtd(quote.etd),
    clientOf(quote),
    quote.partnerId ? partnerOf({ ...quote, partnerId: quote.partnerId }) : Promise.resolve(undefined),
  ]);
  const cae = quote.cae === 'SAMAD' ? etd.caes.samad : etd.caes.msg;
  const pole = quotePole(quote);
  const works = pole === 'renovation';
  const individual = client.kind === 'individual';
  const problems: Problem[] = [...issuerProblems({ pole, cae: quote.cae, authorPoles: author.poles })];
  if (works) {
    const insurance = insuranceProblem(cae.insurance, issueDate);
    if (insurance) problems.push({ path: 'cae', message: insurance });
  }
  if (individual) {
    const execution = executionProblem(quote);
    if (execution) problems.push(execution);
  }
  const coverage = rgeCoverage(quote.lines, partner?.rge, issueDate);
  problems.push(...rgeProblems(coverage, quote.energyAid === true, partner !== undefined));
  if (problems.length) throw new ValidationError(problems);
  const { insurance, mediator, sapDeclaration: _sap, sapAuthorisation: _licence, payrollContactEmail: _contact, ...issuer } = cae;
  const terms = consumerProtection({ isIndividual: individual }, quote.offPremises ?? true);
  return {
    clientEmail: client.email,
    document: {
      edition: QUOTE_EDITION,
      number,
      revision: quote.revision,
      supersedes,
      issueDate,
      validUntil: validUntil(issueDate, quote.validityDays),
      validityDays: quote.validityDays,
      title: quote.title,
      issuer,
      territory: `${etd.name} (${etd.code})`,
      entrepreneur: { name: `${author.firstName} ${author.lastName}`, email: author.email, phone: author.phone },
      client:
        client.kind === 'company'
          ? { name: client.legalName, address: client.address, siret: client.siret }
          : { name: `${client.firstName} ${client.lastName}`, address: client.address },
      siteAddress: quote.siteAddress,
      housingOver2Years: quote.housingOver2Years,
      lines: quote.lines,
      totals: quote.totals,
      depositPercent: quote.depositPercent,
      feeCents: quote.feeCents,
      notes: quote.notes,
      vatCertification: vatCertificationNeeded(quote.lines),
      reducedRates: reducedRatesUsed(quote.lines),
      performer: partner
        ? {
            legalName: partner.legalName,
            siret: partner.siret,
            decennale: partner.decennale,
            rge: partner.rge ? { ...partner.rge, domains: partner.rge.domains.map(rgeDomainLabel) } : undefined,
          }
        : undefined,
      rgeCoverage: coverage.map((c) => ({
        index: c.index,
        ...(c.domain ? { domainLabel: rgeDomainLabel(c.domain as Parameters<typeof rgeDomainLabel>[0]) } : {}),
        covered: c.covered,
      })),
      ...(works ? { issuerInsurance: insurance } : {}),
      operationNature: operationNature(quote.lines),
      ...(individual
        ? {
            works: { startDate: quote.worksStartDate, startWithinDays: quote.worksStartWithinDays, durationDays: quote.worksDurationDays },
            consumer: { ...terms, mediator },
          }
        : quote.worksStartDate || quote.worksStartWithinDays
          ? {
              works: {
                startDate: quote.worksStartDate,
                startWithinDays: quote.worksStartWithinDays,
                durationDays: quote.worksDurationDays,
              },
            }
          : {}),
    },
  };
}

/** Everything but the quote's own lines and totals: what the quote keeps to render its PDF again. */
const sourceOf = ({ lines: _l, totals: _t, ...source }: QuoteDocument): NonNullable<QuoteRecord['documentSource']> => source;

/** The document a sent quote was rendered from. */
const documentOf = (quote: QuoteRecord): QuoteDocument => ({ ...quote.documentSource!, lines: quote.lines, totals: quote.totals });

/**
 * Primary course: number the quote (next in its CAE's yearly series, or the number of the quote it
 * revises), date it when the number is taken, render its PDF, then in one transaction consume the
 * number, freeze the quote as sent (document pending, e-mail pending), start its expiry clock and
 * supersede the previous revision; then store the PDF, e-mail the link and record the delivery.
 * A failure before the transaction leaves the quote a draft, the number unconsumed, nothing stored.
 * Sending a sent quote whose PDF or e-mail is still pending (or failed) completes it.
 */
export async function sendQuote(ports: SendPorts, principal: Principal, id: string, now: Date): Promise<QuoteRecord> {
  const current = await getQuote(principal, id);
  const undelivered = current.state === 'sent' && (current.delivery?.email === 'pending' || current.delivery?.email === 'failed');
  if (current.state !== 'draft' && (current.documentPending || undelivered)) {
    return complete(ports, current, undefined, undefined);
  }
  if (current.state !== 'draft') throw new ConflictError(`The quote is already ${current.state}.`, { state: current.state });
  // The revised quote is the same author's, in the same territory: read whoever sends.
  const previous = current.supersedes ? await loadQuote(current.supersedes.id) : undefined;

  const send = async (number: string, at: Date, seriesWrites: readonly TransactItem[]) => {
    const issueDate = parisDate(at);
    const { document, clientEmail } = await quoteDocument(
      current,
      number,
      issueDate,
      previous?.number ? { number: previous.number, revision: previous.revision } : undefined,
    );
    const pdf = await renderQuotePdf(document);
    const documentKey = `quotes/${current.etd}/${number}-r${current.revision}-${current.id}.pdf`;

    const sent: QuoteRecord = {
      ...current,
      state: 'sent',
      number,
      issueDate,
      validUntil: document.validUntil,
      document: { sha256: sha256(pdf), bytes: pdf.byteLength },
      documentKey,
      documentSource: sourceOf(document),
      documentPending: true,
      parties: { issuerName: document.issuer.legalName, entrepreneurName: document.entrepreneur.name, clientName: document.client.name },
      delivery: { email: clientEmail ? 'pending' : 'no-address' },
      version: current.version + 1,
      updatedAt: at.toISOString(),
      updatedBy: principal.sub,
    };
    const token = await linkToken(ports, current.id);
    const items: TransactItem[] = [
      replaceQuote(current, sent),
      clientLinkPut(token, { quoteId: current.id }),
      expiryMarkerPut(sent),
      historyPut(current.id, sent.version, principal, at, { action: 'sent', number }),
      ...seriesWrites,
    ];
    if (previous) {
      items.push(
        replaceQuote(previous, {
          ...previous,
          state: 'superseded',
          supersededBy: current.id,
          supersededAt: at.toISOString(),
          version: previous.version + 1,
          updatedAt: at.toISOString(),
          updatedBy: principal.sub,
        }),
        expiryMarkerDelete(previous.id),
        historyPut(previous.id, previous.version + 1, principal, at, { action: 'superseded', by: current.id }),
      );
    }
    await transact(items, () => new ConflictError('The quote or its previous revision changed meanwhile; read it again.'));
    return { sent, pdf, clientEmail };
  };
  // A revision keeps the number of the quote it revises; a first send takes the next of its series.
  const { sent, pdf, clientEmail } = previous?.number
    ? await send(previous.number, now, [])
    : await withSeriesTicket(
        (at) => seriesPrefix(current.cae, current.etd, parisYear(at)),
        now,
        (ticket) => send(ticket.number, ticket.at, ticket.writes),
      );
  businessMetric('QuoteSent', current.etd);
  return complete(ports, sent, pdf, clientEmail);
}

/**
 * After the commit: stores the PDF (re-rendered from the quote when not given: the same bytes, or
 * an error), e-mails the link when the e-mail is pending or failed, and records both.
 */
async function complete(
  ports: SendPorts,
  quote: QuoteRecord,
  rendered: Uint8Array | undefined,
  to: string | undefined,
): Promise<QuoteRecord> {
  const document = documentOf(quote);
  if (quote.documentPending) {
    const pdf = rendered ?? (await renderQuotePdf(document));
    if (sha256(pdf) !== quote.document!.sha256) throw new Error(`quote ${quote.id}: the PDF rendered again differs from the one committed`);
    await ports.documents.put(quote.documentKey!, pdf, 'application/pdf');
  }
  let delivery = quote.delivery;
  // The link is e-mailed while the quote awaits the client's answer only.
  if (quote.state === 'sent' && (delivery?.email === 'pending' || delivery?.email === 'failed')) {
    const address = to ?? (await clientOf(quote)).email;
    delivery = address ? await deliver(ports, quote, address, document) : { email: 'no-address' };
  }
  return record(quote, delivery);
}

/** Writes the delivery and clears `documentPending`, at the quote's next version (whatever its state by then). */
async function record(quote: QuoteRecord, delivery: QuoteRecord['delivery']): Promise<QuoteRecord> {
  let current = quote;
  for (let attempt = 0; ; attempt++) {
    const next: QuoteRecord = { ...current, version: current.version + 1, ...(delivery ? { delivery } : {}) };
    delete next.documentPending;
    try {
      await transact(
        [
          deliveryUpdate(current, next),
          historyPut(current.id, next.version, { sub: 'quote-delivery', role: 'system' }, new Date(), {
            action: 'delivered',
            email: next.delivery?.email ?? 'none',
          }),
        ],
        () => new ConflictError('changed meanwhile'),
      );
      return next;
    } catch (error) {
      if (!(error instanceof ConflictError) || attempt >= 3) throw error;
      // Accepted or declined meanwhile (the client had the link): record it on the quote as it is now.
      current = (await findQuote(quote.id)) ?? current;
    }
  }
}

/** E-mails the link; the outcome is what the quote records (a failure is retried by sending again). */
async function deliver(
  ports: SendPorts,
  quote: QuoteRecord,
  to: string,
  document: QuoteDocument,
): Promise<NonNullable<QuoteRecord['delivery']>> {
  const token = await linkToken(ports, quote.id);
  try {
    const { messageId } = await ports.mailer.send({ to, ...quoteEmail(document, `${ports.publicBaseUrl()}/q/${token}`) });
    return { email: 'sent', at: new Date().toISOString(), messageId };
  } catch (error) {
    logger.error('quote e-mail failed', { quoteId: quote.id, error: (error as Error).name });
    return { email: 'failed', at: new Date().toISOString() };
  }
}
