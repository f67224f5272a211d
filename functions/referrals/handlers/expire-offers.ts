/** Hourly job: open offers past their expiry are expired; the next candidate of each referral gets an offer. */
import { adapters } from '../../shared/adapters.ts';
import { jobHandler } from '../../shared/job.ts';
import { expireOffers } from '../offers.ts';

const ports = () => adapters();

export const handler = jobHandler('ExpireReferralOffers', async (event) =>
  expireOffers(ports(), event?.time ? new Date(event.time) : new Date()),
);
