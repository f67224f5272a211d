/**
 * Issuing an invoice: with crediting (credit-notes.ts), the only invoice use cases that render a
 * PDF (kept apart so no other function bundles the PDF engine). Primary course: take the next number of the CAE's yearly
 * series and date the invoice then, render the PDF in memory, then in one transaction consume the
 * number, freeze the invoice as issued (with the PDF's SHA-256), open its balance (due marker),
 * record the pay link and, for a quote's invoices, the link to the quote, and write its
 * `InvoiceIssued` event (functions/events/catalog.ts); then store the PDF and
 * e-mail the pay link. A failure before the transaction leaves a draft, consumes no number and
 * stores nothing.
 *
 * No stored document carries a number its series did not consume: the PDF is stored only after
 * the transaction committed, under a key holding the consumed number, written once (the documents
 * grant is get/put only: nothing is ever deleted, nothing needs to be). A crash between the commit
 * and the put leaves the invoice issued with `documentPending`; the invoice keeps what its PDF was
 * made from (`documentSource`: everything but its own lines and totals, the pay link printed
 * included), the rendering is deterministic, so issuing again re-creates the very bytes committed
 * (checked against the SHA-256), stores them and sends the e-mail: issuing is retry-safe. Credit
 * notes follow the same design (functions/invoices/documents.ts); issuing the invoice again also
 * completes a credit note of it left pending.
 */
import type { Adapters } from '../shared/adapters.ts';
import type { Actor } from '../shared/audit.ts';
import type { Principal } from '../shared/auth.ts';
import { addDays, parisDate, parisYear } from '../shared/clock.ts';
import { formatEuros, formatDate } from '../shared/french.ts';
import { ConflictError, unlessNotFound } from '../shared/errors.ts';
import { sha256 } from '../shared/hash.ts';
import { businessMetric, logger } from '../shared/observability.ts';
import { withSeriesTicket } from '../shared/series.ts';
import { transact, type TransactItem } from '../shared/transactions.ts';
import { outboxItem } from '../events/outbox.ts';
import { clientLinkPut, loadQuoteForInvoicing } from '../quotes/index.ts';
import { latePenaltyRatePercent, sapAuthorisationActivities, sapVatRates } from './config.ts';
import { amountDue, balanceOf } from './domain/balance.ts';
import { eventTotals } from './domain/revenue.ts';
import { renderInvoicePdf } from './pdf.ts';
import { finalTotals, getInvoice, issuedDeposits, payToken, payUrl } from './service.ts';
import {
  depositCountAdd,
  depositCountCheck,
  dueMarkerPut,
  finalInvoicePut,
  historyPut,
  noFinalInvoiceCheck,
  quoteInvoicePut,
  replaceInvoice,
  type InvoiceRecord,
} from './store.ts';
import { completePendingCreditNotes, pendingCreditNotes } from './credit-notes.ts';
import {
  billedParties,
  documentParties,
  editionTwoMentions,
  operationNature,
  sourceOf,
  storeCommittedPdf,
  type DocumentParties,
} from './documents.ts';
import { reducedRatesUsed, type Totals } from '../shared/pricing.ts';
import { invoiceVatProblems, needsSapAuthorisation, sapAuthorisationProblem } from './domain/vat-rules.ts';
import { ValidationError } from '../shared/errors.ts';
import type { InvoiceDocument } from './views.ts';

/** What issuing needs: the document store, the mailer, and the signed pay link on the public address. */
export type IssuePorts = Pick<Adapters, 'documents' | 'mailer' | 'secrets' | 'publicBaseUrl'>;

export const invoiceSeries = (cae: string, etd: string, year: number) => `F-${cae}${etd}-${year}`;

export async function issueInvoice(ports: IssuePorts, principal: Principal, id: string, now: Date): Promise<InvoiceRecord> {
  const visible = await getInvoice(principal, id);
  if (visible.state !== 'draft') return completeIssued(ports, visible, now);
  const parties = visible.billTo ? await billedParties(visible) : await documentParties(principal, visible);
  return issueDraft(ports, principal, visible, parties, now);
}

