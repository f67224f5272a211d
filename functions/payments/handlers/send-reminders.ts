/** Daily: one reminder per step for overdue invoices, never twice, never after payment. */
import { adapters } from '../../shared/adapters.ts';
import { jobHandler } from '../../shared/job.ts';
import { sendReminders } from '../reminders.ts';

const ports = () => adapters();

export const handler = jobHandler('SendReminders', async (event) =>
  sendReminders(ports(), event?.time ? new Date(event.time) : new Date()),
);
