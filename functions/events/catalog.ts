/**
 * Domain events: what the sales context publishes, and the envelope consumers receive.
 *
 * A state change writes its event in the same transaction, as an outbox item of the sales table
 * (`EVENT#<day>` / `<at>#<eventId>`, `entity: 'event'`), built by `outboxItem` (functions/events/outbox.ts),
 * the one builder every context uses. The table's
 * stream carries the new item to the relay (functions/events/handlers/relay.ts), which publishes
 * it on the event bus (EventBridge in the cloud, an in-process bus offline): source
 * `oui-ensemble.sales`, detail-type the event type, detail the payload with its `eventId` and `at`.
 * Delivery is at least once: a consumer may see the same event twice and must apply it once
 * (functions/events/consumer.ts keys it on `detail.eventId`, never on the envelope's `id`).
 */
import type { EventBridgeEvent } from 'aws-lambda';

/** `source` of every event the sales context publishes. */
export const EVENT_SOURCE = 'oui-ensemble.sales';

/** Totals of a sales document in the events, integer cents: HT, VAT (all rates), TTC. */
export interface SalesTotals {
  readonly netCents: number;
  readonly vatCents: number;
  readonly grossCents: number;
}

/** The events written today, with what their detail carries (besides `eventId` and `at`). */
export interface EventPayloads {
  /** A client accepted a sent quote ("Bon pour accord"); written by functions/quotes/service.ts acceptQuote. */
  QuoteAccepted: {
    readonly quoteId: string;
    readonly number: string;
    readonly revision: number;
    readonly etd: string;
    readonly cae: string;
    readonly entrepreneurId: string;
    readonly clientId: string;
    readonly partnerId?: string;
    readonly totals: { readonly grossCents: number; readonly [amount: string]: unknown };
  };
  /**
   * An invoice was issued (numbered, its PDF's SHA-256 committed): turnover on the `invoiced`
   * basis, counted on `issuedOn`. Totals are what this invoice bills (a final invoice's are net of
   * the deposits it deducts, which were invoiced on their own). Written by
   * functions/invoices/issue.ts issueInvoice, in the issuing transaction.
   */
  InvoiceIssued: {
    readonly invoiceId: string;
    readonly number: string;
    readonly etd: string;
    readonly cae: string;
    readonly entrepreneurId: string;
    readonly clientId: string;
    /** Issue date, Paris (YYYY-MM-DD). */
    readonly issuedOn: string;
    readonly kind: 'standard' | 'deposit' | 'final';
    readonly totals: SalesTotals;
    readonly sapEligible: boolean;
  };
  /**
   * A credit note (avoir) was issued on an invoice: turnover on the `invoiced` basis goes down by
   * its totals (given positive: subtract them), on `issuedOn`. Written by
   * functions/invoices/credit-notes.ts createCreditNote, in the crediting transaction.
   */
  CreditNoteIssued: {
    readonly creditNoteId: string;
    readonly invoiceId: string;
    readonly number: string;
    readonly etd: string;
    readonly cae: string;
    readonly entrepreneurId: string;
    readonly clientId: string;
    /** Issue date, Paris (YYYY-MM-DD). */
    readonly issuedOn: string;
    readonly totals: SalesTotals;
  };
  /**
   * Money was received on an invoice (a payment became `succeeded`; a bank debit still processing
   * is not received): turnover on the `cashed` basis, on `receivedOn`. `netHtCents` is its share
   * excluding VAT, pro rata of the invoice's HT / TTC, rounded by the cumulative rule of
   * functions/invoices/domain/revenue.ts (so the shares of an invoice paid in full add up to its
   * HT exactly). Written by functions/payments/ledger.ts recordPayment, in the payment's transaction.
   */
  PaymentReceived: {
    readonly invoiceId: string;
    /**
     * The payment's id (its item PAY#<paymentIntent>): Stripe's PaymentIntent (`pi_…`), or `off_…`
     * for a payment received outside Stripe and recorded by staff (functions/payments/offline.ts).
     */
    readonly paymentIntent: string;
    readonly etd: string;
    readonly cae: string;
    readonly entrepreneurId: string;
    /** TTC received, cents (> 0). */
    readonly amountCents: number;
    /** Its HT share, cents (≥ 0). */
    readonly netHtCents: number;
    /** When Stripe says it succeeded, or the business date staff recorded (a payment outside Stripe), Paris date (YYYY-MM-DD). */
    readonly receivedOn: string;
    /**
     * Of this payment, what third parties financed, when recorded on the payment (cents): APA/PCH,
     * pre-funded CESU, the avance immédiate. The yearly tax-credit attestation deducts them (CESU consumer).
     * Set from the method of a payment recorded by staff (`POST /invoices/{id}/payments`): the whole
     * payment for cesu-prefunded, apa-pch, avance-immediate; absent for a card, a transfer, a cheque.
     */
    readonly funding?: { readonly apaPchCents?: number; readonly prefundedCesuCents?: number; readonly avanceImmediateCents?: number };
  };
  /**
   * Money was given back on an invoice (a Stripe refund, recorded once when Stripe accepted it):
   * the `cashed` basis goes DOWN by `amountCents` / `netHtCents`, given positive (subtract them),
   * on `refundedOn`; the same cumulative HT rule as PaymentReceived. Written by
   * functions/payments/ledger.ts recordRefund, in the refund's transaction.
   */
  PaymentRefunded: {
    readonly invoiceId: string;
    /** Stripe's refund id (its item REF#<refundId>). */
    readonly refundId: string;
    /** The PaymentIntent refunded. */
    readonly paymentIntent: string;
    readonly etd: string;
    readonly cae: string;
    readonly entrepreneurId: string;
    /** TTC given back, cents (> 0). */
    readonly amountCents: number;
    /** Its HT share, cents (≥ 0). */
    readonly netHtCents: number;
    /** When the refund was made, Paris date (YYYY-MM-DD). */
    readonly refundedOn: string;
  };
  /**
   * A manager validated an expense (note de frais): its amount is debited from the activity account
   * and reimbursed on the next payslip. Written by functions/payroll/expenses.ts (payroll table outbox).
   */
  ExpenseValidated: {
    readonly expenseId: string;
    readonly etd: string;
    readonly cae: string;
    readonly entrepreneurId: string;
    readonly period: string;
    readonly amountCents: number;
    readonly vatCents: number;
  };
  /** A payslip was issued (numbered, its PDF's SHA-256 committed). Written by functions/payroll/payslips.ts (payroll table outbox). */
  PayslipIssued: {
    readonly payslipId: string;
    readonly number: string;
    readonly etd: string;
    readonly cae: string;
    readonly entrepreneurId: string;
    readonly period: string;
    readonly grossCents: number;
    readonly employerCostCents: number;
  };
  /**
   * A referral was matched and offered (or found no candidate: `candidates` 0). Written by
   * functions/referrals/service.ts (referrals table outbox).
   */
  ReferralOpened: {
    readonly referralId: string;
    readonly etd: string;
    readonly entrepreneurId: string;
    readonly estimatedAmountCents: number;
    readonly candidates: number;
    readonly excluded: number;
  };
  /** A partner accepted a referral's offer first (the others withdrawn). Written by functions/referrals/offers.ts. */
  ReferralAccepted: {
    readonly referralId: string;
    readonly etd: string;
    readonly partnerId: string;
    readonly plannedStart: string;
  };
  /**
   * The works of a referral are completed: the works amount HT declared and the technicians aged 45+
   * actually on the job (the network's headline impact). Written by functions/referrals/works.ts.
   */
  ReferralCompleted: {
    readonly referralId: string;
    readonly etd: string;
    readonly partnerId: string;
    readonly entrepreneurId: string;
    readonly worksAmountCents: number;
    readonly techniciansAged45Plus: number;
    readonly completedOn: string;
  };
}

