/**
 * The sales facts the yearly attestation needs, received from the events (consumer RecordSapSales,
 * functions/consumers.ts) into the CESU table: the SAP-eligible invoices (InvoiceIssued with
 * `sapEligible`) and every payment and refund (PaymentReceived / PaymentRefunded: an event may come
 * before its invoice's, so none is dropped; the attestation joins them). Each fact is put once (its
 * item conditioned on absence), whatever the number of deliveries.
 */
import type { EventPayloads } from '../events/catalog.ts';
import { type MoneyFact, putSalesFact, type SapInvoiceFact } from './store.ts';

export const sapEventTypes = ['InvoiceIssued', 'PaymentReceived', 'PaymentRefunded'] as const;
export type SapEventType = (typeof sapEventTypes)[number];

/** The fact an event makes, or undefined when the attestation does not need it. Pure. */
export function sapFactOf<T extends SapEventType>(
  type: T,
  detail: EventPayloads[T],
): { invoice: SapInvoiceFact } | { money: MoneyFact } | undefined {
  if (type === 'InvoiceIssued') {
    const e = detail as EventPayloads['InvoiceIssued'];
    if (!e.sapEligible) return undefined;
    return {
      invoice: {
        invoiceId: e.invoiceId,
        number: e.number,
        etd: e.etd,
        cae: e.cae,
        entrepreneurId: e.entrepreneurId,
        clientId: e.clientId,
        issuedOn: e.issuedOn,
      },
    };
  }
  if (type === 'PaymentReceived') {
    const e = detail as EventPayloads['PaymentReceived'];
    const f = e.funding;
    const fundedCents = (f?.apaPchCents ?? 0) + (f?.prefundedCesuCents ?? 0) + (f?.avanceImmediateCents ?? 0);
    return {
      money: {
        invoiceId: e.invoiceId,
        kind: 'payment',
        sourceId: e.paymentIntent,
        amountCents: e.amountCents,
        on: e.receivedOn,
        fundedCents,
        prefundedCesuCents: f?.prefundedCesuCents ?? 0,
      },
    };
  }
  const e = detail as EventPayloads['PaymentRefunded'];
  return {
    money: { invoiceId: e.invoiceId, kind: 'refund', sourceId: e.refundId, amountCents: -e.amountCents, on: e.refundedOn, fundedCents: 0 },
  };
}

/** Records the fact of an event once: `recorded: false` when it was already there or is not needed. */
export async function recordSapSale<T extends SapEventType>(type: T, detail: EventPayloads[T]): Promise<{ recorded: boolean }> {
  const fact = sapFactOf(type, detail);
  if (!fact) return { recorded: false };
  return { recorded: await putSalesFact(fact) };
}
