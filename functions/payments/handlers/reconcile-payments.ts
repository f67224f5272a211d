/** Daily: Stripe's payments of the last three days against the ledger (also `npm run invoke -- ReconcilePayments …`). */
import { jobHandler } from '../../shared/job.ts';
import { reconcile } from '../service.ts';

const LOOK_BACK_MS = 3 * 24 * 3600 * 1000;

export const handler = jobHandler('ReconcilePayments', async (event) => {
  const now = event?.time ? new Date(event.time) : new Date();
  return reconcile(new Date(now.getTime() - LOOK_BACK_MS), now);
});
