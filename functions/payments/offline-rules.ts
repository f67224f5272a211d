/**
 * Payments received outside Stripe (bank transfer, cheque, pre-funded CESU titles, APA/PCH paid by
 * the département, URSSAF's avance immédiate), recorded by the territory's staff: the pure rules.
 * What third parties financed (`funding`) follows from the method; the yearly tax-credit
 * attestation (functions/cesu/attestations.ts) deducts it from what the client paid (CGI 199
 * sexdecies, LEGAL-FR §1.6). The use case is offline.ts; the balance moves through ledger.ts.
 */
import { sha256 } from '../shared/hash.ts';
import type { InvoiceRecord } from '../invoices/index.ts';

export const offlineMethods = ['transfer', 'cheque', 'cesu-prefunded', 'apa-pch', 'avance-immediate'] as const;
export type OfflineMethod = (typeof offlineMethods)[number];

/** Of a payment, what third parties financed (cents), as PaymentReceived carries it. */
export interface Funding {
  readonly apaPchCents?: number;
  readonly prefundedCesuCents?: number;
  readonly avanceImmediateCents?: number;
}

export interface OfflinePayment {
  readonly method: OfflineMethod;
  readonly amountCents: number;
  /** The Paris business date the money was received (YYYY-MM-DD). */
  readonly receivedOn: string;
  /** The bank reference, cheque number, CESU titles' numbers, the département's decision… */
  readonly reference: string;
}

/** The whole payment financed by the third party the method names; a transfer or a cheque is the client's own money. */
export function fundingOf(method: OfflineMethod, amountCents: number): Funding | undefined {
  switch (method) {
    case 'cesu-prefunded':
      return { prefundedCesuCents: amountCents };
    case 'apa-pch':
      return { apaPchCents: amountCents };
    case 'avance-immediate':
      return { avanceImmediateCents: amountCents };
    default:
      return undefined;
  }
}

/** A reference as compared for idempotency: spaces at the ends dropped, runs of spaces made one. */
export const normalisedReference = (reference: string): string => reference.trim().replace(/\s+/g, ' ');

/**
 * The payment's key under its invoice (`off_` + 26 hex of SHA-256 of method and reference): the
 * same (invoice, method, reference) is the same payment, whoever records it and however often.
 * It never looks like a Stripe id (`pi_…`), so nothing asks Stripe about it.
 */
export const offlineKey = (method: OfflineMethod, reference: string): string =>
  `off_${sha256(`${method}\n${normalisedReference(reference)}`).slice(0, 26)}`;

/** A payment's key is Stripe's (a PaymentIntent), or one recorded by staff. */
export const isStripeKey = (key: string): boolean => key.startsWith('pi_');

export interface Refusal {
  /** 400: the request says something impossible whatever the invoice; 409: the invoice's state refuses it. */
  readonly status: 400 | 409;
  readonly field: 'id' | 'amountCents' | 'receivedOn';
  readonly message: string;
}

export type PayableInvoice = Pick<
  InvoiceRecord,
  'state' | 'issueDate' | 'noPaymentBefore' | 'amountDueCents' | 'amountPendingCents' | 'amountCreditedCents' | 'totals'
>;

/**
 * Why this payment cannot be recorded on this invoice today (Paris date `today`), or undefined.
 * In order: an invoice not issued; a date in the future, before the invoice's issue date, or
 * before the first day a payment may be received on an off-premises contract (C. conso L221-10);
 * an amount above what remains due (less any bank debit still processing, which may yet settle).
 */
export function offlinePaymentRefusal(invoice: PayableInvoice, payment: OfflinePayment, today: string): Refusal | undefined {
  if (invoice.state === 'draft' || !invoice.issueDate)
    return { status: 409, field: 'id', message: 'the invoice is a draft: only an issued invoice is paid' };
  if (payment.receivedOn > today) return { status: 400, field: 'receivedOn', message: `must not be in the future (today is ${today})` };
  if (payment.receivedOn < invoice.issueDate)
    return { status: 409, field: 'receivedOn', message: `must not be before the invoice’s issue date (${invoice.issueDate})` };
  if (invoice.noPaymentBefore && payment.receivedOn < invoice.noPaymentBefore)
    return {
      status: 409,
      field: 'receivedOn',
      message: `no payment may be received before ${invoice.noPaymentBefore} on an off-premises contract (C. conso L221-10)`,
    };
  if (payment.amountCents <= 0) return { status: 400, field: 'amountCents', message: 'must be more than 0' };
  if (invoice.state === 'cancelled' || invoice.amountCreditedCents >= invoice.totals.grossCents)
    return { status: 409, field: 'amountCents', message: 'the invoice is cancelled by a credit note: nothing is due' };
  const payable = invoice.amountDueCents - invoice.amountPendingCents;
  if (payment.amountCents > payable)
    return {
      status: 409,
      field: 'amountCents',
      message:
        invoice.amountPendingCents > 0
          ? `must be at most ${payable} cents: ${invoice.amountDueCents} are due, of which ${invoice.amountPendingCents} by a bank debit still processing`
          : `must be at most the ${Math.max(payable, 0)} cents the invoice still has due`,
    };
  return undefined;
}

/** A payment already recorded under this key: the same call again (answer it), or the same reference with other figures (refuse). */
export function sameOfflinePayment(
  recorded: { readonly amountCents: number; readonly receivedOn?: string | undefined },
  payment: OfflinePayment,
): boolean {
  return Number(recorded.amountCents) === payment.amountCents && recorded.receivedOn === payment.receivedOn;
}
