/** Nightly job: sent quotes past their validity become expired (the page already shows them so). */
import { jobHandler } from '../../shared/job.ts';
import { expireDueQuotes } from '../service.ts';

export const handler = jobHandler('ExpireQuotes', async (event) => expireDueQuotes(event?.time ? new Date(event.time) : new Date()));
