/** Sales events → the facts of the redevance base (once per event, once per fact). */
import { consumerHandler } from '../../events/consumer.ts';
import { recordFact, saleEventTypes } from '../facts.ts';

export const handler = consumerHandler('RecordRedevanceFacts', saleEventTypes, (detail, envelope) =>
  recordFact(envelope['detail-type'], detail, new Date()),
);
