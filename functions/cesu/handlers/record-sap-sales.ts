/** Sales events → the facts of the yearly tax-credit attestation (SAP invoices, money received and given back), once each. */
import { consumerHandler } from '../../events/consumer.ts';
import { recordSapSale, sapEventTypes } from '../sales.ts';

export const handler = consumerHandler('RecordSapSales', sapEventTypes, (detail, envelope) =>
  recordSapSale(envelope['detail-type'], detail),
);