/**
 * Issues a draft whose parties are resolved: `issueInvoice` for a caller, or business.ts for an
 * invoice a context drafts on behalf of a system actor (its client given, not an onboarding client).
 */
export async function issueDraft(ports: IssuePorts, principal: Actor, draft: InvoiceRecord, parties: DocumentParties, now: Date) {
  let current = draft;
  let quote: { number: string; revision: number; acceptedOn: string; grossCents: number } | undefined;
  let depositsSeen = 0;
  let worksTotals: Totals | undefined;
  /** Where the works took place, printed when it is not the client's address (e-invoicing mention). */
  let siteAddress: InvoiceDocument['deliveryAddress'];
  if (current.quoteId) {
    const quoteItem = await unlessNotFound(loadQuoteForInvoicing(current.quoteId));
    if (quoteItem?.state !== 'accepted') throw new ConflictError('The quote of this invoice is no longer accepted.');
    quote = {
      number: String(quoteItem.number),
      revision: Number(quoteItem.revision),
      acceptedOn: parisDate(new Date(String(quoteItem.acceptedAt))),
      grossCents: quoteItem.totals.grossCents,
    };
    if (current.kind === 'final') {
      // The deposits issued since the draft was made are deducted too.
      const deposits = await issuedDeposits(current.quoteId);
      depositsSeen = deposits.issued;
      current = { ...current, deductions: deposits.deductions, totals: finalTotals(quoteItem.totals, deposits.deductions) };
      worksTotals = { ...quoteItem.totals, depositCents: 0 };
      if (current.totals.grossCents < 0)
        throw new ConflictError('The deposits invoiced exceed the quote: credit them before the final invoice.');
    }
    siteAddress = quoteItem.siteAddress;
  }
  // An activity for elderly, disabled or dependent people needs the CAE's agrément or autorisation
  // (C. trav. L7232-1; CASF L313-1): checked on the day (and again on the issue date, editionTwoMentions).
  const unauthorised =
    current.sapEligible && needsSapAuthorisation(current.lines, sapAuthorisationActivities)
      ? sapAuthorisationProblem(parties.cae.sapAuthorisation, parisDate(now))
      : undefined;
  // Drafted before the rules of the rates (or edited since): checked again, as at drafting.
  const vatProblems = [
    ...(unauthorised ? [{ path: 'cae', message: unauthorised }] : []),
    ...invoiceVatProblems(
      {
        kind: current.kind,
        works: current.pole === 'renovation',
        sapEligible: current.sapEligible,
        housingOver2Years: current.housingOver2Years,
        dependentBeneficiary: current.dependentBeneficiary,
        clientIsIndividual: !parties.client.isCompany,
        sapAuthorised: unauthorised === undefined,
        lines: current.lines,
      },
      sapVatRates,
      sapAuthorisationActivities,
    ),
  ];
  if (vatProblems.length) throw new ValidationError(vatProblems);
  const token = await payToken(ports, current.id);
  const printedPayUrl = await payUrl(ports, current.id);

  const issued = await withSeriesTicket(
    (at) => invoiceSeries(current.cae, current.etd, parisYear(at)),
    now,
    async (ticket) => {
      // Dated when its number is taken (after waiting for the series), so dates follow numbers.
      const issueDate = parisDate(ticket.at);
      // No payment may be asked before the first day one may be received (C. conso L221-10).
      const earliest = current.noPaymentBefore;
      const dueDate = earliest && earliest > addDays(issueDate, current.dueDays) ? earliest : addDays(issueDate, current.dueDays);
      const mentions = editionTwoMentions(current, parties, issueDate);
      const certificationRates = current.kind === 'standard' && current.pole === 'renovation' ? reducedRatesUsed(current.lines) : [];
      const document: InvoiceDocument = {
        ...mentions,
        number: ticket.number,
        type: 'invoice',
        kind: current.kind,
        issueDate,
        serviceDate: current.serviceDate ?? issueDate,
        dueDate,
        issuer: parties.issuer,
        territory: parties.territory,
        entrepreneur: parties.entrepreneur,
        client: parties.client,
        deliveryAddress: siteAddress && JSON.stringify(siteAddress) !== JSON.stringify(parties.client.address) ? siteAddress : undefined,
        operationNature: current.operationNature ?? operationNature(current.lines),
        title: current.title,
        purchaseOrder: current.purchaseOrder,
        lines: current.lines,
        totals: current.totals,
        quote,
        deductedDeposits: current.deductions?.map((d) => ({
          number: d.number,
          issueDate: d.issueDate,
          grossCents: d.totals.grossCents,
          totals: d.totals,
        })),
        ...(worksTotals ? { worksTotals } : {}),
        ...(current.kind === 'deposit' && current.serviceDate && current.serviceDate !== issueDate
          ? { depositPaidOn: current.serviceDate }
          : {}),
        ...(certificationRates.length ? { certificationRates } : {}),
        ...(earliest ? { noPaymentBefore: earliest } : {}),
        sapEligible: current.sapEligible,
        amountPaidCents: 0,
        amountDueCents: current.totals.grossCents,
        latePenaltyRatePercent: latePenaltyRatePercent(),
        payUrl: printedPayUrl,
        notes: current.notes,
      };
      const pdf = await renderInvoicePdf(document);
      const documentKey = `invoices/${current.etd}/${ticket.number}-${current.id}.pdf`;
      const next: InvoiceRecord = {
        ...current,
        state: current.totals.grossCents === 0 ? 'paid' : 'issued',
        number: ticket.number,
        issueDate,
        dueDate,
        serviceDate: document.serviceDate,
        amountDueCents: current.totals.grossCents,
        document: { sha256: sha256(pdf), bytes: pdf.byteLength },
        documentKey,
        documentSource: sourceOf(document),
        documentPending: true,
        ...(parties.clientEmail ? { clientEmail: parties.clientEmail } : {}),
        parties: { issuerName: parties.issuer.legalName, entrepreneurName: parties.entrepreneur.name, clientName: parties.client.name },
        version: current.version + 1,
        updatedAt: ticket.at.toISOString(),
        updatedBy: principal.sub,
      };
      const items: TransactItem[] = [
        replaceInvoice({ ...current, totals: current.totals }, next),
        clientLinkPut(token, { invoiceId: current.id }),
        historyPut(current.id, next.version, principal, ticket.at, { action: 'issued', number: ticket.number }),
        outboxItem(
          'InvoiceIssued',
          {
            invoiceId: current.id,
            number: ticket.number,
            etd: current.etd,
            cae: current.cae,
            entrepreneurId: current.entrepreneurId,
            clientId: current.clientId,
            issuedOn: issueDate,
            kind: current.kind,
            totals: eventTotals(next.totals),
            sapEligible: current.sapEligible,
          },
          ticket.at,
        ),
        ...ticket.writes,
      ];
      if (amountDue(balanceOf(next)) > 0) items.push(dueMarkerPut(next));
      if (current.quoteId) {
        items.push(
          quoteInvoicePut(current.quoteId, {
            invoiceId: current.id,
            kind: current.kind,
            state: next.state,
            number: ticket.number,
            issueDate,
            totals: next.totals,
          }),
        );
        if (current.kind === 'final') {
          // No deposit issued since its deductions were read (else it would be deducted by nothing)…
          items.push(depositCountCheck(current.quoteId, depositsSeen));
          // …and one final per quote.
          items.push(finalInvoicePut(current.quoteId, current.id));
        } else {
          items.push(depositCountAdd(current.quoteId));
          // A deposit issued after the final would be deducted by nothing: the final must not exist yet.
          items.push(noFinalInvoiceCheck(current.quoteId));
        }
      }
      await transact(items, (index) =>
        index === items.length - 1 && current.quoteId
          ? new ConflictError('The quote already has its final invoice.')
          : index === items.length - 2 && current.kind === 'final'
            ? new ConflictError('A deposit invoice was issued on the quote meanwhile; issue the final invoice again to deduct it.')
            : new ConflictError('The invoice changed meanwhile; read it again.'),
      );
      return { next, pdf };
    },
  );
  businessMetric('InvoiceIssued', current.etd);
  return complete(ports, issued.next, issued.pdf);
}

