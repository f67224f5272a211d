/** Daily: one reminder per step for overdue invoices, never twice, never after payment. */
import { jobHandler } from '../../shared/job.ts';
import { sendReminders } from '../reminders.ts';

export const handler = jobHandler('SendReminders', async (event) => sendReminders(event?.time ? new Date(event.time) : new Date()));
