/**
 * Turnover from the sales events (consumer CreditTurnover): each CAE credits its entrepreneurs on
 * its basis of the month (`invoiced`: invoices issued minus credit notes, HT, by issue date;
 * `cashed`: payments received minus refunds, their HT share, by date). Events of the other basis
 * are ignored. Each fact is counted once (its source id), whatever the number of deliveries.
 */
import type { EventPayloads } from '../events/catalog.ts';
import { type TurnoverRecord, recordTurnover } from './account.ts';
import { settingsFor } from './settings.ts';
import { caeSettingsHistory } from './store.ts';

export const saleEventTypes = ['InvoiceIssued', 'CreditNoteIssued', 'PaymentReceived', 'PaymentRefunded'] as const;
export type SaleEventType = (typeof saleEventTypes)[number];

/** The movement a sales fact makes, on the basis it belongs to. Pure. */
export function turnoverOf<T extends SaleEventType>(
  type: T,
  detail: EventPayloads[T],
): { basis: 'invoiced' | 'cashed'; record: TurnoverRecord } {
  const d = detail as EventPayloads[SaleEventType];
  const owner = { entrepreneurId: d.entrepreneurId };
  switch (type) {
    case 'InvoiceIssued': {
      const e = d as EventPayloads['InvoiceIssued'];
      const record = {
        ...owner,
        sourceId: `inv:${e.invoiceId}`,
        period: e.issuedOn.slice(0, 7),
        netCents: e.totals.netCents,
        label: `Facture ${e.number}`,
      };
      return { basis: 'invoiced', record };
    }
    case 'CreditNoteIssued': {
      const e = d as EventPayloads['CreditNoteIssued'];
      const record = {
        ...owner,
        sourceId: `crn:${e.creditNoteId}`,
        period: e.issuedOn.slice(0, 7),
        netCents: -e.totals.netCents,
        label: `Avoir ${e.number}`,
      };
      return { basis: 'invoiced', record };
    }
    case 'PaymentReceived': {
      const e = d as EventPayloads['PaymentReceived'];
      const record = {
        ...owner,
        sourceId: `pay:${e.paymentIntent}`,
        period: e.receivedOn.slice(0, 7),
        netCents: e.netHtCents,
        label: 'Paiement reçu',
      };
      return { basis: 'cashed', record };
    }
    default: {
      const e = d as EventPayloads['PaymentRefunded'];
      const record = {
        ...owner,
        sourceId: `ref:${e.refundId}`,
        period: e.refundedOn.slice(0, 7),
        netCents: -e.netHtCents,
        label: 'Remboursement',
      };
      return { basis: 'cashed', record };
    }
  }
}

export async function creditTurnover<T extends SaleEventType>(type: T, detail: EventPayloads[T], now: Date) {
  const { basis, record } = turnoverOf(type, detail);
  const d = detail as EventPayloads[SaleEventType];
  const settings = settingsFor(await caeSettingsHistory(d.etd, d.cae), record.period);
  if (settings.basis !== basis) return { recorded: false, reason: `the CAE credits on its ${settings.basis} basis` };
  return recordTurnover(record, now);
}
