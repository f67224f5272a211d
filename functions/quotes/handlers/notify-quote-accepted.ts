/** `QuoteAccepted` → an e-mail to the entrepreneur who wrote the quote (once per event). */
import { adapters } from '../../shared/adapters.ts';
import { consumerHandler } from '../../events/consumer.ts';
import { notifyQuoteAccepted } from '../accepted.ts';

const ports = () => adapters();

export const handler = consumerHandler('NotifyQuoteAccepted', ['QuoteAccepted'], (detail) => notifyQuoteAccepted(ports(), detail));
