/**
 * Credit notes (avoirs): the only way to correct an issued invoice. Their own continuous series
 * per CAE and year (`A-SAMAD44-2026-000007`); they cite the invoice; they lower what is due; a
 * credit note covering the whole invoice cancels it. Money already paid goes back through a
 * Stripe refund (recorded by the webhook), not through the credit note itself.
 *
 * Like an invoice (issue.ts, documents.ts), no stored credit note carries a number its series did
 * not consume: its PDF is rendered in memory, its SHA-256 committed with the number (and its
 * `CreditNoteIssued` event, functions/events/catalog.ts, in the same transaction), and the PDF
 * is stored under that number only after the commit, then the client is e-mailed. A crash in
 * between leaves the credit note with `documentPending` (and its `documentSource`): its PDF route
 * answers 409, no other credit note is issued on the invoice meanwhile (409), and issuing the
 * invoice again (`POST /invoices/{id}/issue`) renders the very bytes committed, stores them and
 * sends the e-mail.
 */
import type { Out } from '../shared/contract.ts';
import type { Adapters } from '../shared/adapters.ts';
import type { Principal } from '../shared/auth.ts';
import { parisDate, parisYear } from '../shared/clock.ts';
import { ConflictError, ValidationError } from '../shared/errors.ts';
import { formatDate, formatEuros } from '../shared/french.ts';
import { sha256 } from '../shared/hash.ts';
import { newId } from '../shared/ids.ts';
import { businessMetric, logger } from '../shared/observability.ts';
import { computeTotals, subtractTotals, type Totals } from '../shared/pricing.ts';
import { withSeriesTicket } from '../shared/series.ts';
import { transact, type TransactItem } from '../shared/transactions.ts';
import { outboxItem } from '../events/outbox.ts';
import { pricedLines } from '../quotes/index.ts';
import { latePenaltyRatePercent, sapAuthorisationActivities } from './config.ts';
import { needsSapAuthorisation, sapLines } from './domain/vat-rules.ts';
import { sapActivityLabel } from '../shared/sap.ts';
import { dueMarkerMove, rebalanced } from './domain/balance.ts';
import { eventTotals } from './domain/revenue.ts';
import { documentParties, operationNature, sourceOf, storeCommittedPdf } from './documents.ts';
import { renderInvoicePdf } from './pdf.ts';
import type { CreditNoteBody } from './schemas.ts';
import { getInvoice, payUrl } from './service.ts';
import {
  creditNoteDeliveryUpdate,
  dueMarkerDelete,
  findCreditNote,
  findQuoteInvoice,
  historyPut,
  newCreditNotePut,
  noFinalInvoiceCheck,
  quoteInvoiceNetUpdate,
  replaceInvoice,
  type CreditNoteRecord,
  type InvoiceRecord,
} from './store.ts';
import type { InvoiceDocument } from './views.ts';

export { subtractTotals };
export type { CreditNoteRecord } from './store.ts';

/**
 * What crediting asks of payments when the balance moved (functions/payments implements it; the
 * handler passes it in from the payments door, so invoices never imports payments).
 */
export interface Settlement {
  /** The Checkout Sessions still open on the invoice are for the old amount: expire them. Never throws. */
  expireOpenCheckouts(ports: Pick<Adapters, 'payments'>, invoice: Pick<InvoiceRecord, 'id' | 'etd'>, now: Date): Promise<unknown>;
  /** The client paid more than it now owes: give the difference back (refunds made, or queued to retry). */
  refundOverpayment(ports: Pick<Adapters, 'payments'>, invoice: InvoiceRecord, creditNoteId: string, now: Date): Promise<void>;
}

/** What crediting needs: the document store, the mailer, the signed link, and Stripe (through `Settlement`). */
export type CreditNotePorts = Pick<Adapters, 'documents' | 'mailer' | 'secrets' | 'publicBaseUrl' | 'payments'>;

/** Storing and e-mailing a credit note (completing one, too). */
export type CreditNoteDocumentPorts = Pick<Adapters, 'documents' | 'mailer' | 'secrets' | 'publicBaseUrl'>;

export const creditNoteSeries = (cae: string, etd: string, year: number) => `A-${cae}${etd}-${year}`;

/**
 * A credit note of an invoice issued with the edition-2 mentions prints the same insurance and SAP
 * declaration as the invoice (never refused: a correction is always possible), its SAP lines those
 * credited, the invoice's agrément or autorisation when a credited line needs one; a credit note of an older invoice is rendered as the older documents.
 */
