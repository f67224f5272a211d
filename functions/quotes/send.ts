/**
 * Sending a quote: the only use case that renders a PDF, kept apart so that no other function
 * bundles the PDF engine (pdfkit, fontkit: about 800 KiB).
 */
import { adapters } from '../shared/adapters.ts';
import type { Principal } from '../shared/auth.ts';
import { parisDate, parisYear } from '../shared/clock.ts';
import { ConflictError } from '../shared/errors.ts';
import { businessMetric, logger } from '../shared/observability.ts';
import { vatCertificationNeeded } from '../shared/pricing.ts';
import { transact, type TransactItem } from '../shared/transactions.ts';
import { getClient, getEntrepreneur, getEtd, getPartner } from '../onboarding/service.ts';
import { seriesPrefix, validUntil } from './domain/quote.ts';
import { withSeriesTicket } from '../shared/series.ts';
import { quoteEmail } from './email.ts';
import { renderQuotePdf } from './pdf.ts';
import { actingAs, getQuote, historyPut, linkToken, replaceItem, type QuoteRecord } from './service.ts';
import { keys, partitions, table } from './store.ts';
import type { QuoteDocument } from './views.ts';

/** Everything the PDF shows, resolved from the directory. */
async function quoteDocument(principal: Principal, quote: QuoteRecord, number: string, issueDate: string, supersedes: QuoteDocument['supersedes']): Promise<{ document: QuoteDocument; clientEmail?: string | undefined }> {
  const author = await getEntrepreneur(principal, quote.entrepreneurId);
  const scope = actingAs(author.id, quote.etd);
  const [etd, client, partner] = await Promise.all([
    getEtd({ sub: principal.sub, role: 'manager', etd: quote.etd }, quote.etd),
    getClient(scope, quote.clientId),
    quote.partnerId ? getPartner({ sub: principal.sub, role: 'manager', etd: quote.etd }, quote.partnerId) : Promise.resolve(undefined),
  ]);
  const issuer = quote.cae === 'SAMAD' ? etd.caes.samad : etd.caes.msg;
  return {
    clientEmail: client.email,
    document: {
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
      client: client.kind === 'company' ? { name: client.legalName, address: client.address, siret: client.siret } : { name: `${client.firstName} ${client.lastName}`, address: client.address },
      siteAddress: quote.siteAddress,
      housingOver2Years: quote.housingOver2Years,
      lines: quote.lines,
      totals: quote.totals,
      depositPercent: quote.depositPercent,
      feeCents: quote.feeCents,
      notes: quote.notes,
      vatCertification: vatCertificationNeeded(quote.lines),
      performer: partner ? { legalName: partner.legalName, siret: partner.siret, decennale: partner.decennale, rge: partner.rge } : undefined,
    },
  };
}

/**
 * Primary course: number the quote (next in its CAE's yearly series, or the number of the quote it
 * revises), render and store the PDF, then in one transaction consume the number, freeze the
 * quote as sent, start its expiry clock and supersede the previous revision; then e-mail the link.
 * A failure before the transaction leaves the quote a draft and the number unconsumed.
 */
export async function sendQuote(principal: Principal, id: string, now: Date): Promise<QuoteRecord> {
  const current = await getQuote(principal, id);
  if (current.state !== 'draft') throw new ConflictError(`The quote is already ${current.state}.`, { state: current.state });
  const previous = current.supersedes ? await getQuote(principal, current.supersedes.id) : undefined;
  const issueDate = parisDate(now);

  const send = async (number: string, seriesWrites: readonly TransactItem[]): Promise<QuoteRecord> => {
    const { document, clientEmail } = await quoteDocument(principal, current, number, issueDate, previous?.number ? { number: previous.number, revision: previous.revision } : undefined);
    const pdf = await renderQuotePdf(document);
    const documentKey = `quotes/${current.etd}/${number}-r${current.revision}-${current.id}.pdf`;
    const stored = await adapters().documents.put(documentKey, pdf, 'application/pdf');

    const sent: QuoteRecord = {
      ...current,
      state: 'sent',
      number,
      issueDate,
      validUntil: document.validUntil,
      document: { sha256: stored.sha256, bytes: stored.bytes },
      documentKey,
      parties: { issuerName: document.issuer.legalName, entrepreneurName: document.entrepreneur.name, clientName: document.client.name },
      delivery: { email: clientEmail ? 'sent' : 'no-address' },
      version: current.version + 1,
      updatedAt: now.toISOString(),
      updatedBy: principal.sub,
    };
    const token = await linkToken(current.id);
    const items: TransactItem[] = [
      replaceItem(current, sent),
      { Put: { TableName: table(), Item: { ...keys.link(token), entity: 'link', quoteId: current.id } } },
      { Put: { TableName: table(), Item: { ...keys.expiry(current.id), entity: 'expiry', gsi1pk: partitions.sentByExpiry, gsi1sk: `${sent.validUntil}#${current.id}`, quoteId: current.id } } },
      historyPut(current.id, sent.version, principal, now, { action: 'sent', number }),
      ...seriesWrites,
    ];
    if (previous) {
      items.push(
        replaceItem(previous, { ...previous, state: 'superseded', supersededBy: current.id, version: previous.version + 1, updatedAt: now.toISOString(), updatedBy: principal.sub }),
        { Delete: { TableName: table(), Key: keys.expiry(previous.id) } },
        historyPut(previous.id, previous.version + 1, principal, now, { action: 'superseded', by: current.id }),
      );
    }
    await transact(items, () => new ConflictError('The quote or its previous revision changed meanwhile; read it again.'));
    businessMetric('QuoteSent', current.etd);
    if (clientEmail) await deliver(sent, clientEmail, document, token);
    return sent;
  };
  // A revision keeps the number of the quote it revises; a first send takes the next of its series.
  if (previous?.number) return send(previous.number, []);
  return withSeriesTicket(seriesPrefix(current.cae, current.etd, parisYear(now)), now, (ticket) => send(ticket.number, ticket.writes));
}


/** E-mails the link; a failure is recorded on the quote (its link stays visible to its author). */
async function deliver(quote: QuoteRecord, to: string, document: QuoteDocument, token: string): Promise<void> {
  try {
    await adapters().mailer.send({ to, ...quoteEmail(document, `${adapters().publicBaseUrl()}/q/${token}`) });
  } catch (error) {
    logger.error('quote e-mail failed', { quoteId: quote.id, error: (error as Error).name });
    quote.delivery = { email: 'failed' };
    await transact([{ Update: { TableName: table(), Key: keys.quote(quote.id), UpdateExpression: 'SET delivery = :d', ExpressionAttributeValues: { ':d': quote.delivery } } }], () => error as Error);
  }
}

