/** Sales events → the entrepreneur's activity account, on the CAE's basis (once per event, once per fact). */
import { consumerHandler } from '../../events/consumer.ts';
import { creditTurnover, saleEventTypes } from '../sales.ts';

export const handler = consumerHandler('CreditTurnover', saleEventTypes, (detail, envelope) =>
  creditTurnover(envelope['detail-type'], detail, new Date()),
);