/**
 * Issuing an issued invoice completes what its issue, or a credit note on it, left pending: the
 * invoice's PDF (and its e-mail), then each credit note's PDF (and its e-mail). Nothing pending:
 * 409, as for any issued invoice.
 */
async function completeIssued(ports: IssuePorts, invoice: InvoiceRecord, now: Date): Promise<InvoiceRecord> {
  const creditNotes = await pendingCreditNotes(invoice);
  if (!invoice.documentPending && creditNotes.length === 0)
    throw new ConflictError(`The invoice is already ${invoice.state}.`, { state: invoice.state });
  const completed = invoice.documentPending ? await complete(ports, invoice, undefined) : invoice;
  await completePendingCreditNotes(ports, completed, creditNotes, now);
  return completed;
}

/**
 * After the commit: stores the PDF under its number (re-rendered from the invoice when not given:
 * the same bytes, or an error), clears `documentPending`, then e-mails the pay link.
 */
async function complete(ports: IssuePorts, invoice: InvoiceRecord, rendered: Uint8Array | undefined): Promise<InvoiceRecord> {
  const todayPayUrl = await payUrl(ports, invoice.id);
  // The PDF as committed (its printed link included); the e-mail carries the link of today.
  const document: InvoiceDocument = { payUrl: todayPayUrl, ...invoice.documentSource!, lines: invoice.lines, totals: invoice.totals };
  await storeCommittedPdf(ports, `invoice ${invoice.id}`, { invoice: invoice.id }, invoice, rendered ?? (await renderInvoicePdf(document)));
  const { documentPending: _pending, ...stored } = invoice;
  if (stored.clientEmail) await mailInvoice(ports, stored, document, todayPayUrl);
  return stored;
}

