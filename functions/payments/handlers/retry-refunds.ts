/** Daily: failed refunds retried with their idempotency key, bounded; abandoned ones alarmed (also `npm run invoke -- RetryRefunds …`). */
import { adapters } from '../../shared/adapters.ts';
import { jobHandler } from '../../shared/job.ts';
import { retryRefunds } from '../refund-retries.ts';

const ports = () => adapters();

export const handler = jobHandler('RetryRefunds', async (event) => retryRefunds(ports(), event?.time ? new Date(event.time) : new Date()));
