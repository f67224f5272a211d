/** Daily: Stripe's payments of the last 15 days (SEPA debits settle within about two weeks) against the ledger (also `npm run invoke -- ReconcilePayments …`). */
import { adapters } from '../../shared/adapters.ts';
import { jobHandler } from '../../shared/job.ts';
import { reconcile } from '../service.ts';

const ports = () => adapters();
const LOOK_BACK_MS = 15 * 24 * 3600 * 1000;

export const handler = jobHandler('ReconcilePayments', async (event) => {
  const now = event?.time ? new Date(event.time) : new Date();
  return reconcile(ports(), new Date(now.getTime() - LOOK_BACK_MS), now);
});
