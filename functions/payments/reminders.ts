/** Reminders of overdue invoices (no Stripe here). */
import type { Adapters } from '../shared/adapters.ts';
import { parisDate } from '../shared/clock.ts';
import { unlessNotFound } from '../shared/errors.ts';
import { formatDate, formatEuros } from '../shared/french.ts';
import { businessMetric, logger } from '../shared/observability.ts';
import { isOverdue, loadInvoice, openBalancesDueBefore, payUrl, reminderStepOn } from '../invoices/index.ts';
import { deleteReminder, putNewReminder } from './store.ts';

/** Overdue invoices get one e-mail per step (due + 7, + 15, + 30 days): a marker per step makes it once. */
export async function sendReminders(
  ports: Pick<Adapters, 'mailer' | 'secrets' | 'publicBaseUrl'>,
  now: Date,
): Promise<{ sent: number; skipped: number }> {
  const today = parisDate(now);
  let sent = 0;
  let skipped = 0;
  for await (const invoiceId of openBalancesDueBefore(today)) {
    const invoice = await unlessNotFound(loadInvoice(invoiceId));
    const step = invoice?.dueDate ? reminderStepOn(invoice.dueDate, today) : undefined;
    // A bank debit still processing is the client paying: no reminder while it settles.
    if (
      !invoice ||
      step === undefined ||
      !isOverdue(invoice, today) ||
      invoice.amountDueCents <= 0 ||
      invoice.amountPendingCents > 0 ||
      !invoice.clientEmail
    ) {
      skipped++;
      continue;
    }
    try {
      await putNewReminder(invoice.id, step, now, () => new AlreadyReminded());
    } catch (error) {
      if (error instanceof AlreadyReminded) {
        skipped++;
        continue;
      }
      throw error;
    }
    const link = await payUrl(ports, invoice.id);
    const sending = ports.mailer.send({
      to: invoice.clientEmail,
      subject: `Rappel : facture n° ${invoice.number} à régler`,
      text: [
        `Bonjour ${invoice.parties?.clientName ?? ''},`,
        '',
        `Sauf erreur de notre part, la facture n° ${invoice.number} (${invoice.title}) devait être réglée le ${formatDate(invoice.dueDate!)}.`,
        `Il reste ${formatEuros(invoice.amountDueCents)} à payer.`,
        '',
        'Vous pouvez la payer en ligne par carte ou prélèvement :',
        link,
        '',
        'Si vous avez réglé entre-temps, merci de ne pas tenir compte de ce message.',
        '',
        'Bien cordialement,',
        `${invoice.parties?.issuerName ?? ''} — réseau Oui Ensemble`,
      ].join('\n'),
    });
    try {
      await sending;
    } catch (error) {
      // Not sent: forget the step so tomorrow's run tries again, and go on with the others.
      logger.error('reminder e-mail failed', { invoiceId: invoice.id, step, error: (error as Error).name });
      await deleteReminder(invoice.id, step);
      skipped++;
      continue;
    }
    businessMetric('ReminderSent', invoice.etd);
    sent++;
  }
  return { sent, skipped };
}

class AlreadyReminded extends Error {}