async function mailInvoice(
  ports: Pick<Adapters, 'mailer'>,
  invoice: InvoiceRecord,
  document: InvoiceDocument,
  link: string,
): Promise<void> {
  const lines = [
    `Bonjour ${document.client.name},`,
    '',
    `Veuillez trouver votre facture n° ${document.number} de la ${document.issuer.legalName}, pour : ${document.title}.`,
    `Montant : ${formatEuros(document.totals.grossCents)} TTC, à régler au plus tard le ${formatDate(document.dueDate!)}.`,
    ...(document.noPaymentBefore
      ? [`Contrat conclu hors établissement : aucun paiement ne peut être reçu avant le ${formatDate(document.noPaymentBefore)}.`]
      : []),
    '',
    'Pour la consulter et la payer en ligne par carte ou prélèvement, ouvrez ce lien :',
    link,
    '',
    `Pour toute question, contactez ${document.entrepreneur.name}${document.entrepreneur.phone ? ` au ${document.entrepreneur.phone}` : ''}.`,
    '',
    'Bien cordialement,',
    `${document.issuer.legalName} — réseau Oui Ensemble`,
  ];
  try {
    await ports.mailer.send({
      to: invoice.clientEmail!,
      subject: `Votre facture n° ${document.number} — ${document.title}`,
      text: lines.join('\n'),
    });
  } catch (error) {
    // The invoice is issued; its pay link stays visible to its author, who can pass it on.
    logger.error('invoice e-mail failed', { invoiceId: invoice.id, error: (error as Error).name });
  }
}
