/**
 * The redevance base from the sales events (consumer RecordRedevanceFacts): each invoice, credit
 * note, payment and refund becomes one immutable fact of its territory, on its basis, HT signed,
 * dated as the event says (Paris). Both bases are kept: the rate version in force on the fact's
 * date says which one counts. A fact is recorded once, whatever the number of deliveries.
 */
import type { EventPayloads } from '../events/catalog.ts';
import type { CaeName, Fact } from './domain/redevance.ts';
import { putFact } from './store.ts';

export const saleEventTypes = ['InvoiceIssued', 'CreditNoteIssued', 'PaymentReceived', 'PaymentRefunded'] as const;
export type SaleEventType = (typeof saleEventTypes)[number];

/** The fact a sales event makes. Pure. */
export function factOf<T extends SaleEventType>(type: T, detail: EventPayloads[T], recordedAt: string): Fact {
  const d = detail as EventPayloads[SaleEventType];
  const common = { etd: d.etd, cae: d.cae as CaeName, invoiceId: d.invoiceId, recordedAt };
  switch (type) {
    case 'InvoiceIssued': {
      const e = d as EventPayloads['InvoiceIssued'];
      return {
        ...common,
        factId: `inv:${e.invoiceId}`,
        kind: 'invoice',
        basis: 'invoiced',
        date: e.issuedOn,
        netCents: e.totals.netCents,
        number: e.number,
      };
    }
    case 'CreditNoteIssued': {
      const e = d as EventPayloads['CreditNoteIssued'];
      return {
        ...common,
        factId: `crn:${e.creditNoteId}`,
        kind: 'credit-note',
        basis: 'invoiced',
        date: e.issuedOn,
        netCents: -e.totals.netCents,
        number: e.number,
      };
    }
    case 'PaymentReceived': {
      const e = d as EventPayloads['PaymentReceived'];
      return { ...common, factId: `pay:${e.paymentIntent}`, kind: 'payment', basis: 'cashed', date: e.receivedOn, netCents: e.netHtCents };
    }
    default: {
      const e = d as EventPayloads['PaymentRefunded'];
      return { ...common, factId: `ref:${e.refundId}`, kind: 'refund', basis: 'cashed', date: e.refundedOn, netCents: -e.netHtCents };
    }
  }
}

export async function recordFact<T extends SaleEventType>(type: T, detail: EventPayloads[T], now: Date) {
  const fact = factOf(type, detail, now.toISOString());
  if (fact.cae !== 'SAMAD' && fact.cae !== 'MSG') return { recorded: false, reason: 'not a CAE of a territory' };
  return { recorded: await putFact(fact), factId: fact.factId };
}