function creditNoteMentions(
  invoice: InvoiceRecord,
  lines: InvoiceRecord['lines'],
): Pick<InvoiceDocument, 'edition' | 'issuerInsurance' | 'sap'> {
  const source = invoice.documentSource;
  if (source?.edition !== 2) return {};
  return {
    edition: 2,
    ...(source.issuerInsurance ? { issuerInsurance: source.issuerInsurance } : {}),
    ...(source.sap ? { sap: creditedSap(source.sap, lines) } : {}),
  };
}

/** The invoice's SAP mentions for the lines credited: its agrément or autorisation only when one of them needs it. */
function creditedSap(sap: NonNullable<InvoiceDocument['sap']>, lines: InvoiceRecord['lines']): NonNullable<InvoiceDocument['sap']> {
  const { authorisation, ...mentions } = sap;
  return {
    ...mentions,
    ...(authorisation && needsSapAuthorisation(lines, sapAuthorisationActivities) ? { authorisation } : {}),
    lines: sapLines(lines, sapActivityLabel),
  };
}

/** The lines and totals credited: the whole invoice, or the chosen lines (a part of their quantity). */
function creditedLines(
  invoice: InvoiceRecord,
  selection: Out<typeof CreditNoteBody>['lines'],
): { lines: InvoiceRecord['lines']; totals: Totals } {
  if (!selection) return { lines: invoice.lines, totals: invoice.totals }; // exactly what was invoiced (deductions included)
  const seen = new Set<number>();
  const lines = selection.map(({ index, quantity }, i) => {
    const line = invoice.lines[index];
    if (!line) throw new ValidationError([{ path: `lines.${i}.index`, message: `the invoice has no line ${index}` }]);
    if (seen.has(index)) throw new ValidationError([{ path: `lines.${i}.index`, message: 'names a line twice' }]);
    seen.add(index);
    if (quantity !== undefined && quantity > line.quantity)
      throw new ValidationError([{ path: `lines.${i}.quantity`, message: `must not exceed the invoiced quantity ${line.quantity}` }]);
    const { totalCents: _t, ...rest } = line;
    return { ...rest, quantity: quantity ?? line.quantity };
  });
  return { lines: pricedLines(lines), totals: computeTotals(lines) };
}

