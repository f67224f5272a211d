/**
 * The coordinators' reminder (daily job RemindCesuDeclarations): `REMINDER_DAYS_BEFORE` days before
 * the monthly deadline (the parameter table's `declarationDeadlineDay` of the next month, unverified
 * so configurable as data), one French e-mail per coordinator listing the employers whose declaration
 * of the past month is not submitted yet (not prepared, or prepared only). Names only; no amount, no
 * age. The other days the job does nothing. A failed sending is logged (no address, no name).
 */
import { clientName, loadClient, loadEntrepreneur, territoryCodes } from '../onboarding/index.ts';
import type { Adapters } from '../shared/adapters.ts';
import { addDays, parisDate } from '../shared/clock.ts';
import { formatDate, formatMonth } from '../shared/french.ts';
import { logger } from '../shared/observability.ts';
import { deadlineOf } from './domain/declaration.ts';
import { type OpenDeclaration, openDeclarations } from './declarations.ts';
import { parametersAt } from './rates.ts';
import { employersOf } from './store.ts';

export const REMINDER_DAYS_BEFORE = 3;

/** The month whose reminder is due on `today`, or undefined (pure). */
export function reminderPeriodOn(today: string): { period: string; deadline: string } | undefined {
  const [y, m] = today.split('-').map(Number) as [number, number];
  const period = new Date(Date.UTC(y, m - 2, 1)).toISOString().slice(0, 7);
  const deadline = deadlineOf(period, Number(parametersAt(`${period}-01`).amounts.declarationDeadlineDay.value));
  return addDays(deadline, -REMINDER_DAYS_BEFORE) === today ? { period, deadline } : undefined;
}

export function reminderMessage(
  coordinatorFirstName: string,
  period: string,
  deadline: string,
  employers: readonly { name: string; state: OpenDeclaration['state'] }[],
) {
  const n = employers.length;
  return {
    subject: `Cesu de ${formatMonth(period)} : ${n === 1 ? '1 déclaration à faire' : `${n} déclarations à faire`} avant le ${formatDate(deadline)}`,
    text: [
      `Bonjour ${coordinatorFirstName},`,
      '',
      `Les déclarations Cesu de ${formatMonth(period)} sont à faire au plus tard le ${formatDate(deadline)}. ${n === 1 ? 'Celle-ci n’est' : 'Celles-ci ne sont'} pas encore transmise${n === 1 ? '' : 's'} :`,
      ...employers.map((e) => `- ${e.name} (${e.state === 'missing' ? 'heures à saisir' : 'préparée, à transmettre'})`),
      '',
      'Saisissez les heures du mois depuis le back-office, vérifiez le récapitulatif, puis transmettez la déclaration.',
      '',
      'Bien cordialement,',
      'Le back-office du réseau Oui Ensemble',
    ].join('\n'),
  };
}

export interface CesuReminderResult {
  readonly skipped?: boolean;
  readonly period?: string;
  readonly open: number;
  readonly sent: number;
  readonly failed: number;
}

export async function remindCoordinators(ports: Pick<Adapters, 'mailer'>, now: Date): Promise<CesuReminderResult> {
  const due = reminderPeriodOn(parisDate(now));
  if (!due) return { skipped: true, open: 0, sent: 0, failed: 0 };
  const byCoordinator = new Map<string, { name: string; state: OpenDeclaration['state'] }[]>();
  let open = 0;
  for await (const etd of territoryCodes()) {
    for (const o of await openDeclarations(await employersOf(etd), due.period)) {
      const client = await loadClient(o.employer.clientId);
      byCoordinator.set(o.employer.coordinatorId, [
        ...(byCoordinator.get(o.employer.coordinatorId) ?? []),
        { name: clientName(client), state: o.state },
      ]);
      open++;
    }
  }
  let sent = 0;
  let failed = 0;
  for (const [coordinatorId, employers] of byCoordinator) {
    try {
      const coordinator = await loadEntrepreneur(coordinatorId);
      await ports.mailer.send({ to: coordinator.email, ...reminderMessage(coordinator.firstName, due.period, due.deadline, employers) });
      sent++;
    } catch (error) {
      failed++;
      logger.error('cesu reminder e-mail failed', { error: (error as Error).name });
    }
  }
  return { period: due.period, open, sent, failed };
}