export type EventType = keyof EventPayloads;
export const eventTypes = [
  'QuoteAccepted',
  'InvoiceIssued',
  'CreditNoteIssued',
  'PaymentReceived',
  'PaymentRefunded',
  'ExpenseValidated',
  'PayslipIssued',
  'ReferralOpened',
  'ReferralAccepted',
  'ReferralCompleted',
] as const satisfies readonly EventType[];

/** The detail of a published event: the payload, its id (idempotency key) and when it happened. */
export type EventDetail<T extends EventType = EventType> = EventPayloads[T] & { readonly eventId: string; readonly at: string };

/** The EventBridge envelope a consumer receives (the same shape offline). */
export type DomainEventEnvelope<T extends EventType = EventType> = EventBridgeEvent<T, EventDetail<T>>;

/** An outbox item as the transaction writes it (sales table, `entity: 'event'`). */
export interface OutboxItem {
  readonly pk: string;
  readonly sk: string;
  readonly entity: 'event';
  readonly type: string;
  readonly eventId: string;
  readonly at: string;
  readonly detail: Record<string, unknown>;
}

/** Partition-key prefix of the outbox items. */
export const EVENT_PK_PREFIX = 'EVENT#';

/** True for an outbox item (and for nothing else the sales table holds). */
export function isOutboxItem(item: Record<string, unknown>): item is Record<string, unknown> & OutboxItem {
  return (
    item.entity === 'event' &&
    typeof item.pk === 'string' &&
    item.pk.startsWith(EVENT_PK_PREFIX) &&
    typeof item.type === 'string' &&
    item.type !== '' &&
    typeof item.eventId === 'string' &&
    item.eventId !== '' &&
    typeof item.at === 'string' &&
    typeof item.detail === 'object' &&
    item.detail !== null
  );
}

/** What the bus publishes for an outbox item. */
export interface PublishedEvent {
  readonly source: typeof EVENT_SOURCE;
  readonly detailType: string;
  readonly time: string;
  readonly detail: { readonly eventId: string; readonly at: string; readonly [key: string]: unknown };
}

export function toPublished(item: OutboxItem): PublishedEvent {
  return { source: EVENT_SOURCE, detailType: item.type, time: item.at, detail: { ...item.detail, eventId: item.eventId, at: item.at } };
}