export async function createCreditNote(
  ports: CreditNotePorts,
  settlement: Settlement,
  principal: Principal,
  invoiceId: string,
  body: Out<typeof CreditNoteBody>,
  now: Date,
): Promise<{ creditNote: CreditNoteRecord; invoice: InvoiceRecord }> {
  const invoice = await getInvoice(principal, invoiceId);
  if (invoice.state === 'draft') throw new ConflictError('A draft is edited, not credited.');
  if (invoice.state === 'cancelled') throw new ConflictError('The invoice is already wholly credited.');
  if (invoice.amountPendingCents > 0)
    throw new ConflictError('A bank debit is still processing on this invoice: credit it once the debit has settled.');
  const netOfCredits =
    invoice.quoteId && invoice.kind === 'deposit'
      ? ((await findQuoteInvoice(invoice.quoteId, invoice.id))?.totals ?? invoice.totals)
      : invoice.totals;
  const credited = creditedLines(invoice, body.lines);
  const remaining = invoice.totals.grossCents - invoice.amountCreditedCents;
  if (credited.totals.grossCents > remaining) {
    throw new ConflictError(
      `The credit note (${credited.totals.grossCents} cents) exceeds what remains to credit on the invoice (${remaining} cents).`,
      { remainingCents: remaining },
    );
  }
  const pending = await pendingCreditNotes(invoice);
  if (pending.length > 0) {
    throw new ConflictError(
      `The credit note ${pending[0]!.number} of this invoice is not complete (its PDF is not stored yet): issue the invoice again (POST /invoices/${invoice.id}/issue) to complete it, then credit again if still needed.`,
      {
        creditNote: pending[0]!.number,
      },
    );
  }
  const parties = await documentParties(principal, invoice);
  const id = newId('crn', now);

  const result = await withSeriesTicket(
    (at) => creditNoteSeries(invoice.cae, invoice.etd, parisYear(at)),
    now,
    async (ticket) => {
      // Dated when its number is taken (after waiting for the series), so dates follow numbers.
      const issueDate = parisDate(ticket.at);
      const next: InvoiceRecord = {
        ...rebalanced(invoice, { credited: credited.totals.grossCents }),
        creditNotes: [...invoice.creditNotes, { id, number: ticket.number, issueDate, grossCents: credited.totals.grossCents }],
        version: invoice.version + 1,
        updatedAt: ticket.at.toISOString(),
        updatedBy: principal.sub,
      };
      const document: InvoiceDocument = {
        ...creditNoteMentions(invoice, credited.lines),
        number: ticket.number,
        type: 'credit-note',
        kind: invoice.kind,
        issueDate,
        serviceDate: invoice.serviceDate ?? invoice.issueDate!,
        issuer: parties.issuer,
        territory: parties.territory,
        entrepreneur: parties.entrepreneur,
        client: parties.client,
        operationNature: invoice.operationNature ?? operationNature(credited.lines),
        title: `Avoir — ${body.reason}`,
        lines: credited.lines,
        totals: credited.totals,
        creditedInvoice: { number: invoice.number!, issueDate: invoice.issueDate! },
        sapEligible: invoice.sapEligible,
        amountPaidCents: next.amountPaidCents,
        amountDueCents: Math.max(0, next.amountDueCents),
        latePenaltyRatePercent: latePenaltyRatePercent(),
        notes: body.reason,
      };
      const pdf = await renderInvoicePdf(document);
      const creditNote: CreditNoteRecord = {
        id,
        invoiceId,
        etd: invoice.etd,
        number: ticket.number,
        issueDate,
        reason: body.reason,
        lines: credited.lines,
        totals: credited.totals,
        document: { sha256: sha256(pdf), bytes: pdf.byteLength },
        documentKey: `credit-notes/${invoice.etd}/${ticket.number}-${id}.pdf`,
        documentSource: sourceOf(document),
        documentPending: true,
        invoiceAfter: { state: next.state, amountDueCents: next.amountDueCents },
        createdAt: ticket.at.toISOString(),
        createdBy: principal.sub,
      };
      const items: TransactItem[] = [
        replaceInvoice(invoice, next),
        newCreditNotePut(creditNote),
        historyPut(invoice.id, next.version, principal, ticket.at, {
          action: 'credited',
          creditNote: ticket.number,
          grossCents: credited.totals.grossCents,
        }),
        outboxItem(
          'CreditNoteIssued',
          {
            creditNoteId: id,
            invoiceId,
            number: ticket.number,
            etd: invoice.etd,
            cae: invoice.cae,
            entrepreneurId: invoice.entrepreneurId,
            clientId: invoice.clientId,
            issuedOn: issueDate,
            totals: eventTotals(credited.totals),
          },
          ticket.at,
        ),
        ...ticket.writes,
      ];
      if (dueMarkerMove(invoice.amountDueCents, next.amountDueCents) === 'close') items.push(dueMarkerDelete(invoice.id));
      if (invoice.quoteId && invoice.kind === 'deposit') {
        // The quote's copy of a deposit: what the final invoice deducts is the deposit net of its
        // credit notes (nothing once cancelled)…
        items.push(quoteInvoiceNetUpdate(invoice.quoteId, invoice.id, next.state, subtractTotals(netOfCredits, credited.totals)));
        // …and once the final has deducted it, the deposit is corrected through the final instead.
        items.push(noFinalInvoiceCheck(invoice.quoteId));
      }
      await transact(items, (index) =>
        index === items.length - 1 && invoice.kind === 'deposit' && invoice.quoteId
          ? new ConflictError('The final invoice of the quote already deducted this deposit: correct the final invoice instead.')
          : new ConflictError('The invoice changed meanwhile (a payment or another credit note); try again.'),
      );
      return { creditNote, invoice: next, pdf };
    },
  );
  businessMetric('CreditNoteIssued', invoice.etd);
  // The balance moved: a checkout started for the old amount must not be paid any more. The money
  // goes first: a failure to store the PDF must not hold back the refund.
  await settlement.expireOpenCheckouts(ports, result.invoice, now);
  if (result.invoice.amountDueCents < 0) await settlement.refundOverpayment(ports, result.invoice, result.creditNote.id, now);
  const creditNote = await completeCreditNote(ports, invoice, result.creditNote, result.pdf, now);
  return { creditNote, invoice: result.invoice };
}

