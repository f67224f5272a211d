/** QuoteAccepted → a draft referral for the works of a CAE MSG quote (once per quote). */
import { consumerHandler } from '../../events/consumer.ts';
import { draftFromQuote } from '../service.ts';

export const handler = consumerHandler('DraftReferralFromQuote', ['QuoteAccepted'], (detail) => draftFromQuote(detail, new Date()));
