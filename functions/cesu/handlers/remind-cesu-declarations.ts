/**
 * Daily job (Europe/Paris): on the day the reminder of the past month's CESU declarations is due
 * (3 days before the configured deadline), one e-mail per coordinator with declarations not yet
 * submitted; the other days it answers `skipped`.
 */
import { adapters } from '../../shared/adapters.ts';
import { jobHandler } from '../../shared/job.ts';
import { remindCoordinators } from '../reminders.ts';

export const handler = jobHandler('RemindCesuDeclarations', (event) =>
  remindCoordinators(adapters(), event?.time ? new Date(event.time) : new Date()),
);