/** The credit notes of the invoice whose PDF is not stored yet (committed, not completed). */
export async function pendingCreditNotes(invoice: Pick<InvoiceRecord, 'creditNotes'>): Promise<CreditNoteRecord[]> {
  const creditNotes = await Promise.all(invoice.creditNotes.map((c) => findCreditNote(c.id)));
  return creditNotes.filter((creditNote): creditNote is CreditNoteRecord => creditNote?.documentPending === true);
}

/** Completes the given pending credit notes of the invoice (issuing the invoice again does). */
export async function completePendingCreditNotes(
  ports: CreditNoteDocumentPorts,
  invoice: InvoiceRecord,
  creditNotes: readonly CreditNoteRecord[],
  now: Date,
): Promise<void> {
  for (const creditNote of creditNotes) await completeCreditNote(ports, invoice, creditNote, undefined, now);
}

/**
 * After the commit: stores the PDF under its number (re-rendered from the credit note when not
 * given: the same bytes, or an error), clears `documentPending`, then e-mails the client.
 */
async function completeCreditNote(
  ports: CreditNoteDocumentPorts,
  invoice: InvoiceRecord,
  creditNote: CreditNoteRecord,
  rendered: Uint8Array | undefined,
  now: Date,
): Promise<CreditNoteRecord> {
  const document: InvoiceDocument = { ...creditNote.documentSource!, lines: creditNote.lines, totals: creditNote.totals };
  await storeCommittedPdf(
    ports,
    `credit note ${creditNote.id}`,
    { creditNote: creditNote.id },
    creditNote,
    rendered ?? (await renderInvoicePdf(document)),
  );
  const { documentPending: _pending, ...stored } = creditNote;
  const delivery = await mailCreditNote(ports, invoice, stored, now);
  return delivery ? { ...stored, delivery } : stored;
}

/**
 * The client gets the credit note by e-mail, with the link to its invoice's page, where the
 * credit note's PDF is offered (a fresh short-lived download link each time the page is opened).
 * A failed send does not undo the credit note: it is logged, counted (`CreditNoteMailFailed`) and
 * recorded on the credit note (`delivery.email`), like a success.
 */
async function mailCreditNote(
  ports: CreditNoteDocumentPorts,
  invoice: InvoiceRecord,
  creditNote: CreditNoteRecord,
  now: Date,
): Promise<CreditNoteRecord['delivery']> {
  if (!invoice.clientEmail) return undefined;
  const after = creditNote.invoiceAfter!;
  const link = await payUrl(ports, invoice.id);
  const refunded = after.amountDueCents < 0 ? -after.amountDueCents : 0;
  const balance =
    after.state === 'cancelled'
      ? 'La facture est ainsi entièrement annulée.'
      : after.amountDueCents > 0
        ? `Il reste ${formatEuros(after.amountDueCents)} à payer sur cette facture.`
        : 'Il ne reste rien à payer sur cette facture.';
  let status: 'sent' | 'failed' = 'sent';
  try {
    await ports.mailer.send({
      to: invoice.clientEmail,
      subject: `Avoir n° ${creditNote.number} sur la facture n° ${invoice.number ?? ''}`,
      text: [
        `Bonjour ${invoice.parties?.clientName ?? ''},`,
        '',
        `Nous avons émis l’avoir n° ${creditNote.number} du ${formatDate(creditNote.issueDate)}, d’un montant de ${formatEuros(creditNote.totals.grossCents)}, sur la facture n° ${invoice.number ?? ''} (${invoice.title}).`,
        balance,
        ...(refunded > 0 ? [`Le trop-perçu de ${formatEuros(refunded)} vous est remboursé sur le moyen de paiement utilisé.`] : []),
        '',
        'Vous pouvez télécharger l’avoir (PDF) sur la page de votre facture :',
        link,
        '',
        'Bien cordialement,',
        `${invoice.parties?.issuerName ?? ''} — réseau Oui Ensemble`,
      ].join('\n'),
    });
    businessMetric('CreditNoteSent', invoice.etd);
  } catch (error) {
    status = 'failed';
    logger.error('credit note e-mail failed', { invoiceId: invoice.id, creditNoteId: creditNote.id, error: (error as Error).name });
    businessMetric('CreditNoteMailFailed', invoice.etd);
  }
  const delivery = { email: status, at: now.toISOString() };
  await creditNoteDeliveryUpdate(creditNote.id, delivery);
  return delivery;
}
