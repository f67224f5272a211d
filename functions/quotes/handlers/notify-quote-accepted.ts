/** `QuoteAccepted` → an e-mail to the entrepreneur who wrote the quote (once per event). */
import { consumerHandler } from '../../events/consumer.ts';
import { notifyQuoteAccepted } from '../accepted.ts';

export const handler = consumerHandler('NotifyQuoteAccepted', ['QuoteAccepted'], (detail) => notifyQuoteAccepted(detail));
