/** Daily: failed refunds retried with their idempotency key, bounded; abandoned ones alarmed (also `npm run invoke -- RetryRefunds …`). */
import { jobHandler } from '../../shared/job.ts';
import { retryRefunds } from '../refund-retries.ts';

export const handler = jobHandler('RetryRefunds', async (event) => retryRefunds(event?.time ? new Date(event.time) : new Date()));
